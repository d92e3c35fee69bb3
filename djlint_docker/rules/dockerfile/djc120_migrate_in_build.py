"""DJC120 migrate-in-build: `migrate`, `createsuperuser` or `loaddata` run at build time on a SQLite database."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import PurePosixPath

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Instruction
from djlint_docker.parse.shell import Command
from djlint_docker.project import DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._databases import databases
from djlint_docker.rules.snippets import MANAGE, POSTGRES_SERVICE, POSTGRES_SETTINGS, REQUIREMENTS_DOCKERFILE

DATA_COMMANDS = {"migrate", "createsuperuser", "loaddata"}
SQLITE_SETTINGS = ("from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                   "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.sqlite3',\n"
                   "        'NAME': BASE_DIR / 'db.sqlite3',\n    }\n}\n")
MIGRATING_DOCKERFILE = REQUIREMENTS_DOCKERFILE + (
    "RUN python manage.py migrate --noinput && python manage.py loaddata initial_pages.json\n"
    "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n")


@rule("DJC120", "migrate-in-build", Severity.WARNING, cross=True, examples=[
    Example("migrate-and-loaddata-on-sqlite", {
        "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"8000:8000\"\n",
        "Dockerfile": MIGRATING_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": SQLITE_SETTINGS},
        expect=(("Dockerfile", 7),)),
    Example("image-alone", {"Dockerfile": MIGRATING_DOCKERFILE.replace(
        "loaddata initial_pages.json", "createsuperuser --noinput"), "manage.py": MANAGE,
        "app/settings.py": SQLITE_SETTINGS}, expect=(("Dockerfile", 7),)),
    Example("postgres-at-run-time", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\n"
                        "volumes:\n  pg:\n",
        "Dockerfile": MIGRATING_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS}),
    Example("database-in-a-volume", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - sqlite:/app/data\nvolumes:\n"
                        "  sqlite:\n",
        "Dockerfile": MIGRATING_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": SQLITE_SETTINGS.replace("BASE_DIR / 'db.sqlite3'", "'/app/data/db.sqlite3'")}),
    Example("source-bind-mounted", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n",
        "Dockerfile": MIGRATING_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": SQLITE_SETTINGS}),
    Example("collectstatic-only", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "RUN python manage.py collectstatic --noinput\n",
        "manage.py": MANAGE, "app/settings.py": SQLITE_SETTINGS}),
])
def migrate_in_build(project: Project) -> Iterator[Violation]:
    """`migrate`, `createsuperuser` or `loaddata` run at build time on a SQLite database.

    ## What it does
    Reports a `RUN` of the final image that runs `manage.py` (or `django-admin`)
    `migrate`, `createsuperuser` or `loaddata` when the settings the image's containers
    load use SQLite, evaluated with each container's environment, and no container keeps
    the database file in a volume or a bind mount of the source. When a container's
    database is a server (PostgreSQL, MySQL) or cannot be known, nothing is reported.

    ## Why is this bad?
    The database file is written into an image layer. Every container starts from the
    build's copy: what users write lives in the container's writable layer and is lost
    when it is recreated (`docker compose up --build`, a deploy), and each rebuild resets
    the data to what the build made. A superuser created at build has its password in the
    image for anyone who pulls it.

    ## Example
    ```dockerfile
    RUN python manage.py migrate --noinput && python manage.py loaddata initial_pages.json
    ```
    with `DATABASES` on `db.sqlite3`. Use instead: run them when the container starts
    (an entrypoint script) and keep the SQLite file in a volume:
    ```yaml
    services:
      web:
        volumes:
          - sqlite:/app/data
    ```

    ## References
    - [Django: SQLite notes](https://docs.djangoproject.com/en/stable/ref/databases/#sqlite-notes)
    - [Docker: volumes](https://docs.docker.com/engine/storage/volumes/)
      (data written in a container's writable layer does not persist when the container is removed)
    """
    for build, dockerfile in project.dockerfiles:
        stage = dockerfile.final
        found = [(instruction, command) for member in dockerfile.lineage(stage) for instruction in member.all("RUN")
                 if (command := _data_command(instruction)) is not None]
        if not found:
            continue  # the settings and the mounts are read only for an image that runs one
        runs = [run for run in project.django_runs if run.build is build]
        if not runs or project.source_mounted(build):
            continue
        sqlite = [_sqlite_file(run) for run in runs]
        if any(path is None for path in sqlite):
            continue
        workdir = dockerfile.workdir_after(stage)
        if any(_kept(run, path or "", workdir) for run, path in zip(runs, sqlite, strict=True)):
            continue
        for instruction, command in found:
            yield Violation(dockerfile.at(instruction),
                            f"`manage.py {command}` runs at build time on SQLite ({sqlite[0] or 'db.sqlite3'}): the "
                            f"database is baked into the image, so each rebuild resets it and a recreated container "
                            f"loses what was written; run it at start with the file in a volume")


def _data_command(instruction: Instruction) -> str | None:
    for command in instruction.commands:
        if _manage(command):
            for word in command.words[1:6]:
                if word in DATA_COMMANDS:
                    return word
    return None


def _manage(command: Command) -> bool:
    return any(posixpath.basename(word) in {"manage.py", "django-admin"} for word in command.words[:3])


def _sqlite_file(run: DjangoRun) -> str | None:
    """The SQLite file of every settings module the container loads ("" when its name is unknown); None otherwise."""
    names = []
    for settings in run.settings:
        default = databases(run, settings).get("default")
        if default is None or "sqlite" not in str(default.get("ENGINE", "")):
            return None
        name = default.get("NAME")
        names.append(str(name) if isinstance(name, (str, PurePosixPath)) else "")
    return names[0] if names else None


def _kept(run: DjangoRun, path: str, workdir: str) -> bool:
    """Whether the container keeps the database outside the image: a mount over its file (or the code, unknown)."""
    if run.service is None:
        return False
    folder = posixpath.dirname(path) if path.startswith("/") else workdir
    targets = [mount.target.rstrip("/") for mount in run.service.volumes if mount.target]
    return any(folder == target or folder.startswith(target + "/") for target in targets)
