"""Causes found on real repositories in the eighth session's review (the thirty-first)."""

from __future__ import annotations

from conftest import lint, write_files

from djlint_docker.rules.snippets import COPY_ALL, MANAGE

# The README says `cp .env.example .env`; git ignores the .env, so a fresh clone lacks it and the .dockerignore
# written for the clone as it is lets it through once it is made.
ENV_FROM_TEMPLATE = {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": ".env\n",
                     ".env.example": "DJANGO_SECRET_KEY=\nDEBUG=0\n"}


def test_a_missing_dockerignore_names_the_env_file_each_clone_makes(tmp_path):
    write_files(tmp_path, ENV_FROM_TEMPLATE)
    [finding] = [f for f in lint(tmp_path) if f.code == "DJC401"]
    assert ".env (once made from .env.example) go" in finding.message


def test_an_incomplete_dockerignore_names_the_template_in_a_folder_of_templates(tmp_path):
    write_files(tmp_path, {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n",
                           ".gitignore": ".envs\n", "config/envs_template/django/.env.local": "DJANGO_SECRET_KEY=\n"})
    [finding] = [f for f in lint(tmp_path) if f.code == "DJC402"]
    assert "config/.envs/django/.env.local (once made from config/envs_template/django/.env.local)" in finding.message
