"""DJC311 db-password-hardcoded: a database password is written in the settings."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import Assignment, Branches, Changed, Unknown, chosen, every_way
from djlint_docker.positions import Location
from djlint_docker.project import Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import (
    containers_loading,
    evaluated,
    location_of,
    reads_environment,
    throwaway_ways,
    undeployed_ways,
)
from djlint_docker.rules.settings._databases import container_passwords, trusting_hosts
from djlint_docker.rules.settings._service_urls import LOOPBACK
from djlint_docker.rules.snippets import MANAGE, SETTINGS_SETUP

WITH_DB = {**SETTINGS_SETUP, "compose.yaml": "services:\n  web:\n    build: .\n    depends_on: [db]\n  db:\n"
                                             "    image: postgres:16\n    environment:\n"
                                             "      POSTGRES_PASSWORD: shop-local\n"}
"""A web service and the PostgreSQL container it uses, created with the password ``shop-local``."""
POSTGRES_ENTRY = "'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'USER': 'shop', 'HOST': 'db',\n"
HOST_DATABASE_BRANCH = ("import os\nimport dj_database_url\n\nif 'DATABASE_URL' in os.environ:\n"
                        "    DATABASES = {'default': dj_database_url.parse(os.environ['DATABASE_URL'])}\nelse:\n"
                        "    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop',\n"
                        "                             'PASSWORD': 'x7Gq-local-2019', 'HOST': '127.0.0.1'}}\n")
"""Settings that use the database the environment names, else the one on the machine Django runs on."""
URL_FROM_COMPOSE = ("services:\n  web:\n    build: .\n    environment:\n"
                    "      DATABASE_URL: postgres://shop:${DB_PASSWORD}@db:5432/shop\n")


@rule("DJC311", "db-password-hardcoded", Severity.WARNING, examples=[
    Example("literal-password", {**SETTINGS_SETUP, "app/settings.py":
                                 "DATABASES = {\n    'default': {\n        " + POSTGRES_ENTRY +
                                 "        'PASSWORD': 's3cr3t-shop',\n    }\n}\n"},
            expect=(("app/settings.py", 4),)),
    # Two aliases of one server with one password: one finding, at the first.
    Example("one-password-of-two-aliases", {**SETTINGS_SETUP, "app/settings.py":
                                            "DATABASES = {\n    'default': {\n        " + POSTGRES_ENTRY +
                                            "        'PASSWORD': 's3cr3t-shop',\n    },\n    'reports': {\n"
                                            "        " + POSTGRES_ENTRY + "        'PASSWORD': 's3cr3t-shop',\n"
                                            "    },\n}\n"},
            expect=(("app/settings.py", 4),)),
    Example("literal-url", {**SETTINGS_SETUP, "app/settings.py":
                            "import dj_database_url\nDATABASES = {'default': dj_database_url.parse(\n"
                            "    'postgres://shop:hunter22@db:5432/shop')}\n"},
            expect=(("app/settings.py", 2),)),
    Example("development-fallback", {**SETTINGS_SETUP, "app/settings.py":
                                     "import os\nDATABASES = {'default': {" + POSTGRES_ENTRY +
                                     "    'PASSWORD': os.environ.get('POSTGRES_PASSWORD', 'postgres'),\n}}\n"}),
    # The URL's default is for a developer's own database; every container sets DATABASE_URL.
    Example("password-split-from-a-url-read-from-the-environment", {**SETTINGS_SETUP, "app/settings.py":
        "import os\nDATABASE_URL = os.getenv('DATABASE_URL', 'postgresql://postgres:password@localhost:5432/app')\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
        "    'PASSWORD': DATABASE_URL.split(':')[2].split('@')[0],\n"
        "    'HOST': DATABASE_URL.split('@')[1].split(':')[0]}}\n"}),
    Example("development-default-url", {**SETTINGS_SETUP, "app/settings.py":
                                        "import dj_database_url\nDATABASES = {'default': dj_database_url.config(\n"
                                        "    default='postgres://shop:shop@localhost:5432/shop')}\n"}),
    Example("literal-in-the-production-branch", {**SETTINGS_SETUP, "app/settings.py":
                                                 "import os\nif os.environ.get('DJANGO_ENV') == 'production':\n"
                                                 "    DATABASES = {'default': {" + POSTGRES_ENTRY +
                                                 "        'PASSWORD': 'Pr0duction!'}}\nelse:\n"
                                                 "    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',"
                                                 " 'NAME': 'db.sqlite3'}}\n"},
            expect=(("app/settings.py", 4),)),
    # The password the compose file creates the project's own database container with: written there too, where
    # DJC207 judges it (a throwaway one of a development stack, or a finding of its own).
    Example("password-of-the-database-container", {**WITH_DB, "app/settings.py":
                                                   "DATABASES = {'default': {" + POSTGRES_ENTRY +
                                                   "        'PASSWORD': 'shop-local'}}\n"}),
    # The database image the compose file builds gives its root the password with `ENV` (DJC112 reports it there).
    Example("password-the-database-image-sets", {
        **SETTINGS_SETUP, "compose.yaml": "services:\n  db:\n    build: ./docker/mysql\n"
                                          "  web:\n    build: .\n    depends_on: [db]\n",
        "docker/mysql/Dockerfile": "FROM mysql:8.0\nENV MYSQL_DATABASE=shop \\\n  MYSQL_ROOT_PASSWORD=shop-root\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'shop',\n"
                           "    'USER': 'root', 'PASSWORD': 'shop-root', 'HOST': 'db'}}\n"}),
    # The database container trusts every connection (DJC208 reports it): the password is never checked.
    Example("password-of-a-container-that-trusts-every-connection", {
        **SETTINGS_SETUP, "compose.yaml": "services:\n  web:\n    build: .\n    depends_on: [db]\n  db:\n"
                                          "    image: postgres:16\n    environment:\n"
                                          "      - POSTGRES_HOST_AUTH_METHOD=trust\n",
        "app/settings.py": "DATABASES = {'default': {" + POSTGRES_ENTRY + "        'PASSWORD': 'postgres'}}\n"}),
    Example("password-an-init-script-gives", {
        **WITH_DB, "compose.yaml": WITH_DB["compose.yaml"] + "    volumes:\n"
                                   "      - ./docker/init-user.sql:/docker-entrypoint-initdb.d/init-user.sql\n",
        "docker/init-user.sql": "CREATE USER shop WITH PASSWORD 'shop-dev' CREATEDB;\nCREATE DATABASE shop;\n",
        "app/settings.py": "DATABASES = {'default': {" + POSTGRES_ENTRY + "        'PASSWORD': 'shop-dev'}}\n"}),
    # The image's folder is a setup of its own (a version 1 compose file builds it): it shares the settings, and the
    # password is still the container's.
    Example("password-of-the-database-container-seen-from-the-image-folder", {
        "docker-compose.yml": "web:\n  build: ./docker/django\n  command: ./manage.py runserver 0.0.0.0:8000\n"
                              "  volumes:\n    - .:/django\n  links:\n    - db\ndb:\n  image: postgres:9.6\n"
                              "  environment:\n    POSTGRES_PASSWORD: shop-local\n",
        "docker/django/Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt /install/\n"
                                    "RUN pip install --no-cache-dir -r /install/requirements.txt\nWORKDIR /django\n",
        "docker/django/requirements.txt": "Django==4.2.16\npsycopg2-binary==2.9.10\n", "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {" + POSTGRES_ENTRY + "        'PASSWORD': 'shop-local'}}\n"}),
    # Another server's password (production's), not the container's.
    Example("password-of-another-server", {**WITH_DB, "app/settings.py":
                                           "DATABASES = {'default': {" + POSTGRES_ENTRY +
                                           "        'PASSWORD': 'Pr0duction!'}}\n"},
            expect=(("app/settings.py", 2),)),
    # The containers get DATABASE_URL; Django run on the developer's machine uses the database there.
    Example("branch-of-the-database-on-the-developers-machine", {
        **SETTINGS_SETUP, "compose.yaml": URL_FROM_COMPOSE, "app/settings.py": HOST_DATABASE_BRANCH}),
    Example("branch-of-the-database-on-the-containers-loopback", {**SETTINGS_SETUP, "app/settings.py":
                                                                   HOST_DATABASE_BRANCH},
            expect=(("app/settings.py", 8),)),
    Example("branch-no-container-takes-of-another-server", {
        **SETTINGS_SETUP, "compose.yaml": URL_FROM_COMPOSE,
        "app/settings.py": HOST_DATABASE_BRANCH.replace("'127.0.0.1'", "'db.internal'")},
        expect=(("app/settings.py", 8),)),
    Example("ci-branch", {**SETTINGS_SETUP, "app/settings.py":
                          "import os\nimport dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n"
                          "if os.environ.get('GITHUB_WORKFLOW'):\n"
                          "    DATABASES = {'default': {" + POSTGRES_ENTRY + "        'PASSWORD': 'postgres'}}\n"
                          "DATABASES['default']['ATOMIC_REQUESTS'] = True\n"}),
    Example("ci-branch-testing-the-variable-is-there", {**SETTINGS_SETUP, "app/settings.py":
                                                         "import os\nimport dj_database_url\n"
                                                         "DATABASES = {'default': dj_database_url.config()}\n"
                                                         "if 'GITHUB_ACTIONS' in os.environ:\n"
                                                         "    DATABASES = {'default': {" + POSTGRES_ENTRY +
                                                         "        'PASSWORD': 'postgres'}}\n"}),
    Example("branch-every-run-but-ci-takes-testing-the-variable-is-not-there", {
        **SETTINGS_SETUP, "app/settings.py": "import os\nif 'CI' not in os.environ:\n"
                                             "    DATABASES = {'default': {" + POSTGRES_ENTRY +
                                             "        'PASSWORD': 'Pr0duction!'}}\n"},
        expect=(("app/settings.py", 4),)),
    Example("test-run-branch", {
        **SETTINGS_SETUP, "app/settings.py": "import sys\nimport dj_database_url\n"
                                             "DATABASES = {'default': dj_database_url.config()}\n"
                                             "if 'test' in sys.argv:\n    DATABASES = {'default': {" + POSTGRES_ENTRY
                                             + "        'PASSWORD': 'postgres'}}\n"}),
    Example("debugging-branch", {**SETTINGS_SETUP, "app/settings.py":
                                 "import os\nimport dj_database_url\nDEBUG = os.environ.get('DEBUG') == '1'\n"
                                 "if DEBUG:\n    DATABASES = {'default': {" + POSTGRES_ENTRY +
                                 "        'PASSWORD': 'postgres'}}\nelse:\n"
                                 "    DATABASES = {'default': dj_database_url.config()}\n"}),
    Example("environment-read-by-a-module-it-star-imports", {
        **SETTINGS_SETUP, "app/database.py": "import os\n\nDB_PASSWORD = os.environ.get('DB_PASSWORD', 'postgres')\n",
        "app/settings.py": "from app.database import *\n\nDATABASES = {'default': {" + POSTGRES_ENTRY +
                           "        'PASSWORD': DB_PASSWORD}}\n"}),
    Example("literal-bound-in-a-module-it-star-imports", {
        **SETTINGS_SETUP, "app/database.py": "DB_PASSWORD = 'Pr0duction!'\n",
        "app/settings.py": "from app.database import *\n\nDATABASES = {'default': {" + POSTGRES_ENTRY +
                           "        'PASSWORD': DB_PASSWORD}}\n"}, expect=(("app/settings.py", 4),)),
    Example("branch-every-run-but-ci-takes", {**SETTINGS_SETUP, "app/settings.py":
                                              "import os\nif not os.environ.get('CI'):\n"
                                              "    DATABASES = {'default': {" + POSTGRES_ENTRY +
                                              "        'PASSWORD': 'Pr0duction!'}}\n"},
            expect=(("app/settings.py", 4),)),
    Example("from-the-environment", {**SETTINGS_SETUP, "app/settings.py":
                                     "import os\nDATABASES = {'default': {" + POSTGRES_ENTRY +
                                     "    'PASSWORD': os.environ['POSTGRES_PASSWORD'],\n}}\n"}),
    Example("url-from-the-environment", {**SETTINGS_SETUP, "app/settings.py":
                                         "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n"}),
    Example("empty-password", {**SETTINGS_SETUP, "app/settings.py":
                               "import os\nDATABASES = {'default': {" + POSTGRES_ENTRY +
                               "    'PASSWORD': os.environ.get('POSTGRES_PASSWORD', ''),\n}}\n"}),
    Example("sqlite", {**SETTINGS_SETUP, "app/settings.py":
                       "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3',"
                       " 'PASSWORD': 'unused'}}\n"}),
])
def db_password_hardcoded(project: Project) -> Iterator[Violation]:
    """A database password is written in the settings.

    ## What it does
    Evaluates `DATABASES` in the settings the containers run (each way through their
    `if`/`try` branches: the password is in the repository whichever runs) and reports each database
    (other than SQLite) whose `PASSWORD` is a non-empty string that reads nothing from
    the environment: a literal, or the password inside a literal database URL
    (`dj_database_url.parse("postgres://app:pw@db/app")`). The default of an
    environment read (`os.environ.get("DB_PASSWORD", "postgres")`, also through a name
    bound to it in a module the settings import, or a password cut out of such a read's
    URL, `DATABASE_URL.split(":")[2]`) is a development convenience that the
    deployed environment overrides, and is not reported; nor is the
    way through the branches that only a CI or test run, or a server with DEBUG on, takes
    (`if os.environ.get("GITHUB_WORKFLOW"):`, `if "test" in sys.argv:`, `if DEBUG:` or the
    test DEBUG is set from, `if env("ENVIRONMENT") == "development":`): the
    database it reaches is the CI service's or the test run's, thrown away, or a
    developer's own. Nor is the password the setup's own database container is created
    with (its `POSTGRES_PASSWORD`, `MYSQL_PASSWORD` or the like, in the compose file or in
    the `ENV` of the image it builds, or a `CREATE USER ... PASSWORD '...'` of an init
    script it mounts): the compose file or the Dockerfile holds it too, and DJC207 or
    DJC112 judges it there, as a development stack's throwaway or a secret of its own;
    nor one given to such a container that trusts every connection
    (`POSTGRES_HOST_AUTH_METHOD=trust`, DJC208's finding), which never checks it.
    One password that several aliases share (two connections to one server) is reported
    once, at the first. A branch for a database on the loopback (`HOST: "127.0.0.1"`) that
    no container takes (each sets `DATABASE_URL`, which an earlier `if "DATABASE_URL" in
    os.environ:` reads) is for Django run on the developer's machine, beside its own
    database: not reported; nor is the side of `if env("ENVIRONMENT") == "production":` or `if
    os.environ["DJANGO_PRODUCTION"] == "true":` that no container takes (each sets the variable so).

    ## Why is this bad?
    The password is in the repository, in every clone and fork and in every image built
    from it, and it cannot differ between environments: whoever reads the code can log
    in to any database that kept it.

    ## Example
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "postgres", ...}}
    ```
    Use instead:
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql",
                             "PASSWORD": os.environ["POSTGRES_PASSWORD"], ...}}
    ```

    ## References
    - [Django deployment checklist: critical settings](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#critical-settings)
      (keep credentials out of source control, load them from the environment)
    - [The Twelve-Factor App: config](https://12factor.net/config)
      (credentials are config, kept in the environment, never in the code)
    """
    seen = set()
    containers = container_passwords(project)
    trusting = trusting_hosts(project)
    for settings in project.loaded_settings:
        found = settings.bindings.get("DATABASES")
        if found is None:
            continue
        throwaway = throwaway_ways(found, settings.bindings)
        taken = _ways_containers_take(project, settings, found)
        undeployed = undeployed_ways(found, settings.bindings) if taken is not None else set()
        for binding in every_way(found):
            if binding.node is None or (binding.path, binding.line) in seen:
                continue
            seen.add((binding.path, binding.line))
            if (binding.path, binding.line) in throwaway:
                continue  # the database a CI run starts (`if os.environ.get("GITHUB_ACTIONS"):`), thrown away
            if taken is not None and (binding.path, binding.line) not in taken and (
                    _on_the_loopback(settings, binding) or (binding.path, binding.line) in undeployed):
                continue  # a database on the machine that runs Django itself, or the development side of `if
                # os.environ["DJANGO_PRODUCTION"] == "true":`, which no container's way leads to
            yield from _literal_passwords(settings, binding, containers, trusting)


def _ways_containers_take(project: Project, settings: Settings, found: Assignment) -> set[tuple[Path, int]] | None:
    """Where the ways through the ``if`` branches of ``DATABASES`` that the containers loading the settings take are
    assigned; None when no container loads them or the environment of one cannot decide its way."""
    ways = [chosen(found, run.process_environment, settings.bindings) for run in containers_loading(project, settings)]
    if not ways or any(isinstance(way.node, Branches | Changed) for way in ways):
        return None
    return {(way.path, way.line) for way in ways}


def _on_the_loopback(settings: Settings, binding: Assignment) -> bool:
    """Whether every database of the assignment is on the loopback (``HOST: "127.0.0.1"``): the developer's own,
    on the machine that runs Django outside the containers."""
    try:
        value = evaluated(settings, binding, {})
    except Unknown:
        return False
    entries = [entry for entry in value.values() if isinstance(entry, dict)] if isinstance(value, dict) else []
    return bool(entries) and all(str(entry.get("HOST", "")) in LOOPBACK for entry in entries)


def _literal_passwords(settings: Settings, binding: Assignment, containers: set[str],
                       trusting: set[str]) -> Iterator[Violation]:
    """The literal passwords of one assignment of ``DATABASES``, but those of the setup's database ``containers``
    and those given to a container of the setup that checks none (``trusting``: DJC208's finding)."""
    try:
        value = evaluated(settings, binding, {})
    except Unknown:
        return
    found: dict[str, tuple[list[object], list[Location]]] = {}  # by password: the aliases, where each is written
    for alias, entry in value.items() if isinstance(value, dict) else ():
        if not isinstance(entry, dict) or "sqlite" in str(entry.get("ENGINE", "")):
            continue
        password = entry.get("PASSWORD")
        if not isinstance(password, str) or not password or password in containers \
                or str(entry.get("HOST", "")) in trusting:
            continue
        at, node = _password_entry(binding, alias)
        if reads_environment(node, settings.bindings):
            continue  # a default for development: the deployed environment sets its own
        aliases, places = found.setdefault(password, ([], []))
        aliases.append(alias)
        places.append(at)
    for password, (aliases, places) in found.items():  # one password of several aliases (one server): one finding
        also = f" (also {', '.join(repr(alias) for alias in aliases[1:])})" if len(aliases) > 1 else ""
        yield Violation(places[0], f"DATABASES[{aliases[0]!r}] PASSWORD is a literal ({len(password)} characters)"
                                   f"{also}: the password is in the repository and every deployment uses it; read it "
                                   f"from the environment", related=tuple(places[1:]))


def _password_entry(binding: Assignment, alias: object) -> tuple[Location, ast.expr]:
    """Where the alias's ``PASSWORD`` (else the alias, else the assignment) is written, and its expression."""
    assert binding.node is not None
    at, expression = location_of(binding), binding.node
    for node in ast.walk(binding.node):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == alias:
                at, expression = Location(binding.path, key.lineno, key.col_offset + 1), value
                for inner in ast.walk(value):
                    if isinstance(inner, ast.Dict):
                        for inner_key, inner_value in zip(inner.keys, inner.values, strict=True):
                            if isinstance(inner_key, ast.Constant) and inner_key.value == "PASSWORD":
                                return Location(binding.path, inner_key.lineno, inner_key.col_offset + 1), inner_value
                return at, expression
    return at, expression
