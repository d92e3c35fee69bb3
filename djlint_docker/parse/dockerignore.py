"""``.dockerignore`` with Docker's own matching rules.

Docker's rules differ from ``.gitignore``: patterns are anchored at the context root
(``*.pyc`` does not match ``app/x.pyc``; ``**/*.pyc`` does), a pattern that matches a
folder excludes everything below it, ``!`` re-includes, and the last matching pattern
wins. This follows moby's ``patternmatcher`` (the code ``docker build`` runs); no
maintained Python package implements these semantics without the whole Docker SDK.
"""

from __future__ import annotations

import posixpath
import re
import warnings
from collections.abc import Callable

from djlint_docker.parse import ParseError
from djlint_docker.parse.globs import (
    ANYTHING,
    CHAR,
    CLASSES,
    FOLDERS,
    STAR,
    Token,
    compile_glob,
)
from djlint_docker.records import record


@record
class Pattern:
    """One line of a ``.dockerignore``."""

    text: str
    line: int
    exclusion: bool
    match: Callable[[str], bool]  # whether the whole of a path matches

    def matches(self, path: str) -> bool:
        """Whether the pattern matches ``path`` or one of its parent folders."""
        if self.match(path):
            return True
        parts = path.split("/")
        return any(self.match("/".join(parts[: index + 1])) for index in range(len(parts) - 1))


@record
class DockerIgnore:
    """The patterns of a ``.dockerignore`` file, in order."""

    patterns: tuple[Pattern, ...]

    def excludes(self, path: str) -> bool:
        """Whether ``path`` (relative to the context, ``/``-separated) stays out of the context."""
        path = posixpath.normpath(path.lstrip("/"))
        excluded = False
        for pattern in self.patterns:
            if pattern.exclusion and not excluded:
                continue
            if pattern.matches(path):
                excluded = not pattern.exclusion
        return excluded

    @property
    def has_exceptions(self) -> bool:
        """Whether some ``!pattern`` may re-include files inside an excluded folder."""
        return any(pattern.exclusion for pattern in self.patterns)


def parse_dockerignore(text: str) -> DockerIgnore:
    """Read the patterns of a ``.dockerignore`` (comments and blank lines skipped)."""
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        line = posixpath.normpath(line)
        if len(line) > 1 and line.startswith("/"):
            line = line.lstrip("/")
        patterns.append(Pattern(line, number, exclusion, _compile(line, number)))
    return DockerIgnore(tuple(patterns))


def _compile(pattern: str, line: int) -> Callable[[str], bool]:
    """The pattern as a matcher; one Docker cannot compile either (an unclosed ``[``) is a ParseError."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # ``[[]``: a nested set to Python, a plain class to Go
        try:
            return compile_glob(_tokens(pattern, line))
        except re.error as error:
            raise ParseError(f"{pattern!r} is not a valid pattern ({error.msg}): docker build refuses it", line) from None


def _tokens(pattern: str, line: int) -> list[Token]:
    """The pattern as moby translates it: ``*`` within a name, ``**`` any folders, ``?`` one character.

    moby copies a ``[...]`` set into its regex as written, but for the characters it
    escapes, so ``[^a]`` is a negated set and ``[[:digit:]]`` a class; it also turns a
    ``*`` or ``?`` inside one into its regex, which leaves no set: that is refused here.
    """
    tokens: list[Token] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            if pattern[index + 1:index + 2] == "*":
                index += 2 if pattern[index + 2:index + 3] == "/" else 1
                tokens.append((ANYTHING, "") if index + 1 >= len(pattern) else (FOLDERS, ""))
            else:
                tokens.append((STAR, ""))
        elif char == "?":
            tokens.append((CHAR, "[^/]"))
        elif char == "\\":
            index += 1
            if index == len(pattern):  # moby's regex then ends in "\\$": a literal "$", and no end anchor
                tokens += [(CHAR, re.escape("$")), (ANYTHING, "")]
                break
            tokens.append((CHAR, re.escape(pattern[index])))
        elif char == "[":
            index, piece = _set(pattern, index, line)
            tokens.append((CHAR, piece))
        else:
            tokens.append((CHAR, re.escape(char)))
        index += 1
    return tokens


def _set(pattern: str, start: int, line: int) -> tuple[int, str]:
    """The set that opens at ``start`` as Go's regexp reads it: the index of its ``]`` and its regex."""
    index = start + 1
    negated = pattern[index:index + 1] == "^"
    index += negated
    members, first = [], True
    while index < len(pattern) and (first or pattern[index] != "]"):
        first, char = False, pattern[index]
        close = pattern.find(":]", index + 2) if pattern.startswith("[:", index) else -1
        if char in "*?":
            raise ParseError(f"{pattern!r} has {char} inside [...], which docker build turns into a regex of its "
                             "own, not a set; write the set without it", line)
        if close > 0:
            name = pattern[index + 2:close]
            if name not in CLASSES:
                raise ParseError(f"{pattern!r} names no character class [:{name}:]: docker build refuses it", line)
            members.append(CLASSES[name])
            index = close + 2
            continue
        if char == "\\":
            index += 1
            if index == len(pattern):
                break
            char = pattern[index]
        members.append(char if char == "-" and pattern[index - 1] != "\\" else re.escape(char))
        index += 1
    if index >= len(pattern):
        raise ParseError(f"{pattern!r} is not a valid pattern (unterminated [...]): docker build refuses it", line)
    return index, f"[{'^' if negated else ''}{''.join(members)}]"
