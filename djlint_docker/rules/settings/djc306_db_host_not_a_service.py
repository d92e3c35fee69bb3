"""DJC306 db-host-not-a-service: The database host is the container itself or a name no service has."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator, Mapping

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.parse.settings import (
    MAX_MODULES,
    Assignment,
    Changed,
    Conditional,
    Statement,
    Unknown,
    chosen,
    env_reads,
    evaluate,
)
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.project._git import placeholder
from djlint_docker.rules.settings._bindings import (
    address_unknown,
    location_of,
    template_host_of_a_sibling,
    template_note,
)
from djlint_docker.rules.settings._databases import databases, never_opens_the_database, sql_databases
from djlint_docker.rules.settings._dotenv_files import environment_after_env_files
from djlint_docker.rules.settings._service_urls import on_external_network, reachable_names
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE, POSTGRES_SERVICE, POSTGRES_SETTINGS

LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
SPLIT_DATABASES = {
    "app/settings/__init__.py": "",
    "app/settings/base.py": "INSTALLED_APPS = ['django.contrib.contenttypes']\nDATABASES = {}\n",
    "app/settings/dev.py": "import dj_database_url\n\nfrom .base import *\n\n"
                           "DATABASES['default'] = dj_database_url.config(\n"
                           "    default='postgres://app:app@localhost:5432/app',\n)\n",
}
"""Settings whose base binds ``DATABASES = {}`` and whose development module writes the default database."""
LOCAL_DEFAULT_SETTINGS = ("import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',"
                          " 'HOST': os.environ.get('DB_HOST', 'localhost')}}\n")


def _beat_stack(options: str) -> dict[str, str]:
    """A Celery beat service beside PostgreSQL, settings whose database host is empty (a local socket)."""
    return {"compose.yaml": f"services:\n{POSTGRES_SERVICE}  beat:\n    build: .\n"
                            f"    command: celery -A app beat -l info{options}\nvolumes:\n  pg:\n",
            "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
            "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': ''}}\n"}


PLACEHOLDER_HOSTS = frozenset({"host", "hostname", "db_host", "db-host", "dbhost", "database_host", "database-host",
                               "server", "your_host", "yourhost"})
"""The words a template writes where each install puts its database's host (``postgres://user:password@host/db``)."""


def _host_from_template(env_file: str, template: str, line: str, variable: str) -> dict[str, str]:
    """A gunicorn service whose settings read the database host from ``variable``, which only the committed
    template (``template`` holding ``line``) of its gitignored env file sets (examples)."""
    return {"compose.yaml": f"services:\n  web:\n    build: .\n    env_file: {env_file}\n"
                            "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
            template: line, ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
            "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                               f"'HOST': os.environ['{variable}']}}}}\n"}


URL_OF_VARIABLES = {
    "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\n    environment:\n"
                    "      DATABASE_URL: postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${DB_NAME}\n"
                    "volumes:\n  pg:\n",
    ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
    "app/settings.py": "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n"}
"""A web service whose database URL compose builds from variables of ``.env``; add its template ``.env.sample``."""


SOCKET_COMPOSE = ("services:\n  db:\n    image: postgres:16\n    network_mode: none\n    volumes:\n"
                  "      - sock:/var/run/postgresql\n  web:\n    build: .\n    volumes:\n"
                  "      - sock:/var/run/postgresql\nvolumes:\n  sock:\n")
"""A database with no network whose socket's folder the web service mounts at the client's default folder."""
SOCKET_STACK = {"Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
                "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                                   "'NAME': 'app'}}\n"}
"""Settings that leave HOST empty: libpq's default socket folder."""


@rule("DJC306", "db-host-not-a-service", Severity.ERROR, cross=True, examples=[
    Example("localhost", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'localhost',"
                           " 'PORT': 5432}}\n"}, expect=(("app/settings.py", 1),)),
    # The database and the web service share the socket's folder through a volume.
    Example("unix-socket-folder", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n      - sock:/var/run/postgresql\n"
                        "  web:\n    build: .\n    volumes:\n      - sock:/postgres_socket\nvolumes:\n  sock:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                           "'HOST': '/postgres_socket'}}\n"}),
    # An empty HOST is the default socket folder, where the web service mounts the database's socket volume.
    Example("socket-volume-at-the-default-folder", {**SOCKET_STACK, "compose.yaml": SOCKET_COMPOSE}),
    Example("socket-volume-the-web-service-lacks", {
        **SOCKET_STACK,
        "compose.yaml": SOCKET_COMPOSE.replace("    volumes:\n      - sock:/var/run/postgresql\nvolumes", "volumes")},
        expect=(("app/settings.py", 1),)),
    # load_dotenv() reads backend/.env, which each clone makes (gitignored, no template): the host is unknown.
    Example("host-from-a-dotenv-the-settings-load", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, ".gitignore": ".env\n",
        "app/settings.py": "from os import getenv\nfrom dotenv import load_dotenv\n\nload_dotenv()\n"
                           "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                           "'HOST': getenv('PGHOST')}}\n"}),
    # read_env() loads dotenvs/db.env, which the Dockerfile copies there from the database's env file: its
    # POSTGRES_HOST, not the settings' localhost default, is the host.
    Example("host-from-an-env-file-the-image-gets-where-the-settings-load-it", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                      "COPY docker/db/db.env ./dotenvs/db.env\n"
                      "CMD [\"gunicorn\", \"app.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
        "docker/db/db.env": "POSTGRES_HOST=db\nPOSTGRES_DB=app\n", "requirements.txt": "Django==5.2.1\n",
        "manage.py": MANAGE,
        "app/settings.py": "from pathlib import Path\nimport environ\n\n"
                           "BASE_DIR = Path(__file__).resolve().parent.parent\nenv = environ.Env()\n"
                           "environ.Env.read_env(BASE_DIR.joinpath('dotenvs', 'db.env'))\n"
                           "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
                           "                         'HOST': env('POSTGRES_HOST', default='localhost')}}\n"}),
    # The database runs on the host: `extra_hosts` gives its name the host's address.
    # The lab's shared PostgreSQL runs in another stack on the network both join.
    Example("host-of-another-stack-on-an-external-network", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "    networks:\n      - infra\nnetworks:\n  infra:\n    external: true\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
                           "                         'HOST': 'postgres'}}\n"}),
    Example("host-named-by-extra-hosts", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "    extra_hosts:\n      - \"postgres:host-gateway\"\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
                           "                         'HOST': 'postgres'}}\n"}),
    # What the unknown file sets cannot change a host written in the settings.
    Example("literal-host-beside-a-dotenv-the-settings-load", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, ".gitignore": ".env\n",
        "app/settings.py": "from dotenv import load_dotenv\n\nload_dotenv()\n"
                           "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
                           "                         'HOST': 'localhost'}}\n"},
        expect=(("app/settings.py", 4),)),
    # The template's words to replace are no host name (a managed database outside the stack).
    Example("placeholder-host-of-the-template",
            _host_from_template(".env", ".env.example", "DB_HOST=DATABASE ENDPOINT FROM AMAZON RDS\n", "DB_HOST")),
    # The production env file's template names the host in brackets, for the deployer to fill in.
    Example("bracketed-host-of-a-production-template",
            _host_from_template(".envs/production/.env", ".envs/production/.env.example",
                                "POSTGRES_HOST=[DJANGO_PRODUCTION_DB_HOST]\n", "POSTGRES_HOST")),
    # `docker compose build` for Kubernetes: the cluster's Services answer `postgres`.
    Example("stack-that-only-builds-images-for-a-cluster", {
        "compose.yaml": "services:\n  backend:\n    image: backend:1\n    build:\n      context: .\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
                           "                         'HOST': 'postgres'}}\n"}),
    Example("beat-on-its-schedule-file", _beat_stack("")),
    Example("beat-on-the-database-schedule", _beat_stack(" -S django"), expect=(("app/settings.py", 1),)),
    Example("placeholder-words-of-a-template-url", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\n"
                        "    command: gunicorn app.wsgi -b 0.0.0.0:8000\nvolumes:\n  pg:\n",
        ".env.sample": "DATABASE_URL=postgres://user:password@host:5432/dbname\n", ".gitignore": ".env\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n"}),
    Example("url-names-other-host", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n"
                        "      DATABASE_URL: postgres://app:${DB_PASSWORD:?}@postgres:5432/app\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n"},
        expect=(("app/settings.py", 3),)),
    # The URL's host is a variable the template of `.env` leaves for each user to fill in: unknown, not empty.
    Example("url-host-the-template-leaves-blank", {
        **URL_OF_VARIABLES, ".env.sample": "DB_USER=\nDB_PASSWORD=\nDB_HOST=\nDB_PORT=\nDB_NAME=\n"}),
    Example("url-host-the-template-gives", {
        **URL_OF_VARIABLES, ".env.sample": "DB_USER=\nDB_PASSWORD=\nDB_HOST=localhost\nDB_PORT=5432\nDB_NAME=app\n"},
        expect=(("app/settings.py", 3),)),
    Example("network-alias-of-the-database", {
        "compose.yaml": "services:\n  postgresql:\n    image: postgres:16\n    volumes:\n"
                        "      - pg:/var/lib/postgresql/data\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n    networks:\n      app:\n"
                        "        aliases:\n          - db\n  web:\n    build: .\n    networks:\n      - app\n"
                        "networks:\n  app:\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS}),
    # Compose names the container from the default of its prefix variable: shop_postgres.
    Example("container-name-from-a-variable", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    container_name: ${PREFIX:-shop}_postgres\n"
                        "    volumes:\n      - pg:/var/lib/postgresql/data\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n  web:\n    build: .\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": POSTGRES_SETTINGS.replace("'DB_HOST', 'db'", "'DB_HOST', 'shop_postgres'")}),
    Example("container-name-from-a-variable-the-dotenv-sets", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    container_name: ${PREFIX:-shop}_postgres\n"
                        "    volumes:\n      - pg:/var/lib/postgresql/data\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n  web:\n    build: .\nvolumes:\n  pg:\n",
        ".env": "PREFIX=blog\nDB_PASSWORD=x\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": POSTGRES_SETTINGS.replace("'DB_HOST', 'db'", "'DB_HOST', 'shop_postgres'")},
        expect=(("app/settings.py", 2),)),
    Example("hostname-of-the-database-resolves-only-inside-it", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    hostname: postgres\n    volumes:\n"
                        "      - pg:/var/lib/postgresql/data\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n  web:\n    build: .\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": POSTGRES_SETTINGS.replace("'DB_HOST', 'db'", "'DB_HOST', 'postgres'")},
        expect=(("app/settings.py", 2),)),
    Example("host-from-an-env-file-each-clone-makes", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\nvolumes:\n  pg:\n",
        ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',"
                           " 'HOST': os.environ.get('DB_HOST', 'localhost')}}\n"}),
    Example("host-from-the-template", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\nvolumes:\n  pg:\n",
        ".gitignore": ".env\n", ".env.example": "DB_HOST=localhost\n", "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',"
                           " 'HOST': os.environ.get('DB_HOST', 'db')}}\n"}, expect=(("app/settings.py", 2),)),
    # A stack for managed databases: the template's host is the service of the stack beside it.
    Example("stack-for-a-managed-database", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\nvolumes:\n  pg:\n",
        "compose.external.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                                 "    env_file: .env\n",
        ".gitignore": ".env\n", ".env.example": "DB_HOST=db\n", "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',"
                           " 'HOST': os.environ['DB_HOST']}}\n"}),
    Example("template-host-no-stack-runs", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\nvolumes:\n  pg:\n",
        "compose.external.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                                 "    env_file: .env\n",
        ".gitignore": ".env\n", ".env.example": "DB_HOST=postgres\n", "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',"
                           " 'HOST': os.environ['DB_HOST']}}\n"}, expect=(("app/settings.py", 2),)),
    Example("host-chosen-by-an-if", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n"
                        "      DATABASE_URL: postgres://app:${DB_PASSWORD:?}@db:5432/app\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nimport dj_database_url\nif os.environ.get('DATABASE_URL'):\n"
                           "    DATABASES = {'default': dj_database_url.config()}\nelse:\n"
                           "    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                           "'HOST': 'localhost'}}\n"}),
    # A browser-test image (Jest, Puppeteer) on a Python base, parked with `command: /bin/true` and run by hand with
    # its own command: it loads no settings, so the host its environment leaves is no concern.
    Example("test-runner-parked-with-a-system-program", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n      DB_HOST: db\n"
                        "  browser-tests:\n    build:\n      context: .\n      dockerfile: Dockerfile.tests\n"
                        "    volumes:\n      - .:/home/runner/project\n    command: /bin/true\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": LOCAL_DEFAULT_SETTINGS,
        "Dockerfile.tests": "FROM cimg/python:3.12-browsers\nCOPY package.json package-lock.json ./\nRUN npm ci\n"}),
    Example("test-runner-running-django-tests", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n      DB_HOST: db\n"
                        "  tests:\n    build: .\n    command: python manage.py test\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": LOCAL_DEFAULT_SETTINGS},
        expect=(("app/settings.py", 2),)),
    # The base module binds an empty dict and the development module writes the entry: reported where it is written.
    Example("entry-written-by-the-module-that-builds-on-the-base", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n"
                        "      DJANGO_SETTINGS_MODULE: app.settings.dev\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, **SPLIT_DATABASES},
        expect=(("app/settings/dev.py", 5),)),
    Example("entry-written-by-the-module-that-builds-on-the-base-from-the-environment", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n"
                        "      DJANGO_SETTINGS_MODULE: app.settings.dev\n"
                        "      DATABASE_URL: postgres://app:${DB_PASSWORD:?}@db:5432/app\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, **SPLIT_DATABASES}),
    Example("service-name", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n      DB_HOST: db\n"
                        "volumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS}),
    Example("host-network", {
        "compose.yaml": "services:\n  web:\n    build: .\n    network_mode: host\n", "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': "
                           "'localhost'}}\n"}),
    Example("managed-database", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                        "      DB_HOST: app.abc123.eu-west-1.rds.amazonaws.com\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS}),
])
def db_host_not_a_service(project: Project) -> Iterator[Violation]:
    """The database host is the container itself or a name no service has.

    ## What it does
    Evaluates `DATABASES` (plain settings, `DATABASE_URL` through django-environ or
    dj-database-url) with the environment each Django service of a compose file gets,
    and reports a PostgreSQL or MySQL database whose `HOST` is `localhost`,
    `127.0.0.1`, empty (a local socket), or a single-word name that is no service of
    the file (nor a link, a `container_name`, a network alias of one or a name its
    `extra_hosts:` maps, `postgres:host-gateway`; a service's
    `hostname:` names it to itself only). On a network made outside the stack
    (`external: true`) another stack's containers answer to their names: such a name is
    not judged. A path (`/postgres_socket`) is the folder of a
    Unix socket that a volume shares with the database's container, and is left alone; so
    is an empty host where the container mounts the database's socket volume at the
    client's default folder (`/var/run/postgresql`).
    A host read from the address a legacy link gives (`os.environ.get("DB_PORT_5432_TCP_ADDR")`
    beside `links: [db]`, a version 1 compose file's way) is the linked container's.
    A service whose Dockerfile compose cannot find (DJC002) runs an image whose
    entrypoint may compose the address (cookiecutter-django's exports `DATABASE_URL`):
    not judged.
    A host from a committed template (`.env.example`) read in place of the env file
    each clone makes is said to be; with no template, the host is unknown and not
    judged, as it is when the settings load such a file themselves (`load_dotenv()`), or
    load one the image gets (`read_env()` of a file the Dockerfile copies there), whose
    value wins over the settings' default, or
    when the template holds words to replace (`DATABASE ENDPOINT FROM AMAZON RDS`, `host`,
    `your-db-host`). A
    template's host that is a service of another stack of the project (the development
    stack beside a `compose.external.yaml` for managed databases) is that
    stack's: whoever runs this one writes its own. The finding is where the database's
    entry is written: the item assignment of a module that builds on another
    (`DATABASES["default"] = dj_database_url.config(default=...)` after the base's
    `DATABASES = {}`). A container that runs Celery beat on its schedule file or Flower
    never opens the database and is not judged, nor is a stack that only builds images
    (each service a `build:` and an `image:` and nothing of the container it runs: the
    cluster that runs them names their hosts).

    ## Why is this bad?
    Inside a container `localhost` is the container itself, not the host machine and
    not the database container: the connection is refused. Services reach each other
    by service name on the compose network, so a name that is no service does not
    resolve.

    ## Example
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "localhost"}}
    ```
    Use instead (the database service is called `db`):
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": os.environ.get("DB_HOST", "db")}}
    ```

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`HOST: db`, the service name, in the settings)
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (the `SQL_HOST` variable set to the service name)
    """
    if project.stack is None or project.build_only:
        return  # no stack, or one that only builds images for a cluster that runs them
    names = {service.name for service in project.services}
    reachable = reachable_names(project)  # services, links, container names, network aliases (not hostnames)
    database = next((service.name for service, _ in sql_databases(project)), None)
    hint = f"use the service name {database!r}" if database else "use the database service's name"
    found: dict[tuple[Location, str, str], list[DjangoRun]] = {}
    notes: dict[tuple[Location, str, str], str] = {}
    for run in project.django_runs:
        if address_unknown(project, run):
            continue  # host networking, an env file each clone makes with no template, an image djcheck cannot read
        if run.service is not None and never_opens_the_database(project, run.service):
            continue  # Celery beat on its schedule file, Flower: the database is never opened
        for settings in run.settings:
            if run.service is not None and _reads_a_link_address(run.service, settings):
                continue  # `DB_PORT_5432_TCP_ADDR`: the address Docker's legacy links give the linked container
            left_open = environment_after_env_files(project, run, settings)
            for alias, entry in databases(run, settings).items():
                host = entry.get("HOST") or ""
                if left_open is not None and not _known_in(left_open, settings, alias, host):
                    continue  # read from a variable a loaded env file sets, or its template leaves to each user
                if re.search(r"postgres|postgis|mysql", str(entry.get("ENGINE", ""))) and isinstance(host, str):
                    binding = chosen(settings.bindings["DATABASES"], run.process_environment, settings.bindings)
                    key = (_entry_written_at(project, settings, binding, alias), alias, host)
                    runs = found.setdefault(key, [])
                    if run not in runs:
                        runs.append(run)
                    notes[key] = notes.get(key) or template_note(project, run, binding, settings)
    for (at, alias, host), runs in found.items():
        if any(character.isspace() for character in host) or placeholder(host) or notes[(at, alias, host)] and (
                host.lower() in PLACEHOLDER_HOSTS):
            # `DATABASE ENDPOINT FROM AMAZON RDS`, `your-db-host`, `[DB_HOST]`: words to replace; `host` in a template
            continue
        if host.startswith("/"):
            continue  # a folder of the Unix socket (`/postgres_socket`), which a volume shares with the database
        if not host and _shares_the_socket(project, runs):
            continue  # the default socket folder is a volume the database's container shares (`network_mode: none`)
        if host in LOOPBACK or not host:
            why = "the container itself" if host else "a local socket inside the container"
        elif template_host_of_a_sibling(project, notes[(at, alias, host)], host):
            continue  # the template's host, of a stack that runs it: this stack's env file names its own
        elif "." not in host and ":" not in host and host not in reachable and host != "host.docker.internal" \
                and not on_external_network(project):  # another stack's container on a network it made
            why = f"no service of the compose file (services: {', '.join(sorted(names))})"
        else:
            continue
        who = ", ".join(run.name for run in runs)
        note = notes[(at, alias, host)]
        yield Violation(at, f"{who}{note}: DATABASES[{alias!r}] HOST is {host or 'empty'}, which is {why}; {hint}",
                        related=tuple(run.location for run in runs))


LINK_ADDRESS = re.compile(r"([A-Z][A-Z0-9_]*)_PORT_\d+_(?:TCP|UDP)_ADDR")
"""The variable Docker's legacy links set in a linking container: the linked container's address."""


def _reads_a_link_address(service: Service, settings: Settings) -> bool:
    """Whether the settings' ``DATABASES`` read the address a legacy link of the service gives
    (``os.environ.get("DB_PORT_5432_TCP_ADDR")`` beside ``links: [db]`` of a version 1 compose file)."""
    binding = settings.bindings.get("DATABASES")
    if binding is None or binding.node is None or service.links is None:
        return False
    aliases = {link.rpartition(":")[2].lower() for link in service.links.value}
    return any((found := LINK_ADDRESS.fullmatch(read.variable)) and found.group(1).lower() in aliases
               for read in env_reads(binding.node, settings.bindings))


SOCKET_FOLDERS = frozenset({"/var/run/postgresql", "/run/postgresql", "/var/run/mysqld", "/run/mysqld"})
"""Where the PostgreSQL and MySQL clients look for the server's Unix socket when ``HOST`` is empty."""


def _shares_the_socket(project: Project, runs: list[DjangoRun]) -> bool:
    """Whether each container mounts, at the client's default socket folder, a volume the database's container
    mounts at its own (``postgresql-socket:/var/run/postgresql`` in both): an empty ``HOST`` reaches it there."""
    shared = {mount.source for database, _ in sql_databases(project) for mount in database.volumes
              if mount.source and posixpath.normpath(mount.target) in SOCKET_FOLDERS}
    return bool(shared) and all(run.service is not None and any(
        mount.source in shared and posixpath.normpath(mount.target) in SOCKET_FOLDERS for mount in run.service.volumes)
        for run in runs)


def _known_in(environment: Mapping[str, str], settings: Settings, alias: str, host: object) -> bool:
    """Whether the database's host comes out the same in an environment where more variables are unknown (every one
    the container does not set, or those a template leaves blank)."""
    try:
        node = settings.bindings["DATABASES"].node
        value = evaluate(node, environment, settings.bindings) if node is not None else None
    except (Unknown, KeyError):
        return False
    entry = value.get(alias) if isinstance(value, dict) else None
    return isinstance(entry, dict) and entry.get("HOST") == host


def _entry_written_at(project: Project, settings: Settings, binding: Assignment, alias: str) -> Location:
    """Where the database's entry, or its host, is written: the item assignment that set it after the name was bound
    (``DATABASES = {}`` in ``base.py``, then ``DATABASES["default"] = dj_database_url.config(default=...)`` in
    ``dev.py``), else the assignment of the name."""
    node = binding.node
    for _ in range(MAX_CHANGES):
        if not isinstance(node, Changed):
            break
        change = node.change
        if isinstance(change, ast.Assign) and _item_keys(change)[:2] in ([alias], [alias, "HOST"]):
            files = dict.fromkeys([settings.path, *(b.path for b in settings.bindings.values())])
            for path in list(files)[:MAX_MODULES]:
                module = project.python_module(path)
                found = _statement_making(module.statements, change) if module is not None else None
                if found is not None:
                    return location_of(found)
            break
        node = node.base
    return location_of(binding)


def _item_keys(change: ast.Assign) -> list[object]:
    """The keys an item assignment sets, outermost first (``DATABASES["default"]["HOST"] = ...``: default, HOST)."""
    keys: list[object] = []
    target: ast.expr = change.targets[0] if change.targets else ast.Name("")
    while isinstance(target, ast.Subscript) and len(keys) < MAX_CHANGES:
        keys.insert(0, target.slice.value if isinstance(target.slice, ast.Constant) else None)
        target = target.value
    return keys


def _statement_making(statements: tuple[Statement, ...], change: ast.AST, depth: int = 0) -> Assignment | None:
    """The statement of a module (in its ``if``/``try`` ways too) that makes the change."""
    for statement in statements:
        if isinstance(statement, Conditional) and depth < MAX_CHANGES:
            for way in statement.branches:
                found = _statement_making(way, change, depth + 1)
                if found is not None:
                    return found
        elif isinstance(statement, Assignment) and isinstance(statement.node, Changed) \
                and statement.node.change is change:
            return statement
    return None


MAX_CHANGES = 20
"""Changes in place followed back to the one that wrote a database's entry, and nested ``if``s searched for it."""
