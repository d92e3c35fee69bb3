"""DJC411 entrypoint-no-exec: the entrypoint script starts the server without `exec`."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.servers import server
from djlint_docker.parse.shell import Command, ScriptLine, program
from djlint_docker.positions import Location
from djlint_docker.project import POSITIONAL_USE, ImageBuild, Project, Script
from djlint_docker.records import replaced
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._argument_passing import SHELL_NAMES, SHELL_SCRIPT_OPTION
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

BRANCHED_START = """\
#!/bin/sh
set -e
python manage.py migrate --noinput
if [ "$DJANGO_DEBUG" = "1" ]; then
    python manage.py runserver 0.0.0.0:8000
else
    gunicorn app.wsgi --bind 0.0.0.0:8000
fi
"""
"""An entrypoint that starts the development server or gunicorn, as ``DJANGO_DEBUG`` says."""


@rule("DJC411", "entrypoint-no-exec", Severity.WARNING, examples=[
    Example("server-without-exec", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\ngunicorn --bind 0.0.0.0:8000 app.wsgi\n"},
        expect=(("entrypoint.sh", 3),)),
    # The script ends with a `case` on the environment: each arm's last command is where it ends.
    Example("case-arms-without-exec", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\ncase \"$ENV\" in\ndev)\n    python manage.py runserver 0.0.0.0:8000\n    ;;\n"
                         "prod)\n    python manage.py migrate\n    gunicorn --bind 0.0.0.0:8000 app.wsgi\n    ;;\n"
                         "*)\n    echo \"Unknown environment: $ENV\"\n    exit 1\n    ;;\nesac\n"},
        expect=(("entrypoint.sh", 8),)),
    # The compose command runs the script as the container's first process (the image has no ENTRYPOINT).
    Example("script-a-compose-command-runs", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: ./start.sh\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "start.sh": "#!/bin/sh\npython manage.py migrate\ngunicorn --bind 0.0.0.0:8000 app.wsgi\n"},
        expect=(("start.sh", 3),)),
    # A shell given the script is the first process, and runs the script's commands as its children.
    Example("script-a-shell-of-the-compose-command-runs", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: [\"sh\", \"run_server.sh\"]\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "run_server.sh": "#!/bin/sh\npython manage.py migrate\ngunicorn --bind 0.0.0.0:8000 app.wsgi\n"},
        expect=(("run_server.sh", 3),)),
    # dash given `-c ./init.bash` forks the script and stays the first process: an `exec` in the script would not
    # make the server PID 1.
    Example("script-sh-c-runs", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: >\n      sh -c \"./init.bash\"\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "init.bash": "#!/bin/bash\npython manage.py migrate\npython manage.py runserver 0.0.0.0:8000\n"}),
    Example("script-a-shell-of-the-compose-command-runs-execs-the-server", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: sh run_server.sh\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "run_server.sh": "#!/bin/sh\npython manage.py migrate\nexec gunicorn --bind 0.0.0.0:8000 app.wsgi\n"}),
    # cookiecutter-django's layout: /entrypoint ends with `exec "$@"`, and compose's `command: /start` takes over.
    Example("start-script-the-entrypoint-hands-over-to", {
        "compose.yaml": "services:\n  django:\n    build: .\n    command: /start\n",
        "Dockerfile": APP_DOCKERFILE + "COPY entrypoint /entrypoint\nCOPY start /start\n"
                                       "ENTRYPOINT [\"/entrypoint\"]\n",
        "manage.py": MANAGE, "entrypoint": "#!/bin/bash\nset -o errexit\nexport DATABASE_URL=postgres://db/app\n"
                                           "exec \"$@\"\n",
        "start": "#!/bin/bash\nset -o errexit\npython /app/manage.py collectstatic --noinput\n"
                 "/usr/local/bin/gunicorn config.wsgi --bind 0.0.0.0:5000 --chdir=/app\n"},
        expect=(("start", 4),)),
    # The older layout keeps the arguments first (`cmd="$@"`) and ends with `exec $cmd`: the same hand-over.
    Example("start-script-the-entrypoint-hands-over-to-through-a-variable", {
        "compose.yaml": "services:\n  django:\n    build: .\n    command: /gunicorn.sh\n",
        "Dockerfile": APP_DOCKERFILE + "COPY entrypoint.sh /entrypoint.sh\nCOPY gunicorn.sh /gunicorn.sh\n"
                                       "ENTRYPOINT [\"/entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nset -o errexit\ncmd=\"$@\"\n"
                                              "export DATABASE_URL=postgres://db/app\nexec $cmd\n",
        "gunicorn.sh": "#!/bin/sh\npython /app/manage.py collectstatic --noinput\n"
                       "/usr/local/bin/gunicorn config.wsgi -b 0.0.0.0:5000 --chdir=/app\n"},
        expect=(("gunicorn.sh", 3),)),
    # tini -g sends SIGTERM to the script's whole process group: gunicorn gets it without `exec`.
    Example("script-behind-an-init-that-signals-the-group", {
        "Dockerfile": APP_DOCKERFILE + "COPY start.sh /app/start.sh\n"
                                       "ENTRYPOINT [\"/sbin/tini\", \"-g\", \"--\", \"/app/start.sh\"]\n",
        "manage.py": MANAGE, "start.sh": "#!/bin/sh\npython manage.py migrate --noinput\n"
                                         "gunicorn app.wsgi --bind 0.0.0.0:8000\n"}),
    # Without -g tini signals only its child, the shell.
    Example("script-behind-tini-without-the-group", {
        "Dockerfile": APP_DOCKERFILE + "COPY start.sh /app/start.sh\n"
                                       "ENTRYPOINT [\"/sbin/tini\", \"--\", \"/app/start.sh\"]\n",
        "manage.py": MANAGE, "start.sh": "#!/bin/sh\npython manage.py migrate --noinput\n"
                                         "gunicorn app.wsgi --bind 0.0.0.0:8000\n"}, expect=(("start.sh", 3),)),
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
    Example("cmd-read-as-a-mode", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\nCMD [\"worker\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nif [ \"$1\" = \"web\" ]; then\n  exec gunicorn app.wsgi\nfi\n"
                                              "if [ \"$1\" = \"worker\" ]; then\n  exec celery -A app worker\nfi\n"}),
    # The worker's tasks get no warm shutdown: `docker stop` kills them after its timeout.
    Example("celery-worker-without-exec", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"/app/worker-entrypoint.sh\"]\n", "manage.py": MANAGE,
        "worker-entrypoint.sh": "#!/bin/sh\ncd /app\ncelery -A app worker --beat --loglevel=info\n"},
        expect=(("worker-entrypoint.sh", 3),)),
    Example("celery-command-that-exits", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"/app/purge.sh\"]\n", "manage.py": MANAGE,
        "purge.sh": "#!/bin/sh\ncelery -A app purge -f\n"}),
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
    Example("process-manager-without-exec", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"bash\", \"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/bash\npython manage.py migrate\nsupervisord -c /etc/supervisor.conf\n"},
        expect=(("entrypoint.sh", 3),)),
    Example("process-manager-execed", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"bash\", \"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/bash\npython manage.py migrate\nexec supervisord -n -c /etc/supervisor.conf\n"}),
    # A script that supervises its processes itself: it catches SIGTERM and passes it on, and runs no CMD on purpose.
    Example("script-that-forwards-the-stop-signal", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"bash\", \"/app/consumers.sh\"]\n"
                                       "CMD [\"daphne\", \"app.asgi:application\"]\n", "manage.py": MANAGE,
        "consumers.sh": "#!/bin/bash\npython manage.py consume orders &\nfirst=$!\npython manage.py consume mails &\n"
                        "second=$!\ntrap 'kill -TERM $first $second' TERM INT\nwait\n"}),
    # `|| exit 1` runs only once the server has failed: the server is still what the script ends with.
    Example("server-or-exit", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django gunicorn\n"
                      "CMD [\"/app/start.sh\"]\n", "manage.py": MANAGE,
        "start.sh": "#!/bin/bash\npython manage.py migrate\ngunicorn --bind 0.0.0.0:8000 app.wsgi || exit 1\n"},
        expect=(("start.sh", 3),)),
    # A closing `exit 0` runs only after the server has stopped: the server is what the script ends with.
    Example("server-before-a-closing-exit", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"sh\", \"/app/prod.sh\"]\n", "manage.py": MANAGE,
        "prod.sh": "#!/bin/sh\nset -o errexit\npython manage.py migrate\ngunicorn --bind :8000 app.wsgi\n\nexit 0\n"},
        expect=(("prod.sh", 4),)),
    # The server runs until it stops: the `exec "$@"` after it never runs.
    Example("server-in-the-foreground-before-exec-of-the-cmd", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate\n# start the server\n"
                         "gunicorn app.wsgi --bind 0.0.0.0:8000\n\nexec \"$@\"\n"},
        expect=(("entrypoint.sh", 5),)),
    Example("server-in-the-background-before-exec-of-the-cmd", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate\ngunicorn app.wsgi --bind 0.0.0.0:8000 &\n"
                         "if [ \"$DEBUG\" = 1 ]; then\n  python manage.py runserver\nfi\nexec \"$@\"\n"}),
    Example("exec-server", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"sh\", \"/app/start.sh\"]\n", "manage.py": MANAGE,
        "start.sh": "#!/bin/sh\nexec gunicorn app.wsgi \\\n  --bind 0.0.0.0:8000\n"}),
    Example("server-in-each-way-through", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": BRANCHED_START}, expect=(("entrypoint.sh", 7),)),
    Example("exec-in-each-way-through", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": BRANCHED_START.replace("    python", "    exec python").replace("    gunicorn",
                                                                                          "    exec gunicorn")}),
    Example("server-found-on-the-path", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"bash\", \"/app/docker/start.sh\"]\n", "manage.py": MANAGE,
        "docker/start.sh": "#!/bin/bash\nset -e\npython manage.py migrate --noinput\n"
                           "$(command -v uwsgi) --ini /app/docker/uwsgi.ini\n"}, expect=(("docker/start.sh", 4),)),
    Example("server-found-on-the-path-and-execed", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"bash\", \"/app/docker/start.sh\"]\n", "manage.py": MANAGE,
        "docker/start.sh": "#!/bin/bash\nset -e\npython manage.py migrate --noinput\n"
                           "exec \"$(command -v uwsgi)\" --ini /app/docker/uwsgi.ini\n"}),
    Example("script-that-starts-the-server-run-without-exec", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"/app/docker/start.sh\"]\n", "manage.py": MANAGE,
        "docker/start.sh": "#!/bin/bash\nset -e\ncd /app\npython manage.py migrate --noinput\n"
                           "./docker/run-gunicorn.sh\n",
        "docker/run-gunicorn.sh": "#!/bin/bash\nexec gunicorn app.wsgi --bind 0.0.0.0:8000 --workers 3\n"},
        expect=(("docker/start.sh", 5),)),
    Example("script-that-starts-the-server-execed", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"/app/docker/start.sh\"]\n", "manage.py": MANAGE,
        "docker/start.sh": "#!/bin/bash\nset -e\ncd /app\npython manage.py migrate --noinput\n"
                           "exec ./docker/run-gunicorn.sh\n",
        "docker/run-gunicorn.sh": "#!/bin/bash\nexec gunicorn app.wsgi --bind 0.0.0.0:8000 --workers 3\n"}),
])
def entrypoint_no_exec(project: Project) -> Iterator[Violation]:
    """The entrypoint script starts the server without `exec`.

    ## What it does
    Reads the scripts the image's `ENTRYPOINT`/`CMD` run (and the script a compose
    `entrypoint:`, or a `command:` on an image with no ENTRYPOINT or whose ENTRYPOINT
    script ends with `exec "$@"`, runs as the container's first process) and reports the
    last command (before a closing `exit 0`; `gunicorn ... || exit 1` ends on gunicorn)
    when it starts an application server (gunicorn, uvicorn, daphne, uwsgi,
    `runserver`; also named as `$(command -v uwsgi)`), a process manager that runs
    them (supervisord, honcho, circusd), a Celery worker or beat (whose tasks then get no
    warm shutdown), the image's CMD (`"$@"`), or
    another script of the image that starts one, without `exec`, and an `ENTRYPOINT`
    script that never runs the CMD, or a service's `command:`, it is given (nor reads it
    as a mode: `if [ "$1" = "prod" ]`); a script that does both is told both. A script that ends with an
    `if ... else ... fi` or a `case ... esac` ends on the last command of each way through it: the first
    that starts a server without `exec` is reported (a production server's before
    `runserver`). A script that ends with `exec "$@"` but first starts a server in the
    foreground, outside any `if` or `case` (not sent to the background with `&`, nor told
    to fork with `--daemon`), never reaches that `exec`: the server is reported. A script
    that traps SIGTERM (`trap 'kill -TERM $pid' TERM`) passes the signal on itself, and is
    not checked; nor is one an init that signals its whole process group runs (dumb-init,
    `tini -g`). An image that only development stacks run, of a project also deployed
    another way, is not checked: it is stopped by hand. Nor is the `exec` of an image Heroku
    runs (`heroku.yml`, `heroku container:push`): it sends SIGTERM to every process of the dyno.

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
    scripts = project.scripts
    for script in [*scripts, *_run_by_compose_commands(project, scripts)]:
        if not script.from_image or not script.lines or script.build.dockerfile is None:
            continue
        if project.development_only(script.build):
            continue  # an image only development stacks run, of a project deployed another way: stopped by hand
        if any(TRAPS_TERM.search(line.text) for line in script.lines):
            continue  # the script catches SIGTERM itself and passes it on (`trap 'kill -TERM $pid' TERM`)
        if _init_signals_the_group(project, script.build):
            continue  # `tini -g`, dumb-init: the stop signal goes to every process the script started
        last = script.lines[-1]
        ignored = _ignored_command(project, script)
        # Heroku stops a dyno by sending SIGTERM to each of its processes: the server gets it without `exec`
        signalled = project.heroku_runs(script.build)
        found = None if signalled else _no_exec_ending(script, scripts)
        if found is not None:
            line, what = found
            also = (f"; and as the ENTRYPOINT it never runs {ignored} it is given: end it with `exec \"$@\"`"
                    if ignored else "")
            started = STOPPED.get(what, "the server is not PID 1 and misses SIGTERM")
            yield Violation(Location(script.path, line.line),
                            f"the script ends by running {what} without exec: {started}; use `exec`{also}")
            continue
        if not signalled and (blocking := _blocked_exec(script)) is not None:
            line, what = blocking
            yield Violation(Location(script.path, line.line),
                            f"{what} runs in the foreground without exec, so the `exec \"$@\"` on line {last.line} "
                            f"never runs: the server is not PID 1 and misses SIGTERM; `exec` the server")
            continue
        if not any(c.words for c in last.commands):
            continue
        if ignored:
            yield Violation(Location(script.path, last.line), f"the ENTRYPOINT script never runs {ignored} it is "
                                                              f"given: end it with `exec \"$@\"`")


def _init_signals_the_group(project: Project, build: ImageBuild) -> bool:
    """Whether the image's ENTRYPOINT is an init that sends the stop signal to the whole process group of what it
    runs, the server a script starts without ``exec`` included: dumb-init (unless ``--single-child``), ``tini -g``
    (or tini with ``TINI_KILL_PROCESS_GROUP`` set). Not where a service replaces the ENTRYPOINT."""
    dockerfile = build.dockerfile
    entrypoint = dockerfile.effective(dockerfile.final, "ENTRYPOINT") if dockerfile is not None else None
    if entrypoint is None or any("entrypoint" in service.keys for service in project.services
                                 if service.name in build.services):
        return False
    words = list(entrypoint.exec_form or entrypoint.words())
    init = posixpath.basename(words[0]) if words else ""
    options = words[1:words.index("--")] if "--" in words else [w for w in words[1:] if w.startswith("-")]
    if init == "dumb-init":
        return not any(option in {"-c", "--single-child"} for option in options)
    if init in {"tini", "tini-static"}:
        return any(TINI_GROUP.fullmatch(option) for option in options) \
            or bool(project.image_environment(build).get("TINI_KILL_PROCESS_GROUP"))
    return False


TINI_GROUP = re.compile(r"-[a-zA-Z]*g[a-zA-Z]*")
"""tini's ``-g`` (alone or among its other short options, ``-sg``): signal the child's whole process group."""


def _ignored_command(project: Project, script: Script) -> str | None:
    """What an ENTRYPOINT script is given and never runs (nor reads as a mode, ``if [ "$1" = "prod" ]``): the image's
    CMD, or the ``command:`` of a service that runs the image; None when it uses its arguments or is given none."""
    dockerfile = script.build.dockerfile
    if dockerfile is None:
        return None
    entrypoint = dockerfile.effective(dockerfile.final, "ENTRYPOINT")
    if entrypoint is None or not any(posixpath.basename(word) == script.path.name
                                     for word in (entrypoint.exec_form or entrypoint.words())):
        return None
    if any(POSITIONAL_USE.search(line.text) for line in script.lines):
        return None  # "$@", or the CMD's first word read as a mode: either way the command is used
    if dockerfile.effective(dockerfile.final, "CMD") is not None:
        return "the CMD"
    commanded = [service.name for service in project.services if service.name in script.build.services
                 and "command" in service.keys and "entrypoint" not in service.keys]
    return f"the `command:` of {', '.join(commanded)}" if commanded else None


def _run_by_compose_commands(project: Project, scripts: list[Script]) -> list[Script]:
    """The scripts a service's compose ``entrypoint:``, or its ``command:`` on an image with no ENTRYPOINT or one
    whose ENTRYPOINT script ends with ``exec "$@"``, runs as the container's first process (``command:
    ./docker-entrypoint.sh``, cookiecutter-django's ``command: /start`` after ``/entrypoint``), marked as the
    image's: the script is PID 1 there as an ENTRYPOINT script is. Not those of a service only development stacks
    run."""
    found: list[Script] = []
    for service in project.services:
        build = project.build_for(service)
        starter = service.entrypoint or service.command
        if starter is None or not starter.value or build is None or build.dockerfile is None \
                or service.entrypoint is None and not project.hands_over(build) \
                or project.development_only(service):
            continue
        first = _script_word(starter.value)
        script = next((s for s in scripts if not s.from_image and s.build is build and s.path.name == first), None)
        if script is not None and script not in found:
            found.append(replaced(script, from_image=True))
    return found


def _script_word(words: Sequence[str]) -> str | None:
    """The name of the script a command runs as the container's first process: its program (``./start.sh``), or the
    script a shell is given (``sh run_server.sh``, ``bash -c ./start.sh``, whose bash execs it): the shell is PID 1
    and runs it. Not ``sh -c ./start.sh``: dash forks the script and stays PID 1."""
    if posixpath.basename(words[0]) not in SHELL_NAMES:
        return posixpath.basename(words[0])
    given = words[1] if len(words) > 1 else ""
    if SHELL_SCRIPT_OPTION.fullmatch(given) and posixpath.basename(words[0]) in {"sh", "dash"}:
        return None  # `sh -c ./start.sh`: dash forks the script and stays PID 1, whatever the script execs
    rest = list(words[1:3] if SHELL_SCRIPT_OPTION.fullmatch(given) else words[1:2])
    script = rest[-1].strip() if rest else ""
    return posixpath.basename(script) if script and not script.startswith("-") and not any(
        c.isspace() or c in ";&|" for c in script) else None


def _no_exec_ending(script: Script, scripts: list[Script]) -> tuple[ScriptLine, str] | None:
    """The line the script ends on that starts a server (or ``"$@"``, or a script of the image that starts one)
    without ``exec``, and what it starts: the last line, or the last line of each way through an
    ``if ... else ... fi`` or each arm of a ``case ... esac`` the script ends with (the first such way, a production
    server's before runserver)."""
    found: list[tuple[ScriptLine, str]] = []
    lines = list(script.lines)
    while len(lines) > 1 and TRAILING_EXIT.fullmatch(lines[-1].text.strip()):
        lines.pop()  # `exit 0` after the server runs only once the server has stopped: the server ends the script
    for line in _endings(lines, 0):
        commands = [c for c in line.commands if c.words]
        if len(commands) > 1 and commands[-1].words[0] == "exit" and FAILURE_EXIT.search(line.text):
            commands.pop()  # `gunicorn ... || exit 1`: the exit runs only once the server has failed
        if not commands or commands[-1].exec_:
            continue
        command = commands[-1]
        started = server(command)
        if started is not None:
            found.append((line, started.program))
        elif command.words[0] in {"$@", "${@}", "$*"}:
            found.append((line, "the image's CMD (\"$@\")"))
        elif program(command) in PROCESS_MANAGERS and not DAEMON.search(line.text):
            found.append((line, f"{program(command)}, which runs the servers,"))
        elif (role := _celery_process(command)) is not None and not DAEMON.search(line.text):
            found.append((line, f"the Celery {role}"))
        elif (called := _called_server(script, command, scripts)) is not None:
            found.append((line, called))
    return next((f for f in found if f[1] != "runserver"), found[0] if found else None)


def _blocked_exec(script: Script) -> tuple[ScriptLine, str] | None:
    """A server the script starts in the foreground, outside any block, before the ``exec "$@"`` it ends with: the
    server runs until it stops, so the ``exec`` never runs and the server is the shell's child, not PID 1."""
    last = [c for c in script.lines[-1].commands if c.words]
    if not last or not last[-1].exec_ or last[-1].words[0] not in {"$@", "${@}"}:
        return None
    nesting = 0
    for line in script.lines[:-1]:
        word = _keyword(line)
        if word in BLOCKS.values() and not ONE_LINE_IF.search(line.text):
            nesting += 1  # `if`, `case`: what runs inside may not run at all
        elif word in BLOCKS:
            nesting = max(nesting - 1, 0)
        text = line.text.rstrip()
        if nesting or word or text.endswith("&") and not text.endswith("&&") or DAEMON.search(text):
            continue
        commands = [c for c in line.commands if c.words]
        started = server(commands[-1]) if commands and not commands[-1].exec_ else None
        if started is not None:
            return line, started.program
    return None


def _celery_process(command: Command) -> str | None:
    """The long-running Celery process a command starts (``celery -A app worker``, ``beat``), by its subcommand: a
    worker that gets no SIGTERM makes no warm shutdown, and its running tasks are killed with it."""
    if program(command) != "celery":
        return None
    return next((word for word in command.words[1:] if word in CELERY_PROCESSES), None)


CELERY_PROCESSES = ("worker", "beat")
STOPPED = {
    "the Celery worker": "the worker is not PID 1 and misses SIGTERM: `docker stop` kills the tasks it runs",
    "the Celery beat": "beat is not PID 1 and misses SIGTERM: `docker stop` waits out its timeout, then kills it"}
"""What a Celery process that misses the stop signal loses, by what the script ends with; a server by default."""
TRAPS_TERM = re.compile(r"^\s*trap\b.*(?<![\w-])(?:SIG)?(?:TERM|15)\b")
"""A ``trap`` of SIGTERM: a script that handles the stop signal and forwards it to what it started."""
PROCESS_MANAGERS = frozenset({"supervisord", "honcho", "circusd"})
"""Programs that start and watch the servers in the container: PID 1 must be them to pass the stop signal on."""
TRAILING_EXIT = re.compile(r"exit(?:\s+(?:\d+|\$\?|\"\$\?\"))?\s*;?")
"""A script's closing ``exit``, ``exit 0`` or ``exit $?``."""
FAILURE_EXIT = re.compile(r"\|\|\s*exit\b[^|&;]*;?\s*$")
"""``|| exit 1`` at the end of a line: what runs when the command before it fails."""
DAEMON = re.compile(r"\s(?:--daemon|-D|--detach)\b|--daemonize|\bnohup\b")
"""A server told to fork into the background (gunicorn ``--daemon``, uWSGI ``--daemonize``): the script goes on."""



MAX_BRANCH_DEPTH = 8
"""Nested ``if`` blocks at the end of a script followed to the line each way through ends on."""
KEYWORD = re.compile(r"(if|fi|elif|else|then|case|esac)(?![\w-])")
ONE_LINE_IF = re.compile(r"\bfi\s*;?\s*$")


BLOCKS = {"fi": "if", "esac": "case"}
"""The words that close a block, with the word that opens it."""


def _endings(lines: list[ScriptLine], depth: int) -> list[ScriptLine]:
    """The lines a script (or a way through a block) ends on: its last line, or, when that closes an ``if`` (``fi``)
    or a ``case`` (``esac``), the lines each of its ways through ends on: the ``if``'s branches, the ``case``'s arms
    (each closing with ``;;``)."""
    if not lines:
        return []
    last = lines[-1]
    opener = BLOCKS.get(_keyword(last) or "")
    if opener is None or depth >= MAX_BRANCH_DEPTH:
        return [last]
    nesting = 0
    arms: list[list[ScriptLine]] = []  # the ways through the block, read backwards
    arm: list[ScriptLine] = []
    for line in reversed(lines[:-1]):
        word = _keyword(line)
        if word in BLOCKS:
            nesting += 1
        elif word in BLOCKS.values() and nesting:
            nesting -= 1
        elif word == opener:
            arms.append(arm)
            return [end for way in reversed(arms) for end in _endings(list(reversed(way)), depth + 1)]
        elif not nesting and (word in {"else", "elif"} if opener == "if" else line.text.rstrip().endswith(";;")):
            arms.append(arm)  # the way after this line, in the script's order
            arm = [line] if opener == "case" and line.text.strip() != ";;" else []  # `exec gunicorn ... ;;`
            continue
        arm.append(line)
    return [last]  # no block opens it: read as a line


def _keyword(line: ScriptLine) -> str | None:
    """The shell keyword a line starts with (``if``, ``fi``...), None for a one-line ``if ...; fi`` or a command."""
    match = KEYWORD.match(line.text)
    if match is None or (match[1] == "if" and ONE_LINE_IF.search(line.text)):
        return None
    return match[1]


def _called_server(script: Script, command: Command, scripts: list[Script]) -> str | None:
    """What another script of the image starts, when the command runs it (``./docker/start-gunicorn.sh``,
    ``bash ${ROOT}/start.sh``) and it ends by starting a server: "start-gunicorn.sh, which starts gunicorn"."""
    words = command.words[1:3] if program(command) in SHELL_NAMES else command.words[:1]
    for word in words:
        tail = re.sub(r"^.*\}|^\$\w+", "", word.strip("\"'")).lstrip("./") if "$" in word else word.lstrip("./")
        if not tail or "$" in tail:
            continue
        called = next((other for other in scripts if other.build is script.build and other.path != script.path
                       and (other.path.as_posix() + "/").endswith("/" + tail.rstrip("/") + "/")), None)
        ending = _endings(list(called.lines), 0) if called is not None else []
        servers = [found for line in ending for c in line.commands[-1:] if (found := server(c)) is not None]
        if called is not None and servers:
            return f"{called.path.name}, which starts {servers[0].program},"
    return None
