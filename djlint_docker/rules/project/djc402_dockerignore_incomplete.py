"""DJC402 dockerignore-incomplete: `.dockerignore` lets through something that should not be in the image."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from djlint_docker.edits import insert_lines
from djlint_docker.findings import Fix, Severity, Violation
from djlint_docker.parse.dockerignore import DockerIgnore, parse_dockerignore
from djlint_docker.parse.shell import program
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._copies import whole_context_copy
from djlint_docker.rules.project._context import copies_context
from djlint_docker.rules.project._dockerignore_patterns import Exclusions, exclusions
from djlint_docker.rules.snippets import COPY_ALL, MANAGE, POSTGRES_DATA_BIND, PYTHON_ENV_BASE


@rule("DJC402", "dockerignore-incomplete", Severity.WARNING, cross=True, fix="safe", examples=[
    Example("git-env-and-venv", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": "__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".env": "DEBUG=1\n", ".venv/pyvenv.cfg": "home = /usr/bin\n"},
            expect=((".dockerignore", 1),)),
    Example("data-dir-to-come", {"compose.yaml": POSTGRES_DATA_BIND, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
                                 ".dockerignore": ".git\n.env\n"}, expect=((".dockerignore", 1),)),
    Example("complete", {
        "compose.yaml": POSTGRES_DATA_BIND, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
        ".dockerignore": "**/.git\n.env*\n!.env.example\n.venv\n/data\n**/__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".env": "DEBUG=1\n", ".env.example": "DEBUG=\n",
        ".venv/pyvenv.cfg": "home = /usr/bin\n", "app/__pycache__/x.pyc": b"\x00"}),
    Example("copies-named-folders", {"Dockerfile": "FROM python:3.12-slim\nCOPY app /app\n", "manage.py": MANAGE,
                                     ".dockerignore": "*.md\n", ".git/HEAD": "ref\n"}),
    Example("env-file-below-the-root", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env\n", "app/.env": "DEBUG=1\n"},
            expect=((".dockerignore", 1),)),
    Example("env-file-let-in-again", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env*\n!.env\n", ".env": "DEBUG=1\n"},
            expect=((".dockerignore", 1),)),
    Example("env-files-everywhere-excluded", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/.env\n!.env.example\n",
        "app/.env": "DEBUG=1\n", ".env": "DEBUG=1\n", ".env.example": "DEBUG=\n"}),
    # The build reads the version from git and removes the history afterwards.
    Example("build-reads-git", {
        "Dockerfile": PYTHON_ENV_BASE + "RUN apt-get update && apt-get install -y --no-install-recommends git "
                      "&& rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\n"
                      "RUN git describe --tags --always > VERSION && rm -rf .git\n",
        "manage.py": MANAGE, ".dockerignore": ".env\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"}),
    Example("build-mounts-git", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\n"
                      "RUN --mount=type=bind,source=.git,target=/app/.git python manage.py write_version\n",
        "manage.py": MANAGE, ".dockerignore": ".env\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"}),
    Example("build-reads-git-and-env-sent", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\nRUN find . -type d -name .git | xargs rm -rf\n",
        "manage.py": MANAGE, ".dockerignore": "**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n",
        ".env": "DEBUG=1\n"}, expect=((".dockerignore", 1),)),
    Example("appends-what-is-missing-without-a-final-newline", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\n", "manage.py": MANAGE, ".env": "DEBUG=1\n",
        ".dockerignore": "# keep the image small\n**/__pycache__\n!keep.md", ".git/HEAD": "ref: refs/heads/main\n"},
            expect=((".dockerignore", 1),),
            fixed={".dockerignore": "# keep the image small\n**/__pycache__\n!keep.md\n.git\n.env*\n"}),
])
def dockerignore_incomplete(project: Project) -> Iterator[Violation]:
    """`.dockerignore` lets through something that should not be in the image.

    ## What it does
    For a Dockerfile that copies its whole context, lists what is in the context (or
    will be: the data directory a database service bind-mounts there) and is not
    excluded by the `.dockerignore`: `.git`, `.env` files (`.env.example` and the like
    are fine), virtualenv folders, the database data directory, `__pycache__` and
    `node_modules`. A SQLite database file is DJC413's. `.git` is not asked for when the
    Dockerfile reads it: copies or mounts it, runs `git` after copying the context (a
    version from `git describe`), or removes it once done.

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
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (`.dockerignore` with `.venv`, `.git`, `__pycache__`)
    - [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
      (`.env` and the database files kept out of the image)
    """
    done = set()
    for build in project.builds:
        path = project.dockerignore_path(build)
        ignore = project.dockerignore(build)
        copy = copies_context(build)
        text = project.text(path) if path is not None else None
        if path is None or ignore is None or copy is None or text is None or path in done:
            continue
        done.add(path)
        needed = exclusions(project, build, text)
        if reads_git(build):  # the build needs the repository's history (a version from `git describe`)
            needed = Exclusions(tuple(p for p in needed.sent if not _is_git(p)),
                                tuple(p for p in needed.patterns if not _is_git(p)))
        if needed.sent:
            shown = ", ".join(sorted(set(needed.sent)))
            added = ", ".join(needed.patterns)
            after_last_line = text.count("\n") + 2
            fix = Fix(f"add {added} to {path.name}",
                      (insert_lines(path, text, after_last_line, list(needed.patterns)),)) if needed.patterns else None
            advice = f"add {added}" if needed.patterns else "exclude them"
            yield Violation(Location(path, 1), f".dockerignore lets {shown} into the image{_why(ignore, needed.sent)}; "
                                              f"{advice}", related=(copy,), fix=fix)


def _why(ignore: DockerIgnore, sent: tuple[str, ...]) -> str:
    """Why a pattern the file has keeps a path in: a ``!`` line lets it back in, or it matches at the root only.

    ``.env`` and ``*.env`` match at the context's root alone; ``app/.env`` needs ``**/.env``.
    """
    for relative in sent:
        last = ignore.last_match(relative)
        if last >= 0 and ignore.patterns[last].exclusion:
            pattern = ignore.patterns[last]
            return f" (`!{pattern.text}` on line {pattern.line} lets {relative} in again)"
    for relative in sent:
        folder, _, name = relative.rpartition("/")
        if not folder:
            continue
        rooted = next((p for p in ignore.patterns if not p.exclusion and "/" not in p.text
                       and parse_dockerignore(p.text).excludes(name)), None)
        if rooted is not None:
            return f" (`{rooted.text}` on line {rooted.line} matches at the context's root only)"
    return ""


GIT_FOLDER = re.compile(r"(?:^|[\s,=/])\.git(?:$|[\s,/\"'])")
"""``.git`` as a path in an instruction's text: ``COPY .git``, ``--mount=...,source=.git``, ``-name .git``."""


def reads_git(build: ImageBuild) -> bool:
    """Whether the Dockerfile reads the repository's ``.git``: copies it (``COPY .git .git``), mounts it
    (``RUN --mount=type=bind,source=.git,...``), runs ``git`` after copying the whole context (``git describe``,
    ``git rev-parse HEAD``), or removes the ``.git`` it copied once done (``find . -name .git | xargs rm -rf``)."""
    dockerfile = build.dockerfile
    if dockerfile is None:
        return False
    copied = False
    for instruction in dockerfile.instructions:
        if instruction.keyword in {"COPY", "ADD"} and instruction.flag("from") is None:
            sources = list(instruction.exec_form or instruction.words())[:-1]
            if any(_is_git(source.rstrip("/")) for source in sources if not source.startswith("--")):
                return True
            copied = copied or whole_context_copy(instruction)
        elif instruction.keyword == "RUN":
            if any(GIT_FOLDER.search(value or "") for key, value in instruction.flags if key == "mount"):
                return True
            if copied and any(program(command) == "git" or (program(command) in {"rm", "find", "xargs"}
                                                            and any(_is_git(w) for w in command.words))
                              for command in instruction.commands):
                return True
    return False


def _is_git(path: str) -> bool:
    """Whether a context path or a pattern names a ``.git`` folder (``.git``, ``**/.git``, ``lib/.git``)."""
    return posixpath.basename(path.rstrip("/").strip("\"'")) == ".git"
