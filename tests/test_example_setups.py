"""Examples for the reader: a compose file whose opening comment calls it an example is copied and adapted by its
reader. Only whether it parses and the files it names exist is checked (review 11: every other finding on such
files was judged noise or false)."""

from __future__ import annotations

from conftest import lint, write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project

APPLICATION = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
    "app/__init__.py": "", "app/settings.py": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n",
}
STACK = ("services:\n  web:\n    image: acme/shop:latest\n    environment:\n      DATABASE_URL: postgres://shop:hunter22@db/shop\n"
         "  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: hunter22\n")
"""A stack with a literal password and unpinned images: findings in a configuration of the project."""


def codes(root) -> set[str]:
    return {finding.code for finding in lint(root)}


def test_a_compose_file_that_calls_itself_an_example_is_one(tmp_path):
    write_files(tmp_path, {**APPLICATION, "docker/compose.statsd.yml":
                           "# An example docker-compose file for sending the API's metrics to statsd.\n" + STACK})
    setups = discover([tmp_path])
    assert [Project(setup, tmp_path).example for setup in setups if setup.compose_files] == [True]
    assert codes(tmp_path) == set()


def test_an_example_that_does_not_parse_is_reported(tmp_path):
    write_files(tmp_path, {"compose.yaml": "# An example compose file for the docs\nservices:\n  web:\n    image: [x\n"})
    assert codes(tmp_path) == {"DJC001"}


def test_the_projects_own_stack_is_checked(tmp_path):
    """A project describing itself (`# A sample Django app`) and a file beside docs/ are the project's own."""
    write_files(tmp_path, {**APPLICATION, "compose.yaml": "# A sample Django app with Postgres\n" + STACK,
                           "docs/index.md": "# Shop\n"})
    assert {"DJC207", "DJC209"} <= codes(tmp_path)


def test_a_suppression_in_an_example_is_not_unused(tmp_path):
    """The example is not checked by the rule its comment silences: the comment is not reported as unused."""
    write_files(tmp_path, {**APPLICATION, "compose.yaml": "# A sample compose file: copy it and set your own.\n" +
                           STACK.replace("POSTGRES_PASSWORD: hunter22", "POSTGRES_PASSWORD: hunter22  # djcheck: ignore[DJC207]")})
    assert codes(tmp_path) == set()


def test_a_file_an_example_names_that_does_not_exist_is_reported(tmp_path):
    """`build: ../../api` whose Dockerfile moved away: the example is stale."""
    write_files(tmp_path, {**APPLICATION, "docker/api/compose.yaml": "# An example compose file for the API\n"
                           "services:\n  api:\n    build:\n      context: ../../api\n"})
    assert codes(tmp_path) == {"DJC002"}
