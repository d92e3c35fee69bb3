"""Which variable names hold a secret: for the Dockerfile's ENV/ARG, the compose environment and the context."""

from __future__ import annotations

import re

SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY", re.I)


def secret_name(name: str) -> bool:
    """Whether a variable name holds a secret (``*_FILE``/``*_PATH`` name a file instead)."""
    return bool(SECRET_NAME.search(name)) and not re.search(r"_(FILE|PATH|DIR)$", name, re.I)
