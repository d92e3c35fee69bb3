"""What starts a server, what a test run takes, what installs the project: the shapes DJC109, DJC206, DJC315 and
DJC402 tell apart."""

from __future__ import annotations

import ast
import shlex
from pathlib import Path

import pytest

from djlint_docker.parse.compose import EnvEntry, Located, Service
from djlint_docker.parse.settings import Assignment
from djlint_docker.positions import Location
from djlint_docker.rules.compose._mounts import client_job
from djlint_docker.rules.dockerfile.djc109_shell_form_command import starts_nothing
from djlint_docker.rules.project.djc402_dockerignore_incomplete import _installs_project
from djlint_docker.rules.settings._bindings import taken_while_testing


@pytest.mark.parametrize(("args", "expected"), [
    ("cp -r build result_build", True), (". .", True), ("echo ready && true", True), ("mkdir -p /out; cp -a dist /out", True),
    ("gunicorn app.wsgi", False), ("cd /app && gunicorn app.wsgi", False), ("./start.sh", False),
    ("python manage.py runserver 0.0.0.0:8000", False), ("nginx -g 'daemon off;'", False), ("npm start", False),
])
def test_starts_nothing(args, expected):
    assert starts_nothing(args) is expected


def _service(command: str | list[str], environment: dict[str, str]) -> Service:
    """A service on a database image running ``command`` (a string is split as compose splits it)."""
    location = Location(Path("compose.yaml"), 1)
    words = tuple(shlex.split(command)) if isinstance(command, str) else tuple(command)
    return Service("job", location, command=Located(words, location),
                   environment={k: EnvEntry(v, v, location) for k, v in environment.items()})


@pytest.mark.parametrize(("command", "environment", "expected"), [
    ("bash -c \"mysql -h mysql -uroot -e 'CREATE DATABASE grafana'\"", {}, True),
    ("sh -c 'PGPASSWORD=x psql -U postgres -h postgres -c \"CREATE DATABASE app\"'", {}, True),
    (["pg_dump", "--host=db", "-U", "app"], {}, True),
    ("mysqladmin -hdb ping", {}, True),
    ("mongosh mongodb://mongo:27017/app --eval 'db.stats()'", {}, True),
    ("psql -c 'select 1'", {"PGHOST": "db"}, True),
    ("psql -h localhost -c 'select 1'", {}, False),
    ("postgres -c max_connections=200", {}, False),
    ("bash -c 'docker-entrypoint.sh postgres & pg_isready -h localhost; psql -h db -c x; wait'", {}, False),
    ("--default-authentication-plugin=mysql_native_password", {}, False),
])
def test_client_job(command, environment, expected):
    assert client_job(_service(command, environment)) is expected


@pytest.mark.parametrize(("source", "expected"), [
    ("IS_TESTS", True), ("TESTING", True), ("not IS_TESTS", False), ("'test' in sys.argv", True),
    ("sys.argv[1] == 'test'", True), ("'pytest' in sys.modules", True), ("'test' not in sys.argv", False),
    ("IS_TESTS and not DEBUG", True), ("IS_TESTS or DEBUG", None),
    ("'test' in sys.argv or 'pytest' in sys.modules", True), ("sys.argv[1:2] == ['test']", True), ("DEBUG", None), ("RUNNING", True),
    ("'runserver' in sys.argv", None), ("CONTEST_MODE", None),
])
def test_taken_while_testing(source, expected):
    names = {"RUNNING": Assignment("RUNNING", ast.parse("'test' in sys.argv", mode="eval").body, Path("s.py"), 1, 0)}
    assert taken_while_testing(ast.parse(source, mode="eval").body, names) is expected


@pytest.mark.parametrize(("command", "expected"), [
    ("pip install .", True), ("pip install -e .[dev]", True), ("python -m pip install --no-cache-dir .", True),
    ("uv pip install --system .", True), ("uv sync --locked", True), ("uv sync --locked --no-install-project", False),
    ("poetry install --no-root", False), ("poetry install --only main", True), ("python -m build", True),
    ("python setup.py install", True), ("pip install -r requirements.txt", False), ("pdm install --prod", True),
    ("pip install gunicorn", False),
])
def test_installs_project(command, expected):
    assert _installs_project(tuple(shlex.split(command))) is expected
