"""Configuration: ``[tool.djcheck]`` in ``pyproject.toml``, or ``.djcheck.toml``.

The file is found from the checked path upwards, stopping at the repository root (the
folder holding ``.git``); in one folder ``.djcheck.toml`` wins over ``pyproject.toml``.
Keys are ruff's where ruff has one::

    [tool.djcheck]
    select = ["DJC"]                 # codes, prefixes (DJC1) or rule names
    extend-select = []
    ignore = ["DJC310"]
    per-file-ignores = { "docker-compose.dev.yml" = ["DJC301"] }
    severity = { DJC204 = "info" }   # a severity per code, prefix or name
    fail-on = "warning"              # exit 1 only for findings this severe or worse
    exclude = ["legacy/"]            # gitignore patterns, relative to this file
    extend-exclude = []
    settings-module = "config.settings.production"
    compose-files = [["docker-compose.yml", "docker-compose.prod.yml"], "deploy/stack.yml"]

An unknown key, a wrong type or broken TOML is a :class:`ConfigError`; a code or name
that names no rule is kept and reported as DJC003 where the file says it.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from djlint_docker.findings import Severity
from djlint_docker.parse.gitignore import GitIgnore, parse_gitignore
from djlint_docker.records import record, replaced

NAMES = (".djcheck.toml", "pyproject.toml")
KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on", "exclude",
        "extend-exclude", "settings-module", "compose-files")
SEVERITIES = {str(s): s for s in sorted(Severity, reverse=True)}


class ConfigError(ValueError):
    """A configuration file djcheck cannot use; the message names the file and the key."""


@record
class Selection:
    """One layer of rule selection: the configuration file, then the command line over it.

    A layer with ``select`` starts afresh; one without changes only the rules its
    entries name. Within a layer the longer match wins, and ``ignore`` wins a tie.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@record
class RuleToken:
    """A code, prefix or name as the configuration wrote it, and where."""

    text: str
    path: Path | None = None
    line: int = 1


@record
class Config:
    """One configuration: what the file says, with paths relative to ``root``."""

    path: Path | None = None  # the file; None for the built-in defaults
    root: Path = Path(".")
    select: tuple[RuleToken, ...] | None = None  # None: every rule
    extend_select: tuple[RuleToken, ...] = ()
    ignore: tuple[RuleToken, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[RuleToken, ...]], ...] = ()
    severity: tuple[tuple[RuleToken, Severity], ...] = ()
    fail_on: Severity | None = None  # None: any finding fails
    exclude: tuple[str, ...] = ()
    settings_module: str | None = None
    compose_files: tuple[tuple[Path, ...], ...] = ()
    command_line: Selection = Selection()  # the flags, over the file's selection
    tokens: tuple[RuleToken, ...] = ()  # every code or name it names

    @property
    def layers(self) -> tuple[Selection, Selection]:
        """The file's selection, then the command line's."""
        written = Selection(None if self.select is None else tuple(t.text for t in self.select),
                            tuple(t.text for t in self.extend_select), tuple(t.text for t in self.ignore))
        return written, self.command_line

    def _relative(self, path: Path) -> str | None:
        path = Path(os.path.abspath(path))  # normalised: a finding's path may climb with ".."
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else None

    def excludes(self, path: Path) -> bool:
        """Whether ``path`` (a file or folder), or a folder it is in, matches an ``exclude`` pattern."""
        relative = self._relative(path) if self.exclude else None
        if not relative or relative == ".":
            return False
        return _patterns(self.exclude).ignores(relative, folder=os.path.isdir(path))

    def ignored_in(self, path: Path) -> tuple[str, ...]:
        """The codes, prefixes and names ``per-file-ignores`` turns off for ``path``."""
        relative = self._relative(path) if self.per_file_ignores else None
        if not relative:
            return ()
        return tuple(token.text for pattern, tokens in self.per_file_ignores
                     if _patterns((pattern,)).ignores(relative, folder=False) for token in tokens)


@functools.cache
def _patterns(patterns: tuple[str, ...]) -> GitIgnore:
    return parse_gitignore(Path(".gitignore"), "\n".join(patterns))


def find_config(start: Path) -> Path | None:
    """The configuration file that applies to ``start``: the nearest one upwards, within the repository."""
    folder = (start if os.path.isdir(start) else start.parent).resolve()
    for candidate in (folder, *folder.parents):
        for name in NAMES:
            path = candidate / name
            if os.path.isfile(path) and (name != "pyproject.toml" or _has_table(path)):
                return path
        if os.path.exists(candidate / ".git"):
            return None
    return None


def _has_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if "djcheck" not in text:  # most pyproject.toml files: no TOML parsing at start-up
        return False
    try:
        return "djcheck" in _read(path).get("tool", {})
    except ConfigError:
        return bool(re.search(r"^\s*\[\s*tool\s*\.\s*djcheck\b", text, re.M))


def _read(path: Path) -> dict[str, Any]:
    import tomllib  # only when a configuration file exists: about 10 ms of start-up otherwise

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def load_config(path: Path) -> Config:
    """Read the configuration in ``path`` (``[tool.djcheck]`` of a ``pyproject.toml``)."""
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("djcheck", {})
        where = f"{path}: [tool.djcheck]"
    else:
        where = str(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{where} must be a table")
    for key in data:
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(KEYS)})"
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
    lines = path.read_text(encoding="utf-8").splitlines()
    reader = _Reader(path, where, lines)
    root = path.parent.resolve()
    select = reader.tokens(data, "select") if "select" in data else None
    per_file = data.get("per-file-ignores", {})
    reader.expect(per_file, dict, "per-file-ignores", "a table of pattern = [codes]")
    severity = data.get("severity", {})
    reader.expect(severity, dict, "severity", 'a table of code = "error" | "warning" | "info"')
    config = Config(
        path=path,
        root=root,
        select=select,
        extend_select=reader.tokens(data, "extend-select"),
        ignore=reader.tokens(data, "ignore"),
        per_file_ignores=tuple((pattern, reader.tokens(per_file, pattern, f"per-file-ignores.{pattern!r}"))
                               for pattern in per_file),
        severity=tuple((reader.token(code), reader.severity(value, f"severity.{code}"))
                       for code, value in severity.items()),
        fail_on=reader.severity(data["fail-on"], "fail-on") if "fail-on" in data else None,
        exclude=reader.strings(data, "exclude") + reader.strings(data, "extend-exclude"),
        settings_module=reader.string(data, "settings-module"),
        compose_files=reader.stacks(data, root),
    )
    return _with_tokens(config)


def _with_tokens(config: Config) -> Config:
    tokens = (*(config.select or ()), *config.extend_select, *config.ignore,
              *(t for _, group in config.per_file_ignores for t in group), *(t for t, _ in config.severity))
    return replaced(config, tokens=tokens)


class _Reader:
    """Typed access to the values of one configuration file, with the line of each code."""

    def __init__(self, path: Path, where: str, lines: list[str]) -> None:
        self.path, self.where, self.lines = path, where, lines

    def expect(self, value: object, kind: type, key: str, what: str) -> None:
        if not isinstance(value, kind):
            raise ConfigError(f"{self.where}: {key} must be {what}, not {value!r}")

    def token(self, text: str) -> RuleToken:
        quoted = re.compile(rf"""(["']){re.escape(text)}\1|^\s*{re.escape(text)}\s*=""")
        line = next((number for number, content in enumerate(self.lines, 1) if quoted.search(content)), 1)
        return RuleToken(text, self.path, line)

    def tokens(self, table: dict[str, Any], key: str, label: str | None = None) -> tuple[RuleToken, ...]:
        values = table.get(key, [])
        if isinstance(values, str):
            values = [values]
        self.expect(values, list, label or key, "a list of codes, prefixes or rule names")
        for value in values:
            self.expect(value, str, label or key, "a list of codes, prefixes or rule names")
        return tuple(self.token(value) for value in values)

    def strings(self, table: dict[str, Any], key: str) -> tuple[str, ...]:
        values = table.get(key, [])
        self.expect(values, list, key, "a list of strings")
        for value in values:
            self.expect(value, str, key, "a list of strings")
        return tuple(values)

    def string(self, table: dict[str, Any], key: str) -> str | None:
        value = table.get(key)
        if value is not None:
            self.expect(value, str, key, "a string")
        return value

    def severity(self, value: object, key: str) -> Severity:
        if value not in SEVERITIES:
            raise ConfigError(f"{self.where}: {key} must be one of {', '.join(SEVERITIES)}, not {value!r}")
        return SEVERITIES[value]

    def stacks(self, table: dict[str, Any], root: Path) -> tuple[tuple[Path, ...], ...]:
        stacks = table.get("compose-files", [])
        what = "a list of compose files, each a path or a list of paths merged in order"
        self.expect(stacks, list, "compose-files", what)
        result = []
        for stack in stacks:
            names = [stack] if isinstance(stack, str) else stack
            if not (isinstance(names, list) and names and all(isinstance(n, str) for n in names)):
                raise ConfigError(f"{self.where}: compose-files must be {what}, not {stack!r}")
            paths = tuple(Path(os.path.normpath(root / name)) for name in names)
            for path in paths:
                if not os.path.isfile(path):
                    raise ConfigError(f"{self.where}: compose-files names {path}, which is not a file")
            result.append(paths)
        return tuple(result)


DEFAULTS = Config()
"""The configuration when no file gives one."""


def configuration(target: Path) -> Config:
    """The configuration that applies to ``target``: the nearest file upwards, else the defaults."""
    path = find_config(target)
    return load_config(path) if path else DEFAULTS


@record
class Overrides:
    """What the command line says over every configuration file: the selection, exclusions, fail-on, which file."""

    selection: Selection = Selection()
    exclude: tuple[str, ...] | None = None  # replaces the file's patterns
    extend_exclude: tuple[str, ...] = ()
    fail_on: Severity | None = None
    config_file: Path | None = None  # this file instead of the nearest one
    isolated: bool = False  # no file at all

    def config_for(self, target: Path) -> Config:
        """The configuration for ``target`` with the command line laid over it."""
        config = DEFAULTS if self.isolated else load_config(self.config_file) if self.config_file else \
            configuration(target)
        changes: dict[str, Any] = {"command_line": self.selection}
        if self.exclude is not None or self.extend_exclude:
            changes["exclude"] = (config.exclude if self.exclude is None else self.exclude) + self.extend_exclude
            changes["root"] = config.root if config.path else Path.cwd().resolve()
        if self.fail_on is not None:
            changes["fail_on"] = self.fail_on
        return replaced(config, **changes)
