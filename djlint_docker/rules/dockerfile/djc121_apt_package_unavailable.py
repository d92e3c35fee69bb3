"""DJC121 apt-package-unavailable: `apt-get install` names a package the image's Debian release no longer has."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._debian_releases import recent_release
from djlint_docker.rules.project._installed_programs import apt_installs
from djlint_docker.rules.snippets import MANAGE

WAIT_FOR_DB = """\
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends netcat \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
"""
"""An image that installs netcat to wait for the database in its entrypoint, as tutorials of 2021 did."""


@rule("DJC121", "apt-package-unavailable", Severity.ERROR, examples=[
    Example("netcat-on-bookworm", {"Dockerfile": WAIT_FOR_DB, "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("netcat-openbsd", {"Dockerfile": WAIT_FOR_DB.replace("netcat", "netcat-openbsd"), "manage.py": MANAGE}),
    # bullseye still had the transitional package
    Example("netcat-on-bullseye", {"Dockerfile": WAIT_FOR_DB.replace("3.12-slim", "3.9-slim-bullseye"),
                                   "manage.py": MANAGE}),
    Example("opencv-libraries-on-trixie", {
        "Dockerfile": "FROM python:3.13-slim-trixie\nRUN apt-get update && apt-get install -y --no-install-recommends "
                      "libgl1-mesa-glx libglib2.0-0 && rm -rf /var/lib/apt/lists/*\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 2),)),
    Example("base-image-of-unknown-release", {
        "Dockerfile": WAIT_FOR_DB.replace("python:3.12-slim", "ghcr.io/acme/python-base:2024"), "manage.py": MANAGE}),
])
def apt_package_unavailable(project: Project) -> Iterator[Violation]:
    """`apt-get install` names a package the image's Debian release no longer has.

    ## What it does
    Reports an `apt-get install` of a package that Debian dropped or turned into a virtual
    package, on an image whose Debian release djcheck knows to be bookworm (12) or later:
    `debian:bookworm`, `python:3.12-slim-trixie`, or a `python` tag of a minor version,
    3.8 and later, that names no release (`python:3.12-slim`: the official images moved to
    bookworm in 2023-06, to trixie in 2025-08; a patch release's tag, `3.12.1`, stays where
    its last build was and is not judged). The packages are kept in one table with the one to install instead: `netcat`
    (`netcat-openbsd`), `libgl1-mesa-glx` (`libgl1`), `python-dev` and `python-pip`
    (Python 2's, gone with it: `python3-dev`, `python3-pip`). An image of another
    distribution, of an older release, or of a release djcheck cannot tell, is not judged.

    ## Why is this bad?
    The build stops: `E: Package 'netcat' has no installation candidate`. Tutorials written
    on bullseye still show these names, and a Dockerfile copied from them fails on the
    first build.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y netcat
    ```
    Use instead:
    ```dockerfile
    RUN apt-get update && apt-get install -y netcat-openbsd
    ```

    ## References
    - [Debian bookworm release notes: netcat](https://www.debian.org/releases/bookworm/amd64/release-notes/ch-information.en.html)
      (`netcat` is a virtual package: install `netcat-openbsd` or `netcat-traditional`)
    - [Docker Official Image python](https://hub.docker.com/_/python) (the Debian release of each tag)
    """
    for _, dockerfile in project.dockerfiles:
        for stage in dockerfile.stages:
            release = recent_release(dockerfile.lineage(stage)[0].image or "")
            if release is None:
                continue
            for run in stage.all("RUN"):
                gone = list(dict.fromkeys(package for command in run.commands for package in apt_installs(command)
                                          if package in GONE))
                if gone:  # one finding per RUN, naming each package
                    names = ", ".join(f"`{package}`" for package in gone)
                    instead = ", ".join(f"{GONE[package]} for {package}" if len(gone) > 1 else GONE[package]
                                        for package in gone)
                    yield Violation(dockerfile.at(run), f"{names} {'is' if len(gone) == 1 else 'are'} not installable "
                                                        f"on Debian {release} (\"has no installation candidate\"): "
                                                        f"the build stops; install {instead}")


GONE = {"netcat": "netcat-openbsd (or netcat-traditional)", "libgl1-mesa-glx": "libgl1",
        "python-dev": "python3-dev", "python-pip": "python3-pip"}
"""Packages Debian bookworm and later do not install, with what to install instead."""
