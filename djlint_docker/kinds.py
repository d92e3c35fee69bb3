"""What kind of file a path is: the one table that discovery, the fixer, suppressions and the pre-commit hook read.

Each kind is known by the file's name (and, for requirements, its folder's). The
pre-commit hook's ``files:`` pattern is built from the same table
(:data:`HOOK_FILES`; a test holds ``.pre-commit-hooks.yaml`` to it): a commit that
touches a file of one of these kinds runs the hook. For Python, only the modules that
say how Django starts and is configured trigger it, not every module of the project.
"""

from __future__ import annotations

import re
from pathlib import PurePath

#: (kind, the names it covers, the names that trigger the pre-commit hook), first match wins.
TABLE: tuple[tuple[str, str, str], ...] = (
    ("dockerignore", r"[^/]*\.dockerignore", r"[^/]*\.dockerignore"),  # Dockerfile.dockerignore: before Dockerfile
    ("dockerfile", r"Dockerfile(?:[.-][\w.-]+)?|[\w.-]+\.[Dd]ockerfile|dockerfile",  # Docker reads `dockerfile` too
     r"Dockerfile(?:[.-][\w.-]+)?|[\w.-]+\.[Dd]ockerfile|dockerfile"),
    ("compose", r"(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml", r"(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml"),
    ("requirements", r"(?:[^/]*/)?requirements[^/]*\.(?:txt|in)|requirements/[^/]*\.(?:txt|in)",
     r"requirements[^/]*\.(?:txt|in)|requirements/[^/]*\.(?:txt|in)"),
    ("env", r"\.env[^/]*|[^/]*\.env", r"\.env[^/]*|[^/]*\.env"),
    ("gitignore", r"\.gitignore", r"\.gitignore"),
    ("python", r"[^/]*\.py", r"settings[^/]*\.py|settings/[^/]*\.py|manage\.py|wsgi\.py|asgi\.py"),
    ("script", r"[^/]*\.sh", r"[^/]*\.sh"),
    ("configuration", r"\.djcheck\.toml|pyproject\.toml", r"\.djcheck\.toml|pyproject\.toml"),
)
_KINDS = [(name, re.compile(rf"(?:[^/]*/)?(?:{pattern})")) for name, pattern, _ in TABLE]
HOOK_FILES = r"(^|/)(" + "|".join(hook for _, _, hook in TABLE) + r")$"


def kind(path: PurePath) -> str | None:
    """The kind of the file at ``path`` (``"dockerfile"``, ``"compose"``, ...), or None when djcheck has none for it."""
    named = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    return next((name for name, pattern in _KINDS if pattern.fullmatch(named)), None)
