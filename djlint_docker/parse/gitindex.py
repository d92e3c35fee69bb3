"""The paths git tracks, read from its index (``.git/index``) without running git.

A tracked file is never ignored: git applies ``.gitignore`` to untracked files only, so a
``dev.env`` committed before ``dev.env`` joined the ``.gitignore`` is in every clone. The
index holds a header (``DIRC``, the version, the number of entries) and one entry per
path: 62 bytes of stat data, object name and flags (64 with version 3's extended flags),
then the path. Versions 2 and 3 end the path with one to eight NULs padding the entry to
a multiple of eight bytes; version 4 writes each path as how many bytes of the previous
one to drop, then the rest, ending with one NUL (git's ``read-cache.c``).
"""

from __future__ import annotations

import struct

ENTRY_HEAD = 62
EXTENDED = 0x4000
MAX_ENTRIES = 500_000
"""More entries than this is no index of a project djcheck checks: read as unknown."""


def tracked_paths(data: bytes) -> frozenset[str] | None:
    """The paths an index lists (``docker/dev.env``), or None when ``data`` is no index djcheck can read."""
    if len(data) < 12 or data[:4] != b"DIRC":
        return None
    version, count = struct.unpack(">II", data[4:12])
    if version not in {2, 3, 4} or count > MAX_ENTRIES:
        return None
    paths: list[str] = []
    previous = b""
    offset = 12
    try:
        for _ in range(count):
            start = offset
            flags = struct.unpack(">H", data[offset + 60:offset + 62])[0]
            offset += ENTRY_HEAD + (2 if version >= 3 and flags & EXTENDED else 0)
            if version == 4:
                dropped, offset = _varint(data, offset)
                end = data.index(b"\0", offset)
                if dropped > len(previous):
                    return None
                path = previous[:len(previous) - dropped] + data[offset:end]
                offset = end + 1
            else:
                end = data.index(b"\0", offset)
                path = data[offset:end]
                offset = start + ((end - start) // 8 + 1) * 8  # one to eight NULs: the entry fills 8-byte blocks
            if offset > len(data) or not path:
                return None
            paths.append(path.decode("utf-8", "surrogateescape"))
            previous = path
    except (struct.error, ValueError, IndexError):  # cut short: no index to trust
        return None
    return frozenset(paths)


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    """Git's offset encoding (``varint.c``): seven bits a byte, the high bit saying another follows, each
    continuation adding one before the shift."""
    byte = data[offset]
    offset += 1
    value = byte & 0x7F
    while byte & 0x80:
        byte = data[offset]
        offset += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, offset
