"""How the app reaches its database: start-up order, the host and the engine the settings name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.compose_edits import add_healthcheck, wait_healthy
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.images import data_service, healthcheck_test
from djlint_docker.parse.compose import Service
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._databases import binding_at, databases, sql_databases
from djlint_docker.rules.snippets import MANAGE

LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
WAITS = re.compile(r"pg_isready|wait[-_]?for|dockerize\b.*-wait|\bnc\b[^\n]*\s-z|\bnetcat\b|mysqladmin\b[^\n]*\bping|"
                   r"/dev/tcp/|\bcheck_db\b|\bwaitfordb\b|\b\w*_ready\b|healthcheck|psycopg2?\.connect|"
                   r"\b(until|while)\b[^\n]*\b(psql|python|manage\.py)\b", re.I)

DOCKERFILE = "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
DB = ("  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
      "    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n")
HEALTHY_DB = DB + "    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n      interval: 5s\n"
POSTGRES_SETTINGS = ("import os\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
                     "        'HOST': os.environ.get('DB_HOST', 'db'),\n        'PASSWORD': os.environ.get('DB_PASSWORD'),\n"
                     "    }\n}\n")
SQLITE_SETTINGS = ("from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                   "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.sqlite3',\n"
                   "        'NAME': BASE_DIR / 'db.sqlite3',\n    }\n}\n")


def _waits(project: Project, service: Service) -> bool:
    """Whether the service's command or the scripts its image runs wait for a server to accept connections."""
    words = " ".join(w for located in (service.command, service.entrypoint) if located for w in located.value)
    if WAITS.search(words):
        return True
    return any(service.name in script.build.services and any(WAITS.search(line.text) for line in script.lines)
               for script in project.scripts)


@rule("DJC203", "depends-on-not-healthy", Severity.WARNING, cross=True, fix="safe", examples=[
    Example("short-form", {"compose.yaml": f"services:\n{DB}  web:\n    build: .\n    depends_on:\n      - db\n"
                                           "volumes:\n  pg:\n",
                           "Dockerfile": DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 11),)),
    Example("healthy-without-healthcheck", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    depends_on:\n      db:\n"
                        "        condition: service_healthy\nvolumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 11),)),
    Example("healthy", {"compose.yaml": f"services:\n{HEALTHY_DB}  web:\n    build: .\n    depends_on:\n      db:\n"
                                        "        condition: service_healthy\nvolumes:\n  pg:\n",
                        "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
    Example("entrypoint-waits", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nuntil pg_isready -h db -q; do\n  sleep 1\ndone\nexec \"$@\"\n"}),
    Example("python-retry-loop", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint\"]\n", "manage.py": MANAGE,
        "entrypoint": "#!/bin/bash\npostgres_ready() {\npython << END\nimport sys, psycopg2\ntry:\n"
                      "    psycopg2.connect(host='db')\nexcept psycopg2.OperationalError:\n    sys.exit(-1)\nEND\n}\n"
                      "until postgres_ready; do\n  sleep 1\ndone\nexec \"$@\"\n"}),
    Example("command-waits", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    command: sh -c \"wait-for-it db:5432 -- "
                        "gunicorn app.wsgi\"\n    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
])
def depends_on_not_healthy(project: Project) -> Iterator[Violation]:
    """The app waits for the database container to start, not for the database to accept connections.

    ## What it does
    For each service that runs Django and lists a database (PostgreSQL, MySQL, MariaDB,
    MongoDB) in `depends_on`, reports the entry when it does not ask for
    `condition: service_healthy`, or when it does but the database has no
    `healthcheck`, unless the service's command or entrypoint script waits for the
    server itself (`pg_isready`, `nc -z`, `wait-for-it`, `dockerize -wait`, a
    `wait_for_db` command).

    ## Why is this bad?
    A plain `depends_on` only orders container start-up. PostgreSQL needs a few seconds
    to initialise a new data directory; Django starts first, fails to connect
    ("connection refused") and `migrate` or the server exits. With
    `service_healthy` Compose waits until the database's healthcheck passes; without a
    healthcheck on the database, Compose refuses that condition.

    ## Example
    ```yaml
    web:
      depends_on:
        - db
    ```
    Use instead:
    ```yaml
    db:
      healthcheck:
        test: ["CMD-SHELL", "pg_isready -U postgres"]
        interval: 5s
    web:
      depends_on:
        db:
          condition: service_healthy
    ```

    ## Fix safety
    Safe: the app waits for what it needs anyway. A database without a healthcheck gets
    one run with its image's own tools, over TCP to 127.0.0.1 (a new PostgreSQL or MySQL
    data directory is first initialised by a server that listens only on a socket):
    `pg_isready` for `postgres`, `postgis/postgis` and `bitnami/postgresql`,
    `mysqladmin ping` for `mysql` and MariaDB before 10.4, `healthcheck.sh --connect` for
    `mariadb`, `mongosh` (`mongo` before 5.0) for `mongo`; every 5 s, 10 retries, after a
    30 s start period. The entry gets `condition: service_healthy`; a `depends_on` list
    becomes a mapping (Compose takes one form or the other) whose other entries get
    `condition: service_started`, which is what the list meant. No fix for another image,
    a service written in flow style, or a `depends_on` written as a flow mapping.

    ## References
    - Seed 000 (`depends_on` does not wait for the database to be ready)
    - Seed 004 (an entrypoint that waits with `nc -z` before migrating)
    - [Compose: control startup order](https://docs.docker.com/compose/how-tos/startup-order/)
    """
    kinds = {service.name: data_service(service.image.value if service.image else None) for service in project.services}
    by_name = {service.name: service for service in project.services}
    for service in project.services:
        if not project.runs_django(service):
            continue
        for name, condition in service.depends_on.items():
            known = kinds.get(name)
            if known is None or not known.persistent or by_name[name].build is not None:
                continue
            database = by_name[name]
            if condition.value == "service_healthy" and database.healthcheck is not None:
                continue
            if _waits(project, service):
                continue
            if condition.value == "service_healthy":
                message = (f"service {service.name} waits for {name} to be healthy, but {name} has no healthcheck: "
                           f"Compose refuses to start; give {name} a healthcheck")
            else:
                message = (f"service {service.name} starts as soon as the {known.kind} container {name} starts, "
                           f"before it accepts connections; use `condition: service_healthy` and a healthcheck on {name}")
            yield Violation(condition.location, message, related=(database.location,),
                            fix=_healthy_fix(project, service, database))


def _healthy_fix(project: Project, service: Service, database: Service) -> Fix | None:
    """A healthcheck on the database when it has none, and ``condition: service_healthy`` for it."""
    edits: tuple[Edit, ...] = ()
    if database.healthcheck is None:
        test = healthcheck_test(database.image.value) if database.image else None
        added = add_healthcheck(project, database, test) if test else None
        if added is None:
            return None
        edits += added
    if service.depends_on[database.name].value != "service_healthy":
        condition = wait_healthy(project, service, database.name)
        if condition is None:
            return None
        edits += condition
    what = "a healthcheck and " if database.healthcheck is None else ""
    return Fix(f"{what}wait for {database.name} to be healthy", edits)


@rule("DJC305", "sqlite-in-container", Severity.WARNING, cross=True, examples=[
    Example("startproject-database", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE, "app/settings.py": SQLITE_SETTINGS},
        expect=(("app/settings.py", 3),)),
    Example("engine-from-environment", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    environment:\n      - SQL_ENGINE=django.db.backends.postgresql\n"
                        "volumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': os.environ.get('SQL_ENGINE', "
                           "'django.db.backends.sqlite3'), 'HOST': 'db'}}\n"}),
    Example("sqlite-without-server", {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": DOCKERFILE,
                                      "manage.py": MANAGE, "app/settings.py": SQLITE_SETTINGS}),
    Example("postgres", {"compose.yaml": f"services:\n{DB}  web:\n    build: .\nvolumes:\n  pg:\n", "Dockerfile": DOCKERFILE,
                         "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS}),
])
def sqlite_in_container(project: Project) -> Iterator[Violation]:
    """The settings use SQLite while the compose file runs a database server.

    ## What it does
    Evaluates `DATABASES` with the environment each Django service gets and reports a
    `default` database on SQLite when a service of the same compose file runs
    PostgreSQL, MySQL or MariaDB.

    ## Why is this bad?
    The database container runs but nothing uses it: data goes to a `db.sqlite3`
    inside the container (lost with it, or written into the bind-mounted source), and
    the app is tested against a different database than the one deployed. Usually the
    settings were never switched after `startproject`, or an environment variable that
    selects the engine is missing.

    ## Example
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
    ```
    with a `db: image: postgres:16` service. Use instead:
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", ...}}
    ```

    ## References
    - Seed 001 (switching the settings from SQLite to the PostgreSQL service)
    - Seed 004 (the database settings read from the environment)
    """
    servers = list(sql_databases(project))
    if not servers:
        return
    database, kind = servers[0]
    found: dict[Location, list[str]] = {}
    for run in project.django_runs:
        for settings in run.settings:
            default = databases(run, settings).get("default", {})
            if "sqlite" in str(default.get("ENGINE", "")):
                found.setdefault(binding_at(settings, "DATABASES"), []).append(run.name)
    for at, names in found.items():
        yield Violation(at, f"{', '.join(names)} use{'s' if len(names) == 1 else ''} SQLite while compose runs {kind} "
                            f"in service {database.name}; point DATABASES at {database.name}",
                        related=(database.location,))


@rule("DJC306", "db-host-not-a-service", Severity.ERROR, cross=True, examples=[
    Example("localhost", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'localhost',"
                           " 'PORT': 5432}}\n"}, expect=(("app/settings.py", 1),)),
    Example("url-names-other-host", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    environment:\n"
                        "      DATABASE_URL: postgres://app:${DB_PASSWORD:?}@postgres:5432/app\nvolumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n"},
        expect=(("app/settings.py", 3),)),
    Example("service-name", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    environment:\n      DB_HOST: db\nvolumes:\n  pg:\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS}),
    Example("host-network", {
        "compose.yaml": "services:\n  web:\n    build: .\n    network_mode: host\n", "Dockerfile": DOCKERFILE,
        "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'localhost'}}\n"}),
    Example("managed-database", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DB_HOST: app.abc123.eu-west-1.rds.amazonaws.com\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS}),
])
def db_host_not_a_service(project: Project) -> Iterator[Violation]:
    """The database host is the container itself or a name no service has.

    ## What it does
    Evaluates `DATABASES` (plain settings, `DATABASE_URL` through django-environ or
    dj-database-url) with the environment each Django service of a compose file gets,
    and reports a PostgreSQL or MySQL database whose `HOST` is `localhost`,
    `127.0.0.1`, empty (a local socket), or a single-word name that is no service of
    the file.

    ## Why is this bad?
    Inside a container `localhost` is the container itself, not the host machine and
    not the database container: the connection is refused. Services reach each other
    by service name on the compose network, so a name that is no service does not
    resolve.

    ## Example
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "localhost"}}
    ```
    Use instead (the database service is called `db`):
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": os.environ.get("DB_HOST", "db")}}
    ```

    ## References
    - Seed 000 (`HOST: db`, the service name, in the settings)
    - Seed 001 (the `SQL_HOST` variable set to the service name)
    """
    if project.stack is None:
        return
    names = {service.name for service in project.services}
    database = next((service.name for service, _ in sql_databases(project)), None)
    hint = f"use the service name {database!r}" if database else "use the database service's name"
    found: dict[tuple[Location, str, str], list[DjangoRun]] = {}
    for run in project.django_runs:
        if run.service is not None and "network_mode" in run.service.keys:
            continue
        for settings in run.settings:
            for alias, entry in databases(run, settings).items():
                host = entry.get("HOST") or ""
                if re.search(r"postgres|postgis|mysql", str(entry.get("ENGINE", ""))) and isinstance(host, str):
                    found.setdefault((binding_at(settings, "DATABASES"), alias, host), []).append(run)
    for (at, alias, host), runs in found.items():
        if host in LOOPBACK or not host:
            why = "the container itself" if host else "a local socket inside the container"
        elif "." not in host and ":" not in host and host not in names and host != "host.docker.internal":
            why = f"no service of the compose file (services: {', '.join(sorted(names))})"
        else:
            continue
        who = ", ".join(run.name for run in runs)
        yield Violation(at, f"{who}: DATABASES[{alias!r}] HOST is {host or 'empty'}, which is {why}; {hint}",
                        related=tuple(run.location for run in runs))
