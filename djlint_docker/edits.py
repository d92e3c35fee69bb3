"""Building a fix's edits from positions in a file's text: line edits that keep everything else.

Rules see positions as 1-based lines and columns; an :class:`Edit` is a character range of
the text the rule read. A line these helpers add ends with the file's own line ending.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from djlint_docker.findings import Edit


def newline(text: str) -> str:
    """The file's line ending: ``\\r\\n`` when its first line ends so, else ``\\n``."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def line_start(text: str, line: int) -> int:
    """Offset of the first character of 1-based ``line`` (the text's end for a line past it)."""
    if line <= 1:
        return 0
    starts = _line_starts(text)
    return starts[line - 1] if line <= len(starts) else len(text)


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts.

    Kept for the few texts being fixed: fixes ask for line after line of the same file,
    and finding each line from the top again made a walk down a long file quadratic.
    """
    return [0, *(newline.end() for newline in re.finditer("\n", text))]


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
