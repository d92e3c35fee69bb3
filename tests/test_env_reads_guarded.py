"""Environment reads that run only once a test has seen the variable set (nautobot's settings): not reads
without a default."""

from __future__ import annotations

import ast

import pytest
from conftest import lint, write_files

from djlint_docker.parse.env_reads import NO_DEFAULT
from djlint_docker.parse.settings import env_reads
from djlint_docker.rules.snippets import MANAGE


@pytest.mark.parametrize(("expression", "unguarded"), [
    ('"X" in os.environ and os.environ["X"] != ""', set()),
    ('os.environ.get("X") and os.environ["X"].split(",")', set()),
    ('os.environ["X"] if "X" in os.environ else "default"', set()),
    ('os.getenv("X") and int(os.environ["Y"])', set()),  # any test of the environment guards what follows it
    ('os.environ["X"] != "" and "X" in os.environ', {"X"}),  # read before the test
    ('"X" in os.environ or os.environ["X"]', {"X"}),  # runs when it is not set
    ('os.environ["X"]', {"X"}),
])
def test_reads_after_a_test_of_the_environment_are_guarded(expression, unguarded):
    reads = env_reads(ast.parse(expression, mode="eval").body)
    assert {read.variable for read in reads if read.default is NO_DEFAULT} == unguarded


def test_settings_that_read_a_variable_only_when_it_is_set_need_nothing(tmp_path):
    write_files(tmp_path, {
        "app/settings.py": "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'x' * 50)\n"
                           "ALLOWED_HOSTS = []\n"
                           "if 'APP_ALLOWED_HOSTS' in os.environ and os.environ['APP_ALLOWED_HOSTS'] != '':\n"
                           "    ALLOWED_HOSTS = os.environ['APP_ALLOWED_HOSTS'].split(' ')\n"
                           "TIME_ZONE = os.environ['TIME_ZONE']\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "manage.py": MANAGE,
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"})
    assert [(f.path, f.line) for f in lint(tmp_path) if f.code == "DJC307"] == [("app/settings.py", 6)]
