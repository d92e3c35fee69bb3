"""Causes of false findings and untrue messages the ninety-third blind review found (session 31)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import djcheck, rule_findings, write_files

SERVER_BUILD = ("services:\n  django:\n    build:\n      context: ./server/\n      dockerfile: Dockerfile\n"
                "      additional_contexts:\n        parent: ./\n    command: /start-django\n")
SERVER_DOCKERFILE = ("FROM node:22-slim AS assets\nWORKDIR /app\nCOPY --from=parent ./frontend/package*.json .\n"
                     "RUN npm ci\nCOPY --from=parent ./frontend .\nRUN npm run build\n\n"
                     "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /bin/uv\n"
                     "COPY --from=parent pyproject.toml uv.lock /_lock/\nCOPY --from=parent docker/start /start-django\n")


def test_copy_from_a_context_compose_names_is_no_image(tmp_path: Path) -> None:
    write_files(tmp_path, {"docker-compose.yml": SERVER_BUILD, "server/Dockerfile": SERVER_DOCKERFILE,
                           "server/manage.py": "import os\n"})
    assert rule_findings(tmp_path, "DJC106") == []


def test_the_same_name_without_the_context_is_an_image(tmp_path: Path) -> None:
    compose = SERVER_BUILD.replace("      additional_contexts:\n        parent: ./\n", "")
    write_files(tmp_path, {"docker-compose.yml": compose, "server/Dockerfile": SERVER_DOCKERFILE,
                           "server/manage.py": "import os\n"})
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC106")] == [3, 5, 10, 11]


def test_a_context_named_in_a_list_and_in_another_stack_counts(tmp_path: Path) -> None:
    compose = SERVER_BUILD.replace("      additional_contexts:\n        parent: ./\n", "")
    write_files(tmp_path, {"docker-compose.yml": compose, "server/Dockerfile": SERVER_DOCKERFILE,
                           "docker-compose.prod.yml": SERVER_BUILD.replace("        parent: ./\n",
                                                                           "        - parent=./\n"),
                           "server/manage.py": "import os\n"})
    findings = rule_findings(tmp_path, "DJC106")
    assert findings == [], findings


def test_a_latest_image_beside_a_named_context_is_still_reported(tmp_path: Path) -> None:
    dockerfile = SERVER_DOCKERFILE.replace("uv:0.5.11", "uv:latest")
    write_files(tmp_path, {"docker-compose.yml": SERVER_BUILD, "server/Dockerfile": dockerfile,
                           "server/manage.py": "import os\n"})
    [(path, line, message)] = rule_findings(tmp_path, "DJC106")
    assert (path, line) == ("server/Dockerfile", 9) and ":latest" in message


DECOUPLE_SETTINGS = ("from decouple import config\n\nSECRET_KEY = config('SECRET_KEY')\n"
                     "DEBUG = config('DEBUG', 'False')\nALLOWED_HOSTS = ['shop.example.com']\n")


def test_a_string_default_says_it_is_a_string_and_true(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"shop.wsgi\"]\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
        "shop/__init__.py": "", "shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                                 "'shop.settings')\n",
        "shop/settings.py": DECOUPLE_SETTINGS,
    })
    [(path, line, message)] = rule_findings(tmp_path, "DJC301")
    assert (path, line) == ("shop/settings.py", 4)
    assert "the string 'False' when DEBUG is unset, and any string but '' is true" in message


def _platform_switch(variable: str) -> dict[str, str]:
    return {
        "Dockerfile": "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                      "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "requirements.txt": "django>=5.2,<6\n",
        "build.sh": "#!/usr/bin/env bash\nset -o errexit\npip install -r requirements.txt\n"
                    "python manage.py collectstatic --no-input\npython manage.py migrate\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": f"import os\n\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                              f"DEBUG = '{variable}' not in os.environ\nALLOWED_HOSTS = ['shop.example.com']\n",
    }


def test_debug_off_where_a_hosting_platform_runs_it_is_not_reported(tmp_path: Path) -> None:
    write_files(tmp_path, _platform_switch("RENDER"))
    assert rule_findings(tmp_path, "DJC301") == []


def test_debug_off_only_when_a_variable_of_the_project_is_set_names_it(tmp_path: Path) -> None:
    write_files(tmp_path, _platform_switch("PRODUCTION"))
    [(path, line, message)] = rule_findings(tmp_path, "DJC301")
    assert (path, line) == ("mysite/settings.py", 4)
    assert message.startswith("DEBUG is True when PRODUCTION is unset")


CELERY_FROM_DOTENV = {
    "docker-compose.yml": "services:\n  celery_worker:\n    build: ./server\n    depends_on:\n      - postgres\n"
                          "    environment:\n      - DATABASE_URL=postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@"
                          "${POSTGRES_HOST}/${POSTGRES_DB}\n    command: [\"celery\", \"-A\", \"config\", \"worker\"]\n"
                          "  postgres:\n    image: postgres:16\n    environment:\n      - POSTGRES_DB=${POSTGRES_DB}\n",
    ".gitignore": "*.env\n",
    "server/Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n",
    "server/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "server/config/__init__.py": "", "server/config/celery.py": "from celery import Celery\napp = Celery('config')\n",
    "server/config/settings.py": "import dj_database_url\nSECRET_KEY = 'x'\n"
                                 "DATABASES = {'default': dj_database_url.config(conn_max_age=60)}\n",
}


def test_a_url_compose_interpolates_from_a_dotenv_nobody_committed_is_unknown(tmp_path: Path) -> None:
    write_files(tmp_path, CELERY_FROM_DOTENV)
    assert rule_findings(tmp_path, "DJC306") == []


def test_with_its_template_the_dotenv_values_are_read(tmp_path: Path) -> None:
    write_files(tmp_path, {**CELERY_FROM_DOTENV, ".env.example": "POSTGRES_USER=shop\nPOSTGRES_PASSWORD=x\n"
                                                                "POSTGRES_HOST=localhost\nPOSTGRES_DB=shop\n"})
    [(path, line, message)] = rule_findings(tmp_path, "DJC306")
    assert path == "server/config/settings.py" and "HOST is localhost" in message


def test_a_release_variant_of_a_template_is_made_from_it(tmp_path: Path) -> None:
    compose = ("services:\n  backend:\n    image: backend\n    env_file:\n      - ../dotenv/.env.{}\n"
               "    ports:\n      - \"80:80\"\n")
    write_files(tmp_path, {"docker-compose/rel.yml": compose.format("rel"),
                           "docker-compose/nightly.yml": compose.format("nightly"),
                           "dotenv/.env.example": "SECRET_KEY=\n", ".gitignore": ".env*\n!.env.example\n",
                           "manage.py": "import os\n"})
    # a release's copy of the template is made from it; a name that is no deployment is still missing
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC211")] == [("docker-compose/nightly.yml", 5)]


def test_runserver_started_as_a_module_is_runserver(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install --no-cache-dir poetry==1.8.5 "
                      "&& poetry install\nEXPOSE 8000\n"
                      "CMD [\"poetry\", \"run\", \"python\", \"-m\", \"manage\", \"runserver\", \"127.0.0.1:8000\"]\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'calc.settings')\n",
    })
    [(path, line, message)] = rule_findings(tmp_path, "DJC101")
    assert (path, line) == ("Dockerfile", 6) and "127.0.0.1:8000" in message
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC102")] == [6]


def test_a_module_named_manage_without_runserver_is_no_server(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"-m\", \"manage\", \"migrate\"]\n",
        "manage.py": "import os\n",
    })
    assert rule_findings(tmp_path, "DJC101") == [] and rule_findings(tmp_path, "DJC102") == []


def _decouple_cache(dockerignore: str, volumes: str) -> dict[str, str]:
    return {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn config.wsgi -b 0.0.0.0:8000\n"
                              f"{volumes}    depends_on:\n      - redis\n  redis:\n    image: redis:7.4\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
        ".dockerignore": dockerignore, ".gitignore": ".env\n", "requirements.txt": "django>=5.2,<6\n",
        ".env.example": "REDIS_URL=redis://localhost:6379/0\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
        "config/__init__.py": "", "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                                    "'config.settings')\n",
        "config/settings.py": "from decouple import config\nSECRET_KEY = config('SECRET_KEY')\n"
                              "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n"
                              "                      'LOCATION': config('REDIS_URL', 'redis://redis:6379/0')}}\n",
    }


def test_an_env_file_the_image_leaves_out_and_nothing_mounts_gives_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, _decouple_cache(".git\n.env\n", ""))
    assert rule_findings(tmp_path, "DJC313") == []


def test_the_same_env_file_mounted_with_the_source_gives_its_template(tmp_path: Path) -> None:
    write_files(tmp_path, _decouple_cache(".git\n.env\n", "    volumes:\n      - .:/app\n"))
    [(path, line, message)] = rule_findings(tmp_path, "DJC313")
    assert path == "config/settings.py" and "localhost" in message


def test_a_placeholder_in_another_language_is_no_committed_secret(tmp_path: Path) -> None:
    write_files(tmp_path, {"docker-compose.prod.yml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n",
                           "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "manage.py": "import os\n",
                           ".gitignore": ".env\n", ".env.prod": "SECRET_KEY=замени_на_свой\nDB_PASSWORD=starburger\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC412")] == [(".env.prod", 2)]


def _image_run_from_elsewhere(template: str) -> dict[str, str]:
    return {"Dockerfile.prod": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                               "RUN pip install --no-cache-dir -r requirements.txt\nCOPY src .\n"
                               "CMD [\"gunicorn\", \"pong.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n",
            ".env.sample": template, "requirements.txt": "django>=5.2,<6\ngunicorn==23.0.0\n",
            "src/manage.py": "import os\n", ".gitignore": ".env*\n!.env.sample\n",
            "src/pong/views.py": "def log(event):\n    print('game', event)\n"}


def test_an_image_no_compose_runs_takes_what_its_env_template_sets(tmp_path: Path) -> None:
    write_files(tmp_path, _image_run_from_elsewhere("PYTHONUNBUFFERED=1\nSECRET_KEY=\n"))
    assert rule_findings(tmp_path, "DJC104") == []


def test_an_env_template_without_the_variable_does_not_set_it(tmp_path: Path) -> None:
    write_files(tmp_path, _image_run_from_elsewhere("SECRET_KEY=\n"))
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC104")] == [("Dockerfile.prod", 1)]


def test_a_python_image_never_built_on_buster_says_so(tmp_path: Path) -> None:
    dockerfile = ("FROM python:{}-slim-buster\nRUN apt-get update && apt-get install -y --no-install-recommends "
                  "libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY . /app\n")
    write_files(tmp_path, {"Dockerfile": dockerfile.format("3.12.4"), "manage.py": "import os\n"})
    [(_, line, message)] = rule_findings(tmp_path, "DJC118")
    assert line == 1 and "was never published" in message and "404" not in message
    write_files(tmp_path, {"Dockerfile": dockerfile.format("3.11.4")})  # built on buster, off the mirrors now
    [(_, line, message)] = rule_findings(tmp_path, "DJC118")
    assert "404 Not Found" in message


def test_a_misspelt_template_is_a_template_not_a_committed_env_file(tmp_path: Path) -> None:
    files = {"docker-compose.yml": "services:\n  web:\n    build: ./src\n    env_file: .env\n",
             "src/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "src/manage.py": "import os\n",
             ".gitignore": ".env\n", ".env.exapmle": "SECRET_KEY=django-insecure-change-me-7f3\nSQL_PASSWORD=pass_django\n"}
    write_files(tmp_path, files)
    assert rule_findings(tmp_path, "DJC412") == [] and rule_findings(tmp_path, "DJC211") == []


def test_a_plain_env_file_beside_an_image_no_compose_runs_does_not_set_it(tmp_path: Path) -> None:
    files = _image_run_from_elsewhere("SECRET_KEY=\n")
    write_files(tmp_path, {**files, ".env": "PYTHONUNBUFFERED=1\n"})  # the development stack's own file
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC104")] == [("Dockerfile.prod", 1)]


def test_the_fix_binds_a_module_started_runserver_once(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\n"
                      "CMD [\"python\", \"-m\", \"manage\", \"runserver\", \"127.0.0.1:8000\"]\n",
        "manage.py": "import os\n",
    })
    djcheck(["--fix", "--exit-zero", "--select", "DJC101", "."], tmp_path)
    fixed = (tmp_path / "Dockerfile").read_text()
    assert fixed.endswith('CMD ["python", "-m", "manage", "runserver", "0.0.0.0:8000"]\n')
    djcheck(["--fix", "--exit-zero", "--select", "DJC101", "."], tmp_path)
    assert (tmp_path / "Dockerfile").read_text() == fixed and rule_findings(tmp_path, "DJC101") == []
