"""The causes the twenty-second session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import rule_findings as _found
from conftest import write_files

from djlint_docker.rules.snippets import MANAGE

GUNICORN_IMAGE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n"


def test_debug_on_unless_a_variable_names_production_says_so(tmp_path: Path) -> None:
    """`DEBUG = ENV != "production"` reads the environment through `ENV`: on while it is unset, which the message
    says, not `DEBUG = True`; a container that sets `ENV: production` turns it off."""
    settings = "import os\nENV = os.environ.get(\"ENV\", \"development\")\nDEBUG = ENV != \"production\"\n"
    write_files(tmp_path, {"manage.py": MANAGE, "Dockerfile": GUNICORN_IMAGE, "app/settings.py": settings})
    assert _found(tmp_path, "DJC301") == [
        ("app/settings.py", 3, "DEBUG is True when ENV is unset: a forgotten variable ships DEBUG; make the default off")]
    write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      ENV: production\n"})
    assert _found(tmp_path, "DJC301") == []


def test_a_compose_file_and_a_link_to_it_are_one_place(tmp_path: Path) -> None:
    """`docker-compose.yml` at the top links the stack file kept in `docker/`: an unpinned image there is one
    finding, not one per name of the file; a copy of the file is a stack of its own."""
    stack = ("services:\n  caddy:\n    image: abiosoft/caddy:latest\n  web:\n    build:\n      context: .\n"
             "      dockerfile: docker/django/Dockerfile\n")
    write_files(tmp_path, {"manage.py": MANAGE, "docker/docker-compose.prod.yml": stack,
                           "docker/django/Dockerfile": GUNICORN_IMAGE})
    (tmp_path / "docker-compose.yml").symlink_to("docker/docker-compose.prod.yml")
    assert [line for _, line, _ in _found(tmp_path, "DJC209")] == [3]
    (tmp_path / "docker-compose.yml").unlink()
    write_files(tmp_path, {"docker-compose.yml": stack})
    assert [line for _, line, _ in _found(tmp_path, "DJC209")] == [3, 3]
