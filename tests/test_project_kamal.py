"""A Kamal deployment (``config/deploy.yml``) or Heroku's ``heroku.yml`` builds the project's Dockerfile and runs it
on servers: the project is deployed, its compose stack serves development, and the image Kamal ships is still
judged."""

from __future__ import annotations

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project

KAMAL = ("# Name of your application.\nservice: shop\n\nimage: acme/shop\n\nservers:\n  web:\n    - 192.0.2.10\n"
         "\nbuilder:\n  arch: amd64\n\nenv:\n  secret:\n    - SECRET_KEY\n")
FILES = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    "shop/__init__.py": "", "shop/wsgi.py": "",
    "shop/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
    "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\n"
                  "RUN pip install --no-cache-dir django gunicorn\n",  # Kamal's `cmd:` or the compose command starts it
    "compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    ports:\n      - 3306:3306\n"
                    "    environment:\n      - MYSQL_ROOT_PASSWORD=dev123\n"
                    "  app:\n    build: .\n    env_file: ./.env.local\n"
                    "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n",
    ".env.local": "SECRET_KEY=local\n",
}


def codes(root) -> set[str]:
    return {finding.code for finding in lint(root)}


def test_a_kamal_configuration_is_a_deployment_of_the_dockerfile(tmp_path):
    write_files(tmp_path, {**FILES, "config/deploy.staging.yml": KAMAL})
    setups = discover([tmp_path])
    project = Project(next(s for s in setups if s.compose_files), tmp_path, siblings=setups)
    assert "config/deploy.staging.yml" in project.deployments
    found = codes(tmp_path)
    assert not found & {"DJC207", "DJC210"}  # the development stack's throwaway database
    assert "DJC108" in found  # the image Kamal runs on the servers runs as root


def test_without_it_the_development_stack_is_what_ships(tmp_path):
    write_files(tmp_path, {**FILES, "config/deploy.yml": "# not Kamal's\nlevel: info\n"})
    assert {"DJC207", "DJC210", "DJC108"} <= codes(tmp_path)


def test_heroku_yml_deploys_the_dockerfile_it_builds(tmp_path):
    """heroku.yml's `build: docker: web: Dockerfile`: Heroku builds and runs that image, as an unprivileged user;
    the compose stack beside it serves development."""
    write_files(tmp_path, {**FILES, "heroku.yml": "setup:\n  addons:\n  - plan: heroku-postgresql\nbuild:\n  docker:\n"
                                                  "    web: Dockerfile\nrun:\n  web: gunicorn shop.wsgi\n"})
    setups = discover([tmp_path])
    project = Project(next(s for s in setups if s.compose_files), tmp_path, siblings=setups)
    assert "heroku.yml" in project.deployments
    assert not codes(tmp_path) & {"DJC207", "DJC210", "DJC108"}
