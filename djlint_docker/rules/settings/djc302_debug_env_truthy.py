"""DJC302 debug-env-truthy: DEBUG is read from the environment so that "False" and "0" turn it on."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import Unknown, env_reads
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import each_binding, evaluated, location_of
from djlint_docker.rules.settings._debug import debug_fix
from djlint_docker.rules.settings._development import DEV_AND_PROD
from djlint_docker.rules.snippets import SETTINGS_SETUP


@rule("DJC302", "debug-env-truthy", Severity.ERROR, fix="unsafe", examples=[
    Example("bool-of-string", {**SETTINGS_SETUP, "app/settings.py":
                               "import os\nDEBUG = bool(os.environ.get('DEBUG', False))\n"},
            expect=(("app/settings.py", 2),)),
    Example("getenv-as-is", {**SETTINGS_SETUP, "app/settings.py": "import os\n\nDEBUG = os.getenv('DJANGO_DEBUG')\n"},
            expect=(("app/settings.py", 3),)),
    Example("development-settings-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD,
        "app/settings/dev.py": "import os\nfrom .base import *\nDEBUG = bool(os.getenv('DEBUG', 1))\n"}),
    Example("compared", {**SETTINGS_SETUP, "app/settings.py":
                         "import os\nDEBUG = os.environ.get('DJANGO_DEBUG') == 'True'\n"}),
    Example("int-cast", {**SETTINGS_SETUP, "app/settings.py":
                         "import os\nDEBUG = bool(int(os.environ.get('DEBUG', 0)))\n"}),
    Example("lowered-membership", {**SETTINGS_SETUP, "app/settings.py":
                                   "import os\nDEBUG = os.getenv('DEBUG', '').lower() in ('1', 'true', 'yes')\n"}),
    Example("truthy-string-compared", {**SETTINGS_SETUP, "app/settings.py":
                                       "import os\nDEBUG = bool(os.environ.get(\"DEBUG\"))\nX = 1\n"},
            expect=(("app/settings.py", 2),),
            fixed={"app/settings.py": "import os\n"
                                      "DEBUG = os.environ.get('DEBUG', '0').lower() in ('1', 'true', 'yes', 'on')\n"
                                      "X = 1\n"}),
])
def debug_env_truthy(project: Project) -> Iterator[Violation]:
    """DEBUG is read from the environment so that "False" and "0" turn it on.

    ## What it does
    Evaluates `DEBUG` with its environment variable set to `"False"` and to `"0"`;
    reports it when both come out true: `bool(os.environ.get("DEBUG"))`,
    `os.environ.get("DEBUG", False)` used as is, `os.getenv("DEBUG")` without a
    comparison. Settings only development containers load are not reported when the
    project also has a deployed configuration.

    ## Why is this bad?
    Environment variables are strings, and every non-empty string is true:
    `DEBUG=False` in the environment switches DEBUG **on** in production.

    ## Example
    ```python
    DEBUG = bool(os.environ.get("DEBUG", False))
    ```
    Use instead:
    ```python
    DEBUG = os.environ.get("DEBUG", "0").lower() in ("1", "true", "yes")
    ```

    ## Fix safety
    Unsafe: the accepted spellings of "on" change.

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (`DEBUG = os.environ.get('DJANGO_DEBUG') == "True"`)
    """
    for settings, binding in each_binding(project, "DEBUG"):
        if project.development_only(binding):
            continue  # loaded by development containers only, and the project is deployed with other settings
        for read in env_reads(binding.node, settings.bindings):  # type: ignore[arg-type]
            variable = read.variable
            try:
                truthy = all(evaluated(settings, binding, {variable: text}) for text in ("False", "0"))
            except Unknown:
                continue
            if truthy:
                yield Violation(location_of(binding), f"DEBUG reads {variable} as a string: {variable}=False and "
                                              f"{variable}=0 turn DEBUG on; compare the value, e.g. "
                                              f"os.environ.get({variable!r}, '0') == '1'",
                                fix=debug_fix(project, settings, binding))
                break
