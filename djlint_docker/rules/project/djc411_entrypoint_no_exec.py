"""DJC411 entrypoint-no-exec: the entrypoint script starts the server without `exec`."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.servers import server
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE


@rule("DJC411", "entrypoint-no-exec", Severity.WARNING, examples=[
    Example("server-without-exec", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\ngunicorn --bind 0.0.0.0:8000 app.wsgi\n"},
        expect=(("entrypoint.sh", 3),)),
    Example("command-without-exec", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n"
                                       "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\n\"$@\"\n"},
        expect=(("entrypoint.sh", 3),)),
    Example("ignores-cmd", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n"
                                       "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\n"},
        expect=(("entrypoint.sh", 2),)),
    Example("exec", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n"
                                       "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate\n\nexec \"$@\"\n"}),
    Example("development-image-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                          "CMD [\"sh\", \"/app/start-dev.sh\"]\n",
        "start-dev.sh": "#!/bin/sh\npython manage.py migrate\npython manage.py runserver 0.0.0.0:8000\n",
        "compose.yaml": DEV_AND_PROD["compose.yaml"].replace(
            "    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
            "    build:\n      context: .\n      dockerfile: Dockerfile.dev\n", 1)}),
    Example("development-image-is-all-it-has", {
        **DEV_ONLY, "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                      "CMD [\"sh\", \"/app/start-dev.sh\"]\n",
        "start-dev.sh": "#!/bin/sh\npython manage.py migrate\npython manage.py runserver 0.0.0.0:8000\n",
        "compose.yaml": DEV_ONLY["compose.yaml"].replace(
            "    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
            "    build:\n      context: .\n      dockerfile: Dockerfile.dev\n", 1)},
        expect=(("start-dev.sh", 3),)),
    Example("exec-server", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"sh\", \"/app/start.sh\"]\n", "manage.py": MANAGE,
        "start.sh": "#!/bin/sh\nexec gunicorn app.wsgi \\\n  --bind 0.0.0.0:8000\n"}),
])
def entrypoint_no_exec(project: Project) -> Iterator[Violation]:
    """The entrypoint script starts the server without `exec`.

    ## What it does
    Reads the scripts the image's `ENTRYPOINT`/`CMD` run and reports the last command
    when it starts an application server (gunicorn, uvicorn, daphne, uwsgi,
    `runserver`) or the image's CMD (`"$@"`) without `exec`, and an `ENTRYPOINT`
    script that never runs the CMD it is given. An image that only development stacks
    run, of a project also deployed another way, is not checked: it is stopped by hand.

    ## Why is this bad?
    Without `exec` the shell stays PID 1 and the server is its child: `docker stop`
    sends SIGTERM to the shell, which does not pass it on, and the server is killed
    after the 10-second timeout, dropping requests in flight. An entrypoint that never
    runs `"$@"` ignores the CMD and every `docker compose run web <command>`.

    ## Example
    ```sh
    python manage.py migrate
    gunicorn app.wsgi
    ```
    Use instead:
    ```sh
    python manage.py migrate
    exec gunicorn app.wsgi
    ```

    ## References
    - [Docker best practices: ENTRYPOINT](https://docs.docker.com/build/building/best-practices/#entrypoint)
      (`exec "$@"` at the end of the entrypoint script)
    - [Docker: ENTRYPOINT, exec form and signals](https://docs.docker.com/reference/dockerfile/#entrypoint)
    """
    for script in project.scripts:
        if not script.from_image or not script.lines or script.build.dockerfile is None:
            continue
        if project.development_only(script.build):
            continue  # an image only development stacks run, of a project deployed another way: stopped by hand
        last = script.lines[-1]
        commands = [c for c in last.commands if c.words]
        if not commands:
            continue
        command = commands[-1]
        runs_cmd = command.words[0] in {"$@", "${@}", "$*"}
        if (server(command) is not None or runs_cmd) and not command.exec_:
            what = "the image's CMD (\"$@\")" if runs_cmd else f"{server(command).program}"  # type: ignore[union-attr]
            yield Violation(Location(script.path, last.line), f"the script ends by running {what} without exec: the "
                                                              f"server is not PID 1 and misses SIGTERM; use `exec`")
            continue
        dockerfile = script.build.dockerfile
        final = dockerfile.lineage(dockerfile.final)
        entrypoint = next((m.last("ENTRYPOINT") for m in reversed(final) if m.last("ENTRYPOINT")), None)
        cmd = next((m.last("CMD") for m in reversed(final) if m.last("CMD")), None)
        is_entrypoint = entrypoint is not None and any(
            posixpath.basename(word) == script.path.name for word in (entrypoint.exec_form or entrypoint.words()))
        if is_entrypoint and cmd is not None and not any(re.search(r"\$\{?[@*]", line.text) for line in script.lines):
            yield Violation(Location(script.path, last.line), "the ENTRYPOINT script never runs the CMD it is given: "
                                                              "end it with `exec \"$@\"`")
