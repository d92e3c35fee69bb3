"""DJC106 base-image-unpinned: a `FROM` image is not pinned to a version."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import (
    ImageRef,
    fixes_a_version,
    major_only,
    official_image,
    parse_image,
    release_channel,
    versioned_name,
)
from djlint_docker.parse.dockerfile import Dockerfile, Stage, arg_pairs, expand
from djlint_docker.project import Project
from djlint_docker.records import record
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import built_images
from djlint_docker.rules.dockerfile._final_image import WORKSPACE, own_dockerfile, own_image
from djlint_docker.rules.dockerfile._python_env import BASE_IMAGE_DOCKERFILE
from djlint_docker.rules.project._env_files import setup_scripts
from djlint_docker.rules.snippets import MANAGE, WELL_BUILT_DOCKERFILE

FRONTEND_AND_PROXY = ("services:\n  web:\n    build: .\n  frontend:\n    build: ./frontend\n    ports:\n"
                      "      - \"80:80\"\n  proxy:\n    build: ./nginx\n")
"""A compose file building the Django image, a frontend served by nginx, and a proxy (examples)."""


CHAIN_BUILD_SCRIPT = ("#!/usr/bin/env bash\nset -euo pipefail\n\nbuild_image() {\n"
                      "  local cached=\"${1}:${CI_COMMIT:-dev}\"\n  local here=\"${1}:local\"\n  shift\n"
                      "  docker build --cache-from \"$cached\" -t \"$cached\" -t \"$here\" \"$@\"\n}\n\n"
                      "build_image acme/shop-base -f Dockerfile.base .\n"
                      "build_image acme/shop-assets -f Dockerfile.assets .\n"
                      "docker build -t \"registry.example.com/shop:${CI_COMMIT}\" .\n")
"""A CI build script whose function tags each image ``<image>:local`` (examples)."""


TAG_WITHOUT_IMAGE = re.compile(r"\d+\.\d+[\w.-]*$")
"""A version tag written where the image belongs (``FROM 3.6.1-alpine``): no image on Docker Hub is called so."""


@rule("DJC106", "base-image-unpinned", Severity.WARNING, examples=[
    Example("major-only", {"Dockerfile": "FROM python:3\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 1),)),
    # Azure Functions' Python image: its tag's major is the Functions host's, then Python's minor.
    Example("host-major-then-python-minor", {
        "Dockerfile": "FROM mcr.microsoft.com/azure-functions/python:4-python3.11\nCOPY . /home/site/wwwroot\n",
        "manage.py": MANAGE}),
    Example("editor-workspace", {**WORKSPACE, "manage.py": MANAGE, ".devcontainer/Dockerfile": WORKSPACE[
        ".devcontainer/Dockerfile"].replace("mcr.microsoft.com/devcontainers/python:1-3.12-bookworm", "python:3")}),
    # `FROM base` is the image `docker build -t base -f Dockerfile.base .` made on the machine: no pull brings it.
    Example("local-base-built-from-the-dockerfile-beside", {
        "Dockerfile": "FROM base\nCOPY . /srv/app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "Dockerfile.base": "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends "
                           "python3-pip && rm -rf /var/lib/apt/lists/*\n", "manage.py": MANAGE}),
    Example("no-tag-and-latest", {
        "Dockerfile": "FROM node AS assets\nRUN npm ci\nFROM python:latest\nCOPY --from=assets /dist /static\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 1), ("Dockerfile", 3))),
    Example("arg-default-unpinned", {"Dockerfile": "ARG PYTHON=3\nFROM python:${PYTHON}-slim\n", "manage.py": MANAGE},
            expect=(("Dockerfile", 2),)),
    Example("floating-tags-and-copy-from-latest", {
        "Dockerfile": "FROM node:lts-alpine AS assets\nRUN npm ci\nFROM python:alpine3.14\n"
                      "COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv\nCOPY --from=assets /app/dist /static\n"
                      "COPY --from=nginx:1-alpine /etc/nginx/mime.types /etc/mime.types\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1), ("Dockerfile", 3), ("Dockerfile", 4))),
    Example("image-the-compose-file-builds", {
        "compose.yaml": "services:\n  base:\n    build: {context: ., dockerfile: Dockerfile.base}\n"
                        "    image: shop/base\n  web:\n    build: .\n",
        "Dockerfile.base": "FROM python:3.12-slim\nRUN pip install --no-cache-dir django==5.1.4\n",
        "Dockerfile": "FROM shop/base\nCOPY --from=shop/base /usr/local/lib /usr/local/lib\n", "manage.py": MANAGE}),
    # A notebook stack beside the application's builds on the image the application's stack builds (Compose's
    # `<project>_<service>`): the other stack of the folder makes it; an image no stack builds is someone else's.
    Example("image-another-stack-of-the-folder-builds", {
        "docker-compose.yml": "name: shop\nservices:\n  web:\n    build: .\n    ports:\n      - \"8000:8000\"\n",
        "docker-compose-notebook.yml": "services:\n  notebook:\n    build:\n      context: .\n"
                                       "      dockerfile: Dockerfile-nb\n    volumes:\n      - .:/src\n",
        "Dockerfile": WELL_BUILT_DOCKERFILE,
        "Dockerfile-nb": "FROM shop_web\nUSER root\nRUN pip install --no-cache-dir jupyter==1.1.1\n",
        "manage.py": MANAGE}),
    Example("image-no-stack-of-the-folder-builds", {
        "docker-compose.yml": "name: shop\nservices:\n  web:\n    build: .\n    ports:\n      - \"8000:8000\"\n",
        "docker-compose-notebook.yml": "services:\n  notebook:\n    build:\n      context: .\n"
                                       "      dockerfile: Dockerfile-nb\n    volumes:\n      - .:/src\n",
        "Dockerfile": WELL_BUILT_DOCKERFILE,
        "Dockerfile-nb": "FROM jupyter/scipy-notebook\nUSER root\nRUN pip install --no-cache-dir django==5.1.4\n",
        "manage.py": MANAGE}, expect=(("Dockerfile-nb", 1),)),
    Example("the-projects-own-images", {
        "larder/.git/HEAD": "ref: refs/heads/main\n", "larder/manage.py": MANAGE,
        "larder/docker/base/Dockerfile": BASE_IMAGE_DOCKERFILE,
        "larder/docker/app/Dockerfile": "FROM larder/base:latest AS build\nRUN pip install --no-cache-dir gunicorn\n"
                                        "FROM ghcr.io/larder/larder:nightly\nCOPY --from=build /usr/local /usr/local\n"
                                        "COPY --from=larder/assets /dist /static\n"
                                        "CMD [\"gunicorn\", \"larder.wsgi\"]\n"}),
    Example("another-projects-image-named-like-a-folder", {
        "larder/.git/HEAD": "ref: refs/heads/main\n", "larder/manage.py": MANAGE,
        "larder/docker/base/Dockerfile": BASE_IMAGE_DOCKERFILE,
        "larder/docker/app/Dockerfile": "FROM acme/base:latest AS build\nFROM python:latest\n"
                                        "CMD [\"gunicorn\", \"larder.wsgi\"]\n"},
        expect=(("larder/docker/app/Dockerfile", 1), ("larder/docker/app/Dockerfile", 2))),
    Example("node-lts-codename-and-nginx-channel", {
        "frontend/Dockerfile": "FROM node:hydrogen-alpine AS build\nWORKDIR /src\nCOPY package*.json ./\nRUN npm ci\n"
                               "COPY . .\nRUN npm run build\n\nFROM nginx:stable-alpine\n"
                               "COPY --from=build /src/dist /usr/share/nginx/html\n",
        "nginx/Dockerfile": "FROM nginxinc/nginx-unprivileged:mainline-alpine\nCOPY default.conf /etc/nginx/conf.d/\n",
        "compose.yaml": FRONTEND_AND_PROXY, "Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    # node:current follows each new major; nginx:alpine is the mainline channel's own tag (mainline-alpine).
    Example("node-current-beside-nginx-mainline", {
        "frontend/Dockerfile": "FROM node:current-alpine AS build\nWORKDIR /src\nCOPY . .\n"
                               "RUN npm ci && npm run build\n\nFROM nginx:alpine\n"
                               "COPY --from=build /src/dist /usr/share/nginx/html\n",
        "compose.yaml": FRONTEND_AND_PROXY.replace("  proxy:\n    build: ./nginx\n", ""),
        "Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE},
        expect=(("frontend/Dockerfile", 1),)),
    # The name holds the version (Red Hat's Python 3.12 on UBI 9), the tag a Debian release.
    Example("version-in-the-image-name-and-release-name", {
        "Dockerfile": "FROM registry.access.redhat.com/ubi9/python-312\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
        "tools/Dockerfile": "FROM debian:wheezy\nRUN apt-get update && apt-get install -y --no-install-recommends "
                            "gdal-bin && rm -rf /var/lib/apt/lists/*\n",
        "manage.py": MANAGE}),
    # build.sh builds the base image on the machine, then the application's image FROM it.
    Example("base-image-a-build-script-tags", {
        "build.sh": "#!/bin/sh\nset -e\ndocker build \\\n  -t shop-base \\\n  -f base/Dockerfile base\n"
                    "docker build -t shop-web .\n",
        "base/Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir uwsgi==2.0.28\n",
        "Dockerfile": "FROM shop-base\nCOPY . /app\n", "manage.py": MANAGE}),
    # The tag says which variant the Dockerfile beside it builds (`# Tag: celery-microservice:base`).
    Example("variant-a-sibling-dockerfile-builds", {
        "Dockerfile.base": "# Tag: celery-microservice:base\nFROM python:3.12-slim\n"
                           "RUN pip install --no-cache-dir celery==5.4.0\n",
        "Dockerfile.pdf": "# Tag: celery-microservice:pdf\nFROM celery-microservice:base\n"
                          "RUN pip install --no-cache-dir weasyprint==63.1\nCOPY . /app\n", "manage.py": MANAGE}),
    Example("base-image-no-script-tags", {
        "build.sh": "#!/bin/sh\nset -e\ndocker build -t shop-web .\n",
        "Dockerfile": "FROM shop-base\nCOPY . /app\n", "manage.py": MANAGE}, expect=(("Dockerfile", 1),)),
    # CI's build script tags each image of the chain `:local` through a function, in the order they build on
    # each other; the next Dockerfile starts from that tag.
    Example("images-a-build-function-tags", {
        "ci/build.sh": CHAIN_BUILD_SCRIPT, "Dockerfile.base": "FROM python:3.12-slim\n"
                                                         "RUN pip install --no-cache-dir gunicorn==23.0.0\n",
        "Dockerfile.assets": "FROM acme/shop-base:local\nRUN pip install --no-cache-dir whitenoise==6.8.2\n",
        "Dockerfile": "FROM acme/shop-base:local\nCOPY --from=acme/shop-assets:local /dist /static\nCOPY . /app\n",
        "manage.py": MANAGE}),
    Example("image-no-build-function-tags", {
        "ci/build.sh": CHAIN_BUILD_SCRIPT, "Dockerfile.base": "FROM python:3.12-slim\n",
        "Dockerfile.assets": "FROM acme/shop-base:local\nRUN pip install --no-cache-dir whitenoise==6.8.2\n",
        "Dockerfile": "FROM acme/search-base:local\nCOPY . /app\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 1),)),
    # The stage is `backend-base` and the copy's stage `builder`: Docker pulls `python-base` and `build`.
    Example("misspelt-stage-names", {
        "Dockerfile": "FROM python:3.12-slim AS backend-base\nFROM python-base AS builder\n"
                      "RUN pip install --no-cache-dir gunicorn==23.0.0\nFROM backend-base\n"
                      "COPY --from=build /usr/local /usr/local\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 2), ("Dockerfile", 5))),
    # Dockerfile.prod was split from the Dockerfile and still names its stages.
    Example("stages-of-another-dockerfile", {
        "Dockerfile": "FROM python:3.12-slim AS python-base\nFROM python-base AS builder-base\n"
                      "RUN pip install --no-cache-dir gunicorn==23.0.0\nFROM python-base\n"
                      "COPY --from=builder-base /usr/local /usr/local\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "Dockerfile.prod": "FROM python-base\nCOPY --from=builder-base /usr/local /usr/local\n"
                           "CMD [\"gunicorn\", \"app.wsgi\"]\n",
        "manage.py": MANAGE}, expect=(("Dockerfile.prod", 1), ("Dockerfile.prod", 2))),
    # Compose names the repository's top `parent` for a build from `server/` (its frontend and lock files live
    # there); `tools` is no context compose names, so an image.
    Example("copy-from-a-named-context", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: ./server/\n      additional_contexts:\n"
                        "        - parent=./\n",
        "server/Dockerfile": "FROM node:22-slim AS assets\nCOPY --from=parent ./frontend .\nRUN npm ci\n"
                             "FROM python:3.12-slim\nCOPY --from=parent pyproject.toml uv.lock ./\n"
                             "COPY --from=tools /bin/tool /bin/tool\n",
        "server/manage.py": MANAGE}, expect=(("server/Dockerfile", 6),)),
    Example("pinned-minor", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("arg-default-pinned", {"Dockerfile": "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim AS base\n"
                                                 "FROM base\n", "manage.py": MANAGE}),
    # The image is an ARG built from other ARGs, each defaulted to a version (Docker expands a default with the
    # ARGs declared before it).
    Example("image-arg-built-from-pinned-args", {
        "Dockerfile": "ARG AIRFLOW_VERSION=\"2.10.4\"\nARG PYTHON_VERSION=\"3.12\"\n"
                      "ARG BASE_IMAGE=\"apache/airflow:slim-${AIRFLOW_VERSION}-python${PYTHON_VERSION}\"\n"
                      "FROM ${BASE_IMAGE} AS build\nRUN pip install --no-cache-dir apache-airflow-providers-http\n"
                      "FROM ${BASE_IMAGE}\nCOPY --from=build /home/airflow/.local /home/airflow/.local\n",
        "manage.py": MANAGE}),
    Example("image-arg-built-from-a-floating-arg", {
        "Dockerfile": "ARG PYTHON_VERSION=3\nARG BASE_IMAGE=python:${PYTHON_VERSION}-slim\nFROM ${BASE_IMAGE}\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 3),)),
    # No default: whoever builds passes the version (`--build-arg PYTHON_VERSION=3.12.8`).
    Example("arg-without-default", {"Dockerfile": "ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}-slim\n"
                                                  "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("digest", {"Dockerfile": "FROM python@sha256:" + "a" * 64 + "\n", "manage.py": MANAGE}),
])
def base_image_unpinned(project: Project) -> Iterator[Violation]:
    """A `FROM` image is not pinned to a version.

    ## What it does
    Reports `FROM` without a tag, with `:latest`, with a tag that fixes no version
    (`node:lts-alpine`, `redis:alpine`, `python:alpine3.14`, whose Alpine release
    is fixed but not its Python), or (for the official Python image) with a tag that pins only the
    major version (`python:3`, `python:3-slim`); a major is enough for other images
    (`node:22-slim`, `nginx:1-alpine`), and so is a Node LTS line's codename, which
    names its major (`node:boron-alpine` is Node 6, `node:jod` Node 22). nginx's release
    channels are accepted (`nginx:stable-alpine`, `nginx:mainline`, the same tags of
    `nginxinc/nginx-unprivileged`): both branches stay within nginx 1, and following the
    stable one, whose configuration stays compatible, is a deliberate choice a major tag
    would not improve (`nginx:1` follows mainline); `nginx`, `nginx:latest` and
    `nginx:alpine` are the mainline channel's own tags. So is an image whose name holds
    its version (Red Hat's `ubi9/python-312`, `rhel8/postgresql-13`): each release is an
    image of its own, and its tags follow patches. Reports `COPY --from=` an image the same way
    (`COPY --from=ghcr.io/astral-sh/uv:latest`); not a name that a compose build's
    `additional_contexts:` gives a folder (`parent: ./`), which `COPY --from=parent` reads.
    Tags set through an `ARG` are read with
    the ARG's default, itself expanded with the ARGs declared before it as Docker does
    (`ARG IMAGE=apache/airflow:slim-${VERSION}` after `ARG VERSION=2.10.4`); an ARG
    without a default is the builder's choice and is not judged, nor is one a committed
    build script, Makefile or CI pipeline passes (`--build-arg PYTHON_VERSION=...`): its
    default is a placeholder. Digests, `scratch`,
    earlier stages and images the project's compose files build themselves (`FROM
    myproject-web`, `FROM myproject_web` in a notebook stack beside the application's,
    or an `image:` a service with `build:` names) are fine, and so are images a committed
    build script tags (`docker build -t base-image -f base/Dockerfile base` in `build.sh`
    or a Makefile beside the setup or at the repository's top, or in their `ci/`,
    `scripts/`, `bin/`, `build/`, `docker/` or `tools/` folder), also through a variable:
    a build function's `docker build -t "${1}:local"` gives the tag `local` to each image
    the scripts name (`build_image acme/shop-base -f Dockerfile.base .`, then `FROM
    acme/shop-base:local`). They have no tag to pin. So
    are the project's own published images (`FROM wger/base:latest` in wger, `FROM
    doccano/doccano:nightly` in doccano): an image with a namespace, part of whose
    repository path names the project (the repository's folder, or the compose file's
    top-level `name:`). The project builds and pushes that image itself, often on a
    schedule so that the images built from it get its refreshed system packages;
    following its moving tag is the design, and the maintainers choose when it changes.
    An official image named like the project (`python`) is not one. A version written
    without its image (`FROM 3.6.1-alpine`) is reported as such: Docker looks for an
    image of that name and the build fails. So is a bare name that no official image has
    but that resembles a stage of the Dockerfile (`FROM python-base` beside a stage
    `backend-base`, `COPY --from=build` beside `builder`): a misspelt stage, which Docker
    looks for on Docker Hub; and one that is a stage of another Dockerfile of the project
    (`Dockerfile.prod` split from the Dockerfile whose stage `python-base` it names).

    ## Why is this bad?
    The same Dockerfile builds with another Python when a new release is tagged: code
    and compiled dependencies break on a rebuild nobody changed.

    ## Example
    ```dockerfile
    FROM python:3
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ```

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`FROM python:3` in the quickstart)
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (pin the Python version and the Debian release explicitly)
    - [Docker best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    """
    built = {image for variant in project.variants for image in built_images(variant)}  # the other stacks' too
    scripted = _tagged_by_scripts(project)
    contexts = _named_contexts(project)
    for build, dockerfile in project.dockerfiles:
        if project.workspace_image(build):  # the editor's image: it follows its base on purpose
            continue
        stages = {stage.name for stage in dockerfile.stages if stage.name} | {str(s.index) for s in dockerfile.stages}
        # an ARG the build scripts pass (`--build-arg PYTHON_VERSION=python:3.12-slim`): their image, not the default
        arguments = {name: None if name in scripted.arguments else value
                     for name, value in _global_arguments(dockerfile).items()}
        for stage in dockerfile.stages:
            written = _base_image(stage, arguments)
            if stage.parent is not None or not written or written.lower() == "scratch" or "$" in written \
                    or written.lower() in {s.name for s in dockerfile.stages[:stage.index] if s.name} \
                    or written.lower() in contexts:  # `FROM parent`: a folder compose names
                continue  # an earlier stage, or an ARG without a default: the builder chooses the image
            image = parse_image(written)
            if image.digest or image.repository in built or scripted.tags_image(image.repository, image.tag) \
                    or own_image(project, image.repository) or release_channel(image) or versioned_name(image) \
                    or own_dockerfile(project, dockerfile, written) is not None:
                continue  # an image the project builds, or publishes itself and follows on purpose; an nginx
                # channel; a name that holds the version (`ubi9/python-312`)
            where = dockerfile.at(stage.from_)
            elsewhere, meant = _stage_named(project, dockerfile, image)
            if elsewhere:
                yield Violation(where, f"`FROM {written}` names a stage of {elsewhere}, not an image: built on its "
                                       f"own, this Dockerfile makes Docker look for an image called `{written}` and "
                                       f"the build fails; build it as a stage of that Dockerfile or name an image")
            elif meant:
                yield Violation(where, f"`FROM {written}` names no stage of this Dockerfile (did you mean `{meant}`?) "
                                       f"and no official image: Docker looks for an image called `{written}` and "
                                       f"the build fails; name the stage as it is written")
            elif image.tag is None and TAG_WITHOUT_IMAGE.match(image.repository):
                example = f"python:{written}" if written.startswith(("2.", "3.")) else f"<image>:{written}"
                yield Violation(where, f"`FROM {written}` names a tag without its image: Docker looks for an image "
                                       f"called `{written}` and the build fails; write the image before the tag, "
                                       f"such as {example}")
            elif image.tag is None or image.tag == "latest":
                shown = "no tag" if image.tag is None else "`:latest`"
                yield Violation(where, f"`FROM {written}` has {shown}: a rebuild may bring another version; "
                                       f"pin a version tag")
            elif image.repository == "python" and major_only(image.tag):  # the official image's tags: Python's
                yield Violation(where, f"`FROM {written}` pins only Python's major version; "
                                       f"pin a minor version such as python:3.12-slim")
            elif image.name == "python" and not fixes_a_version(image):
                yield Violation(where, f"`FROM {written}` fixes no Python version (the tag `{image.tag}` names a "
                                       f"variant); pin one such as python:3.12-slim")
            elif not fixes_a_version(image):
                yield Violation(where, f"`FROM {written}`: the tag `{image.tag}` fixes no version; a rebuild may "
                                       f"bring another one; pin a version tag (a major at least)")
        for instruction in (i for stage in dockerfile.stages for i in stage.all("COPY")):
            source = instruction.flag("from")
            if not source or source.lower() in stages or source.lower() in contexts or "$" in source:
                continue
            copied = parse_image(source)
            if copied.digest or copied.repository in built or scripted.tags_image(copied.repository, copied.tag) \
                    or own_image(project, copied.repository) or fixes_a_version(copied) or release_channel(copied) \
                    or versioned_name(copied):
                continue
            elsewhere, meant = _stage_named(project, dockerfile, copied)
            if elsewhere:
                yield Violation(dockerfile.at(instruction), f"`COPY --from={source}` names a stage of {elsewhere}, "
                                                            f"not an image: built on its own, this Dockerfile makes "
                                                            f"Docker look for an image called `{source}` and the "
                                                            f"build fails; copy from a stage of this Dockerfile")
                continue
            if meant:
                yield Violation(dockerfile.at(instruction), f"`COPY --from={source}` names no stage of this "
                                                            f"Dockerfile (did you mean `{meant}`?) and no official "
                                                            f"image: Docker looks for an image called `{source}` "
                                                            f"and the build fails; name the stage as it is written")
                continue
            shown = ("no tag" if copied.tag is None else "`:latest`" if copied.tag == "latest"
                     else f"the tag `{copied.tag}`, which fixes no version")
            yield Violation(dockerfile.at(instruction), f"`COPY --from={source}` copies from an image with "
                                                        f"{shown}: a rebuild may copy another version; pin one")


def _named_contexts(project: Project) -> set[str]:
    """The names Compose's ``additional_contexts:`` gives the builds of any stack of the folder: a ``FROM`` or
    ``COPY --from=`` of such a name reads that context, not an image (also in a sibling Dockerfile copied from
    the one compose builds, such as ``Dockerfile.test`` beside ``Dockerfile``)."""
    return {name.lower() for variant in project.variants for service in variant.services if service.build
            for name in service.build.contexts}


def _stage_named(project: Project, dockerfile: Dockerfile, image: ImageRef) -> tuple[str | None, str | None]:
    """For a bare, untagged name that is no official image (Docker pulls it from Docker Hub's ``library/``, where
    no image has it): the other Dockerfile of the project that has a stage of that name, shown as a path (this file
    was split from it: ``Dockerfile.prod`` starting ``FROM python-base``), else the stage of this Dockerfile it most
    likely misspells."""
    if image.tag is not None or image.digest or "/" in image.repository or official_image(image.repository):
        return None, None
    name = image.repository.lower()
    for build, other in project.dockerfiles:
        if other is not dockerfile and any((stage.name or "").lower() == name for stage in other.stages):
            return f"`{project.display(build.dockerfile_path)}`", None
    return None, _stage_meant(dockerfile, name)


def _stage_meant(dockerfile: Dockerfile, name: str) -> str | None:
    """The stage a name most likely misspells (``FROM python-base`` beside a stage ``backend-base``, ``COPY
    --from=build`` beside ``builder``): one name extends the other, or they share a word."""
    words = set(re.split(r"[-_.]", name)) - {""}
    for stage in dockerfile.stages:
        other = (stage.name or "").lower()
        if other and other != name and (other.startswith(name) or name.startswith(other)
                                         or words & set(re.split(r"[-_.]", other))):
            return stage.name
    return None


DOCKER_BUILD = re.compile(r"\b(?:docker|podman)\s+(?:buildx\s+)?build\b[^\n]*")
TAG_OPTION = re.compile(r"(?:^|\s)(?:-t|--tag)(?:=|\s+)[\"']?([\w./:${}-]+)")
BUILD_ARGUMENT = re.compile(r"--build-arg(?:=|\s+)[\"']?([A-Za-z_]\w*)")
"""A build argument a script or pipeline passes: the Dockerfile's default for it is a placeholder there."""
ASSIGNMENT = re.compile(r"^[ \t]*(?:(?:local|export|readonly|declare)[ \t]+)?([A-Za-z_]\w*)="
                        r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s;&|]*)", re.M)
"""A shell variable's assignment (``image_local="${1}:local"``, ``local image=$1:dev``)."""
VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")
BUILD_SCRIPT_FOLDERS = ("ci", ".ci", "scripts", "bin", "build", "docker", "tools")
"""Folders of the setup or the repository that hold its build scripts (``ci/build.sh``)."""


@record
class ScriptTags:
    """What the committed build scripts tag: whole images, and the tags given to images a variable names (a build
    function's ``docker build -t "${1}:local"``) with the scripts' text, which names those images."""

    images: frozenset[str]
    tags: frozenset[str]
    text: str
    arguments: frozenset[str]  # the build arguments they pass (``--build-arg PYTHON_VERSION=$(PYTHON_TAG)``)

    def tags_image(self, repository: str, tag: str | None) -> bool:
        if repository in self.images:
            return True
        return tag is not None and tag in self.tags and re.search(
            rf"(?<![\w./:-]){re.escape(repository)}(?![\w./-])", self.text) is not None


def _tagged_by_scripts(project: Project) -> ScriptTags:
    """The images a committed build script tags (``docker build -t base-image -f base/Dockerfile base``) in the
    setup's folder or the repository's top, or their build-script folders (``ci/``): built on the machine in order,
    not pulled, so no tag to pin.

    A tag through a variable is read with the script's assignments (``image_local="${1}:local"`` then
    ``docker build -t "$image_local"``): when the image stays a variable (a build function's argument), the
    tag it gives (``local``) tags each image the scripts name (``docker_build akvo/rsr-backend-base -f ...``).
    """
    images: set[str] = set()
    tags: set[str] = set()
    texts: list[str] = []
    arguments: set[str] = set()
    tops = (project.root, project.boundary)
    folders = [top / name for top in dict.fromkeys(tops) for name in BUILD_SCRIPT_FOLDERS]
    for script in dict.fromkeys(setup_scripts(tops) + setup_scripts(folders) + list(project.pipeline_paths)):
        text = re.sub(r"\\\r?\n", " ", project.text(script) or "")  # continuation lines joined
        arguments.update(BUILD_ARGUMENT.findall(text))
        values: dict[str, str] = {}
        for name, value in ASSIGNMENT.findall(text):
            values.setdefault(name, value.strip("\"'"))  # the first: a function's, before later reuse
        found = False
        for command in DOCKER_BUILD.finditer(text):
            for tag in TAG_OPTION.findall(command.group()):
                tag = _substituted(tag, values)
                if "$" not in tag:
                    images.add(parse_image(tag).repository)
                    continue
                literal = tag.rpartition(":")[2] if ":" in tag else ""
                if literal and not re.search(r"[${}/]", literal):
                    tags.add(literal)
                    found = True
        if found:
            texts.append(text)
    return ScriptTags(frozenset(images), frozenset(tags), "\n".join(texts), frozenset(arguments))


def _substituted(word: str, values: dict[str, str]) -> str:
    """A word with the script's variables substituted, twice at most (``$image_local`` is ``${1}:local``); a
    variable without a value stays."""
    for _ in range(2):
        if "$" not in word:
            break
        word = VARIABLE.sub(lambda m: values.get(m.group(1) or m.group(2), m.group()), word)
    return word


def _global_arguments(dockerfile: Dockerfile) -> dict[str, str | None]:
    """The ``ARG`` defaults declared before the first ``FROM``, each expanded with the ones declared before it, as
    Docker expands them (None: no default, or one made of an ARG without a default)."""
    arguments: dict[str, str | None] = {}
    for instruction in dockerfile.instructions:
        if instruction.keyword == "FROM":
            break
        if instruction.keyword == "ARG":
            for name, value in arg_pairs(instruction.args):
                arguments[name] = None if value is None else expand(value, arguments)
    return arguments


def _base_image(stage: Stage, arguments: dict[str, str | None]) -> str:
    """The image a stage is built ``FROM`` with the ARG defaults substituted ("" when one has no default)."""
    words = stage.from_.words()
    return (expand(words[0], arguments) or "") if words else ""
