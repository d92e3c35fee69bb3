"""DJC407 psycopg-build-deps: `psycopg2` is built from source on a slim or alpine image without its build deps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import parse_image
from djlint_docker.parse.dockerfile import Dockerfile, Stage
from djlint_docker.parse.requirements import Requirement
from djlint_docker.parse.shell import program
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._django_versions import python_version
from djlint_docker.rules.project._installed_programs import runs_a_script
from djlint_docker.rules.project._lock_examples import POETRY_DOCKERFILE, poetry_project
from djlint_docker.rules.project._packages import installs, requirements
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE


@rule("DJC407", "psycopg-build-deps", Severity.ERROR, cross=True, examples=[
    Example("slim-without-libpq", {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                                   "requirements.txt": "Django==5.1.3\npsycopg2==2.9.10\n"},
            expect=(("requirements.txt", 2),)),
    Example("alpine", {"Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.12-alpine"), "manage.py": MANAGE,
                       "requirements.txt": "psycopg2>=2.9\n"}, expect=(("requirements.txt", 1),)),
    # psycopg2 2.7 shipped manylinux wheels itself (2.8 moved them to psycopg2-binary): nothing compiles on 3.6.
    Example("psycopg2-2.7-wheel-on-python-3.6", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.6-slim"), "manage.py": MANAGE,
        "requirements.txt": "Django==2.2.28\npsycopg2==2.7.6.1\n"}),
    Example("psycopg2-2.7-on-a-python-it-has-no-wheel-for", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.8-slim"), "manage.py": MANAGE,
        "requirements.txt": "Django==2.2.28\npsycopg2==2.7.6.1\n"}, expect=(("requirements.txt", 2),)),
    Example("binary", {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                       "requirements.txt": "psycopg2-binary==2.9.10\npsycopg[binary]==3.2.3\n"}),
    # The image's own script installs the system packages: what it installs is not read, so nothing is said.
    Example("build-deps-installed-by-a-script-of-the-image", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("COPY requirements", "COPY docker/setup.sh /tmp/setup.sh\n"
                                                                           "RUN /tmp/setup.sh\nCOPY requirements"),
        "docker/setup.sh": "#!/bin/sh\nset -e\napt-get update\n"
                           "apt-get install -y --no-install-recommends $(cat /tmp/apt-packages.txt)\n",
        "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"}),
    # The packages are built in a stage on the full Python image (gcc and libpq-dev are there); the slim final
    # stage copies the virtualenv.
    Example("built-in-a-full-image-stage", {
        "Dockerfile": "FROM python:3.12 AS build\nRUN python -m venv /venv\nCOPY requirements.txt .\n"
                      "RUN /venv/bin/pip install -r requirements.txt\n\nFROM python:3.12-slim\n"
                      "COPY --from=build /venv /venv\nCOPY . /app\nCMD [\"/venv/bin/gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"}),
    Example("built-in-a-slim-stage-too", {
        "Dockerfile": "FROM python:3.12 AS build\nRUN pip wheel -w /wheels psycopg2==2.9.10\n\n"
                      "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                      "COPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"}, expect=(("requirements.txt", 1),)),
    # Installed in a heredoc RUN (BuildKit), after cache mounts on continuation lines.
    Example("build-deps-installed-in-a-heredoc", {
        "Dockerfile": "# syntax=docker/dockerfile:1\nFROM python:3.12-alpine\nCOPY requirements.txt .\nRUN \\\n"
                      "    --mount=type=cache,target=/root/.cache/pip \\\n<<eof\n"
                      "    apk add --virtual .build-deps gcc musl-dev postgresql-dev &&\n"
                      "    pip install -r requirements.txt &&\n    apk del .build-deps && apk add libpq\neof\n"
                      "COPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"}),
    Example("build-deps-installed", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("COPY requirements", "RUN apt-get update && apt-get install -y "
                                         "--no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*\n"
                                         "COPY requirements"),
        "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"}),
    # python3-pip recommends build-essential: without --no-install-recommends, gcc comes with it.
    Example("compiler-recommended-by-pip", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("COPY requirements", "RUN apt-get update && apt-get install -y "
                                         "libpq-dev python3-pip git && rm -rf /var/lib/apt/lists/*\n"
                                         "COPY requirements"),
        "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"}),
    Example("headers-without-compiler", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("COPY requirements", "RUN apt-get update && apt-get install -y "
                                         "--no-install-recommends libpq-dev python3-pip "
                                         "&& rm -rf /var/lib/apt/lists/*\nCOPY requirements"),
        "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"}, expect=(("requirements.txt", 1),)),
    Example("old-slim-tag-direct-install", {
        "Dockerfile": "FROM python:3.6-slim-stretch\nENV PYTHONUNBUFFERED 1\nRUN mkdir /code\nWORKDIR /code\n"
                      "RUN pip install psycopg2==2.8.6 Django==2.2.28\nADD . /code/\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 5),)),
    Example("binary-before-musl-wheels-on-alpine", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.9-alpine"), "manage.py": MANAGE,
        "requirements.txt": "Django==3.2.9\npsycopg2-binary==2.8.6\n"}, expect=(("requirements.txt", 2),)),
    # Alpine's alpine-sdk meta-package brings build-base (gcc, musl-dev, make).
    Example("alpine-sdk-before-binary-without-musl-wheels", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.9-alpine").replace(
            "COPY requirements", "RUN apk add --no-cache alpine-sdk postgresql-dev\nCOPY requirements"),
        "manage.py": MANAGE, "requirements.txt": "Django==3.2.9\npsycopg2-binary==2.8.6\n"}),
    Example("binary-with-musl-wheels-on-alpine", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.12-alpine"), "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\npsycopg2-binary==2.9.10\n"}),
    Example("poetry-lock-on-slim", {
        "Dockerfile": POETRY_DOCKERFILE, "manage.py": MANAGE,
        **poetry_project({"django": "5.1.3", "psycopg2": "2.9.10"})}, expect=(("poetry.lock", 13),)),
    Example("build-deps-from-package-list", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("COPY requirements", "COPY apt.txt /tmp/apt.txt\n"
                                         "RUN apt-get update && apt-get install -y --no-install-recommends "
                                         "$(grep -vE '^#' /tmp/apt.txt | tr '\\n' ' ') libpq-dev "
                                         "&& rm -rf /var/lib/apt/lists/*\n"
                                         "COPY requirements"),
        "apt.txt": "# build\nbuild-essential\ncurl\n", "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"}),
    Example("full-image", {"Dockerfile": REQUIREMENTS_DOCKERFILE.replace("3.12-slim", "3.12"), "manage.py": MANAGE,
                           "requirements.txt": "psycopg2==2.9.10\n"}),
])
def psycopg_build_deps(project: Project) -> Iterator[Violation]:
    """`psycopg2` is built from source on a slim or alpine image without its build dependencies.

    ## What it does
    Reports `psycopg2` (the source distribution, not `psycopg2-binary` or
    `psycopg[binary]`) among the packages an image installs (requirements files, lock
    files, or a `pip install` in the Dockerfile) whose base is a `slim` or `alpine`
    Python image (old tags such as `python:3.6-slim-stretch` too), when no stage feeding
    the final image installs the PostgreSQL headers (`libpq-dev`, `postgresql-dev`) and
    a C compiler (packages a RUN reads from a list file of the build context, as in
    `apt-get install $(cat apt.txt)`, count, and so does the `build-essential` that
    `python3-pip` recommends when the install takes recommendations). The message says
    which of the two is missing. Packages installed only in stages built on the full
    Python image, which has both (a builder stage whose virtualenv the final stage
    copies), are compiled there and not reported. On alpine, `psycopg2-binary` pinned below 2.9.3 is compiled too: older
    releases have no wheels for musl. `psycopg2` pinned to a 2.7 release on a Debian-based
    image of Python 3.4 to 3.7 is not: before 2.8 moved them to `psycopg2-binary`, psycopg2
    itself shipped manylinux wheels (for 3.7 from 2.7.5).

    ## Why is this bad?
    `psycopg2` has no wheels: pip compiles it, which needs `pg_config`, the libpq
    headers and gcc. Slim and alpine images have none of them and the build fails with
    "pg_config executable not found".

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install -r requirements.txt   # psycopg2==2.9.10
    ```
    Use instead: `psycopg[binary]` or `psycopg2-binary`, or install the build
    dependencies first:
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    ```

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (the PostgreSQL adapter in the requirements)
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (alpine needs `postgresql-dev gcc python3-dev musl-dev` for psycopg2)
    - [psycopg2: build prerequisites](https://www.psycopg.org/docs/install.html#build-prerequisites)
    """
    for build, dockerfile in project.dockerfiles:
        base = dockerfile.root.image
        tag = (parse_image(base).tag or "") if base else ""
        if not re.search(r"slim|alpine", tag):
            continue
        stages = project.feeding_stages(dockerfile)
        if _compiled_on_full_images(project, build, dockerfile):
            continue
        if any(runs_a_script(command) for stage in stages for run in stage.all("RUN") for command in run.commands):
            continue  # a script of the image (`RUN /tmp/setup.sh`) may install the compiler and headers
        runs = " ".join(run.script for stage in stages for run in stage.all("RUN"))
        runs += " " + " ".join(_package_lists(project, build.context, runs))
        headers = SOURCE_BUILD.search(runs) is not None
        compiler = COMPILER.search(runs) is not None or _compiler_recommended(stages)
        if headers and compiler:
            continue
        lacks = "no C compiler" if headers else "no libpq headers" if compiler else "no libpq headers or compiler"
        install = "gcc" if headers else "libpq-dev" if compiler else "gcc and libpq-dev"
        python = python_version(dockerfile)
        for requirement in requirements(project, build):
            if requirement.name == "psycopg2" and not ("alpine" not in tag and _glibc_wheel(requirement, python)):
                yield Violation(Location(requirement.path, requirement.line),
                                f"psycopg2 is compiled from source, but {base} has {lacks}: the "
                                f"build fails; use psycopg[binary] (or psycopg2-binary), or install {install}",
                                related=(dockerfile.at(dockerfile.root.from_),))
            elif requirement.name == "psycopg2-binary" and "alpine" in tag and _before_musl_wheels(requirement):
                yield Violation(Location(requirement.path, requirement.line),
                                f"psycopg2-binary{requirement.specifier} has no wheels for Alpine's musl (the first "
                                f"are 2.9.3's): pip compiles it, but {base} has {lacks} and the "
                                f"build fails; use psycopg2-binary>=2.9.3 or psycopg[binary], or install "
                                f"gcc, musl-dev and postgresql-dev",
                                related=(dockerfile.at(dockerfile.root.from_),))


FULL_IMAGES = frozenset({"python", "buildpack-deps"})
"""Images on buildpack-deps, whose full tags hold gcc and libpq-dev: a stage built on one compiles psycopg2."""


def _compiled_on_full_images(project: Project, build: ImageBuild, dockerfile: Dockerfile) -> bool:
    """Whether every stage that installs the image's packages is built on a full Python image (the builder stage of
    ``FROM python:3.12 AS build`` that installs into a virtualenv the slim final stage copies)."""
    roots = [parse_image(dockerfile.lineage(dockerfile.stages[index])[0].image)
             for index in sorted(installs(project, build).stages)]
    return bool(roots) and all(root.repository in FULL_IMAGES and not re.search(r"slim|alpine", root.tag or "")
                               for root in roots)


SOURCE_BUILD = re.compile(r"\blibpq-dev\b|\bpostgresql-dev\b|\bpostgresql\d*-dev\b")
COMPILER = re.compile(r"\bbuild-essential\b|\bgcc(?:-\d+)?\b|\bg\+\+|\bclang\b|\bbuild-base\b|\balpine-sdk\b")
RECOMMENDS_COMPILER = frozenset({"python3-pip", "python-pip", "dpkg-dev"})
"""Debian packages that recommend build-essential: an install that takes recommendations brings gcc with them."""


def _compiler_recommended(stages: list[Stage]) -> bool:
    """Whether an ``apt-get install`` that takes recommendations installs a package recommending a compiler."""
    for command in (command for stage in stages for run in stage.all("RUN") for command in run.commands):
        words = command.words
        if program(command) in {"apt-get", "apt"} and "install" in words and RECOMMENDS_COMPILER & set(words) \
                and "--no-install-recommends" not in words and "APT::Install-Recommends=false" not in " ".join(words):
            return True
    return False

PACKAGE_LIST_READ = re.compile(r"\$\(([^)]*)\)|`([^`]*)`|<\s*(\S+)")
"""Where a RUN turns a file's lines into packages: ``$(grep -v '^#' apt.txt)``, ``xargs ... < packages.txt``."""


def _package_lists(project: Project, context: Path, runs: str) -> Iterator[str]:
    """The texts of the package-list files in the build context that the RUN instructions read packages from."""
    for read in PACKAGE_LIST_READ.finditer(runs):
        for word in "".join(part or "" for part in read.groups()).split():
            if not word.endswith((".txt", ".list")):
                continue
            for candidate in (context / word.lstrip("/"), context / Path(word).name):
                text = project.text(candidate)
                if text is not None:
                    yield text
                    break


MUSL_WHEELS = (2, 9, 3)
"""The first psycopg2-binary release with musllinux wheels (psycopg2's NEWS: 2.9.3, December 2021)."""


GLIBC_WHEELS = {(3, 4): (2, 7, 0), (3, 5): (2, 7, 0), (3, 6): (2, 7, 0), (3, 7): (2, 7, 5)}
"""The first psycopg2 2.7 release with manylinux wheels for each Python: psycopg2 itself shipped them from 2.7 until
2.8 moved them to psycopg2-binary (cp37 from 2.7.5)."""


def _glibc_wheel(requirement: Requirement, python: tuple[str, str] | None) -> bool:
    """Whether pip installs the pinned psycopg2 from a manylinux wheel on the image's Python (2.7.x on 3.6), no
    compiler needed."""
    version = _pinned(requirement)
    major, _, minor = python[0].partition(".") if python else ("", "", "")
    first = GLIBC_WHEELS.get((int(major), int(minor))) if python else None
    return version is not None and first is not None and first <= version < (2, 8, 0)


def _pinned(requirement: Requirement) -> tuple[int, ...] | None:
    """The release ``==`` pins, padded to three numbers (``2.7.6.1`` keeps its fourth)."""
    pinned = re.fullmatch(r"===?(\d+(?:\.\d+)*)", requirement.specifier)
    if pinned is None:
        return None
    version = tuple(int(part) for part in pinned.group(1).split("."))
    return version + (0,) * (3 - len(version))


def _before_musl_wheels(requirement: Requirement) -> bool:
    """Whether the requirement pins psycopg2-binary (``==``) to a release older than the first musl wheels."""
    version = _pinned(requirement)
    return version is not None and version < MUSL_WHEELS
