"""The causes the twenty-third session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import rule_findings as _found
from conftest import write_files

from djlint_docker.rules.snippets import MANAGE

GUNICORN_IMAGE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n"

PYDANTIC_SETTINGS = '''from pydantic import BaseSettings, Field
from .export import to_django


class General(BaseSettings):
    SECRET_KEY: str = Field(env="DJANGO_SECRET_KEY")
    DEBUG: bool = False
    ALLOWED_HOSTS: list[str] = ["shop.example.org"]


class Everything(General):
    SECURE_HSTS_SECONDS: int = 31536000


to_django(Everything())
'''


def test_settings_a_pydantic_object_writes_are_unknown(tmp_path: Path) -> None:
    """pydjantic's `to_django(Settings())` writes each field of a pydantic settings class into the module: djcheck
    does not read the class, so no setting is "not set"; a module that only defines such a class is read as it is."""
    write_files(tmp_path, {"manage.py": MANAGE, "Dockerfile": GUNICORN_IMAGE, "app/settings/__init__.py": PYDANTIC_SETTINGS,
                           "app/settings/export.py": "def to_django(settings):\n    pass\n"})
    assert _found(tmp_path, "DJC310") == []
    write_files(tmp_path, {"app/settings/__init__.py": PYDANTIC_SETTINGS.replace("to_django(Everything())\n", "")})
    assert len(_found(tmp_path, "DJC310")) > 1


def test_settings_a_call_given_the_namespace_writes_are_unknown(tmp_path: Path) -> None:
    """`django_heroku.settings(locals())` may set any setting (hosts, database, secret key): none is "not set"."""
    settings = "import django_heroku\nSECRET_KEY = 'x'\nDEBUG = False\n"
    write_files(tmp_path, {"manage.py": MANAGE, "Dockerfile": GUNICORN_IMAGE,
                           "app/settings.py": settings + "django_heroku.settings(locals())\n"})
    assert _found(tmp_path, "DJC310") == []
    write_files(tmp_path, {"app/settings.py": settings + "django_heroku.settings(config=locals)\n"})
    assert len(_found(tmp_path, "DJC310")) > 1


def test_the_plain_dockerfile_beside_the_production_one_is_for_development(tmp_path: Path) -> None:
    """No stack runs them: `Dockerfile.prod` is what ships, the plain `Dockerfile` beside it is the developer's, and its
    root user is not reported; the production image's is."""
    dev = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/app/entrypoint.sh\"]\n"
    write_files(tmp_path, {"manage.py": MANAGE, "Dockerfile": dev, "Dockerfile.prod": GUNICORN_IMAGE,
                           "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\nexec gunicorn app.wsgi\n",
                           "Procfile": "web: gunicorn app.wsgi\n"})
    assert [path for path, _, _ in _found(tmp_path, "DJC108")] == ["Dockerfile.prod"]
    # A stage named for production in the plain Dockerfile is one a build tool may push (dobi's `target: production`).
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim AS base\nWORKDIR /app\n\nFROM base AS production\n"
                                         "COPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n"})
    assert [path for path, _, _ in _found(tmp_path, "DJC108")] == ["Dockerfile", "Dockerfile.prod"]
    (tmp_path / "Dockerfile.prod").unlink()
    assert [path for path, _, _ in _found(tmp_path, "DJC108")] == ["Dockerfile"]


def test_a_production_start_script_in_the_docker_folder_shows_a_deployment(tmp_path: Path) -> None:
    """`docker/entrypoint-prod.sh` starts gunicorn for the image a build script makes: the compose stack of runserver
    and a bind mount is development, and its throwaway secret key is not reported."""
    stack = ("services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile-dev\n"
             "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n"
             "    environment:\n      - DJANGO_SECRET_KEY=not-so-secret-key\n")
    write_files(tmp_path, {"manage.py": MANAGE, "docker-compose.yml": stack,
                           "docker/Dockerfile-dev": "FROM python:3.12-slim\nWORKDIR /app\n"})
    assert [line for _, line, _ in _found(tmp_path, "DJC207")] == [10]
    write_files(tmp_path, {"docker/entrypoint-prod.sh": "#!/bin/sh\nexec gunicorn -b 0.0.0.0:8000 mysite.wsgi\n"})
    assert _found(tmp_path, "DJC207") == []
