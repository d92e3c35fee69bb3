"""DJC303 secret-key-hardcoded: `SECRET_KEY` is written in the settings."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import Assignment, Previous, env_reads
from djlint_docker.project import TEMPLATE_PLACEHOLDER, Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import (
    branch_taken_when_unset,
    containers_loading,
    depends_on_environment,
    hardcoded_secret_keys,
    location_of,
    passed_on_where_deployed,
    set_by_every_container,
)
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY
from djlint_docker.rules.settings._dotenv_files import set_in_every_image
from djlint_docker.rules.settings._refusals import stops_when
from djlint_docker.rules.snippets import MANAGE, SETTINGS_FROM_ENVIRONMENT, SETTINGS_SETUP, STARTPROJECT_SETTINGS

GUARDED = ("import os\nimport sys\nSECRET_KEY = os.environ.get('SECRET_KEY', 'dev-only-key')\n"
           "if os.environ.get('ENV') == 'production':\n    if SECRET_KEY == 'dev-only-key':\n        {stop}\n")
"""Settings that test for the fallback when they run in production."""
COLLECTED = ("import os\nfrom django.core.exceptions import ImproperlyConfigured\n\n\ndef check_production():\n"
             "    missing = []\n    if not os.environ.get('SECRET_KEY'):\n        missing.append('SECRET_KEY')\n"
             "    if missing:\n        raise ImproperlyConfigured(f'missing: {missing}')\n\n\n"
             "SECRET_KEY = os.environ.get('SECRET_KEY', 'django-insecure-dev')\n"
             "if os.environ.get('DJANGO_ENV') == 'production':\n    check_production()\n")
"""Settings that collect what production lacks and refuse to start."""

SET_BY_COMPOSE = "services:\n  web:\n    build: .\n    environment:\n      - SECRET_KEY=${SECRET_KEY}\n"
"""A service that passes the deploy's ``SECRET_KEY`` on: empty when it is unset."""

DEVELOPMENT_STACK = ("services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                     "    volumes:\n      - .:/app\n    environment:\n      - DEBUG=1\n")
"""runserver on the bind-mounted source, beside a deploy stack."""
FALLBACK_SETTINGS = "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'setmeinprod')\n"

REASSIGNED = ("import os\nENV = os.environ.get('ENV', 'development')\nSECRET_KEY = os.environ.get('SECRET_KEY')\n"
              "{guard}SECRET_KEY = SECRET_KEY or 'django-insecure-dev-only-key'\n")
"""Settings that give the key read from the environment a fallback by assigning the name again."""


@rule("DJC303", "secret-key-hardcoded", Severity.ERROR, examples=[
    Example("startproject", {**SETTINGS_SETUP, "app/settings.py": STARTPROJECT_SETTINGS},
            expect=(("app/settings.py", 6),)),
    Example("literal-fallback", {
        **SETTINGS_SETUP,
        "app/settings.py": "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', '<a string of random characters>')\n"},
        expect=(("app/settings.py", 2),)),
    Example("development-settings-of-a-project-deployed-elsewhere", DEV_AND_PROD),
    Example("development-settings-are-all-it-has", DEV_ONLY, expect=(("app/settings/dev.py", 4),)),
    Example("debugging-server-key", {**SETTINGS_SETUP, "app/settings.py":
                                     "import os\nDEBUG = os.environ.get('DEBUG', 'on') == 'on'\n"
                                     "SECRET_KEY = 'dev-key' if DEBUG else os.environ['SECRET_KEY']\n"}),
    Example("debugging-server-branch", {**SETTINGS_SETUP, "app/settings.py":
                                        "import os\nDEBUG = os.environ.get('DEBUG', 'on') == 'on'\nif DEBUG:\n"
                                        "    SECRET_KEY = 'dev-key'\nelse:\n"
                                        "    SECRET_KEY = os.environ['SECRET_KEY']\n"}),
    # The key of a debugging server started without one; with DEBUG off an empty key stops Django.
    Example("debugging-server-without-a-key", {**SETTINGS_SETUP, "app/settings.py":
                                               "import environ\nenv = environ.Env(DEBUG=(bool, True), "
                                               "SECRET_KEY=(str, ''))\nDEBUG = env.bool('DEBUG')\n"
                                               "SECRET_KEY = env.str('SECRET_KEY')\n"
                                               "if DEBUG and not SECRET_KEY:\n    SECRET_KEY = 'xxx'\n"}),
    # The placeholder is tested through the name bound to it: with DEBUG off Django refuses to start with it.
    Example("placeholder-refused-through-its-name", {**SETTINGS_SETUP, "app/settings.py":
                                                     "import json\nimport os\nPLACEHOLDER = 'kick me'\n"
                                                     "SECRET_KEY = os.getenv('DJANGO_SECRET_KEY', PLACEHOLDER)\n"
                                                     "DEBUG = json.loads(os.getenv('DJANGO_DEBUG', 'false'))\n"
                                                     "if not DEBUG and SECRET_KEY == PLACEHOLDER:\n"
                                                     "    raise ValueError('set DJANGO_SECRET_KEY')\n"}),
    Example("deployed-side-falls-back", {**SETTINGS_SETUP, "app/settings.py":
                                         "import os\nDEBUG = os.environ.get('DEBUG', 'on') == 'on'\n"
                                         "SECRET_KEY = 'dev-key' if DEBUG else os.environ.get('SECRET_KEY', 'x7')\n"},
            expect=(("app/settings.py", 3),)),
    Example("fallback-refused-in-production", {**SETTINGS_SETUP, "app/settings.py": GUARDED.format(
        stop="sys.exit('SECRET_KEY is the development key')")}),
    Example("missing-key-collected-and-refused", {**SETTINGS_SETUP, "app/settings.py": COLLECTED}),
    # The key is read, refused when absent outside development, and only then given the development fallback.
    Example("fallback-after-the-missing-key-is-refused", {**SETTINGS_SETUP, "app/settings.py": REASSIGNED.format(
        guard="if not SECRET_KEY and ENV != 'development':\n    raise ValueError('set SECRET_KEY')\n")}),
    Example("fallback-the-name-is-reassigned-to", {**SETTINGS_SETUP, "app/settings.py": REASSIGNED.format(guard="")},
            expect=(("app/settings.py", 4),)),
    # The production module refuses the common fallback (one of a set of known keys); the development one keeps it.
    Example("fallback-refused-by-the-production-module", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.dev\n",
        "compose.prod.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                             "    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.prod\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE,
        "app/settings/__init__.py": "",
        "app/settings/common.py": "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'random_secret_key')\n",
        "app/settings/dev.py": "from .common import *  # noqa\nDEBUG = True\n",
        "app/settings/prod.py": "from django.core.exceptions import ImproperlyConfigured\n\n"
                                "from .common import *  # noqa\n\nINSECURE = {'', 'random_secret_key'}\n"
                                "if SECRET_KEY in INSECURE:\n"
                                "    raise ImproperlyConfigured('set SECRET_KEY')\nDEBUG = False\n"}),
    # prod.py, which names neither the whole fallback nor the variable, exits on the fallback's first words.
    Example("fallback-refused-by-its-start-in-the-production-module", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE,
        "app/__init__.py": "", "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                               "'app.settings.prod')\n",
        "app/settings/__init__.py": "",
        "app/settings/base.py": "import os\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', "
                                "'dev-only-insecure-key-DO-NOT-USE')\n",
        "app/settings/prod.py": "import sys\n\nfrom .base import *  # noqa\n\n"
                                "if 'dev-only' in SECRET_KEY:\n    sys.exit('set the key')\nDEBUG = False\n"}),
    Example("fallback-only-warned-about", {**SETTINGS_SETUP, "app/settings.py": GUARDED.format(
        stop="print('CAUTION: SECRET_KEY is the development key')")}, expect=(("app/settings.py", 3),)),
    Example("from-environment", {**SETTINGS_SETUP, "app/settings.py": SETTINGS_FROM_ENVIRONMENT}),
    Example("environ-fallback", {**SETTINGS_SETUP, "app/settings.py":
                                 "import environ\nenv = environ.Env()\n"
                                 "SECRET_KEY = env.str('SECRET_KEY', default='dev-only-key')\n"},
            expect=(("app/settings.py", 3),)),
    # Compose sets the variable in the only container, empty when the deploy's .env lacks it: Django stops.
    Example("default-no-container-takes", {
        **SETTINGS_SETUP, "compose.yaml": SET_BY_COMPOSE,
        "app/settings.py": "from decouple import config\nSECRET_KEY = config('SECRET_KEY', default='dev-key')\n"}),
    Example("fallback-an-empty-value-takes", {
        **SETTINGS_SETUP, "compose.yaml": SET_BY_COMPOSE,
        "app/settings.py": "import os\nSECRET_KEY = os.environ.get('SECRET_KEY') or 'dev-key'\n"},
        expect=(("app/settings.py", 2),)),
    # The deploy stack passes the deployment's key on; the fallback serves only runserver on the mounted source.
    Example("fallback-only-the-development-stack-takes", {
        "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE, "app/settings.py": FALLBACK_SETTINGS,
        "docker-compose.yml": DEVELOPMENT_STACK, "docker-compose.deploy.yml": SET_BY_COMPOSE}),
    Example("fallback-the-deploy-stack-takes", {
        "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE, "app/settings.py": FALLBACK_SETTINGS,
        "docker-compose.yml": DEVELOPMENT_STACK,
        "docker-compose.deploy.yml": "services:\n  web:\n    build: .\n    restart: always\n"},
        expect=(("app/settings.py", 2),)),
    # The settings are a template a deploy tool renders (manage.py too): the key is filled in at deploy.
    Example("placeholder-a-deploy-tool-fills-in", {
        **SETTINGS_SETUP, "manage.py": MANAGE.replace("'app.settings'", "'app.settings.{{ goal }}'"),
        "app/settings.py": "SECRET_KEY = '{{ secret_key }}'\n"}),
    Example("placeholder-left-in-a-rendered-project", {
        **SETTINGS_SETUP, "app/settings.py": "SECRET_KEY = '{{ secret_key }}'\n"}, expect=(("app/settings.py", 1),)),
    Example("getenv-without-default", {**SETTINGS_SETUP, "app/settings.py":
                                       "import os\nSECRET_KEY = os.getenv('SECRET_KEY')\n"}),
    Example("decouple-required", {**SETTINGS_SETUP, "app/settings.py":
                                  "from decouple import config\nSECRET_KEY = config('SECRET_KEY')\n"}),
])
def secret_key_hardcoded(project: Project) -> Iterator[Violation]:
    """`SECRET_KEY` is written in the settings.

    ## What it does
    Reports `SECRET_KEY` when it is a literal, or when it falls back to a literal while
    its environment variable is unset (`django-insecure-…` keys from `startproject`
    included). A fallback the settings refuse to start with (an `if` testing for it, one
    of a set of known keys, or the unset variable, that raises or exits, or a check
    function that collects what is missing and raises) serves no deployment and is not
    reported, when every module deployed containers load it with refuses it (`prod.py`
    star-importing `common.py`); nor is a default
    argument (`config("SECRET_KEY", default="dev")`) when every container that loads the
    settings is a compose service whose `environment:` passes the deployment's value on,
    even an empty `${SECRET_KEY}` (an empty key stops Django), or whose env file sets it
    (`env_file: .env.prod`; a value committed there is DJC412's), and the settings run
    nowhere else (no image CI publishes, no platform or Passenger deployment): the
    default reaches no container. The same holds when every deployed container of the
    project's stacks passes it on and the others are development ones (runserver on the
    mounted source): the default reaches only them.
    A placeholder (`"{{ secret_key }}"`) in a project whose `manage.py` holds one too is
    a template a deploy tool renders with the deployment's key, and is not reported.
    A key only a
    debugging server uses (`"dev" if DEBUG else ...`, or under `if DEBUG:` or
    `if DEBUG and not SECRET_KEY:`) is left to DJC301, which reports DEBUG on. A key in
    settings that only development containers load is not reported when the project
    also has a deployed configuration that loads other settings.

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
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (SECRET_KEY from the environment)
    - [Django deployment checklist: SECRET_KEY](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key)
    """
    for settings, binding, value in hardcoded_secret_keys(project):
        if project.rendered_before_it_runs and TEMPLATE_PLACEHOLDER.search(value):
            continue  # `"{{ secret_key }}"` in a template a deploy tool renders with the deployment's key
        variables = [read.variable for read in env_reads(binding.node, settings.bindings)]  # type: ignore[arg-type]
        if variables and not depends_on_environment(settings, binding, variables):
            variables = []  # `"django-insecure-..." or os.getenv("SECRET_KEY")`: the literal, whatever is set
        # `if "SECRET_KEY" in os.environ: ... else: SECRET_KEY = "django-insecure-..."`: the literal when it is unset
        branch = None if variables else branch_taken_when_unset(settings, binding)
        variables = variables or (branch[1] if branch else [])
        if variables and (_refused_where_deployed(project, settings, binding, value, variables[0])
                          or (isinstance(binding.node, ast.Call) or branch)
                          and (set_by_every_container(project, settings, variables[0], passed_on=True)
                               or passed_on_where_deployed(project, settings, variables[0])
                               or set_in_every_image(project, containers_loading(project, settings), settings,
                                                     variables[0]))):
            continue
        shown = value if len(value) <= 24 else value[:21] + "..."
        if branch:
            how = f"is the literal {shown!r} when {', '.join(variables)} is unset ({branch[0]})"
        elif variables:
            how = f"falls back to the literal {shown!r} when {variables[0]} is unset"
        else:
            how = f"is the literal {shown!r}"
        yield Violation(location_of(binding), f"SECRET_KEY {how}; read it from the environment with no default")


MIN_PREFIX = 8  # ``SECRET_KEY.startswith("django-insecure")`` tests for the fallback by its start


def _refused_where_deployed(project: Project, settings: Settings, binding: Assignment, fallback: str,
                            variable: str) -> bool:
    """Whether the settings refuse the fallback (:func:`_refused`) in every module the project's deployed containers
    load it with (``prod.py`` star-importing ``common.py`` and refusing its ``random_secret_key``), else in the
    settings at hand: the fallback then serves no deployment."""
    deployed = {loaded.path: loaded for other in (project, *project.related) for run in other.deployed_runs
                for loaded in run.settings
                if any(assigned.path == binding.path for assigned in loaded.bindings.values())}
    return all(_refused(project, loaded, fallback, variable) for loaded in (deployed.values() or [settings]))


def _refused(project: Project, settings: Settings, fallback: str, variable: str) -> bool:
    """Whether the settings stop when the key is the fallback: a test on the fallback (``SECRET_KEY ==
    "change-me"``, ``.startswith("django-insecure")``) or on the variable (``not os.environ.get("SECRET_KEY")``)
    whose ``if`` raises or exits, or whose function does (a check that collects what is missing and raises once).
    The fallback then serves no deployment: Django refuses to start with it (under the condition the test adds,
    such as ``ENV == "production"``)."""
    return stops_when(project, settings, lambda test: _tests_fallback(test, fallback, variable, settings),
                      (fallback[:MIN_PREFIX], variable))


def _tests_fallback(test: ast.expr, fallback: str, variable: str, settings: Settings) -> bool:
    """Whether a test compares with the fallback, its start or the variable's name, written there or through a name
    bound to it (``SECRET_KEY == placeholder_secret_key`` after ``placeholder_secret_key = "kick me"``)."""
    def texts(node: ast.AST) -> list[object]:
        if isinstance(node, ast.Name) and (bound := settings.bindings.get(node.id)) is not None:
            node = bound.node  # type: ignore[assignment]
            # `SECRET_KEY = os.environ.get("SECRET_KEY")`, tested, then `SECRET_KEY = SECRET_KEY or "dev-key"`: the
            # test read the variable, which the later binding keeps as what the name was before it
            # (a read with no default, whose absence the test asks about)
            read = next((each.value for each in (ast.walk(node) if node is not None else ())
                         if isinstance(each, Previous) and isinstance(each.value, ast.Call)
                         and len(each.value.args) == 1 and not each.value.keywords), None)
            if read is not None and getattr(test, "lineno", bound.line) < bound.line and env_reads(read):
                return [argument.value for argument in read.args if isinstance(argument, ast.Constant)]
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):  # `SECRET_KEY in _INSECURE_SECRET_KEYS`, a set of them
            return [item.value for item in node.elts if isinstance(item, ast.Constant)]
        return [node.value] if isinstance(node, ast.Constant) else []

    return any(isinstance(value, str) and (
        value in {fallback, variable} or len(value) >= MIN_PREFIX and fallback.startswith(value))
        for node in ast.walk(test) for value in texts(node))
