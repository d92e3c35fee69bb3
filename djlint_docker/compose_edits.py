"""Surgical edits of a compose service: lines added or rewritten at ruamel.yaml's positions.

Re-dumping a YAML document reformats it, so these helpers work on the text: they find
the lines a service's keys start on (the positions the parser recorded), keep the file's
indentation, quoting and comments, and give up (None) on a layout they cannot edit
losslessly, such as a service written in flow style.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from djlint_docker.edits import insert_lines, line_end, line_start, line_text, newline
from djlint_docker.findings import Edit
from djlint_docker.parse.compose import Service
from djlint_docker.project import Project

CONDITION = re.compile(r"(?<![\w-])condition[ \t]*:[ \t]*(['\"]?)(\w+)\1")
FLOW_NAMES = re.compile(r"\[([^\[\]{}#]*)\]")
NAME = re.compile(r"""(["']?)[\w.-]+\1""")


class Body:
    """A block-style service in the file that defines it: its text and indentation."""

    def __init__(self, project: Project, service: Service) -> None:
        self.path = service.location.path
        self.text = project.text(self.path) or ""
        own = [at for at in service.keys.values() if at.path == self.path]
        self.block = bool(self.text) and bool(own) and all(at.line > service.location.line for at in own)
        self.name_indent = service.location.column - 1
        self.key_indent = min((at.column - 1 for at in own), default=0)
        self.step = " " * max(self.key_indent - self.name_indent, 1)
        self.service = service

    def end(self) -> int:
        """The line after the service's last line."""
        return block_end(self.text, self.service.location.line, self.name_indent)


def block_end(text: str, line: int, indent: int) -> int:
    """The line after the block that starts at ``line``: after its last line indented deeper than ``indent``."""
    lines = text.splitlines()
    end = line
    for number in range(line + 1, len(lines) + 1):
        content = lines[number - 1]
        if not content.strip() or content.lstrip().startswith("#"):
            continue
        if len(content) - len(content.lstrip()) <= indent:
            break
        end = number
    return end + 1


def add_depends_on(project: Project, service: Service, host: str, condition: str = "service_started",
                   required: bool = True) -> tuple[Edit, ...] | None:
    """``host`` added to the service's ``depends_on`` (created when there is none), in the style it has.

    A mapping gets a ``host:`` entry with its ``condition:`` (and ``required: false`` when
    not ``required``); a new ``depends_on`` goes right under the service's name, a list
    when the entry needs neither. A block list gets a ``- host`` item and a flow list
    ``, host``, which wait for the start only: None when the entry must not be required,
    as a list cannot say so.
    """
    body = Body(project, service)
    if not body.block:
        return None
    path, text, indent = body.path, body.text, " " * body.key_indent
    details = [f"condition: {condition}"] + ([] if required else ["required: false"])
    key = service.keys.get("depends_on")
    if key is None or key.path != path:
        if condition == "service_started" and required:
            lines = [f"{indent}depends_on:", f"{indent}  - {host}"]
        else:
            step = body.step
            lines = [f"{indent}depends_on:", f"{indent}{step}{host}:",
                     *(f"{indent}{step * 2}{line}" for line in details)]
        return (insert_lines(path, text, service.location.line + 1, lines),)
    entries = [at.location for at in service.depends_on.values() if at.location.path == path]
    if not entries:
        return None
    last = max(entries, key=lambda at: (at.line, at.column))
    lead = line_text(text, last.line)[:last.column - 1]
    if lead.strip() == "":  # mapping: a new entry, its details indented as the last one's body
        lines = [f"{lead}{host}:", *(f"{lead}  {line}" for line in details)]
        return (insert_lines(path, text, block_end(text, last.line, len(lead)), lines),)
    if not required:
        return None
    if lead.strip() == "-":  # block list: a new item under the last one
        return (insert_lines(path, text, last.line + 1, [f"{lead}{host}"]),)
    flow_end = text.find("]", line_start(text, last.line) + last.column - 1)
    if flow_end < 0 or "\n" in text[line_start(text, last.line) + last.column - 1:flow_end]:
        return None
    return (Edit(path, flow_end, flow_end, f", {host}"),)


def wait_healthy(project: Project, service: Service, host: str) -> tuple[Edit, ...] | None:
    """``condition: service_healthy`` for ``host`` in the service's ``depends_on``.

    A mapping entry gets its condition replaced. A list becomes a mapping (Compose
    takes one form or the other): in a block list each ``- name`` line becomes ``name:``
    with ``condition: service_started`` under it (``service_healthy`` for ``host``), its
    comment kept; a one-line flow list becomes a flow mapping.
    """
    entry = service.depends_on[host].location
    key = service.keys.get("depends_on")
    text = project.text(entry.path)
    if text is None or key is None or key.path != entry.path:
        return None
    lead = line_text(text, entry.line)[:entry.column - 1]
    if lead.strip() == "":
        return _set_condition(entry.path, text, entry.line, entry.column)
    if lead.strip() == "-":
        return _block_list_to_mapping(project, service, host, text)
    if lead.rstrip().endswith(("[", ",")):
        return _flow_list_to_mapping(service, host, text, entry.line)
    return None


def _set_condition(path: Path, text: str, line: int, column: int) -> tuple[Edit, ...] | None:
    start = line_start(text, line) + column - 1
    end = line_start(text, block_end(text, line, column - 1))
    found = CONDITION.search(text, start, end)
    return (Edit(path, found.start(2), found.end(2), "service_healthy"),) if found else None


def _block_list_to_mapping(project: Project, service: Service, host: str, text: str) -> tuple[Edit, ...] | None:
    key = service.keys["depends_on"]
    path = key.path
    entries = {name: at.location for name, at in service.depends_on.items() if at.location.path == path}
    items = []
    for number in range(key.line + 1, text.count("\n") + 2):
        content = line_text(text, number)
        indent = len(content) - len(content.lstrip())
        if content.strip() and not content.lstrip().startswith("#"):
            if indent < key.column - 1 or indent == key.column - 1 and not content.lstrip().startswith("-"):
                break
            if content.lstrip().startswith("-"):
                items.append(number)
    if sorted(at.line for at in entries.values()) != items:
        return None  # an item on a line of its own is the only layout rewritten
    step = Body(project, service).step
    edits = []
    for name, at in entries.items():
        content = line_text(text, at.line)
        dash = len(content) - len(content.lstrip())
        item_indent = " " * dash if dash > key.column - 1 else " " * (key.column - 1) + step
        written = _written_name(content[at.column - 1:], name)
        if written is None:
            return None
        rest = content[at.column - 1 + len(written):]
        condition = "service_healthy" if name == host else "service_started"
        replacement = f"{item_indent}{written}:{rest}{newline(text)}{item_indent}{step}condition: {condition}"
        edits.append(Edit(path, line_start(text, at.line), line_end(text, at.line), replacement))
    return tuple(edits)


def _written_name(source: str, name: str) -> str | None:
    """How ``name`` is written at the start of ``source`` (plain or quoted), if it stands alone there."""
    found = NAME.match(source)
    if found is None or found.group().strip("'\"") != name:
        return None
    rest = source[found.end():]
    return found.group() if not rest or rest[0] in " \t" else None


def _flow_list_to_mapping(service: Service, host: str, text: str, line: int) -> tuple[Edit, ...] | None:
    start = line_start(text, line)
    found = FLOW_NAMES.search(text, start, line_end(text, line))
    if found is None:
        return None
    written = [item.strip() for item in found.group(1).split(",") if item.strip()]
    if sorted(item.strip("'\"") for item in written) != sorted(service.depends_on):
        return None
    if not all(NAME.fullmatch(item) for item in written):
        return None
    conditions = ["service_healthy" if item.strip("'\"") == host else "service_started" for item in written]
    entries = ", ".join(f"{item}: {{condition: {condition}}}"
                        for item, condition in zip(written, conditions, strict=True))
    return (Edit(service.keys["depends_on"].path, found.start(), found.end(), f"{{{entries}}}"),)


def add_healthcheck(project: Project, service: Service, test: tuple[str, ...]) -> tuple[Edit, ...] | None:
    """A ``healthcheck:`` with ``test`` as the service's last key.

    It checks every 5 s, gives up after 10 failures, and does not count failures during the
    first 30 s, which a new database spends initialising its data directory.
    """
    body = Body(project, service)
    if not body.block:
        return None
    indent, step = " " * body.key_indent, body.step
    command = ", ".join(json.dumps(word) for word in test)
    lines = [f"{indent}healthcheck:", f"{indent}{step}test: [{command}]", f"{indent}{step}interval: 5s",
             f"{indent}{step}timeout: 5s", f"{indent}{step}retries: 10", f"{indent}{step}start_period: 30s"]
    return (insert_lines(body.path, body.text, body.end(), lines),)
