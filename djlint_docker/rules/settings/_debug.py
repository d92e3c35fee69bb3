"""The DEBUG fix DJC301 and DJC302 share: DEBUG read from the environment, off unless the variable says on."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from djlint_docker.findings import Edit, Fix
from djlint_docker.names import TRUE_WORDS
from djlint_docker.parse.settings import Assignment, Branches, env_reads
from djlint_docker.project import Project, Settings

"""The values of the DEBUG variable the fixed settings take for on (lower-cased)."""


def debug_fix(project: Project, settings: Settings, binding: Assignment) -> Fix | None:
    """DEBUG read from the environment, off unless the variable says on: unsafe, it changes what runs.

    A django-environ or decouple call gets ``default=False``; anything else becomes
    ``os.environ.get(VAR, "0").lower() in ("1", "true", "yes", "on")``, with the variable
    it read, or the one compose passes (``DJANGO_DEBUG`` or ``DEBUG``), else ``DJANGO_DEBUG``.
    The rewrite goes through libcst, imported only when the fix is applied.
    """
    node = binding.node
    path, line = binding.path, binding.line
    if node is None or isinstance(node, Branches):
        return None  # DEBUG set in an if/else or try/except: which assignment to rewrite is the user's choice
    if isinstance(node, ast.Call) and any(k.arg == "default" for k in node.keywords):
        def default_off() -> tuple[Edit, ...]:
            from djlint_docker.python_edit import set_keyword

            return _whole(path, project.text(path), lambda text: set_keyword(text, "DEBUG", line, "default", "False"))

        return Fix("DEBUG defaults to False", safe=False, deferred=default_off)
    reads = [read.variable for read in env_reads(node, settings.bindings)]
    passed = {name for service in project.services for name in service.environment}
    variable = reads[0] if reads else next((n for n in ("DJANGO_DEBUG", "DEBUG") if n in passed), "DJANGO_DEBUG")
    expression = f"os.environ.get({variable!r}, '0').lower() in {TRUE_WORDS!r}"

    def from_environment() -> tuple[Edit, ...]:
        from djlint_docker.python_edit import replace_value

        return _whole(path, project.text(path), lambda text: replace_value(text, "DEBUG", line, expression, ("os",)))

    return Fix(f"DEBUG = {expression}", safe=False, deferred=from_environment)


def _whole(path: Path, text: str | None, rewrite: Callable[[str], str | None]) -> tuple[Edit, ...]:
    """The rewrite as one edit of the whole file (libcst keeps the rest byte for byte); none when it fails."""
    new = rewrite(text) if text is not None else None
    return (Edit(path, 0, len(text), new),) if text is not None and new is not None and new != text else ()
