"""Finding the setups under the paths given: compose stacks and standalone Dockerfiles.

A setup is a folder with a compose file (each compose file that is neither the default
nor an override forms a stack of its own, e.g. ``docker-compose.prod.yml``), or a
folder with a Dockerfile and a Django project that no compose setup above it covers.
The walk does not parse anything and never enters VCS folders, virtualenvs,
``node_modules`` or caches, nor follows links.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath

from djlint_docker.config import Config
from djlint_docker.kinds import kind
from djlint_docker.parse.compose import DEFAULT_FILES, OVERRIDES
from djlint_docker.records import record

SKIP_DIRS = {
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".idea", ".vscode", ".direnv",
}

DJANGO_FILES = {"manage.py", "wsgi.py", "asgi.py", "settings.py"}
MAX_ENTRIES = 200_000

# The build contexts walked in this run (``Project.context_entries``), shared by every setup
# that builds from one. Each discover() starts a run: a file system changed since is walked again.
CONTEXT_WALKS: dict[tuple, list] = {}


@record
class Setup:
    """The files one run of the rules looks at."""

    root: Path
    compose_files: tuple[Path, ...]  # the main file first, then its overrides
    dockerfiles: tuple[Path, ...]  # Dockerfiles standing in the root folder
    python_files: tuple[Path, ...]  # manage.py, wsgi.py, asgi.py and settings candidates below the root


SETUP_KINDS = {"compose", "dockerfile"}
"""The kinds of file a setup is found by."""


def _is(name: str, wanted: str) -> bool:
    """Whether a file of this name is of the kind ``wanted`` (:mod:`djlint_docker.kinds`)."""
    return kind(PurePath(name)) == wanted


def _is_django_file(folder: Path, name: str) -> bool:
    return name in DJANGO_FILES or (folder.name == "settings" and name.endswith(".py"))


def _walk(top: Path, excluded: Callable[[Path], bool]) -> dict[Path, list[str]]:
    """Files of interest by folder, below ``top``, leaving out what ``excluded`` says."""
    found: dict[Path, list[str]] = {}
    entries = 0
    for folder, dirs, files in os.walk(top, onerror=lambda error: None):
        entries += len(dirs) + len(files)
        if entries > MAX_ENTRIES:
            break
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs
                         if d not in SKIP_DIRS and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
                         and not excluded(here / d))
        names = [f for f in sorted(files)
                 if (kind(PurePath(f)) in SETUP_KINDS or _is_django_file(here, f)) and not excluded(here / f)]
        if names:
            found[here] = names
    return found


def _compose_stacks(names: list[str]) -> list[tuple[str, ...]]:
    composes = [n for n in names if _is(n, "compose")]
    default = next((n for n in DEFAULT_FILES if n in composes), None)
    overrides = [o for o in OVERRIDES.get(default, ()) if o in composes] if default else []
    stacks = [(default, *overrides)] if default else []
    all_overrides = {o for group in OVERRIDES.values() for o in group}
    stacks += [(n,) for n in composes if n != default and n not in all_overrides]
    return stacks


def _python_below(found: dict[Path, list[str]], below: dict[Path, list[Path]], root: Path) -> tuple[Path, ...]:
    return tuple(folder / n for folder in below.get(root, ()) for n in found[folder] if _is_django_file(folder, n))


def _below(found: dict[Path, list[str]]) -> dict[Path, list[Path]]:
    """Each folder of ``found`` listed under itself and every folder above it, in walk order.

    Looking a setup's folders up here keeps discovery linear in the number of setups.
    """
    below: dict[Path, list[Path]] = {}
    for folder in found:
        for above in (folder, *folder.parents):
            below.setdefault(above, []).append(folder)
    return below


def discover(paths: Sequence[Path], config: Config | None = None) -> list[Setup]:
    """Every setup under ``paths`` (a file stands for its folder), outermost first.

    The configuration's ``exclude`` patterns leave folders and files out; its
    ``compose-files`` are stacks of their own, and a file such a stack reads is not
    also taken as a stack alone (the default file and its override still are).
    """
    CONTEXT_WALKS.clear()
    excluded = config.excludes if config else lambda path: False
    configured = config.compose_files if config else ()
    named = {path for stack in configured for path in stack}
    setups: list[Setup] = []
    seen: set[tuple] = set()
    tops = dict.fromkeys((given if given.is_dir() else given.parent).resolve() for given in paths)
    for top in tops:  # `djcheck a/Dockerfile a/compose.yml` walks `a` once
        found = _walk(top, excluded)
        below = _below(found)
        for stack in configured:
            root = stack[0].parent
            if root.is_relative_to(top) and (root, stack) not in seen:
                seen.add((root, stack))
                names = found.get(root, [])
                setups.append(Setup(root, stack, tuple(root / n for n in names if _is(n, "dockerfile")),
                                    _python_below(found, below, root)))
        compose_roots = [folder for folder, names in found.items() if any(_is(n, "compose") for n in names)]
        compose_roots += [stack[0].parent for stack in configured if stack[0].parent.is_relative_to(top)]

        compose_set = set(compose_roots)
        for root in sorted(compose_set):
            names = found.get(root, [])
            dockerfiles = tuple(root / n for n in names if _is(n, "dockerfile"))
            for stack_names in _compose_stacks(names):
                key = (root, tuple(root / n for n in stack_names))
                if key not in seen and not (len(stack_names) == 1 and root / stack_names[0] in named
                                            and stack_names[0] not in DEFAULT_FILES):
                    seen.add(key)
                    setups.append(Setup(root, key[1], dockerfiles, _python_below(found, below, root)))
        for folder, names in sorted(found.items()):
            dockerfiles = tuple(folder / n for n in names if _is(n, "dockerfile"))
            if not dockerfiles or any(above in compose_set for above in (folder, *folder.parents)):
                continue
            python = _python_below(found, below, folder)
            if any(p.name == "manage.py" for p in python) or any(p.name in {"settings.py", "wsgi.py"} for p in python):
                key = (folder, ())
                if key not in seen:
                    seen.add(key)
                    setups.append(Setup(folder, (), dockerfiles, python))
    return setups
