"""The causes the sixteenth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import lint, write_files

from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.registry import REGISTRY
from djlint_docker.rules.snippets import MANAGE

HOST_SERVICES = ("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: devpass\n"
                 "    volumes:\n      - pg:/var/lib/postgresql/data\n"
                 "  pgadmin:\n    image: dpage/pgadmin4:8\n    environment:\n"
                 "      PGADMIN_DEFAULT_EMAIL: admin@example.com\n      PGADMIN_DEFAULT_PASSWORD: admin\n"
                 "volumes:\n  pg:\n")
"""A stack of a database and its browser for a Django project the developer runs on the machine."""


def test_database_browser_in_its_namespace_is_a_developers_tool(tmp_path: Path) -> None:
    """``dpage/pgadmin4`` is pgAdmin as Docker Hub names it: a stack of PostgreSQL and pgAdmin, for Django run on
    the host, ships nothing, and its throwaway passwords are not reported."""
    root = write_files(tmp_path, {"docker-compose.yml": HOST_SERVICES, "manage.py": MANAGE,
                                  "README.md": "Run `docker compose up -d`, then `python manage.py runserver`.\n"})
    assert not [finding for finding in lint(root, [REGISTRY["DJC207"]]) if finding.code == "DJC207"]


def test_database_beside_a_web_container_keeps_its_password_finding(tmp_path: Path) -> None:
    """The same database beside a container that runs Django is what ships: its literal password is reported."""
    compose = HOST_SERVICES.replace("services:\n", "services:\n  web:\n    build: .\n"
                                    "    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n    depends_on: [db]\n")
    root = write_files(tmp_path, {"docker-compose.yml": compose, "manage.py": MANAGE,
                                  "Dockerfile": "FROM python:3.12-slim\nCOPY . .\n"})
    assert [finding.line for finding in lint(root, [REGISTRY["DJC207"]]) if finding.code == "DJC207"]


EXTENDED_TEMPLATE = ("services:\n  base:\n    build: .\n    environment:\n"
                     "      CELERY_BROKER_URL: amqp://admin:Tr0ub4dor@rabbitmq:5672\n"
                     "  web:\n    extends: base\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                     "  worker:\n    extends: base\n    command: celery -A app worker\n"
                     "  rabbitmq:\n    image: rabbitmq:3.13\n")
"""A template web and worker ``extends``, whose broker URL carries a literal password."""


def test_literal_in_a_template_is_reported_once_on_its_line(tmp_path: Path) -> None:
    """The services built on a template share its line: one finding there, which names no "other" line (the
    template's own line once for each service that extends it)."""
    root = write_files(tmp_path, {"compose.yaml": EXTENDED_TEMPLATE, "manage.py": MANAGE,
                                  "Dockerfile": "FROM python:3.12-slim\nCOPY . .\n"})
    found = [finding for finding in lint(root, [REGISTRY["DJC207"]]) if finding.code == "DJC207"]
    assert [(finding.line, "same value" in finding.message) for finding in found] == [(5, False)]


HOST_DATA = ("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n"
             "    volumes:\n      - type: bind\n        source: ${HOST_PGDATA}\n"
             "        target: /var/lib/postgresql/data\n"
             "  replica:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n"
             "    volumes:\n      - ${HOST_PGDATA}:/var/lib/postgresql/data\n")
"""A database whose data folder is a host path the operator's shell gives (unset in a fresh clone)."""


def test_data_folder_from_an_unset_variable_is_no_folder_of_the_project(tmp_path: Path) -> None:
    """``${HOST_PGDATA}`` unset is empty: a host path the operator gives, not the compose file's folder. No
    data folder inside the project to move (DJC205) or to gitignore (DJC403)."""
    root = write_files(tmp_path, {"docker/compose.yaml": HOST_DATA, "manage.py": MANAGE, ".gitignore": "*.pyc\n",
                                  ".git/HEAD": "ref: refs/heads/main\n"})
    rules = [REGISTRY["DJC205"], REGISTRY["DJC403"]]
    assert not [finding for finding in lint(root, rules) if finding.code in {"DJC205", "DJC403"}]


def test_data_folder_inside_the_project_is_reported(tmp_path: Path) -> None:
    """The same database with its data in a folder of the project is reported by both rules."""
    root = write_files(tmp_path, {"docker/compose.yaml": HOST_DATA.replace("${HOST_PGDATA}", "./pgdata"),
                                  "manage.py": MANAGE, ".gitignore": "*.pyc\n", ".git/HEAD": "ref: refs/heads/main\n"})
    rules = [REGISTRY["DJC205"], REGISTRY["DJC403"]]
    assert {finding.code for finding in lint(root, rules)} >= {"DJC205", "DJC403"}


TAGGED_WORKER = {
    "docker-compose.yml": "services:\n  django:\n    build:\n      context: .\n      dockerfile: compose/django/Dockerfile\n"
                          "    image: shop_django\n    command: gunicorn config.wsgi -b 0.0.0.0:8000\n"
                          "    depends_on: [postgres, memcached]\n"
                          "  celery:\n    image: shop_django:latest\n    command: ./compose/celery/start.sh\n"
                          "  flower:\n    image: shop_django:latest\n    command: ./compose/flower/start.sh\n"
                          "  postgres:\n    image: postgres:16\n  memcached:\n    image: memcached:1.6\n",
    "compose/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\n"
                                 "RUN pip install --no-cache-dir django gunicorn celery flower pymemcache\n",
    "compose/celery/start.sh": "#!/bin/sh\nset -o errexit\ncelery -A config.celery_app worker -l info\n",
    "compose/flower/start.sh": "#!/bin/sh\nset -o errexit\ncelery -A config.celery_app flower\n",
    "manage.py": MANAGE.replace("app.settings", "config.settings"), "config/__init__.py": "",
    "config/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'postgres'}}\n"
                          "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n"
                          "                      'LOCATION': 'memcached:11211'}}\n"}
"""A worker and Flower that run the image the django service builds, named without its `:latest` there."""


def test_services_running_the_image_another_builds_under_latest_run_its_scripts(tmp_path: Path) -> None:
    """``shop_django:latest`` is the ``shop_django`` the django service builds: the worker's script starts Celery, which
    opens the database as it starts and the cache only in a task; Flower opens neither."""
    root = write_files(tmp_path, TAGGED_WORKER)
    found = [finding.message.split(" (")[0] for finding in lint(root, [REGISTRY["DJC202"]]) if finding.code == "DJC202"]
    assert found == ["service celery connects to postgres"]


def test_literal_before_or_is_the_value_whatever_the_environment_says(tmp_path: Path) -> None:
    """``"key" or os.getenv("SECRET_KEY")`` and ``1 or os.getenv("DEBUG")`` never read the variable: the literal is
    the value, said as such (no "when unset"), and DJC302 has no string read to report."""
    settings = ("import os\nSECRET_KEY = 'k3y-0f-the-tutorial-r4nd0m-ch4rs' or os.getenv('SECRET_KEY')\n"
                "DEBUG = 1 or os.getenv('DEBUG')\n")
    root = write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                                "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
                                  "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": settings})
    found = {finding.code: finding.message for finding in lint(root, [REGISTRY[code] for code in
                                                                        ("DJC301", "DJC302", "DJC303")])}
    assert set(found) == {"DJC301", "DJC303"}
    assert "unset" not in found["DJC301"] and "unset" not in found["DJC303"]
