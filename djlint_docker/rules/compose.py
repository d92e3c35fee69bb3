"""DJC2xx: the compose file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from djlint_docker.compose_edits import add_depends_on
from djlint_docker.edits import delete_lines, line_start, line_text
from djlint_docker.findings import Fix, Severity, Violation
from djlint_docker.images import covers, data_service, parse_image
from djlint_docker.parse.compose import Service
from djlint_docker.parse.settings import Unknown
from djlint_docker.parse.shell import runserver
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._mounts import data_dirs as _data_dirs
from djlint_docker.rules.compose._mounts import data_mounts
from djlint_docker.rules.compose._mounts import persistent_databases as _persistent_databases
from djlint_docker.rules.dockerfile import bind_all_fix, secret_name
from djlint_docker.rules.snippets import MANAGE

DOCKERFILE = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY requirements.txt .\n"
              "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n")
TUTORIAL = """\
services:
  db:
    image: postgres
    volumes:
      - ./data/db:/var/lib/postgresql/data
    environment:
      - POSTGRES_DB=postgres
      - POSTGRES_USER=postgres
      - POSTGRES_PASSWORD=postgres
  web:
    build: .
    command: python manage.py runserver 0.0.0.0:8000
    volumes:
      - .:/code
    ports:
      - "8000:8000"
"""
WITH_ASSETS = ("FROM node:20-slim AS assets\nWORKDIR /app\nCOPY package.json .\nRUN npm install\nCOPY . .\n"
               "CMD [\"npm\", \"run\", \"build\"]\n\nFROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\n"
               "COPY . .\nCOPY --from=assets /app/dist /app/static\nCMD [\"gunicorn\", \"app.wsgi\"]\n")
ASSETS_COMPOSE = ("services:\n  db:\n    image: postgres:16\n  assets:\n    build:\n      context: .\n"
                  "      target: assets\n    command: npm run watch:css\n    environment:\n      DATABASE_URL: postgres://app:${PW}@db/app\n"
                  "  worker:\n    build: .\n    command: celery -A app worker\n    environment:\n"
                  "      DATABASE_URL: postgres://app:${PW}@db/app\n")
TASK_RUNNER = ("#!/usr/bin/env bash\nbuild-js() { node build.js; }\nmanage() {\n  python3 manage.py \"$@\"\n}\n"
               "\"$@\"\n")
TASK_RUNNER_IMAGES = ("FROM node:22-slim AS assets\nWORKDIR /app/assets\nCOPY . ..\nCMD [\"bash\"]\n\n"
                      "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n")
PRODUCTION = """\
services:
  db:
    image: postgres:16-alpine
    volumes:
      - pgdata:/var/lib/postgresql/data
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
  web:
    build: .
    environment:
      DATABASE_URL: postgres://app:${POSTGRES_PASSWORD}@db:5432/app
    depends_on:
      db:
        condition: service_healthy
    ports:
      - "8000:8000"
volumes:
  pgdata:
"""


@rule("DJC201", "compose-runserver-without-bind", Severity.ERROR, fix="safe", examples=[
    Example("bare-runserver", {"compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver\n"
                                               "    ports:\n      - \"8000:8000\"\n",
                               "Dockerfile": DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("list-form-port-only", {
        "compose.yaml": "services:\n  web:\n    image: python:3.12\n    command: [\"python\", \"manage.py\", \"runserver\", \"8000\"]\n",
        "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("sh-c-chain", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: >\n      sh -c \"python manage.py migrate &&\n"
                        "             python manage.py runserver localhost:8000\"\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("tutorial-binds-all", {"compose.yaml": TUTORIAL, "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("interpolated-address", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:${PORT:-8000}\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
])
def compose_runserver_without_bind(project: Project) -> Iterator[Violation]:
    """A service's `command:` runs `runserver` on the container's loopback.

    ## What it does
    Checks each service's `command:` and `entrypoint:` (string or list, `sh -c "…"`
    chains included) for `manage.py runserver` without an address that binds every
    interface (`0.0.0.0:PORT`, `0:PORT`, `[::]:PORT`).

    ## Why is this bad?
    Django then listens on 127.0.0.1 inside the container; the published port reaches
    the container's network interface where nothing listens, and the page does not load.

    ## Example
    ```yaml
    command: python manage.py runserver
    ```
    Use instead:
    ```yaml
    command: python manage.py runserver 0.0.0.0:8000
    ```

    ## Fix safety
    Safe: `0.0.0.0` is added and the port kept.

    ## References
    - Seeds 000 and 001 (`runserver 0.0.0.0:8000` in the compose file)
    - Seed 003 (0.0.0.0 makes the server reachable through the port mapping)
    """
    for start in project.start_commands:
        if start.service is None:
            continue
        for command in start.commands:
            server = runserver(command)
            if server is not None and server.loopback_only:
                yield Violation(start.location, f"service {start.service.name}: `runserver` binds {server.shown()}, "
                                                f"the container's loopback only; bind {server.suggested()}",
                                fix=bind_all_fix(project, start.location, server))


HOST_VARIABLE = re.compile(r"(HOST|HOSTNAME|SERVER|ADDR|ADDRESS)$", re.I)
DATA_VARIABLE = re.compile(r"DB|DATABASE|SQL|POSTGRES|PG|MYSQL|MARIA|MONGO|REDIS|CACHE|BROKER|CELERY|RABBIT|AMQP|"
                           r"MEMCACHE|VALKEY", re.I)
DATA_SCHEMES = re.compile(r"^(postgres|postgresql|pgsql|psql|postgis|mysql|mysql2|mariadb|mongodb|redis|rediss|valkey|"
                          r"amqp|amqps|pymemcache|memcache|memcached)(\+\w+)?$", re.I)


def _host(value: str) -> tuple[str, str]:
    """The scheme ("" when not a URL) and the host of a URL or of ``host[:port]`` ("" if unreadable)."""
    if "://" not in value:
        return "", value.split(":")[0]
    try:
        url = urlsplit(value)
        return url.scheme, url.hostname or ""
    except ValueError:
        return "", ""


def _hosts_in_environment(service: Service) -> Iterator[tuple[str, Location, str]]:
    """(host, location, how) for the database, cache and broker hosts in the service's environment."""
    for name, entry in service.environment.items():
        value = (entry.value or "").strip()
        if not value:
            continue
        scheme, host = _host(value)
        if "://" in value:
            if host and (DATA_SCHEMES.match(scheme) or DATA_VARIABLE.search(name)):
                yield host, entry.location, f"{name}={value}"
        elif HOST_VARIABLE.search(name) and DATA_VARIABLE.search(name):
            yield host, entry.location, f"{name}={value}"


BROKER_SETTING = re.compile(r"(BROKER_URL|RESULT_BACKEND|REDIS_URL|CACHE_URL)$")


def _hosts_in_settings(run: DjangoRun) -> Iterator[tuple[str, Location, str]]:
    """(host, location, how) for the database, cache and broker hosts the settings name, under the run's environment.

    Reads the ``HOST`` of ``DATABASES``, the ``LOCATION`` of ``CACHES`` and URL settings
    such as ``CELERY_BROKER_URL`` and ``CELERY_RESULT_BACKEND``.
    """
    for settings in run.settings:
        names = ["DATABASES", "CACHES"] + [name for name in settings.bindings if BROKER_SETTING.search(name)]
        for setting in names:
            binding = settings.bindings.get(setting)
            try:
                value = run.setting(settings, setting)
            except Unknown:
                continue
            assert binding is not None
            if isinstance(value, str):
                locations = [value]
            elif isinstance(value, dict):
                key = "HOST" if setting == "DATABASES" else "LOCATION"
                locations = [alias.get(key) for alias in value.values() if isinstance(alias, dict)]
            else:
                continue
            for location in locations:
                if isinstance(location, str) and location:
                    _, host = _host(location)
                    if host:
                        yield host, Location(binding.path, binding.line, binding.column), f"{setting} names {host}"


@rule("DJC202", "missing-depends-on", Severity.ERROR, cross=True, fix="safe", examples=[
    Example("tutorial-settings-host", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                        "  web:\n    build: .\n    ports:\n      - \"8000:8000\"\nvolumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
                           "        'HOST': 'db',\n        'PORT': 5432,\n    }\n}\n"}, expect=(("compose.yaml", 6),)),
    Example("database-url", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      - DATABASE_URL=postgres://u:${PW}@db:5432/app\n"
                        "      - CELERY_BROKER_URL=redis://redis:6379/0\n    depends_on:\n      - db\n"
                        "  db:\n    image: postgres:16\n  redis:\n    image: redis:7\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 2),)),
    Example("host-from-environment", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DB_HOST: postgres\n"
                        "  postgres:\n    image: postgres:16\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'HOST': os.environ.get('DB_HOST', 'localhost')}}\n"},
        expect=(("compose.yaml", 2),)),
    Example("celery-broker-in-settings", {
        "compose.yaml": "services:\n  worker:\n    build: .\n    command: celery -A app worker\n"
                        "  redis:\n    image: redis:7.4\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nCELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://redis:6379/0')\n"},
        expect=(("compose.yaml", 2),)),
    Example("memcached-cache", {
        "compose.yaml": "services:\n  web:\n    build: .\n  memcached:\n    image: memcached:1.6\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',"
                           " 'LOCATION': 'memcached:11211'}}\n"}, expect=(("compose.yaml", 2),)),
    Example("has-depends-on", {"compose.yaml": PRODUCTION, "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("mail-and-other-hosts", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      EMAIL_HOST: mailpit\n"
                        "      SENTRY_DSN: https://key@sentry:9000/1\n  mailpit:\n    image: axllent/mailpit:v1.20\n"
                        "  sentry:\n    image: getsentry/sentry:24.1.0\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("links-imply-order", {
        "compose.yaml": "services:\n  web:\n    build: .\n    links:\n      - db\n    environment:\n      DB_HOST: db\n"
                        "  db:\n    image: postgres:16\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("external-host", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DATABASE_URL: postgres://u:${PW}@db.example.com/app\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("worker-beside-an-asset-service", {"compose.yaml": ASSETS_COMPOSE, "Dockerfile": WITH_ASSETS,
                                                "manage.py": MANAGE}, expect=(("compose.yaml", 11),)),
    Example("asset-service", {"compose.yaml": ASSETS_COMPOSE + "    depends_on: [db]\n", "Dockerfile": WITH_ASSETS,
                              "manage.py": MANAGE}),
    Example("task-runner-script", {
        "compose.yaml": "services:\n  js:\n    build: {context: ., target: assets}\n    command: ../run build-js\n"
                        "  web:\n    build: .\n    depends_on: [db]\n"
                        "  db:\n    image: postgres:16\n",
        "run": TASK_RUNNER, "Dockerfile": TASK_RUNNER_IMAGES, "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"}),
    Example("task-runner-runs-django", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: ./run manage migrate\n"
                        "  db:\n    image: postgres:16\n",
        "run": TASK_RUNNER, "Dockerfile": TASK_RUNNER_IMAGES, "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"},
        expect=(("compose.yaml", 2),)),
])
def missing_depends_on(project: Project) -> Iterator[Violation]:
    """A service connects to another service but does not depend on it.

    ## What it does
    For each service that runs Django (its command, entrypoint or image runs
    `manage.py`, a WSGI/ASGI server or celery; a Python image that names no command
    counts, an asset, proxy or database image built beside it does not), finds the
    database, cache and broker services it talks to: host names in its
    `environment:` (URLs such as `DATABASE_URL` or `CELERY_BROKER_URL`, and variables
    such as `DB_HOST` or `REDIS_HOST`), the `HOST` of `DATABASES`, the `LOCATION` of
    `CACHES` (Redis, Memcached) and broker URLs such as `CELERY_BROKER_URL` in the
    settings, evaluated with the service's environment. Reports each one that is a
    service of the file but missing from `depends_on:` (or `links:`).

    ## Why is this bad?
    Without `depends_on` Compose starts the services in any order: the web container
    may start, fail to connect to the database and exit before the database exists.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16
      web:
        build: .
        environment:
          DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app
    ```
    Use instead:
    ```yaml
      web:
        build: .
        depends_on:
          - db
    ```

    ## Fix safety
    Safe: `depends_on` only orders the start-up. A dependency with a healthcheck is
    waited for with `condition: service_healthy`. A dependency that some profile of
    the service does not enable gets `required: false` (Compose refuses a project
    where an enabled service depends on one it does not enable); no fix when the
    service lists its dependencies as a list, which cannot say so.

    ## References
    - Seeds 000 and 001 (`depends_on: - db` for the web service)
    - [Compose: control startup order](https://docs.docker.com/compose/how-tos/startup-order/)
    """
    by_name = {s.name: s for s in project.services}
    for service in project.services:
        if not project.runs_django(service):
            continue  # an asset, proxy or database image: its environment is not Django's
        dependencies = set(service.depends_on) | set(service.links.value if service.links else ())
        dependencies |= {link.split(":")[0] for link in dependencies}
        references = list(_hosts_in_environment(service))
        for run in project.django_runs:
            if run.service is service:
                references += list(_hosts_in_settings(run))
        reported = set()
        for host, location, how in references:
            if host in by_name and host != service.name and host not in dependencies and host not in reported:
                reported.add(host)
                yield Violation(service.location, f"service {service.name} connects to {host} ({how}) but does not "
                                                  f"depend on it; add `depends_on: [{host}]`", related=(location,),
                                fix=_depends_on_fix(project, service, by_name[host]))


def _depends_on_fix(project: Project, service: Service, dependency: Service) -> Fix | None:
    """``dependency`` added to the service's ``depends_on``, in a form Compose accepts with every profile.

    The service waits for it to be healthy when it has a healthcheck (a started database
    does not yet accept connections). When a profile enables the service without the
    dependency, Compose refuses the project ("depends on undefined service") unless the
    entry says ``required: false``.
    """
    healthy = health_checked(dependency)
    required = always_enabled_with(dependency, service)
    edits = add_depends_on(project, service, dependency.name,
                           "service_healthy" if healthy else "service_started", required)
    return Fix(f"add {dependency.name} to depends_on", edits) if edits else None


def health_checked(service: Service) -> bool:
    """Whether the service's ``healthcheck:`` has a test of its own, not disabled: Compose can wait until healthy."""
    check = service.healthcheck.value if service.healthcheck else None
    if not isinstance(check, dict) or check.get("disable") in (True, "true") or "test" not in check:
        return False
    test = check["test"]
    return bool(test) and test not in ("NONE", ["NONE"])


def always_enabled_with(dependency: Service, service: Service) -> bool:
    """Whether Compose enables ``dependency`` whenever it enables ``service``: every profile of the service is its."""
    return not dependency.profiles or bool(service.profiles) and set(service.profiles) <= set(dependency.profiles)


@rule("DJC204", "compose-version-obsolete", Severity.INFO, fix="safe", examples=[
    Example("version-key", {"docker-compose.yml": "version: \"3.9\"\nservices:\n  web:\n    image: nginx:1.27\n"},
            expect=(("docker-compose.yml", 1),)),
    Example("no-version", {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n"}),
])
def compose_version_obsolete(project: Project) -> Iterator[Violation]:
    """The compose file has a top-level `version:`.

    ## What it does
    Reports the `version:` key of a compose file.

    ## Why is this bad?
    The Compose Specification ignores it, and Compose prints a warning on every run
    ("the attribute `version` is obsolete"). It suggests a schema that no longer exists.

    ## Example
    ```yaml
    version: "3.9"
    services:
    ```
    Use instead:
    ```yaml
    services:
    ```

    ## Fix safety
    Safe: Compose does not read the key.

    ## References
    - Seeds 000 and 001 (compose files that still start with `version: "3.9"`)
    - [Compose: version and name](https://docs.docker.com/reference/compose-file/version-and-name/)
    """
    if project.stack and project.stack.version:
        version = project.stack.version
        text = project.text(version.location.path)
        fix = _remove_version_fix(version.location, text) if text is not None else None
        yield Violation(version.location, f"`version: {version.value}` is obsolete: Compose ignores it and warns; "
                                          f"remove it", fix=fix)


def _remove_version_fix(at: Location, text: str) -> Fix:
    """The ``version:`` line removed, with the blank line after it when nothing but a blank line is above it."""
    last = at.line
    if (at.line == 1 or not line_text(text, at.line - 1).strip()) and not line_text(text, at.line + 1).strip() \
            and line_start(text, at.line + 1) < len(text):
        last += 1
    return Fix("remove `version:`", (delete_lines(at.path, text, at.line, last),))


@rule("DJC205", "db-data-bind-mount", Severity.WARNING, examples=[
    Example("tutorial", {"compose.yaml": TUTORIAL, "Dockerfile": DOCKERFILE, "manage.py": MANAGE},
            expect=(("compose.yaml", 5),)),
    Example("long-syntax-mysql", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    volumes:\n      - type: bind\n"
                        "        source: ./mysql\n        target: /var/lib/mysql\n"}, expect=(("compose.yaml", 5),)),
    Example("named-volume", {"compose.yaml": PRODUCTION, "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("outside-project", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n      - /srv/pg:/var/lib/postgresql/data\n"}),
])
def db_data_bind_mount(project: Project) -> Iterator[Violation]:
    """A database keeps its data in a folder of the project.

    ## What it does
    Reports a bind mount from inside the project folder (`./data/db:/var/lib/postgresql/data`)
    onto the data directory of a PostgreSQL, MySQL, MariaDB or MongoDB service.

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
    - Seed 000 (`./data/db` bind mount and the root-owned folder it leaves)
    - [Docker: volumes](https://docs.docker.com/engine/storage/volumes/)
    """
    for service, kind, mount, source in data_mounts(project):
        yield Violation(mount.location, f"service {service.name}: the {kind} data directory {mount.target} is "
                                        f"bind-mounted from {project.display(source)} inside the project; "
                                        f"use a named volume")


@rule("DJC206", "db-without-volume", Severity.ERROR, examples=[
    Example("no-volume", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                          "      POSTGRES_PASSWORD: ${PW}\n"}, expect=(("compose.yaml", 2),)),
    Example("volume-elsewhere", {"compose.yaml": "services:\n  db:\n    image: mariadb:11\n    volumes:\n"
                                                 "      - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n"},
            expect=(("compose.yaml", 2),)),
    Example("named-volume", {"compose.yaml": PRODUCTION, "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("parent-folder-and-tmpfs", {
        "compose.yaml": "services:\n  db:\n    image: postgres:18\n    volumes:\n      - pg:/var/lib/postgresql\n"
                        "  testdb:\n    image: postgres:16\n    tmpfs:\n      - /var/lib/postgresql/data\n"
                        "volumes:\n  pg: {}\n"}),
])
def db_without_volume(project: Project) -> Iterator[Violation]:
    """A database service has no volume for its data.

    ## What it does
    Reports a PostgreSQL, MySQL, MariaDB or MongoDB service none of whose `volumes:`
    holds its data directory (or `tmpfs:`, for a database meant to be thrown away).

    ## Why is this bad?
    The data lives in the container's anonymous storage: `docker compose down`, a
    recreated container or an image update loses every row.

    ## Example
    ```yaml
    db:
      image: postgres:16
    ```
    Use instead:
    ```yaml
    db:
      image: postgres:16
      volumes:
        - pgdata:/var/lib/postgresql/data
    ```

    ## References
    - Seed 001 (`postgres_data:/var/lib/postgresql/data/` named volume)
    - [Docker Hub: postgres, "Where to Store Data"](https://hub.docker.com/_/postgres)
    """
    for service, kind in _persistent_databases(project):
        data_dirs = _data_dirs(service)
        if any(covers(m.target, d) for m in service.volumes for d in data_dirs) or "tmpfs" in service.keys:
            continue
        yield Violation(service.location, f"service {service.name}: no volume holds the {kind} data directory "
                                          f"{data_dirs[0]}: the data is lost with the container; mount a named volume")


@rule("DJC207", "hardcoded-credentials", Severity.WARNING, examples=[
    Example("tutorial", {"compose.yaml": TUTORIAL, "Dockerfile": DOCKERFILE, "manage.py": MANAGE},
            expect=(("compose.yaml", 9),)),
    Example("password-in-url", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    environment:\n"
                        "      DATABASE_URL: postgres://app:s3cret@db:5432/app\n      SECRET_KEY: abc123\n"},
        expect=(("compose.yaml", 5), ("compose.yaml", 6))),
    Example("interpolated", {"compose.yaml": PRODUCTION, "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("file-and-empty", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n      REDIS_PASSWORD: \"\"\n      API_TOKEN:\n"}),
])
def hardcoded_credentials(project: Project) -> Iterator[Violation]:
    """A password or secret is written into the compose file.

    ## What it does
    Reports `environment:` entries whose name says secret (`*PASSWORD*`, `*SECRET*`,
    `*TOKEN*`, `*API_KEY*`) with a literal value, and URLs with a literal password
    (`postgres://user:password@db/app`). `${VAR}` references, `*_FILE` paths and empty
    values are fine.

    ## Why is this bad?
    The compose file is committed: every clone, fork and CI log has the credential,
    and the same value tends to reach production.

    ## Example
    ```yaml
    environment:
      - POSTGRES_PASSWORD=postgres
    ```
    Use instead:
    ```yaml
    environment:
      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}
    ```
    with the value in an uncommitted `.env`, or `env_file:` / `secrets:`.

    ## References
    - Seed 000 (the same literal password in both services)
    - Seed 002 (configuration from environment variables)
    - [Compose: secrets](https://docs.docker.com/compose/how-tos/use-secrets/)
    """
    for service in project.services:
        for name, entry in service.environment.items():
            raw = entry.raw or ""
            if not raw or "$" in raw:
                continue
            if secret_name(name):
                yield Violation(entry.location, f"service {service.name}: {name} is a literal in the compose file; "
                                                f"use ${{{name}}} from an uncommitted .env, an env_file or a secret")
            elif "://" in raw:
                try:
                    password = urlsplit(raw).password
                except ValueError:
                    continue
                if password:
                    yield Violation(entry.location, f"service {service.name}: {name} carries a literal password; "
                                                    f"interpolate it from ${{VAR}}")


TRUST_SWITCHES = {"MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MARIADB_ALLOW_EMPTY_PASSWORD"}


@rule("DJC208", "db-trust-auth", Severity.WARNING, examples=[
    Example("postgres-trust", {"compose.yaml": "services:\n  db:\n    image: postgres:13\n    volumes:\n"
                                               "      - pg:/var/lib/postgresql/data/\n    environment:\n"
                                               "      - \"POSTGRES_HOST_AUTH_METHOD=trust\"\nvolumes:\n  pg:\n"},
            expect=(("compose.yaml", 7),)),
    Example("mysql-empty", {"compose.yaml": "services:\n  db:\n    image: mysql:5.7\n    environment:\n"
                                            "      MYSQL_ALLOW_EMPTY_PASSWORD: \"yes\"\n"}, expect=(("compose.yaml", 5),)),
    Example("password-auth", {"compose.yaml": PRODUCTION, "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
])
def db_trust_auth(project: Project) -> Iterator[Violation]:
    """The database accepts connections without a password.

    ## What it does
    Reports `POSTGRES_HOST_AUTH_METHOD=trust`, and MySQL/MariaDB's
    `*_ALLOW_EMPTY_PASSWORD` switches, in a service's environment.

    ## Why is this bad?
    Anyone who reaches the port is the database superuser: another container, the
    host's network, or the internet when the port is published.

    ## Example
    ```yaml
    environment:
      - POSTGRES_HOST_AUTH_METHOD=trust
    ```
    Use instead:
    ```yaml
    environment:
      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}
    ```

    ## References
    - Seed 001 (`POSTGRES_HOST_AUTH_METHOD=trust`)
    - Seed 002 (`MYSQL_ALLOW_EMPTY_PASSWORD`)
    - [Docker Hub: postgres, POSTGRES_HOST_AUTH_METHOD](https://hub.docker.com/_/postgres)
    """
    for service in project.services:
        for name, entry in service.environment.items():
            value = (entry.value or "").strip().lower()
            if (name == "POSTGRES_HOST_AUTH_METHOD" and value == "trust") or (
                    name in TRUST_SWITCHES and value not in {"", "no", "false", "0"}):
                yield Violation(entry.location, f"service {service.name}: {name}={entry.value} lets anyone connect "
                                                f"without a password; set a password from ${{VAR}}")


@rule("DJC209", "service-image-unpinned", Severity.WARNING, examples=[
    Example("tutorial-postgres", {"compose.yaml": TUTORIAL, "Dockerfile": DOCKERFILE, "manage.py": MANAGE},
            expect=(("compose.yaml", 3),)),
    Example("latest-and-variant-only", {
        "compose.yaml": "services:\n  cache:\n    image: redis:latest\n  db:\n    image: postgres:alpine\n"
                        "    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n"},
        expect=(("compose.yaml", 3), ("compose.yaml", 5))),
    Example("pinned", {"compose.yaml": PRODUCTION, "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("built-image-name", {"compose.yaml": "services:\n  web:\n    build: .\n    image: myorg/web\n",
                                 "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
])
def service_image_unpinned(project: Project) -> Iterator[Violation]:
    """A service's `image:` is not pinned to a version.

    ## What it does
    Reports `image:` without a tag or with `:latest`, and database images whose tag
    has no major version (`postgres:alpine`). Services that `build:` their image (the
    `image:` then names the result) and digests are fine.

    ## Why is this bad?
    `docker compose pull` silently moves to a new release. For a database that is a
    data-safety problem: a new major version cannot read the old data directory and
    the database does not start.

    ## Example
    ```yaml
    image: postgres
    ```
    Use instead:
    ```yaml
    image: postgres:16-alpine
    ```

    ## References
    - Seed 000 (`image: postgres` without a tag)
    - [Docker Hub: postgres, PGDATA and major upgrades](https://hub.docker.com/_/postgres)
    """
    for service in project.services:
        if service.image is None or service.build is not None or not service.image.value:
            continue
        image = parse_image(service.image.value)
        if image.digest:
            continue
        known = data_service(service.image.value)
        if image.tag is None or image.tag == "latest":
            why = (f"a new {known.kind} major version cannot read the old data directory"
                   if known and known.persistent else "a pull may bring another version")
            shown = "no tag" if image.tag is None else "`:latest`"
            yield Violation(service.image.location, f"service {service.name}: image {service.image.value} has {shown}: "
                                                    f"{why}; pin a version")
        elif known and known.persistent and not re.match(r"\d", image.tag):
            yield Violation(service.image.location, f"service {service.name}: image {service.image.value} does not pin "
                                                    f"the {known.kind} major version; a new major cannot read the old "
                                                    f"data directory")


@rule("DJC210", "db-port-published", Severity.WARNING, examples=[
    Example("all-interfaces", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                               "      - pg:/var/lib/postgresql/data\n    ports:\n      - \"5432:5432\"\n"
                                               "volumes:\n  pg:\n"}, expect=(("compose.yaml", 7),)),
    Example("redis-long-syntax", {"compose.yaml": "services:\n  redis:\n    image: redis:7\n    ports:\n"
                                                  "      - target: 6379\n        published: 6379\n"},
            expect=(("compose.yaml", 5),)),
    Example("loopback-only", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                              "      - pg:/var/lib/postgresql/data\n    ports:\n"
                                              "      - \"127.0.0.1:5432:5432\"\nvolumes:\n  pg:\n"}),
    Example("web-port", {"compose.yaml": PRODUCTION, "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
])
def db_port_published(project: Project) -> Iterator[Violation]:
    """A database or cache port is published on every host interface.

    ## What it does
    Reports `ports:` of PostgreSQL, MySQL, MariaDB, MongoDB, Redis and similar services
    that publish without a host address (or with `0.0.0.0`/`::`).

    ## Why is this bad?
    Docker opens the port on every interface of the host and bypasses host firewalls
    such as ufw: the database is reachable from the network, often with a tutorial
    password.

    ## Example
    ```yaml
    ports:
      - "5432:5432"
    ```
    Use instead: no `ports:` at all (services reach it by name), or
    ```yaml
    ports:
      - "127.0.0.1:5432:5432"
    ```

    ## References
    - Seed 001 (PostgreSQL service in compose)
    - [Docker: published ports bypass the host firewall](https://docs.docker.com/engine/network/packet-filtering-firewalls/)
    """
    for service in project.services:
        known = data_service(service.image.value if service.image else None)
        if known is None:
            continue
        for port in service.ports:
            if port.published and port.host_ip in {None, "", "0.0.0.0", "::"}:
                yield Violation(port.location, f"service {service.name}: {known.kind} port {port.target} is published "
                                               f"on all host interfaces as {port.published}; bind 127.0.0.1 or drop it")


@rule("DJC211", "env-file-missing", Severity.ERROR, examples=[
    Example("missing", {"compose.yaml": "services:\n  web:\n    image: app:1.0\n    env_file: .env-local\n"},
            expect=(("compose.yaml", 4),)),
    Example("list-with-optional", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    env_file:\n      - .env\n"
                        "      - path: .env.local\n        required: false\n", ".env": "DEBUG=0\n"}),
])
def env_file_missing(project: Project) -> Iterator[Violation]:
    """An `env_file:` names a file that does not exist.

    ## What it does
    Reports each `env_file:` entry whose file is missing, unless the long syntax marks
    it `required: false`.

    ## Why is this bad?
    `docker compose up` refuses to start the stack ("env file … not found"). In a fresh
    clone this is the usual first error, because env files are rightly not committed.

    ## Example
    ```yaml
    env_file: .env-local
    ```
    Use instead: commit a `.env.example` and document copying it, or
    ```yaml
    env_file:
      - path: .env-local
        required: false
    ```

    ## References
    - Seed 002 (`env_file: .env-local`)
    - [Compose: env_file](https://docs.docker.com/reference/compose-file/services/#env_file)
    """
    for service in project.services:
        for ref in service.env_files:
            if ref.required and not ref.path.exists():
                yield Violation(ref.location, f"service {service.name}: env_file {project.display(ref.path)} does "
                                              f"not exist: Compose will refuse to start")


@rule("DJC212", "links-deprecated", Severity.INFO, examples=[
    Example("links", {"compose.yaml": "services:\n  web:\n    image: app:1.0\n    links:\n      - db\n"
                                      "    depends_on:\n      - db\n  db:\n    image: postgres:16\n"
                                      "    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n"},
            expect=(("compose.yaml", 4),)),
    Example("no-links", {"compose.yaml": PRODUCTION, "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
])
def links_deprecated(project: Project) -> Iterator[Violation]:
    """A service uses `links:`.

    ## What it does
    Reports the `links:` key of a service.

    ## Why is this bad?
    `links` is a legacy feature: on the default network every service already reaches
    every other by its name. Start-up order belongs in `depends_on:`.

    ## Example
    ```yaml
    links:
      - db
    ```
    Use instead:
    ```yaml
    depends_on:
      - db
    ```

    ## References
    - Seed 002 (`links: - "database_default"`)
    - [Compose: links](https://docs.docker.com/reference/compose-file/services/#links)
    """
    for service in project.services:
        if service.links is not None:
            yield Violation(service.links.location, f"service {service.name}: `links` is legacy; services reach each "
                                                    f"other by name, use depends_on for start-up order")
