"""Compose files -> services with positions, interpolated and merged as Compose does.

ruamel.yaml keeps the line and column of every key, so each value in the model can
say where it was written. Values are interpolated from the project's ``.env``
(``${VAR}``, ``${VAR:-d}``, ``${VAR-d}``, ``${VAR:?err}``, ``${VAR:+x}``, ``$$``);
short and long syntax of ``ports``, ``volumes``, ``depends_on``, ``environment`` and
``build`` are normalised to one shape. A file and its override are merged by
Compose's rules. The tests compare the result with ``docker compose config``.
"""

from __future__ import annotations

import posixpath
import re
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from djlint_docker.parse import ParseError
from djlint_docker.parse.envfile import parse_env_file
from djlint_docker.parse.shell import compose_words
from djlint_docker.positions import Location
from djlint_docker.records import record, replaced

T = TypeVar("T")
NOTHING: Mapping[str, Any] = MappingProxyType({})  # the default of a mapping field, never written to

DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
MAX_EXTENDS = 10
MAX_DEPTH = 100  # real compose files nest about 6 levels
MAX_VALUES = 100_000  # real compose files hold a few hundred values
OVERRIDES = {
    "compose.yaml": ("compose.override.yaml", "compose.override.yml"),
    "compose.yml": ("compose.override.yml", "compose.override.yaml"),
    "docker-compose.yaml": ("docker-compose.override.yaml", "docker-compose.override.yml"),
    "docker-compose.yml": ("docker-compose.override.yml", "docker-compose.override.yaml"),
}


@record
class Located(Generic[T]):
    """A value (of the type ``Located[...]`` names) and where it was written."""

    value: T
    location: Location


@record
class EnvEntry:
    """One ``environment:`` entry: the value Compose passes (None: taken from the shell) and as written."""

    value: str | None
    raw: str | None
    location: Location


@record
class Port:
    """One published port, normalised from short or long syntax."""

    target: str
    published: str | None
    host_ip: str | None
    protocol: str
    location: Location


@record
class Mount:
    """One volume entry: ``bind`` (source is an absolute path), ``volume`` or ``tmpfs``."""

    type: str
    source: str | None
    target: str
    location: Location


@record
class EnvFileRef:
    """An ``env_file:`` entry, resolved against the compose file's folder."""

    path: Path
    required: bool
    location: Location


@record
class Build:
    """Where a service's image is built from."""

    context: Path
    dockerfile: Path
    location: Location
    target: str | None = None  # the stage to build; None: the last one
    written: frozenset[str] = frozenset({"context", "dockerfile"})  # the keys a ``build:`` mapping sets
    args: frozenset[str] = frozenset()  # the build arguments ``args:`` names (a value, or one from the shell)
    contexts: frozenset[str] = frozenset()  # the names ``additional_contexts:`` gives (``COPY --from=parent``)


@record
class Service:
    """One service; ``keys`` holds the position of every key the files set."""

    name: str
    location: Location
    keys: Mapping[str, Location] = NOTHING
    image: Located[str] | None = None
    build: Build | None = None
    command: Located[tuple[str, ...]] | None = None
    entrypoint: Located[tuple[str, ...]] | None = None
    environment: Mapping[str, EnvEntry] = NOTHING
    env_files: tuple[EnvFileRef, ...] = ()
    ports: tuple[Port, ...] = ()
    volumes: tuple[Mount, ...] = ()
    depends_on: Mapping[str, Located[str]] = NOTHING
    healthcheck: Located[dict[str, Any]] | None = None
    links: Located[tuple[str, ...]] | None = None
    profiles: tuple[str, ...] = ()  # started only when one of them is enabled
    external_links: Located[tuple[str, ...]] | None = None  # containers outside the stack, by ``name[:alias]``
    volumes_from: Located[tuple[str, ...]] | None = None  # ``service[:ro]`` or ``container:name[:ro]``
    image_chosen: bool = False  # ``image:`` is one variable as a whole (``${IMAGE-app:latest}``): the runner picks it
    image_variable: bool = False  # ``image:`` holds a variable anywhere (``app:${TAG:-stable}``): the runner picks it
    resets: frozenset[str] = frozenset()  # keys written ``!reset``: a merge removes what the base file set
    replaces: frozenset[str] = frozenset()  # keys written ``!override``: a merge replaces the base's value whole
    merges: tuple[Located[str], ...] = ()  # the anchored mappings its merge keys bring (``<<: *app``): name, start
    network_mode: Located[str] | None = None  # ``bridge`` (Docker's default bridge), ``host``, ``service:db`` ...
    container_name: Located[str] | None = None  # the name other containers of its network resolve, interpolated
    extra_hosts: tuple[str, ...] = ()  # the names ``extra_hosts:`` maps to an address (``postgres:host-gateway``)
    labels: Mapping[str, str] = NOTHING  # ``labels:``, as written (a list's ``key=value`` items, or a mapping)
    extends: str | None = None  # the service of the same file ``extends:`` builds it on (a template it fills in)
    networks: frozenset[str] | None = None  # the stack's networks it joins; None: ``networks:`` unwritten (default)

    @property
    def linked(self) -> frozenset[str]:
        """The services its ``depends_on`` and ``links`` (``name:alias``) name: Compose starts them first."""
        links = self.links.value if self.links else ()
        return frozenset(self.depends_on) | {link.split(":")[0] for link in links}


@record
class Stack:
    """The services of one compose file merged with its overrides."""

    files: tuple[Path, ...]
    services: dict[str, Service]
    versions: tuple[Located[str], ...] = ()  # the top-level ``version:`` of each file that writes one
    problems: tuple[ParseError, ...] = ()  # values of the wrong type, reported and skipped
    unset_variables: tuple[Located[str], ...] = ()  # ${VAR} unset and without a default
    required_variables: tuple[Located[str], ...] = ()  # ${VAR:?err} unset: the deploy shell must set it
    name: str | None = None  # the top-level ``name:``: the project's name, which images it builds are named after
    version_1_files: tuple[Path, ...] = ()  # files in the version 1 format (services at the top level)
    volumes: frozenset[str] = frozenset()  # the named volumes the files declare under the top-level ``volumes:``
    external_networks: frozenset[str] = frozenset()  # top-level ``networks:`` made outside the stack (``external``)


def load_yaml(text: str, duplicates: list[ParseError] | None = None) -> Any:
    """Load YAML keeping positions; raise :class:`ParseError` with the parser's own words.

    Nesting deeper than :data:`MAX_DEPTH` is refused before parsing (the parser recurses),
    and a document whose aliases expand to more than :data:`MAX_VALUES` values (an alias
    bomb: a few lines standing for billions of values) after it.

    Given a ``duplicates`` list, a key written twice in one mapping (which Compose refuses)
    is added to it instead of raised, and the file is read with the last value of each
    such key: the rest of the file, and the settings and images it names, are still checked.
    """
    # Imported here: a setup without a compose file never pays for it.
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
    from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError

    _check_depth(text)
    yaml = YAML(typ="rt")
    while True:
        try:
            with warnings.catch_warnings():  # an anchor defined again names the new value from there on
                warnings.simplefilter("ignore", ReusedAnchorWarning)
                documents = list(yaml.load_all(text))
            break
        except MarkedYAMLError as error:
            problem = _marked_problem(error)
            if duplicates is None or yaml.allow_duplicate_keys or not isinstance(error, DuplicateKeyError) \
                    or yaml.Constructor is not RoundTripConstructor:
                # a duplicate merge key (`<<:` twice) no constructor reads: the file is not read, as Compose refuses it
                raise problem from None
            duplicates.append(ParseError(f"{problem.message}; Compose refuses the file (djcheck reads the last "
                                         f"value)", problem.line, problem.column))
            yaml = YAML(typ="rt")  # a new reader: the old one's constructor keeps refusing duplicates
            yaml.Constructor = _last_value_wins()
        except (YAMLError, RecursionError, ValueError) as error:
            raise ParseError(str(error).splitlines()[0] if str(error) else type(error).__name__) from None
    if len(documents) > 1:
        raise ParseError("several YAML documents in one compose file", 1)
    data = documents[0] if documents else None
    if _expanded_size(data) > MAX_VALUES:
        raise ParseError(f"the aliases expand to more than {MAX_VALUES} values (an alias bomb); not read", 1)
    return data


def _last_value_wins() -> type:
    """A round-trip constructor that keeps the last value of a key written twice (the one written to replace the
    first, as PyYAML reads it), where ruamel's keeps the first."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class LastValueWins(RoundTripConstructor):
        def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any) -> bool:
            if key in mapping:
                del mapping[key]
            return True

    return LastValueWins


def _marked_problem(error: Any) -> ParseError:
    """ruamel's error as a :class:`ParseError` at the place it marks, in its own words."""
    mark = error.problem_mark or error.context_mark
    # ruamel names a duplicate key "with value" and the whole value (thousands of characters): the key says enough
    problem = DUPLICATE_VALUE.sub("", str(error.problem)) if error.problem else ""
    words = " ".join(str(part) for part in (error.context, problem) if part)[:MAX_MESSAGE]
    start = error.context_mark
    if start is not None and mark is not None and start.line != mark.line:
        words += f" (it started on line {start.line + 1})"
    return ParseError(words or str(error), mark.line + 1 if mark else 1, mark.column + 1 if mark else 1)


DUPLICATE_VALUE = re.compile(r"\s+with value .*", re.S)
MAX_MESSAGE = 300


def _check_depth(text: str) -> None:
    """Refuse flow (``[{``) or block (indentation) nesting deeper than MAX_DEPTH, from the text alone."""
    indents: list[int] = []
    flow = 0  # open [ and { carry over lines
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        while indents and indents[-1] > indent:
            indents.pop()
        if not indents or indents[-1] < indent:
            indents.append(indent)
        quote = None
        for char in stripped:
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char in "[{":
                flow += 1
            elif char in "]}":
                flow = max(0, flow - 1)
            elif char == "#":
                break
            if len(indents) + flow > MAX_DEPTH:
                raise ParseError(f"nested more than {MAX_DEPTH} levels deep", number)


def _expanded_size(data: Any) -> int:
    """How many values the document holds with every alias expanded (shared nodes counted once each use)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else []
        if done:
            sizes[id(node)] = min(MAX_VALUES + 1, 1 + sum(sizes.get(id(child), 1) for child in children))
        elif id(node) not in sizes:
            sizes[id(node)] = MAX_VALUES + 1  # a node met again before it is finished refers to itself
            stack.append((node, True))
            stack.extend((child, False) for child in children if isinstance(child, (dict, list)))
    return sizes.get(id(data), 1)


def interpolate(text: str, env: dict[str, str], unset: set[str] | None = None,
                required: set[str] | None = None) -> str:
    """Compose's variable substitution; a bad format raises :class:`ParseError`.

    Names read without a default and unset go to ``unset`` (Compose substitutes an empty
    string); unset names marked required (``${VAR:?err}``) go to ``required``.
    """
    return _Interpolation(text, env, unset, required).between(0, len(text), 0)


NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
BRACED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?")  # what ``${`` holds before a default or error text
BRACE = re.compile(r"[{}]")


class _Interpolation:
    """One value being interpolated, read in place.

    A default (``${VAR:-word}``) is interpolated as a range of the same text, and every
    brace is paired once beforehand: copying each nested default out and scanning it again
    took time quadratic in the value's length, and recursion as deep as its nesting.
    """

    def __init__(self, text: str, env: dict[str, str], unset: set[str] | None, required: set[str] | None) -> None:
        self.text = text
        self.env = env
        self.unset = unset
        self.required = required
        self.closing: dict[int, int] = {}  # offset of each { -> offset of its } (Compose counts every brace)
        if "${" in text:
            opened: list[int] = []
            for brace in BRACE.finditer(text):
                if brace.group() == "{":
                    opened.append(brace.start())
                elif opened:
                    self.closing[opened.pop()] = brace.start()

    def between(self, start: int, stop: int, depth: int) -> str:
        """``text[start:stop]`` interpolated; ``depth`` defaults enclose it."""
        text = self.text
        if depth > MAX_DEPTH:
            raise ParseError(f"variables nested more than {MAX_DEPTH} levels deep in {text[start:stop]!r}")
        out: list[str] = []
        index = start
        while index < stop:
            dollar = text.find("$", index, stop)
            if dollar < 0:
                out.append(text[index:stop])
                break
            out.append(text[index:dollar])
            index = dollar
            following = text[index + 1] if index + 1 < stop else ""
            if following == "$":
                out.append("$")
                index += 2
            elif following == "{":
                close = self.closing.get(index + 1, -1)
                match = BRACED.match(text, index + 2, close) if close >= 0 else None
                if match is None or (match.group(2) is None and match.end() != close):
                    raise ParseError(f"invalid interpolation format in {text[start:stop]!r}")
                out.append(self.substitute(match.group(1), match.group(2), match.end(), close, depth))
                index = close + 1
            elif (name := NAME.match(text, index + 1, stop)) is not None:
                out.append(self.substitute(name.group(), None, 0, 0, depth))
                index = name.end()
            else:
                out.append("$")
                index += 1
        return "".join(out)

    def substitute(self, name: str, operator: str | None, start: int, stop: int, depth: int) -> str:
        """The value of ``name``; ``text[start:stop]`` is the word after the operator."""
        value = self.env.get(name)
        missing = value is None or (operator is not None and operator.startswith(":") and value == "")
        if operator in {":-", "-"}:
            return self.between(start, stop, depth + 1) if missing else value  # type: ignore[return-value]
        if operator in {":?", "?"}:
            # Compose refuses to run without it; the deploy shell usually provides it, so it reads as unset here.
            if missing and self.required is not None:
                self.required.add(name)
            return value or ""
        if operator in {":+", "+"}:
            return "" if missing else self.between(start, stop, depth + 1)
        if value is None and self.unset is not None:
            self.unset.add(name)
        return value or ""


class _Reader:
    """Builds the services of one compose file, collecting type problems."""

    def __init__(self, path: Path, env: dict[str, str], load: Callable[[Path], str | None],
                 depth: int = 0, folder: Path | None = None) -> None:
        self.path = path
        self.folder = folder or path.parent  # what relative paths start from: the first file's folder for overrides
        self.env = env
        self.load = load
        self.depth = depth
        self.problems: list[ParseError] = []
        self.unset: list[Located[str]] = []
        self.required: list[Located[str]] = []
        self.nodes: dict[str, Any] = {}  # the raw service mappings, by name
        self.locations: dict[str, Location] = {}
        self.built: dict[str, Service | None] = {}
        self.others: dict[Path, _Reader | None] = {}
        self.removed: set[str] = set()  # services this file resets (``web: !reset``)
        self.declared_volumes: set[str] = set()  # the named volumes its top-level ``volumes:`` declares
        self.external_networks: set[str] = set()  # the networks its top-level ``networks:`` says another made
        self.version_1 = False  # services written at the top level
        self.name: str | None = None  # the top-level ``name:``

    def at(self, line_col: tuple[int, int]) -> Location:
        return Location(self.path, line_col[0] + 1, line_col[1] + 1)

    def key_at(self, mapping: Any, key: Any) -> Location:
        """Where ``key`` is written: in the mapping, or in the anchored mapping a merge key (``<<:``) brings it from."""
        found = _key_position(mapping, key, 0)
        if found is not None:
            return self.at(found)
        return self.at((getattr(mapping.lc, "line", 0) or 0, getattr(mapping.lc, "col", 0) or 0))

    def item_at(self, sequence: Any, index: int, fallback: Location) -> Location:
        try:
            return self.at(sequence.lc.item(index))
        except (AttributeError, KeyError, TypeError, IndexError):
            return fallback

    def text(self, value: Any, where: Location) -> str:
        """A scalar as Compose sees it: interpolated string (booleans lower-case)."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            problem = ParseError("expected a single value, found a mapping or list", where.line, where.column)
            self.problems.append(problem)
            return ""
        unset: set[str] = set()
        required: set[str] = set()
        try:
            result = interpolate(str(value), self.env, unset, required)
        except ParseError as error:
            self.problems.append(ParseError(error.message, where.line, where.column))
            return str(value)
        self.unset.extend(Located(name, where) for name in sorted(unset))
        self.required.extend(Located(name, where) for name in sorted(required))
        return result

    def wrong(self, what: str, expected: str, where: Location) -> None:
        self.problems.append(ParseError(f"{what} must be {expected}", where.line, where.column))

    def stack(self, data: Any) -> tuple[dict[str, Service], Located[str] | None]:
        if data is None:
            return {}, None
        if not isinstance(data, dict):
            raise ParseError("a compose file must be a mapping at the top level")
        version = None
        if isinstance(data.get("name"), (str, int)) and not isinstance(data.get("name"), bool):
            self.name = self.text(data["name"], self.key_at(data, "name"))
        if "version" in data:
            where = self.key_at(data, "version")
            version = Located(self.text(data["version"], where), where)
        if isinstance(data.get("volumes"), dict):
            self.declared_volumes = {str(name) for name in data["volumes"]}
        if isinstance(data.get("networks"), dict):
            self.external_networks = {str(name) for name, network in data["networks"].items()
                                      if isinstance(network, dict) and network.get("external") not in (None, False)}
        services_node = data.get("services")
        names = list(services_node) if isinstance(services_node, dict) else self.top_level_services(data)
        if services_node is None and names:
            services_node = data
        if services_node is None:
            return {}, version
        if not isinstance(services_node, dict):
            self.wrong("services", "a mapping", self.key_at(data, "services"))
            return {}, version
        self.adopt(services_node, names)
        services = {}
        for name in names:
            if _tag(services_node[name]) == "!reset":  # `web: !reset` in an override removes the service
                self.removed.add(str(name))
                continue
            service = self.named(str(name))
            if service is not None:
                services[str(name)] = service
        return services, version

    def top_level_services(self, data: dict) -> list:
        """The services of a version 1 file, written at the top level; reported, since Compose refuses the file."""
        names = [key for key, value in data.items() if str(key) not in TOP_LEVEL and not str(key).startswith("x-")
                 and isinstance(value, dict) and SOURCES & set(map(str, value))]
        if names:
            self.version_1 = True
            where = self.key_at(data, names[0])
            self.problems.append(ParseError(
                "services written at the top level, in the version 1 format: Compose no longer reads it and refuses "
                "the file; put them under `services:` (djcheck reads them so)", where.line, where.column))
        return names

    def included(self, data: Any) -> list[tuple[Path, str, dict[str, str]]]:
        """The files ``include:`` names (paths resolved against this file's folder), in order, each with the
        variables it is interpolated with: those of the entry's ``env_file:`` (``include: [{path: base.yaml,
        env_file: [.env.base, .env.dev]}]``) under this file's, which win as the shell's do."""
        value = data.get("include") if isinstance(data, dict) else None
        if value is None:
            return []
        where = self.key_at(data, "include")
        if not isinstance(value, list):
            self.wrong("include", "a list", where)
            return []
        paths: list[tuple[Path, dict[str, str]]] = []
        for index, item in enumerate(value):
            at = self.item_at(value, index, where)
            entry = item.get("path") if isinstance(item, dict) else item
            env = {**self._include_env_files(item.get("env_file") if isinstance(item, dict) else None), **self.env}
            for each in entry if isinstance(entry, list) else [entry]:
                if isinstance(each, (str, int, float)) and not isinstance(each, bool):
                    paths.append((Path(posixpath.normpath(str(self.folder / self.text(each, at)))), env))
                else:
                    self.wrong(f"include[{index}]", "a path, a list of paths or a mapping with `path`", at)
        found: list[tuple[Path, str, dict[str, str]]] = []
        for path, env in paths:
            text = self.load(path)
            if text is None:
                self.problems.append(ParseError(f"include: cannot read {path.name}", where.line, where.column))
            else:
                found.append((path, text, env))
        return found

    def _include_env_files(self, value: Any) -> dict[str, str]:
        """The variables of an ``include:`` entry's ``env_file:`` (a path or a list of paths, from this file's
        folder), the later files winning; a file that cannot be read or parsed sets nothing."""
        found: dict[str, str] = {}
        for name in value if isinstance(value, list) else [value] if value is not None else []:
            text = self.load(Path(posixpath.normpath(str(self.folder / str(name))))) \
                if isinstance(name, str) else None
            try:
                variables = parse_env_file(text, lenient=True) if text is not None else {}
            except ParseError:
                variables = {}
            found.update({key: variable.value for key, variable in variables.items() if variable.value is not None})
        return found

    def adopt(self, services: dict, names: list | None = None) -> None:
        """Take the ``services:`` mapping of this file (or the ``names`` in it), its names as strings."""
        names = list(services) if names is None else names
        self.nodes = {str(name): services[name] for name in names}
        self.locations = {str(name): self.key_at(services, name) for name in names}

    def named(self, name: str, chain: tuple[str, ...] = ()) -> Service | None:
        """The service ``name`` of this file with its ``extends`` resolved (None if it is no mapping)."""
        if name in self.built:
            return self.built[name]
        node = self.nodes.get(name)
        where = self.locations.get(name, Location(self.path))
        if node is None and name in self.nodes:
            node = {}
        if not isinstance(node, dict):
            self.wrong(f"service {name}", "a mapping", where)
            self.built[name] = None
            return None
        self.built[name] = None  # a cycle of extends ends here
        service = self.service(name, node, where)
        if "extends" in node:
            base = self.extended(name, node["extends"], service.keys["extends"], chain + (f"{self.path}:{name}",))
            if base is not None:
                service = merge(replaced(base, name=name, location=where), service)
                if isinstance(node["extends"], str) or node["extends"].get("file") is None:
                    service = replaced(service, extends=base.name)
        self.built[name] = service
        return service

    def extended(self, name: str, value: Any, where: Location, chain: tuple[str, ...]) -> Service | None:
        """The service an ``extends:`` names, in this file or in another one."""
        if isinstance(value, str):
            written, file = value, None
        elif isinstance(value, dict) and isinstance(value.get("service"), str):
            written, file = value["service"], value.get("file")
        else:
            self.wrong(f"services.{name}.extends", "a service name or a mapping with `service`", where)
            return None
        unknown = len(self.unset)
        base_name = self.text(written, where)  # Compose interpolates the name: `${CI_PROJECT_NAME}-django-dev`
        if len(self.unset) > unknown:
            return None  # named from a variable the shell gives: the service it extends is unknown
        if len(chain) > MAX_EXTENDS:
            self.problems.append(ParseError(f"services.{name}.extends: too deep", where.line, where.column))
            return None
        reader: _Reader | None = self
        if file is not None:
            reader = self.other(self.folder / self.text(file, where), where)
        if reader is None:
            return None
        if base_name not in reader.nodes:
            self.problems.append(ParseError(f"services.{name}.extends: no service {base_name!r} to extend",
                                            where.line, where.column))
            return None
        return reader.named(base_name, chain)

    def readers(self) -> list[_Reader]:
        """This reader and those of the files its services extend."""
        found = [self]
        for other in self.others.values():
            if other is not None:
                found += [r for r in other.readers() if r not in found]
        return found

    def other(self, path: Path, where: Location) -> _Reader | None:
        """A reader for another compose file that ``extends`` names."""
        if path not in self.others:
            text = self.load(path)
            reader = None
            if text is None:
                self.problems.append(ParseError(f"extends: cannot read {path.name}", where.line, where.column))
            elif self.depth >= MAX_EXTENDS:
                self.problems.append(ParseError("extends: too deep", where.line, where.column))
            else:
                reader = _Reader(path, self.env, self.load, self.depth + 1)
                try:
                    data = load_yaml(text)
                except ParseError as error:
                    self.problems.append(ParseError(f"extends: {path.name}: {error.message}", where.line, where.column))
                    data = None
                services = data.get("services") if isinstance(data, dict) else None
                if isinstance(services, dict):
                    reader.adopt(services)
            self.others[path] = reader
        return self.others[path]

    def service(self, name: str, node: dict, where: Location) -> Service:
        keys = {str(key): self.key_at(node, key) for key in node}
        merges = tuple(Located(str(anchor), self.at((getattr(lc, "line", 0) or 0, getattr(lc, "col", 0) or 0)))
                       for source in getattr(node, "merge", None) or ()
                       if isinstance(merged := source[1] if isinstance(source, tuple) else source, dict)
                       and (anchor := getattr(getattr(merged, "anchor", None), "value", None))
                       and (lc := getattr(merged, "lc", None)) is not None)
        resets = frozenset(str(key) for key in node if _tag(node[key]) == "!reset")
        merged = {key: value for key in resets if (value := _merged_value(node, key)) is not _ABSENT}
        if merged:  # Compose keeps what a merge key (``<<: *app``) brings in place of a `!reset` beside it
            node = {**node, **merged}
            resets -= merged.keys()
        replaces = frozenset(str(key) for key in node if _tag(node[key]) == "!override")
        fields: dict[str, Any] = {}
        readers = {
            "image": self.image, "build": self.build, "command": self.command, "entrypoint": self.command,
            "environment": self.environment, "env_file": self.env_files, "ports": self.ports,
            "volumes": self.volumes, "depends_on": self.depends_on, "healthcheck": self.healthcheck,
            "links": self.links, "profiles": self.profiles, "external_links": self.links,
            "volumes_from": self.links, "network_mode": self.image, "extra_hosts": self.extra_hosts,
            "labels": self.labels, "container_name": self.image, "networks": self.networks,
        }
        for key, reader in readers.items():
            if key in node and key not in resets:
                fields[ATTRIBUTES.get(key, key)] = reader(node[key], keys[key], f"services.{name}.{key}")
        built = fields.get("build")
        if isinstance(built, Build) and not isinstance(node.get("build"), dict) and isinstance(
                node.get("dockerfile"), str) and node["dockerfile"]:  # the version 1 format's `dockerfile:` beside
            # `build: <context>`, from the context as in a `build:` mapping
            dockerfile = built.context / self.text(node["dockerfile"], keys["dockerfile"])
            fields["build"] = replaced(built, dockerfile=dockerfile, written=built.written | {"dockerfile"})
        for key in resets:
            keys.pop(key)
        image = node.get("image") if "image" not in resets else None
        if isinstance(image, str) and re.fullmatch(r"\$\{\w+(?::?[-?][^{}]*)?\}", image.strip()):
            fields["image_chosen"] = True
        if isinstance(image, str) and re.search(r"\$[{\w]", image.replace("$$", "")):
            fields["image_variable"] = True
        if resets:
            fields["resets"] = resets
        if replaces:
            fields["replaces"] = replaces
        if merges:
            fields["merges"] = merges
        return Service(name, where, keys, **{k: v for k, v in fields.items() if v is not None})

    def image(self, value: Any, where: Location, what: str) -> Located[str] | None:
        return Located(self.text(value, where), where)

    def build(self, value: Any, where: Location, what: str) -> Build | None:
        target = None
        written = frozenset({"context", "dockerfile"})
        args: frozenset[str] = frozenset()
        contexts: frozenset[str] = frozenset()
        if isinstance(value, dict):
            written = frozenset(str(key) for key in value)
            args = _names(value.get("args"))
            contexts = _names(value.get("additional_contexts"))
            context = self.text(value.get("context", "."), where) or "."
            dockerfile = self.text(value.get("dockerfile", "Dockerfile"), where) or "Dockerfile"
            target = self.text(value["target"], where) if value.get("target") is not None else None
        elif isinstance(value, (str, int, float)):
            context, dockerfile = self.text(value, where), "Dockerfile"
        else:
            self.wrong(what, "a path or a mapping", where)
            return None
        if re.match(r"^[a-z]+://|^git@", context):
            return None  # a remote context: nothing local to read
        context_path = self.folder / context
        return Build(context_path, context_path / dockerfile, where, target, written, args, contexts)

    def command(self, value: Any, where: Location, what: str) -> Located[tuple[str, ...]] | None:
        if value is None:
            return None
        if isinstance(value, list):  # a variable in an item is reported on the item's own line
            return Located(self.items(value, where), where)
        if isinstance(value, dict):
            self.wrong(what, "a string or a list", where)
            return None
        return Located(tuple(compose_words(self.text(value, where))), where)

    def environment(self, value: Any, where: Location, what: str) -> dict[str, EnvEntry] | None:
        result: dict[str, EnvEntry] = {}
        if isinstance(value, dict):
            for key, item in value.items():
                at = self.key_at(value, key)
                raw = None if item is None else str(item)
                result[str(key)] = EnvEntry(None if item is None else self.text(item, at), raw, at)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                at = self.item_at(value, index, where)
                name, sep, raw = str(item).partition("=")
                result[name] = EnvEntry(self.text(raw, at) if sep else None, raw if sep else None, at)
        elif value is not None:
            self.wrong(what, "a mapping or a list", where)
            return None
        return result

    def env_files(self, value: Any, where: Location, what: str) -> tuple[EnvFileRef, ...] | None:
        items = value if isinstance(value, list) else [value]
        result = []
        for index, item in enumerate(items):
            at = self.item_at(value, index, where) if isinstance(value, list) else where
            required = True
            if isinstance(item, dict):
                required = str(item.get("required", True)).lower() not in {"false", "0"}
                item = item.get("path")
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                self.wrong(what, "a path, a list of paths or of {path, required}", at)
                continue
            # `env_file: ${ENV_FILE}` unset names no file (not the compose file's folder): the written path stands
            text = self.text(item, at) or str(item)
            result.append(EnvFileRef(self._host_path(text), required, at))
        return tuple(result)

    def ports(self, value: Any, where: Location, what: str) -> tuple[Port, ...] | None:
        if not isinstance(value, list):
            self.wrong(what, "a list", where)
            return None
        result: list[Port] = []
        for index, item in enumerate(value):
            at = self.item_at(value, index, where)
            if isinstance(item, dict):
                published = item.get("published")
                result.append(Port(
                    self.text(item.get("target"), at),
                    None if published is None else self.text(published, at),
                    None if item.get("host_ip") is None else self.text(item.get("host_ip"), at),
                    self.text(item.get("protocol") or "tcp", at), at))
            elif isinstance(item, (str, int)) and not isinstance(item, bool):
                result.extend(short_port(self.text(item, at), at))
            else:
                self.wrong(f"{what}[{index}]", "a string, a number or a mapping", at)
        return tuple(result)

    def volumes(self, value: Any, where: Location, what: str) -> tuple[Mount, ...] | None:
        if not isinstance(value, list):
            self.wrong(what, "a list", where)
            return None
        result: list[Mount] = []
        for index, item in enumerate(value):
            at = self.item_at(value, index, where)
            if isinstance(item, dict):
                kind = self.text(item.get("type", "volume"), at)
                source = item.get("source")
                source_text = None if source is None else self.text(source, at)
                if kind == "bind" and source_text is not None:
                    # `source: ${HOST_PGDATA}` with the variable unset: a host path the shell gives, not this folder
                    source_text = str(self._host_path(source_text)) if source_text.strip() else None
                result.append(Mount(kind, source_text, _clean(self.text(item.get("target"), at)), at))
            elif isinstance(item, str):
                before = len(self.unset)
                mount = self._short_volume(self.text(item, at), at)
                unset = {found.value for found in self.unset[before:]}
                if mount.type == "bind" and unset and any(
                        re.search(rf"\$\{{?{re.escape(name)}\b", re.split(r":(?!\\)", item)[0]) for name in unset):
                    mount = replaced(mount, source=None)  # `./${DATA_DIR}:/recordings`, unset: the folder each user
                    # names, not the compose file's own
                result.append(mount)
            else:
                self.wrong(f"{what}[{index}]", "a string or a mapping", at)
        return tuple(result)

    def _short_volume(self, text: str, at: Location) -> Mount:
        drive = text[:2] if WINDOWS_DRIVE.match(text) else ""  # `C:/data:/data`: the drive's colon splits nothing
        parts = re.split(r":(?!\\)", text[len(drive):])
        parts[0] = drive + parts[0]
        if len(parts) == 1:
            return Mount("volume", None, _clean(parts[0]), at)
        source, target = parts[0], _clean(parts[1])
        if not source.strip():
            return Mount("bind", None, target, at)  # `${HOST_PGDATA}:/data`, unset: a host path the shell gives
        if source.startswith((".", "/", "~")) or re.match(r"^[A-Za-z]:", source):
            return Mount("bind", str(self._host_path(source)), target, at)
        return Mount("volume", source, target, at)

    def _host_path(self, source: str) -> Path:
        if WINDOWS_DRIVE.match(source):
            return Path("/" + source)  # `D:\Projects\db`: a folder of the Windows host, outside the project
        path = Path(source).expanduser()
        return Path(posixpath.normpath(str(self.folder / path))) if not path.is_absolute() else path

    def depends_on(self, value: Any, where: Location, what: str) -> dict[str, Located[str]] | None:
        result: dict[str, Located[str]] = {}
        if isinstance(value, list):
            for index, item in enumerate(value):
                at = self.item_at(value, index, where)
                result[self.text(item, at)] = Located("service_started", at)
        elif isinstance(value, dict):
            for name, item in value.items():
                at = self.key_at(value, name)
                condition = item.get("condition", "service_started") if isinstance(item, dict) else "service_started"
                result[str(name)] = Located(self.text(condition, at), at)
        else:
            self.wrong(what, "a list or a mapping", where)
            return None
        return result

    def healthcheck(self, value: Any, where: Location, what: str) -> Located[dict[str, Any]] | None:
        if not isinstance(value, dict):
            self.wrong(what, "a mapping", where)
            return None
        return Located(dict(value), where)

    def profiles(self, value: Any, where: Location, what: str) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.wrong(what, "a list of profile names", where)
            return None
        return self.items(value, where)

    def items(self, value: list, where: Location) -> tuple[str, ...]:
        """The items of a list as text, each interpolated at its own line."""
        return tuple(self.text(item, self.item_at(value, index, where)) for index, item in enumerate(value))

    def extra_hosts(self, value: Any, where: Location, what: str) -> tuple[str, ...] | None:
        """The host names of ``extra_hosts:``: a list of ``name:address`` (or ``name=address``), or a mapping."""
        if isinstance(value, dict):
            return tuple(str(name) for name in value)
        if not isinstance(value, list):
            self.wrong(what, "a list or a mapping", where)
            return None
        return tuple(re.split(r"[:=]", item, maxsplit=1)[0].strip() for item in self.items(value, where))

    def networks(self, value: Any, where: Location, what: str) -> frozenset[str] | None:
        """The networks a service joins: a list of names, or a mapping of them to their options."""
        if isinstance(value, dict):
            return frozenset(str(name) for name in value)
        if not isinstance(value, list):
            self.wrong(what, "a list or a mapping", where)
            return None
        return frozenset(self.items(value, where))

    def labels(self, value: Any, where: Location, what: str) -> dict[str, str] | None:
        """A service's labels: a mapping, or a list of ``key=value`` (a key alone is an empty label)."""
        if isinstance(value, dict):
            return {str(key): "" if item is None else str(item) for key, item in value.items()}
        if not isinstance(value, list):
            self.wrong(what, "a list or a mapping", where)
            return None
        return dict(item.partition("=")[::2] for item in self.items(value, where))

    def links(self, value: Any, where: Location, what: str) -> Located[tuple[str, ...]] | None:
        if not isinstance(value, list):
            self.wrong(what, "a list", where)
            return None
        return Located(self.items(value, where), where)


def _clean(target: str) -> str:
    """A container path as Compose normalises it (``/data/`` is ``/data``)."""
    return posixpath.normpath(target) if target else target


def short_port(text: str, at: Location) -> list[Port]:
    """Expand short port syntax: ``[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]``, ranges included."""
    spec, _, protocol = text.partition("/")
    host_ip = None
    match = re.match(r"^\[([^\]]+)\]:(.*)$", spec) or re.match(r"^(\d+\.\d+\.\d+\.\d+):(.*)$", spec)
    if match:
        host_ip, spec = match.group(1), match.group(2)
    published, _, target = spec.rpartition(":")
    targets = _port_range(target)
    publisheds = _port_range(published) if published else [None] * len(targets)
    if len(publisheds) != len(targets):
        if len(publisheds) > 1 and len(targets) == 1:
            return [Port(target, published, host_ip, protocol or "tcp", at)]
        publisheds = [published] * len(targets)
    return [Port(t, p, host_ip, protocol or "tcp", at) for t, p in zip(targets, publisheds, strict=True)]


def _port_range(text: str) -> list[str]:
    match = re.fullmatch(r"(\d+)-(\d+)", text)
    if match and 0 <= int(match.group(2)) - int(match.group(1)) <= 1000:
        return [str(n) for n in range(int(match.group(1)), int(match.group(2)) + 1)]
    return [text]


def merge(base: Service, override: Service) -> Service:
    """Compose's merge of one service defined in two files.

    A key written ``!reset`` in the override removes the base's value; one written
    ``!override`` replaces it whole instead of merging.
    """
    changes: dict[str, Any] = {"keys": {key: at for key, at in {**base.keys, **override.keys}.items()
                                        if key not in override.resets or key in override.keys}}
    for key in override.resets:
        attribute = ATTRIBUTES.get(key, key)
        if attribute in RESETTABLE:
            changes[attribute] = RESETTABLE[attribute]
    present = override.keys
    replace = ("image", "build", "command", "entrypoint", "healthcheck", "links", "external_links", "volumes_from",
               "network_mode", "container_name")
    if "image" in override.keys or "image" in override.resets:
        changes["image_chosen"] = override.image_chosen
        changes["image_variable"] = override.image_variable
    for key in present:
        if key in replace or key in override.replaces and ATTRIBUTES.get(key, key) in RESETTABLE:
            attribute = ATTRIBUTES.get(key, key)
            changes[attribute] = getattr(override, attribute)
    if "build" in present and "build" not in override.replaces and base.build and override.build:
        changes["build"] = _merged_build(base.build, override.build)
    present = {key: at for key, at in present.items() if key not in override.replaces}
    if "environment" in present:
        changes["environment"] = {**base.environment, **override.environment}
    if "depends_on" in present:
        changes["depends_on"] = {**base.depends_on, **override.depends_on}
    if "profiles" in present:
        changes["profiles"] = tuple(dict.fromkeys(base.profiles + override.profiles))
    if "extra_hosts" in present:
        changes["extra_hosts"] = tuple(dict.fromkeys(base.extra_hosts + override.extra_hosts))
    if "labels" in present:
        changes["labels"] = {**base.labels, **override.labels}
    if "networks" in present:
        changes["networks"] = (base.networks or frozenset()) | (override.networks or frozenset())
    if "env_file" in present:
        changes["env_files"] = base.env_files + override.env_files
    if "ports" in present:
        seen = {(p.host_ip, p.published, p.target, p.protocol) for p in base.ports}
        changes["ports"] = base.ports + tuple(
            p for p in override.ports if (p.host_ip, p.published, p.target, p.protocol) not in seen)
    if "volumes" in present:
        targets = {m.target for m in override.volumes}
        changes["volumes"] = tuple(m for m in base.volumes if m.target not in targets) + override.volumes
    changes["resets"] = base.resets | override.resets
    return replaced(base, **changes)


def _merged_build(base: Build, override: Build) -> Build:
    """A ``build:`` mapping merged key by key, as Compose does: ``build: {args: ...}`` keeps the base's context."""
    context = override.context if "context" in override.written else base.context
    if "dockerfile" in override.written:
        dockerfile = context / override.dockerfile.relative_to(override.context)
    else:
        dockerfile = context / Path(posixpath.relpath(base.dockerfile, base.context))
    target = override.target if "target" in override.written else base.target
    return Build(context, dockerfile, override.location, target, base.written | override.written,
                 base.args | override.args, base.contexts | override.contexts)


def _names(value: Any) -> frozenset[str]:
    """The names a ``build:`` mapping's ``args:`` or ``additional_contexts:`` gives, as a mapping or a list of
    ``NAME=value``."""
    if isinstance(value, dict):
        return frozenset(str(key) for key in value)
    if isinstance(value, list):
        return frozenset(str(item).partition("=")[0].strip() for item in value)
    return frozenset()


ATTRIBUTES = {"env_file": "env_files"}
"""The model's attribute for each compose key that is named otherwise."""

RESETTABLE: dict[str, Any] = {
    "image": None, "build": None, "command": None, "entrypoint": None, "environment": NOTHING, "env_files": (),
    "ports": (), "volumes": (), "depends_on": NOTHING, "healthcheck": None, "links": None, "profiles": (),
    "external_links": None, "volumes_from": None, "extra_hosts": (), "labels": NOTHING, "networks": None,
}
"""Each attribute of :class:`Service` a key can set, and its value when the key is not written."""


def _tag(node: Any) -> str | None:
    """The YAML tag written on a node (``!reset``, ``!override``), None when there is none."""
    tag = getattr(node, "tag", None)
    value = getattr(tag, "value", tag if isinstance(tag, str) else None)
    return value if isinstance(value, str) else None


_ABSENT = object()


def _merged_value(mapping: Any, key: Any) -> Any:
    """The value of ``key`` that the mapping's merge keys bring in, or ``_ABSENT``."""
    for source in getattr(mapping, "merge", None) or ():
        merged = source[1] if isinstance(source, tuple) else source
        if isinstance(merged, dict) and key in merged:
            return merged[key]
    return _ABSENT


def _key_position(mapping: Any, key: Any, depth: int) -> tuple[int, int] | None:
    """The (line, column) of ``key`` in ``mapping`` or in the mappings its merge keys bring in (nearest first)."""
    lc = getattr(mapping, "lc", None)
    data = getattr(lc, "data", None)
    if isinstance(data, dict) and key in data:
        try:
            return lc.key(key)  # type: ignore[union-attr]
        except (AttributeError, KeyError, TypeError, IndexError):
            return None
    if depth >= MAX_EXTENDS:
        return None
    for source in getattr(mapping, "merge", None) or ():
        merged = source[1] if isinstance(source, tuple) else source
        if isinstance(merged, dict) and key in merged:
            return _key_position(merged, key, depth + 1)
    return None


WINDOWS_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
"""A Windows host path (``D:\\Projects\\db``, ``C:/data``), absolute on the machine that runs Docker Desktop."""


def parse_compose(files: list[tuple[Path, str]], env: dict[str, str],
                  load: Callable[[Path], str | None] = lambda path: None, folder: Path | None = None) -> Stack:
    """Parse a compose file and its overrides (in order) into one :class:`Stack`.

    Relative paths in every file are read from the project folder: the first file's, as Compose does
    with several ``-f`` files (``-f docker-compose.yml -f docker/ci.yml``), or ``folder`` (that of a link the
    project runs the first file through); the files ``include:`` names each keep their own folder.

    ``load`` reads the other files that ``extends: {file: ...}`` names (None: unreadable).
    Raises :class:`ParseError` (with ``path`` set) when a file is not valid YAML.
    """
    services: dict[str, Service] = {}
    versions: list[Located[str]] = []
    problems: list[ParseError] = []
    unset: list[Located[str]] = []
    required: list[Located[str]] = []
    seen = {path for path, _ in files}
    names: list[str | None] = []
    version_1: list[Path] = []
    volumes: set[str] = set()
    external: set[str] = set()

    def read(path: Path, text: str, depth: int, variables: dict[str, str] = env) -> None:
        # Compose resolves the relative paths of every -f file from the first one's folder; an included file's own.
        reader = _Reader(path, variables, load, folder=(folder or files[0][0].parent) if depth == 0 else None)
        duplicates: list[ParseError] = []
        try:
            data = load_yaml(text, duplicates)
        except ParseError as error:
            error.path = path
            raise
        problems.extend(ParseError(p.message, p.line, p.column, path) for p in duplicates)
        if depth < MAX_EXTENDS:  # the files `include:` names come first, each a part of the stack
            for included, included_text, included_env in reader.included(data):
                if included not in seen:
                    seen.add(included)
                    read(included, included_text, depth + 1, included_env)
        try:
            file_services, file_version = reader.stack(data)
        except ParseError as error:
            error.path = path
            raise
        for each in reader.readers():
            problems.extend(ParseError(p.message, p.line, p.column, each.path) for p in each.problems)
            unset.extend(each.unset)
            required.extend(each.required)
        if file_version is not None:
            versions.append(file_version)
        names.append(reader.name)
        volumes.update(reader.declared_volumes)
        external.update(reader.external_networks)
        if reader.version_1:
            version_1.append(path)
        for name in reader.removed:
            services.pop(name, None)
        for name, service in file_services.items():
            services[name] = merge(services[name], service) if name in services else service

    for path, text in files:
        read(path, text, 0)
    return Stack(tuple(path for path, _ in files), services, tuple(versions), tuple(problems), tuple(unset),
                 tuple(required),
                 next((name for name in reversed(names) if name), None), tuple(version_1), frozenset(volumes),
                 frozenset(external))


# -- what a YAML file holds, read line by line for discovery -------------------------------

TOP_LEVEL = frozenset({"version", "name", "services", "networks", "volumes", "secrets", "configs", "include", "models"})
"""The keys Compose accepts at the top level (and ``x-`` extensions); any other one is a file of another tool."""

SOURCES = frozenset({"image", "build", "extends", "<<"})
"""Service keys that give a service its image: without one of them a service only modifies another file's."""

_KEY = re.compile(r"""(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'#\-?:,\[\]{}&*!|>%@`](?:[^\n#:]*[^\s#:])?|<<))"""
                  r"""[ \t]*:(?=[ \t]|$)""")
"""The ``key:`` starting a line; a line starting a list or a flow collection has none.

Linear: a key ends in a character that is no space, so the key and the spaces before
the colon never compete for the same characters.
"""


def _key_value(line: str) -> tuple[str, str] | None:
    """The key a line starts with and its value up to a comment (empty when the value is on the next lines)."""
    found = _KEY.match(line)
    if found is None:
        return None
    key = next(group for group in found.groups() if group is not None)
    value = line[found.end():].strip()
    return key, "" if value.startswith("#") else value.split(" #", 1)[0].strip()


@record
class Outline:
    """What discovery needs of a compose file: its services, which give their own image, what they depend on."""

    top_level: tuple[str, ...]  # the top-level keys in order
    services: tuple[str, ...]  # the names under ``services:``
    sourced: frozenset[str]  # services with ``image:``, ``build:``, ``extends:`` or a merge key
    references: frozenset[str]  # the services ``depends_on``/``links`` name
    removed: frozenset[str]  # services written ``name: !reset``
    image_mappings: bool = False  # an ``image:`` whose value is a mapping (a Helm values file, not Compose)
    services_mapping: bool = True  # ``services:`` holds a block mapping (not a list, not flow style)
    builds: tuple[tuple[str, str], ...] = ()  # (context, dockerfile) of each ``build:``, as written (uninterpolated)
    uses: tuple[str, ...] = ()  # the files ``include:`` and ``extends: {file: ...}`` name, as written
    retargeted: frozenset[str] = frozenset()  # services whose ``build:`` names neither context nor dockerfile
    env_files: tuple[str, ...] = ()  # the paths ``env_file:`` names, as written (uninterpolated)
    mounted: tuple[str, ...] = ()  # the relative sources of bind mounts (``./conf:/etc/app``), as written
    build_only: frozenset[str] = frozenset()  # services whose one key is ``build:`` (an override adding builds)
    imaged: frozenset[str] = frozenset()  # services with ``image:``
    included: tuple[str, ...] = ()  # the files ``include:`` names, as written (some of ``uses``)
    images: tuple[tuple[str, str], ...] = ()  # (service, image) of each plain ``image:``, as written
    built: frozenset[str] = frozenset()  # services with ``build:``

    def repository(self, service: str) -> str | None:
        """The repository of the image a service names (``django`` for ``django:dev``), None without one."""
        image = next((image for name, image in self.images if name == service), None)
        return image.rsplit(":", 1)[0] if image and ":" in image.rsplit("/", 1)[-1] else image

    @property
    def compose_keys(self) -> bool:
        """Whether every top-level key is one Compose accepts."""
        return all(key in TOP_LEVEL or key.startswith("x-") for key in self.top_level)

    @property
    def is_compose(self) -> bool:
        """Whether the content is a compose file's: a mapping of services at least one of which names its image."""
        return (self.compose_keys and "services" in self.top_level and self.services_mapping
                and bool(self.sourced) and not self.image_mappings)

    @property
    def needs(self) -> frozenset[str]:
        """Services this file does not make whole: modified without an image, or depended on but not defined, or
        whose ``build:`` only changes a base's (``build: {target: final}``, its ``image:`` the tag to give it)."""
        defined = set(self.services) - self.removed
        return frozenset((defined - self.sourced) | (self.references - defined) | (self.retargeted & defined))


def _flow_names(value: str) -> set[str]:
    """The names of a one-line flow list or mapping: ``[db, cache]``, ``{db: {condition: ...}}``."""
    value = value.split(" #", 1)[0].strip()
    if not value.startswith(("[", "{")):
        return set()
    names, depth, current = set(), 0, ""
    for char in value:
        if char in "[{":
            depth += 1
            if depth == 1:
                continue
        elif char in "]}":
            depth -= 1
        if depth == 1 and char == ",":
            names.add(current)
            current = ""
        elif depth == 1:
            current += char
        if depth == 0:
            break
    names.add(current)
    return {name.split(":")[0].strip().strip("'\"") for name in names} - {""}


def _listed_path(line: str) -> str | None:
    """The path an item of a block list of files gives (``- other.yaml``, ``- path: .env``), unquoted and without
    its comment; None for another key or a value that is no path."""
    item = line[1:].strip() if line.startswith("-") else line
    pair = _key_value(item)
    name = pair[1] if pair is not None and pair[0] == "path" else None if pair is not None else item
    return _scalar(name) if name and not name.startswith(("[", "{", "#")) else None


def _scalar(value: str) -> str:
    """A plain scalar as written on its line, without its comment and its quotes."""
    return value.split(" #", 1)[0].strip().strip("'\"")


ANCHOR_ONLY = re.compile(r"^&\S+\s*$")
"""A value that only anchors the mapping below it (``build: &django``)."""


def outline(text: str) -> Outline | None:
    """The outline of a compose file read line by line (linear, no YAML parser); None when the text is no mapping.

    Block style as compose files are written; a flow-style ``services:`` is marked so,
    anchors and merge keys count as giving the service its image (they usually do).
    """
    top: list[str] = []
    services: list[str] = []
    sourced: set[str] = set()
    references: set[str] = set()
    removed: set[str] = set()
    image_mappings = False
    services_mapping = True
    current_top = None
    service_indent = key_indent = list_indent = None
    service = None
    listing = False  # inside depends_on/links
    building: list[str] | None = None  # inside a ``build:`` mapping: [context, dockerfile]
    extending = False  # inside an ``extends:`` mapping
    uses: list[str] = []  # files ``include:`` and ``extends: {file: ...}`` read
    included: list[str] = []  # files ``include:`` reads
    build_indent = None
    merged_indent: int | None = None  # the keys of a mapping a merge key defines in place (``<<: &app``)
    builds: list[list[str]] = []
    retargeted: set[str] = set()  # services whose `build:` mapping gave neither context nor dockerfile
    keyed: dict[str, set[str]] = {}  # the keys each service writes
    env_files: list[str] = []
    env_listing = False  # inside a block list of `env_file:`
    mounted: list[str] = []
    volume_listing = False  # inside a block list of `volumes:`
    images: list[tuple[str, str]] = []
    for raw in text.splitlines():
        stripped = raw.lstrip(" ")
        if not stripped or stripped[0] == "#":
            continue
        indent = len(raw) - len(stripped)
        if indent == 0:
            if stripped.startswith(("---", "...", "%")):
                continue
            pair = _key_value(stripped)
            if pair is None:
                if top:
                    continue  # a continuation of a multi-line scalar at column 0: rare, not a key
                return None  # a list, a scalar or flow style at the top: not a compose file
            current_top, value = pair
            top.append(current_top)
            if current_top == "services" and value and not value.startswith(("&", "!")) and value != "{}":
                services_mapping = False  # flow style or a scalar: not read here
            service_indent = key_indent = None
            service = None
            continue
        if current_top == "include":  # `- other.yaml`, `- path: other.yaml`: files this stack reads
            if (name := _listed_path(stripped)) is not None:
                uses.append(name)
                included.append(name)
            continue
        if current_top != "services":
            continue
        if service_indent is None:
            service_indent = indent
        if indent == service_indent:
            pair = _key_value(stripped)
            if stripped.startswith("-") or pair is None:
                services_mapping = services_mapping and not stripped.startswith("-")
                service = None
                continue
            service, value = pair
            services.append(service)
            if value.startswith("!reset"):
                removed.add(service)
            elif value.startswith("*") or value.startswith("{") and re.search(r"\b(?:image|build|extends)\s*:", value):
                sourced.add(service)
            key_indent = merged_indent = None
            extending = False
            listing = False
            continue
        if service is None or indent < service_indent:
            continue
        if key_indent is None:
            key_indent = indent
        if merged_indent == -1:
            merged_indent = indent if indent > key_indent else None
        if env_listing and indent >= key_indent and (stripped.startswith("-") or indent > key_indent):
            if (name := _listed_path(stripped)) is not None:
                env_files.append(name)
            continue
        env_listing = False
        if volume_listing and indent >= key_indent and (stripped.startswith("-") or indent > key_indent):
            if stripped.startswith("-") and (source := _mount_source(_scalar(stripped[1:]))) is not None:
                mounted.append(source)
            continue
        volume_listing = False
        if (indent == key_indent or indent == merged_indent) and not (listing and stripped.startswith("-")):
            pair = _key_value(stripped)
            listing = False
            if pair is None:
                continue
            key, value = pair
            value = ANCHOR_ONLY.sub("", value)  # `build: &django` names the mapping that follows
            building = None
            if indent == key_indent:  # `<<: &app` followed by the mapping it names: the service's keys too
                merged_indent = -1 if key == "<<" and (not value or value.startswith("&")) else None
                keyed.setdefault(service, set()).add(key)
            if key in SOURCES:
                sourced.add(service)
                image_mappings = image_mappings or (key == "image" and not value)
                if key == "image" and value and not value.startswith(("*", "{")):
                    images.append((service, _scalar(value)))
            if key == "build":
                building, build_indent = [value.strip("'\"") or ".", "Dockerfile"], None
                builds.append(building)
                if value:
                    building = None
                else:
                    retargeted.add(service)  # until its context or dockerfile is read
            elif key in {"depends_on", "links"}:
                if value:
                    references |= _flow_names(value)
                else:
                    listing, list_indent = True, None
            elif key == "env_file":
                if value.startswith("["):
                    env_files += _flow_names(value)
                elif value:
                    env_files.append(_scalar(value))
                else:
                    env_listing = True
            volume_listing = key == "volumes" and not value
            extending = key == "extends" and not value
            continue
        if extending and (pair := _key_value(stripped)) is not None and pair[0] == "file":
            uses.append(pair[1].strip("'\""))
            continue
        if building is not None:
            build_indent = indent if build_indent is None else build_indent
            pair = _key_value(stripped) if indent == build_indent else None
            if pair is not None and pair[0] in {"context", "dockerfile"}:
                building[pair[0] == "dockerfile"] = pair[1].strip("'\"") or building[pair[0] == "dockerfile"]
                retargeted.discard(service)
            continue
        if listing and indent >= key_indent:
            if list_indent is None:
                list_indent = indent
            if indent != list_indent:
                continue
            if stripped.startswith("-"):
                name = _scalar(stripped[1:])
                references.add(name.split(":")[0])
            elif (pair := _key_value(stripped)) is not None:
                references.add(pair[0])
    return Outline(tuple(top), tuple(services), frozenset(sourced), frozenset(references - {""}), frozenset(removed),
                   image_mappings, services_mapping, tuple((context, dockerfile) for context, dockerfile in builds),
                   tuple(uses), frozenset(retargeted), tuple(env_files), tuple(mounted),
                   frozenset(name for name, keys in keyed.items() if keys == {"build"}),
                   frozenset(name for name, keys in keyed.items() if "image" in keys), tuple(included), tuple(images),
                   frozenset(name for name, keys in keyed.items() if "build" in keys))


def _mount_source(entry: str) -> str | None:
    """The relative source of a short-syntax bind mount (``./conf:/etc/app:ro`` -> ``./conf``); None otherwise."""
    source = entry.split(":", 1)[0] if ":" in entry else ""
    return source if source.startswith(("./", "../")) and "$" not in source else None
