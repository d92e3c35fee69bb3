"""Environment variables across files: what compose interpolates and what the settings need."""

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
from djlint_docker.rules.snippets import MANAGE

DOCKERFILE = "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
DOTENV_LOADERS = re.compile(r"\bread_env\s*\(|\bload_dotenv\s*\(|\bdecouple\b")
#: Names settings often read for what the official database images call otherwise.
IMAGE_NAMES = {"POSTGRES_NAME": "POSTGRES_DB", "POSTGRES_DATABASE": "POSTGRES_DB", "MYSQL_NAME": "MYSQL_DATABASE",
               "MYSQL_DB": "MYSQL_DATABASE", "POSTGRES_USERNAME": "POSTGRES_USER", "MYSQL_USERNAME": "MYSQL_USER"}


@rule("DJC214", "undefined-variable", Severity.WARNING, cross=True, examples=[
    Example("no-env-file", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                            "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n"},
            expect=(("compose.yaml", 5),)),
    Example("env-file-does-not-interpolate", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    env_file: web.env\n    ports:\n"
                        "      - \"${WEB_PORT}:8000\"\n", "web.env": "WEB_PORT=8000\n"},
        expect=(("compose.yaml", 6),)),
    Example("defined-in-dotenv", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                                  "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n", ".env": "DB_PASSWORD=s3cret\n"}),
    Example("default-or-required", {"compose.yaml": "services:\n  db:\n    image: postgres:${PG_VERSION:-16}\n"
                                                    "    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it}\n"}),
    Example("escaped", {"compose.yaml": "services:\n  web:\n    image: app:1.0\n    command: sh -c 'echo $$HOME'\n"}),
])
def undefined_variable(project: Project) -> Iterator[Violation]:
    """A `${VAR}` in the compose file has no value and no default.

    ## What it does
    Reports each `${VAR}` (or `$VAR`) that the `.env` file beside the compose file does
    not define and that has no default (`${VAR:-default}`) and is not marked required
    (`${VAR:?message}`). When a service's `env_file:` defines the name, the message
    says so: `env_file:` values reach the container, they do not feed interpolation.

    ## Why is this bad?
    Compose substitutes an empty string and only prints a warning that scrolls away:
    the database starts with an empty password, a port mapping loses its host port, an
    image tag becomes `:` and the pull fails.

    ## Example
    ```yaml
    environment:
      POSTGRES_PASSWORD: ${DB_PASSWORD}
    ```
    with no `DB_PASSWORD` in `.env`. Use instead: define it in `.env`, or make the
    requirement explicit:
    ```yaml
      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}
    ```

    ## References
    - Seed 002 (values in `.env` are substituted into the compose file)
    - [Compose: interpolation](https://docs.docker.com/reference/compose-file/interpolation/)
    """
    stack = project.stack
    if stack is None:
        return
    in_env_files = {name: ref.path for service in stack.services.values() for ref in service.env_files
                    if ref.path.is_file() for name in project.env_file(ref.path)}
    uses: dict[str, list[Location]] = {}
    for located in stack.unset_variables:
        if located.location not in uses.setdefault(located.value, []):
            uses[located.value].append(located.location)
    for name, locations in uses.items():
        where = (f"; {project.display(in_env_files[name])} sets it, but `env_file:` values reach the container, "
                 f"not the compose file") if name in in_env_files else ""
        yield Violation(locations[0], f"${{{name}}} is not set in .env and has no default: Compose substitutes "
                                      f"an empty string{where}; define it in .env or write ${{{name}:?message}}",
                        related=tuple(locations[1:]))


def _provided(project: Project, run: DjangoRun, path: Path) -> set[str]:
    """The variables a container has: its environment, plus ``.env`` files the settings load themselves."""
    names = set(run.environment)
    text = project.text(path) or ""
    if DOTENV_LOADERS.search(text) and run.build is not None:
        folder = path.parent
        while folder.is_relative_to(run.build.context):
            dotenv = folder / ".env"
            if dotenv.is_file():
                names |= set(project.env_file(dotenv))
            if folder == run.build.context:
                break
            folder = folder.parent
    return names


@rule("DJC307", "env-var-not-provided", Severity.ERROR, cross=True, examples=[
    Example("secret-key-not-passed", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DEBUG: \"0\"\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = os.environ.get('DEBUG') == '1'\n"},
        expect=(("app/settings.py", 3),)),
    Example("postgres-name", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.db\n",
        ".env.db": "POSTGRES_DB=app\nPOSTGRES_USER=app\nPOSTGRES_PASSWORD=pw\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from decouple import config\nDATABASES = {'default': {\n"
                           "    'NAME': config('POSTGRES_NAME'),\n    'USER': config('POSTGRES_USER'),\n}}\n"},
        expect=(("app/settings.py", 2),)),
    Example("environ-required", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import environ\nenv = environ.Env()\nSECRET_KEY = env('DJANGO_SECRET_KEY')\n"},
        expect=(("app/settings.py", 3),)),
    Example("provided-by-compose-env-file-and-image", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: web.env\n    environment:\n"
                        "      - ALLOWED_HOSTS\n", "web.env": "SECRET_KEY=x\n",
        "Dockerfile": DOCKERFILE + "ENV DATABASE_URL=sqlite:////data/db.sqlite3\n", "manage.py": MANAGE,
        "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                           "ALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split(',')\nDB = os.environ['DATABASE_URL']\n"}),
    Example("defaults", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env('DEBUG')\n"
                           "SECRET_KEY = env.str('SECRET_KEY', default='')\n"}),
    Example("read-env-file", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        ".env": "SECRET_KEY=from-dotenv\n",
        "app/settings.py": "import environ\nenv = environ.Env()\nenviron.Env.read_env()\nSECRET_KEY = env('SECRET_KEY')\n"}),
])
def env_var_not_provided(project: Project) -> Iterator[Violation]:
    """The settings need an environment variable that the container does not get.

    ## What it does
    For each compose service that runs Django, lists the variables its settings read
    without a default (`os.environ["X"]`, `env("X")` from django-environ,
    `config("X")` from python-decouple) and reports those that neither the service's
    `environment:`, its `env_file:` nor the image's `ENV` provide (a `.env` file the
    settings load themselves counts). When a similar name is provided
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
    - Seed 000 (the settings read `POSTGRES_NAME`, `POSTGRES_USER`... from the environment the compose file sets)
    """
    missing: dict[tuple[Location, str], tuple[list[str], set[str]]] = {}
    for run in project.django_runs:
        if run.service is None:
            continue
        provided_in: dict[Path, set[str]] = {}
        for settings in run.settings:
            for binding in settings.bindings.values():
                if binding.node is None:
                    continue
                if binding.path not in provided_in:
                    provided_in[binding.path] = _provided(project, run, binding.path)
                provided = provided_in[binding.path]
                for read in env_reads(binding.node, settings.bindings):
                    if read.default is NO_DEFAULT and read.variable not in provided:
                        at = Location(binding.path, binding.line, binding.column)
                        services, names = missing.setdefault((at, read.variable), ([], set()))
                        services.append(run.service.name)
                        names |= provided
    for (at, variable), (services, provided) in missing.items():
        similar = _similar(variable, provided)
        hint = f" ({similar} is set: a different name)" if similar else ""
        names = list(dict.fromkeys(services))
        who = f"service {names[0]} does" if len(names) == 1 else f"services {', '.join(names)} do"
        yield Violation(at, f"the settings read {variable} without a default, but {who} not set it{hint}; Django "
                            f"stops at start-up; pass {variable} in `environment:` or `env_file:`")


def _similar(variable: str, provided: set[str]) -> str | None:
    """A name the services set that looks meant for ``variable``: the image's own name for it, or a near spelling."""
    import difflib  # here: most setups miss no variable

    if IMAGE_NAMES.get(variable) in provided:
        return IMAGE_NAMES[variable]
    return next(iter(difflib.get_close_matches(variable, sorted(provided), n=1, cutoff=0.75)), None)
