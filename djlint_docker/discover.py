"""Finding the setups under the paths given: compose stacks and standalone Dockerfiles.

A compose file is one of Compose's names (``compose.yaml``, ``docker-compose.prod.yml``)
or any YAML file whose content is a compose file's: a top level of Compose's keys only,
with a ``services:`` mapping one of whose services has an ``image:`` or ``build:``
(``local.yml``, ``deploy/stack.yml``). CI configurations, Kubernetes and Helm files,
``render.yaml`` or ``traefik.yml`` have other top-level keys or a ``services:`` of
another shape and are left alone. A YAML file is read past its first few KB only when
every top-level key there is Compose's, and not when git ignores it; never inside
``node_modules`` or virtualenvs, which the walk does not enter. A compose file git
ignores is no setup.

The stacks of a folder are the ones Compose runs:

- ``COMPOSE_FILE`` in the folder's ``.env`` (or the template it is made from), split by
  ``COMPOSE_PATH_SEPARATOR``, names the files of the stack ``docker compose`` runs there;
  else the default file with its ``.override`` file;
- each other compose file is a stack of its own, unless it only modifies services of
  another one (a service without ``image:``/``build:`` of its own, or a ``depends_on``
  on a service it does not define, as ``-f docker-compose.yml -f docker-compose.dev.yml``
  runs it): then it is merged with that base file (the default one first).

A compose stack with no Django files below its folder (nor in the nearest folder above
that has some) is a setup only when it may run Django (see ``_may_run_django``): a
JavaScript project's compose file with its database is not, nor another tool's stack kept
beside the project that builds nothing from the repository (a sample whose build context
is someone's ``../../Downloads``).

A compose file named as a template (``prod-template.yml``, ``docker-compose.template.yml``,
``template.yml``, ``compose_tmpl.yaml``, ``docker-compose.tpl.yml``) is a fragment a user
copies and fills in, as an env file's template is, not a stack anyone runs as it is: it is
no setup, nor a base or override of one (unless the configuration's ``compose-files``
names it). A ``docker-compose.example.yml`` is still a stack: such
examples are run as they are.

An un-rendered project template is no setup: a folder named with a ``{{ ... }}``
placeholder (a cookiecutter tree's ``{{cookiecutter.project_slug}}``) holds it, it lies in
the ``_subdirectory`` a Copier template's ``copier.yml`` names, or its
compose files or Dockerfiles hold ``{{ project_name }}`` (``django-admin startproject
--template``) or ``{{ cookiecutter.x }}``. A real project's ``wsgi.py`` left with a
placeholder is still one (DJC405 reports it).

A Dockerfile (any name Docker builds: ``Dockerfile.prod``, ``web.Dockerfile``,
``Containerfile``) and a Django project that no compose setup above it covers form a
setup of their own; so does a Dockerfile below a compose setup that none of its compose
files builds but that installs Django. The walk does not parse anything but the
outline of candidate compose files, never enters VCS folders, virtualenvs,
``node_modules``, caches or ignored folders, nor follows links.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, NamedTuple

from djlint_docker.config import Config
from djlint_docker.files import README_NAMES, TEMPLATE_MARKERS, TEMPLATE_SUFFIXES
from djlint_docker.images import OFFICIAL_IMAGES
from djlint_docker.kinds import SKIP_DIRS, kind, pipeline_paths
from djlint_docker.names import DEVELOPMENT_WORDS, PRODUCTION_WORDS
from djlint_docker.parse.compose import DEFAULT_FILES, OVERRIDES, TOP_LEVEL, Outline, outline
from djlint_docker.records import record, replaced

if TYPE_CHECKING:
    from djlint_docker.parse.gitignore import GitIgnore


DJANGO_FILES = {"manage.py", "wsgi.py", "asgi.py", "settings.py"}
MAX_ENTRIES = 200_000
HEAD_BYTES = 4096  # how much of a YAML file of another name is read to tell whether it can be a compose file
MAX_COMPOSE_BYTES = 1 << 20  # a compose file read for its outline; real ones are a few KB
DJANGO_IMAGE = re.compile(rb"django|manage\.py|gunicorn|uwsgi|daphne|uvicorn|wsgi", re.I)
"""What a Dockerfile no compose file builds says when it is a Django image (checked as an image of its own)."""
FROM_IMAGE = re.compile(rb"^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*([^\s:@]+)", re.I | re.M)
OTHER_PROGRAM_IMAGES = frozenset({b"caddy", b"nginx", b"httpd", b"traefik", b"haproxy", b"node", b"postgres",
                                  b"postgis", b"redis", b"mysql", b"mariadb", b"memcached", b"rabbitmq"})
"""Official images of programs that are not Django: a final stage built on one serves something else."""

# The build contexts walked in this run (``Project.context_entries``), shared by every setup
# that builds from one. Each discover() starts a run: a file system changed since is walked again.
CONTEXT_WALKS: dict[tuple, list] = {}


@record
class Setup:
    """The files one run of the rules looks at."""

    root: Path
    compose_files: tuple[Path, ...]  # the main file first, then its overrides
    dockerfiles: tuple[Path, ...]  # Dockerfiles standing in the root folder
    python_files: tuple[Path, ...]  # manage.py, wsgi.py, asgi.py and settings candidates below the root
    contexts: tuple[tuple[Path, Path], ...] = ()  # (Dockerfile, build context) where the context is not its folder
    top: Path | None = None  # the folder given to djcheck that holds the setup: outside git, nothing above is read

    def context_of(self, dockerfile: Path) -> Path:
        """The build context of a Dockerfile no compose file builds: its folder, unless discovery found it built
        from a folder above (``docker build -f docker/prod/Dockerfile .``)."""
        return next((context for path, context in self.contexts if path == dockerfile), dockerfile.parent)


COMPOSE_TEMPLATE = re.compile(r"(?:^|[._-])(?:template|tmpl|tpl)(?:[._-]|$)", re.I)
"""A word of a compose file's name (its extension left out) that makes it a template: ``prod-template.yml``."""


COMPOSE_COPY = re.compile(r"(?:[._ -](?:old|copy|orig|bak)(?:[._ -]?\d+)?|(?<=compose)_+|\(\d+\))$", re.I)
"""The end of a compose file's name (its extension left out) that makes it a copy set aside: ``docker-compose-old``,
``docker-compose copy``, ``docker-compose.orig``, ``docker-compose__`` (underscores after the name), a download's
``docker-compose (1)``."""


def compose_set_aside(name: str) -> bool:
    """Whether a YAML file's name says it is a template a user copies, or a copy set aside, not a compose file Compose
    runs."""
    stem = name.rsplit(".", 1)[0] if name.lower().endswith((".yml", ".yaml")) else name
    return COMPOSE_TEMPLATE.search(stem) is not None or COMPOSE_COPY.search(stem) is not None


SETUP_KINDS = {"compose", "dockerfile"}
"""The kinds of file a setup is found by (and YAML files whose content is a compose file's)."""


def _is(name: str, wanted: str) -> bool:
    """Whether a file of this name is of the kind ``wanted`` (:mod:`djlint_docker.kinds`)."""
    return kind(PurePath(name)) == wanted


def _is_django_file(folder: Path, name: str, siblings: list[str] | None = None) -> bool:
    """Whether a file is one of Django's (``manage.py``, ``settings.py``...) or a module of a settings package (a
    ``settings/`` folder with an ``__init__.py``: ``config/settings/production.py``; FastAPI's
    ``core/settings/config.py`` beside no ``__init__.py`` is no Django's). Without ``siblings``, of a file the walk
    kept, which it tested with them."""
    return name in DJANGO_FILES or (folder.name == "settings" and name.endswith(".py")
                                    and (siblings is None or "__init__.py" in siblings))


def _virtualenv(folder: str) -> bool:
    """Whether a folder is a virtualenv (its ``pyvenv.cfg``), not a project made one in place (``python -m venv .``
    beside its ``manage.py`` or compose file): the walk does not enter a virtualenv."""
    return os.path.exists(os.path.join(folder, "pyvenv.cfg")) and not any(
        os.path.exists(os.path.join(folder, name)) for name in PROJECT_MARKERS)


PROJECT_MARKERS = ("manage.py", *DEFAULT_FILES)
"""Files a virtualenv never holds at its top: a folder with them and a ``pyvenv.cfg`` is a project."""


def _another_programs_settings(path: Path, siblings: Iterable[str] = ()) -> bool:
    """Whether a ``settings.py`` is another program's: it names nothing of Django's (``django``, ``INSTALLED_APPS``,
    ``ROOT_URLCONF``, a star import of other settings) and imports another web framework or pydantic's settings
    (``from pydantic_settings import BaseSettings`` in a Litestar or FastAPI application), or a module beside it
    does (the constants of a Flask app whose ``app.py`` imports Flask), with no Django module beside them."""
    data = _read(path, 1 << 16) or b""
    if DJANGO_SETTINGS_WORDS.search(data) is not None:
        return False
    if OTHER_FRAMEWORK_IMPORT.search(data) is not None or PYDANTIC_SETTINGS_IMPORT.search(data) is not None:
        return True
    modules = sorted(name for name in siblings if name.endswith(".py") and name != path.name)[:MAX_SIBLING_MODULES]
    if DJANGO_FILES.intersection(modules):
        return False
    return any(OTHER_FRAMEWORK_IMPORT.search(_read(path.parent / name, 1 << 16) or b"") for name in modules)


MAX_SIBLING_MODULES = 30
"""How many modules beside a ``settings.py`` are read for the web framework they import."""


DJANGO_SETTINGS_WORDS = re.compile(rb"(?i:django)|INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE|"
                                   rb"^[ \t]*from[ \t]+\S+[ \t]+import[ \t]+\*", re.M)
PYDANTIC_SETTINGS_IMPORT = re.compile(rb"^[ \t]*(?:from|import)[ \t]+pydantic(?:_settings)?\b", re.M)


WEB_FRAMEWORKS = rb"fastapi|sanic|quart|tornado|aiohttp|starlette|litestar|falcon|bottle|pyramid"
"""The packages of Python's other web frameworks (Flask's aside: ``flask_script`` and its kin are Flask's too)."""
OTHER_FRAMEWORK_IMPORT = re.compile(rb"^[ \t]*(?:from|import)[ \t]+(?:flask\w*|" + WEB_FRAMEWORKS + rb")\b", re.M)
"""An import of another web framework's package (``from flask_script import Manager``)."""
PYTHON_IMPORT = re.compile(rb"^[ \t]*(?:from|import)[ \t]+\w", re.M)
OWN_PROGRAM_LINES = 5
"""A ``manage.py`` of this many lines or more that imports modules and never names Django is a program of its own
(a click tool that builds a site and runs compose); a shorter one is a placeholder."""


def _another_programs_manage(path: Path) -> bool:
    """Whether a ``manage.py`` is another program's command script: it never names Django (Django's imports
    ``django.core.management``, a wrapper sets ``DJANGO_SETTINGS_MODULE``) and imports another framework
    (Flask-Script, Flask-Migrate...) or is a program of its own (:data:`OWN_PROGRAM_LINES`)."""
    data = _read(path, 1 << 16) or b""
    if b"django" in data.lower():
        return False
    lines = sum(1 for line in data.splitlines() if line.strip())
    return OTHER_FRAMEWORK_IMPORT.search(data) is not None or (
        lines >= OWN_PROGRAM_LINES and PYTHON_IMPORT.search(data) is not None)


def _read(path: Path, limit: int) -> bytes | None:
    """The first ``limit`` bytes of a regular file; None for anything else (a FIFO would block an open)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        regular = stat.S_ISREG(os.fstat(handle).st_mode)
    except OSError:
        regular = False
    if not regular:  # a folder (a `readme/` beside the code) or a FIFO
        os.close(handle)
        return None
    with os.fdopen(handle, "rb") as file:
        try:
            return file.read(limit)
        except OSError:
            return None


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _can_be_compose(head: str) -> bool:
    """Whether a file starting with ``head`` can be a compose file: each top-level key there is one of Compose's."""
    seen = False
    for line in head.splitlines():
        if not line.strip() or line.startswith(("#", "---", "%")) or line[0] in " \t":
            continue
        key = line.split(":", 1)[0].strip().strip("'\"")
        if ":" not in line or not (key in TOP_LEVEL or key.startswith("x-")):
            return False  # a CI workflow's `on:`, a Kubernetes `apiVersion:`, a list at the top
        seen = True
    return seen


class _Walk:
    """One walk below a top folder: the files of interest by folder, and the outlines of compose candidates."""

    def __init__(self, top: Path, excluded: Callable[[Path], bool]) -> None:
        self.top = top
        self.repository = _repository(top)
        self.excluded = excluded
        self.found: dict[Path, list[str]] = {}
        self.another_programs_manage = False  # a `manage.py` that never names Django (Flask-Script's, a click tool's)
        self.outlines: dict[Path, Outline | None] = {}
        self._data: dict[Path, bytes | None] = {}
        self._heads: dict[Path, bytes | None] = {}
        self._images: dict[Path, _Image] = {}
        self._other_languages: dict[Path, bool] = {}
        self._frameworks: dict[Path, bool] = {}
        self.composes: dict[Path, list[str]] = {}  # the compose files of each folder, by name or by content
        self._walk()
        self.used = self._named_by(lambda found: found.uses)  # the files include: and extends: {file:} read as parts
        self.included = self._named_by(lambda found: found.included)  # the files include: reads
        self._copier_subdirectories: dict[Path, Path | None] = {}
        self._rendered: set[Path] | None = None

    @property
    def rendered_folders(self) -> set[Path]:
        """The folders whose files a shell script at the top renders into a project with ``sed`` (``sed
        "s/\\$DJANGO_PROJECT_NAME/$name/g" ../files/Dockerfile > $name/Dockerfile``): templates, not a setup. Read
        once per walk."""
        if self._rendered is None:
            self._rendered = set()
            for script in (path for path in _launch_files(self.top) if path.suffix == ".sh"):
                data = _read(script, MAX_COMPOSE_BYTES) or b""
                self._rendered |= {self.top / folder.decode("utf-8", "replace") for folder in RENDERS.findall(data)}
        return self._rendered

    def _named_by(self, names: Callable[[Outline], tuple[str, ...]]) -> set[Path]:
        """The files the compose files of the walk name in a part of their outline (``uses``, ``included``), each from
        the folder of the file that names it; not one named through a variable."""
        return {Path(posixpath.normpath(str(folder / named))) for folder, files in self.composes.items()
                for name in files if (found := self.outline(folder / name)) is not None for named in names(found)
                if "$" not in named}

    def copier_subdirectory(self, folder: Path) -> Path | None:
        """The ``_subdirectory`` the Copier configuration of a folder (``copier.yml``) names, as a path; None when the
        folder has none. Read once per folder."""
        if folder not in self._copier_subdirectories:
            found = None
            for name in COPIER_FILES:
                data = _read(folder / name, MAX_COMPOSE_BYTES)
                if data is not None and (match := COPIER_SUBDIRECTORY.search(data)) is not None:
                    found = folder / match.group(1).decode("utf-8", "replace")
                    break
            self._copier_subdirectories[folder] = found
        return self._copier_subdirectories[folder]

    def data(self, path: Path) -> bytes | None:
        """The bytes of a compose file or Dockerfile (as many as a compose file is read for); read once."""
        if path not in self._data:
            self._data[path] = _read(path, MAX_COMPOSE_BYTES)
        return self._data[path]

    def head(self, path: Path) -> bytes | None:
        """The first 64 KB of a Dockerfile (or of a module its server serves); read once."""
        if path not in self._heads:
            self._heads[path] = _read(path, 1 << 16)
        return self._heads[path]

    def image(self, path: Path) -> _Image:
        """What a Dockerfile builds (:func:`_image`); worked out once."""
        if path not in self._images:
            self._images[path] = _image(path, self)
        return self._images[path]

    @cached_property
    def another_frameworks_repository(self) -> bool:
        """:func:`_another_frameworks_repository` of the walk's top; worked out once, not for each stack."""
        return _another_frameworks_repository(self)

    def requires_another_framework(self, folder: Path) -> bool:
        """:func:`_requires_another_framework` of a build context; worked out once."""
        if folder not in self._frameworks:
            self._frameworks[folder] = _requires_another_framework((folder,), self)
        return self._frameworks[folder]

    def other_language(self, folder: Path) -> bool:
        """:func:`_other_language` of a folder below the top; worked out once."""
        if folder not in self._other_languages:
            self._other_languages[folder] = _other_language(folder, self.top)
        return self._other_languages[folder]

    def outline(self, path: Path) -> Outline | None:
        """The outline of a compose file (None when it is unreadable or no mapping); read once."""
        if path not in self.outlines:
            data = self.data(path)
            self.outlines[path] = outline(_decoded(data)) if data is not None else None
        return self.outlines[path]

    def _compose_by_content(self, path: Path, ignores: _IgnoreFiles) -> bool:
        """Whether a YAML file of another name is a compose file; its outline is kept when it is read."""
        head = _read(path, HEAD_BYTES)
        if head is None or not _can_be_compose(_decoded(head).rpartition("\n")[0] or _decoded(head)):
            return False
        if len(head) < HEAD_BYTES:  # the whole file: its outline costs no other read
            self.outlines[path] = outline(_decoded(head))
        elif ignores.ignored(path):
            return False  # read no further in what git ignores (a build output, a vendored tree)
        found = self.outline(path)
        return found is not None and found.is_compose and not ignores.ignored(path)

    def _walk(self) -> None:
        entries = 0
        ignores = _IgnoreFiles(self.repository)
        for folder, dirs, files in os.walk(self.top, onerror=lambda error: None):
            entries += len(dirs) + len(files)
            if entries > MAX_ENTRIES:
                break
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs
                             if d not in SKIP_DIRS and not _virtualenv(os.path.join(folder, d))
                             and not self.excluded(here / d))
            names = []
            composes = []
            for name in sorted(files):
                found = kind(PurePath(name))
                if found in {"yaml", "compose"} and compose_set_aside(name):
                    continue  # a fragment a user copies and fills in (prod-template.yml) or a copy set aside: no stack
                if found == "yaml":
                    if not self.excluded(here / name) and self._compose_by_content(here / name, ignores):
                        names.append(name)
                        composes.append(name)
                elif name == "manage.py" and _another_programs_manage(here / name):
                    self.another_programs_manage = True
                    continue  # Flask-Script's `manage.py`, a click tool's: not Django's
                elif name == "settings.py" and _another_programs_settings(here / name, files):
                    continue  # a Litestar or FastAPI application's pydantic settings, a Flask app's constants
                elif (found in SETUP_KINDS or _is_django_file(here, name, files)) and not self.excluded(here / name):
                    names.append(name)
                    if found == "compose":
                        composes.append(name)
            if names:
                self.found[here] = names
            if composes:
                self.composes[here] = composes


def _repository(folder: Path) -> Path:
    """The git repository holding ``folder`` (its top folder), else ``folder``."""
    return next((above for above in (folder, *folder.parents) if os.path.exists(above / ".git")), folder)


class _IgnoreFiles:
    """The ``.gitignore`` files from the repository root down, read only for a YAML file that can be a compose file.

    Reading every ``.gitignore`` of a big tree (hundreds of patterns each) costs more than
    the walk: it is done for the few candidates that need it, each file once.
    """

    def __init__(self, repository: Path) -> None:
        self.root = repository
        self.files: dict[Path, GitIgnore | None] = {}

    def _file(self, folder: Path) -> GitIgnore | None:
        if folder not in self.files:
            path = folder / ".gitignore"
            data = _read(path, MAX_COMPOSE_BYTES) if os.path.isfile(path) else None
            parsed = None
            if data is not None:
                from djlint_docker.parse.gitignore import parse_gitignore  # only where a .gitignore is read

                parsed = parse_gitignore(path, _decoded(data))
            self.files[folder] = parsed
        return self.files[folder]

    def ignored(self, path: Path) -> bool:
        """Whether git ignores ``path`` or a folder it is in."""
        if not path.is_relative_to(self.root):
            return False
        from djlint_docker.parse.gitignore import ignored

        return ignored(path.relative_to(self.root).as_posix(), False,
                       lambda base: self._file(self.root / base if base else self.root))


def _compose_file_variable(folder: Path) -> tuple[Path, ...]:
    """The files ``COMPOSE_FILE`` names in the folder's ``.env`` (or in the template a clone makes it from)."""
    for name in (".env", *(".env" + suffix for suffix in TEMPLATE_SUFFIXES)):
        data = _read(folder / name, 1 << 16) if os.path.isfile(folder / name) else None
        if data is None:
            continue
        text = _decoded(data)
        if "COMPOSE_FILE" not in text:
            return ()
        from djlint_docker.parse import ParseError
        from djlint_docker.parse.envfile import parse_env_file

        try:
            variables = parse_env_file(text)
        except ParseError:
            return ()
        value = variables["COMPOSE_FILE"].value if "COMPOSE_FILE" in variables else None
        if not value:
            return ()
        separator = variables["COMPOSE_PATH_SEPARATOR"].value if "COMPOSE_PATH_SEPARATOR" in variables else None
        parts = value.split(separator or os.pathsep)
        return tuple(Path(posixpath.normpath(str(folder / part.strip()))) for part in parts if part.strip())
    return ()


def _shared_prefix(one: str, other: str) -> int:
    return len(os.path.commonprefix([one, other]))


def _base_for(path: Path, needs: frozenset[str], candidates: list[Path], walk: _Walk) -> Path | None:
    """The compose file of ``candidates`` that defines every service ``needs`` names, with its image (a candidate
    that itself needs other services, a database another file adds, still gives those).

    The one whose name shares the longest start with the override's is taken
    (``docker-compose.test.yml`` for ``docker-compose.test.override.yml``), then the first.
    """
    fitting = [candidate for candidate in candidates
               if (found := walk.outline(candidate)) is not None and needs <= set(found.services)
               and (not found.needs or needs <= found.sourced - found.needs)]
    return max(fitting, key=lambda candidate: _shared_prefix(candidate.name, path.name), default=None)


def _base_for_folder(folder: Path, walk: _Walk) -> Path | None:
    names = walk.composes.get(folder, [])
    default = next((n for n in DEFAULT_FILES if n in names), None)
    return folder / default if default else None


def _base_it_builds_for(path: Path, found: Outline, candidates: list[Path], walk: _Walk) -> Path | None:
    """The compose file beside ``path`` that runs, from images, every service ``path`` only gives a ``build:``
    (``docker-compose.build.yml`` beside ``docker-compose.yml``, run as ``-f docker-compose.yml -f
    docker-compose.build.yml build``): an override that builds the images the base pulls."""
    services = set(found.services) - found.removed
    if not services or services != found.build_only:
        return None
    return next((candidate for candidate in candidates if candidate != path and candidate.parent == path.parent
                 and (base := walk.outline(candidate)) is not None and services <= base.imaged), None)


def _base_it_retags(path: Path, found: Outline, candidates: list[Path], walk: _Walk) -> Path | None:
    """The compose file beside ``path`` that builds every service ``path`` gives only another tag of the same image
    (``image: django:prod`` over the base's ``build: ./docker/django/`` and ``image: django:dev``, run as ``-f
    docker-compose.yml -f prod.yml``): an override naming the images the base builds, which no registry holds."""
    services = set(found.services) - found.removed
    if not services or found.built or services != found.imaged:
        return None
    for candidate in candidates:
        base = walk.outline(candidate) if candidate != path and candidate.parent == path.parent else None
        if base is not None and services <= base.built and all(
                (repository := found.repository(name)) is not None and repository == base.repository(name)
                for name in services):
            return candidate
    return None


def _base_its_paths_start_from(path: Path, found: Outline, walk: _Walk) -> Path | None:
    """The default compose file of a folder above ``path`` when the files ``path`` names (the Dockerfiles it builds,
    else its env files; and what it bind-mounts) are found from that folder and not from its own: a production
    file kept in ``docker/`` and run as ``-f docker-compose.yml -f docker/docker-compose.prod.yml``, an add-on
    ``docker/modules/backup.yml`` reading ``docker/prod/env/.db.env`` or mounting ``./docker/conf``, whose
    relative paths start from the first file's folder."""
    named = [posixpath.join(context, dockerfile) for context, dockerfile in found.builds
             if "$" not in context + dockerfile and "://" not in context] or [
        name for name in found.env_files if "$" not in name and not posixpath.isabs(name)]
    named += [source for source in found.mounted if source.rstrip("/") not in {".", ".."}]

    def found_from(folder: Path) -> bool:
        return any(os.path.exists(posixpath.normpath(str(folder / name))) for name in named)

    if not named or found_from(path.parent):
        return None
    production = any(PRODUCTION_WORDS.search(name) for name in named)
    for above in path.parent.parents:
        if not above.is_relative_to(walk.top):
            break
        # what it reads is production's (`docker/prod/env/.db.env`): the production file there, else the default
        base = next((above / name for name in walk.composes.get(above, []) if production
                     and PRODUCTION_WORDS.search(name)), None) or _base_for_folder(above, walk)
        if base is not None and found_from(above):
            return base
    return None


def _base_above(path: Path, needs: frozenset[str], walk: _Walk) -> Path | None:
    """A base for ``path`` in the folders above it (within the walk), nearest first."""
    for above in path.parent.parents:
        if not above.is_relative_to(walk.top):
            break
        base = _base_for(path, needs, [above / n for n in walk.composes.get(above, ())], walk)
        if base is not None:
            return base
    return None


def _base_of(path: Path, candidates: list[Path], walk: _Walk) -> Path | None:
    """The file ``path`` is merged onto, None when it is a stack of its own."""
    found = walk.outline(path)
    if found is None:
        return None
    if not found.needs:
        return (_base_its_paths_start_from(path, found, walk) or _base_it_builds_for(path, found, candidates, walk)
                or _base_it_retags(path, found, candidates, walk))
    return (_base_for(path, found.needs, [b for b in candidates if b != path], walk)
            or _base_above(path, found.needs, walk))


LAUNCH_SCRIPTS = re.compile(r"[\w.-]+\.(?:sh|bash)|Makefile|makefile|GNUmakefile|justfile|Justfile|fabfile\.py"
                            r"|tasks\.py")
MAX_LAUNCH_SCRIPTS = 20
MAX_LAUNCH_SCRIPT_BYTES = 1 << 17
COMPOSE_RUN = re.compile(r"docker[- ]compose\b[^\n]*")
FILE_OPTION = re.compile(r"(?:^|\s)(?:-f|--file)(?:\s+|=)[\"']?([\w./-]+\.ya?ml)\b")


FILE_VARIABLE = re.compile(
    r"^[ \t]*(?:export[ \t]+)?([A-Za-z_]\w*)[ \t]*[:=][ \t]*[\"']?([\w./-]+\.ya?ml)[\"']?[ \t]*$", re.M)
"""A variable a script or pipeline names a compose file with (``PROD_COMPOSE: docker-compose.prod.yml``)."""
VARIABLE_USE = re.compile(r"\$\{\{\s*env\.(\w+)\s*\}\}|\$\{(\w+)\}|\$(\w+)")


def _variables_expanded(text: str, values: dict[str, str]) -> str:
    """``text`` with the uses of the variables it names compose files by (``-f ${{ env.PROD_COMPOSE }}``) replaced."""
    if not values:
        return text
    return VARIABLE_USE.sub(lambda use: values.get(next(filter(None, use.groups())), use.group()), text)


def _launch_files(folder: Path) -> list[Path]:
    """The folder's launch scripts and CI pipelines (:func:`pipeline_paths`), each bounded."""
    try:
        scripts = sorted(Path(entry.path) for entry in os.scandir(folder) if LAUNCH_SCRIPTS.fullmatch(entry.name))
    except OSError:
        scripts = []
    return scripts[:MAX_LAUNCH_SCRIPTS] + pipeline_paths(folder)


def _compose_runs(folder: Path) -> list[list[str]]:
    """The compose files each ``docker compose`` command of the folder's committed launch scripts and CI pipelines
    names (``-f``, directly or through a variable set in the file), as written from the folder."""
    runs: list[list[str]] = []
    for path in _launch_files(folder):
        data = _read(path, MAX_LAUNCH_SCRIPT_BYTES)
        text = _decoded(data).replace("\\\n", " ") if data is not None else ""
        text = _variables_expanded(text, dict(FILE_VARIABLE.findall(text)))
        runs += [[posixpath.normpath(match) for match in FILE_OPTION.findall(run.group()[:4096])]
                 for run in COMPOSE_RUN.finditer(text)]
    return runs


def _scripted_stacks(folder: Path, names: list[str]) -> list[tuple[Path, ...]]:
    """The stacks the folder's committed launch scripts and CI pipelines run by naming several compose files
    (``docker-compose -f docker-compose.yml -f docker-compose.build.yml -f docker-compose.development.yml`` in
    ``dc.sh``, a Makefile or a deploy job, directly or through a variable set in the file): an overlay is checked
    merged as the project runs it, not alone."""
    found: list[tuple[Path, ...]] = []
    for files in _compose_runs(folder):
        if len(files) >= 2 and all(file in names for file in files):
            stack = tuple(folder / file for file in dict.fromkeys(files))
            if stack not in found:
                found.append(stack)
    return found


def compose_files_run_by_scripts(folder: Path) -> list[str]:
    """The compose files the folder's committed launch scripts and CI pipelines run by name (``docker-compose -f
    docker-compose-prod.yml run --rm app flake8 .`` in a Makefile), as written from the folder."""
    return list(dict.fromkeys(file for files in _compose_runs(folder) for file in files))


def _compose_stacks(folder: Path, names: list[str], walk: _Walk) -> list[tuple[Path, ...]]:
    """The stacks Compose runs in ``folder``: the default one, then each other file alone or on its base.

    An override's base is looked for in its folder, then in the folders above it (within
    the walk): ``docker/ci.yml`` run as ``-f docker-compose.yml -f docker/ci.yml``, a
    ``.devcontainer/docker-compose.yml`` that only adds to the project's services. The
    combinations the folder's launch scripts run (:func:`_scripted_stacks`) are stacks, and
    their files are not also stacks alone.
    """
    names = [name for name in names if _template_of(name) not in names]
    default = next((n for n in DEFAULT_FILES if n in names), None)
    listed = tuple(path for path in _compose_file_variable(folder) if os.path.isfile(path))
    stacks: list[tuple[Path, ...]] = []
    if listed:
        stacks.append(listed)
    elif default:
        base = _base_above(folder / default, found.needs, walk) if (
            (found := walk.outline(folder / default)) is not None and found.needs) else None
        stacks.append((*((base,) if base else ()), folder / default,
                       *(folder / o for o in OVERRIDES.get(default, ()) if o in names)))
    for scripted in _scripted_stacks(folder, names):
        if scripted not in stacks:
            stacks.append(scripted)
    taken = {path for stack in stacks for path in stack}
    all_overrides = {o for group in OVERRIDES.values() for o in group}
    bases = [stack[0] for stack in stacks] + [folder / n for n in names if folder / n not in taken]
    guessed = {path: _base_of(path, bases, walk) for name in names
               if not ((path := folder / name) in taken or name in all_overrides or path in walk.used)}
    # (an override of a default file, or a file another compose file includes or extends from, is left out)
    for path, base in guessed.items():
        if base is not None and base in walk.included:
            continue  # an add-on of a file another one includes (`react.yaml` beside `base.yaml`): the project lists
            # it among the files it includes, with their env files, and runs no `-f base.yaml -f react.yaml`
        if base is not None and guessed.get(base) == path and _base_rank(base, guessed, walk) < _base_rank(
                path, guessed, walk):
            continue  # each adds to the other (`prod.yml` lacks the image of the nginx `prod.certbot.yml` adds):
            # the one more files build on is the base, and this one is checked on it, not also as its override
        stacks.append((base, path) if base is not None else (path,))
    if default and not listed and stacks[0] == (folder / default,) and _shared_skeleton(folder / default, stacks):
        del stacks[0]
    return stacks


SAMPLE_MARKERS = "|".join(marker for marker in TEMPLATE_MARKERS if not marker.startswith("default")
                          and not compose_set_aside(marker))  # (the walk drops `prod-template.yml` already)
COMPOSE_SAMPLE = re.compile(rf"(.+?)[._-](?:{SAMPLE_MARKERS})(\.ya?ml)", re.I)
"""A compose file's committed sample (``docker-compose.example.yml`` for ``docker-compose.yml``; a
``docker-compose.default.yml`` is a base the project runs)."""


def _template_of(name: str) -> str | None:
    """The compose file a template of this name is copied to, None when the name is no template's: beside that file
    the template is a sample of it, which no one runs (its stale build context is nothing the project builds)."""
    found = COMPOSE_SAMPLE.fullmatch(name)
    return found.group(1) + found.group(2) if found else None


def _shared_skeleton(path: Path, stacks: list[tuple[Path, ...]]) -> bool:
    """Whether a default compose file is the part a development and a production overlay share
    (``docker-compose.yml`` run as ``-f docker-compose.yml -f docker-compose.local.yml`` or ``... -f
    docker-compose.prod.yml``): the project runs it with one of them, not alone, and it is checked merged with each."""
    overlays = [stack[-1].name for stack in stacks if len(stack) == 2 and stack[0] == path]
    return any(PRODUCTION_WORDS.search(name) for name in overlays) and any(
        DEVELOPMENT_WORDS.search(name) and not TEST_WORDS.search(name) for name in overlays)


def _base_rank(path: Path, guessed: dict[Path, Path | None], walk: _Walk) -> tuple[int, int, int]:
    """How much of a base ``path`` is: the files merged onto it, then the images it builds, then its services."""
    found = walk.outline(path)
    return (sum(base == path for base in guessed.values()), len(found.builds) if found is not None else 0,
            len(found.services) if found is not None else 0)


def _python_below(found: dict[Path, list[str]], below: dict[Path, list[Path]], root: Path) -> tuple[Path, ...]:
    return tuple(folder / n for folder in below.get(root, ()) for n in found[folder] if _is_django_file(folder, n))


def _python_of_stack(found: dict[Path, list[str]], below: dict[Path, list[Path]], root: Path,
                     top: Path) -> tuple[Path, ...]:
    """The Django files below a compose file's folder; for a file kept in a subfolder (``deploy/``), the nearest
    folder above it (within the walk) that holds some."""
    for folder in (root, *root.parents):
        python = _python_below(found, below, folder)
        if python or folder == top or not folder.is_relative_to(top):
            return python
    return ()


def _may_reach_above(stack: tuple[Path, ...], walk: _Walk) -> bool:
    """Whether the stack's containers may get their code from above its folder: it builds nothing (it runs images
    made elsewhere), or a build context, a Dockerfile or a bind mount leads out of the folder (``build: ..``,
    ``../src:/app``), or a variable names one. A stack whose builds and mounts all stay in its folder (a skeleton
    to copy, with an empty ``backend/``) runs no Django of the folders beside it."""
    contexts: list[str] = []
    mounted: list[str] = []
    for path in stack:
        found = walk.outline(path)
        if found is None:
            return True
        contexts += [context for context, _ in found.builds]
        # a Dockerfile kept outside the folder (`dockerfile: ../docker/Dockerfile`) ties the stack to the project there
        mounted += found.mounted
        mounted += [posixpath.join(context or ".", dockerfile) for context, dockerfile in found.builds if dockerfile]
    return not contexts or any("$" in written or written.startswith("/")
                               or posixpath.normpath(written or ".").split("/")[0] == ".."
                               for written in contexts + mounted)


def _written_for_above(path: Path, walk: _Walk, top: Path) -> Path:
    """The folder a compose file's builds are written from: its own, or a folder above it (within ``top``) from
    which every Dockerfile it builds is found, and its own folder named, when some are not found from its own
    (``deploy/docker/compose.dev.yml`` building ``dockerfile: ./deploy/docker/backend/Dockerfile`` from ``context:
    .``: a file the README copies to the repository's top, or runs with ``--project-directory .``)."""
    folder = path.parent
    found = walk.outline(path)
    builds = [posixpath.join(context or ".", dockerfile or "Dockerfile") for context, dockerfile in found.builds
              if "$" not in context + dockerfile and not (context + dockerfile).startswith("/")] if found else []
    if not builds or all(os.path.isfile(folder / built) for built in builds):
        return folder
    for above in folder.parents:
        if not above.is_relative_to(top):
            break
        own = folder.relative_to(above).as_posix() + "/"  # the file names its own folder from there
        if any(posixpath.normpath(built).startswith(own) for built in builds) \
                and all(os.path.isfile(above / built) for built in builds):
            return above
    return folder


def _below(found: dict[Path, list[str]]) -> dict[Path, list[Path]]:
    """Each folder of ``found`` listed under itself and every folder above it, in walk order.

    Looking a setup's folders up here keeps discovery linear in the number of setups.
    """
    below: dict[Path, list[Path]] = {}
    for folder in found:
        for above in (folder, *folder.parents):
            below.setdefault(above, []).append(folder)
    return below


def _built(folder: Path, walk: _Walk, linked: dict[Path, Path]) -> set[Path]:
    """The Dockerfiles the compose files of ``folder`` build (as written, without variables), from the folder each
    is run from (:func:`_linked_compose_files`)."""
    built = set()
    for name in walk.composes.get(folder, ()):
        found = walk.outline(folder / name)
        for context, dockerfile in found.builds if found is not None else ():
            base = Path(posixpath.normpath(str(linked.get(folder / name, folder) / context)))
            built.add(Path(posixpath.normpath(str(base / dockerfile))))
    return built


SYMLINK = re.compile(r"\bln[ \t]+(?:-[A-Za-z]+[ \t]+)*[\"']?(?:\./)?([\w./-]+\.ya?ml)[\"']?"
                     r"(?:[ \t]+[\"']?([\w./-]+)[\"']?)?")
"""``ln -s docker/local/compose.yml ./docker-compose.yml``: a compose file run through a link elsewhere."""
MAX_LINK_DOCUMENTS = 40
MAX_LINK_BYTES = 1 << 17


def _linked_compose_files(top: Path, walk: _Walk) -> dict[Path, Path]:
    """The compose files the README, a launch script or a CI pipeline links into another folder (``ln -s
    docker/docker-compose.dev.yml docker-compose.yml``, run from the repository's top), or runs with another project
    folder (``--project-directory .``): Compose reads their relative paths from that folder. Each with that folder."""
    documents: list[Path] = []
    for folder in (top, top / "scripts", top / "bin"):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        documents += [folder / name for name in names if LAUNCH_SCRIPTS.fullmatch(name) or name.lower() in README_NAMES]
    linked: dict[Path, Path] = {}
    for document in [*documents, *pipeline_paths(top)][:MAX_LINK_DOCUMENTS]:
        data = _read(document, MAX_LINK_BYTES)
        found = SYMLINK.findall(_decoded(data)) if data and b"ln " in data else []
        found += _run_from(_decoded(data)) if data and b"--project-directory" in data else []
        for source, target in found:
            path = Path(posixpath.normpath(str(top / source)))
            place = top if not target or target in {".", "./"} else Path(posixpath.normpath(str(top / target)))
            folder = place if not place.name.endswith((".yml", ".yaml")) else place.parent
            if path.name in walk.composes.get(path.parent, ()) and folder != path.parent and folder.is_relative_to(top):
                linked[path] = folder
    for folder, names in walk.composes.items():
        if folder == top or not folder.parent.is_relative_to(top):
            continue
        for name in names:
            if folder / name not in linked and _written_from_above(folder / name, walk):
                linked[folder / name] = folder.parent
    return linked


MAX_COMMAND_LINE = 4096
PROJECT_DIRECTORY = re.compile(r"--project-directory(?:=|[ \t]+)[\"']?([\w./-]+)")


def _run_from(text: str) -> list[tuple[str, str]]:
    """(compose file, project folder) of each command that runs a compose file with ``--project-directory`` (``docker
    compose --project-directory . -f .docker/compose.yaml up`` in a README), both as written from the top."""
    found = []
    for line in text.replace("\\\n", " ").splitlines():
        if "--project-directory" in line and len(line) <= MAX_COMMAND_LINE and COMPOSE_RUN.search(line):
            folder = PROJECT_DIRECTORY.search(line)
            found += [(file, folder.group(1)) for file in FILE_OPTION.findall(line)] if folder else []
    return found


def _written_from_above(path: Path, walk: _Walk) -> bool:
    """Whether a compose file's paths start from the folder above its own (``docker/docker-compose.prod.yml``
    mounting ``./docker/caddy/Caddyfile``, which is there and not below ``docker/``): it is run from there, with
    ``-f docker/docker-compose.prod.yml``, as its header often says."""
    data = walk.data(path)
    if not data:
        return False
    folder = path.parent
    name = re.escape(folder.name.encode())
    # the paths on the host: a mount's source (`- ./docker/caddy/Caddyfile:/etc/caddy/Caddyfile`), a `context:`, an
    # `env_file:`; not a `dockerfile:`, which starts from the build context, nor a command's path in the container
    found = [_decoded(match[0] or match[1]) for match in re.findall(
        rb"(?m)(?:^\s*-\s*[\"']?\./" + name + rb"/([\w./-]+):|^\s*(?:-\s*)?(?:context|env_file|source)\s*:\s*[\"']?\./"
        + name + rb"/([\w./-]+))", data)[:MAX_FROM_ABOVE]]
    # `./docker/caddy/ci.sh` from `docker/`'s parent is `docker/caddy/ci.sh`; from `docker/` it would be below it
    return any(os.path.exists(folder / rest) for rest in found) and not any(
        os.path.exists(folder / folder.name / rest) for rest in found)


MAX_FROM_ABOVE = 50


DJANGO_STACK = re.compile(rb"django|manage\.py|wsgi|asgi|celery", re.I)
"""What a compose file that runs Django without Django files of its own says (``manage.py rqworker`` of a
published image)."""
PYTHON_SERVER = re.compile(rb"gunicorn|uwsgi|daphne|uvicorn|hypercorn", re.I)
"""The Python application servers a compose file may start Django with (or another framework's app)."""
REQUIREMENTS_FILES = ("requirements.txt", "pyproject.toml", "Pipfile")
FRAMEWORK_REQUIREMENT = re.compile(rb"^[ \t\"']*(django|flask|" + WEB_FRAMEWORKS + rb")\b", re.I | re.M)
"""A requirement line naming a web framework (``fastapi==0.115``, ``"flask>=3"`` in a pyproject list)."""


def _may_run_django(stack: tuple[Path, ...], dockerfiles: tuple[Path, ...], walk: _Walk,
                    found: dict[Path, list[str]], below: dict[Path, list[Path]]) -> bool:
    """Whether a compose stack with no Django files below its folder may still run Django.

    It may when a compose file names a Django program or module, a service builds from a
    folder holding Django files (``../backend``) or with a Dockerfile that installs Django,
    or a Dockerfile of its folder is a Django image. A stack that does none of these in
    another language's project (a ``package.json``, ``go.mod``... in its folder or above,
    and no Python project file) is no Django setup: a JavaScript project's
    ``postgres:latest``; nor is one that builds images of its own, none Django's, in a repository
    with no Django file whose ``manage.py`` is another program's (a static site's engine), nor one that builds the
    image of another framework's app (``uvicorn api.main:app`` serving a module that imports FastAPI, a
    ``pip3 install flask gunicorn``). A compose
    file alone in a folder is still checked: it was given.
    """
    no_django_file = not any(name in DJANGO_FILES or name.endswith(".py") for names in found.values() for name in names)
    if no_django_file and walk.another_frameworks_repository and not any(
            b"django" in (walk.data(path) or b"").lower() for path in stack):
        return False  # a Litestar or FastAPI project's stack (`backend/pyproject.toml` requires litestar)
    builds = another_framework = starts_a_server = False
    bases: set[bytes] = set()
    requires_django: bool | None = None  # whether the build contexts' requirements name Django; None: none has any
    for path in stack:
        data = walk.data(path)
        outlined = walk.outline(path)
        if data is None or outlined is None or DJANGO_STACK.search(data):
            return True
        starts_a_server = starts_a_server or PYTHON_SERVER.search(data) is not None
        for context, dockerfile in outlined.builds:
            builds = True
            if "$" in context + dockerfile or "://" in context:
                return True  # a context djcheck cannot place
            folder = Path(posixpath.normpath(str(path.parent / context)))
            built = Path(posixpath.normpath(str(folder / dockerfile)))
            image = walk.image(built)
            if _python_below(found, below, folder) or image.django:
                return True
            head = walk.head(built)
            bases.update(FROM_IMAGE.findall(head) if head is not None else [b"$"])  # a Dockerfile not there: unknown
            if (named_django := _requirements_name_django(folder, walk)) is not None:
                requires_django = bool(requires_django) or named_django
            another_framework = another_framework or image.serves_another_framework \
                or walk.requires_another_framework(folder)
    if another_framework:
        return False  # it builds the image of a FastAPI or Flask app (`uvicorn api.main:app`), and none of Django's
    if no_django_file and builds and (requires_django is False or walk.another_programs_manage
                                      or not any(map(_python_or_backing, bases))):
        # no Django file in the repository, and it builds images whose requirements name no Django (a backup
        # script's), beside another program's manage.py, or none on Python or a database Django uses (HAProxy)
        return False
    if starts_a_server:
        return True  # `gunicorn` of a published image
    return any(walk.image(path).django for path in dockerfiles) or not walk.other_language(stack[0].parent)


def _requirements_name_django(folder: Path, walk: _Walk) -> bool | None:
    """Whether a build context's requirements files name Django (any package with ``django`` in its name); None when
    it has none."""
    heads = [head for name in REQUIREMENTS_FILES if (head := walk.head(folder / name)) is not None]
    return any(b"django" in head.lower() for head in heads) if heads else None


def _python_or_backing(base: bytes) -> bool:
    """Whether a Dockerfile's base image is Python's (``python:3.12-slim``, ``ghcr.io/astral-sh/uv``), or a
    database, cache or broker Django uses (:data:`DJANGO_BACKING_IMAGE`)."""
    name = base.lower().rsplit(b"/", 1)[-1].split(b":", 1)[0].split(b"@", 1)[0]
    return b"python" in name or name in {b"pypy", b"uv"} or b"$" in name or DJANGO_BACKING_IMAGE.match(name) is not None


def _another_frameworks_repository(walk: _Walk) -> bool:
    """Whether the requirements at the top or in a folder just below it name another web framework and none names
    Django (:func:`_requires_another_framework`)."""
    folders = level = [walk.top]
    for _ in range(2):  # the top, the folders below it and theirs (`bio3dbeacons/api/requirements.txt`)
        below: list[Path] = []
        for folder in level:
            try:
                below += sorted(entry for entry in folder.iterdir() if entry.is_dir() and entry.name not in SKIP_DIRS
                                and not entry.name.startswith("."))
            except OSError:
                continue
        level = below[:MAX_TOP_FOLDERS - len(folders)]
        folders = folders + level
    return _requires_another_framework(folders, walk)


MAX_TOP_FOLDERS = 200
"""How many folders near the top :func:`_another_frameworks_repository` reads the requirements of."""


def _requires_another_framework(folders: Iterable[Path], walk: _Walk) -> bool:
    """Whether the requirements (``requirements.txt``, ``pyproject.toml``, ``Pipfile``) of build contexts name another
    web framework (FastAPI, Flask...) and not Django."""
    named: set[bytes] = set()
    for folder in folders:
        for name in REQUIREMENTS_FILES:
            named |= {word.lower() for word in FRAMEWORK_REQUIREMENT.findall(walk.head(folder / name) or b"")}
    return bool(named) and b"django" not in named


STACK_NAME = re.compile(rb"^name:[ \t]*[\"']?([^\s\"'#]+)", re.M)
"""The top-level ``name:`` of a compose file (the project's name, for Compose)."""


DJANGO_BACKING_IMAGE = re.compile(rb"^(?:postgres|postgis|mysql|mariadb|redis|valkey|rabbitmq|memcached)(?:$|[_-])")
"""The databases, caches and brokers a Django project connects to (a MongoDB or Grafana is another tool's)."""


def _plain(name: bytes) -> bytes:
    """A name without case and separators: ``Paperless_NGX`` is ``paperless-ngx``'s."""
    return re.sub(rb"[^a-z0-9]", b"", name.lower())


IMAGE_LINE = re.compile(rb"^[ \t]*image:[ \t]*[\"']?([^\s\"'#]+)", re.M)
"""An ``image:`` line of a compose file, read without YAML."""


def _runs_services(stack: tuple[Path, ...], walk: _Walk) -> bool:
    """Whether a stack's files define services (an empty compose file beside the Dockerfile runs none)."""
    return any((outlined := walk.outline(path)) is not None and outlined.services for path in stack)


def _default_stack(stack: tuple[Path, ...]) -> bool:
    """Whether a stack is the one ``docker compose up`` starts in its folder (``compose.yaml``,
    ``docker-compose.yml`` and its override)."""
    return stack[0].name in DEFAULT_FILES


def _another_tools(stack: tuple[Path, ...], walk: _Walk) -> bool:
    """Whether a compose stack is another tool's: it builds nothing, names no Django program or module, runs no
    image named for the repository, and no database, cache or broker Django connects to (a MongoDB and
    mongo-express of ``extras/open-food-facts/`` helping an import, a Grafana, a Spark cluster). Called for a stack
    kept in a folder apart from the Django files, or beside them under a name of its own; an install recipe
    running the project's published image
    (``ghcr.io/paperless-ngx/paperless-ngx``) and the PostgreSQL a Makefile starts beside the app are the
    project's."""
    for path in stack:
        data = walk.data(path)
        outlined = walk.outline(path)
        if data is None or outlined is None or _builds_here(path, outlined, walk) or outlined.uses \
                or DJANGO_STACK.search(data):
            return False
        names = {_plain(walk.repository.name.encode())} | {_plain(name) for name in STACK_NAME.findall(data)}
        for image in IMAGE_LINE.findall(data):
            repository = re.sub(rb":[^/]*$", b"", image.lower().split(b"@")[0])  # without its tag and digest
            if b"$" in image or names & {_plain(part) for part in repository.split(b"/")}:
                return False  # the runner's choice, or the project's published image
            if b"/" not in repository and repository.decode("utf-8", "replace") not in OFFICIAL_IMAGES:
                return False  # a bare unofficial name (`image: app:1.0`): built on the machine, the project's
            if DJANGO_BACKING_IMAGE.search(repository.rsplit(b"/", 1)[-1]):
                return False  # a database, cache or broker the settings may connect to (storages.yaml beside app.yaml)
    return True


def _builds_here(path: Path, found: Outline, walk: _Walk) -> bool:
    """Whether a compose file builds an image from a folder of the repository: a build context outside it
    (``context: ../../../../Downloads`` of a sample pasted from someone's machine) builds nothing of the project."""
    return any("$" in context or Path(posixpath.normpath(str(path.parent / context))).is_relative_to(walk.repository)
               for context, _ in found.builds)


OTHER_LANGUAGES = ("package.json", "go.mod", "Cargo.toml", "pom.xml", "build.gradle", "build.gradle.kts", "Gemfile",
                   "composer.json", "mix.exs", "deno.json")
"""The files that make a folder another language's project."""
PYTHON_PROJECT = ("pyproject.toml", "requirements.txt", "setup.py", "setup.cfg", "Pipfile", "uv.lock", "poetry.lock")


def _other_language(folder: Path, top: Path) -> bool:
    """Whether ``folder`` or a folder above it (within the walk) is another language's project and none is Python's;
    or, when none is either, a folder just below one of them is and none is Python's (a Node server's
    ``src/package.json``, a Go one's ``server/go.mod`` beside a ``frontend/package.json``)."""
    other = False
    folders: list[Path] = []
    for above in (folder, *folder.parents):
        if any(os.path.isfile(above / name) for name in PYTHON_PROJECT):
            return False
        other = other or any(os.path.isfile(above / name) for name in OTHER_LANGUAGES)
        folders.append(above)
        if above == top or not above.is_relative_to(top):
            break
    if other:
        return True
    subfolders = [entry.path for above in folders for entry in _subfolders(above)]
    return _holding(subfolders, OTHER_LANGUAGES) and not _holding(subfolders, PYTHON_PROJECT)


def _subfolders(folder: Path) -> list[os.DirEntry[str]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)[:MAX_SUBFOLDERS]
    except OSError:
        return []
    return [entry for entry in entries if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")]


def _holding(folders: list[str], names: tuple[str, ...]) -> bool:
    return any(os.path.isfile(os.path.join(folder, name)) for folder in folders for name in names)


def _another_languages_builds(stack: tuple[Path, ...], walk: _Walk, project: Path) -> bool:
    """Whether the stack builds images, each from a Dockerfile of the repository that names no Python, in another
    language's project (:func:`_other_language`) or on another language's runtime image (a Go server's ``FROM
    golang``, an Elixir one's ``FROM .../elixir-ubuntu-22-04`` beside a ``hello-world`` placeholder)."""
    built = [Path(posixpath.normpath(str(path.parent / context / dockerfile)))
             for path in stack if (outlined := walk.outline(path)) is not None
             for context, dockerfile in outlined.builds]
    texts = [COMMENT_LINE.sub(b"", data) if "$" not in str(path) and (data := walk.head(path)) else b""
             for path in built]
    if not texts or not all(texts) or any(PYTHON_WORDS.search(text) for text in texts):
        return False
    return walk.other_language(project) or any(
        OTHER_RUNTIME.match(base.rsplit(b"/", 1)[-1]) for text in texts for base in FROM_IMAGE.findall(text)[:1])


PYTHON_WORDS = re.compile(rb"python|pip|django|manage\.py|gunicorn|uwsgi|uvicorn|celery|poetry|\buv\b", re.I)
"""What a Dockerfile that builds a Python image names (outside its comments: ``# API in Go, replacing Django``)."""
COMMENT_LINE = re.compile(rb"^[ \t]*#.*$", re.M)
OTHER_RUNTIME = re.compile(rb"(?:node|golang|ruby|elixir|erlang|php|openjdk|eclipse-temurin|amazoncorretto|maven"
                           rb"|gradle|rust|deno|bun|dotnet)(?:$|[-_.])", re.I)
"""The runtime images of other languages, by the last part of their name."""


MAX_SUBFOLDERS = 200  # folders below one looked into for another language's project


class _Image(NamedTuple):
    django: bool  # a Django image
    serves_another_framework: bool  # its server serves a module that imports FastAPI, Flask..., or it pip-installs one


def _image(path: Path, walk: _Walk) -> _Image:
    """What a Dockerfile builds: a Django image (it runs manage.py, a WSGI/ASGI server..., not on another program's
    official image), and whether it is another framework's: its server serves a module that imports one
    (:func:`_serves_another_framework`), or it pip-installs one (:data:`OTHER_FRAMEWORK_INSTALL`)."""
    data = walk.head(path)
    if data is None:
        return _Image(False, False)
    another = OTHER_FRAMEWORK_INSTALL.search(data) is not None or _serves_another_framework(path, data, walk)
    if b"{%" in data or DJANGO_IMAGE.search(data) is None:  # (a Jinja template is no Dockerfile)
        return _Image(False, another)
    if another and b"django" not in data.lower() and b"manage.py" not in data:
        return _Image(False, another)  # `uvicorn bookscraper.api:app`, a module that imports FastAPI
    # its final stage on another program's official image: a Caddy image "serving the static files from django"
    final = FROM_IMAGE.findall(data)[-1:]
    return _Image(not final or final[0].lower().rsplit(b"/", 1)[-1] not in OTHER_PROGRAM_IMAGES, another)


OTHER_FRAMEWORK_INSTALL = re.compile(rb"\bpip3?[ \t]+install\b[^\n#]{0,300}?[ \t'\"]"
                                     rb"(?:flask|fastapi|sanic|quart|streamlit|litestar|falcon|bottle|pyramid|dash|gradio)"
                                     rb"(?=[ \t=<>~!\[;'\"]|$)", re.I | re.M)
"""A ``pip install`` in a Dockerfile that names another web framework's package (``pip3 install flask gunicorn``)."""
SERVED_MODULE = re.compile(rb"\b(?:uvicorn|gunicorn|hypercorn|daphne)\b[^\n:]*?[\s\"']([A-Za-z_][\w.]*):[A-Za-z_]\w*")
"""The module an ASGI/WSGI server serves an application of (``uvicorn api.main:app``, ``CMD ["uvicorn",
"api.main:app"]``)."""


def _serves_another_framework(path: Path, data: bytes, walk: _Walk) -> bool:
    """Whether the server a Dockerfile starts serves a module (found beside it or in a folder above it) that imports
    another web framework (FastAPI, Flask...)."""
    for module in dict.fromkeys(SERVED_MODULE.findall(data)):
        relative = module.decode("ascii", "replace").replace(".", "/") + ".py"
        for folder in list(path.parents)[:MAX_MODULE_DEPTH]:
            text = walk.head(folder / relative)
            if text is not None:
                if OTHER_FRAMEWORK_IMPORT.search(text) is not None:
                    return True
                break
    return False


MAX_MODULE_DEPTH = 4  # folders above a Dockerfile looked in for the module its server serves


COPY_SOURCES = re.compile(rb"^[ \t]*(?:COPY|ADD)[ \t]+((?:--[\w-]+=\S+[ \t]+)*)([^\n\[]+?)[ \t]*$", re.I | re.M)


def _copy_sources(path: Path) -> set[str]:
    """What a Dockerfile's ``COPY``/``ADD`` instructions take from its build context (not from a stage, nor a URL or
    a git repository that ``ADD`` downloads), by name."""
    data = _read(path, 1 << 16) or b""
    sources: set[str] = set()
    for match in COPY_SOURCES.finditer(data):
        if b"--from" in match.group(1):
            continue
        words = match.group(2).decode("utf-8", "replace").split()
        sources |= {w.strip("'\"").rstrip("/") for w in words[:-1]
                    if not any(c in w for c in "*?[$") and "://" not in w and not w.startswith("git@")}
    return {posixpath.normpath(source).lstrip("/") for source in sources} - {"", "."}  # `./.env_prod` is `.env_prod`


def _context_above(path: Path, top: Path) -> Path | None:
    """The folder above its own a Dockerfile is built from, when what it copies is not in its folder but is in one
    above (``app/Dockerfile.deploy`` copying ``app/entrypoint.sh``: built from the repository's top). When no folder
    above holds more of it than its own (a ``requirements.txt`` that moved away), it is built from its own."""
    sources = _copy_sources(path)
    if not sources or all(os.path.exists(path.parent / source) for source in sources):
        return None
    found = _context_for(path, top, top)
    held = sum(os.path.exists(found / source) for source in sources)
    held_beside = sum(os.path.exists(path.parent / source) for source in sources)
    return found if found != path.parent and held > held_beside else None


def _context_for(path: Path, top: Path, project: Path) -> Path:
    """The folder a Dockerfile kept in a subfolder is built from: the nearest one (from its own up to ``project``)
    that holds what its ``COPY``/``ADD`` instructions name; ``project`` when they name only ``.``."""
    sources = _copy_sources(path)
    for folder in (path.parent, *path.parent.parents):
        if sources and all(os.path.exists(folder / source) for source in sources):
            return folder
        if folder == project or folder == top or not folder.is_relative_to(top):
            break
    return project if path.is_relative_to(project) else path.parent


def discover(paths: Sequence[Path], config: Config | None = None) -> list[Setup]:
    """Every setup under ``paths`` (a file stands for its folder), outermost first.

    The configuration's ``exclude`` patterns leave folders and files out; its
    ``compose-files`` are stacks of their own, and a file such a stack reads is not
    also taken as a stack alone (the default file and its override still are).
    """
    CONTEXT_WALKS.clear()
    excluded = config.excludes if config else lambda path: False
    configured = config.compose_files if config else ()
    named = {path for stack in configured for path in stack}
    setups: list[Setup] = []
    seen: set[tuple] = set()
    tops = dict.fromkeys((given if os.path.isdir(given) else given.parent).resolve() for given in paths)
    for top in tops:  # `djcheck a/Dockerfile a/compose.yml` walks `a` once
        walk = _Walk(top, excluded)
        first = len(setups)
        found = walk.found
        below = _below(found)
        for stack in configured:
            root = stack[0].parent
            if root.is_relative_to(top) and (root, stack) not in seen:
                seen.add((root, stack))
                names = found.get(root, [])
                setups.append(Setup(root, stack, tuple(root / n for n in names if _is(n, "dockerfile")),
                                    _python_of_stack(found, below, root, top), top=top))
        compose_roots = list(walk.composes)
        compose_roots += [stack[0].parent for stack in configured if stack[0].parent.is_relative_to(top)]
        linked = _linked_compose_files(top, walk)

        compose_set = set(compose_roots) | set(linked.values())
        built: set[Path] = set()
        stacks_of = {root: _compose_stacks(root, walk.composes.get(root, []), walk) for root in sorted(compose_set)}
        # an override another folder's stack combines (COMPOSE_FILE=docker-compose.yml:docker/dev.yml, a launch
        # script's -f): checked in that stack, not also alone in its own folder
        combined = {path for stacks in stacks_of.values() for stack in stacks if len(stack) > 1
                    for path in stack[1:] if path.parent != stack[0].parent}
        for root, stacks in stacks_of.items():
            built |= _built(root, walk, linked)
            for stack in stacks:
                # Compose's project folder: the first file's, or the folder a link to it is made in
                project = linked.get(stack[0]) or next((linked[path] for path in stack[1:] if path in linked),
                                                       None) or _written_for_above(stack[0], walk, top)
                key = (project, stack)
                configured_alone = len(stack) == 1 and stack[0] in named and stack[0].name not in DEFAULT_FILES
                if len(stack) == 1 and stack[0] in combined and stack[0].name not in DEFAULT_FILES:
                    continue
                if key not in seen and not configured_alone:
                    seen.add(key)
                    dockerfiles = tuple(project / n for n in found.get(project, []) if _is(n, "dockerfile"))
                    python = _python_of_stack(found, below, project, top) if _may_reach_above(stack, walk) \
                        else _python_below(found, below, project)
                    if stack[0] not in named and python and _another_tools(stack, walk) and (
                            not dockerfiles and not _python_below(found, below, project)
                            or not _default_stack(stack) and _runs_services(stack, walk)):
                        continue  # nothing in it is Django's: kept apart from the Django files, or one of its own
                        # beside them (docker-compose-spark.yml, a monitoring stack) that is not the default one
                    if not python and _another_languages_builds(stack, walk, project):
                        continue  # a Go or Node server's stack, even one naming a DJANGO_SECRET_KEY a template left
                    if python or stack[0] in named or _may_run_django(stack, dockerfiles, walk, found, below):
                        setups.append(Setup(project, stack, dockerfiles, python, top=top))
        for folder, names in sorted(found.items()):
            dockerfiles = tuple(folder / n for n in names if _is(n, "dockerfile"))
            if not dockerfiles or folder in compose_set:
                continue
            python = _python_below(found, below, folder)
            if any(above in compose_set for above in folder.parents):
                # Below a compose setup: an image of its own when no compose file builds it and it is Django's, or
                # the production variant of one a compose file builds beside the Django project (`Dockerfile.prod`
                # beside the development `Dockerfile` and `manage.py`, deployed by another tool).
                beside_project = any(p.name == "manage.py" and p.parent == folder for p in python) and any(
                    other.parent == folder for other in built)
                dockerfiles = tuple(d for d in dockerfiles if d not in built and (
                    walk.image(d).django or beside_project and PRODUCTION_WORDS.search(d.name)))
                if not dockerfiles:
                    continue
                python = python or _python_of_stack(found, below, folder, top)
            elif not (any(p.name == "manage.py" for p in python) or any(p.name in {"settings.py", "wsgi.py"}
                                                                         for p in python)):
                # A Django image kept in its own folder (docker/Dockerfile) for a project above it.
                dockerfiles = tuple(d for d in dockerfiles if walk.image(d).django)
                python = _python_of_stack(found, below, folder, top) if dockerfiles else ()
                if not any(p.name in {"manage.py", "settings.py", "wsgi.py"} for p in python):
                    continue
            key = (folder, ())
            if key not in seen:
                seen.add(key)
                contexts: tuple[tuple[Path, Path], ...] = ()
                if python and not python[0].is_relative_to(folder):  # a project above: `-f docker/prod/Dockerfile .`
                    project = python[0].parent
                    while not all(p.is_relative_to(project) for p in python):
                        project = project.parent
                    contexts = tuple((d, _context_for(d, top, project)) for d in dockerfiles)
                else:  # beside the project, built from above it all the same (`COPY app/entrypoint.sh /`)
                    contexts = tuple((d, above) for d in dockerfiles if (above := _context_above(d, top)) is not None)
                setups.append(Setup(folder, (), dockerfiles, python, contexts, top=top))
        setups[first:] = [setup for setup in setups[first:] if not _template(setup, walk)]
        scripted = _scripted_contexts(top)
        if scripted:
            setups[first:] = [_with_contexts(setup, scripted) for setup in setups[first:]]
    return [setup for setup in setups if not _test_harness(setup, tops)]


MAKEFILES = ("Makefile", "makefile", "GNUmakefile")
RECIPE_FILES = (*MAKEFILES, "justfile", "Justfile", "fabfile.py", "tasks.py")
"""Task runners whose recipes run from the top folder: make, just, Fabric (``local("docker build ... .")``), invoke."""
MAX_MAKEFILE_BYTES = 1 << 18
DOCKER_BUILD = re.compile(r"\bdocker[ \t]+(?:buildx[ \t]+)?build[ \t]+(?P<rest>[^;&|\n]*)")
"""A ``docker build`` (or ``docker buildx build``) in a recipe, up to the end of its command."""
BUILD_OPTIONS_WITH_VALUE = frozenset({"-t", "--tag", "--build-arg", "--target", "--platform", "--cache-from",
                                      "--cache-to", "--label", "--network", "--secret", "--ssh", "--output", "-o",
                                      "--progress", "--builder", "--iidfile", "--add-host", "--build-context"})


def _scripted_contexts(top: Path) -> dict[Path, Path]:
    """The build context a committed task runner at the top (:data:`RECIPE_FILES`), or a CI pipeline, gives each
    Dockerfile it builds (``docker build -f docker/Dockerfile-deb -t ralph-deb .``, or ``docker/build-push-action``
    with ``context: .`` and ``file: deploy/Dockerfile``: the top folder, not the Dockerfile's); a recipe or a step runs
    at the top."""
    found: dict[Path, Path] = {}
    for path in [top / name for name in RECIPE_FILES] + pipeline_paths(top):
        for dockerfile, context in _builds_in(path, top, pushed=False).items():
            found.setdefault(dockerfile, context)
    return found


def pipeline_builds(top: Path) -> dict[Path, Path]:
    """The Dockerfiles a CI pipeline of the repository builds and publishes (it pushes an image too), each with its
    build context: images the project deploys."""
    found: dict[Path, Path] = {}
    for path in pipeline_paths(top):
        for dockerfile, context in _builds_in(path, top, pushed=True).items():
            found.setdefault(dockerfile, context)
    return found


PUSHED = re.compile(r"\bdocker[ \t]+(?:image[ \t]+)?push[ \t]+(?:-[-\w]+[ \t]+)*[\"']?([\w./:${}-]+)")
"""The image a ``docker push`` publishes."""


COPIED_OUT = re.compile(r"(?:\b(?:put|scp|rsync)\b[^\n]*?|^[ \t]*-?[ \t]*source:[ \t]*)[\"']?"
                        r"((?:\.?/)?(?:[\w.-]+/)*[\w.-]*compose[\w.-]*\.ya?ml)\b", re.M | re.I)
"""A compose file a deploy step copies to a server (Fabric's ``put('docker/production/docker-compose.yml',
'~/app/')``, ``scp``, ``rsync``, appleboy/scp-action's ``source:``), by its path from the top."""


def compose_files_copied_out(top: Path) -> set[Path]:
    """The compose files a launch script or a CI pipeline of the top folder copies elsewhere to run: their relative
    paths name that place's files (``./db/postgres`` beside the copy on the server), not the repository's."""
    found: set[Path] = set()
    for path in _launch_files(top):
        data = _read(path, MAX_LAUNCH_SCRIPT_BYTES)
        for written in COPIED_OUT.findall(_decoded(data)) if data is not None else ():
            for file in written.split(","):
                copied = Path(os.path.normpath(top / file.strip()))
                if copied.is_relative_to(top) and os.path.isfile(copied):
                    found.add(copied)
    return found


def pipeline_pushed(top: Path) -> set[str]:
    """The repositories (``mirsoftdevel/kp``, tags left out) the CI pipelines push by name."""
    found: set[str] = set()
    for path in pipeline_paths(top):
        data = _read(path, MAX_MAKEFILE_BYTES)
        for image in PUSHED.findall(_decoded(data)) if data is not None else ():
            if "$" not in (name := image_repository(image)):
                found.add(name)
    return found


def image_repository(reference: str) -> str:
    """An image reference without its tag, lowercased: ``mirsoftdevel/kp:web-develop`` is ``mirsoftdevel/kp``
    (a registry's port, ``registry:5000/kp``, is no tag)."""
    reference = reference.strip().lower()
    return reference.rsplit(":", 1)[0] if ":" in reference.rsplit("/", 1)[-1] else reference


IMAGE_PUSH = re.compile(r"\bdocker(?:/build-push-action\b|[ \t]+(?:image[ \t]+)?push\b)|^[ \t]*push:[ \t]*true\b"
                        r"|^[ \t]*-?[ \t]*[\w-]+/(?:push|push-image|build-and-push-image|build_and_push_image)[ \t]*:",
                        re.M)
"""A CI step that publishes an image (``docker push``, ``docker/build-push-action`` with ``push: true``, a CircleCI
orb's push job: ``- deploy/push:``, ``- aws-ecr/build-and-push-image:``)."""


def _builds_in(path: Path, top: Path, pushed: bool) -> dict[Path, Path]:
    """The Dockerfiles a Makefile or pipeline builds, with their contexts; ``pushed``: only of a pipeline that
    publishes an image."""
    data = _read(path, MAX_MAKEFILE_BYTES)
    if data is None:
        return {}
    text = _decoded(data).replace("\\\n", " ")
    if pushed and not IMAGE_PUSH.search(text):
        return {}
    builds = _docker_builds(text) + (_action_builds(text) if path.name not in RECIPE_FILES else [])
    pairs = [(dockerfile, context) for dockerfile, context, _ in builds]
    found: dict[Path, Path] = {}
    for dockerfile, context in pairs:
        if context is None:
            continue
        dockerfile = dockerfile or posixpath.join(context, "Dockerfile")  # Docker's default: the context's own
        if "$" in dockerfile + context:
            continue
        built, folder = Path(os.path.normpath(top / dockerfile)), Path(os.path.normpath(top / context))
        if built.is_relative_to(top) and folder.is_relative_to(top) and os.path.isdir(folder):
            found.setdefault(built, folder)
    return found


def _build_command(words: list[str]) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The Dockerfile (``-f``), the context and the tags (``-t``) of a ``docker build``'s words; None for what it does
    not say."""
    dockerfile, positional, tags, index = None, [], [], 0
    while index < len(words):
        word = _unquoted(words[index])
        if word in {"-f", "--file", "-t", "--tag"} and index + 1 < len(words):
            value = _unquoted(words[index + 1])
            if word in {"-f", "--file"}:
                dockerfile = value
            else:
                tags.append(value)
            index += 2
            continue
        if word.startswith(("--file=", "--tag=")):
            key, value = word.split("=", 1)
            if key == "--file":
                dockerfile = value
            else:
                tags.append(value)
        elif word in BUILD_OPTIONS_WITH_VALUE:
            index += 1
        elif not word.startswith("-"):
            positional.append(word)
        index += 1
    return dockerfile, positional[0] if len(positional) == 1 else None, tuple(tags)


def _unquoted(word: str) -> str:
    """A word of a command without its quotes, nor the close of the Python call it ends (Fabric's
    ``local('docker build -f docker/Dockerfile .')``)."""
    return word.removesuffix(")").strip("'\"") if word.endswith(("')", '")')) else word.strip("'\"")


def scripted_tags(top: Path, wanted: Iterable[str] = (), root: Path | None = None) -> dict[str, Path]:
    """The image names (:func:`image_repository`) that a launch script of the top folder (:func:`_launch_files`: a
    shell script, a Makefile) or a CI pipeline tags a Dockerfile it builds with, each with that Dockerfile
    (``docker build -f Dockerfile_project -t paulwinex/project .`` in ``build_all.sh``): a service with that
    ``image:`` and no build runs its image. A tag and a Dockerfile written with the same variable (``docker build -t
    acme/$NAME -f ./docker/$NAME/Dockerfile .`` in a loop) give each ``wanted`` name the tag fits. A path missing
    from ``top`` is looked for from ``root`` too (a ``docker/build.sh`` run from the repository's top)."""
    found: dict[str, Path] = {}
    pipelines = set(pipeline_paths(top))
    for path in _launch_files(top):
        data = _read(path, MAX_MAKEFILE_BYTES)
        text = _decoded(data).replace("\\\n", " ") if data else ""
        for dockerfile, context, tags in _docker_builds(text) + (_action_builds(text) if path in pipelines else []):
            if context is None or "$" in context:
                continue
            written = dockerfile or posixpath.join(context, "Dockerfile")
            for name, named in (pair for tag in tags for pair in _tag_names(tag, written, wanted)):
                built = Path(os.path.normpath(top / named))
                if root is not None and not os.path.exists(built) \
                        and os.path.exists(above := Path(os.path.normpath(root / named))):
                    built = above
                if built.is_relative_to(root or top):
                    found.setdefault(name, built)
    return found


SCRIPT_VARIABLE = re.compile(r"\$\{?([A-Za-z_]\w*)\}?")
CI_EXPRESSION = re.compile(r"\$\{\{[^}]{0,200}\}\}")
"""A GitHub Actions expression (``${{ secrets.DOCKER_USERNAME }}``), which the runner replaces before the step runs."""
NAME_PART = r"[a-z0-9][a-z0-9._-]*"
"""What a variable of an image name stands for: one part of the name."""


def _tag_names(tag: str, dockerfile: str, wanted: Iterable[str]) -> list[tuple[str, str]]:
    """The image names a ``docker build`` tag gives, each with the Dockerfile it builds: the tag's own when it is
    written plainly; when the tag and the Dockerfile share their one variable, each ``wanted`` name the tag fits; when
    only the tag has variables (the account: ``$DOCKER_USER/shop_backend``, ``${{ secrets.DOCKER_USERNAME
    }}/shop_backend``) and its last part is written plainly, each ``wanted`` name that fits it with a name in their
    place."""
    name = image_repository(tag)  # (lowercased, its variable too)
    if not SCRIPT_VARIABLE.search(dockerfile) and not CI_EXPRESSION.search(dockerfile) \
            and (SCRIPT_VARIABLE.search(name) or CI_EXPRESSION.search(name)):
        if "$" in name.rpartition("/")[2]:
            return []  # the image's own name a variable (`$IMAGE`, `ghcr.io/${{ github.repository }}`): any image
        pieces = re.split(rf"{CI_EXPRESSION.pattern}|\$\{{?[A-Za-z_]\w*\}}?", name)
        fits = re.compile(NAME_PART.join(re.escape(piece) for piece in pieces))
        return [(candidate, dockerfile) for candidate in wanted if fits.fullmatch(candidate)]
    used = {variable.lower() for variable in SCRIPT_VARIABLE.findall(name + dockerfile)}
    if not used:
        return [(name, dockerfile)]
    if len(used) != 1 or len(SCRIPT_VARIABLE.findall(name)) != 1 or not SCRIPT_VARIABLE.search(dockerfile):
        return []
    before, _, after = SCRIPT_VARIABLE.split(name, maxsplit=1)
    fits = re.compile(re.escape(before) + f"({NAME_PART})" + re.escape(after))
    found = []
    for candidate in wanted:
        match = fits.fullmatch(candidate)
        if match is not None:
            found.append((candidate, SCRIPT_VARIABLE.sub(match.group(1).replace("\\", ""), dockerfile)))
    return found


def _docker_builds(text: str) -> list[tuple[str | None, str | None, tuple[str, ...]]]:
    """The Dockerfile, context and tags of each ``docker build`` of a recipe's or a script's text
    (:func:`_build_command`)."""
    return [_build_command(match["rest"].split()) for match in DOCKER_BUILD.finditer(text)]


ACTION_KEY = re.compile(r"^([ \t]*)(?:-[ \t]+)?(with|context|file|dockerfile|path|repository|tags):[ \t]*[\"']?"
                        r"((?:\$\{\{[^}\n]{0,200}\}\}|[^\s\"'#])*)")  # (a `${{ expression }}` holds spaces)
ACTION_WORKSPACE = "/github/workspace"
"""Where the first ``docker/build-push-action`` (v1, a container action) sees the checkout."""
MAX_ACTION_TAGS = 32
BLOCK_SCALARS = frozenset({"|", ">", "|-", ">-", "|+", ">+"})


def _action_builds(text: str) -> list[tuple[str | None, str | None, tuple[str, ...]]]:
    """The ``file:``, ``context:`` and ``tags:`` of each ``with:`` block of a pipeline that builds
    (``docker/build-push-action``: a ``file:``, or a ``context:`` with ``tags:``, whose Dockerfile is the context's)."""
    found: list[tuple[str | None, str | None, tuple[str, ...]]] = []
    block: dict[str, str] | None = None
    tags: list[str] = []
    indent = tags_indent = 0
    for line in text.splitlines():
        match = ACTION_KEY.match(line)
        depth = len(line) - len(line.lstrip())
        if block is not None and line.strip() and depth <= indent:
            found.append((*_block_build(block), tuple(tags)))
            block = None
        if block is not None and tags_indent and line.strip() and depth > tags_indent:
            if len(tags) < MAX_ACTION_TAGS:  # `tags: |` and a tag a line, or a YAML list
                tags += [tag.strip(" -\"'") for tag in line.split(",") if tag.strip(" -\"'")]
            continue
        tags_indent = 0
        if match and match[2] == "with":
            block, indent, tags = {}, len(match[1]), []
        elif match and block is not None and match[2] == "tags":
            tags = [tag.strip() for tag in match[3].split(",") if tag.strip() and tag.strip() not in BLOCK_SCALARS]
            tags_indent = 0 if tags else depth
        elif match and block is not None and match[3]:
            block[match[2]] = match[3]
    if block is not None:
        found.append((*_block_build(block), tuple(tags)))
    return [(dockerfile, context, tags) for dockerfile, context, tags in found if dockerfile or context and tags]


def _block_build(block: dict[str, str]) -> tuple[str | None, str | None]:
    """The Dockerfile and context a ``with:`` block builds: ``file:`` and ``context:``, or for the first
    ``docker/build-push-action`` (``repository:`` beside it) ``dockerfile:`` and ``path:`` (the checkout by default),
    written as the container action sees them (``/github/workspace/docker/Dockerfile``)."""
    if "dockerfile" in block and "repository" in block:
        return _in_workspace(block["dockerfile"]), _in_workspace(block.get("path", "."))
    return block.get("file"), block.get("context")


def _in_workspace(written: str) -> str:
    """A path of the v1 action, from the checkout: ``/github/workspace/docker/Dockerfile`` is ``docker/Dockerfile``."""
    if written == ACTION_WORKSPACE or written.startswith(ACTION_WORKSPACE + "/"):
        return written[len(ACTION_WORKSPACE):].lstrip("/") or "."
    return written


def _with_contexts(setup: Setup, scripted: dict[Path, Path]) -> Setup:
    """The setup with the contexts a Makefile or a pipeline gives its Dockerfiles, where discovery found none of its
    own."""
    known = {path for path, _ in setup.contexts}
    added = tuple((path, scripted[path]) for path in setup.dockerfiles
                  if path in scripted and path not in known and scripted[path] != path.parent)
    return replaced(setup, contexts=setup.contexts + added) if added else setup


TEST_WORDS = re.compile(r"(?:^|[^a-z0-9])(?:(?:local|dev)?tests?|testing|autotests?|ci|circleci|gitlab-ci|travis|e2e|"
                        r"int|integration|codefresh|jenkins|buildkite|drone|woodpecker|semaphore|teamcity|appveyor|cloudbuild)"
                        r"(?:[^a-z0-9]|$)", re.I)
"""What names an image, a target or a compose file for tests or CI (``tests/bugzilla/Dockerfile``,
``Dockerfile.integration-tests``, ``target: testing``, ``docker-compose.test.yml``,
``docker-compose.integration.yml``, ``compose/int.yml`` (the integration tests' stack),
``docker-compose-circleci.yml``, ``docker-compose.codefresh.yml``: named for a CI service; ``localtest.yml``, the
words glued)."""


def _test_harness(setup: Setup, tops: Iterable[Path]) -> bool:
    """Whether a setup lies in a folder of tests or CI below the folder given (``tests/bugzilla/``,
    ``postgres-docker/tests/``, ``integration_tests/``): a harness the test suite starts, which nothing deploys;
    or in a folder of archived files (``archives/``, ``old/``, ``deprecated/``), kept as examples of the past.
    A folder given to djcheck itself is checked."""
    top = next((top for top in tops if setup.root.is_relative_to(top)), None)
    return top is not None and any(TEST_FOLDER.search(part) or ARCHIVE_FOLDER.fullmatch(part)
                                   for part in setup.root.relative_to(top).parts)


ARCHIVE_FOLDER = re.compile(r"archives?|archived|old|deprecated|obsolete|attic", re.I)
"""A folder of files a project keeps but no longer uses (``archives/Dockerfile.prod``)."""


TEST_FOLDER = re.compile(r"(?:^|[^a-z0-9])(?:tests?|testing|e2e|ci)$", re.I)
"""A folder of tests: named, or its name ending, so (``tests``, ``integration_tests``, ``e2e``; not
``test-server``, an image other projects' tests run)."""


PLACEHOLDER_FOLDER = re.compile(r"\{\{.*\}\}")
"""A folder named by a template placeholder (``{{cookiecutter.project_slug}}``, ``{{ project_name }}``)."""
PLACEHOLDER = re.compile(rb"\{\{-?\s*(?:project_name\b|cookiecutter\.)")
"""A placeholder of ``django-admin startproject --template`` or of cookiecutter in a compose file or Dockerfile."""


def _template(setup: Setup, walk: _Walk) -> bool:
    """Whether a setup is an un-rendered project template rather than a project: its folder (or one above it) is
    named with a ``{{ ... }}`` placeholder, is a Copier template's or the folder a script at the top renders with
    ``sed`` (:attr:`_Walk.rendered_folders`), or its compose files or Dockerfiles hold ``{{ project_name }}`` or
    ``{{ cookiecutter.x }}``, which rendering replaces. A Python file's placeholder alone (a ``wsgi.py`` left
    unrendered in a real project) does not make one."""
    if any(PLACEHOLDER_FOLDER.search(part) for part in setup.root.parts):
        return True
    if _in_copier_template(setup.root, walk) or any(setup.root.is_relative_to(folder)
                                                     for folder in walk.rendered_folders):
        return True
    return any(data is not None and PLACEHOLDER.search(data) is not None
               for path in (*setup.compose_files, *setup.dockerfiles) for data in (walk.data(path),))


RENDERS = re.compile(rb"""\bsed\b[^\n]*?["']s/\\?\$\{?[A-Za-z_]\w*\}?/[^\n]*?\s["']?(?:\.\.?/)*"""
                     rb"""([\w.-]+(?:/[\w.-]+)*)/[\w.-]+["']?\s*>""")
"""A ``sed`` that fills a ``$NAME`` placeholder of a file of a folder into a file elsewhere (the template folder)."""
COPIER_FILES = ("copier.yml", "copier.yaml")
"""The configuration of a Copier template, at the template repository's top."""
COPIER_SUBDIRECTORY = re.compile(rb"^_subdirectory:[ \t]*[\"']?([^\"'\s#]+)", re.M)
"""The folder of a Copier template that holds the project it renders (``_subdirectory: template``)."""


def _in_copier_template(folder: Path, walk: _Walk) -> bool:
    """Whether a folder lies in the ``_subdirectory`` of a Copier template (``copier.yml`` in a folder above it, up to
    the top): the files there are rendered into a project (``pyproject.toml.jinja``), and are none themselves."""
    for above in (folder, *folder.parents):
        if (subdirectory := walk.copier_subdirectory(above)) is not None and folder.is_relative_to(subdirectory):
            return True
        if above == walk.top or not above.is_relative_to(walk.top):
            return False
    return False
