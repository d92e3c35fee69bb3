"""Finding the setups: stacks, standalone Dockerfiles, folders never entered."""

from __future__ import annotations

from conftest import write_files

from djlint_docker.discover import discover
from djlint_docker.rules.snippets import MANAGE


def shape(root, setups):
    return sorted((str(s.root.relative_to(root)), tuple(f.name for f in s.compose_files)) for s in setups)


def test_default_override_and_other_stacks(tmp_path):
    write_files(tmp_path, {"docker-compose.yml": "services: {}\n", "docker-compose.override.yml": "services: {}\n",
                           "docker-compose.prod.yml": "services: {}\n", "manage.py": MANAGE})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [
        (".", ("docker-compose.prod.yml",)), (".", ("docker-compose.yml", "docker-compose.override.yml"))]


def test_dockerfile_below_a_compose_setup_belongs_to_it(tmp_path):
    write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build: ./app\n", "app/Dockerfile": "FROM python\n",
                           "app/manage.py": MANAGE})
    setups = discover([tmp_path])
    assert shape(tmp_path.resolve(), setups) == [(".", ("compose.yaml",))]
    assert [p.name for p in setups[0].python_files] == ["manage.py"]


def test_monorepo_with_two_standalone_services(tmp_path):
    write_files(tmp_path, {"shop/Dockerfile": "FROM python\n", "shop/manage.py": MANAGE,
                           "blog/Dockerfile": "FROM python\n", "blog/src/manage.py": MANAGE,
                           "frontend/Dockerfile": "FROM node\n"})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [("blog", ()), ("shop", ())]


def test_never_enters_vcs_virtualenvs_or_node_modules(tmp_path):
    write_files(tmp_path, {".git/compose.yaml": "x", "node_modules/pkg/compose.yaml": "x",
                           "env/pyvenv.cfg": "home = /usr\n", "env/lib/compose.yaml": "x",
                           ".venv/compose.yaml": "x", "site/compose.yaml": "services: {}\n"})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [("site", ("compose.yaml",))]


def test_a_file_path_stands_for_its_folder(tmp_path):
    write_files(tmp_path, {"compose.yaml": "services: {}\n"})
    assert shape(tmp_path.resolve(), discover([tmp_path / "compose.yaml"])) == [(".", ("compose.yaml",))]


def test_gitignore_files_from_the_repository_root_down(tmp_path):
    from djlint_docker.project import Project

    root = write_files(tmp_path, {".git/HEAD": "ref: refs/heads/main\n", ".gitignore": ".env\n/data\n*.pyc\n",
                                  "site/compose.yaml": "services: {}\n", "site/.gitignore": "!.env\n",
                                  "site/app/.gitignore": "local/\n"}).resolve()
    project = Project(discover([root / "site"])[0], root)
    assert project.boundary == root
    assert project.gitignored(root / "site" / "x.pyc")
    assert not project.gitignored(root / "site" / ".env")        # re-included by the nearer file
    assert not project.gitignored(root / "site" / "data" / "db")  # /data is anchored to the root
    assert project.gitignored(root / "data" / "db")
    assert project.gitignored(root / "site" / "app" / "local" / "settings.py")
    assert not project.gitignored(root / "site" / "manage.py")


DATABASES_ONLY = "services:\n  db:\n    image: postgres:latest\n    ports:\n      - 5432:5432\n  redis:\n    image: redis\n"


def test_a_stack_of_another_language_project_is_no_django_setup(tmp_path):
    """A JavaScript project's compose file with its database: nothing there runs or holds Django (issue 17)."""
    write_files(tmp_path, {"package.json": '{"name": "api"}\n', "docker-compose.yml": DATABASES_ONLY,
                           "Dockerfile": "FROM node:20\nCOPY . .\nCMD [\"node\", \"dist/main.js\"]\n"})
    assert discover([tmp_path]) == []


def test_a_stack_of_another_language_project_kept_in_a_subfolder_is_no_django_setup(tmp_path):
    """A Node server's `src/package.json`; a Go server's `server/go.mod` whose compose file still names a
    DJANGO_SECRET_KEY and whose Dockerfile says in a comment what it replaced; an Elixir image beside a `hello-world`
    placeholder, in a repository whose only Python file is its Ansible deploy's requirements.txt."""
    write_files(tmp_path, {
        "node/src/package.json": "{}\n", "node/docker-compose.yml": "services:\n  api:\n    build: .\n" + DATABASES_ONLY[9:],
        "node/Dockerfile": "FROM node:20\nCOPY src/package.json .\nRUN npm install\nCOPY . .\nCMD npm start\n",
        "go/server/go.mod": "module api\n", "go/frontend/package.json": "{}\n",
        "go/docker-compose.yml": "services:\n  backend:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n"
                                 "    environment:\n      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:-dev}\n",
        "go/docker/Dockerfile": "# the API in Go (it replaced Django)\nFROM golang:1.22-alpine AS build\nCOPY server .\n"
                                "RUN go build -o /api\nFROM alpine:3.20\nCOPY --from=build /api /api\nCMD [\"/api\"]\n",
        "elixir/deploy/requirements.txt": "ansible==9.1\n",
        "elixir/docker-compose.yml": "services:\n  web:\n    build: src\n  db:\n    image: postgres:16\n",
        "elixir/docker-compose.override.yml": "services:\n  web:\n    build:\n      context: src\n"
                                              "      dockerfile: Dockerfile_noop\n",
        "elixir/src/Dockerfile": "FROM ghcr.io/example/elixir-ubuntu-22-04:1.16\nCOPY . .\nCMD mix phx.server\n",
        "elixir/src/Dockerfile_noop": "FROM hello-world\n"})
    assert discover([tmp_path]) == []
    # The same Go stack building a Python image beside it is checked.
    write_files(tmp_path, {"go/docker/Dockerfile": "FROM python:3.12-slim\nCOPY . .\nCMD gunicorn api.wsgi\n"})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [("go", ("docker-compose.yml",))]


def test_a_stack_building_another_frameworks_app_is_no_django_setup(tmp_path):
    """uvicorn serving `bookscraper.api:app`, a module that imports FastAPI, is no Django server; one serving a
    module with Django's ASGI application is."""
    compose = ("services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/api/Dockerfile\n"
               "  db:\n    image: postgres:16\n")
    dockerfile = ("FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir .\n"
                  "CMD uvicorn bookscraper.api:app --host 0.0.0.0 --port 8000\n")
    write_files(tmp_path, {"pyproject.toml": "[project]\nname = 'bookscraper'\n", "docker-compose.yml": compose,
                           "docker/api/Dockerfile": dockerfile, "bookscraper/__init__.py": "",
                           "bookscraper/api.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"})
    assert discover([tmp_path]) == []
    write_files(tmp_path, {"bookscraper/api.py": "from django.core.asgi import get_asgi_application\n\n"
                                                 "app = get_asgi_application()\n"})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [(".", ("docker-compose.yml",))]


def test_a_database_stack_beside_a_django_project_run_on_the_host_is_a_setup(tmp_path):
    write_files(tmp_path, {"package.json": '{"name": "assets"}\n', "docker-compose.yml": DATABASES_ONLY,
                           "manage.py": MANAGE, "shop/settings.py": "DEBUG = False\n"})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [(".", ("docker-compose.yml",))]


def test_a_stack_of_another_language_project_that_runs_or_builds_django_is_a_setup(tmp_path):
    """The frontend's compose file builds the backend beside it; a published image run with gunicorn is Django."""
    write_files(tmp_path, {"frontend/package.json": "{}\n", "backend/manage.py": MANAGE,
                           "backend/Dockerfile": "FROM python:3.12\n",
                           "frontend/compose.yaml": "services:\n  api:\n    build: ../backend\n  db:\n    image: postgres\n",
                           "hosted/package.json": "{}\n",
                           "hosted/compose.yaml": "services:\n  app:\n    image: example/shop:2.1\n"
                                                  "    command: gunicorn shop.wsgi\n"})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [("backend", ()), ("frontend", ("compose.yaml",)),
                                                              ("hosted", ("compose.yaml",))]


def test_a_compose_file_alone_is_checked_and_a_python_project_keeps_its_stack(tmp_path):
    write_files(tmp_path, {"alone/compose.yaml": DATABASES_ONLY, "py/package.json": "{}\n",
                           "py/pyproject.toml": "[project]\nname = 'x'\n", "py/compose.yaml": DATABASES_ONLY})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [("alone", ("compose.yaml",)), ("py", ("compose.yaml",))]


def test_unrendered_project_templates_are_no_setups(tmp_path):
    """A cookiecutter tree (a ``{{cookiecutter.project_slug}}`` folder) and a ``startproject --template`` repository
    (``{{ project_name }}`` in its compose file or Dockerfile) are templates; a real project beside them is a setup."""
    compose = "services:\n  web:\n    build: .\n    command: gunicorn {{ project_name }}.wsgi -b 0.0.0.0:8000\n"
    write_files(tmp_path, {
        "cookie/{{cookiecutter.project_slug}}/compose/local/django/Dockerfile": "FROM python:3.12\n",
        "cookie/{{cookiecutter.project_slug}}/docker-compose.local.yml":
            "services:\n  django:\n    build:\n      context: .\n      dockerfile: ./compose/local/django/Dockerfile\n"
            "    image: {{ cookiecutter.project_slug }}_local_django\n",
        "cookie/{{cookiecutter.project_slug}}/manage.py": MANAGE,
        "startproject/compose.yaml": compose, "startproject/manage.py": MANAGE,
        "startproject/project_name/wsgi.py": "import os\n"
                                             "os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{{ project_name }}.settings')\n",
        "imagetemplate/Dockerfile": "FROM python:3.12\nCOPY . .\nCMD gunicorn {{project_name}}.wsgi\n",
        "imagetemplate/manage.py": MANAGE,
        "real/compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n",
        "real/Dockerfile": "FROM python:3.12\nCOPY . .\n", "real/manage.py": MANAGE,
        # A real project whose wsgi.py was left unrendered is still checked (DJC405 reports it).
        "real/shop/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{{ project_name }}.settings')\n"})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [("real", ("compose.yaml",))]
    inside = tmp_path / "cookie" / "{{cookiecutter.project_slug}}"
    assert discover([inside]) == []  # run from inside the template's folder too


TOOL_STACK = ("services:\n  mongodb:\n    image: mongo:7\n    ports:\n      - \"27017:27017\"\n"
              "    environment:\n      MONGO_INITDB_ROOT_PASSWORD: gym-import\n")


def test_another_tools_stack_apart_from_the_django_files_is_no_setup(tmp_path):
    """A MongoDB helping an import script, in extras/: nothing in it is Django's or the project's."""
    root = tmp_path / "gym"
    write_files(root, {".git/HEAD": "ref: refs/heads/main\n", "manage.py": MANAGE, "gym/settings.py": "DEBUG = False\n",
                       "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": "FROM python:3.12\n",
                       "extras/food-import/docker-compose.yml": TOOL_STACK})
    assert shape(root.resolve(), discover([root])) == [(".", ("compose.yaml",))]


def test_another_tools_stack_beside_the_django_files_is_no_setup(tmp_path):
    """docker-compose-spark.yml beside the project's docker-compose.yml: a Spark cluster, nothing of Django's. The
    default stack of a folder and an empty compose file standing beside the Dockerfile stay setups."""
    root = tmp_path / "gym"
    spark = "services:\n  spark:\n    image: bitnami/spark\n  worker:\n    image: bitnami/spark\n"
    write_files(root, {".git/HEAD": "ref: refs/heads/main\n", "manage.py": MANAGE, "gym/settings.py": "DEBUG = False\n",
                       "docker-compose.yml": "services:\n  web:\n    build: .\n", "Dockerfile": "FROM python:3.12\n",
                       "docker-compose-spark.yml": spark, "docker-compose-sqlite.yml": "# empty on purpose\n"})
    assert shape(root.resolve(), discover([root])) == [
        (".", ("docker-compose-sqlite.yml",)), (".", ("docker-compose.yml",))]


def test_install_recipe_and_django_stacks_apart_from_the_django_files_are_setups(tmp_path):
    """In a subfolder: the project's published image, a Django command, a build: each is the project's."""
    root = tmp_path / "gym"
    write_files(root, {
        ".git/HEAD": "ref: refs/heads/main\n", "manage.py": MANAGE, "gym/settings.py": "DEBUG = False\n",
        "docs/install/compose.yaml": "services:\n  web:\n    image: ghcr.io/gym-org/gym:2.1\n  db:\n    image: postgres:17\n",
        "deploy/worker/compose.yaml": "services:\n  worker:\n    image: registry.example.com/app:2.1\n"
                                      "    command: celery -A gym worker\n",
        "deploy/web/compose.yaml": "services:\n  web:\n    build: ../..\n",
        "deploy/db/compose.yaml": "services:\n  db:\n    image: ${DB_IMAGE:-postgres:17}\n",
        "docker_compose/storages.yaml": "services:\n  postgres:\n    image: postgres:17\n  cache:\n"
                                        "    image: redis:7-alpine\n"})
    assert shape(root.resolve(), discover([root])) == [
        ("deploy/db", ("compose.yaml",)), ("deploy/web", ("compose.yaml",)), ("deploy/worker", ("compose.yaml",)),
        ("docker_compose", ("storages.yaml",)), ("docs/install", ("compose.yaml",))]


def test_a_harness_in_a_folder_named_for_tests_is_no_setup_unless_given(tmp_path):
    """tests/bugzilla/Dockerfile, postgres-docker/tests/compose.yaml: the test suite starts them, nothing deploys
    them; given to djcheck itself, such a folder is checked. A test server other projects run is an image."""
    root = tmp_path / "tracker"
    write_files(root, {".git/HEAD": "ref: refs/heads/main\n", "manage.py": MANAGE, "tracker/settings.py": "",
                       "Dockerfile": "FROM python:3.12-slim\nRUN pip install django\n",
                       "tests/bugzilla/Dockerfile": "FROM python:3.12-slim\nRUN pip install django\nCMD ./run.sh\n",
                       "postgres-docker/tests/compose.yaml": "services:\n  db:\n    image: postgres:latest\n",
                       "integration_tests/compose.yaml": "services:\n  db:\n    image: postgres:latest\n",
                       "docker/test-server/Dockerfile": "FROM python:3.12\nRUN pip install django\n"})
    assert [str(s.root.relative_to(root.resolve())) for s in discover([root])] == [".", "docker/test-server"]
    assert [str(s.root.relative_to(root.resolve())) for s in discover([root / "postgres-docker" / "tests"])] == [
        "postgres-docker/tests"]


def test_a_compose_file_named_as_a_template_is_no_stack(tmp_path):
    service = "services:\n  web:\n    build: .\n    command: gunicorn shop.wsgi\n"
    write_files(tmp_path, {"compose.yaml": service, "manage.py": MANAGE, "Dockerfile": "FROM python:3.12\n",
                           "deploy/prod-template.yml": service, "deploy/staging_template.yaml": service,
                           "deploy/template.yml": service, "docker-compose.tpl.yml": service,
                           "docker-compose.template.override.yml": "services:\n  web:\n    command: x\n",
                           "docker-compose.example.yml": service, "templates/compose.yml": service})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [
        (".", ("compose.yaml",)), (".", ("docker-compose.example.yml",)), ("templates", ("compose.yml",))]


def test_a_compose_template_the_configuration_names_is_checked(tmp_path):
    from djlint_docker.config import Config

    write_files(tmp_path, {"manage.py": MANAGE, "stack-template.yml": "services:\n  web:\n    build: .\n"})
    root = tmp_path.resolve()
    setups = discover([root], Config(compose_files=((root / "stack-template.yml",),)))
    assert shape(root, setups) == [(".", ("stack-template.yml",))]


def test_a_makefile_gives_the_context_of_a_dockerfile_it_builds(tmp_path):
    """`docker build -f docker/Dockerfile-deb -t app-deb .` in the Makefile: the image is built from the top folder,
    whose .dockerignore applies; a Dockerfile the Makefile does not build keeps its own folder."""
    write_files(tmp_path, {
        "Makefile": "package:\n\tdocker build --force-rm \\\n\t\t-f docker/Dockerfile-deb \\\n\t\t-t app-deb:latest .\n"
                    "\tdocker run --rm app-deb:latest\nother:\n\tdocker build -f $(FILE) .\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = False\n",
        "docker/Dockerfile-deb": "FROM python:3.12-slim\nWORKDIR /src\nCOPY . /src\nRUN pip install django\n",
        "docker/Dockerfile-static": "FROM python:3.12-slim\nCOPY . /srv\nRUN pip install django\n",
        "docker/compose.yaml": "services:\n  web:\n    build:\n      context: ..\n"
                               "      dockerfile: docker/Dockerfile-static\n",
    })
    setup = next(s for s in discover([tmp_path]) if s.compose_files)
    assert setup.context_of(tmp_path / "docker/Dockerfile-deb") == tmp_path


def test_a_folder_of_archived_files_is_no_setup_unless_given(tmp_path):
    """archives/docker-compose.prod.yml and archives/Dockerfile.prod, kept as examples of the past: nothing runs
    them. Given to djcheck itself, the folder is checked."""
    root = tmp_path / "shop"
    write_files(root, {".git/HEAD": "ref: refs/heads/main\n", "manage.py": MANAGE, "shop/settings.py": "",
                       "docker-compose.yml": "services:\n  web:\n    build: .\n", "Dockerfile": "FROM python:3.12\n",
                       "archives/docker-compose.prod.yml": "services:\n  web:\n    build:\n      context: ..\n"
                                                           "      dockerfile: archives/Dockerfile.prod\n",
                       "archives/Dockerfile.prod": "FROM python:3.9\nRUN pip install django gunicorn\n"})
    assert shape(root.resolve(), discover([root])) == [(".", ("docker-compose.yml",))]
    assert discover([root / "archives"]) != []


def test_overrides_compose_file_combines_from_another_folder_are_not_stacks_alone(tmp_path):
    """``COMPOSE_FILE=docker-compose.yml;docker/dev.yml;docker/ocr.yml`` in the committed .env: the overrides in
    ``docker/`` are checked merged, where their paths start from the project folder, and a file no stack combines
    (``docker/ci.yml``) is still a stack of its own."""
    web = "services:\n  api:\n    build: .\n    command: gunicorn config.wsgi -b 0.0.0.0:8000\n"
    write_files(tmp_path, {
        ".env": "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=docker-compose.yml;docker/dev.yml;docker/ocr.yml\n",
        "docker-compose.yml": web, "manage.py": MANAGE, "Dockerfile": "FROM python:3.12\n",
        "docker/Dockerfile": "FROM python:3.12\n", "docker/dev.yml": "services:\n  api:\n    image: shop/api:dev\n    build:\n      context: .\n"
                          "      target: runtime-dev\n    volumes:\n      - ./shop:/opt/app/shop\n",
        "docker/ocr.yml": "services:\n  api:\n    environment:\n      OCR: '1'\n",
        "docker/ci.yml": "services:\n  api:\n    image: shop/api:ci\n    build:\n      context: .\n"
                         "    command: pytest\n"})
    assert shape(tmp_path.resolve(), discover([tmp_path])) == [
        (".", ("docker-compose.yml", "dev.yml", "ocr.yml")), ("docker", ("ci.yml",))]
