"""Generate a whole Django + React repository of a given size, for timing djcheck on real-sized trees.

Usage: python bench/tree.py FOLDER [--files N]

The layout is that of a public starter: a Django backend (apps with migrations,
templates, static files, ``__pycache__``), a React frontend with its ``node_modules``,
``.git`` objects, a virtualenv, several setups (the root stack with its override and a
production stack, both building the root context; a worker with a compose file of its
own), the ``.dockerignore`` the VS Code Docker extension generates and a 77-pattern
``.gitignore``. About a fifth of the files are source, a half ``node_modules``, the rest
``.git``, the virtualenv and build output: the proportions of such a repository.
"""

from __future__ import annotations

import argparse
from pathlib import Path

# The 24 patterns the VS Code Docker extension writes into every .dockerignore it generates.
VSCODE_DOCKERIGNORE = """\
**/.classpath
**/.dockerignore
**/.env
**/.git
**/.gitignore
**/.project
**/.settings
**/.toolstarget
**/.vs
**/.vscode
**/*.*proj.user
**/*.dbmdl
**/*.jfm
**/charts
**/docker-compose*
**/compose*
**/Dockerfile*
**/node_modules
**/npm-debug.log
**/obj
**/secrets.dev.yaml
**/values.dev.yaml
LICENSE
README.md
"""

# A Python and Node .gitignore of 77 patterns, of the kinds GitHub's templates hold.
GITIGNORE_PATTERNS = [
    "__pycache__/", "*.py[cod]", "*$py.class", "*.so", ".Python", "build/", "develop-eggs/", "dist/", "downloads/",
    "eggs/", ".eggs/", "lib/", "lib64/", "parts/", "sdist/", "var/", "wheels/", "share/python-wheels/",
    "*.egg-info/", ".installed.cfg", "*.egg", "MANIFEST", "*.manifest", "*.spec", "pip-log.txt",
    "pip-delete-this-directory.txt", "htmlcov/", ".tox/", ".nox/", ".coverage", ".coverage.*", ".cache",
    "nosetests.xml", "coverage.xml", "*.cover", "*.py,cover", ".hypothesis/", ".pytest_cache/", "cover/", "*.mo",
    "*.pot", "*.log", "local_settings.py", "db.sqlite3", "db.sqlite3-journal", "instance/", ".webassets-cache",
    ".scrapy", "docs/_build/", ".pybuilder/", "target/", ".ipynb_checkpoints", "profile_default/",
    "ipython_config.py", ".pdm.toml", "__pypackages__/", "celerybeat-schedule", "celerybeat.pid", "*.sage.py",
    ".env", ".venv", "env/", "venv/", "ENV/", "env.bak/", "venv.bak/", ".spyderproject", ".spyproject",
    ".ropeproject", "/site", ".mypy_cache/", ".dmypy.json", "dmypy.json", ".pyre/", ".pytype/", "cython_debug/",
    "node_modules/",
]
assert len(GITIGNORE_PATTERNS) == 77

COMPOSE = """\
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 5s
  web:
    build: .
    environment:
      DJANGO_SETTINGS_MODULE: config.settings
      DATABASE_URL: postgres://postgres:${POSTGRES_PASSWORD:?}@db:5432/postgres
    ports:
      - "8000:8000"
    depends_on:
      db:
        condition: service_healthy
  frontend:
    build: ./frontend
    ports:
      - "3000:3000"
volumes:
  pgdata:
"""
OVERRIDE = "services:\n  web:\n    command: python backend/manage.py runserver 0.0.0.0:8000\n"
PROD = COMPOSE.replace("build: .\n", "build:\n      context: .\n      dockerfile: Dockerfile\n")
DOCKERFILE = """\
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --uid 1000 app
USER app
EXPOSE 8000
CMD ["gunicorn", "--chdir", "backend", "--bind", "0.0.0.0:8000", "config.wsgi:application"]
"""
FRONTEND_DOCKERFILE = """\
FROM node:20-alpine
WORKDIR /app
COPY package.json .
RUN npm install
COPY . .
CMD ["npm", "start"]
"""
WORKER_COMPOSE = "services:\n  worker:\n    build: .\n    command: celery -A config worker\n"
SETTINGS = """\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres", "HOST": "db"}}
STATIC_ROOT = BASE_DIR / "staticfiles"
"""
MANAGE = ("#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == '__main__':\n"
          "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
          "    from django.core.management import execute_from_command_line\n"
          "    execute_from_command_line(sys.argv)\n")
WSGI = ("import os\nfrom django.core.wsgi import get_wsgi_application\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\napplication = get_wsgi_application()\n")


def _write(path: Path, text: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _django(folder: Path, apps: int) -> None:
    """A Django project: settings, wsgi, and ``apps`` apps of 14 files each (sources, migrations, caches)."""
    _write(folder / "manage.py", MANAGE)
    _write(folder / "config" / "__init__.py")
    _write(folder / "config" / "settings.py", SETTINGS)
    _write(folder / "config" / "wsgi.py", WSGI)
    for index in range(apps):
        app = folder / "apps" / f"app{index:03}"
        for name in ("__init__.py", "models.py", "views.py", "urls.py", "admin.py", "tests.py", "serializers.py"):
            _write(app / name, f"# {name} of app {index}\n")
            if name != "__init__.py":
                _write(app / "__pycache__" / name.replace(".py", ".cpython-312.pyc"), "")
        _write(app / "migrations" / "__init__.py")
        _write(app / "migrations" / "0001_initial.py", "from django.db import migrations\n")
        _write(app / "templates" / f"app{index:03}" / "index.html", "<h1>app</h1>\n")


def generate(root: Path, files: int) -> int:
    """Write a repository of about ``files`` files under ``root``; returns how many were written."""
    unit = max(1, files // 100)  # one hundredth of the tree
    _write(root / "docker-compose.yml", COMPOSE)
    _write(root / "docker-compose.override.yml", OVERRIDE)
    _write(root / "docker-compose.prod.yml", PROD)
    _write(root / "Dockerfile", DOCKERFILE)
    _write(root / ".dockerignore", VSCODE_DOCKERIGNORE)
    _write(root / ".gitignore", "".join(f"{pattern}\n" for pattern in GITIGNORE_PATTERNS))
    _write(root / "requirements.txt", "Django==5.0.6\ngunicorn==22.0.0\npsycopg[binary]==3.1.19\ncelery==5.4.0\n")
    _write(root / "README.md", "# starter\n")
    _write(root / "LICENSE", "MIT\n")
    _write(root / ".env.example", "POSTGRES_PASSWORD=\nSECRET_KEY=\n")
    _django(root / "backend", apps=max(1, 18 * unit // 14))
    frontend = root / "frontend"
    _write(frontend / "Dockerfile", FRONTEND_DOCKERFILE)
    _write(frontend / ".dockerignore", VSCODE_DOCKERIGNORE)
    _write(frontend / "package.json", '{"name": "frontend", "private": true}\n')
    for index in range(2 * unit):
        _write(frontend / "src" / "components" / f"Component{index:04}.jsx", "export default () => null;\n")
        _write(frontend / "build" / "static" / "js" / f"chunk{index:04}.js", "")
    for index in range(50 * unit):  # packages of five files, nested as npm lays them out
        package = frontend / "node_modules" / f"package{index // 5:04}"
        _write(package / ("package.json" if index % 5 == 0 else f"lib/module{index % 5}.js"), "{}\n")
    for index in range(12 * unit):
        _write(root / ".git" / "objects" / f"{index % 256:02x}" / f"{index:038x}", "")
    _write(root / ".venv" / "pyvenv.cfg", "home = /usr/bin\n")
    for index in range(8 * unit):
        _write(root / ".venv" / "lib" / "python3.12" / "site-packages" / f"pkg{index // 10:03}" / f"m{index}.py", "")
    for index in range(2 * unit):
        _write(root / "backend" / "staticfiles" / f"asset{index:04}.css", "")
    worker = root / "services" / "worker"
    _write(worker / "compose.yaml", WORKER_COMPOSE)
    _write(worker / "Dockerfile", DOCKERFILE.replace('"--chdir", "backend", ', ""))
    _write(worker / ".dockerignore", VSCODE_DOCKERIGNORE)
    _write(worker / "requirements.txt", "Django==5.0.6\ncelery==5.4.0\ngunicorn==22.0.0\n")
    _django(worker, apps=max(1, unit // 2))
    return sum(1 for path in root.rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--files", type=int, default=2000)
    options = parser.parse_args()
    print(f"{generate(options.folder, options.files)} files in {options.folder}")


if __name__ == "__main__":
    main()
