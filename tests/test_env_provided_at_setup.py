"""Variables each clone provides in the env file it makes: named in a comment of the template, or written by a
committed setup script (DJC214, DJC217; the review of a project whose `.env.example` lists its secrets commented out
and whose setup command fills them in)."""

from __future__ import annotations

from pathlib import Path

from conftest import write_files

from djlint_docker.discover import discover
from djlint_docker.parse.envfile import commented_variables, parse_env_file
from djlint_docker.project import Project
from djlint_docker.rules.project._env_files import provided_at_setup, written_by_script

COMPOSE = "services:\n  db:\n    image: postgres:16\n    env_file: .env\n"


def project(root: Path, files: dict[str, str]) -> Project:
    write_files(root, {"compose.yaml": COMPOSE, ".gitignore": ".env\n", **files})
    setups = discover([root])
    return Project(next(s for s in setups if s.compose_files), root, siblings=setups)


def test_commented_variables_are_names_at_the_start_of_a_comment() -> None:
    text = ("\ufeff# SECRET_KEY=\n#POSTGRES_PASSWORD=change-me\n  #  export REDIS_URL = redis://cache\n"
            "# Set DEBUG=1 while developing\n# see https://example.com/?a=b\nDB_NAME=app\n#\n# EMPTY\n")
    assert commented_variables(text) == {"SECRET_KEY": 1, "POSTGRES_PASSWORD": 2, "REDIS_URL": 3}
    assert "SECRET_KEY" not in parse_env_file(text)  # Compose itself does not read them


def test_commented_variables_keep_the_first_line() -> None:
    assert commented_variables("# A=1\nA=2\n# A=3\n") == {"A": 1}


def test_commented_variables_are_linear_on_a_long_line() -> None:
    assert commented_variables("#" + " " * 200_000 + "A" * 200_000) == {}


def test_provided_when_the_template_comments_it(tmp_path: Path) -> None:
    found = project(tmp_path, {".env.example": "POSTGRES_USER=app\n# POSTGRES_PASSWORD=\n"})
    assert provided_at_setup(found, tmp_path / ".env", ["POSTGRES_PASSWORD_FILE", "POSTGRES_PASSWORD"]) \
        == "POSTGRES_PASSWORD"
    assert provided_at_setup(found, tmp_path / ".env", ["POSTGRES_DB"]) is None


def test_not_provided_when_the_env_file_is_committed(tmp_path: Path) -> None:
    found = project(tmp_path, {".env": "POSTGRES_USER=app\n# POSTGRES_PASSWORD=\n", ".gitignore": ""})
    assert provided_at_setup(found, tmp_path / ".env", ["POSTGRES_PASSWORD"]) is None


def test_written_by_a_script_into_that_file_only(tmp_path: Path) -> None:
    found = project(tmp_path, {".env.example": "POSTGRES_USER=app\n", "bin/ignored.sh": "",
                               "setup.sh": "cp .env.example .env\n"
                                           "echo \"POSTGRES_PASSWORD=$(openssl rand -hex 16)\" | tee -a .env\n"
                                           "echo \"FLOWER_PASSWORD=x\" >> flower.env\n"})
    env = tmp_path / ".env"
    assert written_by_script(found, [env], ["POSTGRES_PASSWORD"]) == "POSTGRES_PASSWORD"
    assert written_by_script(found, [env], ["FLOWER_PASSWORD"]) is None
    assert provided_at_setup(found, env, ["POSTGRES_PASSWORD"]) == "POSTGRES_PASSWORD"
