"""Positions in files: what parsers record and findings point at."""

from __future__ import annotations

from pathlib import Path

from djlint_docker.records import record


@record
class Location:
    """A 1-based line and column in a file (absolute path while rules run)."""

    path: Path
    line: int = 1
    column: int = 1
