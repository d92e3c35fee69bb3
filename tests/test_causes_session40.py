"""Causes of false and noisy findings the hundred-twenty-first and later reviews found (session 40)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import rule_findings, write_files

APP_MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
"""A ``manage.py`` that names the ``app.settings`` module."""
APP_IMAGE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
             "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n")
"""An image of the project's, with no command of its own."""


def test_beat_started_without_exec_is_not_said_to_lose_tasks(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": APP_IMAGE + "CMD [\"/app/beat.sh\"]\n", "manage.py": APP_MANAGE,
        "beat.sh": "#!/bin/sh\ncd /app\ncelery -A app beat --loglevel=info\n"})
    assert [(path, line, message) for path, line, message in rule_findings(tmp_path, "DJC411")] == [
        ("beat.sh", 3, "the script ends by running the Celery beat without exec: beat is not PID 1 and misses "
                       "SIGTERM: `docker stop` waits out its timeout, then kills it; use `exec`")]


BLOG_BESIDE_THE_APP = {
    "docker-compose.yml": "services:\n  app:\n    build: .\n"
                          "    command: gunicorn app.wsgi:application --bind 0.0.0.0:8000\n"
                          "  blog:\n    image: wordpress:6.6\n    links:\n      - mariadb:mysql\n"
                          "    environment:\n      - WORDPRESS_DB_PASSWORD=${DB_PASSWORD}\n"
                          "  mariadb:\n    image: mariadb\n    environment:\n"
                          "      - MYSQL_ROOT_PASSWORD=${DB_PASSWORD}\n      - MYSQL_DATABASE=wordpress\n"
                          "    volumes:\n      - db:/var/lib/mysql\nvolumes:\n  db:\n",
    "Dockerfile": APP_IMAGE, "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n", "manage.py": APP_MANAGE,
    "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"}
"""A portfolio on SQLite beside a WordPress blog, whose MariaDB the blog links to."""


def test_the_database_another_application_links_to_is_not_the_settings_business(tmp_path: Path) -> None:
    write_files(tmp_path, BLOG_BESIDE_THE_APP)
    assert rule_findings(tmp_path, "DJC305") == []
    # the blog's data survives only on the major version that wrote it
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC209")] == [("docker-compose.yml", 12)]


def test_a_django_service_that_depends_on_the_blog_s_database_still_uses_sqlite(tmp_path: Path) -> None:
    compose = BLOG_BESIDE_THE_APP["docker-compose.yml"].replace(
        "app.wsgi:application --bind 0.0.0.0:8000\n", "app.wsgi:application --bind 0.0.0.0:8000\n"
                                                      "    depends_on:\n      - mariadb\n")
    write_files(tmp_path, {**BLOG_BESIDE_THE_APP, "docker-compose.yml": compose})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC305")] == [("app/settings.py", 1)]


def test_the_cmd_an_entrypoint_script_never_runs_starts_no_development_server(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": APP_IMAGE + "ENTRYPOINT [\"./entrypoint.sh\"]\n"
                                  "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:9000\"]\n",
        "manage.py": APP_MANAGE, "requirements.txt": "Django==5.2.1\ngunicorn==23.0.0\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\n"
                         "exec gunicorn app.wsgi:application --bind 0.0.0.0:9000\n"})
    assert rule_findings(tmp_path, "DJC102") == []
    # the CMD is dead: the script is told to run it and never does
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC411")] == [("entrypoint.sh", 4)]


def test_the_cmd_an_entrypoint_script_hands_over_to_still_starts_the_development_server(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "Dockerfile": APP_IMAGE + "ENTRYPOINT [\"./entrypoint.sh\"]\n"
                                  "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:9000\"]\n",
        "manage.py": APP_MANAGE, "requirements.txt": "Django==5.2.1\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec \"$@\"\n"})
    assert [(path, line) for path, line, _ in rule_findings(tmp_path, "DJC102")] == [("Dockerfile", 7)]
