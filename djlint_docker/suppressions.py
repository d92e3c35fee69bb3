"""Inline suppressions: ``# djcheck: ignore[DJC101]`` and ``# djcheck: ignore-file[...]``.

One syntax for every file kind djcheck reads. A comment on a line of its own covers
the statement below it: the whole instruction in a Dockerfile, the whole logical line
in Python, the next line elsewhere (with its ``\\`` continuations in shell scripts and
requirements). A comment at the end of a line covers that line (the whole logical line
in Python); Dockerfiles and ``.dockerignore`` files have no end-of-line comments, so
there only the line above works. ``ignore-file`` covers the whole file wherever it
stands. Without ``[...]`` a directive covers every rule. Codes, prefixes and rule names
are accepted, comma-separated.
"""

from __future__ import annotations

import io
import os
import re
import tokenize
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from djlint_docker.findings import Finding
from djlint_docker.kinds import kind
from djlint_docker.records import record

if TYPE_CHECKING:
    from djlint_docker.registry import Rule

DIRECTIVE = re.compile(r"#\s*djcheck\s*:\s*(?P<kind>[\w-]*)\s*(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
KINDS = {"ignore", "ignore-file"}
Lines = Callable[[list[str], int], frozenset[int]]  # the lines a comment standing on a line of its own covers


@record
class Comment:
    """A ``#`` comment: where it starts, its text, and the lines it stands for."""

    line: int
    column: int
    text: str
    covers: frozenset[int]


@record
class Directive:
    """A ``# djcheck:`` comment: the rules it names (none: every rule) and the lines it covers.

    ``kind`` is ``ignore`` or ``ignore-file``, or what the comment wrote instead (a typo,
    reported as DJC003). ``covers`` is empty for ``ignore-file``: the whole file.
    """

    line: int
    column: int
    kind: str
    tokens: tuple[str, ...]
    covers: frozenset[int]

    def applies_to(self, line: int) -> bool:
        return self.kind == "ignore-file" or (self.kind == "ignore" and line in self.covers)


def directives(path: Path, text: str) -> list[Directive]:
    """The ``# djcheck:`` directives in a file of any kind djcheck reads."""
    if "djcheck" not in text.lower():
        return []
    found = []
    for comment in _comments(path, text):
        match = DIRECTIVE.search(comment.text)
        if match is None or match.start() != 0:
            continue
        kind = match["kind"].lower()
        tokens = tuple(t.strip() for t in (match["codes"] or "").split(",") if t.strip())
        found.append(Directive(comment.line, comment.column, kind, tokens,
                               frozenset() if kind == "ignore-file" else comment.covers))
    return found


def _comments(path: Path, text: str) -> list[Comment]:
    found = kind(path)
    if found == "python":
        try:
            return list(_python_comments(text))
        except (tokenize.TokenError, SyntaxError):
            pass  # a file Python cannot tokenize (DJC001 says so) still has its comments read line by line
    lines = text.splitlines()
    if found == "dockerfile":
        return list(_own_line_comments(lines, _instruction_lines))
    if found in {"dockerignore", "gitignore"}:  # a ``#`` after a pattern is part of the pattern
        return list(_own_line_comments(lines, _next_line))
    continued = found in {"script", "requirements"} or "." not in path.name  # a script named without .sh too
    return list(_line_comments(lines, _continued_lines if continued else _next_line))


def _python_comments(text: str) -> Iterator[Comment]:
    """Comments by the tokenizer, so ``#`` in a string is never taken for one."""
    pending: list[tokenize.TokenInfo] = []  # comments on lines of their own, waiting for their statement
    trailing: list[tokenize.TokenInfo] = []
    start = None
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            own_line = not token.line[:token.start[1]].strip()
            (pending if own_line and start is None else trailing).append(token)
        elif token.type in {tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}:
            continue
        elif token.type in {tokenize.NEWLINE, tokenize.ENDMARKER}:
            if start is not None:
                covers = frozenset(range(start, token.start[0] + 1))
                for comment in (*pending, *trailing):
                    yield Comment(comment.start[0], comment.start[1] + 1, comment.string, covers)
                pending, trailing, start = [], [], None
            else:
                for comment in trailing:
                    yield Comment(comment.start[0], comment.start[1] + 1, comment.string,
                                  frozenset({comment.start[0]}))
                trailing = []
        elif start is None:
            start = token.start[0]
    for comment in pending:
        yield Comment(comment.start[0], comment.start[1] + 1, comment.string, frozenset())


def _own_line_comments(lines: list[str], covered: Lines) -> Iterator[Comment]:
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith("#"):
            yield Comment(index + 1, len(line) - len(stripped) + 1, stripped, covered(lines, index + 1))


def _line_comments(lines: list[str], covered: Lines) -> Iterator[Comment]:
    """Comments on lines of their own and at the end of lines (``#`` after a blank, outside quotes)."""
    for index, line in enumerate(lines):
        column = comment_start(line)
        if column is None:
            continue
        own_line = not line[:column].strip()
        covers = covered(lines, index + 1) if own_line else frozenset({index + 1})
        yield Comment(index + 1, column + 1, line[column:], covers)


def comment_start(line: str) -> int | None:
    """Where a ``#`` comment starts on a line (at its start or after a blank, outside quotes), if it has one."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"" and (index == 0 or not line[index - 1].isalnum()):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return None


def _statement_start(lines: list[str], after: int) -> int | None:
    """The first line after ``after`` (0-based index of the next line) that is not blank or a comment."""
    for index in range(after, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index
    return None


def _next_line(lines: list[str], after: int) -> frozenset[int]:
    start = _statement_start(lines, after)
    return frozenset() if start is None else frozenset({start + 1})


def _continued_lines(lines: list[str], after: int, comments_inside: bool = False) -> frozenset[int]:
    """The next statement with the lines its trailing backslashes join to it."""
    start = _statement_start(lines, after)
    if start is None:
        return frozenset()
    end = start
    while end + 1 < len(lines) and (lines[end].rstrip().endswith("\\")
                                    or (comments_inside and lines[end].lstrip().startswith("#"))):
        end += 1
    return frozenset(range(start + 1, end + 2))


def _instruction_lines(lines: list[str], after: int) -> frozenset[int]:
    """A Dockerfile instruction: comment lines inside a continued instruction belong to it."""
    return _continued_lines(lines, after, comments_inside=True)


def apply_directives(findings: list[Finding], texts: Mapping[Path, str], base: Path,
                     rules: Sequence[Rule]) -> list[Finding]:
    """The findings no directive covers, plus DJC003 and DJC004 for the directives' own faults.

    ``texts`` are the files the run read; ``rules`` those that ran: a directive naming
    only rules that did not run is not reported as unused.
    """
    from djlint_docker.registry import REGISTRY, match_length, names_a_rule

    by_path = {os.path.relpath(path, base): found for path, text in texts.items() if (found := directives(path, text))}
    if not by_path:
        return findings
    used: set[tuple[str, Directive, str | None]] = set()
    kept = []
    for finding in findings:
        covering = [d for d in by_path.get(finding.path, ()) if d.applies_to(finding.line)]
        matched = {(finding.path, d, token) for d in covering for token in (d.tokens or (None,))
                   if token is None or match_length(REGISTRY[finding.code], token) >= 0}
        used |= matched
        if not matched:
            kept.append(finding)

    ran = {rule.code for rule in rules}

    def report(code: str, path: str, directive: Directive, message: str) -> None:
        if code in ran and (current := REGISTRY.get(code)) is not None:
            kept.append(Finding(current.code, current.name, current.severity, path, directive.line, directive.column,
                                message))

    for path, found in by_path.items():
        for directive in found:
            written = f"djcheck: {directive.kind}" + (f"[{', '.join(directive.tokens)}]" if directive.tokens else "")
            if directive.kind not in KINDS:
                report("DJC003", path, directive, f"unknown directive {written!r}; write "
                       "'djcheck: ignore[CODES]' or 'djcheck: ignore-file[CODES]'")
                continue
            for token in directive.tokens:
                if not names_a_rule(token, REGISTRY.values()):
                    report("DJC003", path, directive, f"{token!r} names no rule; write a code (DJC101), "
                           "a prefix (DJC1) or a rule name")
                elif (path, directive, token) not in used and any(match_length(r, token) >= 0 for r in rules):
                    report("DJC004", path, directive, f"'{written}' suppresses no {token} finding "
                           f"{_where(directive)}; remove {token!r} from it")
            if not directive.tokens and (path, directive, None) not in used:
                report("DJC004", path, directive, f"'{written}' suppresses no finding {_where(directive)}; remove it")
    return kept


def _where(directive: Directive) -> str:
    if directive.kind == "ignore-file":
        return "in this file"
    if not directive.covers:
        return "(it stands above no statement)"
    first, last = min(directive.covers), max(directive.covers)
    return f"on line {first}" if first == last else f"on lines {first}-{last}"
