"""Whether a container waits for a server (the database) to accept connections as it starts: DJC203 needs no
healthcheck then, and DJC202 no start order for a database the stack starts anyway."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from djlint_docker.files import prose_lines
from djlint_docker.parse.compose import Service
from djlint_docker.parse.shell import ScriptLine
from djlint_docker.project import ContainerCommand, Project
from djlint_docker.rules.project._env_files import setup_scripts

WAITS = re.compile(r"pg_isready|wait[-_]?for|dockerize\b.*-wait|\bnc\b[^\n]*\s-z|\bnetcat\b|mysqladmin\b[^\n]*\bping|"
                   r"/dev/tcp/|\bcheck_db\b|\bwaitfordb\b|\b\w*_ready\b|healthcheck|psycopg2?\.connect|"
                   r"\b(until|while)\b[^\n]*\b(psql|python3?|manage\.py|nc)\b|\b(?:curl|wget)\b[^\n]*:(?:5432|3306)\b",
                   re.I)
"""A command or script line that waits for a server: ``pg_isready``, ``wait-for-it db:5432``, ``nc -z``, a loop
that retries ``psql`` or ``manage.py``, a project's ``wait_for_db``."""

LONG_SLEEP = re.compile(r"^\s*sleep\s+(?:[1-9]\d+(?:\.\d+)?s?|\d+(?:\.\d+)?[mh])\s*(?:[;#]|$)")
"""A pause of ten seconds or more (``sleep 30``, ``sleep 1m``): a start script's deliberate wait for the database."""
DATABASE_COMMAND = re.compile(r"\bmanage\.py\b|\bdjango-admin\b|\bgunicorn\b|\buvicorn\b|\bdaphne\b|\bcelery\b")


def _sleeps_first(lines: Sequence[ScriptLine], kept: set[int]) -> bool:
    """Whether a script pauses ten seconds or more, on a line that runs, before its first command of Django's: the
    maintainers' wait for the database to come up (``sleep 1m`` before ``migrate``)."""
    for line in lines:
        if line.line not in kept and line.commands:
            continue
        if DATABASE_COMMAND.search(line.text):
            return False
        if LONG_SLEEP.search(line.text):
            return True
    return False


def waits_as_it_starts(service: Service, runs: list[ContainerCommand]) -> bool:
    """Whether the container waits for a server to accept connections as it starts: its command, or a line of a
    script it runs that can run (a wait under ``if [ "$DATABASE" = "postgres" ]`` with DATABASE never set
    does not)."""
    words = " ".join(w for located in (service.command, service.entrypoint) if located for w in located.value)
    if WAITS.search(words):
        return True
    kept: dict[Path, set[int]] = {}
    scripts = {}
    for run in runs:
        if run.script is not None:
            kept.setdefault(run.script.path, set()).add(run.location.line)
            scripts[run.script.path] = run.script
        if WAITS.search(" ".join(run.command.words)):
            return True
    # Lines without commands of their own (a here-document a function feeds to python) count when the script runs.
    if any(WAITS.search(line.text) for path, script in scripts.items() for line in script.lines
           if not line.commands or line.line in kept[path]):
        return True
    if any(_sleeps_first(script.lines, kept[path]) for path, script in scripts.items()):
        return True
    # A probe with the database's client that the script retries after a pause (`echo ';' | psql ...` in a function,
    # called in a loop with `sleep 5`; `for ((i=0; i<30; i++)); do psql ... && break; sleep 1; done`), or a
    # command of Django's that needs the database, retried in the loop (`./manage.py showmigrations` until it works)
    return any(any(DATABASE_CLIENT.search(line.text) for line in script.lines) and _retries(script.lines)
               or _retries(script.lines, DJANGO_PROBE) for script in scripts.values())


def waits_for_host(service: Service, runs: list[ContainerCommand], host: str) -> bool:
    """Whether the container waits for the server named ``host`` as it starts: a waiting command or script line
    that names it (``while ! nc -z rabbitmq 5672``, ``wait-for-it redis:6379``), whatever server it is."""
    named = re.compile(rf"(?<![\w.-]){re.escape(host)}(?![\w-])")
    texts = [" ".join(located.value) for located in (service.command, service.entrypoint) if located]
    texts += [" ".join(run.command.words) for run in runs]
    scripts = {run.script.path: run.script for run in runs if run.script is not None}
    texts += [line.text for script in scripts.values() for line in script.lines]
    return any(WAITS.search(text) and named.search(text) for text in texts)


DATABASE_CLIENT = re.compile(r"\b(?:psql|mysql|mariadb|sqlite3)\b")
DJANGO_PROBE = re.compile(r"manage\.py[\s'\"]+(?:showmigrations|migrate|check|dbshell)\b")
LOOP = re.compile(r"\b(?:for|while|until)\b")
SLEEP = re.compile(r"\bsleep\b")
MAX_LOOP_LINES = 20
MAX_LOOPS = 4  # the last loop keywords before a sleep that may start its loop


def _retries(lines: tuple[ScriptLine, ...], probe: re.Pattern[str] | None = None) -> bool:
    """Whether a script pauses in a loop: a ``sleep`` at most twenty lines after the last loop keyword before it.
    The script retries what it runs there; with ``probe``, only when a line of the loop runs it."""
    loops: list[int] = []  # where loop keywords stand (a "for" in an echoed sentence too)
    for index, line in enumerate(lines):
        if LOOP.search(line.text):
            loops.append(index)
        if SLEEP.search(line.text) and any(
                index - start <= MAX_LOOP_LINES and (probe is None or any(
                    probe.search(inner.text) for inner in lines[start:index + 1])) for start in loops[-MAX_LOOPS:]):
            return True
    return False


START_SCRIPTS = re.compile(r".*\.(?:sh|bash)|README[\w.-]*|[\w-]+", re.I)
"""The files that tell how a stack is started: shell scripts (``./manage`` too, with or without a shebang), a
Makefile or justfile (names without a dot), the README."""
COMPOSE_COMMAND = re.compile(r"\bdocker(?:-compose|[ \t]+compose)\b([^\n;&|`]*)")
GLOBAL_VALUES = frozenset({"-f", "--file", "-p", "--project-name", "--env-file", "--profile", "--project-directory",
                           "--ansi", "--progress", "--parallel"})
RUN_VALUES = frozenset({"-e", "--env", "-u", "--user", "-w", "--workdir", "--name", "-p", "--publish", "-v",
                        "--volume", "--entrypoint", "-l", "--label", "--cap-add", "--cap-drop", "--pull"})
UP_VALUES = frozenset({"--scale", "-t", "--timeout", "--exit-code-from", "--attach", "--no-attach", "--pull",
                       "--wait-timeout"})


def started_without(project: Project, service: str, dependency: str) -> bool:
    """Whether the project's scripts or README start ``service`` without ``dependency``: ``docker compose run --rm
    web ...`` starts what the service depends on and nothing else, ``docker compose up -d web worker`` the services it
    names. A wait for a database nothing starts never ends."""
    return any(service in started and dependency not in started
               for started in project.once((__name__, "started"), lambda: _started_by_name(project)))


def _started_by_name(project: Project) -> list[frozenset[str]]:
    """The services each Compose command of the project's scripts and README starts by name, read once per project:
    a script as a file of the setup, the README as prose (the suppressions it shows apply to nothing)."""
    found: list[frozenset[str]] = []
    for path in setup_scripts([project.root, project.root / "scripts", project.root / "bin"], START_SCRIPTS):
        text = "\n".join(prose_lines(path, project.boundary)) if path.name.lower().startswith("readme") \
            else project.text(path, quiet=True) or ""
        found += [frozenset(started) for match in COMPOSE_COMMAND.finditer(text)
                  if (started := _started(match.group(1).split()))]
    return found


def _started(words: list[str]) -> set[str]:
    """The services a Compose command line (after ``docker compose``) starts by name: ``run``'s service, ``up``'s."""
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in GLOBAL_VALUES else 1
    if index >= len(words) or words[index] not in {"run", "up"}:
        return set()
    values = RUN_VALUES if words[index] == "run" else UP_VALUES
    names: set[str] = set()
    index += 1
    while index < len(words):
        word = words[index]
        if word.startswith("-"):
            index += 2 if word in values else 1
            continue
        names.add(word)
        if values is RUN_VALUES:
            break  # the service; the rest is its command
        index += 1
    return names
