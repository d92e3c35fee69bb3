"""Parsers and reading, one behaviour a case."""

from __future__ import annotations

import ast
import codecs
import re
from pathlib import Path

import pytest
from conftest import examples, write_files
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from djlint_docker.parse import ParseError
from djlint_docker.parse.compose import interpolate, short_port
from djlint_docker.parse.dockerfile import expand, key_values, parse_dockerfile
from djlint_docker.parse.dockerignore import parse_dockerignore
from djlint_docker.parse.requirements import (
    all_requirements,
    parse_requirements,
    requirement_files_named,
)
from djlint_docker.parse.settings import MissingVariable, Unknown, evaluate
from djlint_docker.parse.shell import (
    Command,
    lines_run,
    runserver,
    script_lines,
    split_line,
)
from djlint_docker.positions import Location
from djlint_docker.source import MAX_BYTES, Unreadable, decode, read_text


@pytest.mark.parametrize("patterns, path, excluded", [
    ("*.pyc", "a.pyc", True),
    ("*.pyc", "app/a.pyc", False),          # anchored at the root, unlike .gitignore
    ("**/*.pyc", "app/deep/a.pyc", True),
    ("**/*.pyc", "a.pyc", True),
    ("data", "data/db/PG_VERSION", True),   # a folder excludes what is below it
    ("/data", "data/db", True),
    ("data/", "data/x", True),
    ("**/__pycache__", "app/__pycache__/x.pyc", True),
    (".env*\n!.env.example", ".env.example", False),
    (".env*\n!.env.example", ".env.local", True),
    ("*.md\n!README.md", "README.md", False),
    ("!README.md\n*.md", "README.md", True),  # the last matching line wins
    ("# comment\n\n  node_modules  ", "node_modules/x", True),
    ("app/*/tmp", "app/x/tmp/y", True),
    ("app/*/tmp", "app/x/y/tmp", False),
    ("fil?.txt", "file.txt", True),
    ("[a-c].txt", "b.txt", True),
    ("venv", "venvs", False),
    ("[^a].txt", "b.txt", True),            # Go's negated set, as moby copies it
    ("[^a].txt", "a.txt", False),
    ("[]x].txt", "].txt", True),
    ("file[[:digit:]].txt", "file7.txt", True),
    ("file[[:digit:]].txt", "filea.txt", False),
    ("a**b", "a/x/b", True),                 # "**" within a name still crosses folders
    ("data\\", "data$x", True),              # moby's regex ends in "\$": a "$" and no end anchor
    ("*a*a*a*a*a*a*a*a*a*a*b", "a" * 200, False),  # a plain regex would backtrack for hours
    ("**/x*/**/y*/**/z*/**/q*/b", "x/" * 30 + "b", False),
])
def test_dockerignore_matches_like_docker(patterns, path, excluded):
    assert parse_dockerignore(patterns).excludes(path) is excluded


@pytest.mark.parametrize(("pattern", "message"), [
    ("app[", "unterminated"), ("x[[:foo:]]", "no character class"), ("x[a*]", "has * inside [...]"),
    ("[z-a]", "not a valid pattern"),
])
def test_dockerignore_patterns_docker_refuses(pattern, message):
    with pytest.raises(ParseError, match=re.escape(message)) as error:
        parse_dockerignore("*.pyc\n" + pattern + "\n")
    assert error.value.line == 2


@pytest.mark.parametrize("text, env, expected", [
    ("${A}", {"A": "1"}, "1"),
    ("$A-x", {"A": "1"}, "1-x"),
    ("${A:-d}", {"A": ""}, "d"),
    ("${A-d}", {"A": ""}, ""),
    ("${A:+set}", {"A": "1"}, "set"),
    ("${A+set}", {}, ""),
    ("$${A}", {"A": "1"}, "${A}"),
    ("${A:-${B:-deep}}", {}, "deep"),
    ("${A:?must be set}", {"A": "ok"}, "ok"),
    ("cost: 5$", {}, "cost: 5$"),
])
def test_compose_interpolation(text, env, expected):
    assert interpolate(text, env) == expected


def test_interpolation_records_unset_and_rejects_bad_format():
    unset, required = set(), set()
    assert interpolate("${A}:${B:?x}:${C:-c}:${D:+$E}", {}, unset, required) == "::c:"
    assert (unset, required) == ({"A"}, {"B"})
    with pytest.raises(ParseError):
        interpolate("${A", {})


@pytest.mark.parametrize("text, expected", [
    ("8000:8000", [(None, "8000", "8000", "tcp")]),
    ("127.0.0.1:5432:5432", [("127.0.0.1", "5432", "5432", "tcp")]),
    ("[::1]:80:80/udp", [("::1", "80", "80", "udp")]),
    ("9000", [(None, None, "9000", "tcp")]),
    ("8000-8001:9000-9001", [(None, "8000", "9000", "tcp"), (None, "8001", "9001", "tcp")]),
])
def test_short_port_syntax(text, expected):
    ports = short_port(text, Location(Path("c")))
    assert [(p.host_ip, p.published, p.target, p.protocol) for p in ports] == expected


@pytest.mark.parametrize("args, expected", [
    ("A=1 B=\"two words\"", [("A", "1"), ("B", "two words")]),
    ("PYTHONUNBUFFERED 1", [("PYTHONUNBUFFERED", "1")]),
    ("LEGACY a value with spaces", [("LEGACY", "a value with spaces")]),
    ('DJANGO_SETTINGS_MODULE "mysite.settings"', [("DJANGO_SETTINGS_MODULE", "mysite.settings")]),  # quotes removed
    ("GREETING 'two words'", [("GREETING", "two words")]),
])
def test_env_forms(args, expected):
    assert key_values(args) == expected


def test_arg_expansion():
    assert expand("python:${V}-slim", {"V": "3.12"}) == "python:3.12-slim"
    assert expand("python:${V:-3.11}", {}) == "python:3.11"
    assert expand("python:$V", {}) is None


def test_copy_mapping_and_workdir():
    dockerfile = parse_dockerfile(Path("Dockerfile"), "FROM python:3.12\nWORKDIR /app\nCOPY requirements/ reqs/\n"
                                                        "COPY docker/start.sh /start.sh\nCOPY . .\nRUN true\n")
    stage = dockerfile.final
    assert "requirements/base.txt" in dockerfile.context_sources(stage, "/app/reqs/base.txt")
    assert dockerfile.context_sources(stage, "/start.sh") == ["docker/start.sh"]
    assert dockerfile.context_sources(stage, "/app/manage.py")[0] == "manage.py"
    assert dockerfile.context_sources(stage, "/app/manage.py", before=stage.instructions[3]) == []
    assert dockerfile.workdir_at(stage, stage.instructions[-1]) == "/app"


@pytest.mark.parametrize("text, message", [
    ("", "no instructions"),
    ("RUN echo\n", "before the first FROM"),
    ("FROM a\nCMD [\"a\", 1]\n", "only strings"),
    ("FROM a\nRUNN x\n", "unknown instruction"),
])
def test_dockerfile_errors(text, message):
    with pytest.raises(ParseError, match=message):
        parse_dockerfile(Path("Dockerfile"), text)


def test_requirements_with_options_extras_markers_and_includes(tmp_path):
    (tmp_path / "base.txt").write_text("Django>=4.2,<5.0  # web\npsycopg[binary]==3.2.3 ; python_version >= '3.9'\n"
                                       "-r prod.txt\n--index-url https://pypi.org/simple\n-e .\n"
                                       "gunicorn==23.0.0 \\\n    --hash=sha256:abc\n")
    (tmp_path / "prod.txt").write_text("-r base.txt\nwhitenoise\n")
    loaded = {}

    def load(path, included_from):
        loaded[path] = loaded.get(path, 0) + 1
        return parse_requirements(path, path.read_text()) if path.exists() else None

    requirements = all_requirements(tmp_path / "base.txt", load)
    assert [(r.name, r.specifier) for r in requirements] == [
        ("django", "<5.0,>=4.2"), ("psycopg", "==3.2.3"), ("gunicorn", "==23.0.0"), ("whitenoise", "")]
    assert requirements[1].extras == {"binary"}
    assert set(loaded.values()) == {1}  # the -r loop is followed once


@pytest.mark.parametrize(("line", "name"), [
    ("-e git+https://github.com/celery/django-celery-beat.git#egg=django-celery-beat", "django-celery-beat"),
    ("--editable git+https://github.com/mobolic/facebook-sdk.git@v3#egg=facebook_sdk", "facebook-sdk"),
    ("git+https://github.com/acme/lib.git#subdirectory=py&egg=acme-lib", "acme-lib"),
    ("-e .", None), ("https://example.com/pkg.tar.gz", None), ("-e git+https://github.com/acme/lib.git", None),
])
def test_a_url_or_vcs_requirement_installs_the_project_its_egg_names(tmp_path, line, name):
    found = parse_requirements(tmp_path / "requirements.txt", line + "\n").requirements
    assert [(r.name, r.specifier) for r in found] == ([(name, "")] if name else [])


@pytest.mark.parametrize(("words", "named"), [
    ("pip install -r requirements.txt", ["requirements.txt"]),
    ("pip install -rrequirements/prod.txt", ["requirements/prod.txt"]),
    ("pip install --requirement requirements.txt -r dev.txt", ["requirements.txt", "dev.txt"]),
    ("pip install --requirement=requirements.txt", ["requirements.txt"]),
    ("pip install -c constraints.txt --root-user-action=ignore django", []),
    ("pip install -r", []),
])
def test_requirement_files_named_in_every_form_pip_reads(words, named):
    assert requirement_files_named(words.split()) == named


def test_requirements_files_include_in_every_form(tmp_path):
    text = "-rbase.txt\n--requirement=server.txt\n--requirement extra.txt\n-c constraints.txt\ndjango\n"
    parsed = parse_requirements(tmp_path / "prod.txt", text)
    assert parsed.includes == (("base.txt", 1), ("server.txt", 2), ("extra.txt", 3))
    assert [r.name for r in parsed.requirements] == ["django"]


NAMES = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,8}[A-Za-z0-9])?", fullmatch=True)
VERSIONS = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,3}(\.\*|a1|rc2|\.post1|\.dev0|\+local)?", fullmatch=True)
CLAUSES = st.tuples(st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~=", "==="]), st.sampled_from(["", " "]),
                    VERSIONS).map("".join)
REQUIREMENTS = st.tuples(
    NAMES, st.sampled_from(["", " "]), st.lists(NAMES, max_size=3).map(lambda e: f"[{', '.join(e)}]" if e else ""),
    st.lists(CLAUSES, max_size=3).map(lambda c: " , ".join(c) if len(c) % 2 else ",".join(c)),
    st.sampled_from(["", " ; python_version >= '3.9'", " @ https://example.com/x.whl"]),
).map("".join)


@settings(max_examples=examples(400), deadline=None)
@given(REQUIREMENTS)
def test_requirement_lines_read_as_packaging_reads_them(line):
    """The fast path for plain lines agrees with ``packaging`` (the oracle) on name, specifier and extras."""
    try:
        expected = PackagingRequirement(line)
    except InvalidRequirement:
        with pytest.raises(ParseError):
            parse_requirements(Path("r.txt"), line + "\n")
        return
    (found,) = parse_requirements(Path("r.txt"), line + "\n").requirements
    assert (found.name, found.specifier, found.extras) == (
        canonicalize_name(expected.name), str(expected.specifier), frozenset(expected.extras))


def test_requirements_error_has_a_line():
    with pytest.raises(ParseError) as error:
        parse_requirements(Path("r.txt"), "django\n\ndjango>=1.0,,\n")
    assert error.value.line == 3


def _eval(source, env=None):
    return evaluate(ast.parse(source, mode="eval").body, env or {})


@pytest.mark.parametrize("source, env, expected", [
    ("os.environ.get('D', 'False') == 'True'", {}, False),
    ("os.getenv('D', '0') in ('1', 'true')", {"D": "1"}, True),
    ("bool(os.environ.get('D', False))", {"D": "False"}, True),
    ("int(os.environ.get('D', 0)) == 1", {"D": "1"}, True),
    ("os.environ.get('H', 'a,b').split(',')", {}, ["a", "b"]),
    ("os.environ.get('D', '').lower() == 'true' or False", {"D": "TRUE"}, True),
    ("f\"{os.environ.get('X', 'x')}-y\"", {}, "x-y"),
    ("'a' if os.getenv('D') else 'b'", {}, "b"),
    ("not os.environ.get('D')", {}, True),
])
def test_settings_evaluation(source, env, expected):
    assert _eval(source, env) == expected


@pytest.mark.parametrize("source", ["env.bool('DEBUG')", "BASE_DIR / 'x'", "config('X', cast=bool)", "some_call()"])
def test_settings_unknown_is_never_guessed(source):
    with pytest.raises(Unknown):
        _eval(source)


def test_missing_environ_item():
    with pytest.raises(MissingVariable):
        _eval("os.environ['SECRET_KEY']")


@pytest.mark.parametrize("line, expected", [
    ("python manage.py runserver", ("127.0.0.1", "8000", True)),
    ("python manage.py runserver 8080", ("127.0.0.1", "8080", True)),
    ("python manage.py runserver 0.0.0.0:8000", ("0.0.0.0", "8000", False)),
    ("python manage.py runserver 0:8000", ("0", "8000", False)),
    ("python manage.py runserver -6", ("::1", "8000", True)),
    ("python manage.py runserver [::]:8000", ("::", "8000", False)),
    ("django-admin runserver --settings app.s localhost:9000", ("localhost", "9000", True)),
    ("python -m django runserver web:8000", ("web", "8000", False)),
    ("sh -c 'python manage.py migrate && exec python manage.py runserver_plus 0.0.0.0:8000'", ("0.0.0.0", "8000", False)),
])
def test_runserver_addresses(line, expected):
    servers = [s for s in (runserver(c) for c in split_line(line)) if s]
    assert len(servers) == 1
    assert (*servers[0].host_and_port, servers[0].loopback_only) == expected


def test_shell_splitting():
    commands = split_line("FOO=1 exec gunicorn app.wsgi > /dev/null 2>&1 && echo done | tee log")
    assert commands[0] == Command(("gunicorn", "app.wsgi"), True)
    assert [c.words[0] for c in commands] == ["gunicorn", "echo", "tee"]
    assert split_line("echo 'unterminated") == [Command(("echo", "'unterminated"))]
    assert runserver(split_line("python manage.py runserver 8000 > log")[0]).addrport == "8000"


def test_script_lines_join_continuations_and_skip_comments():
    lines = script_lines("#!/bin/sh\n# note\nif true; then\n  exec gunicorn \\\n    app.wsgi\nfi\n")
    assert [(line.line, line.text) for line in lines] == [(3, "if true; then"), (4, "exec gunicorn      app.wsgi"),
                                                           (6, "fi")]
    assert lines[1].commands[0].exec_


TASK_RUNNER = ("#!/usr/bin/env bash\nset -e\nbuild-js() { node build.js; }\nmanage()\n{\n  python manage.py \"$@\"\n}\n"
               "function start {\n  wait_for_db\n  exec gunicorn app.wsgi\n}\nwait_for_db() {\n  until nc -z db 5432; do sleep 1; done\n}\n"
               "\"$@\"\n")


@pytest.mark.parametrize(("arguments", "ran"), [
    (("build-js",), {"node build.js"}),
    (("manage", "migrate"), {"python manage.py"}),
    (("start",), {"exec gunicorn app.wsgi", "until nc -z db 5432"}),
    ((), set()),
])
def test_a_task_runner_runs_the_functions_its_arguments_name(arguments, ran):
    text = "\n".join(line.text for line in lines_run(tuple(script_lines(TASK_RUNNER)), arguments))
    assert {fragment for fragment in ("node build.js", "python manage.py", "exec gunicorn app.wsgi", "until nc -z db 5432")
            if fragment in text} == ran
    assert "set -e" in text


def test_a_script_without_functions_runs_every_line():
    lines = tuple(script_lines("#!/bin/sh\npython manage.py migrate\nexec gunicorn app.wsgi\n"))
    assert lines_run(lines, ("anything",)) == list(lines)


def test_decode():
    assert decode(codecs.BOM_UTF8 + "é".encode()) == "é"
    assert decode("FROM x\n".encode("utf-16")) == "FROM x\n"
    with pytest.raises(Unreadable, match="NUL") as error:
        decode(b"a\nb\n\x00")
    assert error.value.line == 3
    with pytest.raises(Unreadable, match="UTF-8") as error:
        decode(b"ok\n\xff\n")
    assert error.value.line == 2


def test_too_large(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(Unreadable, match="too large"):
        read_text(path, tmp_path)


def test_link_loop(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(Unreadable):
        read_text(tmp_path / "a", tmp_path)


def test_requirements_loop_is_reported_where_it_closes(tmp_path):
    write_files(tmp_path, {"a.txt": "-r b.txt\ndjango\n", "b.txt": "gunicorn\n-r a.txt\n", "c.txt": "-r b.txt\n"})
    loops = []
    found = all_requirements(tmp_path / "a.txt", lambda path, _: parse_requirements(path, path.read_text()),
                             lambda path, line, included: loops.append((path.name, line, included.name)))
    assert sorted(r.name for r in found) == ["django", "gunicorn"]
    assert loops == [("b.txt", 2, "a.txt")]


@given(st.text(alphabet="${}:-+AB/x", max_size=40), st.fixed_dictionaries({}, optional={"A": st.sampled_from(["", "a"]), "B": st.just("b")}))
@settings(max_examples=examples(300))
def test_variable_expansion_is_the_one_pattern_applied_to_the_whole_text(text, variables):
    """expand() splits the text at its last "}" to stay linear; the result is the same as the whole pattern's."""
    from djlint_docker.parse.dockerfile import VARIABLE, expand

    unknown = []

    def whole(match):
        name, operator, word = match.group(1) or match.group(4), match.group(2), match.group(3) or ""
        value = variables.get(name)
        if operator in {":-", "-"}:
            return value if value else word
        if operator in {":+", "+"}:
            return word if value else ""
        if value is None:
            unknown.append(name)
            return ""
        return value

    expected = VARIABLE.sub(whole, text)
    assert expand(text, variables) == (None if unknown else expected)
