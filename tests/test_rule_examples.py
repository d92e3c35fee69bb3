"""Every rule's examples are its tests: where it must fire, where it must stay silent, and what its fix writes."""

from __future__ import annotations

import re
import subprocess
from pathlib import PurePath

import pytest
from conftest import all_examples, djcheck, example_id, examples, lint, tool, write_files
from hypothesis import given, settings
from hypothesis import strategies as st

from djlint_docker.engine import all_rules
from djlint_docker.fix import parses
from djlint_docker.kinds import kind

try:
    import dockerfile as buildkit  # the oracle, a test dependency
except ImportError:  # pragma: no cover - CI has it; a partial install still runs the rest
    buildkit = None

CASES = all_examples()


@pytest.mark.parametrize("case", CASES, ids=[example_id(c) for c in CASES])
def test_example(tmp_path, case):
    rule, example = case
    write_files(tmp_path, example.files)
    found = sorted((f.path, f.line) for f in lint(tmp_path, None if rule.default else [rule]) if f.code == rule.code)
    assert found == sorted(example.expect)


FIXED = [case for case in CASES if case[1].fixed]


@pytest.mark.parametrize("case", FIXED, ids=[example_id(c) + "-fixed" for c in FIXED])
def test_fix_writes_exactly_the_fixed_files(tmp_path, case):
    """The rule's fix alone (``--select``), with ``--unsafe-fixes`` for an unsafe one: exact bytes, a fixed point."""
    rule, example = case
    write_files(tmp_path, example.files)
    flags = ["--select", rule.code, *(["--unsafe-fixes"] if rule.fix == "unsafe" else [])]
    before = _snapshot(tmp_path)
    shown = djcheck(["--diff", *flags], tmp_path).output
    assert _snapshot(tmp_path) == before, "--diff wrote a file"
    assert all(f"+++ b/{path}" in shown for path in example.fixed)
    compose_before = _compose_reads(tmp_path) if any(kind(PurePath(p)) == "compose" for p in example.fixed) else None
    flags.insert(0, "--fix")
    djcheck(flags, tmp_path)
    if compose_before:
        assert _compose_reads(tmp_path), "docker-compose refuses the fixed files"
    after = _snapshot(tmp_path)
    assert after == {**before, **{path: text.encode() for path, text in example.fixed.items()}}
    for path, text in example.fixed.items():
        assert parses(tmp_path / path, text), f"{path} no longer reads as its kind of file"
        if kind(PurePath(path)) == "dockerfile" and buildkit is not None:
            buildkit.parse_string(text)  # BuildKit's own parser accepts the fixed Dockerfile
    left = [f for f in lint(tmp_path) if f.code == rule.code and f.fixable(unsafe=True)]
    assert not left, f"a fixable {rule.code} finding is left: {left}"
    djcheck(flags, tmp_path)
    assert _snapshot(tmp_path) == after, "a second --fix changed the files"


def _compose_reads(root) -> bool:
    """Whether the real Compose binary reads the stack in ``root`` (False when it is not installed)."""
    compose = tool("docker-compose")
    return compose is not None and subprocess.run([compose, "config", "--quiet"], cwd=root, capture_output=True,
                                                  check=False, timeout=60).returncode == 0


def _snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.fix], ids=lambda r: r.code)
def test_fix_safety_is_declared_as_the_docs_say(rule):
    section = rule.doc.partition("## Fix safety")[2].split()
    assert section and section[0].rstrip(":,.").lower() == rule.fix


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.code != "DJC404"], ids=lambda r: r.code)
def test_rule_has_firing_and_silent_examples(rule):
    assert any(e.expect for e in rule.examples), f"{rule.code} has no example where it fires"
    assert any(not e.expect for e in rule.examples), f"{rule.code} has no example where it stays silent"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_documentation_sections(rule):
    headings = re.findall(r"^## (.+)$", rule.doc, re.M)
    expected = ["What it does", "Why is this bad?", "Example"] + (["Fix safety"] if rule.fixable else []) + ["References"]
    assert headings == expected
    assert rule.summary and not rule.summary.startswith("#")


def test_rule_metadata_matches_catalogue():
    catalogue = (__import__("pathlib").Path(__file__).parent / "catalogue.txt").read_text().split()
    registered = {f"{r.code}:{r.name}:{r.severity}" for r in all_rules()}
    assert registered <= set(catalogue)


def test_every_finding_of_an_example_names_its_rule(tmp_path):
    rule, example = next(c for c in CASES if c[0].code == "DJC101" and c[1].expect)
    write_files(tmp_path, example.files)
    finding = lint(tmp_path, [rule])[0]
    assert (finding.code, finding.name, str(finding.severity)) == ("DJC101", "runserver-without-bind", "error")
    assert "0.0.0.0:8000" in finding.message




SPECIFIERS = st.lists(st.tuples(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "~="]),
                                st.from_regex(r"[2-7](\.[0-9]{1,2}){0,3}", fullmatch=True)).map("".join),
                      min_size=1, max_size=3).map(",".join)


@settings(max_examples=examples(300), deadline=None)
@given(SPECIFIERS)
def test_django_releases_a_specifier_allows_agree_with_packaging(specifier):
    """DJC114 compares plain numeric specifiers itself; packaging's SpecifierSet is the oracle."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from djlint_docker.rules.dockerfile.djc114_python_django_mismatch import DJANGO_PYTHON, LAST_PATCH, _releases

    try:
        allowed = SpecifierSet(specifier)
    except InvalidSpecifier:
        return
    expected = [(int(f.split(".")[0]), int(f.split(".")[1]), patch) for f in DJANGO_PYTHON
                for patch in range(LAST_PATCH + 1) if allowed.contains(f"{f}.{patch}", prereleases=False)]
    assert list(_releases(specifier)) == expected
