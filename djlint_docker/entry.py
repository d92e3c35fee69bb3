"""The ``djcheck`` console script and ``python -m djlint_docker``: the command, without Python's own overheads.

Two costs of a short Python process are not djcheck's work. The cyclic garbage
collector runs again and again while click and djcheck are imported, though nothing
they build is garbage; and at exit the interpreter frees every module and object, about
12 ms of a 100 ms run. So the collector is paused while they and the rules are imported and then told to
leave what it built alone (``gc.freeze``), and the process ends with ``os._exit`` once
its output is flushed, as mypy's does. Nothing is pending then: the report is printed,
fixed files are written and closed, and djcheck registers no exit handler.

``djcheck server`` (the first argument, exactly) starts the language server
(:mod:`djlint_docker.server`) before click reads the command line: click would take
``server`` for a path. A folder named ``server`` is checked as ``djcheck ./server``
(or ``djcheck -- server``). The server ends the same way: its stdin reader thread
would keep a normal exit waiting.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn


def run() -> None:
    if sys.argv[1:2] == ["server"]:
        from djlint_docker.server import main as serve

        _exit(serve(sys.argv[2:]))
    gc.disable()
    from djlint_docker.cli import main
    from djlint_docker.engine import lint  # noqa: F401 (what nearly every run imports next: the rules)

    gc.freeze()
    gc.enable()
    code: object = 0
    try:
        main()
    except SystemExit as stop:
        code = stop.code
    if isinstance(code, str):  # sys.exit("message"): Python prints it and exits 1
        print(code, file=sys.stderr)
        code = 1
    _exit(code if isinstance(code, int) else 0)


def _exit(code: int) -> NoReturn:
    """End the process with ``code`` once standard output and error are flushed."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away: nothing more can be said
            pass
    os._exit(code)
