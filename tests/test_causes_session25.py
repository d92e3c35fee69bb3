"""The causes the twenty-fifth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import rule_findings as _found
from conftest import write_files

from djlint_docker.rules.snippets import MANAGE

CELERY_IMAGE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
DOTENV_SETTINGS = '''import os

from dotenv import find_dotenv, load_dotenv

load_dotenv(find_dotenv())

IN_DOCKER = bool(int(os.environ.get("IN_DOCKER", "0")))
REDIS_HOST = os.environ.get("REDIS_HOST") if IN_DOCKER else "127.0.0.1"
CELERY_BROKER_URL = f"redis://{REDIS_HOST}:6379/0"
'''
WORKER_STACK = ("services:\n  redis:\n    image: redis:7\n  worker:\n    build: .\n"
                "    command: celery -A app worker\n    depends_on:\n      - redis\n")


def test_a_broker_host_from_an_env_file_the_settings_load_that_each_clone_makes_is_unknown(tmp_path: Path) -> None:
    """The settings `load_dotenv()` the gitignored `.env` the README has each user make, and `COPY . .` puts it in
    the image: whether the worker runs "in Docker" (and so which host it names) is in that file, unknown to djcheck.
    With the file's variable set in the container the host is known, and 127.0.0.1 is reported."""
    write_files(tmp_path, {
        "manage.py": MANAGE, "Dockerfile": CELERY_IMAGE, "compose.yaml": WORKER_STACK, ".gitignore": ".env\n",
        "requirements.txt": "django\ncelery\nredis\npython-dotenv\n", "app/__init__.py": "",
        "app/celery.py": "from celery import Celery\napp = Celery('app')\n", "app/settings.py": DOTENV_SETTINGS})
    assert _found(tmp_path, "DJC313") == []
    write_files(tmp_path, {"compose.yaml": WORKER_STACK.replace("    depends_on:", "    environment:\n"
                                                                "      IN_DOCKER: '0'\n    depends_on:")})
    assert [m for _, _, m in _found(tmp_path, "DJC313") if "127.0.0.1" in m]


DEPLOY_SETTINGS = ("import os\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['example.com']\n"
                   "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n")
GUNICORN_IMAGE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
                  "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n")


def _https_checks(tmp_path: Path, proxy: str, config_path: str, config: str) -> list[str]:
    """The HTTPS checks DJC310 reports on a Django image behind ``proxy`` (a compose service), configured by the
    file ``config_path``."""
    compose = f"services:\n{proxy}  web:\n    build: .\n    environment:\n      SECRET_KEY: ${{SECRET_KEY:?}}\n"
    write_files(tmp_path, {"manage.py": MANAGE, "Dockerfile": GUNICORN_IMAGE, "compose.yaml": compose,
                           "requirements.txt": "django==5.1.3\ngunicorn==23.0.0\n", "app/__init__.py": "",
                           "app/settings.py": DEPLOY_SETTINGS, config_path: config})
    return sorted(code for _, _, message in _found(tmp_path, "DJC310")
                  for code in ("W004", "W008", "W012", "W016") if code in message)


def test_an_nginx_folder_mounted_whole_that_listens_on_plain_http_alone_serves_no_https(tmp_path: Path) -> None:
    """nginx gets its configuration from a folder mounted over conf.d (`./docker/nginx:/etc/nginx/conf.d`) that
    listens on port 80 alone: a published 443 has nothing behind it, and the site is plain HTTP. With `listen 443
    ssl` in that folder HSTS is reported (the redirect is the TLS proxy's)."""
    nginx = ("  nginx:\n    image: nginx:1.27\n    ports:\n      - 80:80\n      - 443:443\n"
             "    volumes:\n      - ./docker/nginx:/etc/nginx/conf.d\n")
    server = "server {\n    listen 80;\n    server_name 203.0.113.7;\n    location / { proxy_pass http://web:8000; }\n}\n"
    assert _https_checks(tmp_path, nginx, "docker/nginx/203.0.113.7.conf", server) == []
    assert _https_checks(tmp_path, nginx, "docker/nginx/203.0.113.7.conf",
                         server.replace("listen 80;", "listen 443 ssl;")) == ["W004"]


def test_a_caddy_site_on_an_ip_address_and_port_serves_plain_http(tmp_path: Path) -> None:
    """Caddy turns on HTTPS for a host name; a site address that is an IP address with a port (`0.0.0.0:8080`) is
    served over plain HTTP. A Caddyfile naming the domain is a TLS proxy: HSTS is reported."""
    caddy = ("  caddy:\n    image: abiosoft/caddy:1.0.3-no-stats\n    ports:\n      - 8083:8080\n"
             "    volumes:\n      - ./Caddyfile:/etc/Caddyfile\n")
    caddyfile = "0.0.0.0:8080 {\n    proxy / http://web:8000\n    log stdout\n}\n"
    assert _https_checks(tmp_path, caddy, "Caddyfile", caddyfile) == []
    assert _https_checks(tmp_path, caddy, "Caddyfile", caddyfile.replace("0.0.0.0:8080", "example.com")) == ["W004"]


def test_a_stack_whose_image_installs_another_framework_and_runs_its_app_by_script_is_no_django_setup(
        tmp_path: Path) -> None:
    """A Flask app: the Dockerfile `pip3 install`s flask and gunicorn, its entrypoint script serves `app:app`, and
    the compose file names a SECRET_KEY. No Django file anywhere: djcheck finds no Django setup. The same image
    installing Django is one."""
    dockerfile = ("FROM ubuntu:22.04\nWORKDIR /app\nRUN apt-get update && apt-get install -y python3-pip\n"
                  "RUN pip3 install flask gunicorn PyMySQL\nCOPY ./src /app\nENTRYPOINT [\"/app/entrypoint.sh\"]\n")
    write_files(tmp_path, {
        "Dockerfile": dockerfile, "src/app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "src/entrypoint.sh": "#!/bin/sh\nexec gunicorn -b 0.0.0.0:8000 'app:app'\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: secret_key\n"})
    assert _found(tmp_path, "DJC207") == []
    write_files(tmp_path, {"Dockerfile": dockerfile.replace("flask gunicorn", "django gunicorn")})
    assert _found(tmp_path, "DJC207")


def test_an_image_that_serves_a_streamlit_app_is_not_djangos(tmp_path: Path) -> None:
    """Beside the Django image, `uv run streamlit run frontend/main.py` serves a Streamlit frontend: the Python image
    rules for Django's containers (PYTHONUNBUFFERED, root) leave it alone; its Dockerfile hygiene stays reported."""
    streamlit = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\n"
                 "COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY . .\n"
                 "CMD [\"uv\", \"run\", \"streamlit\", \"run\", \"frontend/main.py\"]\n")
    write_files(tmp_path, {
        "manage.py": MANAGE, "Dockerfile": GUNICORN_IMAGE.replace("FROM python:3.12-slim",
                                                                 "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1"),
        "Dockerfile.streamlit": streamlit, "requirements.txt": "django==5.1.3\ngunicorn==23.0.0\n",
        "pyproject.toml": "[project]\nname = 'tracker'\nversion = '1'\ndependencies = ['django', 'streamlit']\n",
        "uv.lock": "version = 1\n", "app/__init__.py": "", "app/settings.py": DEPLOY_SETTINGS,
        "frontend/main.py": "import streamlit as st\n\nst.title('Time tracker')\n",
        "compose.yaml": "services:\n  web:\n    build: .\n  frontend:\n    build:\n      context: .\n"
                        "      dockerfile: Dockerfile.streamlit\n    ports:\n      - 8501:8501\n"})
    assert _found(tmp_path, "DJC104") == []
    assert [path for path, _, _ in _found(tmp_path, "DJC106")] == ["Dockerfile.streamlit"]
    write_files(tmp_path, {"frontend/main.py": "import os\n\nos.system('gunicorn app.wsgi')\n"})
    assert [path for path, _, _ in _found(tmp_path, "DJC104")] == ["Dockerfile.streamlit"]


def test_a_fastapi_module_found_from_the_images_workdir_is_another_frameworks(tmp_path: Path) -> None:
    """`COPY api/ ./api/`, `WORKDIR /app/api`, `uvicorn main:app`: the module is `api/main.py`, a FastAPI app, so the
    service loads no Django settings and DJC313 does not judge its broker URL. The Celery worker beside it, whose
    broker is localhost, is reported."""
    api = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r "
           "requirements.txt\nCOPY api/ ./api/\nWORKDIR /app/api\nCMD [\"uvicorn\", \"main:app\", \"--host\", "
           "\"0.0.0.0\"]\n")
    compose = ("services:\n  redis:\n    image: redis:7\n  api:\n    build:\n      context: .\n"
               "      dockerfile: Dockerfile.api\n  worker:\n    build: .\n    command: celery -A app worker\n"
               "    environment:\n      CELERY_BROKER_URL: redis://redis:6379/0\n")
    write_files(tmp_path, {
        "manage.py": MANAGE, "Dockerfile": CELERY_IMAGE, "Dockerfile.api": api, "compose.yaml": compose,
        "requirements.txt": "django==5.1.3\ncelery==5.4.0\nfastapi\nuvicorn\n", "app/__init__.py": "",
        "app/celery.py": "from celery import Celery\napp = Celery('app')\n",
        "app/settings.py": "CELERY_BROKER_URL = 'redis://localhost:6379/0'\n",
        "api/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"})
    assert _found(tmp_path, "DJC313") == []
    write_files(tmp_path, {"compose.yaml": compose.replace("      CELERY_BROKER_URL: redis://redis:6379/0\n",
                                                           "      C_FORCE_ROOT: '1'\n")})
    assert [m for _, _, m in _found(tmp_path, "DJC313") if "service worker" in m and "api" not in m]


def test_a_broker_host_only_the_env_file_the_settings_load_gives_is_judged(tmp_path: Path) -> None:
    """The settings `load_dotenv()` a committed `.env` the image copies: its `REDIS_HOST=localhost` is the worker's
    broker host, reported though the settings' default names the service. A bare `REDIS_HOST` line sets nothing
    (python-dotenv skips it), so the default `redis` holds and nothing is reported."""
    settings = ("import os\n\nfrom dotenv import load_dotenv\n\nload_dotenv()\n\n"
                "CELERY_BROKER_URL = f\"redis://{os.environ.get('REDIS_HOST', 'redis')}:6379/0\"\n")
    write_files(tmp_path, {
        "manage.py": MANAGE, "Dockerfile": CELERY_IMAGE, "compose.yaml": WORKER_STACK, ".env": "REDIS_HOST\n",
        "requirements.txt": "django\ncelery\nredis\npython-dotenv\n", "app/__init__.py": "",
        "app/celery.py": "from celery import Celery\napp = Celery('app')\n", "app/settings.py": settings})
    assert _found(tmp_path, "DJC313") == []
    write_files(tmp_path, {".env": "REDIS_HOST=localhost\n"})
    assert [m for _, _, m in _found(tmp_path, "DJC313") if "localhost" in m]
