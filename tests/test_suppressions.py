"""Inline suppressions in every file kind, and the reports on the comments themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import lint, write_files

from djlint_docker.rules.snippets import MANAGE, SETTINGS_FROM_ENVIRONMENT
from djlint_docker.suppressions import directives

DOCKERFILE = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\nWORKDIR /app\n"
              "COPY . .\nUSER nobody\n")
# The settings module manage.py names, so that DJC405 has nothing to say.
BASE = {".dockerignore": ".git\n.env\n", "manage.py": MANAGE, "app/settings.py": SETTINGS_FROM_ENVIRONMENT}
COMPOSE = "services:\n  web:\n    build: .\n"


def found(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, str, int]]:
    write_files(tmp_path, {**BASE, **files})
    return {(f.code, f.path, f.line) for f in lint(tmp_path)}


def test_dockerfile_comment_above_covers_the_whole_continued_instruction(tmp_path):
    dockerfile = DOCKERFILE + "# djcheck: ignore[DJC101, runserver-in-image]\nCMD [\"python\", \\\n  # a comment line\n" \
                              "  \"manage.py\", \"runserver\"]\n"
    assert found(tmp_path, {"Dockerfile": dockerfile}) == set()


def test_dockerfile_has_no_end_of_line_comments(tmp_path):
    dockerfile = DOCKERFILE + "CMD python manage.py runserver  # djcheck: ignore[DJC101]\n"
    codes = {code for code, _, _ in found(tmp_path, {"Dockerfile": dockerfile})}
    assert "DJC101" in codes


def test_dockerfile_comment_above_covers_only_the_next_instruction(tmp_path):
    dockerfile = DOCKERFILE.replace("USER nobody\n", "# djcheck: ignore[DJC108]\nRUN true\nCMD python manage.py runserver\n")
    findings = found(tmp_path, {"Dockerfile": dockerfile})
    assert ("DJC004", "Dockerfile", 5) in findings and ("DJC108", "Dockerfile", 1) in findings


def test_compose_comment_above_and_at_end_of_line(tmp_path):
    compose = ("services:\n  web:\n    build: .\n    # djcheck: ignore[DJC201]\n    command: python manage.py runserver\n"
               "  worker:\n    build: .\n    command: python manage.py runserver  # djcheck: ignore[compose-runserver-without-bind]\n")
    findings = found(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": compose})
    assert not {f for f in findings if f[0] in {"DJC201", "DJC004"}}


def test_hash_inside_a_yaml_string_is_no_comment(tmp_path):
    compose = COMPOSE + "    command: \"python manage.py runserver 8000 # djcheck: ignore[DJC201]\"\n"
    assert ("DJC201", "compose.yaml", 4) in found(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": compose})


def test_python_comments_cover_the_whole_logical_line(tmp_path):
    settings = ("import os\n# djcheck: ignore[DJC301]\nDEBUG = (\n    True\n)\n"
                "SECRET_KEY = 'django-insecure-abc'  # djcheck: ignore[secret-key-hardcoded]\n"
                "ALLOWED_HOSTS = ['*']\n")
    findings = found(tmp_path, {"Dockerfile": DOCKERFILE + 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app.wsgi"]\n',
                                "app/settings.py": settings})
    assert {code for code, _, _ in findings} & {"DJC301", "DJC303", "DJC304", "DJC004"} == {"DJC304"}


def test_a_directive_inside_a_python_string_is_not_a_comment():
    text = 'HELP = "# djcheck: ignore[DJC301]"\nDEBUG = True  # djcheck: ignore[DJC301]\n'
    assert [(d.line, d.covers) for d in directives(Path("settings.py"), text)] == [(2, frozenset({2}))]


def test_python_that_does_not_tokenize_still_has_its_comments_read():
    text = "# djcheck: ignore-file[DJC301]\nDEBUG = (\n"
    assert [d.kind for d in directives(Path("settings.py"), text)] == ["ignore-file"]


def test_shell_script_comment_above_covers_the_continued_command(tmp_path):
    script = "#!/bin/sh\nset -e\n# djcheck: ignore[DJC101]\nexec python manage.py \\\n  runserver\n"
    files = {"Dockerfile": DOCKERFILE + 'ENTRYPOINT ["./start.sh"]\n', "start.sh": script}
    write_files(tmp_path, {**BASE, **files})
    (tmp_path / "start.sh").chmod(0o755)
    assert {f.code for f in lint(tmp_path)} <= {"DJC102"}


@pytest.mark.parametrize("name, text, line", [
    ("requirements.txt", "django==5.1.3  # djcheck: ignore[DJC114]\n", 1),
    (".env", "# djcheck: ignore[DJC114]\nDEBUG=0\n", 2),
    (".dockerignore", "# djcheck: ignore[DJC114]\n.git\n", 2),
    ("Dockerfile", "# djcheck: ignore[DJC114]\nFROM python:3.12\n", 2),
    ("compose.yaml", "x: 'a # b'  # djcheck: ignore[DJC114]\n", 1),
])
def test_where_each_file_kind_takes_its_comments(name, text, line):
    (directive,) = directives(Path(name), text)
    assert directive.covers == frozenset({line}) and directive.tokens == ("DJC114",)


def test_dockerignore_has_no_end_of_line_comments():
    assert directives(Path(".dockerignore"), ".git  # djcheck: ignore[DJC402]\n") == []


def test_ignore_file_covers_the_whole_file_by_code_prefix_or_name(tmp_path):
    settings = "# djcheck: ignore-file[DJC30, deploy-checks]\nDEBUG = True\nSECRET_KEY = 'x'\nALLOWED_HOSTS = ['*']\n"
    findings = found(tmp_path, {"Dockerfile": DOCKERFILE + 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app.wsgi"]\n',
                                "app/settings.py": settings})
    assert not {f for f in findings if f[1] == "app/settings.py"}
    assert ("DJC405", "Dockerfile", 6) in findings  # other files keep their findings


def test_bare_ignore_covers_every_rule_on_its_line(tmp_path):
    dockerfile = DOCKERFILE + "# djcheck: ignore\nCMD python manage.py runserver\n"
    assert found(tmp_path, {"Dockerfile": dockerfile}) == set()


def test_unused_suppressions_are_reported_per_code(tmp_path):
    dockerfile = DOCKERFILE + "# djcheck: ignore[DJC101, DJC303]\nCMD python manage.py runserver 0.0.0.0:8000\n"
    write_files(tmp_path, {**BASE, "Dockerfile": dockerfile})
    unused = [f for f in lint(tmp_path) if f.code == "DJC004"]
    assert [(f.line, f.column) for f in unused] == [(6, 1), (6, 1)]
    assert "suppresses no DJC101 finding on line 7" in unused[0].message


def test_deselected_rules_are_not_reported_unused(tmp_path):
    from djlint_docker.config import Selection
    from djlint_docker.engine import all_rules, check_paths
    from djlint_docker.registry import select_rules

    dockerfile = DOCKERFILE + "# djcheck: ignore[DJC101]\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n"
    write_files(tmp_path, {**BASE, "Dockerfile": dockerfile})
    only_djc004 = select_rules(all_rules(), [Selection(("DJC004",))])
    assert check_paths([tmp_path], tmp_path, only_djc004) == []
    assert [f.code for f in check_paths([tmp_path], tmp_path, select_rules(all_rules(), [Selection(("DJC0", "DJC1"))]))] \
        == ["DJC004"]


def test_a_file_two_stacks_share_is_unused_only_if_unused_in_both(tmp_path):
    compose = COMPOSE + "    command: python manage.py runserver  # djcheck: ignore[DJC201]\n"
    findings = found(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": compose,
                                "compose.override.yaml": "services:\n  web:\n    environment:\n      DEBUG: '1'\n",
                                "compose.prod.yaml": compose})
    assert not {f for f in findings if f[0] in {"DJC004", "DJC201"}}


def test_unknown_codes_and_directives(tmp_path):
    dockerfile = DOCKERFILE + "# djcheck: ignore[DJC101, DJC1999]\n# djcheck: ignores[DJC102]\nCMD python manage.py runserver\n"
    findings = found(tmp_path, {"Dockerfile": dockerfile})
    assert {(code, line) for code, _, line in findings if code in {"DJC003", "DJC004"}} == {("DJC003", 6), ("DJC003", 7)}


def test_requirements_env_and_dockerignore_take_their_suppressions(tmp_path):
    dockerfile = DOCKERFILE.replace("COPY . .\n", "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                                                  "COPY . .\n") + 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app.wsgi"]\n'
    files = {"Dockerfile": dockerfile, "compose.yaml": COMPOSE + "    env_file: .env\n",
             "requirements.txt": "django  # djcheck: ignore[django-unpinned]\ngunicorn==23.0.0\n",
             ".env": "SECRET_KEY=abc  # djcheck: ignore[DJC412]\nDEBUG=0\n",
             ".dockerignore": "# djcheck: ignore-file[DJC402]\n__pycache__\n"}
    write_files(tmp_path, files)
    (tmp_path / ".git").mkdir()
    assert {f.code for f in lint(tmp_path)} & {"DJC402", "DJC409", "DJC412", "DJC004"} == set()
    files[".env"] = "SECRET_KEY=abc\nDEBUG=0\n"
    files["requirements.txt"] = "django\ngunicorn==23.0.0\n"
    files[".dockerignore"] = "__pycache__\n"
    write_files(tmp_path, files)
    assert {f.code for f in lint(tmp_path)} >= {"DJC402", "DJC409", "DJC412"}
