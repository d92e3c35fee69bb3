"""The files of one setup as djcheck reads them: once each, bounded, never outside the project.

A file that cannot be read (DJC002) or parsed (DJC001) is recorded as a problem by
whoever tried to read it; the engine reports every problem after all rules ran. Fixes
give files new texts held in memory (``overlay``), read instead of the disk.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from djlint_docker.kinds import SKIP_DIRS
from djlint_docker.parse import ParseError
from djlint_docker.positions import Location
from djlint_docker.records import record
from djlint_docker.source import Encrypted, RefusedByPython, Unreadable, read_text

T = TypeVar("T")
TEMPLATE_MARKERS = ("example", "sample", "template", "dist", "tmpl", "tpl", "default", "defaults", "exemple",
                    "ejemplo", "exapmle", "exmaple", "examle")
"""The words that name a committed template, best first: what a user copies to make the real file (the French and
Spanish words, and the usual misspellings of "example", which name one as well: ``.env.exapmle``)."""
TEMPLATE_SUFFIXES = tuple(separator + marker for marker in TEMPLATE_MARKERS for separator in ".-_")
"""What the template of a file adds to its name: ``.env.example``, ``.env.dev-sample``, ``nginx.conf_dist``."""
_MARKERS = "|".join(TEMPLATE_MARKERS)
README_NAMES = ("readme.md", "readme.rst", "readme", "readme.txt")
"""A README's names, in any case (``README.md``, ``README.MD``, ``Readme.md``), best first."""


COPY_COMMAND = re.compile(r"\bcp[ \t]+(?:-\w+[ \t]+)*[\"']?([^\s\"';|&]+)[\"']?[ \t]+[\"']?([^\s\"';|&]+)")
"""A shell ``cp SOURCE TARGET`` of a setup guide."""
DOCUMENTATION = re.compile(r"(?i).*\.(?:md|rst)")
MAX_DOCUMENTS = 30
RUNNING_PAGE = re.compile(r"readme|docker|install|setup|deploy|getting[-_ ]?started|quick[-_ ]?start|usage|running",
                          re.I)
"""A page beside the README that says how the project is run (``DOCKER.md``, ``INSTALL.md``, ``DEPLOYMENT.md``)."""


def _readmes(listed: list[str]) -> list[str]:
    """The READMEs among a folder's entries, in the order of :data:`README_NAMES`."""
    return sorted((name for name in listed if name.lower() in README_NAMES), key=lambda name: (
        README_NAMES.index(name.lower()), name))


COMPOSE_NAME = re.compile(r"(?:docker-)?compose[\w.-]*\.ya?ml", re.I)
"""A compose file's name, as its comments are read for the instructions that run it."""
_READMES: dict[tuple[Path, int, int], tuple[str, ...]] = {}
"""The lines of each README read, by path and modification (each run's setups share them)."""
COPY_INSTRUCTION = (r"(?:\bcp\s+(?:-\w+\s+)?|\b(?:copy|rename|duplicate)\s+(?:the\s+)?(?:file\s+)?)[`'\"]?(?:\./)?"
                    r"([\w.-]{{1,100}})[`'\"]?\s+(?:(?:to|as|into)\s+)?(?:(?:a|the)\s+)?(?:new\s+)?(?:file\s+)?"
                    r"[`'\"]?(?:\./)?{target}(?![\w.-])")
"""An instruction to make a file from another: ``cp .env.local .env``, "Copy file `.env.local` to `.env`"."""
AT_THE_TOP = re.compile(r"\b(?:(?:in|at)\s+the\s+(?:project|repository|repo)(?:'s)?\s+root|root\s+(?:of\s+the\s+)?"
                        r"(?:project|repository|repo)|в\s+корне\s+(?:проекта|репозитория)|racine\s+du\s+projet|ra[ií]z\s+del?\s+proje[ct]to"
                        r"|Wurzel(?:verzeichnis)?\s+des\s+Projekts)", re.I)
"""An instruction's words that put the file it makes at the top of the repository ("Create `.env` in the project
root", "Создать файл `.env` в корне проекта"), whichever folder's README says so."""
CREATES = re.compile(r"\b(?:create|make|add|write|fill|populate|touch|nano|vim?|edit|echo|cat|cp|copy|place|put|"
                     r"save|download|generate|dump|ensure|provide"
                     r"|cr[ée]er|crée[rz]?|crear|cree|criar|crie|copier|copiez|copiar|erstellen?|anlegen|kopieren"
                     r"|созда[её]м|создайте|создать|скопируйте|скопируем|копируем)(?!\w)", re.I)
"""Words of an instruction that makes a file: "Create a .env file", ``nano .env.prod``, ``echo X=1 > .env``, "Ensure
you have a database dump called `data.backup` in ..."; in the
other languages READMEs are written in ("créer un fichier `.env`", "crear el archivo .env", "создайте файл .env")."""
CHMOD_X = re.compile(r"\bchmod[ \t]+(?:-[Rvcf]+[ \t]+)*(?:[ugoa]*\+[rwXst]*x[rwXst]*|0?[1357][0-7]{2})[ \t]+"
                     r"([^\n&|;`]{1,300})")
"""A ``chmod`` that gives the owner the x bit, with the paths it is given (up to the end of its command)."""
INSTRUCTION_FILE = re.compile(r"\.(?:md|rst|txt|adoc|sh|bash|mk)$|^(?:makefile|gnumakefile|justfile|"
                              r"taskfile\.ya?ml|tasks\.py|readme)$", re.I)
"""What tells a user how to set a project up: documentation (``SETUP.MD`` too), a Makefile, a task runner's file, a
shell script."""
MAX_INSTRUCTION_FILES = 300
MAX_INSTRUCTION_DEPTH = 4
MAX_INSTRUCTION_BYTES = 1 << 16
"""The start of each instruction file that is searched: 300 of them hold at most about 20 MB."""
DOCUMENTED_FILE_LINES = 60
"""How far after an instruction that creates a file its listed contents are read (:meth:`documented_variables`)."""
DOCUMENTED_ASSIGNMENT = re.compile(r"\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=")
MAX_README_BYTES = 1 << 18
MAX_README_LINE = 1000
MAX_MIRROR_DEPTH = 3
"""Folders above an absent file looked at for a folder of templates mirroring them (``envs_template``)."""
TEMPLATE_FOLDERS = frozenset({"example", "examples", "sample", "samples", "template", "templates"})
"""Folders of templates named for what they hold alone: ``.envs/example/`` beside ``.envs/development/``."""
ENV_FOLDERS = ("env", "envs")
"""What a folder of env files' templates is named for, the marker aside: ``.envs/env.example/`` beside
``.envs/.local/``."""
SAMPLES_FOLDER = re.compile(rf"(?:^|[._-])(?:{_MARKERS}|samples|examples)(?:[._-]|$)", re.I)
"""A folder of samples named with a template's word (``sample_env_files``, ``env-examples``)."""
MAX_SAMPLE_DEPTH = 3
ENV_LIKE = re.compile(r"(?:^|/)\.?envs?(?:[/._-]|$)|\.env$", re.I)
"""A path an env file has: in an ``.envs``/``envs`` folder, or named ``.env``, ``.env.local``, ``web.env``."""
MAX_LISTED = 4096
"""Entries of a folder looked through for a template named otherwise than the usual candidates."""
LANGUAGES = "en|de|fr|es|it|ja|jp|zh|cn|ru|pt|br|nl|pl|ko|kr|tr|ar|uk|sv|fi|da|cs|hu|ro|el|he|id|vi|th|fa"
"""Language codes a template per language of the instructions ends with (``.env_example_jp``)."""
TEMPLATE_NAME = re.compile(rf"[._ -](?:{_MARKERS})(?:[._-](?:{LANGUAGES})|[._-]for[._-][a-z0-9]{{1,30}})?(?:\.txt)?$"
                           rf"|^\.?(?:example|sample|template|rename)\.(?=.)|^\.?env\.(?:{_MARKERS})\."
                           rf"|\.(?:{_MARKERS})(?=\.env$)", re.I)
"""A template's name, the one definition every rule uses: the marker last (``.env.example``, ``env.example``,
``.env.dev-sample``, ``prod.env.template``, ``.env.dist``, ``.env.production TEMPLATE``, ``.env-template.txt``
kept as a text file), or before a language's
code (``.env_example_en``, one template per language of the instructions) or a use (``.env_example_for_docker``
beside ``.env_example_for_local``), first (``TEMPLATE.env``, ``example.env``, ``.example.env``, ``rename.env``:
"rename this file to .env"), right after ``.env`` (``.env.example.local``) or right before it
(``rabbitmq.example.env`` for ``rabbitmq.env``)."""


def template_base(name: str) -> str | None:
    """The name of the file a template of this name is copied to (``.env`` for ``.env.example`` and ``TEMPLATE.env``,
    ``.env.dev`` for ``.env.dev-sample``, ``env`` for ``env.example``), None when the name is no template's."""
    found = TEMPLATE_NAME.search(name)
    if found is None:
        return None
    first = found.group().lower().lstrip(".")
    if found.start() > 0 or not found.group().endswith("."):  # the marker last, or before `.env`
        return name[:found.start()] + name[found.end():] or None
    if first.startswith(("example", "sample", "template", "rename")):  # the marker first: keep its dot
        return name[found.end() - 1:]
    prefix = found.group()[:found.group().lower().index("env") + 3]
    return prefix + name[found.end() - 1:]  # the marker after .env: dropped


MODULE_TEMPLATE = re.compile(rf"[._-](?:{_MARKERS})(?=\.py$)", re.I)
"""A Python module's template, the marker before ``.py`` (``local_example.py``, ``local-dist.py``)."""


def template_name(name: str, names: list[str]) -> str | None:
    """Of the file names ``names`` (a folder's), the template of a file named ``name``, best first: ``.env.example``
    before ``.env.sample`` and ``env.example``; None when there is none."""
    wanted = name.lstrip(".")
    found = []
    for candidate in names:
        module = MODULE_TEMPLATE.search(candidate) if name.endswith(".py") else None
        base = candidate[:module.start()] + ".py" if module else template_base(candidate)
        if base is not None and _same_words(base.lstrip("."), wanted):
            marker = next((i for i, m in enumerate(TEMPLATE_MARKERS) if m in candidate.lower()), len(TEMPLATE_MARKERS))
            # .env.example before env.example, and both before a template of the words in another order
            found.append((marker, base.lstrip(".") != wanted, base != name, candidate))
    return min(found)[-1] if found else None


def _same_words(base: str, wanted: str) -> bool:
    """Whether a template's base names the file: the same name, or an env file's same words in another order
    (``sample.prod.env`` for ``.env.prod``)."""
    return base == wanted or "env" in wanted.split(".") and sorted(base.split(".")) == sorted(wanted.split("."))


@record
class Problem:
    """A file that could not be read (DJC002) or parsed (DJC001)."""

    code: str
    location: Location
    message: str


NO_OVERLAY: Mapping[Path, str] = MappingProxyType({})
SUBMODULE_PATH = re.compile(r"^[ \t]*path[ \t]*=[ \t]*(\S[^\n]*)$", re.M)
"""A submodule's folder in ``.gitmodules`` (``path = backend``)."""
MAX_GITMODULES_BYTES = 1 << 16


class ProjectFiles:
    """Reading and parsing the files below ``root``, each once; the problems met on the way."""

    def __init__(self, root: Path, base: Path, overlay: Mapping[Path, str] | None = None,
                 top: Path | None = None) -> None:
        self.root = root
        self.base = base
        self.top = top  # the folder given to djcheck that holds ``root`` (None: the one it runs in)
        # Texts that fixes gave files, read instead of the disk; one empty mapping for every project without any,
        # so that a run's projects share their siblings (Project._sibling keys them by the overlay's identity).
        self.overlay = overlay or NO_OVERLAY
        self.problems: dict[tuple[str, Location], Problem] = {}
        self._texts: dict[Path, str | None] = {}
        self._unread: dict[Path, Problem] = {}  # why a file read quietly could not be read, until a read needs it
        self._unparsed: dict[tuple[str, Path], Problem] = {}  # why it could not be parsed, until a parse needs it
        self._models: dict[tuple[str, Path], Any] = {}
        self._templates: dict[Path, Path | None] = {}
        self._documented: dict[Path, frozenset[str]] = {}
        self._folder_readmes: dict[Path, list[str]] = {}

    def display(self, path: Path) -> str:
        """A path as the report shows it: relative to where djcheck runs, or as written when the two share no
        folder but the root (`dockerfile: /docker/Dockerfile` is no `../../../docker/Dockerfile`)."""
        if not path.is_absolute():
            return str(path)
        return str(path) if os.path.commonpath([path, self.base.absolute()]) == path.anchor else \
            os.path.relpath(path, self.base)

    def outside(self, path: Path) -> bool:
        """Whether a path leads out of the folder djcheck checks (``/var/www/app/.env``, ``../secrets/web.env``)."""
        return not Path(os.path.normpath(path)).is_relative_to(self.boundary)

    def in_submodule(self, path: Path) -> bool:
        """Whether ``path`` lies in a git submodule of the repository (a ``path =`` of its ``.gitmodules``): a clone
        made without ``--recurse-submodules`` holds its folder empty, so what is absent there is unknown."""
        return any(path.is_relative_to(self.boundary / folder) for folder in self._submodule_folders)

    @cached_property
    def _submodule_folders(self) -> tuple[str, ...]:
        try:
            text = read_text(self.boundary / ".gitmodules", self.boundary)
        except Unreadable:
            return ()
        return tuple(folder for found in SUBMODULE_PATH.finditer(text[:MAX_GITMODULES_BYTES])
                     if (folder := found.group(1).strip().strip('"').strip("/")) and ".." not in folder.split("/"))

    def text(self, path: Path, needed_by: Location | None = None, quiet: bool = False) -> str | None:
        """The text of a file, or None (recording why) when it is missing or unreadable.

        A missing file is recorded only when ``needed_by`` says which line needs it. A file
        read ``quiet``ly is one djcheck looks into for what it may hold, which nothing of the
        setup names (an env file beside it, ``.env.prod.secret`` that git-secret encrypts):
        why it cannot be read is recorded only if a later read needs it.
        """
        if path not in self._texts:
            content: str | None = self.overlay.get(path)
            if content is None and not os.path.exists(path) and not os.path.islink(path):
                if needed_by is not None and not self.in_submodule(path):
                    self._problem("DJC002", needed_by, f"{self.display(path)} does not exist{self.case_hint(path)}")
            elif content is None and path.is_absolute() and self.outside(path):
                self._problem("DJC002", needed_by or Location(path),
                              f"{self.display(path)} is outside the folder djcheck checks "
                              f"({self.display(self.boundary) if self.boundary != self.base else '.'}); not read")
            elif content is None:
                try:
                    content = read_text(path, self.boundary)
                except RefusedByPython as error:  # djcheck could read it; Python would not run it
                    self._problem("DJC001", Location(path, error.line), f"Python source: {error.message}")
                except Encrypted:
                    pass  # its content is the key holders': unknown, as the repository means it to be
                except Unreadable as error:
                    self._unread[path] = Problem("DJC002", Location(path, error.line),
                                                 f"cannot read {self.display(path)}: {error.message}")
            self._texts[path] = content
        if not quiet and path in self._unread:
            problem = self._unread.pop(path)
            self._problem(problem.code, problem.location, problem.message)
        return self._texts[path]

    def case_hint(self, path: Path) -> str:
        """For a path that does not exist, what the project holds under the same name in another case (``Backend``
        for ``backend``), which only a file system that ignores case (Windows', macOS') finds; else ``""``."""
        if self.outside(path):
            return ""
        found = self.boundary
        for part in Path(os.path.normpath(path)).relative_to(self.boundary).parts:
            if os.path.lexists(found / part):
                found = found / part
                continue
            try:
                listed = itertools.islice(os.listdir(found), MAX_LISTED)
                twins = [name for name in listed if name.lower() == part.lower()]
            except OSError:
                return ""
            if len(twins) != 1:
                return ""
            found = found / twins[0]
        return (f" (the project has {self.display(found)}: the names differ in case, which only the file systems "
                f"of Windows and macOS ignore)") if found != Path(os.path.normpath(path)) else ""

    def is_file(self, path: Path) -> bool:
        """Whether ``path`` is a file, counting the ones a fix creates."""
        return path in self.overlay or os.path.isfile(path)

    def template_for(self, path: Path) -> Path | None:
        """The committed template a user copies to make ``path`` when ``path`` is absent (``.env.example``).

        Projects commit ``.env.example`` (``.env.sample``, ``.env.dev-sample``, ``env.example``,
        ``TEMPLATE.env``: :data:`TEMPLATE_NAME`) and gitignore the ``.env`` made from it: in a
        fresh clone the template is what the file will hold. The file the README beside it
        says to copy (``cp .env.local .env``) comes first. A folder of templates mirrors a
        gitignored folder of env files (``config/envs_template/django/.env.local`` for
        ``config/.envs/django/.env.local``): its file at the same place is the template.
        """
        if path not in self._templates:
            self._templates[path] = None if self.is_file(path) else (
                self._template_the_readme_names(path) or self._template_beside(path)
                or self._template_in_a_folder_beside(path) or self._template_in_a_mirror_folder(path)
                or self._template_in_a_samples_folder(path))
        return self._templates[path]

    def template_before_suffix(self, path: Path) -> bool:
        """Whether a committed template names the file with its marker before the extension (``postgres_sample.conf``,
        ``dhparams.example.pem`` for ``dhparams.pem``), which :meth:`template_for` does not look for."""
        return bool(path.suffix) and any(self.is_file(path.with_name(path.stem + marker + path.suffix))
                                         for marker in TEMPLATE_SUFFIXES)

    def _template_the_readme_names(self, path: Path) -> Path | None:
        """The file the README beside ``path``, or a compose file's comment there, says to copy to it (``cp
        .env.local .env``, "Copy file `.env.local` to `.env`"), when it is committed there and a variant of its name
        or a template (``cp .env.example .env.prod``): of several templates, the one the instructions use. They are
        read only when such a file is there."""
        try:
            listed = os.listdir(path.parent)[:MAX_LISTED]
        except OSError:
            return None
        variants = [name for name in listed
                    if name != path.name and (name.startswith(path.name) or template_base(name) is not None)]
        if not variants:
            return None
        wanted = re.compile(COPY_INSTRUCTION.format(target=re.escape(path.name)), re.I)
        # the README, then the compose files beside it, whose header may say how (`#   cp .env.vm.example .env`)
        for name in [*_readmes(listed), *sorted(name for name in listed if COMPOSE_NAME.fullmatch(name))]:
            for line in prose_lines(path.parent / name, self.boundary):
                found = wanted.search(line[:MAX_README_LINE])
                # a variant of the file's own name (`.env.local` for `.env`): `dev.env`, named for a stack of its
                # own, may be one of several the documentation copies there (`prod.env` for production)
                if found and found.group(1) in variants and self.is_file(path.parent / found.group(1)):
                    return path.parent / found.group(1)
        return None

    def readme_creates(self, path: Path, beside: bool = False) -> bool:
        """Whether the README beside ``path``, or the project's (with ``beside``, only by its path from there: a
        `.env` the top README says to create is the top folder's, not also the frontend's), tells the reader to
        create the file: a line that
        names it (``sudo nano .env.prod``, "create a `.env` file with ...") beside a word that makes a file, on it
        or on the line before."""
        return any(any(CREATES.search(near[:MAX_README_LINE]) for near in lines[max(number - 1, 0):number + 1])
                   and not (path.parent != self.boundary and AT_THE_TOP.search(lines[number][:MAX_README_LINE]))
                   for lines, number in self._readme_lines_naming(path, beside))

    def documented(self, path: Path) -> bool:
        """Whether the project's instructions name the file: a README or documentation page, a Makefile or a
        shell script (``make bootstrap`` that ``touch``es it, ``docs/local_setup.md`` that says what it holds)."""
        name = _naming(path)
        return any(name.search(text) for text in self._instructions)

    def made_executable(self, path: Path) -> bool:
        """Whether the project's instructions make the file executable once cloned: a README's or a script's ``chmod
        +x`` (or a mode with the owner's x bit, ``chmod 755``) of a path or pattern whose last parts match the file's
        path in the repository (``sudo chmod +x /opt/memes/scripts/*`` for ``scripts/entrypoint.sh``)."""
        if not path.is_relative_to(self.boundary):
            return False
        parts = path.relative_to(self.boundary).parts
        for text in self._instructions:
            if "chmod" not in text:
                continue
            for match in CHMOD_X.finditer(text):
                for word in match.group(1).split():
                    pattern = word.strip("`'\"").rstrip(";").split("/")
                    tail = pattern[-len(parts):]
                    if len(pattern) >= len(parts) and all(
                            fnmatch.fnmatchcase(part, wanted) for part, wanted in zip(parts, tail, strict=True)):
                        return True
        return False

    def documented_variables(self, path: Path) -> frozenset[str]:
        """The variables the project's instructions write into the file they tell the reader to create: the
        ``NAME=value`` lines that follow "Create production `.env`" (or ``nano .env``) within a few lines, as a
        deployment guide lists what the file must hold. Read once per file."""
        if path not in self._documented:
            self._documented[path] = self._variables_listed(path)
        return self._documented[path]

    def _variables_listed(self, path: Path) -> frozenset[str]:
        name = _naming(path)
        found: set[str] = set()
        for text in self._instructions:
            if not name.search(text):
                continue
            lines = text.splitlines()
            for number, line in enumerate(lines):
                if name.search(line[:MAX_README_LINE]) and CREATES.search(line[:MAX_README_LINE]):
                    for after in lines[number + 1:number + 1 + DOCUMENTED_FILE_LINES]:
                        if (assigned := DOCUMENTED_ASSIGNMENT.match(after[:MAX_README_LINE])) is not None:
                            found.add(assigned.group(1))
        return frozenset(found)

    @cached_property
    def _instructions(self) -> list[str]:
        """The texts of the project's instructions (:meth:`documented`), from its top down: a bounded walk, each
        file's start."""
        found: list[str] = []
        for folder, dirs, files in os.walk(self.boundary):
            depth = len(Path(folder).relative_to(self.boundary).parts)
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and depth < MAX_INSTRUCTION_DEPTH)
            for name in sorted(files):
                if INSTRUCTION_FILE.search(name) and len(found) < MAX_INSTRUCTION_FILES:
                    try:
                        found.append(read_text(Path(folder) / name, self.boundary)[:MAX_INSTRUCTION_BYTES])
                    except Unreadable:
                        continue
        return found

    @cached_property
    def running_documentation(self) -> list[str]:
        """The texts of the README files at the top of the repository and of the project, of the pages beside them
        that say how to run it (``DOCKER.md``, ``INSTALL.md``, ``DEPLOYMENT.md``), and of ``docs/`` (its first
        :data:`MAX_DOCUMENTS` pages)."""
        paths: list[Path] = []
        for folder in dict.fromkeys((self.boundary, self.root, self.boundary / "docs")):
            try:
                paths += sorted(entry for entry in folder.iterdir()
                                if (DOCUMENTATION.fullmatch(entry.name) or entry.name.lower() in README_NAMES)
                                and (folder.name == "docs" or RUNNING_PAGE.match(entry.name)))
            except OSError:
                continue
        return ["\n".join(prose_lines(path, self.boundary)) for path in paths[:MAX_DOCUMENTS]]

    def copied_template(self, path: Path) -> Path | None:
        """The committed template the project's documentation copies over ``path`` (``cp .env.prod.example
        .env.prod``): each user's copy holds what they write there, whatever copy git has."""
        for text in self.running_documentation:
            for source, target in COPY_COMMAND.findall(text):
                template = Path(os.path.normpath(self.root / source))
                if posixpath.basename(target) == path.name and template_base(template.name) == path.name \
                        and Path(os.path.normpath(self.root / target)) == path and self.is_file(template):
                    return template
        return None

    def _readme_lines_naming(self, path: Path, beside: bool = False) -> Iterator[tuple[tuple[str, ...], int]]:
        """The lines of each README beside ``path`` or the project's, and the number of each line naming the file
        (with ``beside``, a README of another folder names it by its path from there: ``backend/.env``)."""
        for folder in dict.fromkeys((path.parent, self.root, self.boundary)):
            if not beside or folder == path.parent:
                name = _naming(path)
            elif path.is_relative_to(folder):
                relative = path.relative_to(folder).as_posix()
                name = re.compile(rf"(?<![\w.-]){re.escape(relative)}(?![\w-]|\.\w)")
            else:
                continue
            for readme in self._readmes_of(folder):
                lines = prose_lines(folder / readme, self.boundary)
                for number, line in enumerate(lines):
                    if name.search(line[:MAX_README_LINE]):
                        yield lines, number

    def _readmes_of(self, folder: Path) -> list[str]:
        """The READMEs of a folder (:func:`_readmes`), listed once per project."""
        if folder not in self._folder_readmes:
            try:
                self._folder_readmes[folder] = _readmes(os.listdir(folder)[:MAX_LISTED])
            except OSError:
                self._folder_readmes[folder] = []
        return self._folder_readmes[folder]

    def _template_beside(self, path: Path) -> Path | None:
        wanted = path.name.lstrip(".")
        words = wanted.split(".")
        # an env file's words in another order too (`sample.prod.env`, `prod.env.example` for `.env.prod`)
        orders = [wanted, *(".".join(order) for order in itertools.permutations(words) if list(order) != words)] \
            if "env" in words and len(words) <= 3 else [wanted]
        candidates = [base + suffix for base in dict.fromkeys((path.name, *orders)) for suffix in TEMPLATE_SUFFIXES]
        candidates += [dot + case(marker) + "." + order for marker in ("example", "sample", "template", "rename")
                       for case in (str.lower, str.upper, str.capitalize)
                       for dot in ("", ".") for order in orders]  # TEMPLATE.env, example.env, .example.env, rename.env
        if path.suffix and path.stem.lstrip("."):  # local_example.py, local-dist.py for local.py
            candidates += [path.stem + suffix + path.suffix for suffix in TEMPLATE_SUFFIXES]
        name = template_name(path.name, [n for n in candidates if self.is_file(path.parent / n)])
        if name is None:  # one template per language of the instructions (`.env_example_en`): from the folder
            try:
                listed = [entry for entry in os.listdir(path.parent)[:MAX_LISTED]
                          if entry.startswith((path.name, wanted)) and entry != path.name]
            except OSError:
                listed = []
            name = template_name(path.name, [n for n in listed if self.is_file(path.parent / n)])
        if name is None and path.name.startswith(".") and "env" in words and self.is_file(path.parent / wanted):
            name = wanted  # `env` committed for the hidden `.env` (`cp env .env`)
        return path.parent / name if name is not None else None

    def _template_in_a_folder_beside(self, path: Path) -> Path | None:
        """The file's template in a folder of templates beside it (``.envs/.local/.examples/.django-example`` for
        ``.envs/.local/.django``): a folder named for what it holds alone (:data:`TEMPLATE_FOLDERS`)."""
        try:
            folders = sorted(entry for entry in os.listdir(path.parent)[:MAX_LISTED]
                             if entry.lstrip(".").lower() in TEMPLATE_FOLDERS)
        except OSError:
            return None
        for folder in folders:
            try:
                names = [name for name in os.listdir(path.parent / folder)[:MAX_LISTED]
                         if self.is_file(path.parent / folder / name)]
            except OSError:
                continue
            name = path.name if path.name in names else template_name(path.name, names)
            if name is not None:
                return path.parent / folder / name
        return None

    def _template_in_a_mirror_folder(self, path: Path) -> Path | None:
        """The file at the same place in a folder of templates beside one of the file's folders (``envs_template``,
        ``.envs.example`` for ``.envs``; ``.envs/example/.django`` or ``.envs/env.example/.django`` for
        ``.envs/development/.django``), up to
        :data:`MAX_MIRROR_DEPTH` folders above it, inside the project."""
        for depth, folder in enumerate(path.parents):
            if depth >= MAX_MIRROR_DEPTH or not folder.is_relative_to(self.boundary) or folder == self.boundary:
                return None
            try:
                siblings = [entry for entry in os.listdir(folder.parent)[:MAX_LISTED]
                            if (template_base(entry) or "").lstrip(".") in (folder.name.lstrip("."), *ENV_FOLDERS)
                            or entry.lower() in TEMPLATE_FOLDERS and entry != folder.name]
            except OSError:
                continue
            for sibling in sorted(siblings):
                candidate = folder.parent / sibling / path.relative_to(folder)
                if self.is_file(candidate):
                    return candidate
        return None

    def _template_in_a_samples_folder(self, path: Path) -> Path | None:
        """An env file's template: the file of the same name in a folder of samples at the project's top or in
        ``docs/``, in a folder named as the file's own (``docs/sample_env_files/backend/local/.gremlin`` for
        ``.envs/.local/.gremlin``): the documentation's copies of every env file. Bounded: :data:`MAX_SAMPLE_DEPTH`
        folders down each."""
        if path.name.lstrip(".") == "" or not path.is_relative_to(self.boundary) or not ENV_LIKE.search(
                path.relative_to(self.boundary).as_posix()):
            return None  # an env file's (`.envs/.local/.django`, `config/.env`), not a module of the project
        wanted = path.parent.name.lstrip(".").lower()
        for samples in self._samples_folders:
            for folder, dirs, files in os.walk(samples):
                depth = len(Path(folder).relative_to(samples).parts)
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)[:MAX_LISTED] if depth < MAX_SAMPLE_DEPTH else []
                if path.name in files and Path(folder).name.lstrip(".").lower() == wanted:
                    return Path(folder) / path.name
        return None

    @cached_property
    def _samples_folders(self) -> list[Path]:
        """The folders of samples at the project's top and in its ``docs/`` (``docs/sample_env_files``,
        ``env_examples``): named with a template's word."""
        found = []
        for top in (self.boundary, self.boundary / "docs"):
            try:
                names = sorted(os.listdir(top))[:MAX_LISTED]
            except OSError:
                continue
            found += [top / name for name in names if SAMPLES_FOLDER.search(name) and os.path.isdir(top / name)]
        return found

    @property
    def texts(self) -> dict[Path, str]:
        """Every file read so far, with its text."""
        return {path: text for path, text in self._texts.items() if text is not None}

    def _problem(self, code: str, location: Location, message: str) -> None:
        self.problems.setdefault((code, location), Problem(code, location, message))

    def parsed(self, kind: str, path: Path, parser: Callable[[Path, str], T],
               needed_by: Location | None = None, quiet: bool = False) -> T | None:
        """Parse a file once with ``parser``; a :class:`ParseError` is recorded as DJC001, for a ``quiet`` parse (see
        :meth:`text`) only once a parse needs the file."""
        key = (kind, path)
        if not quiet and path in self._unread:
            self.text(path, needed_by)  # records why it cannot be read: a quiet read found out first
        if key not in self._models:
            text = self.text(path, needed_by, quiet)
            model = None
            problem = None
            if text is not None:
                try:
                    model = parser(path, text)
                except ParseError as error:
                    problem = Problem("DJC001", Location(path, error.line, error.column), f"{kind}: {error.message}")
                except RecursionError:
                    problem = Problem("DJC001", Location(path), f"{kind}: nested too deeply to read")
            if problem is not None:
                self._unparsed[key] = problem
            self._models[key] = model
        if not quiet and key in self._unparsed:
            problem = self._unparsed.pop(key)
            self._problem(problem.code, problem.location, problem.message)
        return self._models[key]

    @cached_property
    def boundary(self) -> Path:
        """The folder djcheck never reads outside of: the git repository holding the setup, else the folder given.

        Outside git, the folder given to djcheck (``djcheck shop/docker`` reads nothing of ``shop``,
        even when a compose file in ``docker/`` builds from ``..``), or without one the folder
        djcheck runs in when the setup lies below it, else the setup's own folder.
        """
        for folder in (self.root, *self.root.parents):
            if os.path.exists(folder / ".git"):
                return folder
        given = Path(os.path.abspath(self.top if self.top is not None else self.base))
        if self.root.is_absolute() and self.root.is_relative_to(given) and given != Path(given.anchor):
            return given
        return self.root


def _naming(path: Path) -> re.Pattern[str]:
    """A file's name as prose names it: ``.env`` in "put it in `.env`" or in Markdown's underscores (``_.env._``),
    not in ``.env.example`` or ``my.env``."""
    return re.compile(rf"(?:(?<![\w.-])|(?<![\w.-])_){re.escape(path.name)}(?![\w-]|\.[^\W_])")


def prose_lines(path: Path, boundary: Path) -> tuple[str, ...]:
    """The lines of a README or a documentation page, read once per run (its first :data:`MAX_README_BYTES`), never
    outside the project; as prose, not as a file of the setup (its examples suppress nothing)."""
    try:
        info = path.stat()
    except OSError:
        return ()
    key = (path, info.st_mtime_ns, info.st_size)
    if key not in _READMES:
        try:
            text = read_text(path, boundary)
        except Unreadable:
            text = ""
        _READMES[key] = tuple(text[:MAX_README_BYTES].splitlines())
    return _READMES[key]
