"""What a CI pipeline gives the compose file it runs: the variables its blocks set, the files its steps write."""

from __future__ import annotations

from conftest import write_files

from djlint_docker.discover import discover
from djlint_docker.project import Project
from djlint_docker.rules.compose._ci_workflows import set_by_pipeline, written_by_pipeline

COMPOSE = "services:\n  web:\n    image: ${CI_REGISTRY_IMAGE}:${TAG}\n    env_file: .env\n"
GITLAB = """\
variables:
  TAG: $CI_COMMIT_SHORT_SHA
  DOCKER_DRIVER: overlay2
deploy:
  stage: deploy
  variables:
    STACK: shop
  script:
    - echo "SECRET_KEY=$SECRET_KEY" > .env
    - docker compose -f compose.prod.yaml up -d
after:
  script:
    - echo done
"""


def _project(tmp_path, files):
    write_files(tmp_path, files)
    (setup,) = discover([tmp_path])
    return Project(setup, tmp_path)


def test_gitlab_variables_at_every_level_and_the_env_file_a_script_writes(tmp_path):
    project = _project(tmp_path, {"compose.prod.yaml": COMPOSE, ".gitlab-ci.yml": GITLAB})
    compose = tmp_path / "compose.prod.yaml"
    assert set_by_pipeline(project, compose) == {"TAG", "DOCKER_DRIVER", "STACK"}  # `stage:` ends no block early
    assert written_by_pipeline(project, compose, tmp_path / ".env")
    assert not written_by_pipeline(project, compose, tmp_path / "web.env")


def test_a_pipeline_that_does_not_name_the_compose_file_gives_it_nothing(tmp_path):
    project = _project(tmp_path, {"compose.yaml": COMPOSE, ".gitlab-ci.yml": GITLAB})
    assert set_by_pipeline(project, tmp_path / "compose.yaml") == frozenset()
    assert not written_by_pipeline(project, tmp_path / "compose.yaml", tmp_path / ".env")
    other = _project(tmp_path / "other", {"compose.yaml": COMPOSE,
                                          ".gitlab-ci.yml": GITLAB.replace("compose.prod.yaml", "docker-compose.yaml")})
    assert set_by_pipeline(other, tmp_path / "other/compose.yaml") == frozenset()  # another file's name ends so
    assert set_by_pipeline(other, tmp_path / "other/docker-compose.yaml") == {"TAG", "DOCKER_DRIVER", "STACK"}
