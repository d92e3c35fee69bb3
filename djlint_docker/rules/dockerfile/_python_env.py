"""The Python environment variables a final image should set (DJC104, DJC105) and the fix that sets one."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from djlint_docker.edits import insert_lines
from djlint_docker.findings import Fix, Violation
from djlint_docker.project import ImageBuild, Project
from djlint_docker.rules.dockerfile._final_image import application_images


def _set_by_compose(project: Project, build: ImageBuild, variable: str) -> bool:
    """Whether every service running the image sets ``variable`` (``environment:`` or ``env_file:``)."""
    services = [s for s in project.services if s.name in build.services]
    return bool(services) and all(variable in project.service_environment(s) for s in services)


def python_env_missing(project: Project, variable: str, why: str,
                       applies: Callable[[ImageBuild], bool] = lambda build: True) -> Iterator[Violation]:
    """A finding for each image running Python whose final stage, and every service running it, leave ``variable``
    unset; ``why`` says what goes wrong; only images ``applies`` to. The fix adds ``ENV variable=1`` after the
    final ``FROM``.
    """
    for build, dockerfile in application_images(project):
        lineage = dockerfile.lineage(dockerfile.final)
        if (variable not in dockerfile.env(dockerfile.final) and applies(build)
                and not _set_by_compose(project, build, variable)):
            final = lineage[-1].from_
            text = project.text(dockerfile.path)
            fix = Fix(f"add ENV {variable}=1", (insert_lines(dockerfile.path, text, final.end_line + 1,
                                                             [f"ENV {variable}=1"]),)) if text is not None else None
            yield Violation(dockerfile.at(final), f"the final stage does not set {variable}: {why}; "
                                                   f"add `ENV {variable}=1`", fix=fix)
