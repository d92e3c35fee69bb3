"""DJC211 env-file-missing: An `env_file:` names a file that does not exist."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.files import MAX_LISTED
from djlint_docker.findings import Severity, Violation
from djlint_docker.names import DEVELOPMENT_WORDS
from djlint_docker.positions import Location
from djlint_docker.project import PRODUCTION_WORDS, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._ci_workflows import written_by_pipeline
from djlint_docker.rules.compose._stack import documentation_example
from djlint_docker.rules.project._env_files import setup_scripts, written_by_setup_script
from djlint_docker.rules.snippets import MANAGE

MIRRORED_ENV_FILE_STACK = "services:\n  web:\n    build: .\n    env_file: config/.envs/django/.env.local\n"
"""A stack reading an env file of a gitignored folder (``config/.envs/``) that a folder of templates may mirror."""
LOCAL_ENV_FILE_STACK = "services:\n  web:\n    build: .\n    env_file:\n      - ./.envs/.env.local\n"
"""A local stack reading ``.envs/.env.local``, whose template may be the base name's or another file's."""


@rule("DJC211", "env-file-missing", Severity.ERROR, examples=[
    # The documentation's example: its reader makes env.d/ beside their copy, from the templates the docs name.
    Example("example-of-the-documentation", {
        "documentation/examples/compose/compose.yaml": "name: notes\nservices:\n  backend:\n"
                                                       "    image: acme/notes:1.4\n    env_file:\n"
                                                       "      - env.d/common\n      - env.d/postgresql\n",
        "manage.py": MANAGE}),
    Example("missing", {"compose.yaml": "services:\n  web:\n    image: app:1.0\n    env_file: .env-local\n"},
            expect=(("compose.yaml", 4),)),
    # cookiecutter-django's script merges .envs/.production into the .env the deployment stack reads.
    Example("written-by-the-projects-env-script", {
        "next-run.yml": "services:\n  django:\n    image: ghcr.io/acme/comics:next\n    env_file: .env\n",
        "merge_production_dotenvs_in_dotenv.py": "from pathlib import Path\n\nROOT = Path(__file__).parent\n"
                                                 "PRODUCTION = ROOT / '.envs' / '.production'\n"
                                                 "OUTPUT = ROOT / '.env'\n",
        ".gitignore": ".env\n", "manage.py": MANAGE}),
    # The project's setup script writes both env files the stack reads (`printf "..." > .database.env`).
    Example("written-by-the-setup-script", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: .env\n  db:\n    image: postgres:16\n"
                              "    env_file: .database.env\n",
        "setup_project.sh": "#!/bin/bash\nprintf \"SECRET_KEY=%s\\n\" \"$(openssl rand -hex 32)\" > .env\n"
                            "printf \"POSTGRES_PASSWORD=%s\\n\" \"$(openssl rand -hex 16)\" > .database.env\n",
        "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE}),
    # `./init`, a shell script without an extension, writes the env file from the folder it runs in.
    Example("written-by-an-init-script-without-extension", {
        "docker-compose.yaml": "services:\n  logic:\n    build: .\n    env_file: envs/logic/development.env\n",
        "init": "#!/bin/sh\nprintf \"enter password of database: \"\nread db_password\n"
                "echo \"DB_PASSWORD=${db_password}\" >> $(pwd)/envs/logic/development.env\n",
        ".gitignore": "*.env\n", "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE}),
    Example("a-text-file-named-init-writes-nothing", {
        "docker-compose.yaml": "services:\n  logic:\n    build: .\n    env_file: envs/logic/development.env\n",
        "init": "echo \"DB_PASSWORD=secret\" >> $(pwd)/envs/logic/development.env\n",
        ".gitignore": "*.env\n", "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE},
        expect=(("docker-compose.yaml", 4),)),
    # The same script makes no local env file: nothing says how to make .envs/.local/.django.
    Example("local-env-file-the-script-does-not-make", {
        "local.yml": "services:\n  django:\n    build: .\n    env_file: ./.envs/.local/.django\n",
        "merge_production_dotenvs_in_dotenv.py": "from pathlib import Path\n\nROOT = Path(__file__).parent\n"
                                                 "PRODUCTION = ROOT / '.envs' / '.production'\n"
                                                 "FILES = ['.django', '.postgres']\nOUTPUT = ROOT / '.env'\n",
        ".gitignore": ".envs/\n", "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE},
        expect=(("local.yml", 4),)),
    # The deploy job writes .env from the repository's secrets, then deploys the stack.
    Example("written-by-the-pipeline-that-runs-it", {
        "deploy/compose.prod.yaml": "services:\n  web:\n    image: ghcr.io/acme/shop:1.4\n    env_file: .env\n",
        ".github/workflows/deploy.yml": "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
                                        "    defaults:\n      run:\n        working-directory: deploy\n"
                                        "    steps:\n      - run: |\n"
                                        "          echo 'SECRET_KEY=${{ secrets.SECRET_KEY }}' >> .env\n"
                                        "          docker stack deploy -c compose.prod.yaml shop\n"}),
    Example("anchor-shared-by-two-services-reported-once", {
        "compose.yaml": "x-app: &app\n  build: .\n  env_file: .env-local\nservices:\n  web:\n    <<: *app\n"
                        "  worker:\n    <<: *app\n    command: celery -A app worker\n"},
        expect=(("compose.yaml", 3),)),
    Example("made-from-a-committed-template", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    env_file: .env\n", ".gitignore": ".env\n",
        ".env.example": "DEBUG=0\nSECRET_KEY=change-me\n"}),
    Example("made-from-a-template-kept-as-a-text-file", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    env_file: .env\n", ".gitignore": ".env\n",
        ".env-template.txt": "DEBUG=0\nSECRET_KEY=change-me\n"}),
    # The installer copies the template into a folder of its own and writes envs/ there.
    Example("template-an-installer-copies", {
        "cli/templates/compose/docker-compose.yml": "services:\n  backend:\n    image: acme/backend:1.4\n"
                                                    "    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                                                    "    env_file: envs/backend.env\n",
        "django/Dockerfile": "FROM python:3.12-slim\nCOPY . .\n", "django/manage.py": MANAGE}),
    Example("made-from-a-template-marked-before-the-extension", {
        "compose.yaml": "services:\n  queue:\n    image: rabbitmq:3.13\n    env_file: .envs/.local/rabbitmq.env\n",
        ".gitignore": ".envs/.local/*.env\n!.envs/.local/*.example.env\n",
        ".envs/.local/rabbitmq.example.env": "RABBITMQ_DEFAULT_USER=app\n"}),
    # config/envs_template/ mirrors the gitignored config/.envs/: each file is the template of its twin.
    Example("made-from-a-folder-of-templates", {
        "docker-compose.yml": MIRRORED_ENV_FILE_STACK,
        ".gitignore": ".envs\n", "config/envs_template/django/.env.local": "DEBUG=1\nSECRET_KEY=\n"}),
    Example("folder-of-templates-without-that-file", {
        "docker-compose.yml": MIRRORED_ENV_FILE_STACK,
        ".gitignore": ".envs\n", "config/envs_template/postgres/.env.local": "POSTGRES_PASSWORD=\n"},
        expect=(("docker-compose.yml", 4),)),
    # `.envs/example/` holds the templates of every deployment's folder (`!.envs/example/` in .gitignore).
    Example("folder-of-templates-named-example", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file:\n      - .envs/development/.django\n",
        ".gitignore": ".envs/*\n!.envs/example/\n", ".envs/example/.django": "DEBUG=1\nSECRET_KEY=\n"}),
    Example("template-of-the-base-name-beside-a-deployment-variant", {
        "local.yml": LOCAL_ENV_FILE_STACK,
        ".gitignore": ".envs/*\n!.envs/.env.example\n", ".envs/.env.example": "DEBUG=1\nSECRET_KEY=\n"}),
    Example("template-of-another-name-beside-it", {
        "local.yml": LOCAL_ENV_FILE_STACK,
        ".gitignore": ".envs/*\n!.envs/.db.example\n", ".envs/.db.example": "POSTGRES_PASSWORD=\n"},
        expect=(("local.yml", 5),)),
    Example("git-ignored-made-by-each-deployment", {
        "production.yml": "services:\n  django:\n    image: shop/django:1.4\n    env_file:\n"
                          "      - ./.envs/.production/.django\n",
        ".gitignore": ".envs/*\n!.envs/.local/\n", ".envs/.local/.django": "DEBUG=1\n"}),
    # One folder of env files per deployment; the repository keeps the local one, each server writes its own.
    Example("folder-of-a-deployment-beside-the-committed-local-one", {
        "server_eu.yml": "services:\n  django:\n    build: .\n    env_file:\n      - ./.envs/.eu/.django\n",
        ".gitignore": ".envs/*\n!.envs/.local/\n", ".envs/.local/.django": "DEBUG=1\n"}),
    Example("local-folder-missing-beside-the-committed-production-one", {
        "local.yml": "services:\n  django:\n    build: .\n    env_file:\n      - ./.envs/.local/.django\n",
        ".gitignore": ".envs/*\n!.envs/.production/\n", ".envs/.production/.django": "DEBUG=0\n"},
        expect=(("local.yml", 5),)),
    # The production env folder is kept out of the repository altogether (and out of .gitignore).
    Example("named-for-production-and-kept-out-of-the-repository", {
        "docker-compose.yml": "services:\n  django:\n    build: .\n    env_file:\n"
                              "      - ./.envs/.production/.django\n", ".gitignore": ".venv/\n"}),
    Example("named-for-development-and-kept-out-of-the-repository", {
        "docker-compose.yml": "services:\n  django:\n    build: .\n    env_file:\n"
                              "      - ./.envs/.local/.django\n", ".gitignore": ".venv/\n"},
        expect=(("docker-compose.yml", 5),)),
    # The development stack reads a .env that git ignores, and nothing says what it holds.
    Example("git-ignored-and-undocumented", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: .env\n", ".gitignore": ".env\n",
        "README.md": "# Shop\n\nRun `docker compose up`.\n"}, expect=(("docker-compose.yml", 4),)),
    Example("git-ignored-and-named-by-the-readme", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file: .env\n", ".gitignore": ".env\n",
        "README.md": "# Shop\n\nPut SECRET_KEY and DB_PASSWORD in `.env`, then run `docker compose up`.\n"}),
    Example("portainer-stack", {
        "docker-compose.portainer.yml": "services:\n  web:\n    image: ghcr.io/shop/web:2.3\n    env_file:\n"
                                        "      - stack.env\n"}),
    Example("stack-env-kept-in-the-repository-elsewhere", {
        "docker-compose.portainer.yml": "services:\n  web:\n    image: ghcr.io/shop/web:2.3\n    env_file:\n"
                                        "      - stack.env\n      - web.env\n"},
        expect=(("docker-compose.portainer.yml", 6),)),
    # README: "make db.env and web.env from db.env.dev and web.env.dev" for production.
    Example("made-from-the-development-variant", {
        "production.yml": "services:\n  db:\n    image: postgres:17\n    env_file: db.env\n"
                          "  web:\n    image: ghcr.io/acme/jobs:2.0\n    env_file:\n      - web.env\n",
        "db.env.dev": "POSTGRES_PASSWORD=postgres\n", "web.env.prod": "DEBUG=0\n", "web.env.local": "DEBUG=1\n"}),
    Example("a-backup-is-no-deployment", {
        "compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/jobs:2.0\n    env_file: web.env\n",
        "web.env.bak": "DEBUG=1\n"}, expect=(("compose.yaml", 4),)),
    # The production host keeps the file; the stack runs images the pipeline pushed.
    Example("file-of-the-host-outside-the-repository", {
        "compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/jobs:2.0\n    env_file:\n"
                        "      - /var/www/jobs/.env\n      - ../secrets/jobs.env\n      - web.env\n"},
        expect=(("compose.yaml", 7),)),
    Example("file-of-a-submodule", {
        ".gitmodules": "[submodule \"client\"]\n\tpath = client\n\turl = ../shop-client.git\n",
        "compose.yaml": "services:\n  client:\n    image: ghcr.io/acme/shop-client:2.0\n    env_file:\n"
                        "      - client/app.env\n      - web.env\n"},
        expect=(("compose.yaml", 6),)),
    Example("list-with-optional", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    env_file:\n      - .env\n"
                        "      - path: .env.local\n        required: false\n", ".env": "DEBUG=0\n"}),
])
def env_file_missing(project: Project) -> Iterator[Violation]:
    """An `env_file:` names a file that does not exist and that no committed template makes.

    ## What it does
    Reports each `env_file:` entry whose file is missing, unless a variable names it
    (`${HOST_ENV_FILE:?...}`: the operator sets it), the long syntax marks
    it `required: false`, a committed template makes it (`.env.example`; a folder of
    templates beside its own, `.envs/example/` for `.envs/development/`; the template of
    its name without a deployment's suffix, `.env.example` for `.env.local`), or git ignores
    it as a file each clone or deployment makes by hand, whose absence from the
    repository is the point: it or the compose file reading it is named for a
    deployment (`.envs/.production/*`, `.env.prod`, `production.yml`; a file named so, or
    in a folder named so, is a deployment's own even when git does not ignore it), or
    the project's instructions
    name it (a README or documentation page, a Makefile or shell script that makes it),
    or a folder named for development beside its own holds a committed file of its name
    (`.envs/.local/.django` beside the ignored `.envs/.eu/.django`: one folder per
    deployment, the local one kept).
    A gitignored file of a development stack that nothing documents is reported: a
    fresh clone cannot start the stack, and nothing says what the file holds. Portainer's `stack.env`, which Portainer
    writes from the variables entered in its UI, is not reported either, nor a file a
    committed script named for making env files names (cookiecutter-django's
    `merge_production_dotenvs_in_dotenv.py` for `.env`, `scripts/setup_envs.py`), nor a file the
    CI pipeline that runs the compose file writes (`echo ... >> .env` in a GitHub
    workflow naming it) before it starts the stack, nor one a committed setup script beside
    the stack writes (`printf "..." > .database.env` in `setup_project.sh`), nor one committed beside variants
    named for deployments (`web.env.dev`, `web.env.prod` beside `web.env`): each
    deployment writes it from its own.

    A compose file of the project's documentation, examples or templates (`docs/`,
    `examples/`, an installer's `templates/`) is not checked: its reader, or the installer,
    makes the env files it names beside their copy; nor a file
    the README tells its reader to create (a line naming it beside "create", `nano`,
    `cp`...): the README is its template; nor one outside the repository
    (`/var/www/app/.env`, `../secrets/web.env`), which the host that runs the stack keeps
    and a clone cannot have, nor one in a git submodule (`client/app.env` of a `path =
    client` in `.gitmodules`), whose folder a clone made without `--recurse-submodules`
    holds empty. A file several services read is reported once,
    at the first of them.

    ## Why is this bad?
    `docker compose up` refuses to start the stack ("env file … not found"). In a fresh
    clone this is the usual first error, because env files are rightly not committed.

    ## Example
    ```yaml
    env_file: .env-local
    ```
    Use instead: commit a `.env.example` and document copying it, or
    ```yaml
    env_file:
      - path: .env-local
        required: false
    ```

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (`env_file: .env-local`)
    - [Compose: env_file](https://docs.docker.com/reference/compose-file/services/#env_file)
    """
    if documentation_example(project):
        return  # an example of the documentation: its reader makes its env files beside their copy
    missing: dict[Path, list[tuple[str, Location]]] = {}
    stack = project.stack
    # `./dev/.env.${DB}.dev`, `${ENV_FILE:?set it to the host's env file}`: the path is the variable's, which the
    # user sets (DJC214's finding when it may be forgotten; Compose stops with the message when it is required)
    unset = {(v.location.path, v.location.line) for v in (*stack.unset_variables, *stack.required_variables)} \
        if stack else set()
    for service in project.services:
        for ref in service.env_files:
            if (ref.location.path, ref.location.line) in unset:
                continue  # the path is a variable's, which the user sets
            if project.outside(ref.path) or project.in_submodule(ref.path):
                continue  # `/var/www/app/.env`, `../secrets/web.env`: a file of the host, kept out of the repository;
                # `client/app.env` of a submodule, which a clone without `--recurse-submodules` leaves empty
            if ref.required and not os.path.exists(ref.path):
                missing.setdefault(ref.path, []).append((service.name, ref.location))
    for path, uses in missing.items():
        if (project.template_for(path) is None and not _made_by_each_deployment(project, path)
                and path.name not in GENERATED and not per_deployment_variants(project, path)
                and not _variant_of_a_template(project, path)
                and not project.readme_creates(path) and not _made_by_an_env_script(project, path)
                and not written_by_setup_script(project, path)
                and not any(written_by_pipeline(project, location.path, path) for _, location in uses)):
            names = list(dict.fromkeys(name for name, _ in uses))
            others = [location for _, location in uses[1:] if location != uses[0][1]]
            ignored = (", git ignores it and neither a template beside it nor the project's instructions say how to "
                       "make it" if project.gitignored(path) else "")
            yield Violation(uses[0][1], f"{'services' if len(names) > 1 else 'service'} {', '.join(names)}: "
                                        f"env_file {project.display(path)} does not exist{ignored}"
                                        f"{project.case_hint(path)}: Compose will "
                                        f"refuse to start", related=tuple(dict.fromkeys(others)))


ENV_SCRIPT = re.compile(r"(?:\w+_)?(?:merge|init|initialize|setup|create|generate|make|write)_\w*(?:dotenv|env)s?\w*"
                        r"\.py|\w*(?:dotenv|env)s?_(?:setup|init|generate|create)\w*\.py", re.I)
"""A committed Python script named for writing env files: cookiecutter-django's
``merge_production_dotenvs_in_dotenv.py`` (the ``.env`` of ``.envs/.production``), ``initialize_dotenvs.py``,
``scripts/setup_envs.py``."""
ENV_SCRIPT_FOLDERS = ("", "scripts", "bin", "utility", "tools")


def _made_by_an_env_script(project: Project, path: Path) -> bool:
    """Whether a committed script named for writing env files, at the repository's top or in its ``scripts/``
    folder, names the file and, below the top, its folder (``".env"``; ``.envs/.local/`` and ``".postgres"``):
    running it makes the file."""
    wanted = [path.name] + ([path.parent.name] if path.parent != project.boundary else [])
    return any(all(re.search(rf"[\"'/]{re.escape(item)}[\"'/]", text) for item in wanted)
               for script in setup_scripts((project.boundary / name for name in ENV_SCRIPT_FOLDERS), ENV_SCRIPT)
               if (text := project.text(script, quiet=True)))


def _made_by_each_deployment(project: Project, path: Path) -> bool:
    """Whether git ignores the env file as one each deployment makes by hand: it or the compose file reading it is
    named for a deployment (``.envs/.production/.django``, ``production.yml``), or the project's instructions name
    it (a README, a documentation page, a Makefile that makes it). A development stack's file that nothing
    documents is a fresh clone's first failure. A file named for production, or in a folder named so, is a
    deployment's own whether or not git ignores it (``.env.prod``, ``.envs/.production/.db``): each deployment
    writes its secrets there."""
    if PRODUCTION_WORDS.search(path.name) or (path.parent != project.boundary
                                              and PRODUCTION_WORDS.search(path.parent.name)):
        return True  # not the repository's own folder (`Django-Production-Ready-Template`)
    if not project.gitignored(path):
        return False
    named = [project.display(path), *(compose.name for compose in project.setup.compose_files)]
    return any(PRODUCTION_WORDS.search(name) for name in named) or project.documented(path) \
        or _beside_a_committed_twin(project, path)


def _beside_a_committed_twin(project: Project, path: Path) -> bool:
    """Whether a folder named for development beside the file's own holds a committed file of its name
    (``.envs/.local/.django`` for the git-ignored ``.envs/.staging-eu/.django``, with ``.envs/*`` and
    ``!.envs/.local/`` in ``.gitignore``): one folder of env files per deployment, of which the repository keeps the
    local one; each deployment writes its own. (A missing development file beside a committed production one is a
    fresh clone's first failure.)"""
    folder = path.parent
    if folder == project.boundary or not folder.is_relative_to(project.boundary) \
            or DEVELOPMENT_WORDS.search(folder.name):
        return False
    try:
        siblings = [entry for entry in os.listdir(folder.parent)[:MAX_LISTED]
                    if entry != folder.name and DEVELOPMENT_WORDS.search(entry)]
    except OSError:
        return False
    return any(project.is_file(twin := folder.parent / sibling / path.name) and not project.gitignored(twin)
               for sibling in siblings)


GENERATED = {"stack.env"}
"""Env files a deployment tool writes beside the compose file: Portainer saves a stack's variables, entered in its
UI, as ``stack.env``."""

DEPLOYMENTS = frozenset({"dev", "devel", "development", "local", "prod", "production", "staging", "stage", "stg",
                         "test", "testing", "ci", "docker", "preprod", "qa", "uat", "demo", "release", "rel", "live"})
"""Names of deployments a committed variant of an env file carries as its suffix (``web.env.dev``)."""


def per_deployment_variants(project: Project, path: Path) -> bool:
    """Whether variants of the env file named for a deployment lie beside it (``web.env.dev`` beside the missing
    ``web.env``, ``.env.local`` or ``.env.prod`` beside ``.env``): each deployment writes the file from its own."""
    return any(project.is_file(path.parent / f"{path.name}.{deployment}") for deployment in DEPLOYMENTS)


def _variant_of_a_template(project: Project, path: Path) -> bool:
    """Whether the file is a deployment's variant of a file whose template lies beside it (``.envs/.env.local``
    beside ``.envs/.env.example``): each deployment copies the template to its own name. Its values stay unknown,
    not the template's."""
    base, _, deployment = path.name.rpartition(".")
    return bool(base.strip(".")) and deployment.lower() in DEPLOYMENTS \
        and project.template_for(path.parent / base) is not None
