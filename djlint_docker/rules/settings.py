"""DJC3xx: the Django settings the containers run."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.parse.settings import Assignment, Unknown, env_reads, evaluate
from djlint_docker.positions import Location
from djlint_docker.project import Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE

SETUP = {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE}
STARTPROJECT = """\
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = "django-insecure-2x$k!w7#p@0b&v3q^l9r*u+e_m8n(f)j1c=d5g6h4y"

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = True

ALLOWED_HOSTS = []
"""
FROM_ENVIRONMENT = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")
"""


def _binding(project: Project, name: str) -> Iterator[tuple[Settings, Assignment]]:
    seen = set()
    for settings in project.settings:
        binding = settings.bindings.get(name)
        if binding is not None and binding.node is not None and (binding.path, binding.line) not in seen:
            seen.add((binding.path, binding.line))
            yield settings, binding


def _value(settings: Settings, binding: Assignment, env: dict[str, str]) -> Any:
    assert binding.node is not None
    return evaluate(binding.node, env, settings.bindings)


def _at(binding: Assignment) -> Location:
    return Location(binding.path, binding.line, binding.column)


@rule("DJC301", "debug-enabled", Severity.ERROR, fix="unsafe", examples=[
    Example("startproject", {**SETUP, "app/settings.py": STARTPROJECT}, expect=(("app/settings.py", 9),)),
    Example("default-true", {**SETUP, "app/settings.py": "import os\nDEBUG = os.environ.get('DEBUG', 'True') == 'True'\n"
                                                         "ALLOWED_HOSTS = ['example.com']\n"},
            expect=(("app/settings.py", 2),)),
    Example("inherited-from-base", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.prod\n",
        "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE, "app/settings/__init__.py": "",
        "app/settings/base.py": "DEBUG = True\n", "app/settings/prod.py": "from .base import *\n"},
        expect=(("app/settings/base.py", 1),)),
    Example("environ-default-true", {**SETUP, "app/settings.py":
                                     "import environ\n\nenv = environ.Env()\nDEBUG = env.bool('DJANGO_DEBUG', default=True)\n"},
            expect=(("app/settings.py", 4),)),
    Example("decouple-default-true", {**SETUP, "app/settings.py":
                                      "from decouple import config\nDEBUG = config('DEBUG', default=True, cast=bool)\n"},
            expect=(("app/settings.py", 2),)),
    Example("from-environment", {**SETUP, "app/settings.py": FROM_ENVIRONMENT}),
    Example("environ-default-false", {**SETUP, "app/settings.py":
                                      "import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env('DEBUG')\n"}),
    Example("environ-bool-default-false", {**SETUP, "app/settings.py":
                                           "import environ\nenv = environ.Env()\nDEBUG = env.bool('DEBUG', default=False)\n"}),
    Example("decouple-no-default", {**SETUP, "app/settings.py":
                                    "from decouple import config\nDEBUG = config('DEBUG', cast=bool)\n"}),
    Example("prod-overrides-base", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.prod\n",
        "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE, "app/settings/__init__.py": "",
        "app/settings/base.py": "DEBUG = True\n", "app/settings/prod.py": "from .base import *\nDEBUG = False\n"}),
])
def debug_enabled(project: Project) -> Iterator[Violation]:
    """DEBUG is on in the settings the container runs.

    ## What it does
    Reads `DEBUG` in the settings module the containers run (`DJANGO_SETTINGS_MODULE`
    from compose or the image, else the default in `manage.py`/`wsgi.py`, star imports
    followed) and reports it when it is `True`, or when it is read from the
    environment and comes out true while the variable is unset.

    ## Why is this bad?
    With DEBUG on, every error page shows settings, environment and source to any
    visitor, static files are served by Django, and memory grows with every query.
    A default of true means forgetting one variable ships DEBUG.

    ## Example
    ```python
    DEBUG = True
    ```
    Use instead:
    ```python
    DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
    ```

    ## Fix safety
    Unsafe: setups that relied on DEBUG must then set the variable. Not offered where
    DEBUG off would stop a setup from working: settings named for development or tests
    (`dev.py`, `local.py`, `test_settings.py`, or a module that star-imports this one), a
    container that runs `runserver` (static files are served only with DEBUG), or empty
    `ALLOWED_HOSTS` (Django then refuses every request).

    ## References
    - Seed 002 (DEBUG from the environment, off by default)
    - Seed 004 (DEBUG must be 0 in production)
    - [Django deployment checklist: DEBUG](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug)
    """
    for settings, binding in _binding(project, "DEBUG"):
        try:
            value = _value(settings, binding, {})
        except Unknown:
            continue
        if value is True or (value and not isinstance(value, bool)):
            variables = [read.variable for read in env_reads(binding.node, settings.bindings)]  # type: ignore[arg-type]
            if variables:
                message = (f"DEBUG is {value!r} when {', '.join(variables)} is unset: a forgotten variable ships "
                           f"DEBUG; make the default off")
            else:
                message = "`DEBUG = True` in the settings the container runs; read it from the environment, default off"
            fix = None if _needs_debug(project, binding) else debug_fix(project, settings, binding)
            yield Violation(_at(binding), message, fix=fix)


def _needs_debug(project: Project, binding: Assignment) -> bool:
    """Whether a setup that loads this DEBUG stops working with DEBUG off: then no fix turns it off.

    A development settings module (its own name or the one that star-imports it), a
    container that runs ``runserver`` (static files are served only with DEBUG), or empty
    ``ALLOWED_HOSTS`` (Django refuses every request, and runserver refuses to start).
    """
    loading = [s for s in project.settings if (debug := s.bindings.get("DEBUG")) is not None
               and (debug.path, debug.line) == (binding.path, binding.line)]
    for settings in loading:
        if DEVELOPMENT_MODULE.search(binding.path.stem) or DEVELOPMENT_MODULE.search(settings.path.stem):
            return True
        hosts = settings.bindings.get("ALLOWED_HOSTS")
        try:
            allowed = _value(settings, hosts, {}) if hosts is not None and hosts.node is not None else []
        except Unknown:
            continue
        if not allowed:
            return True
    paths = {settings.path for settings in loading}
    return any(server.program == "runserver" for run in project.django_runs
               if any(settings.path in paths for settings in run.settings)
               for server in project.servers(run.service, run.build))


@rule("DJC302", "debug-env-truthy", Severity.ERROR, fix="unsafe", examples=[
    Example("bool-of-string", {**SETUP, "app/settings.py": "import os\nDEBUG = bool(os.environ.get('DEBUG', False))\n"},
            expect=(("app/settings.py", 2),)),
    Example("getenv-as-is", {**SETUP, "app/settings.py": "import os\n\nDEBUG = os.getenv('DJANGO_DEBUG')\n"},
            expect=(("app/settings.py", 3),)),
    Example("compared", {**SETUP, "app/settings.py": "import os\nDEBUG = os.environ.get('DJANGO_DEBUG') == 'True'\n"}),
    Example("int-cast", {**SETUP, "app/settings.py": "import os\nDEBUG = bool(int(os.environ.get('DEBUG', 0)))\n"}),
    Example("lowered-membership", {**SETUP, "app/settings.py":
                                   "import os\nDEBUG = os.getenv('DEBUG', '').lower() in ('1', 'true', 'yes')\n"}),
])
def debug_env_truthy(project: Project) -> Iterator[Violation]:
    """DEBUG is read from the environment so that "False" and "0" turn it on.

    ## What it does
    Evaluates `DEBUG` with its environment variable set to `"False"` and to `"0"`;
    reports it when both come out true: `bool(os.environ.get("DEBUG"))`,
    `os.environ.get("DEBUG", False)` used as is, `os.getenv("DEBUG")` without a
    comparison.

    ## Why is this bad?
    Environment variables are strings, and every non-empty string is true:
    `DEBUG=False` in the environment switches DEBUG **on** in production.

    ## Example
    ```python
    DEBUG = bool(os.environ.get("DEBUG", False))
    ```
    Use instead:
    ```python
    DEBUG = os.environ.get("DEBUG", "0").lower() in ("1", "true", "yes")
    ```

    ## Fix safety
    Unsafe: the accepted spellings of "on" change.

    ## References
    - Seed 002 (`DEBUG = os.environ.get('DJANGO_DEBUG') == "True"`)
    """
    for settings, binding in _binding(project, "DEBUG"):
        for read in env_reads(binding.node, settings.bindings):  # type: ignore[arg-type]
            variable = read.variable
            try:
                truthy = all(_value(settings, binding, {variable: text}) for text in ("False", "0"))
            except Unknown:
                continue
            if truthy:
                yield Violation(_at(binding), f"DEBUG reads {variable} as a string: {variable}=False and "
                                              f"{variable}=0 turn DEBUG on; compare the value, e.g. "
                                              f"os.environ.get({variable!r}, '0') == '1'",
                                fix=debug_fix(project, settings, binding))
                break


TRUE_WORDS = ("1", "true", "yes", "on")
DEVELOPMENT_MODULE = re.compile(r"(?:^|[_-])(?:dev|develop|development|local|test|tests|testing)(?:[_-]|$)", re.I)
"""Settings modules named for development or tests (``settings/dev.py``, ``local_settings.py``)."""


def debug_fix(project: Project, settings: Settings, binding: Assignment) -> Fix | None:
    """DEBUG read from the environment, off unless the variable says on: unsafe, it changes what runs.

    A django-environ or decouple call gets ``default=False``; anything else becomes
    ``os.environ.get(VAR, "0").lower() in ("1", "true", "yes", "on")``, with the variable
    it read, or the one compose passes (``DJANGO_DEBUG`` or ``DEBUG``), else ``DJANGO_DEBUG``.
    The rewrite goes through libcst, imported only when the fix is applied.
    """
    node = binding.node
    path, line = binding.path, binding.line
    if node is None:
        return None
    if isinstance(node, ast.Call) and any(k.arg == "default" for k in node.keywords):
        def default_off() -> tuple[Edit, ...]:
            from djlint_docker.python_edit import set_keyword

            return _whole(path, project.text(path), lambda text: set_keyword(text, "DEBUG", line, "default", "False"))

        return Fix("DEBUG defaults to False", safe=False, deferred=default_off)
    reads = [read.variable for read in env_reads(node, settings.bindings)]
    passed = {name for service in project.services for name in service.environment}
    variable = reads[0] if reads else next((n for n in ("DJANGO_DEBUG", "DEBUG") if n in passed), "DJANGO_DEBUG")
    expression = f"os.environ.get({variable!r}, '0').lower() in {TRUE_WORDS!r}"

    def from_environment() -> tuple[Edit, ...]:
        from djlint_docker.python_edit import replace_value

        return _whole(path, project.text(path), lambda text: replace_value(text, "DEBUG", line, expression, ("os",)))

    return Fix(f"DEBUG = {expression}", safe=False, deferred=from_environment)


def _whole(path: Path, text: str | None, rewrite: Callable[[str], str | None]) -> tuple[Edit, ...]:
    """The rewrite as one edit of the whole file (libcst keeps the rest byte for byte); none when it fails."""
    new = rewrite(text) if text is not None else None
    return (Edit(path, 0, len(text), new),) if text is not None and new is not None and new != text else ()


@rule("DJC303", "secret-key-hardcoded", Severity.ERROR, examples=[
    Example("startproject", {**SETUP, "app/settings.py": STARTPROJECT}, expect=(("app/settings.py", 6),)),
    Example("literal-fallback", {**SETUP, "app/settings.py":
                                 "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', '<a string of random characters>')\n"},
            expect=(("app/settings.py", 2),)),
    Example("from-environment", {**SETUP, "app/settings.py": FROM_ENVIRONMENT}),
    Example("environ-fallback", {**SETUP, "app/settings.py": "import environ\nenv = environ.Env()\n"
                                                             "SECRET_KEY = env.str('SECRET_KEY', default='dev-only-key')\n"},
            expect=(("app/settings.py", 3),)),
    Example("getenv-without-default", {**SETUP, "app/settings.py": "import os\nSECRET_KEY = os.getenv('SECRET_KEY')\n"}),
    Example("decouple-required", {**SETUP, "app/settings.py": "from decouple import config\nSECRET_KEY = config('SECRET_KEY')\n"}),
])
def secret_key_hardcoded(project: Project) -> Iterator[Violation]:
    """`SECRET_KEY` is written in the settings.

    ## What it does
    Reports `SECRET_KEY` when it is a literal, or when it falls back to a literal while
    its environment variable is unset (`django-insecure-…` keys from `startproject`
    included).

    ## Why is this bad?
    The key signs sessions, password-reset links and messages. Committed, it is known
    to everyone with the code, who can forge them; a fallback means production runs
    with it as soon as the variable is missing.

    ## Example
    ```python
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")
    ```
    Use instead:
    ```python
    SECRET_KEY = os.environ["SECRET_KEY"]
    ```

    ## References
    - Seed 002 (SECRET_KEY from the environment)
    - [Django deployment checklist: SECRET_KEY](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key)
    """
    for settings, binding in _binding(project, "SECRET_KEY"):
        try:
            value = _value(settings, binding, {})
        except Unknown:
            continue
        if isinstance(value, str) and value:
            variables = [read.variable for read in env_reads(binding.node, settings.bindings)]  # type: ignore[arg-type]
            shown = value if len(value) <= 24 else value[:21] + "..."
            how = f"falls back to the literal {shown!r} when {variables[0]} is unset" if variables else \
                f"is the literal {shown!r}"
            yield Violation(_at(binding), f"SECRET_KEY {how}; read it from the environment with no default")


@rule("DJC304", "allowed-hosts-wildcard", Severity.WARNING, examples=[
    Example("star", {**SETUP, "app/settings.py": "ALLOWED_HOSTS = ['*']\n"}, expect=(("app/settings.py", 1),)),
    Example("star-default", {**SETUP, "app/settings.py":
                             "import os\nALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', '*').split(' ')\n"},
            expect=(("app/settings.py", 2),)),
    Example("decouple-csv-default", {**SETUP, "app/settings.py": "from decouple import Csv, config\n"
                                                                 "ALLOWED_HOSTS = config('ALLOWED_HOSTS', default='*', cast=Csv())\n"},
            expect=(("app/settings.py", 2),)),
    Example("named-hosts", {**SETUP, "app/settings.py": FROM_ENVIRONMENT}),
    Example("environ-list", {**SETUP, "app/settings.py": "import environ\nenv = environ.Env()\n"
                                                         "ALLOWED_HOSTS = env.list('ALLOWED_HOSTS', default=['localhost'])\n"}),
])
def allowed_hosts_wildcard(project: Project) -> Iterator[Violation]:
    """`ALLOWED_HOSTS` accepts any host.

    ## What it does
    Reports `"*"` in `ALLOWED_HOSTS`, written or as the default when its environment
    variable is unset.

    ## Why is this bad?
    Django then trusts whatever `Host` header a request sends: password-reset emails
    and absolute URLs can be made to point at an attacker's domain (host header
    poisoning), and cache keys can be polluted.

    ## Example
    ```python
    ALLOWED_HOSTS = ["*"]
    ```
    Use instead:
    ```python
    ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")
    ```

    ## References
    - Seed 000 (`ALLOWED_HOSTS = ['*']` in the tutorial)
    - [Django: ALLOWED_HOSTS](https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts)
    """
    for settings, binding in _binding(project, "ALLOWED_HOSTS"):
        try:
            value = _value(settings, binding, {})
        except Unknown:
            continue
        if isinstance(value, (list, tuple, set)) and "*" in value:
            yield Violation(_at(binding), "ALLOWED_HOSTS contains '*': Django trusts any Host header; list the "
                                          "host names the site is served under")


SECURITY = "django.middleware.security.SecurityMiddleware"
WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"


@rule("DJC309", "whitenoise-order", Severity.WARNING, examples=[
    Example("after-sessions", {**SETUP, "app/settings.py": f"MIDDLEWARE = [\n    '{SECURITY}',\n"
                                                          "    'django.contrib.sessions.middleware.SessionMiddleware',\n"
                                                          f"    '{WHITENOISE}',\n]\n"},
            expect=(("app/settings.py", 1),)),
    Example("directly-after-security", {**SETUP, "app/settings.py": f"MIDDLEWARE = [\n    '{SECURITY}',\n"
                                                                   f"    '{WHITENOISE}',\n"
                                                                   "    'django.contrib.sessions.middleware.SessionMiddleware',\n]\n"}),
    Example("no-whitenoise", {**SETUP, "app/settings.py": f"MIDDLEWARE = ['{SECURITY}']\n"}),
])
def whitenoise_order(project: Project) -> Iterator[Violation]:
    """`WhiteNoiseMiddleware` is not directly after `SecurityMiddleware`.

    ## What it does
    Reads `MIDDLEWARE` and reports WhiteNoise placed anywhere but directly after
    Django's `SecurityMiddleware` (or first, when there is none).

    ## Why is this bad?
    Middleware before WhiteNoise runs on every static file request (sessions,
    authentication, CSRF...), slowing static files down and sometimes setting cookies on
    them; WhiteNoise's documentation requires this position.

    ## Example
    ```python
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    ```
    Use instead:
    ```python
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
    ]
    ```

    ## References
    - Seed 002 (add WhiteNoiseMiddleware after SecurityMiddleware)
    - [WhiteNoise: enable WhiteNoise](https://whitenoise.readthedocs.io/en/stable/django.html#enable-whitenoise)
    """
    for settings, binding in _binding(project, "MIDDLEWARE"):
        try:
            value = _value(settings, binding, {})
        except Unknown:
            continue
        if not isinstance(value, (list, tuple)) or WHITENOISE not in value:
            continue
        position = list(value).index(WHITENOISE)
        expected = list(value).index(SECURITY) + 1 if SECURITY in value else 0
        if position != expected:
            yield Violation(_at(binding), f"WhiteNoiseMiddleware is at position {position + 1} of MIDDLEWARE; put it "
                                          f"directly after SecurityMiddleware")
