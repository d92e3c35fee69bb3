"""DJC405 wsgi-module-missing: the server's application module or `DJANGO_SETTINGS_MODULE` does not exist."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import parse_image
from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.parse.servers import server
from djlint_docker.parse.settings import settings_module_defaults
from djlint_docker.parse.shell import Command, program
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project, Script, plain_copy_sources
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import APP_DOCKERFILE, GUNICORN_DOCKERFILE, MANAGE

WSGI = "import os\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"


@rule("DJC405", "wsgi-module-missing", Severity.ERROR, cross=True, examples=[
    # The image holds only the entrypoint; the repository is mounted and the server runs from src/web in it.
    Example("module-in-the-folder-mounted-at-the-working-directory", {
        "docker/docker-compose.yml": "services:\n  web:\n    build:\n      context: web\n"
                                     "    working_dir: /var/shop/src/web\n    entrypoint: ./entrypoint.sh\n"
                                     "    volumes:\n      - ./..:/var/shop\n"
                                     "      - ../docker/web/entrypoint.sh:/var/shop/src/web/entrypoint.sh\n",
        "docker/web/Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt /tmp/\n"
                                 "RUN pip install --no-cache-dir -r /tmp/requirements.txt\n",
        "docker/web/requirements.txt": "Django==5.1\nuwsgi==2.0.28\n",
        "docker/web/entrypoint.sh": "#!/bin/bash\npython manage.py migrate\n"
                                    "exec uwsgi --http :8001 --module web.wsgi\n",
        "src/web/manage.py": MANAGE.replace("app.settings", "web.settings"), "src/web/web/__init__.py": "",
        "src/web/web/settings.py": "DEBUG = False\n", "src/web/web/wsgi.py": ""}),
    # A platform of Celery workers: the user's Django project is mounted at start, none is in the repository.
    Example("project-from-elsewhere", {
        "compose.yaml": "services:\n  worker:\n    build: .\n    command: celery -A config worker\n"
                        "    environment:\n"
                        "      DJANGO_SETTINGS_MODULE: ${DJANGO_SETTINGS_MODULE:-config.settings.production}\n"
                        "    volumes:\n      - ${PROJECT_PATH:-./project}:/app/project\n",
        "Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir celery==5.4.0 django==5.1.4\n"
                      "COPY runtime/ /app/runtime/\nWORKDIR /app\n", "runtime/start.sh": "#!/bin/sh\nexec \"$@\"\n"}),
    Example("wrong-project-name", {
        "Dockerfile": GUNICORN_DOCKERFILE.replace("app.wsgi", "myproject.wsgi"), "manage.py": MANAGE,
        "app/__init__.py": "", "app/settings.py": "", "app/wsgi.py": WSGI}, expect=(("Dockerfile", 5),)),
    Example("code-cloned-by-the-image", {
        "docker/blog/Dockerfile": "FROM python:3.12-slim\nWORKDIR /var/www\n"
                                  "RUN apt-get update && apt-get install -y git\n"
                                  "RUN git clone https://github.com/example/blog.git\nWORKDIR /var/www/blog\n"
                                  "CMD [\"gunicorn\", \"blog.wsgi\", \"--bind\", \"0.0.0.0:8000\"]\n",
        "manage.py": MANAGE, "blog/__init__.py": "", "blog/settings.py": "", "blog/wsgi.py": WSGI}),
    # The start script a compose command runs serves the tutorial's module, not the project's.
    Example("start-script-serves-a-missing-module", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: /start.sh\n",
        "Dockerfile": APP_DOCKERFILE + "COPY start.sh /start.sh\n", "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "", "app/wsgi.py": WSGI,
        "start.sh": "#!/bin/sh\npython manage.py migrate\nexec gunicorn blog.wsgi:application -b 0.0.0.0:8000\n"},
        expect=(("start.sh", 3),)),
    Example("start-script-clones-the-code-it-serves", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: /start.sh\n",
        "Dockerfile": APP_DOCKERFILE + "COPY start.sh /start.sh\n", "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "", "app/wsgi.py": WSGI,
        "start.sh": "#!/bin/sh\ngit clone https://github.com/example/blog.git /srv/blog\ncd /srv/blog\n"
                    "exec gunicorn blog.wsgi:application -b 0.0.0.0:8000\n"}),
    Example("start-script-serves-the-project-module", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: /start.sh\n",
        "Dockerfile": APP_DOCKERFILE + "COPY start.sh /start.sh\n", "manage.py": MANAGE, "app/__init__.py": "",
        "app/settings.py": "", "app/wsgi.py": WSGI,
        "start.sh": "#!/bin/sh\npython manage.py migrate\nexec gunicorn app.wsgi:application -b 0.0.0.0:8000\n"}),
    Example("settings-module-typo", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                        "      DJANGO_SETTINGS_MODULE: app.setings\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": WSGI,
        "app/settings.py": "DEBUG = False\n"}, expect=(("compose.yaml", 5),)),
    # The image writes the module it names from a file of the context: it exists in the image.
    Example("settings-module-the-image-writes", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir django gunicorn\nRUN cp docker/config.py settings/config.py\n"
                      "ENV DJANGO_SETTINGS_MODULE=settings.config\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": WSGI, "settings/__init__.py": "",
        "settings/common.py": "SECRET_KEY = 'local-development-only-key'\n",
        "docker/config.py": "import os\nfrom .common import *\nSECRET_KEY = os.environ['SECRET_KEY']\n"}),
    Example("settings-module-the-image-writes-elsewhere", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir django gunicorn\nRUN cp docker/config.py /etc/app/config.py\n"
                      "ENV DJANGO_SETTINGS_MODULE=settings.config\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": WSGI, "settings/__init__.py": "",
        "settings/common.py": "SECRET_KEY = 'local-development-only-key'\n",
        "docker/config.py": "import os\nfrom .common import *\nSECRET_KEY = os.environ['SECRET_KEY']\n"},
        expect=(("Dockerfile", 6),)),
    Example("startproject-template-copied-unrendered", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{{ project_name }}.settings')\n"
                       + WSGI}, expect=(("app/wsgi.py", 2),)),
    # The repository is a `startproject --template` template: its manage.py holds the placeholder too.
    Example("startproject-template-itself", {
        "Dockerfile": GUNICORN_DOCKERFILE, "app/__init__.py": "", "app/settings.py": "",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{{ project_name }}.settings')\n",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{{ project_name }}.settings')\n"
                       + WSGI}),
    # A deploy tool (pydiploy, Ansible) renders manage.py and wsgi.py with the goal it deploys.
    Example("rendered-by-the-deploy-tool", {
        "Dockerfile": GUNICORN_DOCKERFILE, "app/__init__.py": "", "app/settings/__init__.py": "",
        "app/settings/prod.py": "", "manage.py": MANAGE.replace("'app.settings'", "'app.settings.{{ goal }}'"),
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.{{ goal }}')\n"
                       + WSGI}),
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
    # The install copies a whole folder of templates (`cp -r local_settings.example local_settings`).
    Example("settings-package-made-from-a-folder-of-templates", {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'local_settings.settings')\n",
        "local_settings.example/__init__.py": "", "local_settings.example/settings.py": "DEBUG = False\n",
        "local_settings.example/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                          "'local_settings.settings')\n",
        ".gitignore": "local_settings\n", "Dockerfile": APP_DOCKERFILE}),
    # The settings module is made at install from the committed template (and git-ignored).
    Example("settings-made-from-a-committed-template", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE.replace("app.settings", "app.conf.settings"),
        "app/__init__.py": "", "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                              "'app.conf.settings')\n" + WSGI,
        "app/conf/__init__.py": "", "app/conf/base.py": "DEBUG = False\n",
        "app/conf/settings.py.example": "from .base import *  # noqa\nSECRET_KEY = 'change-me'\n",
        ".gitignore": "app/conf/settings.py\n"}),
    # The install copies settings.py.dev or settings.py.prod to the settings.py git ignores.
    Example("settings-module-git-ignores", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": WSGI,
        "app/settings.py.dev": "DEBUG = True\n", "app/settings.py.prod": "DEBUG = False\n",
        ".gitignore": "settings.py\n"}),
    Example("settings-template-of-another-name", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE.replace("app.settings", "app.conf.settings"),
        "app/__init__.py": "", "app/wsgi.py": WSGI, "app/conf/__init__.py": "",
        "app/conf/production.py.example": "DEBUG = False\n"}, expect=(("manage.py", 2),)),
    Example("exists", {"Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "",
                       "app/settings.py": "", "app/wsgi.py": WSGI}),
    Example("src-layout-with-chdir", {
        "Dockerfile": APP_DOCKERFILE + "CMD [\"gunicorn\", \"--chdir\", \"src\", \"config.asgi:application\", "
                                   "\"-k\", \"uvicorn.workers.UvicornWorker\"]\n",
        "src/manage.py": MANAGE.replace("app.", "config."), "src/config/__init__.py": "",
        "src/config/settings.py": "", "src/config/asgi.py": WSGI}),
    # manage.py at the top puts src/ on sys.path; the compose stack runs the image CI publishes.
    Example("src-layout-beside-manage-py", {
        "compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/rota:1.4\n",
        "manage.py": "import os\nimport sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), 'src'))\n"
                     "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'rota.settings')\n",
        "src/rota/__init__.py": "", "src/rota/settings.py": "DEBUG = False\n"}),
    # Every stack of the project sets the variable: wsgi.py's stale default never applies.
    Example("stale-default-every-stack-replaces", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                        "      DJANGO_SETTINGS_MODULE: app.settings\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "docker/prod/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\n"
                                                                    "COPY . .\nRUN pip install django gunicorn\n"
                                                                    "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings.prod')\n"}),
    # Each container reads the variable from the env file made from the committed template.
    Example("stale-default-every-container-reads-from-its-env-file", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n", ".gitignore": ".env\n",
        ".env.example": "DJANGO_SETTINGS_MODULE=app.settings\nDEBUG=0\n", "Dockerfile": GUNICORN_DOCKERFILE,
        "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "", "app/wsgi.py": WSGI,
        "app/celery.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.dev')\n"}),
    # The development stack takes the variable from its env file; the production stack reads the one each deployment
    # writes, with no template: it sets it there too.
    Example("stale-default-beside-an-env-file-each-deployment-writes", {
        "compose-dev.yml": "services:\n  web:\n    build: .\n    env_file: .env\n",
        ".env": "DJANGO_SETTINGS_MODULE=app.settings\n",
        "compose-prod.yml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n", ".gitignore": ".env.prod\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE.replace("app.settings", "config.settings"),
        "app/__init__.py": "", "app/settings.py": "", "app/wsgi.py": WSGI}),
    # Nothing shows the project setting the variable from its env files: the default applies.
    Example("stale-default-beside-only-an-env-file-each-deployment-writes", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n", ".gitignore": ".env\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE.replace("app.settings", "config.settings"),
        "app/__init__.py": "", "app/settings.py": "", "app/wsgi.py": WSGI}, expect=(("manage.py", 2),)),
    Example("stale-default-beside-a-known-env-file", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n", ".env.prod": "DEBUG=0\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE.replace("app.settings", "config.settings"),
        "app/__init__.py": "", "app/settings.py": "", "app/wsgi.py": WSGI}, expect=(("manage.py", 2),)),
    # Each container's start script exports the variable before it serves.
    Example("stale-default-every-start-script-exports-it", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: sh /app/start.sh\n",
        "start.sh": "#!/bin/sh\nexport DJANGO_SETTINGS_MODULE=app.settings\nexec gunicorn app.wsgi -b 0.0.0.0:8000\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings.prod')\n"}),
    # A package copied from another project that nothing runs: gunicorn serves app.wsgi.
    Example("stray-package-nothing-runs", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": WSGI, "blog/__init__.py": "", "blog/settings.py": "",
        "blog/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'Blog.settings')\n" + WSGI}),
    # An app that was a project of its own once keeps its manage.py: the containers run the top one.
    Example("second-manage-py-in-an-app-folder", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": WSGI, "apps/blog/manage.py": MANAGE.replace("app.settings", "blog.settings")}),
    Example("second-manage-py-a-command-runs", {
        "compose.yaml": "services:\n  web:\n    build: .\n  blog:\n    build: .\n"
                        "    command: python apps/blog/manage.py runserver 0.0.0.0:8001\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": WSGI, "apps/blog/manage.py": MANAGE.replace("app.settings", "blog.settings")},
        expect=(("apps/blog/manage.py", 2),)),
    Example("served-package-defaults-to-another-name", {
        "Dockerfile": GUNICORN_DOCKERFILE.replace("app.wsgi", "blog.wsgi"), "manage.py": MANAGE,
        "app/__init__.py": "", "app/settings.py": "", "blog/__init__.py": "", "blog/settings.py": "",
        "blog/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'Blog.settings')\n" + WSGI},
        expect=(("blog/wsgi.py", 2),)),
    # Importing blog.wsgi runs blog/__init__.py first, whose Celery app sets the variable: wsgi.py's default is dead.
    Example("served-package-whose-celery-app-sets-it-first", {
        "Dockerfile": GUNICORN_DOCKERFILE.replace("app.wsgi", "blog.wsgi"), "manage.py": MANAGE,
        "app/__init__.py": "", "app/settings.py": "", "blog/__init__.py": "from .celery import app as celery_app\n",
        "blog/celery.py": "import os\nfrom celery import Celery\n"
                          "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\napp = Celery('blog')\n",
        "blog/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'Blog.settings')\n" + WSGI}),
    # Importing blog.wsgi runs blog/__init__.py, which imports a module of the package that picks the settings
    # module from ENVIRONMENT: wsgi.py's default is dead.
    Example("served-package-that-picks-the-module-from-the-environment", {
        "Dockerfile": GUNICORN_DOCKERFILE.replace("app.wsgi", "blog.wsgi"), "manage.py": MANAGE,
        "app/__init__.py": "", "app/settings.py": "",
        "blog/__init__.py": "from blog.environment.settings import get_settings_module\n",
        "blog/environment/__init__.py": "",
        "blog/environment/settings.py": "import os\nMODULES = {'Local': 'app.settings'}\n"
                                        "def get_settings_module():\n    return os.environ['DJANGO_SETTINGS_MODULE']\n"
                                        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                        "MODULES[os.environ.get('ENVIRONMENT', 'Local')])\n",
        "blog/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'Blog.settings')\n" + WSGI}),
    # The production stack pulls the image CI pushed; its code is not this folder's.
    Example("pulled-image", {
        "compose.yaml": "services:\n  web:\n    build: .\n  api:\n    image: ghcr.io/acme/shop-api:2.1\n"
                        "    environment:\n      DJANGO_SETTINGS_MODULE: config.settings.production\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": WSGI}),
    Example("image-another-service-builds", {
        "compose.yaml": "services:\n  web:\n    build: .\n    image: shop\n  worker:\n    image: shop\n"
                        "    command: celery -A app worker\n    environment:\n"
                        "      DJANGO_SETTINGS_MODULE: app.settings.production\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "",
        "app/wsgi.py": WSGI}, expect=(("compose.yaml", 9),)),
    # docker/Dockerfile is built from the repository's root (`docker build -f docker/Dockerfile .`): what it
    # copies lies there, not in docker/, where the stack that pulls its image lives.
    Example("dockerfile-built-from-the-folder-above", {
        "docker/compose.prod.yaml": "services:\n  backend:\n    image: acme/shop:backend\n    environment:\n"
                                    "      DJANGO_SETTINGS_MODULE: config.settings.production\n",
        "docker/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY backend/ /app/\n"
                             "ENV DJANGO_SETTINGS_MODULE=config.settings.production\n"
                             "CMD [\"gunicorn\", \"config.wsgi\"]\n",
        "backend/manage.py": MANAGE.replace("app.", "config."), "backend/config/__init__.py": "",
        "backend/config/settings/__init__.py": "", "backend/config/settings/production.py": "",
        "backend/config/wsgi.py": WSGI}),
    Example("installed-package", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir .\n"
                      "CMD [\"gunicorn\", \"shop.wsgi\"]\n",
        "manage.py": MANAGE, "pyproject.toml": "[project]\nname = 'shop'\n"}),
])
def wsgi_module_missing(project: Project) -> Iterator[Violation]:
    """The server's application module or `DJANGO_SETTINGS_MODULE` does not exist in the project.

    ## What it does
    Takes the module the server loads (`gunicorn myapp.wsgi`, `uvicorn
    myapp.asgi:application`, `daphne`, `hypercorn`, `uwsgi --module=…`), in the
    container's command or in a script it runs (`exec gunicorn shop.wsgi` in `start.sh`), and each
    `DJANGO_SETTINGS_MODULE` that compose or the image sets, and looks for it in the
    build context (at its top and two folder levels down, for `src/` layouts and
    `--chdir`), in the folders the image copies whole (`COPY ./django_app/src /app/`), and in the project folder a
    service bind-mounts at its `working_dir:` or the image's `WORKDIR` (the
    repository mounted at `/var/app`, `working_dir: /var/app/src/web`: the server loads the
    mounted code). Reports the ones that do not exist. A service that runs a pulled image
    is looked up in the build of the service that names the same image, or in the
    setup's Dockerfiles when its stack builds nothing; an image from elsewhere brings
    its own code and is not checked. Stays silent when the image installs the project
    as a package (`pip install .`, poetry, uv sync), and when the context cannot be the
    one the image is built from (a `COPY backend/ /app/` source is not in it: the
    Dockerfile is built from another folder). Also reports the `DJANGO_SETTINGS_MODULE`
    default of the `manage.py`, `wsgi.py`, `asgi.py` or `celery.py` a container uses
    (every `manage.py`, the `wsgi.py` a server loads, all of them when no command shows
    which, a `celery.py` of the package a command or the settings name) when it names no
    module of the project, or is still a template placeholder (`{{ project_name }}.settings`)
    in a project that is no template itself (one whose `manage.py` holds a placeholder
    too is a template rendered before it runs: a `startproject --template` template, or
    `plana.settings.{{ goal }}` that a deploy tool fills in). A stray package nothing runs
    is not checked.
    A module made from a committed template beside it (`settings.py.example`,
    `local_settings.py.sample`: the install copies it to `settings.py`, which git ignores),
    or in a folder of templates the install copies whole (`local_settings.example/`)
    exists in every install and is not reported. A module git ignores in a package that
    is there (`settings.py` in `.gitignore`, each developer keeping their own) with no such
    template nor instructions is reported once, for what it is: a fresh clone has no
    settings. A default is looked up beside the file and
    in a `src/` folder there (a `manage.py` that puts `src/` on `sys.path`), and not judged
    when the project's containers set the variable themselves, in this stack or another
    (each container of the stack, its env files and their templates, a start script's
    `export` or `--settings` included; an env file each deployment writes with no template
    may set it when the project's other containers take it from theirs), nor when the file's
    package sets it first: a
    `wsgi.py` whose package's `__init__.py` imports a Celery app that calls
    `os.environ.setdefault` (`from .celery import app as celery_app`), or a module of the
    package that picks the settings from the environment (`from settings.environment.settings
    import ...`), never applies its own. A
    repository with no Django project at all (no `manage.py`, `wsgi.py` or `asgi.py`: a
    worker platform that runs the user's project, mounted or installed at start, or a
    template whose reader runs `startproject` first) is not checked.

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
    if not any(path.name in {"manage.py", "wsgi.py", "asgi.py"} for path in project.setup.python_files):
        # no Django project in the repository: the containers get one from elsewhere (a mount, a package), or the
        # user makes it (`startproject` in a template whose compose file names PROJECTNAME.wsgi)
        return
    reported = set()
    of_the_context = _builds_of_the_context(project)
    for program_name, module, location, build in _served_modules(project, of_the_context):
        if (module, location) not in reported and not _module_exists(
                project, _copied_folders(build) + _search_roots(build.context) + _mounted_working_dirs(project, build),
                module):
            reported.add((module, location))
            yield Violation(location, f"{program_name} loads {module}, which is no module of the build "
                                      f"context {project.display(build.context)}; name the project's own wsgi/asgi "
                                      f"module")
    for value, location, builds in _settings_module_names(project):
        dotted = value.strip()
        if "$" in dotted or not builds or (dotted, location) in reported \
                or any(b not in of_the_context for b in builds):
            continue  # where the image's code comes from is unknown, or it installs the project as a package
        roots = [root for b in builds for root in _search_roots(b.context)]
        if not _module_exists(project, roots, dotted) \
                and not any(project.image_writes_module(b, dotted) for b in builds):
            reported.add((dotted, location))
            yield Violation(location, f"DJANGO_SETTINGS_MODULE is {dotted}, which is no module of the project; "
                                              f"Django stops at start-up; name an existing settings module")
    yield from _default_settings_modules(project)


IMPORTABLE = re.compile(r"[^\s./\\:]+(?:\.[^\s./\\:]+)*")
"""What ``importlib.import_module``, which loads ``DJANGO_SETTINGS_MODULE``, can find: dotted parts that are file or
folder names, identifiers or not (a ``django-blog/settings.py`` loads as ``django-blog.settings``)."""
PLACEHOLDER = re.compile(r"\{\{|\{%|\$\{|\$[A-Za-z_]|<[a-z_ ]+>", re.I)


def _settings_module_names(project: Project) -> list[tuple[str, Location, list[ImageBuild]]]:
    """Each ``DJANGO_SETTINGS_MODULE`` compose or an image sets, with the builds whose code it is looked up in.

    A service's own build; the build of another service that names the image it runs
    (``image: shop`` beside ``build: .`` and ``image: shop``); the setup's Dockerfiles when
    its stack builds nothing (the image it pulls was pushed from one of them). Other
    pulled images bring code of their own: no builds.
    """
    found: list[tuple[str, Location, list[ImageBuild]]] = []
    builders = [s for s in project.services if s.build is not None]
    standalone = [b for b in project.builds if not b.services]
    for service in project.services:
        value = service.environment.get("DJANGO_SETTINGS_MODULE")
        if value is None or not value.value:
            continue
        own = project.build_for(service)
        if own is not None:
            builds = [own]
        elif service.build is None and service.image is not None and service.image.value:
            image = parse_image(service.image.value).repository
            builds = [b for other in builders if other.image is not None and other.image.value
                      and parse_image(other.image.value).repository == image for b in [project.build_for(other)] if b]
            if not builds and not builders:
                builds = standalone
        else:
            builds = []
        found.append((value.value, value.location, builds))
    for build, dockerfile in project.dockerfiles:
        env = dockerfile.env(dockerfile.final)
        if "DJANGO_SETTINGS_MODULE" in env:
            module, instruction = env["DJANGO_SETTINGS_MODULE"]
            found.append((module, dockerfile.at(instruction), [build]))
    return found


def _context_known(build: ImageBuild) -> bool:
    """Whether the build context is the one the image is built from: every file its COPY/ADD take from the
    context is there. ``COPY backend/ /app`` in ``docker/Dockerfile`` whose ``backend/`` lies beside ``docker/``
    says the image is built from the folder above, whatever djcheck took for its context."""
    dockerfile = build.dockerfile
    if dockerfile is None:
        return False
    for stage in dockerfile.stages:
        for copy in dockerfile.copies(stage):
            for source in copy.sources:
                if any(c in source for c in "*?[$") or "://" in source or source.startswith("git@"):
                    continue
                relative = source.strip("\"'").lstrip("/")
                if relative and not os.path.lexists(build.context / relative):
                    return False
    return True


def _used_defaulting_files(project: Project) -> list[Path]:
    """The manage.py, wsgi.py, asgi.py and celery.py whose default a container can meet.

    The project's ``manage.py`` (migrations run through it): the top one, not a second ``startproject``'s left
    in an app's folder, unless a command names it by its path; the ``wsgi.py``/``asgi.py`` a server
    loads (``gunicorn shop.wsgi``), and all of them when no command shows which one (a
    config file names it, or no server is found); a ``celery.py`` beside such a module or
    in the package of one a command or the settings use (``celery -A shop``,
    ``DJANGO_SETTINGS_MODULE=shop.settings``). A stray package nothing runs is left alone.
    """
    python = project.setup.python_files
    modules: set[str] = set()
    servers = unknown = 0
    commands = [c for start in project.start_commands for c in start.commands]
    commands += [c for script in project.scripts for line in script.lines for c in line.commands]
    for command in commands:
        found = server(command)
        if found is not None:
            servers += 1
            if found.module:
                modules.add(found.module.partition(":")[0].strip())
            elif found.program != "runserver":
                unknown += 1
        app = _celery_app(command)
        if app:
            modules.add(app.partition(":")[0])
    named = {word for command in commands for word in command.words if word.endswith("/manage.py")}
    used = [p for p in python if p.name == "manage.py" and (p in project.top_managers(project.boundary) or any(
        word.endswith(f"{p.parent.name}/manage.py") for word in named))]
    used += [p for p in python if p.name in {"wsgi.py", "asgi.py"}
             and (unknown or not servers or any(_names(p, module) for module in modules))]
    packages = {m.split(".")[0] for m in modules} | {n.value.strip().split(".")[0]
                                                       for n in project.settings_module_names}
    for path in used:
        text = project.text(path)
        packages |= {d.value.strip().split(".")[0] for d in settings_module_defaults(text or "")}
    served = {p.parent for p in used if p.name != "manage.py"}
    celery = [p for p in python if p.name == "celery.py"]
    celery += [folder / "celery.py" for folder in dict.fromkeys(p.parent for p in python
                                                                if p.name in {"wsgi.py", "asgi.py"})]
    used += [p for p in celery if (p.parent in served or p.parent.name in packages) and project.is_file(p)]
    return list(dict.fromkeys(used))


def _names(path: Path, dotted: str) -> bool:
    """Whether a file is the module of a dotted name: ``shop/wsgi.py`` for ``shop.wsgi``."""
    parts = dotted.split(".")
    return list(path.with_suffix("").parts[-len(parts):]) == parts


def _celery_app(command: Command) -> str | None:
    """The application ``celery -A shop worker`` (``--app=shop.celery``) loads."""
    words = command.words
    if program(command) != "celery":
        return None
    for index, word in enumerate(words):
        if word in {"-A", "--app"} and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--app="):
            return word.split("=", 1)[1]
        if word.startswith("-A") and len(word) > 2:
            return word[2:]
    return None


def _default_settings_modules(project: Project) -> Iterator[Violation]:
    """The ``DJANGO_SETTINGS_MODULE`` defaults of the manage.py, wsgi.py, asgi.py and celery.py a container
    uses that name no module."""
    if any(b.dockerfile is not None and _installs_project(b.dockerfile) for b in project.builds):
        return  # the image installs the project: its modules are importable from anywhere
    roots = [root for b in project.builds for root in _search_roots(b.context)]
    files = _used_defaulting_files(project)
    if any("{{" in str(path) for path in [project.root, *files]) or project.rendered_before_it_runs:
        return  # a cookiecutter or startproject template (its manage.py too): its files are rendered before they run
    # The containers set the variable themselves, here or in the project's other setups: the default never applies.
    # from env files too, from the start script's export, or `--settings`; or from an env file each deployment
    # writes with no template (`.env.prod`), when the project's other containers take the variable from theirs
    set_by_containers = bool(project.settings_module_names) or any(
        other.settings_module_names for other in project.related) or _set_by_each_container(project)
    told: set[Path] = set()
    for path in dict.fromkeys(files):
        text = project.text(path)
        if not text or "{%" in text:
            continue
        for default in settings_module_defaults(text):
            dotted = default.value.strip()
            at = Location(path, default.line, default.column)
            if PLACEHOLDER.search(dotted):
                why = "an unsubstituted template placeholder"
            elif not IMPORTABLE.fullmatch(dotted):
                why = "no module name"
            elif set_by_containers or _module_exists(project, roots + [folder for parent in list(path.parents)[:4]
                                                                       for folder in (parent, parent / "src")], dotted):
                continue  # the containers set the variable themselves (checked above), or the module is there
            elif path.name != "manage.py" and _package_sets_it(project, path):
                continue  # its package's __init__.py sets the variable first (`from .celery import app`)
            elif (ignored := _ignored_module(project, roots + list(path.parents)[:4], dotted)) is not None:
                if ignored in told:
                    continue  # manage.py and celery.py default to the same missing module: one finding
                told.add(ignored)
                yield Violation(at, f"{path.name} defaults DJANGO_SETTINGS_MODULE to {dotted!r}, but git ignores "
                                    f"{project.display(ignored)} and nothing in the project says how to make it: a "
                                    f"fresh clone has no settings and Django stops at start-up; commit a template of "
                                    f"it and the step that copies it, or read the secrets it keeps from the "
                                    f"environment and commit it")
                continue
            else:
                why = "no module of the project"
            yield Violation(at, f"{path.name} defaults DJANGO_SETTINGS_MODULE to {dotted!r}, which is {why}; Django "
                                f"stops at start-up unless the variable is set; name the project's settings module")


def _set_by_each_container(project: Project) -> bool:
    """Whether each container that runs Django sets ``DJANGO_SETTINGS_MODULE`` (from its env files too, its start
    script's export, or ``--settings``), or reads an env file each deployment writes with no template
    (``.env.prod``) while the project's other containers take the variable from theirs: it sets it there too."""
    runs = project.django_runs
    unset = [run for run in runs if not project.settings_module_of(run.service, run.build, run.environment,
                                                                     defaults=False)]
    if not runs or len(unset) == len(runs) and not any(
            other.settings_module_of(run.service, run.build, run.environment, defaults=False)
            for other in project.related for run in other.django_runs):
        return False  # no container, or none shows the project taking the variable from its env files
    return all(run.service is not None and not project.environment_known(run.service) for run in unset)


def _package_sets_it(project: Project, path: Path) -> bool:
    """Whether a module's package sets ``DJANGO_SETTINGS_MODULE`` before the module runs: importing ``config.asgi``
    runs ``config/__init__.py`` first, and it imports a module of the package that sets the variable, whatever the
    value (``from .celery import app as celery_app``, whose ``celery.py`` calls ``os.environ.setdefault``;
    ``from settings.environment.settings import ...``, which picks the module from ``ENVIRONMENT``)."""
    folder = path.parent
    init = folder / "__init__.py"
    text = project.text(init) if project.is_file(init) else None
    for relative, sibling, absolute in PACKAGE_IMPORT.findall(text or ""):
        parts = [relative or sibling] if relative or sibling else absolute.split(".")[1:]
        if absolute and absolute.split(".")[0] != folder.name:
            continue  # another package's module
        modules = [folder.joinpath(*parts[:index]) / "__init__.py" for index in range(1, len(parts))]
        modules += [folder.joinpath(*parts).with_suffix(".py"), folder.joinpath(*parts) / "__init__.py"]
        if any(module != path and project.is_file(module) and SETS_SETTINGS_MODULE.search(project.text(module) or "")
               for module in modules):
            return True
    return False


PACKAGE_IMPORT = re.compile(r"^[ \t]*from[ \t]+\.(\w+)[ \t]+import\b|^[ \t]*from[ \t]+\.[ \t]+import[ \t]+(\w+)"
                            r"|^[ \t]*(?:from|import)[ \t]+(\w+(?:\.\w+)+)", re.M)
"""A module of its own package a package's ``__init__.py`` imports: a sibling (``from .celery import app as
celery_app``, ``from . import celery``) or, by the package's name, one below it (``from settings.environment.settings
import get_settings_module`` in ``settings/__init__.py``)."""
SETS_SETTINGS_MODULE = re.compile(r"""(?:setdefault\(\s*|environ\[\s*)["']DJANGO_SETTINGS_MODULE["']""")
"""``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)`` or ``os.environ["DJANGO_SETTINGS_MODULE"] = ...``."""


INSTALLS_PROJECT = re.compile(r"\bpip[0-9.]*\s+install\b[^&;|]*\s(-e\s+)?\.(\s|$|\[)|\bpoetry\s+install\b|"
                              r"\bpipenv\s+(install|sync)\b|\buv\s+sync\b|\bpdm\s+install\b|\bsetup\.py\s+install\b|"
                              r"\bgit\s+clone\b")
"""A RUN that installs the project as a package, whose modules are then importable from anywhere, or that clones
a repository (``git clone https://github.com/...``): the image's code is not the build context's."""


def _installs_project(dockerfile: Dockerfile) -> bool:
    """Whether any RUN of the Dockerfile installs the project as a package, or clones its code."""
    return any(INSTALLS_PROJECT.search(run.script) for stage in dockerfile.stages for run in stage.all("RUN"))


def _served_modules(project: Project, builds: list[ImageBuild]) -> Iterator[tuple[str, str, Location, ImageBuild]]:
    """Each application server that names its module: the program, the module, where it is written and the
    build whose code it loads. In a start command, or in a script a container runs (``gunicorn shop.wsgi`` in
    ``start.sh``) that does not fetch its code itself, of ``builds`` (:func:`_builds_of_the_context`)."""
    for build in builds:
        for found, location, script in project.started_servers(build):
            if found.module and not _fetches_code(project, script):
                yield found.program, found.module, location, build


def _builds_of_the_context(project: Project) -> list[ImageBuild]:
    """The builds whose image holds its context's code: not installed as a package or cloned
    (:func:`_installs_project`), from the context djcheck took (:func:`_context_known`)."""
    return [b for b in project.builds
            if b.dockerfile is not None and not _installs_project(b.dockerfile) and _context_known(b)]


def _fetches_code(project: Project, script: Script | None) -> bool:
    """Whether a script gets the project's code as it runs (``git clone``, ``pip install .``, ``django-admin
    startproject``): what its server loads need not be in the build context."""
    text = (project.text(script.path) if script is not None else None) or ""
    return INSTALLS_PROJECT.search(text) is not None or "startproject" in text


def _ignored_module(project: Project, roots: list[Path], dotted: str) -> Path | None:
    """The file of a dotted module that git ignores, in a package that is there (``youngtrip/settings.py`` beside
    the committed ``youngtrip/wsgi.py``, with ``settings.py`` in ``.gitignore``): each developer keeps their own."""
    parts = dotted.split(".")
    for root in roots:
        module = root.joinpath(*parts).with_suffix(".py")
        if module.parent != root and os.path.isdir(module.parent) and project.gitignored(module):
            return module
    return None


def _module_exists(project: Project, roots: list[Path], dotted: str) -> bool:
    """Whether the dotted module is a ``.py`` file or a package under one of the roots, or a ``.py`` file made from a
    committed template beside it (``settings.py.example``, copied by the install and git-ignored) or in a folder of
    templates (``local_settings.example/settings.py``, copied whole to ``local_settings/``), or one git ignores
    in a package that is there (each install writes it: ``cp settings.py.prod settings.py``)."""
    parts = dotted.split(".")
    for root in roots:
        module = root.joinpath(*parts).with_suffix(".py")
        if os.path.isfile(module) or os.path.isfile(root.joinpath(*parts, "__init__.py")):
            return True
        if project.template_for(module) is not None:
            return True  # beside it, or in a folder of templates the install copies (`local_settings.example/`)
    return project.module_each_install_makes(dotted) is not None


def _mounted_working_dirs(project: Project, build: ImageBuild) -> list[Path]:
    """The project's folders the services of the build bind-mount at their ``working_dir:``, else at the image's
    ``WORKDIR`` (``./..`` at ``/var/app`` with ``working_dir: /var/app/src/web``; ``./sources:/sources`` of an image
    that works in ``/sources``: the code the server loads comes from the mount)."""
    found = []
    image_workdir = build.dockerfile.workdir_after(build.dockerfile.final) if build.dockerfile is not None else None
    for service in project.services:
        if service.name not in build.services:
            continue
        working_dir = project.written_value(service, "working_dir") or image_workdir
        if working_dir and "$" not in working_dir:
            found += project.mounted_paths(service, working_dir)
    return found


def _copied_folders(build: ImageBuild) -> list[Path]:
    """The folders of the context the image's stages copy whole (``COPY ./django_app/src /app/``): the code the
    server imports, wherever it lies in the context (the walk of :func:`_search_roots` is bounded)."""
    if build.dockerfile is None:
        return []
    return [path for path in plain_copy_sources(build.dockerfile, build.context)
            if path != build.context and os.path.isdir(path)]


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
