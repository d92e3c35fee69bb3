"""Where database images keep their data (images.data_folders), which DJC205 and DJC206 share."""

from __future__ import annotations

import pytest

from djlint_docker.images import covers, data_folders


@pytest.mark.parametrize(("image", "environment", "paths"), [
    ("postgres:18", {}, ["/var/lib/postgresql/18/docker"]),
    ("postgres:18.1-alpine", {}, ["/var/lib/postgresql/18/docker"]),
    ("postgres:17", {}, ["/var/lib/postgresql/data"]),
    ("postgres:9.6", {}, ["/var/lib/postgresql/data"]),
    ("postgres", {}, ["/var/lib/postgresql/*/docker", "/var/lib/postgresql/data"]),
    ("postgis/postgis:16-3.4", {}, ["/var/lib/postgresql/data"]),
    ("postgres:18", {"PGDATA": "/database"}, ["/database"]),
    ("postgres:16", {"PGDATA": None}, []),
    ("postgres:16", {"PGDATA": "${PGDATA}"}, []),
    ("kartoza/postgis:13.0", {}, ["/var/lib/postgresql/13/main"]),
    ("kartoza/postgis:9.6-2.4", {}, ["/var/lib/postgresql/9.6/main"]),
    ("kartoza/postgis", {}, ["/var/lib/postgresql/*/main"]),
    ("kartoza/postgis:16-3.4", {"DATADIR": "/opt/postgres/data"}, ["/opt/postgres/data"]),
    ("bitnami/postgresql:16", {}, ["/bitnami/postgresql"]),
    ("mysql:8.4", {"PGDATA": "/x"}, ["/var/lib/mysql"]),
    ("python:3.12", {}, []),
])
def test_data_folders(image: str, environment: dict[str, str | None], paths: list[str]) -> None:
    assert [folder.path for folder in data_folders(image, environment)] == paths


def test_postgres_18_volume_is_the_parent_folder() -> None:
    (folder,) = data_folders("postgres:18", {})
    assert folder.volume == "/var/lib/postgresql"
    assert covers(folder.volume, folder.path)


@pytest.mark.parametrize(("target", "folder", "held"), [
    ("/var/lib/postgresql", "/var/lib/postgresql/18/docker", True),
    ("/var/lib/postgresql/18/docker/", "/var/lib/postgresql/18/docker", True),
    ("/var/lib/postgresql/data", "/var/lib/postgresql/18/docker", False),
    ("/var/lib/postgresql/17/docker", "/var/lib/postgresql/*/docker", True),
    ("/var/lib/postgresql/17", "/var/lib/postgresql/*/docker", True),
    ("/var/lib/postgresql/17/main", "/var/lib/postgresql/*/docker", False),
    ("/var/lib/postgresql/database", "/var/lib/postgresql/*/docker", False),
    ("/var/lib/postgresql/9.6/main", "/var/lib/postgresql/*/main", True),
    ("/var/lib/postgresql/data/pgdata", "/var/lib/postgresql/data", False),
    ("/", "/var/lib/mysql", True),
])
def test_covers(target: str, folder: str, held: bool) -> None:
    assert covers(target, folder) is held
