"""Causes from the nineteenth and twentieth reviews: a development base file that says so in its opening comment,
with a production override merged onto it; the Dockerfile beside one named for production; a service of the
project's published image that names the project's settings; platforms' and clusters' deployment files; an f-string
only Python 3.12 reads; a program in a branch the container may not take (DJC415); HSTS subdomains and preload as
choices (DJC310); an anchor defined twice; one database folder two stacks share (DJC403); DEBUG written as a
string; an image parked for `docker exec` (DJC109)."""

from __future__ import annotations

import sys
import warnings

import pytest
from conftest import lint, write_files

from djlint_docker.rules.snippets import MANAGE


def _codes(root):
    return sorted((f.code, f.path, f.line) for f in lint(root))


BASE = ("{comment}services:\n  db:\n    image: postgres:16\n    environment:\n"
        "      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:-postgres}}\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
        "  web:\n    build: .\n    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n    volumes:\n      - .:/app\n"
        "    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings.production\n"
        "      DATABASE_URL: postgres://postgres:${{POSTGRES_PASSWORD:-postgres}}@db/shop\n"
        "    depends_on: [db]\nvolumes:\n  pg:\n")
PRODUCTION = ("services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n"
              "  web:\n    volumes: !override []\n    environment:\n"
              "      DATABASE_URL: postgres://postgres:${POSTGRES_PASSWORD:?}@db/shop\n")
SHOP = {"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
        "manage.py": MANAGE, "shop/__init__.py": "", "shop/wsgi.py": "", "shop/settings/__init__.py": "",
        "shop/settings/production.py": "DEBUG = False\n", ".dockerignore": ".git\n"}


@pytest.mark.parametrize("comment", [
    "# Development compose file. For production use:\n#   docker compose -f docker-compose.yml -f docker-compose.prod.yml up\n",
    "# Compose setup for local development\n",
])
def test_a_development_base_file_that_says_so_beside_its_production_override(tmp_path, comment):
    write_files(tmp_path, {**SHOP, "docker-compose.yml": BASE.format(comment=comment),
                           "docker-compose.prod.yml": PRODUCTION})
    codes = [code for code, _, _ in _codes(tmp_path)]
    assert "DJC207" not in codes and "DJC219" not in codes


def test_the_same_base_file_without_the_comment_is_what_ships(tmp_path):
    write_files(tmp_path, {**SHOP, "docker-compose.yml": BASE.format(comment=""),
                           "docker-compose.prod.yml": PRODUCTION})
    codes = [code for code, _, _ in _codes(tmp_path)]
    assert "DJC219" in codes


def test_the_production_override_merged_onto_a_declared_development_base_is_deployed(tmp_path):
    """The override keeps the base's password fallback: the merged stack deploys it."""
    production = PRODUCTION.replace("  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n", "")
    write_files(tmp_path, {**SHOP, "docker-compose.yml": BASE.format(comment="# Development compose file.\n"),
                           "docker-compose.prod.yml": production})
    assert ("DJC207", "docker-compose.yml", 6) in _codes(tmp_path)


@pytest.mark.parametrize(("sibling", "reported"), [("Dockerfile.prod", False), ("Dockerfile.prod.md", True)])
def test_the_dockerfile_beside_one_named_for_production_is_the_development_one(tmp_path, sibling, reported):
    """The production stack's build is broken (its context is missing): what it deploys is the image named so."""
    write_files(tmp_path, {
        "compose.prod.yaml": "services:\n  web:\n    build:\n      context: ./app\n      dockerfile: Dockerfile.prod\n"
                             "    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n",
        "compose.yaml": "services:\n  web:\n    build: ./server\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - ./server:/app\n    environment:\n"
                        "      DJANGO_SETTINGS_MODULE: shop.settings.dev\n",
        "server/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        f"server/{sibling}": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n"
                             "ENTRYPOINT [\"/app/entrypoint.prod.sh\"]\n",
        "server/manage.py": MANAGE, "server/shop/__init__.py": "", "server/shop/wsgi.py": "",
        "server/shop/settings/__init__.py": "", "server/shop/settings/dev.py": "DEBUG = True\n",
        "server/shop/settings/production.py": "DEBUG = False\n", "server/.dockerignore": ".git\n"})
    assert (("DJC108", "server/Dockerfile", 1) in _codes(tmp_path)) is reported


@pytest.mark.parametrize(("production", "reported"), [
    ("services:\n  api:\n    image: ghcr.io/acme/shop-prod-server:latest\n    environment:\n"
     "      DJANGO_SETTINGS_MODULE: shop.settings\n", False),
    (None, True),  # the database stack is all there is: it ships
])
def test_a_database_for_django_on_the_host_beside_a_stack_of_the_published_image(tmp_path, production, reported):
    files = {"docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    ports:\n      - 5432:5432\n",
             "manage.py": MANAGE, "shop/__init__.py": "", "shop/settings.py": "DEBUG = False\n"}
    if production:
        files["docker-compose.prod.yml"] = production
    write_files(tmp_path, files)
    assert (("DJC210", "docker-compose.yml", 5) in _codes(tmp_path)) is reported


def test_an_f_string_only_python_3_12_reads(tmp_path):
    """PEP 701: quotes and line breaks inside an f-string's braces. Python 3.11 cannot read them; the image's may."""
    write_files(tmp_path, {"manage.py": MANAGE, "shop/__init__.py": "", "Dockerfile": "FROM python:3.13-slim\n",
                           "shop/settings.py": "import os\nURL = f\"{os.getenv('SCHEME', 'http')}://{\n"
                                               "    os.getenv('HOST', 's3')\n}\"\n"})
    messages = [f.message for f in lint(tmp_path) if f.code == "DJC001"]
    if sys.version_info >= (3, 12):
        assert messages == []
    else:
        assert len(messages) == 1 and "Python 3.12 and later can" in messages[0]


def test_an_anchor_defined_twice_is_read_as_compose_reads_it_without_a_warning(tmp_path):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes: &code\n      - .:/app\n"
                        "  worker:\n    build: .\n    volumes: &code\n      - ./src:/app/src\n"
                        "  beat:\n    build: .\n    volumes: *code\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        codes = [code for code, _, _ in _codes(tmp_path)]
    assert "DJC001" not in codes


def test_hsts_for_every_subdomain_and_the_preload_list_are_choices_not_faults(tmp_path):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n", ".dockerignore": ".git\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
        "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['shop.example.com']\n"
                            "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n"
                            "SECURE_HSTS_SECONDS = 3600\nSECURE_SSL_REDIRECT = True\n"})
    assert [f.message for f in lint(tmp_path) if f.code == "DJC310"] == []


def test_a_database_folder_two_stacks_keep_their_data_in_is_reported_once(tmp_path):
    stack = ("services:\n  db:\n    image: postgres:16\n    volumes:\n      - ./data/db:/var/lib/postgresql/data\n"
             "    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n")
    write_files(tmp_path, {"compose.prod.yml": stack, "compose.qa.yml": stack, ".gitignore": ".env\n",
                           "manage.py": MANAGE, "Dockerfile": "FROM python:3.12-slim\n"})
    (tmp_path / ".git").mkdir()
    assert [(path, line) for code, path, line in _codes(tmp_path) if code == "DJC403"] == [("compose.prod.yml", 5)]


def test_debug_written_as_the_string_false_is_on_and_the_message_says_why(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
                           "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
                           "app/settings.py": "DEBUG = \"False\"\n"})
    assert [f.message for f in lint(tmp_path) if f.code == "DJC301"] == [
        "DEBUG is the string 'False' in the settings the container runs, and any string but '' is true: DEBUG is on; "
        "write a boolean, read from the environment, default off"]


def test_an_image_parked_for_docker_exec_is_told_what_the_shell_form_costs_it(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD tail -f /dev/null\n",
                           "manage.py": MANAGE})
    assert [f.message for f in lint(tmp_path) if f.code == "DJC109"] == [
        "`CMD tail -f /dev/null` is in shell form: the shell is PID 1 and ignores SIGTERM: `docker stop` waits 10 s "
        "before it kills the container; use the JSON (exec) form"]


def test_a_duplicate_key_is_named_without_its_whole_value(tmp_path):
    value = "".join(f"  s{number}:\n    image: postgres:16\n" for number in range(200))
    write_files(tmp_path, {"compose.yaml": f"services:\n{value}services:\n{value}", "manage.py": MANAGE})
    assert [(f.line, f.message) for f in lint(tmp_path) if f.code == "DJC001"] == [
        (402, 'compose file: while constructing a mapping found duplicate key "services" (it started on line 1); '
              'Compose refuses the file (djcheck reads the last value)')]


def test_the_stage_compose_builds_is_named_as_the_target_not_the_final_stage(tmp_path):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      target: builder\n"
                        "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "Dockerfile": "FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY . .\n\n"
                      "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nCOPY --from=builder /app /app\nUSER nobody\n",
        "manage.py": MANAGE, ".dockerignore": ".git\n", "app/report.py": "print('sent')\n"})
    messages = [f.message for f in lint(tmp_path) if f.code in {"DJC104", "DJC108"}]
    assert sorted(message.split(":")[0] for message in messages) == [
        "stage builder, the target compose builds, does not set PYTHONUNBUFFERED",
        "stage builder, the target compose builds, sets no USER"]


def test_a_wildcard_written_beside_a_variable_is_no_forgotten_variable(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
                           "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
                           "app/settings.py": "import os\nALLOWED_HOSTS = ['*', 'localhost', os.getenv('SITE_HOST')]\n"})
    assert [f.message for f in lint(tmp_path) if f.code == "DJC304"] == [
        "ALLOWED_HOSTS contains '*': Django trusts any Host header; list the host names the site is served under"]


def test_an_editors_local_history_holds_no_setup(tmp_path):
    write_files(tmp_path, {"compose.yaml": "services:\n  db:\n    image: postgres:16\n",
                           ".history/compose_20250307173937.yaml": "version: '3.8'\nservices:\n  db:\n"
                                                                   "    image: postgres\n",
                           "manage.py": MANAGE})
    assert not any(path.startswith(".history/") for _, path, _ in _codes(tmp_path))


def test_a_script_on_a_path_folder_an_earlier_env_added_is_found(tmp_path):
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nENV PATH=\"/scripts:${PATH}\"\nENV PATH=\"/opt/tools/bin:${PATH}\"\n"
                      "COPY ./app /app\nWORKDIR /app\nCOPY ./scripts /scripts\nRUN chmod +x /scripts/*\n"
                      "CMD [\"entrypoint.sh\"]\n",
        "scripts/entrypoint.sh": "#!/bin/sh\npython manage.py migrate\necho starting && uwsgi --module app.wsgi\n",
        "app/manage.py": MANAGE})
    assert [(path, line) for code, path, line in _codes(tmp_path) if code == "DJC411"] == [("scripts/entrypoint.sh", 3)]


def test_the_python_range_of_a_pinned_django_is_the_pinned_releases_own(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.10.9-alpine3.17\nCOPY requirements.txt .\n"
                                         "RUN pip install --no-cache-dir -r requirements.txt\n",
                           "requirements.txt": "Django==3.2\n", "manage.py": MANAGE})
    assert [f.message.split(" (")[0] for f in lint(tmp_path) if f.code == "DJC114"] == [
        "Django==3.2 supports Python 3.6 to 3.9, but the image runs Python 3.10"]
