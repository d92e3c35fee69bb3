"""``.gitignore`` files with git's own matching rules (pathspec's ``GitIgnoreSpec``)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


def parse_gitignore(path: Path, text: str) -> GitIgnoreSpec:
    """The file's patterns; a line git cannot use (a trailing backslash, an unclosed ``[``) is skipped, as git does."""
    # Imported here: only a setup with a .gitignore needs it.
    from pathspec import GitIgnoreSpec

    lines = text.splitlines()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # ``[[`` is a nested set to Python's re, a class to git
        try:
            return GitIgnoreSpec.from_lines(lines)
        except (ValueError, TypeError):  # pathspec's GitIgnorePatternError is a ValueError
            return GitIgnoreSpec.from_lines([line for line in lines if _usable(line)])


def _usable(line: str) -> bool:
    from pathspec import GitIgnoreSpec

    try:
        GitIgnoreSpec.from_lines([line])
    except (ValueError, TypeError):
        return False
    return True


def verdict(spec: GitIgnoreSpec, relative: str) -> bool | None:
    """True: ignored; False: re-included by ``!pattern``; None: no pattern of this file matches."""
    return spec.check_file(relative).include
