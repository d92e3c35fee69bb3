"""A project deployed by Google App Engine's own Python runtime (``app.yaml``) and developed with a compose stack: the
stack is a development one, as beside a Procfile; without such a configuration the stack is what ships."""

from __future__ import annotations

from pathlib import Path

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project
from djlint_docker.rules.snippets import MANAGE

COMPOSE = """\
services:
  web:
    build: .
    command: python manage.py runserver 0.0.0.0:8000
    volumes:
      - .:/code
    ports:
      - "8000:8000"
"""

DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /code
COPY requirements.txt /code/
RUN pip install -r requirements.txt
COPY . /code/
"""

APP_YAML = """\
runtime: python312
entrypoint: gunicorn -b :$PORT blog.wsgi

handlers:
  - url: /static
    static_dir: static/
  - url: /.*
    script: auto
    secure: always

env_variables:
  DJANGO_SETTINGS_MODULE: blog.settings
"""

PROJECT = {
    "compose.yaml": COMPOSE, "Dockerfile": DOCKERFILE, "requirements.txt": "Django>=5.1,<5.2\ngunicorn\n",
    "manage.py": MANAGE.replace("app.settings", "blog.settings"), "blog/__init__.py": "",
    "blog/settings.py": "import os\n\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
    "blog/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings')\n",
    ".dockerignore": ".git\n.env\n",
}


def project(root: Path, files: dict[str, str]) -> Project:
    write_files(root, files)
    setup, = discover([root])
    return Project(setup, root)


def codes(root: Path) -> set[tuple[str, str]]:
    return {(f.code, f.path) for f in lint(root)}


def test_an_app_engine_configuration_deploys_the_project(tmp_path):
    assert project(tmp_path / "app", {**PROJECT, "app.yaml": APP_YAML}).deployments == ["app.yaml"]
    # The real app.yaml holds the secrets and is ignored by git: its template is committed.
    example = {**PROJECT, "app.yaml.example": APP_YAML.replace("python312", '"python39"')}
    assert project(tmp_path / "example", example).deployments == ["app.yaml.example"]
    assert project(tmp_path / "named", {**PROJECT, "app-production.yaml": APP_YAML}).deployments == [
        "app-production.yaml"]


def test_the_development_image_beside_app_engine_is_not_what_ships(tmp_path):
    root = write_files(tmp_path / "app", {**PROJECT, "app.yaml": APP_YAML})
    found = codes(root)
    assert ("DJC108", "Dockerfile") not in found  # root in a container that never leaves the developer's machine
    assert ("DJC110", "Dockerfile") not in found


def test_without_a_platform_configuration_the_compose_stack_ships(tmp_path):
    assert not project(tmp_path / "alone", PROJECT).deployments
    assert ("DJC108", "Dockerfile") in codes(tmp_path / "alone")


def test_app_engine_building_the_dockerfile_deploys_nothing_of_its_own(tmp_path):
    """``runtime: custom`` (the flexible environment) builds the project's Dockerfile: the image is what ships."""
    custom = {**PROJECT, "app.yaml": "runtime: custom\nenv: flex\n"}
    assert not project(tmp_path / "custom", custom).deployments
    assert ("DJC108", "Dockerfile") in codes(tmp_path / "custom")
    # A compose file or a CI configuration named app.yaml runs no Python runtime of App Engine.
    other = {**PROJECT, "app.yaml": "name: app\nruntime_version: 3\n"}
    assert not project(tmp_path / "other", other).deployments
