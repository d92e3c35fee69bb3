"""What the language server checks: the setups a file belongs to, from the editor's texts, and the findings of every
file those setups read.

A **root** is the folder the server checks as ``djcheck`` run in it would: the innermost
workspace folder holding the file, else the git repository holding it, else its folder.
Its configuration is the one ``djcheck`` finds from there (``[tool.djcheck]`` or
``.djcheck.toml``), and discovery finds its setups on disk (the outline of compose files
is read from disk: a new service in an unsaved compose file counts once saved).

Each setup is checked on its own, with the open documents' texts standing in for their
files (the fixer's overlay), and its raw findings and the texts it read are kept. A
change re-checks only the setups that read the changed file (every setup the first time,
and every one when a configuration or ``.gitignore`` file changes); the suppression
comments, per-file ignores and severities are then applied to the findings of every
setup together, as one ``djcheck`` run does (a comment in a file two setups share is
unused only when neither reports what it suppresses). The result names every file whose
findings may have changed, with the findings it now has (none: an empty list clears it).

Nothing here knows the protocol: :mod:`djlint_docker.server.lsp` turns the reports into
diagnostics.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from djlint_docker.config import NAMES, Config
from djlint_docker.findings import Edit, Finding

if TYPE_CHECKING:  # the engine (and the rules it registers) is imported by the first check, off the message loop
    from djlint_docker.discover import Setup
    from djlint_docker.registry import Rule

EVERY_SETUP = {*NAMES, ".gitignore"}
"""Files whose change re-checks every setup of the root: the configuration, and what git ignores."""


@dataclass(frozen=True)
class FileReport:
    """The findings of one file (absolute path) after a check; ``text`` is the text the check read, if it read it."""

    path: Path
    findings: tuple[Finding, ...]
    text: str | None


@dataclass(frozen=True)
class CheckResult:
    """The files whose findings to show again, every text the root's checks read, how many setups were checked
    (of how many), and what to log."""

    reports: list[FileReport]
    texts: Mapping[Path, str]
    checked: int = 0
    setups: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class _SetupCheck:
    findings: list[Finding]  # before suppression comments and configuration; paths relative to the root
    texts: dict[Path, str]
    files: frozenset[Path]  # every file it read or reports on


@dataclass
class _Root:
    folder: Path
    config: Config | None = None
    rules: list[Rule] = field(default_factory=list)
    setups: list[Setup] | None = None  # None: discover again
    checks: dict[Setup, _SetupCheck] = field(default_factory=dict)
    shown: dict[Path, tuple[Finding, ...]] = field(default_factory=dict)


class Checker:
    """The roots the server checks, what each setup of each read and reported, and what was last reported."""

    def __init__(self, folders: Iterable[Path] = ()) -> None:
        self.folders: list[Path] = []
        self._roots: dict[Path, _Root] = {}
        self._stale: set[Path | None] = set()  # roots to discover again (None: every root), see forget()
        self.set_folders(folders)

    def set_folders(self, folders: Iterable[Path]) -> None:
        """The workspace folders (innermost first when they nest)."""
        self.folders = sorted({Path(folder).resolve() for folder in folders},
                              key=lambda folder: len(folder.parts), reverse=True)

    def root_of(self, path: Path) -> Path:
        """The folder ``path`` is checked under (see the module docstring); resolved, as discovery's paths are."""
        path = Path(os.path.abspath(path))
        for folder in self.folders:
            if path.is_relative_to(folder):
                return folder
        for folder in path.parents:
            if os.path.exists(folder / ".git"):
                return folder.resolve()
        return path.parent.resolve()

    def forget(self, root: Path | None = None) -> None:
        """Read the configuration and discover the setups of ``root`` (every root: None) again at its next check.

        What files are on disk may have changed (a file saved, created or deleted): the
        next check also drops the build-context walks kept between checks, and checks
        every setup again when a file it names is one no setup has read (a new
        ``.dockerignore`` changes what the setups that looked for it report). Safe to call
        while a check runs in another thread: it only leaves a note for the next one.
        """
        self._stale.add(root)

    def check(self, root: Path, changed: Iterable[Path], overlay: Mapping[Path, str]) -> CheckResult:
        """Check the setups of ``root`` that read a file of ``changed``, with ``overlay``'s texts for its files.

        Raises :class:`djlint_docker.config.ConfigError` for a configuration it cannot use.
        """
        from djlint_docker.config import configuration
        from djlint_docker.discover import discover
        from djlint_docker.engine import all_rules
        from djlint_docker.registry import select_rules

        state = self._roots.setdefault(root, _Root(root))
        changed = {Path(os.path.abspath(path)) for path in changed}
        everything = any(path.name in EVERY_SETUP for path in changed)
        if None in self._stale or root in self._stale:
            from djlint_docker.discover import CONTEXT_WALKS

            if None in self._stale:
                self._stale.update(self._roots)
                self._stale.discard(None)
            self._stale.discard(root)
            state.setups = None
            CONTEXT_WALKS.clear()
            known = {path for done in state.checks.values() for path in done.files}
            everything = everything or any(read_by_setups(path) and path not in known for path in changed)
        if state.setups is None or state.config is None or everything:
            state.config = configuration(root)
            state.rules = select_rules(all_rules(), state.config.layers)
            state.setups = discover([root], state.config)
        config, setups = state.config, state.setups
        touched: set[Path] = set()
        checked = 0
        for gone in [setup for setup in state.checks if setup not in setups]:
            touched |= state.checks.pop(gone).files
        run_setups = list(setups)  # a new sequence: the project model's per-run caches start afresh
        for setup in setups:
            earlier = state.checks.get(setup)
            if earlier is not None and not everything and not earlier.files & changed:
                continue
            if earlier is not None:
                touched |= earlier.files
            state.checks[setup] = now = self._check_setup(setup, root, state.rules, config, overlay, run_setups)
            checked += 1
            touched |= now.files
        texts: dict[Path, str] = {}
        for done in state.checks.values():
            texts.update(done.texts)
        by_path: dict[Path, list[Finding]] = {}
        notes = []
        from djlint_docker.engine import finish, once_per_place

        for finding in finish(once_per_place((state.checks[s].findings for s in setups if s in state.checks), root),
                              texts, root, state.rules, config):
            path = Path(os.path.normpath(root / finding.path))
            if os.path.isdir(path):  # a rule that failed reports on the setup's folder: no document to show it in
                notes.append(f"{finding.path}: {finding.code} {finding.message}")
                continue
            by_path.setdefault(path, []).append(finding)
        reports = []
        for path in sorted(touched | by_path.keys() | state.shown.keys()):
            if path not in by_path and path not in state.shown and os.path.isdir(path):
                continue  # a setup's folder, where a failing rule reported: no document
            found = tuple(by_path.get(path, ()))
            if path in touched or state.shown.get(path) != found:
                reports.append(FileReport(path, found, texts.get(path)))
            if found:
                state.shown[path] = found
            else:
                state.shown.pop(path, None)
        return CheckResult(reports, texts, checked, len(setups), notes)

    @staticmethod
    def _check_setup(setup: Setup, root: Path, rules: list[Rule], config: Config, overlay: Mapping[Path, str],
                     setups: Sequence[Setup]) -> _SetupCheck:
        """One setup as :func:`djlint_docker.engine.check_texts` checks it (the run's other setups as its
        siblings); its files are those it read, those its related setups read, and those it reports on."""
        from djlint_docker.engine import run
        from djlint_docker.project import Project

        project = Project(setup, root, config.settings_module, overlay, siblings=setups)
        findings = run(project, rules)
        texts = project.suppression_texts
        files = set(project.texts) | project.related_paths
        files |= {Path(os.path.normpath(root / finding.path)) for finding in findings}
        return _SetupCheck(findings, texts, frozenset(files))


NEVER_READ = frozenset({".md", ".rst", ".adoc", ".html", ".htm", ".css", ".scss", ".less", ".js", ".jsx", ".ts", ".tsx",
                        ".vue", ".svelte", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".po", ".mo",
                        ".csv", ".sql", ".log", ".map"})
"""Files no setup reads: documentation, front-end sources, media. A new file of any other kind may be one a setup
looked for (lock files, nginx configuration, scripts without ``.sh``...)."""


def read_by_setups(path: Path) -> bool:
    """Whether a file of this name can be one a setup reads."""
    from djlint_docker.kinds import kind

    return kind(path) is not None or path.suffix.lower() not in NEVER_READ


def fix_edits(finding: Finding) -> tuple[Edit, ...]:
    """The edits of a finding's fix; none when it has none, or computing them fails (a deferred rewrite)."""
    if finding.fix is None:
        return ()
    try:
        return finding.fix.changes()
    except Exception:  # the fix is not offered; the finding is still shown
        return ()


def ignore_edit(path: Path, text: str, finding: Finding) -> Edit | None:
    """The edit that adds a suppression comment for ``finding`` to ``text`` (``--add-ignore``'s placement and
    checks), as one range; None where no comment can cover it."""
    from djlint_docker.add_ignore import add_ignores

    after, added, _ = add_ignores(path, text, [finding])
    if not added or after == text:
        return None
    return smallest_edit(path, text, after)


def smallest_edit(path: Path, before: str, after: str) -> Edit:
    """One edit turning ``before`` into ``after``: the range between their common start and common end."""
    start = _common_length(before, after)
    end = _common_length(before[start:][::-1], after[start:][::-1])
    return Edit(path, start, len(before) - end, after[start:len(after) - end])


def _common_length(one: str, other: str) -> int:
    """How many characters ``one`` and ``other`` share at their start (a bisection of slice comparisons)."""
    low, high = 0, min(len(one), len(other))
    while low < high:
        middle = (low + high + 1) // 2
        if one[:middle] == other[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
