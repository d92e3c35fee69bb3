"""DJC118 debian-release-archived: a base image on a Debian release whose packages left the mirrors."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import parse_image
from djlint_docker.parse.dockerfile import Instruction, Stage
from djlint_docker.parse.shell import program
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._debian_releases import archived_release, python_patch_release
from djlint_docker.rules.dockerfile._final_image import developers_image, test_image
from djlint_docker.rules.snippets import HEROKU_AND_DEV_STACK, MANAGE, WELL_BUILT_DOCKERFILE

ARCHIVE = re.compile(r"archive\.debian\.org|snapshot\.debian\.org")

PSYCOPG_ON_BUSTER = """\
FROM python:3.8-slim-buster
ENV PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /code
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
"""


@rule("DJC118", "debian-release-archived", Severity.ERROR, examples=[
    Example("builder-stage-that-fetches-no-package", {
        "Dockerfile": "FROM node:14-buster AS client\nWORKDIR /client\nCOPY frontend/ .\n"
                      "RUN npm ci && npm run build\n\nFROM python:3.12-slim\nWORKDIR /app\n"
                      "COPY --from=client /client/dist /app/static\nCOPY . .\n", "manage.py": MANAGE}),
    # Heroku deploys the project; the developers' image runs no apt-get: it builds, and ships nowhere.
    Example("image-for-development-alone-without-apt", {
        **HEROKU_AND_DEV_STACK, "docker/Dockerfile": "FROM python:3.7-stretch\nWORKDIR /app\nCOPY . .\n"}),
    Example("image-the-project-ships-without-apt", {
        **{name: text for name, text in HEROKU_AND_DEV_STACK.items() if name != "Procfile"},
        "docker/Dockerfile": "FROM python:3.7-stretch\nWORKDIR /app\nCOPY . .\n"}, expect=(("docker/Dockerfile", 1),)),
    Example("slim-buster-with-apt", {"Dockerfile": PSYCOPG_ON_BUSTER, "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("stretch-builder-stage", {
        "Dockerfile": "ARG PYTHON_VERSION=3.7\nFROM python:${PYTHON_VERSION}-stretch AS build\n"
                      "RUN apt-get update && apt-get install -y build-essential\n"
                      "RUN pip wheel --wheel-dir /wheels psycopg2\n"
                      "FROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 2),)),
    # Python 3.8.5 was replaced by 3.8.6 in 2020-09, two years before the python images moved to bullseye.
    Example("python-patch-release-last-built-on-buster", {
        "Dockerfile": PSYCOPG_ON_BUSTER.replace("python:3.8-slim-buster", "python:3.8.5-slim"), "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    # Python 3.5.2 was replaced by 3.5.3 in 2017-01, half a year before the python images moved to stretch.
    Example("python-patch-release-last-built-on-jessie", {
        "Dockerfile": PSYCOPG_ON_BUSTER.replace("python:3.8-slim-buster", "python:3.5.2"), "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    # The 3.5 line ended with 3.5.10, whose images were last built on buster: `python:3.5` is that image.
    Example("python-line-that-ended-on-buster", {
        "Dockerfile": PSYCOPG_ON_BUSTER.replace("python:3.8-slim-buster", "python:3.5"), "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("python-line-still-built", {
        "Dockerfile": PSYCOPG_ON_BUSTER.replace("python:3.8-slim-buster", "python:3.12-slim"), "manage.py": MANAGE}),
    Example("python-patch-release-built-on-bookworm", {
        "Dockerfile": PSYCOPG_ON_BUSTER.replace("python:3.8-slim-buster", "python:3.11.4-slim"), "manage.py": MANAGE}),
    # A builder and a runtime stage from one archived image: one finding, at the first, naming the other.
    Example("two-stages-of-one-archived-image", {
        "Dockerfile": PSYCOPG_ON_BUSTER.replace("-buster\n", "-buster AS build\n", 1)
                      + "FROM python:3.8-slim-buster\nCOPY --from=build /code /code\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    Example("debian-version-number-without-apt", {
        "Dockerfile": "FROM debian:10-slim\nCOPY . /app\n", "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("bookworm", {"Dockerfile": PSYCOPG_ON_BUSTER.replace("buster", "bookworm"), "manage.py": MANAGE}),
    Example("sources-moved-to-the-archive", {
        "Dockerfile": PSYCOPG_ON_BUSTER.replace(
            "RUN apt-get update", "RUN sed -i 's|deb.debian.org|archive.debian.org|g' /etc/apt/sources.list \\\n"
                                  "    && apt-get update"), "manage.py": MANAGE}),
    Example("current-images", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
])
def debian_release_archived(project: Project) -> Iterator[Violation]:
    """A base image on a Debian release whose packages left the mirrors.

    ## What it does
    Reports a `FROM` whose tag names a Debian release that has been moved to
    archive.debian.org (`-jessie`, `-stretch`, `-buster` tags of any image, `debian:10`),
    or a `python` tag of one patch release whose last image was built on one (`python:3.8.5`,
    `python:3.6.9-slim`: the tag stopped being rebuilt when 3.8.6 came out, on buster), or of
    a line that ended on one (`python:3.5`, last built as 3.5.10 on buster):
    an error when the stage, or a stage built on it, runs `apt-get update`/`install`,
    a warning otherwise. A stage that runs no apt and that the final image is not built on
    (a `node:14-buster` stage that builds the front end), or a test image or an image for
    development alone in a project deployed otherwise that runs none, fetches no package
    and ships nothing: it is left alone, as is a Dockerfile that points
    apt at archive.debian.org (or snapshot.debian.org) itself. Stages of one Dockerfile built from the
    same archived image are one finding, at the first. The releases and their dates are kept in
    one table (`_debian_releases.py`) with its sources and the day it was checked.

    ## Why is this bad?
    Once a release leaves `deb.debian.org` and `security.debian.org`, `apt-get update`
    fails with `404 Not Found` and `does not have a Release file` (and an official Python
    image of 3.12 or later tagged with buster or older, `python:3.12.4-slim-buster`, was
    never published: the build stops at `FROM`): the Dockerfile that
    built yesterday no longer builds, though nothing in the repository changed. Before
    that, the release had stopped getting security fixes at the end of its LTS.

    ## Example
    ```dockerfile
    FROM python:3.8-slim-buster
    RUN apt-get update && apt-get install -y libpq-dev gcc
    ```
    Use instead: a supported release (`python:3.12-slim-bookworm`, `python:3.13-slim`),
    moving Python along if its images for the old release were the last ones built.

    ## References
    - [Debian releases](https://www.debian.org/releases/) and
      [Debian LTS](https://wiki.debian.org/LTS) (when each release stopped being supported)
    - [archive.debian.org](https://archive.debian.org/debian/dists/) (where the removed releases are kept)
    - [Docker Official Image python: supported tags](https://hub.docker.com/_/python)
    """
    for build, dockerfile in project.dockerfiles:
        if any(ARCHIVE.search(i.script) for i in dockerfile.instructions if i.keyword == "RUN"):
            continue
        final = {s.index for s in dockerfile.lineage(dockerfile.final)}
        tests = test_image(project, build)
        by_image: dict[str, list[Stage]] = {}  # the stages built from each archived image: one finding for them all
        for stage in dockerfile.stages:
            if stage.parent is None and stage.image and archived_release(stage.image) is not None:
                by_image.setdefault(stage.image, []).append(stage)
        for image, stages in by_image.items():
            stage = stages[0]
            release = archived_release(image)
            assert release is not None
            built_on = [s for s in dockerfile.stages if dockerfile.lineage(s)[0] in stages]
            apt = next((i for s in built_on for i in s.instructions if i.keyword == "RUN" and _runs_apt(i)), None)
            others = tuple(dockerfile.at(other.from_) for other in stages[1:])
            when = f" since {release.left_mirrors}" if release.left_mirrors else ""
            implied = " (the last image of that Python release was built on it)" if python_patch_release(
                (parse_image(stage.image).tag or "").lower()) else ""
            head = f"`{stage.image}` is Debian {release.version} ({release.name}){implied}, off the mirrors{when}"
            if apt is None and (tests or not final & {s.index for s in built_on} or developers_image(project, build)):
                continue  # a builder stage that fetches no package (`node:14-buster AS client`), a test image or one
                # for development alone in a project deployed otherwise: it builds as it is, and nothing of it ships
            if _never_published(image, release.name):
                yield Violation(dockerfile.at(stage.from_),
                                f"`{stage.image}` was never published: Python's images of 3.12 and later are not built "
                                f"on Debian {release.version} ({release.name}), so the build stops at `FROM`; move to "
                                f"a supported release such as bookworm", related=others)
            elif apt is not None:
                yield Violation(dockerfile.at(stage.from_),
                                f"{head}: the apt-get at line {apt.line} fails with 404 Not Found and the image no "
                                f"longer builds; move to a supported release such as bookworm",
                                related=(dockerfile.at(apt), *others))
            else:
                yield Violation(dockerfile.at(stage.from_),
                                f"{head} and without security fixes since {release.lts_end}: any apt-get "
                                f"added later fails; move to a supported release such as bookworm",
                                severity=Severity.WARNING, related=others)


NEVER_BUILT_FROM = {"jessie": (3, 12), "stretch": (3, 12), "buster": (3, 12)}
"""The first Python release whose official images were never built on each archived Debian release: the images
left buster in 2023-06, before Python 3.12.0 (https://github.com/docker-library/python)."""


def _never_published(image: str, release: str) -> bool:
    """Whether the official ``python`` image of this tag never existed (``python:3.12.4-slim-buster``)."""
    reference = parse_image(image)
    version = re.match(r"(\d+)\.(\d+)", reference.tag or "")
    first = NEVER_BUILT_FROM.get(release)
    return reference.name == "python" and version is not None and first is not None \
        and (int(version.group(1)), int(version.group(2))) >= first


def _runs_apt(instruction: Instruction) -> bool:
    return any(program(command) in {"apt-get", "apt"}
               and {"update", "install"} & set(command.words[1:6]) for command in instruction.commands)
