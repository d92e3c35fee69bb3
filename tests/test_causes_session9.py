"""Causes found on real repositories in the ninth session's review (the thirty-fifth)."""

from __future__ import annotations

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

# `prod.yml` builds the site and names an nginx whose image only the overlays give; `prod.certbot.yml` adds that
# image (and turns HTTPS on for web), `prod.dev.yml` runs the same stack for development.
PROD = ("services:\n  nginx:\n    depends_on:\n      - web\n  web:\n    build: .\n"
        "    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n    environment:\n      - USE_HTTPS=0\n")
CERTBOT = ("services:\n  nginx:\n    image: staticfloat/nginx-certbot:1.3\n    ports:\n      - 443:443\n"
           "  web:\n    environment:\n      - USE_HTTPS=1\n")
DEV = ("services:\n  nginx:\n    build: ./nginx\n    ports:\n      - 9000:9000\n"
       "  web:\n    environment:\n      - DEBUG=1\n    volumes:\n      - ./app:/app/app\n")
OVERLAYS = {"prod.yml": PROD, "prod.certbot.yml": CERTBOT, "prod.dev.yml": DEV, "Dockerfile": APP_DOCKERFILE,
            "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = False\n"}


def test_of_two_files_that_add_to_each_other_the_one_more_files_build_on_is_the_base(tmp_path):
    write_files(tmp_path, OVERLAYS)
    stacks = {tuple(path.name for path in setup.compose_files) for setup in discover([tmp_path])}
    assert stacks == {("prod.yml", "prod.certbot.yml"), ("prod.yml", "prod.dev.yml")}


def test_an_overlay_named_for_development_makes_a_development_variant_of_production(tmp_path):
    write_files(tmp_path, OVERLAYS)
    setups = discover([tmp_path])
    reasons = {}
    for setup in setups:
        project = Project(setup, tmp_path, siblings=setups)
        [run] = project.django_runs
        reasons[setup.compose_files[-1].name] = project.development(run)
    assert reasons == {"prod.certbot.yml": None, "prod.dev.yml": "prod.dev.yml is named for development"}


def test_the_production_settings_a_development_stack_does_not_load_are_checked(tmp_path):
    """The stack runs `settings.dev`; `production.py` only star-imports `base.py`, whose DEBUG is on."""
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                        "    volumes:\n      - .:/app\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE.replace("app.settings", "app.settings.dev"),
        "app/__init__.py": "", "app/settings/__init__.py": "",
        "app/settings/base.py": "INSTALLED_APPS = []\nDEBUG = True\n",
        "app/settings/dev.py": "from .base import *\nDEBUG = True\n",
        "app/settings/production.py": "from .base import *\n"})
    [finding] = [f for f in lint(tmp_path) if f.code == "DJC301"]
    assert (finding.path, finding.line) == ("app/settings/base.py", 2)
    assert "the production settings app/settings/production.py" in finding.message
