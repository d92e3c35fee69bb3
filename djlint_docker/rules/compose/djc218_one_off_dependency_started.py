"""DJC218 one-off-dependency-started: A service waits only for a one-off job such as `migrate` to start."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.compose_edits import wait_healthy
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.parse.servers import SERVERS
from djlint_docker.parse.shell import ONE_OFF, OPERATORS, SHELLS, Command, program, runserver, script_lines, split_words
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import once_per_line
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

LONG_RUNNING = SERVERS | {"celery", "sleep", "tail", "nginx", "supervisord", "cron", "crond", "npm", "node", "yarn"}
JOB_RESTARTS = {"", "no", "on-failure"}
COMPLETED = "service_completed_successfully"
MAX_COMMANDS = 50

DB = "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n"
MIGRATE = "  migrate:\n    build: .\n    command: python manage.py migrate --noinput\n    depends_on: [db]\n"
WEB = "  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"


@rule("DJC218", "one-off-dependency-started", Severity.WARNING, fix="safe", examples=[
    Example("mapping-service-started", {
        "compose.yaml": f"services:\n{DB}{MIGRATE}{WEB}    depends_on:\n      db:\n"
                        "        condition: service_started\n      migrate:\n        condition: service_started\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 16),),
        fixed={"compose.yaml": f"services:\n{DB}{MIGRATE}{WEB}    depends_on:\n      db:\n"
                               "        condition: service_started\n      migrate:\n"
                               "        condition: service_completed_successfully\n"}),
    # The anchor writes the dependency once for web and its debugging twin: one finding, on that line.
    Example("dependency-shared-through-an-anchor", {
        "compose.yaml": f"services:\n{DB}{MIGRATE}  web: &web\n    build: .\n    command: gunicorn app.wsgi\n"
                        "    depends_on:\n      migrate:\n        condition: service_started\n"
                        "  web_debug:\n    <<: *web\n    command: python -m debugpy manage.py runserver\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 14),)),
    Example("short-syntax", {
        "compose.yaml": f"services:\n{DB}{MIGRATE}{WEB}    depends_on:\n      - db\n      - migrate\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 15),),
        fixed={"compose.yaml": f"services:\n{DB}{MIGRATE}{WEB}    depends_on:\n      db:\n"
                               "        condition: service_started\n      migrate:\n"
                               "        condition: service_completed_successfully\n"}),
    Example("migrate-and-collectstatic-in-sh-c", {
        "compose.yaml": f"services:\n{DB}  setup:\n    build: .\n    restart: \"no\"\n"
                        "    command: sh -c \"python manage.py migrate && python manage.py collectstatic --noinput\"\n"
                        f"{WEB}    depends_on: [db, setup]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 13),),
        fixed={"compose.yaml": f"services:\n{DB}  setup:\n    build: .\n    restart: \"no\"\n"
                               "    command: sh -c \"python manage.py migrate && python manage.py collectstatic "
                               f"--noinput\"\n{WEB}    depends_on: {{db: {{condition: service_started}}, "
                               "setup: {condition: service_completed_successfully}}\n"}),
    # The server after `&&` never starts, as Compose runs no shell (DJC215's finding): a server meant, no job.
    Example("server-after-an-operator-compose-drops", {
        "compose.yaml": "services:\n  backend:\n    build: .\n"
                        "    command: python manage.py collectstatic --noinput && gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "  nginx:\n    image: nginx:1.27\n    depends_on:\n      - backend\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("waits-for-completion", {
        "compose.yaml": f"services:\n{DB}{MIGRATE}{WEB}    depends_on:\n      db:\n"
                        "        condition: service_started\n      migrate:\n"
                        "        condition: service_completed_successfully\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("migrate-then-serve", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    command: sh -c \"python manage.py migrate && "
                        "gunicorn -b 0.0.0.0:8000 app.wsgi\"\n    depends_on: [db]\n"
                        "  nginx:\n    image: nginx:1.27\n    depends_on: [web]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # One command a line: the last one starts the server through the project's script.
    Example("block-script-ending-in-the-server", {
        "compose.yaml": f"services:\n{DB}  web:\n    build: .\n    command:\n      - /bin/sh\n      - -c\n"
                        "      - |\n        python manage.py migrate\n"
                        "        python manage.py collectstatic --noinput\n        ./bin/serve.sh\n"
                        "    depends_on: [db]\n"
                        "  nginx:\n    image: nginx:1.27\n    depends_on: [web]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("block-script-of-one-off-commands", {
        "compose.yaml": f"services:\n{DB}  setup:\n    build: .\n    command:\n      - sh\n      - -c\n"
                        "      - |\n        python manage.py migrate\n"
                        "        python manage.py collectstatic --noinput\n"
                        f"    depends_on: [db]\n{WEB}    depends_on: [setup]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 18),),
        fixed={"compose.yaml": f"services:\n{DB}  setup:\n    build: .\n    command:\n      - sh\n      - -c\n"
                               "      - |\n        python manage.py migrate\n"
                               "        python manage.py collectstatic --noinput\n"
                               f"    depends_on: [db]\n{WEB}    depends_on: {{setup: {{condition: "
                               "service_completed_successfully}}\n"}),
    Example("restarted-job", {
        "compose.yaml": f"services:\n{DB}  migrate:\n    build: .\n    restart: unless-stopped\n"
                        f"    command: python manage.py migrate\n{WEB}    depends_on: [db, migrate]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
])
def one_off_dependency_started(project: Project) -> Iterator[Violation]:
    """A service waits only for a one-off job such as `migrate` to start.

    ## What it does
    Finds the services that run a one-off management command and exit: the last
    command of their own `command:` (each line of an `sh -c` script its own command)
    is `manage.py migrate` (or `collectstatic`, `loaddata`,
    `createcachetable`, `compilemessages`...), starts no server, worker or other
    long-running program (nor meant to: a command whose `&& gunicorn ...` Compose drops
    for want of a shell is DJC215's finding), and has no `restart:` policy that runs it again
    (`restart: "no"`, `on-failure` or none). Reports each `depends_on` on such a job with
    `condition: service_started`, written or implied by the short syntax.

    ## Why is this bad?
    `service_started` only waits until the job's container has been created and
    started: the web server and the workers start while the migrations are still
    running (requests fail on missing tables, two processes migrate at once), and they
    start even when the job fails. `service_completed_successfully` waits until the job
    has exited with status 0, and stops the start-up when it fails.

    ## Example
    ```yaml
    web:
      depends_on:
        - migrate
    ```
    Use instead:
    ```yaml
    web:
      depends_on:
        migrate:
          condition: service_completed_successfully
    ```

    ## Fix safety
    Safe: the condition is replaced (a list becomes a mapping, the other entries keeping
    `service_started`); the service now starts only after the job succeeded, which is
    what the job is for.

    ## References
    - [Compose file reference: depends_on, long syntax](https://docs.docker.com/reference/compose-file/services/#long-syntax-1)
      (`service_completed_successfully`)
    - [Compose: control startup order](https://docs.docker.com/compose/how-tos/startup-order/)
    """
    jobs = {service.name: job for service in project.services if (job := _one_off(project, service))}
    if not jobs:
        return
    found = []
    for service in project.services:
        for name, condition in service.depends_on.items():
            if name in jobs and name != service.name and condition.value == "service_started":
                edits = wait_healthy(project, service, name)
                fix = Fix(f"wait for {name} to complete", tuple(_completed(edit) for edit in edits)) if edits else None
                found.append((service.name, Violation(
                    condition.location, f"service {service.name} depends on {name}, a one-off job ({jobs[name]}), "
                                        f"with condition service_started: it starts while {name} still runs and even "
                                        f"when it fails; use condition: {COMPLETED}", fix=fix)))
    yield from once_per_line(found)  # an anchor (`<<: *web`) writes the dependency once for several services


def _completed(edit: Edit) -> Edit:
    """The edit that sets ``service_healthy``, setting ``service_completed_successfully`` instead."""
    return Edit(edit.path, edit.start, edit.end, edit.text.replace("service_healthy", COMPLETED))


def _one_off(project: Project, service: Service) -> str | None:
    """The management command a service runs before it exits, when it is a one-off job; else None."""
    if service.command is None or service.entrypoint is not None or _restart(project, service) not in JOB_RESTARTS:
        return None
    if OPERATORS & set(service.command.value):
        return None  # `collectstatic --noinput && gunicorn ...` with no shell: meant to go on (DJC215 reports it)
    commands = _commands(service.command.value)[:MAX_COMMANDS]
    if not commands or any(_long_running(command) for command in commands):
        return None
    return _management(commands[-1])


def _commands(words: tuple[str, ...]) -> list[Command]:
    """The simple commands a service's command runs, each line of an ``sh -c`` script its own (a block scalar
    ``|`` keeps one command a line: ``migrate`` on the first, the server's script on the last)."""
    if len(words) >= 3 and words[0].rsplit("/", 1)[-1] in SHELLS and words[1] == "-c" and "\n" in words[2]:
        return [command for line in script_lines(words[2]) for command in line.commands]
    return split_words(words)


def _long_running(command: Command) -> bool:
    return program(command) in LONG_RUNNING or runserver(command) is not None


def _management(command: Command) -> str | None:
    """``manage.py migrate`` when the command runs a one-off management command."""
    words = command.words
    for index, word in enumerate(words[:4]):
        if word.endswith("manage.py") or word.rsplit("/", 1)[-1] == "django-admin":
            rest = [w for w in words[index + 1:] if not w.startswith("-")]
            if rest and rest[0] in ONE_OFF:
                return f"{word.rsplit('/', 1)[-1]} {rest[0]}"
            return None
    return None


def _restart(project: Project, service: Service) -> str | None:
    """The service's ``restart:`` policy as written ("" when it has none); None when it cannot be read."""
    return project.written_value(service, "restart") if "restart" in service.keys else ""
