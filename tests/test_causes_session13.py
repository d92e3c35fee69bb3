"""Causes found on real repositories in the thirteenth session's reviews (the fifty-third's)."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.parse.settings import settings_module_from
from djlint_docker.rules.snippets import MANAGE

TEST_SWITCHING_MANAGE = (
    "import os\nimport sys\n\n\ndef main():\n"
    "    if {test}:\n        os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings_test')\n"
    "    else:\n        os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
    "    from django.core.management import execute_from_command_line\n"
    "    execute_from_command_line(sys.argv)\n")
"""A manage.py that loads its test settings for ``manage.py test`` alone."""


@pytest.mark.parametrize(("test", "default"), [
    ("'test' in sys.argv", "shop.settings"),
    ("'test' not in sys.argv", "shop.settings_test"),  # its body is every other command's
    ("'test' in sys.argv[1:2]", "shop.settings"),
    ("os.environ.get('FAST')", "shop.settings_test"),  # another test: the first default, as written
])
def test_manage_py_default_is_the_one_every_command_but_test_loads(test, default):
    assert settings_module_from(TEST_SWITCHING_MANAGE.format(test=test)) == default


def test_a_manage_py_with_test_settings_for_test_runs_loads_the_main_settings_in_the_container(tmp_path):
    files = {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n"
                        "  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    depends_on: [db]\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "manage.py": TEST_SWITCHING_MANAGE.format(test="'test' in sys.argv"),
        "shop/__init__.py": "",
        "shop/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                            "'HOST': 'db', 'PASSWORD': os.environ['POSTGRES_PASSWORD']}}\n",
        "shop/settings_test.py": "from .settings import *\nDATABASES = {'default': {'ENGINE': "
                                 "'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n",
    }
    found = {finding.code for finding in lint(write_files(tmp_path, files))}
    assert "DJC305" not in found


DECOUPLED_DEFAULT = ("import os\nimport sys\nfrom decouple import config\n\n"
                     "os.environ.setdefault('DJANGO_SETTINGS_MODULE', config('DJANGO_SETTINGS_MODULE'))\n"
                     "from django.core.management import execute_from_command_line\n"
                     "execute_from_command_line(sys.argv)\n")
"""A manage.py whose default settings module python-decouple reads from the ``.env`` each clone writes."""


@pytest.mark.parametrize(("env_file", "reported"), [
    ({}, False),  # the .env names the module: unknown, no rule guesses base.py
    ({".env.example": "DJANGO_SETTINGS_MODULE=config.settings.base\n"}, True),  # the template names it
])
def test_settings_module_read_from_the_env_file_is_unknown_without_it(tmp_path, env_file, reported):
    files = {
        ".gitignore": ".env\n",
        "compose.yaml": "services:\n  app:\n    build: .\n    command: /app/start.sh\n    env_file:\n      - ./.env\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "start.sh": "#!/bin/sh\npython manage.py collectstatic --noinput\nexec gunicorn config.wsgi -b 0.0.0.0:8000\n",
        "manage.py": DECOUPLED_DEFAULT,
        "config/__init__.py": "", "config/wsgi.py": DECOUPLED_DEFAULT.split("from django")[0],
        "config/settings/__init__.py": "", "config/settings/base.py": "DEBUG = False\n",
        "config/settings/development.py": "from .base import *\nSTATIC_ROOT = '/vol/staticfiles'\n",
        **env_file,
    }
    found = {finding.code for finding in lint(write_files(tmp_path, files))}
    assert ("DJC308" in found) == reported


SKELETON = {
    "docker-compose.yml": "services:\n  app:\n    build: ./backend\n  database:\n    image: mysql:8.4\n"
                          "    volumes:\n      - mysql:/var/lib/mysql\nvolumes:\n  mysql: {}\n",
    "docker-compose.local.yml": "services:\n  app:\n    command: python manage.py runserver 0.0.0.0:8000\n"
                                "  database:\n    environment:\n      MYSQL_ROOT_PASSWORD: \"1234\"\n",
    "docker-compose.prod.yml": "services:\n  app:\n    command: gunicorn -c config/gunicorn.conf.py\n"
                               "  database:\n    environment:\n      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD:?}\n",
    "backend/Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY . .\n",
    "backend/manage.py": MANAGE.replace("app.settings", "config.settings.local"),
    "backend/config/__init__.py": "",
    "backend/config/gunicorn.conf.py": "bind = ':8000'\nwsgi_app = 'config.wsgi'\n",
    "backend/config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
    "backend/config/asgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "backend/config/settings/__init__.py": "",
    "backend/config/settings/local.py": "DEBUG = True\nALLOWED_HOSTS = ['*']\n",
    "backend/config/settings/production.py": "DEBUG = False\n",
}
"""A compose file the development and the production overlays share, run with one of them, never alone."""


def test_a_skeleton_two_overlays_share_is_checked_merged_with_each_not_alone(tmp_path):
    root = write_files(tmp_path, SKELETON)
    stacks = [tuple(path.name for path in setup.compose_files) for setup in discover([root])]
    assert stacks == [("docker-compose.yml", "docker-compose.local.yml"),
                      ("docker-compose.yml", "docker-compose.prod.yml")]
    assert "DJC217" not in {finding.code for finding in lint(root)}  # each overlay gives the password


@pytest.mark.parametrize("overlays", [("docker-compose.prod.yml",), ("docker-compose.local.yml",),
                                      ("docker-compose.test.yml", "docker-compose.prod.yml")])
def test_a_base_with_one_kind_of_overlay_is_run_alone_too(tmp_path, overlays):
    files = {path: text for path, text in SKELETON.items() if not path.startswith("docker-compose.")
             or path == "docker-compose.yml"}
    files.update({name: SKELETON["docker-compose.prod.yml"] for name in overlays})
    stacks = [tuple(path.name for path in setup.compose_files) for setup in discover([write_files(tmp_path, files)])]
    assert ("docker-compose.yml",) in stacks


def test_a_server_started_from_its_config_file_loads_the_wsgi_modules_default(tmp_path):
    # gunicorn serves wsgi.py's production settings: not local.py, nor the package asgi.py names
    found = {finding.path for finding in lint(write_files(tmp_path, SKELETON))}
    assert not found & {"backend/config/settings/local.py", "backend/config/settings/__init__.py"}
    assert "backend/config/settings/production.py" in found  # its check --deploy findings


@pytest.mark.parametrize(("value", "expected"), [
    ("%SECRET_KEY%", True), ("@DB_PASSWORD@", True), ("__SECRET_KEY__", True),  # tokens a script substitutes
    ("%x9Gq2!kP%", False), ("k%7fQ@2mZ", False),  # random keys with the marks inside
])
def test_a_token_a_script_substitutes_is_a_placeholder(value, expected):
    from djlint_docker.rules.project._git import placeholder
    assert placeholder(value) is expected


DEV_COMPOSE_AND_DEPLOYED_DOCKERFILE = {
    "docker-compose.yml": "services:\n  backend:\n    build: ./backend\n    command: /backend/entrypoint.dev.sh\n"
                          "    volumes:\n      - ./backend:/backend\n",
    "backend/Dockerfile": "FROM python:3.12-slim\nWORKDIR /backend\nCOPY . /backend/\n",
    "backend/entrypoint.dev.sh": "#!/bin/sh\npython manage.py runserver 0.0.0.0:8000\n",
    "backend/Dockerfile.prod": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /backend\n"
                               "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                               "COPY . /backend/\nENTRYPOINT [\"/backend/entrypoint.prod.sh\"]\n",
    "backend/entrypoint.prod.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\n"
                                  "gunicorn core.wsgi --bind 0.0.0.0:8000\n",
    "backend/requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
    "backend/manage.py": MANAGE.replace("app.settings", "core.settings"),
    "backend/core/__init__.py": "", "backend/core/settings.py": "DEBUG = False\n",
    "backend/core/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n",
}
"""A development stack beside the production Dockerfile another tool deploys (AWS Copilot), whose text names no
server: its entrypoint script does."""


def test_the_production_dockerfile_beside_the_one_compose_builds_is_checked_and_deployed(tmp_path):
    found = {(finding.code, finding.path) for finding in lint(write_files(tmp_path, DEV_COMPOSE_AND_DEPLOYED_DOCKERFILE))}
    assert ("DJC411", "backend/entrypoint.prod.sh") in found  # the deployed server without exec
    assert ("DJC108", "backend/Dockerfile.prod") in found
    assert ("DJC411", "backend/entrypoint.dev.sh") not in found  # development's, while the project deploys


def test_a_dockerfile_beside_the_project_that_copies_from_above_is_built_from_above(tmp_path):
    files = {"compose.yaml": "services:\n  web:\n    build: ./app\n    command: python manage.py runserver 0.0.0.0:80\n",
             "app/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
             "app/Dockerfile.deploy": "FROM python:3.12-slim\nWORKDIR /app\nCOPY app/ /app/\n"
                                      "COPY app/entrypoint.sh /entrypoint.sh\nRUN chmod +x /entrypoint.sh\n"
                                      "ENTRYPOINT [\"/entrypoint.sh\"]\n",
             "app/entrypoint.sh": "#!/bin/sh\ngunicorn config.wsgi --bind 0.0.0.0:8000\n",
             "app/manage.py": MANAGE.replace("app.settings", "config.settings"),
             "app/config/__init__.py": "", "app/config/settings.py": "DEBUG = False\n"}
    setups = discover([write_files(tmp_path, files)])
    deploy = next(setup for setup in setups if not setup.compose_files)
    assert dict(deploy.contexts) == {tmp_path / "app" / "Dockerfile.deploy": tmp_path}
    assert ("DJC411", "app/entrypoint.sh") in {(f.code, f.path) for f in lint(tmp_path)}


def test_a_development_image_whose_cmd_serves_is_not_deployed_beside_the_production_dockerfile(tmp_path):
    files = {**DEV_COMPOSE_AND_DEPLOYED_DOCKERFILE,
             "backend/Dockerfile": "FROM python:3.12-slim\nWORKDIR /backend\nCOPY . /backend/\n"
                                   "CMD [\"gunicorn\", \"core.wsgi\", \"--bind\", \"0.0.0.0:8000\"]\n"}
    found = {(finding.code, finding.path) for finding in lint(write_files(tmp_path, files))}
    assert ("DJC108", "backend/Dockerfile.prod") in found
    assert ("DJC108", "backend/Dockerfile") not in found  # the stack runs it with runserver; CI ships the other


def test_an_env_file_the_settings_read_that_the_source_mount_brings_is_each_developers(tmp_path):
    files = {
        ".gitignore": ".env\n",
        "docker-compose.yml": "services:\n  django:\n    build: ./build/django\n    volumes:\n"
                              "      - ./django:/django\n",
        "build/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /django\n"
                                   "CMD [\"uwsgi\", \"--ini\", \"/django/uwsgi.ini\"]\n",
        "django/uwsgi.ini": "[uwsgi]\nwsgi-file = /django/config/wsgi.py\n",
        "django/manage.py": MANAGE.replace("app.settings", "config.settings"),
        "django/config/__init__.py": "",
        "django/config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
        "django/config/settings.py": "import os\nimport environ\nBASE_DIR = os.path.dirname(os.path.dirname("
                                     "os.path.abspath(__file__)))\nenv = environ.Env()\n"
                                     "env.read_env(os.path.join(BASE_DIR, '.env'))\nSECRET_KEY = env('SECRET_KEY')\n",
    }
    assert "DJC307" not in {finding.code for finding in lint(write_files(tmp_path, files))}


@pytest.mark.parametrize("default", [
    "'shop.settings.server' if os.environ.get('DJANGO_ENV', 'development') == 'production' else 'shop.settings.laptop'",
    "os.environ.get('CONFIG_SETTINGS', 'shop.settings.server')",
])
def test_a_manage_py_default_the_containers_environment_decides(tmp_path, default):
    files = {
        "compose.yaml": "services:\n  app:\n    build: .\n    command: gunicorn --bind 0.0.0.0:8000 manage:app\n"
                        "    environment:\n      - DJANGO_ENV=production\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "manage.py": f"import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', {default})\n",
        "shop/__init__.py": "", "shop/settings/__init__.py": "",
        "shop/settings/server.py": "DEBUG = False\n", "shop/settings/laptop.py": "DEBUG = True\n",
    }
    found = {(finding.code, finding.path) for finding in lint(write_files(tmp_path, files))}
    assert ("DJC301", "shop/settings/laptop.py") not in found  # server.py runs, DEBUG off


ENVIRONMENT_SWITCHED_WSGI = (
    "import os\nimport environ\nfrom django.core.wsgi import get_wsgi_application\n\nenv = environ.Env()\n\n"
    "if env('DJANGO_DEBUG', cast=bool):\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.local')\n"
    "else:\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.production')\n"
    "application = get_wsgi_application()\n")


@pytest.mark.parametrize(("environment", "default"), [
    ({"DJANGO_DEBUG": "False"}, "shop.settings.production"),
    ({"DJANGO_DEBUG": "True"}, "shop.settings.local"),
    ({}, "shop.settings.local"),  # the environment cannot tell: the first, as written
])
def test_the_wsgi_default_the_environment_chooses(tmp_path, environment, default):
    from djlint_docker.parse.settings import defaulting_module, settings_module_chosen
    module = defaulting_module(tmp_path / "wsgi.py", ENVIRONMENT_SWITCHED_WSGI)
    assert settings_module_chosen(module, environment) == default


def test_an_image_chosen_by_a_build_argument_the_makefile_passes_is_not_judged_by_its_default(tmp_path):
    files = {"Dockerfile": "ARG PYTHON_VERSION=3.9\nFROM $PYTHON_VERSION\nWORKDIR /app\nCOPY . .\n"
                           "CMD [\"gunicorn\", \"app.wsgi\"]\n",
             "manage.py": MANAGE,
             "Makefile": "build:\n\tdocker build --build-arg PYTHON_VERSION=python:3.9-bookworm -t pod .\n"}
    root = write_files(tmp_path, files)
    assert "DJC106" not in {finding.code for finding in lint(root)}
    (root / "Makefile").write_text("build:\n\tdocker build -t pod .\n")
    assert "DJC106" in {finding.code for finding in lint(root)}  # the default is the image: a tag without one


def test_a_container_loads_the_wsgi_default_its_environment_chooses(tmp_path):
    files = {"docker-compose.prod.yml": "services:\n  api:\n    build: .\n"
                                        "    command: gunicorn shop.wsgi --bind 0.0.0.0:8000\n"
                                        "    environment:\n      DJANGO_DEBUG: \"False\"\n",
             "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
             "manage.py": MANAGE.replace("app.settings", "shop.settings.local"),
             "shop/__init__.py": "", "shop/wsgi.py": ENVIRONMENT_SWITCHED_WSGI, "shop/settings/__init__.py": "",
             "shop/settings/local.py": "DEBUG = True\n", "shop/settings/production.py": "DEBUG = False\n"}
    found = {(finding.code, finding.path) for finding in lint(write_files(tmp_path, files))}
    assert ("DJC301", "shop/settings/local.py") not in found


@pytest.mark.parametrize(("loop", "unknown"), [
    ("for app in APPS:\n    module = __import__(app, globals(), locals(), ['settings'])\n"
     "    for name in dir(module.settings):\n        locals()[name] = getattr(module.settings, name)\n", True),
    ("globals().update(extra)\n", True),
    ("def set_option(name, value):\n    globals()[name] = value\n", False),  # a function: its calls bind
    ("globals()['EXTRA'] = 1\n", False),
])
def test_settings_that_bind_names_they_compute_may_set_any_setting(tmp_path, loop, unknown):
    from djlint_docker.parse.settings import bindings, incomplete, parse_python
    path = tmp_path / "settings.py"
    text = "APPS = ['shop']\nextra = {}\n" + loop + "DEBUG = False\n"
    module = parse_python(path, text)
    assert incomplete(bindings(path, lambda other: module if other == path else None)) is unknown


@pytest.mark.parametrize("link", [
    "```\nln -s docker/local/compose.yml ./docker-compose.yml\ndocker compose up\n```\n",
    "```\nln -sf docker/local/compose.yml docker-compose.yml\n```\n",
])
def test_a_compose_file_the_readme_links_to_the_top_reads_its_paths_from_there(tmp_path, link):
    files = {"README.md": "# Wedding\n\n" + link, ".gitignore": "docker-compose.yml\n",
             "docker/local/compose.yml": "services:\n  django:\n    build:\n      context: .\n"
                                         "      dockerfile: ./docker/local/django/Dockerfile\n"
                                         "    env_file:\n      - ./.envs/.local/.django\n",
             "docker/local/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
             ".envs/.local/.django": "DJANGO_DEBUG=1\n", "manage.py": MANAGE}
    root = write_files(tmp_path, files)
    assert [setup.root for setup in discover([root]) if setup.compose_files] == [root]
    assert not {"DJC002", "DJC211"} & {finding.code for finding in lint(root)}


@pytest.mark.parametrize(("dockerfile", "missing"), [
    ("./docker/local/django/Dockerfile", False),  # names its own folder from the top, where the file is
    ("./docker/prod/django/Dockerfile", True),  # found from neither folder
])
def test_a_compose_file_linked_nowhere_reads_its_paths_from_where_they_are_written(tmp_path, dockerfile, missing):
    files = {"docker/local/compose.yml": "services:\n  django:\n    build:\n      context: .\n"
                                         f"      dockerfile: {dockerfile}\n",
             "docker/local/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE}
    assert ("DJC002" in {finding.code for finding in lint(write_files(tmp_path, files))}) is missing


def test_a_test_stack_s_random_key_signs_nothing_anyone_keeps(tmp_path):
    files = {"docker-compose.test.yml": "services:\n  web:\n    build: .\n"
                                        "    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n",
             "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE,
             "app/__init__.py": "", "app/settings.py": "import os\nfrom django.core.management.utils import "
                                                        "get_random_secret_key\n"
                                                        "SECRET_KEY = os.getenv('SECRET_KEY') or get_random_secret_key()\n"}
    root = write_files(tmp_path, files)
    assert "DJC315" not in {finding.code for finding in lint(root)}
    (root / "docker-compose.test.yml").rename(root / "docker-compose.yml")
    assert "DJC315" in {finding.code for finding in lint(root)}


def test_the_readme_copies_a_template_to_an_env_file_of_another_name(tmp_path):
    from djlint_docker.files import ProjectFiles
    files = {"README.md": "```\ncp .env.example .env.prod\n```\n", ".env.example": "SECRET_KEY='YOUR_KEY'\n",
             ".gitignore": ".env*\n!.env.example\n"}
    root = write_files(tmp_path, files)
    assert ProjectFiles(root, root).template_for(root / ".env.prod") == root / ".env.example"
