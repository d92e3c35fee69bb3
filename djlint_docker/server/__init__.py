"""``djcheck server``: djcheck as a Language Server over standard input and output.

An editor starts ``djcheck server`` (or ``python -m djlint_docker server``) and talks the
Language Server Protocol with it; the server shows djcheck's findings as diagnostics in
every file kind djcheck reads, offers each fix and an "ignore here" comment as code
actions, and the rule's page on hover. It needs pygls (``pip install
'djlint-docker[server]'``), which nothing else imports: the plain check starts as fast
as before. The console script sends the word ``server`` here before click reads the
command line, so a folder named ``server`` is checked as ``djcheck ./server``.

- :mod:`~djlint_docker.server.positions`: lines, columns and offsets between djcheck
  (1-based, code points) and the protocol (0-based, UTF-16 units or the agreed encoding);
- :mod:`~djlint_docker.server.checks`: which setups a file belongs to, checking them from
  the editor's unsaved texts, the findings of every file they read (no protocol here);
- :mod:`~djlint_docker.server.lsp`: the protocol: documents, debounced checks in a worker
  thread, diagnostics, code actions, hover.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

USAGE = """Usage: djcheck server [--stdio]

  Start djcheck's Language Server on standard input and output (for an editor).
  It checks each workspace folder as `djcheck` run in it would, with its
  [tool.djcheck] or .djcheck.toml configuration. To check a folder named
  `server`, write `djcheck ./server`.

Options:
  --stdio     Talk over standard input and output (the default and only way).
  -h, --help  Show this message and exit.
"""
INSTALL = "djcheck server needs pygls: pip install 'djlint-docker[server]'"


def main(argv: Sequence[str]) -> int:
    """Run the server until the editor ends it; the exit status (0 after a shutdown request, 1 without, 2 usage)."""
    for argument in argv:
        if argument in {"-h", "--help"}:
            print(USAGE, end="")
            return 0
        if argument != "--stdio":
            print(f"{USAGE}\nError: unexpected argument {argument!r}", file=sys.stderr)
            return 2
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    from djlint_docker.server.lsp import serve

    return serve()
