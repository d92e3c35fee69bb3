"""Causes of false and noisy findings the ninety-sixth review found (session 34)."""

from __future__ import annotations

from pathlib import Path

from djlint_docker.discover import discover
from tests.conftest import rule_findings, write_files

WSGI = ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'finance.settings')\n"
        "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n")
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'finance.settings')\n"
TINI_IMAGE = {
    "Dockerfile": ("FROM python:3.11-alpine\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\n"
                   "RUN addgroup -S app && adduser app -S -G app && apk add --no-cache tini\n"
                   "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                   "COPY ./scripts/*.sh /app/\nCOPY . /app\nUSER app\n"
                   "ENTRYPOINT [\"/sbin/tini\", \"-g\", \"--\", \"/app/docker-entrypoint.sh\"]\n"
                   "CMD [\"/app/django-start.sh\"]\n"),
    ".dockerignore": ".git\n", "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
    "scripts/docker-entrypoint.sh": "#!/bin/sh\nset -o errexit\nexec \"$@\"\n",
    "scripts/django-start.sh": ("#!/bin/sh\nset -o errexit\npython manage.py migrate --noinput\n"
                                "gunicorn finance.wsgi:application --bind \"0.0.0.0:$PORT\"\n"),
    "manage.py": MANAGE, "finance/__init__.py": "", "finance/wsgi.py": WSGI,
    "finance/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"}
"""An image whose tini signals the process group: the entrypoint hands over to a start script that runs gunicorn."""


def test_a_server_started_behind_tini_g_gets_the_stop_signal(tmp_path: Path) -> None:
    write_files(tmp_path, TINI_IMAGE)
    assert rule_findings(tmp_path, "DJC411") == []


def test_a_server_started_behind_tini_alone_misses_it(tmp_path: Path) -> None:
    write_files(tmp_path, {**TINI_IMAGE, "Dockerfile": TINI_IMAGE["Dockerfile"].replace('"-g", ', "")})
    [(path, line, _)] = rule_findings(tmp_path, "DJC411")
    assert (path, line) == ("scripts/django-start.sh", 4)


def test_a_service_replacing_the_entrypoint_loses_the_init(tmp_path: Path) -> None:
    write_files(tmp_path, {**TINI_IMAGE, "compose.yaml": (
        "services:\n  web:\n    build: .\n    entrypoint: [\"/app/docker-entrypoint.sh\"]\n"
        "    command: [\"/app/django-start.sh\"]\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC411")] == [("scripts/django-start.sh", 4)]


COPIER_TEMPLATE = {
    "copier.yml": "_min_copier_version: \"9.0.0\"\n\n_subdirectory: template\n\nproject_name:\n  type: str\n",
    "template/docker-compose.yml": "services:\n  backend:\n    build:\n      context: .\n      target: web\n",
    "template/Dockerfile": ("FROM python:3.12-slim AS web\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n"
                            "RUN pip install --no-cache-dir uv && uv sync --frozen\nCOPY . .\n"
                            "CMD [\"gunicorn\", \"src.wsgi\"]\n"),
    "template/pyproject.toml.jinja": "[project]\nname = \"{{ project_slug }}\"\ndependencies = [\"django>=5.2\"]\n",
    "template/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'src.settings')\n",
    "template/src/__init__.py": "", "template/src/settings.py.jinja": "SECRET_KEY = '{{ secret_key }}'\n"}
"""A Copier template: ``copier copy`` renders ``template/`` (``pyproject.toml.jinja``) into a new project."""


def test_a_copier_templates_subdirectory_is_no_setup(tmp_path: Path) -> None:
    write_files(tmp_path, COPIER_TEMPLATE)
    assert discover([tmp_path]) == []


def test_the_project_copier_renders_is_checked(tmp_path: Path) -> None:
    write_files(tmp_path, {path.removeprefix("template/"): text for path, text in COPIER_TEMPLATE.items()
                           if path != "copier.yml"})
    missing = sorted(message.split("`")[1] for path, _, message in rule_findings(tmp_path, "DJC122"))
    assert missing == ["COPY pyproject.toml", "COPY uv.lock"], missing  # left as the template wrote them


INCLUDED_PARTS = {
    "docker-compose.yaml": "include:\n  - path:\n      - base.yaml\n      - dev.yaml\n    env_file:\n"
                           "      - .env.base\n      - .env.dev\n",
    "base.yaml": ("services:\n  django:\n    build: .\n    image: ${PROJECT}-django\n    environment:\n"
                  "      DOMAIN: $DOMAIN\n      TZ: $TZ\n"),
    "dev.yaml": "services:\n  django:\n    command: ./manage.py runserver 0.0.0.0:8000\n",
    "react.yaml": "services:\n  react:\n    build: ${REACT_ROOT}\n    depends_on: [django]\n",
    ".env.base": "PROJECT=example\nTZ=Europe/Paris\nREACT_ROOT=react\n", ".env.dev": "DOMAIN=example.localhost\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install --no-cache-dir django\n",
    "manage.py": MANAGE}
"""A project that includes its parts with the env files that interpolate them, and keeps an add-on to include."""


def test_the_env_files_of_an_include_interpolate_its_files(tmp_path: Path) -> None:
    write_files(tmp_path, INCLUDED_PARTS)
    assert rule_findings(tmp_path, "DJC214") == []


def test_an_include_without_its_env_files_leaves_them_unset(tmp_path: Path) -> None:
    write_files(tmp_path, {**INCLUDED_PARTS, "docker-compose.yaml": "include:\n  - base.yaml\n  - dev.yaml\n"})
    assert sorted(message.split("}")[0] for _, _, message in rule_findings(tmp_path, "DJC214")) == [
        "${DOMAIN", "${PROJECT", "${TZ"]


def test_an_add_on_of_an_included_file_is_no_stack_of_its_own(tmp_path: Path) -> None:
    write_files(tmp_path, INCLUDED_PARTS)
    assert [[path.name for path in setup.compose_files] for setup in discover([tmp_path])] == [["docker-compose.yaml"]]


WINDOWS_HOST_DATA = {
    "docker-compose.yml": ("services:\n  db:\n    image: postgres:16\n    environment:\n"
                           "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    volumes:\n"
                           "      - D:\\Projects\\Test\\db:/var/lib/postgresql/data\n"),
    ".gitignore": "__pycache__/\n", ".dockerignore": ".git\n", ".git/HEAD": "ref: refs/heads/main\n"}
"""A database whose data lives in a folder of the Windows host (Docker Desktop), outside the project."""


def test_a_windows_host_folder_is_outside_the_project(tmp_path: Path) -> None:
    write_files(tmp_path, WINDOWS_HOST_DATA)
    assert rule_findings(tmp_path, "DJC205") == [] and rule_findings(tmp_path, "DJC403") == []


def test_a_folder_of_the_project_still_holds_the_data(tmp_path: Path) -> None:
    write_files(tmp_path, {**WINDOWS_HOST_DATA, "docker-compose.yml": WINDOWS_HOST_DATA["docker-compose.yml"].replace(
        "D:\\Projects\\Test\\db", "./db")})
    assert [path for path, _, _ in rule_findings(tmp_path, "DJC205")] == ["docker-compose.yml"]
