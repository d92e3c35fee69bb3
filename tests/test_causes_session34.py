"""Causes of false and noisy findings the ninety-sixth review found (session 34)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import rule_findings, write_files

WSGI = ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'finance.settings')\n"
        "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n")
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'finance.settings')\n"
TINI_IMAGE = {
    "Dockerfile": ("FROM python:3.11-alpine\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\n"
                   "RUN addgroup -S app && adduser app -S -G app && apk add --no-cache tini\n"
                   "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                   "COPY ./scripts/*.sh /app/\nCOPY . /app\nUSER app\n"
                   "ENTRYPOINT [\"/sbin/tini\", \"-g\", \"--\", \"/app/docker-entrypoint.sh\"]\n"
                   "CMD [\"/app/django-start.sh\"]\n"),
    ".dockerignore": ".git\n", "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
    "scripts/docker-entrypoint.sh": "#!/bin/sh\nset -o errexit\nexec \"$@\"\n",
    "scripts/django-start.sh": ("#!/bin/sh\nset -o errexit\npython manage.py migrate --noinput\n"
                                "gunicorn finance.wsgi:application --bind \"0.0.0.0:$PORT\"\n"),
    "manage.py": MANAGE, "finance/__init__.py": "", "finance/wsgi.py": WSGI,
    "finance/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"}
"""An image whose tini signals the process group: the entrypoint hands over to a start script that runs gunicorn."""


def test_a_server_started_behind_tini_g_gets_the_stop_signal(tmp_path: Path) -> None:
    write_files(tmp_path, TINI_IMAGE)
    assert rule_findings(tmp_path, "DJC411") == []


def test_a_server_started_behind_tini_alone_misses_it(tmp_path: Path) -> None:
    write_files(tmp_path, {**TINI_IMAGE, "Dockerfile": TINI_IMAGE["Dockerfile"].replace('"-g", ', "")})
    [(path, line, _)] = rule_findings(tmp_path, "DJC411")
    assert (path, line) == ("scripts/django-start.sh", 4)


def test_a_service_replacing_the_entrypoint_loses_the_init(tmp_path: Path) -> None:
    write_files(tmp_path, {**TINI_IMAGE, "compose.yaml": (
        "services:\n  web:\n    build: .\n    entrypoint: [\"/app/docker-entrypoint.sh\"]\n"
        "    command: [\"/app/django-start.sh\"]\n")})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC411")] == [("scripts/django-start.sh", 4)]
