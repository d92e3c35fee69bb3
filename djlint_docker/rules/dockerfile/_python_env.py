"""The Python environment variables a final image should set (DJC104, DJC105) and the fix that sets one."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from djlint_docker.edits import insert_lines
from djlint_docker.findings import Fix, Violation
from djlint_docker.parse.dockerfile import Dockerfile, Stage
from djlint_docker.project import ImageBuild, Project
from djlint_docker.rules.dockerfile._final_image import application_images, test_image
from djlint_docker.rules.snippets import MANAGE

STAGED = {
    "Dockerfile": "FROM python:3.12-slim AS release\nWORKDIR /app\nCOPY . .\n"
                  "RUN pip install --no-cache-dir django gunicorn\nCMD [\"gunicorn\", \"app.wsgi\"]\n\n"
                  "FROM release AS development\nRUN pip install --no-cache-dir pytest\n"
                  "\nFROM development AS unittests\nCMD [\"pytest\"]\n",
    "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      target: release\n",
    "compose.dev.yaml": "services:\n  web:\n    build:\n      context: .\n      target: development\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n",
    "compose.test.yaml": "services:\n  tests:\n    build:\n      context: .\n      target: unittests\n"
                         "    volumes:\n      - .:/app\n",
    "manage.py": MANAGE}
"""One Dockerfile built to three targets, each derived from the one before, by three compose files (examples)."""


def _set_by_compose(project: Project, build: ImageBuild, variable: str) -> bool:
    """Whether every service running the image sets ``variable`` (``environment:`` or ``env_file:``)."""
    services = [s for s in project.services if s.name in build.services]
    return bool(services) and all(variable in project.service_environment(s) for s in services)


def _lacking(project: Project, build: ImageBuild, dockerfile: Dockerfile, variable: str,
             applies: Callable[[Project, ImageBuild], bool]) -> bool:
    return (variable not in dockerfile.env(dockerfile.final) and applies(project, build)
            and not _set_by_compose(project, build, variable))


def python_env_missing(project: Project, variable: str, why: str,
                       applies: Callable[[Project, ImageBuild], bool] = lambda project, build: True,
                       ) -> Iterator[Violation]:
    """A finding for each image running Python whose final stage, and every service running it, leave ``variable``
    unset; ``why`` says what goes wrong; only images ``applies`` to, and no test image (a test run's output
    and bytecode are thrown away with its container). The fix adds ``ENV variable=1`` after the
    ``FROM`` of the stage it is missing from.

    A Dockerfile built to several targets (``release`` -> ``development`` -> ``unittests``,
    each a compose ``build.target`` of this setup or another of its folder) is reported once, at
    the stage every target that lacks the variable is built from: one ``ENV`` there covers them all.
    """
    for build, dockerfile in application_images(project):
        if test_image(project, build) or not _lacking(project, build, dockerfile, variable, applies):
            continue
        stage, others = _common_stage(project, build, dockerfile, variable, applies)
        text = project.text(dockerfile.path)
        fix = Fix(f"add ENV {variable}=1", (insert_lines(dockerfile.path, text, stage.from_.end_line + 1,
                                                         [f"ENV {variable}=1"]),)) if text is not None else None
        if stage is dockerfile.final and not others:
            where = "the final stage does not set"
        else:
            targets = ", ".join(sorted(others))
            where = f"stage {stage.name or stage.index}, which the built targets {targets} are made from, does not set"
        yield Violation(dockerfile.at(stage.from_), f"{where} {variable}: {why}; add `ENV {variable}=1`", fix=fix)


def _common_stage(project: Project, build: ImageBuild, dockerfile: Dockerfile, variable: str,
                  applies: Callable[[Project, ImageBuild], bool]) -> tuple[Stage, set[str]]:
    """The deepest stage of the image's lineage that every built target of its Dockerfile lacking ``variable`` (and
    sharing a stage with it) is made from, with the names of those targets when there are several."""
    lineage = dockerfile.lineage(dockerfile.final)
    mine = {stage.index for stage in lineage}
    group: dict[int, tuple[set[int], str]] = {}
    for other in project.variants:
        for other_build, other_file in application_images(other):
            if other_build.dockerfile_path != build.dockerfile_path or other_file.final.index in group:
                continue
            indices = {stage.index for stage in other_file.lineage(other_file.final)}
            if indices & mine and _lacking(other, other_build, other_file, variable, applies):
                group[other_file.final.index] = (indices, other_file.final.name or str(other_file.final.index))
    common = set(mine)
    for indices, _ in group.values():
        common &= indices
    stage = next((stage for stage in reversed(lineage) if stage.index in common), dockerfile.final)
    names = {name for _, name in group.values()}
    return stage, names if len(group) > 1 else set()
