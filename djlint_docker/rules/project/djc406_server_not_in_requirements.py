"""DJC406 server-not-in-requirements: The image runs an application server that its requirements do not install."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.servers import server
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE


@rule("DJC406", "server-not-in-requirements", Severity.ERROR, cross=True, examples=[
    Example("gunicorn-missing", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}, expect=(("Dockerfile", 7),)),
    Example("requirement-option-with-equals", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("-r requirements.txt", "--requirement=requirements.txt")
        + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"},
        expect=(("Dockerfile", 7),)),
    Example("compose-command-uvicorn", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: uvicorn app.asgi:application --host 0.0.0.0\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\ngunicorn==23.0.0\n"},
        expect=(("compose.yaml", 4),)),
    Example("installed", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\n-r server.txt\n", "server.txt": "gunicorn==23.0.0\n"}),
    Example("uvicorn-extra-and-direct-install", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "RUN pip install --no-cache-dir 'uvicorn[standard]==0.32.0'\n"
                                   "CMD [\"uvicorn\", \"app.asgi:application\"]\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
    Example("poetry", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install poetry && poetry install\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE, "pyproject.toml": "[tool.poetry]\n"}),
])
def server_not_in_requirements(project: Project) -> Iterator[Violation]:
    """The image runs an application server that its requirements do not install.

    ## What it does
    Finds the servers the image's CMD/ENTRYPOINT and the services' `command:` start
    (gunicorn, uvicorn, daphne, hypercorn, uwsgi) and reports each one that neither
    the requirements files installed in the image (`-r` followed, wheels built in an
    earlier stage included) nor a direct `pip install` provide. Stays silent when the
    image installs through something djcheck does not read (`pip install .`, poetry,
    pipenv, uv sync).

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
    for build, _ in project.dockerfiles:
        reported = set()
        for name, location in _server_programs(project, build):
            if name in reported:
                continue
            installed = project.installed_packages(build)
            if installed is None or installed & SERVER_PACKAGES[name]:
                continue
            reported.add(name)
            yield Violation(location, f"the container runs {name}, but the image's requirements do not install it; "
                                      f"add {name} to the requirements")


SERVER_PACKAGES = {"gunicorn": {"gunicorn"}, "uvicorn": {"uvicorn"}, "daphne": {"daphne", "channels"},
                   "hypercorn": {"hypercorn"}, "uwsgi": {"uwsgi", "pyuwsgi"}}


def _server_programs(project: Project, build: ImageBuild) -> Iterator[tuple[str, Location]]:
    for start in project.start_commands:
        if start.build is not build:
            continue
        for command in start.commands:
            found = server(command)
            if found is not None and found.program in SERVER_PACKAGES:
                yield found.program, start.location
