"""Causes of false findings the ninetieth and ninety-first blind reviews left, each pinned where it lives (session 29)."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.discover import discover
from djlint_docker.project import Project
from tests.conftest import lint, rule_findings, write_files

FASTAPI_BACKEND = {
    "infra/docker-compose.yml": "services:\n  api:\n    build:\n      context: ../backend\n"
                                "    command: uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload\n"
                                "    volumes:\n      - ../backend:/app\n",
    "infra/docker-compose.prod.yml": "services:\n  api:\n    build:\n      context: ../backend\n"
                                     "      dockerfile: Dockerfile.prod\n    restart: always\n",
    "backend/Dockerfile": "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                          "RUN pip install -r requirements.txt\nCOPY . .\n"
                          "CMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--reload\"]\n",
    "backend/Dockerfile.prod": "FROM python:3.13-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y curl "
                               "&& rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\n"
                               "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                               "COPY entrypoint.prod.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
    "backend/entrypoint.prod.sh": "#!/bin/sh\nset -e\nalembic upgrade head\n"
                                  "exec uvicorn app.main:app --host 0.0.0.0 --workers 4\n",
    "backend/requirements.txt": "# Web\nfastapi>=0.115,<0.116\nuvicorn[standard]==0.32\nsqlalchemy==2.0\n",
    "backend/app/__init__.py": "",
    "backend/app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    # a FastAPI project's settings, in a folder named like Django's settings package but no package
    "backend/app/core/settings/config.py": "from pydantic_settings import BaseSettings\n",
    "backend/app/core/settings/database.py": "DATABASE_URL = 'postgresql://localhost/app'\n",
}


def test_a_fastapi_backend_with_a_settings_folder_is_no_django_setup(tmp_path: Path) -> None:
    write_files(tmp_path, FASTAPI_BACKEND)
    assert discover([tmp_path]) == []
    assert lint(tmp_path) == []


def test_a_django_settings_package_beside_the_same_stack_is_still_checked(tmp_path: Path) -> None:
    write_files(tmp_path, {
        **FASTAPI_BACKEND,
        "backend/requirements.txt": "Django==5.1\ngunicorn==23.0\n",
        "backend/app/core/settings/__init__.py": "",
        "backend/app/core/settings/config.py": "DEBUG = True\nSECRET_KEY = 'dev'\n",
    })
    assert {setup.compose_files[0].name for setup in discover([tmp_path])} == {
        "docker-compose.yml", "docker-compose.prod.yml"}


def test_a_server_named_in_compose_still_keeps_a_stack_of_a_published_django_image(tmp_path: Path) -> None:
    write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/shop:1.4\n"
                                           "    command: gunicorn -b 0.0.0.0:8000 shop.app:application\n"})
    assert len(discover([tmp_path])) == 1


@pytest.mark.parametrize(("image", "mount", "expected"), [
    ("postgres:18-alpine", "pgdata:/var/lib/postgresql/data", "refuse to start with a volume at /var/lib/postgresql/data"),
    ("postgres:18", "pgdata:/var/lib/postgresql/data/", "refuse to start"),
    ("postgres:17", "pgdata:/var/lib/postgresql/data", None),
    ("postgres:18", "pgdata:/var/lib/postgresql", None),
    ("postgres", "pgdata:/var/lib/postgresql/data", None),  # latest: 18, or an older pull, where it is right
])
def test_postgres_18_refuses_a_volume_at_the_old_data_folder(tmp_path: Path, image, mount, expected) -> None:
    write_files(tmp_path, {"compose.yaml": f"services:\n  db:\n    image: {image}\n    volumes:\n      - {mount}\n"
                                           "volumes:\n  pgdata: {}\n"})
    found = rule_findings(tmp_path, "DJC206")
    if expected is None:
        assert found == []
    else:
        assert [(path, line) for path, line, _ in found] == [("compose.yaml", 5)]
        assert expected in found[0][2] and "mount the volume at /var/lib/postgresql" in found[0][2]


PIP_DOCKERFILE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                  "COPY . .\n")
SHOP = {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
        "shop/__init__.py": "", "shop/asgi.py": "", "shop/wsgi.py": "", "shop/settings.py": "DEBUG = False\n"}
"""A Django project of one package, ``shop``, and the Dockerfile that installs its requirements."""

IGNORING_ENTRYPOINT = {
    **SHOP, "Dockerfile": PIP_DOCKERFILE + "ENTRYPOINT [\"/app/wrapper.sh\"]\n",
    "requirements.txt": "Django==5.1\ncelery==5.4\ndaphne==4.1\n",
    "compose.yaml": "services:\n  web:\n    build: .\n  flower:\n    build: .\n"
                    "    command: celery -A shop flower --port=5555\n",
}


@pytest.mark.parametrize(("wrapper", "entrypoint", "reported"), [
    # the wrapper hands its arguments to a script that never reads them and always starts daphne
    ("#!/bin/sh\nset -e\nexec /app/entrypoint.sh \"$@\"\n",
     "#!/bin/sh\nwait_for() {\n  local host=$1\n  echo \"$host\"\n}\npython manage.py migrate\n"
     "exec daphne -b 0.0.0.0 -p 8000 shop.asgi:application\n", False),
    ("#!/bin/sh\nset -e\nexec /app/entrypoint.sh \"$@\"\n",
     "#!/bin/sh\npython manage.py migrate\nexec \"$@\"\n", True),
    ("#!/bin/sh\nset -e\nexec /app/entrypoint.sh\n", "#!/bin/sh\nexec \"$@\"\n", False),
    ("#!/bin/sh\nif [ $# -gt 0 ]; then exec \"$@\"; fi\nexec daphne shop.asgi:application\n", "", True),
    # a helper that reads nothing, then the command given
    ("#!/bin/sh\n/app/entrypoint.sh && exec \"$@\"\n", "#!/bin/sh\npython manage.py migrate\n", True),
    # a Python entrypoint reads sys.argv, which djcheck does not read
    ("#!/usr/bin/env python3\nimport os, sys\nos.execvp(sys.argv[1], sys.argv[1:])\n", "", True),
])
def test_a_command_given_to_an_entrypoint_that_never_reads_it_never_runs(tmp_path: Path, wrapper, entrypoint,
                                                                          reported) -> None:
    write_files(tmp_path, {**IGNORING_ENTRYPOINT, "wrapper.sh": wrapper, "entrypoint.sh": entrypoint})
    assert any("flower" in message for _, _, message in rule_findings(tmp_path, "DJC415")) == reported


DEVELOPMENT_BESIDE_PRODUCTION = {
    **SHOP, "Dockerfile": PIP_DOCKERFILE + "USER nobody\n",
    "requirements.txt": "Django==5.1\ngunicorn==23.0\ncelery==5.4\nredis==5.0\n",
    # the web container is a developer's; the API server beside it says nothing of where it runs
    "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                          "    volumes:\n      - .:/app\n  api:\n    build: .\n"
                          "    command: gunicorn shop.wsgi -b 0.0.0.0:8001\n  cache:\n    image: redis:latest\n",
}


PRODUCTION_STACK = "services:\n  web:\n    build: .\n    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n"


@pytest.mark.parametrize(("deployment", "reported"), [
    ({"docker-compose.prod.yml": PRODUCTION_STACK}, False),
    ({"deploy/docker-compose.prod.yml": PRODUCTION_STACK.replace("build: .", "build: ..")}, True),
    ({"Procfile": "web: gunicorn shop.wsgi\n"}, True),
])
def test_a_stack_with_a_development_server_beside_a_production_file_is_development(tmp_path: Path, deployment,
                                                                                     reported) -> None:
    write_files(tmp_path, {**DEVELOPMENT_BESIDE_PRODUCTION, **deployment})
    found = [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC209")]
    assert (("docker-compose.yml", 11) in found) == reported



@pytest.mark.parametrize(("compose_name", "template", "debug"), [
    ("docker-compose.prod.yml", ".env.example", None),
    ("deploy/production/docker-compose.yml", ".env.example", None),
    ("docker-compose.yml", ".env.example", "True"),
    # the production template is what the deployer copies: its value stands
    ("docker-compose.prod.yml", ".env.prod.example", "True"),  # (beside .env.example, for the development stack)
])
def test_a_templates_debug_on_is_not_what_a_production_stack_runs_with(tmp_path: Path, compose_name, template,
                                                                        debug) -> None:
    folder = Path(compose_name).parent
    write_files(tmp_path / folder, {
        Path(compose_name).name: "services:\n  web:\n    build: .\n    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n"
                                 "    env_file:\n      - .env\n",
        ".gitignore": ".env\n",
        ".env.example": "DEBUG=True\nSECRET_KEY=change-me\nALLOWED_HOSTS=localhost\n",
        template: "DEBUG=True\nSECRET_KEY=change-me\nALLOWED_HOSTS=localhost\n",
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
        "manage.py": SHOP["manage.py"],
    })
    project = Project(discover([tmp_path])[0], tmp_path)
    values = project.env_values(tmp_path / folder / ".env")
    assert values is not None and values["DEBUG"].value == debug and values["ALLOWED_HOSTS"].value == "localhost"


def test_an_env_file_committed_without_its_dot_is_the_template_of_the_hidden_one(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n"
                        "    env_file:\n      - .env\n",
        ".gitignore": ".env\n",
        "env": "DJANGO_SECRET_KEY=change-me\nDJANGO_ALLOWED_HOSTS=localhost\n",
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
        "manage.py": SHOP["manage.py"],
    })
    assert rule_findings(tmp_path, "DJC211") == []
    assert any("once made from env" in message for _, _, message in rule_findings(tmp_path, "DJC402")
               + rule_findings(tmp_path, "DJC401"))


def test_an_env_file_above_the_build_context_is_not_sent_with_it(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "web/compose.yaml": "services:\n  web:\n    build: .\n    env_file:\n      - ../.env\n",
        ".gitignore": ".env\n",
        "web/.dockerignore": "venv/\nnode_modules/\n.env\n",
        "web/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "web/manage.py": SHOP["manage.py"],
    })
    assert rule_findings(tmp_path, "DJC402") == []


@pytest.mark.parametrize(("override", "merged"), [
    # builds for the images the base pulls: `-f docker-compose.yml -f docker-compose.build.yml build`
    ("services:\n  db:\n    build: ./postgres\n  web:\n    build:\n      context: ./web\n", True),
    # a stack of its own that happens to build the same names
    ("services:\n  web:\n    build: ./web\n    ports:\n      - \"8000:8000\"\n", False),
])
def test_an_override_that_only_builds_the_base_images_is_merged_with_its_base(tmp_path: Path, override,
                                                                               merged) -> None:
    write_files(tmp_path, {
        "docker/docker-compose.yml": "services:\n  db:\n    image: ghcr.io/acme/shop-db:2.1\n    volumes:\n"
                                     "      - pg:/var/lib/postgresql/data\n  web:\n    image: ghcr.io/acme/shop:2.1\n"
                                     "    depends_on: [db]\nvolumes:\n  pg: {}\n",
        "docker/docker-compose.build.yml": override,
        "docker/postgres/Dockerfile": "FROM postgres:16\n",
        "docker/web/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
        "docker/web/manage.py": SHOP["manage.py"],
    })
    stacks = {tuple(path.name for path in setup.compose_files) for setup in discover([tmp_path])}
    assert (("docker-compose.yml", "docker-compose.build.yml") in stacks) == merged
    assert (("docker-compose.build.yml",) in stacks) == (not merged)
