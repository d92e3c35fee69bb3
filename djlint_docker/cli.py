"""The ``djcheck`` command: ``djcheck [OPTIONS] [PATHS]...``.

Exit status: 0 when nothing reaches the ``fail-on`` severity (or with ``--exit-zero``),
1 when a finding does, 2 for a usage or configuration error or a failure of djcheck
itself.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from djlint_docker import __version__
from djlint_docker.records import record

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
SEVERITIES = ("error", "warning", "info")


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(item.strip() for value in values for item in value.split(",") if item.strip())


def _write(path: Path, text: str) -> None:
    """Write the report atomically: a reader never sees half of it."""
    import tempfile

    folder = path.resolve().parent
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=f".{path.name}.", delete=False) as out:
        out.write(text)
    os.replace(out.name, path)


def _rule_or_fail(token: str):
    from djlint_docker.engine import all_rules
    from djlint_docker.registry import match_length

    matches = [r for r in all_rules() if match_length(r, token) == len(r.code)]
    if not matches:
        raise click.UsageError(f"{token!r} is not a rule code or name (see djcheck --list-rules)")
    return matches[0]


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of standard output.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules: codes, prefixes (DJC1) or names, comma-separated; replaces the configuration's.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="These rules as well.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules (the more specific entry wins).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Exit 1 only for findings this severe or worse "
              "[default: any finding].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--fix", is_flag=True, help="Repair what has a safe fix, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (with --fix or --diff) fixes that change behaviour.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the fixes as a unified diff and write nothing (exit 1 when there is one).")
@click.option("--add-ignore", is_flag=True,
              help="Add a `# djcheck: ignore[CODE]` comment for each finding, so that the next run reports none.")
@click.option("--exclude", multiple=True, metavar="PATTERNS",
              help="Leave out files and folders (gitignore patterns); replaces the configuration's.")
@click.option("--extend-exclude", multiple=True, metavar="PATTERNS", help="Leave out these as well.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Use this configuration file (a pyproject.toml or .djcheck.toml) instead of the nearest one.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--show-source", is_flag=True, help="Show the line each finding points at (text format).")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings, but no summary.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has, instead of the findings.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text output (auto: on a terminal unless NO_COLOR is set).")
@click.option("--explain", metavar="RULE", help="Print the documentation of a rule (code or name) and exit.")
@click.option("--list-rules", is_flag=True, help="Print the table of rules (text or --format json) and exit.")
@click.version_option(__version__, prog_name="djcheck")
def main(paths: tuple[Path, ...], **flags: Any) -> None:
    """Lint the Django + Docker setups under PATHS (default: the current folder).

    Settings come from [tool.djcheck] in pyproject.toml or from .djcheck.toml, found
    from each path upwards to the repository root; flags override them.
    """
    run(paths, Flags(**flags))


@record
class Flags:
    """The command line's options, as click reads them."""

    output_format: str
    output: Path | None
    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    fail_on: str | None
    exit_zero: bool
    fix: bool
    unsafe_fixes: bool
    show_diff: bool
    add_ignore: bool
    exclude: tuple[str, ...]
    extend_exclude: tuple[str, ...]
    config_file: Path | None
    isolated: bool
    show_source: bool
    quiet: bool
    statistics: bool
    color: str
    explain: str | None
    list_rules: bool


def run(paths: tuple[Path, ...], flags: Flags) -> None:
    """What ``djcheck`` does with its paths and flags; exits with the status the module docstring gives."""
    output, output_format = flags.output, flags.output_format
    colour = output is None and (flags.color == "always" or (
        flags.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")))

    def emit(text: str) -> None:
        if output is not None:
            _write(output, click.unstyle(text))
        else:
            click.echo(text, nl=False, color=colour)

    if flags.explain:
        from djlint_docker.docs import rule_page

        emit(rule_page(_rule_or_fail(flags.explain)))
        return
    if flags.list_rules:
        emit(_rule_table(output_format))
        return
    if flags.statistics and output_format not in {"text", "json"}:
        raise click.UsageError("--statistics prints text or json")
    if flags.add_ignore and (flags.fix or flags.show_diff):
        raise click.UsageError("--add-ignore suppresses findings; --fix and --diff repair them: use one at a time")

    from djlint_docker.config import ConfigError, Overrides, Selection
    from djlint_docker.engine import all_rules, lint
    from djlint_docker.findings import Severity
    from djlint_docker.registry import SelectionError, check_selection

    overrides = Overrides(Selection(_split(flags.select) or None, _split(flags.extend_select), _split(flags.ignore)),
                          _split(flags.exclude) if flags.exclude else None, _split(flags.extend_exclude),
                          Severity[flags.fail_on.upper()] if flags.fail_on else None, flags.config_file, flags.isolated)
    try:
        check_selection(overrides.selection, all_rules())
    except SelectionError as error:
        raise click.UsageError(str(error)) from None

    targets = list(paths) or [Path(".")]
    fixer = None
    if flags.fix or flags.show_diff:
        from djlint_docker.fix import Fixer

        fixer = Fixer(unsafe=flags.unsafe_fixes)
    try:
        outcome = lint(targets, Path.cwd(), overrides.config_for, fixer)
        if flags.add_ignore:
            _add_ignores(outcome.findings)
        if fixer and flags.show_diff:
            _print_diff(fixer)
        fixed = _write_fixes(fixer) if fixer else 0
        if fixer and fixed != len(fixer.applied):
            outcome = lint(targets, Path.cwd(), overrides.config_for)  # a file was left as it was: report what is there
    except ConfigError as error:
        click.echo(f"djcheck: {error}", err=True)
        sys.exit(2)
    except Exception:  # exit 2 with the traceback, never a bare crash
        import traceback

        click.echo(f"djcheck: internal error, please report it:\n{traceback.format_exc()}", err=True)
        sys.exit(2)
    if not outcome.setups:
        click.echo(f"djcheck: no Docker setup (compose file, or Dockerfile with a Django project) under "
                   f"{', '.join(str(t) for t in targets)}", err=True)
    if flags.statistics:
        emit(_statistics(outcome.findings, output_format))
    else:
        from djlint_docker.report import Report, renderer

        emit(renderer(output_format)(Report(outcome.findings, outcome.setups, Path.cwd(), colour, flags.show_source,
                                            flags.quiet, flags.unsafe_fixes, fixed)))
    sys.exit(1 if outcome.failed and not flags.exit_zero else 0)


def _print_diff(fixer) -> None:
    """``--diff``: the changes as a unified diff, a count on standard error; exit 1 when there is a change."""
    from djlint_docker.fix import diff

    changes = sorted(fixer.changes.values(), key=lambda change: change.path)
    click.echo("".join(diff(change, Path.cwd()) for change in changes), nl=False)
    count = len(fixer.applied)
    click.echo(f"Would fix {count} problem{'s' if count != 1 else ''} in {len(changes)} "
               f"file{'s' if len(changes) != 1 else ''}." if changes else "No fixes available.", err=True)
    sys.exit(1 if changes else 0)


def _add_ignores(findings: list) -> None:
    """``--add-ignore``: write a suppression comment for each finding; exit 0, or 1 when one could not be added."""
    from djlint_docker.add_ignore import add_ignores
    from djlint_docker.fix import Change, write
    from djlint_docker.source import Unreadable, read_text

    base = Path.cwd()
    by_path: dict[str, list] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    changes, added, left = [], [], []
    for shown, found in sorted(by_path.items()):
        path = base / shown
        try:
            text = read_text(path, path.parent)
        except Unreadable:
            left += found
            continue
        after, added_here, left_here = add_ignores(path, text, found)
        if after != text:
            changes.append(Change(path, text, after))
        added += added_here
        left += left_here
    skipped = {change.path for change, _ in write(changes)}
    for item in added:
        if item.path not in skipped:
            click.echo(f"{os.path.relpath(item.path)}:{item.line}: ignore[{', '.join(item.codes)}]")
    count = sum(1 for item in added if item.path not in skipped)
    click.echo(f"Added {count} ignore comment{'s' if count != 1 else ''}.", err=True)
    left += [f for f in findings if base / f.path in skipped]
    for finding in left:
        click.echo(f"djcheck: no ignore comment can cover {finding.path}:{finding.line} {finding.code}", err=True)
    sys.exit(1 if left else 0)


def _write_fixes(fixer) -> int:
    """``--fix``: write the changes; how many fixes were written. A file not written is named on standard error."""
    from djlint_docker.fix import write

    skipped = write(fixer.changes.values())
    for change, reason in skipped:
        click.echo(f"djcheck: {os.path.relpath(change.path)} not fixed: {reason}", err=True)
    return fixer.written(change.path for change, _ in skipped)


def _rule_table(output_format: str) -> str:
    from djlint_docker.docs import index_rows
    from djlint_docker.engine import all_rules

    rows = index_rows(all_rules())
    if output_format == "json":
        import json

        fixable = {r.code for r in all_rules() if r.fixable}
        default = {r.code for r in all_rules() if r.default}
        return json.dumps([{"code": code, "name": name, "severity": severity, "fix": code in fixable,
                            "default": code in default, "summary": summary}
                           for code, name, severity, summary in rows], indent=2) + "\n"
    width = max(len(name) for _, name, _, _ in rows)
    return "".join(f"{code}  {name:<{width}}  {severity:<7}  {summary}\n" for code, name, severity, summary in rows)


def _statistics(findings: list, output_format: str) -> str:
    from collections import Counter

    counts = Counter((f.code, f.name, str(f.severity)) for f in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if output_format == "json":
        import json

        return json.dumps([{"code": code, "name": name, "severity": severity, "count": count}
                           for (code, name, severity), count in ordered], indent=2) + "\n"
    width = len(str(max(counts.values(), default=0)))
    return "".join(f"{count:>{width}}  {code}  {severity:<7}  {name}\n" for (code, name, severity), count in ordered)
