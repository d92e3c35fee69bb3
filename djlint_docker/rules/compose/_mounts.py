"""The database services of a compose file whose data must survive the container, and where their data lives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from djlint_docker.images import covers, data_service
from djlint_docker.parse.compose import Mount, Service
from djlint_docker.project import Project


def data_dirs(service: Service) -> tuple[str, ...]:
    """The folders inside the container where the service's database keeps its data (its image's, and ``PGDATA``)."""
    known = data_service(service.image.value if service.image else None)
    dirs = known.data_dirs if known else ()
    pgdata = service.environment.get("PGDATA")
    return dirs + ((pgdata.value,) if pgdata is not None and pgdata.value else ())


def persistent_databases(project: Project) -> Iterator[tuple[Service, str]]:
    """The services that run a database image (not one they build) keeping data on disk, with its kind."""
    for service in project.services:
        known = data_service(service.image.value if service.image else None)
        if known is not None and known.persistent and service.build is None:
            yield service, known.kind


def data_mounts(project: Project) -> Iterator[tuple[Service, str, Mount, Path]]:
    """Bind mounts of a database's data directory from inside the project: service, kind, mount, host folder."""
    for service, kind in persistent_databases(project):
        for mount in service.volumes:
            if mount.type == "bind" and mount.source and any(covers(mount.target, d) for d in data_dirs(service)):
                source = Path(mount.source)
                if source.is_relative_to(project.root):
                    yield service, kind, mount, source
