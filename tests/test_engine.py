"""The run: problems found by any rule are reported; rules register without import cycles, even lazy ones."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

from conftest import write_files

from djlint_docker.discover import discover
from djlint_docker.engine import SHOWN_OF_LONG_QUOTE, _finding, all_rules, run
from djlint_docker.findings import Severity, Violation
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import REGISTRY, Rule

PACKAGE = Path(__file__).resolve().parent.parent / "djlint_docker"


def test_a_file_a_late_rule_cannot_read_is_reported(tmp_path):
    write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    image: app:1.0\n",
                           "extra.txt": b"binary \x00 content"})

    def late_reader(project):
        project.text(tmp_path / "extra.txt")  # records DJC002, as a rule that reads one more file would
        return ()

    late = Rule("DJC998", "late-reader", Severity.INFO, late_reader, None, False, (), __name__)
    (setup,) = discover([tmp_path])
    project = Project(setup, tmp_path)
    findings = run(project, [REGISTRY["DJC002"], late])  # DJC002 comes first, as codes are ordered
    assert [(f.code, f.path) for f in findings] == [("DJC002", "extra.txt")]


def test_python_an_image_runs_newer_than_djchecks_own_is_info_and_names_both(tmp_path):
    settings = "DEBUG = False\nTIME_ZONE = env('TZ') ?? 'UTC'\n"  # no Python parses it: djcheck cannot tell
    files = {"manage.py": "", "app/settings.py": settings, "app/wsgi.py": ""}
    write_files(tmp_path / "newer", {**files, "Dockerfile": "FROM python:3.99-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n"})
    write_files(tmp_path / "older", {**files, "Dockerfile": "FROM python:3.8-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n"})

    def parse_error(folder):
        (setup,) = discover([tmp_path / folder])
        (finding,) = run(Project(setup, tmp_path / folder), [REGISTRY["DJC001"]])
        return finding

    newer, older = parse_error("newer"), parse_error("older")
    assert (newer.severity, older.severity) == (Severity.INFO, Severity.ERROR)
    assert "images run Python 3.99" in newer.message and "run djcheck on Python 3.99" in newer.message
    assert "djcheck runs on" not in older.message
    write_files(tmp_path / "newer", {"app/settings.py": "ALLOWED_HOSTS = [\n    'example.com',\n"})
    assert parse_error("newer").severity == Severity.ERROR  # a bracket never closed is no newer grammar


def test_every_rule_is_registered_by_importing_the_engine():
    assert {"DJC001", "DJC101", "DJC404", "DJC412"} <= REGISTRY.keys()
    assert all(rule.module.startswith("djlint_docker.rules") for rule in all_rules())


def _imports(path: Path) -> set[str]:
    """The djlint_docker modules a module imports anywhere: at the top, inside functions, for type checking."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


def test_no_import_cycle():
    modules = {".".join(("djlint_docker", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__"): p
               for p in PACKAGE.rglob("*.py")}
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}
    state: dict[str, int] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join((*trail[trail.index(target):], target)))
            if target not in state:
                visit(target, (*trail, target))
        state[name] = 2

    for name in sorted(modules):
        if name not in state:
            visit(name, (name,))


def test_rule_modules_are_loaded_as_importlib_loads_them():
    """The direct load from ``.pyc`` gives each module what importlib would: file, spec, package attribute."""
    import inspect
    import sys

    for rule in all_rules():
        module = sys.modules[rule.module]
        assert module.__spec__ is not None and module.__spec__.name == rule.module
        assert module.__file__ == module.__spec__.origin and module.__file__.endswith(".py")
        package, _, name = rule.module.rpartition(".")
        assert getattr(sys.modules[package], name) is module
        assert f"def {rule.check.__name__}(" in inspect.getsource(rule.check)


def test_a_pyc_is_used_only_when_importlib_would_use_it(tmp_path):
    import py_compile
    import sys

    from djlint_docker.rules import _cached_code

    source = tmp_path / "module.py"
    source.write_text("VALUE = 1\n")
    cached = tmp_path / f"module.{sys.implementation.cache_tag}.pyc"
    assert _cached_code(str(source), str(cached)) is None  # none written yet
    py_compile.compile(str(source), cfile=str(cached))
    namespace: dict = {}
    exec(_cached_code(str(source), str(cached)), namespace)
    assert namespace["VALUE"] == 1
    source.write_text("VALUE = 22\n")  # changed since: stale
    assert _cached_code(str(source), str(cached)) is None
    py_compile.compile(str(source), cfile=str(cached), invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    assert _cached_code(str(source), str(cached)) is None  # hash-based: importlib checks it


def test_a_long_quote_is_shortened_and_text_between_quotes_is_not():
    between = ("the migrations are made in each container as it starts, from models the image holds: "
               "commit them and keep only")
    message = f"`makemigrations` runs at start: {between} `migrate` here"
    long_command = "python manage.py " + "x" * 100
    project = SimpleNamespace(display=lambda path: str(path))
    shown = _finding(project, REGISTRY["DJC414"], Violation(Location(Path("a.sh"), 1), message)).message
    assert shown == message
    shown = _finding(project, REGISTRY["DJC414"], Violation(Location(Path("a.sh"), 1), f"runs `{long_command}`")).message
    assert shown == f"runs `{long_command[:SHOWN_OF_LONG_QUOTE]}…`"
