"""The application servers a container starts: which program, which Django module, which port.

Reads the command lines of gunicorn, uvicorn, daphne, hypercorn, uwsgi and Django's
``runserver`` the way each program reads its own options. A port or module that comes
from a variable (``$PORT``) or a config file is unknown (None), never guessed.
"""

from __future__ import annotations

import functools
import re

from djlint_docker.parse.shell import Command, program, runserver
from djlint_docker.records import record

SERVERS = {"gunicorn", "uvicorn", "daphne", "hypercorn", "uwsgi"}

#: Options that take no value, per server; every other option takes one.
FLAGS = {
    "gunicorn": {"--reload", "--preload", "--capture-output", "--daemon", "-D", "--check-config", "--print-config",
                 "--spew", "--enable-stdio-inheritance", "--no-sendfile", "--reuse-port", "--strip-header-spaces",
                 "--proxy-protocol", "--paste", "-R", "--help", "-h", "--version", "-v"},
    "uvicorn": {"--reload", "--factory", "--proxy-headers", "--no-proxy-headers", "--no-access-log", "--access-log",
                "--use-colors", "--no-use-colors", "--server-header", "--no-server-header", "--date-header",
                "--no-date-header"},
    "daphne": {"-v", "--proxy-headers", "--no-server-name", "--access-log-stdout", "-s"},
    "hypercorn": {"--reload", "--debug", "-v", "--version"},
    "uwsgi": {"--master", "--enable-threads", "--vacuum", "--die-on-term", "--lazy-apps", "--single-interpreter",
              "--need-app", "--strict", "--harakiri-verbose", "--disable-logging", "--py-autoreload", "--thunder-lock"},
}
#: The default port of servers that have one without a config file.
DEFAULT_PORTS = {"uvicorn": "8000", "daphne": "8000"}


@record
class Server:
    """An application server: the program, the Django module it loads and the port it listens on."""

    program: str
    module: str | None  # dotted module of the WSGI/ASGI application (``app.wsgi``), when given
    port: str | None  # None when it comes from a variable or a config file


@functools.lru_cache(maxsize=64)
def server(command: Command) -> Server | None:
    """The application server a simple command starts, if it starts one (the last commands' answers are kept: rules
    ask again about the same command line)."""
    development = runserver(command)
    if development is not None:
        port = development.host_and_port[1]
        return Server("runserver", None, port if port.isdigit() else None)
    name = program(command)
    if name not in SERVERS:
        return None
    options, positional = _server_options(command, name)
    return Server(name, _module(name, options, positional), _port(name, options))


def _server_options(command: Command, name: str) -> tuple[dict[str, list[str]], list[str]]:
    """The options and positional words a server's command line gives it (after ``python -m name`` too); a long
    option argparse takes by a unique prefix (gunicorn's ``--bin 0.0.0.0:8000``) is read as the whole option."""
    words = list(command.words)
    start = words.index(name) + 1 if name in words else 3 if len(words) > 2 and words[1] == "-m" else 1
    options, positional = _options(words[start:], FLAGS[name])
    if name in ARGPARSE_SERVERS and not BIND_PREFIXES.isdisjoint(options):
        for prefix in BIND_PREFIXES & options.keys():
            options.setdefault("--bind", []).extend(options.pop(prefix))
    return options, positional


ARGPARSE_SERVERS = frozenset({"gunicorn", "daphne", "hypercorn"})
BIND_PREFIXES = frozenset({"--bi", "--bin"})
"""The abbreviations of ``--bind`` that argparse (gunicorn's, daphne's and hypercorn's parser) accepts as the only
option they begin (``--b`` is also ``--backlog``'s). uvicorn's click takes none."""


def _options(words: list[str], flags: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    options: dict[str, list[str]] = {}
    positional: list[str] = []
    rest = iter(words)
    for word in rest:
        if word.startswith("--") and "=" in word:
            key, _, value = word.partition("=")
            options.setdefault(key, []).append(value)
        elif re.fullmatch(r"-[a-zA-Z]\S+", word) and word[:2] not in flags:
            options.setdefault(word[:2], []).append(word[2:])  # -b0.0.0.0:8000
        elif word.startswith("-") and word != "-":
            options.setdefault(word, []).append("" if word in flags else next(rest, ""))
        else:
            positional.append(word)
    return options, positional


def _module(name: str, options: dict[str, list[str]], positional: list[str]) -> str | None:
    target: str | None
    if name == "uwsgi":
        given = options.get("--module") or options.get("-w") or options.get("--wsgi")
        target = given[-1] if given else None
    else:
        target = positional[-1] if positional else None
    if not target or "$" in target or "/" in target:
        return None
    module = target.split(":", 1)[0]
    return module if re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*", module) else None


LOOPBACK_SERVERS = {"gunicorn": ("-b", "--bind"), "uvicorn": ("--host",), "daphne": ("-b", "--bind"),
                    "hypercorn": ("-b", "--bind")}
"""The servers that listen on 127.0.0.1 unless told otherwise, with the options that say where."""
ELSEWHERE = {"gunicorn": ("-c", "--config"), "uvicorn": ("--uds", "--fd"),
             "daphne": ("-u", "--unix-socket", "--fd", "-e", "--endpoint"), "hypercorn": ("-c", "--config")}
"""The options after which the server listens where a file or a descriptor says: not judged."""
LOOPBACK = re.compile(r"(?:127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(?::\d+)?")


def loopback_address(command: Command) -> str | None:
    """Where an application server listens when that is the container's loopback: the address it is given
    (``-b 127.0.0.1:8000``, ``--host localhost``) or its default (gunicorn, uvicorn, daphne and hypercorn listen on
    127.0.0.1 unless told otherwise). None when it listens elsewhere too, on a socket, or where a config file, a
    variable or a descriptor says."""
    name = program(command)
    if name not in LOOPBACK_SERVERS:
        return None
    options, _ = _server_options(command, name)
    if any(option in options for option in ELSEWHERE[name]):
        return None
    given = [value for option in LOOPBACK_SERVERS[name] for value in options.get(option, [])]
    if not given:
        port = (options.get("--port") or options.get("-p") or ["8000"])[-1] if name in {"uvicorn", "daphne"} else "8000"
        return f"127.0.0.1:{port}" if port.isdigit() else "127.0.0.1"
    if any(not LOOPBACK.fullmatch(value) for value in given):
        return None  # all interfaces, another address, a variable, a socket: reachable, or not known
    return given[0]


def _port(name: str, options: dict[str, list[str]]) -> str | None:
    if "-c" in options or "--config" in options or "--ini" in options:
        return None
    if name in {"gunicorn", "hypercorn"}:
        binds = options.get("-b", []) + options.get("--bind", [])
        addresses = [b for b in binds if not b.startswith(("unix:", "fd://"))]
        return _port_of(addresses[0]) if addresses else None
    if name in {"uvicorn", "daphne"}:
        ports = options.get("--port", []) + (options.get("-p", []) if name == "daphne" else [])
        if ports:
            return ports[-1] if ports[-1].isdigit() else None
        if "--uds" in options or "--fd" in options or "-u" in options:
            return None
        return DEFAULT_PORTS[name]
    http = options.get("--http") or options.get("--http-socket") or []
    return _port_of(http[-1]) if http else None


def _port_of(address: str) -> str | None:
    port = address.rsplit(":", 1)[-1] if ":" in address else ("8000" if address else None)
    return port if port and port.isdigit() else None
