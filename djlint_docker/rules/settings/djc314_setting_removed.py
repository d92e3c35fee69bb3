"""DJC314 setting-removed: A setting the Django version the image installs no longer reads."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import Unknown
from djlint_docker.project import DjangoRun, Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._django_versions import (
    numbers,
)
from djlint_docker.rules.settings._bindings import location_of
from djlint_docker.rules.settings._django_release import oldest_installed
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

#: Settings Django removed, from the "Features removed in X" sections of Django's release
#: notes (https://docs.djangoproject.com/en/stable/releases/, read 2026-11), checked against
#: django/conf/global_settings.py of Django 5.2: setting -> (the first feature release that
#: no longer reads it, what replaces it or None, what ignoring it does, severity when the
#: replacement is not set).
REMOVED: dict[str, tuple[str, str | None, str, Severity]] = {
    "SEND_BROKEN_LINK_EMAILS": ("1.8", "BrokenLinkEmailsMiddleware", "no broken-link emails are sent",
                                Severity.WARNING),
    "CACHE_MIDDLEWARE_ANONYMOUS_ONLY": ("1.8", None, "pages are cached for logged-in users too", Severity.WARNING),
    "TRANSACTIONS_MANAGED": ("1.8", None, "it has no effect", Severity.INFO),
    "TEMPLATE_DIRS": ("1.10", "TEMPLATES", "the templates in those folders are not found", Severity.ERROR),
    "TEMPLATE_LOADERS": ("1.10", "TEMPLATES", "the loaders are not used", Severity.WARNING),
    "TEMPLATE_CONTEXT_PROCESSORS": ("1.10", "TEMPLATES", "templates miss the variables the processors add",
                                    Severity.WARNING),
    "TEMPLATE_DEBUG": ("1.10", "TEMPLATES", "it has no effect", Severity.INFO),
    "TEMPLATE_STRING_IF_INVALID": ("1.10", "TEMPLATES", "it has no effect", Severity.INFO),
    "ALLOWED_INCLUDE_ROOTS": ("1.10", None, "it has no effect ({% ssi %} is gone)", Severity.INFO),
    "MIDDLEWARE_CLASSES": ("2.0", "MIDDLEWARE", "no middleware runs: no sessions, authentication, messages or "
                           "CSRF protection (the admin's checks fail)", Severity.ERROR),
    "USE_ETAGS": ("2.1", "ConditionalGetMiddleware", "no ETags are sent", Severity.INFO),
    "DEFAULT_CONTENT_TYPE": ("3.0", None, "responses are text/html", Severity.WARNING),
    "FILE_CHARSET": ("3.1", None, "files are read as UTF-8", Severity.WARNING),
    "PASSWORD_RESET_TIMEOUT_DAYS": ("4.0", "PASSWORD_RESET_TIMEOUT", "reset links last the default 3 days",
                                    Severity.WARNING),
    "DEFAULT_HASHING_ALGORITHM": ("4.0", None, "it has no effect (sha256 is used)", Severity.INFO),
    "SECURE_BROWSER_XSS_FILTER": ("4.0", None, "it has no effect (browsers dropped the X-XSS-Protection filter)",
                                  Severity.INFO),
    "USE_L10N": ("5.0", None, "localized formatting is always on", Severity.WARNING),
    "USE_DEPRECATED_PYTZ": ("5.0", None, "zoneinfo is used, pytz time zones break", Severity.WARNING),
    "CSRF_COOKIE_MASKED": ("5.0", None, "it has no effect", Severity.INFO),
    "DEFAULT_FILE_STORAGE": ("5.1", "STORAGES", "uploads go to the local file system storage",
                             Severity.ERROR),
    "STATICFILES_STORAGE": ("5.1", "STORAGES", "collectstatic and {% static %} use the plain "
                            "StaticFilesStorage (no manifest, compression or remote storage)", Severity.ERROR),
    "FORMS_URLFIELD_ASSUME_HTTPS": ("6.0", None, "it has no effect (https is assumed)", Severity.INFO),
}

SETTINGS = "app/settings.py"
MIDDLEWARE_CLASSES = ("MIDDLEWARE_CLASSES = [\n    'django.middleware.security.SecurityMiddleware',\n"
                      "    'django.contrib.sessions.middleware.SessionMiddleware',\n]\n")
WHITENOISE = "STATICFILES_STORAGE = 'whitenoise.storage.CompressedManifestStaticFilesStorage'\n"


def _files(requirement: str, settings: str) -> dict[str, str]:
    return {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE, "requirements.txt": requirement,
            SETTINGS: settings}


@rule("DJC314", "setting-removed", Severity.WARNING, cross=True, examples=[
    Example("storage-set-to-what-django-used-anyway", _files(
        "Django==5.2.1\ngunicorn\n",
        "STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.StaticFilesStorage'\n")),
    Example("middleware-classes-on-django-4", _files("Django>=4.2,<5.0\n", MIDDLEWARE_CLASSES),
            expect=((SETTINGS, 1),)),
    Example("staticfiles-storage-on-django-5-1", _files("django==5.1.4\nwhitenoise==6.8.2\n", WHITENOISE),
            expect=((SETTINGS, 1),)),
    Example("unpinned-django", _files("django\ngunicorn\n", "USE_L10N = False\n"), expect=((SETTINGS, 1),)),
    # Localized formatting is what Django 5 always does: the dead line loses nothing.
    Example("set-to-what-django-now-always-does", _files("django\ngunicorn\n", "USE_L10N = True\n")),
    Example("header-browsers-no-longer-read", _files("Django>=4.2,<5.0\n", "SECURE_BROWSER_XSS_FILTER = True\n")),
    Example("django-4-2-still-reads-it", _files("Django~=4.2.16\n", WHITENOISE)),
    Example("range-that-allows-an-older-release", _files("Django>=1.11,<3\n", MIDDLEWARE_CLASSES)),
    Example("storages-set-too", _files("Django>=5.1,<5.2\n", WHITENOISE + "STORAGES = {\n    'staticfiles': "
                                       "{'BACKEND': 'whitenoise.storage.CompressedManifestStaticFilesStorage'},\n}\n"),
),
    # ConditionalGetMiddleware sends the ETags USE_ETAGS asked for: the dead line loses nothing.
    Example("etags-sent-by-the-middleware", _files("Django==4.2.16\n", "USE_ETAGS = True\nMIDDLEWARE = [\n"
                                                   "    'django.middleware.http.ConditionalGetMiddleware',\n]\n")),
    Example("etags-asked-of-the-removed-setting", _files("Django==4.2.16\n", "USE_ETAGS = True\nMIDDLEWARE = [\n"
                                                         "    'django.middleware.common.CommonMiddleware',\n]\n"),
            expect=((SETTINGS, 1),)),
    Example("version-unknown", {"Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE,
                                SETTINGS: MIDDLEWARE_CLASSES}),
])
def setting_removed(project: Project) -> Iterator[Violation]:
    """A setting the Django version the image installs no longer reads.

    ## What it does
    Reads the Django requirement the image installs (requirements files, pyproject,
    lock files) and reports a setting that every release it allows has removed:
    `MIDDLEWARE_CLASSES` (removed in 2.0), the `TEMPLATE_*` settings (1.10),
    `DEFAULT_FILE_STORAGE` and `STATICFILES_STORAGE` (5.1), `USE_L10N` (5.0),
    `PASSWORD_RESET_TIMEOUT_DAYS` (4.0) and the other settings of the table in this
    module (from Django's release notes). An unpinned `Django` is the newest release the
    image's Python installs (4.2 when the Python is unknown); a requirement djcheck
    cannot find leaves the version unknown and nothing is reported. A removed setting
    set beside its replacement (`STORAGES`, `MIDDLEWARE`, `TEMPLATES`, for `USE_ETAGS` the
    `ConditionalGetMiddleware` in `MIDDLEWARE`), as projects
    supporting two Django versions do, is not reported, nor a storage setting set to the
    storage Django used anyway (`StaticFilesStorage`), nor a setting set to what Django now
    always does (`USE_L10N = True`, `CSRF_COOKIE_MASKED = True`, `FILE_CHARSET = 'utf-8'`),
    nor `SECURE_BROWSER_XSS_FILTER`, whose header browsers no longer read: ignoring it
    loses nothing. Each finding carries the severity of what ignoring the setting does:
    an error where a feature silently stops (`TEMPLATE_DIRS`, the storage settings), info
    where the setting had no effect left (`TRANSACTIONS_MANAGED`), else the rule's warning.

    ## Why is this bad?
    Django ignores a setting it no longer knows, silently: `MIDDLEWARE_CLASSES` leaves
    the project with no middleware (no sessions, no authentication, no CSRF protection),
    `STATICFILES_STORAGE` set to WhiteNoise's or S3's storage is ignored on Django 5.1
    and `collectstatic` writes plain files to `STATIC_ROOT` (no hashed names, nothing
    uploaded), `DEFAULT_FILE_STORAGE` sends uploads to the container's disk, where
    they are lost with it.

    ## Example
    ```python
    STATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    ```
    with `Django>=5.1` in the requirements. Use instead:
    ```python
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    ```

    ## References
    - [Django 5.1 release notes: features removed](https://docs.djangoproject.com/en/stable/releases/5.1/#features-removed-in-5-1)
      (`DEFAULT_FILE_STORAGE`, `STATICFILES_STORAGE`)
    - [Django 2.0 release notes: features removed](https://docs.djangoproject.com/en/stable/releases/2.0/#features-removed-in-2-0)
      (`MIDDLEWARE_CLASSES`)
    - [Django 5.0 release notes: features removed](https://docs.djangoproject.com/en/stable/releases/5.0/#features-removed-in-5-0)
      (`USE_L10N`, `USE_DEPRECATED_PYTZ`, `CSRF_COOKIE_MASKED`)
    - [Django deprecation timeline](https://docs.djangoproject.com/en/dev/internals/deprecation/)
    """
    reported = set()
    for run in project.django_runs:
        oldest = oldest_installed(project, run)
        if oldest is None:
            continue
        installed, requirement = oldest
        for settings in run.settings:
            for name, (removed, replacement, effect, severity) in REMOVED.items():
                binding = settings.bindings.get(name)
                if binding is None or numbers(installed) < numbers(removed):
                    continue
                key = (binding.path, binding.line)
                if key in reported:
                    continue
                reported.add(key)
                if replacement is not None and (replacement in settings.bindings
                                                or _runs_middleware(run, settings, replacement)):
                    continue  # set beside its replacement, for an older Django: dead code, harmless
                if _set_to_the_default(run, settings, name):
                    continue  # the value Django used anyway: ignoring it changes nothing
                what = f"Django ignores it: {effect}" + (f"; use {replacement}" if replacement else "")
                yield Violation(location_of(binding),
                                f"{name} was removed in Django {removed} and the image installs Django "
                                f"{requirement}: {what}", severity=severity)


AS_IF_IGNORED: dict[str, object] = {
    "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "DEFAULT_FILE_STORAGE": "django.core.files.storage.FileSystemStorage",
    "USE_L10N": True, "CSRF_COOKIE_MASKED": True, "DEFAULT_HASHING_ALGORITHM": "sha256",
    "FORMS_URLFIELD_ASSUME_HTTPS": True, "FILE_CHARSET": "utf-8",
}
"""The value of each removed setting that its absence gives: the storages Django 4.2 used when these were not set
(``global_settings``), and what the releases that removed the others always do (localized formatting, a masked
CSRF cookie, sha256, https URLs, files read as UTF-8). A setting set to it loses nothing when it is ignored."""
LOSES_NOTHING = frozenset({"SECURE_BROWSER_XSS_FILTER"})
"""Removed settings whose every value is lost for nothing: browsers dropped the X-XSS-Protection filter that
``SECURE_BROWSER_XSS_FILTER`` turned on, so the header it sent did nothing."""


def _runs_middleware(run: DjangoRun, settings: Settings, name: str) -> bool:
    """Whether ``MIDDLEWARE`` holds the middleware class ``name`` (``ConditionalGetMiddleware``, which sends the ETags
    ``USE_ETAGS`` asked for)."""
    try:
        middleware = run.setting(settings, "MIDDLEWARE")
    except Unknown:
        return False
    return isinstance(middleware, (list, tuple)) and any(
        isinstance(entry, str) and entry.rsplit(".", 1)[-1] == name for entry in middleware)


def _set_to_the_default(run: DjangoRun, settings: Settings, name: str) -> bool:
    """Whether a removed setting is set, in the container, to the value its absence gives (any value of one that
    loses nothing)."""
    if name in LOSES_NOTHING:
        return True
    if name not in AS_IF_IGNORED:
        return False
    try:
        value = run.setting(settings, name)
    except Unknown:
        return False
    if name == "FILE_CHARSET" and isinstance(value, str):  # any of Python's names for it: `UTF-8`, `utf8`, `u8`
        try:
            return codecs.lookup(value).name == "utf-8"
        except LookupError:
            return False
    return bool(value == AS_IF_IGNORED[name])
