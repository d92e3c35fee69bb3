"""DJC404 and safe reading, on a real file system: ownership, permissions, links, FIFOs."""

from __future__ import annotations

import os

import pytest
from conftest import FIXTURES, lint, write_files

from djlint_docker.findings import Severity
from djlint_docker.registry import REGISTRY

USER = 1000
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="creating files of other users needs root")


def tutorial(tmp_path):
    files = {str(p.relative_to(FIXTURES / "tutorial")): p.read_bytes()
             for p in (FIXTURES / "tutorial").rglob("*") if p.is_file()}
    return write_files(tmp_path, files)


def as_user(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: USER)
    monkeypatch.setattr(os, "getegid", lambda: USER)
    monkeypatch.setattr(os, "getgroups", lambda: [USER])


def chown_tree(root, uid):
    for folder, dirs, files in os.walk(root):
        for name in [folder] + [os.path.join(folder, n) for n in dirs + files]:
            os.lchown(name, uid, uid)


def djc404(root):
    return [(f.path, str(f.severity)) for f in lint(root, [REGISTRY["DJC404"]])]


@needs_root
def test_root_owned_data_directory_is_an_error_reported_once(tmp_path, monkeypatch):
    root = tutorial(tmp_path)
    chown_tree(root, USER)
    (root / "data" / "db").mkdir(parents=True)
    (root / "data" / "db" / "PG_VERSION").write_text("16\n")
    os.chown(root / "data", 0, 0)
    os.chown(root / "data" / "db", 999, 999)
    os.chmod(root / "data" / "db", 0o700)
    as_user(monkeypatch)
    findings = lint(root, [REGISTRY["DJC404"]])
    assert [(f.path, f.severity) for f in findings] == [("data", Severity.ERROR)]
    assert ".dockerignore" in findings[0].message and "chown" in findings[0].message
    assert findings[0].related[0][:2] == ("docker-compose.yml", 7)


@needs_root
def test_unreadable_folder_owned_by_another_user_is_an_error(tmp_path, monkeypatch):
    root = tutorial(tmp_path)
    chown_tree(root, USER)
    (root / "pgdata").mkdir()
    os.chown(root / "pgdata", 999, 999)
    os.chmod(root / "pgdata", 0o700)
    as_user(monkeypatch)
    assert djc404(root) == [("pgdata", "error")]


@needs_root
def test_root_owned_sources_are_a_warning(tmp_path, monkeypatch):
    root = tutorial(tmp_path)
    chown_tree(root, USER)
    os.chown(root / "manage.py", 0, 0)
    as_user(monkeypatch)
    assert djc404(root) == [("manage.py", "warning")]


@needs_root
def test_excluded_by_dockerignore_is_fine(tmp_path, monkeypatch):
    root = tutorial(tmp_path)
    (root / ".dockerignore").write_text(".git\n/data\n")
    (root / "data" / "db").mkdir(parents=True)
    chown_tree(root, USER)
    os.chown(root / "data", 0, 0)
    as_user(monkeypatch)
    assert djc404(root) == []


def test_running_as_root_reports_no_ownership(tmp_path, monkeypatch):
    root = tutorial(tmp_path)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert djc404(root) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_folder_as_a_normal_user(tmp_path):
    root = tutorial(tmp_path)
    (root / "secret").mkdir()
    os.chmod(root / "secret", 0)
    try:
        assert djc404(root) == [("secret", "error")]
    finally:
        os.chmod(root / "secret", 0o755)


def test_link_out_of_the_project_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    write_files(outside, {"settings.py": "DEBUG = True\n"})
    root = tutorial(tmp_path / "project")
    (root / "catcollector" / "settings.py").unlink()
    (root / "catcollector" / "settings.py").symlink_to(outside / "settings.py")
    findings = lint(root)
    unreadable = [f for f in findings if f.code == "DJC002"]
    assert [(f.path, f.line) for f in unreadable] == [("catcollector/settings.py", 1)]
    assert "out of the project" in unreadable[0].message
    assert not any(f.code == "DJC301" for f in findings)
    assert any(f.code == "DJC201" for f in findings)


def test_folder_linked_out_of_the_project_names_the_folder_not_the_file(tmp_path):
    outside = write_files(tmp_path / "outside", {"settings.py": "DEBUG = True\n", "__init__.py": ""})
    root = tutorial(tmp_path / "project")
    (root / "catcollector").rename(root / "catcollector.old")
    (root / "catcollector").symlink_to(outside, target_is_directory=True)
    unreadable = [f for f in lint(root) if f.code == "DJC002" and f.path == "catcollector/settings.py"]
    assert len(unreadable) == 1
    assert "catcollector, a symbolic link to a folder out of the project" in unreadable[0].message
    assert "symbolic link out of the project" not in unreadable[0].message


def test_fifo_is_reported_not_read(tmp_path):
    root = tutorial(tmp_path)
    (root / "Dockerfile").unlink()
    os.mkfifo(root / "Dockerfile")
    findings = lint(root)
    assert [(f.code, f.path) for f in findings if f.code == "DJC002"] == [("DJC002", "Dockerfile")]
    assert "not a regular file" in next(f.message for f in findings if f.code == "DJC002")


def test_directory_where_a_file_belongs(tmp_path):
    root = write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build: .\n", "manage.py": "",
                                  "Dockerfile/readme": "x\n"})
    findings = lint(root)
    assert [(f.code, f.path, f.line) for f in findings if f.code == "DJC002"] == [("DJC002", "Dockerfile", 1)]


def test_nothing_is_written(tmp_path):
    root = tutorial(tmp_path)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*") if p.is_file()}
    lint(root)
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*") if p.is_file()} == before


SHOP_BUILT_FROM_ABOVE = {
    "docker/compose.yaml": "services:\n  web:\n    build:\n      context: ..\n      dockerfile: docker/Dockerfile\n",
    "docker/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                         "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
    "requirements.txt": "Django==5.1.3\n", ".dockerignore": ".env\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"}
"""A project outside git whose compose file in ``docker/`` builds from ``..``."""


def test_outside_git_the_boundary_is_the_folder_checked(tmp_path):
    """A compose file in docker/ that builds from ``..``: the files of the folder checked are read, none is a link."""
    from djlint_docker import engine

    root = tmp_path / "shop"
    write_files(root, SHOP_BUILT_FROM_ABOVE)
    assert not [f for f in lint(root) if f.code == "DJC002"]
    unread = [f for f in engine.lint([root / "docker"], root / "docker").findings if f.code == "DJC002"]
    assert sorted(f.path for f in unread) == ["../.dockerignore", "../requirements.txt"]
    assert all("outside the folder djcheck checks" in f.message and "link" not in f.message for f in unread)


def test_outside_git_the_boundary_is_the_folder_given_not_the_one_djcheck_runs_in(tmp_path):
    """``djcheck shop/docker`` run from above ``shop`` reads nothing of ``shop`` outside ``docker/``."""
    from djlint_docker import engine

    root = tmp_path / "shop"
    write_files(root, SHOP_BUILT_FROM_ABOVE)
    unread = [f for f in engine.lint([root / "docker"], tmp_path).findings if f.code == "DJC002"]
    assert sorted(f.path for f in unread) == ["shop/.dockerignore", "shop/requirements.txt"]
    assert all("outside the folder djcheck checks (shop/docker)" in f.message for f in unread)
    assert not [f for f in engine.lint([root], tmp_path).findings if f.code == "DJC002"]
