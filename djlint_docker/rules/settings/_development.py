"""Example projects with a development and a deployed configuration, which the rules that stay silent on
development-only values (``Project.development_only``) share in their examples."""

from __future__ import annotations

from djlint_docker.rules.snippets import MANAGE

DEV_COMPOSE = """\
services:
  web:
    build: .
    command: python manage.py runserver 0.0.0.0:8000
    volumes:
      - .:/app
    ports:
      - "8000:8000"
    environment:
      DJANGO_SETTINGS_MODULE: app.settings.dev
    depends_on:
      - db
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: devpass
    ports:
      - "5432:5432"
"""
"""The development stack: runserver, the source bind-mounted, dev settings, a throwaway password, 5432 published."""

PROD_COMPOSE = """\
services:
  web:
    build: .
    command: gunicorn --bind 0.0.0.0:8000 app.wsgi
    environment:
      DJANGO_SETTINGS_MODULE: app.settings.prod
      SECRET_KEY: ${SECRET_KEY:?}
      ALLOWED_HOSTS: ${ALLOWED_HOSTS:?}
    depends_on:
      - db
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}
"""
"""The deployed stack of the same project: gunicorn, prod settings, secrets from the deploy shell."""

DEV_SETTINGS = ("from .base import *\n\nDEBUG = True\nSECRET_KEY = 'dev-only-not-secret'\nALLOWED_HOSTS = ['*']\n")
PROD_SETTINGS = ("import os\n\nfrom .base import *\n\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                 "ALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split(',')\n")

DEV_AND_PROD = {
    "compose.yaml": DEV_COMPOSE, "compose.prod.yaml": PROD_COMPOSE,
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install django gunicorn\n",
    "manage.py": MANAGE.replace("app.settings", "app.settings.dev"),
    "app/__init__.py": "",
    "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.prod')\n",
    "app/settings/__init__.py": "", "app/settings/base.py": "INSTALLED_APPS = []\n",
    "app/settings/dev.py": DEV_SETTINGS, "app/settings/prod.py": PROD_SETTINGS,
}
"""A project developed with ``compose.yaml`` and deployed with ``compose.prod.yaml``: dev values are its own."""

DEV_ONLY = {**{path: text for path, text in DEV_AND_PROD.items()
               if path not in {"compose.prod.yaml", "app/settings/prod.py"}},
            "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.dev')\n"}
"""The same project without its deployed stack and settings: the development stack is what ships, and its values
are reported."""


def building_dockerfile_dev(compose: str) -> str:
    """A compose file whose first ``build: .`` builds ``Dockerfile.dev`` instead: a development image."""
    return compose.replace("    build: .\n", "    build:\n      context: .\n      dockerfile: Dockerfile.dev\n", 1)
