"""The causes the eighteenth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.registry import REGISTRY
from djlint_docker.rules.snippets import MANAGE


def _codes(root: Path, code: str) -> list[tuple[str, int]]:
    return [(Path(finding.path).name, finding.line) for finding in lint(root, [REGISTRY[code]]) if finding.code == code]


DJANGO_MANAGE = ("#!/usr/bin/env python\nimport os\nimport sys\n\n"
                 "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings.dev')\n"
                 "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n")
"""A Django ``manage.py`` whose default is the development settings module."""


def test_a_manage_py_that_never_names_django_is_another_programs(tmp_path: Path) -> None:
    """A click tool's `manage.py` (it builds a static site and runs compose itself) makes no Django project, and a
    repository without a Django file whose compose stacks build images of their own is no Django setup."""
    write_files(tmp_path, {
        "manage.py": "import subprocess\nimport click\n\n\n@click.command()\ndef run():\n"
                     "    subprocess.check_call(['docker-compose', '-f', 'compose/engine.yml', 'up'])\n",
        "compose/engine.yml": "services:\n  engine:\n    image: ${ENGINE_IMAGE}\n    build:\n"
                              "      context: ./images/engine/\n    command: sleep 1d\n",
        "images/engine/Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir click jinja2\n"})
    assert discover([tmp_path]) == []


def test_a_django_manage_py_makes_a_project(tmp_path: Path) -> None:
    """The same repository with Django's `manage.py` is a Django project, and its compose stack is checked."""
    write_files(tmp_path, {
        "manage.py": DJANGO_MANAGE,
        "compose/engine.yml": "services:\n  engine:\n    image: ${ENGINE_IMAGE}\n    build:\n"
                              "      context: ./images/engine/\n    command: sleep 1d\n",
        "images/engine/Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir click jinja2\n"})
    assert [setup.compose_files for setup in discover([tmp_path]) if setup.compose_files]


def test_a_dockerfile_whose_copied_files_are_nowhere_is_built_from_its_folder(tmp_path: Path) -> None:
    """django/Dockerfile copies a requirements.txt that moved away: no folder above holds it, so the image is built
    from django/ (its CMD's `./restwebful/manage.py` is there), whose context has no .git."""
    write_files(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /django\nCOPY requirements.txt /django\n"
                             "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . /django\n"
                             "CMD [\"python3\", \"restwebful/manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "django/restwebful/manage.py": MANAGE, "django/restwebful/requirements.txt": "django==5.1.4\n"})
    messages = [f.message for f in lint(tmp_path, [REGISTRY["DJC401"]])]
    assert messages and all("context django " in message and ".git" not in message for message in messages)


def test_a_dockerfile_copying_files_above_its_folder_is_built_from_there(tmp_path: Path) -> None:
    """app/Dockerfile.deploy copies app/entrypoint.sh, which is there from the top: built from the top, whose
    context holds .git."""
    write_files(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n", "app/manage.py": MANAGE, "app/entrypoint.sh": "#!/bin/sh\n",
        "app/Dockerfile.deploy": "FROM python:3.12-slim\nCOPY app/entrypoint.sh /entrypoint.sh\nCOPY . /srv\n"
                                 "CMD [\"gunicorn\", \"app.wsgi\"]\n"})
    messages = [f.message for f in lint(tmp_path, [REGISTRY["DJC401"]])]
    assert messages and all(".git" in message for message in messages)


WSGI = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings.dev')\napplication = None\n"


HEROKU_PUSH = ("version: 2.1\njobs:\n  deploy:\n    docker:\n      - image: cimg/base:stable\n    steps:\n"
               "      - checkout\n      - setup_remote_docker\n      - run: |\n"
               "          heroku container:login\n          heroku container:push web --app=$APP_NAME\n"
               "          heroku container:release web --app=$APP_NAME\n")
"""A CircleCI job that builds the top Dockerfile and releases it on Heroku."""


DEPLOYED_DOCKERFILE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY backend/requirements.txt .\n"
                       "RUN pip install --no-cache-dir -r requirements.txt\nCOPY backend /app\n"
                       "ENTRYPOINT [\"/app/scripts/entrypoint-prod.sh\"]\n")


DEV_COMPOSE = ("services:\n  backend:\n    build: ./backend\n    volumes:\n      - ./backend:/backend\n"
               "    environment:\n      - DJANGO_SETTINGS_MODULE=core.settings.dev\n    depends_on: [db]\n"
               "  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n"
               "    environment:\n      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?}\nvolumes:\n  pgdata:\n")


def _heroku_project(tmp_path: Path, pipeline: str | None, dev_entrypoint: str = "entrypoint-dev.sh") -> Path:
    """A project that pushes its top Dockerfile to Heroku, and develops with a compose stack of backend/."""
    files = {
        "Dockerfile": DEPLOYED_DOCKERFILE, "docker-compose.yml": DEV_COMPOSE,
        "backend/Dockerfile": ("FROM python:3.12-slim\nWORKDIR /backend\nCOPY requirements.txt .\n"
                               "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                               f"ENTRYPOINT [\"/backend/scripts/{dev_entrypoint}\"]\n"),
        "backend/.dockerignore": ".env\n__pycache__/\n", ".dockerignore": ".git\n.env\n",
        "backend/requirements.txt": "django==5.1.4\ngunicorn==23.0.0\npsycopg==3.2.3\n",
        "backend/manage.py": DJANGO_MANAGE, "backend/core/__init__.py": "", "backend/core/wsgi.py": WSGI,
        "backend/core/settings/__init__.py": "",
        "backend/core/settings/base.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['*']\n",
        "backend/core/settings/dev.py": "from .base import *\nDEBUG = True\n",
        "backend/core/settings/prod.py": "from .base import *\nDEBUG = False\nALLOWED_HOSTS = ['chess.example.org']\n",
        f"backend/scripts/{dev_entrypoint}": ("#!/bin/sh\npython manage.py migrate\n"
                                              "exec gunicorn core.wsgi --bind 0.0.0.0:8000 --reload\n"),
        "backend/scripts/entrypoint-prod.sh": ("#!/bin/sh\npython manage.py migrate --no-input\n"
                                               "gunicorn core.wsgi:application -b 0.0.0.0:$PORT\n"),
    }
    if pipeline is not None:
        files[".circleci/config.yml"] = pipeline
    return write_files(tmp_path, files)


def test_heroku_container_push_runs_the_top_image_unprivileged(tmp_path: Path) -> None:
    """`heroku container:push web` releases the top Dockerfile on Heroku, which runs it as a user of its own and
    signals every process of the dyno: neither root nor the missing `exec` is a problem there."""
    root = _heroku_project(tmp_path, HEROKU_PUSH)
    assert "Dockerfile" not in {finding.path for finding in lint(root, [REGISTRY["DJC108"]])}
    assert _codes(root, "DJC411") == []


def test_an_image_no_platform_runs_is_still_root_and_without_exec(tmp_path: Path) -> None:
    """Without the pipeline, nothing says who runs the top image: it runs as root, and its script keeps the shell
    as PID 1."""
    root = _heroku_project(tmp_path, None)
    assert "Dockerfile" in {finding.path for finding in lint(root, [REGISTRY["DJC108"]])}
    assert _codes(root, "DJC411") == [("entrypoint-prod.sh", 3)]


def test_heroku_sets_the_settings_module_of_the_image_it_runs(tmp_path: Path) -> None:
    """wsgi.py's default is the development module, beside a production one: Heroku's config vars name the module
    the released image loads, so the development module's DEBUG is not what ships."""
    root = _heroku_project(tmp_path, HEROKU_PUSH)
    assert _codes(root, "DJC301") == []


def test_the_default_development_module_of_an_image_nothing_deploys_is_reported(tmp_path: Path) -> None:
    """With no platform named, the top image serves gunicorn with wsgi.py's default: the development module's DEBUG
    ships."""
    root = _heroku_project(tmp_path, None)
    assert _codes(root, "DJC301") == [("dev.py", 2)]


def test_an_image_heroku_and_fly_both_run_is_checked_for_exec(tmp_path: Path) -> None:
    """Fly.io runs the same image too, and signals only its first process: the missing `exec` is reported."""
    root = _heroku_project(tmp_path, HEROKU_PUSH)
    write_files(root, {"fly.toml": "app = \"chess\"\n\n[build]\n  dockerfile = \"Dockerfile\"\n"})
    assert _codes(root, "DJC411") == [("entrypoint-prod.sh", 3)]


def test_an_image_starting_a_development_script_is_not_a_deployment(tmp_path: Path) -> None:
    """backend/Dockerfile starts `scripts/entrypoint-dev.sh` and only the development stack runs it: it is
    development's image, whatever server the script starts, and its root user is not reported in a project Heroku
    deploys."""
    root = _heroku_project(tmp_path, HEROKU_PUSH)
    assert "backend/Dockerfile" not in {finding.path for finding in lint(root, [REGISTRY["DJC108"]])}


def test_an_image_starting_a_production_server_by_itself_is_a_deployment(tmp_path: Path) -> None:
    """Named `entrypoint.sh`, the same image starts gunicorn by itself (with `--reload`, which some projects deploy):
    it may be deployed as it is, and its root user is reported."""
    root = _heroku_project(tmp_path, HEROKU_PUSH, dev_entrypoint="entrypoint.sh")
    assert [(f.path, f.line) for f in lint(root, [REGISTRY["DJC108"]])] == [("backend/Dockerfile", 1)]


GOMOKU_COMPOSE = ("services:\n  app:\n    build: .\n    ports:\n      - \"8000:8000\"\n    volumes:\n"
                  "      - ./app:/app\n    command: sh -c \"python manage.py migrate && "
                  "python manage.py runserver 0.0.0.0:8000\"\n    depends_on: [db]\n"
                  "  db:\n    image: postgres:16-alpine\n    environment:\n      - POSTGRES_PASSWORD=samplepassword\n")


HEROKU_YML = ("setup:\n  addons:\n    - plan: heroku-postgresql\nbuild:\n  docker:\n    web: Dockerfile\n"
              "run:\n  web: gunicorn app.wsgi --bind 0.0.0.0:$PORT\n")


def _runserver_on_production_settings(tmp_path: Path, heroku: bool, mounted: bool = True) -> Path:
    compose = GOMOKU_COMPOSE if mounted else GOMOKU_COMPOSE.replace("    volumes:\n      - ./app:/app\n", "")
    files = {"docker-compose.yml": compose,
             "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY ./app /app\nUSER nobody\n",
             "app/manage.py": MANAGE.replace("app.settings", "app.settings.production"),
             "app/app/__init__.py": "", "app/app/settings/__init__.py": "",
             "app/app/settings/production.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"}
    if heroku:
        files["heroku.yml"] = HEROKU_YML
    return write_files(tmp_path, files)


def test_runserver_on_the_bind_mounted_source_is_development_whatever_its_settings(tmp_path: Path) -> None:
    """The compose stack runs runserver on the bind-mounted source, with the production module manage.py names:
    a developer's stack. Heroku deploys the project, so the stack's throwaway database is not reported."""
    root = _runserver_on_production_settings(tmp_path, heroku=True)
    assert _codes(root, "DJC206") == []
    assert _codes(root, "DJC207") == []


def test_runserver_on_the_image_with_production_settings_is_deployed(tmp_path: Path) -> None:
    """Without the bind mount the container serves the image's code with the production module: it is deployed as
    it is, and its database's data and literal password are reported."""
    root = _runserver_on_production_settings(tmp_path, heroku=True, mounted=False)
    assert _codes(root, "DJC206") == [("docker-compose.yml", 8)]
    assert _codes(root, "DJC207") == [("docker-compose.yml", 11)]


WORKER_DEBUG_ON = ("services:\n  web:\n    build: .\n    command: gunicorn core.wsgi -b 0.0.0.0:8000\n"
                   "    environment:\n      - DEBUG=0\n  worker:\n    build: .\n    command: celery -A core worker\n"
                   "    environment:\n      - DEBUG=1\n")


def _debug_read_with_default_on(tmp_path: Path, compose: str) -> Path:
    return write_files(tmp_path, {
        "docker-compose.yml": compose, "manage.py": MANAGE.replace("app.settings", "core.settings"),
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n",
        "core/__init__.py": "", "core/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                                                    "DEBUG = bool(int(os.environ.get('DEBUG', 1)))\n"})


def test_debug_every_container_sets_is_reported_where_it_is_turned_on(tmp_path: Path) -> None:
    """Both containers set DEBUG: the worker's `DEBUG=1` is reported on its line, and the default of the settings,
    which no container gets, is not."""
    root = _debug_read_with_default_on(tmp_path, WORKER_DEBUG_ON)
    assert _codes(root, "DJC301") == [("docker-compose.yml", 11)]


def test_debug_default_a_container_gets_is_reported_in_the_settings(tmp_path: Path) -> None:
    """A worker that does not set DEBUG gets the settings' default: the default is reported."""
    root = _debug_read_with_default_on(tmp_path, WORKER_DEBUG_ON.replace("    environment:\n      - DEBUG=1\n", ""))
    assert _codes(root, "DJC301") == [("settings.py", 3)]


BASE_PACKAGE = ("from importlib import import_module as _import_module\n\n_SUBMODULES = ('django', 'paths')\n\n"
                "for _name in _SUBMODULES:\n    _mod = _import_module(f'{__name__}.{_name}')\n"
                "    for _k, _v in _mod.__dict__.items():\n        if _k.isupper():\n            globals()[_k] = _v\n")
"""A settings package whose ``__init__.py`` copies its submodules' settings into itself at run time."""


def _settings_copied_from_a_package(tmp_path: Path, copied: str) -> Path:
    return write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                        "      - DJANGO_SETTINGS_MODULE=config.settings.dev\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n"
                      "CMD [\"sh\", \"-c\", \"python manage.py collectstatic --noinput && gunicorn config.wsgi\"]\n",
        "manage.py": MANAGE.replace("app.settings", "config.settings.dev"), "config/__init__.py": "",
        "config/settings/__init__.py": "", "config/settings/base/__init__.py": BASE_PACKAGE,
        "config/settings/base/django.py": "STATIC_URL = '/static/'\nSTATIC_ROOT = '/app/staticfiles'\n",
        "config/settings/dev.py": "import importlib as _importlib\n\n"
                                  f"_base = _importlib.import_module('{copied}')\n"
                                  "for _k, _v in _base.__dict__.items():\n    if _k.isupper():\n"
                                  "        globals()[_k] = _v\n\nDEBUG = False\n"})


def test_settings_copied_from_a_package_at_run_time_may_set_anything(tmp_path: Path) -> None:
    """dev.py copies every setting of the package config.settings.base, which copies its submodules' at run time:
    STATIC_ROOT may be set there, and collectstatic is not reported."""
    root = _settings_copied_from_a_package(tmp_path, "config.settings.base")
    assert _codes(root, "DJC308") == []


def test_settings_copied_from_a_module_that_lacks_static_root(tmp_path: Path) -> None:
    """Copied from a plain module that sets no STATIC_ROOT, the settings have none: collectstatic fails."""
    root = _settings_copied_from_a_package(tmp_path, "config.settings.plain")
    write_files(root, {"config/settings/plain.py": "STATIC_URL = '/static/'\n"})
    assert _codes(root, "DJC308") == [("Dockerfile", 5)]


CIRCLE_PUSH = ("version: 2\njobs:\n  build:\n    docker:\n      - image: docker:27-git\n    steps:\n      - checkout\n"
               "      - setup_remote_docker\n      - run: docker build -t app .\n      - run: |\n"
               "          docker tag app \"${DOCKERHUB_USER}/ladder:develop\"\n"
               "          docker push \"${DOCKERHUB_USER}/ladder:develop\"\n")
"""A CircleCI job that builds the top Dockerfile (no -f: the context's own) and pushes it for others to run."""


def _published_image_with_development_default(tmp_path: Path, pipeline: bool) -> Path:
    files = {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n"
                      "CMD [\"gunicorn\", \"project.wsgi\", \"-b\", \"0.0.0.0:80\"]\n",
        "manage.py": MANAGE.replace("app.settings", "project.settings.development"), "project/__init__.py": "",
        "project/wsgi.py": MANAGE.replace("app.settings", "project.settings.development"),
        "project/settings/__init__.py": "",
        "project/settings/development.py": "SECRET_KEY = 'dev'\nDEBUG = True\n",
        "project/settings/production.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"}
    if pipeline:
        files[".circleci/config.yml"] = CIRCLE_PUSH
    return write_files(tmp_path, files)


def test_whoever_runs_a_published_image_chooses_its_settings(tmp_path: Path) -> None:
    """CI publishes the image for others to run: they set DJANGO_SETTINGS_MODULE, and wsgi.py's development default
    beside the production module is not what ships."""
    root = _published_image_with_development_default(tmp_path, pipeline=True)
    assert _codes(root, "DJC301") == []


def test_an_image_nothing_publishes_ships_its_default_settings(tmp_path: Path) -> None:
    """Without the pipeline, nothing says who runs the image: its server loads wsgi.py's default, DEBUG on."""
    root = _published_image_with_development_default(tmp_path, pipeline=False)
    assert _codes(root, "DJC301") == [("development.py", 2)]


def _two_templates_for_one_env_file(tmp_path: Path, production_template: bool) -> Path:
    files = {
        "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    env_file: .env\n"
                                   "    command: gunicorn config.wsgi -b 0.0.0.0:8000\n",
        ".gitignore": ".env\n", ".env.example": "DJANGO_SETTINGS_MODULE=config.settings.dev\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n",
        "manage.py": MANAGE.replace("app.settings", "config.settings.prod"), "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/dev.py": "SECRET_KEY = 'dev'\nDEBUG = True\n",
        "config/settings/prod.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"}
    if production_template:
        files[".env.prod.example"] = "DJANGO_SETTINGS_MODULE=config.settings.prod\n"
    return write_files(tmp_path, files)


def test_a_production_stack_reads_the_template_named_for_production(tmp_path: Path) -> None:
    """docker-compose.prod.yml reads .env, made from .env.prod.example on the server (.env.example is the
    developers'): its container loads the production module, and the development module's DEBUG does not ship."""
    root = _two_templates_for_one_env_file(tmp_path, production_template=True)
    assert _codes(root, "DJC301") == []


def test_a_production_stack_with_one_template_reads_it(tmp_path: Path) -> None:
    """With .env.example alone, the production stack's .env is made from it: the development module it names
    ships, DEBUG on."""
    root = _two_templates_for_one_env_file(tmp_path, production_template=False)
    assert _codes(root, "DJC301") == [("dev.py", 2)]


def test_fly_building_another_dockerfile_leaves_herokus_alone(tmp_path: Path) -> None:
    """fly.toml builds a Dockerfile of its own (deployment/fly/Dockerfile): the image Heroku alone runs is still
    signalled in every process and unprivileged."""
    root = _heroku_project(tmp_path, HEROKU_PUSH)
    write_files(root, {"fly.toml": "app = \"chess\"\n\n[build]\n  dockerfile = \"deployment/fly/Dockerfile\"\n",
                       "deployment/fly/Dockerfile": "FROM python:3.12-slim\nUSER nobody\n"})
    assert _codes(root, "DJC411") == []
    assert "Dockerfile" not in {finding.path for finding in lint(root, [REGISTRY["DJC108"]])}


def _settings_chosen_by_the_image(tmp_path: Path, baked: str) -> Path:
    stack = ("services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.{}\n"
             "    command: ./run-django\n    env_file:\n      - .env.{}\n")
    return write_files(tmp_path, {
        "compose.prod.yaml": stack.format("prod", "prod"),
        "compose.dev.yaml": stack.format("dev", "dev") + "    volumes:\n      - ./app:/app\n",
        ".gitignore": ".env.prod\n.env.dev\n",
        "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nENV DJANGO_ENVIRONMENT=development\nCOPY app/ /app\n",
        "Dockerfile.prod": f"FROM python:3.12-slim\nWORKDIR /app\n{baked}COPY app/ /app\nUSER nobody\n",
        "app/run-django": "#!/bin/sh\npython manage.py migrate\nexec python manage.py runserver 0.0.0.0:8000\n",
        "app/manage.py": MANAGE.replace("app.settings", "config.settings"), "app/config/__init__.py": "",
        "app/config/settings/__init__.py": "import os\n\nenvironment = os.environ.get('DJANGO_ENVIRONMENT', 'development')"
                                           "\n\nif environment == 'production':\n    from .production import *\n"
                                           "else:\n    from .development import *\n",
        "app/config/settings/base.py": "ALLOWED_HOSTS = []\n",
        "app/config/settings/development.py": "from .base import *\nSECRET_KEY = 'dev'\nDEBUG = True\n",
        "app/config/settings/production.py": "import os\nfrom .base import *\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                                             "DEBUG = False\n"})


def test_the_image_env_chooses_the_module_a_settings_package_imports(tmp_path: Path) -> None:
    """The env file each deployment writes may name any module; the production image's `ENV
    DJANGO_ENVIRONMENT=production` makes the package import the production module: its DEBUG is off."""
    root = _settings_chosen_by_the_image(tmp_path, "ENV DJANGO_ENVIRONMENT=production\n")
    assert _codes(root, "DJC301") == []


def test_without_the_image_env_the_package_imports_its_default(tmp_path: Path) -> None:
    """Without the image's ENV, the package's default (development) is what a deployment that sets nothing gets."""
    root = _settings_chosen_by_the_image(tmp_path, "")
    assert _codes(root, "DJC301") == [("development.py", 3)]

