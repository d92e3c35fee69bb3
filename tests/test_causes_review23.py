"""Causes from the twenty-second and twenty-third reviews: an image whose own command the production stack
replaces, beside the development override that runs it with runserver."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.rules.snippets import MANAGE


def _codes(root):
    return sorted((f.code, f.path, f.line) for f in lint(root))


# The base file serves with gunicorn; `docker compose up` merges the development override (runserver, the source
# mounted), and the README deploys with `-f docker-compose.yml -f docker-compose.prod.yml`, which names the
# production settings. The image's own CMD runs the base settings, which only development loads.
STACKS = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir "
                  "-r requirements.txt\nCOPY . .\nUSER nobody\nCMD [\"gunicorn\", \"blog.wsgi\", \"-b\", \"0:8000\"]\n",
    ".dockerignore": ".git\n", "requirements.txt": "django==5.2.1\ngunicorn==23.0.0\npsycopg==3.2.9\n",
    "docker-compose.yml": "services:\n  db:\n    image: postgres:17\n    environment:\n"
                          "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    volumes:\n"
                          "      - pg:/var/lib/postgresql/data\n"
                          "  web:\n    build: .\n    image: blog-image\n"
                          "    command: gunicorn blog.wsgi -b 0.0.0.0:8000\n    depends_on: [db]\n"
                          "  worker:\n    image: blog-image\n    command: celery -A blog worker\n    depends_on: [db]\n"
                          "volumes:\n  pg:\n",
    "docker-compose.override.yml": "services:\n  web:\n    command: python manage.py runserver 0.0.0.0:8000\n"
                                   "    ports:\n      - 8000:8000\n    volumes:\n      - .:/app\n",
    "docker-compose.prod.yml": "services:\n  web:\n    environment:\n"
                               "      DJANGO_SETTINGS_MODULE: blog.settings.production\n      SECRET_KEY:\n",
    "manage.py": MANAGE, "blog/__init__.py": "",
    "blog/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings')\n",
    "blog/celery.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings')\n",
    "blog/settings/__init__.py": "from .settings import *\n",
    "blog/settings/settings.py": "SECRET_KEY = 'k7#e2u!m9x@p4q$z8w&v1t^r6y*o3n(b'\nDEBUG = True\n"
                                "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db',\n"
                                "                         'NAME': 'blog', 'USER': 'blog', 'PASSWORD': 'blogpass'}}\n",
    "blog/settings/production.py": "import os\nfrom .settings import *\n\nDEBUG = False\n"
                                   "SECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['blog.example.org']\n",
}


def test_an_image_the_production_stack_runs_with_its_own_settings_is_not_deployed_by_its_cmd(tmp_path):
    """The development stack replaces the image's CMD with runserver and the production stack with its own command
    and settings: the base settings' DEBUG and SECRET_KEY are development values."""
    write_files(tmp_path, STACKS)
    codes = _codes(tmp_path)
    assert not [found for found in codes if found[0] in ("DJC301", "DJC303")]
    # production.py keeps the base settings' DATABASES: its literal password ships
    assert ("DJC311", "blog/settings/settings.py", 4) in codes


def test_the_image_alone_is_deployed_when_no_production_stack_runs_it(tmp_path):
    files = {path: text for path, text in STACKS.items() if path != "docker-compose.prod.yml"}
    write_files(tmp_path, {**files, "blog/settings/production.py": STACKS["blog/settings/production.py"]})
    codes = _codes(tmp_path)
    assert ("DJC301", "blog/settings/settings.py", 2) in codes


def test_the_image_alone_is_deployed_when_the_production_stack_names_a_module_the_project_lacks(tmp_path):
    prod = STACKS["docker-compose.prod.yml"].replace("blog.settings.production", "project.settings.prod")
    write_files(tmp_path, {**STACKS, "docker-compose.prod.yml": prod})
    codes = _codes(tmp_path)
    assert ("DJC301", "blog/settings/settings.py", 2) in codes and ("DJC405", "docker-compose.prod.yml", 4) in codes


HYPHENATED = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\nCMD [\"gunicorn\", \"django-blog.wsgi\"]\n",
    ".dockerignore": ".git\n", "django-blog/__init__.py": "", "django-blog/settings.py": "DEBUG = False\n",
    "django-blog/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{module}')\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{module}')\n",
}


def _hyphenated(tmp_path, module):
    write_files(tmp_path, {path: text.replace("{module}", module) for path, text in HYPHENATED.items()})
    return [(f.path, f.message) for f in lint(tmp_path) if f.code == "DJC405"]


def test_a_settings_module_in_a_hyphenated_folder_is_importable(tmp_path):
    """Django loads the module with importlib.import_module, which finds `django-blog/settings.py`."""
    assert _hyphenated(tmp_path, "django-blog.settings") == []


def test_a_hyphenated_module_the_project_lacks_is_reported_as_missing(tmp_path):
    found = _hyphenated(tmp_path, "django-shop.settings")
    assert [path for path, _ in found] == ["django-blog/wsgi.py", "manage.py"]
    assert all("no module of the project" in message for _, message in found)


def test_a_file_path_is_no_module_name(tmp_path):
    found = _hyphenated(tmp_path, "django-blog/settings.py")
    assert [path for path, _ in found] == ["django-blog/wsgi.py", "manage.py"]
    assert all("which is no module name" in message for _, message in found)


def test_a_compose_file_with_a_key_written_twice_is_reported_and_the_rest_still_checked(tmp_path):
    """Compose refuses a mapping with a key written twice; djcheck says so and reads the last value, so the services,
    the image they build and the settings it runs are still checked."""
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn blog.wsgi -b 0.0.0.0:8000\n"
                        "    depends_on: [db]\n    environment:\n      DJANGO_SETTINGS_MODULE: blog.settings\n"
                        "    depends_on: [db]\n  db:\n    image: postgres\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n", ".dockerignore": ".git\n",
        "manage.py": MANAGE, "blog/__init__.py": "", "blog/settings.py": "DEBUG = True\n"})
    codes = _codes(tmp_path)
    assert ("DJC001", "compose.yaml", 8) in codes
    assert ("DJC209", "compose.yaml", 10) in codes and ("DJC301", "blog/settings.py", 1) in codes


def test_a_fix_may_edit_a_compose_file_that_already_writes_a_key_twice_but_not_add_one(tmp_path):
    from djlint_docker.fix import parses

    path = tmp_path / "compose.yaml"
    twice = "services:\n  web:\n    build: .\n    depends_on: [db]\n    depends_on: [db]\n"
    once = "services:\n  web:\n    build: .\n    depends_on: [db]\n"
    assert parses(path, twice, before=twice) and parses(path, once, before=twice)
    assert not parses(path, twice, before=once) and not parses(path, twice)
    assert not parses(path, twice + "  db: [", before=twice)  # a fix that breaks the file further


@pytest.mark.parametrize(("tag", "release"), [
    ("3.8.0", "buster"), ("3.8.5-slim", "buster"), ("3.6.9", "buster"), ("3.9.5-slim", "buster"),
    ("3.6.8", "stretch"), ("3.7.2-slim", "stretch"),
    ("3.7.3", None), ("3.9.6", None), ("2.7.18", None),  # replaced in the month of a move, or no date known
    ("3.10.0", None), ("3.8.5-alpine", None), ("3.8.5-slim-bookworm", None), ("3.8", None)])
def test_the_release_a_python_patch_tag_was_last_built_on(tag, release):
    from djlint_docker.rules.dockerfile._debian_releases import python_patch_release

    found = python_patch_release(tag)
    assert (found.name if found else None) == release


LEFTOVER_PROJECTS = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /code\nCOPY requirements.txt .\nRUN pip install --no-cache-dir "
                  "-r requirements.txt\nCOPY . .\nUSER nobody\nENTRYPOINT [\"/code/entrypoint.sh\"]\n",
    ".dockerignore": ".git\n", "requirements.txt": "django==5.2.1\n",
    "entrypoint.sh": "#!/bin/sh\nset -e\ncase \"$1\" in\n  test) exec python manage.py test ;;\n"
                     "  *) exec \"$@\" ;;\nesac\n",
    "compose.yaml": "services:\n  api:\n    build: .\n    command: test\n",
    # the project's own settings: a top-level module, as manage.py names it
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')\n",
    "settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = os.environ.get('DEBUG') == '1'\n",
    # an app that began as a project of its own, and a second startproject left in a folder
    "accounts/__init__.py": "", "accounts/settings.py": "SECRET_KEY = 'k7#e2u!m9x@p4q$z8w&v1t^r6y'\nDEBUG = True\n",
    "accounts/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'accounts.settings')\n",
    "scratch/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'scratch.settings')\n",
    "scratch/scratch/__init__.py": "", "scratch/scratch/settings.py": "SECRET_KEY = 'q1w2e3r4t5y6u7i8o9p0'\nDEBUG = True\n",
}


def test_leftover_settings_of_an_app_or_a_stray_project_are_not_the_ones_the_container_runs(tmp_path):
    """The container's command goes through an entrypoint djcheck follows no further than `test`: the settings are
    the ones the top manage.py names, not every settings.py of the tree."""
    write_files(tmp_path, LEFTOVER_PROJECTS)
    assert [found for found in _codes(tmp_path) if found[0] in ("DJC301", "DJC303")] == []


def test_the_settings_the_top_manage_py_names_are_still_checked(tmp_path):
    write_files(tmp_path, {**LEFTOVER_PROJECTS, "settings.py": "SECRET_KEY = 'k7#e2u!m9x@p4q$z8w&v1t^r6y'\n"})
    assert ("DJC303", "settings.py", 1) in _codes(tmp_path)


def test_programs_a_script_of_the_image_may_install_are_unknown(tmp_path):
    """`RUN /tmp/setup.sh` installs what it installs: pg_isready in the entrypoint is not called missing (DJC415)."""
    files = {"Dockerfile": "FROM python:3.12-slim\nCOPY docker/setup.sh /tmp/setup.sh\nRUN /tmp/setup.sh\n"
                           "WORKDIR /app\nCOPY . .\nUSER nobody\nENTRYPOINT [\"/app/entrypoint.sh\"]\n"
                           "CMD [\"gunicorn\", \"app.wsgi\"]\n",
             "docker/setup.sh": "#!/bin/sh\nset -e\napt-get update\napt-get install -y postgresql-client\n",
             "entrypoint.sh": "#!/bin/sh\nuntil pg_isready -h db; do sleep 1; done\nexec \"$@\"\n",
             "manage.py": MANAGE, ".dockerignore": ".git\n"}
    write_files(tmp_path, files)
    assert [found for found in _codes(tmp_path) if found[0] == "DJC415"] == []
    write_files(tmp_path, {"Dockerfile": files["Dockerfile"].replace("COPY docker/setup.sh /tmp/setup.sh\n"
                                                                     "RUN /tmp/setup.sh\n", "")})
    assert ("DJC415", "entrypoint.sh", 2) in _codes(tmp_path)


DEV_AND_PROD_DOCKERFILES = {
    "Dockerfile": "FROM python:3.12-alpine\nWORKDIR /usr/src/app\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
    "Dockerfile.prod": "FROM python:3.12-alpine\nWORKDIR /home/app\nCOPY requirements.txt .\n"
                       "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nRUN adduser -D app\nUSER app\n",
    ".dockerignore": ".git\n", "requirements.txt": "django==5.2.1\ngunicorn==23.0.0\n", "manage.py": MANAGE,
    "docker-compose.yml": "services:\n  web-dev:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                          "    volumes:\n      - .:/usr/src/app/\n",
    "docker-compose.prod.yml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.prod\n"
                               "    command: gunicorn shop.wsgi --bind 0.0.0.0:8000\n",
}


def test_the_dockerfile_only_the_development_stack_builds_is_left_alone_beside_the_production_one(tmp_path):
    """The production stack sees `Dockerfile` beside it unbuilt: the development stack builds it for runserver over
    the mounted source, so root there is a development value (DJC108)."""
    write_files(tmp_path, DEV_AND_PROD_DOCKERFILES)
    assert [found for found in _codes(tmp_path) if found[0] == "DJC108"] == []


def test_a_dockerfile_a_stack_builds_under_a_registry_name_may_be_the_one_deployed(tmp_path):
    compose = DEV_AND_PROD_DOCKERFILES["docker-compose.yml"].replace(
        "    build: .\n", "    build: .\n    image: ghcr.io/acme/shop:${TAG:-latest}\n")
    write_files(tmp_path, {**DEV_AND_PROD_DOCKERFILES, "docker-compose.yml": compose})
    assert ("DJC108", "Dockerfile", 1) in _codes(tmp_path)


ENV_FILE_STACK = {
    "compose.yaml": "services:\n  web:\n    build: .\n    env_file:\n      - .env.docker\n"
                    "  worker:\n    build: .\n    command: celery -A shop worker\n    env_file:\n      - .env.docker\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n", "manage.py": MANAGE,
}


def test_an_env_file_two_services_read_is_reported_once(tmp_path):
    write_files(tmp_path, ENV_FILE_STACK)
    found = [f for f in lint(tmp_path) if f.code == "DJC211"]
    assert [(f.path, f.line) for f in found] == [("compose.yaml", 5)]
    assert found[0].message.startswith("services web, worker: env_file .env.docker does not exist")


@pytest.mark.parametrize("readme", [
    "## Production\n\nCreate the env file and fill in your values:\n\n    sudo nano .env.docker\n",
    "Before `docker compose up`, create a `.env.docker` file with SECRET_KEY and DATABASE_URL.\n"])
def test_an_env_file_the_readme_tells_the_reader_to_create_is_not_missing(tmp_path, readme):
    write_files(tmp_path, {**ENV_FILE_STACK, "README.md": readme})
    assert [f for f in lint(tmp_path) if f.code == "DJC211"] == []


def test_a_readme_that_only_mentions_the_env_file_does_not_make_it(tmp_path):
    write_files(tmp_path, {**ENV_FILE_STACK, "README.md": "The stack reads .env.docker.\n"})
    assert [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC211"] == [("compose.yaml", 5)]


def test_the_last_value_of_a_key_written_twice_is_the_one_read(tmp_path):
    """An emptied `volumes:` left above the one written to replace it: only the duplicate is reported, not the empty
    value as a list that is not one."""
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n\n    command: gunicorn blog.wsgi\n"
                        "    volumes:\n      - static:/app/static\nvolumes:\n  static: {}\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n", "manage.py": MANAGE})
    assert [(f.line, 'duplicate key "volumes"' in f.message) for f in lint(tmp_path) if f.code == "DJC001"] == [
        (7, True)]


@pytest.mark.parametrize(("files", "reported"), [
    ({}, False),  # a template: the reader runs `startproject PROJECTNAME .` first, and copies these files in
    ({"manage.py": MANAGE}, True)])
def test_a_server_module_of_a_project_not_made_yet_is_not_missing(tmp_path, files, reported):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn PROJECTNAME.wsgi:application\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n", ".dockerignore": ".git\n",
        "requirements.txt": "django==5.2.1\ngunicorn==23.0.0\n", "TemplatedFiles/settings.py": "DEBUG = False\n",
        "TemplatedFiles/views.py": "", **files})
    assert (("DJC405", "compose.yaml", 4) in _codes(tmp_path)) is reported


def test_a_deploy_check_two_servers_fail_alike_is_one_finding(tmp_path):
    """The site and its admin, served by two gunicorn containers of one image and one env file."""
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "    env_file: app.env\n  admin:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8001\n"
                        "    env_file: app.env\n",
        "app.env": "SECRET_KEY=django-insecure-k7q2x9w3m1z8p4r6t0y5u2i8o3e1a9s4d7f2g6h0j5qwe\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n", ".dockerignore": ".git\n",
        "manage.py": MANAGE, "app/__init__.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
        "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                           "ALLOWED_HOSTS = ['shop.example.org']\n"})
    found = [f.message for f in lint(tmp_path) if f.code == "DJC310" and "W009" in f.message]
    assert len(found) == 1 and "in services web, admin" in found[0]


def test_a_service_built_from_a_dockerfile_not_in_the_clone_is_what_its_name_says(tmp_path):
    """The Dockerfiles are git-ignored: the nginx service, which waits for the database only to start last, runs
    nginx, not Django; the backend built beside it may touch the database as it starts."""
    write_files(tmp_path, {
        "compose.yaml": "services:\n  db:\n    image: postgres:17\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                        "  backend:\n    build:\n      context: .\n      dockerfile: docker/backend/Dockerfile\n"
                        "    depends_on:\n      - db\n"
                        "  nginx:\n    build:\n      context: .\n      dockerfile: docker/nginx/Dockerfile\n"
                        "    ports:\n      - 80:80\n    depends_on:\n      - db\n      - backend\nvolumes:\n  pg:\n",
        "manage.py": MANAGE, ".gitignore": "Dockerfile\n"})
    found = [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC203"]
    assert found == [("compose.yaml", 13)]
