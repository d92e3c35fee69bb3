"""DJC403 data-dir-not-gitignored: The database data directory or `.env` is not in `.gitignore`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.edits import insert_lines
from djlint_docker.findings import Fix, Severity, Violation
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._mounts import data_mounts
from djlint_docker.rules.compose._stack import copied_elsewhere
from djlint_docker.rules.dockerfile._secrets import secret_name
from djlint_docker.rules.project._context import posix_relative
from djlint_docker.rules.project._git import env_secrets, in_git
from djlint_docker.rules.snippets import COPY_ALL, MANAGE, POSTGRES_DATA_BIND


@rule("DJC403", "data-dir-not-gitignored", Severity.WARNING, cross=True, fix="safe", examples=[
    Example("data-dir", {"compose.yaml": POSTGRES_DATA_BIND, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
                         ".gitignore": "__pycache__/\n", ".dockerignore": "/data\n"}, expect=(("compose.yaml", 5),)),
    Example("dotenv-without-secrets", {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": COPY_ALL,
                                       "manage.py": MANAGE, ".gitignore": "*.pyc\n", ".env": "DEBUG=1\nTZ=UTC\n"},
            expect=((".env", 1),)),
    Example("ignored", {"compose.yaml": POSTGRES_DATA_BIND, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
                        ".gitignore": "/data/\n.env\n", ".env": "DEBUG=1\n"}),
    Example("dotenv-with-compose-settings-only", {"compose.yaml": "services:\n  web:\n    build: .\n",
                                                  "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "*.pyc\n",
                                                  ".env": "COMPOSE_PROJECT_NAME=shop\n"}),
    # PGDATA puts the data in a subfolder of the mounted folder, which is ignored; the init script beside it is not.
    Example("data-in-an-ignored-subfolder-of-the-mount", {
        "compose.yaml": "services:\n  db:\n    image: postgres:17-alpine\n    env_file: .env.db\n    volumes:\n"
                        "      - ./database/init.sql:/docker-entrypoint-initdb.d/init.sql\n"
                        "      - ./database:/var/lib/postgresql/data\n",
        ".env.db": "PGDATA=/var/lib/postgresql/data/pgdata\n", ".gitignore": "**/database/pgdata/\n",
        "database/init.sql": "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n", ".git/HEAD": "ref\n"}),
    # The data directory is the project folder: DJC205 reports the mount; `/./` in .gitignore would ignore everything.
    Example("project-folder-mounted-as-the-data-directory", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n      - .:/var/lib/postgresql/data\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "__pycache__/\n", ".dockerignore": ".git\n"}),
    Example("not-a-git-project", {"compose.yaml": POSTGRES_DATA_BIND, "Dockerfile": COPY_ALL, "manage.py": MANAGE}),
    Example("data-dir-and-env-appended-to-the-gitignore", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                        "      - ./data/db:/var/lib/postgresql/data\n",
        ".gitignore": "*.pyc\r\n# local\r\n", ".dockerignore": "/data\n.env\n", ".env": "DEBUG=1\n",
        ".git/HEAD": "ref\n"},
            expect=(("compose.yaml", 5), (".env", 1)),
            fixed={".gitignore": "*.pyc\r\n# local\r\n.env\r\n/data/db/\r\n"}),
])
def data_dir_not_gitignored(project: Project) -> Iterator[Violation]:
    """The database data directory or `.env` is not in `.gitignore`.

    ## What it does
    In a project under git (a `.git` folder or a `.gitignore`), reports a database
    data directory bind-mounted from inside the project and the `.env` beside the
    compose file when `.gitignore` (every one from the repository root down, with
    git's own matching rules) does not ignore them. A `.env` holding secrets is
    DJC412's; one that sets only Compose's own variables (`COMPOSE_PROJECT_NAME`), or one
    that git already tracks and that names no secret at all (a port the compose file
    requires), is committed on purpose; one whose secrets hold placeholders is where users
    will write the real ones. A `.env` that `.gitignore` lists but git tracks (added before
    the line, or forced) is not reported: `.gitignore` already says what this rule asks,
    and a committed secret in it is DJC412's.

    An install recipe or an example of the documentation (`docs/`, `examples/`) is copied
    to a folder of the reader's: its data folder is not the project's. A data directory
    mounted from the folder holding the compose file or a Dockerfile (`.:/var/lib/postgresql/data`)
    is the project itself: DJC205 reports the mount, and ignoring that folder would ignore
    the project.

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
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (the `data/db` folder the database creates in the project)
    - [git: gitignore](https://git-scm.com/docs/gitignore)
    """
    if not in_git(project):
        return
    gitignore = project.root if project.is_file(project.root / ".gitignore") else project.boundary
    if copied_elsewhere(project):
        return  # an install recipe or a documentation example: its data folder is in the reader's own folder
    for _, _, mount, source in data_mounts(project):
        if any(path.is_relative_to(source) for path in (*project.setup.compose_files, *project.setup.dockerfiles)):
            continue  # the project's own folder (`.:/var/lib/postgresql/data`): DJC205's; ignoring it ignores all
        if source.is_relative_to(gitignore) and not project.gitignores_folder(source) \
                and not _mounted_by_an_earlier_stack(project, source):
            pattern = f"/{posix_relative(source, gitignore)}/"
            yield Violation(mount.location, f"the database data directory {project.display(source)} is not in "
                                            f".gitignore: `git add .` commits the database; add "
                                            f"{pattern} to {project.display(gitignore / '.gitignore')}",
                            fix=_gitignore_fix(project, gitignore / ".gitignore", pattern))
    dotenv = project.root / ".env"
    if os.path.isfile(dotenv) and dotenv.is_relative_to(project.boundary) and not project.gitignore_lists(dotenv) \
            and not (project.tracked(dotenv) and not any(secret_name(name) for name in project.env_file(dotenv))) \
            and not env_secrets(project, dotenv) and not _compose_settings_only(project, dotenv):
        pattern = ".env" if gitignore == project.root else f"/{posix_relative(dotenv, gitignore)}"
        yield Violation(Location(dotenv, 1), f"{project.display(dotenv)} is not in .gitignore: local settings get "
                                             f"committed; add .env to .gitignore and commit a .env.example instead",
                        fix=_gitignore_fix(project, gitignore / ".gitignore", pattern))


def _mounted_by_an_earlier_stack(project: Project, source: Path) -> bool:
    """Whether another stack of the project, of a compose file named before this one's, keeps its database in the same
    folder: one line of .gitignore covers both, and the finding is that stack's."""
    first = project.setup.compose_files[:1]
    return bool(first) and any(
        other.setup.compose_files[:1] < first and any(found == source for _, _, _, found in data_mounts(other))
        for other in project.related if other.setup.compose_files)


def _compose_settings_only(project: Project, path: Path) -> bool:
    """Whether an ``.env`` sets Compose's own variables only (``COMPOSE_PROJECT_NAME``): committed on purpose."""
    names = list(project.env_file(path))
    return bool(names) and all(name.startswith("COMPOSE_") for name in names)


def _gitignore_fix(project: Project, path: Path, pattern: str) -> Fix:
    """``pattern`` as a new last line of the ``.gitignore`` (created when there is none)."""
    text = project.text(path) or ""
    return Fix(f"add {pattern} to .gitignore", (insert_lines(path, text, text.count("\n") + 2, [pattern]),))
