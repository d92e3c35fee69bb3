"""DJC4xx: the project as a whole: build contexts, the file system, requirements and scripts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.edits import insert_lines
from djlint_docker.findings import Fix, Severity, Violation
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile import whole_context_copy
from djlint_docker.rules.ignores import exclusions
from djlint_docker.rules.snippets import MANAGE

COPY_ALL = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"


@rule("DJC401", "dockerignore-missing", Severity.ERROR, cross=True, fix="safe", examples=[
    Example("no-dockerignore", {"Dockerfile": COPY_ALL, "manage.py": MANAGE}, expect=(("Dockerfile", 5),)),
    Example("compose-context-subfolder", {
        "compose.yaml": "services:\n  web:\n    build: ./app\n", "app/Dockerfile": "FROM python:3.12-slim\nADD . /code/\n",
        "app/manage.py": MANAGE, ".dockerignore": ".git\n"}, expect=(("app/Dockerfile", 2),)),
    Example("has-dockerignore", {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.venv\n.env\n"}),
    Example("dockerfile-specific-ignore", {"Dockerfile.prod": COPY_ALL, "manage.py": MANAGE,
                                           "Dockerfile.prod.dockerignore": ".git\n"}),
    Example("copies-named-files", {"Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt manage.py /app/\n",
                                   "manage.py": MANAGE}),
])
def dockerignore_missing(project: Project) -> Iterator[Violation]:
    """The whole build context is copied and there is no `.dockerignore`.

    ## What it does
    Reports the first `COPY . …`/`ADD . …` of a Dockerfile whose build context has no
    `.dockerignore` (nor a `<Dockerfile>.dockerignore` beside the Dockerfile).

    ## Why is this bad?
    Everything in the folder goes into the image: `.git` with its history, virtualenvs
    built for another system, `.env` files with secrets, `db.sqlite3` and the database
    data directory. Images grow, secrets leak, and builds slow down or fail.

    ## Example
    ```dockerfile
    COPY . .
    ```
    with no `.dockerignore` beside it. Use instead: a `.dockerignore` such as
    ```
    .git
    .venv
    .env
    __pycache__
    db.sqlite3
    ```

    ## Fix safety
    Safe: the fix writes a `.dockerignore` in the build context (where every builder
    reads it, also when compose builds from `..`) with `.git`, `.env*` and
    `__pycache__`, and patterns for what the context holds that an image should not,
    as DJC402 chooses them.

    ## References
    - Seed 001 (a `.dockerignore` with `.venv`, `.git`, `.gitignore`)
    - [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    """
    for build, dockerfile in project.dockerfiles:
        if project.dockerignore_path(build) is not None:
            continue
        copy = next((i for i in dockerfile.instructions if whole_context_copy(i)), None)
        if copy is not None:
            yield Violation(dockerfile.at(copy),
                            f"`{copy.keyword} {copy.args}` sends the whole context "
                            f"{project.display(build.context)} into the image and it has no .dockerignore: "
                            f".git, virtualenvs and .env secrets go in; add a .dockerignore",
                            fix=_new_dockerignore(project, build))


BASELINE = (".git", ".env*", "**/__pycache__")


def _new_dockerignore(project: Project, build: ImageBuild) -> Fix:
    """A ``.dockerignore`` in the context: the usual entries and what the context holds that an image should not.

    In the context, where every builder reads it (``<Dockerfile>.dockerignore`` is BuildKit's only).
    """
    patterns = list(exclusions(project, build, "", BASELINE).patterns)
    path = build.context / ".dockerignore"
    return Fix(f"create {project.display(path)}", (insert_lines(path, "", 1, patterns),))


def _repair(project: Project, path: Path, context: Path) -> str:
    relative = os.path.relpath(path, context).replace(os.sep, "/")
    shown = project.display(path)
    return f"add `/{relative}` to .dockerignore, or run `sudo chown -R $(id -u):$(id -g) {shown}`"


def _bind_mounts(project: Project) -> dict[Path, Location]:
    return {Path(m.source): m.location for s in project.services for m in s.volumes if m.type == "bind" and m.source}


@rule("DJC404", "root-owned-data-dir", Severity.ERROR, cross=True)
def root_owned_data_dir(project: Project) -> Iterator[Violation]:
    """A folder in the build context cannot be read, or belongs to root.

    ## What it does
    Looks at the real file system of every build context, skipping what
    `.dockerignore` excludes. Reports a folder the user running djcheck cannot read,
    or (when djcheck does not run as root) a folder owned by root: typically the
    database data directory a container created through a bind mount. Files owned by
    root, such as the project created with `docker compose run web django-admin
    startproject`, are reported as a warning. Each finding says which `.dockerignore`
    line or `chown` repairs it.

    ## Why is this bad?
    `docker build` reads the whole context and stops with "error checking context:
    can't stat …" on a folder it cannot read. What root owns, the developer cannot
    edit or delete without `sudo`.

    ## Example
    ```yaml
    volumes:
      - ./data/db:/var/lib/postgresql/data   # creates data/db owned by the container
    ```
    Use instead: a named volume, or exclude the folder:
    ```
    # .dockerignore
    /data
    ```

    ## References
    - Seed 000 (`sudo chown -R $USER:$USER .` after `startproject`; the data folder)
    - [Docker: build context](https://docs.docker.com/build/concepts/context/)
    """
    user_is_root = os.geteuid() == 0
    mounts = _bind_mounts(project)
    for build in project.builds:
        reported: list[Path] = []
        for entry in project.context_entries(build):
            if entry.readable and (entry.uid != 0 or user_is_root):
                continue  # nearly every entry: no Path built for it
            if any(entry.path.is_relative_to(done) for done in reported):
                continue
            related = tuple(location for source, location in mounts.items() if entry.path.is_relative_to(source)
                            or source.is_relative_to(entry.path))
            where = Location(entry.path)
            if entry.is_dir and not entry.readable:
                reported.append(entry.path)
                yield Violation(where, f"{project.display(entry.path)} cannot be read by the user running djcheck: "
                                       f"docker build fails with \"can't stat\"; {_repair(project, entry.path, build.context)}",
                                related=related)
            elif entry.uid == 0 and not user_is_root:
                reported.append(entry.path)
                if entry.is_dir:
                    yield Violation(where, f"{project.display(entry.path)} is owned by root (made by a container?): "
                                           f"you cannot remove it and builds may fail; "
                                           f"{_repair(project, entry.path, build.context)}", related=related)
                else:
                    yield Violation(where, f"{project.display(entry.path)} is owned by root (made by a container?): "
                                           f"you cannot edit it; run `sudo chown $(id -u):$(id -g) "
                                           f"{project.display(entry.path)}`", related=related,
                                    severity=Severity.WARNING)
