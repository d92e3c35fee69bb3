"""Parsers: one module per file kind, each turning text into a small model with positions."""

from pathlib import Path


class ParseError(Exception):
    """A file that cannot be parsed; ``line``/``column`` are 1-based, ``path`` set when known."""

    def __init__(self, message: str, line: int = 1, column: int = 1, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.path = path
