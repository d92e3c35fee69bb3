"""DJC303 secret-key-hardcoded: `SECRET_KEY` is written in the settings."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import env_reads
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import hardcoded_secret_keys, location_of
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY
from djlint_docker.rules.snippets import SETTINGS_FROM_ENVIRONMENT, SETTINGS_SETUP, STARTPROJECT_SETTINGS


@rule("DJC303", "secret-key-hardcoded", Severity.ERROR, examples=[
    Example("startproject", {**SETTINGS_SETUP, "app/settings.py": STARTPROJECT_SETTINGS},
            expect=(("app/settings.py", 6),)),
    Example("literal-fallback", {
        **SETTINGS_SETUP,
        "app/settings.py": "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', '<a string of random characters>')\n"},
        expect=(("app/settings.py", 2),)),
    Example("development-settings-of-a-project-deployed-elsewhere", DEV_AND_PROD),
    Example("development-settings-are-all-it-has", DEV_ONLY, expect=(("app/settings/dev.py", 4),)),
    Example("debugging-server-key", {**SETTINGS_SETUP, "app/settings.py":
                                     "import os\nDEBUG = os.environ.get('DEBUG', 'on') == 'on'\n"
                                     "SECRET_KEY = 'dev-key' if DEBUG else os.environ['SECRET_KEY']\n"}),
    Example("debugging-server-branch", {**SETTINGS_SETUP, "app/settings.py":
                                        "import os\nDEBUG = os.environ.get('DEBUG', 'on') == 'on'\nif DEBUG:\n"
                                        "    SECRET_KEY = 'dev-key'\nelse:\n"
                                        "    SECRET_KEY = os.environ['SECRET_KEY']\n"}),
    Example("deployed-side-falls-back", {**SETTINGS_SETUP, "app/settings.py":
                                         "import os\nDEBUG = os.environ.get('DEBUG', 'on') == 'on'\n"
                                         "SECRET_KEY = 'dev-key' if DEBUG else os.environ.get('SECRET_KEY', 'x7')\n"},
            expect=(("app/settings.py", 3),)),
    Example("from-environment", {**SETTINGS_SETUP, "app/settings.py": SETTINGS_FROM_ENVIRONMENT}),
    Example("environ-fallback", {**SETTINGS_SETUP, "app/settings.py":
                                 "import environ\nenv = environ.Env()\n"
                                 "SECRET_KEY = env.str('SECRET_KEY', default='dev-only-key')\n"},
            expect=(("app/settings.py", 3),)),
    Example("getenv-without-default", {**SETTINGS_SETUP, "app/settings.py":
                                       "import os\nSECRET_KEY = os.getenv('SECRET_KEY')\n"}),
    Example("decouple-required", {**SETTINGS_SETUP, "app/settings.py":
                                  "from decouple import config\nSECRET_KEY = config('SECRET_KEY')\n"}),
])
def secret_key_hardcoded(project: Project) -> Iterator[Violation]:
    """`SECRET_KEY` is written in the settings.

    ## What it does
    Reports `SECRET_KEY` when it is a literal, or when it falls back to a literal while
    its environment variable is unset (`django-insecure-…` keys from `startproject`
    included). A key only a debugging server uses (`"dev" if DEBUG else ...`, or under
    `if DEBUG:`) is left to DJC301, which reports DEBUG on. A key in settings that only
    development containers load is not reported when the project also has a deployed
    configuration that loads other settings.

    ## Why is this bad?
    The key signs sessions, password-reset links and messages. Committed, it is known
    to everyone with the code, who can forge them; a fallback means production runs
    with it as soon as the variable is missing.

    ## Example
    ```python
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")
    ```
    Use instead:
    ```python
    SECRET_KEY = os.environ["SECRET_KEY"]
    ```

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (SECRET_KEY from the environment)
    - [Django deployment checklist: SECRET_KEY](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key)
    """
    for settings, binding, value in hardcoded_secret_keys(project):
        variables = [read.variable for read in env_reads(binding.node, settings.bindings)]  # type: ignore[arg-type]
        shown = value if len(value) <= 24 else value[:21] + "..."
        how = f"falls back to the literal {shown!r} when {variables[0]} is unset" if variables else \
            f"is the literal {shown!r}"
        yield Violation(location_of(binding), f"SECRET_KEY {how}; read it from the environment with no default")
