"""What a Dockerfile copies into the image and installs there, for the rules that read COPY, ADD and pip."""

from __future__ import annotations

import os
import posixpath
import re

from djlint_docker.parse.dockerfile import Instruction
from djlint_docker.parse.shell import Command, program
from djlint_docker.project import ImageBuild, Project
from djlint_docker.rules.compose._ci_workflows import written_by_scripts


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


def context_known(project: Project, build: ImageBuild) -> bool:
    """Whether djcheck knows the build context a COPY reads: a compose file builds the image from a folder of the
    project, and not from another setup's context (that stack runs the image it builds)."""
    return build.location is not None and os.path.isdir(build.context) \
        and build.context.is_relative_to(project.boundary) and not project.built_elsewhere(build)


def missing_from_context(project: Project, build: ImageBuild, source: str) -> str | None:
    """Why the context of a fresh clone lacks ``source``, or None when it holds it (or may: a variable, a wildcard,
    a URL, a file something makes before the build)."""
    if any(char in source for char in "$*?[") or "://" in source or source.startswith("git@"):
        return None
    relative = context_path(source)  # `../requirements.txt` is the context's own: BuildKit cannot climb above it
    if not relative:
        return None
    path = build.context / relative
    if os.path.exists(path) or os.path.islink(path):
        ignore = project.dockerignore(build)
        if ignore is not None and ignore.excludes(relative) and not (os.path.isdir(path)
                                                                     and ignore.may_reinclude_below(relative)):
            return f"the context's .dockerignore leaves {relative} out"
        return None
    if project.tracked(path) or project.in_submodule(path):
        return None  # in git: every clone has it (a large file a snapshot left out, a Git LFS object, a submodule)
    if project.gitignored(path) or project.gitignored(path, folder=True) or project.template_for(path) is not None \
            or project.template_before_suffix(path) or project.readme_creates(path) \
            or written_by_scripts(project, posixpath.basename(relative)):
        return None  # each clone, the build or a step before it makes it
    return f"{relative} is not in the build context"
