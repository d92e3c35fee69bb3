"""DJC002 unreadable-file: a file the setup needs cannot be read."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE


@rule("DJC002", "unreadable-file", Severity.ERROR, examples=[
    Example("binary-dockerfile", {"Dockerfile": b"FROM python\x00\x01\x02\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("latin1-settings", {"compose.yaml": "services:\n  web:\n    build: .\n",
                                "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE,
                                "app/settings.py": b"# caf\xe9\nDEBUG = False\n"}, expect=(("app/settings.py", 1),)),
    Example("missing-dockerfile", {"compose.yaml": "services:\n  web:\n    build: ./backend\n",
                                   "backend/manage.py": MANAGE}, expect=(("compose.yaml", 3),)),
    Example("missing-included-requirements", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\n",
        "requirements.txt": "django==5.1.3\n-r requirements-extra.txt\n", "manage.py": MANAGE},
        expect=(("requirements.txt", 2),)),
    Example("utf16-with-bom-is-read", {"Dockerfile": "\ufeffFROM python:3.12-slim\n".encode("utf-16"),
                                       "manage.py": MANAGE}),
    Example("env-folder-is-not-the-dotenv-file", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env/web\n", ".env/web": "DEBUG=0\n",
        "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE}),
])
def unreadable_file(project: Project) -> Iterator[Violation]:
    """A file the setup needs cannot be read.

    ## What it does
    Reports a file that is missing although another file names it (a compose `build:`
    whose Dockerfile does not exist, a `-r` include of a requirements file), that cannot
    be opened, that is binary or not
    UTF-8/UTF-16 text, that is too large, or that is a symbolic link out of the project
    (never followed). A build context beside the repository that its instructions have
    the user clone there (`context: ../shop-frontend`, named in the README or a setup
    script) is not reported when absent. A `dockerfile:` the build context lacks but the
    compose file's folder holds (`context: ./site` with `dockerfile: ./docker/Dockerfile`)
    is reported with where it lies: Compose reads the path from the context.

    ## Why is this bad?
    The build or the start-up that needs the file fails, and djcheck cannot check it.

    ## Example
    ```yaml
    services:
      web:
        build: ./backend   # backend/Dockerfile does not exist
    ```

    ## References
    - [Compose Build Specification](https://docs.docker.com/reference/compose-file/build/)
    """
    return iter(())  # the engine reports it: it alone sees every file any rule read, once all rules ran
