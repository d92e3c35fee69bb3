"""The database services of a compose file whose data must survive the container, and where their data lives."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.images import DataFolder, covers, data_service
from djlint_docker.images import data_folders as data_folders_of
from djlint_docker.parse.compose import Mount, Service
from djlint_docker.parse.shell import Command, program, split_words
from djlint_docker.project import Project


def database_image(project: Project, service: Service) -> str | None:
    """The image a service runs as a database judges it: its ``image:``, or the one its build starts FROM (``build:
    ./db`` with ``FROM postgres:16`` and the project's init scripts is PostgreSQL all the same); none for a container
    that runs Django on a database image, built on it for the clients (``psql``, ``createdb``)."""
    if service.build is None:
        return service.image.value if service.image else None
    build = project.build_for(service)
    if build is None or build.dockerfile is None or project.runs_django(service):
        return None  # Django's container on a database image, for its clients (`FROM postgres:13` with psql)
    return build.dockerfile.root.image or None


def data_folders(project: Project, service: Service) -> tuple[DataFolder, ...]:
    """Where the service's database keeps its data inside the container (:func:`djlint_docker.images.data_folders`:
    its image's folder for the version its tag names, or ``PGDATA`` from its ``environment:`` or ``env_file:``), the
    likeliest first; empty when unknown."""
    return data_folders_of(database_image(project, service), project.service_environment(service))


def holds_data(folders: tuple[DataFolder, ...], mount_target: str) -> bool:
    """Whether a mount at ``mount_target`` holds a service's data folder, one of ``folders`` (at it or above it)."""
    return any(covers(mount_target, folder.path) and not shadowed(folder, mount_target) for folder in folders)


def shadowed(folder: DataFolder, mount_target: str) -> bool:
    """Whether a mount above the image's own ``VOLUME`` (a named volume at ``/var/lib/postgresql`` on postgres:16,
    whose ``VOLUME`` is ``/var/lib/postgresql/data``) misses the data: Docker mounts an anonymous volume at that
    ``VOLUME``, which is no mount point of the container, and the data goes there."""
    return folder.declared and covers(mount_target, folder.volume) \
        and mount_target.rstrip("/") != folder.volume.rstrip("/")


def describe_data_folder(folders: tuple[DataFolder, ...]) -> tuple[str, str]:
    """A service's data folder (``folders``, not empty) as a message names it, and where a volume for it goes."""
    if len(folders) > 1:
        return (" or ".join(folder.path.replace("*", "<major>") for folder in folders),
                " or ".join(dict.fromkeys(folder.volume for folder in folders)))
    return folders[0].path, folders[0].volume


# The database clients that database images ship: a container that runs them against another
# host (a job creating a database, a backup, a wait-for check) keeps no data of its own.
DB_CLIENTS = frozenset({
    "psql", "pg_isready", "pg_dump", "pg_dumpall", "pg_restore", "createdb", "dropdb", "createuser",
    "mysql", "mysqladmin", "mysqldump", "mysqlcheck", "mariadb", "mariadb-admin", "mariadb-dump",
    "mongosh", "mongo", "mongodump", "mongorestore", "mongoimport", "mongoexport",
})
# The servers the images start: a command that starts one is the database itself.
DB_SERVERS = frozenset({"postgres", "mysqld", "mariadbd", "mongod", "docker-entrypoint.sh", "pg_ctl"})
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", ""})
HOST_OPTIONS = ("-h", "--host")
URI_SCHEMES = ("postgres://", "postgresql://", "mysql://", "mongodb://", "mongodb+srv://")


NO_OPS = frozenset({"true", "/bin/true", "/usr/bin/true", ":", "echo", "/bin/echo", "printf"})
"""Commands that do nothing but, at most, print a line and exit (``command: echo "DB data volume"``)."""


def holds_volumes_only(service: Service) -> bool:
    """Whether the service's command does nothing and exits (``command: "true"``, ``echo "data"``): the data-volume
    container, whose image only lends its file system to the volumes other services take with ``volumes_from``."""
    words = service.command.value if service.command is not None else ()
    return bool(words) and words[0] in NO_OPS and service.entrypoint is None


def persistent_databases(project: Project) -> Iterator[tuple[Service, str]]:
    """The services that run a database image (also one they build from it) keeping data on disk, with its kind.

    Not a service on such an image whose command only runs its clients against another host
    (``mysql -h db -e 'CREATE DATABASE ...'``, ``pg_dump -h postgres``): a job, not a server.
    """
    for service in project.services:
        known = data_service(database_image(project, service))
        if known is not None and known.persistent and not client_job(service) \
                and not database_toolbox(project, service):
            yield service, known.kind


TOOLBOX_NAMES = re.compile(r"client|backup|dump|restore|psql", re.I)
"""What a service on a database image that serves as another database's toolbox is named (``dbclient``)."""


def database_toolbox(project: Project, service: Service) -> bool:
    """Whether a service on a database image is another database's toolbox: named as a client or a backup
    (``dbclient``, ``db-backup``) beside a service on a database image (which it depends on, or reaches by name),
    it is started with ``docker compose run --rm dbclient pg_dump -h db`` against that one, or runs its backup
    scripts by ``docker compose exec``, not as a second server."""
    if not TOOLBOX_NAMES.search(service.name):
        return False
    return any(other is not service and data_service(database_image(project, other)) is not None
               for other in project.services)


def starts_database_server(project: Project, service: Service) -> bool:
    """Whether a container on a database image starts its server (the image's default command, or options to it),
    not a client command (``psql -h db``) nor another database's toolbox (:func:`database_toolbox`)."""
    command = service.command.value if service.command is not None else ()
    if command and not command[0].startswith("-") and command[0] not in DB_SERVERS:
        return False
    return not database_toolbox(project, service)


def client_job(service: Service) -> bool:
    """Whether the service's command runs a database client against another host and starts no database server."""
    words = ((service.entrypoint.value if service.entrypoint else ())
             + (service.command.value if service.command else ()))
    commands = split_words(words) if words else []
    if any(program(command) in DB_SERVERS for command in commands):
        return False
    remote_host = "PGHOST" in service.environment and service.environment["PGHOST"].value not in LOCAL_HOSTS
    return any(program(command) in DB_CLIENTS and (remote_host or _other_host(command)) for command in commands)


def _other_host(command: Command) -> bool:
    """Whether a client command names a host other than the container itself (``-h db``, ``--host=db``, a URI)."""
    args = command.words[1:]
    for index, word in enumerate(args):
        host = None
        if word in HOST_OPTIONS:
            host = args[index + 1] if index + 1 < len(args) else None
        elif word.startswith("--host="):
            host = word.removeprefix("--host=")
        elif word.startswith("-h") and len(word) > 2 and not word.startswith("-h-"):
            host = word[2:]
        elif word.startswith(URI_SCHEMES):
            host = word.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
        if host is not None and host not in LOCAL_HOSTS:
            return True
    return False


def data_mounts(project: Project) -> Iterator[tuple[Service, str, Mount, Path]]:
    """Bind mounts of a database's data directory from inside the project: service, kind, mount, and the host folder
    the data goes to: the mounted folder, or its subfolder where the data directory lies below the mount
    (``./database:/var/lib/postgresql/data`` with ``PGDATA=/var/lib/postgresql/data/pgdata``: ``database/pgdata``)."""
    for service, kind in persistent_databases(project):
        folders = data_folders(project, service)
        for mount in service.volumes:
            if mount.type == "bind" and mount.source and holds_data(folders, mount.target):
                source = Path(mount.source)
                if source.is_relative_to(project.root):
                    below = {posixpath.relpath(folder.path, mount.target) for folder in folders
                             if "*" not in folder.path and covers(mount.target, folder.path)}
                    yield service, kind, mount, source / below.pop() if len(below) == 1 else source
