"""DJC308 static-root-missing: `collectstatic` runs but `STATIC_ROOT` is not set."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import incomplete, unfollowed_star_imports
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

COLLECTSTATIC_THEN_GUNICORN = {
    "Dockerfile": APP_DOCKERFILE + "CMD [\"/app/start.sh\"]\n",
    "start.sh": "#!/bin/sh\nset -e\npython manage.py collectstatic --no-input\n"
                "exec gunicorn app.wsgi --bind 0.0.0.0:8000\n"}
"""An image whose start script collects the static files (``manage.py``'s settings), then serves ``app.wsgi``."""


@rule("DJC308", "static-root-missing", Severity.ERROR, cross=True, examples=[
    Example("dockerfile-collectstatic", {
        "Dockerfile": APP_DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings.py": "STATIC_URL = 'static/'\n"}, expect=(("Dockerfile", 5),)),
    Example("entrypoint-collectstatic", {
        "Dockerfile": APP_DOCKERFILE + "ENTRYPOINT [\"/app/entrypoint.sh\"]\n", "manage.py": MANAGE,
        "entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py collectstatic --no-input\nexec \"$@\"\n",
        "app/settings.py": "STATIC_URL = 'static/'\n"}, expect=(("entrypoint.sh", 3),)),
    Example("static-root-set", {
        "Dockerfile": APP_DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings.py": "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                           "STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n"}),
    Example("remote-storage", {
        "Dockerfile": APP_DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings.py": "STORAGES = {'staticfiles': {'BACKEND': 'storages.backends.s3.S3Storage'}}\n"}),
    Example("settings-classes-of-django-configurations", {
        "Dockerfile": APP_DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings.py": "from configurations import Configuration\n\n\nclass Base(Configuration):\n"
                           "    STATIC_URL = '/static/'\n    STATIC_ROOT = '/app/static'\n"}),
    # The settings package's __init__ imports the classes of its modules; DJANGO_CONFIGURATION picks one.
    Example("settings-package-that-imports-django-configurations-classes", {
        "Dockerfile": APP_DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings/__init__.py": "from .common import Common\nfrom .prod import Prod\n",
        "app/settings/common.py": "from configurations import Configuration\n\n\nclass Common(Configuration):\n"
                                  "    STATIC_URL = '/static/'\n    STATIC_ROOT = '/app/static'\n",
        "app/settings/prod.py": "from .common import Common\n\n\nclass Prod(Common):\n    DEBUG = False\n"}),
    Example("settings-package-that-imports-a-class-of-its-own", {
        "Dockerfile": APP_DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings/__init__.py": "from .paths import Paths\n\nSTATIC_URL = 'static/'\n",
        "app/settings/paths.py": "class Paths:\n    media = 'media'\n"}, expect=(("Dockerfile", 5),)),
    Example("package-settings-star-imported-by-a-base-module", {
        "Dockerfile": APP_DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/common.py": "from framework.conf.base import *\n",
        "app/settings.py": "from app.common import *\nSTATIC_URL = 'static/'\n"}),
    # The start script's collectstatic loads manage.py's default; gunicorn loads wsgi.py's.
    Example("collectstatic-with-manage-pys-settings", {
        **COLLECTSTATIC_THEN_GUNICORN,
        "manage.py": MANAGE.replace("app.settings", "app.settings.base"),
        "app/__init__.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
        "app/settings/__init__.py": "",
        "app/settings/base.py": "STATIC_URL = 'static/'\nSTATIC_ROOT = '/app/static'\n"}),
    Example("collectstatic-with-manage-pys-settings-lacking-it", {
        **COLLECTSTATIC_THEN_GUNICORN,
        "manage.py": MANAGE.replace("app.settings", "app.settings.base"),
        "app/__init__.py": "", "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                             "'app.settings.prod')\n",
        "app/settings/__init__.py": "", "app/settings/base.py": "STATIC_URL = 'static/'\n",
        "app/settings/prod.py": "from .base import *\nSTATIC_ROOT = '/app/static'\n"},
        expect=(("start.sh", 3),)),
    # The env file each clone writes may name the module: collectstatic may load wsgi.py's, which sets it.
    Example("collectstatic-whose-settings-an-env-file-each-clone-writes-names", {
        ".gitignore": ".env.prod\n", "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n",
        **COLLECTSTATIC_THEN_GUNICORN,
        "manage.py": MANAGE, "app/__init__.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.prod')\n",
        "app/settings/__init__.py": "",
        "app/settings/prod.py": "STATIC_URL = 'static/'\nSTATIC_ROOT = '/app/static'\n"}),
    # Portainer writes stack.env: it may name any module of the settings package, and the shared one sets it.
    Example("collectstatic-of-a-settings-package-an-env-file-each-deployment-chooses-from", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: stack.env\n",
        **COLLECTSTATIC_THEN_GUNICORN, "manage.py": MANAGE.replace("app.settings", "settings"),
        "app/__init__.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')\n",
        "settings/__init__.py": "", "settings/common.py": "STATIC_URL = 'static/'\nSTATIC_ROOT = '/app/static'\n",
        "settings/prod.py": "from .common import *\nDEBUG = False\n"}),
    Example("collectstatic-of-a-settings-package-none-of-whose-modules-sets-it", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: stack.env\n",
        **COLLECTSTATIC_THEN_GUNICORN, "manage.py": MANAGE.replace("app.settings", "settings"),
        "app/__init__.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')\n",
        "settings/__init__.py": "", "settings/common.py": "STATIC_URL = 'static/'\n",
        "settings/prod.py": "from .common import *\nDEBUG = False\n"}, expect=(("start.sh", 3),)),
    Example("absolute-star-import", {
        "Dockerfile": APP_DOCKERFILE + "RUN python manage.py collectstatic --noinput\n", "manage.py": MANAGE,
        "app/settings.py": "from shared.settings import *\n"}),
])
def static_root_missing(project: Project) -> Iterator[Violation]:
    """`collectstatic` runs but `STATIC_ROOT` is not set.

    ## What it does
    Reports a `collectstatic` in the image (a `RUN`, the entrypoint script or a
    service's command) when the settings that image runs never set `STATIC_ROOT`: those
    the container names (its `DJANGO_SETTINGS_MODULE`, a script's `export`), else
    `manage.py`'s default, which `manage.py collectstatic` loads (not the served
    `wsgi.py`'s); when an env file each clone writes may name the module, only when none
    of the modules it may load sets it: those, and the other modules of their settings
    package (`settings.prod` beside an empty `settings/__init__.py`).
    Stays silent when static files go to remote storage (django-storages) or when the
    settings star-import a module djcheck does not read, or are django-configurations
    classes (which djcheck does not read either).

    ## Why is this bad?
    `collectstatic` stops with "You're using the staticfiles app without having set the
    STATIC_ROOT setting to a filesystem path": the build or the container start fails.

    ## Example
    ```python
    STATIC_URL = "static/"
    ```
    Use instead:
    ```python
    STATIC_URL = "static/"
    STATIC_ROOT = BASE_DIR / "staticfiles"
    ```

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (STATIC_ROOT set for collectstatic and WhiteNoise)
    - [Django: deploying static files](https://docs.djangoproject.com/en/stable/howto/static-files/deployment/)
      (collectstatic in the image)
    - [Django: STATIC_ROOT](https://docs.djangoproject.com/en/stable/ref/settings/#static-root)
    """
    for run in project.django_runs:
        if run.build is None or run.build.dockerfile is None or not run.settings:
            continue
        where = _collectstatic(project, run.build)
        if where is None:
            continue
        candidates = project.management_settings(run)  # what `manage.py collectstatic` may load
        lacking = [settings for settings in candidates if not _sets_static_root(project, settings)]
        if len(lacking) < len(candidates):
            continue  # a module it may load sets it (which one an env file each clone writes decides)
        names = ", ".join(project.display(settings.path) for settings in lacking)
        which = names + " does not" if len(lacking) == 1 else f"none of the settings it may load ({names})"
        yield Violation(where, f"collectstatic runs, but {which} set STATIC_ROOT: it stops with "
                               f"ImproperlyConfigured; set STATIC_ROOT = BASE_DIR / 'staticfiles'",
                        related=tuple(Location(settings.path, 1) for settings in lacking))


def _sets_static_root(project: Project, settings: Settings) -> bool:
    """Whether the settings set ``STATIC_ROOT``, may set it through what djcheck cannot read (a star import of a
    module it does not find, a django-configurations class), or send static files to remote storage."""
    if "STATIC_ROOT" in settings.bindings or incomplete(settings.bindings) or _reads_other_settings(project,
                                                                                                 settings.path):
        return True
    storage = next((settings.bindings[n] for n in ("STORAGES", "STATICFILES_STORAGE") if n in settings.bindings), None)
    return storage is not None and REMOTE_STORAGE.search(project.text(storage.path) or "") is not None

REMOTE_STORAGE = re.compile(r"storages\.|S3|GoogleCloud|Azure|Dropbox|cloudinary", re.I)
"""A storage backend that sends static files elsewhere: then collectstatic needs no STATIC_ROOT."""


def _collectstatic(project: Project, build: ImageBuild) -> Location | None:
    """Where the image (or a script it runs) calls ``collectstatic``."""
    dockerfile = build.dockerfile
    assert dockerfile is not None
    for stage in dockerfile.lineage(dockerfile.final):
        for run in stage.all("RUN"):
            if "collectstatic" in run.script:
                return dockerfile.at(run)
    for script in project.scripts:
        if script.build is build:
            for line in script.lines:
                if "collectstatic" in line.text:
                    return Location(script.path, line.line)
    for start in project.start_commands:
        if start.build is build and any("collectstatic" in command.words for command in start.commands):
            return start.location
    return None


def _reads_other_settings(project: Project, path: Path) -> bool:
    """Whether a settings module star-imports a module djcheck does not find (a package's, or a missing file)."""
    module = project.python_module(path)
    return module is None or bool(unfollowed_star_imports(module))
