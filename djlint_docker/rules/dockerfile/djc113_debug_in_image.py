"""DJC113 debug-in-image: the image switches Django's DEBUG on."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import key_values
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY, building_dockerfile_dev
from djlint_docker.rules.snippets import MANAGE


@rule("DJC113", "debug-in-image", Severity.WARNING, examples=[
    Example("env-debug", {"Dockerfile": "FROM python:3.12-slim\nENV DEBUG=1\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("legacy-form", {"Dockerfile": "FROM python:3.12-slim\nENV DJANGO_DEBUG True\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("development-image-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "Dockerfile.dev": "FROM python:3.12-slim\nENV DJANGO_DEBUG=1\nWORKDIR /app\nCOPY . .\n",
        "compose.yaml": building_dockerfile_dev(DEV_AND_PROD["compose.yaml"])}),
    Example("development-image-is-all-it-has", {
        **DEV_ONLY, "Dockerfile.dev": "FROM python:3.12-slim\nENV DJANGO_DEBUG=1\nWORKDIR /app\nCOPY . .\n",
        "compose.yaml": building_dockerfile_dev(DEV_ONLY["compose.yaml"]),
        "app/settings/dev.py": "import os\nDEBUG = os.environ.get('DJANGO_DEBUG') == '1'\n"},
        expect=(("Dockerfile.dev", 2),)),
    # The settings write DEBUG themselves: the variable is read by nothing.
    Example("settings-write-debug-as-a-literal", {
        "Dockerfile": "FROM python:3.12-slim\nENV DJANGO_DEBUG=1\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "", "app/settings.py": "DEBUG = False\n"}),
    Example("settings-read-the-variable", {
        "Dockerfile": "FROM python:3.12-slim\nENV DJANGO_DEBUG=1\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
        "app/settings.py": "import os\nDEBUG = os.environ.get('DJANGO_DEBUG') == '1'\n"},
        expect=(("Dockerfile", 2),)),
    Example("debug-off", {"Dockerfile": "FROM python:3.12-slim\nENV DEBUG=0 DJANGO_DEBUG=False\n",
                          "manage.py": MANAGE}),
])
def debug_in_image(project: Project) -> Iterator[Violation]:
    """The image switches Django's DEBUG on.

    ## What it does
    Reports `ENV DEBUG` or `ENV DJANGO_DEBUG` with a true value (`1`, `true`, `yes`,
    `on`) in the final image's stages. An image only development stacks run is not
    reported when the project also has a deployed configuration, nor one whose settings
    modules write `DEBUG` as a literal (`DEBUG = True`): nothing reads the variable
    (DJC301 reports the literal).

    ## Why is this bad?
    Every container of the image runs with DEBUG unless someone remembers to override
    it: tracebacks with settings and local variables are shown to any visitor.

    ## Example
    ```dockerfile
    ENV DEBUG=1
    ```
    Use instead: leave DEBUG off in the image and set it in the development compose
    file's `environment:`.

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (DJANGO_DEBUG only in the local environment file)
    - [Django deployment checklist: DEBUG](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug)
      (DEBUG must be 0 in production)
    """
    for build, dockerfile in project.dockerfiles:
        if project.development_only(build):
            continue  # run by development stacks only, and the project is deployed with another image
        if _debug_written_as_a_literal(project, build):
            continue  # `DEBUG = True` in the settings it loads: the variable is read by nothing (DJC301's)
        for stage in dockerfile.lineage(dockerfile.final):
            for instruction in stage.all("ENV"):
                for name, value in key_values(instruction.args):
                    if name in {"DEBUG", "DJANGO_DEBUG"} and value.strip().lower() in TRUTHY:
                        yield Violation(dockerfile.at(instruction), f"`ENV {name}={value}` turns DEBUG on in every "
                                                                     f"container of the image; set it in development "
                                                                     f"only")


TRUTHY = {"1", "true", "yes", "on", "y", "t"}


def _debug_written_as_a_literal(project: Project, build: ImageBuild) -> bool:
    """Whether every settings module the image's containers load sets ``DEBUG`` to a literal (``DEBUG = True``),
    reading no variable: the image's ``ENV DEBUG`` changes nothing there."""
    loaded = [settings for run in project.django_runs if run.build is build for settings in run.settings]
    return bool(loaded) and all(
        (binding := settings.bindings.get("DEBUG")) is not None and isinstance(binding.node, ast.Constant)
        for settings in loaded)
