"""djcheck's static reading of settings agrees with the values Django computes.

Each case writes a settings module in one of the ways real projects read their
environment (the standard library, django-environ, environs, python-decouple, dj-database-url),
imports it with Django's own ``django.conf.Settings`` under every environment of a
generated set (each interesting value of the variable, and the variable unset), and
compares every setting with :func:`evaluate`. Where the real import fails (a missing
variable, a value the library refuses), djcheck must say it cannot know the value.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("django")
pytest.importorskip("environ")
pytest.importorskip("environs")
pytest.importorskip("decouple")
pytest.importorskip("dj_database_url")

from django.conf import Settings

from djlint_docker.parse.settings import (
    Opaque,
    Unknown,
    bindings,
    evaluate,
    parse_python,
)

VALUES = ["True", "False", "true", "false", "0", "1", "yes", "no", "on", "off", "", " True ", "ok", "y", "t",
          "maybe", "2", "example.com,api.example.com", "*", "localhost 127.0.0.1", "django-insecure-x"]
URLS = ["postgres://app:pw@db:5432/app", "postgresql://u@db/app?sslmode=require", "sqlite:///db.sqlite3",
        "sqlite://:memory:", "mysql://root:pw@mysql/app", "postgis://u:p@gis:5433/geo", "sqlite://"]

HEADERS = {
    "os": "import os\n",
    "environ": "import environ\nenv = environ.Env(DEBUG=(bool, False))\n",
    "decouple": "from decouple import config, Csv\n",
    "environs": "from environs import Env\nenv = Env()\n",
    "environs-instance": "from environs import env\n",
}
#: (style, setting, expression) in the forms tutorials and real projects use.
FORMS = [
    ("os", "DEBUG", "os.environ.get('DEBUG', 'False') == 'True'"),
    ("os", "DEBUG", "os.getenv('DEBUG', '0').lower() in ('1', 'true', 'yes')"),
    ("os", "DEBUG", "bool(os.environ.get('DEBUG', False))"),
    ("os", "DEBUG", "int(os.environ.get('DEBUG', default=0))"),
    ("os", "SECRET_KEY", "os.environ['SECRET_KEY']"),
    ("os", "SECRET_KEY", "os.environ.get('SECRET_KEY', 'django-insecure-dev')"),
    ("os", "ALLOWED_HOSTS", "os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')"),
    ("os", "ALLOWED_HOSTS", "os.environ.get('DJANGO_ALLOWED_HOSTS', '*').split(' ')"),
    ("environ", "DEBUG", "env('DEBUG')"),
    ("environ", "DEBUG", "env.bool('DEBUG', default=False)"),
    ("environ", "DEBUG", "env.bool('DEBUG', True)"),
    ("environ", "DEBUG", "env('DEBUG', default=True)"),
    ("environ", "DEBUG", "env('DEBUG', bool, False)"),
    ("environ", "SECRET_KEY", "env('SECRET_KEY')"),
    ("environ", "SECRET_KEY", "env.str('SECRET_KEY', default='dev-only')"),
    ("environ", "ALLOWED_HOSTS", "env.list('ALLOWED_HOSTS', default=['localhost'])"),
    ("environ", "ALLOWED_HOSTS", "env.list('ALLOWED_HOSTS', default=[])"),
    ("environ", "DATABASES", "{'default': env.db()}"),
    ("environ", "DATABASES", "{'default': env.db('DATABASE_URL', default='sqlite:///db.sqlite3')}"),
    ("environs", "DEBUG", "env.bool('DEBUG', False)"),
    ("environs", "DEBUG", "env.bool('DEBUG', default=True)"),
    ("environs", "DEBUG", "env.bool('DEBUG')"),
    ("environs", "DEBUG", "env('DEBUG', 'False') == 'True'"),
    ("environs", "SECRET_KEY", "env.str('SECRET_KEY')"),
    ("environs", "SECRET_KEY", "env.str('SECRET_KEY', 'django-insecure-dev')"),
    ("environs", "ALLOWED_HOSTS", "env.list('ALLOWED_HOSTS', ['localhost'])"),
    ("environs", "ALLOWED_HOSTS", "env.list('DJANGO_ALLOWED_HOSTS', default=[])"),
    ("environs", "DATABASES", "{'default': env.dj_db_url('DATABASE_URL', default='sqlite:///db.sqlite3')}"),
    ("environs", "DATABASES", "{'default': env.dj_db_url('DATABASE_URL')}"),
    ("environs-instance", "DEBUG", "env.bool('DEBUG', default=False)"),
    ("decouple", "DEBUG", "config('DEBUG', default=False, cast=bool)"),
    ("decouple", "DEBUG", "config('DEBUG', cast=bool)"),
    ("decouple", "DEBUG", "config('DEBUG', default='True', cast=bool)"),
    ("decouple", "SECRET_KEY", "config('SECRET_KEY')"),
    ("decouple", "SECRET_KEY", "config('SECRET_KEY', default='change-me')"),
    ("decouple", "ALLOWED_HOSTS", "config('ALLOWED_HOSTS', cast=Csv())"),
    ("decouple", "ALLOWED_HOSTS", "config('ALLOWED_HOSTS', default='localhost, 127.0.0.1', cast=Csv())"),
    ("os", "DATABASES", "{'default': dj_database_url.config(default='sqlite:///db.sqlite3')}"),
    ("os", "DATABASES", "{'default': dj_database_url.config(conn_max_age=600)}"),
    ("os", "DATABASES", "{'default': dj_database_url.parse(os.environ['DATABASE_URL'])}"),
    ("os", "CHANNEL_LAYERS", "{'default': {'CONFIG': {'hosts': [('redis', 6379 / 1)]}}}"),
    ("os", "SESSION_COOKIE_AGE", "60 * 60 * 24 * 7 // 2"),
]
COUNTER = iter(range(10**9))


def _import(folder: Path, source: str, environment: dict[str, str]):
    """Django's own reading of the settings module under ``environment``, or the exception it raises."""
    name = f"generated_settings_{next(COUNTER)}"
    (folder / f"{name}.py").write_text(source)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment)
    sys.path.insert(0, str(folder))
    try:
        importlib.invalidate_caches()
        return Settings(name)
    except Exception as error:  # any failure of the real import is the answer
        return error
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(name, None)
        os.environ.clear()
        os.environ.update(saved)


def _partly_unknown(value) -> bool:
    """A container djcheck could read only in part (an entry it marks :class:`Opaque`) counts as unknown."""
    if isinstance(value, Opaque):
        return True
    if isinstance(value, dict):
        return any(_partly_unknown(v) for v in value.values())
    return isinstance(value, (list, tuple)) and any(_partly_unknown(v) for v in value)


def _normalise(setting: str, value):
    if setting == "DATABASES" and isinstance(value, dict):
        # Compare what a database is: engine, name and where it lives.
        return {alias: {key: entry.get(key) for key in ("ENGINE", "NAME", "HOST", "PORT", "USER")}
                for alias, entry in value.items()}
    return list(value) if isinstance(value, tuple) else value


def _environments(setting: str):
    """Every environment a form is tried under: each value (or unset) for its variables."""
    if setting == "DATABASES":
        return [{} if url is None else {"DATABASE_URL": url} for url in [None, *URLS]]
    names = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS")
    return [{} if value is None else dict.fromkeys(names, value) for value in [None, *VALUES]]


@pytest.mark.parametrize("form", FORMS, ids=[f"{style}:{expression}" for style, _, expression in FORMS])
def test_static_value_agrees_with_django(tmp_path, form):
    style, setting, expression = form
    source = HEADERS[style] + "import dj_database_url\n" + f"{setting} = {expression}\n"
    path = tmp_path / "static_settings.py"
    module = parse_python(path, source)
    names = bindings(path, lambda _: module)
    disagreements = []
    for environment in _environments(setting):
        real = _import(tmp_path, source, environment)
        try:
            ours = evaluate(names[setting].node, environment, names)
        except Unknown:
            ours = Unknown
        if _partly_unknown(ours):
            ours = Unknown
        if isinstance(real, Exception):
            if ours is not Unknown:
                disagreements.append((environment, f"Django fails ({real!r}), djcheck reads {ours!r}"))
        elif ours is Unknown or _normalise(setting, ours) != _normalise(setting, getattr(real, setting)):
            disagreements.append((environment, f"Django reads {getattr(real, setting)!r}, djcheck {ours!r}"))
    assert not disagreements


#: (setting, source) written as real settings do: comparisons, helper functions, if/else and try/except.
STATEMENT_FORMS = [
    ("DEBUG", "import os\nDEBUG = os.environ.get('DEBUG', 'False') != 'False'\n"),
    ("DEBUG", "import environ\nenv = environ.Env()\nDEBUG = env('DEBUG', default=False)\n"),
    ("DEBUG", "import environ\nenv = environ.Env()\nDEBUG = env('DEBUG', default='off')\n"),
    ("DEBUG", "import os\n\ndef env_bool(name, default=False):\n"
              "    return os.environ.get(name, str(default)).lower() in ('1', 'true', 'yes')\n\n"
              "DEBUG = env_bool('DEBUG')\n"),
    ("DEBUG", "import os\nif os.environ.get('DJANGO_ENV') == 'production':\n    DEBUG = False\n"
              "else:\n    DEBUG = os.environ.get('DEBUG', '1') == '1'\n"),
    ("DEBUG", "import os\nENV = os.environ.get('DJANGO_ENV', 'development')\nDEBUG = True\n"
              "if ENV == 'production':\n    DEBUG = False\nelif ENV == 'development':\n    DEBUG = True\n"),
    ("SECRET_KEY", "import os\ntry:\n    SECRET_KEY = os.environ['SECRET_KEY']\nexcept KeyError:\n"
                   "    SECRET_KEY = 'development-only'\n"),
    ("ALLOWED_HOSTS", "import os\nALLOWED_HOSTS = []\nif os.environ.get('DJANGO_ENV') == 'development':\n"
                      "    ALLOWED_HOSTS = ['*']\n"),
    ("ALLOWED_HOSTS", "import os\n\ndef env_list(name, default=''):\n"
                      "    return os.environ.get(name, default).split(',') if os.environ.get(name, default) else []\n\n"
                      "ALLOWED_HOSTS = env_list('ALLOWED_HOSTS', default='*')\n"),
]


@pytest.mark.parametrize("form", STATEMENT_FORMS, ids=[f"{setting}:{i}" for i, (setting, _) in
                                                       enumerate(STATEMENT_FORMS)])
def test_statements_agree_with_django(tmp_path, form):
    setting, source = form
    path = tmp_path / "static_settings.py"
    module = parse_python(path, source)
    names = bindings(path, lambda _: module)
    disagreements = []
    for stage in (None, "production", "development", "staging"):
        for environment in _environments(setting):
            environment = {**environment, **({"DJANGO_ENV": stage} if stage else {})}
            real = _import(tmp_path, source, environment)
            try:
                ours = evaluate(names[setting].node, environment, names)
            except Unknown:
                ours = Unknown
            if isinstance(real, Exception):
                if ours is not Unknown:
                    disagreements.append((environment, f"Django fails ({real!r}), djcheck reads {ours!r}"))
            elif ours is Unknown or _normalise(setting, ours) != _normalise(setting, getattr(real, setting)):
                disagreements.append((environment, f"Django reads {getattr(real, setting)!r}, djcheck {ours!r}"))
    assert not disagreements


# -- check --deploy ----------------------------------------------------------------------

from conftest import examples
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from djlint_docker.rules.settings.djc310_deploy_checks import DEFAULTS, failing_checks

MIDDLEWARES = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware",
               "django.middleware.csrf.CsrfViewMiddleware", "django.middleware.clickjacking.XFrameOptionsMiddleware"]
#: Values real settings give each setting the checks read, written as source.
CHOICES = {
    "DEBUG": ["True", "False", "os.environ.get('DEBUG', '0') == '1'"],
    "ALLOWED_HOSTS": ["[]", "['example.com']", "os.environ.get('ALLOWED_HOSTS', '').split(',')"],
    "SECRET_KEY": ["'django-insecure-" + "k" * 50 + "'", "'short'", "'" + "abcdefghij" * 6 + "'",
                   "os.environ.get('SECRET_KEY', '')"],
    "SECRET_KEY_FALLBACKS": ["[]", "['weak']"],
    "X_FRAME_OPTIONS": ["'DENY'", "'SAMEORIGIN'"],
    "SESSION_COOKIE_SECURE": ["True", "False", "os.environ.get('HTTPS') == 'on'"],
    "SESSION_COOKIE_HTTPONLY": ["True", "False"],
    "CSRF_COOKIE_SECURE": ["True", "False", "1"],
    "CSRF_USE_SESSIONS": ["True", "False"],
    "SECURE_CONTENT_TYPE_NOSNIFF": ["True", "False"],
    "SECURE_CROSS_ORIGIN_OPENER_POLICY": ["'same-origin'", "None", "'bogus'"],
    "SECURE_HSTS_SECONDS": ["0", "31536000", "int(os.environ.get('HSTS', '0'))"],
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": ["True", "False"],
    "SECURE_HSTS_PRELOAD": ["True", "False"],
    "SECURE_REFERRER_POLICY": ["'same-origin'", "None", "'no-referrer, strict-origin'", "'nonsense'"],
    "SECURE_SSL_REDIRECT": ["True", "False", "os.environ.get('SSL') == '1'"],
}
ENVIRONMENTS = st.fixed_dictionaries({}, optional={
    "DEBUG": st.sampled_from(["0", "1"]), "ALLOWED_HOSTS": st.sampled_from(["", "a.example,b.example"]),
    "SECRET_KEY": st.sampled_from(["x", "y" * 60, "0123456789" * 6]), "HTTPS": st.sampled_from(["on", "off"]),
    "HSTS": st.sampled_from(["0", "3600"]), "SSL": st.sampled_from(["0", "1"])})


def _django_ready():
    import django
    from django.conf import settings as django_settings
    if not django_settings.configured:
        django_settings.configure(SECRET_KEY="only-so-that-restoring-settings-works")
        django.setup()


@hypothesis_settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=st.fixed_dictionaries({}, optional={name: st.sampled_from(values) for name, values in CHOICES.items()}),
       middleware=st.lists(st.sampled_from(MIDDLEWARES), unique=True),
       sessions_app=st.booleans(), environment=ENVIRONMENTS)
def test_deploy_checks_agree_with_django(tmp_path, chosen, middleware, sessions_app, environment):
    from django.core.checks import run_checks
    from django.test.utils import override_settings
    _django_ready()
    source = "import os\n" + "".join(f"{name} = {value}\n" for name, value in chosen.items())
    source += f"MIDDLEWARE = {middleware!r}\nINSTALLED_APPS = {['django.contrib.sessions'] if sessions_app else []!r}\n"
    real_settings = _import(tmp_path, source, environment)
    assert not isinstance(real_settings, Exception), real_settings
    values = {name: getattr(real_settings, name) for name in DEFAULTS}
    with override_settings(**values):
        theirs = sorted(m.id for m in run_checks(include_deployment_checks=True, tags=["security"]))
    path = tmp_path / "static_settings.py"
    module = parse_python(path, source)
    names = bindings(path, lambda _: module)

    def get(name):
        return evaluate(names[name].node, environment, names) if name in names else DEFAULTS[name]

    assert sorted(failing_checks(get)) == theirs
