"""The `.dockerignore` lines that keep out what an image should not hold: DJC401 writes them, DJC402 adds them."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from djlint_docker.files import template_base
from djlint_docker.parse.dockerignore import DockerIgnore, parse_dockerignore
from djlint_docker.project import CONTENT_PROBE, ImageBuild, Project
from djlint_docker.records import record
from djlint_docker.rules.compose._mounts import data_mounts
from djlint_docker.rules.compose._stack import copied_elsewhere
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
    would hide is re-included, as a Dockerfile may copy it, and so is a path a Dockerfile
    copies by name (present or not yet made): the build would fail without it. With ``unwanted_env``, only the
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
        is_folder = candidates[0] not in ENV_PATTERNS
        if _keeps_out(before, relative, is_folder):
            continue
        sent.append(relative)
        shown.setdefault(candidates[0], relative)
        if _keeps_out(current, relative, is_folder):
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
    entries = [entry for entry in project.context_entries(build) if not entry.is_dir and ".env" in entry.name]
    # what a new pattern must not hide, each with the line that lets it in again: the env examples, the env files
    # meant for the image, what a Dockerfile copies by name, and each folder of templates (by its files)
    examples = {entry.relative: f"!{_literal(folder)}/**" for entry in entries
                if (folder := template_folder(entry.relative)) is not None}
    for relative in [entry.relative for entry in entries if EXAMPLE_ENV.search(entry.name)] + kept + list(
            copied_by_name(project, build)):
        examples.setdefault(relative, f"!{_literal(relative)}")
    hidden = [relative for relative in examples if not before.excludes(relative) and current.excludes(relative)]
    if hidden:
        # Right after the env patterns: the patterns after them keep out folders, not env files.
        at = max((index + 1 for index, pattern in enumerate(added) if pattern in ENV_PATTERNS), default=len(added))
        kept = [*added[:at], *dict.fromkeys(examples[relative] for relative in hidden), *added[at:]]
        final = parse_dockerignore(appended(text, kept))
        if not any(final.excludes(relative) for relative in hidden) and all(final.excludes(r) for r in sent):
            added = kept
    return Exclusions(tuple(shown.values()), tuple(added))


def _keeps_out(ignore: DockerIgnore, relative: str, folder: bool) -> bool:
    """Whether the ``.dockerignore`` keeps ``relative`` out, or, for a folder, everything in it (``.git/*``: Docker
    sends the empty folder alone)."""
    return ignore.excludes(relative) or folder and ignore.excludes(f"{relative}/{CONTENT_PROBE}") \
        and not ignore.may_reinclude_below(relative)


def _unwanted(project: Project, build: ImageBuild) -> list[tuple[str, tuple[str, ...]]]:
    """What the context holds (or will) that an image should not: each path, with the patterns that may keep it out.

    ``.git``, env files (present, or made from a committed template), virtualenvs,
    ``__pycache__``, ``node_modules`` and the data directories that database services
    bind-mount inside the context (present or to come). The patterns come best first; the
    last is always the path itself.
    """
    found: list[tuple[str, tuple[str, ...]]] = []
    for entry in project.context_entries(build):
        name, relative = entry.name, entry.relative
        if name == ".git":
            found.append((relative, (".git", "**/.git")))
        elif not entry.is_dir and is_env_name(name) and template_folder(relative) is None \
                and not bundled_values(project, build.context / relative):
            found.append((relative, ENV_PATTERNS))
        elif name == "pyvenv.cfg" and "/" in relative:
            folder = relative.rpartition("/")[0]
            found.append((folder, (folder,)))
        elif entry.is_dir and name in {"__pycache__", "node_modules"}:
            found.append((relative, (f"**/{name}",)))
    found += [(relative, ENV_PATTERNS) for relative in env_files_to_come(project, build)
              if not bundled_values(project, build.context / relative)]
    found += [(relative, (f"/{relative}",)) for relative in data_folders(project, build)]
    return [(relative, tuple(dict.fromkeys((*candidates, _literal(relative))))) for relative, candidates in found]


def template_folder(relative: str) -> str | None:
    """The folder of templates a path lies in (``config/envs_template`` for ``config/envs_template/django/.env``),
    which mirrors a gitignored folder of env files (:meth:`ProjectFiles.template_for
    <djlint_docker.files.ProjectFiles.template_for>`); None when it lies in none."""
    parts = relative.split("/")
    return next(("/".join(parts[:index + 1]) for index, part in enumerate(parts[:-1])
                 if template_base(part) is not None), None)


def copied_by_name(project: Project, build: ImageBuild) -> tuple[str, ...]:
    """The paths, relative to the context, that a Dockerfile building from the same context copies by name
    (``COPY .env.test ./.env.test``), whose RUN reads an env file by name (``DJANGO_DOT_ENV_FILE=.env.local``) or
    whose start script sources one the image holds (``set -a; source .env``), in
    this setup or another of the project's (a production Dockerfile), whether the file is there yet or not: a
    ``.dockerignore`` pattern that keeps one out breaks that build."""
    found: list[str] = []
    for other in [b for variant in project.variants for b in variant.builds]:
        if other.context != build.context or other.dockerfile is None:
            continue
        for instruction in other.dockerfile.instructions:
            if instruction.keyword == "RUN" and ".env" in instruction.args:  # `DJANGO_DOT_ENV_FILE=.env.local ...`
                found += [posixpath.normpath(name) for name in RUN_ENV_FILE.findall(instruction.args)]
            if instruction.keyword not in {"COPY", "ADD"} or instruction.flag("from") is not None:
                continue
            sources = list(instruction.exec_form or instruction.words())[:-1]
            found += [posixpath.normpath(source.lstrip("/")) for source in sources
                      if not source.startswith("-") and not re.search(r"[*?\[$]", source)]
        found += [path.relative_to(other.context).as_posix() for path in project.sourced_files(other)
                  if path.is_relative_to(other.context)]  # `set -a; source .env` in the entrypoint: read at start
    return tuple(dict.fromkeys(path for path in found if path != "."))


RUN_ENV_FILE = re.compile(r"(?<![^\s=\"'])((?:[\w-]+/)*\.env(?:\.[\w-]+)*)(?![^\s;&|\"'])")
"""An env file of the context a RUN names relative to its folder, alone or as a variable's value
(``DJANGO_DOT_ENV_FILE=.env.local``): the build reads it."""
PUBLIC_PREFIX = re.compile(r"(?:VITE|NEXT_PUBLIC|REACT_APP|VUE_APP|NUXT_PUBLIC|PUBLIC|EXPO_PUBLIC|GATSBY)_\w+")
"""A variable a frontend bundler builds into the JavaScript it serves (``VITE_API_URL``, ``NEXT_PUBLIC_SITE``): public
by design, and read from the ``.env`` in the build context."""


def bundled_values(project: Project, path: Path) -> bool:
    """Whether an env file (or the template it is made from) sets only variables a frontend bundler builds into its
    JavaScript (:data:`PUBLIC_PREFIX`): the build reads it from the context, and it holds nothing secret."""
    source = path if project.is_file(path) else project.template_for(path)
    values = project.env_file(source, quiet=True) if source is not None else {}
    return bool(values) and all(PUBLIC_PREFIX.fullmatch(name) for name in values)


def env_files_to_come(project: Project, build: ImageBuild) -> list[str]:
    """The env files of a build's context that each clone makes, and git ignores: from a committed template (``.env``
    from ``.env.example`` beside it, ``config/.envs/django/.env`` from ``config/envs_template/django/.env``), or by
    hand (the ``.env`` the README says to create, one a service's ``env_file:`` reads). Absent from a fresh clone,
    sent with the context once made. Relative to the context."""
    entries = project.context_entries(build)
    present = {entry.relative for entry in entries}
    made = []
    for entry in entries:
        if entry.is_dir or "env" not in entry.name.lower() or "{{" in entry.relative:
            continue  # no env template, or one of a project template (`{{cookiecutter.name}}/`), rendered elsewhere
        for relative in _made_from(entry.relative):
            target = build.context / relative
            if relative not in present and is_env_name(target.name) and project.gitignored(target) \
                    and project.template_for(target) == build.context / entry.relative:
                made.append(relative)
                break
    # made by hand: the `.env` the README says to create, or an env file a service of the stack reads
    named = [ref.path for service in project.services for ref in service.env_files]
    for target in dict.fromkeys([build.context / ".env", *named]):
        if target.is_relative_to(build.context) and target != build.context and is_env_name(target.name) \
                and not project.is_file(target) and project.gitignored(target) \
                and (target in named or project.readme_creates(target, beside=True)):
            made.append(posix_relative(target, build.context))
    return list(dict.fromkeys(made))


def _made_from(template: str) -> list[str]:
    """Where a clone may copy a template to, relative to the context: the file its name is a template of, or the
    same place in the folder a folder of templates mirrors (``.envs`` or ``envs`` for ``envs_template``)."""
    folder = template_folder(template)
    if folder is not None:
        parent, _, name = folder.rpartition("/")
        base = (template_base(name) or "").lstrip(".")
        rest = template[len(folder):]
        return [f"{parent}/{mirror}{rest}" if parent else f"{mirror}{rest}" for mirror in (f".{base}", base)]
    above, _, name = template.rpartition("/")
    made = template_base(name)
    return [] if made is None else [f"{above}/{made}" if above else made]


def as_named(project: Project, build: ImageBuild, relative: str) -> str:
    """A path the context lets in, as a message names it: with the template it is made from when it is to come."""
    template = project.template_for(build.context / relative)
    if template is None:
        return relative
    shown = posix_relative(template, build.context) if template.is_relative_to(build.context) else template.name
    return f"{relative} (once made from {shown})"


def _literal(relative: str) -> str:
    """A pattern for just one path of the context: wildcards escaped, anchored when ``#`` or ``!`` starts the name."""
    escaped = re.sub(r"[\r\n]", "?", re.sub(r"([*?\[\\])", r"\\\1", relative))  # a pattern is one line
    return escaped if escaped == relative and not relative.startswith(("#", "!")) else f"/{escaped}"


def _normal(pattern: str) -> str:
    """A pattern as the matcher reads it (``/data`` and ``data/`` are ``data``), to compare with the file's."""
    parsed = parse_dockerignore(pattern).patterns
    return parsed[0].text if parsed else pattern


def data_folders(project: Project, build: ImageBuild) -> list[str]:
    """The data directories database services bind-mount inside a build's context, relative to it; none of a stack
    copied elsewhere to run (an install recipe): its data folders lie beside that copy."""
    if copied_elsewhere(project):
        return []
    return [posix_relative(source, build.context) for _, _, _, source in data_mounts(project)
            if source.is_relative_to(build.context) and source != build.context]


def appended(text: str, lines: list[str]) -> str:
    """``text`` with ``lines`` after its last line, as the fix writes them."""
    if not lines:
        return text
    return text + ("\n" if text and not text.endswith("\n") else "") + "\n".join(lines) + "\n"
