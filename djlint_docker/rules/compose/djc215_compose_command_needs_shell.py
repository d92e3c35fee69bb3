"""DJC215 compose-command-needs-shell: a compose `command:` written for a shell, which Compose does not run."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from djlint_docker.edits import line_end, line_start
from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.parse.dockerfile import VARIABLE
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._argument_passing import passes_words_on, shell_script_at
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

OPERATOR = re.compile(r"\d*(?:&&|\|\||[;&|]|>>?|<)(?:&\d)?")
GLUED_OPERATOR = re.compile(r"[^\s;]+;")  # migrate; (an && inside a word may have been quoted: not known here)


def _compose(command: str) -> str:
    return f"services:\n  web:\n    build: .\n    command: {command}\n"


@rule("DJC215", "compose-command-needs-shell", Severity.ERROR, cross=True, examples=[
    Example("collectstatic-then-gunicorn", {
        "compose.yaml": _compose("python manage.py collectstatic --noinput && gunicorn app.wsgi -b 0.0.0.0:8000"),
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("semicolon-glued-to-a-word", {
        "compose.yaml": _compose("python manage.py migrate; python manage.py runserver 0.0.0.0:8000"),
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("run-time-variable", {
        "compose.yaml": _compose("gunicorn app.wsgi --bind 0.0.0.0:$$PORT"),
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("list-with-an-operator", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: [\"python\", \"manage.py\", \"migrate\", \"&&\","
                        " \"gunicorn\", \"app.wsgi\"]\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("sh-c-without-quotes", {
        "compose.yaml": _compose("sh -c python manage.py migrate"),
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("sh-c-with-quoted-script", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: >\n      sh -c \"python manage.py migrate &&\n"
                        "             gunicorn app.wsgi --bind 0.0.0.0:$${PORT:-8000}\"\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
    Example("variable-compose-interpolates", {
        "compose.yaml": _compose("gunicorn app.wsgi --bind 0.0.0.0:${PORT:-8000}"),
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
    Example("quoted-operator-is-an-argument", {
        "compose.yaml": _compose("celery -A app worker --hostname 'worker&&1'"),
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
    Example("entrypoint-runs-it-through-a-shell", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: [\"python manage.py migrate && gunicorn "
                        "app.wsgi\"]\n",
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/bin/sh\", \"-c\"]\n", "manage.py": MANAGE}),
])
def compose_command_needs_shell(project: Project) -> Iterator[Violation]:
    """A compose `command:` written for a shell, which Compose does not run.

    ## What it does
    Reports a service's `command:` that uses shell syntax without a `sh -c` to read it:
    `&&`, `||`, `;`, `|`, `&`, redirections (`>`, `2>&1`), or a `$$VAR` meant to be
    expanded in the container; and `sh -c` followed by an unquoted command, of which the
    shell runs the first word only. The message says what the container receives, as
    the Compose binary splits the string. A `${VAR}` Compose interpolates itself is fine;
    a list form, or a run-time variable, is left alone when the ENTRYPOINT in front of it
    runs its arguments through a shell or cannot be read.

    ## Why is this bad?
    Compose splits a string `command:` into words itself and starts the program with
    them; no shell runs. Compose v2 stops at the first unquoted operator and drops the
    rest: with `python manage.py collectstatic --noinput && gunicorn app.wsgi` the
    container runs `collectstatic`, exits, and gunicorn never starts. In the list form
    `&&` reaches the program as an argument, and `$$PORT` reaches gunicorn as the text
    `$PORT`.

    ## Example
    ```yaml
    command: python manage.py collectstatic --noinput && gunicorn app.wsgi -b 0.0.0.0:8000
    ```
    Use instead:
    ```yaml
    command: sh -c "python manage.py collectstatic --noinput && exec gunicorn app.wsgi -b 0.0.0.0:8000"
    ```

    ## References
    - [Compose file reference: command](https://docs.docker.com/reference/compose-file/services/#command)
      ("the value can also be a list ... unlike Dockerfile, Compose does not run it in a shell")
    - [Compose file reference: interpolation](https://docs.docker.com/reference/compose-file/interpolation/)
      (`$$` for a literal `$` that the container sees)
    """
    for service in project.services:
        if service.command is None or not service.command.value:
            continue
        argv = service.command.value
        string_form = _string_form(project, service)
        message = _shell_syntax(project, service, argv, string_form)
        if message is not None:
            yield Violation(service.command.location, message)


def _shell_syntax(project: Project, service: Service, argv: tuple[str, ...], string_form: bool) -> str | None:
    script = shell_script_at(argv)
    if script is not None:
        rest = argv[script + 1:]
        if string_form and script < len(argv) and rest and " " not in argv[script] and not {"--", "_"} & set(rest):
            return (f"`{' '.join(argv[:script])}` takes only `{argv[script]}` as its script: the shell runs "
                    f"`{argv[script]}` with `{rest[0]}` as its $0 and drops the rest; quote the whole command: "
                    f"{' '.join(argv[:script])} \"{' '.join(argv[script:])}\"")
        return None
    cut = next((index for index, word in enumerate(argv) if OPERATOR.fullmatch(word)
                or (string_form and GLUED_OPERATOR.fullmatch(word) and " " not in word)), None)
    if cut is not None and string_form:
        kept = list(argv[:cut])
        word = argv[cut]
        if not OPERATOR.fullmatch(word):  # glued: Compose keeps the part before the operator
            kept.append(word[:-1])
        dropped = " ".join(argv[cut + 1:])
        never = f" and `{_short(dropped)}` never runs" if dropped else ""
        return (f"Compose runs no shell and drops everything from `{_operator(word)}` on: the container runs only "
                f"`{' '.join(kept)}`{never}; wrap it in sh -c \"...\"")
    if not _words_reach_program(project, service):
        return None
    if cut is not None:
        program = posixpath.basename(argv[0])
        return (f"Compose runs no shell: `{argv[cut]}` reaches {program} as an argument and the commands after it "
                f"never run; wrap them in [\"sh\", \"-c\", \"...\"]")
    for word in argv:
        match = VARIABLE.search(word)
        if match is not None:
            return (f"no shell expands `{match.group()}`: the container gets the literal word `{word}`; use "
                    f"sh -c \"...\" to expand it at run time, or `${{{match.group(1) or match.group(4)}}}` for "
                    f"Compose to fill it in")
    return None


def _operator(word: str) -> str:
    match = re.search(r"&&|\|\||[;&|<>]", word)
    return match.group() if match else word


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _words_reach_program(project: Project, service: Service) -> bool:
    """Whether the command's words reach the program unchanged: no entrypoint, or one that passes them on."""
    if service.entrypoint is not None:
        return passes_words_on(project, project.build_for(service), service.entrypoint.value)
    build = project.build_for(service)
    if build is None or build.dockerfile is None:
        return False  # an image's ENTRYPOINT is not known here
    dockerfile = build.dockerfile
    entrypoint = dockerfile.effective(dockerfile.final, "ENTRYPOINT")
    if entrypoint is None:
        return True
    return entrypoint.exec_form is not None and passes_words_on(project, build, entrypoint.exec_form)


def _string_form(project: Project, service: Service) -> bool:
    """Whether ``command:`` is written as a string (Compose splits it) rather than a list."""
    assert service.command is not None
    location = service.command.location
    text = project.text(location.path)
    if text is None:
        return False
    line = text[line_start(text, location.line):line_end(text, location.line)]
    value = line.split(":", 1)[1].strip() if ":" in line else ""
    if value.startswith("[") or value.startswith("!"):
        return False
    if value and not value.startswith("#"):
        return True
    following = text[line_end(text, location.line):line_end(text, location.line + 1)].strip()
    return not following.startswith("-")
