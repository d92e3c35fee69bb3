"""A long line is checked in linear time: each kind of file with a line of a megabyte or two.

djcheck reads files of up to 2 MiB. A parser or rule that is quadratic somewhere (shlex
builds a token a character at a time; a loop that slices the rest of a string) takes
minutes on such a line, so each test times the check alone, in CPU time, against a
bound that only a linear pass meets, and checks that the file was read and the usual
findings are still made.
"""

from __future__ import annotations

import time
from pathlib import Path

from conftest import write_files

from djlint_docker import engine
from djlint_docker.findings import Finding

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n"
PROJECT = {
    "manage.py": MANAGE,
    "app/__init__.py": "",
    "app/settings.py": "DEBUG = True\n",
    "app/wsgi.py": "application = None\n",
    "requirements.txt": "django==5.1.3\ngunicorn==23.0.0\n",
    "Dockerfile": DOCKERFILE + "CMD gunicorn -b 0.0.0.0:8000 app.wsgi\n",
}
LIMIT = 1_999_000  # bytes of a file: djcheck reads files of at most 2 MiB
CPU_SECONDS = 1.0


def repeated(unit: str, length: int) -> str:
    """``unit`` repeated to at most ``length`` characters, whole units only."""
    return unit * (length // len(unit))


def check(root: Path, files: dict[str, str]) -> list[Finding]:
    """Lint the project made of ``files``; assert it took little CPU and nothing failed."""
    write_files(root, files)
    start = time.process_time()
    findings = engine.lint([root], root).findings
    spent = time.process_time() - start
    assert spent < CPU_SECONDS, f"{spent:.2f} s of CPU"
    assert not [f for f in findings if "internal error" in f.message]
    return findings


def codes_in(findings: list[Finding], path: str) -> set[str]:
    return {f.code for f in findings if f.path == path}


def test_dockerfile_run_line_of_two_megabytes(tmp_path):
    commands = "apt-get install -y --no-install-recommends \"lib a\" 'x y' pkg\\ name && echo $HOME > /dev/null 2>&1; "
    blob = "A" * (LIMIT // 2)  # one long word too: shlex took time quadratic in a word's length
    run = "RUN " + repeated(commands, LIMIT // 2 - 200) + f"echo '{blob}' | base64 -d > /app/blob\n"
    findings = check(tmp_path, {**PROJECT, "Dockerfile": DOCKERFILE + run + "CMD gunicorn -b 0.0.0.0:8000 app.wsgi\n"})
    codes = codes_in(findings, "Dockerfile")
    assert not codes & {"DJC001", "DJC002"}
    assert "DJC108" in codes  # runs as root: the Dockerfile was read to its end


def test_dockerfile_cmd_line_of_two_megabytes(tmp_path):
    # Options only after the few plain words: project.scripts still stats every plain word of a
    # start command as a possible script, which takes seconds on a line of a million words.
    options = repeated("--env=DJANGO_OPTION='a b' --log-level=debug ", LIMIT // 2 - 200) + f"--env=BLOB={'A' * (LIMIT // 2)} "
    cmd = f"CMD gunicorn -b 0.0.0.0:8000 {options}app.wsgi\n"
    findings = check(tmp_path, {**PROJECT, "Dockerfile": DOCKERFILE + cmd})
    codes = codes_in(findings, "Dockerfile")
    assert not codes & {"DJC001", "DJC002"}
    assert "DJC108" in codes


def test_compose_value_of_two_megabytes(tmp_path):
    hosts = repeated("$HOST,web-1.example.com,", LIMIT // 2 - 300) + "x" * (LIMIT // 2)  # each $HOST copied the rest
    compose = (f"services:\n  web:\n    build: .\n    environment:\n      ALLOWED_HOSTS: \"{hosts}$HOST\"\n"
               f"    depends_on: [db]\n  db:\n    image: postgres:16\n")
    findings = check(tmp_path, {**PROJECT, "compose.yaml": compose})
    codes = codes_in(findings, "compose.yaml")
    assert not codes & {"DJC001", "DJC002"}
    assert "DJC203" in codes  # depends on the database without waiting for it to be healthy


def test_settings_line_of_one_megabyte(tmp_path):
    hosts = repeated("web-1.example.com,", 500_000) + "x" * 500_000  # many items, then one long one
    settings = ("from decouple import Csv, config\nDEBUG = True\n"
                f"ALLOWED_HOSTS = config('ALLOWED_HOSTS', default='{hosts}', cast=Csv())\n")
    findings = check(tmp_path, {**PROJECT, "app/settings.py": settings})
    codes = codes_in(findings, "app/settings.py")
    assert not codes & {"DJC001", "DJC002"}
    assert "DJC301" in codes  # DEBUG = True in the settings the image runs
