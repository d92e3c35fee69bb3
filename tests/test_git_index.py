"""What git tracks, read from its index: tracked_paths against `git ls-files`, and a tracked file that the
.gitignore lists (DJC412, DJC402)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import lint, write_files
from hypothesis import given, settings
from hypothesis import strategies as st

from djlint_docker.parse.gitindex import tracked_paths
from djlint_docker.rules.snippets import MANAGE

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")

NAMES = ["manage.py", "app/settings.py", "app/settings/a-very-long-module-name-that-needs-no-padding.py", "é.env",
         "docker/dev.env", "docker/dev.env.example", "x", "xy/z", "deep/" * 20 + "file.txt"]


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run([GIT, *args], cwd=root, env=env, check=True, capture_output=True).stdout.decode()


@needs_git
@pytest.mark.parametrize("version", [2, 3, 4])
def test_tracked_paths_are_what_git_lists(tmp_path, version):
    write_files(tmp_path, {name: "x\n" for name in NAMES})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", *[name for name in NAMES if name != "x"])
    _git(tmp_path, "add", "--intent-to-add", "x")  # an extended flag: the index is version 3 at least
    _git(tmp_path, "update-index", "--index-version", str(version))
    listed = _git(tmp_path, "-c", "core.quotepath=off", "ls-files", "-z").split("\0")
    assert tracked_paths((tmp_path / ".git" / "index").read_bytes()) == frozenset(filter(None, listed))


@given(st.binary(max_size=400))
@settings(max_examples=300)
def test_any_bytes_are_an_index_or_unknown(data):
    found = tracked_paths(b"DIRC\x00\x00\x00\x02\x00\x00\x00\x03" + data)
    assert found is None or isinstance(found, frozenset)


def test_an_index_cut_short_is_unknown():
    assert tracked_paths(b"DIRC\x00\x00\x00\x02\x00\x00\x00\x01" + b"\x00" * 30) is None
    assert tracked_paths(b"DIRC\x00\x00\x00\x02\x00\x00\x00\x01" + b"\x00" * 70) is None  # no path
    assert tracked_paths(b"NOPE") is None


@needs_git
def test_a_committed_env_file_the_gitignore_lists_is_reported(tmp_path):
    write_files(tmp_path, {".env": "DB_PASSWORD=Xr8f2kQz9\n", "manage.py": MANAGE,
                           "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n",
                           "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".env", "manage.py")
    (tmp_path / ".gitignore").write_text(".env\n")
    [finding] = [f for f in lint(tmp_path) if f.code == "DJC412"]
    assert (finding.path, finding.line) == (".env", 1)
    assert "committed though .gitignore lists it" in finding.message and "git rm --cached .env" in finding.message
    _git(tmp_path, "rm", "-q", "--cached", ".env")  # untracked now: the .gitignore keeps it out of commits
    assert [f for f in lint(tmp_path) if f.code == "DJC412"] == []


@needs_git
def test_a_committed_empty_env_file_the_gitignore_lists_may_go_into_the_image(tmp_path):
    """Each developer's dev.env is ignored, but the empty docker/dev.env committed for the image holds nothing."""
    write_files(tmp_path, {"docker/dev.env": "", "manage.py": MANAGE, ".gitignore": "dev.env\n",
                           ".dockerignore": ".git\n", "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-f", "docker/dev.env", "manage.py")
    assert [f for f in lint(tmp_path) if f.code == "DJC402"] == []
    _git(tmp_path, "rm", "-q", "--cached", "docker/dev.env")  # a developer's own file: kept out of the image
    assert [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC402"] == [(".dockerignore", 1)]


@needs_git
def test_a_gitignored_folder_stays_ignored_though_a_file_in_it_is_tracked(tmp_path):
    write_files(tmp_path, {"data/db/.gitkeep": "", ".gitignore": "data/\n", "manage.py": MANAGE,
                           "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                           "      - ./data/db:/var/lib/postgresql/data\n"})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-f", "data/db/.gitkeep", "manage.py", "compose.yaml", ".gitignore")
    assert [f for f in lint(tmp_path) if f.code in {"DJC205", "DJC403"}] == []


@needs_git
def test_a_committed_env_file_without_secrets_is_committed_on_purpose(tmp_path):
    write_files(tmp_path, {".env": "WEBSERVER_PORT=8600\n", "manage.py": MANAGE, ".gitignore": "*.pyc\n",
                           "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n"
                                           "      - ${WEBSERVER_PORT:?err}:8000\n",
                           "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"})
    _git(tmp_path, "init", "-q")
    assert [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC403"] == [(".env", 1)]  # untracked: may be
    _git(tmp_path, "add", ".env")
    assert [f for f in lint(tmp_path) if f.code == "DJC403"] == []


@needs_git
def test_a_committed_env_file_whose_secrets_hold_placeholders_is_still_reported(tmp_path):
    write_files(tmp_path, {".env": "MYSQL_ROOT_PASSWORD=changeme\nMYSQL_DATABASE=shop\n", "manage.py": MANAGE,
                           ".gitignore": "*.pyc\n", "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".env")
    assert [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC403"] == [(".env", 1)]


@needs_git
def test_a_committed_env_template_the_gitignore_lists_is_not_called_unlisted(tmp_path):
    """A .env of empty values for the user to fill in, force-added though .gitignore lists it: DJC403 would say it is
    not in .gitignore, and its fix would add the line again."""
    write_files(tmp_path, {".env": "SECRET_KEY=\nPOSTGRES_PASSWORD=\n", "manage.py": MANAGE, ".gitignore": ".env\n",
                           "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n",
                           "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-f", ".env", "manage.py", ".gitignore")
    assert [f for f in lint(tmp_path) if f.code == "DJC403"] == []
    (tmp_path / ".gitignore").write_text("*.pyc\n")  # not listed now: the user's values would be committed
    assert [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC403"] == [(".env", 1)]
