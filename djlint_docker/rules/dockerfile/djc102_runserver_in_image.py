"""DJC102 runserver-in-image: the image itself starts Django's development server."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.shell import runserver
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE, WELL_BUILT_DOCKERFILE


@rule("DJC102", "runserver-in-image", Severity.WARNING, examples=[
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
])
def runserver_in_image(project: Project) -> Iterator[Violation]:
    """The image itself starts Django's development server.

    ## What it does
    Checks the final stage's `CMD`/`ENTRYPOINT`, and the scripts they run, for
    `manage.py runserver`. A compose `command:` that runs `runserver` for local
    development is not reported: the image stays fit for production.

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
    for start in project.start_commands:
        if start.service is None and any(runserver(c) for c in start.commands):
            yield Violation(start.location, "the image starts the development server (`runserver`); "
                                            "start gunicorn or uvicorn and keep runserver for a compose override")
    for script in project.scripts:
        if not script.from_image:
            continue
        for line in script.lines:
            if any(runserver(c) for c in line.commands):
                yield Violation(Location(script.path, line.line),
                                "the image's entrypoint script starts the development server (`runserver`); "
                                "start gunicorn or uvicorn")
