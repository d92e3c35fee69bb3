"""DJC109 shell-form-command: `CMD` or `ENTRYPOINT` in shell form."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.edits import line_end, line_start
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.images import parse_image
from djlint_docker.parse.dockerfile import Dockerfile, Instruction
from djlint_docker.parse.shell import ONE_OFF, Command, management_command, parks, program, split_line
from djlint_docker.project import DEFAULT_PATH, ImageBuild, Project, StartCommand
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._final_image import WORKSPACE, developers_image
from djlint_docker.rules.dockerfile._shell_words import literal_words
from djlint_docker.rules.snippets import HEROKU_AND_DEV_STACK, MANAGE, PYTHON_ENV_BASE, WELL_BUILT_DOCKERFILE

# Programs and shell builtins that do one thing to files or the shell and return: a command made
# only of them starts nothing that runs on (`CMD cp -r build dist` in a build image, `CMD . .`).
ONE_SHOT = frozenset({
    "cp", "mv", "rm", "mkdir", "ln", "touch", "chmod", "chown", "echo", "printf", "true", "false", "cat", "ls",
    "tar", "test", "[", ".", ":", "source", "cd", "export", "set", "unset", "exit", "return", "shift", "umask",
    "alias", "pwd",
})


@rule("DJC109", "shell-form-command", Severity.WARNING, fix="safe", examples=[
    # Migrations, then fixtures: both exit, and no server waits for a signal.
    Example("migrations-and-fixtures-that-exit", {
        "Dockerfile": "FROM python:3.12\nWORKDIR /code\nCOPY . .\nRUN pip install -r requirements.txt\n"
                      "CMD python manage.py migrate && python manage.py loaddata fixtures/data.json\n",
        "requirements.txt": "Django==5.1\n", "manage.py": MANAGE}),
    # Heroku deploys the project from its Procfile; the image only its developers run stops slowly, no more.
    Example("image-for-development-alone", {
        **HEROKU_AND_DEV_STACK, "docker/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                                      "ENTRYPOINT /app/entrypoint.sh\n"}),
    Example("image-the-project-ships", {
        **{name: text for name, text in HEROKU_AND_DEV_STACK.items() if name != "Procfile"},
        "docker/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT /app/entrypoint.sh\n"},
        expect=(("docker/Dockerfile", 4),)),
    Example("one-command-on-alpine", {
        "Dockerfile": "FROM python:3.12-alpine\nWORKDIR /app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\n"
                      "CMD gunicorn app.wsgi --bind 0.0.0.0:$PORT\n", "manage.py": MANAGE}),
    Example("list-of-commands-on-alpine", {
        "Dockerfile": "FROM python:3.12-alpine\nWORKDIR /app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\n"
                      "CMD python manage.py migrate && gunicorn app.wsgi --bind 0.0.0.0:8000\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 5),)),
    Example("shell-cmd", {"Dockerfile": "FROM python:3.12-slim\nCMD gunicorn --bind 0.0.0.0:8000 app.wsgi\n",
                          "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("editor-workspace", {**WORKSPACE, "manage.py": MANAGE, ".devcontainer/Dockerfile":
                                 WORKSPACE[".devcontainer/Dockerfile"] + "CMD sleep infinity\n"}),
    Example("django-command-that-exits", {"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                                       "CMD python manage.py collectstatic --no-input\n",
                                         "manage.py": MANAGE}),
    Example("development-image-each-service-runs-with-its-own-command", {
        "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD python manage.py runserver\n",
        "manage.py": MANAGE, "app/settings/__init__.py": "", "app/settings/production.py": "DEBUG = False\n",
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n"}),
    Example("earlier-cmd-overridden", {"Dockerfile": "FROM python:3.12-slim\nCMD gunicorn app.wsgi\n"
                                                    "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("every-service-starts-its-own-command", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD python manage.py runserver\n",
        "manage.py": MANAGE,
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "  worker:\n    build: .\n    command: celery -A app worker\n"}),
    Example("one-service-runs-the-image-command", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "manage.py": MANAGE,
        "compose.yaml": "services:\n  web:\n    build: .\n  worker:\n    build: .\n"
                        "    command: celery -A app worker\n"}, expect=(("Dockerfile", 4),)),
    Example("exec-in-shell", {"Dockerfile": "FROM python:3.12-slim\nCMD exec gunicorn --bind 0.0.0.0:$PORT app.wsgi\n",
                              "manage.py": MANAGE}),
    Example("exec-form", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("build-image-copies-its-output", {
        "Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
                      "RUN npm run build\nCMD cp -r build /srv/static\n", "manage.py": MANAGE}),
    # The image waits for a developer's `docker run -it` with Django's prompt: the services give the server.
    Example("django-shell-prompt", {
        "Dockerfile": PYTHON_ENV_BASE + "COPY . .\nCMD python manage.py shell_plus --ipython\n", "manage.py": MANAGE}),
    # A tool image whose users `docker run -it` it: the prompt is all it starts.
    Example("shell-prompt", {"Dockerfile": PYTHON_ENV_BASE + "RUN pip install --no-cache-dir poetry\nCMD /bin/bash\n",
                             "manage.py": MANAGE}),
    Example("placeholder-command", {"Dockerfile": PYTHON_ENV_BASE + "CMD . .\n", "manage.py": MANAGE}),
    Example("moves-into-the-app-then-starts-it", {
        "Dockerfile": PYTHON_ENV_BASE + "CMD cd /app && python manage.py migrate && gunicorn app.wsgi\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("node-server", {"Dockerfile": "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD npm start\n",
                            "manage.py": MANAGE}, expect=(("Dockerfile", 4),)),
    Example("exec-form-keeps-quoted-words", {
        "Dockerfile": PYTHON_ENV_BASE + "EXPOSE 8000\n"
                                        "CMD gunicorn --bind \"0.0.0.0:8000\" --access-logfile - app.wsgi \n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 4),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + 'EXPOSE 8000\n'
                             'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "app.wsgi"]\n'}),
    Example("quoted-words-need-no-shell", {
        "Dockerfile": PYTHON_ENV_BASE + "CMD gunicorn --bind=0.0.0.0:80 --forwarded-allow-ips=\"*\" 'app.wsgi'\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + "CMD [\"gunicorn\", \"--bind=0.0.0.0:80\", "
                                               "\"--forwarded-allow-ips=*\", \"app.wsgi\"]\n"}),
])
def shell_form_command(project: Project) -> Iterator[Violation]:
    """`CMD` or `ENTRYPOINT` in shell form.

    ## What it does
    Reports the effective `CMD`/`ENTRYPOINT` of the final stage when written in shell
    form (`CMD gunicorn …`) unless the shell `exec`s the server, or the image is deployed
    by compose services that each replace it (`command:`, `entrypoint:`): then no container
    runs it (nor when only development services replace it and Heroku's `heroku.yml`
    gives the `web` process its own `run:` command). A command that reads a variable
    (`--bind 0.0.0.0:$PORT`) needs its shell: the message says to start it with `exec`.
    A command that starts nothing long-running is left alone: one made only of one-shot
    file operations and shell builtins (`cp`, `mv`, `echo`, `true`, `.`), such as a
    build image copying its output, or a placeholder the services replace, or of
    Django commands that exit by themselves (`manage.py collectstatic`, `migrate`, `loaddata`), or a
    bare shell or Python prompt (`CMD /bin/bash`, a tool image run with `docker run -it`,
    or Django's: `manage.py shell_plus --ipython`).
    Nor is an image for development alone in a project deployed otherwise (a slow
    `docker stop` on a developer's machine), nor one simple
    command on an Alpine image, whose BusyBox `sh -c` runs it in its own place (the server
    is PID 1 there; Debian's dash keeps the shell), nor the last simple command of a line
    bash runs (`SHELL ["/bin/bash", "-c"]`, or `/bin/sh` linked to bash: `ln -s /bin/bash
    /bin/sh`), which bash 5.1 and later also runs in its own place. Any other program (a server, a script,
    `python`, `celery`, `node`, `nginx`) is reported.

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
    - [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
      (CMD in exec form)
    """
    for start in project.start_commands:
        instruction = start.instruction
        if instruction is None or instruction.exec_form is not None or start.service is not None:
            continue
        if start.build is not None and (project.workspace_image(start.build) or developers_image(project, start.build)):
            continue  # the editor's image, stopped with it; an image for development alone (a slow `docker stop`)
        if instruction.args.lstrip().startswith("exec ") or starts_nothing(instruction.args) \
                or starts_a_prompt(instruction.args) or (start.build is not None and start.build.dockerfile is not None
                                                         and (busybox_execs(start.build.dockerfile, instruction.args)
                                                              or bash_execs_last(start.build.dockerfile, instruction))):
            continue
        if start.build is not None and (project.own_command_replaced(start.build, instruction.keyword) or (
                project.replaced_by_its_services(start.build, instruction.keyword)
                and project.heroku_runs_its_own(start.build))):
            continue  # the services that run the image, and Heroku, each start their own command: it never runs
        what = ("the shell is PID 1 and ignores SIGTERM: `docker stop` waits 10 s before it kills the container"
                if _parks(instruction.args) else "the server is not PID 1 and misses SIGTERM")
        variable = SHELL_VARIABLE.search(instruction.args)
        bare = _script_without_shebang(project, start)
        instead = (f"start it with `exec` (`{instruction.keyword} exec …`): the JSON (exec) form would not expand "
                   f"{variable.group(0)}" if variable else
                   f"give {bare.name} a `#!/bin/sh` line, then use the JSON (exec) form (without it, exec form "
                   f"fails with \"exec format error\")" if bare is not None else "use the JSON (exec) form")
        yield Violation(start.location, f"`{instruction.keyword} {instruction.args}` is in shell form: {what}; "
                                        f"{instead}", fix=_exec_form_fix(project, start))


SHELL_VARIABLE = re.compile(r"\$\{?[A-Za-z_]\w*")
"""A variable the shell expands (``--bind 0.0.0.0:$PORT``), which the exec form would pass as it is written."""


def _parks(args: str) -> bool:
    """Whether a command line only keeps the container alive (``tail -f /dev/null``, ``sleep infinity``) for the
    commands ``docker exec`` runs in it: no server, only the wait when it is stopped."""
    commands = split_line(args)
    return len(commands) == 1 and parks(commands[0].words)


INTERACTIVE = frozenset({"bash", "sh", "zsh", "ash", "dash", "fish", "python", "python3", "ipython"})


def starts_a_prompt(args: str) -> bool:
    """Whether a command line is a bare shell or Python prompt (``CMD /bin/bash``), or Django's
    (``manage.py shell_plus --ipython``): a tool image's, for ``docker run -it``; no server to signal."""
    if len(args.split(None, 6)) > 6:
        return False  # a prompt is a few words and their flags: no need to split a longer line
    commands = split_line(args)
    if len(commands) == 1 and management_command(commands[0]) in DJANGO_PROMPTS:
        return True
    return len(commands) == 1 and program(commands[0]) in INTERACTIVE and all(
        word in {"-i", "-l", "--login"} for word in commands[0].words[1:])


DJANGO_PROMPTS = frozenset({"shell", "shell_plus", "dbshell"})
"""Django's (and django-extensions') interactive prompts."""


def busybox_execs(dockerfile: Dockerfile, args: str) -> bool:
    """Whether the final image's ``/bin/sh`` is BusyBox's (an Alpine image) and the command line is one simple
    command: BusyBox's ``sh -c`` runs its last simple command in its own place, so the server is PID 1 and gets
    SIGTERM (Debian's dash does not)."""
    root = dockerfile.root.image
    if not root or len(args) > MAX_SIMPLE_COMMAND:
        return False
    image = parse_image(root)
    if image.name != "alpine" and "alpine" not in (image.tag or ""):
        return False
    commands = split_line(args)
    return len(commands) == 1 and not SHELL_SYNTAX.search(args) and program(commands[0]) not in SHELL_KEYWORDS


def bash_execs_last(dockerfile: Dockerfile, instruction: Instruction) -> bool:
    """Whether bash runs the command line (``SHELL ["/bin/bash", "-c"]`` before it, or ``/bin/sh`` linked to bash) and
    execs its last command: bash
    (5.1 on) runs the last simple command of a ``-c`` list (``a && b``, ``a; b``) in its own place when nothing
    follows it (no pipe, redirection, group or background), so that command is PID 1 and gets SIGTERM."""
    stages = dockerfile.lineage(dockerfile.final)
    shells = [found for stage in stages for found in stage.all("SHELL") if found.line < instruction.line]
    shell = shells[-1].exec_form if shells else None
    bash = posixpath.basename(shell[0]) == "bash" if shell else any(
        SH_LINKED_TO_BASH.search(run.args) for stage in stages for run in stage.all("RUN")
        if run.line < instruction.line)
    if not bash or len(instruction.args) > MAX_SIMPLE_COMMAND or BASH_KEEPS_THE_SHELL.search(instruction.args):
        return False
    commands = split_line(instruction.args)
    return bool(commands) and program(commands[-1]) not in SHELL_KEYWORDS | {"trap"}


SH_LINKED_TO_BASH = re.compile(r"\bln[ \t]+(?:-[A-Za-z]+[ \t]+)*(?:/usr)?(?:/bin/)?bash[ \t]+/bin/sh(?![\w/.-])")
"""A RUN that makes ``/bin/sh`` bash (``rm /bin/sh && ln -s /bin/bash /bin/sh``): the shell form runs in bash."""
BASH_KEEPS_THE_SHELL = re.compile(r"(?<!\|)\|(?!\|)|[<>`()]|(?<!\$)\{|(?<!&)&(?!&)|\btrap\b")
"""What keeps bash from exec-ing the last command of its ``-c`` line: a pipe, a redirection, a substitution, a
subshell or group, a command sent to the background, a trap."""
MAX_SIMPLE_COMMAND = 4096
SHELL_SYNTAX = re.compile(r"[;&|()`<>]")
"""What makes a line more than one simple command: lists, pipes, groups, substitutions, redirections."""
SHELL_KEYWORDS = frozenset({"if", "for", "while", "until", "case", "{", "!"})


def starts_nothing(args: str) -> bool:
    """Whether a shell-form command line runs only one-shot file operations, shell builtins and Django commands
    that finish by themselves (``manage.py collectstatic``)."""
    commands = split_line(args)
    return bool(commands) and all(program(command) in ONE_SHOT or _one_shot_django(command) for command in commands)


def _one_shot_django(command: Command) -> bool:
    return management_command(command) in ONE_OFF


def _exec_form_fix(project: Project, start: StartCommand) -> Fix | None:
    """The same words in JSON form, when the one-line command needs no shell and exec form runs it the same way.

    Not for a script without a ``#!`` line (the shell runs it as a script; exec form fails
    with "exec format error"), nor for an ``ENTRYPOINT`` that a ``CMD`` or a compose
    ``command:`` would then be appended to.
    """
    instruction, location, build = start.instruction, start.location, start.build
    text = project.text(location.path)
    # A start command with an instruction comes from a parsed Dockerfile (Project.start_commands):
    # the None checks on instruction and dockerfile only narrow the types.
    if text is None or instruction is None or instruction.line != instruction.end_line or build is None:
        return None
    dockerfile = build.dockerfile
    if dockerfile is None:
        return None
    words = literal_words(instruction.args)
    if not words:
        return None
    if instruction.keyword == "ENTRYPOINT" and (dockerfile.final.all("CMD") or any(
            "command" in service.keys for service in project.services if service.name in build.services)):
        return None
    if not _runs_without_shell(project, build, dockerfile, words[0]):
        return None
    line = text[line_start(text, instruction.line):line_end(text, instruction.line)]
    if not line.rstrip().endswith(instruction.args):
        return None
    start_offset = line_start(text, instruction.line) + len(line.rstrip()) - len(instruction.args)
    exec_form = json.dumps(words, ensure_ascii=False)
    return Fix(f"{instruction.keyword} {exec_form}", (Edit(location.path, start_offset,
                                                             line_start(text, instruction.line) + len(line),
                                                             exec_form),))


def _script_without_shebang(project: Project, start: StartCommand) -> Path | None:
    """The script of the build context a shell-form start command runs, when it has no ``#!`` line."""
    build = start.build
    words = literal_words(start.instruction.args) if start.instruction is not None else []
    if build is None or build.dockerfile is None or not words:
        return None
    path = _context_script(project, build, build.dockerfile, words[0])
    text = project.text(path) if path is not None else None
    return path if text is not None and not text.startswith("#!") else None


def _context_script(project: Project, build: ImageBuild, dockerfile: Dockerfile, program_word: str) -> Path | None:
    """The file of the build context a start command's first word runs: from the WORKDIR, or the ``PATH``."""
    if "/" in program_word:
        return project.workdir_file(build, program_word)
    return next((path for folder in DEFAULT_PATH
                 if (path := project.context_file(build, dockerfile.final, f"{folder}/{program_word}")) is not None),
                None)


def _runs_without_shell(project: Project, build: ImageBuild, dockerfile: Dockerfile, program_word: str) -> bool:
    """Whether exec form can start ``program_word``: a program, or a script of the context with a ``#!`` line.

    A script that cannot be found is given the benefit of the doubt only when its name
    does not end in ``.sh``.
    """
    path = _context_script(project, build, dockerfile, program_word)
    if path is not None:
        script = project.text(path)
        return script is not None and script.startswith("#!")
    return not program_word.endswith(".sh")
