"""Discovery by content: compose files under any name, the stacks Compose runs, Dockerfiles under any name."""

from __future__ import annotations

import pytest
from conftest import write_files

import djlint_docker.discover as discover_module
from djlint_docker.discover import discover
from djlint_docker.parse.compose import outline
from djlint_docker.rules.snippets import MANAGE

WEB = "services:\n  django:\n    build:\n      context: .\n      dockerfile: ./compose/local/django/Dockerfile\n"
DB = "  postgres:\n    image: postgres:16\n"


def stacks(root, **options):
    root = root.resolve()
    return sorted((str(s.root.relative_to(root)), tuple(str(f.relative_to(root)) for f in s.compose_files))
                  for s in discover([root], **options))


@pytest.mark.parametrize("name", ["local.yml", "production.yml", "docker-local.yml", "docker_compose/app.yaml",
                                  "deploy/stack.yml", "ops/docker/prod.yaml"])
def test_a_compose_file_under_any_name_in_any_folder(tmp_path, name):
    write_files(tmp_path, {name: "version: '3.8'\nx-app: &app\n  restart: always\n" + WEB + DB, "manage.py": MANAGE})
    folder = name.rpartition("/")[0] or "."
    assert stacks(tmp_path) == [(folder, (name,))]


OTHER_TOOLS = {
    ".gitlab-ci.yml": "stages:\n  - test\nservices:\n  - postgres:16\ntest:\n  image: python:3.12\n  script: pytest\n",
    ".github/workflows/ci.yml": "name: CI\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n"
                                "      postgres:\n        image: postgres:16\n",
    "render.yaml": "services:\n  - type: web\n    name: app\n    env: docker\n",
    "traefik.yml": "entryPoints:\n  web:\n    address: ':80'\nhttp:\n  services:\n    app:\n      loadBalancer:\n"
                   "        servers:\n          - url: http://django:5000\n",
    "k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                           "        - name: web\n          image: app:1.0\n",
    "chart/values.yaml": "services:\n  web:\n    image:\n      repository: app\n      tag: '1.0'\n",
    "mkdocs.yml": "site_name: docs\nnav:\n  - index.md\n",
    ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks: []\n",
    "fly.yml": "services:\n  - internal_port: 8000\n",
}


def test_ci_kubernetes_helm_and_proxy_configs_are_left_alone(tmp_path):
    write_files(tmp_path, {**OTHER_TOOLS, "Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE})
    assert stacks(tmp_path) == [(".", ())]


def test_a_yaml_file_of_another_tool_is_read_no_further_than_its_first_lines(tmp_path, monkeypatch):
    big = "stages:\n" + "  - step\n" * 50_000
    write_files(tmp_path, {"pipeline.yml": big, "compose.yaml": "services:\n  web:\n    image: app:1.0\n"})
    reads = []
    original = discover_module._read
    monkeypatch.setattr(discover_module, "_read", lambda path, limit: reads.append((path.name, limit)) or original(
        path, limit))
    discover([tmp_path])
    assert ("pipeline.yml", discover_module.HEAD_BYTES) in reads
    assert [limit for name, limit in reads if name == "pipeline.yml"] == [discover_module.HEAD_BYTES]


def test_gitignored_yaml_files_and_virtualenvs_are_never_read_whole(tmp_path, monkeypatch):
    files = {".git/HEAD": "ref: refs/heads/main\n", ".gitignore": "/build/\nlocal-*.yml\n",
             "build/local.yml": WEB + "# padding\n" * 1000, "local-me.yml": WEB, "env/pyvenv.cfg": "home = /usr\n", "env/stack.yml": WEB,
             "node_modules/x/local.yml": WEB, "site/production.yml": WEB}
    write_files(tmp_path, files)
    reads = []
    original = discover_module._read
    monkeypatch.setattr(discover_module, "_read", lambda path, limit: reads.append(path.name) or original(path, limit))
    assert stacks(tmp_path) == [("site", ("site/production.yml",))]
    assert ("local.yml", discover_module.MAX_COMPOSE_BYTES) not in reads  # its first lines only
    assert "stack.yml" not in reads  # the walk skips the virtualenv


def test_an_override_is_merged_with_its_base_not_checked_alone(tmp_path):
    write_files(tmp_path, {"docker-compose.yml": "services:\n  web:\n    build: .\n  db:\n    image: postgres:16\n",
                           "docker-compose.dev.yml": "services:\n  web:\n    command: python manage.py runserver\n",
                           "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    depends_on: [db]\n",
                           "docker-compose.standalone.yml": "services:\n  web:\n    image: app:1.0\n",
                           "manage.py": MANAGE})
    assert stacks(tmp_path) == [  # the base the development and production overlays share is not run alone
        (".", ("docker-compose.standalone.yml",)),
        (".", ("docker-compose.yml", "docker-compose.dev.yml")), (".", ("docker-compose.yml", "docker-compose.prod.yml"))]


def test_an_override_takes_the_base_whose_name_it_extends(tmp_path):
    base = "services:\n  netbox:\n    image: netbox:v4.1\n"
    write_files(tmp_path, {"docker-compose.yml": base, "docker-compose.override.yml": "services: {}\n",
                           "docker-compose.test.yml": base,
                           "docker-compose.test.override.yml": "services:\n  netbox:\n    ports: ['8000:8080']\n"})
    assert (".", ("docker-compose.test.yml", "docker-compose.test.override.yml")) in stacks(tmp_path)
    assert (".", ("docker-compose.yml", "docker-compose.override.yml")) in stacks(tmp_path)


def test_an_override_in_a_subfolder_takes_a_base_above_it(tmp_path):
    write_files(tmp_path, {"docker-compose.yml": "services:\n  web:\n    build: .\n  postgres:\n    image: postgres:16\n",
                           "docker/ci.yml": "services:\n  test:\n    build:\n      context: .\n      target: test\n"
                                            "    depends_on:\n      - postgres\n"})
    assert stacks(tmp_path) == [(".", ("docker-compose.yml",)), (".", ("docker-compose.yml", "docker/ci.yml"))]


def test_an_override_with_a_reset_service(tmp_path):
    write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build: .\n  mail:\n    image: mailpit:v1.20\n",
                           "compose.ci.yaml": "services:\n  mail: !reset\n  web:\n    environment:\n      CI: '1'\n"})
    assert stacks(tmp_path) == [(".", ("compose.yaml",)), (".", ("compose.yaml", "compose.ci.yaml"))]


def test_compose_file_in_the_env_names_the_stack(tmp_path):
    write_files(tmp_path, {".env": "COMPOSE_FILE=docker-compose.yml;docker/dev.yml\nCOMPOSE_PATH_SEPARATOR=;\n",
                           "docker-compose.yml": "services:\n  web:\n    build: .\n",
                           "docker-compose.override.yml": "services:\n  web:\n    ports: ['8000:8000']\n",
                           "docker/dev.yml": "services:\n  web:\n    command: python manage.py runserver 0:8000\n"})
    assert stacks(tmp_path) == [(".", ("docker-compose.yml", "docker/dev.yml"))]


def test_compose_file_with_the_default_separator_in_a_template(tmp_path):
    write_files(tmp_path, {".env.example": "COMPOSE_FILE=compose.yaml:compose.prod.yaml\n",
                           "compose.yaml": "services:\n  web:\n    build: .\n",
                           "compose.prod.yaml": "services:\n  web:\n    command: gunicorn app.wsgi\n"})
    assert stacks(tmp_path) == [(".", ("compose.yaml", "compose.prod.yaml"))]


@pytest.mark.parametrize("name", ["Containerfile", "Dockerfile.prod", "web.Dockerfile", "api.dockerfile",
                                  "dockerfile", "Dockerfile_production"])
def test_a_dockerfile_under_any_name_docker_builds(tmp_path, name):
    write_files(tmp_path, {f"app/{name}": "FROM python:3.12-slim\n", "app/manage.py": MANAGE})
    setups = discover([tmp_path])
    assert [(s.root.name, [d.name for d in s.dockerfiles]) for s in setups] == [("app", [name])]


def test_a_django_image_no_compose_file_builds_is_an_image_of_its_own(tmp_path):
    write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build:\n      context: .\n"
                                           "      dockerfile: docker/dev/Dockerfile\n",
                           "docker/dev/Dockerfile": "FROM python:3.12-slim\nRUN pip install django\n",
                           "docker/prod/Dockerfile": "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
                           "docker/assets/Dockerfile": "FROM node:22-slim\nRUN npm ci\n",
                           "docker/tmpl/Dockerfile": "FROM python:3.12\n{% if celery %}RUN pip install django{% endif %}\n",
                           "manage.py": MANAGE})
    setups = discover([tmp_path])
    assert sorted((str(s.root.relative_to(tmp_path.resolve())), [d.name for d in s.dockerfiles]) for s in setups) == [
        (".", []), ("docker/prod", ["Dockerfile"])]
    prod = next(s for s in setups if s.root.name == "prod")
    assert [p.name for p in prod.python_files] == ["manage.py"]  # the Django project above it


def test_outline_reads_what_discovery_needs():
    found = outline("x-app: &app\n  build: .\nservices:\n  web:\n    <<: *app\n    depends_on:\n    - db\n"
                    "  worker:\n    command: celery\n    depends_on: {redis: {condition: service_started}}\n"
                    "  gone: !reset\n  'quoted':\n    image: \"app:1\"  # pinned\n")
    assert found is not None and found.is_compose
    assert found.services == ("web", "worker", "gone", "quoted")
    assert found.sourced == {"web", "quoted"}
    assert found.needs == {"worker", "db", "redis"}


def test_outline_reads_the_mapping_a_merge_key_defines_in_place():
    found = outline("services:\n  web:\n    <<: &web\n      image: app:dev\n      build:\n        context: .\n"
                    "        dockerfile: ./docker/django/Dockerfile\n    depends_on:\n      - db\n"
                    "    environment:\n      image: not-a-key-of-the-service\n  db:\n    image: postgres:16\n")
    assert found is not None and found.builds == (("." , "./docker/django/Dockerfile"),)
    assert found.sourced == {"web", "db"} and found.references == {"db"}


def test_outline_is_linear_on_long_lines():
    import time

    start = time.perf_counter()
    outline("services:\n  a" + " " * 200_000 + "b\n" + "    k" + " b" * 100_000 + ":\n")
    assert time.perf_counter() - start < 0.5


def test_a_dockerfile_kept_in_a_subfolder_is_built_from_the_folder_holding_what_it_copies(tmp_path):
    from djlint_docker.project import Project

    root = write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n",
        "Dockerfile": "FROM python:3.12-slim\nRUN pip install django\n",
        "docker/prod/Dockerfile": "FROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\n"
                                  "COPY requirements/ /app/requirements/\nCOPY ./src /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "requirements/base.txt": "django==5.1.4\n", "src/manage.py": MANAGE}).resolve()
    setup = next(s for s in discover([root]) if s.root.name == "prod")
    assert setup.context_of(root / "docker/prod/Dockerfile") == root
    assert [build.context for build in Project(setup, root).builds] == [root]


def test_a_production_file_in_a_subfolder_whose_paths_start_from_the_folder_above(tmp_path):
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build:\n      context: .\n"
                              "      dockerfile: ./docker/django/Dockerfile\n",
        "docker/docker-compose.prod.yml": "services:\n  caddy:\n    build:\n      context: .\n"
                                          "      dockerfile: ./docker/caddy/Dockerfile\n    depends_on: [web]\n"
                                          "  web:\n    build:\n      target: production\n",
        "docker/django/Dockerfile": "FROM python:3.12-slim\n", "docker/caddy/Dockerfile": "FROM caddy:2.8\n"})
    assert stacks(tmp_path) == [(".", ("docker-compose.yml",)), (".", ("docker-compose.yml", "docker/docker-compose.prod.yml"))]


def test_a_django_image_in_its_own_folder_for_the_project_above_it(tmp_path):
    root = write_files(tmp_path, {"docker/Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\n"
                                                       "RUN pip install -r requirements.txt\nCOPY . /app\n"
                                                       "CMD [\"gunicorn\", \"app.wsgi\"]\n",
                                  "docker/nginx/Dockerfile": "FROM nginx:1.27\n",
                                  "requirements.txt": "django==5.1.4\n", "manage.py": MANAGE}).resolve()
    [setup] = discover([root])
    assert setup.root == root / "docker" and setup.context_of(root / "docker/Dockerfile") == root


def test_a_devcontainer_default_file_that_only_adds_to_the_project_services(tmp_path):
    write_files(tmp_path, {"docker-compose.yml": "services:\n  web:\n    build: .\n  db:\n    image: postgres:16\n",
                           ".devcontainer/docker-compose.yml": "services:\n  web:\n    command: sleep infinity\n"})
    assert stacks(tmp_path) == [(".", ("docker-compose.yml",)),
                                (".", ("docker-compose.yml", ".devcontainer/docker-compose.yml"))]


def test_a_file_another_one_includes_or_extends_from_is_no_stack_of_its_own(tmp_path):
    write_files(tmp_path, {"compose.yaml": "include:\n  - path: db.compose.yaml\nservices:\n  web:\n"
                                           "    extends:\n      file: common-services.yml\n      service: app\n",
                           "db.compose.yaml": "services:\n  db:\n    image: postgres:16\n",
                           "common-services.yml": "services:\n  app:\n    build: .\n",
                           "compose.prod.yaml": "services:\n  web:\n    image: acme/web:1.4\n"})
    assert stacks(tmp_path) == [(".", ("compose.prod.yaml",)), (".", ("compose.yaml",))]



def test_the_combinations_a_launch_script_runs_are_the_stacks(tmp_path):
    """dc.sh runs `docker-compose -f docker-compose.yml -f docker-compose.build.yml -f docker-compose.dev.yml`
    (through a variable): the build overlay, which gives each service of the base only its `build:`, is checked
    merged as the project runs it, not alone."""
    base = "services:\n  web:\n    image: shop/web\n    depends_on: [db]\n  db:\n    image: postgres:16\n"
    write_files(tmp_path, {
        "docker-compose.yml": base,
        "docker-compose.build.yml": "services:\n  web:\n    build: .\n  db:\n    build: ./deploy/db\n",
        "docker-compose.dev.yml": "services:\n  web:\n    command: python manage.py runserver 0.0.0.0:8000\n",
        "dc.sh": "#!/bin/bash\nDC=\"docker-compose -f docker-compose.yml -f docker-compose.build.yml \\\n"
                 "    -f docker-compose.dev.yml\"\n${DC} build && ${DC} up\n",
        "manage.py": MANAGE})
    assert stacks(tmp_path) == [
        (".", ("docker-compose.yml",)),
        (".", ("docker-compose.yml", "docker-compose.build.yml", "docker-compose.dev.yml"))]


def test_the_combination_a_pipeline_deploys_is_a_stack(tmp_path):
    """The deploy job merges the production file with the swarm overlay through the workflow's variables
    (`-f ${{ env.PROD_COMPOSE }} -f ${{ env.STACK_FILE }}`): the overlay is checked merged, not alone."""
    write_files(tmp_path, {
        "docker-compose.yml": "services:\n  web:\n    build: .\n",
        "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n",
        "docker-stack.yml": "services:\n  web:\n    image: ${CONTAINER_IMAGE}\n    deploy:\n      replicas: 2\n",
        ".github/workflows/deploy.yml": "on: push\nenv:\n  PROD_COMPOSE: docker-compose.prod.yml\n"
                                        "  STACK_FILE: docker-stack.yml\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
                                        "    steps:\n      - run: docker-compose -f ${{ env.PROD_COMPOSE }} -f "
                                        "${{ env.STACK_FILE }} config > stack.yml\n",
        "manage.py": MANAGE})
    assert (".", ("docker-compose.prod.yml", "docker-stack.yml")) in stacks(tmp_path)
    assert (".", ("docker-stack.yml",)) not in stacks(tmp_path)
