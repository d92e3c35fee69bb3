"""The rule registry, rule selection and the run over every setup.

A rule is a function decorated with :func:`rule`: the decorator records its code,
name, severity and examples next to the check, so a rule lives in one place and
registers itself when its module is imported.
"""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from djlint_docker.findings import Finding, Location, Severity, Violation

if TYPE_CHECKING:
    from djlint_docker.discover import Setup
    from djlint_docker.project import Project

Check = Callable[["Project"], Iterable[Violation]]


@dataclass(frozen=True)
class Example:
    """A tiny project for a rule: files by relative path, and where the rule must fire.

    ``expect`` lists ``(path, line)`` pairs; an empty ``expect`` means the rule must stay
    silent. The test suite runs every example of every rule.
    """

    name: str
    files: Mapping[str, str | bytes]
    expect: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Rule:
    """A registered rule: metadata, check and examples."""

    code: str
    name: str
    severity: Severity
    check: Check
    fixable: bool
    cross: bool
    examples: tuple[Example, ...]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity, *, fixable: bool = False, cross: bool = False,
         examples: Sequence[Example] = ()) -> Callable[[Check], Check]:
    """Register the decorated function as rule ``code``/``name``."""

    def register(check: Check) -> Check:
        if code in REGISTRY or any(r.name == name for r in REGISTRY.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        REGISTRY[code] = Rule(code, name, severity, check, fixable, cross, tuple(examples))
        return check

    return register


def all_rules() -> list[Rule]:
    """Every rule, by code."""
    import djlint_docker.rules  # noqa: F401  (importing the package registers the rules)

    return sorted(REGISTRY.values(), key=lambda r: r.code)


class SelectionError(ValueError):
    """A ``--select``/``--ignore`` entry names no rule."""


def _match_length(rule: Rule, token: str) -> int:
    """How specifically ``token`` names ``rule``: prefix length, a full name counts as a full code."""
    if token.lower() == rule.name:
        return len(rule.code)
    return len(token) if rule.code.startswith(token.upper()) else -1


def select_rules(rules: list[Rule], select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    """The rules left by ``select`` and ``ignore`` (codes, code prefixes or names; longer match wins)."""
    for token in (*select, *ignore):
        if not any(_match_length(r, token) >= 0 for r in rules):
            raise SelectionError(f"{token!r} names no rule (codes such as DJC101, prefixes such as DJC1, or names)")
    chosen = []
    for candidate in rules:
        selected = max((_match_length(candidate, t) for t in select), default=-1) if select else 0
        ignored = max((_match_length(candidate, t) for t in ignore), default=-1)
        if selected >= 0 and not (ignored >= 0 and ignored >= selected):
            chosen.append(candidate)
    return chosen


def run(project: Project, rules: Iterable[Rule]) -> list[Finding]:
    """Run the rules over one setup; a rule that raises becomes a finding naming the rule."""
    findings: list[Finding] = []
    for current in rules:
        try:
            for violation in current.check(project):
                findings.append(_finding(project, current, violation))
        except Exception as error:  # noqa: BLE001 (the run goes on; the user sees which rule failed)
            where = traceback.extract_tb(error.__traceback__)[-1]
            message = (f"internal error in rule {current.code} ({current.name}): {type(error).__name__}: {error} "
                       f"at {Path(where.filename).name}:{where.lineno}; please report it")
            findings.append(_finding(project, current, Violation(Location(project.root), message,
                                                                  severity=Severity.ERROR)))
    return findings


def _finding(project: Project, current: Rule, violation: Violation) -> Finding:
    location = violation.location
    return Finding(
        current.code, current.name, violation.severity or current.severity,
        project.display(location.path), location.line, location.column, violation.message,
        tuple((project.display(r.path), r.line, r.column) for r in violation.related),
    )


def check_setups(setups: Sequence[Setup], base: Path, rules: list[Rule]) -> list[Finding]:
    """The findings of every setup, de-duplicated (a file two stacks share) and sorted."""
    from djlint_docker.project import Project

    unique: dict[tuple, Finding] = {}
    for setup in setups:
        for finding in run(Project(setup, base), rules):
            unique.setdefault((finding.code, finding.path, finding.line, finding.column, finding.message), finding)
    return sorted(unique.values(), key=lambda f: f.sort_key)


def check_paths(paths: Sequence[Path], base: Path, rules: list[Rule]) -> list[Finding]:
    """Discover every setup under ``paths`` and return their findings."""
    from djlint_docker.discover import discover

    return check_setups(discover(paths), base, rules)
