"""What the containers start: the server's port and module, entrypoint scripts, collectstatic."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Dockerfile, Instruction
from djlint_docker.parse.servers import Server, server
from djlint_docker.parse.settings import StarImport
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project, StartCommand
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE

DOCKERFILE = "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
GUNICORN = DOCKERFILE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n"
WSGI = "import os\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
INSTALLS_PROJECT = re.compile(r"\bpip[0-9.]*\s+install\b[^&;|]*\s(-e\s+)?\.(\s|$|\[)|\bpoetry\s+install\b|"
                              r"\bpipenv\s+(install|sync)\b|\buv\s+sync\b|\bpdm\s+install\b|\bsetup\.py\s+install\b")
REMOTE_STORAGE = re.compile(r"storages\.|S3|GoogleCloud|Azure|Dropbox|cloudinary", re.I)


def _servers(start: StartCommand) -> Iterator[Server]:
    for command in start.commands:
        found = server(command)
        if found is not None:
            yield found


def _exposed(dockerfile: Dockerfile) -> list[tuple[str, Instruction]]:
    ports = []
    for stage in dockerfile.lineage(dockerfile.final):
        for instruction in stage.all("EXPOSE"):
            for word in instruction.words():
                port, _, protocol = word.partition("/")
                if port.isdigit() and protocol in {"", "tcp"}:
                    ports.append((port, instruction))
    return ports


@rule("DJC213", "port-mismatch", Severity.ERROR, cross=True, examples=[
    Example("published-other-port", {
        "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"8000:8080\"\n",
        "Dockerfile": GUNICORN, "manage.py": MANAGE}, expect=(("compose.yaml", 5),)),
    Example("runserver-default-port", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8080\n"
                        "    ports:\n      - 8000:8000\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 6),)),
    Example("expose-disagrees", {"Dockerfile": GUNICORN.replace("COPY . .\n", "COPY . .\nEXPOSE 5000\n"),
                                 "manage.py": MANAGE}, expect=(("Dockerfile", 5),)),
    Example("matching", {
        "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"127.0.0.1:8001:8000\"\n      - 5678:5678\n",
        "Dockerfile": GUNICORN.replace("COPY . .\n", "COPY . .\nEXPOSE 8000\n"), "manage.py": MANAGE}),
    Example("port-from-variable", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:$$PORT app.wsgi\n"
                        "    ports:\n      - 80:5000\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
])
def port_mismatch(project: Project) -> Iterator[Violation]:
    """The published container port is not the port the server listens on.

    ## What it does
    Reads the port the service's server binds (`runserver 0.0.0.0:PORT`, gunicorn and
    hypercorn `--bind`, uvicorn and daphne `--port` or their default 8000, uwsgi
    `--http`), from the service's `command:` or else the image's CMD/ENTRYPOINT and
    the script it runs. Reports `ports:` when no published container port is that
    port, and an `EXPOSE` that names none of the server's ports. When the server's port
    is unknown, the published ports are compared with `EXPOSE`. A port from a variable
    or a config file is unknown and not compared.

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
    - Seed 002 (the port gunicorn binds and the port mapping agree)
    - Seed 004 (`EXPOSE 8000` matches the server's port)
    """
    for build, dockerfile in project.dockerfiles:
        exposed = _exposed(dockerfile)
        ports = {s.port for s, _ in project.image_servers(build) if s.port}
        if ports and exposed and not ports & {port for port, _ in exposed}:
            port, instruction = exposed[0]
            yield Violation(dockerfile.at(instruction), f"EXPOSE {port}, but the server listens on "
                                                        f"{', '.join(sorted(ports))}; expose the server's port")
    for service in project.services:
        targets = {p.target for p in service.ports if p.protocol == "tcp"}
        if not targets or not project.runs_django(service):
            continue
        build = project.build_for(service)
        servers = project.servers(service, build)
        listening = {s.port for s in servers if s.port}
        if servers and len(listening) == len(servers) and not targets & listening:
            names = ", ".join(sorted({s.program for s in servers}))
            yield Violation(service.ports[0].location,
                            f"service {service.name} publishes container port {', '.join(sorted(targets))}, but "
                            f"{names} listens on {', '.join(sorted(listening))}; publish "
                            f"\"{service.ports[0].published or min(listening)}:{min(listening)}\"")
        elif not servers and build is not None and build.dockerfile is not None:
            exposed = {port for port, _ in _exposed(build.dockerfile)}
            if exposed and not targets & exposed:
                yield Violation(service.ports[0].location,
                                f"service {service.name} publishes container port {', '.join(sorted(targets))}, but "
                                f"the image exposes {', '.join(sorted(exposed))}; publish the exposed port")


def _module_exists(roots: list[Path], dotted: str) -> bool:
    parts = dotted.split(".")
    return any(root.joinpath(*parts).with_suffix(".py").is_file() or root.joinpath(*parts, "__init__.py").is_file()
               for root in roots)


def _search_roots(context: Path) -> list[Path]:
    """The context and its folders two levels down: where a project's packages may start."""
    roots = [context]
    for depth in range(2):
        level = []
        for folder in roots[-1:] if depth == 0 else roots[1:]:
            try:
                level += [Path(e.path) for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)
                          and not e.name.startswith(".") and e.name not in {"node_modules", "__pycache__"}]
            except OSError:
                continue
        roots += level[:200]
    return roots


@rule("DJC405", "wsgi-module-missing", Severity.ERROR, cross=True, examples=[
    Example("wrong-project-name", {"Dockerfile": GUNICORN.replace("app.wsgi", "myproject.wsgi"), "manage.py": MANAGE,
                                   "app/__init__.py": "", "app/wsgi.py": WSGI}, expect=(("Dockerfile", 5),)),
    Example("settings-module-typo", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: app.setings\n",
        "Dockerfile": GUNICORN, "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": WSGI,
        "app/settings.py": "DEBUG = False\n"}, expect=(("compose.yaml", 5),)),
    Example("exists", {"Dockerfile": GUNICORN, "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": WSGI}),
    Example("src-layout-with-chdir", {
        "Dockerfile": DOCKERFILE + "CMD [\"gunicorn\", \"--chdir\", \"src\", \"config.asgi:application\", "
                                   "\"-k\", \"uvicorn.workers.UvicornWorker\"]\n",
        "src/manage.py": MANAGE, "src/config/__init__.py": "", "src/config/asgi.py": WSGI}),
    Example("installed-package", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
        "manage.py": MANAGE, "pyproject.toml": "[project]\nname = 'shop'\n"}),
])
def wsgi_module_missing(project: Project) -> Iterator[Violation]:
    """The server's application module or `DJANGO_SETTINGS_MODULE` does not exist in the project.

    ## What it does
    Takes the module the server loads (`gunicorn myapp.wsgi`, `uvicorn
    myapp.asgi:application`, `daphne`, `hypercorn`, `uwsgi --module=…`) and each
    `DJANGO_SETTINGS_MODULE` that compose or the image sets, and looks for it in the
    build context (at its top and two folder levels down, for `src/` layouts and
    `--chdir`). Reports the ones that do not exist. Stays silent when the image
    installs the project as a package (`pip install .`, poetry, uv sync).

    ## Why is this bad?
    The container starts and exits at once with `ModuleNotFoundError: No module named
    'myproject'`, typically because the tutorial's project name was kept while the
    project was created under another name.

    ## Example
    ```dockerfile
    CMD ["gunicorn", "myproject.wsgi"]
    ```
    in a project whose package is `app/`. Use instead: `CMD ["gunicorn", "app.wsgi"]`.

    ## References
    - Seed 002 (`gunicorn <project>.wsgi` names the project's own package)
    - [Django: how to deploy with WSGI](https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/)
    """
    reported = set()
    for start in project.start_commands:
        build = start.build
        if build is None or build.dockerfile is None or _installs_project(build.dockerfile):
            continue
        for found in _servers(start):
            if found.module and (found.module, start.location) not in reported \
                    and not _module_exists(_search_roots(build.context), found.module):
                reported.add((found.module, start.location))
                yield Violation(start.location, f"{found.program} loads {found.module}, which is no module of the "
                                                f"build context {project.display(build.context)}; name the project's "
                                                f"own wsgi/asgi module")
    for located in project.settings_module_names:
        dotted = located.value.strip()
        builds = [b for b in project.builds if b.dockerfile is not None and not _installs_project(b.dockerfile)]
        if "$" in dotted or not builds or (dotted, located.location) in reported:
            continue
        roots = [root for b in builds for root in _search_roots(b.context)]
        if not _module_exists(roots, dotted):
            reported.add((dotted, located.location))
            yield Violation(located.location, f"DJANGO_SETTINGS_MODULE is {dotted}, which is no module of the project; "
                                              f"Django stops at start-up; name an existing settings module")


def _installs_project(dockerfile: Dockerfile) -> bool:
    return any(INSTALLS_PROJECT.search(run.args) for stage in dockerfile.stages for run in stage.all("RUN"))


def _collectstatic(project: Project, build: ImageBuild) -> Location | None:
    """Where the image (or a script it runs) calls ``collectstatic``."""
    dockerfile = build.dockerfile
    assert dockerfile is not None
    for stage in dockerfile.lineage(dockerfile.final):
        for run in stage.all("RUN"):
            if "collectstatic" in run.args:
                return dockerfile.at(run)
    for script in project.scripts:
        if script.build is build:
            for line in script.lines:
                if "collectstatic" in line.text:
                    return Location(script.path, line.line)
    for start in project.start_commands:
        if start.build is build and any("collectstatic" in command.words for command in start.commands):
            return start.location
    return None


@rule("DJC308", "static-root-missing", Severity.ERROR, cross=True, examples=[
    Example("dockerfile-collectstatic", {
        "Dockerfile": DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings.py": "STATIC_URL = 'static/'\n"}, expect=(("Dockerfile", 5),)),
    Example("entrypoint-collectstatic", {
        "Dockerfile": DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py collectstatic --no-input\nexec \"$@\"\n",
        "app/settings.py": "STATIC_URL = 'static/'\n"}, expect=(("entrypoint.sh", 3),)),
    Example("static-root-set", {
        "Dockerfile": DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings.py": "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                           "STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n"}),
    Example("remote-storage", {
        "Dockerfile": DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings.py": "STORAGES = {'staticfiles': {'BACKEND': 'storages.backends.s3.S3Storage'}}\n"}),
    Example("absolute-star-import", {
        "Dockerfile": DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings.py": "from shared.settings import *\n"}),
])
def static_root_missing(project: Project) -> Iterator[Violation]:
    """`collectstatic` runs but `STATIC_ROOT` is not set.

    ## What it does
    Reports a `collectstatic` in the image (a `RUN`, the entrypoint script or a
    service's command) when the settings that image runs never set `STATIC_ROOT`.
    Stays silent when static files go to remote storage (django-storages) or when the
    settings star-import a module djcheck does not read.

    ## Why is this bad?
    `collectstatic` stops with "You're using the staticfiles app without having set the
    STATIC_ROOT setting to a filesystem path": the build or the container start fails.

    ## Example
    ```python
    STATIC_URL = "static/"
    ```
    Use instead:
    ```python
    STATIC_URL = "static/"
    STATIC_ROOT = BASE_DIR / "staticfiles"
    ```

    ## References
    - Seed 002 (STATIC_ROOT set for collectstatic and WhiteNoise)
    - Seed 004 (collectstatic in the image)
    - [Django: STATIC_ROOT](https://docs.djangoproject.com/en/stable/ref/settings/#static-root)
    """
    for run in project.django_runs:
        if run.build is None or run.build.dockerfile is None or not run.settings:
            continue
        where = _collectstatic(project, run.build)
        if where is None:
            continue
        for settings in run.settings:
            if "STATIC_ROOT" in settings.bindings or _reads_other_settings(project, settings.path):
                continue
            storage = next((settings.bindings[n] for n in ("STORAGES", "STATICFILES_STORAGE") if n in settings.bindings),
                           None)
            text = (project.text(storage.path) or "") if storage else ""
            if storage is not None and REMOTE_STORAGE.search(text):
                continue
            yield Violation(where, f"collectstatic runs, but {project.display(settings.path)} does not set STATIC_ROOT: "
                                   f"it stops with ImproperlyConfigured; set STATIC_ROOT = BASE_DIR / 'staticfiles'",
                            related=(Location(settings.path, 1),))


def _reads_other_settings(project: Project, path: Path) -> bool:
    """Whether a settings module star-imports a module djcheck does not follow (an absolute import)."""
    module = project.python_module(path)
    return module is None or any(isinstance(s, StarImport) and s.level == 0 for s in module.statements)


def _script_started(project: Project, start: StartCommand) -> tuple[Path, str] | None:
    """The script a start command runs directly (``/app/entrypoint.sh``, ``./start``), and its image path."""
    build = start.build
    if build is None or build.dockerfile is None or not start.commands:
        return None
    words = start.commands[0].words
    if not words or words[0].startswith("-") or "$" in words[0]:
        return None
    first = words[0]
    if "/" not in first and not first.endswith(".sh"):
        return None
    dockerfile = build.dockerfile
    workdir = dockerfile.workdir_at(dockerfile.final, dockerfile.final.instructions[-1])
    image_path = posixpath.normpath(posixpath.join(workdir, first))
    path = project.context_file(build, dockerfile.final, image_path)
    return (path, image_path) if path is not None else None


def _made_executable(dockerfile: Dockerfile, image_path: str) -> bool:
    name = posixpath.basename(image_path)
    for stage in dockerfile.lineage(dockerfile.final):
        for instruction in stage.instructions:
            if instruction.keyword == "RUN" and re.search(r"\bchmod\b", instruction.args) and (
                    image_path in instruction.args or re.search(rf"(^|[\s/]){re.escape(name)}\b", instruction.args)
                    or re.search(r"chmod\s+(-R\s+)?\S*[+]?x\S*\s+\S*(/|\.)\s*($|&&|;)", instruction.args)):
                return True
            if instruction.keyword in {"COPY", "ADD"} and re.fullmatch(r"[0-7]*[1357][0-7]*|.*x.*",
                                                                        instruction.flag("chmod") or "0"):
                return True
    return False


@rule("DJC410", "entrypoint-not-executable", Severity.ERROR, cross=True, examples=[
    Example("not-executable", {"Dockerfile": DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
                               "entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"}, expect=(("Dockerfile", 5),)),
    Example("crlf", {"Dockerfile": DOCKERFILE + "RUN chmod +x /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\n",
                     "manage.py": MANAGE, "entrypoint.sh": b"#!/bin/sh\r\nexec \"$@\"\r\n"},
            expect=(("Dockerfile", 6),)),
    Example("no-shebang", {"Dockerfile": DOCKERFILE + "RUN chmod +x entrypoint.sh\nCMD [\"./entrypoint.sh\"]\n",
                           "manage.py": MANAGE, "entrypoint.sh": "python manage.py migrate\nexec gunicorn app.wsgi\n"},
            expect=(("Dockerfile", 6),)),
    Example("chmod-in-dockerfile", {
        "Dockerfile": DOCKERFILE + "RUN chmod +x /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"}),
    Example("run-through-sh", {"Dockerfile": DOCKERFILE + "CMD [\"sh\", \"/app/start.sh\"]\n", "manage.py": MANAGE,
                               "start.sh": "exec gunicorn app.wsgi\n"}),
    Example("copy-chmod", {
        "Dockerfile": DOCKERFILE + "COPY --chmod=755 entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"}),
])
def entrypoint_not_executable(project: Project) -> Iterator[Violation]:
    """A script that CMD/ENTRYPOINT runs cannot be executed.

    ## What it does
    For each script the image's `ENTRYPOINT`/`CMD` (or a service's `command:`) runs
    directly, found in the build context through the `COPY` that put it in the image,
    reports it when it is not executable on disk and the Dockerfile does not make it
    so (`RUN chmod +x`, `COPY --chmod=755`), when it has no `#!` line, or when it has
    Windows (CRLF) line endings, whichever way it is run.

    ## Why is this bad?
    The container fails at once: "permission denied", "exec format error", or
    `/bin/sh^M: bad interpreter` for CRLF endings (a script saved on Windows or checked
    out with `core.autocrlf`).

    ## Example
    ```dockerfile
    COPY entrypoint.sh /app/
    ENTRYPOINT ["/app/entrypoint.sh"]
    ```
    with `entrypoint.sh` not executable. Use instead:
    ```dockerfile
    COPY --chmod=755 entrypoint.sh /app/
    ```
    and `git update-index --chmod=+x entrypoint.sh`, LF line endings, `#!/bin/sh` on top.

    ## References
    - Seed 004 (`chmod +x` on the entrypoint script in the Dockerfile)
    - [Docker: ENTRYPOINT](https://docs.docker.com/reference/dockerfile/#entrypoint)
    """
    reported = set()
    for start in project.start_commands:
        if start.build is None or start.build.dockerfile is None:
            continue
        direct = _script_started(project, start)
        paths = [direct] if direct else []
        for script in project.scripts:
            if script.build is start.build and (not direct or script.path != direct[0]):
                paths.append((script.path, ""))
        for path, image_path in paths:
            text = project.text(path)
            if text is None or path in reported:
                continue
            problems = []
            if "\r\n" in text:
                problems.append("has Windows (CRLF) line endings: the shell reads `\\r` as part of each command")
            if image_path:
                if not text.startswith("#!"):
                    problems.append("has no `#!` line: exec fails with 'exec format error'")
                try:
                    executable = path.stat().st_mode & 0o111
                except OSError:
                    executable = 1
                if not executable and not _made_executable(start.build.dockerfile, image_path):
                    problems.append("is not executable and the Dockerfile does not chmod it: 'permission denied'")
            if problems:
                reported.add(path)
                yield Violation(start.location, f"{project.display(path)} {'; '.join(problems)}",
                                related=(Location(path, 1),))


@rule("DJC411", "entrypoint-no-exec", Severity.WARNING, examples=[
    Example("server-without-exec", {
        "Dockerfile": DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\ngunicorn --bind 0.0.0.0:8000 app.wsgi\n"},
        expect=(("entrypoint.sh", 3),)),
    Example("command-without-exec", {
        "Dockerfile": DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\n\"$@\"\n"},
        expect=(("entrypoint.sh", 3),)),
    Example("ignores-cmd", {
        "Dockerfile": DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\n"},
        expect=(("entrypoint.sh", 2),)),
    Example("exec", {
        "Dockerfile": DOCKERFILE + "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate\n\nexec \"$@\"\n"}),
    Example("exec-server", {
        "Dockerfile": DOCKERFILE + "CMD [\"sh\", \"/app/start.sh\"]\n", "manage.py": MANAGE,
        "start.sh": "#!/bin/sh\nexec gunicorn app.wsgi \\\n  --bind 0.0.0.0:8000\n"}),
])
def entrypoint_no_exec(project: Project) -> Iterator[Violation]:
    """The entrypoint script starts the server without `exec`.

    ## What it does
    Reads the scripts the image's `ENTRYPOINT`/`CMD` run and reports the last command
    when it starts an application server (gunicorn, uvicorn, daphne, uwsgi,
    `runserver`) or the image's CMD (`"$@"`) without `exec`, and an `ENTRYPOINT`
    script that never runs the CMD it is given.

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
    - Seed 004 (`exec "$@"` at the end of the entrypoint script)
    - [Docker: ENTRYPOINT, exec form and signals](https://docs.docker.com/reference/dockerfile/#entrypoint)
    """
    for script in project.scripts:
        if not script.from_image or not script.lines or script.build.dockerfile is None:
            continue
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
            script.path.name in word for word in (entrypoint.exec_form or entrypoint.words()))
        if is_entrypoint and cmd is not None and not any(re.search(r"\$\{?[@*]", line.text) for line in script.lines):
            yield Violation(Location(script.path, last.line), "the ENTRYPOINT script never runs the CMD it is given: "
                                                              "end it with `exec \"$@\"`")
