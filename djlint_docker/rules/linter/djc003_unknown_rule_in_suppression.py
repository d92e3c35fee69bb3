"""DJC003 unknown-rule-in-suppression: a suppression comment or the configuration names a rule that does not exist."""

from __future__ import annotations

from collections.abc import Iterable

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import BARE_APP_DOCKERFILE, MANAGE


@rule("DJC003", "unknown-rule-in-suppression", Severity.WARNING, examples=[
    Example("unknown-code", {"compose.yaml": "services:\n  web:\n    image: nginx:1.27  # djcheck: ignore[DJC999]\n"},
            expect=(("compose.yaml", 3),)),
    Example("misspelt-name", {"Dockerfile": "# djcheck: ignore[runserver-without-bnd]\nFROM python:3.12-slim\n",
                              "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("misspelt-directive", {"Dockerfile": BARE_APP_DOCKERFILE + "# djcheck: ingore[DJC101]\n"
                                   "CMD python manage.py runserver\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 4),)),
    Example("unknown-code-in-config", {".djcheck.toml": 'ignore = ["DJC310", "DJC9"]\n',
                                       "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n"},
            expect=((".djcheck.toml", 1),)),
    Example("known-code-prefix-and-name", {
        "Dockerfile": "# djcheck: ignore[DJC1, dockerignore-missing]\nFROM python:3.12-slim\n", "manage.py": MANAGE}),
])
def unknown_rule_in_suppression(project: Project) -> Iterable[Violation]:
    """A suppression comment or the configuration names a rule that does not exist.

    ## What it does
    Reports each code, prefix or name in a `# djcheck: ignore[...]` or
    `# djcheck: ignore-file[...]` comment, or in the configuration (`select`, `ignore`,
    `per-file-ignores`, `severity`), that names no djcheck rule; and a `# djcheck:`
    comment whose directive is neither `ignore` nor `ignore-file`.

    ## Why is this bad?
    A misspelt code suppresses nothing: the finding it was meant to silence still
    appears, or a rule meant to be off stays on, and nobody sees why.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27  # djcheck: ignore[DJC999]
    ```
    Use instead: a code from `djcheck --list-rules`, such as `DJC210`.

    ## References
    - [ruff: `# noqa` and RUF100](https://docs.astral.sh/ruff/linter/#error-suppression)
    """
    return ()  # the engine reports it: it alone reads the comments of every file and the configuration
