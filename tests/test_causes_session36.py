"""Causes of false, noisy and missed findings the hundred-sixth and later reviews found (session 36)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from djlint_docker.discover import discover
from tests.conftest import rule_findings, write_files

APP = {
    "app/requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.9\n",
    "app/start.sh": "#!/bin/sh\nexec gunicorn shop.wsgi:application --bind 0.0.0.0:8000\n",
    "app/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    "app/shop/__init__.py": "",
    "app/shop/wsgi.py": ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
                         "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
    "app/shop/settings.py": ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                             "ALLOWED_HOSTS = ['shop.example.org']\nDATABASES = {'default': {\n"
                             "    'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db', 'NAME': 'postgres',\n"
                             "    'USER': 'postgres', 'PASSWORD': os.environ['POSTGRES_PASSWORD']}}\n"),
    ".env.example": "SECRET_KEY=change-me\nPOSTGRES_PASSWORD=change-me\n",
    ".gitignore": ".env\n",
}
IMAGE = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /srv/app\nCOPY app/requirements.txt /srv/\n"
         "RUN pip install --no-cache-dir -r /srv/requirements.txt\n")
SCRIPT_TAGGED = {
    **APP,
    "Dockerfile_web": IMAGE + "CMD /srv/app/start.sh\n",
    "Dockerfile_worker": IMAGE + "CMD [\"python\", \"manage.py\", \"rqworker\"]\n",
    "build_images.sh": ("#!/bin/sh\nset -e\ndocker build -f Dockerfile_web -t acme/web .\n"
                        "docker build -f Dockerfile_worker --tag acme/worker:1.0 .\n"),
    "docker-compose.yml": ("services:\n  db:\n    image: postgres:16\n    env_file: .env\n    volumes:\n"
                           "      - pgdata:/var/lib/postgresql/data\n"
                           "  web:\n    image: acme/web\n    command: /srv/app/start.sh\n    env_file: .env\n"
                           "    volumes:\n      - ./app:/srv/app\n    ports:\n      - \"8000:8000\"\n"
                           "    depends_on:\n      - db\n"
                           "  worker:\n    image: acme/worker:1.0\n    env_file: .env\n    volumes:\n"
                           "      - ./app:/srv/app\n"
                           "  redis:\n    image: redis:latest\nvolumes:\n  pgdata:\n"),
}
"""A stack that pulls the images a script at the top builds and tags from two Dockerfiles, with the code
bind-mounted; the web service repeats its image's CMD as its command."""


@pytest.mark.parametrize("script", [True, False])
def test_a_service_pulling_the_tag_a_script_builds_runs_that_dockerfiles_image(tmp_path: Path, script: bool) -> None:
    files = dict(SCRIPT_TAGGED)
    if not script:
        del files["build_images.sh"]
    write_files(tmp_path, files)
    # the worker runs Dockerfile_worker's rqworker, which connects to db as it starts
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC202")] == (
        [("docker-compose.yml", 17)] if script else [])


@pytest.mark.parametrize("command", ["/srv/app/start.sh", "gunicorn shop.wsgi:application -b 0.0.0.0:8000"])
def test_a_command_that_repeats_the_images_cmd_runs_the_image_as_it_is(tmp_path: Path, command: str) -> None:
    """The image's CMD written again as the service's command is no second, deployed configuration of the image:
    the stack is the project's one, and what it pulls unpinned is reported."""
    compose = SCRIPT_TAGGED["docker-compose.yml"].replace("command: /srv/app/start.sh", f"command: {command}") \
        .replace("image: acme/web", "build:\n      context: .\n      dockerfile: Dockerfile_web")
    write_files(tmp_path, {**SCRIPT_TAGGED, "docker-compose.yml": compose})
    reported = [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC209")]
    assert reported == ([("docker-compose.yml", 25)] if command == "/srv/app/start.sh" else [])


LITESTAR = {
    "docker-compose.yml": ("x-backend: &backend\n  build:\n    context: ./backend\n  env_file: .env\n"
                           "services:\n  api:\n    <<: *backend\n    ports:\n      - \"8080:8080\"\n"
                           "  db:\n    image: postgres:17\n    environment:\n"
                           "      POSTGRES_PASSWORD: ${DB_PASSWORD:-postgres}\n    ports:\n      - \"5432:5432\"\n"),
    "backend/Dockerfile": ("FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n"
                           "CMD [\"granian\", \"--interface\", \"asgi\", \"main:app\"]\n"),
    "backend/pyproject.toml": ("[project]\nname = \"site\"\nversion = \"1.0\"\ndependencies = [\n"
                               "    \"granian>=2.7\",\n    \"litestar[standard]>=2.24\",\n"
                               "    \"pydantic-settings>=2.0\",\n]\n"),
    "backend/src/config/settings.py": ("from pydantic_settings import BaseSettings\n\n\n"
                                       "class Settings(BaseSettings):\n    debug: bool = False\n"
                                       "    secret_key: str = 'dev'\n"),
    "backend/src/main.py": "from litestar import Litestar\n\napp = Litestar([])\n",
}
"""A Litestar application whose pydantic ``settings.py`` is no Django settings module."""


def test_a_pydantic_settings_module_of_another_framework_makes_no_django_setup(tmp_path: Path) -> None:
    write_files(tmp_path, LITESTAR)
    assert discover([tmp_path]) == []


@pytest.mark.parametrize("settings", [
    "from pydantic_settings import BaseSettings\nfrom django.conf import global_settings\nDEBUG = True\n",
    "from pydantic import BaseModel\nINSTALLED_APPS = ['shop']\n",
    "from .base import *\nfrom pydantic_settings import BaseSettings\n",
])
def test_a_settings_module_naming_djangos_settings_is_djangos(tmp_path: Path, settings: str) -> None:
    pyproject = LITESTAR["backend/pyproject.toml"].replace("litestar[standard]", "django")
    write_files(tmp_path, {**LITESTAR, "backend/pyproject.toml": pyproject,
                           "backend/src/config/settings.py": settings})
    assert [setup.root for setup in discover([tmp_path])] == [tmp_path]


BACKUP_STACK = {
    **{name: text for name, text in APP.items() if name != ".env.example"},
    ".gitignore": "__pycache__/\n",
    "Dockerfile": IMAGE + "COPY app /srv/app\nCMD [\"/srv/app/start.sh\"]\n",
    "docker-compose.yml": "services:\n  web:\n    build: .\n    ports:\n      - \"8000:8000\"\n",
    "scripts/db_backup/Dockerfile": ("FROM python:3.12-slim\nRUN pip install --no-cache-dir psycopg==3.2.9\n"
                                     "COPY backup.py /backup.py\nCMD [\"python\", \"/backup.py\"]\n"),
    "scripts/db_backup/backup.py": "import os\nprint(os.environ['PGHOST'])\n",
    "scripts/db_backup/docker-compose.yml": ("services:\n  backup:\n    build: .\n    volumes:\n"
                                             "      - /var/backups:/dump\n"
                                             "    command: python /backup.py ${LOCAL_DATA_DIR}\n"),
    "scripts/crontab.txt": ("# back the database up every six hours\n"
                            "0 0,6,12,18 * * * docker-compose -f /srv/shop/scripts/db_backup/docker-compose.yml build"
                            " && LOCAL_DATA_DIR=/data/backups docker-compose -f "
                            "/srv/shop/scripts/db_backup/docker-compose.yml up\n"),
}
"""A backup stack that only a committed crontab runs, setting its one variable for the command."""


@pytest.mark.parametrize("name", ["scripts/crontab.txt", "scripts/backup.cron", "crontab"])
def test_a_variable_the_crontab_sets_for_compose_is_set(tmp_path: Path, name: str) -> None:
    files = {**BACKUP_STACK, name: BACKUP_STACK["scripts/crontab.txt"]}
    if name != "scripts/crontab.txt":
        del files["scripts/crontab.txt"]
    write_files(tmp_path, files)
    assert rule_findings(tmp_path, "DJC214") == []


def test_a_crontab_that_sets_another_variable_leaves_it_unset(tmp_path: Path) -> None:
    crontab = BACKUP_STACK["scripts/crontab.txt"].replace("LOCAL_DATA_DIR=", "DATA_DIR=")
    write_files(tmp_path, {**BACKUP_STACK, "scripts/crontab.txt": crontab})
    [(path, line, _)] = rule_findings(tmp_path, "DJC214")
    assert (path, line) == ("scripts/db_backup/docker-compose.yml", 6)


def test_an_unknown_instruction_is_quoted_as_written(tmp_path: Path) -> None:
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nENTRYPOINT[\"/app/entrypoint.sh\"]\n",
                           "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"})
    [(path, line, message)] = rule_findings(tmp_path, "DJC001")
    assert (path, line) == ("Dockerfile", 3)
    assert message.endswith('unknown instruction: ENTRYPOINT["/app/entrypoint.sh"]')


PROXY_PAIR = {
    "docker-compose.yml": ("services:\n  lb1:\n    build: ./lb/lb1\n    privileged: true\n    ports:\n"
                           "      - \"443:443\"\n  static:\n    build: ./static\n"),
    "lb/lb1/Dockerfile": ("FROM ubuntu\nRUN apt-get update && apt-get install -y haproxy keepalived\n"
                          "COPY entrypoint.sh /entrypoint.sh\nCMD [\"/entrypoint.sh\"]\n"),
    "lb/lb1/entrypoint.sh": "#!/bin/sh\nservice keepalived start\nexec haproxy -f /etc/haproxy/haproxy.cfg\n",
    "static/Dockerfile": "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y nginx\nCMD [\"nginx\"]\n",
}
"""A load balancer's stack: images of its own, none on Python, in a repository with no Django file."""


@pytest.mark.parametrize("base, found", [("ubuntu:24.04", False), ("python:3.12-slim", True),
                                         ("postgres:16", True)])
def test_a_stack_building_no_python_image_in_a_repository_without_django_is_no_setup(
        tmp_path: Path, base: str, found: bool) -> None:
    write_files(tmp_path, {**PROXY_PAIR, "static/Dockerfile": PROXY_PAIR["static/Dockerfile"].replace(
        "ubuntu:24.04", base)})
    assert bool(discover([tmp_path])) is found


FASTAPI = {
    "pyproject.toml": ("[project]\nname = \"nabr\"\nversion = \"0.1.0\"\ndependencies = [\n"
                       "    \"fastapi>=0.118.0\",\n    \"psycopg2-binary>=2.9\",\n    \"uvicorn>=0.37\",\n]\n"),
    "src/nabr/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "docker/backend/Dockerfile": ("FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n"
                                  "CMD [\"uvicorn\", \"nabr.main:app\", \"--host\", \"0.0.0.0\"]\n"),
    "docker-compose.yml": ("services:\n  backend:\n    build:\n      context: .\n"
                           "      dockerfile: docker/backend/Dockerfile\n"
                           "    command: uvicorn nabr.main:app --host 0.0.0.0 --reload\n"
                           "  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: postgres\n"),
}
"""A FastAPI project: uvicorn in its image and its compose file, its package under ``src/``."""


def test_a_fastapi_projects_stack_is_no_setup(tmp_path: Path) -> None:
    write_files(tmp_path, FASTAPI)
    assert discover([tmp_path]) == []


def test_a_stack_that_names_django_in_a_fastapi_repository_is_a_setup(tmp_path: Path) -> None:
    compose = FASTAPI["docker-compose.yml"] + "  admin:\n    image: acme/django-admin:1.0\n"
    write_files(tmp_path, {**FASTAPI, "docker-compose.yml": compose})
    assert [setup.root for setup in discover([tmp_path])] == [tmp_path]


@pytest.mark.parametrize("requirements, found", [("docopt==0.6.2\nboto3==1.34.0\n", False),
                                                 ("Django==5.2.1\n", True)])
def test_a_scripts_stack_in_a_repository_without_django_is_no_setup(tmp_path: Path, requirements: str,
                                                                     found: bool) -> None:
    files = {name: text for name, text in BACKUP_STACK.items() if name.startswith("scripts/")}
    write_files(tmp_path, {**files, "scripts/db_backup/requirements.txt": requirements,
                           "api/package.json": "{\"name\": \"api\"}\n"})
    assert bool(discover([tmp_path])) is found


@pytest.mark.parametrize("shell, command, reported", [
    ('SHELL ["/bin/bash", "-c"]\n', "python manage.py migrate && gunicorn app.wsgi -b 0.0.0.0:8000", False),
    ('SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', "python manage.py migrate; gunicorn app.wsgi", False),
    ('SHELL ["/bin/bash", "-c"]\n', "python manage.py migrate && gunicorn app.wsgi 2>&1", True),  # redirected
    ('SHELL ["/bin/bash", "-c"]\n', "python manage.py migrate && gunicorn app.wsgi | tee log", True),  # piped
    ("", "python manage.py migrate && gunicorn app.wsgi -b 0.0.0.0:8000", True),  # dash keeps the shell
])
def test_bash_execs_the_last_command_of_its_command_line(tmp_path: Path, shell: str, command: str,
                                                          reported: bool) -> None:
    dockerfile = ("FROM python:3.12-slim\n" + shell + "WORKDIR /app\nCOPY . .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCMD " + command + "\n")
    write_files(tmp_path, {"Dockerfile": dockerfile, "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
                           "manage.py": APP["app/manage.py"]})
    assert bool(rule_findings(tmp_path, "DJC109")) is reported


def test_a_shell_set_after_the_command_does_not_run_it(tmp_path: Path) -> None:
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                  "CMD python manage.py migrate && gunicorn app.wsgi\nSHELL [\"/bin/bash\", \"-c\"]\n")
    write_files(tmp_path, {"Dockerfile": dockerfile, "manage.py": APP["app/manage.py"]})
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC109")] == [4]


CRLF_SCRIPT = {
    "manage.py": APP["app/manage.py"],
    "docker/django/entrypoint.sh": "#!/bin/sh\r\nset -e\r\npython manage.py migrate\r\nexec \"$@\"\r\n",
    "Dockerfile": ("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                   "COPY ./docker/django/entrypoint.sh /docker-entrypoint.sh\n"
                   "RUN chmod +x '/docker-entrypoint.sh' \\\n  # CRLF to LF for Windows users:\n"
                   "  && sed -i 's/\\r$//g' '/docker-entrypoint.sh'\n"
                   "ENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n"),
}
"""A CRLF entrypoint the Dockerfile copies under another name and converts by that name."""


@pytest.mark.parametrize("converted", ["/docker-entrypoint.sh", "/other.sh"])
def test_carriage_returns_stripped_under_the_name_the_copy_gives(tmp_path: Path, converted: str) -> None:
    dockerfile = CRLF_SCRIPT["Dockerfile"].replace("sed -i 's/\\r$//g' '/docker-entrypoint.sh'",
                                                   f"sed -i 's/\\r$//g' '{converted}'")
    write_files(tmp_path, {**CRLF_SCRIPT, "Dockerfile": dockerfile})
    found = [message for _, _, message in rule_findings(tmp_path, "DJC410") if "CRLF" in message]
    assert bool(found) is (converted != "/docker-entrypoint.sh")


def test_a_coding_assistants_example_dockerfile_is_no_setup(tmp_path: Path) -> None:
    write_files(tmp_path, {**CRLF_SCRIPT, ".amazonq/rules/docker/django/Dockerfile":
                           "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app/\nCMD [\"gunicorn\", \"app.wsgi\"]\n"})
    assert all(".amazonq" not in str(path) for setup in discover([tmp_path]) for path in setup.dockerfiles)


ENV_FILES_IMAGE = {
    "manage.py": APP["app/manage.py"],
    "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
    ".dockerignore": ".git\n__pycache__/\n",
    ".env.local": "DJANGO_SECRET_KEY=local-secret-for-the-build\nDATABASE_URL=sqlite:///db.sqlite3\n",
    ".env.test": "DJANGO_SECRET_KEY=test-secret-key\nDATABASE_URL=postgres://postgres:postgres@db/test\n",
    "Dockerfile": ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\n"
                   "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                   "RUN DJANGO_DOT_ENV_FILE=.env.local python manage.py collectstatic --noinput\n"
                   "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"shop.wsgi\"]\n"),
}
"""An image whose build reads a committed ``.env.local`` by name, beside the test suite's committed ``.env.test``."""


def test_an_env_file_the_build_reads_or_the_tests_commit_need_not_be_kept_out(tmp_path: Path) -> None:
    write_files(tmp_path, ENV_FILES_IMAGE)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    assert rule_findings(tmp_path, "DJC402") == []
    dockerfile = ENV_FILES_IMAGE["Dockerfile"].replace("DJANGO_DOT_ENV_FILE=.env.local ", "")
    write_files(tmp_path, {"Dockerfile": dockerfile})
    assert [message.split(";")[0] for _, _, message in rule_findings(tmp_path, "DJC402")] == [
        ".dockerignore lets .env.local into the image"]


SCRIPTS_IMAGE = {
    "manage.py": APP["app/manage.py"],
    "scripts/entrypoint.prod.sh": "#!/bin/sh\nset -e\npython manage.py migrate\nexec gunicorn app.wsgi\n",
    "Dockerfile": ("FROM python:3.12-slim\nWORKDIR /usr/src/app\nCOPY ./scripts/entrypoint.prod.sh .\nCOPY . .\n"
                   "ENTRYPOINT [\"./entrypoint.prod.sh\"]\n"),
}
"""An image whose entrypoint, committed without its x bit, the install instructions make executable."""


@pytest.mark.parametrize("readme, reported", [
    ("Install:\n\n`$ sudo git clone https://example.org/memes /opt/memes`\n\n`$ sudo chmod +x /opt/memes/scripts/*`\n",
     False),
    ("Install:\n\n    chmod 755 scripts/entrypoint.prod.sh\n", False),
    ("Install:\n\n    chmod 644 scripts/*\n", True),  # no x bit
    ("Install:\n\n    chmod +x bin/*\n", True),  # another folder
])
def test_a_chmod_the_instructions_run_makes_the_entrypoint_executable(tmp_path: Path, readme: str,
                                                                      reported: bool) -> None:
    write_files(tmp_path, {**SCRIPTS_IMAGE, "README.md": readme})
    found = [message for _, _, message in rule_findings(tmp_path, "DJC410") if "not executable" in message]
    assert bool(found) is reported


def test_another_frameworks_requirements_two_folders_down_make_no_django_setup(tmp_path: Path) -> None:
    files = {name: text for name, text in FASTAPI.items() if name != "pyproject.toml"}
    write_files(tmp_path, {**files, "beacons/api/requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\n",
                           "setup.py": "from setuptools import setup\nsetup(name='beacons')\n"})
    assert discover([tmp_path]) == []


NETWORKED = {
    **APP,
    "Dockerfile": IMAGE + "COPY app /srv/app\nCMD [\"/srv/app/start.sh\"]\n",
    "app/shop/celery.py": "from celery import Celery\napp = Celery('shop')\n",
    "docker-compose.yml": ("services:\n  redis:\n    image: redis:7\n    networks: [backend]\n"
                           "  worker:\n    build: .\n    command: celery -A shop worker\n"
                           "    environment:\n      CELERY_BROKER_URL: redis://redis:6379/0\n"
                           "    networks:\n      {networks}\n"
                           "networks:\n  backend: {{}}\n  frontend: {{}}\n"),
}
"""A Celery worker and its broker, on networks of their own."""


@pytest.mark.parametrize("networks, reported", [("frontend: {}", False), ("backend: {}", True),
                                                ("- frontend\n      - backend", True)])
def test_a_service_on_no_network_of_its_broker_is_not_told_to_wait_for_it(tmp_path: Path, networks: str,
                                                                           reported: bool) -> None:
    write_files(tmp_path, {**NETWORKED, "docker-compose.yml": NETWORKED["docker-compose.yml"].format(
        networks=networks)})
    assert bool([path for path, _, _ in rule_findings(tmp_path, "DJC202")]) is reported


@pytest.mark.parametrize("create, reported", [
    ("", True),
    ("RUN adduser --disabled-password --gecos '' app\n", False),
    ("RUN groupadd --system app && useradd --system --gid app --create-home app\n", False),
    ("RUN useradd --create-home web\n", True),  # another name
])
def test_a_copy_owned_by_a_user_the_image_never_creates_stops_the_build(tmp_path: Path, create: str,
                                                                        reported: bool) -> None:
    dockerfile = ("FROM python:3.12-slim-bookworm AS builder\nWORKDIR /app\nCOPY . /app\n\n"
                  "FROM python:3.12-slim-bookworm\nWORKDIR /app\n" + create +
                  "COPY --from=builder --chown=app:app /app /app\nCMD [\"python\", \"manage.py\", \"runserver\"]\n")
    write_files(tmp_path, {"Dockerfile": dockerfile, "manage.py": APP["app/manage.py"]})
    assert bool(rule_findings(tmp_path, "DJC123")) is reported


def test_a_gitignored_dockerignore_is_named_as_what_a_clone_lacks(tmp_path: Path) -> None:
    write_files(tmp_path, {"app/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                             "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"shop.wsgi\"]\n",
                           "app/manage.py": APP["app/manage.py"], ".gitignore": ".env\n.dockerignore\n",
                           "docker-compose.yml": "services:\n  web:\n    build: ./app\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    [(_, _, message)] = rule_findings(tmp_path, "DJC401")
    assert "git ignores the .dockerignore: a clone builds without it" in message


ENGINE_FROM_ENVIRONMENT = {
    "manage.py": APP["app/manage.py"],
    "shop/__init__.py": "",
    "shop/settings.py": ("import os\nSECRET_KEY = 'x'\nDATABASES = {'default': {\n"
                         "    'ENGINE': os.environ.get('SQL_ENGINE'), 'NAME': os.environ.get('SQL_DATABASE'),\n"
                         "    'HOST': os.environ.get('SQL_HOST'), 'PORT': os.environ.get('SQL_PORT')}}\n"),
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /code\nCOPY . .\n",
    "docker-compose.yml": ("services:\n  web:\n    build: .\n    command: python /code/manage.py runserver 0.0.0.0:8000\n"
                           "{environment}    depends_on:\n      - db\n"
                           "  db:\n    image: postgres:13\n    environment:\n      POSTGRES_PASSWORD: postgres\n"),
}
"""A web service whose settings take the database engine and host from its environment."""


@pytest.mark.parametrize("environment, reported", [
    ("", False),  # no engine: Django stops before it connects anywhere
    ("    environment:\n      SQL_ENGINE: django.db.backends.postgresql\n      SQL_HOST: db\n", True),
])
def test_a_database_engine_the_environment_leaves_unset_connects_to_nothing(tmp_path: Path, environment: str,
                                                                            reported: bool) -> None:
    compose = ENGINE_FROM_ENVIRONMENT["docker-compose.yml"].format(environment=environment)
    write_files(tmp_path, {**ENGINE_FROM_ENVIRONMENT, "docker-compose.yml": compose})
    assert bool(rule_findings(tmp_path, "DJC203")) is reported


@pytest.mark.parametrize("bind, reported", [("--bin 0.0.0.0:8000", False), ("--bi=0.0.0.0:8000", False),
                                            ("--bin 127.0.0.1:8000", True)])
def test_gunicorn_reads_a_unique_prefix_of_bind(tmp_path: Path, bind: str, reported: bool) -> None:
    write_files(tmp_path, {**{name: text for name, text in APP.items() if name.startswith("app/")},
                           "Dockerfile": IMAGE + "COPY app /srv/app\n",
                           "docker-compose.yml": ("services:\n  web:\n    build: .\n"
                                                  f"    command: gunicorn --workers=4 shop.wsgi:application {bind}\n"
                                                  "    ports:\n      - \"8000:8000\"\n")})
    assert bool(rule_findings(tmp_path, "DJC416")) is reported


FALLBACK_KEY = {
    "manage.py": APP["app/manage.py"],
    "shop/__init__.py": "",
    "shop/settings.py": "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'my_default_secret_key')\nDEBUG = False\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"shop.wsgi\"]\n",
    ".env.prod": "SECRET_KEY=k8#Lq2!vX9pR4mZ7wT1yB6nC3\n",
    "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file:\n      - ./{env_file}\n",
}
"""Settings whose key falls back to a literal, run by a service whose env file sets the key."""


@pytest.mark.parametrize("env_file, reported", [(".env.prod", False), (".env.other", True)])
def test_a_fallback_key_the_env_file_always_replaces_reaches_no_container(tmp_path: Path, env_file: str,
                                                                          reported: bool) -> None:
    write_files(tmp_path, {**FALLBACK_KEY, ".env.other": "DEBUG=0\n",
                           "docker-compose.yml": FALLBACK_KEY["docker-compose.yml"].format(env_file=env_file)})
    assert bool(rule_findings(tmp_path, "DJC303")) is reported


def test_an_autotest_stack_is_a_test_harness(tmp_path: Path) -> None:
    write_files(tmp_path, {**FALLBACK_KEY, "docker-compose.yml": "services:\n  web:\n    build: .\n",
                           "docker-compose.autotest.yml": ("services:\n  db:\n    image: postgres:16\n"
                                                           "    environment:\n      POSTGRES_PASSWORD: test\n"
                                                           "  web:\n    build: .\n    depends_on: [db]\n")})
    assert rule_findings(tmp_path, "DJC206") == []


@pytest.mark.parametrize("files", [
    {".env.example": "SECRET_KEY=foo\n", ".gitignore": ".env\n"},  # each clone's .env, from the template
    {".env": "SECRET_KEY=тут-длинный-случайный-ключ-50-символов\n"},  # committed, a placeholder to replace
])
def test_a_key_a_template_or_a_placeholder_gives_leaves_the_fallback_reported(tmp_path: Path,
                                                                              files: dict[str, str]) -> None:
    write_files(tmp_path, {**FALLBACK_KEY, **files,
                           "docker-compose.yml": FALLBACK_KEY["docker-compose.yml"].format(env_file=".env")})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC303")] == [2]
