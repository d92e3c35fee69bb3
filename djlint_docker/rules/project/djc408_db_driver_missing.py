"""DJC408 db-driver-missing: The settings use PostgreSQL or MySQL but the image installs no driver for it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.project._lock_examples import (
    PIPENV_DOCKERFILE,
    POETRY_DOCKERFILE,
    UV_DOCKERFILE,
    pipenv_project,
    poetry_project,
    uv_project,
)
from djlint_docker.rules.project._packages import installed_packages, where_to_add
from djlint_docker.rules.settings._bindings import location_of
from djlint_docker.rules.settings._databases import databases
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

POSTGRES_SETTINGS = "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"
ENGINE_FROM_ENVIRONMENT = ("import os\nDATABASES = {'default': {'ENGINE': os.environ.get('DB_ENGINE', "
                           "'django.db.backends.sqlite3'), 'NAME': os.environ.get('DB_NAME', 'db.sqlite3')}}\n")

PIP_SYNC_DOCKERFILE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                       "RUN pip install --no-cache-dir pip-tools && pip-sync\nCOPY . .\n")


@rule("DJC408", "db-driver-missing", Severity.ERROR, cross=True, examples=[
    Example("postgres-without-driver", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"},
        expect=(("app/settings.py", 1),)),
    # The documentation's service builds mkdocs' image from the project's folder: mkdocs runs there, not Django.
    Example("documentation-image-beside-the-application", {
        "compose.yaml": "services:\n  web:\n    build: .\n  docs:\n    build:\n      context: .\n"
                        "      dockerfile: ./compose/docs/Dockerfile\n    ports:\n      - '8001:8000'\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "compose/docs/Dockerfile": "FROM squidfunk/mkdocs-material:9.5\n"
                                   "RUN pip install --no-cache-dir mkdocs-glightbox==0.5.2\n",
        "requirements.txt": "Django==5.1.3\npsycopg[binary]==3.2.3\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"}),
    Example("driver-from-a-build-argument", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      args:\n"
                        "        DBMODULE: pip install --no-cache-dir psycopg[binary]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("COPY . .", "ARG DBMODULE=true\nRUN ${DBMODULE}\nCOPY . ."),
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"}),
    Example("mysql-from-url", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DATABASE_URL: mysql://u:p@db/app\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\ndj-database-url==2.3.0\n",
        "app/settings.py": "import dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n"},
        expect=(("app/settings.py", 2),)),
    Example("psycopg3", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\npsycopg[binary]==3.2.3\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"}),
    # pip-tools' pip-sync with no file installs requirements.txt, exactly.
    Example("pip-sync-of-the-default-file", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS,
        "Dockerfile": PIP_SYNC_DOCKERFILE, "requirements.txt": "django==5.1.3\npsycopg2-binary==2.9.10\n"}),
    Example("pip-sync-of-a-file-without-the-driver", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS,
        "Dockerfile": PIP_SYNC_DOCKERFILE, "requirements.txt": "django==5.1.3\n"}, expect=(("app/settings.py", 1),)),
    Example("sqlite", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
                           "'NAME': 'db.sqlite3'}}\n"}),
    Example("uv-lock-brings-the-driver-through-an-extra", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": UV_DOCKERFILE, "manage.py": MANAGE,
        **uv_project({"django": "5.1.3", "psycopg": "3.2.3"}, declared={"django": ">=5.1,<5.2",
                                                                      "psycopg[binary]": ">=3.2"}),
        "app/settings.py": POSTGRES_SETTINGS}),
    Example("poetry-lock-without-a-driver", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": POETRY_DOCKERFILE, "manage.py": MANAGE,
        **poetry_project({"django": "5.1.3", "gunicorn": "23.0.0"}), "app/settings.py": POSTGRES_SETTINGS},
        expect=(("app/settings.py", 1),)),
    Example("pipenv-lock-without-a-driver", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": PIPENV_DOCKERFILE, "manage.py": MANAGE,
        **pipenv_project({"django": "5.1.3"}, dev={"psycopg2-binary": "2.9.10"}), "app/settings.py": POSTGRES_SETTINGS},
        expect=(("app/settings.py", 1),)),
    # The image installs only poetry; the start script runs `poetry install` from pyproject.toml, driver included.
    Example("packages-installed-when-the-container-starts", {
        "compose.yaml": "services:\n  web:\n    build: .\n    entrypoint: ./start.py\n", "manage.py": MANAGE,
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /usr/app\nRUN pip install -U pip wheel poetry\nCOPY . .\n",
        "start.py": "#!/usr/bin/env python3\nimport os\nos.system('poetry install --without dev && "
                    "poetry run gunicorn app.wsgi')\n",
        "pyproject.toml": "[project]\nname = 'app'\ndependencies = ['django>=5.1', 'psycopg[binary]>=3.2']\n",
        "app/settings.py": POSTGRES_SETTINGS}),
    Example("engine-from-an-env-file-each-clone-makes", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n", "Dockerfile": REQUIREMENTS_DOCKERFILE,
        "manage.py": MANAGE, ".gitignore": ".env\n", "requirements.txt": "Django==5.1.3\n",
        "app/settings.py": ENGINE_FROM_ENVIRONMENT}),
    Example("engine-from-the-committed-template", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n", "Dockerfile": REQUIREMENTS_DOCKERFILE,
        "manage.py": MANAGE, ".gitignore": ".env\n", ".env.example": "DB_ENGINE=django.db.backends.postgresql\n",
        "requirements.txt": "Django==5.1.3\n", "app/settings.py": ENGINE_FROM_ENVIRONMENT},
        expect=(("app/settings.py", 2),)),
])
def db_driver_missing(project: Project) -> Iterator[Violation]:
    """The settings use PostgreSQL or MySQL but the image installs no driver for it.

    ## What it does
    Evaluates `DATABASES` with each Django container's environment and reports a
    PostgreSQL or MySQL engine when the packages the image installs contain no
    driver for it (`psycopg`, `psycopg2`, `psycopg2-binary`; `mysqlclient`,
    `PyMySQL`, `mysql-connector-python`). The packages are those of the requirements
    files, `pyproject.toml`, `uv.lock`, `poetry.lock` and `Pipfile.lock` the image
    installs (see DJC406), and those of the deprecated official `django` image
    (`FROM django:1.8-python2`: psycopg2 and mysqlclient), and the drivers of packages known to depend on
    one (`postgres`, `django-heroku`); an install djcheck cannot read, an
    image that installs no Django
    (the project's packages come when the container starts: `poetry install` in its start
    script), or an `env_file:` each clone makes by hand with no committed template, leaves
    it silent.

    ## Why is this bad?
    Django imports the driver when it first connects: `migrate` and every request fail
    with "Error loading psycopg2 or psycopg module" although the image built.

    ## Example
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}
    ```
    with no psycopg in `requirements.txt`. Use instead: add `psycopg[binary]`.

    ## References
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (psycopg2-binary added to the requirements for PostgreSQL)
    - [Django: PostgreSQL notes](https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-notes)
    """
    reported = set()
    for run in project.django_runs:
        if run.build is None or (run.service is not None and not project.environment_known(run.service)):
            continue  # an env_file each clone makes by hand, with no template: the engine it chooses is unknown
        installed = installed_packages(project, run.build)
        if installed is None or "django" not in installed:
            continue  # an install djcheck cannot read, or none of the project's: its start script installs them
        for settings in run.settings:
            for alias, entry in databases(run, settings).items():
                engine = str(entry.get("ENGINE", ""))
                family = "postgresql" if re.search(r"postgres|postgis", engine) else \
                    "mysql" if "mysql" in engine else None
                if family is None or installed & set(DRIVERS[family]):
                    continue
                at = location_of(settings.bindings["DATABASES"])
                if (at, family) in reported:
                    continue
                reported.add((at, family))
                where = where_to_add(project, run.build)
                yield Violation(at, f"DATABASES[{alias!r}] uses {engine}, but the image installs no driver for it "
                                    f"({', '.join(DRIVERS[family][:3])}); add one to {where}")


DRIVERS = {
    "postgresql": ("psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary", "psycopg-c", "psycopg2cffi"),
    "mysql": ("mysqlclient", "pymysql", "mysql-connector-python"),
}
