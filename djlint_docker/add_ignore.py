"""``--add-ignore``: a ``# djcheck: ignore[CODE]`` comment for each current finding, as ruff's ``--add-noqa``.

The comment goes where the file's kind lets a comment cover the finding's line
(:mod:`djlint_docker.suppressions`): on a line of its own above the instruction in a
Dockerfile and above the pattern in an ignore file, above a command continued with
``\\`` in a script or requirements file, and at the end of the line everywhere else (the
end of the whole statement in Python). An existing ``djcheck: ignore[...]`` comment
there gets the new codes; another comment at the end of the line is kept after the
directive. A file that cannot be parsed (DJC001) gets ``ignore-file`` on a last line of
its own. Each comment is kept only when the file then reads as before: the same
Python syntax tree, YAML data, Dockerfile instructions, env values, requirements,
script commands or patterns (a ``#`` inside a YAML block scalar or a Python string
would be text, not a comment). A finding no comment can cover is left and said.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Iterable
from pathlib import Path

from djlint_docker.findings import Finding
from djlint_docker.kinds import kind
from djlint_docker.parse import ParseError
from djlint_docker.records import record
from djlint_docker.suppressions import DIRECTIVE, comment_start

FAULTS_OF_COMMENTS = {"DJC003", "DJC004"}
"""Findings about suppression comments themselves: the comment is mended, not suppressed."""
FILE_PROBLEMS = {"DJC001"}
"""A file that cannot be parsed: ``ignore-file`` on a last line of its own, where no parser stumbles on it."""
OWN_LINE_KINDS = {"dockerfile", "dockerignore", "gitignore"}  # no end-of-line comments there
TOML_FILES = {"uv.lock", "poetry.lock", "pdm.lock", "Pipfile"}
CONTINUED_KINDS = {"script", "requirements"}
END_OF_LINE = "end"
ABOVE = "above"
WHOLE_FILE = "file"


def _kind(path: Path) -> str | None:
    """The file kind as comments see it: TOML files, and scripts named without ``.sh``, too."""
    if path.name in TOML_FILES or path.suffix == ".toml":
        return "toml"
    return kind(path) or ("script" if "." not in path.name else None)


@record
class Added:
    """The codes a comment on ``line`` of ``path`` now ignores (the line as the file reads after the change)."""

    path: Path
    line: int
    codes: tuple[str, ...]


@record
class Placement:
    """Where a comment covers a finding: ``line`` (1-based), at its end or on a line of its own above it."""

    line: int
    how: str


def add_ignores(path: Path, text: str, findings: Iterable[Finding]) -> tuple[str, list[Added], list[Finding]]:
    """The text with a comment for each finding; what was added; the findings left without one."""
    file_kind = _kind(path)
    wanted: dict[Placement, list[Finding]] = {}
    left = []
    for finding in findings:
        if finding.code in FAULTS_OF_COMMENTS:
            placement = None
        elif finding.code in FILE_PROBLEMS:
            placement = Placement(len(text.splitlines()) + 1, WHOLE_FILE)
        else:
            placement = _placement(file_kind, path, text, finding.line)
        if placement is None:
            left.append(finding)
        else:
            wanted.setdefault(placement, []).append(finding)
    same = _reads_the_same(file_kind, path)
    added: list[tuple[int, tuple[str, ...], bool]] = []
    # From the bottom up: a line added above one place leaves the places above it where they were.
    for placement in sorted(wanted, key=lambda p: (p.line, p.how == END_OF_LINE), reverse=True):
        codes = tuple(dict.fromkeys(f.code for f in wanted[placement]))
        changed, line, inserted = _with_comment(text, placement, codes)
        if changed != text and same(text, changed):
            text = changed
            added.append((line, codes, inserted))
        else:
            left += wanted[placement]
    inserted_at = [line for line, _, inserted in added if inserted]
    return text, [Added(path, line + sum(1 for above in inserted_at if above < line), codes)
                  for line, codes, _ in reversed(added)], left


def _placement(file_kind: str | None, path: Path, text: str, line: int) -> Placement | None:
    lines = text.splitlines()
    if file_kind is None or not 1 <= line <= max(len(lines), 1):
        return None
    if file_kind == "dockerfile":
        return Placement(_instruction_start(path, text, line), ABOVE)
    if file_kind in OWN_LINE_KINDS:
        return Placement(line, ABOVE)
    if file_kind == "python":
        return Placement(_statement_end(text, line), END_OF_LINE)
    if file_kind in CONTINUED_KINDS and lines and (
            lines[line - 1].rstrip().endswith("\\") or (line > 1 and lines[line - 2].rstrip().endswith("\\"))):
        start = line
        while start > 1 and lines[start - 2].rstrip().endswith("\\"):
            start -= 1
        return Placement(start, ABOVE)
    return Placement(line, END_OF_LINE)


def _instruction_start(path: Path, text: str, line: int) -> int:
    """The first line of the Dockerfile instruction holding ``line`` (a comment above it covers all its lines)."""
    from djlint_docker.parse.dockerfile import parse_dockerfile

    try:
        instructions = parse_dockerfile(path, text).instructions
    except (ParseError, ValueError):
        return line
    return next((i.line for i in instructions if i.line <= line <= i.end_line), line)


def _statement_end(text: str, line: int) -> int:
    """The last line of the Python statement holding ``line``: a comment there covers the whole statement."""
    start = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in {tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}:
                continue
            if token.type in {tokenize.NEWLINE, tokenize.ENDMARKER}:
                if start is not None and start <= line <= token.start[0]:
                    return token.start[0]
                start = None
            elif start is None:
                start = token.start[0]
    except (tokenize.TokenError, SyntaxError):
        pass
    return line


def _with_comment(text: str, placement: Placement, codes: tuple[str, ...]) -> tuple[str, int, bool]:
    """``text`` with the directive for ``codes`` at ``placement``; the directive's line; whether a line was added."""
    lines = text.splitlines(keepends=True)
    if not lines:
        lines = [""]
    newline = "\r\n" if "\r\n" in text else "\n"
    index = placement.line - 1
    if placement.how == WHOLE_FILE:
        ending = "" if not text or text.endswith(("\n", "\r")) else newline
        return f"{text}{ending}# djcheck: ignore-file[{', '.join(codes)}]{newline}", placement.line, True
    if placement.how == ABOVE:
        above = lines[index - 1] if index > 0 else ""
        if index > 0 and (merged := _merged(above.strip(), codes)) is not None:
            indent = above[:len(above) - len(above.lstrip())]
            lines[index - 1] = indent + merged + _ending(above, newline)
            return "".join(lines), placement.line - 1, False
        indent = re.match(r"[ \t]*", lines[index])[0]  # type: ignore[index]
        lines.insert(index, f"{indent}# djcheck: ignore[{', '.join(codes)}]{newline}")
        return "".join(lines), placement.line, True
    current = lines[index]
    body = current.rstrip("\r\n")
    ending = current[len(body):]
    start = comment_start(body)
    if start is not None and (merged := _merged(body[start:].rstrip(), codes)) is not None:
        lines[index] = body[:start] + merged + ending
    elif start is not None:
        lines[index] = f"{body[:start]}# djcheck: ignore[{', '.join(codes)}] {body[start:]}{ending}"
    else:
        lines[index] = f"{body.rstrip()}  # djcheck: ignore[{', '.join(codes)}]{ending}"
    return "".join(lines), placement.line, False


def _ending(line: str, newline: str) -> str:
    return line[len(line.rstrip("\r\n")):] or newline


def _merged(comment: str, codes: tuple[str, ...]) -> str | None:
    """An ``ignore[...]`` comment with ``codes`` added; None when ``comment`` is no such directive."""
    match = DIRECTIVE.match(comment)
    if match is None or match["kind"].lower() != "ignore" or match["codes"] is None:
        return None
    present = [t.strip() for t in match["codes"].split(",") if t.strip()]
    tokens = present + [code for code in codes if code not in present]
    return f"{comment[:match.start('codes')]}{', '.join(tokens)}{comment[match.end('codes'):]}"


def _reads_the_same(file_kind: str | None, path: Path) -> Callable[[str, str], bool]:
    """How to tell that a file reads as before: what its parser makes of it, positions aside."""
    read = _READERS.get(file_kind or "", _lines_without_comments)

    def same(before: str, after: str) -> bool:
        try:
            old = read(path, before)
        except (ParseError, SyntaxError, ValueError, RecursionError) as error:  # tomllib's error is a ValueError
            old = ("unreadable", type(error).__name__)
        try:
            new = read(path, after)
        except (ParseError, SyntaxError, ValueError, RecursionError) as error:
            new = ("unreadable", type(error).__name__)
        return bool(old == new)

    return same


def _python(path: Path, text: str) -> object:
    return ast.dump(ast.parse(text))


def _yaml(path: Path, text: str) -> object:
    from djlint_docker.parse.compose import load_yaml

    return load_yaml(text)


def _dockerfile(path: Path, text: str) -> object:
    from djlint_docker.parse.dockerfile import parse_dockerfile

    return [(i.keyword, i.args, i.flags, i.exec_form, i.heredocs)
            for i in parse_dockerfile(path, text).instructions]


def _env(path: Path, text: str) -> object:
    from djlint_docker.parse.envfile import parse_env_file

    return {name: var.value for name, var in parse_env_file(text).items()}


def _requirements(path: Path, text: str) -> object:
    from djlint_docker.parse.requirements import parse_requirements

    found = parse_requirements(path, text)
    return ([(r.name, r.specifier, r.extras) for r in found.requirements], [name for name, _ in found.includes])


def _script(path: Path, text: str) -> object:
    from djlint_docker.parse.shell import script_lines

    return [command.words for line in script_lines(text) for command in line.commands]


def _toml(path: Path, text: str) -> object:
    import tomllib

    return tomllib.loads(text)


def _lines_without_comments(path: Path, text: str) -> object:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


_READERS: dict[str, Callable[[Path, str], object]] = {
    "python": _python, "compose": _yaml, "yaml": _yaml, "dockerfile": _dockerfile, "env": _env,
    "requirements": _requirements, "script": _script, "toml": _toml,
}
