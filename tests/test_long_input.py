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
from djlint_docker.parse.shell import script_lines
from djlint_docker.rules.compose._waits import _retries

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
CPU_SECONDS = 2.0  # a linear pass takes up to 1.2 s on a slow shared machine; a quadratic one, minutes


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


def test_dockerfile_workdir_of_open_variable_defaults(tmp_path):
    """``${a:-`` again and again with no ``}``: each default was scanned to the end of the line (30 s)."""
    workdir = "WORKDIR /" + repeated("${a:-", 150_000) + "\n"
    findings = check(tmp_path, {**PROJECT, "Dockerfile": DOCKERFILE.replace("WORKDIR /app\n", workdir)
                                + "CMD gunicorn -b 0.0.0.0:8000 app.wsgi\n"})
    assert "DJC108" in codes_in(findings, "Dockerfile")


def test_compose_value_of_two_megabytes(tmp_path):
    hosts = repeated("$HOST,web-1.example.com,", LIMIT // 2 - 300) + "x" * (LIMIT // 2)  # each $HOST copied the rest
    compose = (f"services:\n  web:\n    build: .\n    environment:\n      ALLOWED_HOSTS: \"{hosts}$HOST\"\n"
               f"    depends_on: [db]\n  db:\n    image: postgres:16\n")
    findings = check(tmp_path, {**PROJECT, "compose.yaml": compose})
    codes = codes_in(findings, "compose.yaml")
    assert not codes & {"DJC001", "DJC002"}
    assert "DJC206" in codes  # the database keeps its data in no volume: the file was read to its end


def test_settings_line_of_one_megabyte(tmp_path):
    hosts = repeated("web-1.example.com,", 500_000) + "x" * 500_000  # many items, then one long one
    settings = ("from decouple import Csv, config\nDEBUG = True\n"
                f"ALLOWED_HOSTS = config('ALLOWED_HOSTS', default='{hosts}', cast=Csv())\n")
    findings = check(tmp_path, {**PROJECT, "app/settings.py": settings})
    codes = codes_in(findings, "app/settings.py")
    assert not codes & {"DJC001", "DJC002"}
    assert "DJC301" in codes  # DEBUG = True in the settings the image runs


# A settings value built from names that each use the one before: evaluated naively, each
# level doubles (or multiplies tenfold) the work and the value; each name is evaluated once
# and a value larger than djcheck evaluates is unknown, so no rule guesses about it.

def chain(levels: int, level: str, first: str = "'ab'") -> str:
    """Settings binding ``X0`` to ``first``, each ``X<n>`` to ``level`` of ``X<n-1>``, SECRET_KEY to the last."""
    lines = [f"X0 = {first}"] + [f"X{n} = " + level.replace("PREVIOUS", f"X{n - 1}") for n in range(1, levels)]
    return "\n".join(lines) + f"\nSECRET_KEY = X{levels - 1}\n"


def secret_key_codes(root: Path, settings: str) -> set[str]:
    return codes_in(check(root, {**PROJECT, "app/settings.py": settings}), "app/settings.py")


def test_a_short_chain_of_names_is_evaluated(tmp_path):
    assert "DJC303" in secret_key_codes(tmp_path, chain(4, "PREVIOUS + PREVIOUS"))  # SECRET_KEY is a literal


def test_a_concatenation_doubling_at_each_of_twenty_levels(tmp_path):
    assert "DJC303" not in secret_key_codes(tmp_path, chain(20, "PREVIOUS + PREVIOUS"))  # a MiB: unknown


def test_a_concatenation_doubling_at_each_of_forty_levels(tmp_path):
    assert "DJC303" not in secret_key_codes(tmp_path, chain(40, "PREVIOUS + PREVIOUS"))


def test_an_f_string_repeating_the_name_before_ten_times(tmp_path):
    assert "DJC303" not in secret_key_codes(tmp_path, chain(12, 'f"' + "{PREVIOUS}" * 10 + '"'))


def test_a_list_nesting_the_one_before_twice(tmp_path):
    # Nothing is copied, but str() of the last list spells out 2**40 strings.
    settings = chain(40, "[PREVIOUS, PREVIOUS]").replace("SECRET_KEY = X39", "SECRET_KEY = str(X39)")
    assert "DJC303" not in secret_key_codes(tmp_path, settings)


def test_a_string_repeated_a_billion_times(tmp_path):
    assert "DJC303" not in secret_key_codes(tmp_path, "SECRET_KEY = 'a' * 10**9\n")


def test_a_join_of_a_list_doubling_at_each_level(tmp_path):
    settings = chain(40, "PREVIOUS + PREVIOUS", first="['ab']").replace("SECRET_KEY = X39", "SECRET_KEY = ''.join(X39)")
    assert "DJC303" not in secret_key_codes(tmp_path, settings)


def test_a_join_of_a_repeated_list(tmp_path):
    assert "DJC303" not in secret_key_codes(tmp_path, "SECRET_KEY = ''.join(['ab'] * 10**9)\n")


def test_retry_detection_in_scripts_is_linear():
    lines = tuple(script_lines("for " * 50_000 + "\n" + "x\n" * 50_000))
    started = time.perf_counter()
    assert not _retries(lines)
    assert time.perf_counter() - started < 2
