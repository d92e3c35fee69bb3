"""The Python environment variables a final image should set (DJC104, DJC105) and the fix that sets one; the
project's own images, whose environment a Dockerfile built from them inherits (and whose moving tags DJC106
leaves alone)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

from djlint_docker.edits import insert_lines
from djlint_docker.files import MAX_LISTED, template_base
from djlint_docker.findings import Fix, Violation
from djlint_docker.images import known_environment, parse_image
from djlint_docker.parse.compose import Service
from djlint_docker.parse.dockerfile import Dockerfile, Stage, expand, key_values
from djlint_docker.project import ENV_FILE_NAME, ImageBuild, Project
from djlint_docker.rules.dockerfile._final_image import (
    OTHER_PROGRAMS,
    application_images,
    own_dockerfile,
    started_words,
    test_image,
)
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

BASE_IMAGE_DOCKERFILE = ("FROM debian:bookworm-slim\n"
                         "RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip \\\n"
                         "    && rm -rf /var/lib/apt/lists/*\n"
                         "ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\n")
"""A project's base image (``docker/base/Dockerfile``, which CI pushes as ``<project>/base``): the system packages
and Python environment every image of the project starts from (examples)."""

OWN_BASE = {
    "larder/.git/HEAD": "ref: refs/heads/main\n", "larder/manage.py": MANAGE,
    "larder/docker/base/Dockerfile": BASE_IMAGE_DOCKERFILE,
    "larder/docker/production/Dockerfile": "FROM larder/base:latest\nWORKDIR /app\nCOPY . .\n"
                                           "RUN pip install --no-cache-dir -r requirements.txt\n"
                                           "CMD [\"gunicorn\", \"larder.wsgi\"]\n"}
"""A project (the repository ``larder``) whose application image starts from its own base image, built from
``docker/base/Dockerfile`` and pushed as ``larder/base`` by CI (examples)."""


def image_runners(project: Project, build: ImageBuild) -> list[tuple[Project, Service]]:
    """The compose services that run the image, with their setup: this setup's, else, for an image none of them
    builds (a Dockerfile beside a database-only compose file, or at the top while the compose file is in
    ``docker/``), those of the project's other setups that build it to the same target."""
    runners = [(project, service) for service in project.services if service.name in build.services]
    if not runners:
        runners = [(other, service) for other in project.variants if other is not project
                   for other_build in other.builds if other_build.dockerfile_path == build.dockerfile_path
                   and (other_build.target or None) == (build.target or None)
                   for service in other.services if service.name in other_build.services]
    return runners


def _set_by_compose(project: Project, build: ImageBuild, variable: str, unknown_may_set: bool = True) -> bool:
    """Whether every service running the image sets ``variable`` (``environment:`` or ``env_file:``, its own or
    one it ``extends``), or reads an env file djcheck cannot know (absent, with no template: each deployment writes
    it, ``/etc/env/ticker.env``), which may (unless ``unknown_may_set`` is False: the image meant to set it itself).
    An image no service of this setup builds is run by the services of the project's other setups
    (:func:`image_runners`)."""
    runners = image_runners(project, build)
    # an env file each deployment makes (absent, no template) may set it
    return bool(runners) and all(variable in owner.service_environment(service)
                                 or unknown_may_set and not owner.environment_known(service)
                                 for owner, service in runners)


def _lacking(project: Project, build: ImageBuild, dockerfile: Dockerfile, variable: str,
             applies: Callable[[Project, ImageBuild], bool]) -> bool:
    # An image that misspells the variable (`ENV PYTHONNUNBUFFERED 1`) meant to set it itself: an env file each
    # clone makes is not where it is set.
    return (variable not in dockerfile.env(dockerfile.final) and applies(project, build)
            and not _set_by_compose(project, build, variable,
                                    unknown_may_set=not _near_miss(dockerfile, dockerfile.final, variable))
            and not base_may_set(project, build, dockerfile, variable)
            and not _set_by_start_scripts(project, build, variable)
            and not (not image_runners(project, build) and _set_by_env_files_beside(project, build, variable)))


def _set_by_env_files_beside(project: Project, build: ImageBuild, variable: str) -> bool:
    """Whether an env template at the top of the image's build context sets ``variable`` (``PYTHONUNBUFFERED=1`` in
    ``.env.sample``): for an image no compose file of the project runs, the environment its deployment gives it
    (``docker run --env-file``, a compose file kept elsewhere). Not a plain env file, which a development stack may
    read."""
    try:
        names = sorted(os.listdir(build.context))[:MAX_LISTED]
    except OSError:
        return False
    return any(variable in (project.env_values(build.context / name, quiet=True) or {})
               for name in names
               if ENV_FILE_NAME.search(template_base(name) or "") and project.is_file(build.context / name))


def _set_by_start_scripts(project: Project, build: ImageBuild, variable: str) -> bool:
    """Whether what the image starts sets ``variable`` itself: its entrypoint or CMD script exports it
    (``export PYTHONUNBUFFERED=1``), or a command of the script or of a start command is given it
    (``PYTHONUNBUFFERED=1 ./manage.py runserver``)."""
    assignment = re.compile(rf"(?:^|[\s;&|(])(?:export\s+|declare\s+-x\s+)?{re.escape(variable)}=\S")
    lines = [line.text for script in project.scripts if script.build is build
             for line in script.lines[:MAX_SCRIPT_LINES]]
    lines += [" ".join(command.words) for start in project.start_commands if start.build is build
              for command in start.commands]
    return any(assignment.search(line[:MAX_LINE]) for line in lines)


MAX_SCRIPT_LINES = 2000
MAX_LINE = 4096
"""How much of a start script is read for an assignment: a script's lines, the start of each."""


ARGUMENT = re.compile(r"\$\{?(\w+)")


def base_may_set(project: Project, build: ImageBuild, dockerfile: Dockerfile, variable: str) -> bool:
    """Whether the image the final stage starts from sets ``variable`` for it, or may (:func:`inherited`).

    ``FROM ${SENTRY_IMAGE}`` without a default is the image the compose build passing that argument
    (``args: [SENTRY_IMAGE]``) takes from the ``.env`` beside it: a vendor's image there
    (``ghcr.io/getsentry/sentry``) may set it. An image passed some other way is not known, and is
    taken to be an official one (build scripts pass ``ubuntu:24.04``).
    """
    root = dockerfile.root
    if root.image:
        return inherited(project, dockerfile, variable)
    words = root.from_.words()
    if not words or not any(service.build is not None and "args" in service.build.written
                            for service in project.services if service.name in build.services):
        return False
    known = {name: found.value for name, found in project.dotenv.items() if found.value}
    passed = {name: known[name] for name in ARGUMENT.findall(words[0]) if name in known}
    image = expand(words[0], {**dockerfile.global_args, **passed})
    return image is not None and image != "" and "$" not in image \
        and not known_environment(parse_image(image).repository)


MAX_BASES = 4
"""How many of the project's own base images, one built from the next, are followed."""


def inherited(project: Project, dockerfile: Dockerfile, variable: str, depth: int = 0) -> bool:
    """Whether the image a Dockerfile's final stage starts from sets ``variable`` for it, or may.

    An image the project builds itself passes its ``ENV`` on: one a compose service builds
    (``build:`` beside ``image: shop/base``, or Compose's ``<project>-<service>``), or one
    of the project's own images (:func:`own_image`) whose Dockerfile lies where projects keep
    it: a folder named for it beside the Dockerfile or above it (``wger/base`` from
    ``extras/docker/base/Dockerfile``), or ``Dockerfile.base``/``base.Dockerfile``. The
    environment of any other image whose Dockerfile is not found is unknown, and it may set the
    variable: an own image CI builds from a file named otherwise, an organisation's base image
    (``acme/python-base``), one built on the machine (``app-base``). Only what official
    images, distributions' own and well-known public Python images set is known
    (:func:`known_environment`): they set neither variable. So does an ``ARG`` without a
    default (``FROM ${FROM}``): build scripts pass such an image (``ubuntu:24.04``).
    """
    root = dockerfile.root
    if not root.image or depth >= MAX_BASES:
        return False  # `FROM ${FROM}` without a default: a script passes an official or distribution image
    producer = own_dockerfile(project, dockerfile, root.image)
    if producer is None:
        return not known_environment(parse_image(root.image).repository)
    return variable in producer.env(producer.final) or inherited(project, producer, variable, depth + 1)


USER_SWITCHES = frozenset({"su-exec", "gosu"})
"""Programs that run a command as another user (``su-exec postgres postgres``): the command is what runs."""


def starts_other_program_as(dockerfile: Dockerfile) -> bool:
    """Whether the final image's ENTRYPOINT (or its CMD without one) runs a program that is not Python's as another
    user (``CMD ["su-exec", "postgres", "postgres"]``): a database's image, however much Python its build runs."""
    words = started_words(dockerfile)
    return (bool(words) and words[0].rsplit("/", 1)[-1] in USER_SWITCHES and len(words) > 2
            and words[2].rsplit("/", 1)[-1] in OTHER_PROGRAMS)


def python_env_missing(project: Project, variable: str, why: str,
                       applies: Callable[[Project, ImageBuild], bool] = lambda project, build: True,
                       ) -> Iterator[Violation]:
    """A finding for each image running Python whose final stage, and every service running it, leave ``variable``
    unset; ``why`` says what goes wrong; only images ``applies`` to, no test image (a test run's output
    and bytecode are thrown away with its container), and no image that starts another program as another user
    (``su-exec postgres postgres``: a database image whose build runs Python). The fix adds ``ENV variable=1``
    after the ``FROM`` of the stage it is missing from.

    A Dockerfile built to several targets (``release`` -> ``development`` -> ``unittests``,
    each a compose ``build.target`` of this setup or another of its folder) is reported once, at
    the stage every target that lacks the variable is built from: one ``ENV`` there covers them all.
    """
    for build, dockerfile in application_images(project):
        if test_image(project, build) or starts_other_program_as(dockerfile) \
                or not _lacking(project, build, dockerfile, variable, applies):
            continue
        stage, others = _common_stage(project, build, dockerfile, variable, applies)
        text = project.text(dockerfile.path)
        fix = Fix(f"add ENV {variable}=1", (insert_lines(dockerfile.path, text, stage.from_.end_line + 1,
                                                         [f"ENV {variable}=1"]),)) if text is not None else None
        if stage is dockerfile.final and not others:
            where = (f"stage {stage.name}, the target compose builds, does not set" if build.target and stage.name
                     else "the final stage does not set")
        else:
            targets = ", ".join(sorted(others))
            where = f"stage {stage.name or stage.index}, which the built targets {targets} are made from, does not set"
        yield Violation(dockerfile.at(stage.from_), f"{where} {variable}{_near_miss(dockerfile, stage, variable)}: "
                                                    f"{why}; add `ENV {variable}=1`", fix=fix)


def _near_miss(dockerfile: Dockerfile, stage: Stage, variable: str) -> str:
    """What the Dockerfile wrote that looks like setting the variable but does not: a legacy ``ENV K V`` whose value
    swallows it (``ENV PYTHONUNBUFFERED 1 PYTHONDONTWRITEBYTECODE 1`` sets one variable), or a misspelt name
    (``PYTONUNBUFFERED``)."""
    import difflib  # only when an image lacks the variable: most runs never need it

    for member in dockerfile.lineage(stage):
        for instruction in member.all("ENV"):
            pairs = key_values(instruction.args)
            if len(pairs) == 1 and "=" not in instruction.args.split(None, 1)[0] \
                    and re.search(rf"(?<!\w){variable}(?!\w)", pairs[0][1]):
                return (f" (the legacy `ENV {pairs[0][0]} ...` on line {instruction.line} sets {pairs[0][0]} to the "
                        f"rest of its line, {variable} included: `ENV K=V K2=V2` sets several)")
            close = difflib.get_close_matches(variable, [name for name, _ in pairs if name != variable], 1, 0.9)
            if close:
                return f" (`{close[0]}` on line {instruction.line} is another name)"
    return ""


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
