"""Item assignments (``DATABASES["default"] = {...}``) change a setting in place, under branches too.

Each case is checked against Python: the source is executed with the same environment
and the value djcheck computes must be the one Python computes.
"""

from __future__ import annotations

import pytest
from conftest import assert_as_python_computes, settings_bindings

from djlint_docker.parse.settings import Unknown, evaluate, every_way

SOURCE = '''\
import os

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
if os.getenv("POSTGRES_DB"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.postgresql", "NAME": os.getenv("POSTGRES_DB"),
                            "HOST": os.environ.get("POSTGRES_HOST", "db")}
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))

CACHES = {}
CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
if os.environ.get("REDIS_URL"):
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    CACHES["default"]["LOCATION"] = os.environ["REDIS_URL"]

HOSTS = ["localhost", "web"]
HOSTS[0] = os.environ.get("HOST", "localhost")
'''
NAMES = ["DATABASES", "CACHES", "HOSTS"]



@pytest.mark.parametrize("env", [{}, {"POSTGRES_DB": "app"}, {"POSTGRES_DB": "app", "POSTGRES_HOST": "pg"},
                                 {"REDIS_URL": "redis://cache:6379/0", "CONN_MAX_AGE": "0", "HOST": "shop"}])
def test_item_assignments_as_python_computes_them(env):
    assert_as_python_computes(SOURCE, NAMES, env)


def test_an_item_of_an_unknown_entry_keeps_the_other_entries():
    names = settings_bindings("import os\nimport dj_database_url\n"
                      "DATABASES = {'default': dj_database_url.config(), 'other': {'ENGINE': 'x'}}\n"
                      "DATABASES['default']['ATOMIC_REQUESTS'] = True\n")
    value = evaluate(names["DATABASES"].node, {}, names)
    assert value["other"] == {"ENGINE": "x"}


def test_an_item_of_what_is_not_a_container_is_unknown():
    names = settings_bindings("A = 1\nA['x'] = 2\n")
    with pytest.raises(Unknown):
        evaluate(names["A"].node, {}, names)


def test_items_set_in_a_loop_leave_the_setting_unknown():
    names = settings_bindings("A = {}\nfor key in ('x', 'y'):\n    A[key] = 1\n")
    assert names["A"].node is None


def test_every_way_applies_a_later_item_assignment_to_each_branch():
    names = settings_bindings(SOURCE)
    ways = every_way(names["DATABASES"])
    engines = sorted(evaluate(way.node, {"POSTGRES_DB": "app"}, names)["default"]["ENGINE"] for way in ways)
    assert engines == ["django.db.backends.postgresql", "django.db.backends.sqlite3"]
    assert all(evaluate(way.node, {}, names)["default"]["CONN_MAX_AGE"] == 60 for way in ways)
