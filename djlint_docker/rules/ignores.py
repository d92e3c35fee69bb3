"""What `docker build` and git should leave out: `.dockerignore`, `.gitignore`, env files, databases."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.edits import insert_lines
from djlint_docker.findings import Fix, Severity, Violation
from djlint_docker.parse.dockerignore import parse_dockerignore
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.records import record
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose import data_mounts
from djlint_docker.rules.dockerfile import secret_name, whole_context_copy
from djlint_docker.rules.snippets import MANAGE

COPY_ALL = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
EXAMPLE_ENV = re.compile(r"[._-](example|sample|template|dist|tpl|defaults?)$|^\.env\.(example|sample|template)", re.I)
SQLITE_FILE = re.compile(r".*\.sqlite3?$")
DB_PG = ("services:\n  db:\n    image: postgres:16\n    volumes:\n      - ./data/db:/var/lib/postgresql/data\n"
         "  web:\n    build: .\n")


def is_env_file(path: Path) -> bool:
    """``.env``, ``.env.prod``, ``prod.env``: an env file that is not an example to copy."""
    return is_env_name(path.name)


def is_env_name(name: str) -> bool:
    """Whether a file of this name is an env file that is not an example to copy."""
    return (name == ".env" or name.startswith(".env.") or name.endswith(".env")) and not EXAMPLE_ENV.search(name)


def _copies_context(build: ImageBuild) -> Location | None:
    dockerfile = build.dockerfile
    if dockerfile is None:
        return None
    copy = next((i for i in dockerfile.instructions if whole_context_copy(i)), None)
    return dockerfile.at(copy) if copy else None


def _relative(path: Path, folder: Path) -> str:
    return os.path.relpath(path, folder).replace(os.sep, "/")


@rule("DJC402", "dockerignore-incomplete", Severity.WARNING, cross=True, fix="safe", examples=[
    Example("git-env-and-venv", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": "__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n",
        ".env": "DEBUG=1\n", ".venv/pyvenv.cfg": "home = /usr/bin\n"}, expect=((".dockerignore", 1),)),
    Example("data-dir-to-come", {"compose.yaml": DB_PG, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
                                 ".dockerignore": ".git\n.env\n"}, expect=((".dockerignore", 1),)),
    Example("complete", {
        "compose.yaml": DB_PG, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
        ".dockerignore": "**/.git\n.env*\n!.env.example\n.venv\n/data\n**/__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".env": "DEBUG=1\n", ".env.example": "DEBUG=\n",
        ".venv/pyvenv.cfg": "home = /usr/bin\n", "app/__pycache__/x.pyc": b"\x00"}),
    Example("copies-named-folders", {"Dockerfile": "FROM python:3.12-slim\nCOPY app /app\n", "manage.py": MANAGE,
                                     ".dockerignore": "*.md\n", ".git/HEAD": "ref\n"}),
])
def dockerignore_incomplete(project: Project) -> Iterator[Violation]:
    """`.dockerignore` lets through something that should not be in the image.

    ## What it does
    For a Dockerfile that copies its whole context, lists what is in the context (or
    will be: the data directory a database service bind-mounts there) and is not
    excluded by the `.dockerignore`: `.git`, `.env` files (`.env.example` and the like
    are fine), virtualenv folders, the database data directory, `__pycache__` and
    `node_modules`. A SQLite database file is DJC413's.

    ## Why is this bad?
    Each of them lands in the image: `.git` and `node_modules` make it large and the
    build slow, `.env` puts secrets into a layer anyone with the image can read, a
    virtualenv built on the host shadows the image's packages, and a database
    directory owned by the container's user breaks the build.

    ## Example
    ```
    __pycache__
    ```
    with `.git`, `.env` and `.venv` in the folder. Use instead:
    ```
    .git
    .env*
    !.env.example
    .venv
    **/__pycache__
    ```

    ## Fix safety
    Safe: the fix appends the missing patterns to the `.dockerignore` the build reads,
    each checked with Docker's own matching to keep out the path it is for (`.env*`
    matches at the context's root only: an env file in a subfolder gets `**/.env*`),
    never one the file already has. An env example (`.env.example`) a new pattern
    would keep out is let in again with a `!` line, as Dockerfiles copy it.

    ## References
    - Seed 001 (`.dockerignore` with `.venv`, `.git`, `__pycache__`)
    - Seed 004 (`.env` and the database files kept out of the image)
    - [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    """
    done = set()
    for build in project.builds:
        path = project.dockerignore_path(build)
        ignore = project.dockerignore(build)
        copy = _copies_context(build)
        text = project.text(path) if path is not None else None
        if path is None or ignore is None or copy is None or text is None or path in done:
            continue
        done.add(path)
        needed = exclusions(project, build, text)
        if needed.sent:
            shown = ", ".join(sorted(set(needed.sent)))
            added = ", ".join(needed.patterns)
            fix = Fix(f"add {added} to {path.name}", (insert_lines(path, text, text.count("\n") + 2,
                                                                   list(needed.patterns)),)) if needed.patterns else None
            advice = f"add {added}" if needed.patterns else "exclude them"
            yield Violation(Location(path, 1), f".dockerignore lets {shown} into the image; {advice}",
                            related=(copy,), fix=fix)


ENV_PATTERNS = (".env*", "**/.env*", "*.env", "**/*.env")
PATTERN_ORDER = (".git", "**/.git", *ENV_PATTERNS, "**/__pycache__", "**/node_modules")


@record
class Exclusions:
    """What a context lets into the image that it should not, and the ``.dockerignore`` lines that keep it out."""

    sent: tuple[str, ...]  # what the context lets in, relative to it: one path of each kind (.git, env files...)
    patterns: tuple[str, ...]  # lines to append: patterns, and ``!`` lines for the env examples they would hide


def exclusions(project: Project, build: ImageBuild, text: str, baseline: tuple[str, ...] = ()) -> Exclusions:
    """The lines a ``.dockerignore`` holding ``text`` needs so that the context sends nothing an image should not hold.

    Each path gets the first of its candidate patterns that Docker's matcher says keeps
    it out once appended (``.env*`` matches only at the context's root, ``**/.env*``
    anywhere), and never a pattern the file already has. ``baseline`` patterns are added
    anyway, for what is not there yet. An env example (``.env.example``) a new pattern
    would hide is re-included, as a Dockerfile may copy it.
    """
    before = parse_dockerignore(text)
    present = {pattern.text for pattern in before.patterns}
    added = [pattern for pattern in baseline if _normal(pattern) not in present]
    present.update(_normal(pattern) for pattern in added)
    current = parse_dockerignore(_appended(text, added))
    sent: list[str] = []
    shown: dict[str, str] = {}  # the first path of each kind, by its first candidate pattern
    for relative, candidates in _unwanted(project, build):
        if before.excludes(relative):
            continue
        sent.append(relative)
        shown.setdefault(candidates[0], relative)
        if current.excludes(relative):
            continue
        for pattern in candidates:
            if _normal(pattern) in present:
                continue
            trial = parse_dockerignore(_appended(text, [*added, pattern]))
            if trial.excludes(relative):
                added.append(pattern)
                present.add(_normal(pattern))
                current = trial
                break
    added.sort(key=lambda pattern: (PATTERN_ORDER.index(pattern) if pattern in PATTERN_ORDER else len(PATTERN_ORDER),
                                    pattern))
    examples = [entry.relative for entry in project.context_entries(build)
                if not entry.is_dir and ".env" in entry.name and EXAMPLE_ENV.search(entry.name)]
    hidden = [relative for relative in examples if not before.excludes(relative) and current.excludes(relative)]
    if hidden:
        # Right after the env patterns: the patterns after them keep out folders, not env files.
        at = max((index + 1 for index, pattern in enumerate(added) if pattern in ENV_PATTERNS), default=len(added))
        kept = [*added[:at], *(f"!{_literal(relative)}" for relative in hidden), *added[at:]]
        final = parse_dockerignore(_appended(text, kept))
        if not any(final.excludes(relative) for relative in hidden) and all(final.excludes(r) for r in sent):
            added = kept
    return Exclusions(tuple(shown.values()), tuple(added))


def _unwanted(project: Project, build: ImageBuild) -> list[tuple[str, tuple[str, ...]]]:
    """What the context holds (or will) that an image should not: each path, with the patterns that may keep it out.

    ``.git``, env files, virtualenvs, ``__pycache__``, ``node_modules`` and the data
    directories that database services bind-mount inside the context (present or to
    come). The patterns come best first; the last is always the path itself.
    """
    found: list[tuple[str, tuple[str, ...]]] = []
    for entry in project.context_entries(build):
        name, relative = entry.name, entry.relative
        if name == ".git":
            found.append((relative, (".git", "**/.git")))
        elif not entry.is_dir and is_env_name(name):
            found.append((relative, ENV_PATTERNS))
        elif name == "pyvenv.cfg" and "/" in relative:
            folder = relative.rpartition("/")[0]
            found.append((folder, (folder,)))
        elif entry.is_dir and name in {"__pycache__", "node_modules"}:
            found.append((relative, (f"**/{name}",)))
    for _, _, _, source in data_mounts(project):
        if source.is_relative_to(build.context) and source != build.context:
            relative = _relative(source, build.context)
            found.append((relative, (f"/{relative}",)))
    return [(relative, tuple(dict.fromkeys((*candidates, _literal(relative))))) for relative, candidates in found]


def _literal(relative: str) -> str:
    """A pattern for just one path of the context: wildcards escaped, anchored when ``#`` or ``!`` starts the name."""
    escaped = re.sub(r"[\r\n]", "?", re.sub(r"([*?\[\\])", r"\\\1", relative))  # a pattern is one line
    return escaped if escaped == relative and not relative.startswith(("#", "!")) else f"/{escaped}"


def _normal(pattern: str) -> str:
    """A pattern as the matcher reads it (``/data`` and ``data/`` are ``data``), to compare with the file's."""
    parsed = parse_dockerignore(pattern).patterns
    return parsed[0].text if parsed else pattern


def _appended(text: str, lines: list[str]) -> str:
    """``text`` with ``lines`` after its last line, as the fix writes them."""
    if not lines:
        return text
    return text + ("\n" if text and not text.endswith("\n") else "") + "\n".join(lines) + "\n"


def _in_git(project: Project) -> bool:
    return (project.boundary / ".git").exists() or (project.root / ".gitignore").is_file()


def _gitignored(project: Project, path: Path) -> bool:
    """Whether git ignores a path, or everything in it when it is (or will be) a folder."""
    return project.gitignored(path, folder=True) or project.gitignored(path / "placeholder")


def _secrets(project: Project, path: Path) -> list[tuple[str, int]]:
    return [(name, var.line) for name, var in project.env_file(path).items() if secret_name(name) and var.value]


DEVELOPMENT_ENV = re.compile(r"(^|[._-])(dev|development|local|test|tests|testing|ci)([._-]|$)", re.I)


def _env_files(project: Project) -> list[Path]:
    """The env files of the setup that may hold real secrets: not examples, not development files."""
    found = {p for p in project.root.iterdir() if p.is_file() and is_env_file(p)} if project.root.is_dir() else set()
    found |= {ref.path for service in project.services for ref in service.env_files
              if ref.path.is_file() and not EXAMPLE_ENV.search(ref.path.name)}
    return sorted(p for p in found if p.is_relative_to(project.boundary) and not DEVELOPMENT_ENV.search(p.name))


@rule("DJC403", "data-dir-not-gitignored", Severity.WARNING, cross=True, fix="safe", examples=[
    Example("data-dir", {"compose.yaml": DB_PG, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
                         ".gitignore": "__pycache__/\n", ".dockerignore": "/data\n"}, expect=(("compose.yaml", 5),)),
    Example("dotenv-without-secrets", {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": COPY_ALL,
                                       "manage.py": MANAGE, ".gitignore": "*.pyc\n", ".env": "DEBUG=1\nTZ=UTC\n"},
            expect=((".env", 1),)),
    Example("ignored", {"compose.yaml": DB_PG, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
                        ".gitignore": "/data/\n.env\n", ".env": "DEBUG=1\n"}),
    Example("not-a-git-project", {"compose.yaml": DB_PG, "Dockerfile": COPY_ALL, "manage.py": MANAGE}),
])
def data_dir_not_gitignored(project: Project) -> Iterator[Violation]:
    """The database data directory or `.env` is not in `.gitignore`.

    ## What it does
    In a project under git (a `.git` folder or a `.gitignore`), reports a database
    data directory bind-mounted from inside the project and the `.env` beside the
    compose file when `.gitignore` (every one from the repository root down, with
    git's own matching rules) does not ignore them. A `.env` holding secrets is
    DJC412's.

    ## Why is this bad?
    `git add .` then commits the database's files (megabytes of binary pages, often
    unreadable to the user because the container owns them) or the local settings in
    `.env`, and every clone gets them.

    ## Example
    ```yaml
    volumes:
      - ./data/db:/var/lib/postgresql/data
    ```
    with no `data` in `.gitignore`. Use instead: add `/data/` and `.env` to
    `.gitignore`, or use a named volume.

    ## Fix safety
    Safe: the fix appends the paths to `.gitignore`.

    ## References
    - Seed 000 (the `data/db` folder the database creates in the project)
    - [git: gitignore](https://git-scm.com/docs/gitignore)
    """
    if not _in_git(project):
        return
    gitignore = project.root if project.is_file(project.root / ".gitignore") else project.boundary
    for _, _, mount, source in data_mounts(project):
        if source.is_relative_to(gitignore) and not _gitignored(project, source):
            pattern = f"/{_relative(source, gitignore)}/"
            yield Violation(mount.location, f"the database data directory {project.display(source)} is not in "
                                            f".gitignore: `git add .` commits the database; add "
                                            f"{pattern} to {project.display(gitignore / '.gitignore')}",
                            fix=_gitignore_fix(project, gitignore / ".gitignore", pattern))
    dotenv = project.root / ".env"
    if dotenv.is_file() and dotenv.is_relative_to(project.boundary) and not project.gitignored(dotenv) \
            and not _secrets(project, dotenv):
        pattern = ".env" if gitignore == project.root else f"/{_relative(dotenv, gitignore)}"
        yield Violation(Location(dotenv, 1), f"{project.display(dotenv)} is not in .gitignore: local settings get "
                                             f"committed; add .env to .gitignore and commit a .env.example instead",
                        fix=_gitignore_fix(project, gitignore / ".gitignore", pattern))


def _gitignore_fix(project: Project, path: Path, pattern: str) -> Fix:
    """``pattern`` as a new last line of the ``.gitignore`` (created when there is none)."""
    text = project.text(path) or ""
    return Fix(f"add {pattern} to .gitignore", (insert_lines(path, text, text.count("\n") + 2, [pattern]),))


@rule("DJC412", "env-file-committed", Severity.WARNING, cross=True, examples=[
    Example("dotenv-with-password", {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n",
                                     "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": ".env\n",
                                     ".env.prod": "DEBUG=0\nSECRET_KEY=9f8a7b6c5d\n"}, expect=((".env.prod", 2),)),
    Example("ignored", {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n",
                        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": ".env*\n!.env.example\n",
                        ".env.prod": "SECRET_KEY=9f8a7b6c5d\n", ".env.example": "SECRET_KEY=\n"}),
    Example("sample-in-env-folder", {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env/.prod-sample\n",
                                     "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "*.pyc\n",
                                     ".env/.prod-sample": "SECRET_KEY=not-a-real-one\n"}),
    Example("no-secret-values", {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": COPY_ALL,
                                 "manage.py": MANAGE, ".gitignore": "*.pyc\n", ".env.dev": "SECRET_KEY=\nDEBUG=1\n"}),
])
def env_file_committed(project: Project) -> Iterator[Violation]:
    """An env file with secrets is not ignored by git.

    ## What it does
    In a project under git, reads the env files beside the compose file (`.env`,
    `.env.prod`, `prod.env`...) and those `env_file:` names, and reports the first
    secret (`SECRET_KEY`, `*PASSWORD*`, `*TOKEN*`...) with a value in each file that
    `.gitignore` does not ignore. Examples meant to be copied (`.env.example`,
    `.env.sample`, `.env.template`) and development files (`.env.dev`, `.env.local`,
    `.env.test`), which projects commit on purpose with throwaway values, are not
    reported.

    ## Why is this bad?
    Once committed and pushed, the secret is in the history of every clone and fork;
    removing the file later does not remove it. It must be rotated.

    ## Example
    ```
    # .env.prod, committed
    SECRET_KEY=9f8a7b6c5d
    ```
    Use instead: add `.env*` and `!.env.example` to `.gitignore`, commit an
    `.env.example` with empty values.

    ## References
    - Seed 002 (`.env` kept out of version control)
    - [git: gitignore](https://git-scm.com/docs/gitignore)
    """
    if not _in_git(project):
        return
    for path in _env_files(project):
        secrets = _secrets(project, path)
        if secrets and not project.gitignored(path):
            name, line = secrets[0]
            yield Violation(Location(path, line), f"{project.display(path)} holds {name} and is not in .gitignore: "
                                                  f"a commit publishes it; add it to .gitignore")


@rule("DJC413", "sqlite-file-in-context", Severity.WARNING, cross=True, examples=[
    Example("startproject-database", {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n",
                                      "db.sqlite3": b"SQLite format 3\x00"}, expect=(("Dockerfile", 5),)),
    Example("excluded", {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": "*.sqlite3\n",
                         "db.sqlite3": b"SQLite format 3\x00"}),
    Example("named-copies", {"Dockerfile": "FROM python:3.12-slim\nCOPY app /app\n", "manage.py": MANAGE,
                             "db.sqlite3": b"SQLite format 3\x00"}),
])
def sqlite_file_in_context(project: Project) -> Iterator[Violation]:
    """A SQLite database file is copied into the image.

    ## What it does
    Reports a `db.sqlite3` (or other `*.sqlite3` file) in a build context that the
    Dockerfile copies whole, when `.dockerignore` does not exclude it.

    ## Why is this bad?
    The developer's database, with its users and password hashes, ships in the image;
    the container starts with stale data that is overwritten by the next build, and
    writes to it are lost with the container.

    ## Example
    ```
    COPY . .
    ```
    with `db.sqlite3` next to `manage.py`. Use instead: add `*.sqlite3` to
    `.dockerignore` and keep the database in a volume.

    ## References
    - Seed 004 (`db.sqlite3` listed in `.dockerignore`)
    """
    for build in project.builds:
        copy = _copies_context(build)
        if copy is None:
            continue
        files = [e.path for e in project.context_entries(build) if not e.is_dir and SQLITE_FILE.match(e.name)]
        if files:
            shown = ", ".join(project.display(p) for p in files[:3])
            yield Violation(copy, f"{shown} is copied into the image: the development database ships with it; "
                                  f"add *.sqlite3 to .dockerignore", related=(Location(files[0]),))
