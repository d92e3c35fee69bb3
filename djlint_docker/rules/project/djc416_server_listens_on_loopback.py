"""DJC416 server-listens-on-loopback: gunicorn, uvicorn, daphne or hypercorn listens on the container's loopback."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.servers import loopback_address, server
from djlint_docker.parse.shell import program
from djlint_docker.positions import Location
from djlint_docker.project import ContainerCommand, DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._python_env import inherited
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

GUNICORN_IMAGE = APP_DOCKERFILE + "RUN pip install --no-cache-dir django gunicorn\nUSER nobody\n"
"""An image that installs Django and gunicorn and starts nothing: add the CMD to check."""


@rule("DJC416", "server-listens-on-loopback", Severity.ERROR, examples=[
    Example("gunicorn-without-bind", {"Dockerfile": GUNICORN_IMAGE + "CMD [\"gunicorn\", \"app.wsgi\"]\n",
                                      "manage.py": MANAGE}, expect=(("Dockerfile", 7),)),
    Example("uvicorn-without-host", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: uvicorn app.asgi:application --port 8000\n"
                        "    ports:\n      - 8000:8000\n",
        "Dockerfile": GUNICORN_IMAGE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("gunicorn-bound-to-all-interfaces", {
        "Dockerfile": GUNICORN_IMAGE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}),
    # In a `>` block, the deeper-indented lines keep their line breaks: `--bind` is a command of its own.
    Example("options-cut-off-by-a-folded-block", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: >\n      sh -c \"python manage.py migrate &&\n"
                        "      gunicorn app.wsgi\n        --bind 0.0.0.0:8000\n        --workers 3\"\n",
        "Dockerfile": GUNICORN_IMAGE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    # gunicorn reads ./gunicorn.conf.py by itself, and binds 0.0.0.0:$PORT when PORT is set.
    Example("gunicorn-config-file-in-the-working-folder", {
        "Dockerfile": GUNICORN_IMAGE + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "gunicorn.conf.py": "bind = '0.0.0.0:8000'\nworkers = 3\n"}),
    Example("port-from-the-platform", {
        "Dockerfile": GUNICORN_IMAGE + "ENV PORT=8000\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    # The organisation's base image may set PORT or GUNICORN_CMD_ARGS for every project built on it.
    Example("organisation-base-image", {
        "Dockerfile": "FROM registry.example.com/acme/django-base:3.12\nCOPY . /app\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    # nginx in the same container proxies to the loopback: that is where the server should listen.
    Example("proxy-in-the-same-container", {
        "Dockerfile": GUNICORN_IMAGE + "COPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", "manage.py": MANAGE,
        "start.sh": "#!/bin/sh\nnginx\nexec gunicorn app.wsgi -b 127.0.0.1:8000\n"}),
])
def server_listens_on_loopback(project: Project) -> Iterator[Violation]:
    """gunicorn, uvicorn, daphne or hypercorn listens on the container's loopback.

    ## What it does
    Reads what each container that runs Django starts (the image's `CMD`/`ENTRYPOINT`, a
    compose `command:`, the scripts they run; and an image's own `CMD` that its services
    replace but that ships, as a deployed image) and reports an application server that listens
    on 127.0.0.1: given so (`-b 127.0.0.1:8000`, `--host localhost`) or by default, which is
    where gunicorn, uvicorn, daphne and hypercorn listen unless told otherwise (argparse
    takes an option by a prefix no other option shares: gunicorn's `--bin 0.0.0.0:8000` is
    `--bind`). Options a line break cuts off are not the server's: in a YAML `>` block the lines
    indented deeper than the first keep their line breaks, and in a script a line that does not end
    with `\\` ends the command, so `--bind 0.0.0.0:8000` on the next line runs as a command of its own.
    Not reported
    when something else may say where: a config file (`-c`, gunicorn's own
    `gunicorn.conf.py` in the build context, which it reads by itself), a socket or a file
    descriptor, a variable (`-b $HOST:8000`), `GUNICORN_CMD_ARGS` or `PORT` for gunicorn
    (it then binds `0.0.0.0:$PORT`) and `UVICORN_HOST` for uvicorn in the container's
    environment, or in that of a base image whose environment djcheck does not know (an
    organisation's `FROM registry.example.com/acme/django-base:3.12`, which may set `PORT`).
    Nor when the container also starts nginx, Caddy or another proxy, which
    reaches the server over the loopback on purpose.

    ## Why is this bad?
    Inside a container, 127.0.0.1 is the container's own: the published port and the other
    containers (nginx, a load balancer) reach the container's network interface, where
    nothing listens. The site answers "connection reset" while the logs say the server runs.
    It is the application server's form of DJC101's mistake.

    ## Example
    ```dockerfile
    CMD ["gunicorn", "myproject.wsgi"]
    ```
    Use instead:
    ```dockerfile
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "myproject.wsgi"]
    ```

    ## References
    - [gunicorn: bind](https://docs.gunicorn.org/en/stable/settings.html#bind)
      (`127.0.0.1:8000` by default, `0.0.0.0:$PORT` when `PORT` is set)
    - [Uvicorn: settings](https://www.uvicorn.org/settings/) (`--host` defaults to `127.0.0.1`)
    """
    seen: set[Location] = set()
    images = [run for run in project.deployed_runs if run.service is None]  # an image that ships its own CMD
    for run in [*project.django_runs, *images]:
        if _told_elsewhere(project, run):
            continue
        commands = [found for found in project.container_commands(run.service, run.build) if found.runs is not False]
        if any(program(found.command) in PROXIES for found in commands):
            continue  # a proxy in the same container reaches the server over the loopback on purpose
        for index, found in enumerate(commands):
            address = loopback_address(found.command)
            started = server(found.command)
            if address is None or started is None or started.module is None or found.location in seen:
                continue  # no application named: a mode word an entrypoint reads (`CMD ["gunicorn"]`), or a config
            seen.add(found.location)
            name = program(found.command)
            stray = _options_cut_off(commands, index)
            if stray is not None:
                why = ("in a YAML `>` block, lines indented deeper keep their line breaks" if found.script is None
                       else "a line that does not end with `\\` ends the command")
                yield Violation(found.location, f"{name} listens by default on {address}, the container's own "
                                                f"loopback: `{stray}` on the next line is a command of its own "
                                                f"({why}), so the published port and the other containers cannot "
                                                f"reach the server; put the options on {name}'s line")
                continue
            told = "is told to listen" if any(word.startswith(("-b", "--bind", "--host"))
                                             for word in found.command.words) else "listens by default"
            yield Violation(found.location, f"{name} {told} on {address}, the container's own loopback: the "
                                            f"published port and the other containers cannot reach it; bind "
                                            f"0.0.0.0 (`{BIND_ADVICE.get(name, '--bind 0.0.0.0:8000')}`)")


PROXIES = frozenset({"nginx", "caddy", "haproxy", "httpd", "apache2", "apachectl", "traefik", "supervisord"})
"""Programs that start a proxy in the same container (or the supervisor that starts one beside the server)."""
BIND_ADVICE = {"uvicorn": "--host 0.0.0.0", "daphne": "-b 0.0.0.0"}
ENVIRONMENT_BINDS = {"GUNICORN_CMD_ARGS", "PORT", "UVICORN_HOST"}
"""Variables that tell gunicorn (``PORT``: ``0.0.0.0:$PORT``) or uvicorn where to listen."""


def _options_cut_off(commands: list[ContainerCommand], index: int) -> str | None:
    """The options of the server at ``index`` that a line break cut off into a command of their own
    (``--bind 0.0.0.0:8000`` on the line after ``gunicorn app.wsgi``), as written; None when the next command is
    not one."""
    if index + 1 >= len(commands):
        return None
    words = commands[index + 1].command.words
    return " ".join(words[:2]) if words and words[0].startswith("-") else None


def _told_elsewhere(project: Project, run: DjangoRun) -> bool:
    """Whether the container's environment may tell the server where to listen, or gunicorn's own config file is
    in its build context (``gunicorn.conf.py``, which it reads from its working folder)."""
    if ENVIRONMENT_BINDS & set(run.environment):
        return True
    if run.build is None:
        return True  # an image from elsewhere: its own configuration is not known
    dockerfile = run.build.dockerfile
    if dockerfile is not None and any(inherited(project, dockerfile, name) for name in ENVIRONMENT_BINDS):
        return True  # built on an organisation's base image, whose environment may say where (`PORT`)
    return any(entry.name == "gunicorn.conf.py" for entry in project.context_entries(run.build))
