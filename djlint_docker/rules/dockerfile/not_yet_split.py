"""DJC1xx: the Dockerfile."""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.edits import (
    insert_lines,
    line_end,
    line_start,
    newline,
)
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.images import major_only, parse_image
from djlint_docker.parse.dockerfile import (
    Dockerfile,
    Instruction,
    Stage,
    arg_pairs,
    key_values,
)
from djlint_docker.parse.requirements import pip_install, requirement_files_named
from djlint_docker.parse.shell import Command, program, runserver
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project, StartCommand
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._copies import pip_installs, whole_context_copy
from djlint_docker.rules.dockerfile._runserver import bind_all_fix
from djlint_docker.rules.dockerfile._secrets import secret_name
from djlint_docker.rules.snippets import MANAGE

GOOD = """\
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --create-home app
USER app
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi"]
"""
TRUTHY = {"1", "true", "yes", "on", "y", "t"}


def final_lineage(project: Project) -> Iterator[tuple[Dockerfile, list[Stage]]]:
    """Each Dockerfile with the stages its final image is made of, base first."""
    for _, dockerfile in project.dockerfiles:
        yield dockerfile, dockerfile.lineage(dockerfile.final)


def runs_python(dockerfile: Dockerfile) -> bool:
    """Whether the final image runs Python (a python base, or pip/python/manage.py in it)."""
    for stage in dockerfile.lineage(dockerfile.final):
        if "python" in stage.image.lower():
            return True
        for instruction in stage.instructions:
            if instruction.keyword in {"RUN", "CMD", "ENTRYPOINT"} and re.search(
                    r"\b(pip3?|python3?|manage\.py|gunicorn|uvicorn)\b", instruction.args):
                return True
    return False


def installs_dependencies(command: Command) -> bool:
    """Whether a command installs the project's dependencies from a requirements or lock file."""
    words = command.words
    name = program(command)
    if (re.fullmatch(r"pip[0-9.]*", name) or (name == "uv" and "pip" in words)) and "install" in words:
        return any(w in {"-r", "--requirement"} or w.startswith(("-r", "--requirement=")) for w in words)
    return (name == "poetry" and "install" in words) or (name == "pipenv" and ("install" in words or "sync" in words)) \
        or (name == "uv" and "sync" in words)


@rule("DJC101", "runserver-without-bind", Severity.ERROR, fix="safe", examples=[
    Example("bare-runserver", {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"manage.py\", \"runserver\"]\n",
                               "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("port-only", {"Dockerfile": "FROM python:3.12-slim\nCMD python manage.py runserver 8000\n",
                          "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("localhost", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"runserver\", \"127.0.0.1:8000\"]\n",
                          "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("entrypoint-script", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"./start.sh\"]\n",
        "start.sh": "#!/bin/sh\nset -e\npython manage.py migrate\nexec python manage.py runserver\n", "manage.py": MANAGE},
        expect=(("start.sh", 4),)),
    Example("all-interfaces", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
                               "manage.py": MANAGE}),
    Example("ipv6-any", {"Dockerfile": "FROM python:3.12-slim\nCMD python manage.py runserver [::]:8000\n",
                         "manage.py": MANAGE}),
    Example("zero-shorthand-and-variable-port", {
        "Dockerfile": "FROM python:3.12-slim\nCMD python manage.py runserver 0:${PORT:-8000}\n", "manage.py": MANAGE}),
    Example("gunicorn", {"Dockerfile": GOOD, "manage.py": MANAGE}),
])
def runserver_without_bind(project: Project) -> Iterator[Violation]:
    """The image starts `runserver` on the container's loopback interface.

    ## What it does
    Checks the `CMD`/`ENTRYPOINT` of the final stage, and the scripts they run, for
    `manage.py runserver` without an address that binds every interface
    (`0.0.0.0:PORT`, `0:PORT` or `[::]:PORT`).

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
    - Seed 003 (binding 0.0.0.0 so the server is reachable through the published port)
    - Seed 000 (Docker's Compose and Django quickstart)
    - [django-admin runserver](https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver)
    """
    for start in project.start_commands:
        if start.service is None:
            # Words after the array (DJC115) may be the address: moving them in comes first.
            fixable = start.instruction is None or not start.instruction.ignored
            yield from _loopback(project, start.commands, start.location, fixable)
    for script in project.scripts:
        for line in script.lines:
            yield from _loopback(project, line.commands, Location(script.path, line.line))


def _loopback(project: Project, commands: tuple[Command, ...], location: Location,
              fixable: bool = True) -> Iterator[Violation]:
    for command in commands:
        server = runserver(command)
        if server is not None and server.loopback_only:
            yield Violation(location, f"`runserver` binds {server.shown()}, the container's loopback only; "
                                      f"bind {server.suggested()}",
                            fix=bind_all_fix(project, location, server) if fixable else None)


@rule("DJC102", "runserver-in-image", Severity.WARNING, examples=[
    Example("cmd-runserver", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
                              "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("script-runserver", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY docker/entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
        "docker/entrypoint.sh": "#!/bin/sh\npython manage.py migrate\nexec python manage.py runserver 0.0.0.0:8000\n",
        "manage.py": MANAGE}, expect=(("docker/entrypoint.sh", 3),)),
    Example("compose-dev-override", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
        "Dockerfile": GOOD, "manage.py": MANAGE}),
    Example("gunicorn", {"Dockerfile": GOOD, "manage.py": MANAGE}),
])
def runserver_in_image(project: Project) -> Iterator[Violation]:
    """The image itself starts Django's development server.

    ## What it does
    Checks the final stage's `CMD`/`ENTRYPOINT`, and the scripts they run, for
    `manage.py runserver`. A compose `command:` that runs `runserver` for local
    development is not reported: the image stays fit for production.

    ## Why is this bad?
    `runserver` is for development: it is not audited for security, serves one
    process, reloads on file changes and serves static files only with DEBUG. An image
    that starts it by default ends up in production that way.

    ## Example
    ```dockerfile
    CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    ```
    Use instead:
    ```dockerfile
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "myproject.wsgi"]
    ```

    ## References
    - Seed 004 (Gunicorn and Nginx for production; runserver is not for production)
    - Seed 002 (uWSGI, Gunicorn or Uvicorn as the application gateway)
    - [Django: how to deploy with WSGI](https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/)
    """
    for start in project.start_commands:
        if start.service is None and any(runserver(c) for c in start.commands):
            yield Violation(start.location, "the image starts the development server (`runserver`); "
                                            "start gunicorn or uvicorn and keep runserver for a compose override")
    for script in project.scripts:
        if not script.from_image:
            continue
        for line in script.lines:
            if any(runserver(c) for c in line.commands):
                yield Violation(Location(script.path, line.line),
                                "the image's entrypoint script starts the development server (`runserver`); "
                                "start gunicorn or uvicorn")


@rule("DJC103", "requirements-after-source", Severity.WARNING, fix="safe", examples=[
    Example("copy-all-then-install", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
        "requirements.txt": "django\n", "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("add-dot-then-poetry", {
        "Dockerfile": "FROM python:3.12\nWORKDIR /code\nADD . /code/\nRUN pip install poetry && poetry install\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("requirements-first", {"Dockerfile": GOOD, "requirements.txt": "django\n", "manage.py": MANAGE}),
    Example("copy-in-another-stage", {
        "Dockerfile": "FROM python:3.12-slim AS build\nCOPY requirements.txt .\nRUN pip wheel -r requirements.txt -w /wheels\n"
                      "FROM python:3.12-slim\nCOPY --from=build /wheels /wheels\nRUN pip install /wheels/*\nCOPY . /app\n",
        "manage.py": MANAGE}),
])
def requirements_after_source(project: Project) -> Iterator[Violation]:
    """The whole build context is copied before the dependencies are installed.

    ## What it does
    Finds a stage that copies the whole context (`COPY . …` or `ADD . …`) and later in
    the same stage installs dependencies (`pip install -r`, `poetry install`,
    `pipenv install`, `uv sync`).

    ## Why is this bad?
    Docker reuses a layer only while everything before it is unchanged. After
    `COPY . .`, any edit to any file invalidates the install layer, so every build
    downloads and installs every dependency again.

    ## Example
    ```dockerfile
    COPY . .
    RUN pip install -r requirements.txt
    ```
    Use instead:
    ```dockerfile
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY . .
    ```

    ## Fix safety
    Safe: the requirements files (and those they include) are copied first and the
    install moves above the source copy. Offered only when the install comes right
    after the copy, reads nothing but requirements files (no `.`, no `-e`) and the copy
    lands in the working directory.

    ## References
    - Seed 001 (copy requirements.txt, install, then copy the project)
    - Seed 004 (two-step install to use Docker's layer cache)
    - [Docker build cache](https://docs.docker.com/build/cache/)
    """
    for build, dockerfile in project.dockerfiles:
        for stage in dockerfile.stages:
            found = _source_before_install(project, build, stage)
            if found is None:
                continue
            copy, run = found
            yield Violation(dockerfile.at(copy),
                            f"`{copy.keyword} {copy.args}` comes before the dependency install on line {run.line}: "
                            f"every code change reinstalls every dependency; copy the requirements first, install, "
                            f"then copy the source",
                            related=(dockerfile.at(run),), fix=_install_first_fix(project, build, stage, copy, run))


REQUIREMENTS_LIKE = re.compile(r".*\.(txt|in|pip|lock|toml|cfg)$|Pipfile.*", re.I)
"""Names a folder of requirements holds; a folder with anything else holds source."""


def _source_before_install(project: Project, build: ImageBuild, stage: Stage) -> tuple[Instruction, Instruction] | None:
    """The first copy of source (the whole context, or a source folder) and the dependency install after it.

    A folder copy counts only before a ``pip install -r`` (what that reads is known: a
    poetry or uv install may need the package's own folder), and only when the folder
    holds more than requirements files.
    """
    copies = [c for c in stage.instructions if c.keyword in {"COPY", "ADD"} and c.flag("from") is None]
    installs = [r for r in stage.all("RUN") if any(installs_dependencies(c) for c in r.commands)]
    for copy in copies:
        run = next((r for r in installs if r.line > copy.line), None)
        if run is None:
            break
        if whole_context_copy(copy):
            return copy, run
        if any(pip_installs(c) and requirement_files_named(c.words) for c in run.commands) and \
                _copies_source_folder(build, copy):
            return copy, run
    return None


def _copies_source_folder(build: ImageBuild, copy: Instruction) -> bool:
    """Whether the copy's one source is a folder of the context holding more than requirements files."""
    parts = list(copy.exec_form) if copy.exec_form else copy.words()
    if len(parts) != 2 or "$" in parts[0] or any(c in parts[0] for c in "*?["):
        return False
    folder = build.context / parts[0].lstrip("/")
    if not folder.is_dir() or not folder.resolve().is_relative_to(build.context.resolve()):
        return False
    try:
        with os.scandir(folder) as entries:
            return any(entry.is_dir(follow_symlinks=False) or not REQUIREMENTS_LIKE.fullmatch(entry.name)
                       for entry in entries)
    except OSError:
        return False


MOVABLE = {"WORKDIR", "ENV", "ARG", "LABEL", "EXPOSE", "USER", "STOPSIGNAL"}
"""Instructions that read nothing of the build context: a copy may move past them.

A COPY ignores ``USER`` (its files belong to root unless ``--chown`` says otherwise).
"""
SYSTEM_PACKAGE_TOOLS = {"apt-get", "apt", "apk", "dnf", "yum", "microdnf"}
KEPT_COPY_FLAGS = {"chown", "chmod", "link"}


def _install_first_fix(project: Project, build: ImageBuild, stage: Stage, copy: Instruction,
                       run: Instruction) -> Fix | None:
    """The requirements files copied in the source copy's place, and the source copied right after the install.

    The copy keeps its destination, so the install reads each requirements file at the
    path it read before. Offered only when nothing between the copy and the install
    reads the context (``WORKDIR``, ``ENV``, ``ARG``, ... and installs of named
    packages), the install reads nothing but requirements files (no ``.``, no ``-e``,
    no constraints file), the files are plain paths under the copy's source, and moving
    the copy changes neither its destination nor its variables.
    """
    dockerfile = build.dockerfile
    text = project.text(dockerfile.path)
    parts = list(copy.exec_form) if copy.exec_form else copy.words()
    if text is None or copy.exec_form or run.exec_form or len(parts) != 2 or copy.heredocs:
        return None
    source, dest = parts
    if "$" in text[line_start(text, copy.line):line_end(text, copy.end_line)] or \
            any(name not in KEPT_COPY_FLAGS for name, _ in copy.flags):
        return None
    instructions = stage.instructions
    between = instructions[instructions.index(copy) + 1:instructions.index(run)]
    if any(i.keyword not in MOVABLE and not (i.keyword == "RUN" and _reads_only_requirements(i, False))
           for i in between) or not _reads_only_requirements(run, True):
        return None
    if not dest.startswith("/") and any(i.keyword == "WORKDIR" for i in between):
        return None  # the moved copy would land elsewhere
    files = _requirement_files_needed(project, build, run)
    folder = posixpath.normpath(source.lstrip("/"))
    prefix = "" if folder == "." else folder + "/"
    relative = [f.relative_to(build.context).as_posix() for f in files or () if f.is_relative_to(build.context)]
    if not files or len(relative) != len(files) or not all(r.startswith(prefix) for r in relative) or \
            any(re.search(r"[\s\"'$`\\*?\[]", r) for r in relative):
        return None
    by_folder: dict[str, list[str]] = {}
    for path in sorted(relative):
        by_folder.setdefault(posixpath.dirname(path[len(prefix):]), []).append(path)
    flags = "".join(f"--{name}={value} " if value is not None else f"--{name} " for name, value in copy.flags)
    target = dest.rstrip("/") or "/"
    lines = [f"COPY {flags}{' '.join(paths)} {posixpath.join(target, sub).rstrip('/')}/"
             for sub, paths in sorted(by_folder.items())]
    moved = text[line_start(text, copy.line):line_end(text, copy.end_line)].splitlines()
    path = dockerfile.path
    return Fix("install the requirements before copying the source",
               (Edit(path, line_start(text, copy.line), line_start(text, copy.end_line + 1),
                     "".join(line + newline(text) for line in lines)),
                insert_lines(path, text, run.end_line + 1, moved)))


def _reads_only_requirements(run: Instruction, install: bool) -> bool:
    """Whether a RUN reads nothing of the context but requirements files (none at all unless ``install``).

    Its commands are package-manager commands with no relative path and ``pip install``
    of named packages or of requirements files (``-r``, when ``install``), with no
    constraints file, editable or local path.
    """
    for command in run.commands:
        words = command.words
        if program(command) in SYSTEM_PACKAGE_TOOLS and not any(w.startswith(("./", "../")) for w in words):
            continue
        pip = pip_install(words) if pip_installs(command) or (program(command) == "uv" and "pip" in words) else None
        if pip is None or pip.paths or pip.editable or any(w in {"-c", "--constraint"} or
                                                            w.startswith(("-c", "--constraint=")) for w in words):
            return False
        if requirement_files_named(words) and not install:
            return False
    return bool(run.commands)


def _requirement_files_needed(project: Project, build: ImageBuild, run: Instruction) -> list[Path] | None:
    """The requirements files the install reads, with the files they include; None when one names a local file.

    A constraints file, an editable or a local path inside a requirements file would be
    missing when only the requirements files are copied first.
    """
    pending = [path for instruction, _, path in project.requirement_files(build) if instruction is run]
    if not pending or None in pending:
        return None
    found: list[Path] = []
    while pending:
        path = pending.pop()
        if path in found:
            continue
        found.append(path)
        text = project.text(path)
        if text is None or len(found) > 50:
            return None
        for line in text.splitlines():
            line = re.sub(r"(^|\s)#.*$", "", line).strip()
            if re.match(r"(-c|--constraint|-e|--editable|\.|/|file:)", line):
                return None
            pending += [Path(os.path.normpath(path.parent / named)) for named in requirement_files_named(line.split())]
    return found


def _set_by_compose(project: Project, build: ImageBuild, variable: str) -> bool:
    """Whether every service running the image sets ``variable`` (``environment:`` or ``env_file:``)."""
    services = [s for s in project.services if s.name in build.services]
    return bool(services) and all(variable in project.service_environment(s) for s in services)


def _env_rule(project: Project, variable: str, why: str) -> Iterator[Violation]:
    for build, dockerfile in project.dockerfiles:
        lineage = dockerfile.lineage(dockerfile.final)
        if (variable not in dockerfile.env(dockerfile.final) and runs_python(dockerfile)
                and not _set_by_compose(project, build, variable)):
            final = lineage[-1].from_
            text = project.text(dockerfile.path)
            fix = Fix(f"add ENV {variable}=1", (insert_lines(dockerfile.path, text, final.end_line + 1,
                                                             [f"ENV {variable}=1"]),)) if text is not None else None
            yield Violation(dockerfile.at(final), f"the final stage does not set {variable}: {why}; "
                                                   f"add `ENV {variable}=1`", fix=fix)


@rule("DJC104", "python-unbuffered-missing", Severity.WARNING, fix="safe", examples=[
    Example("no-env", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("set-in-base-stage", {
        "Dockerfile": "FROM python:3.12-slim AS base\nENV PYTHONUNBUFFERED 1\nFROM base\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}),
    Example("set-among-others", {"Dockerfile": GOOD, "manage.py": MANAGE}),
    Example("set-by-every-service", {
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n  worker:\n    build: .\n"
                        "    environment:\n      - PYTHONUNBUFFERED=1\n", ".env": "export PYTHONUNBUFFERED=true\n"}),
    Example("not-python", {"Dockerfile": "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n",
                           "manage.py": MANAGE}),
])
def python_unbuffered_missing(project: Project) -> Iterator[Violation]:
    """The final image does not set `PYTHONUNBUFFERED`.

    ## What it does
    Checks the environment of the final stage (including the stages it is built from)
    of an image that runs Python for `PYTHONUNBUFFERED`. When every compose service
    that runs the image sets it (`environment:` or `env_file:`), that is enough.

    ## Why is this bad?
    Without a terminal Python buffers stdout and stderr: `docker logs` shows output
    late, and what is still in the buffer is lost when the process crashes.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ENV PYTHONUNBUFFERED=1
    ```

    ## Fix safety
    Safe: an `ENV` line is added after `FROM`.

    ## References
    - Seeds 000, 001 and 004 (set PYTHONUNBUFFERED so output is not buffered)
    - [Python: PYTHONUNBUFFERED](https://docs.python.org/3/using/cmdline.html#envvar-PYTHONUNBUFFERED)
    """
    return _env_rule(project, "PYTHONUNBUFFERED", "logs arrive late and are lost on a crash")


@rule("DJC105", "python-bytecode-env-missing", Severity.INFO, fix="safe", examples=[
    Example("no-env", {"Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
                       "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("set", {"Dockerfile": GOOD, "manage.py": MANAGE}),
])
def python_bytecode_env_missing(project: Project) -> Iterator[Violation]:
    """The final image does not set `PYTHONDONTWRITEBYTECODE`.

    ## What it does
    Checks the environment of the final stage of an image that runs Python for
    `PYTHONDONTWRITEBYTECODE`, or of every compose service that runs the image.

    ## Why is this bad?
    Python writes `.pyc` files next to the sources; with the source bind-mounted in
    development they clutter the project on the host, owned by the container's user.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ENV PYTHONDONTWRITEBYTECODE=1
    ```

    ## Fix safety
    Safe: an `ENV` line is added after `FROM`.

    ## References
    - Seeds 000, 001 and 004 (PYTHONDONTWRITEBYTECODE keeps .pyc files out)
    - [Python: PYTHONDONTWRITEBYTECODE](https://docs.python.org/3/using/cmdline.html#envvar-PYTHONDONTWRITEBYTECODE)
    """
    return _env_rule(project, "PYTHONDONTWRITEBYTECODE", ".pyc files clutter bind-mounted source")


@rule("DJC106", "base-image-unpinned", Severity.WARNING, examples=[
    Example("major-only", {"Dockerfile": "FROM python:3\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("no-tag-and-latest", {
        "Dockerfile": "FROM node AS assets\nRUN npm ci\nFROM python:latest\nCOPY --from=assets /dist /static\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1), ("Dockerfile", 3))),
    Example("arg-default-unpinned", {"Dockerfile": "ARG PYTHON=3\nFROM python:${PYTHON}-slim\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("pinned-minor", {"Dockerfile": GOOD, "manage.py": MANAGE}),
    Example("arg-default-pinned", {"Dockerfile": "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim AS base\n"
                                                 "FROM base\n", "manage.py": MANAGE}),
    Example("digest", {"Dockerfile": "FROM python@sha256:" + "a" * 64 + "\n", "manage.py": MANAGE}),
])
def base_image_unpinned(project: Project) -> Iterator[Violation]:
    """A `FROM` image is not pinned to a version.

    ## What it does
    Reports `FROM` without a tag, with `:latest`, or (for Python images) with a tag that
    pins only the major version (`python:3`, `python:3-slim`). Tags set through an
    `ARG` are read with the ARG's default; digests, `scratch` and earlier stages are
    fine.

    ## Why is this bad?
    The same Dockerfile builds with another Python when a new release is tagged: code
    and compiled dependencies break on a rebuild nobody changed.

    ## Example
    ```dockerfile
    FROM python:3
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ```

    ## References
    - Seed 000 (`FROM python:3` in the quickstart)
    - Seed 001 (pin the Python version and the Debian release explicitly)
    - [Docker best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    """
    for _, dockerfile in project.dockerfiles:
        for stage in dockerfile.stages:
            if stage.parent is not None or not stage.image or stage.image.lower() == "scratch":
                continue
            image = parse_image(stage.image)
            if image.digest:
                continue
            where = dockerfile.at(stage.from_)
            if image.tag is None or image.tag == "latest":
                shown = "no tag" if image.tag is None else "`:latest`"
                yield Violation(where, f"`FROM {stage.image}` has {shown}: a rebuild may bring another version; "
                                       f"pin a version tag")
            elif image.name == "python" and major_only(image.tag):
                yield Violation(where, f"`FROM {stage.image}` pins only Python's major version; "
                                       f"pin a minor version such as python:3.12-slim")


@rule("DJC107", "deprecated-django-image", Severity.ERROR, examples=[
    Example("django-image", {"Dockerfile": "FROM django:onbuild\n", "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("python-image", {"Dockerfile": GOOD, "manage.py": MANAGE}),
])
def deprecated_django_image(project: Project) -> Iterator[Violation]:
    """The Dockerfile builds on the deprecated official `django` image.

    ## What it does
    Reports `FROM django` with any tag.

    ## Why is this bad?
    The official `django` image was deprecated in 2016 and receives no updates: its
    Python, Django and system libraries carry years of known vulnerabilities.

    ## Example
    ```dockerfile
    FROM django:onbuild
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ```

    ## References
    - Seed 004 (the django image is deprecated since 2016; use the python image)
    - [Docker Hub: django](https://hub.docker.com/_/django)
    """
    for _, dockerfile in project.dockerfiles:
        for stage in dockerfile.stages:
            if stage.parent is None and stage.image and parse_image(stage.image).repository == "django":
                yield Violation(dockerfile.at(stage.from_), f"`FROM {stage.image}`: the official django image is "
                                                             f"deprecated since 2016; build on python:3.x-slim")


ROOT_USERS = {"root", "0", "root:root", "0:0"}
PRIVILEGE_DROPPERS = {"gosu", "su-exec", "setpriv", "runuser", "chroot", "s6-setuidgid"}


@rule("DJC108", "runs-as-root", Severity.WARNING, examples=[
    Example("no-user", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("back-to-root", {"Dockerfile": "FROM python:3.12-slim\nUSER app\nRUN echo\nUSER root\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 4),)),
    Example("user-in-final-stage", {"Dockerfile": GOOD, "manage.py": MANAGE}),
    Example("proxy-image", {"Dockerfile": "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/\n", "manage.py": MANAGE}),
    Example("entrypoint-drops-privileges", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\nchown -R app /data\nexec gosu app \"$@\"\n", "manage.py": MANAGE}),
])
def runs_as_root(project: Project) -> Iterator[Violation]:
    """The final image runs as root.

    ## What it does
    Reports a final stage of an image that runs Python with no `USER` instruction (in
    it or the stages it is built from), or whose last `USER` is root. Entrypoints that
    drop privileges themselves (`gosu`, `su-exec`, `setpriv`), and services whose
    compose definition sets `user:`, are accepted.

    ## Why is this bad?
    A process that is root in the container is root on every volume it mounts, and an
    escape from the application starts with every privilege.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD ["gunicorn", "myproject.wsgi"]
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --create-home app
    USER app
    CMD ["gunicorn", "myproject.wsgi"]
    ```

    ## References
    - Seed 001 (non-root user in the image)
    - [Docker best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    """
    for build, dockerfile in project.dockerfiles:
        if not runs_python(dockerfile):
            continue  # a proxy or database image built here is not the Django image
        users = [u for stage in dockerfile.lineage(dockerfile.final) for u in stage.all("USER")]
        scripts = [s for s in project.scripts if s.build is build]
        drops = any(program(c) in PRIVILEGE_DROPPERS for s in scripts for line in s.lines for c in line.commands) or any(
            program(c) in PRIVILEGE_DROPPERS for start in project.start_commands if start.build is build
            for c in start.commands)
        if drops or (build.services and all("user" in s.keys for s in project.services if s.name in build.services)):
            continue
        if not users:
            yield Violation(dockerfile.at(dockerfile.final.from_), "the final stage sets no USER: the container "
                                                                    "runs as root; add a user and `USER` it")
        elif users[-1].args.strip() in ROOT_USERS:
            yield Violation(dockerfile.at(users[-1]), f"the last USER is `{users[-1].args.strip()}`: the container "
                                                       f"runs as root; switch to an unprivileged user")


@rule("DJC109", "shell-form-command", Severity.WARNING, fix="safe", examples=[
    Example("shell-cmd", {"Dockerfile": "FROM python:3.12-slim\nCMD gunicorn --bind 0.0.0.0:8000 app.wsgi\n",
                          "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("earlier-cmd-overridden", {"Dockerfile": "FROM python:3.12-slim\nCMD gunicorn app.wsgi\n"
                                                    "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("exec-in-shell", {"Dockerfile": "FROM python:3.12-slim\nCMD exec gunicorn --bind 0.0.0.0:$PORT app.wsgi\n",
                              "manage.py": MANAGE}),
    Example("exec-form", {"Dockerfile": GOOD, "manage.py": MANAGE}),
])
def shell_form_command(project: Project) -> Iterator[Violation]:
    """`CMD` or `ENTRYPOINT` in shell form.

    ## What it does
    Reports the effective `CMD`/`ENTRYPOINT` of the final stage when written in shell
    form (`CMD gunicorn …`) unless the shell `exec`s the server.

    ## Why is this bad?
    Shell form runs `/bin/sh -c "…"`: the shell is PID 1 and does not pass SIGTERM on,
    so `docker stop` waits for its timeout and then kills the server, dropping requests
    in flight.

    ## Example
    ```dockerfile
    CMD gunicorn --bind 0.0.0.0:8000 myproject.wsgi
    ```
    Use instead:
    ```dockerfile
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "myproject.wsgi"]
    ```

    ## Fix safety
    Safe when the command uses no shell feature (variables, `&&`, redirections); the
    fix is offered only then.

    ## References
    - Seed 003 (CMD in exec form)
    - [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
    """
    for start in project.start_commands:
        instruction = start.instruction
        if instruction is None or instruction.exec_form is not None or start.service is not None:
            continue
        if instruction.args.lstrip().startswith("exec "):
            continue
        yield Violation(start.location, f"`{instruction.keyword} {instruction.args}` is in shell form: the server "
                                        f"is not PID 1 and misses SIGTERM; use the JSON (exec) form",
                        fix=_exec_form_fix(project, start))


LITERAL_WORD = re.compile(r"""(?:[^\s'"$`\\&|;<>()*?\[\]~#{}!]|'[^']*'|"[^"$`\\]*")+""")
"""A shell word that means itself once its quotes are removed: no expansion, operator or glob outside quotes."""
QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")
RESERVED = {"if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "function",
            "select", "time", "exec"}


def literal_words(text: str) -> list[str] | None:
    """The words of a shell command line with quotes removed, or None when it needs a shell to mean what it says.

    Variables, command substitution, backslashes, operators, redirections, globs and
    tildes outside quotes, a comment, an assignment or a reserved word in front all need
    ``sh -c``; quoted text (``--forwarded-allow-ips="*"``) does not.
    """
    words: list[str] = []
    position, end = 0, len(text)
    while position < end:
        if text[position] in " \t":
            position += 1
            continue
        match = LITERAL_WORD.match(text, position)
        if match is None or (match.end() < end and text[match.end()] not in " \t"):
            return None
        if not words and (re.match(r"[A-Za-z_][A-Za-z0-9_]*=", match.group()) or match.group() in RESERVED):
            return None
        words.append(QUOTED.sub(lambda quoted: quoted.group(1) if quoted.group(1) is not None else quoted.group(2),
                                match.group()))
        position = match.end()
    return words


def _exec_form_fix(project: Project, start: StartCommand) -> Fix | None:
    """The same words in JSON form, when the one-line command needs no shell and exec form runs it the same way.

    Not for a script without a ``#!`` line (the shell runs it as a script; exec form fails
    with "exec format error"), nor for an ``ENTRYPOINT`` that a ``CMD`` or a compose
    ``command:`` would then be appended to.
    """
    instruction, location, build = start.instruction, start.location, start.build
    text = project.text(location.path)
    if text is None or instruction.line != instruction.end_line or build is None:
        return None
    words = literal_words(instruction.args)
    if not words:
        return None
    dockerfile = build.dockerfile
    if instruction.keyword == "ENTRYPOINT" and (dockerfile.final.all("CMD") or any(
            "command" in service.keys for service in project.services if service.name in build.services)):
        return None
    if not _runs_without_shell(project, build, words[0]):
        return None
    line = text[line_start(text, instruction.line):line_end(text, instruction.line)]
    if not line.rstrip().endswith(instruction.args):
        return None
    start_offset = line_start(text, instruction.line) + len(line.rstrip()) - len(instruction.args)
    exec_form = json.dumps(words, ensure_ascii=False)
    return Fix(f"{instruction.keyword} {exec_form}", (Edit(location.path, start_offset,
                                                             line_start(text, instruction.line) + len(line),
                                                             exec_form),))


PATH_FOLDERS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")


def _runs_without_shell(project: Project, build: ImageBuild, program_word: str) -> bool:
    """Whether exec form can start ``program_word``: a program, or a script of the context with a ``#!`` line.

    A script that cannot be found is given the benefit of the doubt only when its name
    does not end in ``.sh``.
    """
    dockerfile = build.dockerfile
    stage = dockerfile.final
    if "/" in program_word:
        candidates = [posixpath.normpath(posixpath.join(dockerfile.workdir_at(stage, stage.instructions[-1]),
                                                        program_word))]
    else:
        candidates = [f"{folder}/{program_word}" for folder in PATH_FOLDERS]
    for image_path in candidates:
        path = project.context_file(build, stage, image_path)
        if path is not None:
            script = project.text(path)
            return script is not None and script.startswith("#!")
    return not program_word.endswith(".sh")


NO_CACHE_DIR = re.compile(r"^--no-cache(-d(ir?)?)?$|^--no-cache-dir=")
"""pip's option parser accepts unambiguous prefixes: ``--no-cache`` is ``--no-cache-dir``."""


def _cache_mounted(run: Instruction, path: str) -> bool:
    """Whether the RUN mounts a build cache at a path containing ``path``."""
    return any(key == "mount" and value and "type=cache" in value and path in value for key, value in run.flags)


@rule("DJC110", "pip-cache-kept", Severity.INFO, fix="safe", examples=[
    Example("no-flag", {"Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
                        "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("no-cache-dir", {"Dockerfile": GOOD, "manage.py": MANAGE}),
    Example("abbreviated-option", {"Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache /wheels/*\n",
                                   "manage.py": MANAGE}),
    Example("env-and-cache-mount", {
        "Dockerfile": "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install django\n"
                      "RUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn\n", "manage.py": MANAGE}),
    Example("builder-stage-only", {
        "Dockerfile": "FROM python:3.12-slim AS build\nRUN pip wheel django -w /w && pip install build\n"
                      "FROM python:3.12-slim\nCOPY --from=build /w /w\nRUN pip install --no-cache-dir /w/*\n",
        "manage.py": MANAGE}),
])
def pip_cache_kept(project: Project) -> Iterator[Violation]:
    """`pip install` keeps its download cache in the image.

    ## What it does
    Reports `pip install` in the stages of the final image without `--no-cache-dir`,
    without `PIP_NO_CACHE_DIR` in the environment and without a cache mount.

    ## Why is this bad?
    pip keeps every downloaded wheel under `/root/.cache/pip`; in a layer that cache is
    shipped with the image for nothing, often tens of megabytes.

    ## Example
    ```dockerfile
    RUN pip install -r requirements.txt
    ```
    Use instead:
    ```dockerfile
    RUN pip install --no-cache-dir -r requirements.txt
    ```

    ## Fix safety
    Safe: `--no-cache-dir` changes only what stays in the layer.

    ## References
    - Seed 004 (lean production images)
    - [hadolint DL3042](https://github.com/hadolint/hadolint/wiki/DL3042)
    """
    for dockerfile, lineage in final_lineage(project):
        if "PIP_NO_CACHE_DIR" in dockerfile.env(dockerfile.final):
            continue
        for stage in lineage:
            for run in stage.all("RUN"):
                if _cache_mounted(run, "pip") or _cache_mounted(run, "/root/.cache"):
                    continue
                if any(pip_installs(c) and not any(NO_CACHE_DIR.match(w) for w in c.words) for c in run.commands):
                    yield Violation(dockerfile.at(run), "`pip install` without `--no-cache-dir`: pip's cache "
                                                         "stays in the image; add --no-cache-dir",
                                    fix=_no_cache_dir_fix(project, dockerfile.at(run), run))


PIP_INSTALL_WORDS = re.compile(r"\bpip[0-9.]*\s+install\b(?!-)")


def _no_cache_dir_fix(project: Project, location: Location, run: Instruction) -> Fix | None:
    """``--no-cache-dir`` after each shell-form ``pip install`` of the RUN that lacks it."""
    text = project.text(location.path)
    if text is None or run.exec_form is not None:
        return None
    start, end = line_start(text, run.line), line_end(text, run.end_line)
    edits = []
    for found in PIP_INSTALL_WORDS.finditer(text, start, end):
        arguments = re.split(r"&&|\|\||[;|]", text[found.end():end], maxsplit=1)[0]
        if not re.search(r"--no-cache", arguments):
            edits.append(Edit(location.path, found.end(), found.end(), " --no-cache-dir"))
    return Fix("add --no-cache-dir", tuple(edits)) if edits else None


@rule("DJC111", "apt-lists-kept", Severity.INFO, examples=[
    Example("both-missing", {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y libpq-dev\n",
                             "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("lists-removed-later", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n"
                      "RUN rm -rf /var/lib/apt/lists/*\n", "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("clean", {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get update \\\n && apt-get install -y "
                                    "--no-install-recommends postgresql-client \\\n && rm -rf /var/lib/apt/lists/*\n",
                      "manage.py": MANAGE}),
])
def apt_lists_kept(project: Project) -> Iterator[Violation]:
    """`apt-get install` leaves recommended packages or the package lists in the image.

    ## What it does
    Reports `RUN` instructions of the final image's stages that call `apt-get install`
    without `--no-install-recommends`, or without removing `/var/lib/apt/lists/*` in the
    same `RUN`.

    ## Why is this bad?
    Recommended packages are rarely needed in a container, and the package lists take
    tens of megabytes. Removed in a later `RUN`, they still weigh in the earlier layer.

    ## Example
    ```dockerfile
    RUN apt-get update && apt-get install -y libpq-dev
    ```
    Use instead:
    ```dockerfile
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends libpq-dev \\
        && rm -rf /var/lib/apt/lists/*
    ```

    ## References
    - Seed 004 (`--no-install-recommends` and `rm -rf /var/lib/apt/lists/*`)
    - [hadolint DL3015](https://github.com/hadolint/hadolint/wiki/DL3015), [DL3009](https://github.com/hadolint/hadolint/wiki/DL3009)
    """
    for dockerfile, lineage in final_lineage(project):
        for stage in lineage:
            for run in stage.all("RUN"):
                commands = run.commands
                installs = [c for c in commands if program(c) in {"apt-get", "apt"} and "install" in c.words]
                if not installs:
                    continue
                missing = []
                if any("--no-install-recommends" not in c.words and "APT::Install-Recommends=false" not in " ".join(c.words)
                       for c in installs):
                    missing.append("--no-install-recommends")
                removes = any(program(c) == "rm" and any(w.startswith("/var/lib/apt/lists") for w in c.words)
                              for c in commands)
                if not removes and not _cache_mounted(run, "/var/lib/apt"):
                    missing.append("`rm -rf /var/lib/apt/lists/*` in the same RUN")
                if missing:
                    yield Violation(dockerfile.at(run), f"`apt-get install` without {' and '.join(missing)}")


@rule("DJC112", "secret-in-image", Severity.ERROR, examples=[
    Example("env-secret-key", {"Dockerfile": "FROM python:3.12-slim\nENV SECRET_KEY=please_change_me DEBUG=0\n",
                               "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("arg-password-default", {"Dockerfile": "FROM python:3.12-slim\nARG DB_PASSWORD=hunter2\n",
                                     "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("arg-without-default-and-file", {
        "Dockerfile": "FROM python:3.12-slim\nARG SECRET_KEY\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db\n"
                      "ENV API_TOKEN=${API_TOKEN}\n", "manage.py": MANAGE}),
])
def secret_in_image(project: Project) -> Iterator[Violation]:
    """A secret is baked into the image with `ENV` or an `ARG` default.

    ## What it does
    Reports `ENV` and `ARG` in the final image's stages that give `SECRET_KEY` or a
    variable whose name contains `PASSWORD`, `TOKEN`, `SECRET` or `API_KEY` a literal
    value. References (`${VAR}`), `ARG` without default and `*_FILE` paths are fine.

    ## Why is this bad?
    `ENV` values and `ARG` defaults are stored in the image's metadata: anyone who can
    pull the image reads them with `docker inspect` or `docker history`.

    ## Example
    ```dockerfile
    ENV SECRET_KEY=please_change_me
    ```
    Use instead: pass secrets at run time (compose `environment:` from `${VAR}`, an
    `env_file`, or `secrets:`); for build-time needs use `RUN --mount=type=secret`.

    ## References
    - Seed 004 (SECRET_KEY passed with `docker run -e`, not baked)
    - Seed 002 (settings read secrets from the environment)
    - [Docker build secrets](https://docs.docker.com/build/building/secrets/)
    """
    for dockerfile, lineage in final_lineage(project):
        for stage in lineage:
            for instruction in stage.instructions:
                if instruction.keyword == "ENV":
                    pairs = key_values(instruction.args)
                elif instruction.keyword == "ARG":
                    pairs = [(n, v) for n, v in arg_pairs(instruction.args) if v is not None]
                else:
                    continue
                for name, value in pairs:
                    if secret_name(name) and value and "$" not in value:
                        yield Violation(dockerfile.at(instruction),
                                        f"`{instruction.keyword} {name}` gives a secret a literal value that "
                                        f"stays in the image's layers; pass it at run time")


@rule("DJC113", "debug-in-image", Severity.WARNING, examples=[
    Example("env-debug", {"Dockerfile": "FROM python:3.12-slim\nENV DEBUG=1\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("legacy-form", {"Dockerfile": "FROM python:3.12-slim\nENV DJANGO_DEBUG True\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("debug-off", {"Dockerfile": "FROM python:3.12-slim\nENV DEBUG=0 DJANGO_DEBUG=False\n", "manage.py": MANAGE}),
])
def debug_in_image(project: Project) -> Iterator[Violation]:
    """The image switches Django's DEBUG on.

    ## What it does
    Reports `ENV DEBUG` or `ENV DJANGO_DEBUG` with a true value (`1`, `true`, `yes`,
    `on`) in the final image's stages.

    ## Why is this bad?
    Every container of the image runs with DEBUG unless someone remembers to override
    it: tracebacks with settings and local variables are shown to any visitor.

    ## Example
    ```dockerfile
    ENV DEBUG=1
    ```
    Use instead: leave DEBUG off in the image and set it in the development compose
    file's `environment:`.

    ## References
    - Seed 002 (DJANGO_DEBUG only in the local environment file)
    - Seed 004 (DEBUG must be 0 in production)
    """
    for dockerfile, lineage in final_lineage(project):
        for stage in lineage:
            for instruction in stage.all("ENV"):
                for name, value in key_values(instruction.args):
                    if name in {"DEBUG", "DJANGO_DEBUG"} and value.strip().lower() in TRUTHY:
                        yield Violation(dockerfile.at(instruction), f"`ENV {name}={value}` turns DEBUG on in every "
                                                                     f"container of the image; set it in development "
                                                                     f"only")


@rule("DJC115", "text-after-exec-form", Severity.ERROR, fix="unsafe", examples=[
    Example("address-after-array", {
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"runserver\"] 0.0.0.0:8000\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 2),),
        fixed={"Dockerfile": "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n"}),
    Example("second-array", {"Dockerfile": "FROM python:3.12-slim\nENTRYPOINT [\"/entrypoint.sh\"] [\"gunicorn\"]\n",
                  "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("volume", {"Dockerfile": "FROM python:3.12-slim\nVOLUME [\"/data\"] /static\n",
                  "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("exec-form", {"Dockerfile": GOOD, "manage.py": MANAGE}),
    Example("comment-after-array", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]  # prod\n",
                  "manage.py": MANAGE}),
    Example("invalid-json-is-shell-form", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\",] x\n",
                  "manage.py": MANAGE}),
])
def text_after_exec_form(project: Project) -> Iterator[Violation]:
    """Text after an exec-form JSON array, which Docker silently drops.

    ## What it does
    Reports an instruction written as a JSON array (`CMD`, `ENTRYPOINT`, `RUN`, `SHELL`,
    `COPY`, `ADD`, `VOLUME`) with more text after the closing bracket. Text that starts
    with `#` is left alone: it is dropped, as its writer meant.

    ## Why is this bad?
    BuildKit decodes the first JSON value and ignores the rest of the line without a
    warning. `CMD ["python", "manage.py", "runserver"] 0.0.0.0:8000` starts `runserver`
    on 127.0.0.1: the address never reaches Django.

    ## Example
    ```dockerfile
    CMD ["python", "manage.py", "runserver"] 0.0.0.0:8000
    ```
    Use instead:
    ```dockerfile
    CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    ```

    ## Fix safety
    Unsafe: the fix moves the words into the array, so the container runs what the line
    says rather than what Docker ran until now. Offered only when the text is plain words
    (no variables, operators or quotes that need a shell).

    ## References
    - [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
    - [BuildKit's parser: `parseJSON` decodes one value](https://github.com/moby/buildkit/blob/master/frontend/dockerfile/parser/line_parsers.go)
    """
    for _, dockerfile in project.dockerfiles:
        for instruction in dockerfile.instructions:
            if instruction.ignored and not instruction.ignored.startswith("#"):
                yield Violation(dockerfile.at(instruction),
                                f"`{instruction.ignored}` after the JSON array of {instruction.keyword} is ignored by "
                                f"Docker, which runs {json.dumps(list(instruction.exec_form))}; move the words into "
                                f"the array", fix=_into_array_fix(project, dockerfile, instruction))


def _into_array_fix(project: Project, dockerfile: Dockerfile, instruction: Instruction) -> Fix | None:
    """The ignored words added as the array's last items (quotes removed), when they need no shell."""
    text = project.text(dockerfile.path)
    words = literal_words(instruction.ignored)
    if text is None or not words or instruction.line != instruction.end_line:
        return None
    line = text[line_start(text, instruction.line):line_end(text, instruction.line)].rstrip()
    if not line.endswith(instruction.args):
        return None
    args_start = line_start(text, instruction.line) + len(line) - len(instruction.args)
    array_end = args_start + len(instruction.args[:instruction.args.rfind(instruction.ignored)].rstrip())
    items = ", ".join(json.dumps(word, ensure_ascii=False) for word in words)
    return Fix(f"add {items} to the array", (
        Edit(dockerfile.path, array_end - 1, array_end - 1, f", {items}" if instruction.exec_form else items),
        Edit(dockerfile.path, array_end, args_start + len(instruction.args), "")), safe=False)
