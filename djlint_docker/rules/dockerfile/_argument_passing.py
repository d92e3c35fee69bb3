"""Whether the words of a command reach its program as written: no shell, no entrypoint that re-reads them.

DJC117 (a ``$VAR`` in an exec-form CMD) and DJC215 (shell syntax in a compose ``command:``)
both ask it: the words are read by a shell only when a ``sh -c`` takes them as its script,
or when the ENTRYPOINT in front of them runs them through one (``eval``, ``sh -c "$*"``).
"""

from __future__ import annotations

import posixpath
import re

from djlint_docker.project import ImageBuild, Project

SHELL_NAMES = {"sh", "bash", "ash", "dash", "zsh"}
SHELL_SCRIPT_OPTION = re.compile(r"-[a-z]*c[a-z]*")  # -c, -lc, -ec, -exc
EXPANDS_ARGUMENTS = re.compile(r"\beval\b|-c\s+[\"']?\$[{]?[@*]")  # a script that runs its arguments through a shell


def shell_script_at(argv: list[str] | tuple[str, ...]) -> int | None:
    """The index of the word a ``sh -c`` (``bash -lc`` ...) in ``argv`` runs as its script, if any."""
    for index, word in enumerate(argv):
        if posixpath.basename(word) in SHELL_NAMES:
            for offset, option in enumerate(argv[index + 1:index + 3], start=index + 1):
                if SHELL_SCRIPT_OPTION.fullmatch(option):
                    return offset + 1
    return None


def passes_words_on(project: Project, build: ImageBuild | None, entrypoint: list[str] | tuple[str, ...]) -> bool:
    """Whether an exec-form ENTRYPOINT hands the words after it to a program unchanged, as far as djcheck knows.

    A program on the PATH (gunicorn, tini) does; a shell that takes them as its script does
    not; a script of the build context does unless it ``eval``s them or runs them with
    ``sh -c "$*"``; a script djcheck cannot read may do anything with them (False).
    """
    if not entrypoint:
        return True
    if shell_script_at(entrypoint) is not None:
        return False
    first = entrypoint[0]
    if "/" not in first and not first.endswith(".sh"):
        return True
    name = posixpath.basename(first)
    scripts = [s for s in project.scripts if build is not None and s.build is build and s.path.name == name]
    if not scripts:
        return False
    return not any(EXPANDS_ARGUMENTS.search(line.text) for script in scripts for line in script.lines)
