"""File encodings: Python source read as Python reads it, the other files as their tools do.

Python itself is the oracle for ``.py`` files: what ``compile`` refuses, djcheck reports
(DJC001 when Python refuses the encoding, DJC002 when the bytes are not text in it), and
what it accepts djcheck reads as the same text. A requirements file in UTF-16 stays
readable, as pip detects its BOM. Whatever one file holds, the others are still checked.
"""

from __future__ import annotations

import ast
import codecs
from pathlib import Path

import pytest
from conftest import djcheck, examples, write_files
from hypothesis import example, given, settings
from hypothesis import strategies as st

from djlint_docker import engine
from djlint_docker.source import RefusedByPython, Unreadable, decode_python, read_text

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
SETUP = {  # one finding in compose.yaml (DJC204, selected) and one in the settings (DJC301)
    ".djcheck.toml": 'extend-select = ["DJC204"]\n',
    "compose.yaml": "version: '3.9'\nservices:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n",
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                  "COPY . .\n",
    ".dockerignore": ".git\n",
    "requirements.txt": "django==5.1.3\ngunicorn==23.0.0\n",
    "manage.py": MANAGE,
    "app/settings.py": "DEBUG = True\n",
    "app/wsgi.py": "application = None\n",
}
SETTINGS = "DEBUG = True\n"
LATIN_1 = "# -*- coding: latin-1 -*-\n# caf\xe9 cr\xe8me\nDEBUG = True\nALLOWED_HOSTS = ['example.com']\n"


def python_reads(source: bytes | str) -> tuple[str, ...]:
    """What Python makes of ``source``: its syntax tree, or its error and the line of it."""
    try:
        return ("tree", ast.dump(ast.parse(source)))
    except SyntaxError as error:
        return ("error", str(error.msg), str(error.lineno))
    except ValueError as error:  # Python before 3.12 says so for a NUL byte
        return ("error", str(error))


def findings_of(root: Path) -> set[tuple[str, str, int]]:
    return {(f.code, f.path, f.line) for f in engine.lint([root], root).findings}


# (file, its bytes, what djcheck reports on that file, whether the settings are read)
CASES = {
    "settings-utf16-le-bom": ("app/settings.py", codecs.BOM_UTF16_LE + SETTINGS.encode("utf-16-le"), ("DJC001", 1), False),
    "settings-utf16-be-bom": ("app/settings.py", codecs.BOM_UTF16_BE + SETTINGS.encode("utf-16-be"), ("DJC001", 1), False),
    "settings-utf16-no-bom": ("app/settings.py", SETTINGS.encode("utf-16-le"), ("DJC001", 1), False),
    "settings-utf8-bom": ("app/settings.py", codecs.BOM_UTF8 + SETTINGS.encode(), None, True),
    "settings-latin1-declared": ("app/settings.py", LATIN_1.encode("latin-1"), None, True),
    "manage-utf16-bom": ("manage.py", MANAGE.encode("utf-16"), ("DJC001", 1), True),
    "wsgi-utf16-bom": ("app/wsgi.py", "application = None\n".encode("utf-16"), ("DJC001", 1), True),
}


@pytest.mark.parametrize("case", CASES)
def test_python_file_is_reported_as_python_would_and_the_rest_is_checked(tmp_path, case):
    name, data, expected, settings_read = CASES[case]
    write_files(tmp_path, {**SETUP, name: data})
    found = findings_of(tmp_path)
    problems = {(code, line) for code, path, line in found if path == name and code in {"DJC001", "DJC002"}}
    assert problems == ({expected} if expected else set())
    assert (python_reads(data)[0] == "tree") == (expected is None)  # Python agrees
    assert ("DJC204", "compose.yaml", 1) in found, "compose.yaml was not checked"
    assert any(code == "DJC301" for code, _, _ in found) == settings_read


def test_the_utf16_finding_says_why_python_refuses_it(tmp_path):
    write_files(tmp_path, {**SETUP, "app/settings.py": SETTINGS.encode("utf-16")})
    [finding] = [f for f in engine.lint([tmp_path], tmp_path).findings if f.code == "DJC001"]
    assert "UTF-16" in finding.message and "UTF-8" in finding.message


def test_a_latin1_settings_module_is_read_with_its_own_characters(tmp_path):
    path = write_files(tmp_path, {"settings.py": LATIN_1.encode("latin-1")}) / "settings.py"
    assert read_text(path, tmp_path) == LATIN_1


def test_a_utf16_requirements_file_is_read_as_pip_reads_it(tmp_path):
    # pip's auto_decode honours a UTF-16 BOM; an unpinned django (DJC409) shows its lines were read
    write_files(tmp_path, {**SETUP, "requirements.txt": "\ufeffdjango\ngunicorn==23.0.0\n".encode("utf-16-le")})
    found = findings_of(tmp_path)
    assert ("DJC409", "requirements.txt", 1) in found
    assert not {code for code, path, _ in found if path == "requirements.txt"} & {"DJC001", "DJC002"}
    assert ("DJC204", "compose.yaml", 1) in found


@pytest.mark.parametrize(("data", "error", "line"), [
    (b"# coding: klingon\nDEBUG = True\n", RefusedByPython, 1),
    (b"#!/usr/bin/env python\n# coding: rot13\n", RefusedByPython, 2),
    (codecs.BOM_UTF8 + b"# coding: latin-1\n", RefusedByPython, 1),
    (codecs.BOM_UTF8 + b"# coding: utf8\n", RefusedByPython, 1),  # Python compares the name, not the codec
    (b"# coding: ascii\nX = '\xe9'\n", Unreadable, 2),
    (b"X = 1\n# coding: latin-1\nY = '\xe9'\n", Unreadable, 3),  # line 2 counts only below a comment
    (b"X = 1\x00\n", Unreadable, 1),
])
def test_what_python_refuses_is_refused(data, error, line):
    with pytest.raises(Unreadable) as raised:
        decode_python(data)
    assert type(raised.value) is error and raised.value.line == line
    assert python_reads(data)[0] == "error"


def test_a_comment_must_be_utf8_too():
    """PEP 3120: the whole file. CPython before gh-63161 skipped comments, PyPy never did; djcheck follows the PEP."""
    with pytest.raises(Unreadable) as raised:
        decode_python(b"# caf\xe9\nDEBUG = True\n")
    assert type(raised.value) is Unreadable and raised.value.line == 1


DECLARATION_LINES = ["", "#!/usr/bin/env python", "# -*- coding: latin-1 -*-", "# coding: utf-8", "# coding=ascii",
                     "# vim: set fileencoding=cp1252 :", "#coding:iso_latin_1", "  # coding: euc_jp", "# coding: utf8",
                     "# coding: utf-8-sig", "# coding: klingon", "# coding: rot13", "# coding: utf-16", "X = 1", "\\"]
ENCODINGS = ["utf-8", "latin-1", "cp1252", "euc_jp", "ascii", "utf-16", "utf-16-le", "utf-16-be"]


@settings(max_examples=examples(300), deadline=None)
@given(st.booleans(), st.sampled_from(DECLARATION_LINES), st.sampled_from(DECLARATION_LINES),
       st.text(max_size=12), st.sampled_from(ENCODINGS), st.sampled_from(["\n", "\r\n", "\r"]))
@example(False, "", "# coding: utf-16", "", "utf-8", "\r\n")  # found by the fuzz profile: see the last comment
def test_python_source_is_decoded_as_python_decodes_it(bom, first, second, value, encoding, newline):
    # non-ASCII characters only in a string literal: CPython before gh-63161 skips comments unchecked
    source = newline.join([first, second, f"VALUE = {value!r}", ""])
    data = (codecs.BOM_UTF8 if bom else b"") + source.encode(encoding, errors="replace")
    try:
        text = decode_python(data)
    except Unreadable:
        assert python_reads(data)[0] == "error"
        return
    from_text, from_bytes = python_reads(text), python_reads(data)
    # The same tree, or both refused: Python ends lines before it decodes, so an ASCII file declaring
    # UTF-16 is other garbage for it than for djcheck, which keeps the file's line ends
    assert from_text == from_bytes if from_text[0] == "tree" else from_bytes[0] == "error"


@settings(max_examples=examples(150), deadline=None)
@given(st.binary(max_size=300))
def test_decoding_any_bytes_as_python_gives_text_or_unreadable(data):
    try:
        assert isinstance(decode_python(data), str)
    except Unreadable as error:
        assert error.line >= 1 and error.message


def test_fix_writes_each_file_back_in_its_own_encoding(tmp_path):
    dockerfile = "\ufeffFROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    write_files(tmp_path, {**SETUP, "Dockerfile": dockerfile.encode("utf-16-le"), "app/report.py": "print('sent')\n",
                           "app/settings.py": codecs.BOM_UTF8 + b"# caf\xc3\xa9\nDEBUG = True\nALLOWED_HOSTS = ['x']\n"})
    djcheck(["--fix", "--unsafe-fixes", "."], tmp_path)
    fixed_dockerfile = (tmp_path / "Dockerfile").read_bytes()
    assert fixed_dockerfile.startswith(codecs.BOM_UTF16_LE) and "PYTHONUNBUFFERED" in fixed_dockerfile.decode("utf-16")
    fixed_settings = (tmp_path / "app/settings.py").read_bytes()
    assert fixed_settings.startswith(codecs.BOM_UTF8 + b"# caf\xc3\xa9\n") and b"DEBUG = True" not in fixed_settings
    assert python_reads(fixed_settings)[0] == "tree"


def test_fix_writes_a_declared_latin1_module_in_latin1(tmp_path):
    write_files(tmp_path, {**SETUP, "app/settings.py": LATIN_1.encode("latin-1")})
    djcheck(["--fix", "--unsafe-fixes", "."], tmp_path)
    fixed = (tmp_path / "app/settings.py").read_bytes()
    assert b"# caf\xe9 cr\xe8me\n" in fixed and b"DEBUG = True" not in fixed
    assert python_reads(fixed)[0] == "tree"
