"""Causes found on real repositories in the eighth session's review (the thirty-first)."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.rules.snippets import COPY_ALL, MANAGE

# The README says `cp .env.example .env`; git ignores the .env, so a fresh clone lacks it and the .dockerignore
# written for the clone as it is lets it through once it is made.
ENV_FROM_TEMPLATE = {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": ".env\n",
                     ".env.example": "DJANGO_SECRET_KEY=\nDEBUG=0\n"}


def test_a_missing_dockerignore_names_the_env_file_each_clone_makes(tmp_path):
    write_files(tmp_path, ENV_FROM_TEMPLATE)
    [finding] = [f for f in lint(tmp_path) if f.code == "DJC401"]
    assert ".env (once made from .env.example) go" in finding.message


def test_an_incomplete_dockerignore_names_the_template_in_a_folder_of_templates(tmp_path):
    write_files(tmp_path, {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n",
                           ".gitignore": ".envs\n", "config/envs_template/django/.env.local": "DJANGO_SECRET_KEY=\n"})
    [finding] = [f for f in lint(tmp_path) if f.code == "DJC402"]
    assert "config/.envs/django/.env.local (once made from config/envs_template/django/.env.local)" in finding.message


def test_a_compose_file_named_for_a_ci_service_is_a_ci_stack(tmp_path):
    # codefresh.yml runs it as the composition of its test step: a throwaway database nothing deploys
    stack = ("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust\n"
             "  tests:\n    build: .\n    command: python manage.py test\n    depends_on:\n      - db\n")
    for name in ("docker-compose.codefresh.yml", "docker-compose.prod.yml"):
        root = tmp_path / name
        write_files(root, {name: stack, "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n"})
        found = {f.code for f in lint(root) if f.path == name}
        assert ({"DJC206", "DJC208"} <= found) is (name == "docker-compose.prod.yml")


def test_an_env_template_inside_a_project_template_is_rendered_elsewhere(tmp_path):
    # cookiecutter renders {{cookiecutter.slug}}/ into a new folder: no clone makes its .env here
    write_files(tmp_path, {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n",
                           ".gitignore": ".env\n", "{{cookiecutter.slug}}/.env.example": "DJANGO_SECRET_KEY=\n"})
    assert [f for f in lint(tmp_path) if f.code == "DJC402"] == []
    write_files(tmp_path, {"site/.env.example": "DJANGO_SECRET_KEY=\n"})
    assert [f.line for f in lint(tmp_path) if f.code == "DJC402"] == [1]


@pytest.mark.parametrize("name", ["docker-compose.debug.yml", "docker-compose.extra.yml"])
def test_a_compose_file_named_for_debugging_is_a_development_one(tmp_path, name):
    # VS Code's Docker extension writes docker-compose.debug.yml: the debugger's stack, beside the deployed one
    deployed = ("services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                "  cache:\n    image: redis:7.4\n")
    write_files(tmp_path, {"docker-compose.yml": deployed, name: deployed.replace("redis:7.4", "redis"),
                           "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n"})
    reported = [f.path for f in lint(tmp_path) if f.code == "DJC209"]
    assert reported == ([] if "debug" in name else [name])


PYDANTIC_SETTINGS = ("from pydantic_settings import BaseSettings\n\n\nclass HTTPSettings(BaseSettings):\n"
                     "    allowed_hosts: list[str] = [\"localhost\"]\n")


def test_a_settings_py_of_pydantic_classes_is_no_django_settings_module(tmp_path):
    # manage.py sets no DJANGO_SETTINGS_MODULE (a configurator does, from a parameter): djcheck looks by name
    write_files(tmp_path, {"Dockerfile": COPY_ALL + "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
                           "manage.py": "import sys\n", ".dockerignore": ".git\n",
                           "src/delivery/http/settings.py": PYDANTIC_SETTINGS})
    assert [f for f in lint(tmp_path) if f.code == "DJC310"] == []
    write_files(tmp_path, {"src/app/settings.py": "DEBUG = False\nSECRET_KEY = 'x'\n"})
    assert {f.path for f in lint(tmp_path) if f.code == "DJC310"} == {"src/app/settings.py"}


def test_an_encrypted_env_file_nothing_names_is_no_unreadable_file(tmp_path):
    # git-secret keeps .env.prod.secret encrypted in git; `git secret reveal` makes .env.prod on the server
    files = {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env*\n",
             ".env.prod.secret": b"\x85\x02\x0c\x03\x00\x9a\xfe\x01"}
    write_files(tmp_path, files)
    assert [f for f in lint(tmp_path) if f.code == "DJC002"] == []
    # named by the stack, it is read for what it sets: that it cannot be read is the stack's problem
    write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod.secret\n"})
    assert [(f.path, f.code) for f in lint(tmp_path) if f.code == "DJC002"] == [(".env.prod.secret", "DJC002")]


def test_an_env_file_named_by_an_unset_variable_is_no_folder(tmp_path):
    # `env_file: ${ENV_FILE}`: the task runner sets ENV_FILE; unset, it names no file, not the compose file's folder
    write_files(tmp_path, {"etc/compose/docker-compose.yml": "services:\n  web:\n    build: ../..\n"
                                                              "    env_file: ${ENV_FILE}\n",
                           "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n"})
    found = [(f.code, f.path, f.line) for f in lint(tmp_path)]
    assert ("DJC214", "etc/compose/docker-compose.yml", 4) in found
    assert not [f for f in found if f[0] in {"DJC002", "DJC211"}]


# The base file is the development stack (Dockerfile.dev, the reloading server, a throwaway key); the production
# overlay, run as `-f docker-compose.yml -f docker-compose.prod.yml`, builds the deployed image and takes the rest.
BASE_AND_PROD_OVERLAY = {
    "docker-compose.yml": "services:\n  db:\n    image: postgres:17\n    environment:\n"
                          "      POSTGRES_PASSWORD: ${DB_PASSWORD:-postgres}\n    ports:\n      - \"5432:5432\"\n"
                          "    volumes:\n      - pg:/var/lib/postgresql/data\n"
                          "  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.dev\n"
                          "    environment:\n      SECRET_KEY: local-dev-secret-key\n    depends_on:\n      - db\n"
                          "  pgadmin:\n    image: dpage/pgadmin4\n    profiles:\n      - local-tools\n"
                          "volumes:\n  pg:\n",
    "docker-compose.prod.yml": "services:\n  db:\n    ports: !reset []\n  app:\n    build:\n      context: .\n"
                               "      dockerfile: docker/Dockerfile\n    environment:\n"
                               "      SECRET_KEY: ${SECRET_KEY:?}\n",
    "docker/Dockerfile.dev": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\nWORKDIR /code\n"
                             "COPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                             "CMD [\"uvicorn\", \"app.asgi:application\", \"--reload\", \"--host\", \"0.0.0.0\"]\n",
    "docker/Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /code\nCOPY requirements.txt .\n"
                         "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER 1000\n"
                         "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
    "requirements.txt": "django>=5.2,<5.3\ngunicorn==23.0.0\nuvicorn==0.32.0\npsycopg[binary]==3.2.3\n",
    ".dockerignore": ".git\n", "manage.py": MANAGE,
}


def test_a_base_file_a_production_overlay_deploys_is_judged_as_development(tmp_path):
    write_files(tmp_path, BASE_AND_PROD_OVERLAY)
    found = {(f.code, f.path, f.line) for f in lint(tmp_path)}
    # what the overlay keeps of the base ships: the database password's literal fallback
    assert ("DJC207", "docker-compose.yml", 5) in found
    # what it replaces or resets serves development alone: the dev image's root user, the throwaway key, the
    # published port; and the pgadmin that only the local-tools profile starts
    assert not {f for f in found if f[1] == "docker/Dockerfile.dev" and f[0] == "DJC108"}
    assert not {f for f in found if f[1] == "docker-compose.yml" and f[2] in {7, 15, 19}}


def test_a_development_image_reading_one_env_file_shared_with_production_is_development(tmp_path):
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/dev/Dockerfile\n"
                              "    env_file:\n      - docker/dev/env/.env\n      - docker/prod/env/.data.env\n",
        "prod.yml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/prod/Dockerfile\n"
                    "    env_file:\n      - docker/prod/env/.env\n      - docker/prod/env/.data.env\n",
        "docker/dev/Dockerfile": COPY_ALL + "USER 1000\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "docker/prod/Dockerfile": COPY_ALL + "USER 1000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "docker/dev/env/.env": "DEBUG=1\n", "docker/prod/env/.env": "DEBUG=0\n",
        "docker/prod/env/.data.env": "SITE_NAME=shop\n", ".dockerignore": ".git\n", "manage.py": MANAGE})
    assert [f for f in lint(tmp_path) if f.code == "DJC102"] == []


def test_a_template_named_with_a_leading_dot_makes_the_env_file(tmp_path):
    # README: `cp .example.env .env`; Compose reads BACKEND_PORT from that .env
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:${BACKEND_PORT} app.wsgi\n"
                              "    ports:\n      - \"${BACKEND_PORT}:${BACKEND_PORT}\"\n    env_file: .env\n",
        ".example.env": "BACKEND_PORT=8000\nDJANGO_SECRET_KEY=a8f3kq0z7x1m2n4b5v6c\n", ".gitignore": ".env\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env\n"})
    found = {f.code for f in lint(tmp_path)}
    assert not found & {"DJC211", "DJC214", "DJC412"}


def test_a_service_named_for_a_connection_pooler_with_a_missing_dockerfile_is_no_django(tmp_path):
    # the production file builds from `.` where `./backend` was meant: no Dockerfile is found for any service
    write_files(tmp_path, {
        "docker-compose.production.yml": "services:\n  django:\n    build:\n      context: .\n"
                                         "      dockerfile: ./compose/production/django/Dockerfile\n"
                                         "    command: /start\n    env_file: .envs/.django\n"
                                         "  pgbouncer:\n    build:\n      context: .\n"
                                         "      dockerfile: ./compose/production/pgbouncer/Dockerfile\n",
        ".envs/.django": "DATABASE_URL=postgres://u:p@pgbouncer/app\n", "manage.py": MANAGE,
        "app/settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"})
    about = {f.message.split(" does not set")[0].rsplit(" ", 1)[-1] for f in lint(tmp_path) if f.code == "DJC307"}
    assert about == {"django"}


def test_a_start_script_a_run_copies_into_place_is_read(tmp_path):
    # `RUN dos2unix --newfile start.sh /usr/local/bin/start.sh` writes the script ENTRYPOINT runs
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                      "RUN apt-get update && apt-get install -y --no-install-recommends dos2unix "
                      "&& rm -rf /var/lib/apt/lists/* && dos2unix --newfile start.sh /usr/local/bin/start.sh "
                      "&& chmod +x /usr/local/bin/start.sh\nUSER 1000\nENTRYPOINT [\"/usr/local/bin/start.sh\"]\n",
        "start.sh": "#!/bin/sh\npython manage.py migrate --noinput\ngunicorn -b 0.0.0.0:8000 app.wsgi\n",
        "requirements.txt": "django>=5.2,<5.3\ngunicorn==23.0.0\n", ".dockerignore": ".git\n", "manage.py": MANAGE})
    assert [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC411"] == [("start.sh", 3)]


def test_a_shell_template_beside_the_env_template_is_no_broken_env_file(tmp_path):
    # README: `cp .example.env .env; cp .example.env.bash .env.bash`; just.bash sources .env.bash (`export A=1;`)
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: .env\n",
        ".example.env": "DJANGO_SECRET_KEY=\n", ".example.env.bash": "export JUST_PUBLIC_URL=\"http://127.0.0.1\";\n",
        "just.bash": "set -a\n. ./.env.bash\nset +a\ndocker compose up\n", ".gitignore": ".env\n.env.bash\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env*\n"})
    assert [f for f in lint(tmp_path) if f.code == "DJC001"] == []


def test_a_secret_key_the_container_sets_empty_is_reported_once(tmp_path):
    # compose reads the committed example itself: SECRET_KEY= is set, and empty; Django refuses to start (DJC315)
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: app/.env_example\n",
        "app/.env_example": "DEBUG=0\nSECRET_KEY=\n", "app/__init__.py": "",
        "app/settings.py": "import os\nDEBUG = os.environ.get('DEBUG') == '1'\n"
                           "SECRET_KEY = os.environ.get('SECRET_KEY', 'dev-key')\nALLOWED_HOSTS = ['example.org']\n",
        "Dockerfile": COPY_ALL + "USER 1000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, ".dockerignore": ".git\n"})
    found = [(f.code, f.line) for f in lint(tmp_path) if f.path == "app/settings.py"]
    assert ("DJC315", 3) in found and not [f for f in found if f[0] == "DJC310" and f[1] == 3]
