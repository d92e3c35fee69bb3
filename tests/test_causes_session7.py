"""Causes found on real repositories in the seventh session's reviews."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import lint, write_files
from test_causes_review23 import DEV_AND_PROD_DOCKERFILES

from djlint_docker.rules.snippets import MANAGE


def _codes(root):
    return sorted((f.code, f.path, f.line) for f in lint(root))


# A 2016 tutorial's compose file: the services at the top level, without `services:` (the version 1 format).
VERSION_1 = {
    "docker-compose.yml": "db:\n  image: postgres:9.6\nweb:\n  build: .\n"
                          "  command: python manage.py runserver 0.0.0.0:8000\n  volumes:\n    - .:/code\n"
                          "  ports:\n    - \"8000:8000\"\n  links:\n    - db\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /code\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
    ".dockerignore": ".git\n", "requirements.txt": "django>=5.2,<5.3\npsycopg2-binary==2.9.10\n", "manage.py": MANAGE,
}


def test_a_version_1_compose_file_is_reported_and_its_services_are_read(tmp_path):
    write_files(tmp_path, {**VERSION_1, ".djcheck.toml": 'extend-select = ["DJC212"]\n'})  # links: opt-in
    findings = [f for f in lint(tmp_path) if f.path == "docker-compose.yml"]
    refused = [f for f in findings if f.code == "DJC001"]
    assert [(f.line, "version 1 format" in f.message) for f in refused] == [(1, True)]
    # the services are read as Compose v1 ran them: the database keeps its data nowhere; links are how they meet
    codes = {(f.code, f.line) for f in findings}
    assert ("DJC206", 1) in codes and "DJC212" not in {code for code, _ in codes}


def test_a_compose_file_with_services_reports_no_version_1_format(tmp_path):
    services = "services:\n" + "".join(f"  {line}\n" if line else "\n"
                                       for line in VERSION_1["docker-compose.yml"].splitlines())
    write_files(tmp_path, {**VERSION_1, "docker-compose.yml": services})
    assert not [f for f in lint(tmp_path) if f.code == "DJC001"]


def test_top_level_networks_and_volumes_are_no_services(tmp_path):
    write_files(tmp_path, {**VERSION_1, "docker-compose.yml": "volumes:\n  pg:\n    driver: local\n"
                                                              "networks:\n  back:\n    external: true\n"})
    assert not [f for f in lint(tmp_path) if f.code == "DJC001"]


# An entrypoint saved on Windows, each command closed by `;` before the CR, run as `sh entrypoint.sh`.
SEMICOLONS = b"#!/bin/sh\r\necho migrating;\r\necho collecting;\r\nexec \"$@\";\r\n"
ENTRYPOINT_BY_SH = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n"
                  "ENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\nCMD [\"gunicorn\", \"blog.wsgi\"]\n",
    ".dockerignore": ".git\n", "requirements.txt": "django>=5.2,<5.3\n", "manage.py": MANAGE,
}


def _entrypoint_findings(tmp_path, script):
    write_files(tmp_path, {**ENTRYPOINT_BY_SH, "entrypoint.sh": script})
    return [f.message for f in lint(tmp_path) if f.code == "DJC410"]


def test_crlf_after_semicolons_run_by_sh_still_runs_its_commands(tmp_path):
    assert _entrypoint_findings(tmp_path, SEMICOLONS) == []


@pytest.mark.parametrize("script", [
    SEMICOLONS.replace(b"\r\necho migrating", b"\r\nset -e;\r\necho migrating"),  # the first `\r` ends the script
    SEMICOLONS.replace(b"echo collecting;", b"echo collecting"),  # `collecting\r` is printed, `\r` in the word
    SEMICOLONS.replace(b"#!/bin/sh", b"#!/bin/sh -e"),
])
def test_crlf_is_reported_when_a_carriage_return_changes_a_command_or_stops_the_script(tmp_path, script):
    assert [m for m in _entrypoint_findings(tmp_path, script) if "CRLF" in m]


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_the_shell_runs_each_command_of_a_crlf_script_closed_by_semicolons(tmp_path):
    """The oracle: sh runs each command and fails only on the lone carriage returns."""
    script = tmp_path / "entrypoint.sh"
    script.write_bytes(SEMICOLONS)
    result = subprocess.run(["sh", str(script), "echo", "served"], capture_output=True)
    assert result.stdout.split() == [b"migrating", b"collecting", b"served"]


# Two stacks build one Dockerfile with no .dockerignore; only the development stack keeps the database in ./data/db.
TWO_STACKS_ONE_IMAGE = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER nobody\n"
                  "CMD [\"gunicorn\", \"blog.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
    "requirements.txt": "django>=5.2,<5.3\ngunicorn==23.0.0\npsycopg2-binary==2.9.10\n", "manage.py": MANAGE,
    "docker-compose.yml": "services:\n  db:\n    image: postgres:17\n    environment:\n"
                          "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    volumes:\n"
                          "      - ./data/db:/var/lib/postgresql/data\n"
                          "  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                          "    volumes:\n      - .:/app\n    depends_on: [db]\n",
    "docker-compose-production.yml": "services:\n  web:\n    build: .\n    ports:\n      - 8000:8000\n",
}


def test_a_dockerfile_two_stacks_build_is_one_finding_per_rule_and_line(tmp_path):
    write_files(tmp_path, TWO_STACKS_ONE_IMAGE)
    missing = [f.message for f in lint(tmp_path) if f.code == "DJC401"]
    assert len(missing) == 1 and "data/db" in missing[0]


@pytest.mark.parametrize(("written", "named"), [("3.6.1-alpine", True), ("3.12", True), ("python", False),
                                                 ("ubuntu", False)])
def test_a_version_written_without_its_image_is_called_so(tmp_path, written, named):
    write_files(tmp_path, {"Dockerfile": f"FROM {written}\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE})
    messages = [f.message for f in lint(tmp_path) if f.code == "DJC106"]
    assert len(messages) == 1 and ("tag without its image" in messages[0]) is named


ENVIRONMENT_SETTINGS = (
    "import os\nimport dj_database_url\n\nSECRET_KEY = os.environ['SECRET_KEY']\n"
    "DEBUG = os.environ.get('ENVIRONMENT') == 'development'\n\n"
    "if {test}:\n    DATABASES = {{'default': {{'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db',\n"
    "                             'NAME': 'app', 'USER': 'postgres', 'PASSWORD': 'postgres'}}}}\n"
    "else:\n    DATABASES = {{'default': dj_database_url.config()}}\n")
SETTINGS_PROJECT = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
    ".dockerignore": ".git\n", "manage.py": MANAGE, "app/__init__.py": "",
    "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
}


@pytest.mark.parametrize(("test", "reported"), [
    ("os.environ.get('ENVIRONMENT') == 'development'", False),  # the very test DEBUG is set from
    ("DEBUG", False),
    ("os.environ.get('DJANGO_ENV') == 'local'", False),
    ("os.environ.get('ENVIRONMENT') != 'development'", True),  # the way every deployment takes
    ("os.environ.get('ENVIRONMENT') == 'production'", True),
])
def test_a_literal_password_on_the_way_only_development_takes_is_not_reported(tmp_path, test, reported):
    write_files(tmp_path, {**SETTINGS_PROJECT, "app/settings.py": ENVIRONMENT_SETTINGS.format(test=test)})
    assert bool([f for f in lint(tmp_path) if f.code == "DJC311"]) is reported


def test_the_test_debug_is_set_from_is_the_debugging_way_whatever_it_names(tmp_path):
    settings = ENVIRONMENT_SETTINGS.format(test="os.environ.get('STAGE') == 'qa'").replace(
        "os.environ.get('ENVIRONMENT') == 'development'", "os.environ.get('STAGE') == 'qa'")
    write_files(tmp_path, {**SETTINGS_PROJECT, "app/settings.py": settings})
    assert not [f for f in lint(tmp_path) if f.code == "DJC311"]
    write_files(tmp_path, {"app/settings.py": settings.replace("DEBUG = os.environ.get('STAGE') == 'qa'",
                                                              "DEBUG = False")})
    assert [f for f in lint(tmp_path) if f.code == "DJC311"]


# Flower and a worker whose compose `entrypoint:` is `celery` and whose `command:` gives the rest.
CELERY_SPLIT = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
    ".dockerignore": ".git\n", "manage.py": MANAGE, "app/__init__.py": "",
    "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
    "app/celery.py": "import os\nfrom celery import Celery\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                     "'app.settings')\napp = Celery('app')\n",
    "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                       "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db',\n"
                       "                         'PASSWORD': os.environ['DB_PASSWORD']}}\n"
                       "CELERY_BROKER_URL = 'redis://redis:6379/0'\n",
    "docker-compose.yml": "services:\n  db:\n    image: postgres:17\n    environment:\n"
                          "      POSTGRES_PASSWORD: ${DB_PASSWORD:?}\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                          "  redis:\n    image: redis:7.4\n"
                          "  web:\n    build: .\n    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n"
                          "      DB_PASSWORD: ${DB_PASSWORD:?}\n    depends_on: [db, redis]\n"
                          "  flower:\n    build: .\n    entrypoint: celery\n    command: -A app flower\n"
                          "    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n      DB_PASSWORD: ${DB_PASSWORD:?}\n"
                          "    depends_on: [redis]\n"
                          "  worker:\n    build: .\n    entrypoint: [celery]\n    command: [-A, app, worker]\n"
                          "    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n      DB_PASSWORD: ${DB_PASSWORD:?}\n"
                          "    depends_on: [redis]\n"
                          "volumes:\n  pg:\n",
}


def test_a_services_entrypoint_and_command_run_as_one_command(tmp_path):
    """Flower never opens the database; the worker does, and says so on its own line."""
    write_files(tmp_path, CELERY_SPLIT)
    missing = [f.message.split(" connects")[0] for f in lint(tmp_path) if f.code == "DJC202"]
    assert missing == ["service worker"]


HEROKU = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /code\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                  "CMD gunicorn shop.wsgi:application --bind 0.0.0.0:$PORT\n",
    ".dockerignore": ".git\n", "requirements.txt": "django>=5.2,<5.3\ngunicorn==23.0.0\n", "manage.py": MANAGE,
    "heroku.yml": "build:\n  docker:\n    web: Dockerfile\nrun:\n  web: gunicorn shop.wsgi:application --bind "
                  "0.0.0.0:$PORT\n",
    "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                          "    volumes:\n      - .:/code\n    ports:\n      - 8000:8000\n",
}


def test_a_shell_form_cmd_heroku_and_the_development_stack_each_replace_is_not_reported(tmp_path):
    write_files(tmp_path, HEROKU)
    assert not [f for f in lint(tmp_path) if f.code == "DJC109"]


def test_a_shell_form_cmd_heroku_runs_is_reported_and_keeps_its_shell_for_the_variable(tmp_path):
    write_files(tmp_path, {**HEROKU, "heroku.yml": HEROKU["heroku.yml"].split("run:")[0]})
    messages = [f.message for f in lint(tmp_path) if f.code == "DJC109"]
    assert len(messages) == 1 and "start it with `exec`" in messages[0] and "$PORT" in messages[0]


def test_a_source_mount_where_the_image_never_looks_leaves_no_bytecode_in_the_source(tmp_path):
    files = {"Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . /app\n"
                           "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
             ".dockerignore": ".git\n", "manage.py": MANAGE,
             "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/backend\n"}
    write_files(tmp_path, files)
    codes = {f.code for f in lint(tmp_path)}
    assert "DJC219" in codes and "DJC105" not in codes
    write_files(tmp_path, {"docker-compose.yml": files["docker-compose.yml"].replace("/backend", "/app")})
    assert "DJC105" in {f.code for f in lint(tmp_path)}


def test_a_stage_ending_in_workdir_starts_its_container_there():
    from djlint_docker.parse.dockerfile import parse_dockerfile

    dockerfile = parse_dockerfile(Path("Dockerfile"), "FROM python:3.12\nWORKDIR /usr/src\nRUN true\nWORKDIR app/\n")
    assert dockerfile.workdir_after(dockerfile.final) == "/usr/src/app/"


# The image holds only the requirements; compose mounts the project and runs a script of it by its path.
MOUNTED_START = {
    "config/django/Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt requirements.txt\n"
                                "RUN pip install --no-cache-dir -r requirements.txt\nWORKDIR /usr/src/app/\n",
    "config/django/requirements.txt": "django>=5.2,<5.3\ngunicorn==23.0.0\n",
    "config/startup.sh": "#!/bin/bash\ngunicorn shop.wsgi -b 0.0.0.0:8000\n",
    "Procfile": "web: gunicorn shop.wsgi\n", "manage.py": MANAGE, "shop/__init__.py": "",
    "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    "shop/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\nALLOWED_HOSTS = ['*']\n",
    "docker-compose.yml": "services:\n  web:\n    build: ./config/django\n    volumes:\n      - .:/usr/src/app/\n"
                          "    command: bash -c \"source config/startup.sh\"\n    environment:\n"
                          "      SECRET_KEY: ${SECRET_KEY:?}\n    ports:\n      - 8000:8000\n",
}


def test_a_script_the_container_runs_from_the_mounted_project_is_read(tmp_path):
    """The Procfile deploys the settings the mounted script's gunicorn loads: their hosts are reported."""
    write_files(tmp_path, MOUNTED_START)
    assert ("DJC304", "shop/settings.py", 4) in _codes(tmp_path)


# PostgreSQL built from the official image with the project's init scripts, its data in the project folder.
BUILT_DATABASE = {
    "postgres/Dockerfile": "FROM postgres:16.4\nCOPY init.sql /docker-entrypoint-initdb.d/\n",
    "postgres/init.sql": "CREATE DATABASE shop;\n",
    "docker-compose.yml": "services:\n  postgres:\n    build: ./postgres\n    environment:\n"
                          "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    volumes:\n"
                          "      - ./postgres/data:/var/lib/postgresql/data\n",
}


def test_a_database_the_project_builds_from_the_official_image_is_judged_as_that_image(tmp_path):
    write_files(tmp_path, BUILT_DATABASE)
    codes = {code for code, _, _ in _codes(tmp_path)}
    assert "DJC205" in codes
    write_files(tmp_path, {"postgres/Dockerfile": "FROM python:3.12-slim\nCOPY init.sql /srv/\n"})
    assert "DJC205" not in {code for code, _, _ in _codes(tmp_path)}


UNDOCUMENTED_ENV = {
    "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: .env\n", ".gitignore": ".env\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", ".dockerignore": ".git\n", "manage.py": MANAGE,
}


@pytest.mark.parametrize(("instructions", "reported"), [
    ({}, True),
    ({"Makefile": "bootstrap:\n\ttouch .env\n\tdocker compose up -d\n"}, False),
    ({"docs/development/setup.md": "# Setup\n\nPut `SECRET_KEY=...` in `.env` at the top.\n"}, False),
    ({"docs/development/setup.md": "# Setup\n\nCopy `.env.example` when there is one.\n"}, True),
    ({"docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: .envs/.production/.django\n",
      ".gitignore": ".envs/.production/\n"}, False),  # each deployment writes its own
])
def test_a_gitignored_env_file_nothing_documents_is_missing_in_a_fresh_clone(tmp_path, instructions, reported):
    write_files(tmp_path, {**UNDOCUMENTED_ENV, **instructions})
    missing = [f.message for f in lint(tmp_path) if f.code == "DJC211"]
    assert bool(missing) is reported
    assert all("git ignores it" in message for message in missing)


def test_an_env_file_named_by_an_unset_variable_is_the_variables_finding(tmp_path):
    compose = "services:\n  web:\n    build: .\n    env_file:\n      - ./dev/.env.${DB}.dev\n"
    write_files(tmp_path, {**UNDOCUMENTED_ENV, "docker-compose.yml": compose, ".gitignore": "dev/.env*\n"})
    codes = {f.code for f in lint(tmp_path)}
    assert "DJC211" not in codes and "DJC214" in codes


# The development stack publishes its database; the image is deployed by a platform that runs production-start.sh.
PLATFORM_START = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER nobody\n",
    ".dockerignore": ".git\n", "requirements.txt": "django>=5.2,<5.3\ngunicorn==23.0.0\n", "manage.py": MANAGE,
    "production-start.sh": "#!/bin/bash\nset -e\npython manage.py migrate --noinput\n"
                           "exec gunicorn shop.wsgi --bind 0.0.0.0:$PORT\n",
    "docker-compose.yml": "services:\n  db:\n    image: postgres:17\n    environment:\n"
                          "      POSTGRES_PASSWORD: postgres\n    ports:\n      - 5432:5432\n    volumes:\n"
                          "      - pg:/var/lib/postgresql/data\n  web:\n    build: .\n"
                          "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n"
                          "    depends_on: [db]\nvolumes:\n  pg:\n",
}


def test_a_start_script_named_for_production_is_a_deployment_beside_the_development_stack(tmp_path):
    write_files(tmp_path, PLATFORM_START)
    codes = {code for code, _, _ in _codes(tmp_path)}
    assert not {"DJC207", "DJC210"} & codes
    write_files(tmp_path, {"production-start.sh": "#!/bin/bash\necho nothing to see\n"})
    codes = {code for code, _, _ in _codes(tmp_path)}
    assert {"DJC207", "DJC210"} <= codes


def test_a_builder_stages_folder_is_not_where_the_final_image_looks(tmp_path):
    files = {"Dockerfile": "FROM python:3.12 AS builder\nWORKDIR /app\nCOPY requirements.txt .\n"
                           "RUN pip wheel --no-cache-dir --wheel-dir /app/wheels -r requirements.txt\n\n"
                           "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /home/app/web\n"
                           "COPY --from=builder /app/wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\n"
                           "COPY . .\nUSER nobody\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
             ".dockerignore": ".git\n", "requirements.txt": "django>=5.2,<5.3\ngunicorn==23.0.0\n", "manage.py": MANAGE,
             "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n"}
    write_files(tmp_path, files)
    codes = {f.code for f in lint(tmp_path)}
    assert "DJC219" in codes and "DJC105" not in codes


@pytest.mark.parametrize(("template", "reported"), [("local_example.py", False), ("local-dist.py", False),
                                                    ("local_notes.py", True)])
def test_a_settings_module_each_clone_makes_from_a_committed_template_exists(tmp_path, template, reported):
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
        ".dockerignore": ".git\n", ".gitignore": "shop/settings/local.py\n", "shop/__init__.py": "",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.local')\n",
        "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.local')\n",
        "shop/settings/__init__.py": "", "shop/settings/main.py": "DEBUG = False\n",
        f"shop/settings/{template}": "from .main import *\n"})
    assert bool([f for f in lint(tmp_path) if f.code == "DJC405"]) is reported


# The settings load .env themselves; the README says to copy .env.example, whose values each user fills in.
LOADS_ITS_ENV = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n"
                  "CMD [\"gunicorn\", \"shop.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
    # the image gets the .env each user makes (its .dockerignore leaves it in): the settings load it
    ".dockerignore": ".git\n", ".gitignore": ".env\n", "manage.py": MANAGE, "shop/__init__.py": "",
    "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    "shop/settings.py": "import os\nfrom pathlib import Path\nfrom dotenv import load_dotenv\n\n"
                        "load_dotenv(Path(__file__).resolve().parent.parent / '.env')\nDEBUG = False\n"
                        "SECRET_KEY = os.getenv('SECRET_KEY')\nALLOWED_HOSTS = ['shop.example.com']\n"
                        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
                        "                         'HOST': os.getenv('POSTGRES_HOST'), 'NAME': 'shop'}}\n",
    ".env.example": "SECRET_KEY=\nPOSTGRES_HOST=\n",
    "docker-compose.yml": "services:\n  db:\n    image: postgres:17\n    environment:\n"
                          "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    volumes:\n"
                          "      - pg:/var/lib/postgresql/data\n  web:\n    build: .\n    depends_on: [db]\n"
                          "volumes:\n  pg:\n",
}


def test_blank_values_of_the_template_the_settings_load_are_unknown_not_empty(tmp_path):
    write_files(tmp_path, LOADS_ITS_ENV)
    codes = {f.code: f.message for f in lint(tmp_path) if f.code in ("DJC306", "DJC310")}
    assert "DJC306" not in codes and "empty" not in codes.get("DJC310", "")
    compose = LOADS_ITS_ENV["docker-compose.yml"].replace("    depends_on: [db]\n", "    depends_on: [db]\n"
                                                          "    environment:\n      POSTGRES_HOST: localhost\n")
    write_files(tmp_path, {"docker-compose.yml": compose})  # a value the container is given is known
    assert "DJC306" in {f.code for f in lint(tmp_path)}


@pytest.mark.parametrize(("debug", "reported"), [
    ("ast.literal_eval(os.getenv('DEBUG', 'True'))", True),
    ("ast.literal_eval(os.getenv('DEBUG', 'False'))", False),
    ("json.loads(os.getenv('DEBUG', 'true'))", True),
    ("json.loads(os.getenv('DEBUG', 'false'))", False),
])
def test_a_variable_read_as_a_literal_is_evaluated(tmp_path, debug, reported):
    settings = f"import ast\nimport json\nimport os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = {debug}\n"
    write_files(tmp_path, {**SETTINGS_PROJECT, "app/settings.py": settings})
    assert bool([f for f in lint(tmp_path) if f.code == "DJC301"]) is reported


# The image renames the project's Docker settings into the module the settings package imports.
RENAMED_AT_BUILD = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /code\nCOPY . /code/\n"
                  "RUN mv proj/settings/docker.py proj/settings/local.py\nUSER nobody\n"
                  "CMD [\"gunicorn\", \"proj.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
    ".dockerignore": ".git\n", "manage.py": MANAGE, "proj/__init__.py": "",
    "proj/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
    "proj/settings/__init__.py": "from .base import *\ntry:\n    from .local import *\nexcept ImportError as exc:\n"
                                 "    raise exc\n",
    "proj/settings/base.py": "import os\nDEBUG = False\nALLOWED_HOSTS = []\n",
    "proj/settings/docker.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['*']\n",
}


def test_a_settings_module_the_image_makes_by_renaming_a_file_is_read_from_that_file(tmp_path):
    write_files(tmp_path, RENAMED_AT_BUILD)
    codes = _codes(tmp_path)
    assert ("DJC304", "proj/settings/docker.py", 3) in codes
    assert not [c for c in codes if c[0] == "DJC310" and c[1] == "proj/settings/base.py"]  # ALLOWED_HOSTS is set
    write_files(tmp_path, {"Dockerfile": RENAMED_AT_BUILD["Dockerfile"].replace(
        "RUN mv proj/settings/docker.py proj/settings/local.py\n", "")})
    assert ("DJC304", "proj/settings/docker.py", 3) not in _codes(tmp_path)


def test_a_dockerfile_only_development_builds_beside_the_production_one_is_development_only(tmp_path):
    """The development image's own CMD starts gunicorn, which the development stack replaces with runserver; the
    production stack builds Dockerfile.prod: the project ships that one."""
    dockerfile = DEV_AND_PROD_DOCKERFILES["Dockerfile"] + "CMD [\"gunicorn\", \"shop.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n"
    write_files(tmp_path, {**DEV_AND_PROD_DOCKERFILES, "Dockerfile": dockerfile})
    assert not [path for code, path, _ in _codes(tmp_path) if code == "DJC108"]
