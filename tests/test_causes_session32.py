"""Causes of false findings the ninety-third and ninety-fourth blind reviews found (session 32)."""

from __future__ import annotations

from pathlib import Path

from djlint_docker.files import template_base, template_name
from tests.conftest import rule_findings, write_files

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


def test_a_service_only_the_development_file_writes_is_development(tmp_path: Path) -> None:
    # The production file needs `app` of another file, so djcheck checks it on the development file; the notebook
    # service only the development file writes stays a development one.
    write_files(tmp_path, {
        "compose/docker-compose-dev-debug.yml": DEV_STACK, "compose/docker-compose-prod.yml": PROD_STACK,
        "compose/env/development/.env": "DEBUG=1\nSECRET_KEY=dev\n",
        "compose/env/production/.env": "DEBUG=0\nSECRET_KEY=prod-secret-from-vault\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE, "shop/__init__.py": "", "shop/settings.py": DEBUG_FROM_ENV,
        "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    })
    assert [f for f in rule_findings(tmp_path, "DJC301") if f[0] == "compose/env/development/.env"] == []


def test_debug_in_the_production_files_service_is_reported(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "compose/docker-compose-dev-debug.yml": DEV_STACK, "compose/docker-compose-prod.yml": PROD_STACK,
        "compose/env/development/.env": "DEBUG=1\nSECRET_KEY=dev\n",
        "compose/env/production/.env": "DEBUG=1\nSECRET_KEY=prod-secret-from-vault\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE, "shop/__init__.py": "", "shop/settings.py": DEBUG_FROM_ENV,
        "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    })
    findings = rule_findings(tmp_path, "DJC301")
    assert any("service web" in m for _, _, m in findings), findings
    assert not any(path == "compose/env/development/.env" for path, _, _ in findings), findings
