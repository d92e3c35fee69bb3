"""Causes of false and noisy findings the hundred-twenty-sixth and later reviews found (session 41)."""

from __future__ import annotations

from pathlib import Path

from djlint_docker.discover import discover
from djlint_docker.rules.settings._https import HTTPS_CHECKS
from tests.conftest import rule_findings, write_files

APP_MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
"""A ``manage.py`` that names the ``app.settings`` module."""
APP_IMAGE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
             "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n")
"""An image of the project's, with no command of its own."""
GUNICORN_STACK = ("services:\n  web:\n    build: .\n"
                  "    command: gunicorn app.wsgi:application --bind 0.0.0.0:8000\n")
"""The project's one stack: gunicorn from the image the folder builds."""
REQUIREMENTS = "Django==5.2.1\ngunicorn==23.0.0\nenvirons==14.1.1\n"
ENVIRONS = "from environs import Env\n\nenv = Env()\nenv.read_env()\n\n"
"""Settings that read the environment with environs, as "Django for Professionals" writes them."""


def _environs_project(settings: str, compose: str = GUNICORN_STACK, **more: str) -> dict[str, str]:
    return {"docker-compose.yml": compose, "Dockerfile": APP_IMAGE, "requirements.txt": REQUIREMENTS,
            "manage.py": APP_MANAGE, "app/settings.py": ENVIRONS + settings, **more}


# -- environs ------------------------------------------------------------------------------------------------------

def test_environs_debug_on_by_default_ships(tmp_path: Path) -> None:
    write_files(tmp_path, _environs_project("DEBUG = env.bool('DJANGO_DEBUG', default=True)\n"))
    assert [(path, line, message) for path, line, message in rule_findings(tmp_path, "DJC301")] == [
        ("app/settings.py", 6, "DEBUG is True when DJANGO_DEBUG is unset: a forgotten variable ships DEBUG; "
                               "make the default off")]


def test_environs_debug_turned_off_by_the_container_is_off(tmp_path: Path) -> None:
    write_files(tmp_path, _environs_project("DEBUG = env.bool('DJANGO_DEBUG', default=True)\n",
                                            GUNICORN_STACK + "    environment:\n      DJANGO_DEBUG: 'false'\n"))
    assert rule_findings(tmp_path, "DJC301") == []


def test_environs_read_env_finds_the_env_file_above_the_settings(tmp_path: Path) -> None:
    # environs' read_env() looks for .env from the settings' folder up (django-environ's only beside them)
    settings = "SECRET_KEY = env.str('DJANGO_SECRET_KEY')\nDEBUG = False\nALLOWED_HOSTS = ['shop.example.com']\n"
    write_files(tmp_path, _environs_project(settings))
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC307")] == [("app/settings.py", 6)]
    write_files(tmp_path, {".env": "DJANGO_SECRET_KEY=7d1f0c2b9a4e8f3d6c5b1a0e9f8d7c6b5a4f3e2d1c0b9a8f\n"})
    assert rule_findings(tmp_path, "DJC307") == []


SECURE_ONLY_KEY = ("SERVER_ENVIRONMENT = env.str('SERVER_ENVIRONMENT', 'development')\n"
                   "IS_SECURE = SERVER_ENVIRONMENT in ['staging', 'production']\n"
                   "if IS_SECURE:\n    SECRET_KEY = env.str('DJANGO_SECRET_KEY')\nelse:\n"
                   "    from django.core.management.utils import get_random_secret_key\n"
                   "    SECRET_KEY = env.str('DJANGO_SECRET_KEY', default=get_random_secret_key())\n")
"""A random key only where the server is not a secure one: the variable is required on staging and production."""


def test_a_random_key_behind_an_environs_read_is_not_random_whatever_the_environment(tmp_path: Path) -> None:
    write_files(tmp_path, _environs_project(SECURE_ONLY_KEY))
    messages = [message for _, _, message in rule_findings(tmp_path, "DJC315")]
    assert messages == ["service web does not set SECRET_KEY's variable, so the key is get_random_secret_key(): a "
                        "different one in every worker and after every restart (sessions, CSRF tokens and signed "
                        "links break); read it from the environment, given to the container, without a random "
                        "fallback"]


def test_an_environs_key_the_container_gets_is_stable(tmp_path: Path) -> None:
    write_files(tmp_path, _environs_project(
        SECURE_ONLY_KEY, GUNICORN_STACK + "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?}\n"))
    assert rule_findings(tmp_path, "DJC315") == []


# -- nginx-proxy and its Let's Encrypt companion --------------------------------------------------------------------

NO_HTTPS_SETTINGS = ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
                     "ALLOWED_HOSTS = ['shop.example.com']\n"
                     "INSTALLED_APPS = ['django.contrib.sessions']\n"
                     "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware',\n"
                     "              'django.contrib.sessions.middleware.SessionMiddleware',\n"
                     "              'django.middleware.csrf.CsrfViewMiddleware']\n")


def _behind_nginx_proxy(proxy_environment: str) -> dict[str, str]:
    """The site's nginx, joined to the network of an nginx-proxy that another stack of the server runs."""
    return {"docker-compose.yml": GUNICORN_STACK + "    networks: [default]\n  nginx:\n    image: nginx:1.27\n"
                                                   "    environment:\n" + proxy_environment +
                                  "    networks: [default, proxy]\nnetworks:\n  proxy:\n    external: true\n",
            "Dockerfile": APP_IMAGE, "requirements.txt": REQUIREMENTS, "manage.py": APP_MANAGE,
            "app/settings.py": NO_HTTPS_SETTINGS}


def _checks(tmp_path: Path) -> list[str]:
    """The HTTPS checks of Django's deployment checklist DJC310 reports."""
    checks = [message.split(":")[0].rsplit(" ", 1)[-1] for _, _, message in rule_findings(tmp_path, "DJC310")]
    return [check for check in checks if check in HTTPS_CHECKS]


def test_nginx_proxy_redirects_and_sends_hsts_for_a_lets_encrypt_host(tmp_path: Path) -> None:
    write_files(tmp_path, _behind_nginx_proxy("      VIRTUAL_HOST: ${DOMAIN}\n      LETSENCRYPT_HOST: ${DOMAIN}\n"))
    # the cookies are still Django's to mark secure
    assert _checks(tmp_path) == ["security.W012", "security.W016"]


def test_nginx_proxy_told_not_to_redirect_leaves_both_to_django(tmp_path: Path) -> None:
    write_files(tmp_path, _behind_nginx_proxy("      VIRTUAL_HOST: ${DOMAIN}\n      LETSENCRYPT_HOST: ${DOMAIN}\n"
                                              "      HTTPS_METHOD: noredirect\n"))
    assert "security.W008" in _checks(tmp_path)
    assert "security.W004" in _checks(tmp_path)


def test_nginx_proxy_told_to_send_no_hsts_leaves_hsts_to_django(tmp_path: Path) -> None:
    write_files(tmp_path, _behind_nginx_proxy("      VIRTUAL_HOST: ${DOMAIN}\n      LETSENCRYPT_HOST: ${DOMAIN}\n"
                                              "      HSTS: 'off'\n"))
    assert _checks(tmp_path) == ["security.W004", "security.W012", "security.W016"]


# -- a compose file titled the development environment -------------------------------------------------------------

DATABASE_STACK = ("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: shop\n"
                  "      POSTGRES_PASSWORD: shop\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                  "  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                  "    depends_on: [db]\nvolumes:\n  pg:\n")


def _titled(title: str) -> dict[str, str]:
    return {"docker-compose.yml": f"# {'=' * 40}\n# {title}\n# {'=' * 40}\n" + DATABASE_STACK,
            "Dockerfile": APP_IMAGE, "requirements.txt": REQUIREMENTS, "manage.py": APP_MANAGE,
            "app/settings.py": "DEBUG = True\n"}


def test_a_compose_file_titled_the_development_environment_is_not_what_ships(tmp_path: Path) -> None:
    for title in ("docker-compose.yml - development environment", "Local development environment",
                  "docker-compose.yml — ambiente de DESENVOLVIMENTO", "Entorno de desarrollo"):
        write_files(tmp_path, _titled(title))
        assert rule_findings(tmp_path, "DJC207") == [], title


def test_a_compose_file_titled_the_production_environment_ships_its_password(tmp_path: Path) -> None:
    write_files(tmp_path, _titled("docker-compose.yml - production environment"))
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC207")] == [("docker-compose.yml", 9)]


# -- an override that names the images its base builds ---------------------------------------------------------------

RETAGGED_BASE = ("services:\n  django:\n    build: ./docker/django/\n    image: django:dev\n"
                 "    command: python manage.py runserver 0.0.0.0:8000\n    depends_on: [db]\n"
                 "  db:\n    build: ./docker/mysql/\n    image: mysql:dev\n    volumes:\n      - ./db:/var/lib/mysql\n"
                 "    environment:\n      - MYSQL_ROOT_PASSWORD=${MYSQL_ROOT_PASSWORD:?}\n")
RETAGGING_OVERRIDE = ("services:\n  django:\n    restart: always\n    image: django:prod\n"
                      "  db:\n    image: mysql:prod\n    restart: always\n")
"""The production file of a project whose base builds both images: it names them ``:prod``, nothing more."""


def _retagged(override: str) -> dict[str, str]:
    return {"docker-compose.yml": RETAGGED_BASE, "prod.yml": override, ".gitignore": "db/\n",
            "docker/django/Dockerfile": APP_IMAGE.replace("COPY requirements.txt .", "COPY requirements.txt ."),
            "docker/mysql/Dockerfile": "FROM mysql:8.4\n", "requirements.txt": REQUIREMENTS,
            "manage.py": APP_MANAGE, "app/settings.py": "DEBUG = False\n"}


def test_an_override_naming_the_images_its_base_builds_is_merged_with_it(tmp_path: Path) -> None:
    write_files(tmp_path, _retagged(RETAGGING_OVERRIDE))
    stacks = [tuple(path.name for path in setup.compose_files) for setup in discover([tmp_path])
              if setup.compose_files]
    assert ("docker-compose.yml", "prod.yml") in stacks and ("prod.yml",) not in stacks
    for code in ("DJC206", "DJC209", "DJC217"):
        assert [path for path, _, _ in rule_findings(tmp_path, code)] == [], code


def test_a_file_pulling_another_repository_s_image_is_a_stack_of_its_own(tmp_path: Path) -> None:
    write_files(tmp_path, _retagged(RETAGGING_OVERRIDE.replace("mysql:prod", "mariadb")))
    stacks = [tuple(path.name for path in setup.compose_files) for setup in discover([tmp_path])
              if setup.compose_files]
    assert ("prod.yml",) in stacks
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC209")] == [("prod.yml", 6)]


# -- images a script builds in a loop --------------------------------------------------------------------------------

LOOP_BUILD = ("#!/bin/bash\nIMAGES=(\"postgres\" \"django\")\n"
              "for NAME in \"${IMAGES[@]}\"; do\n  docker build -t shop/$NAME -f ./docker/$NAME/Dockerfile .\ndone\n")
"""A build script kept in ``docker/`` and run from the repository's top, one ``docker build`` for each image."""
DEBUG_UNLESS_FALSE = "import os\nDEBUG = os.environ.get('DJANGO_DEBUG', '') != 'False'\n"


def _built_in_a_loop(django_dockerfile: str) -> dict[str, str]:
    return {"docker/build.sh": LOOP_BUILD,
            "docker/compose.yml": "services:\n  db:\n    image: shop/postgres\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                                  "  web:\n    image: shop/django\n    depends_on:\n      db:\n"
                                  "        condition: service_healthy\nvolumes:\n  pg:\n",
            "docker/postgres/Dockerfile": "FROM postgres:16\n"
                                          "HEALTHCHECK --interval=5s CMD pg_isready -U postgres || exit 1\n",
            "docker/django/Dockerfile": django_dockerfile, ".env_prod": "DJANGO_DEBUG=False\n",
            "backend/requirements.txt": REQUIREMENTS, "backend/manage.py": APP_MANAGE,
            "backend/app/settings.py": DEBUG_UNLESS_FALSE, "backend/app/wsgi.py": "",
            "backend/app/__init__.py": ""}


LOOP_BUILT_IMAGE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY ./backend/requirements.txt .\n"
                    "RUN pip install --no-cache-dir -r requirements.txt\nCOPY ./backend/manage.py /app/manage.py\n"
                    "COPY ./backend/app /app/app\nCOPY ./.env_prod /build/.env_prod\nENV DJANGO_DEBUG=False\n"
                    "CMD [\"gunicorn\", \"app.wsgi:application\", \"--bind\", \"0.0.0.0:8000\"]\n")


def test_the_image_a_loop_tags_carries_its_env_to_the_service_that_pulls_it(tmp_path: Path) -> None:
    write_files(tmp_path, _built_in_a_loop(LOOP_BUILT_IMAGE))
    assert rule_findings(tmp_path, "DJC301") == []


def test_the_image_a_loop_tags_without_the_env_ships_debug(tmp_path: Path) -> None:
    write_files(tmp_path, _built_in_a_loop(LOOP_BUILT_IMAGE.replace("ENV DJANGO_DEBUG=False\n", "")))
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC301")] == [("backend/app/settings.py", 2)]


def test_images_a_loop_tags_are_built_here_not_pulled(tmp_path: Path) -> None:
    write_files(tmp_path, _built_in_a_loop(LOOP_BUILT_IMAGE))
    assert rule_findings(tmp_path, "DJC209") == []


def test_a_dockerfile_copying_a_dotfile_is_built_from_the_folder_that_holds_it(tmp_path: Path) -> None:
    write_files(tmp_path, _built_in_a_loop(LOOP_BUILT_IMAGE))
    dockerfile = tmp_path / "docker/django/Dockerfile"
    contexts = [setup.context_of(dockerfile) for setup in discover([tmp_path]) if dockerfile in setup.dockerfiles]
    assert contexts == [tmp_path]


def test_a_database_image_with_its_own_healthcheck_can_be_waited_on(tmp_path: Path) -> None:
    write_files(tmp_path, _built_in_a_loop(LOOP_BUILT_IMAGE))
    assert rule_findings(tmp_path, "DJC203") == []


def test_a_database_image_without_a_healthcheck_cannot_be_waited_on(tmp_path: Path) -> None:
    write_files(tmp_path, {**_built_in_a_loop(LOOP_BUILT_IMAGE), "docker/postgres/Dockerfile": "FROM postgres:16\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC203")] == [("docker/compose.yml", 9)]


def test_a_built_database_with_a_healthcheck_in_its_dockerfile_can_be_waited_on(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  db:\n    build: ./docker/postgres\n    volumes:\n"
                              "      - pg:/var/lib/postgresql/data\n  web:\n    build: .\n"
                              "    command: sh -c 'python manage.py migrate && gunicorn app.wsgi -b 0.0.0.0:8000'\n"
                              "    depends_on:\n      db:\n        condition: service_healthy\nvolumes:\n  pg:\n",
        "docker/postgres/Dockerfile": "FROM postgres:16\nHEALTHCHECK CMD pg_isready -U postgres\n",
        "Dockerfile": APP_IMAGE, "requirements.txt": REQUIREMENTS, "manage.py": APP_MANAGE,
        "app/settings.py": "DEBUG = False\n"})
    assert rule_findings(tmp_path, "DJC203") == []


SERVICES_FOR_THE_HOST = ("# For development where devcontainer is not available\nservices:\n  db:\n"
                         "    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n"
                         "    ports:\n      - 5432:5432\n    volumes:\n      - pg:/var/lib/postgresql/data\n"
                         "  redis:\n    image: redis:7\n    ports:\n      - 6379:6379\nvolumes:\n  pg:\n")
"""The database and cache of a Django the developer runs on the host; the project's image ships on its own."""


def test_a_database_stack_for_development_keeps_the_deployed_image_s_findings(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": SERVICES_FOR_THE_HOST,
        "Dockerfile": APP_IMAGE + "CMD [\"gunicorn\", \"app.wsgi\", \"--bind\", \"0.0.0.0:8000\"]\n",
        "requirements.txt": REQUIREMENTS, "manage.py": APP_MANAGE, "app/settings.py": "DEBUG = False\n",
        "app/wsgi.py": ""})
    assert rule_findings(tmp_path, "DJC207") == []
    assert rule_findings(tmp_path, "DJC210") == []
    # the image is not the stack's: it runs as root wherever it is deployed
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC108")] == [("Dockerfile", 1)]


def _settings_chosen_by_the_env_file(env_file: str) -> dict[str, str]:
    """manage.py defaults to the developer's own settings; the container's env file names production's."""
    return {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: .env\n"
                              "    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n    depends_on: [db]\n"
                              "  db:\n    image: postgres:16\n    env_file: .env\n",
        ".env": env_file, "Dockerfile": APP_IMAGE, "requirements.txt": REQUIREMENTS,
        "manage.py": APP_MANAGE.replace("app.settings", "app.settings.local"), "app/settings/__init__.py": "",
        "app/settings/local.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop',"
                                 " 'USER': 'shop', 'PASSWORD': '1134', 'HOST': 'localhost'}}\n",
        "app/settings/prod.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                                "'NAME': 'shop', 'USER': 'shop', 'PASSWORD': os.environ['DB_PASSWORD'], "
                                "'HOST': 'db'}}\n"}


def test_the_settings_manage_py_defaults_to_are_not_run_where_the_env_file_names_others(tmp_path: Path) -> None:
    write_files(tmp_path, _settings_chosen_by_the_env_file("DJANGO_SETTINGS_MODULE=app.settings.prod\n"
                                                           "DB_PASSWORD=${POSTGRES_PASSWORD}\n"))
    assert rule_findings(tmp_path, "DJC311") == []


def test_the_settings_manage_py_defaults_to_run_where_nothing_names_others(tmp_path: Path) -> None:
    write_files(tmp_path, _settings_chosen_by_the_env_file("POSTGRES_PASSWORD=${POSTGRES_PASSWORD}\n"))
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC311")] == [("app/settings/local.py", 1)]


ASSETS_WATCHER = ("FROM node:20\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends "
                  "python3-pip && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir pywatchman\n"
                  "RUN yarn global add ember-cli\nCMD [\"ember\", \"serve\"]\n")
"""A frontend's watcher on Node, with the pip package ember's file watcher needs."""


def _beside_a_frontend_watcher(assets_dockerfile: str) -> dict[str, str]:
    return {"docker-compose.yml": GUNICORN_STACK + "  assets:\n    build: ./assets\n    volumes:\n"
                                                   "      - ./frontend:/app\n",
            "assets/Dockerfile": assets_dockerfile,
            "Dockerfile": APP_IMAGE.replace("FROM python:3.12-slim\n", "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n")
            + "RUN useradd app\nUSER app\n",
            "requirements.txt": REQUIREMENTS, "manage.py": APP_MANAGE, "app/settings.py": "DEBUG = False\n"}


def test_a_node_image_with_a_python_tool_is_the_frontend_s(tmp_path: Path) -> None:
    write_files(tmp_path, _beside_a_frontend_watcher(ASSETS_WATCHER))
    assert rule_findings(tmp_path, "DJC104") == []
    assert rule_findings(tmp_path, "DJC108") == []


def test_a_node_image_that_installs_django_is_checked(tmp_path: Path) -> None:
    write_files(tmp_path, _beside_a_frontend_watcher(ASSETS_WATCHER.replace("pywatchman", "pywatchman Django==5.2.1")))
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC104")] == [("assets/Dockerfile", 1)]


def test_a_settings_module_git_ignores_is_reported_once_as_ignored(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n"
                              "  worker:\n    build: .\n    command: celery -A app worker\n",
        "Dockerfile": APP_IMAGE, "requirements.txt": REQUIREMENTS + "celery==5.4.0\n", ".gitignore": "settings.py\n",
        "manage.py": APP_MANAGE, "app/__init__.py": "from .celery import app as celery_app\n",
        "app/celery.py": "import os\nfrom celery import Celery\n"
                         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\napp = Celery('app')\n",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"})
    found = [(path, message) for path, _, message in rule_findings(tmp_path, "DJC405")]
    assert len(found) == 1 and "but git ignores app/settings.py and nothing in the project says how to make it" \
        in found[0][1], found


def test_a_container_whose_dockerfile_is_missing_may_get_the_variable_from_its_entrypoint(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build:\n      context: .\n"
                              "      dockerfile: compose/django/Dockerfile-dev\n"
                              "    command: python manage.py runserver 0.0.0.0:8000\n",
        "compose/django/entrypoint.sh": "#!/bin/sh\nexport DATABASE_URL=postgres://app@db/app\nexec \"$@\"\n",
        "requirements.txt": REQUIREMENTS, "manage.py": APP_MANAGE,
        "app/settings.py": "import os\nDATABASE_URL = os.environ['DATABASE_URL']\n"})
    assert [code for code in ("DJC002", "DJC307") if rule_findings(tmp_path, code)] == ["DJC002"]


def test_a_deployed_image_naming_a_missing_module_loads_no_development_settings(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile-dev\n"
                              "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n",
        "Dockerfile-dev": APP_IMAGE,
        "compose/production/Dockerfile": APP_IMAGE + "ENV DJANGO_SETTINGS_MODULE=app.settings.production\n"
                                                     "CMD [\"gunicorn\", \"app.wsgi\", \"--bind\", \"0.0.0.0:8000\"]\n",
        "requirements.txt": REQUIREMENTS, "manage.py": APP_MANAGE.replace("app.settings", "app.settings.local"),
        "app/settings/__init__.py": "", "app/wsgi.py": "",
        "app/settings/local.py": "import os\nDEBUG = os.environ.get('DJANGO_DEBUG', 'True') == 'True'\n"})
    # the production image is broken (DJC405), and what it would load is no development module
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC405")] == [("compose/production/Dockerfile", 6)]
    assert rule_findings(tmp_path, "DJC301") == []


def _chosen_by_name(value: str) -> dict[str, str]:
    """Settings that load production's module for one spelling of the environment's name, local's for any other."""
    return {"docker-compose.prod.yml": GUNICORN_STACK + f"    environment:\n      DJANGO_ENV: {value}\n",
            "Dockerfile": APP_IMAGE, "requirements.txt": REQUIREMENTS, "manage.py": APP_MANAGE,
            "app/settings/__init__.py": "import os\nENV = os.getenv('DJANGO_ENV', 'dev')\nif ENV == 'prod':\n"
                                        "    from .production import *\nelse:\n    from .local import *\n",
            "app/settings/production.py": "DEBUG = False\nALLOWED_HOSTS = ['shop.example.com']\n",
            "app/settings/local.py": "DEBUG = True\n", "app/wsgi.py": ""}


def test_a_deployed_container_that_misspells_the_environment_runs_the_local_branch(tmp_path: Path) -> None:
    write_files(tmp_path, _chosen_by_name("production"))
    assert [(path, line, message) for path, line, message in rule_findings(tmp_path, "DJC301")] == [
        ("app/settings/local.py", 1, "`DEBUG = True` where service web runs it: the container sets "
                                     "DJANGO_ENV=production, and `ENV == 'prod'` is false, so the settings take this "
                                     "branch; read it from the environment, default off")]


def test_a_deployed_container_that_names_the_environment_runs_production(tmp_path: Path) -> None:
    write_files(tmp_path, _chosen_by_name("prod"))
    assert rule_findings(tmp_path, "DJC301") == []
