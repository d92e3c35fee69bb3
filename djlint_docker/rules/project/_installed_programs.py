"""Which programs an image has: what its base image ships and what its RUNs install (DJC415, DJC216).

Only bases whose contents are known are judged: the official ``python`` images in
their ``-slim`` (Debian with no curl, wget, netcat or database clients) and ``-alpine``
(BusyBox gives ``nc`` and ``wget``, not ``curl`` or ``bash``) variants. For any other
base, or a RUN whose package list djcheck cannot read (a variable, a file, a script of
the image's own: ``RUN /tmp/setup.sh``), the programs are unknown and nothing is said.
Python packages a program or an option needs (gunicorn's gevent worker, Celery's
database scheduler) are read with ``_packages.installed_packages``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from djlint_docker.images import parse_image
from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.parse.shell import Command
from djlint_docker.project import ImageBuild
from djlint_docker.records import record


@record
class Tool:
    """A program a minimal image lacks, and the packages that provide it."""

    apt: frozenset[str]  # Debian packages
    apk: frozenset[str]  # Alpine packages
    busybox: bool = False  # an applet of Alpine's BusyBox: present without installing anything


def _tool(apt: str, apk: str, busybox: bool = False) -> Tool:
    return Tool(frozenset(apt.split()), frozenset(apk.split()), busybox)


TOOLS = {
    "curl": _tool("curl", "curl"),
    "wget": _tool("wget", "wget", busybox=True),
    "nc": _tool("netcat-openbsd netcat-traditional netcat ncat", "netcat-openbsd", busybox=True),
    "netcat": _tool("netcat-openbsd netcat-traditional netcat", "netcat-openbsd"),
    "pg_isready": _tool("postgresql-client postgresql", "postgresql-client postgresql libpq-utils"),
    "psql": _tool("postgresql-client postgresql", "postgresql-client postgresql"),
    "mysqladmin": _tool("default-mysql-client mariadb-client mysql-client", "mariadb-client mysql-client"),
    "redis-cli": _tool("redis-tools redis-server redis", "redis"),
    "bash": _tool("bash", "bash"),  # Debian images have it
}
"""Programs start-up scripts and healthchecks use that the slim and alpine python images do not have."""
VERSIONED = re.compile(r"(postgresql|mysql|mariadb)(?:-client)?-?\d+(?:-client)?")  # postgresql16-client
DEBIAN_HAS = {"bash"}


@record
class SystemPackages:
    """The base image's kind ("slim" or "alpine") and the OS packages the image's RUNs leave installed."""

    base: str
    image: str
    packages: frozenset[str]


def system_packages(dockerfile: Dockerfile) -> SystemPackages | None:
    """What the final image has, when its base is a minimal python image and every install can be read."""
    lineage = dockerfile.lineage(dockerfile.final)
    reference = parse_image(lineage[0].image) if lineage[0].image else None
    if reference is None or reference.name != "python" or not reference.tag:
        return None
    base = "alpine" if "alpine" in reference.tag else "slim" if "slim" in reference.tag else None
    if base is None:
        return None
    installed: set[str] = set()
    for stage in lineage:
        for instruction in stage.instructions:
            if instruction.keyword == "RUN":
                for command in instruction.commands:
                    change = _package_change(command)
                    if change is None:
                        return None  # an install djcheck cannot read
                    added, removed = change
                    installed = (installed | added) - removed
    return SystemPackages(base, lineage[0].image, frozenset(installed))


def os_packages_named(dockerfile: Dockerfile) -> set[str]:
    """The OS packages the final image's RUNs name for installing (``apt-get install uwsgi``, ``apk add
    py3-gunicorn``), whatever the base image: those a command lists plainly, leaving out what it removes later."""
    installed: set[str] = set()
    for stage in dockerfile.lineage(dockerfile.final):
        for instruction in stage.instructions:
            if instruction.keyword == "RUN":
                for command in instruction.commands:
                    added, removed = _package_change(command) or (set(), set())
                    installed = (installed | added) - removed
    return installed


APT_OPTIONS_WITH_VALUE = {"-o", "-t", "--target-release", "-c", "--config-file"}
APK_OPTIONS_WITH_VALUE = {"-t", "--virtual", "-X", "--repository", "--root", "-p"}


def _package_change(command: Command) -> tuple[set[str], set[str]] | None:
    """The OS packages a command installs and removes ({} for other commands); None when they cannot be read."""
    words = command.words
    name = posixpath.basename(words[0]) if words else ""
    if runs_a_script(command):
        return None  # a script of the image (`RUN /tmp/setup.sh`): what it installs is not read
    if name in {"apt-get", "apt", "aptitude"}:
        verb = next((w for w in words[1:] if not w.startswith("-")), "")
        options = APT_OPTIONS_WITH_VALUE
        installing, removing = verb == "install", verb in {"remove", "purge", "autoremove"}
    elif name == "apk":
        verb = next((w for w in words[1:] if not w.startswith("-")), "")
        options = APK_OPTIONS_WITH_VALUE
        installing, removing = verb == "add", verb == "del"
    else:
        return set(), set()
    if not (installing or removing):
        return set(), set()
    names = list(_operands(words[words.index(verb) + 1:], options))
    if any("$" in word or "`" in word for word in names):
        return None
    packages = {re.split(r"[=<>~]", word, maxsplit=1)[0].lower() for word in names}
    return (packages, set()) if installing else (set(), packages)


def apt_installs(command: Command) -> list[str]:
    """The packages an ``apt-get install``/``apt install`` command names, as written (a version pin removed)."""
    words = command.words
    if not words or posixpath.basename(words[0]) not in {"apt-get", "apt"}:
        return []
    verb = next((w for w in words[1:] if not w.startswith("-")), "")
    if verb != "install":
        return []
    return [re.split(r"[=<>~]", word, maxsplit=1)[0] for word in
            _operands(words[words.index(verb) + 1:], APT_OPTIONS_WITH_VALUE)]


SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})


def runs_a_script(command: Command) -> bool:
    """Whether a RUN command runs a script whose installs djcheck does not read: a ``.sh`` file or a path of the
    image's own (``RUN /tmp/setup.sh``, ``RUN ./install-deps``), or a shell given a script or a command string
    (``bash docker/setup.sh``, ``sh -c "$(cat install.txt)"``)."""
    words = command.words
    if not words:
        return False
    name = posixpath.basename(words[0])
    return name.endswith(".sh") or words[0].startswith(("./", "../")) or name in SHELLS and len(words) > 1


def _operands(words: tuple[str, ...], options: set[str]) -> Iterator[str]:
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in options:
            skip = True
        elif not word.startswith("-"):
            yield word


def lacks(packages: SystemPackages, program: str) -> Tool | None:
    """The tool ``program`` is, when the image has neither it in its base nor a package that provides it."""
    tool = TOOLS.get(program)
    if tool is None:
        return None
    if packages.base == "alpine":
        provided = tool.busybox or bool(tool.apk & packages.packages) or any(
            VERSIONED.fullmatch(p) for p in packages.packages if program in {"pg_isready", "psql", "mysqladmin"})
    else:
        provided = program in DEBIAN_HAS or bool(tool.apt & packages.packages) or any(
            VERSIONED.fullmatch(p) for p in packages.packages if program in {"pg_isready", "psql", "mysqladmin"})
    return None if provided else tool


def copied_in(dockerfile: Dockerfile, program: str) -> bool:
    """Whether a COPY/ADD of the final image names the program (a binary copied from another image or stage)."""
    return any(instruction.keyword in {"COPY", "ADD"} and re.search(rf"(?<![\w.-]){re.escape(program)}(?![\w.-])",
                                                                     instruction.args)
               for stage in dockerfile.lineage(dockerfile.final) for instruction in stage.instructions)


def suggestion(packages: SystemPackages, tool: Tool) -> str:
    """How to install a tool on the image's base."""
    if packages.base == "alpine":
        return f"apk add --no-cache {_first(tool.apk)}"
    return f"apt-get install -y --no-install-recommends {_first(tool.apt)}"


def _first(names: frozenset[str]) -> str:
    preferred = ("netcat-openbsd", "postgresql-client", "default-mysql-client", "redis-tools", "mariadb-client")
    return next((name for name in preferred if name in names), sorted(names)[0])


def program_of(command: Command) -> str:
    """The program a command runs, by its file name (``/usr/bin/curl`` is ``curl``)."""
    return posixpath.basename(command.words[0]) if command.words else ""


def installs_of(build: ImageBuild) -> SystemPackages | None:
    """:func:`system_packages` of a build's Dockerfile."""
    return system_packages(build.dockerfile) if build.dockerfile is not None else None


def probed(text: str, program: str) -> bool:
    """Whether a script line tests for the program before using it (``command -v nc``, ``which curl``)."""
    return bool(re.search(rf"\b(?:command\s+-v|which|type|hash)\s+{re.escape(program)}\b", text))


CELERY_DISTRIBUTIONS = frozenset({"celery", "flower", "django-celery-beat", "django-celery-results", "celery-redbeat"})
"""Celery and the distributions that require it (``pip install redis flower`` installs the ``celery`` program)."""
GUNICORN_WORKERS = {"gevent": "gevent", "eventlet": "eventlet", "tornado": "tornado"}
"""gunicorn's ``--worker-class`` names (a prefix: ``gevent_wsgi``) and the package each needs."""


def python_needs(command: Command) -> Iterator[tuple[str, frozenset[str]]]:
    """What a command needs from the Python packages: (what, the distributions that provide it; the first of them by
    name is the one to install, ``celery`` before the packages that bring it)."""
    words = command.words
    name = _python_program(command)
    if name == "gunicorn":
        worker = _option(words, {"-k", "--worker-class"})
        if worker:
            if worker.startswith("uvicorn.workers."):
                yield f"gunicorn's worker class {worker}", frozenset({"uvicorn"})
            elif worker.startswith("uvicorn_worker."):
                yield f"gunicorn's worker class {worker}", frozenset({"uvicorn-worker"})
            else:
                package = next((p for prefix, p in GUNICORN_WORKERS.items() if worker.startswith(prefix)), None)
                if package is not None:
                    yield f"gunicorn's {worker} worker", frozenset({package})
    elif name == "celery":
        yield "celery", CELERY_DISTRIBUTIONS
        scheduler = _option(words, {"-S", "--scheduler"})
        if scheduler and (scheduler.startswith("django_celery_beat") or scheduler == "django"):
            yield f"the beat scheduler {scheduler}", frozenset({"django-celery-beat"})
        elif scheduler and scheduler.startswith("redbeat"):
            yield f"the beat scheduler {scheduler}", frozenset({"celery-redbeat"})
        if "flower" in words[1:8] and not any(w.startswith("-") and "flower" in w for w in words):
            yield "celery flower", frozenset({"flower"})
    elif name == "flower":
        yield "flower", frozenset({"flower"})


def _python_program(command: Command) -> str:
    words = command.words
    if len(words) > 2 and re.fullmatch(r"python[0-9.]*", posixpath.basename(words[0])) and words[1] == "-m":
        return words[2]
    return program_of(command)


def _option(words: tuple[str, ...], names: set[str]) -> str | None:
    for index, word in enumerate(words):
        if word in names and index + 1 < len(words):
            return words[index + 1]
        head, equals, value = word.partition("=")
        if equals and head in names:
            return value
    return None
