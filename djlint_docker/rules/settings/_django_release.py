"""The Django release a container's image installs, from its requirements: what the settings rules judge by."""

from __future__ import annotations

from functools import cache

from djlint_docker.project import DjangoRun, Project
from djlint_docker.rules.dockerfile._django_versions import (
    DJANGO_PYTHON,
    LAST_PATCH,
    allowed_releases,
    newest_installable,
    numbers,
    python_version,
)
from djlint_docker.rules.project._packages import django_requirement, requirements

FEATURES = ("1.8", "1.9", "1.10", *DJANGO_PYTHON)
UNPINNED_UNKNOWN_PYTHON = "4.2"
"""What an unpinned Django is taken to be when the image's Python is unknown: the newest every Python 3.8+ gets."""


def oldest_installed(project: Project, run: DjangoRun) -> tuple[str, str] | None:
    """The oldest Django feature release the image may install, and the requirement as written; None if unknown."""
    found = installed_features(project, run)
    return (found[0][0], found[1]) if found is not None and found[0] else None


def installed_features(project: Project, run: DjangoRun) -> tuple[tuple[str, ...], str] | None:
    """The Django feature releases the image may install, oldest first, and the requirement as written (an unpinned
    Django: the newest the image's Python installs); None if unknown."""
    if run.build is None:
        return None
    found = django_requirement(requirements(project, run.build))
    if found is None:
        return None
    if not found.specifier:
        dockerfile = run.build.dockerfile
        python = python_version(dockerfile) if dockerfile is not None else None
        release = (newest_installable(python[0]) if python else None) or UNPINNED_UNKNOWN_PYTHON
        return (release,), f"{release} (unpinned: the newest the image's Python installs)"
    return allowed_features(found.specifier), f"{found.specifier} ({found.path.name}:{found.line})"


@cache
def allowed_features(specifier: str) -> tuple[str, ...]:
    """The feature releases of :data:`FEATURES` (all "major.minor") that a specifier allows some patch release of,
    oldest first."""
    candidates = [numbers(feature) + (patch,) for feature in FEATURES for patch in range(LAST_PATCH + 1)]
    return tuple(dict.fromkeys(f"{major}.{minor}" for major, minor, _ in allowed_releases(specifier, candidates)))
