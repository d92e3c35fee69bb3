"""``--format gitlab``: GitLab Code Quality report (a JSON array of issues).

The fingerprint hashes the rule, the file and the message but not the line, so a
finding keeps its identity when lines above it move; equal findings in one file are
told apart by their order.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from djlint_docker.findings import Severity
from djlint_docker.report import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report) -> str:
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for finding in report.findings:
        key = (finding.code, finding.path, finding.message)
        seen[key] += 1
        fingerprint = hashlib.sha256("\0".join((*key, str(seen[key]))).encode()).hexdigest()
        issues.append({
            "description": f"{finding.code} {finding.message}",
            "check_name": finding.code,
            "fingerprint": fingerprint,
            "severity": SEVERITIES[finding.severity],
            "location": {"path": finding.path, "lines": {"begin": finding.line}},
        })
    return json.dumps(issues, indent=2) + "\n"
