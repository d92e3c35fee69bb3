"""DJC102 runserver-in-image: the image itself starts Django's development server."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.servers import server
from djlint_docker.parse.shell import runserver, script_lines
from djlint_docker.project import ContainerCommand, ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY, building_dockerfile_dev
from djlint_docker.rules.snippets import MANAGE, WELL_BUILT_DOCKERFILE

RESTARTED_RUNSERVER = {
    "compose.yaml": ("services:\n  api:\n    build: .\n    volumes:\n      - .:/app\n    ports:\n"
                     "      - \"8000:8000\"\n    command: /app/start-dev.sh\n"),
    "Dockerfile": ("FROM python:3.12\nWORKDIR /app\nCOPY requirements-dev.txt .\n"
                   "RUN pip install --no-cache-dir -r requirements-dev.txt\nCOPY . /app/\nCMD ./start-dev.sh\n"),
    "start-dev.sh": ("#!/bin/bash -xe\npython manage.py migrate --noinput\nwhile true; do\n"
                     "    python manage.py runserver 0.0.0.0:8000\n    sleep 1\ndone\n"), "manage.py": MANAGE}
"""A development image whose script restarts runserver in a loop, run by a compose stack with the source mounted."""


@rule("DJC102", "runserver-in-image", Severity.WARNING, examples=[
    # The entrypoint hands over to the command; every deployed service gives its own.
    Example("default-command-each-deployed-service-replaces-through-the-entrypoint", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/app/entrypoint.sh\"]\n"
                      "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec \"$@\"\n",
        "docker-compose.prod.yml": "services:\n  web:\n    build: .\n"
                                   "    command: gunicorn app.wsgi:application --bind 0.0.0.0:8000\n"
                                   "  worker:\n    build: .\n    command: celery -A app worker -l info\n",
        "manage.py": MANAGE}),
    Example("ssl-variant-of-the-development-server", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir django django-sslserver\n"
                      "CMD [\"python\", \"manage.py\", \"runsslserver\", \"0.0.0.0:8000\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 5),)),
    Example("cmd-runserver", {
        "Dockerfile": "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("script-runserver", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY docker/entrypoint.sh /entrypoint.sh\n"
                      "ENTRYPOINT [\"/entrypoint.sh\"]\n",
        "docker/entrypoint.sh": "#!/bin/sh\npython manage.py migrate\nexec python manage.py runserver 0.0.0.0:8000\n",
        "manage.py": MANAGE}, expect=(("docker/entrypoint.sh", 3),)),
    Example("compose-dev-override", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
        "Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("gunicorn", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("runserver-behind-a-flag", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY docker/entrypoint.sh /entrypoint.sh\n"
                      "ENTRYPOINT [\"/entrypoint.sh\"]\n",
        "docker/entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate\n"
                                "if [ \"$1\" = \"--dev\" ]; then\n  exec python manage.py runserver 0.0.0.0:8000\nfi\n"
                                "exec gunicorn --bind 0.0.0.0:8000 app.wsgi\n",
        "manage.py": MANAGE}),
    Example("runserver-when-development-by-default", {
        "Dockerfile": "FROM python:3.12-slim\nENV DJANGO_ENV=development\nCOPY start.sh /start.sh\n"
                      "CMD [\"/start.sh\"]\n",
        "start.sh": "#!/bin/sh\nif [ \"$DJANGO_ENV\" = \"development\" ]; then\n"
                    "  exec python manage.py runserver 0.0.0.0:8000\nelse\n  exec gunicorn app.wsgi\nfi\n",
        "manage.py": MANAGE}, expect=(("start.sh", 3),)),
    # The deployment gives DJANGO_ENV (`docker run -e DJANGO_ENV=production`, a platform's settings): the image
    # starts gunicorn there, and runserver where nobody set it.
    Example("production-server-when-the-runner-says-so", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
        "start.sh": "#!/bin/sh\nif [ \"$DJANGO_ENV\" = \"production\" ]; then\n  exec gunicorn app.wsgi\nelse\n"
                    "  exec python manage.py runserver 0.0.0.0:8000\nfi\n",
        "manage.py": MANAGE}),
    # Both ways start the development server: one finding, at the production one.
    Example("development-server-on-every-branch", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
        "start.sh": "#!/bin/sh\ncase \"$ENV\" in\n  dev)\n    python manage.py runserver 0.0.0.0:8000\n    ;;\n"
                    "  prod)\n    python manage.py runserver 0.0.0.0:8000\n    ;;\nesac\n",
        "manage.py": MANAGE}, expect=(("start.sh", 7),)),
    Example("debugging-server-unless-a-variable-says-otherwise", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install --no-cache-dir django uwsgi\n"
                      "ENTRYPOINT [\"/srv/entrypoint.sh\"]\n",
        "entrypoint.sh": "#!/bin/bash\nWSGI=\"${WSGI:-uWSGI}\"\nif [[ \"${WSGI}\" == 'uWSGI' ]]; then\n"
                         "    exec $(command -v uwsgi) --ini /srv/uwsgi.ini\nelse\n"
                         "    exec python manage.py runserver 0:8000\nfi\n",
        "manage.py": MANAGE}),
    Example("every-service-starts-its-own-command", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n", "manage.py": MANAGE,
        "compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                            "  worker:\n    build: .\n    command: celery -A app worker\n"}),
    Example("development-image-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                          "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "compose.yaml": building_dockerfile_dev(DEV_AND_PROD["compose.yaml"])}),
    Example("development-image-is-all-it-has", {
        **DEV_ONLY, "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                      "CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        "compose.yaml": building_dockerfile_dev(DEV_ONLY["compose.yaml"])},
        expect=(("Dockerfile.dev", 4),)),
    # A platform runs the Procfile's web process (a buildpack builds the image there): the Dockerfile is the
    # developers', whatever the script the web process runs serves with. honcho running the development server
    # from a Procfile deploys nothing.
    Example("development-image-of-a-project-a-platform-deploys", {
        **RESTARTED_RUNSERVER,
        "Procfile": "web: ./web.sh\nworker: ./run-worker.sh\n",
        "web.sh": "#!/usr/bin/env bash\nset -xe\n./manage.py migrate --noinput\npython serve.py\n"}),
    Example("procfile-that-runs-the-development-server", {
        **RESTARTED_RUNSERVER,
        "Procfile": "web: ./start-dev.sh\n"}, expect=(("start-dev.sh", 4),)),
    # heroku.yml's `run:` replaces the image's CMD on Heroku: its web process is what the site serves with.
    Example("heroku-runs-the-development-server", {
        "Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE,
        "heroku.yml": "build:\n  docker:\n    web: Dockerfile\nrun:\n"
                      "  web: python manage.py runserver 0.0.0.0:$PORT\n"},
        expect=(("heroku.yml", 5),)),
    Example("heroku-runs-gunicorn", {
        "Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE,
        "heroku.yml": "build:\n  docker:\n    web: Dockerfile\nrun:\n"
                      "  web: gunicorn app.wsgi --bind 0.0.0.0:$PORT\n"}),
    # The root Dockerfile stands in the setup of a database-only helper stack too: what the development stack
    # that builds it makes of it counts there.
    Example("development-image-beside-a-database-helper-stack", {
        **RESTARTED_RUNSERVER,
        "docker-compose-db.yml": "services:\n  postgres:\n    image: postgres:16\n    ports:\n"
                                 "      - \"127.0.0.1:5432:5432\"\n",
        "Procfile": "web: gunicorn shop.wsgi --bind 0.0.0.0:$PORT\n"}),
])
def runserver_in_image(project: Project) -> Iterator[Violation]:
    """The image itself starts Django's development server.

    ## What it does
    Checks the final stage's `CMD`/`ENTRYPOINT`, and the scripts they run, for
    `manage.py runserver`. A compose `command:` that runs `runserver` for local
    development is not reported: the image stays fit for production. Script branches
    are read with the image's own arguments and `ENV`, and a variable its `ENV` does not
    set is the runner's to give (`docker run -e`, a platform): runserver behind a `--dev`
    flag, or under a test that may hold while another path starts gunicorn (`if [
    "$DJANGO_ENV" = production ]; then exec gunicorn ...; else ... runserver`), is not
    reported.
    Nor is an image only development stacks run (its Dockerfile is named for
    development, or every service that runs it is a development one) when the project
    also has a deployed configuration, nor one deployed by compose services that each
    replace its `CMD` with a `command:` of their own (a production override whose
    worker runs the development image with `celery`; through an `ENTRYPOINT` script that
    ends with `exec "$@"`, which runs the command given), or its `ENTRYPOINT` with an
    `entrypoint:` that starts no runserver (`entrypoint: ["./entrypoint.prod.sh"]`).
    Nor is a `CMD` the image's `ENTRYPOINT` script never runs (it ends with `exec gunicorn
    ...` and never reads its arguments: DJC411's finding).
    The `web` command `heroku.yml`'s `run:` gives the image, which replaces its `CMD` on
    Heroku, is checked too.

    ## Why is this bad?
    `runserver` is for development: it is not audited for security, serves one
    process, reloads on file changes and serves static files only with DEBUG. An image
    that starts it by default ends up in production that way.

    ## Example
    ```dockerfile
    CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    ```
    Use instead:
    ```dockerfile
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "myproject.wsgi"]
    ```

    ## References
    - [django-admin runserver](https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver)
      (Gunicorn and Nginx for production; runserver is not for production)
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (uWSGI, Gunicorn or Uvicorn as the application gateway)
    - [Django: how to deploy with WSGI](https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/)
    """
    for build, _ in project.dockerfiles:
        for command in project.heroku_web_commands(build):
            if any(runserver(found) for line in script_lines(command.value) for found in line.commands):
                yield Violation(command.location, "Heroku runs the development server (`runserver`) as the web "
                                                  "process; run gunicorn or uvicorn on $PORT")
        if project.development_only(build):
            continue  # run by development stacks only, and the project is deployed with another image
        dockerfile = build.dockerfile
        if dockerfile is not None and ((project.replaced_by_every_service(build, "CMD") or _deployed_with_own_commands(
                project, build, "command")) and project.hands_over(build)
                                       or _deployed_with_own_commands(project, build, "entrypoint")):
            continue  # deployed by services that each start their own command: the image's runserver never runs
        commands = project.container_commands(None, build, project.runner_environment(build))
        other_server = any(run.runs is not False and (found := server(run.command)) is not None
                           and found.program != "runserver" for run in commands)
        starting: dict[object, ContainerCommand] = {}  # one per script (its last, a production branch's after the
        for run in commands:                             # development one's), and one for the start command itself
            if runserver(run.command) is None or (run.runs is None and other_server):
                continue  # behind a test that may not hold, while another path starts a production server
            starting[run.script.path if run.script is not None else None] = run
        for run in starting.values():
            if run.script is None:
                yield Violation(run.location, "the image starts the development server (`runserver`); "
                                              "start gunicorn or uvicorn and keep runserver for a compose override")
            else:
                yield Violation(run.location, "the image's entrypoint script starts the development server "
                                              "(`runserver`); start gunicorn or uvicorn")


def _deployed_with_own_commands(project: Project, build: ImageBuild, key: str) -> bool:
    """Whether every deployed container that runs the image, in this setup or a related one (the production
    override of the development stack that builds it), is a compose service with a ``command:`` (or, for ``key``
    ``entrypoint``, an ``entrypoint:``) of its own: the image's ``CMD`` (``ENTRYPOINT``) runs in development alone (a
    worker of the production stack runs the development image; the production stack's ``entrypoint:
    ["./entrypoint.prod.sh"]``). One whose own start runs runserver deploys the development server all the same."""
    runs = [(other, run) for other in (project, *project.related) for run in other.deployed_runs
            if run.build is not None
            and (run.build.dockerfile_path, run.build.target) == (build.dockerfile_path, build.target)]
    return bool(runs) and all(
        run.service is not None and key in run.service.keys
        and not any(runserver(started.command) for started in other.container_commands(run.service, run.build))
        for other, run in runs)
