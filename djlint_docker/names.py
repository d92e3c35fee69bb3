"""What a file's, stage's or module's name says of it: made for development, or for production."""

from __future__ import annotations

import re

DEVELOPMENT_WORDS = re.compile(r"(?:^|[^a-z0-9])(?:dev|devel|develop|development|devcontainer|local|test|tests|testing"
                               r"|integration|ci|debug)"
                               r"(?:[^a-z0-9]|$)", re.I)
PRODUCTION_WORDS = re.compile(r"(?:^|[^a-z0-9])(?:prod|production|deploy|deployment|staging|live|release)"
                              r"(?:[^a-z0-9]|$)", re.I)
"""The words that name a file, stage or module for development or for production (``docker-compose.dev.yml``,
``settings/production.py``, ``Dockerfile.prod``), as a part of the name."""
