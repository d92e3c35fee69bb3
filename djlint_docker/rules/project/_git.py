"""What git keeps out of the project, and the secrets an env file would publish if committed."""

from __future__ import annotations

import re
from pathlib import Path

from djlint_docker.project import Project
from djlint_docker.rules.dockerfile._secrets import secret_name


def in_git(project: Project) -> bool:
    """Whether the project is under git: a ``.git`` at its boundary or a ``.gitignore`` beside the compose file."""
    return (project.boundary / ".git").exists() or (project.root / ".gitignore").is_file()


PLACEHOLDER = re.compile(r"(change|replace|set)[-_ ]?(me|this|it)\b.*|your[-_ ].*|<[^>]*>|x{3,}|\.{3}|todo|fixme|"
                         r"placeholder|secret[-_ ]?here", re.I)
"""Values a distributed env file gives a secret for the user to replace (``change-me``, ``<your key>``)."""


def env_secrets(project: Project, path: Path) -> list[tuple[str, int]]:
    """The secrets (``SECRET_KEY``, ``*PASSWORD*``...) an env file gives a value, with their lines.

    A placeholder the user is told to replace (``PAPERLESS_SECRET_KEY=change-me``) is no secret.
    """
    return [(name, var.line) for name, var in project.env_file(path).items()
            if secret_name(name) and var.value and not PLACEHOLDER.fullmatch(var.value.strip())]
