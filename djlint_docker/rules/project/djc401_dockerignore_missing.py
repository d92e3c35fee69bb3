"""DJC401 dockerignore-missing: The whole build context is copied and there is no `.dockerignore`."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.edits import insert_lines
from djlint_docker.findings import Fix, Severity, Violation
from djlint_docker.parse.dockerfile import Dockerfile, Instruction
from djlint_docker.positions import Location
from djlint_docker.project import DEVELOPMENT_WORDS, PRODUCTION_WORDS, ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._copies import whole_context_copy
from djlint_docker.rules.project._context import copies_context, holds_django
from djlint_docker.rules.project._dockerignore_patterns import as_named, exclusions
from djlint_docker.rules.snippets import COPY_ALL, MANAGE, PYTHON_ENV_BASE


@rule("DJC401", "dockerignore-missing", Severity.ERROR, cross=True, fix="safe", examples=[
    Example("no-dockerignore", {"Dockerfile": COPY_ALL, "manage.py": MANAGE}, expect=(("Dockerfile", 5),)),
    Example("compose-context-subfolder", {
        "compose.yaml": "services:\n  web:\n    build: ./app\n",
        "app/Dockerfile": "FROM python:3.12-slim\nADD . /code/\n",
        "app/manage.py": MANAGE, ".dockerignore": ".git\n"}, expect=(("app/Dockerfile", 2),)),
    # A side service's folder holding its own few files: nothing there to keep out.
    Example("side-service-folder-with-nothing-to-keep-out", {
        "compose.yaml": "services:\n  web:\n    build: .\n  nginx:\n    build: ./nginx\n    ports:\n"
                        "      - \"80:80\"\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env\n",
        "nginx/Dockerfile": "FROM nginx:1.27-alpine\nCOPY . /etc/nginx/conf.d/\n",
        "nginx/default.conf": "server {\n  listen 80;\n  location / { proxy_pass http://web:8000; }\n}\n"}),
    Example("side-service-folder-with-an-env-file", {
        "compose.yaml": "services:\n  web:\n    build: .\n  worker:\n    build: ./worker\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env\n",
        "worker/Dockerfile": "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /worker .\n",
        "worker/main.go": "package main\n\nfunc main() {}\n", "worker/.env": "API_TOKEN=abc123\n"},
        expect=(("worker/Dockerfile", 3),)),
    # Two Dockerfiles (two stacks) build from one context: one .dockerignore there serves both, reported once.
    Example("two-dockerfiles-one-context", {
        "docker-compose.yml": "services:\n  web:\n    build: ./app\n    command: python manage.py runserver "
                              "0.0.0.0:8000\n",
        "docker-compose.prod.yml": "services:\n  web:\n    build:\n      context: ./app\n"
                                   "      dockerfile: Dockerfile.prod\n    command: gunicorn app.wsgi\n",
        "app/Dockerfile": COPY_ALL, "app/Dockerfile.prod": COPY_ALL, "app/manage.py": MANAGE,
        ".dockerignore": ".venv\ndb.sqlite3\n"}, expect=(("app/Dockerfile.prod", 5),)),
    Example("two-dockerfiles-one-has-its-own-ignore-file", {
        "compose.yaml": "services:\n  web:\n    build: .\n  worker:\n    build:\n      context: .\n"
                        "      dockerfile: Dockerfile.worker\n",
        "Dockerfile": COPY_ALL, "Dockerfile.worker": COPY_ALL, "manage.py": MANAGE,
        "Dockerfile.dockerignore": ".git\n.env\n"}, expect=(("Dockerfile.worker", 5),)),
    # The builder stage gets the whole folder; the nginx image takes only what it builds.
    Example("builder-stage-whose-output-alone-is-kept", {
        "compose.yaml": "services:\n  web:\n    build: .\n  docs:\n    build: ./docs\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env\n",
        "docs/Dockerfile": "FROM python:3.12-slim AS build\nWORKDIR /src\nCOPY . .\n"
                           "RUN pip install --no-cache-dir mkdocs==1.6.1 && mkdocs build -d /site\n"
                           "FROM nginx:1.27-alpine\nCOPY --from=build /site /usr/share/nginx/html\n",
        "docs/mkdocs.yml": "site_name: Shop\n", "docs/.env": "API_TOKEN=abc123\n"}),
    # A Node project: the node_modules made on the host goes over the one `npm ci` made in the build stage.
    Example("node-build-stage-whose-output-alone-is-kept", {
        "compose.yaml": "services:\n  web:\n    build: .\n  front:\n    build: ./frontend\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env\n",
        "frontend/Dockerfile": "FROM node:22-alpine AS build\nWORKDIR /src/app\nCOPY package.json .\nRUN npm ci\n"
                               "COPY . .\nRUN npm run build\n"
                               "FROM nginx:1.27-alpine\nCOPY --from=build /src/app/dist /usr/share/nginx/html\n",
        "frontend/package.json": "{}\n"}, expect=(("frontend/Dockerfile", 5),),
        fixed={"frontend/.dockerignore": ".git\n.env*\n**/__pycache__\n**/node_modules\n"}),
    # BuildKit builds only the stages the target takes from: the unused build stage never sees the folder.
    Example("copy-in-a-stage-buildkit-skips", {
        "compose.yaml": "services:\n  web:\n    build: .\n  proxy:\n    build:\n      context: ./frontend\n"
                        "      target: proxy\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env\n",
        "frontend/Dockerfile": "FROM node:22-alpine AS build\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\n"
                               "COPY . .\nRUN npm run build\n"
                               "FROM node:22-alpine AS proxy\nWORKDIR /app\nCOPY package.json proxy.js ./\n"
                               "RUN npm ci --omit=dev\nCMD [\"node\", \"proxy.js\"]\n",
        "frontend/package.json": "{}\n"}),
    Example("builder-stage-whose-folder-the-image-takes", {
        "compose.yaml": "services:\n  web:\n    build: .\n  front:\n    build: ./frontend\n",
        "Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.env\n",
        "frontend/Dockerfile": "FROM node:22-alpine AS build\nWORKDIR /src/app\nCOPY . .\nRUN npm ci && npm run build\n"
                               "FROM node:22-alpine\nCOPY --from=build /src /src\n"
                               "CMD [\"node\", \"/src/app/server.js\"]\n",
        "frontend/package.json": "{}\n", "frontend/.env": "API_TOKEN=abc123\n"},
        expect=(("frontend/Dockerfile", 3),)),
    # BuildKit reads `..` as the context's root: the whole context, as `.` is.
    Example("parent-of-the-context-is-its-root", {
        "compose.yaml": "services:\n  web:\n    build: ./app\n",
        "app/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app/src\nCOPY .. .\n", "app/manage.py": MANAGE,
        "app/.env": "SECRET_KEY=abc\n"}, expect=(("app/Dockerfile", 3),)),
    Example("has-dockerignore", {"Dockerfile": COPY_ALL, "manage.py": MANAGE, ".dockerignore": ".git\n.venv\n.env\n"}),
    Example("dockerfile-specific-ignore", {"Dockerfile.prod": COPY_ALL, "manage.py": MANAGE,
                                           "Dockerfile.prod.dockerignore": ".git\n"}),
    Example("copies-named-files", {"Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt manage.py /app/\n",
                                   "manage.py": MANAGE}),
    Example("creates-a-dockerignore-from-the-context", {
        "Dockerfile": PYTHON_ENV_BASE + "WORKDIR /app\nCOPY . .\n", "manage.py": MANAGE,
        ".env.example": "DEBUG=\n", ".venv/pyvenv.cfg": "home = /usr/bin\n", "frontend/node_modules/x/index.js": "1\n"},
            expect=(("Dockerfile", 4),),
            fixed={".dockerignore": ".git\n.env*\n!.env.example\n**/__pycache__\n**/node_modules\n.venv\n"}),
])
def dockerignore_missing(project: Project) -> Iterator[Violation]:
    """The whole build context is copied and there is no `.dockerignore`.

    ## What it does
    Reports the first `COPY . …`/`ADD . …` of a Dockerfile whose build context has no
    `.dockerignore` (nor a `<Dockerfile>.dockerignore` beside the Dockerfile), naming
    what the context holds that an image should not (`.git` only when the context is
    the repository's root: a subfolder context has none; a `.dockerignore` the `.gitignore` lists, kept on the
    author's disk alone, is said to be one a clone lacks). Dockerfiles built from the same
    context are reported once, naming the others (at the one named for production, else
    a plainly named one, before one named for development): one
    `.dockerignore` there serves them all. When a folder above the context (the
    repository's root) holds a `.dockerignore`, the message says it is not read: Docker
    reads only the context's own. A context that holds neither
    the Django project (its `manage.py`, settings or wsgi module) nor anything an image
    should not hold (a side service's folder: an nginx configuration, a test runner) is
    not reported, nor a Dockerfile whose whole-context copies none reach the final image
    (a builder stage whose build output alone the image takes: `COPY --from=build
    /src/app/dist /www`), unless its context is a Node project's (a `package.json`): the
    `node_modules` installed on the host then goes into the build stage over the one it
    installs. A stage BuildKit skips (one the final stage, or compose's `target:`, neither
    is built from nor takes files from) copies nothing.

    ## Why is this bad?
    Everything in the folder goes into the image: `.git` with its history, virtualenvs
    built for another system, `.env` files with secrets, `db.sqlite3` and the database
    data directory. Images grow, secrets leak, and builds slow down or fail.

    ## Example
    ```dockerfile
    COPY . .
    ```
    with no `.dockerignore` beside it. Use instead: a `.dockerignore` such as
    ```
    .git
    .venv
    .env
    __pycache__
    db.sqlite3
    ```

    ## Fix safety
    Safe: the fix writes a `.dockerignore` in the build context (where every builder
    reads it, also when compose builds from `..`) with `.git`, `.env*` and
    `__pycache__` (and `node_modules` in a Node project's context), and patterns for what
    the context holds that an image should not, as DJC402 chooses them.

    ## References
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (a `.dockerignore` with `.venv`, `.git`, `.gitignore`)
    - [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    """
    for build, dockerfile in project.dockerfiles:
        if project.dockerignore_path(build) is not None:
            continue
        built = dockerfile.built_stages()  # BuildKit skips a stage nothing the final one takes from
        copies = [i for stage in dockerfile.stages if stage.index in built
                  for i in stage.instructions if whole_context_copy(i)]
        # reported at the first, when one of them reaches the final image: one .dockerignore serves them all; when
        # none does (a build stage whose output alone the image takes), only for the node_modules a Node project
        # installs on the host, which the copy puts over the one the stage installs
        in_image = any(_reaches_the_image(dockerfile, i) for i in copies)
        node = not in_image and project.is_file(build.context / "package.json")
        copy = copies[0] if copies and (in_image or node) else None
        others = _sharing_context(project, build)
        if copy is not None and others is not None:
            sent = exclusions(project, build, "").sent
            if not sent and not holds_django(project, build) and not node:
                continue  # a side service's folder (nginx, a test runner, a Go app) with nothing to keep out
            named = tuple(as_named(project, build, relative) for relative in sent)
            held = (f"{_listed(named)} {'goes' if len(sent) == 1 else 'go'} into the image" if sent else
                    "everything that lands in the folder goes into the image (a .env, a virtualenv, a database "
                    "file)")
            if node:
                held = ("the node_modules installed on the host goes into the build stage over the one it installs "
                        "(binaries built for another system), with everything else in the folder")
            outside = _ignore_outside(project, build.context)
            unread = (f" ({project.display(outside)} lies outside the context: Docker does not read it)"
                      if outside else " (git ignores the .dockerignore: a clone builds without it; commit it)"
                      if project.gitignored(build.context / ".dockerignore") else "")
            shared = ""
            if others:
                names = _listed(tuple(project.display(location.path) for location in others))
                shared = (f"; {names} {'builds' if len(others) == 1 else 'build'} from the same context: one "
                          f".dockerignore there serves {'both' if len(others) == 1 else 'all'}")
            yield Violation(dockerfile.at(copy),
                            f"`{copy.keyword} {copy.args}` sends the whole context "
                            f"{project.display(build.context)} and it has no .dockerignore{unread}: {held}; "
                            f"add a .dockerignore{shared}",
                            related=tuple(others), fix=_new_dockerignore(project, build))


def _reaches_the_image(dockerfile: Dockerfile, instruction: Instruction) -> bool:
    """Whether what the copy brings can end up in the final image: it is in a stage the final one is built on, or
    the final image copies (``COPY --from``) the folder it fills, or a folder above it. A builder stage whose build
    output alone is copied (``COPY --from=build /src/app/dist /www``) leaves the context behind."""
    stage = next((s for s in dockerfile.stages if any(i is instruction for i in s.instructions)), None)
    final = dockerfile.lineage(dockerfile.final)
    if stage is None or any(member.index == stage.index for member in final):
        return True
    filled = next((copy.dest for copy in dockerfile.copies(stage) if copy.instruction is instruction), "/")
    for member in final:
        for taken in member.all("COPY"):
            source = (taken.flag("from") or "").lower()
            origin = next((s for s in dockerfile.stages if s.name == source or str(s.index) == source), None)
            if origin is None or all(ancestor.index != stage.index for ancestor in dockerfile.lineage(origin)):
                continue
            parts = list(taken.exec_form) if taken.exec_form else taken.words()
            for path in parts[:-1]:
                folder = posixpath.normpath(posixpath.join("/", path))
                if any(char in path for char in "*?[$") or filled.rstrip("/").startswith(folder.rstrip("/") + "/") \
                        or posixpath.normpath(filled) == folder or folder == "/":
                    return True
    return False


def _sharing_context(project: Project, build: ImageBuild) -> list[Location] | None:
    """The whole-context copies of the other Dockerfiles built from the same context without an ignore file of their
    own (in this setup or the stacks beside it), first by path; None when one of them comes first: it is reported
    there, naming this one."""
    found: dict[Path, tuple[Project, Location]] = {}
    for other in project.variants:
        for candidate, _ in other.dockerfiles:
            if candidate.context != build.context or candidate.dockerfile_path in found \
                    or other.dockerignore_path(candidate) is not None:
                continue
            location = copies_context(candidate)
            if location is not None:
                found[candidate.dockerfile_path] = (other, location)
    ordered = sorted(found, key=lambda path: _order(path, build.context))
    if ordered and ordered[0] != build.dockerfile_path:
        owner = found[ordered[0]][0].setup
        # The setups that see each other (same folder, same Django files): the owner sees this one and reports both.
        if owner.root == project.setup.root or not set(owner.python_files).isdisjoint(project.setup.python_files):
            return None
    return [found[path][1] for path in ordered if path != build.dockerfile_path]


def _order(dockerfile: Path, context: Path) -> tuple[int, str]:
    """Which Dockerfile of a context carries the finding: one named for production (`Dockerfile.prod`), then a plain
    one, then one named for development (`local.Dockerfile`), each by path: the image that ships first."""
    name = os.path.relpath(dockerfile, context)
    rank = 0 if PRODUCTION_WORDS.search(name) else 2 if DEVELOPMENT_WORDS.search(name) else 1
    return rank, name


def _ignore_outside(project: Project, context: Path) -> Path | None:
    """A ``.dockerignore`` in a folder above the context, up to the repository's root: Docker does not read it."""
    boundary = project.boundary
    for folder in context.parents:
        if not folder.is_relative_to(boundary):
            break
        if project.is_file(folder / ".dockerignore"):
            return folder / ".dockerignore"
    return None



def _listed(paths: tuple[str, ...]) -> str:
    """``a``, ``a and b``, ``a, b and c``: what the context holds that the image should not."""
    return paths[0] if len(paths) == 1 else f"{', '.join(paths[:-1])} and {paths[-1]}"


BASELINE = (".git", ".env*", "**/__pycache__")


def _new_dockerignore(project: Project, build: ImageBuild) -> Fix:
    """A ``.dockerignore`` in the context: the usual entries and what the context holds that an image should not.

    In the context, where every builder reads it (``<Dockerfile>.dockerignore`` is BuildKit's only).
    """
    patterns = list(exclusions(project, build, "", BASELINE).patterns)
    if project.is_file(build.context / "package.json") and not any("node_modules" in p for p in patterns):
        patterns.append("**/node_modules")  # what `npm install` makes on the host, built for its system
    path = build.context / ".dockerignore"
    return Fix(f"create {project.display(path)}", (insert_lines(path, "", 1, patterns),))
