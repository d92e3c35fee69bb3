"""What a file's, stage's or module's name says of it: made for development, or for production."""

from __future__ import annotations

import re

DEVELOPMENT_WORDS = re.compile(r"(?:^|[^a-z0-9])(?:dev|devel|develop|development|devcontainer|local|test|tests|testing"
                               r"|integration|ci|debug)"
                               r"(?:[^a-z0-9]|$)", re.I)
PRODUCTION_WORDS = re.compile(r"(?:^|[^a-z0-9])(?:prod|production|(?<!local.)(?<!dev.)deploy(?:ment)?"
                              r"(?![^a-z0-9]local(?:[^a-z0-9]|$))|staging|live"
                              r"|release|beta|preprod|uat|qa|heroku)(?:[^a-z0-9]|$)", re.I)
"""The words that name a file, stage or module for development or for production (``docker-compose.dev.yml``,
``settings/production.py``, ``Dockerfile.prod``, a deployed test environment's ``docker-compose.beta.yml``,
``preprod``, ``uat``, ``qa``), as a part of the name; a deployment on the developer's machine is
not production's (``local_deploy.yml``, ``dev-deployment``, ``deploy_local/``)."""


TRUE_WORDS = ("1", "true", "yes", "on")
"""The values a boolean environment variable is on with (``DEBUG=True``, read case-insensitively)."""

COMPOSE_KNOWS = frozenset({"PWD", "COMPOSE_PROJECT_NAME", "HOME", "USER", "LOGNAME", "PATH", "SHELL"})
"""Variables Compose always has for interpolation: the shell's own, and the project's name; never ``.env``'s."""

PLATFORM_MARKERS = frozenset({"RENDER", "DYNO", "RAILWAY_ENVIRONMENT", "FLY_APP_NAME", "K_SERVICE", "VERCEL",
                              "WEBSITE_HOSTNAME", "GAE_ENV"})
"""Variables a hosting platform sets in every process it runs (Render, Heroku, Railway, Fly.io, Cloud Run, Vercel,
Azure App Service, App Engine): settings that test them (``DEBUG = 'RENDER' not in os.environ``) tell that platform
from everywhere else, and nobody forgets to set them."""
