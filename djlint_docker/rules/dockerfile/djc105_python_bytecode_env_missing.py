"""DJC105 python-bytecode-env-missing: the final image does not set `PYTHONDONTWRITEBYTECODE`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._source_mounts import misses_the_code
from djlint_docker.rules.dockerfile._final_image import API_TESTS, ROOT_USERS, WORKSPACE
from djlint_docker.rules.dockerfile._python_env import (
    BASE_IMAGE_DOCKERFILE,
    OWN_BASE,
    STAGED,
    python_env_missing,
)
from djlint_docker.rules.snippets import MANAGE, WELL_BUILT_DOCKERFILE


@rule("DJC105", "python-bytecode-env-missing", Severity.INFO, fix="safe", examples=[
    Example("no-env", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),),
        fixed={"Dockerfile": "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\nENV PYTHONUNBUFFERED=1\n"
                             "WORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n"}),
    Example("package-mounted", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - ./app:/code/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /code\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = False\n"},
        expect=(("Dockerfile", 1),)),
    # Git ignores the bytecode in the mounted folder and the container runs as the developer: the files are the
    # developer's own and never reach a commit. Run as root, they are root's, in the checkout, ignored or not.
    Example("bytecode-gitignored-and-written-as-the-developer", {
        ".gitignore": "*.py[cod]\n__pycache__/\n.env\n/media/\n",
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      args:\n"
                        "        DOCKER_USER: ${DOCKER_USER:-1000}\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                      "ARG DOCKER_USER\nUSER ${DOCKER_USER}\n",
        "manage.py": MANAGE}),
    Example("compiled-files-ignored-in-a-package-mounted-as-the-hosts-user", {
        ".gitignore": ".env\n/media/\n", "app/.gitignore": "*.pyc\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    user: \"${UID}:${GID}\"\n    volumes:\n"
                        "      - ./app:/code/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /code\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = False\n"}),
    Example("bytecode-gitignored-but-written-by-root", {
        ".gitignore": "*.py[cod]\n__pycache__/\n.env\n/media/\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    # A user that is not root cannot write into the developer's checkout on Linux, and on Docker Desktop what it
    # writes there is the developer's: git ignoring the bytecode is all that counts.
    Example("bytecode-gitignored-written-by-a-user-other-than-root", {
        ".gitignore": "__pycache__/\n.env\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nRUN useradd --create-home --uid 1001 app\n"
                      "WORKDIR /app\nCOPY --chown=app . .\nUSER app\n",
        "manage.py": MANAGE}),
    Example("system-user-with-the-bytecode-tracked", {
        ".gitignore": ".env\n/media/\n",
        "compose.yaml": "services:\n  scheduler:\n    build: .\n    command: python manage.py runapscheduler\n"
                        "    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nRUN adduser --system --group django\n"
                      "WORKDIR /app\nCOPY --chown=django . .\nUSER django\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("bytecode-gitignored-written-by-root-as-the-compose-user", {
        ".gitignore": "__pycache__/\n.env\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    user: \"0:0\"\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nRUN useradd --create-home app\n"
                      "WORKDIR /app\nCOPY --chown=app . .\nUSER app\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    # The image's own user, not root, writes the bytecode, and git ignores it: nothing clutters the checkout.
    Example("bytecode-gitignored-written-by-the-images-user", {
        ".gitignore": "__pycache__/\n.env\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n"
                      "RUN adduser --disabled-password --gecos '' app\nWORKDIR /app\nCOPY --chown=app . .\nUSER app\n",
        "manage.py": MANAGE}),
    Example("developer-user-with-the-bytecode-tracked", {
        ".gitignore": ".env\n/media/\n/staticfiles/\n.venv/\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    user: \"${UID}:${GID}\"\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("nothing-mounts-the-source", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - media:/app/media\nvolumes:\n  media:\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}),
    Example("image-alone", {
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}),
    Example("set", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("editor-workspace-mounting-the-source", {
        **WORKSPACE, "Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("application-image-mounted-beside-an-editor-workspace", {
        **WORKSPACE, "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    # The source is mounted in development; the variable comes from the project's own base image, or not.
    Example("set-by-the-projects-own-base-image", {
        **OWN_BASE, "larder/compose.yaml": "services:\n  web:\n    build:\n      context: .\n"
                                           "      dockerfile: docker/production/Dockerfile\n    volumes:\n"
                                           "      - .:/app\n"}),
    Example("the-projects-own-base-image-does-not-set-it", {
        **OWN_BASE, "larder/docker/base/Dockerfile": BASE_IMAGE_DOCKERFILE.replace(" PYTHONDONTWRITEBYTECODE=1", ""),
        "larder/compose.yaml": "services:\n  web:\n    build:\n      context: .\n"
                               "      dockerfile: docker/production/Dockerfile\n    volumes:\n      - .:/app\n"},
        expect=(("larder/docker/production/Dockerfile", 1),)),
    Example("an-organisations-base-image", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/srv/app\n",
        "Dockerfile": "FROM acme/python-base:3.12\nWORKDIR /srv/app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("public-python-image", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/srv/app\n",
        "Dockerfile": "FROM nikolaik/python-nodejs:python3.12-nodejs22-slim\nENV PYTHONUNBUFFERED=1\n"
                      "WORKDIR /srv/app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt && npm ci\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("targets-derived-from-one-stage-reported-once", STAGED, expect=(("Dockerfile", 7),)),
    Example("set-in-the-stage-every-target-derives-from", {
        **STAGED,
        "Dockerfile": STAGED["Dockerfile"].replace("WORKDIR /app\n", "ENV PYTHONDONTWRITEBYTECODE=1\nWORKDIR /app\n")}),
    Example("python-base-running-nginx-with-the-source-mounted", {
        "compose.yaml": "services:\n  proxy:\n    build: .\n    volumes:\n      - .:/srv\n",
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends nginx "
                      "&& rm -rf /var/lib/apt/lists/*\nCMD nginx -g 'daemon off;'\n",
        "manage.py": MANAGE}),
    # The webpack dev server's image: Node's, with python3 from apt for node-gyp; the entrypoint it shares with the
    # Django image picks the dev server by its argument.
    Example("frontend-on-node-with-python-for-native-builds", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes: &code\n      - ./app:/opt/app/app\n"
                        "      - ./manage.py:/opt/app/manage.py\n    command: start_django\n"
                        "  webpack:\n    build:\n      context: .\n      dockerfile: docker/webpack/Dockerfile\n"
                        "    volumes: *code\n    command: start_webpack\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\nWORKDIR /opt/app\nCOPY . .\n"
                      "ENTRYPOINT [\"./entrypoint.sh\"]\n",
        "docker/webpack/Dockerfile": "FROM node:22.18.0-bookworm-slim\nWORKDIR /opt/app\n"
                                     "RUN apt-get update && apt-get install -y --no-install-recommends python3 "
                                     "python3-pip build-essential && rm -rf /var/lib/apt/lists/*\n"
                                     "RUN ln -s /usr/bin/python3 /usr/bin/python\n"
                                     "COPY package.json package-lock.json ./\nRUN npm ci\n"
                                     "ENTRYPOINT [\"./entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\ncase \"$1\" in\n  start_django) exec python manage.py runserver 0.0.0.0:8000 ;;\n"
                         "  start_webpack) exec npm run webpack-server ;;\nesac\n",
        "app/settings.py": "DEBUG = True\n", "manage.py": MANAGE}),
    # Node's image with the application's Python packages installed: it runs Python.
    Example("python-application-on-node", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n",
        "Dockerfile": "FROM node:22.18.0-bookworm-slim\nRUN apt-get update && apt-get install -y "
                      "--no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir --break-system-packages -r requirements.txt\n"
                      "CMD [\"python3\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "requirements.txt": "Django==5.2.1\n", "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    # The test stack mounts the tests into their image: that image is thrown away with its run.
    Example("test-image-beside-the-application", {
        **API_TESTS, "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n",
        "docker-compose.test.yml": API_TESTS["docker-compose.test.yml"].replace(
            "    depends_on:\n", "    volumes:\n      - ./api_tests:/tests\n    depends_on:\n"),
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
])
def python_bytecode_env_missing(project: Project) -> Iterator[Violation]:
    """The final image does not set `PYTHONDONTWRITEBYTECODE`.

    ## What it does
    Checks the environment of the final stage of an image that runs Python for
    `PYTHONDONTWRITEBYTECODE`, or of every compose service that runs the image (an env
    file djcheck cannot know, absent with no template, may set it), when a
    compose service runs the image with the project's source bind-mounted over its code
    (its build context, or a folder holding `manage.py` or its settings) as root (no
    `USER`, or compose `user: "0:0"`), or from a folder where git does not ignore the
    bytecode (`__pycache__/`, `*.pyc`, `*.py[cod]` in a `.gitignore`). A container that
    runs as another user (compose `user: "${UID}:${GID}"`, the image's `USER app`, a
    system user) and writes `.pyc` files git ignores leaves nothing to clean up and
    nothing to commit: on Linux a user other than the developer's cannot write into
    the checkout at all, and the developer's own (or, on Docker Desktop, any user)
    writes files that are the developer's. Not reported. An image
    nothing bind-mounts is not reported (nor one whose mount lands where the image never
    looks: `.:/backend` when it copies its code to `/app`, as DJC219 says, or `.:/app` of an image built
    from `./django` that copies `./django/shop` to `/src`), in development as in deployment: there the
    `.pyc` files stay in the container, where they only speed up the next start.
    A Dockerfile the project's compose files build to several targets derived from one
    another (`release`, then `development`, then `unittests`) is reported once, at the
    stage every target lacking the variable is made from: one `ENV` there covers them all.

    An image whose ENTRYPOINT or CMD runs another program (`caddy run`, `nginx`, `node`,
    `python app.py` of a Flask mock),
    directly or as another user (`su-exec postgres postgres`, `gosu`), is a proxy's, a
    frontend's or a database's even on a `python` base or when its build runs Python (a
    development database migrated at build time), and an editor's workspace image
    (`.devcontainer/`) is not the application's: neither is checked.

    An image that starts from the project's own base image (`FROM acme/base`, built from a
    Dockerfile of the repository) inherits that image's environment. Any other base image
    whose Dockerfile djcheck cannot find may set the variable itself, and is not reported:
    an organisation's base image (`FROM acme/python-base:3.12`), one built on the machine.
    Official images (`python`, `debian`), distributions' own (`quay.io/centos/centos`),
    well-known public Python images (`ghcr.io/astral-sh/uv`, `bitnami/python`,
    `cimg/python`, `nikolaik/python-nodejs`, `tiangolo/*`) and an `ARG` without a default
    (`FROM ${FROM}`) are known not to set it.

    A test image (its Dockerfile or build target named for tests, or built by a test
    stack alone) is not reported: nothing ships it.

    ## Why is this bad?
    Python writes `.pyc` files next to the sources; with the source bind-mounted in
    development they clutter the project on the host: owned by root when the container
    runs as root (the developer cannot delete them), and committed by a `git add .` when
    git does not ignore them.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ENV PYTHONDONTWRITEBYTECODE=1
    ```

    ## Fix safety
    Safe: an `ENV` line is added after `FROM`.

    ## References
    - [Python: PYTHONDONTWRITEBYTECODE](https://docs.python.org/3/using/cmdline.html#envvar-PYTHONDONTWRITEBYTECODE)
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
    """
    return python_env_missing(project, "PYTHONDONTWRITEBYTECODE", ".pyc files clutter bind-mounted source",
                              _bytecode_reaches_the_source)


_BYTECODE = ("__pycache__/module.cpython-312.pyc", "package/__pycache__/module.cpython-312.pyc")
"""Where Python writes bytecode in a mounted folder, from that folder."""



def _runs_as_root(project: Project, build: ImageBuild, service: Service) -> bool:
    """Whether the container runs as root: its compose ``user:`` is root (``0``, ``root:root``), or it sets none and
    the image's last ``USER`` is root or there is none. A variable (``"${UID}:${GID}"``) is the developer's."""
    if "user" in service.keys:
        return project.service_user(service) in ROOT_USERS
    dockerfile = build.dockerfile
    if dockerfile is None:
        return True
    users = [u.args.strip() for stage in dockerfile.lineage(dockerfile.final) for u in stage.all("USER")]
    return not users or users[-1] in ROOT_USERS


def _bytecode_reaches_the_source(project: Project, build: ImageBuild) -> bool:
    """Whether a service runs the image with the project's source bind-mounted over its code (its build context,
    or a folder holding ``manage.py`` or settings), as root or from a folder where git does not ignore ``.pyc``
    files."""
    for service in project.services:
        if service.name not in build.services:
            continue
        for mount in project.source_mounts(service, build):
            if misses_the_code(project, service, build, mount):
                continue  # where the image never looks: its bytecode is written elsewhere
            if _runs_as_root(project, build, service) or not all(project.gitignored(Path(mount.source or "") / pyc)
                                                                 for pyc in _BYTECODE):
                return True
    return False
