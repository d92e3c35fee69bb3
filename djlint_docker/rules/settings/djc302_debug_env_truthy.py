"""DJC302 debug-env-truthy: DEBUG is read from the environment so that "False", "0" or another "off" turns it on."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.env_reads import DECOUPLE_BOOLEANS
from djlint_docker.parse.settings import Assignment, Unknown, env_reads
from djlint_docker.project import Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import depends_on_environment, each_binding, evaluated, location_of
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
    # `1 or ...` never reads the variable: DEBUG is on whatever it says, which DJC301 reports.
    Example("variable-never-reached", {**SETTINGS_SETUP, "app/settings.py":
            "import os\n\nDEBUG = 1 or os.getenv('DEBUG')\n"}),
    Example("compared", {**SETTINGS_SETUP, "app/settings.py":
                         "import os\nDEBUG = os.environ.get('DJANGO_DEBUG') == 'True'\n"}),
    Example("environment-name", {**SETTINGS_SETUP, "app/settings.py":
                                 "import os\n\nDEBUG = os.environ.get('APP_ENV', 'development') != 'production'\n"}),
    Example("environment-name-beside-a-string-switch", {**SETTINGS_SETUP, "app/settings.py":
                                                         "import os\n\nDEBUG = os.getenv('DJANGO_DEBUG')\n"
                                                         "if os.getenv('APP_ENV') == 'production':\n"
                                                         "    DEBUG = False\n"}, expect=(("app/settings.py", 3),)),
    Example("int-cast", {**SETTINGS_SETUP, "app/settings.py":
                         "import os\nDEBUG = bool(int(os.environ.get('DEBUG', 0)))\n"}),
    Example("compared-with-one-spelling-of-false", {
        **SETTINGS_SETUP, "app/settings.py": "import os\n\nDEBUG = os.environ.get('DEBUG', 'False') != 'False'\n"},
            expect=(("app/settings.py", 3),)),
    Example("zero-is-off-but-false-is-on", {**SETTINGS_SETUP, "app/settings.py":
                                            "import os\nDEBUG = os.getenv('DJANGO_DEBUG', '0') != '0'\n"},
            expect=(("app/settings.py", 2),)),
    Example("lowered-and-compared-with-every-off", {**SETTINGS_SETUP, "app/settings.py":
                                                    "import os\nDEBUG = os.getenv('DEBUG', 'off').lower() not in "
                                                    "('false', '0', 'no', 'off', '')\n"}),
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
    """DEBUG is read from the environment so that "False", "0" or another "off" turns it on.

    ## What it does
    Evaluates `DEBUG` with its environment variable set to each usual spelling of
    "off": `"False"`, `"false"`, `"0"`, `"no"` and `"off"`; reports it when any of them
    comes out true, and says which: `bool(os.environ.get("DEBUG"))`,
    `os.environ.get("DEBUG", False)` used as is, `os.getenv("DEBUG")` without a
    comparison, and a comparison with one spelling only
    (`os.environ.get("DEBUG", "False") != "False"`, where `DEBUG=false` or `DEBUG=0`
    turns it on). A spelling the expression cannot read at all (`int("no")` stops
    Django at start-up) does not count, nor does a comparison with an environment's name
    (`os.environ["APP_ENV"] != "production"`): that variable is no switch. Settings only development containers load are
    not reported when the project also has a deployed configuration.

    ## Why is this bad?
    Environment variables are strings, and every non-empty string is true:
    `DEBUG=False` in the environment switches DEBUG **on** in production. A comparison
    with one spelling of "off" does the same to the others: whoever writes `DEBUG=0`
    or `DEBUG=false` in the deployment's environment gets DEBUG on.

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
        if binding.node is not None and _compared_with_a_name(binding.node):
            continue  # `os.environ["APP_ENV"] != "production"`: an environment's name, not a switch
        for read in env_reads(binding.node, settings.bindings):  # type: ignore[arg-type]
            variable = read.variable
            turn_on = [text for text in OFF_SPELLINGS if _on(settings, binding, variable, text)]
            if turn_on and not depends_on_environment(settings, binding, [variable]):
                continue  # `DEBUG = 1 or os.getenv("DEBUG")`: on whatever the variable says, DJC301's finding
            if turn_on:
                spelled = " and ".join(f"{variable}={text}" for text in turn_on)
                verb = "turns" if len(turn_on) == 1 else "turn"
                how = "as a string" if len(turn_on) == len(OFF_SPELLINGS) else "comparing with one spelling of off"
                yield Violation(location_of(binding), f"DEBUG reads {variable} {how}: {spelled} {verb} DEBUG on; "
                                              f"compare the value, e.g. os.environ.get({variable!r}, '0').lower() "
                                              "in ('1', 'true', 'yes', 'on')",
                                fix=debug_fix(project, settings, binding))
                break


SWITCH_WORDS = frozenset(DECOUPLE_BOOLEANS) | {""}
"""The strings a switch is compared with; any other word (``"production"``) names an environment."""


def _compared_with_a_name(node: ast.AST) -> bool:
    """Whether the expression compares with a string that is no spelling of on or off (``!= "production"``)."""
    for compare in ast.walk(node):
        if not isinstance(compare, ast.Compare):
            continue
        for operand in (compare.left, *compare.comparators):
            values = operand.elts if isinstance(operand, (ast.Tuple, ast.List, ast.Set)) else [operand]
            if any(isinstance(value, ast.Constant) and isinstance(value.value, str)
                   and value.value.strip().lower() not in SWITCH_WORDS for value in values):
                return True
    return False


OFF_SPELLINGS = ("False", "false", "0", "no", "off")
"""How people write "off" in an environment: each must leave DEBUG off."""


def _on(settings: Settings, binding: Assignment, variable: str, text: str) -> bool:
    """Whether DEBUG comes out true with ``variable`` set to ``text`` (a value the expression cannot read: no)."""
    try:
        return bool(evaluated(settings, binding, {variable: text}))
    except Unknown:
        return False
