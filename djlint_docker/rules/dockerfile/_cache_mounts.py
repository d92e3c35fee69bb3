"""Build cache mounts of a RUN, which keep a package manager's cache out of the image."""

from __future__ import annotations

from djlint_docker.parse.dockerfile import Instruction


def cache_mounted(run: Instruction, path: str) -> bool:
    """Whether the RUN mounts a build cache at a path containing ``path``."""
    return any(key == "mount" and value and "type=cache" in value and path in value for key, value in run.flags)
