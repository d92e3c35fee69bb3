"""What an image installs, by every installer real projects use, for the rules that look for packages.

pip reads requirements files (``-r``, followed by the project) and named packages;
``pip install .``/``.[extra]`` and ``pip install --group`` read ``pyproject.toml``;
``uv sync`` reads ``pyproject.toml`` and ``uv.lock``; ``poetry install`` reads
``pyproject.toml`` and ``poetry.lock``; ``pipenv install``/``sync`` reads ``Pipfile`` and
``Pipfile.lock``; a requirements file that ``poetry export``, ``uv export``, ``pipenv
requirements`` or pip-tools writes during the build is read from what it exports. A lock
file is the truth where the image has one: what it pins is what installs.

The files are found in the image as the install sees them: through the COPY that put
them there, or a ``RUN --mount=type=bind`` of the context. An install djcheck cannot read
(a file not found, a dynamic dependency list, ``pdm``, ``conda``) leaves the packages
unknown, never empty.
"""

from __future__ import annotations

import bisect
import fnmatch
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from djlint_docker.images import parse_image
from djlint_docker.parse import ParseError
from djlint_docker.parse.dockerfile import Dockerfile, Instruction, Stage
from djlint_docker.parse.lockfiles import (
    LockFile,
    Pipfile,
    PyProject,
    parse_pipfile,
    parse_pipfile_lock,
    parse_poetry_lock,
    parse_pyproject,
    parse_uv_lock,
)
from djlint_docker.parse.requirements import (
    Requirement,
    RequirementsFile,
    canonical_name,
    pip_install,
    requirement_files_named,
    requirement_from,
)
from djlint_docker.parse.shell import Command, option_values, program
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.records import record

T = TypeVar("T")


@record
class Installs:
    """The packages an image installs: names (None when some install cannot be read) and what pins each."""

    names: frozenset[str] | None
    requirements: tuple[Requirement, ...]  # requirements files, pyproject.toml, lock files: with file and line
    locked_by_user: frozenset[str] = frozenset()  # what a lock each user makes pins (`uv sync --frozen`, no uv.lock)
    stages: frozenset[int] = frozenset()  # the stages whose RUN commands install them (by index)


def django_requirement(requirements: list[Requirement] | tuple[Requirement, ...]) -> Requirement | None:
    """The requirement on Django that decides the version installed, if any.

    pip installs a version every requirement allows: where an image reads several (the
    loose ``Django>=5.1`` of a library's dependencies, the ``Django==5.1.3`` of the extra
    the image installs), an exact pin decides, then one with an upper bound, then the first.
    """
    found = [r for r in requirements if r.name == "django"]
    for deciding in ({"==", "==="}, {"<", "<=", "~="}):
        chosen = next((r for r in found if r.operators & deciding), None)
        if chosen is not None:
            return chosen
    return found[0] if found else None


def installed_packages(project: Project, build: ImageBuild) -> set[str] | None:
    """The distributions the image installs (canonical names), or None when djcheck cannot know them; with the
    drivers some of them depend on (:data:`BRINGS`)."""
    names = installs(project, build).names
    return set(names) | {BRINGS[name] for name in names & BRINGS.keys()} if names is not None else None


BRINGS = {"postgres": "psycopg2-binary", "django-heroku": "psycopg2", "django-on-heroku": "psycopg2-binary"}
"""Distributions that depend on a database driver, with it: installing one installs the driver."""


def requirements(project: Project, build: ImageBuild) -> list[Requirement]:
    """The requirements the image installs with where each is written: a lock file's pin where there is one."""
    return list(installs(project, build).requirements)


def installs(project: Project, build: ImageBuild) -> Installs:
    """Every install of the stages the final image is made of, read once per build and run."""
    return project.once_per_build(__name__, build, lambda: _installs(project, build))


DJANGO_IMAGE_PACKAGES = frozenset({"django", "mysqlclient", "psycopg2"})
"""What the deprecated official ``django`` image installs (``pip install mysqlclient psycopg2 django==...``)."""
SETS_WORKDIR = frozenset({"WORKDIR", "ENV", "ARG"})
COPIES = frozenset({"COPY", "ADD"})
PIP = re.compile(r"pip[0-9.]*")
UNREAD_INSTALLERS = {"pdm", "conda", "mamba", "micromamba", "hatch", "rye"}
EXPORTER = re.compile(r"\b(?:poetry\s+export|uv\s+export|pipenv\s+requirements|pipenv\s+lock\s+-r|pip-compile|"
                      r"uv\s+pip\s+compile)\b")
OUTPUT = re.compile(r"(?:^|\s)(?:-o|--output-file|--output)(?:=|\s+)([^\s;&|]+)|(?<![\d&>])>>?\s*([^\s;&|>]+)")
EXPORTER_TOOLS = {"uv", "poetry", "pipenv", "pip-compile"}


def exported_files(run: Instruction) -> list[str | None]:
    """The file each exporting command of ``run`` writes (``-o FILE``, ``--output-file FILE``, ``> FILE``), in order.

    Redirections are not among a command's words: the RUN's text is read, split into
    simple commands at ``;``, ``&``, ``|`` and line ends first, each part scanned once.
    """
    found = []
    for part in re.split(r"[;&|\n]", run.script):
        if EXPORTER.search(part):
            output = OUTPUT.search(part)
            found.append((output.group(1) or output.group(2)) if output else None)
    return found


def _installs(project: Project, build: ImageBuild) -> Installs:
    dockerfile = build.dockerfile
    if dockerfile is None:
        return Installs(None, ())
    project.requirements(build)  # pip's requirements files as the project reads them: their problems recorded
    reader = _Reader(project, build, dockerfile)
    installing: set[int] = set()
    for stage in project.feeding_stages(dockerfile):
        if stage.parent is None and stage.image and parse_image(stage.image).repository == "django":
            reader.names |= DJANGO_IMAGE_PACKAGES
        for run in stage.all("RUN"):
            for command in run.commands:
                before = (len(reader.names), len(reader.requirements))
                reader.command(stage, run, command)
                if (len(reader.names), len(reader.requirements)) != before:
                    installing.add(stage.index)
    return Installs(frozenset(reader.names) if reader.known and reader.names else None,
                    tuple(dict.fromkeys(reader.requirements)), frozenset(reader.locked_by_user),
                    frozenset(installing))


class _Reader:
    """The packages the RUN commands of a build install, command by command."""

    def __init__(self, project: Project, build: ImageBuild, dockerfile: Dockerfile) -> None:
        self.project = project
        self.build = build
        self.dockerfile = dockerfile
        self.known = True
        self.names: set[str] = set()
        self.requirements: list[Requirement] = []
        self.locked_by_user: set[str] = set()
        self.exported: dict[str, Installs] = {}  # requirements files the build writes, by name
        self.exports: dict[int, list[str | None]] = {}  # the outputs of each RUN's exporting commands still to come
        self.lines: dict[tuple[int, frozenset[str]], list[int]] = {}
        self.workdirs: dict[tuple[int, int], str] = {}
        self.copied: dict[tuple[int, str, int], Path | None] = {}
        self.wheels_from_requirements = any(
            "wheel" in c.words and requirement_files_named(c.words)
            for stage in dockerfile.stages for run in stage.all("RUN") for c in run.commands)

    def load_requirements(self, path: Path, included_from: tuple[Path, int] | None) -> RequirementsFile | None:
        """A requirements file, a missing one recorded at the ``-r`` that includes it; one that cannot be read or
        parsed (git's conflict markers left in it) leaves what the image installs unknown."""
        from djlint_docker.parse.requirements import parse_requirements

        found = self.project.parsed("requirements", path, parse_requirements,
                                    Location(*included_from) if included_from else None)
        if found is None:
            self.known = False
        return found

    # -- the files an install reads ---------------------------------------------------------------------------

    def _before(self, stage: Stage, run: Instruction, keywords: frozenset[str]) -> int:
        """How many instructions of ``keywords`` the stage has before ``run`` (the stages below it: all of theirs)."""
        key = (stage.index, keywords)
        if key not in self.lines:
            self.lines[key] = [i.line for i in stage.instructions if i.keyword in keywords]
        return bisect.bisect_left(self.lines[key], run.line)

    def workdir(self, stage: Stage, run: Instruction) -> str:
        """The working directory of ``run``, worked out again only after a WORKDIR, ENV or ARG.

        A build of thousands of RUNs asks for it thousands of times: each answer walks the stage.
        """
        key = (stage.index, self._before(stage, run, SETS_WORKDIR))
        if key not in self.workdirs:
            self.workdirs[key] = self.dockerfile.workdir_at(stage, run)
        return self.workdirs[key]

    def file(self, stage: Stage, run: Instruction, image_path: str) -> Path | None:
        """The context file at ``image_path`` when ``run`` runs: bind-mounted for the RUN, or copied before it."""
        image_path = posixpath.normpath(image_path)
        mounted = self.mounted(stage, run, image_path)
        if mounted is not None:
            return mounted
        key = (stage.index, image_path, self._before(stage, run, COPIES))
        if key not in self.copied:  # the same answer until the next COPY
            found = self.project.context_file(self.build, stage, image_path, run)
            self.copied[key] = found if found is not None else self.copied_by_pattern(stage, run, image_path)
        return self.copied[key]

    def mounted(self, stage: Stage, run: Instruction, image_path: str) -> Path | None:
        """The context file a ``RUN --mount=type=bind`` puts at ``image_path``, if any."""
        workdir = self.workdir(stage, run)
        for key, value in run.flags:
            if key != "mount" or not value:
                continue
            options = dict(part.partition("=")[::2] for part in value.split(","))
            if options.get("type", "bind") != "bind" or "from" in options:
                continue
            target = options.get("target") or options.get("dst") or options.get("destination")
            if not target:
                continue
            target = posixpath.normpath(posixpath.join(workdir, target.split(":")[0]))
            source = options.get("source") or options.get("src") or "."
            if image_path == target or image_path.startswith(target.rstrip("/") + "/"):
                path = self.build.context / posixpath.normpath(posixpath.join(source.lstrip("/"),
                                                                              image_path[len(target):].lstrip("/")))
                if self.project.is_file(path):
                    return path
        return None

    def copied_by_pattern(self, stage: Stage, run: Instruction, image_path: str) -> Path | None:
        """A file a wildcard COPY put at ``image_path`` (``COPY pyproject.toml poetry.lock* ./``), if it exists."""
        folder, _, name = image_path.rpartition("/")
        for copy in reversed(self.dockerfile.copies(stage)):
            if copy.instruction.line >= run.line or not copy.dest.endswith("/") or \
                    posixpath.normpath(copy.dest) != posixpath.normpath(folder or "/"):
                continue
            for source in copy.sources:
                if any(c in source for c in "*?[") and fnmatch.fnmatchcase(name, posixpath.basename(source)):
                    path = self.build.context / posixpath.normpath(posixpath.join(posixpath.dirname(
                        source.lstrip("/")) or ".", name))
                    if self.project.is_file(path):
                        return path
        return None

    def parsed(self, kind: str, stage: Stage, run: Instruction, image_path: str,
               parser: Callable[[Path, str], T]) -> T | None:
        path = self.file(stage, run, image_path)
        return self.project.parsed(kind, path, parser) if path is not None else None

    # -- commands ----------------------------------------------------------------------------------------------

    def command(self, stage: Stage, run: Instruction, command: Command) -> None:
        words = list(command.words)
        tool = program(command)
        output = self.next_export(run) if tool in EXPORTER_TOOLS and EXPORTER.search(" ".join(words)) else None
        if (tool in UNREAD_INSTALLERS and "install" in words) or tool.startswith("$"):
            self.known = False  # an installer djcheck does not read, or a command a build argument holds
        elif tool == "uv" and "sync" in words and "pip" not in words:
            self.add(self.uv_sync(stage, run, words))
        elif tool == "uv" and "export" in words and output:
            self.exported[posixpath.basename(output)] = self.uv_sync(stage, run, words)
        elif tool in {"poetry", "uv"} and "add" in words and "pip" not in words:
            # `poetry add gunicorn`, `uv add "uvicorn[standard]"`: the packages named, into the project's environment
            added = words[words.index("add") + 1:]
            self.names.update(canonical_name(re.split(r"[\[<>=!~@; ]", word.strip("'\""), maxsplit=1)[0])
                              for word in added if word and not word.startswith("-"))
        elif tool == "poetry" and "install" in words:
            self.add(self.poetry(stage, run, words, install=True))
        elif tool == "poetry" and "export" in words and output:
            self.exported[posixpath.basename(output)] = self.poetry(stage, run, words, install=False)
        elif tool == "pipenv" and ({"install", "sync"} & set(words)):
            self.add(self.pipenv(stage, run, words))
        elif tool == "pipenv" and output:
            self.exported[posixpath.basename(output)] = self.pipenv(stage, run, words)
        elif tool == "pip-compile" or (tool == "uv" and "compile" in words):
            self.compile(stage, run, words, output)
        elif PIP.fullmatch(tool) or tool == "uv" or tool == "pip-sync":
            self.pip(stage, run, command, words, tool)

    def compile(self, stage: Stage, run: Instruction, words: list[str], output: str | None) -> None:
        """pip-tools' ``pip-compile`` (``uv pip compile``): the requirements file it writes, read from its inputs.

        pip-compile writes ``requirements.in`` to ``requirements.txt`` unless told otherwise.
        """
        start = words.index("compile") + 1 if "compile" in words else 1
        inputs = [w for w in words[start:] if not w.startswith("-") and w.endswith((".in", ".txt", ".toml"))
                  and w != output]
        if output is None and inputs and program_is_pip_compile(words):
            first = inputs[0]
            output = "requirements.txt" if first.endswith(".toml") else first.rsplit(".", 1)[0] + ".txt"
        if output is None:
            return
        before = (self.known, set(self.names), len(self.requirements))
        self.known, self.names = True, set()
        for image_path in inputs:
            self.requirements_file(stage, run, posixpath.join(self.workdir(stage, run), image_path))
        compiled = Installs(frozenset(self.names) if self.known else None, tuple(self.requirements[before[2]:]))
        self.known, self.names = before[0], before[1]
        del self.requirements[before[2]:]
        self.exported[posixpath.basename(output)] = compiled

    def next_export(self, run: Instruction) -> str | None:
        """The output of the next exporting command of ``run``: its commands are read in order."""
        pending = self.exports.setdefault(id(run), exported_files(run))
        return pending.pop(0) if pending else None

    def add(self, found: Installs) -> None:
        if found.names is None:
            self.known = False
        else:
            self.names.update(found.names)
        self.requirements.extend(found.requirements)
        self.locked_by_user.update(found.locked_by_user)

    def pip(self, stage: Stage, run: Instruction, command: Command, words: list[str], tool: str) -> None:
        """``pip install``, ``uv pip install``/``sync``, ``pip-sync``: requirements files, names, paths, groups."""
        if tool == "pip-sync" or (tool == "uv" and "sync" in words):
            positional = [w for w in words[words.index("sync") + 1 if "sync" in words else 1:]
                          if not w.startswith("-")] or (["requirements.txt"] if tool == "pip-sync" else [])
            files = [posixpath.join(self.workdir(stage, run), w) for w in positional]
            for image_path in files:
                self.requirements_file(stage, run, image_path)
            return
        from djlint_docker.parse.requirements import all_requirements

        # The -r files as the project finds them (Project.requirement_files), with the answers kept between RUNs.
        paths = [self.file(stage, run, posixpath.join(self.workdir(stage, run),
                                                      self.dockerfile.expanded_at(stage, run, named)))
                 for named in requirement_files_named(words)] if {"install", "wheel"} & set(words) else []
        if None in paths:
            self.missing_requirements(words)
        for path in paths:
            if path is not None:  # read by the project already (pip install and pip wheel alike): parsed once
                found = all_requirements(path, self.load_requirements)
                self.requirements.extend(found)
                self.names.update(r.name for r in found)
        # `pip wheel uwsgi` in a build stage: the final stage installs the wheels it builds (`pip install /wheels/*`)
        install = pip_install(words) or (pip_install(["install", *words[words.index("wheel") + 1:]])
                                         if "wheel" in words else None)
        if install is None:
            return
        self.names.update(install.packages)
        for spec in install.specs:  # a package named in the Dockerfile: its pin is written on the RUN
            try:
                self.requirements.append(requirement_from(spec, self.dockerfile.path, run.line))
            except ParseError:
                continue
        for group in option_values(words, "--group"):
            where, _, name = group.rpartition(":")
            pyproject = self.pyproject(stage, run, posixpath.join(where or ".", "pyproject.toml"))
            members = pyproject.groups.get(canonical_name(name)) if pyproject else None
            if members is None:
                self.known = False
            else:
                self.add(Installs(frozenset(r.name for r in members), members))
        if "--no-deps" in words:
            return  # the project itself (pip install --no-deps .): no dependency comes with it
        for local in install.paths:
            self.local_path(stage, run, local)

    def missing_requirements(self, words: list[str]) -> None:
        """A ``-r`` file not in the context: one the build exports from a lock, or unknown."""
        for named in requirement_files_named(words):
            exported = self.exported.get(posixpath.basename(named))
            if exported is None:
                self.known = False
            else:
                self.add(exported)

    def requirements_file(self, stage: Stage, run: Instruction, image_path: str) -> None:
        from djlint_docker.parse.requirements import all_requirements

        path = self.file(stage, run, image_path)
        if path is None:
            exported = self.exported.get(posixpath.basename(image_path))
            if exported is None:
                self.known = False
            else:
                self.add(exported)
            return
        found = all_requirements(path, self.load_requirements)
        self.requirements.extend(found)
        self.names.update(r.name for r in found)

    def local_path(self, stage: Stage, run: Instruction, path: str) -> None:
        """``pip install .`` (``.[prod]``, ``-e .``): ``pyproject.toml``; wheels built from requirements files."""
        folder, _, extras = path.partition("[")
        if folder.endswith(".whl") or "*" in folder or "$" in folder:
            if not self.wheels_from_requirements:
                self.known = False
            return
        pyproject = self.pyproject(stage, run, posixpath.join(folder, "pyproject.toml"))
        if pyproject is None or pyproject.dependencies is None:
            self.known = False  # setup.py, a dynamic list, or nothing found: unknown
            return
        chosen = [canonical_name(e) for e in re.split(r"\s*,\s*", extras.rstrip("]")) if e]
        found = pyproject.dependencies + _optional(pyproject, chosen)
        self.add(Installs(frozenset(r.name for r in found), found))

    def pyproject(self, stage: Stage, run: Instruction, relative: str) -> PyProject | None:
        workdir = self.workdir(stage, run)
        return self.parsed("pyproject.toml", stage, run, posixpath.join(workdir, relative), parse_pyproject)

    def uv_sync(self, stage: Stage, run: Instruction, words: list[str]) -> Installs:
        """``uv sync``/``uv export``: the lock's packages the project, its chosen extras and groups need."""
        folder = next(iter(option_values(words, "--project") + option_values(words, "--directory")), ".")
        pyproject = self.pyproject(stage, run, posixpath.join(folder, "pyproject.toml"))
        if pyproject is None or pyproject.dependencies is None:
            return Installs(None, ())
        workdir = self.workdir(stage, run)
        lock = self.parsed("uv.lock", stage, run, posixpath.join(workdir, folder, "uv.lock"), parse_uv_lock)
        extras = [canonical_name(e) for e in option_values(words, "--extra")]
        if "--all-extras" in words:
            extras = list(pyproject.optional)
        groups = {"dev"} & set(pyproject.groups)  # uv's default-groups
        if {"--no-dev", "--no-default-groups"} & set(words):
            groups = set()
        groups |= {canonical_name(g) for g in option_values(words, "--group")}
        if "--all-groups" in words:
            groups = set(pyproject.groups)
        groups -= {canonical_name(g) for g in option_values(words, "--no-group")}
        only = [canonical_name(g) for g in option_values(words, "--only-group")] + (
            ["dev"] if "--only-dev" in words else [])
        declared = list(pyproject.dependencies) if not only else []
        declared += _optional(pyproject, extras)
        declared += [r for g in (only or groups) for r in pyproject.groups.get(g, ())]
        if lock is None and {"--frozen", "--locked"} & set(words):
            # the lock each user makes first (`uv lock` of a project template): the declared ranges, as it pins them
            names = frozenset(r.name for r in declared)
            return Installs(names, tuple(declared), names)
        return _with_lock(declared, lock)

    def poetry(self, stage: Stage, run: Instruction, words: list[str], install: bool) -> Installs:
        """``poetry install``/``poetry export``: the chosen groups and extras, as ``poetry.lock`` pins them."""
        folder = next(iter(option_values(words, "--directory") + option_values(words, "-C")), ".")
        pyproject = self.pyproject(stage, run, posixpath.join(folder, "pyproject.toml"))
        if pyproject is None or (pyproject.poetry is None and pyproject.dependencies is None):
            return Installs(None, ())
        workdir = self.workdir(stage, run)
        lock = self.parsed("poetry.lock", stage, run, posixpath.join(workdir, folder, "poetry.lock"),
                           parse_poetry_lock)
        tables = dict(pyproject.poetry or {})
        if pyproject.dependencies is not None:
            tables["main"] = tables.get("main", ()) + pyproject.dependencies
        with_groups, without, only = (
            {canonical_name(g) for value in option_values(words, option) for g in value.split(",")}
            for option in ("--with", "--without", "--only"))
        if install:
            groups = {g for g in tables if canonical_name(g) not in pyproject.poetry_optional_groups}
        else:
            groups = {"main"}  # poetry export: the main group unless told otherwise
        groups = {g for g in (groups | {g for g in tables if canonical_name(g) in with_groups})
                  if canonical_name(g) not in without}
        if "--no-dev" in words:
            groups = {"main"}
        if only:
            groups = {g for g in tables if canonical_name(g) in only}
        if "--only-root" in words:
            groups = set()
        extras = [canonical_name(e) for flag in ("-E", "--extras") for value in option_values(words, flag)
                  for e in re.split(r"[\s,]+", value) if e]
        if "--all-extras" in words:
            extras = list(pyproject.poetry_extras) + list(pyproject.optional)
        declared = [r for g in groups for r in tables.get(g, ())]
        declared += [r for e in extras for r in pyproject.optional.get(e, ())]
        by_name = {r.name: r for rs in tables.values() for r in rs}
        declared += [by_name[n] for e in extras for n in pyproject.poetry_extras.get(e, ()) if n in by_name]
        return _with_lock(declared, lock)

    def pipenv(self, stage: Stage, run: Instruction, words: list[str]) -> Installs:
        """``pipenv install``/``sync``/``requirements``: ``Pipfile.lock``'s pins (``develop`` too with --dev)."""
        folder = self.workdir(stage, run)
        dev = "--dev" in words or "-d" in words
        arguments = words[words.index("install") + 1:] if "install" in words else []
        named = [canonical_name(re.split(r"[\[<>=!~;@ ]", word, maxsplit=1)[0]) for word in arguments
                 if not word.startswith("-")]
        # pipenv looks for the Pipfile in the working directory and the folders above it (PIPENV_MAX_DEPTH, 3)
        for _ in range(PIPENV_MAX_DEPTH):
            declared = self.parsed("Pipfile", stage, run, posixpath.join(folder, "Pipfile"), parse_pipfile)
            if declared is not None or folder == "/":
                break
            folder = posixpath.dirname(folder)
        lock = self.parsed("Pipfile.lock", stage, run, posixpath.join(folder, "Pipfile.lock"), parse_pipfile_lock)
        pipfile: Pipfile | None = lock
        if lock is None or "--skip-lock" in words:
            pipfile = declared
        if pipfile is None:
            return Installs(frozenset(named) if named else None, ())
        found = pipfile.default + (pipfile.develop if dev else ())
        # a package of the Pipfile a stale lock misses: `pipenv install` locks again and installs it (`sync`,
        # `--deploy` and `--ignore-pipfile` keep to the lock)
        stale: set[str] = set()
        if declared is not None and "install" in words and not {"--deploy", "--ignore-pipfile"} & set(words):
            stale = {r.name for r in declared.default + (declared.develop if dev else ())}
        if any("$" in word for word in arguments):
            return Installs(None, found)  # `pipenv install $(... || echo --dev)`: packages or --dev djcheck cannot see
        return Installs(frozenset(r.name for r in found) | set(named) | stale, found)


PIPENV_MAX_DEPTH = 3
"""How many folders, from the working directory up, pipenv looks in for the Pipfile (its ``PIPENV_MAX_DEPTH``)."""


def _optional(pyproject: PyProject, extras: list[str]) -> tuple[Requirement, ...]:
    """The requirements of the chosen extras, an extra naming the project's own (``app[s3]``) followed."""
    found: list[Requirement] = []
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop(0)
        if extra in seen:
            continue
        seen.add(extra)
        for requirement in pyproject.optional.get(extra, ()):
            if pyproject.name is not None and requirement.name == pyproject.name:
                todo.extend(canonical_name(e) for e in requirement.extras)
            else:
                found.append(requirement)
    return tuple(found)


def _with_lock(declared: list[Requirement], lock: LockFile | None) -> Installs:
    """What installing ``declared`` brings: the lock's packages needed (its pins) or, without a lock, the declared."""
    if lock is None:
        return Installs(frozenset(r.name for r in declared), tuple(declared))
    locked = lock.closure([(r.name, r.extras) for r in declared])
    names = frozenset(locked) | {r.name for r in declared}
    pins = tuple(locked[r.name].requirement for r in declared if r.name in locked)
    others = tuple(package.requirement for name, package in locked.items() if name not in {r.name for r in declared})
    # A package the lock misses (a stale or unfilled lock, which ``--locked`` refuses) has no pin djcheck can name.
    return Installs(names, pins + others)


def where_to_add(project: Project, build: ImageBuild) -> str:
    """The file a package the image lacks is added to, as a message names it.

    The requirements file the image installs, the dependencies of ``pyproject.toml`` (for
    ``uv.lock`` and ``poetry.lock``, which are written from it) or the ``[packages]`` of
    the ``Pipfile``; "the requirements" when the image reads none.
    """
    for path in dict.fromkeys(r.path for r in installs(project, build).requirements):
        if path == build.dockerfile_path:
            continue
        if path.name in {"uv.lock", "poetry.lock"} or path.name == "pyproject.toml":
            return f"the dependencies of {project.display(path.with_name('pyproject.toml'))}"
        if path.name in {"Pipfile", "Pipfile.lock"}:
            return f"[packages] in {project.display(path.with_name('Pipfile'))}"
        return project.display(path)
    return "the requirements"


def program_is_pip_compile(words: list[str]) -> bool:
    """Whether the words run pip-tools' ``pip-compile`` (not ``uv pip compile``, which writes to stdout)."""
    return bool(words) and posixpath.basename(words[0]) == "pip-compile"
