"""Django settings modules read with ``ast``: assignments, star imports, values under an environment.

Nothing is imported or executed. :func:`evaluate` computes the value of a setting's
expression for a given set of environment variables, understanding literals, the
environment reads of :mod:`~djlint_docker.parse.env_reads` (``os.environ``,
django-environ, python-decouple, dj-database-url), ``bool()``/``int()``/``str()``,
string methods, comparisons and boolean logic. Anything else raises :class:`Unknown`:
a value djcheck cannot know is never guessed. So does a value too large or too costly
to work out (:data:`MAX_BUILT_SIZE`, :data:`MAX_STEPS`); a name is evaluated once per
:func:`evaluate`, however many times the expression uses it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from djlint_docker.parse import ParseError
from djlint_docker.parse.env_reads import (
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
from djlint_docker.records import record

__all__ = ["MissingVariable", "Opaque", "Unknown"]

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


@record
class StarImport:
    """``from <module> import *`` at module level (``level`` dots for relative imports)."""

    module: str
    level: int
    line: int


@record
class PythonModule:
    """The module-level statements of a settings file that matter to djcheck, in order."""

    path: Path
    statements: tuple[Assignment | StarImport, ...]


MUTATORS = {"append", "extend", "insert", "remove", "pop", "update", "setdefault", "clear"}


def parse_python(path: Path, text: str) -> PythonModule:
    """Parse a settings file; raise :class:`ParseError` with Python's own message and position."""
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as error:
        raise ParseError(f"{error.msg}", error.lineno or 1, error.offset or 1) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ParseError(f"cannot parse: {type(error).__name__}") from None
    statements: list[Assignment | StarImport] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name_node in _target_names(target):
                    value = node.value if isinstance(target, ast.Name) else None
                    statements.append(Assignment(name_node.id, value, path, node.lineno, node.col_offset + 1))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            statements.append(Assignment(node.target.id, node.value, path, node.lineno, node.col_offset + 1))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            statements.append(Assignment(node.target.id, None, path, node.lineno, node.col_offset + 1))
        elif isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            statements.append(StarImport(node.module or "", node.level, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            statements.extend(Assignment(alias.asname or alias.name, None, path, node.lineno, node.col_offset + 1,
                                         f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Import):
            statements.extend(Assignment(alias.asname or alias.name.split(".")[0], None, path, node.lineno,
                                         node.col_offset + 1, alias.name if alias.asname else alias.name.split(".")[0])
                              for alias in node.names)
        elif (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
              and isinstance(node.value.func, ast.Attribute) and node.value.func.attr in MUTATORS
              and isinstance(node.value.func.value, ast.Name)):
            name = node.value.func.value.id
            statements.append(Assignment(name, None, path, node.lineno, node.col_offset + 1))
        elif isinstance(node, (ast.If, ast.Try, ast.For, ast.With)):
            # A setting changed under a condition has no single static value.
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Assign, ast.AugAssign)):
                    targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                    for target in targets:
                        for name_node in _target_names(target):
                            statements.append(Assignment(name_node.id, None, path, inner.lineno, inner.col_offset + 1))
    return PythonModule(path, tuple(statements))


def _target_names(target: ast.expr) -> list[ast.Name]:
    if isinstance(target, ast.Name):
        return [target]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _target_names(element)]
    return []


def star_import_path(module: PythonModule, star: StarImport) -> list[Path]:
    """Candidate files for a relative star import (``from .base import *``)."""
    if star.level == 0:
        return []
    package = module.path.parent
    for _ in range(star.level - 1):
        package = package.parent
    base = package.joinpath(*star.module.split(".")) if star.module else package
    return [base.with_suffix(".py"), base / "__init__.py"]


def bindings(path: Path, load: Callable[[Path], PythonModule | None]) -> dict[str, Assignment]:
    """The final binding of every module-level name, following relative star imports."""
    result: dict[str, Assignment] = {}
    _collect(path, load, result, set())
    return result


def _collect(path: Path, load: Callable[[Path], PythonModule | None], result: dict[str, Assignment],
             seen: set[Path]) -> None:
    if path in seen or len(seen) > MAX_DEPTH:
        return
    seen.add(path)
    module = load(path)
    if module is None:
        return
    for statement in module.statements:
        if isinstance(statement, StarImport):
            for candidate in star_import_path(module, statement):
                if candidate.is_file():
                    _collect(candidate, load, result, seen)
                    break
        else:
            result[statement.name] = statement


class Scope:
    """What the names of a settings module refer to: imports and bound expressions."""

    def __init__(self, names: Mapping[str, Assignment] | None) -> None:
        self.names = names or {}
        self.imports = {name: a.imported for name, a in self.names.items() if a.imported}
        self.values = {name: a.node for name, a in self.names.items() if not a.imported}

    def read(self, node: ast.AST) -> EnvRead | None:
        return env_read(node, self.imports, self.values)

    def qualified(self, node: ast.expr) -> str | None:
        return qualified(node, self.imports, self.values)


def env_reads(node: ast.AST, names: Mapping[str, Assignment] | None = None) -> list[EnvRead]:
    """The environment reads of an expression, in order, one per variable."""
    scope = Scope(names)
    reads: dict[str, EnvRead] = {}
    for inner in ast.walk(node):
        read = scope.read(inner)
        if read is not None:
            reads.setdefault(read.variable, read)
    return list(reads.values())


STRING_METHODS = {"lower", "upper", "strip", "lstrip", "rstrip", "casefold", "capitalize", "title", "split"}
CASTS: dict[str, Callable[[Any], Any]] = {"bool": bool, "int": int, "str": str, "float": float,
                                          "list": list, "tuple": tuple}


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
        if isinstance(node, ast.Name):
            binding = scope.names.get(node.id)
            if binding is None or binding.node is None:
                raise Unknown(node.id)
            return self.name(binding.node, depth + 1)
        read = scope.read(node)
        if read is not None:
            return read_value(read, self.env, ev)
        if isinstance(node, ast.Call):
            if scope.qualified(node.func) == "dj_database_url.parse" and node.args:
                return database_url(ev(node.args[0]))
            return self.built(_call(node, ev))
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
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Sub)):
            left, right = ev(node.left), ev(node.right)
            if type(left) is int and type(right) is int and abs(left) < 10**12 and abs(right) < 10**12:
                return left * right if isinstance(node.op, ast.Mult) else left - right
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
    """The ``DJANGO_SETTINGS_MODULE`` default a manage.py/wsgi.py/asgi.py sets with ``setdefault``."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault"
                and len(node.args) == 2):
            continue
        name, default = node.args
        if (isinstance(name, ast.Constant) and name.value == "DJANGO_SETTINGS_MODULE"
                and isinstance(default, ast.Constant) and isinstance(default.value, str)):
            return default.value
    return None
