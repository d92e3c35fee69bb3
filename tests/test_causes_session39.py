"""Causes of false and noisy findings the hundred-seventeenth and later reviews found (session 39)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import rule_findings, write_files

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
