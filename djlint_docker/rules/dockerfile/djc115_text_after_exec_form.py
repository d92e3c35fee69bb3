"""DJC115 text-after-exec-form: text after an exec-form JSON array, which turns the line into shell form."""

from __future__ import annotations

import json
from collections.abc import Iterator

from djlint_docker.edits import line_end, line_start
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.parse.dockerfile import Dockerfile, Instruction
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._shell_words import literal_words
from djlint_docker.rules.snippets import MANAGE, PYTHON_ENV_BASE, WELL_BUILT_DOCKERFILE


@rule("DJC115", "text-after-exec-form", Severity.ERROR, fix="unsafe", examples=[
    Example("address-after-array", {
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"runserver\"] 0.0.0.0:8000\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 2),),
        fixed={"Dockerfile": "FROM python:3.12-slim\n"
                             "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n"}),
    Example("second-array", {"Dockerfile": "FROM python:3.12-slim\nENTRYPOINT [\"/entrypoint.sh\"] [\"gunicorn\"]\n",
                  "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("volume", {"Dockerfile": "FROM python:3.12-slim\nVOLUME [\"/data\"] /static\n",
                  "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("exec-form", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    # A Dockerfile comment starts a line: after the array, `# prod` is text like any other.
    Example("comment-after-array", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]  # prod\n",
                                    "manage.py": MANAGE}, expect=(("Dockerfile", 2),),
            fixed={"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n"}),
    Example("invalid-json-is-shell-form", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\",] x\n",
                  "manage.py": MANAGE}),
    Example("words-moved-into-the-array", {
        "Dockerfile": PYTHON_ENV_BASE + "CMD [\"python\", \"manage.py\", \"runserver\"]   0.0.0.0:8000 \n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"] \n"}),
])
def text_after_exec_form(project: Project) -> Iterator[Violation]:
    """Text after an exec-form JSON array, which turns the line into shell form.

    ## What it does
    Reports an instruction written as a JSON array (`CMD`, `ENTRYPOINT`, `RUN`, `SHELL`,
    `COPY`, `ADD`, `VOLUME`) with more text after the closing bracket, a `# comment`
    included: a Dockerfile comment must start its line.

    ## Why is this bad?
    Since BuildKit's Dockerfile frontend 1.9 (Docker 27), a line that is not one JSON
    array as a whole is shell form: `CMD ["python", "manage.py", "runserver"] 0.0.0.0:8000`
    runs `/bin/sh -c '["python", "manage.py", "runserver"] 0.0.0.0:8000'`, and the shell
    finds no command `[python,`: the container exits at once. `COPY` and `VOLUME` take
    the brackets and quotes as parts of their paths. Older builders decoded the array
    and dropped the rest without a warning: `runserver` started on 127.0.0.1, the address
    never reaching Django. Either way the line does not do what it says.

    ## Example
    ```dockerfile
    CMD ["python", "manage.py", "runserver"] 0.0.0.0:8000
    ```
    Use instead:
    ```dockerfile
    CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    ```

    A comment goes on a line of its own, above the instruction.

    ## Fix safety
    Unsafe: the fix moves the words into the array, so the container runs what the line
    says rather than what an older builder ran. Offered only when the text is plain words
    (no variables, operators or quotes that need a shell). For a comment the fix removes
    it: every builder then runs the array, as its writer meant.

    ## References
    - [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
    - [BuildKit's parser: `parseJSON` unmarshals the whole rest of the line](https://github.com/moby/buildkit/blob/master/frontend/dockerfile/parser/line_parsers.go)
    - [BuildKit: "dockerfile: fix invalid usage of json.NewDecoder" (frontend 1.9)](https://github.com/moby/buildkit/commit/80518e257f8fc2fdb484e171601c9e04abed1602)
    """
    for _, dockerfile in project.dockerfiles:
        for instruction in dockerfile.instructions:
            if not instruction.ignored:
                continue
            assert instruction.exec_form is not None  # the parser sets ``ignored`` only after an exec-form array
            keyword = instruction.keyword
            effect = ("stops the build (SHELL requires the arguments to be in JSON form)" if keyword == "SHELL"
                      else f"runs `/bin/sh -c '{instruction.args.strip()}'`, which fails" if keyword in RUN_FORMS
                      else "takes the brackets and quotes as parts of the paths")
            where = dockerfile.at(instruction)
            if instruction.ignored.startswith("#"):
                yield Violation(where, f"`{instruction.ignored}` after the JSON array of {keyword} is no comment: "
                                       f"Docker reads the line as shell form and {effect}; put the comment on a line "
                                       f"of its own", fix=_comment_removed(project, dockerfile, instruction))
                continue
            yield Violation(where, f"`{instruction.ignored}` after the JSON array of {keyword}: Docker reads the line "
                                   f"as shell form and {effect} (builders before BuildKit's Dockerfile 1.9 dropped the "
                                   f"words and ran {json.dumps(list(instruction.exec_form))}); move the words into the "
                                   f"array, or delete them", fix=_into_array_fix(project, dockerfile, instruction))


RUN_FORMS = frozenset({"CMD", "ENTRYPOINT", "RUN"})
"""The instructions whose shell form is a command the shell runs (the others take paths)."""


def _comment_removed(project: Project, dockerfile: Dockerfile, instruction: Instruction) -> Fix | None:
    """The text from the end of the array to the end of the line removed."""
    text = project.text(dockerfile.path)
    if text is None or instruction.line != instruction.end_line:
        return None
    line = text[line_start(text, instruction.line):line_end(text, instruction.line)]
    if not line.rstrip().endswith(instruction.ignored):
        return None
    end = line_start(text, instruction.line) + len(line.rstrip())
    start = end - len(instruction.ignored)
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return Fix("remove the comment", (Edit(dockerfile.path, start, end, ""),), safe=False)


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
