"""DJC316 list-setting-from-string: A list setting is read from the environment as one string."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import Branches, Unknown, chosen, env_reads
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import each_binding, evaluated, location_of
from djlint_docker.rules.snippets import SETTINGS_SETUP

STARTUP = "Django refuses to start (ImproperlyConfigured: \"The {name} setting must be a list or a tuple.\")"
CHECKS = ("each character is taken for an origin: the system check {check} reports every one, which stops "
          "migrate and runserver, and no origin is trusted")
LIST_SETTINGS = {
    # What a string does there, from Django's conf/__init__.py (its tuple_settings) and checks.
    "ALLOWED_HOSTS": ("example.com,www.example.com", "Django 4.0 and later refuse to start (ImproperlyConfigured: "
                      "\"The ALLOWED_HOSTS setting must be a list or a tuple.\"), older versions take each character "
                      "for a host: they answer 400 Bad Request, or accept every host when a `*` is among them"),
    "SECRET_KEY_FALLBACKS": ("old-key-1,old-key-2", STARTUP.format(name="SECRET_KEY_FALLBACKS")),
    "CSRF_TRUSTED_ORIGINS": ("https://example.com,https://www.example.com",
                             CHECKS.format(check="4_0.E001 (origins must start with a scheme)")),
    "CORS_ALLOWED_ORIGINS": ("https://example.com,https://www.example.com",
                             CHECKS.format(check="corsheaders.E013 (origin missing scheme or netloc)")),
}


@rule("DJC316", "list-setting-from-string", Severity.ERROR, examples=[
    Example("os-environ-without-split", {
        **SETTINGS_SETUP, "app/settings.py": "import os\nALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS')\n"},
        expect=(("app/settings.py", 2),)),
    Example("list-default-of-os-environ", {
        **SETTINGS_SETUP, "app/settings.py": "import os\n\n"
                                             "ALLOWED_HOSTS = os.getenv('ALLOWED_HOSTS', ['localhost', '::1'])\n"},
        expect=(("app/settings.py", 3),)),
    Example("decouple-without-csv", {
        **SETTINGS_SETUP, "app/settings.py": "from decouple import config\n"
                                             "CSRF_TRUSTED_ORIGINS = config('CSRF_TRUSTED_ORIGINS', "
                                             "default='http://localhost:8000')\n"},
        expect=(("app/settings.py", 2),)),
    Example("environ-string", {
        **SETTINGS_SETUP, "app/settings.py": "import environ\nenv = environ.Env()\n"
                                             "ALLOWED_HOSTS = env('DJANGO_ALLOWED_HOSTS', default='localhost')\n"},
        expect=(("app/settings.py", 3),)),
    Example("split", {
        **SETTINGS_SETUP, "app/settings.py": "import os\n"
                                             "ALLOWED_HOSTS = os.environ.get('HOSTS', 'localhost').split(',')\n"}),
    Example("decouple-csv", {
        **SETTINGS_SETUP, "app/settings.py": "from decouple import Csv, config\n"
                                             "ALLOWED_HOSTS = config('HOSTS', default='localhost', cast=Csv())\n"}),
    Example("environ-list-default", {
        **SETTINGS_SETUP, "app/settings.py": "import environ\nenv = environ.Env()\n"
                                             "ALLOWED_HOSTS = env('DJANGO_ALLOWED_HOSTS', default=['localhost'])\n"
                                             "CSRF_TRUSTED_ORIGINS = env.list('CSRF_TRUSTED_ORIGINS', default=[])\n"}),
    Example("one-host-in-a-list", {
        **SETTINGS_SETUP, "app/settings.py": "import os\nALLOWED_HOSTS = [os.environ.get('DOMAIN', 'localhost')]\n"}),
])
def list_setting_from_string(project: Project) -> Iterator[Violation]:
    """A list setting is read from the environment as one string.

    ## What it does
    Reports `ALLOWED_HOSTS`, `CSRF_TRUSTED_ORIGINS`, `SECRET_KEY_FALLBACKS` and
    django-cors-headers' `CORS_ALLOWED_ORIGINS` whose value, once their environment
    variable is set, is a string rather than a list: `os.environ.get(...)` without
    `.split(",")`, python-decouple's `config(...)` without `cast=Csv()`, or
    django-environ's `env(...)` with neither a list cast nor a list default (a list
    default makes django-environ split the value, so it is not reported). A list
    default of `os.environ.get` is reported too: the setting is a list only while the
    variable is unset.

    ## Why is this bad?
    For `ALLOWED_HOSTS` (since Django 4.0) and `SECRET_KEY_FALLBACKS` Django checks the
    type when it loads the settings and stops with *ImproperlyConfigured: The
    ALLOWED_HOSTS setting must be a list or a tuple*: the container exits as soon as the
    variable is set, which is usually in production only (older versions take each
    character for a host and reject every request, or accept every host when the string
    holds a `*`). For the origin lists each character of the string is an origin: the
    checks fail (`4_0.E001`, `corsheaders.E013`) and no real origin is trusted.

    ## Example
    ```python
    ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost")
    ```
    Use instead:
    ```python
    ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")
    ```

    ## References
    - [Django: ALLOWED_HOSTS](https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts)
      (a list of strings)
    - [Django source: the settings that must be a list or a tuple](https://github.com/django/django/blob/main/django/conf/__init__.py)
    - [Django ticket #29606: type check for ALLOWED_HOSTS](https://code.djangoproject.com/ticket/29606)
    - [python-decouple: the Csv helper](https://github.com/HBNetwork/python-decouple#built-in-csv-helper)
    - [django-environ: list values](https://django-environ.readthedocs.io/en/latest/types.html)
    """
    for name, (sample, effect) in LIST_SETTINGS.items():
        for settings, binding in each_binding(project, name):
            assert binding.node is not None
            variables = [read.variable for read in env_reads(binding.node, settings.bindings)]
            if not variables:
                continue  # written in the settings, not read from the environment
            environment = dict.fromkeys(variables, sample)
            # the way the settings take when the variable is set (`if ALLOWED_HOSTS: ALLOWED_HOSTS = ....split(",")`)
            way = chosen(whole, environment, settings.bindings) if (whole := settings.bindings.get(name)) else binding
            decided = way.node is not None and not isinstance(way.node, Branches)  # else: the container's way
            try:
                value = evaluated(settings, way if decided else binding, environment)
            except Unknown:
                continue
            if isinstance(value, str):
                shown = ", ".join(variables[:3])
                yield Violation(location_of(binding),
                                f"{name} is the string in {shown} when it is set, not a list: {effect}; split it "
                                f"(.split(\",\"), decouple's cast=Csv(), env.list())")
