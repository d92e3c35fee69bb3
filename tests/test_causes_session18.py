"""The causes the eighteenth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.registry import REGISTRY


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
