"""DJC221 undefined-service: A service depends on a service the stack does not define."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import keys_in_the_folders, near_name
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

DEPENDS_ON_PG_DB = """\
services:
  web:
    build: .
    command: gunicorn app.wsgi --bind 0.0.0.0:8000
    depends_on:
      - pg-db
  pg_db:
    image: postgres:16
"""
"""A web service waiting for ``pg-db`` in a stack whose database is ``pg_db``."""

@rule("DJC221", "undefined-service", Severity.ERROR, examples=[
    Example("depends-on-a-misspelt-service", {"compose.yaml": DEPENDS_ON_PG_DB, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                                              "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
    # `required: false` spares a service that a profile leaves out, not one that is nowhere.
    Example("optional-dependency-that-is-nowhere", {
        "compose.yaml": DEPENDS_ON_PG_DB.replace("      - pg-db\n", "      pg-db:\n        condition: service_started\n"
                                                                   "        required: false\n"),
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
    Example("volumes-from-a-service-that-is-nowhere", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes_from:\n      - static\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("dependency-defined", {"compose.yaml": DEPENDS_ON_PG_DB.replace("pg-db", "pg_db"),
                                   "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # The override adds the web service's dependency; the base file defines it.
    Example("dependency-the-base-file-defines", {
        "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
        "docker-compose.override.yml": "services:\n  web:\n    build: .\n    depends_on:\n      - db\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # Another compose file of the folder defines it: run together with it (`-f compose.yaml -f compose.db.yaml`).
    Example("dependency-another-file-of-the-folder-defines", {
        "compose.yaml": DEPENDS_ON_PG_DB, "compose.db.yaml": "services:\n  pg-db:\n    image: postgres:16\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # A compose file beside it that builds the same web service is another setup of the app, run instead of this
    # one: its database serves the development stack, not this one.
    Example("dependency-only-another-setup-defines", {
        "docker-compose.yml": DEPENDS_ON_PG_DB.replace("pg_db:", "cache:").replace("postgres:16", "redis:7"),
        "docker-compose.local.yml": DEPENDS_ON_PG_DB.replace("pg_db", "pg-db"),
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("docker-compose.yml", 6),)),
    # A service of a profile: the project starts without it, and refuses to once the profile is enabled.
    Example("dependency-of-a-profiles-service", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n  backup:\n    image: postgres:16\n"
                        "    depends_on:\n      - dev_db\n    profiles:\n      - backup\n"},
        expect=(("compose.yaml", 7),)),
    Example("container-volumes", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes_from:\n      - container:legacy-data:ro\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
])
def undefined_service(project: Project) -> Iterator[Violation]:
    """A service depends on a service the stack does not define.

    ## What it does
    Reports a name in a service's `depends_on:`, `links:` or `volumes_from:` that no
    service of the stack has (its files merged, `include:` and `extends` followed), nor
    any other compose file of its folder or the folders above it (run beside it with
    `-f`, or including it) but one that builds a service of this stack itself: that is
    another setup of the app (`docker-compose.local.yml` beside `docker-compose.yml`),
    run instead of it.
    Not a name written with a variable, nor `volumes_from: container:<name>` (a container
    outside the stack). For a service of a profile the message says so: Compose checks it only
    once the profile is enabled (`docker compose --profile backup up`).

    ## Why is this bad?
    Compose validates the whole project before it starts anything: `docker compose up`
    stops with `service "web" depends on undefined service "pg-db": invalid compose
    project`, on every machine, for every service. `required: false` does not help: it
    spares a dependency that a profile leaves out, not one that is nowhere. The usual
    cause is a renamed or misspelt service (`pg-db` for `pg_db`).

    ## Example
    ```yaml
    services:
      web:
        depends_on:
          - pg-db
      pg_db:
        image: postgres:16
    ```
    Use instead:
    ```yaml
    services:
      web:
        depends_on:
          - pg_db
      pg_db:
        image: postgres:16
    ```

    ## References
    - [Compose: depends_on](https://docs.docker.com/reference/compose-file/services/#depends_on)
    - [Compose: volumes_from](https://docs.docker.com/reference/compose-file/services/#volumes_from)
    """
    stack = project.stack
    if stack is None:
        return
    defined = set(stack.services)
    elsewhere: set[str] | None = None
    for service in project.services:
        for name, location in _named_services(service):
            if name in defined or "$" in name:
                continue
            if elsewhere is None:
                elsewhere = keys_in_the_folders(project)
            if name in elsewhere:
                continue
            when = (f" with profile {' or '.join(service.profiles)} enabled" if service.profiles else "")
            yield Violation(location, f"service {service.name} needs service {name}, which no compose file run with it "
                                      f"defines: Compose refuses to start the project{when} "
                                      f"(\"depends on undefined service\")"
                                      + near_name(name, defined))


def _named_services(service: Service) -> Iterator[tuple[str, Location]]:
    """The services a service names in ``depends_on``, ``links`` and ``volumes_from``, each with where."""
    for name, dependency in service.depends_on.items():
        yield name, dependency.location
    for found in (service.links, service.volumes_from):
        if found is None:
            continue
        for entry in found.value:
            named = entry.split(":", 1)[0]
            if named != "container":
                yield named, found.location
