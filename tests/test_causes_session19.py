"""The causes the nineteenth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import lint, write_files

from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.parse.shell import commands_run, script_lines
from djlint_docker.registry import REGISTRY
from djlint_docker.rules.snippets import MANAGE


def _codes(root: Path, code: str) -> list[tuple[str, int]]:
    return [(Path(finding.path).name, finding.line) for finding in lint(root, [REGISTRY[code]]) if finding.code == code]


DISPATCHER = """#!/bin/bash
CMD=$1

wait_for_db () {
    until nc -z "$DB_HOST" 5432; do sleep 3; done
}

case "$CMD" in
    "runserver" )
        wait_for_db
        exec python manage.py runserver 0.0.0.0:8000
        ;;
    "uwsgi" )
        wait_for_db
        exec uwsgi --ini uwsgi.ini
        ;;
esac
"""
"""An entrypoint that defines a function, then starts the server its first argument names."""


def test_the_arguments_decide_a_case_after_a_function_definition() -> None:
    """The branch the argument picks runs, the other does not: a function defined above the `case` does not make the
    script's arguments unknown."""
    ran = [(command.words[1:3], runs) for _, command, runs in commands_run(tuple(script_lines(DISPATCHER)),
                                                                        ("runserver",), {})
           if command.words[:1] == ("python",) or command.words[:1] == ("uwsgi",)]
    assert ran == [(("manage.py", "runserver"), True)]


DEV_STACK_OF_A_DEPLOYED_PROJECT = {
    "docker-compose.yml": "services:\n  web:\n    build: ./src\n    ports:\n      - \"8000:8000\"\n"
                          "    volumes:\n      - ./src:/app\n    environment:\n      DB_PASSWORD: postgres\n"
                          "      DJANGO_SETTINGS_MODULE: app.settings.prod\n    depends_on: [db]\n"
                          "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n"
                          "    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg: {}\n",
    "src/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                      "ENTRYPOINT [\"sh\", \"./docker-entrypoint.sh\"]\nCMD [\"runserver\"]\n",
    "src/docker-entrypoint.sh": DISPATCHER,
    "src/requirements.txt": "django==5.1.3\nuwsgi==2.0.28\n",
    "src/manage.py": MANAGE.replace("app.settings", "app.settings.dev"),
    "src/app/__init__.py": "", "src/app/settings/__init__.py": "", "src/app/settings/dev.py": "DEBUG = True\n",
    "src/app/settings/prod.py": "DEBUG = False\n", "src/app/wsgi.py": "application = None\n",
    "docker/compose-prod.yaml": "services:\n  web:\n    image: ghcr.io/acme/app:${TAG}\n    environment:\n"
                                "      DB_PASSWORD: ${DB_PASSWORD}\n",
}
"""The development stack of a project deployed from another compose file: its image's entrypoint starts runserver
on the CMD it is given, on the bind-mounted source, though the stack names the production settings."""


def test_an_image_whose_entrypoint_starts_runserver_on_its_cmd_is_development(tmp_path: Path) -> None:
    """The throwaway password of the development stack is not the project's problem (DJC207)."""
    write_files(tmp_path, DEV_STACK_OF_A_DEPLOYED_PROJECT)
    assert _codes(tmp_path, "DJC207") == []


def test_the_same_image_serving_uwsgi_is_deployed(tmp_path: Path) -> None:
    """Given `uwsgi` instead, the container serves the site for real: the literal password is reported."""
    write_files(tmp_path, {**DEV_STACK_OF_A_DEPLOYED_PROJECT, "src/Dockerfile": DEV_STACK_OF_A_DEPLOYED_PROJECT[
        "src/Dockerfile"].replace('CMD ["runserver"]', 'CMD ["uwsgi"]')})
    assert ("docker-compose.yml", 9) in _codes(tmp_path, "DJC207")
