"""The rules, one module per subject; importing this package registers every rule."""

from djlint_docker.rules import (  # noqa: F401
    compose,
    database,
    deploy,
    dockerfile,
    environment,
    ignores,
    linter,
    project_wide,
    requirements,
    settings,
    startup,
)
