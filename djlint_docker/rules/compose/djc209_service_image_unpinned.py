"""DJC209 service-image-unpinned: A service's `image:` is not pinned to a version."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import data_service, parse_image
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE, PRODUCTION_COMPOSE, REQUIREMENTS_DOCKERFILE, TUTORIAL_COMPOSE


@rule("DJC209", "service-image-unpinned", Severity.WARNING, examples=[
    Example("tutorial-postgres", {"compose.yaml": TUTORIAL_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                                  "manage.py": MANAGE},
            expect=(("compose.yaml", 3),)),
    Example("latest-and-variant-only", {
        "compose.yaml": "services:\n  cache:\n    image: redis:latest\n  db:\n    image: postgres:alpine\n"
                        "    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n"},
        expect=(("compose.yaml", 3), ("compose.yaml", 5))),
    Example("pinned", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("built-image-name", {"compose.yaml": "services:\n  web:\n    build: .\n    image: myorg/web\n",
                                 "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
])
def service_image_unpinned(project: Project) -> Iterator[Violation]:
    """A service's `image:` is not pinned to a version.

    ## What it does
    Reports `image:` without a tag or with `:latest`, and database images whose tag
    has no major version (`postgres:alpine`). Services that `build:` their image (the
    `image:` then names the result) and digests are fine.

    ## Why is this bad?
    `docker compose pull` silently moves to a new release. For a database that is a
    data-safety problem: a new major version cannot read the old data directory and
    the database does not start.

    ## Example
    ```yaml
    image: postgres
    ```
    Use instead:
    ```yaml
    image: postgres:16-alpine
    ```

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`image: postgres` without a tag)
    - [Docker Hub: postgres, PGDATA and major upgrades](https://hub.docker.com/_/postgres)
    """
    for service in project.services:
        if service.image is None or service.build is not None or not service.image.value:
            continue
        image = parse_image(service.image.value)
        if image.digest:
            continue
        known = data_service(service.image.value)
        if image.tag is None or image.tag == "latest":
            why = (f"a new {known.kind} major version cannot read the old data directory"
                   if known and known.persistent else "a pull may bring another version")
            shown = "no tag" if image.tag is None else "`:latest`"
            yield Violation(service.image.location, f"service {service.name}: image {service.image.value} has {shown}: "
                                                    f"{why}; pin a version")
        elif known and known.persistent and not re.match(r"\d", image.tag):
            yield Violation(service.image.location, f"service {service.name}: image {service.image.value} does not pin "
                                                    f"the {known.kind} major version; a new major cannot read the old "
                                                    f"data directory")

