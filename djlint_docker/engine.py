"""The run: every selected rule over every setup, then what no rule reported, suppressions and configuration.

Importing this module imports the rules package, which registers every rule in
:mod:`djlint_docker.registry`.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import djlint_docker.rules  # noqa: F401  (importing the package registers every rule)
from djlint_docker.config import DEFAULTS, Config, configuration
from djlint_docker.findings import Finding, Severity, Violation
from djlint_docker.positions import Location
from djlint_docker.records import record, replaced
from djlint_docker.registry import REGISTRY, Rule, best_match, match_length, names_a_rule, registered, select_rules

if TYPE_CHECKING:
    from djlint_docker.discover import Setup
    from djlint_docker.fix import Fixer
    from djlint_docker.project import Project



def all_rules() -> list[Rule]:
    """Every rule, by code."""
    return registered()


EXAMPLE_CHECKS = frozenset({"DJC001", "DJC002"})
"""What is checked in an example for the reader (:attr:`Project.example`): that it parses, and that the files it
names exist (a stale build context). Its values are the reader's to choose."""


def run(project: Project, rules: Iterable[Rule]) -> list[Finding]:
    """Run the rules over one setup, then report every file that could not be read or parsed; over an example
    for the reader, only :data:`EXAMPLE_CHECKS`.

    A rule that raises becomes a finding naming the rule. Files are read as rules need
    them, so the DJC001/DJC002 problems are reported after every rule ran (with every
    other file of the setup parsed too), whoever tried to read the file.
    """
    findings: list[Finding] = []
    selected = {current.code: current for current in rules}
    if project.example:  # an example for the reader to copy and adapt (docs/, `# An example ...`): whether it parses
        selected = {code: current for code, current in selected.items() if code in EXAMPLE_CHECKS}
    for current in selected.values():
        try:
            for violation in current.check(project):
                findings.append(_finding(project, current, violation))
        except Exception as error:  # the run goes on; the user sees which rule failed
            findings.append(_internal_error(project, current, error))
    if {"DJC001", "DJC002"} & selected.keys():
        from djlint_docker.rules.linter.djc001_parse_error import reported

        try:
            project.parse_all()
        except Exception as error:  # what was read before it is still reported
            findings.append(_internal_error(project, selected.get("DJC001") or selected["DJC002"], error))
        for problem in project.problems.values():
            if problem.code in selected:
                findings.append(_finding(project, selected[problem.code], reported(project, problem)))
    return findings


def _internal_error(project: Project, current: Rule, error: Exception) -> Finding:
    """A finding on the setup's folder naming the rule that failed and where: the other rules and setups still run."""
    import traceback  # only here: a run without a failing rule never pays for it

    where = traceback.extract_tb(error.__traceback__)[-1]
    message = (f"internal error in rule {current.code} ({current.name}): {type(error).__name__}: {error} "
               f"at {Path(where.filename).name}:{where.lineno}; please report it")
    return _finding(project, current, Violation(Location(project.root), message, severity=Severity.ERROR))


QUOTE = re.compile(r"`([^`\n]*)`")
"""A quoted snippet in a message (an instruction, a command line); matched from the left, so each pair of backticks
is one quote."""
MAX_QUOTE = 80
SHOWN_OF_LONG_QUOTE = 60


def _finding(project: Project, current: Rule, violation: Violation) -> Finding:
    location = violation.location
    message = QUOTE.sub(lambda quoted: quoted.group(0) if len(quoted.group(1)) <= MAX_QUOTE
                        else f"`{quoted.group(1)[:SHOWN_OF_LONG_QUOTE]}…`", violation.message)  # too long to read
    return Finding(
        current.code, current.name, violation.severity or current.severity,
        project.display(location.path), location.line, location.column, message,
        tuple((project.display(r.path), r.line, r.column) for r in violation.related), violation.fix,
    )


def check_setups(setups: Sequence[Setup], base: Path, rules: list[Rule], config: Config = DEFAULTS) -> list[Finding]:
    """The findings of every setup, sorted.

    De-duplicated (a file two stacks share), then filtered by the suppression comments
    in the files read (DJC003/DJC004 report the comments' own faults) and by the
    configuration's ``exclude``, ``per-file-ignores`` and ``severity``.
    """
    return check_texts(setups, base, rules, config)[0]


def check_texts(setups: Sequence[Setup], base: Path, rules: list[Rule], config: Config = DEFAULTS,
                overlay: Mapping[Path, str] | None = None) -> tuple[list[Finding], dict[Path, str]]:
    """:func:`check_setups` reading ``overlay``'s texts instead of those files, and the texts the rules read."""
    from djlint_docker.project import Project

    per_setup: list[list[Finding]] = []
    texts: dict[Path, str] = {}
    for setup in setups:
        project = Project(setup, base, config.settings_module, overlay, siblings=setups)
        per_setup.append(run(project, rules))
        texts.update(project.suppression_texts)
    return finish(once_per_place(per_setup, base), texts, base, rules, config), texts


def once_per_place(per_setup: Iterable[list[Finding]], base: Path) -> list[Finding]:
    """The findings of each setup in turn, less those of a rule at a place an earlier setup reported: a file two
    setups share (a Dockerfile both stacks build) is one finding per rule and place, even when each setup words it
    from what it knows (the database folder only the development stack mounts). A file and a symbolic link to it
    (``docker-compose.yml`` linking ``docker/docker-compose.prod.yml``) are one place."""
    findings: list[Finding] = []
    spots: set[tuple] = set()
    real = functools.lru_cache(maxsize=None)(lambda path: os.path.realpath(base / path))
    for found in per_setup:
        findings += [finding for finding in found if _spot(finding, real) not in spots]
        spots.update(_spot(finding, real) for finding in found)
    return findings


def _spot(finding: Finding, real: Callable[[str], str]) -> tuple:
    """A rule's place (the file a link leads to), and the service a compose finding names: two services sharing a
    line are one finding that names both (:func:`_once_per_line`)."""
    named = SERVICE_PREFIX.match(finding.message)
    return finding.code, real(finding.path), finding.line, finding.column, named.group(1) if named else None


def finish(findings: Iterable[Finding], texts: Mapping[Path, str], base: Path, rules: Sequence[Rule],
           config: Config) -> list[Finding]:
    """The findings of every setup of a run as reported: de-duplicated, suppressed, configured and sorted.

    ``texts`` are the files the rules read: their suppression comments apply.
    """
    from djlint_docker.suppressions import apply_directives

    kept = apply_directives(_once_per_line(findings), texts, base, rules) + _config_findings(config, base)
    return sorted((_configured(f, config) for f in kept if not _dropped(f, base, config)), key=lambda f: f.sort_key)


SERVICE_PREFIX = re.compile(r"service ([\w.-]+)(?=: )")
"""How a compose finding names its service: ``service web: ...``."""


def _once_per_line(findings: Iterable[Finding]) -> list[Finding]:
    """Each finding once: a file two stacks share is checked twice, and a line several
    services share through an anchor (``<<: *app``) or ``extends`` is one finding, on the
    line where the value is written, naming the other services that share it."""
    unique: dict[tuple, Finding] = {}
    for finding in findings:
        unique.setdefault(finding.identity, finding)
    sharing: dict[tuple, tuple[Finding, list[str]]] = {}
    for finding in unique.values():
        named = SERVICE_PREFIX.match(finding.message)
        if named is None:
            sharing[finding.identity] = (finding, [])
            continue
        key = (finding.code, finding.path, finding.line, finding.column, finding.message[named.end():])
        if key in sharing:
            sharing[key][1].append(named.group(1))
        else:
            sharing[key] = (finding, [])
    return [replaced(finding, message=f"{finding.message} (the line is shared with {', '.join(others)})")
            if others else finding for finding, others in sharing.values()]


def _config_findings(config: Config, base: Path) -> list[Finding]:
    """DJC003 for each code or name in the configuration that names no rule.

    Reported unless an ``ignore`` names DJC003: a narrow ``select`` must not hide a typo in
    the very file that made it.
    """
    unknown = REGISTRY.get("DJC003")
    if unknown is None or any(match_length(unknown, token) >= 0 for layer in config.layers for token in layer.ignore):
        return []
    return [Finding(unknown.code, unknown.name, unknown.severity, os.path.relpath(token.path, base), token.line, 1,
                    f"{token.text!r} in {token.path.name} names no rule; write a code (DJC101), a prefix (DJC1) "
                    f"or a rule name")
            for token in config.tokens if token.path and not names_a_rule(token.text, REGISTRY.values())]


def _dropped(finding: Finding, base: Path, config: Config) -> bool:
    path = base / finding.path
    if config.excludes(path):
        return True
    ignored = config.ignored_in(path)
    return bool(ignored) and any(match_length(REGISTRY[finding.code], token) >= 0 for token in ignored)


def _configured(finding: Finding, config: Config) -> Finding:
    severity = best_match(REGISTRY[finding.code], ((token.text, level) for token, level in config.severity))
    return finding if severity is None else replaced(finding, severity=severity)


def check_paths(paths: Sequence[Path], base: Path, rules: list[Rule], config: Config = DEFAULTS) -> list[Finding]:
    """Discover every setup under ``paths`` and return their findings."""
    from djlint_docker.discover import discover

    return check_setups(discover(paths, config), base, rules, config)


@record
class Outcome:
    """What a run found, over how many setups, and whether it fails (``fail-on``)."""

    findings: list[Finding]
    setups: int
    failed: bool


def lint(paths: Sequence[Path], base: Path, config_for: Callable[[Path], Config] = configuration,
         fixer: Fixer | None = None) -> Outcome:
    """Check ``paths``, each with its configuration (paths sharing one are checked together).

    With a ``fixer``, the setups are fixed in memory first and the findings are those that remain.
    """
    from djlint_docker.discover import discover

    groups: dict[Config, list[Path]] = {}
    for path in paths:
        groups.setdefault(config_for(path), []).append(path)
    findings: dict[tuple, Finding] = {}
    setups, failed = 0, False
    for config, targets in groups.items():
        found = discover(targets, config)
        rules = select_rules(all_rules(), config.layers)
        if fixer is not None:
            # this group's values bound now (B023), though fixer.check calls it only during this iteration
            results = fixer.check(functools.partial(check_texts, found, base, rules, config))
        else:
            results = check_setups(found, base, rules, config)
        setups += len(found)
        failed = failed or any(f.severity >= (config.fail_on or Severity.INFO) for f in results)
        for finding in results:
            findings.setdefault(finding.identity, finding)
    return Outcome(sorted(findings.values(), key=lambda f: f.sort_key), setups, failed)
