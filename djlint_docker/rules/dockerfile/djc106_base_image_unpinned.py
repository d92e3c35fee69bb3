"""DJC106 base-image-unpinned: a `FROM` image is not pinned to a version."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import major_only, parse_image
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE, WELL_BUILT_DOCKERFILE


@rule("DJC106", "base-image-unpinned", Severity.WARNING, examples=[
    Example("major-only", {"Dockerfile": "FROM python:3\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("no-tag-and-latest", {
        "Dockerfile": "FROM node AS assets\nRUN npm ci\nFROM python:latest\nCOPY --from=assets /dist /static\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1), ("Dockerfile", 3))),
    Example("arg-default-unpinned", {"Dockerfile": "ARG PYTHON=3\nFROM python:${PYTHON}-slim\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("pinned-minor", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("arg-default-pinned", {"Dockerfile": "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim AS base\n"
                                                 "FROM base\n", "manage.py": MANAGE}),
    Example("digest", {"Dockerfile": "FROM python@sha256:" + "a" * 64 + "\n", "manage.py": MANAGE}),
])
def base_image_unpinned(project: Project) -> Iterator[Violation]:
    """A `FROM` image is not pinned to a version.

    ## What it does
    Reports `FROM` without a tag, with `:latest`, or (for Python images) with a tag that
    pins only the major version (`python:3`, `python:3-slim`). Tags set through an
    `ARG` are read with the ARG's default; digests, `scratch` and earlier stages are
    fine.

    ## Why is this bad?
    The same Dockerfile builds with another Python when a new release is tagged: code
    and compiled dependencies break on a rebuild nobody changed.

    ## Example
    ```dockerfile
    FROM python:3
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ```

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`FROM python:3` in the quickstart)
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (pin the Python version and the Debian release explicitly)
    - [Docker best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    """
    for _, dockerfile in project.dockerfiles:
        for stage in dockerfile.stages:
            if stage.parent is not None or not stage.image or stage.image.lower() == "scratch":
                continue
            image = parse_image(stage.image)
            if image.digest:
                continue
            where = dockerfile.at(stage.from_)
            if image.tag is None or image.tag == "latest":
                shown = "no tag" if image.tag is None else "`:latest`"
                yield Violation(where, f"`FROM {stage.image}` has {shown}: a rebuild may bring another version; "
                                       f"pin a version tag")
            elif image.name == "python" and major_only(image.tag):
                yield Violation(where, f"`FROM {stage.image}` pins only Python's major version; "
                                       f"pin a minor version such as python:3.12-slim")
