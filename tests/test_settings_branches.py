"""Settings as Python runs them: if/else and try/except branches, helper functions, star imports across a package.

Each evaluated case is checked against Python itself: the source is executed with the
same environment and the value djcheck computes must be the one Python computes.
"""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import pytest
from conftest import assert_as_python_computes, settings_bindings, write_files

from djlint_docker.parse.settings import (
    Branches,
    Unknown,
    bindings,
    env_reads,
    evaluate,
    parse_python,
    unfollowed_star_imports,
)

SOURCE = '''\
import os

def env_bool(name, default=False):
    """A boolean from the environment."""
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes")

def env_list(name, default=""):
    return [item for item in os.environ.get(name, default).split(",") if item] if False else \\
        os.environ.get(name, default).split(",")

DEBUG = env_bool("DJANGO_DEBUG")
VERBOSE = env_bool("VERBOSE", default=True)
HOSTS = env_list("HOSTS", "a,b")
COMPARED = os.environ.get("DEBUG", "False") != "False"
ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")

if ENVIRONMENT == "production":
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
else:
    SECURE_SSL_REDIRECT = False

if os.environ.get("USE_S3"):
    STORAGE = "s3"
elif os.environ.get("USE_GCS"):
    STORAGE = "gcs"
else:
    STORAGE = "local"

try:
    SECRET_KEY = os.environ["SECRET_KEY"]
except KeyError:
    SECRET_KEY = "insecure-development-key"

CACHE = "locmem"
if os.environ.get("REDIS_URL"):
    CACHE = "redis"
'''

NAMES = ["DEBUG", "VERBOSE", "HOSTS", "COMPARED", "SECURE_SSL_REDIRECT", "STORAGE", "SECRET_KEY", "CACHE"]
ENVIRONMENTS = [{}, {"DJANGO_DEBUG": "True", "VERBOSE": "0", "HOSTS": "x"}, {"DEBUG": "false"}, {"DEBUG": "0"},
                {"DEBUG": "False"}, {"DJANGO_ENV": "production"}, {"USE_GCS": "1"}, {"USE_S3": "1", "USE_GCS": "1"},
                {"SECRET_KEY": "k" * 50}, {"REDIS_URL": "redis://cache"}]



@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_branches_and_helpers_as_python_computes_them(env):
    assert_as_python_computes(SOURCE, NAMES, env)


def test_a_setting_unbound_in_one_branch_is_unknown_there():
    names = settings_bindings(SOURCE)
    assert evaluate(names["SESSION_COOKIE_SECURE"].node, {"DJANGO_ENV": "production"}, names) is True
    with pytest.raises(Unknown):
        evaluate(names["SESSION_COOKIE_SECURE"].node, {}, names)


def test_a_test_that_cannot_be_known_gives_what_every_branch_gives():
    names = settings_bindings("import sys\nif 'test' in sys.argv:\n    A = 1\n    B = 1\nelse:\n    A = 1\n    B = 2\n")
    assert evaluate(names["A"].node, {}, names) == 1
    with pytest.raises(Unknown, match="depends on whether 'test' in sys.argv"):
        evaluate(names["B"].node, {}, names)


def test_try_around_an_import_of_a_package_is_either_way():
    names = settings_bindings("try:\n    import sentry_sdk\n    A = 1\nexcept ImportError:\n    A = 2\n")
    assert isinstance(names["A"].node, Branches)
    with pytest.raises(Unknown):
        evaluate(names["A"].node, {}, names)


def test_a_read_a_try_handles_does_not_stop_django():
    names = settings_bindings(SOURCE)
    reads = {read.variable: read for read in env_reads(names["SECRET_KEY"].node, names)}
    assert reads["SECRET_KEY"].default is not None  # not NO_DEFAULT: DJC307 does not report it


def test_reads_of_a_branch_the_environment_does_not_choose_are_guarded():
    names = settings_bindings("import os\nif os.environ.get('ENV') == 'prod':\n    KEY = os.environ['KEY']\n"
                      "else:\n    KEY = 'dev'\n")
    from djlint_docker.parse.env_reads import NO_DEFAULT

    chosen = {read.variable: read for read in env_reads(names["KEY"].node, names, {"ENV": "prod"})}
    assert chosen["KEY"].default is NO_DEFAULT
    assert "KEY" not in {read.variable for read in env_reads(names["KEY"].node, names, {})}


def test_the_reads_of_a_helper_function_are_the_setting_s():
    names = settings_bindings(SOURCE)
    assert [read.variable for read in env_reads(names["DEBUG"].node, names)] == ["DJANGO_DEBUG"]


def test_recursive_helpers_are_bounded():
    names = settings_bindings("def f(x):\n    return f(x)\nA = f(1)\ndef g(x):\n    return g(g(x))\nB = g(1)\n")
    for name in ("A", "B"):
        with pytest.raises(Unknown):
            evaluate(names[name].node, {}, names)
    assert env_reads(names["B"].node, names) == []


def test_functions_with_more_than_a_return_are_unknown():
    names = settings_bindings("def f():\n    x = 1\n    return x\nA = f()\n@decorated\ndef g():\n    return 1\nB = g()\n")
    for name in ("A", "B"):
        with pytest.raises(Unknown):
            evaluate(names[name].node, {}, names)


def test_absolute_star_imports_of_a_settings_package(tmp_path):
    write_files(tmp_path, {
        "config/settings/base.py": "DEBUG = False\nSECRET_KEY = 'base'\n",
        "config/settings/production.py": "from config.settings.base import *\nSECRET_KEY = 'prod'\n",
        "config/settings/dev.py": "from settings.base import *\nDEBUG = True\n",
        "config/settings/other.py": "from django.conf.global_settings import *\n"})
    load = {}

    def module(path: Path):
        if path not in load:
            load[path] = parse_python(path, path.read_text()) if path.is_file() else None
        return load[path]

    production = bindings(tmp_path / "config/settings/production.py", module)
    assert production["DEBUG"].path == tmp_path / "config/settings/base.py"
    assert evaluate(production["SECRET_KEY"].node, {}, production) == "prod"
    dev = bindings(tmp_path / "config/settings/dev.py", module)
    assert evaluate(dev["SECRET_KEY"].node, {}, dev) == "base"
    other = module(tmp_path / "config/settings/other.py")
    assert len(unfollowed_star_imports(other)) == 1


def test_init_choosing_a_module_from_the_environment(tmp_path):
    write_files(tmp_path, {
        "app/settings/__init__.py": "import os\nENV = os.environ.get('DJANGO_ENV', 'dev')\n"
                                    "if ENV == 'prod':\n    from .prod import *\nelse:\n    from .dev import *\n",
        "app/settings/base.py": "DEBUG = False\nALLOWED_HOSTS = []\n",
        "app/settings/prod.py": "from .base import *\nALLOWED_HOSTS = ['example.com']\n",
        "app/settings/dev.py": "from .base import *\nDEBUG = True\n"})
    names = bindings(tmp_path / "app/settings/__init__.py",
                     lambda path: parse_python(path, path.read_text()) if path.is_file() else None)
    assert evaluate(names["DEBUG"].node, {}, names) is True
    assert evaluate(names["DEBUG"].node, {"DJANGO_ENV": "prod"}, names) is False
    assert evaluate(names["ALLOWED_HOSTS"].node, {"DJANGO_ENV": "prod"}, names) == ["example.com"]


def test_try_star_import_of_a_missing_local_module(tmp_path):
    write_files(tmp_path, {
        "app/settings.py": "DEBUG = False\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n",
        "app/other.py": "DEBUG = False\ntry:\n    from .present import *\nexcept ImportError:\n    DEBUG = 1\n",
        "app/present.py": "DEBUG = True\n"})

    def load(path: Path):
        return parse_python(path, path.read_text()) if path.is_file() else None

    names = bindings(tmp_path / "app/settings.py", load)
    assert evaluate(names["DEBUG"].node, {}, names) is False
    names = bindings(tmp_path / "app/other.py", load)
    assert evaluate(names["DEBUG"].node, {}, names) is True
    assert unfollowed_star_imports(load(tmp_path / "app/settings.py")) == []


def test_deep_nesting_is_bounded():
    source = "".join("    " * depth + f"if X{depth}:\n" for depth in range(60)) + "    " * 60 + "A = 1\n"
    names = settings_bindings(source)
    with pytest.raises(Unknown):
        evaluate(names["A"].node, {}, names)


def _load(path: Path):
    return parse_python(path, path.read_text()) if path.is_file() else None


PACKAGE = {"proj/settings/base.py": "DEBUG = False\nALLOWED_HOSTS = []\n",
           "proj/settings/production.py": "from .base import *\nALLOWED_HOSTS = ['example.com']\n",
           "proj/settings/development.py": "from .base import *\nDEBUG = True\nALLOWED_HOSTS = ['*']\n"}


@pytest.mark.parametrize("init", [
    "import os\nfrom importlib import import_module\nENV = os.environ.get('DJANGO_ENV', 'development')\n"
    "module = import_module(f'proj.settings.{ENV}')\nglobals().update(vars(module))\n",
    "import os\nimport importlib\nsettings = importlib.import_module(f\".{os.environ.get('DJANGO_ENV', 'development')}\","
    " __package__)\nfor name in dir(settings):\n    if name.isupper():\n        globals()[name] = getattr(settings, name)\n",
    "import os\nENV = os.environ.get('DJANGO_ENV', 'development')\nexec(f'from .{ENV} import *')\n",
])
def test_init_importing_the_module_the_environment_names(tmp_path, init):
    write_files(tmp_path, {**PACKAGE, "proj/settings/__init__.py": init})
    names = bindings(tmp_path / "proj/settings/__init__.py", _load)
    assert evaluate(names["DEBUG"].node, {}, names) is True
    assert evaluate(names["DEBUG"].node, {"DJANGO_ENV": "production"}, names) is False
    assert evaluate(names["ALLOWED_HOSTS"].node, {"DJANGO_ENV": "production"}, names) == ["example.com"]
    assert evaluate(names["ALLOWED_HOSTS"].node, {"DJANGO_ENV": "base"}, names) == []
    with pytest.raises(Unknown):
        evaluate(names["DEBUG"].node, {"DJANGO_ENV": "staging"}, names)  # no such module: the import fails
    assert unfollowed_star_imports(_load(tmp_path / "proj/settings/__init__.py")) == []


def test_settings_module_defaults():
    from djlint_docker.parse.settings import settings_module_defaults

    text = ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{{ project_name }}.settings')\n"
            "os.environ['DJANGO_SETTINGS_MODULE'] = 'app.settings'\nos.environ.setdefault('OTHER', 'x')\n")
    assert [(d.value, d.line) for d in settings_module_defaults(text)] == [
        ("{{ project_name }}.settings", 2), ("app.settings", 3)]
    assert settings_module_defaults("def (") == []


def test_many_names_and_many_branches_stay_cheap():
    import time

    source = "".join(f"N{i} = {i}\n" for i in range(20000))
    source += "try:\n    import x\n    A = 1\nexcept ImportError:\n    A = 2\n" * 200
    source += "import os\n" + "if os.environ.get('X'):\n    B = B + 1\nelse:\n    B = 2\n" * 2000
    source += "if os.environ.get('Y'):\n    C = 1\n" * 3000  # each way holds the chain before: never copied
    start = time.perf_counter()
    names = settings_bindings(source)
    with pytest.raises(Unknown):
        evaluate(names["A"].node, {}, names)
    assert evaluate(names["B"].node, {}, names) == 2
    with pytest.raises(Unknown):
        evaluate(names["B"].node, {"X": "1"}, names)  # 2000 additions deep: beyond MAX_DEPTH
    for name in ("A", "B", "C"):
        env_reads(names[name].node, names)
    assert time.perf_counter() - start < 6  # about 1 s; copying every name (or chain) at each branch took 3 to 31 s


CHANGES = '''\
import os
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
MIDDLEWARE.append("whitenoise.middleware.WhiteNoiseMiddleware")
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")
MIDDLEWARE += ["django.contrib.sessions.middleware.SessionMiddleware"]
if os.environ.get("GZIP"):
    MIDDLEWARE.append("django.middleware.gzip.GZipMiddleware")
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
DATABASES.update({"replica": {"ENGINE": "django.db.backends.sqlite3"}})
DATABASES["default"]["NAME"] = "x"
COUNT = 1
COUNT += 2
'''


@pytest.mark.parametrize("env", [{}, {"GZIP": "1"}])
def test_changes_in_place_as_python_makes_them(env):
    names = settings_bindings(CHANGES)
    namespace: dict = {}
    with mock.patch.dict(os.environ, env, clear=True):
        exec(compile(CHANGES, "settings.py", "exec"), namespace)  # our own source: Python is the oracle
    for name in ("MIDDLEWARE", "COUNT"):
        assert evaluate(names[name].node, env, names) == namespace[name], name
    assert set(evaluate(names["DATABASES"].node, env, names)) == {"default", "replica"}


def test_a_change_before_the_name_is_bound_is_unknown():
    names = settings_bindings("X.append(1)\nY = 'a'\nY.append(1)\n")
    for name in ("X", "Y"):
        with pytest.raises(Unknown):
            evaluate(names[name].node, {}, names)


def test_init_importing_a_module_of_its_own_package_by_name(tmp_path):
    write_files(tmp_path, {**PACKAGE, "proj/settings/__init__.py":
                "import os\nfrom importlib import import_module\n\n"
                "_env = os.environ.get('DJANGO_ENV', 'development').lower()\n"
                "if _env not in {'development', 'production'}:\n    _env = 'development'\n"
                "_module = import_module(f'{__name__}.{_env}')\n"
                "for _k, _v in _module.__dict__.items():\n    if _k.isupper():\n        globals()[_k] = _v\n"})
    names = bindings(tmp_path / "proj/settings/__init__.py", _load)
    assert evaluate(names["DEBUG"].node, {}, names) is True
    assert evaluate(names["DEBUG"].node, {"DJANGO_ENV": "PRODUCTION"}, names) is False
    assert evaluate(names["DEBUG"].node, {"DJANGO_ENV": "staging"}, names) is True
