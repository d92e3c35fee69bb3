"""DJC205 db-data-bind-mount: A database keeps its data in a folder of the project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._mounts import data_mounts
from djlint_docker.rules.compose._stack import copied_elsewhere, never_deployed, once_per_line
from djlint_docker.rules.project._context import copies_context
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_COMPOSE
from djlint_docker.rules.snippets import (
    INSTALL_RECIPE,
    MANAGE,
    PRODUCTION_COMPOSE,
    REQUIREMENTS_DOCKERFILE,
    TUTORIAL_COMPOSE,
)

DEV_DATA_MOUNT = "    volumes:\n      - ./data/db:/var/lib/postgresql/data\n"
"""The database of the development stack keeping its data in ``data/db``."""


@rule("DJC205", "db-data-bind-mount", Severity.WARNING, examples=[
    Example("tutorial", {"compose.yaml": TUTORIAL_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
            expect=(("compose.yaml", 5),)),
    Example("long-syntax-mysql", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    volumes:\n      - type: bind\n"
                        "        source: ./mysql\n        target: /var/lib/mysql\n"}, expect=(("compose.yaml", 5),)),
    Example("named-volume", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                             "manage.py": MANAGE}),
    # The installer copies an install recipe to a folder of their own: ./postgresql lies beside their copy.
    Example("install-recipe-in-the-docs", INSTALL_RECIPE),
    Example("data-folder-of-a-test-stack", {
        "docker-compose.ci.yml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                 "      - ./pgdata:/var/lib/postgresql/data\n", "manage.py": MANAGE}),
    # The development stack of a project deployed with compose.prod.yaml keeps its database out of git and images.
    Example("development-database-kept-out-of-git-and-images", {
        **DEV_AND_PROD, "compose.yaml": DEV_COMPOSE + DEV_DATA_MOUNT, ".gitignore": "data/\n",
        ".dockerignore": ".git\ndata/\n"}),
    Example("development-database-sent-to-the-build", {
        **DEV_AND_PROD, "compose.yaml": DEV_COMPOSE + DEV_DATA_MOUNT, ".gitignore": "data/\n",
        ".dockerignore": ".git\n"}, expect=(("compose.yaml", 20),)),
    # One compose file: git ignores the folder and the image copies only what it needs.
    Example("database-folder-git-ignores-and-no-image-copies", {
        "compose.yaml": "services:\n  db:\n    image: postgres:17\n    volumes:\n"
                        "      - ./pgdata:/var/lib/postgresql/data\n"
                        "  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install -r requirements.txt\nCOPY shop/ shop/\nCOPY manage.py .\n",
        ".gitignore": "__pycache__/\n/pgdata\n", "manage.py": MANAGE}),
    # `pgdata/**` ignores every file of the folder, though not the folder itself.
    Example("database-folder-whose-files-git-ignores", {
        "compose.yaml": "services:\n  db:\n    image: postgres:17\n    volumes:\n"
                        "      - ./pgdata:/var/lib/postgresql/data\n"
                        "  web:\n    build: ./web\n    command: python manage.py runserver 0.0.0.0:8000\n",
        "web/Dockerfile": REQUIREMENTS_DOCKERFILE, ".gitignore": "__pycache__/\npgdata/**\n", "web/manage.py": MANAGE}),
    Example("database-folder-git-ignores-but-the-image-copies", {
        "compose.yaml": "services:\n  db:\n    image: kartoza/postgis:16-3.4\n    volumes:\n"
                        "      - ./pgdata:/var/lib/postgresql/16/main\n"
                        "  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, ".gitignore": "__pycache__/\n/pgdata\n", "manage.py": MANAGE},
        expect=(("compose.yaml", 5),)),
    Example("outside-project", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                        "      - /srv/pg:/var/lib/postgresql/data\n"}),
])
def db_data_bind_mount(project: Project) -> Iterator[Violation]:
    """A database keeps its data in a folder of the project.

    ## What it does
    Reports a bind mount from inside the project folder (`./data/db:/var/lib/postgresql/data`)
    onto the data directory of a PostgreSQL, MySQL, MariaDB or MongoDB service.

    An install recipe or an example of the documentation (`docs/`, `examples/`) is copied
    to a folder of the reader's: its data folder is not the project's. A folder git
    ignores is not reported when no image copies a whole build context holding it
    unless its `.dockerignore` excludes it: the developer chose it, and it reaches
    neither the repository nor a build.

    ## Why is this bad?
    The database container creates the folder as root (or as its own user): the
    developer cannot delete it, `docker build` fails reading it ("can't stat"), and
    unless excluded it lands in the build context and in git. A named volume has none
    of these problems.

    ## Example
    ```yaml
    volumes:
      - ./data/db:/var/lib/postgresql/data
    ```
    Use instead:
    ```yaml
    volumes:
      - pgdata:/var/lib/postgresql/data
    ```
    with `pgdata:` under the top-level `volumes:`.

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`./data/db` bind mount and the root-owned folder it leaves)
    - [Docker: volumes](https://docs.docker.com/engine/storage/volumes/)
    """
    yield from once_per_line(_violations(project))


def _violations(project: Project) -> Iterator[tuple[str, Violation]]:
    """What the rule reports, with the service each finding is about."""
    if copied_elsewhere(project):
        return  # the folder is the installer's, beside the copy of the file they run, not the project's
    for service, kind, mount, source in data_mounts(project):
        if never_deployed(project, mount.location.path):
            continue  # a test, CI or editor stack's database
        if project.gitignores_folder(source) and _kept_out(project, source):
            continue  # a folder the developer chose: kept out of git and of images
        mounted = project.display(Path(mount.source) if mount.source else source)
        yield service.name, Violation(mount.location, f"service {service.name}: the {kind} data directory "
                                                      f"{mount.target} is bind-mounted from {mounted} "
                                                      f"inside the project; use a named volume")


def _kept_out(project: Project, folder: Path) -> bool:
    """Whether no image the project builds takes the folder: its Dockerfile copies no whole context holding it, or
    its ``.dockerignore`` excludes it."""
    for build in project.builds:
        if not folder.is_relative_to(build.context) or copies_context(build) is None:
            continue
        ignore = project.dockerignore(build)
        if ignore is None or not ignore.excludes(folder.relative_to(build.context).as_posix()):
            return False
    return True
