"""Development and deployment (issue 17 item 3): Project.development_only and what shows a project is deployed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY


def projects(root: Path, files: dict[str, str], siblings: bool = True) -> dict[str, Project]:
    """The setups of the files by their first file's name; the run's setups given to each, or found by Project."""
    write_files(root, files)
    setups = discover([root])
    return {(s.compose_files or s.dockerfiles)[0].name: Project(s, root, siblings=setups if siblings else None)
            for s in setups}


def test_a_development_stack_beside_a_deployed_one(tmp_path):
    for given in (True, False):  # the engine's setups, or the compose files of the folder
        found = projects(tmp_path, DEV_AND_PROD, given)
        dev, prod = found["compose.yaml"], found["compose.prod.yaml"]
        assert dev.development_stack and not prod.development_stack
        assert dev.deployments == ["service web of compose.prod.yaml", "app/settings/prod.py"]
        web, db = dev.stack.services["web"], dev.stack.services["db"]
        assert dev.development(dev.django_runs[0]) == "it runs runserver"
        assert dev.development_only(web) and dev.development_only(db)
        assert not any(prod.development_only(s) for s in prod.services)
        debug = dev.django_runs[0].settings[0].bindings["DEBUG"]
        assert dev.development_only(debug) and dev.development_only(debug.path)
        prod_debug = prod.django_runs[0].settings[0].bindings["DEBUG"]
        assert not dev.development_only(prod_debug)


def test_a_project_with_one_configuration_ships_it(tmp_path):
    found = projects(tmp_path, DEV_ONLY)["compose.yaml"]
    assert found.development_stack and not found.deployed_elsewhere
    run = found.django_runs[0]
    assert found.development(run) is not None
    assert not found.development_only(run) and not found.development_only(found.builds[0])
    assert not found.development_only(run.settings[0].bindings["DEBUG"])


def test_a_production_settings_module_is_a_deployment(tmp_path):
    files = {**DEV_ONLY, "app/settings/production.py": "from .base import *\nDEBUG = False\n"}
    found = projects(tmp_path, files)["compose.yaml"]
    assert found.deployments == ["app/settings/production.py"]
    assert found.development_only(found.django_runs[0])


def _built_to(target: str, dockerfile: str) -> dict[str, str]:
    """The development-only project, its stack building ``target`` of ``dockerfile``."""
    return {**DEV_ONLY, "Dockerfile": dockerfile,
            "compose.yaml": DEV_ONLY["compose.yaml"].replace("    build: .\n", "    build:\n      context: .\n"
                                                             f"      target: {target}\n", 1)}


STAGED = "FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY . .\n"
VARIANTS = STAGED + ("FROM base AS app\nUSER nobody\nCMD [\"gunicorn\", \"app.wsgi\"]\n"
                     "FROM base AS app-dev\nRUN pip install django\nFROM base AS app-test\nCMD [\"pytest\"]\n")


@pytest.mark.parametrize(("target", "dockerfile", "deployed"), [
    ("development", STAGED + "FROM base AS development\nRUN pip install django\nFROM base AS production\n"
                             "RUN pip install django gunicorn\nUSER nobody\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
     "the final stage of Dockerfile"),
    # `app-dev` beside `app`, a test stage last: a bake file or CI builds `app`
    ("app-dev", VARIANTS, "the app stage of Dockerfile"),
])
def test_the_stage_that_ships_beside_the_development_target(tmp_path, target, dockerfile, deployed):
    found = projects(tmp_path, _built_to(target, dockerfile))["compose.yaml"]
    assert found.deployments == [deployed]
    assert found.development_only(found.builds[0])


def test_a_development_target_with_no_stage_of_its_name_shows_no_deployment(tmp_path):
    files = _built_to("app-dev", VARIANTS.replace("AS app\n", "AS server\n"))
    assert projects(tmp_path, files)["compose.yaml"].deployments == []


def test_an_image_that_serves_by_itself_is_deployed_though_a_development_stack_runs_it(tmp_path):
    files = {**DEV_ONLY, "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                       "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n"}
    found = projects(tmp_path, files)["compose.yaml"]
    assert found.deployments == ["the image of Dockerfile"]
    assert not found.development_only(found.builds[0])  # the image ships
    assert found.development_only(found.stack.services["db"])  # the stack is development's
    # The image by itself loads wsgi.py's default, which names the dev settings here: they ship.
    assert not found.development_only(found.django_runs[0].settings[0].bindings["DEBUG"])


def test_unrelated_setups_do_not_count(tmp_path):
    files = {f"one/{path}": text for path, text in DEV_ONLY.items()}
    files.update({f"two/{path}": text for path, text in DEV_AND_PROD.items()})
    write_files(tmp_path, files)
    setups = discover([tmp_path])
    one = next(Project(s, tmp_path, siblings=setups) for s in setups if s.root.name == "one")
    two = next(Project(s, tmp_path, siblings=setups) for s in setups if s.root.name == "two" and s.compose_files[0].name == "compose.yaml")
    assert not one.deployed_elsewhere and two.deployed_elsewhere


def test_a_production_named_stack_is_deployed_even_with_runserver(tmp_path):
    files = {**DEV_AND_PROD, "compose.prod.yaml": DEV_AND_PROD["compose.yaml"]}
    found = projects(tmp_path, files)
    assert found["compose.prod.yaml"].development(found["compose.prod.yaml"].django_runs[0]) is None
    assert not found["compose.prod.yaml"].development_only(found["compose.prod.yaml"].stack.services["db"])


def test_an_image_no_deployed_container_builds_may_be_the_deployed_one(tmp_path):
    # Deployed with a production settings module by CI or a PaaS: the image the development stack builds may ship.
    files = {**DEV_ONLY, "app/settings/production.py": "from .base import *\nDEBUG = False\n"}
    found = projects(tmp_path, files)["compose.yaml"]
    assert found.deployed_elsewhere and found.development_only(found.stack.services["db"])
    assert not found.development_only(found.builds[0])
    # A Dockerfile named for development is development's.
    files["Dockerfile.dev"] = files.pop("Dockerfile")
    files["compose.yaml"] = files["compose.yaml"].replace("    build: .\n", "    build:\n      context: .\n"
                                                          "      dockerfile: Dockerfile.dev\n", 1)
    found = projects(tmp_path / "named", files)["compose.yaml"]
    assert found.development_only(found.builds[0])


def test_a_devcontainer_stack_built_from_the_project(tmp_path):
    files = {**{path: text for path, text in DEV_AND_PROD.items() if not path.startswith("compose")},
             "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
             ".devcontainer/Dockerfile": "FROM python:3.12\n",
             ".devcontainer/docker-compose.yml": "services:\n  app:\n    build:\n      context: ..\n"
                                                 "      dockerfile: .devcontainer/Dockerfile\n"
                                                 "    command: sleep infinity\n    volumes:\n      - ..:/workspace\n"
                                                 "  db:\n    image: postgres:16\n    environment:\n"
                                                 "      POSTGRES_PASSWORD: postgres\n"}
    write_files(tmp_path, files)
    setups = discover([tmp_path])
    devcontainer = next(Project(s, tmp_path, siblings=setups) for s in setups if s.compose_files)
    assert devcontainer.development_stack
    assert devcontainer.deployments == ["the image of Dockerfile", "app/settings/prod.py"]
    assert devcontainer.development_only(devcontainer.stack.services["db"])



PAAS_PROJECT = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.django.base')\n",
    "config/__init__.py": "", "config/django/__init__.py": "",
    "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.django.base')\n",
    "config/django/base.py": "import os\nSECRET_KEY = 'k2$zq!8v0m3@c7x#n4w9p1r6t5y8u2i0o3e'\nALLOWED_HOSTS = ['*']\n"
                             "DEBUG = os.environ.get('DJANGO_DEBUG', '0') == '1'\n",
    "config/django/production.py": "import os\nfrom .base import *  # noqa\n\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                                   "ALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split(',')\n",
    "docker/production.Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install django gunicorn\n"
                                    "CMD [\"gunicorn\", \"config.wsgi\", \"--bind\", \"0.0.0.0:8000\"]\n",
}
"""A project deployed to a PaaS that sets DJANGO_SETTINGS_MODULE=config.django.production: its image names no
settings module, wsgi.py defaults to the base module the production one builds on."""


def test_a_production_module_built_on_the_default_is_what_a_deployment_loads(tmp_path):
    from conftest import lint

    write_files(tmp_path, PAAS_PROJECT)
    assert not [f for f in lint(tmp_path) if f.code in {"DJC303", "DJC304"}]


def test_without_a_production_module_the_default_is_what_ships(tmp_path):
    from conftest import lint

    write_files(tmp_path, {k: v for k, v in PAAS_PROJECT.items() if k != "config/django/production.py"})
    assert sorted(f.code for f in lint(tmp_path) if f.code in {"DJC303", "DJC304"}) == ["DJC303", "DJC304"]


def test_an_image_ci_publishes_beside_the_development_stack_is_a_deployment(tmp_path):
    """Dockerfile.autobuild, which no service builds, starts gunicorn through its scripts with the production
    settings: the example compose file's development settings are no problem of the project."""
    from conftest import lint

    files = {**DEV_ONLY, "Dockerfile.autobuild": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\n"
                                                 "RUN pip install --no-cache-dir django gunicorn\n"
                                                 "ENV DJANGO_SETTINGS_MODULE=app.settings.prod\n"
                                                 "CMD [\"/srv/docker/start.sh\"]\n",
             "docker/start.sh": "#!/bin/sh\nROOT=/srv\npython manage.py migrate --noinput\n"
                                "${ROOT}/docker/start-gunicorn.sh\n",
             "docker/start-gunicorn.sh": "#!/bin/sh\nexec gunicorn app.wsgi -b 0.0.0.0:8000 --user www-data\n",
             "app/settings/prod.py": DEV_AND_PROD["app/settings/prod.py"]}
    found = projects(tmp_path, files)["compose.yaml"]
    assert [run.name for run in found.deployed_runs] == ["the image"]
    assert found.development_only(found.stack.services["web"])
    assert not [f for f in lint(tmp_path) if f.code in {"DJC301", "DJC303", "DJC304", "DJC108"}]


def test_images_kept_in_folders_named_for_what_they_are_for(tmp_path):
    """docker/local/Dockerfile runs runserver, docker/prod/Dockerfile gunicorn: the folder says which is which."""
    from conftest import lint

    image = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django gunicorn\n"
    write_files(tmp_path, {**{k: v for k, v in DEV_AND_PROD.items() if k.startswith("app/") or k == "manage.py"},
                           "docker/local/Dockerfile": image + 'CMD ["python", "manage.py", "runserver", "0:8000"]\n',
                           "docker/prod/Dockerfile": image + 'USER nobody\nCMD ["gunicorn", "app.wsgi"]\n'})
    assert not [f for f in lint(tmp_path) if f.code in {"DJC102", "DJC108"}]


def test_an_image_named_for_development_that_serves_with_gunicorn_is_deployed(tmp_path):
    """docker/dev/Dockerfile starting gunicorn by itself is the image of a development environment's server."""
    from conftest import lint

    image = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install django gunicorn\nUSER nobody\n"
    write_files(tmp_path, {**{k: v for k, v in DEV_AND_PROD.items() if k.startswith("app/") or k == "manage.py"},
                           "docker/dev/Dockerfile": image + 'CMD ["gunicorn", "app.wsgi"]\n',
                           "docker/prod/Dockerfile": image.replace("pip install", "pip install --no-cache-dir")
                           + 'CMD ["gunicorn", "app.wsgi"]\n'})
    assert [(f.code, f.path) for f in lint(tmp_path) if f.code == "DJC110"] == [("DJC110", "docker/dev/Dockerfile")]


def test_a_procfile_serving_with_gunicorn_is_a_deployment(tmp_path):
    """A platform (Heroku, Dokku, cabotage) runs the Procfile's processes: the compose stack is the developers'."""
    from conftest import lint

    files = {**DEV_ONLY, "Procfile": "release: python manage.py migrate --noinput\n"
                                     "web: bin/start-nginx gunicorn -c gunicorn.conf app.wsgi\n"
                                     "worker: celery -A app worker -l INFO\n"}
    found = projects(tmp_path, files)["compose.yaml"]
    assert found.deployments == ["Procfile"]
    assert not [f for f in lint(tmp_path) if f.code in {"DJC207", "DJC210", "DJC301", "DJC108"}]


def test_a_procfile_running_runserver_deploys_nothing(tmp_path):
    files = {**DEV_ONLY, "Procfile": "web: python manage.py runserver 0.0.0.0:$PORT\n"}
    assert not projects(tmp_path, files)["compose.yaml"].deployments


def test_files_that_say_they_are_for_development_only(tmp_path):
    """A compose file and a Dockerfile whose opening comments say they serve local development alone."""
    from conftest import lint

    files = {**DEV_ONLY, "compose.yaml": "# This compose setup is only meant for local development of the project\n"
                                         "# It is not for running your site in docker\n" + DEV_ONLY["compose.yaml"],
             "Dockerfile": "# This Dockerfile is intended solely for local development\n" + DEV_ONLY["Dockerfile"]}
    found = projects(tmp_path, files)["compose.yaml"]
    assert found.declared_development and found.development_only(found.stack.services["db"])
    assert not [f for f in lint(tmp_path) if f.code in {"DJC207", "DJC210", "DJC301", "DJC303", "DJC108"}]
    said = {**DEV_ONLY, "compose.yaml": "# Start the development server with docker compose up\n" + DEV_ONLY["compose.yaml"]}
    assert not projects(tmp_path / "said", said)["compose.yaml"].declared_development


def test_a_production_settings_template_shows_a_deployment_elsewhere(tmp_path):
    """patchwork: the Docker stack is for development; production runs settings made from production.example.py."""
    files = {**DEV_ONLY, "app/settings/production.example.py": "from .base import *\nDEBUG = False\n"}
    found = projects(tmp_path, files)["compose.yaml"]
    assert found.deployments == ["app/settings/production.example.py"]
    assert found.development_only(found.django_runs[0])


def test_an_image_that_starts_runserver_only_development_stacks_run_is_development_only(tmp_path):
    image = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n"
    files = {**DEV_ONLY, "Dockerfile": image, "app/settings/production.example.py": "DEBUG = False\n"}
    found = projects(tmp_path, files)["compose.yaml"]
    assert found.development_only(found.builds[0])
    alone = projects(tmp_path / "alone", {**DEV_ONLY, "Dockerfile": image})["compose.yaml"]
    assert not alone.development_only(alone.builds[0])  # the project's only image ships
    # A production settings module it could be deployed with (CI ships the image with it): not development-only.
    shipped = projects(tmp_path / "shipped", {**DEV_ONLY, "Dockerfile": image,
                                              "app/settings/production.py": "DEBUG = False\n"})["compose.yaml"]
    assert not shipped.development_only(shipped.builds[0])
