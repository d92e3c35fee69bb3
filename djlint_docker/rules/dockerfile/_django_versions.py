"""Django's Python support table, and the Python of an image, for the rules that pin Django (DJC114, DJC409)."""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence

from djlint_docker.images import parse_image
from djlint_docker.parse.dockerfile import Dockerfile

#: Django's official Python support table ("What Python version can I use with Django?",
#: https://docs.djangoproject.com/en/stable/faq/install/): feature release -> {Python: first
#: patch release that supports it}.
DJANGO_PYTHON = {
    "1.11": {"3.4": 0, "3.5": 0, "3.6": 0, "3.7": 17},
    "2.0": {"3.4": 0, "3.5": 0, "3.6": 0, "3.7": 0},
    "2.1": {"3.5": 0, "3.6": 0, "3.7": 0},
    "2.2": {"3.5": 0, "3.6": 0, "3.7": 0, "3.8": 8, "3.9": 17},
    "3.0": {"3.6": 0, "3.7": 0, "3.8": 0, "3.9": 11},
    "3.1": {"3.6": 0, "3.7": 0, "3.8": 0, "3.9": 3},
    "3.2": {"3.6": 0, "3.7": 0, "3.8": 0, "3.9": 0, "3.10": 9},
    "4.0": {"3.8": 0, "3.9": 0, "3.10": 0},
    "4.1": {"3.8": 0, "3.9": 0, "3.10": 0, "3.11": 3},
    "4.2": {"3.8": 0, "3.9": 0, "3.10": 0, "3.11": 0, "3.12": 8},
    "5.0": {"3.10": 0, "3.11": 0, "3.12": 0},
    "5.1": {"3.10": 0, "3.11": 0, "3.12": 0, "3.13": 3},
    "5.2": {"3.10": 0, "3.11": 0, "3.12": 0, "3.13": 0, "3.14": 8},
    "6.0": {"3.12": 0, "3.13": 0, "3.14": 0},
}
LAST_PATCH = 40

#: The oldest Python each feature release's ``Requires-Python`` admits (``python_requires`` in
#: Django's setup.cfg, ``requires-python`` in its pyproject.toml): what pip installs it on, a
#: wider set than the support table. Django never admits a Python again once it has dropped it.
DJANGO_REQUIRES_PYTHON = {
    "2.0": "3.4", "2.1": "3.5", "2.2": "3.5", "3.0": "3.6", "3.1": "3.6", "3.2": "3.6", "4.0": "3.8", "4.1": "3.8",
    "4.2": "3.8", "5.0": "3.10", "5.1": "3.10", "5.2": "3.10", "6.0": "3.12",
}


def last_installable(python: str) -> str | None:
    """The newest Django feature release pip can install on ``python`` (``3.9``: ``4.2``) when Django has already
    released a newer one that requires a newer Python, so that no later release will install there either: a
    requirement without an upper bound can never bring another major on that Python. None when the newest release
    installs on it (``3.12``), or none does."""
    installable = newest_installable(python)
    return installable if installable != max(DJANGO_REQUIRES_PYTHON, key=numbers) else None


def newest_installable(python: str) -> str | None:
    """The newest Django feature release pip installs on ``python`` (``3.4``: ``2.0``); None when none does."""
    admitting = [feature for feature, oldest in DJANGO_REQUIRES_PYTHON.items() if numbers(python) >= numbers(oldest)]
    return max(admitting, key=numbers) if admitting else None


def python_version(dockerfile: Dockerfile) -> tuple[str, str] | None:
    """The Python minor version of the final image's official python base, and the image."""
    base = dockerfile.root
    image = parse_image(base.image) if base.image else None
    if image is None or image.name != "python" or not image.tag:
        return None
    match = re.match(r"(3\.\d+)", image.tag)
    return (match.group(1), base.image) if match else None


def numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
           ">=": operator.ge}
PLAIN_CLAUSE = re.compile(r"(==|!=|<=|>=|<|>)(\d+(?:\.\d+)*)")


def allowed_releases(specifier: str, releases: Sequence[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """The final releases among ``releases`` that a specifier allows, in their order.

    Plain comparisons (``>=4.2,<5.0``, ``==5.1.4``) are compared as numbers padded with zeros,
    which is PEP 440 for final releases; anything else (``~=``, ``.*``, pre-releases) goes to
    packaging's specifiers, the slowest import a run could make.
    """
    found = [PLAIN_CLAUSE.fullmatch(clause.strip()) for clause in specifier.split(",")]
    clauses = [clause for clause in found if clause is not None]
    if len(clauses) == len(found):
        bounds = [(COMPARE[clause.group(1)], numbers(clause.group(2))) for clause in clauses]
        return [release for release in releases if all(compare(*_padded(release, bound)) for compare, bound in bounds)]
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(specifier)
    except InvalidSpecifier:
        return []
    return [release for release in releases if allowed.contains(".".join(map(str, release)), prereleases=False)]


def _padded(*versions: tuple[int, ...]) -> list[tuple[int, ...]]:
    width = max(map(len, versions))
    return [version + (0,) * (width - len(version)) for version in versions]


def range_for(python: str, lower: str | None = None) -> str | None:
    """A Django range the image's Python can install: one feature release, from the patch that supports it.

    The first feature release at or above ``lower`` (the requirement's lower bound) that
    supports ``python``, else the newest that does; None when none of the table does.
    """
    supporting = [(feature, patches[python]) for feature, patches in DJANGO_PYTHON.items() if python in patches]
    if not supporting:
        return None
    floor = numbers(lower)[:2] if lower and re.fullmatch(r"\d+(?:\.\d+)*", lower) else None
    chosen = next((entry for entry in supporting if floor is not None and numbers(entry[0]) >= floor),
                  supporting[-1])
    feature, patch = chosen
    major, minor = numbers(feature)
    start = f"{feature}.{patch}" if patch else feature
    return f"Django>={start},<{major}.{minor + 1}"
