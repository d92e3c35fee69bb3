"""The fix that makes ``runserver`` bind every interface: for a Dockerfile, a script or a compose file."""

from __future__ import annotations

import re

from djlint_docker.edits import line_end, line_start, newline
from djlint_docker.findings import Edit, Fix
from djlint_docker.parse.shell import Runserver
from djlint_docker.positions import Location
from djlint_docker.project import Project

RUNSERVER_WORD = re.compile(r"""(?P<quote>["']?)\brunserver(?:_plus)?\b(?P=quote)""")


def bind_all_fix(project: Project, location: Location, server: Runserver) -> Fix | None:
    """Bind every interface, keeping the port: the address after ``runserver`` replaced, or one added.

    Works on the text from ``location`` on: a shell word, a JSON or YAML flow item
    (``"runserver", "0.0.0.0:8000"``) or a YAML block item (a new ``- "0.0.0.0:8000"``).
    """
    text = project.text(location.path)
    found = RUNSERVER_WORD.search(text, line_start(text, location.line)) if text is not None else None
    if text is None or found is None:
        return None
    suggestion = server.suggested()
    if server.addrport is not None:
        written = re.compile(rf"(?<![\w.:\[\]$-]){re.escape(server.addrport)}(?![\w.:\[\]-])")
        address = written.search(text, found.end(), line_end(text, location.line) + 200)
        if address is None:
            return None
        edit = Edit(location.path, address.start(), address.end(), suggestion)
    elif found.group("quote"):
        quote = found.group("quote")
        edit = Edit(location.path, found.end(), found.end(), f", {quote}{suggestion}{quote}")
    else:
        start = text.rfind("\n", 0, found.start()) + 1
        item = re.fullmatch(r"(\s*-\s+)", text[start:found.start()])
        if item:  # a YAML block sequence: a new item under this one
            end = line_end(text, text.count("\n", 0, start) + 1)
            edit = Edit(location.path, end, end, f'{newline(text)}{item.group(1)}"{suggestion}"')
        else:
            edit = Edit(location.path, found.end(), found.end(), f" {suggestion}")
    return Fix(f"bind {suggestion}", (edit,))
