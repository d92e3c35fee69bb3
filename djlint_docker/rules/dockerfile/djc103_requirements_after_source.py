"""DJC103 requirements-after-source: the whole build context is copied before the dependencies are installed."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.edits import insert_lines, line_end, line_start, newline
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.parse.dockerfile import Dockerfile, Instruction, Stage
from djlint_docker.parse.requirements import pip_install, requirement_files_named
from djlint_docker.parse.shell import Command, program
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._copies import pip_installs, whole_context_copy
from djlint_docker.rules.dockerfile._final_image import WORKSPACE
from djlint_docker.rules.project._context import holds_django
from djlint_docker.rules.snippets import MANAGE, PYTHON_ENV_BASE, WELL_BUILT_DOCKERFILE


@rule("DJC103", "requirements-after-source", Severity.WARNING, fix="safe", examples=[
    Example("copy-all-then-install", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
        "requirements.txt": "django\n", "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    # The backend's context is a folder of requirements and a helper script; the Django project, outside it, is
    # bind-mounted: a change of the code never reaches this build.
    Example("context-of-requirements-and-a-helper-script", {
        "compose.yaml": "services:\n  back:\n    build: ./docker/back\n    working_dir: /usr/src/django\n"
                        "    command: python3 manage.py runserver 0.0.0.0:8000\n    volumes:\n"
                        "      - ./django:/usr/src/django\n",
        "docker/back/Dockerfile": "FROM python:3.12\nENV PYTHONUNBUFFERED=1\nADD . /tmp/\n"
                                  "RUN mv /tmp/make_secret.py /usr/local/bin/\n"
                                  "RUN pip install --no-cache-dir -r /tmp/requirements.txt\n",
        "docker/back/requirements.txt": "Django==5.1.4\npsycopg[binary]==3.2.3\n",
        "docker/back/make_secret.py": "import secrets\nprint(secrets.token_urlsafe(50))\n",
        "django/manage.py": MANAGE}),
    Example("context-holding-a-package-of-its-own", {
        "compose.yaml": "services:\n  worker:\n    build: ./worker\n    command: python -m jobs\n"
                        "  web:\n    build: .\n",
        "Dockerfile": WELL_BUILT_DOCKERFILE,
        "worker/Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\n"
                             "RUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"-m\", \"jobs\"]\n",
        "worker/requirements.txt": "celery==5.4.0\n", "worker/jobs/__init__.py": "",
        "worker/jobs/__main__.py": "print('run')\n", "manage.py": MANAGE},
        expect=(("worker/Dockerfile", 3),)),
    Example("add-dot-then-poetry", {
        "Dockerfile": "FROM python:3.12\nWORKDIR /code\nADD . /code/\nRUN pip install poetry && poetry install\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("editor-workspace", {**WORKSPACE, "manage.py": MANAGE, ".devcontainer/Dockerfile": WORKSPACE[
        ".devcontainer/Dockerfile"].replace("COPY requirements.txt /tmp/\n", "COPY . /tmp/\n")}),
    Example("requirements-first", {"Dockerfile": WELL_BUILT_DOCKERFILE, "requirements.txt": "django\n",
                                   "manage.py": MANAGE}),
    Example("uv-two-phase-install", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\n"
                      "COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\n"
                      "COPY . .\nRUN uv sync --frozen\n", "manage.py": MANAGE}),
    Example("poetry-no-root-first", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install poetry==1.8.3\n"
                      "COPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\n"
                      "RUN poetry install\n", "manage.py": MANAGE}),
    Example("the-same-install-before-and-after-the-copy", {
        "Dockerfile": "FROM python:3.12-alpine\nWORKDIR /app\nRUN pip install poetry==1.8.2\n"
                      "COPY pyproject.toml poetry.lock ./\nRUN poetry install\nCOPY . /app/\nRUN poetry install\n",
        "manage.py": MANAGE}),
    # The requirements went in and were installed first; the install after the copy names the same file from the
    # WORKDIR the source went to: it finds everything installed.
    Example("the-same-requirements-installed-before-the-copy", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY ./requirements /requirements\n"
                      "RUN pip install --no-cache-dir -r /requirements/production.txt\nCOPY . /app\nWORKDIR /app\n"
                      "RUN pip install --no-cache-dir -r requirements/production.txt\n",
        "requirements/production.txt": "django==5.1.3\n", "manage.py": MANAGE}),
    Example("other-requirements-installed-before-the-copy", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY ./requirements /requirements\n"
                      "RUN pip install --no-cache-dir -r /requirements/base.txt\nCOPY . /app\nWORKDIR /app\n"
                      "RUN pip install --no-cache-dir -r requirements/production.txt\n",
        "requirements/base.txt": "django==5.1.3\n", "requirements/production.txt": "-r base.txt\ngunicorn\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 4),)),
    Example("lock-exported-to-pip-first", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install poetry==1.8.3\n"
                      "COPY pyproject.toml poetry.lock ./\nRUN poetry config virtualenvs.create false \\\n"
                      "    && poetry export --without-hashes -f requirements.txt \\\n"
                      "    | poetry run pip install -r /dev/stdin\n"
                      "COPY . .\nRUN poetry install --no-interaction\n", "manage.py": MANAGE}),
    Example("uv-sync-after-the-copy", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\n"
                      "COPY . .\nRUN uv sync --frozen\n", "manage.py": MANAGE}, expect=(("Dockerfile", 4),)),
    Example("copy-in-another-stage", {
        "Dockerfile": "FROM python:3.12-slim AS build\nCOPY requirements.txt .\n"
                      "RUN pip wheel -r requirements.txt -w /wheels\nFROM python:3.12-slim\n"
                      "COPY --from=build /wheels /wheels\nRUN pip install /wheels/*\nCOPY . /app\n",
        "manage.py": MANAGE}),
    Example("requirements-copied-and-installed-first", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\n# the project\nCOPY --chown=app:app . .\n"
                                        "RUN pip install -r requirements/prod.txt \\\n    && pip install gunicorn\n"
                                        "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements/prod.txt": "-r base.txt\ngunicorn==23.0.0\n",
        "requirements/base.txt": "Django==5.1.3\n", ".dockerignore": ".git\n"}, expect=(("Dockerfile", 5),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\n# the project\n"
                             "COPY --chown=app:app requirements/base.txt requirements/prod.txt ./requirements/\n"
                             "RUN pip install -r requirements/prod.txt \\\n    && pip install gunicorn\n"
                             "COPY --chown=app:app . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n"}),
    Example("tutorial-workdir-between-copy-and-install", {
        "Dockerfile": PYTHON_ENV_BASE + "COPY . /app\nWORKDIR /app\nRUN pip install -r requirements.txt\n"
                                        "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n", ".dockerignore": ".git\n"},
        expect=(("Dockerfile", 3),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + "COPY requirements.txt /app/\nWORKDIR /app\n"
                             "RUN pip install -r requirements.txt\nCOPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n"}),
    Example("env-between-and-hashed-requirements", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\nENV X=1\n"
                                        "RUN pip install --upgrade pip && pip install -r requirements.txt\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3 \\\n    --hash=sha256:00\n", ".dockerignore": ".git\n"},
        expect=(("Dockerfile", 4),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY requirements.txt ./\nENV X=1\n"
                             "RUN pip install --upgrade pip && pip install -r requirements.txt\nCOPY . .\n"}),
    Example("uv-dependencies-in-the-base-stage", {
        "Dockerfile": "FROM python:3.12-slim AS base\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\n"
                      "COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\n"
                      "FROM base AS dev\nCOPY . .\nRUN uv sync --frozen\n", "manage.py": MANAGE}),
    # The builder fills the virtual environment; the final `uv sync` after the copy adds the project alone.
    Example("uv-dependencies-copied-from-a-builder", {
        "Dockerfile": "FROM python:3.12-slim AS builder\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\n"
                      "WORKDIR /app\nRUN --mount=type=bind,source=uv.lock,target=uv.lock "
                      "--mount=type=bind,source=pyproject.toml,target=pyproject.toml "
                      "uv sync --frozen --no-install-project --no-dev\n"
                      "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\n"
                      "COPY . /app\nCOPY --from=builder /app/.venv /app/.venv\nRUN uv sync --frozen --no-dev\n",
        "manage.py": MANAGE}),
    Example("dependencies-only-install-after-the-copy", {
        "Dockerfile": "FROM python:3.12-slim AS base\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\n"
                      "COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\n"
                      "FROM base AS prod-deps\nCOPY . .\nRUN uv sync --frozen --no-dev --no-install-project\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 7),)),
    Example("source-folder-before-poetry-in-a-builder", {
        "Dockerfile": "FROM python:3.12-slim AS builder\nWORKDIR /app\nRUN pip install --no-cache-dir poetry==1.8.4\n"
                      "COPY pyproject.toml poetry.lock ./\nCOPY src/ ./src\nRUN poetry install --only main\n"
                      "FROM python:3.12-slim\nCOPY --from=builder /app /app\n",
        "pyproject.toml": "[tool.poetry]\nname = \"app\"\n", "poetry.lock": "", "src/manage.py": MANAGE,
        "src/app/settings.py": "DEBUG = False\n"}, expect=(("Dockerfile", 5),)),
    Example("path-dependency-folder-before-a-dependency-only-install", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /source\nRUN pip install --no-cache-dir poetry==1.8.4\n"
                      "COPY pyproject.toml poetry.lock /source/\nCOPY plugins /source/plugins\n"
                      "RUN poetry install --no-root --only main\nCOPY . /source\nRUN poetry install --only main\n",
        "pyproject.toml": "[tool.poetry]\nname = \"app\"\n", "poetry.lock": "", "manage.py": MANAGE,
        "plugins/audit/pyproject.toml": "[tool.poetry]\nname = \"audit\"\n", "plugins/audit/audit/__init__.py": "",
        ".dockerignore": ".git\n"}),
    Example("source-folder-before-pip-wheel", {
        "Dockerfile": "FROM python:3.12-slim AS builder\nWORKDIR /build\nCOPY ./app ./app\n"
                      "RUN pip wheel --no-cache-dir -r app/requirements.txt -w /wheels\n"
                      "FROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\nRUN pip install /wheels/*\n",
        "app/manage.py": MANAGE, "app/requirements.txt": "Django==5.1.3\n"}, expect=(("Dockerfile", 3),)),
    Example("requirements-folder-before-the-install", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements/ requirements/\n"
                      "RUN pip install --no-cache-dir -r requirements/prod.txt\nCOPY . .\n",
        "requirements/prod.txt": "Django==5.1.3\n", "manage.py": MANAGE, ".dockerignore": ".git\n"}),
    Example("start-scripts-folder-before-uv-sync", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\n"
                      "COPY pyproject.toml uv.lock ./\nCOPY deploy/web /srv/deploy\nRUN uv sync --frozen\n"
                      "COPY . .\nCMD [\"/srv/deploy/start-web\"]\n",
        "deploy/web/start-web": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec gunicorn app.wsgi\n",
        "deploy/web/web.env": "DJANGO_DEBUG=0\n", "deploy/web/gunicorn.conf": "workers = 3\n",
        "manage.py": MANAGE, ".dockerignore": ".git\n"}),
    # The server's own folder: its configuration module and the requirements of the server alone.
    Example("server-config-folder-before-the-install", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY gunicorn/ /etc/gunicorn/\n"
                      "RUN pip install --no-cache-dir -r /etc/gunicorn/requirements.txt\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"--config\", \"/etc/gunicorn/gunicorn_conf.py\", \"app.wsgi\"]\n",
        "gunicorn/gunicorn_conf.py": "import multiprocessing\n\nbind = \"0.0.0.0:8000\"\n"
                                     "workers = multiprocessing.cpu_count() * 2 + 1\n",
        "gunicorn/requirements.txt": "gunicorn==23.0.0\n", "manage.py": MANAGE, ".dockerignore": ".git\n"}),
    # A single-module Django application: its one module is the application's source.
    Example("single-module-application-folder-before-the-install", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY site/ /srv/site/\n"
                      "RUN pip install --no-cache-dir -r /srv/site/requirements.txt\nWORKDIR /srv/site\n"
                      "CMD [\"gunicorn\", \"app:application\"]\n",
        "site/app.py": "from django.conf import settings\nfrom django.core.wsgi import get_wsgi_application\n"
                       "from django.http import HttpResponse\nfrom django.urls import path\n\n"
                       "settings.configure(ROOT_URLCONF=__name__, ALLOWED_HOSTS=[\"*\"])\n"
                       "urlpatterns = [path(\"\", lambda request: HttpResponse(\"ok\"))]\n"
                       "application = get_wsgi_application()\n",
        "site/requirements.txt": "Django==5.1.3\ngunicorn==23.0.0\n", ".dockerignore": ".git\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"8000:8000\"\n"},
        expect=(("Dockerfile", 2),)),
    Example("templates-folder-before-the-install", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY requirements.txt .\nCOPY templates/ templates/\n"
                                        "RUN pip install -r requirements.txt\nCOPY . .\n",
        "templates/base.html": "<!doctype html>\n", "templates/home.html": "{% extends 'base.html' %}\n",
        "requirements.txt": "Django==5.1.3\n", "manage.py": MANAGE, ".dockerignore": ".git\n"},
        expect=(("Dockerfile", 5),)),
    # Yarn's own release, which `.yarnrc.yml` names and `yarn` needs, is copied before the install like a lock file.
    Example("yarn-release-before-the-install", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\n"
                      "COPY package.json .yarnrc.yml yarn.lock requirements.txt ./\nCOPY .yarn/ ./.yarn/\n"
                      "RUN yarn install --immutable && pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
        ".yarn/releases/yarn-4.5.0.cjs": "module.exports = {};\n", "package.json": "{}\n", "yarn.lock": "",
        ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.5.0.cjs\n", "requirements.txt": "django==5.2.1\n",
        "manage.py": MANAGE, "app/views.py": "", ".dockerignore": ".git\n"}),
    Example("source-folder", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /srv\nCOPY ./app /app\nRUN pip install -r /app/requirements.txt\n",
        "app/manage.py": MANAGE, "app/requirements.txt": "Django==5.1.3\n", ".dockerignore": ".git\n"},
        expect=(("Dockerfile", 4),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + "WORKDIR /srv\nCOPY app/requirements.txt /app/\n"
                             "RUN pip install -r /app/requirements.txt\nCOPY ./app /app\n"}),
])
def requirements_after_source(project: Project) -> Iterator[Violation]:
    """The whole build context is copied before the dependencies are installed.

    ## What it does
    Finds a stage that copies the whole context (`COPY . …` or `ADD . …`), or a source
    folder holding more than requirements (`COPY ./app /app`, `COPY src/ ./src`), and
    later in the same stage installs dependencies (`pip install -r`, `pip wheel -r`,
    `poetry install`, `pipenv install`, `uv sync`), in the final image or a builder
    stage. The two-phase install uv and poetry recommend is fine: the dependencies first
    (`uv sync --no-install-project`, `poetry install --no-root`, pip given the lock's
    export as in `poetry export | pip install -r /dev/stdin`, also in a base stage
    the stage is built on, or in a builder stage whose virtual environment a `COPY --from`
    brings in before the install), then the copy, then the project. A dependency-only install
    after the whole context is not; a folder copied before it is one it needs (a path
    dependency such as a plugin folder). A folder counts as source when it holds the
    application's code (Python modules, templates, front-end scripts); one of start
    scripts, env files and configuration (`COPY docker/web /srv/docker`) does not, nor
    one holding a server's configuration module or two beside its requirements (`COPY
    gunicorn/ /etc/gunicorn/` of `config.py` and `requirements.txt`): modules that import
    nothing of Django, none a Django project's (`manage.py`, `settings.py`, `__init__.py`;
    an empty `__init__.py` beside the requirements files holds no code). So
    does a whole context of requirements and a helper script or two (`ADD . /tmp/` of a
    `docker/back` context holding `requirements.txt` and `keygenerator.py`) when the
    Django project lies outside it: no code of the application is copied.

    ## Why is this bad?
    Docker reuses a layer only while everything before it is unchanged. After
    `COPY . .`, any edit to any file invalidates the install layer, so every build
    downloads and installs every dependency again.

    ## Example
    ```dockerfile
    COPY . .
    RUN pip install -r requirements.txt
    ```
    Use instead:
    ```dockerfile
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY . .
    ```

    ## Fix safety
    Safe: the source copy becomes a copy of the requirements files it held (and those
    they include) to the same destination, and the source copy moves to just after the
    install, so the install reads the same files at the same paths. Offered only when
    nothing between them reads the context (`WORKDIR`, `ENV`, `ARG`, `LABEL`, `EXPOSE`,
    `USER`, installs of named packages), the install reads nothing but requirements
    files (no `.`, no `-e`, no constraints file or local path), and moving the copy
    changes neither its destination nor its variables.

    ## References
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (copy requirements.txt, install, then copy the project)
    - [Docker build cache](https://docs.docker.com/build/cache/)
      (two-step install to use Docker's layer cache)
    """
    for build, dockerfile in project.dockerfiles:
        if project.workspace_image(build):  # the editor's image: it rebuilds when the editor asks, not on each edit
            continue
        for stage in dockerfile.stages:
            found = _source_before_install(project, build, stage)
            if found is None:
                continue
            copy, run = found
            changed = "every code change" if whole_context_copy(copy) else \
                f"every change in {project.display(build.context / (_one_source(copy) or '').strip('/'))}/"
            yield Violation(dockerfile.at(copy),
                            f"`{copy.keyword} {copy.args}` comes before the dependency install on line {run.line}: "
                            f"{changed} reinstalls every dependency; {_advice(run)}",
                            related=(dockerfile.at(run),),
                            fix=_install_first_fix(project, build, dockerfile, stage, copy, run))


def _advice(run: Instruction) -> str:
    """How to install the dependencies before the source, for the installer the RUN uses."""
    tools = {program(c) for c in run.commands if _installs_dependencies(c)}
    if "uv" in tools and any("sync" in c.words for c in run.commands):
        return ("copy pyproject.toml and uv.lock first, `uv sync --no-install-project`, then copy the source and "
                "`uv sync`")
    if "poetry" in tools:
        return ("copy pyproject.toml and poetry.lock first, `poetry install --no-root`, then copy the source and "
                "`poetry install`")
    if "pipenv" in tools:
        return "copy Pipfile and Pipfile.lock first, install, then copy the source"
    return "copy the requirements first, install, then copy the source"


def _installs_dependencies(command: Command) -> bool:
    """Whether a command installs (or builds wheels of) the project's dependencies from a requirements or lock file."""
    words = command.words
    name = program(command)
    if (re.fullmatch(r"pip[0-9.]*", name) or (name == "uv" and "pip" in words)) and ("install" in words
                                                                                   or "wheel" in words):
        return bool(requirement_files_named(words))
    return (name == "poetry" and "install" in words) or (name == "pipenv" and ("install" in words or "sync" in words)) \
        or (name == "uv" and "sync" in words)


DEPENDENCIES_ONLY = {"--no-install-project", "--no-root", "--no-self"}
MAX_RUNNER_WORDS = 4  # where pip stands in a command that runs it: `poetry run pip install`, `python -m pip install`
"""The dependency-only installs of uv sync, poetry install and pdm install: the project comes after its copy."""


def _source_before_install(project: Project, build: ImageBuild, stage: Stage) -> tuple[Instruction, Instruction] | None:
    """The first copy of source (the whole context, or a source folder) and the dependency install after it.

    A folder copy counts only when the folder holds more than requirements files. After a
    dependency-only install (``uv sync --no-install-project``, ``poetry install --no-root``),
    or the same install run on the dependency files alone, in this stage or a stage it is
    built on, a full install after the copy adds the project alone; a dependency-only
    install after the copy reinstalls them all.
    """
    copies = [c for c in stage.instructions if c.keyword in {"COPY", "ADD"} and c.flag("from") is None]
    installs = [r for r in stage.all("RUN") if any(_installs_dependencies(c) for c in r.commands)]
    # The stages this one is built on ran their installs before any of its copies (a base stage of the
    # two-phase install: the dependencies there, the project in the stages built on it).
    assert build.dockerfile is not None
    inherited = [r for member in build.dockerfile.lineage(stage)[:-1] for r in member.all("RUN")
                 if any(_installs_dependencies(c) for c in r.commands)]
    for copy in copies:
        run = next((r for r in installs if r.line > copy.line), None)
        if run is None:
            break
        earlier = inherited + [r for r in installs if r.line < copy.line]
        with_project = not _dependencies_only(run)
        if with_project and any(
                _dependencies_only(r) for r in earlier + _copied_in_installs(build.dockerfile, stage, run)):
            return None  # the two-phase install uv and poetry recommend: what follows the copy is the project alone
        installed_before = [key for r in earlier for key in _install_keys(r)]
        if with_project and any(_same_install(key, other) for key in _install_keys(run) for other in installed_before):
            return None  # the same install ran before the copy, on the dependency files alone: this one adds the
            # project to what that layer installed (`poetry install` after `COPY pyproject.toml poetry.lock ./`)
        # A folder before a dependency-only install is one it needs (a path dependency), not the project's source.
        if _context_holds_source(project, build) if whole_context_copy(copy) else (
                with_project and _copies_source_folder(project, build, copy)):
            return copy, run
    return None


def _copied_in_installs(dockerfile: Dockerfile, stage: Stage, before: Instruction) -> list[Instruction]:
    """The dependency installs of the stages whose files a ``COPY --from`` brings in before ``before`` (the virtual
    environment a builder stage filled with ``uv sync --no-install-project``)."""
    found = []
    for copy in stage.instructions:
        source = (copy.flag("from") or "").lower() if copy.keyword == "COPY" and copy.line < before.line else ""
        origin = next((s for s in dockerfile.stages if source and (s.name == source or str(s.index) == source)), None)
        if origin is not None and origin.index < stage.index:
            found += [r for member in dockerfile.lineage(origin) for r in member.all("RUN")
                      if any(_installs_dependencies(c) for c in r.commands)]
    return found


def _context_holds_source(project: Project, build: ImageBuild) -> bool:
    """Whether the build context holds the application's source. A context of requirements and a helper script
    or two (``docker/back/`` with ``requirements.txt`` and ``keygenerator.py``), while the Django project
    (``manage.py``, settings) lies outside it, does not: there is no code a change of which reinstalls the
    dependencies. Code in a folder of the context (a package, templates, front-end scripts) is source."""
    if not project.setup.python_files or holds_django(project, build):
        return True
    return any(not entry.is_dir and CODE.fullmatch(entry.relative)
               and ("/" in entry.relative or not entry.relative.endswith(".py"))
               for entry in project.context_entries(build))


InstallKey = tuple[str, tuple[str, ...], tuple[str, ...]]


def _install_keys(run: Instruction) -> set[InstallKey]:
    """The dependency installs of a RUN, each as its program, its other words that are not options, and the
    requirements files it names (:func:`_same_install` compares them)."""
    keys = set()
    for command in run.commands:
        if _installs_dependencies(command):
            files = requirement_files_named(command.words)
            keys.add((program(command), tuple(w for w in command.words[1:] if not w.startswith("-") and w not in files),
                      tuple(posixpath.normpath(name) for name in files)))
    return keys


def _same_install(one: InstallKey, other: InstallKey) -> bool:
    """Whether two installs read the same manifest (``poetry install`` twice, ``pip install -r
    /requirements/production.txt`` and, from the WORKDIR the source went to, ``-r requirements/production.txt``):
    the same program and words, each requirements file the same path, or an absolute one ending the relative one."""
    return one[:2] == other[:2] and len(one[2]) == len(other[2]) and all(
        a == b or (a.startswith("/") != b.startswith("/") and (a.endswith("/" + b) or b.endswith("/" + a)))
        for a, b in zip(one[2], other[2], strict=True))


def _dependencies_only(run: Instruction) -> bool:
    """Whether a RUN installs the dependencies without the project: ``uv sync --no-install-project``, or pip given
    the lock's export (``poetry export -f requirements.txt | pip install -r /dev/stdin``)."""
    return any(DEPENDENCIES_ONLY & set(c.words) for c in run.commands) or (
        any(program(c) in {"poetry", "uv", "pdm"} and "export" in c.words for c in run.commands)
        and any("install" in c.words and any(re.fullmatch(r"pip[0-9.]*", word) for word in c.words[:MAX_RUNNER_WORDS])
                for c in run.commands))  # `pip install`, `poetry run pip install`


def _copies_source_folder(project: Project, build: ImageBuild, copy: Instruction) -> bool:
    """Whether the copy's one source is a folder of the context holding the application's code (a Python module,
    a template, a script of the front end), not only requirements files or the image's start scripts and config
    (:func:`_holds_code`)."""
    source = _one_source(copy)
    if source is None or "$" in source or any(c in source for c in "*?["):
        return False
    folder = build.context / source.lstrip("/")
    if not os.path.isdir(folder) or not folder.resolve().is_relative_to(build.context.resolve()) \
            or folder.name in INSTALLER_FOLDERS:
        return False
    return _holds_code(project, folder)


def _one_source(copy: Instruction) -> str | None:
    """The source of a copy that names one (``COPY backend .``), as written."""
    parts = list(copy.exec_form) if copy.exec_form else copy.words()
    return parts[0] if len(parts) == 2 else None


INSTALLER_FOLDERS = frozenset({".yarn"})
"""Folders of a package manager's own files, which the install needs: Yarn's release and plugins (``yarnPath:
.yarn/releases/yarn-3.6.0.cjs`` in ``.yarnrc.yml``), not the application's code."""


CODE = re.compile(r".*\.(py|pyx|pyi|html?|jinja2?|j2|js|mjs|cjs|jsx|ts|tsx|vue|svelte|css|scss|sass|less|po|"
                  r"go|rs|rb|php|java|kt|c|cc|cpp|h|hpp)$", re.I)
"""The files of an application's code, as opposed to its start scripts, env files and configuration."""
MAX_FOLDER_ENTRIES = 2000
"""How many entries of a copied folder are looked at before it is taken to hold code."""


def _holds_code(project: Project, folder: Path) -> bool:
    """Whether a folder holds the application's code (``CODE``), looking at most ``MAX_FOLDER_ENTRIES`` entries.

    A few Python modules at its top that import nothing of Django, none of them ``manage.py``
    or a module of a Django project (``gunicorn/`` holding the server's ``config.py`` beside
    its ``requirements.txt``), are a program's configuration, not the application's source.
    """
    pending, seen = [folder], 0
    loose: list[Path] = []  # modules at the folder's top that may be configuration
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    seen += 1
                    if seen > MAX_FOLDER_ENTRIES:
                        return True  # too large to look through: taken to be source
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(Path(entry.path))
                    elif CODE.fullmatch(entry.name) and not _empty(entry):  # (an empty `__init__.py` holds none)
                        if current != folder or not entry.name.endswith(".py") or entry.name in PROJECT_MODULES \
                                or len(loose) >= MAX_CONFIG_MODULES:
                            return True
                        loose.append(Path(entry.path))
        except OSError:
            continue
    return any(DJANGO_IMPORT.search(project.text(path) or "") for path in loose)


def _empty(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.stat().st_size == 0
    except OSError:
        return False


PROJECT_MODULES = {"manage.py", "__init__.py", "settings.py", "urls.py", "wsgi.py", "asgi.py", "models.py",
                   "views.py", "apps.py"}
"""The modules of a Django project or app: a folder holding one holds the application's source."""
MAX_CONFIG_MODULES = 2
"""How many loose modules a folder of configuration holds (``gunicorn/config.py``); more are source."""
DJANGO_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+django\b", re.M)


MOVABLE = {"WORKDIR", "ENV", "ARG", "LABEL", "EXPOSE", "USER", "STOPSIGNAL"}
"""Instructions that read nothing of the build context: a copy may move past them.

A COPY ignores ``USER`` (its files belong to root unless ``--chown`` says otherwise).
"""
SYSTEM_PACKAGE_TOOLS = {"apt-get", "apt", "apk", "dnf", "yum", "microdnf"}
KEPT_COPY_FLAGS = {"chown", "chmod", "link"}


def _install_first_fix(project: Project, build: ImageBuild, dockerfile: Dockerfile, stage: Stage,
                       copy: Instruction, run: Instruction) -> Fix | None:
    """The requirements files copied in the source copy's place, and the source copied right after the install.

    The copy keeps its destination, so the install reads each requirements file at the
    path it read before. Offered only when nothing between the copy and the install
    reads the context (``WORKDIR``, ``ENV``, ``ARG``, ... and installs of named
    packages), the install reads nothing but requirements files (no ``.``, no ``-e``,
    no constraints file), the files are plain paths under the copy's source, and moving
    the copy changes neither its destination nor its variables.
    """
    text = project.text(dockerfile.path)
    parts = list(copy.exec_form) if copy.exec_form else copy.words()
    if text is None or copy.exec_form or run.exec_form or len(parts) != 2 or copy.heredocs:
        return None
    source, dest = parts
    if "$" in text[line_start(text, copy.line):line_end(text, copy.end_line)] or \
            any(name not in KEPT_COPY_FLAGS for name, _ in copy.flags):
        return None
    instructions = stage.instructions
    between = instructions[instructions.index(copy) + 1:instructions.index(run)]
    if any(i.keyword not in MOVABLE and not (i.keyword == "RUN" and _reads_only_requirements(i, False))
           for i in between) or not _reads_only_requirements(run, True):
        return None
    if not dest.startswith("/") and any(i.keyword == "WORKDIR" for i in between):
        return None  # the moved copy would land elsewhere
    files = _requirement_files_needed(project, build, run)
    folder = posixpath.normpath(source.lstrip("/"))
    prefix = "" if folder == "." else folder + "/"
    relative = [f.relative_to(build.context).as_posix() for f in files or () if f.is_relative_to(build.context)]
    if not files or len(relative) != len(files) or not all(r.startswith(prefix) for r in relative) or \
            any(re.search(r"[\s\"'$`\\*?\[]", r) for r in relative):
        return None
    by_folder: dict[str, list[str]] = {}
    for file in sorted(relative):
        by_folder.setdefault(posixpath.dirname(file[len(prefix):]), []).append(file)
    flags = "".join(f"--{name}={value} " if value is not None else f"--{name} " for name, value in copy.flags)
    target = dest.rstrip("/") or "/"
    lines = [f"COPY {flags}{' '.join(paths)} {posixpath.join(target, sub).rstrip('/')}/"
             for sub, paths in sorted(by_folder.items())]
    moved = text[line_start(text, copy.line):line_end(text, copy.end_line)].splitlines()
    path = dockerfile.path
    return Fix("install the requirements before copying the source",
               (Edit(path, line_start(text, copy.line), line_start(text, copy.end_line + 1),
                     "".join(line + newline(text) for line in lines)),
                insert_lines(path, text, run.end_line + 1, moved)))


def _reads_only_requirements(run: Instruction, install: bool) -> bool:
    """Whether a RUN reads nothing of the context but requirements files (none at all unless ``install``).

    Its commands are package-manager commands with no relative path and ``pip install``
    of named packages or of requirements files (``-r``, when ``install``), with no
    constraints file, editable or local path.
    """
    for command in run.commands:
        words = command.words
        if program(command) in SYSTEM_PACKAGE_TOOLS and not any(w.startswith(("./", "../")) for w in words):
            continue
        pip = pip_install(words) if pip_installs(command) or (program(command) == "uv" and "pip" in words) else None
        if pip is None or pip.paths or pip.editable or any(w in {"-c", "--constraint"} or
                                                            w.startswith(("-c", "--constraint=")) for w in words):
            return False
        if requirement_files_named(words) and not install:
            return False
    return bool(run.commands)


def _requirement_files_needed(project: Project, build: ImageBuild, run: Instruction) -> list[Path] | None:
    """The requirements files the install reads, with the files they include; None when one names a local file.

    A constraints file, an editable or a local path inside a requirements file would be
    missing when only the requirements files are copied first.
    """
    read = [path for instruction, _, path in project.requirement_files(build) if instruction is run]
    if not read or None in read:
        return None
    pending = [path for path in read if path is not None]  # all of them: None is not among them
    found: list[Path] = []
    while pending:
        path = pending.pop()
        if path in found:
            continue
        found.append(path)
        text = project.text(path)
        if text is None or len(found) > 50:
            return None
        for line in text.splitlines():
            line = re.sub(r"(^|\s)#.*$", "", line).strip()
            if re.match(r"(-c|--constraint|-e|--editable|\.|/|file:)", line):
                return None
            pending += [Path(os.path.normpath(path.parent / named)) for named in requirement_files_named(line.split())]
    return found
