"""DJC222 undefined-volume: A service mounts a named volume the stack does not declare."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import keys_in_the_folders, near_name, once_per_line
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

VOLUME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""What Docker accepts as a volume's name: a source written otherwise is no named volume."""
STATIC_VOLUME = """\
services:
  web:
    build: .
    command: gunicorn app.wsgi --bind 0.0.0.0:8000
    volumes:
      - static_volume:/app/static
  nginx:
    image: nginx:1.27
    volumes:
      - static-volume:/usr/share/nginx/static:ro
volumes:
  static_volume:
"""
"""nginx mounts ``static-volume`` where the stack declares ``static_volume``."""


@rule("DJC222", "undefined-volume", Severity.ERROR, examples=[
    Example("misspelt-named-volume", {"compose.yaml": STATIC_VOLUME, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                                      "manage.py": MANAGE}, expect=(("compose.yaml", 10),)),
    Example("declared-named-volume", {"compose.yaml": STATIC_VOLUME.replace("static-volume", "static_volume"),
                                      "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # The override's service mounts a volume its base file declares: the two run as one stack.
    Example("volume-the-base-file-declares", {
        "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                              "      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n",
        "docker-compose.override.yml": "services:\n  backup:\n    image: postgres:16\n    volumes:\n"
                                       "      - pg:/data:ro\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("bind-mounts-and-anonymous-volumes", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n      - /app/node_modules\n"
                        "      - ${DATA_DIR:-./data}:/data\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
])
def undefined_volume(project: Project) -> Iterator[Violation]:
    """A service mounts a named volume the stack does not declare.

    ## What it does
    Reports a service's `volumes:` entry whose source is a name (`static-volume:/static`,
    not a path, which is a bind mount) that the top-level `volumes:` of no file of the
    stack declares (its files merged, `include:` followed), nor any other compose file of
    its folder or the folders above it (run beside it with `-f`, or including it). Not a
    name written with a variable or a placeholder (`<repo/path>`), nor a file in the
    version 1 format, which had no top-level `volumes:`.

    ## Why is this bad?
    Compose validates the whole project before it starts anything: `docker compose up`
    stops with `service "nginx" refers to undefined volume static-volume: invalid compose
    project`. The usual cause is a misspelt or renamed volume; a volume written only
    once would otherwise silently be another, empty one.

    ## Example
    ```yaml
    services:
      nginx:
        volumes:
          - static-volume:/usr/share/nginx/static
    volumes:
      static_volume:
    ```
    Use instead: name the declared volume (`static_volume`), or declare the one it mounts.

    ## References
    - [Compose: volumes (top-level element)](https://docs.docker.com/reference/compose-file/volumes/)
    - [Compose: services, volumes](https://docs.docker.com/reference/compose-file/services/#volumes)
    """
    yield from once_per_line(_violations(project))


def _violations(project: Project) -> Iterator[tuple[str, Violation]]:
    """What the rule reports, with the service each finding is about (a mount an anchor shares: once)."""
    stack = project.stack
    if stack is None or stack.version_1_files:
        return
    elsewhere: set[str] | None = None
    for service in project.services:
        for mount in service.volumes:
            name = mount.source
            if mount.type != "volume" or not name or not VOLUME_NAME.fullmatch(name) or name in stack.volumes:
                continue  # a bind mount, a variable, a placeholder (`<repo/path>`), or declared
            if elsewhere is None:
                elsewhere = keys_in_the_folders(project)
            if name in elsewhere:
                continue
            yield service.name, Violation(mount.location, f"service {service.name} mounts the named volume {name}, "
                                                          f"which the top-level `volumes:` does not declare: Compose "
                                                          f"refuses to start the project (\"refers to undefined "
                                                          f"volume\")" + near_name(name, stack.volumes))

