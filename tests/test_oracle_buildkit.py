"""Instruction boundaries agree with BuildKit's own parser on every Dockerfile the tests use."""

from __future__ import annotations

import json
from pathlib import Path

import dockerfile as buildkit
import pytest
from corpus import dockerfiles
from hypothesis import given, settings
from hypothesis import strategies as st

from djlint_docker.parse import ParseError
from djlint_docker.parse.dockerfile import parse_dockerfile

EXTRA = {
    "blank-and-comment-lines-inside-continuation": "FROM python:3.12-slim\nRUN apt-get update \\\n  # comment\n\n"
                                                   "  && apt-get install -y curl\nCMD [\"x\"]\n",
    "heredocs": "# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nRUN <<EOF\npip install django\nCMD nope\nEOF\n"
                "COPY <<-conf.ini <<app.txt /etc/\n\t[a]\n\tconf.ini\nhello\napp.txt\nCMD [\"gunicorn\"]\n",
    "escape-directive": "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n  c:\\\nCMD [\"cmd\"]\n",
    "lowercase-and-trailing-continuation": "from python:3.12-slim\nrun echo a \\\n\n\n",
    "flags-and-json": "FROM --platform=linux/amd64 python:3.12 AS base\nCOPY --chown=1000:1000 --chmod=755 a b /x/\n"
                      "ENTRYPOINT [\"/x/a\"]\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n",
    "invalid-json-is-shell-form": "FROM python:3.12\nCMD [python, manage.py]\n",
    "here-string-is-no-heredoc": "FROM python:3.12\nRUN cat <<<hello && echo done\nCMD [\"gunicorn\"]\n",
    "text-after-exec-form": "FROM python:3.12\nCMD [\"python\", \"manage.py\", \"runserver\"] 0.0.0.0:8000\n"
                            "VOLUME [\"/data\"] /static\nCOPY [\"a\", \"/b/\"] c\n",
}
CASES = dockerfiles() + sorted(EXTRA.items())


@pytest.mark.parametrize("text", [t for _, t in CASES], ids=[i for i, _ in CASES])
def test_boundaries_agree_with_buildkit(text):
    try:
        expected = [(c.cmd.upper(), c.start_line, c.end_line, c.json) for c in buildkit.parse_string(text)]
    except buildkit.GoParseError:
        with pytest.raises(ParseError):
            parse_dockerfile(Path("Dockerfile"), text)
        return
    if not any(cmd == "FROM" for cmd, *_ in expected):
        with pytest.raises(ParseError):
            parse_dockerfile(Path("Dockerfile"), text)
        return
    model = parse_dockerfile(Path("Dockerfile"), text)
    got = [(i.keyword, i.line, i.end_line, i.exec_form is not None) for i in model.instructions]
    assert got == expected


@pytest.mark.parametrize("text", [t for _, t in CASES], ids=[i for i, _ in CASES])
def test_exec_form_and_heredocs_agree_with_buildkit(text):
    try:
        commands = buildkit.parse_string(text)
        model = parse_dockerfile(Path("Dockerfile"), text)
    except (buildkit.GoParseError, ParseError):
        pytest.skip("not a valid Dockerfile (the boundary test checks both refuse it)")
    for command, instruction in zip(commands, model.instructions, strict=True):
        if command.json:
            assert instruction.exec_form == command.value
        assert tuple(h.content.rstrip("\n") for h in command.heredocs) == tuple(
            h.rstrip("\n") for h in instruction.heredocs)


def test_corpus_is_not_empty():
    assert len(CASES) > 40


JSON_ITEMS = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6).map(json.dumps),
    st.sampled_from(['"\\ud800"', '"\\u00e9"', "'single'", "1", "NaN", "null", '"a\\"b"', '"tab\\t"', '["nested"]']),
)


@st.composite
def exec_form_arguments(draw) -> str:
    """A JSON array, valid or broken in the ways people break it, with or without text after it."""
    items = draw(st.lists(JSON_ITEMS, max_size=4))
    array = "[" + draw(st.sampled_from([", ", ",", " , "])).join(items) + draw(st.sampled_from(["]", ",]", "", " ]"]))
    after = draw(st.sampled_from(["", " 0.0.0.0:8000", '["b"]', "x", "  # note", " ] ", " && echo", "\t--flag"]))
    return array + after


@given(keyword=st.sampled_from(["CMD", "ENTRYPOINT", "RUN", "SHELL", "COPY", "ADD", "VOLUME"]),
       arguments=exec_form_arguments())
@settings(deadline=None)
def test_generated_exec_form_agrees_with_buildkit(keyword, arguments):
    text = f"FROM python:3.12\n{keyword} {arguments}\n"
    try:
        command = buildkit.parse_string(text)[1]
    except buildkit.GoParseError:
        with pytest.raises(ParseError):
            parse_dockerfile(Path("Dockerfile"), text)
        return
    instruction = parse_dockerfile(Path("Dockerfile"), text).instructions[1]
    assert (instruction.exec_form is not None) == command.json
    if command.json:
        assert instruction.exec_form == command.value
