"""DJC001 parse-error: a file of the setup cannot be parsed."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE


@rule("DJC001", "parse-error", Severity.ERROR, examples=[
    Example("broken-yaml", {"compose.yaml": "services:\n  web:\n    image: [python\n"}, expect=(("compose.yaml", 4),)),
    Example("python-syntax-error", {"compose.yaml": "services:\n  web:\n    build: .\n",
                                    "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE,
                                    "app/settings.py": "DEBUG = (\n"}, expect=(("app/settings.py", 1),)),
    Example("unterminated-heredoc", {"Dockerfile": "FROM python:3.12-slim\nRUN <<EOF\npip install django\n",
                                     "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("requirements-through-copy", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements/ reqs/\n"
                      "RUN pip install --no-cache-dir -r reqs/prod.txt\n",
        "requirements/prod.txt": "-r base.txt\ngunicorn==23.0.0\n", "requirements/base.txt": "django>=5.0,,\n",
        "manage.py": MANAGE}, expect=(("requirements/base.txt", 1),)),
    Example("wrong-types-each-reported", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    ports: 8000\n    command: {run: server}\n"},
        expect=(("compose.yaml", 4), ("compose.yaml", 5))),
    Example("valid-files", {"compose.yaml": "services:\n  web:\n    build: .\n",
                            "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE,
                            "app/settings.py": "DEBUG = False\n"}),
])
def parse_error(project: Project) -> Iterator[Violation]:
    """A file of the setup cannot be parsed.

    ## What it does
    Reports a Dockerfile, compose file, settings module, requirements file, `.env` or
    script that its parser rejects, with the parser's own words and position.

    ## Why is this bad?
    Docker, Compose or Django would refuse the same file. djcheck skips what it cannot
    read and still checks every other file, so this finding is the only trace of it.

    ## Example
    ```yaml
    services:
      web:
        image: [python
    ```
    Use instead:
    ```yaml
    services:
      web:
        image: python:3.12-slim
    ```

    ## References
    - [Compose file reference](https://docs.docker.com/reference/compose-file/)
    - [Dockerfile reference](https://docs.docker.com/reference/dockerfile/)
    """
    return iter(())  # the engine reports it: it alone sees every file any rule read, once all rules ran
