"""Rewriting one assignment of a Python file through libcst: everything else stays byte for byte.

libcst is imported here only, and this module only when a fix is applied (libcst alone
costs about 150 ms to import).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider


def replace_value(text: str, name: str, line: int, expression: str, imports: tuple[str, ...] = ()) -> str | None:
    """``name = <expression>`` instead of the value assigned on ``line``; ``import x`` added for each of ``imports``.

    None when the text does not parse or has no such assignment.
    """
    return _rewrite(text, name, line, lambda _: cst.parse_expression(expression), imports)


def set_keyword(text: str, name: str, line: int, keyword: str, expression: str) -> str | None:
    """The call assigned to ``name`` on ``line`` with its ``keyword=`` argument set to ``expression``."""

    def change(value: cst.BaseExpression) -> cst.BaseExpression | None:
        if not isinstance(value, cst.Call):
            return None
        arguments = [argument.with_changes(value=cst.parse_expression(expression))
                     if argument.keyword is not None and argument.keyword.value == keyword else argument
                     for argument in value.args]
        return value.with_changes(args=arguments) if arguments != list(value.args) else None

    return _rewrite(text, name, line, change, ())


def _rewrite(text: str, name: str, line: int, change: Callable[[cst.BaseExpression], cst.BaseExpression | None],
             imports: tuple[str, ...]) -> str | None:
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except (cst.ParserSyntaxError, RecursionError):
        return None
    transformer = _Assignment(name, line, change)
    module = wrapper.visit(transformer)
    if not transformer.done:
        return None
    positions = wrapper.resolve(PositionProvider)
    # Only an import above the statement holding the assignment has run when the new value is computed.
    above = sum(1 for statement in wrapper.module.body if positions[statement].start.line < line)
    return _with_imports(module, imports, above).code


class _Assignment(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, name: str, line: int, change: Callable[[cst.BaseExpression], cst.BaseExpression | None]):
        super().__init__()
        self.name, self.line, self.change, self.done = name, line, change, False

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> Any:
        if self.done or self.get_metadata(PositionProvider, original).start.line != self.line:
            return updated
        if not any(isinstance(t.target, cst.Name) and t.target.value == self.name for t in original.targets):
            return updated
        value = self.change(updated.value)
        if value is None:
            return updated
        self.done = True
        return updated.with_changes(value=value)


def _with_imports(module: cst.Module, names: tuple[str, ...], above: int) -> cst.Module:
    """``import name`` for each name the module does not import at its top level in its first ``above``
    statements, after its docstring and ``from __future__`` imports."""
    imported = {alias.name.value for statement in module.body[:above] if isinstance(statement, cst.SimpleStatementLine)
                for node in statement.body if isinstance(node, cst.Import)
                for alias in node.names if isinstance(alias.name, cst.Name)}
    missing = [name for name in names if name not in imported]
    if not missing:
        return module
    body = list(module.body)
    position = 0
    while position < len(body) and _preamble(body[position], first=position == 0):
        position += 1
    new = [cst.parse_statement(f"import {name}\n", config=module.config_for_parsing) for name in missing]
    return module.with_changes(body=body[:position] + new + body[position:])


def _preamble(statement: cst.CSTNode, first: bool) -> bool:
    """A docstring (first statement) or a ``from __future__`` import."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    node = statement.body[0]
    if first and isinstance(node, cst.Expr) and isinstance(node.value, cst.SimpleString | cst.ConcatenatedString):
        return True
    return isinstance(node, cst.ImportFrom) and isinstance(node.module, cst.Name) and node.module.value == "__future__"
