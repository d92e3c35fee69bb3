"""Positions between djcheck and an editor.

djcheck counts lines from 1 and columns from 1 in code points; an :class:`~djlint_docker.findings.Edit`
is a range of code-point offsets into a file's text. The Language Server Protocol counts
lines and characters from 0, and a character is a code unit of the encoding the client and
server agreed on (``utf-16`` unless the client offers another: Neovim prefers ``utf-8``).
A character outside the Basic Multilingual Plane (an emoji, U+1F600) is one code point,
two UTF-16 units and four UTF-8 bytes.

Lines end at ``\\n``; a ``\\r`` before it belongs to the line ending, as in the LSP
(djcheck's own line numbers count ``\\n`` too, so a lone ``\\r`` is no line end for either
side here).
"""

from __future__ import annotations

import bisect

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units of ``encoding`` ``text`` takes (code points for ``utf-32``)."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def code_points(text: str, count: int, encoding: str = UTF16) -> int:
    """How many code points of ``text`` the first ``count`` code units of ``encoding`` cover.

    A count that ends inside a character (half a surrogate pair, a byte inside a UTF-8
    sequence) covers that character; past the end of ``text`` it is ``len(text)``.
    """
    if encoding == UTF32:
        return min(max(count, 0), len(text))
    seen = 0
    for index, char in enumerate(text):
        if seen >= count:
            return index
        seen += units(char, encoding)
    return len(text)


class LineIndex:
    """A text's line starts, to turn code-point offsets and 1-based columns into LSP positions and back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        start = text.find("\n")
        while start >= 0:
            self.starts.append(start + 1)
            start = text.find("\n", start + 1)

    def line(self, number: int) -> str:
        """The content of 0-based line ``number``, without its line ending ("" past the end)."""
        if not 0 <= number < len(self.starts):
            return ""
        start = self.starts[number]
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].removesuffix("\r")

    def position(self, offset: int, encoding: str = UTF16) -> tuple[int, int]:
        """The 0-based (line, character) of code-point ``offset`` (clamped to the text)."""
        offset = min(max(offset, 0), len(self.text))
        number = bisect.bisect_right(self.starts, offset) - 1
        return number, units(self.text[self.starts[number]:offset], encoding)

    def offset(self, line: int, character: int, encoding: str = UTF16) -> int:
        """The code-point offset of the 0-based LSP position (a character past the line's end: its end)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + code_points(self.line(line), character, encoding)

    def finding_range(self, line: int, column: int, encoding: str = UTF16) -> tuple[tuple[int, int], tuple[int, int]]:
        """The LSP range a finding at 1-based ``line`` and code-point ``column`` covers: from the column to the
        end of its line (a column past the end, or a line past the text, is clamped to what exists)."""
        number = min(max(line - 1, 0), len(self.starts) - 1)
        content = self.line(number)
        start = min(max(column - 1, 0), len(content))
        return (number, units(content[:start], encoding)), (number, units(content, encoding))


def lsp_character(line: str, column: int, encoding: str = UTF16) -> int:
    """The LSP character of 1-based code-point ``column`` in ``line`` (the line's content, no line ending)."""
    return units(line[:max(column - 1, 0)], encoding)
