"""Matching a glob made of tokens, in steps bounded by pattern length x path length.

``.gitignore`` and ``.dockerignore`` read their patterns differently; each turns one
into tokens: single characters (as regexes) and stars. A plain regex of a glob can
backtrack for long: ``*a*a*a*a*a*a*a*a*b`` takes 48 s on one 60-character name. Here a
star followed by text and then another star takes the first place that text matches,
in an atomic group (as ``fnmatch`` does), wherever that cannot change the answer; a
glob that would still leave two stars free to backtrack is matched by following all
its states at once instead.
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
    regex, free = _regex(tokens)
    if free <= FREE_STARS:
        fullmatch = re.compile(regex).fullmatch
        return lambda text: fullmatch(text) is not None
    return functools.partial(_scan, _states(tokens))


def _regex(tokens: Sequence[Token]) -> tuple[str, int]:
    """The regex of the tokens, and how many of its stars are left free to backtrack.

    The first place is enough for a star before another star, unless the first
    crosses folders and the next does not: only then could a later place be needed.
    """
    stars = [index for index, (kind, _) in enumerate(tokens) if kind != CHAR]
    pieces, free, index = [], 0, 0
    while index < len(tokens):
        kind, piece = tokens[index]
        following = next((star for star in stars if star > index), None) if kind != CHAR else None
        if kind == CHAR:
            pieces.append(piece)
        elif following is not None and (kind == STAR or tokens[following][0] != STAR):
            pieces.append(f"(?>{LAZY[kind]}{''.join(piece for _, piece in tokens[index + 1:following])})")
            index = following
            continue
        else:
            free += 1
            pieces.append(GREEDY[kind])
        index += 1
    return "".join(pieces), free


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
            reached = (index + 1,) if kind in (STAR, ANYTHING) else (index + 1, index + argument) if kind == "skip" else ()
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
