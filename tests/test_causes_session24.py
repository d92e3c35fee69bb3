"""The causes the twenty-fourth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import rule_findings as _found
from conftest import write_files

from djlint_docker.rules.snippets import MANAGE

GUNICORN_IMAGE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                  "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n")
WSGI = ("import os\nfrom django.core.wsgi import get_wsgi_application\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\napplication = get_wsgi_application()\n")

SPLIT_SETTINGS = '''from os import environ

from split_settings.tools import include, optional

environ.setdefault("DJANGO_ENV", "development")
_ENV = environ["DJANGO_ENV"]

include(
    "components/common.py",
    f"environments/{_ENV}.py",
    optional("environments/local.py"),
)
'''


def test_settings_a_module_the_environment_names_that_is_missing_are_not_known(tmp_path: Path) -> None:
    """wemake's split settings choose `environments/{DJANGO_ENV}.py`; the container says `DJANGO_ENV=docker` and the
    repository has only `docker.py.template`: those settings do not load as committed, so no setting is "not set".
    The container that names `production.py`, which lacks ALLOWED_HOSTS, is reported."""
    compose = ("services:\n  web:\n    build: .\n    environment:\n      DJANGO_ENV: docker\n"
               "      SECRET_KEY: ${SECRET_KEY:?}\n    ports:\n      - 8000:8000\n")
    write_files(tmp_path, {
        "manage.py": MANAGE, "Dockerfile": GUNICORN_IMAGE, "compose.yaml": compose, "app/wsgi.py": WSGI,
        "app/settings/__init__.py": SPLIT_SETTINGS,
        "app/settings/components/common.py": "DEBUG = False\nSECRET_KEY = environ['SECRET_KEY']\n",
        "app/settings/environments/development.py": "DEBUG = True\nALLOWED_HOSTS = ['*']\n",
        "app/settings/environments/production.py": "SECURE_HSTS_SECONDS = 3600\n",
        "app/settings/environments/docker.py.template": "ALLOWED_HOSTS = ['localhost']\n"})
    assert _found(tmp_path, "DJC310") == []
    write_files(tmp_path, {"compose.yaml": compose.replace("DJANGO_ENV: docker", "DJANGO_ENV: production")})
    assert [m for _, _, m in _found(tmp_path, "DJC310") if "W020" in m]
