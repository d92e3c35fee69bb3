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
    safe_regex,
)
from djlint_docker.records import record

MAX_LINE_BYTES = 64 * 1024 - 1  # moby reads the file with Go's bufio.Scanner, which stops at a longer line
WILDCARD = re.compile(r"[*?\[\\]")
#: The combined regex's fullmatch (None: no safe pattern), the pattern index of each of its
#: groups, and the (index, matcher) of the patterns it cannot hold, the last first.
_Matchers = tuple[Callable[[str], re.Match[str] | None] | None, list[int], list[tuple[int, Callable[[str], bool]]]]


@record
class Pattern:
    """One line of a ``.dockerignore``."""

    text: str
    line: int
    exclusion: bool
    tokens: tuple[Token, ...]


class DockerIgnore:
    """The patterns of a ``.dockerignore`` file, in order, and the answers found so far.

    A path is excluded when the last pattern that matches it, or one of its folders, is
    not a ``!`` pattern. That last pattern is found for a path once and kept, and a
    path's folders are answered first: so one regex, made of every pattern that cannot
    backtrack for long (the last first), decides a path in one call, and a pattern
    that would is scanned only when it comes after every match found so far.
    """

    __slots__ = ("patterns", "_last", "_matchers")

    def __init__(self, patterns: tuple[Pattern, ...]) -> None:
        self.patterns = patterns
        self._last: dict[str, int] = {}  # path -> index of the last pattern matching it or a folder of it, or -1
        self._matchers: _Matchers | None = None

    def excludes(self, path: str) -> bool:
        """Whether ``path`` (relative to the context, ``/``-separated) stays out of the context."""
        return self.excluded(self.last_match(posixpath.normpath(path.lstrip("/"))))

    def excluded(self, last: int) -> bool:
        """Whether a path whose last matching pattern is ``last`` (see :meth:`last_match`) stays out."""
        return last >= 0 and not self.patterns[last].exclusion

    def last_match(self, path: str, above: int | None = None) -> int:
        """The index of the last pattern matching the normalised ``path`` or one of its folders; -1 for none.

        ``above`` is that index for the path's folder, when the caller already knows it.
        """
        known = self._last.get(path)
        if known is not None:
            return known
        if above is None:
            folder = path.rpartition("/")[0]
            above = self.last_match(folder) if folder else -1
        last = max(above, self._last_own(path, above))
        self._last[path] = last
        return last

    def may_reinclude_below(self, folder: str) -> bool:
        """Whether a ``!`` pattern may match a path below ``folder`` that ``folder`` itself does not settle.

        When not, an excluded folder need not be entered: moby's walk skips it too.
        """
        below, depth = folder + "/", folder.count("/") + 1
        for pattern in self.patterns:
            if not pattern.exclusion:
                continue
            if "**" not in pattern.text and "[" not in pattern.text and pattern.text.count("/") < depth:
                continue  # it matches paths of as many names as it has, none below the folder
            literal = WILDCARD.split(pattern.text, 1)[0]
            if literal.startswith(below) or (literal != pattern.text and below.startswith(literal)):
                return True
        return False

    def _last_own(self, path: str, above: int) -> int:
        """The index of the last pattern after ``above`` that matches ``path`` itself, or -1."""
        if above == len(self.patterns) - 1:
            return -1
        combined, order, scanned = self._matchers or self._build()
        found = combined(path) if combined is not None else None
        best = order[found.lastindex - 1] if found is not None and found.lastindex else -1
        for index, match in scanned:
            if index <= max(best, above):
                break
            if match(path):
                return index
        return best

    def _build(self) -> _Matchers:
        """The regex of every safe pattern, the last first, with their indexes by group; the others, the last first."""
        regexes, order, scanned = [], [], []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # ``[[]``: a nested set to Python, a plain class to Go
            for index in range(len(self.patterns) - 1, -1, -1):
                tokens = self.patterns[index].tokens
                regex = safe_regex(tokens)
                if regex is None:
                    scanned.append((index, compile_glob(tokens)))
                else:
                    regexes.append(f"({regex})")
                    order.append(index)
            combined = re.compile("|".join(regexes)).fullmatch if regexes else None
        self._matchers = combined, order, scanned
        return self._matchers


def parse_dockerignore(text: str) -> DockerIgnore:
    """Read the patterns of a ``.dockerignore`` (comments and blank lines skipped)."""
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if len(raw) > MAX_LINE_BYTES // 4 and len(raw.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
            raise ParseError("a line longer than 64 KiB: docker build cannot read the file "
                             "(Go's bufio.Scanner: token too long)", number)
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        line = posixpath.normpath(line)
        if len(line) > 1 and line.startswith("/"):
            line = line.lstrip("/")
        patterns.append(Pattern(line, number, exclusion, tuple(_tokens(line, number))))
    return DockerIgnore(tuple(patterns))


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
    piece = f"[{'^' if negated else ''}{''.join(members)}]"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # ``[[]``: a nested set to Python, a plain class to Go
        try:
            re.compile(piece)
        except re.error as error:  # a range Go refuses too, as [z-a]
            message = f"{pattern!r} is not a valid pattern ({error.msg}): docker build refuses it"
            raise ParseError(message, line) from None
    return index, piece
