"""The causes the fifteenth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

import os
import re
from pathlib import Path
from unittest import mock

import pytest
from conftest import lint, write_files

from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.registry import REGISTRY, Example

SEPARATOR_EXAMPLES = [example for example in REGISTRY["DJC317"].examples if "${" not in example.files["web.env"]]


@pytest.mark.parametrize("example", SEPARATOR_EXAMPLES, ids=[example.name for example in SEPARATOR_EXAMPLES])
def test_list_separator_mismatch_is_what_django_refuses(tmp_path: Path, example: Example) -> None:
    """DJC317 fires exactly when Django, given the settings Python computes from the service's value, refuses a host
    the value names (``django.http.request.validate_host``, the check every request goes through)."""
    from django.http.request import validate_host

    value = example.files["web.env"].split("=", 1)[1].strip()
    with mock.patch.dict(os.environ, {"DJANGO_ALLOWED_HOSTS": value}):
        namespace: dict[str, object] = {}
        exec(compile(example.files["app/settings.py"], "settings.py", "exec"), namespace)
    allowed = namespace["ALLOWED_HOSTS"]
    refused = any(not validate_host(host, allowed) for host in re.split(r"[\s,]+", value) if host)
    root = write_files(tmp_path, example.files)
    fired = any(finding.code == "DJC317" for finding in lint(root, [REGISTRY["DJC317"]]))
    assert fired == refused
