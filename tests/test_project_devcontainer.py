"""An editor's development container named by a devcontainer.json, and Gitpod's workspace image: Project.workspace_services
and workspace_image."""

from __future__ import annotations

from pathlib import Path

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project, _json_with_comments
from djlint_docker.rules.snippets import MANAGE

COMPOSE = """\
services:
  db:
    image: postgres:16-alpine
  api:
    build:
      context: ./api
      dockerfile: Dockerfile.dev
    command: sleep infinity
    volumes:
      - ./api:/app/api
    depends_on:
      - db
  client:
    build: ./client
    command: npm run dev
"""

WORKSPACE_DOCKERFILE = """\
FROM python:3.12
WORKDIR /app/api
COPY . .
RUN apt-get update && apt-get install -y gettext
RUN pip install -r requirements.txt
"""

DEVCONTAINER = """\
{
    // the stack lives at the repository's top
    "name": "shop-api",
    "dockerComposeFile": [
        "../../compose.yaml",
    ],
    "service": "api",
    /* open the folder the service mounts */
    "workspaceFolder": "/app/api",
    "customizations": {"vscode": {"extensions": ["ms-python.python"]}},
}
"""

FILES = {"compose.yaml": COMPOSE, "api/Dockerfile.dev": WORKSPACE_DOCKERFILE, "api/manage.py": MANAGE,
         "api/requirements.txt": "Django>=5.1,<5.2\n", "client/Dockerfile": "FROM node:22-alpine\nCMD [\"npm\"]\n",
         "api/.devcontainer/devcontainer.json": DEVCONTAINER}


def project(root: Path, files: dict[str, str]) -> Project:
    write_files(root, files)
    setups = discover([root])
    return Project(next(s for s in setups if s.compose_files), root, siblings=setups)


def build_of(found: Project, service: str):
    return next(build for build in found.builds if service in build.services)


def test_the_service_a_devcontainer_json_names_is_the_editors_workspace(tmp_path):
    found = project(tmp_path, FILES)
    assert found.workspace_services == {"api"}
    assert found.workspace_image(build_of(found, "api"))
    assert not found.workspace_image(build_of(found, "client"))


def test_image_hygiene_is_not_a_workspaces_concern(tmp_path):
    write_files(tmp_path, FILES)
    codes = {(f.code, f.path) for f in lint(tmp_path)}
    assert not {code for code, path in codes if path == "api/Dockerfile.dev"} & {"DJC108", "DJC110", "DJC111"}
    without = tmp_path / "without"
    write_files(without, {k: v for k, v in FILES.items() if "devcontainer" not in k})
    codes = {(f.code, f.path) for f in lint(without)}
    assert {("DJC108", "api/Dockerfile.dev"), ("DJC111", "api/Dockerfile.dev")} <= codes


def test_where_devcontainer_files_are_kept(tmp_path):
    for place, compose in ((".devcontainer.json", "compose.yaml"), (".devcontainer/api/devcontainer.json",
                                                                    "../../compose.yaml"),
                           ("api/.devcontainer.json", "../compose.yaml")):
        root = tmp_path / place.replace("/", "_")
        text = DEVCONTAINER.replace("../../compose.yaml", compose)
        found = project(root, {**{k: v for k, v in FILES.items() if "devcontainer" not in k}, place: text})
        assert found.workspace_services == {"api"}, place


def test_a_devcontainer_json_of_another_stack_or_service(tmp_path):
    files = {k: v for k, v in FILES.items() if "devcontainer" not in k}
    other = DEVCONTAINER.replace("../../compose.yaml", "../../compose.editor.yaml")
    found = project(tmp_path / "other-file", {**files, "api/.devcontainer/devcontainer.json": other})
    assert found.workspace_services == frozenset()
    image_only = '{"name": "api", "build": {"dockerfile": "../Dockerfile.dev"}}\n'
    found = project(tmp_path / "image", {**files, "api/.devcontainer/devcontainer.json": image_only})
    assert found.workspace_services == frozenset()
    missing = DEVCONTAINER.replace('"service": "api"', '"service": "worker"')
    found = project(tmp_path / "missing", {**files, "api/.devcontainer/devcontainer.json": missing})
    assert found.workspace_services == frozenset()
    found = project(tmp_path / "broken", {**files, "api/.devcontainer/devcontainer.json": "{\n  \"service\": \n"})
    assert found.workspace_services == frozenset()


def test_a_service_that_runs_the_application_is_not_a_workspace(tmp_path):
    # The editor attaches to the web service that runs the development server: the developer runs the application
    # there with or without the editor (a cookiecutter-django layout), its image is the application's.
    compose = "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n" \
              "    volumes:\n      - .:/app\n"
    dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install django gunicorn\n"
    devcontainer = '{"dockerComposeFile": ["../compose.yaml"], "service": "web", "overrideCommand": false}\n'
    found = project(tmp_path / "runs", {"compose.yaml": compose, "Dockerfile": dockerfile, "manage.py": MANAGE,
                                         ".devcontainer/devcontainer.json": devcontainer})
    assert found.workspace_services == frozenset()
    assert not found.workspace_image(build_of(found, "web"))


def test_a_workspace_services_image_that_ships_is_not_a_workspace_image(tmp_path):
    # The editor's container idles, but the image serves with gunicorn by itself, or is named for production.
    compose = "services:\n  web:\n    build: .\n    command: sleep infinity\n    volumes:\n      - .:/app\n"
    dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install django gunicorn\n"
    serving = dockerfile + "CMD [\"gunicorn\", \"app.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n"
    devcontainer = '{"dockerComposeFile": ["../compose.yaml"], "service": "web"}\n'
    files = {"compose.yaml": compose, "Dockerfile": serving, "manage.py": MANAGE,
             ".devcontainer/devcontainer.json": devcontainer}
    found = project(tmp_path / "served", files)
    assert found.workspace_services == {"web"}
    assert not found.workspace_image(build_of(found, "web"))
    found = project(tmp_path / "idle", {**files, "Dockerfile": dockerfile})
    assert found.workspace_image(build_of(found, "web"))
    production = compose.replace("build: .", "build:\n      context: .\n      dockerfile: Dockerfile.prod")
    found = project(tmp_path / "named", {**files, "compose.yaml": production, "Dockerfile.prod": dockerfile})
    assert found.workspace_services == {"web"}
    assert not found.workspace_image(build_of(found, "web"))


def test_json_with_comments():
    assert _json_with_comments('{"a": "x // not a comment", // one\n "b": [1, 2,],\n /* two */ }') == {
        "a": "x // not a comment", "b": [1, 2]}
    assert _json_with_comments('{"a": "quote \\" /* kept */"}') == {"a": 'quote " /* kept */'}
    assert _json_with_comments('{"a": 1 /* never closed') is None
    assert _json_with_comments("") is None
    assert _json_with_comments('{"a": "' + "x" * 100_000) is None  # an unclosed string ends the text


def test_gitpods_workspace_image_is_not_judged(tmp_path):
    write_files(tmp_path, {
        ".gitpod.yml": "image:\n  file: .gitpod.Dockerfile\ntasks:\n  - init: make setup\n",
        ".gitpod.Dockerfile": "FROM gitpod/workspace-full\nRUN sudo apt-get update && sudo apt-get install -y libpq-dev\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE})
    assert not [f for f in lint(tmp_path) if f.path == ".gitpod.Dockerfile"]
    assert [f.code for f in lint(tmp_path) if f.path == "Dockerfile" and f.code == "DJC108"] == ["DJC108"]


WORKSPACE_STACK = {
    ".devcontainer/devcontainer.json": '{"dockerComposeFile": "docker-compose.yml", "service": "app"}\n',
    ".devcontainer/docker-compose.yml": "services:\n  app:\n    build:\n      context: ..\n"
                                        "      dockerfile: .devcontainer/Dockerfile\n    command: sleep infinity\n"
                                        "    volumes:\n      - ..:/workspace\n  postgres:\n    image: postgres:16\n",
    ".devcontainer/Dockerfile": "FROM mcr.microsoft.com/devcontainers/python:3.12\n",
    "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 APP_ENV=production\nWORKDIR /app\nCOPY . .\n"
                  "USER nobody\nCMD [\"gunicorn\", \"app.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
    ".dockerignore": ".git\n", "manage.py": MANAGE,
    "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
}


def test_settings_seen_from_an_editors_stack_are_development(tmp_path):
    """The workspace stack sets no APP_ENV: its view of the settings (DEBUG on) is the editor's, not what ships."""
    write_files(tmp_path, {**WORKSPACE_STACK, "app/settings.py": (
        "import os\nAPP_ENV = os.environ.get('APP_ENV') or 'development'\nPRODUCTION = 'production' in APP_ENV\n"
        "SECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\nif not PRODUCTION:\n    DEBUG = True\n")})
    assert [f for f in lint(tmp_path) if f.code == "DJC301"] == []


def test_settings_the_deployed_image_runs_are_still_judged_beside_an_editors_stack(tmp_path):
    write_files(tmp_path, {**WORKSPACE_STACK, "app/settings.py": (
        "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = True\n")})
    assert [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC301"] == [("app/settings.py", 3)]
