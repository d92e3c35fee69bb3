"""DJC202 missing-depends-on: A service connects to another service but does not depend on it."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.compose_edits import add_depends_on
from djlint_docker.findings import Fix, Severity, Violation
from djlint_docker.images import data_service
from djlint_docker.kinds import SKIP_DIRS
from djlint_docker.parse.compose import Located, Service
from djlint_docker.parse.servers import server
from djlint_docker.parse.settings import Unknown, env_reads
from djlint_docker.parse.shell import PYTHON, management_command, program
from djlint_docker.positions import Location
from djlint_docker.project import Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._ci_workflows import written_for_swarm
from djlint_docker.rules.compose._mounts import database_image
from djlint_docker.rules.compose._stack import (
    BROKER_SETTING,
    CONNECTIONS,
    HostReference,
    hosts_in_environment,
    hosts_in_settings,
    started_after,
)
from djlint_docker.rules.compose._waits import started_without, waits_as_it_starts, waits_for_host
from djlint_docker.rules.settings._databases import database_hosts, never_opens_the_database, sql_server
from djlint_docker.rules.snippets import (
    MANAGE,
    POSTGRES_SERVICE,
    PRODUCTION_COMPOSE,
    PYTHON_ENV_BASE,
    REQUIREMENTS_DOCKERFILE,
)

DB_AND_CACHE = "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n"
WITH_ASSETS = ("FROM node:20-slim AS assets\nWORKDIR /app\nCOPY package.json .\nRUN npm install\nCOPY . .\n"
               "CMD [\"npm\", \"run\", \"build\"]\n\nFROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\n"
               "COPY . .\nCOPY --from=assets /app/dist /app/static\nCMD [\"gunicorn\", \"app.wsgi\"]\n")

ASSETS_COMPOSE = ("services:\n  db:\n    image: postgres:16\n  assets:\n    build:\n      context: .\n"
                  "      target: assets\n    command: npm run watch:css\n    environment:\n"
                  "      DATABASE_URL: postgres://app:${PW}@db/app\n"
                  "  worker:\n    build: .\n    command: celery -A app worker\n    environment:\n"
                  "      DATABASE_URL: postgres://app:${PW}@db/app\n")

JOB_COMPOSE = ("x-app: &app\n  build: .\n  environment:\n    DATABASE_URL: postgres://app:${PW:?}@db:5432/app\n"
               "    CELERY_BROKER_URL: redis://redis:6379/0\n"
               "services:\n  web:\n    <<: *app\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
               "    depends_on:\n      - db\n      - redis\n"
               "  migrate:\n    <<: *app\n"
               "    command: sh -c \"python manage.py wait_for_db && python manage.py migrate --noinput\"\n"
               "    restart: \"no\"\n    depends_on:\n      - db\n"
               "  db:\n    image: postgres:16\n  redis:\n    image: redis:7.4\n")
"""A web service and a one-off migration job sharing one environment (database and broker URLs)."""

WORKERS = ("x-app: &app\n  build: .\n  environment:\n    DATABASE_URL: postgres://app:${PW:?}@db:5432/app\n"
           "  depends_on:\n    - db\n"
           "x-worker: &worker\n  build: .\n  environment:\n    DATABASE_URL: postgres://app:${PW:?}@db:5432/app\n"
           "services:\n  worker:\n    <<: *worker\n    command: celery -A app worker\n"
           "  mailer:\n    <<: *worker\n    command: celery -A app worker -Q mail\n"
           "  web:\n    <<: *app\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n  db:\n    image: postgres:16\n")
"""Two Celery workers merging one anchor without ``depends_on``, beside a web service that has one."""

TASK_RUNNER = ("#!/usr/bin/env bash\nbuild-js() { node build.js; }\nmanage() {\n  python3 manage.py \"$@\"\n}\n"
               "\"$@\"\n")

TASK_RUNNER_IMAGES = ("FROM node:22-slim AS assets\nWORKDIR /app/assets\nCOPY . ..\nCMD [\"bash\"]\n\n"
                      "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n")


BROKER_COMPOSE = ("services:\n  web:\n    build: .\n    environment:\n"
                  "      - DATABASE_URL=postgres://u:${PW}@db:5432/app\n"
                  "      - CELERY_BROKER_URL=redis://redis:6379/0\n    depends_on:\n      - db\n"
                  "  db:\n    image: postgres:16\n  redis:\n    image: redis:7\n")
SENDS_TASKS = {"shop/tasks.py": "from celery import shared_task\n\n\n@shared_task\ndef send_receipt(order_id):\n"
                                "    ...\n\n\n@shared_task\ndef close_day():\n    send_receipt.delay(0)\n",
               "shop/views.py": "from .tasks import send_receipt\n\n\ndef checkout(request, order_id):\n"
                                "    send_receipt.delay(order_id)\n"}
"""The tasks of a shop, sent by one another in the worker, and a view that sends one."""

CHANNEL_LAYER_PROJECT = {
    "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
    "app/settings.py": "CHANNEL_LAYERS = {'default': {'BACKEND': 'channels_redis.core.RedisChannelLayer',\n"
                       "                              'CONFIG': {'hosts': [('redis', 6379)]}}}\n"}
"""A project whose settings put Channels' layer on the `redis` service."""

def _flower(rest: str, settings: str) -> dict[str, str]:
    """A project whose Flower service is followed by ``rest`` of the compose file, with these settings."""
    compose = "services:\n  flower:\n    build: .\n    command: celery -A app flower --port=5555\n" + rest
    return {"compose.yaml": compose, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
            "app/settings.py": settings}


WAITS_FOR_THE_DATABASE = {
    "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n      SQL_HOST: db\n"
                    "volumes:\n  pg:\n",
    "Dockerfile": REQUIREMENTS_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
    "manage.py": MANAGE,
    "entrypoint.sh": "#!/bin/sh\nwhile ! nc -z \"$SQL_HOST\" 5432; do\n  sleep 0.5\ndone\n"
                     "python manage.py migrate --noinput\nexec \"$@\"\n"}
"""A web service whose entrypoint waits for the database with ``nc -z`` and has no ``depends_on`` (examples)."""
WEB_AND_CELERY_ON_REDIS_URL = {
    "compose.yaml": "services:\n  django:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                    "    env_file: .envs/.django\n  celeryworker:\n    build: .\n    command: celery -A app worker\n"
                    "    env_file: .envs/.django\n    depends_on:\n      - redis\n  redis:\n    image: redis:7.4\n",
    ".envs/.django": "REDIS_URL=redis://redis:6379/0\n",
    "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
    "app/settings.py": "import os\n\nREDIS_URL = os.environ.get('REDIS_URL', 'redis://redis:6379/0')\n"
                       "REDIS_SSL = REDIS_URL.startswith('rediss://')\nCELERY_BROKER_URL = REDIS_URL\n"
                       "CELERY_RESULT_BACKEND = REDIS_URL\n",
    "shop/tests/test_tasks.py": "from shop.tasks import notify\n\n\ndef test_notify():\n    notify.delay(1)\n"}
"""A web server and a Celery worker whose settings give the project's ``REDIS_URL`` to Celery alone (examples)."""


@rule("DJC202", "missing-depends-on", Severity.ERROR, cross=True, fix="safe", examples=[
    # `base` is the template web and worker extend: each of them is checked, the worker lacks its broker.
    Example("template-that-services-extend", {
        "compose.yaml": "services:\n  base:\n    build: .\n    environment:\n      MEMCACHED_HOST: memcached\n"
                        "      CELERY_BROKER_URL: amqp://rabbitmq:5672\n"
                        "  web:\n    extends: base\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "    depends_on: [memcached, rabbitmq]\n"
                        "  worker:\n    extends: base\n    command: celery -A app worker\n    depends_on: [memcached]\n"
                        "  memcached:\n    image: memcached:1.6\n  rabbitmq:\n    image: rabbitmq:3.13\n",
        "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir django gunicorn celery\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("compose.yaml", 11),)),
    Example("tutorial-settings-host", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                        "  web:\n    build: .\n    ports:\n      - \"8000:8000\"\nvolumes:\n  pg:\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
                           "        'HOST': 'db',\n        'PORT': 5432,\n    }\n}\n"}, expect=(("compose.yaml", 6),)),
    Example("web-sends-tasks-to-the-broker", {
        "compose.yaml": BROKER_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        **SENDS_TASKS}, expect=(("compose.yaml", 2),)),
    Example("channel-layer-on-redis", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: daphne -b 0.0.0.0 -p 8000 app.asgi:application\n"
                        "  redis:\n    image: redis:7.4\n",
        **CHANNEL_LAYER_PROJECT},
        expect=(("compose.yaml", 2),)),
    # A Swarm stack's file (rolling updates): `docker stack deploy` ignores depends_on.
    Example("swarm-stack-file", {
        "compose.yaml": "services:\n  web:\n    image: registry.example.com/shop/web:1.4\n"
                        "    command: daphne -b 0.0.0.0 -p 8000 app.asgi:application\n"
                        "    deploy:\n      replicas: 4\n      update_config:\n        parallelism: 1\n"
                        "  redis:\n    image: redis:7.4\n",
        **CHANNEL_LAYER_PROJECT}),
    # The base file of an override that only Swarm reads (run as `docker stack deploy -c base -c override`).
    Example("base-file-of-a-swarm-override", {
        "docker-compose.yml": "services:\n  web:\n    image: registry.example.com/shop/web:1.4\n"
                              "    command: daphne -b 0.0.0.0 -p 8000 app.asgi:application\n"
                              "  redis:\n    image: redis:7.4\n",
        "docker-compose.override.yml": "services:\n  web:\n    deploy:\n      placement:\n"
                                       "        constraints: [node.role == manager]\n",
        **CHANNEL_LAYER_PROJECT}),
    # An overlay network, run with `docker-compose -f docker-compose.prod.yml up`: Compose's stack still.
    Example("overlay-network-under-compose", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: daphne -b 0.0.0.0 -p 8000 app.asgi:application\n"
                        "    networks: [back]\n  redis:\n    image: redis:7.4\n    networks: [back]\n"
                        "networks:\n  back:\n    driver: overlay\n    attachable: true\n",
        **CHANNEL_LAYER_PROJECT},
        expect=(("compose.yaml", 2),)),
    Example("replicas-alone-are-compose-s-too", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: daphne -b 0.0.0.0 -p 8000 app.asgi:application\n"
                        "    deploy:\n      replicas: 2\n  redis:\n    image: redis:7.4\n",
        **CHANNEL_LAYER_PROJECT},
        expect=(("compose.yaml", 2),)),
    # Channels' consumers run under daphne; gunicorn serves the WSGI application, which sends nothing to the layer.
    Example("wsgi-server-beside-the-channels-one", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "  ws:\n    build: .\n    command: daphne -b 0.0.0.0 -p 8001 app.asgi:application\n"
                        "    depends_on:\n      - redis\n  redis:\n    image: redis:7.4\n",
        **CHANNEL_LAYER_PROJECT, "app/consumers.py": "from channels.layers import get_channel_layer\n"}),
    Example("wsgi-view-that-sends-to-the-channel-layer", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "  redis:\n    image: redis:7.4\n",
        **CHANNEL_LAYER_PROJECT,
        "app/views.py": "from asgiref.sync import async_to_sync\nfrom channels.layers import get_channel_layer\n\n\n"
                        "def notify(request):\n    async_to_sync(get_channel_layer().group_send)('room', {})\n"},
        expect=(("compose.yaml", 2),)),
    # Celery connects when a task is sent: a web server whose code sends none never talks to the broker.
    Example("web-that-sends-no-task", {
        "compose.yaml": BROKER_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "shop/tasks.py": SENDS_TASKS["shop/tasks.py"], "shop/tests/test_tasks.py": SENDS_TASKS["shop/views.py"]}),
    # The development settings run each task in the view's own process: `.delay()` never reaches the broker.
    Example("web-whose-settings-run-tasks-in-place", {
        "compose.yaml": BROKER_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE, **SENDS_TASKS,
        "app/settings.py": "CELERY_TASK_ALWAYS_EAGER = True\n"}),
    # The view's one send is commented out: nothing sends a task.
    Example("web-whose-only-send-is-commented-out", {
        "compose.yaml": BROKER_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "shop/tasks.py": SENDS_TASKS["shop/tasks.py"],
        "shop/views.py": SENDS_TASKS["shop/views.py"].replace("    send_receipt.delay", "    # send_receipt.delay")}),
    Example("host-from-environment", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DB_HOST: postgres\n"
                        "  postgres:\n    image: postgres:16\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'HOST': os.environ.get('DB_HOST', 'localhost')}}\n"},
        expect=(("compose.yaml", 2),)),
    Example("celery-broker-in-settings", {
        "compose.yaml": "services:\n  worker:\n    build: .\n    command: celery -A app worker\n"
                        "  redis:\n    image: redis:7.4\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n"
                           "CELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://redis:6379/0')\n"},
        expect=(("compose.yaml", 2),)),
    Example("memcached-cache", {
        "compose.yaml": "services:\n  web:\n    build: .\n  memcached:\n    image: memcached:1.6\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',"
                           " 'LOCATION': 'memcached:11211'}}\n"}, expect=(("compose.yaml", 2),)),
    # An SSO mock reached over HTTP when a user logs in: no database, cache or broker (AUTHBROKER is no BROKER).
    Example("web-service-url", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "    environment:\n      AUTHBROKER_URL: http://mocksso:8080\n"
                        "  mocksso:\n    image: ukti/mock-sso\n",
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "manage.py": MANAGE}),
    Example("third-party-flower-image-runs-no-django", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "    depends_on:\n      - db\n      - redis\n"
                        "  db:\n    image: postgres:16\n  redis:\n    image: redis:7\n"
                        "  flower:\n    image: mher/flower:2.0\n"
                        "    command: celery flower --broker=redis://redis:6379/0 --port=5555\n"
                        "    env_file: .env\n    ports:\n      - \"5555:5555\"\n",
        ".env": "DATABASE_URL=postgres://app:secret@db:5432/app\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nCELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://redis:6379/0')\n"
                           "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"}),
    # Flower talks to the broker it waits for; the result backend on redis is read only for a task's result page.
    Example("flower-beside-a-result-backend-it-opens-on-request", _flower(
        "    depends_on:\n      - rabbit\n  rabbit:\n    image: rabbitmq:3.13\n  redis:\n    image: redis:7.4\n",
        "CELERY_BROKER_URL = 'amqp://guest:guest@rabbit:5672//'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/0'\n")),
    # The shared environment gives REDIS_URL, which the settings read for the cache alone: Flower never opens it.
    Example("flower-given-the-cache-url-it-never-opens", _flower(
        "    environment:\n      REDIS_URL: redis://redis:6379/1\n    depends_on:\n      - rabbit\n"
        "  rabbit:\n    image: rabbitmq:3.13\n  redis:\n    image: redis:7.4\n",
        "import os\nCELERY_BROKER_URL = 'amqp://guest:guest@rabbit:5672//'\n"
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n"
        "                      'LOCATION': os.environ.get('REDIS_URL')}}\n")),
    Example("flower-given-the-broker-url-through-redis-url", _flower(
        "    environment:\n      REDIS_URL: redis://redis:6379/1\n  redis:\n    image: redis:7.4\n",
        "import os\nCELERY_BROKER_URL = os.environ.get('REDIS_URL')\n"), expect=(("compose.yaml", 2),)),
    # The worker's settings name the cache's URL as a setting of its own: a task opens it, if one uses the cache.
    Example("worker-beside-a-cache-url-setting", {
        "compose.yaml": "services:\n  worker:\n    build: .\n    command: celery -A app worker\n"
                        "    depends_on:\n      - rabbit\n  rabbit:\n    image: rabbitmq:3.13\n"
                        "  cache:\n    image: redis:7.4\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "REDIS_URL = 'redis://cache:6379'\nCELERY_BROKER_URL = 'amqp://rabbit:5672'\n"
                           "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n"
                           "                      'LOCATION': REDIS_URL}}\n"}),
    Example("worker-whose-broker-is-the-redis-url", {
        "compose.yaml": "services:\n  worker:\n    build: .\n    command: celery -A app worker\n"
                        "  cache:\n    image: redis:7.4\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "REDIS_URL = 'redis://cache:6379'\nCELERY_BROKER_URL = REDIS_URL\n"},
        expect=(("compose.yaml", 2),)),
    # The entrypoint waits until the database answers; `docker compose up` starts it, and the wait orders them.
    Example("entrypoint-waits-for-the-database-the-stack-starts", WAITS_FOR_THE_DATABASE),
    # The project's script runs the service alone: Compose starts nothing it does not depend on, and the wait never
    # ends.
    Example("entrypoint-waits-but-a-script-runs-the-service-alone", {
        **WAITS_FOR_THE_DATABASE, "manage": "docker compose run --rm web python manage.py \"$@\"\n"},
        expect=(("compose.yaml", 8),)),
    Example("entrypoint-waits-for-the-database-not-the-cache", {
        **WAITS_FOR_THE_DATABASE, "compose.yaml": WAITS_FOR_THE_DATABASE["compose.yaml"].replace(
            "      SQL_HOST: db\n", "      SQL_HOST: db\n      REDIS_URL: redis://redis:6379/0\n"
                                  "  redis:\n    image: redis:7.4\n"),
        "app/settings.py": "import os\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',"
                           " 'LOCATION': os.environ['REDIS_URL']}}\n"},
        expect=(("compose.yaml", 8),)),
    # The entrypoint also waits for the broker by name: the wait orders them as it does the database.
    Example("entrypoint-waits-for-the-broker-by-name", {
        **WAITS_FOR_THE_DATABASE, "compose.yaml": WAITS_FOR_THE_DATABASE["compose.yaml"].replace(
            "      SQL_HOST: db\n", "      SQL_HOST: db\n      REDIS_URL: redis://redis:6379/0\n"
                                  "  redis:\n    image: redis:7.4\n"),
        "app/settings.py": "import os\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',"
                           " 'LOCATION': os.environ['REDIS_URL']}}\n",
        "entrypoint.sh": WAITS_FOR_THE_DATABASE["entrypoint.sh"].replace(
            "python manage.py", "while ! nc -z redis 6379; do\n  sleep 1\ndone\npython manage.py", 1)}),
    # cookiecutter-django's settings: the broker and the result backend take the project's REDIS_URL setting, and
    # the web server sends no task (a test does): it never connects to redis.
    Example("web-server-whose-redis-url-setting-only-celery-takes", WEB_AND_CELERY_ON_REDIS_URL),
    Example("web-server-that-sends-tasks-through-the-redis-url-setting", {
        **WEB_AND_CELERY_ON_REDIS_URL, "shop/views.py": "from .tasks import notify\n\n\ndef order(request):\n"
                                                        "    notify.delay(request.user.pk)\n"},
        expect=(("compose.yaml", 2),)),
    Example("web-server-whose-code-reads-the-redis-url-setting", {
        **WEB_AND_CELERY_ON_REDIS_URL, "shop/limits.py": "import redis\nfrom django.conf import settings\n\n"
                                                         "client = redis.from_url(settings.REDIS_URL)\n"},
        expect=(("compose.yaml", 2),)),
    Example("web-server-whose-cache-takes-the-redis-url-setting", {
        **WEB_AND_CELERY_ON_REDIS_URL, "app/settings.py": WEB_AND_CELERY_ON_REDIS_URL["app/settings.py"]
        + "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': REDIS_URL}}\n"},
        expect=(("compose.yaml", 2),)),
    Example("flower-started-before-its-broker", _flower(
        "  rabbit:\n    image: rabbitmq:3.13\n", "CELERY_BROKER_URL = 'amqp://guest:guest@rabbit:5672//'\n"),
        expect=(("compose.yaml", 2),)),
    Example("worker-runs-the-image-web-builds", {
        "compose.yaml": "services:\n  web:\n    build: .\n    image: registry.example.com/shop:latest\n"
                        "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n    depends_on:\n      - db\n"
                        "  worker:\n    image: registry.example.com/shop\n    command: celery -A app worker -l info\n"
                        "  db:\n    image: postgres:16\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"},
        expect=(("compose.yaml", 8),)),
    Example("python-image-with-the-source-mounted", {
        "compose.yaml": "services:\n  web:\n    image: python:3.12\n    working_dir: /code\n"
                        "    command: sh -c \"pip install -r requirements.txt && python manage.py runserver 0:8000\"\n"
                        "    volumes:\n      - .:/code\n  db:\n    image: postgres:16\n",
        "manage.py": MANAGE, "requirements.txt": "Django>=5.0,<5.2\npsycopg[binary]\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"},
        expect=(("compose.yaml", 2),)),
    Example("has-depends-on", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                               "manage.py": MANAGE}),
    Example("environment-names-the-database-the-settings-never-read", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      - DB_HOST=db\n"
                        "      - DB_NAME=app\n  db:\n    image: postgres:16\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                           "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',"
                           " 'NAME': BASE_DIR / 'db.sqlite3'}}\n"}),
    # Every worker takes its keys from &worker, which no other service merges: one line there fixes them all.
    Example("workers-sharing-an-anchor-reported-once-on-it", {
        "compose.yaml": WORKERS, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 7),)),
    Example("anchor-also-merged-by-a-service-that-depends-on-the-database", {
        "compose.yaml": WORKERS.replace("    command: celery -A app worker -Q mail\n",
                                        "    command: celery -A app worker -Q mail\n    depends_on:\n      - db\n"),
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 12),)),
    Example("migration-job-needs-the-database-not-the-broker", {
        "compose.yaml": JOB_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # The worker waits for its broker; the cache on redis is opened only by a task that uses it.
    Example("worker-beside-a-cache-it-opens-on-first-use", {
        "compose.yaml": "services:\n  worker:\n    build: .\n    command: celery -A app worker -l info\n"
                        "    depends_on:\n      - rabbit\n  rabbit:\n    image: rabbitmq:3.13\n"
                        "  redis:\n    image: redis:7.4\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "CELERY_BROKER_URL = 'amqp://guest:guest@rabbit:5672//'\n"
                           "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n"
                           "                      'LOCATION': 'redis://redis:6379/1'}}\n"}),
    # The settings put the cache on redis; migrate, run in poetry's environment, never opens the cache.
    Example("migration-job-in-poetrys-environment", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: poetry run gunicorn app.wsgi\n"
                        "    depends_on:\n      - db\n      - redis\n  migration:\n    build: .\n"
                        "    command: poetry run python3 manage.py migrate\n    depends_on:\n      - db\n"
                        "  db:\n    image: postgres:16\n  redis:\n    image: redis:7.4\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"
                           "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n"
                           "                      'LOCATION': 'redis://redis:6379/1'}}\n"}),
    Example("fixtures-job-needs-the-database-not-the-broker", {
        "compose.yaml": JOB_COMPOSE.replace("python manage.py wait_for_db && python manage.py migrate --noinput",
                                            "python manage.py migrate && python manage.py loaddata admin.json"),
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE, **SENDS_TASKS}),
    Example("migration-job-started-before-the-database", {
        "compose.yaml": JOB_COMPOSE.replace("    depends_on:\n      - db\n  db:", "  db:"),
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 13),)),
    Example("beat-on-its-schedule-file-needs-the-broker-alone", {
        "compose.yaml": JOB_COMPOSE.replace("python manage.py wait_for_db && python manage.py migrate --noinput",
                                            "celery -A app beat -l info").replace("    restart: \"no\"\n", "")
                                   .replace("      - db\n  db:", "      - redis\n  db:"),
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("beat-script-that-cleans-its-pid-file-first", {
        "compose.yaml": JOB_COMPOSE.replace("python manage.py wait_for_db && python manage.py migrate --noinput",
                                            "/app/beat.sh").replace("    restart: \"no\"\n", "")
                                   .replace("      - db\n  db:", "      - redis\n  db:").replace("migrate:", "beat:"),
        "beat.sh": "#!/bin/sh\nif [ -f celerybeat.pid ]; then\n  rm celerybeat.pid\nfi\ncelery -A app beat -l info\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("job-running-a-command-of-the-project-may-send-tasks", {
        "compose.yaml": JOB_COMPOSE.replace("python manage.py migrate --noinput", "python manage.py seed_demo_data"),
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE, **SENDS_TASKS}, expect=(("compose.yaml", 13),)),
    Example("mail-and-other-hosts", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      EMAIL_HOST: mailpit\n"
                        "      SENTRY_DSN: https://key@sentry:9000/1\n  mailpit:\n    image: axllent/mailpit:v1.20\n"
                        "  sentry:\n    image: getsentry/sentry:24.1.0\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("links-imply-order", {
        "compose.yaml": "services:\n  web:\n    build: .\n    links:\n      - db\n    environment:\n      DB_HOST: db\n"
                        "  db:\n    image: postgres:16\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("external-host", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                        "      DATABASE_URL: postgres://u:${PW}@db.example.com/app\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
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
    Example("worker-after-web-after-db", {
        "compose.yaml": "x-app: &app\n  build: .\n  environment:\n    DATABASE_URL: postgres://app:${PW}@db/app\n"
                        "services:\n  db:\n    image: postgres:16\n  web:\n    <<: *app\n    depends_on: [db]\n"
                        "  worker:\n    <<: *app\n    command: celery -A app worker\n    depends_on: [web]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("worker-after-web-that-starts-first", {
        "compose.yaml": "x-app: &app\n  build: .\n  environment:\n    DATABASE_URL: postgres://app:${PW}@db/app\n"
                        "services:\n  db:\n    image: postgres:16\n  web:\n    <<: *app\n"
                        "  worker:\n    <<: *app\n    command: celery -A app worker\n    depends_on: [web]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 8), ("compose.yaml", 10))),
    # The cache is started after the web service on purpose: `depends_on: [cache]` on web would be a cycle.
    Example("dependency-that-depends-on-the-service", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n  web:\n    build: .\n    depends_on: [db]\n"
                        "    environment:\n      DATABASE_URL: postgres://app:pw@db/app\n"
                        "      REDIS_URL: redis://cache:6379/0\n"
                        "  cache:\n    image: redis:7\n    depends_on: [web]\n",
        "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE}),
    Example("external-link", {
        "compose.yaml": "services:\n  web:\n    build: .\n    external_links:\n      - shared_postgres:db\n"
                        "    environment:\n      DB_HOST: db\n  db:\n    image: postgres:16\n    profiles: [own-db]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("new-depends-on-under-the-service-name",
            {"compose.yaml": DB_AND_CACHE + "  web:  # the app\n    # built here\n    build: .\n    environment:\n"
                             "      DATABASE_URL: postgres://app:pw@db/app\n      REDIS_URL: redis://cache:6379/0\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 6), ("compose.yaml", 6),),
            fixed={"compose.yaml": DB_AND_CACHE + "  web:  # the app\n    depends_on:\n      - cache\n      - db\n"
                                                  "    # built here\n"
                                   "    build: .\n    environment:\n      DATABASE_URL: postgres://app:pw@db/app\n"
                                   "      REDIS_URL: redis://cache:6379/0\n"}),
    Example("flow-list-and-mapping",
            {"compose.yaml": DB_AND_CACHE + "  web:\n    build: .\n    depends_on: [cache]\n    environment:\n"
                             "      - DATABASE_URL=postgres://app:pw@db/app\n"
                             "  worker:\n    build: .\n    depends_on:\n      cache:\n"
                             "        condition: service_started\n\n"
                             "    environment:\n      - DATABASE_URL=postgres://app:pw@db/app\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 6), ("compose.yaml", 11),),
            fixed={"compose.yaml": DB_AND_CACHE + "  web:\n    build: .\n    depends_on: [cache, db]\n"
                                                  "    environment:\n"
                                   "      - DATABASE_URL=postgres://app:pw@db/app\n"
                                   "  worker:\n    build: .\n    depends_on:\n      cache:\n"
                                   "        condition: service_started\n"
                                   "      db:\n        condition: service_started\n\n"
                                   "    environment:\n      - DATABASE_URL=postgres://app:pw@db/app\n"}),
])
def missing_depends_on(project: Project) -> Iterator[Violation]:
    """A service connects to another service but does not depend on it.

    ## What it does
    For each service that runs Django (its command, entrypoint or image runs
    `manage.py`, a WSGI/ASGI server or celery; a Python image that names no command
    counts, an asset, proxy or database image built beside it does not, nor a
    third-party image the project does not build, such as `mher/flower`, unless the
    service bind-mounts the project's source), finds the
    database, cache and broker services it talks to: host names in its
    `environment:` (URLs such as `DATABASE_URL` or `CELERY_BROKER_URL`, and variables
    such as `DB_HOST` or `REDIS_HOST`), the `HOST` of `DATABASES`, the `LOCATION` of
    `CACHES` (Redis, Memcached), broker URLs such as `CELERY_BROKER_URL` and the
    `hosts` of `CHANNEL_LAYERS` in the settings, evaluated with the service's
    environment. A Celery worker connects to its broker and result backend as it starts,
    to the cache only in a task that uses it (Django opens a cache on first use): its
    `CACHES` alone is not reported, nor a URL its settings read only for the cache
    (`REDIS_URL` beside a `CELERY_BROKER_URL` of its own). Celery connects to the broker
    when a task is sent: a container that runs no Celery needs the broker only when the
    project's code outside its tasks and tests sends one
    (`.delay()`, `.apply_async()`, `send_task()`, not in a comment) and its settings do not run
    every task in place (`CELERY_TASK_ALWAYS_EAGER = True`); a WSGI server (`gunicorn app.wsgi`) needs
    the Channels layer only when code outside the consumers sends to it (`get_channel_layer()`).
    A one-off job that runs only Django's database commands (`manage.py migrate`, `collectstatic`, `check`, a
    `wait_for_db` of the project's) needs the database, not a cache or a broker named
    there; a command of the project's or Python code djcheck does not read may use
    them, and counts. Celery's Flower (`celery -A app flower`) and beat on its schedule
    file (not django-celery-beat's database scheduler) read the broker and never the
    database or the cache the settings name. A service with no `build:` that runs the
    image another service builds and tags (`image: shop_django:latest` beside
    `image: shop_django`) runs its scripts. A PostgreSQL, MySQL or MariaDB
    host the environment names is not one when the settings are known and their
    `DATABASES` do not use it (settings on SQLite beside `DB_HOST: db`). Nor is a service on networks the
    service does not join (`networks: [frontend]` beside a cache on `backend`): it cannot reach it.
    Reports each one that is a
    service of the file but missing from `depends_on:` (or `links:`), directly or through
    the services it depends on (a worker that depends on web, which depends on db, starts
    after db). A host an `external_links:` alias names is a container outside the stack. A
    container that waits for its database as it starts (an entrypoint's `nc -z` loop,
    `wait-for-it db:5432`, a `wait_for_db` command), or for another server it names
    (`while ! nc -z rabbitmq 5672`), is in order when the whole stack starts
    (`docker compose up`): reported only when the project's scripts or README start it alone
    (`docker compose run --rm web ...`, `up web`), where nothing starts the database it waits for,
    and a one-off job (`migrate`) always, as it is run alone.
    Services that all take their keys from one anchored mapping (`<<: *worker`) that no
    other service merges, none with a `depends_on` of its own, miss a dependency once: it
    is reported on the anchor, where one line fixes them all. A service that others
    `extends` (a `base` holding the build and the environment they share) is their
    template: each service built on it is checked with its own `depends_on`, and the
    template is not.

    A Swarm stack's file is not checked: `docker stack deploy` ignores `depends_on`, and
    Swarm restarts a task that fails until its dependency answers. The file is a stack's
    when a pipeline or the documentation deploys it so, or it sets what only Swarm reads
    (`deploy.update_config`, `rollback_config`, `placement`, `mode: global`); so is a
    base file whose overrides, run with it, are a stack's.

    A service the dependency itself depends on (redis with `depends_on: [app]`) is not
    reported: Compose starts the two in that order on purpose, and a `depends_on` back
    would make a cycle, which Compose refuses.

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
    service lists its dependencies as a list, which cannot say so, and none for an anchor.

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`depends_on: - db` for the web service)
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
    - [Compose: control startup order](https://docs.docker.com/compose/how-tos/startup-order/)
    """
    by_name = {s.name: s for s in project.services}
    stack_files = project.setup.compose_files  # a Swarm override makes its base file a stack's
    missing: dict[tuple[str, str], tuple[Service, HostReference]] = {}  # by dependency and service, in order
    templates = {service.extends for service in project.services if service.extends}
    for service in project.services:
        if not project.runs_django(service) or any(written_for_swarm(project, path) for path in stack_files):
            continue  # an asset, proxy or database image: its environment is not Django's; a Swarm stack's service
        if service.name in templates:
            continue  # the template the web and worker services `extends`: each of them is checked with its own
        dependencies = started_after(service, by_name)
        references = [reference for reference in hosts_in_environment(service)
                      if not _settings_connect_elsewhere(project, service, by_name.get(reference.host))]
        for run in project.django_runs:
            if run.service is service:
                references += list(hosts_in_settings(run))
        if references and _database_job(project, service):
            references = [reference for reference in references if not _cache_or_broker(by_name.get(reference.host))]
        elif references and never_opens_the_database(project, service):  # Flower, beat on its schedule file
            # they talk to the broker; Django's cache and Celery's result backend are opened by the code they never
            # run (a view, a task, Flower's page of a task's result)
            references = [reference for reference in references if _cache_or_broker(by_name.get(reference.host))
                          and reference.name != "CACHES" and "RESULT_BACKEND" not in reference.name.upper()
                          and not _read_for_the_cache_alone(project, service, reference.name)]
        elif references and not _runs_celery(project, service):
            references = _without_unused_task_queue(project, service, references, _eager(project, service))
            if _serves_wsgi_only(project, service):
                references = _without_unused_channel_layer(project, references)
        elif references:  # a worker connects to its broker and result backend as it starts; to the cache only in
            # a task that uses it, and Django's cache connects on first use: nor is a URL the settings read only for
            # the cache (`REDIS_URL` beside `CELERY_BROKER_URL`) its broker
            references = [reference for reference in references if reference.name != "CACHES" and not (
                _cache_or_broker(by_name.get(reference.host)) and not TASK_QUEUE_NAME.search(reference.name)
                and _read_for_the_cache_alone(project, service, reference.name))]
        for reference in references:
            host = reference.host
            if host in by_name and host != service.name and host not in dependencies \
                    and service.name not in started_after(by_name[host], by_name) \
                    and _share_a_network(service, by_name[host]) and not _waited_for(project, service, by_name[host]):
                missing.setdefault((host, service.name), (service, reference))
    shared = _shared_anchors(project, missing)
    for (host, _), (service, reference) in missing.items():
        shared_by = shared.get((host, service.name))
        if shared_by is None:
            yield Violation(service.location, f"service {service.name} connects to {host} ({reference.how}) but "
                                              f"does not depend on it; add `depends_on: [{host}]`",
                            related=(reference.location,), fix=_depends_on_fix(project, service, by_name[host]))
        elif shared_by[1][0] == service.name:  # reported once, by the first service that merges the anchor
            anchor, names = shared_by
            yield Violation(anchor.location, f"services {', '.join(names)} (each merging &{anchor.value}) connect to "
                                             f"{host} ({reference.how}) but none depends on it; add "
                                             f"`depends_on: [{host}]` to &{anchor.value}",
                            related=(reference.location,))


def _waited_for(project: Project, service: Service, dependency: Service) -> bool:
    """Whether the service waits for the database as it starts (its entrypoint's ``nc -z`` loop, ``wait-for-it
    db:5432``) and the project starts it only with the whole stack (``docker compose up`` starts the database too):
    the wait puts them in order; so does a wait that names the server, whatever it is (``nc -z rabbitmq 5672``).
    Not a one-off job (``migrate``), which is run alone."""
    known = data_service(database_image(project, dependency))  # `build: ./db` from postgres: PostgreSQL all the same
    if _database_job(project, service) or started_without(project, service.name, dependency.name):
        return False
    runs = project.container_commands(service, project.build_for(service))
    return known is not None and known.persistent and waits_as_it_starts(service, runs) \
        or waits_for_host(service, runs, dependency.name)  # `while ! nc -z rabbitmq 5672`: any server, by name


def _shared_anchors(project: Project, missing: dict[tuple[str, str], tuple[Service, HostReference]]
                    ) -> dict[tuple[str, str], tuple[Located[str], list[str]]]:
    """For each (host, service) that misses a dependency, the anchored mapping to report it on once, when several
    services miss it and all take their keys from one mapping (``<<: *celery``) that no other service merges, and
    none has a ``depends_on`` of its own: one line there fixes them all. With it, the names of all of them."""
    merged_by: dict[Location, list[str]] = {}
    for service in project.services:
        for anchor in service.merges:
            merged_by.setdefault(anchor.location, []).append(service.name)
    shared: dict[tuple[str, str], tuple[Located[str], list[str]]] = {}
    hosts = {host for host, _ in missing}
    for host in sorted(hosts):
        lacking = {name: service for (needed, name), (service, _) in missing.items()
                   if needed == host and "depends_on" not in service.keys}
        anchors = {anchor.location: anchor for service in lacking.values() for anchor in service.merges}
        fitting = [anchor for location, anchor in anchors.items()
                   if len(merged_by[location]) > 1 and set(merged_by[location]) <= lacking.keys()]
        if not fitting:
            continue
        anchor = min(fitting, key=lambda candidate: len(merged_by[candidate.location]))
        names = merged_by[anchor.location]
        for name in names:
            shared[(host, name)] = (anchor, names)
    return shared



JOB_COMMANDS = frozenset({"migrate", "makemigrations", "showmigrations", "sqlmigrate", "collectstatic",
                          "compilemessages", "createcachetable", "check", "loaddata", "dumpdata"})
"""Django's management commands that use the database (or only files) and no cache or broker (``loaddata`` saves
its objects raw, as fixtures, not through the code that sends tasks)."""

WAIT_FOR_DATABASE = re.compile(r"wait_?for_?(?:db|database|postgres(?:ql)?|mysql|migrations)", re.I)
"""A project's own command that waits for the database (``manage.py wait_for_db``)."""


def _share_a_network(service: Service, other: Service) -> bool:
    """Whether two services can reach each other by name: they join a network in common (``default`` when
    ``networks:`` is not written), or one of them has a ``network_mode:`` of its own. A service on ``frontend``
    alone never reaches a cache on ``backend``: an order between them changes nothing."""
    if service.network_mode is not None or other.network_mode is not None:
        return True
    return bool((service.networks or frozenset({"default"})) & (other.networks or frozenset({"default"})))


def _database_job(project: Project, service: Service) -> bool:
    """Whether the container is a one-off job that runs only Django's database commands (``manage.py migrate``,
    ``collectstatic``, a ``wait_for_db`` of the project's): it needs the database, not a cache or a broker.

    Not one when it runs anything else of Django's (a server, celery, ``runserver``, ``shell``,
    ``createsuperuser``, whose signals may send tasks), Python code djcheck does not read
    (``python seed.py``), a task runner's target or a script djcheck cannot find.
    """
    runs = project.container_commands(service, project.build_for(service))
    read = {run.script.path.name for run in runs if run.script is not None}
    jobs = 0
    for run in runs:
        words = run.command.words
        if not words:
            continue
        name = program(run.command)
        command = management_command(run.command)
        if command is not None:
            if command not in JOB_COMMANDS and not WAIT_FOR_DATABASE.fullmatch(command):
                return False
            jobs += 1
        elif server(run.command) is not None or name in {"celery", "make", "just", "invoke", "task"} \
                or PYTHON.fullmatch(name) or (name.endswith(".sh") or words[0].startswith(("./", "../"))) \
                and name not in read:
            return False
    return jobs > 0


def _read_for_the_cache_alone(project: Project, service: Service, variable: str) -> bool:
    """Whether the settings the service loads read the variable (``REDIS_URL`` of its ``environment:``) only into
    settings that are not Celery's broker (``CACHES``, a channel layer), or not at all while they name the broker
    with a setting of its own (``CELERY_BROKER_URL``)."""
    readers = _readers(project, service, variable)
    if readers:
        return not any("BROKER" in name.upper() for name in readers)
    return "BROKER" not in variable.upper() and any(
        "BROKER" in name.upper() for settings in _loaded_settings(project, service) for name in settings.bindings)


def _for_celery_alone(project: Project, service: Service, name: str) -> bool:
    """Whether a variable of the service's environment, or a setting of the project's own, reaches Celery's settings
    alone among those that connect: ``CELERY_BROKER_URL = env("REDIS_URL")``, or ``REDIS_URL = env("REDIS_URL")``
    then ``CELERY_BROKER_URL = REDIS_URL`` with the cache elsewhere, and no code of the project reads that setting
    (``settings.REDIS_URL``). It is the task queue's."""
    loaded = _loaded_settings(project, service)
    readers = _readers(project, service, name) or ({name} if any(name in s.bindings for s in loaded) else set())
    for reader in readers:
        if TASK_QUEUE_NAME.search(reader):
            continue
        if reader in CONNECTIONS:
            return False
        takers = {taker for settings in loaded for taker, binding in settings.bindings.items()
                  if taker != reader and binding.node is not None
                  and any(isinstance(node, ast.Name) and node.id == reader for node in ast.walk(binding.node))}
        connecting = {taker for taker in takers if taker in CONNECTIONS or BROKER_SETTING.search(taker)
                      or TASK_QUEUE_NAME.search(taker)}
        if not connecting or not all(TASK_QUEUE_NAME.search(taker) for taker in connecting) \
                or _code_holds(project, re.compile(rb"\bsettings\." + re.escape(reader).encode() + rb"\b"),
                               WORKER_OR_TEST_FILE):
            return False
    return bool(readers)


def _loaded_settings(project: Project, service: Service) -> list[Settings]:
    """The settings modules the service's Django containers load."""
    return [settings for run in project.django_runs if run.service is service for settings in run.settings]


def _readers(project: Project, service: Service, variable: str) -> set[str]:
    """The settings, of the modules the service loads, whose value reads the environment variable."""
    return {name for settings in _loaded_settings(project, service)
            for name, binding in settings.bindings.items() if binding.node is not None
            and any(read.variable == variable for read in env_reads(binding.node, settings.bindings))}


def _runs_celery(project: Project, service: Service) -> bool:
    """Whether the container runs Celery (a worker, beat, Flower): it connects to the broker as it starts."""
    runs = project.container_commands(service, project.build_for(service))
    return any(program(run.command) == "celery" for run in runs)


TASK_QUEUE_NAME = re.compile(r"(?:^|_)(?:CELERY|BROKER|RESULT_BACKEND)", re.I)
"""A variable or setting of Celery's (``CELERY_BROKER_URL``, ``BROKER_URL``, ``CELERY_RESULT_BACKEND``)."""

SENDS_TASK = re.compile(rb"(?m)^[^#\n]*(?:\.(?:delay|apply_async)\(|\bsend_task\()")
"""Python code that sends a Celery task: ``notify.delay(...)``, ``app.send_task("...")``; not in a comment."""

WORKER_OR_TEST_FILE = re.compile(r"(?:tasks|celery|conftest|tests|test_\w+|\w+_tests?)\.py")
WORKER_OR_TEST_FOLDERS = frozenset({"tasks", "tests", "test"})
MAX_PYTHON_FILES = 5000
MAX_PYTHON_BYTES = 1 << 19


def _without_unused_task_queue(project: Project, service: Service, references: list[HostReference],
                               eager: bool = False) -> list[HostReference]:
    """The references but Celery's (named for it, or a variable the settings read into Celery's settings alone),
    when the project's code outside its tasks and tests sends no task, or the container's settings run every task in
    place (``eager``): a server that sends none never connects to the broker (Celery connects when a task is sent,
    not as Django starts)."""
    others = [reference for reference in references if not TASK_QUEUE_NAME.search(reference.name)
              and not _for_celery_alone(project, service, reference.name)]
    if len(others) == len(references) or not eager and _code_holds(project, SENDS_TASK, WORKER_OR_TEST_FILE):
        return references
    return others


EAGER_SETTINGS = ("CELERY_TASK_ALWAYS_EAGER", "CELERY_ALWAYS_EAGER")
"""The settings that make ``.delay()`` run the task in the calling process, with no broker (development's)."""


def _eager(project: Project, service: Service) -> bool:
    """Whether every settings module the container loads makes Celery run tasks in place
    (``CELERY_TASK_ALWAYS_EAGER = True``): its ``.delay()`` never reaches the broker."""
    runs = [run for run in project.django_runs if run.service is service]
    found = False
    for run in runs:
        for settings in run.settings:
            try:
                eager = any(run.setting(settings, name) is True for name in EAGER_SETTINGS
                            if name in settings.bindings)
            except Unknown:
                return False
            if not eager:
                return False
            found = True
    return found


def _serves_wsgi_only(project: Project, service: Service) -> bool:
    """Whether the container serves the project's WSGI application alone (``gunicorn config.wsgi``): Channels'
    consumers run under ASGI, so it meets the channel layer only through code that sends to it."""
    servers = project.servers(service, project.build_for(service))
    return bool(servers) and all(found.program in {"gunicorn", "uwsgi"} and found.module is not None
                                 and found.module.split(":")[0].rsplit(".", 1)[-1] == "wsgi" for found in servers)


USES_CHANNEL_LAYER = re.compile(rb"(?m)^[^#\n]*(?:\bget_channel_layer\(|\bgroup_send\()")
"""Python code that sends to Channels' layer: ``async_to_sync(get_channel_layer().group_send)(...)``; not in a
comment."""


def _without_unused_channel_layer(project: Project, references: list[HostReference]) -> list[HostReference]:
    """The references but the channel layer's hosts, when no code of the project outside its consumers and tests
    sends to the layer: a WSGI server never opens it."""
    others = [reference for reference in references if not reference.name.startswith("CHANNEL_LAYERS")]
    if len(others) == len(references) or _code_holds(project, USES_CHANNEL_LAYER, CONSUMER_OR_TEST_FILE):
        return references
    return others


CONSUMER_OR_TEST_FILE = re.compile(r"(?:consumers|routing|conftest|tests|test_\w+|\w+_tests?)\.py")


def _code_holds(project: Project, pattern: re.Pattern[bytes], skipped: re.Pattern[str]) -> bool:
    """Whether Python code below the project's folder, but the ``skipped`` files, holds ``pattern``
    (:func:`_python_matches`), looked for once per project: a task sent (:data:`SENDS_TASK`) outside the worker's
    modules and the tests, a message to the channel layer, a setting the code reads (``settings.REDIS_URL``)."""
    return project.once((__name__, pattern.pattern, skipped.pattern),
                        lambda: _python_matches(project.root, pattern, skipped))


def _python_matches(root: Path, pattern: re.Pattern[bytes], skipped: re.Pattern[str]) -> bool:
    """Whether a Python file below ``root``, but those ``skipped`` names and those of test and task folders, holds
    ``pattern``. Bounded: the first files and bytes of each."""
    read = 0
    for folder, dirs, files in os.walk(root, onerror=lambda error: None):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and d not in WORKER_OR_TEST_FOLDERS]
        for name in files:
            if not name.endswith(".py") or skipped.fullmatch(name):
                continue
            read += 1
            if read > MAX_PYTHON_FILES:
                return True  # too many to read: taken to hold it
            try:
                with open(os.path.join(folder, name), "rb") as file:
                    if pattern.search(file.read(MAX_PYTHON_BYTES)):
                        return True
            except OSError:
                continue
    return False


def _cache_or_broker(service: Service | None) -> bool:
    """Whether a service runs a cache or a broker (Redis, Valkey, RabbitMQ, Memcached) from a published image."""
    known = data_service(service.image.value if service is not None and service.image else None)
    return known is not None and not known.persistent and service is not None and service.build is None


def _settings_connect_elsewhere(project: Project, service: Service, host: Service | None) -> bool:
    """Whether ``host`` is a SQL database server the ``DATABASES`` of the service's settings, known, do not name:
    ``DB_HOST=db`` in the environment of settings on SQLite connects to nothing."""
    if host is None or sql_server(host) is None:
        return False
    hosts = database_hosts(project, service)
    return hosts is not None and host.name not in hosts


def _depends_on_fix(project: Project, service: Service, dependency: Service) -> Fix | None:
    """``dependency`` added to the service's ``depends_on``, in a form Compose accepts with every profile.

    The service waits for it to be healthy when it has a healthcheck (a started database
    does not yet accept connections). When a profile enables the service without the
    dependency, Compose refuses the project ("depends on undefined service") unless the
    entry says ``required: false``.
    """
    healthy = _health_checked(dependency)
    required = _always_enabled_with(dependency, service)
    edits = add_depends_on(project, service, dependency.name,
                           "service_healthy" if healthy else "service_started", required)
    return Fix(f"add {dependency.name} to depends_on", edits) if edits else None



def _health_checked(service: Service) -> bool:
    """Whether the service's ``healthcheck:`` has a test of its own, not disabled: Compose can wait until healthy."""
    check = service.healthcheck.value if service.healthcheck else None
    if not isinstance(check, dict) or check.get("disable") in (True, "true") or "test" not in check:
        return False
    test = check["test"]
    return bool(test) and test not in ("NONE", ["NONE"])



def _always_enabled_with(dependency: Service, service: Service) -> bool:
    """Whether Compose enables ``dependency`` whenever it enables ``service``: every profile of the service is its."""
    return not dependency.profiles or bool(service.profiles) and set(service.profiles) <= set(dependency.profiles)
