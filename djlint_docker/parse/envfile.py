"""``.env`` and ``env_file:`` files, read as Compose reads them.

Compose has its own format (compose-go's ``dotenv``), which is not python-dotenv's:
``KEY: value`` is a variable, ``export`` may be followed by any blank, one line may hold
two statements (``A="x" B=2``), an unquoted value ends at `` #``, and ``"..."`` knows
Go's escapes (``\\t``, ``\\0101``). This module follows that parser and is tested
against the Compose binary. Values are not interpolated: ``${VAR}`` is kept as written.
"""

from __future__ import annotations

import re

from djlint_docker.parse import ParseError
from djlint_docker.records import record

BLANKS = "\t\v\f\r \x85\xa0"  # compose-go's isSpace: white space that does not end a line
WHITESPACE = (BLANKS + "\n\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
              "\u2028\u2029\u202f\u205f\u3000")
EXPORT = re.compile(r"export[\t\n\f\r ]")  # compose-go's test, ``^export\s+`` (Go's \s), which the word must pass
ESCAPE = re.compile(r"\\(?:[abcfnrtv$\"\\]|0\d{0,3})")
COMMENTED = re.compile(r"[ \t]*#[ \t]*(?:export[ \t]+)?(?:([A-Za-z_][A-Za-z0-9_]*)[ \t]*="
                       r"|([A-Z][A-Z0-9]*_[A-Z0-9_]+)[ \t]*(?::|[ \t](?:-|\u2013|\u2014)[ \t]))")
"""A variable written in a comment, to uncomment (``# SECRET_KEY=``, ``#POSTGRES_PASSWORD=change-me``), or described
there for the user to add (``# LLM_REMOTE_URL \u2014 the remote API endpoint``, ``# SENTRY_DSN: optional``)."""
SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "$": "$", '"': '"',
                  "\\": "\\"}


@record
class EnvVar:
    """One variable; ``value`` is None for a bare ``KEY``, which Compose takes from the shell."""

    name: str
    value: str | None
    line: int


def parse_env_file(text: str, lenient: bool = False) -> dict[str, EnvVar]:
    """The variables of an env file, last one wins; what Compose refuses raises :class:`ParseError`, or, ``lenient``,
    a line whose name Compose refuses is left out (``set -a`` atop a template, for the shell) and the rest read."""
    text = text.removeprefix("\ufeff")
    variables: dict[str, EnvVar] = {}
    position, line, counted = 0, 1, 0  # the line of ``counted``
    while (start := _statement(text, position)) is not None:
        line, counted = line + text.count("\n", counted, start), start
        try:
            name, position, bare = _name(text, start, line)
        except ParseError:
            if not lenient:
                raise
            end = text.find("\n", start)
            position = len(text) if end < 0 else end
            continue
        if bare:  # from the shell when it has one; it does not hide a value set above
            if name:  # no shell has a variable without a name (``export`` alone on a line)
                variables.setdefault(name, EnvVar(name, None, line))
            continue
        while position < len(text) and text[position] in BLANKS:
            position += 1
        value, position = _value(text, position, line)
        variables[name] = EnvVar(name, value, line)
    return variables


def commented_variables(text: str) -> dict[str, int]:
    """The variables a file names in comment lines (``# POSTGRES_PASSWORD=change-me``), with their first line.

    Templates (``.env.example``) list this way the variables a user may, or is meant to,
    provide; prose (``# Set DEBUG=1 to ...``) does not start with the name and is not read.
    """
    found: dict[str, int] = {}
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        match = COMMENTED.match(line)
        if match:
            found.setdefault(match.group(1) or match.group(2), number)
    return found


def _statement(text: str, position: int) -> int | None:
    """Where the next statement starts, past white space and comment lines; None at the end."""
    while True:
        while position < len(text) and text[position] in WHITESPACE:
            position += 1
        if position == len(text):
            return None
        if text[position] != "#":
            return position
        end = text.find("\n", position)
        if end < 0:
            return None
        position = end


def _name(text: str, position: int, line: int) -> tuple[str, int, bool]:
    """The variable name at ``position``, where its value starts, and whether it has none (a bare name)."""
    if EXPORT.match(text, position):
        # compose-go then skips blanks only: a newline after ``export`` ends an empty bare name
        position += len("export")
    while position < len(text) and text[position] in BLANKS:
        position += 1
    if position == len(text):
        raise ParseError("no variable name after export", line)
    start = position
    for position in range(start, len(text)):
        char = text[position]
        if char in "=:\n":
            name = text[start:position].rstrip(WHITESPACE)
            if " " in name:
                raise ParseError("key cannot contain a space", line)
            return name, position + 1, char == "\n"
        if not (char in BLANKS or char in "_.-[]" or char.isalpha() or char.isnumeric()):
            raise ParseError(f"unexpected character {char!r} in variable name", line)
    return "", start, False  # Compose reads a last line without "=" as the value of an empty name


def _value(text: str, position: int, line: int) -> tuple[str, int]:
    """The value that starts at ``position`` and where reading goes on after it."""
    quote = text[position:position + 1]
    if quote not in ("'", '"'):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        return text[position:end].split(" #", 1)[0].rstrip(WHITESPACE), end
    close = position
    while True:
        close = text.find(quote, close + 1)
        if close < 0:
            raise ParseError(f"unterminated quoted value {text[position:].split(chr(10), 1)[0][:80]}", line)
        before = close - 1
        while text[before] == "\\":
            before -= 1
        if (close - 1 - before) % 2 == 0:  # an odd number of backslashes escapes the quote
            break
    inside = text[position + 1:close]
    return (ESCAPE.sub(_unescape, inside) if quote == '"' else inside.replace("\\'", "'")), close + 1


def _unescape(match: re.Match[str]) -> str:
    """One escape of a double-quoted value, as Go's ``strconv.UnquoteChar`` reads it (``\\0ddd`` octal)."""
    escape = match.group(0)[1:]
    if escape[0] != "0":
        return SIMPLE_ESCAPES.get(escape, match.group(0))
    digits = escape[1:]
    if len(digits) == 3 and all(d in "01234567" for d in digits) and int(digits, 8) < 256:
        return chr(int(digits, 8))
    return "\\" + digits
