"""Causes of false and noisy findings the hundred-thirteenth and later reviews found (session 38)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from djlint_docker.registry import REGISTRY
from tests.conftest import lint, rule_findings, write_files

LOCAL_ENVS = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "config/__init__.py": "",
    "config/settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
    "requirements.txt": "Django==5.2.1\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
    "local.yml": ("services:\n  django:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                  "    env_file:\n      - ./.envs/.local/.django\n      - ./.envs/.local/.postgres\n"),
    ".gitignore": ".envs/*\n.envs/.local/.django\n.envs/.local/.postgres\n!.envs/.local/\n!.envs/.local/.examples/\n",
}
"""cookiecutter-django's local stack, its env files kept out of git and their templates in a folder beside them."""


@pytest.mark.parametrize(("folder", "suffix"), [(".examples", "-example"), ("templates", ".template"),
                                                 ("examples", "")])
def test_a_folder_of_templates_inside_the_env_files_folder_makes_them(tmp_path: Path, folder: str,
                                                                      suffix: str) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, f".envs/.local/{folder}/.django{suffix}": "DJANGO_SECRET_KEY=\n",
                           f".envs/.local/{folder}/.postgres{suffix}": "POSTGRES_PASSWORD=\n"})
    assert rule_findings(tmp_path, "DJC211") == []


def test_a_folder_of_templates_for_other_files_makes_no_env_file(tmp_path: Path) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, ".envs/.local/.examples/.celery-example": "BROKER=\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC211")] == [
        ("local.yml", 6), ("local.yml", 7)]


SPLIT_SETTINGS = {
    "config/__init__.py": "",
    "config/settings/__init__.py": "",
    "config/settings/base.py": "DEBUG = False\nALLOWED_HOSTS = ['shop.example.org']\n",
    "config/settings/local.py": "from .base import *  # noqa\nSECRET_KEY = 'local-only'\n",
    "config/settings/production.py": ("import os\nfrom .base import *  # noqa\n"
                                      "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"),
    "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
    "requirements.txt": "Django==5.2.1\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                  "COPY . .\n",
    "docker-compose.local.yml": ("services:\n  django:\n    build: .\n    volumes:\n      - .:/app\n"
                                 "    command: python manage.py runserver_plus 0.0.0.0:8000\n"),
}
MANAGE_PY = ('import os\nimport sys\n\n\ndef main():\n    """Run administrative tasks."""\n{body}'
             '    from django.core.management import execute_from_command_line\n'
             '    execute_from_command_line(sys.argv)\n')


def test_a_manage_py_python_cannot_parse_starts_no_settings_and_is_reported(tmp_path: Path) -> None:
    write_files(tmp_path, {**SPLIT_SETTINGS, "manage.py": MANAGE_PY.format(
        body=' """ the local settings\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n')})
    assert [(finding.code, finding.path, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC307"], REGISTRY["DJC001"]])] == [("DJC001", "manage.py", 7)]


def test_the_settings_a_working_manage_py_names_are_judged(tmp_path: Path) -> None:
    write_files(tmp_path, {**SPLIT_SETTINGS, "manage.py": MANAGE_PY.format(
        body='    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n')})
    assert [(finding.code, finding.path, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC307"], REGISTRY["DJC001"]])] == [("DJC307", "config/settings/production.py", 3)]


FRONTEND = {
    "frontend/Dockerfile": ("FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\n"
                            "COPY ./.env /app/.env\nRUN npm run build\n"),
    "frontend/package.json": "{}\n",
    "frontend/.env": "REACT_APP_API_ROOT_URL=/api\n",
    "local.yml": "services:\n  frontend:\n    build: ./frontend\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
}


def test_an_env_file_a_build_from_the_wrong_folder_lacks_is_the_missing_copys_finding(tmp_path: Path) -> None:
    # production.yml builds the frontend from the top folder: package.json and .env are not there, so the build
    # stops (DJC122) and no .env reaches a layer
    write_files(tmp_path, {**FRONTEND, "production.yml": (
        "services:\n  frontend:\n    build:\n      context: .\n      dockerfile: ./frontend/Dockerfile\n")})
    assert [(finding.code, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC119"], REGISTRY["DJC122"]])] == [("DJC122", 3), ("DJC122", 6)]


def test_an_env_file_each_clone_makes_in_the_context_is_copied_into_a_layer(tmp_path: Path) -> None:
    write_files(tmp_path, {**FRONTEND, ".gitignore": ".env\n", "production.yml": (
        "services:\n  frontend:\n    build:\n      context: .\n      dockerfile: ./frontend/Dockerfile\n"),
        "package.json": "{}\n"})
    assert [(finding.code, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC119"], REGISTRY["DJC122"]])] == [("DJC119", 6)]


HEROKU_IMAGE = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "config/__init__.py": "",
    "config/settings.py": ("import environ\n\nenv = environ.Env()\nenviron.Env.read_env()\n\n"
                           "SECRET_KEY = env.str('SECRET_KEY', default='1')\nDEBUG = env.bool('DEBUG', default=False)\n"
                           "ALLOWED_HOSTS = ['vk-images.herokuapp.com']\n"),
    "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "requirements.txt": "Django==4.2.11\ndjango-environ==0.11.2\ngunicorn==21.2.0\n",
    "Dockerfile": ("FROM python:3.11-slim\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\nWORKDIR /app\n"
                   "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                   "CMD gunicorn config.wsgi --bind 0.0.0.0:$PORT\n"),
    "heroku.yml": "build:\n  docker:\n    web: Dockerfile\n",
    "docker-compose.yml": ("services:\n  web:\n    build: .\n    env_file:\n      - ./config/.env\n    volumes:\n"
                           "      - ./:/app\n    command: python manage.py runserver 0.0.0.0:8000\n"),
}
"""An image Heroku runs, whose settings read the committed config/.env it holds (django-environ's read_env())."""


def test_a_key_the_committed_env_file_the_image_holds_sets_is_that_files_finding(tmp_path: Path) -> None:
    write_files(tmp_path, {**HEROKU_IMAGE, "config/.env": "SECRET_KEY=k7q2x9w3m1z8p4r6t0y5u2i8o3e1a9s4\n"})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    assert [(finding.code, finding.path, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC303"], REGISTRY["DJC412"]])] == [("DJC412", "config/.env", 1)]


@pytest.mark.parametrize("kept_out", [".dockerignore", "env file"])
def test_a_fallback_the_image_alone_does_not_override_is_reported(tmp_path: Path, kept_out: str) -> None:
    files = {**HEROKU_IMAGE, "config/.env": "SECRET_KEY=k7q2x9w3m1z8p4r6t0y5u2i8o3e1a9s4\n"}
    if kept_out == ".dockerignore":
        files[".dockerignore"] = ".git\nconfig/.env\n"
    else:
        files["config/.env"] = "DEBUG=False\n"
    write_files(tmp_path, files)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC303")] == [("config/settings.py", 6)]
