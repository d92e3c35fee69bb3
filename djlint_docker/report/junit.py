"""``--format junit``: JUnit XML, one test suite per file and one failing test case per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from djlint_docker.report import Report


def render(report: Report) -> str:
    suites = ET.Element("testsuites", name="djcheck", tests=str(len(report.findings)),
                        failures=str(len(report.findings)), errors="0")
    if not report.findings:
        ET.SubElement(suites, "testsuite", name="djcheck", tests="0", failures="0", errors="0", skipped="0")
    for path, group in groupby(report.findings, key=lambda f: f.path):
        findings = list(group)
        suite = ET.SubElement(suites, "testsuite", name=path, tests=str(len(findings)),
                              failures=str(len(findings)), errors="0", skipped="0")
        for finding in findings:
            case = ET.SubElement(suite, "testcase", classname=path,
                                 name=f"{finding.code} {finding.name} ({path}:{finding.line}:{finding.column})",
                                 file=path, line=str(finding.line))
            failure = ET.SubElement(case, "failure", message=finding.message, type=finding.code)
            failure.text = (f"{path}:{finding.line}:{finding.column}: "
                            f"{finding.code} {finding.severity}: {finding.message}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
