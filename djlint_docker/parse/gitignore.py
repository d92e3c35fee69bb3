"""``.gitignore`` files with git's own matching rules (pathspec's ``GitIgnoreSpec``)."""

from __future__ import annotations

from pathlib import Path

from pathspec import GitIgnoreSpec


def parse_gitignore(path: Path, text: str) -> GitIgnoreSpec:
    return GitIgnoreSpec.from_lines(text.splitlines())


def verdict(spec: GitIgnoreSpec, relative: str) -> bool | None:
    """True: ignored; False: re-included by ``!pattern``; None: no pattern of this file matches."""
    return spec.check_file(relative).include
