"""Reading project files safely: inside the project, regular, bounded, decoded as text.

Python source is decoded as Python does.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

MAX_BYTES = 2 * 1024 * 1024
"""Largest file djcheck reads: real Dockerfiles, compose files and settings are far smaller."""

PYTHON_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)
"""A PEP 263 encoding declaration: a comment alone on its line naming the encoding (tokenize's pattern)."""

BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:#|$)")
"""A first line after which Python still looks for the declaration on line 2."""


class Unreadable(Exception):
    """A file the setup needs cannot be read as text; ``line`` locates the fault."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Encrypted(Unreadable):
    """A file its repository keeps encrypted (git-crypt's ``\\0GITCRYPT\\0`` header): the deployers who hold the key
    read it; to anyone else its content is unknown, which is by design, not a fault."""


GIT_CRYPT_HEADER = b"\x00GITCRYPT\x00"


class RefusedByPython(Unreadable):
    """Python source that Python refuses to decode as a whole: reported as a parse error (DJC001)."""


def read_text(path: Path, root: Path) -> str:
    """Return the text of ``path``, or raise :class:`Unreadable` saying why not.

    Never follows a link out of ``root``, never opens a FIFO or device (which could
    block), never reads more than :data:`MAX_BYTES`. Python source (a ``.py`` file) is
    decoded as Python decodes it, everything else by :func:`decode`.
    """
    try:
        resolved = path.resolve(strict=True)
    except RuntimeError:
        raise Unreadable("symbolic link loop") from None
    except OSError as error:
        raise Unreadable(_os_reason(error)) from None
    if not resolved.is_relative_to(root.resolve()):
        raise Unreadable(_out_of_project(path, resolved))
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
    return decoded(path, data)


def decoded(path: Path, data: bytes) -> str:
    """A file's content as djcheck reads it: Python source as Python decodes it, anything else by :func:`decode`;
    :class:`Encrypted` for a file git-crypt encrypts."""
    if data.startswith(GIT_CRYPT_HEADER):
        raise Encrypted("encrypted with git-crypt")
    return decode_python(data) if path.suffix == ".py" else decode(data)


def _out_of_project(path: Path, resolved: Path) -> str:
    """Why a file inside the project by its name lies outside it: the link that leads out, named truly."""
    if os.path.islink(path):
        return f"symbolic link out of the project (to {resolved}); not followed"
    folder = next((parent for parent in path.parents if os.path.islink(parent)), None)
    if folder is not None:
        return (f"reached through {folder.name}, a symbolic link to a folder out of the project ({resolved}); "
                "not followed")
    return f"out of the project (at {resolved}); not read"


def decode(data: bytes) -> str:
    """Decode file content: UTF-8 (BOM optional) or UTF-16 with a BOM; else :class:`Unreadable`."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("invalid UTF-16 text") from None
    if b"\x00" in data:
        raise _binary(data)
    body = data.removeprefix(codecs.BOM_UTF8)  # as the "utf-8-sig" codec would, without importing it
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_text(body, error, "UTF-8") from None


def decode_python(data: bytes) -> str:
    """Decode Python source as Python does; else :class:`Unreadable`, or :class:`RefusedByPython`.

    UTF-8 (PEP 3120), after a UTF-8 BOM or not, unless a PEP 263 declaration on line 1,
    or on line 2 below a comment or blank line, names another encoding, which Python
    honours. Python refuses UTF-16 (with or without a BOM), an unknown or non-text
    encoding, and a BOM with a declaration other than UTF-8. Every byte must decode,
    comments too, as PEP 3120 says: CPython left comments unchecked until gh-63161 (2025).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(data):
        raise RefusedByPython("UTF-16 text: Python reads source as UTF-8 (PEP 3120) and refuses this file; "
                              "save it as UTF-8")
    if b"\x00" in data:
        raise _binary(data)
    bom = data.startswith(codecs.BOM_UTF8)
    source = data.removeprefix(codecs.BOM_UTF8)
    declared, line = _declared_encoding(source)
    encoding = _normal_encoding_name(declared) if declared else "utf-8"
    if declared:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise RefusedByPython(f"line {line} declares the encoding {declared}, which Python does not know",
                                  line) from None
        if bom and encoding != "utf-8":  # Python compares names, so even "utf8" contradicts the BOM
            raise RefusedByPython(f"a UTF-8 BOM, but line {line} declares the encoding {declared}: "
                                  "Python refuses this file", line)
    try:
        return source.decode(encoding)
    except UnicodeDecodeError as error:
        raise _not_text(source, error, declared or "UTF-8") from None
    except (LookupError, UnicodeError) as error:  # a codec that is not for text, or that fails on its own
        raise RefusedByPython(f"line {line} declares the encoding {declared}: {error}", line) from None


def python_encoding(data: bytes) -> str:
    """The encoding Python decodes this source with: the declared one (PEP 263), else UTF-8."""
    declared, _ = _declared_encoding(data.removeprefix(codecs.BOM_UTF8))
    return _normal_encoding_name(declared) if declared else "utf-8"


def _declared_encoding(source: bytes) -> tuple[str | None, int]:
    """The encoding line 1 or 2 declares (PEP 263), and its line; None when neither does."""
    lines = re.split(rb"\r\n|\r|\n", source, maxsplit=2)[:2]  # Python's lines end at \n, \r\n or a lone \r
    for number, text in enumerate(lines, start=1):
        declaration = PYTHON_CODING.match(text)
        if declaration:
            return declaration.group(1).decode("ascii"), number
        if not BLANK_OR_COMMENT.match(text):
            break
    return None, 1


def _normal_encoding_name(name: str) -> str:
    """The name Python's tokenizer gives a declared encoding: its spellings of UTF-8 and Latin-1 made one."""
    prefix = name[:12].lower().replace("_", "-")
    if prefix == "utf-8" or prefix.startswith("utf-8-"):
        return "utf-8"
    latin_1 = ("latin-1", "iso-8859-1", "iso-latin-1")
    if prefix in latin_1 or prefix.startswith(tuple(f"{spelling}-" for spelling in latin_1)):
        return "iso-8859-1"
    return name


def _utf16_without_bom(data: bytes) -> bool:
    """Whether ``data`` looks like mostly-ASCII UTF-16 saved without a BOM: a NUL in one byte of most pairs."""
    if len(data) < 2 or len(data) % 2:
        return False
    even, odd = data[0::2], data[1::2]
    return any(half.count(0) * 2 >= len(half) and 0 not in other for half, other in ((odd, even), (even, odd)))


def _binary(data: bytes) -> Unreadable:
    """The error for content with a NUL byte, at the line of the first."""
    line = data.count(b"\n", 0, data.index(b"\x00")) + 1
    return Unreadable("binary content (NUL byte), not text", line)


def _not_text(data: bytes, error: UnicodeDecodeError, encoding: str) -> Unreadable:
    """The error for content that is not text in ``encoding``, at the line of the first bad byte."""
    line = data.count(b"\n", 0, error.start) + 1
    return Unreadable(f"not {encoding} text (byte 0x{data[error.start]:02x})", line)


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
