"""One table of file kinds: discovery, the fixer, suppressions and the pre-commit hook agree on every name."""

from __future__ import annotations

import re
from pathlib import PurePath

import pytest
from conftest import ROOT
from ruamel.yaml import YAML

from djlint_docker.kinds import HOOK_FILES, kind

NAMES = {
    "Dockerfile": "dockerfile", "Dockerfile-dev": "dockerfile", "Dockerfile.prod": "dockerfile",
    "docker/web.Dockerfile": "dockerfile", "api.dockerfile": "dockerfile", "docker/Dockerfile.dockerignore": "dockerignore",
    ".dockerignore": "dockerignore", "compose.yaml": "compose", "docker-compose.yml": "compose",
    "docker-compose.prod.yml": "compose", "compose.override.yaml": "compose", "requirements.txt": "requirements",
    "requirements/base.txt": "requirements", "deps/requirements-dev.in": "requirements", ".env": "env",
    "prod.env": "env", ".envs/.env.local": "env", ".gitignore": "gitignore", "app/settings.py": "python",
    "app/settings/prod.py": "python", "manage.py": "python", "app/wsgi.py": "python", "start.sh": "script",
    "pyproject.toml": "configuration", ".djcheck.toml": "configuration", "README.md": None, "package.json": None,
    "dockerfile": "dockerfile", "app/views.py": "python",
    "Containerfile": "dockerfile", "Containerfile.prod": "dockerfile", "docker/app.containerfile": "dockerfile",
    "Dockerfile_prod": "dockerfile", "Dockerfile.j2": None, "Dockerfile.bak": None, "Dockerfile.save": None, "local.yml": "yaml", "production.yml": "yaml", "docker_compose/app.yaml": "yaml",
    ".gitlab-ci.yml": "yaml", ".github/workflows/ci.yml": "yaml", "compose/local.yml": "yaml",
    "docker-local.yml": "yaml", ".envs/.local/.django": None,
}


@pytest.mark.parametrize(("name", "expected"), NAMES.items())
def test_each_name_has_its_kind(name, expected):
    assert kind(PurePath(name)) == expected


def test_the_pre_commit_hook_reads_the_table():
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {hook["files"] for hook in hooks} == {HOOK_FILES}


@pytest.mark.parametrize("name", NAMES)
def test_the_hook_runs_for_every_kind_and_python_that_configures_django(name):
    hooked = re.search(HOOK_FILES, name) is not None
    assert hooked == (kind(PurePath(name)) is not None and name not in {"app/views.py"})


def test_one_compile_for_the_whole_table():
    """Start-up time is measured: the table is one pattern, whatever the number of kinds."""
    import djlint_docker.kinds as kinds

    assert sum(isinstance(value, re.Pattern) for value in vars(kinds).values()) == 1
