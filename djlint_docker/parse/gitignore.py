"""``.gitignore`` files with git's own matching rules.

A line is a pattern unless it is blank or starts with ``#``; trailing spaces are dropped
unless escaped; ``!`` re-includes; a trailing ``/`` matches folders only; a pattern with
a ``/`` before its end is anchored at the file's folder, any other matches a name at
any depth. ``*``, ``?`` and ``[...]`` never match ``/``; ``**`` between slashes matches
any number of folders. A path is ignored when the last pattern that matches it, in the
deepest ``.gitignore`` that has one, is not a ``!`` pattern, or when one of its folders
is ignored: git never looks inside an ignored folder, so nothing in it can be
re-included.

This follows git's ``dir.c`` and ``wildmatch.c`` and is tested against ``git
check-ignore``. pathspec's ``GitIgnoreSpec`` re-includes ``data/keep`` after ``data/``
and ``!data/keep``, where git does not, and its import alone took a tenth of a run.
Matching is case-sensitive (git's default outside macOS and Windows).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

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

WILDCARDS = "*?[\\"  # the wildcards and the escape: a glob without any is plain text


class _Unmatchable(Exception):
    """A pattern git gives up on (an unclosed ``[``, a trailing ``\\``): it matches nothing."""


@record
class Pattern:
    """One pattern line of a ``.gitignore``."""

    text: str  # as written, without trailing spaces
    line: int
    negated: bool
    folders_only: bool
    anchored: bool  # matched against the path from the file's folder, not against the name alone
    glob: str  # what is matched: no "!", no trailing "/", no leading "/"
    literal: bool  # no wildcard and no escape: matched by plain comparison, as git does
    suffix: bool  # a name pattern "*" + literal text (*.pyc): matched by the name's ending, as git does

    def matches(self, path: str, folder: bool) -> bool:
        """Whether the pattern matches ``path`` (relative to the file's folder, ``/``-separated)."""
        if self.folders_only and not folder:
            return False
        target = path if self.anchored else path.rpartition("/")[2]
        if self.literal:
            return target == self.glob
        if self.suffix:
            return target.endswith(self.glob[1:])
        return _matcher(self.glob)(target)


@functools.cache
def _matcher(glob: str) -> Callable[[str], bool]:
    """The glob as a function of a path, built once and only for a pattern in use."""
    try:
        return compile_glob(list(_tokens(glob)))
    except _Unmatchable:
        return lambda target: False


class GitIgnore:
    """The patterns of one ``.gitignore``, in order, and the regexes that try them all at once.

    Two regexes, built when the file is first asked: one of every pattern, for a
    folder, and one without the folder-only patterns, for a file. Each tries the last
    pattern first, so a path's verdict is one call; a pattern that could backtrack for
    long is scanned apart, and only when it comes after the match found.
    """

    __slots__ = ("patterns", "_matchers")

    def __init__(self, patterns: tuple[Pattern, ...]) -> None:
        self.patterns = patterns
        self._matchers: dict[bool, tuple[Callable[[str], re.Match[str] | None] | None, list[int],
                                         list[tuple[int, Callable[[str], bool]]]]] = {}

    def verdict(self, path: str, folder: bool) -> bool | None:
        """True: ignored; False: re-included by a ``!`` pattern; None: no pattern matches."""
        combined, order, scanned = self._matchers.get(folder) or self._build(folder)
        found = combined(path) if combined is not None else None
        last = order[found.lastindex - 1] if found is not None and found.lastindex else -1
        for index, pattern in scanned:
            if index <= last:
                break
            if pattern(path):
                last = index
                break
        return None if last < 0 else not self.patterns[last].negated

    def _build(self, folder: bool) -> tuple[Callable[[str], re.Match[str] | None] | None, list[int],
                                            list[tuple[int, Callable[[str], bool]]]]:
        """The regex of the patterns that apply to a folder (or a file), the last first; the scanned ones."""
        regexes: list[str] = []
        order: list[int] = []
        scanned: list[tuple[int, Callable[[str], bool]]] = []
        for index in range(len(self.patterns) - 1, -1, -1):
            pattern = self.patterns[index]
            if pattern.folders_only and not folder:
                continue
            try:
                regex = safe_regex(list(_tokens(pattern.glob)))
            except _Unmatchable:
                continue
            if regex is None:
                scanned.append((index, functools.partial(Pattern.matches, pattern, folder=folder)))
                continue
            # A name pattern matches the last name: after the last slash, line breaks or not.
            regexes.append(f"({regex})" if pattern.anchored else f"(?>(?s:.*/)?)({regex})")
            order.append(index)
        combined = re.compile("|".join(f"(?:{regex})" for regex in regexes)).fullmatch if regexes else None
        self._matchers[folder] = combined, order, scanned
        return self._matchers[folder]

    def ignores(self, path: str, folder: bool) -> bool:
        """Whether this file alone makes git ignore ``path`` or one of its folders."""
        return ignored(path, folder, lambda base: self if base == "" else None)


def ignored(path: str, folder: bool, gitignore: Callable[[str], GitIgnore | None]) -> bool:
    """Whether git ignores ``path`` (``/``-separated, from the repository root).

    ``gitignore(base)`` gives the ``.gitignore`` of the folder ``base`` ("" for the
    root), or None. ``folder`` says whether ``path`` is a folder.
    """
    parts = path.split("/")
    files: list[tuple[int, GitIgnore]] = []  # (depth of its folder, file), shallowest first
    for depth in range(1, len(parts) + 1):
        found = gitignore("/".join(parts[:depth - 1]))
        if found is not None:
            files.append((depth - 1, found))
        if ignored_here(parts[:depth], folder or depth < len(parts), files):
            return True
    return False


def ignored_here(parts: Sequence[str], folder: bool, files: Sequence[tuple[int, GitIgnore]]) -> bool:
    """Whether ``files`` ignore the path of ``parts`` by a pattern matching the path itself.

    ``files`` are the ``.gitignore`` files of the path's folders as (depth of the
    folder, file), shallowest first; the nearest one with a matching pattern decides.
    A walk that never enters an ignored folder needs no more than this for each entry.
    """
    for base, file in reversed(files):
        verdict = file.verdict("/".join(parts[base:]), folder)
        if verdict is not None:
            return verdict
    return False


def parse_gitignore(path: Path, text: str) -> GitIgnore:
    """Read the patterns of a ``.gitignore``; one git cannot use is kept and matches nothing."""
    patterns = []
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        if line.startswith("#"):
            continue
        line = _trim(line.removesuffix("\r"))
        negated = line.startswith("!")
        glob = line[1:] if negated else line
        folders_only = glob.endswith("/")
        glob = glob[:-1] if folders_only else glob
        if glob:
            anchored, glob = "/" in glob, glob.removeprefix("/")
            literal = set(glob).isdisjoint(WILDCARDS)
            suffix = not anchored and glob.startswith("*") and set(glob[1:]).isdisjoint(WILDCARDS)
            patterns.append(Pattern(line, number, negated, folders_only, anchored, glob, literal, suffix))
    return GitIgnore(tuple(patterns))


def _trim(line: str) -> str:
    """The line without its trailing spaces, but keeping one escaped with ``\\``."""
    kept = line.rstrip(" ")
    backslashes = len(kept) - len(kept.rstrip("\\"))
    return kept + " " if backslashes % 2 and len(kept) < len(line) else kept


def _tokens(pattern: str) -> Iterator[Token]:
    """The glob as wildmatch reads it with ``/`` special: stars, and single characters as regexes.

    ``**`` crosses folders when a ``/`` or the end follows it and a ``/`` or the start
    precedes it; git compares the pattern's literal start apart, so "the start" also
    means "right after the literal start" (``a**/y`` matches ``a/b/y``). Then ``**/``
    matches any number of folders, none included, and a ``**`` at the end (or before
    ``\\/``) any text.
    """
    index, end = 0, len(pattern)
    literal = True  # no wildcard or escape yet
    while index < end:
        char = pattern[index]
        start, literal = literal, literal and char not in "*?[\\"
        if char == "*":
            stars = index
            while index < end and pattern[index] == "*":
                index += 1
            rest = pattern[index:]
            if index - stars > 1 and (start or pattern[stars - 1] == "/") and rest[:1] in ("", "/", "\\"):
                if rest.startswith("/"):
                    index += 1
                    yield FOLDERS, ""
                    continue
                if rest == "" or rest.startswith("\\/"):
                    yield ANYTHING, ""
                    continue
            yield STAR, ""
            continue
        if char == "?":
            yield CHAR, "[^/]"
        elif char == "\\":
            index, char = _escaped(pattern, index)
            yield CHAR, re.escape(char)
        elif char == "[":
            index, piece = _bracket(pattern, index + 1)
            yield CHAR, piece
        else:
            yield CHAR, re.escape(char)
        index += 1


def _bracket(pattern: str, index: int) -> tuple[int, str]:
    """The set that starts at ``index`` (just after ``[``): the index of its ``]`` and its regex."""
    negated = pattern[index:index + 1] in ("!", "^")
    index += negated
    members: list[str] = []
    previous = ""  # the last single character, which a following "-" makes a range start
    first = True
    while first or pattern[index:index + 1] != "]":
        first = False
        if index >= len(pattern):
            raise _Unmatchable
        char = pattern[index]
        if char == "\\":
            index, char = _escaped(pattern, index)
            members.append(re.escape(char))
        elif char == "-" and previous and index + 1 < len(pattern) and pattern[index + 1] != "]":
            index += 1
            high = pattern[index]
            if high == "\\":
                index, high = _escaped(pattern, index)
            if previous <= high:
                members.append(f"{re.escape(previous)}-{re.escape(high)}")
            char = ""
        elif char == "[" and pattern[index + 1:index + 2] == ":":
            close = pattern.find("]", index + 2)
            if close < 0:
                raise _Unmatchable
            name = pattern[index + 2:close]
            if name.endswith(":"):
                if name[:-1] not in CLASSES:
                    raise _Unmatchable
                members.append(CLASSES[name[:-1]])
                index, char = close, ""
            else:
                members.append(re.escape(char))  # no ":]": a plain "["
        else:
            members.append(re.escape(char))
        previous = char
        index += 1
    inside = "".join(members)
    if negated:
        return index, f"[^/{inside}]"
    return index, f"(?!/)[{inside}]" if inside else "(?!)"


def _escaped(pattern: str, index: int) -> tuple[int, str]:
    """The character the ``\\`` at ``index`` escapes, and its index; git gives up on a trailing ``\\``."""
    if index + 1 >= len(pattern):
        raise _Unmatchable
    return index + 1, pattern[index + 1]
