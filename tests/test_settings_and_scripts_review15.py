"""Causes the fifteenth review's repositories showed in reading settings and scripts: settings set through a
helper that writes ``globals()`` (peeringdb's ``set_from_env("SECRET_KEY")``), and the files a script's command
only names (``graph_models -o docs/img/schema.png``), which are no scripts to read."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.parse.settings import INCOMPLETE, Unknown, bindings, evaluate, parse_python
from djlint_docker.rules.snippets import MANAGE

SETTERS = """\
import os


def _set_from_env(name, context, default):
    if name in os.environ:
        context[name] = os.environ[name]
    elif default is not None:
        context[name] = default


def set_from_env(name, default=None):
    return _set_from_env(name, globals(), default)


def set_option(name, value):
    globals()[name] = os.environ.get(name, value)


DEBUG = False
set_from_env("SECRET_KEY")
set_option("DEBUG", True)
set_option("SECURE_BROWSER_XSS_FILTER", True)
"""


def _bindings(tmp_path, text):
    path = tmp_path / "settings.py"
    path.write_text(text)
    return bindings(path, lambda file: parse_python(file, file.read_text()) if file.is_file() else None)


def test_names_a_globals_setter_is_called_with_are_bound_to_what_cannot_be_known(tmp_path):
    names = _bindings(tmp_path, SETTERS)
    assert {"SECRET_KEY", "DEBUG", "SECURE_BROWSER_XSS_FILTER"} <= set(names) and INCOMPLETE not in names
    for name in ("SECRET_KEY", "DEBUG"):
        with pytest.raises(Unknown):
            evaluate(names[name].node, {}, names)


def test_a_setter_called_with_a_name_made_at_run_time_may_set_any(tmp_path):
    names = _bindings(tmp_path, SETTERS + "set_option(os.environ['X'], 1)\n")
    assert INCOMPLETE in names


def test_settings_set_through_a_setter_are_not_reported_unset(tmp_path):
    write_files(tmp_path, {"app/settings.py": SETTERS + "ALLOWED_HOSTS = ['example.com']\n", "manage.py": MANAGE,
                           "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
                           "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nCOPY . /app\nUSER nobody\n"
                                         "CMD [\"gunicorn\", \"app.wsgi\"]\n"})
    messages = [f.message for f in lint(tmp_path) if f.code in {"DJC301", "DJC310"}]
    assert not [m for m in messages if "W009" in m or "DEBUG" in m], messages


def test_a_path_a_command_writes_is_no_script_to_read(tmp_path):
    write_files(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /srv\nCOPY . .\nUSER nobody\n"
                      "ENTRYPOINT [\"/srv/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\ncase \"$1\" in\n  docs) python manage.py graph_models -o docs/img/schema.png app ;;\n"
                         "  *) exec gunicorn app.wsgi ;;\nesac\n",
        "docs/img/schema.png": b"\x89PNG\r\n\x1a\n\x00\x00", "manage.py": MANAGE})
    assert [f for f in lint(tmp_path) if f.code == "DJC002"] == []
