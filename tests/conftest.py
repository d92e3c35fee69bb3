"""Shared helpers: write a tiny project to disk and lint it; the hypothesis profiles of the suite."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import settings

from djlint_docker import engine
from djlint_docker.engine import check_paths
from djlint_docker.findings import Finding
from djlint_docker.registry import REGISTRY, Example, Rule

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

CI_EXAMPLES = 100
"""Examples a property without a size of its own runs in the ``ci`` profile; sizes scale from it."""

# ``ci``: the same examples on every run, so a failure is the code's and never the draw's.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True, max_examples=CI_EXAMPLES)
# ``fuzz``: fresh random examples, fifteen times as many, to look for what ``ci`` does not draw.
settings.register_profile("fuzz", derandomize=False, deadline=None, print_blob=True, max_examples=15 * CI_EXAMPLES)
# The environment chooses before collection; ``--hypothesis-profile`` (hypothesis' pytest plugin) overrides it.
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(ci_count: int) -> int:
    """How many examples a property runs: ``ci_count`` in the ``ci`` profile, scaled like the active profile.

    A slow oracle keeps running fewer examples than a cheap parser test whatever the profile.
    """
    return max(1, ci_count * settings.default.max_examples // CI_EXAMPLES)


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


def rule_findings(root: Path, code: str) -> list[tuple[str, int, str]]:
    """What one rule reports on the project at ``root``: (path, line, message) of each finding."""
    return [(Path(finding.path).as_posix(), finding.line, finding.message)
            for finding in lint(root, [REGISTRY[code]]) if finding.code == code]


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


SETTINGS_PATH = Path("/nowhere/app/settings.py")
"""Where a settings source of a parser test stands (no file is read)."""


def settings_bindings(source: str) -> dict:
    """The final bindings of a settings source, read as the settings module at :data:`SETTINGS_PATH`."""
    from djlint_docker.parse.settings import bindings, parse_python

    module = parse_python(SETTINGS_PATH, source)
    return bindings(SETTINGS_PATH, lambda path: module if path == SETTINGS_PATH else None)


def assert_as_python_computes(source: str, names: list[str], env: dict[str, str]) -> None:
    """djcheck's value of each setting in ``names`` is the one Python computes running the source under ``env``."""
    from djlint_docker.parse.settings import evaluate

    bound = settings_bindings(source)
    namespace: dict = {}
    with mock.patch.dict(os.environ, env, clear=True):
        exec(compile(source, "settings.py", "exec"), namespace)  # our own source: Python is the oracle
    for name in names:
        assert evaluate(bound[name].node, env, bound) == namespace[name], name
