"""Causes of false findings and untrue messages the ninety-third blind review found (session 31)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import rule_findings, write_files

SERVER_BUILD = ("services:\n  django:\n    build:\n      context: ./server/\n      dockerfile: Dockerfile\n"
                "      additional_contexts:\n        parent: ./\n    command: /start-django\n")
SERVER_DOCKERFILE = ("FROM node:22-slim AS assets\nWORKDIR /app\nCOPY --from=parent ./frontend/package*.json .\n"
                     "RUN npm ci\nCOPY --from=parent ./frontend .\nRUN npm run build\n\n"
                     "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /bin/uv\n"
                     "COPY --from=parent pyproject.toml uv.lock /_lock/\nCOPY --from=parent docker/start /start-django\n")


def test_copy_from_a_context_compose_names_is_no_image(tmp_path: Path) -> None:
    write_files(tmp_path, {"docker-compose.yml": SERVER_BUILD, "server/Dockerfile": SERVER_DOCKERFILE,
                           "server/manage.py": "import os\n"})
    assert rule_findings(tmp_path, "DJC106") == []


def test_the_same_name_without_the_context_is_an_image(tmp_path: Path) -> None:
    compose = SERVER_BUILD.replace("      additional_contexts:\n        parent: ./\n", "")
    write_files(tmp_path, {"docker-compose.yml": compose, "server/Dockerfile": SERVER_DOCKERFILE,
                           "server/manage.py": "import os\n"})
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC106")] == [3, 5, 10, 11]


def test_a_context_named_in_a_list_and_in_another_stack_counts(tmp_path: Path) -> None:
    compose = SERVER_BUILD.replace("      additional_contexts:\n        parent: ./\n", "")
    write_files(tmp_path, {"docker-compose.yml": compose, "server/Dockerfile": SERVER_DOCKERFILE,
                           "docker-compose.prod.yml": SERVER_BUILD.replace("        parent: ./\n",
                                                                           "        - parent=./\n"),
                           "server/manage.py": "import os\n"})
    findings = rule_findings(tmp_path, "DJC106")
    assert findings == [], findings


def test_a_latest_image_beside_a_named_context_is_still_reported(tmp_path: Path) -> None:
    dockerfile = SERVER_DOCKERFILE.replace("uv:0.5.11", "uv:latest")
    write_files(tmp_path, {"docker-compose.yml": SERVER_BUILD, "server/Dockerfile": dockerfile,
                           "server/manage.py": "import os\n"})
    [(path, line, message)] = rule_findings(tmp_path, "DJC106")
    assert (path, line) == ("server/Dockerfile", 9) and ":latest" in message


DECOUPLE_SETTINGS = ("from decouple import config\n\nSECRET_KEY = config('SECRET_KEY')\n"
                     "DEBUG = config('DEBUG', 'False')\nALLOWED_HOSTS = ['shop.example.com']\n")


def test_a_string_default_says_it_is_a_string_and_true(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
        "shop/__init__.py": "", "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                                 "'shop.settings')\n",
        "shop/settings.py": DECOUPLE_SETTINGS,
    })
    [(path, line, message)] = rule_findings(tmp_path, "DJC301")
    assert (path, line) == ("shop/settings.py", 4)
    assert "the string 'False' when DEBUG is unset, and any string but '' is true" in message
