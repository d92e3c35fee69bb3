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
    ("start-script-on-the-image-path-migrates", Severity.WARNING, "runs `migrate` as it starts"),
    ("wait-under-a-condition-the-setup-never-meets", Severity.WARNING, "runs `migrate` as it starts"),
    ("short-form", Severity.WARNING, "may connect as it starts"),
])
def test_djc203_warns_for_a_container_that_connects_as_it_starts(tmp_path, name, severity, words):
    [finding] = findings(tmp_path, "DJC203", example("DJC203", name))
    assert finding.severity == severity
    assert words in finding.message


@pytest.mark.parametrize("name", ["server-connects-on-its-first-request", "settings-use-sqlite",
                                  "migrate-as-it-starts-restarted-until-the-database-is-up",
                                  "start-script-on-the-image-path-waits", "make-target-djcheck-cannot-read"])
def test_djc203_says_nothing_of_a_container_that_recovers_or_may_wait(tmp_path, name):
    """No information-level findings: a server or worker connects lazily, a restart policy retries, SQLite needs
    no server, and a step djcheck cannot read (a make target) may wait."""
    assert findings(tmp_path, "DJC203", example("DJC203", name)) == []


def test_djc203_database_scheduler_in_the_settings(tmp_path):
    files = {"compose.yaml": "services:\n  db:\n    image: postgres:16\n  beat:\n    build: .\n"
                             "    command: celery -A app beat -l info\n    depends_on: [db]\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
             "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
             "app/__init__.py": "",
             "app/settings.py": "CELERY_BEAT_SCHEDULER = 'django_celery_beat.schedulers:DatabaseScheduler'\n"}
    [finding] = findings(tmp_path, "DJC203", files)
    assert finding.severity == Severity.WARNING and "django-celery-beat" in finding.message


@pytest.mark.parametrize(("policy", "lines"), [("unless-stopped", []), ("on-failure:5", []),
                                                ("always  # keep it up", []), ('"no"', [12])])
def test_djc203_a_restart_policy_retries_a_container_that_migrates_before_the_database_is_up(tmp_path, policy,
                                                                                               lines):
    """`restart: on-failure` (always, unless-stopped) starts the container again until the database accepts
    connections: it recovers by itself, nothing to report; `restart: "no"` stays a warning."""
    files = example("DJC203", "migrate-as-it-starts-restarted-until-the-database-is-up")
    files["compose.yaml"] = files["compose.yaml"].replace("unless-stopped", policy)
    found = findings(tmp_path, "DJC203", files)
    assert [f.line for f in found] == lines
    assert all(f.severity == Severity.WARNING for f in found)
