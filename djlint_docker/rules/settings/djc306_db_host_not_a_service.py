"""DJC306 db-host-not-a-service: The database host is the container itself or a name no service has."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import chosen
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import (
    environment_unknown,
    location_of,
    template_host_of_a_sibling,
    template_note,
)
from djlint_docker.rules.settings._databases import databases, sql_databases
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE, POSTGRES_SERVICE, POSTGRES_SETTINGS

LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
LOCAL_DEFAULT_SETTINGS = ("import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',"
                          " 'HOST': os.environ.get('DB_HOST', 'localhost')}}\n")



@rule("DJC306", "db-host-not-a-service", Severity.ERROR, cross=True, examples=[
    Example("localhost", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'localhost',"
                           " 'PORT': 5432}}\n"}, expect=(("app/settings.py", 1),)),
    Example("url-names-other-host", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n"
                        "      DATABASE_URL: postgres://app:${DB_PASSWORD:?}@postgres:5432/app\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n"},
        expect=(("app/settings.py", 3),)),
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
                           " 'HOST': os.environ['DB_HOST']}}\n"}, expect=(("app/settings.py", 2),) * 2),
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
    the file. A host from a committed template (`.env.example`) read in place of the env
    file each clone makes is said to be; with no template, the host is unknown and not
    judged. A template's host that is a service of another stack of the project (the
    development stack beside a `compose.external.yaml` for managed databases) is that
    stack's: whoever runs this one writes its own.

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
    if project.stack is None:
        return
    names = {service.name for service in project.services}
    database = next((service.name for service, _ in sql_databases(project)), None)
    hint = f"use the service name {database!r}" if database else "use the database service's name"
    found: dict[tuple[Location, str, str], list[DjangoRun]] = {}
    notes: dict[tuple[Location, str, str], str] = {}
    for run in project.django_runs:
        if run.service is not None and "network_mode" in run.service.keys or environment_unknown(project, run):
            continue  # host networking, or an env file each clone makes with no template: the host is unknown
        for settings in run.settings:
            for alias, entry in databases(run, settings).items():
                host = entry.get("HOST") or ""
                if re.search(r"postgres|postgis|mysql", str(entry.get("ENGINE", ""))) and isinstance(host, str):
                    binding = chosen(settings.bindings["DATABASES"], run.process_environment, settings.bindings)
                    key = (location_of(binding), alias, host)
                    runs = found.setdefault(key, [])
                    if run not in runs:
                        runs.append(run)
                    notes[key] = notes.get(key) or template_note(project, run, binding, settings)
    for (at, alias, host), runs in found.items():
        if host in LOOPBACK or not host:
            why = "the container itself" if host else "a local socket inside the container"
        elif template_host_of_a_sibling(project, notes[(at, alias, host)], host):
            continue  # the template's host, of a stack that runs it: this stack's env file names its own
        elif "." not in host and ":" not in host and host not in names and host != "host.docker.internal":
            why = f"no service of the compose file (services: {', '.join(sorted(names))})"
        else:
            continue
        who = ", ".join(run.name for run in runs)
        note = notes[(at, alias, host)]
        yield Violation(at, f"{who}{note}: DATABASES[{alias!r}] HOST is {host or 'empty'}, which is {why}; {hint}",
                        related=tuple(run.location for run in runs))
