"""DJC409 django-unpinned: The requirements do not pin Django to a version range."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.project._packages import django_requirement
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE


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
])
def django_unpinned(project: Project) -> Iterator[Violation]:
    """The requirements do not pin Django to a version range.

    ## What it does
    Reports the Django requirement of the requirements files the image installs when
    it has no version at all or only a lower bound (`Django>=3.0`).

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
    for build, _ in project.dockerfiles:
        django = django_requirement(project.requirements(build))
        if django is None or (django.path, django.line) in seen:
            continue
        seen.add((django.path, django.line))
        if not django.operators & {"==", "===", "~=", "<", "<="}:
            shown = f"Django{django.specifier}" if django.specifier else "Django"
            yield Violation(Location(django.path, django.line),
                            f"`{shown}` has no upper bound: a rebuild may install the next major version; pin a "
                            f"range such as Django>=5.1,<5.2")
