"""Causes of the 88th blind review's false findings, each pinned where the cause lives (session 26)."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.parse.settings import defaulting_module, settings_module_chosen
from djlint_docker.rules.dockerfile._supervisord import _ini_sections
from djlint_docker.rules.dockerfile.djc108_runs_as_root import _programs_run_unprivileged
from djlint_docker.rules.project._env_files import is_env_name
from djlint_docker.rules.project._git import placeholder, substitution_token


@pytest.mark.parametrize("value", ["POSTGRES_PASSWORD_SECRET", "SECRET_KEY_SECRET", "%DB_PASSWORD%", "__api_key__"])
def test_tokens_a_deploy_step_replaces(value: str) -> None:
    assert substitution_token(value) and placeholder(value)


@pytest.mark.parametrize("value", ["BLUE_HORSE_42", "s3cr3t-Pa55", "REPLACE_WITH_A_LONG_RANDOM_SECRET_KEY", "DEBUG"])
def test_values_that_are_no_token(value: str) -> None:
    assert not substitution_token(value)


def test_manage_py_test_side_is_the_test_runs() -> None:
    text = ("import os, sys\nenv = os.environ.get('DJANGO_ENV')\n"
            "if sys.argv[1] == 'test' or env == 'test':\n"
            "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.test')\n"
            "elif env == 'develop':\n"
            "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.develop')\n"
            "else:\n"
            "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.docker')\n")
    module = defaulting_module(Path("manage.py"), text)
    assert settings_module_chosen(module, {"DJANGO_ENV": "develop"}) == "app.settings.develop"
    assert settings_module_chosen(module, {}) == "app.settings.docker"
    assert settings_module_chosen(module, {"DJANGO_ENV": "test"}) == "app.settings.test"
    negated = defaulting_module(Path("manage.py"), "import os, sys\nif sys.argv[1] == 'test' or not os.environ.get("
                                "'PROD'):\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.dev')\nelse:\n"
                                "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.prod')\n")
    assert settings_module_chosen(negated, {}) == "app.dev"
    assert settings_module_chosen(negated, {"PROD": "1"}) == "app.prod"


def test_supervisord_program_continued_on_indented_lines() -> None:
    sections = _ini_sections("[program:beat]\ncommand=/bin/bash -c \"rm -f beat.pid && \\\n"
                             "  celery beat --app=shop --loglevel=%(ENV_LOGLEVEL)s --uid=1000\"\n; a comment\n")
    assert [s.name for s in sections] == ["program"]
    assert _programs_run_unprivileged(sections)
    assert not _programs_run_unprivileged(_ini_sections("[program:web]\ncommand=gunicorn shop.wsgi\n"))


@pytest.mark.parametrize("name", [".env.j2", ".env.jinja2", "prod.env.tmpl"])
def test_env_templates_a_tool_renders(name: str) -> None:
    assert not is_env_name(name)
    assert is_env_name(name.rsplit(".", 1)[0])
