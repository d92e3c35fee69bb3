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

from djlint_docker.parse import ParseError
from djlint_docker.records import record


@record
class Pattern:
    """One line of a ``.dockerignore``."""

    text: str
    line: int
    exclusion: bool
    regex: re.Pattern[str]

    def matches(self, path: str) -> bool:
        """Whether the pattern matches ``path`` or one of its parent folders."""
        if self.regex.match(path):
            return True
        parts = path.split("/")
        return any(self.regex.match("/".join(parts[: index + 1])) for index in range(len(parts) - 1))


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


def _compile(pattern: str, line: int) -> re.Pattern[str]:
    """The pattern as a regex; one Docker cannot compile either (an unclosed ``[``) is a ParseError."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # ``[[]``: a nested set to Python, a plain class to Go
        try:
            return re.compile(_regex(pattern))
        except re.error as error:
            raise ParseError(f"{pattern!r} is not a valid pattern ({error.msg}): docker build refuses it", line) from None


def _regex(pattern: str) -> str:
    out = "^"
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            if pattern[index + 1: index + 2] == "*":
                index += 1
                if pattern[index + 1: index + 2] == "/":
                    index += 1
                out += ".*" if index + 1 >= len(pattern) else "(.*/)?"
            else:
                out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out += re.escape(pattern[index])
        elif char in ".+()|{}$^":
            out += "\\" + char
        else:
            out += char
        index += 1
    return out + "$"
