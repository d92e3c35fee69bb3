"""Causes found on real repositories in the twelfth session's reviews (the forty-eighth's leftovers, the forty-ninth)."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.parse.shell import split_line
from djlint_docker.project import Project
from djlint_docker.rules.snippets import MANAGE


@pytest.mark.parametrize(("line", "runs"), [
    # cookiecutter-django's local start scripts: the watched function is celery's, its arguments one string
    ('exec watchfiles --filter python celery.__main__.main --args "-A config.celery_app worker -l INFO"',
     ("celery", "-A", "config.celery_app", "worker", "-l", "INFO")),
    ("watchgod celery.__main__.main --args -A config.celery_app beat -l INFO",
     ("celery", "-A", "config.celery_app", "beat", "-l", "INFO")),
    ("watchmedo auto-restart --directory=./ --pattern=*.py --recursive -- celery -A app worker",
     ("celery", "-A", "app", "worker")),
    ("watchmedo auto-restart -d . -p '*.py' celery -A app worker", ("celery", "-A", "app", "worker")),
    ('watchfiles "python manage.py runserver 0.0.0.0:8000" src', ("python", "manage.py", "runserver", "0.0.0.0:8000")),
    ("watchfiles --args 'check --deploy' django.core.management.execute_from_command_line",
     ("django-admin", "check", "--deploy")),
])
def test_a_file_watcher_runs_its_target_as_if_run_directly(line, runs):
    assert [command.words for command in split_line(line)] == [runs]


def test_a_file_watcher_with_no_target_runs_nothing():
    assert split_line("watchfiles --filter python") == []


FLOWER_STACK = {
    "compose.yaml": "services:\n  db:\n    image: postgres:16\n  redis:\n    image: redis:7\n"
                    "  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n    depends_on: [db, redis]\n"
                    "  flower:\n    build: .\n    command: /start-flower\n    depends_on: [redis]\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY start-flower /start-flower\n",
    "start-flower": "#!/bin/bash\nexec watchfiles --filter python celery.__main__.main \\\n"
                    "    --args \"-A app -b redis://redis:6379/0 flower --port=5556\"\n",
    "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
    "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n",
}


def test_flower_under_a_file_watcher_reads_the_broker_not_the_database(tmp_path):
    write_files(tmp_path, FLOWER_STACK)
    assert [f.message for f in lint(tmp_path) if f.code == "DJC202"] == []
    # a celery worker under the same watcher does touch the database
    write_files(tmp_path, {"start-flower": "#!/bin/bash\nexec watchfiles --filter python celery.__main__.main "
                                           "--args \"-A app worker -l INFO\"\n"})
    assert [f.line for f in lint(tmp_path) if f.code == "DJC202"] == [10]


# A FastAPI service beside the Django project: its image's ENTRYPOINT script hands over to the CMD's gunicorn, which
# loads a shim in a src layout that re-exports the FastAPI app from another module.
FASTAPI_BESIDE = {
    "compose.yaml": "services:\n  api:\n    build: .\n  web:\n    build: .\n"
                    "    command: gunicorn config.wsgi -b 0.0.0.0:8000\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY entrypoint.sh /entrypoint.sh\n"
                  "ENTRYPOINT [\"/entrypoint.sh\"]\n"
                  "CMD [\"gunicorn\", \"-k\", \"uvicorn.workers.UvicornWorker\", \"-b\", \"0.0.0.0:8000\", \"shop.web:app\"]\n",
    "entrypoint.sh": "#!/bin/sh\nset -e\nalembic upgrade head\nexec \"$@\"\n",
    "src/shop/__init__.py": "", "src/shop/web.py": "\"\"\"Kept for old imports.\"\"\"\nfrom .api.web import app\n",
    "src/shop/api/__init__.py": "", "src/shop/api/web.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "manage.py": MANAGE.replace("app.settings", "config.settings"), "config/__init__.py": "",
    "config/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
    "config/settings.py": "import os\n\nUSE_DOCKER = os.environ['USE_DOCKER']\n",
}


def test_a_server_an_entrypoint_script_hands_a_re_exported_fastapi_app_runs_no_django(tmp_path):
    write_files(tmp_path, FASTAPI_BESIDE)
    setups = discover([tmp_path])
    project = Project(setups[0], tmp_path, None, {}, siblings=setups)
    assert {service.name: project.runs_django(service) for service in project.services} == {"api": False, "web": True}
    found = [f.message for f in lint(tmp_path) if f.code == "DJC307"]
    assert len(found) == 1 and "service web does not set it" in found[0]


# CI builds docker/production/django/Dockerfile and pushes it; the production stack pulls it by the name of its
# folder, and its start script loads the production settings. The image has an ENTRYPOINT and no CMD: alone it
# starts nothing, so the manage.py default (local settings) is no deployed container's.
PUSHED_BY_CI = {
    "docker-compose.yml": "services:\n  django:\n    build:\n      context: .\n"
                          "      dockerfile: docker/local/django/Dockerfile\n    command: /start\n"
                          "    volumes:\n      - ./project:/app\n",
    "docker-compose.production.yml": "services:\n  django:\n    image: registry.gitlab.com/acme/shop/django:${CI_COMMIT_SHA}\n"
                                     "    command: /start\n",
    "docker/local/django/Dockerfile": "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\n"
                                      "COPY docker/local/django/start /start\nWORKDIR /app\n",
    "docker/local/django/start": "#!/bin/sh\nexec python manage.py runserver 0.0.0.0:8000\n",
    "docker/production/django/Dockerfile": "FROM python:3.12-slim\nCOPY docker/production/django/entrypoint /entrypoint\n"
                                           "COPY docker/production/django/start /start\nCOPY ./project /app\n"
                                           "WORKDIR /app\nUSER nobody\nENTRYPOINT [\"/entrypoint\"]\n",
    "docker/production/django/entrypoint": "#!/bin/sh\nset -e\nexec \"$@\"\n",
    "docker/production/django/start": "#!/bin/sh\nexport DJANGO_SETTINGS_MODULE=shop.settings.production\n"
                                      "gunicorn shop.wsgi -b 0.0.0.0:5000\n",
    "project/manage.py": MANAGE.replace("app.settings", "shop.settings.local"), "project/shop/__init__.py": "",
    "project/shop/wsgi.py": "", "project/shop/settings/__init__.py": "",
    "project/shop/settings/local.py": "DEBUG = True\nSECRET_KEY = 'local-only'\nALLOWED_HOSTS = ['*']\n",
    "project/shop/settings/production.py": "import os\n\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                                           "ALLOWED_HOSTS = ['shop.example']\n",
}


def test_a_stack_that_pulls_the_image_ci_pushes_runs_the_dockerfile_of_that_name(tmp_path):
    root = tmp_path / "shop"
    write_files(root, PUSHED_BY_CI)
    setups = discover([root])
    production = next(s for s in setups if s.compose_files and s.compose_files[0].name.endswith("production.yml"))
    project = Project(production, root, None, {}, siblings=setups)
    assert [(run.name, [s.path.name for s in run.settings]) for run in project.django_runs] == [
        ("service django", ["production.py"])]
    found = {(f.code, str(f.path)) for f in lint(root)}
    assert ("DJC301", "project/shop/settings/local.py") not in found  # development's, the project deploys elsewhere
    assert ("DJC411", "docker/production/django/start") in found  # the deployed start script, now read


def test_an_image_with_an_entrypoint_and_no_cmd_that_no_stack_runs_is_still_checked_alone(tmp_path):
    root = tmp_path / "shop"
    write_files(root, {path: text for path, text in PUSHED_BY_CI.items() if path != "docker-compose.production.yml"})
    setups = discover([root])
    alone = next(s for s in setups if not s.compose_files)
    assert [run.name for run in Project(alone, root, None, {}, siblings=setups).django_runs] == ["the image"]


# A compose file names Dockerfiles that were moved (docker/prod/ became docker/production/): a service named for
# Node's runtime builds no Django, the other may.
STALE_STACK = {
    "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n  django:\n    build:\n      context: .\n"
                          "      dockerfile: docker/prod/django/Dockerfile\n    command: /code/start.sh\n"
                          "    depends_on: [db]\n  nodejs:\n    build:\n      context: .\n"
                          "      dockerfile: docker/prod/nodejs/Dockerfile\n    depends_on: [django]\n",
    "docker/production/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /code\nCOPY . .\n",
    "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = False\n",
}


def test_a_service_named_for_node_with_a_dockerfile_djcheck_cannot_read_runs_no_django(tmp_path):
    write_files(tmp_path, STALE_STACK)
    setups = discover([tmp_path])
    stack = next(s for s in setups if s.compose_files)
    project = Project(stack, tmp_path, None, {}, siblings=setups)
    assert {service.name: project.runs_django(service) for service in project.services} == {
        "db": False, "django": True, "nodejs": False}


# CI builds compose/base/Dockerfile and pushes it to the project's registry (a variable); the production image
# starts from it and sets the user. The base starts nothing and no container runs it: its user is the child's to set.
BASE_IN_THE_REGISTRY = {
    "docker-compose.production.yml": "services:\n  django:\n    build:\n      context: .\n"
                                     "      dockerfile: compose/production/django/Dockerfile\n"
                                     "      args:\n        ECR_REGISTRY: ${ECR_REGISTRY:?}\n",
    "compose/base/Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir django==5.1.4 gunicorn==23.0.0\n",
    "compose/production/django/Dockerfile": "ARG ECR_REGISTRY\nFROM ${ECR_REGISTRY}/shop-base:latest\nWORKDIR /app\n"
                                            "COPY . .\nUSER nobody\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", "
                                            "\"app.wsgi\"]\n",
    "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "", "app/settings.py": "DEBUG = False\n",
}


def test_the_base_image_ci_pushes_to_the_project_s_registry_leaves_its_user_to_the_image_built_on_it(tmp_path):
    write_files(tmp_path, BASE_IN_THE_REGISTRY)
    assert [str(f.path) for f in lint(tmp_path) if f.code == "DJC108"] == []
    write_files(tmp_path, {"compose/production/django/Dockerfile":
                           BASE_IN_THE_REGISTRY["compose/production/django/Dockerfile"].replace("USER nobody\n", "")})
    assert [str(f.path) for f in lint(tmp_path) if f.code == "DJC108"] == ["compose/production/django/Dockerfile"]


def test_a_build_written_under_an_anchor_is_the_stack_s_build(tmp_path):
    """`build: &django` anchors the mapping below it (cookiecutter-django's production.yml shares it): the Dockerfile
    it names is the stack's, not an image of its own whose manage.py default (local settings) ships."""
    root = tmp_path / "shop"
    files = {path: text for path, text in PUSHED_BY_CI.items() if path != "docker-compose.production.yml"}
    write_files(root, {**files, "production.yml": "services:\n  django:\n    build: &django\n      context: .\n"
                                                  "      dockerfile: docker/production/django/Dockerfile\n"
                                                  "    command: /start\n  worker:\n    build: *django\n"
                                                  "    command: /start\n"})
    assert [setup.compose_files[0].name for setup in discover([root])] == ["docker-compose.yml", "production.yml"]
    assert ("DJC301", "project/shop/settings/local.py") not in {(f.code, str(f.path)) for f in lint(root)}


READS_ADMIN_URL = {
    "production.yml": "services:\n  django:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                      "    env_file:\n      - ./.envs/.production/.django\n",
    ".gitignore": ".envs/*\n", "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE,
    "app/__init__.py": "", "app/wsgi.py": "", "app/settings.py": "import os\nADMIN_URL = os.environ['DJANGO_ADMIN_URL']\n",
}


def test_an_empty_template_says_nothing_of_the_values(tmp_path):
    write_files(tmp_path, {**READS_ADMIN_URL, "envs_example/.production/.django": ""})
    assert [f for f in lint(tmp_path) if f.code == "DJC307"] == []
    write_files(tmp_path, {"envs_example/.production/.django": "DJANGO_DEBUG=False\n"})
    assert [f.line for f in lint(tmp_path) if f.code == "DJC307"] == [2]


def test_djc307_names_the_stack_when_the_project_has_several(tmp_path):
    write_files(tmp_path, {**READS_ADMIN_URL, ".envs/.production/.django": "DJANGO_DEBUG=False\n",
                           "local.yml": "services:\n  django:\n    build: .\n"
                                        "    command: python manage.py runserver 0.0.0.0:8000\n"})
    messages = sorted(f.message for f in lint(tmp_path) if f.code == "DJC307")
    assert len(messages) == 1 and "services django of local.yml, django of production.yml" not in messages[0]
    assert " of " in messages[0].split(" does not set")[0]


@pytest.mark.parametrize(("name", "production", "development"), [
    ("local_deploy_with_gremlin.yml", False, True), ("dev-deployment.yml", False, True),
    ("production_deploy_with_gremlin.yml", True, False), ("deploy.yml", True, False),
    ("docker-compose.deploy.yml", True, False),
])
def test_a_deployment_on_the_developer_s_machine_is_named_for_development(name, production, development):
    from djlint_docker.names import DEVELOPMENT_WORDS, PRODUCTION_WORDS

    assert (bool(PRODUCTION_WORDS.search(name)), bool(DEVELOPMENT_WORDS.search(name))) == (production, development)


def test_the_documentation_s_samples_folder_holds_the_template_of_an_env_file(tmp_path):
    write_files(tmp_path, {
        "local.yml": "services:\n  django:\n    build: .\n    env_file:\n      - .envs/.local/.gremlin\n",
        ".gitignore": ".envs/.local\n", "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE, "docs/sample_env_files/backend/local/.gremlin": "GREMLIN_URL=http://gremlin:5000\n",
        "docs/sample_env_files/backend/production/.gremlin": "GREMLIN_URL=\n"})
    assert [f for f in lint(tmp_path) if f.code == "DJC211"] == []
    (tmp_path / "docs/sample_env_files/backend/local/.gremlin").unlink()
    assert [f.line for f in lint(tmp_path) if f.code == "DJC211"] == [5]


HEROKU_GIT = {
    "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
    "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
    "Procfile": "web: gunicorn app.wsgi\n",
    "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                  "RUN pip install --no-cache-dir django gunicorn\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
    ".circleci/config.yml": "version: 2.1\njobs:\n  deploy:\n    docker:\n      - image: cimg/base:stable\n    steps:\n"
                           "      - checkout\n      - run: git push https://heroku:$HEROKU_API_KEY@git.heroku.com/"
                           "$HEROKU_APP_NAME.git main\n",
}


def test_a_pipeline_that_pushes_the_source_to_heroku_s_git_deploys_with_buildpacks(tmp_path):
    write_files(tmp_path / "git", HEROKU_GIT)
    assert [f for f in lint(tmp_path / "git") if f.code == "DJC108"] == []
    # a Procfile alone: Dokku builds the Dockerfile
    write_files(tmp_path / "dokku", {path: text for path, text in HEROKU_GIT.items() if not path.startswith(".")})
    assert [str(f.path) for f in lint(tmp_path / "dokku") if f.code == "DJC108"] == ["Dockerfile"]


def test_labels_are_read_in_either_form_and_merged_as_compose_merges_them(tmp_path):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    image: acme/web:main\n    labels:\n      - traefik.enable=true\n"
                        "      - com.centurylinklabs.watchtower.enable=true\n",
        "compose.override.yaml": "services:\n  web:\n    labels:\n      traefik.enable: 'false'\n      role: web\n"})
    setups = discover([tmp_path])
    project = Project(setups[0], tmp_path, None, {}, siblings=setups)
    assert dict(project.services[0].labels) == {"traefik.enable": "false", "role": "web",
                                                "com.centurylinklabs.watchtower.enable": "true"}


def test_a_samples_folder_holds_env_templates_not_modules(tmp_path):
    """A generator's `dd_auxfiles/manage.py` names `shop_example.ddsettings`; `shop_example/` at the top is the
    example project it generates, whose own package holds that module: no template of the module manage.py names."""
    write_files(tmp_path, {
        "dd_auxfiles/compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver\n",
        "dd_auxfiles/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
        "dd_auxfiles/manage.py": MANAGE.replace("app.settings", "shop_example.ddsettings"),
        "shop_example/manage.py": MANAGE, "shop_example/shop_example/ddsettings.py": "DEBUG = False\n"})
    assert [str(f.path) for f in lint(tmp_path) if f.code == "DJC405"] == ["dd_auxfiles/manage.py"]


def test_an_env_file_git_crypt_encrypts_is_unknown_not_unreadable(tmp_path):
    write_files(tmp_path, {**READS_ADMIN_URL, ".gitattributes": ".envs/.production/* filter=git-crypt diff=git-crypt\n",
                           ".envs/.production/.django": b"\x00GITCRYPT\x00\xd4`\x91\x8f\x02\x10\x00\x1f"})
    assert {f.code for f in lint(tmp_path)} & {"DJC002", "DJC307"} == set()
    write_files(tmp_path, {".envs/.production/.django": b"DJANGO_DEBUG=0\x00\n"})  # a NUL in plain text
    assert [f.code for f in lint(tmp_path) if f.code == "DJC002"] == ["DJC002"]


# The image's ENTRYPOINT is a script of the source the service bind-mounts; it exports the database's URL.
MOUNTED_ENTRYPOINT = {
    "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n  web:\n    build:\n      context: .\n"
                          "      dockerfile: docker/local/Dockerfile\n    command: python manage.py runserver 0.0.0.0:8000\n"
                          "    depends_on: [db]\n    volumes:\n      - .:/app\n",
    "docker/local/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install django dj-database-url\n"
                               "ENTRYPOINT [\"docker/entrypoint.sh\"]\n",
    "docker/entrypoint.sh": "#!/bin/sh\nexport DATABASE_URL=postgres://$POSTGRES_USER:$POSTGRES_PASSWORD@db:5432/app\n"
                            "exec \"$@\"\n",
    "manage.py": MANAGE, "app/__init__.py": "",
    "app/settings.py": "import dj_database_url\n\nDATABASES = {'default': dj_database_url.config("
                       "default='postgres://app:app@localhost/app')}\n",
}


def test_an_entrypoint_the_bind_mount_provides_is_read(tmp_path):
    write_files(tmp_path, MOUNTED_ENTRYPOINT)
    assert [f for f in lint(tmp_path) if f.code == "DJC306"] == []
    write_files(tmp_path, {"docker/entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n"})
    assert [f.line for f in lint(tmp_path) if f.code == "DJC306"] == [3]


# cookiecutter's production image alone (its stack cannot build it): an ENTRYPOINT, copied under another name, that
# hands over to a command the image does not have. What it loads is what that command names, not manage.py's local
# default; and a Caddy image whose comment speaks of Django's static files is no Django image.
WAITING_IMAGE = {
    "local.yml": "services:\n  django:\n    build:\n      context: .\n      dockerfile: docker/local/django/Dockerfile\n"
                 "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n",
    "docker/local/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
    "docker/production/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                           "COPY docker/production/django/entrypoint.sh /entrypoint\n"
                                           "RUN chmod +x /entrypoint\nUSER nobody\nENTRYPOINT [\"/entrypoint\"]\n",
    "docker/production/django/entrypoint.sh": "#!/bin/sh\nset -e\nexec \"$@\"",
    "docker/production/caddy/Dockerfile": "# Caddy serves the React build and the static files from django\n"
                                          "FROM caddy:2.8\nCOPY docker/production/caddy/Caddyfile /etc/caddy/Caddyfile\n",
    "docker/production/caddy/Caddyfile": ":80 {\n  reverse_proxy django:8000\n}\n",
    "manage.py": MANAGE.replace("app.settings", "shop.settings.local"), "shop/__init__.py": "", "shop/wsgi.py": "",
    "shop/settings/__init__.py": "", "shop/settings/local.py": "DEBUG = True\nALLOWED_HOSTS = ['*']\n",
    "shop/settings/production.py": "import os\n\nDEBUG = False\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"
                                   "ALLOWED_HOSTS = ['shop.example']\n",
}


def test_an_image_that_waits_for_its_command_loads_no_default_it_cannot_know(tmp_path):
    write_files(tmp_path, WAITING_IMAGE)
    setups = discover([tmp_path])
    assert sorted(str(path.relative_to(tmp_path)) for setup in setups for path in setup.dockerfiles
                  if not setup.compose_files) == ["docker/production/django/Dockerfile"]
    image = next(setup for setup in setups if not setup.compose_files)
    project = Project(image, tmp_path, None, {}, siblings=setups)
    assert [(run.name, run.settings) for run in project.django_runs] == [("the image", ())]
    assert not {(f.code, str(f.path)) for f in lint(tmp_path)} & {("DJC301", "shop/settings/local.py"),
                                                                    ("DJC304", "shop/settings/local.py")}


@pytest.mark.parametrize(("default", "reported"), [("shop.settings.production", False), ("shop.settings.local", True)])
def test_an_image_that_waits_for_its_command_loads_what_its_start_script_serves(tmp_path, default, reported):
    """It holds `/start` (gunicorn shop.wsgi), the command its stack gives it: wsgi.py's default is what it loads."""
    write_files(tmp_path, {
        **WAITING_IMAGE,
        "docker/production/django/Dockerfile": WAITING_IMAGE["docker/production/django/Dockerfile"].replace(
            "RUN chmod", "COPY docker/production/django/start /start\nRUN chmod"),
        "docker/production/django/start": "#!/bin/sh\nexec gunicorn shop.wsgi -b 0.0.0.0:5000\n",
        "shop/wsgi.py": f"import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{default}')\n"})
    found = {(f.code, str(f.path)) for f in lint(tmp_path)}
    assert (("DJC301", "shop/settings/local.py") in found) is reported
