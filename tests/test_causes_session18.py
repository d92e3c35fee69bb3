"""The causes the eighteenth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.registry import REGISTRY
from djlint_docker.rules.snippets import MANAGE


def _codes(root: Path, code: str) -> list[tuple[str, int]]:
    return [(Path(finding.path).name, finding.line) for finding in lint(root, [REGISTRY[code]]) if finding.code == code]


DJANGO_MANAGE = ("#!/usr/bin/env python\nimport os\nimport sys\n\n"
                 "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings.dev')\n"
                 "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n")
"""A Django ``manage.py`` whose default is the development settings module."""


def test_a_manage_py_that_never_names_django_is_another_programs(tmp_path: Path) -> None:
    """A click tool's `manage.py` (it builds a static site and runs compose itself) makes no Django project, and a
    repository without a Django file whose compose stacks build images of their own is no Django setup."""
    write_files(tmp_path, {
        "manage.py": "import subprocess\nimport click\n\n\n@click.command()\ndef run():\n"
                     "    subprocess.check_call(['docker-compose', '-f', 'compose/engine.yml', 'up'])\n",
        "compose/engine.yml": "services:\n  engine:\n    image: ${ENGINE_IMAGE}\n    build:\n"
                              "      context: ./images/engine/\n    command: sleep 1d\n",
        "images/engine/Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir click jinja2\n"})
    assert discover([tmp_path]) == []


def test_a_django_manage_py_makes_a_project(tmp_path: Path) -> None:
    """The same repository with Django's `manage.py` is a Django project, and its compose stack is checked."""
    write_files(tmp_path, {
        "manage.py": DJANGO_MANAGE,
        "compose/engine.yml": "services:\n  engine:\n    image: ${ENGINE_IMAGE}\n    build:\n"
                              "      context: ./images/engine/\n    command: sleep 1d\n",
        "images/engine/Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir click jinja2\n"})
    assert [setup.compose_files for setup in discover([tmp_path]) if setup.compose_files]


def test_a_dockerfile_whose_copied_files_are_nowhere_is_built_from_its_folder(tmp_path: Path) -> None:
    """django/Dockerfile copies a requirements.txt that moved away: no folder above holds it, so the image is built
    from django/ (its CMD's `./restwebful/manage.py` is there), whose context has no .git."""
    write_files(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /django\nCOPY requirements.txt /django\n"
                             "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . /django\n"
                             "CMD [\"python3\", \"restwebful/manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "django/restwebful/manage.py": MANAGE, "django/restwebful/requirements.txt": "django==5.1.4\n"})
    messages = [f.message for f in lint(tmp_path, [REGISTRY["DJC401"]])]
    assert messages and all("context django " in message and ".git" not in message for message in messages)


def test_a_dockerfile_copying_files_above_its_folder_is_built_from_there(tmp_path: Path) -> None:
    """app/Dockerfile.deploy copies app/entrypoint.sh, which is there from the top: built from the top, whose
    context holds .git."""
    write_files(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n", "app/manage.py": MANAGE, "app/entrypoint.sh": "#!/bin/sh\n",
        "app/Dockerfile.deploy": "FROM python:3.12-slim\nCOPY app/entrypoint.sh /entrypoint.sh\nCOPY . /srv\n"
                                 "CMD [\"gunicorn\", \"app.wsgi\"]\n"})
    messages = [f.message for f in lint(tmp_path, [REGISTRY["DJC401"]])]
    assert messages and all(".git" in message for message in messages)
