"""uWSGI's configuration: which files a ``uwsgi`` command loads, and the values of an option in one.

uWSGI loads a file given with ``--ini``/``--yaml``/``--json`` (``--ini app.ini:section``), or
given alone by its suffix (``uwsgi --http :8000 uwsgi.ini``). An ini file's options are read
in the section uWSGI reads (``[uwsgi]`` unless the name says another); YAML and JSON files are
read line by line for ``key: value`` (``"key": "value"``), enough for the flat files projects write.
"""

from __future__ import annotations

import posixpath
import re

CONFIG_OPTIONS = {"--ini": "ini", "--yaml": "yaml", "--yml": "yaml", "--json": "json", "--js": "json"}
CONFIG_SUFFIXES = {".ini": "ini", ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".js": "json"}
SYSTEM_CONFIG = "/etc/uwsgi/"
"""Where uWSGI's configurations go in an image (``/etc/uwsgi/uwsgi.ini``, an emperor's vassals)."""
INI_SECTION = re.compile(r"^[ \t]*\[([^\]\n]*)\]", re.MULTILINE)


def config_files(words: tuple[str, ...] | list[str]) -> list[tuple[str, str, str]]:
    """The configuration files a ``uwsgi`` command names: (path as written, kind, ini section)."""
    found = []
    for index, word in enumerate(words[1:], start=1):
        option, _, value = word.partition("=")
        if option in CONFIG_OPTIONS:
            name = value if value else words[index + 1] if index + 1 < len(words) else ""
            kind = CONFIG_OPTIONS[option]
        elif not word.startswith("-") and not words[index - 1].startswith("-") \
                and posixpath.splitext(word)[1] in CONFIG_SUFFIXES:
            name, kind = word, CONFIG_SUFFIXES[posixpath.splitext(word)[1]]
        else:
            continue
        name, _, section = name.partition(":") if kind == "ini" else (name, "", "")
        if name and "$" not in name:
            found.append((name, kind, section or "uwsgi"))
    return found


def option_values(text: str, kind: str, section: str, key: str) -> list[str]:
    """The values a configuration gives ``key`` (``env = A=b`` may be given several times), in order."""
    pattern = re.compile(rf"""^[ \t]*["']?{re.escape(key)}["']?[ \t]*[=:][ \t]*["']?([^"'\n,;#]*)""", re.MULTILINE)
    if kind != "ini":
        return [match.group(1).strip() for match in pattern.finditer(text)]
    sections = list(INI_SECTION.finditer(text))
    found = []
    for index, header in enumerate(sections):
        if header.group(1).strip() != section:
            continue
        end = sections[index + 1].start() if index + 1 < len(sections) else len(text)
        found += [match.group(1).strip() for match in pattern.finditer(text, header.end(), end)]
    return found
