"""The one notion of a value that says it is no real secret, which DJC207, DJC402 and DJC412 share."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from djlint_docker.rules.project._git import MAX_VALUE, placeholder

SAID_SO = ["change-me", "CHANGE_ME", "<your key>", "your-mysql-password", "YourApiTokenHere", "your_db_pass",
           "ThisIsAnExampleKeyForDevPurposeOnly", "DontusethisinproductionbutitneedsbelongforCI1234567890",
           "do-not-use-in-production", "not-for-production", "dev-only-secret", "secret_for_dev",
           "insecure-dev-key", "django-insecure-change-me", "very_secret_dev_key_change_me_later", "placeholder",
           "example-password", "\"change-me\"", "1x0000000000000000000000000000000AA", "00000000",
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx42", "FAKE_SECRET_KEY", "fake_password", "sample-secret-key",
           "a_very_strong_database_password", "the-mailbox-password"]
SECRETS = ["9f8a7b6c5d", "s3cr3t-2024", "Zx81-prod-Qw", "k3Yq0local9Zr", "miniostorage", "postgres", "devpass",
           "not-a-secret-at-all", "some-long-and-unrandom-key", "Hq7vYex2mPle9", "7dYk2!pq9zExamp1e_w8r",
           "django-insecure-k7q2x9w3m1z8p4r6t0y5u2i8o3e1a9s4d7f2g6h0j5",
           "django-insecure-49ex@f+y($scl^&37mt!l7hau#(h%whyxl1sm!ti_ct3ope1gx", "0x4AAAAAAB3kT9vQz7pLm2Rw",
           "aaaa1234", "1000000"]


@pytest.mark.parametrize("value", SAID_SO)
def test_value_that_says_it_is_no_secret(value: str) -> None:
    assert placeholder(value)


@pytest.mark.parametrize("value", SECRETS)
def test_value_that_may_be_a_real_secret(value: str) -> None:
    assert not placeholder(value)


ALPHABET = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"


def test_random_keys_are_secrets() -> None:
    """Django's key alphabet, fifty characters: none of twenty thousand keys reads as a placeholder. Seeded, so
    that CI draws the same keys every run (a fresh draw once met a key that starts with `your`)."""
    chooser = random.Random(20_000)
    keys = ["".join(chooser.choice(ALPHABET) for _ in range(50)) for _ in range(20_000)]
    assert [key for key in keys if placeholder(key)] == []


@given(st.text(alphabet=string.ascii_letters + string.digits, min_size=32, max_size=64))
def test_generated_keys_with_a_django_prefix_stay_secrets(key: str) -> None:
    assume(not placeholder(key))
    assert not placeholder("django-insecure-" + key)


def test_a_long_value_is_judged_by_its_start_alone() -> None:
    # Only the first MAX_VALUE characters are read: the work is bounded however long the value (measured in bench/).
    key = "".join(f"k{index:x}Q" for index in range(MAX_VALUE))[:MAX_VALUE]  # no word repeated: a random key's shape
    assert not placeholder(key)
    assert not placeholder(key + "-change-me" + "-" * 1_000_000)  # the placeholder words lie past the start
    assert placeholder("your-" + key + "x" * 1_000_000)


@pytest.mark.parametrize("value", ["dummy", "dummy-secret-key", "build-time-only", "collectstatic-key"])
def test_a_build_time_filler_is_a_placeholder(value):
    """`ARG SECRET_KEY=dummy`: a value that lets collectstatic import the settings at build time."""
    assert placeholder(value)
