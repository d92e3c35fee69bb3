"""Causes of false and noisy findings the hundred-third and later reviews found (session 35)."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.discover import discover
from tests.conftest import rule_findings, write_files

PROCFILE_IMAGE = {
    "Dockerfile": ("FROM python:3.12-slim\nRUN useradd --create-home app\nWORKDIR /srv\n"
                   "COPY blog/requirements.txt /srv/blog/\nRUN pip install --no-cache-dir -r blog/requirements.txt\n"
                   "COPY blog /srv/blog\nUSER app\nEXPOSE 8000\n"
                   "CMD [\"sh\", \"-c\", \"cd /srv/blog && exec honcho start\"]\n"),
    ".dockerignore": ".git\n",
    "blog/requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\nhoncho==2.0.0\n",
    "blog/Procfile": "web: gunicorn blog.wsgi:application --bind 0.0.0.0:8000\n",
    "blog/.env": "DJANGO_SETTINGS_MODULE=blog.settings_production\n",
    "blog/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings')\n",
    "blog/blog/__init__.py": "",
    "blog/blog/wsgi.py": ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings')\n"
                          "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
    "blog/blog/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = True\n",
    "blog/blog/settings_production.py": ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                                         "ALLOWED_HOSTS = ['blog.example.org']\n")}
"""An image whose honcho starts the Procfile's gunicorn from the folder of a committed ``.env`` that names the
production settings; the development settings (DEBUG on) are the default of manage.py and wsgi.py."""


def test_the_env_file_honcho_loads_chooses_the_settings(tmp_path: Path) -> None:
    write_files(tmp_path, PROCFILE_IMAGE)
    assert rule_findings(tmp_path, "DJC301") == []


@pytest.mark.parametrize("start", [
    "cd /srv/blog && exec honcho start -e .env.local",  # honcho's other file, which names no module
    "cd /srv/blog && exec honcho check",  # no processes started
    "exec honcho start",  # from /srv, where no .env is
])
def test_without_that_env_file_the_default_settings_run(tmp_path: Path, start: str) -> None:
    dockerfile = PROCFILE_IMAGE["Dockerfile"].replace("cd /srv/blog && exec honcho start", start)
    write_files(tmp_path, {**PROCFILE_IMAGE, "Dockerfile": dockerfile, "blog/.env.local": "DEBUG_TOOLBAR=1\n"})
    [(path, line, _)] = rule_findings(tmp_path, "DJC301")
    assert (path, line) == ("blog/blog/settings.py", 3)


SCRIPT_IMAGE = {
    **{name: text for name, text in PROCFILE_IMAGE.items() if name != "Dockerfile"},
    "Dockerfile": PROCFILE_IMAGE["Dockerfile"].replace(
        "CMD [\"sh\", \"-c\", \"cd /srv/blog && exec honcho start\"]",
        "WORKDIR /srv/blog\nCMD [\"./start.sh\"]"),
    "blog/start.sh": "#!/bin/sh\nset -e\n{load}\nexec gunicorn blog.wsgi:application --bind 0.0.0.0:8000\n"}
"""The same image whose start script loads ``.env`` itself before it starts gunicorn."""


@pytest.mark.parametrize("load", ["set -a\n. ./.env\nset +a", "export $(grep -v '^#' .env | xargs)",
                                  "foreman start -e .env"])
def test_an_env_file_the_script_exports_chooses_the_settings(tmp_path: Path, load: str) -> None:
    write_files(tmp_path, {**SCRIPT_IMAGE, "blog/start.sh": SCRIPT_IMAGE["blog/start.sh"].format(load=load)})
    assert rule_findings(tmp_path, "DJC301") == []


def test_an_env_file_sourced_without_export_stays_in_the_shell(tmp_path: Path) -> None:
    write_files(tmp_path, {**SCRIPT_IMAGE, "blog/start.sh": SCRIPT_IMAGE["blog/start.sh"].format(load=". ./.env")})
    [(path, line, _)] = rule_findings(tmp_path, "DJC301")
    assert (path, line) == ("blog/blog/settings.py", 3)


def test_a_python_2_implicit_relative_star_import_reads_the_sibling(tmp_path: Path) -> None:
    write_files(tmp_path, {
        **PROCFILE_IMAGE,
        "Dockerfile": PROCFILE_IMAGE["Dockerfile"].replace(
            "CMD [\"sh\", \"-c\", \"cd /srv/blog && exec honcho start\"]",
            "ENV DJANGO_SETTINGS_MODULE=blog.settings_production\nWORKDIR /srv/blog\n"
            "CMD [\"gunicorn\", \"blog.wsgi:application\", \"--bind\", \"0.0.0.0:8000\"]"),
        "blog/blog/settings.py": "SECRET_KEY = 'xtno1&joe!26)o4myor3gpzq+0a'\nDEBUG = True\n",
        "blog/blog/settings_production.py": "from settings import *\n\nDEBUG = False\n"})  # Python 2
    [(path, line, _)] = rule_findings(tmp_path, "DJC303")
    assert (path, line) == ("blog/blog/settings.py", 1)


PRODUCTION_SWITCH = {
    "Dockerfile": ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 DJANGO_PRODUCTION=true\nRUN useradd app\n"
                   "WORKDIR /code\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                   "COPY . .\nUSER app\nCMD [\"gunicorn\", \"site.wsgi\", \"--bind\", \"0.0.0.0:8000\"]\n"),
    ".dockerignore": ".git\n", "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\nmysqlclient==2.2.7\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
    "site/__init__.py": "",
    "site/wsgi.py": ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"
                     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
    "site/settings.py": ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                         "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'devdb',\n"
                         "                         'USER': 'devuser', 'PASSWORD': 'devpass', 'HOST': ''}}\n"
                         "{test}\n    from .settings_production import *\n"),
    "site/settings_production.py": (
        "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'site',\n"
        "                         'PASSWORD': os.environ['DATABASE_PASSWORD'],\n"
        "                         'HOST': os.environ['DATABASE_HOST']}}\n")}
"""Settings whose own database is the developer's, replaced by the production module's when a variable the image
sets says the deployment runs."""
SITE = {"manage.py": PRODUCTION_SWITCH["manage.py"], "site/__init__.py": "",
        "site/wsgi.py": PRODUCTION_SWITCH["site/wsgi.py"],
        "site/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"}
"""A Django project whose settings read their secret from the environment, with DEBUG off."""


@pytest.mark.parametrize(("test", "image_env", "reported"), [
    ("if os.environ['DJANGO_PRODUCTION'] == 'true':", "DJANGO_PRODUCTION=true", False),
    ("if os.environ.get('ENVIRONMENT') == 'production':", "ENVIRONMENT=production", False),
    ("if os.environ.get('ENVIRONMENT') == 'production':", "APP=site", True),  # the container takes the other way
])
def test_the_database_of_the_way_a_deployment_does_not_take_is_the_developers(
        tmp_path: Path, test: str, image_env: str, reported: bool) -> None:
    settings = PRODUCTION_SWITCH["site/settings.py"].replace("{test}", test)
    dockerfile = PRODUCTION_SWITCH["Dockerfile"].replace("DJANGO_PRODUCTION=true", image_env)
    write_files(tmp_path, {**PRODUCTION_SWITCH, "site/settings.py": settings, "Dockerfile": dockerfile})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC311")] == (
        [("site/settings.py", 5)] if reported else [])


def test_a_switch_of_another_kind_leaves_the_password_deployed(tmp_path: Path) -> None:
    settings = PRODUCTION_SWITCH["site/settings.py"].replace("{test}", "if os.environ.get('USE_MANAGED_DB') == 'true':")
    write_files(tmp_path, {**PRODUCTION_SWITCH, "site/settings.py": settings})
    [(path, line, _)] = rule_findings(tmp_path, "DJC311")
    assert (path, line) == ("site/settings.py", 5)


WORKER_MOUNT = {
    "docker-compose.yml": ("services:\n  worker:\n    build:\n      context: ./django\n"
                           "      dockerfile: Dockerfile_celery\n"
                           "    command: celery -A shop worker -l info\n    volumes:\n      - {mount}\n"),
    "django/Dockerfile_celery": ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED 1\nWORKDIR /src\n"
                                 "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                                 "COPY ./shop .\n"),
    "django/requirements.txt": "Django==5.2.1\ncelery==5.5.2\n",
    "django/shop/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    "django/shop/shop/__init__.py": "",
    "django/shop/shop/celery.py": "from celery import Celery\napp = Celery('shop')\n",
    "django/shop/shop/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
    ".gitignore": "*.log\n"}
"""A Celery worker whose image copies a folder of its build context to /src, with the repository mounted."""


@pytest.mark.parametrize(("mount", "reported"), [(".:/app", False), ("./django/shop:/src", True)])
def test_bytecode_reaches_only_a_mount_over_the_copied_code(tmp_path: Path, mount: str, reported: bool) -> None:
    write_files(tmp_path, {**WORKER_MOUNT, "docker-compose.yml": WORKER_MOUNT["docker-compose.yml"].replace(
        "{mount}", mount)})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC105")] == (
        [("django/Dockerfile_celery", 1)] if reported else [])


SCRIPT_MADE_ENV = {
    "docker-compose.yml": ("services:\n  web:\n    build: .\n    ports:\n      - \"${LISTEN_PORT}:8000\"\n"
                           "    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n      SENTRY_DSN: ${SENTRY_DSN}\n"),
    "Dockerfile": PRODUCTION_SWITCH["Dockerfile"], ".dockerignore": ".git\n",
    "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n", "Makefile": "start:\n\tscripts/stack.sh start\n",
    "scripts/stack.sh": ("#!/bin/bash\nfunction write_env() {\n    cat > env/stack << __EOF__\n"
                         "LISTEN_PORT=$LISTEN_PORT\n"
                         "DB_PASSWORD=\nDEBUG=0\n__EOF__\n}\n\nwrite_env\nln -sf env/stack .env\n"
                         "docker-compose up -d\n"),
    "env/README.md": "Made by scripts/stack.sh\n",
    "site/__init__.py": "", "site/wsgi.py": PRODUCTION_SWITCH["site/wsgi.py"],
    "site/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"}
"""A stack whose .env is a link a script in scripts/ makes to the env file it writes with a here-document."""


def test_variables_a_script_writes_into_the_file_env_links_to_are_provided(tmp_path: Path) -> None:
    write_files(tmp_path, SCRIPT_MADE_ENV)
    assert [message.split()[0] for _, _, message in rule_findings(tmp_path, "DJC214")] == ["${SENTRY_DSN}"]


def test_without_the_link_the_written_file_is_another(tmp_path: Path) -> None:
    write_files(tmp_path, {**SCRIPT_MADE_ENV, "scripts/stack.sh": SCRIPT_MADE_ENV["scripts/stack.sh"].replace(
        "ln -sf env/stack .env\n", "")})
    assert len(rule_findings(tmp_path, "DJC214")) == 3


@pytest.mark.parametrize(("base", "extra", "reported"), [
    ("django:1.8-python2", "", False), ("python:2.7", "", True),
    ("python:2.7", "postgres==2.2.2\n", False), ("python:2.7", "django-heroku==0.3.1\n", False)])
def test_the_deprecated_django_image_and_some_packages_install_the_database_drivers(
        tmp_path: Path, base: str, extra: str, reported: bool) -> None:
    write_files(tmp_path, {
        "Dockerfile": (f"FROM {base}\nWORKDIR /app\nCOPY requirements.txt /app\nRUN pip install -r requirements.txt\n"
                       "COPY . /app\nCMD [\"gunicorn\", \"site.wsgi\", \"-b\", \"0.0.0.0:5000\"]\n"),
        "requirements.txt": "Django==1.8.19\ngunicorn==19.9.0\n" + extra, "site/__init__.py": "",
        "site/wsgi.py": PRODUCTION_SWITCH["site/wsgi.py"],
        "site/settings.py": ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                             "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql_psycopg2',\n"
                             "                         'NAME': 'app', 'HOST': 'db'}}\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC408")] == (
        [("site/settings.py", 4)] if reported else [])


COPIED_STACK = {
    "deploy/docker/docker-compose.prod.yml": (
        "services:\n  server:\n    build:\n      context: .\n      dockerfile: ./deploy/docker/backend/Dockerfile\n"
        "    entrypoint: /app/deploy/docker/backend/server-entrypoint.sh\n    depends_on: [db]\n"
        "    environment:\n      POSTGRES_HOST: db\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n"
        "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n"),
    "deploy/docker/backend/Dockerfile": (
        "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nRUN useradd app\nWORKDIR /app\n"
        "COPY backend/requirements.txt backend/\nRUN pip install --no-cache-dir -r backend/requirements.txt\n"
        "COPY . .\nUSER app\n"),
    "deploy/docker/backend/server-entrypoint.sh": (
        "#!/bin/sh\nset -e\ncd backend\npython manage.py migrate --noinput\n"
        "exec gunicorn site.wsgi --bind 0.0.0.0:8000\n"),
    ".dockerignore": ".git\n", "backend/requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\npsycopg==3.2.9\n",
    **{f"backend/{name}": text for name, text in SITE.items()}}
"""A compose file kept in deploy/docker/ whose builds are written from the repository's top, where it is run."""


def test_a_compose_file_written_for_the_top_builds_from_there(tmp_path: Path) -> None:
    write_files(tmp_path, COPIED_STACK)
    assert rule_findings(tmp_path, "DJC002") == rule_findings(tmp_path, "DJC202") == []


def test_a_dockerfile_missing_from_every_folder_is_still_missing(tmp_path: Path) -> None:
    stack = COPIED_STACK["deploy/docker/docker-compose.prod.yml"].replace("backend/Dockerfile", "api/Dockerfile")
    write_files(tmp_path, {**COPIED_STACK, "deploy/docker/docker-compose.prod.yml": stack})
    [(path, line, _)] = rule_findings(tmp_path, "DJC002")
    assert (path, line) == ("deploy/docker/docker-compose.prod.yml", 3)


@pytest.mark.parametrize(("module", "reported"), [("linker.wsgi", False), ("optilinker.wsgi", True)])
def test_the_code_mounted_at_the_images_workdir_holds_the_served_module(tmp_path: Path, module: str,
                                                                        reported: bool) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": ("services:\n  django:\n    build: ./django\n"
                               "    command: bash -c \"python manage.py migrate && "
                               f"gunicorn {module} -b 0.0.0.0:8000\"\n"
                               "    volumes:\n      - ./sources:/sources\n"),
        "django/Dockerfile": ("FROM python:3.12\nENV PYTHONUNBUFFERED 1\nADD requirements.pip /config/\n"
                              "RUN pip install -r /config/requirements.pip\nRUN mkdir /sources\nWORKDIR /sources\n"),
        "django/requirements.pip": "Django==5.2.1\ngunicorn==23.0.0\n",
        "sources/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'linker.settings')\n",
        "sources/linker/__init__.py": "",
        "sources/linker/wsgi.py": PROCFILE_IMAGE["blog/blog/wsgi.py"].replace("blog.settings", "linker.settings"),
        "sources/linker/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC405")] == (
        [("docker-compose.yml", 4)] if reported else [])


FLOWER_STACK = {
    "production.yml": ("services:\n  django: &django\n    build:\n      context: .\n"
                       "      dockerfile: ./compose/production/django/Dockerfile\n"
                       "    env_file:\n      - ./.envs/.production/.django\n    command: /start\n"
                       "  celeryflower:\n    <<: *django\n    command: /start-celeryflower\n"
                       "    env_file:\n      - ./.envs/.production/.flower\n"),
    "compose/production/django/Dockerfile": (
        "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nRUN useradd app\nWORKDIR /app\n"
        "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
        "COPY ./compose/production/django/start /start\n"
        "COPY ./compose/production/django/flower/start /start-celeryflower\nCOPY . .\nUSER app\n"),
    "compose/production/django/start": "#!/bin/bash\nset -o errexit\nexec gunicorn config.wsgi --bind 0.0.0.0:5000\n",
    "compose/production/django/flower/start": ("#!/bin/bash\nset -o errexit\n"
                                               "exec celery {app}--broker=\"${{CELERY_BROKER_URL}}\" flower\n"),
    ".envs/.production/.django": "DJANGO_SETTINGS_MODULE=config.settings.production\n",
    ".envs/.production/.flower": "CELERY_FLOWER_USER=admin\n", ".dockerignore": ".git\n.envs\n",
    "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\ncelery==5.5.2\nflower==2.0.1\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n",
    "config/__init__.py": "", "config/settings/__init__.py": "",
    "config/celery_app.py": ("import os\nfrom celery import Celery\n"
                             "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n"
                             "app = Celery('config')\n"),
    "config/wsgi.py": ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n"
                       "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
    "config/settings/local.py": "SECRET_KEY = 'local-only'\nDEBUG = True\n",
    "config/settings/production.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\n"}
"""A production stack whose Flower service, started by a script named for Celery, gives Celery no app."""


@pytest.mark.parametrize(("app", "reported"), [("", False), ("-A config.celery_app ", True)])
def test_celery_flower_without_an_app_loads_no_settings(tmp_path: Path, app: str, reported: bool) -> None:
    script = FLOWER_STACK["compose/production/django/flower/start"].format(app=app)
    write_files(tmp_path, {**FLOWER_STACK, "compose/production/django/flower/start": script})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC301")] == (
        [("config/settings/local.py", 2)] if reported else [])


TWO_STACKS = {
    "docker-compose.yml": ("services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n"
                           "    command: python manage.py runserver 0.0.0.0:8000\n    ports:\n      - \"8000:8000\"\n"),
    "docker-compose.prod.yml": ("services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.prod\n"
                                "    command: gunicorn site.wsgi:application --bind 0.0.0.0:8000\n"),
    "Dockerfile": ("FROM python:3.12\nENV PYTHONUNBUFFERED 1\nWORKDIR /code\nCOPY requirements.txt .\n"
                   "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . /code/\n"
                   "CMD [\"python3\", \"manage.py\", \"runserver\"]\n"),
    "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n", ".dockerignore": ".git\n", **SITE}
TWO_STACKS["Dockerfile.prod"] = TWO_STACKS["Dockerfile"]
"""A development and a production stack, each replacing its image's runserver with a command of its own."""


@pytest.mark.parametrize(("dev_command", "reported"), [(True, []), (False, [("Dockerfile", 7)])])
def test_an_image_command_every_stack_replaces_never_binds_the_loopback(
        tmp_path: Path, dev_command: bool, reported: list[tuple[str, int]]) -> None:
    compose = TWO_STACKS["docker-compose.yml"]
    if not dev_command:
        compose = compose.replace("    command: python manage.py runserver 0.0.0.0:8000\n", "")
    write_files(tmp_path, {**TWO_STACKS, "docker-compose.yml": compose})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC101")] == reported


GENERATOR = {
    "dockerize.sh": ("#!/bin/bash\nread -p 'Project name: ' DJANGO_PROJECT_NAME\n"
                     "django-admin startproject config \"$DJANGO_PROJECT_NAME\"\ncd \"$DJANGO_PROJECT_NAME\" || exit\n"
                     "sed \"s/\\$DB_PASS/${DB_PASS}/g\" ../files/.env.prod > .env.prod\n"
                     "sed \"s/\\$DJANGO_PROJECT_NAME/$DJANGO_PROJECT_NAME/g\" ../files/Dockerfile > Dockerfile\n"
                     "cp ../files/docker-compose.yml .\n"),
    "files/docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n",
    "files/Dockerfile": ("FROM python:3.12-slim\nWORKDIR /home/app/$DJANGO_PROJECT_NAME\nCOPY . .\n"
                         "ENTRYPOINT [\"/home/app/$DJANGO_PROJECT_NAME/entrypoint.sh\"]\n"),
    "files/.env.prod": "SQL_PASSWORD=$DB_PASS\n", "files/settings.py": "DEBUG = False\n", "files/manage.py": ""}
"""A generator: dockerize.sh makes a project and fills the placeholders of files/ into it with sed."""


def test_the_folder_a_script_renders_with_sed_is_a_template(tmp_path: Path) -> None:
    write_files(tmp_path, GENERATOR)
    assert discover([tmp_path]) == []


def test_a_folder_no_script_renders_is_a_setup(tmp_path: Path) -> None:
    write_files(tmp_path, {**GENERATOR, "dockerize.sh": GENERATOR["dockerize.sh"].replace("sed", "echo")})
    assert [setup.root.name for setup in discover([tmp_path])] == ["files"]


@pytest.mark.parametrize(("value", "reported"), [
    ("$DB_PASS", False), ("${DB_PASS}", False),  # filled in by a script's sed, or by Compose's interpolation
    ("notstrongsecretkey", False), ("AdminNotStrongPassword0", False),  # says it is weak
    ("k8!vQ2#zLr", True)])
def test_a_committed_value_that_is_a_variable_or_says_it_is_weak_is_no_secret(
        tmp_path: Path, value: str, reported: bool) -> None:
    write_files(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n", ".gitignore": "__pycache__/\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n",
        "Dockerfile": PRODUCTION_SWITCH["Dockerfile"], ".dockerignore": ".git\n.env*\n",
        "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
        "site/__init__.py": "", "site/wsgi.py": PRODUCTION_SWITCH["site/wsgi.py"],
        "site/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
        ".env.prod": f"SQL_PASSWORD={value}\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC412")] == (
        [(".env.prod", 1)] if reported else [])


TWO_PROJECTS = {
    "docker-compose.yml": ("services:\n  web:\n    build: .\n    command: ./run_web.sh\n"
                           "    environment:\n      - APP=picha\n"),
    "Dockerfile": ("FROM python:3.12\nENV PYTHONUNBUFFERED 1\nRUN useradd myuser\nWORKDIR /app\n"
                   "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"),
    "requirements.txt": "Django==5.2.1\n", ".dockerignore": ".git\n",
    "run_web.sh": "#!/bin/sh\n{cd}\nsu -m myuser -c \"python manage.py runserver 0.0.0.0:8000\"\n",
    "myproject/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'myproject.settings')\n",
    "myproject/myproject/__init__.py": "",
    "myproject/myproject/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
    "picha/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'picha.settings')\n",
    "picha/picha/__init__.py": "",
    "picha/picha/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\nDATABASES = {}\n"}
"""Two Django projects side by side; the start script enters one and runs its manage.py as another user."""


@pytest.mark.parametrize("cd", ["cd picha", "cd ${APP}"])
def test_the_manage_py_of_the_folder_the_script_enters_runs(tmp_path: Path, cd: str) -> None:
    from djlint_docker.project import Project

    write_files(tmp_path, {**TWO_PROJECTS, "run_web.sh": TWO_PROJECTS["run_web.sh"].replace("{cd}", cd)})
    [setup] = discover([tmp_path])
    project = Project(setup, tmp_path.resolve(), None, None, siblings=())
    [run] = project.django_runs
    assert [settings.path.relative_to(tmp_path.resolve()).as_posix() for settings in run.settings] == [
        "picha/picha/settings.py"]


@pytest.mark.parametrize(("cd", "reported"), [("cd picha", []), ("", [("myproject/myproject/settings.py", 3)])])
def test_the_settings_of_a_project_no_container_enters_are_not_run(tmp_path: Path, cd: str,
                                                                   reported: list[tuple[str, int]]) -> None:
    write_files(tmp_path, {**TWO_PROJECTS, "run_web.sh": TWO_PROJECTS["run_web.sh"].replace("{cd}", cd),
                           "myproject/myproject/settings.py": ("SECRET_KEY = 'x' * 50\nALLOWED_HOSTS = []\n"
                                                               "DEBUG = True\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC301")] == reported


@pytest.mark.parametrize(("links", "reported"), [("    links:\n      - db:db\n", False), ("", True)])
def test_a_host_read_from_a_legacy_link_address_is_the_linked_container(tmp_path: Path, links: str,
                                                                        reported: bool) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": ("db:\n  image: postgres:9.6\nweb:\n  build: .\n"
                               f"  command: gunicorn site.wsgi -b 0.0.0.0:8000\n{links.replace('    ', '  ')}"),
        "Dockerfile": PRODUCTION_SWITCH["Dockerfile"], ".dockerignore": ".git\n",
        "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\npsycopg2==2.9.10\n", **SITE,
        "site/settings.py": ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                             "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'app',\n"
                             "    'HOST': os.environ.get('DB_PORT_5432_TCP_ADDR', '')}}\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC306")] == (
        [("site/settings.py", 4)] if reported else [])
