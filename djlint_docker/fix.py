"""``--fix`` and ``--diff``: the findings' fixes applied to a fixed point, checked, and written atomically.

Each round checks the setups with the texts fixed so far standing in for their files,
then applies every chosen fix whose edits overlap or touch no other chosen fix's edits; the rest
wait for the next round, which sees the new texts. A file whose new text no longer
parses is rebuilt from its fixes one at a time, leaving out each that breaks it; a fix
left out is left out whole, in every file it edits. Rounds stop when nothing changes,
after :data:`MAX_ROUNDS` at most. Nothing is written until the end, and then only if
every changed file still holds the text the rules read: each through a temporary file
renamed over it, keeping its mode and its encoding.
"""

from __future__ import annotations

import codecs
import difflib
import os
import stat
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from djlint_docker.findings import Edit, Finding
from djlint_docker.parse import ParseError

MAX_ROUNDS = 10
CheckTexts = Callable[[Mapping[Path, str]], tuple[list[Finding], dict[Path, str]]]
"""A check of the setups with some files' texts standing in for them: the findings and the texts read."""


@dataclass(frozen=True)
class Change:
    """A file's text before the fixes (None: the fixes create it) and after them."""

    path: Path
    before: str | None
    after: str


@dataclass
class Fixer:
    """Fixes the setups it checks, remembering the changed files and the files each fix applied edited."""

    unsafe: bool = False
    changes: dict[Path, Change] = field(default_factory=dict)
    applied: list[frozenset[Path]] = field(default_factory=list)

    def check(self, check_texts: CheckTexts) -> list[Finding]:
        """Fix in memory to a fixed point, checking with ``check_texts``; the findings that remain.

        ``check_texts`` checks the setups with the given texts standing in for their files
        and returns the findings and the texts the rules read. A fix is all or nothing:
        when a file it edits would no longer parse, none of its edits is kept, in that file
        or another.
        """
        overlay: dict[Path, str] = {path: change.after for path, change in self.changes.items()}
        for _ in range(MAX_ROUNDS):
            findings, texts = check_texts(overlay)
            current = {**overlay, **texts}
            candidates = [edits for edits in (_changes(f) for f in findings if f.fixable(self.unsafe)) if edits]
            edited, applied = _apply_parsing(candidates, current)
            if all(current.get(path) == text for path, text in edited.items()):
                return findings  # fixes that change nothing: no progress, and nothing to count
            for path, text in edited.items():
                earlier = self.changes.get(path)
                self.changes[path] = Change(path, earlier.before if earlier else texts.get(path), text)
                overlay[path] = text
            self.applied += applied
            if not applied:
                return findings
        return check_texts(overlay)[0]

    def written(self, skipped: Iterable[Path]) -> int:
        """How many fixes were written whole when the files ``skipped`` were not."""
        left = set(skipped)
        return sum(1 for paths in self.applied if not paths & left)


def _changes(finding: Finding) -> tuple[Edit, ...]:
    """A finding's edits; none when computing them fails (a deferred libcst rewrite on odd input)."""
    assert finding.fix is not None
    try:
        return finding.fix.changes()
    except Exception:  # the fix is dropped; the finding is still reported
        return ()


def _apply_parsing(fixes: list[tuple[Edit, ...]], texts: Mapping[Path, str]
                   ) -> tuple[dict[Path, str], list[frozenset[Path]]]:
    """:func:`apply_fixes`, leaving out the fixes that make a file unparsable.

    Fixes that each keep a file valid can break it together (an item added to a YAML list
    that another fix turns into a mapping), so when a file breaks, its fixes are added back
    one by one, in order, each kept only if every file it edits still parses.
    """
    edited, applied = apply_fixes(fixes, texts)
    broken = {path for path, text in edited.items() if not parses(path, text, texts.get(path))}
    if not broken:
        return edited, applied
    chosen = [edits for edits in fixes if not any(edit.path in broken for edit in edits)]
    for edits in fixes:
        if any(edit.path in broken for edit in edits):
            trial, _ = apply_fixes([*chosen, edits], texts)
            edited_paths = {edit.path for edit in edits}
            if all(parses(path, trial[path], texts.get(path)) for path in edited_paths if path in trial):
                chosen.append(edits)
    return apply_fixes(chosen, texts)


def apply_fixes(fixes: Iterable[tuple[Edit, ...]], texts: Mapping[Path, str]
                ) -> tuple[dict[Path, str], list[frozenset[Path]]]:
    """The new text of every file the fixes (each given by its edits) change, and the files of each fix applied.

    A fix is applied whole or not at all: not when one of its edits overlaps, nests in or
    touches an edit already taken, nor when it edits an existing file
    that the rules did not read.
    """
    taken: dict[Path, list[Edit]] = {}
    applied = []
    for edits in fixes:
        if any(_clashes(edit, taken.get(edit.path, ())) or not _known(edit.path, texts) for edit in edits):
            continue
        for edit in edits:
            taken.setdefault(edit.path, []).append(edit)
        applied.append(frozenset(edit.path for edit in edits))
    result = {}
    for path, path_edits in taken.items():
        text = texts.get(path, "")
        for edit in sorted(path_edits, key=lambda e: (e.start, e.end), reverse=True):
            text = text[:edit.start] + edit.text + text[edit.end:]
        result[path] = text
    return result, applied


def _clashes(edit: Edit, taken: Iterable[Edit]) -> bool:
    """Whether ``edit`` overlaps, nests in or touches an edit taken: ranges that meet at a point clash too.

    Two fixes that each rewrite one end of the same words (an address added after
    ``runserver`` while the whole command becomes a JSON array) are each right on the
    text they read, but not on each other's result; the second waits for the next round.
    """
    return any(edit.start <= other.end and other.start <= edit.end for other in taken)


def _known(path: Path, texts: Mapping[Path, str]) -> bool:
    return path in texts or not (os.path.exists(path) or os.path.islink(path))


def parses(path: Path, text: str, before: str | None = None) -> bool:
    """Whether the text still reads as its kind of file (compose YAML, Dockerfile, Python, ...).

    A YAML key written twice (which Compose refuses) counts only when the text ``before`` the fixes had none: a fix
    elsewhere in a file that already has one keeps it as it was."""
    from djlint_docker.kinds import kind
    from djlint_docker.parse.compose import load_yaml
    from djlint_docker.parse.dockerfile import parse_dockerfile
    from djlint_docker.parse.dockerignore import parse_dockerignore
    from djlint_docker.parse.requirements import parse_requirements

    found = kind(path)
    try:
        if found == "compose" or path.suffix in {".yml", ".yaml"}:
            duplicates: list[ParseError] = []
            load_yaml(text, duplicates)
            if duplicates and not _duplicated_key(before):
                return False
        elif found == "python":
            compile(text, str(path), "exec", dont_inherit=True)
        elif found == "dockerfile":
            parse_dockerfile(path, text)
        elif found == "dockerignore":
            parse_dockerignore(text)
        elif found == "requirements":
            parse_requirements(path, text)
    except (ParseError, SyntaxError, ValueError, RecursionError):
        return False
    return True


def _duplicated_key(text: str | None) -> bool:
    """Whether a YAML text writes a key twice in one mapping (and is otherwise valid)."""
    from djlint_docker.parse.compose import load_yaml

    duplicates: list[ParseError] = []
    try:
        load_yaml(text or "", duplicates)
    except ParseError:
        return False
    return bool(duplicates)


def diff(change: Change, base: Path) -> str:
    """A unified diff of one change, with ``a/`` and ``b/`` paths relative to ``base``."""
    shown = os.path.relpath(change.path, base)
    before = (change.before or "").splitlines(keepends=True)
    after = change.after.splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, "/dev/null" if change.before is None else f"a/{shown}", f"b/{shown}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def write(changes: Collection[Change]) -> list[tuple[Change, str]]:
    """Write each change atomically; the changes not written, with the reason.

    A fix may edit several files, so when one file no longer holds the text the rules
    read (or cannot be read again), none is written.
    """
    from djlint_docker.source import Unreadable, decode, decode_python

    targets = {change.path: change.path.resolve() if os.path.islink(change.path) else change.path for change in changes}
    originals: dict[Path, bytes | None] = {}
    stale = []
    for change in changes:
        target = targets[change.path]
        try:
            originals[change.path] = data = target.read_bytes() if change.before is not None else None
            decoded_as = decode_python if change.path.suffix == ".py" else decode
            current = decoded_as(data) if data is not None else None
        except (OSError, Unreadable) as error:
            stale.append((change, f"cannot read it again: {error}"))
            continue
        if current != change.before or (change.before is None and os.path.exists(target)):
            stale.append((change, "it changed on disk while djcheck ran"))
    if stale:
        named = {change.path for change, _ in stale}
        return stale + [(change, "another file it goes with changed") for change in changes if change.path not in named]
    skipped = []
    for change in changes:
        try:
            _replace(targets[change.path], _encode(change.after, originals[change.path], change.path.suffix == ".py"))
        except OSError as error:
            skipped.append((change, f"cannot write it: {error.strerror or error}"))
        except UnicodeEncodeError as error:
            skipped.append((change, f"the fix adds text its declared encoding ({error.encoding}) cannot hold"))
    return skipped


def _encode(text: str, original: bytes | None, python: bool = False) -> bytes:
    """The text in the original's encoding: UTF-8, with its BOM if it had one, UTF-16 with its BOM, or
    for Python source the encoding its ``coding:`` line declares."""
    if python and original is not None:
        from djlint_docker.source import python_encoding

        encoding = python_encoding(original)
        if encoding != "utf-8":
            return text.encode(encoding)
    if original is not None and original.startswith(codecs.BOM_UTF16_BE):
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if original is not None and original.startswith(codecs.BOM_UTF16_LE):
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    bom = codecs.BOM_UTF8 if original is not None and original.startswith(codecs.BOM_UTF8) else b""
    return bom + text.encode("utf-8")


def _replace(target: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, renamed over the target, mode kept."""
    if os.path.exists(target):
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
