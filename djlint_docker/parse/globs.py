"""Matching a glob made of tokens, in steps bounded by pattern length x path length.

``.gitignore`` and ``.dockerignore`` read their patterns differently; each turns one
into tokens: single characters (as regexes) and stars. A plain regex of a glob can
backtrack for long: ``*a*a*a*a*a*a*a*a*b`` takes 48 s on one 60-character name. So the
regex leaves at most one star free to backtrack. A star followed by text and then
another star takes the first place that text matches, in an atomic group (as
``fnmatch`` does), wherever that cannot change the answer; a ``**/`` followed only by
names and plain slashes (``**/*.*proj.user``) ends where the slashes left say, since
``*`` never crosses ``/``. A glob that would still leave two stars free is matched by
following all its states at once instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

STAR, ANYTHING, FOLDERS, CHAR = "*", "**", "**/", "char"  # a name's characters; any text; "(any text/)?"
LAZY = {STAR: "[^/]*?", ANYTHING: ".*?", FOLDERS: "(?:.*?/)??"}
GREEDY = {STAR: "[^/]*", ANYTHING: ".*", FOLDERS: "(?:.*/)?"}
FREE_STARS = 1  # a regex that leaves more stars free to backtrack is scanned instead

# The POSIX classes, ASCII only as in git's wildmatch.c and Go's regexp, as the inside of a regex set.
CLASSES = {
    "alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9",
    "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": "\\t-\\r ",
    "upper": "A-Z", "xdigit": "0-9A-Fa-f",
}
Token = tuple[str, str]  # (kind, the regex of one character for CHAR)


def compile_glob(tokens: Sequence[Token]) -> Callable[[str], bool]:
    """Whether a whole text matches the tokens; a set Python cannot read raises ``re.error``."""
    regex = safe_regex(tokens)
    if regex is not None:
        fullmatch = re.compile(regex).fullmatch
        return lambda text: fullmatch(text) is not None
    return functools.partial(_scan, _states(tokens))


def safe_regex(tokens: Sequence[Token]) -> str | None:
    """The regex of the tokens, or None when it would leave more than ``FREE_STARS`` free."""
    regex, free = _regex(tokens)
    return regex if free <= FREE_STARS else None


def _regex(tokens: Sequence[Token]) -> tuple[str, int]:
    """The regex of the tokens, and how many of its stars are left free to backtrack.

    A star followed by text and then another star takes the first place that text
    matches, when the next star can take up whatever a later place would have left
    it: a ``*`` the text of a name, ``**`` any text, ``**/`` any text ending in ``/``.
    A ``**/`` whose rest crosses folders only at plain slashes ends where that rest
    leaves as many slashes as it has; every other star is free.
    """
    following: list[int | None] = [None] * len(tokens)  # the index of the next star after each token
    slashes: list[int | None] = [0] * (len(tokens) + 1)  # plain slashes from each token on; None: it crosses otherwise
    upcoming: int | None = None
    for index in range(len(tokens) - 1, -1, -1):
        following[index] = upcoming
        kind, piece = tokens[index]
        upcoming = index if kind != CHAR else upcoming
        after = slashes[index + 1]
        crosses = kind in (ANYTHING, FOLDERS) or (kind == CHAR and piece != "/" and _can_match(piece, "/"))
        slashes[index] = None if after is None or crosses else after + (piece == "/")
    pieces, free, index = [], 0, 0
    while index < len(tokens):
        kind, piece = tokens[index]
        next_star = following[index] if kind != CHAR else None
        if kind == CHAR:
            pieces.append(piece)
        elif next_star is not None and _first_place_is_enough(kind, tokens[index + 1:next_star], tokens[next_star][0]):
            pieces.append(f"(?>{LAZY[kind]}{''.join(piece for _, piece in tokens[index + 1:next_star])})")
            index = next_star
            continue
        elif kind == FOLDERS and slashes[index + 1] is not None:
            rest = slashes[index + 1]  # greedy, it ends at the last slash: right when the rest has none
            pieces.append(f"(?>(?:.*/)?(?=[^/]*(?:/[^/]*){{{rest}}}\\Z))" if rest else "(?>(?:.*/)?)")
        else:
            free += 1
            pieces.append(GREEDY[kind])
        index += 1
    return "".join(pieces), free


def _first_place_is_enough(kind: str, text: Sequence[Token], next_kind: str) -> bool:
    """Whether a star followed by ``text`` and a star of ``next_kind`` can take the first place ``text`` matches.

    A later place would leave the next star less to match: what lies between the two
    places, which the next star must then take up. After ``*``, a text with a plain
    slash has one place only (the name's end), and another ``*`` takes up the rest of
    a name; ``**`` and ``**/`` only before a star that crosses folders too, when the
    text cannot match a line break (``.`` does not) and, before ``**/``, ends in ``/``.
    """
    if kind == STAR:
        if any(piece != "/" and _can_match(piece, "/") for _, piece in text):
            return False
        return next_kind == STAR or any(piece == "/" for _, piece in text)
    if next_kind == STAR or any(_can_match(piece, "\n") for _, piece in text):
        return False
    return next_kind == ANYTHING or not text or text[-1][1] == "/"


def _can_match(piece: str, char: str) -> bool:
    """Whether the regex of one character matches ``char``."""
    if len(piece) == 1 or (len(piece) == 2 and piece[0] == "\\"):  # a plain or escaped character, as most are
        return piece[-1] == char
    return re.fullmatch(piece, char) is not None


def _states(tokens: Sequence[Token]) -> tuple[tuple[str, Any], ...]:
    """The states of a scan, the last one accepting; ``**/`` becomes a skip over "any text, then /"."""
    states: list[tuple[str, Any]] = []
    for kind, piece in tokens:
        if kind == FOLDERS:
            states += [("skip", 3), (ANYTHING, None), (CHAR, "/".__eq__)]
        else:
            states.append((kind, re.compile(piece).fullmatch if kind == CHAR else None))
    return (*states, ("end", None))
def _scan(states: tuple[tuple[str, Any], ...], text: str) -> bool:
    """Whether the states match all of ``text``, followed for every character at once."""
    end = len(states) - 1

    def closure(current: set[int]) -> set[int]:
        pending = list(current)
        while pending:
            index = pending.pop()
            kind, argument = states[index]
            reached = ((index + 1,) if kind in (STAR, ANYTHING)
                       else (index + 1, index + argument) if kind == "skip" else ())
            for state in reached:
                if state not in current:
                    current.add(state)
                    pending.append(state)
        return current

    current = closure({0})
    for char in text:
        following = set()
        for index in current:
            kind, argument = states[index]
            if (kind == STAR and char != "/") or kind == ANYTHING:
                following.add(index)
            elif kind == CHAR and argument(char):
                following.add(index + 1)
        if not following:
            return False
        current = closure(following)
    return end in current
