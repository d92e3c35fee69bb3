"""DJC004 unused-suppression: a suppression comment suppresses nothing."""

from __future__ import annotations

from collections.abc import Iterable

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import BARE_APP_DOCKERFILE, MANAGE


@rule("DJC004", "unused-suppression", Severity.INFO, examples=[
    Example("nothing-to-suppress", {"Dockerfile": BARE_APP_DOCKERFILE + "# djcheck: ignore[DJC101]\n"
                                    "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
                                    ".dockerignore": ".git\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 4),)),
    Example("bare-ignore-file", {"compose.yaml": "# djcheck: ignore-file\nservices:\n  web:\n    image: app:1.0\n"
                                                 "    command: gunicorn --bind 0.0.0.0:8000 app.wsgi\n"},
            expect=(("compose.yaml", 1),)),
    Example("used-above-instruction", {"Dockerfile": BARE_APP_DOCKERFILE + "# djcheck: ignore[DJC101]\n"
                                       "CMD python manage.py \\\n    runserver\n", "manage.py": MANAGE}),
    Example("used-at-end-of-line", {
        "compose.yaml": "services:\n  web:\n    build: .\n"
                        "    command: python manage.py runserver  # djcheck: ignore[compose-runserver-without-bind]\n",
        "Dockerfile": BARE_APP_DOCKERFILE, "manage.py": MANAGE}),
])
def unused_suppression(project: Project) -> Iterable[Violation]:
    """A suppression comment suppresses nothing.

    ## What it does
    Reports a `# djcheck: ignore[...]` comment, or one code in it, that matches no
    finding on the lines it covers, and an `ignore-file` that matches none in its
    file. Codes of rules that did not run (deselected) are not reported.

    ## Why is this bad?
    The problem was fixed or moved, and the stale comment would hide it if it came
    back; it also tells readers of the file something that is no longer true.

    ## Example
    ```dockerfile
    # djcheck: ignore[DJC101]
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi"]
    ```
    Use instead: remove the comment.

    ## References
    - [ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
    """
    return ()  # the engine reports it: only after every rule has run is a comment known to be unused
