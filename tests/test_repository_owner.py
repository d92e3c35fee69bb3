"""The owner of a project's repository as git's remote origin names it (_stack.repository_owner, for DJC209)."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.rules.compose._stack import repository_owner


class _Files:
    def __init__(self, config: str | None) -> None:
        self.boundary = Path("/src/notes")
        self.config = config

    def text(self, path: Path) -> str | None:
        return self.config if path == self.boundary / ".git" / "config" else None


@pytest.mark.parametrize(("url", "owner"), [
    ("https://github.com/lena-k/notes.git", "lena-k"),
    ("https://github.com/lena-k/notes/", "lena-k"),
    ("git@github.com:lena-k/notes.git", "lena-k"),
    ("ssh://git@gitlab.example.org:2222/team/notes.git", "team"),
    ("/work/.mirror/Lena-K+notes/repo", "Lena-K"),
    ("/home/lena/src/notes", None),
    ("file:///home/lena/src/notes", None),
])
def test_owner(url: str, owner: str | None) -> None:
    config = (f'[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/other/notes.git\n'
              f'[remote "origin"]\n\turl = {url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n')
    assert repository_owner(_Files(config)) == owner  # type: ignore[arg-type]


def test_no_git() -> None:
    assert repository_owner(_Files(None)) is None  # type: ignore[arg-type]
