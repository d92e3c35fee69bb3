"""DJC414 migrations-made-at-start: `makemigrations` or `flush` run when the container starts."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.parse.shell import Command
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

ENTRYPOINT_DOCKERFILE = APP_DOCKERFILE + "RUN chmod +x /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\n" \
    "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n"
MAKES_NONE = frozenset({"--check", "--dry-run", "--merge"})
"""makemigrations options under which it writes no migration for a model change."""
MIGRATING_ENTRYPOINT = ("#!/bin/sh\nset -e\n\npython manage.py makemigrations --noinput\n"
                        "python manage.py migrate --noinput\nexec \"$@\"\n")


@rule("DJC414", "migrations-made-at-start", Severity.ERROR, cross=True, examples=[
    # `--merge` writes only a merge of committed migrations that conflict; none for model changes.
    Example("makemigrations-merge", {
        "Dockerfile": ENTRYPOINT_DOCKERFILE, "entrypoint.sh": MIGRATING_ENTRYPOINT.replace("makemigrations --noinput",
                                                                           "makemigrations --merge --no-input"),
        "manage.py": MANAGE}),
    Example("entrypoint-makemigrations", {
        "Dockerfile": ENTRYPOINT_DOCKERFILE, "entrypoint.sh": MIGRATING_ENTRYPOINT, "manage.py": MANAGE},
        expect=(("entrypoint.sh", 4),)),
    Example("compose-command-flush", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: >\n      sh -c \"python manage.py flush "
                        "--noinput && python manage.py migrate && gunicorn -b 0.0.0.0:8000 app.wsgi\"\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("makemigrations-check-in-ci", {
        "Dockerfile": ENTRYPOINT_DOCKERFILE,
        "entrypoint.sh": MIGRATING_ENTRYPOINT.replace("makemigrations --noinput", "makemigrations --check --dry-run"),
        "manage.py": MANAGE}),
    Example("source-bind-mounted-in-development", {
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n"
                        "    command: sh -c \"python manage.py makemigrations && python manage.py migrate && "
                        "python manage.py runserver 0.0.0.0:8000\"\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
    # The helper service runs the development image the stack does not build, with the app's folder mounted.
    Example("source-bind-mounted-into-an-image-built-elsewhere", {
        "compose.yaml": "services:\n  makemigrations:\n    image: shop-dev:latest\n    volumes:\n"
                        "      - ./shop:/app/shop\n    command: ./manage.py makemigrations\n",
        "manage.py": MANAGE.replace("app.settings", "shop.settings"), "shop/settings.py": "DEBUG = True\n"}),
    Example("image-built-elsewhere-without-the-source", {
        "compose.yaml": "services:\n  makemigrations:\n    image: shop-dev:latest\n"
                        "    command: ./manage.py makemigrations\n",
        "manage.py": MANAGE.replace("app.settings", "shop.settings"), "shop/settings.py": "DEBUG = True\n"},
        expect=(("compose.yaml", 4),)),
    Example("migrate-only", {
        "Dockerfile": ENTRYPOINT_DOCKERFILE,
        "entrypoint.sh": MIGRATING_ENTRYPOINT.replace("python manage.py makemigrations --noinput\n", ""),
        "manage.py": MANAGE}),
    Example("development-stack-flushes-on-purpose", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    env_file: .env.dev\n",
        ".env.dev": "DEBUG=1\n",
        "compose.prod.yaml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.prod\n"
                             "    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n",
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "Dockerfile.prod": APP_DOCKERFILE,
        "entrypoint.sh": "#!/bin/sh\npython manage.py flush --no-input\npython manage.py migrate\nexec \"$@\"\n",
        "manage.py": MANAGE}),
    Example("flush-on-the-first-start-only", {
        "Dockerfile": ENTRYPOINT_DOCKERFILE, "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nif [ ! -f /data/.initialised ]; then\n  python manage.py flush --no-input\n"
                         "  touch /data/.initialised\nfi\npython manage.py migrate\nexec \"$@\"\n"}),
    Example("test-service-makes-migrations", {
        "compose.yaml": "services:\n  api-tests:\n    build: .\n    command: >\n      sh -c \"python manage.py "
                        "makemigrations && python manage.py migrate && python manage.py test api.tests\"\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
    Example("test-service-flushes", {
        "compose.yaml": "services:\n  tests:\n    build: .\n    command: sh -c \"python manage.py flush --noinput "
                        "&& python manage.py test\"\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE}),
])
def migrations_made_at_start(project: Project) -> Iterator[Violation]:
    """`makemigrations` or `flush` run when the container starts.

    ## What it does
    Reads what each container runs as it starts (the image's CMD/ENTRYPOINT, the
    service's `command:`, and the lines of the scripts they run that can run) and reports
    `manage.py makemigrations` (not `--check`, `--dry-run`, or `--merge`, which only joins
    conflicting committed migrations) when the container does not
    bind-mount the project's source nor run the tests (a test run's database is thrown
    away with what was made for it), and `manage.py flush` when it runs at every start:
    not behind a test that may fail (a switch such as `if [ "$FLUSH_DB" = 1 ]`, a marker
    file of the first start), and not when the same container runs the tests or serves
    development alone while the project is also deployed (a dev stack that starts from an
    empty database on purpose).

    ## Why is this bad?
    Migrations are code: they are made once, reviewed and committed. Made at start, they
    exist only inside that container: lost when it is recreated, possibly different in
    each replica, and never the ones the repository's other environments apply, so the
    database drifts from what any commit describes. `flush` deletes every row of the
    database at every start and every restart.

    ## Example
    ```sh
    #!/bin/sh
    python manage.py makemigrations --noinput
    python manage.py migrate --noinput
    exec "$@"
    ```
    Use instead: run `makemigrations` in development, commit the files, and keep only
    `migrate` in the entrypoint (with `makemigrations --check` in CI).

    ## References
    - [Django: migrations workflow](https://docs.djangoproject.com/en/stable/topics/migrations/#workflow)
      ("make changes to your models ... run makemigrations ... commit")
    - [Django: flush](https://docs.djangoproject.com/en/stable/ref/django-admin/#flush)
      (removes all data from the database)
    """
    seen: set[Location] = set()
    containers: list[tuple[Service | None, ImageBuild | None]] = [(s, project.build_for(s)) for s in project.services]
    if not project.services:  # an image a compose stack does not build is another setup's (as django_runs has it)
        containers += [(None, build) for build, _ in project.dockerfiles]
    for service, build in containers:
        commands = project.container_commands(service, build)
        testing = any(_runs_tests(run.command) for run in commands)
        for run in commands:
            found = _subcommand(run.command)
            if found is None or run.location in seen:
                continue
            if found == "makemigrations" and (testing or _source_mounted(project, build, service)):
                continue  # a test run's migrations, for its throwaway database; or the developer's source
            if found == "flush" and (run.runs is not True or testing or _development(project, build, service)):
                continue  # behind a switch (`if [ "$FLUSH_DB" = 1 ]`) or a first-start marker, not at every start
            seen.add(run.location)
            if found == "makemigrations":
                message = ("`manage.py makemigrations` runs when the container starts: the migrations are made in "
                           "the container instead of committed, lost when it is recreated and different in each "
                           "one; make them in development, commit them, and keep only `migrate` here")
            else:
                message = ("`manage.py flush` runs when the container starts: every start and restart deletes all "
                           "the data in the database; remove it")
            yield Violation(run.location, message)


def _subcommand(command: Command) -> str | None:
    words = command.words
    if not any(posixpath.basename(word) in {"manage.py", "django-admin"} for word in words[:3]):
        return None
    for word in words[1:5]:
        if word == "makemigrations" and not MAKES_NONE & set(words):
            return word
        if word == "flush":
            return word
    return None


def _runs_tests(command: Command) -> bool:
    words = command.words[:5]
    return "test" in words or any(posixpath.basename(word) in {"pytest", "tox"} for word in words)


def _development(project: Project, build: ImageBuild | None, service: Service | None) -> bool:
    """Whether the container serves development alone while the project is also deployed (a reset is a choice)."""
    if service is not None:
        return project.development_only(service)
    return build is not None and project.development_only(build)


def _source_mounted(project: Project, build: ImageBuild | None, service: Service | None) -> bool:
    """Whether the container writes the migrations into the project's own folder (a bind mount of the source; a
    service that runs an image it does not build, ``image: shop-dev``, with ``./shop:/app/shop`` mounted)."""
    if service is None:
        return False
    return project.source_mounted(build) if build is not None else project.mounts_source(service)
