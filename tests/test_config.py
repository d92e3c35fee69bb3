"""Configuration: where it is found, what each key does, how flags override it, and its errors."""

from __future__ import annotations

import json

import pytest
from conftest import djcheck, write_files

from djlint_docker.config import ConfigError, find_config, load_config
from djlint_docker.rules.snippets import MANAGE

PROJECT = {
    "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\nWORKDIR /app\n"
                  "COPY . .\nUSER nobody\nCMD python manage.py runserver\n",
    ".dockerignore": ".git\n.env\n",
    "manage.py": MANAGE,
    "app/settings.py": "import os\nDEBUG = True\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['example.com']\n",
}
# DJC101, DJC102 and DJC109 on Dockerfile:6, DJC301 on app/settings.py:2


def codes(result) -> set[str]:
    return {f["code"] for f in json.loads(result.output)}


def found(tmp_path, config: dict[str, str], *args: str) -> set[str]:
    write_files(tmp_path, {**PROJECT, **config})
    return codes(djcheck(["--format", "json", *args], tmp_path))


def test_without_configuration_every_rule_runs(tmp_path):
    assert found(tmp_path, {}) == {"DJC101", "DJC102", "DJC109", "DJC301"}


@pytest.mark.parametrize("name, text", [
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.djcheck]\nignore = ["DJC1"]\n'),
    (".djcheck.toml", 'ignore = ["DJC1"]\n'),
])
def test_configuration_file_kinds(tmp_path, name, text):
    assert found(tmp_path, {name: text}) == {"DJC301"}


def test_djcheck_toml_wins_over_pyproject_in_one_folder(tmp_path):
    assert found(tmp_path, {"pyproject.toml": '[tool.djcheck]\nignore = ["DJC3"]\n',
                            ".djcheck.toml": 'ignore = ["DJC1"]\n'}) == {"DJC301"}


def test_pyproject_without_a_djcheck_table_is_passed_over(tmp_path):
    write_files(tmp_path, {".djcheck.toml": 'ignore = ["DJC1"]\n', "sub/pyproject.toml": '[tool.ruff]\nline-length = 99\n',
                           **{f"sub/{k}": v for k, v in PROJECT.items()}})
    assert find_config(tmp_path / "sub") == tmp_path / ".djcheck.toml"
    assert codes(djcheck(["--format", "json", "sub"], tmp_path)) == {"DJC301"}


def test_found_from_the_checked_path_upwards_but_not_past_the_repository(tmp_path):
    write_files(tmp_path, {".djcheck.toml": 'ignore = ["DJC1"]\n', "repo/.git/HEAD": "ref: refs/heads/main\n",
                           **{f"repo/app/{k}": v for k, v in PROJECT.items()}})
    assert find_config(tmp_path / "repo" / "app") is None
    (tmp_path / "repo" / "pyproject.toml").write_text('[tool.djcheck]\nselect = ["DJC301"]\n')
    assert find_config(tmp_path / "repo" / "app" / "Dockerfile") == tmp_path / "repo" / "pyproject.toml"
    assert codes(djcheck(["--format", "json", "repo/app"], tmp_path)) == {"DJC301"}


def test_each_path_gets_its_own_configuration(tmp_path):
    write_files(tmp_path, {**{f"one/{k}": v for k, v in PROJECT.items()}, "one/.djcheck.toml": 'select = ["DJC301"]\n',
                           **{f"two/{k}": v for k, v in PROJECT.items()}, "two/.djcheck.toml": 'select = ["DJC101"]\n'})
    findings = json.loads(djcheck(["--format", "json", "one", "two"], tmp_path).output)
    assert {(f["path"].split("/")[0], f["code"]) for f in findings} == {("one", "DJC301"), ("two", "DJC101")}


@pytest.mark.parametrize("config, flags, expected", [
    ('select = ["DJC1"]', [], {"DJC101", "DJC102", "DJC109"}),
    ('select = ["DJC1"]\nignore = ["runserver-in-image"]', [], {"DJC101", "DJC109"}),
    ('select = ["DJC1"]\nignore = ["DJC10"]\nextend-select = ["DJC101"]', [], {"DJC101"}),  # longer match wins
    ('extend-select = ["DJC301"]\nignore = ["DJC3"]', [], {"DJC101", "DJC102", "DJC109", "DJC301"}),
    ('select = ["DJC1"]', ["--select", "DJC3"], {"DJC301"}),  # the flag replaces the file's select
    ('select = ["DJC1"]', ["--extend-select", "DJC301"], {"DJC101", "DJC102", "DJC109", "DJC301"}),
    ('select = ["DJC1"]', ["--ignore", "DJC109"], {"DJC101", "DJC102"}),
    ('ignore = ["DJC101"]', ["--select", "DJC1"], {"DJC101", "DJC102", "DJC109"}),
    ('ignore = ["DJC1"]', ["--extend-select", "runserver-without-bind"], {"DJC101", "DJC301"}),
])
def test_selection_layers(tmp_path, config, flags, expected):
    assert found(tmp_path, {".djcheck.toml": config + "\n"}, *flags) == expected


def test_per_file_ignores_match_gitignore_patterns_from_the_configuration_folder(tmp_path):
    config = '[per-file-ignores]\n"Dockerfile" = ["DJC101", "runserver-in-image"]\n"app/*.py" = ["debug-enabled"]\n'
    assert found(tmp_path, {".djcheck.toml": config}) == {"DJC109"}


def test_severity_overrides_and_fail_on(tmp_path):
    write_files(tmp_path, {**PROJECT, ".djcheck.toml": 'fail-on = "error"\n[severity]\nDJC1 = "info"\nDJC101 = "warning"\n'
                                                       'debug-enabled = "warning"\n'})
    result = djcheck(["--format", "json"], tmp_path)
    severities = {f["code"]: f["severity"] for f in json.loads(result.output)}
    assert severities == {"DJC101": "warning", "DJC102": "info", "DJC109": "info", "DJC301": "warning"}
    assert result.exit_code == 0
    assert djcheck(["--fail-on", "warning"], tmp_path).exit_code == 1  # the flag wins


def test_fail_on_counts_only_findings_that_severe(tmp_path):
    write_files(tmp_path, {**PROJECT, ".djcheck.toml": 'fail-on = "error"\nselect = ["DJC102"]\n'})
    assert djcheck([], tmp_path).exit_code == 0
    assert djcheck(["--fail-on", "info"], tmp_path).exit_code == 1
    assert djcheck(["--exit-zero", "--fail-on", "info"], tmp_path).exit_code == 0


def test_exclude_leaves_out_folders_and_files(tmp_path):
    write_files(tmp_path, {**{f"svc/{k}": v for k, v in PROJECT.items()}, **{f"legacy/{k}": v for k, v in PROJECT.items()},
                           ".djcheck.toml": 'exclude = ["legacy/", "svc/app/settings.py"]\n'})
    findings = json.loads(djcheck(["--format", "json"], tmp_path).output)
    assert {f["path"] for f in findings} == {"svc/Dockerfile"}
    findings = json.loads(djcheck(["--format", "json", "--exclude", "svc"], tmp_path).output)
    assert {f["path"].split("/")[0] for f in findings} == {"legacy"}  # the flag replaces the file's list
    result = djcheck(["--extend-exclude", "Dockerfile"], tmp_path)
    assert result.exit_code == 0 and "no Docker setup" in result.output


def test_settings_module_names_the_settings_discovery_cannot_know(tmp_path):
    files = {**PROJECT, "manage.py": "import sys\n", "app/settings.py": "DEBUG = False\n",
             "config/prod.py": "DEBUG = True\n"}
    assert found(tmp_path, files) == {"DJC101", "DJC102", "DJC109"}
    assert found(tmp_path, {".djcheck.toml": 'settings-module = "config.prod"\n'}) == {"DJC101", "DJC102", "DJC109", "DJC301"}


COMPOSE = "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
PROD = "services:\n  web:\n    command: python manage.py runserver\n"


def test_compose_files_form_the_stacks_discovery_cannot_know(tmp_path):
    write_files(tmp_path, {**PROJECT, ".gitignore": "deploy/\n", "deploy/stack.yml": "services:\n  web:\n"
                           "    build: ..\n    command: python manage.py runserver\n"})
    assert "DJC201" not in codes(djcheck(["--format", "json"], tmp_path))  # discovery reads no git-ignored YAML
    (tmp_path / ".djcheck.toml").write_text('compose-files = ["deploy/stack.yml"]\n')
    findings = json.loads(djcheck(["--format", "json"], tmp_path).output)
    assert ("deploy/stack.yml", 4) in {(f["path"], f["line"]) for f in findings if f["code"] == "DJC201"}


def test_compose_files_merge_in_order_and_the_override_is_not_a_stack_alone(tmp_path):
    write_files(tmp_path, {**PROJECT, "docker-compose.yml": COMPOSE, "docker-compose.prod.yml": PROD})
    alone = json.loads(djcheck(["--format", "json", "--select", "DJC201,DJC202"], tmp_path).output)
    assert {(f["path"], f["code"]) for f in alone} == {("docker-compose.prod.yml", "DJC201")}
    (tmp_path / ".djcheck.toml").write_text('compose-files = [["docker-compose.yml", "docker-compose.prod.yml"]]\n')
    merged = json.loads(djcheck(["--format", "json", "--select", "DJC201"], tmp_path).output)
    assert [(f["path"], f["line"]) for f in merged] == [("docker-compose.prod.yml", 3)]
    assert "service web" in merged[0]["message"]


def test_unknown_codes_in_the_configuration_are_reported_where_written(tmp_path):
    write_files(tmp_path, {**PROJECT, "pyproject.toml": '[tool.djcheck]\nselect = ["DJC1"]\nignore = [\n  "DJC109",\n'
                                                         '  "runserver-in-imag",\n]\n[tool.djcheck.severity]\nDJC9 = "info"\n'})
    findings = json.loads(djcheck(["--format", "json"], tmp_path).output)
    unknown = [(f["path"], f["line"]) for f in findings if f["code"] == "DJC003"]
    assert unknown == [("pyproject.toml", 5), ("pyproject.toml", 8)]
    assert {f["code"] for f in findings} == {"DJC003", "DJC101", "DJC102"}  # reported though DJC1 is selected
    assert codes(djcheck(["--format", "json", "--ignore", "DJC003"], tmp_path)) == {"DJC101", "DJC102"}


@pytest.mark.parametrize("text, said", [
    ('selct = ["DJC1"]\n', "unknown key 'selct' (did you mean 'select'?)"),
    ('colour = true\n', "unknown key 'colour' (known keys: select"),
    ('select = "DJC1"\nfail-on = "fatal"\n', "fail-on must be one of error, warning, info, not 'fatal'"),
    ('ignore = [1]\n', "ignore must be a list of codes, prefixes or rule names, not 1"),
    ('per-file-ignores = ["x"]\n', "per-file-ignores must be a table of pattern = [codes]"),
    ('compose-files = ["nowhere.yml"]\n', "nowhere.yml, which is not a file"),
    ('select = [\n', "not valid TOML"),
])
def test_configuration_errors_exit_2_naming_file_and_key(tmp_path, text, said):
    write_files(tmp_path, {**PROJECT, ".djcheck.toml": text})
    with pytest.raises(ConfigError, match=r"\.djcheck\.toml"):
        load_config(tmp_path / ".djcheck.toml")
    result = djcheck([], tmp_path)
    assert result.exit_code == 2
    assert said in result.output and ".djcheck.toml" in result.output


def test_config_flag_and_isolated(tmp_path):
    write_files(tmp_path, {**PROJECT, ".djcheck.toml": 'select = ["DJC301"]\n', "other.toml": 'select = ["DJC101"]\n'})
    assert codes(djcheck(["--format", "json"], tmp_path)) == {"DJC301"}
    assert codes(djcheck(["--format", "json", "--config", "other.toml"], tmp_path)) == {"DJC101"}
    assert codes(djcheck(["--format", "json", "--isolated"], tmp_path)) == {"DJC101", "DJC102", "DJC109", "DJC301"}


def test_unknown_code_on_the_command_line_is_a_usage_error(tmp_path):
    write_files(tmp_path, PROJECT)
    result = djcheck(["--extend-select", "DJC777"], tmp_path)
    assert result.exit_code == 2 and "DJC777" in result.output
