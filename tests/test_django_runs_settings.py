"""Which containers run Django, and the settings module each one really loads (issue 17 item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.dev')\n"
WSGI = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.prod')\n"
CELERY = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.worker')\n"
SETTINGS = {f"app/settings/{name}.py": f"NAME = {name!r}\n" for name in ("base", "dev", "prod", "worker", "ci")}
BASE = {"manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": WSGI, "app/celery.py": CELERY,
        "app/settings/__init__.py": "", **SETTINGS}
IMAGE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"


def project(root: Path, files: dict[str, str]) -> Project:
    write_files(root, {**BASE, **files})
    setups = discover([root])
    return Project(next(s for s in setups if s.compose_files), root, siblings=setups)


def loaded(root: Path, files: dict[str, str]) -> dict[str, list[str]]:
    """Each Django service with the stems of the settings modules it loads."""
    found = project(root, files)
    return {run.service.name: [s.path.stem for s in run.settings] for run in found.django_runs if run.service}


def compose(command: str, environment: str = "") -> str:
    return f"services:\n  web:\n    build: .\n    command: {command}\n" + (
        f"    environment:\n      {environment}\n" if environment else "")


@pytest.mark.parametrize(("files", "expected"), [
    # An application server loads its wsgi.py default, not manage.py's (which names the dev settings).
    ({"compose.yaml": compose("gunicorn app.wsgi:application"), "Dockerfile": IMAGE}, ["prod"]),
    ({"compose.yaml": compose("python manage.py runserver 0.0.0.0:8000"), "Dockerfile": IMAGE}, ["dev"]),
    ({"compose.yaml": compose("celery -A app worker -l info"), "Dockerfile": IMAGE}, ["worker"]),
    # The environment wins over setdefault; --settings wins over the environment.
    ({"compose.yaml": compose("gunicorn app.wsgi", "DJANGO_SETTINGS_MODULE: app.settings.ci"), "Dockerfile": IMAGE},
     ["ci"]),
    ({"compose.yaml": compose("python manage.py runserver --settings=app.settings.ci 0.0.0.0:8000",
                              "DJANGO_SETTINGS_MODULE: app.settings.prod"), "Dockerfile": IMAGE}, ["ci"]),
    # The image's ENV, overridden by an export in its entrypoint script.
    ({"compose.yaml": "services:\n  web:\n    build: .\n",
      "Dockerfile": IMAGE + "ENV DJANGO_SETTINGS_MODULE=app.settings.dev\nCMD [\"/app/start.sh\"]\n",
      "start.sh": "#!/bin/sh\nexport DJANGO_SETTINGS_MODULE=app.settings.prod\nexec gunicorn app.wsgi\n"}, ["prod"]),
    ({"compose.yaml": "services:\n  web:\n    build: .\n",
      "Dockerfile": IMAGE + "ENV DJANGO_SETTINGS_MODULE=app.settings.dev\nCMD [\"/app/start.sh\"]\n",
      "start.sh": "#!/bin/sh\nif [ \"$1\" = ci ]; then\n  export DJANGO_SETTINGS_MODULE=app.settings.ci\nfi\n"
                  "exec gunicorn app.wsgi\n"}, ["dev"]),
    ({"compose.yaml": compose('sh -c "export DJANGO_SETTINGS_MODULE=app.settings.ci && gunicorn app.wsgi"'),
      "Dockerfile": IMAGE}, ["ci"]),
    # A prefix on an indented line of the branch the script's argument picks, from the script's own variables.
    ({"compose.yaml": compose("./run-worker.sh --prod"), "Dockerfile": IMAGE,
      "run-worker.sh": "#!/bin/sh\nDEV=\"app.settings.dev\"\nPROD=\"app.settings.prod\"\n"
                       "if [ \"$1\" = \"--dev\" ]; then\n    DJANGO_SETTINGS_MODULE=${DEV} \\\n"
                       "        celery -A app worker\nelif [ \"$1\" = \"--prod\" ]; then\n"
                       "    DJANGO_SETTINGS_MODULE=${PROD} \\\n        celery -A app worker\nfi\n"}, ["prod"]),
    # uWSGI sets the `env =` of its configuration in the process it starts, over the image's ENV.
    ({"compose.yaml": "services:\n  web:\n    build: .\n",
      "Dockerfile": IMAGE + "ENV DJANGO_SETTINGS_MODULE=app.settings.dev\nCMD [\"/app/start.sh\"]\n",
      "start.sh": "#!/bin/sh\nexec uwsgi --http :9090 uwsgi.ini\n",
      "uwsgi.ini": "[uwsgi]\nmodule = app.wsgi:application\nenv = DJANGO_SETTINGS_MODULE=app.settings.prod\n"},
     ["prod"]),
    ({"compose.yaml": compose("uwsgi --ini deploy/app.ini:production"), "Dockerfile": IMAGE,
      "deploy/app.ini": "[uwsgi]\nenv = DJANGO_SETTINGS_MODULE=app.settings.dev\n\n"
                        "[production]\nmodule = app.wsgi\nenv = DJANGO_SETTINGS_MODULE=app.settings.ci\n"}, ["ci"]),
])
def test_the_settings_a_container_loads(tmp_path, files, expected):
    assert loaded(tmp_path, files) == {"web": expected}


def test_images_built_from_the_project_that_do_not_run_django(tmp_path):
    files = {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                        "  assets:\n    build:\n      context: .\n      dockerfile: frontend/Dockerfile\n"
                        "  proxy:\n    build: ./nginx\n  docs:\n    build:\n      context: .\n"
                        "      dockerfile: docs/Dockerfile\n    command: /start-docs\n",
        "Dockerfile": IMAGE, "frontend/Dockerfile": "FROM node:20\nCOPY . .\nRUN npm ci\nCMD [\"npm\", \"run\", \"watch\"]\n",
        "nginx/Dockerfile": "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/\n", "nginx/nginx.conf": "",
        "docs/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCOPY docs/start /start-docs\n",
        "docs/start": "#!/bin/sh\nexec sphinx-autobuild docs docs/_build\n"}
    found = project(tmp_path, files)
    assert {s.name for s in found.services if found.runs_django(s)} == {"web"}


def test_a_script_a_compose_command_names_gives_the_servers(tmp_path):
    found = project(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: /start\n",
        "Dockerfile": IMAGE + "COPY compose/start /start\n",
        "compose/start": "#!/bin/bash\npython manage.py migrate\nexec python manage.py runserver_plus 0.0.0.0:8000\n"})
    run = found.django_runs[0]
    assert [s.program for s in found.servers(run.service, run.build)] == ["runserver"]
    assert [s.path.stem for s in run.settings] == ["dev"]


def test_a_server_of_another_framework_beside_the_project_is_not_django(tmp_path):
    found = project(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                        "  api:\n    build: .\n    command: uvicorn api.main:app --port 9000\n",
        "Dockerfile": IMAGE, "api/__init__.py": "", "api/main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    assert {s.name for s in found.services if found.runs_django(s)} == {"web"}


def test_a_default_djcheck_cannot_find_leaves_the_settings_it_finds(tmp_path):
    found = project(tmp_path, {"compose.yaml": compose("gunicorn app.wsgi"), "Dockerfile": IMAGE,
                               "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'elsewhere.s')\n"})
    assert found.django_runs[0].settings  # as before: the settings modules of the project


TEMPLATE_STACK = {
    "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    env_file: .env\n"
                    "    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.prod\n"
                    "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n"
                    "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n",
    ".gitignore": ".env\n", "Dockerfile": IMAGE,
    "app/settings/prod.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\n"
                            "ALLOWED_HOSTS = ['shop.example.com']\n",
}


def test_an_empty_value_of_a_template_is_one_the_user_fills_in(tmp_path):
    """`.env.example`'s `DJANGO_SECRET_KEY=` (read in place of the absent, git-ignored `.env`) is unknown, not empty:
    no W009 for a 0-character key, no DJC217 for an empty POSTGRES_PASSWORD (issue 17 item 1)."""
    found = project(tmp_path, {**TEMPLATE_STACK, ".env.example": "DJANGO_SECRET_KEY=\nPOSTGRES_PASSWORD=\nDEBUG=0\n"})
    services = {service.name: service for service in found.services}
    web = found.service_environment(services["web"])
    assert web["DJANGO_SECRET_KEY"] is None and web["POSTGRES_PASSWORD"] is None and web["DEBUG"] == "0"
    assert found.service_environment(services["db"])["POSTGRES_PASSWORD"] is None
    assert not [f for f in lint(tmp_path) if f.code == "DJC217" or (f.code == "DJC310" and "W009" in f.message)]


def test_an_empty_value_of_the_env_file_itself_is_empty(tmp_path):
    """The same values in the `.env` Compose reads are what the containers get: reported (the empty key by DJC315,
    which says Django refuses to start; not again by DJC310's W009)."""
    found = project(tmp_path, {**TEMPLATE_STACK, ".env": "DJANGO_SECRET_KEY=\nPOSTGRES_PASSWORD=\nDEBUG=0\n"})
    services = {service.name: service for service in found.services}
    assert found.service_environment(services["web"])["DJANGO_SECRET_KEY"] == ""
    codes = {(f.code, "W009" in f.message) for f in lint(tmp_path)}
    assert ("DJC217", False) in codes and ("DJC315", False) in codes and ("DJC310", True) not in codes


def test_a_script_two_images_copy_and_run_is_each_ones(tmp_path):
    """docker/alpine.Dockerfile beside docker/default.Dockerfile, both running ./bootstrap.sh: each image runs it."""
    image = "FROM {base}\nWORKDIR /app\nCOPY . .\nRUN pip install django gunicorn\nCMD [\"./bootstrap.sh\"]\n"
    write_files(tmp_path, {**BASE, "docker/alpine.Dockerfile": image.format(base="python:3.12-alpine"),
                           "docker/default.Dockerfile": image.format(base="python:3.12-slim"),
                           "bootstrap.sh": "#!/bin/sh\nexport DJANGO_SETTINGS_MODULE=app.settings.prod\n"
                                           "exec gunicorn app.wsgi\n"})
    setups = discover([tmp_path])
    found = Project(next(s for s in setups if s.dockerfiles), tmp_path, siblings=setups)
    assert sorted((s.build.dockerfile_path.name, s.path.name) for s in found.scripts) == [
        ("alpine.Dockerfile", "bootstrap.sh"), ("default.Dockerfile", "bootstrap.sh")]
    assert sorted(s.path.stem for run in found.django_runs for s in run.settings) == ["prod", "prod"]


def test_a_settings_module_the_image_writes_is_unknown_not_missing(tmp_path):
    """RUN cp docker/config.py settings/config.py: no other module stands in for it, and none is missing."""
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY . .\nRUN pip install --no-cache-dir django\n"
                      "RUN cp docker/config.py settings/config.py\nENV DJANGO_SETTINGS_MODULE=settings.config\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": WSGI, "settings/__init__.py": "",
        "settings/common.py": "SECRET_KEY = 'local-development-only-key'\n",
        "docker/config.py": "import os\nfrom .common import *\nSECRET_KEY = os.environ['SECRET_KEY']\n"})
    assert not [f for f in lint(tmp_path) if f.code in {"DJC303", "DJC405"}]


SRC_LAYOUT = {
    "manage.py": "import os, sys\nsys.path.insert(0, os.path.abspath('src'))\n"
                 "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.local')\n",
    "src/shop/__init__.py": "", "src/shop/settings/__init__.py": "",
    "src/shop/settings/base.py": "SECRET_KEY = 'k3y-for-local-runs-only-9f8e7d6c5b4a'\nDEBUG = False\n",
    "src/shop/settings/local.py": "from shop.settings.base import *\nDEBUG = True\nALLOWED_HOSTS = ['*']\n",
    "src/shop/settings/production.py": "import os\nfrom shop.settings.base import *\n"
                                       "SECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['shop.example.org']\n",
    "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONPATH=/code\nWORKDIR /code\n"
                  "RUN pip install --no-cache-dir django gunicorn\nCOPY src /code/\nRUN useradd app\nUSER app\n"
                  "ENV DJANGO_SETTINGS_MODULE=shop.settings.production\n"
                  "CMD [\"gunicorn\", \"shop.wsgi\"]\n",
    "Dockerfile-dev": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONPATH=/code\nWORKDIR /code\n"
                      "RUN pip install --no-cache-dir django\nENV DJANGO_SETTINGS_MODULE=shop.settings.local\n",
}
"""A src layout (``src/shop/settings``, on the path through PYTHONPATH and manage.py) with a production image and a
development one: the modules the images name are found under ``src``."""


def test_modules_of_a_src_layout_are_found(tmp_path):
    write_files(tmp_path, SRC_LAYOUT)
    setups = discover([tmp_path])
    found = Project(next(s for s in setups if s.dockerfiles), tmp_path, siblings=setups)
    assert found.module_file("shop.settings.production") == tmp_path / "src/shop/settings/production.py"
    assert sorted(s.path.stem for s in found.settings) == ["local", "production"]
    # The base module's key is replaced by the production module's: only development loads it.
    assert not [f for f in lint(tmp_path) if f.code in {"DJC301", "DJC303", "DJC304"}]


def test_a_settings_example_to_copy_is_not_a_module_that_runs(tmp_path):
    """custom.example.py (copy it to custom.py) cannot even be imported: nothing runs it when nothing names a
    module, so its development values are not the image's."""
    files = {**SRC_LAYOUT, "src/shop/settings/custom.example.py": "from shop.settings.local import *\n"}
    files["Dockerfile"] = files["Dockerfile"].replace("ENV DJANGO_SETTINGS_MODULE=shop.settings.production\n", "")
    files["manage.py"] = "import os\n"
    write_files(tmp_path, files)
    setups = discover([tmp_path])
    found = Project(next(s for s in setups if s.dockerfiles), tmp_path, siblings=setups)
    assert "custom.example" not in {s.path.stem for s in found.settings}


EXAMPLE_SETTINGS = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.docker')\n",
    "shop/__init__.py": "", "shop/settings/__init__.py": "",
    "shop/settings/common.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
    "shop/settings/docker.py": "from shop.settings.common import *\nDEBUG = True\n",
    "shop/settings/staging_example.py": "from shop.settings.common import *\nDEBUG = True\n",
    "shop/settings/production_example.py": "from shop.settings.staging_example import *\nDEBUG = False\n",
    "shop/settings/debug_toolbar_settings.py": "from shop.settings.common import *\nDEBUG = True\n",
    "compose.yaml": "services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n"
                    "    command: python manage.py runserver 0.0.0.0:8000\n"
                    "    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings.docker\n",
    "docker/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django\n",
    "docker/Dockerfile.alpine": "FROM python:3.12-alpine\nENV DJANGO_SETTINGS_MODULE=shop.preset.docker\n"
                                "WORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django uwsgi\n"
                                "CMD [\"uwsgi\", \"--module\", \"shop.wsgi\"]\n",
}
"""Settings examples to copy (``staging_example.py``, ``production_example.py``) beside the module the development
stack runs, and an image naming a module that does not exist (``shop.preset.docker``)."""


def test_production_named_examples_run_nowhere_and_a_missing_module_is_its_namesake(tmp_path):
    """The templates show the project is deployed (with settings made from them), but no container loads them: the
    image that serves with uwsgi loads docker.py (its namesake), whose DEBUG is reported."""
    write_files(tmp_path, EXAMPLE_SETTINGS)
    setups = discover([tmp_path])
    found = Project(next(s for s in setups if s.compose_files), tmp_path, siblings=setups)
    assert "shop/settings/production_example.py" in found.deployments
    image = Project(next(s for s in setups if not s.compose_files), tmp_path, siblings=setups)
    assert [s.path.name for s in image.settings] == ["docker.py"]
    assert sorted((f.path, f.line) for f in lint(tmp_path) if f.code == "DJC301") == [
        ("shop/settings/docker.py", 2)]


def test_the_django_project_of_a_test_suite_is_not_the_images(tmp_path):
    """A base image for other projects, tested with a throwaway project under tests/: that project's settings are
    not what the image runs, and a legacy `ENV K "v"` names the module without its quotes."""
    image = ("FROM python:3.12-slim\nRUN pip install --no-cache-dir django gunicorn\nRUN useradd app\nUSER app\n"
             "ENV PYTHONUNBUFFERED=1\nCMD [\"gunicorn\", \"mysite.wsgi\"]\n")
    suite = {"tests/project/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
             "tests/project/mysite/__init__.py": "",
             "tests/project/mysite/settings.py": "SECRET_KEY = 'throwaway-test-key-123456789'\nDEBUG = True\n"}
    write_files(tmp_path / "base", {"Dockerfile": image, **suite})
    assert not [f for f in lint(tmp_path / "base") if f.code in {"DJC301", "DJC303"}]
    # The same project as the image's own (beside the Dockerfile, named by a quoted legacy ENV) is reported.
    own = {path.removeprefix("tests/project/"): text for path, text in suite.items()} | {"mysite/wsgi.py": ""}
    write_files(tmp_path / "app", {"Dockerfile": image.replace("CMD", 'ENV DJANGO_SETTINGS_MODULE "mysite.settings"\nCMD'),
                                   **own})
    assert sorted(f.code for f in lint(tmp_path / "app") if f.code in {"DJC301", "DJC303", "DJC405"}) == [
        "DJC301", "DJC303"]


def test_a_celery_worker_of_another_app_runs_no_django(tmp_path):
    """`celery -A compute_worker worker` of a standalone worker (its module imports nothing of Django), given by
    compose as the script of the image's `ENTRYPOINT ["/bin/bash", "-c"]`: not a Django container. The project's
    own Celery app (`-A app`, whose app/celery.py sets DJANGO_SETTINGS_MODULE) is."""
    worker_image = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY worker/ ./\nRUN pip install --no-cache-dir celery\n"
                    "ENTRYPOINT [\"/bin/bash\", \"-c\"]\n")
    found = project(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                        "  celery:\n    build: .\n    command: celery -A app worker -l info\n"
                        "  compute:\n    build:\n      context: .\n      dockerfile: worker.Dockerfile\n"
                        "    command: [\"celery -A compute_worker worker -l info -n worker@%n\"]\n"
                        "    volumes:\n      - ./worker:/app\n",
        "Dockerfile": IMAGE, "worker.Dockerfile": worker_image,
        "worker/compute_worker.py": "from celery import Celery\napp = Celery('compute')\n",
        "app/celery.py": CELERY + "from celery import Celery\napp = Celery('app')\n"})
    assert sorted(run.service.name for run in found.django_runs if run.service) == ["celery", "web"]
    compute = next(s for s in found.services if s.name == "compute")
    assert [c.command.words[0] for c in found.container_commands(compute, found.build_for(compute))] == [
        "/bin/bash", "celery"]
