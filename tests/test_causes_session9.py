"""Causes found on real repositories in the ninth session's review (the thirty-fifth)."""

from __future__ import annotations

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

# `prod.yml` builds the site and names an nginx whose image only the overlays give; `prod.certbot.yml` adds that
# image (and turns HTTPS on for web), `prod.dev.yml` runs the same stack for development.
PROD = ("services:\n  nginx:\n    depends_on:\n      - web\n  web:\n    build: .\n"
        "    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n    environment:\n      - USE_HTTPS=0\n")
CERTBOT = ("services:\n  nginx:\n    image: staticfloat/nginx-certbot:1.3\n    ports:\n      - 443:443\n"
           "  web:\n    environment:\n      - USE_HTTPS=1\n")
DEV = ("services:\n  nginx:\n    build: ./nginx\n    ports:\n      - 9000:9000\n"
       "  web:\n    environment:\n      - DEBUG=1\n    volumes:\n      - ./app:/app/app\n")
OVERLAYS = {"prod.yml": PROD, "prod.certbot.yml": CERTBOT, "prod.dev.yml": DEV, "Dockerfile": APP_DOCKERFILE,
            "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = False\n"}


def test_of_two_files_that_add_to_each_other_the_one_more_files_build_on_is_the_base(tmp_path):
    write_files(tmp_path, OVERLAYS)
    stacks = {tuple(path.name for path in setup.compose_files) for setup in discover([tmp_path])}
    assert stacks == {("prod.yml", "prod.certbot.yml"), ("prod.yml", "prod.dev.yml")}


def test_an_overlay_named_for_development_makes_a_development_variant_of_production(tmp_path):
    write_files(tmp_path, OVERLAYS)
    setups = discover([tmp_path])
    reasons = {}
    for setup in setups:
        project = Project(setup, tmp_path, siblings=setups)
        [run] = project.django_runs
        reasons[setup.compose_files[-1].name] = project.development(run)
    assert reasons == {"prod.certbot.yml": None, "prod.dev.yml": "prod.dev.yml is named for development"}


def test_the_production_settings_a_development_stack_does_not_load_are_checked(tmp_path):
    """The stack runs `settings.dev`; `production.py` only star-imports `base.py`, whose DEBUG is on."""
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - .:/app\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE.replace("app.settings", "app.settings.dev"),
        "app/__init__.py": "", "app/settings/__init__.py": "",
        "app/settings/base.py": "INSTALLED_APPS = []\nDEBUG = True\n",
        "app/settings/dev.py": "from .base import *\nDEBUG = True\n",
        "app/settings/production.py": "from .base import *\n"})
    [finding] = [f for f in lint(tmp_path) if f.code == "DJC301"]
    assert (finding.path, finding.line) == ("app/settings/base.py", 2)
    assert "the production settings app/settings/production.py" in finding.message


# A Flower image that installs flower alone and keeps its CMD under an emptied ENTRYPOINT: no Django in it.
FLOWER = {"compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                          "    depends_on:\n      - db\n  db:\n    image: postgres:16\n"
                          "  flower:\n    build: ./flower\n    entrypoint: \"\"\n",
          "flower/Dockerfile": "FROM python:3.12-alpine\nRUN pip install --no-cache-dir redis==5.2.0 flower==2.0.1\n"
                               "CMD [\"celery\", \"flower\"]\n",
          "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "",
          "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"}


def test_celery_with_no_app_to_load_runs_no_django(tmp_path):
    write_files(tmp_path, FLOWER)
    [setup] = discover([tmp_path])
    project = Project(setup, tmp_path)
    flower = project.stack.services["flower"]
    assert [run.command.words for run in project.container_commands(flower, project.build_for(flower))] == [
        ("celery", "flower")]  # an empty entrypoint: the image's CMD still runs
    assert not project.runs_django(flower)
    assert project.runs_django(project.stack.services["web"])
    write_files(tmp_path, {"compose.yaml": FLOWER["compose.yaml"] + "    environment:\n      CELERY_APP: app\n"})
    [setup] = discover([tmp_path])
    project = Project(setup, tmp_path)
    assert project.runs_django(project.stack.services["flower"])  # CELERY_APP names the app


def test_an_add_on_whose_env_files_are_found_from_the_top_is_merged_onto_the_production_file_there(tmp_path):
    """`-f prod.yml -f docker/modules/backup.yml`: its paths start from the first file's folder, the top."""
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
        "prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n",
        "docker/prod/env/.db.env": "POSTGRES_DB=blog\n",
        "docker/modules/backup.yml": "services:\n  backup:\n    image: prodrigestivill/postgres-backup-local\n"
                                     "    env_file:\n      - docker/prod/env/.db.env\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE})
    stacks = {tuple(path.name for path in setup.compose_files) for setup in discover([tmp_path])}
    assert ("prod.yml", "backup.yml") in stacks
    found = {(f.code, f.path) for f in lint(tmp_path) if f.path == "docker/modules/backup.yml"}
    assert found == {("DJC209", "docker/modules/backup.yml")}  # its image is unpinned; its env file is there


def test_settings_that_dynaconf_completes_are_unknown_from_that_line_on(tmp_path):
    """`DjangoDynaconf(__name__)` sets the module's names from settings.yaml and DJANGO_* variables as it runs."""
    settings = "DEBUG = True\nALLOWED_HOSTS = ['*']\nSECRET_KEY = 'dev-key-0123456789'\n"
    dynaconf = "\nimport dynaconf  # noqa\nsettings = dynaconf.DjangoDynaconf(__name__)  # noqa\n"
    for tail, expected in (("", {"DJC301", "DJC303", "DJC304"}), (dynaconf, set())):
        root = tmp_path / str(bool(tail))
        write_files(root, {"Dockerfile": APP_DOCKERFILE + "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
                           "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": settings + tail,
                           ".dockerignore": ".git\n"})
        assert {f.code for f in lint(root)} & {"DJC301", "DJC303", "DJC304"} == expected


def test_the_databases_of_a_project_deployed_another_way_are_for_development(tmp_path):
    """A PostgreSQL and an Adminer for the Django the developer runs on the machine; Railway deploys the project."""
    stack = ("services:\n  postgres:\n    image: postgres:17\n    ports:\n      - 5432:5432\n    environment:\n"
             "      POSTGRES_PASSWORD: postgres\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
             "  adminer:\n    image: adminer\n    ports:\n      - 8080:8080\nvolumes:\n  pg:\n")
    files = {"docker-compose.yml": stack, "manage.py": MANAGE, "app/__init__.py": "",
             "app/settings.py": "DEBUG = False\nALLOWED_HOSTS = ['example.com']\n"}
    deployments = {"none": {}, "procfile": {"Procfile": "web: gunicorn app.wsgi\n"},
                   "helm-chart": {"chart/Chart.yaml": "apiVersion: v2\nname: site\nversion: 0.1.0\n"}}
    for name, deployment in deployments.items():
        root = tmp_path / name
        write_files(root, {**files, **deployment})
        found = {f.code for f in lint(root) if f.path == "docker-compose.yml"}
        # with no deployment the stack still serves the Django the developer runs on the machine: its throwaway
        # password is no problem, a port open to the network may be (Adminer follows its releases anywhere)
        assert found == ({"DJC210"} if name == "none" else set()), name


def test_requirements_that_cannot_be_parsed_leave_what_the_image_installs_unknown(tmp_path):
    """Git's conflict markers left in a requirements file: DJC001 says so; no rule guesses the packages are missing."""
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                        "  worker:\n    build: .\n    command: celery -A app worker\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements requirements\n"
                      "RUN pip install --no-cache-dir -r requirements/production.txt\nCOPY . .\n",
        "requirements/production.txt": "-r base.txt\ngunicorn==23.0.0\n",
        "requirements/base.txt": "Django==5.1.3\n<<<<<<< Updated upstream\ncelery==5.4.0\n=======\ncelery==5.3.0\n"
                                 ">>>>>>> Stashed changes\n",
        "manage.py": MANAGE, "app/__init__.py": ""})
    codes = {f.code for f in lint(tmp_path)}
    assert "DJC001" in codes and not codes & {"DJC406", "DJC415"}


# cookiecutter-django's entrypoint: the broker URL is exported from REDIS_URL, which the env file sets.
EXPORTING_ENTRYPOINT = {
    "compose.yaml": "services:\n  django:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                    "    env_file: .envs/.django\n  redis:\n    image: redis:7.4\n"
                    "  nginx:\n    build: ./nginx\n    depends_on:\n      - django\n",
    ".envs/.django": "REDIS_URL=redis://redis:6379/0\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY entrypoint.sh /entrypoint.sh\n"
                  "ENTRYPOINT [\"/entrypoint.sh\"]\n",
    "entrypoint.sh": "#!/bin/bash\nexport CELERY_BROKER_URL=\"${REDIS_URL}\"\nexec \"$@\"\n",
    "nginx/Dockerfile": "FROM nginx:1.27\nRUN apt-get update && apt-get install -y python3-certbot-nginx\n",
    "manage.py": MANAGE, "app/__init__.py": "",
    "app/settings.py": "import os\nCELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379/0')\n"}


def test_a_variable_the_entrypoint_exports_reaches_the_settings(tmp_path):
    write_files(tmp_path, EXPORTING_ENTRYPOINT)
    assert not [f for f in lint(tmp_path) if f.code == "DJC313"]
    write_files(tmp_path, {".envs/.django": "REDIS_URL=redis://localhost:6379/0\n"})
    [finding] = [f for f in lint(tmp_path) if f.code == "DJC313"]
    assert finding.message.startswith("service django: CELERY_BROKER_URL names the host localhost")


def test_an_official_nginx_image_that_installs_python_tools_runs_no_django(tmp_path):
    write_files(tmp_path, EXPORTING_ENTRYPOINT)
    [setup] = discover([tmp_path])
    project = Project(setup, tmp_path)
    assert [run.service.name for run in project.django_runs if run.service] == ["django"]


def test_a_start_script_copied_by_a_pattern_is_read(tmp_path):
    """`COPY docker/*.sh /usr/bin/` puts the entrypoint there; it waits for PostgreSQL before runserver."""
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    depends_on:\n      - db\n  db:\n    image: postgres:16\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /code\nCOPY . /code/\nCOPY docker/*.sh /usr/bin/\n"
                      "ENTRYPOINT [\"/usr/bin/entrypoint.sh\"]\n",
        "docker/entrypoint.sh": "#!/bin/bash\nuntil pg_isready -h db; do\n  sleep 1\ndone\nexec \"$@\"\n",
        "docker/other.sh": "#!/bin/sh\necho other\n", "manage.py": MANAGE})
    [setup] = discover([tmp_path])
    project = Project(setup, tmp_path)
    web = project.stack.services["web"]
    scripts = {run.script.path.name for run in project.container_commands(web, project.build_for(web)) if run.script}
    assert scripts == {"entrypoint.sh"}
    assert not [f for f in lint(tmp_path) if f.code == "DJC203"]


def test_a_worker_whose_env_file_each_clone_makes_loads_no_default_of_manage_py(tmp_path):
    """cookiecutter-django's production stack: .envs/.production/ is git-ignored with no template, and names the
    settings module; manage.py's default (local) is not what the worker runs there."""
    files = {
        "production.yml": "services:\n  django: &django\n    build: .\n    command: gunicorn config.wsgi -b 0.0.0.0:5000\n"
                          "    env_file:\n      - .envs/.production/.django\n"
                          "  celeryworker:\n    <<: *django\n    command: celery -A config worker -l INFO\n",
        ".gitignore": ".envs/.production/\n", "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE.replace("app.settings", "config.settings.local"),
        "config/__init__.py": "", "config/settings/__init__.py": "",
        "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
        "config/settings/local.py": "DEBUG = True\n",
        "config/settings/production.py": "DEBUG = False\nALLOWED_HOSTS = ['example.com']\n"}
    write_files(tmp_path, files)
    assert not [f for f in lint(tmp_path) if f.code == "DJC301"]
    write_files(tmp_path, {".gitignore": "", ".envs/.production/.django": "REDIS_URL=redis://redis:6379/0\n"})
    assert [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC301"] == [("config/settings/local.py", 1)]


HTTPS_SETTINGS = ("import os\nUSE_HTTPS = os.environ.get('USE_HTTPS') == '1'\nDEBUG = False\n"
                  "ALLOWED_HOSTS = ['example.com']\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                  "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n"
                  "if USE_HTTPS:\n    SECURE_HSTS_SECONDS = 31536000\n")
PROXY = ("services:\n  nginx:\n    image: nginxproxy/nginx-proxy:1.6\n    ports:\n      - 443:443\n"
         "  web:\n    environment:\n      - VIRTUAL_HOST=example.com\n")


def test_a_variant_that_leaves_https_off_beside_one_that_turns_it_on_is_a_choice(tmp_path):
    """`-f prod.yml -f prod.certbot.yml` turns USE_HTTPS on; `-f prod.yml -f prod.proxy.yml` ends TLS elsewhere."""
    files = {**OVERLAYS, "app/settings.py": HTTPS_SETTINGS, "prod.proxy.yml": PROXY, "app/wsgi.py": "",
             "prod.yml": PROD.replace("      - USE_HTTPS=0\n", "      - USE_HTTPS=0\n      - SECRET_KEY=${SECRET_KEY:?}\n")}
    del files["prod.dev.yml"]
    for certbot in (True, False):
        root = tmp_path / str(certbot)
        write_files(root, {name: text for name, text in files.items() if certbot or name != "prod.certbot.yml"})
        found = [f for f in lint(root) if f.code == "DJC310" and "W004" in f.message]
        assert bool(found) is not certbot


def test_a_sample_stack_that_builds_outside_the_repository_is_another_tools(tmp_path):
    """references/sample-docker-compose.yaml, pasted from someone's machine: Kafka, MinIO and images built from
    ../../Downloads; nothing of the Django project beside it."""
    sample = ("services:\n  kafka:\n    image: confluentinc/cp-kafka:7.1.9\n  minio:\n    image: minio/minio:RELEASE.2024\n"
              "  actors:\n    build:\n      context: ../../../Downloads\n      dockerfile: actors.Dockerfile\n")
    write_files(tmp_path, {"references/sample-docker-compose.yaml": sample, "Dockerfile": APP_DOCKERFILE,
                           "docker-compose.yml": "services:\n  web:\n    build: .\n", "manage.py": MANAGE})
    (tmp_path / ".git").mkdir()
    stacks = {tuple(path.name for path in setup.compose_files) for setup in discover([tmp_path])}
    assert stacks == {("docker-compose.yml",)}


def test_a_start_script_that_sources_an_env_file_each_clone_makes_leaves_the_environment_unknown(tmp_path):
    """`. ./.env` in api.sh, a file git ignores and a vault decrypts: the settings' variables may be set there."""
    files = {"docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                                   "  api:\n    build: .\n    command: ./api.sh\n    depends_on:\n      - db\n"
                                   "volumes:\n  pg:\n",
             "Dockerfile": "FROM python:3.12-slim\nWORKDIR /code\nCOPY . .\n",
             "api.sh": "#!/bin/sh\n. ./.env\nexec gunicorn -b 0.0.0.0:8000 app.wsgi\n", ".gitignore": ".env\n",
             "manage.py": MANAGE, "app/__init__.py": "",
             "app/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                                "'HOST': os.getenv('DATABASE_HOST')}}\n"}
    write_files(tmp_path, files)
    assert not [f for f in lint(tmp_path) if f.code == "DJC306"]
    write_files(tmp_path, {"api.sh": "#!/bin/sh\nexec gunicorn -b 0.0.0.0:8000 app.wsgi\n"})
    assert [f.code for f in lint(tmp_path) if f.code == "DJC306"] == ["DJC306"]
