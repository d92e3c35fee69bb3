"""DJC001 parse-error: a file of the setup cannot be parsed."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from djlint_docker.files import Problem
from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._django_versions import numbers, python_version
from djlint_docker.rules.snippets import MANAGE

NEWER_GRAMMAR = "FROM python:3.99-slim\nCOPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n"
"""An image on a Python newer than any djcheck runs on: its grammar may be newer too."""

NO_PYTHON_ACCEPTS = re.compile(r"never closed|unterminated|unmatched|unexpected EOF|indent|tabs and spaces")
"""Python's words for a broken structure (a bracket, a string, a block) that no newer grammar accepts either."""


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
    Example("grammar-of-the-image-python", {"Dockerfile": NEWER_GRAMMAR, "manage.py": MANAGE,
                                            "app/settings.py": "DEBUG = False\nTIME_ZONE = env(\"TZ\") ?? \"UTC\"\n"},
            expect=(("app/settings.py", 2),)),
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

    A Python file that the Python djcheck runs on rejects, in a project whose images run
    a newer Python, may use that Python's newer grammar (`except A, B:` of 3.14). Unless
    the error is a broken structure no Python accepts (a bracket never closed, an
    unterminated string, a bad indent), it is reported as info: the file went unchecked,
    and running djcheck on the images' Python checks it.

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


def reported(project: Project, problem: Problem) -> Violation:
    """A parse problem as reported: on a Python file, told apart from a newer Python's grammar."""
    python = (problem.code == "DJC001" and problem.location.path.suffix == ".py"
              and not NO_PYTHON_ACCEPTS.search(problem.message))
    newest = _newest_image_python(project) if python else None
    if newest is None:
        return Violation(problem.location, problem.message)
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    return Violation(problem.location, f"{problem.message}; djcheck runs on Python {running}, and the project's "
                     f"images run Python {newest}, whose grammar may be newer: run djcheck on Python {newest} "
                     f"to check this file", severity=Severity.INFO)


def _newest_image_python(project: Project) -> str | None:
    """The newest Python minor version the project's images run, when it is newer than djcheck's own."""
    versions = {found[0] for _, dockerfile in project.dockerfiles if (found := python_version(dockerfile))}
    newest = max(versions, key=numbers, default=None)
    return newest if newest is not None and numbers(newest) > sys.version_info[:2] else None
