"""Causes of false and noisy findings the earlier blind reviews left, each pinned where the cause lives (session 28)."""

from __future__ import annotations

import pytest

from djlint_docker.rules.compose._waits import _started
from djlint_docker.rules.snippets import MANAGE
from tests.conftest import rule_findings, write_files


@pytest.mark.parametrize(("line", "services"), [
    ("run --rm web python manage.py migrate", {"web"}),
    ("-f docker-compose.yml -f docker-compose.dev.yml run -e DEBUG=1 --rm web pytest", {"web"}),
    ("--project-name shop run --workdir /app web ./manage.py shell", {"web"}),
    ("up -d db web", {"db", "web"}),
    ("up --build --scale worker=2 -d web", {"web"}),
    ("up -d", set()),
    ("exec web python manage.py shell", set()),
    ("build web", set()),
])
def test_the_services_a_compose_command_starts_by_name(line: str, services: set[str]) -> None:
    assert _started(line.split()) == services


WAITING_STACK = {
    "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                    "    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n  web:\n    build: .\n"
                    "    command: sh -c \"python manage.py wait_for_db && gunicorn app.wsgi -b 0.0.0.0:8000\"\n"
                    "    environment:\n      DB_HOST: db\nvolumes:\n  pg:\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                  "COPY . .\n",
    "requirements.txt": "django==5.1\ngunicorn==23.0\npsycopg[binary]==3.2\n",
    "manage.py": MANAGE,
}


@pytest.mark.parametrize(("extra", "reported"), [
    ({}, False),
    ({"README.md": "# Shop\n\n```\ndocker compose up -d\n```\n"}, False),
    ({"README.md": "Run the tests:\n\n    docker compose run --rm web python manage.py test\n"}, True),
    ({"Makefile": "shell:\n\tdocker-compose up -d web\n"}, True),
    ({"Makefile": "up:\n\tdocker compose up -d db web\n"}, False),
    ({"scripts/manage": "docker compose run --rm web python manage.py \"$@\"\n"}, True),
])
def test_a_wait_for_the_database_orders_the_start_unless_the_service_runs_alone(tmp_path, extra, reported) -> None:
    write_files(tmp_path, {**WAITING_STACK, **extra})
    assert bool(rule_findings(tmp_path, "DJC202")) == reported



FRONTEND_FROM_THE_TOP = {
    "docker-compose.yml": "services:\n  frontend:\n    build:\n      context: .\n"
                          "      dockerfile: frontend/Dockerfile\n",
    "frontend/Dockerfile": "FROM node:22-alpine\nWORKDIR /app\nCOPY frontend/package.json ./\nRUN npm install\n"
                           "COPY frontend .\n",
    "frontend/package.json": "{}\n",
    "manage.py": MANAGE,
}
STALE_SAMPLE = ("services:\n  frontend:\n    build:\n      context: ./frontend\n      dockerfile: Dockerfile\n")


@pytest.mark.parametrize(("files", "reported"), [
    ({**FRONTEND_FROM_THE_TOP, "docker-compose.example.yml": STALE_SAMPLE}, False),
    ({**FRONTEND_FROM_THE_TOP, "docker-compose.sample.yml": STALE_SAMPLE}, False),
    # With no docker-compose.yml beside it, the sample is what users copy and run.
    ({"docker-compose.example.yml": STALE_SAMPLE, **{k: v for k, v in FRONTEND_FROM_THE_TOP.items()
                                                     if k != "docker-compose.yml"}}, True),
])
def test_a_compose_sample_beside_the_file_it_is_copied_to_is_not_run(tmp_path, files, reported) -> None:
    write_files(tmp_path, files)
    assert bool(rule_findings(tmp_path, "DJC122")) == reported


DB_FROM_DOTENV = ("services:\n  db:\n    image: postgres:16\n    env_file: ./.env\n    environment:\n"
                  "      POSTGRES_USER: ${DB_USER}\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n")


def test_an_absent_dotenv_a_service_requires_leaves_its_variables_unknown(tmp_path) -> None:
    write_files(tmp_path, {"docker-compose.yml": DB_FROM_DOTENV})
    assert rule_findings(tmp_path, "DJC211") and not rule_findings(tmp_path, "DJC214")


def test_an_absent_dotenv_nothing_requires_sets_nothing(tmp_path) -> None:
    write_files(tmp_path, {"docker-compose.yml": DB_FROM_DOTENV.replace("    env_file: ./.env\n", "")})
    assert len(rule_findings(tmp_path, "DJC214")) == 2


@pytest.mark.parametrize(("page", "reported"), [
    ("DOCKER.md", False), ("INSTALL.md", False), ("docs/running.md", False), ("NOTES.md", True)])
def test_the_env_file_a_page_on_running_the_stack_passes(tmp_path, page, reported) -> None:
    write_files(tmp_path, {
        "docker-compose-postgres.yml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                       "      POSTGRES_USER: ${DB_USER}\n",
        "docker/postgres/db.env": "DB_USER=app\n",
        page: "Start the database:\n\n    docker-compose -f docker-compose-postgres.yml "
              "--env-file=./docker/postgres/db.env up\n"})
    assert bool(rule_findings(tmp_path, "DJC214")) == reported


@pytest.mark.parametrize(("page", "reported"), [("README.MD", False), ("SETUP.MD", False), ("NOTES.json", True)])
def test_a_page_in_capitals_says_how_to_make_the_env_file(tmp_path, page, reported) -> None:
    write_files(tmp_path, {
        ".gitignore": "env/\n",
        "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    env_file: env/.postgres_env\n",
        page: "### before you run\n\n- create an env directory with a .postgres_env file holding POSTGRES_DB, "
              "POSTGRES_USER and POSTGRES_PASSWORD\n"})
    assert bool(rule_findings(tmp_path, "DJC211")) == reported


def test_a_source_folder_copied_before_the_install_names_what_changes(tmp_path) -> None:
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY shop shop\nRUN flake8 shop\n"
                      "COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
        "requirements.txt": "django==5.1\n", "shop/__init__.py": "", "shop/settings.py": "DEBUG = False\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"})
    assert [message for _, _, message in rule_findings(tmp_path, "DJC103")] == [
        "`COPY shop shop` comes before the dependency install on line 6: every change in shop/ reinstalls every "
        "dependency; copy the requirements first, install, then copy the source"]
