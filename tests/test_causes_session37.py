"""Causes of false and noisy findings the hundred-ninth and later reviews found (session 37)."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.discover import discover
from tests.conftest import rule_findings, write_files

BACKEND = {
    "backend/requirements.txt": "Django==4.2.11\ngunicorn==21.2.0\npsycopg2-binary==2.9.9\n",
    "backend/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'recipes.settings')\n",
    "backend/recipes/__init__.py": "",
    "backend/recipes/wsgi.py": ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'recipes.settings')\n"
                                "from django.core.wsgi import get_wsgi_application\n"
                                "application = get_wsgi_application()\n"),
    "backend/recipes/settings.py": (
        "import os\nfrom django.core.management.utils import get_random_secret_key\n"
        "SECRET_KEY = os.getenv('SECRET_KEY', get_random_secret_key())\nDEBUG = False\n"
        "ALLOWED_HOSTS = ['recipes.example.org']\nDATABASES = {'default': {\n"
        "    'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db', 'NAME': 'recipes',\n"
        "    'USER': 'recipes', 'PASSWORD': os.getenv('POSTGRES_PASSWORD')}}\n"),
    "backend/Dockerfile": ("FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                           "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                           "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"recipes.wsgi\"]\n"),
    "backend/.dockerignore": ".env\n__pycache__\n",
    ".gitignore": ".env\n",
    "docker-compose.production.yml": (
        "services:\n  db:\n    image: postgres:16\n    env_file: .env\n    volumes:\n"
        "      - pg_data:/var/lib/postgresql/data\n"
        "  backend:\n    image: acme/recipes_backend\n    env_file: .env\n    depends_on:\n      - db\n"
        "volumes:\n  pg_data:\n"),
}
"""A production stack that pulls the backend image CI builds and pushes; its env file is made on the server."""
PUSH_JOB = ("name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  build_backend:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/setup-buildx-action@v3\n"
            "      - name: Push to Docker Hub\n        uses: docker/build-push-action@v6\n        with:\n"
            "          context: ./backend/\n          push: true\n{tags}")


@pytest.mark.parametrize("tags", [
    "          tags: acme/recipes_backend:latest\n",
    "          tags: |\n            acme/recipes_backend:latest\n            acme/recipes_backend:${{ github.sha }}\n",
    "          tags:\n            - acme/recipes_backend:latest\n",
])
def test_a_stack_pulling_the_image_a_pipeline_tags_runs_that_dockerfiles_image(tmp_path: Path, tags: str) -> None:
    write_files(tmp_path, {**BACKEND, ".github/workflows/main.yml": PUSH_JOB.format(tags=tags)})
    # the stack's env file, made on the server, gives SECRET_KEY: the random fallback is not judged
    assert rule_findings(tmp_path, "DJC315") == []


def test_an_image_no_stack_is_known_to_pull_is_judged_alone(tmp_path: Path) -> None:
    write_files(tmp_path, {**BACKEND, ".github/workflows/main.yml": PUSH_JOB.format(
        tags="          tags: acme/other_backend:latest\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC315")] == [
        ("backend/recipes/settings.py", 3)]


LOCAL_ENVS = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "config/__init__.py": "",
    "config/settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
    "requirements.txt": "Django==5.2.1\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
    "docker-compose.yml": ("services:\n  django:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                           "    env_file:\n      - ./.envs/.local/.django\n      - ./.envs/.local/.postgres\n"),
    ".gitignore": ".envs/*\n!.envs/env.example\n",
}


@pytest.mark.parametrize("templates", [".envs/env.example", ".envs/envs.sample", ".envs/example"])
def test_a_folder_of_env_templates_beside_the_local_one_makes_its_files(tmp_path: Path, templates: str) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, f"{templates}/.django": "DJANGO_SECRET_KEY=\n",
                           f"{templates}/.postgres": "POSTGRES_PASSWORD=\n"})
    assert rule_findings(tmp_path, "DJC211") == []


def test_a_folder_of_templates_for_another_folder_makes_no_local_file(tmp_path: Path) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, ".envs/.production.example/.django": "DJANGO_SECRET_KEY=\n",
                           ".envs/.production.example/.postgres": "POSTGRES_PASSWORD=\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC211")] == [
        ("docker-compose.yml", 6), ("docker-compose.yml", 7)]


ALPINE_PROD = ("FROM python:3.8.3-alpine\nWORKDIR /app\nRUN apk add --no-cache postgresql-dev gcc musl-dev\n"
               "COPY . .\nRUN apt-get update && apt-get -y install cron\n"
               "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"shop.wsgi\"]\n")


@pytest.mark.parametrize("base, reported", [("python:3.8.3-alpine", True), ("alpine:3.20", True),
                                            ("python:3.12-slim", False), ("acme/python:3.12", False)])
def test_apt_get_on_alpine_stops_the_build_and_leaves_nothing_behind(tmp_path: Path, base: str,
                                                                     reported: bool) -> None:
    write_files(tmp_path, {"Dockerfile": ALPINE_PROD.replace("python:3.8.3-alpine", base).replace(
        "RUN apk add --no-cache postgresql-dev gcc musl-dev\n", ""), "manage.py": "# django\n"})
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC124")] == ([4] if reported else [])
    # apt-get leaves its lists behind only where it runs
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC111")] == ([] if reported else [4])


def test_apk_on_the_debian_python_image_stops_the_build(tmp_path: Path) -> None:
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim-bookworm\nRUN apk add --no-cache libpq\n",
                           "manage.py": "# django\n"})
    [(_, line, message)] = rule_findings(tmp_path, "DJC124")
    assert line == 2 and "`apk`" in message and "a Debian image" in message and "`apt-get install`" in message


@pytest.mark.parametrize("folder, setups", [(".draft", 1), (".old", 1), ("draft", 2)])
def test_a_hidden_folder_of_drafts_is_no_setup(tmp_path: Path, folder: str, setups: int) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, f"{folder}/docker-compose.yml": (
        "services:\n  web:\n    build: ./frontend\n    command: python manage.py runserver 0.0.0.0:8000\n"),
        f"{folder}/manage.py": "# django\n"})
    assert len(discover([tmp_path])) == setups


@pytest.mark.parametrize("key, meant", [("volumnes", "volumes"), ("enviroment", "environment"),
                                        ("depend_on", "depends_on"), ("volume_driver", None)])
def test_a_key_compose_does_not_know_stops_the_project(tmp_path: Path, key: str, meant: str | None) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, ".envs/example/.django": "DJANGO_SECRET_KEY=\n",
                           ".envs/example/.postgres": "POSTGRES_PASSWORD=\n",
                           "docker-compose.yml": LOCAL_ENVS["docker-compose.yml"] + f"    {key}:\n      - db\n"
                           "  db:\n    image: postgres:16\n"})
    [(path, line, message)] = rule_findings(tmp_path, "DJC223")
    assert (path, line) == ("docker-compose.yml", 8) and f"`{key}`" in message
    assert (f"did you mean `{meant}`" in message) == (meant is not None)


@pytest.mark.parametrize("shipper, judged", [("filebeat", False), ("logstash", False), ("worker", True)])
def test_a_log_shipper_whose_dockerfile_is_missing_runs_no_django(tmp_path: Path, shipper: str, judged: bool) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, "production.yml": (
        "services:\n  django:\n    build: .\n    command: gunicorn config.wsgi -b 0.0.0.0:8000\n"
        "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?}\n"
        f"  {shipper}:\n    build:\n      context: .\n      dockerfile: ./compose/production/{shipper}/Dockerfile\n"
        "    volumes:\n      - logs:/logs\nvolumes:\n  logs:\n")})
    # the image djcheck cannot read is Django's only when nothing names it for another program
    assert [line for path, line, _ in rule_findings(tmp_path, "DJC307") if path == "config/settings.py"] == (
        [2] if judged else [])


WAITING_ENTRYPOINT = ("#!/bin/sh\nset -o errexit\npostgres_ready() {\npython << END\nimport sys\nimport psycopg2\n"
                      "try:\n    psycopg2.connect(host='${POSTGRES_HOST}')\nexcept psycopg2.OperationalError:\n"
                      "    sys.exit(-1)\nsys.exit(0)\nEND\n}\nuntil postgres_ready; do\n  sleep 1\ndone\nexec \"$@\"\n")


@pytest.mark.parametrize("entrypoint, reported", [(WAITING_ENTRYPOINT, False), ("#!/bin/sh\nexec \"$@\"\n", True)])
def test_a_worker_that_waits_for_a_database_built_from_postgres_needs_no_depends_on(
        tmp_path: Path, entrypoint: str, reported: bool) -> None:
    write_files(tmp_path, {
        **LOCAL_ENVS, ".envs/example/.django": "DJANGO_SECRET_KEY=\n", ".envs/example/.postgres": "POSTGRES_HOST=db\n",
        "config/settings.py": ("import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDATABASES = {'default': {"
                               "'ENGINE': 'django.db.backends.postgresql', 'HOST': os.environ['POSTGRES_HOST']}}\n"),
        "requirements.txt": "Django==5.2.1\ncelery==5.4.0\npsycopg2-binary==2.9.9\n",
        "compose/entrypoint": entrypoint, "compose/postgres/Dockerfile": "FROM postgres:16\nCOPY init.sql /docker-"
                                                                           "entrypoint-initdb.d/\n",
        "compose/postgres/init.sql": "select 1;\n",
        "Dockerfile": ("FROM python:3.12-slim\nCOPY compose/entrypoint /entrypoint\nRUN chmod +x /entrypoint\n"
                       "WORKDIR /app\nCOPY . .\nENTRYPOINT [\"/entrypoint\"]\n"),
        "docker-compose.yml": ("services:\n  django: &django\n    build: .\n    env_file:\n      - ./.envs/.local/.django\n"
                               "      - ./.envs/.local/.postgres\n    command: python manage.py runserver 0.0.0.0:8000\n"
                               "    depends_on:\n      - db\n  db:\n    build:\n      context: .\n"
                               "      dockerfile: ./compose/postgres/Dockerfile\n    image: shop_local_db\n"
                               "  redis:\n    image: redis:7\n  celeryworker:\n    <<: *django\n    depends_on:\n"
                               "      - redis\n    command: celery -A config worker -l info\n")})
    assert [(path, line) for path, line, message in rule_findings(tmp_path, "DJC202") if "to db" in message] == (
        [("docker-compose.yml", 17)] if reported else [])
