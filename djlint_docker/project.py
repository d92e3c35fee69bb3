"""The model of one setup: its files, parsed lazily and once, and the links between them.

Rules ask the project for what they need (``project.stack``, ``project.builds``,
``project.settings``...). A file that cannot be read or parsed is recorded once as a
problem (reported by DJC001/DJC002) and reads as absent, so every other file is
still checked.
"""

from __future__ import annotations

import ast
import functools
import itertools
import os
import posixpath
import re
import stat
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path, PurePath
from typing import Any, TypeVar, cast

from djlint_docker.discover import (
    CONTEXT_WALKS,
    TEST_WORDS,
    Setup,
    compose_files_copied_out,
    compose_files_run_by_scripts,
    compose_set_aside,
    image_repository,
    pipeline_builds,
    pipeline_pushed,
    scripted_tags,
)
from djlint_docker.files import MAX_README_LINE, TEMPLATE_NAME, ProjectFiles, template_base
from djlint_docker.images import data_service, development_tool, parse_image, plain_name, tool_image
from djlint_docker.kinds import SKIP_DIRS, kind, pipeline_paths, yaml_files
from djlint_docker.names import DEVELOPMENT_WORDS, PRODUCTION_WORDS, TRUE_WORDS
from djlint_docker.parse import ParseError
from djlint_docker.parse.compose import Build, Located, Mount, Service, Stack, parse_compose
from djlint_docker.parse.dockerfile import (
    Dockerfile,
    Instruction,
    Stage,
    parse_dockerfile,
)
from djlint_docker.parse.dockerignore import DockerIgnore, parse_dockerignore
from djlint_docker.parse.envfile import EnvVar, parse_env_file
from djlint_docker.parse.gitignore import (
    GitIgnore,
    ignored,
    ignored_here,
    parse_gitignore,
)
from djlint_docker.parse.gitindex import tracked_paths
from djlint_docker.parse.requirements import (
    Requirement,
    RequirementsFile,
    all_requirements,
    parse_requirements,
    requirement_files_named,
)
from djlint_docker.parse.servers import SERVERS, Server, server
from djlint_docker.parse.settings import (
    Assignment,
    DefaultingModule,
    PythonModule,
    Unknown,
    bindings,
    chosen,
    defaulting_module,
    evaluate,
    every_way,
    parse_python,
    settings_module_chosen,
    settings_module_expression,
    settings_module_forced,
    settings_module_from,
)
from djlint_docker.parse.shell import (
    PYTHON,
    SHELLS,
    Command,
    ScriptLine,
    commands_run,
    management_command,
    program,
    runner_skipped,
    script_lines,
    shebang_program,
    split_words,
    words,
)
from djlint_docker.parse.uwsgi import CONFIG_SUFFIXES, SYSTEM_CONFIG, config_files, option_values
from djlint_docker.positions import Location
from djlint_docker.records import record, replaced

T = TypeVar("T")

DEVELOPMENT_SETTINGS = re.compile(r"(?:^|[_.-])(?:dev|devel|develop|development|local|test|tests|testing|ci|debug"
                                  r"|example|sample|template|dist)(?:[_.-]|$)", re.I)
"""Settings modules named for development, debugging or tests (``dev.py``, ``local_base.py``, ``test_settings.py``,
``debug_toolbar_settings.py``), or examples to copy (``local_example.py``, ``settings_sample.py``,
``custom.example.py``): not what a container runs when nothing names its module."""


@record
class ImageBuild:
    """An image the setup builds: context, Dockerfile and the services that use it."""

    context: Path
    dockerfile_path: Path
    dockerfile: Dockerfile | None
    services: tuple[str, ...]
    location: Location | None  # the compose ``build:`` key, when compose builds it
    target: str | None = None  # compose's ``build.target``: ``dockerfile`` ends at that stage


@record
class StartCommand:
    """What a container runs: the words, and the instruction or compose key they come from."""

    commands: tuple[Command, ...]
    location: Location
    build: ImageBuild | None
    service: Service | None
    instruction: Instruction | None = None
    joined: bool = False  # a service's `entrypoint:` and `command:` as the container runs them, one after the other


@record
class ContainerCommand:
    """A command a container runs: from a start command (``script`` None) or a line of a script it runs."""

    command: Command
    location: Location
    script: Script | None
    runs: bool | None  # False never appears: commands of branches that cannot run are left out


@record
class Script:
    """A script the image's CMD/ENTRYPOINT (or a service's command) runs."""

    path: Path
    lines: tuple[ScriptLine, ...]
    build: ImageBuild
    from_image: bool  # run by the image's CMD/ENTRYPOINT, not only by a compose command


@record
class ContextEntry:
    """A file or folder of a build context, with what the file system says of it.

    It holds its path inside the context as text: a big context has many entries, most
    of which no rule needs as a :class:`Path`.
    """

    context: Path
    relative: str  # with "/" between names, as .dockerignore patterns see it
    is_dir: bool
    uid: int
    readable: bool  # by the user djcheck runs as

    @property
    def path(self) -> Path:
        return self.context / self.relative

    @property
    def name(self) -> str:
        return self.relative.rpartition("/")[2]


MAX_CONTEXT_ENTRIES = 100_000


@record
class Settings:
    """A settings module the container runs, with the final binding of every name."""

    path: Path
    bindings: dict[str, Assignment]


FILLED_IN_HOST = re.compile(r"(?:@|://(?![^/@\s]*@))\$\{?(\w+)")
"""A variable standing for a URL's host (``@${POSTGRES_HOST}:5432``, ``redis://${REDIS_HOST}``), not for its user
(``postgres://${DB_USER}:${DB_PASSWORD}@db``)."""

@record
class DjangoRun:
    """A container that runs Django: a compose service, or an image no service uses.

    ``environment`` is what the process sees: the image's ``ENV`` overlaid by the
    service's ``env_file:`` and ``environment:`` (None: a name Compose takes from the shell).
    """

    service: Service | None
    build: ImageBuild | None
    environment: dict[str, str | None]
    location: Location
    settings: tuple[Settings, ...]

    @property
    def process_environment(self) -> Mapping[str, str]:
        """The environment settings are evaluated with: a name taken from the shell is set but unknown.

        An image no service runs is run with the runner's environment (``docker run -e``, a
        platform's settings): a name its ``ENV`` does not set is unknown, not unset.
        """
        if self.service is None:
            return self.open_environment
        return _ProcessEnvironment(self.environment)

    @property
    def open_environment(self) -> Mapping[str, str]:
        """The environment with every name it does not set unknown, not unset: what the process sees when more
        may be set than djcheck knows (an env file the settings load that each clone makes)."""
        return _ProcessEnvironment(_OpenEnvironment(self.environment))

    def environment_with(self, values: Mapping[str, str | None]) -> Mapping[str, str]:
        """The process environment with ``values`` for the names it does not set (what the env files the settings
        load give; None: a value djcheck cannot know, such as a template's blank each user fills in). An image no
        service runs has an open environment (:attr:`process_environment`), which ``values`` do not narrow."""
        if self.service is None:
            return self.open_environment
        return _ProcessEnvironment({**values, **self.environment})

    @property
    def name(self) -> str:
        return f"service {self.service.name}" if self.service else "the image"

    def setting(self, settings: Settings, name: str, environment: Mapping[str, str] | None = None) -> Any:
        """The value of a setting in this container (or in ``environment``, one where more is unknown);
        :class:`Unknown` when it cannot be known."""
        binding = settings.bindings.get(name)
        if binding is None or binding.node is None:
            raise Unknown(name)
        return evaluate(binding.node, self.process_environment if environment is None else environment,
                        settings.bindings)


class _ProcessEnvironment(Mapping[str, str]):
    def __init__(self, environment: Mapping[str, str | None]) -> None:
        self._environment = environment

    def __getitem__(self, name: str) -> str:
        value = self._environment[name]
        if value is None:
            raise Unknown(f"{name} comes from the shell")
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._environment)

    def __len__(self) -> int:
        return len(self._environment)


class _OpenEnvironment(Mapping[str, "str | None"]):
    """A container's environment of which more may be set than is known (an env file each clone makes): a name it
    does not hold is unknown (None), not unset."""

    def __init__(self, environment: Mapping[str, str | None]) -> None:
        self._environment = environment

    def __getitem__(self, name: str) -> str | None:
        return self._environment.get(name)

    def __contains__(self, name: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._environment)

    def __len__(self) -> int:
        return len(self._environment)


MAX_SCRIPT_WORD = 16
"""How far into a command a script may stand: ``./wait-for-it.sh db:5432 -t 30 -- ./start.sh`` is well inside."""
MAX_SCRIPT_DEPTH = 3
"""Scripts called by scripts, this many levels below the start command's."""
MAX_SCRIPT_LOOKUPS = 1000
"""Distinct words of one start command looked up as scripts; a real one has a few."""
DEFAULT_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
"""The ``PATH`` of the official Python images (and Docker's default): where a bare command name is looked up."""
MAX_PATH_FOLDERS = 32
MAX_RELATED = 50
"""Other setups looked at to know whether the project is also deployed."""
MAX_FOLDER_NAMES = 10_000
TEMPLATE_PLACEHOLDER = re.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}")
"""A Jinja or Django template placeholder (``{{ project_name }}``, ``{{ secret_key }}``) a renderer fills in."""
EXPORTED_SETTINGS = re.compile(r"(?:^\s*|[;&|]\s*|\bexport\s+)DJANGO_SETTINGS_MODULE=(\S+)")
SCRIPT_ASSIGNMENT = re.compile(r"\s*([A-Za-z_]\w*)=(\S*)\s*$")
"""A line of a script that only sets a variable (``PRODUCTION_SETTINGS="app.settings.production"``)."""
DJANGO_WORD = re.compile(r"(?<!\w)django(?![a-z0-9])", re.I)
"""Django named as a word or a name's first word (``import django``, ``"django.conf:settings"``,
``DJANGO_SETTINGS_MODULE``), not inside another (``Celery("non_django_worker")``)."""
OTHER_FRAMEWORKS = re.compile(r"^\s*(?:from|import)\s+(?:fastapi|flask|starlette|litestar|aiohttp|sanic|quart|falcon|"
                              r"bottle|tornado|pyramid|connexion|dash|streamlit|gradio|aiogram|telegram|telebot|"
                              r"pyrogram|discord)(?:_\w+|\d\w*)?\b", re.M)
"""The imports of a module a server loads, or a script an image starts, that make it another framework's application
(a web framework's, a chat bot's), not Django's; an extension named for the framework counts as the framework
(``flask_sqlalchemy``, ``aiogram3_di``), not a module whose name only begins like it (``dashboard``)."""
SCRIPT_SERVERS = frozenset({"streamlit"})
"""Programs that serve a Python file they are given (``streamlit run app.py``)."""
FROM_IMPORT = re.compile(r"^from[ \t]+(\.*)([\w.]*)[ \t]+import\b", re.M)
MAX_REEXPORTS = 3
"""Modules followed from a server's module that only re-exports another's application."""
USES_DJANGO = re.compile(r"^\s*(?:from|import)\s+django\b|DJANGO_SETTINGS_MODULE|\bdjango\.setup\(", re.M)
"""What a module of another framework holds when it sets Django up (for its ORM, or to mount its application): not a
word such as ``settings.django_gateway_token``."""
DJANGO_APPLICATION = re.compile(r"\bget_(?:wsgi|asgi)_application\b|\bdjango\.core\.(?:wsgi|asgi|handlers)\b")
"""What a module that makes Django's own WSGI or ASGI application holds."""
LOCAL_DEVELOPMENT = re.compile(r"(?:^|[^a-z0-9])(?:dev|devel|develop|development|local)(?:[^a-z0-9]|$)", re.I)
"""The words that name a compose file for the developer's machine (not for tests or CI)."""
GITHUB_JOBS = re.compile(r"^jobs:[ \t]*$", re.M)
"""The top-level key of a GitHub workflow's jobs."""
MAX_TEMPLATE_WORKFLOWS = 10
"""Workflow files read from a template's own ``workflows`` folders."""
ENV_FILE_NAME = re.compile(r"^\.env(?:\.[\w.-]+)?$|\.env$")
"""An env file's name as a script sources it: ``.env``, ``.env.prod``, ``prod.env``."""
DJANGO_PROGRAMS = re.compile(r"manage\.py|django-admin|gunicorn|uvicorn|daphne|hypercorn|celery|uwsgi")


ENV_FILE_OPTION = re.compile(r"--env-file(?:=|\s+)[\"']?([^\s\"';|&]+)")
"""The env file a ``docker compose`` command passes for interpolation (``--env-file .env.prod``)."""


class Project(ProjectFiles):
    """One setup: the files of one compose stack or standalone Dockerfile, and their links.

    :class:`ProjectFiles` reads the files.
    """

    def __init__(self, setup: Setup, base: Path, settings_module: str | None = None,
                 overlay: Mapping[Path, str] | None = None, siblings: Sequence[Setup] | None = None) -> None:
        super().__init__(setup.root, base, overlay, setup.top)
        self.setup = setup
        self.settings_module = settings_module  # the configuration's, for containers that do not set one
        # The other setups of the run (None: the other compose files of the setup's folder), see ``deployments``.
        self._siblings = siblings
        self._answers: dict[Hashable, Any] = {}  # see ``once``

    def once(self, question: Hashable, answer: Callable[[], T]) -> T:
        """The answer to a question about the project, worked out at its first asking: several rules, or one rule
        for each service, file or check, ask the same (the question starts with the asking module's name)."""
        if question not in self._answers:
            self._answers[question] = answer()
        return cast(T, self._answers[question])

    def once_per_build(self, what: str, build: ImageBuild, compute: Callable[[], T]) -> T:
        """Compute something about a build once per run (builds are keyed by context and Dockerfile)."""
        return self.once((__name__, what, build.context, build.dockerfile_path, build.target), compute)

    def parse_all(self) -> None:
        """Parse every file of the setup, so that every problem is recorded."""
        for build in self.builds:
            self.dockerignore(build)
            self.requirements(build)
        self.settings  # noqa: B018 (reading a cached property parses its files)
        self.scripts  # noqa: B018
        for service in self.stack.services.values() if self.stack else ():
            for ref in service.env_files:
                if os.path.exists(ref.path):
                    self.env_file(ref.path)

    # -- compose -----------------------------------------------------------------------

    @cached_property
    def dotenv(self) -> dict[str, EnvVar]:
        """The variables of the file Compose interpolates from (:attr:`interpolation_file`; its template's when
        absent)."""
        return self.env_values(self.interpolation_file) or {}  # a folder of that name is not read

    @cached_property
    def interpolation_file(self) -> Path:
        """The env file Compose reads the stack's ``${VARIABLES}`` from: the ``.env`` beside the compose file; when
        neither it nor a template of it is there, the one the project's documentation passes with ``--env-file`` on
        every line that runs the stack's compose file (``docker compose --env-file .env.prod -f
        docker-compose.prod.yml up``), if the repository has it or its template."""
        default = self.root / ".env"
        if self.is_file(default) or self.template_for(default) is not None or not self.setup.compose_files:
            return default
        named = re.compile(rf"(?<![\w.-]){re.escape(self.setup.compose_files[0].name)}(?![\w-])")
        passed = {written for text in self.running_documentation for line in text.splitlines()
                  if "--env-file" in line and len(line) <= MAX_README_LINE and named.search(line)
                  for written in ENV_FILE_OPTION.findall(line)}
        if len(passed) != 1 or "$" in (written := passed.pop()):
            return default
        path = Path(os.path.normpath(self.root / written))
        given = path.is_relative_to(self.boundary) and (self.is_file(path) or self.template_for(path) is not None)
        return path if given else default

    @cached_property
    def dotenv_known(self) -> bool:
        """Whether the ``.env`` Compose reads is known: present, made from a committed template, or not expected.

        A gitignored ``.env`` without a template is one each clone makes by hand: its
        values are unknown, not empty, and no rule guesses them. So is one a service reads as its
        ``env_file:`` (DJC211 reports it missing): the stack does not start before the user makes it.
        """
        path = self.interpolation_file
        if self.is_file(path) or self.template_for(path) is not None:
            return True
        return not self.gitignored(path) and not any(
            ref.path == path and ref.required for service in self.services for ref in service.env_files)

    def template_for(self, path: Path) -> Path | None:
        """The committed template a user copies to make the absent ``path`` (:meth:`ProjectFiles.template_for`); for a
        stack named for production, the template named for production beside the plain one (``.env.prod.example``
        beside ``.env.example``, both for the ``.env`` that ``docker-compose.prod.yml`` reads): its deployer copies
        that one."""
        found = super().template_for(path)
        if found is None or not any(_named(compose.name, PRODUCTION_WORDS) for compose in self.setup.compose_files):
            return found
        if path not in self._production_templates:  # each env file's folder listed once
            self._production_templates[path] = self._production_template(path)
        return self._production_templates[path] or found

    @cached_property
    def _production_templates(self) -> dict[Path, Path | None]:
        """The production templates found so far (:meth:`_production_template`), by the file they make."""
        return {}

    def _production_template(self, path: Path) -> Path | None:
        """The template beside ``path`` of its name with a word for production added (``.env.prod.example``)."""
        wanted = [word for word in re.split(r"[._-]", path.name.lower()) if word]
        try:
            names = sorted(os.listdir(path.parent))[:MAX_FOLDER_NAMES]
        except OSError:
            return None
        for name in names:
            base = template_base(name)
            if base is None or not _named(base, PRODUCTION_WORDS) or not self.is_file(path.parent / name):
                continue
            words = [word for word in re.split(r"[._-]", base.lower()) if word and not PRODUCTION_WORDS.fullmatch(word)]
            if words == wanted:
                return path.parent / name
        return None

    def env_values(self, path: Path, quiet: bool = False) -> dict[str, EnvVar] | None:
        """The variables an env file sets; its committed template's when it is absent; None when unknown.

        An empty value of a template (``DJANGO_SECRET_KEY=``) is one each user fills in: it
        reads as None (unknown, as a value from the shell), not as empty. ``quiet`` for a file
        a shell sources rather than Compose reads (:meth:`text`): its syntax is the shell's.
        A file its parser refuses is unknown too (DJC001 says why), and so is an empty template; of a template, the
        lines Compose reads are read (the user who copies it mends the line it refuses, ``set -a``). A template's
        ``DEBUG=True``, read for a stack named for production, is unknown too (unless the template is named for
        production itself: ``.env.prod.example``): the developer's value, which the deployer changes (the
        settings' ``if not DEBUG:`` branch is what the server runs).
        """
        if not self.is_file(path) and path in self._written_by_pipelines:
            return self._pipeline_env_values(path)
        source = (self.copied_template(path) or path) if self.is_file(path) else self.template_for(path)
        if source is None:
            return None
        found = self.parsed("env file", source, _env_variables, quiet=quiet)
        if source == path:
            return found
        if found is None:
            found = self.parsed("env template, leniently", source, _template_variables, quiet=True)
        if not found:
            return None  # an empty template (a placeholder file kept for its name) says nothing of the values
        # a template named for production (`.env.prod.example`) is what the deployer copies: its values stand
        deployed = self._stack_named_for_production and not _named(
            source.name, PRODUCTION_WORDS)
        return {name: replaced(var, value=None) if var.value == "" or deployed and _development_switch(var) else var
                for name, var in found.items()}

    @cached_property
    def _written_by_pipelines(self) -> dict[Path, tuple[dict[str, EnvVar], bool]]:
        """The env files a CI pipeline that names one of the setup's compose files writes before it deploys
        (``{ echo "REDIS_URL=redis://redis:6379/1"; ... } > deployment/docker/.env``), each with the variables its
        ``echo`` lines give and whether a step writes it whole (``>``) rather than only appends to it (``>>``, to a
        copy of the template). A value made of a secret or a
        variable (``${{ secrets.SECRET_KEY }}``) is unknown; so is one two branches write differently. A file of
        literals alone is a test job's (``echo "SECRET_KEY=test-key" >> .env``), not what a deployment reads."""
        found: dict[Path, tuple[dict[str, EnvVar], bool]] = {}
        names = [re.compile(rf"(?<![\w.-]){re.escape(path.name)}(?![\w.-])") for path in self.setup.compose_files]
        for pipeline in self.pipeline_paths:
            text = self.text(pipeline, quiet=True) if self.is_file(pipeline) else None
            if text is None or len(text) > MAX_PIPELINE_CHARS or not any(name.search(text) for name in names):
                continue  # a pipeline that runs none of this setup's compose files writes another stack's env file
            # each line printed, with the file it goes to (None: the file a `{ ... } >` group writes)
            echoes = [(match, None if match["target"] is None else Path(os.path.normpath(
                self.boundary / match["target"]))) for match in map(PIPELINE_ECHO.match, text.splitlines()) if match]
            for redirect, target in PIPELINE_WRITE.findall(text):
                if "$" in target or target.startswith("/"):
                    continue
                path = Path(os.path.normpath(self.boundary / target))
                written, whole = found.get(path, ({}, False))
                for match, into in echoes:
                    if into is not None and into != path:
                        continue
                    value: str | None = match["value"]
                    known = written.get(match["name"])
                    if value is not None and "$" in value or known is not None and known.value != value:
                        value = None
                    written[match["name"]] = EnvVar(match["name"], value, 1)
                found[path] = (written, whole or redirect == ">")
        # a file written from the pipeline's secrets is a deployment's; one of literals alone is a test run's
        return {path: (written, whole) for path, (written, whole) in found.items()
                if any(var.value is None for var in written.values())}

    def _pipeline_env_values(self, path: Path) -> dict[str, EnvVar] | None:
        """What an absent env file that a pipeline writes sets (:meth:`_written_by_pipelines`): the pipeline's lines,
        over the template's when the pipeline only appends to its copy; None when nothing says the rest."""
        written, whole = self._written_by_pipelines[path]
        if whole:
            return written
        template = self.template_for(path)
        base = self.parsed("env template, leniently", template, _template_variables, quiet=True) if template else None
        return {**base, **written} if base else None

    def environment_known(self, service: Service) -> bool:
        """Whether every ``env_file:`` of the service is there or made from a committed template, and so is every
        env file its start scripts source (``. ./.env`` in ``api.sh``, a file each clone decrypts or writes)."""
        return all(not ref.required or self.env_values(ref.path) is not None for ref in service.env_files) \
            and not self._sources_an_unknown_env_file(service)

    def _sources_an_unknown_env_file(self, service: Service) -> bool:
        """Whether a start script of the container sources an env file (``. ./.env``, ``source .env.prod``) that the
        repository does not hold beside the script or at the top of the build context, nor a template of."""
        return self.once(("sources-unknown-env", service.name), lambda: self._sourced_env_file_unknown(service))

    def _sourced_env_file_unknown(self, service: Service) -> bool:
        build = self.build_for(service)
        # the environment container_commands takes by default once the env files are known (as they are here):
        # the commands are worked out once for both
        environment = {**self.image_environment(build), **self.service_environment(service)}
        for loaded in _env_files_loaded(self.container_commands(service, build, environment)):
            if "$" in loaded.written or not ENV_FILE_NAME.search(posixpath.basename(loaded.written)):
                continue
            if not any(self.is_file(path) or self.env_values(path) is not None
                       for path in self._loaded_env_file_candidates(build, loaded)):
                return True
        return False

    def _loaded_env_file_candidates(self, build: ImageBuild | None, loaded: LoadedEnvFile) -> list[Path]:
        """Where the repository may hold an env file a container loads: beside the script that loads it, at the top
        of the build context, or where the Dockerfile copies it from (``COPY .env ./backend.env``)."""
        candidates = [loaded.run.script.path.parent / loaded.written] if loaded.run.script is not None else []
        if build is not None:
            candidates.append(build.context / posixpath.basename(loaded.written))
        if build is not None and build.dockerfile is not None:
            final = build.dockerfile.final
            image_path = posixpath.join(build.dockerfile.workdir_after(final), loaded.written)
            candidates += [build.context / source
                           for source in build.dockerfile.context_sources(final, posixpath.normpath(image_path))]
        return candidates

    def _settings_loaded(self, build: ImageBuild | None, commands: list[ContainerCommand],
                         main: ContainerCommand | None) -> str | None:
        """The ``DJANGO_SETTINGS_MODULE`` of the last committed env file a container exports before it serves: one
        ``honcho start`` or ``foreman start`` loads into the processes of its Procfile, one a script exports line by
        line (``export $(cat .env | xargs)``) or sources after ``set -a``."""
        found = None
        for loaded in _env_files_loaded(commands[:commands.index(main)] if main is not None else commands):
            if not loaded.exported or "$" in loaded.written:
                continue
            path = next((path for path in self._loaded_env_file_candidates(build, loaded) if self.is_file(path)), None)
            module = self.env_file(path, quiet=True).get("DJANGO_SETTINGS_MODULE") if path is not None else None
            if module is not None and module.value and "$" not in module.value:
                found = module.value
        return found

    @cached_property
    def stack(self) -> Stack | None:
        """The compose stack (main file merged with its overrides), None without compose."""
        if not self.setup.compose_files:
            return None
        # the shell's PWD is the folder Compose is run in, the project's (`dockerfile: ${PWD}/.docker/Dockerfile`)
        env = {name: var.value or "" for name, var in self.dotenv.items()} | {"PWD": str(self.setup.root)}
        files = []
        for path in self.setup.compose_files:
            text = self.text(path)
            if text is None:
                return None
            files.append((path, text))
        try:
            stack = parse_compose(files, env, lambda path: self.text(path), folder=self.setup.root)
        except ParseError as error:
            self._problem("DJC001", Location(error.path or files[0][0], error.line, error.column),
                          f"compose file: {error.message}")
            return None
        for problem in stack.problems:
            self._problem("DJC001", Location(problem.path or files[0][0], problem.line, problem.column),
                          f"compose file: {problem.message}")
        return stack

    @property
    def services(self) -> list[Service]:
        return list(self.stack.services.values()) if self.stack else []

    def env_file(self, path: Path, quiet: bool = False) -> dict[str, EnvVar]:
        """The variables an env file sets; ``quiet`` for one nothing of the setup names (:meth:`text`)."""
        return self.parsed("env file", path, _env_variables, quiet=quiet) or {}

    def service_environment(self, service: Service) -> dict[str, str | None]:
        """The variables Compose gives a service's containers: its ``env_file:``s (or templates), then ``environment:``.

        None marks a value that comes from the shell: a name declared without a value
        (it does not hide a value an env_file gives), or a value that is just a
        variable the project's ``.env`` does not set (``${SECRET_KEY:?}``). It also marks
        a value the user fills in: an empty value of a committed template read in place
        of an absent env file (``.env.example``'s ``POSTGRES_PASSWORD=``), or a variable
        such a template of ``.env`` leaves empty. A longer value keeps its known parts
        (the host of ``postgres://u:${PW}@db/app``), unless its address is such a variable
        (``postgres://u:${PW}@${POSTGRES_HOST}/app``: the address is unknown). Worked out once per service (its
        values are searched whole); each caller gets its own copy.
        """
        # the service is kept with its answer: its id cannot name another service while the answer is kept
        kept, env = self.once((__name__, "service environment", id(service)),
                              lambda: (service, self._environment_of(service)))
        return dict(env if kept is service else self._environment_of(service))

    def _environment_of(self, service: Service) -> dict[str, str | None]:
        env: dict[str, str | None] = {}
        for ref in service.env_files:
            template = not self.is_file(ref.path)  # its empty values are the ones each user fills in: unknown
            env.update({name: var.value if template else var.value or ""
                        for name, var in (self.env_values(ref.path) or {}).items()})
        stack = self.stack
        from_shell = {v.location for v in stack.unset_variables + stack.required_variables} if stack else set()
        filled_in = {name for name, var in self.dotenv.items() if var.value is None}
        for name, entry in service.environment.items():
            reference = re.fullmatch(r"\$\{?(\w+)(?:[:?+-][^}]*)?\}?", (entry.raw or "").strip())
            if reference and (entry.location in from_shell or (reference.group(1) in filled_in and not re.fullmatch(
                    r"\$\{\w+:?[-+][^}]*\}", (entry.raw or "").strip()))):
                env[name] = None
            elif any(host in filled_in for host in FILLED_IN_HOST.findall(entry.raw or "")):
                env[name] = None  # `postgres://${USER}:${PASSWORD}@${POSTGRES_HOST}:5432/app`: the host is the user's
            elif entry.value is not None or name not in env:
                env[name] = entry.value
        return env

    # -- images ------------------------------------------------------------------------

    @cached_property
    def builds(self) -> list[ImageBuild]:
        """Every image the setup builds: from compose ``build:`` and standalone Dockerfiles."""
        result: dict[tuple[Path, Path, str | None], ImageBuild] = {}
        tagged: dict[str, tuple[Path, Path, str | None]] = {}
        for service in self.services:
            build = service.build
            if build is None:
                continue
            # Compose cleans the paths it joins (``docker/..`` is the project folder); so must the builds, or a
            # Dockerfile of the setup's folder built from ``..`` is taken for a second image built from its folder.
            build = replaced(build, context=Path(os.path.normpath(build.context)),
                                   dockerfile=_dockerfile_docker_reads(Path(os.path.normpath(build.dockerfile))))
            key = (build.context, build.dockerfile, build.target)
            if (tag := _tag(service)) is not None:
                tagged.setdefault(tag, key)  # the name the built image is tagged with
            if key in result:
                previous = result[key]
                result[key] = ImageBuild(previous.context, previous.dockerfile_path, previous.dockerfile,
                                         previous.services + (service.name,), previous.location, build.target)
                continue
            if not os.path.isdir(build.context):
                if not self._sibling_checkout(build.context):
                    self._problem("DJC002", build.location,
                                  f"build context {self.display(build.context)} does not exist"
                                  f"{self.case_hint(build.context)}")
                continue
            self._dockerfile_beside_the_compose_file(build)
            dockerfile = self.parsed("Dockerfile", build.dockerfile, parse_dockerfile, build.location)
            if dockerfile is not None:
                dockerfile = dockerfile.built_to(build.target)  # the rules judge the stage compose builds
            result[key] = ImageBuild(build.context, build.dockerfile, dockerfile, (service.name,), build.location,
                                     build.target)
        # A service with no build that runs the image another service builds and tags (`image: shop_django` beside
        # `build:` and `image: shop_django`) runs that build's image: its ENTRYPOINT, ENV and scripts.
        for service in self.services:
            builder = tagged.get(_image_name(service.image.value)) if service.build is None and service.image else None
            if builder in result and service.name not in result[builder].services:
                result[builder] = replaced(result[builder], services=result[builder].services + (service.name,))
        built = {key[1] for key in result}
        standalone = [path for path in self.setup.dockerfiles if path not in built]
        # A service that runs the project's own image as published (`image: ghcr.io/acme/shop` in shop, no build)
        # runs what the project's one Dockerfile builds: its ENV, ENTRYPOINT and CMD.
        publishing = tuple(service.name for service in self.services if self.runs_own_published_image(service)) \
            if len(standalone) == 1 and not result else ()
        composed = bool(result)  # images the stack builds: a Dockerfile beside them may be a stale copy
        for path in standalone:
            dockerfile = self.parsed("Dockerfile", path, parse_dockerfile)
            # the context the folder's other stack builds it from, else its folder or the one above it (discover)
            context = self._sibling_contexts.get(path) or self.setup.context_of(path)
            if composed and dockerfile is not None and self._copies_what_is_missing(dockerfile, context):
                continue  # a stale copy beside the stack's own images, which no fresh clone can build
            result[(context, path, None)] = ImageBuild(context, path, dockerfile,
                                                       publishing or self._runs_scripted_image(path), None)
        if not result:
            for pulled in self._published_builds():
                result[(pulled.context, pulled.dockerfile_path, pulled.target)] = pulled
        return list(result.values())

    def _dockerfile_beside_the_compose_file(self, build: Build) -> None:
        """A ``dockerfile:`` the build context lacks that the compose file's folder holds (``context:
        ./backend`` with ``dockerfile: ./docker/Dockerfile`` beside the compose file): DJC002 says where Compose
        looks."""
        if "dockerfile" not in build.written or self.is_file(build.dockerfile) or os.path.lexists(build.dockerfile):
            return
        written = os.path.relpath(build.dockerfile, build.context)
        beside = Path(os.path.normpath(build.location.path.parent / written))
        if beside != build.dockerfile and not written.startswith("..") and self.is_file(beside):
            self._problem("DJC002", build.location,
                          f"{self.display(build.dockerfile)} does not exist: Compose reads `dockerfile:` from the "
                          f"build context {self.display(build.context)}; the compose file's folder holds "
                          f"{self.display(beside)}: name it from the context "
                          f"({os.path.relpath(beside, build.context)})")

    def _copies_what_is_missing(self, dockerfile: Dockerfile, context: Path) -> bool:
        """Whether a ``COPY`` of the final image names a file, written plainly, that the context of a fresh clone
        lacks and git does not ignore (no build or script makes it): the Dockerfile cannot be built as it is."""
        return any(not os.path.lexists(path) and not self.gitignored(path)
                   for path in plain_copy_sources(dockerfile, context))

    def _runs_scripted_image(self, dockerfile: Path) -> tuple[str, ...]:
        """The services that pull, by the name a script tags it with (:func:`scripted_tags`), the image a script
        builds from a Dockerfile no service builds (``image: paulwinex/project`` after ``docker build -f
        Dockerfile_project -t paulwinex/project .``)."""
        names = {name for name, path in self._scripted_tags.items() if path == dockerfile}
        return tuple(service.name for service in self.services if service.build is None and service.image is not None
                     and image_repository(service.image.value) in names)

    @cached_property
    def copied_out(self) -> bool:
        """Whether a deploy step of the project copies the stack's first compose file to a server to run it there
        (:func:`compose_files_copied_out`)."""
        files = self.setup.compose_files[:1]
        return bool(files) and any(files[0] in compose_files_copied_out(top)
                                   for top in dict.fromkeys((self.boundary, self.setup.root)))

    @property
    def scripted_images(self) -> frozenset[str]:
        """The image names a launch script or pipeline of the project builds and tags (:func:`scripted_tags`)."""
        return frozenset(self._scripted_tags)

    @cached_property
    def _scripted_tags(self) -> dict[str, Path]:
        wanted = {image_repository(service.image.value) for service in self.services
                  if service.image is not None and service.build is None}
        return {name: path for top in dict.fromkeys((self.boundary, self.setup.root))
                for name, path in scripted_tags(top, wanted, self.boundary).items()}

    def _sibling_checkout(self, folder: Path) -> bool:
        """Whether a folder beside the repository (``../shop-frontend``) is another repository the project's
        instructions have the user clone there: they name it (``git clone .../shop-frontend``), or its name is the
        repository's with another part's word (``shop-frontend`` beside ``shop-backend``)."""
        if folder.is_relative_to(self.boundary) or not folder.is_relative_to(self.boundary.parent):
            return False
        sibling = self.boundary.parent / folder.relative_to(self.boundary.parent).parts[0]
        return _companion_names(sibling.name, self.boundary.name) or self.documented(sibling)

    def tags(self, build: ImageBuild) -> set[str]:
        """The names the build's image is tagged with: the ``image:`` written beside its ``build:``."""
        return {tag for service in self.services if service.name in build.services and service.build is not None
                and (tag := _tag(service)) is not None}

    def built_elsewhere(self, build: ImageBuild) -> bool:
        """Whether another setup of the project builds the same Dockerfile from another context and tags it with a
        name this build tags too: a stack file a CI job runs (``docker stack deploy -c cicd/local.yml``) after
        ``docker compose -f local.yml build`` made its image, which Compose runs rather than builds again."""
        names = self.tags(build)
        return bool(names) and any(
            other.dockerfile_path == build.dockerfile_path and other.context != build.context
            and not names.isdisjoint(project.tags(other))
            for project in self.related for other in project.builds)

    @cached_property
    def _sibling_contexts(self) -> dict[Path, Path]:
        """The build context another compose file of this setup's folder gives each Dockerfile it builds to its final
        stage, in this run (``context: ..`` for ``docker/Dockerfile.prod``): what that Dockerfile copies comes from
        there, not from its own folder."""
        found: dict[Path, Path] = {}
        for setup in self._siblings or ():
            if setup == self.setup or not setup.compose_files or setup.root != self.setup.root:
                continue
            for service in self._sibling(setup).services:
                if service.build is not None and not service.build.target:
                    found.setdefault(_dockerfile_docker_reads(Path(os.path.normpath(service.build.dockerfile))),
                                     Path(os.path.normpath(service.build.context)))
        return found

    def _published_builds(self) -> list[ImageBuild]:
        """The builds of the project's other stacks whose image this one runs as published: a production stack that
        pulls ``acme/shop`` while the development stack builds it and tags it ``shop`` (``image:`` beside
        ``build:``). Its ENTRYPOINT, ENV and scripts are what the pulled image runs."""
        published: dict[str, list[str]] = {}
        scripted: dict[Path, list[str]] = {}  # by the Dockerfile a script or pipeline tags the image it pulls from
        for service in self.services:
            if service.image is None or service.build is not None:
                continue
            if (tagged := self._scripted_tags.get(image_repository(service.image.value))) is not None:
                scripted.setdefault(tagged, []).append(service.name)
            elif self.runs_own_published_image(service):
                published.setdefault(plain_name(parse_image(service.image.value).name), []).append(service.name)
        if scripted and self.setup not in _PUBLISHED_LOOKUPS:
            return self._scripted_builds(scripted)
        if not published or self.setup in _PUBLISHED_LOOKUPS:
            return []  # (a stack that pulls what another such stack pulls: looked up once)
        mine = set(self.setup.python_files)
        found: dict[tuple[Path, Path, str | None], ImageBuild] = {}
        _PUBLISHED_LOOKUPS.add(self.setup)
        try:
            # the run's other setups, or (for a setup made as another's sibling) the compose files of its folder
            others = [self._sibling(setup) for setup in self._siblings or ()
                      if setup != self.setup and setup.compose_files and not mine.isdisjoint(setup.python_files)] \
                if self._siblings else [Project(setup, self.base, self.settings_module, self.overlay, siblings=())
                                        for setup in self._folder_setups()]
            for other in others:
                for build in other.builds:
                    tags = {plain_name(parse_image(service.image.value).name) for service in other.services
                            if service.name in build.services and service.build is not None
                            and service.image is not None and service.image.value and "$" not in service.image.value}
                    services = tuple(name for tag, names in published.items() if tag in tags for name in names)
                    key = (build.context, build.dockerfile_path, build.target)
                    if services and key not in found:
                        found[key] = replaced(build, services=services, location=None)
            if not found:
                found = self._published_dockerfiles(published, mine)
        finally:
            _PUBLISHED_LOOKUPS.discard(self.setup)
        return list(found.values())

    def _scripted_builds(self, scripted: Mapping[Path, list[str]]) -> list[ImageBuild]:
        """The builds of the project's Dockerfiles no stack builds whose images this stack's services pull by the
        name a script or a CI pipeline tags them with (:func:`scripted_tags`): ``image: acme/shop_backend`` after
        ``docker/build-push-action`` builds ``./backend/`` with ``tags: acme/shop_backend:latest``."""
        found: list[ImageBuild] = []
        _PUBLISHED_LOOKUPS.add(self.setup)
        try:
            standalone = [self._run_project(setup) for setup in self._run_setups
                          if not setup.compose_files and not set(setup.dockerfiles).isdisjoint(scripted)]
            for other in standalone:
                found += [replaced(build, services=tuple(scripted[build.dockerfile_path]), location=None)
                          for build in other.builds if build.dockerfile_path in scripted]
        finally:
            _PUBLISHED_LOOKUPS.discard(self.setup)
        return found

    def _published_dockerfiles(self, published: Mapping[str, list[str]],
                               mine: set[Path]) -> dict[tuple[Path, Path, str | None], ImageBuild]:
        """The builds of the project's Dockerfiles no stack builds, pushed by CI and pulled here by the folder they
        sit in: ``registry.gitlab.com/acme/shop/django`` runs ``docker/production/django/Dockerfile`` (of several
        such folders, the one not named for development)."""
        found: dict[tuple[Path, Path, str | None], ImageBuild] = {}
        standalone = [self._run_project(setup) for setup in self._run_setups
                      if not setup.compose_files and setup.dockerfiles and not mine.isdisjoint(setup.python_files)]
        for component, services in published.items():
            matching = [build for other in standalone for build in other.builds
                        if component in {plain_name(part) for part in build.dockerfile_path.parent.parts[-3:]}
                        and not any(_named(name, DEVELOPMENT_WORDS) for name in other._build_names(build))]
            if len(matching) == 1:
                build = matching[0]
                key = (build.context, build.dockerfile_path, build.target)
                found[key] = replaced(build, services=(*found[key].services, *services) if key in found
                                      else tuple(services), location=None)
        return found

    def workspace_image(self, build: ImageBuild) -> bool:
        """Whether an image is an editor's workspace (a VS Code development container), not the application's.

        Its Dockerfile lies in a ``.devcontainer`` folder or is Gitpod's ``.gitpod.Dockerfile``, only the services a
        ``devcontainer.json`` works in build it (:attr:`workspace_services`; its Dockerfile
        not named for production, and no deployed container runs it), or one of its stages
        starts from a devcontainers or Gitpod image (``mcr.microsoft.com/devcontainers/python``,
        ``gitpod/workspace-full``), or its command is a bare shell (``CMD /bin/bash``) and neither a service nor a
        deployment runs it (the developer works in it with ``docker run -it``): the
        editor runs it to work in, nothing deploys it, and image hygiene is not its concern.
        """
        if in_workspace_folder(build.dockerfile_path):
            return True
        if build.services and all(name in self.workspace_services for name in build.services) and not any(
                _named(name, PRODUCTION_WORDS) for name in self._build_names(build)) and not any(
                run.build is build for run in self.deployed_runs):
            return True  # built for the service a devcontainer.json works in, and no deployed container runs it
        if build.dockerfile is not None and not build.services and _starts_a_shell(build.dockerfile) \
                and build.dockerfile_path not in self._pipeline_published \
                and not any(run.build is build for run in self.deployed_runs):
            return True  # `CMD /bin/bash`, run by no service: the developer enters it with `docker run -it`
        return build.dockerfile is not None and any(
            WORKSPACE_BASES.match(stage.image) for stage in build.dockerfile.lineage(build.dockerfile.final))

    @cached_property
    def workspace_services(self) -> frozenset[str]:
        """The services of the stack an editor works in: each a ``devcontainer.json`` names (``"service": "api"``)
        with a ``dockerComposeFile`` that lists one of the stack's compose files (``"../../docker-compose.yml"``),
        and that runs no Django of its own (``command: sleep infinity``).

        VS Code and the Dev Containers CLI start that stack and attach the editor to the
        service: its container is only the developer's workspace, as a stack kept in
        ``.devcontainer/`` is. A service that runs the application itself (runserver, which
        the editor attaches to) is still the application's. The files are looked for where projects keep
        them: ``.devcontainer/devcontainer.json``, ``.devcontainer/<name>/devcontainer.json``
        or ``.devcontainer.json`` in the setup's folder, a build context of the stack, a
        folder of its Django files, or a folder between those and the setup's (JSON with
        comments and trailing commas, as the editor reads it).
        """
        if self.stack is None:
            return frozenset()
        mine = {Path(os.path.normpath(path)) for path in self.setup.compose_files}
        names = set(self.stack.services)
        found: set[str] = set()
        for path in self._devcontainer_files():
            text = self.text(path)
            config = _json_with_comments(text) if text is not None and len(text) <= MAX_DEVCONTAINER_BYTES else None
            if not isinstance(config, dict) or not isinstance(config.get("service"), str):
                continue
            files = config.get("dockerComposeFile")
            files = [files] if isinstance(files, str) else files if isinstance(files, list) else []
            listed = {Path(os.path.normpath(path.parent / name)) for name in files if isinstance(name, str)}
            if listed & mine and config["service"] in names and not self.runs_django(self.stack.services[
                    config["service"]]):
                found.add(config["service"])
        return frozenset(found)

    def _devcontainer_files(self) -> list[Path]:
        """The ``devcontainer.json`` files of the folders :attr:`workspace_services` reads."""
        starts = [self.root] + [service.build.context for service in self.services if service.build is not None]
        starts += [path.parent for path in self.setup.python_files]
        folders: dict[Path, None] = {}
        for start in starts:
            start = Path(os.path.normpath(start))
            for folder in (start, *start.parents):
                if not folder.is_relative_to(self.boundary) or len(folders) >= MAX_DEVCONTAINER_FOLDERS:
                    break
                if folder in folders:
                    break
                folders[folder] = None
                if folder == self.root:
                    break
        found = []
        for folder in folders:
            found += [folder / ".devcontainer.json", folder / ".devcontainer" / "devcontainer.json"]
            if folder.name == ".devcontainer":
                found.append(folder / "devcontainer.json")
            try:
                subfolders = sorted(os.listdir(folder / ".devcontainer"))[:MAX_FOLDER_NAMES]
            except OSError:
                subfolders = []
            found += [folder / ".devcontainer" / name / "devcontainer.json" for name in subfolders]
        return [path for path in dict.fromkeys(found) if self.is_file(path)]

    @cached_property
    def build_folders(self) -> tuple[str, ...]:
        """Each build context as text ending with a separator, to test what lies below it by its prefix."""
        return tuple(os.path.join(str(build.context), "") for build in self.builds)

    @property
    def dockerfiles(self) -> list[tuple[ImageBuild, Dockerfile]]:
        """The builds whose Dockerfile could be parsed."""
        return [(build, build.dockerfile) for build in self.builds if build.dockerfile is not None]

    def dockerignore_path(self, build: ImageBuild) -> Path | None:
        """The ignore file ``docker build`` uses: ``<Dockerfile>.dockerignore`` first, then the context's."""
        for candidate in (Path(str(build.dockerfile_path) + ".dockerignore"), build.context / ".dockerignore"):
            if self.is_file(candidate):
                return candidate
        return None

    def dockerignore(self, build: ImageBuild) -> DockerIgnore | None:
        path = self.dockerignore_path(build)
        return self.parsed(".dockerignore", path, lambda _, text: parse_dockerignore(text)) if path else None

    def build_for(self, service: Service) -> ImageBuild | None:
        return next((b for b in self.builds if service.name in b.services), None)

    def image_healthcheck(self, service: Service) -> bool:
        """Whether the image a service runs checks its own health: the image it builds, or the one a script or
        pipeline of the project tags with its ``image:`` name (:func:`scripted_tags`), has a ``HEALTHCHECK`` that
        is not ``NONE``. Compose's ``service_healthy`` waits on it as on a ``healthcheck:`` of the service."""
        build = self.build_for(service)
        dockerfile = build.dockerfile if build is not None else None
        if dockerfile is None and build is None and service.image is not None:
            path = self._scripted_tags.get(image_repository(service.image.value))
            dockerfile = self.parsed("Dockerfile", path, parse_dockerfile) if path is not None else None
        found = dockerfile.effective(dockerfile.final, "HEALTHCHECK") if dockerfile is not None else None
        return found is not None and found.args.split(None, 1)[:1] != ["NONE"]

    def context_file(self, build: ImageBuild, stage: Stage, image_path: str,
                     before: Instruction | None = None) -> Path | None:
        """The file of the build context that a COPY put at ``image_path``, if it exists.

        A link counts even when it leads nowhere or in a loop: reading it reports why (DJC002).
        """
        assert build.dockerfile is not None
        for source in build.dockerfile.context_sources(stage, image_path, before):
            path = build.context / source
            try:
                if os.path.isfile(path) or os.path.islink(path):
                    return path
            except OSError:  # a name too long for the file system, say: no such file
                continue
        return None

    def feeding_stages(self, dockerfile: Dockerfile) -> list[Stage]:
        """The stages the final image is made of: those BuildKit builds for it (:meth:`Dockerfile.built_stages`)."""
        built = dockerfile.built_stages()
        return [stage for stage in dockerfile.stages if stage.index in built]

    def requirement_files(self, build: ImageBuild) -> Iterator[tuple[Instruction, Command, Path | None]]:
        """Each ``pip install``/``pip wheel`` of the image with the requirements file it reads, if found."""
        dockerfile = build.dockerfile
        assert dockerfile is not None
        for stage in self.feeding_stages(dockerfile):
            for run in stage.all("RUN"):
                for command in run.commands:
                    words = list(command.words)
                    if not ({"install", "wheel"} & set(words)):
                        continue
                    for named in requirement_files_named(words):
                        image_path = posixpath.join(dockerfile.workdir_at(stage, run),
                                                    dockerfile.expanded_at(stage, run, named))
                        yield run, command, self.context_file(build, stage, posixpath.normpath(image_path), run)

    def requirements(self, build: ImageBuild) -> list[Requirement]:
        """What ``pip install -r`` installs in the final image: files found through COPY, ``-r`` followed.

        A requirements file built into wheels in an earlier stage counts when the final
        stage copies from that stage.
        """
        return self.once_per_build("requirements", build, lambda: self._requirements(build))

    def _requirements(self, build: ImageBuild) -> list[Requirement]:
        if build.dockerfile is None:
            return []

        def load(path: Path, included_from: tuple[Path, int] | None) -> RequirementsFile | None:
            needed_by = Location(*included_from) if included_from else None
            return self.parsed("requirements", path, parse_requirements, needed_by)

        def loop(path: Path, line: int, included: Path) -> None:
            self._problem("DJC001", Location(path, line), f"requirements: -r {self.display(included)} includes a file "
                          "that includes this one; pip recurses on the loop until it fails")

        result: list[Requirement] = []
        for _, _, path in self.requirement_files(build):
            if path is not None:
                result.extend(all_requirements(path, load, loop))
        return result

    def context_entries(self, build: ImageBuild) -> list[ContextEntry]:
        """What ``docker build`` would send of the context: entries not excluded by ``.dockerignore``.

        Top-down, links not followed, unreadable folders listed but not entered. Folders
        no rule looks into are listed but not entered either: VCS folders, ``node_modules``,
        caches, virtualenvs (with their ``pyvenv.cfg``), what git ignores, and an excluded
        folder no ``!`` pattern can re-include anything from. Every setup of the run that
        builds from the context, with the same ignore files, shares one walk.
        """
        dockerignore = self.dockerignore_path(build)
        key = (build.context, dockerignore, self.text(dockerignore) if dockerignore else None, self.boundary,
               tuple(sorted((path, text) for path, text in self.overlay.items() if path.name == ".gitignore")))
        if key not in CONTEXT_WALKS:
            CONTEXT_WALKS[key] = list(self._walk_context(build))
        return CONTEXT_WALKS[key]

    def _walk_context(self, build: ImageBuild) -> Iterator[ContextEntry]:
        ignore = self.dockerignore(build)
        uid, groups = os.geteuid(), {os.getegid(), *os.getgroups()}
        above = self._gitignores_above(build.context)
        # (folder, its path in the context, its last .dockerignore match, its parts from the git root or None
        # when git ignores nothing here, the .gitignore files of the folders above it)
        pending: list[tuple[Path, str, int, list[str] | None, list[tuple[int, GitIgnore]]]] = [
            (build.context, "", -1, above[0] if above else None, above[1] if above else [])]
        count = 0
        while pending and count < MAX_CONTEXT_ENTRIES:
            folder, relative, folder_last, parts, gitignores = pending.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            names = {entry.name for entry in entries}
            if parts is not None and (".gitignore" in names or folder / ".gitignore" in self.overlay):
                found = self.parsed(".gitignore", folder / ".gitignore", parse_gitignore)
                gitignores = gitignores + [(len(parts), found)] if found is not None else gitignores
            enter_folders = "pyvenv.cfg" not in names  # a virtualenv: its top level only
            for entry in entries:
                count += 1
                if count > MAX_CONTEXT_ENTRIES:  # one folder of a million files is bounded too
                    return
                path = f"{relative}/{entry.name}" if relative else entry.name
                try:
                    info = entry.stat(follow_symlinks=False)
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                last = ignore.last_match(path, folder_last) if ignore is not None else -1
                excluded = ignore is not None and ignore.excluded(last)
                readable = _can_read(info, uid, groups, is_dir)
                if not excluded:
                    yield ContextEntry(build.context, path, is_dir, info.st_uid, readable)
                if not (is_dir and readable and enter_folders) or (excluded and not ignore.may_reinclude_below(path)):  # type: ignore[union-attr]
                    continue
                entry_parts = [*parts, entry.name] if parts is not None else None
                if entry.name in SKIP_DIRS or (entry_parts is not None and ignored_here(entry_parts, True, gitignores)):
                    yield from self._virtualenv_marker(build.context, f"{path}/pyvenv.cfg", ignore, last, uid, groups)
                    continue
                pending.append((Path(entry.path), path, last, entry_parts, gitignores))

    def _gitignores_above(self, context: Path) -> tuple[list[str], list[tuple[int, GitIgnore]]] | None:
        """The context's parts from the git root and the ``.gitignore`` files above it; None when git ignores it."""
        top = self.boundary
        if not context.is_relative_to(top) or self.gitignored(context, folder=True):
            return None
        parts = list(context.relative_to(top).parts)
        files = []
        for depth in range(len(parts)):
            path = top.joinpath(*parts[:depth], ".gitignore")
            found = self.parsed(".gitignore", path, parse_gitignore) if self.is_file(path) else None
            if found is not None:
                files.append((depth, found))
        return parts, files

    def _virtualenv_marker(self, context: Path, path: str, ignore: DockerIgnore | None, folder_last: int,
                           uid: int, groups: set[int]) -> Iterator[ContextEntry]:
        """The ``pyvenv.cfg`` (at ``path`` in the context) of a folder the walk does not enter.

        Only when it is there and sent.
        """
        try:
            info = os.lstat(context / path)
        except OSError:
            return
        if stat.S_ISREG(info.st_mode) and not (ignore is not None
                                               and ignore.excluded(ignore.last_match(path, folder_last))):
            yield ContextEntry(context, path, False, info.st_uid, _can_read(info, uid, groups, False))

    def gitignored(self, path: Path, folder: bool = False) -> bool:
        """Whether git ignores ``path`` (a folder when ``folder``).

        Every ``.gitignore`` from the repository root down is read. A file git tracks is not ignored, whatever
        the ``.gitignore`` says (a ``dev.env`` committed before the ``.gitignore`` listed it is in every clone).
        """
        return self.gitignore_lists(path, folder) and (folder or not self.tracked(path))

    def gitignores_folder(self, folder: Path) -> bool:
        """Whether git ignores a folder or all it holds (``database/**`` keeps the folder, ignoring each file)."""
        return self.gitignored(folder, folder=True) or self.gitignored(folder / CONTENT_PROBE)

    def tracked(self, path: Path) -> bool:
        """Whether git tracks the file (its index lists it); False outside git or when the index cannot be read."""
        top = self.boundary
        return self._tracked is not None and path.is_relative_to(top) and path.relative_to(top).as_posix() \
            in self._tracked

    def gitignore_lists(self, path: Path, folder: bool = False) -> bool:
        """Whether the ``.gitignore`` files match ``path`` (a folder when ``folder``), tracked or not."""
        top = self.boundary
        if not path.is_relative_to(top) or path == top:
            return False

        def gitignore(base: str) -> GitIgnore | None:
            found = top / base / ".gitignore"
            return self.parsed(".gitignore", found, parse_gitignore) if self.is_file(found) else None

        return ignored(path.relative_to(top).as_posix(), folder, gitignore)

    @cached_property
    def _tracked(self) -> frozenset[str] | None:
        """The paths git tracks in the repository holding the project (its index), or None outside git or when the
        index cannot be read."""
        git = self.boundary / ".git"
        try:
            if os.path.isfile(git):  # a worktree or submodule: `gitdir: <folder>`
                written = git.read_text(encoding="utf-8", errors="replace")[:MAX_GITDIR_LINE].strip()
                git = git.parent / written.removeprefix("gitdir:").strip()
            index = git / "index"
            info = index.stat()
            if info.st_size > MAX_INDEX_BYTES:
                return None
            key = (index, info.st_mtime_ns, info.st_size)  # one read a run: every setup of the repository asks
            if key not in _INDEXES:
                _INDEXES[key] = tracked_paths(index.read_bytes())
            return _INDEXES[key]
        except OSError:
            return None

    # -- what containers run -------------------------------------------------------------

    @cached_property
    def start_commands(self) -> list[StartCommand]:
        """What each image and each service starts: Dockerfile CMD/ENTRYPOINT and compose ``command:``."""
        result = []
        for build, dockerfile in self.dockerfiles:
            entrypoint = dockerfile.effective(dockerfile.final, "ENTRYPOINT")
            cmd = dockerfile.effective(dockerfile.final, "CMD")
            for instruction in (entrypoint, cmd):
                if instruction is not None:
                    location = dockerfile.at(instruction)
                    result.append(StartCommand(tuple(instruction.commands), location, build, None, instruction))
            if entrypoint and cmd and entrypoint.exec_form and cmd.exec_form:
                words = entrypoint.exec_form + cmd.exec_form
                location = dockerfile.at(cmd)
                result.append(StartCommand(tuple(split_words(words)), location, build, None, cmd))
        for service in self.services:
            built = self.build_for(service)
            for located in (service.command, service.entrypoint):
                if located is not None:
                    words = tuple(located.value)
                    if located is service.command and not service.entrypoint and len(words) == 1:
                        # `command: ["celery -A app worker"]` given to `ENTRYPOINT ["/bin/bash", "-c"]`: the
                        # shell runs it as a script
                        words = self._shell_entrypoint(built) + words
                    result.append(StartCommand(tuple(split_words(words)), located.location, built, service))
            if service.command is not None and service.entrypoint is not None:
                # `entrypoint: celery` and `command: -A app flower`: the container runs the two as one command
                words = tuple(service.entrypoint.value) + tuple(service.command.value)
                result.append(StartCommand(tuple(split_words(words)), service.command.location, built, service,
                                           joined=True))
        return result

    def _shell_entrypoint(self, build: ImageBuild | None) -> tuple[str, ...]:
        """The image's exec-form ENTRYPOINT when it is a shell's ``-c`` (``["/bin/bash", "-c"]``), else nothing."""
        dockerfile = build.dockerfile if build is not None else None
        entrypoint = dockerfile.effective(dockerfile.final, "ENTRYPOINT") if dockerfile is not None else None
        form = tuple(entrypoint.exec_form or ()) if entrypoint is not None else ()
        return form if len(form) == 2 and form[0].rsplit("/", 1)[-1] in SHELLS and form[1] == "-c" else ()

    @cached_property
    def scripts(self) -> list[Script]:
        """The scripts the images run, found through the COPY that put them in the image: a file two images copy
        and run (``docker/alpine.Dockerfile`` beside ``docker/default.Dockerfile``) is a script of each."""
        result: dict[tuple[Path, int], Script] = {}  # by the file and the build (its identity)
        for start in self.start_commands:
            build = start.build
            if build is None or build.dockerfile is None:
                continue
            stage = build.dockerfile.final
            workdir = build.dockerfile.workdir_after(stage)
            looked: set[str] = set()
            for command in start.commands:
                # A script is the program or the argument of a wrapper (sh, tini --, wait-for-it ... --): among
                # the first words. Bounded, so that a command of a million words costs no million look-ups.
                for word in command.words[:MAX_SCRIPT_WORD]:
                    if word.endswith(NOT_SCRIPTS) or word.startswith("-") or "$" in word or word in looked:
                        continue  # Python's, or a file a command reads (`manage.py loaddata fixtures.json`)
                    looked.add(word)
                    if len(looked) > MAX_SCRIPT_LOOKUPS:
                        break
                    path = self._image_file(build, stage, workdir, word, start.service)
                    if path is None and start.service is None:
                        # the image's ENTRYPOINT, which a service's bind mount provides (`.:/app` and ENTRYPOINT
                        # ["docker/entrypoint.sh"] from WORKDIR /app)
                        path = next((found for service in self.services if service.name in build.services
                                     and (found := self._mounted_file(service, workdir, word)) is not None), None)
                    text = self.text(path) if path is not None else None
                    if path is None or text is None:
                        continue
                    key = (path, id(build))
                    from_image = start.service is None or (key in result and result[key].from_image)
                    result[key] = Script(path, tuple(script_lines(text)), build, from_image)
        self._called_scripts(result)
        return list(result.values())

    def _called_scripts(self, result: dict[tuple[Path, int], Script]) -> None:
        """Add to ``result`` the scripts its scripts run (``bash ${ROOT}/docker/scripts/_start_gunicorn.sh``, the
        script's own variables expanded), a few levels deep: each runs in the same image."""
        pending = [(script, 1) for script in result.values()]
        looked = 0
        while pending and looked < MAX_SCRIPT_LOOKUPS:
            script, depth = pending.pop()
            build = script.build
            if depth > MAX_SCRIPT_DEPTH or build.dockerfile is None:
                continue
            stage = build.dockerfile.final
            workdir = build.dockerfile.workdir_after(stage)
            assigned = {match[1]: value[0] for line in script.lines
                        if (match := SCRIPT_ASSIGNMENT.fullmatch(line.text)) and (value := words(match[2]))}
            for command in (command for line in script.lines for command in line.commands):
                for index, word in enumerate(command.words[:MAX_SCRIPT_WORD]):
                    word = _expanded(word, assigned)
                    # a script by its name, or a path the command runs (`./start`, `bash bin/run`): not a file a
                    # program is given to read or write (`-o docs/img/schema.png`)
                    if word.startswith("-") or "$" in word or not word.endswith((".sh", ".bash")) and (
                            "/" not in word or index and command.words[index - 1] not in SCRIPT_LAUNCHERS):
                        continue
                    looked += 1
                    path = self._image_file(build, stage, workdir, word)
                    text = self.text(path) if path is not None else None
                    if path is None or text is None or (path, id(build)) in result:
                        continue
                    called = Script(path, tuple(script_lines(text)), build, script.from_image)
                    result[path, id(build)] = called
                    pending.append((called, depth + 1))

    def image_servers(self, build: ImageBuild) -> list[tuple[Server, Location]]:
        """The application servers an image starts by itself: its CMD/ENTRYPOINT and the scripts they run."""
        found = [(s, start.location) for start in self.start_commands if start.service is None and start.build is build
                 for command in start.commands if (s := server(command)) is not None]
        for script in self.scripts:
            if script.build is build and script.from_image:
                found += [(s, Location(script.path, line.line)) for line in script.lines for command in line.commands
                          if (s := server(command)) is not None]
        return found

    def started_commands(self, build: ImageBuild) -> Iterator[tuple[Command, Location, Script | None]]:
        """Each command the image's containers start with, where it is written, and the script it is a line of: a
        start command of the image or of a service that builds it (no script), then the lines of the scripts one of
        them runs (``exec gunicorn ...`` at the end of ``entrypoint.prod.sh``)."""
        for start in self.start_commands:
            if start.build is build:
                for command in start.commands:
                    yield command, start.location, None
        services: list[Service | None] = [service for service in self.services if service.name in build.services]
        for service in services or [None]:
            for run in self.container_commands(service, build):
                if run.script is not None:
                    yield run.command, run.location, run.script

    def started_servers(self, build: ImageBuild) -> Iterator[tuple[Server, Location, Script | None]]:
        """Each application server the image's containers start (:meth:`started_commands`), where it is written,
        and the script it is a line of."""
        for command, location, script in self.started_commands(build):
            if (found := server(command)) is not None:
                yield found, location, script

    def servers(self, service: Service | None, build: ImageBuild | None) -> list[Server]:
        """The application servers a container starts: those of the service's own command (which replaces
        the image's CMD), else the image's, and the lines of the scripts they run that its arguments and
        environment may run; for an image no service describes, every server its scripts name."""
        own = [start for start in self.start_commands if service is not None and start.service is service]
        if service is None:
            return [s for s, _ in self.image_servers(build)] if build is not None else []
        found = [s for start in own for command in start.commands if (s := server(command)) is not None]
        environment = {**self.image_environment(build), **self.service_environment(service)}
        # the scripts' lines its arguments run (an entrypoint's `case "$1" in runserver)` given CMD ["runserver"])
        return found + [s for run in self.container_commands(service, build)
                        if (run.script is not None or not own) and run.runs is not False
                        and (s := _served(run.command, environment)) is not None]

    def _starts(self, service: Service | None, build: ImageBuild | None) -> list[StartCommand]:
        """The start commands of a container: the service's ``command:``/``entrypoint:`` and what they leave of
        its image's ENTRYPOINT and CMD (the image's alone for a container no service describes); of a service
        that gives both, its ``entrypoint:`` and ``command:`` joined, as the container runs them."""
        joined = service is not None and service.entrypoint is not None and service.command is not None
        ignored = service is not None and self.command_ignored(service, build)
        # the image's ENTRYPOINT script never reads its arguments (it ends with `exec gunicorn ...`): its CMD never runs
        image_command_ignored = build is not None and not (service is not None and service.entrypoint) \
            and self.entrypoint_ignores_arguments(build)
        return [start for start in self.start_commands if (
            service is not None and start.service is service and start.joined == joined and not ignored) or (
            start.service is None and build is not None and start.build is build
            and not (service is not None and service.entrypoint and not _keeps_image_command(service, start))
            and not ((service is not None and service.command or image_command_ignored)
                     and start.instruction is not None and start.instruction.keyword == "CMD"))]

    def container_commands(self, service: Service | None, build: ImageBuild | None,
                           environment: Mapping[str, str | None] | None = None) -> list[ContainerCommand]:
        """Every command a container runs as it starts: its start commands, then the lines of the scripts they
        run (with the words that follow the script as its arguments, in ``environment``: by default the
        container's), each with where it is written and whether it runs (None: it may; see ``lines_run``)."""
        if environment is None:
            environment = {**self.image_environment(build), **(self.service_environment(service) if service else {})}
            if service is not None and not self.environment_known(service):
                # An env file each clone makes, with no template: a name the rest does not set may be set there.
                environment = _OpenEnvironment(environment)
        key = ("container-commands", service.name if service else None,
               (build.context, build.dockerfile_path, build.target) if build else None,
               tuple(sorted(environment.items(), key=lambda item: item[0])), isinstance(environment, _OpenEnvironment))
        return self.once(key, lambda: self._container_commands(service, build, environment))

    def _container_commands(self, service: Service | None, build: ImageBuild | None,
                            environment: Mapping[str, str | None]) -> list[ContainerCommand]:
        starts = self._starts(service, build)
        result = [ContainerCommand(command, start.location, None, True) for start in starts
                  for command in start.commands]
        scripts = {script.path: script for script in self.scripts if build is not None and script.build is build}
        done: set[tuple[Path, tuple[str, ...]]] = set()
        # The service's command: is what the image's exec-form ENTRYPOINT is given as arguments (`ENTRYPOINT
        # ["/app/bin/entrypoint.sh"]` and `command: web`: the script's `case $1 in web) ...`).
        given = tuple(service.command.value) if service is not None and service.command is not None \
            and not service.entrypoint else ()
        for start in starts:
            for command in start.commands:
                words = tuple(command.words)
                if given and start.service is None and start.instruction is not None \
                        and start.instruction.keyword == "ENTRYPOINT" and start.instruction.exec_form \
                        and len(start.commands) == 1:
                    words += given
                for index, word in enumerate(words[:MAX_SCRIPT_WORD]):
                    path = self.script_at(build, word, service) if scripts else None
                    call = (path, words[index + 1:]) if path is not None else None
                    if path is None or call is None or path not in scripts or call in done:
                        continue
                    done.add(call)
                    result += self._script_run(build, scripts, scripts[path], call[1], environment, done, 1, True)
        return result

    def _script_run(self, build: ImageBuild | None, scripts: Mapping[Path, Script], script: Script,
                    arguments: tuple[str, ...], environment: Mapping[str, str | None],
                    done: set[tuple[Path, tuple[str, ...]]], depth: int, runs: bool | None) -> list[ContainerCommand]:
        """The commands a script runs with ``arguments``, and those of the script of the image it ``exec``s in turn
        (``exec ./bin/run_web.sh "$@"``: its positional parameters expanded, past its ``shift``s), a few levels
        deep; a command of a script that may run (``runs`` None) makes what it calls one that may run too."""
        ran = commands_run(script.lines, arguments, environment)
        result = [ContainerCommand(inner, Location(script.path, line.line), script,
                                   None if runs is None and status else status) for line, inner, status in ran]
        if depth >= MAX_SCRIPT_DEPTH:
            return result
        given = arguments  # what `shift` leaves of them, line after line
        for _, inner, status in ran:
            if status is False or not inner.words:
                continue
            if inner.words[0] == "shift":
                count = inner.words[1] if len(inner.words) > 1 else "1"
                given = given[int(count):] if count.isdigit() else given
            if not inner.exec_:
                continue  # a helper it waits for (wait-for-it.sh db:5432 -- ...) is not what the container becomes
            for index, word in enumerate(inner.words[:MAX_SCRIPT_WORD]):
                path = self.script_at(build, word)
                if path is None or path not in scripts or path == script.path:
                    continue
                call = (path, _positional(inner.words[index + 1:], given))
                if call not in done:
                    done.add(call)
                    result += self._script_run(build, scripts, scripts[path], call[1], environment, done, depth + 1,
                                               None if runs is None or status is None else True)
                break
        return result

    # -- settings ------------------------------------------------------------------------

    def syntax_tree(self, path: Path) -> ast.Module | None:
        """A Python file's whole syntax tree, parsed once for every rule and container that reads it; None when
        Python cannot parse it."""
        return self.parsed("settings syntax tree", path, _syntax_tree)

    def python_module(self, path: Path) -> PythonModule | None:
        """A Python module of the project: its file, or for a module an image's RUN makes by copying or moving
        another file of its build (``RUN mv proj/settings/docker.py proj/settings/local.py``), that file's code."""
        if not self.is_file(path):
            source = self._image_made_modules.get(path)  # the findings point at the file the code is written in
            return self.parsed("settings", source, parse_python) if source is not None else None
        return self.parsed("settings", path, parse_python)

    @cached_property
    def _image_made_modules(self) -> dict[Path, Path]:
        """The Python files of the build contexts an image's RUN writes with ``cp`` or ``mv`` from another file of
        the context (``RUN mv proj/settings/docker.py proj/settings/local.py`` after ``COPY . .``), with that file."""
        made: dict[Path, Path] = {}
        for build, _ in self.dockerfiles:
            for stage, run, command, source_image, target_image in self._file_copies(build):
                if program(command) not in {"cp", "mv"} or len(command.words) != 3 or not target_image.endswith(".py"):
                    continue
                source = self.context_file(build, stage, source_image, run)
                if source is None:
                    continue
                target = Path(os.path.normpath(source.parent / posixpath.relpath(
                    target_image, posixpath.dirname(source_image))))
                if target.is_relative_to(build.context):
                    made.setdefault(target, source)
        return made

    def _file_copies(self, build: ImageBuild) -> Iterator[tuple[Stage, Instruction, Command, str, str]]:
        """Each command of the final image's RUNs that writes one file from one other (``cp a b``, ``install -m 755
        a b``, ``dos2unix --newfile a b``), with its stage, its RUN, and both paths in the image; none with a
        variable."""
        for stage, run, workdir, command in self._file_writes(build):
            words = command.words
            if any("$" in word for word in words):
                continue
            files = [word for index, word in enumerate(words[1:], 1)
                     if not word.startswith("-") and words[index - 1] not in OPTION_VALUES]
            if len(files) == 2:
                source, target = (posixpath.normpath(posixpath.join(workdir, word)) for word in files)
                yield stage, run, command, source, target

    @staticmethod
    def _file_writes(build: ImageBuild) -> Iterator[tuple[Stage, Instruction, str, Command]]:
        """Each command of the final image's RUNs that writes a file (``cp``, ``mv``, ``ln``, ``install``), with its
        stage, its RUN and the working directory it runs in."""
        dockerfile = build.dockerfile
        if dockerfile is None:
            return
        for stage in dockerfile.lineage(dockerfile.final):
            for run in stage.all("RUN"):
                workdir = dockerfile.workdir_at(stage, run)
                yield from ((stage, run, workdir, command) for command in run.commands  # split once per RUN
                            if program(command) in FILE_WRITERS)

    @cached_property
    def settings_module_names(self) -> list[Located[str]]:
        """The ``DJANGO_SETTINGS_MODULE`` values compose and the images set."""
        names: list[Located[str]] = []
        for service in self.services:
            value = service.environment.get("DJANGO_SETTINGS_MODULE")
            if value is not None and value.value:
                names.append(Located(value.value, value.location))
        for build, dockerfile in self.dockerfiles:
            env = dockerfile.env(dockerfile.final)
            if "DJANGO_SETTINGS_MODULE" in env:
                module, instruction = env["DJANGO_SETTINGS_MODULE"]
                # with the ARGs and ENVs before it (`ENV BUILD_ENV local` then `comroom.settings.${BUILD_ENV}`)
                expanded = dockerfile.expanded_env(dockerfile.final).get("DJANGO_SETTINGS_MODULE")
                names.append(Located(expanded or module, dockerfile.at(instruction)))
            elif not self.services and (template := self._selecting_template(build)) is not None:
                # an image no compose service runs: the environment the template beside it tells its runner to give
                entry = template[1]["DJANGO_SETTINGS_MODULE"]
                names.append(Located(entry.value or "", Location(template[0], entry.line, 1)))
        return names

    def module_file(self, dotted: str) -> Path | None:
        """The project's file of a dotted module name (``app.version``): from manage.py's folder (not a test
        suite's), a build context, the setup's folder, or the ``src`` folder of one of them (a src layout, put on the
        path by the image's PYTHONPATH or manage.py); None when the project has none (an installed package)."""
        return self.once(("module-file", dotted), lambda: self._module_file(dotted))

    def _module_file(self, dotted: str) -> Path | None:
        return next((found for root in self._module_roots if (found := self._module_at(dotted.strip(), root))), None)

    @cached_property
    def _module_roots(self) -> list[Path]:
        """The folders Python runs the project from first (manage.py's, which it puts on the path, and the images'
        build contexts), then the setup's, and the ``src`` folder of each: a stray ``portfolio/settings.py`` at the
        top is not ``django/portfolio/``."""
        roots = [p.parent for p in self.setup.python_files
                 if p.name == "manage.py" and not _in_folder_for_tests(p, self.boundary)] + [
            b.context for b in self.builds] + [self.root]
        return list(dict.fromkeys(roots + [root / "src" for root in roots]))

    def module_each_install_makes(self, dotted: str) -> Path | None:
        """The file of a dotted module that git ignores, absent from a clone while its package is there, and that
        the project says how to make: its instructions name it (``acnl/settings/prod.py``, which the README asks
        each deployment to write), or variants of it lie beside it (``settings.py.dev`` and ``settings.py.prod``,
        one of which the entrypoint copies to ``settings.py``). What it holds is unknown. None when the name is no
        such module's."""
        parts = dotted.strip().split(".")
        for root in self._module_roots:
            module = root.joinpath(*parts).with_suffix(".py")
            if os.path.isdir(module.parent) and module.parent != root and not self.is_file(module) \
                    and self.gitignored(module) and (self.documented(module) or self._variants_beside(module)):
                return module
        return None

    def _variants_beside(self, module: Path) -> bool:
        """Whether files named for variants of a module lie beside it (``settings.py.dev`` for ``settings.py``)."""
        try:
            with os.scandir(module.parent) as entries:
                return any(entry.name.startswith(f"{module.name}.")
                           for entry in itertools.islice(entries, MAX_FOLDER_NAMES))
        except OSError:
            return False

    @cached_property
    def settings(self) -> list[Settings]:
        """The settings modules the containers run.

        From ``DJANGO_SETTINGS_MODULE`` in compose or the image; else the configured
        ``settings-module``; else the default that ``manage.py``/``wsgi.py``/``asgi.py``
        set (the top ``manage.py`` and its package's, :meth:`_default_settings_modules`; not those of a test
        suite's project); else every settings module whose name does not mark it as
        development or test settings, or as an example to copy (``local_base.py``,
        ``settings_local_example.py``), outside a test suite's folders.
        None when the stack's containers run no Django (a database and a cache for a site the
        developer runs on the host) and no image beside them starts a server by itself.
        """
        if self._no_container_runs_django:
            return []
        dotted = [located.value for located in self.settings_module_names]
        if not dotted and self.settings_module:
            dotted.append(self.settings_module)
        if not dotted:
            dotted = self._default_settings_modules()
        paths = [p for p in (self.module_file(d) for d in dict.fromkeys(dotted)) if p is not None]
        if not paths and (any(self.image_writes_module(build, d) for build in self.builds for d in dotted)
                          or any(self.module_each_install_makes(d) for d in dotted)):
            return []  # the image or each install writes the module (git ignores it): what it holds is unknown
        by_name = not paths  # modules found by their name alone: only those that set Django's settings count
        if by_name:
            paths = [p for p in self.setup.python_files
                     if (p.name == "settings.py" or p.parent.name == "settings")
                     and not DEVELOPMENT_SETTINGS.search(p.stem) and not p.stem.startswith("test")
                     and not _in_folder_for_tests(p, self.boundary)]
            # A module named where djcheck does not find it (another layout, or a name that stops Django, DJC405):
            # the modules of its name stand for it when there are some (`docker.py` for `app.preset.docker`).
            stems = {d.rsplit(".", 1)[-1] for d in dotted}
            named = [p for p in paths if p.stem in stems]
            paths = named or paths
        result = {path: settings for path in dict.fromkeys(paths)
                  if (settings := self._settings_at(path)) and (settings.bindings or path.name != "__init__.py")
                  and not (by_name and DJANGO_CORE_SETTINGS.isdisjoint(settings.bindings))}
        imported = {p for path, settings in result.items()
                    for p in {a.path for a in settings.bindings.values()} - {path}}
        return [settings for path, settings in result.items() if path not in imported]

    @cached_property
    def _no_container_runs_django(self) -> bool:
        """Whether the stack's containers run no Django: none is seen to, none may (:meth:`_may_run_django`), and no
        image beside them starts a server by itself."""
        return bool(self.services) and not any(
            self.runs_django(service) or self._may_run_django(service) for service in self.services) \
            and not any(not build.services and self.image_servers(build) for build, _ in self.dockerfiles)

    def _may_run_django(self, service: Service) -> bool:
        """Whether a service djcheck does not see start Django may: it runs the project's published image
        (``image: umap/umap:3.6``, an install recipe) or builds one from a Dockerfile djcheck cannot read, or runs
        a command of its own over the project's source it mounts (``command: bash setup.sh``, a script djcheck
        cannot follow in another image). An image built from a Dockerfile it reads starts what it says."""
        if self.mounts_source(service, None):
            return bool(service.command or service.entrypoint)
        if service.build is not None and (build := self.build_for(service)) is not None \
                and build.dockerfile is not None:
            return False  # an image built from a Dockerfile djcheck reads: runs_django judged what it starts (nginx)
        image = service.image.value if service.image else None
        return data_service(image) is None and self._runs_project_image(service)

    @cached_property
    def loaded_settings(self) -> list[Settings]:
        """:attr:`settings` and the modules a container's environment names besides: the one an env file sets
        (``DJANGO_SETTINGS_MODULE=config.settings.prod`` in the template of ``.env.prod``), once each. A default
        another container falls back to beside them (a worker's ``blog.settings``) is not added; of the defaults of
        several ``manage.py`` side by side, only those the containers load count when each container's are known, and
        ``manage.py``'s default does not count when each container's environment names its own module."""
        found = {settings.path: settings for settings in self.settings}
        runs = self.django_runs
        named_by_each = bool(runs) and all(run.settings and run.environment.get("DJANGO_SETTINGS_MODULE")
                                           for run in runs)
        if (len(found) > 1 or named_by_each) and not self.settings_module_names and not self.settings_module \
                and runs and all(run.settings for run in runs):
            # the defaults of several manage.py side by side (`myproject/`, `picha/`), or a default every container's
            # env file replaces (`DJANGO_SETTINGS_MODULE=hasker.settings.prod`): the containers' own say which they run
            found = {settings.path: settings for run in runs for settings in run.settings}
        for run in runs:
            if run.environment.get("DJANGO_SETTINGS_MODULE"):
                for settings in run.settings:
                    found.setdefault(settings.path, settings)
        return list(found.values())

    def _settings_at(self, path: Path) -> Settings | None:
        key = ("settings-bindings", path)
        if key not in self._models:
            module = self.python_module(path)
            self._models[key] = Settings(path, bindings(path, self.python_module)) if module else None
        return self._models[key]

    # -- containers that run Django --------------------------------------------------------

    def runner_environment(self, build: ImageBuild | None) -> Mapping[str, str | None]:
        """The environment of the image as someone else runs it (``docker run -e``, a platform's settings): what its
        ``ENV`` sets, and every other name unknown rather than unset."""
        return _OpenEnvironment(self.image_environment(build))

    def image_environment(self, build: ImageBuild | None) -> dict[str, str]:
        """The ``ENV`` of a build's final stage, as written (``PATH=/venv/bin:$PATH``)."""
        if build is None or build.dockerfile is None:
            return {}
        return {name: value for name, (value, _) in build.dockerfile.env(build.dockerfile.final).items()}

    def process_image_environment(self, build: ImageBuild | None) -> dict[str, str | None]:
        """The ``ENV`` of a build's final stage as its processes see it: the build arguments and variables it names
        substituted, None where one is unknown (a build argument without a default, or any when a service's
        ``build: {args: ...}`` passes its own)."""
        if build is None or build.dockerfile is None:
            return {}
        passes_arguments = any(service.build is not None and "args" in service.build.written
                               for service in self.services if service.name in build.services)
        return build.dockerfile.expanded_env(build.dockerfile.final, defaults=not passes_arguments)

    def script_at(self, build: ImageBuild | None, word: str, service: Service | None = None) -> Path | None:
        """The file of the build context (or of a folder the service bind-mounts) that a word of a start command
        runs, as :attr:`scripts` finds it."""
        if build is None or build.dockerfile is None or word.endswith(".py") or word.startswith("-") or "$" in word:
            return None
        key = ("script-at", word, (build.context, build.dockerfile_path, build.target),
               service.name if service is not None else None)
        dockerfile = build.dockerfile
        return self.once(key, lambda: self._image_file(build, dockerfile.final, dockerfile.workdir_after(
            dockerfile.final), word, service))

    def _image_file(self, build: ImageBuild, stage: Stage, workdir: str, word: str,
                    service: Service | None = None) -> Path | None:
        """The file of the build context a word of a start command runs: from the WORKDIR, else (a bare name)
        from the folders of the image's ``PATH`` a COPY filled (``ENV PATH=/scripts:$PATH``, ``COPY ./scripts
        /scripts``, ``CMD ["run.sh"]``; ``COPY entrypoint.sh /usr/local/bin/``); else, for a service, the file of
        a folder it bind-mounts there (``.:/usr/src/app`` and ``command: bash config/start.sh``)."""
        assert build.dockerfile is not None
        candidates = [posixpath.normpath(posixpath.join(workdir, word))]
        if "/" not in word:
            folders = build.dockerfile.path_folders(stage, DEFAULT_PATH)
            candidates += [posixpath.normpath(posixpath.join(folder, word))
                           for folder in list(dict.fromkeys(folders))[:MAX_PATH_FOLDERS]]
        path = next((found for candidate in candidates
                     if (found := self.context_file(build, stage, candidate)) is not None), None)
        if path is None and (writes := self._run_writes(build)):  # a RUN wrote it from a file a COPY put there
            path = next((found for candidate in candidates if candidate in writes
                         and (found := self.context_file(build, *writes[candidate])) is not None), None)
        return path if path is not None or service is None else self._mounted_file(service, workdir, word)

    def _run_writes(self, build: ImageBuild) -> dict[str, tuple[Stage, str, Instruction]]:
        """Each file a RUN of the final image writes from one other file (:meth:`_file_copies`; ``dos2unix`` only with
        ``--newfile``; ``RUN dos2unix -n start.sh /usr/bin/start``), by its path in the image: the stage, the source's
        path and the RUN. Worked out once per image."""
        return self.once_per_build("run-writes", build, lambda: self._writes_of_runs(build))

    def _writes_of_runs(self, build: ImageBuild) -> dict[str, tuple[Stage, str, Instruction]]:
        found: dict[str, tuple[Stage, str, Instruction]] = {}
        for stage, run, command, source, target in self._file_copies(build):
            if program(command) == "dos2unix" and not {"-n", "--newfile"} & set(command.words):
                continue  # converted where it lies
            found.setdefault(target, (stage, source, run))
            found.setdefault(posixpath.join(target, posixpath.basename(source)), (stage, source, run))  # into a folder
        return found

    def _mounted_file(self, service: Service, workdir: str, word: str) -> Path | None:
        """The file of the project a service bind-mounts where a word of its command names a file, from its
        ``working_dir:`` or the image's WORKDIR."""
        image_path = posixpath.join(self.written_value(service, "working_dir") or workdir, word)
        return next((path for path in self.mounted_paths(service, image_path) if self.is_file(path)), None)

    def mounted_paths(self, service: Service, image_path: str) -> list[Path]:
        """The paths of the project that the service's bind mounts put at ``image_path`` in its container
        (``./src:/app`` puts ``src/web`` at ``/app/web``)."""
        image_path = posixpath.normpath(image_path)
        found = []
        for mount in service.volumes:
            target = posixpath.normpath(mount.target)
            if mount.type != "bind" or not mount.source or not (
                    image_path == target or image_path.startswith(target.rstrip("/") + "/")):
                continue
            path = Path(os.path.normpath(Path(mount.source) / posixpath.relpath(image_path, target)))
            if path.is_relative_to(self.boundary):
                found.append(path)
        return found

    def _starts_django(self, command: Command, service: Service | None = None) -> bool:
        """Whether a command runs Django: manage.py, django-admin, celery, or a server whose module is Django's
        (``uvicorn main:app`` of a FastAPI module beside the project is not, nor ``celery -A compute_worker`` of a
        worker that imports nothing of Django, nor ``celery flower`` with no app, as ``-A`` or ``CELERY_APP``, to
        load). The module is the project's, or one at the top of a folder the service bind-mounts
        (``./compute_worker:/app``)."""
        if not DJANGO_PROGRAMS.search(" ".join(command.words)):
            return False
        first = command.words[0]
        if ("/" in first or first.endswith(".sh")) and not DJANGO_PROGRAMS.fullmatch(posixpath.basename(first)) \
                and not any(DJANGO_PROGRAMS.search(word) for word in command.words[1:]):
            return False  # a script whose name says celery (`/start-celeryflower`): its lines say what it starts
        if program(command) == "celery":
            return self._celery_app_is_djangos(command, service)
        found = server(command)
        if found is None:
            # A script given the server to start (`/entrypoint.sh gunicorn app:app`, an ENTRYPOINT before its CMD):
            # the server it hands over to says what runs.
            handed = next((index for index, word in enumerate(command.words[1:MAX_SCRIPT_WORD], 1)
                           if word in SERVERS), None)
            found = server(Command(command.words[handed:])) if handed is not None else None
        if found is None or found.program == "runserver" or not found.module:
            return True
        text = self._server_module_text(found.module, service)
        return text is None or not OTHER_FRAMEWORKS.search(text) or USES_DJANGO.search(text) is not None

    def serves_another_framework(self, found: Server, service: Service | None = None,
                                 build: ImageBuild | None = None) -> bool:
        """Whether a server's module is another framework's application, one that may set Django up for its ORM
        (``uvicorn redirect.app:app``, a FastAPI app that calls ``django.setup()``): Django serves no request
        there. ``build`` is the image that runs it when no service does."""
        text = self._server_module_text(found.module, service, build) if found.module else None
        return text is not None and bool(OTHER_FRAMEWORKS.search(text)) and not DJANGO_APPLICATION.search(text)

    def _serves_another_framework(self, servers: list[Server], build: ImageBuild) -> bool:
        """Whether an image no service runs starts servers, each of another framework's application (FastAPI's
        ``uvicorn main:app`` of its build context): no Django."""
        return bool(servers) and all(self.serves_another_framework(found, None, build) for found in servers)

    def _server_module_text(self, dotted: str, service: Service | None, build: ImageBuild | None = None) -> str | None:
        """The text of the module a server loads: one at the top of the image's build context, the project's, or
        one at the top of a folder the service bind-mounts; None when djcheck cannot find it. A module that names
        no framework but imports from another of the project's (a shim that re-exports ``from .gui.web_gui import
        app``) stands for the first such module that does, a few imports deep."""
        build = build if build is not None or service is None else self.build_for(service)
        path = self._context_module(dotted, build) or self.module_file(dotted) or self._mounted_module(dotted, service)
        text = self.text(path) if path is not None else None
        for _ in range(MAX_REEXPORTS):
            if path is None or text is None or "django" in text.lower() or OTHER_FRAMEWORKS.search(text):
                break
            package = dotted if path.name == "__init__.py" else dotted.rpartition(".")[0]
            imported = (self._imported_module(package, found) for found in FROM_IMPORT.finditer(text))
            path, dotted = next(((file, name) for file, name in imported if file is not None), (None, dotted))
            text = self.text(path) if path is not None else text
        return text

    def _context_module(self, dotted: str, build: ImageBuild | None) -> Path | None:
        """The module at the top of an image's build context (``main`` is ``api/main.py`` for an image built from
        ``./api``), or at the final WORKDIR the image copies a folder of the context to (``COPY api/ ./api/`` and
        ``WORKDIR /app/api``): what its server imports before a module of that name elsewhere in the project (the
        Django app ``web/main/``)."""
        if build is None or not build.context.is_relative_to(self.boundary):
            return None
        # from the WORKDIR the server starts in (`WORKDIR /app/api`, `uvicorn main:app`)
        found = self.workdir_file(build, posixpath.join(*dotted.split(".")) + ".py")
        return found if found is not None else self._module_at(dotted, build.context)

    def workdir_file(self, build: ImageBuild, relative: str) -> Path | None:
        """The file of the build context a COPY put at ``relative`` from the final stage's WORKDIR, if it exists."""
        dockerfile = build.dockerfile
        if dockerfile is None:
            return None
        stage = dockerfile.final
        return self.context_file(build, stage, posixpath.normpath(posixpath.join(dockerfile.workdir_after(stage),
                                                                                   relative)))

    def _module_at(self, dotted: str, folder: Path) -> Path | None:
        """The file of a dotted module name from ``folder`` on Python's path (``a.b``: ``folder/a/b.py``)."""
        base = folder.joinpath(*dotted.split("."))
        return next((path for path in (base.with_name(base.name + ".py"), base / "__init__.py") if self.is_file(path)),
                    None)

    def _imported_module(self, package: str, found: re.Match[str]) -> tuple[Path | None, str]:
        """The project's file of the module a ``from ... import`` names, relative ones read from ``package``."""
        dots, name = found.group(1), found.group(2)
        if dots:
            parts = package.split(".") if package else []
            base = parts[:len(parts) - (len(dots) - 1)] if len(dots) - 1 <= len(parts) else None
            if base is None:
                return None, name
            name = ".".join([*base, name] if name else base)
        return (self.module_file(name) if name else None), name

    def _celery_app_is_djangos(self, command: Command, service: Service | None) -> bool:
        """Whether ``celery -A app`` runs a Django project's Celery app: the module ``-A`` names is the Django
        project's package, or it or its ``celery`` submodule (where Celery looks next) mentions Django; unknown
        (taken as Django's) when neither is found."""
        words = list(command.words)
        app = next((word.split("=", 1)[1] for word in words if word.startswith(("--app=", "-A="))), None)
        if app is None:
            app = next((words[index + 1] for index, word in enumerate(words[:-1]) if word in {"-A", "--app"}), None)
        if app is None and service is not None:
            # Celery reads the app from CELERY_APP when -A is not given; without either it runs its default app,
            # which loads nothing of Django (`celery flower` of an image that installs flower alone).
            environment = {**self.image_environment(self.build_for(service)), **self.service_environment(service)}
            if "CELERY_APP" not in environment and self.environment_known(service):
                return False
            app = environment.get("CELERY_APP")
        module = (app or "").split(":", 1)[0]
        if not module or "$" in module:
            return True
        paths = [path for dotted in (module, f"{module}.celery")
                 if (path := self.module_file(dotted) or self._mounted_module(dotted, service)) is not None]
        if any(path.name == "__init__.py" and any(os.path.exists(path.parent / name) for name in DJANGO_PACKAGE_FILES)
               for path in paths):
            return True  # the Django project's own package (`-A config` beside config/settings.py)
        texts = [text for path in paths if (text := self.text(path)) is not None]
        return not texts or any(DJANGO_WORD.search(text) for text in texts)

    def _mounted_module(self, dotted: str, service: Service | None) -> Path | None:
        """The file of a top-level module at the top of a folder the service bind-mounts, within the project."""
        if service is None or "." in dotted:
            return None
        for mount in service.volumes:
            if mount.type != "bind" or not mount.source:
                continue
            folder = Path(mount.source)
            if folder.is_relative_to(self.boundary):
                for candidate in (folder / f"{dotted}.py", folder / dotted / "__init__.py"):
                    if self.is_file(candidate):
                        return candidate
        return None

    def runs_django(self, service: Service) -> bool:
        """Whether a service runs Django: what it starts names manage.py, django-admin, a WSGI/ASGI server or celery.

        What it starts: its ``command:`` and ``entrypoint:``, what they leave of its image's
        ENTRYPOINT and CMD, and the lines of the scripts these run that can run (a branch
        the container's arguments and environment rule out does not count), and a Python launcher of the image
        that runs them (``python start.py`` running ``manage.py``, then daphne on the project's module). A built image
        that starts nothing named, or a script djcheck cannot read, is taken to run Django
        when it is a Python image: an asset, proxy or database image built beside Django's is not (nor one built
        on another program's official image, an ``nginx`` that installs certbot's Python),
        nor one parked by a system program that starts nothing (``command: /bin/true``). One whose
        Dockerfile djcheck cannot read (git-ignored, missing) is, unless the service or the
        Dockerfile's path names another program (``nginx``, ``docker/nginx/Dockerfile``, ``nodejs``).
        A third-party image runs someone else's program (:meth:`_runs_project_image`), unless the service sets
        ``DJANGO_SETTINGS_MODULE`` to a module of the project: then it is the project's image as published under
        another name.
        """
        return self.once(("runs-django", service.name), lambda: self._runs_django(service))

    def _runs_django(self, service: Service) -> bool:
        build = self.build_for(service)
        if build is None and (found := service.environment.get("DJANGO_SETTINGS_MODULE")) is not None \
                and found.value and self.module_file(found.value) is not None:
            return True  # it loads a settings module of the project's: its image as published (`ghcr.io/acme/api`)
        if not self._runs_project_image(service):
            return False
        commands = self.container_commands(service, build)
        if any(self._starts_django(run.command, service) for run in commands if run.runs is not False):
            return True
        called = {run.script.path for run in commands if run.script is not None}
        started = [run.command for run in commands if run.script is None]
        programs = [words[1] if len(words) > 1 and words[0].rsplit("/", 1)[-1] in SHELLS
                    else words[0] for words in (command.words for command in started) if words]
        # A script djcheck cannot read: a path or a .sh the image has; not a system program that starts nothing
        # (`command: /bin/true` of a test runner's parked service, `/usr/bin/tail -f /dev/null`).
        unread = [word for word in programs
                  if ("/" in word or word.endswith(".sh")) and self.script_at(build, word, service) not in called
                  and not (posixpath.dirname(word) in SYSTEM_BIN and posixpath.basename(word) in IDLE_PROGRAMS)]
        if build is not None and any(self._launcher_starts_django(build, command) for command in started):
            return True  # `python start.py`, whose start.py runs manage.py and execs daphne on the project's module
        if build is None or (started and not unread):
            return False
        if started and all(_hands_over_to_a_tool(command.words, unread) for command in started):
            return False  # `entrypoint.sh pip wheel .` of the base image: the script runs the build tool it is given
        # Nothing named, or not read: the Python images of the setup are Django's (their default command is Python's).
        if build.dockerfile is None:  # a Dockerfile djcheck cannot read (missing, git-ignored): unless named otherwise
            return not any(OTHER_PROGRAM_NAME.search(name) for name in (service.name, *self._build_names(build)))
        lineage = build.dockerfile.lineage(build.dockerfile.final)
        root = parse_image(lineage[0].image).name if lineage[0].image else ""
        if "/" not in root and OTHER_PROGRAM_NAME.search(root):
            return False  # the official nginx image installing certbot's python-certbot-nginx serves no Django
        if runs_a_tools_program(build.dockerfile):
            return False  # mkdocs serving the documentation, a Jupyter notebook: the base image's program
        return build.dockerfile.on_python_image() or any(
            re.search(r"\b(pip3?|python3?)\b", run.script) for stage in lineage for run in stage.all("RUN"))

    def _launcher_starts_django(self, build: ImageBuild, command: Command) -> bool:
        """Whether a command runs a Python file of the image that starts Django: it runs ``manage.py`` or Django's
        command line, or a server on a WSGI/ASGI module (``subprocess.check_call([sys.executable, "manage.py",
        "migrate"])``, then ``os.execvp("daphne", [..., "config.asgi:application"])``)."""
        path = self.started_python_file(build, command.words)
        text = self.text(path) if path is not None else None
        return text is not None and (LAUNCHES_DJANGO.search(text) is not None or (
            QUOTED_SERVER.search(text) is not None and WSGI_MODULE.search(text) is not None))

    def started_python_file(self, build: ImageBuild, started: Sequence[str]) -> Path | None:
        """The Python file of the image's build context that the words start (``python start.py``, ``poetry run
        python runbot.py``: in an environment runner too; ``streamlit run app.py``), found from the final stage's
        working directory."""
        words = runner_skipped(started)
        if len(words) > 2 and posixpath.basename(words[0]) in SCRIPT_SERVERS and words[1] == "run":
            words = ["python", *words[2:]]  # `streamlit run frontend/main.py` runs the file in its own server
        if len(words) < 2 or not PYTHON.fullmatch(posixpath.basename(words[0])) or not words[1].endswith(".py"):
            return None
        return self.workdir_file(build, words[1])

    @cached_property
    def own_names(self) -> frozenset[str]:
        """The names of the project: its repository's folder (without a ``docker-`` or ``-docker`` it is named
        with: ``docker-django-bootstrap`` publishes ``django-bootstrap``), and the compose file's top-level
        ``name:``."""
        stack = self.stack
        folder = self.boundary.name.lower()
        bare = re.sub(r"^docker[-_.]|[-_.]docker$", "", folder)
        names = {plain_name(folder), plain_name(bare), plain_name(stack.name) if stack is not None and stack.name
                 else ""}
        return frozenset(names - {""})

    def names_project(self, repository: str) -> bool:
        """Whether a part of an image's repository names the project (``ghcr.io/acme/shop`` in shop)."""
        return bool(self.own_names & {plain_name(part) for part in repository.split("/")})

    def runs_own_published_image(self, service: Service) -> bool:
        """Whether a service runs the project's own image as published (``ghcr.io/paperless-ngx/paperless-ngx``
        in paperless-ngx, ``vabene1111/recipes`` in recipes) rather than building it."""
        if service.build is not None or service.image is None or not service.image.value:
            return False
        return self.names_project(parse_image(service.image.value).repository)

    def _runs_project_image(self, service: Service) -> bool:
        """Whether a service can run the project's code: it builds its image, runs the image another service
        builds (``image: app`` beside ``build: .`` and ``image: app:latest``, or Compose's own name for it,
        ``<project>-web``), or bind-mounts a folder holding the
        project's Django files. A third-party image (``mher/flower`` running ``celery flower``) runs someone
        else's program. A stack that builds nothing beside a Dockerfile of the setup runs that image under the
        name it was pushed as (``image: ghcr.io/me/app``), and an image named by one variable is the runner's
        choice: both are taken to be the project's."""
        if service.build is not None or service.image is None or service.image_chosen or self.mounts_source(
                service, None):
            return True
        stack = self.stack
        variable = self.dotenv.get("COMPOSE_PROJECT_NAME")
        project = re.sub(r"[^a-z0-9_-]", "", ((variable.value if variable is not None else None)
                                              or (stack.name if stack is not None else None) or self.root.name).lower())
        built: set[str] = set()
        for other in self.services:
            if other.build is not None and other.image is not None and other.image.value:
                built.add(parse_image(other.image.value).repository)
            elif other.build is not None:  # Compose's name for it (v1 joined with "_")
                built |= {f"{project}-{other.name}".lower(), f"{project}_{other.name}".lower()}
        if parse_image(service.image.value).repository in built:
            return True
        if not any(s.build is not None for s in self.services) and bool(self.setup.dockerfiles):
            return True
        return any(service.name in build.services and build.location is None for build in self.builds)
        # (the image another stack of the project builds, pulled as published: :meth:`_published_builds`)

    @cached_property
    def django_runs(self) -> list[DjangoRun]:
        """Every container that runs Django, with its environment and the settings it loads."""
        runs = []
        for service in self.services:
            if self.runs_django(service):
                build = self.build_for(service)
                environment: dict[str, str | None] = {**self.process_image_environment(build),
                                                      **self.service_environment(service)}
                environment.update(self._script_exports(service, build, environment))
                runs.append(DjangoRun(service, build, environment, service.location,
                                      self._settings_for(service, build, environment)))
        for build, dockerfile in self.dockerfiles:
            if build.services or self.services:
                continue
            if self._pulled_by_another_stack(build):
                continue  # its containers are that stack's, with the environment it gives them
            waits = self._waits_for_a_command(build, dockerfile)
            if self._serves_another_framework([found for found, _ in self.image_servers(build)], build):
                continue  # it serves a FastAPI or Flask application of its build context, not Django
            environment = {**self._template_selectors(build), **self.process_image_environment(build)}
            # An image that waits for its command loads what that command names, which no file here says: not
            # manage.py's default (a cookiecutter production image given `/start` by a stack or a platform),
            # unless its ENTRYPOINT runs manage.py itself.
            settings = self._start_script_settings(build) if waits \
                and not environment.get("DJANGO_SETTINGS_MODULE") and not any(
                    management_command(run.command) is not None for run in self.container_commands(None, build)) \
                else self._settings_for(None, build, environment)
            runs.append(DjangoRun(None, build, environment, dockerfile.at(dockerfile.final.instructions[0]), settings))
        return runs

    def command_ignored(self, service: Service, build: ImageBuild | None) -> bool:
        """Whether the service's ``command:`` never runs: given to its image's ENTRYPOINT script, which never reads
        its arguments (it ends with ``exec daphne ...`` or a commented-out ``#exec "$@"``)."""
        return service.command is not None and not service.entrypoint and build is not None \
            and self.entrypoint_ignores_arguments(build)

    def entrypoint_ignores_arguments(self, build: ImageBuild) -> bool:
        """Whether the image's exec-form ENTRYPOINT runs a script of the image that never reads its arguments (no
        ``$@``, ``$*``, ``$1`` outside a function's ``local``), itself or through the scripts it hands them to
        (``exec /app/entrypoint.sh "$@"``): a service's ``command:``, given to it as arguments, never runs."""
        return self.once_per_build("ignores-arguments", build, lambda: self._script_ignores_arguments(build))

    def _script_ignores_arguments(self, build: ImageBuild) -> bool:
        scripts = {script.path: script for script in self.scripts if script.build is build}
        script = self._entrypoint_script(build, scripts, exec_form=True)
        return script is not None and self._ignores_arguments(build, scripts, script.path, 0)

    def _entrypoint_script(self, build: ImageBuild, scripts: Mapping[Path, Script], exec_form: bool = False
                           ) -> Script | None:
        """The script of the image its final stage's ENTRYPOINT runs, by its path in the image (``COPY entrypoint.sh
        /entrypoint``), among ``scripts``; with ``exec_form``, only of an exec-form ENTRYPOINT."""
        dockerfile = build.dockerfile
        entrypoint = dockerfile.effective(dockerfile.final, "ENTRYPOINT") if dockerfile is not None else None
        if entrypoint is None or exec_form and not entrypoint.exec_form:
            return None
        return next((scripts[path] for word in (entrypoint.exec_form or entrypoint.words())[:MAX_SCRIPT_WORD]
                     if (path := self.script_at(build, word)) is not None and path in scripts), None)

    def _ignores_arguments(self, build: ImageBuild, scripts: Mapping[Path, Script], path: Path, depth: int) -> bool:
        script = scripts[path]
        if not script.lines or depth >= MAX_SCRIPT_DEPTH or shebang_program(self.text(path) or "") not in (
                None, *SHELLS):
            return False  # nothing read, too deep, or a Python entrypoint (`sys.argv`) read as shell
        for line in script.lines:
            if not POSITIONAL_USE.search(line.text):
                continue
            # a function's `local host=$1` reads the function's arguments
            reading = [command for command in line.commands if command.words and command.words[0] != "local"
                       and any(POSITIONAL_USE.search(word) for word in command.words)]
            if not reading:
                return False  # read where djcheck sees no simple command (`for arg in "$@"`, `. ./env.sh`)
            for command in reading:
                words = command.words[1:] if command.words[0] == "exec" and len(command.words) > 1 else command.words
                called = self.script_at(build, words[0])
                if called is None or called not in scripts or called == path or any(
                        POSITIONAL_USE.search(ALL_ARGUMENTS.sub("", word)) for word in command.words) \
                        or not self._ignores_arguments(build, scripts, called, depth + 1):
                    return False  # it reads them (`exec "$@"`, `case $1`), or hands them to a script that may
        return True

    def hands_over(self, build: ImageBuild) -> bool:
        """Whether the image has no ENTRYPOINT, or its ENTRYPOINT script ends with ``exec "$@"``: the command it is
        given then replaces it as the container's first process."""
        dockerfile = build.dockerfile
        if dockerfile is None or dockerfile.effective(dockerfile.final, "ENTRYPOINT") is None:
            return True
        script = self._entrypoint_script(build, {s.path: s for s in self.scripts if s.from_image and s.build is build})
        if script is None or not script.lines:
            return False
        commands = [c for c in script.lines[-1].commands if c.words]
        # `cmd="$@"` earlier, `exec $cmd` at the end (cookiecutter-django's old entrypoint): the same hand-over
        held = {f"${name}" for line in script.lines for name in ARGUMENTS_HELD.findall(line.text)}
        return bool(commands) and commands[-1].exec_ and (
            commands[-1].words[0] in {"$@", "${@}"}
            or len(commands[-1].words) == 1 and commands[-1].words[0].replace("{", "").replace("}", "") in held)

    def _start_script_settings(self, build: ImageBuild) -> tuple[Settings, ...]:
        """The settings an image that waits for its command loads when given the ``/start`` script it holds
        (cookiecutter-django's way: ``command: /start``): the module the script exports, else the default of the
        module its server loads (``gunicorn config.wsgi``); none known without such a script."""
        assert build.dockerfile is not None
        for image_path in START_SCRIPTS:
            path = self.context_file(build, build.dockerfile.final, image_path)
            text = self.text(path) if path is not None else None
            if text is None:
                continue
            lines = script_lines(text)
            exported = next((found[1] for line in lines if (found := EXPORTED_SETTINGS.search(line.text))
                             and "$" not in found[1]), None)
            main = next((command for line in lines for command in line.commands if server(command) is not None), None)
            dotted = exported or (self._default_settings_of(main) if main is not None else None)
            chosen = self._settings_at(module) if dotted and (module := self.module_file(dotted)) else None
            return (chosen,) if chosen is not None else ()
        return ()

    def _waits_for_a_command(self, build: ImageBuild, dockerfile: Dockerfile) -> bool:
        """Whether an image starts nothing by itself: its ENTRYPOINT script ends with ``exec "$@"`` and it has no CMD
        (an ENTRYPOINT resets the base image's): whoever runs it gives the command."""
        return dockerfile.effective(dockerfile.final, "CMD") is None \
            and dockerfile.effective(dockerfile.final, "ENTRYPOINT") is not None and self.hands_over(build)

    def _pulled_by_another_stack(self, build: ImageBuild) -> bool:
        """Whether a related stack's services run the image as published (pulled as CI pushes it:
        :meth:`_published_dockerfiles`). A stack that builds it (for development, often) does not tell how it is
        deployed."""
        mine = set(self.setup.python_files)
        stacks = [self._run_project(setup) for setup in self._run_setups
                  if setup.compose_files and not mine.isdisjoint(setup.python_files)][:MAX_RELATED]
        return any(other.dockerfile_path == build.dockerfile_path
                   and any(service.name in other.services and service.build is None for service in stack.services)
                   for stack in stacks for other in stack.builds)

    def _script_exports(self, service: Service, build: ImageBuild | None,
                        environment: Mapping[str, str | None]) -> dict[str, str | None]:
        """The variables the container's start scripts export (``export CELERY_BROKER_URL="${REDIS_URL}"`` in
        cookiecutter-django's entrypoint), their values expanded from the environment so far; None where a value
        is unknown, or the export sits on a branch that may not run (``if [ -z "$POSTGRES_USER" ]; then export
        ...``). ``DJANGO_SETTINGS_MODULE`` is :meth:`settings_module_of`'s to read."""
        exported: dict[str, str | None] = {}
        exporting: set[Path] = set()  # the scripts under `set -a`: each variable a sourced file sets is exported
        for run in self.container_commands(service, build):
            words = run.command.words
            if run.script is not None and words[:1] == ("set",):
                if _sets_option(words, "-"):
                    exporting.add(run.script.path)
                elif _sets_option(words, "+"):
                    exporting.discard(run.script.path)
            if run.script is not None and run.script.path in exporting and _sources(words) \
                    and (sourced := self.script_at(build, words[1], service)):
                # `set -a; source .env`: the env file the image holds (`COPY . /api/`), its variables exported
                exported.update({name: var.value if run.runs is True else None
                                 for name, var in self.env_file(sourced).items() if name != "DJANGO_SETTINGS_MODULE"})
                continue
            if run.script is None or words[:1] != ("export",):
                continue
            for word in words[1:]:
                assignment = SCRIPT_ASSIGNMENT.match(word)
                if assignment is None or assignment[1] == "DJANGO_SETTINGS_MODULE":
                    continue
                known = {name: value for name, value in {**environment, **exported}.items() if value is not None}
                expanded = _expanded(assignment[2], known)  # a name neither sets is left as `$`: unknown
                exported[assignment[1]] = expanded if run.runs is True and "$" not in expanded else None
        return exported

    def sourced_files(self, build: ImageBuild) -> tuple[Path, ...]:
        """The files of the build context that the image's start scripts source (``set -a; source .env``, ``.
        ./config.env``): the image must hold them."""
        return self.once_per_build("sourced-files", build, lambda: tuple(dict.fromkeys(
            path for run in self.container_commands(None, build) if run.script is not None
            and _sources(run.command.words) and (path := self.script_at(build, run.command.words[1])) is not None)))

    def replaced_by_every_service(self, build: ImageBuild, keyword: str) -> bool:
        """Whether the image is deployed with commands of its own: every compose service that runs it replaces its
        ``CMD`` (``command:``) or ``ENTRYPOINT`` (``entrypoint:``), and one of them is a deployed container. Its own
        is then a default nothing runs; a project whose only stack is a development one ships the image as it is."""
        return self.replaced_by_its_services(build, keyword) and any(
            run.service is not None and run.service.name in build.services and self.development(run) is None
            for run in self.django_runs)

    def own_command_replaced(self, build: ImageBuild, keyword: str) -> bool:
        """Whether no container runs the image's own ``CMD``/``ENTRYPOINT``: the services that run it each replace it
        and one of them is deployed, or the image is for development alone in a project deployed otherwise."""
        return self.replaced_by_every_service(build, keyword) or (
            self.replaced_by_its_services(build, keyword) and self.development_only(build))

    def replaced_in_other_stacks(self, build: ImageBuild, keyword: str) -> bool:
        """Whether no service of this setup runs the image and the project's other stacks run it only with commands
        of their own (``Dockerfile.prod``, whose CMD each production stack's ``command:`` replaces, seen from the
        development stack): no container runs the image's own."""
        if build.services:
            return False
        image = (build.dockerfile_path, build.target)
        elsewhere = [(other, found) for other in self.variants if other is not self for found in other.builds
                     if found.services and (found.dockerfile_path, found.target) == image]
        # the image is development-only as this setup sees it: the other stack's own project knows no siblings
        return bool(elsewhere) and all(
            other.replaced_by_every_service(found, keyword) or other.replaced_by_its_services(found, keyword)
            and self.development_only(build) for other, found in elsewhere)

    def replaced_by_its_services(self, build: ImageBuild, keyword: str) -> bool:
        """Whether compose services run the image and each replaces its ``CMD`` (``command:``) or ``ENTRYPOINT``
        (``entrypoint:``): no container of this setup runs the image's own."""
        key = "command" if keyword == "CMD" else "entrypoint"
        services = [service for service in self.services if service.name in build.services]
        return bool(services) and all(key in service.keys for service in services)

    def image_writes_module(self, build: ImageBuild, dotted: str) -> bool:
        """Whether a RUN of the image writes the module's file (``RUN cp docker/config.py settings/config.py``): the
        module exists in the image, from a file djcheck does not place there."""
        wanted = (dotted.replace(".", "/") + ".py", dotted.replace(".", "/") + "/__init__.py")
        return any(len(command.words) > 2 and any(
            posixpath.normpath(posixpath.join(workdir, command.words[-1])).endswith("/" + path) for path in wanted)
            for _, _, workdir, command in self._file_writes(build))

    def uwsgi_options(self, build: ImageBuild | None, command: Command, key: str) -> list[str]:
        """The values uWSGI's configuration files give ``key`` for a ``uwsgi`` command of the image.

        The files are those given with ``--ini``/``--yaml``/``--json`` or alone by their suffix
        (``uwsgi --http :8000 uwsgi.ini``), ``UWSGI_INI`` in the image's environment, and what
        the build copies into ``/etc/uwsgi/``; a relative name is the container's WORKDIR's. Each
        file is read through the COPY that put it into the image.
        """
        if build is None or build.dockerfile is None or program(command) != "uwsgi":
            return []
        stage = build.dockerfile.final
        workdir = build.dockerfile.workdir_after(stage)
        wanted = config_files(command.words)
        if "UWSGI_INI" in (environment := self.image_environment(build)):
            wanted.append((environment["UWSGI_INI"], "ini", "uwsgi"))
        for copy in build.dockerfile.copies(stage):  # files copied into /etc/uwsgi/ (a copied folder is not listed)
            if copy.dest.startswith(SYSTEM_CONFIG):
                wanted += [(copy.dest + posixpath.basename(source.rstrip("/")) if copy.dest.endswith("/")
                            else copy.dest, "", "uwsgi") for source in copy.sources if "*" not in source]
        values = []
        for name, format_, section in wanted[:MAX_UWSGI_CONFIGS]:
            if "$" in name:
                continue
            path = self.context_file(build, stage, posixpath.normpath(posixpath.join(workdir, name)))
            text = self.text(path) if path is not None else None
            if text is not None:
                values += option_values(text, format_ or CONFIG_SUFFIXES.get(posixpath.splitext(name)[1], "ini"),
                                        section, key)
        return values

    def settings_module_of(self, service: Service | None, build: ImageBuild | None,
                           environment: Mapping[str, str | None], defaults: bool = True) -> str | None:
        """The settings module a container's Django process loads, as the process sees it; None when not known.

        ``--settings`` on the command that serves (or a ``DJANGO_SETTINGS_MODULE=`` before it,
        gunicorn's ``--env``), else the last ``DJANGO_SETTINGS_MODULE`` its script exports
        (which overrides compose and ``ENV``), else the environment's, else the default
        the served module sets with ``os.environ.setdefault``: ``wsgi.py``/``asgi.py`` for an
        application server, ``manage.py`` for ``runserver``, the app's ``celery.py`` for Celery.
        """
        commands, main = self._serving(service, build, environment)
        if main is not None and (forced := self._forced_by_the_served_module(main.command)):
            return forced
        if main is not None and (given := _settings_option(main.command)):
            return given
        if main is not None and (given := next((value.partition("=")[2] for value in reversed(
                self.uwsgi_options(build, main.command, "env")) if value.startswith("DJANGO_SETTINGS_MODULE=")), "")):
            return given  # uWSGI's `env = DJANGO_SETTINGS_MODULE=...` is set in the process it starts
        exported = None
        for run in commands:  # `export DJANGO_SETTINGS_MODULE=...` in a start command (sh -c "export ... && ...")
            if run is main:
                break
            if run.script is None and run.command.words[:1] == ("export",):
                exported = next((word.partition("=")[2] for word in run.command.words[1:]
                                 if word.startswith("DJANGO_SETTINGS_MODULE=") and "$" not in word), exported)
        exported = self._exported_settings(commands, main) or exported or self._settings_loaded(build, commands, main)
        if exported:
            return exported
        value = environment.get("DJANGO_SETTINGS_MODULE")
        if value:
            return value
        if value is None and "DJANGO_SETTINGS_MODULE" in environment:
            return None  # from the shell: unknown
        return self._default_settings_of(main.command, _ProcessEnvironment(environment),
                                         _folder_entered(commands, main, environment), build) \
            if main is not None and defaults else None

    def _forced_by_the_served_module(self, command: Command) -> str | None:
        """The settings module the wsgi.py/asgi.py an application server loads assigns outright as it is imported
        (``os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"``), over the environment's."""
        found = server(command)
        if found is None or found.program == "runserver" or not found.module:
            return None
        path = self.module_file(found.module)
        module = self._defaulting_module(path) if path is not None else None
        return settings_module_forced(module) if module is not None else None

    def _exported_settings(self, commands: list[ContainerCommand], main: ContainerCommand | None) -> str | None:
        """The last ``export DJANGO_SETTINGS_MODULE=...`` of the scripts, before the serving command."""
        found = None
        scripts = {run.script.path: run.script for run in commands if run.script is not None}
        for script in scripts.values():
            kept = {run.location.line for run in commands if run.script is script}
            assigned: dict[str, str] = {}  # the script's plain assignments so far, for ${NAME} in the value
            for line in script.lines:
                if main is not None and main.script is script and line.line > main.location.line:
                    break
                if line.commands and line.line not in kept:
                    continue  # a line whose commands cannot run
                if (assignment := SCRIPT_ASSIGNMENT.fullmatch(line.text)) and (value := words(assignment[2])):
                    assigned[assignment[1]] = value[0]
                match = EXPORTED_SETTINGS.search(line.text)
                if match:
                    value = words(match.group(1))
                    if value:
                        expanded = _expanded(value[0], assigned)
                        found = expanded if "$" not in expanded else found
        return found

    def _default_settings_of(self, command: Command, environment: Mapping[str, str] | None = None,
                             folder: str | None = None, build: ImageBuild | None = None) -> str | None:
        """The ``os.environ.setdefault`` default of the module a serving command loads (in ``environment``, the
        container's, when its ``if`` depends on it: ``if env("DJANGO_DEBUG", cast=bool):``); of several
        ``manage.py``, the one in the ``folder`` the script entered (``cd picha``)."""
        found = server(command)
        name = program(command)
        path: Path | None
        if found is not None and found.module:
            module = found.module
        elif found is not None and found.program != "runserver":  # a config file names it: the project's one wsgi.py
            # (its asgi.py for an ASGI server), the other of the same folder when there is none
            wanted = "asgi.py" if found.program in ASGI_SERVERS else "wsgi.py"
            served = sorted((p for p in self.setup.python_files if p.name in {"wsgi.py", "asgi.py"}),
                            key=lambda p: p.name != wanted)
            return self._module_default(served[0], environment) if len({p.parent for p in served}) == 1 else None
        elif found is not None or any(word.endswith("manage.py") for word in command.words):
            path = self._manager_run(command, folder, build)
            return self._module_default(path, environment) if path is not None else None
        elif name == "celery":
            app = next((w.split("=", 1)[1] if "=" in w else next(iter(command.words[i + 1:i + 2]), "")
                        for i, w in enumerate(command.words) if w in {"-A", "--app"} or w.startswith("--app=")), "")
            app = app.split(":", 1)[0]
            module = f"{app}.celery" if app and "." not in app else app
        else:
            return None
        path = self.module_file(module) if module else None
        return self._module_default(path, environment) if path is not None else None

    def _manager_run(self, command: Command, folder: str | None, build: ImageBuild | None = None) -> Path | None:
        """The ``manage.py`` a command runs (``runserver``'s too): the one the image copies where the command runs it
        (``COPY ./service_data/. .`` beside two other services' folders), else of several the one in the ``folder``
        the script entered."""
        managers = [p for p in self.setup.python_files if p.name == "manage.py"]
        written = next((word for word in command.words if word.endswith("manage.py")), "manage.py")
        if build is not None and build.dockerfile is not None and len(managers) > 1:
            final = build.dockerfile.final
            workdir = folder if folder and folder.startswith("/") else posixpath.join(
                build.dockerfile.workdir_after(final), folder or "")
            copied = self.context_file(build, final, posixpath.normpath(posixpath.join(workdir, written)))
            if copied is not None and copied in managers:
                return copied
        within = posixpath.normpath(posixpath.join(folder or "", posixpath.dirname(written))).strip("/")
        entered = [p for p in managers if within not in {"", "."} and p.parent.as_posix().endswith("/" + within)]
        return next(iter(entered or managers), None)

    def _stops_in_manage_py(self, service: Service | None, build: ImageBuild | None,
                            environment: Mapping[str, str | None]) -> bool:
        """Whether the container serves through a ``manage.py`` Python cannot parse: Django never starts, so no
        settings run; the syntax error is reported on the file (DJC001)."""
        commands, main = self._serving(service, build, environment)
        if main is None or not any(word.endswith("manage.py") for word in main.command.words):
            return False
        path = self._manager_run(main.command, _folder_entered(commands, main, environment))
        return path is not None and bool(self.text(path)) and self.parsed("manage.py", path, parse_python) is None

    def _module_default(self, path: Path, environment: Mapping[str, str] | None) -> str | None:
        text = self.text(path)
        if not text:
            return None
        if environment is None:
            return settings_module_from(text)
        module = self._defaulting_module(path)
        return settings_module_chosen(module, environment) if module is not None else None

    def _defaulting_module(self, path: Path) -> DefaultingModule | None:
        """A manage.py/wsgi.py/asgi.py read once for the settings module it defaults to."""
        return self.parsed("settings module default", path, defaulting_module, quiet=True)

    def _settings_for(self, service: Service | None, build: ImageBuild | None,
                      environment: dict[str, str | None]) -> tuple[Settings, ...]:
        dotted = self.settings_module_of(service, build, environment, defaults=False)
        if not dotted and "DJANGO_SETTINGS_MODULE" in environment and environment["DJANGO_SETTINGS_MODULE"] is None:
            return ()  # `environment: [DJANGO_SETTINGS_MODULE]`: the shell that starts the stack names it, unknown here
        if dotted:
            # A module that does not exist stops Django at start-up (DJC405): no settings run.
            path = self._context_module(dotted, build) or self.module_file(dotted)
            chosen = self._settings_at(path) if path else None
            return (chosen,) if chosen else ()
        default = self.settings_module_of(service, build, environment)
        # the container's own code first: `portfolio.settings` of the image built from ./django is
        # django/portfolio/settings.py, not a stray portfolio/settings.py at the repository's top
        path = (self._context_module(default, build) or self.module_file(default)) if default else None
        chosen = self._settings_at(path) if path else None
        if chosen is None and self._stops_in_manage_py(service, build, environment):
            return ()
        if chosen is None:  # the default the served module sets; one djcheck cannot find: manage.py's, or the below
            chosen = self._manage_py_settings(build)
            if chosen is None and (expressions := self._defaults_from_elsewhere(build)):
                # `setdefault("DJANGO_SETTINGS_MODULE", config("DJANGO_SETTINGS_MODULE"))`: unknown here, unless the
                # container's environment decides it (`"prod" if os.environ.get("DJANGO_ENV") == "production" ...`)
                process = _ProcessEnvironment(environment if service is not None and self.environment_known(service)
                                              else _OpenEnvironment(environment))
                path = next((found for expression in expressions if isinstance(named := _evaluated(
                    expression, process), str) and (found := self.module_file(named)) is not None), None)
                chosen = self._settings_at(path) if path is not None else None
                if chosen is None:
                    return ()
        if chosen is not None and service is not None and not self.environment_known(service) \
                and _beside_production(chosen.path) and (
                    _named(chosen.path.stem, DEVELOPMENT_WORDS)
                    or not self._serves_an_application(service, build, environment)):
            # The env file each clone makes may name the production module beside the default: the default of a
            # worker's module, or a development one an application server's module sets (cookiecutter's asgi.py)
            return ()
        if chosen is not None and service is None and build is not None and _beside_production(chosen.path) \
                and _named(chosen.path.stem, DEVELOPMENT_WORDS) and build.dockerfile_path in {
                    *self._heroku_containers.values(), *self._kamal_configs.values(), *self._pipeline_published}:
            # the platform that runs the image, or whoever runs the image a pipeline publishes, sets its environment:
            # the production module beside the development default
            return ()
        if chosen is not None:
            return (chosen,)
        if build is None:
            return tuple(self.settings)
        return tuple(s for s in self.settings if s.path.is_relative_to(build.context))

    def _template_selectors(self, build: ImageBuild) -> dict[str, str | None]:
        """What a committed env template in the image's build context (else the setup's folder) gives the variables
        that choose the settings module (``DJANGO_SETTINGS_MODULE=core.settings.production``, ``DJANGO_ENV``): for
        an image no compose service runs, the environment its runner is told to give it."""
        found = self._selecting_template(build)
        return {} if found is None else {name: entry.value for name, entry in found[1].items() if entry.value and (
            name == "DJANGO_SETTINGS_MODULE" or STAGE_VARIABLE.search(name))}

    def _selecting_template(self, build: ImageBuild) -> tuple[Path, dict[str, EnvVar]] | None:
        """The first committed env template of the build context, else of the setup's folder, that sets
        ``DJANGO_SETTINGS_MODULE`` (``.env.example``), with its variables; looked for once per build."""
        return self.once_per_build("selecting template", build, lambda: self._find_selecting_template(build))

    def _find_selecting_template(self, build: ImageBuild) -> tuple[Path, dict[str, EnvVar]] | None:
        for folder in dict.fromkeys((build.context, self.root)):
            try:
                names = sorted(os.listdir(folder))[:MAX_FOLDER_NAMES]
            except OSError:
                continue
            for name in names:
                if template_base(name) is None or "env" not in name.lower() or not self.is_file(folder / name):
                    continue
                found = self.parsed("env template, leniently", folder / name, _template_variables, quiet=True) or {}
                if (module := found.get("DJANGO_SETTINGS_MODULE")) is not None and module.value:
                    return folder / name, found
        return None

    def _serves_an_application(self, service: Service, build: ImageBuild | None,
                               environment: Mapping[str, str | None]) -> bool:
        """Whether the container's serving command is an application server (not runserver, Celery or a management
        command): the default of the module it serves (``wsgi.py``) is the one its authors meant it to run."""
        main = self._serving(service, build, environment)[1]
        found = server(main.command) if main is not None else None
        return found is not None and found.program != "runserver"

    def _serving(self, service: Service | None, build: ImageBuild | None, environment: Mapping[str, str | None]
                 ) -> tuple[list[ContainerCommand], ContainerCommand | None]:
        """The commands a container may run as it starts, and the last of them that serves (a server, Celery)."""
        commands = [run for run in self.container_commands(service, build, environment) if run.runs is not False]
        return commands, next((run for run in reversed(commands) if _serves(run.command)), None)

    def management_settings(self, run: DjangoRun) -> tuple[Settings, ...]:
        """The settings a ``manage.py`` command of the container may load (``collectstatic`` in its start script):
        what the container sets or its script exports (the server's too), else ``manage.py``'s own default, which
        is not the served ``wsgi.py``'s; both when an env file each clone writes may name the module, and the other
        modules of their settings packages, any of which it may name (``settings.prod`` beside an empty
        ``settings/__init__.py``)."""
        if self.settings_module_of(run.service, run.build, run.environment, defaults=False):
            return run.settings
        chosen = self._manage_py_settings(run.build)
        if chosen is None:
            return run.settings
        if run.service is None or self.environment_known(run.service):
            return (chosen,)
        may = {settings.path: settings for settings in (*run.settings, chosen)}
        packages = {path.parent for path in may if path.parent.name == "settings" or path.name == "__init__.py"}
        for path in self.setup.python_files:
            if path.parent in packages and path not in may and (settings := self._settings_at(path)) is not None:
                may[path] = settings
        return tuple(may.values())

    def _manage_py_settings(self, build: ImageBuild | None) -> Settings | None:
        """For a container whose command djcheck cannot follow (an entrypoint given ``test``, a server module the
        project lacks): the settings the top ``manage.py`` of its build context defaults to; None when that
        ``manage.py`` names none djcheck finds, or several lie at the same depth."""
        managers = self.top_managers(build.context if build is not None else self.root)
        text = self.text(managers[0]) if len(managers) == 1 else None
        dotted = settings_module_from(text) if text else None
        # from manage.py's own folder first, which Python puts on the path when it runs it
        path = (self._module_at(dotted, managers[0].parent) or self.module_file(dotted)) if dotted else None
        return self._settings_at(path) if path else None

    def _defaults_from_elsewhere(self, build: ImageBuild | None) -> list[ast.expr]:
        """The expressions the image's ``manage.py``, ``wsgi.py`` and ``asgi.py`` take the settings module's default
        from when it is no literal: the environment, or a file each clone writes (python-decouple's ``config()``)."""
        top = build.context if build is not None else self.root
        served = [path for path in self.setup.python_files if path.name in {"wsgi.py", "asgi.py"}
                  and path.is_relative_to(top)]
        return [expression for path in [*self.top_managers(top), *served]
                if (module := self._defaulting_module(path)) is not None
                and (expression := settings_module_expression(module)) is not None]

    def top_managers(self, top: Path) -> list[Path]:
        """The ``manage.py`` files under ``top`` nearest to it: the project's own, not a second ``startproject`` left
        in a folder below it, nor a test suite's."""
        managers = [path for path in self.setup.python_files if path.name == "manage.py" and path.is_relative_to(top)
                    and not _in_folder_for_tests(path, self.boundary)]
        depth = min((len(path.parts) for path in managers), default=0)
        return [path for path in managers if len(path.parts) == depth]

    def _default_settings_modules(self) -> list[str]:
        """The settings modules the project's ``manage.py``, ``wsgi.py`` and ``asgi.py`` default to, when nothing
        names one. With a ``manage.py``: the top one's, and those of the ``wsgi.py``/``asgi.py`` of the same
        package (not the ``wsgi.py`` of an app that was a project of its own once, nor a stray ``startproject``'s)."""
        defaults: dict[Path, str] = {}
        for path in self.setup.python_files:
            if path.name in {"manage.py", "wsgi.py", "asgi.py"} and not _in_folder_for_tests(path, self.boundary):
                text = self.text(path)
                if text and (default := settings_module_from(text)):
                    defaults[path] = default
        managers = [path for path in self.top_managers(self.boundary) if path in defaults]
        if not managers:
            return list(defaults.values())
        packages = {defaults[path].split(".")[0] for path in managers}
        return [default for path, default in defaults.items()
                if path in managers or path.name != "manage.py" and default.split(".")[0] in packages]

    # -- development and deployment ------------------------------------------------------
    #
    # Rules that report values fit for development only (DEBUG on, a literal key, ``*`` hosts,
    # runserver, root, throwaway passwords, a published database port) ask one question:
    # ``project.development_only(thing)``. It is True only when the project ALSO has a deployed
    # configuration (this setup, another setup of the same Django project in the run, a
    # production-named settings module, or a deployed stage of a Dockerfile a development stack
    # builds to another target) and ``thing`` belongs to development alone. A project whose only
    # configuration is a development one ships it: nothing is development-only there.

    def development(self, run: DjangoRun) -> str | None:
        """Why a container is a development one (a short reason), or None when it is deployed as it is.

        A compose file whose opening comment says it is for development tells first (:attr:`declared_development`).
        Then its compose file, Dockerfile or build target tell, and after them the env files it
        reads (a development stack may read one shared with production, ``docker/prod/env/.data.env``):
        named for production (``prod``, ``deploy``...) it is deployed, named for development
        (``dev``, ``local``, ``test``...: ``.env.dev``, ``docker/config/local_dev.env``,
        ``.envs/.local/.django``) it is development, whatever settings module it loads (a
        worker of ``docker-compose-local.yml`` reading a shared env file's production
        settings; a "prod-like" gunicorn container configured by the local env file). Else a
        production-named settings module makes it deployed, unless it runs ``runserver`` on the bind-mounted
        source; else it is development when it
        runs ``runserver``, bind-mounts the project's source over the image's code (unless an application server
        runs it in a stack that publishes port 443: a site served over HTTPS is deployed), or its
        settings module is named for development (runserver alone: an entrypoint that starts runserver on one
        argument and gunicorn on another is deployed with the other); a container that serves nothing itself (a
        Celery worker, Flower) is when development containers alone serve its stack's site.
        """
        if run.service is None and self._buildpack_deployment:
            return "the project deploys with buildpacks, which do not build its images"
        if run.service is not None and self.declared_development:
            return "its compose file says it is for development"
        files = self._stack_names(run.service) if run.service is not None else []
        images = self._build_names(run.build) if run.build is not None else []
        # An overlay's own name tells first (`-f prod.yml -f prod.dev.yml` is a development variant of production);
        # then the compose files and the image (a development stack that runs the production Dockerfile's image
        # runs it as deployed, unless it starts runserver: `local.yml` of a cookiecutter project); then the env
        # files, where most say which (a development stack may read one env file shared with production,
        # `.envs/prod/cloud`, beside its own `.envs/local/` ones).
        overlays = self._overlay_names(run.service) if run.service is not None else {}
        env_files = self._env_file_names(run.service) if run.service is not None else []
        stages = self._environment_names(run.service) if run.service is not None else []
        for names, by_majority in ((list(overlays), False), (files + images, False), (stages, False),
                                   (env_files, True)):
            production = [name for name in names if _named(name, PRODUCTION_WORDS)]
            development = [name for name in names if _named(name, DEVELOPMENT_WORDS)]
            if production and development and set(production) <= set(images) and set(development) <= set(files) \
                    and self._programs(run) == {"runserver"}:
                production = []  # the development stack's runserver on the production Dockerfile's image
            if production and not (by_majority and len(development) > len(production)):
                return None
            if development:
                return f"{overlays.get(development[0], development[0])} is named for development"
        settings = [settings.path.stem for settings in run.settings]
        programs = self._programs(run)
        if programs == {"runserver"} and run.service is not None \
                and self.mounts_source(run.service, run.build, run.settings):
            return "it runs runserver"  # on the bind-mounted source, whatever settings module it loads
        # Settings tell only when the container runs one module (not a guess among several).
        if len(settings) == 1 and _named(settings[0], PRODUCTION_WORDS):
            return None
        if "runserver" in programs and not programs & APPLICATION_SERVERS:
            return "it runs runserver"  # not one whose script starts gunicorn on another of its arguments
        named = next((name for name in settings if _named(name, DEVELOPMENT_WORDS)), None)
        if run.service is not None and self.mounts_source(run.service, run.build, run.settings) and (
                named or not (programs & APPLICATION_SERVERS
                              and (self._publishes_https or self._development_variant_beside))):
            return "it bind-mounts the source"  # not an application server behind the stack's HTTPS port, nor the
            # one a development variant beside it replaces with runserver
        if named:
            return f"{named} is named for development"
        if run.service is not None and not self.servers(run.service, run.build) and self._served_in_development:
            return "its stack serves the site from development containers"  # a worker or beat beside them
        return None

    @cached_property
    def _publishes_https(self) -> bool:
        """Whether a service of the stack publishes port 443 on the host, and no compose file beside it is named for
        production: the stack serves the site over HTTPS, as no developer's machine needs to (beside a
        ``docker-compose.prod.yml``, it is development's ``https://localhost``)."""
        return any(port.published == "443" for service in self.services for port in service.ports) and not any(
            _named(path.name, PRODUCTION_WORDS) for path in self._folder_compose_files)

    @cached_property
    def _development_variant_beside(self) -> bool:
        """Whether a compose file beside the stack's is named for development and none for production
        (``docker-compose-dev.yml`` beside ``docker-compose.yml``): the stack is what the project deploys, the
        development one its variant, even when the deployment bind-mounts the code it pulls on the server."""
        names = [path.name for path in self._folder_compose_files]
        return any(LOCAL_DEVELOPMENT.search(name) for name in names) \
            and not any(_named(name, PRODUCTION_WORDS) for name in names)

    def _programs(self, run: DjangoRun) -> set[str]:
        """The servers the container starts (``runserver``, ``gunicorn``...)."""
        return {found.program for found in self.servers(run.service, run.build)}

    def _environment_names(self, service: Service) -> list[str]:
        """The values the service's own ``environment:`` gives the variables that name where it runs
        (``DJANGO_ENV: local``, ``ENVIRONMENT: production``): the compose file says which it is."""
        return [f"{name}={entry.raw}" for name, entry in service.environment.items()
                if entry.raw and STAGE_VARIABLE.search(name) and "$" not in entry.raw]

    @cached_property
    def _served_in_development(self) -> bool:
        """Whether the stack's site is served by development containers alone: each container that serves it runs
        runserver or bind-mounts the source (:meth:`development`). Its workers, beat and Flower serve that
        development site too."""
        serving = [run for run in self.django_runs if run.service is not None and self.servers(run.service, run.build)]
        return bool(serving) and all(self.development(run) is not None for run in serving)

    def mounts_source(self, service: Service, build: ImageBuild | None = None,
                      settings: tuple[Settings, ...] = ()) -> bool:
        """Whether a service bind-mounts the project's source: its build context, or a folder holding its settings,
        ``manage.py``, ``wsgi.py`` or another settings module (``./mysite:/app/mysite``); a folder of the project's,
        not one of the machine's above it (``${WIREGUARD_CONFIG_FOLDER}:/wireguardconfig`` with ``/tmp``)."""
        return bool(self.source_mounts(service, build, settings))

    def source_mounts(self, service: Service, build: ImageBuild | None = None,
                      settings: tuple[Settings, ...] = ()) -> list[Mount]:
        """The service's bind mounts of the project's source (:meth:`mounts_source`)."""
        code = [build.context] if build is not None else []
        code += [s.path for s in settings] + list(self.setup.python_files)
        return [mount for mount in service.volumes if mount.type == "bind" and mount.source
                and (source := Path(mount.source)).is_relative_to(self.boundary)
                and any(path == source or path.is_relative_to(source) for path in code) and os.path.isdir(source)]

    def source_mounted(self, build: ImageBuild) -> bool:
        """Whether a service runs the image with the project's source bind-mounted over its code."""
        return any(self.mounts_source(service, build) for service in self.services if service.name in build.services)

    @cached_property
    def deployed_runs(self) -> list[DjangoRun]:
        """The containers of this setup that run Django as deployed (not development), and the images that start a
        production server by themselves: those its services run with another command (``CMD gunicorn ...`` in an
        image a development stack runs with ``runserver``), and a Dockerfile beside the compose file that no
        service builds (``Dockerfile.autobuild``, which CI builds and publishes). Such an image is built to be
        deployed, unless the project deploys with buildpacks (:attr:`_buildpack_deployment`) or a deployed service
        of another stack runs it (:meth:`_deployed_by_a_variant`)."""
        runs = [run for run in self.django_runs if self.development(run) is None]
        if self._buildpack_deployment:
            return runs  # a platform that builds the source with buildpacks deploys no image of the project
        for build, dockerfile in self.dockerfiles:
            if any(run.build is build for run in runs) or self._deployed_by_a_variant(build) or any(
                    _named(name, DEVELOPMENT_WORDS) for name in self._build_names(build)) \
                    or self._production_image_beside(build) or self._starts_for_development(build):
                continue
            servers = self._image_run_servers(build) or [found for found, _ in self.image_servers(build)]
            if servers and all(found.program != "runserver" for found in servers) \
                    and not self._serves_another_framework(servers, build):
                environment = self.process_image_environment(build)
                runs.append(DjangoRun(None, build, environment, dockerfile.at(dockerfile.final.instructions[0]),
                                      self._settings_for(None, build, environment)))
        return runs

    def _run_as_it_is(self, build: ImageBuild) -> bool:
        """Whether a service of the setup runs the image with its own start: no ``entrypoint:``, and no ``command:``
        or the image's CMD written again (``command: /data/web/project/start_server.sh``)."""
        cmd = build.dockerfile.effective(build.dockerfile.final, "CMD") if build.dockerfile is not None else None
        own = (list(cmd.exec_form) if cmd.exec_form is not None else cmd.words()) if cmd is not None else None
        return any(service.name in build.services and service.entrypoint is None and (
            service.command is None or list(service.command.value) == own) for service in self.services)

    def _starts_for_development(self, build: ImageBuild) -> bool:
        """Whether the script the image's CMD/ENTRYPOINT runs is named for development (``scripts/entrypoint-dev.sh``):
        the image starts a development environment, whatever server it runs."""
        return any(script.build is build and script.from_image and _named(script.path.name, DEVELOPMENT_WORDS)
                   for script in self.scripts)

    def _production_image_beside(self, build: ImageBuild) -> bool:
        """Whether development containers alone run the image, in every stack of the project, while a deployed
        service runs an image of another Dockerfile named for production (``Dockerfile`` beside
        ``Dockerfile.prod``, which ``docker-compose-prod.yml`` builds), or that image is deployed by itself (by a
        tool djcheck does not read: ``Dockerfile.deploy`` for Azure): the project ships that one, not this one by
        its own CMD."""
        runs = [(other, run) for other in self.variants for run in other.django_runs if run.service is not None
                and run.build is not None and run.build.dockerfile_path == build.dockerfile_path]
        if not runs or any(other.development(run) is None for other, run in runs):
            return False
        if any(path != build.dockerfile_path and path.parent == build.dockerfile_path.parent
               for path in self._platform_dockerfiles):
            return True  # a platform builds its sibling (render.yaml's `dockerfilePath: ./backend/Dockerfile.prod`)
        return any(
            run.build is not None and other.development(run) is None
            and run.build.dockerfile_path != build.dockerfile_path
            and _named(_dockerfile_purpose(run.build.dockerfile_path), PRODUCTION_WORDS)
            for other in self.variants for run in other.django_runs)

    @cached_property
    def deployed_dockerfiles(self) -> frozenset[Path]:
        """The Dockerfiles whose images run outside the compose stacks: a platform's (Heroku's ``heroku.yml``, Kamal,
        Render, Fly.io...) and those a CI pipeline publishes."""
        return frozenset((*self._heroku_containers.values(), *self._kamal_configs.values(), *self._pipeline_published,
                          *self._platform_dockerfiles))

    @cached_property
    def _platform_dockerfiles(self) -> frozenset[Path]:
        """The Dockerfiles a platform's manifest builds: Render's and Railway's ``dockerfilePath``, Fly.io's
        ``dockerfile``, read from the manifest's folder (the repository's top, where they stand)."""
        return frozenset(path for manifest in self._deploy_manifests for path in self._manifest_dockerfiles(manifest))

    def _manifest_dockerfiles(self, manifest: Path) -> list[Path]:
        """The Dockerfiles one platform manifest names (:data:`PLATFORM_DOCKERFILE`), from its folder."""
        text = self.text(manifest) if manifest.suffix and self.is_file(manifest) else None
        return [Path(os.path.normpath(manifest.parent / written.strip("'\"")))
                for written in PLATFORM_DOCKERFILE.findall(text or "")]

    def _deployed_by_a_variant(self, build: ImageBuild) -> bool:
        """Whether a deployed service of another stack of the project builds the image (``-f compose.yml -f
        compose.prod.yml`` beside the development override): it is deployed as that service runs it, with that
        service's settings, and its own ``CMD`` is only a default. Not when that service names a settings module
        the project does not have: then what the image loads by itself may be what ships."""
        return any(run.service is not None and run.build is not None and other.development(run) is None
                   and (run.build.dockerfile_path, run.build.target) == (build.dockerfile_path, build.target)
                   and (run.settings or other.settings_module_of(run.service, run.build, run.environment) is None)
                   for other in self.variants if other is not self for run in other.django_runs)

    def named_for_production(self, service: Service) -> bool:
        """Whether the service's compose files or the env files it reads are named for production
        (``docker-compose.prod.yml``, ``docker/prod/env/.env``)."""
        return any(_named(name, PRODUCTION_WORDS) for name in self._stack_names(service)) or any(
            _named(name, PRODUCTION_WORDS) for name in self._env_file_names(service))

    def _env_file_names(self, service: Service) -> list[str]:
        """The paths of the env files a service reads, from the setup's folder (``.envs/.local/.django``): a
        configuration named for development or production says which the container is."""
        return [ref.path.relative_to(self.root).as_posix() if ref.path.is_relative_to(self.root) else ref.path.name
                for ref in service.env_files]

    def _image_run_servers(self, build: ImageBuild) -> list[Server]:
        """The servers the image starts by itself as its scripts' branches decide with its own arguments and ENV
        (``run_web.sh`` starting runserver only behind ``--dev``, which its CMD does not pass)."""
        environment = self.image_environment(build)
        return [found for run in self.container_commands(None, build, environment) if run.runs is not False
                and (found := _served(run.command, environment)) is not None]

    def _build_names(self, build: ImageBuild) -> list[str]:
        """The Dockerfile's path from the folder djcheck was given (``docker/local/Dockerfile``), else from the
        setup's folder or the repository's top (its name alone outside them), without the folders any Docker file
        may live in (:data:`DOCKER_FOLDERS`), and the build target: what says what an image is for."""
        path = build.dockerfile_path
        top = next((folder for folder in (self.setup.top, self.root, self.boundary)
                    if folder is not None and path.is_relative_to(folder)), None)
        relative = path.relative_to(top) if top is not None else PurePath(path.name)
        # `deploy/` is where many projects keep every Docker file, for development too (`deploy/django/Dockerfile`
        # beside `docker-compose.development.yml`): a folder of that name says nothing of what the image is for.
        parts = [part for part in relative.parts[:-1] if part.lower() not in DOCKER_FOLDERS] + [relative.name]
        return ["/".join(parts)] + ([build.target] if build.target else [])

    @cached_property
    def build_only(self) -> bool:
        """Whether the stack only builds and names images (``docker compose build`` for a cluster that runs them):
        each service builds one, and none says anything of the container it would run (no command, environment,
        ports, volumes, dependencies). Where those containers run, and what they reach, is the cluster's."""
        return bool(self.services) and all(
            service.build is not None and not RUNTIME_KEYS & set(service.keys) for service in self.services)

    @cached_property
    def development_stack(self) -> bool:
        """Whether the compose stack is a development one: named so, or every Django container in it is, or one is
        while a compose file beside it is named for production; without one, when it bind-mounts the source (an
        editor's workspace) or runs only the databases and caches of a project another stack runs
        (:attr:`_backing_services_only`)."""
        if self.stack is None:
            return False
        if self._stack_named_for_production:
            return False
        if any(_named(name, DEVELOPMENT_WORDS) for name in self._stack_names()):
            return True
        if not self.django_runs:  # a workspace container (`sleep infinity`) with the source mounted
            return any(self.mounts_source(service, self.build_for(service)) for service in self.services) or (
                self._backing_services_only)
        developed = [self.development(run) is not None for run in self.django_runs]
        # a web container on runserver beside a worker of unknown kind, while a production-named file stands beside
        # this one (`docker-compose.yml` and `docker-compose.prod.yml`): the pair is development's and deployment's
        return all(developed) or any(developed) and any(
            _named(path.name, PRODUCTION_WORDS) for path in self._folder_compose_files)

    @cached_property
    def backs_django_on_the_host(self) -> bool:
        """Whether the stack only runs databases and caches (and a developer's tools) for a Django project that no
        container of the project runs: the developer runs it on the machine (a README's venv and runserver) against
        these services, and nothing of this stack ships."""
        return self._no_container_runs_django and self._databases_and_tools_only \
            and any(path.name == "manage.py" for path in self.setup.python_files) \
            and not any(other.django_runs for other in self.related)

    @property
    def _databases_and_tools_only(self) -> bool:
        """Whether the stack runs only databases and caches (and a developer's tools beside them) and builds nothing."""
        return bool(self.services) and all(service.build is None and (
            data_service(image := service.image.value if service.image else None) is not None
            or development_tool(image)) for service in self.services)

    @cached_property
    def _backing_services_only(self) -> bool:
        """Whether the stack runs only databases and caches (and a developer's tools beside them: Adminer, a mail
        catcher), builds nothing, and the project has another stack that runs it (``docker-compose-minimal.yml``: a
        PostgreSQL for the developer who runs Django on the machine), or one djcheck cannot read (a
        ``docker-compose.prod.yml`` with a YAML error may), or is deployed on a platform or a cluster (a Procfile,
        Railway, Kubernetes manifests...), which gives the deployment databases of its own. (Beside an image of the
        project's that no stack runs, the stack may be the databases that image is run with.)"""
        if not self._databases_and_tools_only:
            return False
        return any(other.django_runs if other.stack is not None else bool(other.setup.compose_files)
                   for other in self.related) or self.deployed_on_a_platform

    def _overlay_names(self, service: Service) -> dict[str, str]:
        """The names of the stack's overlays that write the service, without the start they share with its base
        file's name (``.dev.yml`` for ``prod.dev.yml`` on ``prod.yml``: what the overlay changes of the base), each
        with the whole name."""
        files = self.setup.compose_files
        stem = files[0].name.split(".", 1)[0] if files else ""
        written = _files_writing(files, service)
        return {path.name.removeprefix(stem): path.name for path in files[1:] if path in written}

    @cached_property
    def _stack_named_for_production(self) -> bool:
        """Whether a compose file of the stack, or a folder holding it, is named for production
        (:meth:`_stack_names`)."""
        return any(_named(name, PRODUCTION_WORDS) for name in self._stack_names())

    def _stack_names(self, service: Service | None = None) -> list[str]:
        """The names of the stack's compose files (``-f base -f dev``: both; of those that write ``service`` when
        given: a notebook service of ``dev-debug.yml`` that a ``prod.yml`` on it leaves alone is the development
        file's), and of the folders that hold them below the repository's top
        (``deployments/development/docker-compose.yml`` is the development stack, ``deployments/`` says nothing),
        and ``devcontainer`` for a stack of a ``.devcontainer`` folder (VS Code's development containers)."""
        files = self.setup.compose_files
        names = [path.name for path in _files_writing(files, service)] if service is not None else \
            [path.name for path in files]
        folders = [part for path in self.setup.compose_files if path.is_relative_to(self.boundary)
                   for part in path.parent.relative_to(self.boundary).parts if part.lower() not in DOCKER_FOLDERS]
        return names + list(dict.fromkeys(folders)) + ["devcontainer"] * any(
            path.parent.name == ".devcontainer" for path in self.setup.compose_files)

    @cached_property
    def related(self) -> list[Project]:
        """The other setups of the same Django project: in the same folder, or reading the same Django files.

        From the setups of the run when the engine gives them; else the other compose
        files of this setup's folder.
        """
        if self._siblings is None:
            siblings = self._folder_setups()
        else:
            siblings = list(self._siblings)
        siblings = [setup for setup in siblings
                    if setup != self.setup and not set(setup.compose_files) & set(self.setup.compose_files[:1])]
        mine = set(self.setup.python_files)
        close = [s for s in siblings
                 if s.root == self.root or not mine.isdisjoint(s.python_files) or _builds_from(self, s)]
        found = [self._sibling(setup) for setup in close[:MAX_RELATED]]
        for setup in [s for s in siblings if s not in close][:MAX_RELATED]:  # those that build from this project
            other = self._sibling(setup)
            if _builds_from(other, self.setup):
                found.append(other)
        return found

    @cached_property
    def variants(self) -> list[Project]:
        """This setup, its related setups, and the other stacks of its folder that share its base compose file
        (``-f docker-compose.yml -f docker-compose.override.dev.yml``, one stack per override): every setup that may
        build the same images to other targets."""
        found = [self, *self.related]
        if self._siblings:
            known = {project.setup for project in found}
            found += [self._sibling(setup) for setup in self._siblings
                      if setup.root == self.root and setup not in known][:MAX_RELATED]
        return found

    @property
    def related_paths(self) -> set[Path]:
        """The files the related setups read to answer :meth:`development_only` (a change there changes findings
        here): empty until a rule asked."""
        others = self.__dict__.get("variants") or self.__dict__.get("related") or []
        return {path for other in others if other is not self for path in other.texts}

    def _sibling(self, setup: Setup) -> Project:
        """The project of another setup of the run, made once per run (the run's setups are one sequence)."""
        if self._siblings is None:
            return Project(setup, self.base, self.settings_module, self.overlay, siblings=())
        if _SIBLINGS.get("run") is not self._siblings:
            _SIBLINGS.clear()
            _SIBLINGS["run"] = self._siblings
        key = (setup, self.base, self.settings_module, id(self.overlay))
        if key not in _SIBLINGS:
            _SIBLINGS[key] = (self.overlay, Project(setup, self.base, self.settings_module, self.overlay, siblings=()))
        return _SIBLINGS[key][1]

    @property
    def _run_setups(self) -> Sequence[Setup]:
        """The setups of the run, also for a sibling's project (made without them)."""
        return self._siblings or _SIBLINGS.get("run") or ()

    def _run_project(self, setup: Setup) -> Project:
        """The project of another setup of the run (:meth:`_sibling`), also from a sibling's project: the one the
        run made when there is one."""
        if self._siblings:
            return self._sibling(setup)
        made = _SIBLINGS.get((setup, self.base, self.settings_module, id(self.overlay)))
        return made[1] if made is not None else Project(setup, self.base, self.settings_module, self.overlay,
                                                        siblings=())

    def _folder_setups(self) -> list[Setup]:
        """A setup for each other compose file of this setup's folder, with its Django files."""
        return [Setup(self.root, (path,), (), self.setup.python_files, top=self.setup.top)
                for path in self._folder_compose_files]

    @cached_property
    def _folder_compose_files(self) -> list[Path]:
        """The other compose files of the setup's folder (not templates)."""
        try:
            names = sorted(os.listdir(self.root))
        except OSError:
            return []
        return [self.root / name for name in names[:MAX_FOLDER_NAMES]
                if kind(PurePath(name)) == "compose" and not compose_set_aside(name)
                and self.root / name not in self.setup.compose_files and os.path.isfile(self.root / name)][:MAX_RELATED]

    @cached_property
    def deployments(self) -> list[str]:
        """What shows the project is also deployed, each as a short description; empty when development is all it has.

        This setup's deployed containers, those of the related setups and of the stacks an override
        makes of its base file (``-f docker-compose.yml -f docker-compose.prod.yml``, whose own
        findings cover what it keeps of the base), a production-named settings module
        (``settings/production.py``) or its template (``production.example.py``), production stack files the
        ``.gitignore`` keeps out of the clone (:attr:`_production_files_kept_out`), a Procfile
        (:attr:`_procfiles`), Vercel's Python builder or a Fabric script (:attr:`_serverless_and_server_deployments`),
        an App Engine configuration (:attr:`_app_engine_configs`), a Kamal one
        (:attr:`_kamal_configs`), Heroku's ``heroku.yml`` (:attr:`_heroku_containers`), a platform's or a cluster's
        (:attr:`_deploy_manifests`: Render, Fly.io, Railway, Elastic Beanstalk, Kubernetes), a Dockerfile a CI pipeline
        builds and publishes (:attr:`_pipeline_published`), or a Dockerfile whose final
        stage, or a stage named for production (``production``, ``release``), or the stage a development target is
        a variant of (``app`` beside ``app-dev``), is not the development target a service builds.
        """
        # An image that starts its server by itself, run as it is by a service of this setup (no `command:`), is
        # the project's one configuration of that server when nothing else shows a deployment: not a second one.
        alone = [run for run in self.deployed_runs if run.service is None and run.build is not None
                 and self._run_as_it_is(run.build)]
        found = [self._run_name(self, run) for run in self.deployed_runs if run not in alone]
        for other in self.variants:  # the related setups, and the stacks an override makes of this one's base file
            if other is not self:
                found += [self._run_name(other, run) for run in other.deployed_runs]
        found += [self.display(path) for path in self._production_named_settings]
        found += [self.display(path) for path in self._procfiles]
        found += [f"{self.display(path)} (kept out of git)" for path in self._production_files_kept_out]
        found += [self.display(path) for path in self._serverless_and_server_deployments]
        found += [self.display(path) for path in self._production_start_scripts]
        found += [self.display(path) for path in self._app_engine_configs]
        found += [self.display(path) for path in self._kamal_configs]
        found += [self.display(path) for path in self._heroku_containers]
        found += [self.display(path) for path in self._deploy_manifests]
        found += [self.display(path) for path in self._pipeline_published]
        found += [f"{self.display(path)} (the project's published images)" for path in self._production_stacks_pulled]
        for build in self.builds:
            if (shipped := self._shipped_stage(build)) is not None:
                stage, final = shipped
                found.append(f"the {'final' if final else stage.name} stage of {self.display(build.dockerfile_path)}")
        return found + [self._run_name(self, run) for run in alone] if found else []

    @cached_property
    def _production_stacks_pulled(self) -> list[Path]:
        """The compose files named for production, of this setup or a related one, whose services run the project's own
        published images (``image: ${DOCKER_REGISTRY}/weboll/backend:${TAG}`` in weboll's ``production.yml``): a
        deployment, though djcheck cannot tell which Dockerfile builds them (a pipeline's kaniko step named by
        variables)."""
        return [compose for other in self.variants for compose in other.setup.compose_files
                if _named(compose.name, PRODUCTION_WORDS)
                and any(other.runs_own_published_image(service) for service in other.services)]

    @cached_property
    def _pipeline_published(self) -> list[Path]:
        """The Dockerfiles a CI pipeline builds and publishes (:func:`pipeline_builds`) that no service of this setup
        builds but as development or for tests, and whose names are not for development or tests: the images the
        project deploys (``docker build -f compose/production/Dockerfile --target django .`` and ``docker push`` in
        GitLab CI). None for a stack that pulls a published image of the project: it may be the one deploying them."""
        # a Dockerfile the stack builds is its own, unless development containers alone run it: the pipeline then
        # publishes the image a development stack runs with the source bind-mounted, for a deployment elsewhere
        # (or a test stack builds it: the pipeline publishes the image those tests run)
        tests = any(TEST_WORDS.search(path.name) for path in self.setup.compose_files)
        built = {build.dockerfile_path for build in self.builds if build.services and not tests and not (
            (runs := [run for run in self.django_runs if run.build is build and run.service is not None])
            and all(self.development(run) is not None for run in runs))}
        published = [path for path in pipeline_builds(self.boundary) if path not in built
                     and not any(_named(part, DEVELOPMENT_WORDS) or TEST_WORDS.search(part)
                                 for part in path.relative_to(self.boundary).parts)]
        pushed = pipeline_pushed(self.boundary) if published else set()
        if any(service.image is not None and (self.runs_own_published_image(service)
                                              or image_repository(service.image.value) in pushed)
               for service in self.services):
            return []  # the stack runs a published image of the project: it may be what the pipeline deploys
        return published

    def _shipped_stage(self, build: ImageBuild) -> tuple[Stage, bool] | None:
        """The stage that ships, of a Dockerfile a service builds to a development target, and whether it is the
        final one: the final stage (when not named for development itself), a stage named for production
        (``production``, ``release``), or the stage the target is a variant of (``app`` beside ``app-dev``)."""
        if not build.target or build.dockerfile is None or not _named(build.target, DEVELOPMENT_WORDS):
            return None
        stages = self._every_stage(build)
        if not stages:
            return None
        last = stages[-1]
        if last.name != build.target and not _named(last.name or "", DEVELOPMENT_WORDS):
            return last, True
        shipped = next((stage for stage in stages if stage.name and stage.name != build.target
                        and _named(stage.name, PRODUCTION_WORDS) and not _named(stage.name, DEVELOPMENT_WORDS)),
                       None) or _development_sibling(build.target, stages)
        return (shipped, shipped is last) if shipped is not None else None

    def _every_stage(self, build: ImageBuild) -> list[Stage]:
        """The stages of the build's whole Dockerfile, the last one included (a build to a target reads only the
        stages up to it); empty when it cannot be parsed."""
        full = self.parsed("Dockerfile", build.dockerfile_path, parse_dockerfile)
        return list(full.stages) if full is not None else []

    @cached_property
    def _production_start_scripts(self) -> list[Path]:
        """The shell scripts named for production (``production-start.sh``, ``scripts/start-prod.sh``) beside the
        setup or at the repository's top, or in their ``scripts/``, ``bin/`` or ``deploy/`` folder, that start a
        production server: a platform runs them as its start command (Railway, Render), where djcheck does not
        see the container."""
        folders = [folder for top in dict.fromkeys((self.root, self.boundary))
                   for folder in (top, *(top / name for name in START_SCRIPT_FOLDERS))]
        return [path for path in self._files_named(folders, lambda name: PRODUCTION_WORDS.search(name) is not None
                                                   and name.endswith((".sh", ".bash")))
                if any(_serves_in_production(line.text)
                       for line in script_lines(self.text(path) or "")[:MAX_PLATFORM_CONFIG_LINES])]

    def _files_named(self, folders: list[Path], wanted: Callable[[str], bool]) -> Iterator[Path]:
        """The files of the folders (their first :data:`MAX_FOLDER_NAMES` entries) whose name is ``wanted``."""
        for folder in folders:
            try:
                names = sorted(os.listdir(folder))[:MAX_FOLDER_NAMES]
            except OSError:
                continue
            yield from (folder / name for name in names if wanted(name) and self.is_file(folder / name))

    @cached_property
    def _production_files_kept_out(self) -> list[Path]:
        """The production stack's files absent from the clone that the ``.gitignore`` beside the setup or at the
        repository's top lists by name (``docker-compose.prod.yml``, ``Dockerfile.prod``, ``entrypoint.prod.sh``, as
        the testdriven.io tutorial names them), or that its launch scripts run (``docker-compose -f
        docker-compose-prod.yml run --rm app flake8 .`` in the Makefile): the owner deploys with files kept out of
        git, and the committed stack is the development one."""
        found = []
        for folder in dict.fromkeys((self.root, self.boundary)):
            path = folder / ".gitignore"
            text = self.text(path, quiet=True) if self.is_file(path) else None
            names = [line.strip().lstrip("/") for line in (text or "").splitlines()[:MAX_GITIGNORE_LINES]]
            for name in names + compose_files_run_by_scripts(folder):
                if PRODUCTION_FILE.fullmatch(name) and not self.is_file(folder / name):
                    found.append(folder / name)
        return list(dict.fromkeys(found))

    @cached_property
    def _procfiles(self) -> list[Path]:
        """The Procfiles (Heroku, Dokku, cabotage, Cloud Foundry, buildpacks) beside the setup or at the
        repository's top whose processes start a production server (``web: gunicorn app.wsgi``), or with a ``web``
        process that does not start the development server (``web: ./web.sh``, ``web: bin/start.sh``): the
        platform routes the site's traffic to its ``web`` process, and builds the image itself (a buildpack), with
        its own environment. A ``web`` process that starts runserver (honcho running the site on the
        developer's machine), itself, in the script it runs or in the Makefile target it makes (``web: make
        run``), deploys nothing."""
        found = []
        for folder in dict.fromkeys((self.root, self.boundary)):
            path = folder / "Procfile"
            text = self.text(path) if self.is_file(path) else None
            for line in (text or "").splitlines()[:MAX_PROCFILE_LINES]:
                name, colon, command = line.partition(":")
                if not colon or not name.strip() or name.lstrip().startswith("#"):
                    continue
                runs = any(line.commands for line in script_lines(command)[:1])  # not `web: # off`
                if _serves_in_production(command) or (name.strip() == "web" and runs
                                                      and not self._starts_runserver(folder, command)):
                    found.append(path)
                    break
        return found

    @cached_property
    def _app_engine_configs(self) -> list[Path]:
        """The Google App Engine configurations beside the setup or at the repository's top that deploy the project
        without Docker: an ``app.yaml`` (or a template of it the deployer copies, ``app.yaml.example``, as the real
        one holds its secrets and is ignored by git) whose ``runtime:`` is a Python one (``runtime: python312``).
        App Engine builds and runs the project itself, with its own environment; ``runtime: custom`` builds the
        project's Dockerfile instead and deploys nothing of its own."""
        found = [path for path in self._files_named(list(dict.fromkeys((self.root, self.boundary))),
                                                    lambda name: APP_ENGINE_CONFIG.fullmatch(name) is not None)
                 if any(APP_ENGINE_PYTHON_RUNTIME.match(line)
                        for line in (self.text(path) or "").splitlines()[:MAX_PLATFORM_CONFIG_LINES])]
        return found[:MAX_RELATED]

    @cached_property
    def _buildpack_deployment(self) -> bool:
        """Whether the project deploys with buildpacks, which build the source without its Dockerfile: a Procfile
        (:attr:`_procfiles`) beside what only buildpacks read (``runtime.txt``, ``Aptfile``, ``.buildpacks``,
        ``project.toml``, or an ``app.json`` or Cloud Foundry ``manifest.yml`` naming buildpacks) or a CI pipeline
        that pushes the source to Heroku's git, and no Dockerfile named for a deployment (``Dockerfile.cabotage``,
        ``Dockerfile.prod``: a platform that builds it). Heroku's ``heroku.yml`` or Dokku would build the
        Dockerfile: a Procfile alone is no such sign."""
        if not self._procfiles:
            return False
        for build in self.builds:  # `Dockerfile.cabotage`, `Dockerfile.prod`: an image named for a deployment
            extra = _dockerfile_purpose(build.dockerfile_path)
            if _named(extra, PRODUCTION_WORDS) or extra in PLATFORMS:
                return False
        for folder in dict.fromkeys((self.root, self.boundary)):
            if any(self.is_file(folder / name) for name in BUILDPACK_FILES):
                return True
            if any(self.is_file(folder / name) and "buildpack" in (self.text(folder / name) or "")
                   for name in BUILDPACK_MANIFESTS):
                return True
        # a pipeline that pushes the source to Heroku's git, with no heroku.yml (Heroku's container build)
        return not self._heroku_manifests and any(
            HEROKU_GIT_PUSH.search(text) and "usedocker: true" not in text for path in self.pipeline_paths
            if self.is_file(path) and (text := self.text(path, quiet=True)))

    @cached_property
    def pipeline_paths(self) -> list[Path]:
        """The CI pipeline files the repository may have (:func:`djlint_docker.kinds.pipeline_paths`), and the GitHub
        workflows a project template keeps beside its setup to install (``setup/workflows/prod-ci-cd.yml``, copied to
        ``.github/workflows/`` when a project is made from it): a ``workflows`` folder of the setup's folder or of
        one between it and the repository's top, whose files have ``jobs:``."""
        kept = [path for folder in (self.root, *self.root.parents) if folder.is_relative_to(self.boundary)
                for path in yaml_files(folder / "workflows") if self.is_file(path)
                and GITHUB_JOBS.search(self.text(path, quiet=True) or "")]
        return pipeline_paths(self.boundary) + kept[:MAX_TEMPLATE_WORKFLOWS]

    @cached_property
    def _heroku_containers(self) -> dict[Path, Path]:
        """Heroku's container manifests (``heroku.yml`` beside the setup or at the repository's top), each with the
        Dockerfile its ``build: docker:`` builds for the ``web`` process (Heroku runs that image)."""
        return {path: dockerfile for path, (dockerfile, _) in self._heroku_manifests.items()}

    @cached_property
    def _heroku_manifests(self) -> dict[Path, tuple[Path, Located[str] | None]]:
        """Each ``heroku.yml``: the Dockerfile it builds for ``web``, and the command its ``run:`` gives ``web`` (which
        replaces the image's CMD), where it is written; None when it gives none."""
        found: dict[Path, tuple[Path, Located[str] | None]] = {}
        for folder in dict.fromkeys((self.root, self.boundary)):
            path = folder / "heroku.yml"
            if not self.is_file(path):
                continue
            section, named, runs = "", None, None
            for number, line in enumerate((self.text(path) or "").splitlines()[:MAX_PLATFORM_CONFIG_LINES], 1):
                if line[:1].isalpha():
                    section = line.split(":", 1)[0]
                elif section == "build" and named is None and (web := HEROKU_WEB_DOCKERFILE.match(line)) is not None:
                    named = web["file"]
                elif section == "run" and runs is None and line.lstrip().startswith("web:"):
                    runs = Located(line.split(":", 1)[1].strip(), Location(path, number, line.index("web:") + 1))
            if named:
                found[path] = (Path(os.path.normpath(folder / named.strip("'\""))), runs)
        # a pipeline that pushes an image to Heroku's registry (`heroku container:push web`, or the deploy action's
        # `usedocker: true`): Heroku's CLI builds `Dockerfile.web` or `Dockerfile` of the repository's top
        pushed = next((folder / name for name in ("Dockerfile.web", "Dockerfile")
                       for folder in dict.fromkeys((self.boundary, self.root)) if self.is_file(folder / name)), None)
        if pushed is None:
            return found
        for path in self.pipeline_paths:
            text = self.text(path, quiet=True) if self.is_file(path) else None
            if text and (HEROKU_CONTAINER_PUSH.search(text) or (
                    "akhileshns/heroku-deploy" in text and "usedocker: true" in text)):
                found[path] = (pushed, None)
        return found

    def heroku_runs_its_own(self, build: ImageBuild) -> bool:
        """Whether Heroku deploys the image with a command of its own (``run: web:`` in ``heroku.yml``)."""
        return any(dockerfile == build.dockerfile_path and runs is not None
                   for dockerfile, runs in self._heroku_manifests.values())

    def heroku_web_commands(self, build: ImageBuild) -> list[Located[str]]:
        """The commands ``heroku.yml`` runs the image with as the ``web`` process, where each is written."""
        return [runs for dockerfile, runs in self._heroku_manifests.values()
                if dockerfile == build.dockerfile_path and runs is not None]

    def heroku_runs(self, build: ImageBuild) -> bool:
        """Whether Heroku runs the image (``heroku.yml``, ``heroku container:push``), and no other platform builds it
        (Kamal, or a manifest that names it or, naming none, stands beside it: Fly.io's ``fly.toml``; a cluster's
        folder of manifests runs images by name): Heroku starts every container as an unprivileged user of its own,
        and stops a dyno by sending SIGTERM to each of its processes."""
        return not build.target and build.dockerfile_path in self._heroku_containers.values() \
            and build.dockerfile_path not in self._kamal_configs.values() and not any(
                build.dockerfile_path in (self._manifest_dockerfiles(manifest) or [manifest.parent / "Dockerfile"])
                for manifest in self._deploy_manifests if self.is_file(manifest))

    @cached_property
    def _kamal_configs(self) -> dict[Path, Path]:
        """The Kamal deployment configurations of the project (``config/deploy.yml``, ``config/deploy.staging.yml``
        beside the setup or at the repository's top: a top-level ``service:``, ``image:`` and ``servers:``), each with
        the Dockerfile whose image it builds and runs on the servers (``builder: dockerfile:``, else
        ``Dockerfile`` of the folder holding ``config/``)."""
        found: dict[Path, Path] = {}
        for folder in dict.fromkeys((self.root, self.boundary)):
            try:
                names = sorted(os.listdir(folder / "config"))[:MAX_FOLDER_NAMES]
            except OSError:
                continue
            for name in names:
                path = folder / "config" / name
                if not KAMAL_CONFIG.fullmatch(name) or not self.is_file(path):
                    continue
                lines = (self.text(path) or "").splitlines()[:MAX_PLATFORM_CONFIG_LINES]
                keys = {line.split(":", 1)[0] for line in lines if KAMAL_TOP_KEY.match(line)}
                if {"service", "image", "servers"} <= keys:
                    named = next((m["file"] for line in lines if (m := KAMAL_DOCKERFILE.match(line))), "Dockerfile")
                    found[path] = Path(os.path.normpath(folder / named.strip("'\"")))
        return found

    @cached_property
    def rendered_before_it_runs(self) -> bool:
        """Whether the project's files are a template something renders before they run: its ``manage.py`` holds a
        placeholder (``{{ project_name }}`` of a ``startproject --template`` template, ``plana.settings.{{ goal }}``
        that a deploy tool such as pydiploy or Ansible fills in)."""
        return any(TEMPLATE_PLACEHOLDER.search(self.text(path) or "") for path in self.setup.python_files
                   if path.name == "manage.py")

    def _built_by_other_stacks(self, build: ImageBuild) -> list[tuple[Project, ImageBuild]]:
        """The builds of the same Dockerfile the project's other setups' stacks make, each with its setup."""
        return [(other, other_build) for other in self.related for other_build in other.builds
                if other_build.dockerfile_path == build.dockerfile_path and other_build.services]

    @property
    def deployed_on_a_platform(self) -> bool:
        """Whether the project is deployed by a platform or a cluster that runs it with an environment of its own
        (a Procfile, App Engine, Render, Fly.io, Railway, Elastic Beanstalk, Kubernetes, Kamal, ``heroku.yml``)."""
        return bool(self._platform_deployments or self._deploy_manifests or self._kamal_configs
                    or self._heroku_containers)

    @property
    def _platform_deployments(self) -> list[Path]:
        """The configurations of platforms that build and run the project without its Docker images (a Procfile,
        an App Engine ``app.yaml``, Elastic Beanstalk's ``.ebextensions`` without a ``Dockerrun.aws.json``, Vercel's
        Python builder, a Fabric deployment script)."""
        beanstalk = [path for path in self._deploy_manifests if path.name == ".ebextensions"
                     and not os.path.exists(path.parent / "Dockerrun.aws.json")]
        return self._procfiles + self._app_engine_configs + beanstalk + self._serverless_and_server_deployments

    @cached_property
    def _serverless_and_server_deployments(self) -> list[Path]:
        """What deploys the project's Python without its Docker images, beside the setup or at the repository's top:
        Vercel's ``vercel.json`` building a WSGI module with ``@vercel/python`` (not a frontend's), or a Fabric
        ``fabfile.py`` (or ``fabfile/`` package) that deploys onto servers (it imports ``fabric``)."""
        found = []
        for folder in dict.fromkeys((self.root, self.boundary)):
            vercel = folder / "vercel.json"
            if self.is_file(vercel) and VERCEL_PYTHON.search(self.text(vercel, quiet=True) or ""):
                found.append(vercel)
            for fabfile in (folder / "fabfile.py", folder / "fabfile" / "__init__.py"):
                if self.is_file(fabfile) and FABRIC_IMPORT.search(self.text(fabfile, quiet=True) or ""):
                    found.append(fabfile)
        return found

    @cached_property
    def _deploy_manifests(self) -> list[Path]:
        """What deploys the project on a platform or a cluster, at the top of the setup or the repository: Render's
        ``render.yaml``, Fly.io's ``fly.toml``, Railway's ``railway.json``, Elastic Beanstalk's ``.ebextensions``,
        Kubernetes manifests or Helm charts in a folder named for them (``k8s/``, ``devops/k8s/``, ``chart/``)."""
        found = []
        for folder in dict.fromkeys((self.root, self.boundary)):
            found += [folder / name for name in DEPLOY_FILES if os.path.exists(folder / name)]
            for parent in (folder, *(folder / name for name in OPERATIONS_FOLDERS)):
                found += [parent / name for name in CLUSTER_FOLDERS if os.path.isdir(parent / name)]
        return list(dict.fromkeys(found))

    def _starts_runserver(self, folder: Path, command_line: str) -> bool:
        """Whether a Procfile's command starts runserver, itself, in the script of the project it runs or in the
        recipe of the Makefile target it makes (one level: ``web: ./start.sh``, ``web: make run``)."""
        if "runserver" in command_line:
            return True
        words = command_line.split()
        if len(words) >= 2 and words[0] == "make" and not words[1].startswith("-"):
            text = self.text(folder / "Makefile") if self.is_file(folder / "Makefile") else None
            lines = (text or "").splitlines()[:MAX_MAKEFILE_LINES]
            start = next((index for index, line in enumerate(lines)
                          if line.split(":", 1)[0].split() == [words[1]] and ":" in line), None)
            recipe = [] if start is None else itertools.takewhile(
                lambda line: line.startswith("\t") or not line.strip(), lines[start + 1:])
            return any("runserver" in line for line in recipe)
        script = Path(os.path.normpath(folder / words[0])) if words else None
        if script is None or not script.is_relative_to(self.boundary) or not self.is_file(script):
            return False
        text = self.text(script) or ""
        return any("runserver" in line and not line.lstrip().startswith("#")
                   for line in text.splitlines()[:MAX_RUN_LINES])

    @cached_property
    def declared_development(self) -> bool:
        """Whether every Django container of the setup, or its stack and images when none is known, comes from a file
        that says it is for development only (``# This compose setup is only meant for local development``), or
        whose compose files are an editor's development container (in ``.devcontainer``): such a setup is not what
        ships, whether or not the project is deployed another way."""
        if self.setup.compose_files and all(in_workspace_folder(path) for path in self.setup.compose_files):
            return True  # an editor's development container stack (``.devcontainer/docker-compose.yml``)
        paths = list(self.setup.compose_files) + [build.dockerfile_path for build in self.builds]
        declared = {path for path in paths if _declares_development(self.text(path) if self.is_file(path) else None)}
        if not declared or any(_named(path.name, PRODUCTION_WORDS) and path not in declared
                               for path in self.setup.compose_files):
            return False  # a production override merged onto a development base file: what it makes is deployed
        runs = self.django_runs
        if not runs:
            return bool(self.setup.compose_files) and self.setup.compose_files[0] in declared
        return all((run.service is not None and run.service.location.path in declared)
                   or (run.build is not None and run.build.dockerfile_path in declared) for run in runs)

    @property
    def suppression_texts(self) -> dict[Path, str]:
        """The texts whose suppression comments apply to the findings: none of an example's, whose comments are for
        the rules an example is not checked by (:attr:`example`)."""
        return {} if self.example else self.texts

    @cached_property
    def example(self) -> bool:
        """Whether the setup is an example for the reader, not a configuration of the project: its first compose file
        (or Dockerfile) opens with a comment calling it one (``# An example docker-compose file for integrating the
        API with DataDog``). The reader copies and adapts it: only whether it parses and the files it names exist
        is checked. (A stack in a documentation folder is checked: it may be the install recipe users deploy.)"""
        files = self.setup.compose_files or self.setup.dockerfiles
        return bool(files) and self.is_file(files[0]) and EXAMPLE_DECLARATION.search(
            _opening_comment(self.text(files[0]))) is not None

    def development_service(self, service: Service) -> bool:
        """Whether a service serves development: it starts only with profiles named for it (``profiles:
        [local-tools]``, ``[dev]``), or its Django container does, or without one its stack."""
        if service.profiles and all(_named(profile, DEVELOPMENT_WORDS) for profile in service.profiles):
            return True
        run = next((run for run in self.django_runs if run.service is service), None)
        return self.development(run) is not None if run is not None else self.development_stack

    @property
    def deployed_elsewhere(self) -> bool:
        """Whether the project has a deployed configuration (see :attr:`deployments`)."""
        return bool(self.deployments)

    def _run_name(self, project: Project, run: DjangoRun) -> str:
        if run.service is None and run.build is not None:
            return f"the image of {self.display(run.build.dockerfile_path)}"
        return f"{run.name} of {self._setup_name(project)}"

    def _setup_name(self, project: Project) -> str:
        files = project.setup.compose_files or project.setup.dockerfiles
        return self.display(files[0]) if files else self.display(project.root)

    @cached_property
    def _production_settings(self) -> list[Path]:
        """The production-named settings modules (:attr:`_production_named_settings`); not a template to copy
        (``staging_example.py``), which is not what runs."""
        return [path for path in self._production_named_settings if not TEMPLATE_NAME.search(path.stem)]

    @cached_property
    def production_settings_unloaded(self) -> list[Settings]:
        """The production-named settings modules (:attr:`_production_settings`) no container of the setup loads, when
        its containers load others: the project deploys them where djcheck does not see the container (a platform,
        a cluster), and they are what ships (``production.py`` that star-imports a ``base.py`` with ``DEBUG = True``,
        beside a development stack that loads ``dev.py``)."""
        loaded = self.settings
        if not loaded:
            return []
        paths = {settings.path for settings in loaded} | {binding.path for settings in loaded
                                                          for binding in settings.bindings.values()}
        return [settings for path in self._production_settings
                if path not in paths and (settings := self._settings_at(path)) and settings.bindings]

    @cached_property
    def _production_named_settings(self) -> list[Path]:
        """The settings modules named for production: in a ``settings`` folder or named for settings, or beside the
        module the containers load (``config/django/production.py`` beside ``config/django/base.py``); templates
        (``production.example.py``) too, which show the project is deployed with settings made from them."""
        candidates = list(self.setup.python_files)
        folders = dict.fromkeys(settings.path.parent for settings in self.settings)
        for folder in folders:
            try:
                candidates += sorted(folder / name for name in os.listdir(folder) if name.endswith(".py"))
            except OSError:
                continue
        return [path for path in dict.fromkeys(candidates)
                if (path.parent.name == "settings" or "settings" in path.stem or path.parent in folders)
                and _named(path.stem, PRODUCTION_WORDS) and not _named(path.stem, DEVELOPMENT_WORDS)]

    @cached_property
    def _deployed_bindings(self) -> set[tuple[Path, int]] | None:
        """Where each setting the deployed configurations load is assigned; None when one of them is not known.

        When the project is deployed only where djcheck does not see the container (a
        Procfile, a production stage no service builds) and has no production-named
        settings module, the deployment loads what the containers load, unless that module
        is named for development (``settings/local.py``).

        A deployed container whose module djcheck cannot know (``environment:
        [DJANGO_SETTINGS_MODULE]``, from the shell) loads the production-named modules when the
        project has some, and is unknown otherwise.

        A setting assigned in ``if``/``try`` branches counts where the branch the deployed
        container's environment takes assigns it (every branch's when its environment
        cannot decide): the development branch of ``if DJANGO_ENV == "production": ...
        else: from .development import *`` is not loaded by a production container.
        """
        found: set[tuple[Path, int]] = set()
        production = [settings for path in self._production_settings if (settings := self._settings_at(path))]
        if not production and not any(project.deployed_runs for project in [self, *self.related]):
            # Deployed where djcheck does not see the container (a Procfile, App Engine, a stage no service builds): it
            # loads the modules the containers load, unless they are named for development (a local.py the deployment
            # replaces with a module of its own).
            for project in [self, *self.related]:
                for run in project.django_runs:
                    for settings in run.settings:
                        if not _named(settings.path.stem, DEVELOPMENT_WORDS):
                            found |= _binding_places(settings)
            return found
        for project in [self, *self.related]:
            for run in project.deployed_runs:
                if not run.settings and production:
                    continue  # a module djcheck cannot know (the shell's): the production-named ones, added below
                if not run.settings:
                    named = project.settings_module_of(run.service, run.build, run.environment, defaults=False)
                    if not named or project.module_file(named) is not None or project.module_each_install_makes(named):
                        return None
                    # it names a module the project lacks (DJC405): what a deployment writes there stands in for it,
                    # as any settings module of the project may, but the ones named for development
                    for path in project.setup.python_files:
                        if (path.name == "settings.py" or path.parent.name == "settings") \
                                and not DEVELOPMENT_SETTINGS.search(path.stem) \
                                and (stand_in := project._settings_at(path)) is not None:
                            found |= _binding_places(stand_in)
                    continue
                environment = run.process_environment
                loaded = run.settings
                derived = [settings for settings in production if all(
                    any(b.path == default.path for b in settings.bindings.values()) for default in loaded)]
                if derived and not project.settings_module_of(run.service, run.build, run.environment, defaults=False):
                    # Only a default (wsgi.py's setdefault) names the module, and a production module builds on it
                    # (`from .base import *`): the deployment sets DJANGO_SETTINGS_MODULE to that one where djcheck
                    # cannot see (a PaaS's settings), or the production module would serve no purpose.
                    loaded = tuple(derived)
                for settings in loaded:
                    for binding in settings.bindings.values():
                        way = chosen(binding, environment, settings.bindings)
                        found |= {(b.path, b.line) for b in every_way(way)}
        for settings in production:
            found |= _binding_places(settings)
        return found

    def development_only(self, thing: DjangoRun | Service | ImageBuild | Assignment | Path) -> bool:
        """Whether ``thing`` serves development alone while the project also has a deployed configuration.

        - a container (:class:`DjangoRun`): a development one (:meth:`development`);
        - a service: its container, or for a service that does not run Django (a
          database), a development stack (:attr:`development_stack`);
        - an image: every service that runs it is development-only (an image no service
          runs: its Dockerfile is named for development), and no deployed container of a
          related setup builds it;
        - a setting's assignment, or a settings module's path: no deployed container (nor a
          production-named settings module) loads it.

        Always False when the project has no deployed configuration: what it has ships;
        always True in a setup whose files say they are for development only, but for an image its stack neither
        builds nor runs (the project's deployed Dockerfile beside a database stack for development).
        """
        if self.declared_development and not (isinstance(thing, ImageBuild) and not thing.services):
            return True  # (an image the declared stack neither builds nor runs is judged on its own)
        if not self.deployed_elsewhere:
            return False
        if isinstance(thing, DjangoRun):
            return self.development(thing) is not None
        if isinstance(thing, Service):
            return self.development_service(thing)
        if isinstance(thing, ImageBuild):
            return self._development_image(thing)
        deployed = self._deployed_bindings
        if deployed is None:
            return False
        if isinstance(thing, Path):
            return not any(path == thing for path, _ in deployed) and thing not in self._production_settings
        return (thing.path, thing.line) not in deployed

    def _development_image(self, build: ImageBuild) -> bool:
        """Whether an image serves development alone: its Dockerfile or target is named so, or development
        containers alone run it while the project deploys another image, or they alone build a stage before the
        Dockerfile's last (the last is what ships). An image no service of this setup
        builds is what the project's other setups make of it: development-only when each that builds it
        builds it for development alone. An image no deployed container is seen to build may be the one deployed
        (by CI, a PaaS): it is not development-only without such a sign, such as starting the development server
        by itself in a project with no production settings module it could be deployed with."""
        services = [service for service in self.services if service.name in build.services]
        if services and all(self.development_only(service) for service in services) \
                and self._deployed_by_a_stack_from_another_dockerfile(build):
            return True  # development stacks alone build it, and a deployed stack builds Django from another one
        if services and all(self.development_only(service) for service in services) and build.target \
                and (stages := self._every_stage(build)) and build.target != stages[-1].name:
            return True  # development stacks alone build a stage the final one leaves behind (`target: builder`)
        if not services and build.dockerfile_path.name.lower() == "dockerfile" \
                and not any(_named(stage.name or "", PRODUCTION_WORDS)
                            for stage in (build.dockerfile.stages if build.dockerfile else ())) \
                and _production_sibling(build.dockerfile_path) and not self._built_by_other_stacks(build):
            return True  # no stack runs it, and the Dockerfile beside it is named for production (`Dockerfile.prod`)
        if any(run.service is None and run.build is build for run in self.deployed_runs):
            return False  # it starts a production server by itself, and may be what CI or a platform deploys
        deployed_images = {(run.build.dockerfile_path, run.build.target or "")
                           for project in [self, *self.related] for run in project.deployed_runs
                           if run.build is not None
                           and (run.service is not None or not self._production_image_beside(run.build))}
        if (build.dockerfile_path, build.target or "") in deployed_images:
            return False
        if not build.target and build.dockerfile_path in {*self._kamal_configs.values(),
                                                          *self._heroku_containers.values()}:
            return False  # Kamal or Heroku builds it and runs it on the servers
        if build.dockerfile_path in self._pipeline_published:
            return False  # a pipeline publishes it, for the deployment djcheck does not see (ECS, a cluster)
        if any(_named(name, DEVELOPMENT_WORDS) for name in self._build_names(build)):
            servers = [found.program for found, _ in self.image_servers(build)]
            # One that starts a production server by itself is a development environment's deployed image, unless
            # development stacks alone run it.
            return not servers or "runserver" in servers or (
                bool(services) and all(self.development_only(service) for service in services))
        if not services and build.dockerfile_path not in {path for path, _ in deployed_images}:
            # A Dockerfile beside this stack that its services do not build (`docker-compose-minimal.yml` beside the
            # `docker-compose.yml` that builds it): what the stacks that build it make of it.
            # The project is deployed (asked only then): an image the others build for development containers alone,
            # and do not name but for development (an `image:` beside `build:` is one a registry or another stack may
            # run; `mono:dev` is not), is development-only (a sibling, made without siblings of its own, cannot tell).
            others = self._built_by_other_stacks(build)
            theirs = self._names_deployed_from_another_dockerfile(build) if others else set()
            if others and all(
                    other.development_service(service) and (service.image is None or _named(
                        service.image.value, DEVELOPMENT_WORDS) or service.image.value in theirs)
                    for other, other_build in others for service in other.services
                    if service.name in other_build.services):
                return True
        if not services and self._buildpack_deployment:
            return True  # buildpacks deploy the source: an image no stack runs is a developer's own
        development_services = bool(services) and all(self.development_only(s) for s in services)
        if development_services and _production_sibling(build.dockerfile_path):
            return True  # beside the Dockerfile named for production (`Dockerfile.prod`): the development one
        if development_services and not self._production_settings and {
                found.program for found, _ in self.image_servers(build)} == {"runserver"}:
            return True  # it starts the development server by itself, development stacks alone run it, and no
            # production settings module it could be deployed with is there (the project deploys without it)
        return (bool(deployed_images) or bool(self._platform_deployments)) and development_services

    def _names_deployed_from_another_dockerfile(self, build: ImageBuild) -> set[str]:
        """The image names the project's deployed stacks give the builds of Dockerfiles other than ``build``'s
        (``docker/Dockerfile.prod`` tagged ``renter:latest``): a development stack's build of the same name
        (``renter:latest``) takes theirs, and is no sign its image is deployed."""
        return {run.service.image.value for project in [self, *self.related] for run in project.deployed_runs
                if run.service is not None and run.service.image is not None and run.build is not None
                and run.build.dockerfile_path != build.dockerfile_path}

    def _deployed_by_a_stack_from_another_dockerfile(self, build: ImageBuild) -> bool:
        """Whether a deployed compose service of another stack of the project runs Django from another Dockerfile:
        the project deploys that one (``docker-compose.prod.yml`` building the top ``Dockerfile``), and an image
        development stacks alone build beside it (``backend/Dockerfile`` for runserver) is theirs, whatever its CMD
        starts. A worker beside the development containers in their own stack is no such deployment."""
        return any(run.service is not None and run.build is not None
                   and run.build.dockerfile_path != build.dockerfile_path
                   for project in self.related for run in project.deployed_runs)

    def written_value(self, service: Service, key: str) -> str | None:
        """A service's one-line ``key: value`` as its line writes it (quotes and comment removed); None when the
        service has no such key or its line does not read so."""
        location = service.keys.get(key)
        text = self.text(location.path) if location is not None else None
        if location is None or text is None:
            return None
        lines = text.splitlines()
        line = lines[location.line - 1] if 0 < location.line <= len(lines) else ""
        match = re.search(rf"\b{re.escape(key)}\s*:\s*(.*?)\s*(?:#.*)?$", line)
        return match.group(1).strip("'\"") if match else None

    def service_user(self, service: Service) -> str | None:
        """The ``user:`` a compose service sets, as written (quotes removed); None when none, or not plain."""
        value = self.written_value(service, "user")
        return value if value and "$" not in value else None


MAX_DEVCONTAINER_BYTES = 1 << 18
MAX_DEVCONTAINER_FOLDERS = 200


def _json_with_comments(text: str) -> Any:
    """The value of a JSON file with ``//`` and ``/* */`` comments and trailing commas (``devcontainer.json``), None
    when it does not read. One pass over the text: comments are dropped outside strings, and a comma before a
    closing bracket."""
    import json

    out: list[str] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == '"':
            end = index + 1
            while end < length and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[index:end + 1])
            index = end + 1
        elif text.startswith("//", index):
            end = text.find("\n", index)
            index = length if end < 0 else end
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = length if end < 0 else end + 2
        elif char in "]}":
            while out and out[-1].isspace():
                out.pop()
            if out and out[-1] == ",":
                out.pop()
            out.append(char)
            index += 1
        else:
            out.append(char)
            index += 1
    try:
        return json.loads("".join(out))
    except ValueError:
        return None


SCRIPT_LAUNCHERS = frozenset(SHELLS) | {"source", ".", "exec", "sudo", "gosu", "su-exec", "tini", "--"}
"""Words after which a path is the script a command runs (``bash bin/run``, ``exec bin/start``,
``tini -- /app/run``)."""
MAX_GITDIR_LINE = 4096
_INDEXES: dict[tuple[Path, int, int], frozenset[str] | None] = {}
"""What each git index read lists, by path and modification."""
MAX_INDEX_BYTES = 64 * 1024 * 1024
"""A git index larger than this (a monorepo of a million files) is not read: what git tracks stays unknown."""
WORKSPACE_BASES = re.compile(r"(?:docker\.io/)?(?:mcr\.microsoft\.com/(?:vscode/)?devcontainers/|gitpod/workspace-)",
                             re.I)
"""The images VS Code's development containers and Gitpod's workspaces start from."""


FILE_WRITERS = frozenset({"cp", "mv", "ln", "install", "dos2unix"})
"""Programs whose last argument is the file they write (``dos2unix --newfile src dest``)."""
OPTION_VALUES = frozenset({"-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S",
                           "--suffix"})
"""Options of ``cp``/``install`` that take the next word as their value, not as a file."""
MAX_RUN_LINES = 200
MAX_UWSGI_CONFIGS = 20
"""uWSGI configuration files read for one command."""


MAX_SIBLING_DOCKERFILES = 64
RUNTIME_KEYS = frozenset({"command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes",
                          "depends_on", "links", "networks", "healthcheck", "restart", "profiles", "extends"})
"""What a service says of the container it runs, beside what it builds."""
PLATFORM_DOCKERFILE = re.compile(r"""["']?(?:dockerfilePath|dockerfile)["']?[ \t]*[:=][ \t]*(["']?[\w./-]+["']?)""")
"""The Dockerfile a platform's manifest builds: ``dockerfilePath: ./backend/Dockerfile.prod`` (Render),
``"dockerfilePath": "backend/Dockerfile.prod"`` (Railway), ``dockerfile = "Dockerfile.fly"`` (Fly.io)."""
DEPLOY_FILES = ("render.yaml", "fly.toml", "railway.json", "railway.toml", ".ebextensions", "Dockerrun.aws.json")
CLUSTER_FOLDERS = ("k8s", "kubernetes", "helm", "charts", "chart", "kustomize")
OPERATIONS_FOLDERS = ("deploy", "deployment", "devops", "infra", "ops", "infrastructure")
DEVELOPMENT_DECLARATION = re.compile(
    r"\b(?:only|solely|exclusively)\s+(?:meant\s+|intended\s+|used\s+|to\s+be\s+used\s+)?for\s+(?:the\s+)?"
    r"(?:local\s+)?development\b"
    r"|\b(?:meant|intended|used)\s+(?:only|solely|exclusively)\s+for\s+(?:the\s+)?(?:local\s+)?development\b"
    r"|\bfor\s+(?:local\s+)?development\s+(?:purposes\s+|use\s+)?only\b"
    r"|\b(?:do\s+not|don't|never)\s+use\s+(?:this\s+|it\s+)?in\s+production\b"
    r"|^\W*(?:local\s+)?development\s+(?:docker[- ])?(?:compose|docker)\s+(?:file|setup|config(?:uration)?|stack)\b"
    r"|\b(?:docker[- ])?compose\s+(?:file|setup|config(?:uration)?|stack)\s+for\s+(?:local\s+)?development\b"
    r"|^\W*(?:[\w./-]+\.ya?ml\W+)?(?:(?:local\s+)?development\s+environment|ambiente\s+de\s+desenvolvimento"
    r"|entorno\s+de\s+desarrollo|environnement\s+de\s+d[ée]veloppement)\b"
    r"|^\W*for\s+(?:local\s+)?development\s+(?:where|when|if|without|on)\b", re.I)
"""What a file's opening comment says when it is for development only (``only meant for local development``,
``for development purposes only``, ``do not use in production``, a title naming the file the development
environment, in English, Portuguese, Spanish or French, ``For development where devcontainer is not available``;
not "not intended for production use without first customizing it", which ships customised)."""
EXAMPLE_DECLARATION = re.compile(r"^\s*(?:this\s+is\s+)?an?\s+(?:example|sample)\s+(?:[\w.-]+\s+){0,2}?"
                                 r"(?:docker-compose|compose|dockerfile|file|configuration|config|setup|stack)\b", re.I)
"""What a file's opening comment says when it is an example for the reader (``An example docker-compose file for
integrating the API with DataDog``; not ``A sample Django app``, a project describing itself)."""
MAX_DECLARATION_LINES = 12
MAX_PROCFILE_LINES = 50
MAX_PLATFORM_CONFIG_LINES = 200
VERCEL_PYTHON = re.compile(r"@vercel/python|\b(?:w|a)sgi\.py\b")
"""What a ``vercel.json`` that deploys a Django project holds: the Python builder, or a route to its WSGI module."""
FABRIC_IMPORT = re.compile(r"^\s*(?:from|import)\s+fabric\b", re.M)
"""A Fabric deployment script's import (``from fabric.api import run``, ``from fabric import Connection``)."""
SYSTEM_BIN = frozenset({"/bin", "/usr/bin", "/sbin", "/usr/sbin"})
"""The folders of a base image's system programs (``/bin/true``, ``/usr/bin/tail``)."""
IDLE_PROGRAMS = frozenset({"true", "false", "sleep", "tail", "cat", "echo", "printf"})
"""System programs that start nothing: what parks a container (``/bin/true``, ``/usr/bin/sleep infinity``)."""
PLATFORMS = frozenset({"cabotage", "heroku", "dokku", "fly", "render", "railway", "koyeb", "aptible", "caprover",
                       "appengine", "cloudrun", "ecs", "k8s", "kubernetes"})
"""Platforms a Dockerfile is named for (``Dockerfile.cabotage``): the platform builds that image."""
HEROKU_GIT_PUSH = re.compile(r"git\.heroku\.com|\bgit\s+push\s+(?:-\S+\s+)*heroku\b|akhileshns/heroku-deploy")
"""A pipeline step that pushes the source to Heroku's git (or the action that does): without ``heroku.yml``
Heroku builds it with buildpacks."""
BUILDPACK_FILES = ("runtime.txt", "Aptfile", ".buildpacks", "project.toml")
BUILDPACK_MANIFESTS = ("app.json", "manifest.yml", "manifest.yaml")
"""What only buildpack platforms read (Heroku, Cloud Foundry, Paketo): the source is built without the Dockerfile."""
START_SCRIPTS = ("/start", "/start.sh")
"""Where an image that waits for its command keeps the script its stack gives it (cookiecutter-django's ``/start``)."""
START_SCRIPT_FOLDERS = ("scripts", "bin", "deploy", "docker")
"""Where a project keeps its start scripts, beside its top."""
HEROKU_CONTAINER_PUSH = re.compile(r"\bheroku\s+container:push\b")
"""A pipeline step that builds the Dockerfile and pushes its image to Heroku's registry."""
HEROKU_WEB_DOCKERFILE = re.compile(r"\s+web:\s*(?P<file>\S+)\s*$")
"""The Dockerfile ``heroku.yml``'s ``build: docker:`` names for the ``web`` process."""
KAMAL_CONFIG = re.compile(r"deploy(?:\.[\w-]{1,40})?\.ya?ml")
KAMAL_TOP_KEY = re.compile(r"[a-z_]+:(?:\s|$)")
KAMAL_DOCKERFILE = re.compile(r"\s+dockerfile:\s*(?P<file>\S+)")
"""Kamal's configuration (``config/deploy.yml``, one per destination ``config/deploy.staging.yml``), its top-level
keys, and the Dockerfile its ``builder:`` names."""
APP_ENGINE_CONFIG = re.compile(r"app(?:[._-][\w-]{1,40})?\.ya?ml(?:\.(?:example|sample|template|tmpl|tpl|dist|in))?")
"""``app.yaml``, ``app-prod.yaml``, ``app.staging.yaml`` and their templates (``app.yaml.example``)."""
APP_ENGINE_PYTHON_RUNTIME = re.compile(r"runtime\s*:\s*[\"']?python\d*[\"']?\s*(?:#.*)?$")
"""A top-level ``runtime: python39`` line: App Engine's own Python runtime (not ``runtime: custom``)."""
MAX_MAKEFILE_LINES = 2000


def _binding_places(settings: Settings) -> set[tuple[Path, int]]:
    """Where each of a settings module's bindings is assigned, in every way through its branches."""
    return {(b.path, b.line) for binding in settings.bindings.values() for b in every_way(binding)}


def _serves_in_production(command_line: str) -> bool:
    """Whether a command line starts a production server, itself or through a wrapper (``bin/start-nginx gunicorn
    -c gunicorn.conf app.wsgi``)."""
    for command in (line for first in script_lines(command_line)[:1] for line in first.commands):
        for index in range(min(len(command.words), MAX_SCRIPT_WORD)):
            found = server(Command(command.words[index:], False))
            if found is not None:
                return found.program != "runserver"
    return False


DJANGO_CORE_SETTINGS = frozenset({"INSTALLED_APPS", "DATABASES", "MIDDLEWARE", "ROOT_URLCONF", "SECRET_KEY", "DEBUG",
                                  "ALLOWED_HOSTS", "TEMPLATES", "WSGI_APPLICATION", "ASGI_APPLICATION", "STATIC_URL"})
"""Settings every Django project's settings set: a module found by its name alone that sets none of them is no
Django settings module (a ``settings.py`` of pydantic classes, an adapter)."""
DJANGO_PACKAGE_FILES = ("settings.py", "settings", "wsgi.py", "asgi.py", "urls.py")
"""What the Django project's package holds beside its ``__init__.py``."""
NOT_SCRIPTS = (".py", ".json", ".yaml", ".yml", ".xml", ".csv", ".sql", ".txt", ".ini", ".cfg", ".conf", ".toml",
               ".env", ".html", ".js", ".css", ".log")
"""What the words of a start command name that is no shell script: Python files, and the data and configuration
files commands read (a fixture ``loaddata`` loads, ``uwsgi.ini``)."""
STAGE_VARIABLE = re.compile(r"(?:^|_)(?:ENV|ENVIRONMENT|STAGE)$", re.I)
"""A variable that names where the container runs (``DJANGO_ENV``, ``APP_ENVIRONMENT``, ``STAGE``)."""
DOCKER_FOLDERS = frozenset({"deploy", "deployment", "deployments"})
"""Folders that hold a project's Docker files whatever they are for: their name does not make an image deployed."""


def runs_a_tools_program(dockerfile: Dockerfile) -> bool:
    """Whether the image runs a documentation or notebook tool: it is built on the tool's image
    (``squidfunk/mkdocs-material``, ``jupyter/tensorflow-notebook``) and starts nothing of its own, so the
    base image's program runs (``mkdocs serve``, the notebook server), whatever Python packages it adds."""
    final = dockerfile.final
    return tool_image(dockerfile.lineage(final)[0].image) and dockerfile.effective(final, "ENTRYPOINT") is None \
        and dockerfile.effective(final, "CMD") is None


def _declares_development(text: str | None) -> bool:
    """Whether a compose file's or Dockerfile's opening comment says it is for development only."""
    return DEVELOPMENT_DECLARATION.search(_opening_comment(text)) is not None


def _opening_comment(text: str | None) -> str:
    """The comment lines a file opens with, joined."""
    comments = []
    for line in (text or "").splitlines()[:MAX_DECLARATION_LINES]:
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append(stripped.lstrip("#"))
        elif stripped:
            break
    return " ".join(comments)


def in_workspace_folder(path: Path) -> bool:
    """Whether a file lies in a ``.devcontainer`` folder (VS Code's development container definition), or is
    Gitpod's workspace image (``.gitpod.Dockerfile``, which ``.gitpod.yml`` names)."""
    return ".devcontainer" in path.parts[:-1] or path.name.lower() == ".gitpod.dockerfile"


def _can_read(info: os.stat_result, uid: int, groups: set[int], is_dir: bool) -> bool:
    """Whether ``uid`` may read (and for a folder, enter) an entry, from its mode bits."""
    if uid == 0:
        return True
    if info.st_uid == uid:
        bits = (info.st_mode >> 6) & 7
    elif info.st_gid in groups:
        bits = (info.st_mode >> 3) & 7
    else:
        bits = info.st_mode & 7
    needed = stat.S_IROTH | stat.S_IXOTH if is_dir else stat.S_IROTH
    return bits & needed == needed


def _dockerfile_docker_reads(path: Path) -> Path:
    """The file a build reads for ``path``: a lowercase ``dockerfile`` when ``Dockerfile`` is absent, as Docker does."""
    lowercase = path.with_name("dockerfile")
    return lowercase if path.name == "Dockerfile" and not os.path.exists(path) and os.path.isfile(lowercase) else path



TESTS_FOLDERS = frozenset({"tests", "test", "testing", "testproject", "test_project"})
"""Folders of a test suite, which may hold a Django project of its own (``tests/django2/mysite/settings.py``)."""


def _in_folder_for_tests(path: Path, root: Path) -> bool:
    """Whether a file lies in a test suite's folder under ``root``: its Django project is not the one a container of
    the project runs, unless something names its settings."""
    parts = path.relative_to(root).parts[:-1] if path.is_relative_to(root) else ()
    return any(part.lower() in TESTS_FOLDERS for part in parts)


def _development_sibling(target: str, stages: Sequence[Stage]) -> Stage | None:
    """The stage a development target is a variant of: ``app`` beside ``app-dev``, ``web`` beside ``local_web``. What
    is left of the target's name without its development words names the stage that ships."""
    base = DEVELOPMENT_WORDS.sub(lambda match: match.group(0)[0] if match.start() and match.end() < len(target) else "",
                                 target).strip("-_.")
    if base == target or not base:
        return None
    return next((stage for stage in stages if stage.name and stage.name.lower() == base.lower()), None)


CONTENT_PROBE = "djcheck-probe"
"""A name no project gives a file, standing for any file of a folder (what ``folder/**`` ignores)."""


def _production_sibling(dockerfile: Path) -> bool:
    """Whether a Dockerfile named for production stands in the same folder (``Dockerfile.prod`` beside
    ``Dockerfile``, ``prod.Dockerfile``)."""
    try:
        names = [entry.name for entry in os.scandir(dockerfile.parent) if entry.name != dockerfile.name
                 and kind(PurePath(entry.name)) == "dockerfile" and entry.is_file()][:MAX_SIBLING_DOCKERFILES]
    except OSError:
        return False
    return any(_named(name, PRODUCTION_WORDS) for name in names)


def _dockerfile_purpose(path: Path) -> str:
    """What a Dockerfile's name adds to ``Dockerfile`` (``prod`` of ``Dockerfile.prod``, ``cabotage``)."""
    return path.name.lower().replace("dockerfile", "").strip("._-")


def _beside_production(path: Path) -> bool:
    """Whether a settings module not named for production has one named so beside it (``local.py`` and
    ``production.py``): what a default chooses is then one of several the environment picks from."""
    if _named(path.stem, PRODUCTION_WORDS):
        return False
    try:
        names = sorted(os.listdir(path.parent))[:MAX_FOLDER_NAMES]
    except OSError:
        return False
    return any(name.endswith(".py") and _named(name[:-3], PRODUCTION_WORDS) for name in names)


def _keeps_image_command(service: Service, start: StartCommand) -> bool:
    """Whether the image's CMD still runs under the service's ``entrypoint:``: an empty one (``entrypoint: ""``) only
    clears the image's ENTRYPOINT, and with no ``command:`` the engine runs the image's CMD as it is."""
    return (service.entrypoint is not None and not service.entrypoint.value and service.command is None
            and start.instruction is not None and start.instruction.keyword == "CMD")


def _files_writing(files: Sequence[Path], service: Service) -> list[Path]:
    """Of a stack's compose files, those that write the service (its definition or any of its keys); all of them
    when none does (a service an ``include:`` brings)."""
    written = {service.location.path, *(location.path for location in service.keys.values())}
    return [path for path in files if path in written] or list(files)


def _named(name: str, words: re.Pattern[str]) -> bool:
    """Whether a file, stage or module name has one of ``words`` as a part (``docker-compose.dev.yml``, ``local``)."""
    return bool(words.search(name))


MAX_COPY_SOURCES = 16
MAX_GITIGNORE_LINES = 500
PRODUCTION_FILE = re.compile(r"(?:[\w.-]+/)*(?:(?:docker-)?compose[._-]prod(?:uction)?\.ya?ml"
                             r"|Dockerfile[._-]prod(?:uction)?|entrypoint[._-]prod(?:uction)?\.sh)")
"""A production stack's file named as the testdriven.io tutorial names them (``docker-compose.prod.yml``,
``app/Dockerfile.prod``, ``app/entrypoint.prod.sh``), written plainly (no wildcard) in a ``.gitignore``."""
OTHER_PROGRAM_NAME = re.compile(r"(?:^|[/_.-])(?:nginx|traefik|caddy|haproxy|httpd|apache2?|varnish|proxy|certbot|"
                                r"frontend|node|nodejs|react|vue|angular|next|nuxt|vite|postgres|postgis|pgbouncer|pgpool|"
                                r"mysql|mariadb|mongo|mongodb|redis|valkey|rabbitmq|memcached|elasticsearch|"
                                r"opensearch|minio|mailhog|mailpit|mailcatcher|postfix|prometheus|grafana|alertmanager|"
                                r"cadvisor|keycloak|filebeat|metricbeat|logstash|kibana|fluentd|fluent-bit|fluentbit|"
                                r"promtail|loki|telegraf|influxdb|jaeger|zipkin|kafka|zookeeper|clickhouse|selenium)"
                                r"(?:[/_.-]|$)", re.I)
"""A service or Dockerfile named for another program (``nginx``, ``apps/docker/nginx/Dockerfile``): what a
Dockerfile djcheck cannot read builds is that program, not Django."""
APPLICATION_SERVERS = frozenset({"gunicorn", "uvicorn", "daphne", "hypercorn", "uwsgi", "granian"})
"""Production servers of a WSGI/ASGI application: an image whose entrypoint starts one on some argument
(``web-prod``) and runserver on another (``web-dev``) is deployed by whoever passes the first."""
ASGI_SERVERS = frozenset({"uvicorn", "daphne", "hypercorn"})
"""The servers that serve ``asgi.py``'s application; the others serve ``wsgi.py``'s by default."""
SERVING = {"gunicorn", "uvicorn", "daphne", "hypercorn", "uwsgi", "celery"}


def _evaluated(expression: ast.expr, environment: Mapping[str, str]) -> object:
    """The value of an expression of a manage.py or wsgi.py in the container's environment; None when unknown."""
    try:
        return evaluate(expression, environment)
    except (Unknown, RecursionError):
        return None


def _serves(command: Command) -> bool:
    """Whether a command is a container's main Django process: a server, runserver or celery."""
    return program(command) in SERVING or server(command) is not None


def _settings_option(command: Command) -> str | None:
    """The settings module a command sets itself: ``--settings``, gunicorn's ``--env``."""
    found = None
    command_words = command.words
    for index, word in enumerate(command_words):
        value = None
        if word.startswith("--settings="):
            value = word.partition("=")[2]
        elif word == "--settings":
            value = next(iter(command_words[index + 1:index + 2]), None)
        elif word in {"--env", "-e"}:
            following = next(iter(command_words[index + 1:index + 2]), "")
            value = following.partition("=")[2] if following.startswith("DJANGO_SETTINGS_MODULE=") else None
        if value and "$" not in value:
            found = value
    return found


LONE_VARIABLE = re.compile(r"\$\{?([A-Za-z_]\w*)\}?")


def _served(command: Command, environment: Mapping[str, str | None]) -> Server | None:
    """The server a command of a script starts, past a first word that is a variable the container leaves unset or
    empty (``${CMD_PREFIX} gunicorn ...``: the shell drops an empty unquoted expansion)."""
    found = server(command)
    first = LONE_VARIABLE.fullmatch(command.words[0]) if found is None and len(command.words) > 1 else None
    if first is not None and not environment.get(first[1]):
        found = server(Command(command.words[1:], command.exec_))
    return found


POSITIONAL = re.compile(r"\$(?:\{([1-9])\}|([1-9]))")


def _positional(words: Sequence[str], arguments: tuple[str, ...]) -> tuple[str, ...]:
    """A script's call of another script with its own positional parameters expanded: ``"$@"`` and ``$*`` are its
    arguments, ``$1`` the first; a parameter it was not given is empty."""
    found: list[str] = []
    for word in words:
        if word in {"$@", "${@}", "$*", "${*}"}:
            found += arguments
        else:
            found.append(POSITIONAL.sub(lambda match: arguments[int(match[1] or match[2]) - 1]
                                        if int(match[1] or match[2]) <= len(arguments) else "", word))
    return tuple(found)


def _folder_entered(commands: Sequence[ContainerCommand], main: ContainerCommand,
                    environment: Mapping[str, str | None]) -> str | None:
    """The folder the last ``cd`` before the serving command entered, in its script (or its start command), with
    the container's variables expanded (``cd ${PROJECT_NAME}``); None without one, or one left unknown."""
    known = {name: value for name, value in environment.items() if value is not None}
    entered = next((folder for run, folder in _folders_entered(commands, known) if run is main), None)
    return entered if entered and "$" not in entered else None


def _folders_entered(runs: Sequence[ContainerCommand],
                     known: Mapping[str, str]) -> Iterator[tuple[ContainerCommand, str]]:
    """Each command with the folder the last ``cd`` before it in its script (or among the start commands) entered,
    its variables expanded from ``known`` (``$`` where one is not); ``""`` before any ``cd``."""
    folders: dict[Path | None, str] = {}
    for run in runs:
        script = run.script.path if run.script is not None else None
        yield run, folders.get(script, "")
        words = run.command.words
        if words[:1] == ("cd",) and len(words) == 2:
            folders[script] = _expanded(words[1], known)


def _sources(words: tuple[str, ...]) -> bool:
    """Whether a command reads a file into the shell: ``source .env``, ``. ./config.env``."""
    return len(words) == 2 and words[0] in {"source", "."}


def _sets_option(words: tuple[str, ...], sign: str) -> bool:
    """Whether ``set`` turns allexport on (``sign`` ``-``: ``set -a``, ``set -ea``, ``set -o allexport``) or off
    (``+``)."""
    return any(word[:1] == sign and word[1:2] not in {sign, ""} and "a" in word[1:] for word in words[1:]) or any(
        words[index:index + 2] == (f"{sign}o", "allexport") for index in range(1, len(words) - 1))


def _expanded(text: str, assigned: Mapping[str, str]) -> str:
    """``$NAME``/``${NAME}`` replaced by the script's own assignment; one it does not make is left as ``$``."""
    return re.sub(r"\$\{?(\w+)\}?", lambda match: assigned.get(match[1], "$"), text)


LAUNCHES_DJANGO = re.compile(r"""["'](?:\./)?manage\.py["']|\bexecute_from_command_line\b""")
"""What a Python launcher names to run Django's command line (``[sys.executable, "manage.py", "migrate"]``)."""
QUOTED_SERVER = re.compile(r"""["'](?:gunicorn|daphne|uvicorn|hypercorn|uwsgi)["']""")
WSGI_MODULE = re.compile(r"""["'][\w.]+\.(?:wsgi|asgi)(?::\w+)?["']""")
"""A server and the WSGI/ASGI module a Python launcher gives it (``"daphne"``, ``"config.asgi:application"``)."""


def _builds_from(project: Project, other: Setup) -> bool:
    """Whether ``project`` builds an image from a folder holding the Django files of the setup ``other`` (a
    ``.devcontainer`` stack built from ``..``)."""
    files = _django_entry_files(other)
    return bool(files) and any(path.startswith(folder) for folder in project.build_folders for path in files)


@functools.lru_cache(maxsize=4096)
def _django_entry_files(setup: Setup) -> tuple[str, ...]:
    """A setup's ``manage.py``/``wsgi.py``/``asgi.py`` as text: a run asks :func:`_builds_from` of every pair of
    its setups, and pathlib's ``is_relative_to`` costs 10 µs a call."""
    return tuple(str(p) for p in setup.python_files if p.name in {"manage.py", "wsgi.py", "asgi.py"})


def _env_variables(_: Path, text: str) -> dict[str, EnvVar]:
    return parse_env_file(text)


DEBUG_VARIABLE = re.compile(r"(?:DJANGO_)?DEBUG", re.I)


def _development_switch(var: EnvVar) -> bool:
    """Whether a template's variable turns debugging on (``DEBUG=True``): the developer's value, which the deployer of a
    production stack sets for the server, not the value it runs with."""
    return DEBUG_VARIABLE.fullmatch(var.name) is not None and (var.value or "").strip("\"'").lower() in TRUE_WORDS


def _template_variables(_: Path, text: str) -> dict[str, EnvVar]:
    """A template's variables, leaving out a line Compose refuses (``set -a``): the user who copies it mends it."""
    return parse_env_file(text, lenient=True)


PIPELINE_WRITE = re.compile(r"(?<![>&\d])(>>?)[ \t]*[\"']?([\w./-]*\.env[\w.-]*|[\w./-]*\.envs?/[\w./-]+)[\"']?")
"""A pipeline step writing an env file: ``} > deployment/docker/.env``, ``>> .envs/.production/.django``."""
PIPELINE_ECHO = re.compile(
    r"""^\s*echo\s+(?P<quote>["']?)(?P<name>[A-Za-z_]\w*)=(?P<value>[^"'\n]*?)(?P=quote)\s*;?\s*"""
    r"""(?:>>?\s*["']?(?P<target>[\w./$-]+)["']?\s*;?)?\s*$""")
"""A line a pipeline prints into an env file: ``echo "DEBUG=False";`` in a ``{ ... } > .env`` group, or with its
own ``>> .env``; a line printed to another file (``>> $GITHUB_ENV``) is matched with that target, and left out."""
MAX_PIPELINE_CHARS = 1 << 18


POSITIONAL_USE = re.compile(r"^(?!\s*local\s).*\$(?:[@*#1-9]|\{[@*#1-9])")
"""A script line that reads the script's arguments (``exec "$@"``, ``case $1 in``, ``${1:-web}``), not a
function's ``local host=$1``."""
ALL_ARGUMENTS = re.compile(r"""["']?\$(?:@|\{@\})["']?""")
ARGUMENTS_HELD = re.compile(r"""^\s*(\w+)=["']?\$(?:@|\{@\}|\*)["']?\s*$""")
"""A script line that keeps its arguments in a variable (``cmd="$@"``), which it runs later (``exec $cmd``)."""


_PUBLISHED_LOOKUPS: set[Setup] = set()
"""The setups whose pulled images are being looked up in their siblings' builds (:meth:`Project._published_builds`):
a stack that pulls what another such stack pulls is not looked up again from within that lookup."""
_SIBLINGS: dict[Any, Any] = {}
"""The projects of the other setups of the current run, by setup (see ``Project._sibling``); a new run replaces them."""


def _tag(service: Service) -> str | None:
    """The name a service's ``image:`` gives the image (beside its ``build:``, the name the build is tagged with);
    None without one, or with a variable in it."""
    value = service.image.value if service.image is not None else None
    return _image_name(value) if value and "$" not in value else None


def _image_name(reference: str) -> str:
    """An image reference as Docker resolves it for a tag: ``shop_django`` and ``shop_django:latest`` are one."""
    reference = reference.strip()
    return reference[:-len(":latest")] if reference.endswith(":latest") else reference


def _syntax_tree(path: Path, text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


@record
class LoadedEnvFile:
    """An env file a container's start command or script loads, as written (``.env``; ``/srv/app/.env`` after a
    ``cd /srv/app``), and whether its variables reach the processes started after it (``export $(cat .env |
    xargs)``, ``set -a`` before ``. .env``, honcho's ``.env``) rather than only the shell's own (``. .env``)."""

    run: ContainerCommand
    written: str
    exported: bool


PROCESS_MANAGERS = {"honcho", "foreman", "nf"}
"""Programs that start a Procfile's processes with the variables of ``.env`` (or ``-e FILE``) in their
environment: ``honcho start``, ``foreman start``, node-foreman's ``nf start``."""


def _env_files_loaded(runs: Sequence[ContainerCommand]) -> Iterator[LoadedEnvFile]:
    """The env files a container's start commands and scripts load into its environment: sourced (``. ./.env``,
    ``source .env.prod``), exported line by line (``export $(cat backend.env | xargs)``, ``export $(grep -v '^#'
    .env | xargs)``, whose substitution comes as the commands after ``export``), or loaded by a Procfile's process
    manager (``cd /srv/app && honcho start``: ``/srv/app/.env``)."""
    previous: ContainerCommand | None = None
    all_exported: set[Path | None] = set()  # the scripts (None: the start commands) that ran `set -a`
    for run, folder in _folders_entered(runs, {}):
        words = run.command.words
        script = run.script.path if run.script is not None else None
        if words[:2] in {("set", "-a"), ("set", "-o")} and words[-1] in {"-a", "allexport"}:
            all_exported.add(script)
        if run.script is not None and len(words) >= 2:
            if words[0] in {".", "source"}:
                yield LoadedEnvFile(run, words[1], script in all_exported)
            elif words[0] in {"cat", "grep"} and previous is not None and previous.script is run.script \
                    and previous.command.words[:1] == ("export",) and "$" in previous.command.words[1:]:
                yield LoadedEnvFile(run, words[-1], True)
        if posixpath.basename(words[0]) in PROCESS_MANAGERS if words else False:
            for written in _process_manager_env_files(words):
                yield LoadedEnvFile(run, posixpath.join(folder, written), True)
        previous = run


def _process_manager_env_files(words: Sequence[str]) -> list[str]:
    """The env files ``honcho start`` / ``foreman start`` loads: ``-e``/``--env`` (honcho: a comma-separated list),
    else ``.env``; none for another of their commands (``honcho check``)."""
    if "start" not in words[1:]:
        return []
    given = ".env"
    for index, word in enumerate(words[1:], 1):
        if word in {"-e", "--env"} and index + 1 < len(words):
            given = words[index + 1]
        elif word.startswith("--env="):
            given = word.partition("=")[2]
        elif word.startswith("-e") and len(word) > 2:
            given = word[2:]
    return [name.strip() for name in given.split(",") if name.strip()]


PART_WORDS = frozenset({"frontend", "backend", "front", "back", "api", "web", "client", "server", "ui", "app",
                        "admin", "mobile", "site", "core", "service", "worker"})
"""Words that name one part of a project split into repositories (``shop-frontend``, ``shop-backend``, ``shop-api``)."""


def _companion_names(name: str, other: str) -> bool:
    """Whether two repository names are one project's parts: the same words but one of :data:`PART_WORDS` each
    (``dms-letter-frontend`` and ``dms-letter-backend``)."""
    words, others = re.split(r"[-_.]", name.lower()), re.split(r"[-_.]", other.lower())
    stem = [word for word in words if word not in PART_WORDS]
    return name.lower() != other.lower() and bool(stem) and len(stem) < len(words) \
        and stem == [word for word in others if word not in PART_WORDS] and len(others) > len(stem)


BUILD_TOOLS = frozenset({"pip", "pip3", "poetry", "uv", "npm", "npx", "yarn", "pnpm"})
"""Programs that build or install and run no server: what a script of the base image handed one runs."""


def _hands_over_to_a_tool(words: Sequence[str], unread: list[str]) -> bool:
    """Whether a start command is a script djcheck cannot read given a build tool to run (``entrypoint.sh pip wheel
    --no-index .``): the script hands over to it, and no Django runs."""
    return len(words) > 1 and words[0] in unread and posixpath.basename(words[1]) in BUILD_TOOLS


def plain_copy_sources(dockerfile: Dockerfile, context: Path) -> Iterator[Path]:
    """Where in ``context`` each source the final image's ``COPY``/``ADD`` instructions name lies, when written
    plainly (no wildcard, variable or URL) and inside the context; the first :data:`MAX_COPY_SOURCES` of each."""
    for stage in dockerfile.lineage(dockerfile.final):
        for copy in dockerfile.copies(stage):
            for source in copy.sources[:MAX_COPY_SOURCES]:
                written = source.strip("\"'")
                if not written or re.search(r"[*?\[$]|://", written):
                    continue
                path = Path(os.path.normpath(context / written.lstrip("/")))
                if path.is_relative_to(context):
                    yield path


def _starts_a_shell(dockerfile: Dockerfile) -> bool:
    """Whether the final image starts a bare shell (``CMD /bin/bash``, ``CMD ["bash"]``) and has no ENTRYPOINT."""
    final = dockerfile.final
    command = dockerfile.effective(final, "CMD")
    if command is None or dockerfile.effective(final, "ENTRYPOINT") is not None:
        return False
    words = list(command.exec_form) if command.exec_form is not None else command.words()
    return len(words) == 1 and words[0] in SHELLS and words[0] != "/usr/bin/env"
