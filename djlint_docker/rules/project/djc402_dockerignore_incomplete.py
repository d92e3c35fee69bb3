"""DJC402 dockerignore-incomplete: `.dockerignore` lets through something that should not be in the image."""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.discover import TEST_WORDS
from djlint_docker.edits import insert_lines
from djlint_docker.findings import Fix, Severity, Violation
from djlint_docker.parse.dockerfile import Dockerfile, Stage, expand
from djlint_docker.parse.dockerignore import DockerIgnore, parse_dockerignore
from djlint_docker.parse.shell import Command, program
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._copies import whole_context_copy
from djlint_docker.rules.project._context import copies_context
from djlint_docker.rules.project._dockerignore_patterns import (
    ENV_PATTERNS,
    Exclusions,
    appended,
    as_named,
    copied_by_name,
    data_folders,
    exclusions,
)
from djlint_docker.rules.project._env_files import development_env, is_env_name
from djlint_docker.rules.project._git import env_secrets, in_git
from djlint_docker.rules.settings._dotenv_files import env_files_loaded
from djlint_docker.rules.snippets import COPY_ALL, MANAGE, POSTGRES_DATA_BIND, PYTHON_ENV_BASE

KEEPS_GIT_OUT = {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n"}
"""A project whose Dockerfile copies its whole context, with a .dockerignore that keeps out .git and bytecode alone."""

APP_ENV_STACK = "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n    env_file: config/app.env\n"
"""A stack whose Django service reads the committed ``config/app.env``."""
BUILDER_STAGE = ("FROM python:3.12-slim AS builder\nWORKDIR /src\nCOPY . .\n"
                 "RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n"
                 "FROM python:3.12-slim\nWORKDIR /app\n")
"""A builder stage that takes the whole context to build wheels, and the start of the final stage."""
VENV_BUILDER = ("FROM python:3.12-slim AS base\nARG venv=/opt/venv\nENV VIRTUAL_ENV=\"$venv\" SOURCE=/src\n"
                "FROM base AS builder\nWORKDIR /src\nCOPY . .\nRUN python -m venv \"$VIRTUAL_ENV\" "
                "&& \"$VIRTUAL_ENV/bin/pip\" install --no-cache-dir -r requirements.txt\n"
                "FROM base\nWORKDIR /app\n")
"""A builder stage that takes the whole context into ``$SOURCE`` and installs into the ``$VIRTUAL_ENV`` its
base stage sets from an ARG, and the start of a final stage built on the same base."""
GIT_VERSION_SETTINGS = ("import subprocess\n\nDEBUG = False\n\ntry:\n"
                        "    VERSION = subprocess.check_output(['git', 'rev-parse', '--short', 'HEAD'],\n"
                        "                                      text=True).strip()\n"
                        "except (OSError, subprocess.CalledProcessError):\n    VERSION = 'unknown'\n")
"""Settings that show the running commit: git run on the repository's history when the site starts."""
GIT_IMAGE = (PYTHON_ENV_BASE + "RUN apt-get update && apt-get install -y --no-install-recommends git "
             "&& rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\n"
             "RUN pip install -r requirements.txt\nCOPY . .\n")
"""An image that installs git, then the project."""


LOADS_ITS_ENV_FILE = {
    "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n",
    ".gitignore": ".env\n", ".env.example": "SECRET_KEY=\n",
    "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
    "app/settings.py": "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\n"
                       "SECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"}
"""A project whose settings load the .env its image carries (examples)."""


@rule("DJC402", "dockerignore-incomplete", Severity.WARNING, cross=True, fix="safe", examples=[
    # The settings load the .env the image carries, and compose gives the container nothing else.
    Example("env-file-the-container-loads", LOADS_ITS_ENV_FILE),
    Example("env-file-the-service-passes-too", {**LOADS_ITS_ENV_FILE, "compose.yaml": LOADS_ITS_ENV_FILE[
        "compose.yaml"].replace("build: .\n", "build: .\n    env_file: .env\n")}, expect=((".dockerignore", 1),)),
    Example("git-env-and-venv", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": "__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".env": "DEBUG=1\n", ".venv/pyvenv.cfg": "home = /usr/bin\n"},
            expect=((".dockerignore", 1),)),
    Example("data-dir-to-come", {"compose.yaml": POSTGRES_DATA_BIND, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
                                 ".dockerignore": ".git\n.env\n"}, expect=((".dockerignore", 1),)),
    Example("complete", {
        "compose.yaml": POSTGRES_DATA_BIND, "Dockerfile": COPY_ALL, "manage.py": MANAGE,
        ".dockerignore": "**/.git\n.env*\n!.env.example\n.venv\n/data\n**/__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".env": "DEBUG=1\n", ".env.example": "DEBUG=\n",
        ".venv/pyvenv.cfg": "home = /usr/bin\n", "app/__pycache__/x.pyc": b"\x00"}),
    # `.git/*` keeps out all that .git holds: Docker sends the empty folder alone. `.git/objects` keeps out a part.
    Example("everything-in-the-git-folder", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git/*\n**/__pycache__\nnode_modules/\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".git/config": "[core]\n"}),
    Example("part-of-the-git-folder", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git/objects\n**/__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".git/config": "[core]\n"}, expect=((".dockerignore", 1),),
        fixed={".dockerignore": ".git/objects\n**/__pycache__\n.git\n"}),
    # The editor's development container copies the whole folder; the image that ships copies two subfolders.
    Example("workspace-image-of-the-editor", {
        "Dockerfile": "FROM python:3.12-alpine\nWORKDIR /app\nCOPY backend/ .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        ".devcontainer/Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . .\n",
        ".devcontainer/docker-compose.yml": "services:\n  app:\n    build:\n      context: ..\n"
                                            "      dockerfile: .devcontainer/Dockerfile\n    command: sleep infinity\n",
        ".dockerignore": "**__pycache__**\n", ".gitignore": ".env.prod\n", ".env.prod.example": "SECRET_KEY=\n",
        "backend/manage.py": MANAGE, "backend/requirements.txt": "django==5.1.3\n", ".git/HEAD": "ref\n"}),
    Example("copies-named-folders", {"Dockerfile": "FROM python:3.12-slim\nCOPY app /app\n", "manage.py": MANAGE,
                                     ".dockerignore": "*.md\n", ".git/HEAD": "ref\n"}),
    # README: "cp .env.example .env" – the .env git ignores is in the context of every clone but a fresh one.
    Example("env-file-made-from-a-template", {
        **KEEPS_GIT_OUT, ".gitignore": ".env\n", ".env.example": "DJANGO_SECRET_KEY=\nDEBUG=0\n"},
        expect=((".dockerignore", 1),), fixed={".dockerignore": ".git\n**/__pycache__\n.env*\n!.env.example\n"}),
    # Ansible renders the server's .env from a Jinja template of placeholders: no env file of anyone's.
    Example("env-file-template-ansible-renders", {
        **KEEPS_GIT_OUT, "ansible/templates/.env.j2": "SECRET_KEY={{ django_secret_key }}\nDEBUG=0\n"}),
    Example("env-file-made-from-a-template-kept-out", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n.env\n",
        ".gitignore": ".env\n", ".env.example": "DJANGO_SECRET_KEY=\nDEBUG=0\n"}),
    # Not ignored by git, the file made from the template would be committed: nothing says a clone makes it.
    Example("env-template-of-a-file-git-does-not-ignore", {
        **KEEPS_GIT_OUT, ".gitignore": "*.pyc\n", ".env.example": "DJANGO_SECRET_KEY=\nDEBUG=0\n"}),
    # `vite build` reads frontend/.env in the builder stage: VITE_ values go into the public bundle anyway.
    Example("frontend-env-of-public-build-values", {
        **KEEPS_GIT_OUT, ".gitignore": ".env\n", "frontend/.env.example": "VITE_API_URL=http://localhost:8000\nVITE_SENTRY_DSN=\n"}),
    Example("frontend-env-with-a-secret-among-public-values", {
        **KEEPS_GIT_OUT, ".gitignore": ".env\n", "frontend/.env.example": "VITE_API_URL=http://localhost:8000\nSENTRY_AUTH_TOKEN=\n"},
        expect=((".dockerignore", 1),)),
    Example("env-files-made-from-a-folder-of-templates", {
        **KEEPS_GIT_OUT, ".gitignore": ".envs\n", "config/envs_template/django/.env.local": "DJANGO_SECRET_KEY=\n"},
        expect=((".dockerignore", 1),),
        fixed={".dockerignore": ".git\n**/__pycache__\n**/.env*\n!config/envs_template/**\n"}),
    # The production Dockerfile copies the .env.prod each deployment makes: keeping it out would break that build.
    Example("env-file-copied-by-name-before-it-is-made", {
        "Dockerfile": COPY_ALL, "Dockerfile.prod": COPY_ALL + "COPY .env.prod .env\n", "manage.py": MANAGE,
        ".dockerignore": ".git\n**/__pycache__\n", ".gitignore": ".env*\n!.env.example\n",
        ".env.example": "DJANGO_SECRET_KEY=\n"},
        expect=((".dockerignore", 1),),
        fixed={".dockerignore": ".git\n**/__pycache__\n.env*\n!.env.example\n!.env.prod\n"}),
    Example("env-file-below-the-root", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env\n", ".gitignore": ".env\n",
        "app/.env": "DEBUG=1\n"},
            expect=((".dockerignore", 1),)),
    Example("env-file-let-in-again", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env*\n!.env\n", ".gitignore": ".env\n",
        ".env": "DEBUG=1\n"},
            expect=((".dockerignore", 1),)),
    Example("env-files-everywhere-excluded", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/.env\n!.env.example\n",
        "app/.env": "DEBUG=1\n", ".env": "DEBUG=1\n", ".env.example": "DEBUG=\n"}),
    # The build reads the version from git and removes the history afterwards.
    Example("build-reads-git", {
        "Dockerfile": PYTHON_ENV_BASE + "RUN apt-get update && apt-get install -y --no-install-recommends git "
                      "&& rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\n"
                      "RUN git describe --tags --always > VERSION && rm -rf .git\n",
        "manage.py": MANAGE, ".dockerignore": ".env\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"}),
    Example("build-runs-a-script-that-reads-git", {
        "Dockerfile": PYTHON_ENV_BASE + "RUN apt-get update && apt-get install -y --no-install-recommends git "
                      "&& rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\nRUN /app/scripts/version-file.sh\n",
        "scripts/version-file.sh": "#!/bin/bash\nset -e\ncommit=\"$(git rev-parse --short HEAD)\"\n"
                                   "echo \"$commit\" > version.txt\n",
        "manage.py": MANAGE, ".dockerignore": ".env\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"}),
    Example("build-runs-a-script-that-does-not-read-git", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\nRUN /app/scripts/collect.sh\n",
        "scripts/collect.sh": "#!/bin/bash\nset -e\npython manage.py collectstatic --noinput\n",
        "manage.py": MANAGE, ".dockerignore": ".env\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"},
        expect=((".dockerignore", 1),)),
    Example("build-mounts-git", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\n"
                      "RUN --mount=type=bind,source=.git,target=/app/.git python manage.py write_version\n",
        "manage.py": MANAGE, ".dockerignore": ".env\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"}),
    Example("build-reads-git-and-env-sent", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\nRUN find . -type d -name .git | xargs rm -rf\n",
        "manage.py": MANAGE, ".dockerignore": "**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n",
        ".gitignore": ".env\n", ".env": "DEBUG=1\n"}, expect=((".dockerignore", 1),)),
    # The builder stage takes the whole context to build wheels; the final image takes the wheels and app/ only.
    Example("env-file-left-in-the-builder-stage", {
        "Dockerfile": BUILDER_STAGE + "COPY --from=builder /wheels /wheels\n"
                      "RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\nCOPY app/ /app/app/\n",
        "manage.py": MANAGE, "app/settings.py": "", ".dockerignore": ".git\n**/__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".env": "DJANGO_SECRET_KEY=8c1e0f5a9b7d\n"}),
    Example("builder-stage-copied-whole-into-the-image", {
        "Dockerfile": BUILDER_STAGE + "COPY --from=builder /wheels /wheels\n"
                      "RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\nCOPY --from=builder /src /app\n",
        "manage.py": MANAGE, "app/settings.py": "", ".dockerignore": ".git\n**/__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".env": "DJANGO_SECRET_KEY=8c1e0f5a9b7d\n"},
            expect=((".dockerignore", 1),), fixed={".dockerignore": ".git\n**/__pycache__\n.env*\n"}),
    # The virtualenv's path is set once, by an ARG its ENV holds: the final stage copies that folder alone.
    Example("builder-virtualenv-named-by-a-variable", {
        "Dockerfile": VENV_BUILDER + "COPY --from=builder \"$VIRTUAL_ENV\" \"$VIRTUAL_ENV\"\nCOPY app/ /app/app/\n",
        "manage.py": MANAGE, "app/settings.py": "", ".dockerignore": "*.md\n", ".git/HEAD": "ref: refs/heads/main\n"}),
    Example("builder-source-named-by-a-variable", {
        "Dockerfile": VENV_BUILDER + "COPY --from=builder \"$SOURCE\" /app\n",
        "manage.py": MANAGE, "app/settings.py": "", ".dockerignore": "*.md\n", ".git/HEAD": "ref: refs/heads/main\n"},
            expect=((".dockerignore", 1),)),
    Example("git-left-in-the-builder-stage", {
        "Dockerfile": BUILDER_STAGE + "COPY --from=builder /wheels /wheels\n"
                      "RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\nCOPY app/ /app/app/\n",
        "manage.py": MANAGE, "app/settings.py": "", ".dockerignore": "*.md\n", ".git/HEAD": "ref: refs/heads/main\n",
        "app/__pycache__/settings.cpython-312.pyc": b"\x00"}),
    Example("data-folder-sent-to-the-builder-stage", {
        "compose.yaml": POSTGRES_DATA_BIND, "manage.py": MANAGE, "app/settings.py": "",
        "Dockerfile": BUILDER_STAGE + "COPY --from=builder /wheels /wheels\n"
                      "RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\nCOPY app/ /app/app/\n",
        ".dockerignore": "*.md\n", ".git/HEAD": "ref: refs/heads/main\n"},
            expect=((".dockerignore", 1),), fixed={".dockerignore": "*.md\n/data/db\n"}),
    # The package's version comes from git tags (uv-dynamic-versioning), and the image installs the project.
    Example("version-from-git-tags", {
        "Dockerfile": "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nWORKDIR /app\nCOPY . .\n"
                      "RUN uv sync --locked --no-dev\nCMD [\"uv\", \"run\", \"gunicorn\", \"app.wsgi\"]\n",
        "pyproject.toml": "[project]\nname = \"app\"\ndynamic = [\"version\"]\n\n[build-system]\n"
                          "requires = [\"hatchling\", \"uv-dynamic-versioning\"]\nbuild-backend = \"hatchling.build\"\n"
                          "\n[tool.hatch.version]\nsource = \"uv-dynamic-versioning\"\n",
        "manage.py": MANAGE, ".dockerignore": ".venv\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"}),
    Example("version-from-git-but-only-dependencies-installed", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n",
        "requirements.txt": "django==5.1.4\n",
        "pyproject.toml": "[build-system]\nrequires = [\"setuptools>=64\", \"setuptools-scm>=8\"]\n"
                          "build-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"app\"\n"
                          "dynamic = [\"version\"]\n\n[tool.setuptools_scm]\n",
        "manage.py": MANAGE, ".dockerignore": "**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"},
        expect=((".dockerignore", 1),), fixed={".dockerignore": "**/__pycache__\n.git\n"}),
    # The settings show the running commit (`git rev-parse HEAD`), and the image has git for it.
    Example("site-shows-its-commit", {
        "Dockerfile": PYTHON_ENV_BASE + "RUN apt-get update && apt-get install -y --no-install-recommends git "
                      "&& rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install -r requirements.txt\nCOPY . .\n",
        "manage.py": MANAGE, "app/settings.py": GIT_VERSION_SETTINGS, ".dockerignore": ".env\n**/__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n"}),
    # Sentry's release is the commit raven reads from .git's own files: no git needed in the image.
    Example("settings-read-the-commit-from-git-files", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                      "COPY . .\n",
        "manage.py": MANAGE, ".dockerignore": ".env\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n",
        "app/settings.py": "import os\n\nimport raven\n\nRAVEN_CONFIG = {\n"
                           "    'release': raven.fetch_git_sha(os.path.dirname(os.pardir)),\n}\n"}),
    Example("settings-run-git-the-image-lacks", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                      "COPY . .\n",
        "manage.py": MANAGE, "app/settings.py": GIT_VERSION_SETTINGS, ".dockerignore": ".env\n**/__pycache__\n",
        ".git/HEAD": "ref: refs/heads/main\n"}, expect=((".dockerignore", 1),)),
    # The settings import the project's version module, which asks setuptools-scm (git) for the version at start-up.
    Example("settings-import-a-version-read-from-git", {
        "Dockerfile": GIT_IMAGE, "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "from app.release import current_version\n\nRELEASE = current_version()\n",
        "app/release.py": "from setuptools_scm import get_version\n\n\ndef current_version():\n"
                          "    return get_version(root='..', relative_to=__file__)\n",
        ".dockerignore": ".env\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"}),
    Example("settings-import-a-version-from-the-package-metadata", {
        "Dockerfile": GIT_IMAGE, "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "from .release import current_version\n\nRELEASE = current_version()\n",
        "app/release.py": "from importlib.metadata import version\n\n\ndef current_version():\n"
                          "    return version('app')\n",
        ".dockerignore": ".env\n**/__pycache__\n", ".git/HEAD": "ref: refs/heads/main\n"},
        expect=((".dockerignore", 1),)),
    Example("appends-what-is-missing-without-a-final-newline", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\n", "manage.py": MANAGE, ".env": "DEBUG=1\n",
        ".gitignore": ".env\n",
        ".dockerignore": "# keep the image small\n**/__pycache__\n!keep.md", ".git/HEAD": "ref: refs/heads/main\n"},
            expect=((".dockerignore", 1),),
            fixed={".dockerignore": "# keep the image small\n**/__pycache__\n!keep.md\n.git\n.env*\n"}),
    # The settings read the committed .env.development in the container; each developer's own .env is gitignored.
    Example("committed-env-file-of-public-values", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n",
        ".gitignore": ".env\n", ".git/HEAD": "ref: refs/heads/main\n",
        ".env.development": "# Only non-sensitive values: put secrets in .env\nDJANGO_DEBUG=true\n"
                            "DJANGO_SECRET_KEY=<change-me>\nALLOWED_HOSTS=localhost,127.0.0.1\n"}),
    Example("committed-env-file-with-a-secret", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n",
        ".gitignore": ".env\n", ".git/HEAD": "ref: refs/heads/main\n",
        ".env.development": "DJANGO_DEBUG=true\nALLOWED_HOSTS=localhost\n",
        ".env.production": "DJANGO_DEBUG=false\nDJANGO_SECRET_KEY=9c1f4e2a7b3d8e6f0a5c\n"},
            expect=((".dockerignore", 1),),
            fixed={".dockerignore": ".git\n**/__pycache__\n.env*\n!.env.development\n"}),
    # The image runs with the committed env file its settings read: the Dockerfile copies it by name.
    Example("env-file-copied-by-name", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                      "COPY .env.docker ./.env.docker\nCOPY . .\n",
        "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n", ".gitignore": ".env\n",
        ".git/HEAD": "ref: refs/heads/main\n", ".env.docker": "DJANGO_SECRET_KEY=4f2a9c7e1b0d\nDATABASE_URL=sqlite://\n"}),
    # Committed development values, read through the compose file's env_file: every clone has them already.
    Example("committed-development-env-file", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n",
        ".gitignore": "*.local\n", ".git/HEAD": "ref: refs/heads/main\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    env_file: config/local_dev.env\n",
        "config/local_dev.env": "DJANGO_SECRET_KEY=dont-use-this-in-production-7d2f\n"
                                "AWS_SECRET_ACCESS_KEY=minio-storage-pw\n"}),
    Example("development-env-file-nothing-reads", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n",
        ".gitignore": "*.pyc\n", ".git/HEAD": "ref: refs/heads/main\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
        ".env.local": "DJANGO_SECRET_KEY=k3y-0f-my-own-cl0ne\n"}, expect=((".dockerignore", 1),)),
    Example("committed-env-file-of-example-values", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n",
        ".gitignore": "*.local\n", ".git/HEAD": "ref: refs/heads/main\n",
        "compose.yaml": APP_ENV_STACK,
        "config/app.env": "DJANGO_SECRET_KEY=ThisIsAnExampleKeyNotForProduction\nAPI_TOKEN=your-api-token\n"}),
    Example("committed-env-file-of-an-example-value-and-a-real-one", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n**/__pycache__\n",
        ".gitignore": "*.local\n", ".git/HEAD": "ref: refs/heads/main\n",
        "compose.yaml": APP_ENV_STACK,
        "config/app.env": "DJANGO_SECRET_KEY=ThisIsAnExampleKeyNotForProduction\nAPI_TOKEN=t0k3n-9QwE2rTy\n"},
        expect=((".dockerignore", 1),)),
])
def dockerignore_incomplete(project: Project) -> Iterator[Violation]:
    """`.dockerignore` lets through something that should not be in the image.

    ## What it does
    For a Dockerfile that copies its whole context (not an editor's workspace image, a
    `.devcontainer/Dockerfile`, which stays on the developer's disk), lists what is in the context (or
    will be: the data directory a database service bind-mounts there, the `.env` git
    ignores that each clone makes from a committed `.env.example`, or from its twin in a
    folder of templates, `config/envs_template/` for `config/.envs/`, or by hand, as the
    README says or a service's `env_file:` reads it; not one that sets
    only what a frontend bundler builds into its public JavaScript, `VITE_*`,
    `NEXT_PUBLIC_*`, which the build reads from the context) and is not
    excluded by the `.dockerignore`: `.git`, `.env` files that give a secret a value or
    that git ignores (each developer's own; `.env.example`, a committed file of
    placeholders and public values, one a Dockerfile copies by name or a RUN reads by name
    (`DJANGO_DOT_ENV_FILE=.env.local python manage.py collectstatic`), and the test suite's
    committed `.env.test`, are fine, and so
    is a committed development one a compose file reads, `env_file: local_dev.env`, whose
    throwaway values every clone has, and one the settings load in the container
    (`load_dotenv()`) when no service that runs the image passes it another way, by `env_file:`
    or a bind mount: kept out, Django finds no configuration; a value that says it is no real secret, `change-me`,
    `ThisIsAnExampleKeyForDevPurposeOnly`, is judged as DJC207 and DJC412 do),
    virtualenv folders,
    the database data directory, `__pycache__` and `node_modules` (a folder whose every
    file a pattern keeps out, `.git/*`, is kept out: Docker sends the empty folder alone). An env file is not
    asked for when every stage that copies the whole context is left behind by the
    final image (a builder stage whose final stage takes only the wheels or the built
    files): it is in no layer anyone pulls. The same goes
    for `.git`, a virtualenv, `__pycache__` and `node_modules`; the data directory is
    still reported, as the build cannot read it whichever stage copies it. A SQLite
    database file is DJC413's. `.git` is not asked for when the Dockerfile reads it:
    copies or mounts it, runs `git` after copying the context (a version from
    `git describe`), or removes it once done; nor when the site reads it: the final
    image installs git and the settings (or `manage.py`, `wsgi.py`, or a module of the
    project they import) run it (`git rev-parse HEAD` for the version a page shows,
    setuptools-scm's `get_version()`), or the settings read the commit from `.git`'s files,
    which needs no git (raven's `fetch_git_sha()`); nor when the package's build
    backend takes its version from git (setuptools-scm, hatch-vcs, uv-dynamic-versioning,
    poetry-dynamic-versioning, versioneer in `pyproject.toml`, `setup.cfg` or `setup.py`)
    and the image installs the project (`pip install .`, `uv sync`, `poetry install`):
    without `.git` in the context the version falls back to `0.0.0` or the build fails.

    ## Why is this bad?
    Each of them lands in the image: `.git` and `node_modules` make it large and the
    build slow, `.env` puts secrets into a layer anyone with the image can read, a
    virtualenv built on the host shadows the image's packages, and a database
    directory owned by the container's user breaks the build.

    ## Example
    ```
    __pycache__
    ```
    with `.git`, `.env` and `.venv` in the folder. Use instead:
    ```
    .git
    .env*
    !.env.example
    .venv
    **/__pycache__
    ```

    ## Fix safety
    Safe: the fix appends the missing patterns to the `.dockerignore` the build reads,
    each checked with Docker's own matching to keep out the path it is for (`.env*`
    matches at the context's root only: an env file in a subfolder gets `**/.env*`),
    never one the file already has. An env example (`.env.example`), a folder of
    templates, a committed env file without secrets, or a file a Dockerfile copies by
    name (there yet or not), that a new pattern would keep out is let in again with a `!`
    line, as Dockerfiles copy it.

    ## References
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (`.dockerignore` with `.venv`, `.git`, `__pycache__`)
    - [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
      (`.env` and the database files kept out of the image)
    """
    done = set()
    for build in project.builds:
        path = project.dockerignore_path(build)
        ignore = project.dockerignore(build)
        copy = copies_context(build)
        text = project.text(path) if path is not None else None
        if path is None or ignore is None or copy is None or text is None or path in done \
                or project.workspace_image(build):
            continue  # an editor's workspace image stays on the developer's disk
        done.add(path)
        needed = exclusions(project, build, text, unwanted_env=functools.partial(
            _secret_or_local, project, build, copied_by_name(project, build)))
        if reads_git(project, build) or runs_git(project, build) or versioned_by_git(project, build):
            # the build, the site or the package's version needs the repository's history
            needed = Exclusions(tuple(p for p in needed.sent if not _is_git(p)),
                                tuple(p for p in needed.patterns if not _is_git(p)))
        sharing = [b for b in project.builds if copies_context(b) is not None and project.dockerignore_path(b) == path
                   and not project.workspace_image(b)]
        needed = _without_left_behind(needed, sharing, text, _data_folders(project, sharing))
        if needed.sent:
            shown = ", ".join(as_named(project, build, relative) for relative in sorted(set(needed.sent)))
            added = ", ".join(needed.patterns)
            after_last_line = text.count("\n") + 2
            fix = Fix(f"add {added} to {path.name}",
                      (insert_lines(path, text, after_last_line, list(needed.patterns)),)) if needed.patterns else None
            advice = f"add {added}" if needed.patterns else "exclude them"
            shipped = any(_shipped(b, relative) for b in sharing for relative in needed.sent)
            into = "the image" if shipped else "the build"
            yield Violation(Location(path, 1), f".dockerignore lets {shown} into {into}{_why(ignore, needed.sent)}; "
                                              f"{advice}", related=(copy,), fix=fix)


def _secret_or_local(project: Project, build: ImageBuild, copied: tuple[str, ...], relative: str) -> bool:
    """Whether an env file of the context is one to keep out of the image: it gives a secret a value, or git
    ignores it (each developer makes it). One a Dockerfile copies by name is meant for it (DJC119 reports the
    secrets it carries), as is a committed file of placeholders and public values, and a committed development one
    a compose file reads (``env_file: local_dev.env``): its throwaway values are in every clone already (DJC412
    does not report it either). A development-named file nothing reads may be a developer's own (``.env.local``).
    ``copied``: what the Dockerfiles building from the context copy by name (:func:`copied_by_name`)."""
    path = build.context / relative
    if relative in copied:
        return False  # meant for the image: DJC119 reports the secrets it carries; keeping it out breaks the build
    if _configures_the_container(project, build, path):
        return False  # the container's only configuration: kept out, Django stops at start-up
    if project.gitignored(path):
        return True
    if development_env(path) and in_git(project) and any(
            ref.path == path for other in [project, *project.related] for service in other.services
            for ref in service.env_files):
        return False
    if TEST_WORDS.search(path.name) and in_git(project):
        return False  # the test suite's committed settings (`.env.test`, pytest-dotenv's): every clone has them
    return bool(env_secrets(project, path))



def _configures_the_container(project: Project, build: ImageBuild, path: Path) -> bool:
    """Whether the env file is how the image's containers get their configuration: the settings load it
    (``load_dotenv()``) from where the build puts it, and every compose service that runs Django from the image
    passes it no other way (no ``env_file:``, no bind mount of its folder). Kept out of the image, the settings
    find no file."""
    runs = [run for run in project.django_runs if run.build is build]
    if not runs or any(run.service is None for run in runs):
        return False  # an image run elsewhere: its runner may give the environment
    for run in runs:
        assert run.service is not None
        if any(ref.path == path for ref in run.service.env_files) or any(
                mount.type == "bind" and mount.source and path.is_relative_to(mount.source)
                for mount in run.service.volumes):
            return False
        if not any(path in (env_files_loaded(project, run, settings) or ()) for settings in run.settings):
            return False
    return True


def _without_left_behind(needed: Exclusions, builds: list[ImageBuild], text: str, data: set[str]) -> Exclusions:
    """``needed`` without what reaches no final image: every build copies its whole context in a stage the
    image leaves behind (a builder whose final stage takes only the wheels or the built files).

    Such a path is sent to the builder, not shipped: a ``.env`` or ``.git`` is in no layer anyone pulls. A
    database's data directory (``data``) stays: the build cannot read it, whichever stage copies it.
    """
    left = [relative for relative in needed.sent
            if relative not in data and not any(_shipped(build, relative) for build in builds)]
    if not left:
        return needed
    sent = tuple(relative for relative in needed.sent if relative not in left)
    dropped = {pattern for relative in left for pattern in _patterns_for(relative)}
    patterns = tuple(p for p in needed.patterns if p not in dropped and not (p.startswith("!") and ".env*" in dropped))
    kept = parse_dockerignore(appended(text, list(patterns)))
    return Exclusions(sent, patterns if all(kept.excludes(relative) for relative in sent) else needed.patterns)


def _patterns_for(relative: str) -> set[str]:
    """The patterns ``exclusions`` may have chosen to keep out a path of its kind (``.git``, an env file...)."""
    name = posixpath.basename(relative)
    chosen = {relative, f"/{relative}"}
    if _is_git(relative):
        chosen |= {".git", "**/.git"}
    elif is_env_name(name):
        chosen |= set(ENV_PATTERNS)
    elif name in {"__pycache__", "node_modules"}:
        chosen.add(f"**/{name}")
    return chosen


def _data_folders(project: Project, builds: list[ImageBuild]) -> set[str]:
    """The data directories database services bind-mount inside the builds' contexts, relative to them."""
    return {relative for build in builds for relative in data_folders(project, build)}


MAX_STAGE_HOPS = 200
"""How many (stage, path) steps a file is followed through ``COPY --from`` before it is taken to be shipped."""


def _shipped(build: ImageBuild, relative: str) -> bool:
    """Whether a file of the context that a whole-context COPY takes reaches the final image."""
    dockerfile = build.dockerfile
    if dockerfile is None:
        return True
    for stage in dockerfile.stages:
        for copy in dockerfile.copies(stage):
            if copy.instruction in stage.instructions and whole_context_copy(copy.instruction) \
                    and _reaches_final(dockerfile, stage, posixpath.join(copy.dest, relative), set()):
                return True
    return False


def _reaches_final(dockerfile: Dockerfile, stage: Stage, image_path: str, seen: set[tuple[int, str]]) -> bool:
    """Whether a file at ``image_path`` in ``stage`` is in the final image: the stage is the final one or one it
    is built FROM, or a stage built from it or copying the file (``COPY --from=builder /app/dist /srv``) is."""
    if stage.index in {member.index for member in dockerfile.lineage(dockerfile.final)}:
        return True
    if len(seen) > MAX_STAGE_HOPS:
        return True  # too many hops to follow: taken to be shipped
    if (stage.index, image_path) in seen:
        return False  # followed already
    seen.add((stage.index, image_path))
    for other in dockerfile.stages:
        if other.index == stage.index:
            continue
        if other.parent == stage.index and _reaches_final(dockerfile, other, image_path, seen):
            return True
        for instruction in other.instructions:
            origin = instruction.flag("from") if instruction.keyword in {"COPY", "ADD"} else None
            if origin is None or origin.lower() not in {stage.name or "", str(stage.index)}:
                continue
            parts = list(instruction.exec_form) if instruction.exec_form else instruction.words()
            if len(parts) < 2:
                continue
            *sources, dest = parts
            destination = posixpath.join(dockerfile.workdir_at(other, instruction), dest)
            variables = dockerfile.variables_at(other, instruction) if "$" in "".join(sources) else {}
            for written in sources:
                source = expand(written, variables) if "$" in written else written
                if source is None or any(c in source for c in "*?[$"):
                    return True  # a pattern or a variable not known: it may take the file
                folder = posixpath.normpath(posixpath.join("/", source))
                if image_path == folder or image_path.startswith(folder.rstrip("/") + "/"):
                    moved = posixpath.normpath(posixpath.join(destination, posixpath.relpath(image_path, folder)))
                    if _reaches_final(dockerfile, other, moved, seen):
                        return True
    return False


def _why(ignore: DockerIgnore, sent: tuple[str, ...]) -> str:
    """Why a pattern the file has keeps a path in: a ``!`` line lets it back in, or it matches at the root only.

    ``.env`` and ``*.env`` match at the context's root alone; ``app/.env`` needs ``**/.env``.
    """
    for relative in sent:
        last = ignore.last_match(relative)
        if last >= 0 and ignore.patterns[last].exclusion:
            pattern = ignore.patterns[last]
            return f" (`!{pattern.text}` on line {pattern.line} lets {relative} in again)"
    for relative in sent:
        folder, _, name = relative.rpartition("/")
        if not folder:
            continue
        rooted = next((p for p in ignore.patterns if not p.exclusion and "/" not in p.text
                       and parse_dockerignore(p.text).excludes(name)), None)
        if rooted is not None:
            return f" (`{rooted.text}` on line {rooted.line} matches at the context's root only)"
    return ""


GIT_FOLDER = re.compile(r"(?:^|[\s,=/])\.git(?:$|[\s,/\"'])")
"""``.git`` as a path in an instruction's text: ``COPY .git``, ``--mount=...,source=.git``, ``-name .git``."""


def reads_git(project: Project, build: ImageBuild) -> bool:
    """Whether the Dockerfile reads the repository's ``.git``: copies it (``COPY .git .git``), mounts it
    (``RUN --mount=type=bind,source=.git,...``), runs ``git`` after copying the whole context (``git describe``,
    ``git rev-parse HEAD``, itself or in a script of the context it runs: ``RUN ./scripts/version-file.sh``), or
    removes the ``.git`` it copied once done (``find . -name .git | xargs rm -rf``)."""
    dockerfile = build.dockerfile
    if dockerfile is None:
        return False
    copied = False
    for stage in dockerfile.stages:
        workdir = "/"
        for instruction in stage.instructions:
            if instruction.keyword == "WORKDIR":
                workdir = posixpath.normpath(posixpath.join(workdir, instruction.args.strip()))
            if copied and instruction.keyword == "RUN" and _script_runs_git(project, build, stage, workdir,
                                                                             instruction.commands):
                return True
            copied = copied or (instruction.keyword in {"COPY", "ADD"} and instruction.flag("from") is None
                                and whole_context_copy(instruction))
    copied = False
    for instruction in dockerfile.instructions:
        if instruction.keyword in {"COPY", "ADD"} and instruction.flag("from") is None:
            sources = list(instruction.exec_form or instruction.words())[:-1]
            if any(_is_git(source.rstrip("/")) for source in sources if not source.startswith("--")):
                return True
            copied = copied or whole_context_copy(instruction)
        elif instruction.keyword == "RUN":
            if any(GIT_FOLDER.search(value or "") for key, value in instruction.flags if key == "mount"):
                return True
            if copied and any(program(command) == "git" or (program(command) in {"rm", "find", "xargs"}
                                                            and any(_is_git(w) for w in command.words))
                              for command in instruction.commands):
                return True
    return False


SCRIPT_RUNS_GIT = re.compile(r"(?:^|[;&|(`]|\$\()[ \t]*git[ \t]+(?:rev-parse|describe|log|rev-list|show)\b", re.M)
"""A shell script asking git for the commit or the version (``git rev-parse HEAD``, ``git describe --tags``)."""


def _script_runs_git(project: Project, build: ImageBuild, stage: Stage, workdir: str,
                     commands: tuple[Command, ...]) -> bool:
    """Whether a RUN executes a script of the build context (by its path in the image) that runs git."""
    for command in commands:
        for word in command.words[:2]:
            if word.endswith(".sh") or "/" in word:
                where = posixpath.normpath(posixpath.join(workdir, word))
                path = project.context_file(build, stage, where) or _in_context(project, build, where)
                text = project.text(path) if path is not None else None
                if text is not None and SCRIPT_RUNS_GIT.search(text):
                    return True
    return False


def _in_context(project: Project, build: ImageBuild, where: str) -> Path | None:
    """The file of the build context at the end of an image path the COPY mapping does not lead to (copied through
    another stage: ``COPY --from=assets /src/ /django/`` then ``RUN /django/scripts/version.sh``)."""
    parts = [part for part in where.split("/") if part]
    for start in range(1, min(len(parts), MAX_PATH_PARTS)):
        path = build.context.joinpath(*parts[start:])
        if project.is_file(path):
            return path
    return None


MAX_PATH_PARTS = 8


RUNS_GIT = re.compile(r"""[(\[]\s*+['"]git['"]\s*+,"""
                      r"""|['"]git\s++(?:rev-parse|describe|log|rev-list|show|symbolic-ref)\b"""
                      r"|^\s*+(?:import\s++git\b|from\s++git\s++import\b)"
                      r"|^\s*+(?:import|from)\s++(?:setuptools_scm|dunamai)\b", re.MULTILINE)
"""Python code running git: ``subprocess.check_output(["git", "rev-parse", "HEAD"])``, ``"git describe --tags"``,
GitPython (``import git``), a version read from git tags when the site starts (``from setuptools_scm import
get_version``, dunamai's ``Version.from_git()``)."""
PACKAGE_INSTALLS = {"apt-get": "install", "apt": "install", "apk": "add", "dnf": "install", "microdnf": "install",
                    "yum": "install"}
MAX_RUNS_GIT_FILES = 500
"""How many of the project's Python files are searched for a git command (settings, manage.py, wsgi.py...)."""


READS_GIT_FILES = re.compile(r"^[^#\n]*\bfetch_git_sha\(", re.MULTILINE)
"""Python code reading the commit from the files of ``.git`` (raven's ``fetch_git_sha(path)``), which needs no git."""


def runs_git(project: Project, build: ImageBuild) -> bool:
    """Whether the site reads its own history at run time: the final image installs git and the project's
    settings (or manage.py, wsgi.py) run it (``git rev-parse HEAD`` for the version a page shows), or they read
    the commit from ``.git`` itself, with no git (raven's ``fetch_git_sha``)."""
    dockerfile = build.dockerfile
    if dockerfile is None:
        return False
    code = list(project.setup.python_files)
    code += [a.path for settings in project.settings for a in settings.bindings.values()]
    code = list(dict.fromkeys(code))[:MAX_RUNS_GIT_FILES]

    def any_runs_git(paths: list[Path], pattern: re.Pattern[str] = RUNS_GIT) -> bool:
        return any((text := project.text(path)) is not None and path.is_relative_to(build.context)
                   and pattern.search(text) is not None for path in paths)

    if any_runs_git(code, READS_GIT_FILES):
        return True
    if not any(PACKAGE_INSTALLS.get(program(command)) in command.words and "git" in command.words
               for stage in dockerfile.lineage(dockerfile.final) for run in stage.all("RUN")
               for command in run.commands):
        return False
    if any_runs_git(code):
        return True
    # One step further: the project's own modules these import (``from app.version import get_version``).
    imported = [module for path in code for module in _imported_modules(project, path) if module not in code]
    return any_runs_git(list(dict.fromkeys(imported))[:MAX_RUNS_GIT_FILES])


IMPORTS = re.compile(r"^[ \t]*+(?:from[ \t]++(\.*+[\w.]*+)[ \t]++import\b|import[ \t]++([\w.]++))", re.MULTILINE)
"""An import statement's module: ``from app.version import x``, ``from .version import x``, ``import app.version``."""


def _imported_modules(project: Project, path: Path) -> list[Path]:
    """The project's files a Python file imports (absolute names the project has, relative ones beside it)."""
    text = project.text(path)
    found = []
    for match in IMPORTS.finditer(text or ""):
        dotted = match.group(1) or match.group(2) or ""
        level = len(dotted) - len(dotted.lstrip("."))
        if level:
            folder = path.parent
            for _ in range(level - 1):
                folder = folder.parent
            parts = [part for part in dotted[level:].split(".") if part]
            candidates = [folder.joinpath(*parts).with_suffix(".py"), folder.joinpath(*parts, "__init__.py")] \
                if parts else []
            module = next((candidate for candidate in candidates if project.is_file(candidate)), None)
        else:
            module = project.module_file(dotted)
        if module is not None and module != path:
            found.append(module)
    return found


VCS_VERSIONING = re.compile(r"setuptools[-_]scm|setuptools[-_]git[-_]versioning|hatch[-_]vcs"
                            r"|uv[-_]dynamic[-_]versioning|poetry[-_]dynamic[-_]versioning|versioneer|use_scm_version"
                            r"|^\s*+source\s*+=\s*+[\"'](?:scm|vcs)[\"']", re.MULTILINE)
"""A build backend or plugin that takes the package's version from git tags, as packaging files name it."""
PACKAGING_FILES = ("pyproject.toml", "setup.cfg", "setup.py")
PROJECT_ARGUMENTS = re.compile(r"\.(?:/|\[[^\]]*\])?")
"""The project itself as an installer's argument: ``.``, ``./``, ``.[prod]``."""
SKIPS_PROJECT = {"uv": ("--no-install-project", "--no-install-workspace", "--only-deps"), "poetry": ("--no-root",),
                 "pdm": ("--no-self",)}
"""The installers that install the project with its dependencies, and the options that leave it out."""


def versioned_by_git(project: Project, build: ImageBuild) -> bool:
    """Whether the image installs the project (``pip install .``, ``uv sync``, ``poetry install``) after copying
    the context, and its packaging takes the version from git (``setuptools-scm``, ``hatch-vcs``...): the
    build needs ``.git`` to know the version."""
    dockerfile = build.dockerfile
    if dockerfile is None or not any(
            (text := project.text(build.context / name)) is not None and VCS_VERSIONING.search(text)
            for name in PACKAGING_FILES):
        return False
    copied = False
    for instruction in dockerfile.instructions:
        copied = copied or whole_context_copy(instruction)
        if copied and instruction.keyword == "RUN" and any(_installs_project(command.words)
                                                           for command in instruction.commands):
            return True
    return False


def _installs_project(words: tuple[str, ...]) -> bool:
    """Whether a command builds or installs the project in the current folder (``pip install .``, ``uv sync``,
    ``poetry install``, ``python -m build``, ``python setup.py install``)."""
    name = program(Command(words))
    rest = words[3:] if len(words) > 2 and words[1] == "-m" and name == words[2] else words[1:]  # python -m pip
    if name == "uv" and rest[:1] == ("pip",):
        name, rest = "pip", rest[1:]
    if name in {"pip", "pip3"} and rest[:1] in {("install",), ("wheel",)}:
        return any(PROJECT_ARGUMENTS.fullmatch(word) for word in rest[1:])
    if name in SKIPS_PROJECT and rest[:1] in {("sync",), ("install",)}:
        return not any(word in SKIPS_PROJECT[name] for word in rest)
    return (name in {"hatch", "uv"} and rest[:1] == ("build",)) or rest[:1] == ("setup.py",) \
        or (name == "build" and words[1:2] == ("-m",))  # python -m build


def _is_git(path: str) -> bool:
    """Whether a context path or a pattern names a ``.git`` folder (``.git``, ``**/.git``, ``lib/.git``)."""
    return posixpath.basename(path.rstrip("/").strip("\"'")) == ".git"
