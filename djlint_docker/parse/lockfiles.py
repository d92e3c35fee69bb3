"""What other installers read: ``pyproject.toml``, ``uv.lock``, ``poetry.lock``, ``Pipfile``, ``Pipfile.lock``.

Each becomes a small model of :class:`~djlint_docker.parse.requirements.Requirement`
records (canonical name, specifier, extras, file and line), as a requirements file does:

- ``pyproject.toml``: ``[project].dependencies``, ``[project.optional-dependencies]``
  (extras), PEP 735 ``[dependency-groups]`` (``{include-group = ...}`` followed),
  uv's ``[tool.uv].dev-dependencies`` and poetry's ``[tool.poetry.dependencies]``,
  ``[tool.poetry.group.<name>.dependencies]`` and ``dev-dependencies``, whose ``^``/``~``
  constraints are written as the PEP 440 ranges they mean;
- ``uv.lock`` and ``poetry.lock``: each locked package with its version (``==``) and
  what it depends on, so that what an install brings can be followed from the
  project's own entry;
- ``Pipfile`` (TOML) and ``Pipfile.lock`` (JSON): ``packages``/``default`` and
  ``dev-packages``/``develop``.

``tomllib`` and ``json`` are imported only when such a file is read. Line numbers come
from one linear pass over the text (TOML parsers give none): a key under its table, or
a quoted string in an array.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from djlint_docker.parse import ParseError
from djlint_docker.parse.requirements import Requirement, canonical_name, requirement_from
from djlint_docker.records import record

MAX_GROUP_INCLUDES = 50


@record
class PyProject:
    """What a ``pyproject.toml`` declares that an install reads."""

    path: Path
    name: str | None  # [project].name (poetry's [tool.poetry].name), canonical
    dependencies: tuple[Requirement, ...] | None  # [project].dependencies; None: dynamic or no [project] table
    optional: dict[str, tuple[Requirement, ...]]  # extras
    groups: dict[str, tuple[Requirement, ...]]  # PEP 735 groups, and uv's dev-dependencies as "dev"
    poetry: dict[str, tuple[Requirement, ...]] | None  # "main" and each group (legacy dev-dependencies as "dev")
    poetry_optional_groups: frozenset[str]  # groups ``poetry install`` leaves out unless ``--with``
    poetry_extras: dict[str, tuple[str, ...]]  # [tool.poetry.extras]: extra -> canonical names
    build_backend: str | None

    @property
    def has_project(self) -> bool:
        return self.dependencies is not None


@record
class LockedPackage:
    """One package of a lock file: its version (a requirement ``==version`` at its line) and what it needs."""

    requirement: Requirement
    dependencies: tuple[tuple[str, frozenset[str]], ...]  # (canonical name, extras)
    optional: dict[str, tuple[tuple[str, frozenset[str]], ...]]  # its extras
    groups: dict[str, tuple[tuple[str, frozenset[str]], ...]]  # uv: [package.dev-dependencies]
    root: bool  # the project itself (uv: an editable or virtual source ".")


@record
class LockFile:
    """``uv.lock`` or ``poetry.lock``: every locked package by canonical name."""

    path: Path
    packages: dict[str, LockedPackage]

    def closure(self, roots: list[tuple[str, frozenset[str]]]) -> dict[str, LockedPackage]:
        """The locked packages installing ``roots`` (names with extras) brings, following dependencies and extras."""
        found: dict[str, LockedPackage] = {}
        done: set[tuple[str, frozenset[str]]] = set()
        pending = list(roots)
        while pending:
            name, extras = pending.pop()
            if (name, extras) in done:
                continue
            done.add((name, extras))
            package = self.packages.get(name)
            if package is None:
                continue
            found[name] = package
            pending.extend(package.dependencies)
            for extra in extras:
                pending.extend(package.optional.get(extra, ()))
        return found

    @property
    def root(self) -> LockedPackage | None:
        return next((package for package in self.packages.values() if package.root), None)


@record
class Pipfile:
    """A ``Pipfile`` (``packages``/``dev-packages``) or a ``Pipfile.lock`` (``default``/``develop``, pinned)."""

    path: Path
    default: tuple[Requirement, ...]
    develop: tuple[Requirement, ...]


# -- positions -------------------------------------------------------------------------------------------------

_TABLE = re.compile(r"\s*\[\[?([^\]]*)\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.-]+))\s*=""")
_STRING = re.compile(r""""((?:[^"\\]|\\.)*)"|'([^']*)'""")


class _Lines:
    """Where keys and quoted strings stand in a TOML text: one pass, each table's keys and strings by first line."""

    def __init__(self, text: str) -> None:
        self.keys: dict[tuple[str, str], int] = {}
        self.strings: dict[tuple[str, str], int] = {}
        self.tables: list[tuple[str, int]] = []  # every table header in order (arrays of tables repeat)
        table = ""
        for number, line in enumerate(text.splitlines(), start=1):
            header = _TABLE.match(line) if line.lstrip().startswith("[") else None
            if header:
                table = re.sub(r"\s*\.\s*", ".", header.group(1).strip()).replace('"', "").replace("'", "")
                self.tables.append((table, number))
                continue
            key = _KEY.match(line)
            if key:
                self.keys.setdefault((table, key.group(1) or key.group(2) or key.group(3)), number)
            for found in _STRING.finditer(line):
                self.strings.setdefault((table, found.group(1) if found.group(1) is not None else found.group(2)),
                                        number)

    def key(self, table: str, key: str) -> int:
        return self.keys.get((table, key), self.tables_line(table))

    def string(self, table: str, value: str) -> int:
        return self.strings.get((table, value), self.tables_line(table))

    def tables_line(self, table: str) -> int:
        return next((number for name, number in self.tables if name == table), 1)


def _toml(path: Path, text: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+), column (\d+)", str(error))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        raise ParseError(f"invalid TOML: {str(error).split(' (at ')[0]}", line, column) from None


def _requirement(spec: str, path: Path, line: int) -> Requirement | None:
    """A PEP 508 string as a requirement; None for one pip would refuse (the tool reports it, not djcheck)."""
    try:
        return requirement_from(spec, path, line)
    except ParseError:
        return None


# -- pyproject.toml ----------------------------------------------------------------------------------------------

def parse_pyproject(path: Path, text: str) -> PyProject:
    """The dependencies a ``pyproject.toml`` declares, for pip, uv and poetry."""
    data = _toml(path, text)
    lines = _Lines(text)
    project = data.get("project") if isinstance(data.get("project"), dict) else None
    tool = _dict(data.get("tool"))
    poetry_table = tool.get("poetry") if isinstance(tool.get("poetry"), dict) else None

    def strings(table: str, values: Any) -> tuple[Requirement, ...]:
        found = [_requirement(value, path, lines.string(table, value)) for value in _list(values)
                 if isinstance(value, str)]
        return tuple(requirement for requirement in found if requirement is not None)

    dependencies: tuple[Requirement, ...] | None = None
    optional: dict[str, tuple[Requirement, ...]] = {}
    name = None
    if project is not None:
        name = canonical_name(project["name"]) if isinstance(project.get("name"), str) else None
        dynamic = _list(project.get("dynamic"))
        if "dependencies" not in dynamic:
            dependencies = strings("project", project.get("dependencies"))
        extras = project.get("optional-dependencies")
        if isinstance(extras, dict) and "optional-dependencies" not in dynamic:
            optional = {canonical_name(extra): strings("project.optional-dependencies", values)
                        for extra, values in extras.items()}
    groups = _dependency_groups(data.get("dependency-groups"), path, lines)
    uv = _dict(tool.get("uv"))
    if "dev-dependencies" in uv:
        groups["dev"] = groups.get("dev", ()) + strings("tool.uv", uv.get("dev-dependencies"))
    poetry = None
    optional_groups: set[str] = set()
    poetry_extras: dict[str, tuple[str, ...]] = {}
    if poetry_table is not None:
        name = name or (canonical_name(poetry_table["name"]) if isinstance(poetry_table.get("name"), str) else None)
        poetry = {"main": _poetry_dependencies(poetry_table.get("dependencies"), "tool.poetry.dependencies", path,
                                               lines)}
        if "dev-dependencies" in poetry_table:
            poetry["dev"] = _poetry_dependencies(poetry_table["dev-dependencies"], "tool.poetry.dev-dependencies",
                                                 path, lines)
        for group, table in _dict(poetry_table.get("group")).items():
            if not isinstance(table, dict):
                continue
            poetry[group] = poetry.get(group, ()) + _poetry_dependencies(
                table.get("dependencies"), f"tool.poetry.group.{group}.dependencies", path, lines)
            if table.get("optional") is True:
                optional_groups.add(group)
        poetry_extras = {canonical_name(extra): tuple(canonical_name(n) for n in _list(names) if isinstance(n, str))
                         for extra, names in _dict(poetry_table.get("extras")).items()}
    build = _dict(data.get("build-system"))
    backend = build.get("build-backend") if isinstance(build.get("build-backend"), str) else None
    return PyProject(path, name, dependencies, optional, groups, poetry, frozenset(optional_groups), poetry_extras,
                     backend)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dependency_groups(table: Any, path: Path, lines: _Lines) -> dict[str, tuple[Requirement, ...]]:
    """PEP 735 groups, each with the groups it includes (``{include-group = "test"}``), a loop read once."""
    if not isinstance(table, dict):
        return {}
    names = {canonical_name(group): group for group in table}

    def members(group: str, seen: tuple[str, ...]) -> Iterator[Requirement]:
        if group in seen or len(seen) > MAX_GROUP_INCLUDES or group not in names:
            return
        for value in _list(table[names[group]]):
            if isinstance(value, str):
                found = _requirement(value, path, lines.string("dependency-groups", value))
                if found is not None:
                    yield found
            elif isinstance(value, dict) and isinstance(value.get("include-group"), str):
                yield from members(canonical_name(value["include-group"]), (*seen, group))

    return {group: tuple(members(group, ())) for group in names}


def poetry_specifier(constraint: str) -> str:
    """A poetry version constraint as the PEP 440 specifier it means (``^5.1`` is ``>=5.1,<6.0``).

    ``*`` and anything with ``||`` (either of two ranges) give no specifier: any version.
    """
    clauses = []
    if "||" in constraint or "|" in constraint:
        return ""
    for clause in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", constraint.strip()):
        clause = clause.strip()
        if clause in {"", "*"}:
            continue
        caret = re.fullmatch(r"\^\s*(\d+(?:\.\d+)*)(.*)", clause)
        tilde = re.fullmatch(r"~(?!=)\s*(\d+(?:\.\d+)*)(.*)", clause)
        if caret and not caret.group(2):
            numbers = [int(part) for part in caret.group(1).split(".")]
            index = next((i for i, part in enumerate(numbers) if part != 0), len(numbers) - 1)
            upper = [*numbers[:index], numbers[index] + 1]
            clauses += [f">={caret.group(1)}", "<" + ".".join(map(str, upper + [0] * max(0, 2 - len(upper))))]
        elif tilde and not tilde.group(2):
            numbers = [int(part) for part in tilde.group(1).split(".")]
            upper = [numbers[0] + 1] if len(numbers) == 1 else [numbers[0], numbers[1] + 1]
            clauses += [f">={tilde.group(1)}", "<" + ".".join(map(str, upper + [0] * max(0, 2 - len(upper))))]
        elif re.fullmatch(r"\d+(?:\.\d+)*(?:\.\*)?", clause):
            clauses.append(f"=={clause}")
        elif re.fullmatch(r"(===|==|!=|<=|>=|<|>|~=)\s*\S+", clause):
            clauses.append(re.sub(r"\s+", "", clause))
        else:
            return ""
    return ",".join(sorted(clauses))


def _poetry_dependencies(table: Any, section: str, path: Path, lines: _Lines) -> tuple[Requirement, ...]:
    """Poetry's ``name = "^1.2"`` / ``name = {version = "...", extras = [...]}`` entries; ``python`` is no package."""
    found = []
    for name, value in _dict(table).items():
        if canonical_name(name) == "python":
            continue
        extras: frozenset[str] = frozenset()
        if isinstance(value, str):
            specifier = poetry_specifier(value)
        elif isinstance(value, dict):
            version = value.get("version")
            specifier = poetry_specifier(version) if isinstance(version, str) else ""
            extras = frozenset(canonical_name(e) for e in _list(value.get("extras")) if isinstance(e, str))
        else:  # a list of constraints by marker: some version
            specifier = ""
        found.append(Requirement(canonical_name(name), specifier, extras, path, lines.key(section, name)))
    return tuple(found)


# -- uv.lock and poetry.lock ------------------------------------------------------------------------------------

def _dependency_list(values: Any) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((canonical_name(entry["name"]), frozenset(canonical_name(e) for e in _list(entry.get("extra"))
                                                           if isinstance(e, str)))
                 for entry in _list(values) if isinstance(entry, dict) and isinstance(entry.get("name"), str))


def _package_lines(text: str) -> dict[str, int]:
    """The line of each ``[[package]]``'s ``version`` (else its ``name``), by canonical name, first entry first."""
    found: dict[str, int] = {}
    name = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("[[package]]"):
            name = None
            continue
        key = re.match(r"(name|version)\s*=\s*\"([^\"]*)\"", line)
        if key and key.group(1) == "name":
            name = canonical_name(key.group(2))
            found.setdefault(name, number)
        elif key and name is not None and found.get(name) == number - 1:
            found[name] = number  # the version line just below the name
    return found


def _without_files(text: str) -> str:
    """``uv.lock`` without the ``sdist``/``wheels`` entries of its packages, most of its size and unused here.

    uv writes each as ``sdist = { ... }`` on one line and ``wheels = [`` ... ``]`` with
    one line per file; anything else is kept as written.
    """
    kept: list[str] = []
    in_wheels = False
    for line in text.splitlines(keepends=True):
        if in_wheels:
            in_wheels = line.rstrip() != "]"
        elif line.startswith("wheels = [") and line.rstrip() == "wheels = [":
            in_wheels = True
        elif not (line.startswith(("sdist = {", "wheels = [")) and line.rstrip().endswith(("}", "]"))):
            kept.append(line)
    return "".join(kept)


def parse_uv_lock(path: Path, text: str) -> LockFile:
    """``uv.lock``: every ``[[package]]`` with its version, dependencies, extras and (for the project) groups."""
    try:
        data = _toml(path, _without_files(text))
    except ParseError:
        data = _toml(path, text)  # the error where it stands in the file as written, or none
    at = _package_lines(text)
    packages: dict[str, LockedPackage] = {}
    for entry in _list(data.get("package")):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        name = canonical_name(entry["name"])
        source = _dict(entry.get("source"))
        root = source.get("editable") == "." or source.get("virtual") == "."
        version = entry.get("version")
        specifier = f"=={version}" if isinstance(version, str) else ""
        packages.setdefault(name, LockedPackage(
            Requirement(name, specifier, frozenset(), path, at.get(name, 1)),
            _dependency_list(entry.get("dependencies")),
            {canonical_name(extra): _dependency_list(values)
             for extra, values in _dict(entry.get("optional-dependencies")).items()},
            {canonical_name(group): _dependency_list(values)
             for group, values in _dict(entry.get("dev-dependencies")).items()},
            root))
    return LockFile(path, packages)


def parse_poetry_lock(path: Path, text: str) -> LockFile:
    """``poetry.lock``: every ``[[package]]`` with its version and the packages it depends on (with their extras)."""
    data = _toml(path, text)
    at = _package_lines(text)
    packages: dict[str, LockedPackage] = {}
    for entry in _list(data.get("package")):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        name = canonical_name(entry["name"])
        version = entry.get("version")
        dependencies = []
        for dependency, value in _dict(entry.get("dependencies")).items():
            constraints = value if isinstance(value, list) else [value]
            if all(isinstance(c, dict) and c.get("optional") is True for c in constraints):
                continue  # brought by one of the package's extras only
            extras = frozenset(canonical_name(e) for c in constraints if isinstance(c, dict)
                               for e in _list(c.get("extras")) if isinstance(e, str))
            dependencies.append((canonical_name(dependency), extras))
        optional: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {}
        for extra, names in _dict(entry.get("extras")).items():
            # "psycopg-binary (==3.2.3) ; extra == 'binary'": the name before any version or marker
            optional[canonical_name(extra)] = tuple(
                (canonical_name(match.group()), frozenset()) for value in _list(names) if isinstance(value, str)
                if (match := re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", value)))
        packages.setdefault(name, LockedPackage(
            Requirement(name, f"=={version}" if isinstance(version, str) else "", frozenset(), path, at.get(name, 1)),
            tuple(dependencies), optional, {}, False))
    return LockFile(path, packages)


# -- Pipfile and Pipfile.lock -----------------------------------------------------------------------------------

def parse_pipfile(path: Path, text: str) -> Pipfile:
    """A ``Pipfile``: ``[packages]`` and ``[dev-packages]``, written as poetry writes versions but PEP 440."""
    data = _toml(path, text)
    lines = _Lines(text)

    def section(name: str) -> tuple[Requirement, ...]:
        found = []
        for package, value in _dict(data.get(name)).items():
            extras: frozenset[str] = frozenset()
            version = value
            if isinstance(value, dict):
                version = value.get("version", "")
                extras = frozenset(canonical_name(e) for e in _list(value.get("extras")) if isinstance(e, str))
            specifier = "" if not isinstance(version, str) or version.strip() == "*" else \
                ",".join(sorted(re.sub(r"\s+", "", c) for c in version.split(",") if c.strip()))
            found.append(Requirement(canonical_name(package), specifier, extras, path, lines.key(name, package)))
        return tuple(found)

    return Pipfile(path, section("packages"), section("dev-packages"))


def parse_pipfile_lock(path: Path, text: str) -> Pipfile:
    """A ``Pipfile.lock`` (JSON): ``default`` and ``develop``, each package with its pinned version."""
    import json

    try:
        data = json.loads(text)
    except ValueError as error:
        raise ParseError(f"invalid JSON: {getattr(error, 'msg', error)}", getattr(error, "lineno", 1),
                         getattr(error, "colno", 1)) from None
    if not isinstance(data, dict):
        raise ParseError("invalid Pipfile.lock: not a JSON object")
    where: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        key = re.match(r'\s*"([^"]*)"\s*:\s*\{', line)
        if key and len(line) - len(line.lstrip()) <= 4:
            section = key.group(1)  # pipenv writes the sections four spaces in, their packages eight
        elif key:
            where.setdefault((section, key.group(1)), number)

    def packages(name: str) -> tuple[Requirement, ...]:
        found = []
        for package, value in _dict(data.get(name)).items():
            version = _dict(value).get("version")
            extras = frozenset(canonical_name(e) for e in _list(_dict(value).get("extras")) if isinstance(e, str))
            found.append(Requirement(canonical_name(package), version if isinstance(version, str) else "", extras,
                                     path, where.get((name, package), 1)))
        return tuple(found)

    return Pipfile(path, packages("default"), packages("develop"))
