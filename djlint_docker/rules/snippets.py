"""Files that many rule examples share."""

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
"""The ``manage.py`` that makes a folder with a Dockerfile a Django project."""

COPY_ALL = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n")
"""A Dockerfile that installs the requirements, then copies its whole build context."""

REQUIREMENTS_DOCKERFILE = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY requirements.txt .\n"
                           "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n")
"""A Dockerfile on ``python:3.12-slim`` that installs ``requirements.txt`` and then copies the whole context."""

POSTGRES_DATA_BIND = ("services:\n  db:\n    image: postgres:16\n    volumes:\n"
                      "      - ./data/db:/var/lib/postgresql/data\n  web:\n    build: .\n")
"""A compose file whose PostgreSQL keeps its data in ``./data/db``, inside the build context."""

SETTINGS_SETUP = {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": "FROM python:3.12-slim\n",
                  "manage.py": MANAGE}
"""A compose service built from a Dockerfile in a Django project: add the ``app/settings.py`` to check."""
STARTPROJECT_SETTINGS = """\
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = "django-insecure-2x$k!w7#p@0b&v3q^l9r*u+e_m8n(f)j1c=d5g6h4y"

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = True

ALLOWED_HOSTS = []
"""
"""The settings ``django-admin startproject`` writes: DEBUG on, a committed key, no hosts."""
SETTINGS_FROM_ENVIRONMENT = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")
"""
"""Settings that read the key, DEBUG (off by default) and the hosts from the environment."""

APP_DOCKERFILE = "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
"""A Dockerfile that copies the project into ``/app`` and starts nothing: add the CMD or ENTRYPOINT to check."""
GUNICORN_DOCKERFILE = APP_DOCKERFILE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n"
"""A Dockerfile that serves ``app.wsgi`` with gunicorn on port 8000."""
BARE_APP_DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
"""A Dockerfile that copies the project into ``/app``, with no ENV and nothing started."""

TUTORIAL_COMPOSE = """\
services:
  db:
    image: postgres
    volumes:
      - ./data/db:/var/lib/postgresql/data
    environment:
      - POSTGRES_DB=postgres
      - POSTGRES_USER=postgres
      - POSTGRES_PASSWORD=postgres
  web:
    build: .
    command: python manage.py runserver 0.0.0.0:8000
    volumes:
      - .:/code
    ports:
      - "8000:8000"
"""
"""The compose file of Docker's Django tutorial: an unpinned PostgreSQL with its data and password in the project."""
PRODUCTION_COMPOSE = """\
services:
  db:
    image: postgres:16-alpine
    volumes:
      - pgdata:/var/lib/postgresql/data
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
  web:
    build: .
    environment:
      DATABASE_URL: postgres://app:${POSTGRES_PASSWORD}@db:5432/app
    depends_on:
      db:
        condition: service_healthy
    ports:
      - "8000:8000"
volumes:
  pgdata:
"""
"""A compose file done right: a pinned, health-checked PostgreSQL on a named volume, its password interpolated."""
POSTGRES_SERVICE = ("  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                    "    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n")
"""A PostgreSQL service ``db`` on the named volume ``pg``, to put under ``services:`` (declare ``volumes: pg:``)."""
POSTGRES_SETTINGS = ("import os\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
                     "        'HOST': os.environ.get('DB_HOST', 'db'),\n"
                     "        'PASSWORD': os.environ.get('DB_PASSWORD'),\n    }\n}\n")
"""Settings whose default database is PostgreSQL on the host ``DB_HOST`` (``db`` when unset)."""

WELL_BUILT_DOCKERFILE = """\
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --create-home app
USER app
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi"]
"""
"""A Dockerfile no DJC1xx rule reports: Python's environment set, requirements installed first, a user, exec form."""
PYTHON_ENV_BASE = "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1\n"
"""The start of a Dockerfile that sets the environment DJC104, DJC105 and DJC110 ask for: add the lines to check."""

INSTALL_RECIPE = {
    "docs/install/compose.yaml": "name: bookshelf\nservices:\n  web:\n    image: ghcr.io/bookshelf-app/bookshelf:2.4\n"
                                 "    ports:\n      - 8080:8000\n    depends_on: [db]\n  db:\n    image: postgres:17\n"
                                 "    environment:\n      POSTGRES_PASSWORD: bookshelf\n    volumes:\n"
                                 "      - ./postgresql:/var/lib/postgresql/data\n",
    "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}
"""A project's install recipe in its documentation: the published image, a database only the stack reaches."""

SQLITE_BESIDE_POSTGRES = {
    "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                    "    depends_on: [db]\n  db:\n    image: postgres:16\n    ports:\n      - 5432:5432\n"
                    "    environment:\n      POSTGRES_PASSWORD: ${PG:?}\n",
    "Dockerfile": BARE_APP_DOCKERFILE + "RUN pip install --no-cache-dir django\n", "manage.py": MANAGE,
    "app/__init__.py": "", "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
                                             "'NAME': 'db.sqlite3'}}\n"}
"""A tutorial's stack whose settings use SQLite while its compose file still starts (and publishes) PostgreSQL."""

HEROKU_AND_DEV_STACK = {
    "Procfile": "web: gunicorn app.wsgi\n", "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n",
    "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n"
                    "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n"}
"""A project Heroku deploys from its Procfile, with a compose stack its developers run (runserver, source mounted)."""
