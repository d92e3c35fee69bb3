"""DJC001 parse-error: a file of the setup cannot be parsed."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from djlint_docker.files import Problem
from djlint_docker.findings import Severity, Violation
from djlint_docker.images import parse_image
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._django_versions import numbers
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
    Example("grammar-of-python-2", {"Dockerfile": "FROM python:2.7-slim\nCOPY . /app\n", "manage.py": MANAGE,
                                    "app/settings.py": "import os\nprint os.path.dirname(__file__)\n"},
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
    unterminated string, a bad indent; not the words Python 3.11 says of quotes inside an
    f-string's braces, `f-string: unmatched '['`, which 3.12 reads), it is reported as
    info: the file went unchecked,
    and running djcheck on the images' Python checks it. So is a Python file of a project
    whose images run Python 2 (`print x`), which no Python 3 reads.

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
    """A parse problem as reported: on a Python file, told apart from another Python's grammar."""
    python = problem.code == "DJC001" and problem.location.path.suffix == ".py"
    versions = _image_pythons(project) if python else set()
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if any(numbers(version) < (3,) for version in versions):
        oldest = min(versions, key=numbers)
        return Violation(problem.location, f"{problem.message}; the project's images run Python {oldest}, whose "
                         f"grammar Python 3 does not read: djcheck cannot check this file", severity=Severity.INFO)
    newest = max(versions, key=numbers, default=None)
    # An f-string's own words (`f-string: unmatched '['`) are what Python before 3.12 says of quotes it does not read
    # inside the braces (PEP 701), not a broken structure; the message already says which Python reads it
    f_string = "f-string:" in problem.message
    if newest is None or numbers(newest) <= sys.version_info[:2] or (
            NO_PYTHON_ACCEPTS.search(problem.message) and not f_string):
        return Violation(problem.location, problem.message)
    if f_string:
        return Violation(problem.location, problem.message, severity=Severity.INFO)
    return Violation(problem.location, f"{problem.message}; djcheck runs on Python {running}, and the project's "
                     f"images run Python {newest}, whose grammar may be newer: run djcheck on Python {newest} "
                     f"to check this file", severity=Severity.INFO)


PYTHON_TAG = re.compile(r"([23](?:\.\d+)?)(?:\.\d+)?(?![\d.])")
"""The Python version an official ``python`` tag starts with: ``3.14-slim``, ``3.14.0-slim`` (its patch left out),
``2.7``, ``2``."""


def _image_pythons(project: Project) -> set[str]:
    """The Python versions (``3.12``, ``2.7``) the project's images run, from their official ``python`` bases."""
    found = set()
    for _, dockerfile in project.dockerfiles:
        base = dockerfile.root
        image = parse_image(base.image) if base.image else None
        version = PYTHON_TAG.match(image.tag) if image is not None and image.name == "python" and image.tag else None
        if version is not None:
            found.add(version.group(1))
    return found
