"""The template a README says to copy (``Copy file `.env.local` to `.env```) is the one a fresh clone's ``.env``
will hold, of several committed; Celery's Flower reads the broker and never the database (DJC202)."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.files import ProjectFiles
from djlint_docker.rules.snippets import MANAGE


@pytest.mark.parametrize("instruction", [
    "1. Copy file `.env.local` to `.env`", "    cp .env.local .env", "$ cp -n ./.env.local ./.env",
    "Rename the file .env.local to .env and fill it in", "copy `.env.local` as `.env`",
])
def test_the_template_the_readme_names_comes_first(tmp_path, instruction):
    (tmp_path / "README.md").write_text(f"# Shop\n\n{instruction}\n")
    (tmp_path / ".env.example").write_text("DEBUG=\n")
    (tmp_path / ".env.local").write_text("DEBUG=1\nDATABASE_URL=postgres://db/shop\n")
    assert ProjectFiles(tmp_path, tmp_path).template_for(tmp_path / ".env") == tmp_path / ".env.local"


@pytest.mark.parametrize("instruction", ["cp .env.local .env.test", "cp .env.missing .env", "Copy .env to .env"])
def test_other_instructions_leave_the_usual_template(tmp_path, instruction):
    (tmp_path / "README.md").write_text(f"{instruction}\n")
    (tmp_path / ".env.example").write_text("DEBUG=\n")
    (tmp_path / ".env.local").write_text("DEBUG=1\n")
    assert ProjectFiles(tmp_path, tmp_path).template_for(tmp_path / ".env") == tmp_path / ".env.example"


def test_flower_depends_on_the_broker_not_the_database(tmp_path):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n  broker:\n    image: redis:7\n"
                        "  flower:\n    build: .\n    env_file: .env\n    command: celery -A shop.celery flower\n",
        ".env": "DATABASE_HOST=db\nCELERY_BROKER_URL=redis://broker:6379/0\n",
        "shop/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
                            "'HOST': os.environ['DATABASE_HOST']}}\nCELERY_BROKER_URL = os.environ['CELERY_BROKER_URL']\n",
        "shop/celery.py": "import os\nfrom celery import Celery\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                          "'shop.settings')\napp = Celery('shop')\n",
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "manage.py": MANAGE})
    assert [f.message.split(" (")[0] for f in lint(tmp_path) if f.code == "DJC202"] == [
        "service flower connects to broker"]


def test_a_template_named_for_a_stack_of_its_own_is_not_taken_from_the_readme(tmp_path):
    """``cp dev.env .env`` for development, while the deployment docs copy ``prod.env``: not a variant of .env."""
    (tmp_path / "README.md").write_text("$ cp dev.env .env\n")
    (tmp_path / "dev.env").write_text("DEBUG=1\n")
    (tmp_path / "prod.env").write_text("DEBUG=0\n")
    assert ProjectFiles(tmp_path, tmp_path).template_for(tmp_path / ".env") is None
