"""DJC124 package-manager-mismatch: a RUN calls the package manager of another distribution than the image's."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Instruction
from djlint_docker.parse.shell import program
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._debian_releases import distribution
from djlint_docker.rules.snippets import MANAGE

TUTORIAL_ALPINE = """\
FROM python:3.12-alpine
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
"""
"""A tutorial's Debian install line pasted into a Dockerfile on Alpine."""


@rule("DJC124", "package-manager-mismatch", Severity.ERROR, examples=[
    Example("apt-get-on-alpine", {"Dockerfile": TUTORIAL_ALPINE, "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("apk-on-alpine", {"Dockerfile": TUTORIAL_ALPINE.replace(
        "apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc",
        "apk add --no-cache postgresql-dev gcc musl-dev"), "manage.py": MANAGE}),
    Example("apk-on-debian", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apk add --no-cache libpq\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    # A multi-stage build: the builder on Debian, the final stage on Alpine; each stage's own base counts.
    Example("stages-on-two-distributions", {
        "Dockerfile": "FROM python:3.12-slim AS build\nRUN apt-get update && apt-get install -y gcc\n"
                      "RUN pip wheel -r requirements.txt -w /wheels\n\n"
                      "FROM python:3.12-alpine\nRUN apk add --no-cache libpq\nCOPY --from=build /wheels /wheels\n",
        "manage.py": MANAGE}),
    Example("stage-built-on-an-alpine-stage", {
        "Dockerfile": "FROM python:3.12-alpine AS base\nRUN apk add --no-cache libpq\n\n"
                      "FROM base\nRUN apt-get install -y gettext\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 5),)),
    # A script that works on either distribution asks which manager there is.
    Example("either-distribution", {
        "Dockerfile": "FROM python:3.12-alpine\nRUN if command -v apk; then apk add --no-cache curl; "
                      "else apt-get update && apt-get install -y curl; fi\n", "manage.py": MANAGE}),
    Example("base-image-of-another-organisation", {
        "Dockerfile": "FROM ghcr.io/acme/python-base:3.12\nRUN apt-get update && apt-get install -y gettext\n",
        "manage.py": MANAGE}),
])
def package_manager_mismatch(project: Project) -> Iterator[Violation]:
    """A `RUN` calls the package manager of another distribution than the image's.

    ## What it does
    Reports a `RUN` that calls `apt-get` (or `apt`) in a stage built on Alpine (`alpine`,
    or any image whose tag names Alpine: `python:3.12-alpine`), and one that calls `apk`
    in a stage built on Docker's official `python`, `debian`, `ubuntu` or
    `buildpack-deps` images of any other tag (Debian or Ubuntu). Each stage is judged by
    the image its lineage starts from (`FROM base` follows `base`). A `RUN` that calls
    both managers (a script that asks which one there is) is not reported, nor is an
    image of another organisation or one named by a variable, whose distribution its name
    does not tell. One finding per stage, on its first such `RUN`.

    ## Why is this bad?
    The build stops: Alpine has no `apt-get` (`/bin/sh: apt-get: not found`), and
    Debian no `apk`. It happens when a Dockerfile switches its base image to a smaller
    variant, or pastes an install line from a tutorial written for the other one.

    ## Example
    ```dockerfile
    FROM python:3.12-alpine
    RUN apt-get update && apt-get install -y libpq-dev gcc
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-alpine
    RUN apk add --no-cache postgresql-dev gcc musl-dev
    ```

    ## References
    - [Alpine Linux: Alpine Package Keeper](https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper) (`apk add`)
    - [Docker Official Image python](https://hub.docker.com/_/python) (the Debian and Alpine variants)
    """
    for _, dockerfile in project.dockerfiles:
        for stage in dockerfile.stages:
            base = dockerfile.lineage(stage)[0].image or ""
            wrong = FOREIGN.get(distribution(base) or "")
            if wrong is None:
                continue
            run = next((run for run in stage.all("RUN") if _calls_only(run, wrong)), None)
            if run is not None:
                manager = next(program(command) for command in run.commands if program(command) in wrong)
                yield Violation(dockerfile.at(run), f"`{manager}` in a stage built on `{base}`, "
                                                    f"{'an Alpine' if wrong is APT else 'a Debian'} image, which has "
                                                    f"no {manager} (\"{manager}: not found\"): the build stops; "
                                                    f"install with {INSTEAD[wrong]}")


APT = frozenset({"apt-get", "apt"})
APK = frozenset({"apk"})
FOREIGN = {"alpine": APT, "debian": APK}
"""The package managers a distribution does not have."""
INSTEAD = {APT: "`apk add --no-cache`", APK: "`apt-get install`"}


def _calls_only(run: Instruction, wrong: frozenset[str]) -> bool:
    """Whether a RUN calls a package manager of ``wrong`` and none of the other distribution's."""
    programs = {program(command) for command in run.commands}
    return bool(programs & wrong) and not programs & (APT | APK) - wrong
