"""DJC101 runserver-without-bind: the image starts `runserver` on the container's loopback interface."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.shell import Command, runserver
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._runserver import bind_all_fix
from djlint_docker.rules.snippets import MANAGE, PYTHON_ENV_BASE, WELL_BUILT_DOCKERFILE


@rule("DJC101", "runserver-without-bind", Severity.ERROR, fix="safe", examples=[
    Example("bare-runserver", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"manage.py\", \"runserver\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    # The entrypoint says what it starts, then starts it on every interface.
    Example("runserver-named-in-an-echo", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\necho Starting using manage.py runserver\n"
                         "exec python manage.py runserver 0.0.0.0:8000\n", "manage.py": MANAGE}),
    Example("port-only", {"Dockerfile": "FROM python:3.12-slim\nCMD python manage.py runserver 8000\n",
                          "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("localhost", {
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"runserver\", \"127.0.0.1:8000\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("entrypoint-script", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"./start.sh\"]\n",
        "start.sh": "#!/bin/sh\nset -e\npython manage.py migrate\nexec python manage.py runserver\n",
        "manage.py": MANAGE},
        expect=(("start.sh", 4),)),
    # Flask's and uvicorn's options: runserver refuses them (its address is one positional argument).
    Example("options-of-another-server", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"/app/start\"]\n",
        "start": "#!/bin/sh\nset -e\npython manage.py migrate\n"
                 "exec python manage.py runserver --host 0.0.0.0 --port=8000\n",
        "manage.py": MANAGE}, expect=(("start", 4),)),
    # Every container of the image shares the host's network: its loopback is the host's.
    Example("host-network", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY start.sh /start.sh\n",
        "start.sh": "#!/bin/sh\npython manage.py migrate\nexec python manage.py runserver 127.0.0.1:8000\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: /start.sh\n    network_mode: host\n"
                              "  worker:\n    build: .\n    command: python manage.py rundramatiq\n"
                              "    network_mode: host\n", "manage.py": MANAGE}),
    Example("host-network-for-one-service-only", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY start.sh /start.sh\n",
        "start.sh": "#!/bin/sh\npython manage.py migrate\nexec python manage.py runserver 127.0.0.1:8000\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: /start.sh\n    ports: [\"8000:8000\"]\n"
                              "  worker:\n    build: .\n    command: python manage.py rundramatiq\n"
                              "    network_mode: host\n", "manage.py": MANAGE}, expect=(("start.sh", 3),)),
    Example("all-interfaces", {
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "manage.py": MANAGE}),
    Example("ipv6-any", {"Dockerfile": "FROM python:3.12-slim\nCMD python manage.py runserver [::]:8000\n",
                         "manage.py": MANAGE}),
    Example("zero-shorthand-and-variable-port", {
        "Dockerfile": "FROM python:3.12-slim\nCMD python manage.py runserver 0:${PORT:-8000}\n", "manage.py": MANAGE}),
    Example("gunicorn", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("shell-form-keeps-comments", {
        "Dockerfile": PYTHON_ENV_BASE + "# start the dev server\nCMD python manage.py runserver  # dev only\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 4),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + "# start the dev server\n"
                             "CMD python manage.py runserver 0.0.0.0:8000  # dev only\n"}),
    Example("exec-form-without-address", {
        "Dockerfile": PYTHON_ENV_BASE + 'CMD ["python", "manage.py", "runserver"]\n', "manage.py": MANAGE},
        expect=(("Dockerfile", 3),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + 'CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n'}),
    Example("exec-form-port-kept", {
        "Dockerfile": PYTHON_ENV_BASE + 'CMD [ "python","manage.py","runserver","127.0.0.1:9000" ]\n',
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + 'CMD [ "python","manage.py","runserver","0.0.0.0:9000" ]\n'}),
    Example("entrypoint-script-port-kept", {
        "Dockerfile": PYTHON_ENV_BASE + 'COPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
        "start.sh": "#!/bin/sh\nset -e\npython manage.py migrate\nexec python manage.py runserver 8001 --noreload\n",
        "manage.py": MANAGE}, expect=(("start.sh", 4),),
        fixed={"start.sh": "#!/bin/sh\nset -e\npython manage.py migrate\n"
                           "exec python manage.py runserver 0.0.0.0:8001 --noreload\n"}),
])
def runserver_without_bind(project: Project) -> Iterator[Violation]:
    """The image starts `runserver` on the container's loopback interface.

    ## What it does
    Checks the `CMD`/`ENTRYPOINT` of the final stage, and the scripts they run, for
    `manage.py runserver` without an address that binds every interface
    (`0.0.0.0:PORT`, `0:PORT` or `[::]:PORT`), and for the options of other servers
    that runserver does not have (`--host 0.0.0.0 --port 8000`, Flask's and uvicorn's):
    Django refuses them and the container exits. An image every compose service runs with
    `network_mode: host` is not reported for the loopback: its loopback is the host's. Nor is
    the image's own command when the compose services that run it each replace it (`command:`,
    `entrypoint:`) and one of them is deployed, or the image is for development alone in a
    project deployed otherwise: no container runs it.

    ## Why is this bad?
    Without an address Django listens on 127.0.0.1:8000. Inside a container that is
    the container's own loopback: the port Docker publishes forwards to the
    container's network interface, where nothing listens, and the browser gets
    "connection reset".

    ## Example
    ```dockerfile
    CMD ["python", "manage.py", "runserver"]
    ```
    Use instead:
    ```dockerfile
    CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    ```

    ## Fix safety
    Safe: the fix adds `0.0.0.0` and keeps the port.

    ## References
    - [Docker: publishing ports](https://docs.docker.com/get-started/docker-concepts/running-containers/publishing-ports/)
      (binding 0.0.0.0 so the server is reachable through the published port)
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
    - [django-admin runserver](https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver)
    """
    for start in project.start_commands:
        if start.build is not None and start.instruction is not None and (
                project.own_command_replaced(start.build, start.instruction.keyword)
                or project.replaced_in_other_stacks(start.build, start.instruction.keyword)):
            continue  # the services that run the image each start their own command: the image's never runs
        if start.service is None and not _host_network(project, start.build):
            # Words after the array (DJC115) may be the address: moving them in comes first.
            fixable = start.instruction is None or not start.instruction.ignored
            yield from _loopback(project, start.commands, start.location, fixable)
    for script in project.scripts:
        if not _host_network(project, script.build):
            for line in script.lines:
                yield from _loopback(project, line.commands, Location(script.path, line.line))


def _host_network(project: Project, build: ImageBuild | None) -> bool:
    """Whether every service that runs the image shares the host's network (``network_mode: host``): the
    container's loopback is then the host's, where the browser reaches the server."""
    services = [service for service in project.services if service.name in build.services] if build else []
    return bool(services) and all(service.network_mode is not None and service.network_mode.value == "host"
                                  for service in services)


def _loopback(project: Project, commands: tuple[Command, ...], location: Location,
              fixable: bool = True) -> Iterator[Violation]:
    for command in commands:
        server = runserver(command)
        if server is not None and server.foreign:
            options = " or ".join(dict.fromkeys(server.foreign))
            yield Violation(location, f"`runserver` has no {options} option: Django stops with \"unrecognized "
                                      f"arguments\" and nothing listens; give the address as one argument, "
                                      f"`runserver 0.0.0.0:8000`")
        elif server is not None and server.loopback_only:
            yield Violation(location, f"`runserver` binds {server.shown()}, the container's loopback only; "
                                      f"bind {server.suggested()}",
                            fix=bind_all_fix(project, location, server) if fixable else None)
