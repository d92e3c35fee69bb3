"""Causes of false and noisy findings the hundred-ninth and later reviews found (session 37)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from djlint_docker.discover import discover
from tests.conftest import rule_findings, write_files

BACKEND = {
    "backend/requirements.txt": "Django==4.2.11\ngunicorn==21.2.0\npsycopg2-binary==2.9.9\n",
    "backend/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'recipes.settings')\n",
    "backend/recipes/__init__.py": "",
    "backend/recipes/wsgi.py": ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'recipes.settings')\n"
                                "from django.core.wsgi import get_wsgi_application\n"
                                "application = get_wsgi_application()\n"),
    "backend/recipes/settings.py": (
        "import os\nfrom django.core.management.utils import get_random_secret_key\n"
        "SECRET_KEY = os.getenv('SECRET_KEY', get_random_secret_key())\nDEBUG = False\n"
        "ALLOWED_HOSTS = ['recipes.example.org']\nDATABASES = {'default': {\n"
        "    'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db', 'NAME': 'recipes',\n"
        "    'USER': 'recipes', 'PASSWORD': os.getenv('POSTGRES_PASSWORD')}}\n"),
    "backend/Dockerfile": ("FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                           "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                           "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"recipes.wsgi\"]\n"),
    "backend/.dockerignore": ".env\n__pycache__\n",
    ".gitignore": ".env\n",
    "docker-compose.production.yml": (
        "services:\n  db:\n    image: postgres:16\n    env_file: .env\n    volumes:\n"
        "      - pg_data:/var/lib/postgresql/data\n"
        "  backend:\n    image: acme/recipes_backend\n    env_file: .env\n    depends_on:\n      - db\n"
        "volumes:\n  pg_data:\n"),
}
"""A production stack that pulls the backend image CI builds and pushes; its env file is made on the server."""
PUSH_JOB = ("name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  build_backend:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/setup-buildx-action@v3\n"
            "      - name: Push to Docker Hub\n        uses: docker/build-push-action@v6\n        with:\n"
            "          context: ./backend/\n          push: true\n{tags}")


@pytest.mark.parametrize("tags", [
    "          tags: acme/recipes_backend:latest\n",
    "          tags: |\n            acme/recipes_backend:latest\n            acme/recipes_backend:${{ github.sha }}\n",
    "          tags:\n            - acme/recipes_backend:latest\n",
])
def test_a_stack_pulling_the_image_a_pipeline_tags_runs_that_dockerfiles_image(tmp_path: Path, tags: str) -> None:
    write_files(tmp_path, {**BACKEND, ".github/workflows/main.yml": PUSH_JOB.format(tags=tags)})
    # the stack's env file, made on the server, gives SECRET_KEY: the random fallback is not judged
    assert rule_findings(tmp_path, "DJC315") == []


def test_an_image_no_stack_is_known_to_pull_is_judged_alone(tmp_path: Path) -> None:
    write_files(tmp_path, {**BACKEND, ".github/workflows/main.yml": PUSH_JOB.format(
        tags="          tags: acme/other_backend:latest\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC315")] == [
        ("backend/recipes/settings.py", 3)]


LOCAL_ENVS = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "config/__init__.py": "",
    "config/settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
    "requirements.txt": "Django==5.2.1\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
    "docker-compose.yml": ("services:\n  django:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                           "    env_file:\n      - ./.envs/.local/.django\n      - ./.envs/.local/.postgres\n"),
    ".gitignore": ".envs/*\n!.envs/env.example\n",
}


@pytest.mark.parametrize("templates", [".envs/env.example", ".envs/envs.sample", ".envs/example"])
def test_a_folder_of_env_templates_beside_the_local_one_makes_its_files(tmp_path: Path, templates: str) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, f"{templates}/.django": "DJANGO_SECRET_KEY=\n",
                           f"{templates}/.postgres": "POSTGRES_PASSWORD=\n"})
    assert rule_findings(tmp_path, "DJC211") == []


def test_a_folder_of_templates_for_another_folder_makes_no_local_file(tmp_path: Path) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, ".envs/.production.example/.django": "DJANGO_SECRET_KEY=\n",
                           ".envs/.production.example/.postgres": "POSTGRES_PASSWORD=\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC211")] == [
        ("docker-compose.yml", 6), ("docker-compose.yml", 7)]


ALPINE_PROD = ("FROM python:3.8.3-alpine\nWORKDIR /app\nRUN apk add --no-cache postgresql-dev gcc musl-dev\n"
               "COPY . .\nRUN apt-get update && apt-get -y install cron\n"
               "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"shop.wsgi\"]\n")


@pytest.mark.parametrize("base, reported", [("python:3.8.3-alpine", True), ("alpine:3.20", True),
                                            ("python:3.12-slim", False), ("acme/python:3.12", False)])
def test_apt_get_on_alpine_stops_the_build_and_leaves_nothing_behind(tmp_path: Path, base: str,
                                                                     reported: bool) -> None:
    write_files(tmp_path, {"Dockerfile": ALPINE_PROD.replace("python:3.8.3-alpine", base).replace(
        "RUN apk add --no-cache postgresql-dev gcc musl-dev\n", ""), "manage.py": "# django\n"})
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC124")] == ([4] if reported else [])
    # apt-get leaves its lists behind only where it runs
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC111")] == ([] if reported else [4])


def test_apk_on_the_debian_python_image_stops_the_build(tmp_path: Path) -> None:
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim-bookworm\nRUN apk add --no-cache libpq\n",
                           "manage.py": "# django\n"})
    [(_, line, message)] = rule_findings(tmp_path, "DJC124")
    assert line == 2 and "`apk`" in message and "a Debian image" in message and "`apt-get install`" in message


@pytest.mark.parametrize("folder, setups", [(".draft", 1), (".old", 1), ("draft", 2)])
def test_a_hidden_folder_of_drafts_is_no_setup(tmp_path: Path, folder: str, setups: int) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, f"{folder}/docker-compose.yml": (
        "services:\n  web:\n    build: ./frontend\n    command: python manage.py runserver 0.0.0.0:8000\n"),
        f"{folder}/manage.py": "# django\n"})
    assert len(discover([tmp_path])) == setups


@pytest.mark.parametrize("key, meant", [("volumnes", "volumes"), ("enviroment", "environment"),
                                        ("depend_on", "depends_on"), ("volume_driver", None)])
def test_a_key_compose_does_not_know_stops_the_project(tmp_path: Path, key: str, meant: str | None) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, ".envs/example/.django": "DJANGO_SECRET_KEY=\n",
                           ".envs/example/.postgres": "POSTGRES_PASSWORD=\n",
                           "docker-compose.yml": LOCAL_ENVS["docker-compose.yml"] + f"    {key}:\n      - db\n"
                           "  db:\n    image: postgres:16\n"})
    [(path, line, message)] = rule_findings(tmp_path, "DJC223")
    assert (path, line) == ("docker-compose.yml", 8) and f"`{key}`" in message
    assert (f"did you mean `{meant}`" in message) == (meant is not None)


@pytest.mark.parametrize("shipper, judged", [("filebeat", False), ("logstash", False), ("worker", True)])
def test_a_log_shipper_whose_dockerfile_is_missing_runs_no_django(tmp_path: Path, shipper: str, judged: bool) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, "production.yml": (
        "services:\n  django:\n    build: .\n    command: gunicorn config.wsgi -b 0.0.0.0:8000\n"
        "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?}\n"
        f"  {shipper}:\n    build:\n      context: .\n      dockerfile: ./compose/production/{shipper}/Dockerfile\n"
        "    volumes:\n      - logs:/logs\nvolumes:\n  logs:\n")})
    # the image djcheck cannot read is Django's only when nothing names it for another program
    assert [line for path, line, _ in rule_findings(tmp_path, "DJC307") if path == "config/settings.py"] == (
        [2] if judged else [])


WAITING_ENTRYPOINT = ("#!/bin/sh\nset -o errexit\npostgres_ready() {\npython << END\nimport sys\nimport psycopg2\n"
                      "try:\n    psycopg2.connect(host='${POSTGRES_HOST}')\nexcept psycopg2.OperationalError:\n"
                      "    sys.exit(-1)\nsys.exit(0)\nEND\n}\nuntil postgres_ready; do\n  sleep 1\ndone\nexec \"$@\"\n")


@pytest.mark.parametrize("entrypoint, reported", [(WAITING_ENTRYPOINT, False), ("#!/bin/sh\nexec \"$@\"\n", True)])
def test_a_worker_that_waits_for_a_database_built_from_postgres_needs_no_depends_on(
        tmp_path: Path, entrypoint: str, reported: bool) -> None:
    write_files(tmp_path, {
        **LOCAL_ENVS, ".envs/example/.django": "DJANGO_SECRET_KEY=\n", ".envs/example/.postgres": "POSTGRES_HOST=db\n",
        "config/settings.py": ("import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDATABASES = {'default': {"
                               "'ENGINE': 'django.db.backends.postgresql', 'HOST': os.environ['POSTGRES_HOST']}}\n"),
        "requirements.txt": "Django==5.2.1\ncelery==5.4.0\npsycopg2-binary==2.9.9\n",
        "compose/entrypoint": entrypoint, "compose/postgres/Dockerfile": "FROM postgres:16\nCOPY init.sql /docker-"
                                                                           "entrypoint-initdb.d/\n",
        "compose/postgres/init.sql": "select 1;\n",
        "Dockerfile": ("FROM python:3.12-slim\nCOPY compose/entrypoint /entrypoint\nRUN chmod +x /entrypoint\n"
                       "WORKDIR /app\nCOPY . .\nENTRYPOINT [\"/entrypoint\"]\n"),
        "docker-compose.yml": ("services:\n  django: &django\n    build: .\n    env_file:\n      - ./.envs/.local/.django\n"
                               "      - ./.envs/.local/.postgres\n    command: python manage.py runserver 0.0.0.0:8000\n"
                               "    depends_on:\n      - db\n  db:\n    build:\n      context: .\n"
                               "      dockerfile: ./compose/postgres/Dockerfile\n    image: shop_local_db\n"
                               "  redis:\n    image: redis:7\n  celeryworker:\n    <<: *django\n    depends_on:\n"
                               "      - redis\n    command: celery -A config worker -l info\n")})
    assert [(path, line) for path, line, message in rule_findings(tmp_path, "DJC202") if "to db" in message] == (
        [("docker-compose.yml", 17)] if reported else [])


SOURCING_IMAGE = {
    "docker-compose.yml": ("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n"
                           "    volumes:\n      - pg:/var/lib/postgresql/data\n"
                           "  backend:\n    build:\n      context: ./backend\n    depends_on:\n      - db\n"
                           "volumes:\n  pg:\n"),
    "backend/Dockerfile": ("FROM python:3.10-slim\nRUN mkdir /api\nCOPY ./ /api/\nWORKDIR /api\n"
                           "RUN pip install --no-cache-dir -r /api/requirements.txt\n"
                           "COPY docker-entrypoint.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/docker-entrypoint.sh\n"
                           "ENTRYPOINT [\"docker-entrypoint.sh\"]\n"),
    "backend/docker-entrypoint.sh": ("#!/bin/bash\n{load}\npython manage.py migrate\n"
                                     "exec uwsgi --http 0.0.0.0:8000 --module shop.wsgi\n"),
    "backend/.dockerignore": ".git\n__pycache__\n# .env\n",
    "backend/.env": "DJANGO_SECRET_KEY='a8f!k2$lq9z#m4x7c1v6b3n0p5r8t2w9y4u7i1o3e6'\nPOSTGRES_HOST='db'\n"
                    "POSTGRES_PASSWORD='postgres'\n",
    "backend/requirements.txt": "Django==4.2.11\nuwsgi==2.0.24\npsycopg2-binary==2.9.9\n",
    "backend/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    "backend/shop/__init__.py": "",
    "backend/shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    "backend/shop/settings.py": ("import os\nSECRET_KEY = os.getenv('DJANGO_SECRET_KEY')\nDEBUG = False\n"
                                 "ALLOWED_HOSTS = ['shop.example.org']\nDATABASES = {'default': {\n"
                                 "    'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'USER': 'postgres',\n"
                                 "    'PASSWORD': os.getenv('POSTGRES_PASSWORD'),\n"
                                 "    'HOST': os.getenv('POSTGRES_HOST', '127.0.0.1')}}\n"),
}
"""An image whose entrypoint loads the ``.env`` its ``COPY ./ /api/`` put there (the only environment it gets)."""


@pytest.mark.parametrize("load, exported", [("set -a\nsource .env\nset +a", True), ("set -ea\n. ./.env", True),
                                            ("source .env", False)])
def test_an_env_file_the_entrypoint_sources_under_allexport_sets_the_containers_variables(
        tmp_path: Path, load: str, exported: bool) -> None:
    files = dict(SOURCING_IMAGE)
    files["backend/docker-entrypoint.sh"] = files["backend/docker-entrypoint.sh"].format(load=load)
    write_files(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    # exported, POSTGRES_HOST is db; sourced alone, the shell keeps it and Django gets the default
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC306")] == ([] if exported else [5])
    # the image needs the file it sources, and the committed key in it is every clone's
    assert rule_findings(tmp_path, "DJC402") == []
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC412")] == [("backend/.env", 1)]


NGINX_TEMPLATE = ("events {}\nhttp {\n  server {\n    listen 80;\n    rewrite ^ https://www.$host$request_uri? permanent;\n"
                  "  }\n  server {\n    listen 443 ssl;\n    ssl_certificate /etc/letsencrypt/live/site/fullchain.pem;\n"
                  "    add_header Strict-Transport-Security \"max-age=31536000\" always;\n"
                  "    location / {\n      proxy_pass http://django:5000;\n    }\n  }\n}\n")


@pytest.mark.parametrize("source", ["nginx.tmpl", "nginx.conf"])
def test_an_nginx_configuration_the_image_copies_into_etc_is_read_whatever_its_name(tmp_path: Path,
                                                                                     source: str) -> None:
    write_files(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_app.settings')\n",
        "site_app/__init__.py": "", "site_app/wsgi.py": "application = None\n",
        "site_app/settings.py": ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                                 "ALLOWED_HOSTS = ['www.example.org']\n"
                                 "INSTALLED_APPS = ['django.contrib.sessions']\n"
                                 "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware',\n"
                                 "              'django.contrib.sessions.middleware.SessionMiddleware',\n"
                                 "              'django.middleware.csrf.CsrfViewMiddleware',\n"
                                 "              'django.middleware.clickjacking.XFrameOptionsMiddleware']\n"),
        "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
        "compose/production/django/Dockerfile": ("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                                 "CMD [\"gunicorn\", \"site_app.wsgi\", \"-b\", \"0.0.0.0:5000\"]\n"),
        "compose/production/nginx/Dockerfile": (f"FROM nginx:stable-alpine\nADD ./compose/production/nginx/{source} "
                                                "/etc/nginx/nginx.conf\nEXPOSE 80 443\n"),
        f"compose/production/nginx/{source}": NGINX_TEMPLATE,
        "docker-compose.yml": ("services:\n  django:\n    build:\n      context: .\n"
                               "      dockerfile: ./compose/production/django/Dockerfile\n"
                               "    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n"
                               "  nginx:\n    build:\n      context: .\n      dockerfile: ./compose/production/nginx/Dockerfile\n"
                               "    depends_on:\n      - django\n    ports:\n      - \"80:80\"\n      - \"443:443\"\n")})
    checks = {message.split("security.", 1)[1][:4] for _, _, message in rule_findings(tmp_path, "DJC310")}
    # nginx sends the HSTS header and redirects plain HTTP; the cookies' flags are Django's alone
    assert checks == {"W012", "W016"}


COOKIECUTTER_SQLITE = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n",
    "config/__init__.py": "", "config/settings/__init__.py": "",
    "config/settings/base.py": ("import environ\nenv = environ.Env()\nSECRET_KEY = env('DJANGO_SECRET_KEY')\n"
                                "DATABASES = {'default': env.db('DATABASE_URL')}\n"),
    "config/settings/local.py": "from .base import *  # noqa\nDEBUG = True\n",
    "config/settings/production.py": "from .base import *  # noqa\nDEBUG = False\n",
    "requirements.txt": "Django==5.2.1\ndjango-environ==0.11.2\npsycopg[binary]==3.2.9\nSphinx==8.1.3\n",
    "db.sqlite3": b"SQLite format 3\x00" + bytes(84),
    "compose/entrypoint": "#!/bin/bash\nset -o errexit\nexport DATABASE_URL=\"{url}\"\nexec \"$@\"\n",
    "compose/django/Dockerfile": ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY compose/entrypoint /entrypoint\n"
                                  "RUN chmod +x /entrypoint\nCOPY . .\nENTRYPOINT [\"/entrypoint\"]\n"),
    "compose/docs/Dockerfile": ("FROM python:3.12-slim\nWORKDIR /docs\nCOPY requirements.txt .\n"
                                "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                                "CMD [\"sphinx-autobuild\", \"docs\", \"docs/_build/html\", \"--host\", \"0.0.0.0\"]\n"),
    ".gitignore": ".envs/*\n",
    "docker-compose.local.yml": ("services:\n  django:\n    build:\n      context: .\n"
                                 "      dockerfile: ./compose/django/Dockerfile\n    env_file:\n"
                                 "      - ./.envs/.local/.django\n    command: python manage.py runserver 0.0.0.0:8000\n"),
    "docker-compose.docs.yml": ("services:\n  docs:\n    build:\n      context: .\n"
                                "      dockerfile: ./compose/docs/Dockerfile\n    ports:\n      - \"9000:9000\"\n"),
}
"""cookiecutter-django's layout: the entrypoint builds DATABASE_URL from POSTGRES_*; the env files are each
clone's; a db.sqlite3 left from an early runserver sits in the context."""


@pytest.mark.parametrize("url, opened", [
    ("postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@${POSTGRES_HOST}:${POSTGRES_PORT}/${POSTGRES_DB}", False),
    ("sqlite:////app/db.sqlite3", True)])
def test_a_database_url_the_entrypoint_exports_tells_which_engine_opens_the_sqlite_file(
        tmp_path: Path, url: str, opened: bool) -> None:
    files = dict(COOKIECUTTER_SQLITE)
    files["compose/entrypoint"] = files["compose/entrypoint"].replace("{url}", url)
    write_files(tmp_path, files)
    # the documentation server runs no Django: nothing opens the file there
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC413")] == (
        [("compose/django/Dockerfile", 7)] if opened else [])


@pytest.mark.parametrize("charset, reported", [("utf-8", False), ("UTF8", False), ("latin-1", True)])
def test_file_charset_set_to_what_django_reads_anyway_loses_nothing(tmp_path: Path, charset: str,
                                                                    reported: bool) -> None:
    write_files(tmp_path, {"Dockerfile": "FROM python:3.10-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                                         "CMD [\"gunicorn\", \"app.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
                           "requirements.txt": "Django==3.2.25\ngunicorn==21.2.0\n",
                           "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
                           "app/__init__.py": "", "app/wsgi.py": "application = None\n",
                           "app/settings.py": f"SECRET_KEY = 'x'\nFILE_CHARSET = {charset!r}\n"})
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC314")] == ([2] if reported else [])


@pytest.mark.parametrize("imports, judged", [("from aiogram3_di import DIMiddleware\n", False),
                                             ("from flask_sqlalchemy import SQLAlchemy\n", False),
                                             ("from dashboard import report\n", True)])
def test_an_extension_named_for_another_framework_makes_the_image_that_frameworks(
        tmp_path: Path, imports: str, judged: bool) -> None:
    write_files(tmp_path, {
        **LOCAL_ENVS, ".envs/example/.django": "DJANGO_SECRET_KEY=\n", ".envs/example/.postgres": "POSTGRES_HOST=db\n",
        "bot/dockerfile": ("FROM python:3.11\nCOPY requirements.txt requirements.txt\n"
                           "RUN pip install --no-cache-dir -r requirements.txt\nWORKDIR /app\nCOPY ./src .\n"
                           "ENTRYPOINT [\"python\", \"main.py\"]\n"),
        "bot/requirements.txt": "aiogram==3.4.1\n", "bot/src/main.py": imports + "import asyncio\n",
        "compose.yaml": ("services:\n  web:\n    build: .\n    command: gunicorn config.wsgi -b 0.0.0.0:8000\n"
                         "  bot:\n    build:\n      context: ./bot\n      dockerfile: dockerfile\n")})
    assert [path for path, _, _ in rule_findings(tmp_path, "DJC104")].count("bot/dockerfile") == (1 if judged else 0)


@pytest.mark.parametrize("programs, reported", [
    ("[program:django]\ncommand=gunicorn shop.wsgi:application -c /srv/gunicorn.py\n", False),
    ("[program:django]\ncommand=gunicorn shop.wsgi\n\n[program:nginx]\ncommand=nginx -g 'daemon off;'\n", False),
    ("[program:django]\ncommand=python manage.py runserver 0.0.0.0:8000\n", True)])
def test_supervisords_application_servers_write_through_logging(tmp_path: Path, programs: str,
                                                                 reported: bool) -> None:
    write_files(tmp_path, {
        "Dockerfile": ("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends "
                       "supervisor && rm -rf /var/lib/apt/lists/*\nWORKDIR /srv\nCOPY . .\n"
                       "COPY supervisord.conf /etc/supervisor/supervisord.conf\n"
                       "CMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisor/supervisord.conf\"]\n"),
        "supervisord.conf": "[supervisord]\nnodaemon=true\n\n" + programs,
        "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
        "shop/__init__.py": "", "shop/wsgi.py": "application = None\n", "shop/settings.py": "DEBUG = False\n"})
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC104")] == ([1] if reported else [])


@pytest.mark.parametrize("split, reported", [
    ("ALLOWED_HOSTS = os.getenv('ALLOWED_HOSTS')\nif ALLOWED_HOSTS:\n    ALLOWED_HOSTS = ALLOWED_HOSTS.split(',')\n",
     False),
    ("ALLOWED_HOSTS = os.getenv('ALLOWED_HOSTS')\nif DEBUG:\n    ALLOWED_HOSTS = ['*']\n", True)])
def test_a_string_split_when_the_variable_is_set_is_a_list(tmp_path: Path, split: str, reported: bool) -> None:
    write_files(tmp_path, {**BACKEND, ".github/workflows/main.yml": PUSH_JOB.format(
        tags="          tags: acme/recipes_backend:latest\n"),
        "backend/recipes/settings.py": ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                                        "DEBUG = os.getenv('DEBUG') == '1'\n" + split)})
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC316")] == ([4] if reported else [])


def test_a_stack_that_builds_only_nginx_loads_no_settings(tmp_path: Path) -> None:
    write_files(tmp_path, {
        **LOCAL_ENVS, "env/development.env": "DJANGO_SECRET_KEY=foo\n",
        "docker-compose.yml": ("services:\n  django:\n    build: .\n"
                               "    command: python manage.py runserver 0.0.0.0:8000\n"
                               "    env_file:\n      - ./env/development.env\n"),
        "config/settings.py": "import os\nSECRET_KEY = os.getenv('DJANGO_SECRET_KEY', 'SECRET_KEY')\n",
        "docker/nginx/Dockerfile": "FROM nginx:1.27-alpine\nCOPY docker/nginx/default.conf /etc/nginx/conf.d/\n",
        "docker/nginx/default.conf": "server {\n  listen 80;\n  location / { proxy_pass http://django:8000; }\n}\n",
        "production.yml": ("services:\n  nginx:\n    build:\n      context: .\n      dockerfile: ./docker/nginx/Dockerfile\n"
                           "    ports:\n      - 80:80\n")})
    # the development stack's env file sets the key; the nginx-only stack runs no Django to fall back in
    assert rule_findings(tmp_path, "DJC303") == []


@pytest.mark.parametrize("script, reported", [
    ('#!/bin/bash\nsed -i "s/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=$(openssl rand -hex 32)/g" ./*/.env\n', False),
    ('#!/bin/bash\nsed -i "s/^POSTGRES_USER=.*/POSTGRES_USER=app/g" ./*/.env\n', True)])
def test_a_password_the_setup_script_regenerates_in_place_is_a_placeholder(tmp_path: Path, script: str,
                                                                          reported: bool) -> None:
    write_files(tmp_path, {
        "init-project.sh": script, "postgres/.env": "POSTGRES_USER=app\nPOSTGRES_PASSWORD=Xq7pL2vR9sK4mT1w\n",
        "docker-compose.yml": ("services:\n  db:\n    image: postgres:16\n    env_file: ./postgres/.env\n    volumes:\n"
                               "      - pg:/var/lib/postgresql/data\n  web:\n    build: .\n"
                               "    command: gunicorn app.wsgi -b 0.0.0.0:8000\nvolumes:\n  pg:\n"),
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": "# django\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    assert [path for path, _, _ in rule_findings(tmp_path, "DJC412")] == (["postgres/.env"] if reported else [])


@pytest.mark.parametrize("entrypoint, judged", [(False, False), (True, True)])
def test_a_dockerfile_beside_the_stack_that_no_clone_can_build_is_a_stale_copy(tmp_path: Path, entrypoint: bool,
                                                                                 judged: bool) -> None:
    files = {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
        "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
        "Dockerfile": ("FROM python:3.12-slim\nWORKDIR /home/app\nCOPY requirements.txt .\n"
                       "RUN pip install --no-cache-dir -r requirements.txt\nCOPY entrypoint.sh .\nCOPY . .\n"
                       "CMD [\"gunicorn\", \"app.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n"),
        "django/Dockerfile": ("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN useradd django\nUSER django\n"
                              "CMD [\"gunicorn\", \"app.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n"),
        "django/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
        "docker-compose.yml": "services:\n  web:\n    build: ./django\n    ports:\n      - 8200:8000\n"}
    if entrypoint:
        files["entrypoint.sh"] = "#!/bin/sh\nexec \"$@\"\n"
    write_files(tmp_path, files)
    assert [path for path, _, _ in rule_findings(tmp_path, "DJC108")] == (["Dockerfile"] if judged else [])


@pytest.mark.parametrize("kept_out, reported", [
    ("docker-compose.prod.yml\napp/Dockerfile.prod\napp/entrypoint.prod.sh\n", False), ("", True)])
def test_production_files_the_gitignore_keeps_out_make_the_committed_stack_developments(
        tmp_path: Path, kept_out: str, reported: bool) -> None:
    write_files(tmp_path, {
        ".gitignore": ".env.prod*\n" + kept_out + "app/db.sqlite3\n",
        "app/Dockerfile": "FROM python:3.12-slim\nWORKDIR /usr/src/app\nCOPY . .\nENTRYPOINT [\"/usr/src/app/entrypoint.sh\"]\n",
        "app/entrypoint.sh": "#!/bin/sh\npython manage.py flush --no-input\npython manage.py migrate\nexec \"$@\"\n",
        "app/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_app.settings')\n",
        "app/site_app/__init__.py": "", "app/site_app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n",
        "app/requirements.txt": "Django==5.2.1\n", ".env.dev": "SECRET_KEY=dev\n",
        "docker-compose.yml": ("services:\n  web:\n    build: ./app\n    command: python manage.py runserver 0.0.0.0:8000\n"
                               "    env_file: ./.env.dev\n    ports:\n      - 8000:8000\n")})
    # the tutorial resets its development database at each start; the owner's production files are kept out of git
    assert [path for path, _, _ in rule_findings(tmp_path, "DJC414")] == (["app/entrypoint.sh"] if reported else [])
