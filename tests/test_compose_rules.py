"""What the compose rules say beyond where they fire: severities and messages that depend on the stack."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.findings import Severity
from djlint_docker.registry import REGISTRY


def example(code: str, name: str) -> dict:
    return dict(next(e for e in REGISTRY[code].examples if e.name == name).files)


def findings(tmp_path, code: str, files: dict):
    return lint(write_files(tmp_path, files), [REGISTRY[code]])


@pytest.mark.parametrize(("name", "severity", "words"), [
    ("migrate-as-it-starts", Severity.WARNING, "runs `migrate` as it starts"),
    ("server-connects-on-its-first-request-info", Severity.INFO, "connects on its first request"),
    ("wait-under-a-condition-the-setup-never-meets", Severity.WARNING, "runs `migrate` as it starts"),
    ("short-form", Severity.WARNING, "may connect as it starts"),
])
def test_djc203_warns_for_a_container_that_connects_as_it_starts(tmp_path, name, severity, words):
    [finding] = findings(tmp_path, "DJC203", example("DJC203", name))
    assert finding.severity == severity
    assert words in finding.message


def test_djc203_database_scheduler_in_the_settings(tmp_path):
    files = {"compose.yaml": "services:\n  db:\n    image: postgres:16\n  beat:\n    build: .\n"
                             "    command: celery -A app beat -l info\n    depends_on: [db]\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
             "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
             "app/__init__.py": "",
             "app/settings.py": "CELERY_BEAT_SCHEDULER = 'django_celery_beat.schedulers:DatabaseScheduler'\n"}
    [finding] = findings(tmp_path, "DJC203", files)
    assert finding.severity == Severity.WARNING and "django-celery-beat" in finding.message
