"""DJC122 copy-source-missing: a `COPY` or `ADD` names a file the build context of a fresh clone lacks."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Copy, Dockerfile
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._copies import context_known, missing_from_context
from djlint_docker.rules.snippets import MANAGE

APP = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
       "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
       "CMD [\"gunicorn\", \"app.wsgi\", \"--bind\", \"0.0.0.0:8000\"]\n")
"""An image that copies its requirements first, then the whole context."""
WEB = "services:\n  web:\n    build: ./backend\n"


@rule("DJC122", "copy-source-missing", Severity.ERROR, cross=True, examples=[
    # The requirements live at the repository's top; compose builds from ./backend, which lacks them.
    Example("requirements-outside-the-context", {
        "compose.yaml": WEB, "backend/Dockerfile": APP, "backend/manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\n"}, expect=(("backend/Dockerfile", 3),)),
    # BuildKit joins `../requirements.txt` to the context's root: it copies backend/requirements.txt.
    Example("parent-path-read-from-the-context-root", {
        "compose.yaml": WEB, "backend/Dockerfile": APP.replace("COPY requirements.txt", "COPY ../requirements.txt"),
        "backend/manage.py": MANAGE, "backend/requirements.txt": "Django==5.1.3\n"}),
    Example("parent-path-the-context-lacks", {
        "compose.yaml": WEB, "backend/Dockerfile": APP.replace("COPY requirements.txt", "COPY ../requirements.txt"),
        "backend/manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}, expect=(("backend/Dockerfile", 3),)),
    Example("requirements-in-the-context", {
        "compose.yaml": WEB, "backend/Dockerfile": APP, "backend/manage.py": MANAGE,
        "backend/requirements.txt": "Django==5.1.3\n"}),
    Example("left-out-by-the-dockerignore", {
        "compose.yaml": WEB, "backend/Dockerfile": APP, "backend/manage.py": MANAGE,
        "backend/requirements.txt": "Django==5.1.3\n", "backend/.dockerignore": ".git\n*.txt\n"},
        expect=(("backend/Dockerfile", 3),)),
    # Each clone makes the certificates (git ignores them) and dhparams.pem (from its template), a Makefile the wheels.
    Example("file-each-clone-or-pipeline-makes", {
        "compose.yaml": WEB, "backend/manage.py": MANAGE, "backend/requirements.txt": "Django==5.1.3\n",
        "backend/Dockerfile": APP.replace("COPY . .\n", "COPY certs/site.key /etc/ssl/\nCOPY wheels/ /wheels/\n"
                                                     "COPY dhparams.pem /etc/nginx/\nCOPY . .\n"),
        "backend/dhparams.example.pem": "-----BEGIN DH PARAMETERS-----\n",
        ".gitignore": "certs/\n", "Makefile": "wheels:\n\tpip wheel -r backend/requirements.txt -w backend/wheels\n"}),
    Example("stage-the-image-leaves-behind", {
        "compose.yaml": WEB, "backend/manage.py": MANAGE, "backend/requirements.txt": "Django==5.1.3\n",
        "backend/Dockerfile": "FROM node:22 AS assets\nCOPY package.json .\nRUN npm install\n\n" + APP}),
    # The CI job builds with local.yml, then runs cicd/local.yml, which tags the same image: Compose runs it as built.
    Example("stack-file-running-the-image-another-builds", {
        "local.yml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: ./docker/Dockerfile\n"
                     "    image: shop_local_web\n",
        "cicd/local.yml": "services:\n  web:\n    build:\n      context: .\n"
                          "      dockerfile: ../docker/Dockerfile\n    image: shop_local_web\n",
        "docker/Dockerfile": APP, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
    Example("stack-file-building-its-own-image-from-the-wrong-folder", {
        "local.yml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: ./docker/Dockerfile\n"
                     "    image: shop_local_web\n",
        "cicd/local.yml": "services:\n  web:\n    build:\n      context: .\n"
                          "      dockerfile: ../docker/Dockerfile\n    image: shop_ci_web\n",
        "docker/Dockerfile": APP, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"},
        expect=(("docker/Dockerfile", 3),)),
    # The README's first step: put the database dump in the database image's folder.
    Example("file-the-readme-says-to-put-there", {
        "README.md": "# Shop\n\n## Setup\n\n1. Ensure you have a recent database dump called `data.backup` in the "
                     "`services/db` folder.\n2. Run `docker compose up`.\n",
        "compose.yaml": "services:\n  db:\n    build: ./services/db\n  web:\n    build: .\n",
        "services/db/Dockerfile": "FROM postgres:16\nCOPY data.backup /docker-entrypoint-initdb.d/\n",
        "Dockerfile": APP, "requirements.txt": "Django==5.1.3\n", "manage.py": MANAGE}),
    # The backend is a git submodule: a clone without --recurse-submodules holds its folder empty.
    Example("file-of-a-submodule", {
        ".gitmodules": "[submodule \"backend\"]\n\tpath = backend\n\turl = https://github.com/acme/shop-api.git\n",
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n",
        "docker/Dockerfile": APP.replace("COPY requirements.txt", "COPY backend/requirements.txt"),
        "manage.py": MANAGE}),
    Example("file-beside-a-submodule", {
        ".gitmodules": "[submodule \"frontend\"]\n\tpath = frontend\n\turl = https://github.com/acme/shop-ui.git\n",
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n",
        "docker/Dockerfile": APP.replace("COPY requirements.txt", "COPY backend/requirements.txt"),
        "manage.py": MANAGE}, expect=(("docker/Dockerfile", 3),)),
    # A Dockerfile no compose file builds may be built from a folder djcheck cannot know.
    Example("dockerfile-no-compose-file-builds", {
        "docker/Dockerfile": APP, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
])
def copy_source_missing(project: Project) -> Iterator[Violation]:
    """A `COPY` or `ADD` names a file the build context of a fresh clone lacks.

    ## What it does
    For each image a compose file builds, reads the `COPY`/`ADD` instructions of the stages
    the final image is made of (not those of a stage it leaves behind, which BuildKit skips)
    and reports a source, written without a variable or a wildcard, that is not in the build
    context: the file is not in the repository, lies outside the context (a file of the top
    folder when compose builds from `./backend`; BuildKit reads `../requirements.txt` as the
    context's own `requirements.txt`, since nothing above the context is sent), or the context's
    `.dockerignore` leaves it out. A file git tracks, one in a git submodule (a
    `path =` of `.gitmodules`: a clone made without `--recurse-submodules` holds the
    folder empty), one git ignores (each clone or the
    build makes it: certificates, built assets), one a committed template
    (`dhparams.example.pem` for `dhparams.pem`) or the README's
    instructions make, or one a launch script, a Makefile or a CI pipeline names (a step
    that writes it before the build) is not reported;
    nor is a Dockerfile no compose file builds, whose context djcheck cannot know, nor one a
    stack tags (`image: shop_local_django`) with the name another compose file of the project
    gives it when it builds it from another context: Compose runs that image rather than
    build it again (a CI stack file `cicd/local.yml` after `docker compose -f local.yml build`).

    ## Why is this bad?
    The build stops: `COPY failed: file not found in build context` (BuildKit: `failed to
    compute cache key: "/requirements.txt": not found`). Docker sends only the context,
    minus what `.dockerignore` excludes; nothing above it can be copied. Every fresh clone, CI
    run and server fails the same way.

    ## Example
    ```yaml
    services:
      web:
        build: ./backend
    ```
    with `COPY requirements.txt .` while `requirements.txt` is at the repository's top.
    Use instead: build from the folder that holds it (`build: {context: ., dockerfile:
    backend/Dockerfile}`) or move the file into the context.

    ## References
    - [Docker: build context](https://docs.docker.com/build/concepts/context/)
      (only files in the context can be copied)
    - [Dockerfile reference: COPY](https://docs.docker.com/reference/dockerfile/#copy)
    """
    for build, dockerfile in project.dockerfiles:
        if not context_known(project, build):
            continue
        reported: set[str] = set()
        for copy in _copies(project, dockerfile):
            for source in copy.sources:
                if source in reported:
                    continue
                why = missing_from_context(project, build, source)
                if why is not None:
                    reported.add(source)
                    yield Violation(dockerfile.at(copy.instruction),
                                    f"`{copy.instruction.keyword} {source}`: {why}, so the build stops "
                                    f"(\"not found\"); build from the folder that holds it or move it into the "
                                    f"context `{project.display(build.context)}`")


def _copies(project: Project, dockerfile: Dockerfile) -> Iterator[Copy]:
    """The ``COPY``/``ADD`` of the build context in the stages the final image is made of, each once."""
    for stage in project.feeding_stages(dockerfile):
        own = {id(instruction) for instruction in stage.instructions}
        yield from (copy for copy in dockerfile.copies(stage) if id(copy.instruction) in own)
