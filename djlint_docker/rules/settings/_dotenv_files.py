"""The variables a container's settings find: its environment, what its scripts export, and the env files the
settings load themselves (django-environ's ``read_env()``, python-dotenv's ``load_dotenv()``, python-decouple)."""

from __future__ import annotations

import ast
import fnmatch
import os
import posixpath
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from djlint_docker.parse.settings import Branches, Scope, Unknown, Unset, evaluate
from djlint_docker.parse.shell import ASSIGNMENT
from djlint_docker.project import DjangoRun, Project, Settings
from djlint_docker.rules.dockerfile._copies import context_path
from djlint_docker.rules.project._env_files import template_commented_variables

DECOUPLE = re.compile(r"\bdecouple\b")
"""python-decouple, whose ``config()`` reads the first ``settings.ini`` or ``.env`` from the settings' folder up."""
DECOUPLE_FILES = ("settings.ini", ".env")
LOADERS = {"read_env": "env_file", "load_dotenv": "dotenv_path", "read_dotenv": "dotenv",
           "RepositoryEnv": "source", "dotenv_values": "dotenv_path"}
"""Functions that read an env file into the environment (django-environ, python-dotenv, django-dotenv,
python-decouple), with the keyword of the file's path."""
DOTENV_LOADERS = re.compile(r"\b(?:" + "|".join(LOADERS) + r")\s*\(|" + DECOUPLE.pattern)

def provided_variables(project: Project, run: DjangoRun, settings: Settings, exported: set[str]) -> set[str] | None:
    """The variables a container's settings find: its environment, the variables its scripts ``export`` before
    starting Django (``exported``), and those of the env files the settings load themselves. None when the
    settings load env files djcheck cannot name (a path from a variable, a loop over a list built at run time):
    what they give is unknown."""
    names = set(run.environment) | exported | _set_by_the_settings(project, settings)
    loaded = env_files_loaded(project, run, settings)
    if loaded is None:
        return None
    for env_path in loaded:
        values = _image_env_values(project, run, env_path)
        if values is None:
            return None  # a file each clone makes, that the image gets: what it sets is unknown
        names |= values
    return names


SETS_ENVIRONMENT = re.compile(
    r"""\benviron\s*(?:\.\s*setdefault\s*\(\s*|\[\s*)["']([A-Za-z_]\w*)["']\s*(?:,|\]\s*=(?!=))""")
"""``os.environ.setdefault("DJANGO_ENV", "development")``, ``environ["MODE"] = "prod"``: a variable the settings give
a value themselves."""


def _set_by_the_settings(project: Project, settings: Settings) -> set[str]:
    """The variables the settings' own files set in the environment (:data:`SETS_ENVIRONMENT`) as they load."""
    paths = dict.fromkeys([settings.path, *(binding.path for binding in settings.bindings.values())])
    return {name for path in paths for name in SETS_ENVIRONMENT.findall(project.text(path, quiet=True) or "")}


def _unknown(project: Project, run: DjangoRun, loaded: list[Path] | None) -> bool:
    """Whether what the env files ``loaded`` (:func:`env_files_loaded`) set is unknown: the settings load an env file
    each clone makes with no template beside it (``load_dotenv()`` of a gitignored ``backend/.env``), or one djcheck
    cannot name. Of the files searched upwards, the one a template is committed for (``src/.env.example``) is taken
    to be the one users make."""
    if loaded is None:
        return True
    return any(_image_env_values(project, run, path) is None for path in loaded) and not any(
        project.is_file(path) or project.template_for(path) for path in loaded)


def loaded_env_unknown(project: Project, run: DjangoRun, settings: Settings) -> bool:
    """Whether the settings load an env file whose values are unknown (:func:`_unknown`): a variable the container
    does not set may be set there."""
    return _unknown(project, run, env_files_loaded(project, run, settings))


def environment_after_env_files(project: Project, run: DjangoRun, settings: Settings) -> Mapping[str, str] | None:
    """The environment the container's settings see once they have loaded their env files: every variable the
    container does not set unknown when one is a file each clone makes (:func:`_unknown`); else, for
    the names it does not set, the values of the files the image gets, their templates' in place of absent ones
    (python-dotenv and django-environ leave a variable already set alone, and the first file loaded wins), a
    template's blank unknown. None when the settings load no env file that sets anything."""
    loaded = env_files_loaded(project, run, settings)
    if _unknown(project, run, loaded):
        return run.open_environment
    values: dict[str, str | None] = {}
    for path in loaded or []:
        copied = _copied_to(project, run, path)
        source = copied if copied is not None else path
        if _left_out(project, run, source, copied):
            continue
        if path.name == DECOUPLE_FILES[0]:
            values.update((name, None) for name in _ini_values(project, source) or () if name not in values)
            continue
        present = project.is_file(source)
        for name, variable in (project.env_values(source) or {}).items():
            if variable.value is not None or not present:  # a bare `KEY` line of a file sets nothing
                values.setdefault(name, variable.value)
    return run.environment_with(values) if values else None


def blank_variables(project: Project, run: DjangoRun, settings: Settings) -> set[str]:
    """The variables the container does not set that the template of an env file the settings load, or of one its
    service's ``env_file:`` names, leaves for each user to fill in (``SECRET_KEY=`` in ``.env.example``, or
    ``#SECRET_KEY=change-me`` under "generate a random string for this value"): their values are unknown, not
    empty."""
    loaded = [*(env_files_loaded(project, run, settings) or []),
              *(ref.path for ref in (run.service.env_files if run.service is not None else ()))]
    return {name for path in dict.fromkeys(loaded) for name in _blanks(project, path)} - set(run.environment)


def _blanks(project: Project, path: Path) -> set[str]:
    """The variables an absent env file's template leaves blank or names only in a comment, each user's to fill in."""
    if project.is_file(path) or path.name == DECOUPLE_FILES[0]:
        return set()
    return set(template_commented_variables(project, path)) | {
        name for name, var in (project.env_values(path) or {}).items() if var.value is None}


def env_files_loaded(project: Project, run: DjangoRun, settings: Settings) -> list[Path] | None:
    """The env files the settings modules load as they are imported, the ones searched upwards included (python-dotenv
    and python-decouple take the first that exists); None when one of them cannot be named."""
    found: list[Path] = []
    for path in dict.fromkeys([settings.path, *(binding.path for binding in settings.bindings.values())]):
        loaded = _loaded_env_files(project, run, settings, path)
        if loaded is None:
            return None
        found += loaded
    return found


def _image_env_values(project: Project, run: DjangoRun, path: Path) -> set[str] | None:
    """The variables the env file the settings load at ``path`` sets in the container; None when unknown.

    The file is the one a COPY of the Dockerfile puts there when one does (``COPY .env ./server``
    for a ``read_env()`` in ``server/settings.py``), else the one of the build context. Present, it
    gives its names; absent, its committed template's (``.env.example``). Absent without a
    template, it is a file each clone makes by hand: what it sets is unknown when the image gets
    it (the Dockerfile copies it by name, or git ignores it and ``.dockerignore`` does not, or a bind mount of
    the service brings the folder it lies in), and nothing when the build leaves it out.
    """
    copied = _copied_to(project, run, path)
    source = copied if copied is not None else path
    if _left_out(project, run, source, copied):
        return set()  # the file each clone makes from its template stays out of the container
    values = _ini_values(project, source) if path.name == DECOUPLE_FILES[0] else project.env_values(source)
    if values is not None:
        return set(values)
    if copied is not None:
        return None
    # the developer's own file, which the source mount (`./django:/django`) or the build context brings
    return None if project.gitignored(path) and _reaches_the_container(project, run, path) else set()


def _left_out(project: Project, run: DjangoRun, path: Path, copied: Path | None) -> bool:
    """Whether the absent env file at ``path`` (made from its template in each clone) never reaches the container
    of a compose service that builds its image: the Dockerfile does not copy it by name and
    :func:`_reaches_the_container` says no."""
    return not project.is_file(path) and copied is None and run.service is not None and run.build is not None \
        and run.build.dockerfile is not None and not _reaches_the_container(project, run, path)


def _reaches_the_container(project: Project, run: DjangoRun, path: Path) -> bool:
    """Whether a file of the checkout is in the container: a bind mount of the service brings its folder, or the
    image's build context holds it and its ``.dockerignore`` does not leave it out."""
    if run.service is not None and any(mount.type == "bind" and mount.source and path.is_relative_to(mount.source)
                                       for mount in run.service.volumes):
        return True
    return in_the_image(project, run, path)


def _ini_values(project: Project, path: Path) -> set[str] | None:
    """The variables of python-decouple's ``settings.ini`` (its ``[settings]`` section, names in any case), its
    committed template's when it is absent; None when both are."""
    source = path if project.is_file(path) else project.template_for(path)
    if source is None:
        return None
    names = project.parsed("decouple settings.ini", source, _ini_names) or frozenset()
    return set(names) | {name.upper() for name in names}


def _ini_names(path: Path, text: str) -> frozenset[str]:
    import configparser  # here: few projects configure decouple with an ini file

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return frozenset()
    return frozenset(parser.options("settings")) if parser.has_section("settings") else frozenset()


def _copied_to(project: Project, run: DjangoRun, path: Path) -> Path | None:
    """The build context's file a COPY puts where the settings look for ``path`` when it is another one:
    ``COPY .env ./server`` (into the folder ``server``), ``COPY .env.prod app/.env`` (renamed). The last such COPY
    of the stages the image is made of; None when none does."""
    build = run.build
    if build is None or build.dockerfile is None or not path.is_relative_to(build.context):
        return None
    found: Path | None = None
    for stage in project.feeding_stages(build.dockerfile):
        for copy in build.dockerfile.copies(stage):
            if len(copy.sources) != 1 or any(mark in copy.sources[0] for mark in "*?[$"):
                continue
            source = posixpath.normpath(copy.sources[0].lstrip("/"))
            if source in {".", ""}:
                continue
            dest = copy.dest.rstrip("/")
            folder, name = posixpath.basename(dest), posixpath.basename(source)
            places = {(folder, name)} if copy.dest.endswith("/") else {
                (posixpath.basename(posixpath.dirname(dest)), folder), (folder, name)}  # renamed, or into a folder
            if (path.parent.name, path.name) in places and build.context / source != path:
                found = build.context / source
    return found


EXPORTERS = {"export": (), "declare": ("-x",), "typeset": ("-x",)}


def exported_variables(project: Project, run: DjangoRun) -> set[str]:
    """The variables the container's start commands and scripts ``export`` on the lines that run
    (``export DATABASE_URL="postgres://${POSTGRES_USER}:..."`` in an entrypoint ending in ``exec "$@"``); for an image
    whose Dockerfile compose cannot find (DJC002), those the scripts left in that Dockerfile's folder export, which it
    would copy."""
    names: set[str] = set()
    if run.service is None and run.build is None:
        return names
    if run.build is not None and run.build.dockerfile is None:
        names |= _exported_beside(project, run.build.dockerfile_path.parent)
    for ran in project.container_commands(run.service, run.build):
        words = ran.command.words
        if not words or words[0] not in EXPORTERS:
            continue
        options = [word for word in words[1:] if word.startswith("-")]
        if any(flag not in options for flag in EXPORTERS[words[0]]):
            continue
        names.update(word.partition("=")[0] for word in words[1:] if "=" in word and ASSIGNMENT.match(word))
    return names


EXPORTED = re.compile(r"^[ \t]*export[ \t]+([A-Za-z_]\w*)=", re.M)
MAX_SCRIPTS_BESIDE = 20


def _exported_beside(project: Project, folder: Path) -> set[str]:
    """The variables the shell scripts of a folder (``entrypoint.sh``, an extensionless ``start``) export."""
    names: set[str] = set()
    try:
        scripts = sorted(entry.path for entry in os.scandir(folder)
                         if entry.is_file() and (entry.name.endswith(".sh") or "." not in entry.name))
    except OSError:
        return names
    for script in scripts[:MAX_SCRIPTS_BESIDE]:
        text = project.text(Path(script)) or ""
        if text.startswith("#!") or script.endswith(".sh"):
            names.update(EXPORTED.findall(text))
    return names


def _loaded_env_files(project: Project, run: DjangoRun, settings: Settings, path: Path) -> list[Path] | None:
    """The env files a settings module loads as it is imported (``environ.Env.read_env()``, ``load_dotenv(BASE_DIR /
    ".env.prod")``, python-decouple's ``.env``), in the branches the container may take; None when one of them
    cannot be named."""
    text = project.text(path) or ""
    if not DOTENV_LOADERS.search(text):
        return []
    tree = project.syntax_tree(path)
    if tree is None:
        return []
    defaults = [folder / ".env" for folder in _folders_up(run, path)]  # python-dotenv's and decouple's own
    found: list[Path] = [folder / name for folder in _folders_up(run, path) for name in DECOUPLE_FILES] \
        if DECOUPLE.search(text) else []
    loops = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
             and node.id not in settings.bindings}  # loop variables, names bound inside functions...
    for call in _loader_calls(tree.body, run, settings, 0):
        argument = _env_file_argument(call)
        if argument is None:  # django-environ reads the .env beside the caller, python-dotenv and environs the
            # first one upwards
            found += [path.parent / ".env"] if _called(call) == "read_env" and not _environs(call, settings) \
                else defaults
            continue
        if isinstance(argument, ast.Call) and _called(argument) == "find_dotenv":
            if argument.args or argument.keywords:
                name = _path_of(argument.args[0] if argument.args else argument.keywords[0].value,
                                path, run, settings, loops, 0)
                if name is None:
                    return None
                found += [folder / name.name for folder in _folders_up(run, path)]
            else:
                found += defaults
            continue
        resolved = _path_of(argument, path, run, settings, loops, 0)
        if resolved is None:
            return None
        found.append(resolved)
    return found


MAX_PATH_DEPTH = 20
MAX_LOADER_NESTING = 20


def _environs(call: ast.Call, settings: Settings) -> bool:
    """Whether the call is environs' (``env.read_env()`` of ``env = environs.Env()``), not django-environ's."""
    return (Scope(settings.bindings).qualified(call.func) or "").startswith("environs.")


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _loader_calls(body: list[ast.stmt], run: DjangoRun, settings: Settings, nesting: int) -> Iterator[ast.Call]:
    """The calls of env file loaders a module runs at import, in the branches the container may take (an ``if``
    whose test is false in its environment is left out; function bodies are left out)."""
    if nesting > MAX_LOADER_NESTING:
        return
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, ast.If):
            try:
                taken: bool | None = bool(evaluate(statement.test, run.process_environment, settings.bindings))
            except Unknown:
                taken = None  # it may go either way
            if taken is not False:
                yield from _loader_calls(statement.body, run, settings, nesting + 1)
            if taken is not True:
                yield from _loader_calls(statement.orelse, run, settings, nesting + 1)
            continue
        blocks = [getattr(statement, name) for name in ("body", "orelse", "finalbody") if hasattr(statement, name)]
        blocks += [handler.body for handler in getattr(statement, "handlers", [])]
        if blocks:
            for block in blocks:
                yield from _loader_calls(block, run, settings, nesting + 1)
            heads = [getattr(statement, name) for name in ("test", "iter") if hasattr(statement, name)]
            heads += [item.context_expr for item in getattr(statement, "items", [])]
        else:
            heads = [statement]
        for head in heads:
            for node in ast.walk(head):
                if isinstance(node, ast.Call) and _called(node) in LOADERS and not (
                        _called(node) == "dotenv_values" and not _updates_environ(statement)):
                    yield node


def _updates_environ(statement: ast.stmt) -> bool:
    """Whether a statement puts what ``dotenv_values()`` reads into the environment (``os.environ.update(...)``)."""
    return any(isinstance(node, ast.Attribute) and node.attr == "environ" for node in ast.walk(statement))


def _env_file_argument(call: ast.Call) -> ast.expr | None:
    """The expression of the file a loader call reads; None when it reads its default (``.env`` found upwards)."""
    keyword = LOADERS[_called(call)]
    named = next((k.value for k in call.keywords if k.arg == keyword), None)
    if named is not None:
        return named
    if call.args:
        return call.args[0]
    if any(k.arg is None or k.arg == "stream" for k in call.keywords):
        return call  # ``**options`` or a stream: a file that cannot be named
    return None


def _path_of(node: ast.expr, path: Path, run: DjangoRun, settings: Settings, loops: set[str],
             depth: int) -> Path | None:
    """The file of the project an expression of a settings module names (``BASE_DIR / ".env.prod"``,
    ``os.path.join(BASE_DIR, ".env")``, ``Path(__file__).resolve().parent.parent``), None when unknown."""
    if depth > MAX_PATH_DEPTH:
        return None

    def again(inner: ast.expr) -> Path | None:
        return _path_of(inner, path, run, settings, loops, depth + 1)

    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return path
        binding = settings.bindings.get(node.id)
        if node.id in loops or binding is None or binding.node is None or binding.changes:
            return None
        return _path_of(binding.node, binding.path, run, settings, loops, depth + 1)
    if isinstance(node, Branches):
        # bound in one way alone (`try: env_path = BASE_DIR / ".env"` ... `except ImportError: pass`): a loader in
        # that way is called with it
        if any(way is None for way in node.ways):
            return None  # a way djcheck cannot know
        named = {again(way) for way in node.ways if way is not None and not isinstance(way, Unset)}
        return named.pop() if len(named) == 1 else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = again(node.left), _text_of(node.right, run, settings)
        return left / right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts: list[str] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            elif isinstance(value, ast.FormattedValue):
                inner = again(value.value)
                if inner is None:
                    return None
                parts.append(str(inner))
        return _placed("".join(parts), run, path)
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = again(node.value)
        return inner.parent if inner is not None else None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
        inner = again(node.value.value)
        index = node.slice.value if isinstance(node.slice, ast.Constant) else None
        if inner is None or not isinstance(index, int) or not 0 <= index < len(inner.parents):
            return None
        return inner.parents[index]
    if isinstance(node, ast.Call):
        name = _called(node)
        if name in {"resolve", "absolute", "expanduser"} and isinstance(node.func, ast.Attribute):
            return again(node.func.value)
        if name == "joinpath" and isinstance(node.func, ast.Attribute):
            inner = again(node.func.value)
            texts = [_text_of(argument, run, settings) for argument in node.args]
            if inner is None or any(text is None for text in texts):
                return None
            return inner.joinpath(*(text for text in texts if text is not None))
        plain = isinstance(node.func, ast.Name) or (  # str(), Path(), os.path.join(): not env.str()
            isinstance(node.func, ast.Attribute) and isinstance(node.func.value, (ast.Name, ast.Attribute))
            and (node.func.value.id if isinstance(node.func.value, ast.Name) else node.func.value.attr)
            in {"os", "path", "pathlib", "posixpath"})
        if plain and name in {"Path", "PurePath", "str", "fspath", "abspath", "realpath", "normpath"} \
                and len(node.args) == 1:
            return again(node.args[0])
        read = Scope(settings.bindings).read(node)
        if read is not None and read.library == "os" and isinstance(read.default, ast.expr) \
                and read.variable not in run.process_environment:
            return again(read.default)  # `os.environ.get("ENV_FILE", os.path.join(BASE_DIR, ".env"))`, unset
        if plain and name == "dirname" and len(node.args) == 1:
            inner = again(node.args[0])
            return inner.parent if inner is not None else None
        if plain and name == "join" and node.args:
            first = again(node.args[0])
            rest = [_text_of(argument, run, settings) for argument in node.args[1:]]
            if first is None or any(text is None for text in rest):
                return None
            return first.joinpath(*(text for text in rest if text is not None))
    text = _text_of(node, run, settings)
    return _placed(text, run, path) if text is not None else None


def _text_of(node: ast.expr, run: DjangoRun, settings: Settings) -> str | None:
    """A string an expression has in the container (``".env.prod"``, ``env("ENV_FILE", default=".env")``)."""
    try:
        value = evaluate(node, run.process_environment, settings.bindings)
    except Unknown:
        return None
    return value if isinstance(value, str) and "\x00" not in value else None


def _placed(text: str, run: DjangoRun, path: Path) -> Path | None:
    """The file of the project a path written in the settings names: relative to the process's working directory
    (the build context, where ``manage.py`` is run from), or already a project path (``str(BASE_DIR) + ...``)."""
    candidate = Path(text)
    if candidate.is_absolute():
        return candidate if run.build is not None and candidate.is_relative_to(run.build.context) else None
    base = run.build.context if run.build is not None else path.parent
    return base / candidate


def _folders_up(run: DjangoRun, path: Path) -> list[Path]:
    """The folders from a settings module's up to the build context: where a loader looks for its default ``.env``."""
    folders = []
    folder = path.parent
    while run.build is not None and folder.is_relative_to(run.build.context):
        folders.append(folder)
        if folder == run.build.context:
            break
        folder = folder.parent
    return folders


def set_in_every_image(project: Project, runs: list[DjangoRun], settings: Settings, variable: str) -> bool:
    """Whether each container of ``runs`` gets the variable from an env file the settings load themselves that git
    tracks and the image's build context holds (``environ.Env.read_env()`` of a committed ``config/.env`` that
    ``COPY . .`` brings): every image built from the repository sets it, wherever it runs (a platform, CI's push),
    so a default the settings give the unset variable reaches none of them. The committed value is DJC412's."""
    return bool(runs) and all(any(
        project.tracked(path) and (entry := (project.env_values(path) or {}).get(variable)) is not None
        and bool(entry.value) for path in loaded_from_the_image(project, run, settings)) for run in runs)


def loaded_from_the_image(project: Project, run: DjangoRun, settings: Settings) -> list[Path]:
    """The env files the settings load themselves (:func:`env_files_loaded`) that the container's image holds
    (:func:`in_the_image`): wherever the image runs, its settings read them."""
    if run.build is None:
        return []
    return [path for path in env_files_loaded(project, run, settings) or () if in_the_image(project, run, path)]


def in_the_image(project: Project, run: DjangoRun, path: Path) -> bool:
    """Whether the image holds the file of the build context: a COPY of the stages the image is made of names it or
    a folder above it (``COPY . .``), and the context's ``.dockerignore`` does not leave it out (a bind mount aside:
    the image alone, as a platform runs it). An image djcheck cannot read is taken to hold its whole context."""
    build = run.build
    if build is None or not path.is_relative_to(build.context):
        return False
    relative = path.relative_to(build.context).as_posix()
    ignore = project.dockerignore(build)
    if ignore is not None and ignore.excludes(relative):
        return False
    dockerfile = build.dockerfile
    if dockerfile is None:
        return True
    return any(fnmatch.fnmatchcase(relative, source) or source == "" or relative.startswith(source + "/")
               for stage in project.feeding_stages(dockerfile) for copy in dockerfile.copies(stage)
               for source in map(context_path, copy.sources))
