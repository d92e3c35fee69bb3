"""Shell command lines (CMD, ENTRYPOINT, compose ``command:``, scripts), split as shlex splits them.

Enough of the shell to find what a container runs: simple commands separated by
``&&``, ``||``, ``;`` and ``|``, ``sh -c "..."`` unwrapped, ``exec``/``env``/``VAR=x``
prefixes set aside, and Django's ``runserver`` address read as Django reads it.
Words are split exactly as ``shlex`` (posix mode) splits them, by :func:`tokens`, which
does it in linear time: shlex builds each token a character at a time, which is
quadratic on a long line.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from operator import eq, ge, gt, le, lt, ne

from djlint_docker.records import record, replaced

OPERATORS = {"&&", "||", ";", "|", "&", ";;", "(", ")", "|&"}
OPERATOR_CHARS = "();<>|&"  # shlex's punctuation_chars=True: a run of them is one token
BLANKS = " \t\r\n"  # shlex's whitespace
LINE_BLANKS = " \t\r"  # the blanks between words of a line: a newline ends a command
FD_BEFORE_REDIRECT = re.compile(r"(?:(?<=\s)|^)\d+(?=[<>])")
REDIRECTS = re.compile(r"^\d*(>|>>|<|<<|<<<|>&|<&|&>|&>>)$")
PREFIXES = {"exec", "env", "nohup", "time", "command"}
KEYWORDS = {"if", "then", "else", "elif", "while", "until", "do", "!", "{", "}"}
SHELLS = {"sh", "bash", "ash", "dash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash", "/bin/dash", "/usr/bin/env"}
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
PYTHON = re.compile(r"python[0-9.]*")
# The quoted and escaped parts of a word; shlex keeps the backslash of any escape in double
# quotes but \\ and \" (it does not treat \$, \` or backslash-newline as sh does).
QUOTED_PART = re.compile(r"""\\(.)|'([^']*+)'|"((?:[^"\\]++|\\.)*+)\"""", re.DOTALL)
ESCAPE_IN_DOUBLE_QUOTES = re.compile(r'\\([\\"])')
# A command substitution that holds only a comment (`# why`), the way long RUN lines annotate a
# package: sh substitutes nothing for it. shlex knows no backticks and would read its `#` as a
# comment to the end of the line, losing the rest of a continued command. Single-quoted text
# and escaped characters are skipped over (a backtick there is literal).
COMMENT_SUBSTITUTION = re.compile(r"'[^']*+'|\\.|(`[ \t]*+#[^`]*+`)", re.DOTALL)


@record
class Command:
    """One simple command: its words, and whether the shell ``exec``-ed it."""

    words: tuple[str, ...]
    exec_: bool = False


def words(text: str) -> list[str]:
    """Split like a shell (quotes removed); a plain whitespace split when a quote is unbalanced."""
    return list(_split_words(text))


@functools.lru_cache(maxsize=16)
def _split_words(text: str) -> tuple[str, ...]:
    """:func:`words`, kept for the last few texts: the rules ask for the words of one CMD or ENTRYPOINT many times."""
    try:
        return tuple(tokens(text))
    except ValueError:
        return tuple(text.split())


QUOTED_SPANS = re.compile(r"'[^']*+'|\"((?:[^\"\\]++|\\.)*+)\"", re.DOTALL)


def compose_words(text: str) -> list[str]:
    """The words of a compose file's ``command:`` or ``entrypoint:`` string as Compose splits it (go-shellwords): as
    :func:`words`, but a backslash before a newline in double quotes escapes it (the newline stays, the backslash
    goes), where sh would join the lines: ``sh -c "manage.py runserver_plus \\<newline> 0.0.0.0:8000"`` gives the
    shell two commands."""
    if "\\\n" in text:
        text = QUOTED_SPANS.sub(lambda span: span.group().replace("\\\n", "\n") if span.group(1) is not None
                                else span.group(), text)
    return words(text)


PROGRAM_LOOKUP = re.compile(r"\$\([ \t]*(?:command[ \t]+-v|which)[ \t]+(?P<name>[\w.+-]+)[ \t]*\)"
                            r"|`[ \t]*(?:command[ \t]+-v|which)[ \t]+(?P<quoted>[\w.+-]+)[ \t]*`")
"""``$(command -v uwsgi)``, ``$(which python)``, `` `which gunicorn` ``: the program found on the PATH, run as such."""


def _prepared(text: str) -> str:
    """A command line as it is split: a file descriptor written against its operator (2>&1, 2>/dev/null) is no
    argument, a comment in a substitution expands to nothing, and a program looked up on the PATH is run."""
    text = FD_BEFORE_REDIRECT.sub("", _without_comment_substitutions(text))
    return PROGRAM_LOOKUP.sub(lambda found: found["name"] or found["quoted"], text)


def split_line(text: str) -> list[Command]:
    """Split one shell command line into its simple commands, unwrapping ``sh -c``. A newline outside quotes ends a
    command, as in a script (``sh -c`` given a compose file's literal block of one command per line); a
    backslash before it continues the line."""
    text = _prepared(text).replace("\\\n", "")
    try:
        line_tokens = tokens(text, whitespace=LINE_BLANKS, comments=True, operators=OPERATOR_CHARS + "\n")
    except ValueError:  # an unclosed quote: fall back to plain words
        line_tokens = text.split()
    commands: list[Command] = []
    current: list[str] = []
    for token in line_tokens + [";"]:
        if token in OPERATORS or "\n" in token and token.replace("\n", "") in OPERATORS | {""}:
            if current:
                commands.extend(_simple(current))
            current = []
        else:
            current.append(token)
    return commands


def _without_comment_substitutions(text: str) -> str:
    """The line with each `` `# comment` `` substitution removed, as sh expands it (to nothing)."""
    if "`" not in text:
        return text
    return COMMENT_SUBSTITUTION.sub(lambda m: "" if m.group(1) else m.group(0), text)


def tokens(text: str, whitespace: str = BLANKS, comments: bool = False, operators: str = "") -> list[str]:
    """The tokens of ``shlex.shlex(text, posix=True)`` with ``whitespace_split`` on, in linear time.

    ``whitespace`` is shlex's ``whitespace``; ``comments`` makes ``#`` start a comment that
    runs to the end of the line, even inside a word (shlex's default ``commenters``);
    ``operators`` are its ``punctuation_chars``. Raises ValueError where shlex does: for a
    quote left open or a backslash at the very end.
    """
    found: list[str] = []
    for match in _token_pattern(whitespace, comments, operators).finditer(text):
        kind = match.lastgroup
        if kind == "word":
            word = match.group(kind)
            found.append(QUOTED_PART.sub(_unquoted, word) if "'" in word or '"' in word or "\\" in word else word)
        elif kind == "operator":
            found.append(match.group(kind))
        elif kind == "open":
            raise ValueError("No closing quotation" if match.group(kind) != "\\" else "No escaped character")
    return found


@functools.cache
def _token_pattern(whitespace: str, comments: bool, operators: str) -> re.Pattern[str]:
    # Each match is the whitespace before one token and the token, or the whitespace at the end
    # (left unmatched, it would be scanned again from each of its characters). Possessive
    # quantifiers: a quote that never closes fails at once, no backtracking.
    ends = re.escape(whitespace + ("#" if comments else "") + operators)
    parts = []
    if comments:
        # shlex reads the rest of the line, newline included; the newline is kept where it ends a command
        parts.append(r"(?P<comment>\#[^\n]*+)" if "\n" in operators else r"(?P<comment>\#[^\n]*+\n?)")
    if operators:
        parts.append(rf"(?P<operator>[{re.escape(operators)}]++)")
    parts.append(rf"""(?P<word>(?:[^{ends}'"\\]++|\\.|'[^']*+'|"(?:[^"\\]++|\\.)*+")++)""")
    parts.append(r"""(?P<open>['"\\])""")  # only where the word cannot go on: an unclosed quote
    return re.compile(rf"[{re.escape(whitespace)}]*+(?:{'|'.join(parts)}|\Z)", re.DOTALL)


def _unquoted(part: re.Match[str]) -> str:
    escaped, single, double = part.groups()
    if escaped is not None:
        return escaped
    if single is not None:
        return single
    return ESCAPE_IN_DOUBLE_QUOTES.sub(r"\1", double)


def split_words(words: list[str] | tuple[str, ...]) -> list[Command]:
    """The simple commands of an exec-form command (a JSON array), unwrapping ``sh -c``."""
    return _simple(list(words))


def command_string(words: list[str] | tuple[str, ...]) -> bool:
    """Whether the words start a shell with a command string (``sh -c "..."``, ``bash -c "./start.sh && ..."``)."""
    return len(words) >= 3 and words[0] in SHELLS and "-c" in words[1:3]


def _simple(words: list[str]) -> list[Command]:
    words = _drop_redirects(words)
    exec_ = False
    first = 0  # the prefixes are counted, then cut once: cutting them one by one is quadratic
    while first < len(words):
        head = words[first]
        if head in KEYWORDS or ASSIGNMENT.match(head):
            first += 1
        elif head in PREFIXES:
            exec_ = exec_ or head == "exec"
            first += 1
            while first < len(words) and words[first].startswith("-"):
                first += 1
        else:
            break
    words = words[first:]
    if command_string(words):
        script = words[words.index("-c", 1) + 1] if words.index("-c", 1) + 1 < len(words) else ""
        inner = split_line(script)
        if exec_ and len(inner) == 1:
            inner = [Command(inner[0].words, True)]
        return inner
    if words and words[0].rsplit("/", 1)[-1] == "su" and "-c" in words[1:-1]:
        # `su -m app -c "python manage.py migrate"`: su (which drops root), then what its shell runs as app
        return [Command(tuple(words), exec_), *split_line(words[words.index("-c", 1) + 1])]
    watched = _watched(words)
    if watched is not None:
        return [Command(command.words, exec_ and len(watched) == 1) for command in watched]
    return [Command(tuple(words), exec_)] if words else []


WATCHERS = frozenset({"watchfiles", "watchgod", "watchmedo"})
"""File watchers that restart a program when the source changes, in development stacks:
``watchfiles --filter python celery.__main__.main --args "-A app worker"``,
``watchmedo auto-restart -- celery ...``."""
WATCHER_OPTIONS_WITH_VALUES = frozenset({
    "--filter", "--ignore-paths", "--target-type", "--verbosity", "--sigint-timeout", "--grace-period",
    "--sigkill-timeout", "-d", "--directory", "-p", "--pattern", "--patterns", "-i", "--ignore-pattern",
    "--ignore-patterns", "--signal", "--kill-after", "--debounce-interval", "--interval"})
WATCHED_FUNCTION = re.compile(r"[A-Za-z_]\w*+(?:\.\w++)++")
"""A target watchfiles runs as a Python function (``celery.__main__.main``), not as a command."""


def _watched(given: list[str]) -> list[Command] | None:
    """The commands a file watcher runs, as if run directly; None when the words start no watcher.

    ``watchfiles`` runs its target either as a command line or, for a dotted name, as the
    function of a module (its arguments in ``--args``, one string that watchfiles splits;
    watchgod takes the rest of the line); ``watchmedo auto-restart`` runs what follows ``--``
    or its options. A dotted function runs as its package's program: ``celery.__main__.main``
    is ``celery``."""
    watcher = given[0].rsplit("/", 1)[-1] if given else ""
    if watcher not in WATCHERS:
        return None
    index = 2 if len(given) > 1 and given[1] == "auto-restart" else 1
    target: str | None = None
    arguments: list[str] = []
    while index < len(given):
        word = given[index]
        if word == "--":
            return _simple(given[index + 1:])
        if word in ("--args", "-a"):
            rest = given[index + 1:]
            arguments = (words(rest[0]) if watcher == "watchfiles" else rest) if rest else []
            if watcher == "watchgod":
                break
            index += 2
        elif word.startswith("--args="):
            arguments = words(word.split("=", 1)[1])
            index += 1
        elif word.startswith("-"):
            index += 2 if word in WATCHER_OPTIONS_WITH_VALUES else 1
        elif target is None:
            target = word
            if watcher == "watchmedo":
                return _simple(given[index:])
            index += 1
        else:
            index += 1  # a path to watch
    if target is None:
        return []
    if WATCHED_FUNCTION.fullmatch(target) and not target.endswith((".py", ".sh")):
        package = target.split(".", 1)[0]
        return _simple(["django-admin" if package == "django" else package, *arguments])
    return split_line(target)


def _drop_redirects(words: list[str]) -> list[str]:
    """Remove redirections and their targets (``> log``, ``>& 1``)."""
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif (">" in word or "<" in word) and REDIRECTS.match(word):  # every redirection has one of them
            skip = True
        else:
            kept.append(word)
    return kept


ENVIRONMENT_RUNNERS = frozenset({"uv", "poetry", "pipenv", "pdm", "hatch", "rye"})
"""Tools that run a program in the project's environment: ``uv run gunicorn ...``, ``poetry run celery ...``."""
RUNNER_OPTIONS_WITH_VALUES = frozenset({"--with", "--with-requirements", "--python", "-p", "--env-file", "--project",
                                        "--directory", "--group", "--extra", "--package", "--index", "--index-url",
                                        "-e", "--env"})
MAX_RUNNER_WORDS = 8


DEBUGGERS = frozenset({"debugpy", "ptvsd", "pdb", "cProfile", "profile"})
"""Python modules that run a script under a debugger or profiler: ``python -m debugpy --listen 0.0.0.0:5678
manage.py runserver`` runs ``manage.py runserver``."""
DEBUGGER_OPTIONS_WITH_VALUES = frozenset({"--listen", "--connect", "--log-to", "--pid", "--host", "--port", "-o",
                                          "--outfile", "-s", "--sort"})


def runner_skipped(words: Sequence[str]) -> Sequence[str]:
    """The words of the program an environment runner starts (``uv run --frozen gunicorn app.wsgi`` -> ``gunicorn
    app.wsgi``), or of the script a debugger runs (``python -m debugpy --listen 0.0.0.0:5678 manage.py runserver``
    -> ``python manage.py runserver``); the words as given when they start neither."""
    if len(words) >= 3 and words[0].rsplit("/", 1)[-1] in ENVIRONMENT_RUNNERS and words[1] == "run":
        index = 2
        while index < min(len(words), MAX_RUNNER_WORDS) and words[index].startswith("-"):
            index += 2 if words[index] in RUNNER_OPTIONS_WITH_VALUES else 1
        words = words[index:] if index < len(words) else words
    return _debugger_skipped(words)


def _debugger_skipped(words: Sequence[str]) -> Sequence[str]:
    """``python`` and the words after the options of the debugger it runs (:data:`DEBUGGERS`); the words as given
    when it runs none."""
    if len(words) < 4 or not PYTHON.fullmatch(words[0].rsplit("/", 1)[-1]) or words[1] != "-m" \
            or words[2] not in DEBUGGERS:
        return words
    index = 3
    while index < min(len(words), MAX_RUNNER_WORDS) and words[index].startswith("-") and words[index] != "-m":
        index += 2 if words[index] in DEBUGGER_OPTIONS_WITH_VALUES else 1
    return [words[0], *words[index:]] if index < len(words) else words


def program(command: Command) -> str:
    """The program a simple command runs: ``gunicorn`` for ``python -m gunicorn`` and ``uv run gunicorn`` too."""
    words = runner_skipped(command.words)
    if not words:
        return ""
    name = words[0].rsplit("/", 1)[-1]
    if PYTHON.fullmatch(name) and len(words) > 2 and words[1] == "-m":
        return words[2]
    return name


SHEBANG = re.compile(r"#!\s*(?:/usr/bin/env\s+(?:-S\s+)?)?(\S+)")
"""A script's ``#!`` line, with the program it names (``#!/usr/bin/env bash``: ``bash``)."""


def shebang_program(text: str) -> str | None:
    """The program a script's ``#!`` line names, by its file name (``#!/usr/bin/env -S bash``: ``bash``); None
    without one."""
    found = SHEBANG.match(text.partition("\n")[0].strip())
    return found.group(1).rsplit("/", 1)[-1] if found else None


def parks(words: Sequence[str]) -> bool:
    """Whether a command only keeps the container alive (``sleep infinity``, ``tail -f /dev/null``) for the commands
    ``docker exec`` runs in it."""
    name = words[0].rsplit("/", 1)[-1] if words else ""
    return name == "sleep" and tuple(words[1:]) in (("infinity",), ("inf",)) \
        or name == "tail" and "/dev/null" in words and "-f" in words


ONE_OFF = frozenset({"migrate", "collectstatic", "loaddata", "createcachetable", "compilemessages",
                     "createsuperuser", "check", "wait_for_db", "makemigrations", "showmigrations"})
"""Management commands that do their work and exit: no server to signal."""


def management_command(command: Command) -> str | None:
    """The Django command a ``manage.py`` or ``django-admin`` among a command's first words runs (``migrate``; ""
    when none follows), None when it runs neither; in an environment runner too (``poetry run python manage.py
    migrate``)."""
    words = runner_skipped(command.words)
    index = next((i for i, word in enumerate(words[:3]) if word.endswith(("manage.py", "django-admin"))), None)
    if index is None:
        return None
    return words[index + 1] if index + 1 < len(words) else ""


def option_values(words: Sequence[str], option: str) -> list[str]:
    """The values of ``option`` among ``words``: ``--opt value`` and ``--opt=value``, each time it is given."""
    found = []
    for index, word in enumerate(words):
        if word == option and index + 1 < len(words):
            found.append(words[index + 1])
        elif word.startswith(option + "="):
            found.append(word[len(option) + 1:])
    return found


@record
class Runserver:
    """A ``manage.py runserver`` invocation and the address it binds."""

    addrport: str | None
    ipv6: bool
    foreign: tuple[str, ...] = ()  # options of other servers runserver refuses (`--host`, `--port`)

    @property
    def host_and_port(self) -> tuple[str, str]:
        """The host and port as Django resolves them (default 127.0.0.1:8000)."""
        host, port = "", "8000"
        if self.addrport:
            match = re.fullmatch(r"(?:(\[[^\]]*\]|[^:\[\]]*):)?(.+)", self.addrport)
            if match:
                host, port = match.group(1) or "", match.group(2)
        host = host.strip("[]")
        if not host:
            host = "::1" if self.ipv6 else "127.0.0.1"
        return host, port

    @property
    def loopback_only(self) -> bool:
        """True when the server certainly listens on the container's loopback only (not when it refuses its
        options or its address, ``0.0.0.0:`` of an empty variable, and listens nowhere)."""
        if self.foreign:
            return False
        host, port = self.host_and_port
        return port.isdigit() and (host in {"localhost", "::1"} or host.startswith("127."))

    def suggested(self) -> str:
        """The addrport that binds every interface while keeping the port."""
        _, port = self.host_and_port
        return f"{'[::]' if self.ipv6 else '0.0.0.0'}:{port}"

    def shown(self) -> str:
        host, port = self.host_and_port
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


RUNSERVER_OPTIONS_WITH_VALUE = {"--settings", "--pythonpath", "--verbosity", "-v", "--cert-file", "--key-file"}
FOREIGN_OPTIONS = frozenset({"--host", "--port", "--bind"})
"""Options of other servers (Flask's, uvicorn's) that Django's runserver does not have: it stops with *unrecognized
arguments* (its address is one positional ``0.0.0.0:8000``)."""


DEVELOPMENT_SERVERS = frozenset({"runserver", "runserver_plus", "runsslserver"})
"""Django's development server and its variants (django-extensions' ``runserver_plus``, django-sslserver's
``runsslserver``): one process, reloading, serving static files with DEBUG."""


PRINTERS = frozenset({"echo", "printf"})
"""Programs whose arguments are text to print."""


@functools.lru_cache(maxsize=64)
def runserver(command: Command) -> Runserver | None:
    """The ``runserver`` this command starts (``manage.py``, ``django-admin``, ``-m django``, ``-m manage``), or one
    of its variants (:data:`DEVELOPMENT_SERVERS`); the last commands' answers are kept."""
    words = list(command.words)
    if program(command) in PRINTERS:
        return None  # `echo Starting using manage.py runserver`: words it prints, not a command it runs
    launched = False  # whether a word so far runs Django: kept as it goes, not searched again per word
    for index, word in enumerate(words):
        if word not in DEVELOPMENT_SERVERS or not launched:
            launched = launched or word.endswith("manage.py") or word.rsplit("/", 1)[-1].startswith("django-admin") \
                or word == "django" or word == "manage" and index > 0 and words[index - 1] == "-m"  # `-m manage`
            continue
        addrport: str | None = None
        ipv6 = False
        foreign: list[str] = []
        rest = iter(words[index + 1:])
        for arg in rest:
            if arg in {"-6", "--ipv6"}:
                ipv6 = True
            elif word == "runserver" and arg.split("=", 1)[0] in FOREIGN_OPTIONS:
                foreign.append(arg.split("=", 1)[0])
                if "=" not in arg:
                    next(rest, None)
            elif arg in RUNSERVER_OPTIONS_WITH_VALUE:
                next(rest, None)
            elif arg.startswith("-"):
                continue
            elif addrport is None:
                addrport = arg
        return Runserver(addrport, ipv6, tuple(foreign))
    return None


@record
class ScriptLine:
    """A logical line of a shell script (continuations joined) and its commands."""

    line: int
    text: str
    commands: tuple[Command, ...]


def script_lines(text: str) -> list[ScriptLine]:
    """The logical lines of a shell script with their simple commands; comments skipped."""
    result: list[ScriptLine] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
            if raw.lstrip().startswith("#"):
                continue
        if raw.endswith("\\"):
            pending.append(raw[:-1])
            continue
        pending.append(raw)
        joined = " ".join(pending).strip()
        pending = []
        if joined:
            result.append(ScriptLine(start, joined, tuple(split_line(joined))))
    if pending:
        joined = " ".join(pending).strip()
        result.append(ScriptLine(start, joined, tuple(split_line(joined))))
    return result


FUNCTION = re.compile(r"\s*(?:function\s+)?([A-Za-z_][\w.:-]*)\s*\(\s*\)|\s*function\s+([A-Za-z_][\w.:-]*)")
DISPATCH = re.compile(r"\$\{?[@*1]")


def lines_run(lines: tuple[ScriptLine, ...], arguments: tuple[str, ...],
              environment: Mapping[str, str | None] | None = None) -> list[ScriptLine]:
    """The lines a script runs when started with ``arguments``: its top level and the functions it calls.

    A function runs when a line that runs calls it by name, or when the top level runs
    its arguments (``"$@"``, ``$1``: a task runner such as ``./run build-js``) and they
    name it. A task runner's other functions (one that calls ``manage.py``) do not run.
    A command in a branch that cannot run (``if``/``elif``/``else``, ``case``, ``[ ... ] &&``
    whose test is decided by ``arguments`` and ``environment``, see :func:`branches`) is
    left out; one that may run is kept. Without ``environment`` its variables are unknown.
    """
    return [line for line, _ in _lines_run(lines, arguments, environment)]


def commands_run(lines: tuple[ScriptLine, ...], arguments: tuple[str, ...],
                 environment: Mapping[str, str | None] | None = None) -> list[tuple[ScriptLine, Command, bool | None]]:
    """The commands of :func:`lines_run`, each with its line and whether it runs: True, or None when it may."""
    return [(line, command, runs) for line, statuses in _lines_run(lines, arguments, environment)
            for command, runs in zip(line.commands, statuses, strict=True)]


def _lines_run(lines: tuple[ScriptLine, ...], arguments: tuple[str, ...],
               environment: Mapping[str, str | None] | None) -> list[tuple[ScriptLine, tuple[bool | None, ...]]]:
    """:func:`lines_run`, each line with whether each of its commands runs (True, or None: it may)."""
    top: list[ScriptLine] = []
    bodies: dict[str, list[ScriptLine]] = {}
    current: str | None = None
    depth, opened = 0, False
    for line in lines:
        if current is None and (match := FUNCTION.match(line.text)):
            current = match.group(1) or match.group(2)
            depth, opened = 0, False
        if current is None:
            top.append(line)
            continue
        bodies.setdefault(current, []).append(line)
        depth += line.text.count("{") - line.text.count("}")
        opened = opened or "{" in line.text
        if opened and depth <= 0:
            current = None
    if not bodies:
        return _taken(list(lines), arguments, environment)
    top_taken = _taken(top, arguments, environment)
    top = [line for line, _ in top_taken]
    wanted = set(arguments) if any(DISPATCH.search(" ".join(c.words)) for line in top for c in line.commands) else set()
    run, pending = list(top), list(top)
    called: set[str] = set()
    while pending or wanted - called:
        names = wanted - called
        wanted = set()
        for line in pending:
            names |= {c.words[0] for c in line.commands if c.words and c.words[0] in bodies}
        pending = []
        for name in names - called:
            called.add(name)
            body = [line for line, _ in _taken(bodies.get(name, []), None, environment)]
            run += body
            pending += body
    taken = _taken(run, None, environment)  # statuses of the lines kept (none is dropped again)
    if [line for line, _ in taken[:len(top)]] == top:
        return top_taken + taken[len(top):]  # the top level's as the script's arguments decide them
    return taken


def _taken(lines: list[ScriptLine], arguments: tuple[str, ...] | None,
           environment: Mapping[str, str | None] | None) -> list[tuple[ScriptLine, tuple[bool | None, ...]]]:
    """The lines with only the commands that may run, and whether each runs; a line none of whose commands can
    run is dropped."""
    statuses: dict[int, list[tuple[Command, bool | None]]] = {}
    for branch in branches(lines, arguments, environment):
        statuses.setdefault(id(branch.line), []).append((branch.command, branch.runs))
    result: list[tuple[ScriptLine, tuple[bool | None, ...]]] = []
    for line in lines:
        found = statuses.get(id(line), [])
        kept = [(command, runs) for command, runs in found if runs is not False]
        if len(kept) == len(line.commands) and [c for c, _ in kept] == list(line.commands):
            result.append((line, tuple(runs for _, runs in kept)))
        elif kept or not found:
            result.append((replaced(line, commands=tuple(c for c, _ in kept)), tuple(runs for _, runs in kept)))
    return result


@record
class Branch:
    """A command of a script and whether it runs: True, False (its branch is not taken) or None (it may)."""

    line: ScriptLine
    command: Command
    runs: bool | None


MAX_NESTING = 64
"""Nested ``if``/``case`` blocks followed; deeper ones are taken as undecided."""
MAX_MATCHED = 1024
"""A ``case`` subject or pattern longer than this is not matched (undecided): a glob's cost grows with both."""
TESTS = {"[": "]", "[[": "]]", "test": None}
NUMERIC_TESTS: dict[str, Callable[[int, int], bool]] = {
    "-eq": eq, "-ne": ne, "-lt": lt, "-le": le, "-gt": gt, "-ge": ge}
INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
VARIABLE = re.compile(r"\$(?:\{(?P<braced>#?[A-Za-z_]\w*|[0-9]+|[@*#])(?P<op>:?[-=+?])?(?P<default>[^}]*)\}"
                      r"|(?P<plain>[A-Za-z_]\w*|[0-9@*#]))")


def branches(lines: list[ScriptLine] | tuple[ScriptLine, ...], arguments: tuple[str, ...] | None,
             environment: Mapping[str, str | None] | None) -> list[Branch]:
    """Each command of the lines with whether it runs, reading ``if``/``elif``/``else``/``fi``,
    ``case ... esac`` and ``[ test ] && command``/``||``.

    A test is decided when it compares words (``=``, ``==``, ``!=``, ``-n``, ``-z``, a bare
    word) whose variables are known: ``$1``... from ``arguments`` (None: unknown, as inside a
    function), other variables from ``environment`` (a name it lacks is unset and empty;
    a None value, or no environment at all, is unknown). ``true``/``false`` too. Anything
    else leaves its branches undecided (None). Linear in the tokens of the lines.
    """
    walker = _Walker(arguments, environment)
    result: list[Branch] = []
    for line in lines:
        result += [Branch(line, command, runs) for command, runs in walker.line(line.text)]
    return result


class _Block:
    __slots__ = ("kind", "arms", "held", "phase", "condition", "subject", "patterns")

    def __init__(self, kind: str, subject: str | None = None) -> None:
        self.kind = kind  # "if", "case" or "other" (too deep: undecided)
        self.arms: list[bool | None] = []  # the status of each arm so far, the current one last
        self.held = False  # whether the test of an arm so far holds: no later arm runs, whether that one ran or not
        self.phase = "condition" if kind == "if" else "pattern" if kind == "case" else "body"
        self.condition: list[tuple[list[str], str]] = []  # each command list of the test, with the operator after it
        self.subject = subject
        self.patterns: list[str] = []

    def add_arm(self, condition: bool | None) -> None:
        """The next arm, whose test is ``condition``: it runs when its test holds and every earlier one failed; not
        when an earlier one ran or held (``elif`` after an arm that may run, whose test holds)."""
        if self.held or True in self.arms or condition is False:
            self.arms.append(False)
        else:
            self.arms.append(True if condition is True and None not in self.arms else None)
        self.held = self.held or condition is True


class _Walker:
    def __init__(self, arguments: tuple[str, ...] | None, environment: Mapping[str, str | None] | None) -> None:
        self.arguments = arguments
        self.environment = environment
        self.blocks: list[_Block] = []
        self.guard: bool | None = True  # set by `[ test ] &&` for the commands that follow on its list
        self.assigned: dict[str, str | None] = {}  # the script's own variables so far (None: unknown)

    def line(self, text: str) -> list[tuple[Command, bool | None]]:
        text = _prepared(text)
        try:
            line_tokens = tokens(text, comments=True, operators=OPERATOR_CHARS)
        except ValueError:
            line_tokens = text.split()
        found: list[tuple[Command, bool | None]] = []
        current: list[str] = []
        self.guard = True
        for token in line_tokens + [";"]:
            block = self.blocks[-1] if self.blocks else None
            if block is not None and block.phase == "pattern":
                self._pattern(block, token)
                continue
            if block is not None and block.kind == "case-subject" and token == "in" and len(current) == 1:
                block.kind, block.phase, block.subject = "case", "pattern", self._value(current[0])
                current = []
                continue
            if token in OPERATORS:
                found += self._flush(current, token)
                current = []
                if token == ";;" and block is not None and block.kind == "case":
                    block.phase, block.patterns = "pattern", []
                continue
            if not current and token != "!" and self._keyword(token):
                continue  # `!` stays with its command: the test it negates reads it (`if ! [ -z "$X" ]`)
            current.append(token)
        return found

    def _pattern(self, block: _Block, token: str) -> None:
        if token == "esac" and not block.patterns:
            self.blocks.pop()
        elif token == ")":
            values = [self._value(pattern) for pattern in block.patterns]
            matched: bool | None
            if "*" in values:
                matched = True
            elif block.subject is None or None in values or len(block.subject) > MAX_MATCHED \
                    or any(value is not None and len(value) > MAX_MATCHED for value in values):
                matched = None
            else:
                matched = any(fnmatch.fnmatchcase(block.subject, value) for value in values if value is not None)
            block.add_arm(matched)
            block.phase = "body"
        elif token not in {"(", "|", ";", ";;", "&"}:
            block.patterns.append(token)

    def _keyword(self, token: str) -> bool:
        """Handle a reserved word at the start of a command; whether it was one."""
        block = self.blocks[-1] if self.blocks else None
        if token == "if":
            self.blocks.append(_Block("if" if len(self.blocks) < MAX_NESTING else "other"))
        elif token == "case":
            self.blocks.append(_Block("case-subject" if len(self.blocks) < MAX_NESTING else "other"))
        elif token == "then" and block is not None and block.kind == "if" and block.phase == "condition":
            block.add_arm(self._test(block.condition))
            block.phase, block.condition = "body", []
        elif token == "elif" and block is not None and block.kind == "if":
            block.phase = "condition"
        elif token == "else" and block is not None and block.kind == "if":
            block.add_arm(True)
            block.phase = "body"
        elif token in {"fi", "esac"} and block is not None and block.kind in {"if", "case", "other"}:
            self.blocks.pop()
        elif token in {"do", "done", "then", "else", "elif", "fi", "esac", "{", "}", "!"}:
            pass  # loops and groups: their commands run as the enclosing ones do
        else:
            return False
        return True

    def _flush(self, words: list[str], operator: str) -> list[tuple[Command, bool | None]]:
        block = self.blocks[-1] if self.blocks else None
        if block is not None and block.kind == "case-subject":  # not `case WORD in`: undecided
            block.kind, block.phase, block.subject = "case", "pattern", None
            return []
        if not words:
            return []
        runs = self._status()
        self._assign(words, runs)
        if block is not None and block.kind == "if" and block.phase == "condition":
            block.condition.append((words, operator))  # and its commands run, as the enclosing ones do
        commands = _simple(words)
        if operator in {"&&", "||"} and words[0] in TESTS:
            decided = self._test([(words, operator)])
            decided = decided if operator == "&&" or decided is None else not decided
            self.guard = False if self.guard is False or decided is False else \
                None if self.guard is None or decided is None else True
        elif operator not in {"&&", "||", "|", "|&"}:
            self.guard = True
        return [(command, runs) for command in commands]

    def _assign(self, words: list[str], runs: bool | None) -> None:
        """Record ``NAME=value`` (``export NAME=value``) standing alone: later tests read it
        (``WSGI="${WSGI:-uWSGI}"`` then ``if [[ "$WSGI" == uWSGI ]]``). Set where it may not run, it is unknown."""
        assignments = words[1:] if words[0] in {"export", "readonly", "local", "declare"} else words
        if runs is False or not assignments or not all(ASSIGNMENT.match(word) for word in assignments):
            return
        for word in assignments:
            name, _, value = word.partition("=")
            expanded = self._value(value)
            self.assigned[name] = expanded if runs or self._variable(name) == expanded else None

    def _status(self) -> bool | None:
        statuses = [block.arms[-1] if block.arms and block.kind != "other" else None
                    for block in self.blocks if block.phase == "body"] + [self.guard]
        return False if False in statuses else None if None in statuses else True

    def _test(self, condition: list[tuple[list[str], str]]) -> bool | None:
        """The status of a test's command lists read left to right as the shell does (``a && b || c``); a list
        joined by another operator (``;``, a pipe) leaves the status to what follows it."""
        status: bool | None = None
        joiner = ";"
        for words, operator in condition:
            single = self._single_test(words)
            if joiner == "&&":
                status = False if status is False or single is False else None if None in (status, single) else True
            elif joiner == "||":
                status = True if status is True or single is True else None if None in (status, single) else False
            else:
                status = single
            joiner = operator
        return status

    def _single_test(self, words: list[str]) -> bool | None:
        negate = False
        while words and words[0] == "!":
            negate, words = not negate, words[1:]
        if words in (["true"], [":"]):
            result: bool | None = True
        elif words == ["false"]:
            result = False
        elif words and words[0] in TESTS:
            close = TESTS[words[0]]
            inner = words[1:-1] if close is not None and words[-1:] == [close] else words[1:] if close is None else None
            # `[` without its `]` fails ("missing `]'"): `[ $A -eq 1 && -f x ]` splits at `&&`, so its test never holds
            result = self._compare(inner) if inner is not None else False if words[0] == "[" else None
        else:
            result = None
        return None if result is None else result != negate

    def _compare(self, words: list[str]) -> bool | None:
        negate = False
        if words[:1] == ["!"]:
            negate, words = True, words[1:]
        values = [self._value(word) for word in words]
        result: bool | None = None
        if len(words) == 3 and words[1] in {"=", "==", "!="}:
            left, right = values[0], values[2]
            if left is not None and right is not None:
                result = (left == right) != (words[1] == "!=")
        elif len(words) == 3 and words[1] in NUMERIC_TESTS:
            left, right = values[0], values[2]
            if left is not None and right is not None and INTEGER.fullmatch(left) and INTEGER.fullmatch(right):
                result = NUMERIC_TESTS[words[1]](int(left), int(right))
        elif len(words) == 2 and words[0] in {"-n", "-z"} and values[1] is not None:
            result = bool(values[1]) == (words[0] == "-n")
        elif len(words) == 1 and values[0] is not None:
            result = bool(values[0])
        return None if result is None else result != negate

    def _value(self, word: str) -> str | None:
        """The word with its variables expanded; None when one is unknown."""
        unknown = False

        def expand(match: re.Match[str]) -> str:
            nonlocal unknown
            name = match.group("braced") or match.group("plain")
            value = self._variable(name)
            if match.group("op") in {":-", "-", ":=", "="} and value == "":  # unset and empty alike
                value = self._value(match.group("default") or "")
            if value is None:
                unknown = True
                return ""
            return value

        expanded = VARIABLE.sub(expand, word) if "$" in word else word
        return None if unknown or "$" in expanded or "`" in expanded else expanded

    def _variable(self, name: str) -> str | None:
        if name.isdigit() or name in {"@", "*", "#"}:
            if self.arguments is None:
                return None
            if name == "#":
                return str(len(self.arguments))
            if name in {"@", "*"}:
                return " ".join(self.arguments)
            index = int(name)
            return (self.arguments[index - 1] if index <= len(self.arguments) else "") if index else None
        if name in self.assigned:
            return self.assigned[name]
        if self.environment is None:
            return None
        return self.environment.get(name, "")
