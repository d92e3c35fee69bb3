"""What the repository's CI pipelines give a compose file they run: the variables of their ``env:`` and the files
their steps write.

A pipeline that deploys (``docker stack deploy -c docker-compose.prod.yml``) or builds
(``docker compose -f docker-compose.ci.yml build``) names the compose file it runs; the
variables it sets (``env:`` at any level, ``variables:`` of GitLab, names written to
``$GITHUB_ENV``) are set for that run, and the env file a step writes (``echo ... >> .env``)
exists when the stack starts. A file the pipeline gives to ``docker stack deploy`` is a Swarm
stack file, which the Docker CLI reads by its own rules (its ``version:`` picks a schema).

A compose file only CI runs (named for CI or tests, ``docker-compose.ci.yaml``, or named by
a pipeline or a CI script and by no other launch script) gets its variables from the runner.
The committed launch scripts that run a compose file (``up.sh``, ``bin/develop.sh``, a
Makefile) give it what they ``export`` and what the env file they pass (``--env-file``) or
source (``set -a; . ./.env.prod``) sets; an env file outside the repository or absent, with
no template, sets what each user wrote there: unknown.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from djlint_docker.files import TEMPLATE_NAME
from djlint_docker.images import parse_image
from djlint_docker.project import ENV_FILE_OPTION, Project

MAX_PIPELINE_BYTES = 1 << 18
ENV_BLOCK = re.compile(r"^(\s*)(?:-\s+)?(?:env|variables|environment):\s*(?:#.*)?$")
KEY = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:")
EXPORTED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)=[^\n]*>>\s*[\"']?\$\{?GITHUB_ENV\b")
"""``echo "SHORT_SHA=${GITHUB_SHA::7}" >> $GITHUB_ENV``: a variable the following steps get."""
STEP_EXPORT = re.compile(r"(?:^|[;&|(]|\brun:)[ \t]*export[ \t]+([A-Za-z_][A-Za-z0-9_]*)=")
"""``export TAG=...`` in a step's commands: set for the commands after it, the compose file's among them."""
WRITTEN = re.compile(r"(?:>>?|\btee\s+(?:-a\s+)?)\s*[\"']?([\w./${}-]+)")


def _pipelines(project: Project, compose_file: Path) -> list[str]:
    """The texts of the CI pipelines that name the compose file (by its file name)."""
    return project.once((__name__, "texts", compose_file), lambda: _read_pipelines(project, compose_file))


def _read_pipelines(project: Project, compose_file: Path) -> list[str]:
    named = _name_of(compose_file)
    default = compose_file.name in DEFAULT_NAMES and compose_file.parent == project.boundary
    texts = []
    for path in project.pipeline_paths:
        text = _pipeline_text(project, path)
        if text is not None and (named.search(text) or _names_by_template(text, compose_file.name)
                                 or default and RUNS_DEFAULT_FILE.search(text)):
            texts.append(text)
    return texts


RUNS_DEFAULT_FILE = re.compile(r"\b(?:docker[- ]compose|podman[- ]compose)[ \t]+(?:up|pull|run|build|create|start"
                               r"|restart|exec|down|config)\b")
"""A compose command with no ``-f``: it runs the repository's default file (``docker compose pull`` in a Jenkins
deploy step that has cloned the repository)."""


def _pipeline_text(project: Project, path: Path) -> str | None:
    """A pipeline file's text, with the texts of the local files a GitLab pipeline includes (``include:
    .ci-templates.yml``, ``- local: /ci/deploy.yml``) after it: a job of one file extends a template of another."""
    text = _small_text(project, path)
    if text is None or path.name != ".gitlab-ci.yml":
        return text
    included = [_small_text(project, project.boundary / name.lstrip("/")) for name in _local_includes(text)]
    return "\n".join([text, *(part for part in included if part is not None)])


def _small_text(project: Project, path: Path) -> str | None:
    try:
        if not os.path.isfile(path) or path.stat().st_size > MAX_PIPELINE_BYTES or not path.resolve().is_relative_to(
                project.boundary.resolve()):
            return None
    except OSError:
        return None
    return project.text(path)


INCLUDE = re.compile(r"^include:[ \t]*(?P<one>\S.*)?$")
INCLUDED = re.compile(r"^[ \t]+-?[ \t]*(?:local:[ \t]*)?(?P<name>\S+)[ \t]*$")
MAX_INCLUDES = 10


def _local_includes(text: str) -> list[str]:
    """The local files a GitLab pipeline includes: ``include:`` with one file, or its list of files (plain or
    ``local:``); not a ``project:``, ``remote:`` or ``template:`` include, which lies outside the repository."""
    names: list[str] = []
    inside = False
    for line in text.splitlines():
        opened = INCLUDE.match(line)
        if opened:
            inside = opened["one"] is None
            names += [opened["one"]] if opened["one"] else []
            continue
        if inside and line.strip() and not line[0].isspace():
            inside = False
        item = INCLUDED.match(line) if inside else None
        if item:
            names.append(item["name"])
    return [name.strip("\"'") for name in names
            if name.strip("\"'").endswith((".yml", ".yaml")) and "://" not in name][:MAX_INCLUDES]


def _name_of(compose_file: Path) -> re.Pattern[str]:
    """The file's name as a word: compose.yaml is not in docker-compose.yaml; a shell default names it
    (``${DOCKER_CONFIG_DEV:-docker-compose.override.yml}``)."""
    return re.compile(rf"(?<![\w.])(?<!\w-){re.escape(compose_file.name)}(?![\w-])")


TEMPLATED_NAME = re.compile(r"(?<![\w.${}-])((?:[\w.-]|\$\{?\w+\}?)*\$\{?\w+\}?(?:[\w.-]|\$\{?\w+\}?)*\.ya?ml)\b")
VARIABLE = re.compile(r"\$\{?\w+\}?")


def _names_by_template(text: str, name: str) -> bool:
    """Whether the text names the file through a variable: ``docker-compose.$ENVIRONMENT.yml`` names
    ``docker-compose.production.yml`` (a variable stands for a word of letters, digits, ``-`` and ``_``; a name
    that is all variable, ``$FILE.yml``, names no file in particular)."""
    for found in TEMPLATED_NAME.findall(text):
        parts = VARIABLE.split(found)
        stem = "".join(parts).rsplit(".", 1)[0]  # the literal words besides the extension: `$FILE.yml` names nothing
        pattern = "[\\w-]+".join(re.escape(part) for part in parts)
        if len(parts) > 1 and re.search(r"[A-Za-z]{2}", stem) and re.fullmatch(pattern, name):
            return True
    return False


def set_by_pipeline(project: Project, compose_file: Path) -> frozenset[str]:
    """The variables a CI pipeline running the compose file sets: the keys of its ``env:``/``variables:``
    blocks, the names its steps write to ``$GITHUB_ENV`` and those a step exports before its commands."""
    return project.once((__name__, "variables", compose_file), lambda: _set_by_pipelines(project, compose_file))


def _set_by_pipelines(project: Project, compose_file: Path) -> frozenset[str]:
    names: set[str] = set()
    for text in _pipelines(project, compose_file):
        block: int | None = None  # the indent of the env: block being read
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip())
            if block is not None and indent <= block:
                block = None
            opened = ENV_BLOCK.match(line)
            if opened:
                block = len(opened.group(1))
                continue
            key = KEY.match(line) if block is not None else None
            if key:
                names.add(key.group(2))
            names.update(EXPORTED.findall(line))
            names.update(STEP_EXPORT.findall(line))  # `export TAG=${{ ... }} && docker stack deploy -c ...`
            for assigned in INLINE.findall(line):  # `&& TAG=$BRANCH docker compose up -d`: set for that command
                names.update(word.partition("=")[0] for word in assigned.split())
    return frozenset(names)


def written_by_pipeline(project: Project, compose_file: Path, env_file: Path) -> bool:
    """Whether a CI pipeline running the compose file writes a file of the env file's name
    (``echo "SECRET_KEY=${{ secrets.SECRET_KEY }}" >> .env``) before it starts the stack."""
    return any(Path(target).name == env_file.name for text in _pipelines(project, compose_file)
               for target in WRITTEN.findall(text))


STACK_DEPLOY = re.compile(r"\bstack\s+(?:deploy|up)\b")


def deployed_as_swarm_stack(project: Project, compose_file: Path) -> bool:
    """Whether a CI pipeline, or the project's documentation (its README, ``docs/``), gives the compose file to
    ``docker stack deploy`` (the Docker CLI, not Compose): a line of it deploys a stack and names the file."""
    named = _name_of(compose_file)
    texts = [*_pipelines(project, compose_file), *project.running_documentation]
    return any(STACK_DEPLOY.search(line) and named.search(line) for text in texts for line in text.splitlines())


SWARM_ONLY_KEYS = re.compile(r"^[ \t]+(?:update_config|rollback_config|placement)[ \t]*:"
                             r"|^[ \t]+mode[ \t]*:[ \t]*global\b", re.MULTILINE)
"""What only Docker Swarm reads in a compose file: a service's ``deploy`` of ``update_config``, ``rollback_config``,
``placement`` or ``mode: global``; Compose ignores them. (An ``overlay`` network is no sign: Compose attaches to one
on a Swarm node, and projects run such files with ``docker-compose up``.)"""


def written_for_swarm(project: Project, compose_file: Path) -> bool:
    """Whether the compose file is a Swarm stack's: a pipeline or the documentation gives it to ``docker stack
    deploy`` (:func:`deployed_as_swarm_stack`), or it sets what only Swarm reads (:data:`SWARM_ONLY_KEYS`)."""
    text = project.text(compose_file)
    return (text is not None and SWARM_ONLY_KEYS.search(text) is not None) \
        or deployed_as_swarm_stack(project, compose_file)


ECS_CLI_COMPOSE = re.compile(r"\becs-cli\b[^\n]*\bcompose\b")


def deployed_with_ecs_cli(project: Project, compose_file: Path) -> bool:
    """Whether a pipeline, a launch script or the documentation deploys the compose file with ``ecs-cli compose``
    (Amazon ECS on EC2, whose default bridge network gives containers no name resolution: links are how they meet):
    a text that runs ``ecs-cli compose`` and names the file."""
    named = _name_of(compose_file)
    texts = [*_pipelines(project, compose_file), *(text for _, text in _launch_scripts(project)),
             *project.running_documentation]
    return any(ECS_CLI_COMPOSE.search(text) and named.search(text) for text in texts)


COMPOSE_V1 = re.compile(r"docker/compose:1\.|docker-compose==1\.|compose/releases/download/v?1\.|"
                        r"COMPOSE_VERSION[ \t]*[=:][ \t]*[\"']?v?1\.|pip3?[ \t]+install\b[^\n]{0,200}?"
                        r"[ \t]docker-compose(?:[ \t]|$|[<>=]=?1)", re.M)
"""What installs Compose v1 in a pipeline or script (``image: docker/compose:1.23.2``, ``pip install docker-compose``,
its release 1.x downloaded): a tool that reads ``version:`` and needs it."""


LOCAL_BUILD = re.compile(r"\bdocker[ \t]+(?:buildx[ \t]+)?build\b[^\n;&|`]*?(?:-t|--tag)(?:[ \t]+|=)[\"']?([^\s\"'`]+)")
"""A ``docker build`` with the name it gives the image (``docker build -t quay.io/acme/app:dev .``)."""


def built_by_instructions(project: Project) -> frozenset[str]:
    """The image repositories the README, the ``docs/`` or a launch script builds on the machine (``docker build
    -t quay.io/acme/app:dev .``): a service that runs one runs what the user built, not a pull."""
    return project.once((__name__, "built by instructions"), lambda: frozenset(
        parse_image(name).repository
        for text in [*project.running_documentation, *(t for _, t in _launch_scripts(project))]
        for name in LOCAL_BUILD.findall(text) if "$" not in name))


PUSHED = re.compile(r"\bdocker[ \t]+(?:image[ \t]+)?(?:push(?:[ \t]+-[-\w]+)*|tag(?:[ \t]+-[-\w]+)*[ \t]+\S+)"
                    r"[ \t]+[\"']?([^\s\"'`;|&)]+)|\bdocker\.build\(?[ \t]*[\"']([^\"'\s]+)")
"""An image a pipeline or script pushes, tags, or builds with Jenkins' ``docker.build("acme/shop")``."""
ACTION_TAGS = re.compile(r"^([ \t]*)(?:-[ \t]+)?tags:[ \t]*(?:([|>][-+]?)|([^#\n]*))")
"""The ``tags:`` of ``docker/build-push-action`` (one line, comma-separated, or a block of lines)."""
EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}")
"""A GitHub Actions expression (``${{ github.sha }}``), spaces and all."""


def published_by_pipelines(project: Project) -> frozenset[str]:
    """The image repositories the project's CI pipelines or launch scripts build and publish: pushed, tagged, or
    given as ``tags:`` to ``docker/build-push-action`` (``acme/shop-backend:latest``). A stack that runs one runs the
    project's own release, which the pipeline replaces on each deploy."""
    return _published(project)[0]


def tags_published_by_pipelines(project: Project) -> frozenset[str]:
    """The tags the project's CI pipelines push an image under when the repository is the pipeline's secret or
    variable (``docker push ${{ secrets.DOCKER_REPO }}:backend-latest``): an image a stack pulls with that tag is the
    project's own release. ``latest`` says nothing of whose image it is."""
    return _published(project)[1]


def _published(project: Project) -> tuple[frozenset[str], frozenset[str]]:
    """What the pipelines and launch scripts publish (:func:`published_by_pipelines`) and the tags the pipelines push
    to a secret's repository (:func:`tags_published_by_pipelines`), read in one pass once per run."""
    return project.once((__name__, "published by pipelines"), lambda: _published_by_pipelines(project))


def _published_by_pipelines(project: Project) -> tuple[frozenset[str], frozenset[str]]:
    pipelines = [_pipeline_text(project, path) or "" for path in project.pipeline_paths]
    texts = [*pipelines, *(text for _, text in _launch_scripts(project))]
    names: list[str] = []
    tags: set[str] = set()
    for index, text in enumerate(texts):
        text = EXPRESSION.sub(PLACEHOLDER, text)
        pushed = [pushed or built for pushed, built in PUSHED.findall(text)]
        names += pushed + LOCAL_BUILD.findall(text) + _action_tags(text)
        if index < len(pipelines):
            tags |= {image.tag for image in map(parse_image, pushed) if image.repository == PLACEHOLDER.lower()
                     and image.tag and image.tag != "latest" and "$" not in image.tag}
    return frozenset(image.repository for image in map(parse_image, names) if image.repository
                     and "$" not in image.repository and "{" not in image.repository), frozenset(tags)


PLACEHOLDER = "X"
"""What a pipeline's expression (``${{ secrets.DOCKER_REPO }}``) reads as."""


def _action_tags(text: str) -> list[str]:
    """The image names of the ``tags:`` keys of a pipeline: on the key's line, or in the block below it."""
    names: list[str] = []
    block: int | None = None  # the indent of the `tags:` key whose block is being read
    for line in text.splitlines():
        if block is not None:
            if line.strip() and len(line) - len(line.lstrip()) <= block:
                block = None
            else:
                names += re.split(r"[\s,]+", line.strip().lstrip("-").strip())
                continue
        found = ACTION_TAGS.match(line)
        if found and (found[2] or not (found[3] or "").strip()):
            block = len(found[1])
        elif found:
            names += re.split(r"[\s,]+", (found[3] or "").strip().strip("[]"))
    return [name.strip("\"'") for name in names if "/" in name or ":" in name]


def written_by_scripts(project: Project, name: str) -> bool:
    """Whether a launch script, a Makefile or a CI pipeline names a file (``wheels``, ``dist``): a step that may make
    it before the image is built."""
    pattern = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w-])")
    texts = [*(text for _, text in _launch_scripts(project)), *(_pipeline_text(project, path) or ""
                                                                   for path in project.pipeline_paths)]
    return any(pattern.search(text) for text in texts)


def pins_compose_v1(project: Project) -> bool:
    """Whether the project's CI pipelines or launch scripts install Compose v1, which needs ``version:`` (without it
    a file is read as the legacy format, whose top-level keys are services)."""
    return project.once((__name__, "compose v1"), lambda: _pins_compose_v1(project))


def _pins_compose_v1(project: Project) -> bool:
    texts = [text for _, text in _launch_scripts(project)]
    for path in project.pipeline_paths:
        try:
            if os.path.isfile(path) and path.stat().st_size <= MAX_PIPELINE_BYTES and (text := project.text(path)):
                texts.append(text)
        except OSError:
            continue
    return any(COMPOSE_V1.search(text) for text in texts)


CI_NAME = re.compile(r"(^|[._-])(ci|test|tests|testing|e2e|integration|github|gitlab|travis|circleci|jenkins)"
                     r"([._-]|$)", re.I)
"""A compose file named for CI or tests (``docker-compose.ci.yaml``, ``docker-compose-e2e-tests.yml``)."""
DEFAULT_NAMES = frozenset(f"{stem}{override}.{ext}" for stem in ("compose", "docker-compose")
                          for override in ("", ".override") for ext in ("yaml", "yml"))
"""The files ``docker compose`` reads with no ``-f``: a developer runs them by hand too."""
CI_FOLDERS = frozenset({"ci", ".ci", ".github", ".gitlab", ".circleci", ".semaphore", ".buildkite", ".jenkins",
                        "jenkins"})
LAUNCH_FOLDERS = ("", "bin", "scripts", "script", "ci", ".ci", "tools", "docker", "deploy", "deployment")
"""The folders, of the compose file's and of the repository's top, whose scripts may run the stack."""
LAUNCH_SCRIPT = re.compile(r".*\.(?:sh|bash)|(?:GNU)?[Mm]akefile|[Jj]ustfile|package\.json|Taskfile\.ya?ml"
                           r"|tasks\.py|fabfile\.py|noxfile\.py|crontab(?:\.txt)?|.*\.cron(?:tab)?")
"""Shell scripts, Makefiles, justfiles, npm scripts, Taskfiles, Python task runners (invoke, Fabric, nox), and the
crontabs a server installs (``0 */6 * * * LOCAL_DATA_DIR=/data docker-compose -f backup/docker-compose.yml up``)."""
PYTHON_ENV_NAME = re.compile(r"""["']([A-Z][A-Z0-9_]*)["']\s*:|environ\[["']([A-Z][A-Z0-9_]*)["']\]\s*=(?!=)"""
                             r"""|environ\.setdefault\(\s*["']([A-Z][A-Z0-9_]*)["']""")
"""A variable a Python task runner gives the commands it runs: a key of the ``env`` it passes
(``env.update({"NAUTOBOT_VER": ...})``), or one it sets in ``os.environ``."""
MAX_LAUNCH_SCRIPTS = 40
MAX_SCRIPT_BYTES = 1 << 18
MAX_LINE = 4096
RUNS_COMPOSE = re.compile(r"\b(?:docker[- ]compose|podman[- ]compose|COMPOSE_FILE)\b")
EXPORT = re.compile(r"^[ \t]*(?:export|declare[ \t]+-x|typeset[ \t]+-x)[ \t]+([A-Za-z_][A-Za-z0-9_]*)\b", re.M)
INLINE = re.compile(r"(?:^[ \t]*@?-?|[;&|][ \t]*|\benv[ \t]+)((?:[A-Za-z_][A-Za-z0-9_]*=\S{0,200}[ \t]+)+)"
                    r"(?=(?:sudo[ \t]+)?(?:docker[- ]compose|podman[- ]compose)\b)")
"""``DJANGO_PORT=8000 docker compose up``: variables set for that one command."""
SOURCED = re.compile(r"(?:^|[;&|({]\s*|\bthen\s+)(?:source|\.)\s+[\"']?([^\s\"';|&)]+)", re.M)
ALL_EXPORTED = re.compile(r"\bset[ \t]+(?:-[a-zA-Z]*a\b|-o[ \t]+allexport)|^\.EXPORT_ALL_VARIABLES:|^export[ \t]*$",
                          re.M)
"""``set -a`` in a script, ``.EXPORT_ALL_VARIABLES:`` or a bare ``export`` in a Makefile: what is sourced or
included is exported."""
EXPORTED_FILE = re.compile(r"export[ \t]+\$\([ \t]*(?:cat|grep\b[^|)\n]{0,200}?)[ \t]+[\"']?([^\s\"'|)]+)")
"""``export $(cat .env.prod | xargs)``, ``export $(grep -v '^#' .env | xargs)``: a file's variables exported."""
MAKE_INCLUDE = re.compile(r"^-?include\s+(\S+)", re.M)


def _launch_scripts(project: Project) -> list[tuple[Path, str]]:
    """The committed scripts beside the compose file or at the repository's top, and in their ``bin/``,
    ``scripts/``, ``ci/`` folders (``*.sh``, Makefiles, justfiles, ``package.json``, Taskfiles), each with its
    text and the texts of the scripts it sources (``source bin/env.sh``)."""
    return project.once((__name__, "launch scripts"), lambda: _read_launch_scripts(project))


def _read_launch_scripts(project: Project) -> list[tuple[Path, str]]:
    paths: list[Path] = []
    for top in dict.fromkeys((project.root, project.boundary)):
        for name in LAUNCH_FOLDERS:
            try:
                entries = sorted((top / name).iterdir())
            except OSError:
                continue
            paths += [entry for entry in entries if LAUNCH_SCRIPT.fullmatch(entry.name) and entry not in paths]
    scripts: list[tuple[Path, str]] = []
    for path in paths:
        if len(scripts) >= MAX_LAUNCH_SCRIPTS:
            break
        text = _script_text(project, path)
        if text is None:
            continue
        sourced = [_script_text(project, found) for found in _sourced_scripts(project, path, text)]
        scripts.append((path, "\n".join([text, *(t for t in sourced if t)])))
    return scripts


def _script_text(project: Project, path: Path) -> str | None:
    try:
        if not os.path.isfile(path) or path.stat().st_size > MAX_SCRIPT_BYTES:
            return None
    except OSError:
        return None
    return project.text(path)


def _resolve(project: Project, script: Path, written: str) -> Path | None:
    """The file a path written in a script names: from the script's folder, the compose file's or the
    repository's top (where it may be run from), the first that is there or has a template; None when it
    names a file outside the repository or from a variable."""
    if any(mark in written for mark in "$`~*?") or written.startswith("/"):
        return None
    candidates = [Path(os.path.normpath(folder / written))
                  for folder in dict.fromkeys((script.parent, project.root, project.boundary))]
    candidates = [c for c in candidates if c.is_relative_to(project.boundary)]
    return next((c for c in candidates if project.is_file(c) or project.template_for(c) is not None),
                candidates[0] if candidates else None)


def _sourced_scripts(project: Project, script: Path, text: str) -> list[Path]:
    found = [_resolve(project, script, written) for written in SOURCED.findall(text)]
    return [path for path in found if path is not None and path != script and path.suffix in {".sh", ".bash", ""}
            and not TEMPLATE_NAME.search(path.name) and not path.name.startswith(".env")]


def _runs(text: str, compose_file: Path) -> bool:
    """Whether a script runs the compose file: it runs Compose and names the file (``docker-compose.${ENV}.yml``
    names each file of that pattern), or the file is one Compose reads by default and the script names no compose
    file."""
    if not RUNS_COMPOSE.search(text):
        return False
    if _name_of(compose_file).search(text) or _names_by_template(text, compose_file.name):
        return True
    return compose_file.name in DEFAULT_NAMES and not re.search(r"\b(?:-f|--file)\b|compose[\w.-]*\.ya?ml", text)


def given_by_launch_scripts(project: Project, compose_file: Path) -> frozenset[str] | None:
    """The variables the committed scripts that run the compose file give it: those they ``export`` or set
    for the command, those of the env files they pass (``--env-file .env.prod``) or source with ``set -a``.
    None when one such env file is unknown (outside the repository, from a variable, each user's own):
    any variable may come from it."""
    return project.once((__name__, "launch variables", compose_file),
                        lambda: _given_by_launch_scripts(project, compose_file))


def _given_by_launch_scripts(project: Project, compose_file: Path) -> frozenset[str] | None:
    names: set[str] = set()
    for script, text in _launch_scripts(project):
        if not _runs(text, compose_file):
            continue
        names.update(EXPORT.findall(text))
        if script.suffix == ".py":
            names.update(name for found in PYTHON_ENV_NAME.findall(text) for name in found if name)
        for line in text.replace("\\\n", " ").splitlines():  # a command continued with `\` is one line
            if "compose" in line and len(line) <= MAX_LINE:  # a bounded line: the pattern backtracks on it
                for assigned in INLINE.findall(line):
                    names.update(word.partition("=")[0] for word in assigned.split())
        files = [(written, False) for written in ENV_FILE_OPTION.findall(text) + EXPORTED_FILE.findall(text)]
        if ALL_EXPORTED.search(text):
            files += [(written, True) for written in SOURCED.findall(text) if ".env" in written or "env." in written]
            files += [(written, True) for written in MAKE_INCLUDE.findall(text)] if "akefile" in script.name else []
        for written, sourced in files:  # a sourced file is the shell's or make's (`export A=1;`), not Compose's
            path = _resolve(project, script, written)
            values = project.env_values(path, quiet=sourced) if path is not None else None
            if values is None:
                return None  # outside the repository, or each user's own: what it sets is unknown
            names.update(values)
    for written in _documented_env_files(project, compose_file):
        path = _resolve(project, project.boundary / "README.md", written)
        values = project.env_values(path) if path is not None else None
        if values is None:
            return None
        names.update(values)
    return frozenset(names)


DIRENV_DOTENV = re.compile(r"^[ \t]*dotenv(?:_if_exists)?\b[ \t]*[\"']?([^\s\"';|&]*)", re.M)
"""direnv's ``dotenv .env.dev`` (``.env`` when it names none): the file's variables exported."""


def exported_by_direnv(project: Project, compose_file: Path) -> frozenset[str] | None:
    """The variables the ``.envrc`` of the compose file's folder, or of the nearest folder above it in the
    repository, exports into the shell of everyone who works there (direnv loads it on entering the folder): those
    it ``export``s and those of the env files it loads (``dotenv .env.dev``, ``export $(cat .secrets.env |
    xargs)``). None when one such file is unknown (each user's own): any variable may come from it."""
    return project.once((__name__, "direnv", compose_file.parent),
                        lambda: _exported_by_direnv(project, compose_file.parent))


def _exported_by_direnv(project: Project, folder: Path) -> frozenset[str] | None:
    envrc = next((above / ".envrc" for above in (folder, *folder.parents)
                  if above.is_relative_to(project.boundary) and project.is_file(above / ".envrc")), None)
    text = _script_text(project, envrc) if envrc is not None else None
    if envrc is None or text is None:
        return frozenset()
    names = set(EXPORT.findall(text))
    for written in EXPORTED_FILE.findall(text) + [found or ".env" for found in DIRENV_DOTENV.findall(text)]:
        path = _resolve(project, envrc, written)
        values = project.env_values(path, quiet=True) if path is not None else None
        if values is None:
            return None
        names.update(values)
    return frozenset(names)


def _documented_env_files(project: Project, compose_file: Path) -> list[str]:
    """The env files the documentation's commands that run the compose file pass (the README's
    ``docker-compose --env-file .env.dev up --build``): each command on its own line, as a reader copies it."""
    return [written for text in project.running_documentation for line in text.splitlines()
            if len(line) <= MAX_LINE and "--env-file" in line and _runs(line, compose_file)
            for written in ENV_FILE_OPTION.findall(line)]


def run_only_by_ci(project: Project, compose_file: Path) -> bool:
    """Whether only CI runs the compose file, with the runner's variables: its name or folder says so
    (``docker-compose.ci.yaml``, ``docker-compose-e2e-tests.yml``, ``ci/compose.yaml``), or a pipeline or a CI
    script (in ``ci/``) names it, no other launch script does, and it is not a file Compose reads by default."""
    return project.once((__name__, "ci only", compose_file), lambda: _run_only_by_ci(project, compose_file))


def _run_only_by_ci(project: Project, compose_file: Path) -> bool:
    if CI_NAME.search(compose_file.name.rsplit(".", 1)[0]):
        return True
    if _in_ci_folder(project, compose_file):
        return True  # .github/compose.yaml, ci/docker-compose.yml
    if compose_file.name in DEFAULT_NAMES:
        return False
    named = _name_of(compose_file)
    by_ci = bool(_pipelines(project, compose_file))
    for script, text in _launch_scripts(project):
        if not named.search(text):
            continue
        if not _in_ci_folder(project, script):
            return False
        by_ci = True
    return by_ci


def _in_ci_folder(project: Project, path: Path) -> bool:
    """Whether a file of the repository lies in a CI folder (``ci/``, ``.github/``)."""
    return path.is_relative_to(project.boundary) and bool(
        CI_FOLDERS & {part.lower() for part in path.relative_to(project.boundary).parts[:-1]})


def left_empty_by_templates(project: Project, env_files: list[Path]) -> frozenset[str]:
    """The variables a committed env template leaves empty on purpose (``AWS_ACCESS_KEY_ID=""``): the template
    of ``.env``, of the env files given (a service's ``env_file:``), and those beside the compose file and at
    the repository's top (``.env.example``)."""
    folders = dict.fromkeys([project.root, project.boundary, *(path.parent for path in env_files)])
    templates = [project.template_for(path) for path in [project.root / ".env", *env_files]]
    for folder in folders:
        try:
            templates += sorted(entry for entry in folder.iterdir() if "env" in entry.name.lower()
                                and TEMPLATE_NAME.search(entry.name) and entry.is_file())
        except OSError:
            continue
    names: set[str] = set()
    for template in dict.fromkeys(path for path in templates if path is not None):
        names.update(name for name, var in project.env_file(template, quiet=True).items() if var.value == "")
    return frozenset(names)
