"""DJC107 deprecated-django-image: the Dockerfile builds on the deprecated official `django` image."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import parse_image
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE, WELL_BUILT_DOCKERFILE


@rule("DJC107", "deprecated-django-image", Severity.ERROR, examples=[
    Example("django-image", {"Dockerfile": "FROM django:onbuild\n", "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("python-image", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
])
def deprecated_django_image(project: Project) -> Iterator[Violation]:
    """The Dockerfile builds on the deprecated official `django` image.

    ## What it does
    Reports `FROM django` with any tag.

    ## Why is this bad?
    The official `django` image was deprecated in 2016 and receives no updates: its
    Python, Django and system libraries carry years of known vulnerabilities.

    ## Example
    ```dockerfile
    FROM django:onbuild
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ```

    ## References
    - [The deprecated django image on Docker Hub](https://hub.docker.com/_/django)
      (the django image is deprecated since 2016; use the python image)
    - [Docker Hub: django](https://hub.docker.com/_/django)
    """
    for _, dockerfile in project.dockerfiles:
        for stage in dockerfile.stages:
            if stage.parent is None and stage.image and parse_image(stage.image).repository == "django":
                yield Violation(dockerfile.at(stage.from_), f"`FROM {stage.image}`: the official django image is "
                                                             f"deprecated since 2016; build on python:3.x-slim")
