"""The rule registry: what a rule is, how it registers, and how codes, prefixes and names select rules.

A rule is a function decorated with :func:`rule`: the decorator records its code,
name, severity, fix safety and examples next to the check, so a rule lives in one place
and registers itself when its module is imported. This module imports nothing of the
rules; the engine imports both.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from djlint_docker.config import Selection
from djlint_docker.findings import Severity, Violation
from djlint_docker.records import record

if TYPE_CHECKING:
    from djlint_docker.project import Project

Check = Callable[["Project"], Iterable[Violation]]
T = TypeVar("T")


@record
class Example:
    """A tiny project for a rule: files by relative path, where the rule must fire, and the files after its fix.

    ``expect`` lists ``(path, line)`` pairs; an empty ``expect`` means the rule must stay
    silent. ``fixed`` holds the exact text of each file the rule's fix changes or creates
    (as Fixit's ``expected_replacement``): ``djcheck --fix`` (with ``--unsafe-fixes`` for an
    unsafe fix) must write exactly that, change no other file, and leave no finding of the
    rule that a fix could repair. The test suite runs every example of every rule.
    """

    name: str
    files: Mapping[str, str | bytes]
    expect: tuple[tuple[str, int], ...] = ()
    fixed: Mapping[str, str] = MappingProxyType({})


@record
class Rule:
    """A registered rule: metadata, check and examples."""

    code: str
    name: str
    severity: Severity
    check: Check
    fix: str | None  # "safe", "unsafe", or None: the rule offers no fix
    cross: bool
    examples: tuple[Example, ...]
    module: str  # where the rule lives, for --explain
    default: bool = True  # False: it runs only when a selection names it (opt-in)

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity, *, fix: str | None = None, cross: bool = False,
         examples: Sequence[Example] = (), default: bool = True) -> Callable[[Check], Check]:
    """Register the decorated function as rule ``code``/``name``.

    ``fix`` is ``"safe"`` or ``"unsafe"`` when the rule repairs what it reports. A rule with ``default=False`` is
    opt-in: it runs only when ``select`` or ``extend-select`` names it (its code, a prefix of it, or its name).
    """
    if fix not in {None, "safe", "unsafe"}:
        raise ValueError(f"rule {code}: fix must be 'safe', 'unsafe' or None, not {fix!r}")

    def register(check: Check) -> Check:
        if code in REGISTRY or any(r.name == name for r in REGISTRY.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        REGISTRY[code] = Rule(code, name, severity, check, fix, cross, tuple(examples), check.__module__, default)
        return check

    return register


def registered() -> list[Rule]:
    """Every rule registered so far, by code (importing ``djlint_docker.rules`` registers them all)."""
    return sorted(REGISTRY.values(), key=lambda r: r.code)


class SelectionError(ValueError):
    """A ``--select``/``--ignore`` entry names no rule."""


def match_length(rule: Rule, token: str) -> int:
    """How specifically ``token`` names ``rule``: prefix length, a full name counts as a full code; -1: not."""
    if token.lower() == rule.name:
        return len(rule.code)
    return len(token) if rule.code.startswith(token.upper()) else -1


def names_a_rule(token: str, rules: Iterable[Rule]) -> bool:
    return any(match_length(r, token) >= 0 for r in rules)


def best_match(rule: Rule, entries: Iterable[tuple[str, T]]) -> T | None:
    """The value of the entry whose token names ``rule`` most specifically (the last one of equals)."""
    best, length = None, -1
    for token, value in entries:
        if (matched := match_length(rule, token)) >= length and matched >= 0:
            best, length = value, matched
    return best


def select_rules(rules: list[Rule], layers: Sequence[Selection]) -> list[Rule]:
    """The rules the layers leave on (every rule but the opt-in ones when no layer says otherwise)."""
    chosen = []
    for candidate in rules:
        on = candidate.default
        for layer in layers:
            wanted = max((match_length(candidate, t) for t in (*(layer.select or ()), *layer.extend_select)),
                         default=-1)
            unwanted = max((match_length(candidate, t) for t in layer.ignore), default=-1)
            if layer.select is not None or wanted >= 0 or unwanted >= 0:
                on = wanted >= 0 and wanted > unwanted
        if on:
            chosen.append(candidate)
    return chosen


def check_selection(layer: Selection, rules: list[Rule]) -> None:
    """Raise :class:`SelectionError` for an entry that names no rule."""
    for token in (*(layer.select or ()), *layer.extend_select, *layer.ignore):
        if not names_a_rule(token, rules):
            raise SelectionError(f"{token!r} names no rule (codes such as DJC101, prefixes such as DJC1, or names)")
