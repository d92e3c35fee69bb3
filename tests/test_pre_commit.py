"""The hook as users run it: the real pre-commit framework installs this checkout and runs it.

``pre-commit try-repo`` clones the checkout (uncommitted changes included), builds the
hook's virtualenv with ``pip install`` and runs the hook in a temporary git repository.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import FIXTURES, ROOT, tool, write_files

PRE_COMMIT = tool("pre-commit")
pytestmark = pytest.mark.skipif(not PRE_COMMIT or not (ROOT / ".git").exists(),
                                reason="needs pre-commit and a git checkout of djcheck")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")  # one hook environment for every test here


def git_repository(path, files):
    write_files(path, files)
    for command in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *command], cwd=path, check=True, capture_output=True)
    return path


def try_repo(repository, home, hook="djcheck"):
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files", "--color", "never"],
                          cwd=repository, capture_output=True, text=True, env=env, timeout=600)


def fixture_files(name):
    folder = FIXTURES / name
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_hook_fails_a_broken_setup(tmp_path, pre_commit_home):
    result = try_repo(git_repository(tmp_path, fixture_files("tutorial")), pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "DJC201" in result.stdout and "Failed" in result.stdout


def test_hook_passes_a_clean_setup(tmp_path, pre_commit_home):
    result = try_repo(git_repository(tmp_path, fixture_files("production")), pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_hook_is_skipped_when_no_relevant_file_is_in_the_commit(tmp_path, pre_commit_home):
    result = try_repo(git_repository(tmp_path, {"README.md": "notes\n"}), pre_commit_home)
    assert result.returncode == 0 and "Skipped" in result.stdout


def test_fix_hook_repairs_the_files_and_fails_the_commit(tmp_path, pre_commit_home):
    repository = git_repository(tmp_path, fixture_files("tutorial"))
    result = try_repo(repository, pre_commit_home, "djcheck-fix")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert "runserver 0.0.0.0:8000" in (repository / "docker-compose.yml").read_text()
    assert (repository / ".dockerignore").read_text().startswith(".git\n")
