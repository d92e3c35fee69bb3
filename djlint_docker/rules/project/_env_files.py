"""Which files are env files, and which of them are templates meant to be copied."""

from __future__ import annotations

from pathlib import Path

from djlint_docker.files import TEMPLATE_NAME

EXAMPLE_ENV = TEMPLATE_NAME
"""A template's name (``.env.example``, ``.env.dev-sample``, ``TEMPLATE.env``): the definition
:meth:`ProjectFiles.template_for <djlint_docker.files.ProjectFiles.template_for>` uses too."""


def is_env_file(path: Path) -> bool:
    """``.env``, ``.env.prod``, ``prod.env``: an env file that is not a template to copy."""
    return is_env_name(path.name)


def is_env_name(name: str) -> bool:
    """Whether a file of this name is an env file that is not a template to copy."""
    return (name == ".env" or name.startswith(".env.") or name.endswith(".env")) and not EXAMPLE_ENV.search(name)
