"""DJC204 compose-version-obsolete: The compose file has a top-level `version:`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.edits import delete_lines, line_start, line_text
from djlint_docker.findings import Fix, Severity, Violation
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._ci_workflows import deployed_as_swarm_stack, pins_compose_v1


@rule("DJC204", "compose-version-obsolete", Severity.INFO, fix="safe", default=False, examples=[
    Example("version-key", {"docker-compose.yml": "version: \"3.9\"\nservices:\n  web:\n    image: nginx:1.27\n"},
            expect=(("docker-compose.yml", 1),)),
    Example("no-version", {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n"}),
    Example("swarm-stack-file-the-pipeline-deploys", {
        "stack.yml": "version: \"3.8\"\nservices:\n  web:\n    image: ghcr.io/acme/shop:1.4\n    deploy:\n"
                     "      replicas: 2\n",
        ".github/workflows/deploy.yml": "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
                                        "      - run: docker stack deploy --with-registry-auth -c stack.yml shop\n"}),
    # The documentation deploys it as a Swarm stack, by hand.
    Example("swarm-stack-file-the-docs-deploy", {
        "compose/stack.yml": "version: \"3.8\"\nservices:\n  web:\n    image: ghcr.io/acme/shop:1.4\n"
                             "    deploy:\n      replicas: 2\n",
        "docs/swarm.rst": "Deploy\n======\n\n::\n\n    $ docker stack deploy -c compose/stack.yml shop\n"}),
    # The same workflow builds with Compose and deploys another file as a stack.
    Example("compose-file-the-pipeline-builds", {
        "compose.ci.yml": "version: \"3.8\"\nservices:\n  web:\n    build: .\n    image: ghcr.io/acme/shop:1.4\n",
        ".github/workflows/build.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
                                       "      - run: docker compose -f compose.ci.yml build\n"
                                       "      - run: docker stack deploy -c stack.yml shop\n"},
        expect=(("compose.ci.yml", 1),)),
    Example("compose-v1-the-pipeline-installs", {
        "docker-compose.yml": "version: \"3.4\"\nservices:\n  web:\n    build: .\n",
        ".gitlab-ci.yml": "test:\n  image: docker/compose:1.23.2\n  services:\n    - docker:dind\n"
                          "  script:\n    - docker-compose -f docker-compose.yml run web pytest\n"}),
    Example("compose-v2-the-pipeline-uses", {
        "docker-compose.yml": "version: \"3.4\"\nservices:\n  web:\n    build: .\n",
        ".gitlab-ci.yml": "test:\n  image: docker:27\n  services:\n    - docker:dind\n"
                          "  script:\n    - docker compose -f docker-compose.yml run web pytest\n"},
        expect=(("docker-compose.yml", 1),)),
    Example("placeholder-file-of-version-alone", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n",
        "dc.sh": "#!/bin/bash\ndocker-compose -f docker-compose.yml -f docker-compose.images.yml \"$@\"\n",
        "docker-compose.images.yml": "version: \"2\"\n#services:\n#  web:\n#    image: registry.example.com/web\n"}),
    Example("each-file-of-a-stack-a-launch-script-runs", {
        "docker/start.sh": "#!/bin/bash\ndocker compose -f docker-compose.mock-a.yml -f docker-compose.mock-b.yml up\n",
        "docker/docker-compose.mock-a.yml": "version: '3.8'\nservices:\n  mock-a:\n    image: wiremock/wiremock:3.9\n",
        "docker/docker-compose.mock-b.yml": "version: '3.8'\nservices:\n  mock-b:\n    image: wiremock/wiremock:3.9\n"},
        expect=(("docker/docker-compose.mock-a.yml", 1), ("docker/docker-compose.mock-b.yml", 1))),
    Example("version-line-only",
            {"docker-compose.yml": "# local stack\nversion: \"3.9\"   # old\n\nservices:\n  db:\n"
                                   "    image: postgres:16\n"},
            expect=(("docker-compose.yml", 2),),
            fixed={"docker-compose.yml": "# local stack\n\nservices:\n  db:\n    image: postgres:16\n"}),
    Example("first-line-takes-the-blank-line-after-it",
            {"compose.yaml": "version: '3.8'\r\n\r\nservices:\r\n  db:\r\n    image: postgres:16\r\n"},
            expect=(("compose.yaml", 1),),
            fixed={"compose.yaml": "services:\r\n  db:\r\n    image: postgres:16\r\n"}),
])
def compose_version_obsolete(project: Project) -> Iterator[Violation]:
    """The compose file has a top-level `version:`.

    ## What it does
    Reports the `version:` key of a compose file.

    A file a CI pipeline or the documentation (README, `docs/`) deploys with `docker stack
    deploy` is not reported: that is a Swarm stack file, which the Docker CLI reads with
    its own loader (before Docker 23 it refused a stack file without `version:`). Nor is
    any file of a project whose CI or launch scripts install Compose v1 (`image: docker/compose:1.23.2`, `pip install
    docker-compose`): v1 needs `version:`, and reads a file without it as the legacy format,
    whose top-level keys are services. A file that holds `version:` alone (its services
    written as comments, to fill in) is left as it is: without it the file is empty,
    which Compose refuses ("empty compose file") where the launch script passes it.

    ## Why is this bad?
    The Compose Specification ignores it, and Compose prints a warning on every run
    ("the attribute `version` is obsolete"). It suggests a schema that no longer exists.

    ## Example
    ```yaml
    version: "3.9"
    services:
    ```
    Use instead:
    ```yaml
    services:
    ```

    ## Fix safety
    Safe: Compose does not read the key.

    ## References
    - [Compose: version and name](https://docs.docker.com/reference/compose-file/version-and-name/)
    """
    if project.stack is None or pins_compose_v1(project):
        return  # CI installs Compose v1 (`docker/compose:1.23.2`): without `version:` it reads the legacy format
    for version in project.stack.versions:
        if deployed_as_swarm_stack(project, version.location.path):
            continue  # `docker stack deploy -c prod.yml`: the Docker CLI reads `version:`, and older ones require it
        text = project.text(version.location.path)
        if text is not None and {match.group(1) for match in TOP_LEVEL_KEY.finditer(text)} == {"version"}:
            continue  # all it holds, beside services written as comments: without it the file is empty, which
            # Compose refuses
        fix = _remove_version_fix(version.location, text) if text is not None else None
        yield Violation(version.location, f"`version: {version.value}` is obsolete: Compose ignores it and warns; "
                                          f"remove it", fix=fix)


TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:", re.M)


def _remove_version_fix(at: Location, text: str) -> Fix:
    """The ``version:`` line removed, with the blank line after it when nothing but a blank line is above it."""
    last = at.line
    if (at.line == 1 or not line_text(text, at.line - 1).strip()) and not line_text(text, at.line + 1).strip() \
            and line_start(text, at.line + 1) < len(text):
        last += 1
    return Fix("remove `version:`", (delete_lines(at.path, text, at.line, last),))
