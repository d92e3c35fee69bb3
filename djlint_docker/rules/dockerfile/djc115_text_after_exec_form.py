"""DJC115 text-after-exec-form: text after an exec-form JSON array, which Docker silently drops."""

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
    Example("comment-after-array", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]  # prod\n",
                  "manage.py": MANAGE}),
    Example("invalid-json-is-shell-form", {"Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\",] x\n",
                  "manage.py": MANAGE}),
    Example("words-moved-into-the-array", {
        "Dockerfile": PYTHON_ENV_BASE + "CMD [\"python\", \"manage.py\", \"runserver\"]   0.0.0.0:8000 \n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),),
        fixed={"Dockerfile": PYTHON_ENV_BASE + "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"] \n"}),
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
                assert instruction.exec_form is not None  # the parser sets ``ignored`` only after an exec-form array
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
