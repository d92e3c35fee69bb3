"""DJC305 sqlite-in-container: The settings use SQLite while the compose file runs a database server."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import chosen
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project, Settings
from djlint_docker.records import replaced
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import environment_unknown, location_of, reads_environment, template_note
from djlint_docker.rules.settings._databases import another_applications, databases, sql_databases
from djlint_docker.rules.settings._dotenv_files import provided_variables
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE, POSTGRES_SERVICE, POSTGRES_SETTINGS

SQLITE_SETTINGS = ("from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                   "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.sqlite3',\n"
                   "        'NAME': BASE_DIR / 'db.sqlite3',\n    }\n}\n")
SWITCHED_BY_ENVIRONMENT = "import os\n" + SQLITE_SETTINGS + """
if os.getenv("POSTGRES_DB"):
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.getenv("POSTGRES_DB"),
        "USER": os.getenv("POSTGRES_USER"),
        "PASSWORD": os.getenv("POSTGRES_PASSWORD"),
        "HOST": "db",
    }
"""
"""Settings on SQLite that switch ``default`` to PostgreSQL when the container gets ``POSTGRES_DB``."""
SWITCHED_COMPOSE = (f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n"
                    "      POSTGRES_DB: app\n      POSTGRES_USER: app\n"
                    "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n"
                    "    depends_on:\n      - db\nvolumes:\n  pg:\n")

UPDATED_FROM_URL = ("import dj_database_url\nfrom pathlib import Path\n\n"
                    "BASE_DIR = Path(__file__).resolve().parent.parent\n\n"
                    "DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.sqlite3\",\n"
                    "        \"NAME\": BASE_DIR / \"db.sqlite3\",\n    }\n}\n"
                    "# DATABASE_URL, when it is set, replaces the entry\n"
                    "DATABASES[\"default\"].update(dj_database_url.config(conn_max_age=600))\n")
"""Settings on SQLite whose ``default`` entry ``DATABASE_URL`` updates in place when it is set."""
URL_COMPOSE = (f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n"
               "      DATABASE_URL: postgres://app:${POSTGRES_PASSWORD:?}@db:5432/app\n"
               "    depends_on:\n      - db\nvolumes:\n  pg:\n")


@rule("DJC305", "sqlite-in-container", Severity.WARNING, cross=True, examples=[
    Example("startproject-database", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\nvolumes:\n"
                        "  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": SQLITE_SETTINGS},
        expect=(("app/settings.py", 3),)),
    # manage.py loads the test settings for `manage.py test` or DJANGO_ENV=test; the container runs the server.
    Example("test-settings-only-for-test-runs", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    depends_on:\n      - db\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n    environment:\n"
                        "      DJANGO_ENV: develop\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "app/settings/__init__.py": "", "app/settings/test.py": SQLITE_SETTINGS,
        "app/settings/develop.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                                   "'HOST': 'db'}}\n",
        "manage.py": "import os\nimport sys\nenv = os.environ.get('DJANGO_ENV')\n"
                     "if sys.argv[1] == 'test' or env == 'test':\n"
                     "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.test')\n"
                     "elif env == 'develop':\n"
                     "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.develop')\n"}),
    Example("postgres-item-set-when-the-environment-says-so", {
        "compose.yaml": SWITCHED_COMPOSE, "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": SWITCHED_BY_ENVIRONMENT}),
    Example("postgres-item-set-but-the-variable-not-given", {
        "compose.yaml": SWITCHED_COMPOSE.replace("      POSTGRES_DB: app\n", ""), "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE, "app/settings.py": SWITCHED_BY_ENVIRONMENT},
        expect=(("app/settings.py", 4),)),
    Example("entry-updated-from-the-database-url", {
        "compose.yaml": URL_COMPOSE, "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": UPDATED_FROM_URL}),
    Example("entry-updated-from-a-database-url-not-given", {
        "compose.yaml": URL_COMPOSE.replace("    environment:\n      DATABASE_URL: postgres://app:${POSTGRES_PASSWORD:?}"
                                            "@db:5432/app\n", ""),
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": UPDATED_FROM_URL},
        expect=(("app/settings.py", 6),)),
    Example("engine-from-environment", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    environment:\n"
                        "      - SQL_ENGINE=django.db.backends.postgresql\n"
                        "volumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': os.environ.get('SQL_ENGINE', "
                           "'django.db.backends.sqlite3'), 'HOST': 'db'}}\n"}),
    Example("engine-from-an-env-file-each-clone-makes", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\nvolumes:\n  pg:\n",
        ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': os.environ.get('SQL_ENGINE', "
                           "'django.db.backends.sqlite3'), 'HOST': 'db'}}\n"}),
    Example("engine-named-from-an-env-file-each-clone-makes", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\nvolumes:\n  pg:\n",
        ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nSQL_ENGINE = os.environ.get('SQL_ENGINE', 'django.db.backends.sqlite3')\n"
                           "DATABASES = {'default': {'ENGINE': SQL_ENGINE, 'HOST': 'db'}}\n"}),
    Example("sqlite-written-beside-an-env-file-each-clone-makes", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\nvolumes:\n  pg:\n",
        ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"},
        expect=(("app/settings.py", 1),)),
    Example("engine-from-the-template", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\n    env_file: .env\nvolumes:\n  pg:\n",
        ".gitignore": ".env\n", ".env.example": "SQL_ENGINE=django.db.backends.sqlite3\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': os.environ.get('SQL_ENGINE', "
                           "'django.db.backends.postgresql'), 'HOST': 'db'}}\n"},
        expect=(("app/settings.py", 2),)),
    # The worker gets no env_file, but the settings load the project's .env themselves (its template names the engine).
    Example("engine-from-the-env-file-the-settings-load", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  worker:\n    build: .\n    command: celery -A app worker\n"
                        "    volumes:\n      - .:/app\nvolumes:\n  pg:\n",
        ".gitignore": ".env\n", ".env.example": "SQL_ENGINE=django.db.backends.postgresql\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\n"
                           "DATABASES = {'default': {'ENGINE': os.environ.get('SQL_ENGINE', "
                           "'django.db.backends.sqlite3'), 'HOST': 'db'}}\n"}),
    Example("sqlite-written-in-settings-that-load-an-env-file", {
        "compose.yaml": f"services:\n{POSTGRES_SERVICE}  worker:\n    build: .\n    command: celery -A app worker\n"
                        "volumes:\n  pg:\n",
        ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from dotenv import load_dotenv\n\nload_dotenv()\n"
                           "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"},
        expect=(("app/settings.py", 4),)),
    Example("sqlite-without-server", {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE,
                                      "manage.py": MANAGE, "app/settings.py": SQLITE_SETTINGS}),
    Example("postgres", {"compose.yaml": f"services:\n{POSTGRES_SERVICE}  web:\n    build: .\nvolumes:\n  pg:\n",
                         "Dockerfile": APP_DOCKERFILE,
                         "manage.py": MANAGE, "app/settings.py": POSTGRES_SETTINGS}),
])
def sqlite_in_container(project: Project) -> Iterator[Violation]:
    """The settings use SQLite while the compose file runs a database server.

    ## What it does
    Evaluates `DATABASES` with the environment each Django service gets and reports a
    `default` database on SQLite when a service of the same compose file runs
    PostgreSQL, MySQL or MariaDB. Changes made to it afterwards are applied
    (`DATABASES["default"].update(dj_database_url.config())`, an item set under an
    `if`); one djcheck cannot evaluate leaves the entry unknown, and nothing is
    reported for it. When the engine comes from a committed template
    (`.env.example`) read in place of the env file each clone makes, the message says
    so; when that file has no template, its values are unknown and nothing is reported,
    unless the settings write SQLite with no variable choosing it.
    Settings that load an env file themselves (`load_dotenv()`, `environ.Env.read_env()`)
    that sets variables the service's environment does not are not judged by that
    environment alone: the file may choose another engine.
    A database server another application of the stack uses (a WordPress that links to
    its MariaDB) and no Django service depends on is that application's, not one the
    settings should use.

    ## Why is this bad?
    The database container runs but nothing uses it: data goes to a `db.sqlite3`
    inside the container (lost with it, or written into the bind-mounted source), and
    the app is tested against a different database than the one deployed. Usually the
    settings were never switched after `startproject`, or an environment variable that
    selects the engine is missing.

    ## Example
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
    ```
    with a `db: image: postgres:16` service. Use instead:
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", ...}}
    ```

    ## References
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (switching the settings from SQLite to the PostgreSQL service)
    - [Django settings: DATABASES](https://docs.djangoproject.com/en/stable/ref/settings/#databases)
      (the database settings read from the environment)
    """
    servers = [(service, kind) for service, kind in sql_databases(project)
               if not another_applications(project, service)]  # WordPress's MariaDB is none of Django's business
    if not servers:
        return
    database, kind = servers[0]
    found: dict[Location, dict[str, str]] = {}
    for run in project.django_runs:
        unknown = environment_unknown(project, run)  # an env file each clone makes, with no template
        for settings in run.settings:
            whole = settings.bindings.get("DATABASES")
            if unknown and (whole is None or whole.node is None or reads_environment(whole.node, settings.bindings)):
                continue  # the engine the unknown environment selects is unknown; written settings stay what they are
            default = databases(run, settings).get("default", {})
            if "sqlite" in str(default.get("ENGINE", "")):
                binding = chosen(settings.bindings["DATABASES"], run.process_environment, settings.bindings)
                if not _sqlite_whatever_the_env_file_sets(project, run, settings):
                    continue  # the env file the settings load may choose another engine
                found.setdefault(location_of(binding), {}).setdefault(
                    run.name, template_note(project, run, binding, settings))
    for at, runs in found.items():
        names = ", ".join(f"{name}{note}" for name, note in runs.items())
        yield Violation(at, f"{names} use{'s' if len(runs) == 1 else ''} SQLite while compose runs {kind} "
                            f"in service {database.name}; point DATABASES at {database.name}",
                        related=(database.location,))


def _sqlite_whatever_the_env_file_sets(project: Project, run: DjangoRun, settings: Settings) -> bool:
    """Whether the default database stays SQLite with the variables the env file the settings load themselves sets
    beyond the service's environment (``load_dotenv()`` of the project's ``.env``) taken as set to values unknown."""
    if run.service is not None and run.service.env_files:
        return True  # compose passes the service an env file: what the settings load again sets nothing new
    provided = provided_variables(project, run, settings, set())
    if provided is None:  # a file djcheck cannot name: the engine stays SQLite when no variable chooses it
        whole = settings.bindings["DATABASES"].node
        return whole is None or not reads_environment(whole, settings.bindings)
    extra = provided - set(run.environment)
    if not extra:
        return True
    widened = replaced(run, environment={**run.environment, **dict.fromkeys(extra)})
    return "sqlite" in str(databases(widened, settings).get("default", {}).get("ENGINE", ""))
