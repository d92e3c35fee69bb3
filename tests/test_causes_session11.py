"""Causes found on real repositories in the eleventh session's review (the forty-fourth)."""

from __future__ import annotations

import sys

import pytest
from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.findings import Severity
from djlint_docker.parse.shell import Command, program
from djlint_docker.project import Project
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


@pytest.mark.parametrize(("line", "started"), [
    ("uv run gunicorn app.wsgi", "gunicorn"), ("uv run --frozen --env-file .env celery -A app worker", "celery"),
    ("poetry run python -m uvicorn app.asgi:application", "uvicorn"), ("pipenv run daphne app.asgi:application", "daphne"),
    ("uv sync --frozen", "uv"), ("uv run", "uv"), ("make run", "make"),
])
def test_the_program_an_environment_runner_starts(line, started):
    assert program(Command(tuple(line.split()))) == started


def test_runserver_given_another_servers_options_is_told_so(tmp_path):
    """`runserver --host 0.0.0.0 --port 8000` is refused by Django: not a loopback bind, as it read before."""
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nCMD python manage.py runserver --host 0.0.0.0 "
                                         "--port 8000\n", "manage.py": MANAGE})
    found = [f.message for f in lint(tmp_path) if f.code == "DJC101"]
    assert len(found) == 1 and "has no --host or --port option" in found[0] and "loopback" not in found[0]


# The env file's template starts with `set -a` (a line for a shell, which Compose refuses): the user who copies it
# mends that line, and the template's other lines say what the env file sets.
TEMPLATE_WITH_A_SHELL_LINE = {
    "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file:\n      - ./app.env\n"
                          "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
    "app.env.sample": "set -a\nDB_HOST=<HOST>\nDB_NAME=<NAME>\n", ".gitignore": "app.env\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE,
    "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
                       "    'HOST': os.environ['DB_HOST'], 'NAME': os.environ['DB_NAME']}}\n",
}


def _env_findings(root):
    return sorted((f.code, f.path, f.message.split(" without")[0] if f.code == "DJC307" else "")
                  for f in lint(root) if f.code in {"DJC001", "DJC307"})


def test_a_template_with_a_line_compose_refuses_gives_its_other_lines(tmp_path):
    write_files(tmp_path, TEMPLATE_WITH_A_SHELL_LINE)
    assert _env_findings(tmp_path) == [("DJC001", "app.env.sample", "")]
    write_files(tmp_path, {"app.env.sample": "set -a\nDB_HOST=<HOST>\n"})  # DB_NAME is set nowhere
    assert _env_findings(tmp_path) == [("DJC001", "app.env.sample", ""),
                                       ("DJC307", "app/settings.py", "the settings read DB_NAME")]


def test_an_env_file_compose_refuses_sets_what_is_unknown(tmp_path):
    write_files(tmp_path, {**TEMPLATE_WITH_A_SHELL_LINE, ".gitignore": "", "app.env": "set -a\nDB_HOST=db\n"})
    assert _env_findings(tmp_path) == [("DJC001", "app.env", "")]  # Compose refuses it: DB_NAME is not guessed


def test_a_settings_module_named_through_an_env_set_before_it(tmp_path):
    """`ENV BUILD_ENV local` then `ENV DJANGO_SETTINGS_MODULE shop.settings.${BUILD_ENV}`: the image runs local.py."""
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nENV BUILD_ENV local\nENV DJANGO_SETTINGS_MODULE shop.settings.${BUILD_ENV}\n"
                      "WORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
        "manage.py": MANAGE.replace("app.settings", "shop.settings.local"), "shop/__init__.py": "",
        "shop/wsgi.py": "", "shop/settings/__init__.py": "", "shop/settings/local.py": "DEBUG = True\n",
        "shop/settings/production.py": "DEBUG = False\nALLOWED_HOSTS = ['shop.example']\n"})
    setups = discover([tmp_path])
    project = Project(setups[0], tmp_path, None, {}, siblings=setups)
    assert [settings.path.name for settings in project.settings] == ["local.py"]


# The development stack builds the image and tags it `shop`; the production stack pulls it as `acme/shop`, as the
# project publishes it, and starts gunicorn with its script: that stack is the project's deployment.
PULLED = {
    "docker-compose.yml": "services:\n  web:\n    image: shop\n    build: ./app\n    command: sh entrypoint.sh\n"
                          "    volumes:\n      - ./app:/app\n  redis:\n    image: redis:alpine\n",
    "docker-compose.prod.yml": "services:\n  web:\n    image: acme/shop\n    command: sh entrypoint.prod.sh\n"
                               "    ports:\n      - \"8000:8000\"\n",
    "app/Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\nUSER nobody\n",
    "app/entrypoint.sh": "#!/bin/sh\nexec python manage.py runserver 0.0.0.0:8000\n",
    "app/entrypoint.prod.sh": "#!/bin/sh\nexec gunicorn shop.wsgi -b 0.0.0.0:8000\n",
    "app/manage.py": MANAGE.replace("app.settings", "shop.settings"), "app/shop/__init__.py": "",
    "app/shop/wsgi.py": "", "app/shop/settings.py": "DEBUG = False\nALLOWED_HOSTS = ['shop.example']\n",
}


def test_a_stack_that_pulls_the_image_another_builds_runs_that_build(tmp_path):
    root = tmp_path / "shop"
    write_files(root, PULLED)
    setups = discover([root])
    production = next(s for s in setups if s.compose_files[0].name == "docker-compose.prod.yml")
    project = Project(production, root, None, {}, siblings=setups)
    assert [run.name for run in project.django_runs] == ["service web"]
    # the development stack's cache is development's now that the project is seen deployed
    assert not [f for f in lint(root) if f.code == "DJC209"]
