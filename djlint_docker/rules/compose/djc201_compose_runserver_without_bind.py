"""DJC201 compose-runserver-without-bind: A service's `command:` runs `runserver` on the container's loopback."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.shell import runserver
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import once_per_line
from djlint_docker.rules.dockerfile._runserver import bind_all_fix
from djlint_docker.rules.snippets import MANAGE, PYTHON_ENV_BASE, REQUIREMENTS_DOCKERFILE, TUTORIAL_COMPOSE


@rule("DJC201", "compose-runserver-without-bind", Severity.ERROR, fix="safe", examples=[
    Example("bare-runserver", {"compose.yaml": "services:\n  web:\n    build: .\n"
                                               "    command: python manage.py runserver\n"
                                               "    ports:\n      - \"8000:8000\"\n",
                               "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml",
                                                                                                     4),)),
    Example("list-form-port-only", {
        "compose.yaml": "services:\n  web:\n    image: python:3.12\n"
                        "    command: [\"python\", \"manage.py\", \"runserver\", \"8000\"]\n",
        "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("sh-c-chain", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: >\n      sh -c \"python manage.py migrate &&\n"
                        "             python manage.py runserver localhost:8000\"\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("tutorial-binds-all", {"compose.yaml": TUTORIAL_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                                   "manage.py": MANAGE}),
    Example("interpolated-address", {
        "compose.yaml": "services:\n  web:\n    build: .\n"
                        "    command: python manage.py runserver 0.0.0.0:${PORT:-8000}\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # An empty variable leaves `0.0.0.0:`: Django refuses the address rather than binding the loopback.
    Example("address-of-an-empty-variable", {
        "compose.yaml": "services:\n  web:\n    build: .\n"
                        "    command: python manage.py runserver 0.0.0.0:${DJANGO_PORT}\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # The ENTRYPOINT script never reads its arguments (its `exec "$@"` is commented out): the command never runs,
    # which DJC411 reports on the script.
    Example("command-an-entrypoint-ignores", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 127.0.0.1:8000\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "ENTRYPOINT [\"bash\", \"/app/entrypoint.sh\"]\n",
        "entrypoint.sh": "set -e\npython manage.py migrate --no-input\n"
                         "exec gunicorn app.wsgi:application --bind 0.0.0.0:8000\n#exec \"$@\"\n",
        "manage.py": MANAGE}),
    Example("plain-string-crlf",
            {"compose.yaml": "services:\r\n  web:\r\n    build: .\r\n    # local development\r\n"
                             "    command: python manage.py runserver   # reloads\r\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 5),),
            fixed={"compose.yaml": "services:\r\n  web:\r\n    build: .\r\n    # local development\r\n"
                                   "    command: python manage.py runserver 0.0.0.0:8000   # reloads\r\n"}),
    Example("flow-list-single-quotes",
            {"compose.yaml": "services:\n  web:\n    build: .\n"
                             "    command: ['python', 'manage.py', 'runserver', 'localhost:8080']\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 4),),
            fixed={"compose.yaml": "services:\n  web:\n    build: .\n"
                                   "    command: ['python', 'manage.py', 'runserver', '0.0.0.0:8080']\n"}),
    Example("block-list",
            {"compose.yaml": "services:\n  web:\n    build: .\n    command:\n      - python\n      - manage.py\n"
                             "      - runserver\n    ports: [\"8000:8000\"]\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 4),),
            fixed={"compose.yaml": "services:\n  web:\n    build: .\n    command:\n      - python\n      - manage.py\n"
                                   "      - runserver\n      - \"0.0.0.0:8000\"\n    ports: [\"8000:8000\"]\n"}),
    Example("sh-c-folded",
            {"compose.yaml": "services:\n  web:\n    build: .\n    command: >\n"
                             "      sh -c \"python manage.py migrate &&\n"
                             "             python manage.py runserver\"\n",
             "Dockerfile": PYTHON_ENV_BASE, "manage.py": MANAGE},
            expect=(("compose.yaml", 4),),
            fixed={"compose.yaml": "services:\n  web:\n    build: .\n    command: >\n"
                                   "      sh -c \"python manage.py migrate &&\n"
                                   "             python manage.py runserver 0.0.0.0:8000\"\n"}),
])
def compose_runserver_without_bind(project: Project) -> Iterator[Violation]:
    """A service's `command:` runs `runserver` on the container's loopback.

    ## What it does
    Checks each service's `command:` and `entrypoint:` (string or list, `sh -c "…"`
    chains included) for `manage.py runserver` without an address that binds every
    interface (`0.0.0.0:PORT`, `0:PORT`, `[::]:PORT`). A `command:` the image's ENTRYPOINT
    script never runs (it never reads its arguments) is left to DJC411.

    ## Why is this bad?
    Django then listens on 127.0.0.1 inside the container; the published port reaches
    the container's network interface where nothing listens, and the page does not load.

    ## Example
    ```yaml
    command: python manage.py runserver
    ```
    Use instead:
    ```yaml
    command: python manage.py runserver 0.0.0.0:8000
    ```

    ## Fix safety
    Safe: `0.0.0.0` is added and the port kept.

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`runserver 0.0.0.0:8000` in the compose file)
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
    - [Docker: publishing ports](https://docs.docker.com/get-started/docker-concepts/running-containers/publishing-ports/)
      (0.0.0.0 makes the server reachable through the port mapping)
    """
    yield from once_per_line(_violations(project))


def _violations(project: Project) -> Iterator[tuple[str, Violation]]:
    """What the rule reports, with the service each finding is about."""
    for start in project.start_commands:
        if start.service is None or project.command_ignored(start.service, start.build):
            continue  # an image's own command is DJC101's; a command its ENTRYPOINT never runs is DJC411's
        for command in start.commands:
            server = runserver(command)
            if server is not None and server.loopback_only:
                name = start.service.name
                yield name, Violation(start.location, f"service {name}: `runserver` binds {server.shown()}, the "
                                                      f"container's loopback only; bind {server.suggested()}",
                                      fix=bind_all_fix(project, start.location, server))
