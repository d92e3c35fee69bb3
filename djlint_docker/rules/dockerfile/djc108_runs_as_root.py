"""DJC108 runs-as-root: the final image runs as root."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import parse_image, s6_overlay_base
from djlint_docker.parse.compose import Service
from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.parse.shell import Command, option_values, program, script_lines, split_line
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._final_image import (
    CADDY_ON_PYTHON,
    GUNICORN_BEHIND_TINI,
    ROOT_USERS,
    USER_CREATORS,
    WORKSPACE,
    application_images,
    test_image,
)
from djlint_docker.rules.dockerfile._supervisord import (
    PROGRAM_SECTIONS,
    WRITTEN_BY_A_RUN,
    IniSection,
    supervised_sections,
)
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY, building_dockerfile_dev
from djlint_docker.rules.snippets import MANAGE, WELL_BUILT_DOCKERFILE

SCRIPTED_START = ("FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"/srv/docker/start.sh\"]\n")
SCRIPTED_START_SH = ("#!/bin/bash\nROOT=/srv\nchown -R www-data:www-data /data\npython manage.py migrate --noinput\n"
                     "exec bash ${ROOT}/docker/run-gunicorn.sh\n")
"""An image whose start script prepares the data volume as root and runs another script to start the server."""


NAMED_ENTRYPOINT = ("FROM acme/python-base:3.12\nRUN groupadd --system app && useradd --system --gid app app\n"
                    "COPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt\n"
                    "COPY docker/app-entrypoint.sh /scripts/\nCOPY . /app\nWORKDIR /app\n"
                    "ENTRYPOINT [\"tini\", \"--\", \"app-entrypoint.sh\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n")
NAMED_ENTRYPOINT_SH = ("#!/bin/sh\nset -e\nif [ \"$1\" = gunicorn ]; then\n  chown -R app:app /app/media\n"
                       "  su-exec app python manage.py migrate --noinput\n"
                       "  set -- su-exec app \"$@\" --config /etc/gunicorn.py\nfi\nexec \"$@\"\n")
"""An image whose entrypoint, copied into a folder its base image puts on PATH, is run by its bare name."""


S6_BASE_IMAGE = {
    "Dockerfile": "FROM lscr.io/linuxserver/baseimage-alpine:3.20\nCOPY root/requirements.txt /\n"
                  "RUN apk add --no-cache python3 py3-pip uwsgi-python3 \\\n"
                  "    && pip3 install --no-cache-dir --break-system-packages -r /requirements.txt\n"
                  "COPY root/ /\nEXPOSE 8000\nVOLUME /config\n",
    "root/requirements.txt": "Django==5.1.4\n", "root/app/manage.py": MANAGE,
    "root/etc/s6-overlay/s6-rc.d/svc-app/type": "longrun\n",
    "root/etc/s6-overlay/s6-rc.d/svc-app/run": "#!/usr/bin/with-contenv bash\ncd /app || exit 1\n"
                                               "exec uwsgi --ini /etc/uwsgi/app.ini\n",
    "root/etc/uwsgi/app.ini": "[uwsgi]\nchdir = /app\nmodule = app.wsgi:application\nhttp-socket = :8000\n"
                              "master = true\nuid = abc\ngid = abc\n"}
"""An image built from LinuxServer.io's base image, whose ``/init`` runs the services of ``/etc/s6-overlay``."""


OWN_BASE_AND_APP = {
    "larder/.git/HEAD": "ref: refs/heads/main\n", "larder/manage.py": MANAGE,
    "larder/Dockerfile-base": "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
    "larder/Dockerfile": "FROM acme/larder-base:2.1\nWORKDIR /app\nCOPY . .\nRUN useradd app\nUSER app\n"
                         "CMD [\"gunicorn\", \"larder.wsgi\"]\n"}
"""A project (the repository ``larder``) with its own base image (``Dockerfile-base``, published as
``acme/larder-base``) and the application image built from it (examples)."""


APACHE_ON_OWN_BASE = {
    "manage.py": MANAGE,
    "deploy/Dockerfile.base": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nRUN pip install --no-cache-dir django\n",
    "deploy/Dockerfile.site": "FROM labs/alyx:base\nENV APACHE_RUN_USER=www-data\n"
                              "RUN apt-get update && apt-get install -y --no-install-recommends apache2 "
                              "libapache2-mod-wsgi-py3 && rm -rf /var/lib/apt/lists/*\n"}
"""A project's base image (``Dockerfile.base``, published as ``labs/alyx:base``) and the Apache image built from it."""


SUPERVISED = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /opt/app\nCOPY . .\nRUN pip install --no-cache-dir django daphne\n"
                  "CMD [\"/usr/bin/supervisord\", \"-c\", \"/opt/app/supervisor.conf\"]\n",
    "manage.py": MANAGE}
SUPERVISOR_CONF = ("[supervisord]\nnodaemon=true\n\n[program:web]\n"
                   "command=daphne -b 0.0.0.0 app.asgi:application\nuser=www-data\n\n"
                   "[program:nginx]\ncommand=/usr/sbin/nginx -c /opt/app/nginx.conf\n")
"""An image whose CMD starts supervisord, which runs daphne as www-data and nginx as root (examples)."""


SUPERVISOR_INCLUDES = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY . .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\n"
                  "COPY deploy/supervisord.conf /etc/supervisor/supervisord.conf\n"
                  "COPY deploy/conf.d/ /etc/supervisor/conf.d/\n"
                  "CMD [\"supervisord\", \"-c\", \"/etc/supervisor/supervisord.conf\"]\n",
    "deploy/supervisord.conf": "[supervisord]\nnodaemon=true\nuser=root ; supervisord itself\n\n"
                               "[include]\nfiles = /etc/supervisor/conf.d/*.conf\n",
    "deploy/conf.d/web.conf": "[program:web]\ncommand=gunicorn -c %(ENV_APP_HOME)s/gunicorn.py app.wsgi\nuser=app\n",
    "deploy/conf.d/worker.conf": "[program:worker]\ncommand=celery worker\n  --app=app --uid=1000\n",
    "requirements.txt": "django==5.1.4\ngunicorn==23.0.0\ncelery==5.4.0\n", "manage.py": MANAGE}
"""An image whose supervisord includes the programs' files it copies into ``/etc/supervisor/conf.d/`` (examples)."""


@rule("DJC108", "runs-as-root", Severity.WARNING, examples=[
    Example("no-user", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("back-to-root", {"Dockerfile": "FROM python:3.12-slim\nUSER app\nRUN echo\nUSER root\n",
                             "manage.py": MANAGE}, expect=(("Dockerfile", 4),)),
    # vsdebug.Dockerfile, begun and never written: nothing of the project's in it, nothing it starts.
    Example("stub-that-names-its-base-alone", {"vsdebug.Dockerfile": "FROM python:3.11.7\n", "manage.py": MANAGE}),
    # The python:*-onbuild images copy the build context and install its requirements by their ONBUILD triggers.
    Example("onbuild-base-alone", {"Dockerfile": "FROM python:3.5-onbuild\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("user-in-final-stage", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    # An organisation's base made the user the files are handed to, and runs as it.
    Example("organisation-base-with-its-user", {
        "Dockerfile": "ARG IMAGE=ghcr.io/acme/python-base\nFROM $IMAGE:3\nCOPY --chown=app . .\nRUN acme-build\n"
                      "CMD [\"acme-wsgi\", \"config.wsgi:application\"]\n", "manage.py": MANAGE}),
    Example("organisation-base-user-made-here", {
        "Dockerfile": "FROM ghcr.io/acme/python-base:3\nRUN useradd --create-home app\nCOPY --chown=app . .\n"
                      "CMD [\"gunicorn\", \"config.wsgi\"]\n", "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("lowercase-dockerfile-built-by-compose", {
        "compose.yaml": "services:\n  web:\n    build: .\n",
        "dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("dockerfile", 1),)),
    Example("lowercase-dockerfile-alone", {"dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
                                           "manage.py": MANAGE}, expect=(("dockerfile", 1),)),
    Example("gunicorn-switches-user", {
        "Dockerfile": "FROM python:3.12-slim\nRUN useradd app\nCMD [\"gunicorn\", \"--user\", \"app\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}),
    # The start script fixes the volume's owner as root, then runs another script that starts gunicorn.
    Example("gunicorn-switches-user-in-a-script-the-start-script-runs", {
        "Dockerfile": SCRIPTED_START, "manage.py": MANAGE, "docker/start.sh": SCRIPTED_START_SH,
        "docker/run-gunicorn.sh": "#!/bin/bash\nexec gunicorn app.wsgi -b 0.0.0.0:8000 \\\n"
                                  "    --user www-data --group www-data\n"}),
    Example("gunicorn-as-root-in-a-script-the-start-script-runs", {
        "Dockerfile": SCRIPTED_START, "manage.py": MANAGE, "docker/start.sh": SCRIPTED_START_SH,
        "docker/run-gunicorn.sh": "#!/bin/bash\nexec gunicorn app.wsgi -b 0.0.0.0:8000\n"},
        expect=(("Dockerfile", 1),)),
    Example("uwsgi-switches-user", {
        "Dockerfile": "FROM python:3.12-slim\nRUN useradd app\nCMD uwsgi --http :8000 --uid=app --module app.wsgi\n",
        "manage.py": MANAGE}),
    Example("uwsgi-ini-sets-uid", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends "
                      "mime-support && rm -rf /var/lib/apt/lists/*\nWORKDIR /srv/app\nCOPY . .\n"
                      "CMD [\"uwsgi\", \"--ini\", \"deploy/uwsgi.ini\"]\n",
        "deploy/uwsgi.ini": "[uwsgi]\nmodule = app.wsgi:application\nhttp-socket = :8000\nmaster = true\n"
                            "uid = www-data\ngid = www-data\n", "manage.py": MANAGE}),
    Example("uwsgi-ini-given-alone-to-a-start-script", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /etc/app\nCOPY . .\nCMD [\"./start.sh\"]\n",
        "start.sh": "#!/usr/bin/env bash\npython manage.py migrate --noinput\n"
                    "exec uwsgi --http 0.0.0.0:${PORT:-8000} server.ini\n",
        "server.ini": "[uwsgi]\nmodule = app.wsgi\nprocesses = 4\nuid = 33\ngid = 33\n", "manage.py": MANAGE}),
    # Two Dockerfiles run the same start script; the final stage inherits its parent's WORKDIR.
    Example("uwsgi-script-shared-by-two-dockerfiles", {
        **{f"docker/{name}.Dockerfile": f"FROM python:3.12-{name} AS app\nWORKDIR /opt/app\nCOPY . .\n"
                                         "CMD [\"./run.sh\"]\n\nFROM app AS app-with-extras\nRUN pip install "
                                         "--no-cache-dir sentry-sdk\n" for name in ("slim", "alpine")},
        "run.sh": "#!/bin/sh\nset -e\nexec uwsgi --http :8000 uwsgi.ini\n",
        "uwsgi.ini": "[uwsgi]\nmodule = app.wsgi\nuid = www-data\n", "manage.py": MANAGE}),
    Example("uwsgi-config-in-etc-named-by-environment", {
        "Dockerfile": "FROM python:3.12-slim\nENV UWSGI_INI=/etc/uwsgi/app.ini\nCOPY docker/app.ini /etc/uwsgi/\n"
                      "COPY . /app\nCMD [\"uwsgi\"]\n",
        "docker/app.ini": "[uwsgi]\nchdir = /app\nmodule = app.wsgi\nuid = app\n", "manage.py": MANAGE}),
    Example("uwsgi-ini-without-uid", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY . .\nCMD [\"uwsgi\", \"--ini\", \"uwsgi.ini\"]\n",
        "uwsgi.ini": "[uwsgi]\nmodule = app.wsgi\nhttp-socket = :8000\n\n[dev]\nuid = app\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("nginx-unit-runs-applications-unprivileged", {
        "Dockerfile": "FROM unit:1.34.1-python3.12\nCOPY requirements.txt /app/\n"
                      "RUN pip install --no-cache-dir -r /app/requirements.txt\nCOPY . /app\n"
                      "COPY unit.json /docker-entrypoint.d/\n"
                      "CMD [\"unitd\", \"--no-daemon\", \"--control\", \"unix:/var/run/control.unit.sock\"]\n",
        "unit.json": "{\"listeners\": {\"*:8000\": {\"pass\": \"applications/app\"}}, \"applications\": "
                     "{\"app\": {\"type\": \"python\", \"path\": \"/app\", \"module\": \"app.wsgi\"}}}\n",
        "requirements.txt": "Django==5.2\n", "manage.py": MANAGE}),
    Example("nginx-unit-told-to-run-as-root", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"
                      "CMD [\"unitd\", \"--no-daemon\", \"--user\", \"root\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("compose-user-root-over-image-user", {
        "compose.yaml": "services:\n  web:\n    build: .\n    user: root  # to write the volume\n",
        "Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("compose-user-uid-zero", {
        "compose.yaml": "services:\n  web:\n    build: .\n    user: \"0:0\"\n",
        "Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("compose-user-unprivileged", {
        "compose.yaml": "services:\n  web:\n    build: .\n    user: \"1000:1000\"\n",
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("compose-user-from-the-shell", {
        "compose.yaml": "services:\n  web:\n    user: \"${UID}:${GID}\"\n    build: .\n    volumes:\n      - .:/app\n"
                        "  worker:\n    user: app\n    build: .\n    command: celery -A app worker\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}),
    Example("compose-user-on-one-service-of-two", {
        "compose.yaml": "services:\n  web:\n    user: \"${UID}:${GID}\"\n    build: .\n"
                        "  worker:\n    build: .\n    command: celery -A app worker\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    # The compose file names `docker/backend`, which does not exist (DJC002): it was written for
    # docker/Dockerfile.backend, and the service's `user:` is the one that Dockerfile runs as.
    Example("compose-user-for-a-dockerfile-its-build-misnames", {
        "compose.yaml": "services:\n  backend:\n    user: \"${UID}:${GID}\"\n    build:\n      context: .\n"
                        "      dockerfile: docker/backend\n    volumes:\n      - ./src:/opt/src\n",
        "docker/Dockerfile.backend": "FROM python:3.12-slim\nWORKDIR /opt/src\nCOPY src/ .\n"
                                     "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "src/manage.py": MANAGE}),
    Example("compose-root-for-a-dockerfile-its-build-misnames", {
        "compose.yaml": "services:\n  backend:\n    user: root\n    build:\n      context: .\n"
                        "      dockerfile: docker/backend\n    volumes:\n      - ./src:/opt/src\n",
        "docker/Dockerfile.backend": "FROM python:3.12-slim\nWORKDIR /opt/src\nCOPY src/ .\n"
                                     "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "src/manage.py": MANAGE}, expect=(("docker/Dockerfile.backend", 1),)),
    Example("compose-user-root-on-an-image-without-user", {
        "compose.yaml": "services:\n  web:\n    build: .\n    user: root\n",
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("development-image-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "compose.yaml": building_dockerfile_dev(DEV_AND_PROD["compose.yaml"]),
        "Dockerfile": WELL_BUILT_DOCKERFILE}),
    Example("development-image-is-all-it-has", {
        **{path: text for path, text in DEV_ONLY.items() if path != "Dockerfile"},
        "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "compose.yaml": building_dockerfile_dev(DEV_ONLY["compose.yaml"])},
        expect=(("Dockerfile.dev", 1),)),
    Example("own-base-image-beside-the-application-image", OWN_BASE_AND_APP),
    Example("application-image-built-from-the-own-base-image-runs-as-root", {
        **OWN_BASE_AND_APP, "larder/Dockerfile": OWN_BASE_AND_APP["larder/Dockerfile"].replace("USER app\n", "")},
        expect=(("larder/Dockerfile", 1),)),
    # `FROM labs/alyx:base` beside `Dockerfile.base`: the tag names the Dockerfile, whoever the namespace is. The
    # image built from it runs Apache, which serves the site as www-data.
    Example("base-image-the-tag-names-beside-the-image-built-from-it", APACHE_ON_OWN_BASE),
    Example("version-tag-names-no-dockerfile", {
        **APACHE_ON_OWN_BASE, "deploy/Dockerfile.site": APACHE_ON_OWN_BASE["deploy/Dockerfile.site"].replace(
            ":base", ":2")}, expect=(("deploy/Dockerfile.base", 1),)),
    Example("image-heroku-runs", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django gunicorn\n"
                      "CMD gunicorn app.wsgi --bind 0.0.0.0:$PORT\n",
        "heroku.yml": "build:\n  docker:\n    web: Dockerfile\nrun:\n  web: gunicorn app.wsgi\n", "manage.py": MANAGE}),
    Example("proxy-image", {"Dockerfile": "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/\n",
                            "manage.py": MANAGE}),
    Example("editor-workspace-is-the-only-image", {**WORKSPACE, "manage.py": MANAGE}),
    # The image opens a shell: the developer works in it with `docker run -it`; compose only runs the database.
    Example("shell-image-the-developer-enters", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /root/app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCMD /bin/bash\n",
        "compose.yaml": "services:\n  postgres:\n    image: postgres:16\n", "manage.py": MANAGE}),
    Example("shell-image-a-service-runs-with-a-server", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /root/app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD /bin/bash\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    # The notebook's image starts as root to grant sudo, then its start script runs the server as jovyan.
    Example("notebook-tool-beside-the-application", {
        "compose.yaml": "services:\n  jupyter:\n    build: ./docker/jupyter\n    user: root\n    environment:\n"
                        "      - GRANT_SUDO=yes\n  web:\n    build: .\n",
        "docker/jupyter/Dockerfile": "FROM jupyter/scipy-notebook:2023-10-20\nUSER root\n"
                                     "RUN apt-get update && apt-get install -y --no-install-recommends gdal-bin "
                                     "&& rm -rf /var/lib/apt/lists/*\nUSER jovyan\n"
                                     "RUN pip install --no-cache-dir plotly dash\n",
        "Dockerfile": "FROM python:3.12-slim\nRUN useradd --create-home app\nWORKDIR /app\nCOPY . .\nUSER app\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("dash-dashboard-beside-the-application", {
        "compose.yaml": "services:\n  dashboard:\n    build: ./docker/dashboard\n    ports:\n      - '8050:8050'\n",
        "docker/dashboard/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\n"
                                       "RUN pip install --no-cache-dir -r requirements.txt\n"
                                       "CMD [\"python\", \"dashboard.py\"]\n",
        "docker/dashboard/dashboard.py": "import dash\nfrom dash import html\n\napp = dash.Dash(__name__)\n"
                                         "app.layout = html.Div('Levels')\napp.run(host='0.0.0.0')\n",
        "docker/dashboard/requirements.txt": "dash==2.18.2\n", "manage.py": MANAGE}),
    Example("application-image-beside-an-editor-workspace", {
        **WORKSPACE, "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("s6-overlay-service-drops-privileges", {
        "Dockerfile": "FROM python:3.12-slim\nADD s6-overlay-noarch.tar.xz /\nCOPY rootfs/ /\nCOPY . /app\n"
                      "ENTRYPOINT [\"/init\"]\n",
        "rootfs/etc/s6-overlay/s6-rc.d/web/type": "longrun\n",
        "rootfs/etc/s6-overlay/s6-rc.d/web/run": "#!/command/with-contenv bash\ncd /app\n"
                                                 "exec s6-setuidgid app gunicorn --bind 0.0.0.0:8000 app.wsgi\n",
        "s6-overlay-noarch.tar.xz": "", "manage.py": MANAGE}),
    Example("s6-overlay-service-runs-as-root", {
        "Dockerfile": "FROM python:3.12-slim\nADD s6-overlay-noarch.tar.xz /\nCOPY rootfs/ /\nCOPY . /app\n"
                      "ENTRYPOINT [\"/init\"]\n",
        "rootfs/etc/s6-overlay/s6-rc.d/web/type": "longrun\n",
        "rootfs/etc/s6-overlay/s6-rc.d/web/run": "#!/command/with-contenv bash\ncd /app\n"
                                                 "exec gunicorn --bind 0.0.0.0:8000 app.wsgi\n",
        "s6-overlay-noarch.tar.xz": "", "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    # LinuxServer.io's base image starts s6-overlay's /init; its service starts uWSGI, which switches to the user.
    Example("s6-base-image-service-starts-uwsgi-as-a-user", S6_BASE_IMAGE),
    Example("s6-base-image-service-starts-uwsgi-as-root", {
        **S6_BASE_IMAGE, "root/etc/uwsgi/app.ini": S6_BASE_IMAGE["root/etc/uwsgi/app.ini"].replace(
            "uid = abc\ngid = abc\n", "")}, expect=(("Dockerfile", 1),)),
    Example("supervisord-programs-run-as-a-user", {**SUPERVISED, "supervisor.conf": SUPERVISOR_CONF}),
    # supervisord's default configuration and programs from the package; a RUN edits PostgreSQL's, elsewhere in /etc.
    Example("supervisord-beside-a-run-writing-elsewhere-in-etc", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir django uwsgi && apt-get update && apt-get install -y "
                      "--no-install-recommends supervisor postgresql && rm -rf /var/lib/apt/lists/*\n"
                      "RUN echo \"listen_addresses='*'\" >> /etc/postgresql/15/main/postgresql.conf\n"
                      "RUN cp /srv/app/conf/supervisor/* /etc/supervisor/conf.d\nCMD supervisord -n\n",
        "conf/supervisor/uwsgi.conf": "[program:uwsgi]\ncommand = uwsgi --http :8000 --module app.wsgi\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("supervisord-program-runs-as-root", {
        **SUPERVISED, "supervisor.conf": SUPERVISOR_CONF.replace("user=www-data\n", "")},
        expect=(("Dockerfile", 1),)),
    # Both stacks tag their image shop:latest; the production one builds it from its own Dockerfile, which sets USER:
    # the name is no sign that the development image is deployed.
    Example("development-image-sharing-the-deployed-image-name", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    image: shop:latest\n"
                              "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n",
        "docker-compose.prod.yml": "services:\n  web:\n    build:\n      context: .\n"
                                   "      dockerfile: docker/Dockerfile.prod\n    image: shop:latest\n"
                                   "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django\n",
        "docker/Dockerfile.prod": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                  "RUN pip install --no-cache-dir django gunicorn && useradd app\nUSER app\n",
        "manage.py": MANAGE}),
    # The main configuration includes the programs' files the image copies into conf.d/: gunicorn runs as a user,
    # the Celery worker switches to one itself (`--uid`, on a continued line).
    Example("supervisord-included-programs-drop-root", SUPERVISOR_INCLUDES),
    # Keys indented alike are keys, not a continued value; an included file's own [include] is not followed.
    Example("supervisord-indented-keys", {
        **SUPERVISOR_INCLUDES, "deploy/conf.d/web.conf": "[include]\nfiles = /etc/supervisor/conf.d/*.conf\n"
                                                        "[program:web]\n    command=gunicorn app.wsgi\n"
                                                        "    user=app\n"}),
    Example("supervisord-included-program-runs-as-root", {
        **SUPERVISOR_INCLUDES, "deploy/conf.d/worker.conf": "[program:worker]\ncommand=celery worker\n"
                                                           "  --app=app --loglevel=%(ENV_LOGLEVEL)s\n"},
        expect=(("Dockerfile", 1),)),
    # The application writes its own supervisord programs as the image is built: what users they run as is unknown.
    Example("supervisord-programs-written-by-a-run", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends "
                      "supervisor && rm -rf /var/lib/apt/lists/*\nWORKDIR /opt/app\nCOPY . .\n"
                      "RUN python manage.py supervisor_config > /etc/supervisor/conf.d/app.conf\n"
                      "CMD [\"/usr/bin/supervisord\", \"-n\"]\n", "manage.py": MANAGE}),
    Example("supervisord-programs-written-elsewhere", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends "
                      "supervisor && rm -rf /var/lib/apt/lists/*\nWORKDIR /opt/app\nCOPY . .\n"
                      "RUN python manage.py supervisor_config > /opt/app/supervisor.example.conf\n"
                      "CMD [\"/usr/bin/supervisord\", \"-n\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("runit-chpst-drops-privileges", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends runit\n"
                      "CMD [\"chpst\", \"-u\", \"app\", \"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("entrypoint-drops-privileges", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\nchown -R app /data\nexec gosu app \"$@\"\n", "manage.py": MANAGE}),
    # The organisation's base image puts /scripts on PATH; the entrypoint, run by its name, fixes the media volume's
    # owner as root, then runs the server as the user the image creates.
    Example("entrypoint-run-by-name-drops-privileges", {
        "Dockerfile": NAMED_ENTRYPOINT, "manage.py": MANAGE, "docker/app-entrypoint.sh": NAMED_ENTRYPOINT_SH}),
    Example("entrypoint-run-by-name-keeps-root", {
        "Dockerfile": NAMED_ENTRYPOINT, "manage.py": MANAGE, "docker/app-entrypoint.sh": NAMED_ENTRYPOINT_SH.replace(
            "su-exec app ", "")},
        expect=(("Dockerfile", 1),)),
    Example("python-base-running-caddy", {**CADDY_ON_PYTHON, "manage.py": MANAGE}),
    Example("python-base-running-gunicorn-behind-tini", {**GUNICORN_BEHIND_TINI, "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
])
def runs_as_root(project: Project) -> Iterator[Violation]:
    """The final image runs as root.

    ## What it does
    Reports a final stage of an image that runs Python with no `USER` instruction (in
    it or the stages it is built from), or whose last `USER` is root. Entrypoints that
    drop privileges themselves (`gosu`, `su-exec`, `setpriv`, also as `set -- su-exec app
    "$@"` before `exec "$@"`; an entrypoint run by its bare name, `tini --
    app-entrypoint.sh`, is read where a COPY put it, `COPY app-entrypoint.sh /scripts/`,
    since the base image's `PATH` must hold that folder), servers told to switch
    user (gunicorn `--user`, uwsgi `--uid`, Celery's `--uid`, or `uid =` in the uWSGI configuration it is
    started with: `--ini`/`--yaml` or a file given alone, `UWSGI_INI`, a file copied into
    `/etc/uwsgi/`, read from the build context), NGINX Unit (`unitd`, whose applications
    run as the `unit` user unless `--user root`), supervisord whose programs that run Django
    each set an unprivileged `user=` or switch user themselves (in its configuration or the
    files its `[include]` names that the image copies, `conf.d/*.conf`), and services whose compose definition sets
    a non-root `user:` (`app`, `1000:1000`, `"${UID}:${GID}"`), when every service running the
    image does, are accepted, as is an image Heroku runs (`heroku.yml`, or a pipeline's
    `heroku container:push`): it starts every container as an unprivileged user of its own.
    A Dockerfile no service builds because the `build:` written for it names a file that
    does not exist (`dockerfile: docker/backend` beside
    `docker/Dockerfile.backend`, service `backend`; DJC002 reports it) takes those services'
    `user:`. So is an s6-overlay image (`ENTRYPOINT ["/init"]`)
    whose service `run` scripts in the build context
    (`rootfs/etc/s6-overlay/s6-rc.d/<service>/run`) drop privileges (`s6-setuidgid`,
    `s6-applyuidgid`) or start uWSGI with a configuration setting an unprivileged `uid`,
    also when the image starts nothing itself and is built from a base image whose
    ENTRYPOINT is `/init` (LinuxServer.io's `linuxserver/baseimage-*`, `lsiobase/*`:
    s6-overlay must start as root), and runit's `chpst -u`. A compose `user: root` (`0`, `0:0`) on a service
    whose image sets an unprivileged user is reported on that line. An image only
    development stacks run (or a service of a development stack) is not reported when
    the project also has a deployed configuration, nor is a test image (its Dockerfile
    or build target named for tests, or built by a test stack alone). Nor is an image on
    an organisation's base (`ghcr.io/acme/python-base`, not Docker's official images) that
    hands its files to a user no RUN creates (`COPY --chown=app . .`): the base made that
    user for its applications and its USER, which djcheck cannot see, may well be it.

    An image whose ENTRYPOINT or CMD runs another program (`caddy run`, `nginx`, `node`,
    `python app.py` of a Flask mock or a Dash dashboard, a chat bot's `poetry run python runbot.py` importing
    aiogram, a documentation or notebook tool's image that starts nothing of its own: `FROM
    squidfunk/mkdocs-material`, `FROM jupyter/scipy-notebook`)
    is a proxy's or a frontend's even on a `python` base, and an editor's workspace image
    (a Dockerfile in `.devcontainer/`, one built on `mcr.microsoft.com/devcontainers/`, or
    one whose command is a bare shell, `CMD /bin/bash`, that no service runs)
    is not the application's: neither is checked.

    ## Why is this bad?
    A process that is root in the container is root on every volume it mounts, and an
    escape from the application starts with every privilege.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD ["gunicorn", "myproject.wsgi"]
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --create-home app
    USER app
    CMD ["gunicorn", "myproject.wsgi"]
    ```

    ## References
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (non-root user in the image)
    - [Docker best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    """
    for build, dockerfile in application_images(project):
        if project.development_only(build) or test_image(project, build) or project.heroku_runs(build):
            continue  # a development-only or test image; one Heroku runs (as a user of its own, never root)
        users = [u for stage in dockerfile.lineage(dockerfile.final) for u in stage.all("USER")]
        scripts = [script for script in project.scripts if script.build is build]
        starts = [c for start in project.start_commands if start.build is build for c in start.commands]
        commands = [c for s in scripts for line in s.lines for c in line.commands] + starts \
            + _scripts_run_by_name(project, build, dockerfile, starts, {s.path for s in scripts})
        drops = any(_drops_root(c) for c in commands) or _supervised_services_drop_root(project, build) \
            or _uwsgi_config_drops_root(project, build, commands) \
            or _supervisord_programs_drop_root(project, build, dockerfile, commands)
        services = [s for s in project.services if s.name in build.services]
        compose_users = {s.name: project.service_user(s) for s in services if "user" in s.keys}
        if users and users[-1].args.strip() not in ROOT_USERS:
            for service in services:
                user = compose_users.get(service.name)
                if user in ROOT_USERS and not drops and not project.development_only(service):
                    yield Violation(service.keys["user"], f"service {service.name}: `user: {user}` runs the "
                                                          f"container as root although its image sets USER "
                                                          f"{users[-1].args.strip()}; drop it or use that user")
            continue
        if drops or (services and all(s.name in compose_users and compose_users[s.name] not in ROOT_USERS
                                      for s in services)):
            continue
        intended = [] if services else _intended_services(project, build)
        if intended and all("user" in s.keys and owner.service_user(s) not in ROOT_USERS for owner, s in intended):
            continue  # the services it was written for (their `build:` names it wrongly) run it as another user
        if not users and _base_user(dockerfile) is not None:
            continue  # the vendor's base made the user the stage hands its files to: it may well run as it
        if not users:
            final = dockerfile.final.name
            stage = f"stage {final}, the target compose builds," if build.target and final else "the final stage"
            yield Violation(dockerfile.at(dockerfile.final.from_), f"{stage} sets no USER: the container runs as root; "
                                                                    f"add a user and `USER` it")
        elif users[-1].args.strip() in ROOT_USERS:
            yield Violation(dockerfile.at(users[-1]), f"the last USER is `{users[-1].args.strip()}`: the container "
                                                       f"runs as root; switch to an unprivileged user")


def _base_user(dockerfile: Dockerfile) -> str | None:
    """The user a base image that is not Docker's official one made, when the final image hands its files to it
    (``COPY --chown=app . .``, ``chown -R app /app``) and no RUN creates it: an organisation's base
    (``ghcr.io/nationalarchives/tna-python``) made for its applications, which USER it does not show."""
    lineage = dockerfile.lineage(dockerfile.final)
    base = parse_image(lineage[0].image or "")
    if not lineage[0].image or "/" not in base.repository or "$" in base.repository:
        return None
    owners = [instruction.flag("chown") or "" for stage in lineage for instruction in stage.instructions
              if instruction.keyword in {"COPY", "ADD"}]
    runs = [command for stage in lineage for run in stage.all("RUN") for command in run.commands]
    owners += [next((word for word in command.words[1:] if not word.startswith("-")), "") for command in runs
               if program(command) == "chown"]
    created = {word for command in runs if program(command) in USER_CREATORS for word in command.words[1:]}
    return next((user for owner in owners if (user := owner.split(":")[0]) and not user.isdigit()
                 and "$" not in user and user not in ROOT_USERS and user not in created), None)


def _intended_services(project: Project, build: ImageBuild) -> list[tuple[Project, Service]]:
    """For a Dockerfile no compose service builds: the services whose ``build:`` names a Dockerfile that does not
    exist, and that this Dockerfile is named for (``dockerfiles/Dockerfile.backend`` for service ``backend``, or for
    ``dockerfile: dockerfiles/backend``), in this setup or a related one: the file they were written to build."""
    path = build.dockerfile_path
    names = {path.parent.name.lower()} if path.name.lower() == "dockerfile" else {
        part.lower() for part in path.name.split(".") if part.lower() != "dockerfile"}
    found = []
    for other in project.variants:
        for other_build in other.builds:
            missing = other_build.dockerfile_path
            if other_build.dockerfile is not None or not other_build.services or other.is_file(missing):
                continue
            found += [(other, service) for service in other.services if service.name in other_build.services
                      and (service.name.lower() in names or missing.name.lower() in names)]
    return found


PRIVILEGE_DROPPERS = {"gosu", "su-exec", "setpriv", "runuser", "chroot", "s6-setuidgid", "s6-applyuidgid"}
DROPPER_OPTIONS = {"chpst": ("-u", "-U"), "su": ("-c", "--command")}
"""Programs that run another as a user given with an option (runit's ``chpst -u app``, ``su app -c``)."""
S6_ENTRYPOINTS = {"/init", "/package/admin/s6-overlay/command/s6-svscan"}
"""What s6-overlay images start: the supervisor that runs each service's ``run`` script."""
SERVICE_SCRIPT = re.compile(r"(?:^|/)etc/(?:s6-overlay/s6-rc\.d|services\.d)/[^/]+/run$")
"""An s6-overlay service's ``run`` script in the build context (``docker/rootfs/etc/s6-overlay/s6-rc.d/web/run``)."""
MAX_SERVICE_SCRIPTS = 100
SERVER_USER_OPTIONS = {"gunicorn": ("--user", "-u"), "uwsgi": ("--uid",)}
"""Servers that switch to another user themselves after binding (gunicorn ``--user``, uwsgi ``--uid``)."""
UNPRIVILEGED_BY_DEFAULT = {"unitd"}
"""Servers whose application processes run unprivileged unless told otherwise: NGINX Unit runs them as
``unit`` (its ``--user`` option, or an application's ``"user"`` in its JSON configuration, names another)."""


def _drops_root(command: Command) -> bool:
    """Whether the command runs its program as another user: a privilege dropper, or a server told to switch."""
    name = program(command)
    if name in PRIVILEGE_DROPPERS:
        return True
    if name == "set" and command.words[1:2] == ("--",) and len(command.words) > 2:
        # `set -- su-exec app "$@"` then `exec "$@"`: the script's arguments become the dropper's command
        return _drops_root(Command(command.words[2:]))
    if name in UNPRIVILEGED_BY_DEFAULT:
        user = next(reversed(option_values(command.words, "--user")), None)
        return user is None or user not in ROOT_USERS
    if name in DROPPER_OPTIONS:
        return any(word in DROPPER_OPTIONS[name] or word.startswith("--command=") for word in command.words[1:]) \
            and _switched_user(command) not in ROOT_USERS
    options = SERVER_USER_OPTIONS.get(name, ())
    return any(word in options or word.startswith(tuple(f"{option}=" for option in options if option.startswith("--")))
               for word in command.words)


SU_VALUE_OPTIONS = frozenset({"-c", "--command", "-s", "--shell", "-g", "--group", "-G", "--supp-group"})
"""The options of ``su`` followed by a value: the word after one is no user name."""


def _switched_user(command: Command) -> str:
    """The user a dropper runs its command as: ``chpst -u app``'s, ``su app -c ...``'s (``su -c`` alone: root)."""
    words = list(command.words[1:])
    if program(command) == "chpst":
        user = next(reversed(option_values(command.words, "-u") + option_values(command.words, "-U")), "root")
        return user.split(":", 1)[0]
    index = 0
    while index < len(words):
        word = words[index]
        if word in SU_VALUE_OPTIONS:
            index += 2
        elif word.startswith("-"):
            index += 1
        else:
            return word
    return "root"


MAX_NAMED_COPIES = 100
"""How many COPY destinations a script run by its bare name is looked for in."""


def _scripts_run_by_name(project: Project, build: ImageBuild, dockerfile: Dockerfile, starts: list[Command],
                         found: set[Path]) -> list[Command]:
    """The commands of the scripts a start command runs by their bare name that a COPY put into a folder under that
    name (``COPY django-entrypoint.sh /scripts/`` and ``ENTRYPOINT ["tini", "--", "django-entrypoint.sh"]``) and that
    were not found on the ``PATH`` the Dockerfile shows: the base image's ``PATH`` holds that folder, or the
    container would not start. Scripts already read (``found``) are not read again."""
    words = list(dict.fromkeys(word for command in starts for word in command.words[:MAX_SCRIPT_WORDS]
                               if word and "/" not in word and "$" not in word and not word.startswith("-")
                               and not word.endswith(".py")))
    if not words:
        return []
    final = dockerfile.final
    copies = dockerfile.copies(final)[-MAX_NAMED_COPIES:]
    commands: list[Command] = []
    for word in words:
        for copy in reversed(copies):  # the latest COPY wins
            # into a folder; as the file itself; or out of a folder copied to a name (`COPY scripts /scripts`)
            image_path = copy.dest + word if copy.dest.endswith("/") else \
                copy.dest if posixpath.basename(copy.dest) == word else f"{copy.dest}/{word}"
            path = project.context_file(build, final, image_path)
            if path is None:
                continue
            if path not in found:
                found.add(path)
                text = project.text(path)
                commands += [command for line in script_lines(text or "") for command in line.commands]
            break
    return commands


MAX_SCRIPT_WORDS = 16
"""How many words of a start command may name the script it runs (``tini -- entrypoint.sh``)."""


def _supervised_services_drop_root(project: Project, build: ImageBuild) -> bool:
    """Whether an s6-overlay image drops root in its services: its ENTRYPOINT is s6-overlay's ``/init`` (its own, or
    that of a base image that starts it, :func:`s6_overlay_base`, when the Dockerfile starts nothing else) and a
    service ``run`` script of the build context runs its program through a privilege dropper, or starts uWSGI with a
    configuration that sets an unprivileged ``uid``."""
    starts = [start for start in project.start_commands if start.build is build and start.service is None]
    if not any(command.words[:1] and command.words[0] in S6_ENTRYPOINTS for start in starts
               for command in start.commands) and not _s6_base_starts(build):
        return False
    scripts = [entry.path for entry in project.context_entries(build)
               if not entry.is_dir and SERVICE_SCRIPT.search(entry.relative)][:MAX_SERVICE_SCRIPTS]
    commands: list[Command] = []
    for path in scripts:
        text = project.text(path)
        if text is not None:
            commands += [command for line in script_lines(text) for command in line.commands]
    return any(_drops_root(command) for command in commands) or _uwsgi_config_drops_root(project, build, commands)


SUPERVISED_DJANGO = re.compile(r"\b(?:gunicorn|uvicorn|daphne|hypercorn|uwsgi|celery|manage\.py|django-admin"
                               r"|python3?)\b")


def _supervisord_programs_drop_root(project: Project, build: ImageBuild, dockerfile: Dockerfile,
                                    commands: list[Command]) -> bool:
    """Whether the container starts supervisord with a configuration of the image whose programs that run Python
    each run as an unprivileged ``user=`` (``[program:web]`` with ``user=www-data``): supervisord and a proxy it
    starts stay root, the Django processes do not. A configuration a RUN writes (``mayan-edms.py
    platformtemplate supervisord_docker > /etc/supervisor/conf.d/mayan.conf``) says what djcheck cannot read:
    its programs' users are unknown, and taken to be dropped."""
    sections = supervised_sections(project, build, dockerfile, commands)
    return sections is WRITTEN_BY_A_RUN or sections is not None and _programs_run_unprivileged(sections)


def _programs_run_unprivileged(sections: list[IniSection]) -> bool:
    """Whether every ``[program:...]`` section of a supervisord configuration that runs Python sets a ``user=``
    other than root, or runs a command that drops root itself (gunicorn ``--user``; Celery's ``--uid``, which a
    program runs alone), and there is one."""
    running = [section.values for section in sections if section.name in PROGRAM_SECTIONS
               and SUPERVISED_DJANGO.search(section.values.get("command", ""))]
    return bool(running) and all(
        values.get("user", "root") not in ROOT_USERS
        or any(_drops_root(command) or program(command) == "celery"
               and next(reversed(option_values(command.words, "--uid")), "0") not in ROOT_USERS
               for command in split_line(_shell_text(values.get("command", ""))))
        for values in running)


def _shell_text(command: str) -> str:
    """A supervisord program's command as the shell reads it: its expansions (``%(ENV_APPHOME)s``) as words, its
    continued lines' ``\\`` dropped."""
    return SUPERVISOR_EXPANSION.sub(r"\1", command).replace("\\ ", " ")


SUPERVISOR_EXPANSION = re.compile(r"%\((\w+)\)s")


def _s6_base_starts(build: ImageBuild) -> bool:
    """Whether the image starts what its s6-overlay base image starts (``/init``): it is built from one and sets
    neither ENTRYPOINT nor CMD."""
    dockerfile = build.dockerfile
    if dockerfile is None:
        return False
    root = dockerfile.root
    return bool(root.image) and s6_overlay_base(parse_image(root.image).repository) \
        and dockerfile.effective(dockerfile.final, "ENTRYPOINT") is None \
        and dockerfile.effective(dockerfile.final, "CMD") is None


def _uwsgi_config_drops_root(project: Project, build: ImageBuild, commands: list[Command]) -> bool:
    """Whether uWSGI is started with a configuration of the image that sets an unprivileged ``uid``
    (:meth:`Project.uwsgi_options`), or with ``UWSGI_UID`` in the environment, which sets it as the option does."""
    uwsgi = [command for command in commands if program(command) == "uwsgi"]
    if not uwsgi or build.dockerfile is None:
        return False
    if project.image_environment(build).get("UWSGI_UID", "root") not in ROOT_USERS:
        return True
    return any(uid not in ROOT_USERS for command in uwsgi for uid in project.uwsgi_options(build, command, "uid")[-1:])
