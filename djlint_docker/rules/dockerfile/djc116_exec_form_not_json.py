"""DJC116 exec-form-not-json: an array of words that is not JSON, which Docker reads as shell form."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from djlint_docker.edits import line_end, line_start
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.parse.dockerfile import EXEC_FORM_INSTRUCTIONS, Dockerfile, Instruction
from djlint_docker.parse.shell import words
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE, WELL_BUILT_DOCKERFILE

# One item of an array as people write it: a string in single, double or typographic quotes, or a bare word.
_ITEM = r"""\s*+(?:'[^']*+'|"(?:[^"\\]++|\\.)*+"|\u201c[^\u201d]*+\u201d|[^\s,'"\[\]\u201c\u201d]++)\s*+"""
ARRAY = re.compile(rf"\[(?P<items>{_ITEM}(?:,{_ITEM})*+)(?P<trailing>,\s*+)?\](?P<rest>.*)", re.S)
ITEM = re.compile(_ITEM)


@rule("DJC116", "exec-form-not-json", Severity.ERROR, fix="safe", examples=[
    Example("single-quoted-cmd", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app.wsgi']\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 7),),
        fixed={"Dockerfile": REQUIREMENTS_DOCKERFILE
               + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n"}),
    Example("single-quoted-volume", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nVOLUME ['/app/media']\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 3),),
        fixed={"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nVOLUME [\"/app/media\"]\n"}),
    Example("trailing-comma-entrypoint", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\",]\n",
        "entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n", "manage.py": MANAGE}, expect=(("Dockerfile", 3),),
        fixed={"Dockerfile": "FROM python:3.12-slim\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n"}),
    Example("bare-words-are-reported-not-fixed", {
        "Dockerfile": "FROM python:3.12-slim\nRUN [pip, install, django]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 2),)),
    Example("valid-json", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("shell-test-brackets", {
        "Dockerfile": "FROM python:3.12-slim\nRUN [ -f requirements.txt ] && pip install -r requirements.txt\n"
                      "RUN [ \"$DEBUG\" = \"1\" ] || python manage.py collectstatic --noinput\n"
                      "CMD [ -n \"$PORT\" ] && exec gunicorn -b \"0.0.0.0:$PORT\" app.wsgi\n",
        "manage.py": MANAGE}),
    Example("shell-form-and-labels", {
        "Dockerfile": "FROM python:3.12-slim\nLABEL tags=\"['web', 'django']\"\nCMD gunicorn app.wsgi\n",
        "manage.py": MANAGE}),
])
def exec_form_not_json(project: Project) -> Iterator[Violation]:
    """An instruction written as an array that is not valid JSON, so Docker reads it as shell form.

    ## What it does
    Reports a `CMD`, `ENTRYPOINT`, `RUN`, `SHELL`, `COPY`, `ADD` or `VOLUME` whose
    arguments are written as an array of words but are not a JSON array: single or
    typographic quotes, a trailing comma, unquoted words, an invalid escape. A shell test
    such as `RUN [ -f x ] && ...` has no commas between quoted items and is left alone.

    ## Why is this bad?
    Docker decides between exec and shell form by whether the arguments parse as JSON.
    `CMD ['gunicorn', 'app.wsgi']` is shell form: the container runs
    `/bin/sh -c "['gunicorn', 'app.wsgi']"`, whose program is `[gunicorn,`, and exits with
    `not found`. `VOLUME ['/data']` declares a volume at the literal path `['/data']`;
    `COPY` and `ADD` look for files named `['src',`; `SHELL` is refused.

    ## Example
    ```dockerfile
    CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app.wsgi']
    ```
    Use instead:
    ```dockerfile
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi"]
    ```

    ## Fix safety
    Safe: offered when every item is a quoted string without backslashes and nothing
    follows the array; the fix writes the same words in double quotes (and drops a trailing
    comma), which is what the line was written to mean. What Docker ran before fails.

    ## References
    - [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
      ("you must use double-quotes (") around words, not single-quotes (')")
    - [Dockerfile reference: VOLUME](https://docs.docker.com/reference/dockerfile/#volume)
    """
    for _, dockerfile in project.dockerfiles:
        for instruction in dockerfile.instructions:
            if instruction.keyword not in EXEC_FORM_INSTRUCTIONS or instruction.exec_form is not None:
                continue
            match = ARRAY.fullmatch(instruction.args) if instruction.args.startswith("[") else None
            if match is None:
                continue
            items = [item.strip() for item in _split_items(match.group("items"))]
            quoted = [item for item in items if item[:1] in {"'", '"', "\u201c"}]
            if len(items) < 2 and not quoted:
                continue  # ``[x]``: a glob or a test, not an array
            reason = _reason(items, bool(match.group("trailing")))
            if reason is None:
                continue
            yield Violation(dockerfile.at(instruction),
                            f"`{instruction.keyword} {_short(instruction.args)}` is not JSON ({reason}), so Docker "
                            f"reads it as shell form: {_what_docker_does(instruction)}; write the array with "
                            f"double quotes", fix=_fix(project, dockerfile, instruction, match, items))


def _split_items(text: str) -> list[str]:
    """The items of the array's inside, split at the commas between them (linear: one match per item)."""
    found = []
    position = 0
    while position <= len(text):
        match = ITEM.match(text, position)
        if match is None:
            break
        found.append(match.group())
        position = match.end() + 1  # past the comma
    return found


def _reason(items: list[str], trailing_comma: bool) -> str | None:
    if any(item.startswith("'") for item in items):
        return "single quotes"
    if any(item.startswith("\u201c") for item in items):
        return "typographic quotes"
    if any(not item.startswith('"') for item in items):
        return "unquoted words"
    if trailing_comma:
        return "a trailing comma"
    for item in items:
        try:
            json.loads(item)
        except ValueError:
            return "an escape JSON does not allow"
    return None


def _what_docker_does(instruction: Instruction) -> str:
    parts = words(instruction.args)
    first = parts[0] if parts else instruction.args
    if instruction.keyword in {"CMD", "ENTRYPOINT", "RUN"}:
        return f"`/bin/sh -c` runs a program named `{first}`, which does not exist"
    if instruction.keyword == "VOLUME":
        return "the volume paths are the literal words " + ", ".join(f"`{p}`" for p in instruction.args.split()[:4])
    if instruction.keyword == "SHELL":
        return "BuildKit refuses SHELL in shell form and the build fails"
    return f"it looks for a source file named `{first}` and the build fails"


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def _fix(project: Project, dockerfile: Dockerfile, instruction: Instruction, match: re.Match[str],
         items: list[str]) -> Fix | None:
    """The same words as a JSON array, when every item is a plain quoted string and nothing follows the array."""
    if match.group("rest").strip() or instruction.line != instruction.end_line:
        return None
    values = []
    for item in items:
        if len(item) < 2 or item[0] not in {"'", '"'} or item[-1] != item[0] or "\\" in item:
            return None
        body = item[1:-1]
        if item[0] == "'" and '"' in body:
            return None
        values.append(body)
    text = project.text(dockerfile.path)
    if text is None:
        return None
    start = line_start(text, instruction.line)
    line = text[start:line_end(text, instruction.line)].rstrip()
    if not line.endswith(instruction.args):
        return None
    args_start = start + len(line) - len(instruction.args)
    array = "[" + ", ".join(json.dumps(value, ensure_ascii=False) for value in values) + "]"
    return Fix(f"write {array}", (Edit(dockerfile.path, args_start, args_start + len(instruction.args), array),))
