"""DJC217 db-init-password-missing: A database service is given no password to initialise with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import POSTGRES_IMAGES, POSTGRES_PASSWORDS, parse_image, postgres_requires_password
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._mounts import starts_database_server
from djlint_docker.rules.project._env_files import EXAMPLE_ENV, provided_at_setup
from djlint_docker.rules.snippets import MANAGE, PRODUCTION_COMPOSE, REQUIREMENTS_DOCKERFILE

MYSQL = {"mysql", "mariadb"}
MYSQL_PASSWORDS = tuple(f"{prefix}_{name}{suffix}" for prefix in ("MYSQL", "MARIADB")
                        for name in ("ROOT_PASSWORD", "ALLOW_EMPTY_PASSWORD", "ALLOW_EMPTY_ROOT_PASSWORD",
                                     "RANDOM_ROOT_PASSWORD", "ROOT_PASSWORD_HASH")
                        for suffix in ("", "_FILE"))
MYSQL_NAMED = ("MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD")

WEB = "  web:\n    build: .\n    env_file: .env\n"

TOOLBOX_BESIDE_DB = ("services:\n  db:\n    image: postgres:16\n    environment:\n"
                     "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n  dbclient:\n    image: postgres:16\n"
                     "    depends_on:\n      - db\n")
"""A database, and a service on the same image beside it that depends on it and sets no password."""


@rule("DJC217", "db-init-password-missing", Severity.ERROR, examples=[
    # bin/psql.sh runs `docker compose run --rm dbclient psql -h db`: the postgres image as a client's toolbox.
    Example("toolbox-of-the-database", {"compose.yaml": TOOLBOX_BESIDE_DB}),
    Example("second-database-without-a-password", {"compose.yaml": TOOLBOX_BESIDE_DB.replace("dbclient", "reports")},
            expect=(("compose.yaml", 6),)),
    Example("postgres-without-password", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: app\n"
                        "      POSTGRES_USER: app\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                        "  web:\n    build: .\nvolumes:\n  pg:\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 2),)),
    Example("mysql-with-only-a-user", {
        "compose.yaml": "services:\n  mysql:\n    image: mysql:8.4\n    environment:\n      - MYSQL_DATABASE=app\n"
                        "      - MYSQL_USER=app\n      - MYSQL_PASSWORD=${MYSQL_PASSWORD}\n" + WEB,
        ".env": "DJANGO_DEBUG=0\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 2),)),
    Example("empty-password", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16-alpine\n    environment:\n"
                        "      POSTGRES_PASSWORD: ''\n" + WEB,
        ".env": "DJANGO_DEBUG=0\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 2),)),
    # The committed .env leaves the password blank, and the README says to fill it in before the first start.
    Example("blank-of-a-committed-env-file-the-readme-fills", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: .env\n",
        ".env": "# fill these in\nSECRET_KEY=\nPOSTGRES_USER=\nPOSTGRES_PASSWORD=\n",
        "README.md": "# Exchange\n\n1. Fill out the missing variables in `.env`\n2. `docker compose up`\n",
        "manage.py": MANAGE}),
    Example("blank-of-a-committed-env-file", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: .env\n",
        ".env": "SECRET_KEY=\nPOSTGRES_USER=\nPOSTGRES_PASSWORD=\n",
        "README.md": "# Exchange\n\n`docker compose up`\n", "manage.py": MANAGE}, expect=(("compose.yaml", 2),)),
    # A compose template the README tells users to copy and fill in: its blanks are placeholders.
    Example("blank-in-a-compose-template", {
        "docker-compose.example.yml": "services:\n  db:\n    image: postgres:16-alpine\n"
                                      "    environment: [POSTGRES_USER=, POSTGRES_PASSWORD=, POSTGRES_DB=]\n"
                                      "  web:\n    build: .\n    environment:\n      - SECRET_KEY=\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("no-password-in-a-compose-template", {
        "docker-compose.example.yml": "services:\n  db:\n    image: postgres:16-alpine\n"
                                      "    environment: [POSTGRES_USER=app, POSTGRES_DB=app]\n"
                                      "  web:\n    build: .\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("docker-compose.example.yml", 2),)),
    Example("password-interpolated", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                                      "manage.py": MANAGE}),
    Example("password-from-the-env-file", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: .env\n" + WEB,
        ".env.example": "POSTGRES_PASSWORD=change-me\n", ".gitignore": ".env\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("password-commented-in-the-env-template", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: .env\n" + WEB,
        ".env.example": "POSTGRES_USER=app\nPOSTGRES_DB=app\n# run ./scripts/secrets.sh, or set it yourself\n"
                        "# POSTGRES_PASSWORD=\n", ".gitignore": ".env\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("password-written-by-the-setup-script", {
        "compose.yaml": "services:\n  db:\n    image: mariadb:11\n    env_file: .env\n" + WEB,
        ".env.example": "MARIADB_DATABASE=app\nMARIADB_USER=app\n", ".gitignore": ".env\n",
        "Makefile": "init:\n\tcp .env.example .env\n"
                    "\techo \"MARIADB_ROOT_PASSWORD=$$(openssl rand -hex 24)\" >> .env\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("env-template-comments-only-other-variables", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: .env\n" + WEB,
        ".env.example": "POSTGRES_USER=app\nPOSTGRES_DB=app\n# DJANGO_SENTRY_DSN=\n", ".gitignore": ".env\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 2),)),
    Example("env-file-each-clone-makes", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: .env.db\n" + WEB,
        ".gitignore": ".env*\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("password-file-secret", {
        "compose.yaml": "services:\n  db:\n    image: mariadb:11\n    environment:\n"
                        "      MARIADB_ROOT_PASSWORD_FILE: /run/secrets/db_root\n    secrets:\n      - db_root\n"
                        "secrets:\n  db_root:\n    file: ./secrets/db_root.txt\n"}),
    Example("postgres-series-tag", {
        "docker-compose.yml": "version: '3'\nservices:\n  db:\n    image: postgres:11\n"
                              "  web:\n    build: .\n    depends_on:\n      - db\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("docker-compose.yml", 3),)),
    # postgres:11.5 was built before the password became required: it initialises with trust authentication.
    Example("postgres-release-before-2020", {
        "docker-compose.yml": "version: '3'\nservices:\n  db:\n    image: postgres:11.5\n"
                              "  web:\n    build: .\n    depends_on:\n      - db\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("client-only-container", {
        "compose.yaml": "services:\n  backup:\n    image: postgres:16\n"
                        "    command: pg_dump -h db -U app -f /backup/app.sql app\n"}),
])
def db_init_password_missing(project: Project) -> Iterator[Violation]:
    """A database service is given no password to initialise with.

    ## What it does
    Reports a service that runs the official `postgres` (or `postgis/postgis`) image
    without `POSTGRES_PASSWORD` or `POSTGRES_PASSWORD_FILE` (nor
    `POSTGRES_HOST_AUTH_METHOD=trust`), and a `mysql` or `mariadb` service without one
    of `MYSQL_ROOT_PASSWORD`, `MYSQL_ALLOW_EMPTY_PASSWORD`, `MYSQL_RANDOM_ROOT_PASSWORD`
    (their `MARIADB_*` spellings, `_FILE` variants and `MARIADB_ROOT_PASSWORD_HASH`).
    Values from the service's `env_file:` count, as do variables Compose takes from the
    shell; a service whose env file each clone makes (no committed template) is not
    judged, nor a container that runs a client command instead of the server. A blank
    password in a compose template users copy and fill in (`docker-compose.example.yml`),
    or in a committed env file the README says to fill in ("fill out the missing
    variables in `.env`"), is a placeholder, not reported; a template that names no
    password at all is. Nor is
    a password each clone provides in the env file it makes reported: one the committed
    template (`.env.example`) names only in a comment (`# POSTGRES_PASSWORD=`, to
    uncomment and fill in), or one a committed setup script (a `*.sh`, `Makefile` or
    `justfile`) writes into the file.

    The postgres image requires the password since its builds of February 2020
    (12.2, 11.7, 10.12, 9.6.17, 9.5.21, 9.4.26). A tag that can resolve to such a build
    is judged (no tag, `latest`, `alpine`, `16-alpine`, `11`, `9.6`); one pinned to an
    older release (`postgres:11.5`, `9.6.16-alpine`) is not: that image initialises the
    data directory without a password, with `trust` authentication for every connection.
    Another database's toolbox (`dbclient`, `db-backup` depending on the database, run
    with `docker compose run --rm dbclient psql -h db`) initialises nothing.

    ## Why is this bad?
    On a fresh clone the data directory is empty, and the images' entrypoints refuse to
    initialise it without a superuser password: PostgreSQL prints *Database is
    uninitialized and superuser password is not specified*, MySQL *Database is
    uninitialized and password option is not specified*, and the container exits. The
    project only works on machines that already have a data volume.

    ## Example
    ```yaml
    db:
      image: postgres:16
      environment:
        POSTGRES_USER: app
        POSTGRES_DB: app
    ```
    Use instead:
    ```yaml
    db:
      image: postgres:16
      environment:
        POSTGRES_USER: app
        POSTGRES_DB: app
        POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}
    ```

    ## References
    - [Docker Hub: postgres, POSTGRES_PASSWORD](https://hub.docker.com/_/postgres)
      ("This environment variable is required for you to use the PostgreSQL image")
    - [docker-library/postgres#658: Error when POSTGRES_PASSWORD is unset like mysql](https://github.com/docker-library/postgres/pull/658)
      (merged February 2020; [#681](https://github.com/docker-library/postgres/issues/681): 9.5.20 starts, 9.5.21
      refuses)
    - [Docker Hub: mysql, environment variables](https://hub.docker.com/_/mysql)
      (one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD is required)
    - [Docker Hub: mariadb, environment variables](https://hub.docker.com/_/mariadb)
    """
    for service in project.services:
        if service.image is None or service.build is not None or service.entrypoint is not None:
            continue
        image = parse_image(service.image.value)
        repository = image.repository
        if repository in POSTGRES_IMAGES:
            if not postgres_requires_password(image.tag):
                continue  # pinned to a release from before February 2020: it starts, with trust authentication
            kind, needed = "postgres", POSTGRES_PASSWORDS
        elif repository in MYSQL:
            kind, needed = repository, MYSQL_PASSWORDS
        else:
            continue
        if not starts_database_server(project, service) or not project.environment_known(service):
            continue  # no server it starts, an environment djcheck cannot know, or a client's toolbox
        env = project.service_environment(service)
        if any(name in env and env[name] != "" for name in needed):
            continue  # set (a value Compose takes from the shell, None, counts: it is unknown)
        if kind == "postgres" and env.get("POSTGRES_HOST_AUTH_METHOD", "") in (None, "trust"):
            continue
        unnamed = [name for name in needed if name not in env]
        if any(provided_at_setup(project, ref.path, unnamed) for ref in service.env_files):
            continue  # the template names it in a comment, or the setup script writes it: each user's value
        empty = next((name for name in needed if env.get(name) == ""), None)
        if empty and _template(service.location.path):
            continue  # a blank the user fills in when copying the template (docker-compose.example.yml)
        if empty and empty not in service.environment and any(
                (var := (project.env_values(ref.path) or {}).get(empty)) is not None and not var.value
                and project.readme_creates(ref.path) for ref in service.env_files):
            continue  # a blank of the committed .env that the README says to fill in ("fill out the variables in .env")
        named = needed[:2] if kind == "postgres" else MYSQL_NAMED
        read = [project.display(ref.path if project.is_file(ref.path) else project.template_for(ref.path) or ref.path)
                for ref in service.env_files if project.env_values(ref.path) is not None]
        what = f"sets {empty} empty" if empty else f"sets none of {', '.join(named)}" + (
            f" (neither `environment:` nor {', '.join(read)})" if read else "")
        refusal = ("Database is uninitialized and superuser password is not specified" if kind == "postgres"
                   else "Database is uninitialized and password option is not specified")
        advice = "POSTGRES_PASSWORD" if kind == "postgres" else ("MARIADB_ROOT_PASSWORD" if kind == "mariadb"
                                                                  else "MYSQL_ROOT_PASSWORD")
        yield Violation(service.location,
                        f"service {service.name} ({service.image.value}) {what}: on an empty data volume (a fresh "
                        f"clone) the image refuses to initialise it (\"{refusal}\") and the container exits; "
                        + (f"give {empty} a value" if empty else f"set {advice} from a variable (${{{advice}:?}})"),
                        related=(service.image.location,))


def _template(path: Path) -> bool:
    """Whether a compose file is a template to copy and fill in (``docker-compose.example.yml``,
    ``compose.yaml.dist``): its blank values are placeholders."""
    return EXAMPLE_ENV.search(path.stem) is not None or EXAMPLE_ENV.search(path.name) is not None
