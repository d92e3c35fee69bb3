"""``--format github``: GitHub Actions workflow commands, shown as annotations on the diff."""

from __future__ import annotations

from djlint_docker.findings import Severity
from djlint_docker.report import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    return "".join(
        f"::{COMMANDS[f.severity]} file={_property(f.path)},line={f.line},col={f.column},"
        f"title={_property(f'{f.code} {f.name}')}::{_data(f'{f.code} {f.message}')}\n"
        for f in report.findings)
