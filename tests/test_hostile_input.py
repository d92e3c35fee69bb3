"""Hostile and odd input: every file kind, hand-picked faults and hypothesis-generated ones.

Whatever a file holds, djcheck reports at most DJC001/DJC002 for it with a position,
still checks every other file, writes nothing, and never fails with an internal error;
``--fix`` on it leaves every file it changes parsable and reaches a fixed point.
Each parser, given anything, returns its model or raises its own error.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import examples, write_files
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from djlint_docker import engine
from djlint_docker.parse import ParseError
from djlint_docker.parse.compose import MAX_VALUES, parse_compose
from djlint_docker.parse.dockerfile import parse_dockerfile
from djlint_docker.parse.dockerignore import parse_dockerignore
from djlint_docker.parse.envfile import parse_env_file
from djlint_docker.parse.requirements import parse_requirements
from djlint_docker.parse.settings import Unknown, bindings, evaluate, parse_python
from djlint_docker.parse.shell import script_lines
from djlint_docker.source import Unreadable, decode

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
SETUP = {  # each file kind djcheck reads, with one deliberate finding in compose.yaml (DJC204) and the settings
    ".djcheck.toml": 'extend-select = ["DJC204"]\n',
    "compose.yaml": "version: '3.9'\nservices:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                    "    env_file: .env\n    depends_on: [db]\n  db:\n    image: postgres:16\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                  "COPY . .\nCMD [\"./start.sh\"]\n",
    "requirements.txt": "django==5.1.3\ngunicorn==23.0.0\n",
    ".env": "SECRET_KEY=x\n",
    ".dockerignore": ".git\n",
    ".gitignore": ".env\n",
    "start.sh": "#!/bin/sh\nexec gunicorn app.wsgi\n",
    "manage.py": MANAGE,
    "app/settings.py": "DEBUG = True\n",
    "app/wsgi.py": "application = None\n",
}
SENTINELS = {"compose.yaml": "DJC204", "app/settings.py": "DJC301"}  # still reported when another file is broken
KINDS = [name for name in SETUP if name not in {"app/wsgi.py", ".djcheck.toml"}]


def alias_bomb() -> str:
    levels = "abcdefghi"
    lines = ["x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"x-{now}: &{now} [{', '.join([f'*{before}'] * 10)}]" for before, now in zip(levels, levels[1:], strict=False)]
    return "\n".join(lines) + "\nservices:\n  web:\n    build: .\n    environment: *i\n    command: *i\n"


HOSTILE: dict[str, str | bytes] = {
    "empty": "",
    "binary": bytes(range(256)) * 8,
    "latin-1": "caf\xe9 = 'cr\xe8me'\n".encode("latin-1"),
    "utf-16-bom": "services: {}\n".encode("utf-16"),
    "nul-byte": b"FROM python\x00:3.12\n",
    "huge-file": "# padding\n" * 300_000,
    "huge-line": "x" * 1_900_000 + "\n",
    "deep-flow": "services:\n  web:\n    image: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep-python": "X = " + "(" * 1000 + "1" + ")" * 1000 + "\n",
    "long-expression": "DEBUG = " + " + ".join(["1"] * 20_000) + "\n",
    "alias-bomb": alias_bomb(),
    "self-alias": "x: &a [*a]\nservices: {}\n",
    "two-documents": "services: {}\n---\nservices: {}\n",
    "unterminated-heredoc": "FROM python:3.12\nRUN <<EOF\necho\n",
    "invalid-json-cmd": 'FROM python:3.12\nCMD ["python", "manage.py"\n',
    "scalar-document": "12\n",
    "null-document": "~\n",
    "wrong-types": "services:\n  web: 5\n  db: [1]\n  x:\n    build: [1]\n    ports: {a: 1}\n    environment: 7\n"
                   "    env_file: {x: 1}\n    depends_on: 3\n    command: {a: b}\n    volumes: 1\n    healthcheck: []\n"
                   "    extends: 5\n    profiles: x\n",
    "wrong-nested-types": "services:\n  web:\n    build: {context: 5, dockerfile: [1], args: 3}\n"
                          "    ports: [[1], {target: x}, null, 1.5]\n    environment: [1, null, {a: b}]\n"
                          "    volumes: [{type: bind}, 5, null]\n    depends_on: {db: 5}\n    healthcheck: {test: 5}\n"
                          "    extends: {service: [1], file: 5}\n",
    "requirements-loop": "-r requirements.txt\ndjango\n",
    "odd-python": "import os\nDEBUG = os.environ.get(*x)\nDATABASES = {**x}\nSECRET_KEY = f'{x!r:>{y}}'\n"
                  "from . import *\nfrom .settings import *\nALLOWED_HOSTS = [*a]\n",
    "odd-dockerfile": "FROM\nFROM --platform=$X\nARG\nENV\nENV A\nCOPY\nCOPY --from=\nWORKDIR\nUSER\nEXPOSE x\nCMD\n"
                      "ENTRYPOINT []\nRUN \\\n",
    "odd-shell": "#!/bin/sh\nexec \"\nsh -c '\n$(\n",
    "odd-patterns": "[abc\n!\n**/[\n\\\n",
}


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def check(root: Path):
    """Lint ``root`` as djcheck does and assert the invariants every input must keep."""
    before = snapshot(root)
    findings = engine.lint([root], root).findings
    assert not [f for f in findings if "internal error" in f.message]
    assert snapshot(root) == before, "djcheck wrote to the project"
    return findings


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("kind", KINDS)
def test_hostile_file_is_reported_and_the_rest_is_checked(tmp_path, kind, case):
    write_files(tmp_path, {**SETUP, kind: HOSTILE[case]})
    (tmp_path / "start.sh").chmod(0o755)
    findings = check(tmp_path)
    codes = {f.code for f in findings}
    for other, sentinel in SENTINELS.items():
        if other != kind:
            assert sentinel in codes, f"{other} was not checked"
    for finding in findings:
        if finding.code in {"DJC001", "DJC002"}:
            assert finding.line >= 1 and finding.column >= 1 and finding.message


@pytest.mark.parametrize("case, kind, code, line", [
    ("binary", "Dockerfile", "DJC002", 1),
    ("latin-1", "app/settings.py", "DJC002", 1),
    ("nul-byte", "requirements.txt", "DJC002", 1),
    ("huge-file", "compose.yaml", "DJC002", 1),
    ("deep-flow", "compose.yaml", "DJC001", 3),
    ("alias-bomb", "compose.yaml", "DJC001", 1),
    ("two-documents", "compose.yaml", "DJC001", 1),
    ("wrong-types", "compose.yaml", "DJC001", 3),
    ("unterminated-heredoc", "Dockerfile", "DJC001", 2),
    ("deep-python", "app/settings.py", "DJC001", 1),
    ("odd-patterns", ".dockerignore", "DJC001", 1),
    ("requirements-loop", "requirements.txt", "DJC001", 1),
])
def test_the_finding_names_the_file_and_position(tmp_path, case, kind, code, line):
    write_files(tmp_path, {**SETUP, kind: HOSTILE[case]})
    (tmp_path / "start.sh").chmod(0o755)
    assert (code, kind, line) in {(f.code, f.path, f.line) for f in check(tmp_path)}


def test_links_out_and_in_a_loop_and_unreadable_files(tmp_path):
    outside = tmp_path / "outside"
    write_files(outside, {"settings.py": "DEBUG = False\n"})
    project = tmp_path / "project"
    write_files(project, SETUP)
    (project / "app" / "settings.py").unlink()
    (project / "app" / "settings.py").symlink_to(outside / "settings.py")
    (project / "requirements.txt").unlink()
    (project / "requirements.txt").symlink_to(project / "requirements.txt")
    (project / "app" / "loop").symlink_to(project / "app", target_is_directory=True)
    findings = check(project)
    reported = {(f.code, f.path) for f in findings}
    assert ("DJC002", "app/settings.py") in reported and ("DJC002", "requirements.txt") in reported
    assert "DJC204" in {f.code for f in findings}


# -- hypothesis: each parser, given anything, returns its model or raises its own error --------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
DOCKERFILE_WORDS = ["FROM python:3.12", "RUN pip install -r r.txt", "COPY . .", "CMD [\"a\"]", "ENV A=1",
                    "ARG X", "WORKDIR /app", "USER app", "RUN <<EOF", "EOF", "\\", "# escape=`", "ENTRYPOINT [",
                    "HEALTHCHECK CMD curl", "ONBUILD RUN x", "FROM a AS b", "COPY --from=b /x /y", "${X:-y}", "\"", "'"]
YAML_WORDS = ["services:", "  web:", "    build: .", "    image: x", "    ports:", "      - 8000:8000", "&a", "*a",
              "<<: *a", "x-a: &a", "    environment:", "      A: ${B:?}", "    extends: web", "{", "}", "[", "]",
              "- ", ": ", "'", "\"", "#", "    depends_on: {db: {condition: service_healthy}}", "null", "~", "!!str"]
PYTHON_WORDS = ["import os", "from . import *", "DEBUG = ", "os.environ['X']", "os.getenv('X', 'y')", "env.bool('D')",
                "config('X', cast=bool)", "{", "}", "(", ")", "[", "]", ",", "+", "*", "if x:", "    ", "'s'", "1",
                "True", "BASE_DIR / 'x'", "DATABASES = {'default': ", "lambda: 0", "f'{x}'", "\\"]


def lines_of(words):
    return st.lists(st.one_of(st.sampled_from(words), TEXT.map(lambda t: t[:20])), max_size=30).map("\n".join)


PROPERTIES = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTIES
@given(lines_of(DOCKERFILE_WORDS))
def test_dockerfile_parser_never_fails_otherwise(text):
    try:
        dockerfile = parse_dockerfile(Path("/p/Dockerfile"), text)
    except ParseError:
        return
    for stage in dockerfile.stages:
        for instruction in stage.instructions:
            instruction.commands  # noqa: B018 (splitting must not fail either)


@PROPERTIES
@given(lines_of(YAML_WORDS), st.dictionaries(st.sampled_from(["A", "B", "X"]), TEXT, max_size=3))
def test_compose_parser_never_fails_otherwise(text, env):
    try:
        parse_compose([(Path("/p/compose.yaml"), text)], env, lambda path: None)
    except ParseError as error:
        assert error.line >= 1


@PROPERTIES
@given(lines_of(PYTHON_WORDS), st.dictionaries(st.sampled_from(["X", "D", "DEBUG"]), TEXT, max_size=3))
@example('X = "a".split(1)\n', {})
@example("X = {[1]: 2}\n", {})
@example('X = "a".center(10 ** 20)\n', {})
def test_settings_reader_never_fails_otherwise(text, env):
    try:
        module = parse_python(Path("/p/settings.py"), text)
    except ParseError:
        return
    names = bindings(Path("/p/settings.py"), lambda path: module if path == Path("/p/settings.py") else None)
    for assignment in names.values():
        if assignment.node is not None:
            try:
                evaluate(assignment.node, env, names)
            except Unknown:
                pass


@PROPERTIES
@given(TEXT)
def test_line_parsers_never_fail_otherwise(text):
    script_lines(text)
    for parse in (parse_env_file, parse_dockerignore, lambda t: parse_requirements(Path("/p/requirements.txt"), t)):
        try:
            parse(text)
        except ParseError as error:
            assert error.line >= 1


@PROPERTIES
@given(st.binary(max_size=300))
def test_decoding_any_bytes_gives_text_or_unreadable(data):
    try:
        assert isinstance(decode(data), str)
    except Unreadable as error:
        assert error.line >= 1


MUTATIONS = st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(["insert", "delete", "replace"]),
                               st.integers(0, 400), st.binary(max_size=12)), min_size=1, max_size=6)


def mutate(content: bytes, action: str, at: int, data: bytes) -> bytes:
    at = min(at, len(content))
    if action == "insert":
        return content[:at] + data + content[at:]
    if action == "delete":
        return content[:at] + content[at + len(data) + 1:]
    return content[:at] + data + content[at + len(data):]


def mutated_setup(root: Path, mutations) -> Path:
    """The setup with each (file, action, offset, bytes) mutation applied, written to ``root``."""
    files = {name: text.encode() for name, text in SETUP.items()}
    for kind, action, at, data in mutations:
        files[kind] = mutate(files[kind], action, at, data)
    return write_files(root, files)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(MUTATIONS)
def test_mutated_setups_are_checked_without_failing(tmp_path_factory, mutations):
    check(mutated_setup(tmp_path_factory.mktemp("mutated"), mutations))


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(MUTATIONS, st.sampled_from(["text", "json", "sarif", "github", "gitlab", "junit"]))
def test_the_command_ends_in_bounded_time_with_a_report(tmp_path_factory, mutations, output_format):
    """The whole command in a fresh process: exit 0 or 1, never 2, within a time bound (not a timing test)."""
    root = mutated_setup(tmp_path_factory.mktemp("cli"), mutations)
    result = subprocess.run([sys.executable, "-m", "djlint_docker", "--format", output_format], cwd=root,
                            capture_output=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode in {0, 1}, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr and result.stdout


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(MUTATIONS)
def test_fixing_mutated_setups_keeps_every_file_readable_and_reaches_a_fixed_point(tmp_path_factory, mutations):
    """``--fix --unsafe-fixes`` on any input: no internal error, each changed file parses, a second run changes nothing."""
    from djlint_docker.fix import Fixer, parses, write

    root = mutated_setup(tmp_path_factory.mktemp("fixed"), mutations)
    fixer = Fixer(unsafe=True)
    findings = engine.lint([root], root, fixer=fixer).findings
    assert not [f for f in findings if "internal error" in f.message]
    assert all(parses(change.path, change.after) for change in fixer.changes.values())
    assert write(fixer.changes.values()) == []
    again = Fixer(unsafe=True)
    engine.lint([root], root, fixer=again)
    assert again.changes == {}


def test_alias_bound_is_far_above_real_files():
    text = "x-env: &env\n" + "".join(f"  V{i}: '{i}'\n" for i in range(300)) + "services:\n" + "".join(
        f"  s{i}:\n    image: app:1\n    environment: *env\n" for i in range(100))
    stack = parse_compose([(Path("/p/compose.yaml"), text)], {}, lambda path: None)
    assert len(stack.services) == 100 and 300 * 100 < MAX_VALUES


def test_nothing_of_the_project_runs_and_nothing_reaches_the_network(tmp_path, monkeypatch):
    """Settings, manage.py, wsgi.py and scripts that would leave a mark if run; sockets that fail if opened."""
    import socket

    marker = tmp_path / "ran"
    payload = f"open({str(marker)!r}, 'w').write('imported')\n"
    files = {**SETUP, "app/settings.py": payload + "DEBUG = True\n", "manage.py": MANAGE + payload,
             "app/wsgi.py": payload, "start.sh": f"#!/bin/sh\ntouch {marker}\nexec gunicorn app.wsgi\n",
             "app/__init__.py": payload}

    def no_network(*args, **kwargs):
        raise AssertionError("djcheck opened a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    write_files(tmp_path / "project", files)
    (tmp_path / "project" / "start.sh").chmod(0o755)
    findings = check(tmp_path / "project")
    assert "DJC301" in {f.code for f in findings}
    assert not marker.exists()


@pytest.mark.parametrize("start", ["CMD {word} --workers 3", "ENTRYPOINT [\"{word}\"]", "CMD sh -c \"{word} && x\""])
def test_a_word_too_long_for_a_file_name_is_no_script_and_no_internal_error(tmp_path, start):
    word = "./" + "x" * 300  # over NAME_MAX: the file system refuses to look it up
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\n" + start.format(word=word) + "\n",
                           "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"})
    findings = engine.lint([tmp_path], tmp_path).findings
    assert findings and not [f for f in findings if "internal error" in f.message]
    assert all(len(f.message) < 400 for f in findings)  # the long word is shown by its start


LONG = "x" * 300  # over NAME_MAX: the file system refuses to look it up (ENAMETOOLONG, not "no such file")
LONG_NAMES_IN_COMPOSE = {  # the web service's lines
    "command word on a bind mount": "build: .\nvolumes: ['.:/app']\ncommand: sh -c \"python manage.py shell -c '{long}'\"",
    "env file": "build: .\nenv_file: ./{long}.env",
    "bind-mounted file": "build: .\nvolumes: ['./{long}.conf:/etc/app.conf']",
    "build file": "build: {{context: ., dockerfile: {long}.Dockerfile}}",
    "build context": "build: ./{long}",
}


@pytest.mark.parametrize("service", LONG_NAMES_IN_COMPOSE.values(), ids=LONG_NAMES_IN_COMPOSE.keys())
def test_a_name_too_long_for_the_file_system_is_no_internal_error(tmp_path, service):
    lines = "".join(f"    {line}\n" for line in service.format(long=LONG).splitlines())
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n" + lines,
        "Dockerfile": f"FROM python:3.12-slim\nWORKDIR /app\nCOPY {LONG}.txt ./\nCOPY . .\nCMD gunicorn app.wsgi\n",
        "manage.py": MANAGE, "app/settings.py": "DEBUG = True\n", "app/wsgi.py": "application = None\n"})
    findings = engine.lint([tmp_path], tmp_path).findings
    assert not [f for f in findings if "internal error" in f.message]
    assert "DJC301" in {f.code for f in findings}  # the settings are still checked


def test_a_failure_while_reading_the_setup_is_a_finding_and_the_rules_findings_stay(tmp_path, monkeypatch):
    from djlint_docker.project import Project

    def fails(self):
        raise OSError(36, "File name too long")

    write_files(tmp_path, SETUP)
    monkeypatch.setattr(Project, "parse_all", fails)
    findings = engine.lint([tmp_path], tmp_path).findings
    assert [f.code for f in findings if "internal error" in f.message] == ["DJC001"]
    assert "DJC204" in {f.code for f in findings}


def test_the_package_asks_the_file_system_only_in_ways_that_answer_a_long_name():
    """Path.is_file() and its kin raise on a name over NAME_MAX (Python 3.11); os.path's answer False. A directory
    entry's own methods are kept: their names come from the file system."""
    package = Path(engine.__file__).parent
    asked = re.compile(r"(?<!entry)\.(?:is_file|is_dir|exists|is_symlink)\(\)")
    found = [f"{path.relative_to(package)}:{number}" for path in sorted(package.rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1) if asked.search(line)]
    assert found == []


@pytest.mark.parametrize("folder", ["readme", "README.md", ".gitlab-ci.yml", "run.sh"])
def test_a_folder_where_discovery_reads_a_document_is_no_internal_error(tmp_path, folder):
    """A `readme/` folder of images beside the code, where discovery looks for the README's `ln -s` commands."""
    write_files(tmp_path, {**SETUP, f"{folder}/screenshot.txt": "x\n"})
    findings = engine.lint([tmp_path], tmp_path).findings
    assert not [f for f in findings if "internal error" in f.message]
    assert "DJC204" in {f.code for f in findings}
