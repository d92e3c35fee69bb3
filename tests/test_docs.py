"""The rule reference: generated pages in rules/, --explain and --list-rules."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, djcheck

from djlint_docker.docs import pages, rule_page
from djlint_docker.engine import all_rules
from djlint_docker.registry import REGISTRY

RULES = ROOT / "rules"


def test_rule_pages_are_current():
    expected = pages(all_rules())
    present = {p.name for p in RULES.glob("*.md")}
    assert present == set(expected), "rules/ is stale: run python -m djlint_docker.docs rules"
    stale = [name for name, text in expected.items() if (RULES / name).read_text(encoding="utf-8") != text]
    assert not stale, f"rules/ is stale ({', '.join(stale)}): run python -m djlint_docker.docs rules"


def test_every_rule_page_has_the_fixed_sections_and_a_reference():
    for rule in all_rules():
        page = rule_page(rule)
        assert page.startswith(f"# {rule.code} {rule.name}\n\n{rule.summary}\n")
        references = page.split("## References\n", 1)[1]
        assert references.strip().startswith("- "), rule.code


@pytest.mark.parametrize("asked", ["DJC101", "djc101", "runserver-without-bind"])
def test_explain_by_code_or_name(tmp_path, asked):
    result = djcheck(["--explain", asked], tmp_path)
    assert result.exit_code == 0
    assert result.output == rule_page(REGISTRY["DJC101"])


@pytest.mark.parametrize("asked", ["DJC1", "DJC999", "runserver"])
def test_explain_needs_one_rule(tmp_path, asked):
    result = djcheck(["--explain", asked], tmp_path)
    assert result.exit_code == 2 and "--list-rules" in result.output


def test_list_rules_text_and_json(tmp_path):
    lines = djcheck(["--list-rules"], tmp_path).output.splitlines()
    assert [line.split()[0] for line in lines] == [r.code for r in all_rules()]
    assert lines[0].split()[:3] == ["DJC001", "parse-error", "error"]
    table = json.loads(djcheck(["--list-rules", "--format", "json"], tmp_path).output)
    assert {r["code"]: r["fix"] for r in table}["DJC101"] is True
    assert set(table[0]) == {"code", "name", "severity", "fix", "default", "summary"}
    assert [r["code"] for r in table if not r["default"]] == ["DJC204", "DJC212"]
