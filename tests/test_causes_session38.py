"""Causes of false and noisy findings the hundred-thirteenth and later reviews found (session 38)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from djlint_docker.registry import REGISTRY
from tests.conftest import lint, rule_findings, write_files
from tests.test_causes_session37 import LOCAL_ENVS as SESSION37_LOCAL_ENVS

LOCAL_ENVS = {
    **{path: text for path, text in SESSION37_LOCAL_ENVS.items() if path != "docker-compose.yml"},
    "local.yml": SESSION37_LOCAL_ENVS["docker-compose.yml"],
    ".gitignore": ".envs/*\n.envs/.local/.django\n.envs/.local/.postgres\n!.envs/.local/\n!.envs/.local/.examples/\n",
}
"""cookiecutter-django's local stack, its env files kept out of git and their templates in a folder beside them."""


@pytest.mark.parametrize(("folder", "suffix"), [(".examples", "-example"), ("templates", ".template"),
                                                 ("examples", "")])
def test_a_folder_of_templates_inside_the_env_files_folder_makes_them(tmp_path: Path, folder: str,
                                                                      suffix: str) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, f".envs/.local/{folder}/.django{suffix}": "DJANGO_SECRET_KEY=\n",
                           f".envs/.local/{folder}/.postgres{suffix}": "POSTGRES_PASSWORD=\n"})
    assert rule_findings(tmp_path, "DJC211") == []


def test_a_folder_of_templates_for_other_files_makes_no_env_file(tmp_path: Path) -> None:
    write_files(tmp_path, {**LOCAL_ENVS, ".envs/.local/.examples/.celery-example": "BROKER=\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC211")] == [
        ("local.yml", 6), ("local.yml", 7)]


SPLIT_SETTINGS = {
    "config/__init__.py": "",
    "config/settings/__init__.py": "",
    "config/settings/base.py": "DEBUG = False\nALLOWED_HOSTS = ['shop.example.org']\n",
    "config/settings/local.py": "from .base import *  # noqa\nSECRET_KEY = 'local-only'\n",
    "config/settings/production.py": ("import os\nfrom .base import *  # noqa\n"
                                      "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"),
    "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
    "requirements.txt": "Django==5.2.1\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                  "COPY . .\n",
    "docker-compose.local.yml": ("services:\n  django:\n    build: .\n    volumes:\n      - .:/app\n"
                                 "    command: python manage.py runserver_plus 0.0.0.0:8000\n"),
}
MANAGE_PY = ('import os\nimport sys\n\n\ndef main():\n    """Run administrative tasks."""\n{body}'
             '    from django.core.management import execute_from_command_line\n'
             '    execute_from_command_line(sys.argv)\n')


def test_a_manage_py_python_cannot_parse_starts_no_settings_and_is_reported(tmp_path: Path) -> None:
    write_files(tmp_path, {**SPLIT_SETTINGS, "manage.py": MANAGE_PY.format(
        body=' """ the local settings\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n')})
    assert [(finding.code, finding.path, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC307"], REGISTRY["DJC001"]])] == [("DJC001", "manage.py", 7)]


def test_the_settings_a_working_manage_py_names_are_judged(tmp_path: Path) -> None:
    write_files(tmp_path, {**SPLIT_SETTINGS, "manage.py": MANAGE_PY.format(
        body='    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n')})
    assert [(finding.code, finding.path, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC307"], REGISTRY["DJC001"]])] == [("DJC307", "config/settings/production.py", 3)]


FRONTEND = {
    "frontend/Dockerfile": ("FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\n"
                            "COPY ./.env /app/.env\nRUN npm run build\n"),
    "frontend/package.json": "{}\n",
    "frontend/.env": "REACT_APP_API_ROOT_URL=/api\n",
    "local.yml": "services:\n  frontend:\n    build: ./frontend\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
}


def test_an_env_file_a_build_from_the_wrong_folder_lacks_is_the_missing_copys_finding(tmp_path: Path) -> None:
    # production.yml builds the frontend from the top folder: package.json and .env are not there, so the build
    # stops (DJC122) and no .env reaches a layer
    write_files(tmp_path, {**FRONTEND, "production.yml": (
        "services:\n  frontend:\n    build:\n      context: .\n      dockerfile: ./frontend/Dockerfile\n")})
    assert [(finding.code, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC119"], REGISTRY["DJC122"]])] == [("DJC122", 3), ("DJC122", 6)]


def test_an_env_file_each_clone_makes_in_the_context_is_copied_into_a_layer(tmp_path: Path) -> None:
    write_files(tmp_path, {**FRONTEND, ".gitignore": ".env\n", "production.yml": (
        "services:\n  frontend:\n    build:\n      context: .\n      dockerfile: ./frontend/Dockerfile\n"),
        "package.json": "{}\n"})
    assert [(finding.code, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC119"], REGISTRY["DJC122"]])] == [("DJC119", 6)]


HEROKU_IMAGE = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "config/__init__.py": "",
    "config/settings.py": ("import environ\n\nenv = environ.Env()\nenviron.Env.read_env()\n\n"
                           "SECRET_KEY = env.str('SECRET_KEY', default='1')\nDEBUG = env.bool('DEBUG', default=False)\n"
                           "ALLOWED_HOSTS = ['vk-images.herokuapp.com']\n"),
    "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "requirements.txt": "Django==4.2.11\ndjango-environ==0.11.2\ngunicorn==21.2.0\n",
    "Dockerfile": ("FROM python:3.11-slim\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\nWORKDIR /app\n"
                   "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                   "CMD gunicorn config.wsgi --bind 0.0.0.0:$PORT\n"),
    "heroku.yml": "build:\n  docker:\n    web: Dockerfile\n",
    "docker-compose.yml": ("services:\n  web:\n    build: .\n    env_file:\n      - ./config/.env\n    volumes:\n"
                           "      - ./:/app\n    command: python manage.py runserver 0.0.0.0:8000\n"),
}
"""An image Heroku runs, whose settings read the committed config/.env it holds (django-environ's read_env())."""


def test_a_key_the_committed_env_file_the_image_holds_sets_is_that_files_finding(tmp_path: Path) -> None:
    write_files(tmp_path, {**HEROKU_IMAGE, "config/.env": "SECRET_KEY=k7q2x9w3m1z8p4r6t0y5u2i8o3e1a9s4\n"})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    assert [(finding.code, finding.path, finding.line) for finding in lint(
        tmp_path, [REGISTRY["DJC303"], REGISTRY["DJC412"]])] == [("DJC412", "config/.env", 1)]


@pytest.mark.parametrize("kept_out", [".dockerignore", "copies", "env file"])
def test_a_fallback_the_image_alone_does_not_override_is_reported(tmp_path: Path, kept_out: str) -> None:
    files = {**HEROKU_IMAGE, "config/.env": "SECRET_KEY=k7q2x9w3m1z8p4r6t0y5u2i8o3e1a9s4\n"}
    if kept_out == ".dockerignore":
        files[".dockerignore"] = ".git\nconfig/.env\n"
    elif kept_out == "copies":  # the image gets the code, not the env file beside it
        files["Dockerfile"] = files["Dockerfile"].replace("COPY . .", "COPY config/*.py ./config/\nCOPY manage.py .")
    else:
        files["config/.env"] = "DEBUG=False\n"
    write_files(tmp_path, files)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC303")] == [("config/settings.py", 6)]


PUBLISHED_STACK = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "config/__init__.py": "",
    "config/settings.py": ("import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\n"
                           "ALLOWED_HOSTS = ['weboll.example.org']\nDATABASES = {'default': {\n"
                           "    'ENGINE': 'django.db.backends.postgresql', 'HOST': 'postgres', 'NAME': 'weboll',\n"
                           "    'USER': 'weboll', 'PASSWORD': os.environ['DATABASE_PASSWORD']}}\n"),
    "requirements.txt": "Django==5.2.1\npsycopg==3.2.3\n",
    "compose/backend/Dockerfile": ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                                   "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"),
    "local.yml": ("services:\n  django:\n    build:\n      context: .\n      dockerfile: ./compose/backend/Dockerfile\n"
                  "    image: weboll_local_django\n    command: python manage.py runserver 0.0.0.0:8000\n"
                  "    env_file:\n      - ./.envs/.local/.django\n    volumes:\n      - .:/app\n"
                  "    depends_on:\n      - postgres\n"
                  "  postgres:\n    image: postgres:16\n    env_file:\n      - ./.envs/.local/.postgres\n"
                  "    volumes:\n      - ./sql:/docker-entrypoint-initdb.d\n    ports:\n      - \"5433:5432\"\n"),
    ".envs/.local/.django": "DJANGO_SECRET_KEY=local-only-key\nDATABASE_PASSWORD=mypass\n",
    ".envs/.local/.postgres": "POSTGRES_USER=weboll\nPOSTGRES_PASSWORD=mypass\n",
    "sql/01-schema.sql": "CREATE TABLE station (id integer);\n",
    ".gitignore": ".envs/.production/\n",
}
"""A local stack that builds the image, and a production stack that pulls the image CI publishes (weboll)."""
PRODUCTION_PULLS = ("services:\n  django:\n    image: ${DOCKER_REGISTRY}/weboll/backend:${TAG:-latest}\n"
                    "    env_file:\n      - ./.envs/.production/.django\n    command: /app/compose/backend/start\n")


def _committed(root: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "."], cwd=root, check=True)


def test_a_production_stack_pulling_the_projects_images_is_its_deployment(tmp_path: Path) -> None:
    project = tmp_path / "weboll"
    write_files(project, {**PUBLISHED_STACK, "production.yml": PRODUCTION_PULLS})
    _committed(project)
    # the local stack's throwaway passwords, published port and seeded database are development's
    assert [finding.code for finding in lint(
        project, [REGISTRY["DJC412"], REGISTRY["DJC210"], REGISTRY["DJC206"]])] == []


def test_with_no_deployment_the_local_stack_is_what_ships(tmp_path: Path) -> None:
    project = tmp_path / "weboll"
    write_files(project, PUBLISHED_STACK)
    _committed(project)
    assert sorted((finding.code, finding.path) for finding in lint(
        project, [REGISTRY["DJC412"], REGISTRY["DJC210"], REGISTRY["DJC206"]])) == [
        ("DJC206", "local.yml"), ("DJC210", "local.yml"), ("DJC412", ".envs/.local/.django"),
        ("DJC412", ".envs/.local/.postgres")]


def test_a_production_stack_pulling_someone_elses_images_shows_no_deployment(tmp_path: Path) -> None:
    project = tmp_path / "weboll"
    write_files(project, {**PUBLISHED_STACK, "production.yml": PRODUCTION_PULLS.replace("weboll/backend",
                                                                                         "acme/metabase")})
    _committed(project)
    assert [finding.code for finding in lint(project, [REGISTRY["DJC206"]])] == ["DJC206"]


@pytest.mark.parametrize(("name", "reported"), [("localtest.yml", False), ("devtest.yml", False),
                                                ("latest.yml", True)])
def test_a_compose_file_named_for_local_tests_starts_from_an_empty_database(tmp_path: Path, name: str,
                                                                             reported: bool) -> None:
    write_files(tmp_path, {**{path: text for path, text in PUBLISHED_STACK.items() if path != "local.yml"},
                           name: PUBLISHED_STACK["local.yml"]})
    assert bool(rule_findings(tmp_path, "DJC206")) is reported


FRONTEND_STAGES = ("FROM node:22 AS frontend-builder\nWORKDIR /app\nCOPY package.json ./\nRUN yarn\nCOPY src ./src\n"
                   "COPY .env ./.env\nRUN yarn build\n\nFROM nginx:1.27 AS frontend\n"
                   "COPY --from=frontend-builder /app/dist /usr/share/nginx/html\n")


@pytest.mark.parametrize(("deployed", "reported"), [(True, False), (False, True)])
def test_an_env_file_in_a_builder_stage_only_the_local_stack_builds_stays_on_the_machine(
        tmp_path: Path, deployed: bool, reported: bool) -> None:
    project = tmp_path / "weboll"
    local = PUBLISHED_STACK["local.yml"] + (
        "  frontend:\n    build:\n      context: .\n      dockerfile: ./compose/frontend/Dockerfile\n"
        "      target: frontend-builder\n    volumes:\n      - .:/app\n")
    write_files(project, {**PUBLISHED_STACK, "local.yml": local, "compose/frontend/Dockerfile": FRONTEND_STAGES,
                          "package.json": "{}\n", "src/main.ts": "", ".env.example": "VITE_BASE_URL=/\n",
                          ".gitignore": ".env\n.envs/.production/\n",
                          **({"production.yml": PRODUCTION_PULLS} if deployed else {})})
    _committed(project)
    assert bool(rule_findings(project, "DJC119")) is reported


UNBOUNDED = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "config/__init__.py": "",
    "config/settings.py": "DEBUG = False\n",
    "requirements.txt": "Django>=5.0\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
    "compose.yaml": "services:\n  web:\n    build: .\n",
}


@pytest.mark.parametrize(("made_with", "suggested"), [("6.0.1", "Django>=6.0,<6.1"), ("5.0.4", "Django>=5.0,<5.1")])
def test_the_range_suggested_starts_at_the_django_the_migrations_were_made_with(tmp_path: Path, made_with: str,
                                                                                suggested: str) -> None:
    write_files(tmp_path, {**UNBOUNDED, "src/apps/users/migrations/__init__.py": "",
                           "src/apps/users/migrations/0001_initial.py": (
                               f"# Generated by Django {made_with} on 2026-01-26 04:23\n\n"
                               "from django.db import migrations\n")})
    [(_, _, message)] = rule_findings(tmp_path, "DJC409")
    assert message.endswith(f"such as {suggested}")


NODE_ON_STRETCH = "FROM node:10-stretch-slim\nWORKDIR /app\nCOPY ./frontend/package.json ./\nRUN npm install\n"


@pytest.mark.parametrize(("folder", "reported"), [("compose/local/node", False), ("compose/node", True)])
def test_a_side_programs_image_in_a_folder_named_for_development_is_the_developers(
        tmp_path: Path, folder: str, reported: bool) -> None:
    project = tmp_path / "weboll"
    local = PUBLISHED_STACK["local.yml"] + (
        f"  node:\n    build:\n      context: .\n      dockerfile: ./{folder}/Dockerfile\n"
        "    volumes:\n      - ./frontend:/app\n    command: npm run serve\n")
    write_files(project, {**PUBLISHED_STACK, "local.yml": local, "production.yml": PRODUCTION_PULLS,
                          f"{folder}/Dockerfile": NODE_ON_STRETCH, "frontend/package.json": "{}\n"})
    _committed(project)
    assert bool(rule_findings(project, "DJC118")) is reported


@pytest.mark.parametrize(("dockerfile", "hint"), [("./docker/django/Dockerfile", True), ("./Dockerfile.web", False)])
def test_a_dockerfile_named_from_the_compose_files_folder_is_shown_where_it_lies(tmp_path: Path, dockerfile: str,
                                                                                 hint: bool) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": ("services:\n  app:\n    build:\n      context: ./site\n"
                               f"      dockerfile: {dockerfile}\n    command: python manage.py runserver 0.0.0.0:8001\n"),
        "docker/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /code\nCOPY . .\n",
        "site/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_app.settings')\n",
        "site/requirements.txt": "Django==5.2.1\n"})
    [(path, line, message)] = rule_findings(tmp_path, "DJC002")
    assert (path, line) == ("docker-compose.yml", 3)
    assert message.endswith("name it from the context (../docker/django/Dockerfile)") is hint


@pytest.mark.parametrize(("init", "reported"), [("", False), ("from .base import *  # noqa\n", True)])
def test_a_requirements_folder_with_an_empty_init_module_holds_no_source(tmp_path: Path, init: str,
                                                                         reported: bool) -> None:
    write_files(tmp_path, {
        "Dockerfile": ("FROM python:3.12-slim\nARG BUILD_ENVIRONMENT=production\nWORKDIR /app\n"
                       "COPY ./requirements .\nRUN pip wheel --wheel-dir /wheels -r ${BUILD_ENVIRONMENT}.txt\n"
                       "COPY . .\n"),
        "requirements/__init__.py": init, "requirements/base.txt": "Django==5.2.1\n",
        "requirements/production.txt": "-r base.txt\ngunicorn==23.0.0\n",
        "compose.yaml": "services:\n  web:\n    build: .\n", "manage.py": "import os\n", ".dockerignore": ".git\n"})
    assert bool(rule_findings(tmp_path, "DJC103")) is reported


RELEASE_JOB = ("name: release\non:\n  push:\n    branches: [main]\njobs:\n  push:\n    runs-on: ubuntu-latest\n"
               "    steps:\n      - uses: actions/checkout@v4\n      - id: meta\n        uses: docker/metadata-action@v5\n"
               "        with:\n          images: shop_django\n          tags: type=ref,event=branch\n"
               "      - uses: docker/build-push-action@v5\n        with:\n          context: .\n          push: true\n"
               "          tags: ${{ vars.DOCKER_USERNAME }}/shop_django:${{ steps.meta.outputs.version }}\n")


@pytest.mark.parametrize(("image", "reported"), [("telast/shop_django:main", False), ("telast/shop_celery:main", True)])
def test_an_image_a_pipeline_pushes_to_an_account_a_variable_names_is_the_projects_own(
        tmp_path: Path, image: str, reported: bool) -> None:
    write_files(tmp_path, {
        ".github/workflows/release.yml": RELEASE_JOB,
        "docker-compose-production.yml": f"services:\n  django:\n    image: {image}\n    command: /start\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": "import os\n"})
    assert bool(rule_findings(tmp_path, "DJC209")) is reported
