"""The `.dockerignore` lines that keep out what an image should not hold: DJC401 writes them, DJC402 adds them."""

from __future__ import annotations

import re
from collections.abc import Callable

from djlint_docker.parse.dockerignore import parse_dockerignore
from djlint_docker.project import ImageBuild, Project
from djlint_docker.records import record
from djlint_docker.rules.compose._mounts import data_mounts
from djlint_docker.rules.project._context import posix_relative
from djlint_docker.rules.project._env_files import EXAMPLE_ENV, is_env_name

ENV_PATTERNS = (".env*", "**/.env*", "*.env", "**/*.env")
PATTERN_ORDER = (".git", "**/.git", *ENV_PATTERNS, "**/__pycache__", "**/node_modules")


@record
class Exclusions:
    """What a context lets into the image that it should not, and the ``.dockerignore`` lines that keep it out."""

    sent: tuple[str, ...]  # what the context lets in, relative to it: one path of each kind (.git, env files...)
    patterns: tuple[str, ...]  # lines to append: patterns, and ``!`` lines for the env examples they would hide


def exclusions(project: Project, build: ImageBuild, text: str, baseline: tuple[str, ...] = (),
               unwanted_env: Callable[[str], bool] | None = None) -> Exclusions:
    """The lines a ``.dockerignore`` holding ``text`` needs so that the context sends nothing an image should not hold.

    Each path gets the first of its candidate patterns that Docker's matcher says keeps
    it out once appended (``.env*`` matches only at the context's root, ``**/.env*``
    anywhere), and never a pattern the file already has. ``baseline`` patterns are added
    anyway, for what is not there yet. An env example (``.env.example``) a new pattern
    would hide is re-included, as a Dockerfile may copy it. With ``unwanted_env``, only the
    env files it says yes to are asked for (by their path in the context); the others are
    meant for the image, and re-included like the examples when a new pattern would hide them.
    """
    before = parse_dockerignore(text)
    present = {pattern.text for pattern in before.patterns}
    added = [pattern for pattern in baseline if _normal(pattern) not in present]
    present.update(_normal(pattern) for pattern in added)
    current = parse_dockerignore(appended(text, added))
    sent: list[str] = []
    shown: dict[str, str] = {}  # the first path of each kind, by its first candidate pattern
    kept: list[str] = []  # env files meant for the image
    for relative, candidates in _unwanted(project, build):
        if unwanted_env is not None and candidates[0] in ENV_PATTERNS and not unwanted_env(relative):
            kept.append(relative)
            continue
        if before.excludes(relative):
            continue
        sent.append(relative)
        shown.setdefault(candidates[0], relative)
        if current.excludes(relative):
            continue
        for pattern in candidates:
            if _normal(pattern) in present:
                continue
            trial = parse_dockerignore(appended(text, [*added, pattern]))
            if trial.excludes(relative):
                added.append(pattern)
                present.add(_normal(pattern))
                current = trial
                break
    added.sort(key=lambda pattern: (PATTERN_ORDER.index(pattern) if pattern in PATTERN_ORDER else len(PATTERN_ORDER),
                                    pattern))
    examples = [entry.relative for entry in project.context_entries(build)
                if not entry.is_dir and ".env" in entry.name and EXAMPLE_ENV.search(entry.name)] + kept
    hidden = [relative for relative in examples if not before.excludes(relative) and current.excludes(relative)]
    if hidden:
        # Right after the env patterns: the patterns after them keep out folders, not env files.
        at = max((index + 1 for index, pattern in enumerate(added) if pattern in ENV_PATTERNS), default=len(added))
        kept = [*added[:at], *(f"!{_literal(relative)}" for relative in hidden), *added[at:]]
        final = parse_dockerignore(appended(text, kept))
        if not any(final.excludes(relative) for relative in hidden) and all(final.excludes(r) for r in sent):
            added = kept
    return Exclusions(tuple(shown.values()), tuple(added))


def _unwanted(project: Project, build: ImageBuild) -> list[tuple[str, tuple[str, ...]]]:
    """What the context holds (or will) that an image should not: each path, with the patterns that may keep it out.

    ``.git``, env files, virtualenvs, ``__pycache__``, ``node_modules`` and the data
    directories that database services bind-mount inside the context (present or to
    come). The patterns come best first; the last is always the path itself.
    """
    found: list[tuple[str, tuple[str, ...]]] = []
    for entry in project.context_entries(build):
        name, relative = entry.name, entry.relative
        if name == ".git":
            found.append((relative, (".git", "**/.git")))
        elif not entry.is_dir and is_env_name(name):
            found.append((relative, ENV_PATTERNS))
        elif name == "pyvenv.cfg" and "/" in relative:
            folder = relative.rpartition("/")[0]
            found.append((folder, (folder,)))
        elif entry.is_dir and name in {"__pycache__", "node_modules"}:
            found.append((relative, (f"**/{name}",)))
    found += [(relative, (f"/{relative}",)) for relative in data_folders(project, build)]
    return [(relative, tuple(dict.fromkeys((*candidates, _literal(relative))))) for relative, candidates in found]


def _literal(relative: str) -> str:
    """A pattern for just one path of the context: wildcards escaped, anchored when ``#`` or ``!`` starts the name."""
    escaped = re.sub(r"[\r\n]", "?", re.sub(r"([*?\[\\])", r"\\\1", relative))  # a pattern is one line
    return escaped if escaped == relative and not relative.startswith(("#", "!")) else f"/{escaped}"


def _normal(pattern: str) -> str:
    """A pattern as the matcher reads it (``/data`` and ``data/`` are ``data``), to compare with the file's."""
    parsed = parse_dockerignore(pattern).patterns
    return parsed[0].text if parsed else pattern


def data_folders(project: Project, build: ImageBuild) -> list[str]:
    """The data directories database services bind-mount inside a build's context, relative to it."""
    return [posix_relative(source, build.context) for _, _, _, source in data_mounts(project)
            if source.is_relative_to(build.context) and source != build.context]


def appended(text: str, lines: list[str]) -> str:
    """``text`` with ``lines`` after its last line, as the fix writes them."""
    if not lines:
        return text
    return text + ("\n" if text and not text.endswith("\n") else "") + "\n".join(lines) + "\n"
