"""DJC312 db-credentials-mismatch: Django connects with a user, password or database the database service lacks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._mounts import data_folders, holds_data
from djlint_docker.rules.project._env_files import setup_scripts
from djlint_docker.rules.project._git import placeholder
from djlint_docker.rules.settings._bindings import environment_unknown, location_of, template_note
from djlint_docker.rules.settings._databases import FILE_ENGINES, databases, mounts_init_scripts, sql_databases
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

CREATES_ACCOUNTS = re.compile(r"\bCREATE\s+(?:USER|ROLE|DATABASE)\s+[\w$\"'`{]", re.I)
"""A setup step that creates a database user or a database by hand (``psql -c "CREATE USER ..."``)."""
POSTGRES_SYSTEM_DATABASES = {"postgres", "template1"}
MYSQL_SYSTEM_DATABASES = {"mysql", "information_schema", "performance_schema", "sys"}

PG = "  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n    environment:\n"
WEB = "  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n    depends_on: [db]\n"
ENV_SETTINGS = ("import os\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
                "        'HOST': os.environ.get('DB_HOST', 'db'),\n"
                "        'NAME': os.environ.get('POSTGRES_DB', 'app'),\n"
                "        'USER': os.environ.get('POSTGRES_USER', 'app'),\n"
                "        'PASSWORD': os.environ.get('POSTGRES_PASSWORD', ''),\n    }\n}\n")

FIRST_RUN = ("#!/bin/sh\nfirst_run() {\n  docker compose up -d\n"
             "  docker compose exec db psql -U postgres -c \"CREATE USER app WITH PASSWORD '$APP_DB_PASSWORD';\"\n"
             "}\n\"$@\"\n")
"""A first-run script that creates the app's database user by hand."""


FROM_THE_TEMPLATE = {
    "compose.yaml": f"services:\n{PG}      POSTGRES_DB: app\n      POSTGRES_USER: app\n    env_file: .env\n"
                    f"{WEB}    env_file: .env\nvolumes:\n  pg:\n",
    ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
    "app/settings.py": ENV_SETTINGS.replace("'PASSWORD': os.environ.get('POSTGRES_PASSWORD', '')",
                                            "'PASSWORD': os.environ.get('DB_PASSWORD', '')")}
"""A stack whose database and Django read their passwords from the env file each clone makes from ``.env.example``
(the examples add the template)."""


@rule("DJC312", "db-credentials-mismatch", Severity.ERROR, cross=True, examples=[
    Example("settings-defaults-differ-from-the-db", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_DB: shop\n      POSTGRES_USER: shop\n"
                        f"      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\n{WEB}"
                        "    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\nvolumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": ENV_SETTINGS},
        expect=(("app/settings.py", 2),)),
    # A data directory filled outside the project (a copy of production's): the first start's user and database
    # are not what it holds.
    Example("data-directory-from-outside-the-project", {
        "compose.yaml": f"services:\n{PG.replace('pg:/var', '/srv/shop/pgdata:/var')}      POSTGRES_DB: shop\n"
                        f"      POSTGRES_USER: shop\n      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\n{WEB}"
                        "    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": ENV_SETTINGS}),
    # One script mounted in the init folder (not the folder): it creates the app's user.
    Example("init-script-file-mounted", {
        "compose.yaml": "services:\n" + PG.replace("data\n", "data\n      - ./docker/init-user-db.sh:"
                                                    "/docker-entrypoint-initdb.d/init-user-db.sh\n")
                        + "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n"
                        f"{WEB}    environment:\n      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\nvolumes:\n  pg:\n",
        "docker/init-user-db.sh": "#!/bin/sh\npsql -U postgres -c \"CREATE USER app WITH PASSWORD 'app';\"\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": ENV_SETTINGS}),
    # `./app.sh first_run` creates the app's user and database in the database's container with psql.
    Example("first-run-script-creates-the-user", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\n{WEB}"
                        "    environment:\n      POSTGRES_PASSWORD: ${APP_DB_PASSWORD:?}\nvolumes:\n  pg:\n",
        "app.sh": FIRST_RUN, "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": ENV_SETTINGS}),
    # The web container's start script creates the database it then migrates.
    Example("start-script-creates-the-database", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\n"
                        + WEB.replace("gunicorn -b 0.0.0.0:8000 app.wsgi", "/app/docker/start.sh")
                        + "    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\nvolumes:\n  pg:\n",
        "docker/start.sh": "#!/bin/sh\npsql -h db -U postgres -c \"CREATE DATABASE $POSTGRES_DB\" || true\n"
                    "python manage.py migrate\nexec gunicorn -b 0.0.0.0:8000 app.wsgi\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": ENV_SETTINGS}),
    Example("script-that-creates-nothing", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\n{WEB}"
                        "    environment:\n      POSTGRES_PASSWORD: ${APP_DB_PASSWORD:?}\nvolumes:\n  pg:\n",
        "app.sh": FIRST_RUN.replace("CREATE USER", "ALTER USER"), "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": ENV_SETTINGS}, expect=(("app/settings.py", 2),)),
    Example("web-gets-no-password", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_DB: app\n      POSTGRES_USER: app\n"
                        f"    env_file: .env.db\n{WEB}volumes:\n  pg:\n",
        ".env.db": "POSTGRES_PASSWORD=local-only-password\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": ENV_SETTINGS},
        expect=(("app/settings.py", 2),)),
    # The launch script runs `docker compose --env-file .env.local ...`: the URL's credentials come from the shell.
    Example("url-whose-credentials-the-shell-gives", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: .env.local\n" + WEB +
                        "    environment:\n      DATABASE_URL: postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}"
                        "@db:5432/${POSTGRES_DB}\n",
        ".env.local": "POSTGRES_USER=live\nPOSTGRES_PASSWORD=local-only-password\nPOSTGRES_DB=live\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n"}),
    Example("url-with-other-user", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_DATABASE: app\n"
                        "      MYSQL_USER: app\n      MYSQL_PASSWORD: ${MYSQL_PASSWORD:?}\n"
                        "      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD:?}\n" + WEB +
                        "    environment:\n      DATABASE_URL: mysql://django:${MYSQL_PASSWORD:?}@db:3306/app\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n"},
        expect=(("app/settings.py", 2),)),
    Example("same-env-file", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_DB: app\n    env_file: .env\n{WEB}    env_file: .env\n"
                        "volumes:\n  pg:\n",
        ".env": "POSTGRES_USER=app\nPOSTGRES_PASSWORD=local-only-password\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": ENV_SETTINGS}),
    Example("env-file-each-clone-makes", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_DB: app\n    env_file: .env\n{WEB}    env_file: .env\n"
                        "volumes:\n  pg:\n",
        ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": ENV_SETTINGS}),
    # The template's two blanks, each user's to fill in with the same password.
    Example("template-blanks-of-different-lengths", {
        **FROM_THE_TEMPLATE, ".env.example": "POSTGRES_PASSWORD=##########\nDB_PASSWORD=############\n"}),
    Example("template-passwords-that-differ", {
        **FROM_THE_TEMPLATE, ".env.example": "POSTGRES_PASSWORD=devpass\nDB_PASSWORD=devpassword\n"},
        expect=(("app/settings.py", 2),)),
    Example("init-scripts-create-the-user", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                        "      - ./initdb:/docker-entrypoint-initdb.d:ro\n    environment:\n"
                        f"      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\n{WEB}"
                        "    environment:\n      POSTGRES_PASSWORD: ${APP_DB_PASSWORD:?}\nvolumes:\n  pg:\n",
        "initdb/01-app.sql": "CREATE ROLE app LOGIN;\nCREATE DATABASE app OWNER app;\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": ENV_SETTINGS}),
    # The environment leaves the engine at its SQLite default: the HOST and USER defaults beside it connect nowhere
    # (DJC305 reports the SQLite).
    Example("sqlite-by-default-beside-a-server-host", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_USER: shop\n      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\n"
                        f"{WEB}volumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {\n"
                           "    'ENGINE': os.getenv('SQL_ENGINE', 'django.db.backends.sqlite3'),\n"
                           "    'NAME': os.getenv('SQL_DATABASE', 'temp'), 'USER': os.getenv('SQL_USER', 'temp'),\n"
                           "    'HOST': os.getenv('SQL_HOST', 'db')}}\n"}),
    Example("server-engine-by-default-beside-the-same-host", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_USER: shop\n      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\n"
                        f"{WEB}volumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDATABASES = {'default': {\n"
                           "    'ENGINE': os.getenv('SQL_ENGINE', 'django.db.backends.postgresql'),\n"
                           "    'NAME': os.getenv('SQL_DATABASE', 'temp'), 'USER': os.getenv('SQL_USER', 'temp'),\n"
                           "    'HOST': os.getenv('SQL_HOST', 'db')}}\n"},
        expect=(("app/settings.py", 2),)),
    Example("maintenance-database-and-superuser", {
        "compose.yaml": f"services:\n{PG}      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?}}\n{WEB}"
                        "    environment:\n      DATABASE_URL: postgres://postgres:${POSTGRES_PASSWORD:?}@db/postgres\n"
                        "volumes:\n  pg:\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n"}),
])
def db_credentials_mismatch(project: Project) -> Iterator[Violation]:
    """Django connects with a user, password or database the database service lacks.

    ## What it does
    For each Django service whose `DATABASES` host is a PostgreSQL, MySQL or MariaDB
    service of the compose file (and whose engine is not SQLite: an engine left at its
    SQLite default connects nowhere, whatever `HOST` says), evaluates the `USER`, `PASSWORD` and `NAME` it
    connects with (settings defaults, its `environment:` and `env_file:`, a database
    URL) and compares them with what the database image initialises from its own
    environment: `POSTGRES_USER` (default `postgres`), `POSTGRES_PASSWORD` and
    `POSTGRES_DB` (default: the user); `MYSQL_USER`/`MYSQL_PASSWORD` or `root` with
    `MYSQL_ROOT_PASSWORD`, and `MYSQL_DATABASE` (`MARIADB_*` too). Reports a user,
    password or database that differs, and a Django service that gets no password
    while the database has one (and a user: a URL with neither, `postgresql://:@db/`, is
    one whose credentials the shell was to give). Values that cannot be known (taken from the shell, an
    env file each clone makes) are not compared, nor two placeholders a template leaves
    for each user to fill in (`##########` and `############`), nor anything when the database runs
    init scripts (`/docker-entrypoint-initdb.d`, or a script mounted in it), when a setup
    script of the project's (`app.sh`, a Makefile) or the Django container's start script
    creates users or databases by hand (`psql -c "CREATE USER ..."`), which may make
    other users and databases, or when the database keeps its data in a folder of the
    machine outside the project (filled elsewhere: the first start never runs there);
    trust authentication accepts any password.

    ## Why is this bad?
    The image creates its user and database once, from those variables; Django then
    fails on its first query with *password authentication failed for user*, *role
    does not exist* or *database does not exist* (MySQL: *Access denied*, *Unknown
    database*). The two sides are usually written in different files (the settings'
    defaults, the web service's env file, the database's env file) and drift apart.

    ## Example
    ```yaml
    db:
      image: postgres:16
      environment:
        POSTGRES_USER: shop
        POSTGRES_DB: shop
    ```
    with `"USER": os.environ.get("POSTGRES_USER", "app")` in the settings and no
    `POSTGRES_USER` in the web service's environment. Use instead: give both services
    the same variables (one `env_file:` for both), or make the settings' defaults match.

    ## References
    - [Docker Hub: postgres, environment variables](https://hub.docker.com/_/postgres)
      (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB; only on an empty data directory)
    - [Docker Hub: mysql, environment variables](https://hub.docker.com/_/mysql)
    - [Django: DATABASES](https://docs.djangoproject.com/en/stable/ref/settings/#databases)
    """
    if project.stack is None:
        return
    servers = {service.name: (service, kind) for service, kind in sql_databases(project)}
    scripted = bool(servers) and _accounts_made_by_script(project)  # read once: the scripts are the project's
    reported: set[tuple[Location, str, str]] = set()
    for run in project.django_runs:
        if run.service is None or environment_unknown(project, run) or _creates_accounts_as_it_starts(project, run):
            continue
        for settings in run.settings:
            for alias, entry in databases(run, settings).items():
                host, engine = entry.get("HOST"), entry.get("ENGINE")
                if not isinstance(host, str) or host not in servers:
                    continue
                if isinstance(engine, str) and engine.endswith(FILE_ENGINES):
                    continue  # SQLite by default (`os.getenv("SQL_ENGINE", "...sqlite3")`): its HOST and USER unused
                db, kind = servers[host]
                if not project.environment_known(db) or mounts_init_scripts(db) \
                        or _data_from_outside(project, db) or scripted:
                    continue  # other users and databases than the variables say may exist
                binding = settings.bindings["DATABASES"]
                note = template_note(project, run, binding, settings)
                for what, message, related in _mismatches(project, run, db, kind, entry):
                    key = (location_of(binding), alias, what)
                    if key not in reported:
                        reported.add(key)
                        yield Violation(location_of(binding), f"{run.name}{note}: DATABASES[{alias!r}] {message}",
                                        related=(related, run.location))


def _creates_accounts_as_it_starts(project: Project, run: DjangoRun) -> bool:
    """Whether the Django container creates a database user or a database as it starts (``psql -h "$DB_HOST" -c
    "CREATE DATABASE $DB_NAME"`` in its start script): then the names are not only the database image's."""
    return any(CREATES_ACCOUNTS.search(" ".join(ran.command.words))
               for ran in project.container_commands(run.service, run.build))


def _accounts_made_by_script(project: Project) -> bool:
    """Whether a setup script beside the stack or at the project's root (``app.sh first_run``, a Makefile) creates
    a database user or a database by hand, in the database's container (:data:`CREATES_ACCOUNTS`)."""
    folders = [path.parent for path in project.setup.compose_files] + [project.root]
    return any(CREATES_ACCOUNTS.search(project.text(script) or "") for script in setup_scripts(folders))


def _data_from_outside(project: Project, db: Service) -> bool:
    """Whether the database keeps its data in a folder of the machine outside the project (``/srv/pgdata``,
    ``/Users/me/press-data/pgdata``): a data directory filled elsewhere (a copy of production's), where the image's
    first start, and the user and database it creates, never run."""
    folders = data_folders(project, db)
    return any(mount.type == "bind" and mount.source and holds_data(folders, mount.target)
               and Path(mount.source).is_absolute() and not Path(mount.source).is_relative_to(project.boundary)
               for mount in db.volumes)


def _mismatches(project: Project, run: DjangoRun, db: Service, kind: str,
                entry: dict[str, object]) -> Iterator[tuple[str, str, Location]]:
    """(what, message, where the database sets it) for each credential Django's entry gets wrong."""
    env = project.service_environment(db)

    def value(*names: str) -> tuple[str | None, str | None, bool]:
        """The first of ``names`` the database sets: (name, value, known); (None, None, True) when none is set."""
        for name in names:
            if name in env:
                return name, env[name], env[name] is not None
        return None, None, True

    def where(name: str | None) -> Location:
        found = db.environment.get(name) if name else None
        if found is not None:
            return found.location
        for ref in db.env_files:
            values = project.env_values(ref.path) or {}
            if name in values:
                return Location(ref.path if project.is_file(ref.path) else project.template_for(ref.path) or ref.path,
                                values[name].line)
        return db.location

    user, password, database = entry.get("USER"), entry.get("PASSWORD"), entry.get("NAME")
    if kind == "PostgreSQL":
        user_name, expected_user, user_known = value("POSTGRES_USER")
        expected_user = expected_user if user_name else "postgres"
        password_name, expected_password, password_known = value("POSTGRES_PASSWORD")
        db_name, expected_db, db_known = value("POSTGRES_DB")
        expected_db = expected_db if db_name else expected_user
        db_known = db_known and (user_known or db_name is not None)
        system = POSTGRES_SYSTEM_DATABASES
        trust = env.get("POSTGRES_HOST_AUTH_METHOD", "") in (None, "trust")
    else:
        prefixes = ("MARIADB_", "MYSQL_") if kind == "MariaDB" else ("MYSQL_",)
        if user == "root":
            user_name, expected_user, user_known = None, "root", True
            password_name, expected_password, password_known = value(*(p + "ROOT_PASSWORD" for p in prefixes))
        else:
            user_name, expected_user, user_known = value(*(p + "USER" for p in prefixes))
            expected_user = expected_user if user_name else "root"
            password_name, expected_password, password_known = value(*(p + "PASSWORD" for p in prefixes))
        db_name, expected_db, db_known = value(*(p + "DATABASE" for p in prefixes))
        system = MYSQL_SYSTEM_DATABASES
        trust = user == "root" and any(env.get(p + "ALLOW_EMPTY_PASSWORD") or env.get(p + "ALLOW_EMPTY_ROOT_PASSWORD")
                                       for p in prefixes)
    if isinstance(user, str) and user and user_known and expected_user and user != expected_user:
        unset = "POSTGRES_USER unset: the default" if kind == "PostgreSQL" else "MYSQL_USER unset: root alone"
        yield "USER", (f"connects as user {user!r}, but service {db.name} creates only {expected_user!r} "
                       f"({user_name or unset}): the connection is refused"), \
            where(user_name)
        return  # the password and database follow from the user: one finding says it
    if not trust and password_name and password_known and expected_password and (
            password is None or password == "") and isinstance(user, str) and user:
        # (no user either, `postgresql://:@db/`: a URL whose credentials the shell was to give, unknown here)
        yield "PASSWORD", (f"gets no password, but service {db.name} sets {password_name}: give {run.name} the same "
                           f"variable"), where(password_name)
    elif not trust and password_known and isinstance(password, str) and password and expected_password \
            and password != expected_password and not (placeholder(password) and placeholder(expected_password)):
        # (two blanks of a template each user fills in, `############` and `##########`, differ by nothing)
        yield "PASSWORD", (f"PASSWORD differs from the {password_name} service {db.name} is initialised with: "
                           f"password authentication fails"), where(password_name)
    if isinstance(database, str) and database and db_known and expected_db and database != expected_db \
            and database not in system:
        yield "NAME", (f"NAME is {database!r}, but service {db.name} creates the database {expected_db!r} "
                       f"({db_name or 'named after the user'}): database {database!r} does not exist"), \
            where(db_name or user_name)
