"""End to end: the ``djcheck`` command on the fixtures, compared whole, and its options."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, write_files

from djlint_docker.cli import main
from djlint_docker.findings import Severity
from djlint_docker.registry import REGISTRY, Rule

FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def run(args, cwd, env=None):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


def outside_git(name, tmp_path):
    """A copy of a fixture outside this repository: its env files stand for a user's own, which its .gitignore keeps
    out of git, while this repository tracks them to keep the fixture whole (djcheck reads what git tracks)."""
    copy = tmp_path / name
    shutil.copytree(FIXTURES / name, copy, symlinks=True)
    return copy


@pytest.mark.parametrize("name", FIXTURE_NAMES)
@pytest.mark.parametrize("output", ["text", "json"])
def test_fixture_output_is_exactly_as_expected(name, output, tmp_path):
    fixture = outside_git(name, tmp_path)
    result = run(["--format", output], fixture)
    expected = (ROOT / "tests" / "expected" / f"{name}.{'txt' if output == 'text' else 'json'}").read_text()
    assert result.output == expected
    assert result.exit_code == (1 if json.loads(run(["--format", "json"], fixture).output) else 0)


@pytest.mark.parametrize("name", [n for n in FIXTURE_NAMES if n.endswith("-good") or n == "production"])
def test_correct_fixtures_report_no_warnings_or_errors(name, tmp_path):
    findings = json.loads(run(["--format", "json"], outside_git(name, tmp_path)).output)
    assert [f for f in findings if f["severity"] != "info"] == []


@pytest.mark.parametrize("name", [n for n in FIXTURE_NAMES if n.endswith("-broken") or n == "tutorial"])
def test_broken_fixtures_report_errors(name):
    findings = json.loads(run(["--format", "json"], FIXTURES / name).output)
    assert any(f["severity"] == "error" for f in findings)


def test_production_fixture_has_no_findings():
    result = run([], FIXTURES / "production")
    assert result.exit_code == 0
    assert result.output == "All checks passed (1 setup checked).\n"


def test_broken_input_still_checks_every_other_file():
    findings = json.loads(run(["--format", "json"], FIXTURES / "broken-input").output)
    parse_errors = {(f["path"], f["line"]) for f in findings if f["code"] == "DJC001"}
    assert parse_errors == {("docker-compose.yml", 7), ("mysite/settings.py", 2)}
    assert {"DJC101", "DJC109"} <= {f["code"] for f in findings if f["path"] == "Dockerfile"}


def test_paths_are_relative_to_where_djcheck_runs():
    findings = json.loads(run(["--format", "json", "fixtures/tutorial"], ROOT).output)
    assert {f["path"].split("/")[0] for f in findings} == {"fixtures"}
    assert all(os.path.exists(ROOT / f["path"]) or f["path"].startswith("fixtures/tutorial/")
               for f in findings)


def test_json_contract():
    findings = json.loads(run(["--format", "json"], FIXTURES / "tutorial").output)
    assert findings
    for finding in findings:
        assert set(finding) == {"code", "name", "severity", "path", "line", "column", "message", "related", "fix"}
        assert finding["severity"] in {"error", "warning", "info"}
        assert finding["fix"] is None or finding["fix"]["applicability"] in {"safe", "unsafe"}
        assert isinstance(finding["line"], int) and finding["line"] >= 1
    assert next(f for f in findings if f["code"] == "DJC201")["fix"] == {"message": "bind 0.0.0.0:8000",
                                                                         "applicability": "safe"}
    cross = next(f for f in findings if f["code"] == "DJC202")
    assert cross["related"] == [{"path": "catcollector/settings.py", "line": 40, "column": 1}]


def test_select_and_ignore_by_code_prefix_and_name():
    def codes(*args):
        return {f["code"] for f in json.loads(run(["--format", "json", *args], FIXTURES / "tutorial").output)}

    assert codes("--select", "DJC1") == {"DJC103", "DJC106", "DJC108", "DJC110", "DJC114"}
    assert codes("--select", "DJC1", "--ignore", "runs-as-root,DJC110") == {"DJC103", "DJC106", "DJC114"}
    assert codes("--ignore", "DJC2", "--select", "DJC201") == {"DJC201"}
    assert codes("--select", "DJC2", "--ignore", "compose-version-obsolete") == {"DJC201", "DJC202", "DJC205", "DJC207", "DJC209"}


def test_an_opt_in_rule_runs_only_when_a_selection_names_it(tmp_path):
    """DJC204 is opt-in: the default selection leaves it off; its code, a prefix of it or its name turns it on,
    in the configuration as on the command line."""
    def codes(*args, cwd=FIXTURES / "tutorial"):
        return {f["code"] for f in json.loads(run(["--format", "json", *args], cwd).output)}

    assert "DJC204" not in codes()
    assert "DJC204" in codes("--extend-select", "DJC204")
    assert "DJC204" in codes("--extend-select", "compose-version-obsolete")
    assert "DJC204" in codes("--select", "DJC2")
    assert "DJC204" not in codes("--extend-select", "DJC2", "--ignore", "DJC204")
    fixture = outside_git("tutorial", tmp_path)
    (fixture / ".djcheck.toml").write_text('extend-select = ["DJC204"]\n')
    assert "DJC204" in codes(cwd=fixture)


def test_unknown_rule_is_a_usage_error():
    result = run(["--select", "DJC999"], FIXTURES / "tutorial")
    assert result.exit_code == 2
    assert "DJC999" in result.output


def test_missing_path_is_a_usage_error(tmp_path):
    assert run(["does-not-exist"], tmp_path).exit_code == 2


def test_no_setup_found_is_said_and_exits_zero(tmp_path):
    write_files(tmp_path, {"README.md": "hello\n"})
    result = subprocess.run([sys.executable, "-m", "djlint_docker"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0
    assert "no Docker setup" in result.stderr


def test_colour_only_when_asked_or_on_a_terminal():
    plain = run([], FIXTURES / "tutorial").output
    assert "\x1b[" not in plain
    assert "\x1b[" in run(["--color", "always"], FIXTURES / "tutorial").output


def test_no_color_environment_wins_on_a_terminal(tmp_path):
    script = ("import sys, os; sys.stdout.isatty = lambda: True; os.chdir(sys.argv[1]); "
              "from djlint_docker.cli import main; main(['--color', 'auto'])")
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-c", script, str(FIXTURES / "tutorial")], capture_output=True,
                            text=True, env=env)
    assert "\x1b[" not in result.stdout and result.returncode == 1


def test_a_rule_that_raises_becomes_a_finding_and_the_run_goes_on(tmp_path, monkeypatch):
    def explode(project):
        raise ValueError("boom")

    broken = Rule("DJC101", "runserver-without-bind", Severity.ERROR, explode, "safe", False, (), __name__)
    monkeypatch.setitem(REGISTRY, "DJC101", broken)
    result = run(["--format", "json"], FIXTURES / "tutorial")
    findings = json.loads(result.output)
    crash = [f for f in findings if f["code"] == "DJC101"]
    assert len(crash) == 1 and "internal error" in crash[0]["message"] and "boom" in crash[0]["message"]
    assert any(f["code"] == "DJC201" for f in findings)
    assert result.exit_code == 1


def test_module_entry_point_and_version():
    result = subprocess.run([sys.executable, "-m", "djlint_docker", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("djcheck, version ")


@pytest.mark.parametrize(("flags", "status"), [(["--format", "json"], 1), (["--format", "json", "--exit-zero"], 0),
                                               (["--no-such-flag"], 2)])
def test_the_console_entry_flushes_the_whole_report_and_keeps_the_status(flags, status):
    """The command ends with os._exit: what it wrote to a pipe is still whole, and the exit status is kept."""
    result = subprocess.run([sys.executable, "-m", "djlint_docker", *flags], cwd=FIXTURES / "tutorial",
                            capture_output=True, text=True)
    assert result.returncode == status
    if status == 2:
        assert "No such option '--no-such-flag'" in result.stderr and not result.stdout
    else:
        assert result.stdout == (ROOT / "tests" / "expected" / "tutorial.json").read_text()


def test_several_setups_are_each_checked(tmp_path):
    for name in ("tutorial", "production"):
        for path in (FIXTURES / name).rglob("*"):
            if path.is_file():
                target = tmp_path / name / path.relative_to(FIXTURES / name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    result = run([], tmp_path)
    assert "in 2 setups." in result.output.splitlines()[-1]
    assert all(line.startswith("tutorial/") for line in result.output.splitlines()[:-1])
