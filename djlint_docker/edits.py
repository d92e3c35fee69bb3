"""Building a fix's edits from positions in a file's text: line edits that keep everything else.

Rules see positions as 1-based lines and columns; an :class:`Edit` is a character range of
the text the rule read. A line these helpers add ends with the file's own line ending.
"""

from __future__ import annotations

from pathlib import Path

from djlint_docker.findings import Edit


def newline(text: str) -> str:
    """The file's line ending: ``\\r\\n`` when its first line ends so, else ``\\n``."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def line_start(text: str, line: int) -> int:
    """Offset of the first character of 1-based ``line`` (the text's end for a line past it)."""
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def line_end(text: str, line: int) -> int:
    """Offset just after the content of ``line``, before its line ending."""
    start = line_start(text, line)
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return end - 1 if end > start and text[end - 1] == "\r" else end


def line_text(text: str, line: int) -> str:
    return text[line_start(text, line):line_end(text, line)]


def insert_lines(path: Path, text: str, before: int, lines: list[str]) -> Edit:
    """Insert ``lines`` before 1-based line ``before`` (after the last line when past the end)."""
    start = line_start(text, before)
    eol = newline(text)
    added = "".join(line + eol for line in lines)
    if start == len(text) and text and not text.endswith("\n"):
        added = eol + added  # the last line had no line ending
    return Edit(path, start, start, added)


def delete_lines(path: Path, text: str, first: int, last: int) -> Edit:
    """Delete lines ``first`` to ``last`` with their line endings."""
    return Edit(path, line_start(text, first), line_start(text, last + 1), "")
