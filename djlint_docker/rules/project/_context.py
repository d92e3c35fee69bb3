"""Where a build copies its whole context, and paths written relative to a folder."""

from __future__ import annotations

import os
from pathlib import Path

from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild
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
