"""Causes of false findings the ninety-second blind review found, each pinned where it lives (session 30)."""

from __future__ import annotations

from pathlib import Path

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
