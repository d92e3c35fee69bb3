"""Debian releases whose packages left the mirrors, and the release an image tag is built on (DJC118, DJC121).

Checked 2026-11-30 against Debian's release list (https://www.debian.org/releases/ and
https://wiki.debian.org/DebianReleases: the end of each release's Long Term Support,
https://wiki.debian.org/LTS) and the archive that keeps the releases removed from the
mirrors (https://archive.debian.org/debian/dists/). A release leaves ``deb.debian.org``
and ``security.debian.org`` some months after its LTS ends; from then on ``apt-get update``
in an image built on it answers ``404 Not Found`` / ``does not have a Release file``.
Bullseye (11) reached the end of its LTS on 2026-08-31 but was still served by the
mirrors when this table was checked: add it here once it is in archive.debian.org.
"""

from __future__ import annotations

import re

from djlint_docker.images import floating_python, parse_image
from djlint_docker.records import record


@record
class DebianRelease:
    """A Debian release that left the mirrors."""

    name: str
    version: str
    lts_end: str  # the last day of security support (LTS)
    left_mirrors: str  # when ``apt-get update`` on it began to fail (year and month; "" for the long gone)


ARCHIVED = {release.name: release for release in (
    DebianRelease("etch", "4.0", "2010-02-15", ""),
    DebianRelease("lenny", "5.0", "2012-02-06", ""),
    DebianRelease("squeeze", "6.0", "2016-02-29", ""),
    DebianRelease("wheezy", "7", "2018-05-31", ""),
    # jessie-updates and jessie-backports left in 2019-03 (https://www.lucas-nussbaum.net/blog/?p=947),
    # which already failed apt-get update in the official images; the rest followed into the archive.
    DebianRelease("jessie", "8", "2020-06-30", "2019-03"),
    DebianRelease("stretch", "9", "2022-06-30", "2023-04"),
    # buster left deb.debian.org between 2025-07-09 and 2025-07-15 (builds of python:*-buster failed then).
    DebianRelease("buster", "10", "2024-06-30", "2025-07"),
)}
BY_VERSION = {release.version.split(".")[0]: release for release in ARCHIVED.values()}
DEBIAN_IMAGES = {"debian", "buildpack-deps"}
TAG_WORD = re.compile(r"[a-z0-9]+")


def archived_release(image: str) -> DebianRelease | None:
    """The archived Debian release an image reference's tag names (``python:3.8-slim-buster``, ``debian:10``)."""
    reference = parse_image(image)
    if not reference.tag:
        return None
    tag = reference.tag.lower()
    for word in TAG_WORD.findall(tag):
        if word in ARCHIVED:
            return ARCHIVED[word]
    if reference.name in DEBIAN_IMAGES:
        major = re.match(r"(\d+)(?:[.-]|$)", tag)
        if major is not None:
            return BY_VERSION.get(major.group(1))
    if reference.name == "python":
        return python_patch_release(tag)
    return None


PYTHON_PATCH_TAG = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:-slim)?")
"""A ``python`` tag of one patch release and the default Debian variant (``3.8.5``, ``3.8.5-slim``)."""
PYTHON_PATCHES_LAST_BUILT_ON = {
    "jessie": {(2, 7): (10, 12), (3, 4): (4, 5), (3, 5): (0, 2), (3, 6): (0, 0)},
    "stretch": {(2, 7): (14, 15), (3, 5): (4, 6), (3, 6): (2, 8), (3, 7): (0, 2)},
    "buster": {(2, 7): (16, 17), (3, 5): (7, 10), (3, 6): (9, 13), (3, 7): (4, 10), (3, 8): (0, 10), (3, 9): (0, 5)},
}
"""The patch releases whose default ``python`` images were last built on each archived release.

The tag of a patch release is rebuilt on the default Debian release until the next patch
release replaces it, then stays as it was. The default moved from wheezy to jessie in
2015, from jessie to stretch in 2017-07, to buster in 2019-07 and to bullseye in 2021-08 (https://github.com/docker-library/python,
the Debian releases above); the patch releases listed were replaced (https://www.python.org/downloads/)
between two of those moves. A release replaced in the month of a move is left out, as is the last
of a line whose images stopped without a date djcheck knows (2.7.18), and on jessie the releases
replaced in 2015, when djcheck does not know the month of that move."""


PYTHON_MINOR_TAG = re.compile(r"(\d+)\.(\d+)(?:-slim)?")
"""A ``python`` tag of a release line and the default Debian variant (``3.5``, ``3.5-slim``)."""
PYTHON_LINES_ENDED = {(3, 5): 10}
"""The last patch release of a line whose images stopped while the default Debian release was one archived since:
``python:3.5`` is 3.5.10, last built on buster (https://github.com/docker-library/python, 3.5 removed in 2020-09)."""


def python_patch_release(tag: str) -> DebianRelease | None:
    """The archived release a ``python`` image of one patch release was last built on (``3.8.5-slim``: buster), or
    of a line that ended on one (``python:3.5``, whose last image is 3.5.10's)."""
    line = PYTHON_MINOR_TAG.fullmatch(tag)
    if line is not None and (ended := PYTHON_LINES_ENDED.get((int(line.group(1)), int(line.group(2))))) is not None:
        tag = f"{line.group(1)}.{line.group(2)}.{ended}"
    found = PYTHON_PATCH_TAG.fullmatch(tag)
    if found is None:
        return None
    major, minor, patch = (int(part) for part in found.groups())
    for name, lines in PYTHON_PATCHES_LAST_BUILT_ON.items():
        first, last = lines.get((major, minor), (1, 0))
        if first <= patch <= last:
            return ARCHIVED[name]
    return None


RECENT = {"bookworm": "12 (bookworm)", "trixie": "13 (trixie)", "forky": "14 (forky)"}
OLDER = {"bullseye", "buster", "stretch", "jessie", "focal", "jammy", "noble", "alpine"}
DEBIAN_NUMBER = {"12": "12 (bookworm)", "13": "13 (trixie)"}


def recent_release(image: str) -> str | None:
    """The Debian release of bookworm or later an image reference names or implies (DJC121); None when older or
    unknown. A ``python`` tag of a minor version, 3.8 and later, or one that names none follows the default release
    (bookworm since 2023-06); a patch release's tag, or a digest, stays where its last build was: not judged."""
    if "$" in image:
        return None
    reference = parse_image(image)
    tag = (reference.tag or "latest").lower()
    words = set(re.findall(r"[a-z]+|\d+(?:\.\d+)*", tag))
    named = next((RECENT[word] for word in words if word in RECENT), None)
    if named or words & OLDER:
        return named
    if reference.name == "debian":
        return next((DEBIAN_NUMBER[word.split(".")[0]] for word in words if word.split(".")[0] in DEBIAN_NUMBER),
                    "12 (bookworm) or later" if tag in {"latest", "stable", "stable-slim"} else None)
    minor = re.fullmatch(r"3\.(\d+)(?:-slim)?", tag)
    if floating_python(reference) or reference.name == "python" and not reference.digest and minor \
            and int(minor.group(1)) >= 8:
        return "12 (bookworm) or later"
    return None


DEBIAN_FAMILY = frozenset({"python", "debian", "ubuntu", "buildpack-deps"})
"""Docker's official images on Debian or Ubuntu, whatever their tag names (an Alpine tag aside)."""


def distribution(image: str) -> str | None:
    """The distribution an image reference is built on, as far as its name tells: ``alpine`` for ``alpine:3.20`` or any
    tag naming Alpine (``python:3.12-alpine``, ``node:20-alpine3.19``), ``debian`` for the official ``python``,
    ``debian``, ``ubuntu`` and ``buildpack-deps`` images otherwise (Windows tags aside); None when it cannot tell (an
    organisation's base image, a variable)."""
    if not image or "$" in image:
        return None
    reference = parse_image(image)
    tag = (reference.tag or "").lower()
    repository = reference.repository.lower().removeprefix("docker.io/").removeprefix("library/")
    if repository == "alpine" or re.search(r"(?:^|[-.])alpine", tag):
        return "alpine"
    if repository in DEBIAN_FAMILY and not re.search(r"windows|nanoserver", tag):
        return "debian"
    return None
