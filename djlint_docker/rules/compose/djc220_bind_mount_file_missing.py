"""DJC220 bind-mount-file-missing: A bind-mounted file is not in a fresh clone, so Docker mounts a directory."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import copied_elsewhere, once_per_line
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

FILE_SUFFIXES = {".conf", ".cfg", ".ini", ".json", ".yml", ".yaml", ".toml", ".py", ".sh", ".sqlite3", ".sqlite",
                 ".db", ".pem", ".crt", ".key", ".txt", ".env", ".js", ".html", ".xml", ".lua", ".htpasswd",
                 ".properties", ".cnf", ".sql", ".log", ".pid", ".sock", ".csv"}
DOTFILES = re.compile(r"^\.(?:env(?:\..+)?|htpasswd|netrc|pgpass|npmrc|pypirc)$")
SUPPLIED_SECRET = re.compile(r"\.(?:pem|crt|cer|key|p12|pfx|jks)$|(?:^|[-_.])(?:auth|credentials?|secrets?|tokens?|"
                             r"keys?|service[-_]?account|sa)(?:[-_.]|$)", re.I)
"""A certificate, private key or credentials file (``root.crt``, ``cloudsql-auth.json``, ``gcp-key.json``): each
deployment supplies its own, and none is committed."""

WEB = "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n    volumes:\n"


@rule("DJC220", "bind-mount-file-missing", Severity.ERROR, examples=[
    Example("template-an-installer-copies", {
        "cli/templates/compose/docker-compose.yml": "services:\n  broker:\n    image: emqx:5.8\n    volumes:\n"
                                                    "      - ./emqx/emqx.conf:/opt/emqx/etc/emqx.conf\n"
                                                    "  backend:\n    image: acme/backend:1.4\n"
                                                    "    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n",
        "cli/templates/emqx/emqx.conf": "node.name = emqx@127.0.0.1\n",
        "django/Dockerfile": REQUIREMENTS_DOCKERFILE, "django/manage.py": MANAGE}),
    Example("gitignored-sqlite-database", {
        "compose.yaml": WEB + "      - ./db.sqlite3:/app/db.sqlite3\n", ".gitignore": "db.sqlite3\n",
        "db.sqlite3": "", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 6),)),
    Example("config-not-in-the-repository", {
        "compose.yaml": WEB + "  nginx:\n    image: nginx:1.27\n    volumes:\n"
                              "      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 9),)),
    # One anchored mount of three services: one finding, on the line that writes it.
    Example("mount-an-anchor-shares", {
        "compose.yaml": "x-app: &app\n  build: .\n  volumes:\n      - ./config/uwsgi.ini:/etc/uwsgi/uwsgi.ini\n"
                        "services:\n  web:\n    <<: *app\n  worker:\n    <<: *app\n    command: celery -A app worker\n"
                        "  beat:\n    <<: *app\n    command: celery -A app beat\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 4),)),
    Example("committed-file", {
        "compose.yaml": WEB + "  nginx:\n    image: nginx:1.27\n    volumes:\n"
                              "      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro\n",
        "nginx/default.conf": "server { listen 80; }\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("folder-made-at-start", {
        "compose.yaml": WEB + "      - ./media:/app/media\n      - ./logs:/app/logs\n",
        ".gitignore": "media/\nlogs/\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # An env file git ignores, which each developer writes by hand and the app also reads at start.
    Example("gitignored-env-file-written-by-hand", {
        "compose.yaml": WEB + "      - ./.dev.env:/app/.dev.env:ro\n    env_file:\n      - .dev.env\n",
        ".gitignore": ".env\n.dev.env\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("env-file-missing-and-not-ignored", {
        "compose.yaml": WEB + "      - ./config/.env.docker:/app/.env:ro\n",
        ".gitignore": ".env\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
        expect=(("compose.yaml", 6),)),
    Example("file-made-from-a-template", {
        "compose.yaml": WEB + "      - ./config.json:/app/config.json:ro\n", ".gitignore": "config.json\n",
        "config.json.example": "{}\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("file-made-from-a-template-named-before-its-extension", {
        "compose.yaml": WEB + "  db:\n    image: postgres:16\n    volumes:\n"
                        "      - ./postgres.conf:/etc/postgresql/postgresql.conf:ro\n",
        ".gitignore": "postgres.conf\n", "postgres_sample.conf": "max_connections = 200\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("another-file-named-like-a-template", {
        "compose.yaml": WEB + "  db:\n    image: postgres:16\n    volumes:\n"
                        "      - ./postgres.conf:/etc/postgresql/postgresql.conf:ro\n",
        "pgbouncer_sample.conf": "[databases]\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 9),)),
    Example("gitignored-password-file-each-user-makes", {
        "compose.yaml": WEB + "  nginx:\n    image: nginx:1.27\n    volumes:\n"
                              "      - ./nginx/htpasswd:/etc/nginx/.htpasswd:ro\n",
        ".gitignore": "nginx/htpasswd\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # A cloud service account's key: each deployment downloads its own, never committed.
    Example("credentials-file-each-deployment-supplies", {
        "compose.yaml": WEB + "      - ./cloudsql-auth.json:/secrets/cloudsql-auth.json:ro\n"
                              "      - ./certs/root.crt:/root/.postgresql/root.crt:ro\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("gitignored-build-output", {
        "compose.yaml": WEB + "      - ./frontend/dist/manifest.json:/app/static/manifest.json:ro\n",
        ".gitignore": "frontend/dist/\n", "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("gitignored-log-file-the-container-writes", {
        "compose.yaml": WEB + "      - ./django.log:/app/django.log\n", ".gitignore": "*.log\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
])
def bind_mount_file_missing(project: Project) -> Iterator[Violation]:
    """A bind-mounted file is not in a fresh clone, so Docker mounts a directory.

    ## What it does
    Reports a bind mount of a single file of the project (its name has a file
    extension such as `.conf`, `.json`, `.sqlite3`, or is a dotfile such as `.env`)
    that a fresh clone does not have: the file does not exist, or git ignores it. A file
    each clone makes from a committed template (`config.json.example`,
    `postgres_sample.conf`) is not reported, nor is one git ignores that someone makes
    before the stack starts: the user (an env file, a password file, a local
    configuration, as for `env_file:`, DJC211) or the build (`frontend/dist/`). Nor is a
    certificate, a private key or a credentials file (`root.crt`, `cloudsql-auth.json`,
    `gcp-key.json`), committed or not: each deployment supplies its own. A file git
    ignores that the container's program writes itself (an SQLite database, a log) is
    reported: nothing makes it first;
    folders (a name without an extension) are not either, since Docker creating them
    empty is usually what the project wants. Nor is a stack its reader or installer copies
    to a folder of their own (a documentation example, `docs/install/compose.yaml`; a
    template, `cli/templates/docker-compose/`; an install recipe), which holds the files.

    ## Why is this bad?
    When the source of a bind mount does not exist, Docker creates an empty directory
    in its place (or, with the long syntax, refuses to start the container): the
    program in the container finds a directory where it expects its file. nginx fails
    with *is a directory*, Django with *unable to open database file*, and on the next
    run the directory stays in the project folder, in the way of the real file.

    ## Example
    ```yaml
    volumes:
      - ./db.sqlite3:/app/db.sqlite3
    ```
    with `db.sqlite3` in `.gitignore`. Use instead: mount the folder that holds the
    database (`./data:/app/data`, with the settings' `NAME` in it), or commit the file.

    ## References
    - [Docker: bind mounts, mounting a file or directory that does not exist](https://docs.docker.com/engine/storage/bind-mounts/#differences-between--v-and---mount-behavior)
      (`-v` creates the missing path as a directory)
    - [Compose file reference: volumes, long syntax](https://docs.docker.com/reference/compose-file/services/#long-syntax-5)
      (`create_host_path`)
    """
    yield from once_per_line(_violations(project))


def _violations(project: Project) -> Iterator[tuple[str, Violation]]:
    """What the rule reports, with the service each finding is about (a mount an anchor shares: once, below)."""
    root = project.boundary
    if copied_elsewhere(project):
        return  # an example or a template: the folder it is copied to holds the files it mounts
    for service in project.services:
        for mount in service.volumes:
            if mount.type != "bind" or not mount.source or "$" in mount.source:
                continue
            source = Path(mount.source)
            if not source.is_relative_to(root) or source == root or not _file_like(source.name, mount.target):
                continue
            if os.path.isdir(source) or project.template_for(source) is not None \
                    or project.template_before_suffix(source) \
                    or SUPPLIED_SECRET.search(source.name):
                continue  # made from a template, or a certificate or credentials file each deployment supplies
            ignored = project.gitignored(source)
            if ignored and not _written_by_the_container(source.name, mount.target):
                continue  # each clone makes it: its user (an env file, a password file) or its build (assets)
            if not project.is_file(source) and not os.path.exists(source):
                why = "does not exist"
            elif ignored:
                why = "is ignored by git, so a fresh clone does not have it"
            else:
                continue
            message = (f"service {service.name} bind-mounts {project.display(source)}, which {why}: Docker creates "
                       f"an empty directory in its place and the container finds a directory at {mount.target}; "
                       f"commit the file (or a template to copy), or mount its folder")
            yield service.name, Violation(mount.location, message)


WRITTEN_AT_RUN = frozenset({".sqlite3", ".sqlite", ".db", ".log", ".pid", ".sock"})
"""Files a program creates when they are missing (a database, a log): no one makes them before the stack starts."""


def _written_by_the_container(name: str, target: str) -> bool:
    """Whether a mounted file is one the container's program writes itself (``db.sqlite3``, ``django.log``)."""
    return any(PurePosixPath(n).suffix.lower() in WRITTEN_AT_RUN for n in (name, PurePosixPath(target).name))


def _file_like(name: str, target: str) -> bool:
    """Whether a mount's source names a single file: a known file extension, or a well-known dotfile."""
    target_name = PurePosixPath(target).name
    return any(PurePosixPath(n).suffix.lower() in FILE_SUFFIXES or DOTFILES.match(n) is not None
               for n in (name, target_name)) and not name.endswith(".d")
