"""DJC410 entrypoint-not-executable: a script that CMD/ENTRYPOINT runs cannot be executed."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Dockerfile
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
    Example("no-shebang-shell-form", {
        "Dockerfile": APP_DOCKERFILE + "RUN chmod +x entrypoint.sh\nENTRYPOINT ./entrypoint.sh\n",
        "manage.py": MANAGE, "entrypoint.sh": "python manage.py migrate\nexec gunicorn app.wsgi\n"}),
    Example("no-shebang", {"Dockerfile": APP_DOCKERFILE + "RUN chmod +x entrypoint.sh\nCMD [\"./entrypoint.sh\"]\n",
                           "manage.py": MANAGE, "entrypoint.sh": "python manage.py migrate\nexec gunicorn app.wsgi\n"},
            expect=(("Dockerfile", 6),)),
    Example("chmod-in-dockerfile", {
        "Dockerfile": APP_DOCKERFILE + "RUN chmod +x /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "manage.py": MANAGE, "entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"}),
    Example("run-through-sh", {"Dockerfile": APP_DOCKERFILE + "CMD [\"sh\", \"/app/start.sh\"]\n", "manage.py": MANAGE,
                               "start.sh": "exec gunicorn app.wsgi\n"}),
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
    so (`RUN chmod +x`, `COPY --chmod=755`), when it has no `#!` line (unless a shell-form
    `CMD`/`ENTRYPOINT` runs it through `/bin/sh`, which reads it anyway), or when it has
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
            if "\r\n" in text:
                problems.append("has Windows (CRLF) line endings: the shell reads `\\r` as part of each command")
            # A shell-form CMD/ENTRYPOINT runs the script through /bin/sh, which reads a file without `#!` itself.
            through_shell = start.instruction is not None and start.instruction.exec_form is None
            if image_path:
                if not text.startswith("#!") and not through_shell:
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
    """Whether the final image's Dockerfile makes the script executable (``RUN chmod``, ``COPY --chmod``)."""
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
