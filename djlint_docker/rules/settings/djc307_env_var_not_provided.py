"""DJC307 env-var-not-provided: The settings need an environment variable that the container does not get."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.env_reads import NO_DEFAULT
from djlint_docker.parse.settings import env_reads
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

DOTENV_LOADERS = re.compile(r"\bread_env\s*\(|\bload_dotenv\s*\(|\bdecouple\b")

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
        ".env": "SECRET_KEY=from-dotenv\n",
        "app/settings.py": "import environ\nenv = environ.Env()\nenviron.Env.read_env()\n"
                           "SECRET_KEY = env('SECRET_KEY')\n"}),
])
def env_var_not_provided(project: Project) -> Iterator[Violation]:
    """The settings need an environment variable that the container does not get.

    ## What it does
    For each compose service that runs Django, lists the variables its settings read
    without a default (`os.environ["X"]`, `env("X")` from django-environ,
    `config("X")` from python-decouple) and reports those that neither the service's
    `environment:`, its `env_file:` nor the image's `ENV` provide (a `.env` file the
    settings load themselves counts). A read under an `if` counts only when the
    container's environment takes that branch; one a `try` handles never stops Django.
    A service whose `env_file:` each clone makes by hand, with no committed template,
    is not judged: what it sets is unknown. When a similar name is provided
    (`POSTGRES_NAME` read, `POSTGRES_DB` set), the message names it.

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
    """
    missing: dict[tuple[Location, str], tuple[list[str], set[str]]] = {}
    for run in project.django_runs:
        if run.service is None or not project.environment_known(run.service):
            continue  # an env_file each clone makes by hand, with no template: what it sets is unknown
        provided_in: dict[Path, set[str]] = {}
        for settings in run.settings:
            for binding in settings.bindings.values():
                if binding.node is None:
                    continue
                if binding.path not in provided_in:
                    provided_in[binding.path] = _provided(project, run, binding.path)
                provided = provided_in[binding.path]
                for read in env_reads(binding.node, settings.bindings, run.process_environment):
                    if read.default is NO_DEFAULT and read.variable not in provided:
                        at = Location(binding.path, binding.line, binding.column)
                        services, names = missing.setdefault((at, read.variable), ([], set()))
                        services.append(run.service.name)
                        names |= provided
    for (at, variable), (services, provided) in missing.items():
        similar = _similar(variable, provided)
        hint = f" ({similar} is set: a different name)" if similar else ""
        service_names = list(dict.fromkeys(services))
        who = (f"service {service_names[0]} does" if len(service_names) == 1
               else f"services {', '.join(service_names)} do")
        yield Violation(at, f"the settings read {variable} without a default, but {who} not set it{hint}; Django "
                            f"stops at start-up; pass {variable} in `environment:` or `env_file:`")



def _provided(project: Project, run: DjangoRun, path: Path) -> set[str]:
    """The variables a container has: its environment, plus ``.env`` files the settings load themselves."""
    names = set(run.environment)
    text = project.text(path) or ""
    if DOTENV_LOADERS.search(text) and run.build is not None:
        folder = path.parent
        while folder.is_relative_to(run.build.context):
            names |= set(project.env_values(folder / ".env") or {})
            if folder == run.build.context:
                break
            folder = folder.parent
    return names



def _similar(variable: str, provided: set[str]) -> str | None:
    """A name the services set that looks meant for ``variable``: the image's own name for it, or a near spelling."""
    import difflib  # here: most setups miss no variable

    if IMAGE_NAMES.get(variable) in provided:
        return IMAGE_NAMES[variable]
    return next(iter(difflib.get_close_matches(variable, sorted(provided), n=1, cutoff=0.75)), None)

