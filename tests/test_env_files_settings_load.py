"""DJC307 and the env files the settings load themselves, and the variables the container's scripts export."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import lint, write_files

from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

COMPOSE = "services:\n  web:\n    build: .\n"
HEAD = "import os\nfrom pathlib import Path\n\nimport environ\nfrom dotenv import dotenv_values, find_dotenv, load_dotenv\n\n"
READ = "\nSECRET_KEY = os.environ['SECRET_KEY']\n"


def missing(root: Path, files: dict[str, str]) -> list[str]:
    """The variables DJC307 reports as not provided."""
    write_files(root, {"compose.yaml": COMPOSE, "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, **files})
    return sorted(f.message.split(" read ", 1)[1].split()[0] for f in lint(root) if f.code == "DJC307")


@pytest.mark.parametrize("loading", [
    "BASE_DIR = Path(__file__).resolve().parent.parent\nenviron.Env.read_env(BASE_DIR / 'deploy' / 'web.env')\n",
    "BASE_DIR = Path(__file__).resolve().parents[1]\nenviron.Env.read_env(env_file=str(BASE_DIR.joinpath('deploy/web.env')))\n",
    "BASE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))\n"
    "load_dotenv(dotenv_path=os.path.join(BASE_DIR, 'deploy', 'web.env'))\n",
    "BASE_DIR = Path(__file__).resolve().parent.parent\nload_dotenv(f'{BASE_DIR}/deploy/web.env')\n",
    "load_dotenv('deploy/web.env', override=True)\n",
    "env = environ.Env()\nenv.read_env(env.str('ENV_FILE', default='deploy/web.env'))\n",
    "os.environ.update(dotenv_values('deploy/web.env'))\n",
    "if os.environ.get('DJANGO_ENV', 'production') == 'production':\n    load_dotenv('deploy/web.env')\n"
    "else:\n    load_dotenv('deploy/dev.env')\n",
])
def test_a_file_the_settings_name_is_read(tmp_path: Path, loading: str) -> None:
    assert missing(tmp_path, {"deploy/web.env": "SECRET_KEY=from-the-file\n", "deploy/dev.env": "DEBUG=1\n",
                              "app/settings.py": HEAD + loading + READ}) == []


@pytest.mark.parametrize("loading", [
    "load_dotenv('deploy/web.env')\n",  # the file lacks it
    "values = dotenv_values('deploy/web.env')\n",  # read into a dict, not into the environment
    "if os.environ.get('DJANGO_ENV') == 'production':\n    load_dotenv('deploy/web.env')\n",  # a branch not taken
    "def load():\n    load_dotenv(os.environ['ENV_FILE'])\n",  # a function nothing calls at import
])
def test_a_file_that_does_not_give_the_variable(tmp_path: Path, loading: str) -> None:
    assert missing(tmp_path, {"deploy/web.env": "DEBUG=0\n", "app/settings.py": HEAD + loading + READ}) == [
        "SECRET_KEY"]


@pytest.mark.parametrize("loading", [
    "load_dotenv(os.environ['ENV_FILE'])\n",
    "for name in os.environ.get('ENV_FILES', '.env').split(','):\n    load_dotenv(name)\n",
    "load_dotenv(find_dotenv(os.environ['ENV_FILE']))\n",
])
def test_a_file_named_at_run_time_leaves_the_settings_unjudged(tmp_path: Path, loading: str) -> None:
    assert missing(tmp_path, {"app/settings.py": HEAD + loading + READ}) == []


def test_default_env_file_found_upwards(tmp_path: Path) -> None:
    assert missing(tmp_path, {".env": "SECRET_KEY=x\n", "app/settings.py": HEAD + "load_dotenv(find_dotenv())\n" + READ}
                   ) == []


def test_template_of_an_absent_file(tmp_path: Path) -> None:
    files = {".gitignore": "web.env\n", "web.env.example": "SECRET_KEY=\n",
             "app/settings.py": HEAD + "load_dotenv('web.env')\n" + READ}
    assert missing(tmp_path, files) == []


@pytest.mark.parametrize(("script", "expected"), [
    ("#!/bin/sh\nexport SECRET_KEY=\"$(cat /run/secrets/key)\"\nexec \"$@\"\n", []),
    ("#!/bin/bash\ndeclare -x SECRET_KEY=generated\nexec \"$@\"\n", []),
    ("#!/bin/bash\ndeclare SECRET_KEY=not-exported\nexec \"$@\"\n", ["SECRET_KEY"]),
    ("#!/bin/sh\nif [ \"$DJANGO_ENV\" = test ]; then\n  export SECRET_KEY=test\nfi\nexec \"$@\"\n", ["SECRET_KEY"]),
])
def test_exported_by_the_entrypoint(tmp_path: Path, script: str, expected: list[str]) -> None:
    files = {"entrypoint.sh": script, "compose.yaml": COMPOSE + "    environment:\n      DJANGO_ENV: production\n",
             "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
             "app/settings.py": "import os\n" + READ}
    assert missing(tmp_path, files) == expected
