"""``--format sarif``: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

Each rule that has a finding is described with its summary and its documentation
page; a finding that involves other files lists them as ``relatedLocations``, and a
safe fix is carried as a SARIF ``fix``: the replacements of each file it edits, as
character offsets and lines of the text djcheck read (``columnKind`` says characters
are Unicode code points, as Python counts them). Unsafe fixes are left out: a viewer
may apply a ``fix`` without asking.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from djlint_docker import __version__
from djlint_docker.findings import Edit, Finding, Severity
from djlint_docker.report import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(path: str, line: int, column: int) -> dict:
    return {"physicalLocation": {
        "artifactLocation": _uri(path),
        "region": {"startLine": line, "startColumn": column},
    }}


def _uri(path: str) -> dict:
    return {"uri": path.replace("\\", "/"), "uriBaseId": "%SRCROOT%"}


def _text(path: Path) -> str:
    """The text the fix's offsets count in: the file as djcheck decodes it ("" for a file the fix creates)."""
    from djlint_docker.source import decoded

    try:
        data = path.read_bytes()
    except OSError:
        return ""
    return decoded(path, data)


def _region(text: str, edit: Edit) -> dict:
    start_line = text.count("\n", 0, edit.start) + 1
    end_line = text.count("\n", 0, edit.end) + 1
    return {"charOffset": edit.start, "charLength": edit.end - edit.start,
            "startLine": start_line, "startColumn": edit.start - (text.rfind("\n", 0, edit.start) + 1) + 1,
            "endLine": end_line, "endColumn": edit.end - (text.rfind("\n", 0, edit.end) + 1) + 1}


def _fixes(finding: Finding, base: Path) -> list[dict]:
    """The finding's safe fix as SARIF: for each file it edits, its replacements in order."""
    if finding.fix is None or not finding.fix.safe:
        return []
    by_file: dict[Path, list[Edit]] = {}
    for edit in finding.fix.changes():
        by_file.setdefault(edit.path, []).append(edit)
    changes = []
    for path, edits in sorted(by_file.items()):
        text = _text(path)
        changes.append({"artifactLocation": _uri(os.path.relpath(path, base)),
                        "replacements": [{"deletedRegion": _region(text, edit), "insertedContent": {"text": edit.text}}
                                         for edit in sorted(edits, key=lambda e: (e.start, e.end))]})
    return [{"description": {"text": finding.fix.description}, "artifactChanges": changes}] if changes else []


def render(report: Report) -> str:
    from djlint_docker.docs import rule_page
    from djlint_docker.registry import REGISTRY

    codes = sorted({f.code for f in report.findings})
    index = {code: number for number, code in enumerate(codes)}
    rules = [{
        "id": code,
        "name": REGISTRY[code].name,
        "shortDescription": {"text": REGISTRY[code].summary},
        "fullDescription": {"text": REGISTRY[code].summary},
        "help": {"text": REGISTRY[code].summary, "markdown": rule_page(REGISTRY[code])},
        "defaultConfiguration": {"level": LEVELS[REGISTRY[code].severity]},
        "properties": {"tags": [REGISTRY[code].name]},
    } for code in codes]
    results = []
    for finding in report.findings:
        result = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [_location(finding.path, finding.line, finding.column)],
        }
        if finding.related:
            result["relatedLocations"] = [{"id": number, **_location(*where), "message": {"text": "involved here"}}
                                          for number, where in enumerate(finding.related, 1)]
        if fixes := _fixes(finding, report.base):
            result["fixes"] = fixes
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "djcheck", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://pypi.org/project/djlint-docker/", "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": report.base.resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(document, indent=2) + "\n"
