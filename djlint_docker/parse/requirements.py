"""pip requirements files: names, specifiers and extras, ``-r`` includes followed.

Plain lines (``name[extras]`` and comparisons with numeric versions: nearly every line
of a real requirements file) are read by :data:`PLAIN`, which agrees with ``packaging``
on them (a test holds the two together); any other line (markers, URLs, pre-releases,
odd versions) goes to ``packaging``, imported only then, which also words the error for
a line pip would refuse.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from djlint_docker.parse import ParseError
from djlint_docker.records import record

MAX_INCLUDES = 50


@record
class Requirement:
    """One requirement line: canonical name, specifier text, extras and position."""

    name: str
    specifier: str
    extras: frozenset[str]
    path: Path
    line: int

    @property
    def operators(self) -> set[str]:
        """The comparison operators of the specifier: ``{"<", ">="}`` for ``<4.0,>=3.0``."""
        return {_operator(clause) for clause in self.specifier.split(",") if clause}


def _operator(clause: str) -> str:
    match = re.match(r"[=!<>~]*", clause)
    assert match is not None  # ``*`` matches the empty string, so re.match always succeeds
    return match.group()


@record
class RequirementsFile:
    """The requirements of one file and the files it includes with ``-r``/``-c``."""

    path: Path
    requirements: tuple[Requirement, ...]
    includes: tuple[tuple[str, int], ...]  # (path as written, line)


_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
EGG = re.compile(r"#(?:.*&)?egg=([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
"""The project a URL or VCS requirement installs: ``git+https://...#egg=django-celery-beat``."""
_CLAUSE = r"(?:(?:==|!=)\s*\d+(?:\.\d+)*(?:\.\*)?|(?:<=|>=|<|>)\s*\d+(?:\.\d+)*|~=\s*\d+(?:\.\d+)+)"
#: A requirement with a PEP 508 name, optional extras and comparisons against numeric versions only.
PLAIN = re.compile(rf"({_NAME})\s*(?:\[\s*({_NAME}(?:\s*,\s*{_NAME})*)?\s*\])?\s*({_CLAUSE}(?:\s*,\s*{_CLAUSE})*)?")


def canonical_name(name: str) -> str:
    """A project name normalised as PyPI compares names (PEP 503).

    ``Django_REST.framework`` is ``django-rest-framework``.
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def _read(spec: str, number: int) -> tuple[str, str, frozenset[str]]:
    """(canonical name, specifier as ``packaging`` writes it, extras) of one requirement."""
    plain = PLAIN.fullmatch(spec)
    clauses = [re.sub(r"\s+", "", clause) for clause in (plain.group(3) or "").split(",") if clause] if plain else []
    operators = [_operator(clause) for clause in clauses]
    if plain and len(set(operators)) == len(operators):  # ``==1,==1.0`` is one clause to packaging: left to it
        name, extras = plain.group(1), plain.group(2)
        extras_set = frozenset(re.split(r"\s*,\s*", extras) if extras else ())
        return canonical_name(name), ",".join(sorted(clauses)), extras_set
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as PackagingRequirement

    try:
        parsed = PackagingRequirement(spec)
    except InvalidRequirement as error:
        raise ParseError(f"invalid requirement {spec!r}: {error}", number) from None
    return canonical_name(parsed.name), str(parsed.specifier), frozenset(parsed.extras)


def requirement_from(spec: str, path: Path, line: int) -> Requirement:
    """One PEP 508 string (as ``pyproject.toml`` lists them); :class:`ParseError` when pip would refuse it."""
    return Requirement(*_read(spec.strip(), line), path, line)


def requirement_name(word: str) -> str:
    """The distribution a requirement word names, before its extras, version, marker or URL (``gunicorn`` of
    ``gunicorn[gevent]==23.0.0``)."""
    return re.split(r"[\[<>=!~;@ ]", word, maxsplit=1)[0]


def requirement_files_named(words: Sequence[str]) -> list[str]:
    """The files the ``-r`` options among ``words`` name, in each form pip reads.

    pip parses its options with optparse: ``-r FILE``, ``-rFILE``, ``--requirement FILE``
    and ``--requirement=FILE``, on the command line and in a requirements file alike;
    ``uv pip`` also takes ``--requirements``.
    """
    named = []
    long_forms = ("--requirement", "--requirements")
    for index, word in enumerate(words):
        if word == "-r" or word in long_forms:
            named.append(words[index + 1] if index + 1 < len(words) else "")
        elif word.startswith(tuple(f"{form}=" for form in long_forms)):
            named.append(word.partition("=")[2])
        elif word.startswith("-r") and not word.startswith("--") and \
                (index == 0 or words[index - 1] not in ("-r", *long_forms)):
            named.append(word[2:])
    return [name for name in named if name]


def parse_requirements(path: Path, text: str) -> RequirementsFile:
    """Parse a requirements file; raise :class:`ParseError` at the first line pip would refuse.

    ``uv pip install -r pyproject.toml`` reads the ``[project]`` dependencies of a TOML file.
    """
    if path.suffix == ".toml":
        return _pyproject_as_requirements(path, text)
    requirements: list[Requirement] = []
    includes: list[tuple[str, int]] = []
    for number, line in _logical_lines(text):
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line:
            continue
        egg = EGG.search(line)
        if egg is not None and (line.startswith(("-e", "--editable")) or re.match(r"^[a-z+]+://", line)):
            # `-e git+https://github.com/celery/django-celery-beat.git#egg=django-celery-beat`: that project, from
            # its repository, at a version djcheck does not know
            requirements.append(Requirement(canonical_name(egg.group(1)), "", frozenset(), path, number))
            continue
        if line.startswith("-"):  # options: -r includes a file; -c, --index-url, -e and the rest install none
            includes.extend((named, number) for named in requirement_files_named(line.split()))
            continue
        if re.match(r"^[a-z+]+://", line) or line.startswith((".", "/")):
            continue  # URLs and local paths name no index package
        spec = line.split(" --", 1)[0].strip()  # per-requirement options such as --hash
        if ";" in spec and not spec.split(";", 1)[1].strip():
            spec = spec.split(";", 1)[0].strip()  # `aioredis==1.3.1; `: pip drops an empty marker
        requirements.append(Requirement(*_read(spec, number), path, number))
    return RequirementsFile(path, tuple(requirements), tuple(includes))


def _pyproject_as_requirements(path: Path, text: str) -> RequirementsFile:
    """The ``[project].dependencies`` of a ``pyproject.toml`` given to ``-r`` (as uv reads it), each at its line."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+), column (\d+)", str(error))
        raise ParseError(f"invalid TOML: {str(error).split(' (at ')[0]}", int(found.group(1)) if found else 1,
                         int(found.group(2)) if found else 1) from None
    project = data.get("project")
    values = project.get("dependencies") if isinstance(project, dict) else None
    lines = text.splitlines()
    requirements = []
    for value in values if isinstance(values, list) else []:
        if isinstance(value, str):
            line = next((number for number, written in enumerate(lines, start=1)
                         if f'"{value}"' in written or f"'{value}'" in written), 1)
            requirements.append(requirement_from(value, path, line))
    return RequirementsFile(path, tuple(requirements), ())


def _logical_lines(text: str) -> list[tuple[int, str]]:
    result: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        result.append((start, pending + line))
        pending = ""
    if pending:
        result.append((start, pending))
    return result


def all_requirements(path: Path, load: Callable[[Path, tuple[Path, int] | None], RequirementsFile | None],
                     loop: Callable[[Path, int, Path], None] = lambda *_: None) -> list[Requirement]:
    """The requirements of ``path`` and of every file it includes, each file read once.

    ``load`` receives each path and the (file, line) of the ``-r`` that includes it;
    ``loop`` the (file, line) of a ``-r`` that includes a file it is itself included by
    (pip recurses on such a loop until it fails).
    """
    result: list[Requirement] = []
    seen: set[Path] = set()

    def visit(current: Path, included_from: tuple[Path, int] | None, chain: tuple[Path, ...]) -> None:
        if current in chain and included_from is not None:
            loop(*included_from, current)
            return
        if current in seen or len(seen) >= MAX_INCLUDES:
            return
        seen.add(current)
        parsed = load(current, included_from)
        if parsed is None:
            return
        result.extend(parsed.requirements)
        for include, line in parsed.includes:
            visit(Path(os.path.normpath(current.parent / include)), (current, line), (*chain, current))

    visit(Path(os.path.normpath(path)), None, ())
    return result


#: ``pip install`` options that take a value (the value names no package).
PIP_OPTIONS_WITH_VALUE = {"-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url",
                          "-f", "--find-links", "--target", "-t", "--prefix", "--root", "--group", "--trusted-host",
                          "--python", "--platform", "--python-version", "--only-binary", "--no-binary", "--src",
                          "--cache-dir", "--upgrade-strategy", "--progress-bar", "--root-user-action", "--timeout",
                          "--retries", "--proxy", "--log", "--implementation", "--abi", "--report",
                          "-w", "--wheel-dir",  # pip wheel's
                          # uv pip's own
                          "--requirements", "--constraints", "--overrides", "--index", "--default-index",
                          "--index-strategy", "--python-preference", "--keyring-provider", "--resolution",
                          "--prerelease", "--exclude-newer", "--link-mode", "--config-settings", "-C", "-p",
                          "--torch-backend"}


@record
class PipInstall:
    """What the arguments of one ``pip install`` name: packages by name, and local paths or editables."""

    packages: tuple[str, ...]  # canonical names
    paths: tuple[str, ...]  # wheels, folders, ``.``: what the install reads from disk
    editable: bool
    specs: tuple[str, ...] = ()  # the packages as written (``psycopg2==2.9.10``)


def pip_install(words: tuple[str, ...] | list[str]) -> PipInstall | None:
    """The arguments of a ``pip install`` command, or None when the words are no such command."""
    if "install" not in words:
        return None
    packages: list[str] = []
    paths: list[str] = []
    specs: list[str] = []
    editable = False
    rest = iter(words[list(words).index("install") + 1:])
    for word in rest:
        if word in PIP_OPTIONS_WITH_VALUE:
            next(rest, None)
        elif word in {"-e", "--editable"}:
            editable = True
        elif word.startswith("-"):
            continue
        elif word.startswith(("/", ".", "$")) or "/" in word or word.endswith(".whl"):
            paths.append(word)
        else:
            name = requirement_name(word)
            if name and name not in {"pip", "setuptools", "wheel"}:
                packages.append(canonical_name(name))
                specs.append(word)
    return PipInstall(tuple(packages), tuple(paths), editable, tuple(specs))
