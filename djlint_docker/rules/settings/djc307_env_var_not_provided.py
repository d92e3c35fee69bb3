"""DJC307 env-var-not-provided: The settings need an environment variable that the container does not get."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.env_reads import NO_DEFAULT
from djlint_docker.parse.settings import env_reads
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._dotenv_files import exported_variables, provided_variables
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

#: Names settings often read for what the official database images call otherwise.
IMAGE_NAMES = {"POSTGRES_NAME": "POSTGRES_DB", "POSTGRES_DATABASE": "POSTGRES_DB", "MYSQL_NAME": "MYSQL_DATABASE",
               "MYSQL_DB": "MYSQL_DATABASE", "POSTGRES_USERNAME": "POSTGRES_USER", "MYSQL_USERNAME": "MYSQL_USER"}



@rule("DJC307", "env-var-not-provided", Severity.ERROR, cross=True, examples=[
    Example("secret-key-not-passed", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DEBUG: \"0\"\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                           "DEBUG = os.environ.get('DEBUG') == '1'\n"},
        expect=(("app/settings.py", 3),)),
    Example("postgres-name", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.db\n",
        ".env.db": "POSTGRES_DB=app\nPOSTGRES_USER=app\nPOSTGRES_PASSWORD=pw\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from decouple import config\nDATABASES = {'default': {\n"
                           "    'NAME': config('POSTGRES_NAME'),\n    'USER': config('POSTGRES_USER'),\n}}\n"},
        expect=(("app/settings.py", 2),)),
    Example("environ-required", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import environ\nenv = environ.Env()\nSECRET_KEY = env('DJANGO_SECRET_KEY')\n"},
        expect=(("app/settings.py", 3),)),
    # The settings give DJANGO_ENV a default themselves before they read it; SECRET_KEY they do not.
    Example("default-set-in-the-environment-by-the-settings", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from os import environ\n\nenviron.setdefault('DJANGO_ENV', 'development')\n"
                           "_ENV = environ['DJANGO_ENV']\nSECRET_KEY = environ['SECRET_KEY']\n"},
        expect=(("app/settings.py", 5),)),
    Example("provided-by-compose-env-file-and-image", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: web.env\n    environment:\n"
                        "      - ALLOWED_HOSTS\n", "web.env": "SECRET_KEY=x\n",
        "Dockerfile": APP_DOCKERFILE + "ENV DATABASE_URL=sqlite:////data/db.sqlite3\n", "manage.py": MANAGE,
        "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                           "ALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split(',')\n"
                           "DB = os.environ['DATABASE_URL']\n"}),
    Example("env-file-each-clone-makes", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n", ".gitignore": ".env\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"}),
    Example("env-file-from-its-template", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n", ".gitignore": ".env\n",
        ".env.example": "SECRET_KEY=change-me\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"}),
    Example("template-lacks-the-variable", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n", ".gitignore": ".env\n",
        ".env.example": "DEBUG=0\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"},
        expect=(("app/settings.py", 2),)),
    Example("defaults", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env('DEBUG')\n"
                           "SECRET_KEY = env.str('SECRET_KEY', default='')\n"}),
    Example("read-only-in-production-branch", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DJANGO_ENV: development\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nif os.environ.get('DJANGO_ENV') == 'production':\n"
                           "    SECRET_KEY = os.environ['SECRET_KEY']\nelse:\n    SECRET_KEY = 'development'\n"}),
    Example("read-in-the-branch-the-container-takes", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DJANGO_ENV: production\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nif os.environ.get('DJANGO_ENV') == 'production':\n"
                           "    SECRET_KEY = os.environ['SECRET_KEY']\nelse:\n    SECRET_KEY = 'development'\n"},
        expect=(("app/settings.py", 3),)),
    Example("result-backend-behind-a-switch", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from decouple import config\n"
                           "CELERY_TASK_IGNORE_RESULT = config('CELERY_TASK_IGNORE_RESULT', default=True, cast=bool)\n"
                           "if not CELERY_TASK_IGNORE_RESULT:\n"
                           "    CELERY_RESULT_BACKEND = config('CELERY_RESULT_BACKEND')\n"}),
    Example("read-a-try-handles", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\ntry:\n    SECRET_KEY = os.environ['SECRET_KEY']\nexcept KeyError:\n"
                           "    SECRET_KEY = 'development'\n"}),
    Example("read-env-file", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/.env": "SECRET_KEY=from-dotenv\n",
        "app/settings.py": "import environ\nenv = environ.Env()\nenviron.Env.read_env()\n"
                           "SECRET_KEY = env('SECRET_KEY')\n"}),
    # django-environ's read_env() reads the .env beside the module that calls it, not the one above.
    Example("read-env-reads-beside-the-settings-only", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        ".env": "SECRET_KEY=from-dotenv\n",
        "app/settings.py": "import environ\nenv = environ.Env()\nenviron.Env.read_env()\n"
                           "SECRET_KEY = env('SECRET_KEY')\n"},
        expect=(("app/settings.py", 4),)),
    # Each clone writes its own .env (gitignored, no template); the Dockerfile copies it beside the settings.
    Example("env-file-each-clone-makes-copied-into-the-image", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n",
        ".gitignore": "__pycache__/\n.env\n", ".dockerignore": ".git\napp/.env\n",
        "Dockerfile": APP_DOCKERFILE + "COPY .env ./app\n", "manage.py": MANAGE,
        "app/settings.py": "import environ\n\nenv = environ.Env(DEBUG=(bool, False))\nenviron.Env.read_env()\n\n"
                           "SECRET_KEY = env('SECRET_KEY')\nALLOWED_HOSTS = env('ALLOWED_HOSTS').split(' ')\n"}),
    Example("env-file-copied-into-the-image-from-its-template", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n",
        ".gitignore": ".env.prod\n", ".env.prod.example": "SECRET_KEY=\n",
        "Dockerfile": APP_DOCKERFILE + "COPY .env.prod app/.env\n", "manage.py": MANAGE,
        "app/settings.py": "import environ\n\nenv = environ.Env()\nenviron.Env.read_env()\n\n"
                           "SECRET_KEY = env('SECRET_KEY')\nALLOWED_HOSTS = env.list('ALLOWED_HOSTS')\n"},
        expect=(("app/settings.py", 7),)),
    Example("decouple-settings-ini", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "settings.ini": "[settings]\nsecret_key = not-for-production\nDEBUG = True\n",
        "app/settings.py": "from decouple import config\n\nSECRET_KEY = config('SECRET_KEY')\n"
                           "DEBUG = config('DEBUG', cast=bool)\n"}),
    Example("decouple-settings-ini-lacks-the-variable", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "settings.ini": "[settings]\nDEBUG = True\n",
        "app/settings.py": "from decouple import config\n\nSECRET_KEY = config('SECRET_KEY')\n"
                           "DEBUG = config('DEBUG', cast=bool)\n"},
        expect=(("app/settings.py", 3),)),
    Example("env-file-each-clone-makes-in-the-copied-context", {
        "compose.yaml": "services:\n  web:\n    build: .\n", ".gitignore": "*.pyc\n.env\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n\nfrom dotenv import load_dotenv\n\nload_dotenv()\n\n"
                           "SECRET_KEY = os.environ['SECRET_KEY']\n"}),
    Example("env-file-each-clone-makes-left-out-of-the-build", {
        "compose.yaml": "services:\n  web:\n    build: .\n", ".gitignore": "*.pyc\n.env\n",
        ".dockerignore": ".git\n**/.env\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n\nfrom dotenv import load_dotenv\n\nload_dotenv()\n\n"
                           "SECRET_KEY = os.environ['SECRET_KEY']\n"},
        expect=(("app/settings.py", 7),)),
    # The settings read the env files a variable of the service lists: which they are is known at run time only.
    Example("env-files-the-settings-choose-at-run-time", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      - DJANGO_READ_DOT_ENV_FILE=true\n"
                        "      - DJANGO_ENV_FILES=.env.ci\n",
        ".env.ci": "SECRET_KEY=ci-only\nDATABASE_URL=postgres://app:app@db/app\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from pathlib import Path\n\nimport environ\n\n"
                           "BASE_DIR = Path(__file__).resolve().parent.parent\n"
                           "env = environ.Env()\nif env.bool('DJANGO_READ_DOT_ENV_FILE', default=False):\n"
                           "    for name in env.list('DJANGO_ENV_FILES', default=['.env']):\n"
                           "        env.read_env(str(BASE_DIR / name))\n\nSECRET_KEY = env('SECRET_KEY')\n"
                           "DATABASES = {'default': env.db('DATABASE_URL')}\n"}),
    Example("env-file-loading-switched-off", {
        "compose.yaml": "services:\n  web:\n    build: .\n",
        ".env": "SECRET_KEY=local-only\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from pathlib import Path\n\nimport environ\n\n"
                           "BASE_DIR = Path(__file__).resolve().parent.parent\n"
                           "env = environ.Env()\nif env.bool('DJANGO_READ_DOT_ENV_FILE', default=False):\n"
                           "    env.read_env(str(BASE_DIR / '.env'))\n\nSECRET_KEY = env('SECRET_KEY')\n"},
        expect=(("app/settings.py", 10),)),
    Example("env-file-named-by-the-settings", {
        "compose.yaml": "services:\n  web:\n    build: .\n", ".gitignore": ".env.prod\n",
        ".env.prod.example": "SECRET_KEY=\nALLOWED_HOSTS=example.com\n", "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE,
        "app/settings.py": "import os\n\nfrom dotenv import load_dotenv\n\n"
                           "BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
                           "load_dotenv(os.path.join(BASE_DIR, '.env.prod'))\n\n"
                           "SECRET_KEY = os.environ['SECRET_KEY']\n"
                           "ALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split(',')\n"}),
    Example("env-file-named-by-the-settings-lacks-the-variable", {
        "compose.yaml": "services:\n  web:\n    build: .\n", ".env.dev": "DEBUG=1\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n\nfrom dotenv import load_dotenv\n\nload_dotenv('.env.dev')\n\n"
                           "DEBUG = os.environ.get('DEBUG') == '1'\nSECRET_KEY = os.environ['SECRET_KEY']\n"},
        expect=(("app/settings.py", 8),)),
    # The entrypoint builds DATABASE_URL from the variables the database service shares, then runs the command.
    Example("exported-by-the-entrypoint", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .envs/postgres\n"
                        "    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n",
        ".envs/postgres": "POSTGRES_HOST=db\nPOSTGRES_DB=app\nPOSTGRES_USER=app\nPOSTGRES_PASSWORD=secret\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\nexport DATABASE_URL=\"postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}"
                         "@${POSTGRES_HOST}:5432/${POSTGRES_DB}\"\nexec \"$@\"\n",
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "app/settings.py": "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db('DATABASE_URL')}\n"
                           "SECRET_KEY = env('DJANGO_SECRET_KEY')\n"},
        expect=(("app/settings.py", 4),)),
])
def env_var_not_provided(project: Project) -> Iterator[Violation]:
    """The settings need an environment variable that the container does not get.

    ## What it does
    For each compose service that runs Django, lists the variables its settings read
    without a default (`os.environ["X"]`, `env("X")` from django-environ, `config("X")`
    from python-decouple) and reports those that neither the service's `environment:`, its
    `env_file:`, the image's `ENV` nor the container's scripts (`export DATABASE_URL=...`
    in an entrypoint that then runs the command; for an image whose Dockerfile compose cannot
    find, the scripts left in its folder) nor the settings themselves
    (`os.environ.setdefault("DJANGO_ENV", "development")`) provide; not for a service that runs an
    image pulled from a registry that no Dockerfile of the setup builds, whose `ENV` and
    entrypoint are unknown. An env file the settings load
    themselves counts (`load_dotenv(BASE_DIR / ".env.prod")`, its committed template when
    it is absent; the `.env` beside the settings for django-environ's `read_env()`, the
    first one upwards for `load_dotenv()`, and `settings.ini` (its `[settings]` section)
    or `.env` upwards for python-decouple), unless the loading is in a branch the
    container does not take. The file is the one the image holds there: a COPY of the
    Dockerfile may put another one (`COPY .env ./server`). One each clone makes by hand
    (gitignored, no committed template) that the image gets (copied by name, or with the
    context when `.dockerignore` keeps it) sets what each user wrote: not judged; nor are
    settings that load files djcheck cannot name (a list of files a variable gives): what
    they set is unknown. A read under an `if` counts only when the container's environment
    takes that branch; one a `try` handles never stops Django, nor does one after a test
    that the variable is set (`"X" in os.environ and os.environ["X"] != ""`). A service whose `env_file:`
    each clone makes by hand, with no committed template, is not judged: what it sets is
    unknown. When a similar name is provided (`POSTGRES_NAME` read, `POSTGRES_DB` set),
    the message names it.

    ## Why is this bad?
    Django imports the settings at start-up: a missing variable raises `KeyError` or
    `ImproperlyConfigured` and the container exits before serving a request, often
    only in the environment where it was forgotten.

    ## Example
    ```python
    SECRET_KEY = os.environ["SECRET_KEY"]
    ```
    with a service that sets no `SECRET_KEY`. Use instead: pass it to the service
    (`environment:` or `env_file:`), or give the read a default where one is safe.

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (the settings read `POSTGRES_NAME`, `POSTGRES_USER`... from the environment the compose file sets)
    - [django-environ: `Env.read_env()`](https://django-environ.readthedocs.io/en/latest/api.html#environ.Env.read_env)
      (without a path, the `.env` in the folder of the file that calls it)
    - [python-decouple: where the settings data is stored](https://github.com/HBNetwork/python-decouple#where-is-the-settings-data-stored)
      (`settings.ini` or `.env`, searched from the caller's folder upwards)
    """
    missing: dict[tuple[Location, str], tuple[list[str], set[str]]] = {}
    for run in project.django_runs:
        if run.service is None or not project.environment_known(run.service):
            continue  # an env_file each clone makes by hand, with no template: what it sets is unknown
        if run.build is None and run.service.build is None:
            continue  # an image pulled from a registry that no Dockerfile of the setup builds: its ENV and entrypoint
            # (which may export the variable) are unknown
        exported = exported_variables(project, run)
        for settings in run.settings:
            provided = provided_variables(project, run, settings, exported)
            if provided is None:
                continue  # the settings load env files djcheck cannot name: what they give is unknown
            for binding in settings.bindings.values():
                if binding.node is None:
                    continue
                for read in env_reads(binding.node, settings.bindings, run.process_environment):
                    if read.default is NO_DEFAULT and read.variable not in provided:
                        at = Location(binding.path, binding.line, binding.column)
                        services, names = missing.setdefault((at, read.variable), ([], set()))
                        services.append(run.service.name)
                        names |= provided
    # the settings are the project's, the services this stack's: say which stack when the project has others
    stack = f" of {project.display(project.setup.compose_files[0])}" if missing and any(
        other.setup.compose_files for other in project.related) else ""
    for (at, variable), (services, provided) in missing.items():
        similar = _similar(variable, provided)
        hint = f" ({similar} is set: a different name)" if similar else ""
        service_names = list(dict.fromkeys(services))
        who = (f"service {service_names[0]}{stack} does" if len(service_names) == 1
               else f"services {', '.join(service_names)}{stack} do")
        yield Violation(at, f"the settings read {variable} without a default, but {who} not set it{hint}; Django "
                            f"stops at start-up; pass {variable} in `environment:` or `env_file:`")


def _similar(variable: str, provided: set[str]) -> str | None:
    """A name the services set that looks meant for ``variable``: the image's own name for it, or a near spelling."""
    import difflib  # here: most setups miss no variable

    if IMAGE_NAMES.get(variable) in provided:
        return IMAGE_NAMES[variable]
    return next(iter(difflib.get_close_matches(variable, sorted(provided), n=1, cutoff=0.75)), None)
