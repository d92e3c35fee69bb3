"""The causes the twenty-first session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import rule_findings as _found
from conftest import write_files

from djlint_docker.rules.snippets import MANAGE


def test_a_stage_of_another_dockerfile_is_named_as_such(tmp_path: Path) -> None:
    """`FROM python-base` in a Dockerfile split from one whose stage it is fails for that reason, not for a
    missing tag; an untagged image that is nobody's stage is still one to pin."""
    write_files(tmp_path, {"manage.py": MANAGE,
                           "docker/Dockerfile": "FROM python:3.12-slim AS python-base\nFROM python-base AS builder\n"
                                                "RUN pip install gunicorn==23.0.0\nFROM python-base\nCOPY . /app\n"
                                                "CMD [\"gunicorn\", \"app.wsgi\"]\n",
                           "docker/Dockerfile.prod": "FROM python-base\nCOPY --from=builder /usr/local /usr/local\n"
                                                     "COPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
                           "Dockerfile.tools": "FROM shop-tools\nCOPY . /app\n"})
    found = {(path, line): message for path, line, message in _found(tmp_path, "DJC106")}
    assert found[("docker/Dockerfile.prod", 1)].startswith(
        "`FROM python-base` names a stage of `docker/Dockerfile`, not an image")
    assert "`COPY --from=builder` names a stage of `docker/Dockerfile`" in found[("docker/Dockerfile.prod", 2)]
    assert "has no tag" in found[("Dockerfile.tools", 1)]
