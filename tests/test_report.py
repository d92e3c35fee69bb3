"""Output formats and output options, each checked against what its consumer reads."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, djcheck, write_files

from djlint_docker.rules.snippets import MANAGE

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
TUTORIAL = FIXTURES / "tutorial"


def expected_findings() -> list[dict]:
    return json.loads(djcheck(["--format", "json"], TUTORIAL).output)


def test_sarif_is_valid_and_carries_every_finding():
    result = djcheck(["--format", "sarif"], TUTORIAL)
    assert result.exit_code == 1
    sarif = json.loads(result.output)
    jsonschema.validate(sarif, SCHEMA, cls=jsonschema.Draft7Validator)
    run = sarif["runs"][0]
    findings = expected_findings()
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]] \
        == [(f["code"], f["path"], f["line"]) for f in findings]
    assert {r["level"] for r in run["results"]} == {"error", "warning", "note"}
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f["code"] for f in findings})
    assert all(run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert all("## Why is this bad?" in r["help"]["markdown"] for r in rules)


def test_sarif_cross_file_findings_have_related_locations():
    run = json.loads(djcheck(["--format", "sarif"], TUTORIAL).output)["runs"][0]
    cross = next(r for r in run["results"] if r["ruleId"] == "DJC202")
    related = cross["relatedLocations"][0]["physicalLocation"]
    assert (related["artifactLocation"]["uri"], related["region"]["startLine"]) == ("catcollector/settings.py", 40)


def test_sarif_without_findings_is_valid():
    sarif = json.loads(djcheck(["--format", "sarif", "--select", "DJC001"], TUTORIAL).output)
    jsonschema.validate(sarif, SCHEMA, cls=jsonschema.Draft7Validator)
    assert sarif["runs"][0]["results"] == []


def test_github_workflow_commands():
    lines = djcheck(["--format", "github"], TUTORIAL).output.splitlines()
    findings = expected_findings()
    assert len(lines) == len(findings)
    first = findings[0]
    level = {"error": "error", "warning": "warning", "info": "notice"}[first["severity"]]
    assert lines[0].startswith(f"::{level} file={first['path']},line={first['line']},col={first['column']},"
                               f"title={first['code']} {first['name']}::{first['code']} ")


def test_github_escapes_what_would_end_a_command(tmp_path):
    from djlint_docker.findings import Finding, Severity
    from djlint_docker.report import Report
    from djlint_docker.report.github import render

    finding = Finding("DJC101", "runserver-without-bind", Severity.ERROR, "a,b:c.yml", 3, 1, "100% wrong\nsecond line")
    assert render(Report([finding], 1, tmp_path)) == ("::error file=a%2Cb%3Ac.yml,line=3,col=1,title=DJC101 "
                                                      "runserver-without-bind::DJC101 100%25 wrong%0Asecond line\n")


def test_gitlab_code_quality_with_fingerprints_that_survive_moved_lines(tmp_path):
    files = {"Dockerfile": "FROM python:3.12-slim\nCMD python manage.py runserver\n", "manage.py": MANAGE}
    write_files(tmp_path, files)
    before = json.loads(djcheck(["--format", "gitlab"], tmp_path).output)
    assert {"description", "check_name", "fingerprint", "severity", "location"} == set(before[0])
    assert {i["severity"] for i in before} <= {"info", "minor", "major", "critical", "blocker"}
    assert len({i["fingerprint"] for i in before}) == len(before)
    (tmp_path / "Dockerfile").write_text("# a new first line\n" + files["Dockerfile"])
    after = json.loads(djcheck(["--format", "gitlab"], tmp_path).output)
    assert {i["fingerprint"] for i in after} == {i["fingerprint"] for i in before}
    assert {i["location"]["lines"]["begin"] for i in after if i["check_name"] == "DJC101"} == {3}


def test_junit_counts_and_cases():
    root = ET.fromstring(djcheck(["--format", "junit"], TUTORIAL).output)
    findings = expected_findings()
    assert root.tag == "testsuites" and int(root.get("failures")) == len(findings)
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(findings)
    assert {c.find("failure").get("type") for c in cases} == {f["code"] for f in findings}


def test_junit_without_findings():
    root = ET.fromstring(djcheck(["--format", "junit", "--select", "DJC001"], TUTORIAL).output)
    assert root.get("tests") == "0" and root.find("testsuite") is not None


def test_show_source_marks_the_line():
    output = djcheck(["--show-source", "--select", "DJC201"], TUTORIAL).output
    assert output.splitlines()[1:4] == ["   |", "14 |     command: python manage.py runserver", "   |     ^"]


def test_quiet_leaves_out_the_summary():
    loud = djcheck([], TUTORIAL).output.splitlines()
    assert djcheck(["--quiet"], TUTORIAL).output.splitlines() == loud[:-1]
    assert loud[-1].startswith("Found ")


def test_statistics_count_per_rule(tmp_path):
    write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                                          "      SENTRY_DSN: ${SENTRY_DSN}\n      SITE_URL: ${SITE_URL}\n",
                           "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE})
    findings = json.loads(djcheck(["--format", "json"], tmp_path).output)
    table = djcheck(["--statistics"], tmp_path).output.splitlines()
    assert table[0].split() == ["2", "DJC214", "warning", "undefined-variable"]  # the most frequent first
    assert sum(int(line.split()[0]) for line in table) == len(findings)
    counted = json.loads(djcheck(["--statistics", "--format", "json"], tmp_path).output)
    assert {c["code"]: c["count"] for c in counted}["DJC214"] == 2
    assert djcheck(["--statistics", "--format", "sarif"], TUTORIAL).exit_code == 2


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "gitlab", "junit"])
def test_output_file_gets_the_report_without_colour(tmp_path, output_format):
    target = tmp_path / "report.out"
    result = djcheck(["--format", output_format, "--color", "always", "--output", str(target)], TUTORIAL)
    assert result.exit_code == 1 and result.output == ""
    written = target.read_text()
    assert written and "\x1b[" not in written
    assert written == djcheck(["--format", output_format], TUTORIAL).output


def test_exit_zero_keeps_the_report():
    result = djcheck(["--exit-zero"], TUTORIAL)
    assert result.exit_code == 0 and "DJC201" in result.output


def _apply(text: str, replacements: list[dict]) -> str:
    for replacement in sorted(replacements, key=lambda r: r["deletedRegion"]["charOffset"], reverse=True):
        region = replacement["deletedRegion"]
        start, end = region["charOffset"], region["charOffset"] + region["charLength"]
        lines = text[:start].split("\n")
        assert (region["startLine"], region["startColumn"]) == (len(lines), len(lines[-1]) + 1)
        text = text[:start] + replacement["insertedContent"]["text"] + text[end:]
    return text


def test_sarif_carries_each_safe_fix_as_the_replacements_djcheck_applies(tmp_path):
    import shutil

    from conftest import lint

    project = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, project)
    sarif = json.loads(djcheck(["--format", "sarif"], project).output)
    jsonschema.validate(sarif, SCHEMA, cls=jsonschema.Draft7Validator)
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    findings = {(f.code, f.path, f.line): f for f in lint(project)}
    fixed = [r for r in run["results"] if "fixes" in r]
    assert len(fixed) >= 5  # the tutorial has safe fixes in its Dockerfile, compose file and ignore files
    where = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in fixed]
    assert sorted(where) == sorted(key for key, f in findings.items() if f.fixable(unsafe=False))
    for result, key in zip(fixed, where, strict=True):
        (fix,) = result["fixes"]
        expected: dict[Path, str] = {}
        for edit in sorted(findings[key].fix.changes(), key=lambda e: e.start, reverse=True):
            before = expected.get(edit.path, edit.path.read_text() if edit.path.exists() else "")
            expected[edit.path] = before[:edit.start] + edit.text + before[edit.end:]
        for change in fix["artifactChanges"]:
            path = project / change["artifactLocation"]["uri"]
            original = path.read_text() if path.exists() else ""
            assert _apply(original, change["replacements"]) == expected[path]
        assert fix["description"]["text"]
