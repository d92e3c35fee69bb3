"""Where a compose file's `${VAR}` and the settings' env files get their values (review 11): the scripts that run
the stack, CI, committed templates, the env file the image holds."""

from __future__ import annotations

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project
from djlint_docker.rules.compose._ci_workflows import (
    given_by_launch_scripts,
    left_empty_by_templates,
    run_only_by_ci,
)
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

PORTS = "services:\n  web:\n    build: .\n    ports:\n      - \"${WEB_PORT}:8000\"\n"


def _project(tmp_path, files, compose="compose.yaml"):
    write_files(tmp_path, files)
    setup = next(s for s in discover([tmp_path]) if s.compose_files and s.compose_files[0].name == compose)
    return Project(setup, tmp_path)


def _found(tmp_path, files, code):
    write_files(tmp_path, files)
    return sorted((f.path, f.line) for f in lint(tmp_path) if f.code == code)


def test_env_file_passed_from_outside_the_repository_is_unknown(tmp_path):
    project = _project(tmp_path, {
        "compose.yaml": PORTS,
        "up.sh": "#!/bin/sh\nCONFIG_FILE=/home/$USER/config/.env.dev\nCOMPOSE_FILE=compose.yaml\n"
                 "docker-compose --env-file \"$CONFIG_FILE\" --file \"$COMPOSE_FILE\" up --build\n"})
    assert given_by_launch_scripts(project, tmp_path / "compose.yaml") is None


def test_env_file_passed_from_the_repository_gives_its_names_or_its_templates(tmp_path):
    project = _project(tmp_path, {
        "compose.yaml": PORTS, "deploy/prod.env.example": "WEB_PORT=80\nSECRET_KEY=\n",
        "Makefile": "up:\n\tdocker compose --env-file=deploy/prod.env -f compose.yaml up -d\n"})
    assert given_by_launch_scripts(project, tmp_path / "compose.yaml") == {"WEB_PORT", "SECRET_KEY"}


def test_exports_inline_assignments_and_sourced_files(tmp_path):
    project = _project(tmp_path, {
        "compose.yaml": PORTS, ".env.prod": "DB_PASSWORD=x\n",
        "scripts/env.sh": "export DJANGO_SETTINGS=${DJANGO_SETTINGS:-app.settings}\n",
        "scripts/up.sh": "#!/bin/bash\nsource scripts/env.sh\nset -a\n. ./.env.prod\nset +a\n"
                         "WEB_PORT=8000 docker compose up -d\n"})
    assert given_by_launch_scripts(project, tmp_path / "compose.yaml") == {"DJANGO_SETTINGS", "DB_PASSWORD",
                                                                          "WEB_PORT"}


def test_a_script_that_runs_another_compose_file_gives_nothing(tmp_path):
    project = _project(tmp_path, {
        "compose.yaml": PORTS, "compose.prod.yaml": PORTS,
        "up.sh": "#!/bin/sh\nexport WEB_PORT=80\ndocker compose -f compose.prod.yaml up -d\n"})
    assert given_by_launch_scripts(project, tmp_path / "compose.yaml") == set()


def test_run_only_by_ci(tmp_path):
    project = _project(tmp_path, {
        "compose.yaml": PORTS, "docker-compose-e2e-tests.yml": PORTS, "compose.images.yaml": PORTS,
        "compose.prod.yaml": PORTS,
        ".github/workflows/deploy.yml": "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
                                        "      - run: docker compose -f compose.images.yaml build\n"
                                        "      - run: docker compose -f compose.yaml -f compose.prod.yaml build\n",
        "deploy.sh": "#!/bin/sh\ndocker compose -f compose.yaml -f compose.prod.yaml up -d\n"})
    assert run_only_by_ci(project, tmp_path / "docker-compose-e2e-tests.yml")  # its name
    assert run_only_by_ci(project, tmp_path / "compose.images.yaml")  # only the pipeline names it
    assert not run_only_by_ci(project, tmp_path / "compose.prod.yaml")  # deploy.sh runs it too
    assert not run_only_by_ci(project, tmp_path / "compose.yaml")  # the file developers run


def test_left_empty_by_a_template_at_the_top(tmp_path):
    project = _project(tmp_path, {
        "docker/compose.yaml": PORTS, ".env.example": "AWS_KEY=\"\"\nAWS_SECRET=\nDEBUG=1\n"})
    assert left_empty_by_templates(project, []) == {"AWS_KEY", "AWS_SECRET"}


def test_compose_file_named_in_a_shell_default(tmp_path):
    files = {"docker-compose.yml": PORTS, "docker-compose.override.yml": "services:\n  web:\n    environment:\n"
             "      DJANGO_SETTINGS_MODULE: ${DJANGO_SETTINGS_DEV}\n",
             "bin/env.sh": "export DOCKER_CONFIG_DEV=${DOCKER_CONFIG_DEV:-docker-compose.override.yml}\n"
                           "export DJANGO_SETTINGS_DEV=conf.settings\n"
                           "dcdev() {\n    docker-compose -f docker-compose.yml -f $DOCKER_CONFIG_DEV \"$@\"\n}\n"}
    assert _found(tmp_path, files, "DJC214") == [("docker-compose.yml", 5)]  # WEB_PORT: nobody sets it


SETTINGS = ("import environ\n\nenv = environ.Env()\nenviron.Env.read_env()\n\n"
            "SECRET_KEY = env('SECRET_KEY')\n")


def test_settings_read_env_copied_by_the_dockerfile_from_a_committed_file(tmp_path):
    files = {"compose.yaml": "services:\n  web:\n    build: .\n", "manage.py": MANAGE,
             "Dockerfile": APP_DOCKERFILE + "COPY config/web.env app/.env\n",
             "config/web.env": "DEBUG=0\n", "app/settings.py": SETTINGS}
    assert _found(tmp_path, files, "DJC307") == [("app/settings.py", 6)]  # the copied file lacks it
    assert _found(tmp_path, files | {"config/web.env": "SECRET_KEY=x\n"}, "DJC307") == []


def test_settings_env_file_absent_and_not_ignored_gives_nothing(tmp_path):
    files = {"compose.yaml": "services:\n  web:\n    build: .\n", "manage.py": MANAGE,
             "Dockerfile": APP_DOCKERFILE, "app/settings.py": SETTINGS}
    assert _found(tmp_path, files, "DJC307") == [("app/settings.py", 6)]  # no .env anyone makes: unset


def test_compose_file_in_a_ci_folder_and_package_json_scripts(tmp_path):
    project = _project(tmp_path, {
        "compose.yaml": PORTS, ".github/compose.yaml": PORTS, "manage.py": MANAGE, "Dockerfile": APP_DOCKERFILE,
        "package.json": "{\n  \"scripts\": {\n    \"stack\": \"docker compose --env-file ../secrets/web.env up\"\n  }\n}\n"})
    assert run_only_by_ci(project, tmp_path / ".github" / "compose.yaml")
    assert not run_only_by_ci(project, tmp_path / "compose.yaml")
    assert given_by_launch_scripts(project, tmp_path / "compose.yaml") is None  # outside the repository


def test_makefile_recipes_and_includes(tmp_path):
    project = _project(tmp_path, {
        "compose.yaml": PORTS, "deploy/prod.env": "SECRET_KEY=x\n",
        "Makefile": "include deploy/prod.env\nexport\n\nup:\n\t@WEB_PORT=8000 docker compose up -d\n"})
    assert given_by_launch_scripts(project, tmp_path / "compose.yaml") == {"SECRET_KEY", "WEB_PORT"}


def test_a_long_line_of_assignments_is_read_quickly(tmp_path):
    project = _project(tmp_path, {"compose.yaml": PORTS, "up.sh": "A=b;" * 50_000 + "\ndocker compose up\n"})
    assert given_by_launch_scripts(project, tmp_path / "compose.yaml") == set()
