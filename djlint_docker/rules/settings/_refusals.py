"""Whether settings refuse to load in a state: an ``if`` on it that raises or exits (``if "*" in ALLOWED_HOSTS: raise
ImproperlyConfigured(...)``). A value they refuse serves no deployment: Django stops before it serves a request."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from djlint_docker.project import Project, Settings

STOPS = frozenset({"exit", "quit", "ImproperlyConfigured"})
"""What stops Django as the settings load: ``sys.exit()``, ``raise ImproperlyConfigured(...)``."""


def stops_when(project: Project, settings: Settings, tests: Callable[[ast.expr], bool], clues: Iterable[str]) -> bool:
    """Whether a module of the settings has an ``if`` whose test ``tests`` accepts and that raises or exits, or that
    sits in a function that does (a check that collects what is missing and raises once). Only modules whose text
    holds one of the ``clues`` are parsed."""
    wanted = tuple(clues)
    for path in dict.fromkeys([settings.path, *(binding.path for binding in settings.bindings.values())]):
        text = project.text(path)
        tree = project.syntax_tree(path) if text is not None and any(clue in text for clue in wanted) else None
        if tree is None:
            continue
        stopping = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and stops(node)]
        inside = {id(inner) for function in stopping for inner in ast.walk(function)}
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and tests(node.test) and (
                    id(node) in inside or any(stops(statement) for statement in node.body)):
                return True
    return False


def stops(node: ast.AST) -> bool:
    """Whether a statement raises or exits somewhere inside it."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Raise):
            return True
        if isinstance(inner, ast.Call):
            name = inner.func.attr if isinstance(inner.func, ast.Attribute) else getattr(inner.func, "id", "")
            if name in STOPS:
                return True
    return False
