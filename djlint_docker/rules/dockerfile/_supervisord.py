"""What supervisord runs in an image: the sections of the configuration it reads, and of the files it includes."""

from __future__ import annotations

import fnmatch
import itertools
import os
import posixpath
import re
from pathlib import Path

from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.parse.shell import Command, option_values, split_line
from djlint_docker.project import ImageBuild, Project
from djlint_docker.records import record

SUPERVISORD_CONFIGS = ("/etc/supervisor/supervisord.conf", "/etc/supervisord.conf")
"""Where supervisord looks for its configuration when ``-c`` names none."""
MAX_SUPERVISOR_LINES = 2000
PROGRAM_SECTIONS = frozenset({"program", "fcgi-program"})
"""The sections of a supervisord configuration that each run a program (``[program:web]``)."""
WRITTEN_BY_A_RUN: list[IniSection] = []
"""What :func:`supervised_sections` gives for a configuration a RUN writes: its programs are unknown."""


def supervised_sections(project: Project, build: ImageBuild, dockerfile: Dockerfile,
                        commands: list[Command]) -> list[IniSection] | None:
    """The sections of the configuration a container's ``supervisord`` reads (``-c``, else its default files) and of
    the files its ``[include]`` names that the image copies in; :data:`WRITTEN_BY_A_RUN` when a RUN writes one
    (``mayan-edms.py platformtemplate supervisord_docker > /etc/supervisor/conf.d/mayan.conf``); None when the
    container starts no supervisord, or its configuration is none of the image's files."""
    stage = dockerfile.final
    workdir = dockerfile.workdir_after(stage)
    for command in commands:
        if not command.words or command.words[0].rsplit("/", 1)[-1] != "supervisord":
            continue
        named = option_values(command.words, "-c") + option_values(command.words, "--configuration")
        if _run_writes_configuration(dockerfile, named or SUPERVISORD_CONFIGS):
            return WRITTEN_BY_A_RUN
        for wanted in named or SUPERVISORD_CONFIGS:
            path = project.context_file(build, stage, posixpath.normpath(posixpath.join(workdir, wanted)))
            text = project.text(path) if path is not None else None
            if text is not None:
                sections = _ini_sections(text)
                patterns = [p for s in sections if s.name == "include" for p in s.values.get("files", "").split()]
                included = [found for pattern in patterns[:MAX_INCLUDED] for found in _copied_files(
                    project, build, posixpath.join(posixpath.dirname(wanted), pattern))]
                # supervisord reads the [include] of its main configuration alone
                for found in list(dict.fromkeys(included))[:MAX_INCLUDED]:
                    sections += _ini_sections(project.text(found) or "")
                return sections
    return None


def _copied_files(project: Project, build: ImageBuild, pattern: str) -> list[Path]:
    """The files of the build context the final image holds at the paths an image-path glob matches
    (``/etc/supervisor/conf.d/*.conf``, which ``[include]`` names): each a COPY or ADD puts there, by name or in
    a folder it copies whole."""
    dockerfile = build.dockerfile
    if dockerfile is None:
        return []
    folder = posixpath.dirname(pattern)
    found: list[Path] = []
    for stage in dockerfile.lineage(dockerfile.final):
        for copy in dockerfile.copies(stage):
            target = posixpath.normpath(copy.dest)
            if fnmatch.fnmatchcase(target, pattern):
                names = [target]
            elif target.rstrip("/") == folder:
                names = [posixpath.join(folder, entry) for source in copy.sources
                         for entry in _folder_names(build.context / source.strip("\"'").lstrip("/"))]
            else:
                continue
            found += [path for name in names[:MAX_INCLUDED] if fnmatch.fnmatchcase(name, pattern)
                      and (path := project.context_file(build, stage, name)) is not None]
    return found


def _folder_names(folder: Path) -> list[str]:
    """The names of a context folder's files; none when it is no folder."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name for entry in itertools.islice(entries, MAX_FOLDER_ENTRIES)
                          if entry.is_file())[:MAX_INCLUDED]
    except OSError:
        return []


MAX_INCLUDED = 50
"""Files an ``[include]`` of supervisord's configuration is followed to."""
MAX_FOLDER_ENTRIES = 1000


REDIRECTED = re.compile(r"(?:>>?|\btee(?:[ \t]+-a)?)[ \t]*[\"']?(/[^\s\"';&|]+)")


def _run_writes_configuration(dockerfile: Dockerfile, configurations: tuple[str, ...] | list[str]) -> bool:
    """Whether a RUN of the final image writes (``>``, ``tee``) a supervisord configuration it reads: one of
    ``configurations``, or a file of the folder beside it whose files the default one includes (``conf.d/``)."""
    # the folder of `/etc/supervisor/supervisord.conf` (its `conf.d/`), not `/etc` itself: `/etc/supervisord.conf`
    # reads no file a RUN writes elsewhere in /etc (`>> /etc/postgresql/9.5/main/postgresql.conf`)
    folders = {folder for path in configurations if path.startswith("/")
               and (folder := posixpath.dirname(path)) not in {"/", "/etc"}}
    for stage in dockerfile.lineage(dockerfile.final):
        for run in stage.all("RUN"):
            for target in REDIRECTED.findall(run.script):
                if target in configurations or any(target.startswith(f"{folder}/") for folder in folders):
                    return True
    return False


@record
class IniSection:
    """A section of an INI file (supervisord's configuration): its name before a colon, and its values."""

    name: str
    values: dict[str, str]


def _ini_sections(text: str) -> list[IniSection]:
    """The sections of an INI file, a value continued on the lines after it indented deeper than its key
    (``command=celery beat`` then ``  --uid=1000``; a shell's ``\\`` before the line break stays in the value), as
    ``configparser`` reads them; comments left out."""
    sections: list[IniSection] = []
    key, indent = "", 0
    for line in text.splitlines()[:MAX_SUPERVISOR_LINES]:
        stripped = line.split(" ;", 1)[0].strip()
        depth = len(line) - len(line.lstrip())
        if not stripped or stripped.startswith((";", "#")):
            continue
        if stripped.startswith("["):
            sections.append(IniSection(stripped[1:].partition("]")[0].split(":", 1)[0].strip(), {}))
            key = ""
        elif not sections:
            continue
        elif key and depth > indent:
            sections[-1].values[key] += " " + stripped
        elif "=" in stripped:
            key, _, value = stripped.partition("=")
            key, indent = key.strip(), depth
            sections[-1].values[key] = value.strip()
    return sections




def supervised_commands(sections: list[IniSection]) -> list[Command]:
    """The commands the ``[program:...]`` sections of a supervisord configuration run (``command=gunicorn ...``)."""
    return [command for section in sections if section.name in PROGRAM_SECTIONS
            for command in split_line(section.values.get("command", "").replace("\\\n", " "))]
