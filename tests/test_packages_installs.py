"""What an image installs, by each installer (rules/project/_packages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.discover import discover
from djlint_docker.project import Project
from djlint_docker.rules.project._lock_examples import (
    PIPENV_DOCKERFILE,
    POETRY_DOCKERFILE,
    UV_DOCKERFILE,
    pipenv_project,
    poetry_project,
    uv_project,
)
from djlint_docker.rules.project._packages import installs

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"


def _installs(tmp_path: Path, files: dict[str, str]) -> tuple[frozenset[str] | None, dict[str, tuple[str, str, int]]]:
    for name, text in {"manage.py": MANAGE, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (setup,) = discover([tmp_path])
    project = Project(setup, tmp_path)
    (build,) = project.builds
    found = installs(project, build)
    return found.names, {r.name: (r.specifier, r.path.name, r.line) for r in reversed(found.requirements)}


def test_uv_sync_reads_the_lock_with_groups(tmp_path: Path) -> None:
    names, pins = _installs(tmp_path, {"Dockerfile": UV_DOCKERFILE,
                                       **uv_project({"django": "5.1.3"}, dev={"pytest": "8.3.3"})})
    assert names == {"django"}  # --no-dev
    assert pins["django"][:2] == ("==5.1.3", "uv.lock")


def test_uv_sync_through_bind_mounts_with_the_dev_group(tmp_path: Path) -> None:
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/uv \\\n"
                  "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
                  "    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n"
                  "    uv sync --locked --no-install-project\nCOPY . .\n")
    names, _ = _installs(tmp_path, {"Dockerfile": dockerfile,
                                    **uv_project({"django": "5.1.3"}, dev={"pytest": "8.3.3"})})
    assert names == {"django", "pytest"}


def test_uv_sync_without_the_files_in_the_image_is_unknown(tmp_path: Path) -> None:
    dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync --frozen\nCOPY . .\n"
    names, _ = _installs(tmp_path, {"Dockerfile": dockerfile, **uv_project({"django": "5.1.3"})})
    assert names is None


def test_uv_sync_of_a_lock_each_user_makes_pins_what_djcheck_cannot_see(tmp_path: Path) -> None:
    """A project template: `uv lock` runs when it is copied out, and the image installs `--frozen` from that lock."""
    project = uv_project({"django": "6.0"})  # pyproject.toml asks for django>=6.0
    files = {"Dockerfile": UV_DOCKERFILE, **{name: text for name, text in project.items() if name != "uv.lock"}}
    names, pins = _installs(tmp_path, files)
    assert names == {"django"} and pins["django"][:2] == (">=6.0", "pyproject.toml")  # what the user's lock allows
    (setup,) = discover([tmp_path])
    project = Project(setup, tmp_path)
    assert installs(project, project.builds[0]).locked_by_user == {"django"}  # pinned there: not DJC409's
    unlocked = tmp_path / "unlocked"
    _, pins = _installs(unlocked, {**files, "Dockerfile": UV_DOCKERFILE.replace(" --frozen", "")})
    assert pins["django"][:2] == (">=6.0", "pyproject.toml")


def test_poetry_install_main_group(tmp_path: Path) -> None:
    names, pins = _installs(tmp_path, {"Dockerfile": POETRY_DOCKERFILE,
                                       **poetry_project({"django": "5.1.3"}, dev={"pytest": "8.3.3"})})
    assert names == {"django", "poetry"}
    assert pins["django"][:2] == ("==5.1.3", "poetry.lock")


def test_poetry_export_then_pip(tmp_path: Path) -> None:
    dockerfile = ("FROM python:3.12-slim AS build\nWORKDIR /app\nRUN pip install poetry poetry-plugin-export\n"
                  "COPY pyproject.toml poetry.lock ./\n"
                  "RUN poetry export -f requirements.txt --without-hashes > requirements.txt\n"
                  "RUN pip install -r requirements.txt\n")
    names, pins = _installs(tmp_path, {"Dockerfile": dockerfile,
                                       **poetry_project({"django": "5.1.3"}, dev={"pytest": "8.3.3"})})
    assert names is not None and "django" in names and "pytest" not in names
    assert pins["django"][1] == "poetry.lock"


@pytest.mark.parametrize("locked", [True, False])
def test_pipenv_install(tmp_path: Path, locked: bool) -> None:
    dockerfile = PIPENV_DOCKERFILE if locked else PIPENV_DOCKERFILE.replace("COPY Pipfile Pipfile.lock", "COPY Pipfile")
    names, pins = _installs(tmp_path, {"Dockerfile": dockerfile,
                                       **pipenv_project({"django": "5.1.3"}, dev={"pytest": "8.3.3"}, locked=locked)})
    assert names == {"django", "pipenv"}
    assert pins["django"][:2] == (("==5.1.3", "Pipfile.lock") if locked else ("", "Pipfile"))


def test_pip_install_dot_with_extras_and_group(tmp_path: Path) -> None:
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml .\nRUN pip install --group test\n"
                  "COPY . .\nRUN pip install --no-cache-dir '.[prod]'\n")
    pyproject = ('[project]\nname = "app"\nversion = "1"\ndependencies = ["django>=5.1,<5.2"]\n'
                 '[project.optional-dependencies]\nprod = ["gunicorn"]\n[dependency-groups]\ntest = ["pytest"]\n')
    names, pins = _installs(tmp_path, {"Dockerfile": dockerfile, "pyproject.toml": pyproject})
    assert names == {"django", "gunicorn", "pytest"}
    assert pins["django"] == ("<5.2,>=5.1", "pyproject.toml", 4)


@pytest.mark.parametrize("command", ["pip install -e .", "pdm install --prod", "pip install ."])
def test_unreadable_installs_are_unknown(tmp_path: Path, command: str) -> None:
    files = {"Dockerfile": f"FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN {command}\n",
             "setup.py": "from setuptools import setup\nsetup(install_requires=['django'])\n"}
    assert _installs(tmp_path, files)[0] is None


def test_uv_pip_install_from_pyproject(tmp_path: Path) -> None:
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml .\n"
                  "RUN uv pip install --system -r pyproject.toml\nCOPY . .\n")
    pyproject = '[project]\nname = "app"\nversion = "1"\ndependencies = [\n    "django>=5.1,<5.2",\n]\n'
    names, pins = _installs(tmp_path, {"Dockerfile": dockerfile, "pyproject.toml": pyproject})
    assert names == {"django"}
    assert pins["django"] == ("<5.2,>=5.1", "pyproject.toml", 5)


@pytest.mark.parametrize("compile_command", ["pip-compile requirements.in",
                                             "pip-compile --output-file=requirements.txt requirements.in",
                                             "uv pip compile requirements.in > requirements.txt"])
def test_pip_tools_compile_in_the_build(tmp_path: Path, compile_command: str) -> None:
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir pip-tools uv\n"
                  f"COPY requirements.in .\nRUN {compile_command}\n"
                  "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n")
    names, pins = _installs(tmp_path, {"Dockerfile": dockerfile, "requirements.in": "django>=5.1,<5.2\ngunicorn\n"})
    assert names == {"django", "gunicorn", "pip-tools", "uv"}
    assert pins["django"] == ("<5.2,>=5.1", "requirements.in", 1)


def test_lock_copied_by_a_wildcard(tmp_path: Path) -> None:
    """``poetry.lock*`` copies the lock when there is one: its pins count."""
    dockerfile = POETRY_DOCKERFILE.replace("COPY pyproject.toml poetry.lock ./", "COPY pyproject.toml poetry.lock* ./")
    names, pins = _installs(tmp_path, {"Dockerfile": dockerfile, **poetry_project({"django": "5.1.3"})})
    assert pins["django"][:2] == ("==5.1.3", "poetry.lock")


def test_uv_export_then_uv_pip_install_requirements(tmp_path: Path) -> None:
    """``uv export --output-file`` then ``uv pip install --requirements`` (uv's plural), with uv's own options."""
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /src\nCOPY [\"pyproject.toml\", \"uv.lock\", \"/src/\"]\n"
                  "RUN uv export --quiet --no-dev --format requirements-txt --output-file requirements.txt \\\n"
                  "    && uv pip install --no-cache --system --index https://pypi.org/simple "
                  "--index-strategy unsafe-best-match --requirements requirements.txt\nCOPY . .\n")
    names, pins = _installs(tmp_path, {"Dockerfile": dockerfile,
                                       **uv_project({"django": "5.1.3"}, dev={"pytest": "8.3.3"})})
    assert names == {"django"}
    assert pins["django"][:2] == ("==5.1.3", "uv.lock")


def test_two_exports_in_one_run(tmp_path: Path) -> None:
    """Each export writes its own file: the main group to one, the dev group too to the other."""
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\n"
                  "RUN poetry export -o main.txt 2>/dev/null && poetry export --with dev > dev.txt\n"
                  "RUN pip install --no-cache-dir -r main.txt\nCOPY . .\n")
    names, _ = _installs(tmp_path, {"Dockerfile": dockerfile,
                                    **poetry_project({"django": "5.1.3"}, dev={"pytest": "8.3.3"})})
    assert names == {"django"}


def test_exports_are_read_in_linear_time() -> None:
    """A RUN of many commands is split once, not scanned again for each of its commands."""
    import time

    from djlint_docker.parse.dockerfile import parse_dockerfile
    from djlint_docker.rules.project._packages import exported_files

    run_text = " && ".join(["uv export --output-file r.txt"] * 20000)
    (run,) = parse_dockerfile(Path("Dockerfile"), f"FROM python:3.12-slim\nRUN {run_text}\n").stages[0].all("RUN")
    started = time.perf_counter()
    assert len(exported_files(run)) == 20000
    assert time.perf_counter() - started < 1


def test_thousands_of_installs_are_read_in_linear_time(tmp_path: Path) -> None:
    """Each RUN's working directory and files are worked out again only after a WORKDIR, ENV, ARG or COPY."""
    import time

    lines = ["FROM python:3.12-slim", "WORKDIR /app", "COPY pyproject.toml uv.lock requirements.txt ./"]
    lines += ["RUN uv sync --frozen && pip install --no-cache-dir -r requirements.txt && uv export -o r.txt"] * 2000
    files = {"Dockerfile": "\n".join(lines) + "\n", "requirements.txt": "gunicorn==23.0.0\n",
             **uv_project({"django": "5.1.3"})}
    for name, text in {"manage.py": MANAGE, **files}.items():
        (tmp_path / name).write_text(text)
    (setup,) = discover([tmp_path])
    project = Project(setup, tmp_path)
    (build,) = project.builds
    project.requirements(build)  # the project's own reading of the -r files, not measured here
    started = time.perf_counter()
    assert installs(project, build).names == {"django", "gunicorn"}
    assert time.perf_counter() - started < 2


def test_the_project_installed_without_dependencies(tmp_path: Path) -> None:
    """``pip install --no-deps "$CODE_DIR"`` after ``uv sync --no-install-project`` adds the project alone."""
    dockerfile = ("FROM python:3.12-slim\nARG CODE_DIR=/app\nWORKDIR $CODE_DIR\nCOPY pyproject.toml uv.lock ./\n"
                  "RUN uv sync --frozen --no-install-project\nCOPY . \"$CODE_DIR/\"\n"
                  "RUN pip install --no-deps \"$CODE_DIR\"\n")
    names, _ = _installs(tmp_path, {"Dockerfile": dockerfile, **uv_project({"django": "5.1.3"})})
    assert names == {"django"}


def test_pipenv_finds_the_pipfile_in_a_folder_above_the_workdir(tmp_path: Path) -> None:
    """pipenv looks for the Pipfile from the working directory up: ``COPY . /code``, ``WORKDIR /code/src``."""
    dockerfile = ("FROM python:3.12-slim\nCOPY . /code\nWORKDIR /code/src\n"
                  "RUN pip install pipenv && pipenv install --deploy --system --ignore-pipfile\n")
    names, pins = _installs(tmp_path, {"Dockerfile": dockerfile,
                                       **pipenv_project({"django": "4.2.2", "psycopg2": "2.9.6"})})
    assert names == {"pipenv", "django", "psycopg2"}
    assert pins["psycopg2"][:2] == ("==2.9.6", "Pipfile.lock")


def test_pipenv_arguments_a_command_substitution_gives_are_unknown(tmp_path: Path) -> None:
    """``$(test "$DJANGO_ENV" = production || echo --dev)`` may add the development packages, or name others."""
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /code\nCOPY . .\nRUN pip install pipenv && pipenv install "
                  "$(test \"$DJANGO_ENV\" == production || echo \"--dev\") --deploy --system --ignore-pipfile\n")
    names, pins = _installs(tmp_path, {"Dockerfile": dockerfile,
                                       **pipenv_project({"django": "4.2.2"}, dev={"pytest": "8.3.3"})})
    assert names is None
    assert pins["django"][:2] == ("==4.2.2", "Pipfile.lock")  # the lock's pins are still known where written
    assert "pytest" not in pins
