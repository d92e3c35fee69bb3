"""DJC409 django-unpinned: The requirements do not pin Django to a version range."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._django_versions import last_installable, numbers, python_version, range_for
from djlint_docker.rules.project._lock_examples import (
    PIPENV_DOCKERFILE,
    POETRY_DOCKERFILE,
    UV_DOCKERFILE,
    pipenv_project,
    poetry_project,
    uv_project,
)
from djlint_docker.rules.project._packages import django_requirement, installs
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

PYPROJECT_WITH_EXTRAS = """\
[project]
name = "shelfapp"
version = "2.3.0"
dependencies = [
    "Django>=4.2",
    "django-environ",
]

[project.optional-dependencies]
prod = [
    "shelfapp[server]",
]
server = [
    "Django==5.1.3",
    "gunicorn==23.0.0",
]
"""


@rule("DJC409", "django-unpinned", Severity.WARNING, examples=[
    Example("bare", {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                     "requirements.txt": "django\ngunicorn==23.0.0\n"}, expect=(("requirements.txt", 1),)),
    Example("lower-bound-only", {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                                 "requirements.txt": "Django>=3.0\n"}, expect=(("requirements.txt", 1),)),
    Example("pinned", {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                       "requirements.txt": "Django==5.1.3\n"}),
    Example("range", {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                      "requirements.txt": "Django>=4.2,<5.0\n"}),
    Example("compatible-release", {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                                   "requirements.txt": "Django~=5.1.0\n"}),
    # Django 5.0 and later require Python 3.10: on 3.9 pip resolves 4.2 today and on every rebuild.
    Example("python-no-later-django-installs-on", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12", "3.9"), "manage.py": MANAGE,
        "requirements.txt": "Django>=4.1\ndjangorestframework\ngunicorn\n"}),
    Example("older-major-on-python-no-later-django-installs-on", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12", "3.9"), "manage.py": MANAGE,
        "requirements.txt": "Django>=3.2\ndjangorestframework\ngunicorn\n"}, expect=(("requirements.txt", 1),)),
    Example("bare-on-python-django-6-left-behind", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12", "3.11"), "manage.py": MANAGE,
        "requirements.txt": "django\ngunicorn\n"}, expect=(("requirements.txt", 1),)),
    Example("last-major-on-python-django-6-left-behind", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12", "3.11"), "manage.py": MANAGE,
        "requirements.txt": "Django>=5.0\ngunicorn\n"}),
    Example("old-lower-bound-on-new-python", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12", "3.13"), "manage.py": MANAGE,
        "requirements.txt": "Django>=3.2\n"}, expect=(("requirements.txt", 1),)),
    Example("pyproject-installed-with-pip", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n",
        "manage.py": MANAGE, "pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\n'
                                               'dependencies = [\n    "django>=4.2",\n    "gunicorn",\n]\n'},
        expect=(("pyproject.toml", 5),)),
    # A reusable app: the library allows any recent Django, the extra the image installs pins the one it runs.
    Example("extra-the-image-installs-pins-it", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir \".[prod]\"\n",
        "manage.py": MANAGE, "pyproject.toml": PYPROJECT_WITH_EXTRAS}),
    Example("extra-the-image-leaves-out-pins-it", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n",
        "manage.py": MANAGE, "pyproject.toml": PYPROJECT_WITH_EXTRAS}, expect=(("pyproject.toml", 5),)),
    # A project template: `uv lock` runs when it is copied out, and the image installs `--frozen` from that lock.
    Example("uv-lock-each-user-makes", {"Dockerfile": UV_DOCKERFILE, "manage.py": MANAGE,
                                        **{name: text for name, text in uv_project({"django": "5.1.3"}).items()
                                           if name != "uv.lock"}}),
    Example("uv-lock-pins-it", {"Dockerfile": UV_DOCKERFILE, "manage.py": MANAGE,
                                **uv_project({"django": "5.1.3"}, declared={"django": ">=4.2"})}),
    Example("poetry-lock-pins-a-caret-range", {"Dockerfile": POETRY_DOCKERFILE, "manage.py": MANAGE,
                                               **poetry_project({"django": "5.1.3"})}),
    Example("pipfile-without-a-lock", {
        "Dockerfile": PIPENV_DOCKERFILE.replace("COPY Pipfile Pipfile.lock", "COPY Pipfile"), "manage.py": MANAGE,
        **pipenv_project({"django": "5.1.3"}, locked=False)}, expect=(("Pipfile", 7),)),
    Example("lower-bound-on-an-image-of-unknown-python", {
        "Dockerfile": "FROM ubuntu:24.04\nWORKDIR /app\n"
                      "RUN --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \\\n"
                      "    uv sync --no-install-project\nCOPY . .\n", "manage.py": MANAGE,
        "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["django>=6.0"]\n'},
        expect=(("pyproject.toml", 4),)),
    Example("named-in-the-dockerfile", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir django gunicorn\nCOPY . .\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("pinned-in-the-dockerfile", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir 'Django>=5.1,<5.2'\n"
                      "COPY . .\n", "manage.py": MANAGE}),
    Example("pipfile-lock-pins-it", {"Dockerfile": PIPENV_DOCKERFILE, "manage.py": MANAGE,
                                     **pipenv_project({"django": "5.1.3"})}),
])
def django_unpinned(project: Project) -> Iterator[Violation]:
    """The requirements do not pin Django to a version range.

    ## What it does
    Reports the Django requirement the image installs when it has no version at all or
    only a lower bound (`Django>=3.0`): in a requirements file, a `pip install` in the
    Dockerfile, in `pyproject.toml`
    installed with `pip install .`, or in a `Pipfile` installed without its lock. Where
    the image reads several Django requirements, the one that decides the version does:
    `Django==5.1.3` in the extra it installs (`pip install ".[prod]"`, `uv sync --extra
    prod`) pins a loose `Django>=4.2` in the dependencies; an extra it does not install
    does not count. A lock
    file the install reads (`uv.lock`, `poetry.lock`, `Pipfile.lock`) pins the version,
    whatever range `pyproject.toml` allows, also one each user makes before building
    (`uv sync --frozen` in a project template that commits no `uv.lock`). The range it suggests is one the image's
    Python can install (Django's support table, as DJC114 reads it), from the requirement's
    lower bound, or from the Django the settings were generated with when that is later
    (`startproject` of 5.1 under `Django>=4.2`): no suggestion moves a project back.

    On an image whose Python no later Django installs on, the requirement cannot move
    any more: on `python:3.9-slim` pip only ever resolves Django 4.2 (Django 5.0 requires
    Python 3.10), on Python 3.10 and 3.11 Django 5.2 (6.0 requires 3.12). A lower bound
    of that major (`Django>=4.0` on Python 3.9) is then not reported; a bare `Django`, or
    a lower bound of an older major (`Django>=4.2` on Python 3.11, which installs 5.2),
    is, saying which Django it installs there.

    ## Why is this bad?
    Every rebuild may bring a new major version of Django: deprecations become
    removals, and the app breaks on a rebuild nobody changed, often in production first.

    ## Example
    ```
    Django>=3.0
    ```
    Use instead:
    ```
    Django>=4.2,<5.0
    ```

    ## References
    - [pip: requirement specifiers](https://pip.pypa.io/en/stable/reference/requirement-specifiers/)
      (`Django>=3.0,<4.0` in the requirements)
    """
    seen = set()
    written_for = _written_for(project)
    for build, dockerfile in project.dockerfiles:
        found = installs(project, build)
        django = django_requirement(found.requirements)
        if django is None or (django.path, django.line) in seen or "django" in found.locked_by_user:
            continue  # none, reported already, or the version a lock each user makes pins
        seen.add((django.path, django.line))
        if not django.operators & {"==", "===", "~=", "<", "<="}:
            shown = f"Django{django.specifier}" if django.specifier else "Django"
            python = python_version(dockerfile)
            lower = re.search(r">=?\s*(\d+(?:\.\d+)*)", django.specifier)
            last = last_installable(python[0]) if python else None
            if last and lower and numbers(lower.group(1))[0] >= numbers(last)[0]:
                continue  # the image's Python installs no Django after `last`, of the major the requirement names
            floor = lower.group(1) if lower else None
            if written_for and (floor is None or numbers(written_for)[:2] > numbers(floor)[:2]):
                floor = written_for  # `startproject` of Django 5.1.7 under `Django>=4.2`: no range moves it back
            suggested = range_for(python[0], floor) if python else None
            if python and suggested:
                advice = f"pin a range Python {python[0]} can install, such as {suggested}"
            elif lower:  # the image's Python unknown: a range from the lower bound the project chose
                major, minor = (int(part) for part in (lower.group(1).split(".") + ["0"])[:2])
                advice = f"pin a range such as Django>={major}.{minor},<{major}.{minor + 1}"
            else:
                advice = "pin a range such as Django>=5.1,<5.2"
            if python and last:  # no later Django installs there: what it gets is Django `last`, already
                moved = (f"a major above the {lower.group(1)} it starts from" if lower
                         else "whichever Django the project was written for")
                claim = f"on Python {python[0]} pip installs Django {last}, {moved}"
            else:
                claim = "a rebuild may install the next major version"
            yield Violation(Location(django.path, django.line), f"`{shown}` has no upper bound: {claim}; {advice}")


STARTPROJECT_HEADER = re.compile(r"Generated by 'django-admin startproject' using Django (\d+\.\d+(?:\.\d+)?)")
"""What ``django-admin startproject`` writes at the top of the settings: the Django the project was made with."""


def _written_for(project: Project) -> str | None:
    """The Django version the project's settings were generated with (their ``startproject`` header), if one says."""
    for settings in project.settings:
        found = STARTPROJECT_HEADER.search((project.text(settings.path) or "")[:2000])
        if found:
            return found.group(1)
    return None
