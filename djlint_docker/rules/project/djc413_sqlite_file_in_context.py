"""DJC413 sqlite-file-in-context: A SQLite database file is copied into the image."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerignore import parse_dockerignore
from djlint_docker.parse.settings import Unknown
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, ImageBuild, Project
from djlint_docker.records import replaced
from djlint_docker.registry import Example, rule
from djlint_docker.rules.project._context import copies_context
from djlint_docker.rules.snippets import COPY_ALL, MANAGE

POSTGRES_PROJECT: dict[str, str | bytes] = {
    "Dockerfile": COPY_ALL + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE, ".dockerignore": ".git\n",
    "db.sqlite3": b"SQLite format 3\x00", "app/__init__.py": "",
    "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"}
"""An image that serves ``app.wsgi``, with a ``db.sqlite3`` in its context: add ``app/settings.py``."""


@rule("DJC413", "sqlite-file-in-context", Severity.WARNING, cross=True, examples=[
    Example("startproject-database", {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n",
                                      "db.sqlite3": b"SQLite format 3\x00"}, expect=(("Dockerfile", 5),)),
    Example("excluded", {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": "*.sqlite3\n",
                         "db.sqlite3": b"SQLite format 3\x00"}),
    Example("root-only-pattern-and-a-deeper-database", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n*.sqlite3\n",
        "data/db.sqlite3": b"SQLite format 3\x00"}, expect=(("Dockerfile", 5),)),
    Example("deeper-database-excluded-anywhere", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/*.sqlite3\n",
        "data/db.sqlite3": b"SQLite format 3\x00"}),
    Example("two-dockerfiles-one-context-reported-once", {
        "Dockerfile": COPY_ALL, "Dockerfile.prod": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n",
        "compose.yaml": "services:\n  web:\n    build: .\n  worker:\n    build:\n      context: .\n"
                        "      dockerfile: Dockerfile.prod\n",
        "cache.sqlite": b"SQLite format 3\x00"}, expect=(("Dockerfile", 5),)),
    Example("own-ignore-file-of-one-dockerfile-leaves-the-other-sending-it", {
        "Dockerfile": COPY_ALL, "Dockerfile.prod": COPY_ALL, "Dockerfile.dockerignore": "*.sqlite3\n",
        "manage.py": MANAGE, "db.sqlite3": b"SQLite format 3\x00",
        "compose.yaml": "services:\n  web:\n    build: .\n  worker:\n    build:\n      context: .\n"
                        "      dockerfile: Dockerfile.prod\n"}, expect=(("Dockerfile.prod", 5),)),
    # runserver created db.sqlite3 before the project moved to PostgreSQL: no container opens it
    Example("settings-on-postgresql", {
        **POSTGRES_PROJECT, "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',"
                                               " 'HOST': 'db', 'NAME': 'app'}}\n"}),
    Example("settings-on-sqlite", {
        **POSTGRES_PROJECT, "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',"
                                               " 'NAME': 'db.sqlite3'}}\n"}, expect=(("Dockerfile", 5),)),
    Example("empty-file", {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n", "db.sqlite3": b""}),
    Example("named-copies", {"Dockerfile": "FROM python:3.12-slim\nCOPY app /app\n", "manage.py": MANAGE,
                             "db.sqlite3": b"SQLite format 3\x00"}),
])
def sqlite_file_in_context(project: Project) -> Iterator[Violation]:
    """A SQLite database file is copied into the image.

    ## What it does
    Reports a `db.sqlite3` (or other `*.sqlite3`/`*.sqlite` file) in a build context that
    the Dockerfile copies whole, when `.dockerignore` does not exclude it; a pattern such
    as `*.sqlite3` matches at the context's root only, so a database in a subfolder needs
    `**/*.sqlite3`. Dockerfiles built from one context with one `.dockerignore` are reported
    once; a Dockerfile with an ignore file of its own (`Dockerfile.prod.dockerignore`) is
    checked with it. An empty file holds nothing and is not reported, nor is a file the
    containers of the image never open: the settings each of them loads name databases of
    another engine (PostgreSQL, the SQLite block commented out; or a `DATABASE_URL` its
    start script exports as `postgres://...`, as cookiecutter-django's entrypoint does), or
    its services run no Django (a documentation server); it is then only weight in
    the context, which DJC401 and DJC402 are about.

    ## Why is this bad?
    The developer's database, with its users and password hashes, ships in the image;
    the container starts with stale data that is overwritten by the next build, and
    writes to it are lost with the container.

    ## Example
    ```
    COPY . .
    ```
    with `db.sqlite3` next to `manage.py`. Use instead: add `*.sqlite3` to
    `.dockerignore` and keep the database in a volume.

    ## References
    - [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
      (`db.sqlite3` listed in `.dockerignore`)
    """
    seen: set[tuple[Path, Path | None]] = set()
    for build in project.builds:
        copy = copies_context(build)
        sent = (build.context, project.dockerignore_path(build))
        if copy is None or sent in seen:
            continue  # Dockerfiles of one context and one .dockerignore: what they send is reported once
        seen.add(sent)
        if _opens_another_database(project, build):
            continue  # dead weight in the image (DJC401's concern), not data the site reads or writes
        entries = [e for e in project.context_entries(build) if not e.is_dir and SQLITE_FILE.match(e.name)
                   and _holds_data(e.path)]
        if entries:
            files = [e.path for e in entries]
            shown = ", ".join(project.display(p) for p in files[:3])
            deeper = any("/" in e.relative for e in entries)
            suffixes = sorted({"*." + e.name.rsplit(".", 1)[1] for e in entries})
            pattern = ", ".join(("**/" if deeper else "") + suffix for suffix in suffixes)
            ignore = project.dockerignore(build)
            rooted = next((p for p in ignore.patterns if not p.exclusion and "/" not in p.text and any(
                parse_dockerignore(p.text).excludes(e.name) for e in entries)), None) if ignore and deeper else None
            note = f" (`{rooted.text}` on line {rooted.line} matches at the context's root only)" if rooted else ""
            yield Violation(copy, f"{shown} is copied into the image: the SQLite data the developer's machine wrote "
                                  f"ships with it; add {pattern} to .dockerignore{note}", related=(Location(files[0]),))


SQLITE_FILE = re.compile(r".*\.sqlite3?$")


def _opens_another_database(project: Project, build: ImageBuild) -> bool:
    """Whether every container of the image is known to run Django on databases of another engine (the settings
    name PostgreSQL, the SQLite block commented out, or read the database URL the start script exports as
    ``postgres://...``): the file is then no data of the site. Settings a container loads by a name djcheck cannot
    read (an env file each clone makes) are any of the project's settings modules."""
    runs = [run for run in project.django_runs if run.build is not None
            and (run.build.dockerfile_path, run.build.context) == (build.dockerfile_path, build.context)]
    services = [project.stack.services[name] for name in build.services
                if project.stack is not None and name in project.stack.services]
    if not runs and services:
        return True  # its services run no Django (a documentation server's sphinx): nothing opens the database
    engines: list[str] = []
    for run in runs:
        exported = _exported_urls(project, run)
        candidates = run.settings or (tuple(project.settings) if exported else ())
        if not candidates:
            return False
        with_urls = replaced(run, environment={**run.environment, **exported})
        for settings in candidates:
            try:
                value = with_urls.setting(settings, "DATABASES")
            except Unknown:
                value = None
            entries = [entry for entry in value.values() if isinstance(entry, dict)] if isinstance(value, dict) else []
            engines += [str(entry.get("ENGINE", "")) for entry in entries] or ["unknown"]
    return bool(engines) and all(engine and engine != "unknown" and "sqlite" not in engine for engine in engines)


EXPORTED_DATABASE_URL = re.compile(r"(\w*(?:DATABASE|DB)_URL)=[\"']?([a-z][\w+.-]*)://", re.I)
"""A start script's ``export DATABASE_URL="postgres://${POSTGRES_USER}:...@${POSTGRES_HOST}/..."``: its address is
the environment's, its scheme (the engine) the script's own."""


def _exported_urls(project: Project, run: DjangoRun) -> dict[str, str]:
    """The database URLs a container's start script exports, each as a URL of its scheme (cookiecutter-django's
    entrypoint builds ``DATABASE_URL`` from ``POSTGRES_*``: PostgreSQL whatever they hold)."""
    found: dict[str, str] = {}
    for command in project.container_commands(run.service, run.build):
        if command.script is not None and command.runs is True and command.command.words[:1] == ("export",):
            for word in command.command.words[1:]:
                if (url := EXPORTED_DATABASE_URL.match(word)) is not None:
                    found[url.group(1)] = f"{url.group(2).lower()}://user:password@database:5432/site"
    return found


def _holds_data(path: Path) -> bool:
    """Whether a SQLite file holds anything (an empty ``db.sqlite3`` committed by ``touch`` ships nothing)."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return True
