"""Causes found on real repositories in the eleventh session's review (the forty-fourth)."""

from __future__ import annotations

import sys

import pytest
from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.findings import Severity
from djlint_docker.rules.snippets import MANAGE

# An add-on stack kept in docker/ and run as `docker compose -f docker-compose.yml -f docker/docker-compose-map.yml`:
# its relative paths start from the first file's folder, where its mounted configuration is committed.
ADD_ON = {
    "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                          "    volumes:\n      - .:/app\n",
    "docker/docker-compose-map.yml": "services:\n  tiles:\n    image: maptiler/tileserver-gl:v5.3.1\n"
                                     "    volumes:\n      - ./docker/tiles/config.json:/data/config.json:ro\n",
    "docker/tiles/config.json": "{}\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE,
}


def test_an_add_on_in_a_subfolder_whose_mounts_are_found_from_the_top_is_merged_there(tmp_path):
    write_files(tmp_path, ADD_ON)
    stacks = [tuple(path.relative_to(tmp_path).as_posix() for path in setup.compose_files)
              for setup in discover([tmp_path])]
    assert ("docker-compose.yml", "docker/docker-compose-map.yml") in stacks
    assert ("docker/docker-compose-map.yml",) not in stacks
    assert not [f for f in lint(tmp_path) if f.code == "DJC220"]


def test_an_add_on_whose_mounts_are_found_from_its_own_folder_is_not_merged(tmp_path):
    write_files(tmp_path, {**ADD_ON, "docker/docker/tiles/config.json": "{}\n"})
    stacks = [tuple(path.relative_to(tmp_path).as_posix() for path in setup.compose_files)
              for setup in discover([tmp_path])]
    assert ("docker-compose.yml", "docker/docker-compose-map.yml") not in stacks


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="Python 3.12 reads quotes inside an f-string's braces")
def test_an_f_string_python_3_11_cannot_read_on_a_newer_image_is_info(tmp_path):
    """`f"{row["name"]}"` is PEP 701's grammar: Python 3.11 says `f-string: unmatched '['`, the image's 3.12 reads it."""
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n", "manage.py": MANAGE,
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "app/settings.py": "ROW = {'name': 'x'}\nTITLE = f'{ROW['name']}'\n"})
    found = [(f.line, f.severity) for f in lint(tmp_path) if f.code == "DJC001"]
    assert found == [(2, Severity.INFO)]
    write_files(tmp_path, {"app/settings.py": "ROW = {'name': 'x'\nTITLE = 'x'\n"})  # a bracket never closed
    assert [f.severity for f in lint(tmp_path) if f.code == "DJC001"] == [Severity.ERROR]
