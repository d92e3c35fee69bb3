"""DJC412 env-file-committed: An env file with secrets is not ignored by git."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.compose import Service
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.project._env_files import EXAMPLE_ENV, development_env, is_env_file, regenerated_by_script
from djlint_docker.rules.project._git import env_secrets, in_git
from djlint_docker.rules.settings._dotenv_files import loaded_from_the_image
from djlint_docker.rules.snippets import COPY_ALL, MANAGE

LOCAL_STACK = """\
services:
  django:
    build: .
    command: python manage.py runserver 0.0.0.0:8000
    volumes:
      - .:/app:z
    env_file:
      - ./.envs/.local/.django
      - ./.envs/.local/.postgres
  postgres:
    image: postgres:16
    env_file:
      - ./.envs/.local/.postgres
"""
"""A development stack whose env files, committed on purpose, live in a folder of their own."""

PRODUCTION_STACK = """\
services:
  django:
    build: .
    command: gunicorn config.wsgi --bind 0.0.0.0:5000
    env_file:
      - ./.envs/.production/.django
      - ./.envs/.production/.postgres
  postgres:
    image: postgres:16
    env_file:
      - ./.envs/.production/.postgres
"""
"""The deployed stack of the same project."""

COLLABORATING_STACK = """\
services:
  app:
    build: .
    command: python manage.py runserver 0.0.0.0:8000
    volumes:
      - .:/app
    env_file:
      - env.d/development/common
  collaboration:
    image: ghcr.io/example/collab-server:1.4
    env_file:
      - env.d/development/common
"""
"""A development stack whose Django service and a third-party server read the committed development defaults."""

ENV_FOLDERS = {"Dockerfile": COPY_ALL, "manage.py": MANAGE, "local.yml": LOCAL_STACK,
               ".envs/.local/.django": "USE_DOCKER=yes\nREDIS_URL=redis://redis:6379/0\n",
               ".envs/.local/.postgres": "POSTGRES_HOST=postgres\nPOSTGRES_USER=app\n"
                                        "POSTGRES_PASSWORD=k3Yq0local9Zr\n"}
"""A project that keeps the env files of each stack under ``.envs/<stack>/``."""


@rule("DJC412", "env-file-committed", Severity.WARNING, cross=True, examples=[
    Example("dotenv-with-password", {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n",
                                     "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": ".env\n",
                                     ".env.prod": "DEBUG=0\nSECRET_KEY=9f8a7b6c5d\n"}, expect=((".env.prod", 2),)),
    # The frontend's build compiles REACT_APP_* into the JavaScript every visitor downloads: public by design.
    Example("browser-bundle-token", {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n",
                                     "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": ".env\n",
                                     ".env.prod": "REACT_APP_MAPBOX_ACCESS_TOKEN=pk.eyJ1IjoiZXhhbXBsZSJ9.x1y2z3\n"
                                                  "NEXT_PUBLIC_ANALYTICS_KEY=a8f3k2\n"}),
    Example("ignored", {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n",
                        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": ".env*\n!.env.example\n",
                        ".env.prod": "SECRET_KEY=9f8a7b6c5d\n", ".env.example": "SECRET_KEY=\n"}),
    Example("sample-in-env-folder", {"compose.yaml": "services:\n  web:\n    build: .\n"
                                                     "    env_file: .env/.prod-sample\n",
                                     "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "*.pyc\n",
                                     ".env/.prod-sample": "SECRET_KEY=not-a-real-one\n"}),
    # sops encrypted each value in place (`.sops.yaml` names the keys): ciphertext, committed on purpose.
    Example("values-sops-encrypted", {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: .secrets.env\n",
                                      "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "*.pyc\n",
                                      ".secrets.env": "OPENAI_API_KEY=ENC[AES256_GCM,data:Hq3vRw9kLm2pXe0,"
                                                      "iv:Yk2Qw8rTn4Lz7c,tag:Pa9mXe3Wv1Qb,type:str]\n"
                                                      "DB_PASSWORD=Zt4kq9Wm2xV7\n"},
            expect=((".secrets.env", 2),)),
    Example("placeholder-to-change", {"compose.yaml": "services:\n  web:\n    build: .\n    env_file: web.env\n",
                                      "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "*.pyc\n",
                                      "web.env": "# Required: generate one and put it here\nSECRET_KEY=change-me\n"}),
    # cookiecutter-django's committed production env file, its values marks for the deployer to replace.
    Example("cookiecutter-marks-to-set", {
        "production.yml": "services:\n  django:\n    build: .\n    env_file:\n      - ./.envs/.production/.django\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "*.pyc\n",
        ".envs/.production/.django": "DJANGO_SECRET_KEY=!!!SET DJANGO_SECRET_KEY!!!\n"
                                     "DJANGO_ADMIN_URL=!!!SET DJANGO_ADMIN_URL!!!\n"}),
    # A template repository's own marks between `!!`, for each project made from it to replace.
    Example("marks-between-exclamation-marks", {
        "production.yml": "services:\n  django:\n    build: .\n    env_file:\n      - ./.envs/.production/.django\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "*.pyc\n",
        ".envs/.production/.django": "DJANGO_SECRET_KEY=!!SECRETKEYHERE!!\nMAILGUN_API_KEY=!!MAILGUNKEY!!\n"}),
    # A dummy committed so that the settings load: one word said three times.
    Example("filler-of-one-word-repeated", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": "*.pyc\n", ".env": "SENDGRID_API_KEY=hellohellohello\n"}),
    # Instructions written as the value: the deployer replaces them.
    Example("instructions-in-place-of-values", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.production\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": "*.pyc\n",
        ".env.production": "DJANGO_SECRET_KEY='change_with_50+_long_random_string'\n"
                           "DB_PASSWORD=REPLACE_WITH_A_STRONG_PASSWORD\n"}),
    # The values describe what the deployer puts there.
    Example("descriptions-in-place-of-values", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env.prod\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": "*.pyc\n",
        ".env.prod": "POSTGRES_USER=shop\nPOSTGRES_PASSWORD=a_very_strong_database_password\n"
                     "EMAIL_HOST_PASSWORD=the-mailbox-password\n"}),
    # The worker's env file is committed with `x` for the token the deploy script passes in its place.
    Example("one-letter-fillers", {
        "compose.yaml": "services:\n  worker:\n    build: .\n    env_file: docker/prod/worker.env\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "*.pyc\n",
        "docker/prod/worker.env": "AUTH_TOKEN=x\nAPI_SERVER=django\nAWS_SECRET_ACCESS_KEY=xxx\n"}),
    Example("values-that-say-they-are-examples-for-development", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: config/common\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": "*.local\n",
        "config/common": "DJANGO_SECRET_KEY=ThisIsAnExampleKeyOnlyForDevelopment\n"
                         "OIDC_RP_CLIENT_SECRET=dont-use-this-in-production\nAPI_TOKEN=YourApiTokenHere\n"}),
    Example("key-django-admin-wrote", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: web.env\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": "*.pyc\n",
        "web.env": "DJANGO_SECRET_KEY=django-insecure-k7q2x9w3m1z8p4r6t0y5u2i8o3e1a9s4d7f2g6h0j5\n"},
        expect=(("web.env", 1),)),
    # The end-to-end test stack serves the site with gunicorn from the development defaults: the folder says what
    # they are.
    Example("development-folder-of-a-project-deployed-elsewhere", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, "production.yml": PRODUCTION_STACK,
        ".gitignore": ".envs/.production/\n*.local\n", "compose.yaml": COLLABORATING_STACK,
        "compose-e2e.yml": "services:\n  app:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                           "    env_file:\n      - env.d/development/common\n",
        "env.d/development/common": "DJANGO_SUPERUSER_PASSWORD=admin\nCOLLABORATION_SERVER_SECRET=my-secret\n",
        ".envs/.production/.django": "DJANGO_SECRET_KEY=9f8a7b6c5d4e3f2a1b0c\n",
        ".envs/.production/.postgres": "POSTGRES_PASSWORD=Zx81-prod-Qw\n"}),
    Example("development-folder-is-all-it-has", {
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".gitignore": "*.local\n", "compose.yaml": COLLABORATING_STACK,
        "env.d/development/common": "DJANGO_SUPERUSER_PASSWORD=admin\nCOLLABORATION_SERVER_SECRET=my-secret\n"},
        expect=(("env.d/development/common", 1),)),
    Example("random-value-after-example-ones", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: config/common\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": "*.local\n",
        "config/common": "DJANGO_SECRET_KEY=ThisIsAnExampleKeyOnlyForDevelopment\n"
                         "EMAIL_HOST_PASSWORD=Rk7w2Lq9xTe4\n"}, expect=(("config/common", 2),)),
    Example("real-value-beside-a-placeholder", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: web.env\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": "*.pyc\n", "web.env": "SECRET_KEY=<your key>\nDB_PASSWORD=s3cr3t-2024\n"},
        expect=(("web.env", 2),)),
    Example("development-env-files-of-a-project-deployed-elsewhere", {
        **ENV_FOLDERS, "production.yml": PRODUCTION_STACK, ".gitignore": ".envs/.production/\n",
        ".envs/.production/.django": "DJANGO_SECRET_KEY=9f8a7b6c5d4e3f2a1b0c\n",
        ".envs/.production/.postgres": "POSTGRES_PASSWORD=Zx81-prod-Qw\n"}),
    Example("development-env-files-are-all-it-has", {**ENV_FOLDERS, ".gitignore": "*.pyc\n"},
            expect=((".envs/.local/.postgres", 3),)),
    Example("production-env-file-committed-beside-development-ones", {
        **ENV_FOLDERS, "production.yml": PRODUCTION_STACK, ".gitignore": "*.pyc\n",
        ".envs/.production/.django": "DJANGO_SECRET_KEY=9f8a7b6c5d4e3f2a1b0c\n",
        ".envs/.production/.postgres": "POSTGRES_PASSWORD=Zx81-prod-Qw\n"},
        expect=((".envs/.production/.django", 1), (".envs/.production/.postgres", 1))),
    Example("template-named-first", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": ".env\n",
        "TEMPLATE.env": "# Make a copy of this file named .env and fill it in\nDJANGO_SECRET_KEY=random_string\n"
                        "DB_PASSWORD=shop_db_password\n"}),
    Example("settings-about-secrets-are-no-secrets", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: web.env\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": "*.pyc\n",
        "web.env": "API_KEY_RATE_LIMIT=60/minute\nPASSWORD_RESET_TIMEOUT=259200\nTOKEN_URL=https://id.example.com/t\n"}),
    Example("old-secret-keys-kept-for-rotation", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: web.env\n", "Dockerfile": COPY_ALL,
        "manage.py": MANAGE, ".gitignore": "*.pyc\n",
        "web.env": "API_KEY_RATE_LIMIT=60/minute\nSECRET_KEY_FALLBACKS=q8w7e6r5t4y3u2i1o0p9\n"},
        expect=(("web.env", 2),)),
    Example("no-secret-values", {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": COPY_ALL,
                                 "manage.py": MANAGE, ".gitignore": "*.pyc\n", ".env.dev": "SECRET_KEY=\nDEBUG=1\n"}),
])
def env_file_committed(project: Project) -> Iterator[Violation]:
    """An env file with secrets is not ignored by git.

    ## What it does
    In a project under git, reads the env files beside the compose file (`.env`,
    `.env.prod`, `prod.env`...), those `env_file:` names and those an image's start
    script sources (`set -a; source .env`), and reports the first
    secret (a name ending in `SECRET_KEY`, `PASSWORD`, `TOKEN`, `API_KEY`..., or Django's
    `SECRET_KEY_FALLBACKS`; not `API_KEY_RATE_LIMIT` or `PASSWORD_RESET_TIMEOUT`, nor a
    name a frontend build compiles into the browser's JavaScript, public by design:
    `REACT_APP_*`, `NEXT_PUBLIC_*`, `VITE_*`...) with a
    value in each file that `.gitignore` does not ignore, or that git tracks though the
    `.gitignore` lists it (committed before it was listed: git ignores untracked files only,
    read from git's index). Templates meant to be copied
    (`.env.example`, `env.example`, `.env.sample`, `.env.dev-sample`, `.env.template`,
    `prod.env.template`, `.env.dist`, `TEMPLATE.env`) and development files (`.env.dev`, `.env.local`,
    `.env.test`), which projects commit on purpose with throwaway values, are not
    reported, nor is a value the project's setup script replaces with a generated one
    (`sed -i "s/^SECRET_KEY=.*/SECRET_KEY=$(openssl rand -hex 32)/" ./*/.env`), nor a value
    that says it is no real secret: a placeholder the user is
    told to replace (`SECRET_KEY=change-me`, `your-api-token`) or a value said to be an
    example or for development (`ThisIsAnExampleKeyForDevPurposeOnly`,
    `dont-use-in-production`, `insecure-dev-key`; a key `django-admin startproject` wrote,
    `django-insecure-` and random characters, is a secret); DJC207 and DJC402 judge values alike.
    Nor is a value sops encrypted in place (`OPENAI_API_KEY=ENC[AES256_GCM,data:...]`): ciphertext that
    only the keys of the project's `.sops.yaml` open.
    Nor is an env file that only development stacks read (`env_file:` of services that
    run `runserver` or mount the source, or of a `local`/`dev` compose file, such as
    cookiecutter-django's `.envs/.local/.postgres`), or that lies in a folder named for
    development (`env.d/development/common`, `.envs/.local/`), when the project also has a
    deployed configuration: its values are throwaway ones every clone starts with. A
    project whose only stack is a development one ships it, and is reported.

    ## Why is this bad?
    Once committed and pushed, the secret is in the history of every clone and fork;
    removing the file later does not remove it. It must be rotated.

    ## Example
    ```
    # .env.prod, committed
    SECRET_KEY=9f8a7b6c5d
    ```
    Use instead: add `.env*` and `!.env.example` to `.gitignore`, commit an
    `.env.example` with empty values.

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (`.env` kept out of version control)
    - [git: gitignore](https://git-scm.com/docs/gitignore)
    """
    if not in_git(project):
        return
    for path in _env_files(project):
        # a value the project's setup script replaces with a generated one is a placeholder (`sed -i "s/^KEY=.*/...`)
        secrets = [(name, line) for name, line in env_secrets(project, path)
                   if not regenerated_by_script(project, path, name)]
        if secrets and not project.gitignored(path) and not _development_values(project, path):
            name, line = secrets[0]
            shown = project.display(path)
            if project.gitignore_lists(path):  # committed before the .gitignore listed it
                yield Violation(Location(path, line), f"{shown} holds {name} and is committed though .gitignore "
                                                      f"lists it (git ignores untracked files only): every clone has "
                                                      f"the value; `git rm --cached {shown}` and keep a template with "
                                                      f"placeholders (rotate the value if it is already pushed)")
                continue
            yield Violation(Location(path, line), f"{shown} holds {name} and git does not ignore it: "
                                                  f"committed, every clone has the value; keep a template with "
                                                  f"placeholders in git and ignore the file (rotate the value if it "
                                                  f"is already pushed)")


def _env_files(project: Project) -> list[Path]:
    """The env files of the setup that may hold real secrets: not examples, not development files. Those at its top,
    those its services read (``env_file:``) and those its images' start scripts source (``source .env``)."""
    found = {p for p in project.root.iterdir() if os.path.isfile(p) and is_env_file(p)} \
        if os.path.isdir(project.root) else set()
    found |= {ref.path for service in project.services for ref in service.env_files
              if os.path.isfile(ref.path) and not EXAMPLE_ENV.search(ref.path.name)}
    found |= {path for build in project.builds for path in project.sourced_files(build)  # `set -a; source .env`
              if is_env_file(path) and not EXAMPLE_ENV.search(path.name)}
    return sorted(p for p in found if p.is_relative_to(project.boundary) and not development_env(p))


DEVELOPMENT_FOLDER = re.compile(r"\.?(dev|develop|development|local)", re.I)
"""A folder of env files for development (``env.d/development/``, ``.envs/.local/``)."""


def _development_values(project: Project, path: Path) -> bool:
    """Whether only development stacks read the env file (``env_file:``), or it lies in a folder named for development
    (``env.d/development/common``), and the project is deployed another way."""
    if not project.deployed_elsewhere or _loaded_by_a_deployed_image(project, path):
        return False
    if path.is_relative_to(project.boundary) and any(
            DEVELOPMENT_FOLDER.fullmatch(part) for part in path.relative_to(project.boundary).parts[:-1]):
        return True
    readers = [(other, service) for other in [project, *project.related] for service in other.services
               if any(ref.path == path for ref in service.env_files)]
    return bool(readers) and all(_development_service(project, other, service) for other, service in readers)


def _loaded_by_a_deployed_image(project: Project, path: Path) -> bool:
    """Whether settings load the committed file themselves (``environ.Env.read_env()``) in an image a platform or a
    pipeline deploys, which holds it (``COPY . .``): the deployment reads its values, whatever stack also names it."""
    return any(run.build is not None and run.build.dockerfile_path in other.deployed_dockerfiles
               and any(path in loaded_from_the_image(other, run, settings) for settings in run.settings)
               for other in (project, *project.related) for run in other.django_runs)


def _development_service(project: Project, other: Project, service: Service) -> bool:
    """Whether a service of this setup or of a related one serves development alone."""
    return project.development_only(service) if other is project else other.development_service(service)
