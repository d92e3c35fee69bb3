"""Dockerfile -> instructions, stages, ``ARG``/``ENV`` and ``COPY`` mapping, with line numbers.

dockerfile-parse finds where instructions start (directives, the escape character).
It disagrees with BuildKit on two points, so the extent of each instruction is
computed here by BuildKit's rules: comment and blank lines inside a continuation
do not end it, and ``RUN``/``COPY``/``ADD`` heredocs run to their terminator line.
The test suite checks every boundary against BuildKit's own parser.
"""

from __future__ import annotations

import fnmatch
import io
import json
import posixpath
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from djlint_docker.parse import ParseError
from djlint_docker.parse.shell import Command, split_line, split_words, words
from djlint_docker.positions import Location
from djlint_docker.records import record

KNOWN = {
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
    "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
}
HEREDOC_INSTRUCTIONS = {"RUN", "COPY", "ADD"}
EXEC_FORM_INSTRUCTIONS = {"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"}
"""Instructions BuildKit reads as a JSON array when their arguments start with one."""
ESCAPE_DIRECTIVE = re.compile(r"^\s*#\s*escape\s*=\s*([\\`])\s*$", re.I)
HEREDOC_MARKER = re.compile(r"(?<!<)<<(?!<)(-?)(['\"]?)([A-Za-z0-9_./-]+)\2")  # not a here-string (<<<)
FLAG = re.compile(r"^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:\s+|$)")


@record
class Instruction:
    """One instruction: keyword, its lines, flags, arguments and form."""

    keyword: str
    line: int
    end_line: int
    column: int
    args: str
    flags: tuple[tuple[str, str | None], ...] = ()
    exec_form: tuple[str, ...] | None = None
    heredocs: tuple[str, ...] = ()
    ignored: str = ""  # text after an exec-form array: shell form for BuildKit 1.9+, dropped by older builders

    def flag(self, name: str) -> str | None:
        """The value of ``--name=value`` (``""`` for a bare ``--name``), else None."""
        for key, value in self.flags:
            if key == name:
                return value if value is not None else ""
        return None

    @property
    def commands(self) -> tuple[Command, ...]:
        """The simple commands this RUN/CMD/ENTRYPOINT runs (heredoc bodies included); split once."""
        return _commands(self.args, self.exec_form, self.heredocs)

    @property
    def script(self) -> str:
        """The instruction's text: its arguments and the bodies of its heredocs (``RUN <<eof`` ... ``eof``, a
        ``COPY <<EOF /app/conf`` file)."""
        return "\n".join((self.args, *self.heredocs)) if self.heredocs else self.args

    def words(self) -> list[str]:
        """The arguments split like a shell would (quotes removed)."""
        return words(self.args)


@cache
def _commands(args: str, exec_form: tuple[str, ...] | None, heredocs: tuple[str, ...]) -> tuple[Command, ...]:
    if exec_form is not None:
        return tuple(split_words(exec_form))
    commands = split_line(args)
    for body in heredocs:
        for text in body.splitlines():
            commands.extend(split_line(text))
    return tuple(commands)


@record
class Copy:
    """A ``COPY``/``ADD`` from the build context: sources and the absolute destination."""

    instruction: Instruction
    sources: tuple[str, ...]
    dest: str  # absolute path in the image; ends with "/" when it is a directory


@record
class Stage:
    """One build stage: its ``FROM`` and the instructions after it."""

    index: int
    from_: Instruction
    image: str  # the base image with ARGs expanded ("" if it cannot be resolved)
    name: str | None
    parent: int | None  # index of the stage this one is built FROM, if any
    instructions: tuple[Instruction, ...]

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        found = self.all(keyword)
        return found[-1] if found else None


MOUNT_FROM = re.compile(r"(?:^|,)from=([^,\s]+)")
"""The stage a ``RUN --mount=type=bind,from=build,...`` mounts files of."""


def _stage_sources(instruction: Instruction) -> list[str]:
    """The stages (by name or index, lowercased) an instruction takes files from: ``COPY --from``,
    ``RUN --mount=from=``."""
    if instruction.keyword in {"COPY", "ADD"} and (source := instruction.flag("from")):
        return [source.lower()]
    if instruction.keyword == "RUN":
        return [source.lower() for key, value in instruction.flags if key == "mount" and value
                for source in MOUNT_FROM.findall(value)]
    return []


def _changed_workdir(instruction: Instruction, workdir: str, variables: Mapping[str, str | None]) -> str:
    """The working directory after a ``WORKDIR`` instruction (relative to the one before, variables expanded)."""
    path = instruction.args.strip().strip("\"'")
    return posixpath.join(workdir, expand(path, dict(variables)) or path)


@record
class Dockerfile:
    """A parsed Dockerfile with its stages and global ``ARG`` defaults."""

    path: Path
    instructions: tuple[Instruction, ...]
    stages: tuple[Stage, ...]
    global_args: Mapping[str, str | None] = MappingProxyType({})

    def at(self, instruction: Instruction) -> Location:
        """Where an instruction starts, for a finding."""
        return Location(self.path, instruction.line, instruction.column)

    @property
    def final(self) -> Stage:
        return self.stages[-1]

    @property
    def root(self) -> Stage:
        """The first stage of the final stage's lineage: its ``FROM`` names the image the final image starts from."""
        return self.lineage(self.final)[0]

    def built_to(self, target: str | None) -> Dockerfile:
        """The Dockerfile as ``docker build --target`` builds it: the stages up to the target, which is final.

        An unknown target (or none) leaves the Dockerfile whole; the build fails or builds the last stage.
        """
        index = next((s.index for s in self.stages if target and s.name == target.lower()), None)
        if index is None or index == len(self.stages) - 1:
            return self
        last = self.stages[index].instructions[-1].end_line
        return Dockerfile(self.path, tuple(i for i in self.instructions if i.line <= last),
                          self.stages[:index + 1], self.global_args)

    def built_stages(self) -> frozenset[int]:
        """The indexes of the stages BuildKit builds for the final stage: those it is built ``FROM`` and those it
        takes files from (``COPY --from=build``, ``RUN --mount=from=build``), and theirs in turn. BuildKit skips
        the others (a ``builder`` stage nothing takes from)."""
        built: set[int] = set()
        waiting = [self.final]
        while waiting and len(built) <= len(self.stages):
            stage = waiting.pop()
            for member in self.lineage(stage):
                if member.index in built:
                    continue
                built.add(member.index)
                for instruction in member.instructions:
                    for source in _stage_sources(instruction):
                        found = next((s for s in self.stages if s.name == source or str(s.index) == source), None)
                        if found is not None and found.index not in built:
                            waiting.append(found)
        return frozenset(built)

    def lineage(self, stage: Stage) -> list[Stage]:
        """The stage and the stages it is built from, base first."""
        chain = [stage]
        while chain[0].parent is not None and len(chain) <= len(self.stages):
            chain.insert(0, self.stages[chain[0].parent])
        return chain

    def on_python_image(self) -> bool:
        """Whether the final image is built on an image of Python (``python:3.12-slim``, ``acme/python-base``)."""
        return any("python" in (stage.image or "").lower() for stage in self.lineage(self.final))

    def effective(self, stage: Stage, keyword: str) -> Instruction | None:
        """The ``ENTRYPOINT`` or ``CMD`` a stage's containers get: its last, else the nearest base stage's."""
        return next((found for member in reversed(self.lineage(stage)) if (found := member.last(keyword))), None)

    def env(self, stage: Stage) -> dict[str, tuple[str, Instruction]]:
        """The ``ENV`` variables a stage's containers get (inherited stages included)."""
        result: dict[str, tuple[str, Instruction]] = {}
        for member in self.lineage(stage):
            for instruction in member.all("ENV"):
                for key, value in key_values(instruction.args):
                    result[key] = (value, instruction)
        return result

    def path_folders(self, stage: Stage, base: tuple[str, ...]) -> list[str]:
        """The folders of the ``PATH`` a stage's containers get, in order: each ``ENV PATH=...`` with its ``$PATH``
        the folders before it (``base``, the base image's, at first), so that ``ENV PATH=/scripts:$PATH`` then
        ``ENV PATH=/opt/bin:$PATH`` keeps ``/scripts``."""
        folders = list(base)
        for member in self.lineage(stage):
            for instruction in member.all("ENV"):
                for key, value in key_values(instruction.args):
                    if key != "PATH":
                        continue
                    found: list[str] = []
                    for part in value.split(":"):
                        found += folders if part in {"$PATH", "${PATH}"} else [part]
                    folders = found[:MAX_PATH_PARTS]
        return [folder for folder in folders if folder.startswith("/") and "$" not in folder]

    def expanded_env(self, stage: Stage, defaults: bool = True) -> dict[str, str | None]:
        """The ``ENV`` a stage's containers get, each value with the ARGs and ENVs before it substituted: None when
        it names a build argument without a default (``ARG ALLOWED_HOSTS`` then ``ENV ALLOWED_HOSTS
        $ALLOWED_HOSTS``: whatever the build passes, unknown here) or a variable the base image sets. Without
        ``defaults`` (the build passes arguments of its own), every build argument is unknown."""
        variables: dict[str, str | None] = {}
        names: dict[str, None] = {}
        for member in self.lineage(stage):
            for instruction in member.instructions:
                if instruction.keyword == "ENV":
                    pairs = key_values(instruction.args)
                    variables = {**variables, **{k: expand(v, variables) for k, v in pairs}}
                    names.update(dict.fromkeys(k for k, _ in pairs))
                elif instruction.keyword == "ARG":
                    variables = {**variables, **{k: v if defaults else None for k, v in arg_pairs(instruction.args)
                                                 if v is not None or k not in variables}}
        return {name: variables.get(name) for name in names}

    def _walk(self, stage: Stage) -> Iterator[tuple[Instruction, str, dict[str, str | None]]]:
        """Each instruction of the stage's lineage with the WORKDIR and variables in effect before it."""
        variables: dict[str, str | None] = {}
        workdir = "/"  # a stage built FROM another starts in that one's WORKDIR
        for member in self.lineage(stage):
            for instruction in member.instructions:
                yield instruction, workdir, variables
                if instruction.keyword == "WORKDIR":
                    workdir = _changed_workdir(instruction, workdir, variables)
                elif instruction.keyword == "ENV":  # ``ENV VIRTUAL_ENV="$venv"`` holds the ARG's value
                    variables = {**variables, **{k: expand(v, variables) for k, v in key_values(instruction.args)}}
                elif instruction.keyword == "ARG":
                    variables = {**variables, **{k: v for k, v in arg_pairs(instruction.args)
                                                 if v is not None or k not in variables}}

    def copies(self, stage: Stage) -> list[Copy]:
        """The ``COPY``/``ADD`` of files from the build context, in order, with absolute destinations."""
        result: list[Copy] = []
        folders = {"/"}  # what WORKDIR made: ``COPY requirements.txt /app`` after ``WORKDIR /app`` copies into it
        for instruction, workdir, variables in self._walk(stage):
            folder = workdir
            while folder not in folders:  # and the folders above it
                folders.add(folder)
                folder = posixpath.dirname(folder)
            if instruction.keyword in {"COPY", "ADD"} and instruction.flag("from") is None:
                parts = list(instruction.exec_form) if instruction.exec_form else instruction.words()
                if len(parts) < 2 or instruction.heredocs:
                    continue
                *sources, dest = parts
                dest = expand(dest, variables) or dest
                is_dir = (dest.endswith("/") or len(sources) > 1 or dest in {".", "./"}
                          or any(source in {".", "./"} or source.endswith("/") for source in sources))
                absolute = posixpath.normpath(posixpath.join(workdir, dest))
                is_dir = is_dir or absolute in folders
                result.append(Copy(instruction, tuple(sources), absolute.rstrip("/") + ("/" if is_dir else "")))
        return result

    def workdir_at(self, stage: Stage, target: Instruction) -> str:
        """The working directory in effect when ``target`` runs."""
        last = "/"
        for instruction, workdir, _ in self._walk(stage):
            if instruction is target:
                return workdir
            last = workdir
        return last

    def expanded_at(self, stage: Stage, target: Instruction, word: str) -> str:
        """A word of an instruction with the ARG and ENV values it sees expanded (``${BUILD_ENVIRONMENT}.txt`` is
        ``local.txt`` after ``ARG BUILD_ENVIRONMENT=local``); as written when one is unknown."""
        return (expand(word, self.variables_at(stage, target)) or word) if "$" in word else word

    def variables_at(self, stage: Stage, target: Instruction) -> dict[str, str | None]:
        """The ``ARG`` and ``ENV`` variables in effect when ``target`` runs (None: a value not known)."""
        return next((variables for instruction, _, variables in self._walk(stage) if instruction is target), {})

    def workdir_after(self, stage: Stage) -> str:
        """The working directory at the end of a stage: where its container starts (a last ``WORKDIR`` included)."""
        last = stage.instructions[-1]
        for instruction, workdir, variables in self._walk(stage):
            if instruction is last:
                return _changed_workdir(instruction, workdir, variables) if last.keyword == "WORKDIR" else workdir
        return "/"

    def context_sources(self, stage: Stage, image_path: str, before: Instruction | None = None) -> list[str]:
        """Build-context paths that may have put ``image_path`` into the image, the latest COPY first.

        Without looking at the context a source such as ``app`` may be a file (copied as
        ``dest/app``) or a folder (its content copied into ``dest``): both are candidates. A path no COPY filled
        may be a link a RUN made to one (``ln -s /home/app/run.sh /run.sh``).
        """
        found = self._copied_sources(stage, image_path, before)
        if not found and (linked := self._link_target(stage, image_path, before)) is not None:
            return self._copied_sources(stage, linked, before)  # a link to a link is not followed
        return found

    def _copied_sources(self, stage: Stage, image_path: str, before: Instruction | None) -> list[str]:
        found: list[str] = []
        for copy in self.copies(stage):
            if before is not None and copy.instruction.line >= before.line:
                break
            candidates = [c for source in copy.sources for c in _map_source(source, copy.dest, image_path)]
            found = [posixpath.normpath(c) for c in candidates] + found
        return found

    def _link_target(self, stage: Stage, image_path: str, before: Instruction | None) -> str | None:
        """Where ``image_path`` leads through a link a RUN made, the latest first: the link itself
        (``ln -s /home/app/run.sh /run.sh``), a link into a folder (``ln -s /home/app/run.sh /usr/local/bin/``), or a
        path under a linked folder (``ln -s /home/app/src /app``)."""
        for instruction, workdir, _ in reversed(list(self._walk(stage))):
            if instruction.keyword != "RUN" or (before is not None and instruction.line >= before.line) \
                    or "ln" not in instruction.args:  # the text first: splitting a long RUN into commands costs
                continue
            for command in reversed(instruction.commands):
                if command.words[:1] != ("ln",):
                    continue
                options = [word for word in command.words[1:] if word.startswith("-")]
                operands = [word for word in command.words[1:] if not word.startswith("-")]
                if len(operands) != 2 or not any("s" in option.lstrip("-") for option in options
                                                 if not option.startswith("--")):
                    continue
                target, link = operands
                link = posixpath.normpath(posixpath.join(workdir, link))
                target = posixpath.normpath(posixpath.join(posixpath.dirname(link), target))
                if "$" in target:
                    continue
                if image_path == link:
                    return target
                if image_path == posixpath.join(link, posixpath.basename(target)):
                    return target
                if image_path.startswith(link + "/"):
                    return target + image_path[len(link):]
        return None


MAX_GLOB = 256
"""A COPY source pattern longer than this matches nothing djcheck reads (fnmatch's cost grows with it)."""


def _map_source(source: str, dest: str, image_path: str) -> list[str]:
    source = "." if source in {".", "./"} else posixpath.normpath(source.lstrip("/"))
    folder = dest.rstrip("/")
    candidates = []
    pattern = posixpath.basename(source)
    if any(char in pattern for char in "*?["):  # `COPY docker/*.sh /usr/bin/`: each file it matches, by its name
        name = image_path[len(folder) + 1:] if image_path.startswith(folder + "/") else ""
        if name and "/" not in name and len(pattern) <= MAX_GLOB and fnmatch.fnmatchcase(name, pattern) \
                and not any(char in posixpath.dirname(source) for char in "*?["):
            candidates.append(posixpath.join(posixpath.dirname(source), name))
        return candidates
    if dest.endswith("/") and image_path == folder + "/" + posixpath.basename(source):
        candidates.append(source)  # a file copied into a folder
    if not dest.endswith("/") and image_path == folder:
        candidates.append(source)  # a file copied to a file name
    if image_path.startswith(folder + "/"):
        candidates.append(posixpath.join(source, image_path[len(folder) + 1:]))  # a folder's content
    if not dest.endswith("/") and image_path == folder + "/" + posixpath.basename(source):
        candidates.append(source)  # a file copied into a folder the image already has (`COPY entrypoint.sh /home`)
    return candidates


def key_values(args: str) -> list[tuple[str, str]]:
    """The pairs of an ``ENV``/``LABEL`` (``K=V K2="V 2"`` or legacy ``K V``)."""
    text = args.strip()
    first = text.split(None, 1)
    if not first:
        return []
    if "=" not in first[0]:  # BuildKit removes the quotes of the value as of any word: `ENV K "v"` sets v
        value = first[1].strip() if len(first) > 1 else ""
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" and value[0] not in value[1:-1]:
            value = value[1:-1]
        return [(first[0], value)]
    return [tuple(word.split("=", 1)) for word in words(text) if "=" in word]  # type: ignore[misc]


def arg_pairs(args: str) -> list[tuple[str, str | None]]:
    """The declarations of an ``ARG`` (``NAME`` or ``NAME=default``, several allowed)."""
    pairs: list[tuple[str, str | None]] = []
    for word in words(args):
        name, sep, value = word.partition("=")
        pairs.append((name, value if sep else None))
    return pairs


VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")
PLAIN_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
"""``$VAR`` alone: what :data:`VARIABLE` can match after the last ``}`` of a text."""


MAX_PATH_PARTS = 256  # folders a PATH keeps: an ENV that prepends to itself in a loop of stages stays bounded


def expand(text: str, variables: dict[str, str | None]) -> str | None:
    """Substitute ``$VAR``/``${VAR}``/``${VAR:-default}``/``${VAR:+alt}``; None if a value is unknown."""
    unknown = False

    def value_of(name: str, operator: str | None, word: str) -> str:
        nonlocal unknown
        value = variables.get(name)
        if operator in {":-", "-"}:
            return value if value else word
        if operator in {":+", "+"}:
            return word if value else ""
        if value is None:
            unknown = True
            return ""
        return value

    # After the last "}" only $VAR can match. Matched with VARIABLE there, each "${a:-" would scan to the
    # end of the text for a "}" that never comes: 150,000 of them took seconds a call.
    last = text.rfind("}") + 1
    result = (VARIABLE.sub(lambda m: value_of(m.group(1) or m.group(4), m.group(2), m.group(3) or ""), text[:last])
              + PLAIN_VARIABLE.sub(lambda m: value_of(m.group(1), None, ""), text[last:]))
    return None if unknown else result


def escape_character(lines: list[str]) -> str:
    """The escape character set by the ``# escape=`` parser directive (default backslash)."""
    for line in lines:
        match = ESCAPE_DIRECTIVE.match(line)
        if match:
            return match.group(1)
        if not re.match(r"^\s*#\s*[a-z]+\s*=", line, re.I):
            break
    return "\\"


def _extents(text: str) -> list[tuple[str, int, int, str, tuple[str, ...]]]:
    """(keyword, first line, last line, logical line, heredoc bodies) of every instruction."""
    # Imported here, as each parser library is: only when used.
    from dockerfile_parse import DockerfileParser

    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")), env_replace=False)
    starts = [entry["startline"] for entry in parser.structure if entry["instruction"] != "COMMENT"]
    lines = text.splitlines()
    escape = escape_character(lines)
    continuation = re.compile(re.escape(escape) + r"[ \t]*$")
    result = []
    consumed = -1
    for start in starts:
        if start <= consumed:
            continue  # inside a previous instruction: a heredoc body or a broken continuation
        logical, index = "", start
        body, more = _strip_continuation(lines[start], continuation)
        logical = body.lstrip()
        while more and index + 1 < len(lines):
            index += 1
            line = lines[index]
            if line.lstrip().startswith("#") or not line.strip():
                continue
            body, more = _strip_continuation(line, continuation)
            logical += body
        head = re.match(r"(\S*)(\s*)(.*)", logical, re.S)
        assert head is not None  # every group may be empty and ``.`` takes line breaks (re.S): it always matches
        keyword, _, rest = head.groups()
        keyword = keyword.upper()
        heredocs: list[str] = []
        if keyword in HEREDOC_INSTRUCTIONS:
            for dash, _, name in HEREDOC_MARKER.findall(rest):
                body_lines = []
                while True:
                    index += 1
                    if index >= len(lines):
                        raise ParseError(f"unterminated heredoc <<{name} in {keyword}", start + 1)
                    line = lines[index].lstrip("\t") if dash else lines[index]
                    if line == name:
                        break
                    body_lines.append(lines[index])
                heredocs.append("\n".join(body_lines))
        consumed = index
        result.append((keyword, start + 1, index + 1, rest.strip(), tuple(heredocs)))
    return result


def _strip_continuation(line: str, continuation: re.Pattern[str]) -> tuple[str, bool]:
    match = continuation.search(line)
    return (line[: match.start()], True) if match else (line, False)


def parse_dockerfile(path: Path, text: str) -> Dockerfile:
    """Parse a Dockerfile; raise :class:`ParseError` where BuildKit would refuse it."""
    instructions = []
    lines = text.splitlines()
    for keyword, line, end_line, rest, heredocs in _extents(text):
        if keyword not in KNOWN:
            written = lines[line - 1].split(None, 1)[0] if lines[line - 1].split() else keyword
            raise ParseError(f"unknown instruction: {written}", line)
        flags = []
        while match := FLAG.match(rest):
            flags.append((match.group(1), match.group(2)))
            rest = rest[match.end():]
        exec_form, ignored = json_array(rest, line) if keyword in EXEC_FORM_INSTRUCTIONS else (None, "")
        column = 1 + len(lines[line - 1]) - len(lines[line - 1].lstrip())
        instructions.append(Instruction(keyword, line, end_line, column, rest, tuple(flags), exec_form, heredocs,
                                        ignored))
    if not instructions:
        raise ParseError("file with no instructions", 1)
    return _with_stages(path, tuple(instructions))


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN and Infinity; Go's does not


LONE_SURROGATE = re.compile("[\ud800-\udfff]")
JSON_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def json_array(rest: str, line: int) -> tuple[tuple[str, ...] | None, str]:
    """The exec-form words of arguments as BuildKit reads them, and the text it ignores after them.

    Builders before BuildKit's Dockerfile frontend 1.9 decoded the first JSON value (Go's
    ``json.Decoder``) and dropped whatever follows it; 1.9 and later read such a line as
    shell form (DJC115 reports it; the other rules read the array). Arguments that do not
    start with a valid JSON array are shell form (None). An array holding anything but
    strings is an error BuildKit refuses.
    """
    if not rest.startswith("["):
        return None, ""
    try:
        parsed, end = JSON_DECODER.raw_decode(rest)
    except (ValueError, RecursionError):
        return None, ""
    if not isinstance(parsed, list):
        return None, ""
    if not all(isinstance(item, str) for item in parsed):
        raise ParseError("a JSON array of arguments must hold only strings", line)
    # Go replaces a lone surrogate escape (\ud800) with U+FFFD; Python would keep it.
    return tuple(LONE_SURROGATE.sub("\ufffd", item) for item in parsed), rest[end:].strip()


def _with_stages(path: Path, instructions: tuple[Instruction, ...]) -> Dockerfile:
    global_args: dict[str, str | None] = {}
    groups: list[list[Instruction]] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            groups.append([instruction])
        elif groups:
            groups[-1].append(instruction)
        elif instruction.keyword == "ARG":
            global_args.update(arg_pairs(instruction.args))
        else:
            raise ParseError(f"{instruction.keyword} before the first FROM", instruction.line)
    if not groups:
        raise ParseError("no FROM instruction", instructions[0].line)
    stages: list[Stage] = []
    names: dict[str, int] = {}
    for index, group in enumerate(groups):
        words = group[0].words()
        base = words[0] if words else ""
        name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
        image = expand(base, global_args) or ""
        parent = names.get(image.lower())
        stages.append(Stage(index, group[0], image, name, parent, tuple(group)))
        if name:
            names[name] = index
    return Dockerfile(path, instructions, tuple(stages), global_args)
