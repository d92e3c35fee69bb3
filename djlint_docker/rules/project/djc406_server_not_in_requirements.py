"""DJC406 server-not-in-requirements: The image runs an application server that its requirements do not install."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import DISTRIBUTION_IMAGES, official_image, parse_image
from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.parse.requirements import requirement_name
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.project._installed_programs import os_packages_named
from djlint_docker.rules.project._lock_examples import (
    PIPENV_DOCKERFILE,
    POETRY_DOCKERFILE,
    UV_DOCKERFILE,
    pipenv_project,
    poetry_project,
    uv_project,
)
from djlint_docker.rules.project._packages import installed_packages, where_to_add
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE


@rule("DJC406", "server-not-in-requirements", Severity.ERROR, cross=True, examples=[
    Example("gunicorn-missing", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}, expect=(("Dockerfile", 7),)),
    Example("requirement-option-with-equals", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("-r requirements.txt", "--requirement=requirements.txt")
        + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"},
        expect=(("Dockerfile", 7),)),
    # uWSGI from Debian's package, its Python plugin built for the image's Python.
    Example("installed-as-a-debian-package", {
        "Dockerfile": "FROM python:3.9\nRUN apt-get update && apt-get install -y --no-install-recommends uwsgi "
                      "uwsgi-src \\\n    && rm -rf /var/lib/apt/lists/*\n" + REQUIREMENTS_DOCKERFILE.split("\n", 1)[1]
                      + "CMD [\"uwsgi\", \"--http\", \":8000\", \"--module\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
    Example("compose-command-uvicorn", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: uvicorn app.asgi:application --host 0.0.0.0\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\ngunicorn==23.0.0\n"},
        expect=(("compose.yaml", 4),)),
    # The entrypoint script migrates, then execs gunicorn, which the requirements lack.
    Example("started-by-the-entrypoint-script", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "COPY entrypoint.sh /entrypoint.sh\nCMD [\"/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\n"
                         "exec gunicorn app.wsgi:application --bind 0.0.0.0:8000\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}, expect=(("entrypoint.sh", 4),)),
    # The start script installs gunicorn on the production branch, right before it runs it.
    Example("installed-by-the-start-script", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      - MODE=prod\n    command: /start\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "COPY start /start\n",
        "start": "#!/bin/bash\nset -o errexit\npython manage.py migrate\nif [ \"${MODE}\" == \"prod\" ]; then\n"
                 "  pip install gunicorn\n  /usr/local/bin/gunicorn app.wsgi --bind 0.0.0.0:8000\nelse\n"
                 "  python manage.py runserver 0.0.0.0:8000\nfi\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
    # `poetry add gunicorn` in the build puts the server in the image beside the locked dependencies.
    Example("added-by-poetry-in-the-build", {
        "Dockerfile": "FROM python:3.13\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN pip3 install poetry\n"
                      "RUN poetry config virtualenvs.create false && poetry install --no-root\n"
                      "RUN poetry add gunicorn\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, **poetry_project({"django": "5.1.3"})}),
    # The organisation's base image installs uWSGI: what it holds is unknown.
    Example("organisations-base-image", {
        "Dockerfile": "FROM amsterdam/python\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD uwsgi\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
    # The container installs the project's poetry dependencies as it starts, uWSGI among them.
    Example("installed-as-the-container-starts", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: bash -c \"poetry install --no-root && "
                        "uwsgi --ini uwsgi.ini\"\n",
        "Dockerfile": "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN pip install --no-cache-dir poetry\n",
        "manage.py": MANAGE, "pyproject.toml": "[tool.poetry.dependencies]\npython = \"^3.12\"\nuwsgi = \"^2.0\"\n"}),
    Example("installed", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\n-r server.txt\n", "server.txt": "gunicorn==23.0.0\n"}),
    Example("uvicorn-extra-and-direct-install", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "RUN pip install --no-cache-dir 'uvicorn[standard]==0.32.0'\n"
                                   "CMD [\"uvicorn\", \"app.asgi:application\"]\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
    # The build stage builds a wheel of the server by name; the final stage installs every wheel built.
    Example("wheel-built-by-name-in-a-build-stage", {
        "Dockerfile": "FROM python:3.12-alpine AS build\nRUN pip wheel --wheel-dir /wheels uwsgi\n"
                      "COPY requirements.txt .\nRUN pip wheel --wheel-dir /wheels -r requirements.txt\n"
                      "FROM python:3.12-alpine\nCOPY --from=build /wheels /wheels\n"
                      "RUN pip install --no-cache-dir --no-index /wheels/*\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"uwsgi\", \"--http\", \":8000\", \"--module\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
    Example("poetry-lock-installs-it", {
        "Dockerfile": POETRY_DOCKERFILE + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        **poetry_project({"django": "5.1.3", "gunicorn": "23.0.0"})}),
    Example("poetry-main-group-without-it", {
        "Dockerfile": POETRY_DOCKERFILE + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        **poetry_project({"django": "5.1.3"}, dev={"gunicorn": "23.0.0"})}, expect=(("Dockerfile", 8),)),
    Example("uv-sync-no-dev-leaves-the-dev-group-out", {
        "Dockerfile": UV_DOCKERFILE + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        **uv_project({"django": "5.1.3"}, dev={"gunicorn": "23.0.0"})}, expect=(("Dockerfile", 9),)),
    Example("uv-sync-installs-it", {
        "Dockerfile": UV_DOCKERFILE + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        **uv_project({"django": "5.1.3", "gunicorn": "23.0.0"})}),
    # The lock predates gunicorn in the Pipfile: `pipenv install` locks again and installs it; `--deploy` refuses.
    Example("pipfile-newer-than-its-lock", {
        "Dockerfile": PIPENV_DOCKERFILE.replace(" --deploy", "") + "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, **pipenv_project({"django": "5.1.3"}),
        "Pipfile": pipenv_project({"django": "5.1.3", "gunicorn": "23.0.0"})["Pipfile"]}),
    Example("pipfile-newer-than-its-lock-deployed-as-locked", {
        "Dockerfile": PIPENV_DOCKERFILE.replace(" --deploy", " --ignore-pipfile")
        + "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, **pipenv_project({"django": "5.1.3"}),
        "Pipfile": pipenv_project({"django": "5.1.3", "gunicorn": "23.0.0"})["Pipfile"]}, expect=(("Dockerfile", 7),)),
    Example("pipenv-lock-installs-it", {
        "Dockerfile": PIPENV_DOCKERFILE + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        **pipenv_project({"django": "5.1.3", "gunicorn": "23.0.0"})}),
    Example("pip-install-dot-with-dynamic-dependencies-is-unknown", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\ndynamic = ["dependencies"]\n\n'
                          '[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.txt"]}\n',
        "requirements.txt": "Django==5.1.3\n"}),
    Example("pip-install-dot-with-the-extra", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir '.[prod]'\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\ndependencies = ["Django>=5.1,<5.2"]\n\n'
                          '[project.optional-dependencies]\nprod = ["gunicorn>=23"]\n'}),
    # The MCP server's image installs FastMCP, which installs the uvicorn it runs.
    Example("server-a-requirement-depends-on", {
        "Dockerfile": "FROM python:3.13-slim\nWORKDIR /app\nCOPY pyproject.toml .\nCOPY src/ src/\n"
                      "RUN pip install --no-cache-dir .\n"
                      "CMD [\"uvicorn\", \"shop_mcp.server:app\", \"--host\", \"0.0.0.0\"]\n",
        "manage.py": MANAGE,
        "pyproject.toml": '[project]\nname = "shop-mcp"\nversion = "1.0"\ndependencies = ["fastmcp==2.12.4"]\n'}),
    Example("pip-install-group-without-it", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml .\n"
                      "RUN pip install --no-cache-dir --group web\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE,
        "pyproject.toml": '[dependency-groups]\nweb = ["Django>=5.1,<5.2", {include-group = "db"}]\n'
                          'db = ["psycopg[binary]>=3.2"]\n'}, expect=(("Dockerfile", 6),)),
])
def server_not_in_requirements(project: Project) -> Iterator[Violation]:
    """The image runs an application server that its requirements do not install.

    ## What it does
    Finds the servers the image's CMD/ENTRYPOINT, the services' `command:` and the scripts they run start
    (gunicorn, uvicorn, daphne, hypercorn, uwsgi) and reports each one that neither
    the requirements files installed in the image (`-r` followed, wheels built in an
    earlier stage included), a direct `pip install`, the project's `pyproject.toml`
    (`pip install .`, `pip install --group`), `uv sync` (with `uv.lock`), `poetry install`
    (with `poetry.lock`) nor `pipenv install` (with `Pipfile.lock`, and the Pipfile's
    packages a stale lock misses, which it locks again unless `--deploy`) nor the
    distribution's package (`apt-get install uwsgi`, `apk add py3-gunicorn`) provide, each with
    the extras and groups the command chooses; a package that depends on the server
    installs it too (FastMCP and the MCP SDK install uvicorn). Stays silent when the image installs
    through something djcheck cannot read (a file it does not find, dependencies a
    build backend computes, pdm, conda), when it is built on an image that is not an
    official or a distribution's one (an organisation's `amsterdam/python` installs
    uWSGI itself), or when the container installs packages as it starts
    (`poetry update && uwsgi --ini uwsgi.ini`, `pip install gunicorn` in its start script).

    ## Why is this bad?
    The container exits at once with `gunicorn: not found` (or `No module named
    uvicorn`); the image built fine, so the mistake shows only at deploy time.

    ## Example
    ```dockerfile
    CMD ["gunicorn", "app.wsgi"]
    ```
    with only `Django==5.1.3` in `requirements.txt`. Use instead: add
    `gunicorn==23.0.0` to the requirements.

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (gunicorn added to the requirements for production)
    - [Gunicorn: installation](https://docs.gunicorn.org/en/stable/install.html)
      (the production server is installed with the other requirements)
    """
    for build, dockerfile in project.dockerfiles:
        if _base_may_install(dockerfile) or _installs_at_start(project, build):
            continue  # an organisation's base image, or a `poetry install` as the container starts: unknown
        reported = set()
        for name, location in _server_programs(project, build):
            if name in reported:
                continue
            installed = installed_packages(project, build)
            if installed is None or installed & SERVER_PACKAGES[name] \
                    or os_packages_named(dockerfile) & SYSTEM_SERVER_PACKAGES[name]:
                continue  # with the requirements, or as the distribution packages it (`apt-get install uwsgi`)
            reported.add(name)
            yield Violation(location, f"the container runs {name}, but the image's requirements do not install it; "
                                      f"add {name} to {where_to_add(project, build)}")


SERVER_PACKAGES = {"gunicorn": {"gunicorn", "uvicorn-worker"}, "uvicorn": {"uvicorn", "mcp", "fastmcp", "gradio"},
                   "daphne": {"daphne", "channels"}, "hypercorn": {"hypercorn"}, "uwsgi": {"uwsgi", "pyuwsgi"}}
"""The distributions that install each server: its own, and those that depend on it (the MCP SDK and FastMCP
install uvicorn; channels 2 and 3 installed daphne)."""

SYSTEM_SERVER_PACKAGES = {
    "gunicorn": {"gunicorn", "gunicorn3", "python3-gunicorn", "py3-gunicorn"},
    "uvicorn": {"uvicorn", "python3-uvicorn", "py3-uvicorn"}, "daphne": {"daphne", "python3-daphne", "py3-daphne"},
    "hypercorn": {"hypercorn", "python3-hypercorn", "py3-hypercorn"},
    "uwsgi": {"uwsgi", "uwsgi-core", "uwsgi-python3", "uwsgi-plugin-python3"}}
"""The Debian and Alpine packages that install each server's program."""

ANY_SERVER_PACKAGE = frozenset().union(*SERVER_PACKAGES.values())


def _base_may_install(dockerfile: Dockerfile) -> bool:
    """Whether the image the final stage is built on may install the server itself: one that is not an official or a
    distribution's image (``amsterdam/python`` installs uWSGI, ``tiangolo/uvicorn-gunicorn`` both servers). ``FROM
    ${BASE}`` without a default is what build scripts pass, an official image."""
    image = dockerfile.root.image
    if not image:
        return False
    repository = parse_image(image).repository.lower()
    return not (official_image(repository) or repository in DISTRIBUTION_IMAGES)


INSTALLERS = {"pip": {"install"}, "pip3": {"install"}, "poetry": {"install", "update", "add"},
              "pipenv": {"install", "sync"}, "uv": {"sync", "pip", "add"}}
"""The commands that install Python packages (``poetry update`` in a compose ``command:``)."""


def _installs_at_start(project: Project, build: ImageBuild) -> bool:
    """Whether a command the container starts with, or a line of a script it runs, installs packages (``poetry
    update && uwsgi --ini uwsgi.ini``: what it installs is read from the project's files at run time, which djcheck
    does not follow), or a server by name (``pip install gunicorn`` in ``start`` before it runs gunicorn)."""
    for command, _, _ in project.started_commands(build):
        words = list(command.words[2:] if command.words[1:2] == ("-m",) and command.words[:1] in (
            ("python",), ("python3",)) else command.words)
        if len(words) > 1 and words[1] in INSTALLERS.get(words[0], ()):
            named = [requirement_name(word).lower() for word in words[2:]]
            if words[0] in {"pip", "pip3"} and named and all(name and not name.startswith((".", "/", "-"))
                                                               for name in named):
                if ANY_SERVER_PACKAGE & set(named):
                    return True  # `pip install gunicorn` before it runs gunicorn
                continue  # `pip install debugpy`: the packages it names, none a server
            return True
    return False


def _server_programs(project: Project, build: ImageBuild) -> Iterator[tuple[str, Location]]:
    """The servers the image's containers start that a package installs, and where (:meth:`Project.started_servers
    <djlint_docker.project.Project.started_servers>`)."""
    for found, location, _ in project.started_servers(build):
        if found.program in SERVER_PACKAGES:
            yield found.program, location
