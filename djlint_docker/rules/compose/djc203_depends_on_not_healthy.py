"""DJC203 depends-on-not-healthy: the app waits for the database container to start, not to accept connections."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.compose_edits import add_healthcheck, wait_healthy
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.images import data_service, healthcheck_test
from djlint_docker.parse.compose import Service
from djlint_docker.project import ContainerCommand, ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._mounts import database_image
from djlint_docker.rules.compose._stack import (
    connects_to,
    healthy_before,
    hosts_in_settings,
    once_per_line,
    outside_the_stack,
)
from djlint_docker.rules.compose._waits import WAITS, waits_as_it_starts
from djlint_docker.rules.settings._databases import database_hosts, schedules_from_the_database
from djlint_docker.rules.snippets import APP_DOCKERFILE, GUNICORN_DOCKERFILE, MANAGE, POSTGRES_SERVICE, PYTHON_ENV_BASE

PAUSED = {"compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\n"
                          "    environment:\n      SQL_HOST: db\nvolumes:\n  pg:\n",
          "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE}
"""A web service whose entrypoint script migrates as it starts; add the script (examples)."""
WAIT_IF_POSTGRES = ("#!/bin/sh\nif [ \"$DATABASE\" = \"postgres\" ]\nthen\n    echo \"Waiting for postgres...\"\n"
                    "    while ! nc -z $SQL_HOST 5432; do\n      sleep 0.1\n    done\nfi\n"
                    "python manage.py migrate\nexec \"$@\"\n")

HEALTHY_DB = POSTGRES_SERVICE + ("    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n"
                                 "      interval: 5s\n")

SQLITE_SETTINGS = ("from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\n"
                   "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.sqlite3',\n"
                   "        'NAME': BASE_DIR / 'db.sqlite3',\n    }\n}\n")

DATABASE_URL_SETTINGS = ("import dj_database_url\n\n"
                         "DATABASES = {'default': dj_database_url.config(default='sqlite:///db.sqlite3')}\n")

ENVIRONMENT_NAMES_DB = (f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n"
                        "    command: sh -c \"python manage.py migrate && python manage.py runserver 0.0.0.0:8000\"\n"
                        "    environment:\n      - DB_HOST=db\n    volumes:\n      - .:/app\n"
                        "    depends_on:\n      - db\nvolumes:\n  pg:\n")
"""A web service whose environment names the database service ``db``: whether it connects is the settings' say."""

HOST_FROM_ENVIRONMENT = ("import os\n\nDATABASES = {\n    'default': {\n"
                         "        'ENGINE': 'django.db.backends.postgresql',\n"
                         "        'NAME': os.environ.get('DB_NAME', 'postgres'),\n"
                         "        'HOST': os.environ.get('DB_HOST', 'localhost'),\n    }\n}\n")

PATH_SCRIPT_DOCKERFILE = (PYTHON_ENV_BASE + "COPY requirements.txt /tmp/requirements.txt\n"
                          "RUN pip install -r /tmp/requirements.txt\nCOPY ./scripts /scripts\nCOPY ./app /app\n"
                          "WORKDIR /app\nRUN chmod -R +x /scripts\nENV PATH=\"/scripts:$PATH\"\nCMD [\"run.sh\"]\n")


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
    Example("loop-on-a-check-script", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/start.sh\"]\n", "manage.py": MANAGE,
        "start.sh": "#!/bin/bash\nset -e\nuntil python3 /app/config/database-check.py; do\n  sleep 5\ndone\n"
                    "python manage.py migrate\nexec gunicorn app.wsgi\n"}),
    # The probe is a function; the script calls it again after each pause.
    Example("client-probe-retried-after-a-pause", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/bash\ntest_database() {\n    echo ';' | psql --host=db app 2> /dev/null\n}\n"
                         "if ! test_database; then\n    for i in {0..9}; do\n        sleep 5\n"
                         "        if test_database; then\n            break\n        fi\n    done\nfi\n"
                         "python manage.py migrate\nexec gunicorn app.wsgi\n"}),
    # The client runs once (an extension created before migrating): nothing retries it.
    Example("client-run-once", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\npsql --host=db -c 'CREATE EXTENSION IF NOT EXISTS hstore' app\n"
                         "python manage.py migrate\nexec gunicorn app.wsgi\n"}, expect=(("compose.yaml", 11),)),
    Example("loop-probing-the-database-port", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/start.sh\"]\n", "manage.py": MANAGE,
        "start.sh": "#!/bin/bash\nwhile true; do\n  curl -s http://db:5432\n"
                    "  if [ \"$?\" = \"52\" ]; then\n    break\n  fi\n  sleep 5\ndone\n"
                    "python manage.py migrate\nexec gunicorn app.wsgi\n"}),
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
    Example("server-connects-on-its-first-request", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\n"
                        "  worker:\n    build: .\n    command: celery -A app worker -l info\n    depends_on:\n"
                        "      - db\nvolumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE}),
    # `check` runs the system checks without a connection; only `--database` adds the database's own.
    Example("system-checks-before-the-server", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n"
                        "    command: sh -c \"python manage.py check --deploy && gunicorn app.wsgi\"\n"
                        "    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
    Example("database-checks-before-the-server", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n"
                        "    command: sh -c \"python manage.py check --database default && gunicorn app.wsgi\"\n"
                        "    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 12),)),
    Example("settings-use-sqlite", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n"
                        "    command: sh -c \"python manage.py migrate && python manage.py runserver 0.0.0.0:8000\"\n"
                        "    volumes:\n      - .:/app\n    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": SQLITE_SETTINGS}),
    Example("environment-names-the-database-the-settings-never-read", {
        "compose.yaml": ENVIRONMENT_NAMES_DB, "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": SQLITE_SETTINGS}),
    Example("settings-read-the-host-the-environment-names", {
        "compose.yaml": ENVIRONMENT_NAMES_DB, "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": HOST_FROM_ENVIRONMENT}, expect=(("compose.yaml", 16),)),
    # The local database is there for pgAdmin; the site connects to a managed database (DB_HOST).
    Example("settings-read-a-managed-database-host", {
        "compose.yaml": ENVIRONMENT_NAMES_DB.replace("DB_HOST=db", "DB_HOST=app-db.abc123.eu-west-2.rds.amazonaws.com"),
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": HOST_FROM_ENVIRONMENT}),
    Example("database-url-names-the-database-service", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n"
                        "    command: sh -c \"python manage.py migrate && python manage.py runserver 0.0.0.0:8000\"\n"
                        "    environment:\n      DATABASE_URL: postgres://postgres:${DB_PASSWORD}@db:5432/postgres\n"
                        "    volumes:\n      - .:/app\n    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": DATABASE_URL_SETTINGS}, expect=(("compose.yaml", 16),)),
    # No service sets DATABASE_URL: dj-database-url gives an empty entry, Django's dummy backend, which connects
    # nowhere (the database service waits for a URL that was never written).
    Example("database-url-nobody-sets", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n"
                        "    command: sh -c \"python manage.py runserver 0.0.0.0:8000\"\n"
                        "    volumes:\n      - .:/app\n    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nimport dj_database_url\n\nDATABASES = {}\n"
                           "URL = os.environ.get('DATABASE_URL', '')\n"
                           "DATABASES['default'] = dj_database_url.config(default=URL)\n"}),
    Example("start-script-on-the-image-path-waits", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  app:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": PATH_SCRIPT_DOCKERFILE, "app/manage.py": MANAGE, "requirements.txt": "Django>=5.1,<5.2\n",
        "scripts/run.sh": "#!/bin/sh\nset -e\npython manage.py wait_for_db\npython manage.py migrate\n"
                          "exec gunicorn --bind :9000 app.wsgi\n"}),
    Example("start-script-on-the-image-path-migrates", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  app:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": PATH_SCRIPT_DOCKERFILE, "app/manage.py": MANAGE, "requirements.txt": "Django>=5.1,<5.2\n",
        "scripts/run.sh": "#!/bin/sh\nset -e\npython manage.py migrate\nexec gunicorn --bind :9000 app.wsgi\n"},
        expect=(("compose.yaml", 11),)),
    # DJC002 reports the missing web/Dockerfile; the start script of its context waits for the database.
    Example("image-of-a-missing-dockerfile-whose-start-script-waits", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build:\n      context: ./web\n"
                        "    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "web/entrypoint.sh": "#!/bin/sh\nwhile ! nc -z db 5432; do sleep 1; done\nexec gunicorn app.wsgi\n",
        "manage.py": MANAGE}),
    Example("make-target-djcheck-cannot-read", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n"
                        "    command: sh -c \"make prepare && python manage.py migrate && gunicorn app.wsgi\"\n"
                        "    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "Makefile": "prepare:\n\tpython manage.py wait_for_db\n\tpython manage.py collectstatic --noinput\n"}),
    Example("wait-under-a-condition-the-setup-never-meets", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\n"
                        "    environment:\n      SQL_HOST: db\nvolumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": WAIT_IF_POSTGRES}, expect=(("compose.yaml", 11),)),
    Example("wait-under-a-condition-an-env-file-each-clone-makes-decides", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\n"
                        "    env_file: ./env/.env.prod\nvolumes:\n  pg:\n",
        ".gitignore": "env/\n", "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": WAIT_IF_POSTGRES}),
    Example("wait-under-a-condition-the-setup-meets", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\n"
                        "    environment:\n      SQL_HOST: db\n      DATABASE: postgres\nvolumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": WAIT_IF_POSTGRES}),
    # The maintainers give the database a minute before migrating; a pause after the first command waits for nothing.
    Example("a-long-pause-before-migrating", {
        **PAUSED, "entrypoint.sh": "#!/bin/sh\nsleep 1m\npython manage.py migrate --noinput\nexec \"$@\"\n"}),
    Example("a-pause-after-migrating", {
        **PAUSED, "entrypoint.sh": "#!/bin/sh\npython manage.py migrate --noinput\nsleep 30\nexec \"$@\"\n"},
        expect=(("compose.yaml", 11),)),
    Example("migrate-as-it-starts-restarted-until-the-database-is-up", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    restart: unless-stopped\n"
                        "    depends_on:\n      - db\nvolumes:\n  pg:\n",
        "Dockerfile": GUNICORN_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec \"$@\"\n"}),
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
             "compose.override.yaml": "services:\n  web:\n    command: python manage.py runserver 0.0.0.0:8000\n"
                                      "    depends_on:\n      - db\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.override.yaml", 5),),
            fixed={"compose.yaml": "services:\n  db:\n    image: postgres:16-alpine\n    healthcheck:\n"
                                   "      test: [\"CMD-SHELL\", \"pg_isready -h 127.0.0.1 -U "
                                   "$${POSTGRES_USER:-postgres} -d postgres\"]\n"
                                   "      interval: 5s\n      timeout: 5s\n      retries: 10\n      start_period: 30s\n"
                                   "  web:\n    build: .\n",
                   "compose.override.yaml": "services:\n  web:\n    command: python manage.py runserver 0.0.0.0:8000\n"
                                            "    depends_on:\n      db:\n        condition: service_healthy\n"}),
])
def depends_on_not_healthy(project: Project) -> Iterator[Violation]:
    """The app waits for the database container to start, not for the database to accept connections.

    ## What it does
    For each service that runs Django, connects to a database (PostgreSQL, MySQL,
    MariaDB, MongoDB) and lists it in `depends_on`, reports the entry when it asks
    for `condition: service_healthy` but the database has no `healthcheck` (Compose
    refuses to start; a `HEALTHCHECK` of the image it builds, or of the one a script of
    the project tags with its `image:` name, counts), or when the container touches the database as it starts
    (`migrate`, `runserver`, `manage.py test` or `check --database`, celery beat with
    django-celery-beat's database scheduler, or a Python image that names no command)
    and nothing makes it wait for the database to accept connections.

    The service connects to the database when the `HOST` of the `DATABASES` its
    settings compute (with the service's environment) names it; when those settings
    cannot be known, when its environment names it, or nothing says. Settings on
    SQLite connect to no server, whatever the environment holds (`DB_HOST=db` that
    the settings never read), nor do settings whose `ENGINE` the service's environment
    leaves unset (`os.environ.get("SQL_ENGINE")`: Django stops first), nor settings
    whose `dj_database_url.config()` finds no URL (an empty entry: Django's dummy
    backend, which never connects), and settings
    naming a managed database's address (a
    dotted host such as `app-db.abc123.eu-west-2.rds.amazonaws.com`) connect to no
    service of the stack. It waits when its command or entrypoint script waits for
    the server itself (`pg_isready`, `nc -z`, `wait-for-it`, `dockerize -wait`, a
    `wait_for_db` command, a loop on a check script or probing the database's port, a
    database client's probe the script retries after a pause, a pause of ten seconds or
    more before the script's first command of Django's, `sleep 1m` before `migrate`; a
    wait in a branch the container's environment never takes, such as
    `if [ "$DATABASE" = "postgres" ]` with `DATABASE` never set, does not count), or it
    starts after a service that waits for the database to be healthy (a worker that
    depends on web, which waits for a healthy db). Scripts are found from
    the WORKDIR and through the image's `PATH` (`ENV PATH=/scripts:$PATH` with
    `CMD ["run.sh"]`).

    Not reported: an application server or a Celery worker, which connects on its
    first request or task; a container whose `restart:` policy (`always`,
    `on-failure`, `unless-stopped`) starts it again until the database is up; and a
    container that runs a step djcheck cannot read (a `make` target, a script it
    cannot find), which may well wait. These recover by themselves, or may.

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
    # a database built on its official image with the project's init scripts (`build: ./docker/postgres`) too
    kinds = {service.name: data_service(database_image(project, service)) for service in project.services}
    by_name = {service.name: service for service in project.services}
    found: list[tuple[str, Violation]] = []
    for service in project.services:
        if not project.runs_django(service):
            continue
        runs = project.container_commands(service, project.build_for(service))
        ready = healthy_before(service, by_name)
        for name, condition in service.depends_on.items():
            known = kinds.get(name)
            if known is None or not known.persistent:
                continue
            database = by_name[name]
            if condition.value == "service_healthy" and (database.healthcheck is not None
                                                         or project.image_healthcheck(database)):
                continue
            if name in ready and condition.value != "service_healthy":
                continue  # it starts after a service that waits for the database to be healthy
            if waits_as_it_starts(service, runs) or _unread_step(runs):
                continue
            if condition.value == "service_healthy":
                message = (f"service {service.name} waits for {name} to be healthy, but {name} has no healthcheck: "
                           f"Compose refuses to start; give {name} a healthcheck")
            else:
                # A server or worker connects on its first request or task, and a restart policy starts the
                # container again until the database is up: both recover by themselves. A start step djcheck
                # cannot read (a make target, a script it cannot find) may wait: unknown, not reported.
                first = _touches_database_at_start(project, service, runs)
                if first is None or _restart_policy(project, service) or not _connects(project, service, name):
                    continue
                message = (f"service {service.name} starts as soon as the {known.kind} container {name} starts, "
                           f"before it accepts connections, and {first} as it starts; use "
                           f"`condition: service_healthy` and a healthcheck on {name}")
            found.append((service.name, Violation(condition.location, message, related=(database.location,),
                                                  fix=_healthy_fix(project, service, database))))
    yield from once_per_line(found, by_line_alone=True)  # an anchor's depends_on: once, the most severe


DATABASE_AT_START = frozenset({"migrate", "createsuperuser", "loaddata", "flush", "runserver", "runserver_plus",
                               "createcachetable", "migrate_schemas", "pytest", "py.test", "tox"})
"""Commands that connect to the database as they start (``runserver`` checks the migrations before it serves)."""

CHECKS = frozenset({"test", "showmigrations", "shell", "dbshell", "sqlflush"})
"""``manage.py`` commands that connect as they start: only after ``manage.py`` (``test`` alone is the shell's).
``check`` connects only with ``--database`` (Django 3.1 on), so it is not here."""


RETRYING = re.compile(r"always|unless-stopped|on-failure(?::\d+)?")
"""The ``restart:`` policies that start a container again after it exits with an error."""


def _connects(project: Project, service: Service, database: str) -> bool:
    """Whether the Django service connects to the database service: the ``DATABASES`` its settings compute name
    it (or a bare host name no service has, which may be its alias), or, when they cannot be known, its environment
    names it or nothing says. A managed database's address (``db.example.com``) is not the service.

    Settings that are known decide: on SQLite, ``DB_HOST=db`` in the environment connects to nothing.
    """
    hosts = database_hosts(project, service)
    if hosts is None:
        return connects_to(project, service, database)
    services = {other.name for other in project.services}
    if any(host == database or (host not in services and not outside_the_stack(host)) for host in hosts):
        return True
    return any(reference.host == database for run in project.django_runs if run.service is service
               for reference in hosts_in_settings(run))  # a result backend in the database: db+postgresql://...@db


def _restart_policy(project: Project, service: Service) -> str | None:
    """The service's ``restart:`` policy when it starts the container again after a failed start, else None."""
    value = project.written_value(service, "restart") or ""
    return value if RETRYING.fullmatch(value) else None


def _touches_database_at_start(project: Project, service: Service, runs: list[ContainerCommand]) -> str | None:
    """What the container runs that connects to the database as it starts (``runs migrate``), None when it only
    serves requests or tasks (an application server or a Celery worker), or when what it runs cannot be read
    (a ``make`` target, a script djcheck cannot find): that may wait for the database. A container that starts
    nothing at all (a Python image without ``CMD`` or ``command:``) is taken to connect as it starts, and so is one
    whose Dockerfile is not in the clone, unless a start script of its build context waits for the database.
    """
    if not runs:
        build = project.build_for(service)
        return None if build is not None and build.dockerfile is None and _context_script_waits(project, build) \
            else "may connect"
    for run in runs:
        words = run.command.words
        for index, word in enumerate(words):
            after_manage = index and words[index - 1].endswith(("manage.py", "django-admin"))
            if word in DATABASE_AT_START or after_manage and (
                    word in CHECKS or word == "check" and any(w.startswith("--database") for w in words[index:])):
                return f"runs `{word}`"
        if "celery" in " ".join(words[:4]) and "beat" in words and schedules_from_the_database(project, service, words):
            return "schedules from the database (django-celery-beat)"
    return None


def _context_script_waits(project: Project, build: ImageBuild) -> bool:
    """Whether a shell script at the top of the build context waits for a server (``nc -z db 5432``): the image of
    the Dockerfile missing from the clone most likely starts with it."""
    try:
        scripts = sorted(path for path in build.context.iterdir() if path.suffix == ".sh")[:MAX_CONTEXT_SCRIPTS]
    except OSError:
        return False
    return any(WAITS.search(project.text(path, quiet=True) or "") for path in scripts if project.is_file(path))


MAX_CONTEXT_SCRIPTS = 10
TASK_RUNNERS = frozenset({"make", "gmake", "just", "task", "invoke", "inv", "doit"})
"""Programs that run targets written elsewhere (a Makefile, a justfile), which djcheck does not read."""

PROGRAMS = re.compile(r"python[\d.]*|pip\d*|gunicorn|uvicorn|daphne|hypercorn|uwsgi|celery|django-admin|manage\.py|"
                      r"(?:ba|da|z)?sh|ash|env|tini|dumb-init|gosu|su-exec|node|npm|uv|poetry|pipenv")
"""Programs named by a path (``/venv/bin/python``, ``./manage.py``) that are no script of the project's."""


def _unread_step(runs: list[ContainerCommand]) -> bool:
    """Whether the container runs a step djcheck cannot read, which may wait for the database: a task runner's
    target (``make prepare``) or a script it found nowhere (not in the build context through the WORKDIR or the
    image's ``PATH``)."""
    found = {run.script.path.name for run in runs if run.script is not None}
    for run in runs:
        words = run.command.words
        if not words:
            continue
        program = words[0].rsplit("/", 1)[-1]
        script = ("/" in words[0] or program.endswith(".sh")) and ("/bin/" not in words[0] or program.endswith(".sh")) \
            and not PROGRAMS.fullmatch(program)  # a system program of /usr/bin, not a script copied there
        if program in TASK_RUNNERS or (script and program not in found):
            return True
    return False



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
