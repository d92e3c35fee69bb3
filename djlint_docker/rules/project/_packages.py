"""The packages a requirements file names that several rules look for."""

from __future__ import annotations

from djlint_docker.parse.requirements import Requirement


def django_requirement(requirements: list[Requirement]) -> Requirement | None:
    """The first requirement on Django, if any."""
    return next((r for r in requirements if r.name == "django"), None)
