"""DJC304 allowed-hosts-wildcard: `ALLOWED_HOSTS` accepts any host."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import Assignment, Unknown, env_reads, evaluate
from djlint_docker.positions import Location
from djlint_docker.project import Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import kept_values, location_of, values_services_give
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY
from djlint_docker.rules.settings._refusals import stops_when
from djlint_docker.rules.snippets import MANAGE, SETTINGS_FROM_ENVIRONMENT, SETTINGS_SETUP


@rule("DJC304", "allowed-hosts-wildcard", Severity.WARNING, examples=[
    # The production stack reads a committed env file that opens the site to every Host header.
    Example("committed-env-file-of-a-deployed-stack-gives-a-wildcard", {
        "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                                   "    env_file: .env.prod\n",
        ".env.prod": "DEBUG=0\nDJANGO_ALLOWED_HOSTS=*\n", "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE,
        "app/__init__.py": "",
        "app/settings.py": "import os\nALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(' ')\n"},
        expect=((".env.prod", 2),)),
    Example("committed-env-file-of-a-deployed-stack-names-the-host", {
        "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                                   "    env_file: .env.prod\n",
        ".env.prod": "DEBUG=0\nDJANGO_ALLOWED_HOSTS=shop.example.com\n", "Dockerfile": "FROM python:3.12-slim\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "import os\n"
        "ALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(' ')\n"}),
    Example("star", {**SETTINGS_SETUP, "app/settings.py": "ALLOWED_HOSTS = ['*']\n"}, expect=(("app/settings.py", 1),)),
    Example("star-default", {**SETTINGS_SETUP, "app/settings.py":
                             "import os\nALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', '*').split(' ')\n"},
            expect=(("app/settings.py", 2),)),
    Example("decouple-csv-default", {
        **SETTINGS_SETUP, "app/settings.py": "from decouple import Csv, config\n"
                                             "ALLOWED_HOSTS = config('ALLOWED_HOSTS', default='*', cast=Csv())\n"},
        expect=(("app/settings.py", 2),)),
    Example("development-settings-of-a-project-deployed-elsewhere", DEV_AND_PROD),
    Example("development-settings-are-all-it-has", DEV_ONLY, expect=(("app/settings/dev.py", 5),)),
    # Developers run the image with runserver and DEBUG on; the image is deployed by a platform that sets DEBUG.
    Example("any-host-while-debugging", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - .:/app\n    environment:\n      DEBUG: '1'\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/wsgi.py": "",
        "app/settings.py": SETTINGS_FROM_ENVIRONMENT + "if DEBUG:\n    ALLOWED_HOSTS = ['*']\n"}),
    Example("any-host-unless-debugging", {**SETTINGS_SETUP, "app/settings.py": SETTINGS_FROM_ENVIRONMENT
                                          + "if DEBUG:\n    ALLOWED_HOSTS = ['localhost']\nelse:\n"
                                          "    ALLOWED_HOSTS = ['*']\n"}, expect=(("app/settings.py", 9),)),
    # The default '*' serves development alone: with DEBUG off the settings refuse to load with it.
    Example("star-default-refused-unless-debugging", {**SETTINGS_SETUP, "app/settings.py":
        "import json\nimport os\n\nfrom django.core.exceptions import ImproperlyConfigured\n\n"
        "DEBUG = json.loads(os.environ.get('DJANGO_DEBUG', 'false'))\n"
        "ALLOWED_HOSTS = json.loads(os.environ.get('DJANGO_ALLOWED_HOSTS', '[\"*\"]'))\n\n"
        "if not DEBUG and '*' in ALLOWED_HOSTS:\n"
        "    raise ImproperlyConfigured('set DJANGO_ALLOWED_HOSTS outside debug environments')\n"}),
    Example("named-hosts", {**SETTINGS_SETUP, "app/settings.py": SETTINGS_FROM_ENVIRONMENT}),
    Example("environ-list", {**SETTINGS_SETUP, "app/settings.py":
                             "import environ\nenv = environ.Env()\n"
                             "ALLOWED_HOSTS = env.list('ALLOWED_HOSTS', default=['localhost'])\n"}),
])
def allowed_hosts_wildcard(project: Project) -> Iterator[Violation]:
    """`ALLOWED_HOSTS` accepts any host.

    ## What it does
    Reports `"*"` in `ALLOWED_HOSTS`, written or as the default when its environment
    variable is unset (the message then says so), and the line of a committed env file
    (or `environment:`) of a deployed container that gives the variable a `*`
    (`DJANGO_ALLOWED_HOSTS=*` in a committed `.env.prod`). Settings that only development
    containers load are not reported when the project also has a deployed configuration,
    nor the way through `if DEBUG:` (a deployment with DEBUG on is DJC301's finding) or
    through a branch only a CI or test run takes, nor settings that refuse to load with
    `'*'` (`if "*" in ALLOWED_HOSTS: raise ImproperlyConfigured(...)`).

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
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`ALLOWED_HOSTS = ['*']` in the tutorial)
    - [Django: ALLOWED_HOSTS](https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts)
    """
    # Not on `if DEBUG: ALLOWED_HOSTS = ["*"]`: a server with DEBUG on (DJC301) or a CI run.
    refused: dict[Path, bool] = {}  # by settings module: worked out once for all its values
    for settings, binding, value in kept_values(project, "ALLOWED_HOSTS"):
        if not isinstance(value, (list, tuple, set)) or "*" not in value:
            continue
        if settings.path not in refused:
            refused[settings.path] = _refused(project, settings)
        if not refused[settings.path]:
            variables = [read.variable for read in env_reads(binding.node, settings.bindings)]  # type: ignore[arg-type]
            if variables and _wildcard_written(binding, settings, variables):
                variables = []  # `["*", "localhost", os.getenv("HOST")]`: the '*' is there whatever the variable says
            how = f"is {value!r} when {', '.join(variables)} is unset: a forgotten variable trusts" if variables \
                else "contains '*': Django trusts"
            yield Violation(location_of(binding), f"ALLOWED_HOSTS {how} any Host header; "
                                                  f"list the host names the site is served under")
    yield from _wildcard_from_env_files(project)


def _refused(project: Project, settings: Settings) -> bool:
    """Whether the settings stop when ALLOWED_HOSTS holds '*' (``if "*" in ALLOWED_HOSTS: raise
    ImproperlyConfigured(...)``, under ``if not DEBUG:`` often): no deployment serves it."""
    def tests_wildcard(test: ast.expr) -> bool:
        nodes = list(ast.walk(test))
        return any(isinstance(node, ast.Constant) and node.value == "*" for node in nodes) and any(
            isinstance(node, ast.Name) and node.id == "ALLOWED_HOSTS" for node in nodes)

    return stops_when(project, settings, tests_wildcard, ("'*'", '"*"'))


def _wildcard_from_env_files(project: Project) -> Iterator[Violation]:
    """The line of a deployed container's committed env file (or ``environment:``) that gives the variable
    ``ALLOWED_HOSTS`` is read from a ``*`` (``DJANGO_ALLOWED_HOSTS=*`` in a committed ``.env.prod``)."""
    seen: set[Location] = set()
    for service, way, hosts, variable, (where, by, value) in values_services_give(project, "ALLOWED_HOSTS"):
        if not isinstance(hosts, (list, tuple, set)) or "*" not in hosts or "*" not in value or where in seen:
            continue
        seen.add(where)
        yield Violation(where, f"ALLOWED_HOSTS contains '*' in service {service.name}: {by} sets {variable}={value}; "
                               f"Django trusts any Host header; list the host names the site is served under",
                        related=(location_of(way),))


def _wildcard_written(binding: Assignment, settings: Settings, variables: list[str]) -> bool:
    """Whether the value holds '*' when each variable it reads is set to a host name: the '*' is written."""
    assert binding.node is not None
    try:
        value = evaluate(binding.node, dict.fromkeys(variables, "site.example"), settings.bindings)
    except Unknown:
        return False
    return isinstance(value, (list, tuple, set)) and "*" in value
