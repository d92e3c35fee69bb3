"""Causes of false findings the ninety-second blind review found, each pinned where it lives (session 30)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import rule_findings, write_files

INSTALL_COMPOSE = ("services:\n  api:\n    image: acme/cloud:api-1.0\n    env_file:\n      - .envs/.django\n"
                   "      - .envs/.postgres\n    ports:\n      - \"8000:8000\"\n"
                   "  postgres:\n    image: acme/cloud:db-1.0\n    env_file:\n      - .envs/.postgres\n"
                   "    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg: {}\n")


def _installer(writes: str) -> str:
    """A setup script beside the compose file that installs the stack into a folder of the server."""
    return ("#!/usr/bin/env bash\nset -euo pipefail\nINSTALL_PATH=\"/srv/cloud\"\nmkdir -p \"$INSTALL_PATH/.envs\"\n"
            "SECRET=$(openssl rand -hex 32)\n" + writes
            + "curl -sSL -o \"$INSTALL_PATH/docker-compose.yml\" https://example.org/install/docker-compose.yml\n")


def test_env_files_an_installer_writes_into_its_folder_exist(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "install/docker-compose.yml": INSTALL_COMPOSE,
        "install/app_manager.sh": _installer("cat <<EOF > \"$INSTALL_PATH/.envs/.django\"\nSECRET_KEY=$SECRET\nEOF\n"
                                             "cat <<EOF > \"${INSTALL_PATH}/.envs/.postgres\"\nPOSTGRES_PASSWORD=x\n"
                                             "EOF\n"),
        "manage.py": "#!/usr/bin/env python\nimport os\n",
    })
    assert rule_findings(tmp_path, "DJC211") == []


def test_an_env_file_the_installer_does_not_write_is_still_missing(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "install/docker-compose.yml": INSTALL_COMPOSE,
        # only the Django one is written; nothing makes .envs/.postgres, and $HOME is not the stack's folder
        "install/app_manager.sh": _installer("cat <<EOF > \"$INSTALL_PATH/.envs/.django\"\nSECRET_KEY=$SECRET\nEOF\n"
                                             "echo x > \"$HOME/.envs/.postgres\"\n"),
        "manage.py": "#!/usr/bin/env python\nimport os\n",
    })
    [(path, line, message)] = rule_findings(tmp_path, "DJC211")
    assert (path, line) == ("install/docker-compose.yml", 6)
    assert ".envs/.postgres" in message


DEV_RUNSERVER = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r "
                  "requirements.txt\nCOPY . .\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
    "docker-compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n    ports:\n"
                           "      - \"8000:8000\"\n",
    "requirements.txt": "django>=5.2,<6\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'project.settings')\n",
    "project/__init__.py": "",
    "project/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'project.settings')\n",
    "project/settings.py": "DEBUG = True\nSECRET_KEY = 'django-insecure-0123456789abcdefghijklmnopqrstuvwxyz0123456789ab'\n"
                           "ALLOWED_HOSTS = ['.vercel.app', 'localhost']\n",
}
VERCEL = ('{\n  "version": 2,\n  "builds": [{"src": "project/wsgi.py", "use": "@vercel/python"}],\n'
          '  "routes": [{"src": "/(.*)", "dest": "project/wsgi.py"}]\n}\n')


@pytest.mark.parametrize("deployment", [{"vercel.json": VERCEL},
                                        {"fabfile.py": "from fabric.api import env, run\n\nenv.hosts = ['app']\n"}])
def test_a_docker_setup_for_development_beside_a_deployment_without_docker(tmp_path: Path,
                                                                          deployment: dict[str, str]) -> None:
    """Vercel's Python builder or a Fabric script deploys the project: the runserver image is the developer's."""
    write_files(tmp_path, {**DEV_RUNSERVER, **deployment})
    assert rule_findings(tmp_path, "DJC102") == []
    # the settings are what the deployment loads: DEBUG on ships there
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC301")] == [1]


@pytest.mark.parametrize("other", [{}, {"vercel.json": '{"framework": "nextjs", "buildCommand": "next build"}\n'},
                                   {"fabfile.py": "# tasks for the team, no Fabric\ndef hello():\n    pass\n"}])
def test_a_docker_setup_alone_is_what_ships(tmp_path: Path, other: dict[str, str]) -> None:
    """No deployment beside it (a frontend's vercel.json deploys no Python): the runserver image is what ships."""
    write_files(tmp_path, {**DEV_RUNSERVER, **other})
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC102")] == [6]
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC301")] == [1]


GUNICORN_BEHIND_NGINX = {
    **DEV_RUNSERVER,
    "Dockerfile": DEV_RUNSERVER["Dockerfile"].replace('CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]',
                                                      'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "project.wsgi"]'),
    "requirements.txt": "django>=5.2,<6\ngunicorn==23.0.0\n",
    "vercel.json": VERCEL,
}


@pytest.mark.parametrize(("ports", "reported"), [("      - \"80:80\"\n      - \"443:443\"\n", [5]),
                                                 ("      - \"8080:80\"\n", [])])
def test_gunicorn_on_the_mounted_source_behind_the_https_port_is_deployed(
        tmp_path: Path, ports: str, reported: list[int]) -> None:
    """The stack publishes 443: the site is served from it, mounted source or not; without, it is a developer's."""
    compose = ("services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n  nginx:\n    image: nginx:1.27\n"
               "    depends_on:\n      - web\n    ports:\n" + ports)
    write_files(tmp_path, {**GUNICORN_BEHIND_NGINX, "docker-compose.yaml": compose})
    # deployed, the container runs the checkout mounted over the image's code
    assert [line for _, line, _ in rule_findings(tmp_path, "DJC219")] == reported
