"""The causes the twentieth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import rule_findings as _found
from conftest import write_files

from djlint_docker.rules.snippets import MANAGE


def test_a_misspelt_stage_is_named_as_such(tmp_path: Path) -> None:
    """`FROM python-base` beside a stage `backend-base` is a missing stage, not an image to pin; a bare name that
    resembles no stage is still an untagged image."""
    write_files(tmp_path, {"manage.py": MANAGE, "Dockerfile": (
        "FROM python:3.12-slim AS backend-base\nFROM python-base AS builder\nFROM shop-web\n"
        "COPY --from=build /usr/local /usr/local\n")})
    found = {line: message for _, line, message in _found(tmp_path, "DJC106")}
    assert "names no stage of this Dockerfile (did you mean `backend-base`?)" in found[2]
    assert "has no tag" in found[3]
    assert "(did you mean `builder`?)" in found[4]


LOCAL_AND_PRODUCTION = {
    "docker-compose.yml": "services:\n  api:\n    build: .\n    environment:\n      DJANGO_ENV: local\n"
                          "      DATABASE_URL: postgres://shop:shop@postgres:5432/shop\n"
                          "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                          "  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: shop\n"
                          "    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg: {}\n",
    "docker-compose.prod.yml": "services:\n  api:\n    build: .\n    env_file: .env\n"
                               "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
    "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "manage.py": MANAGE,
    "app/__init__.py": "", "app/settings.py": "import os\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\n",
    ".gitignore": ".env\n", ".env.example": "SECRET_KEY=\n",
}
"""A stack whose compose file says it is the local one (`DJANGO_ENV: local`) beside the production stack."""


def test_a_stack_its_environment_calls_local_is_development(tmp_path: Path) -> None:
    """Its throwaway database password is no finding (DJC207)."""
    write_files(tmp_path, LOCAL_AND_PRODUCTION)
    assert _found(tmp_path, "DJC207") == []


def test_the_same_stack_calling_itself_production_is_deployed(tmp_path: Path) -> None:
    write_files(tmp_path, {**LOCAL_AND_PRODUCTION, "docker-compose.yml": LOCAL_AND_PRODUCTION[
        "docker-compose.yml"].replace("DJANGO_ENV: local", "DJANGO_ENV: production")})
    assert [line for _, line, _ in _found(tmp_path, "DJC207")] == [6]


BACKING_SERVICES = {
    "deployments/development/docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    ports:\n"
                                                  "      - 5432:5432\n    volumes:\n"
                                                  "      - pg:/var/lib/postgresql/data\nvolumes:\n  pg: {}\n",
    "deployments/production/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"
                                         "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
    "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = False\n",
}
"""The database a developer runs Django against, in a folder named for development, beside the production image."""


def test_a_compose_file_in_a_folder_named_for_development_is_development(tmp_path: Path) -> None:
    write_files(tmp_path, BACKING_SERVICES)
    assert _found(tmp_path, "DJC210") == []


def test_the_same_compose_file_in_a_folder_named_for_production_is_deployed(tmp_path: Path) -> None:
    write_files(tmp_path, {name.replace("deployments/development", "deployments/production"): text
                           for name, text in BACKING_SERVICES.items()})
    assert [(path.rsplit("/", 1)[-1], line) for path, line, _ in _found(tmp_path, "DJC210")] == [
        ("docker-compose.yml", 5)]


IMAGE_AND_TEMPLATE = {
    "backend/Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                          "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"core.wsgi\"]\n",
    "backend/manage.py": MANAGE.replace("app.settings", "core.settings.development"),
    "backend/core/__init__.py": "", "backend/core/settings/__init__.py": "",
    "backend/core/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings.development')\n",
    "backend/core/settings/development.py": "DEBUG = True\nALLOWED_HOSTS = ['*']\n",
    "backend/core/settings/production.py": "import os\nDEBUG = False\nALLOWED_HOSTS = ['shop.example.com']\n"
                                           "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
    "backend/.env.example": "DJANGO_SETTINGS_MODULE=core.settings.production\nDJANGO_SECRET_KEY=\n",
    ".gitignore": ".env\n",
}
"""An image no compose file runs, whose env template tells its runner to name the production settings."""


def test_the_template_beside_an_image_names_its_settings(tmp_path: Path) -> None:
    """The development module's DEBUG is not what the image runs (DJC301)."""
    write_files(tmp_path, IMAGE_AND_TEMPLATE)
    assert _found(tmp_path, "DJC301") == []


def test_without_the_template_the_default_is_what_the_image_runs(tmp_path: Path) -> None:
    files = dict(IMAGE_AND_TEMPLATE)
    del files["backend/.env.example"]
    write_files(tmp_path, files)
    assert [(path.rsplit("/", 1)[-1], line) for path, line, _ in _found(tmp_path, "DJC301")] == [
        ("development.py", 1)]
