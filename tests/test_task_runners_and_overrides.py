"""Stacks a Python task runner drives (nautobot's invoke tasks.py: the compose files and the variables it gives
them), and overrides that only retarget a base's build (``build: {target: final}`` beside the tag to give it)."""

from __future__ import annotations

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.parse.compose import outline
from djlint_docker.rules.snippets import MANAGE

BASE = ("services:\n  app:\n    build:\n      context: ../\n      dockerfile: docker/Dockerfile\n      target: dev\n"
        "    image: local/app-dev:${APP_VER}\n    command: gunicorn app.wsgi -b 0.0.0.0:8080\n"
        "    depends_on:\n      - db\n")
POSTGRES = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n"
FINAL = "services:\n  app:\n    build:\n      target: final\n    image: local/app-final:${APP_VER}\n"
TASKS = ('"""Tasks."""\nimport os\nfrom invoke import task\n\nCOMPOSE_FILES = ["docker-compose.yml", '
         '"docker-compose.postgres.yml"]\n\n\ndef docker_compose(context, command):\n'
         '    files = " ".join(f"-f {name}" for name in COMPOSE_FILES)\n'
         '    return context.run(f"docker compose {files} {command}", env={"APP_VER": "2.4"})\n')


def _files(tmp_path, tasks=TASKS):
    return {"development/docker-compose.yml": BASE, "development/docker-compose.postgres.yml": POSTGRES,
            "development/docker-compose.final.yml": FINAL, "docker/Dockerfile": "FROM python:3.12-slim\n",
            "manage.py": MANAGE, **({"tasks.py": tasks} if tasks else {})}


def test_a_build_that_only_retargets_needs_a_base():
    found = outline(FINAL)
    assert found is not None and found.needs == {"app"}
    assert outline(BASE).needs == {"db"}  # depends on a database another file adds


def test_the_override_is_merged_onto_the_base_that_names_its_build(tmp_path):
    write_files(tmp_path, _files(tmp_path))
    stacks = {tuple(p.name for p in setup.compose_files) for setup in discover([tmp_path])}
    assert ("docker-compose.yml", "docker-compose.final.yml") in stacks
    assert not [f for f in lint(tmp_path) if f.code == "DJC002"]


def test_variables_a_python_task_runner_gives_compose(tmp_path):
    write_files(tmp_path, _files(tmp_path))
    assert [f for f in lint(tmp_path) if f.code == "DJC214"] == []
    bare = tmp_path / "without-tasks"
    write_files(bare, _files(bare, tasks=None))
    assert {(f.path, f.line) for f in lint(bare) if f.code == "DJC214"} == {("development/docker-compose.yml", 7)}

