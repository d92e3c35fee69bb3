"""``--format sarif``: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

Each rule that has a finding is described with its summary and its documentation
page; a finding that involves other files lists them as ``relatedLocations``.
"""

from __future__ import annotations

import json

from djlint_docker import __version__
from djlint_docker.findings import Severity
from djlint_docker.report import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(path: str, line: int, column: int) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": path.replace("\\", "/"), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": line, "startColumn": column},
    }}


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
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "djcheck", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://pypi.org/project/djlint-docker/", "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": report.base.resolve().as_uri() + "/"}},
            "results": results,
        }],
    }
    return json.dumps(document, indent=2) + "\n"
