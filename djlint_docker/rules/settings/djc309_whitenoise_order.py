"""DJC309 whitenoise-order: `WhiteNoiseMiddleware` is not directly after `SecurityMiddleware`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import Unknown
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import each_binding, evaluated, location_of
from djlint_docker.rules.snippets import SETTINGS_SETUP

SECURITY = "django.middleware.security.SecurityMiddleware"
WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"
PLACED_HIGH = {"corsheaders.middleware.CorsMiddleware"}
"""Middleware its own documentation places as high as possible: before WhiteNoise is right for it."""
HEADERS_ONLY = {"django_permissions_policy.PermissionsPolicyMiddleware",
                "django_feature_policy.FeaturePolicyMiddleware",
                "django_referrer_policy.middleware.ReferrerPolicyMiddleware",
                "csp.middleware.CSPMiddleware"}
"""Middleware that only adds security headers to the response: before WhiteNoise it costs nothing and no cookie,
and static files get the headers too."""
COMPRESSING = {"django.middleware.gzip.GZipMiddleware"}
"""Middleware that compresses responses: before WhiteNoise it compresses the static files too (WhiteNoise's answers
bypass what comes after it), and touches no session or cookie."""
ACCEPTED_BEFORE = PLACED_HIGH | HEADERS_ONLY | COMPRESSING
RESPONSE_HOOKS = frozenset({"__init__", "__call__", "process_response"})
"""What a middleware that only adds headers defines: it answers no request itself (no ``process_request``)."""


STAGES = {
    **SETTINGS_SETUP, "app/settings/__init__.py":
        "import os\nif os.environ.get('DJANGO_ENV') == 'staging':\n    from .staging import *\n"
        "else:\n    from .production import *\n",
    "app/settings/production.py": f"MIDDLEWARE = ['{SECURITY}', '{WHITENOISE}']\n",
    "app/settings/staging.py": f"MIDDLEWARE = ['{SECURITY}', 'debug_toolbar.middleware.DebugToolbarMiddleware', "
                               f"'{WHITENOISE}']\n"}
"""A settings package that star-imports the stage DJANGO_ENV names: staging's order is wrong."""

OWN_MIDDLEWARE = (f"MIDDLEWARE = [\n    '{SECURITY}',\n    'app.middleware.SecurityHeadersMiddleware',\n"
                  f"    '{WHITENOISE}',\n]\n")
HEADERS_MIDDLEWARE = ("from django.http import HttpResponse\n\n\nclass SecurityHeadersMiddleware:\n"
                      "    def __init__(self, get_response):\n        self.get_response = get_response\n\n"
                      "    def __call__(self, request):\n        response = self.get_response(request)\n"
                      "        response['Permissions-Policy'] = 'camera=()'\n        return response\n")
"""A project's own middleware that adds a header to every response."""


@rule("DJC309", "whitenoise-order", Severity.WARNING, examples=[
    Example("after-sessions", {**SETTINGS_SETUP, "app/settings.py":
                               f"MIDDLEWARE = [\n    '{SECURITY}',\n"
                               "    'django.contrib.sessions.middleware.SessionMiddleware',\n"
                               f"    '{WHITENOISE}',\n]\n"},
            expect=(("app/settings.py", 1),)),
    Example("directly-after-security", {**SETTINGS_SETUP, "app/settings.py":
                                        f"MIDDLEWARE = [\n    '{SECURITY}',\n"
                                        f"    '{WHITENOISE}',\n"
                                        "    'django.contrib.sessions.middleware.SessionMiddleware',\n]\n"}),
    Example("cors-headers-first", {**SETTINGS_SETUP, "app/settings.py":
                                   f"MIDDLEWARE = [\n    'corsheaders.middleware.CorsMiddleware',\n    '{SECURITY}',\n"
                                   f"    '{WHITENOISE}',\n]\n"}),
    Example("cors-headers-between", {**SETTINGS_SETUP, "app/settings.py":
                                     f"MIDDLEWARE = [\n    '{SECURITY}',\n"
                                     "    'corsheaders.middleware.CorsMiddleware',\n"
                                     f"    '{WHITENOISE}',\n]\n"}),
    Example("permissions-policy-header-between", {
        **SETTINGS_SETUP, "app/settings.py": f"MIDDLEWARE = [\n    '{SECURITY}',\n"
                                             "    'django_permissions_policy.PermissionsPolicyMiddleware',\n"
                                             f"    '{WHITENOISE}',\n"
                                             "    'django.contrib.sessions.middleware.SessionMiddleware',\n]\n"}),
    Example("cors-headers-and-sessions-between", {**SETTINGS_SETUP, "app/settings.py":
                                                  f"MIDDLEWARE = [\n    '{SECURITY}',\n"
                                                  "    'corsheaders.middleware.CorsMiddleware',\n"
                                                  "    'django.contrib.sessions.middleware.SessionMiddleware',\n"
                                                  f"    '{WHITENOISE}',\n]\n"},
            expect=(("app/settings.py", 1),)),
    Example("stage-the-container-runs", {
        **STAGES, "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DJANGO_ENV: staging\n"},
        expect=(("app/settings/staging.py", 1),)),
    Example("stage-no-container-runs", {
        **STAGES, "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n      DJANGO_ENV: production\n"}),
    Example("own-middleware-that-adds-headers", {
        **SETTINGS_SETUP, "app/middleware.py": HEADERS_MIDDLEWARE, "app/settings.py": OWN_MIDDLEWARE}),
    Example("own-middleware-that-answers-requests", {
        **SETTINGS_SETUP, "app/settings.py": OWN_MIDDLEWARE,
        "app/middleware.py": HEADERS_MIDDLEWARE.replace("    def __call__(self, request):\n",
                                                        "    def __call__(self, request):\n"
                                                        "        if request.path == '/ping':\n"
                                                        "            return HttpResponse('pong')\n")},
        expect=(("app/settings.py", 1),)),
    Example("gzip-between", {**SETTINGS_SETUP, "app/settings.py":
                             f"MIDDLEWARE = [\n    '{SECURITY}',\n    'django.middleware.gzip.GZipMiddleware',\n"
                             f"    '{WHITENOISE}',\n]\n"}),
    Example("no-whitenoise", {**SETTINGS_SETUP, "app/settings.py": f"MIDDLEWARE = ['{SECURITY}']\n"}),
])
def whitenoise_order(project: Project) -> Iterator[Violation]:
    """`WhiteNoiseMiddleware` is not directly after `SecurityMiddleware`.

    ## What it does
    Reads `MIDDLEWARE` and reports WhiteNoise placed anywhere but directly after
    Django's `SecurityMiddleware` (or first, when there is none). django-cors-headers'
    `CorsMiddleware` between them is accepted: its documentation places it as high as
    possible, before any middleware that can answer a request, WhiteNoise included. So
    is middleware that only adds security headers to responses (Permissions-Policy,
    Referrer-Policy, django-csp's `CSPMiddleware`, or a class of the project's own that
    defines only `process_response` or a `__call__` returning what the next middleware
    answered, and touches no session, user or cookie): it sets no cookie and costs nothing.
    So is Django's `GZipMiddleware`: placed before WhiteNoise it compresses the static
    files as well, which WhiteNoise's answers would otherwise skip.

    ## Why is this bad?
    Middleware before WhiteNoise runs on every static file request (sessions,
    authentication, CSRF...), slowing static files down and sometimes setting cookies on
    them; WhiteNoise's documentation requires this position.

    ## Example
    ```python
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    ```
    Use instead:
    ```python
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
    ]
    ```

    ## References
    - [Divio: configure a Django application for Docker](https://docs.divio.com/how-to/deploy-django/)
      (add WhiteNoiseMiddleware after SecurityMiddleware)
    - [WhiteNoise: enable WhiteNoise](https://whitenoise.readthedocs.io/en/stable/django.html#enable-whitenoise)
    - [django-cors-headers: setup](https://github.com/adamchainz/django-cors-headers#setup)
      (CorsMiddleware as high as possible, before WhiteNoise)
    """
    for settings, binding in each_binding(project, "MIDDLEWARE"):  # the stage each container takes
        try:
            value = evaluated(settings, binding, {})
        except Unknown:
            continue
        if not isinstance(value, (list, tuple)) or WHITENOISE not in value:
            continue
        middleware = list(value)
        position = middleware.index(WHITENOISE)
        expected = middleware.index(SECURITY) + 1 if SECURITY in middleware else 0
        between = middleware[min(expected, position):position]
        if position != expected and not all(item in ACCEPTED_BEFORE or isinstance(item, str)
                                            and _sets_headers_only(project, item) for item in between):
            yield Violation(location_of(binding), f"WhiteNoiseMiddleware is at position {position + 1} of MIDDLEWARE; "
                                                  f"put it directly after SecurityMiddleware")


def _sets_headers_only(project: Project, dotted: str) -> bool:
    """Whether a middleware of the project's own (``apps.core.middleware.SecurityHeadersMiddleware``) only adds
    headers to the response: a class with no hook but ``process_response`` and a ``__call__`` that returns what
    the next middleware answered, touching no session, user or cookie."""
    module, _, name = dotted.rpartition(".")
    path = project.module_file(module) if module else None
    text = project.text(path) if path is not None else None
    tree = project.syntax_tree(path) if path is not None and text is not None and name in text else None
    if tree is None:
        return False
    found = next((node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name), None)
    if found is None:
        return False
    methods = [node for node in found.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not methods or any(method.name not in RESPONSE_HOOKS for method in methods):
        return False
    for node in ast.walk(found):
        if isinstance(node, ast.Attribute) and node.attr in {"session", "user", "set_cookie", "COOKIES"}:
            return False
    call = next((method for method in methods if method.name == "__call__"), None)
    if call is not None:  # every return gives back the response of the next middleware
        answered = {target.id for node in ast.walk(call) if isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute)
                    and node.value.func.attr == "get_response"
                    for target in node.targets if isinstance(target, ast.Name)}
        returns = [node for node in ast.walk(call) if isinstance(node, ast.Return)]
        if not returns or not all(isinstance(node.value, ast.Name) and node.value.id in answered for node in returns):
            return False
    return True
