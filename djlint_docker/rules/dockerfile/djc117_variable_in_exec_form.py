"""DJC117 variable-in-exec-form: a `$VAR` in an exec-form command, which no shell expands."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Dockerfile, Instruction, Stage
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._argument_passing import passes_words_on, shell_script_at
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE, WELL_BUILT_DOCKERFILE

VARIABLE = re.compile(r"\$(?:\{[A-Za-z_][A-Za-z0-9_]*+[^}$]*+\}|[A-Za-z_][A-Za-z0-9_]*+)")  # [^}$]: linear


@rule("DJC117", "variable-in-exec-form", Severity.ERROR, examples=[
    Example("program-that-expands-its-own-arguments", {
        "Dockerfile": "FROM python:3.12-slim\nENV PROJECT=shop\nCOPY . /app\n"
                      "ENTRYPOINT [\"/sbin/ssm-parent\", \"run\", \"-e\", \"-p\", \"/$PROJECT/common/\", \"--\"]\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("workers-from-the-environment", {
        "Dockerfile": APP_DOCKERFILE + "ENV WEB_CONCURRENCY=3\n"
                      "CMD [\"gunicorn\", \"--workers\", \"${WEB_CONCURRENCY}\", \"--bind\", \"0.0.0.0:8000\", "
                      "\"app.wsgi\"]\n", "manage.py": MANAGE}, expect=(("Dockerfile", 6),)),
    Example("port-in-entrypoint", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"uvicorn\", \"app.asgi:application\", \"--port\", \"$PORT\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 5),)),
    Example("cmd-after-an-entrypoint-that-execs", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/docker-entrypoint.sh\"]\n"
                      "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:$PORT\", \"app.wsgi\"]\n",
        "docker-entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec \"$@\"\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 6),)),
    Example("shell-form", {"Dockerfile": APP_DOCKERFILE + "CMD gunicorn --bind 0.0.0.0:${PORT:-8000} app.wsgi\n",
                           "manage.py": MANAGE}),
    Example("sh-c-script", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"sh\", \"-c\", \"exec gunicorn --bind 0.0.0.0:${PORT} app.wsgi\"]\n",
        "manage.py": MANAGE}),
    Example("entrypoint-sh-c-with-cmd-script", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/bin/bash\", \"-lc\"]\n"
                      "CMD [\"python manage.py migrate && exec gunicorn -b 0.0.0.0:$PORT app.wsgi\"]\n",
        "manage.py": MANAGE}),
    Example("entrypoint-that-evals", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n"
                      "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:$PORT\", \"app.wsgi\"]\n",
        "entrypoint.sh": "#!/bin/sh\neval \"exec $*\"\n", "manage.py": MANAGE}),
    Example("entrypoint-not-readable", {
        "Dockerfile": "FROM python:3.12-slim\nENTRYPOINT [\"/usr/local/bin/start\"]\n"
                      "CMD [\"--port\", \"$PORT\"]\n", "manage.py": MANAGE}),
    Example("plain-exec-form", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
])
def variable_in_exec_form(project: Project) -> Iterator[Violation]:
    """A `$VAR` in an exec-form command, which no shell expands.

    ## What it does
    Reports a `CMD`, `ENTRYPOINT` or `RUN` written as a JSON array with `$VAR` or `${VAR}`
    in one of its words. Stays silent when the words run through a shell that expands
    them: `sh -c` (or `bash -lc`) with the script as a word, a CMD given as the script to an
    `ENTRYPOINT ["sh", "-c"]`, or an entrypoint script that `eval`s its arguments; for a
    CMD whose ENTRYPOINT is a script djcheck cannot read; and for a program that expands
    its own arguments when told to (`ssm-parent run -e`).

    ## Why is this bad?
    The exec form starts the program directly; no shell runs, so nothing replaces the
    variable. `CMD ["gunicorn", "--workers", "${WEB_CONCURRENCY}", "app.wsgi"]` hands
    gunicorn the text `${WEB_CONCURRENCY}`, and it exits with `Error: '${WEB_CONCURRENCY}'
    is not a valid int`; `--bind 0.0.0.0:$PORT` fails the same way. An entrypoint script
    that ends in `exec "$@"` passes the words on unchanged.

    ## Example
    ```dockerfile
    CMD ["gunicorn", "--bind", "0.0.0.0:$PORT", "app.wsgi"]
    ```
    Use instead (the shell expands the variable, `exec` keeps gunicorn as PID 1):
    ```dockerfile
    CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:$PORT app.wsgi"]
    ```

    ## References
    - [Dockerfile reference: exec form](https://docs.docker.com/reference/dockerfile/#exec-form)
      ("the exec form does not invoke a command shell ... variable substitution")
    - [Dockerfile reference: environment replacement](https://docs.docker.com/reference/dockerfile/#environment-replacement)
      (the instructions whose variables Docker itself replaces: not CMD, ENTRYPOINT or RUN)
    """
    for build, dockerfile in project.dockerfiles:
        for stage in dockerfile.stages:
            for instruction in stage.instructions:
                if instruction.keyword not in {"CMD", "ENTRYPOINT", "RUN"} or not instruction.exec_form:
                    continue
                argv = list(instruction.exec_form)
                if instruction.keyword == "CMD":
                    entrypoint = _entrypoint(dockerfile, stage)
                    if entrypoint is not None:
                        if entrypoint.exec_form is None or not passes_words_on(project, build, entrypoint.exec_form):
                            continue
                        argv = list(entrypoint.exec_form) + argv
                found = _unexpanded(argv) if not _expands_its_arguments(argv) else None
                if found is not None:
                    word, variable = found
                    program = posixpath.basename(argv[0]) if argv else ""
                    yield Violation(dockerfile.at(instruction),
                                    f"`{variable}` in the exec-form {instruction.keyword} is not expanded: no shell "
                                    f"runs, so {program} gets the literal word `{word}`; use "
                                    f"[\"sh\", \"-c\", \"exec ...\"] or the shell form")


EXPANDING_PROGRAMS = {"ssm-parent": frozenset({"-e", "--expand"})}
"""Programs that expand the variables of their own arguments when given these options (ssm-parent's ``run -e``,
which fills the environment from AWS SSM and then expands ``$PROJECT`` in what follows)."""


def _expands_its_arguments(argv: list[str]) -> bool:
    options = EXPANDING_PROGRAMS.get(posixpath.basename(argv[0])) if argv else None
    return options is not None and bool(options & set(argv))


def _unexpanded(argv: list[str]) -> tuple[str, str] | None:
    """The first word with a variable in it and the variable, unless a shell runs the words as a script."""
    script = shell_script_at(argv)
    for word in argv[:script - 1 if script is not None else len(argv)]:
        match = VARIABLE.search(word)
        if match is not None:
            return word, match.group()
    return None


def _entrypoint(dockerfile: Dockerfile, stage: Stage) -> Instruction | None:
    for member in reversed(dockerfile.lineage(stage)):
        found = member.last("ENTRYPOINT")
        if found is not None:
            return found
    return None
