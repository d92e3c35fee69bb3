"""The causes the seventeenth session found on real repositories, each with the true finding beside it."""

from __future__ import annotations

from pathlib import Path

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.engine import all_rules  # noqa: F401 (imports the rules, which registers them)
from djlint_docker.parse.compose import parse_compose
from djlint_docker.registry import REGISTRY
from djlint_docker.rules.snippets import MANAGE

DEPLOYED = ("services:\n  web:\n    image: ghcr.io/acme/shop:1.4\n    env_file: .env\n"
            "    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n    depends_on: [redis]\n"
            "  redis:\n    image: redis:7.4\n")
"""A stack the pipeline deploys, reading the .env that each clone (or the pipeline) makes."""
CACHE_SETTINGS = ("import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                  "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n"
                  "                      'LOCATION': os.environ.get('REDIS_URL', 'redis://localhost:6379/1')}}\n")
WRITES_THE_ENV_FILE = ("jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
                       "      - run: |\n          {\n            echo \"SECRET_KEY=${{ secrets.SECRET_KEY }}\";\n"
                       "            echo \"REDIS_URL=redis://redis:6379/1\";\n          } > .env\n"
                       "          echo \"HOST=${{ secrets.HOST }}\" >> $GITHUB_ENV\n"
                       "          docker compose -f compose.prod.yml up -d\n")
"""A deploy job that writes the whole .env from its secrets and literals, then starts the stack."""


def _deployed_project(tmp_path: Path, pipeline: str, template: str) -> Path:
    return write_files(tmp_path, {
        "compose.prod.yml": DEPLOYED, ".gitignore": ".env\n", ".env.example": template, "manage.py": MANAGE,
        "shop/settings.py": CACHE_SETTINGS, ".github/workflows/deploy.yml": pipeline,
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"shop.wsgi\"]\n"})


def _lines(root: Path, code: str) -> list[tuple[str, int]]:
    return [(Path(finding.path).name, finding.line) for finding in lint(root, [REGISTRY[code]]) if finding.code == code]


def test_env_file_a_pipeline_writes_gives_the_deployed_values(tmp_path: Path) -> None:
    """The deploy job writes REDIS_URL into the .env the stack reads: the template a developer copies (which lacks
    it) says nothing of the deployed cache, and the cache is on the redis service."""
    root = _deployed_project(tmp_path, WRITES_THE_ENV_FILE, "SECRET_KEY=change-me\nDEBUG=False\n")
    assert _lines(root, "DJC313") == []


def test_env_file_the_pipeline_only_appends_to_keeps_the_template(tmp_path: Path) -> None:
    """A job that only appends to the copy of the template leaves its values: the template's localhost cache is
    what the stack gets, and is reported."""
    pipeline = WRITES_THE_ENV_FILE.replace("\"REDIS_URL=redis://redis:6379/1\"", "\"IMAGE_TAG=1.4\"") \
        .replace("} > .env", "} >> .env")
    root = _deployed_project(tmp_path, pipeline, "SECRET_KEY=change-me\nREDIS_URL=redis://localhost:6379/1\n")
    assert _lines(root, "DJC313") == [("settings.py", 3)]


def test_env_file_a_test_job_writes_of_literals_says_nothing_of_the_deployment(tmp_path: Path) -> None:
    """A test job that writes throwaway literals (no secret) into the .env runs its own stack: the deployed .env is
    the template's copy, which leaves REDIS_URL unset (localhost), and that is reported."""
    pipeline = WRITES_THE_ENV_FILE.replace("${{ secrets.SECRET_KEY }}", "test-key")
    root = _deployed_project(tmp_path, pipeline, "SECRET_KEY=change-me\nDEBUG=False\n")
    assert _lines(root, "DJC313") == [("settings.py", 3)]


def test_without_the_pipeline_the_default_of_the_unset_variable_is_reported(tmp_path: Path) -> None:
    """With no pipeline writing it, the .env is the template's copy, which leaves REDIS_URL unset: localhost."""
    root = _deployed_project(tmp_path, "jobs: {}\n", "SECRET_KEY=change-me\nDEBUG=False\n")
    assert _lines(root, "DJC313") == [("settings.py", 3)]


def test_build_push_action_gives_the_context_of_the_dockerfile_it_builds(tmp_path: Path) -> None:
    """``docker/build-push-action`` with ``context: .`` and ``file: deployment/Dockerfile``: the image is built from
    the top folder, not the Dockerfile's; a ``file:`` of another action says nothing."""
    write_files(tmp_path, {
        ".github/workflows/ci.yml": "jobs:\n  build:\n    steps:\n      - uses: docker/build-push-action@v6\n"
                                    "        with:\n          context: .\n          file: deployment/Dockerfile\n"
                                    "          push: true\n      - uses: codecov/codecov-action@v4\n"
                                    "        with:\n          file: deployment/coverage.xml\n",
        "manage.py": MANAGE, "app/__init__.py": "", "app/settings.py": "DEBUG = False\n",
        "deployment/Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install django\n",
        "deployment/compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/app:1\n"})
    setup = next(s for s in discover([tmp_path]) if (tmp_path / "deployment/Dockerfile") in s.dockerfiles)
    assert setup.context_of(tmp_path / "deployment/Dockerfile") == tmp_path


def test_absolute_dockerfile_path_is_shown_as_written(tmp_path: Path) -> None:
    """``dockerfile: /docker/local/Dockerfile`` is a path on the host, which lacks it: the finding shows it as
    written, not as a climb of ``../`` from where djcheck runs."""
    root = write_files(tmp_path, {"compose.yaml": "services:\n  web:\n    build:\n      context: .\n"
                                                  "      dockerfile: /docker/local/django/Dockerfile\n",
                                  "docker/local/django/Dockerfile": "FROM python:3.12-slim\n", "manage.py": MANAGE})
    messages = [finding.message for finding in lint(root) if finding.code == "DJC002"]
    assert messages == ["/docker/local/django/Dockerfile does not exist"]


def test_build_context_in_a_repository_cloned_beside_is_not_missing(tmp_path: Path) -> None:
    """``context: ../shop-frontend`` is another repository the README has the user clone beside this one: absent
    here, it is no missing folder of the project; a folder of the project that is absent is, and so is a folder
    beside it that no instruction names (a path left from the author's machine)."""
    compose = ("services:\n  web:\n    build: .\n  frontend:\n    build: ../shop-frontend\n"
               "  docs:\n    build: ./docs\n  admin:\n    build: ../Downloads/admin\n")
    root = write_files(tmp_path / "shop", {"compose.yaml": compose, "manage.py": MANAGE,
                                           "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
                                           "README.md": "Clone the front end beside this repository:\n\n"
                                                        "    git clone https://example.com/acme/shop-frontend\n"})
    messages = [finding.message for finding in lint(root) if finding.code == "DJC002"]
    assert messages == ["build context docs does not exist", "build context ../Downloads/admin does not exist"]


def test_version_1_dockerfile_beside_build_is_read_from_the_context(tmp_path: Path) -> None:
    """The version 1 format writes ``dockerfile:`` beside ``build: ../..``; the path starts from the context, as in a
    ``build:`` mapping: the Dockerfile is there, and the image is built from the top folder, whose .dockerignore
    applies."""
    root = write_files(tmp_path, {
        "docker/dev/docker-compose.yml": "django:\n  build: ../..\n  dockerfile: docker/dev/Dockerfile\n",
        "docker/dev/Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nADD . /app\n",
        ".dockerignore": ".git\n.env\n", "manage.py": MANAGE})
    codes = {finding.code for finding in lint(root)}
    assert "DJC002" not in codes and "DJC401" not in codes
    assert "DJC001" in codes  # the version 1 format itself, which Compose refuses


def test_bind_source_made_of_an_unset_variable_is_the_users_folder() -> None:
    """``./${DATA_DIR}:/recordings`` with DATA_DIR unset (a fresh clone, no .env) is the folder each user names, not
    the compose file's own folder; a source with the variable set, or written plainly, is that path."""
    text = ("services:\n  web:\n    image: shop\n    volumes:\n      - ./${DATA_DIR}:/recordings\n"
            "      - ./${LOGS:-logs}:/logs\n      - .:/app\n")
    stack = parse_compose([(Path("/p/compose.yaml"), text)], {}, lambda path: None)
    sources = [mount.source for mount in stack.services["web"].volumes]
    assert sources == [None, "/p/logs", "/p"]
    given = parse_compose([(Path("/p/compose.yaml"), text)], {"DATA_DIR": "data"}, lambda path: None)
    assert given.services["web"].volumes[0].source == "/p/data"


def test_compose_file_whose_paths_start_from_the_folder_above(tmp_path: Path) -> None:
    """``docker/docker-compose.prod.yml`` mounts ``./docker/caddy/Caddyfile``, which is there from the top folder and
    not below ``docker/``: the file is run from the top (``-f docker/docker-compose.prod.yml``), its mount's source
    exists and its ``build: .`` is the top folder. A ``dockerfile:`` that names its folder (``./tests/Dockerfile``
    beside ``context: ..``) starts from the build context, and a command's path is the container's: neither says
    where the file is run."""
    web = ("  web:\n    build:\n      context: {context}\n      dockerfile: {dockerfile}\n"
           "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n")
    root = write_files(tmp_path, {
        "docker/docker-compose.prod.yml": "services:\n  caddy:\n    image: caddy:2.8\n    volumes:\n"
                                          "      - ./docker/caddy/Caddyfile:/etc/caddy/Caddyfile\n"
                                          + web.format(context=".", dockerfile="docker/Dockerfile"),
        "docker/caddy/Caddyfile": ":80 {\n  reverse_proxy web:8000\n}\n",
        "docker/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "manage.py": MANAGE,
        "app/__init__.py": "", "app/wsgi.py": "", ".dockerignore": ".git\n.env\n",
        "tests/docker-compose.yaml": "services:\n" + web.format(context="..", dockerfile="./tests/Dockerfile"),
        "tests/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
        # a command's path is the container's, whatever folder it names
        "deploy/compose.yml": "services:\n" + web.format(context="..", dockerfile="deploy/Dockerfile").replace(
            "gunicorn app.wsgi -b 0.0.0.0:8000", "sh ./deploy/start.sh"),
        "deploy/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "deploy/start.sh": "exec gunicorn app.wsgi\n"})
    assert not {"DJC002", "DJC220"} & {finding.code for finding in lint(root)}
