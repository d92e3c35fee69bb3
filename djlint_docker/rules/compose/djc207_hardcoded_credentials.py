"""DJC207 hardcoded-credentials: A password or secret is written into the compose file."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._secrets import secret_name
from djlint_docker.rules.snippets import MANAGE, PRODUCTION_COMPOSE, REQUIREMENTS_DOCKERFILE, TUTORIAL_COMPOSE


@rule("DJC207", "hardcoded-credentials", Severity.WARNING, examples=[
    Example("tutorial", {"compose.yaml": TUTORIAL_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
            expect=(("compose.yaml", 9),)),
    Example("password-in-url", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    environment:\n"
                        "      DATABASE_URL: postgres://app:s3cret@db:5432/app\n      SECRET_KEY: abc123\n"},
        expect=(("compose.yaml", 5), ("compose.yaml", 6))),
    Example("interpolated", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                             "manage.py": MANAGE}),
    Example("file-and-empty", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n      REDIS_PASSWORD: \"\"\n"
                        "      API_TOKEN:\n"}),
])
def hardcoded_credentials(project: Project) -> Iterator[Violation]:
    """A password or secret is written into the compose file.

    ## What it does
    Reports `environment:` entries whose name says secret (`*PASSWORD*`, `*SECRET*`,
    `*TOKEN*`, `*API_KEY*`) with a literal value, and URLs with a literal password
    (`postgres://user:password@db/app`). `${VAR}` references, `*_FILE` paths and empty
    values are fine.

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
    for service in project.services:
        for name, entry in service.environment.items():
            raw = entry.raw or ""
            if not raw or "$" in raw:
                continue
            if secret_name(name):
                yield Violation(entry.location, f"service {service.name}: {name} is a literal in the compose file; "
                                                f"use ${{{name}}} from an uncommitted .env, an env_file or a secret")
            elif "://" in raw:
                try:
                    password = urlsplit(raw).password
                except ValueError:
                    continue
                if password:
                    yield Violation(entry.location, f"service {service.name}: {name} carries a literal password; "
                                                    f"interpolate it from ${{VAR}}")

