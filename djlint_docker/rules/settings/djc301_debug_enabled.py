"""DJC301 debug-enabled: DEBUG is on in the settings the container runs."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.names import PLATFORM_MARKERS, TRUE_WORDS
from djlint_docker.parse.settings import Assignment, Branches, Unknown
from djlint_docker.parse.shell import program
from djlint_docker.positions import Location
from djlint_docker.project import Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import (
    branch_taken_when_unset,
    containers_loading,
    depends_on_environment,
    deployed_taker,
    deployed_values,
    evaluated,
    location_of,
    reads_through_names,
    set_by_every_container,
    tested_variables,
    values_services_give,
)
from djlint_docker.rules.settings._debug import debug_fix
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY, PROD_COMPOSE
from djlint_docker.rules.snippets import MANAGE, SETTINGS_FROM_ENVIRONMENT, SETTINGS_SETUP, STARTPROJECT_SETTINGS

PROD_SETTINGS = {
    "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                    "      DJANGO_SETTINGS_MODULE: app.settings.prod\n",
    "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE, "app/settings/__init__.py": ""}
"""A project whose container runs ``app.settings.prod``: add ``base.py`` and ``prod.py``."""

STAGE_PACKAGE = {
    "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn --bind 0.0.0.0:8000 app.wsgi\n"
                    "    environment:\n      DJANGO_SETTINGS_MODULE: app.settings\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install django gunicorn\n",
    "manage.py": MANAGE, "app/__init__.py": "",
    "app/settings/__init__.py": "import os\n\nif os.environ.get('DJANGO_ENV', 'development') == 'production':\n"
                                "    from .production import *\nelse:\n    from .local import *\n",
    "app/settings/base.py": "INSTALLED_APPS = []\n",
    "app/settings/local.py": "from .base import *\n\nDEBUG = True\n",
    "app/settings/production.py": "from .base import *\n\nDEBUG = False\n"}
"""A settings package that star-imports the stage ``DJANGO_ENV`` names (development when unset)."""

UNNAMED_MODULE = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"project.wsgi\"]\n",
    "manage.py": "import sys\nfrom django.core.management import execute_from_command_line\n\n"
                 "execute_from_command_line(sys.argv)\n",
    "project/settings/__init__.py": "", "project/settings/base.py": "INSTALLED_APPS = []\n",
    "project/settings/local_example.py": "from .base import *\n\nDEBUG = True\n",
    "project/settings/local_base.py": "from .base import *\n\nDEBUG = True\n",
    "project/settings/settings_sample.py": "DEBUG = True\n"}
"""A project that names its settings module nowhere: djcheck reads every module not named for development,
tests or as an example to copy; add ``main.py``."""

LOCAL_FIRST = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install django gunicorn\n"
                  "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
    "manage.py": MANAGE, "app/__init__.py": "",
    "app/settings/__init__.py": "# The development settings when they are there, else production\n"
                                "try:\n    from .dev import *\nexcept ImportError:\n    from .prod import *\n",
    "app/settings/base.py": "DEBUG = False\nALLOWED_HOSTS = ['example.com']\n",
    "app/settings/dev.py": "from .base import *\n\nDEBUG = True\n",
    "app/settings/prod.py": "from .base import *\n"}
"""A settings package that loads ``dev.py`` when it is there, else ``prod.py``; add a ``.dockerignore``."""
DOCKERIGNORE = ".git\n.venv\n__pycache__\n"

HOST_SERVICES = {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    ports:\n      - 5432:5432\n"
                                 "  cache:\n    image: redis:7\n",
                 "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", "manage.py": MANAGE}
"""A stack of a database and a cache beside a Dockerfile with no start command of its own."""
SETTINGS_FROM_THE_SHELL = {
    **DEV_AND_PROD, "compose.prod.yaml": PROD_COMPOSE.replace("DJANGO_SETTINGS_MODULE: app.settings.prod",
                                                              "DJANGO_SETTINGS_MODULE:"),
    "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.dev')\n"}
"""A project whose production stack takes DJANGO_SETTINGS_MODULE from the shell that starts it."""


DEBUG_FROM_COMPOSE = {**SETTINGS_SETUP, "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                                                        "      DEBUG: \"TRUE\"\n"}
"""A service whose compose environment turns DEBUG on: the settings' default is what is judged, as for
``DEBUG = os.environ.get("DEBUG") == "TRUE"`` (examples)."""


FORCED_BY_WSGI = {
    "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn --bind 0.0.0.0:8000 app.wsgi\n"
                    "    env_file: .env\n",
    ".env.example": "DJANGO_SETTINGS_MODULE=app.settings.docker\n", ".gitignore": ".env\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install django gunicorn\n",
    "manage.py": MANAGE, "app/__init__.py": "", "app/settings/__init__.py": "",
    "app/settings/docker.py": "import os\n\nDEBUG = os.environ.get('DJANGO_DEBUG', 'True') == 'True'\n",
    "app/settings/production.py": "INSTALLED_APPS = []\n\nDEBUG = False\n",
    "app/wsgi.py": "import os\nimport sys\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
                   "if 'runserver_plus' not in sys.argv:\n"
                   "    os.environ['DJANGO_SETTINGS_MODULE'] = 'app.settings.production'\n\n"
                   "application = get_wsgi_application()\n"}
"""A wsgi.py that loads the production settings for every server but the development one, whatever the
environment names (the template of ``.env`` names another module)."""

PRODUCTION_ENV_FILE = {
    "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                               "    env_file: .env.prod\n",
    ".env.prod": "SECRET_KEY=\nDEBUG=1\n", "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE,
    "app/__init__.py": "", "app/settings.py": "import os\nDEBUG = os.environ.get('DEBUG', '0') == '1'\n"}
"""A production stack whose committed env file sets the variable DEBUG is read from."""


@rule("DJC301", "debug-enabled", Severity.ERROR, fix="unsafe", examples=[
    Example("turned-on-only-when-the-environment-asks", {
        **DEBUG_FROM_COMPOSE, "app/settings.py": "import os\nDEBUG = False\nif os.environ.get('DEBUG') == 'TRUE':\n"
                                               "    DEBUG = True\n"}),
    Example("turned-off-only-when-the-environment-asks", {
        **DEBUG_FROM_COMPOSE, "app/settings.py": "import os\nDEBUG = True\nif os.environ.get('ENV') == 'production':\n"
                                               "    DEBUG = False\n"}, expect=(("app/settings.py", 2),)),
    # The image's ENV sets the switch that turns DEBUG off: every container of it, wherever it runs, has it.
    # The start script turns DEBUG off in the file before gunicorn loads it.
    Example("turned-off-by-the-start-script", {
        "Dockerfile": "FROM python:3.12-alpine\nWORKDIR /app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir django gunicorn\nENTRYPOINT [\"sh\", \"/app/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\n"
                         "sed -i 's/DEBUG = True/DEBUG = False/g' app/settings.py\n"
                         "exec gunicorn app.wsgi:application --bind 0.0.0.0:80\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = True\nALLOWED_HOSTS = ['*']\n"}),
    Example("turned-off-by-the-images-env", {
        **HOST_SERVICES, "Dockerfile": "FROM python:3.12-slim AS common\nENV DEBUG_DISABLE=True\nWORKDIR /app\n"
                                       "COPY . .\nFROM common AS runtime\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "app/__init__.py": "", "app/settings.py": "import os\nDEBUG = os.environ.get('DEBUG_DISABLE') is None\n"}),
    Example("left-on-by-the-images-env", {
        **HOST_SERVICES, "Dockerfile": "FROM python:3.12-slim\nENV DJANGO_DEBUG=1\nWORKDIR /app\nCOPY . .\n"
                                       "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "app/__init__.py": "", "app/settings.py": "import os\nDEBUG = os.environ.get('DJANGO_DEBUG', '1') == '1'\n"},
        expect=(("app/settings.py", 2),)),
    Example("development-settings-left-out-of-the-image", {
        **LOCAL_FIRST, ".dockerignore": DOCKERIGNORE + "# development settings stay out of the image\n"
                                                      "app/settings/dev.py\n"}),
    Example("development-settings-left-out-of-the-published-image", {
        **{path: text for path, text in LOCAL_FIRST.items() if path != "Dockerfile"},
        "docker/Dockerfile": LOCAL_FIRST["Dockerfile"],
        "compose.yaml": "services:\n  web:\n    image: ghcr.io/example/shop:1.4\n    ports:\n      - 8000:8000\n",
        ".dockerignore": DOCKERIGNORE + "app/settings/dev.py\n"}),
    Example("development-settings-sent-to-the-image", {**LOCAL_FIRST, ".dockerignore": DOCKERIGNORE},
            expect=(("app/settings/dev.py", 3),)),
    Example("startproject", {**SETTINGS_SETUP, "app/settings.py": STARTPROJECT_SETTINGS},
            expect=(("app/settings.py", 9),)),
    Example("default-true", {**SETTINGS_SETUP, "app/settings.py":
                             "import os\nDEBUG = os.environ.get('DEBUG', 'True') == 'True'\n"
                             "ALLOWED_HOSTS = ['example.com']\n"},
            expect=(("app/settings.py", 2),)),
    Example("inherited-from-base", {
        **PROD_SETTINGS, "app/settings/base.py": "DEBUG = True\n", "app/settings/prod.py": "from .base import *\n"},
        expect=(("app/settings/base.py", 1),)),
    Example("environ-default-true", {
        **SETTINGS_SETUP,
        "app/settings.py": "import environ\n\nenv = environ.Env()\nDEBUG = env.bool('DJANGO_DEBUG', default=True)\n"},
        expect=(("app/settings.py", 4),)),
    Example("decouple-default-true", {
        **SETTINGS_SETUP,
        "app/settings.py": "from decouple import config\nDEBUG = config('DEBUG', default=True, cast=bool)\n"},
        expect=(("app/settings.py", 2),)),
    # Compose starts the database and the cache; the developer runs Django on the host.
    Example("services-for-a-site-run-on-the-host", {**HOST_SERVICES, "app/settings.py": STARTPROJECT_SETTINGS}),
    Example("services-and-a-script-over-the-mounted-project", {
        **HOST_SERVICES, "app/settings.py": STARTPROJECT_SETTINGS,
        "compose.yaml": HOST_SERVICES["compose.yaml"] + "  web:\n    image: acme/mod-wsgi:3.11\n"
                                                        "    volumes:\n      - .:/app\n    command: bash start.sh\n"},
        expect=(("app/settings.py", 9),)),
    Example("development-settings-of-a-project-deployed-elsewhere", DEV_AND_PROD),
    # The deploy script exports the production module; the production stack takes it from the shell.
    Example("production-module-named-by-the-shell", SETTINGS_FROM_THE_SHELL),
    Example("module-named-by-the-shell-and-no-production-one", {
        path: text for path, text in SETTINGS_FROM_THE_SHELL.items() if path != "app/settings/prod.py"},
        expect=(("app/settings/dev.py", 3),)),
    Example("development-settings-are-all-it-has", DEV_ONLY, expect=(("app/settings/dev.py", 3),)),
    Example("production-settings-the-wsgi-module-forces", FORCED_BY_WSGI),
    Example("settings-the-wsgi-module-forces-only-for-the-development-server", {
        **FORCED_BY_WSGI, "app/wsgi.py": FORCED_BY_WSGI["app/wsgi.py"].replace(" not in ", " in ")},
        expect=(("app/settings/docker.py", 3),)),
    Example("production-env-file-turns-it-on", PRODUCTION_ENV_FILE, expect=((".env.prod", 2),)),
    Example("production-env-file-turns-it-off", {**PRODUCTION_ENV_FILE, ".env.prod": "SECRET_KEY=\nDEBUG=0\n"}),
    # On by default, but the production stack's committed env file sets DEBUG=0: the default reaches no container.
    Example("default-on-but-the-production-env-file-sets-it", {
        **PRODUCTION_ENV_FILE, ".env.prod": "SECRET_KEY=\nDEBUG=0\n",
        "app/settings.py": "import os\nDEBUG = int(os.environ.get('DEBUG', default=1))\n"}),
    Example("default-on-and-the-production-env-file-leaves-it", {
        **PRODUCTION_ENV_FILE, ".env.prod": "SECRET_KEY=\n",
        "app/settings.py": "import os\nDEBUG = int(os.environ.get('DEBUG', default=1))\n"},
        expect=(("app/settings.py", 2),)),
    # The project's one stack serves with gunicorn from the committed .env: what it sets ships.
    Example("committed-env-file-of-the-only-stack-turns-it-on", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                              "    env_file: .env\n    restart: always\n",
        ".env": "DEBUG=True\n", "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env('DEBUG')\n"},
        expect=((".env", 1),)),
    Example("committed-env-file-of-the-development-stack-turns-it-on", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                              "    env_file: .env\n    volumes:\n      - .:/app\n",
        ".env": "DEBUG=True\n", "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env('DEBUG')\n"}),
    Example("production-settings-deployed-elsewhere-inherit-it", {
        **DEV_ONLY, "app/settings/base.py": "INSTALLED_APPS = []\nDEBUG = True\n",
        "app/settings/production.py": "from .base import *\n"}, expect=(("app/settings/base.py", 2),)),
    Example("deployed-container-takes-the-development-branch", STAGE_PACKAGE,
            expect=(("app/settings/local.py", 3),)),
    Example("deployed-container-takes-the-production-branch", {
        **STAGE_PACKAGE,
        "compose.yaml": STAGE_PACKAGE["compose.yaml"] + "      DJANGO_ENV: production\n",
        "app/settings/__init__.py": "import os\n\nif os.getenv('DJANGO_ENV', 'development') == 'development':\n"
                                    "    from .local import *\nelse:\n    from .production import *\n",
        "compose.dev.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                            "    volumes:\n      - .:/app\n"
                            "    environment:\n      DJANGO_SETTINGS_MODULE: app.settings\n"}),
    Example("examples-to-copy-when-no-module-is-named", {
        **UNNAMED_MODULE, "project/settings/main.py": "import os\nfrom .base import *\n\n"
                                                      "DEBUG = os.environ.get('DEBUG') == '1'\n"}),
    Example("the-module-to-run-when-no-module-is-named", {
        **UNNAMED_MODULE, "project/settings/main.py": "from .base import *\n\nDEBUG = True\n"},
        expect=(("project/settings/main.py", 3),)),
    Example("from-environment", {**SETTINGS_SETUP, "app/settings.py": SETTINGS_FROM_ENVIRONMENT}),
    Example("environ-default-false", {
        **SETTINGS_SETUP,
        "app/settings.py": "import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env('DEBUG')\n"}),
    Example("environ-bool-default-false", {
        **SETTINGS_SETUP,
        "app/settings.py": "import environ\nenv = environ.Env()\nDEBUG = env.bool('DEBUG', default=False)\n"}),
    Example("decouple-no-default", {**SETTINGS_SETUP, "app/settings.py":
                                    "from decouple import config\nDEBUG = config('DEBUG', cast=bool)\n"}),
    # The production settings are the module git ignores that each deployment writes (the README says what it holds):
    # the development settings for running without Docker are not what the container loads.
    Example("settings-each-deployment-writes", {
        **PROD_SETTINGS, ".gitignore": "app/settings/prod.py\n", "app/settings/base.py": "DEBUG = False\n",
        "README.md": "## Deploy\n\nWrite `app/settings/prod.py`: import the base settings, set the hosts.\n",
        "app/settings/dockerless.py": "from .base import *\nDEBUG = True\n"}),
    Example("settings-module-nobody-writes", {
        **PROD_SETTINGS, "app/settings/base.py": "DEBUG = False\n",
        "app/settings/dockerless.py": "from .base import *\nDEBUG = True\n"},
        expect=(("app/settings/dockerless.py", 2),)),
    Example("prod-overrides-base", {
        **PROD_SETTINGS, "app/settings/base.py": "DEBUG = True\n",
        "app/settings/prod.py": "from .base import *\nDEBUG = False\n"}),
    Example("literal-true-unsafe-import-added", {
        **SETTINGS_SETUP,
        "app/settings.py": '"""Settings."""\nfrom __future__ import annotations\nfrom pathlib import Path\n\n'
                           "# SECURITY WARNING: don't run with debug turned on in production!\n"
                           "DEBUG = True  # local\n\nALLOWED_HOSTS = ['example.com']\n"},
        expect=(("app/settings.py", 6),),
        fixed={"app/settings.py": '"""Settings."""\nfrom __future__ import annotations\nimport os\n'
                                  "from pathlib import Path\n\n"
                                  "# SECURITY WARNING: don't run with debug turned on in production!\n"
                                  "DEBUG = os.environ.get('DJANGO_DEBUG', '0').lower() in ('1', 'true', 'yes', 'on')"
                                  "  # local\n\nALLOWED_HOSTS = ['example.com']\n"}),
    Example("environ-default-becomes-false", {
        **SETTINGS_SETUP,
        "app/settings.py": "import environ\n\nenv = environ.Env()\nDEBUG = env.bool(\n    'DJANGO_DEBUG',\n"
                           "    default=True,  # dev\n)\nALLOWED_HOSTS = env.list('HOSTS', default=['a.example'])\n"},
        expect=(("app/settings.py", 4),),
        fixed={"app/settings.py": "import environ\n\nenv = environ.Env()\nDEBUG = env.bool(\n    'DJANGO_DEBUG',\n"
                                  "    default=False,  # dev\n)\n"
                                  "ALLOWED_HOSTS = env.list('HOSTS', default=['a.example'])\n"}),
])
def debug_enabled(project: Project) -> Iterator[Violation]:
    """DEBUG is on in the settings the container runs.

    ## What it does
    Reads `DEBUG` in the settings module the containers run (`DJANGO_SETTINGS_MODULE`
    from compose or the image, else the default in `manage.py`/`wsgi.py`, star imports
    followed), and in the production-named modules no container loads (what the project
    deploys elsewhere), and reports it when it is `True`, or when it is read from the
    environment and comes out true while the variable is unset (unless every container
    that loads the settings is a compose service whose `environment:` or env file sets it to a
    value that turns DEBUG off, but for development containers, and the settings run
    nowhere else, no image CI publishes nor a platform deployment: the default then
    reaches none; or every container runs an image whose `ENV` sets it so, which the image
    carries wherever it runs); and the line of a
    committed env file (or `environment:`) that turns it on (`DEBUG=1`) for a deployed
    container (a compose stack's container that is not a development one: the project's
    only stack of gunicorn and nginx reading a committed `.env`, or one whose compose or
    env files are named for production). `DEBUG = False` followed
    by `if os.environ.get("DEBUG") == "TRUE": DEBUG = True` is off by default, as
    `DEBUG = os.environ.get("DEBUG") == "TRUE"` is, whatever the environment sets. A test
    of a variable's presence counts as a read (`DEBUG = "PRODUCTION" not in os.environ` is
    on when PRODUCTION is unset), but not of one a hosting platform sets in every process
    it runs (`"RENDER" not in os.environ`, `DYNO`, `FLY_APP_NAME`, `K_SERVICE` ...): DEBUG
    is then off where the project deploys, on the platform, and on only elsewhere. A
    deployed container that sets the variable an `if` tests, to a value that still takes
    DEBUG's branch (`DJANGO_ENV: production` where the settings test `ENV == "prod"`), is
    named in the message: there the branch is no forgotten variable's.

    Settings that only development containers load (runserver, the source bind-mounted,
    a `dev`/`local` compose file or settings module) are not reported when the project
    also has a deployed configuration (a production compose file, a deployed stage, a
    `production` settings module): there DEBUG belongs to development. A project whose
    only configuration is a development one ships it, and is reported. Nor is a
    settings file the image's `.dockerignore` leaves out of the build context (with no
    source mounted over the image's code): no container of that image has it. A stack
    whose containers run no Django (a database and a cache for a site the developer
    runs on the host) has no settings module a container runs, for this rule and every
    other settings rule. Nor is a settings file whose DEBUG a script the containers run
    edits in place as they start (`sed -i 's/DEBUG = True/DEBUG = False/' app/settings.py`):
    the committed line is not the one that runs.

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
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (DEBUG from the environment, off by default)
    - [Django deployment checklist: DEBUG](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug)
      (DEBUG must be 0 in production)
    """
    for settings, binding, value in deployed_values(project, "DEBUG"):
        if value is True or (value and not isinstance(value, bool)):
            if _rewritten_at_start(project, settings):
                continue  # the start script turns it off in the file (`sed -i 's/DEBUG = True/DEBUG = False/'`)
            if _on_only_when_set(settings):
                continue  # `DEBUG = False`, then `if os.environ.get("DEBUG") == "TRUE": DEBUG = True`: off by default
            variables = [read.variable for read in reads_through_names(binding, settings.bindings)]
            if variables and not depends_on_environment(settings, binding, variables):
                variables = []  # `DEBUG = 1 or os.getenv("DEBUG")`: on whatever the variable says
            tested = [] if variables else tested_variables(binding.node)  # `DEBUG = "RENDER" not in os.environ`
            if PLATFORM_MARKERS.intersection(tested):
                continue  # off where the platform runs it, which sets the variable itself: on elsewhere only
            variables = variables or tested
            if variables and (_off_in_every_container(project, settings, binding, variables)
                              or _off_in_every_image(project, settings, binding, variables)):
                continue  # every container sets the variable (`DEBUG: "0"`, `ENV DEBUG_DISABLE=True`): DEBUG is off
            chosen_by = branch_taken_when_unset(settings, binding)
            when = _unset(variables, chosen_by)
            related: tuple[Location, ...] = ()
            if variables and isinstance(value, str):  # `config("DEBUG", "False")`: the default is a string
                message = (f"DEBUG is the string {value!r} when {when}, and any string "
                           f"but '' is true: a forgotten variable ships DEBUG; make the default off")
            elif variables:
                message = f"DEBUG is {value!r} when {when}: a forgotten variable ships DEBUG; make the default off"
            elif isinstance(value, str):  # `DEBUG = "False"`: a string that is not empty is true
                message = (f"DEBUG is the string {value!r} in {_loaded_by(project, settings)}, and any string but "
                           f"'' is true: DEBUG is on; write a boolean, read from the environment, default off")
            elif chosen_by is not None and (taker := deployed_taker(project, settings, binding, chosen_by[1])):
                # the deployed container sets the variable, to a value the test does not expect (`production` where
                # the settings ask for `prod`): it runs this branch
                run, given = taker
                message = (f"`DEBUG = True` where {run.name} runs it: the container sets {given}, and "
                           f"{chosen_by[0].removesuffix(' then')}, so the settings take this branch; read it from the "
                           f"environment, default off")
                related = (run.location,)
            elif chosen_by is not None:
                chosen, names = chosen_by  # `if ENVIRONMENT == 'development':` with that default
                message = (f"`DEBUG = True` in {_loaded_by(project, settings)} when {', '.join(names)} is unset "
                           f"({chosen}); read it from the environment, default off")
            else:
                message = (f"`DEBUG = True` in {_loaded_by(project, settings)}; read it from the environment, "
                           f"default off")
            fix = None if _needs_debug(project, binding) else debug_fix(project, settings, binding)
            yield Violation(location_of(binding), message, fix=fix, related=related)
    yield from _turned_on_where_deployed(project)


def _unset(variables: list[str], chosen_by: tuple[str, list[str]] | None) -> str:
    """The variables left unset that give DEBUG its value, as a message says it: with the test of the ``if`` they
    take the branch of (``ENV, FORCE_DEBUG are unset (`ENVIRONMENT in ('PROD', 'DEV')` is false then)``)."""
    names = list(dict.fromkeys([*(chosen_by[1] if chosen_by else []), *variables]))
    unset = f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} unset"
    return f"{unset} ({chosen_by[0]})" if chosen_by else unset


def _off_in_every_container(project: Project, settings: Settings, binding: Assignment, variables: list[str]) -> bool:
    """Whether every container that loads the settings sets the variables DEBUG reads (``DEBUG: "0"`` in its
    ``environment:``), and DEBUG computed with their values is off in each that is not a development one, or on with
    a word for on the compose file writes (``DEBUG=1``, reported on that line): the default reaches none.
    (``config("DEBUG", default=True)`` without a cast, given ``DEBUG: False``, is the string "False": on.)"""
    if not all(set_by_every_container(project, settings, name) for name in variables):
        return False
    for run in containers_loading(project, settings):
        assert run.service is not None
        if project.development(run) is not None:
            continue  # a development container turns DEBUG on on purpose (`DEBUG=1` beside runserver)
        given = project.service_environment(run.service)
        environment = {name: given.get(name) or "" for name in variables}
        try:
            if evaluated(settings, binding, environment) and any(
                    "$" in ((entry := run.service.environment.get(name)) and entry.raw or "")
                    or environment[name].strip().strip("'\"").lower() not in TRUE_WORDS for name in variables):
                return False
        except Unknown:
            return False
        # on with a word for on the compose file writes (`DEBUG=1` in a worker's `environment:`): that line is
        # reported, not the default no container gets
    return True


def _off_in_every_image(project: Project, settings: Settings, binding: Assignment, variables: list[str]) -> bool:
    """Whether every container that loads the settings (else, when none does, every image of the setup that no
    service runs) runs an image whose ``ENV`` sets the variables DEBUG reads (``ENV DEBUG_DISABLE=True``), and DEBUG
    computed with what each container gets is off in each that is not a development one: the image carries the
    values wherever it runs (a compose stack, Kubernetes, a platform)."""
    runs = containers_loading(project, settings)
    # no container of the setup loads them (its stack is the database and cache of a Django run on the host): the
    # project's own image beside the stack, which nothing here runs, is what deploys them
    given = [(project.development(run) is not None, run.build, run.environment) for run in runs] or [
        (False, build, project.process_image_environment(build)) for build, _ in project.dockerfiles
        if not build.services and build.location is None]
    if not given:
        return False
    for development, build, environment in given:
        image = project.process_image_environment(build)
        if any(image.get(name) is None for name in variables):
            return False
        if development:
            continue
        try:
            if evaluated(settings, binding, {name: environment.get(name) or "" for name in variables}):
                return False
        except Unknown:
            return False
    return True


def _turned_on_where_deployed(project: Project) -> Iterator[Violation]:
    """DEBUG that a deployed container turns on: its committed env file or its ``environment:`` sets the variable
    the settings read (``docker/prod/env/.env``'s ``DEBUG=1``), whatever the settings' default."""
    seen: set[Location] = set()
    for service, way, on, variable, (where, by, value) in values_services_give(project, "DEBUG"):
        if not on or value.strip().strip("'\"").lower() not in TRUE_WORDS or where in seen:
            continue  # `DEBUG=0` that a string read turns on all the same: DJC302's finding
        seen.add(where)
        named = ", named for production" if project.named_for_production(service) else ""
        yield Violation(where, f"DEBUG is on in service {service.name}{named}: {by} sets {variable}={value}; "
                               f"turn it off where the site is deployed", related=(location_of(way),))


def _rewritten_at_start(project: Project, settings: Settings) -> bool:
    """Whether a script the containers run edits DEBUG in the settings file as it starts (``sed -i 's/DEBUG = True/DEBUG
    = False/g' shop/settings.py``): the file as committed is not the one that runs."""
    for script in project.scripts:
        for line in script.lines:
            for command in line.commands:
                words = command.words[1:]
                if program(command) == "sed" and any(word == "--in-place" or IN_PLACE.fullmatch(word)
                                                     for word in words) \
                        and any("DEBUG" in word for word in words) \
                        and any(posixpath.basename(word) == settings.path.name for word in words):
                    return True
    return False


IN_PLACE = re.compile(r"-[a-zA-Z]*i\S*")
"""sed's ``-i`` (``-i.bak``, ``-Ei``): edit the file in place."""


def _loaded_by(project: Project, settings: Settings) -> str:
    if settings in project.production_settings_unloaded:
        return f"the production settings {project.display(settings.path)}, which the project deploys elsewhere"
    return "the settings the container runs"


def _on_only_when_set(settings: Settings) -> bool:
    """Whether the settings' DEBUG, assigned in branches, is off while the variables its tests read are unset: the
    branch that turns it on is taken only when the environment asks for it."""
    whole = settings.bindings.get("DEBUG")
    if whole is None or whole.node is None or not isinstance(whole.node, Branches):
        return False
    try:
        return not evaluated(settings, whole, {})
    except Unknown:
        return False


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
            allowed = evaluated(settings, hosts, {}) if hosts is not None and hosts.node is not None else []
        except Unknown:
            continue
        if not allowed:
            return True
    paths = {settings.path for settings in loading}
    return any(server.program == "runserver" for run in project.django_runs
               if any(settings.path in paths for settings in run.settings)
               for server in project.servers(run.service, run.build))


DEVELOPMENT_MODULE = re.compile(r"(?:^|[_-])(?:dev|develop|development|local|test|tests|testing)(?:[_-]|$)", re.I)
"""Settings modules named for development or tests (``settings/dev.py``, ``local_settings.py``)."""
