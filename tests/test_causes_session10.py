"""Causes found on real repositories in the tenth session's review (the thirty-ninth)."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.rules.snippets import MANAGE

# A cookiecutter-django layout: `wsgi.py` defaults to production, `asgi.py` to local; the production stack serves
# `config.asgi` and reads an env file each deployment makes (`.envs/*` is gitignored; no template is committed).
START = ("#!/bin/bash\nset -o errexit\npython /app/manage.py collectstatic --noinput\n"
         "exec gunicorn config.asgi --bind 0.0.0.0:5000 --chdir=/app -k uvicorn.workers.UvicornWorker\n")
COOKIECUTTER = {
    "production.yml": "services:\n  django:\n    build:\n      context: .\n"
                      "      dockerfile: ./compose/production/django/Dockerfile\n    env_file:\n"
                      "      - ./.envs/.production/.django\n    command: /start\n",
    "local.yml": "services:\n  django:\n    build:\n      context: .\n      dockerfile: ./compose/local/django/Dockerfile\n"
                 "    volumes:\n      - .:/app\n    env_file:\n      - ./.envs/.local/.django\n"
                 "    command: python manage.py runserver 0.0.0.0:8000\n",
    "compose/production/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY compose/production/django/start "
                                            "/start\nCOPY . .\nUSER nobody\nCMD [\"/start\"]\n",
    "compose/production/django/start": START,
    "compose/local/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
    ".envs/.local/.django": "USE_DOCKER=yes\n", ".gitignore": ".envs/*\n!.envs/.local/\n", ".dockerignore": ".git\n",
    "manage.py": MANAGE.replace("app.settings", "config.settings.local"), "config/__init__.py": "",
    "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
    "config/asgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n",
    "config/settings/__init__.py": "", "config/settings/base.py": "INSTALLED_APPS = []\n",
    "config/settings/local.py": "from .base import *\n\nDEBUG = True\n",
    "config/settings/production.py": "from .base import *\n\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\n"}


def _at(root, code):
    return [(f.path, f.line) for f in lint(root) if f.code == code]


def test_an_application_server_whose_module_defaults_to_local_settings_with_an_unknown_env_file(tmp_path):
    """The env file each deployment makes names the settings module: asgi.py's development default is not it."""
    write_files(tmp_path, COOKIECUTTER)
    assert _at(tmp_path, "DJC301") == []


@pytest.mark.parametrize("env", ["DJANGO_SECRET_KEY=x\n", "DJANGO_SETTINGS_MODULE=config.settings.local\n"])
def test_a_committed_env_file_leaves_the_default_in_force(tmp_path, env):
    """The deployment's env file is in the repository and names no other module: the container runs local.py."""
    write_files(tmp_path, {**COOKIECUTTER, ".gitignore": ".envs/.production/.postgres\n",
                           ".envs/.production/.django": env})
    assert _at(tmp_path, "DJC301") == [("config/settings/local.py", 3)]
