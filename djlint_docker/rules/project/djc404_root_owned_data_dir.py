"""DJC404 root-owned-data-dir: A folder in the build context cannot be read, or belongs to root."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import rule


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
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`sudo chown -R $USER:$USER .` after `startproject`; the data folder)
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
                                       f"docker build fails with \"can't stat\"; "
                                       f"{_repair(project, entry.path, build.context)}",
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


def _repair(project: Project, path: Path, context: Path) -> str:
    relative = os.path.relpath(path, context).replace(os.sep, "/")
    shown = project.display(path)
    return f"add `/{relative}` to .dockerignore, or run `sudo chown -R $(id -u):$(id -g) {shown}`"


def _bind_mounts(project: Project) -> dict[Path, Location]:
    return {Path(m.source): m.location for s in project.services for m in s.volumes if m.type == "bind" and m.source}
