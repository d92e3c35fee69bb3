"""Causes found on real repositories in the tenth session's review (the thirty-ninth)."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.rules.snippets import MANAGE

# A cookiecutter-django layout: `wsgi.py` defaults to production, `asgi.py` to local; the production stack serves
# `config.asgi` and reads an env file each deployment makes (`.envs/*` is gitignored; no template is committed).
START = ("#!/bin/bash\nset -o errexit\npython /app/manage.py collectstatic --noinput\n"
         "exec gunicorn config.asgi --bind 0.0.0.0:5000 --chdir=/app -k uvicorn.workers.UvicornWorker\n")
COOKIECUTTER = {
    "production.yml": "services:\n  django:\n    build:\n      context: .\n"
                      "      dockerfile: ./compose/production/django/Dockerfile\n    env_file:\n"
                      "      - ./.envs/.production/.django\n    command: /start\n",
    "local.yml": "services:\n  django:\n    build:\n      context: .\n      dockerfile: ./compose/local/django/Dockerfile\n"
                 "    volumes:\n      - .:/app\n    env_file:\n      - ./.envs/.local/.django\n"
                 "    command: python manage.py runserver 0.0.0.0:8000\n",
    "compose/production/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY compose/production/django/start "
                                            "/start\nCOPY . .\nUSER nobody\nCMD [\"/start\"]\n",
    "compose/production/django/start": START,
    "compose/local/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
    ".envs/.local/.django": "USE_DOCKER=yes\n", ".gitignore": ".envs/*\n!.envs/.local/\n", ".dockerignore": ".git\n",
    "manage.py": MANAGE.replace("app.settings", "config.settings.local"), "config/__init__.py": "",
    "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
    "config/asgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n",
    "config/settings/__init__.py": "", "config/settings/base.py": "INSTALLED_APPS = []\n",
    "config/settings/local.py": "from .base import *\n\nDEBUG = True\n",
    "config/settings/production.py": "from .base import *\n\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\n"}


def _at(root, code):
    return [(f.path, f.line) for f in lint(root) if f.code == code]


def test_an_application_server_whose_module_defaults_to_local_settings_with_an_unknown_env_file(tmp_path):
    """The env file each deployment makes names the settings module: asgi.py's development default is not it."""
    write_files(tmp_path, COOKIECUTTER)
    assert _at(tmp_path, "DJC301") == []


@pytest.mark.parametrize("env", ["DJANGO_SECRET_KEY=x\n", "DJANGO_SETTINGS_MODULE=config.settings.local\n"])
def test_a_committed_env_file_leaves_the_default_in_force(tmp_path, env):
    """The deployment's env file is in the repository and names no other module: the container runs local.py."""
    write_files(tmp_path, {**COOKIECUTTER, ".gitignore": ".envs/.production/.postgres\n",
                           ".envs/.production/.django": env})
    assert _at(tmp_path, "DJC301") == [("config/settings/local.py", 3)]


# A GitLab pipeline whose deploy job (a template of an included file) copies `docker-compose.$ENVIRONMENT.yml` to
# the server and writes its `.env` from a secret variable; the job naming the environment sets the image name.
PRODUCTION_COMPOSE = ("services:\n  api:\n    image: $REGISTRY_URL/$API_IMAGE_NAME:${API_IMAGE_TAG:-latest}\n"
                      "    env_file: .env\n    command: gunicorn config.wsgi -b 0.0.0.0:8000\n")
GITLAB = ("include: \".ci-templates.yml\"\n\nstages:\n  - deploy\n\ndeploy-production:\n  stage: deploy\n"
          "  variables:\n    ENVIRONMENT: production\n    API_IMAGE_NAME: shop/api\n  extends:\n"
          "    - .deploy-environment\n")
TEMPLATES = (".deploy-environment:\n  image: ubuntu:24.04\n  script:\n{write}"
             "    - scp docker-compose.$ENVIRONMENT.yml .env deploy@$SSH_HOST:/srv/shop\n"
             "    - ssh deploy@$SSH_HOST \"cd /srv/shop && docker compose -f docker-compose.$ENVIRONMENT.yml up -d\"\n")
DEPLOYED_BY_GITLAB = {"docker-compose.production.yml": PRODUCTION_COMPOSE, ".env.example": "API_IMAGE_TAG=latest\n",
                      ".gitignore": ".env\n", ".gitlab-ci.yml": GITLAB, "manage.py": MANAGE}


WRITE = "    - echo \"$ENV_FILE\" > .env\n"
SCRIPT = {"deploy.sh": "#!/bin/sh\ndocker compose -f docker-compose.production.yml up -d\n"}
"""A launch script that runs the file too: the file is not CI's alone, whose runner gives every variable."""


@pytest.mark.parametrize("script", [{}, SCRIPT])
def test_a_pipeline_that_writes_the_env_file_of_the_compose_file_it_names_through_a_variable(tmp_path, script):
    write_files(tmp_path, {**DEPLOYED_BY_GITLAB, **script, ".ci-templates.yml": TEMPLATES.format(write=WRITE)})
    assert _at(tmp_path, "DJC214") == []


def test_a_pipeline_that_does_not_write_the_env_file_gives_only_its_variables(tmp_path):
    """The job sets API_IMAGE_NAME; REGISTRY_URL is in no file the pipeline or the template gives."""
    write_files(tmp_path, {**DEPLOYED_BY_GITLAB, **SCRIPT, ".ci-templates.yml": TEMPLATES.format(write="")})
    assert [f.message.split("}")[0] for f in lint(tmp_path) if f.code == "DJC214"] == ["${REGISTRY_URL"]


def test_a_pipeline_that_does_not_include_the_template_does_not_run_the_file(tmp_path):
    write_files(tmp_path, {**DEPLOYED_BY_GITLAB, **SCRIPT,
                           ".gitlab-ci.yml": GITLAB.replace("include: \".ci-templates.yml\"\n", ""),
                           ".ci-templates.yml": TEMPLATES.format(write=WRITE)})
    assert len(_at(tmp_path, "DJC214")) == 2


SHORTENER = {
    "compose.yaml": "services:\n  web:\n    build: .\n    command: uvicorn shortener.app:app --host 0.0.0.0 --port 8000\n"
                    "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?}\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django fastapi uvicorn\n"
                  "USER nobody\n",
    ".dockerignore": ".git\n", "manage.py": MANAGE, "app/__init__.py": "", "shortener/__init__.py": "",
    "app/settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\n"
                       "ALLOWED_HOSTS = ['example.com']\nINSTALLED_APPS = ['django.contrib.sessions']\n"
                       "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\n"}
FASTAPI_APP = ("import os\n\nimport django\nfrom fastapi import FastAPI\n\n"
               "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\ndjango.setup()\napp = FastAPI()\n")


@pytest.mark.parametrize(("module", "failing"), [
    (FASTAPI_APP, []),
    (FASTAPI_APP.replace("from fastapi import FastAPI", "from django.core.asgi import get_asgi_application")
     .replace("app = FastAPI()", "app = get_asgi_application()"), ["security.W001", "security.W002", "security.W003"])])
def test_deploy_checks_are_for_a_server_whose_application_is_djangos(tmp_path, module, failing):
    """A FastAPI app that sets Django up for its ORM serves no Django view: no middleware of Django's is in its way."""
    write_files(tmp_path, {**SHORTENER, "shortener/app.py": module})
    assert [f.message.split()[3].rstrip(":") for f in lint(tmp_path) if f.code == "DJC310"] == failing


PROXIED = {
    "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                    "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?}\n"
                    "  nginx:\n    build: ./nginx\n    ports:\n      - 80:80\n      - 443:443\n    depends_on:\n      - web\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django gunicorn\n"
                  "USER nobody\n",
    ".dockerignore": ".git\n", "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
    "app/settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\n"
                       "ALLOWED_HOSTS = ['example.com']\nINSTALLED_APPS = ['django.contrib.sessions']\n"
                       "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware',\n"
                       "              'django.contrib.sessions.middleware.SessionMiddleware',\n"
                       "              'django.middleware.csrf.CsrfViewMiddleware',\n"
                       "              'django.middleware.clickjacking.XFrameOptionsMiddleware']\n",
    "nginx/Dockerfile": "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n",
    "nginx/nginx.conf": "server {\n    listen 80;\n    location / {\n        proxy_pass http://web:8000;\n    }\n}\n"}
CERTBOT = "  certbot:\n    image: certbot/certbot:v2.11.0\n    volumes:\n      - ./certbot:/etc/letsencrypt\n"
TLS_SERVER = ("server {\n    listen 443 ssl;\n    ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;\n"
              "    location / {\n        proxy_pass http://web:8000;\n    }\n}\n")


def _https_checks(root):
    return sorted(f.message.split()[3].rstrip(":") for f in lint(root) if f.code == "DJC310"
                  and f.message.split()[3].rstrip(":") in {"security.W004", "security.W008", "security.W012",
                                                            "security.W016"})


@pytest.mark.parametrize("extra", [{}, {"compose.yaml": PROXIED["compose.yaml"] + CERTBOT}])
def test_a_published_443_or_certbot_in_front_of_an_nginx_that_serves_plain_http(tmp_path, extra):
    """Nothing listens with TLS behind port 443, and certbot's certificates are served by nobody: the site is
    plain HTTP, and the HTTPS settings would break its logins."""
    write_files(tmp_path, {**PROXIED, **extra})
    assert _https_checks(tmp_path) == []


def test_an_nginx_that_serves_tls_makes_the_https_checks_apply(tmp_path):
    write_files(tmp_path, {**PROXIED, "nginx/nginx.conf": PROXIED["nginx/nginx.conf"] + TLS_SERVER})
    assert _https_checks(tmp_path) == ["security.W004", "security.W012", "security.W016"]  # nginx redirects itself


@pytest.mark.parametrize(("value", "expected"), [
    ("django-insecure-xxxxxxxxxxxx", True), ("django-insecure-change-me", True), ("xxxxxxxxxxxx", True),
    ("django-insecure-7&x!q2m#v0s9@l^k3w$e8r5t1y4u6i0o=p+a-s_d*f(g)h", False)])
def test_the_startproject_prefix_before_a_filler_is_a_placeholder(value, expected):
    from djlint_docker.rules.project._git import placeholder

    assert placeholder(value) is expected


def test_a_merge_key_written_twice_is_a_parse_error_not_a_hang(tmp_path):
    """ruamel refuses a second `<<:` in one mapping whatever its constructor allows, as Compose does ("mapping key
    "<<" already defined"): the file is reported and the rest is checked (djcheck once retried it for ever)."""
    write_files(tmp_path, {
        "compose.yaml": "x-base: &base\n  replicas: 1\nx-more: &more\n  labels: [a]\nservices:\n  web:\n"
                        "    build: .\n    deploy:\n      <<: *base\n      <<: *more\n",
        "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE, "app/settings.py": "DEBUG = True\n"})
    found = {(f.code, f.path, f.line) for f in lint(tmp_path)}
    assert ("DJC001", "compose.yaml", 10) in found and ("DJC301", "app/settings.py", 1) in found


PRE_WIRED = {
    "local.yml": "services:\n  django:\n    build: .\n    command: /start\n    volumes:\n      - .:/app\n"
                 "    environment:\n      REDIS_URL: redis://redis:6379/0\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY entrypoint /entrypoint\nCOPY start /start\n"
                  "ENTRYPOINT [\"/entrypoint\"]\n",
    "entrypoint": "#!/bin/bash\nset -o errexit\n{export}exec \"$@\"\n",
    "start": "#!/bin/bash\npython manage.py migrate\npython manage.py runserver 0.0.0.0:8000\n",
    "manage.py": MANAGE, "app/__init__.py": "",
    "app/settings.py": "import os\nDEBUG = True\nCELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://redis:6379/0')\n"}


@pytest.mark.parametrize("export", ["", "export CELERY_BROKER_URL=\"${REDIS_URL}\"\n"])
def test_an_entrypoint_that_sets_the_broker_variable_runs_no_celery(tmp_path, export):
    """cookiecutter-django's entrypoint exports CELERY_BROKER_URL in every container: no worker runs for it, and a
    stack with neither worker nor broker leaves the pre-wired URL unused."""
    write_files(tmp_path, {**PRE_WIRED, "entrypoint": PRE_WIRED["entrypoint"].format(export=export)})
    assert _at(tmp_path, "DJC313") == []


def test_a_worker_beside_the_pre_wired_settings_uses_the_broker(tmp_path):
    compose = PRE_WIRED["local.yml"] + "  worker:\n    build: .\n    command: celery -A app worker\n"
    compose += "    environment:\n      REDIS_URL: redis://redis:6379/0\n"
    write_files(tmp_path, {**PRE_WIRED, "local.yml": compose, "entrypoint": PRE_WIRED["entrypoint"].format(
        export="export CELERY_BROKER_URL=\"${REDIS_URL}\"\n"), "app/celery.py": "import django\n"})
    assert _at(tmp_path, "DJC313") == [("app/settings.py", 3)]


TAGGED_IMAGE = {
    "docker-compose.production.yml": "x-django: &django\n  image: shop_production_django\n  env_file:\n"
                                     "    - ./.env.production\n  command: /start\n\nservices:\n  django:\n"
                                     "    <<: *django\n    build:\n      context: .\n  migrate:\n    <<: *django\n"
                                     "    command: python /app/manage.py migrate --noinput\n",
    ".env.production": "POSTGRES_HOST=postgres\nPOSTGRES_DB=shop\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django gunicorn\n"
                  "COPY entrypoint /entrypoint\nCOPY start /start\nUSER nobody\nENTRYPOINT [\"/entrypoint\"]\n",
    "entrypoint": "#!/bin/bash\nset -o errexit\n{export}exec \"$@\"\n",
    "start": "#!/bin/bash\nexec gunicorn app.wsgi --bind 0.0.0.0:5000\n",
    ".dockerignore": ".git\n", "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
    "app/settings.py": "import os\nDEBUG = False\nDATABASE_URL = os.environ['DATABASE_URL']\n"}


@pytest.mark.parametrize(("export", "reported"), [
    ("export DATABASE_URL=\"postgres://${POSTGRES_HOST}/${POSTGRES_DB}\"\n", []),
    ("", ["services django, migrate"])])
def test_a_service_that_runs_the_image_another_builds_gets_its_entrypoint(tmp_path, export, reported):
    """`migrate` has no build of its own: it runs the image `django` builds and tags, whose entrypoint exports the
    variable the settings read."""
    write_files(tmp_path, {**TAGGED_IMAGE, "entrypoint": TAGGED_IMAGE["entrypoint"].format(export=export)})
    assert [f.message.split(" do not")[0].split("but ")[-1] for f in lint(tmp_path) if f.code == "DJC307"] == reported


@pytest.mark.parametrize(("env_file", "reported"), [(".env.prod", False), ("envs/production/.env", False),
                                                     (".env.dev", True)])
def test_a_missing_env_file_named_for_production_is_the_deployments_own(tmp_path, env_file, reported):
    """Each deployment writes its secrets into the production env file: a clone has none, by design. A development
    one that nothing documents is a fresh clone's first failure."""
    write_files(tmp_path, {"docker-compose.yml": f"services:\n  web:\n    build: .\n    env_file:\n      - {env_file}\n",
                           "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE})
    assert bool(_at(tmp_path, "DJC211")) is reported


def test_the_repositorys_own_folder_named_for_production_names_no_env_file(tmp_path):
    """`Django-Production-Ready-Template/.env`: the word is the repository's name, not the env file's."""
    root = tmp_path / "Django-Production-Ready-Template"
    write_files(root, {".git/HEAD": "ref: refs/heads/main\n", ".gitignore": ".env\n",
                       "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: .env\n",
                       "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE})
    assert _at(root, "DJC211") == [("docker-compose.yml", 4)]


def test_a_leftover_dockerfile_that_installs_no_django_is_no_application_image(tmp_path):
    """A template's production Dockerfile that nothing builds and whose requirements leave Django out: the stack's
    own image is the application's."""
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER nobody\n",
        "requirements.txt": "Django==5.1.4\ngunicorn==23.0.0\n", ".dockerignore": ".git\n",
        "compose/production/django/Dockerfile": "FROM python:3.12-slim\nCOPY requirements/production.txt /r.txt\n"
                                                "RUN pip install --no-cache-dir -r /r.txt\n"
                                                "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "requirements/production.txt": "gunicorn==23.0.0\n", "manage.py": MANAGE})
    assert _at(tmp_path, "DJC108") == []
    write_files(tmp_path, {"requirements/production.txt": "Django==5.1.4\ngunicorn==23.0.0\n"})
    assert _at(tmp_path, "DJC108") == [("compose/production/django/Dockerfile", 1)]


@pytest.mark.parametrize(("env_file", "reported"), [("/etc/env/shop.env", False), ("config/web.env", True)])
def test_an_env_file_each_deployment_makes_may_set_the_python_variables(tmp_path, env_file, reported):
    """`/etc/env/shop.env`, made on the server from a sample: it may set PYTHONUNBUFFERED, as a committed one that
    does not set it does not."""
    write_files(tmp_path, {
        "docker-compose.yml": f"services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                              f"    env_file: {env_file}\n",
        "config/web.env": "DEBUG=0\n", "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER nobody\n",
        ".dockerignore": ".git\n", "manage.py": MANAGE})
    assert bool(_at(tmp_path, "DJC104")) is reported


@pytest.mark.parametrize(("web", "reported"), [
    ("    image: acme/conf2viz:latest\n", False),  # pulled: its entrypoint may export the variable
    ("    build:\n      context: .\n      dockerfile: compose/production/django/Dockerfile\n", True)])
def test_an_image_from_a_registry_may_set_what_the_settings_read(tmp_path, web, reported):
    write_files(tmp_path, {
        "docker-compose.prod.yml": f"services:\n  django:\n{web}    command: /start\n    env_file: .envs/.django\n"
                                   "    volumes:\n      - .:/app\n    environment:\n"
                                   "      DJANGO_SETTINGS_MODULE: app.settings\n",
        ".envs/.django": "POSTGRES_HOST=postgres\n",
        "compose/production/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                                "RUN pip install --no-cache-dir django gunicorn\nUSER nobody\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "", ".dockerignore": ".git\n",
        "app/settings.py": "import os\nDEBUG = False\nDATABASE_URL = os.environ['DATABASE_URL']\n"})
    assert bool(_at(tmp_path, "DJC307")) is reported
