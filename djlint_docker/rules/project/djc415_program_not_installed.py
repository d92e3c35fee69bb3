"""DJC415 program-not-installed: the container runs a program, or a server option, that its image does not install."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.parse.shell import shebang_program
from djlint_docker.positions import Location
from djlint_docker.project import ContainerCommand, ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.project._installed_programs import (
    TOOLS,
    copied_in,
    installs_of,
    lacks,
    probed,
    program_of,
    python_needs,
    suggestion,
)
from djlint_docker.rules.project._lock_examples import POETRY_DOCKERFILE, poetry_project
from djlint_docker.rules.project._packages import installed_packages
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

WAIT_FOR_DB = ("#!/bin/sh\nset -e\nuntil nc -z \"$DB_HOST\" 5432; do\n  echo 'waiting for postgres'\n  sleep 1\ndone\n"
               "python manage.py migrate --noinput\nexec \"$@\"\n")
ENTRYPOINT = ("RUN chmod +x /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\n"
              "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n")
SERVED = "Django==5.1.3\ngunicorn==23.0.0\n"


@rule("DJC415", "program-not-installed", Severity.ERROR, cross=True, examples=[
    Example("nc-on-slim", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + ENTRYPOINT, "entrypoint.sh": WAIT_FOR_DB, "manage.py": MANAGE,
        "requirements.txt": SERVED}, expect=(("entrypoint.sh", 3),)),
    # wait-for-it: `nc` only when `timeout` is BusyBox's, bash's /dev/tcp otherwise.
    Example("nc-in-a-branch-the-container-may-not-take", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + ENTRYPOINT, "manage.py": MANAGE, "requirements.txt": SERVED,
        "entrypoint.sh": "#!/bin/bash\nif [[ $(realpath \"$(command -v timeout)\") == */busybox ]]; then\n"
                         "  until nc -z db 5432; do sleep 1; done\nelse\n"
                         "  until (echo > /dev/tcp/db/5432) 2>/dev/null; do sleep 1; done\nfi\nexec \"$@\"\n"}),
    Example("pg-isready-on-alpine", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.12-alpine") + ENTRYPOINT,
        "entrypoint.sh": WAIT_FOR_DB.replace("nc -z \"$DB_HOST\" 5432", "pg_isready -h \"$DB_HOST\""),
        "manage.py": MANAGE, "requirements.txt": SERVED}, expect=(("entrypoint.sh", 3),)),
    Example("bash-script-on-alpine", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.12-alpine") + ENTRYPOINT,
        "entrypoint.sh": "#!/usr/bin/env bash\nset -euo pipefail\nexec \"$@\"\n", "manage.py": MANAGE,
        "requirements.txt": SERVED}, expect=(("entrypoint.sh", 1),)),
    # Run by `sh`, which reads the script itself: its `#!` line is a comment.
    Example("bash-script-run-by-sh-on-alpine", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.12-alpine")
                      + "CMD [\"sh\", \"/app/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/bash\nexec gunicorn --bind 0.0.0.0:8000 app.wsgi\n", "manage.py": MANAGE,
        "requirements.txt": SERVED}),
    Example("bash-installed-on-alpine", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.12-alpine").replace(
            "COPY requirements.txt", "RUN apk add --no-cache bash\nCOPY requirements.txt") + ENTRYPOINT,
        "entrypoint.sh": "#!/usr/bin/env bash\nexec \"$@\"\n", "manage.py": MANAGE, "requirements.txt": SERVED}),
    Example("gevent-worker-missing", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "CMD [\"gunicorn\", \"-k\", \"gevent\", \"--bind\", \"0.0.0.0:8000\", "
                      "\"app.wsgi\"]\n", "manage.py": MANAGE, "requirements.txt": SERVED},
        expect=(("Dockerfile", 7),)),
    Example("celery-beat-database-scheduler", {
        "compose.yaml": "services:\n  web:\n    build: .\n  beat:\n    build: .\n"
                        "    command: celery -A app beat -l info --scheduler "
                        "django_celery_beat.schedulers:DatabaseScheduler\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": SERVED + "celery[redis]==5.4.0\n"}, expect=(("compose.yaml", 6),)),
    # The scheduler installed from its repository, by the name after `#egg=`.
    Example("celery-beat-installed-from-its-repository", {
        "compose.yaml": "services:\n  web:\n    build: .\n  beat:\n    build: .\n"
                        "    command: celery -A app beat -l info --scheduler "
                        "django_celery_beat.schedulers:DatabaseScheduler\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": SERVED + "celery[redis]==5.4.0\n"
                                                 "-e git+https://github.com/celery/django-celery-beat.git"
                                                 "#egg=django-celery-beat\n"}),
    # A boilerplate whose requirements file is left for the user to fill in: it installs not even Django.
    Example("requirements-left-to-fill-in", {
        "compose.yaml": "services:\n  web:\n    build: .\n  beat:\n    build: .\n"
                        "    command: celery -A app beat -l info --scheduler "
                        "django_celery_beat.schedulers:DatabaseScheduler\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "# Put your Python requirements here\n"}),
    Example("nc-installed", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace(
            "COPY requirements.txt", "RUN apt-get update && apt-get install -y --no-install-recommends netcat-openbsd "
                                     "\\\n    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt") + ENTRYPOINT,
        "entrypoint.sh": WAIT_FOR_DB, "manage.py": MANAGE, "requirements.txt": SERVED}),
    Example("nc-from-busybox-on-alpine", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.12-alpine") + ENTRYPOINT,
        "entrypoint.sh": WAIT_FOR_DB, "manage.py": MANAGE, "requirements.txt": SERVED}),
    Example("full-python-image", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.12") + ENTRYPOINT,
        "entrypoint.sh": WAIT_FOR_DB.replace("nc -z", "curl -fs"), "manage.py": MANAGE, "requirements.txt": SERVED}),
    Example("packages-from-a-variable", {
        "Dockerfile": "FROM python:3.12-slim\nARG SYSTEM_PACKAGES=\"netcat-openbsd\"\n"
                      "RUN apt-get update && apt-get install -y $SYSTEM_PACKAGES\n"
                      + REQUIREMENTS_DOCKERFILE.split("\n", 1)[1] + ENTRYPOINT,
        "entrypoint.sh": WAIT_FOR_DB, "manage.py": MANAGE, "requirements.txt": SERVED}),
    Example("uvicorn-worker-installed-by-poetry", {
        "Dockerfile": POETRY_DOCKERFILE + "CMD [\"gunicorn\", \"-k\", \"uvicorn.workers.UvicornWorker\", "
                      "\"app.asgi:application\"]\n", "manage.py": MANAGE,
        **poetry_project({"django": "5.1.3", "gunicorn": "23.0.0", "uvicorn": "0.32.0"})}),
    Example("celery-installed-by-flower", {
        "compose.yaml": "services:\n  flower:\n    build: ./flower\n",
        "flower/Dockerfile": "FROM python:3.12-alpine\nRUN pip install --no-cache-dir redis==5.2.0 flower==2.0.1\n"
                             "USER nobody\nCMD [\"celery\", \"flower\"]\n", "manage.py": MANAGE}),
    Example("probed-before-use", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + ENTRYPOINT,
        "entrypoint.sh": "#!/bin/sh\nif command -v nc >/dev/null; then\n  until nc -z db 5432; do sleep 1; done\nfi\n"
                         "exec \"$@\"\n", "manage.py": MANAGE, "requirements.txt": SERVED}),
])
def program_not_installed(project: Project) -> Iterator[Violation]:
    """The container runs a program, or a server option, that its image does not install.

    ## What it does
    Reads what each container runs as it starts (CMD/ENTRYPOINT, `command:`, the scripts
    they run) and reports:
    - `nc`, `curl`, `wget`, `pg_isready`, `psql`, `mysqladmin`, `redis-cli` or `bash` on an
      official `python:*-slim` or `python:*-alpine` image that neither ships it (Alpine's
      BusyBox has `nc` and `wget`) nor installs a package that provides it
      (`apt-get install`, `apk add`), nor copies it in; that includes the program the `#!`
      line of a script names when the container executes the script itself
      (`#!/usr/bin/env bash` on Alpine; not `sh entrypoint.sh`, where `sh` reads the script);
    - gunicorn's `-k gevent`/`eventlet`/`tornado`/`uvicorn.workers.UvicornWorker`, Celery's
      `--scheduler django_celery_beat...` (or `-S django`), `celery flower`/`flower` and
      `celery` itself when the image's Python packages do not include gevent, eventlet,
      tornado, uvicorn, django-celery-beat, flower or celery (not when they leave out
      Django itself: a boilerplate's requirements file left for the user to fill in).

    Other bases, package lists djcheck cannot read (a variable, a file), installs it
    cannot read, a program the script tests for first (`command -v nc`), and one in a
    branch the container may not take (wait-for-it's `nc` when `timeout` is BusyBox's,
    `/dev/tcp` otherwise) are left alone. Healthchecks are DJC216's; the servers
    themselves are DJC406's.

    ## Why is this bad?
    The image builds; the container fails when it starts. `nc: not found` in a
    wait-for-the-database loop spins forever or exits; gunicorn stops with
    `ModuleNotFoundError: No module named 'gevent'`; Celery beat cannot import its
    scheduler.

    ## Example
    ```sh
    until nc -z "$DB_HOST" 5432; do sleep 1; done
    ```
    in the entrypoint of a `python:3.12-slim` image. Use instead:
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends netcat-openbsd \\
        && rm -rf /var/lib/apt/lists/*
    ```

    ## References
    - [Docker Official Image python: image variants](https://hub.docker.com/_/python)
      (`-slim` holds only the packages Python needs; `-alpine` is BusyBox-based)
    - [Gunicorn: worker types](https://docs.gunicorn.org/en/stable/design.html#async-workers)
      (gevent and eventlet must be installed)
    - [django-celery-beat: installation](https://django-celery-beat.readthedocs.io/en/latest/#installation)
    - [Flower](https://flower.readthedocs.io/en/latest/install.html)
    """
    seen: set[tuple[object, str]] = set()
    containers: list[tuple[Service | None, ImageBuild]] = []
    for each in project.services:
        built = project.build_for(each)
        if built is not None:
            containers.append((each, built))
    if not project.services:
        containers += [(None, build) for build, _ in project.dockerfiles]
    for service, build in containers:
        if build.dockerfile is None:
            continue
        system = installs_of(build)
        packages = installed_packages(project, build)
        runs = project.container_commands(service, build)
        texts = [line.text for script in project.scripts if script.build is build for line in script.lines]
        tested = {name for name in TOOLS if any(probed(text, name) for text in texts)}  # once per build: linear
        copied = {name: copied_in(build.dockerfile, name) for name in TOOLS}
        for run in runs:
            interpreted = _interpreter(project, build, service, run) if system is not None and run.runs else None
            if system is not None and interpreted is not None:
                script, line, shell = interpreted
                tool = lacks(system, shell)
                at = Location(script, 1)
                if tool is not None and not copied[shell] and (at, shell) not in seen:
                    seen.add((at, shell))
                    yield Violation(at, f"`{line}` runs the script with `{shell}`, but {system.image} does not have "
                                        f"it and the Dockerfile installs no package that provides it: the container "
                                        f"stops with `exec {run.command.words[0]}: no such file or directory`; add "
                                        f"`{suggestion(system, tool)}` or start the script with `#!/bin/sh`",
                                    related=(run.location,))
            name = program_of(run.command)
            if system is not None and run.runs and (run.location, name) not in seen:
                tool = lacks(system, name)
                if tool is not None and not copied[name] and name not in tested:
                    seen.add((run.location, name))
                    yield Violation(run.location,
                                    f"`{name}` runs here, but {system.image} does not have it and the Dockerfile "
                                    f"installs no package that provides it: `{name}: not found`; add "
                                    f"`{suggestion(system, tool)}`")
            if packages is None or "django" not in packages:
                continue  # unknown, or installs that leave out Django itself: a template to fill in, not the image's
            for what, needed in python_needs(run.command):
                if needed & packages or (run.location, what) in seen:
                    continue
                seen.add((run.location, what))
                yield Violation(run.location,
                                f"{what} needs {min(needed)}, which the image's requirements do not "
                                f"install; add it to the requirements")



def _interpreter(project: Project, build: ImageBuild, service: Service | None,
                 run: ContainerCommand) -> tuple[Path, str, str] | None:
    """The script of the image a command executes itself (``./entrypoint.sh``, not ``sh entrypoint.sh``, whose shell
    ignores the ``#!`` line), with that line and the program it names."""
    if not run.command.words:
        return None
    script = project.script_at(build, run.command.words[0], service if run.script is None else None)
    first = (project.text(script, quiet=True) or "").partition("\n")[0].strip() if script is not None else ""
    program = shebang_program(first)
    return (script, first, program) if script is not None and program else None
