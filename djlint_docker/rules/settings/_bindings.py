"""The settings' assignments of a name, evaluated and located: what each DJC3xx rule that reads one setting needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from djlint_docker.parse.settings import Assignment, evaluate
from djlint_docker.positions import Location
from djlint_docker.project import Project, Settings


def each_binding(project: Project, name: str) -> Iterator[tuple[Settings, Assignment]]:
    """Each assignment of ``name`` the containers' settings load, once, with the first settings that load it."""
    seen = set()
    for settings in project.settings:
        binding = settings.bindings.get(name)
        if binding is not None and binding.node is not None and (binding.path, binding.line) not in seen:
            seen.add((binding.path, binding.line))
            yield settings, binding


def evaluated(settings: Settings, binding: Assignment, env: dict[str, str]) -> Any:
    """The value the assignment computes with the environment ``env``; raises ``Unknown`` when it cannot be known."""
    assert binding.node is not None
    return evaluate(binding.node, env, settings.bindings)


def location_of(binding: Assignment) -> Location:
    """Where the assignment is written."""
    return Location(binding.path, binding.line, binding.column)
