"""DJC213 port-mismatch: the published container port is not the port the server listens on."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.parse.dockerfile import Dockerfile, Instruction
from djlint_docker.parse.servers import Server
from djlint_docker.parse.shell import program
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import once_per_line
from djlint_docker.rules.snippets import APP_DOCKERFILE, GUNICORN_DOCKERFILE, MANAGE


@rule("DJC213", "port-mismatch", Severity.ERROR, cross=True, examples=[
    Example("published-other-port", {
        "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"8000:8080\"\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 5),)),
    Example("runserver-default-port", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8080\n"
                        "    ports:\n      - 8000:8000\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 6),)),
    Example("nginx-in-front-of-gunicorn-in-one-container", {
        "Dockerfile": GUNICORN_DOCKERFILE.replace("COPY . .\n", "COPY . .\nEXPOSE 80\n").replace(
            "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]", "CMD [\"/app/start.sh\"]"),
        "start.sh": "#!/bin/sh\n/usr/sbin/nginx\nexec gunicorn app.wsgi -b 127.0.0.1:8000\n", "manage.py": MANAGE}),
    Example("service-publishes-the-port-of-the-nginx-its-image-starts", {
        "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"8080:80\"\n",
        "Dockerfile": GUNICORN_DOCKERFILE.replace(
            "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]", "CMD [\"/app/start.sh\"]"),
        "start.sh": "#!/bin/sh\nnginx\nexec gunicorn app.wsgi -b 127.0.0.1:8000\n", "manage.py": MANAGE}),
    Example("expose-disagrees", {"Dockerfile": GUNICORN_DOCKERFILE.replace("COPY . .\n", "COPY . .\nEXPOSE 5000\n"),
                                 "manage.py": MANAGE}, expect=(("Dockerfile", 5),)),
    Example("matching", {
        "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"127.0.0.1:8001:8000\"\n"
                        "      - 5678:5678\n",
        "Dockerfile": GUNICORN_DOCKERFILE.replace("COPY . .\n", "COPY . .\nEXPOSE 8000\n"), "manage.py": MANAGE}),
    Example("flower-on-its-own-port-beside-a-gunicorn-image", {
        "compose.yaml": "services:\n  flower:\n    build: .\n    command: celery -A app flower --port=5566\n"
                        "    ports:\n      - 5555:5555\n",
        "Dockerfile": GUNICORN_DOCKERFILE.replace("COPY . .\n", "COPY . .\nEXPOSE 8000\n"), "manage.py": MANAGE},
        expect=(("compose.yaml", 6),)),
    Example("flower-default-port-and-a-worker", {
        "compose.yaml": "services:\n  flower:\n    build: .\n"
                        "    command: bash -c \"source .venv/bin/activate && celery -A app flower\"\n"
                        "    ports:\n      - 5555:5555\n  worker:\n    build: .\n    command: celery -A app worker\n"
                        "    ports:\n      - 5678:5678\n",
        "Dockerfile": GUNICORN_DOCKERFILE.replace("COPY . .\n", "COPY . .\nEXPOSE 8000\n"), "manage.py": MANAGE}),
    # The image moves its start script to `/flower` with `RUN mv`: the port it gives Flower is not known.
    Example("flower-start-script-moved-into-place", {
        "compose.yaml": "services:\n  flower:\n    build: .\n    command: /flower\n    ports:\n      - 5001:5001\n",
        "Dockerfile": GUNICORN_DOCKERFILE.replace("COPY . .\n", "COPY . .\nRUN mv /app/deploy/flower /\n"),
        "deploy/flower": "#!/bin/bash\nset -o errexit\ncelery -A app flower --port=5001\n"}),
    Example("flower-start-script-under-a-file-watcher", {
        "compose.yaml": "services:\n  flower:\n    build: .\n    command: /start-flower\n"
                        "    ports:\n      - 5556:5556\n",
        "Dockerfile": GUNICORN_DOCKERFILE.replace("COPY . .\n", "COPY . .\nCOPY start-flower /start-flower\n"),
        "start-flower": "#!/bin/bash\nexec watchfiles --filter python celery.__main__.main \\\n"
                        "    --args \"-A app flower --port=5556\"\n",
        "manage.py": MANAGE}),
    Example("flower-start-script-under-a-file-watcher-published-wrong", {
        "compose.yaml": "services:\n  flower:\n    build: .\n    command: /start-flower\n"
                        "    ports:\n      - 5555:5555\n",
        "Dockerfile": GUNICORN_DOCKERFILE.replace("COPY . .\n", "COPY . .\nCOPY start-flower /start-flower\n"),
        "start-flower": "#!/bin/bash\nexec watchfiles --filter python celery.__main__.main \\\n"
                        "    --args \"-A app flower --port=5556\"\n",
        "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
    Example("debugger-port-alone", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    expose:\n      - 8000\n    ports:\n      - 5678:5678\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
    Example("port-from-variable", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:$$PORT app.wsgi\n"
                        "    ports:\n      - 80:5000\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
])
def port_mismatch(project: Project) -> Iterator[Violation]:
    """The published container port is not the port the server listens on.

    ## What it does
    Reads the port the service's server binds (`runserver 0.0.0.0:PORT`, gunicorn and
    hypercorn `--bind`, uvicorn and daphne `--port` or their default 8000, uwsgi
    `--http`), from the service's `command:` or else the image's CMD/ENTRYPOINT and
    the script it runs. Reports `ports:` when no published container port is that
    port, and an `EXPOSE` that names none of the server's ports. When the server's port
    is unknown and the service runs the image's own start, the published ports are
    compared with `EXPOSE`; a service with its own command (a Celery worker, a task)
    is not. Celery's Flower listens on `--port` (5555 by default); a start script named
    `flower` that djcheck cannot read (`command: /flower`, moved there by a `RUN mv`)
    gives it a port djcheck does not know. A port from a
    variable or a config file is unknown and not compared. An image that starts a proxy
    beside its server (nginx, Caddy, supervisord) exposes the proxy's port, and a service
    that runs its start publishes it. Port 5678,
    where debugpy listens for the editor, is a debugger's, not the server's.

    ## Why is this bad?
    Compose forwards the host port to a container port where nothing listens: the
    browser gets "connection reset" and the logs show a healthy server.

    ## Example
    ```yaml
    ports:
      - "8000:8080"
    ```
    with `gunicorn --bind 0.0.0.0:8000`. Use instead:
    ```yaml
    ports:
      - "8000:8000"
    ```

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (the port gunicorn binds and the port mapping agree)
    - [Dockerfile reference: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose)
      (`EXPOSE 8000` matches the server's port)
    """
    for build, dockerfile in project.dockerfiles:
        exposed = _exposed(dockerfile)
        ports = {s.port for s, _ in project.image_servers(build) if s.port}
        if ports and exposed and not ports & {port for port, _ in exposed} \
                and not _serves_through_a_proxy(project, build):
            port, instruction = exposed[0]
            listens = ", ".join(sorted(ports, key=_number))
            yield Violation(dockerfile.at(instruction), f"EXPOSE {port}, but the server listens on {listens}; "
                                                        f"expose the server's port")
    found: list[tuple[str, Violation]] = []
    for service in project.services:
        targets = {p.target for p in service.ports if p.protocol == "tcp"} - DEBUGGER_PORTS
        if not targets or not project.runs_django(service):
            continue
        service_build = project.build_for(service)
        servers = project.servers(service, service_build)
        flower = _flower_port(project, service, service_build)
        if flower is not None:
            servers = [*servers, Server("flower", None, flower or None)]
        own_command = service.command is not None or service.entrypoint is not None
        listening = {s.port for s in servers if s.port}
        proxied = not own_command and service_build is not None and _serves_through_a_proxy(project, service_build)
        if servers and len(listening) == len(servers) and not targets & listening and not proxied:
            names = ", ".join(sorted({s.program for s in servers}))
            lowest = min(listening, key=_number)
            found.append((service.name, Violation(
                service.ports[0].location,
                f"service {service.name} publishes container port {', '.join(sorted(targets, key=_number))}, but "
                f"{names} listens on {', '.join(sorted(listening, key=_number))}; publish "
                f"\"{service.ports[0].published or lowest}:{lowest}\"")))
        elif not servers and not own_command and service_build is not None and service_build.dockerfile is not None:
            # The image's own start: its EXPOSE says where it listens. A service's own command (a celery worker,
            # a task) does not start the image's server.
            exposed_ports = {port for port, _ in _exposed(service_build.dockerfile)}
            if exposed_ports and not targets & exposed_ports:
                found.append((service.name, Violation(
                    service.ports[0].location,
                    f"service {service.name} publishes container port {', '.join(sorted(targets, key=_number))}, "
                    f"but the image exposes {', '.join(sorted(exposed_ports, key=_number))}; publish the exposed "
                    f"port")))
    yield from once_per_line(found)


DEBUGGER_PORTS = frozenset({"5678"})
"""Where a debugger the code starts listens (debugpy's default, VS Code's attach configuration): not the server."""

PROXIES = frozenset({"nginx", "caddy", "apache2", "apache2ctl", "httpd", "haproxy", "traefik", "supervisord"})
"""Programs that listen in front of the application server in the same container (or start those that do)."""


def _serves_through_a_proxy(project: Project, build: ImageBuild) -> bool:
    """Whether the image starts a proxy beside its server (``/usr/sbin/nginx`` in its start script): the port it
    exposes is the proxy's."""
    commands = [command for start in project.start_commands if start.service is None and start.build is build
                for command in start.commands]
    commands += [command for script in project.scripts if script.build is build
                 for line in script.lines for command in line.commands]
    return any(program(command) in PROXIES for command in commands)


def _exposed(dockerfile: Dockerfile) -> list[tuple[str, Instruction]]:
    """The TCP ports the final image's ``EXPOSE`` instructions name, each with its instruction."""
    ports = []
    for stage in dockerfile.lineage(dockerfile.final):
        for instruction in stage.all("EXPOSE"):
            for word in instruction.words():
                port, _, protocol = word.partition("/")
                if port.isdigit() and protocol in {"", "tcp"}:
                    ports.append((port, instruction))
    return ports


def _number(port: str) -> tuple[int, str]:
    """A port in numeric order (10000 after 8000), a range or odd text after the numbers."""
    return (int(port), "") if port.isdigit() else (1 << 20, port)



def _flower_port(project: Project, service: Service, build: ImageBuild | None) -> str | None:
    """The port Celery's Flower listens on in the service (``--port=5566``, ``FLOWER_PORT``, else 5555): None when
    the service runs no Flower, "" when the port comes from a variable."""
    for run in project.container_commands(service, build):
        words = run.command.words
        if "flower" not in words[:8] and not (words and words[0].rsplit("/", 1)[-1] == "flower"):  # not /start-flower
            continue
        if words[0] != "flower" and words[0].endswith("/flower") and not words[0].endswith("/bin/flower"):
            return ""  # a script named so that djcheck could not read (`RUN mv deploy/flower /`): its port unknown
        for index, word in enumerate(words):
            if word.startswith("--port="):
                port = word.partition("=")[2]
                return port if port.isdigit() else ""
            if word == "--port" and index + 1 < len(words):
                return words[index + 1] if words[index + 1].isdigit() else ""
        variable = project.service_environment(service).get("FLOWER_PORT", "5555")
        return variable if variable is not None and variable.isdigit() else ""
    return None
