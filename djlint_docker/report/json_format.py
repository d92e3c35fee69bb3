"""``--format json``: one object per finding; the keys are a contract for other tools."""

from __future__ import annotations

import json

from djlint_docker.report import Report


def render(report: Report) -> str:
    return json.dumps([{
        "code": f.code,
        "name": f.name,
        "severity": str(f.severity),
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "message": f.message,
        "related": [{"path": path, "line": line, "column": column} for path, line, column in f.related],
        "fix": {"message": f.fix.description, "applicability": "safe" if f.fix.safe else "unsafe"} if f.fix else None,
    } for f in report.findings], indent=2) + "\n"
