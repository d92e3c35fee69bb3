"""Reading project files safely: inside the project, regular, bounded, decoded as text."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

MAX_BYTES = 2 * 1024 * 1024
"""Largest file djcheck reads: real Dockerfiles, compose files and settings are far smaller."""


class Unreadable(Exception):
    """A file the setup needs cannot be read as text; ``line`` locates the fault."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_text(path: Path, root: Path) -> str:
    """Return the text of ``path``, or raise :class:`Unreadable` saying why not.

    Never follows a link out of ``root``, never opens a FIFO or device (which could
    block), never reads more than :data:`MAX_BYTES`.
    """
    try:
        resolved = path.resolve(strict=True)
    except RuntimeError:
        raise Unreadable("symbolic link loop") from None
    except OSError as error:
        raise Unreadable(_os_reason(error)) from None
    if not resolved.is_relative_to(root.resolve()):
        raise Unreadable(f"symbolic link out of the project (to {resolved}); not followed")
    try:
        info = os.stat(resolved)
    except OSError as error:
        raise Unreadable(_os_reason(error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable("a directory where a file is expected")
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("not a regular file")
    if info.st_size > MAX_BYTES:
        raise Unreadable(f"too large ({info.st_size} bytes; djcheck reads at most {MAX_BYTES})")
    try:
        with open(resolved, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise Unreadable(_os_reason(error)) from None
    return decode(data)


def decode(data: bytes) -> str:
    """Decode file content: UTF-8 (BOM optional) or UTF-16 with a BOM; else :class:`Unreadable`."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("invalid UTF-16 text") from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise Unreadable("binary content (NUL byte), not text", line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise Unreadable(f"not UTF-8 text (byte 0x{byte:02x})", line) from None


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
