"""Where a build copies its whole context, and paths written relative to a folder."""

from __future__ import annotations

import os
from pathlib import Path

from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.rules.dockerfile._copies import whole_context_copy


def copies_context(build: ImageBuild) -> Location | None:
    """The first instruction of the build's Dockerfile that copies the whole context, if any."""
    dockerfile = build.dockerfile
    if dockerfile is None:
        return None
    copy = next((i for i in dockerfile.instructions if whole_context_copy(i)), None)
    return dockerfile.at(copy) if copy else None


def posix_relative(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` with ``/`` separators, as ignore files write it."""
    return os.path.relpath(path, folder).replace(os.sep, "/")


def holds_django(project: Project, build: ImageBuild) -> bool:
    """Whether the context holds the Django project (its ``manage.py``, settings, wsgi module): the folder where its
    developers make a virtualenv, an ``.env`` and ``db.sqlite3``, even when none is there yet."""
    return any(path.is_relative_to(build.context) for path in project.setup.python_files)
