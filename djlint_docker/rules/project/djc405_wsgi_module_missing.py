"""DJC405 wsgi-module-missing: the server's application module or `DJANGO_SETTINGS_MODULE` does not exist."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.parse.servers import Server, server
from djlint_docker.parse.settings import settings_module_defaults
from djlint_docker.positions import Location
from djlint_docker.project import Project, StartCommand
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import APP_DOCKERFILE, GUNICORN_DOCKERFILE, MANAGE

WSGI = "import os\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"


@rule("DJC405", "wsgi-module-missing", Severity.ERROR, cross=True, examples=[
    Example("wrong-project-name", {
        "Dockerfile": GUNICORN_DOCKERFILE.replace("app.wsgi", "myproject.wsgi"), "manage.py": MANAGE,
        "app/__init__.py": "", "app/settings.py": "", "app/wsgi.py": WSGI}, expect=(("Dockerfile", 5),)),
    Example("settings-module-typo", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                        "      DJANGO_SETTINGS_MODULE: app.setings\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": WSGI,
        "app/settings.py": "DEBUG = False\n"}, expect=(("compose.yaml", 5),)),
    Example("startproject-template-copied-unrendered", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{{ project_name }}.settings')\n"
                       + WSGI}, expect=(("app/wsgi.py", 2),)),
    Example("celery-names-a-missing-module", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": WSGI, "app/celery.py": "import os\nfrom celery import Celery\n"
                                              "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
                                              "app = Celery('app')\n"}, expect=(("app/celery.py", 3),)),
    Example("defaults-name-existing-modules", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings/__init__.py": "", "app/settings/production.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.production')\n"
                       + WSGI, "app/celery.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                                "'app.settings')\n"}),
    Example("cookiecutter-template", {
        "Dockerfile": GUNICORN_DOCKERFILE.replace("app.wsgi", "{{cookiecutter.slug}}.wsgi"),
        "manage.py": MANAGE.replace("app.settings", "{{cookiecutter.slug}}.settings"),
        "{{cookiecutter.slug}}/__init__.py": "", "{{cookiecutter.slug}}/settings.py": "",
        "{{cookiecutter.slug}}/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                         "'{{cookiecutter.slug}}.settings')\n"}),
    Example("exists", {"Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "",
                       "app/settings.py": "", "app/wsgi.py": WSGI}),
    Example("src-layout-with-chdir", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"gunicorn\", \"--chdir\", \"src\", \"config.asgi:application\", "
                                   "\"-k\", \"uvicorn.workers.UvicornWorker\"]\n",
        "src/manage.py": MANAGE.replace("app.", "config."), "src/config/__init__.py": "",
        "src/config/settings.py": "", "src/config/asgi.py": WSGI}),
    Example("installed-package", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir .\n"
                      "CMD [\"gunicorn\", \"shop.wsgi\"]\n",
        "manage.py": MANAGE, "pyproject.toml": "[project]\nname = 'shop'\n"}),
])
def wsgi_module_missing(project: Project) -> Iterator[Violation]:
    """The server's application module or `DJANGO_SETTINGS_MODULE` does not exist in the project.

    ## What it does
    Takes the module the server loads (`gunicorn myapp.wsgi`, `uvicorn
    myapp.asgi:application`, `daphne`, `hypercorn`, `uwsgi --module=…`) and each
    `DJANGO_SETTINGS_MODULE` that compose or the image sets, and looks for it in the
    build context (at its top and two folder levels down, for `src/` layouts and
    `--chdir`). Reports the ones that do not exist. Stays silent when the image
    installs the project as a package (`pip install .`, poetry, uv sync). Also reports
    the `DJANGO_SETTINGS_MODULE` default that `manage.py`, `wsgi.py`, `asgi.py` or
    `celery.py` sets when it names no module of the project, or is still a template
    placeholder (`{{ project_name }}.settings`) in a project that is no template itself.

    ## Why is this bad?
    The container starts and exits at once with `ModuleNotFoundError: No module named
    'myproject'`, typically because the tutorial's project name was kept while the
    project was created under another name.

    ## Example
    ```dockerfile
    CMD ["gunicorn", "myproject.wsgi"]
    ```
    in a project whose package is `app/`. Use instead: `CMD ["gunicorn", "app.wsgi"]`.

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (`gunicorn <project>.wsgi` names the project's own package)
    - [Django: how to deploy with WSGI](https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/)
    """
    reported = set()
    for start in project.start_commands:
        build = start.build
        if build is None or build.dockerfile is None or _installs_project(build.dockerfile):
            continue
        for found in _servers(start):
            if found.module and (found.module, start.location) not in reported \
                    and not _module_exists(_search_roots(build.context), found.module):
                reported.add((found.module, start.location))
                yield Violation(start.location, f"{found.program} loads {found.module}, which is no module of the "
                                                f"build context {project.display(build.context)}; name the project's "
                                                f"own wsgi/asgi module")
    for located in project.settings_module_names:
        dotted = located.value.strip()
        builds = [b for b in project.builds if b.dockerfile is not None and not _installs_project(b.dockerfile)]
        if "$" in dotted or not builds or (dotted, located.location) in reported:
            continue
        roots = [root for b in builds for root in _search_roots(b.context)]
        if not _module_exists(roots, dotted):
            reported.add((dotted, located.location))
            yield Violation(located.location, f"DJANGO_SETTINGS_MODULE is {dotted}, which is no module of the project; "
                                              f"Django stops at start-up; name an existing settings module")


    yield from _default_settings_modules(project)


DEFAULTING_FILES = {"manage.py", "wsgi.py", "asgi.py", "celery.py"}
DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
PLACEHOLDER = re.compile(r"\{\{|\{%|\$\{|\$[A-Za-z_]|<[a-z_ ]+>", re.I)


def _default_settings_modules(project: Project) -> Iterator[Violation]:
    """The ``DJANGO_SETTINGS_MODULE`` defaults of manage.py, wsgi.py, asgi.py and celery.py that name no module."""
    if any(b.dockerfile is not None and _installs_project(b.dockerfile) for b in project.builds):
        return  # the image installs the project: its modules are importable from anywhere
    roots = [root for b in project.builds for root in _search_roots(b.context)]
    files = [p for p in project.setup.python_files if p.name in DEFAULTING_FILES]
    files += [folder / "celery.py" for folder in dict.fromkeys(p.parent for p in project.setup.python_files
                                                                 if p.name in {"wsgi.py", "asgi.py"})
              if project.is_file(folder / "celery.py")]
    if any("{{" in str(path) for path in [project.root, *files]):
        return  # a cookiecutter or startproject template: its files are rendered before they run
    set_by_containers = bool(project.settings_module_names)
    for path in dict.fromkeys(files):
        text = project.text(path)
        if not text or "{%" in text:
            continue
        for default in settings_module_defaults(text):
            dotted = default.value.strip()
            at = Location(path, default.line, default.column)
            if PLACEHOLDER.search(dotted):
                why = "an unsubstituted template placeholder"
            elif not DOTTED.fullmatch(dotted):
                why = "no module name"
            elif set_by_containers or _module_exists(roots + list(path.parents)[:4], dotted):
                continue  # the containers set the variable themselves (checked above), or the module is there
            else:
                why = "no module of the project"
            yield Violation(at, f"{path.name} defaults DJANGO_SETTINGS_MODULE to {dotted!r}, which is {why}; Django "
                                f"stops at start-up unless the variable is set; name the project's settings module")


INSTALLS_PROJECT = re.compile(r"\bpip[0-9.]*\s+install\b[^&;|]*\s(-e\s+)?\.(\s|$|\[)|\bpoetry\s+install\b|"
                              r"\bpipenv\s+(install|sync)\b|\buv\s+sync\b|\bpdm\s+install\b|\bsetup\.py\s+install\b")
"""A RUN that installs the project as a package: its modules are then importable from anywhere."""


def _installs_project(dockerfile: Dockerfile) -> bool:
    """Whether any RUN of the Dockerfile installs the project as a package."""
    return any(INSTALLS_PROJECT.search(run.args) for stage in dockerfile.stages for run in stage.all("RUN"))


def _servers(start: StartCommand) -> Iterator[Server]:
    """The application servers the start command runs."""
    for command in start.commands:
        found = server(command)
        if found is not None:
            yield found


def _module_exists(roots: list[Path], dotted: str) -> bool:
    """Whether the dotted module is a ``.py`` file or a package under one of the roots."""
    parts = dotted.split(".")
    return any(root.joinpath(*parts).with_suffix(".py").is_file() or root.joinpath(*parts, "__init__.py").is_file()
               for root in roots)


def _search_roots(context: Path) -> list[Path]:
    """The context and its folders two levels down: where a project's packages may start."""
    roots = [context]
    for depth in range(2):
        level = []
        for folder in roots[-1:] if depth == 0 else roots[1:]:
            try:
                level += [Path(e.path) for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)
                          and not e.name.startswith(".") and e.name not in {"node_modules", "__pycache__"}]
            except OSError:
                continue
        roots += level[:200]
    return roots
