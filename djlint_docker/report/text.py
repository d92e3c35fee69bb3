"""The default, human format: ``path:line:col: CODE severity: message`` and a summary."""

from __future__ import annotations

from collections import Counter

import click

from djlint_docker.findings import Finding, Severity

COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render(findings: list[Finding], setups: int, colour: bool) -> str:
    def style(text: str, **options: object) -> str:
        return click.style(text, **options) if colour else text  # type: ignore[arg-type]

    lines = []
    for finding in findings:
        also = "".join(f" (see {path}:{line})" for path, line, _ in finding.related)
        lines.append(f"{style(finding.path, bold=True)}:{finding.line}:{finding.column}: "
                     f"{style(finding.code, fg=COLOURS[finding.severity], bold=True)} "
                     f"{style(str(finding.severity), fg=COLOURS[finding.severity])}: {finding.message}{also}")
    lines.append(summary(findings, setups))
    return "\n".join(lines) + "\n"


def summary(findings: list[Finding], setups: int) -> str:
    where = f"{setups} setup{'s' if setups != 1 else ''}"
    if not findings:
        return f"All checks passed ({where} checked)."
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
             for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    total = len(findings)
    return f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) in {where}."
