"""Shared helpers: write a tiny project to disk and lint it."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from djlint_docker import engine
from djlint_docker.engine import Example, Rule, check_paths
from djlint_docker.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def tool(name: str) -> str | None:
    """An executable installed with the test dependencies: beside this Python first, then on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def lint(root: Path, rules: list[Rule] | None = None) -> list[Finding]:
    """The findings under ``root``: of ``rules``, or as ``djcheck`` reports them (configuration included)."""
    return check_paths([root], root, rules) if rules is not None else engine.lint([root], root).findings


def djcheck(args: list[str], cwd: Path):
    """Run the ``djcheck`` command in ``cwd`` in-process; returns click's result (output, exit_code)."""
    from click.testing import CliRunner

    from djlint_docker.cli import main

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def all_examples() -> list[tuple[Rule, Example]]:
    return [(r, e) for r in engine.all_rules() for e in r.examples]


def example_id(case: tuple[Rule, Example]) -> str:
    rule, example = case
    return f"{rule.code}-{'invalid' if example.expect else 'valid'}-{example.name}"


@pytest.fixture
def project(tmp_path: Path):
    """Write files into a temporary project and return its root."""
    return lambda files: write_files(tmp_path, files)
