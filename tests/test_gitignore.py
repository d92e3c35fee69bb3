"""``.gitignore`` matching, against ``git check-ignore`` itself.

Each hand-picked case is checked against git as well as against its written answer;
then hypothesis writes ``.gitignore`` files (one at the root, one in a folder) from the
pieces git treats specially and compares every path of a fixed tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from djlint_docker.parse import gitignore, globs
from djlint_docker.parse.gitignore import ignored, parse_gitignore

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")

FOLDERS = ["a", "a/b", "a/b/d", "a/.x", "b", "b/a", "data", "data/keep", "node_modules", "[ab]"]
FILES = ["a/b/c.py", "a/b/d/c.py", "a/x.pyc", "a/.x/y", "b/a/keep", "b/c", "data/db", "data/keep/k", "data/.gitkeep",
         "x.pyc", ".env", "c", "ay", "a*", "a?", "!e", "#c", "x ", "[ab]/q", "node_modules/m.js"]
PATHS = sorted(FOLDERS + FILES)

# (the root .gitignore, path, ignored); every answer is also checked against git below.
CASES = [
    ("data/\n!data/keep\n", "data/keep/k", True),      # nothing inside an ignored folder comes back
    ("data/*\n!data/keep\n", "data/keep/k", False),     # the folder itself is not ignored: it can
    ("data/\n", "data", True),
    ("data/\n", "x.pyc", False),
    ("c/\n", "c", False),                               # folders only: c is a file
    ("*.pyc\n", "a/x.pyc", True),                       # no slash: a name at any depth
    ("/x.pyc\n", "a/x.pyc", False),                     # leading slash: anchored
    ("b/c\n", "a/b/c.py", False),                       # a slash inside anchors too
    ("a/**/c.py\n", "a/b/c.py", True),
    ("a/**/c.py\n", "a/b/d/c.py", True),               # any number of folders
    ("**/keep\n", "b/a/keep", True),
    ("a/**\n", "a", False),                             # everything inside, not the folder
    ("a/**\n", "a/b/c.py", True),
    ("a**\n", "a/b/c.py", True),                        # the name a matches: its folder is ignored
    ("/a**/y\n", "a/.x/y", True),                      # after the literal start, "**" is at the start
    ("/a**/y\n", "ay", True),
    ("/a?**/y\n", "a/.x/y", False),                    # not after a wildcard
    ("a*b\n", "a/b", False),                            # "*" never crosses a slash
    ("[ab]\n", "b/c", True),
    ("\\[ab]\n", "[ab]/q", True),
    ("a\\*\n", "a*", True),
    ("a\\*\n", "a?", False),
    ("\\!e\n", "!e", True),
    ("\\#c\n", "#c", True),
    ("#c\n", "#c", False),                              # a comment
    ("x\\ \n", "x ", True),                             # an escaped trailing space is kept
    ("x.pyc   \n", "x.pyc", True),                      # others are dropped
    ("c\r\n", "c", True),                               # CRLF
    ("\ufeffc\n", "c", True),                           # a byte order mark
    ("a[\n", "a", False),                               # an unclosed set matches nothing
    ("c\\\n", "c", False),                              # nor does a trailing backslash
    ("x[[:punct:]]pyc\n", "x.pyc", True),
    ("[!a]\n", "b/c", True),
    ("*\n!*/\n!*.py\n", "a/b/c.py", False),
    ("*\n!*/\n!*.py\n", "b/c", True),
    ("/*\n!/data\n", "data/db", False),
]


def _repository(root: Path, files: dict[str, str]) -> Path:
    subprocess.run([GIT, "init", "-q", str(root)], check=True, env=_git_env(root))
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name in FILES:
        (root / name).write_text("")
    for name, text in files.items():
        (root / name).write_bytes(text.encode())
    return root


def _git_env(root: Path) -> dict[str, str]:
    """git with no user or system configuration: no global excludes file."""
    return {**os.environ, "HOME": str(root), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git_ignored(root: Path) -> set[str]:
    result = subprocess.run([GIT, "check-ignore", "--no-index", "--stdin", "-z"], cwd=root, env=_git_env(root),
                            input="\0".join(PATHS) + "\0", capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return set(filter(None, result.stdout.split("\0")))


def ours(files: dict[str, str]) -> set[str]:
    parsed = {name.removesuffix(".gitignore").rstrip("/"): parse_gitignore(Path(name), text)
              for name, text in files.items()}
    return {path for path in PATHS if ignored(path, path in FOLDERS, parsed.get)}


@pytest.mark.parametrize(("text", "path", "expected"), CASES)
def test_cases(engine, text, path, expected):
    assert (path in ours({".gitignore": text})) is expected


@needs_git
def test_cases_are_what_git_says(tmp_path):
    for number, (text, path, expected) in enumerate(CASES):
        root = _repository(tmp_path / str(number), {".gitignore": text})
        assert (path in git_ignored(root)) is expected, (text, path)


def test_nearer_files_win_and_patterns_are_relative_to_their_folder():
    files = {".gitignore": ".env\n/data\n*.pyc\nkeep\n", "a/.gitignore": "!x.pyc\n/b/\n", "b/.gitignore": "!keep\n"}
    assert ours(files) == {".env", "data", "data/.gitkeep", "data/db", "data/keep", "data/keep/k", "x.pyc",
                           "a/b", "a/b/c.py", "a/b/d", "a/b/d/c.py"}


def test_a_file_alone_ignores_what_is_inside_its_folders():
    spec = parse_gitignore(Path(".gitignore"), "legacy/\n*.bak\n!keep.bak\n")
    assert spec.ignores("legacy/app/compose.yaml", folder=False)
    assert not spec.ignores("legacy", folder=False)
    assert spec.ignores("x/old.bak", folder=False) and not spec.ignores("x/keep.bak", folder=False)


def _variants(part: str) -> list[str]:
    """Globs that may match the name ``part``, and some that nearly do."""
    first, rest = part[0], part[1:]
    return [part, part, "*", "**", "?" * len(part), f"{first}*", f"*{part[-1]}", f"[{first}q]{rest}", f"[!{first}]{rest}",
            f"[^q]{rest}", f"[a-{first}]{rest}", f"[{first}-a]{rest}", f"[]{first}]{rest}", f"[[:alpha:]]{rest}",
            f"[[:punct:]]{rest}", f"[[:nope:]]{rest}", f"[{first}{rest}", f"\\{part}", f"{part}\\", f"**{part}"]


@st.composite
def patterns(draw) -> str:
    """A line built from a path of the tree: each name kept, or made a glob; slashes kept, or made globs."""
    parts = [draw(st.sampled_from(_variants(part))) for part in draw(st.sampled_from(PATHS)).split("/")]
    if len(parts) > 2 and draw(st.booleans()):  # "**" for a run of folders
        start = draw(st.integers(0, len(parts) - 2))
        parts[start:draw(st.integers(start + 1, len(parts) - 1))] = ["**"]
    line = parts[0]
    for part in parts[1:]:
        line += draw(st.sampled_from(["/", "/", "/", "/**/", "*", "?", "[!q]", "[[:punct:]]", "**"])) + part
    before = draw(st.sampled_from(["", "", "/", "**/", "!", "!/", "\\!", "#"]))
    after = draw(st.sampled_from(["", "", "/", "/**", "/*", " ", "  ", "\\ ", "\r"]))
    return before + line + after


NOISE = st.lists(st.sampled_from(["a", "*", "**", "?", "/", "!", "\\", "[", "]", "-", "^", ":", " "]), max_size=6).map("".join)
GITIGNORE = st.lists(patterns() | patterns() | NOISE, max_size=8).map(lambda lines: "".join(line + "\n" for line in lines))


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    return _repository(tmp_path_factory.mktemp("repository"), {})


@pytest.fixture(params=["regex", "scan"])
def engine(request, monkeypatch):
    """Each way a pattern is matched: the regex (where it is safe), and the scan of its states."""
    monkeypatch.setattr(globs, "FREE_STARS", 1 if request.param == "regex" else -1)
    gitignore._matcher.cache_clear()
    yield request.param
    gitignore._matcher.cache_clear()


@needs_git
@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(root_file=GITIGNORE, folder_file=GITIGNORE)
def test_git_agrees_on_every_path(repository, engine, root_file, folder_file):
    files = {".gitignore": root_file, "a/.gitignore": folder_file}
    for name, text in files.items():
        (repository / name).write_bytes(text.encode())
    assert ours(files) == git_ignored(repository)


@pytest.mark.parametrize("pattern", ["*a" * 12 + "*b", "**/a*" * 8 + "b", "a/**/" * 20 + "*b*c*d*e", "*" + "?*" * 70])
def test_no_pattern_backtracks_for_long(engine, pattern):
    """Each takes about a second per path with a plain regex, or forever; here steps are bounded."""
    spec = parse_gitignore(Path(".gitignore"), pattern + "\n")
    assert not spec.ignores("/".join(["a" * 60] * 12), folder=False)
