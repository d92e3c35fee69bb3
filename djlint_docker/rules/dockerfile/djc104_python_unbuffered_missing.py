"""DJC104 python-unbuffered-missing: the final image does not set `PYTHONUNBUFFERED`."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.parse.shell import PYTHON, program
from djlint_docker.project import APPLICATION_SERVERS, ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._final_image import API_TESTS, CADDY_ON_PYTHON, GUNICORN_BEHIND_TINI, WORKSPACE
from djlint_docker.rules.dockerfile._python_env import (
    BASE_IMAGE_DOCKERFILE,
    OWN_BASE,
    STAGED,
    image_runners,
    python_env_missing,
)
from djlint_docker.rules.dockerfile._supervisord import supervised_commands, supervised_sections
from djlint_docker.rules.snippets import MANAGE, WELL_BUILT_DOCKERFILE

J2_PROXY = {
    "webserver/Dockerfile": "FROM debian:bookworm\nRUN apt-get update && apt-get install -y "
                            "--no-install-recommends nginx python3-pip \\\n"
                            "    && pip install --no-cache-dir j2cli && rm -rf /var/lib/apt/lists/*\n"
                            "COPY start /start\nCOPY nginx.tmpl /nginx.tmpl\nCMD [\"/start\"]\n",
    "webserver/nginx.tmpl": "events {}\n",
    "docker-compose.yml": "services:\n  webserver:\n    build: webserver\n    ports:\n      - 80:80\n"}
"""An image on Debian whose start script renders nginx's configuration with j2cli; add ``webserver/start``."""
PRINTS_A_REPORT = {"app/report.py": "def report(done):\n    print(f'{done} orders sent')\n"}
"""A module of the project that prints: its output waits in stdout's buffer (examples)."""

SERVER_AND_WORKER = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
    "manage.py": MANAGE,
    "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"8000:8000\"\n"
                    "  worker:\n    build: .\n    command: celery -A app worker -l info\n"}
"""An image that gunicorn and a Celery worker run (examples)."""
DEBUG_TASK = ("import os\n\nfrom celery import Celery\n\n"
              "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\napp = Celery('app')\n"
              "app.config_from_object('django.conf:settings', namespace='CELERY')\n"
              "app.autodiscover_tasks()\n\n\n@app.task(bind=True, ignore_result=True)\ndef debug_task(self):\n"
              "    print(f'Request: {self.request!r}')\n")
"""A Celery app module whose only print is in a task."""


@rule("DJC104", "python-unbuffered-missing", Severity.WARNING, fix="safe", examples=[
    Example("no-env", {**PRINTS_A_REPORT, "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
                       "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    # gunicorn and Django write through logging's handlers, which flush each record; the code prints nothing.
    Example("application-server-and-no-print", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/views.py": "import logging\n\nlogging.getLogger(__name__).info('ready')\n",
        "tests/test_views.py": "def test_views():\n    print('debugging')\n"}),
    # The same server started in uv's environment by the image's start script.
    Example("application-server-uv-runs-and-no-print", {
        "Dockerfile": "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\n"
                      "RUN uv sync --frozen\nCMD [\"/app/start.sh\"]\n",
        "start.sh": "#!/bin/sh\nset -e\nuv run python manage.py migrate --noinput\n"
                    "exec uv run --frozen gunicorn app.wsgi:application --bind 0.0.0.0:8000\n",
        "manage.py": MANAGE, "app/views.py": "import logging\n\nlogging.getLogger(__name__).info('ready')\n"}),
    Example("set-in-base-stage", {
        "Dockerfile": "FROM python:3.12-slim AS base\nENV PYTHONUNBUFFERED 1\nFROM base\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}),
    # vsdebug.Dockerfile, begun and never written: nothing of the project's in it, nothing it starts.
    Example("stub-that-names-its-base-alone", {"vsdebug.Dockerfile": "FROM python:3.11.7\n", "manage.py": MANAGE}),
    Example("backup-image-built-on-the-database-image", {
        "Dockerfile.backup": "FROM postgres:15-alpine\nRUN apk add --no-cache python3 py3-pip aws-cli\n"
                             "RUN pip3 install --no-cache-dir boto3==1.35.0\nCOPY scripts/backup/ /scripts/\n"
                             "CMD [\"/scripts/backup-cron.sh\"]\n", "manage.py": MANAGE}),
    Example("set-among-others", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("set-by-every-service", {
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n  worker:\n    build: .\n"
                        "    environment:\n      - PYTHONUNBUFFERED=1\n", ".env": "export PYTHONUNBUFFERED=true\n"}),
    # The .env each clone makes may set anything, but the image meant to set the variable itself and misspelt it.
    Example("misspelt-beside-an-env-file-each-clone-makes", {
        **PRINTS_A_REPORT, "Dockerfile": "FROM python:3.9\nENV PYTHONNUNBUFFERED 1\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE, ".gitignore": ".env\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    env_file: .env\n"}, expect=(("Dockerfile", 1),)),
    Example("set-by-the-stack-that-builds-it-beside-a-database-stack", {
        "compose.db.yaml": "services:\n  db:\n    image: postgres:16\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      PYTHONUNBUFFERED: 1\n",
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("not-set-by-the-stack-that-builds-it-beside-a-database-stack", {**PRINTS_A_REPORT,
        "compose.db.yaml": "services:\n  db:\n    image: postgres:16\n",
        "compose.yaml": "services:\n  web:\n    build: .\n",
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("exported-by-the-entrypoint-script", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django gunicorn\n"
                      "ENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\nexport PYTHONUNBUFFERED=1\npython manage.py migrate\n"
                         "exec gunicorn app.wsgi --bind 0.0.0.0:8000\n", "manage.py": MANAGE}),
    Example("given-to-the-server-by-the-start-script", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django\n"
                      "CMD [\"/app/run.sh\"]\n",
        "run.sh": "#!/bin/sh\nPYTHONUNBUFFERED=1 exec ./manage.py runserver 0.0.0.0:8000\n", "manage.py": MANAGE}),
    Example("entrypoint-script-that-sets-another-variable", {**PRINTS_A_REPORT,
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django gunicorn\n"
                      "ENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\nexport PYTHONPATH=/app\nexec gunicorn app.wsgi --bind 0.0.0.0:8000\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("flask-mock-of-a-remote-api", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      PYTHONUNBUFFERED: 1\n"
                        "  payments-mock:\n    build: ./mocks/payments\n",
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "mocks/payments/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install Flask\n"
                                     "CMD [\"python\", \"app.py\"]\n",
        "mocks/payments/app.py": "from flask import Flask\napp = Flask(__name__)\n"}),
    Example("script-of-the-project-started-with-python", {
        "compose.yaml": "services:\n  web:\n    build: .\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install django\n"
                      "CMD [\"python\", \"serve.py\"]\n",
        "serve.py": "import django\nfrom django.core.management import call_command\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("node-image-installing-python-for-its-build-tools", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      PYTHONUNBUFFERED: 1\n"
                        "  assets:\n    build: ./frontend\n    command: gulp watch\n",
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "frontend/Dockerfile": "FROM node:22-alpine\nWORKDIR /src\nCOPY . /src\n"
                               "RUN apk add --no-cache python3 make g++\nRUN npm install -g gulp && npm install\n"}),
    # The compose file in docker/ builds the Dockerfile at the top, on a terminal.
    Example("terminal-given-by-a-compose-file-in-another-folder", {
        "docker/docker-compose.dev.yml": "services:\n  web:\n    build: ..\n    tty: true\n"
                                         "    command: python manage.py runserver 0.0.0.0:8000\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\nCOPY . /app\n", "manage.py": MANAGE}),
    Example("every-service-on-a-terminal", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE,
        "compose.yaml": "services:\n  web:\n    build: .\n    tty: true\n    ports:\n      - \"8000:8000\"\n"
                        "  worker:\n    build: .\n    tty: true\n    command: celery -A app worker -l info\n"}),
    Example("one-service-without-a-terminal", {**PRINTS_A_REPORT,
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE,
        "compose.yaml": "services:\n  web:\n    build: .\n    tty: true\n    ports:\n      - \"8000:8000\"\n"
                        "  worker:\n    build: .\n    command: celery -A app worker -l info\n"},
        expect=(("Dockerfile", 1),)),
    # Celery's Django template prints in a task: the worker hands a task's stdout to its logger.
    Example("server-and-worker-whose-only-print-is-in-a-task", {**SERVER_AND_WORKER, "app/celery.py": DEBUG_TASK}),
    Example("server-and-worker-printing-outside-a-task", {
        **SERVER_AND_WORKER, "app/celery.py": DEBUG_TASK + "\nprint('celery configured')\n"},
        expect=(("Dockerfile", 1),)),
    Example("not-python", {"Dockerfile": "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n",
                           "manage.py": MANAGE}),
    # The proxy's image installs certbot with pip: Python renews certificates, nginx serves.
    Example("proxy-image-that-installs-certbot", {
        "compose/nginx/Dockerfile": "FROM nginx\nRUN apt-get update && apt-get install -y --no-install-recommends "
                                    "python3-pip && pip3 install --no-cache-dir certbot \\\n"
                                    "    && rm -rf /var/lib/apt/lists/*\n"
                                    "CMD [\"/bin/bash\", \"-c\", \"/scripts/entrypoint.sh\"]\n",
        "docker-compose.yml": "services:\n  nginx:\n    build:\n      context: .\n"
                              "      dockerfile: compose/nginx/Dockerfile\n    ports:\n      - 80:80\n",
        "manage.py": MANAGE}),
    # A proxy built on Debian: Python installs j2cli, whose template the start script renders before nginx runs.
    Example("proxy-started-by-a-script-on-a-distribution-base", {
        **J2_PROXY,
        "webserver/start": "#!/bin/bash\nj2 /nginx.tmpl > /etc/nginx/nginx.conf\nexec nginx -g 'daemon off;'\n",
        "manage.py": MANAGE}),
    Example("application-started-by-a-script-on-a-distribution-base", {
        **J2_PROXY,
        "webserver/start": "#!/bin/bash\nj2 /nginx.tmpl > /etc/nginx/nginx.conf\nnginx\n"
                           "exec python3 -m http.server 8000\n",
        "manage.py": MANAGE}, expect=(("webserver/Dockerfile", 1),)),
    Example("in-the-stage-compose-builds", {**PRINTS_A_REPORT,
        "Dockerfile": "FROM python:3.12-slim AS app\nENV PYTHONDONTWRITEBYTECODE=1\nCMD [\"gunicorn\", \"app.wsgi\"]\n"
                      "FROM app AS dev\nENV PYTHONUNBUFFERED=1\n",
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      target: app\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),),
        fixed={"Dockerfile": "FROM python:3.12-slim AS app\nENV PYTHONUNBUFFERED=1\nENV PYTHONDONTWRITEBYTECODE=1\n"
                             "CMD [\"gunicorn\", \"app.wsgi\"]\nFROM app AS dev\nENV PYTHONUNBUFFERED=1\n"}),
    Example("editor-workspace-beside-the-application-image", {
        **WORKSPACE, "Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("application-image-beside-an-editor-workspace", {**PRINTS_A_REPORT,
        **WORKSPACE, "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("targets-derived-from-one-stage-reported-once", {**STAGED, **PRINTS_A_REPORT}, expect=(("Dockerfile", 1),)),
    Example("set-in-the-stage-every-target-derives-from", {
        **STAGED,
        "Dockerfile": STAGED["Dockerfile"].replace("WORKDIR /app\n", "ENV PYTHONUNBUFFERED=1\nWORKDIR /app\n")}),
    Example("set-by-the-projects-own-base-image", OWN_BASE),
    Example("the-projects-own-base-image-does-not-set-it", {
        **OWN_BASE, "larder/docker/production/report.py": PRINTS_A_REPORT["app/report.py"],
        "larder/docker/base/Dockerfile": BASE_IMAGE_DOCKERFILE.replace(" PYTHONUNBUFFERED=1", "")},
        expect=(("larder/docker/production/Dockerfile", 1),)),
    Example("own-base-image-built-from-a-dockerfile-named-otherwise", {
        key: text for key, text in OWN_BASE.items() if key != "larder/docker/base/Dockerfile"}),
    Example("base-image-a-compose-service-builds", {
        "compose.yaml": "services:\n  base:\n    build: {context: ., dockerfile: Dockerfile.base}\n"
                        "    image: shop/base\n  web:\n    build: .\n    command: gunicorn shop.wsgi\n",
        "Dockerfile.base": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n",
        "Dockerfile": "FROM shop/base\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
        "manage.py": MANAGE}),
    # The organisation's Python base image, built in another repository: what it sets is unknown.
    Example("an-organisations-base-image", {
        **OWN_BASE, "larder/docker/production/Dockerfile": OWN_BASE["larder/docker/production/Dockerfile"].replace(
            "larder/base:latest", "ghcr.io/acme/python-base:3.12")}),
    Example("base-image-argument-defaulting-to-python", {**PRINTS_A_REPORT,
        "Dockerfile": "ARG BASE_IMAGE=python:3.12-slim\nFROM ${BASE_IMAGE}\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("vendor-image-passed-by-compose", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: ./app\n      args:\n        - APP_IMAGE\n",
        ".env": "APP_IMAGE=ghcr.io/acme/helpdesk:24.1.0\n",
        "app/Dockerfile": "ARG APP_IMAGE\nFROM ${APP_IMAGE}\n"
                          "RUN pip install --no-cache-dir helpdesk-plugin-s3==1.2.0\n",
        "app/manage.py": MANAGE}),
    Example("official-image-passed-by-compose", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: ./app\n      args:\n        - APP_IMAGE\n",
        ".env": "APP_IMAGE=python:3.12-slim\n",
        "app/Dockerfile": "ARG APP_IMAGE\nFROM ${APP_IMAGE}\nRUN pip install --no-cache-dir django\n",
        "app/manage.py": MANAGE}, expect=(("app/Dockerfile", 2),)),
    Example("distribution-base-installing-python", {**PRINTS_A_REPORT,
        "Dockerfile": "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n"
                      "    python3 python3-venv && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\n"
                      "RUN python3 -m venv /venv && /venv/bin/pip install --no-cache-dir -r requirements.txt\n"
                      "CMD [\"/venv/bin/gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("distribution-image-outside-docker-hub", {**PRINTS_A_REPORT,
        "Dockerfile": "ARG BASE=quay.io/centos/centos:stream9\nFROM ${BASE}\n"
                      "RUN dnf install -y python3.12 python3.12-pip && dnf clean all\nWORKDIR /srv\nCOPY . .\n"
                      "RUN python3.12 -m pip install --no-cache-dir -r requirements.txt\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("public-uv-image", {
        **PRINTS_A_REPORT,
        "Dockerfile": "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\n"
                      "RUN uv sync --frozen --no-dev\nCMD [\"uv\", \"run\", \"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("python-base-running-caddy", {**CADDY_ON_PYTHON, "manage.py": MANAGE}),
    # A development database image: Python runs only at build time, to apply the migrations; the container runs
    # postgres as its user. The application's image beside it, run the same way, is Python's.
    Example("database-image-migrated-at-build-time", {
        "compose.yaml": "services:\n  db:\n    build:\n      context: .\n      dockerfile: docker/db/Dockerfile\n"
                        "  web:\n    build: .\n",
        "Dockerfile": WELL_BUILT_DOCKERFILE,
        "docker/db/Dockerfile": "FROM alpine:3.20\nRUN apk add --no-cache postgresql16 python3 py3-pip su-exec\n"
                                "COPY . /opt/code\nRUN /opt/code/docker/db/migrate.sh\n"
                                "CMD [\"su-exec\", \"postgres\", \"postgres\"]\n",
        "manage.py": MANAGE}),
    Example("application-run-as-its-user", {
        "Dockerfile": "FROM python:3.12-alpine\nRUN apk add --no-cache su-exec && adduser -D app\nWORKDIR /app\n"
                      "COPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                      "CMD [\"su-exec\", \"app\", \"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("python-base-running-gunicorn-behind-tini", {
        **PRINTS_A_REPORT, **GUNICORN_BEHIND_TINI, "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("test-image-beside-the-application", {**PRINTS_A_REPORT,
        **API_TESTS, "Dockerfile": "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\nWORKDIR /app\nCOPY . .\n"
                                   "RUN pip install --no-cache-dir -r requirements.txt\n"
                                   "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
])
def python_unbuffered_missing(project: Project) -> Iterator[Violation]:
    """The final image does not set `PYTHONUNBUFFERED`.

    ## What it does
    Checks the environment of the final stage (including the stages it is built from)
    of an image that runs Python for `PYTHONUNBUFFERED`. When every compose service
    that runs the image sets it (`environment:` or `env_file:`, its own or one it
    `extends`; an env file djcheck cannot know, absent with no template, such as the
    server's `/etc/env/shop.env`, may, unless the Dockerfile misspells the variable, `ENV PYTHONNUNBUFFERED 1`,
    and so meant to set it itself) or gives it a terminal (`tty: true`: Python line-buffers its output on a
    terminal), that is enough; for a Dockerfile beside a compose file that does not build
    it (a database-only stack), the services of the project's other compose files that do.
    So is what the image starts setting it itself (`export PYTHONUNBUFFERED=1` in its
    entrypoint script, `PYTHONUNBUFFERED=1 ./manage.py runserver`), and, for an image no
    compose file of the project runs, an env file or template at the top of its build
    context that sets it (`.env.sample`, a template, not a plain env file: the environment its deployment passes with
    `docker run --env-file` or a compose file kept elsewhere). An image whose every
    container runs an application server (gunicorn, uvicorn, daphne, hypercorn, uWSGI)
    or Celery, directly, in the project's environment (`uv run gunicorn`, `poetry run
    celery`) or as supervisord's programs (`[program:web]` with `command=gunicorn ...`,
    beside no other Python program), is not reported when the project's code it holds prints nothing (no
    `print(` nor `sys.stdout.write(` outside tests, migrations and Celery tasks, whose
    stdout a worker hands to its logger): what those servers and
    Django write goes through logging's handlers, which flush each record. runserver
    writes its banner to stdout, and a script may print anything: they are checked.
    A Dockerfile the project's compose files build to several targets derived from one
    another (`release`, then `development`, then `unittests`) is reported once, at the
    stage every target lacking the variable is made from: one `ENV` there covers them all.

    An image whose ENTRYPOINT or CMD runs another program (`caddy run`, `nginx`, `node`, a
    Python file of another framework's application: `python app.py` importing Flask, a
    chat bot's `runbot.py` importing aiogram; a start script that runs `nginx` and nothing
    of Python's),
    directly or as another user (`su-exec postgres postgres`, `gosu`), is a proxy's, a
    frontend's or a database's even on a `python` base or when its build runs Python (a
    development database migrated at build time), and an editor's workspace image
    (`.devcontainer/`) is not the application's: neither is checked. Nor is an image built
    on a web server's official image (`nginx`, `caddy`, `httpd`) that installs no Django:
    the certbot it adds with pip renews the proxy's certificates; nor one on Node's official
    image that installs no Django (the `pywatchman` of a frontend's file watcher).

    A test image (its Dockerfile or build target named for tests, or built by a test
    stack alone) is not reported: nothing ships it.

    An image built from one of the project's own images inherits that image's `ENV`: one a
    compose service builds (`image: shop/base` beside `build:`), or one the project
    publishes (a namespace naming the project: `wger/base` in wger) whose Dockerfile lies
    in a folder named for it beside or above the Dockerfile (`docker/base/Dockerfile`), or
    is named `Dockerfile.base`. Any other base image whose Dockerfile is not found may set
    the variable itself, and is not reported: an own image CI builds from a file named
    otherwise, an organisation's base image (`FROM acme/python-base:3.12`), one built on the
    machine. Official images (`python`, `debian`, `ubuntu`), distributions' own
    (`quay.io/centos/centos`, `ubi9/ubi`), well-known public Python images
    (`ghcr.io/astral-sh/uv`, `bitnami/python`, `cimg/python`, `nikolaik/python-nodejs`,
    `tiangolo/*`) and an `ARG` without a default (`FROM ${FROM}`, which build scripts set
    to such an image) are known not to set it; but such an `ARG` that a compose build
    passes (`args: [APP_IMAGE]`) is the image `.env` names, which may.

    ## Why is this bad?
    Without a terminal Python buffers stdout (and, before Python 3.9, stderr): `docker
    logs` shows what is printed late, and what is still in the buffer is lost when the
    process crashes.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ENV PYTHONUNBUFFERED=1
    ```

    ## Fix safety
    Safe: an `ENV` line is added after `FROM`.

    ## References
    - [Python: PYTHONUNBUFFERED](https://docs.python.org/3/using/cmdline.html#envvar-PYTHONUNBUFFERED)
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
    """
    return python_env_missing(project, "PYTHONUNBUFFERED", "logs arrive late and are lost on a crash",
                              lambda project, build: not _run_on_a_terminal(project, build)
                              and not (_output_through_logging(project, build) and not _prints(project, build)))


def _run_on_a_terminal(project: Project, build: ImageBuild) -> bool:
    """Whether every compose service running the image gives it a terminal (``tty: true``): Python's stdout is then
    line-buffered, as it is on any terminal, and each line reaches ``docker logs`` when it is written (the services
    of the project's other setups for an image none of this setup's builds, :func:`image_runners`)."""
    running = image_runners(project, build)
    return bool(running) and all((owner.written_value(s, "tty") or "").lower() == "true" for owner, s in running)


def _output_through_logging(project: Project, build: ImageBuild) -> bool:
    """Whether every container of the image runs an application server (gunicorn, uvicorn, daphne...) or Celery:
    what they and Django write goes through logging's handlers, which flush each record, to stderr. (runserver
    writes its banner and requests to stdout, a script may print anything.)"""
    services: list[Service | None] = [service for service in project.services if service.name in build.services]
    for service in services or [None]:
        servers = project.servers(service, build)
        if servers and all(found.program in APPLICATION_SERVERS for found in servers):
            continue
        if not servers and any(program(run.command) == "celery" for run in project.container_commands(service, build)):
            continue
        if not servers and _supervises_servers(project, service, build):
            continue
        return False
    return True


def _supervises_servers(project: Project, service: Service | None, build: ImageBuild) -> bool:
    """Whether the container's supervisord runs an application server or Celery, and no other Python program (a
    proxy beside them writes no Python output): ``[program:django]`` with ``command=gunicorn ...``."""
    if build.dockerfile is None:
        return False
    commands = [run.command for run in project.container_commands(service, build)]
    sections = supervised_sections(project, build, build.dockerfile, commands)
    python = [command for command in supervised_commands(sections or [])
              if program(command) in APPLICATION_SERVERS | {"celery"} or PYTHON.fullmatch(program(command))]
    return bool(python) and all(program(command) in APPLICATION_SERVERS | {"celery"} for command in python)


PRINTS = re.compile(r"^[ \t]*(?:print\(|sys\.stdout\.write\()", re.M)
MAX_SCANNED = 400


def _prints(project: Project, build: ImageBuild) -> bool:
    """Whether the project's code the image holds writes to stdout itself (``print(``, ``sys.stdout.write(``), tests
    and migrations aside: that output waits in the buffer. (The first :data:`MAX_SCANNED` modules are read; past
    them it may.)"""
    modules = [entry for entry in project.context_entries(build) if not entry.is_dir
               and entry.relative.endswith(".py") and not TESTS.search(entry.relative)]
    for entry in modules[:MAX_SCANNED]:
        text = project.text(entry.context / entry.relative)
        if text is not None and PRINTS.search(text) and _prints_outside_tasks(text):
            return True
    return len(modules) > MAX_SCANNED


TASK_DECORATOR = re.compile(r"(?:^|\.)(?:shared_)?task$")
"""``@shared_task``, ``@app.task``, ``@celery_app.task(bind=True)``: the decorators that make a Celery task."""


def _prints_outside_tasks(text: str) -> bool:
    """Whether a module prints other than in the body of a Celery task (the ``debug_task`` of Celery's Django
    template): a worker hands a task's stdout to its logger (``worker_redirect_stdouts``, on by default), which
    flushes each record. A module Python cannot read counts as printing."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return True
    in_tasks: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                TASK_DECORATOR.search(ast.unparse(d.func if isinstance(d, ast.Call) else d))
                for d in node.decorator_list):
            in_tasks.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    line, counted = 1, 0
    for match in PRINTS.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if line not in in_tasks:
            return True
    return False


TESTS = re.compile(r"(?:^|/)(?:tests?|migrations)/|(?:^|/)(?:test_[^/]*|[^/]*_tests?|conftest)\.py$")
