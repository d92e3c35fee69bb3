"""Causes of false and noisy findings the hundred-seventeenth and later reviews found (session 39)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import rule_findings, write_files

APP_MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
"""A ``manage.py`` that names the ``app.settings`` module."""
BUILD_FILE = ("services:\n  shop-django-dev:\n    build:\n      context: ..\n      target: dev\n"
              "  minio-with-buckets:\n    build: ./minio\n")
"""The images of a project's stacks, which its development stack ``extends`` by name (``compose/build.yml``)."""


def test_a_service_extended_by_a_name_from_the_shell_is_unknown_not_missing(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "compose/build.yml": BUILD_FILE,
        "compose/dev.yml": "services:\n  django:\n    extends:\n      service: ${PROJECT_NAME}-django-dev\n"
                           "      file: build.yml\n    command: python manage.py runserver 0.0.0.0:8000\n",
        ".envrc": "export PROJECT_NAME=shop\n"})
    assert rule_findings(tmp_path, "DJC001") == []
    assert rule_findings(tmp_path, "DJC214") == []


def test_a_service_extended_by_an_interpolated_name_is_looked_up_as_compose_does(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "compose/build.yml": BUILD_FILE,
        "compose/dev.yml": "services:\n  django:\n    extends:\n      service: ${PROJECT_NAME:-shop}-django\n"
                           "      file: build.yml\n"})
    assert [(path, line, message) for path, line, message in rule_findings(tmp_path, "DJC001")] == [
        ("compose/dev.yml", 3, "compose file: services.django.extends: no service 'shop-django' to extend")]


def test_a_variable_the_direnv_file_leaves_unknown_is_not_reported(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "compose/dev.yml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                           "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n",
        ".envrc": "export PROJECT_NAME=shop\n[[ -e .local.env ]] && export $(cat .local.env | xargs)\n"})
    assert rule_findings(tmp_path, "DJC214") == []


DEVELOPMENT_STACK = {
    "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                          "    volumes:\n      - .:/app\n    depends_on:\n      - db\n"
                          "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Kx8vQ2mWz4\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                  "COPY . .\n",
    "requirements.txt": "Django==5.2.1\n",
}
"""A project's committed development stack, with the throwaway password of its database."""


def test_a_production_stack_the_makefile_runs_but_git_lacks_is_a_deployment_elsewhere(tmp_path: Path) -> None:
    write_files(tmp_path, {**DEVELOPMENT_STACK, "Makefile": (
        "checkpythondev:\n\tdocker-compose -f docker-compose.yml run --rm web flake8 .\n\n"
        "checkpythonprod:\n\tdocker-compose -f docker-compose-prod.yml run --rm app flake8 .\n")})
    assert rule_findings(tmp_path, "DJC207") == []


def test_a_development_stack_the_makefile_alone_runs_is_what_ships(tmp_path: Path) -> None:
    write_files(tmp_path, {**DEVELOPMENT_STACK, "Makefile": (
        "check:\n\tdocker-compose -f docker-compose.yml run --rm web flake8 .\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC207")] == [("docker-compose.yml", 12)]


ENVIRONMENT_SWITCH = """\
import os

ENVIRONMENT = os.environ.get('ENV', 'LOCAL')
if ENVIRONMENT in ('PROD', 'STAGE'):
    DEBUG = False
else:
    DEBUG = os.environ.get('FORCE_DEBUG', True)
"""
"""Settings that switch on the environment's name, DEBUG read with an on default in the branch of the others."""


def test_debug_on_in_the_branch_an_unset_switch_takes_names_the_switch(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"-b\", \":8000\", \"app.wsgi\"]\n",
        "manage.py": APP_MANAGE,
        "app/__init__.py": "", "app/wsgi.py": "", "app/settings.py": ENVIRONMENT_SWITCH})
    assert [(path, line, message) for path, line, message in rule_findings(tmp_path, "DJC301")] == [
        ("app/settings.py", 7, "DEBUG is True when ENV, FORCE_DEBUG are unset (`ENVIRONMENT in ('PROD', 'STAGE')` is "
                               "false then): a forgotten variable ships DEBUG; make the default off")]


INTEGRATION_STACK = {
    "compose/int.yml": "services:\n  web:\n    build: ..\n    command: python -m pytest tests/integration\n"
                       "    environment:\n      - SECRET_KEY=SECRET_KEY\n"
                       "      - DATABASE_URL=postgis://app:app-test@psql:5432/app\n"
                       "  psql:\n    image: postgis/postgis:16-3.4\n    tmpfs: /var/lib/postgresql/data\n"
                       "    environment:\n      - POSTGRES_PASSWORD=app-test\n",
    "Dockerfile": "FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                  "FROM base AS deploy\nRUN pip install awscli==1.16.0\n",
    "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
}
"""A project's integration-test stack (``ROLE=int bin/dc up``), whose throwaway credentials are the tests'."""
ORB_PIPELINE = ("version: 2.1\norbs:\n  deploy: acme/ecs-deploy@1\njobs:\n  build:\n    steps:\n      - checkout\n"
                "      - run: docker build --target deploy --tag shop-django .\n  push-to-ecr:\n    steps:\n"
                "      - deploy/push:\n          image: shop-django\n")
"""CircleCI builds the final stage and pushes it to ECR with an orb's job."""


def test_the_integration_tests_stack_is_a_test_stack(tmp_path: Path) -> None:
    write_files(tmp_path, INTEGRATION_STACK)
    assert rule_findings(tmp_path, "DJC207") == []


def test_an_image_a_test_stack_builds_and_a_pipeline_pushes_with_an_orb_ships(tmp_path: Path) -> None:
    write_files(tmp_path, {**INTEGRATION_STACK, ".circleci/config.yml": ORB_PIPELINE})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC110")] == [("Dockerfile", 7)]


def test_an_image_a_test_stack_alone_builds_ships_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, INTEGRATION_STACK)
    assert rule_findings(tmp_path, "DJC110") == []


def test_an_env_file_named_to_be_renamed_is_a_template(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  db:\n    image: mysql:8.4\n    env_file: .env\n",
        ".gitignore": ".env\n",
        "rename.env": "#rename this file to .env\nMYSQL_ROOT_PASSWORD=Zt4kq9Wm2xV7\nMYSQL_PASSWORD=Hq3vRw9kLm2p\n"})
    assert rule_findings(tmp_path, "DJC412") == []
    assert rule_findings(tmp_path, "DJC211") == []


@pytest.mark.parametrize(("relinked", "reported"), [
    ("RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/* \\\n"
     "    && rm /bin/sh && ln -s /bin/bash /bin/sh\n", False),
    ("RUN ln -sf bash /bin/sh\n", False),
    ("RUN ln -s /bin/bash /bin/sh.bash\n", True),  # a link beside /bin/sh: dash still runs the command line
    ("", True),
])
def test_a_shell_form_command_run_by_bash_linked_to_bin_sh_is_execd(tmp_path: Path, relinked: str,
                                                                     reported: bool) -> None:
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n" + relinked
                      + "COPY docker/start.sh /start.sh\nCMD /start.sh\n",
        "docker/start.sh": "#!/bin/sh\npython /app/manage.py migrate --noinput\nexec gunicorn app.wsgi\n",
        "manage.py": APP_MANAGE})
    assert bool(rule_findings(tmp_path, "DJC109")) is reported


BETA_STACK = {
    "docker-compose.yml": "services:\n  web:\n    build: ./app\n    command: python manage.py runserver 0.0.0.0:8000\n"
                          "    volumes:\n      - ./app/:/usr/src/app/\n    env_file:\n      - ./.env.dev\n",
    "docker-compose.beta.yml": "services:\n  web:\n    build:\n      context: ./app\n      dockerfile: Dockerfile.beta\n"
                               "    command: gunicorn backend.wsgi:application --bind 0.0.0.0:8000\n"
                               "    env_file:\n      - ./.env.beta\n",
    "app/Dockerfile": "FROM python:3.12-slim\nWORKDIR /usr/src/app\nCOPY . .\n",
    "app/Dockerfile.beta": "FROM python:3.12-slim\nWORKDIR /home/app/web\nCOPY . .\n",
    "app/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'backend.settings')\n",
    ".gitignore": ".env.dev\n.env.beta\n",
    "README.md": "# Folders\n\nCreate `.env.dev` with `DJANGO_SECRET_KEY=...`, then `docker compose up`.\n",
}
"""A project's development stack beside the stack of its deployed test environment, ``beta``."""


def test_a_beta_stack_is_deployed_and_its_env_file_lives_on_the_server(tmp_path: Path) -> None:
    write_files(tmp_path, BETA_STACK)
    assert rule_findings(tmp_path, "DJC211") == []


def test_a_bind_mount_of_a_machine_folder_above_the_project_mounts_no_source(tmp_path: Path) -> None:
    """``/tmp`` (a ``.env`` value) holds the clone when it lies there: it is the machine's folder, not the source."""
    project = tmp_path / "vpn"
    write_files(project, {
        "docker-compose.yml": "services:\n  celery:\n    build:\n      context: .\n      dockerfile: docker/celery/Dockerfile\n"
                              f"    volumes:\n      - {tmp_path}:/wireguardconfig\n",
        "docker/celery/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                    "CMD [\"celery\", \"-A\", \"mysite\", \"worker\"]\n",
        "mysite/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/mysite/celery.py": "import os\nfrom celery import Celery\n"
                                   "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\napp = Celery()\n"})
    assert [(path, line) for path, line, _ in rule_findings(project, "DJC108")] == [("docker/celery/Dockerfile", 1)]
    assert rule_findings(project, "DJC105") == []


@pytest.mark.parametrize("copy", ["docker-compose__.yml", "docker-compose-old.yml", "docker-compose copy.yml",
                                  "docker-compose (1).yml"])
def test_a_copy_of_the_compose_file_set_aside_is_no_stack(tmp_path: Path, copy: str) -> None:
    stack = "services:\n  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_RANDOM_ROOT_PASSWORD: \"yes\"\n"
    write_files(tmp_path, {"docker-compose.yml": stack, copy: stack,
                           "manage.py": APP_MANAGE})
    assert [path for path, _, _ in rule_findings(tmp_path, "DJC206")] == ["docker-compose.yml"]


@pytest.mark.parametrize("name", ["docker-compose.backup.yml", "docker-compose_prod.yml", "docker-compose.bold.yml"])
def test_a_compose_file_named_for_what_it_runs_is_a_stack(tmp_path: Path, name: str) -> None:
    stack = "services:\n  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_RANDOM_ROOT_PASSWORD: \"yes\"\n"
    write_files(tmp_path, {name: stack,
                           "manage.py": APP_MANAGE})
    assert [path for path, _, _ in rule_findings(tmp_path, "DJC206")] == [name]


CYPRESS_STACK = {
    "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                          "  {name}:\n    build:\n      context: .\n      dockerfile: ./compose/cypress/Dockerfile\n"
                          "    profiles:\n      - {profile}\n    depends_on:\n      - web\n",
    "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER nobody\n",
    "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
    "compose/cypress/Dockerfile": "FROM cypress/included:13.6.0\nENV PYTHONUNBUFFERED=1\n"
                                  "RUN apt-get update && apt-get install --no-install-recommends -y python3-pip\n"
                                  "COPY ./requirements.txt /requirements.txt\n"
                                  "RUN pip install --no-cache-dir -r /requirements.txt\nWORKDIR /e2e\n",
    "manage.py": APP_MANAGE,
}
"""A stack whose end-to-end test runner, a Cypress image, starts only under a profile."""


@pytest.mark.parametrize(("name", "profile", "reported"), [
    ("e2e", "e2e_tests", False), ("browser", "e2e_tests", False), ("e2e", "tools", False),
    ("browser", "tools", True)])
def test_an_image_only_test_services_build_ships_nothing(tmp_path: Path, name: str, profile: str,
                                                         reported: bool) -> None:
    write_files(tmp_path, {path: text.replace("{name}", name).replace("{profile}", profile)
                           for path, text in CYPRESS_STACK.items()})
    assert bool(rule_findings(tmp_path, "DJC111")) is reported


def test_pwd_in_a_compose_file_is_the_folder_compose_runs_in(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  api:\n    build:\n      context: .\n"
                              "      dockerfile: ${PWD}/.docker/django/Dockerfile\n",
        ".docker/django/Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n",
        "manage.py": APP_MANAGE})
    assert rule_findings(tmp_path, "DJC002") == []


HIDDEN_FOLDER_STACK = {
    ".docker/compose.yaml": "x-django-build: &django-build\n  build:\n    context: .\n"
                            "    dockerfile: .docker/django/Dockerfile\n"
                            "services:\n  web:\n    <<: *django-build\n    command: python manage.py runserver 0.0.0.0:8000\n",
    ".docker/django/Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n",
    "manage.py": APP_MANAGE,
}
"""A stack kept in ``.docker/`` whose paths are written from the repository's top."""


def test_a_compose_file_the_readme_runs_with_a_project_directory_reads_paths_from_it(tmp_path: Path) -> None:
    write_files(tmp_path, {**HIDDEN_FOLDER_STACK, "README.md": (
        "## Run\n\n```sh\ndocker compose --project-directory . -f .docker/compose.yaml \\\n    up --build\n```\n")})
    assert rule_findings(tmp_path, "DJC002") == []


def test_a_compose_file_run_from_its_own_folder_reads_paths_from_there(tmp_path: Path) -> None:
    write_files(tmp_path, {**HIDDEN_FOLDER_STACK, "README.md": "## Run\n\n```sh\ncd .docker && docker compose up\n```\n"})
    assert [path for path, _, _ in rule_findings(tmp_path, "DJC002")] == [".docker/compose.yaml"]


def test_heroku_settings_a_procfile_serves_are_deployed(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                              "    volumes:\n      - .:/code\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /code\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\n",
        "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
        "Procfile": "web: gunicorn board.wsgi --log-file -\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'board.settings.local')\n",
        "board/__init__.py": "", "board/settings/__init__.py": "",
        "board/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'board.settings.local')\n",
        "board/settings/base.py": "DEBUG = True\nALLOWED_HOSTS = []\n",
        "board/settings/local.py": "from .base import *\n",
        "board/settings/heroku.py": "import django_heroku\n\nfrom .base import *\n\ndjango_heroku.settings(locals())\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC301")] == [("board/settings/base.py", 1)]
