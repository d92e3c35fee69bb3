"""Which variable names hold a secret: for the Dockerfile's ENV/ARG, the compose environment and the context."""

from __future__ import annotations

import re

SECRET_WORDS = ("SECRET", "PASSWORD", "PASSWD", "TOKEN", "APIKEY")
"""The words that end a secret's name (``DB_PASSWORD``, ``GITHUB_TOKEN``, ``JWT_SECRET``, ``APIKEY``)."""
KEY_OWNERS = {"API", "PRIVATE", "SECRET"}
"""The words before a final ``KEY`` that make it a secret (``API_KEY``, ``PRIVATE_KEY``, ``SECRET_KEY``)."""
KEPT_SECRET = {"FALLBACK", "FALLBACKS", "OLD", "PREVIOUS"}
"""Words after the secret's that still name secrets: Django's ``SECRET_KEY_FALLBACKS``, ``SECRET_KEY_OLD``."""
WORD = re.compile(r"[A-Z]+[0-9]*|[0-9]+")


def secret_name(name: str) -> bool:
    """Whether a variable name holds a secret: its last part is the secret's word.

    ``API_KEY``, ``DB_PASSWORD``, ``AWS_SECRET_ACCESS_KEY``, ``SECRET_KEY`` and
    ``SECRET_KEY_FALLBACKS`` (the old keys) hold one; ``API_KEY_RATE_LIMIT``,
    ``PASSWORD_RESET_TIMEOUT``, ``TOKEN_URL`` and ``POSTGRES_PASSWORD_FILE`` (``*_PATH``,
    ``*_DIR``) name something about a secret, not the secret.
    """
    words = WORD.findall(re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).upper())
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in KEPT_SECRET):
        words.pop()  # SECRET_KEY_2, SECRET_KEY_FALLBACKS
    if not words:
        return False
    last = words[-1].rstrip("0123456789")
    if last.endswith(SECRET_WORDS):
        return True
    return last in {"KEY", "KEYS"} and any(word in KEY_OWNERS for word in words[:-1])
