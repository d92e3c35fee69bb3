"""The stages the final image of a Dockerfile is made of, and whether it runs Python."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.discover import TEST_WORDS
from djlint_docker.images import data_service, local_image, parse_image, plain_name
from djlint_docker.names import DEVELOPMENT_WORDS
from djlint_docker.parse import ParseError
from djlint_docker.parse.dockerfile import Dockerfile, Stage, parse_dockerfile
from djlint_docker.project import OTHER_FRAMEWORKS, PRODUCTION_WORDS, SERVING, ImageBuild, Project, runs_a_tools_program
from djlint_docker.rules.compose._stack import project_name, repository_owner, service_image_names


def final_lineage(project: Project) -> Iterator[tuple[Dockerfile, list[Stage]]]:
    """Each Dockerfile of the application's images with the stages its final image is made of, base first.

    An editor's workspace image (``.devcontainer/Dockerfile``) is left out: image hygiene is not its concern.
    """
    for build, dockerfile in project.dockerfiles:
        if not project.workspace_image(build):
            yield dockerfile, dockerfile.lineage(dockerfile.final)


def test_image(project: Project, build: ImageBuild) -> bool:
    """Whether an image serves tests alone: its Dockerfile's path or build target is named for tests (and not for
    production), or the services that build it are (``e2e``, or enabled only by the ``e2e_tests`` profile), or a
    test stack builds it and no deployed container runs it, nor a pipeline publishes it (CircleCI's
    ``docker build --target deploy`` pushed to ECR, the image ``compose/int.yml`` tests). Nothing ships it, whether or
    not the project is deployed another way."""
    relative = build.dockerfile_path.relative_to(project.root).as_posix() \
        if build.dockerfile_path.is_relative_to(project.root) else build.dockerfile_path.name
    names = (relative, build.target or "")
    if any(PRODUCTION_WORDS.search(name) for name in names):
        return False
    if any(TEST_WORDS.search(name) for name in names):
        return True
    services = [service for service in project.services if service.name in build.services]
    if services and all(TEST_WORDS.search(service.name) or service.profiles
                        and all(TEST_WORDS.search(profile) for profile in service.profiles) for service in services):
        return True  # run by a service named for tests (`e2e`), or only under a test profile (`e2e_tests`)
    return bool(build.services) and any(TEST_WORDS.search(path.name) for path in project.setup.compose_files) \
        and not any(run.build is build for run in project.deployed_runs) \
        and build.dockerfile_path not in project.deployed_dockerfiles


def _built_for_development_elsewhere(project: Project, build: ImageBuild) -> bool:
    """Whether an image no service of this setup builds (a Dockerfile beside the compose file) is built only by
    development or test stacks of the project's other setups (``Dockerfile.devdb`` of ``docker-compose.dev.yml``)."""
    if build.services:
        return False
    others = [(other, other_build) for other in project.related for other_build in other.builds
              if other_build.dockerfile_path == build.dockerfile_path and other_build.services]
    return bool(others) and all(other.development_only(other_build) or test_image(other, other_build)
                                for other, other_build in others)


def shipped_images(project: Project) -> Iterator[tuple[ImageBuild, Dockerfile]]:
    """The images that ship: not an editor's workspace, not an image only development serves while the project is
    deployed another way (:meth:`Project.development_only`, also when only another setup's development stack builds
    it), not a test image (:func:`test_image`). How big such an image grows is no one's concern; a project whose
    only image is a development one ships it."""
    for build, dockerfile in project.dockerfiles:
        if not project.workspace_image(build) and not project.development_only(build) \
                and not test_image(project, build) and not _built_for_development_elsewhere(project, build):
            yield build, dockerfile


def developers_image(project: Project, build: ImageBuild) -> bool:
    """Whether an image serves the developers alone, in a project deployed otherwise: development-only
    (:meth:`Project.development_only`), and named for development (``Dockerfile-dev``, or a folder of its path:
    ``compose/local/node/Dockerfile``) or run only by Django
    containers that are development ones themselves (runserver, the source mounted); not an image no service
    builds, which a stack's broken path may mean to build, nor a side program's beside the development stack."""
    if not project.development_only(build):
        return False
    if DEVELOPMENT_WORDS.search(build.dockerfile_path.name) or build.dockerfile_path.is_relative_to(project.boundary) \
            and any(DEVELOPMENT_WORDS.fullmatch(part) for part in
                    build.dockerfile_path.parent.relative_to(project.boundary).parts):
        return True  # `Dockerfile-dev`, or cookiecutter-django's `compose/local/node/Dockerfile`
    runs = [run for run in project.django_runs if run.build is build and run.service is not None]
    return bool(build.services) and {run.service.name for run in runs if run.service} == set(build.services) \
        and all(project.development(run) is not None for run in runs)


def application_images(project: Project) -> Iterator[tuple[ImageBuild, Dockerfile]]:
    """The images of the application that run Python: not an editor's workspace, not a proxy or database image (one
    built on a database's, ``FROM postgres:15-alpine`` with a backup script and boto3, runs no Django), not a base
    image another of the project's images is built from (:func:`base_images`), not one that starts another
    framework's application (a Flask mock of a remote API, ``python app.py``), not a stub that names its base and
    nothing else."""
    bases = base_images(project)
    for build, dockerfile in project.dockerfiles:
        if project.workspace_image(build) or not runs_python(dockerfile) or build.dockerfile_path in bases \
                or _stub(dockerfile) or _on_a_database(dockerfile) or _frontend_on_node(project, build, dockerfile):
            continue
        if _runs_another_framework(project, build, dockerfile) or _left_without_django(project, build, dockerfile) \
                or _proxy_without_django(project, build, dockerfile) \
                or _script_starts_other_program(project, build, dockerfile):
            continue
        yield build, dockerfile


def _left_without_django(project: Project, build: ImageBuild, dockerfile: Dockerfile) -> bool:
    """Whether no service builds the image and it cannot run Django: on the official Python image, its installs leave
    Django out (:func:`_installs_no_django`; a template's leftover Dockerfile installing gunicorn and nothing of the
    project's)."""
    if build.services or parse_image(dockerfile.root.image or "").repository != "python":
        return False
    return _installs_no_django(project, build)


def _installs_no_django(project: Project, build: ImageBuild) -> bool:
    """Whether the image's installs, which djcheck reads, leave Django out, also as the dependency of a ``django-*``
    package or ``djangorestframework``."""
    from djlint_docker.rules.project._packages import installed_packages  # the package rules build on this module

    packages = installed_packages(project, build)
    return packages is not None and not any(name.startswith("django") or name in DJANGO_DEPENDENTS for name in packages)


ROOT_USERS = frozenset({"root", "0", "root:root", "0:0"})
"""How a ``USER`` or a compose ``user:`` names root."""
USER_CREATORS = frozenset({"useradd", "adduser", "addgroup", "groupadd", "usermod"})
"""The commands that make or change an account; their words name it (``useradd -m app``, ``adduser -S app -G app``)."""

DJANGO_DEPENDENTS = frozenset({"wagtail", "channels", "mezzanine", "saleor", "netbox"})
"""Packages that install Django as their dependency (as every ``django-*`` and ``djangorestframework`` does)."""


PYTHON_INSTALLS = re.compile(r"\b(?:pip3?|uv\s+pip|pipx)\s+install\b|\b(?:uv\s+sync|poetry\s+install|pipenv\s+"
                             r"(?:install|sync))\b")
"""A RUN that installs Python packages (not ``apt-get install python3-pip``, which only adds pip itself)."""


def _frontend_on_node(project: Project, build: ImageBuild, dockerfile: Dockerfile) -> bool:
    """Whether the final image starts from Node.js's official image and installs no Python packages, or none that
    brings Django: a frontend's image, whose ``python3`` (from apt, for node-gyp's native builds) or pip package (the
    ``pywatchman`` of ember's file watcher) runs no application."""
    if parse_image(dockerfile.root.image or "").repository != "node":
        return False
    lineage = dockerfile.lineage(dockerfile.final)
    return not any(PYTHON_INSTALLS.search(run.script) for stage in lineage for run in stage.all("RUN")) \
        or _installs_no_django(project, build)


def _proxy_without_django(project: Project, build: ImageBuild, dockerfile: Dockerfile) -> bool:
    """Whether the final image starts from a web server's or proxy's official image (``nginx``, ``caddy``,
    ``httpd``) and installs no Django: the Python it adds runs a tool (certbot renewing the proxy's certificates)."""
    return parse_image(dockerfile.root.image or "").repository in PROXY_IMAGES and _installs_no_django(project, build)


PROXY_IMAGES = frozenset({"nginx", "nginxinc/nginx-unprivileged", "openresty/openresty", "caddy", "httpd", "haproxy",
                          "traefik"})
"""Official images of web servers and proxies: an image built on one serves or forwards, whatever tool it adds."""


def _script_starts_other_program(project: Project, build: ImageBuild, dockerfile: Dockerfile) -> bool:
    """Whether the image, on no Python base, starts a script (``CMD ["/start"]``) that runs another program
    (:data:`OTHER_PROGRAMS`: ``nginx`` after a ``j2`` template rendered its configuration) and nothing of Python's
    (:data:`PYTHON_RUN`, :data:`PYTHON_SERVERS`), nor the command it is given (``exec "$@"``): a proxy's image built on
    a distribution's base, which installed Python for its tools."""
    if dockerfile.on_python_image():
        return False
    scripted = [run.command.words for run in project.container_commands(None, build)
                if run.script is not None and run.command.words]
    return any(words[0].rsplit("/", 1)[-1] in OTHER_PROGRAMS for words in scripted) and not any(
        PYTHON_RUN.search(line) or PYTHON_SERVERS.search(line) or "$@" in line or "$*" in line
        for line in map(" ".join, scripted))


PYTHON_SERVERS = re.compile(rf"\b(?:{'|'.join(sorted(SERVING))})\b")
"""Python's servers a start script may run (gunicorn, uWSGI, Celery...), besides the programs :data:`PYTHON_RUN`
names."""


def _on_a_database(dockerfile: Dockerfile) -> bool:
    """Whether the final image starts from a database's or a cache's image (``postgres``, ``redis``)."""
    root = dockerfile.root.image
    return bool(root) and data_service(root) is not None


def _stub(dockerfile: Dockerfile) -> bool:
    """Whether the Dockerfile names its base and nothing else (``FROM python:3.11.7`` alone): no code of the
    project's, nothing it starts or sets; an image begun and not written, or a base image renamed."""
    return all(instruction.keyword in {"FROM", "ARG", "LABEL", "MAINTAINER"} for stage in dockerfile.stages
               for instruction in stage.instructions) and not any(
        "onbuild" in (stage.image or "").lower() for stage in dockerfile.stages)  # its base's ONBUILD copies the code


def _runs_another_framework(project: Project, build: ImageBuild, dockerfile: Dockerfile) -> bool:
    """Whether the image starts a Python file of its build context that is another framework's application and
    nothing of Django's (``CMD ["python", "app.py"]`` whose app.py imports Flask; ``poetry run python runbot.py``
    whose runbot.py imports aiogram): a mock, a helper service or a chat bot."""
    path = project.started_python_file(build, started_words(dockerfile))
    text = project.text(path) if path is not None else None
    return text is not None and OTHER_FRAMEWORKS.search(text) is not None and "django" not in text.lower()


MAX_NAME_PARTS = 8


def base_images(project: Project) -> frozenset[Path]:
    """The Dockerfiles of the project's own base images: another Dockerfile of the project starts from the image one
    makes (:func:`own_dockerfile`: ``FROM acme/shop-base`` beside ``Dockerfile-base``), and no compose service of
    the setup runs it, nor does it start anything of its own (no ENTRYPOINT or CMD). The image built from it is the
    one that runs: its user and environment are what the container has."""
    return project.once((__name__, "base images"), lambda: _base_images(project))


def _base_images(project: Project) -> frozenset[Path]:
    found = set()
    # the images built from it may be other setups' (a Dockerfile CI builds alone, FROM the base it pushed)
    for build, dockerfile in [pair for other in (project, *project.related) for pair in other.dockerfiles]:
        root = dockerfile.root
        # as written when an ARG without a default names the registry (`FROM ${ECR_REGISTRY}/shop-base`)
        image = root.image or (root.from_.args.split()[0] if root.from_.args.strip() else "")
        made = own_dockerfile(project, dockerfile, image) if image else None
        if made is not None and made.path != build.dockerfile_path:
            found.add(made.path)
    return frozenset(
        path for path in found
        if not any(build.dockerfile_path == path and build.services for build in project.builds)
        and not any(dockerfile.path == path and (dockerfile.effective(dockerfile.final, "ENTRYPOINT")
                                                 or dockerfile.effective(dockerfile.final, "CMD"))
                    for _, dockerfile in project.dockerfiles))


def own_image(project: Project, repository: str) -> bool:
    """Whether an image is one the project publishes itself: its repository has a namespace, and a part of it names
    the project (``wger/base`` in wger, ``ghcr.io/acme/shop`` in shop), or its name starts with the project's
    (``unicef/etools-base`` in etools), or its namespace is the repository's owner (``acme/base`` in
    github.com/acme/shop), or its registry is a variable alone (``${ECR_REGISTRY}/kcprofiles-base``). An official
    image (``python``) never is."""
    if "/" not in repository:
        return False
    if project.names_project(repository) or REGISTRY_VARIABLE.fullmatch(repository.split("/", 1)[0]):
        return True  # (`${ECR_REGISTRY}/shop-base`: the registry the deployment pushes the project's images to)
    *namespace, name = repository.split("/")
    parts = re.split(r"[-_.]", name)[:MAX_NAME_PARTS]
    names = project.own_names
    if any(plain_name("".join(parts[:count])) in names for count in range(1, len(parts) + 1)):
        return True  # the project's name as its first words: `etools-base` in etools, `django-bootstrap-extra`
    owner = repository_owner(project)
    return owner is not None and plain_name(owner) == plain_name(namespace[-1])


REGISTRY_VARIABLE = re.compile(r"\$\{?\w+\}?")
"""A registry given by a variable alone (``${ECR_REGISTRY}``, ``$CI_REGISTRY_IMAGE``): the project's own."""


def own_dockerfile(project: Project, dockerfile: Dockerfile, reference: str) -> Dockerfile | None:
    """The Dockerfile the project builds the image ``reference`` from (the one ``dockerfile`` starts from), as its
    final stage or compose build target.

    One a compose service builds (``build:`` beside ``image: shop/base``), or for one of the
    project's own images (:func:`own_image`), a Dockerfile where projects keep it: a folder named
    for it beside the Dockerfile or above it (``wger/base`` from ``extras/docker/base/Dockerfile``),
    ``Dockerfile.base``, ``Dockerfile-base`` or ``base.Dockerfile``, the name being the image's
    or its last dash-separated part (``unicef/etools-base``). Whoever the image's namespace names, and for a bare
    name no official image has, a Dockerfile beside ``dockerfile`` named for the image's tag (``FROM acme/alyx:base``
    or ``FROM celery-microservice:base`` beside ``Dockerfile.base``) is the one: the tag says which variant; for a
    bare name with no tag (``FROM base``), one named for it (``Dockerfile.base``).
    Found once per project (DJC104, DJC105, DJC110 and the base images ask it for each image).
    """
    return project.once((__name__, "own Dockerfile", dockerfile.path, reference),
                        lambda: _own_dockerfile(project, dockerfile, reference))


def _own_dockerfile(project: Project, dockerfile: Dockerfile, reference: str) -> Dockerfile | None:
    image = parse_image(reference)
    repository = image.repository
    for other in project.variants:
        name = project_name(other)
        for service in other.services:
            if service.build is None:
                continue
            build = other.build_for(service) if repository in service_image_names(name, service) else None
            if build is not None and build.dockerfile is not None and build.dockerfile.path != dockerfile.path:
                return build.dockerfile
    if image.tag and PURPOSE_TAG.fullmatch(image.tag) and ("/" in repository or local_image(reference)):
        folder = dockerfile.path.parent
        beside = _parsed(project, dockerfile, (folder / f"Dockerfile.{image.tag}", folder / f"Dockerfile-{image.tag}",
                                               folder / f"{image.tag}.Dockerfile"))
        if beside is not None:
            return beside
    if not image.tag and local_image(reference):  # `FROM base` beside `Dockerfile.base`, built on the machine first
        folder = dockerfile.path.parent
        beside = _parsed(project, dockerfile, (folder / f"Dockerfile.{repository}", folder / f"Dockerfile-{repository}",
                                               folder / f"{repository}.Dockerfile"))
        if beside is not None:
            return beside
    if not own_image(project, repository):
        return None  # a namespaced image of someone else, or an official one: a folder of the same name is no sign
    name = repository.rsplit("/", 1)[-1]
    names = dict.fromkeys((name, name.rsplit("-", 1)[-1]))
    for folder in (dockerfile.path.parent, *dockerfile.path.parent.parents):
        if not folder.is_relative_to(project.boundary):
            break
        for wanted in names:
            found = _parsed(project, dockerfile, (folder / wanted / "Dockerfile", folder / f"Dockerfile.{wanted}",
                                                  folder / f"Dockerfile-{wanted}", folder / f"{wanted}.Dockerfile"))
            if found is not None:
                return found
    return None


PURPOSE_TAG = re.compile(r"[a-z]+(?:[-_][a-z]+)*")
"""A tag that names what an image is for (``base``, ``build-base``), not a version (``3.12``, ``v2``)."""


def _parsed(project: Project, dockerfile: Dockerfile, paths: tuple[Path, ...]) -> Dockerfile | None:
    """The first of ``paths`` that is another Dockerfile of the project, parsed (None when it cannot be)."""
    for path in paths:
        if path != dockerfile.path and project.is_file(path) and (text := project.text(path)) is not None:
            try:
                return parse_dockerfile(path, text)
            except (ParseError, RecursionError):
                return None
    return None


OTHER_PROGRAMS = frozenset({"caddy", "nginx", "openresty", "httpd", "apache2", "apache2ctl", "traefik", "haproxy",
                            "envoy", "node", "npm", "npx", "yarn", "pnpm", "bun", "deno", "java", "php", "php-fpm",
                            "ruby", "rails", "bundle", "redis-server", "postgres", "mysqld", "mongod", "memcached",
                            "varnishd", "minio", "mailpit"})
"""Programs a container runs that are not Python: an image on a ``python`` base whose CMD runs one is a proxy's,
a frontend's or a database's (``caddy run``, ``nginx -g 'daemon off;'``, ``node server.js``)."""
WRAPPERS = frozenset({"tini", "dumb-init", "exec", "env"})


def starts_other_program(dockerfile: Dockerfile) -> bool:
    """Whether the final image's ENTRYPOINT (or its CMD without one) runs a program that is not Python's."""
    words = started_words(dockerfile)
    return bool(words) and words[0].rsplit("/", 1)[-1] in OTHER_PROGRAMS


def started_words(dockerfile: Dockerfile) -> list[str]:
    """The words (options left out) of what the final image starts: its ENTRYPOINT, or its CMD when the
    ENTRYPOINT is a wrapper alone (``ENTRYPOINT ["tini", "--"]``) or absent, past the wrappers."""
    for instruction in (dockerfile.effective(dockerfile.final, keyword) for keyword in ("ENTRYPOINT", "CMD")):
        if instruction is None or not instruction.commands:
            continue
        words = [word for word in instruction.commands[0].words if not word.startswith("-")]
        while words and words[0].rsplit("/", 1)[-1] in WRAPPERS:
            words = words[1:]
        if words:
            return words
    return []


def runs_python(dockerfile: Dockerfile) -> bool:
    """Whether the final image runs Python (a python base, or pip/python/manage.py in it), unless what it starts is
    another program (a caddy, nginx or node image built on a python base) or a documentation or notebook tool
    (:func:`runs_a_tools_program`)."""
    if starts_other_program(dockerfile) or runs_a_tools_program(dockerfile):
        return False
    if dockerfile.on_python_image():
        return True
    lineage = dockerfile.lineage(dockerfile.final)
    root = parse_image(lineage[0].image).repository.rsplit("/", 1)[-1] if lineage[0].image else ""
    for stage in lineage:
        for instruction in stage.instructions:
            # `apk add python make g++` on a node image installs Python for the build's tools (node-gyp): no sign
            args = SYSTEM_INSTALL.sub(" ", instruction.script) if instruction.keyword == "RUN" \
                and root in OTHER_RUNTIMES else instruction.script
            if instruction.keyword in {"RUN", "CMD", "ENTRYPOINT"} and PYTHON_RUN.search(args):
                return True
    return False


PYTHON_RUN = re.compile(r"\b(pip3?|python3?|manage\.py|gunicorn|uvicorn)\b")
SYSTEM_INSTALL = re.compile(r"\b(?:apk[ \t]+add|apt(?:-get)?[ \t]+(?:-\S+[ \t]+)*install|yum[ \t]+install|"
                            r"dnf[ \t]+install)\b[^;&|\n]*")
"""A system package manager's install up to the end of its command: the packages it names are not run."""
OTHER_RUNTIMES = frozenset({"node", "ruby", "golang", "php", "openjdk", "eclipse-temurin", "rust", "nginx", "httpd",
                            "caddy", "bun", "deno"})
"""Official images of another language or server: Python installed there serves the build's tools (on a ``debian``
or ``ubuntu`` base, installing Python is how the image gets it)."""


WORKSPACE = {
    ".devcontainer/devcontainer.json": '{\n  "name": "shop",\n  "dockerComposeFile": "compose.yml",\n'
                                       '  "service": "workspace",\n  "workspaceFolder": "/workspace"\n}\n',
    ".devcontainer/compose.yml": "services:\n  workspace:\n    build:\n      context: ..\n"
                                 "      dockerfile: .devcontainer/Dockerfile\n    command: sleep infinity\n"
                                 "    volumes:\n      - ..:/workspace:cached\n"
                                 "  db:\n    image: postgres:latest\n",
    ".devcontainer/Dockerfile": "FROM mcr.microsoft.com/devcontainers/python:1-3.12-bookworm\n"
                                "RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client "
                                "&& rm -rf /var/lib/apt/lists/*\n"
                                "COPY requirements.txt /tmp/\n"
                                "RUN pip install --no-cache-dir -r /tmp/requirements.txt\n",
    "requirements.txt": "Django>=5.1,<5.2\ngunicorn\n",
}
"""A VS Code development container beside a project: the editor's workspace image, no application image (examples)."""


API_TESTS = {
    "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"8000:8000\"\n",
    "docker-compose.test.yml": "services:\n  web:\n    build: .\n  api-tests:\n    build: ./api_tests\n"
                               "    depends_on:\n      - web\n    environment:\n      BASE_URL: http://web:8000\n",
    "api_tests/Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl\nWORKDIR /tests\n"
                            "COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n"
                            "CMD [\"pytest\", \"-x\"]\n",
    "api_tests/requirements.txt": "pytest==8.3.3\nrequests==2.32.3\n",
}
"""An image that runs a test suite against the application, built by the test stack alone (examples)."""

CADDY_ON_PYTHON = {
    "Dockerfile": "FROM python:3.12-bookworm\nRUN apt-get update "
                  "&& apt-get install -y --no-install-recommends caddy && rm -rf /var/lib/apt/lists/*\n"
                  "COPY Caddyfile /etc/caddy/Caddyfile\n"
                  "CMD [\"caddy\", \"run\", \"--config\", \"/etc/caddy/Caddyfile\"]\n",
    "Caddyfile": ":80 {\n  reverse_proxy web:8000\n}\n",
}
"""A proxy's image on a python base: not the application's (examples)."""

GUNICORN_BEHIND_TINI = {
    "Dockerfile": "FROM python:3.12-bookworm\nRUN pip install --no-cache-dir django gunicorn\n"
                  "ENTRYPOINT [\"tini\", \"--\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
}
"""The application's image, its server started by an init wrapper (examples)."""
