"""DJC219 bind-mount-hides-image: The source folder is bind-mounted over a deployed image's code, or where the image
never looks."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import DEVELOPMENT_WORDS, PRODUCTION_WORDS, DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._source_mounts import code_folder, misses_the_code
from djlint_docker.rules.compose._stack import once_per_line
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

SERVE = "    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
PROD = "services:\n  web:\n    build: .\n" + SERVE


@rule("DJC219", "bind-mount-hides-image", Severity.WARNING, cross=True, examples=[
    # The editor's container waits; the developer works in /workspaces through `docker exec`.
    Example("workspace-that-waits", {
        ".devcontainer/docker-compose.yml": "services:\n  web:\n    build:\n      context: ..\n"
                                            "    volumes:\n      - ..:/workspaces:cached\n"
                                            "    command: sleep infinity\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /usr/src/app\nCOPY . .\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"}),
    Example("override-repeats-the-source-at-another-path", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - .:/app\n",
        "compose.override.yaml": "services:\n  web:\n    volumes:\n      - .:/src\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install --no-cache-dir django\n",
        "manage.py": MANAGE}),
    Example("source-over-the-code-in-production", {
        "docker-compose.prod.yml": PROD + "    volumes:\n      - .:/app\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("docker-compose.prod.yml", 6),)),
    # Heroku deploys the image (heroku.yml): the production-named compose file tries its settings locally.
    Example("source-over-the-code-of-an-image-heroku-deploys", {
        "docker-compose.prod.yml": PROD + "    volumes:\n      - .:/app\n",
        "heroku.yml": "build:\n  docker:\n    web: Dockerfile\nrun:\n  web: gunicorn app.wsgi\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("mount-where-the-image-never-looks", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - .:/code\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 6),)),
    # The web service and the worker take the mount from one anchor: one finding, on its line.
    Example("mount-where-the-image-never-looks-shared-by-an-anchor", {
        "compose.yaml": "x-app: &app\n  build: .\n  volumes:\n    - .:/code\nservices:\n  web:\n    <<: *app\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n  worker:\n    <<: *app\n"
                        "    command: celery -A app worker\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 4),)),
    Example("development-stack", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - .:/app\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("production-without-source", {
        "docker-compose.prod.yml": PROD + "    volumes:\n      - static:/app/staticfiles\nvolumes:\n  static:\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("working-dir-follows-the-mount", {
        "compose.yaml": "services:\n  web:\n    build: .\n    working_dir: /code\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/code\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("subfolder-mounted-in-the-code", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - ./app:/app/app\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
])
def bind_mount_hides_image(project: Project) -> Iterator[Violation]:
    """The source folder is bind-mounted over a deployed image's code, or where the image never looks.

    ## What it does
    For each service built from a Dockerfile that copies its build context into the
    image (`COPY . /app`), looks at bind mounts of that build context (the project's
    source folder) and reports:

    - a mount over the folder the image copies its code to, in a deployed container:
      its compose file, Dockerfile or settings module is named for production (such as
      `docker-compose.prod.yml`), it starts an application server other than
      `runserver`, and its compose file is not named for development or tests (nor is it
      a container of an image Heroku deploys, `heroku.yml`: a production-named compose
      file that mounts the source there tries the production settings on the developer's
      machine);
    - a mount at a path the image never uses (while no mount of the source reaches the
      code's folder): not the code's folder, nor inside or
      above it, not named anywhere in the Dockerfile or the scripts it runs, nor by the
      service's `command:`, `entrypoint:`, `working_dir:` or environment. A container that only
    waits (`command: sleep infinity`) is a workspace the developer enters with
    `docker exec`, and works in the mount wherever it is.

    ## Why is this bad?
    In a deployed stack the mount replaces the image's code with whatever the server's
    folder holds: the release is no longer the image that was built and tested, and
    what the build wrote there (collected static files, compiled assets, installed
    packages in the folder) is hidden. A mount where the image never looks does
    nothing: the container runs the code copied at build time, and edits on the host
    never reach it, usually because the compose file came from a tutorial whose image
    used `/code` while this one uses `/app`.

    ## Example
    ```yaml
    # docker-compose.prod.yml
    web:
      build: .
      volumes:
        - .:/app
    ```
    Use instead: no source mount in the deployed stack (keep it in a development
    override); in development, mount the source at the image's `WORKDIR`.

    ## References
    - [Docker: bind mounts, mounting over existing data](https://docs.docker.com/engine/storage/bind-mounts/#mount-into-a-non-empty-directory-on-the-container)
      (the mount obscures the files of the image)
    - [Compose in production](https://docs.docker.com/compose/how-tos/production/)
      ("removing any volume bindings for application code")
    """
    yield from once_per_line(_violations(project))


def _violations(project: Project) -> Iterator[tuple[str, Violation]]:
    """What the rule reports, with the service each finding is about (an anchor writes a mount for several)."""
    for service in project.services:
        build = project.build_for(service)
        dockerfile = build.dockerfile if build is not None else None
        if build is None or dockerfile is None:
            continue
        code = code_folder(dockerfile)
        if code is None:
            continue
        run = next((run for run in project.django_runs if run.service is service), None)
        for mount in service.volumes:
            if mount.type != "bind" or not mount.source or Path(mount.source) != build.context:
                continue
            target = posixpath.normpath(mount.target)
            if target == code:
                if run is not None and _deployed(project, run):
                    yield service.name, Violation(mount.location,
                                    f"service {service.name} is deployed ({_deployed_by(project)}) but bind-mounts "
                                    f"the project folder over {code}, where the image copies its code: the container "
                                    f"runs the server's files, not the image that was built, and hides what the build "
                                    f"wrote there; remove the mount from the deployed stack")
            elif misses_the_code(project, service, build, mount):
                compose = project.setup.compose_files[0].name if project.setup.compose_files else ""
                deployed = PRODUCTION_WORDS.search(compose) or run is not None and _deployed(project, run)
                advice = "remove it from the deployed stack" if deployed else f"mount it at {code}"
                yield service.name, Violation(mount.location,
                                f"service {service.name} bind-mounts the project folder at {target}, but the image "
                                f"copies its code to {code} and never uses {target}: the mount has no effect and "
                                f"edits on the host do not reach the container; {advice}")


def _deployed(project: Project, run: DjangoRun) -> bool:
    """Whether a container is deployed as it is: the project model says so, it runs no ``runserver``, its compose
    file is not named for development (``docker-compose.test.yml``), and Heroku does not run the image (its
    ``heroku.yml`` deploys it: a production-named compose file mounting the source tries the settings locally)."""
    servers = project.servers(run.service, run.build)
    compose = project.setup.compose_files[0].name if project.setup.compose_files else ""
    return (project.development(run) is None and bool(servers) and all(s.program != "runserver" for s in servers)
            and not DEVELOPMENT_WORDS.search(compose)
            and not (run.build is not None and project.heroku_runs(run.build)))


def _deployed_by(project: Project) -> str:
    compose = project.setup.compose_files[:1]
    return project.display(compose[0]) if compose else "its files are named for production"
