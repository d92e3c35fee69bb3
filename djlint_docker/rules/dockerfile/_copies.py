"""What a Dockerfile copies into the image and installs there, for the rules that read COPY, ADD and pip."""

from __future__ import annotations

import posixpath
import re

from djlint_docker.parse.dockerfile import Instruction
from djlint_docker.parse.shell import Command, program


def whole_context_copy(instruction: Instruction) -> bool:
    """``COPY . <dest>`` / ``ADD . <dest>``: the whole build context (``..`` too, which BuildKit reads as the
    context's root: nothing lies above it)."""
    if instruction.keyword not in {"COPY", "ADD"} or instruction.flag("from") is not None:
        return False
    parts = list(instruction.exec_form) if instruction.exec_form else instruction.words()
    return len(parts) >= 2 and any(source == "*" or context_path(source) == "" for source in parts[:-1])


def context_path(source: str) -> str:
    """Where a ``COPY`` source lies in the build context, as BuildKit resolves it: ``join("/", source)``, so
    ``../requirements.txt`` is the context's ``requirements.txt`` (moby/buildkit#2131); ``""`` for its root."""
    return posixpath.normpath(posixpath.join("/", source)).lstrip("/")


def pip_installs(command: Command) -> bool:
    """Whether a command is ``pip install`` (``pip3``, ``python -m pip`` too)."""
    name = program(command)
    return bool(re.fullmatch(r"pip[0-9.]*", name)) and "install" in command.words
