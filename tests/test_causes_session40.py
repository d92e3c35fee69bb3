"""Causes of false and noisy findings the hundred-twenty-first and later reviews found (session 40)."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.discover import discover
from djlint_docker.names import PRODUCTION_WORDS
from tests.conftest import rule_findings, write_files

APP_MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
"""A ``manage.py`` that names the ``app.settings`` module."""
APP_IMAGE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
             "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n")
"""An image of the project's, with no command of its own."""
SQLITE_SETTINGS = "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"
"""Settings on SQLite, as ``startproject`` writes them."""


def test_beat_started_without_exec_is_not_said_to_lose_tasks(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": APP_IMAGE + "CMD [\"/app/beat.sh\"]\n", "manage.py": APP_MANAGE,
        "beat.sh": "#!/bin/sh\ncd /app\ncelery -A app beat --loglevel=info\n"})
    assert [(path, line, message) for path, line, message in rule_findings(tmp_path, "DJC411")] == [
        ("beat.sh", 3, "the script ends by running the Celery beat without exec: beat is not PID 1 and misses "
                       "SIGTERM: `docker stop` waits out its timeout, then kills it; use `exec`")]


BLOG_BESIDE_THE_APP = {
    "docker-compose.yml": "services:\n  app:\n    build: .\n"
                          "    command: gunicorn app.wsgi:application --bind 0.0.0.0:8000\n"
                          "  blog:\n    image: wordpress:6.6\n    links:\n      - mariadb:mysql\n"
                          "    environment:\n      - WORDPRESS_DB_PASSWORD=${DB_PASSWORD}\n"
                          "  mariadb:\n    image: mariadb\n    environment:\n"
                          "      - MYSQL_ROOT_PASSWORD=${DB_PASSWORD}\n      - MYSQL_DATABASE=wordpress\n"
                          "    volumes:\n      - db:/var/lib/mysql\nvolumes:\n  db:\n",
    "Dockerfile": APP_IMAGE, "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n", "manage.py": APP_MANAGE,
    "app/settings.py": SQLITE_SETTINGS}
"""A portfolio on SQLite beside a WordPress blog, whose MariaDB the blog links to."""


def test_the_database_another_application_links_to_is_not_the_settings_business(tmp_path: Path) -> None:
    write_files(tmp_path, BLOG_BESIDE_THE_APP)
    assert rule_findings(tmp_path, "DJC305") == []
    # the blog's data survives only on the major version that wrote it
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC209")] == [("docker-compose.yml", 12)]


def test_a_django_service_that_depends_on_the_blog_s_database_still_uses_sqlite(tmp_path: Path) -> None:
    compose = BLOG_BESIDE_THE_APP["docker-compose.yml"].replace(
        "app.wsgi:application --bind 0.0.0.0:8000\n", "app.wsgi:application --bind 0.0.0.0:8000\n"
                                                      "    depends_on:\n      - mariadb\n")
    write_files(tmp_path, {**BLOG_BESIDE_THE_APP, "docker-compose.yml": compose})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC305")] == [("app/settings.py", 1)]


def test_the_cmd_an_entrypoint_script_never_runs_starts_no_development_server(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": APP_IMAGE + "ENTRYPOINT [\"./entrypoint.sh\"]\n"
                                  "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:9000\"]\n",
        "manage.py": APP_MANAGE, "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\n"
                         "exec gunicorn app.wsgi:application --bind 0.0.0.0:9000\n"})
    assert rule_findings(tmp_path, "DJC102") == []
    # the CMD is dead: the script is told to run it and never does
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC411")] == [("entrypoint.sh", 4)]


def test_the_cmd_an_entrypoint_script_hands_over_to_still_starts_the_development_server(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": APP_IMAGE + "ENTRYPOINT [\"./entrypoint.sh\"]\n"
                                  "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:9000\"]\n",
        "manage.py": APP_MANAGE, "requirements.txt": "Django==5.2.1\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec \"$@\"\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC102")] == [("Dockerfile", 7)]


FABRIC_BUILT = {
    "docker/production/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                                    "RUN pip install --no-cache-dir -r requirements.txt\nADD . /app/\n"
                                    "CMD [\"gunicorn\", \"app.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
    ".dockerignore": ".git/\nenv/\n*.pyc\n", "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
    "manage.py": APP_MANAGE, "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n",
    "docker/production/docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                            "      - ./db/postgres:/var/lib/postgresql/data\n"
                                            "    environment:\n      POSTGRES_PASSWORD: Kx8vQ2mWz4\n"
                                            "  web:\n    image: acme/app:latest\n    ports:\n"
                                            "      - \"8000:8000\"\n",
    "fabfile.py": "from fabric.operations import local\n\n\ndef build():\n"
                  "    local('docker build -f docker/production/Dockerfile -t acme/app:latest .')\n"
                  "    local('docker push acme/app:latest')\n\n\ndef deploy():\n"
                  "    put('docker/production/docker-compose.yml', '~/app/')\n    run('docker-compose up -d')\n"}
"""A project whose Fabric tasks build its production image from the top folder and copy its production stack, kept
beside the Dockerfile, to the server."""


def test_a_fabric_task_s_docker_build_gives_the_dockerfile_its_context(tmp_path: Path) -> None:
    write_files(tmp_path, FABRIC_BUILT)
    assert rule_findings(tmp_path, "DJC401") == []  # the top folder's .dockerignore is read


def test_a_stack_a_fabric_task_copies_to_the_server_keeps_its_data_there(tmp_path: Path) -> None:
    write_files(tmp_path, FABRIC_BUILT)
    # the database folder lies beside the copy on the server, not in the repository nor in its build context
    for code in ("DJC205", "DJC403", "DJC402"):
        assert rule_findings(tmp_path, code) == []
    # the password it carries is committed all the same
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC207")] == [
        ("docker/production/docker-compose.yml", 7)]


def test_a_stack_run_where_it_lies_keeps_its_data_in_the_repository(tmp_path: Path) -> None:
    write_files(tmp_path, {**FABRIC_BUILT, "fabfile.py": FABRIC_BUILT["fabfile.py"].split("\n\n\ndef deploy")[0]})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC205")] == [
        ("docker/production/docker-compose.yml", 5)]


def test_a_dockerfile_no_task_builds_keeps_its_own_folder_as_context(tmp_path: Path) -> None:
    write_files(tmp_path, {**FABRIC_BUILT, "fabfile.py": "def deploy():\n    pass\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC401")] == [
        ("docker/production/Dockerfile", 5)]


SPLIT_REPOSITORIES = {
    "docker-compose.yml": "services:\n  django:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                          "  next:\n    build:\n      context: ../shop-frontend\n    command: node server.js\n",
    "Dockerfile": APP_IMAGE, "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n", "manage.py": APP_MANAGE}
"""The backend of a project split into repositories, whose stack builds the frontend cloned beside it."""


def test_the_frontend_repository_beside_the_backend_is_not_a_missing_context(tmp_path: Path) -> None:
    write_files(tmp_path / "shop-backend", SPLIT_REPOSITORIES)
    assert rule_findings(tmp_path / "shop-backend", "DJC002") == []


def test_a_context_beside_the_repository_of_another_name_is_missing(tmp_path: Path) -> None:
    write_files(tmp_path / "shop", SPLIT_REPOSITORIES)
    assert [(path, line) for path, line, _ in rule_findings(tmp_path / "shop", "DJC002")] == [
        ("docker-compose.yml", 6)]


LOCAL_AND_SERVER_STACKS = {
    "infra/deploy_local/docker-compose_local.yaml": "services:\n  db:\n    image: postgres:16\n    ports:\n"
                                                    "      - \"5432:5432\"\n  backend:\n    build:\n"
                                                    "      context: ../..\n    depends_on:\n      - db\n",
    "infra/deploy_dev/docker-compose_dev.yaml": "services:\n  db:\n    image: postgres:16\n  backend:\n"
                                                "    image: ghcr.io/acme/shop:dev\n    depends_on:\n      - db\n",
    "Dockerfile": APP_IMAGE + "CMD [\"gunicorn\", \"app.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
    "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n", "manage.py": APP_MANAGE}
"""A project's stack for the developer's machine (``deploy_local``) beside the one its pipeline ships to a server."""


def test_a_stack_deployed_locally_is_the_developer_s(tmp_path: Path) -> None:
    write_files(tmp_path, LOCAL_AND_SERVER_STACKS)
    assert rule_findings(tmp_path, "DJC210") == []


@pytest.mark.parametrize(("name", "production"), [
    ("deploy_local", False), ("deployment-local.yml", False), ("local_deploy.yml", False),
    ("deploy_dev", True), ("deploy", True)])
def test_deploy_names_a_deployment_but_on_the_developer_s_machine(name: str, production: bool) -> None:
    assert bool(PRODUCTION_WORDS.search(name)) is production


@pytest.mark.parametrize("value", ["django-insecure-#(secret_key)", "{{ django_secret_key }}"])
def test_a_template_s_marked_name_is_no_secret(tmp_path: Path, value: str) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                              f"    environment:\n      - SECRET_KEY={value}\n      - DB_PASSWORD=Kx8vQ2mWz4\n",
        "Dockerfile": APP_IMAGE, "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n", "manage.py": APP_MANAGE})
    # the key is a name in marks a template fills in; the password beside it is a literal all the same
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC207")] == [("docker-compose.yml", 7)]


FLASK_SERVICE = {
    "docker-compose.yaml": "services:\n  web:\n    build: ./src\n    ports:\n      - \"5000:5000\"\n"
                           "  redis:\n    image: redis:7.4\n",
    "src/Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt /requirements.txt\n"
                      "RUN pip install -r /requirements.txt\nCOPY . /app\nWORKDIR /app\n"
                      "CMD [\"gunicorn\", \"app:app\", \"--bind\", \":5000\"]\n",
    "src/requirements.txt": "Flask==3.0.3\nredis==5.0.8\ngunicorn==23.0.0\n",
    "src/settings.py": "LIMITS = {10: 1000, 60: 3000}\nREDIS_HOST = 'redis'\nREDIS_PORT = 6379\n",
    "src/app.py": "from flask import Flask\n\nfrom settings import REDIS_HOST\n\napp = Flask(__name__)\n"}
"""A Flask service whose constants module is named ``settings.py``."""


def test_a_flask_app_s_settings_module_makes_no_django_project(tmp_path: Path) -> None:
    write_files(tmp_path, FLASK_SERVICE)
    assert discover([tmp_path]) == []


def test_a_settings_module_beside_modules_of_no_framework_is_still_django_s(tmp_path: Path) -> None:
    write_files(tmp_path, {**FLASK_SERVICE, "src/app.py": "from settings import REDIS_HOST\n"})
    assert len(discover([tmp_path])) == 1


def test_a_project_folder_made_a_virtualenv_in_place_is_still_walked(tmp_path: Path) -> None:
    project = {"docker-compose.yml": "services:\n  web:\n    build: .\n"
                                     "    command: python manage.py runserver 0.0.0.0:8000\n",
               "Dockerfile": APP_IMAGE, "requirements.txt": "Django==5.2.1\n", "manage.py": APP_MANAGE,
               "pyvenv.cfg": "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.3\n"}
    write_files(tmp_path, {f"site/{name}": text for name, text in project.items()})
    assert [setup.root for setup in discover([tmp_path])] == [tmp_path / "site"]


def test_a_virtualenv_is_not_walked(tmp_path: Path) -> None:
    write_files(tmp_path, {"env/pyvenv.cfg": "home = /usr/bin\n", "env/lib/app/Dockerfile": APP_IMAGE,
                           "env/lib/app/manage.py": APP_MANAGE})
    assert discover([tmp_path]) == []


def test_the_else_of_an_elif_chain_names_every_test_that_is_false(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "Dockerfile": APP_IMAGE, "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n", "manage.py": APP_MANAGE,
        "app/__init__.py": "",
        "app/settings/__init__.py": "import os\n\nenvironment = os.environ.get('STAGE', 'development')\n\n"
                                    "if environment == 'production':\n    from .production import *\n"
                                    "elif environment == 'testing':\n    from .testing import *\nelse:\n"
                                    "    from .development import *\n",
        "app/settings/production.py": "DEBUG = False\n", "app/settings/testing.py": "DEBUG = False\n",
        "app/settings/development.py": "DEBUG = True\n"})
    messages = [message for _, _, message in rule_findings(tmp_path, "DJC301")]
    assert messages == ["`DEBUG = True` in the settings the container runs when STAGE is unset (`environment == "
                        "'production'` and `environment == 'testing'` are false then); read it from the environment, "
                        "default off"]


WHEEL_BUILDER = {
    "docker-compose.yml": "services:\n  builder:\n    build: .\n    entrypoint: \"entrypoint.sh\"\n"
                          "    command: [\"pip\", \"wheel\", \"--no-index\", \"-f /build\", \".\"]\n"
                          "  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_ROOT_PASSWORD: ${DB_PASSWORD:?}\n",
    "Dockerfile": "FROM python:3.12-slim\nCOPY src /application\nWORKDIR /application\n",
    "src/manage.py": APP_MANAGE,
    "src/app/settings.py": SQLITE_SETTINGS}
"""A stack whose builder service hands ``pip wheel`` to its base image's entrypoint script, beside a database."""


def test_a_builder_that_hands_pip_to_the_base_image_s_script_runs_no_django(tmp_path: Path) -> None:
    write_files(tmp_path, WHEEL_BUILDER)
    assert rule_findings(tmp_path, "DJC305") == []


def test_a_server_handed_to_the_base_image_s_script_runs_django(tmp_path: Path) -> None:
    compose = WHEEL_BUILDER["docker-compose.yml"].replace(
        "[\"pip\", \"wheel\", \"--no-index\", \"-f /build\", \".\"]", "[\"gunicorn\", \"app.wsgi\"]")
    write_files(tmp_path, {**WHEEL_BUILDER, "docker-compose.yml": compose})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC305")] == [("src/app/settings.py", 1)]


def test_the_server_module_lies_in_the_folder_the_image_copies(tmp_path: Path) -> None:
    src = "services/django/src"
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                      f"RUN pip install --no-cache-dir -r requirements.txt\nCOPY ./{src} /app/\n"
                      "CMD [\"gunicorn\", \"shop.wsgi:application\", \"--bind\", \"0.0.0.0:8000\"]\n",
        "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
        f"{src}/manage.py": APP_MANAGE.replace("app.settings", "shop.settings"),
        f"{src}/shop/__init__.py": "", f"{src}/shop/settings.py": "import os\nSECRET_KEY = os.environ['KEY']\n",
        f"{src}/shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"})
    assert rule_findings(tmp_path, "DJC405") == []


def test_a_server_module_the_copied_folder_lacks_is_reported(tmp_path: Path) -> None:
    src = "services/django/src"
    write_files(tmp_path, {
        "Dockerfile": f"FROM python:3.12-slim\nWORKDIR /app\nCOPY ./{src} /app/\n"
                      "CMD [\"gunicorn\", \"myproject.wsgi:application\", \"--bind\", \"0.0.0.0:8000\"]\n",
        f"{src}/manage.py": APP_MANAGE.replace("app.settings", "shop.settings"),
        f"{src}/shop/__init__.py": "", f"{src}/shop/wsgi.py": "",
        f"{src}/shop/settings.py": "import os\nSECRET_KEY = os.environ['KEY']\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC405")] == [("Dockerfile", 4)]


@pytest.mark.parametrize(("written", "reported"), [
    ("${HOST_ENV_FILE:?set HOST_ENV_FILE to the host's env file, e.g. deployments/<host>/.env}", False),
    ("deployments/shop/.env", True)])
def test_an_env_file_a_required_variable_names_is_the_operator_s(tmp_path: Path, written: str, reported: bool) -> None:
    write_files(tmp_path, {
        "docker-compose.prod.yml": f"services:\n  web:\n    build: .\n    env_file:\n      - {written}\n"
                                   "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "Dockerfile": APP_IMAGE, "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n", "manage.py": APP_MANAGE})
    assert bool(rule_findings(tmp_path, "DJC211")) is reported


AGENT_SERVICE = {
    "docker-compose.yml": "services:\n  agent:\n    build:\n      context: .\n      dockerfile: services/agent/Dockerfile\n"
                          "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${PW:?}\n",
    "services/agent/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY services/ /app/services/\n"
                                 "CMD [\"uvicorn\", \"services.agent.app:app\", \"--host\", \"0.0.0.0\"]\n",
    "services/__init__.py": "", "services/agent/__init__.py": "",
    "services/agent/app.py": "from fastapi import FastAPI\n\nfrom .config import settings\n\n"
                             "TOKEN = settings.django_gateway_token\napp = FastAPI()\n",
    "manage.py": APP_MANAGE,
    "app/settings.py": SQLITE_SETTINGS}
"""A FastAPI service built from the top of a Django project, whose module names the Django gateway it calls."""


def test_a_fastapi_module_that_only_names_django_runs_no_django(tmp_path: Path) -> None:
    write_files(tmp_path, AGENT_SERVICE)
    assert rule_findings(tmp_path, "DJC305") == []


def test_a_fastapi_module_that_sets_django_up_runs_it(tmp_path: Path) -> None:
    app = "import django\nfrom fastapi import FastAPI\n\ndjango.setup()\napp = FastAPI()\n"
    write_files(tmp_path, {**AGENT_SERVICE, "services/agent/app.py": app})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC305")] == [("app/settings.py", 1)]
