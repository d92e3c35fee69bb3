"""DJC410 entrypoint-not-executable: a script that CMD/ENTRYPOINT runs cannot be executed."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.parse.shell import command_string, split_line
from djlint_docker.positions import Location
from djlint_docker.project import Project, StartCommand
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE


@rule("DJC410", "entrypoint-not-executable", Severity.ERROR, cross=True, examples=[
    Example("not-executable", {"Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n",
                               "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"},
            expect=(("Dockerfile", 5),)),
    Example("crlf", {"Dockerfile": APP_DOCKERFILE + "RUN chmod +x /app/entrypoint.sh\n"
                                   "ENTRYPOINT [\"/app/entrypoint.sh\"]\n",
                     "manage.py": MANAGE, "entrypoint.sh": b"#!/bin/sh\r\nexec \"$@\"\r\n"},
            expect=(("Dockerfile", 6),)),
    # The script was saved on Windows; the Dockerfile strips its CRs as it copies it (cookiecutter-django's way).
    Example("crlf-stripped-in-the-image", {
        "Dockerfile": APP_DOCKERFILE + "RUN sed -i 's/\\r$//g' /app/entrypoint.sh && chmod +x /app/entrypoint.sh\n"
                                       "ENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": b"#!/bin/sh\r\nexec \"$@\"\r\n"}),
    Example("crlf-stripped-from-every-script-the-image-holds", {
        "Dockerfile": APP_DOCKERFILE + "RUN apt-get update && apt-get install -y --no-install-recommends dos2unix "
                                       "&& find . -type f -name \"*.sh\" -exec dos2unix {} \\;\n"
                                       "RUN chmod +x /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": b"#!/bin/sh\r\nexec \"$@\"\r\n"}),
    Example("crlf-stripped-from-other-files", {
        "Dockerfile": APP_DOCKERFILE + "RUN dos2unix /app/config/*.conf\nRUN chmod +x /app/entrypoint.sh\n"
                                       "ENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": b"#!/bin/sh\r\nexec \"$@\"\r\n"}, expect=(("Dockerfile", 7),)),
    Example("fixture-a-command-loads", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"sh\", \"-c\", \"python manage.py loaddata alldata.json && "
                                       "gunicorn app.wsgi\"]\n",
        "manage.py": MANAGE, "alldata.json": b"[\r\n  {\"model\": \"auth.group\", \"pk\": 1}\r\n]\r\n"}),
    Example("no-shebang-shell-form", {
        "Dockerfile": APP_DOCKERFILE + "RUN chmod +x entrypoint.sh\nENTRYPOINT ./entrypoint.sh\n",
        "manage.py": MANAGE, "entrypoint.sh": "python manage.py migrate\nexec gunicorn app.wsgi\n"}),
    Example("no-shebang", {"Dockerfile": APP_DOCKERFILE + "RUN chmod +x entrypoint.sh\nCMD [\"./entrypoint.sh\"]\n",
                           "manage.py": MANAGE, "entrypoint.sh": "python manage.py migrate\nexec gunicorn app.wsgi\n"},
            expect=(("Dockerfile", 6),)),
    # cookiecutter's layout: compose's `command: /start` is what the ENTRYPOINT script's `exec "$@"` runs.
    Example("no-shebang-handed-to-the-entrypoint-script", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: /start\n",
        "Dockerfile": APP_DOCKERFILE + "COPY entrypoint /entrypoint\nCOPY start /start\n"
                                       "RUN chmod +x /entrypoint /start\nENTRYPOINT [\"/entrypoint\"]\n",
        "manage.py": MANAGE, "entrypoint": "#!/bin/bash\nset -e\nexec \"$@\"\n",
        "start": "python manage.py migrate\nexec gunicorn app.wsgi\n"}),
    Example("no-shebang-run-by-docker-itself", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: /start\n",
        "Dockerfile": APP_DOCKERFILE + "COPY start /start\nRUN chmod +x /start\n",
        "manage.py": MANAGE, "start": "python manage.py migrate\nexec gunicorn app.wsgi\n"},
        expect=(("compose.yaml", 4),)),
    Example("no-shebang-run-by-a-shell-command-string", {
        "compose.yaml": "services:\n  web:\n    build: .\n"
                        "    command: bash -c \"/start && gunicorn -b 0.0.0.0:8000 app.wsgi\"\n",
        "Dockerfile": APP_DOCKERFILE + "COPY start /start\nRUN chmod +x /start\n",
        "manage.py": MANAGE, "start": "python manage.py migrate\n"}),
    Example("chmod-in-dockerfile", {
        "Dockerfile": APP_DOCKERFILE + "RUN chmod +x /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"}),
    Example("run-through-sh", {"Dockerfile": APP_DOCKERFILE + "CMD [\"sh\", \"/app/start.sh\"]\n", "manage.py": MANAGE,
                               "start.sh": "exec gunicorn app.wsgi\n"}),
    Example("exec-form-chmod", {
        "Dockerfile": APP_DOCKERFILE + "RUN [\"chmod\", \"+x\", \"docker-entrypoint.sh\"]\n"
                                       "ENTRYPOINT [\"./docker-entrypoint.sh\"]\n",
        "manage.py": MANAGE, "docker-entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"}),
    Example("chmod-folder-recursive", {
        "Dockerfile": APP_DOCKERFILE + "RUN chmod -R a+x /app/scripts/\nCMD [\"/app/scripts/start.sh\"]\n",
        "manage.py": MANAGE, "scripts/start.sh": "#!/bin/bash\nexec gunicorn app.wsgi\n"}),
    Example("chmod-without-execute", {
        "Dockerfile": APP_DOCKERFILE + "RUN chmod 644 /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"},
            expect=(("Dockerfile", 6),)),
    Example("chmod-other-folder", {
        "Dockerfile": APP_DOCKERFILE + "RUN chmod -R 755 /app/static\nCMD [\"/app/start.sh\"]\n",
        "manage.py": MANAGE, "start.sh": "#!/bin/sh\nexec gunicorn app.wsgi\n"},
            expect=(("Dockerfile", 6),)),
    Example("copy-chmod", {
        "Dockerfile": APP_DOCKERFILE + "COPY --chmod=755 entrypoint.sh /usr/local/bin/\n"
                                       "ENTRYPOINT [\"entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"}),
])
def entrypoint_not_executable(project: Project) -> Iterator[Violation]:
    """A script that CMD/ENTRYPOINT runs cannot be executed.

    ## What it does
    For each script the image's `ENTRYPOINT`/`CMD` (or a service's `command:`) runs
    directly, found in the build context through the `COPY` that put it in the image,
    reports it when it is not executable on disk and the Dockerfile does not make it
    so (`RUN chmod +x` or `chmod 755`, in shell or exec form; `chmod -R` on a folder
    holding it; `COPY --chmod=755`; a `chmod` that grants no execute bit does not
    count; nor do the project's instructions, a README's or a script's `chmod +x /opt/app/scripts/*` run on
    the checkout), when it has no `#!` line (unless a shell-form `CMD`/`ENTRYPOINT` runs it
    through `/bin/sh`, which reads it anyway, or an ENTRYPOINT script that ends with
    `exec "$@"` is given it, or a shell runs it from a command string, `bash -c "./start.sh && …"`:
    that shell runs it as a script), or when it has Windows (CRLF) line
    endings (unless a shell given the script as an argument still runs every command:
    each line closed by `;` before the CR, and no `set -e` to stop at the lone CR; or a
    `RUN` of the image strips them, by the name the `COPY` gives it: `sed -i 's/\\r$//g' /entrypoint`,
    `dos2unix`).

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
    - [Dockerfile reference: COPY --chmod](https://docs.docker.com/reference/dockerfile/#copy---chmod)
      (`chmod +x` on the entrypoint script in the Dockerfile)
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
            if "\r\n" in text and not (not image_path and _carriage_returns_run_apart(text)) \
                    and not _carriage_returns_stripped(start.build.dockerfile, image_path or path.name):
                problems.append("has Windows (CRLF) line endings: the shell reads `\\r` as part of each command")
            # A shell-form CMD/ENTRYPOINT runs the script through /bin/sh, which reads a file without `#!` itself; so
            # does a shell given a command string, and an ENTRYPOINT script that ends with `exec "$@"` the CMD or
            # `command:` it is given.
            through_shell = start.instruction is not None and start.instruction.exec_form is None \
                or _a_shell_string(start) or _handed_to_a_shell(project, start)
            if image_path:
                if not text.startswith("#!") and not through_shell:
                    problems.append("has no `#!` line: exec fails with 'exec format error'")
                try:
                    executable = path.stat().st_mode & 0o111
                except OSError:
                    executable = 1
                if not executable and not _made_executable(start.build.dockerfile, image_path) \
                        and not project.made_executable(path):  # the README's `chmod +x scripts/*` after the clone
                    problems.append("is not executable and the Dockerfile does not chmod it: 'permission denied'")
            if problems:
                reported.add(path)
                yield Violation(start.location, f"{project.display(path)} {'; '.join(problems)}",
                                related=(Location(path, 1),))


STRIPS_CARRIAGE_RETURNS = re.compile(r"\bsed\b[^\n]*?s/\\r\$?//|\bdos2unix\b|\btr[ \t]+-d[ \t]+[\"']?\\r")
"""A command that removes the CRs of a file's line endings: ``sed -i 's/\\r$//g'``, ``dos2unix``, ``tr -d '\\r'``."""


def _carriage_returns_stripped(dockerfile: Dockerfile, script: str) -> bool:
    """Whether a RUN of the image removes the CRs of the script (``RUN sed -i 's/\\r$//g' /entrypoint``, as
    cookiecutter-django's Dockerfiles do for every start script): the image holds it with LF endings. The script is
    its path in the image, or its file name when that is not known; a pattern the RUN converts may name it
    (``find . -name "*.sh" -exec dos2unix {} \\;``)."""
    names = {posixpath.basename(script)} | _copied_as(dockerfile, posixpath.basename(script))
    return any(_strips(run.script, name) for name in names
               for stage in dockerfile.lineage(dockerfile.final) for run in stage.all("RUN"))


def _copied_as(dockerfile: Dockerfile, name: str) -> set[str]:
    """The names a COPY of the image gives a file of this name (``COPY ./docker/django/entrypoint.sh
    /docker-entrypoint.sh``): a RUN converts it by that name."""
    return {posixpath.basename(copy.dest) for copy in dockerfile.copies(dockerfile.final)
            if len(copy.sources) == 1 and posixpath.basename(copy.sources[0]) == name
            and not copy.dest.endswith("/")}


def _strips(run_script: str, name: str) -> bool:
    """Whether a command of a RUN's script removes the CRs of a file of this name, by name or by a pattern (not a
    ``chmod`` of the file beside a ``sed`` of another)."""
    if not STRIPS_CARRIAGE_RETURNS.search(run_script):
        return False
    for command in split_line(run_script):
        text = " ".join(command.words)
        if STRIPS_CARRIAGE_RETURNS.search(text) and (
                re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", text) is not None
                or any(fnmatch.fnmatchcase(name, posixpath.basename(pattern)) for pattern in GLOB.findall(text))):
            return True
    return False


GLOB = re.compile(r"[\w./-]*\*[\w.*-]*")
"""A file pattern a command converts (``find . -name "*.sh" -exec dos2unix {} \\;``, ``dos2unix docker/*.sh``)."""


ERREXIT = re.compile(r"^[ \t]*set[ \t]+(?:-[a-z]*e|-o[ \t]+errexit)|^#!.*[ \t]-[a-z]*e", re.M)


def _carriage_returns_run_apart(text: str) -> bool:
    """Whether a CRLF script that a shell is given as an argument still runs its commands: each line ends in ``;``
    before the CR, so the CR is a command of its own that fails alone ("\\r: not found"), and nothing stops the
    script at that failure (no ``set -e``)."""
    ended = [line.strip() for line in text.split("\n") if line.endswith("\r")]
    return not ERREXIT.search(text) and all(not line or line.startswith("#") or line.endswith(";") for line in ended)


def _a_shell_string(start: StartCommand) -> bool:
    """Whether the container starts a shell with a command string (``bash -c "/app/entrypoint.sh && daphne …"``,
    ``["sh", "-c", "./start.sh"]``): the shell runs the script, and a file without ``#!`` as a script of its own."""
    if start.instruction is not None:
        words = tuple(start.instruction.exec_form or ())
    elif start.service is not None:
        words = tuple(word for located in (start.service.entrypoint, start.service.command) if located is not None
                      and (start.joined or located.location == start.location) for word in located.value)
    else:
        words = ()
    return command_string(words)


def _handed_to_a_shell(project: Project, start: StartCommand) -> bool:
    """Whether a CMD or a service's ``command:`` is what the image's ENTRYPOINT script runs with ``exec "$@"``:
    the shell runs a file without ``#!`` as a script of its own (POSIX, for ENOEXEC), no exec format error."""
    build = start.build
    if build is None or build.dockerfile is None:
        return False
    given = start.instruction.keyword == "CMD" if start.instruction is not None \
        else start.service is not None and start.service.entrypoint is None and not start.joined
    return given and build.dockerfile.effective(build.dockerfile.final, "ENTRYPOINT") is not None \
        and project.hands_over(build)


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
    workdir = dockerfile.workdir_after(dockerfile.final)
    image_path = posixpath.normpath(posixpath.join(workdir, first))
    path = project.context_file(build, dockerfile.final, image_path)
    return (path, image_path) if path is not None else None


def _made_executable(dockerfile: Dockerfile, image_path: str) -> bool:
    """Whether the final image's Dockerfile makes the script executable.

    ``RUN chmod`` (shell or exec form, octal or symbolic mode, ``-R`` on a folder holding it,
    a glob or a variable naming it, ``find ... -exec chmod``), or ``COPY --chmod=755``.
    """
    for stage in dockerfile.lineage(dockerfile.final):
        for instruction in stage.instructions:
            if instruction.keyword == "RUN":
                workdir = None
                for command in instruction.commands:
                    words = list(command.words)
                    while words and words[0] == "sudo":
                        words = words[1:]
                    if not words or posixpath.basename(words[0]) not in {"chmod", "find", "xargs"}:
                        continue
                    workdir = workdir or dockerfile.workdir_at(stage, instruction)
                    if _grants_execute(words, image_path, workdir):
                        return True
            if instruction.keyword in {"COPY", "ADD"} and _mode_grants_execute(instruction.flag("chmod") or "0"):
                return True
    return False


def _grants_execute(words: list[str], image_path: str, workdir: str) -> bool:
    """Whether one simple command (``chmod``, or ``find``/``xargs`` running it) makes ``image_path`` executable."""
    program = posixpath.basename(words[0])
    if program in {"find", "xargs"}:  # find . -name '*.sh' -exec chmod +x {} \; -- the files are not named
        if "chmod" not in words:
            return False
        run = next((word for word in words[words.index("chmod") + 1:] if not _is_option(word)), "")
        return _mode_grants_execute(run)
    recursive = False
    mode: str | None = None
    targets: list[str] = []
    for word in words[1:]:
        if mode is None and re.fullmatch(r"-[rwxXst]+", word):
            mode = word  # chmod -x file: a mode that removes
        elif _is_option(word):
            recursive = recursive or word == "--recursive" or (not word.startswith("--") and "R" in word)
        elif mode is None:
            mode = word
        else:
            targets.append(word)
    if mode is None or not _mode_grants_execute(mode):
        return False
    name = posixpath.basename(image_path)
    for target in targets:
        if "$" in target:  # chmod +x "$APP_HOME/entrypoint.sh": the value is not known, trust it
            return True
        path = posixpath.normpath(posixpath.join(workdir, target))
        if path == image_path or posixpath.basename(path) == name or fnmatch.fnmatchcase(image_path, path):
            return True
        if recursive and image_path.startswith(path.rstrip("/") + "/"):
            return True  # chmod -R +x /app/scripts/
    return False


def _is_option(word: str) -> bool:
    return word.startswith("-") and word != "-"


def _mode_grants_execute(mode: str) -> bool:
    """Whether a chmod mode gives someone execute permission: ``755``, ``0755``, ``+x``, ``a+rx,u+w``, ``u=rwx``."""
    if re.fullmatch(r"[0-7]+", mode):
        return any(digit in "1357" for digit in mode[-3:])
    return any(re.fullmatch(r"[ugoa]*[+=][rwxXst]*[xX][rwxXst]*", clause) for clause in mode.split(","))
