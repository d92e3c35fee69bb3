"""What keeps djcheck quick on whole repositories, checked by what it does rather than by timing.

The build-context walk never lists what it need not enter; a hostile or huge
``.dockerignore`` line is checked in bounded time (CPU time of the check in this
process, with a margin far above what it takes); the matcher answers as a scan of
every pattern state would, whether a pattern is matched by a regex or not.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from djlint_docker.discover import discover
from djlint_docker.engine import all_rules, check_setups
from djlint_docker.parse import ParseError, globs
from djlint_docker.parse.dockerignore import parse_dockerignore
from djlint_docker.project import Project
from djlint_docker.registry import REGISTRY

COPY_ALL = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"


def _setup(root: Path, dockerignore: str, gitignore: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Dockerfile").write_text(COPY_ALL)
    (root / "manage.py").write_text(MANAGE)
    (root / ".dockerignore").write_text(dockerignore)
    (root / ".gitignore").write_text(gitignore)
    (root / ".git").mkdir()
    return root


def _huge(folder: Path) -> None:
    """A folder of 50 subfolders, each with a file: what the walk must not list."""
    for index in range(50):
        (folder / f"package{index}").mkdir(parents=True)
        (folder / f"package{index}" / "index.js").write_text("")


def _listed(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every folder the context walk lists, relative to ``root``."""
    setup = discover([root])[0]  # before recording: discovery walks the tree on its own terms
    listed: list[str] = []
    scandir = os.scandir

    def recording(path):
        listed.append(Path(path).relative_to(root).as_posix())
        return scandir(path)

    monkeypatch.setattr(os, "scandir", recording)
    project = Project(setup, root)
    for build in project.builds:
        project.context_entries(build)
    return listed


@pytest.mark.parametrize(("dockerignore", "gitignore", "huge"), [
    ("**/node_modules\n", "", "frontend/node_modules"),        # excluded, and no ! pattern reaches inside
    ("vendor\n!other/keep\n!*.md\n", "", "vendor"),            # the ! patterns re-include nothing below it
    ("", "", "frontend/node_modules"),                         # never entered, even when sent
    ("", "", ".venv"),                                         # a virtualenv: its pyvenv.cfg is listed
    ("", "build/\n", "build"),                                 # what git ignores
    ("", "", ".git/objects"),
])
def test_the_walk_never_lists_a_huge_folder_it_need_not_enter(tmp_path, monkeypatch, dockerignore, gitignore, huge):
    root = _setup(tmp_path / "site", dockerignore, gitignore)
    _huge(root / huge)
    (root / ".venv").mkdir(exist_ok=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    listed = _listed(root, monkeypatch)
    assert "." in listed
    assert not any(folder == huge or folder.startswith(f"{huge}/") for folder in listed)


def test_a_folder_an_exception_reaches_into_is_entered(tmp_path, monkeypatch):
    root = _setup(tmp_path / "site", "vendor\n!vendor/keep/me.txt\n")
    _huge(root / "vendor")
    (root / "vendor" / "keep").mkdir()
    (root / "vendor" / "keep" / "me.txt").write_text("")
    assert "vendor/keep" in _listed(root, monkeypatch)


def test_what_the_walk_does_not_enter_is_still_reported(tmp_path):
    root = _setup(tmp_path / "site", "__pycache__\n")
    _huge(root / "frontend" / "node_modules")
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    all_rules()  # registers the rules
    findings = check_setups(discover([root]), root, [REGISTRY["DJC402"]])
    message = findings[0].message
    assert ".git" in message and ".venv" in message and "**/node_modules" in message


def test_setups_building_one_context_share_its_walk(tmp_path, monkeypatch):
    root = _setup(tmp_path / "site", ".git\n")
    (root / "compose.yaml").write_text("services:\n  web:\n    build: .\n")
    (root / "compose.prod.yaml").write_text("services:\n  web:\n    build: .\n")
    setups = discover([root])
    assert len(setups) == 2
    listed: list[str] = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listed.append(str(path)) or scandir(path))
    for setup in setups:
        project = Project(setup, root)
        project.context_entries(project.builds[0])
    assert listed.count(str(root)) == 1


def test_a_one_megabyte_dockerignore_line_is_checked_within_seconds():
    gc.collect()  # the time is the line's: not a collection of what the tests before left
    start = time.process_time()
    with pytest.raises(ParseError, match="64 KiB") as error:
        parse_dockerignore(".git\n" + "*a" * 500_000 + "\n")
    assert error.value.line == 2
    assert time.process_time() - start < 2.0  # a guard against blow-ups (minutes), not a measure: 0.6 s alone


@pytest.mark.parametrize("pattern", ["*a" * 30_000 + "*b", "**/a*" * 8_000 + "b", "a/**/" * 10_000 + "*b*c",
                                     "*" + "?*" * 30_000, "**/x*/**/y*" * 3_000])
def test_a_hostile_line_just_under_the_limit_is_checked_within_seconds(pattern):
    gc.collect()  # the time is the line's: not a collection of what the tests before left
    start = time.process_time()
    ignore = parse_dockerignore(pattern + "\n!keep\n")
    for path in ("/".join(["a" * 60] * 12), "a" * 4000, "x/" * 100 + "y"):
        ignore.excludes(path)
    assert time.process_time() - start < 2.0  # a guard against blow-ups (minutes), not a measure: 0.6 s alone


NAMES = st.sampled_from(["a", "b", "ab", "a.b", ".a", "x", "node_modules"])
PIECES = st.sampled_from(["a", "b", ".", "/", "*", "**", "**/", "?", "[ab]", "[^a]", "x/", "\\*"])


@settings(deadline=None)
@given(lines=st.lists(st.tuples(st.sampled_from(["", "!", "/"]), st.lists(PIECES, min_size=1, max_size=6)),
                      min_size=1, max_size=6),
       paths=st.lists(st.lists(NAMES, min_size=1, max_size=5).map("/".join), min_size=1, max_size=10))
def test_regexes_answer_as_the_scan_of_every_state(lines, paths):
    text = "".join(prefix + "".join(pieces) + "\n" for prefix, pieces in lines)
    try:
        fast = parse_dockerignore(text)
    except ParseError:
        return
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(globs, "FREE_STARS", -1)
        scanned = parse_dockerignore(text)
        answers = [scanned.excludes(path) for path in paths]
    assert [fast.excludes(path) for path in paths] == answers


def test_each_setup_of_a_run_is_modelled_once_however_many_there_are(tmp_path, monkeypatch):
    """Setups in folders of their own share nothing: each is parsed once, not once for every other setup.

    Each setup's model looks at the run's other setups for development stacks of the
    same project; those models are made once a run (they were made once for every
    setup that looked: 200 setups took 39 s).
    """
    compose = "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
    for number in range(30):
        root = _setup(tmp_path / f"s{number}", ".git\n.env\n")
        (root / "compose.yaml").write_text(compose)
    made = []
    original = Project.__init__

    def counting(self, setup, *args, **kwargs):
        made.append(setup)
        original(self, setup, *args, **kwargs)

    monkeypatch.setattr(Project, "__init__", counting)
    setups = discover([tmp_path])
    check_setups(setups, tmp_path, all_rules())
    assert len(setups) == 30
    assert len(made) <= 2 * len(setups)
