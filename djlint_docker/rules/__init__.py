"""The rules, one module per family; importing this package registers every rule."""

from djlint_docker.rules import compose, dockerfile, linter, project_wide, settings  # noqa: F401
