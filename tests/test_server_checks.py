"""The language server's checks without the protocol: the same findings as ``djcheck``, only the setups a change
touches checked again, unsaved texts read, files whose findings went away named, and the edits of its code actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, lint, write_files

from djlint_docker.findings import Finding, Severity
from djlint_docker.server.checks import Checker, FileReport, ignore_edit, smallest_edit

FIXTURE_NAMES = sorted(path.name for path in FIXTURES.iterdir() if path.is_dir())


def _shown(finding: Finding) -> tuple:
    return finding.code, finding.path, finding.line, finding.column, finding.message, finding.severity


def _findings(reports: list[FileReport]) -> list[tuple]:
    return sorted(_shown(finding) for report in reports for finding in report.findings)


def _by_name(reports: list[FileReport]) -> dict[str, list[str]]:
    return {report.path.name: sorted(f.code for f in report.findings) for report in reports}


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_the_server_reports_what_djcheck_reports(name):
    root = (FIXTURES / name).resolve()
    result = Checker([root]).check(root, [], {})
    assert _findings(result.reports) == sorted(_shown(f) for f in lint(root) if (root / f.path).is_file())


STACK = ("services:\n  web:\n    build: .\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n"
         "    environment:\n      DJANGO_SETTINGS_MODULE: app.settings\n")
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
WSGI = MANAGE + "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
SECRET_FROM_ENVIRONMENT = "import os\nSECRET_KEY = os.environ['SECRET_KEY']  # djcheck: ignore[DJC307]\n"


def _project(root: Path, files: dict[str, str]) -> Path:
    write_files(root, {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "manage.py": MANAGE, **files})
    (root / ".git").mkdir(exist_ok=True)
    return root.resolve()


def test_a_comment_in_a_file_two_stacks_share_is_used_when_either_needs_it(tmp_path):
    """Stack ``compose.yaml`` sets SECRET_KEY, ``compose.prod.yaml`` does not: its DJC307 uses the comment."""
    root = _project(tmp_path / "site", {
        "compose.yaml": STACK + "      SECRET_KEY: ${SECRET_KEY:?}\n", "compose.prod.yaml": STACK,
        "app/__init__.py": "", "app/wsgi.py": WSGI, "app/settings.py": SECRET_FROM_ENVIRONMENT})
    result = Checker([root]).check(root, [], {})
    assert "DJC004" not in _by_name(result.reports)["settings.py"]
    assert _findings(result.reports) == sorted(_shown(f) for f in lint(root))


def test_a_change_checks_again_only_the_setups_that_read_the_file(tmp_path):
    root = tmp_path / "repo"
    one = _project(root / "one", {"compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver\n"})
    _project(root / "two", {"compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver\n"})
    checker = Checker([root])
    first = checker.check(root.resolve(), [], {})
    assert {report.path.parent.name for report in first.reports} == {"one", "two"}
    compose = one / "compose.yaml"
    fixed = {compose: "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"}
    again = checker.check(root.resolve(), [compose], fixed)
    assert {report.path.parent.name for report in again.reports} == {"one"}
    assert "DJC201" not in _by_name(again.reports)["compose.yaml"]
    assert compose.read_text().endswith("runserver\n")  # the unsaved text was read, the file left alone


def test_findings_that_went_away_are_reported_as_none(tmp_path):
    root = _project(tmp_path / "site", {"compose.yaml": STACK, "app/__init__.py": "", "app/wsgi.py": WSGI,
                                        "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"})
    checker = Checker([root])
    settings = root / "app/settings.py"
    assert "DJC307" in _by_name(checker.check(root, [], {}).reports)["settings.py"]
    compose = root / "compose.yaml"
    with_key = {compose: STACK + "      SECRET_KEY: ${SECRET_KEY:?}\n"}
    reports = {report.path: report for report in checker.check(root, [compose], with_key).reports}
    assert settings in reports and "DJC307" not in [f.code for f in reports[settings].findings]
    compose.unlink()  # no setup is left: every file it showed findings in is named, with none
    (root / "Dockerfile").unlink()
    checker.forget(root)
    gone = checker.check(root, [compose], {})
    assert gone.reports and all(not report.findings for report in gone.reports)
    assert checker.check(root, [compose], {}).reports == []


def test_a_file_created_on_disk_checks_every_setup_again(tmp_path):
    root = _project(tmp_path / "site", {"compose.yaml": STACK, "app/__init__.py": "", "app/wsgi.py": WSGI,
                                        "app/settings.py": "SECRET_KEY = 'x'\n"})
    checker = Checker([root])
    assert "DJC401" in _by_name(checker.check(root, [], {}).reports)["Dockerfile"]
    ignore = write_files(root, {".dockerignore": ".git\n.env\n"}) / ".dockerignore"
    assert checker.check(root, [ignore], {}).reports == []  # unsaved: nobody read it, nothing to check again
    checker.forget(root)  # saved (or created, as the client's file watcher says)
    assert "DJC401" not in _by_name(checker.check(root, [ignore], {}).reports)["Dockerfile"]


def test_a_rule_that_raises_is_a_note_not_a_diagnostic(tmp_path, monkeypatch):
    from djlint_docker.registry import REGISTRY, Rule

    def explode(project):
        raise ValueError("boom")

    monkeypatch.setitem(REGISTRY, "DJC101", Rule("DJC101", "runserver-without-bind", Severity.ERROR, explode, "safe",
                                                 False, (), __name__))
    root = _project(tmp_path / "site", {"compose.yaml": STACK})
    result = Checker([root]).check(root, [], {})
    assert any("DJC101" in note and "boom" in note for note in result.notes)
    assert all(report.path.is_file() for report in result.reports)


def test_a_configuration_djcheck_cannot_use_raises(tmp_path):
    from djlint_docker.config import ConfigError

    root = _project(tmp_path / "site", {"compose.yaml": STACK, ".djcheck.toml": "selekt = []\n"})
    with pytest.raises(ConfigError):
        Checker([root]).check(root, [], {})


def test_the_root_is_the_innermost_workspace_folder_else_the_repository(tmp_path):
    outer = _project(tmp_path / "outer", {})
    inner = (outer / "inner").resolve()
    inner.mkdir()
    checker = Checker([outer, inner])
    assert checker.root_of(inner / "compose.yaml") == inner
    assert checker.root_of(outer / "app" / "settings.py") == outer
    assert Checker().root_of(outer / "app" / "settings.py") == outer
    assert Checker().root_of(tmp_path / "loose" / "Dockerfile") == (tmp_path / "loose").resolve()


def test_smallest_edit():
    path = Path("x")
    assert smallest_edit(path, "abcdef", "abXYef").start == 2
    edit = smallest_edit(path, "abcdef", "abXYef")
    assert (edit.start, edit.end, edit.text) == (2, 4, "XY")
    edit = smallest_edit(path, "aaa", "aaaa")
    assert "aaa"[:edit.start] + edit.text + "aaa"[edit.end:] == "aaaa"
    edit = smallest_edit(path, "same", "same")
    assert (edit.start, edit.end, edit.text) == (4, 4, "")


def _finding(code: str, line: int) -> Finding:
    return Finding(code, "name", Severity.WARNING, "f", line, 1, "message")


def test_ignore_edit_places_the_comment_as_add_ignore_does():
    dockerfile = "FROM python:3.12\nRUN pip install \\\n    django\n"
    edit = ignore_edit(Path("Dockerfile"), dockerfile, _finding("DJC110", 3))
    assert edit is not None
    assert dockerfile[:edit.start] + edit.text + dockerfile[edit.end:] == (
        "FROM python:3.12\n# djcheck: ignore[DJC110]\nRUN pip install \\\n    django\n")
    settings = "DEBUG = True  # local\n"
    edit = ignore_edit(Path("settings.py"), settings, _finding("DJC301", 1))
    assert edit is not None
    assert settings[:edit.start] + edit.text + settings[edit.end:] == "DEBUG = True  # djcheck: ignore[DJC301] # local\n"
    assert ignore_edit(Path("settings.py"), settings, _finding("DJC004", 1)) is None  # a comment's own fault
