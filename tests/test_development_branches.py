"""Script branches: which commands of an entrypoint run, given its arguments and environment (parse/shell.py)."""

from __future__ import annotations

import pytest

from djlint_docker.parse.shell import branches, lines_run, script_lines

SCRIPT = """#!/bin/sh
set -e
python manage.py migrate
if [ "$1" = "--dev" ]; then
  exec python manage.py runserver 0.0.0.0:8000
elif [ "${DJANGO_ENV:-production}" = "development" ]; then
  exec python manage.py runserver
else
  exec gunicorn app.wsgi
fi
"""


def ran(arguments, environment, text=SCRIPT):
    return {(b.command.words[-1], b.runs) for b in branches(tuple(script_lines(text)), arguments, environment)
            if b.command.words and b.command.words[0] in {"python", "gunicorn"}}


@pytest.mark.parametrize(("arguments", "environment", "expected"), [
    ((), {}, {("migrate", True), ("0.0.0.0:8000", False), ("runserver", False), ("app.wsgi", True)}),
    (("--dev",), {}, {("migrate", True), ("0.0.0.0:8000", True), ("runserver", False), ("app.wsgi", False)}),
    ((), {"DJANGO_ENV": "development"},
     {("migrate", True), ("0.0.0.0:8000", False), ("runserver", True), ("app.wsgi", False)}),
    ((), {"DJANGO_ENV": None}, {("migrate", True), ("0.0.0.0:8000", False), ("runserver", None), ("app.wsgi", None)}),
    ((), None, {("migrate", True), ("0.0.0.0:8000", False), ("runserver", None), ("app.wsgi", None)}),
])
def test_if_elif_else(arguments, environment, expected):
    assert ran(arguments, environment) == expected


CASE = """#!/bin/bash
case "$1" in
  dev|local) exec python manage.py runserver ;;
  worker)
    exec celery -A app worker
    ;;
  *) exec gunicorn app.wsgi ;;
esac
[ "$DEBUG" = "1" ] && python manage.py check
"""


def test_case_and_a_test_before_and():
    statuses = {b.command.words[-1]: b.runs for b in branches(tuple(script_lines(CASE)), ("dev",), {})}
    assert statuses == {"runserver": True, "worker": False, "app.wsgi": False, "]": True, "check": False}
    statuses = {b.command.words[-1]: b.runs for b in branches(tuple(script_lines(CASE)), (), {"DEBUG": "1"})}
    assert statuses == {"runserver": False, "worker": False, "app.wsgi": True, "]": True, "check": True}
    assert {b.runs for b in branches(tuple(script_lines(CASE)), None, None)} == {None, True}


def test_lines_run_leaves_out_what_cannot_run():
    text = "\n".join(" ".join(c.words) for line in lines_run(tuple(script_lines(SCRIPT)), (), {})
                     for c in line.commands)
    assert "runserver" not in text
    assert "gunicorn app.wsgi" in text
    unknown = "\n".join(" ".join(c.words) for line in lines_run(tuple(script_lines(SCRIPT)), ()) for c in line.commands)
    assert "manage.py runserver" in unknown  # the environment unknown: the branch may run


def test_nesting_and_one_line_if_are_bounded():
    deep = "if [ a = a ]; then\n" * 200 + "exec gunicorn app.wsgi\n" + "fi\n" * 200
    statuses = [b.runs for b in branches(tuple(script_lines(deep)), (), {}) if b.command.words[0] == "gunicorn"]
    assert statuses == [None]  # deeper than MAX_NESTING: undecided
    one_line = 'if [ "$1" = dev ]; then exec python manage.py runserver; else exec gunicorn app.wsgi; fi\n'
    assert ran((), {}, one_line) == {("runserver", False), ("app.wsgi", True)}


def test_long_scripts_are_read_in_linear_time():
    import time

    lines = "".join(f'if [ "$1" = "a{i}" ]; then\n  exec gunicorn app{i}.wsgi\nfi\n' for i in range(5_000))
    lines += 'case "$1" in\n  ' + "*a" * 200_000 + ") exec python manage.py runserver ;;\nesac\n"
    lines += "[ x = x ] && " * 20_000 + "true\n"
    start = time.process_time()
    found = branches(tuple(script_lines(lines)), ("a7",), {})
    assert time.process_time() - start < 5
    assert [b.command.words[-1] for b in found if b.runs and b.command.words[0] == "gunicorn"] == ["app7.wsgi"]


DEFAULTED = """#!/bin/bash
WSGI="${WSGI:-uWSGI}"
if [[ "${WSGI}" == 'uWSGI' ]]; then
    $(command -v uwsgi) --ini /srv/docker/uwsgi.ini
else
    gosu app `which python` manage.py runserver_plus 0:8000
fi
"""
"""The script gives its variable a default before it tests it, and runs programs it looks up on the PATH."""


@pytest.mark.parametrize(("environment", "expected"), [
    ({}, {("uwsgi", True), ("python", False)}),
    ({"WSGI": "dev"}, {("uwsgi", False), ("python", True)}),
    ({"WSGI": None}, {("uwsgi", None), ("python", None)}),
])
def test_a_default_the_script_gives_its_variable(environment, expected):
    found = {(b.command.words[0] if b.command.words[0] != "gosu" else b.command.words[2], b.runs)
             for b in branches(tuple(script_lines(DEFAULTED)), (), environment)
             if b.command.words and b.command.words[0] in {"uwsgi", "gosu"}}
    assert found == expected


def test_an_assignment_on_a_branch_that_may_not_run_is_unknown():
    text = 'if [ "$1" = "--dev" ]; then\n  MODE=dev\nfi\nif [ "$MODE" = dev ]; then\n  runserver-here\nfi\n'
    assert {b.runs for b in branches(tuple(script_lines(text)), None, {}) if b.command.words == ("runserver-here",)} \
        == {None}
    assert {b.runs for b in branches(tuple(script_lines(text)), (), {}) if b.command.words == ("runserver-here",)} \
        == {False}


NEGATED = """#!/bin/bash
if ! [ -z "${DJANGO_DEBUG}" ]; then
    python manage.py runserver
else
    exec gunicorn app.wsgi
fi
"""


@pytest.mark.parametrize(("environment", "expected"), [
    ({}, {("runserver", False), ("app.wsgi", True)}),
    ({"DJANGO_DEBUG": "1"}, {("runserver", True), ("app.wsgi", False)}),
    (None, {("runserver", None), ("app.wsgi", None)}),
])
def test_a_negated_test_takes_the_other_branch(environment, expected):
    """`if ! [ -z "$X" ]`: the `!` turns the test around (it was read as `if [ -z "$X" ]`)."""
    assert ran((), environment, NEGATED) == expected


CHAINED = """#!/bin/sh
if [ "$DJANGO_ENV" = "dev" ] && [ "$WORKERS" -gt 1 ]; then
  python manage.py runserver
elif [ "$DJANGO_ENV" = "dev" ] || [ "$FORCE_DEV" = "1" ]; then
  python manage.py check
else
  exec gunicorn app.wsgi
fi
"""


@pytest.mark.parametrize(("environment", "expected"), [
    ({"DJANGO_ENV": "dev", "WORKERS": "4"}, {("runserver", True), ("check", False), ("app.wsgi", False)}),
    ({"DJANGO_ENV": "dev", "WORKERS": "1"}, {("runserver", False), ("check", True), ("app.wsgi", False)}),
    ({"FORCE_DEV": "1"}, {("runserver", False), ("check", True), ("app.wsgi", False)}),
    ({}, {("runserver", False), ("check", False), ("app.wsgi", True)}),
    ({"DJANGO_ENV": "dev", "WORKERS": None}, {("runserver", None), ("check", None), ("app.wsgi", False)}),
    ({"DJANGO_ENV": None}, {("runserver", None), ("check", None), ("app.wsgi", None)}),
])
def test_a_condition_of_several_tests_is_read_left_to_right(environment, expected):
    """`if A && B`, `elif A || B`: the lists of a condition combine as the shell combines them (it was undecided)."""
    assert ran((), environment, CHAINED) == expected


def test_a_bracket_test_without_its_closing_bracket_never_holds():
    """`[ $A -eq 1 && ! -f x ]` splits at `&&`: the first `[` lacks its `]`, fails, and the branch never runs."""
    text = ("#!/bin/sh\nif [ $INIT_DB -eq 1 && ! -f /initialised ]; then\n  python manage.py flush --no-input\nfi\n"
            "if ! [ $INIT_DB -eq 1; then\n  python manage.py check\nfi\n")
    assert ran((), None, text) == {("--no-input", False), ("check", True)}
