"""What a rule reports: severities, violations, findings and their fixes."""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path

from djlint_docker.positions import Location
from djlint_docker.records import record


class Severity(enum.IntEnum):
    """How bad a finding is; the order lets a threshold compare them."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@record
class Edit:
    """Replace the characters ``start:end`` of a file's text with ``text``; a file that does not exist is created."""

    path: Path
    start: int
    end: int
    text: str


@record
class Fix:
    """How to repair a violation: edits applied together or not at all.

    An unsafe fix changes what the setup does (``DEBUG`` read differently); ``--fix``
    applies it only with ``--unsafe-fixes``. A rule whose edits are costly to compute
    (a Python rewrite imports libcst) passes ``deferred`` instead: it runs only when the
    fix is applied, and returns no edits when it finds nothing to change.
    """

    description: str
    edits: tuple[Edit, ...] = ()
    safe: bool = True
    deferred: Callable[[], tuple[Edit, ...]] | None = None

    def changes(self) -> tuple[Edit, ...]:
        return self.deferred() if self.deferred is not None else self.edits


@record
class Violation:
    """What a rule yields: where, what, the other places involved, and how to repair it."""

    location: Location
    message: str
    related: tuple[Location, ...] = ()
    severity: Severity | None = None  # None: the rule's default severity
    fix: Fix | None = None


@record
class Finding:
    """A violation with its rule's metadata, paths made relative for the report."""

    code: str
    name: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    related: tuple[tuple[str, int, int], ...] = ()
    fix: Fix | None = None

    def fixable(self, unsafe: bool = False) -> bool:
        """Whether ``--fix`` repairs it (with ``--unsafe-fixes`` when ``unsafe``)."""
        return self.fix is not None and (self.fix.safe or unsafe)

    @property
    def identity(self) -> tuple:
        """What makes two findings the same one (a file two stacks share is checked twice)."""
        return (self.code, self.path, self.line, self.column, self.message)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)
