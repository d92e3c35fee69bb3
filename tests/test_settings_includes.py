"""django-split-settings: the files ``include()`` runs in the settings module's namespace are read as star imports.

Each case is checked against Python: the files are executed in one namespace as
``split_settings.tools.include`` does (a glob relative to the including file's folder,
matches in order, ``optional()`` files skipped when missing, a file run once), and the
value djcheck computes must be the one Python computes.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from unittest import mock

import pytest
from conftest import write_files

from djlint_docker.parse.settings import (
    Unknown,
    bindings,
    evaluate,
    incomplete,
    parse_python,
    unfollowed_star_imports,
)

INIT = '''\
import os

from split_settings.tools import include, optional

ENV = os.environ.get("DJANGO_ENV", "development")

include(
    "components/base.py",
    "components/*.py",
    "environments/{}.py".format(ENV),
    optional("environments/local.py"),
)
'''
FILES = {
    "app/settings/__init__.py": INIT,
    "app/settings/components/base.py": "DEBUG = False\nMIDDLEWARE = ['security']\nALLOWED_HOSTS = []\n",
    "app/settings/components/caches.py": "CACHE = 'locmem'\nMIDDLEWARE.append('cache')\n",
    "app/settings/components/security.py": "SESSION_COOKIE_SECURE = ENV == 'production'\n",
    "app/settings/environments/development.py": "DEBUG = True\nALLOWED_HOSTS = ['*']\n",
    "app/settings/environments/production.py": "ALLOWED_HOSTS = ['shop.example.com']\nCACHE = 'redis'\n",
}
NAMES = ["DEBUG", "MIDDLEWARE", "ALLOWED_HOSTS", "CACHE", "SESSION_COOKIE_SECURE"]


def _load(path: Path):
    return parse_python(path, path.read_text()) if path.is_file() else None


def _python(settings: Path, env: dict[str, str]) -> dict:
    """The settings as Python runs them with django-split-settings' ``include`` (its semantics, our few lines)."""
    namespace: dict = {}
    done: list[str] = []

    def include(*patterns: str) -> None:
        folder = os.path.dirname(namespace.get("__included_file__", str(settings)))
        for pattern in patterns:
            found = sorted(glob.glob(os.path.join(folder, pattern)))
            if not found and not isinstance(pattern, Optional):
                raise OSError(pattern)
            for file in found:
                if file in done:
                    continue
                done.append(file)
                saved = namespace.get("__included_file__")
                namespace["__included_file__"] = file
                exec(compile(Path(file).read_text(), file, "exec"), namespace)  # our own files
                namespace["__included_file__"] = saved

    class Optional(str):
        pass

    tools = type(os)("split_settings.tools")
    tools.include, tools.optional = include, Optional  # type: ignore[attr-defined]
    with mock.patch.dict("sys.modules", {"split_settings": type(os)("split_settings"), "split_settings.tools": tools}), \
            mock.patch.dict(os.environ, env, clear=True):
        exec(compile(settings.read_text(), str(settings), "exec"), namespace)  # our own file
    return namespace


@pytest.mark.parametrize("env", [{}, {"DJANGO_ENV": "production"}])
def test_included_files_as_python_runs_them(tmp_path, env):
    write_files(tmp_path, FILES)
    settings = tmp_path / "app/settings/__init__.py"
    names = bindings(settings, _load)
    python = _python(settings, env)
    for name in NAMES:
        if name == "CACHE" or name in python:
            assert evaluate(names[name].node, env, names) == python[name], name
    assert names["ALLOWED_HOSTS"].path.parent.name in {"components", "environments"}
    assert not incomplete(names)


def test_a_file_included_again_by_a_glob_runs_once(tmp_path):
    write_files(tmp_path, FILES)
    names = bindings(tmp_path / "app/settings/__init__.py", _load)
    assert evaluate(names["MIDDLEWARE"].node, {}, names) == ["security", "cache"]  # base not run again after caches


def test_include_inside_an_included_file_is_relative_to_that_file(tmp_path):
    write_files(tmp_path, {
        "app/settings.py": "from split_settings.tools import include\ninclude('conf/main.py')\n",
        "app/conf/main.py": "from split_settings.tools import include\nA = 1\ninclude('more.py')\n",
        "app/conf/more.py": "B = A + 1\n"})
    names = bindings(tmp_path / "app/settings.py", _load)
    assert evaluate(names["B"].node, {}, names) == 2 == _python(tmp_path / "app/settings.py", {})["B"]


def test_a_sequence_of_files_unpacked_into_include(tmp_path):
    write_files(tmp_path, {
        "app/settings.py": "from split_settings.tools import include as settings_include, optional\n"
                           "FILES = ('base.py', optional('local.py'))\nsettings_include(*FILES)\n",
        "app/base.py": "SECRET_KEY = 'k'\n"})
    names = bindings(tmp_path / "app/settings.py", _load)
    assert evaluate(names["SECRET_KEY"].node, {}, names) == "k"
    assert unfollowed_star_imports(_load(tmp_path / "app/settings.py")) == []


def test_a_file_named_by_an_expression_djcheck_cannot_follow_leaves_the_settings_incomplete(tmp_path):
    write_files(tmp_path, {
        "app/settings.py": "from split_settings.tools import include\nfrom app.files import FILES\n"
                           "DEBUG = False\ninclude(*FILES)\n"})
    names = bindings(tmp_path / "app/settings.py", _load)
    assert incomplete(names)
    assert len(unfollowed_star_imports(_load(tmp_path / "app/settings.py"))) == 1


def test_a_missing_required_file_is_unfollowed_a_missing_optional_one_is_not(tmp_path):
    write_files(tmp_path, {
        "app/settings.py": "from split_settings.tools import include, optional\n"
                           "include('base.py', optional('local.py'))\n"})
    module = _load(tmp_path / "app/settings.py")
    assert [star.included for star in unfollowed_star_imports(module)] == ["base.py"]


def test_include_under_try_falls_back_when_a_required_file_is_missing(tmp_path):
    write_files(tmp_path, {
        "app/settings.py": "from split_settings.tools import include\nDEBUG = False\n"
                           "try:\n    include('local.py')\nexcept OSError:\n    DEBUG = None\n"})
    names = bindings(tmp_path / "app/settings.py", _load)
    assert evaluate(names["DEBUG"].node, {}, names) is None


def test_an_include_function_of_another_package_is_not_followed(tmp_path):
    write_files(tmp_path, {
        "app/settings.py": "from django.urls import include\ninclude('base.py')\n",
        "app/base.py": "DEBUG = True\n"})
    names = bindings(tmp_path / "app/settings.py", _load)
    assert "DEBUG" not in names and not incomplete(names)


def test_many_glob_matches_are_bounded(tmp_path):
    write_files(tmp_path, {"app/settings.py": "from split_settings.tools import include\ninclude('parts/*.py')\n",
                           **{f"app/parts/p{index:03}.py": f"P{index} = {index}\n" for index in range(80)}})
    names = bindings(tmp_path / "app/settings.py", _load)
    assert "P49" in names and "P50" not in names  # MAX_INCLUDED files of one pattern, in order


@pytest.mark.parametrize("built", ['"environments/" + ENV + ".py"', 'f"environments/{ENV}.py"'])
def test_a_file_named_from_the_environment_is_chosen_among_the_files_it_may_name(tmp_path, built):
    write_files(tmp_path, {**FILES, "app/settings/__init__.py": INIT.replace('"environments/{}.py".format(ENV)', built)})
    settings = tmp_path / "app/settings/__init__.py"
    names = bindings(settings, _load)
    for env in ({}, {"DJANGO_ENV": "production"}):
        assert evaluate(names["ALLOWED_HOSTS"].node, env, names) == _python(settings, env)["ALLOWED_HOSTS"]


@pytest.mark.parametrize(("env", "missing"), [
    ({"DJANGO_ENV": "local"}, True),  # environments/local.py is no file: the settings do not load as committed
    ({"DJANGO_ENV": "production"}, False),
    ({}, False),  # the default, development.py, is there
])
def test_a_file_named_from_the_environment_that_is_missing_leaves_the_settings_incomplete(tmp_path, env, missing):
    write_files(tmp_path, {**FILES, "app/settings/__init__.py": INIT.replace('"environments/{}.py".format(ENV)',
                                                                            'f"environments/{ENV}.py"'),
                           "app/settings/environments/local.py.template": "ALLOWED_HOSTS = ['localhost']\n"})
    settings = tmp_path / "app/settings/__init__.py"
    names = bindings(settings, _load)
    assert incomplete(names, env) is missing
    assert not incomplete(names)  # which file the container names is its environment's business
    if not missing:
        assert evaluate(names["ALLOWED_HOSTS"].node, env, names) == _python(settings, env)["ALLOWED_HOSTS"]
    else:
        with pytest.raises(OSError):
            _python(settings, env)  # split-settings' include raises: there is no value Python computes


@pytest.mark.parametrize(("star", "known"), [
    ("from .local_settings import *\n", False),  # made at run time (an entrypoint writes it): what it sets is unknown
    ("try:\n    from .local_settings import *\nexcept ImportError:\n    pass\n", True),  # optional: absent, skipped
])
def test_a_sibling_module_the_repository_lacks(tmp_path, star, known):
    write_files(tmp_path, {"app/settings/__init__.py": "",
                           "app/settings/docker.py": "SECRET_KEY = 'please-replace-me'\nDEBUG = False\n" + star
                           + "TIME_ZONE = 'UTC'\n"})

    def load(path: Path):
        return parse_python(path, path.read_text()) if path.is_file() else None

    names = bindings(tmp_path / "app/settings/docker.py", load)
    assert incomplete(names) is not known
    assert evaluate(names["TIME_ZONE"].node, {}, names) == "UTC"  # set after the import: known
    if known:
        assert evaluate(names["SECRET_KEY"].node, {}, names) == "please-replace-me"
    else:
        with pytest.raises(Unknown):
            evaluate(names["SECRET_KEY"].node, {}, names)
