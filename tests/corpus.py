"""Every Dockerfile and compose file the tests use: rule examples and fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from conftest import FIXTURES, all_examples, example_id

from djlint_docker.discover import compose_set_aside
from djlint_docker.kinds import kind
from djlint_docker.parse.compose import OVERRIDES, outline

OVERRIDE_NAMES = {name for names in OVERRIDES.values() for name in names}  # read with their base file


def _files() -> Iterator[tuple[str, dict[str, str | bytes]]]:
    for case in all_examples():
        yield example_id(case), dict(case[1].files)
    for root in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        files = {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        yield f"fixture-{root.name}", files


def dockerfiles() -> list[tuple[str, str]]:
    """(id, text) of every Dockerfile that is text."""
    found = []
    for name, files in _files():
        for path, content in files.items():
            if kind(PurePath(path)) == "dockerfile":
                try:
                    text = content.decode("utf-8") if isinstance(content, bytes) else content
                except UnicodeDecodeError:
                    continue
                if "\x00" not in text:
                    found.append((f"{name}:{path}", text))
    return found


def compose_projects() -> list[tuple[str, dict[str, str | bytes], str]]:
    """(id, files, compose path) of every project with a compose file."""
    return [(f"{name}:{path}", files, path) for name, files in _files() for path in files
            if _compose(path, files[path]) and PurePath(path).name not in OVERRIDE_NAMES]


def _compose(path: str, content: str | bytes) -> bool:
    """A compose file by its name, or a YAML file whose content discovery takes for one (local.yml); not one named
    as a template (prod-template.yml), which discovery leaves to the user who copies it."""
    if compose_set_aside(PurePath(path).name):
        return False
    found = kind(PurePath(path))
    if found == "yaml":
        shape = outline(content.decode("utf-8", "replace") if isinstance(content, bytes) else content)
        return shape is not None and shape.is_compose and not shape.needs
    return found == "compose"
