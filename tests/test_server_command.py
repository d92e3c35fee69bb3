"""How ``djcheck server`` is started: as the editor snippets of the README start it, without pygls, and beside a
folder named ``server``."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, tool, write_files

TIMEOUT = 60.0

EDITORS = {
    "VS Code": r'"glspc\.server\.command":\s*"(?P<command>[^"]+)",\s*"glspc\.server\.commandArguments":\s*'
               r'\[(?P<args>[^\]]*)\]',
    "Neovim": r"cmd = \{ (?P<command>\"[^\"]+\")(?:, (?P<args>[^}]*))? \}",
    "Helix": r'\[language-server\.djcheck\]\s*command = "(?P<command>[^"]+)"\s*args = \[(?P<args>[^\]]*)\]',
}
"""Where each editor's snippet in the README names the command and its arguments."""
SNIPPET_COMMAND = ["djcheck", "server"]
"""What every snippet runs."""


def snippet_command(editor: str) -> list[str]:
    """The command the README's snippet for ``editor`` starts, as a list of words."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if "\n## In the editor\n" not in readme:
        pytest.skip("the README has no editor set-up section (## In the editor) yet")
    part = readme.split("\n## In the editor\n", 1)[1].split("\n## ", 1)[0]
    assert "\n### " + editor in part, f"no {editor} set-up under ## In the editor"
    section = part.split("\n### " + editor, 1)[1].split("\n### ", 1)[0]
    found = re.search(EDITORS[editor], section)
    assert found is not None, f"no command in the {editor} snippet"
    words = [found["command"].strip('"')]
    words += [word.strip().strip('"') for word in (found["args"] or "").split(",") if word.strip()]
    return words


async def _initialize(command: list[str]) -> None:
    """Start the server as ``command`` does, initialize it, shut it down; the process must end with 0."""
    from lsprotocol import types
    from pytest_lsp import ClientServerConfig

    client = await ClientServerConfig(server_command=command).start()
    try:
        result = await asyncio.wait_for(client.initialize_session(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=ROOT.as_uri())), TIMEOUT)
        assert result.server_info is not None and result.server_info.name == "djcheck"
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
        assert client._server is not None and client._server.returncode == 0
    finally:
        await client.stop()


@pytest.mark.asyncio
@pytest.mark.parametrize("editor", sorted(EDITORS))
async def test_the_server_starts_as_each_editor_snippet_starts_it(editor: str):
    pytest.importorskip("pytest_lsp")
    command = snippet_command(editor)
    assert command == SNIPPET_COMMAND
    installed = tool(command[0])
    assert installed is not None, "the djcheck console script is not installed"
    await _initialize([installed, *command[1:]])


@pytest.mark.asyncio
async def test_the_console_script_starts_the_server():
    pytest.importorskip("pytest_lsp")
    installed = tool("djcheck")
    assert installed is not None, "the djcheck console script is not installed"
    await _initialize([installed, "server", "--stdio"])


def test_without_pygls_the_server_says_what_to_install(tmp_path: Path):
    blocked = write_files(tmp_path / "blocked", {"pygls/__init__.py": "raise ImportError('no pygls here')\n"})
    path = os.pathsep.join(filter(None, [str(blocked), os.environ.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-m", "djlint_docker", "server"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=TIMEOUT, env={**os.environ, "PYTHONPATH": path})
    assert done.returncode == 2
    assert "pip install 'djlint-docker[server]'" in done.stderr


def test_the_plain_check_imports_nothing_of_the_server():
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "djlint_docker", str(ROOT / "fixtures" / "tutorial")],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    assert done.returncode == 1 and "DJC201" in done.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert "djlint_docker.engine" in imported
    assert not [name for name in imported if name.startswith(("pygls", "lsprotocol", "djlint_docker.server"))]


def test_server_options(tmp_path: Path):
    shown = subprocess.run([sys.executable, "-m", "djlint_docker", "server", "--help"], capture_output=True,
                           text=True, stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    assert shown.returncode == 0 and "djcheck ./server" in shown.stdout
    wrong = subprocess.run([sys.executable, "-m", "djlint_docker", "server", "--port", "1"], capture_output=True,
                           text=True, stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    assert wrong.returncode == 2 and "'--port'" in wrong.stderr


@pytest.mark.parametrize("spelling", [["./server"], ["--", "server"]])
def test_a_folder_named_server_is_checked_when_written_as_a_path(tmp_path: Path, spelling: list[str]):
    write_files(tmp_path / "server", {"compose.yaml": "services:\n  web:\n    build: .\n"
                                                      "    command: python manage.py runserver\n",
                                      "Dockerfile": "FROM python:3.12-slim\n", "manage.py": ""})
    done = subprocess.run([sys.executable, "-m", "djlint_docker", *spelling], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=TIMEOUT, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "server/compose.yaml:4:5: DJC201" in done.stdout
