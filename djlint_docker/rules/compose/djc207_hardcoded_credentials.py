"""DJC207 hardcoded-credentials: A password or secret is written into the compose file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import PASSWORD_SWITCHES
from djlint_docker.parse.compose import Service
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.records import replaced
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import install_recipe, internal_database, never_deployed
from djlint_docker.rules.dockerfile._final_image import WORKSPACE
from djlint_docker.rules.dockerfile._secrets import secret_name
from djlint_docker.rules.project._env_files import EXAMPLE_ENV
from djlint_docker.rules.project._git import placeholder
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY
from djlint_docker.rules.snippets import (
    INSTALL_RECIPE,
    MANAGE,
    PRODUCTION_COMPOSE,
    REQUIREMENTS_DOCKERFILE,
    TUTORIAL_COMPOSE,
)


@rule("DJC207", "hardcoded-credentials", Severity.WARNING, examples=[
    Example("tutorial", {"compose.yaml": TUTORIAL_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
            expect=(("compose.yaml", 9),)),
    # The deploy workflow replaces each token with the CI secret of its name.
    Example("tokens-the-deploy-step-replaces", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    environment:\n"
                        "      - DB_PASSWORD=POSTGRES_PASSWORD_SECRET\n      - SECRET_KEY=SECRET_KEY_SECRET\n"
                        "      - EMAIL_HOST_PASSWORD=%EMAIL_PASSWORD%\n"}),
    Example("password-of-words-in-capitals", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    environment:\n"
                        "      - DB_PASSWORD=BLUE_HORSE_42\n"}, expect=(("compose.yaml", 5),)),
    Example("password-in-url", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    environment:\n"
                        "      DATABASE_URL: postgres://app:s3cret@db:5432/app\n      SECRET_KEY: abc123\n"},
        expect=(("compose.yaml", 5), ("compose.yaml", 6))),
    # The database's password and the URL that repeats it: one value to move out, one finding.
    Example("password-and-the-url-that-repeats-it", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: s3cret-pw\n  web:\n    image: app:1.0\n    environment:\n"
                        "      DATABASE_URL: postgres://postgres:s3cret-pw@db:5432/postgres\n"},
        expect=(("compose.yaml", 5),)),
    Example("interpolated", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                             "manage.py": MANAGE}),
    Example("secret-key-literal", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    environment:\n"
                        "      - DJANGO_SECRET_KEY=k3y-wr1tten-h3re\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
    # The generated key holds `$r` and `$1`: it is still the key, written in the file; `$DB_PASSWORD` is the shell's.
    Example("secret-key-literal-with-dollar-signs", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    environment:\n"
                        "      - SECRET_KEY=x9!&1-%o7u$r$@s$1doy16^n8hjjazdsn2h)#!vw*ufkn1c&0e\n"
                        "      - DATABASE_URL=postgresql://app:$DB_PASSWORD@db:5432/app\n"
                        "      - DB_PASSWORD=$DB_PASSWORD\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
    Example("literal-default-of-a-secret", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}\n"
                        "      POSTGRES_USER: ${POSTGRES_USER:-app}\n"}, expect=(("compose.yaml", 5),)),
    # An optional key falls back to a pair of quotes: no credential is written.
    Example("quotes-as-the-default-of-a-secret", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                        "      MAILJET_API_KEY: ${MAILJET_API_KEY:-\"\"}\n"
                        "      MAILJET_SECRET_KEY: ${MAILJET_SECRET_KEY:-''}\n"
                        "      STRIPE_SECRET_KEY: ${STRIPE_SECRET_KEY:-\"sk_live_51Hx9fQ2eZvKYlo2Cq8w3mT7p\"}\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 7),)),
    Example("databases-of-a-django-run-on-the-host", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: postgres\n    ports:\n      - 127.0.0.1:5432:5432\n",
        "manage.py": MANAGE}),
    Example("template-used-as-is", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                        "    env_file:\n      - .env.example\n",
        ".env.example": "DEBUG=0\nSECRET_KEY=change-me-please\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
    Example("empty-template-used-as-is", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                        "    env_file:\n      - .env.example\n",
        ".env.example": "DEBUG=0\nSECRET_KEY=\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("development-stack-of-a-project-deployed-elsewhere", DEV_AND_PROD),
    # Flower serves nothing of the site: beside a runserver web it is part of the development stack.
    Example("flower-in-the-development-stack-of-a-project-deployed-elsewhere", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                              "    volumes:\n      - .:/app\n    environment:\n      SECRET_KEY: dev-only-not-secret\n"
                              "  dashboard:\n    build: .\n    command: celery --app=app flower --port=5555\n"
                              "    environment:\n      SECRET_KEY: dev-only-not-secret\n",
        "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                                   "    env_file: .env.prod\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("flower-beside-gunicorn", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                              "    env_file: .env.prod\n"
                              "  dashboard:\n    build: .\n    command: celery --app=app flower --port=5555\n"
                              "    environment:\n      SECRET_KEY: not-so-secret\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("docker-compose.yml", 10),)),
    Example("development-stack-is-all-it-has", DEV_ONLY, expect=(("compose.yaml", 16),)),
    Example("test-stack", {
        "docker-compose.test.yml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                   "      POSTGRES_PASSWORD: postgres\n  tests:\n    build: .\n"
                                   "    command: pytest\n    environment:\n      SECRET_KEY: insecure-test-key\n"
                                   "      DATABASE_URL: postgres://postgres:postgres@db:5432/postgres\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("test-overlay-of-the-deployed-stack", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    environment:\n"
                              "      SECRET_KEY: ${SECRET_KEY:-dev-key}\n",
        "docker-compose.override.unit_tests.yml": "services:\n  web:\n    build: .\n"
                                                  "    command: python manage.py test\n"
                                                  "    environment:\n      DATABASE_PASSWORD: unittest\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("docker-compose.yml", 6),)),
    Example("token-endpoint-url", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    environment:\n"
                        "      OIDC_OP_TOKEN_ENDPOINT: https://auth.example.com/api/oidc/token\n"
                        "      OIDC_OP_JWKS_ENDPOINT: https://auth.example.com/jwks.json\n"
                        "      SECRET_TOKEN_CACHE: /var/cache/tokens\n"
                        "      OIDC_RP_CLIENT_SECRET: 9f2c1e7a8b\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 9),)),
    Example("anchor-shared-by-three-services-reported-once", {
        "compose.yaml": "x-database: &database\n  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-app}\n"
                        "  POSTGRES_HOST: db\nservices:\n  db:\n    image: postgres:16\n"
                        "    environment: *database\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                        "    environment: *database\n  worker:\n    build: .\n"
                        "    command: celery -A app worker\n    environment: *database\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 2),)),
    Example("editor-development-container", {
        **WORKSPACE, ".devcontainer/compose.yml": WORKSPACE[".devcontainer/compose.yml"].replace(
            "    image: postgres:latest\n",
            "    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: postgres\n"),
        "manage.py": MANAGE}),
    Example("internal-database-of-an-install-recipe", INSTALL_RECIPE),
    Example("initial-credentials-of-an-install-recipe", {
        **INSTALL_RECIPE, "docs/install/compose.yaml": INSTALL_RECIPE["docs/install/compose.yaml"].replace(
            "    depends_on: [db]\n", "    environment:\n      ADMIN_PASSWORD: verysecret  # your first login\n"
                                  "    depends_on: [db]\n")}),
    Example("secret-key-of-an-install-recipe", {
        **INSTALL_RECIPE, "docs/install/compose.yaml": INSTALL_RECIPE["docs/install/compose.yaml"].replace(
            "    depends_on: [db]\n", "    environment:\n      SECRET_KEY: some-long-and-unrandom-key\n"
                                  "    depends_on: [db]\n")}, expect=(("docs/install/compose.yaml", 8),)),
    Example("template-read-by-every-service-reported-once", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    env_file: .env.example\n"
                        "  worker:\n    build: .\n    command: celery -A app worker\n    env_file: .env.example\n",
        ".env.example": "SECRET_KEY=9f2c1e7a8b3d4c5e6f7a8b9c0d1e2f3a\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 5),)),
    Example("published-database-of-an-install-recipe", {
        **INSTALL_RECIPE, "docs/install/compose.yaml": INSTALL_RECIPE["docs/install/compose.yaml"].replace(
            "    volumes:\n", "    ports:\n      - 5432:5432\n    volumes:\n")},
        expect=(("docs/install/compose.yaml", 11),)),
    Example("loopback-database-of-an-install-recipe", {
        **INSTALL_RECIPE, "docs/install/compose.yaml": INSTALL_RECIPE["docs/install/compose.yaml"].replace(
            "    volumes:\n", "    ports:\n      - 127.0.0.1:5432:5432\n    volumes:\n")}),
    # The application's copy of the exempt database's password guards nothing more than the database's own.
    Example("application-side-of-the-internal-database-of-an-install-recipe", {
        **INSTALL_RECIPE, "docs/install/compose.yaml": INSTALL_RECIPE["docs/install/compose.yaml"].replace(
            "    depends_on: [db]\n", "    environment:\n      DATABASE_PASSWORD: bookshelf\n"
                                  "      DATABASE_URL: postgres://postgres:bookshelf@db:5432/postgres\n"
                                  "    depends_on: [db]\n")}),
    Example("application-password-other-than-the-database-one-in-an-install-recipe", {
        **INSTALL_RECIPE, "docs/install/compose.yaml": INSTALL_RECIPE["docs/install/compose.yaml"].replace(
            "    depends_on: [db]\n", "    environment:\n      EMAIL_HOST_PASSWORD: mailb0x-2024\n"
                                  "    depends_on: [db]\n")}, expect=(("docs/install/compose.yaml", 8),)),
    Example("placeholders-that-say-so", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    environment:\n"
                        "      MYSQL_ROOT_PASSWORD: your-mysql-root-password\n"
                        "      MYSQL_PASSWORD: ${MYSQL_PASSWORD:-change-me}\n  web:\n    build: .\n"
                        "    command: gunicorn app.wsgi\n    environment:\n"
                        "      SECRET_KEY: ThisIsAnExampleKeyForDevPurposeOnly\n"
                        "      DATABASE_URL: mysql://app:change-me@db:3306/app\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("random-values-beside-placeholders", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    environment:\n"
                        "      MYSQL_ROOT_PASSWORD: your-mysql-root-password\n"
                        "      MYSQL_PASSWORD: Hq7vYex2mPle9\n  web:\n    build: .\n"
                        "    command: gunicorn app.wsgi\n    environment:\n"
                        "      SECRET_KEY: 7dYk2!pq9zExamp1e_w8r\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 6), ("compose.yaml", 11))),
    # A captcha service's published always-pass test key as the default: a filler, one character over and over.
    Example("vendor-test-key-as-default", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    environment:\n"
                        "      CAPTCHA_SECRET_KEY: ${CAPTCHA_SECRET_KEY:-1x0000000000000000000000000000000AA}\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("vendor-key-of-mixed-characters-as-default", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    environment:\n"
                        "      CAPTCHA_SECRET_KEY: ${CAPTCHA_SECRET_KEY:-0x4AAAAAAB3kT9vQz7pLm2Rw}\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
    Example("setting-about-a-secret-is-no-secret", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    environment:\n"
                        "      API_KEY_RATE_LIMIT: ${API_KEY_RATE_LIMIT:-60/minute}\n"
                        "      PASSWORD_RESET_TIMEOUT: \"3600\"\n      SECRET_KEY_FALLBACKS: old-k3y-st1ll-valid\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 8),)),
    Example("values-said-to-be-for-development", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      # CHANGE THESE VALUES for production, but fine for local dev\n"
                        "      POSTGRES_PASSWORD: devpass\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                        "    environment:\n      SECRET_KEY: not-a-secret-at-all\n"},
        expect=(("compose.yaml", 11),)),
    Example("mysql-random-root-password", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    environment:\n"
                        "      MYSQL_RANDOM_ROOT_PASSWORD: \"yes\"\n      MYSQL_DATABASE: app\n"
                        "      MYSQL_USER: app\n      MYSQL_PASSWORD: app-password\n"},
        expect=(("compose.yaml", 8),)),
    Example("mariadb-switches", {
        "compose.yaml": "services:\n  db:\n    image: mariadb:11\n    environment:\n"
                        "      - MARIADB_RANDOM_ROOT_PASSWORD=1\n      - MARIADB_PASSWORD=${DB_PASSWORD:?}\n"}),
    Example("file-and-empty", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n      REDIS_PASSWORD: \"\"\n"
                        "      API_TOKEN:\n"}),
])
def hardcoded_credentials(project: Project) -> Iterator[Violation]:
    """A password or secret is written into the compose file.

    ## What it does
    Reports `environment:` entries whose name ends in a secret word (`*PASSWORD`, `*SECRET`,
    `SECRET_KEY`, `*TOKEN`, `*API_KEY`; not `API_KEY_RATE_LIMIT`) with a literal value or a literal default
    (`${POSTGRES_PASSWORD:-postgres}`), URLs with a literal password
    (`postgres://user:password@db/app`), and an `env_file:` that is a committed template
    (`.env.example`) with secret values, read as is. `${VAR}` references, `*_FILE` paths
    and empty values are fine, and so are the MySQL and MariaDB switches named for a
    password (`MYSQL_RANDOM_ROOT_PASSWORD: "yes"`, `MYSQL_ALLOW_EMPTY_PASSWORD`,
    `MARIADB_ONETIME_PASSWORD`): their value is `yes`, not a password (an empty root
    password is DJC208's).

    The services of a development stack (runserver, the source bind-mounted, a
    `dev`/`local` compose file) are not reported when the project also has a deployed
    configuration: their throwaway passwords never leave the developer's machine; nor
    are those of a stack of databases for a Django no container runs (the developer runs
    it on the machine against them). A project whose only stack is a development one
    ships it, and is reported. A test or
    CI stack (a compose file whose path is named for tests or CI:
    `docker-compose.test.yml`, `docker-compose.override.unit_tests.yml`,
    `ci/compose.yml`) is never deployed: what it sets is not reported. A secret's name
    with a URL or a path for value (`OIDC_OP_TOKEN_ENDPOINT: https://...`) says where a
    secret is, not what it is: not reported either (a password in the URL is). Nor is an
    editor's development container (`.devcontainer/`). In an install recipe (a compose
    file that builds nothing and runs the project's published image, which the installer
    copies and fills in), a value whose line tells the installer what to put there
    (`TA_PASSWORD=verysecret  # your initial credentials`) is a placeholder, and a database
    that publishes no port (or on the loopback alone: `127.0.0.1:5432:5432`) only the stack
    reaches: neither is reported, nor the same password where another service of the
    recipe connects to that database (`DATABASE_PASSWORD`, the URL). A value that says it
    is no real secret is not reported either: a placeholder (`your-mysql-password`,
    `change-me`, `<your key>`) or a value said to be an example or for development
    (`ThisIsAnExampleKeyForDevPurposeOnly`, `dont-use-in-production`, `insecure-dev-key`),
    or a filler of one character repeated (`00000000`, a vendor's published test key
    `1x0000000000000000000000000000000AA`); DJC402 and DJC412 read env files the same way. Nor is a value a
    comment beside or just above it says is for development and changed for production
    (`# CHANGE THESE VALUES for production, but fine for local dev`). A template every
    service reads is reported once, at the first; so is a value written on several lines
    (the database's password and the `DATABASE_URL` that repeats it), naming the others.

    ## Why is this bad?
    The compose file is committed: every clone, fork and CI log has the credential,
    and the same value tends to reach production.

    ## Example
    ```yaml
    environment:
      - POSTGRES_PASSWORD=postgres
    ```
    Use instead:
    ```yaml
    environment:
      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}
    ```
    with the value in an uncommitted `.env`, or `env_file:` / `secrets:`.

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (the same literal password in both services)
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (configuration from environment variables)
    - [Compose: secrets](https://docs.docker.com/compose/how-tos/use-secrets/)
    """
    recipe = install_recipe(project)
    internal = _internal_passwords(project) if recipe else set()
    templates: dict[Path, list[tuple[Service, Violation]]] = {}
    found: list[tuple[str, Violation]] = []  # each literal with its finding: one finding for a value written twice
    for service in project.services:
        if recipe and internal_database(service):
            continue  # a database of an install recipe that publishes no port: only the stack's containers reach it
        if project.development_only(service) or project.backs_django_on_the_host:
            continue  # a development stack's throwaway values, and the project is deployed with another stack; or
            # the databases of a Django the developer runs on the machine
        if never_deployed(project, service.location.path):
            continue  # a test, CI or editor stack's throwaway values: nothing deploys it
        for ref in service.env_files:
            values = project.env_file(ref.path) if EXAMPLE_ENV.search(ref.path.name) and project.is_file(ref.path) \
                else {}
            secrets = [name for name, var in values.items()
                       if secret_name(name) and var.value and name not in PASSWORD_SWITCHES]
            if secrets:
                templates.setdefault(ref.path, []).append((service, Violation(
                    ref.location, f"service {service.name} reads the template {ref.path.name} as is: "
                                  f"{', '.join(secrets[:3])} ship with the committed values; read a git-ignored "
                                  f"copy made from it")))
        for name, entry in service.environment.items():
            if name in PASSWORD_SWITCHES:
                continue  # `MYSQL_RANDOM_ROOT_PASSWORD: "yes"` is a switch, not a password
            if never_deployed(project, entry.location.path):
                continue  # set by a test overlay (docker-compose.override.unit_tests.yml)
            if recipe and _explained(project, entry.location):
                continue  # `TA_PASSWORD=verysecret  # your initial credentials`: the installer fills it in
            if _said_to_be_for_development(project, entry.location):
                continue  # `# CHANGE THESE VALUES for production, but fine for local dev` above the values
            raw = entry.raw or ""
            default = LITERAL_DEFAULT.fullmatch(raw.strip())
            if default and (secret_name(name) or secret_name(default.group(1))) and default.group(2).strip("\"'") \
                    and not _locator(default.group(2)) and not _harmless(default.group(2), internal):
                found.append((default.group(2), Violation(
                    entry.location, f"service {service.name}: {name} falls back to a literal when {default.group(1)} "
                                    f"is unset; use ${{{default.group(1)}:?}} so that a missing value stops the "
                                    f"deploy")))
                continue
            if not raw or "$" in raw and ("${" in raw or len(_without_references(raw)) < MIN_LITERAL):
                continue  # `${SECRET_KEY}`, `$DB_PASSWORD`: the shell's value (a `$r` inside a random key is not)
            if secret_name(name) and not _locator(raw):
                if _harmless(raw, internal):
                    continue  # a placeholder, or the password of the recipe's database only its containers reach
                found.append((raw, Violation(entry.location, f"service {service.name}: {name} is a literal in the "
                                                             f"compose file; use ${{{name}}} from an uncommitted .env, "
                                                             f"an env_file or a secret")))
            elif "://" in raw:
                try:
                    password = urlsplit(raw).password
                except ValueError:
                    continue
                if password and not REFERENCE.search(password.replace("$$", "")) and not _harmless(password, internal):
                    found.append((password, Violation(
                        entry.location, f"service {service.name}: {name} carries a literal password; interpolate it "
                                        f"from ${{VAR}}")))
    yield from _once_per_value(found)
    for readers in templates.values():  # one copy of the template fixes every service: reported once, at the first
        (_, first), others = readers[0], [service.name for service, _ in readers[1:]]
        yield replaced(first, message=first.message + (f" (so do {', '.join(others)})" if others else ""))



def _once_per_value(found: list[tuple[str, Violation]]) -> Iterator[Violation]:
    """Each literal of a compose file once, at the first line that writes it, naming the other lines (the
    database's ``POSTGRES_PASSWORD`` and the ``DATABASE_URL`` that repeats it: one value to move out)."""
    groups: dict[tuple[Path, str], list[Violation]] = {}
    for value, violation in found:
        groups.setdefault((violation.location.path, value), []).append(violation)
    for violations in groups.values():
        first = violations[0]
        # the services that `extends` one template share its line: the value is written once there
        others = list({other.location: other for other in violations[1:] if other.location != first.location}.values())
        if others:
            lines = ", ".join(str(other.location.line) for other in others)
            first = replaced(first, message=f"{first.message} (the same value on line{'s' if len(others) > 1 else ''} "
                                            f"{lines})")
        yield first


def _internal_passwords(project: Project) -> set[str]:
    """The literal passwords of an install recipe's databases that publish no port: a service that connects to
    them with the same password (``DATABASE_PASSWORD``, a ``DATABASE_URL``) reveals nothing the recipe hides."""
    return {entry.raw.strip().strip("\"'") for service in project.services if internal_database(service)
            for name, entry in service.environment.items()
            if secret_name(name) and name not in PASSWORD_SWITCHES and entry.raw and "$" not in entry.raw}


def _harmless(value: str, internal: set[str]) -> bool:
    """Whether a secret's literal value is no secret to report: it says it is a placeholder or for development
    (:func:`placeholder`), or it is the password of an install recipe's database only its stack reaches."""
    return placeholder(value) or value.strip().strip("\"'") in internal


LOCATOR = re.compile(r"(?:[a-z][a-z0-9+.-]*://|/|\./)\S*", re.I)
"""A URL or a path as the whole value (``OIDC_OP_TOKEN_ENDPOINT: https://idp/token``): where a secret is, not one."""


def _explained(project: Project, location: Location) -> bool:
    """Whether the line of a value carries a comment after it (``# your initial credentials``): in an install
    recipe, the value is a placeholder whose comment tells the installer what to put there."""
    lines = _lines(project, location.path)
    line = lines[location.line - 1] if 0 < location.line <= len(lines) else ""
    return re.search(r"\s#\s*\S", line) is not None


DEVELOPMENT_NOTE = re.compile(r"\b(?:fine|ok|only|just|meant)\s+for\s+(?:local\s+)?dev(?:elopment)?\b"
                              r"|\bchange\b[^\n]{0,30}\b(?:for|in|before)\s+production\b"
                              r"|\b(?:local\s+)?development\s+only\b|\bnot\s+for\s+production\b", re.I)
"""A comment saying the values beside it are for development and are changed for production."""
MAX_NOTE_DISTANCE = 4


def _said_to_be_for_development(project: Project, location: Location) -> bool:
    """Whether a comment on the value's line or a few lines above says it is for development and changed for
    production (``# CHANGE THESE VALUES for production, but fine for local dev``): the author chose it knowingly."""
    lines = _lines(project, location.path)
    start = max(0, location.line - 1 - MAX_NOTE_DISTANCE)
    for line in lines[start:location.line]:
        _, hash_, comment = line.partition("#")
        if hash_ and DEVELOPMENT_NOTE.search(comment):
            return True
    return False


def _lines(project: Project, path: Path) -> list[str]:
    """The lines of a compose file, split once for all its values."""
    return project.parsed("lines", path, lambda _, text: text.splitlines()) or []


def _without_references(value: str) -> str:
    """The literal part of a value, once Compose's ``$NAME`` references are taken out (``$$`` is a literal ``$``)."""
    return REFERENCE.sub("", value.replace("$$", "\x00"))


REFERENCE = re.compile(r"\$[A-Za-z_]\w*")
MIN_LITERAL = 8
"""How long the literal part of a value with ``$`` in it must be to be a secret written in the file: a random key
that happens to hold ``$r`` (``django-insecure-...o7u$r$@s$1...``), not ``$DB_PASSWORD`` or ``pg_$ENV``."""


def _locator(value: str) -> bool:
    """Whether a value is a URL or a path (a URL with a password in it is reported as such)."""
    return LOCATOR.fullmatch(value.strip().strip("\"'")) is not None



LITERAL_DEFAULT = re.compile(r"\$\{(\w+):?-([^}$]*)\}")
"""``${VAR:-literal}`` (or ``${VAR-literal}``) as the whole value: the literal is used whenever VAR is unset."""
