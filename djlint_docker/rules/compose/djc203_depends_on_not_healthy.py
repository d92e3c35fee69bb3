"""DJC203 depends-on-not-healthy: the app waits for the database container to start, not to accept connections."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.compose_edits import add_healthcheck, wait_healthy
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.images import data_service, healthcheck_test
from djlint_docker.parse.compose import Service
from djlint_docker.parse.servers import server
from djlint_docker.parse.settings import Unknown
from djlint_docker.project import ContainerCommand, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import healthy_before, once_per_line
from djlint_docker.rules.snippets import APP_DOCKERFILE, GUNICORN_DOCKERFILE, MANAGE, POSTGRES_SERVICE, PYTHON_ENV_BASE

WAITS = re.compile(r"pg_isready|wait[-_]?for|dockerize\b.*-wait|\bnc\b[^\n]*\s-z|\bnetcat\b|mysqladmin\b[^\n]*\bping|"
                   r"/dev/tcp/|\bcheck_db\b|\bwaitfordb\b|\b\w*_ready\b|healthcheck|psycopg2?\.connect|"
                   r"\b(until|while)\b[^\n]*\b(psql|python|manage\.py)\b", re.I)


WAIT_IF_POSTGRES = ("#!/bin/sh\nif [ \"$DATABASE\" = \"postgres\" ]\nthen\n    echo \"Waiting for postgres...\"\n"
                    "    while ! nc -z $SQL_HOST 5432; do\n      sleep 0.1\n    done\nfi\n"
                    "python manage.py migrate\nexec \"$@\"\n")

HEALTHY_DB = POSTGRES_SERVICE + ("    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n"
                                 "      interval: 5s\n")



@rule("DJC203", "depends-on-not-healthy", Severity.WARNING, cross=True, fix="safe", examples=[
    Example("short-form", {"compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n"
                                           "      - db\n"
                                           "volumes:\n  pg:\n",
                           "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 11),)),
    Example("healthy-without-healthcheck", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      db:\n"
                        "        condition: service_healthy\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 11),)),
    Example("healthy", {"compose.yaml": f"services:\n{HEALTHY_DB}  web:\n    build: .\n    depends_on:\n      db:\n"
                                        "        condition: service_healthy\nvolumes:\n  pg:\n",
                        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
    Example("entrypoint-waits", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nuntil pg_isready -h db -q; do\n  sleep 1\ndone\nexec \"$@\"\n"}),
    Example("python-retry-loop", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint\"]\n", "manage.py": MANAGE,
        "entrypoint": "#!/bin/bash\npostgres_ready() {\npython << END\nimport sys, psycopg2\ntry:\n"
                      "    psycopg2.connect(host='db')\nexcept psycopg2.OperationalError:\n    sys.exit(-1)\nEND\n}\n"
                      "until postgres_ready; do\n  sleep 1\ndone\nexec \"$@\"\n"}),
    Example("command-waits", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n"
                        "    command: sh -c \"wait-for-it db:5432 -- "
                        "gunicorn app.wsgi\"\n    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
    Example("migrate-as-it-starts", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec \"$@\"\n"},
        expect=(("compose.yaml", 11),)),
    Example("server-connects-on-its-first-request-info", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 11),)),
    Example("wait-under-a-condition-the-setup-never-meets", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\n"
                        "    environment:\n      SQL_HOST: db\nvolumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": WAIT_IF_POSTGRES}, expect=(("compose.yaml", 11),)),
    Example("wait-under-a-condition-the-setup-meets", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\n"
                        "    environment:\n      SQL_HOST: db\n      DATABASE: postgres\nvolumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": WAIT_IF_POSTGRES}),
    Example("migrate-as-it-starts-restarted-until-the-database-is-up-info", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    restart: unless-stopped\n"
                        "    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec \"$@\"\n"},
        expect=(("compose.yaml", 12),)),
    Example("migrate-as-it-starts-never-restarted", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    restart: \"no\"\n"
                        "    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec \"$@\"\n"},
        expect=(("compose.yaml", 12),)),
    Example("anchor-shared-by-web-and-worker-reported-once", {
        "compose.yaml": f"x-app: &app\n  build: .\n  depends_on:\n    - db\nservices:\n{POSTGRES_SERVICE}"
                        "  web:\n    <<: *app\n    command: sh -c \"python manage.py migrate && gunicorn app.wsgi\"\n"
                        "  worker:\n    <<: *app\n    command: celery -A app worker\nvolumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("worker-after-a-web-service-that-waits-for-a-healthy-database", {
        "compose.yaml": f"services:\n{HEALTHY_DB}  web:\n    build: .\n    depends_on:\n      db:\n"
                        "        condition: service_healthy\n  worker:\n    build: .\n"
                        "    command: celery -A app worker\n    depends_on:\n      - db\n      - web\n"
                        "volumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE}),
    Example("block-list-becomes-a-mapping-and-the-database-gets-a-healthcheck",
            {"compose.yaml": "services:\n  db:\n    image: postgres:16  # the database\n    environment:\n"
                             "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n\n  web:\n    build: .\n    depends_on:\n"
                             "      - db   # start order\n      - \"cache\"\n  cache:\n    image: redis:7\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 10),),
            fixed={"compose.yaml": "services:\n  db:\n    image: postgres:16  # the database\n    environment:\n"
                                   "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n    healthcheck:\n"
                                   "      test: [\"CMD-SHELL\", \"pg_isready -h 127.0.0.1 -U "
                                   "$${POSTGRES_USER:-postgres} -d postgres\"]\n"
                                   "      interval: 5s\n      timeout: 5s\n      retries: 10\n      start_period: 30s\n"
                                   "\n"
                                   "  web:\n    build: .\n    depends_on:\n      db:   # start order\n"
                                   "        condition: service_healthy\n      \"cache\":\n"
                                   "        condition: service_started\n"
                                   "  cache:\n    image: redis:7\n"}),
    Example("quoted-condition-replaced-crlf",
            {"compose.yaml": "services:\r\n  db:\r\n    image: postgres:16\r\n    healthcheck:\r\n"
                             "      test: pg_isready\r\n"
                             "  web:\r\n    build: .\r\n    depends_on:\r\n      db:\r\n"
                             "        condition: 'service_started'  # wait\r\n        restart: true\r\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 9),),
            fixed={"compose.yaml": "services:\r\n  db:\r\n    image: postgres:16\r\n    healthcheck:\r\n"
                                   "      test: pg_isready\r\n"
                                   "  web:\r\n    build: .\r\n    depends_on:\r\n      db:\r\n"
                                   "        condition: 'service_healthy'  # wait\r\n        restart: true\r\n"}),
    Example("mysql-healthcheck-four-space-indent",
            {"compose.yaml": "services:\n    db:\n        image: mysql:8.4\n        environment:\n"
                             "            MYSQL_ROOT_PASSWORD: ${ROOT_PW}\n    # the app\n    web:\n        build: .\n"
                             "        depends_on:\n            db:\n                condition: service_healthy\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 10),),
            fixed={"compose.yaml": "services:\n    db:\n        image: mysql:8.4\n        environment:\n"
                                   "            MYSQL_ROOT_PASSWORD: ${ROOT_PW}\n        healthcheck:\n"
                                   "            test: [\"CMD\", \"mysqladmin\", \"ping\", \"-h\", \"127.0.0.1\", "
                                   "\"--silent\"]\n"
                                   "            interval: 5s\n            timeout: 5s\n            retries: 10\n"
                                   "            start_period: 30s\n    # the app\n    web:\n        build: .\n"
                                   "        depends_on:\n            db:\n"
                                   "                condition: service_healthy\n"}),
    Example("flow-list-becomes-a-flow-mapping-no-final-newline",
            {"compose.yaml": "services:\n  web:\n    build: .\n    depends_on: [ db, cache ]  # order\n"
                             "  cache:\n    image: redis:7\n  db:\n    image: mariadb:11.4",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 4),),
            fixed={"compose.yaml": "services:\n  web:\n    build: .\n"
                                   "    depends_on: {db: {condition: service_healthy}, cache: {condition: "
                                   "service_started}}  # order\n"
                                   "  cache:\n    image: redis:7\n  db:\n    image: mariadb:11.4\n    healthcheck:\n"
                                   "      test: [\"CMD\", \"healthcheck.sh\", \"--connect\"]\n      interval: 5s\n"
                                   "      timeout: 5s\n"
                                   "      retries: 10\n      start_period: 30s\n"}),
    Example("list-at-the-key-indent-mongo",
            {"compose.yaml": "services:\n  web:\n    build: .\n    depends_on:\n    - mongo\n  mongo:\n"
                             "    image: mongo:7.0\n"
                             "    volumes:\n    - mongo:/data/db\nvolumes:\n  mongo:\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 5),),
            fixed={"compose.yaml": "services:\n  web:\n    build: .\n    depends_on:\n      mongo:\n"
                                   "        condition: service_healthy\n  mongo:\n    image: mongo:7.0\n"
                                   "    volumes:\n    - mongo:/data/db\n    healthcheck:\n"
                                   "      test: [\"CMD\", \"mongosh\", \"--quiet\", \"--eval\", "
                                   "\"db.adminCommand('ping')\"]\n"
                                   "      interval: 5s\n      timeout: 5s\n      retries: 10\n      start_period: 30s\n"
                                   "volumes:\n  mongo:\n"}),
    Example("override-file-and-the-file-defining-the-database",
            {"compose.yaml": "services:\n  db:\n    image: postgres:16-alpine\n  web:\n    build: .\n",
             "compose.override.yaml": "services:\n  web:\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                                      "    depends_on:\n      - db\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.override.yaml", 5),),
            fixed={"compose.yaml": "services:\n  db:\n    image: postgres:16-alpine\n    healthcheck:\n"
                                   "      test: [\"CMD-SHELL\", \"pg_isready -h 127.0.0.1 -U "
                                   "$${POSTGRES_USER:-postgres} -d postgres\"]\n"
                                   "      interval: 5s\n      timeout: 5s\n      retries: 10\n      start_period: 30s\n"
                                   "  web:\n    build: .\n",
                   "compose.override.yaml": "services:\n  web:\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                                            "    depends_on:\n      db:\n        condition: service_healthy\n"}),
])
def depends_on_not_healthy(project: Project) -> Iterator[Violation]:
    """The app waits for the database container to start, not for the database to accept connections.

    ## What it does
    For each service that runs Django and lists a database (PostgreSQL, MySQL, MariaDB,
    MongoDB) in `depends_on`, reports the entry when it does not ask for
    `condition: service_healthy`, or when it does but the database has no
    `healthcheck`, unless the service's command or entrypoint script waits for the
    server itself (`pg_isready`, `nc -z`, `wait-for-it`, `dockerize -wait`, a
    `wait_for_db` command; a wait in a branch the container's environment never takes,
    such as `if [ "$DATABASE" = "postgres" ]` with `DATABASE` never set, does not
    count), or it starts after a service that waits for the database to be healthy (a
    worker that depends on web, which waits for a healthy db).

    A warning for a container that connects as it starts (`migrate`, `runserver`,
    `manage.py check` or `test`, celery beat with django-celery-beat's database
    scheduler, or a command djcheck cannot read); information for an application
    server or a Celery worker, which connects on its first request or task, and for a
    container whose `restart:` policy (`always`, `on-failure`, `unless-stopped`) starts
    it again after it exits because the database was not up yet: it recovers by itself.

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
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`depends_on` does not wait for the database to be ready)
    - [Compose: control startup order](https://docs.docker.com/compose/how-tos/startup-order/)
      (an entrypoint that waits with `nc -z` before migrating)
    """
    kinds = {service.name: data_service(service.image.value if service.image else None) for service in project.services}
    by_name = {service.name: service for service in project.services}
    found: list[tuple[str, Violation]] = []
    for service in project.services:
        if not project.runs_django(service):
            continue
        runs = project.container_commands(service, project.build_for(service))
        ready = healthy_before(service, by_name)
        for name, condition in service.depends_on.items():
            known = kinds.get(name)
            if known is None or not known.persistent or by_name[name].build is not None:
                continue
            database = by_name[name]
            if condition.value == "service_healthy" and database.healthcheck is not None:
                continue
            if name in ready and condition.value != "service_healthy":
                continue  # it starts after a service that waits for the database to be healthy
            if _waits(service, runs):
                continue
            severity = None
            restart = _restart_policy(project, service)
            if condition.value == "service_healthy":
                message = (f"service {service.name} waits for {name} to be healthy, but {name} has no healthcheck: "
                           f"Compose refuses to start; give {name} a healthcheck")
            elif (first := _touches_database_at_start(project, service, runs)) is not None and restart:
                severity = Severity.INFO
                message = (f"service {service.name} starts as soon as the {known.kind} container {name} starts, "
                           f"before it accepts connections, and {first} as it starts; its `restart: {restart}` "
                           f"starts it again until {name} is up, so it recovers after a few failed starts; "
                           f"`condition: service_healthy` and a healthcheck on {name} avoid them")
            elif first is not None:
                message = (f"service {service.name} starts as soon as the {known.kind} container {name} starts, "
                           f"before it accepts connections, and {first} as it starts; use "
                           f"`condition: service_healthy` and a healthcheck on {name}")
            else:
                severity = Severity.INFO
                message = (f"service {service.name} starts as soon as the {known.kind} container {name} starts; it "
                           f"connects on its first request or task, which fails until {name} accepts connections; "
                           f"`condition: service_healthy` and a healthcheck on {name} avoid it")
            found.append((service.name, Violation(condition.location, message, related=(database.location,),
                                                  severity=severity, fix=_healthy_fix(project, service, database))))
    yield from once_per_line(found, by_line_alone=True)  # an anchor's depends_on: once, the most severe


DATABASE_AT_START = frozenset({"migrate", "createsuperuser", "loaddata", "flush", "runserver", "runserver_plus",
                               "createcachetable", "migrate_schemas", "pytest", "py.test", "tox"})
"""Commands that connect to the database as they start (``runserver`` checks the migrations before it serves)."""

CHECKS = frozenset({"test", "check", "showmigrations", "shell", "dbshell", "sqlflush"})
"""``manage.py`` commands that connect as they start: only after ``manage.py`` (``test`` alone is the shell's)."""


RETRYING = re.compile(r"always|unless-stopped|on-failure(?::\d+)?")
"""The ``restart:`` policies that start a container again after it exits with an error."""


def _restart_policy(project: Project, service: Service) -> str | None:
    """The service's ``restart:`` policy when it starts the container again after a failed start, else None."""
    location = service.keys.get("restart")
    text = project.text(location.path) if location is not None else None
    if location is None or text is None:
        return None
    lines = text.splitlines()
    line = lines[location.line - 1] if 0 < location.line <= len(lines) else ""
    match = re.search(r"\brestart\s*:\s*(.*?)\s*(?:#.*)?$", line)
    value = match.group(1).strip("'\"") if match else ""
    return value if RETRYING.fullmatch(value) else None


def _touches_database_at_start(project: Project, service: Service, runs: list[ContainerCommand]) -> str | None:
    """What the container runs that connects to the database as it starts (``runs migrate``), None when it only
    serves requests or tasks: an application server or a Celery worker.

    A container whose command djcheck cannot read is taken to connect as it starts.
    """
    serves = False
    for run in runs:
        words = run.command.words
        for index, word in enumerate(words):
            if word in DATABASE_AT_START or word in CHECKS and index and words[index - 1].endswith(
                    ("manage.py", "django-admin")):
                return f"runs `{word}`"
        if "celery" in " ".join(words[:4]) and "beat" in words:
            if any("DatabaseScheduler" in word or "django_celery_beat" in word for word in words) or \
                    _database_scheduler(project, service):
                return "schedules from the database (django-celery-beat)"
            serves = True
        serves = serves or server(run.command) is not None or ("celery" in " ".join(words[:4]) and (
            "worker" in words or "flower" in words))
    return None if serves else "may connect"


def _database_scheduler(project: Project, service: Service) -> bool:
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


def _waits(service: Service, runs: list[ContainerCommand]) -> bool:
    """Whether the container waits for a server to accept connections as it starts: its command, or a line of a
    script it runs that can run (a wait under ``if [ "$DATABASE" = "postgres" ]`` with DATABASE never set
    does not)."""
    words = " ".join(w for located in (service.command, service.entrypoint) if located for w in located.value)
    if WAITS.search(words):
        return True
    kept: dict[Path, set[int]] = {}
    scripts = {}
    for run in runs:
        if run.script is not None:
            kept.setdefault(run.script.path, set()).add(run.location.line)
            scripts[run.script.path] = run.script
        if WAITS.search(" ".join(run.command.words)):
            return True
    # Lines without commands of their own (a here-document a function feeds to python) count when the script runs.
    return any(WAITS.search(line.text) for path, script in scripts.items() for line in script.lines
               if not line.commands or line.line in kept[path])



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

