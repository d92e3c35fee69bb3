"""One definition of a template's name (files.TEMPLATE_NAME) and of a secret's name (rules/dockerfile/_secrets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from djlint_docker.files import ProjectFiles, template_base
from djlint_docker.rules.dockerfile._secrets import secret_name
from djlint_docker.rules.project._env_files import is_env_name

SECRETS = ["API_KEY", "DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "SECRET_KEY", "REDIS_PASSWORD", "DJANGO_SECRET_KEY",
           "SECRET_KEY_FALLBACKS", "GITHUB_TOKEN", "JWT_SECRET", "STRIPE_API_KEY", "PRIVATE_KEY", "apiKey",
           "secret_key", "MYSQL_ROOT_PASSWORD", "SECRET_KEY_2", "PIP_INDEX_TOKEN", "OIDC_RP_CLIENT_SECRET"]
NOT_SECRETS = ["API_KEY_RATE_LIMIT", "PASSWORD_RESET_TIMEOUT", "POSTGRES_PASSWORD_FILE", "SECRET_KEY_PATH",
               "TOKEN_URL", "OIDC_OP_TOKEN_ENDPOINT", "SECRET_TOKEN_CACHE", "ACCESS_TOKEN_LIFETIME",
               "AUTH_PASSWORD_VALIDATORS", "PASSWORD_HASHERS", "AWS_ACCESS_KEY_ID", "DEBUG", "SECRET_NAME"]


@pytest.mark.parametrize("name", SECRETS)
def test_secret_word_last(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize("name", NOT_SECRETS)
def test_secret_word_not_last(name: str) -> None:
    assert not secret_name(name)


TEMPLATES = {".env.example": ".env", ".env.sample": ".env", ".env.template": ".env", ".env.dist": ".env",
             "env.example": "env", ".env.dev-sample": ".env.dev", "TEMPLATE.env": ".env", "example.env": ".env",
             "prod.env.template": "prod.env", ".env.example.local": ".env.local", "nginx.conf.dist": "nginx.conf",
             ".env_example_en": ".env", ".env_example_jp": ".env",  # one per language of the instructions
             ".env.production TEMPLATE": ".env.production", "rabbitmq.example.env": "rabbitmq.env"}


@pytest.mark.parametrize(("name", "base"), TEMPLATES.items())
def test_template_names(name: str, base: str) -> None:
    assert template_base(name) == base
    assert not is_env_name(name)


@pytest.mark.parametrize("name", [".env", ".env.prod", "prod.env", "templates.env", "my_example.env"])
def test_env_names_no_template(name: str) -> None:
    assert template_base(name) is None
    assert is_env_name(name)


@pytest.mark.parametrize("name", ["settings_example.py", "run_sample.sh", "app.example.js"])
def test_a_two_letter_extension_is_no_language(name: str) -> None:
    assert template_base(name) is None


@pytest.mark.parametrize(("present", "wanted", "found"), [
    (["TEMPLATE.env"], ".env", "TEMPLATE.env"),
    (["env.example", ".env.example"], ".env", ".env.example"),
    ([".env.sample", ".env.example"], ".env", ".env.example"),
    ([".env.dev-sample"], ".env.dev", ".env.dev-sample"),
    (["prod.env.template"], "prod.env", "prod.env.template"),
    ([".env.example"], ".env.prod", None),
    ([".env_example_zh", ".env_example_en"], ".env", ".env_example_en"),
])
def test_template_for(tmp_path: Path, present: list[str], wanted: str, found: str | None) -> None:
    for name in present:
        (tmp_path / name).write_text("SECRET_KEY=\n")
    files = ProjectFiles(tmp_path, tmp_path)
    assert files.template_for(tmp_path / wanted) == (tmp_path / found if found else None)


def test_template_a_fix_creates(tmp_path: Path) -> None:
    files = ProjectFiles(tmp_path, tmp_path, overlay={tmp_path / ".env.example": "DEBUG=\n"})
    assert files.template_for(tmp_path / ".env") == tmp_path / ".env.example"
