"""The stages the final image of a Dockerfile is made of, and whether it runs Python."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.parse.dockerfile import Dockerfile, Stage
from djlint_docker.project import Project


def final_lineage(project: Project) -> Iterator[tuple[Dockerfile, list[Stage]]]:
    """Each Dockerfile with the stages its final image is made of, base first."""
    for _, dockerfile in project.dockerfiles:
        yield dockerfile, dockerfile.lineage(dockerfile.final)


def runs_python(dockerfile: Dockerfile) -> bool:
    """Whether the final image runs Python (a python base, or pip/python/manage.py in it)."""
    for stage in dockerfile.lineage(dockerfile.final):
        if "python" in stage.image.lower():
            return True
        for instruction in stage.instructions:
            if instruction.keyword in {"RUN", "CMD", "ENTRYPOINT"} and re.search(
                    r"\b(pip3?|python3?|manage\.py|gunicorn|uvicorn)\b", instruction.args):
                return True
    return False
