"""The ``djcheck`` command: ``djcheck [PATHS]...``.

Exit status: 0 when there is nothing to report, 1 when there are findings, 2 for a
usage error or a failure of djcheck itself.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from djlint_docker import __version__


def _codes(values: tuple[str, ...]) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules: codes, prefixes (DJC1) or names, comma-separated.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules (the more specific entry wins).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text output (auto: on a terminal unless NO_COLOR is set).")
@click.version_option(__version__, prog_name="djcheck")
def main(paths: tuple[Path, ...], output_format: str, select: tuple[str, ...], ignore: tuple[str, ...],
         color: str) -> None:
    """Lint the Django + Docker setups under PATHS (default: the current folder)."""
    from djlint_docker.discover import discover
    from djlint_docker.engine import (
        SelectionError,
        all_rules,
        check_setups,
        select_rules,
    )
    from djlint_docker.report import FORMATS

    try:
        rules = select_rules(all_rules(), _codes(select), _codes(ignore))
    except SelectionError as error:
        raise click.UsageError(str(error)) from None
    targets = list(paths) or [Path(".")]
    try:
        setups = discover(targets)
        findings = check_setups(setups, Path.cwd(), rules)
    except Exception:  # noqa: BLE001 (exit 2 with the traceback, never a bare crash)
        click.echo(f"djcheck: internal error, please report it:\n{traceback.format_exc()}", err=True)
        sys.exit(2)
    if not setups:
        click.echo(f"djcheck: no Docker setup (compose file, or Dockerfile with a Django project) under "
                   f"{', '.join(str(t) for t in targets)}", err=True)
    colour = color == "always" or (color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    click.echo(FORMATS[output_format](findings, len(setups), colour), nl=False, color=colour)
    sys.exit(1 if findings else 0)
