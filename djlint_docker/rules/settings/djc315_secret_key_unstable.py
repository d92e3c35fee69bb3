"""DJC315 secret-key-unstable: `SECRET_KEY` is random per process, or set empty by the container's environment."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.envfile import EnvVar
from djlint_docker.parse.settings import Assignment, Branches, Unknown, env_reads
from djlint_docker.parse.shell import program
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import never_deployed
from djlint_docker.rules.dockerfile._secrets import secret_name
from djlint_docker.rules.project._env_files import written_by_script
from djlint_docker.rules.settings._bindings import environment_unknown, location_of, taken_while_testing
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

RANDOM_FUNCTIONS = {"get_random_secret_key", "get_random_string", "token_hex", "token_urlsafe", "token_bytes",
                    "urandom", "uuid4"}
MAX_NODES = 2_000
RANDOM_FALLBACK = ("import os\nfrom django.core.management.utils import get_random_secret_key\n\n"
                   "SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', get_random_secret_key())\n")
SETTINGS_DEFAULT = "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'django-insecure-local-only')\n"
WEB = "services:\n  web:\n    build: .\n    command: gunicorn -w 4 -b 0.0.0.0:8000 app.wsgi\n"


PRODUCTION_ENV_FILE_STACK = {"compose.yaml": WEB + "    env_file: .envs/.production/.django\n",
                             "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": SETTINGS_DEFAULT}
"""A web service reading the committed production env file (the examples add it)."""


def _key_written_by_the_setup_script(target: str) -> dict[str, str]:
    """A project whose setup script makes ``.env`` from its template and writes a random key into ``target``."""
    return {"compose.yaml": WEB + "    env_file: .env\n", ".gitignore": ".env\n", ".env.example": "DEBUG=0\n",
            "setup.sh": "#!/bin/sh\nset -e\ncp .env.example .env\n"
                        f"echo \"DJANGO_SECRET_KEY=$(openssl rand -hex 32)\" >> {target}\n",
            "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": RANDOM_FALLBACK}


@rule("DJC315", "secret-key-unstable", Severity.ERROR, cross=True, examples=[
    Example("random-fallback", {"compose.yaml": WEB, "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
                                "app/settings.py": RANDOM_FALLBACK}, expect=(("app/settings.py", 4),)),
    Example("random-after-or", {
        "compose.yaml": WEB + "    environment:\n      DEBUG: '0'\n", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nimport secrets\n\n"
                           "SECRET_KEY = os.getenv('SECRET_KEY') or secrets.token_urlsafe(50)\n"},
        expect=(("app/settings.py", 4),)),
    Example("empty-in-the-env-file", {
        "compose.yaml": WEB + "    env_file: .env.prod\n", ".env.prod": "DEBUG=0\nSECRET_KEY=\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": SETTINGS_DEFAULT},
        expect=(("app/settings.py", 2),)),
    Example("empty-beside-secrets-that-are-set", {
        **PRODUCTION_ENV_FILE_STACK,
        ".envs/.production/.django": "SECRET_KEY=\nMAILGUN_API_KEY=key-3f9c2a7e51d84b06\nSENTRY_TOKEN=\n"
                                     "DB_PASSWORD=\n"},
        expect=(("app/settings.py", 2),)),
    # The production env file is committed with every secret blank, for the deployer to fill in on the server.
    Example("skeleton-env-file-with-every-secret-blank", {
        **PRODUCTION_ENV_FILE_STACK,
        ".envs/.production/.django": "SECRET_KEY=\nALLOWED_HOSTS=\nMAILGUN_API_KEY=\nSENTRY_TOKEN=\nDB_PASSWORD=\n"
                                     "WEB_CONCURRENCY=4\n"}),
    Example("empty-in-the-environment", {
        "compose.yaml": WEB + "    environment:\n      - SECRET_KEY=\n", "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE, "app/settings.py": SETTINGS_DEFAULT}, expect=(("app/settings.py", 2),)),
    # The key comes from the shell that runs compose (the docs say to export it): empty only where nothing does.
    Example("from-the-shell-with-an-empty-default", {
        "compose.yaml": WEB + "    environment:\n      - SECRET_KEY=${SECRET_KEY:-}\n", "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE, "app/settings.py": "import os\nSECRET_KEY = os.environ.get('SECRET_KEY')\n"}),
    Example("random-only-while-debugging", {
        "compose.yaml": WEB, "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nfrom django.core.management.utils import get_random_secret_key\n\n"
                           "DEBUG = os.environ.get('DEBUG') == '1'\nSECRET_KEY = os.environ.get('SECRET_KEY')\n"
                           "if not SECRET_KEY and DEBUG:\n    SECRET_KEY = get_random_secret_key()\n"}),
    Example("random-only-when-tests-run", {
        "compose.yaml": WEB, "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE,
        "app/settings.py": "import sys\n\nimport environ\n\nIS_TESTS = 'test' in sys.argv\nenv = environ.Env()\n"
                           "environ.Env.read_env()\n\nSECRET_KEY = env.str('SECRET_KEY', default='')\n\n"
                           "if IS_TESTS:\n    from django.core.management.utils import get_random_secret_key\n\n"
                           "    SECRET_KEY = get_random_secret_key()\n"}),
    Example("random-unless-tests-run", {
        "compose.yaml": WEB, "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nimport sys\nfrom django.core.management.utils import get_random_secret_key\n\n"
                           "TESTING = 'pytest' in sys.modules\n"
                           "SECRET_KEY = 'insecure-test-key' if TESTING else os.environ.get('SECRET_KEY', "
                           "get_random_secret_key())\n"}, expect=(("app/settings.py", 6),)),
    Example("key-provided", {
        "compose.yaml": WEB + "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?}\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": RANDOM_FALLBACK}),
    # The web container gets the key; the task worker beside it does not: what its tasks sign does not verify.
    Example("task-worker-without-the-key", {
        "compose.yaml": WEB + "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?}\n  worker:\n"
                        "    build: .\n    command: celery -A app worker -l info\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": RANDOM_FALLBACK},
        expect=(("app/settings.py", 4),)),
    # The scheduler only sends tasks to the queue: it signs nothing.
    Example("scheduler-without-the-key", {
        "compose.yaml": WEB + "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?}\n  beat:\n"
                        "    build: .\n    command: celery -A app beat -l info\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": RANDOM_FALLBACK}),
    # Flower serves its own pages behind its own authentication: no Django session or CSRF token to break.
    Example("monitor-without-the-key", {
        "compose.yaml": WEB + "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?}\n  flower:\n"
                        "    build: .\n    command: celery -A app flower --port=5555\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": RANDOM_FALLBACK}),
    Example("env-file-each-clone-makes", {
        "compose.yaml": WEB + "    env_file: .env\n", ".gitignore": ".env\n", "Dockerfile": APP_DOCKERFILE,
        "manage.py": MANAGE, "app/settings.py": RANDOM_FALLBACK}),
    Example("empty-in-the-template", {
        "compose.yaml": WEB + "    env_file: .env\n", ".gitignore": ".env\n", ".env.example": "SECRET_KEY=\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": SETTINGS_DEFAULT}),
    Example("key-generated-by-the-setup-script", _key_written_by_the_setup_script(".env")),
    Example("setup-script-writes-another-file", _key_written_by_the_setup_script("frontend/.env"),
        expect=(("app/settings.py", 4),)),
    Example("key-set-in-the-env-file", {
        "compose.yaml": WEB + "    env_file: .env.prod\n",
        ".env.prod": "DEBUG=0\nSECRET_KEY=staging-only-3f9c2a7e51d84b06\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": SETTINGS_DEFAULT}),
])
def secret_key_unstable(project: Project) -> Iterator[Violation]:
    """`SECRET_KEY` is random per process, or set empty by the container's environment.

    ## What it does
    Reports a `SECRET_KEY` that is a freshly generated value (`get_random_secret_key()`, `get_random_string()`,
    `secrets.token_urlsafe()`...) whatever the environment, or falls back to one when its environment variable is
    unset, in a container that does not set the variable; and a `SECRET_KEY` that a container's env file or
    `environment:` sets to the empty string (over the settings' default). A container whose env file each clone
    makes, with no committed template, is not judged; an empty value in a template (`.env.example`) is a blank to
    fill in, not reported, nor is one in a committed env file that leaves every secret blank (three or more: a
    skeleton the deployer fills in on the server), nor an `environment:` entry that takes the value from the shell
    running compose (`SECRET_KEY=${SECRET_KEY:-}`: empty only where nothing exports it); nor is a variable that a
    committed script beside the stack (a `*.sh`, `Makefile` or `justfile`) writes into that env file (`echo
    "SECRET_KEY=$(openssl rand -hex 32)" >> .env`). A random key assigned only in a branch taken while tests run
    (`if IS_TESTS:`, `if "test" in sys.argv:`, `... if TESTING else ...`, `"pytest" in sys.modules`) is not what a
    deployed container runs, and is not reported, nor is a stack named for tests or CI (`docker-compose.test.yml`):
    its runs sign nothing anyone keeps. A container that serves no HTTP has no session or CSRF token to break: a
    task worker (`celery worker`, `manage.py rqworker`) is reported for what its tasks sign, which no other
    container can verify, and only when no web container is reported at the same line; a scheduler alone (`celery
    beat`) signs nothing and is not reported, nor is Flower (`celery flower`), which serves its own pages behind its
    own authentication.

    ## Why is this bad?
    A generated key differs in every process: each gunicorn worker signs sessions,
    CSRF tokens and password-reset links with its own key, so users are logged out at
    random and forms fail, and every restart invalidates them all. An empty key stops
    Django as soon as a request or command reads it (*ImproperlyConfigured: The
    SECRET_KEY setting must not be empty*): `os.environ.get("SECRET_KEY", default)`
    returns the empty string, not the default, when the variable is set but empty.

    ## Example
    ```python
    SECRET_KEY = os.environ.get("SECRET_KEY", get_random_secret_key())
    ```
    Use instead (and give the container the variable):
    ```python
    SECRET_KEY = os.environ["SECRET_KEY"]
    ```

    ## References
    - [Django: SECRET_KEY](https://docs.djangoproject.com/en/stable/ref/settings/#secret-key)
      (Django refuses to start if it is empty; changing it invalidates sessions and signatures)
    - [Django: cryptographic signing](https://docs.djangoproject.com/en/stable/topics/signing/)
    """
    random: dict[tuple[object, int], tuple[Assignment, list[DjangoRun], str, bool]] = {}
    if project.stack is not None and any(never_deployed(project, path) for path in project.stack.files):
        return  # a test or CI stack's run signs nothing anyone keeps
    for run in project.django_runs:
        if environment_unknown(project, run):
            continue
        for settings in run.settings:
            binding = settings.bindings.get("SECRET_KEY")
            if binding is None or binding.node is None:
                continue
            variables = [read.variable for read in env_reads(binding.node, settings.bindings)]
            generator = _random_call(binding.node, settings.bindings)
            # `SECRET_KEY = get_random_secret_key()` with no variable at all: random in every container
            if generator and (not variables or not any(name in run.environment for name in variables)
                              and written_by_script(project, [ref.path for ref in run.service.env_files]
                                                    if run.service else [], variables) is None):
                # `SECRET_KEY = get_random_secret_key()` reads no variable: random whatever the container sets
                entry = random.setdefault((binding.path, binding.line), (binding, [], generator, not variables))
                if run not in entry[1]:
                    entry[1].append(run)
            empty = _empty_from(project, run, settings, binding, variables)
            if empty is not None:
                yield Violation(location_of(binding),
                                f"{run.name}: {empty[1]} sets SECRET_KEY's variable empty, and the settings read it "
                                f"as it is (a default applies only to an unset variable): Django stops with \"The "
                                f"SECRET_KEY setting must not be empty\"; give it a value or remove the line",
                                related=(empty[0],))
    for binding, runs, generator, unconditional in random.values():
        roles = {id(run): _role(project, run) for run in runs}
        web = [run for run in runs if roles[id(run)] == "web"]
        workers = [run for run in runs if roles[id(run)] == "worker"]
        given = "" if unconditional else ", given to the container,"
        if web:  # what breaks for users; a task worker beside it is a lesser concern of the same line
            yield Violation(location_of(binding),
                            f"{_lead(web, generator, unconditional)}: a different one in every worker and after "
                            f"every restart (sessions, CSRF tokens and signed links break); read it from the "
                            f"environment{given} without a random fallback", related=tuple(run.location for run in web))
        elif workers:  # serves no HTTP: no session nor CSRF token to break, only what its tasks sign
            yield Violation(location_of(binding),
                            f"{_lead(workers, generator, unconditional)}: a key of its own that no other container "
                            f"shares and that changes at every restart, so what its tasks sign (links in the emails "
                            f"they send, signed values they store) does not verify elsewhere; read it from the "
                            f"environment{given} without a random fallback",
                            related=tuple(run.location for run in workers))


def _lead(runs: list[DjangoRun], generator: str, unconditional: bool) -> str:
    """How a finding of these containers' random key starts: the key random whatever they set, or for want of the
    variable its fallback waits for."""
    if unconditional:
        return f"SECRET_KEY is {generator}() in {_names(runs)}, whatever its environment"
    does = "does" if len(runs) == 1 else "do"
    return f"{_names(runs)} {does} not set SECRET_KEY's variable, so the key is {generator}()"


WORKER_COMMANDS = {"rqworker", "qcluster", "run_huey", "process_tasks", "db_worker", "dramatiq"}
"""``manage.py`` commands that run a task queue's worker (django-rq, django-q, huey, background-tasks, Django's
tasks, django-dramatiq)."""


def _role(project: Project, run: DjangoRun) -> str:
    """What a container does: ``web`` when it serves HTTP (an application server or runserver, or nothing djcheck
    can tell), ``worker`` when it runs a task queue's worker (``celery worker``, ``manage.py rqworker``), ``beat``
    when it only schedules or monitors (``celery beat``, ``celery flower``): it signs nothing."""
    if project.servers(run.service, run.build):
        return "web"
    for found in project.container_commands(run.service, run.build):
        words = found.command.words
        name = program(found.command)
        if name == "flower" or name == "celery" and "flower" in words:
            return "beat"  # Flower's own pages, with its own authentication: no Django session or CSRF token
        if name == "celery":
            if "beat" in words and "worker" not in words and "-B" not in words and "--beat" not in words:
                return "beat"
            if "worker" in words:
                return "worker"
        if "manage.py" in " ".join(words[:3]) and any(word in WORKER_COMMANDS for word in words[1:4]):
            return "worker"
    return "web"


def _names(runs: list[DjangoRun]) -> str:
    return ", ".join(run.name for run in runs)


def _random_call(node: ast.expr, names: Mapping[str, Assignment]) -> str | None:
    """The name of the random generator the expression calls, if any (bounded walk).

    A branch taken only when DEBUG is on (``if not SECRET_KEY and DEBUG:``) is development's
    convenience, not looked into; nor is the way taken only while tests run (``if IS_TESTS:``).
    """
    stack: list[ast.AST] = [node]
    count = 0
    while stack and count < MAX_NODES:
        inner = stack.pop()
        count += 1
        if isinstance(inner, Branches) and any(isinstance(name, ast.Name) and name.id == "DEBUG"
                                               for name in ast.walk(inner.test)):
            continue
        if isinstance(inner, Branches | ast.IfExp) and (isinstance(inner, ast.IfExp) or inner.kind == "if"):
            testing = taken_while_testing(inner.test, names)
            if testing is not None:
                ways: list[ast.expr | None] = [inner.body, inner.orelse] if isinstance(inner, ast.IfExp) \
                    else list(inner.ways)
                skipped = 0 if testing else 1  # the way the tests take
                stack.extend(way for index, way in enumerate(ways) if way is not None and index != skipped)
                continue
        if isinstance(inner, ast.Call):
            func = inner.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in RANDOM_FUNCTIONS:
                return name
        stack.extend(ast.iter_child_nodes(inner))
    return None


def _empty_from(project: Project, run: DjangoRun, settings: Settings, binding: Assignment,
                variables: list[str]) -> tuple[Location, str] | None:
    """Where the container's environment sets the key's variable empty, when that makes the setting empty."""
    service = run.service
    if service is None or not variables:
        return None
    try:
        if run.setting(settings, "SECRET_KEY") != "":
            return None
    except Unknown:
        return None
    for name in variables:
        if run.environment.get(name) != "":
            continue
        entry = service.environment.get(name)
        if entry is not None:  # `${SECRET_KEY:-}` is the shell's value, empty only where nothing exports it
            return (entry.location, f"its environment: {name}") if entry.value == "" and "$" not in (entry.raw or "") \
                else None
        for ref in reversed(service.env_files):
            if project.is_file(ref.path):
                values = project.env_file(ref.path)
                found = values.get(name)
                if found is not None:
                    return (Location(ref.path, found.line), f"{project.display(ref.path)} ({name}=)") \
                        if found.value == "" and not _skeleton(values) else None
            elif project.template_for(ref.path) is not None and name in (project.env_values(ref.path) or {}):
                return None  # a blank of the template, to fill in
    return None


MIN_BLANK_SECRETS = 3
"""The secrets a committed env file leaves blank, all of them, that make it a skeleton the deployer fills in."""


def _skeleton(values: Mapping[str, EnvVar]) -> bool:
    """Whether an env file leaves every secret blank (``DJANGO_SECRET_KEY=``, ``MAILGUN_API_KEY=``, ``DB_PASSWORD=``):
    a skeleton committed for the deployer to fill in on the server, not the values a container gets."""
    secrets = [found.value for name, found in values.items() if secret_name(name)]
    return len(secrets) >= MIN_BLANK_SECRETS and not any(secrets)
