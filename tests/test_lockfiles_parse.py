"""The parsers of pyproject.toml, uv.lock, poetry.lock, Pipfile and Pipfile.lock (parse/lockfiles.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from djlint_docker.parse import ParseError
from djlint_docker.parse.lockfiles import (
    parse_pipfile,
    parse_pipfile_lock,
    parse_poetry_lock,
    parse_pyproject,
    parse_uv_lock,
    poetry_specifier,
)
from djlint_docker.rules.project._lock_examples import pipenv_project, poetry_project, uv_project

PYPROJECT = """\
[project]
name = "Shop_App"
version = "1.0"
dependencies = [
    "Django>=5.1,<5.2",
    'psycopg[binary]>=3.2; sys_platform == "linux"',
]

[project.optional-dependencies]
prod = ["gunicorn>=23"]

[dependency-groups]
test = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff", {include-group = "test"}]

[tool.uv]
dev-dependencies = ["django-debug-toolbar"]
"""


def test_pyproject_dependencies_extras_and_groups_with_lines() -> None:
    project = parse_pyproject(Path("pyproject.toml"), PYPROJECT)
    assert project.name == "shop-app"
    assert project.dependencies is not None
    assert [(r.name, r.specifier, set(r.extras), r.line) for r in project.dependencies] == [
        ("django", "<5.2,>=5.1", set(), 5), ("psycopg", ">=3.2", {"binary"}, 6)]
    assert [(r.name, r.line) for r in project.optional["prod"]] == [("gunicorn", 10)]
    # include-group is followed, and a loop between two groups is read once
    assert [r.name for r in project.groups["test"]] == ["pytest", "ruff"]
    assert [r.name for r in project.groups["lint"]] == ["ruff", "pytest"]
    assert [r.name for r in project.groups["dev"]] == ["django-debug-toolbar"]


def test_dynamic_dependencies_are_unknown() -> None:
    project = parse_pyproject(Path("p"), '[project]\nname = "a"\ndynamic = ["dependencies", "version"]\n')
    assert project.dependencies is None
    assert parse_pyproject(Path("p"), "[tool.black]\nline-length = 100\n").dependencies is None


@pytest.mark.parametrize(("constraint", "meaning"), [
    ("^5.1", ">=5.1,<6.0"), ("^5.1.3", ">=5.1.3,<6.0"), ("^0.2.3", ">=0.2.3,<0.3"), ("^0.0.3", ">=0.0.3,<0.0.4"),
    ("~5.1", ">=5.1,<5.2"), ("~5.1.3", ">=5.1.3,<5.2"), ("~5", ">=5,<6"), ("5.1.3", "==5.1.3"), ("*", ""),
    (">=4.2,<5.0", ">=4.2,<5.0"), (">=4.2 <5.0", ">=4.2,<5.0"), ("~=5.1", "~=5.1"), ("^4.2 || ^5.0", ""),
])
def test_poetry_constraints_as_pep440(constraint: str, meaning: str) -> None:
    """Poetry's documented meaning of ^ and ~, compared as sets of versions with packaging."""
    found = poetry_specifier(constraint)
    versions = ["0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "4.2", "4.9", "5.0", "5.1", "5.1.3", "5.1.9", "5.2",
                "5.9", "6.0"]
    assert [v for v in versions if v in SpecifierSet(found)] == [v for v in versions if v in SpecifierSet(meaning)]


def test_poetry_pyproject_groups_and_extras() -> None:
    text = """\
[tool.poetry]
name = "app"

[tool.poetry.dependencies]
python = "^3.12"
Django = "^5.1"
psycopg = {version = "^3.2", extras = ["binary"]}
gunicorn = {version = "^23.0", optional = true}

[tool.poetry.extras]
server = ["gunicorn"]

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"

[tool.poetry.group.docs]
optional = true

[tool.poetry.group.docs.dependencies]
mkdocs = "*"
"""
    project = parse_pyproject(Path("pyproject.toml"), text)
    assert project.poetry is not None
    assert [(r.name, r.specifier, r.line) for r in project.poetry["main"]] == [
        ("django", "<6.0,>=5.1", 6), ("psycopg", "<4.0,>=3.2", 7), ("gunicorn", "<24.0,>=23.0", 8)]
    assert project.poetry["main"][1].extras == {"binary"}
    assert [r.name for r in project.poetry["dev"]] == ["pytest"]
    assert project.poetry_optional_groups == {"docs"}
    assert project.poetry_extras == {"server": ("gunicorn",)}


def test_uv_lock_closure_follows_extras_and_marks_the_project() -> None:
    text = """\
version = 1
requires-python = ">=3.12"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "django" },
    { name = "psycopg", extra = ["binary"] },
]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "asgiref"
version = "3.8.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "django"
version = "5.1.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "asgiref" },
    { name = "sqlparse" },
]

[[package]]
name = "psycopg"
version = "3.2.3"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
binary = [{ name = "psycopg-binary", marker = "implementation_name != 'pypy'" }]

[[package]]
name = "psycopg-binary"
version = "3.2.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "sqlparse"
version = "0.5.2"
source = { registry = "https://pypi.org/simple" }
"""
    lock = parse_uv_lock(Path("uv.lock"), text)
    root = lock.root
    assert root is not None and root.requirement.name == "app"
    assert root.groups == {"dev": (("pytest", frozenset()),)}
    needed = lock.closure(list(root.dependencies))
    assert sorted(needed) == ["asgiref", "django", "psycopg", "psycopg-binary", "sqlparse"]
    django = lock.packages["django"].requirement
    assert (django.specifier, django.line) == ("==5.1.3", 23)


def test_poetry_lock_leaves_optional_dependencies_to_their_extra() -> None:
    text = """\
[[package]]
name = "celery"
version = "5.4.0"
optional = false
python-versions = ">=3.8"
files = []

[package.dependencies]
kombu = ">=5.3.4,<6.0"
redis = {version = ">=4.5.2,<6.0.0", optional = true, markers = "extra == \\"redis\\""}

[package.extras]
redis = ["redis (>=4.5.2,<6.0.0)"]

[[package]]
name = "kombu"
version = "5.4.2"
optional = false
python-versions = ">=3.8"
files = []
"""
    lock = parse_poetry_lock(Path("poetry.lock"), text)
    celery = lock.packages["celery"]
    assert celery.dependencies == (("kombu", frozenset()),)
    assert celery.optional == {"redis": (("redis", frozenset()),)}
    assert (celery.requirement.specifier, celery.requirement.line) == ("==5.4.0", 3)
    assert sorted(lock.closure([("celery", frozenset())])) == ["celery", "kombu"]


def test_pipfile_and_its_lock() -> None:
    files = pipenv_project({"Django": "5.1.3", "gunicorn": "23.0.0"}, dev={"pytest": "8.3.3"})
    pipfile = parse_pipfile(Path("Pipfile"), files["Pipfile"])
    assert [(r.name, r.specifier, r.line) for r in pipfile.default] == [("django", "", 7), ("gunicorn", "", 8)]
    assert [r.name for r in pipfile.develop] == ["pytest"]
    lock = parse_pipfile_lock(Path("Pipfile.lock"), files["Pipfile.lock"])
    assert [(r.name, r.specifier) for r in lock.default] == [("django", "==5.1.3"), ("gunicorn", "==23.0.0")]
    lines = files["Pipfile.lock"].splitlines()
    assert all(f'"{r.name}"' in lines[r.line - 1].lower() for r in lock.default + lock.develop)
    assert json.loads(files["Pipfile.lock"])["develop"]["pytest"]["version"] == "==8.3.3"


@pytest.mark.parametrize("parser", [parse_pyproject, parse_uv_lock, parse_poetry_lock, parse_pipfile])
def test_invalid_toml_is_a_parse_error_at_its_line(parser: object) -> None:
    with pytest.raises(ParseError) as caught:
        parser(Path("f"), '[project]\nname = "a"\nname = "b"\n')  # type: ignore[operator]
    assert caught.value.line == 3


def test_invalid_pipfile_lock() -> None:
    with pytest.raises(ParseError) as caught:
        parse_pipfile_lock(Path("Pipfile.lock"), '{\n    "default": {\n}\n')
    assert caught.value.line == 4  # where the JSON ends unclosed


def test_example_projects_are_what_the_tools_read() -> None:
    """The example uv and poetry projects are valid TOML, each lock holding every package it declares."""
    uv = uv_project({"django": "5.1.3"}, dev={"pytest": "8.3.3"})
    lock = parse_uv_lock(Path("uv.lock"), uv["uv.lock"])
    assert lock.root is not None and sorted(lock.closure(list(lock.root.dependencies))) == ["django"]
    poetry = poetry_project({"django": "5.1.3"})
    assert sorted(parse_poetry_lock(Path("poetry.lock"), poetry["poetry.lock"]).packages) == ["django"]


def test_tomllib_is_imported_only_for_such_files() -> None:
    code = ("import sys; import djlint_docker.parse.lockfiles, djlint_docker.rules.project._packages; "
            "print('tomllib' in sys.modules, 'json' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split()[0] == "False"


@pytest.mark.parametrize("name", ["uv-good", "uv-broken"])
def test_uv_lock_read_without_its_file_lists_is_the_same(name: str) -> None:
    """The sdist/wheels entries left out before tomllib reads a uv.lock change nothing else it holds."""
    import tomllib

    from djlint_docker.parse.lockfiles import _without_files

    text = (Path(__file__).parent.parent / "fixtures" / name / "uv.lock").read_text()
    text += ('\n[[package]]\nname = "one-line"\nversion = "1.0"\nsdist = { url = "https://x/one-line-1.0.tar.gz" }\n'
             'wheels = [{ url = "https://x/one_line-1.0-py3-none-any.whl" }]\n')

    def kept(data: dict[str, object]) -> dict[str, object]:
        return {p["name"]: {k: v for k, v in p.items() if k not in {"sdist", "wheels"}}
                for p in data["package"]}  # type: ignore[attr-defined]

    assert "wheels" in text and "wheels" not in _without_files(text)
    assert kept(tomllib.loads(_without_files(text))) == kept(tomllib.loads(text))
