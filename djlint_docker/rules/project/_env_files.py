"""Which files are env files, and which of them are examples meant to be copied."""

from __future__ import annotations

import re
from pathlib import Path

EXAMPLE_ENV = re.compile(r"[._-](example|sample|template|dist|tpl|defaults?)$|^\.env\.(example|sample|template)", re.I)


def is_env_file(path: Path) -> bool:
    """``.env``, ``.env.prod``, ``prod.env``: an env file that is not an example to copy."""
    return is_env_name(path.name)


def is_env_name(name: str) -> bool:
    """Whether a file of this name is an env file that is not an example to copy."""
    return (name == ".env" or name.startswith(".env.") or name.endswith(".env")) and not EXAMPLE_ENV.search(name)
