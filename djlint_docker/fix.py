"""``--fix`` and ``--diff``: the findings' fixes applied to a fixed point, checked, and written atomically.

Each round checks the setups with the texts fixed so far standing in for their files,
then applies every chosen fix whose edits overlap no other chosen fix's edits; the rest
wait for the next round, which sees the new texts. A file whose new text no longer
parses keeps its previous text. Rounds stop when nothing changes, after
:data:`MAX_ROUNDS` at most. Nothing is written until the end, and then each file only
if it still holds the text the rules read: through a temporary file renamed over it,
keeping its mode and its encoding.
"""

from __future__ import annotations

import codecs
import difflib
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from djlint_docker.findings import Edit, Finding, Fix
from djlint_docker.parse import ParseError

if TYPE_CHECKING:
    from djlint_docker.config import Config
    from djlint_docker.discover import Setup
    from djlint_docker.engine import Rule

MAX_ROUNDS = 10


@dataclass(frozen=True)
class Change:
    """A file's text before the fixes (None: the fixes create it) and after them."""

    path: Path
    before: str | None
    after: str
    fixes: int  # how many fixes made it


@dataclass
class Fixer:
    """Fixes the setups it checks, remembering the changes and how many fixes made them."""

    unsafe: bool = False
    changes: dict[Path, Change] = field(default_factory=dict)

    def check(self, setups: Sequence[Setup], base: Path, rules: list[Rule], config: Config) -> list[Finding]:
        """Fix the setups in memory to a fixed point; the findings that remain."""
        from djlint_docker.engine import check_texts

        overlay: dict[Path, str] = {path: change.after for path, change in self.changes.items()}
        for _ in range(MAX_ROUNDS):
            findings, texts = check_texts(setups, base, rules, config, overlay)
            edited = apply_fixes([f.fix for f in findings if f.fix and f.fixable(self.unsafe)], {**overlay, **texts})
            progress = False
            for path, (text, count) in edited.items():
                if not parses(path, text):
                    continue
                earlier = self.changes.get(path)
                self.changes[path] = Change(path, earlier.before if earlier else texts.get(path), text,
                                            count + (earlier.fixes if earlier else 0))
                overlay[path] = text
                progress = True
            if not progress:
                return findings
        return check_texts(setups, base, rules, config, overlay)[0]


def apply_fixes(fixes: Iterable[Fix], texts: Mapping[Path, str]) -> dict[Path, tuple[str, int]]:
    """The new text of every file the fixes edit, and how many fixes edited it.

    A fix is applied whole or not at all: not when one of its edits overlaps an edit
    already taken (or inserts at the same place), nor when it edits an existing file
    that the rules did not read.
    """
    taken: dict[Path, list[Edit]] = {}
    counts: dict[Path, int] = {}
    for fix in fixes:
        edits = fix.changes()
        if not edits or any(_clashes(edit, taken.get(edit.path, ())) or not _known(edit.path, texts) for edit in edits):
            continue
        for edit in edits:
            taken.setdefault(edit.path, []).append(edit)
        for path in {edit.path for edit in edits}:
            counts[path] = counts.get(path, 0) + 1
    result = {}
    for path, edits in taken.items():
        text = texts.get(path, "")
        for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
            text = text[:edit.start] + edit.text + text[edit.end:]
        result[path] = (text, counts[path])
    return result


def _clashes(edit: Edit, taken: Iterable[Edit]) -> bool:
    return any(edit.start < other.end and other.start < edit.end or edit.start == other.start for other in taken)


def _known(path: Path, texts: Mapping[Path, str]) -> bool:
    return path in texts or not (path.exists() or path.is_symlink())


def parses(path: Path, text: str) -> bool:
    """Whether the text still reads as its kind of file (compose YAML, Dockerfile, Python, ...)."""
    from djlint_docker.parse.compose import load_yaml
    from djlint_docker.parse.dockerfile import parse_dockerfile
    from djlint_docker.parse.dockerignore import parse_dockerignore
    from djlint_docker.parse.requirements import parse_requirements

    name = path.name.lower()
    try:
        if name.endswith((".yml", ".yaml")):
            load_yaml(text)
        elif name.endswith(".py"):
            compile(text, str(path), "exec", dont_inherit=True)
        elif name == "dockerfile" or name.startswith("dockerfile.") or name.endswith(".dockerfile"):
            parse_dockerfile(path, text)
        elif name.endswith(".dockerignore"):
            parse_dockerignore(text)
        elif name.endswith(".txt") and "requirements" in str(path).lower():
            parse_requirements(path, text)
    except (ParseError, SyntaxError, ValueError, RecursionError):
        return False
    return True


def diff(change: Change, base: Path) -> str:
    """A unified diff of one change, with ``a/`` and ``b/`` paths relative to ``base``."""
    shown = os.path.relpath(change.path, base)
    before = (change.before or "").splitlines(keepends=True)
    after = change.after.splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, "/dev/null" if change.before is None else f"a/{shown}", f"b/{shown}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def write(changes: Iterable[Change]) -> list[tuple[Change, str]]:
    """Write each change atomically; the changes not written, with the reason."""
    from djlint_docker.source import Unreadable, decode

    skipped = []
    for change in changes:
        target = change.path.resolve() if change.path.is_symlink() else change.path
        try:
            data = target.read_bytes() if change.before is not None else None
            current = decode(data) if data is not None else None
        except (OSError, Unreadable) as error:
            skipped.append((change, f"cannot read it again: {error}"))
            continue
        if current != change.before or (change.before is None and target.exists()):
            skipped.append((change, "it changed on disk while djcheck ran"))
            continue
        try:
            _replace(target, _encode(change.after, data))
        except OSError as error:
            skipped.append((change, f"cannot write it: {error.strerror or error}"))
    return skipped


def _encode(text: str, original: bytes | None) -> bytes:
    """The text in the original's encoding: UTF-8, with its BOM if it had one, or UTF-16 with its BOM."""
    if original is not None and original.startswith(codecs.BOM_UTF16_BE):
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if original is not None and original.startswith(codecs.BOM_UTF16_LE):
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    bom = codecs.BOM_UTF8 if original is not None and original.startswith(codecs.BOM_UTF8) else b""
    return bom + text.encode("utf-8")


def _replace(target: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, renamed over the target, mode kept."""
    if target.exists():
        mode = stat.S_IMODE(target.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".djcheck")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
