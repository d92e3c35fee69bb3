"""Causes from the eighteenth review and the changes they led to: a COPY into the folder a WORKDIR made (the file
keeps its name), a loop probing the database with netcat or a Django command (DJC203), what an image lacks to compile
psycopg2 (DJC407), compose files named for a CI service, a development image whose deployed containers each run a
command of their own (DJC102), a stack of backing services beside a production stack djcheck cannot read, and the
ENV of the project's own published image (a build argument unknown, the settings branch it chooses kept)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import lint, write_files

from djlint_docker.parse.dockerfile import parse_dockerfile
from djlint_docker.rules.snippets import MANAGE


def _messages(root, code):
    return [(f.path, f.line, f.message) for f in lint(root) if f.code == code]


@pytest.mark.parametrize(("instructions", "image_path", "sources"), [
    ("WORKDIR /app\nCOPY requirements.txt /app", "/app/requirements.txt", ["requirements.txt"]),
    ("WORKDIR /app\nCOPY requirements.txt /app", "/app", []),
    ("WORKDIR /app/src\nCOPY requirements.txt /app", "/app/requirements.txt", ["requirements.txt"]),
    ("COPY requirements.txt /app", "/app", ["requirements.txt"]),  # no folder there: a file named /app
])
def test_a_copy_to_a_folder_the_workdir_made_keeps_the_file_name(instructions, image_path, sources):
    dockerfile = parse_dockerfile(Path("Dockerfile"), f"FROM python:3.12\n{instructions}\n")
    assert dockerfile.context_sources(dockerfile.final, image_path)[:1] == sources  # first the file, then a folder's


def test_a_folder_given_to_a_command_is_no_script_it_runs(tmp_path):
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /shop\nCOPY requirements.txt /shop\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . /shop\n"
                      "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"shop.wsgi\"]\n",
        "compose.yaml": "services:\n  tests:\n    build: .\n    command: python manage.py test apps .\n",
        "manage.py": MANAGE})
    (tmp_path / "requirements.txt").write_bytes(b"Django>=5.0,<5.2\r\ngunicorn\r\n")
    assert _messages(tmp_path, "DJC410") == []


WAIT_LOOP_COMPOSE = ("services:\n  db:\n    image: postgres:16\n  web:\n    build: .\n    depends_on:\n      - db\n"
                     "    command:\n      - /bin/sh\n      - -c\n      - |\n"
                     "        {wait}\n        python manage.py migrate && gunicorn shop.wsgi -b 0.0.0.0:8000\n")


@pytest.mark.parametrize(("wait", "reported"), [
    ("while ! nc -q 1 db 5432 </dev/null; do sleep 5; done", False),
    ("until nc -w 1 db 5432; do sleep 1; done", False),
    ("sleep 5", True),
])
def test_a_loop_probing_the_database_port_with_netcat_waits(tmp_path, wait, reported):
    write_files(tmp_path, {"compose.yaml": WAIT_LOOP_COMPOSE.format(wait=wait), "manage.py": MANAGE,
                           "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"})
    assert bool(_messages(tmp_path, "DJC203")) is reported


def test_the_message_names_what_the_image_lacks_to_compile_psycopg2(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y "
                                         "--no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*\n"
                                         "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n",
                           "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"})
    assert [message.split(": the build")[0] for _, _, message in _messages(tmp_path, "DJC407")] == [
        "psycopg2 is compiled from source, but python:3.12-slim has no C compiler"]


@pytest.mark.parametrize(("name", "reported"), [
    ("docker-compose-circleci.yml", False), ("compose.travis.yml", False), ("docker-compose.gitlab-ci.yml", False),
    ("docker-compose.circle.yml", True),
])
def test_a_compose_file_named_for_a_ci_service_is_a_throwaway_stack(tmp_path, name, reported):
    write_files(tmp_path, {name: "services:\n  db:\n    image: postgres:16\n  web:\n    build: .\n"
                                 "    command: python manage.py test\n    depends_on: [db]\n",
                           "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE})
    assert bool(_messages(tmp_path, "DJC206")) is reported


DEV_STACK = ("services:\n  web:\n    build:\n      context: ..\n      dockerfile: Dockerfile.dev\n"
             "  worker:\n    build:\n      context: ..\n      dockerfile: Dockerfile.dev\n"
             "    command: celery -A app worker\n")
"""A development stack kept in a folder of its own (``compose/``), beside the Dockerfiles at the top."""
PRODUCTION = "    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.prod\n"
OWN_IMAGE = "    build:\n      context: ..\n      dockerfile: Dockerfile\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"


@pytest.mark.parametrize(("web", "reported"), [
    (OWN_IMAGE, False),  # the deployed web runs an image of its own; the worker keeps its celery command
    ("", True),  # the deployed web runs the development image's own CMD
    ("    command: python manage.py runserver 0.0.0.0:8000\n", True),  # a command of its own, runserver all the same
])
def test_a_development_image_a_deployed_worker_runs_with_its_own_command(tmp_path, web, reported):
    write_files(tmp_path, {
        "compose/docker-compose.yml": DEV_STACK,
        "compose/docker-compose.prod.yml": f"services:\n  web:\n{web}{PRODUCTION}  worker:\n{PRODUCTION}",
        "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                          "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/settings/__init__.py": "",
        "app/settings/prod.py": "DEBUG = False\n", "app/wsgi.py": ""})
    assert bool(_messages(tmp_path, "DJC102")) is reported


@pytest.mark.parametrize(("production_stack", "reported"), [
    ("services:\n  web:\n    build: .\n    environment: *app_environment\n", False),  # a YAML error
    (None, True),
])
def test_backing_services_beside_a_production_stack_djcheck_cannot_read(tmp_path, production_stack, reported):
    files = {"docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    ports:\n      - 5432:5432\n",
             "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
             "manage.py": MANAGE, "app/__init__.py": "", "app/settings/__init__.py": "",
             "app/settings/production.py": "DEBUG = False\n"}
    if production_stack is not None:
        files["docker-compose.prod.yml"] = production_stack
    write_files(tmp_path, files)
    assert [(path, line) for path, line, _ in _messages(tmp_path, "DJC210")] == (
        [("docker-compose.yml", 5)] if reported else [])


MODE_SETTINGS = {
    "manage.py": MANAGE, "shop/__init__.py": "",
    "shop/settings/__init__.py": "", "shop/settings/dev.py": "DEBUG = True\n", "shop/settings/prod.py": "DEBUG = False\n",
    "shop/settings/base.py": "import os\nALLOWED_HOSTS = ['*']\nif os.getenv('MODE') == 'production':\n"
                             "    from .prod import *\n    HOSTS = os.environ.get('ALLOWED_HOSTS')\n"
                             "    if HOSTS:\n        ALLOWED_HOSTS = HOSTS.split(' ')\nelse:\n    from .dev import *\n",
    "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.base')\n"}
PUBLISHED = ("services:\n  web:\n    image: ghcr.io/acme/shop:latest\n    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n"
             "    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n")
MODE_IMAGE = ("FROM python:3.12-slim\nARG ALLOWED_HOSTS\nENV ALLOWED_HOSTS $ALLOWED_HOSTS\nENV MODE production\n"
              "WORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"shop.wsgi\"]\n")


def test_a_service_running_the_projects_published_image_has_its_dockerfiles_environment(tmp_path):
    """The image's ENV MODE chooses the production module; ALLOWED_HOSTS, a build argument, may be unset."""
    shop = tmp_path / "shop"
    write_files(shop, {**MODE_SETTINGS, "compose.yaml": PUBLISHED, "Dockerfile": MODE_IMAGE})
    assert _messages(shop, "DJC301") == []
    assert [(path, line) for path, line, _ in _messages(shop, "DJC304")] == [("shop/settings/base.py", 2)]


def test_settings_no_container_of_the_setup_loads_take_the_ways_of_the_projects_other_containers(tmp_path):
    """A stack of the database alone beside the published image's stack: the image's MODE still chooses."""
    shop = tmp_path / "shop"
    write_files(shop, {**MODE_SETTINGS, "compose.yaml": PUBLISHED, "Dockerfile": MODE_IMAGE,
                       "compose.db.yaml": "services:\n  db:\n    image: postgres:16\n"})
    assert _messages(shop, "DJC301") == []


@pytest.mark.parametrize(("build", "reported"), [
    ("    build: .\n", False),  # ARG MODE=production: the image sets it
    ("    build:\n      context: .\n      args:\n        MODE: development\n", True),  # the build chooses
])
def test_an_image_variable_made_from_a_build_argument(tmp_path, build, reported):
    write_files(tmp_path, {**MODE_SETTINGS, "Dockerfile": MODE_IMAGE.replace("ENV MODE production",
                                                                             "ARG MODE=production\nENV MODE=$MODE"),
                           "compose.yaml": "services:\n  web:\n" + build + "    command: gunicorn shop.wsgi\n"})
    assert bool(_messages(tmp_path, "DJC301")) is reported


RETRY_SCRIPT = ("#!/bin/bash\nTRIED=0\nwhile [ \"$TRIED\" -lt 30 ]; do\n  {probe}\n  echo \"Waiting for the database\"\n"
                "  echo \"see the docs for more\"\n  sleep 3\n  TRIED=$((TRIED + 3))\ndone\n"
                "./manage.py migrate --no-input\nexec gunicorn shop.wsgi\n")


@pytest.mark.parametrize(("probe", "reported"), [
    ("./manage.py showmigrations >/dev/null 2>&1 && break", False),
    ("date", True),  # the loop retries nothing that needs the database
])
def test_an_entrypoint_retrying_a_django_command_until_the_database_answers_waits(tmp_path, probe, reported):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n  web:\n    build: .\n    depends_on: [db]\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "entrypoint.sh": RETRY_SCRIPT.format(probe=probe), "manage.py": MANAGE})
    assert bool(_messages(tmp_path, "DJC203")) is reported
