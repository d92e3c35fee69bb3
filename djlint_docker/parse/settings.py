"""Django settings modules read with ``ast``: assignments, star imports, values under an environment.

Nothing is imported or executed. :func:`evaluate` computes the value of a setting's
expression for a given set of environment variables, understanding literals, the
environment reads of :mod:`~djlint_docker.parse.env_reads` (``os.environ``,
django-environ, python-decouple, dj-database-url), ``bool()``/``int()``/``str()``,
string methods, items and ``dict.get()``, comparisons and boolean logic, and the changes
made in place after a binding (``X["k"] = v``, ``X += [...]``, ``X["default"].update(...)``,
``X.append(...)``; one it cannot evaluate makes the setting, or that item, unknown).
Anything else raises :class:`Unknown`:
a value djcheck cannot know is never guessed. So does a value too large or too costly
to work out (:data:`MAX_BUILT_SIZE`, :data:`MAX_STEPS`); a name is evaluated once per
:func:`evaluate`, however many times the expression uses it.
"""

from __future__ import annotations

import ast
import copy
import glob
import json
import os
import re
import string
import sys
from collections import ChainMap, deque
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, TypeVar

from djlint_docker.parse import ParseError
from djlint_docker.parse.env_reads import (
    ENVIRON,
    GETENV,
    NO_DEFAULT,
    OPAQUE,
    EnvRead,
    MissingVariable,
    Opaque,
    Unknown,
    database_url,
    env_read,
    qualified,
    read_value,
)
from djlint_docker.records import record, replaced

__all__ = ["MissingVariable", "NotSet", "Opaque", "Unknown"]

T = TypeVar("T", bound="ast.AST | None")

MAX_DEPTH = 40
MAX_BUILT_SIZE = 1_000_000  # characters and items of a value the settings build (concatenation, f-string, list)
MAX_INTEGER = 10**100  # no setting is this large; doubling at each name, a sum soon has more digits than str() takes
MAX_STEPS = 200_000  # expressions one evaluation goes through, each name's once


@record
class Assignment:
    """A module-level binding of a name; ``node`` is None when it is modified in place or imported.

    ``imported`` is the dotted name an import binds (``from decouple import config``
    binds ``config`` to ``decouple.config``).
    """

    name: str
    node: ast.expr | None
    path: Path
    line: int
    column: int
    imported: str | None = None
    changes: bool = False  # a change in place (``X.append(...)``, ``X["k"] = v``), not a new binding


@record
class StarImport:
    """``from <module> import *`` at module level (``level`` dots for relative imports).

    ``chosen`` is set for a module chosen at run time (``import_module(f"app.settings.{ENV}")``
    whose names ``globals().update()`` copies, ``exec(f"from .{ENV} import *")``): the
    expression of its name, of which ``module`` is the literal start (``app.settings.``).

    ``included`` is set for a file django-split-settings' ``include()`` runs: a glob
    relative to the module's folder (the literal start of ``chosen`` when the path is
    built at run time; ``chosen`` is :class:`NotKnown` when nothing of it is known);
    ``optional`` when it is wrapped in ``optional()`` (a missing file is no error).
    """

    module: str
    level: int
    line: int
    chosen: ast.expr | None = None
    included: str | None = None
    optional: bool = False


@record
class PythonModule:
    """The module-level statements of a settings file that matter to djcheck, in order."""

    path: Path
    statements: tuple[Statement, ...]


LIST_CHANGES = {"append", "extend", "insert", "remove", "clear", "pop", "reverse"}
DICT_CHANGES = {"update", "setdefault", "clear", "pop"}
"""The changes in place that are evaluated."""
MUTATORS = LIST_CHANGES | DICT_CHANGES | {"add", "discard", "popitem", "sort"}
"""Methods of lists, dicts and sets that change the value in place (the last ones make it unknown)."""
ITEM_READERS = {"get", "setdefault"}  # ``X.get("k", {})`` / ``X.setdefault("k", {})`` reach an item to change
MAX_NESTING = 20  # if/try statements inside one another that are read; deeper ones make their names unknown
MAX_MODULES = 100  # modules one settings module's bindings are collected from, star imports and branches included
MAX_LINE_LOOKED = 10_000  # of a line that failed to parse, what is searched for an f-string
MAX_CALL_DEPTH = 8  # helper functions of the settings calling one another


@record
class Conditional:
    """An ``if`` or ``try`` statement at module level: the statements of each way through it.

    ``if``: ``test`` chooses ``branches[0]`` when true, ``branches[1]`` (the ``else``) when
    false. ``try``: ``branches[0]`` is the body with its ``else``, the others the
    handlers; ``test`` is None (whether the body fails is worked out when collecting).
    """

    kind: str
    test: ast.expr | None
    branches: tuple[tuple[Statement, ...], ...]
    line: int


Statement = Assignment | StarImport | Conditional


class Branches(ast.expr):
    """The value of a name an ``if``/``else`` or ``try``/``except`` binds differently in each way through it.

    ``test`` true chooses ``ways[0]``, false ``ways[1]``; a way that is None leaves the
    name unbound or unknown there. When the test cannot be known the value is the one
    every way gives, or unknown. ``condition`` is the test as written, for messages.
    """

    _fields = ("test", "ways")
    test: ast.expr
    ways: list[ast.expr | None]
    bindings: list[Assignment | None]  # the assignment of each way
    written: str | None  # the condition for messages, when it is not the test as written
    kind: str

    @property
    def condition(self) -> str:
        """The condition for messages: the test as written (worked out only when a message needs it)."""
        return self.written or _shown(self.test)


class Unset(ast.expr):
    """The value of a name a way through an ``if``/``try`` leaves unbound: Django then uses its default."""

    _fields = ()


class NotSet(Unknown):
    """The setting is not set in the way the environment chooses: Django's default applies."""


class EnvSet(ast.expr):
    """The test of a ``try`` body that fails when a variable it reads without a default is unset."""

    _fields = ()
    variables: tuple[str, ...]


class Changed(ast.expr):
    """A value changed in place: ``X.append(...)``, ``X.update(...)``, ``X += ...``.

    ``base`` is the expression ``X`` was bound to before (set when the bindings are
    collected; None when it was unbound), ``change`` the call or the augmented assignment.
    """

    _fields = ("base", "change")
    base: ast.expr | None
    change: ast.Call | ast.AugAssign | ast.Assign  # an Assign sets an item: ``X["default"] = {...}``


def _changed(change: ast.Call | ast.AugAssign | ast.Assign, base: ast.expr | None = None) -> Changed:
    node = Changed()
    node.base = base
    node.change = change
    return node


class NotKnown(ast.expr):
    """A test djcheck cannot work out (a ``try`` body importing a package that may be missing)."""

    _fields = ()


UNBOUND = Assignment("", Unset(), Path(), 0, 0)
"""What a way through an ``if``/``try`` binds a name to when it leaves it unbound."""


def parse_python(path: Path, text: str) -> PythonModule:
    """Parse a settings file; raise :class:`ParseError` with Python's own message and position."""
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as error:
        raise ParseError(f"{error.msg}{_newer_syntax(text, error)}", error.lineno or 1, error.offset or 1) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ParseError(f"cannot parse: {type(error).__name__}") from None
    configuration = _configuration_class(tree) if CONFIGURATIONS in text else None
    if configuration is not None:  # the settings are a class's attributes, which djcheck does not read
        return PythonModule(path, (Assignment(INCOMPLETE, None, path, configuration.lineno, 1),))
    return PythonModule(path, tuple(_statements(tree.body, path, 0, _module_names(tree, text))))


F_STRING = re.compile(r"(?<![\w'\"])[rRbBuU]?[fF][rR]?['\"]")


def _newer_syntax(text: str, error: SyntaxError) -> str:
    """What to add to the message when the line is an f-string and djcheck's Python is older than 3.12, which reads
    quotes and line breaks inside an f-string's braces (PEP 701): the file may well be valid for the image."""
    if sys.version_info >= (3, 12) or not error.lineno:
        return ""
    line = text.splitlines()[error.lineno - 1] if error.lineno <= text.count("\n") + 1 else ""
    if not F_STRING.search(line[:MAX_LINE_LOOKED]):
        return ""
    return (f" (an f-string Python {sys.version_info[0]}.{sys.version_info[1]}, which runs djcheck, cannot read; "
            f"Python 3.12 and later can: run djcheck with one of them)")


CONFIGURATIONS = "configurations"
"""django-configurations: the settings are the attributes of a ``Configuration`` subclass that
``DJANGO_CONFIGURATION`` names (``class Production(Base):``), not module-level names."""


def _configuration_class(tree: ast.Module) -> ast.ClassDef | None:
    """The first class of a module that imports django-configurations, when it does."""
    imports = any(isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == CONFIGURATIONS
                  or isinstance(node, ast.Import) and any(alias.name == CONFIGURATIONS for alias in node.names)
                  for node in tree.body)
    return next((node for node in tree.body if isinstance(node, ast.ClassDef)), None) if imports else None


@record
class _ModuleNames:
    """Names a module's statements are read with: those it imports django-split-settings' ``include``/``optional``
    as, its literal sequences, and its functions that set names through ``globals()``."""

    include: frozenset[str]
    optional: frozenset[str]
    sequences: Mapping[str, ast.Tuple | ast.List]  # names bound to a literal tuple or list: ``include(*FILES)``
    globals_setters: frozenset[str]  # `def set_from_env(name): _set(name, globals())`: a call may set any name
    settings_classes: frozenset[str]  # pydantic `BaseSettings` classes: `to_django(Settings())` may set any name


SPLIT_SETTINGS = "split_settings.tools"


def _module_names(tree: ast.Module, text: str) -> _ModuleNames:
    include: set[str] = set()
    optional: set[str] = set()
    if SPLIT_SETTINGS in text:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == SPLIT_SETTINGS and node.level == 0:
                for alias in node.names:
                    {"include": include, "optional": optional}.get(alias.name, set()).add(alias.asname or alias.name)
    sequences = {node.targets[0].id: node.value for node in tree.body
                 if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                 and isinstance(node.value, (ast.Tuple, ast.List))} if include else {}
    setters = frozenset(node.name for node in tree.body if isinstance(node, ast.FunctionDef) and any(
        isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "globals"
        for inner in ast.walk(node))) if "globals" in text else frozenset()
    return _ModuleNames(frozenset(include), frozenset(optional), sequences, setters, _settings_classes(tree, text))


SETTINGS_BASE = "BaseSettings"


def _settings_classes(tree: ast.Module, text: str) -> frozenset[str]:
    """The module's classes that derive from pydantic's ``BaseSettings``, directly or through another of them."""
    if SETTINGS_BASE not in text:
        return frozenset()
    found = {SETTINGS_BASE}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
                (base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else "")
                in found for base in node.bases):
            found.add(node.name)
    return frozenset(found - {SETTINGS_BASE})


def _exports_settings_object(node: ast.stmt, names: _ModuleNames) -> bool:
    """Whether a module-level expression makes one of the module's pydantic settings objects for what its making
    does (pydjantic's ``to_django(Settings())`` writes each field into the module's namespace)."""
    return bool(names.settings_classes) and isinstance(node, ast.Expr) and any(
        isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in names.settings_classes
        for inner in ast.walk(node))


MAX_INCLUDED = 50
"""Files one ``include()`` of django-split-settings brings in (its arguments and what their globs match)."""


def _includes(node: ast.stmt, names: _ModuleNames) -> list[StarImport] | None:
    """The files a django-split-settings ``include(...)`` statement runs in the module's namespace, in order.

    ``include("components/base.py", "components/*.py", optional("local.py"))`` runs each
    file (a glob relative to the including module's folder) as if its statements were
    written there: read as a star import of each. A path built at run time from a literal
    start (``f"environments/{ENV}.py"``, ``"environments/{}.py".format(ENV)``) is chosen
    among the files it may name; any other argument is one djcheck cannot know.
    None when the statement is no ``include()``.
    """
    if not (names.include and isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name) and node.value.func.id in names.include):
        return None
    arguments: list[ast.expr] = []
    for argument in node.value.args:
        if isinstance(argument, ast.Starred) and isinstance(argument.value, ast.Name) \
                and argument.value.id in names.sequences:
            arguments.extend(names.sequences[argument.value.id].elts)
        else:
            arguments.append(argument)
    found: list[StarImport] = []
    for argument in arguments[:MAX_INCLUDED]:
        optional = False
        if isinstance(argument, ast.Call) and isinstance(argument.func, ast.Name) \
                and argument.func.id in names.optional and len(argument.args) == 1 and not argument.keywords:
            argument, optional = argument.args[0], True
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            found.append(StarImport("", 0, node.lineno, included=argument.value, optional=optional))
            continue
        built = _formatted(argument)
        first = built.values[0] if built is not None and built.values else None
        start = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        if built is not None and start is not None:
            found.append(StarImport("", 0, node.lineno, chosen=built, included=start, optional=optional))
        else:
            found.append(StarImport("", 0, node.lineno, chosen=NotKnown(), included="", optional=optional))
    return found


def _formatted(node: ast.expr) -> ast.JoinedStr | None:
    """A string built from a literal start as an f-string: ``"a/{}.py".format(ENV)``, ``"a/" + ENV + ".py"``."""
    if isinstance(node, ast.JoinedStr):
        return node
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts: list[ast.expr] = []
        pending: list[ast.expr] = [node]
        while pending and len(parts) < MAX_INCLUDED:
            part = pending.pop()
            if isinstance(part, ast.BinOp) and isinstance(part.op, ast.Add):
                pending += [part.right, part.left]
            else:
                parts.append(part)
        return ast.JoinedStr(values=[part if isinstance(part, ast.Constant) and isinstance(part.value, str) else
                                     ast.FormattedValue(value=part, conversion=-1, format_spec=None)
                                     for part in parts]) if not pending else None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)
            and not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args)):
        return None
    values: list[ast.expr] = []
    automatic = 0
    try:
        fields = list(string.Formatter().parse(node.func.value.value))
    except ValueError:
        return None
    for literal, field, spec, conversion in fields:
        if literal:
            values.append(ast.Constant(value=literal))
        if field is None:
            continue
        if spec or conversion or (field and not field.isdigit()):
            return None
        index = int(field) if field else automatic
        automatic += 1
        if index >= len(node.args):
            return None
        values.append(ast.FormattedValue(value=node.args[index], conversion=-1, format_spec=None))
    return ast.JoinedStr(values=values)


def _statements(body: list[ast.stmt], path: Path, nesting: int, names: _ModuleNames,
                shared: dict[str, set[str]] | None = None) -> list[Statement]:
    """The statements of a block that bind names, star-import or branch, in order.

    ``shared`` links names bound to the same list or dict (``DEFAULT = DATABASES["default"]``,
    ``DATABASES = {"default": DEFAULT}``): a change in place of one makes the others unknown.
    """
    statements: list[Statement] = []
    loaded: dict[str, ast.expr] = {}  # names bound to import_module(<name>), by this block
    shared = {} if shared is None else shared
    for node in body:
        start = len(statements)
        _statement(node, statements, loaded, path, nesting, names, shared)
        for statement in statements[start:]:
            if isinstance(statement, Assignment) and statement.changes:
                statements.extend(Assignment(other, None, path, statement.line, statement.column, changes=True)
                                  for other in sorted(shared.get(statement.name, ())))
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if nesting == 0:  # rebound: no longer shares (in a branch, only in some ways)
                    for name_node in _target_names(target):
                        for other in shared.pop(name_node.id, set()):
                            shared.get(other, set()).discard(name_node.id)
                bound = target if isinstance(target, ast.Name) else _item_target(target)  # DATABASES["x"] = X too
                if bound is not None:
                    for other in _referenced(node.value) - {bound.id}:
                        shared.setdefault(other, set()).add(bound.id)
                        shared.setdefault(bound.id, set()).add(other)
    return statements


def _referenced(value: ast.expr) -> set[str]:
    """The names whose list or dict (or an item of it) an expression is, or holds as it is (not a copy)."""
    found: set[str] = set()
    pending = [value]
    while pending and len(found) < MAX_ITEM_DEPTH * 8:
        node = pending.pop()
        for _ in range(MAX_ITEM_DEPTH):
            if not isinstance(node, ast.Subscript) or isinstance(node.slice, ast.Slice):
                break
            node = node.value
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Dict):
            pending.extend(node.values)
        elif isinstance(node, (ast.List, ast.Tuple)):
            pending.extend(node.elts)
    return found


def _statement(node: ast.stmt, statements: list[Statement], loaded: dict[str, ast.expr], path: Path, nesting: int,
               names: _ModuleNames, shared: dict[str, set[str]]) -> None:
    """The statements one statement of a block makes, appended to ``statements``."""
    chosen = _chosen_star_import(node, loaded)
    if chosen is not None:
        statements.append(chosen)
        return
    included = _includes(node, names)
    if included is not None:
        statements.extend(included)
        return
    if _loads_dynaconf(node):  # what Dynaconf reads (settings.yaml, DJANGO_* variables) may replace any setting
        statements.append(StarImport(DYNACONF, 0, node.lineno))
        return
    if isinstance(node, (ast.For, ast.While, ast.Expr, ast.Assign, ast.AugAssign)) and _writes_module_names(node) \
            or _exports_settings_object(node, names):
        # `locals()[variable] = getattr(app.settings, variable)` in a loop over the apps: any name, unknown
        statements.append(Assignment(INCOMPLETE, NotKnown(), path, node.lineno, node.col_offset + 1))
        return
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) \
            and node.value.func.id in names.globals_setters:  # `set_from_env("SECRET_KEY")`: set as it runs
        first = node.value.args[0] if node.value.args else None
        name = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else INCOMPLETE
        statements.append(Assignment(name, NotKnown(), path, node.lineno, node.col_offset + 1))
        return
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
            and isinstance(node.value, ast.Call) and _is_import_module(node.value.func) and node.value.args:
        loaded[node.targets[0].id] = node.value.args[0]
    if isinstance(node, ast.Assign):
        for target in node.targets:
            item = _item_target(target)
            if item is not None:  # DATABASES["default"] = {...}: a change of the dict in place
                statements.append(Assignment(item.id, _changed(ast.Assign(targets=[target], value=node.value)),
                                             path, node.lineno, node.col_offset + 1, changes=True))
            for name_node in _target_names(target):
                value = node.value if isinstance(target, ast.Name) else None
                statements.append(Assignment(name_node.id, value, path, node.lineno, node.col_offset + 1))
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
        statements.append(Assignment(node.target.id, node.value, path, node.lineno, node.col_offset + 1))
    elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        statements.append(Assignment(node.target.id, _changed(node), path, node.lineno, node.col_offset + 1))
    elif isinstance(node, ast.AugAssign) and (item := _item_target(node.target)) is not None:
        # DATABASES["default"]["OPTIONS"] |= {...}: a change of an item in place
        statements.append(Assignment(item.id, _changed(node), path, node.lineno, node.col_offset + 1,
                                     changes=True))
    elif isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
        statements.append(StarImport(node.module or "", node.level, node.lineno))
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        statements.extend(Assignment(alias.asname or alias.name, None, path, node.lineno, node.col_offset + 1,
                                     f"{node.module}.{alias.name}") for alias in node.names)
    elif isinstance(node, ast.ImportFrom) and node.level:
        # a class of a sibling (`from .prod import Prod`), which may hold django-configurations settings; the
        # dotted name keeps its dots. Settings imported by name (`from .base import DEBUG`) keep their values.
        statements.extend(Assignment(alias.asname or alias.name, None, path, node.lineno, node.col_offset + 1,
                                     f"{'.' * node.level}{node.module or ''}.{alias.name}") for alias in node.names
                          if alias.name[:1].isupper() and not alias.name.isupper())
    elif isinstance(node, ast.Import):
        statements.extend(Assignment(alias.asname or alias.name.split(".")[0], None, path, node.lineno,
                                     node.col_offset + 1, alias.name if alias.asname else alias.name.split(".")[0])
                          for alias in node.names)
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
            and (changed := _mutated(node.value)) is not None:
        # INSTALLED_APPS.append(...), DATABASES["default"].update(...): evaluated where they can be
        statements.append(Assignment(changed.id, _changed(node.value), path, node.lineno, node.col_offset + 1,
                                     changes=True))
    elif isinstance(node, ast.FunctionDef):
        statements.append(Assignment(node.name, _simple_function(node), path, node.lineno, node.col_offset + 1))
    elif isinstance(node, ast.If) and nesting < MAX_NESTING:
        branches = (tuple(_statements(node.body, path, nesting + 1, names, shared)),
                    tuple(_statements(node.orelse, path, nesting + 1, names, shared)))
        statements.append(Conditional("if", node.test, branches, node.lineno))
    elif isinstance(node, ast.Try) and nesting < MAX_NESTING:
        ways = [tuple(_statements(node.body + node.orelse, path, nesting + 1, names, shared))]
        ways += [tuple(_statements(handler.body, path, nesting + 1, names, shared)) for handler in node.handlers]
        statements.append(Conditional("try", None, tuple(ways), node.lineno))
        statements.extend(_statements(node.finalbody, path, nesting + 1, names, shared))
    elif isinstance(node, (ast.ClassDef, ast.AsyncFunctionDef)):
        statements.append(Assignment(node.name, None, path, node.lineno, node.col_offset + 1))
    elif isinstance(node, (ast.If, ast.Try, ast.For, ast.While, ast.With, ast.AsyncFor, ast.AsyncWith, ast.Match,
                           ast.TryStar)):
        # A setting changed in a loop, a with block or too deep a branch has no single static value.
        for inner in ast.walk(node):
            if isinstance(inner, (ast.Assign, ast.AugAssign)):
                targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                for target in targets:
                    item = _item_target(target)
                    for name_node in _target_names(target) + ([item] if item is not None else []):
                        statements.append(Assignment(name_node.id, None, path, inner.lineno, inner.col_offset + 1,
                                                     changes=name_node is item))
        statements.extend(_changed_inside(node, path))
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)):
        statements.extend(_changed_inside(node, path))


def _mutated(call: ast.Call) -> ast.Name | None:
    """The name whose value a method call changes in place, else None.

    ``MIDDLEWARE.insert(0, ...)``, ``DATABASES["default"].update(...)``,
    ``DATABASES["default"].get("OPTIONS", {}).pop("sslmode")``: the receiver is the name,
    items of it and ``get``/``setdefault`` of items. An attribute on the way
    (``os.environ.setdefault``) is no setting.
    """
    if not isinstance(call.func, ast.Attribute) or call.func.attr not in MUTATORS:
        return None
    receiver = call.func.value
    for _ in range(MAX_ITEM_DEPTH):
        if isinstance(receiver, ast.Name):
            return receiver
        if isinstance(receiver, ast.Subscript) and not isinstance(receiver.slice, ast.Slice):
            receiver = receiver.value
        elif isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) \
                and receiver.func.attr in ITEM_READERS:
            receiver = receiver.func.value
        else:
            return None
    return None


def _changed_inside(node: ast.stmt, path: Path) -> list[Assignment]:
    """What the calls inside a statement change in place that cannot be followed: those names become unknown.

    ``OPTIONS = DATABASES["default"].pop("OPTIONS", {})``, ``[APPS.append(a) for a in EXTRA]``,
    a call in a loop: the statement's own call (``X.update(...)`` alone on its line) is not one of them.
    """
    own: set[int] = set()  # the statement's own call and the calls reaching into the value it changes
    call = node.value if isinstance(node, ast.Expr) else None
    if isinstance(call, ast.Call) and _mutated(call) is not None:
        receiver: ast.expr = call
        for _ in range(MAX_ITEM_DEPTH + 1):
            own.add(id(receiver))
            if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute):
                receiver = receiver.func.value
            elif isinstance(receiver, ast.Subscript):
                receiver = receiver.value
            else:
                break
    found = []
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call) and id(inner) not in own and (name := _mutated(inner)) is not None:
            found.append(Assignment(name.id, None, path, inner.lineno, inner.col_offset + 1, changes=True))
    return found


def _is_import_module(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "import_module") or (
        isinstance(func, ast.Attribute) and func.attr == "import_module")


DYNACONF = "dynaconf"
"""The package whose ``DjangoDynaconf(__name__)`` sets the settings module's names from its own files and the
environment as the module runs: read as a star import of a module djcheck does not have."""


def _loads_dynaconf(node: ast.stmt) -> bool:
    """Whether a statement calls ``DjangoDynaconf`` (``settings = dynaconf.DjangoDynaconf(__name__)``)."""
    if not isinstance(node, (ast.Expr, ast.Assign)) or not isinstance(node.value, ast.Call):
        return False
    func = node.value.func
    return (func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "") \
        == "DjangoDynaconf"


def _chosen_star_import(node: ast.stmt, loaded: Mapping[str, ast.expr]) -> StarImport | None:
    """A star import of a module named at run time.

    ``globals().update(vars(module))`` (or a loop copying ``getattr(module, name)`` into
    ``globals()``) after ``module = import_module(...)``, or ``exec(f"from .{ENV} import *")``.
    """
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) \
            and node.value.func.id == "exec" and len(node.value.args) == 1:
        text = node.value.args[0]
        parts = list(text.values) if isinstance(text, ast.JoinedStr) else []
        if (len(parts) >= 2 and isinstance(parts[0], ast.Constant) and isinstance(parts[-1], ast.Constant)
                and str(parts[0].value).startswith("from ") and str(parts[-1].value).endswith(" import *")):
            head, tail = str(parts[0].value)[5:], str(parts[-1].value)[:-9]
            middle = [ast.Constant(value=head), *parts[1:-1], ast.Constant(value=tail)]
            return _chosen(ast.JoinedStr(values=middle), node.lineno)
        return None
    if not isinstance(node, (ast.Expr, ast.For)) or not loaded:
        return None
    inner = list(ast.walk(node))
    if not any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "globals" for n in inner):
        return None
    module = next((n.id for n in inner if isinstance(n, ast.Name) and n.id in loaded), None)
    return _chosen(loaded[module], node.lineno) if module is not None else None


NAMESPACES = frozenset({"globals", "locals", "vars"})
"""What a module-level statement reaches the module's names through (at module level ``locals()`` is ``globals()``)."""


def _writes_module_names(node: ast.stmt) -> bool:
    """Whether a module-level statement binds names it computes as it runs: ``globals()[name] = ...`` with a key that
    is no literal, ``globals().update(...)`` (each app's settings merged in a loop), or a call given the namespace
    (``django_heroku.settings(locals())``); not in a function it defines (a call to it binds what it is given:
    :attr:`_ModuleNames.globals_setters`)."""
    pending: list[ast.AST] = [node]
    while pending:
        inner = pending.pop()
        if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        pending.extend(ast.iter_child_nodes(inner))
        if isinstance(inner, (ast.Assign, ast.AugAssign)):
            targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
            if any(isinstance(target, ast.Subscript) and _namespace(target.value)
                   and not isinstance(target.slice, ast.Constant) for target in targets):
                return True
        if isinstance(inner, ast.Call) and (isinstance(inner.func, ast.Attribute) and inner.func.attr == "update"
                                            and _namespace(inner.func.value)
                                            or any(_namespace(argument) for argument in inner.args)):
            return True  # `globals().update(...)`, `django_heroku.settings(locals())`
    return False


def _namespace(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in NAMESPACES \
        and not node.args


def _chosen(name: ast.expr, line: int) -> StarImport | None:
    """The star import of the module ``name`` evaluates to, of which only the literal start is known now.

    ``f"{__name__}.{ENV}"`` in a package's ``__init__.py`` names a module of the package:
    it is read as ``f".{ENV}"``.
    """
    if isinstance(name, ast.JoinedStr) and len(name.values) > 1 and isinstance(name.values[0], ast.FormattedValue) \
            and isinstance(name.values[0].value, ast.Name) and name.values[0].value.id in {"__name__", "__package__"}:
        name = ast.JoinedStr(values=name.values[1:])
    first = name.values[0] if isinstance(name, ast.JoinedStr) and name.values else name
    start = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
    dotted = start.lstrip(".")
    return StarImport(dotted, len(start) - len(dotted), line, name)


def _simple_function(node: ast.FunctionDef) -> ast.Lambda | None:
    """A function whose body is one ``return`` (after a docstring), as the lambda it amounts to; else None."""
    body = node.body[1:] if node.body and isinstance(node.body[0], ast.Expr) and isinstance(
        node.body[0].value, ast.Constant) and isinstance(node.body[0].value.value, str) else node.body
    arguments = node.args
    if (len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None or node.decorator_list
            or arguments.vararg or arguments.kwarg or arguments.posonlyargs):
        return None
    return ast.Lambda(args=arguments, body=body[0].value)


MAX_ITEM_DEPTH = 8  # keys of one item assignment (``A["x"]["y"] = ...``) followed


def _item_target(target: ast.expr) -> ast.Name | None:
    """The name whose value an item assignment changes (``DATABASES["default"]["HOST"] = ...``), else None."""
    for _ in range(MAX_ITEM_DEPTH):
        if not isinstance(target, ast.Subscript) or isinstance(target.slice, ast.Slice):
            return None
        target = target.value
        if isinstance(target, ast.Name):
            return target
    return None


def _target_names(target: ast.expr) -> list[ast.Name]:
    if isinstance(target, ast.Name):
        return [target]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _target_names(element)]
    return []


def star_import_path(module: PythonModule, star: StarImport) -> list[Path]:
    """Candidate files for a star import: relative (``from .base import *``), or absolute from a folder above.

    An absolute import (``from config.settings.base import *``) names a sibling module
    when its first part is a folder the module lies in: it is looked up from there; else it
    is Python 2's implicit relative import (``from settings import *`` beside ``settings.py``).
    """
    if star.level == 0:
        parts = star.module.split(".")
        bases = [folder.parent.joinpath(*parts) for folder in list(module.path.parents)[:MAX_NESTING]
                 if folder.name == parts[0]] + [module.path.parent.joinpath(*parts)]
        return [candidate for base in bases for candidate in (base.with_suffix(".py"), base / "__init__.py")]
    package = module.path.parent
    for _ in range(star.level - 1):
        package = package.parent
    base = package.joinpath(*star.module.split(".")) if star.module else package
    return [base.with_suffix(".py"), base / "__init__.py"]


def bindings(path: Path, load: Callable[[Path], PythonModule | None]) -> dict[str, Assignment]:
    """The final binding of every module-level name, following star imports of the project's modules.

    A name an ``if``/``else`` or ``try``/``except`` binds differently in each way through
    it is bound to a :class:`Branches` expression; a star import under an ``if`` brings
    each name of the imported module in that way only.
    """
    result: dict[str, Assignment] = {}
    _collect(path, load, result, (), [MAX_MODULES])
    return result


def _collect(path: Path, load: Callable[[Path], PythonModule | None], result: MutableMapping[str, Assignment],
             chain: tuple[Path, ...], budget: list[int]) -> None:
    if path in chain or len(chain) > MAX_DEPTH or budget[0] <= 0:
        return
    budget[0] -= 1
    module = load(path)
    if module is not None:
        _apply(module, module.statements, load, result, (*chain, path), budget)


def _star_target(module: PythonModule, star: StarImport, exists: Callable[[Path], bool] = Path.is_file) -> Path | None:
    return next((candidate for candidate in star_import_path(module, star) if exists(candidate)), None)


def _fails(module: PythonModule, star: StarImport, exists: Callable[[Path], bool] = Path.is_file) -> bool:
    """Whether a star import (or a file ``include()`` runs) raises: its module or required file is not there."""
    if star.included is not None:
        return star.chosen is None and _included_files(module, star) is None
    return _star_target(module, star, exists) is None


def _loads(load: Callable[[Path], PythonModule | None]) -> Callable[[Path], bool]:
    """Whether a module file is there as ``load`` finds them: on disk, or made by the image (``RUN mv docker.py
    local.py``)."""
    return lambda path: os.path.isfile(path) or load(path) is not None


INCOMPLETE = "*"
"""The name a module's bindings hold when a file it runs cannot be known (``include(some_function())``):
any setting may be set there, so none is known to be unset."""


CHOSEN_MISSING = "*missing"
"""The name a module's bindings hold in the way through a module chosen at run time that names no file
(``include(f"environments/{ENV}.py")`` with ``ENV=local`` and only ``local.py.template``): the settings
there do not load as committed, so what they set is not known."""


def incomplete(names: Mapping[str, Assignment], env: Mapping[str, str] | None = None) -> bool:
    """Whether settings run a file djcheck cannot know: a setting they do not bind may still be set.

    With the container's ``env``, also when it chooses a settings module that is no file.
    """
    return INCOMPLETE in names or env is not None and _chooses_missing(names, env)


def _chooses_missing(names: Mapping[str, Assignment], env: Mapping[str, str]) -> bool:
    binding = names.get(CHOSEN_MISSING)
    node = binding.node if binding is not None else None
    while isinstance(node, Branches):
        try:
            way = node.ways[0 if evaluate(node.test, env, names) else 1]
        except Unknown:
            return False  # the name the environment gives is not known: each committed module may be the one
        if way is None:
            return True
        node = way
    return False


def _included_files(module: PythonModule, star: StarImport) -> list[Path] | None:
    """The files an ``include()`` argument runs, in order (a glob's matches sorted); None when a required one is
    missing (``include`` raises)."""
    assert star.included is not None
    folder = module.path.parent
    try:
        if glob.has_magic(star.included):
            found = sorted(Path(match) for match in glob.glob(os.path.join(glob.escape(str(folder)), star.included)))
            files = [path for path in found if os.path.isfile(path)][:MAX_INCLUDED]
        else:
            files = [path] if os.path.isfile(path := folder / star.included) else []
    except (OSError, ValueError):
        files = []
    return files if files or star.optional else None


def _included_choices(module: PythonModule, star: StarImport) -> Conditional:
    """A file ``include()`` names at run time: one branch per file its literal start may name (as :func:`_choices`)."""
    assert star.chosen is not None and star.included is not None
    start = star.included
    folder = module.path.parent / start.rpartition("/")[0] if "/" in start else module.path.parent
    try:
        relatives = [relative for path in sorted(folder.iterdir())
                     if path.suffix == ".py" and os.path.isfile(path) and path != module.path
                     and (relative := _relative(path, module.path.parent)).startswith(start)]
    except (OSError, ValueError):
        relatives = []
    branches = [(relative, StarImport("", 0, star.line, included=glob.escape(relative)))
                for relative in relatives[:MAX_CHOICES]]
    return _chain(module, star.chosen, star.line, branches)


def _relative(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


MAX_CHOICES = 30  # modules of a package a star import chosen at run time may be


def _choices(module: PythonModule, star: StarImport) -> Conditional:
    """A star import chosen at run time as ``if name == "app.settings.prod": from app.settings.prod import *`` ...

    One branch for each module (or subpackage) of the package the literal start of the name points to;
    the name is evaluated with the container's environment, so the module it names is
    the one read.
    """
    assert star.chosen is not None
    package, _, stem = star.module.rpartition(".")
    folder = None
    if star.level == 0 and package:
        folder = next((c.parent for c in star_import_path(module, StarImport(package + ".__init__", 0, star.line))
                       if os.path.isfile(c)), None)
    elif star.level:
        folder = module.path.parent
        for _ in range(star.level - 1):
            folder = folder.parent
        folder = folder.joinpath(*package.split(".")) if package else folder
    try:  # the package's modules and its subpackages (`config/settings/base/__init__.py`)
        files = sorted(path for path in folder.iterdir() if path.name.startswith(stem) and (
            path.suffix == ".py" or os.path.isdir(path) and os.path.isfile(path / "__init__.py"))) if folder else []
    except OSError:
        files = []
    prefix = "." * star.level + (package + "." if package else "")
    return _chain(module, star.chosen, star.line, [
        (prefix + path.stem, StarImport(f"{package}.{path.stem}" if package else path.stem, star.level, star.line))
        for path in [p for p in files if p != module.path and p.stem != "__init__"][:MAX_CHOICES]])


def _chain(module: PythonModule, chosen: ast.expr, line: int,
           branches: list[tuple[str, StarImport]]) -> Conditional:
    """``if chosen == value: <import>`` for each branch in turn; when none is taken, the module named is no
    file, and the bindings record it as :data:`CHOSEN_MISSING`."""
    missing = Assignment(CHOSEN_MISSING, None, module.path, line, 1)
    if not branches:
        return Conditional("if", NotKnown(), ((missing,), ()), line)  # no file it may name
    otherwise: Statement = missing
    for value, imported in reversed(branches):
        test = ast.Compare(left=chosen, ops=[ast.Eq()], comparators=[ast.Constant(value=value)])
        otherwise = Conditional("if", test, ((imported,), (otherwise,)), line)
    assert isinstance(otherwise, Conditional)
    return otherwise


def unfollowed_star_imports(module: PythonModule) -> list[StarImport]:
    """The star imports of a module (under an ``if`` too) whose module is no file djcheck finds.

    One a ``try`` guards (``from .local import *`` that each developer may create) is not counted.
    """
    found: list[StarImport] = []
    pending: list[tuple[Statement, ...]] = [module.statements]
    while pending:
        for statement in pending.pop():
            if isinstance(statement, Conditional) and statement.kind == "if":
                pending.extend(statement.branches)
            elif isinstance(statement, StarImport) and statement.included is not None:
                if isinstance(statement.chosen, NotKnown) or _fails(module, statement):
                    found.append(statement)
                elif statement.chosen is not None:
                    pending.append((_included_choices(module, statement),))
            elif isinstance(statement, StarImport) and statement.chosen is not None:
                pending.append((_choices(module, statement),))
            elif isinstance(statement, StarImport) and _star_target(module, statement) is None:
                found.append(statement)
    return found


def _apply(module: PythonModule, statements: tuple[Statement, ...], load: Callable[[Path], PythonModule | None],
           result: MutableMapping[str, Assignment], chain: tuple[Path, ...], budget: list[int]) -> None:
    included: set[Path] = set()  # include() runs a file once: "components/*.py" after "components/base.py"
    for statement in statements:
        if isinstance(statement, StarImport) and statement.included is not None:
            if isinstance(statement.chosen, NotKnown):
                result[INCOMPLETE] = Assignment(INCOMPLETE, None, module.path, statement.line, 1)
            elif statement.chosen is not None:
                _apply_conditional(module, _included_choices(module, statement), load, result, chain, budget)
            else:
                for file in _included_files(module, statement) or []:
                    if file not in included:
                        included.add(file)
                        _collect(file, load, result, chain, budget)
        elif isinstance(statement, StarImport) and statement.chosen is not None:
            _apply_conditional(module, _choices(module, statement), load, result, chain, budget)
        elif isinstance(statement, StarImport):
            target = _star_target(module, statement, _loads(load))
            if target is not None:
                _collect(target, load, result, chain, budget)
            else:  # a sibling made at run time, or an installed package's settings (`from framework.conf import *`)
                _made_at_run_time(module, statement, result)
        elif isinstance(statement, Conditional):
            _apply_conditional(module, statement, load, result, chain, budget)
        elif statement.imported and statement.imported.startswith(".") and _configuration_module(
                module, statement, load):
            result[INCOMPLETE] = Assignment(INCOMPLETE, None, module.path, statement.line, 1)
        elif statement.changes and (imported := result.get(statement.name)) is not None and imported.imported:
            continue  # a method of a module or a function imported changes no setting: the import stays known
        elif isinstance(statement.node, Changed):
            # A change in place keeps the place of the assignment it changes: where the value is written.
            before = result.get(statement.name)
            if before is None or before.imported or before is UNBOUND:
                result[statement.name] = replaced(statement, node=_changed(statement.node.change))
            else:
                result[statement.name] = replaced(before, node=_changed(statement.node.change, before.node))
        elif (node := _before(statement.node, statement.name, result.get(statement.name))) is not statement.node:
            # `MIDDLEWARE = ["corsheaders..."] + MIDDLEWARE`: the name read is what it was bound to before
            result[statement.name] = replaced(statement, node=node)
        else:
            result[statement.name] = statement


def _configuration_module(module: PythonModule, imported: Assignment,
                          load: Callable[[Path], PythonModule | None]) -> bool:
    """Whether a name a relative import binds comes from a sibling module of django-configurations classes
    (``from .prod import Prod`` in a settings package's ``__init__``): the settings are that class's attributes."""
    assert imported.imported is not None
    dotted = imported.imported.rsplit(".", 1)[0]
    level = len(dotted) - len(dotted.lstrip("."))
    target = _star_target(module, StarImport(dotted[level:], level, imported.line), _loads(load))
    sibling = load(target) if target is not None else None
    return sibling is not None and len(sibling.statements) == 1 and isinstance(sibling.statements[0], Assignment) \
        and sibling.statements[0].name == INCOMPLETE


def _made_at_run_time(module: PythonModule, star: StarImport, result: MutableMapping[str, Assignment]) -> None:
    """A module star-imported with no ``try`` around it, which the repository lacks: a sibling
    (``from .local_settings import *``: without it Django would not start, so something makes it before, an
    entrypoint writing a generated key there), or an installed package's settings (``from
    open_api_framework.conf.base import *``). What it sets is unknown: every setting bound so far may be
    replaced, and any other may be set."""
    for name, binding in list(result.items()):
        if binding is not UNBOUND and not binding.imported and name != INCOMPLETE:
            result[name] = replaced(binding, node=NotKnown())
    result[INCOMPLETE] = Assignment(INCOMPLETE, None, module.path, star.line, 1)


def _apply_conditional(module: PythonModule, conditional: Conditional, load: Callable[[Path], PythonModule | None],
                       result: MutableMapping[str, Assignment], chain: tuple[Path, ...], budget: list[int]) -> None:
    """The bindings after an ``if``/``try``: each name the ways bind alike as bound, the others as :class:`Branches`.

    Each way records only what it changes over ``result`` (a settings module with many
    names and many branches costs the names the branches bind, not all of them each).
    """
    changes: list[dict[str, Assignment | None]] = []
    for branch in conditional.branches:
        changed: dict[str, Assignment | None] = {}
        _apply(module, branch, load, ChainMap(changed, result), chain, budget)  # type: ignore[arg-type]
        changes.append(changed)
    if conditional.kind == "if":
        assert conditional.test is not None
        test: ast.expr = conditional.test
        condition = None
    else:
        body = conditional.branches[0]
        stars = [statement for statement in body if isinstance(statement, StarImport)]
        if any(_fails(module, star, _loads(load)) for star in stars):
            changes = changes[1:] or changes  # the import fails: a handler runs (none: the module fails)
        elif stars or len(changes) == 1:
            changes = changes[:1]  # what the body imports is there: the body runs
        if len(changes) == 1:
            result.update({name: binding for name, binding in changes[0].items() if binding is not None})
            return
        view: Mapping[str, Any] = ChainMap(changes[0], result)
        variables = [read.variable for s in body if isinstance(s, Assignment) and s.node is not None
                     for read in env_reads(s.node, view) if read.default is NO_DEFAULT]
        if any(isinstance(s, (Assignment, Conditional)) and (not isinstance(s, Assignment) or s.imported)
               for s in body):
            test = NotKnown()  # whether a package is installed, or what a nested branch does
            condition = "the try body succeeds"
        elif variables:
            test = EnvSet()
            test.variables = tuple(dict.fromkeys(variables))
            condition = f"{', '.join(test.variables)} {'is' if len(test.variables) == 1 else 'are'} set"
        else:  # nothing in the body can fail that djcheck knows of: the body runs
            result.update({name: binding for name, binding in changes[0].items() if binding is not None})
            return
        handlers = [ChainMap(handler, result) for handler in changes[1:]]
        failed: dict[str, Assignment | None] = {}
        for name in dict.fromkeys(name for handler in changes[1:] for name in handler):
            bound = handlers[0].get(name)
            failed[name] = bound if all(other.get(name) is bound for other in handlers[1:]) else None
        changes = [changes[0], failed]
    ways = [ChainMap(changed, result) for changed in changes]
    for name in dict.fromkeys(name for changed in changes for name in changed):
        bound = [way.get(name, UNBOUND) for way in ways]
        if all(binding is bound[0] for binding in bound):
            if bound[0] is not None:
                result[name] = bound[0]
            continue
        imported = next((binding for binding in bound if binding is not None and binding.imported), None)
        if imported is not None:
            result[name] = imported  # what a name is imported as serves to recognise environment reads
            continue
        before = result.get(name)
        # Where the value is written: the assignment before the branches when a way keeps it, else the first way's.
        first = before if before is not None and any(binding is before for binding in bound) else next(
            binding for binding in bound if binding is not None and binding is not UNBOUND)
        node = Branches()
        node.test = _before(test, name, before)
        node.ways = [_before(binding.node, name, before) if binding is not None else None for binding in bound]
        node.bindings = bound
        node.written = condition
        node.kind = conditional.kind
        result[name] = Assignment(name, node, first.path, first.line, first.column)


MAX_ALTERNATIVES = 16  # values one expression may have through branches its environment cannot decide


def possible_values(node: ast.expr, env: Mapping[str, str], names: Mapping[str, Assignment] | None = None) -> list[Any]:
    """The values ``node`` may have: its value, or one per way through branches whose test cannot be known.

    Raises :class:`Unknown` when a way's value cannot be known (or one leaves it unset),
    and when there are more than :data:`MAX_ALTERNATIVES` of them or of the ways read.
    """
    budget = [MAX_ALTERNATIVES * 4]

    def values_of(inner: ast.expr, depth: int) -> list[Any]:
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_DEPTH:
            raise Unknown("too many ways")
        try:
            return [evaluate(inner, env, names)]
        except (MissingVariable, NotSet):
            raise
        except Unknown:
            pass
        if isinstance(inner, Branches):
            try:
                taken = evaluate(inner.test, env, names)
            except Unknown:
                ways = inner.ways
            else:
                ways = [inner.ways[0 if taken else 1]]
        elif isinstance(inner, Changed) and isinstance(inner.base, Branches):
            ways = [_changed(inner.change, way) if way is not None and not isinstance(way, Unset) else way
                    for way in inner.base.ways]  # a change after an if: made to the value of each way
        else:
            raise Unknown("not a choice between branches")
        values: list[Any] = []
        for way in ways:
            if way is None or isinstance(way, Unset):
                raise Unknown("a way leaves it unknown or unset")
            values.extend(value for value in values_of(way, depth + 1) if value not in values)
            if len(values) > MAX_ALTERNATIVES:
                raise Unknown("too many ways")
        return values

    return values_of(node, 0)


def every_way(binding: Assignment) -> list[Assignment]:
    """The assignments of every way through the ``if``/``try`` branches of a binding (itself when it has none).

    A change in place after the branches (``DATABASES["default"]["ATOMIC_REQUESTS"] = True``)
    is made to each way's assignment.
    """
    found: list[Assignment] = []
    pending = [binding]
    while pending and len(found) < MAX_STEPS:
        current = pending.pop()
        if isinstance(current.node, Branches):
            pending.extend(way for way in reversed(current.node.bindings) if way is not None and way is not UNBOUND)
        elif isinstance(current.node, Changed) and isinstance(current.node.base, Branches):
            change = current.node.change  # a change after an if: made to the value of each way, where it is written
            ways = reversed(current.node.base.bindings)
            pending.extend(replaced(way, node=_changed(change, way.node)) for way in ways
                           if way is not None and way is not UNBOUND and way.node is not None)
        else:
            found.append(current)
    return list(dict.fromkeys(found))


def chosen(binding: Assignment, env: Mapping[str, str], names: Mapping[str, Assignment]) -> Assignment:
    """The assignment of the way through ``if``/``try`` branches that ``env`` takes; ``binding`` when unknown."""
    for _ in range(MAX_DEPTH):
        node = binding.node
        if not isinstance(node, Branches):
            break
        try:
            way = node.bindings[0 if evaluate(node.test, env, names) else 1]
        except Unknown:
            break
        if way is None or way is UNBOUND:
            break
        binding = way
    return binding


class Previous(ast.expr):
    """What a name was bound to before an ``if``/``try`` that reads it (``if ENV not in ...: ENV = 'dev'``), or
    before an assignment that reads it (``MIDDLEWARE = ["cors"] + MIDDLEWARE``)."""

    _fields = ("value",)
    value: ast.expr | None


SYNTHETIC = (Branches, Changed, Previous, EnvSet, NotKnown, Unset)
"""Nodes djcheck builds: what they hold was settled when they were built, and may be long chains."""


def _before(node: T, name: str, before: Assignment | None) -> T:
    """``node`` with ``name`` read as what it was bound to before the branches or the assignment (their own binding is
    the new one).

    The nodes djcheck built are kept as they are (not walked, not copied): each settled
    its own names when it was built, and a chain of them is as long as the branches.
    """
    if node is None or isinstance(node, SYNTHETIC) or not _reads(node, name):
        return node

    def copied(inner: ast.AST) -> ast.AST:
        if isinstance(inner, ast.Name) and inner.id == name:
            previous = Previous()
            previous.value = before.node if before is not None else None
            return previous
        if isinstance(inner, SYNTHETIC):
            return inner
        fields: dict[str, Any] = {}
        for field, value in ast.iter_fields(inner):
            if isinstance(value, ast.AST):
                fields[field] = copied(value)
            elif isinstance(value, list):
                fields[field] = [copied(item) if isinstance(item, ast.AST) else item for item in value]
            else:
                fields[field] = value
        clone = type(inner)(**fields)
        for attribute in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
            if hasattr(inner, attribute):
                setattr(clone, attribute, getattr(inner, attribute))
        return clone

    return copied(node)  # type: ignore[return-value]


def _reads(node: ast.AST, name: str) -> bool:
    """Whether an expression reads ``name``, outside the nodes djcheck built."""
    pending = [node]
    while pending:
        inner = pending.pop()
        if isinstance(inner, ast.Name) and inner.id == name:
            return True
        if not isinstance(inner, SYNTHETIC):
            pending.extend(ast.iter_child_nodes(inner))
    return False


def _shown(node: ast.expr) -> str:
    """An expression as written, shortened for a message."""
    try:
        text = ast.unparse(node)
    except (ValueError, RecursionError, AttributeError):
        return "a condition"
    return text if len(text) <= 60 else text[:57] + "..."


class Scope:
    """What the names of a settings module refer to: imports and bound expressions (looked up, never copied)."""

    def __init__(self, names: Mapping[str, Assignment] | None) -> None:
        self.names = names or {}
        self.imports = _Imports(self.names)
        self.values = _Values(self.names)

    def read(self, node: ast.AST) -> EnvRead | None:
        return env_read(node, self.imports, self.values)

    def qualified(self, node: ast.expr) -> str | None:
        return qualified(node, self.imports, self.values)


GUARDED = ast.Constant(value=None)
"""The default of a read that cannot stop Django: a ``try`` handles it, or a branch that may not run holds it."""


class _Imports(Mapping[str, str]):
    """The dotted name each imported name stands for."""

    def __init__(self, names: Mapping[str, Assignment]) -> None:
        self.names = names

    def __getitem__(self, name: str) -> str:
        imported = self.names[name].imported
        if not imported:
            raise KeyError(name)
        return imported

    def __iter__(self) -> Iterator[str]:
        return (name for name, binding in self.names.items() if binding.imported)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Values(Mapping[str, "ast.expr | None"]):
    """The expression each name that is not imported is bound to."""

    def __init__(self, names: Mapping[str, Assignment]) -> None:
        self.names = names

    def __getitem__(self, name: str) -> ast.expr | None:
        binding = self.names[name]
        if binding.imported:
            raise KeyError(name)
        return binding.node

    def __iter__(self) -> Iterator[str]:
        return (name for name, binding in self.names.items() if not binding.imported)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def env_reads(node: ast.AST, names: Mapping[str, Assignment] | None = None,
              env: Mapping[str, str] | None = None) -> list[EnvRead]:
    """The environment reads of an expression, in order, one per variable.

    The reads of the helper functions it calls (with literal arguments) are included. A
    read after a test that the environment has a variable (``"X" in os.environ and ...``,
    ``... if os.getenv("X") else ...``), inside a ``try`` body whose handler runs when it fails, or in a branch that
    ``env`` does not choose (or that may not run when the test cannot be known), is
    given the default :data:`GUARDED`; without ``env`` every branch counts as written.
    """
    scope = Scope(names)
    reads: dict[str, EnvRead] = {}
    queue: deque[tuple[ast.AST, bool, int]] = deque([(node, False, 0)])
    steps = 0
    shared: set[tuple[int, bool]] = set()  # the nodes djcheck built, which several ways may hold: each walked once
    while queue and steps < MAX_STEPS:
        steps += 1
        inner, guarded, calls = queue.popleft()
        if isinstance(inner, SYNTHETIC):
            if (id(inner), guarded) in shared:
                continue
            shared.add((id(inner), guarded))
        read = scope.read(inner)
        if read is not None:
            reads.setdefault(read.variable, replaced(read, default=GUARDED)
                             if guarded and read.default is NO_DEFAULT else read)
        if isinstance(inner, Branches):
            queue.append((inner.test, guarded, calls))
            ways: list[tuple[ast.expr | None, bool]] = [(way, guarded or inner.kind == "try" or env is not None)
                                                        for way in inner.ways]
            if inner.kind == "if" and env is not None:
                try:
                    ways = [(inner.ways[0 if evaluate(inner.test, env, names) else 1], guarded)]
                except Unknown:
                    pass
            queue.extend((way, way_guarded, calls) for way, way_guarded in ways if way is not None)
            continue
        if isinstance(inner, ast.BoolOp) and isinstance(inner.op, ast.And):
            # `"X" in os.environ and os.environ["X"] != ""`: what follows a test of the variable runs only if it is set
            tested = guarded
            for value in inner.values:
                queue.append((value, tested, calls))
                tested = tested or _tests_presence(value)
            continue
        if isinstance(inner, ast.IfExp) and _tests_presence(inner.test):  # `os.environ["X"] if "X" in os.environ`
            queue.extend([(inner.test, guarded, calls), (inner.body, True, calls), (inner.orelse, guarded, calls)])
            continue
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and calls < MAX_CALL_DEPTH:
            function = scope.names.get(inner.func.id)
            if function is not None and isinstance(function.node, ast.Lambda):
                try:
                    arguments = _arguments(function.node.args, inner)
                    if all(isinstance(argument, ast.Constant) for argument in arguments.values()):
                        queue.append((_inlined(function.node, {name: argument.value  # type: ignore[attr-defined]
                                                               for name, argument in arguments.items()}),
                                      guarded, calls + 1))
                except Unknown:
                    pass
        queue.extend((child, guarded, calls) for child in ast.iter_child_nodes(inner))
    return list(reads.values())



def _tests_presence(test: ast.expr) -> bool:
    """Whether a test holds only when an environment variable is set: ``"X" in os.environ``,
    ``os.environ.get("X")``, ``os.getenv("X")``."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.In):
        return ast.unparse(test.comparators[0]) in ENVIRON
    return isinstance(test, ast.Call) and ast.unparse(test.func) in GETENV


def _arguments(parameters: ast.arguments, call: ast.Call) -> dict[str, ast.expr]:
    """The expression each parameter of a helper function gets at ``call``: an argument or the default."""
    names = [argument.arg for argument in parameters.args]
    keyword_only = [argument.arg for argument in parameters.kwonlyargs]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords) \
            or len(call.args) > len(names):
        raise Unknown("arguments")
    given: dict[str, ast.expr] = dict(zip(names, call.args, strict=False))
    for keyword in call.keywords:
        if keyword.arg in given or keyword.arg not in names + keyword_only:
            raise Unknown("arguments")
        given[keyword.arg] = keyword.value
    defaults: dict[str, ast.expr | None] = dict(zip(names[len(names) - len(parameters.defaults):],
                                                    parameters.defaults, strict=True))
    defaults.update(zip(keyword_only, parameters.kw_defaults, strict=True))
    for name in names + keyword_only:
        if name not in given:
            default = defaults.get(name)
            if default is None:
                raise Unknown(f"no argument for {name}")
            given[name] = default
    return given


class _Substitute(ast.NodeTransformer):
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return ast.Constant(value=self.values[node.id]) if node.id in self.values else node

    def visit_Lambda(self, node: ast.Lambda) -> ast.expr:
        return node  # its own parameters: left alone


def _inlined(function: ast.Lambda, values: Mapping[str, Any]) -> ast.expr:
    """The body of a helper function with its parameters replaced by the values of one call."""
    return _Substitute(values).visit(copy.deepcopy(function.body))


STRING_METHODS = {"lower", "upper", "strip", "lstrip", "rstrip", "casefold", "capitalize", "title", "split"}
CASTS: dict[str, Callable[[Any], Any]] = {"bool": bool, "int": int, "str": str, "float": float,
                                          "list": list, "tuple": tuple}


LITERAL_PARSERS: dict[str, Callable[[str], Any]] = {"literal_eval": ast.literal_eval, "loads": json.loads}
"""What reads a variable's text as a Python or JSON literal (``ast.literal_eval``, ``json.loads``)."""
MAX_PARSED_LITERAL = 1000


def evaluate(node: ast.expr, env: Mapping[str, str], names: Mapping[str, Assignment] | None = None) -> Any:
    """The value of ``node`` when the process environment is ``env``; :class:`Unknown` if not static."""
    evaluation = _Evaluation(env, Scope(names))
    value = evaluation.value(node, 0)
    if evaluation.steps > MAX_STEPS:
        # Parts evaluated after the budget ran out became opaque entries: the whole value is unknown.
        raise Unknown("too much to evaluate")
    return value


@record
class _NameValue:
    """What evaluating a name's bound expression gave: a value or the :class:`Unknown` raised.

    ``reach`` is how many levels below its start the evaluation went; it says at which
    depths the same evaluation would stay within :data:`MAX_DEPTH`.
    """

    outcome: Any
    reach: int


class _Evaluation:
    """One :func:`evaluate` call: its environment and names, the values of names so far, and its cost.

    The value of a name is computed once and reused: without that, ``X1 = X0 + X0``,
    ``X2 = X1 + X1``... evaluates ``X0`` 2**n times. The value of an expression depends on
    the depth it is evaluated at only when :data:`MAX_DEPTH` cut it short, so a value
    that was not cut short serves every depth it fits under, and one that was serves its
    own depth only.
    """

    def __init__(self, env: Mapping[str, str], scope: Scope) -> None:
        self.env = env
        self.scope = scope
        self.steps = 0
        self.calls = 0
        self.deepest = 0
        self.name_values: dict[ast.expr, _NameValue] = {}  # by the bound expression, not cut short
        self.cut_name_values: dict[tuple[ast.expr, int], _NameValue] = {}  # by expression and depth
        self.sizes: dict[int, tuple[Any, int]] = {}  # by id(): the container, kept so its id is not reused

    def name(self, bound: ast.expr, depth: int) -> Any:
        """The value of a name bound to ``bound``, evaluated at ``depth`` or taken from an earlier evaluation."""
        known = self.name_values.get(bound)
        if known is None or depth + known.reach > MAX_DEPTH:
            known = self.cut_name_values.get((bound, depth))
        if known is None:
            known = self._evaluate_name(bound, depth)
        self.deepest = max(self.deepest, depth + known.reach)
        if isinstance(known.outcome, Unknown):
            raise known.outcome.with_traceback(None)
        return known.outcome

    def _evaluate_name(self, bound: ast.expr, depth: int) -> _NameValue:
        deepest_outside = self.deepest
        self.deepest = depth
        try:
            outcome = self.value(bound, depth)
        except Unknown as unknown:
            outcome = unknown
        known = _NameValue(outcome, self.deepest - depth)
        if self.deepest > MAX_DEPTH:
            self.cut_name_values[(bound, depth)] = known
        else:
            self.name_values[bound] = known
        self.deepest = max(deepest_outside, self.deepest)
        return known

    def size(self, value: Any) -> int:
        """Characters of a string, items of a container and of everything in it, 1 for anything else.

        A container shared by several others counts in each, as it does in their ``str()``
        or ``==``: ``X1 = [X0, X0]`` doubles at each level although nothing is copied.
        """
        if isinstance(value, (str, bytes)):
            return len(value)
        if not isinstance(value, (list, tuple, dict)):
            return 1
        known = self.sizes.get(id(value))
        if known is not None:
            return known[1]
        items = [item for pair in value.items() for item in pair] if isinstance(value, dict) else value
        total = len(value) + sum(self.size(item) for item in items)
        self.sizes[id(value)] = (value, total)
        return total

    def built(self, value: Any) -> Any:
        """``value``, which the settings built, unless it is larger than :data:`MAX_BUILT_SIZE`."""
        if self.size(value) > MAX_BUILT_SIZE:
            raise Unknown("too large")
        return value

    def branches(self, node: Branches, depth: int) -> Any:
        """The way the test chooses; when it cannot be known, the value every way gives."""
        try:
            chosen = self.value(node.test, depth + 1)
            if isinstance(chosen, Opaque):
                raise Unknown("test")
        except MissingVariable:
            raise
        except Unknown:
            values = []
            for way in node.ways:
                if way is None or isinstance(way, Unset):
                    raise Unknown(f"set only in some ways through {node.condition}") from None
                values.append(self.value(way, depth + 1))
            if all(type(value) is type(values[0]) and value == values[0] for value in values[1:]):
                return values[0]
            raise Unknown(f"depends on whether {node.condition}") from None
        way = node.ways[0] if chosen else node.ways[1]
        if way is None:
            raise Unknown("unbound in this branch")
        return self.value(way, depth + 1)

    def changed(self, node: Changed, depth: int) -> Any:
        """The value after an in-place change of a list or a dict the settings made (a copy: values are shared).

        A change of an item (``DATABASES["default"].update(...)``) that cannot be known
        makes that item unknown (:data:`OPAQUE`); the other items stay known.
        """
        if node.base is None:
            raise Unknown("changed before it is bound")
        base = self.value(node.base, depth + 1)
        change = node.change
        if isinstance(change, ast.Assign):
            return self.item_set(base, change, depth)
        if isinstance(change, ast.AugAssign):
            return self.in_place(base, _steps(change.target), lambda value: self.augmented(value, change, depth),
                                 depth)
        assert isinstance(change.func, ast.Attribute)
        return self.in_place(base, _steps(change.func.value), lambda value: self.method(value, change, depth), depth)

    def in_place(self, base: Any, steps: list[tuple[str, ast.expr, ast.expr | None]] | None,
                 apply: Callable[[Any], Any], depth: int) -> Any:
        """``base`` with the item the steps reach replaced by what ``apply`` makes of it (containers copied on the way).

        ``X.get(k, {})`` of a missing key reaches a new value: the change is lost with it.
        ``X.setdefault(k, {})`` of a missing key adds the default first.
        """
        if steps is None:
            raise Unknown("changed through something that is not an item")
        if not steps:
            return apply(base)
        result = _copy_container(base)
        inner = result
        for index, (kind, key_node, default_node) in enumerate(steps):
            key = self.value(key_node, depth + 1)
            try:
                if kind != "item" and not isinstance(inner, dict):
                    raise Unknown(f"{kind}() of something that is not a dict")
                if kind == "item" or key in inner:
                    current = inner[key]
                elif default_node is None:
                    raise Unknown(f"{kind}() gives None")  # None has no such method: the settings fail
                elif kind == "get":
                    return result  # the change is made to the default, a new value no setting holds
                else:
                    current = inner[key] = self.value(default_node, depth + 1)
            except (KeyError, IndexError, TypeError):  # Python raises too: the settings fail
                raise Unknown("item fails") from None
            if isinstance(current, Opaque):
                return result  # a change of an entry djcheck cannot know: that entry stays unknown
            if index == len(steps) - 1:
                try:
                    inner[key] = apply(current)
                except Unknown:
                    inner[key] = OPAQUE  # that item cannot be known; the other items can
            else:
                inner[key] = _copy_container(current)
                inner = inner[key]
        return result

    def augmented(self, base: Any, change: ast.AugAssign, depth: int) -> Any:
        """``base`` after ``X += value`` (lists, strings, tuples, numbers) or ``X |= value`` (dicts)."""
        value = self.value(change.value, depth + 1)
        if isinstance(change.op, ast.Add) and isinstance(base, list) and isinstance(value, (list, tuple)):
            return [*base, *value]
        if isinstance(change.op, ast.Add) and type(base) is type(value) and isinstance(base, (str, tuple, int)) \
                and not isinstance(base, bool):
            if isinstance(base, int) and abs(base + value) >= MAX_INTEGER:
                raise Unknown("too large")
            return base + value
        if isinstance(change.op, ast.BitOr) and isinstance(base, dict) and isinstance(value, dict):
            return {**base, **value}
        raise Unknown("augmented assignment")

    def method(self, base: Any, change: ast.Call, depth: int) -> Any:
        """``base`` after a method that changes a list or a dict in place (``append``, ``update``, ``pop``...)."""
        assert isinstance(change.func, ast.Attribute)
        method = change.func.attr
        if any(isinstance(argument, ast.Starred) for argument in change.args) or any(
                keyword.arg is None for keyword in change.keywords) or (
                change.keywords and not (method == "update" and isinstance(base, dict))):
            raise Unknown("arguments")
        arguments = [self.value(argument, depth + 1) for argument in change.args]
        keywords = {keyword.arg: self.value(keyword.value, depth + 1) for keyword in change.keywords
                    if keyword.arg is not None}
        try:
            if isinstance(base, list) and method in LIST_CHANGES:
                result = list(base)
                if method == "extend" and not isinstance(arguments[0], (list, tuple)):
                    raise Unknown("extend")
                getattr(result, method)(*arguments)
                return result
            if isinstance(base, dict) and method in DICT_CHANGES:
                result_dict = dict(base)
                if method == "update" and (len(arguments) > 1 or (arguments and not isinstance(arguments[0], dict))):
                    raise Unknown("update")
                getattr(result_dict, method)(*arguments, **keywords)
                return result_dict
        except (TypeError, ValueError, IndexError, KeyError):  # Python raises too: the settings fail
            raise Unknown(f"{method}() fails") from None
        raise Unknown(method)

    def item_set(self, base: Any, change: ast.Assign, depth: int) -> Any:
        """The value after ``X[k1][k2] = v``: the containers along the keys copied, the last one's item set."""
        keys: list[ast.expr] = []
        target = change.targets[0]
        while isinstance(target, ast.Subscript):
            keys.append(target.slice)
            target = target.value
        path = [self.value(key, depth + 1) for key in reversed(keys)]
        value = _or_opaque(lambda inner: self.value(inner, depth + 1), change.value)  # the other items stay known
        result = _copy_container(base)
        inner = result
        try:
            for key in path[:-1]:
                if isinstance(inner[key], Opaque):
                    return result  # an item of an entry djcheck cannot know: that entry stays unknown
                copied = _copy_container(inner[key])
                inner[key] = copied
                inner = copied
            inner[path[-1]] = value
        except (KeyError, IndexError, TypeError):  # Python raises too: the settings fail
            raise Unknown("item assignment fails") from None
        return result

    def call(self, function: ast.Lambda, call: ast.Call, depth: int) -> Any:
        """What a helper function of the settings returns for one call (bounded by :data:`MAX_CALL_DEPTH`)."""
        if self.calls >= MAX_CALL_DEPTH:
            raise Unknown("calls too deep")
        values = {name: self.value(argument, depth + 1)
                  for name, argument in _arguments(function.args, call).items()}
        body = _inlined(function, values)
        self.steps += sum(1 for _ in ast.walk(body))
        self.calls += 1
        try:
            return self.value(body, depth + 1)
        finally:
            self.calls -= 1

    def value(self, node: ast.expr, depth: int) -> Any:
        """The value of ``node`` evaluated ``depth`` levels below the top-level expression."""
        self.steps += 1
        self.deepest = max(self.deepest, depth)
        if depth > MAX_DEPTH:
            raise Unknown("too deep")
        if self.steps > MAX_STEPS:
            raise Unknown("too much to evaluate")
        scope = self.scope

        def ev(inner: ast.expr) -> Any:
            return self.value(inner, depth + 1)

        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            if any(isinstance(element, ast.Starred) for element in node.elts):
                raise Unknown("starred")
            values = [ev(element) for element in node.elts]
            return self.built(tuple(values) if isinstance(node, ast.Tuple) else values)
        if isinstance(node, ast.Dict):
            if any(key is None for key in node.keys):
                raise Unknown("dict unpacking")
            # A dict keeps its known entries: DATABASES is useful even when NAME is ``BASE_DIR / "db.sqlite3"``.
            try:
                return self.built({ev(key): _or_opaque(ev, value)  # type: ignore[arg-type]
                                   for key, value in zip(node.keys, node.values, strict=True)})
            except TypeError:  # {[1]: 2}: Python refuses an unhashable key too
                raise Unknown("unhashable key") from None
        if isinstance(node, Branches):
            return self.branches(node, depth)
        if isinstance(node, EnvSet):
            return all(variable in self.env for variable in node.variables)
        if isinstance(node, NotKnown):
            raise Unknown("cannot be known")
        if isinstance(node, Unset):
            raise NotSet("not set")
        if isinstance(node, Changed):
            return self.built(self.changed(node, depth))
        if isinstance(node, Previous):
            if node.value is None:
                raise Unknown("read before it is bound")
            return self.value(node.value, depth + 1)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            function = scope.names.get(node.func.id)
            if function is not None and isinstance(function.node, ast.Lambda):
                return self.call(function.node, node, depth)
        if isinstance(node, ast.Name):
            binding = scope.names.get(node.id)
            if binding is None or binding.node is None:
                raise Unknown(node.id)
            return self.name(binding.node, depth + 1)
        read = scope.read(node)
        if read is not None:
            return read_value(read, self.env, ev)
        if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
            return _item(ev(node.value), ev(node.slice))
        if isinstance(node, ast.Call):
            if scope.qualified(node.func) == "dj_database_url.parse" and node.args:
                return database_url(ev(node.args[0]))
            return self.built(_call(node, ev))
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.In | ast.NotIn) \
                and scope.qualified(node.comparators[0]) in ENVIRON:
            name = ev(node.left)  # `"DATABASE_URL" in os.environ`: whether the process has the variable
            if not isinstance(name, str):
                raise Unknown("membership")
            try:
                self.env[name]
            except KeyError:
                return isinstance(node.ops[0], ast.NotIn)
            return isinstance(node.ops[0], ast.In)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for operator, comparator in zip(node.ops, node.comparators, strict=True):
                right = ev(comparator)
                if not _compare(operator, left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.BoolOp):
            value = None
            for operand in node.values:
                value = ev(operand)
                if isinstance(node.op, ast.And) and not value:
                    return value
                if isinstance(node.op, ast.Or) and value:
                    return value
            return value
        if isinstance(node, ast.UnaryOp):
            operand = ev(node.operand)
            if isinstance(node.op, ast.Not):
                return not operand
            if isinstance(node.op, ast.USub) and isinstance(operand, (int, float)):
                return -operand
            raise Unknown("unary")
        if isinstance(node, ast.IfExp):
            return ev(node.body) if ev(node.test) else ev(node.orelse)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = ev(node.left), ev(node.right)
            if type(left) is type(right) and isinstance(left, (str, list, tuple)):
                if self.size(left) + self.size(right) > MAX_BUILT_SIZE:  # refused before it is built
                    raise Unknown("too large")
                return self.built(left + right)
            if type(left) is type(right) and isinstance(left, int):
                total = left + right
                if abs(total) >= MAX_INTEGER:
                    raise Unknown("too large")
                return total
            raise Unknown("add")
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Sub, ast.Div, ast.FloorDiv)):
            left, right = ev(node.left), ev(node.right)
            if type(left) is int and type(right) is int and abs(left) < 10**12 and abs(right) < 10**12:
                if isinstance(node.op, ast.Mult):
                    return left * right
                if isinstance(node.op, ast.Sub):
                    return left - right
                if right:  # ``("redis", 6379 / 1)``: Python's float, and ``//`` its integer
                    return left / right if isinstance(node.op, ast.Div) else left // right
            raise Unknown("arithmetic")
        if isinstance(node, ast.JoinedStr):
            parts = []
            length = 0
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    if value.format_spec is not None or value.conversion != -1:
                        raise Unknown("format")
                    part = str(ev(value.value))
                else:
                    part = str(ev(value))
                length += len(part)
                if length > MAX_BUILT_SIZE:  # refused before it is joined
                    raise Unknown("too large")
                parts.append(part)
            return "".join(parts)
        raise Unknown(type(node).__name__)


def _steps(receiver: ast.expr) -> list[tuple[str, ast.expr, ast.expr | None]] | None:
    """How a change reaches into a name's value: items (``X["k"]``), ``X.get("k", default)``, ``X.setdefault(...)``.

    Outermost last; [] for the name itself, None when something else is on the way.
    """
    steps: list[tuple[str, ast.expr, ast.expr | None]] = []
    for _ in range(MAX_ITEM_DEPTH + 1):
        if isinstance(receiver, ast.Name):
            return steps[::-1]
        if isinstance(receiver, ast.Subscript) and not isinstance(receiver.slice, ast.Slice):
            steps.append(("item", receiver.slice, None))
            receiver = receiver.value
        elif (isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute)
              and receiver.func.attr in ITEM_READERS and 1 <= len(receiver.args) <= 2 and not receiver.keywords
              and not any(isinstance(argument, ast.Starred) for argument in receiver.args)):
            steps.append((receiver.func.attr, receiver.args[0], receiver.args[1] if len(receiver.args) == 2 else None))
            receiver = receiver.func.value
        else:
            return None
    return None


def _copy_container(value: Any) -> Any:
    """A copy of a dict or list the settings built (values are shared between evaluations); else Unknown."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    raise Unknown("item of something that is not a dict or a list")


def _or_opaque(ev: Callable[[ast.expr], Any], node: ast.expr) -> Any:
    try:
        return ev(node)
    except Unknown:  # a missing variable too: DJC307 reports it, the other entries stay useful
        return OPAQUE


def _call(node: ast.Call, ev: Callable[[ast.expr], Any]) -> Any:
    func = node.func
    if node.keywords and not (isinstance(func, ast.Attribute) and func.attr == "split"):
        raise Unknown("keywords")
    if isinstance(func, ast.Name) and func.id in CASTS and len(node.args) <= 1:
        try:
            return CASTS[func.id](*(ev(arg) for arg in node.args))
        except (TypeError, ValueError):
            raise Unknown(f"{func.id}() fails") from None
    parsing = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if parsing in LITERAL_PARSERS and len(node.args) == 1:  # ast.literal_eval(os.getenv("DEBUG", "True"))
        text = ev(node.args[0])
        if not isinstance(text, str) or len(text) > MAX_PARSED_LITERAL:
            raise Unknown(f"{parsing}() of something that is not a short string")
        try:
            return LITERAL_PARSERS[parsing](text)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            raise Unknown(f"{parsing}() fails") from None
    if isinstance(func, ast.Attribute) and func.attr == "get" and 1 <= len(node.args) <= 2:
        receiver = ev(func.value)  # DATABASES["default"].get("ENGINE")
        if not isinstance(receiver, dict):
            raise Unknown("get() of something that is not a dict")
        key = ev(node.args[0])
        return _item(receiver, key) if _has(receiver, key) else ev(node.args[1]) if len(node.args) == 2 else None
    if isinstance(func, ast.Attribute) and func.attr in STRING_METHODS:
        receiver = ev(func.value)
        if not isinstance(receiver, str):
            raise Unknown("method on a non-string")
        args = [ev(arg) for arg in node.args]
        if any(not isinstance(arg, (str, int)) and arg is not None for arg in args):
            raise Unknown("argument")
        try:
            return getattr(receiver, func.attr)(*args)
        except (TypeError, ValueError, OverflowError):  # 'a'.split(1), 'a'.center(10**20): Python raises too
            raise Unknown(f"{func.attr}() fails") from None
    raise Unknown("call")


def _has(container: dict[Any, Any], key: Any) -> bool:
    try:
        return key in container
    except TypeError:  # an unhashable key: Python raises too
        raise Unknown("unhashable key") from None


def _item(container: Any, key: Any) -> Any:
    """``container[key]`` of a dict, list, tuple or string the settings built; Unknown when Python raises."""
    if not isinstance(container, (dict, list, tuple, str)):
        raise Unknown("item of something that is not a container")
    try:
        value = container[key]
    except (KeyError, IndexError, TypeError):
        raise Unknown("item fails") from None
    if isinstance(value, Opaque):
        raise Unknown("an item djcheck cannot know")
    return value


def _compare(operator: ast.cmpop, left: Any, right: Any) -> bool:
    try:
        if isinstance(operator, ast.Eq):
            return left == right
        if isinstance(operator, ast.NotEq):
            return left != right
        if isinstance(operator, ast.In):
            return left in right
        if isinstance(operator, ast.NotIn):
            return left not in right
        if isinstance(operator, ast.Is):
            return left is right
        if isinstance(operator, ast.IsNot):
            return left is not right
    except TypeError:
        raise Unknown("comparison") from None
    raise Unknown("comparison")


def settings_module_from(text: str) -> str | None:
    """The ``DJANGO_SETTINGS_MODULE`` default a manage.py/wsgi.py/asgi.py sets with ``setdefault``, the side of an
    ``if`` only ``manage.py test`` takes last."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    testing = _test_run_nodes(tree)
    found = None
    for node in ast.walk(tree):
        default = _default_argument(node)
        if isinstance(default, ast.Constant) and isinstance(default.value, str):
            if id(node) not in testing:
                return default.value
            found = found or default.value
    return found


def _default_argument(node: ast.AST) -> ast.expr | None:
    """What ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)`` gives as the default, when ``node`` is that
    call; None for any other node."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault" \
            and len(node.args) == 2 and isinstance(node.args[0], ast.Constant) \
            and node.args[0].value == "DJANGO_SETTINGS_MODULE":
        return node.args[1]
    return None


@record
class DefaultingModule:
    """A manage.py, wsgi.py or asgi.py, read for the ``DJANGO_SETTINGS_MODULE`` default it sets: its syntax tree,
    its names (``env = environ.Env()`` for a test on ``env("DJANGO_DEBUG")``), and the nodes on the side of an ``if``
    only ``manage.py test`` takes."""

    tree: ast.Module
    names: Mapping[str, Assignment]
    testing: frozenset[int]


def defaulting_module(path: Path, text: str) -> DefaultingModule:
    """Read a manage.py/wsgi.py/asgi.py for its default; raises :class:`ParseError` as :func:`parse_python` does."""
    module = parse_python(path, text)
    tree = ast.parse(text)
    return DefaultingModule(tree, bindings(path, lambda other: module if other == path else None),
                            frozenset(_test_run_nodes(tree)))


def settings_module_chosen(module: DefaultingModule, environment: Mapping[str, str]) -> str | None:
    """The ``DJANGO_SETTINGS_MODULE`` default a manage.py/wsgi.py/asgi.py sets in ``environment``: of its literal
    ``setdefault`` calls, the first on the side of each ``if`` the environment takes (``if env("DJANGO_DEBUG",
    cast=bool):`` with ``DJANGO_DEBUG=False`` takes the ``else``), both sides when it cannot tell, the side only
    ``manage.py test`` takes last; None when it sets none."""
    found: list[tuple[bool, str]] = []
    pending: list[ast.AST] = [module.tree]
    steps = 0
    while pending and steps < MAX_STEPS:
        steps += 1
        node = pending.pop()
        if isinstance(node, ast.If):
            try:
                taken = [node.body if evaluate(node.test, environment, module.names) else node.orelse]
            except (Unknown, RecursionError):
                try:  # a container that serves runs no `manage.py test`: its argv asks for none
                    taken = [node.body if evaluate(_serving(node.test), environment, module.names) else node.orelse]
                except (Unknown, RecursionError):
                    taken = [node.body, node.orelse]
            pending.extend(reversed([statement for side in taken for statement in side]))
            continue
        default = _default_argument(node)
        if isinstance(default, ast.Constant) and isinstance(default.value, str):
            found.append((id(node) in module.testing, default.value))
        pending.extend(reversed(list(ast.iter_child_nodes(node))))
    return min(found, key=lambda each: each[0])[1] if found else None


def settings_module_forced(module: DefaultingModule) -> str | None:
    """The ``DJANGO_SETTINGS_MODULE`` a wsgi.py/asgi.py assigns outright as an application server imports it
    (``os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"``): whatever the environment gave, it is
    the one loaded. Read at the module's top and under an ``if`` on a word of ``sys.argv``, which a server's argv
    holds none of (``if "runserver_plus" not in sys.argv:``); None when it assigns none, or under a test djcheck
    cannot answer."""
    found = None
    pending = list(module.tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.If):
            word_in_argv = _argv_word_check(node.test)
            if word_in_argv is None:
                if any(_forced_value(inner) is not None for inner in ast.walk(node)):
                    return None  # assigned under a test djcheck cannot answer: unknown
                continue
            pending[:0] = node.orelse if word_in_argv else node.body
            continue
        value = _forced_value(node)
        if value is not None:
            found = value
    return found


def _forced_value(node: ast.AST) -> str | None:
    """The module ``os.environ["DJANGO_SETTINGS_MODULE"] = "..."`` assigns, when ``node`` is that statement."""
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)):
        return None
    target = node.targets[0]
    if isinstance(target, ast.Subscript) and ast.unparse(target.value) in {"os.environ", "environ"} \
            and isinstance(target.slice, ast.Constant) and target.slice.value == "DJANGO_SETTINGS_MODULE":
        return node.value.value
    return None


def _argv_word_check(test: ast.expr) -> bool | None:
    """Whether an ``if`` on a word of ``sys.argv`` asks ``in`` (True) or ``not in`` (False); None for any other
    test. A server's argv holds no such word: ``in`` is false for it, ``not in`` true."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.In | ast.NotIn) \
            and isinstance(test.left, ast.Constant) and isinstance(test.left.value, str) \
            and ast.unparse(test.comparators[0]) in {"sys.argv", "argv"}:
        return isinstance(test.ops[0], ast.In)
    return None


def settings_module_expression(module: DefaultingModule) -> ast.expr | None:
    """The expression a manage.py/wsgi.py/asgi.py takes its ``DJANGO_SETTINGS_MODULE`` default from when it is no
    literal: the environment (``os.environ.get("CONFIG_SETTINGS", "config.settings.dev")``, ``"prod" if
    os.environ.get("DJANGO_ENV") == "production" else "dev"``) or the env file each clone writes (python-decouple's
    ``config("DJANGO_SETTINGS_MODULE")``); None for a literal or no default."""
    return next((default for node in ast.walk(module.tree)
                 if (default := _default_argument(node)) is not None and not isinstance(default, ast.Constant)), None)


def _test_run_nodes(tree: ast.AST) -> set[int]:
    """The nodes under the side of an ``if`` a test run takes (``if "test" in sys.argv:``, ``else`` of ``not in``,
    ``sys.argv[1] == "test" or ...``): a manage.py that defaults to its test settings for ``manage.py test``."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or (taken := _test_run_check(node.test)) is None:
            continue
        side = node.body if taken else node.orelse
        found.update(id(inner) for statement in side for inner in ast.walk(statement))
    return found


def _test_run_check(test: ast.expr) -> bool | None:
    """Whether an ``if`` test asks for a test run: True for ``"test" in sys.argv`` or ``sys.argv[1] == "test"``
    (or either among the alternatives of an ``or``: ``sys.argv[1] == "test" or DJANGO_ENV == "test"``), False for
    its negation (``not in``, ``!=``), None when it asks nothing of the kind."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return True if any(_test_run_check(value) for value in test.values) else None
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, right, op = test.left, test.comparators[0], test.ops[0]
    if isinstance(op, ast.In | ast.NotIn) and isinstance(left, ast.Constant) and left.value == "test" \
            and ast.unparse(right).startswith(("sys.argv", "argv")):
        return isinstance(op, ast.In)
    if isinstance(op, ast.Eq | ast.NotEq) and {ast.unparse(left), ast.unparse(right)} & ARGV_COMMAND \
            and any(isinstance(side, ast.Constant) and side.value == "test" for side in (left, right)):
        return isinstance(op, ast.Eq)
    return None


def _serving(test: ast.expr) -> ast.expr:
    """An ``if`` test as a serving container evaluates it: each comparison asking for a test run
    (:func:`_test_run_check`) answered no (``sys.argv[1] == "test" or env == "test"`` is ``env == "test"``)."""
    return _NoTestRun().visit(copy.deepcopy(test))


class _NoTestRun(ast.NodeTransformer):
    """Answers each comparison that asks for a test run (:func:`_test_run_check`) with no."""

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        asked = _test_run_check(node)
        return ast.Constant(not asked) if asked is not None else node


ARGV_COMMAND = frozenset({"sys.argv[1]", "argv[1]"})
"""The management command manage.py runs, as a test compares it (``sys.argv[1] == "test"``)."""


@record
class ModuleDefault:
    """A ``DJANGO_SETTINGS_MODULE`` a manage.py/wsgi.py/asgi.py/celery.py sets, where it is written."""

    value: str
    line: int
    column: int


def settings_module_defaults(text: str) -> list[ModuleDefault]:
    """Each ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...")`` or ``os.environ[...] = "..."`` of a file."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found = []
    for node in ast.walk(tree):
        value = _default_argument(node)
        if value is None and isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Subscript) and isinstance(node.targets[0].slice, ast.Constant) \
                and node.targets[0].slice.value == "DJANGO_SETTINGS_MODULE":
            value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found.append(ModuleDefault(value.value, value.lineno, value.col_offset + 1))
    return sorted(found, key=lambda default: (default.line, default.column))
