"""Facts rules rely on, checked against their sources: postgres image releases, chmod modes, what Compose sees,
and which Django requirement decides the version an image installs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import tool

from djlint_docker.images import postgres_requires_password
from djlint_docker.names import COMPOSE_KNOWS
from djlint_docker.parse.requirements import requirement_from
from djlint_docker.rules.compose.djc214_undefined_variable import NOT_EXPORTED
from djlint_docker.rules.project._packages import django_requirement
from djlint_docker.rules.project.djc410_entrypoint_not_executable import _grants_execute, _mode_grants_execute

COMPOSE = tool("docker-compose")


@pytest.mark.parametrize(("tag", "required"), [
    (None, True), ("latest", True), ("alpine", True), ("bookworm", True), ("16", True), ("16-alpine", True),
    ("13.0", True), ("12", True), ("12.1", False), ("12.2", True), ("11", True), ("11.5", False),
    ("11.6-alpine", False), ("11.7", True), ("10.11", False), ("10.12-alpine", True), ("9", True),
    ("9.6", True), ("9.6.16", False), ("9.6.17", True), ("9.5.20-alpine", False), ("9.5.21", True),
    ("9.4", True), ("9.4.25", False), ("9.4.26", True), ("9.3", False), ("8.4", False),
    ("12-3.0", True),  # postgis/postgis: PostgreSQL 12's latest build with PostGIS 3.0
])
def test_postgres_password_required_since_february_2020(tag, required):
    """docker-library/postgres#658, released with 12.2, 11.7, 10.12, 9.6.17, 9.5.21 and 9.4.26 (issue #681)."""
    assert postgres_requires_password(tag) is required


@pytest.mark.parametrize(("mode", "grants"), [
    ("+x", True), ("a+x", True), ("u+rwx", True), ("ug+rX", True), ("u=rwx,go=rx", True), ("go-w,u+x", True),
    ("755", True), ("0755", True), ("4755", True), ("700", True), ("644", False), ("0644", False), ("600", False),
    ("-x", False), ("a-x", False), ("u+w", False), ("o=r", False),
])
def test_chmod_modes(mode, grants):
    assert _mode_grants_execute(mode) is grants


@pytest.mark.parametrize(("words", "made"), [
    ("chmod +x entrypoint.sh", True),
    ("chmod 755 /app/entrypoint.sh", True),
    ("chmod -R 755 /app", True),
    ("chmod 777 -R /app/", True),
    ("chmod -R +x /app/scripts", False),  # another folder
    ("chmod +x /app", False),  # the folder itself, not what is in it
    ("chmod +x *.sh", True),
    ("chmod +x $APP_HOME/entrypoint.sh", True),
    ("chmod 644 entrypoint.sh", False),
    ("chmod -x entrypoint.sh", False),
    ("find . -name *.sh -exec chmod +x {} ;", True),
    ("find . -type f -exec chmod 644 {} ;", False),
])
def test_chmod_commands(words, made):
    assert _grants_execute(words.split(), "/app/entrypoint.sh", "/app") is made


def _compose_sees(tmp_path: Path, names: list[str], shell: str | None) -> dict[str, str]:
    assert COMPOSE is not None
    (tmp_path / "compose.yaml").write_text("services:\n  a:\n    image: alpine\n    environment:\n" + "".join(
        f"      V_{name}: \"${{{name}}}\"\n" for name in names))
    command = [COMPOSE, "config", "--format", "json"]
    if shell:  # a shell of an empty environment runs Compose: what the shell exports, Compose sees
        command = [shell, "-c", " ".join(command)]
    result = subprocess.run(["env", "-i", *command], cwd=tmp_path, capture_output=True, text=True, check=True)
    environment = json.loads(result.stdout)["services"]["a"]["environment"]
    return {name: environment[f"V_{name}"] for name in names}


@pytest.mark.skipif(COMPOSE is None, reason="docker-compose is a test dependency")
def test_compose_sets_pwd_and_project_name_itself(tmp_path):
    seen = _compose_sees(tmp_path, ["PWD", "COMPOSE_PROJECT_NAME"], None)
    assert seen == {"PWD": str(tmp_path), "COMPOSE_PROJECT_NAME": tmp_path.name.lower()}
    assert {"PWD", "COMPOSE_PROJECT_NAME"} <= COMPOSE_KNOWS


@pytest.mark.skipif(COMPOSE is None or shutil.which("bash") is None, reason="docker-compose and bash")
def test_bash_does_not_export_uid_or_hostname(tmp_path):
    names = sorted(NOT_EXPORTED)
    assert _compose_sees(tmp_path, names, shutil.which("bash")) == dict.fromkeys(names, "")


def test_the_exact_pin_decides_the_django_version():
    path = Path("pyproject.toml")
    loose, upper, pinned = (requirement_from(spec, path, line) for line, spec in
                            enumerate(["Django>=4.2", "Django<6", "Django==5.1.3"], 1))
    assert django_requirement([loose, upper, pinned]) == pinned
    assert django_requirement([loose, upper]) == upper
    assert django_requirement([loose]) == loose
    assert django_requirement([]) is None
