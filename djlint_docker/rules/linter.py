"""DJC0xx: problems of djcheck itself with the files it reads."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.snippets import MANAGE


def _reported_by_the_engine(project: Project) -> Iterator[Violation]:
    """DJC001 and DJC002 come from every file any rule read: the engine reports them once all rules ran."""
    return iter(())


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
    return _reported_by_the_engine(project)


@rule("DJC002", "unreadable-file", Severity.ERROR, examples=[
    Example("binary-dockerfile", {"Dockerfile": b"FROM python\x00\x01\x02\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    Example("latin1-settings", {"compose.yaml": "services:\n  web:\n    build: .\n",
                                "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE,
                                "app/settings.py": b"# caf\xe9\nDEBUG = False\n"}, expect=(("app/settings.py", 1),)),
    Example("missing-dockerfile", {"compose.yaml": "services:\n  web:\n    build: ./backend\n",
                                   "backend/manage.py": MANAGE}, expect=(("compose.yaml", 3),)),
    Example("missing-included-requirements", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n",
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
    (never followed).

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
    return _reported_by_the_engine(project)


COMPOSE_WEB = "services:\n  web:\n    build: .\n    command: gunicorn --bind 0.0.0.0:8000 app.wsgi\n"
DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"


@rule("DJC003", "unknown-rule-in-suppression", Severity.WARNING, examples=[
    Example("unknown-code", {"compose.yaml": "services:\n  web:\n    image: nginx:1.27  # djcheck: ignore[DJC999]\n"},
            expect=(("compose.yaml", 3),)),
    Example("misspelt-name", {"Dockerfile": "# djcheck: ignore[runserver-without-bnd]\nFROM python:3.12-slim\n",
                              "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    Example("misspelt-directive", {"Dockerfile": DOCKERFILE + "# djcheck: ingore[DJC101]\n"
                                   "CMD python manage.py runserver\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 4),)),
    Example("unknown-code-in-config", {".djcheck.toml": 'ignore = ["DJC310", "DJC9"]\n',
                                       "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n"},
            expect=((".djcheck.toml", 1),)),
    Example("known-code-prefix-and-name", {
        "Dockerfile": "# djcheck: ignore[DJC1, dockerignore-missing]\nFROM python:3.12-slim\n", "manage.py": MANAGE}),
])
def unknown_rule_in_suppression(project: Project) -> Iterator[Violation]:
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


@rule("DJC004", "unused-suppression", Severity.INFO, examples=[
    Example("nothing-to-suppress", {"Dockerfile": DOCKERFILE + "# djcheck: ignore[DJC101]\n"
                                    "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
                                    ".dockerignore": ".git\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 4),)),
    Example("bare-ignore-file", {"compose.yaml": "# djcheck: ignore-file\n" + COMPOSE_WEB.replace("build: .", "image: app:1.0")},
            expect=(("compose.yaml", 1),)),
    Example("used-above-instruction", {"Dockerfile": DOCKERFILE + "# djcheck: ignore[DJC101]\n"
                                       "CMD python manage.py \\\n    runserver\n", "manage.py": MANAGE}),
    Example("used-at-end-of-line", {
        "compose.yaml": "services:\n  web:\n    build: .\n"
                        "    command: python manage.py runserver  # djcheck: ignore[compose-runserver-without-bind]\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE}),
])
def unused_suppression(project: Project) -> Iterator[Violation]:
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
