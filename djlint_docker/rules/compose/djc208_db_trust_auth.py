"""DJC208 db-trust-auth: The database accepts connections without a password."""

from __future__ import annotations

import os
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import (
    EMPTY_PASSWORD_SWITCHES,
    POSTGRES_IMAGES,
    POSTGRES_PASSWORDS,
    data_service,
    parse_image,
    postgres_requires_password,
)
from djlint_docker.parse.compose import Service
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._mounts import database_image, starts_database_server
from djlint_docker.rules.compose._stack import (
    install_recipe,
    internal_database,
    never_deployed,
    once_per_line,
    published_to_others,
)
from djlint_docker.rules.project._env_files import provided_at_setup
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY
from djlint_docker.rules.snippets import INSTALL_RECIPE, MANAGE, PRODUCTION_COMPOSE, REQUIREMENTS_DOCKERFILE

RECIPE_TRUST = {**INSTALL_RECIPE, "docs/install/compose.yaml": INSTALL_RECIPE["docs/install/compose.yaml"].replace(
    "      POSTGRES_PASSWORD: bookshelf\n", "      POSTGRES_HOST_AUTH_METHOD: trust\n")}
"""An install recipe whose database, reached by the stack's containers alone, lets them in without a password."""


OLD_DB_WITH_PASSWORD = ("services:\n  db:\n    image: postgres:9.6.5-alpine\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n")
"""A database on a release of the postgres image from before February 2020, given a password."""


@rule("DJC208", "db-trust-auth", Severity.WARNING, examples=[
    Example("postgres-trust", {"compose.yaml": "services:\n  db:\n    image: postgres:13\n    volumes:\n"
                                               "      - pg:/var/lib/postgresql/data/\n    environment:\n"
                                               "      - \"POSTGRES_HOST_AUTH_METHOD=trust\"\nvolumes:\n  pg:\n"},
            expect=(("compose.yaml", 7),)),
    Example("postgres-trust-in-its-env-file", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n    ports:\n"
                        "      - 5432:5432\n  backup:\n    image: prodrigestivill/postgres-backup-local:16\n"
                        "    env_file: db.env\n",
        "db.env": "POSTGRES_DB=blog\nPOSTGRES_HOST_AUTH_METHOD=trust\n"}, expect=(("db.env", 2),)),
    # An image from before docker-library/postgres#658 started with no password trusts every connection.
    Example("postgres-release-before-2020-without-a-password", {
        "compose.yaml": "services:\n  db:\n    image: postgres:9.6.5-alpine\n    ports:\n      - 5432:5432\n"},
        expect=(("compose.yaml", 3),)),
    Example("postgres-release-before-2020-with-a-password", {"compose.yaml": OLD_DB_WITH_PASSWORD}),
    Example("postgres-release-before-2020-as-the-toolbox-of-a-database", {
        "compose.yaml": OLD_DB_WITH_PASSWORD + "  db-backup:\n    image: postgres:9.6.5-alpine\n"
                                               "    depends_on:\n      - db\n"}),
    Example("postgres-release-before-2020-running-a-client", {
        "compose.yaml": OLD_DB_WITH_PASSWORD + "  seed:\n    image: postgres:9.6.5-alpine\n"
                                               "    command: psql -h db -U postgres -f /seed.sql\n"}),
    Example("mysql-empty", {"compose.yaml": "services:\n  db:\n    image: mysql:5.7\n    environment:\n"
                                            "      MYSQL_ALLOW_EMPTY_PASSWORD: \"yes\"\n"}, expect=(("compose.yaml",
                                                                                                     5),)),
    Example("random-root-password-is-a-switch", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    environment:\n"
                        "      MYSQL_RANDOM_ROOT_PASSWORD: \"yes\"\n      MYSQL_ALLOW_EMPTY_PASSWORD: \"no\"\n"
                        "      MYSQL_PASSWORD: ${MYSQL_PASSWORD:?}\n"}),
    # The database has no network: only the web service, mounting its socket's volume, connects.
    Example("trust-over-a-shared-socket-without-a-network", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    network_mode: none\n    environment:\n"
                        "      POSTGRES_HOST_AUTH_METHOD: trust\n    volumes:\n      - sock:/var/run/postgresql\n"
                        "  web:\n    image: app:1.0\n    volumes:\n      - sock:/var/run/postgresql\nvolumes:\n"
                        "  sock:\n"}),
    # The switch only lets the root password be empty; the one given here is not (read from the committed .env).
    Example("switch-beside-a-root-password", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    environment:\n"
                        "      - MYSQL_ROOT_PASSWORD=${DB_PASSWORD}\n      - MYSQL_ALLOW_EMPTY_PASSWORD=1\n",
        ".env": "DB_PASSWORD=d746997ad3a64bdb\n"}),
    Example("switch-beside-an-empty-root-password", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    environment:\n"
                        "      - MYSQL_ROOT_PASSWORD=${DB_PASSWORD}\n      - MYSQL_ALLOW_EMPTY_PASSWORD=1\n",
        ".env": "DB_PASSWORD=\n"}, expect=(("compose.yaml", 6),)),
    Example("development-stack-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "compose.yaml": DEV_AND_PROD["compose.yaml"].replace(
            "      POSTGRES_PASSWORD: devpass\n", "      POSTGRES_HOST_AUTH_METHOD: trust\n").replace(
            "    ports:\n      - \"5432:5432\"\n", "")}),
    Example("published-development-database-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "compose.yaml": DEV_AND_PROD["compose.yaml"].replace(
            "      POSTGRES_PASSWORD: devpass\n", "      POSTGRES_HOST_AUTH_METHOD: trust\n")},
        expect=(("compose.yaml", 16),)),
    # A database published on the loopback only is reached from the developer's own machine, as if unpublished.
    Example("development-database-published-on-loopback-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "compose.yaml": DEV_AND_PROD["compose.yaml"].replace(
            "      POSTGRES_PASSWORD: devpass\n", "      MYSQL_ALLOW_EMPTY_PASSWORD: \"yes\"\n").replace(
            "postgres:16", "mysql:8.4").replace("\"5432:5432\"", "\"127.0.0.1:13306:3306\"")}),
    Example("development-database-published-on-all-interfaces-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "compose.yaml": DEV_AND_PROD["compose.yaml"].replace(
            "      POSTGRES_PASSWORD: devpass\n", "      MYSQL_ALLOW_EMPTY_PASSWORD: \"yes\"\n").replace(
            "postgres:16", "mysql:8.4").replace("\"5432:5432\"", "\"0.0.0.0:13306:3306\"")},
        expect=(("compose.yaml", 16),)),
    Example("internal-database-of-an-install-recipe", RECIPE_TRUST),
    Example("published-database-of-an-install-recipe", {
        **RECIPE_TRUST, "docs/install/compose.yaml": RECIPE_TRUST["docs/install/compose.yaml"].replace(
            "    volumes:\n", "    ports:\n      - 5432:5432\n    volumes:\n")},
        expect=(("docs/install/compose.yaml", 11),)),
    Example("development-stack-is-all-it-has", {
        **DEV_ONLY, "compose.yaml": DEV_ONLY["compose.yaml"].replace(
            "      POSTGRES_PASSWORD: devpass\n", "      POSTGRES_HOST_AUTH_METHOD: trust\n")},
        expect=(("compose.yaml", 16),)),
    Example("switch-copied-into-the-django-service", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${PG:?}\n"
                        "  web:\n    build: .\n    command: gunicorn app.wsgi\n    environment:\n"
                        "      POSTGRES_HOST_AUTH_METHOD: trust\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("test-stack", {
        "docker-compose.test.yml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                   "      POSTGRES_HOST_AUTH_METHOD: trust\n  tests:\n    build: .\n"
                                   "    command: pytest\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("password-auth", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                              "manage.py": MANAGE}),
])
def db_trust_auth(project: Project) -> Iterator[Violation]:
    """The database accepts connections without a password.

    ## What it does
    Reports `POSTGRES_HOST_AUTH_METHOD=trust`, and MySQL/MariaDB's
    `*_ALLOW_EMPTY_PASSWORD` switches (unless the service also gives root a password that is
    not empty, `MYSQL_ROOT_PASSWORD`, which the switch then leaves as it is), in a database
    service's environment or its committed env files (copied into Django's own, or a
    backup tool's, they configure nothing), and
    the official `postgres` image pinned to a release built before February 2020
    (`postgres:9.6.5`, `11.5`) given no password: it then initialises the database with
    trust authentication (not when it is another
    database's client or backup toolbox, or its command runs a client). A development
    stack's database that publishes no port is not reported when the project is also
    deployed another way (only the stack's containers reach it), nor a test, CI or editor
    stack's; a project whose only stack is a development one ships it. Nor is a database
    with `network_mode: none`, which only the containers sharing its socket's volume
    reach. Nor is the
    database of an install recipe (a compose file that builds nothing and runs the
    project's published image) that publishes no port: DJC207 exempts its password
    alike. A port published on the loopback only (`127.0.0.1:13306:3306`) is reached
    from the machine itself alone, and counts as unpublished.

    ## Why is this bad?
    Anyone who reaches the port is the database superuser: another container, the
    host's network, or the internet when the port is published.

    ## Example
    ```yaml
    environment:
      - POSTGRES_HOST_AUTH_METHOD=trust
    ```
    Use instead:
    ```yaml
    environment:
      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}
    ```

    ## References
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (`POSTGRES_HOST_AUTH_METHOD=trust`)
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (`MYSQL_ALLOW_EMPTY_PASSWORD`)
    - [Docker Hub: postgres, POSTGRES_HOST_AUTH_METHOD](https://hub.docker.com/_/postgres)
    """
    yield from once_per_line(_violations(project))


def _violations(project: Project) -> Iterator[tuple[str, Violation]]:
    """What the rule reports, with the service each finding is about."""
    recipe = install_recipe(project)
    for service in project.services:
        if project.runs_django(service):
            continue  # POSTGRES_HOST_AUTH_METHOD in Django's own environment configures no database
        if project.development_only(service) and not published_to_others(service):
            continue  # a development stack's database only its containers reach, and the project deploys another
        if recipe and internal_database(service):
            continue  # an install recipe's database: only the stack's containers reach it
        if service.network_mode is not None and service.network_mode.value == "none":
            continue  # no network: only the containers sharing its socket's volume connect, as they are meant to
        # what `environment:` sets, then what the committed env files of a database server set that `environment:`
        # does not replace (a backup tool reading the database's env file configures no server), each with the
        # compose file that gives it
        settings = [(name, entry.value, entry.location, entry.location.path)
                    for name, entry in service.environment.items()]
        if service.env_files and data_service(database_image(project, service)) is not None \
                and starts_database_server(project, service):
            settings += [(name, var.value, Location(ref.path, var.line, 1), ref.location.path)
                         for ref in service.env_files if os.path.isfile(ref.path)
                         for name, var in project.env_file(ref.path).items() if name not in service.environment]
        for name, written, location, given_in in settings:
            if never_deployed(project, given_in):
                continue  # a test, CI or editor stack's database: nothing deploys it
            if name in EMPTY_PASSWORD_SWITCHES and _root_password_given(project, service):
                continue  # the switch only lets the root password be empty: this one is not
            value = (written or "").strip().lower()
            if (name == "POSTGRES_HOST_AUTH_METHOD" and value == "trust") or (
                    name in EMPTY_PASSWORD_SWITCHES and value not in {"", "no", "false", "0"}):
                yield service.name, Violation(location, f"service {service.name}: {name}={written} lets anyone "
                                                        f"connect without a password; set a password from ${{VAR}}")
        if _trusts_without_a_password(project, service) and service.image is not None \
                and not never_deployed(project, service.image.location.path):
            yield service.name, Violation(service.image.location, f"service {service.name}: {service.image.value} "
                                                                  f"is given no POSTGRES_PASSWORD: an image built "
                                                                  f"before February 2020 then initialises the "
                                                                  f"database with trust authentication, and anyone "
                                                                  f"connects as any user without a password; set "
                                                                  f"POSTGRES_PASSWORD from ${{VAR}}")


ROOT_PASSWORDS = ("MYSQL_ROOT_PASSWORD", "MARIADB_ROOT_PASSWORD", "MYSQL_ROOT_PASSWORD_FILE",
                  "MARIADB_ROOT_PASSWORD_FILE", "MYSQL_RANDOM_ROOT_PASSWORD", "MARIADB_RANDOM_ROOT_PASSWORD")
"""What gives MySQL's or MariaDB's root a password: a value, a secret's file, or a random one."""


def _root_password_given(project: Project, service: Service) -> bool:
    """Whether the service gives the root user a password that is not empty, or one from the shell or an env file
    djcheck cannot read (unknown: no guess). ``MYSQL_ALLOW_EMPTY_PASSWORD`` beside it changes nothing."""
    environment = project.service_environment(service)
    for name in ROOT_PASSWORDS:
        if name not in environment:
            continue
        value = environment[name]
        if value is None:
            return True
        if value.strip() and not ("RANDOM" in name and value.strip().lower() in {"no", "false", "0"}):
            return True
    return False


def _trusts_without_a_password(project: Project, service: Service) -> bool:
    """Whether the official PostgreSQL image, pinned to a release built before February 2020 (``postgres:9.6.5``),
    starts with no password: it then trusts every connection (docker-library/postgres#658 made it refuse)."""
    if service.image is None or service.build is not None or service.entrypoint is not None:
        return False
    image = parse_image(service.image.value)
    if image.repository not in POSTGRES_IMAGES or postgres_requires_password(image.tag) \
            or not starts_database_server(project, service) or not project.environment_known(service):
        return False  # a client's toolbox (``dbclient``) or a command such as ``psql -h db`` starts no server
    environment = project.service_environment(service)
    return not any(name in environment for name in (*POSTGRES_PASSWORDS, "POSTGRES_HOST_AUTH_METHOD")) and not any(
        provided_at_setup(project, ref.path, list(POSTGRES_PASSWORDS)) for ref in service.env_files)

