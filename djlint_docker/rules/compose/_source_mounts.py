"""Where an image keeps its code, and whether a bind mount of the project folder reaches it."""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from djlint_docker.parse.compose import Mount, Service
from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.parse.shell import parks
from djlint_docker.project import ImageBuild, Project
from djlint_docker.rules.dockerfile._copies import whole_context_copy


def code_folder(dockerfile: Dockerfile) -> str | None:
    """Where the final image's last whole-context copy (``COPY . /app``) puts the code; None without one."""
    copies = [copy for copy in dockerfile.copies(dockerfile.final) if whole_context_copy(copy.instruction)]
    if not copies:
        return None
    folder = posixpath.normpath(copies[-1].dest.rstrip("/") or "/")
    return folder if folder != "/" and "$" not in folder else None


def related(target: str, code: str) -> bool:
    """Whether one path is the other or holds it."""
    return target == code or code.startswith(target.rstrip("/") + "/") or target.startswith(code + "/")


def used(project: Project, service: Service, build: ImageBuild, dockerfile: Dockerfile, target: str) -> bool:
    """Whether the final image's stages, its scripts or the service name the path (or a path inside it) anywhere: a
    builder stage's ``WORKDIR /app``, and ``COPY --from=builder /app/wheels``, name the builder's."""
    mentions = re.compile(r"(?<![\w.-])" + re.escape(target) + r"(?![\w.-])")
    texts = [instruction.script for stage in dockerfile.lineage(dockerfile.final) for instruction in stage.instructions
             if instruction.flag("from") is None]
    texts += [project.text(script.path) or "" for script in project.scripts if script.build is build]
    if any(mentions.search(text) for text in texts):
        return True
    words = [*(service.command.value if service.command else ()), *(service.entrypoint.value if service.entrypoint
                                                                      else ())]
    words += [entry.value or "" for entry in service.environment.values()]
    if any(mentions.search(word) for word in words):
        return True
    working_dir = project.written_value(service, "working_dir")
    return working_dir is not None and mentions.search(working_dir) is not None


def misses_the_code(project: Project, service: Service, build: ImageBuild, mount: Mount) -> bool:
    """Whether a bind mount of the build context (or of a folder of the project above it: ``.:/app`` for an image
    built from ``./django``) lands where the image never looks: not at the code's folder (nor above or inside it),
    not at a path the Dockerfile, its scripts or the service name, while no other mount of the project folder lands
    at the code (DJC219's "the mount has no effect")."""
    dockerfile = build.dockerfile
    code = _copied_code_folder(build, dockerfile) if dockerfile is not None else None
    if dockerfile is None or code is None or not _holds_the_context(project, build, mount):
        return False
    if service.command is not None and parks(service.command.value):
        return False  # `sleep infinity`: a workspace the developer works in through `docker exec`, in the mount
    if any(other.type == "bind" and _holds_the_context(project, build, other)
           and posixpath.normpath(other.target) == code for other in service.volumes):
        return False  # the source mounted at the code's folder too (`.:/app` and `.:/src`): edits reach it
    target = posixpath.normpath(mount.target)
    return not related(target, code) and not used(project, service, build, dockerfile, target)


def _holds_the_context(project: Project, build: ImageBuild, mount: Mount) -> bool:
    """Whether a mount's source is the build context or a folder of the project that holds it."""
    source = Path(mount.source) if mount.source else None
    return source is not None and build.context.is_relative_to(source) and source.is_relative_to(project.boundary)


def _copied_code_folder(build: ImageBuild, dockerfile: Dockerfile) -> str | None:
    """Where the final image's code is: its last whole-context copy's folder, else where its last copy of a folder
    of the context goes (``COPY ./aslm /src``)."""
    found = code_folder(dockerfile)
    if found is not None:
        return found
    folders = [copy for copy in dockerfile.copies(dockerfile.final)
               if any(os.path.isdir(build.context / source) for source in copy.sources if ".." not in source)]
    folder = posixpath.normpath(folders[-1].dest.rstrip("/") or "/") if folders else "/"
    return folder if folder != "/" and "$" not in folder else None
