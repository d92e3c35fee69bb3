"""What the repository's CI pipelines give a compose file they run: the variables of their ``env:`` and the files
their steps write.

A pipeline that deploys (``docker stack deploy -c docker-compose.prod.yml``) or builds
(``docker compose -f docker-compose.ci.yml build``) names the compose file it runs; the
variables it sets (``env:`` at any level, ``variables:`` of GitLab, names written to
``$GITHUB_ENV``) are set for that run, and the env file a step writes (``echo ... >> .env``)
exists when the stack starts. A file the pipeline gives to ``docker stack deploy`` is a Swarm
stack file, which the Docker CLI reads by its own rules (its ``version:`` picks a schema).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast
from weakref import WeakKeyDictionary

from djlint_docker.project import Project

PIPELINE_FOLDERS = (".github/workflows", ".circleci", ".gitea/workflows", ".forgejo/workflows")
PIPELINE_FILES = (".gitlab-ci.yml", "bitbucket-pipelines.yml", "azure-pipelines.yml", ".drone.yml",
                  ".woodpecker.yml")
MAX_PIPELINES = 30
MAX_PIPELINE_BYTES = 1 << 18
ENV_BLOCK = re.compile(r"^(\s*)(?:-\s+)?(?:env|variables|environment):\s*(?:#.*)?$")
KEY = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:")
EXPORTED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)=[^\n]*>>\s*[\"']?\$\{?GITHUB_ENV\b")
"""``echo "SHORT_SHA=${GITHUB_SHA::7}" >> $GITHUB_ENV``: a variable the following steps get."""
WRITTEN = re.compile(r"(?:>>?|\btee\s+(?:-a\s+)?)\s*[\"']?([\w./${}-]+)")


_FOUND: WeakKeyDictionary[Project, dict[tuple[str, Path], object]] = WeakKeyDictionary()
"""What each question asked of a compose file's pipelines answered, per project: DJC214 asks once per variable."""

T = TypeVar("T")


def _once(project: Project, question: str, compose_file: Path, answer: Callable[[], T]) -> T:
    known = _FOUND.setdefault(project, {})
    if (question, compose_file) not in known:
        known[question, compose_file] = answer()
    return cast(T, known[question, compose_file])


def _pipelines(project: Project, compose_file: Path) -> list[str]:
    """The texts of the CI pipelines that name the compose file (by its file name)."""
    return _once(project, "texts", compose_file, lambda: _read_pipelines(project, compose_file))


def _read_pipelines(project: Project, compose_file: Path) -> list[str]:
    top = project.boundary
    paths = [top / name for name in PIPELINE_FILES]
    for folder in PIPELINE_FOLDERS:
        try:
            paths += sorted(entry for entry in (top / folder).iterdir() if entry.suffix in {".yml", ".yaml"})
        except OSError:
            continue
    named = _name_of(compose_file)
    texts = []
    for path in paths[:MAX_PIPELINES]:
        try:
            if not path.is_file() or path.stat().st_size > MAX_PIPELINE_BYTES:
                continue
        except OSError:
            continue
        text = project.text(path)
        if text is not None and named.search(text):
            texts.append(text)
    return texts


def _name_of(compose_file: Path) -> re.Pattern[str]:
    """The file's name as a word: compose.yaml is not in docker-compose.yaml."""
    return re.compile(rf"(?<![\w.-]){re.escape(compose_file.name)}(?![\w-])")


def set_by_pipeline(project: Project, compose_file: Path) -> frozenset[str]:
    """The variables a CI pipeline running the compose file sets: the keys of its ``env:``/``variables:``
    blocks and the names its steps write to ``$GITHUB_ENV``."""
    return _once(project, "variables", compose_file, lambda: _set_by_pipelines(project, compose_file))


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
    return frozenset(names)


def written_by_pipeline(project: Project, compose_file: Path, env_file: Path) -> bool:
    """Whether a CI pipeline running the compose file writes a file of the env file's name
    (``echo "SECRET_KEY=${{ secrets.SECRET_KEY }}" >> .env``) before it starts the stack."""
    return any(Path(target).name == env_file.name for text in _pipelines(project, compose_file)
               for target in WRITTEN.findall(text))


STACK_DEPLOY = re.compile(r"\bstack\s+(?:deploy|up)\b")


def deployed_as_swarm_stack(project: Project, compose_file: Path) -> bool:
    """Whether a CI pipeline gives the compose file to ``docker stack deploy`` (the Docker CLI, not Compose): a
    line of it deploys a stack and names the file."""
    named = _name_of(compose_file)
    return any(STACK_DEPLOY.search(line) and named.search(line)
               for text in _pipelines(project, compose_file) for line in text.splitlines())
