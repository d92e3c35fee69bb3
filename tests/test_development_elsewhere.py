"""What shows a project ships another way than its development stack (review 8): a Procfile's web process, a
production stage, env files named for development, helper stacks beside the development one."""

from __future__ import annotations

from pathlib import Path

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project
from djlint_docker.rules.settings._development import DEV_ONLY
from djlint_docker.rules.snippets import MANAGE


def projects(root: Path, files: dict[str, str]) -> dict[str, Project]:
    write_files(root, files)
    setups = discover([root])
    return {(s.compose_files or s.dockerfiles)[0].name: Project(s, root, siblings=setups) for s in setups}


def codes(root: Path) -> set[tuple[str, str]]:
    return {(f.code, f.path) for f in lint(root)}


def test_a_procfile_web_process_running_a_script_is_a_deployment(tmp_path):
    """`web: ./web.sh` on a buildpack platform: the script serves with a server djcheck need not know."""
    script = "#!/usr/bin/env bash\nset -xe\n./manage.py migrate --noinput\npython serve.py\n"
    files = {**DEV_ONLY, "Procfile": "web: ./web.sh\nworker: ./rq-run.sh worker.py\n", "web.sh": script}
    assert projects(tmp_path / "script", files)["compose.yaml"].deployments == ["Procfile"]
    honcho = {**DEV_ONLY, "Procfile": "web: honcho -f ProcfileMulti start\n"}
    assert projects(tmp_path / "honcho", honcho)["compose.yaml"].deployments == ["Procfile"]


def test_a_procfile_web_process_starting_runserver_deploys_nothing(tmp_path):
    script = "#!/bin/sh\npython manage.py migrate\nexec python manage.py runserver 0.0.0.0:$PORT\n"
    files = {**DEV_ONLY, "Procfile": "web: bin/dev.sh\n", "bin/dev.sh": script}
    assert not projects(tmp_path / "script", files)["compose.yaml"].deployments
    commented = {**DEV_ONLY, "Procfile": "web: bin/serve.sh\n",
                 "bin/serve.sh": "#!/bin/sh\n# not runserver: this serves production\nexec python serve.py\n"}
    assert projects(tmp_path / "commented", commented)["compose.yaml"].deployments == ["Procfile"]
    assert not projects(tmp_path / "other", {**DEV_ONLY, "Procfile": "worker: ./run-worker.sh\n"})[
        "compose.yaml"].deployments
    makefile = "APPS = app\n\nrun:\n\tpython -m manage runserver 0.0.0.0:8000\n\nserve:\n\tgunicorn app.wsgi\n"
    made = {**DEV_ONLY, "Procfile": "web: make run\nscss: make watch-scss\n", "Makefile": makefile}
    assert not projects(tmp_path / "make", made)["compose.yaml"].deployments
    served = {**made, "Procfile": "web: make serve\n"}
    assert projects(tmp_path / "served", served)["compose.yaml"].deployments == ["Procfile"]


MULTI_STAGE = """\
FROM python:3.12-slim AS base
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir django gunicorn

FROM base AS production
CMD ["gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"]

FROM base AS development
RUN pip install --no-cache-dir django-debug-toolbar
"""

STAGE_COMPOSE = """\
services:
  web:
    build:
      context: .
      target: development
    command: python manage.py runserver 0.0.0.0:8000
    volumes:
      - .:/app
  mail:
    image: axllent/mailpit
"""


def test_a_production_stage_beside_the_development_target_is_a_deployment(tmp_path):
    files = {"compose.yaml": STAGE_COMPOSE, "Dockerfile": MULTI_STAGE, "manage.py": MANAGE,
             "app/__init__.py": "", "app/settings.py": "ALLOWED_HOSTS = ['*']\n"}
    found = projects(tmp_path / "staged", files)["compose.yaml"]
    assert found.deployments == ["the production stage of Dockerfile"]
    assert found.development_only(found.stack.services["mail"])
    # The deployment loads the one settings module the containers load: its assignments are not development's.
    hosts = found.django_runs[0].settings[0].bindings["ALLOWED_HOSTS"]
    assert not found.development_only(hosts)
    assert ("DJC304", "app/settings.py") in codes(tmp_path / "staged")
    unstaged = {**files, "Dockerfile": MULTI_STAGE.replace("AS production", "AS server")}
    assert not projects(tmp_path / "unstaged", unstaged)["compose.yaml"].deployments


def test_the_env_files_a_service_reads_say_what_it_is(tmp_path):
    """A "prod-like" gunicorn container configured by the local env file is the developers', as the one a
    production env file configures is deployed."""
    compose = ("services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
               "    env_file:\n      - docker/config/local_dev.env\n  db:\n    image: postgres:16\n"
               "    environment:\n      POSTGRES_PASSWORD: postgres\n")
    files = {"compose.yaml": compose, "docker/config/local_dev.env": "DEBUG=1\n", "manage.py": MANAGE,
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n"}
    found = projects(tmp_path / "local", files)["compose.yaml"]
    assert found.development(found.django_runs[0]) == "docker/config/local_dev.env is named for development"
    assert found.development_stack
    production = {**files, "compose.yaml": compose.replace("docker/config/local_dev.env", ".envs/.production/.django"),
                  ".envs/.production/.django": "DEBUG=0\n"}
    found = projects(tmp_path / "production", production)["compose.yaml"]
    assert found.development(found.django_runs[0]) is None


HELPER_DB = "services:\n  postgres:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=app\n"


def test_a_stack_of_backing_services_beside_the_one_that_runs_the_project(tmp_path):
    """docker-compose-minimal.yml runs a PostgreSQL for the developer who runs Django on the machine; the root
    Dockerfile stands in its setup too, and is what the development stack makes of it."""
    dev_image = ("FROM python:3.12\nWORKDIR /app\nCOPY requirements-dev.txt .\n"
                 "RUN pip install --no-cache-dir -r requirements-dev.txt\nCOPY . /app/\nCMD ./start-dev.sh\n")
    files = {**DEV_ONLY, "docker-compose-minimal.yml": HELPER_DB, "Dockerfile": dev_image,
             "requirements-dev.txt": "django\n",
             "start-dev.sh": "#!/bin/bash\npython manage.py migrate\npython manage.py runserver 0.0.0.0:8000\n",
             "Procfile": "web: ./web.sh\n", "web.sh": "#!/bin/sh\nexec gunicorn app.wsgi\n"}
    found = projects(tmp_path / "deployed", files)
    helper = found["docker-compose-minimal.yml"]
    assert helper.development_stack and helper.development_only(helper.stack.services["postgres"])
    assert helper.development_only(helper.builds[0])
    assert not {("DJC207", "docker-compose-minimal.yml"), ("DJC102", "start-dev.sh"), ("DJC108", "Dockerfile")} \
        & codes(tmp_path / "deployed")
    # Without the Procfile the development stack is what ships: its image and the helper's values are reported.
    shipped = {k: v for k, v in files.items() if k not in {"Procfile", "web.sh"}}
    write_files(tmp_path / "shipped", shipped)
    assert {("DJC207", "docker-compose-minimal.yml"), ("DJC102", "start-dev.sh")} <= codes(tmp_path / "shipped")
    # A stack that runs a tool of its own beside the database is not only backing services.
    monitor = {**files, "docker-compose-minimal.yml": HELPER_DB + "  grafana:\n    image: grafana/grafana:11.0.0\n"}
    assert not projects(tmp_path / "monitor", monitor)["docker-compose-minimal.yml"].development_stack


ENTRYPOINT = """\
#!/usr/bin/env bash
set -eo pipefail
SERVICE=$1
shift
case ${SERVICE} in
web)
    exec gunicorn app.wsgi -b 0.0.0.0:8000
    ;;
worker)
    exec celery -A app worker --loglevel INFO
    ;;
*)
    echo "Unknown service ${SERVICE}"
    exit 1
esac
"""


def test_a_services_command_is_what_the_images_entrypoint_is_given(tmp_path):
    """`ENTRYPOINT ["/app/bin/entrypoint.sh"]` and `command: worker`: the script's `worker)` arm runs."""
    compose = "services:\n  worker:\n    build: .\n    command: worker\n  shell:\n    build: .\n" \
              "    entrypoint: /bin/bash\n    command: worker\n"
    dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/app/bin/entrypoint.sh\"]\n" \
                 "CMD [\"web\"]\n"
    found = projects(tmp_path, {"compose.yaml": compose, "Dockerfile": dockerfile, "bin/entrypoint.sh": ENTRYPOINT,
                                "manage.py": MANAGE})["compose.yaml"]
    worker = found.stack.services["worker"]
    ran = [run.command.words[:2] for run in found.container_commands(worker, found.build_for(worker))
           if run.script is not None and run.runs is not False]
    assert ("celery", "-A") in ran and ("gunicorn", "app.wsgi") not in ran
    assert found.runs_django(worker)
    shell = found.stack.services["shell"]  # its own entrypoint replaces the image's
    assert not any(run.script is not None for run in found.container_commands(shell, found.build_for(shell)))


RUN_WEB = """\
#!/bin/bash
: "${PORT:=8000}"
if [ "$1" == "--dev" ]; then
    python manage.py migrate --noinput
    python manage.py runserver 0.0.0.0:${PORT}
else
    ${CMD_PREFIX} gunicorn --bind 0.0.0.0:"${PORT}" app.wsgi:application
fi
"""

DISPATCH = """\
#!/usr/bin/env bash
set -eo pipefail
./bin/wait-for-it.sh db:5432 -- echo "database is up"
SERVICE=$1
shift
case ${SERVICE} in
web)
    exec ./bin/run_web.sh $@
    ;;
worker)
    exec celery -A app worker --loglevel INFO
    ;;
esac
"""

IMAGE = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install --no-cache-dir django gunicorn celery\n"
         "ENTRYPOINT [\"/bin/bash\", \"/app/bin/entrypoint.sh\"]\nCMD [\"web\"]\n")


def test_the_scripts_an_entrypoint_execs_with_its_arguments(tmp_path):
    """entrypoint.sh `web --dev` execs run_web.sh with what `shift` leaves: runserver; the image's own `web`
    reaches gunicorn behind an empty ${CMD_PREFIX}; the helper it waits with is not followed."""
    compose = ("services:\n  web:\n    build: .\n    command: [\"web\", \"--dev\"]\n    volumes:\n      - .:/app\n"
               "  db:\n    image: postgres:16\n")
    files = {"compose.yaml": compose, "Dockerfile": IMAGE, "bin/entrypoint.sh": DISPATCH, "bin/run_web.sh": RUN_WEB,
             "bin/wait-for-it.sh": "#!/bin/bash\nnc -z \"$1\"\nexec \"$@\"\n", "manage.py": MANAGE}
    found = projects(tmp_path, files)["compose.yaml"]
    web = found.stack.services["web"]
    assert [s.program for s in found.servers(web, found.build_for(web))] == ["runserver"]
    assert found.development(found.django_runs[0]) == "it runs runserver"
    build = found.builds[0]
    assert [s.program for s in found._image_run_servers(build)] == ["gunicorn"]
    assert found.deployments == ["the image of Dockerfile"]
    ran = {run.location.path.name for run in found.container_commands(web, build)}
    assert "run_web.sh" in ran and "wait-for-it.sh" not in ran
    # The prefix the container sets is a program of its own: not known to be the server's.
    prefixed = {**files, "Dockerfile": IMAGE.replace("WORKDIR /app\n", "WORKDIR /app\nENV CMD_PREFIX=ddtrace-run\n")}
    found = projects(tmp_path / "prefixed", prefixed)["compose.yaml"]
    assert found._image_run_servers(found.builds[0]) == []


def test_a_procfile_process_that_is_only_a_comment_is_read_without_a_fault(tmp_path):
    """`web: # off`: the line runs nothing, and every rule still runs (it raised IndexError in the model)."""
    files = {**DEV_ONLY, "Procfile": "web: # off\nworker: python worker.py\n"}
    write_files(tmp_path, files)
    assert not any("internal error" in finding.message for finding in lint(tmp_path))
    assert not projects(tmp_path / "again", files)["compose.yaml"].deployments


def test_an_image_whose_entrypoint_serves_with_gunicorn_on_another_argument_is_a_deployment(tmp_path):
    """An entrypoint dispatching on its argument (`web-dev` runs runserver, `web-prod` gunicorn): the development
    stack passes `web-dev`, the cluster `web-prod`. The image is deployed; the stack's throwaway password is not
    reported. With the runserver branch alone, the stack is what ships."""
    entrypoint = ('#!/bin/sh\nset -e\ncase "$1" in\n"web-dev")\n    exec ./manage.py runserver 0.0.0.0:8000\n    ;;\n'
                  '"web-prod")\n    exec gunicorn app.wsgi --bind 0.0.0.0:8000\n    ;;\nesac\n')
    files = {
        "manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
        "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
        "docker/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
                                    "RUN pip install --no-cache-dir django gunicorn\n"
                                    "ENTRYPOINT [\"/bin/sh\", \"/app/docker/django/entrypoint.sh\"]\n",
        "docker/django/entrypoint.sh": entrypoint,
        "docker/dev/compose.yaml": "services:\n  web:\n    build:\n      context: ../..\n"
                                   "      dockerfile: docker/django/Dockerfile\n"
                        "    command: web-dev\n    depends_on: [db]\n"
                        "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n",
    }
    found = projects(tmp_path / "both", files)
    assert found["Dockerfile"].deployments == ["the image of docker/django/Dockerfile"]
    assert ("DJC207", "docker/dev/compose.yaml") not in codes(tmp_path / "both")
    alone = {**files, "docker/django/entrypoint.sh": entrypoint.replace("web-prod", "web-other").replace(
        "exec gunicorn app.wsgi --bind 0.0.0.0:8000", "exec ./manage.py shell")}
    write_files(tmp_path / "alone", alone)
    assert ("DJC207", "docker/dev/compose.yaml") in codes(tmp_path / "alone")


def test_a_dockerfile_kept_in_deploy_is_not_named_for_production(tmp_path):
    """deploy/django/Dockerfile built by docker-compose.development.yml: `deploy/` holds every Docker file of the
    project, so the development stack stays a development one; deploy/production/Dockerfile is production's, unless
    the development stack runs runserver on it."""
    files = {"manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = False\n",
             "deploy/django/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install django\n",
             "docker-compose.development.yml": "services:\n  web:\n    build:\n      context: .\n"
                                               "      dockerfile: deploy/django/Dockerfile\n"
                                               "    command: gunicorn app.wsgi\n"}
    found = projects(tmp_path / "dev", files)["docker-compose.development.yml"]
    run = next(iter(found.django_runs))
    assert found.development(run) == "docker-compose.development.yml is named for development"
    moved = {("deploy/production/Dockerfile" if path == "deploy/django/Dockerfile" else path):
             text.replace("deploy/django/", "deploy/production/") for path, text in files.items()}
    found = projects(tmp_path / "prod", moved)["docker-compose.development.yml"]
    assert found.development(next(iter(found.django_runs))) is None
    # runserver on the production Dockerfile's image: the development stack's (cookiecutter's `local.yml`)
    served = {**moved, "docker-compose.development.yml": moved["docker-compose.development.yml"].replace(
        "gunicorn app.wsgi", "python manage.py runserver 0.0.0.0:8000")}
    found = projects(tmp_path / "served", served)["docker-compose.development.yml"]
    assert found.development(next(iter(found.django_runs))) == \
        "docker-compose.development.yml is named for development"


def test_a_buildpack_deployment_builds_no_image_of_the_project(tmp_path):
    """Procfile beside runtime.txt (Heroku's Python buildpack): the platform builds the source, so the Dockerfile that
    starts gunicorn by itself is a developer's; a Procfile alone (Dokku builds the Dockerfile) or a Dockerfile named
    for the platform (Dockerfile.cabotage) is no such sign."""
    image = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
             "RUN pip install --no-cache-dir django gunicorn\nCMD [\"gunicorn\", \"app.wsgi\"]\n")
    files = {"manage.py": MANAGE, "app/__init__.py": "", "app/wsgi.py": "",
             "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
             "Procfile": "web: gunicorn app.wsgi\n", "runtime.txt": "python-3.12.4\n", "Dockerfile": image}
    write_files(tmp_path / "buildpack", files)
    assert ("DJC108", "Dockerfile") not in codes(tmp_path / "buildpack")
    write_files(tmp_path / "dokku", {path: text for path, text in files.items() if path != "runtime.txt"})
    assert ("DJC108", "Dockerfile") in codes(tmp_path / "dokku")
    write_files(tmp_path / "cabotage", {**files, "Dockerfile.cabotage": image})
    assert ("DJC108", "Dockerfile.cabotage") in codes(tmp_path / "cabotage")
