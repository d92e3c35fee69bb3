"""What git keeps out of the project, and the secrets an env file would publish if committed."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from djlint_docker.project import Project
from djlint_docker.rules.dockerfile._secrets import secret_name


def in_git(project: Project) -> bool:
    """Whether the project is under git: a ``.git`` at its boundary or a ``.gitignore`` beside the compose file."""
    return os.path.exists(project.boundary / ".git") or os.path.isfile(project.root / ".gitignore")


PLACEHOLDER = re.compile(r"(change|replace|set)[-_ ]?(me|this|it)\b.*|your[-_ ].*|<[^>]*>|x{3,}|\.{3}|todo|fixme|"
                         r"placeholder|secret[-_ ]?here|!+\s*set\b.*|!{2,}[^!]*!{2,}|\[[A-Za-z][\w -]*\]", re.I)
"""Values a distributed env file gives a secret for the user to replace (``change-me``, ``<your key>``,
cookiecutter-django's ``!!!SET DJANGO_SECRET_KEY!!!``, any value between ``!!`` marks: ``!!SECRETKEYHERE!!``), or a
name in brackets where a host or a key goes (``[DJANGO_PRODUCTION_DB_HOST]``); the tokens a script substitutes are
:func:`substitution_token`'s."""

SAYS_PLACEHOLDER = re.compile(r"changeme|changethis|changeit|replaceme|replacethis|dontuse|donotuse|notforprod|"
                              r"notinprod|neverinprod|example|placeholder|insecure|unsafe|fordev|devonly|"
                              r"developmentonly|devpurpose|developmentpurpose|fortesting|testingonly|testonly|"
                              r"dummy|buildonly|buildtime|collectstatic|failif|notstrong|notsecure|notreal")
"""What a value says of itself, its words run together (``Dontusethisinproduction``,
``ThisIsAnExampleKeyForDevPurposeOnly``, ``insecure-dev-key``, ``dummy``, the ``build-time-only`` key that lets
``collectstatic`` import the settings, ``fail_if_run``): no random key spells these."""
PLACEHOLDER_WORDS = frozenset({"fake", "sample"})
"""Words a value says it is no real secret with, standing alone (``FAKE_SECRET_KEY``, ``fake_password``): run
together with others they are too short to tell (a random key may spell ``fAKe``)."""
SWITCHES = frozenset({"no", "false", "none", "null", "off", "disabled", "0"})
"""Values that turn a feature off (Chromium's ``GOOGLE_API_KEY=no``): no key at all."""
SOPS_CIPHERTEXT = re.compile(r"ENC\[[A-Z0-9_]+,data:")
"""A value sops encrypted in place (``OPENAI_API_KEY=ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]``): ciphertext
that only the keys the project's ``.sops.yaml`` names open, committed on purpose."""
DJANGO_GENERATED = "django-insecure-"
WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
MAX_VALUE = 400


def _words_of_another_script(value: str) -> bool:
    """Whether the value is words written in a script other than Latin (``замени_на_свой``, "replace with your
    own"): an instruction or a description in the project's language, where a generated secret is ASCII."""
    return not value.isascii() and re.fullmatch(r"[^\W\d_]+(?:[\s_.-]+[^\W\d_]+)*", value) is not None \
        and not re.search(r"[A-Za-z]", value)


def placeholder(value: str) -> bool:
    """Whether a secret's value says it is no real secret: a placeholder the user replaces (``change-me``,
    ``<your key>``, ``your-mysql-password``, ``YourTokenHere``) or a value that says it is for an example or for
    development and not for production (``ThisIsAnExampleKeyForDevPurposeOnly``, ``dont-use-in-production``,
    ``insecure-dev-key``) or words in the project's own language and script (``замени_на_свой``), a value that
    turns the feature off (``no``, ``false``, ``none``), or a filler of one
    character or one short word repeated (``hellohellohello``, ``1x000000000000000000000000000000AA``, a
    vendor's test key), or an instruction written as words (``REPLACE_WITH_A_LONG_RANDOM_SECRET_KEY``) or a
    description of the value (``a_very_strong_database_password``). A random
    key spells none of these words and stays a secret, as does the random key
    ``django-admin startproject`` writes (``django-insecure-`` and fifty random characters).
    """
    value = value.strip().strip("\"'")[:MAX_VALUE]
    if switched_off(value):
        return True
    # `django-admin startproject` writes a random key and calls it insecure: random all the same, a secret; what
    # follows the prefix tells (`django-insecure-xxxxxxxxxxxx` is a filler)
    value = value.removeprefix(DJANGO_GENERATED)
    if PLACEHOLDER.fullmatch(value) or _one_character(value) or REPEATED.fullmatch(value) or _instruction(value) \
            or _description(value) or substitution_token(value) or _words_of_another_script(value):
        return True
    words = [word.lower() for word in WORD.findall(value)]
    # `your-key`, `YourTokenHere`, `yourdbpass`: the user's own to give
    return bool(words) and (words[0].startswith("your") or SAYS_PLACEHOLDER.search("".join(words)) is not None
                            or not PLACEHOLDER_WORDS.isdisjoint(words))


def substitution_token(value: str) -> bool:
    """Whether a value is a token a deploy step replaces: a secret's name in capitals with ``_SECRET`` after it
    (``POSTGRES_PASSWORD_SECRET``, ``SECRET_KEY_SECRET``: the CI secret ``sed`` puts in its place; a password in
    capitals, ``ADMIN_PASSWORD``, is none), or
    one between marks (``%SECRET_KEY%``, ``@DB_PASSWORD@``, ``__SECRET_KEY__``, ``#(secret_key)``, a template's
    ``{{ django_secret_key }}``), or a variable alone (``$DB_PASS``,
    ``${DB_PASS}``: what a script's ``sed`` or Compose's interpolation puts there). A random key is none of these."""
    value = value.strip().strip("\"'")
    if MARKED_TOKEN.fullmatch(value) or VARIABLE_TOKEN.fullmatch(value):
        return True
    return bool(SECRET_NAME_TOKEN.fullmatch(value)) and secret_name(value.removesuffix("_SECRET"))


SECRET_NAME_TOKEN = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_SECRET")
VARIABLE_TOKEN = re.compile(r"\$[A-Za-z_]\w*|\$\{[A-Za-z_]\w*\}")
MARKED_TOKEN = re.compile(r"%[A-Za-z][\w-]*%|@[A-Za-z][\w-]*@|__[A-Z][A-Z0-9_]*__|#?\([A-Za-z][\w-]*\)"
                          r"|\{\{\s*[A-Za-z][\w.-]*\s*\}\}", re.I)


def _instruction(value: str) -> bool:
    """Whether a value is an instruction to the user, written as words (``change_with_50+_long_random_string``,
    ``REPLACE_WITH_A_LONG_RANDOM_SECRET_KEY``, ``generate-one-with-openssl``): three words or more between
    separators, the first a verb that asks for a value. A random key is no run of words."""
    return _words_starting_with(value, ASKING_VERBS, INSTRUCTION_WORD.fullmatch)


def _description(value: str) -> bool:
    """Whether a value describes what goes there, in words that start with an article (``a_very_strong_password``,
    ``the-secret-key``): a random key is no run of words."""
    return _words_starting_with(value, ARTICLES, str.isalpha)


def _words_starting_with(value: str, first_words: frozenset[str], is_word: Callable[[str], object]) -> bool:
    """Whether a value is three words or more between separators, each one ``is_word`` accepts, the first one of
    ``first_words``."""
    words = INSTRUCTION_SEPARATOR.split(value)
    return len(words) >= MIN_INSTRUCTION_WORDS and words[0].lower() in first_words \
        and all(is_word(word) for word in words)


ARTICLES = frozenset({"a", "an", "the"})
ASKING_VERBS = frozenset({"change", "replace", "set", "put", "insert", "enter", "generate", "fill", "paste", "add",
                          "update", "provide", "define", "use", "create", "type", "write"})
INSTRUCTION_SEPARATOR = re.compile(r"[-_ .]+")
INSTRUCTION_WORD = re.compile(r"[A-Za-z]+|\d+\+?")
MIN_INSTRUCTION_WORDS = 3


def switched_off(value: str) -> bool:
    """Whether a value turns the feature off (Chromium's ``GOOGLE_API_KEY=no``, ``false``, ``none``): no key at all."""
    return value.strip().strip("\"'").lower() in SWITCHES


def _one_character(value: str) -> bool:
    """Whether a value is mostly one character repeated: a filler, not a key (``x``, ``00000000``, a vendor's
    published test key such as ``1x0000000000000000000000000000000AA``). One character alone, or three quarters of
    eight or more characters; a random key of that length repeats no character so often."""
    if len(set(value)) == 1:
        return True  # `AUTH_TOKEN=x`, `xxx`: what a template writes for every value the deployer fills in
    if len(value) < MIN_FILLER:
        return False
    return 4 * max(value.count(char) for char in set(value)) >= 3 * len(value)


MIN_FILLER = 8
REPEATED = re.compile(r"(.{2,8}?)\1{2,}", re.DOTALL)
"""A filler of one short word said three times or more (``hellohellohello``, ``abcabcabc``): no random key."""


def env_secrets(project: Project, path: Path) -> list[tuple[str, int]]:
    """The secrets (``SECRET_KEY``, ``*PASSWORD*``...) an env file gives a value, with their lines.

    A placeholder (:func:`placeholder`: ``PAPERLESS_SECRET_KEY=change-me``,
    ``SECRET_KEY=ThisIsAnExampleKeyForDevPurposeOnly``) is no secret. A file that cannot be read
    (encrypted by git-secret, ``.env.prod.secret``) holds none djcheck can see, and is no problem here; nor does
    a value sops encrypted in place (:data:`SOPS_CIPHERTEXT`).
    """
    return [(name, var.line) for name, var in project.env_file(path, quiet=True).items()
            if secret_name(name) and var.value and not placeholder(var.value)
            and not SOPS_CIPHERTEXT.match(var.value)]
