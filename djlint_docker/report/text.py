"""The default, human format: ``path:line:col: CODE severity: message`` and a summary.

``[*]`` after the code marks a finding ``--fix`` would repair, and the summary says how
many. With ``show_source`` each finding is followed by the line it points at and a
marker under its column; with ``quiet`` the summary is left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import click

from djlint_docker.findings import Finding, Severity
from djlint_docker.report import Report
from djlint_docker.source import Unreadable, read_text

COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render(report: Report) -> str:
    def style(text: str, **options: Any) -> str:
        return click.style(text, **options) if report.colour else text

    lines = []
    sources: dict[str, list[str]] = {}
    for finding in report.findings:
        also = "".join(f" (see {path}:{line})" for path, line, _ in finding.related)
        lines.append(f"{style(finding.path, bold=True)}:{finding.line}:{finding.column}: "
                     f"{style(finding.code, fg=COLOURS[finding.severity], bold=True)}"
                     f"{' [*]' if finding.fixable(report.unsafe_fixes) else ''} "
                     f"{style(str(finding.severity), fg=COLOURS[finding.severity])}: {finding.message}{also}")
        if report.show_source:
            lines += _source(finding, sources.setdefault(finding.path, _lines(report, finding.path)), style)
    if not report.quiet:
        if report.fixed:
            lines.append(f"Fixed {report.fixed} problem{'s' if report.fixed != 1 else ''}.")
        lines.append(summary(report.findings, report.setups) + _fixable(report))
    return "".join(line + "\n" for line in lines)


def _lines(report: Report, path: str) -> list[str]:
    file = report.base / path
    try:
        return read_text(file, file.parent).splitlines()
    except Unreadable:
        return []


def _source(finding: Finding, text: list[str], style: Callable[..., str]) -> list[str]:
    if not 1 <= finding.line <= len(text):
        return []
    number = str(finding.line)
    gutter = " " * len(number)
    content = text[finding.line - 1].expandtabs(4)
    marker = " " * (finding.column - 1) + "^"
    return [f"{gutter} |", f"{style(number, fg='blue')} | {content}",
            f"{gutter} | {style(marker, fg=COLOURS[finding.severity], bold=True)}", ""]


def _fixable(report: Report) -> str:
    """`` [*] 2 fixable with `djcheck --fix`.``, and how many more ``--unsafe-fixes`` would repair."""
    fixable = sum(1 for f in report.findings if f.fixable(report.unsafe_fixes))
    hidden = sum(1 for f in report.findings if f.fix is not None and not f.fixable(report.unsafe_fixes))
    text = f" [*] {fixable} fixable with `djcheck --fix`." if fixable else ""
    return text + (f" ({hidden} more with `djcheck --fix --unsafe-fixes`.)" if hidden else "")


def summary(findings: list[Finding], setups: int) -> str:
    where = f"{setups} setup{'s' if setups != 1 else ''}"
    if not findings:
        return f"All checks passed ({where} checked)."
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
             for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    total = len(findings)
    return f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) in {where}."
