"""Output formats: one module per audience. A format sees only the report, never the project."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from djlint_docker.findings import Finding
from djlint_docker.records import record

FORMATS = {  # name: module in this package; each has render(report) -> str
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
}


@record
class Report:
    """What a format renders: the findings, how many setups were checked, and how to show them."""

    findings: list[Finding]
    setups: int
    base: Path  # finding paths are relative to it
    colour: bool = False
    show_source: bool = False
    quiet: bool = False
    unsafe_fixes: bool = False  # an unsafe fix counts as available
    fixed: int = 0  # fixes ``--fix`` applied before these findings were found


def renderer(name: str) -> Callable[[Report], str]:
    """The ``render`` function of format ``name``; only that format's module is imported."""
    return importlib.import_module(f"{__name__}.{FORMATS[name]}").render
