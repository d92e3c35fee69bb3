"""Images a project names by a variable, or builds and publishes itself: what the compose model records of
``image:``, and what DJC209, DJC106 and DJC104/DJC105 make of the project's own images."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.parse.compose import parse_compose


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
