"""DJC206 db-without-volume: A database service has no volume for its data."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import POSTGRES_BEFORE_18, DataFolder
from djlint_docker.parse.compose import Mount, Service
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._mounts import (
    data_folders,
    describe_data_folder,
    holds_data,
    holds_volumes_only,
    persistent_databases,
    shadowed,
)
from djlint_docker.rules.compose._stack import never_deployed
from djlint_docker.rules.settings._databases import unused_database
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_COMPOSE, PROD_COMPOSE
from djlint_docker.rules.snippets import MANAGE, PRODUCTION_COMPOSE, REQUIREMENTS_DOCKERFILE, SQLITE_BESIDE_POSTGRES

INIT_FOLDERS = frozenset({"/docker-entrypoint-initdb.d"})
"""Where the official database images read scripts that fill an empty database once: a mount there keeps no data."""
TOOLBOX = ("services:\n  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
           "  dbclient:\n    image: postgres:16\n    depends_on:\n      - db\n    volumes:\n"
           "      - ./backups:/backups\nvolumes:\n  pg: {}\n")
"""A database and a service on the same image beside it, depending on it."""


@rule("DJC206", "db-without-volume", Severity.ERROR, examples=[
    # PGDATA may point into the volume from the env file each clone makes.
    Example("data-directory-an-env-file-each-clone-makes-may-move", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: .env.db\n    volumes:\n"
                        "      - pg:/data\nvolumes:\n  pg:\n", ".gitignore": ".env.db\n", "manage.py": MANAGE}),
    # The settings use SQLite: nothing connects to the PostgreSQL the tutorial's compose file still starts.
    Example("database-the-settings-never-use", SQLITE_BESIDE_POSTGRES),
    # The compose file only builds and tags the images (CI pushes them); the install's compose file runs them.
    Example("stack-that-only-builds-images", {
        "compose.yaml": "services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/django/Dockerfile\n"
                        "    image: acme/cloud:api-${VERSION}\n  postgres:\n    build:\n      context: .\n"
                        "      dockerfile: docker/postgres/Dockerfile\n    image: acme/cloud:db-${VERSION}\n",
        "docker/django/Dockerfile": REQUIREMENTS_DOCKERFILE, "docker/postgres/Dockerfile": "FROM postgres:16\n",
        "requirements.txt": "django\n", "manage.py": MANAGE}),
    # The stack builds its database image in a service of its own; the service that runs it keeps the data.
    Example("service-that-builds-the-database-image", {
        "compose.yaml": "services:\n  postgis-build:\n    build: ./compose/postgres\n    image: acme/postgis\n"
                        "  db:\n    image: acme/postgis\n    depends_on:\n      - postgis-build\n    volumes:\n"
                        "      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n",
        "compose/postgres/Dockerfile": "FROM postgis/postgis:16-3.4\n"}),
    Example("database-run-from-the-image-a-service-builds", {
        "compose.yaml": "services:\n  postgis-build:\n    build: ./compose/postgres\n    image: acme/postgis\n"
                        "  db:\n    image: acme/postgis\n    depends_on:\n      - postgis-build\n",
        "compose/postgres/Dockerfile": "FROM postgis/postgis:16-3.4\n"}, expect=(("compose.yaml", 5),)),
    Example("no-volume", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                          "      POSTGRES_PASSWORD: ${PW}\n"}, expect=(("compose.yaml", 2),)),
    Example("volumes-of-a-data-container", {
        "compose.yaml": "services:\n  data:\n    image: busybox:1.36\n    volumes:\n"
                        "      - ./data/postgresql:/var/lib/postgresql/data\n"
                        "  db:\n    image: postgres:16\n    volumes_from:\n      - data\n"
                        "    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n"}),
    # The data container of old compose files: it runs `true` on the server's image and lends its volumes.
    Example("data-container-on-the-database-image", {
        "docker-compose.yml": "postgres:\n  image: postgres:9.6\n  volumes_from:\n    - pgdata\n"
                              "pgdata:\n  image: postgres:9.6\n  volumes:\n    - /var/lib/postgresql\n"
                              "  command: \"true\"\n"}),
    Example("pgdata-moved-by-the-env-file", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: db/env\n    volumes:\n"
                        "      - dbdata:/pgdata\nvolumes:\n  dbdata:\n",
        "db/env": "PGDATA=/pgdata\nPOSTGRES_PASSWORD_FILE=/run/secrets/pg\n"}),
    Example("volume-elsewhere", {"compose.yaml": "services:\n  db:\n    image: mariadb:11\n    volumes:\n"
                                                 "      - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n"},
            expect=(("compose.yaml", 2),)),
    Example("another-vendors-postgresql-image", {
        "compose.yaml": "services:\n  postgresql:\n    image: sameersbn/postgresql:10-2\n    volumes:\n"
                        "      - ./data/postgresql:/var/lib/postgresql\n"}),
    Example("throwaway-development-database-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "compose.prod.yaml": PROD_COMPOSE + "    volumes:\n      - pg:/var/lib/postgresql/data\n"
                                                          "volumes:\n  pg:\n"}),
    Example("development-database-whose-volume-misses-the-data", {
        **DEV_AND_PROD, "compose.yaml": DEV_COMPOSE + "    volumes:\n      - ./database:/app/database\n",
        "compose.prod.yaml": PROD_COMPOSE + "    volumes:\n      - pg:/var/lib/postgresql/data\n"
                                            "volumes:\n  pg:\n"}, expect=(("compose.yaml", 13),)),
    Example("named-volume", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                             "manage.py": MANAGE}),
    Example("test-stack-starts-empty-on-purpose", {
        "docker-compose.test.yml": "services:\n  db:\n    image: postgres:16-alpine\n  app:\n    image: acme/app:1.4\n"
                                   "    depends_on: [db]\n"}),
    Example("test-environment-folder", {
        "scripts/test-environments/postgres/compose.yml": "services:\n  postgres:\n    image: postgres:16\n"
                                                          "    ports:\n      - 127.0.0.1:5432:5432\n"}),
    # postgres:16 declares VOLUME /var/lib/postgresql/data: a volume at its parent leaves the data in an anonymous one.
    Example("volume-above-the-image-volume", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n    volumes:\n      - pg:/var/lib/postgresql\n"
                        "volumes:\n  pg: {}\n"}, expect=(("compose.yaml", 7),)),
    Example("parent-folder-and-tmpfs", {
        "compose.yaml": "services:\n  db:\n    image: postgres:18\n    volumes:\n      - pg:/var/lib/postgresql\n"
                        "  testdb:\n    image: postgres:16\n    tmpfs:\n      - /var/lib/postgresql/data\n"
                        "volumes:\n  pg: {}\n"}),
    # PostgreSQL 18 keeps its data in /var/lib/postgresql/18/docker;
    # kartoza/postgis in /var/lib/postgresql/<major>/main.
    Example("data-folder-of-the-version-and-the-image", {
        "compose.yaml": "services:\n  db:\n    image: postgres:18.1-alpine\n    volumes:\n"
                        "      - pgdata:/var/lib/postgresql/18/docker\n"
                        "  gis:\n    image: kartoza/postgis:15-3.4\n    volumes:\n"
                        "      - gisdata:/var/lib/postgresql/15/main\n"
                        "  legacy:\n    image: postgres:13\n    environment:\n"
                        "      PGDATA: /var/lib/postgresql/data/pgdata\n"
                        "    volumes:\n      - legacydata:/var/lib/postgresql/data\n"
                        "volumes:\n  pgdata: {}\n  gisdata: {}\n  legacydata: {}\n"}),
    # The volume sits where the official image keeps its data, not where these keep it.
    Example("volume-where-another-image-keeps-its-data", {
        "compose.yaml": "services:\n  gis:\n    image: kartoza/postgis:16-3.4\n    volumes:\n"
                        "      - gisdata:/var/lib/postgresql/data\n"
                        "  db:\n    image: postgres:16\n    environment:\n      PGDATA: /pgdata\n    volumes:\n"
                        "      - pgdata:/var/lib/postgresql/data\n"
                        "volumes:\n  gisdata: {}\n  pgdata: {}\n"}, expect=(("compose.yaml", 2), ("compose.yaml", 6))),
    # The image's entrypoint exits on a mount at the old folder ("unused mount/volume"), even on a fresh volume.
    Example("postgres-18-volume-at-the-old-data-folder", {
        "compose.yaml": "services:\n  db:\n    image: postgres:18-alpine\n    volumes:\n"
                        "      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata: {}\n"},
        expect=(("compose.yaml", 5),)),
    Example("volume-beside-the-data-folder", {
        "compose.yaml": "services:\n  db:\n    image: postgres\n    volumes:\n"
                        "      - pgdata:/var/lib/postgresql/database\nvolumes:\n  pgdata: {}\n"},
        expect=(("compose.yaml", 2),)),
    Example("job-creates-a-database-on-the-server", {
        "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    volumes:\n      - dbdata:/var/lib/mysql\n"
                        "  create-reports-db:\n    image: mysql:8.4\n    command: >-\n"
                        "      sh -c \"mysql -h db -uroot -p$$MYSQL_ROOT_PASSWORD\n"
                        "      -e 'CREATE DATABASE IF NOT EXISTS reports'\"\n"
                        "    depends_on:\n      db:\n        condition: service_healthy\n"
                        "  backup:\n    image: postgres:16\n"
                        "    command: [\"pg_dump\", \"--host=pg\", \"-U\", \"app\", \"-f\", \"/backups/app.sql\"]\n"
                        "    volumes:\n      - ./backups:/backups\n"
                        "volumes:\n  dbdata: {}\n"}),
    # bin/backup.sh runs `docker compose run --rm dbclient pg_dump -h db ...`: the image is the client's toolbox.
    Example("toolbox-of-the-database", {"compose.yaml": TOOLBOX}),
    Example("second-database-beside-the-first", {"compose.yaml": TOOLBOX.replace("dbclient", "warehouse")},
            expect=(("compose.yaml", 6),)),
    # The application's image starts from postgres for psql and createdb; its entrypoint loads a dump and runs Django.
    Example("django-on-a-database-image-for-its-clients", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                        "      - pgdata:/var/lib/postgresql/data\n  web:\n    build: .\n    depends_on: [db]\n"
                        "    ports:\n      - \"8000:8000\"\nvolumes:\n  pgdata: {}\n",
        "Dockerfile": "FROM postgres:16\nRUN apt-get update && apt-get install -y --no-install-recommends "
                      "python3-django && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\n"
                      "ENTRYPOINT [\"/app/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\npsql -h db -U postgres -f /app/dump.sql\n"
                         "exec python3 manage.py runserver 0.0.0.0:8000\n",
        "manage.py": MANAGE}),
    Example("server-started-beside-its-client", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    command: >-\n"
                        "      bash -c \"docker-entrypoint.sh postgres &\n"
                        "      until pg_isready -h localhost; do sleep 1; done;\n"
                        "      psql -h localhost -U postgres -c 'CREATE EXTENSION IF NOT EXISTS hstore'; wait\"\n"},
            expect=(("compose.yaml", 2),)),
])
def db_without_volume(project: Project) -> Iterator[Violation]:
    """A database service has no volume for its data.

    ## What it does
    Reports a PostgreSQL, MySQL, MariaDB or MongoDB service none of whose `volumes:`
    holds its data directory, at it or above it (or `tmpfs:`, for a database meant to be
    thrown away; or `volumes_from:`, the volumes of a data container). Nor is the data
    container itself: a service on the database's image whose command does nothing
    (`command: "true"`), which only lends its volumes. The data directory
    is the one of the image and version the tag names: `/var/lib/postgresql/<major>/docker`
    for the official `postgres` image from 18 on (whose volume is `/var/lib/postgresql`),
    `/var/lib/postgresql/data` before,
    `/var/lib/postgresql/<major>/main` for `kartoza/postgis`, `/bitnami/postgresql` for
    `bitnami/postgresql`, or the folder `PGDATA` names in the service's environment
    (`environment:` or `env_file:`). A volume above the official `postgres` image's own
    `VOLUME` (`/var/lib/postgresql` on postgres:16, whose `VOLUME` is
    `/var/lib/postgresql/data`) holds nothing: Docker mounts an anonymous volume at the
    image's `VOLUME`, and the data goes there; it is reported at that mount. A volume at
    `/var/lib/postgresql/data` on `postgres:18` and later is reported at that mount too: the
    image's entrypoint takes the mount point for data left by an older major and refuses to
    start, even on an empty volume. A
    stack whose compose file is named for tests or CI (`docker-compose.test.yml`,
    `compose.ci.yaml`) starts from an empty database on purpose and is not reported, nor
    is a service on a database image whose command only runs the image's clients against
    another host (`mysql -h db -e 'CREATE DATABASE …'`, `pg_dump --host=db`,
    `pg_isready -h db`) and starts no server: a job, which keeps no data. Nor is another
    database's toolbox: a service named as a client or a backup (`dbclient`,
    `db-backup`) beside a service on a database image, started with
    `docker compose run --rm dbclient pg_dump -h db`.

    A PostgreSQL, MySQL or MariaDB service the settings never connect to (every Django
    service's settings use SQLite; DJC305 reports them) is left alone.

    A database whose env file each clone makes (git-ignored, no template) may have its data
    directory moved there (`PGDATA`): it is not judged. Nor is a development stack's database
    with no volume at all (or only the scripts that fill an empty database,
    `./sql:/docker-entrypoint-initdb.d`) while the project also deploys another way: its data is
    thrown away on purpose (one with a volume that misses the data directory meant to keep it). A
    service that only builds the image another service runs (`build:` and `image:
    acme/postgis`, run by `db` with `image: acme/postgis`) is a builder: the service that
    runs the image is judged. Nor is a stack that only builds and names images (every
    service a `build:` and an `image:` tag, nothing of the container it would run: what
    `docker compose build && docker compose push` in CI uses); where they run, the
    compose file or cluster that runs them says.

    ## Why is this bad?
    The data lives in the container's anonymous storage: `docker compose down`, a
    recreated container or an image update loses every row.

    ## Example
    ```yaml
    db:
      image: postgres:16
    ```
    Use instead:
    ```yaml
    db:
      image: postgres:16
      volumes:
        - pgdata:/var/lib/postgresql/data
    ```

    ## References
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (`postgres_data:/var/lib/postgresql/data/` named volume)
    - [Docker Hub: postgres, "Where to Store Data"](https://hub.docker.com/_/postgres)
    """
    if project.stack is not None and any(never_deployed(project, path) for path in project.stack.files):
        return  # a test, CI or editor stack starts from an empty database on purpose
    if project.build_only:
        return  # it builds and tags the images; the containers are another compose file's or a cluster's
    for service, kind in persistent_databases(project):
        if unused_database(project, service):
            continue  # the settings connect elsewhere (SQLite): nothing keeps data there
        if not project.environment_known(service):
            continue  # an env file each reader makes may move the data directory (PGDATA) onto a volume
        if _builds_for_another(project, service):
            continue  # it builds the image that service runs, with the data (`image: acme/postgis` in both)
        folders = data_folders(project, service)
        if not folders:
            continue  # PGDATA taken from the shell or a variable: djcheck cannot tell where the data lives
        if any(holds_data(folders, mount.target) for mount in service.volumes) or "tmpfs" in service.keys \
                or "volumes_from" in service.keys or holds_volumes_only(service):
            continue  # `volumes_from: [data]`: a data container's volumes, which may hold the directory
        if not any(mount.target.rstrip("/") not in INIT_FOLDERS for mount in service.volumes) \
                and project.development_only(service):
            continue  # a development database without any volume, while the project deploys another: thrown away
        folder, volume = describe_data_folder(folders)
        refused = _refused_mount(folders, service)
        if refused is not None:
            yield Violation(refused.location, f"service {service.name}: PostgreSQL 18 and later keep the data in "
                                              f"{folder} and refuse to start with a volume at {refused.target} "
                                              f"(\"unused mount/volume\"), even an empty one: the database never "
                                              f"starts; mount the volume at {volume}")
            continue
        above = next((mount for mount in service.volumes for each in folders if shadowed(each, mount.target)), None)
        if above is not None:
            yield Violation(above.location, f"service {service.name}: the volume at {above.target} is above the "
                                            f"{kind} image's own VOLUME {volume}, where Docker mounts an anonymous "
                                            f"volume that takes the data: after `docker compose down` the next "
                                            f"container starts with an empty database; mount the volume at "
                                            f"{volume}")
            continue
        yield Violation(service.location, f"service {service.name}: no volume holds the {kind} data directory "
                                          f"{folder}: the data is lost with the container; mount a named volume "
                                          f"{'there' if volume == folder else 'at ' + volume}")


def _refused_mount(folders: tuple[DataFolder, ...], service: Service) -> Mount | None:
    """The mount at ``/var/lib/postgresql/data`` of an official ``postgres`` 18 or later whose ``PGDATA`` is the
    image's own: its entrypoint takes the mount point for an old cluster left unupgraded and exits."""
    if not all(folder.refuses_old_folder for folder in folders):
        return None
    return next((mount for mount in service.volumes
                 if mount.target.rstrip("/") == POSTGRES_BEFORE_18.path), None)


def _builds_for_another(project: Project, service: Service) -> bool:
    """Whether the service builds the image another service of the stack runs without building it (``build:`` and
    ``image: acme/postgis`` here, ``image: acme/postgis`` there): a builder, whose container holds nothing."""
    image = service.image.value if service.image is not None else None
    return service.build is not None and bool(image) and any(
        other is not service and other.build is None and other.image is not None and other.image.value == image
        for other in project.services)
