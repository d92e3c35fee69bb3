"""Causes of false and noisy findings the earlier blind reviews left, each pinned where the cause lives (session 28)."""

from __future__ import annotations

import pytest

from djlint_docker.rules.compose._waits import _started
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
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
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

