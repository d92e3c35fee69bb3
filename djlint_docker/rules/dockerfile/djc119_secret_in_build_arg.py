"""DJC119 secret-in-build-arg: a secret passed into the build (a build argument, or an env file copied in)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Instruction, Stage, arg_pairs, key_values
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._copies import context_known, missing_from_context
from djlint_docker.rules.dockerfile._secrets import secret_name
from djlint_docker.rules.project._env_files import is_env_name
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")  # the names a value refers to (linear: no search for "}")
COLLECTSTATIC_WITH_KEY = REQUIREMENTS_DOCKERFILE + (
    "ARG DJANGO_SECRET_KEY\nRUN DJANGO_SECRET_KEY=$DJANGO_SECRET_KEY python manage.py collectstatic --noinput\n"
    "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n")


@rule("DJC119", "secret-in-build-arg", Severity.ERROR, examples=[
    Example("arg-for-collectstatic", {"Dockerfile": COLLECTSTATIC_WITH_KEY, "manage.py": MANAGE},
            expect=(("Dockerfile", 7),)),
    # Declared but never given a value (compose passes no args) and never used: nothing reaches the history.
    Example("argument-compose-never-passes", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n",
        "Dockerfile": "FROM python:3.12-slim\nARG SECRET_KEY ${SECRET_KEY}\nWORKDIR /app\nCOPY . .\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    # Compose passes the hosts, not the key: the ENV that would store the key stores an empty value.
    Example("stored-argument-compose-never-passes", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      args:\n"
                        "        DJANGO_ALLOWED_HOSTS: api, backend\n",
        "Dockerfile": "FROM python:3.12-slim\nARG DJANGO_ALLOWED_HOSTS\nARG DJANGO_SECRET_KEY\n"
                      "ENV DJANGO_ALLOWED_HOSTS=$DJANGO_ALLOWED_HOSTS DJANGO_SECRET_KEY=$DJANGO_SECRET_KEY\n"
                      "WORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("stored-argument-compose-passes", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      args:\n"
                        "        - DJANGO_ALLOWED_HOSTS=api\n        - DJANGO_SECRET_KEY\n",
        "Dockerfile": "FROM python:3.12-slim\nARG DJANGO_ALLOWED_HOSTS\nARG DJANGO_SECRET_KEY\n"
                      "ENV DJANGO_ALLOWED_HOSTS=$DJANGO_ALLOWED_HOSTS DJANGO_SECRET_KEY=$DJANGO_SECRET_KEY\n"
                      "WORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 4),)),
    Example("argument-compose-never-passes-used-by-a-run", {
        "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n",
        "Dockerfile": "FROM python:3.12-slim\nARG SECRET_KEY\nWORKDIR /app\nCOPY . .\n"
                      "RUN SECRET_KEY=$SECRET_KEY python manage.py collectstatic --noinput\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 2),)),
    Example("env-from-arg", {
        "Dockerfile": "FROM python:3.12-slim\nARG DB_PASSWORD\nENV DB_PASSWORD=$DB_PASSWORD\nWORKDIR /app\nCOPY . .\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    # A secret build argument no ENV stores keeps its own finding beside the ENV of the other.
    Example("one-argument-stored-the-other-used-by-a-run", {
        "Dockerfile": "FROM python:3.12-slim\nARG DJANGO_SECRET_KEY\nARG SENTRY_AUTH_TOKEN\n"
                      "ENV DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY}\nWORKDIR /app\nCOPY . .\n"
                      "RUN SENTRY_AUTH_TOKEN=$SENTRY_AUTH_TOKEN sentry-cli releases new \"$(git rev-parse HEAD)\"\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3), ("Dockerfile", 4))),
    Example("gitignored-env-file-copied", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE.replace("COPY . .\n", "COPY app/ app/\nCOPY manage.py .env ./\n"),
        ".gitignore": ".env\n", ".env": "SECRET_KEY=local-key-1\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 7),)),
    Example("committed-example-env-file", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "COPY .env.example .env\n",
        ".env.example": "SECRET_KEY=change-me\n", "manage.py": MANAGE}),
    Example("build-secret-mount", {
        "Dockerfile": REQUIREMENTS_DOCKERFILE + "RUN --mount=type=secret,id=django_secret_key,env=DJANGO_SECRET_KEY "
                      "python manage.py collectstatic --noinput\n", "manage.py": MANAGE}),
    Example("arg-only-in-the-builder-stage", {
        "Dockerfile": "FROM python:3.12-slim AS build\nARG PIP_INDEX_TOKEN\n"
                      "RUN pip wheel --wheel-dir /wheels django\n"
                      "FROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n", "manage.py": MANAGE}),
    Example("arg-with-a-literal-default-is-djc112s", {
        "Dockerfile": "FROM python:3.12-slim\nARG DJANGO_SUPERUSER_PASSWORD=admin\n"
                      "ENV DJANGO_SUPERUSER_PASSWORD=$DJANGO_SUPERUSER_PASSWORD\n", "manage.py": MANAGE}),
    Example("env-from-environment-name-and-file-path", {
        "Dockerfile": "FROM python:3.12-slim\nARG APP_VERSION\nENV APP_VERSION=$APP_VERSION "
                      "SECRET_KEY_FILE=/run/secrets/key\n", "manage.py": MANAGE}),
])
def secret_in_build_arg(project: Project) -> Iterator[Violation]:
    """A secret passed into the build (a build argument, or an env file copied in).

    ## What it does
    In the stages the final image is made of, reports an `ARG` with a secret's name
    (`SECRET_KEY`, `*_PASSWORD`, `*_TOKEN`, `*_API_KEY`) and no default, an `ENV` that
    gives a secret's name the value of a build argument (`ENV DB_PASSWORD=$DB_PASSWORD`),
    and a `COPY`/`ADD` of an env file the repository does not hold (`.env`, `.env.prod`,
    git-ignored or absent): the one each clone keeps its secrets in. DJC112
    `secret-in-image` reports secrets written in the Dockerfile itself (a literal `ENV`
    value or `ARG` default); this rule reports the secrets that arrive at build time,
    which DJC112 leaves alone. An `ARG` whose every secret an `ENV` stores
    (`ARG django_secret_key` then `ENV DJANGO_SECRET_KEY $django_secret_key`) is one
    problem with one fix (set the variable at run time, drop the argument): it is
    reported once, at the `ENV`, which names the `ARG`. A committed env file is
    DJC412's; an image only development runs is left alone, as is an `ARG` that gets no
    value (only compose builds the image, and its `args:` do not name it) and that nothing
    uses, or that only an `ENV` stores: it stores an empty value.

    ## Why is this bad?
    A build argument's value is recorded in the image's history for every `RUN` that
    follows it (`docker history` shows `|1 DJANGO_SECRET_KEY=... /bin/sh -c ...`) and in
    provenance attestations; an `ENV` copies it into the image's configuration
    (`docker inspect`); a copied env file is a layer anyone who pulls the image can
    extract. Whoever can pull the image has the production key or password.

    ## Example
    ```dockerfile
    ARG DJANGO_SECRET_KEY
    RUN DJANGO_SECRET_KEY=$DJANGO_SECRET_KEY python manage.py collectstatic --noinput
    ```
    Use instead: a build secret, never stored in the image (or a throwaway value for
    `collectstatic`, which needs no real key):
    ```dockerfile
    RUN --mount=type=secret,id=django_secret_key,env=DJANGO_SECRET_KEY \\
        python manage.py collectstatic --noinput
    ```

    ## References
    - [Docker: build variables](https://docs.docker.com/build/building/variables/)
      ("build arguments are visible in the `docker history` command and in max mode provenance attestations")
    - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
    - [Docker build checks: SecretsUsedInArgOrEnv](https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/)
    """
    for build, dockerfile in project.dockerfiles:
        if project.development_only(build):
            continue
        lineage = dockerfile.lineage(dockerfile.final)
        passed = _arguments_passed(project, build)
        arguments: dict[str, str | None] = dict(dockerfile.global_args)
        declared: dict[str, int] = {}  # each build argument's ARG line
        args: list[tuple[Instruction, list[str]]] = []
        stored: set[str] = set()  # the secret build arguments an ENV stores
        envs: list[tuple[Instruction, str, list[str]]] = []
        for stage in lineage:
            for instruction in stage.instructions:
                if instruction.keyword == "ARG":
                    pairs = arg_pairs(instruction.args)
                    arguments.update(pairs)
                    declared.update((name, instruction.line) for name, _ in pairs)
                    secrets = [name for name, default in pairs if default is None and secret_name(name) and "$" not in
                               name and not (passed is not None and name not in passed
                                             and _unused(lineage, instruction, name))]
                    if secrets:
                        args.append((instruction, secrets))
                elif instruction.keyword == "ENV":
                    for name, value in key_values(instruction.args):
                        refs = [ref for ref in REFERENCE.findall(value)
                                if ref in arguments and not _reported_by_djc112(ref, arguments[ref])
                                and not (passed is not None and ref not in passed and arguments[ref] is None)]
                        if secret_name(name) and refs:
                            envs.append((instruction, name, refs))
                            stored.update(refs)
        for instruction, secrets in args:
            if all(name in stored for name in secrets):
                continue  # the ENV that stores them is the finding: one fix (set it at run time) removes both
            names = ", ".join(f"`{name}`" for name in secrets[:5]) + (", ..." if len(secrets) > 5 else "")
            yield Violation(dockerfile.at(instruction),
                            f"build argument{'s' if len(secrets) > 1 else ''} {names} carr"
                            f"{'y' if len(secrets) > 1 else 'ies'} a secret: the value stays in the "
                            f"image's history (`docker history`); pass it with "
                            f"`RUN --mount=type=secret` or at run time")
        for instruction, name, refs in envs:
            origin = ", ".join(f"`ARG {ref}` on line {declared[ref]}" for ref in refs if ref in declared)
            yield Violation(dockerfile.at(instruction),
                            f"`ENV {name}` stores the build argument's value in the image's configuration "
                            f"(`docker inspect`){f', from {origin}' if origin else ''}; set {name} at "
                            f"run time instead, and drop the build argument")
        known = context_known(project, build)
        for stage in lineage:
            for instruction in stage.instructions:
                if instruction.keyword not in {"COPY", "ADD"} or instruction.flag("from") is not None:
                    continue
                # The sources only (Dockerfile.copies would also expand every WORKDIR, which is not needed here).
                parts = list(instruction.exec_form) if instruction.exec_form is not None else instruction.words()
                for source in parts[:-1]:
                    name = posixpath.basename(posixpath.normpath(source))
                    if not is_env_name(name):
                        continue
                    path = build.context / source
                    committed = project.is_file(path) and not project.gitignored(path)
                    if not committed and not (known and missing_from_context(project, build, source)):
                        # (a file the context lacks stops the build there, DJC122: nothing reaches a layer)
                        yield Violation(dockerfile.at(instruction),
                                        f"{instruction.keyword} puts `{source}`, an env file the repository "
                                        f"does not hold (each clone's own secrets), into a layer of the image: "
                                        f"anyone who pulls it reads them; give them to the container at run time "
                                        f"(env_file:, secrets:)")


def _reported_by_djc112(name: str, default: str | None) -> bool:
    """A secret's build argument with a literal default: DJC112 reports that ``ARG``, the root of the leak."""
    return secret_name(name) and bool(default) and "$" not in (default or "")


def _arguments_passed(project: Project, build: ImageBuild) -> frozenset[str] | None:
    """The build arguments the image gets a value for, when only compose builds it: those its ``args:`` name (CI or
    a script building a Dockerfile of its own may pass any: None)."""
    services = [service for service in project.services if service.name in build.services]
    if not services or any(service.build is None for service in services):
        return None
    return frozenset(name for service in services if service.build is not None for name in service.build.args)


def _unused(lineage: list[Stage], declared: Instruction, name: str) -> bool:
    """Whether no instruction after the ``ARG`` but an ``ENV`` names the argument: with no value either, it leaves
    nothing in the history, and the ``ENV`` stores an empty value."""
    return not any(name in REFERENCE.findall(instruction.script) for stage in lineage for instruction in
                   stage.instructions if instruction.line > declared.line and instruction.keyword != "ENV")
