"""The databases the settings configure and the database servers the compose file runs."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from djlint_docker.images import data_service, parse_image
from djlint_docker.parse.compose import Service
from djlint_docker.parse.settings import Unknown
from djlint_docker.project import DJANGO_PROGRAMS, DjangoRun, Project, Settings
from djlint_docker.rules.settings._bindings import environment_unknown

SQL_SERVERS = {"PostgreSQL", "MySQL", "MariaDB"}
PASSWORD_VARIABLES = ("POSTGRES_PASSWORD", "MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD", "MARIADB_PASSWORD",
                      "MARIADB_ROOT_PASSWORD")
"""The variables an official database image creates its accounts' passwords from."""
INIT_SCRIPTS = "/docker-entrypoint-initdb.d"
SCRIPT_PASSWORD = re.compile(r"\b(?:PASSWORD|IDENTIFIED\s+BY)\s+'([^'\n]{1,200})'", re.I)
"""A password an init script gives an account: ``CREATE USER app WITH PASSWORD 'pw'``, MySQL's ``IDENTIFIED BY``."""
MAX_INIT_SCRIPTS = 20


def sql_databases(project: Project) -> Iterator[tuple[Service, str]]:
    """The services that run a SQL database server, with its kind."""
    for service in project.services:
        kind = sql_server(service)
        if kind is not None:
            yield service, kind


def sql_server(service: Service) -> str | None:
    """The kind of SQL database server a service runs from a published image (``PostgreSQL``), else None."""
    known = data_service(service.image.value if service.image else None)
    return known.kind if known is not None and known.kind in SQL_SERVERS and service.build is None else None


def mounts_init_scripts(db: Service) -> bool:
    """Whether the database runs init scripts on its first start: the folder ``/docker-entrypoint-initdb.d`` or a
    single script in it is mounted (``./init-user-db.sh:/docker-entrypoint-initdb.d/init-user-db.sh``)."""
    return any(_init_script_mount(mount.target) for mount in db.volumes)


def _init_script_mount(target: str) -> bool:
    return target.rstrip("/") == INIT_SCRIPTS or target.startswith(INIT_SCRIPTS + "/")


def container_passwords(project: Project) -> set[str]:
    """The passwords the setup's own database containers create their accounts with: the
    ``POSTGRES_PASSWORD``-like variables of the compose file's services (an official image's or one built from
    it, whose Dockerfile may set them with ``ENV``), and the passwords of the init scripts they mount; those of the
    other setups of the project too (a Dockerfile's setup shares the settings the compose file's runs)."""
    found: set[str] = set()
    for owner, db in ((each, service) for each in (project, *project.related) for service in each.services):
        # with the .env of the stack that runs it, over the ENV of the image it builds
        env = {**owner.image_environment(owner.build_for(db)), **owner.service_environment(db)}
        found.update(value for name in PASSWORD_VARIABLES if (value := env.get(name)))
        for mount in db.volumes:
            if mount.type == "bind" and mount.source and _init_script_mount(mount.target):
                for script in _scripts(Path(mount.source)):
                    found.update(SCRIPT_PASSWORD.findall(project.text(script, quiet=True) or ""))
    return found


def trusting_hosts(project: Project) -> set[str]:
    """The names (service, ``hostname:``, ``container_name:``) of the setup's PostgreSQL containers that trust every
    connection (``POSTGRES_HOST_AUTH_METHOD=trust``): the password a client gives them is never checked."""
    found: set[str] = set()
    for db in project.services:
        if (project.service_environment(db).get("POSTGRES_HOST_AUTH_METHOD") or "").strip().lower() == "trust":
            found.add(db.name)
            found.update(name for key in ("hostname", "container_name")
                         if (name := project.written_value(db, key)) is not None)
    return found


def _scripts(source: Path) -> list[Path]:
    """The file a mount names, or the first files of the folder it names."""
    if os.path.isfile(source):
        return [source]
    try:
        return sorted(entry for entry in source.iterdir() if entry.is_file())[:MAX_INIT_SCRIPTS]
    except OSError:
        return []


FILE_ENGINES = ("sqlite3", ".dummy", "spatialite")
"""Database backends that connect to no server (SQLite, SpatiaLite, Django's dummy backend)."""


def database_hosts(project: Project, service: Service) -> set[str] | None:
    """The hosts the ``DATABASES`` of the settings a Django service runs connect to, under its environment.

    SQLite and Django's dummy backend (an empty entry: ``dj_database_url.config()`` where no URL is set) connect to
    none; an entry without ``HOST`` connects
    to ``localhost``. None when it cannot be known: no settings module found, an
    environment each clone makes, ``DATABASES`` or an entry's engine or host unknown.
    The environment alone says nothing: ``DB_HOST=db`` connects nowhere when the settings
    do not read it. Worked out once per service and run: several rules ask.
    """
    return project.once((__name__, service.name), lambda: _database_hosts(project, service))


def _database_hosts(project: Project, service: Service) -> set[str] | None:
    runs = [run for run in project.django_runs if run.service is service]
    if not runs or any(not run.settings or environment_unknown(project, run) for run in runs):
        return None
    hosts: set[str] = set()
    for run in runs:
        for settings in run.settings:
            try:
                value = run.setting(settings, "DATABASES")
            except Unknown:
                return None
            if not isinstance(value, dict) or not value:
                return None
            for entry in value.values():
                if entry == {}:
                    continue  # `dj_database_url.config()` with no URL: Django's dummy backend, which connects nowhere
                engine = entry.get("ENGINE") if isinstance(entry, dict) else None
                host = entry.get("HOST", "") if isinstance(entry, dict) else None
                if isinstance(entry, dict) and "ENGINE" in entry and engine is None:
                    continue  # `os.environ.get("SQL_ENGINE")` the environment leaves unset: Django stops, connecting
                    # to nothing ("settings.DATABASES is improperly configured")
                if not isinstance(engine, str) or not engine:
                    return None
                if engine.endswith(FILE_ENGINES):
                    continue
                if not isinstance(host, str):
                    return None
                hosts.add(host.rsplit(":", 1)[0] if host and not host.startswith("/") else host or "localhost")
    return hosts


def databases(run: DjangoRun, settings: Settings) -> dict[str, dict[str, Any]]:
    """The ``DATABASES`` a container computes, or {} when it cannot be known."""
    try:
        value = run.setting(settings, "DATABASES")
    except Unknown:
        return {}
    if not isinstance(value, dict):
        return {}
    return {alias: entry for alias, entry in value.items() if isinstance(entry, dict)}


def unused_database(project: Project, service: Service) -> bool:
    """Whether a SQL database service serves nothing: the settings of every Django service are known and use SQLite
    alone (no server at all: one naming ``localhost`` for the database is DJC306's mistake, not a choice), and no
    other service depends on it or links to it but an admin UI that shows it (pgAdmin, Adminer). Its volume, tag and
    port are moot; the SQLite settings are DJC305's."""
    known = data_service(service.image.value if service.image else None)
    if known is None or known.kind not in SQL_SERVERS:
        return False
    django = [other for other in project.services if project.runs_django(other)]
    if not django or _used_by_another_application(project, service, django):
        return False
    for other in django:
        if database_hosts(project, other) != set():
            return False
    return True


def another_applications(project: Project, service: Service) -> bool:
    """Whether a SQL database service is another application's: a service that runs no Django and is no admin UI
    depends on it or links to it (``wordpress`` with ``links: [mariadb:mysql]``), and no Django service does. The
    project's settings are not meant to use it."""
    django = [other for other in project.services if project.runs_django(other)]
    return not any(service.name in other.linked for other in django) \
        and _used_by_another_application(project, service, django)


def _used_by_another_application(project: Project, service: Service, django: list[Service]) -> bool:
    """Whether a service that runs no Django (``django`` are those that do) and is no admin UI depends on the
    service or links to it."""
    return any(service.name in other.linked for other in project.services
               if other not in django and not _admin_tool(other))


ADMIN_TOOLS = re.compile(r"(?:^|/)(?:pgadmin4?|adminer|phpmyadmin|mongo-express|redis-commander|redisinsight)$")
"""Database admin UIs: one that depends on the database shows it, and keeps no data of the project's there."""


def _admin_tool(service: Service) -> bool:
    """Whether the service runs a database admin UI (``dpage/pgadmin4``, ``adminer``)."""
    return service.image is not None and ADMIN_TOOLS.search(parse_image(service.image.value).repository) is not None


def database_scheduler(project: Project, service: Service) -> bool:
    """Whether the settings the service runs make celery beat read its schedule from the database."""
    for run in project.django_runs:
        if run.service is not service:
            continue
        for settings in run.settings:
            for name in ("CELERY_BEAT_SCHEDULER", "CELERY_beat_scheduler", "beat_scheduler"):
                if name not in settings.bindings:
                    continue
                try:
                    value = run.setting(settings, name)
                except Unknown:
                    return True  # read from the environment: it may well be the database's
                if isinstance(value, str) and "DatabaseScheduler" in value:
                    return True
    return False


def schedules_from_the_database(project: Project, service: Service, words: tuple[str, ...]) -> bool:
    """Whether a ``celery ... beat`` command reads its schedule from the database (django-celery-beat's
    ``DatabaseScheduler``, ``-S django`` for short)."""
    shorthand = any(word in {"-S", "--scheduler"} and following == "django"
                    for word, following in zip(words, words[1:], strict=False)) or "--scheduler=django" in words
    return shorthand or any("DatabaseScheduler" in word or "django_celery_beat" in word for word in words) \
        or database_scheduler(project, service)


def never_opens_the_database(project: Project, service: Service) -> bool:
    """Whether every command the container runs that loads Django is Celery beat on its own schedule file, or
    Flower: neither opens the database the settings name (the script's other lines, `rm -f celerybeat.pid`, load
    nothing)."""
    runs = project.container_commands(service, project.build_for(service))
    commands = [run.command.words for run in runs if any(
        DJANGO_PROGRAMS.fullmatch(word.rsplit("/", 1)[-1]) for word in run.command.words[:MAX_CELERY_WORD])]
    return bool(commands) and all(
        words[0].rsplit("/", 1)[-1] == "flower" or "celery" in words[:MAX_CELERY_WORD] and (
            "flower" in words or "beat" in words and not schedules_from_the_database(project, service, words))
        for words in commands)


MAX_CELERY_WORD = 4  # where `celery` stands in a command that runs it: `python -m celery`, `poetry run celery`
