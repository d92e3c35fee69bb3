"""``--add-ignore``: a comment for each finding where its file kind lets one cover it, never changing what a file says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, djcheck, write_files

from djlint_docker.add_ignore import add_ignores
from djlint_docker.findings import Finding, Severity

FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_fixture_reports_nothing_after_add_ignore_and_a_second_call_changes_nothing(tmp_path, name):
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project)
    djcheck(["--add-ignore"], project)
    assert djcheck([], project).exit_code == 0
    after = _snapshot(project)
    second = djcheck(["--add-ignore"], project)
    assert second.exit_code == 0 and _snapshot(project) == after
    assert "Added 0 ignore comments." in second.output


def _finding(path: str, line: int, code: str = "DJC101") -> Finding:
    return Finding(code, "a-rule", Severity.ERROR, path, line, 1, "message")


def _added(name: str, text: str, *lines_and_codes: tuple[int, str]) -> tuple[str, list]:
    after, added, left = add_ignores(Path(name), text, [_finding(name, line, code) for line, code in lines_and_codes])
    return after, left


def test_a_dockerfile_instruction_gets_its_comment_above_its_first_line_with_its_indentation():
    text = "FROM python:3.12\nRUN pip install \\\n    -r requirements.txt \\\n  && true\n"
    after, left = _added("Dockerfile", text, (3, "DJC110"), (4, "DJC111"))
    assert after == ("FROM python:3.12\n# djcheck: ignore[DJC110, DJC111]\n"
                     "RUN pip install \\\n    -r requirements.txt \\\n  && true\n")
    assert not left


def test_an_existing_directive_above_gets_the_new_code():
    text = "FROM python:3.12\n# djcheck: ignore[DJC108]\nCMD python manage.py runserver\n"
    after, _ = _added("Dockerfile", text, (3, "DJC109"))
    assert after == "FROM python:3.12\n# djcheck: ignore[DJC108, DJC109]\nCMD python manage.py runserver\n"


def test_python_gets_the_comment_at_the_end_of_the_whole_statement_and_keeps_a_comment_there():
    text = "DATABASES = {\n    'default': {'HOST': 'localhost'},\n}\nDEBUG = True  # for now\n"
    after, left = _added("settings.py", text, (2, "DJC306"), (4, "DJC301"))
    assert after == ("DATABASES = {\n    'default': {'HOST': 'localhost'},\n}  # djcheck: ignore[DJC306]\n"
                     "DEBUG = True  # djcheck: ignore[DJC301] # for now\n")
    assert not left


def test_a_line_inside_a_python_string_is_never_given_a_comment():
    text = 'NOTE = """\nDEBUG = True\n"""\n'
    after, left = _added("settings.py", text, (2, "DJC301"))
    assert after == 'NOTE = """\nDEBUG = True\n"""  # djcheck: ignore[DJC301]\n'  # the statement's end, after the string
    assert not left


def test_a_yaml_block_scalar_line_is_left_as_it_is():
    text = "services:\n  web:\n    command: >\n      python manage.py runserver\n"
    after, left = _added("compose.yaml", text, (4, "DJC201"))
    assert after == text and [f.code for f in left] == ["DJC201"]


def test_crlf_files_keep_their_line_ends():
    text = "services:\r\n  db:\r\n    image: postgres\r\n"
    after, _ = _added("compose.yaml", text, (3, "DJC209"))
    assert after == "services:\r\n  db:\r\n    image: postgres  # djcheck: ignore[DJC209]\r\n"


def test_a_continued_shell_command_gets_its_comment_above_it():
    text = "#!/bin/sh\ngunicorn app.wsgi \\\n  --bind 0.0.0.0:8000\n"
    after, _ = _added("entrypoint.sh", text, (3, "DJC411"))
    assert after == "#!/bin/sh\n# djcheck: ignore[DJC411]\ngunicorn app.wsgi \\\n  --bind 0.0.0.0:8000\n"


def test_an_env_value_with_a_hash_in_quotes_keeps_its_value():
    text = 'SECRET_KEY="abc #def"\n'
    after, left = _added(".env.prod", text, (1, "DJC412"))
    assert after == 'SECRET_KEY="abc #def"  # djcheck: ignore[DJC412]\n' and not left


def test_a_file_that_cannot_be_parsed_gets_ignore_file_on_a_last_line():
    text = "services:\n  web:\n    image: 'unterminated\n"
    after, left = _added("compose.yaml", text, (4, "DJC001"))
    assert after == text + "# djcheck: ignore-file[DJC001]\n" and not left


def test_faults_of_the_comments_themselves_are_left_for_a_person():
    text = "FROM python:3.12\n# djcheck: ignore[DJC999]\nCMD [\"gunicorn\"]\n"
    after, left = _added("Dockerfile", text, (2, "DJC003"), (2, "DJC004"))
    assert after == text and {f.code for f in left} == {"DJC003", "DJC004"}


def test_add_ignore_prints_each_comment_and_cannot_be_combined_with_fix(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nUSER 1000\n"
                                         "CMD python manage.py runserver\n",
                           "manage.py": "", "app/settings.py": "DEBUG = False\n"})
    result = djcheck(["--add-ignore"], tmp_path)
    assert result.exit_code == 0
    assert "Dockerfile:4: ignore[DJC101, DJC102" in result.output  # the line the comment stands on
    assert djcheck([], tmp_path).exit_code == 0
    assert djcheck(["--add-ignore", "--fix"], tmp_path).exit_code == 2
