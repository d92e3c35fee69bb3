"""Method calls and augmented assignments that change a setting in place (``DATABASES["default"].update(...)``).

A change djcheck can evaluate is applied, checked against Python: the source is executed
with the same environment and the value djcheck computes must be the one Python computes.
A change it cannot evaluate makes the setting, or the item it changes, unknown: the value
before it never stands.
"""

from __future__ import annotations

import pytest
from conftest import assert_as_python_computes, settings_bindings

from djlint_docker.parse.env_reads import Opaque
from djlint_docker.parse.settings import Unknown, evaluate

SOURCE = '''\
import os

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
if os.environ.get("POSTGRES_DB"):
    DATABASES["default"].update({"ENGINE": "django.db.backends.postgresql", "NAME": os.environ["POSTGRES_DB"]})
if DATABASES["default"].get("ENGINE") == "django.db.backends.sqlite3":
    DATABASES["default"].get("OPTIONS", {}).pop("sslmode", None)
DATABASES["default"].setdefault("OPTIONS", {}).update(connect_timeout=int(os.environ.get("DB_TIMEOUT", "5")))
DATABASES["default"]["OPTIONS"] |= {"application_name": "shop"}
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_MAX_AGE"] += 60

MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
if os.environ.get("DEBUG") == "1":
    MIDDLEWARE.append("debug_toolbar.middleware.DebugToolbarMiddleware")
MIDDLEWARE.remove("django.middleware.common.CommonMiddleware")
MIDDLEWARE.pop()
MIDDLEWARE.reverse()

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "sessions": {}}
CACHES.pop("sessions")
CACHES["default"].update(LOCATION=os.environ.get("CACHE_LOCATION", "unique"), TIMEOUT=300)

LOGGING = {"handlers": {"console": {"class": "logging.StreamHandler"}}, "loggers": {}}
LOGGING["loggers"].setdefault("django", {"handlers": ["console"]})
LOGGING["loggers"]["django"].setdefault("level", os.environ.get("LOG_LEVEL", "INFO"))
LOGGING["handlers"]["console"].update({"level": "DEBUG"})
'''
NAMES = ["DATABASES", "MIDDLEWARE", "CACHES", "LOGGING"]



@pytest.mark.parametrize("env", [{}, {"POSTGRES_DB": "shop"}, {"DEBUG": "1", "DB_TIMEOUT": "9"},
                                 {"POSTGRES_DB": "shop", "CACHE_LOCATION": "x", "LOG_LEVEL": "WARNING"}])
def test_changes_in_place_as_python_computes_them(env):
    assert_as_python_computes(SOURCE, NAMES, env)


def test_an_update_from_the_database_url_replaces_the_sqlite_entry():
    names = settings_bindings("import dj_database_url\n"
                      "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"
                      "DATABASES['default'].update(dj_database_url.config(env='DATABASE_URL', conn_max_age=500))\n")
    url = {"DATABASE_URL": "postgres://shop:secret@db:5432/shop"}
    default = evaluate(names["DATABASES"].node, url, names)["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql" and default["HOST"] == "db"
    assert evaluate(names["DATABASES"].node, {}, names)["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert names["DATABASES"].line == 2  # the value is written where the dict is


def test_an_item_changed_by_what_cannot_be_known_is_unknown_and_the_others_stay():
    names = settings_bindings("from .helpers import database_from_vault\n"
                      "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}, 'other': {'ENGINE': 'x'}}\n"
                      "DATABASES['default'].update(database_from_vault())\n")
    value = evaluate(names["DATABASES"].node, {}, names)
    assert isinstance(value["default"], Opaque) and value["other"] == {"ENGINE": "x"}


def test_a_setting_changed_by_what_cannot_be_known_is_unknown():
    names = settings_bindings("from .helpers import extra_apps\nINSTALLED_APPS = ['django.contrib.admin']\n"
                      "INSTALLED_APPS.extend(extra_apps())\n")
    with pytest.raises(Unknown):
        evaluate(names["INSTALLED_APPS"].node, {}, names)


@pytest.mark.parametrize("source", [
    "A = {'x': {}}\nfor key in ('a', 'b'):\n    A['x'].update({key: 1})\n",
    "A = ['x']\nEXTRA = ['y']\n[A.append(app) for app in EXTRA]\n",
    "A = {'x': {'a': 1}}\nB = A['x'].pop('a')\n",
    "A = ['x']\nwith open('apps.txt') as f:\n    A.extend(f.read().split())\n",
    "A = {'x': {}}\nA['x'].get('y', {}).update(z=1) or A.clear()\n",
])
def test_a_change_djcheck_cannot_follow_leaves_the_setting_unknown(source):
    names = settings_bindings(source)
    with pytest.raises(Unknown):
        evaluate(names["A"].node, {}, names)


def test_a_method_of_an_imported_module_changes_no_setting():
    names = settings_bindings("from os import environ\nenviron.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
                      "DEBUG = environ.get('DEBUG') == '1'\n")
    assert names["environ"].imported == "os.environ"
    assert evaluate(names["DEBUG"].node, {"DEBUG": "1"}, names) is True


def test_a_change_through_get_of_a_missing_key_is_lost_with_the_default():
    names = settings_bindings("A = {'default': {}}\nA['default'].get('OPTIONS', {}).update(sslmode='require')\n")
    assert evaluate(names["A"].node, {}, names) == {"default": {}}


def test_items_read_from_a_known_setting():
    names = settings_bindings("A = {'default': {'ENGINE': 'x'}, 'list': [1, 2]}\nB = A['default']['ENGINE']\n"
                      "C = A['list'][-1]\nD = A.get('missing', 'fallback')\nE = A['missing']\n")
    assert [evaluate(names[name].node, {}, names) for name in "BCD"] == ["x", 2, "fallback"]
    with pytest.raises(Unknown):
        evaluate(names["E"].node, {}, names)


@pytest.mark.parametrize("source", [
    "A = {'default': {'HOST': 'db'}}\nDEFAULT = A['default']\nDEFAULT['HOST'] = 'localhost'\n",
    "DEFAULT = {'HOST': 'db'}\nA = {'default': DEFAULT}\nDEFAULT.update(HOST='localhost')\n",
    "DEFAULT = {'HOST': 'db'}\nA = {}\nA['default'] = DEFAULT\nif True:\n    DEFAULT['HOST'] = 'localhost'\n",
    "A = ['x']\nB = A\nB.append('y')\n",
])
def test_a_change_through_another_name_for_the_same_value_leaves_it_unknown(source):
    names = settings_bindings(source)
    with pytest.raises(Unknown):
        evaluate(names["A"].node, {}, names)


def test_a_copy_or_a_rebound_name_shares_nothing():
    names = settings_bindings("A = {'default': {'HOST': 'db'}}\nB = dict(A)\nB['x'] = 1\nC = A\nC = {}\nC['y'] = 2\n"
                      "D = A['default']['HOST']\n")
    assert evaluate(names["A"].node, {}, names) == {"default": {"HOST": "db"}}
    assert evaluate(names["D"].node, {}, names) == "db"
