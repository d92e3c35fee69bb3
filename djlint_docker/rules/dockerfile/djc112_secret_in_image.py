"""DJC112 secret-in-image: a secret is baked into the image with `ENV` or an `ARG` default."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import arg_pairs, key_values
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._final_image import final_lineage
from djlint_docker.rules.dockerfile._secrets import secret_name
from djlint_docker.rules.project._git import placeholder, switched_off
from djlint_docker.rules.snippets import MANAGE


@rule("DJC112", "secret-in-image", Severity.ERROR, examples=[
    Example("env-secret-key", {"Dockerfile": "FROM python:3.12-slim\nENV SECRET_KEY=please_change_me DEBUG=0\n",
                               "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("arg-password-default", {"Dockerfile": "FROM python:3.12-slim\nARG DB_PASSWORD=hunter2\n",
                                     "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("build-time-placeholder-argument", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir django\n"
                      "ARG SECRET_KEY=dummy\nRUN python manage.py collectstatic --noinput\n",
        "manage.py": MANAGE}),
    # Chromium's switch that turns its Google services off: no key at all.
    Example("switched-off", {"Dockerfile": "FROM python:3.12-slim\nENV GOOGLE_API_KEY=no \\\n"
                                           "    GOOGLE_DEFAULT_CLIENT_SECRET=no\n", "manage.py": MANAGE}),
    Example("arg-without-default-and-file", {
        "Dockerfile": "FROM python:3.12-slim\nARG SECRET_KEY\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db\n"
                      "ENV API_TOKEN=${API_TOKEN}\n", "manage.py": MANAGE}),
])
def secret_in_image(project: Project) -> Iterator[Violation]:
    """A secret is baked into the image with `ENV` or an `ARG` default.

    ## What it does
    Reports `ENV` and `ARG` in the final image's stages that give `SECRET_KEY` or a
    variable whose name ends in `PASSWORD`, `TOKEN`, `SECRET` or `API_KEY` a literal
    value. References (`${VAR}`), `ARG` without default and `*_FILE` paths are fine, as is
    an `ARG` default that says it is no secret (`ARG SECRET_KEY=dummy`, which lets
    `collectstatic` import the settings at build time and ends with the build), and a value
    that turns the feature off (`ENV GOOGLE_API_KEY=no`, `false`, `none`). An `ENV`
    placeholder stays in the image: a container started without the real value runs with it.

    ## Why is this bad?
    `ENV` values and `ARG` defaults are stored in the image's metadata: anyone who can
    pull the image reads them with `docker inspect` or `docker history`.

    ## Example
    ```dockerfile
    ENV SECRET_KEY=please_change_me
    ```
    Use instead: pass secrets at run time (compose `environment:` from `${VAR}`, an
    `env_file`, or `secrets:`); for build-time needs use `RUN --mount=type=secret`.

    ## References
    - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
      (SECRET_KEY passed with `docker run -e`, not baked)
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (settings read secrets from the environment)
    - [Docker build secrets](https://docs.docker.com/build/building/secrets/)
    """
    for dockerfile, lineage in final_lineage(project):
        for stage in lineage:
            for instruction in stage.instructions:
                if instruction.keyword == "ENV":
                    pairs = key_values(instruction.args)
                elif instruction.keyword == "ARG":
                    pairs = [(n, v) for n, v in arg_pairs(instruction.args) if v is not None]
                else:
                    continue
                for name, value in pairs:
                    if secret_name(name) and value and "$" not in value and not switched_off(value) \
                            and not (instruction.keyword == "ARG" and placeholder(value)):
                        yield Violation(dockerfile.at(instruction),
                                        f"`{instruction.keyword} {name}` gives a secret a literal value that "
                                        f"stays in the image's layers; pass it at run time")
