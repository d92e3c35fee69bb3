"""DJC212 links-deprecated: A service uses `links:`."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._ci_workflows import deployed_with_ecs_cli
from djlint_docker.rules.compose._stack import once_per_line
from djlint_docker.rules.snippets import MANAGE, PRODUCTION_COMPOSE, REQUIREMENTS_DOCKERFILE


@rule("DJC212", "links-deprecated", Severity.INFO, default=False, examples=[
    Example("links", {"compose.yaml": "services:\n  web:\n    image: app:1.0\n    links:\n      - db\n"
                                      "    depends_on:\n      - db\n  db:\n    image: postgres:16\n"
                                      "    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n"},
            expect=(("compose.yaml", 4),)),
    # nginx proxies to "search", the alias the link gives the opensearch service.
    Example("aliased-link", {"compose.yaml": "services:\n  nginx:\n    image: nginx:1.27\n    links:\n"
                                              "      - \"opensearch:search\"\n  opensearch:\n"
                                              "    image: opensearchproject/opensearch:2.15.0\n"},
            expect=(("compose.yaml", 4),)),
    Example("default-bridge-network", {"compose.yaml": "services:\n  web:\n    build: .\n    network_mode: bridge\n"
                                                    "    links:\n      - db\n  db:\n    image: postgres:16\n"
                                                    "    network_mode: bridge\n"}),
    Example("deployed-with-ecs-cli", {
        "staging.yml": "services:\n  web:\n    image: 1234.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4\n    links:\n"
                       "      - redis\n  redis:\n    image: redis:7.2\n",
        "README.md": "# Deploy\n\n```\necs-cli compose --file staging.yml service up --cluster-config shop\n```\n"}),
    Example("no-links", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                         "manage.py": MANAGE}),
])
def links_deprecated(project: Project) -> Iterator[Violation]:
    """A service uses `links:`.

    ## What it does
    Reports the `links:` key of a service; not in a file of the version 1 format (its
    services at the top level, which DJC001 reports), nor on a service with a
    `network_mode:` of its own (`bridge`, Docker's default bridge network, which has no
    name resolution), nor in a file that the documentation, a launch script or a CI
    pipeline deploys with `ecs-cli compose` (Amazon ECS on EC2, whose bridge network has
    none either): there links are how services find each other.

    The rule is opt-in (select `DJC212`): Compose still runs `links:` on every network,
    where it only repeats the name resolution the default network gives, and reviewers
    of real projects judged every finding of it noise or false.

    ## Why is this bad?
    `links` is a legacy feature: on the default network every service already reaches
    every other by its name. Start-up order belongs in `depends_on:`. A link that gives
    an alias (`opensearch:search`) is replaced by a network alias on the linked service
    (`networks: {default: {aliases: [search]}}`), which the message names: dropping the
    link alone would leave the alias unresolved.

    ## Example
    ```yaml
    links:
      - db
    ```
    Use instead:
    ```yaml
    depends_on:
      - db
    ```

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (`links: - "database_default"`)
    - [Compose: links](https://docs.docker.com/reference/compose-file/services/#links)
    """
    yield from once_per_line(_violations(project))


def _violations(project: Project) -> Iterator[tuple[str, Violation]]:
    """What the rule reports, with the service each finding is about."""
    stack = project.stack
    for service in project.services:
        if service.links is None or (stack is not None and service.links.location.path in stack.version_1_files) \
                or (service.network_mode is not None and service.network_mode.value not in {"", "default"}) \
                or deployed_with_ecs_cli(project, service.links.location.path):
            continue  # no links, or a version 1 file or Docker's default bridge (`network_mode: bridge`, ECS on EC2),
            # which have no network that resolves service names: links are how services meet
        aliases = [(target, alias) for target, _, alias in (entry.partition(":") for entry in service.links.value)
                   if alias and alias != target]
        advice = "services reach each other by name, use depends_on for start-up order"
        if aliases:
            advice = "use depends_on for start-up order and a network alias for " + ", ".join(
                f"{alias} (on {target}: networks: {{default: {{aliases: [{alias}]}}}})" for target, alias in aliases)
        yield service.name, Violation(service.links.location, f"service {service.name}: `links` is legacy; {advice}")
