"""Causes left from the thirteenth and fourteenth reviews in the Dockerfile rules: packages an install reads from
a list file (DJC407), an install with no `apt-get update` of its own and an update in a RUN of its own (DJC111),
an entrypoint reached through a link a RUN made (DJC108), a variable a legacy ENV swallows or a misspelt name
(DJC104, DJC105)."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import lint, write_files

from djlint_docker.parse.dockerfile import parse_dockerfile
from djlint_docker.rules.project.djc407_psycopg_build_deps import _package_lists
from djlint_docker.rules.snippets import MANAGE


def _messages(root, code):
    return [(f.path, f.line, f.message) for f in lint(root) if f.code == code]


def test_install_without_update_is_told_only_about_recommends(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3\nRUN apt-get install -y default-libmysqlclient-dev\n",
                           "manage.py": MANAGE})
    assert _messages(tmp_path, "DJC111") == [
        ("Dockerfile", 2, "`apt-get install` without --no-install-recommends")]


def test_update_without_removal_is_still_told_about_the_lists(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\n"
                                         "RUN apt-get update && apt-get install -y --no-install-recommends gcc\n",
                           "manage.py": MANAGE})
    assert _messages(tmp_path, "DJC111") == [
        ("Dockerfile", 2, "`apt-get install` without `rm -rf /var/lib/apt/lists/*` in the same RUN")]


def test_package_list_outside_the_context_leaves_psycopg2_reported(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\n"
                                         "RUN apt-get update && apt-get install -y $(cat /etc/apt-packages.txt)\n"
                                         "COPY requirements.txt .\nRUN pip install -r requirements.txt\n",
                           "requirements.txt": "psycopg2==2.9.10\n", "manage.py": MANAGE})
    assert [(path, line) for path, line, _ in _messages(tmp_path, "DJC407")] == [("requirements.txt", 1)]


def test_package_list_reading_stays_linear_on_long_lines(tmp_path):
    hostile = "$(" + "a" * 200_000 + " `" + "b/" * 100_000 + " <" + " " * 100_000
    started = time.perf_counter()
    assert list(_package_lists(SimpleNamespace(text=lambda path: None), tmp_path, hostile)) == []
    assert time.perf_counter() - started < 2


def test_entrypoint_reached_through_a_link_drops_root_with_su(tmp_path):
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nRUN useradd -m django\nCOPY run.sh /home/django/run.sh\n"
                      "RUN chmod +x /home/django/run.sh && ln -s /home/django/run.sh /run.sh\nENTRYPOINT /run.sh\n",
        "run.sh": "#!/bin/bash\nservice nginx restart\n"
                  "su -p django -c \"/home/django/env/bin/gunicorn -c /home/django/gunicorn.py wsgi\"\n",
        "manage.py": MANAGE})
    assert _messages(tmp_path, "DJC108") == []


def test_entrypoint_link_to_a_script_that_stays_root_is_reported(tmp_path):
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nCOPY run.sh /home/django/run.sh\nWORKDIR /usr/local/bin\n"
                      "RUN ln -sf /home/django/run.sh start\nENTRYPOINT [\"start\"]\n",
        "run.sh": "#!/bin/bash\nexec gunicorn wsgi\n", "manage.py": MANAGE})
    assert [(path, line) for path, line, _ in _messages(tmp_path, "DJC108")] == [("Dockerfile", 1)]


@pytest.mark.parametrize(("run", "image_path", "sources"), [
    ("ln -s /home/app/run.sh /run.sh", "/run.sh", ["run.sh"]),
    ("ln -sf /home/app/run.sh /usr/local/bin/", "/usr/local/bin/run.sh", ["run.sh"]),
    ("ln -s /home/app /srv", "/srv/run.sh", ["run.sh"]),
    ("ln -s ../home/app/run.sh /usr/start", "/usr/start", ["run.sh"]),  # relative to the link's folder
    ("ln /home/app/run.sh /run.sh", "/run.sh", []),  # a hard link is no symbolic link: not followed
    ("ln -s /a /b && ln -s /b /a", "/a", []),  # a loop ends
])
def test_paths_reached_through_links(run, image_path, sources):
    dockerfile = parse_dockerfile(Path("Dockerfile"), f"FROM python:3.12\nCOPY run.sh /home/app/run.sh\nRUN {run}\n")
    assert dockerfile.context_sources(dockerfile.final, image_path) == sources


def test_an_update_in_a_run_of_its_own_is_told_on_that_run(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get update\n"
                                         "RUN apt-get install -y gettext\n", "manage.py": MANAGE})
    assert _messages(tmp_path, "DJC111") == [
        ("Dockerfile", 2, "`apt-get update` without `rm -rf /var/lib/apt/lists/*` in the same RUN, `apt-get install` "
                          "without --no-install-recommends (on line 3 too)")]


def test_a_variable_a_legacy_env_swallows_or_a_misspelt_name_is_named(tmp_path):
    """The seventeenth review: `ENV PYTHONUNBUFFERED 1 \\ PYTHONDONTWRITEBYTECODE 1` sets one variable, and
    `ENV PYTONUNBUFFERED=1` another name: each message says why the variable is still missing."""
    compose = "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n" \
              "      - .:/app\n"
    write_files(tmp_path, {"compose.yaml": compose, "manage.py": MANAGE, "Dockerfile":
                           "FROM python:3.12-slim\nENV PYTHONUNBUFFERED 1 \\\n    PYTHONDONTWRITEBYTECODE 1\nCOPY . /app\n"})
    [(_, _, message)] = _messages(tmp_path, "DJC105")
    assert "the legacy `ENV PYTHONUNBUFFERED ...` on line 2 sets PYTHONUNBUFFERED to the rest of its line" in message
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nENV PYTONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\n"
                                         "COPY . /app\n"})
    [(_, _, message)] = _messages(tmp_path, "DJC104")
    assert "(`PYTONUNBUFFERED` on line 2 is another name)" in message
    assert not _messages(tmp_path, "DJC105")
