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

