"""Images a project names by a variable, or builds and publishes itself: what the compose model records of
``image:``, and what DJC209, DJC106 and DJC104/DJC105 make of the project's own images."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import lint, write_files

from djlint_docker.discover import Setup
from djlint_docker.images import parse_image
from djlint_docker.parse.compose import parse_compose
from djlint_docker.project import Project
from djlint_docker.rules.dockerfile._final_image import own_image
from djlint_docker.rules.dockerfile._python_env import BASE_IMAGE_DOCKERFILE, OWN_BASE


def _service(text: str, *override: str, env: dict[str, str] | None = None):
    files = [(Path("/p/compose.yaml"), text)] + [(Path(f"/p/compose.{n}.yaml"), o) for n, o in enumerate(override)]
    return parse_compose(files, env or {}).services["app"]


@pytest.mark.parametrize(("image", "chosen", "variable"), [
    ("acme/app:1.4", False, False),
    ("acme/app:${APP_RELEASE:-stable}", False, True),
    ("acme/app:${APP_RELEASE}", False, True),
    ("acme/app:$TAG", False, True),
    ("${REGISTRY:-docker.io}/acme/app:1.4", False, True),
    ("${IMAGE-acme/app:latest}", True, True),
    ("${IMAGE:?set the image}", True, True),
    ("acme/app:$$literal", False, False),  # `$$` is a literal dollar, no variable
])
def test_image_variable_anywhere(image, chosen, variable):
    service = _service(f"services:\n  app:\n    image: \"{image}\"\n", env={"APP_RELEASE": "stable"})
    assert (service.image_chosen, service.image_variable) == (chosen, variable)


def test_override_image_replaces_what_the_base_wrote():
    base = "services:\n  app:\n    image: acme/app:${TAG:-stable}\n"
    assert not _service(base, "services:\n  app:\n    image: acme/app:1.4\n").image_variable
    assert _service("services:\n  app:\n    image: acme/app:1.4\n", base).image_variable
    assert _service(base, "services:\n  app:\n    restart: always\n").image_variable


# DJC105 shares DJC104's reading of an own base image's environment (rules/dockerfile/_python_env.py).
MOUNTED = {**OWN_BASE, "larder/compose.yaml": "services:\n  web:\n    build:\n      context: .\n"
                                               "      dockerfile: docker/production/Dockerfile\n"
                                               "    volumes:\n      - .:/app\n"}


@pytest.mark.parametrize(("base", "expected"), [
    (BASE_IMAGE_DOCKERFILE, []),  # the base image sets PYTHONDONTWRITEBYTECODE: inherited
    (BASE_IMAGE_DOCKERFILE.replace(" PYTHONDONTWRITEBYTECODE=1", ""), [("larder/docker/production/Dockerfile", 1)]),
    (None, []),  # the base image's Dockerfile is not where projects keep it: its environment is unknown
])
def test_bytecode_env_inherited_from_own_base_image(tmp_path, base, expected):
    files = {path: text for path, text in MOUNTED.items() if path != "larder/docker/base/Dockerfile"}
    if base is not None:
        files["larder/docker/base/Dockerfile"] = base
    write_files(tmp_path, files)
    assert sorted((f.path, f.line) for f in lint(tmp_path) if f.code == "DJC105") == expected


@pytest.mark.parametrize(("image", "own"), [
    ("larder/base", True), ("ghcr.io/larder/larder", True), ("registry.example.com/larder-app/larder-web", True),
    ("acme/larder-base", True), ("acme/larderx", False),  # a name starting with the project's, as a word
    ("larder", False),  # no namespace: a local or official image name
    ("python", False), ("acme/base", False), ("acme/larder", True),
])
def test_own_image(tmp_path, image, own):
    write_files(tmp_path, {"larder/.git/HEAD": "ref: refs/heads/main\n"})
    project = Project(Setup(tmp_path / "larder", (), (), ()), tmp_path)
    assert own_image(project, parse_image(image).repository) is own


@pytest.mark.parametrize(("image", "own"), [
    ("acme/django-bootstrap", True),  # docker-django-bootstrap publishes django-bootstrap
    ("acme/django-bootstrap-extra", True), ("acme/django", False), ("acme/bootstrap", False),
])
def test_a_repository_named_for_docker_publishes_the_bare_name(tmp_path, image, own):
    write_files(tmp_path, {"docker-django-bootstrap/.git/HEAD": "ref: refs/heads/main\n"})
    project = Project(Setup(tmp_path / "docker-django-bootstrap", (), (), ()), tmp_path)
    assert own_image(project, parse_image(image).repository) is own
