"""Causes found by the fifth review: shared build contexts (DJC401), CMD-SHELL items (DJC216), ARG defaults made
of ARGs (DJC106), recommends autoremoved (DJC111), settings made from a template (DJC405)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import lint, write_files

from djlint_docker.rules.compose.djc216_healthcheck_cannot_pass import _shell_operands
from djlint_docker.rules.snippets import COPY_ALL, MANAGE


def _messages(root, code):
    return [(f.path, f.line, f.message) for f in lint(root) if f.code == code]


def test_dockerignore_shared_context_reported_once_naming_the_other(tmp_path):
    write_files(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "docker-compose.yml": "services:\n  web:\n    build: ./app\n",
        "docker-compose.prod.yml": "services:\n  web:\n    build:\n      context: ./app\n"
                                   "      dockerfile: Dockerfile.prod\n",
        "app/Dockerfile": COPY_ALL, "app/Dockerfile.prod": COPY_ALL, "app/manage.py": MANAGE,
        ".dockerignore": ".venv\n"})
    [(path, line, message)] = _messages(tmp_path, "DJC401")
    assert (path, line) == ("app/Dockerfile.prod", 5)  # the image that ships carries it
    assert "app/Dockerfile builds from the same context" in message
    assert ".dockerignore lies outside the context: Docker does not read it" in message


def test_dockerignore_contexts_apart_each_reported(tmp_path):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: ./app\n  api:\n    build: ./api\n",
        "app/Dockerfile": COPY_ALL, "app/manage.py": MANAGE, "api/Dockerfile": COPY_ALL, "api/manage.py": MANAGE})
    found = _messages(tmp_path, "DJC401")
    assert [(p, n) for p, n, _ in found] == [("api/Dockerfile", 5), ("app/Dockerfile", 5)]
    assert not any("same context" in m or "outside the context" in m for _, _, m in found)


@pytest.mark.parametrize(("items", "options", "operands"), [
    (["pg_isready -U app"], [], ["pg_isready -U app"]),
    (["-c", "pg_isready -U app"], ["-c"], ["pg_isready -U app"]),
    (["-e", "-o", "pipefail", "curl -f localhost | grep ok"], ["-e", "-o", "pipefail"], ["curl -f localhost | grep ok"]),
    (["--", "-x"], ["--"], ["-x"]),
    (["pg_isready", "-U", "app"], [], ["pg_isready", "-U", "app"]),
])
def test_cmd_shell_items_split_as_the_shell_reads_them(items, options, operands):
    assert _shell_operands(items) == (options, operands)


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
@pytest.mark.parametrize("items", [["echo ran"], ["-c", "echo ran"], ["-c", "-e", "echo ran"], ["echo", "ran"],
                                   ["-c", "echo", "ran"]])
def test_cmd_shell_reading_matches_the_shell(items):
    """moby appends each item after CMD-SHELL to ``/bin/sh -c`` (daemon/health.go): the shell agrees with the model."""
    _, operands = _shell_operands(items)
    output = subprocess.run(["sh", "-c", *items], capture_output=True, text=True, check=True).stdout
    assert output == ("ran\n" if len(operands) == 1 else "\n")


def test_cmd_shell_fix_drops_the_redundant_dash_c(tmp_path):
    write_files(tmp_path, {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    command: -p 6432\n"
                                          "    healthcheck:\n      test: [\"CMD-SHELL\", \"-c\", \"pg_isready\", \"-p\", "
                                          "\"6432\"]\n"})
    [(_, _, message)] = _messages(tmp_path, "DJC216")
    assert message.endswith('["CMD-SHELL", "pg_isready -p 6432"]')
    assert "runs `pg_isready` and takes \"-p\" as its $0" in message


def test_base_image_reported_with_the_args_expanded(tmp_path):
    write_files(tmp_path, {"Dockerfile": "ARG PY=3\nARG BASE=python:${PY}-slim\nFROM ${BASE}\n", "manage.py": MANAGE})
    [(_, line, message)] = _messages(tmp_path, "DJC106")
    assert line == 3 and "`FROM python:3-slim` pins only Python's major version" in message


@pytest.mark.parametrize("purge", ["apt-get purge -y --auto-remove -oAPT::AutoRemove::RecommendsImportant=0",
                                   "apt-get autoremove -y -o 'APT::AutoRemove::RecommendsImportant=false'"])
def test_recommends_autoremoved_spellings(tmp_path, purge):
    write_files(tmp_path, {"Dockerfile": f"FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gettext "
                                         f"&& {purge} && rm -rf /var/lib/apt/lists/*\n", "manage.py": MANAGE})
    assert _messages(tmp_path, "DJC111") == []


def test_recommends_autoremoved_before_the_install_does_not_count(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get update "
                                         "&& apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false"
                                         " && apt-get install -y gettext && rm -rf /var/lib/apt/lists/*\n",
                           "manage.py": MANAGE})
    assert [(p, n) for p, n, _ in _messages(tmp_path, "DJC111")] == [("Dockerfile", 2)]
