"""Causes of the 89th blind review's false findings, each pinned where the cause lives (session 27)."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.images import data_service
from djlint_docker.parse.envfile import commented_variables
from djlint_docker.parse.settings import bindings, defaulting_module, evaluate, parse_python, settings_module_forced
from djlint_docker.project import FILLED_IN_HOST
from djlint_docker.rules.dockerfile.djc103_requirements_after_source import _same_install
from djlint_docker.rules.settings._https import HTTPS_REDIRECT

FORCING = "import os\nimport sys\n\n{}\napplication = None\n"


@pytest.mark.parametrize(("body", "expected"), [
    ("os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.production'\n", "config.settings.production"),
    ("if 'runserver_plus' not in sys.argv:\n    os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.production'\n",
     "config.settings.production"),
    ("if 'runserver_plus' in sys.argv:\n    os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.local'\n", None),
    ("if os.environ.get('PROD'):\n    os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.production'\n", None),
    ("os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n", None),
    ("os.environ['DJANGO_SETTINGS_MODULE'] = 'a'\nos.environ['DJANGO_SETTINGS_MODULE'] = 'b'\n", "b"),
])
def test_settings_a_wsgi_module_forces_on_its_server(body: str, expected: str | None) -> None:
    module = defaulting_module(Path("wsgi.py"), FORCING.format(body))
    assert settings_module_forced(module) == expected


@pytest.mark.parametrize(("value", "hosts"), [
    ("postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/app", ["DB_HOST"]),
    ("redis://${REDIS_HOST}:6379/0", ["REDIS_HOST"]),
    ("postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app", []),
    ("postgres://app:secret@db/${DB_NAME}", []),
])
def test_the_variable_that_stands_for_a_urls_host(value: str, hosts: list[str]) -> None:
    assert FILLED_IN_HOST.findall(value) == hosts


def test_a_template_names_the_secret_it_leaves_commented_out() -> None:
    text = "# You should generate a random string of 50+ characters for this value in prod.\n" \
           "#SECRET_KEY=insecure_key_for_dev\nDEBUG=false\n"
    assert "SECRET_KEY" in commented_variables(text) and "DEBUG" not in commented_variables(text)


@pytest.mark.parametrize(("config", "redirects"), [
    ("if ($http_x_forwarded_proto = 'http') {\n    return 301 https://$host$request_uri;\n}\n", True),
    ("server {\n  listen 80;\n  rewrite ^ https://$host$request_uri permanent;\n}\n", True),
    ("location / {\n    proxy_pass http://web:8000;\n}\n", False),
    ("# return 301 https://$host$request_uri;\n", False),
])
def test_an_nginx_that_sends_plain_http_to_https(config: str, redirects: bool) -> None:
    assert bool(HTTPS_REDIRECT.search(config)) is redirects


def test_each_database_says_what_a_new_major_does_to_its_data() -> None:
    postgres, mariadb, mysql = data_service("postgres:latest"), data_service("mariadb"), data_service("mysql")
    assert postgres is not None and mariadb is not None and mysql is not None
    assert "cannot read" in postgres.new_major
    assert "cannot read" not in mariadb.new_major and "in place" in mariadb.new_major
    assert "cannot read" not in mysql.new_major


@pytest.mark.parametrize(("one", "other", "same"), [
    (("pip", ("install",), ("requirements/production.txt",)), ("pip", ("install",), ("requirements/production.txt",)),
     True),
    (("pip", ("install",), ("/requirements/production.txt",)),
     ("pip", ("install",), ("requirements/production.txt",)), True),
    (("pip", ("install",), ("requirements.txt",)), ("pip", ("install",), ("docs/requirements.txt",)), False),
    (("pip", ("install",), ("requirements/base.txt",)), ("pip", ("install",), ("requirements/production.txt",)),
     False),
    (("pip", ("install",), ("production.txt",)), ("pip", ("install",), ("preproduction.txt",)), False),
    (("poetry", ("install",), ()), ("pip", ("install",), ()), False),
])
def test_two_installs_of_the_same_manifest(one, other, same: bool) -> None:
    assert _same_install(one, other) is same


@pytest.mark.parametrize("files", [
    {"settings.py": "MIDDLEWARE = ['a']\nMIDDLEWARE = ['cors'] + MIDDLEWARE\n"},
    {"base.py": "MIDDLEWARE = ['a']\n", "settings.py": "from .base import *\n\nMIDDLEWARE = ['cors'] + MIDDLEWARE\n"},
])
def test_a_setting_assigned_from_itself_reads_its_value_before(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "__init__.py").write_text("")
    found = bindings(tmp_path / "settings.py", lambda path: parse_python(path, path.read_text())
                     if path.is_file() else None)
    node = found["MIDDLEWARE"].node
    assert node is not None and evaluate(node, {}, found) == ["cors", "a"]
