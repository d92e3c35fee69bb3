"""DJC314's table of removed settings, checked against the Django installed as a test dependency."""

from __future__ import annotations

import django
from django.conf import global_settings

from djlint_docker.rules.settings._django_release import FEATURES, allowed_features
from djlint_docker.rules.settings.djc314_setting_removed import REMOVED


def test_removed_settings_are_gone_from_the_installed_django():
    installed = django.VERSION[:2]
    for name, (removed, *_rest) in REMOVED.items():
        gone = tuple(int(part) for part in removed.split(".")) <= installed
        assert hasattr(global_settings, name) != gone, (name, removed, django.get_version())


def test_replacements_are_settings_of_the_installed_django():
    for name, (_removed, replacement, *_rest) in REMOVED.items():
        if replacement is not None and replacement.isupper():
            assert hasattr(global_settings, replacement), (name, replacement)


def test_allowed_feature_releases():
    assert allowed_features("==5.1.4") == ("5.1",)
    assert allowed_features("<5.0,>=4.2") == ("4.2",)
    assert allowed_features("~=4.2.16") == ("4.2",)
    assert allowed_features(">=1.11,<3")[:2] == ("1.11", "2.0")
    assert allowed_features("<1.8") == ()
    assert FEATURES[-1] == "6.0"


def test_plain_and_packaging_specifiers_agree():
    from packaging.specifiers import SpecifierSet

    for specifier in ("<5.0,>=4.2", "==5.1.4", ">=1.11,<3", "<1.8", ">4.2", "!=5.0,>=4.2,<5.2", "<=5.1", "==4"):
        plain = allowed_features(specifier)
        slow = tuple(dict.fromkeys(f for f in FEATURES for p in range(41)
                                   if SpecifierSet(specifier).contains(f"{f}.{p}", prereleases=False)))
        assert plain == slow, specifier
