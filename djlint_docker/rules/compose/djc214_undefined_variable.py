"""DJC214 undefined-variable: A `${VAR}` in the compose file has no value and no default."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.names import COMPOSE_KNOWS
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._ci_workflows import (
    exported_by_direnv,
    given_by_launch_scripts,
    left_empty_by_templates,
    run_only_by_ci,
    set_by_pipeline,
    written_by_pipeline,
)
from djlint_docker.rules.project._env_files import provided_at_setup

"""Variables Compose always sees: ``PWD`` and ``COMPOSE_PROJECT_NAME`` Compose sets itself (``PWD`` to the folder it
runs in when the environment lacks it), the others the login session exports (``login``, ``sshd``, ``sudo``)."""
NOT_EXPORTED = frozenset({"UID", "EUID", "HOSTNAME", "PPID", "RANDOM"})
"""Variables bash sets but does not export: the shell expands ``$UID``, Compose (another process) sees it unset."""

PUBLISHED_IMAGE = "services:\n  web:\n    image: ${REGISTRY}/shop/web:${GIT_SHA}\n    command: gunicorn shop.wsgi\n"
DEPLOY_WORKFLOW = """\
name: deploy
on:
  push:
    branches: [main]
env:
  REGISTRY: ghcr.io
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "GIT_SHA=${GITHUB_SHA::7}" >> "$GITHUB_ENV"
      - run: docker stack deploy --with-registry-auth -c compose.prod.yaml shop
"""
"""A GitHub workflow that deploys ``compose.prod.yaml`` with the variables it sets."""


@rule("DJC214", "undefined-variable", Severity.WARNING, cross=True, examples=[
    Example("no-env-file", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                            "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n"},
            expect=(("compose.yaml", 5),)),
    Example("env-file-does-not-interpolate", {
        "compose.yaml": "services:\n  web:\n    image: app:1.0\n    env_file: web.env\n    ports:\n"
                        "      - \"${WEB_PORT}:8000\"\n", "web.env": "WEB_PORT=8000\n"},
        expect=(("compose.yaml", 6),)),
    # The deploy workflow runs the production file with the registry it sets; developers run compose.yaml.
    Example("set-by-the-pipeline-that-runs-it", {
        "compose.prod.yaml": PUBLISHED_IMAGE, ".github/workflows/deploy.yml": DEPLOY_WORKFLOW}),
    Example("set-by-a-pipeline-that-runs-another-file", {
        "compose.yaml": PUBLISHED_IMAGE, ".github/workflows/deploy.yml": DEPLOY_WORKFLOW},
        expect=(("compose.yaml", 3),) * 2),
    # A project template keeps the workflow it installs in setup/workflows/; the deploy step exports the tag.
    Example("exported-by-a-templates-workflow", {
        "setup/deploy/compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/${REPO}:${TAG}\n",
        "setup/workflows/deploy.yml": "on: push\nenv:\n  REPO: parts\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
                                      "    steps:\n      - run: >\n          export TAG=${{ github.sha }}\n"
                                      "          && docker stack deploy -c ./deploy/compose.yaml parts\n"}),
    # Jenkins deploys over ssh: it pulls the repository and runs its default file with the branch's tag.
    Example("set-for-the-command-by-a-jenkins-deploy", {
        "docker-compose.yml": "services:\n  web:\n    image: acme/parts:${TAG}\n    ports:\n"
                              "      - \"${API_PORT}:8000\"\n",
        "Jenkinsfile": "node {\n  sh 'ssh deploy@host \"cd parts && git pull && TAG=$BRANCH docker compose pull "
                       "&& TAG=$BRANCH docker compose up -d\"'\n}\n"},
        expect=(("docker-compose.yml", 5),)),
    Example("defined-in-dotenv", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                                  "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n",
                                  ".env": "DB_PASSWORD=s3cret\n"}),
    Example("gitignored-dotenv-made-by-hand", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n", ".gitignore": "__pycache__/\n.env\n"}),
    Example("dotenv-template-sets-it", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n", ".gitignore": ".env\n",
        ".env.sample": "DB_PASSWORD=change-me\n"}),
    Example("dotenv-template-lacks-it", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n", ".gitignore": ".env\n",
        ".env.example": "POSTGRES_DB=app\n"}, expect=(("compose.yaml", 5),)),
    Example("commented-in-the-template", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n  cache:\n    image: redis:7\n"
                        "    command: redis-server --requirepass ${REDIS_PASSWORD}\n",
        ".gitignore": ".env\n",
        ".env.example": "DB_NAME=app\n# Generate with: openssl rand -hex 32\n# DB_PASSWORD=\n"
                        "#REDIS_PASSWORD=change-me\n"}),
    Example("written-by-the-setup-script", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n", ".gitignore": ".env\n",
        ".env.example": "DB_NAME=app\n",
        "init.sh": "#!/bin/sh\nset -eu\ncp .env.example .env\n"
                   "echo \"DB_PASSWORD=$(openssl rand -hex 24)\" >> .env\n"}),
    Example("comment-mentions-it-in-prose", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n", ".gitignore": ".env\n",
        ".env.example": "DB_NAME=app\n# The compose file also reads DB_PASSWORD=<something long>\n"},
        expect=(("compose.yaml", 5),)),
    Example("setup-script-writes-another-variable", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                        "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n", ".gitignore": ".env\n",
        ".env.example": "DB_NAME=app\n",
        "init.sh": "#!/bin/sh\nset -eu\ncp .env.example .env\n"
                   "echo \"SECRET_KEY=$(openssl rand -hex 32)\" >> .env\n"}, expect=(("compose.yaml", 5),)),
    Example("default-or-required", {"compose.yaml": "services:\n  db:\n    image: postgres:${PG_VERSION:-16}\n"
                                                    "    environment:\n"
                                                    "      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it}\n"}),
    Example("in-a-block-list-command-on-its-own-line", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    command:\n      - postgres\n      - -c\n"
                        "      - max_connections=${MAX_CONNECTIONS}\n"}, expect=(("compose.yaml", 7),)),
    Example("set-by-the-shell", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - ${PWD}:/app\n"
                              "      - $HOME/.aws:/root/.aws:ro\n    environment:\n      - OWNER=${USER}\n"}),
    Example("bash-variable-not-exported", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n      - LOCAL_USER_ID=${UID}\n"},
            expect=(("docker-compose.yml", 5),)),
    # The launch script passes an env file each machine keeps outside the repository: its variables are unknown.
    Example("env-file-passed-by-the-launch-script", {
        "compose.prod.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"${WEB_PORT}:8000\"\n",
        "up.sh": "#!/bin/sh\nset -eu\nCONFIG=\"$HOME/config/.env.prod\"\n"
                 "docker compose --env-file \"$CONFIG\" -f compose.prod.yaml up --build -d\n"}),
    Example("env-file-passed-by-the-launch-script-lacks-it", {
        "compose.prod.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"${WEB_PORT}:8000\"\n",
        "config/prod.env": "DJANGO_DEBUG=0\n",
        "up.sh": "#!/bin/sh\nset -eu\ndocker compose --env-file config/prod.env -f compose.prod.yaml up -d\n"},
        expect=(("compose.prod.yaml", 5),)),
    # The README's command to start the stack passes the committed env file: Compose reads its values.
    Example("env-file-the-readme-passes", {
        "docker-compose.yml": "services:\n  db:\n    image: mysql:8.4\n    env_file:\n      - ./.env.dev\n"
                              "    environment:\n      - MYSQL_PASSWORD=${SQL_PASSWORD}\n",
        ".env.dev": "SQL_PASSWORD=devpass\n",
        "README.md": "# Payments\n\n```\ndocker-compose --env-file .env.dev up --build\n```\n"}),
    Example("env-file-the-readme-passes-lacks-it", {
        "docker-compose.yml": "services:\n  db:\n    image: mysql:8.4\n    env_file:\n      - ./.env.dev\n"
                              "    environment:\n      - MYSQL_PASSWORD=${SQL_PASSWORD}\n",
        ".env.dev": "SQL_USER=dev\n",
        "README.md": "# Payments\n\n```\ndocker-compose --env-file .env.dev up --build\n```\n"},
        expect=(("docker-compose.yml", 7),)),
    Example("readme-passes-an-env-file-to-another-stack", {
        "docker-compose.yml": "services:\n  db:\n    image: mysql:8.4\n    env_file:\n      - ./.env.dev\n"
                              "    environment:\n      - MYSQL_PASSWORD=${SQL_PASSWORD}\n",
        ".env.dev": "SQL_PASSWORD=devpass\n",
        "README.md": "```\ndocker compose -f compose.prod.yaml --env-file .env.dev up\n```\n"},
        expect=(("docker-compose.yml", 7),)),
    Example("exported-by-the-wrapper-script", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n"
                              "      DJANGO_SETTINGS_MODULE: ${DJANGO_SETTINGS}\n",
        "bin/env.sh": "export DJANGO_SETTINGS=${DJANGO_SETTINGS:-shop.settings.dev}\n\n"
                      "dc() {\n    docker compose -f docker-compose.yml \"$@\"\n}\n",
        "bin/up.sh": "#!/bin/bash\nsource bin/env.sh\ndc up --build\n"}),
    # Set for the one command, over lines continued with `\`.
    Example("set-for-the-command-over-continued-lines", {
        "compose/deploy.yml": "services:\n  proxy:\n    image: traefik:v3.1\n    command: >\n"
                              "      --certificatesresolvers.le.acme.email=${EMAIL}\n",
        "scripts/generate-stack.sh": "#!/usr/bin/env bash\nset -e\n\nTAG=${TAG:=prod} \\\n"
                                     "EMAIL=${EMAIL:=ops@example.com} \\\ndocker-compose \\\n"
                                     "-f compose/deploy.yml \\\nconfig > docker-stack-${TAG}.yml\n"}),
    # The script picks the file by the environment it exports (docker-compose.${ENV}.swarm.yml): prod's too.
    Example("exported-by-the-script-that-names-the-file-by-a-variable", {
        "docker-compose.prod.swarm.yml": "services:\n  web:\n    image: shop:${BUILD_NUMBER}\n",
        "run.sh": "#!/usr/bin/env bash\nexport ENV=loc\nexport BUILD_NUMBER=latest\n"
                  "export COMPOSE_FILE_DEPLOY=\"docker-compose.${ENV}.swarm.yml\"\n"
                  "docker-compose -f ${COMPOSE_FILE_DEPLOY} up -d\n"}),
    Example("wrapper-script-exports-another-variable", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n"
                              "      DJANGO_SETTINGS_MODULE: ${DJANGO_SETTINGS}\n",
        "bin/up.sh": "#!/bin/bash\nexport COMPOSE_BAKE=true\ndocker compose -f docker-compose.yml up --build\n"},
        expect=(("docker-compose.yml", 5),)),
    # CI runs the test file with the runner's variables; nobody runs it from a fresh clone.
    Example("compose-file-for-ci", {
        "docker-compose.ci.yml": "services:\n  tests:\n    build: .\n    command: pytest\n    environment:\n"
                                 "      COVERALLS_REPO_TOKEN: ${COVERALLS_REPO_TOKEN}\n"
                                 "      CI_BRANCH: ${CI_BRANCH}\n"}),
    Example("compose-file-only-a-ci-script-runs", {
        "compose.images.yaml": "services:\n  web:\n    image: registry.example.com/shop/web:${CI_COMMIT}\n",
        "ci/build.sh": "#!/bin/bash\nset -e\ndocker compose -f compose.yaml -f compose.images.yaml up -d\n"}),
    # A Jenkins job's import stack, kept in the folder of Jenkins' files: the job's environment gives the variable.
    Example("compose-file-in-the-jenkins-folder", {
        "web/.jenkins/import/docker-compose.yml": "services:\n  importer:\n    image: acme/importer\n"
                                                  "    environment:\n      ENVIRONMENT: ${ENVIRONMENT}\n"}),
    Example("compose-file-a-developer-runs-too", {
        "compose.images.yaml": "services:\n  web:\n    image: registry.example.com/shop/web:${CI_COMMIT}\n",
        "ci/build.sh": "#!/bin/bash\nset -e\ndocker compose -f compose.yaml -f compose.images.yaml up -d\n",
        "Makefile": "up:\n\tdocker compose -f compose.yaml -f compose.images.yaml up\n"},
        expect=(("compose.images.yaml", 3),)),
    # The committed template leaves the credentials empty on purpose: each developer's shell may set them.
    Example("left-empty-by-the-template", {
        "docker/compose.yaml": "services:\n  web:\n    build: ..\n    env_file: ../.env\n    environment:\n"
                               "      - AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}\n",
        ".gitignore": "/.env\n", ".env.example": "DEBUG=on\nAWS_ACCESS_KEY_ID=\"\"\n"}),
    Example("not-in-the-template", {
        "docker/compose.yaml": "services:\n  web:\n    build: ..\n    env_file: ../.env\n    environment:\n"
                               "      - AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}\n",
        ".gitignore": "/.env\n", ".env.example": "DEBUG=on\nAWS_REGION=eu-west-1\n"},
        expect=(("docker/compose.yaml", 6),)),
    # The deployment guide lists what the server's `.env` holds: the development template does not have it.
    Example("listed-by-the-deployment-guide", {
        "docker-compose.prod.yml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                                   "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n",
        ".gitignore": "/.env\n", ".env.example": "DEBUG=on\n",
        "docs/DEPLOY.md": "## Deploy\n\n### Create the production `.env`\n\n```env\nDEBUG=off\n"
                          "POSTGRES_PASSWORD=<a long random password>\n```\n"}),
    # direnv exports the project's variables into every shell opened in it: Compose, run there, sees them.
    Example("exported-by-the-direnv-file", {
        "compose/dev.yml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                           "      POSTGRES_DB: ${PROJECT_NAME}\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n"
                           "    ports:\n      - \"${DB_PORT}:5432\"\n",
        ".envrc": "export PROJECT_NAME=shop\nexport DB_PORT=5433\ndotenv .env.dev\n",
        ".env.dev": "DB_PASSWORD=local-only\n"}),
    Example("not-exported-by-the-direnv-file", {
        "compose/dev.yml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                           "      POSTGRES_DB: ${PROJECT_NAME}\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n",
        ".envrc": "export PROJECT_NAME=shop\nexport PATH=$PWD/bin:$PATH\n"},
        expect=(("compose/dev.yml", 6),)),
    Example("escaped", {"compose.yaml": "services:\n  web:\n    image: app:1.0\n    command: sh -c 'echo $$HOME'\n"}),
])
def undefined_variable(project: Project) -> Iterator[Violation]:
    """A `${VAR}` in the compose file has no value and no default.

    ## What it does
    Reports each `${VAR}` (or `$VAR`) that the `.env` file beside the compose file does
    not define and that has no default (`${VAR:-default}`) and is not marked required
    (`${VAR:?message}`). When a service's `env_file:` defines the name, the message
    says so: `env_file:` values reach the container, they do not feed interpolation.
    Variables Compose always has are not reported: `PWD` and `COMPOSE_PROJECT_NAME`
    (Compose sets them itself) and those every login session exports (`HOME`, `USER`,
    `LOGNAME`, `PATH`, `SHELL`). `UID` and `HOSTNAME` are: bash sets them without
    exporting them, so Compose, another process, does not see them.

    When `.env` is made in each clone, a variable its committed template (`.env.example`)
    names only in a comment (`# POSTGRES_PASSWORD=`, for the user to uncomment and fill in),
    or that a committed setup script (a `*.sh`, `Makefile` or `justfile` beside the compose
    file or in `scripts/` or `bin/`) writes into `.env` (line by line, in a here-document, or
    into the file it links `.env` to: `ln -sf env/web .env`), or that the project's
    instructions list after telling the reader to create `.env` (a deployment guide's "Create
    the production `.env`" and its `POSTGRES_PASSWORD=...` lines), is each user's to provide:
    its value is unknown, not reported.
    Nor is a variable the CI pipeline that runs the compose file sets (a GitHub workflow
    naming `compose.prod.yaml` with `env: REGISTRY: ghcr.io`, writing the name to
    `$GITHUB_ENV` or exporting it in the step that deploys, `export TAG=...`; a project
    template's own workflows, kept in a `workflows/` folder beside its setup to install;
    GitLab's `variables:`, in the pipeline or a local file it includes; a pipeline names
    the file as it is or through a variable, `docker-compose.$ENVIRONMENT.yml`):
    that file is run there, with it set; and none when that pipeline writes the `.env`
    (`echo "$ENV_FILE" > .env`, from its secrets), whose values are unknown. A compose
    file only CI runs (named for CI or tests, `docker-compose.ci.yml`, or named by a
    pipeline or a script in `ci/` and by no other script) gets its variables from the
    runner: not judged. The committed scripts that run the compose file, by its name or a
    pattern of it (`docker-compose.${ENV}.swarm.yml`), (a `*.sh`, a
    Makefile or a justfile beside it, at the top or in `bin/`, `scripts/`; a Python task
    runner's `tasks.py`, `fabfile.py` or `noxfile.py`; a crontab, `crontab.txt` or `backup.cron`,
    a server installs) give it the variables they `export`
    or set for the command (the `env` an invoke task passes, `os.environ["X"] = ...`), and
    those of the env file they pass (`--env-file config/prod.env`) or source (`set -a;
    . ./.env.prod`); what they give the stack's first file they give the overrides run with
    it. So does the project's direnv file, the `.envrc` of the compose file's folder or of a
    folder above it, which exports its variables into every shell opened there (`export
    CI_PROJECT_NAME=shop`, `dotenv .env.dev`). So do the commands of the README and `docs/`
    that run it (`docker-compose --env-file .env.dev up --build` on a line of its own). An env file they
    pass from outside the repository (`--env-file "$HOME/config/.env"`) or that each user
    makes sets what each user wrote: not judged. A variable a committed env template sets
    empty (`AWS_ACCESS_KEY_ID=""` in `.env.example`) is left empty on purpose.

    ## Why is this bad?
    Compose substitutes an empty string and only prints a warning that scrolls away:
    the database starts with an empty password, a port mapping loses its host port, an
    image tag becomes `:` and the pull fails.

    ## Example
    ```yaml
    environment:
      POSTGRES_PASSWORD: ${DB_PASSWORD}
    ```
    with no `DB_PASSWORD` in `.env`. Use instead: define it in `.env`, or make the
    requirement explicit:
    ```yaml
      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}
    ```

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (values in `.env` are substituted into the compose file)
    - [Compose: interpolation](https://docs.docker.com/reference/compose-file/interpolation/)
    - [compose-go#272: interpolate COMPOSE_PROJECT_NAME](https://github.com/compose-spec/compose-go/pull/272)
    - [Bash reference: shell variables](https://www.gnu.org/software/bash/manual/html_node/Bash-Variables.html)
      (`UID`, `HOSTNAME`: set by the shell, not exported)
    """
    stack = project.stack
    if stack is None or not project.dotenv_known:
        return  # a gitignored .env each clone makes by hand: what it sets is unknown
    in_env_files = {name: ref.path for service in stack.services.values() for ref in service.env_files
                    if os.path.isfile(ref.path) for name in project.env_file(ref.path)}
    uses: dict[str, list[Location]] = {}
    for located in stack.unset_variables:
        if located.value in COMPOSE_KNOWS:
            continue
        if located.location not in uses.setdefault(located.value, []):
            uses[located.value].append(located.location)
    left_empty = left_empty_by_templates(project, [ref.path for service in stack.services.values()
                                                   for ref in service.env_files])
    base = project.setup.compose_files[0]
    file = project.interpolation_file
    dotenv = ".env" if file == project.root / ".env" else project.display(file)
    for name, locations in uses.items():
        if provided_at_setup(project, project.interpolation_file, [name]):
            continue  # named in a comment of the template, or written by the setup script: each user's value
        if name in left_empty:
            continue  # a committed template sets it empty (AWS_ACCESS_KEY_ID=""): empty on purpose
        if all(_given(project, location.path, name) for location in locations) or _given(project, base, name):
            continue  # CI runs the compose file, or the scripts that run it (with the stack's first file) set it
        where = (f"; {project.display(in_env_files[name])} sets it, but `env_file:` values reach the container, "
                 f"not the compose file") if name in in_env_files else ""
        if name in NOT_EXPORTED:
            where += f" (bash sets {name} but does not export it: Compose does not see it)"
        yield Violation(locations[0], f"${{{name}}} is not set in {dotenv} and has no default: Compose substitutes "
                                      f"an empty string with a warning{where}; define it in {dotenv}, write "
                                      f"${{{name}:?message}} if it must be set or ${{{name}:-}} if it may be empty",
                        related=tuple(locations[1:]))


def _given(project: Project, compose_file: Path, name: str) -> bool:
    """Whether what runs the compose file gives it the variable: CI alone runs it (the runner's variables),
    the CI pipeline that runs it sets it, or the committed scripts that run it do (``export``, ``--env-file``),
    or pass an env file whose variables are unknown; a pipeline that runs it and writes its ``.env`` (``echo
    "$ENV_FILE" > .env``, from the pipeline's secrets) gives it what that file holds: unknown."""
    if run_only_by_ci(project, compose_file) or name in set_by_pipeline(project, compose_file) \
            or written_by_pipeline(project, compose_file, compose_file.parent / ".env"):
        return True
    given = given_by_launch_scripts(project, compose_file)
    exported = exported_by_direnv(project, compose_file)
    return given is None or name in given or exported is None or name in exported
