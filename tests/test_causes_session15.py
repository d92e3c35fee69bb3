"""The causes the fifteenth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

import os
import re
from pathlib import Path
from unittest import mock

import pytest
from conftest import lint, write_files
from ruamel.yaml import YAML

from djlint_docker.discover import discover
from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.registry import REGISTRY, Example
from djlint_docker.rules.settings.djc317_list_separator_mismatch import FILL_IN
from djlint_docker.rules.snippets import MANAGE


def _answers_requests(example: Example) -> bool:
    """Whether a container of the example's stack runs something else than Celery: one a request may reach."""
    services = YAML(typ="safe").load(example.files["compose.yaml"])["services"]
    return any(not str(service.get("command", "")).startswith("celery") for service in services.values())


SEPARATOR_EXAMPLES = [example for example in REGISTRY["DJC317"].examples if "${" not in example.files["web.env"]
                      and not any(FILL_IN.fullmatch(item.strip()) for item in example.files["web.env"].split(","))
                      and _answers_requests(example)]
"""The examples whose value reaches Django: not one the shell gives, nor a template's fill-in the deployer replaces
first (Django would refuse ``[ADD YOUR HOSTNAME HERE]``, but it never gets it), nor one a Celery worker alone reads
(no request reaches it)."""


@pytest.mark.parametrize("example", SEPARATOR_EXAMPLES, ids=[example.name for example in SEPARATOR_EXAMPLES])
def test_list_separator_mismatch_is_what_django_refuses(tmp_path: Path, example: Example) -> None:
    """DJC317 fires exactly when Django, given the settings Python computes from the service's value, refuses a host
    the value names (``django.http.request.validate_host``, the check every request goes through)."""
    from django.http.request import validate_host

    value = example.files["web.env"].split("=", 1)[1].strip()
    with mock.patch.dict(os.environ, {"DJANGO_ALLOWED_HOSTS": value}):
        namespace: dict[str, object] = {}
        exec(compile(example.files["app/settings.py"], "settings.py", "exec"), namespace)
    allowed = namespace["ALLOWED_HOSTS"]
    refused = any(not validate_host(host, allowed) for host in re.split(r"[\s,]+", value) if host)
    root = write_files(tmp_path, example.files)
    fired = any(finding.code == "DJC317" for finding in lint(root, [REGISTRY["DJC317"]]))
    assert fired == refused


PIPENV_IMAGE = ("FROM python:3.11-bookworm\nENV PYTHONUNBUFFERED=1\n"
                "ADD https://github.com/ufoscout/docker-compose-wait/releases/download/2.9.0/wait /wait\n"
                "WORKDIR /backend\nCOPY Pipfile ./\nRUN pip install --no-cache-dir pipenv && pipenv install --deploy\n"
                "COPY . .\n")
"""An image of ``backend/`` that downloads a helper with ``ADD <url>``, then copies its folder."""
CD_STACK = {
    # The development stack: the web container bind-mounts the source; beat runs the same image beside it.
    "docker-compose.yml": "services:\n  web:\n    build: ./backend\n    command: gunicorn config.wsgi -b 0.0.0.0:8000\n"
                          "    volumes:\n      - ./backend:/backend\n  beat:\n    build: ./backend\n"
                          "    command: celery -A config beat\n",
    "backend/Dockerfile": PIPENV_IMAGE,
    # What CD builds from ./backend and pushes.
    "backend/Dockerfile.prod": PIPENV_IMAGE + "CMD [\"gunicorn\", \"config.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
    "backend/.dockerignore": ".git\n.env\n__pycache__\n", "backend/Pipfile": "[packages]\ndjango = \"==5.2.1\"\n",
    "backend/manage.py": MANAGE, "backend/config/__init__.py": "", "backend/config/wsgi.py": "",
    "backend/config/settings.py": "DEBUG = False\n",
    ".dockerignore": "static\n", ".gitignore": ".env\n",
}


def test_downloaded_source_does_not_move_the_build_context(tmp_path: Path) -> None:
    """``ADD https://...`` downloads: it names nothing of the context, so Dockerfile.prod copies its own folder (and
    that folder's .dockerignore holds), not the repository's top (whose .dockerignore no build reads)."""
    root = write_files(tmp_path, CD_STACK)
    contexts = {path.name: context for setup in discover([root]) for path, context in setup.contexts}
    assert "Dockerfile.prod" not in contexts
    found = {(f.code, f.path) for f in lint(root)}
    assert ("DJC402", ".dockerignore") not in found
    assert ("DJC108", "backend/Dockerfile.prod") in found  # the image CD ships runs as root


def test_worker_beside_development_containers_is_development(tmp_path: Path) -> None:
    """Beat serves nothing; the container that serves the site bind-mounts the source: the stack is for development,
    and its image, beside the Dockerfile.prod that ships, is not reported for running as root."""
    root = write_files(tmp_path, CD_STACK)
    found = {(f.code, f.path) for f in lint(root)}
    assert ("DJC108", "backend/Dockerfile") not in found
    assert ("DJC108", "backend/Dockerfile.prod") in found


def test_template_named_when_the_setting_reads_it_through_a_name(tmp_path: Path) -> None:
    """``ENGINE: db_engine`` where ``db_engine = os.getenv("DB_ENGINE", ...)``: the engine comes from the
    template compose interpolates in place of the absent .env, and DJC305's message says so."""
    root = write_files(tmp_path, {
        "docker-compose.yml": "services:\n  mysql:\n    image: mysql:8.4\n    environment:\n"
                              "      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD}\n    volumes:\n"
                              "      - db:/var/lib/mysql\n  web:\n    build: .\n"
                              "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n    environment:\n"
                              "      DB_ENGINE: ${DB_ENGINE:-django.db.backends.mysql}\n      DB_HOST: mysql\n"
                              "volumes:\n  db:\n",
        ".env.example": "MYSQL_ROOT_PASSWORD=change-me\nDB_ENGINE=django.db.backends.sqlite3\n",
        ".gitignore": ".env\n", "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
        "app/settings.py": "import os\n\ndb_engine = os.getenv('DB_ENGINE', 'django.db.backends.sqlite3')\n"
                           "DATABASES = {'default': {'ENGINE': db_engine, 'NAME': 'app',\n"
                           "                         'HOST': os.getenv('DB_HOST', '')}}\n",
    })
    messages = [f.message for f in lint(root, [REGISTRY["DJC305"]])]
    assert len(messages) == 1 and "with the values of .env.example" in messages[0]


def test_django_range_from_the_release_a_settings_package_was_made_with(tmp_path: Path) -> None:
    """The startproject header sits in base.py of a settings package whose __init__ imports a local.py each
    developer writes: DJC409 still knows the project was made with Django 2.2 and suggests a range of it."""
    root = write_files(tmp_path, {
        "Dockerfile": "FROM python:3.6\nWORKDIR /src\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY src .\n"
                      "CMD [\"uwsgi\", \"--http\", \":8000\", \"--module\", \"etc.wsgi\"]\n",
        "requirements.txt": "Django\ndjangorestframework==3.9.2\nuwsgi\n",
        "src/manage.py": MANAGE.replace("app.settings", "etc.settings"), "src/etc/__init__.py": "",
        "src/etc/wsgi.py": "", "src/etc/settings/__init__.py": "from .local import *  # noqa\n",
        "src/etc/settings/base.py": "\"\"\"\nDjango settings for etc project.\n\n"
                                    "Generated by 'django-admin startproject' using Django 2.2.1.\n\"\"\"\nDEBUG = False\n",
    })
    messages = [f.message for f in lint(root, [REGISTRY["DJC409"]])]
    assert len(messages) == 1
    assert "the 2.2.1 its settings were generated with" in messages[0] and "Django>=2.2,<2.3" in messages[0]


@pytest.mark.parametrize("line", ["aioredis==1.3.1; ", "asgiref==3.6.0;", "attrs==22.2.0 ;  ",
                                  "redis==5.0.1; python_version >= '3.8'", "x==1; nonsense here"])
def test_requirement_lines_read_as_pip_reads_them(line: str) -> None:
    """pip (the installer the image runs) drops an empty marker after `;`: such a line installs, and only a marker
    pip cannot parse makes the file unreadable."""
    from pip._internal.req.constructors import install_req_from_line

    from djlint_docker.parse import ParseError
    from djlint_docker.parse.requirements import parse_requirements

    try:
        expected = install_req_from_line(line).req
    except Exception:  # pip raises its own errors and packaging's
        with pytest.raises(ParseError):
            parse_requirements(Path("requirements.txt"), line + "\n")
        return
    assert expected is not None
    (found,) = parse_requirements(Path("requirements.txt"), line + "\n").requirements
    assert (found.name, found.specifier) == (expected.name.lower(), str(expected.specifier))


def test_debug_tied_to_a_variable_through_a_name(tmp_path: Path) -> None:
    """``DEBUG = SECRET_KEY == insecure_secret``: DEBUG is on only while SECRET_KEY is unset, and DJC301 says so
    rather than quoting a ``DEBUG = True`` the file does not hold."""
    root = write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: uwsgi --http :8000 --module app.wsgi\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE,
        "app/__init__.py": "", "app/wsgi.py": "",
        "app/settings.py": "import os\n\ninsecure_secret = 'insecure'\n"
                           "SECRET_KEY = os.getenv('SECRET_KEY', insecure_secret)\n"
                           "DEBUG = SECRET_KEY == insecure_secret\n",
    })
    messages = [f.message for f in lint(root, [REGISTRY["DJC301"]])]
    assert messages == ["DEBUG is True when SECRET_KEY is unset: a forgotten variable ships DEBUG; make the default "
                        "off"]


def test_flask_scripts_manage_py_is_not_djangos(tmp_path: Path) -> None:
    """A Flask application's ``manage.py`` (Flask-Script's commands) makes no Django project: a Dockerfile beside
    it is no Django image, while Django's own ``manage.py`` still is."""
    flask = write_files(tmp_path / "flask", {
        "web/Dockerfile": "FROM python:3.7\nCOPY . /srv/www\nCMD [\"uwsgi\", \"--ini\", \"uwsgi.ini\"]\n",
        "web/manage.py": "import os\nfrom flask_script import Manager\nfrom flask_migrate import Migrate\n\n"
                         "from citizens.app import create_app\n\nmanager = Manager(create_app())\n",
    })
    django = write_files(tmp_path / "django", {
        "web/Dockerfile": "FROM python:3.12\nCOPY . /srv/www\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "web/manage.py": MANAGE,
    })
    assert discover([flask]) == []
    assert [path.name for setup in discover([django]) for path in setup.python_files] == ["manage.py"]


def test_dockerfile_another_stack_of_the_folder_builds_is_judged_with_its_context(tmp_path: Path) -> None:
    """docker/docker-compose.yml builds docker/Dockerfile; docker-compose.prod.yml beside it builds Dockerfile.prod
    from the repository's top, whose .dockerignore holds. The development stack does not judge Dockerfile.prod as
    built from docker/ (a context with no .dockerignore)."""
    image = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY requirements.txt .\n"
             "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n")
    root = write_files(tmp_path, {
        "docker/docker-compose.yml": "services:\n  web:\n    build:\n      context: ..\n"
                                     "      dockerfile: docker/Dockerfile\n"
                                     "    command: python manage.py runserver 0.0.0.0:8000\n",
        "docker/docker-compose.prod.yml": "services:\n  web:\n    build:\n      context: ..\n"
                                          "      dockerfile: docker/Dockerfile.prod\n",
        "docker/Dockerfile": image, "docker/Dockerfile.prod": image + "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "docker/.env.example": "SECRET_KEY=change-me\n", ".gitignore": ".env\n",
        ".dockerignore": ".git\n.env\n__pycache__\ndocker/\n", "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "", "app/settings.py": "DEBUG = False\n",
    })
    assert not [f for f in lint(root) if f.code in {"DJC401", "DJC402"}]


LAUNCHER = ("import os\nimport subprocess\nimport sys\n\n\ndef main():\n"
            "    subprocess.check_call([sys.executable, 'manage.py', 'migrate', '--noinput'])\n"
            "    os.execvp('daphne', ['daphne', '-b', '0.0.0.0', '-p', '8000', 'config.asgi:application'])\n\n\n"
            "main()\n")
"""A Python launcher that migrates, then execs daphne on the project's ASGI module."""


def test_production_stack_started_by_a_python_launcher_makes_the_local_image_development(tmp_path: Path) -> None:
    """docker-compose.prod.yml builds the top Dockerfile, whose `python start.py` migrates and execs daphne: a
    deployed Django container. The local stacks build backend/Dockerfile (daphne by itself, but run over the
    mounted source): theirs alone, so its root user is a development value, and the deployed image's is reported."""
    image = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY {src}requirements.txt .\n"
             "RUN pip install --no-cache-dir -r requirements.txt\nCOPY {src}. /app/\n")
    root = write_files(tmp_path, {
        "docker-compose.yml": "services:\n  api:\n    build: ./backend\n    volumes:\n      - ./backend:/app\n",
        "docker-compose.prod.yml": "services:\n  api:\n    build: .\n    environment:\n      DEBUG: 'False'\n",
        "Dockerfile": image.format(src="backend/") + "CMD [\"python\", \"start.py\"]\n",
        "backend/Dockerfile": image.format(src="") + "CMD [\"daphne\", \"-b\", \"0.0.0.0\", \"config.asgi:application\"]\n",
        "backend/.dockerignore": ".env\n", ".dockerignore": ".git\n", "backend/start.py": LAUNCHER,
        "backend/requirements.txt": "Django==5.2.1\ndaphne==4.1.2\n", "backend/manage.py": MANAGE.replace("app.", "config."),
        "backend/config/__init__.py": "", "backend/config/asgi.py": "", "backend/config/settings.py": "DEBUG = False\n",
    })
    found = {(f.code, f.path) for f in lint(root) if f.code == "DJC108"}
    assert found == {("DJC108", "Dockerfile")}


def test_settings_module_named_by_a_template_with_its_words_in_another_order(tmp_path: Path) -> None:
    """`sample.prod.env` is the template of `.env.prod` (its words in another order): the production container
    loads the module it names, whose `DEBUG = True` is reported, and whose base sets STATIC_ROOT (no DJC308 on the
    empty package the default names)."""
    root = write_files(tmp_path, {
        "docker-compose.prod.yml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.prod\n"
                                   "    command: gunicorn config.wsgi:application --bind 0.0.0.0:8000\n"
                                   "    env_file: .env.prod\n",
        "Dockerfile.prod": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/app/entrypoint.prod.sh\"]\n",
        "entrypoint.prod.sh": "#!/bin/sh\npython3 manage.py migrate\npython3 manage.py collectstatic --noinput\n"
                              "exec \"$@\"\n",
        ".gitignore": ".env*\n", ".dockerignore": ".git\n.env*\n",
        "sample.prod.env": "DEBUG=False\nSECRET_KEY=change_me\nDJANGO_SETTINGS_MODULE=config.settings.prod\n",
        "manage.py": MANAGE.replace("app.settings", "config.settings"), "config/__init__.py": "",
        "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
        "config/settings/__init__.py": "",
        "config/settings/base.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nSTATIC_ROOT = 'staticfiles'\n",
        "config/settings/prod.py": "from .base import *  # noqa\n\nDEBUG = True\n",
    })
    (root / "entrypoint.prod.sh").chmod(0o755)
    found = {(f.code, f.path, f.line) for f in lint(root) if f.code in {"DJC301", "DJC308"}}
    assert found == {("DJC301", "config/settings/prod.py", 3)}


def test_stack_reading_mostly_local_env_files_is_development(tmp_path: Path) -> None:
    """Three `.envs/local/` files beside one `.envs/prod/` file shared with production: a local stack, whose mount
    of the project over the image's code is how development works (no DJC219)."""
    envs = {f".envs/local/{name}": "X=1\n" for name in ("db", "django", "server")}
    root = write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn config.wsgi -b 0.0.0.0:8000\n"
                              "    volumes:\n      - .:/app\n    env_file:\n      - .envs/local/db\n"
                              "      - .envs/local/django\n      - .envs/local/server\n      - .envs/prod/cloud\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\n", **envs, ".envs/prod/cloud": "BUCKET=x\n",
        "manage.py": MANAGE.replace("app.settings", "config.settings"), "config/__init__.py": "",
        "config/wsgi.py": "", "config/settings.py": "DEBUG = False\n",
    })
    assert not [f for f in lint(root) if f.code == "DJC219"]
