"""Shell command lines that need no shell: their words, quotes removed, for an exec-form array."""

from __future__ import annotations

import re

LITERAL_WORD = re.compile(r"""(?:[^\s'"$`\\&|;<>()*?\[\]~#{}!]|'[^']*'|"[^"$`\\]*")+""")
"""A shell word that means itself once its quotes are removed: no expansion, operator or glob outside quotes."""


QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")
RESERVED = {"if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "function",
            "select", "time", "exec"}


def literal_words(text: str) -> list[str] | None:
    """The words of a shell command line with quotes removed, or None when it needs a shell to mean what it says.

    Variables, command substitution, backslashes, operators, redirections, globs and
    tildes outside quotes, a comment, an assignment or a reserved word in front all need
    ``sh -c``; quoted text (``--forwarded-allow-ips="*"``) does not.
    """
    words: list[str] = []
    position, end = 0, len(text)
    while position < end:
        if text[position] in " \t":
            position += 1
            continue
        match = LITERAL_WORD.match(text, position)
        if match is None or (match.end() < end and text[match.end()] not in " \t"):
            return None
        if not words and (re.match(r"[A-Za-z_][A-Za-z0-9_]*=", match.group()) or match.group() in RESERVED):
            return None
        words.append(QUOTED.sub(lambda quoted: quoted.group(1) if quoted.group(1) is not None else quoted.group(2),
                                match.group()))
        position = match.end()
    return words
