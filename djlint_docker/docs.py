"""The rule reference, generated from the rules themselves.

``rule_page`` is what ``djcheck --explain`` prints and what ``rules/DJC101.md`` holds;
``index_page`` is ``rules/README.md``. Regenerate the folder after changing a rule::

    python -m djlint_docker.docs rules
"""

from __future__ import annotations

import sys
from pathlib import Path

from djlint_docker.engine import all_rules
from djlint_docker.registry import Rule


def fix_status(rule: Rule) -> str:
    """``safe`` or ``unsafe`` as the rule declares it; "" without a fix."""
    return rule.fix or ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rule_page(rule: Rule) -> str:
    """A rule's documentation: its metadata, then its docstring (whose first line is the summary)."""
    summary, _, body = rule.doc.partition("\n")
    facts = [f"Severity: {rule.severity}", f"Fix: {fix_status(rule) or 'none'}",
             "Looks at: several files" if rule.cross else "Looks at: one file"]
    if not rule.default:
        facts.append(f"Runs: only when selected (`extend-select = [\"{rule.code}\"]`)")
    source = f"Its check, examples and fix: `{rule.module.replace('.', '/')}.py`"
    return f"# {rule.code} {rule.name}\n\n{summary}\n\n{' · '.join(facts)}\n\n{body.strip()}\n\n{source}\n"


def index_rows(rules: list[Rule]) -> list[tuple[str, str, str, str]]:
    return [(r.code, r.name, str(r.severity), r.summary + ("" if r.default else " (Opt-in: runs only when selected.)"))
            for r in rules]


def index_page(rules: list[Rule]) -> str:
    """The table of every rule, linking each page."""
    lines = ["# djcheck rules", "",
             "This folder holds the rule reference pages, generated from the rules' docstrings by",
             "`python -m djlint_docker.docs rules`; do not edit them. The rules themselves (checks, examples,",
             "fixes) live in `djlint_docker/rules/<family>/`, one module per rule; each page names its module.",
             "`djcheck --explain CODE` prints a page; `djcheck --list-rules` prints this table.", "",
             "| Code | Name | Severity | Fix | Summary |", "|---|---|---|---|---|"]
    lines += [f"| [{code}]({code}.md) | {name} | {severity} | {fix_status(r)} | {_cell(summary)} |"
              for r, (code, name, severity, summary) in zip(rules, index_rows(rules), strict=True)]
    return "\n".join(lines) + "\n"


def pages(rules: list[Rule]) -> dict[str, str]:
    """Every file of the ``rules/`` folder by name."""
    return {"README.md": index_page(rules), **{f"{r.code}.md": rule_page(r) for r in rules}}


def main(folder: str) -> None:
    target = Path(folder)
    target.mkdir(exist_ok=True)
    expected = pages(all_rules())
    for stale in target.glob("DJC*.md"):
        if stale.name not in expected:
            stale.unlink()
    for name, text in expected.items():
        (target / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "rules")
