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
BROWSER_PUBLIC = re.compile(r"(?:NEXT_PUBLIC|NUXT_PUBLIC|EXPO_PUBLIC|REACT_APP|VITE|GATSBY|PUBLIC)_", re.I)
"""The prefixes a frontend build compiles into the JavaScript every browser downloads (Next.js, Nuxt, Expo, Create
React App, Vite, Gatsby, SvelteKit): public by design, as Mapbox's ``pk.`` token is."""


def secret_name(name: str) -> bool:
    """Whether a variable name holds a secret: its last part is the secret's word.

    ``API_KEY``, ``DB_PASSWORD``, ``AWS_SECRET_ACCESS_KEY``, ``SECRET_KEY`` and
    ``SECRET_KEY_FALLBACKS`` (the old keys) hold one; ``API_KEY_RATE_LIMIT``,
    ``PASSWORD_RESET_TIMEOUT``, ``TOKEN_URL`` and ``POSTGRES_PASSWORD_FILE`` (``*_PATH``,
    ``*_DIR``) name something about a secret, not the secret; ``REACT_APP_MAPBOX_TOKEN`` and ``NEXT_PUBLIC_API_KEY``
    (:data:`BROWSER_PUBLIC`) are compiled into the frontend every visitor downloads: public by design.
    """
    if BROWSER_PUBLIC.match(name):
        return False  # REACT_APP_MAPBOX_ACCESS_TOKEN: in the bundle every visitor downloads
    words = WORD.findall(re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).upper())
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in KEPT_SECRET):
        words.pop()  # SECRET_KEY_2, SECRET_KEY_FALLBACKS
    if not words:
        return False
    last = words[-1].rstrip("0123456789")
    if last.endswith(SECRET_WORDS):
        return True
    return last in {"KEY", "KEYS"} and any(word in KEY_OWNERS for word in words[:-1])
