"""DJC114 python-django-mismatch: The image's Python is not supported by the Django version the requirements pin."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import floating_python, parse_image
from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._django_versions import (
    DJANGO_PYTHON,
    LAST_PATCH,
    allowed_releases,
    numbers,
    python_version,
)
from djlint_docker.rules.project._lock_examples import POETRY_DOCKERFILE, UV_DOCKERFILE, poetry_project, uv_project
from djlint_docker.rules.project._packages import django_requirement, requirements
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE


def _on(image: str, requirement: str) -> dict[str, str]:
    """A project whose image (the tag given) installs the one requirement (examples)."""
    return {"Dockerfile": REQUIREMENTS_DOCKERFILE.replace("python:3.12-slim", image), "manage.py": MANAGE,
            "requirements.txt": requirement + "\n"}


@rule("DJC114", "python-django-mismatch", Severity.ERROR, cross=True, examples=[
    Example("old-django-new-python", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==4.0.10\ngunicorn==23.0.0\n"},
        expect=(("requirements.txt", 1),)),
    Example("new-django-old-python", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12", "3.9"), "manage.py": MANAGE,
        "requirements.txt": "django>=5.0,<5.1\n"}, expect=(("requirements.txt", 1),)),
    Example("patch-too-early", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==4.2.7\n"},
        expect=(("requirements.txt", 1),)),
    Example("supported", {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                          "requirements.txt": "Django==4.2.16\n"}),
    Example("range-with-a-supported-release", {
        "Dockerfile": "ARG PYTHON_VERSION=3.13\nFROM python:${PYTHON_VERSION}-slim\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\n", "manage.py": MANAGE,
        "requirements.txt": "Django>=5.1,<6\n"}),
    Example("uv-lock-pins-an-old-django", {
        "Dockerfile": UV_DOCKERFILE, "manage.py": MANAGE,
        **uv_project({"django": "4.0.10"}, declared={"django": ">=4.0,<4.1"})}, expect=(("uv.lock", 6),)),
    Example("poetry-lock-pins-a-supported-django", {
        "Dockerfile": POETRY_DOCKERFILE, "manage.py": MANAGE, **poetry_project({"django": "5.1.3"})}),
    # `python:3` is the newest Python 3: no Django 3.2 release supports it.
    Example("floating-tag-and-an-old-django", _on("python:3", "Django==3.2.25"), expect=(("requirements.txt", 1),)),
    Example("floating-tag-and-a-current-django", _on("python:3-slim", "Django>=5.2,<6.1")),
    Example("django-3.1-on-python-3.11", _on("python:3.11-alpine", "Django==3.1.8"), expect=(("requirements.txt", 1),)),
    Example("django-2.2-patch-that-supports-python-3.9", _on("python:3.9-slim", "Django==2.2.28")),
    # An organisation's own Python image: its Python is whatever the organisation built, not the newest.
    Example("organisations-python-image-without-a-tag", _on("amsterdam/python", "Django==3.2.25")),
    Example("not-an-official-python-image", {
        "Dockerfile": "FROM ubuntu:24.04\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
        "manage.py": MANAGE, "requirements.txt": "Django==3.2.25\n"}),
])
def python_django_mismatch(project: Project) -> Iterator[Violation]:
    """The image's Python is not supported by the Django version the requirements pin.

    ## What it does
    Reads the Python version of the final image's `python:` base (ARGs expanded) and
    the Django requirement the image installs (the version a `uv.lock`, `poetry.lock` or
    `Pipfile.lock` pins, where the install reads one), and reports the requirement when no
    Django release it allows supports that Python, according to Django's official
    support table from 2.2 to 6.0 (including Python versions added in a patch release,
    such as 3.12 in Django 4.2.8). A tag that names no minor version (`python:3`,
    `python:3-slim`, `python:latest`) runs the newest Python, 3.14 or later: reported only
    when the Django it installs supports none of those. A requirement several images of the
    same Python install is reported once, naming each.

    ## Why is this bad?
    pip refuses a Django whose `Requires-Python` excludes the image's Python, failing
    the build; an older Django on a newer Python installs but is untested there and
    breaks on removed standard-library modules and changed behaviour.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ```
    with `Django==4.0.10` in `requirements.txt`. Use instead: `Django==4.2.16`
    (supports Python 3.12 from 4.2.8), or a Python the pinned Django supports.

    ## References
    - [Django FAQ: what Python version can I use with Django?](https://docs.djangoproject.com/en/stable/faq/install/#what-python-version-can-i-use-with-django)
      (pin the Python image and the Django version together)
    - [Django FAQ: What Python version can I use with Django?](https://docs.djangoproject.com/en/stable/faq/install/#what-python-version-can-i-use-with-django)
    """
    reported: dict[tuple[Location, str], tuple[str, list[Location]]] = {}  # each pin once, with every image it fails
    for build, dockerfile in project.dockerfiles:
        found = python_version(dockerfile) or _floating_python(dockerfile)
        django = django_requirement(requirements(project, build))
        if found is None or django is None or not django.specifier:
            continue
        python, image = found
        releases = _releases(django.specifier)
        if releases and not any(_supports(release, python) for release in releases):
            supporting = [f"{feature}.{pythons[python]}" if pythons[python] else feature
                          for feature, pythons in DJANGO_PYTHON.items() if python in pythons]
            advice = f"Django {supporting[0]} to {supporting[-1]}.x support Python {python}" if supporting else \
                "no Django release in the support table supports it"
            runs = f"Python {python}" if python_version(dockerfile) else f"the newest Python, {python} or later"
            message = (f"Django{django.specifier} supports {_support_text(releases)}, but the image runs {runs} "
                       f"({image}); {advice}")
            images = reported.setdefault((Location(django.path, django.line), python), (message, []))[1]
            images.append(dockerfile.at(dockerfile.root.from_))
    for (location, _), (message, images) in reported.items():
        if len(images) > 1:
            message = message.replace("but the image runs", f"but the {len(images)} images built with it run")
        yield Violation(location, message, related=tuple(sorted(dict.fromkeys(images), key=str)))




FLOATING_PYTHON = "3.14"
"""What a ``python`` tag that names no minor version runs (``python:3``, ``python:3-slim``, ``python:latest``) at
least: the newest Python 3, 3.14 since 2025-10 (3.15 once Docker's images move to it). Only a Django that supports
none of 3.14 and later is reported with it."""


def _floating_python(dockerfile: Dockerfile) -> tuple[str, str] | None:
    """The newest Python (its floor) and the image, when the final image's python base names no minor version."""
    base = dockerfile.root
    if not base.image or "$" in base.image or not floating_python(parse_image(base.image)):
        return None
    return FLOATING_PYTHON, base.image


Release = tuple[int, int, int]


@cache
def _releases(specifier: str) -> tuple[Release, ...]:
    """The Django releases of the support table that a specifier allows (each specifier worked out once a run)."""
    # Every feature release of the table is "major.minor".
    candidates: list[Release] = [(major, minor, patch) for major, minor in map(numbers, DJANGO_PYTHON)
                                 for patch in range(LAST_PATCH + 1)]
    return tuple((major, minor, patch) for major, minor, patch in allowed_releases(specifier, candidates))


def _supports(release: Release, python: str) -> bool:
    first_patch = DJANGO_PYTHON[f"{release[0]}.{release[1]}"].get(python)
    return first_patch is not None and release[2] >= first_patch


def _support_text(releases: tuple[Release, ...]) -> str:
    """The Pythons the releases allowed support, as the releases themselves do (``==3.2`` is 3.2.0: not Python
    3.10, which 3.2.9 added)."""
    pythons = sorted({python for release in releases for python in DJANGO_PYTHON[f"{release[0]}.{release[1]}"]
                      if _supports(release, python)}, key=numbers)
    return f"Python {pythons[0]} to {pythons[-1]}" if pythons else "no Python"
