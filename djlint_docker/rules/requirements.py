"""What the image installs: Django and Python, the application server, the database driver."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator
from functools import cache

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import parse_image
from djlint_docker.parse.dockerfile import Dockerfile
from djlint_docker.parse.requirements import Requirement
from djlint_docker.parse.servers import server
from djlint_docker.positions import Location
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.database import binding_at, databases
from djlint_docker.rules.snippets import MANAGE

#: Django's official Python support table ("What Python version can I use with Django?",
#: https://docs.djangoproject.com/en/stable/faq/install/): feature release -> {Python: first
#: patch release that supports it}.
DJANGO_PYTHON = {
    "3.2": {"3.6": 0, "3.7": 0, "3.8": 0, "3.9": 0, "3.10": 9},
    "4.0": {"3.8": 0, "3.9": 0, "3.10": 0},
    "4.1": {"3.8": 0, "3.9": 0, "3.10": 0, "3.11": 3},
    "4.2": {"3.8": 0, "3.9": 0, "3.10": 0, "3.11": 0, "3.12": 8},
    "5.0": {"3.10": 0, "3.11": 0, "3.12": 0},
    "5.1": {"3.10": 0, "3.11": 0, "3.12": 0, "3.13": 3},
    "5.2": {"3.10": 0, "3.11": 0, "3.12": 0, "3.13": 0, "3.14": 8},
    "6.0": {"3.12": 0, "3.13": 0, "3.14": 0},
}
LAST_PATCH = 40
SERVER_PACKAGES = {"gunicorn": {"gunicorn"}, "uvicorn": {"uvicorn"}, "daphne": {"daphne", "channels"},
                   "hypercorn": {"hypercorn"}, "uwsgi": {"uwsgi", "pyuwsgi"}}
DRIVERS = {
    "postgresql": ("psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary", "psycopg-c", "psycopg2cffi"),
    "mysql": ("mysqlclient", "pymysql", "mysql-connector-python"),
}
SOURCE_BUILD = re.compile(r"\blibpq-dev\b|\bpostgresql-dev\b|\bpostgresql\d*-dev\b")
COMPILER = re.compile(r"\bbuild-essential\b|\bgcc\b|\bbuild-base\b")

DOCKERFILE = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY requirements.txt .\n"
              "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n")


def python_version(dockerfile: Dockerfile) -> tuple[str, str] | None:
    """The Python minor version of the final image's official python base, and the image."""
    base = dockerfile.lineage(dockerfile.final)[0]
    image = parse_image(base.image) if base.image else None
    if image is None or image.name != "python" or not image.tag:
        return None
    match = re.match(r"(3\.\d+)", image.tag)
    return (match.group(1), base.image) if match else None


def _django(requirements: list[Requirement]) -> Requirement | None:
    return next((r for r in requirements if r.name == "django"), None)


Release = tuple[int, int, int]
COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
           ">=": operator.ge}


@cache
def _releases(specifier: str) -> tuple[Release, ...]:
    """The Django releases of the support table that a specifier allows (each specifier worked out once a run).

    Comparisons with plain numeric versions (``>=5.1,<5.2``) are compared as tuples padded
    with zeros, which is PEP 440 for final releases; anything else (``~=``, ``.*``,
    pre-releases) goes to packaging's specifiers, the slowest import a run could make.
    """
    candidates = [(*_numbers(feature), patch) for feature in DJANGO_PYTHON for patch in range(LAST_PATCH + 1)]
    clauses = [re.fullmatch(r"(==|!=|<=|>=|<|>)(\d+(?:\.\d+)*)", clause) for clause in specifier.split(",")]
    if all(clauses):
        bounds = [(COMPARE[clause.group(1)], _numbers(clause.group(2))) for clause in clauses]
        return tuple(release for release in candidates
                     if all(compare(*_padded(release, bound)) for compare, bound in bounds))
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(specifier)
    except InvalidSpecifier:
        return ()
    return tuple(release for release in candidates if allowed.contains(".".join(map(str, release)), prereleases=False))


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _padded(*versions: tuple[int, ...]) -> list[tuple[int, ...]]:
    width = max(map(len, versions))
    return [version + (0,) * (width - len(version)) for version in versions]


def _supports(release: Release, python: str) -> bool:
    first_patch = DJANGO_PYTHON[f"{release[0]}.{release[1]}"].get(python)
    return first_patch is not None and release[2] >= first_patch


def _support_text(releases: tuple[Release, ...]) -> str:
    features = sorted({f"{major}.{minor}" for major, minor, _ in releases}, key=_numbers)
    pythons = sorted({p for feature in features for p in DJANGO_PYTHON[feature]}, key=_numbers)
    return f"Python {pythons[0]} to {pythons[-1]}" if pythons else "no Python"


@rule("DJC114", "python-django-mismatch", Severity.ERROR, cross=True, examples=[
    Example("old-django-new-python", {
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==4.0.10\ngunicorn==23.0.0\n"},
        expect=(("requirements.txt", 1),)),
    Example("new-django-old-python", {
        "Dockerfile": DOCKERFILE.replace("3.12", "3.9"), "manage.py": MANAGE,
        "requirements.txt": "django>=5.0,<5.1\n"}, expect=(("requirements.txt", 1),)),
    Example("patch-too-early", {
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==4.2.7\n"},
        expect=(("requirements.txt", 1),)),
    Example("supported", {"Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==4.2.16\n"}),
    Example("range-with-a-supported-release", {
        "Dockerfile": "ARG PYTHON_VERSION=3.13\nFROM python:${PYTHON_VERSION}-slim\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\n", "manage.py": MANAGE,
        "requirements.txt": "Django>=5.1,<6\n"}),
    Example("not-an-official-python-image", {
        "Dockerfile": "FROM ubuntu:24.04\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
        "manage.py": MANAGE, "requirements.txt": "Django==3.2.25\n"}),
])
def python_django_mismatch(project: Project) -> Iterator[Violation]:
    """The image's Python is not supported by the Django version the requirements pin.

    ## What it does
    Reads the Python version of the final image's `python:` base (ARGs expanded) and
    the Django requirement the image installs, and reports the requirement when no
    Django release it allows supports that Python, according to Django's official
    support table from 3.2 to 6.0 (including Python versions added in a patch release,
    such as 3.12 in Django 4.2.8).

    ## Why is this bad?
    pip refuses a Django whose `Requires-Python` excludes the image's Python, failing
    the build; an older Django on a newer Python installs but is untested there and
    breaks on removed standard-library modules and changed behaviour.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ```
    with `Django==4.0.10` in `requirements.txt`. Use instead: `Django==4.2.16`
    (supports Python 3.12 from 4.2.8), or a Python the pinned Django supports.

    ## References
    - Seed 004 (pin the Python image and the Django version together)
    - [Django FAQ: What Python version can I use with Django?](https://docs.djangoproject.com/en/stable/faq/install/#what-python-version-can-i-use-with-django)
    """
    for build, dockerfile in project.dockerfiles:
        found = python_version(dockerfile)
        django = _django(project.requirements(build))
        if found is None or django is None or not django.specifier:
            continue
        python, image = found
        releases = _releases(django.specifier)
        if releases and not any(_supports(release, python) for release in releases):
            supporting = [f"{feature}.{pythons[python]}" if pythons[python] else feature
                          for feature, pythons in DJANGO_PYTHON.items() if python in pythons]
            advice = f"Django {supporting[0]} to {supporting[-1]}.x support Python {python}" if supporting else \
                "no Django release in the support table supports it"
            yield Violation(Location(django.path, django.line),
                            f"Django{django.specifier} supports {_support_text(releases)}, but the image runs Python "
                            f"{python} ({image}); {advice}",
                            related=(dockerfile.at(dockerfile.lineage(dockerfile.final)[0].from_),))


def _server_programs(project: Project, build: ImageBuild) -> Iterator[tuple[str, Location]]:
    for start in project.start_commands:
        if start.build is not build:
            continue
        for command in start.commands:
            found = server(command)
            if found is not None and found.program in SERVER_PACKAGES:
                yield found.program, start.location


@rule("DJC406", "server-not-in-requirements", Severity.ERROR, cross=True, examples=[
    Example("gunicorn-missing", {
        "Dockerfile": DOCKERFILE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}, expect=(("Dockerfile", 7),)),
    Example("requirement-option-with-equals", {
        "Dockerfile": DOCKERFILE.replace("-r requirements.txt", "--requirement=requirements.txt")
        + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"},
        expect=(("Dockerfile", 7),)),
    Example("compose-command-uvicorn", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: uvicorn app.asgi:application --host 0.0.0.0\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\ngunicorn==23.0.0\n"},
        expect=(("compose.yaml", 4),)),
    Example("installed", {
        "Dockerfile": DOCKERFILE + "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\n-r server.txt\n", "server.txt": "gunicorn==23.0.0\n"}),
    Example("uvicorn-extra-and-direct-install", {
        "Dockerfile": DOCKERFILE + "RUN pip install --no-cache-dir 'uvicorn[standard]==0.32.0'\n"
                                   "CMD [\"uvicorn\", \"app.asgi:application\"]\n",
        "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
    Example("poetry", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install poetry && poetry install\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE, "pyproject.toml": "[tool.poetry]\n"}),
])
def server_not_in_requirements(project: Project) -> Iterator[Violation]:
    """The image runs an application server that its requirements do not install.

    ## What it does
    Finds the servers the image's CMD/ENTRYPOINT and the services' `command:` start
    (gunicorn, uvicorn, daphne, hypercorn, uwsgi) and reports each one that neither
    the requirements files installed in the image (`-r` followed, wheels built in an
    earlier stage included) nor a direct `pip install` provide. Stays silent when the
    image installs through something djcheck does not read (`pip install .`, poetry,
    pipenv, uv sync).

    ## Why is this bad?
    The container exits at once with `gunicorn: not found` (or `No module named
    uvicorn`); the image built fine, so the mistake shows only at deploy time.

    ## Example
    ```dockerfile
    CMD ["gunicorn", "app.wsgi"]
    ```
    with only `Django==5.1.3` in `requirements.txt`. Use instead: add
    `gunicorn==23.0.0` to the requirements.

    ## References
    - Seed 002 (gunicorn added to the requirements for production)
    - Seed 004 (the production server is installed with the other requirements)
    """
    for build, _ in project.dockerfiles:
        reported = set()
        for name, location in _server_programs(project, build):
            if name in reported:
                continue
            installed = project.installed_packages(build)
            if installed is None or installed & SERVER_PACKAGES[name]:
                continue
            reported.add(name)
            yield Violation(location, f"the container runs {name}, but the image's requirements do not install it; "
                                      f"add {name} to the requirements")


@rule("DJC407", "psycopg-build-deps", Severity.ERROR, cross=True, examples=[
    Example("slim-without-libpq", {"Dockerfile": DOCKERFILE, "manage.py": MANAGE,
                                   "requirements.txt": "Django==5.1.3\npsycopg2==2.9.10\n"},
            expect=(("requirements.txt", 2),)),
    Example("alpine", {"Dockerfile": DOCKERFILE.replace("3.12-slim", "3.12-alpine"), "manage.py": MANAGE,
                       "requirements.txt": "psycopg2>=2.9\n"}, expect=(("requirements.txt", 1),)),
    Example("binary", {"Dockerfile": DOCKERFILE, "manage.py": MANAGE,
                       "requirements.txt": "psycopg2-binary==2.9.10\npsycopg[binary]==3.2.3\n"}),
    Example("build-deps-installed", {
        "Dockerfile": DOCKERFILE.replace("COPY requirements", "RUN apt-get update && apt-get install -y "
                                         "--no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*\n"
                                         "COPY requirements"),
        "manage.py": MANAGE, "requirements.txt": "psycopg2==2.9.10\n"}),
    Example("full-image", {"Dockerfile": DOCKERFILE.replace("3.12-slim", "3.12"), "manage.py": MANAGE,
                           "requirements.txt": "psycopg2==2.9.10\n"}),
])
def psycopg_build_deps(project: Project) -> Iterator[Violation]:
    """`psycopg2` is built from source on a slim or alpine image without its build dependencies.

    ## What it does
    Reports `psycopg2` (the source distribution, not `psycopg2-binary` or
    `psycopg[binary]`) in the requirements of an image whose base is a `slim` or
    `alpine` Python image, when no stage feeding the final image installs the
    PostgreSQL headers (`libpq-dev`, `postgresql-dev`) and a C compiler.

    ## Why is this bad?
    `psycopg2` has no wheels: pip compiles it, which needs `pg_config`, the libpq
    headers and gcc. Slim and alpine images have none of them and the build fails with
    "pg_config executable not found".

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install -r requirements.txt   # psycopg2==2.9.10
    ```
    Use instead: `psycopg[binary]` or `psycopg2-binary`, or install the build
    dependencies first:
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    ```

    ## References
    - Seed 000 (the PostgreSQL adapter in the requirements)
    - Seed 001 (alpine needs `postgresql-dev gcc python3-dev musl-dev` for psycopg2)
    - [psycopg2: build prerequisites](https://www.psycopg.org/docs/install.html#build-prerequisites)
    """
    for build, dockerfile in project.dockerfiles:
        base = dockerfile.lineage(dockerfile.final)[0].image
        tag = (parse_image(base).tag or "") if base else ""
        if not re.search(r"slim|alpine", tag):
            continue
        runs = " ".join(run.args for stage in project.feeding_stages(dockerfile) for run in stage.all("RUN"))
        if SOURCE_BUILD.search(runs) and COMPILER.search(runs):
            continue
        for requirement in project.requirements(build):
            if requirement.name == "psycopg2":
                yield Violation(Location(requirement.path, requirement.line),
                                f"psycopg2 is compiled from source, but {base} has no libpq headers or compiler: the "
                                f"build fails; use psycopg[binary] (or psycopg2-binary), or install gcc and libpq-dev",
                                related=(dockerfile.at(dockerfile.lineage(dockerfile.final)[0].from_),))


@rule("DJC408", "db-driver-missing", Severity.ERROR, cross=True, examples=[
    Example("postgres-without-driver", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"},
        expect=(("app/settings.py", 1),)),
    Example("mysql-from-url", {
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DATABASE_URL: mysql://u:p@db/app\n",
        "Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\ndj-database-url==2.3.0\n",
        "app/settings.py": "import dj_database_url\nDATABASES = {'default': dj_database_url.config()}\n"},
        expect=(("app/settings.py", 2),)),
    Example("psycopg3", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\npsycopg[binary]==3.2.3\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n"}),
    Example("sqlite", {
        "compose.yaml": "services:\n  web:\n    build: .\n", "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
        "requirements.txt": "Django==5.1.3\n",
        "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"}),
])
def db_driver_missing(project: Project) -> Iterator[Violation]:
    """The settings use PostgreSQL or MySQL but the image installs no driver for it.

    ## What it does
    Evaluates `DATABASES` with each Django container's environment and reports a
    PostgreSQL or MySQL engine when the requirements the image installs contain no
    driver for it (`psycopg`, `psycopg2`, `psycopg2-binary`; `mysqlclient`,
    `PyMySQL`, `mysql-connector-python`).

    ## Why is this bad?
    Django imports the driver when it first connects: `migrate` and every request fail
    with "Error loading psycopg2 or psycopg module" although the image built.

    ## Example
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}
    ```
    with no psycopg in `requirements.txt`. Use instead: add `psycopg[binary]`.

    ## References
    - Seed 001 (psycopg2-binary added to the requirements for PostgreSQL)
    - [Django: PostgreSQL notes](https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-notes)
    """
    reported = set()
    for run in project.django_runs:
        if run.build is None:
            continue
        installed = project.installed_packages(run.build)
        if installed is None:
            continue
        for settings in run.settings:
            for alias, entry in databases(run, settings).items():
                engine = str(entry.get("ENGINE", ""))
                family = "postgresql" if re.search(r"postgres|postgis", engine) else \
                    "mysql" if "mysql" in engine else None
                if family is None or installed & set(DRIVERS[family]):
                    continue
                at = binding_at(settings, "DATABASES")
                if (at, family) in reported:
                    continue
                reported.add((at, family))
                yield Violation(at, f"DATABASES[{alias!r}] uses {engine}, but the image installs no driver for it "
                                    f"({', '.join(DRIVERS[family][:3])}); add one to the requirements")


@rule("DJC409", "django-unpinned", Severity.WARNING, examples=[
    Example("bare", {"Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "django\ngunicorn==23.0.0\n"},
            expect=(("requirements.txt", 1),)),
    Example("lower-bound-only", {"Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django>=3.0\n"},
            expect=(("requirements.txt", 1),)),
    Example("pinned", {"Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django==5.1.3\n"}),
    Example("range", {"Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django>=4.2,<5.0\n"}),
    Example("compatible-release", {"Dockerfile": DOCKERFILE, "manage.py": MANAGE, "requirements.txt": "Django~=5.1.0\n"}),
])
def django_unpinned(project: Project) -> Iterator[Violation]:
    """The requirements do not pin Django to a version range.

    ## What it does
    Reports the Django requirement of the requirements files the image installs when
    it has no version at all or only a lower bound (`Django>=3.0`).

    ## Why is this bad?
    Every rebuild may bring a new major version of Django: deprecations become
    removals, and the app breaks on a rebuild nobody changed, often in production first.

    ## Example
    ```
    Django>=3.0
    ```
    Use instead:
    ```
    Django>=4.2,<5.0
    ```

    ## References
    - Seed 004 (`Django>=3.0,<4.0` in the requirements)
    - [pip: requirement specifiers](https://pip.pypa.io/en/stable/reference/requirement-specifiers/)
    """
    seen = set()
    for build, _ in project.dockerfiles:
        django = _django(project.requirements(build))
        if django is None or (django.path, django.line) in seen:
            continue
        seen.add((django.path, django.line))
        if not django.operators & {"==", "===", "~=", "<", "<="}:
            shown = f"Django{django.specifier}" if django.specifier else "Django"
            yield Violation(Location(django.path, django.line),
                            f"`{shown}` has no upper bound: a rebuild may install the next major version; pin a "
                            f"range such as Django>=5.1,<5.2")
