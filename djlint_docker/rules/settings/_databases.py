"""The databases the settings configure and the database servers the compose file runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from djlint_docker.images import data_service
from djlint_docker.parse.compose import Service
from djlint_docker.parse.settings import Unknown
from djlint_docker.project import DjangoRun, Project, Settings

SQL_SERVERS = {"PostgreSQL", "MySQL", "MariaDB"}


def sql_databases(project: Project) -> Iterator[tuple[Service, str]]:
    """The services that run a SQL database server, with its kind."""
    for service in project.services:
        known = data_service(service.image.value if service.image else None)
        if known is not None and known.kind in SQL_SERVERS and service.build is None:
            yield service, known.kind


def databases(run: DjangoRun, settings: Settings) -> dict[str, dict[str, Any]]:
    """The ``DATABASES`` a container computes, or {} when it cannot be known."""
    try:
        value = run.setting(settings, "DATABASES")
    except Unknown:
        return {}
    if not isinstance(value, dict):
        return {}
    return {alias: entry for alias, entry in value.items() if isinstance(entry, dict)}

