"""DJC310 deploy-checks: the settings fail Django's deployment checks (`manage.py check --deploy`)."""

from __future__ import annotations

import ast
import itertools
import math
from collections.abc import Callable, Iterator
from typing import Any

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import (
    MissingVariable,
    NotSet,
    Opaque,
    Unknown,
    chosen,
    env_reads,
    incomplete,
    possible_values,
)
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project, Settings
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._django_versions import numbers
from djlint_docker.rules.project._git import placeholder, substitution_token
from djlint_docker.rules.settings._bindings import (
    environment_unknown,
    follows_debug,
    hardcoded_secret_keys,
    template_note,
)
from djlint_docker.rules.settings._development import DEV_AND_PROD
from djlint_docker.rules.settings._django_release import installed_features
from djlint_docker.rules.settings._dotenv_files import (
    blank_variables,
    environment_after_env_files,
    loaded_env_unknown,
)
from djlint_docker.rules.settings._https import (
    HTTPS_CHECKS,
    hsts_at_proxy,
    redirect_at_proxy,
    served_over_https,
    stack_redirects,
)
from djlint_docker.rules.snippets import GUNICORN_DOCKERFILE, MANAGE

PRODUCTION = """\
import os
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
"""
SPLIT_SETTINGS = """\
from split_settings.tools import include, optional

include(
    "components/common.py",
    "components/*.py",
    optional("local_settings.py"),
)
"""
SPLIT_COMPONENTS = {
    "app/settings/__init__.py": SPLIT_SETTINGS,
    "app/settings/components/common.py": PRODUCTION.split("SECURE_HSTS_SECONDS")[0],
    "app/settings/components/security.py": "SECURE_HSTS_SECONDS" + PRODUCTION.split("SECURE_HSTS_SECONDS", 1)[1],
}
PLAIN_HTTP = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(" ")
CSRF_TRUSTED_ORIGINS = os.environ.get("CSRF_TRUSTED_ORIGINS", "http://localhost").split(" ")
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
"""
BEHIND_NGINX = """\
services:
  web:
    build: .
    environment:
      SECRET_KEY: ${SECRET_KEY:?}
      DJANGO_ALLOWED_HOSTS: shop.example.com
      SENTRY_DSN: https://public-key@o123.ingest.sentry.io/456
    expose:
      - 8000
  nginx:
    build: ./nginx
    ports:
      - 80:80
    depends_on:
      - web
"""
NGINX_DOCKERFILE = "FROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n"
NGINX_HTTP = """\
server {
    listen 80;
    location / {
        proxy_pass http://web:8000;
        proxy_set_header Host $host;
    }
}
"""
NGINX_TLS = """\
server {
    listen 80;
    return 301 https://$host$request_uri;
}
server {
    listen 443 ssl;
    ssl_certificate /etc/letsencrypt/live/shop.example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/shop.example.com/privkey.pem;
    location / {
        proxy_pass http://web:8000;
    }
}
"""
PLAIN_HTTP_PROJECT = {"compose.yaml": BEHIND_NGINX, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
                      "app/settings.py": PLAIN_HTTP, "nginx/Dockerfile": NGINX_DOCKERFILE,
                      "nginx/nginx.conf": NGINX_HTTP}
PRODUCTION_BRANCH = PLAIN_HTTP.replace('DEBUG = False\n', 'PRODUCTION = os.environ.get("DJANGO_PRODUCTION") == "true"\n'
                                      'DEBUG = not PRODUCTION\n') + (
    'if PRODUCTION:\n    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n')
REDIRECT_FROM_ENVIRONMENT = PRODUCTION.replace(
    "SECURE_SSL_REDIRECT = True\n",
    'SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "True") == "True"\n'
    'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n')
TRAEFIK_STACK = """\
services:
  web:
    build: .
    environment:
      SECRET_KEY: ${SECRET_KEY:?}
      DJANGO_SECURE_SSL_REDIRECT: "False"  # Traefik redirects to HTTPS
  traefik:
    image: traefik:v3.1
    ports:
      - 80:80
      - 443:443
"""
IMAGE_FROM_THE_REGISTRY = """\
services:
  web:
    image: ${CONTAINER_IMAGE:?}
    environment:
      SECRET_KEY: ${SECRET_KEY:?}
  traefik:
    image: traefik:v3.1
    ports:
      - 80:80
      - 443:443
"""
"""A deployed stack that runs the image CI pushes, behind Traefik (examples)."""
HTTPS_ORIGIN = PLAIN_HTTP.replace('os.environ.get("CSRF_TRUSTED_ORIGINS", "http://localhost").split(" ")',
                                  '["https://shop.example.com"]')
"""Settings of a site served over HTTPS (its trusted origin) that leave the HTTPS checks to their defaults."""
WAGTAIL_SETTINGS = PRODUCTION.replace('INSTALLED_APPS = ["django.contrib.sessions"]\n', """\
INSTALLED_APPS = [
    "wagtail.contrib.forms",
    "wagtail.images",
    "wagtail.admin",
    "wagtail",
    "taggit",
    "django.contrib.admin",
    "django.contrib.sessions",
]
if os.environ.get("CDN_TOKEN"):
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
""") + "X_FRAME_OPTIONS = \"SAMEORIGIN\"\n"
ENV_FILE_SERVICE = "services:\n  web:\n    build: .\n    env_file: .env\n    ports:\n      - 8000:8000\n"
SERVICE = ("services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n"
           "    ports:\n      - 8000:8000\n")

DEBUG_CHOOSES_COOKIES = PRODUCTION.replace(
    "import os\n", "import os\nDEBUG = os.environ.get('DEBUG') == 'True'\n").replace(
    "SESSION_COOKIE_SECURE = True", "SESSION_COOKIE_SECURE = not DEBUG").replace(
    "CSRF_COOKIE_SECURE = True", "CSRF_COOKIE_SECURE = not DEBUG")
"""Secure cookies whenever DEBUG is off."""
DEBUG_ON_TEMPLATE = "SECRET_KEY=\nDEBUG=True\n"
"""An env template with the development DEBUG each deployment turns off."""

@rule("DJC310", "deploy-checks", Severity.INFO, cross=True, examples=[
    Example("cookies-and-hsts", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace("SECURE_HSTS_SECONDS = 31536000\n", "")
        .replace("CSRF_COOKIE_SECURE = True\n", "CSRF_COOKIE_SECURE = False\n")},
        expect=(("app/settings.py", 5), ("app/settings.py", 15))),
    # DEBUG chooses the cookies, and the template each deployment copies turns it on: a debugging server's values.
    Example("cookies-debug-chooses-on-with-the-templates-debug", {
        "compose.yaml": ENV_FILE_SERVICE, ".gitignore": ".env\n", ".env.example": DEBUG_ON_TEMPLATE,
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": DEBUG_CHOOSES_COOKIES}),
    Example("cookie-written-insecure-beside-one-debug-chooses", {
        "compose.yaml": ENV_FILE_SERVICE, ".gitignore": ".env\n", ".env.example": DEBUG_ON_TEMPLATE,
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": DEBUG_CHOOSES_COOKIES.replace("CSRF_COOKIE_SECURE = not DEBUG",
                                                         "CSRF_COOKIE_SECURE = False")},
        expect=(("app/settings.py", 17),)),
    Example("weak-secret-from-compose", {
        "compose.yaml": SERVICE.replace("${SECRET_KEY:?}", "change-me"), "Dockerfile": GUNICORN_DOCKERFILE,
        "manage.py": MANAGE, "app/settings.py": PRODUCTION}, expect=(("app/settings.py", 2),)),
    Example("development-stack-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "compose.yaml": DEV_AND_PROD["compose.yaml"].replace(
            "python manage.py runserver 0.0.0.0:8000", "gunicorn --reload --bind 0.0.0.0:8000 app.wsgi")},
        expect=(("app/settings/prod.py", 1),)),  # W001: its MIDDLEWARE (Django's default, empty) lacks security
    Example("silenced", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace("SECURE_SSL_REDIRECT = True\n",
                                              "SILENCED_SYSTEM_CHECKS = ['security.W008']  # TLS ends at a proxy\n")}),
    Example("literal-key-djc303-reports", {
        "compose.yaml": SERVICE.replace("      SECRET_KEY: ${SECRET_KEY:?}\n", "      DJANGO_ENV: production\n"),
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace('os.environ["SECRET_KEY"]',
                                              'os.environ.get("SECRET_KEY", "django-insecure-k3y")')}),
    Example("weak-key-from-compose-over-a-literal-fallback", {
        "compose.yaml": SERVICE.replace("${SECRET_KEY:?}", "s3cret"), "Dockerfile": GUNICORN_DOCKERFILE,
        "manage.py": MANAGE, "app/settings.py": PRODUCTION.replace(
            'os.environ["SECRET_KEY"]', 'os.environ.get("SECRET_KEY", "django-insecure-k3y")')},
        expect=(("app/settings.py", 2),)),
    Example("startproject-key", {
        "compose.yaml": SERVICE.replace("${SECRET_KEY:?}", "django-insecure-" + "k3y" * 20), "Dockerfile":
            GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": PRODUCTION}, expect=(("app/settings.py", 2),)),
    # Django 3.1 checks a key's length and variety only: the prefix check came with 3.2.
    Example("startproject-prefix-on-a-django-before-3-2", {
        "compose.yaml": SERVICE.replace("${SECRET_KEY:?}", "django-insecure-" + "k3y" * 20),
        "Dockerfile": "FROM python:3.9-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER nobody\n"
                      "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
        "requirements.txt": "Django==3.1.14\ngunicorn==20.1.0\n", "manage.py": MANAGE, "app/settings.py": PRODUCTION}),
    Example("secret-from-an-env-file-each-clone-makes", {
        "compose.yaml": ENV_FILE_SERVICE,
        ".gitignore": ".env\n", "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace("SECURE_SSL_REDIRECT = True\n", "")}),
    # The template leaves the key commented out for each deployment to fill in: its value is unknown, not empty.
    Example("secret-the-template-leaves-commented-out", {
        "compose.yaml": ENV_FILE_SERVICE, ".gitignore": ".env\n",
        ".env.sample": "# Generate 50 or more random characters for production.\n#SECRET_KEY=insecure-dev-key\n"
                       "DEBUG=False\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace('os.environ["SECRET_KEY"]', 'os.getenv("SECRET_KEY", None)')}),
    Example("secret-the-template-does-not-name", {
        "compose.yaml": ENV_FILE_SERVICE, ".gitignore": ".env\n", ".env.sample": "DEBUG=False\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace('os.environ["SECRET_KEY"]', 'os.getenv("SECRET_KEY", None)')},
        expect=(("app/settings.py", 2),)),
    Example("placeholder-secret-of-the-template", {
        "compose.yaml": ENV_FILE_SERVICE,
        ".gitignore": ".env\n", ".env.example": "SECRET_KEY=change-me\n", "Dockerfile": GUNICORN_DOCKERFILE,
        "manage.py": MANAGE, "app/settings.py": PRODUCTION}),
    Example("placeholder-secret-compose-interpolates-from-the-template", {
        "compose.yaml": SERVICE.replace("${SECRET_KEY:?}", "${SECRET_KEY}"), ".gitignore": ".env\n",
        ".env.sample": "SECRET_KEY=changeme\n", "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION}),
    Example("weak-secret-of-a-committed-env-file", {
        "compose.yaml": ENV_FILE_SERVICE, ".env": "SECRET_KEY=s3cret-k3y\n", "Dockerfile": GUNICORN_DOCKERFILE,
        "manage.py": MANAGE, "app/settings.py": PRODUCTION}, expect=(("app/settings.py", 2),)),
    # The committed file the stack reads gives a placeholder: every clone runs with that public key.
    Example("placeholder-secret-of-a-committed-env-file", {
        "compose.yaml": ENV_FILE_SERVICE, ".env": "SECRET_KEY=REPLACE_WITH_A_LONG_RANDOM_SECRET_KEY\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": PRODUCTION},
        expect=(("app/settings.py", 2),)),
    # The image sets a placeholder key so that collectstatic can import the settings; what deploys it gives the key.
    Example("placeholder-key-the-image-sets-for-its-build", {
        "Dockerfile": GUNICORN_DOCKERFILE.replace("CMD", "ENV SECRET_KEY=fail_if_run\n"
                                                  "RUN python manage.py collectstatic --noinput\nCMD"),
        "manage.py": MANAGE, "app/settings.py": PRODUCTION}),
    # A compose service runs that image and gives no key: the container runs with the placeholder.
    Example("placeholder-key-of-the-image-a-service-runs-with", {
        "compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - 8000:8000\n",
        "Dockerfile": GUNICORN_DOCKERFILE.replace("CMD", "ENV SECRET_KEY=fail_if_run\n"
                                                  "RUN python manage.py collectstatic --noinput\nCMD"),
        "manage.py": MANAGE, "app/settings.py": PRODUCTION}, expect=(("app/settings.py", 2),)),
    # The deploy step replaces the token with the CI secret of its name: the key that ships is not this one.
    Example("secret-key-token-the-deploy-step-replaces", {
        "compose.yaml": ENV_FILE_SERVICE, ".env": "SECRET_KEY=SECRET_KEY_SECRET\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": PRODUCTION}),
    Example("stage-chosen-by-the-package", {
        "compose.yaml": SERVICE.replace("    ports:", "      DJANGO_ENV: staging\n    ports:"),
        "Dockerfile": GUNICORN_DOCKERFILE,
        "manage.py": MANAGE, "app/settings/__init__.py":
            "import os\nif os.environ.get('DJANGO_ENV', 'production') == 'production':\n"
            "    from app.settings.production import *\nelse:\n    from app.settings.staging import *\n",
        "app/settings/production.py": PRODUCTION,
        "app/settings/staging.py": PRODUCTION.replace("SECURE_HSTS_SECONDS = 31536000\n", "")},
        expect=(("app/settings/staging.py", 5),)),
    Example("checks-that-fail-every-way", {
        "compose.yaml": SERVICE.replace("${SECRET_KEY:?}", "${SECRET_KEY:?}\n      GZIP: ${GZIP}"),
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace("SESSION_COOKIE_SECURE = True\n", "")
        + "if os.environ.get('GZIP', '').lower() in ('1', 'true'):\n"
          "    MIDDLEWARE.append('django.middleware.gzip.GZipMiddleware')\n"}, expect=(("app/settings.py", 5),)),
    Example("a-check-one-way-passes", {
        "compose.yaml": SERVICE.replace("${SECRET_KEY:?}", "${SECRET_KEY:?}\n      HTTPS: ${HTTPS}"),
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace("SESSION_COOKIE_SECURE = True\n", "")
        + "if os.environ.get('HTTPS') == 'on':\n    SESSION_COOKIE_SECURE = True\nelse:\n"
          "    SESSION_COOKIE_SECURE = False\n"}),
    Example("split-settings-components", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, **SPLIT_COMPONENTS,
        "app/settings/components/security.py": SPLIT_COMPONENTS["app/settings/components/security.py"].replace(
            "CSRF_COOKIE_SECURE = True", "CSRF_COOKIE_SECURE = False")},
        expect=(("app/settings/components/security.py", 6),)),
    Example("split-settings-components-pass", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, **SPLIT_COMPONENTS}),
    Example("split-settings-files-djcheck-cannot-know", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings/__init__.py": "import os\n\nfrom split_settings.tools import include\n\n"
                                    "from app.settings.files import settings_files\n\n"
                                    "include(*settings_files(os.environ.get('DJANGO_ENV', 'production')))\n"}),
    Example("served-over-plain-http", PLAIN_HTTP_PROJECT),
    # HSTS a template left, cookies written insecure behind an nginx that serves plain HTTP alone: HTTP on purpose.
    Example("served-over-plain-http-with-a-leftover-hsts", {
        **PLAIN_HTTP_PROJECT, "app/settings.py": PLAIN_HTTP + "SECURE_HSTS_SECONDS = 31536000\n"
        "SESSION_COOKIE_SECURE = False  # True once served over HTTPS\nCSRF_COOKIE_SECURE = False\n"}),
    Example("proxy-header-left-beside-cookies-written-insecure", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PLAIN_HTTP + "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')\n"
        "SESSION_COOKIE_SECURE = False  # for HTTP access\nCSRF_COOKIE_SECURE = False\n"}),
    # The session cookie written insecure, the CSRF one left at its default: neither is secure, on purpose.
    Example("session-cookie-written-insecure-beside-a-leftover-hsts", {
        **PLAIN_HTTP_PROJECT, "app/settings.py": PLAIN_HTTP + "SECURE_HSTS_SECONDS = 60\n"
        "SESSION_COOKIE_SECURE = False\n"}),
    Example("session-cookie-written-insecure-beside-a-secure-csrf-cookie", {
        **PLAIN_HTTP_PROJECT, "app/settings.py": PLAIN_HTTP + "SECURE_HSTS_SECONDS = 60\n"
        "SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = True\n"},
        expect=(("app/settings.py", 8), ("app/settings.py", 15))),
    Example("cookies-written-insecure-behind-caddy", {
        **PLAIN_HTTP_PROJECT, "compose.yaml": BEHIND_NGINX.replace(
            "  nginx:\n    build: ./nginx\n    ports:\n      - 80:80\n",
            "  caddy:\n    image: caddy:2.8\n    ports:\n      - 80:80\n      - 443:443\n"),
        "app/settings.py": PLAIN_HTTP + "SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n"},
        expect=(("app/settings.py", 8), ("app/settings.py", 14), ("app/settings.py", 15))),
    Example("nginx-terminates-tls", {
        **PLAIN_HTTP_PROJECT, "nginx/nginx.conf": NGINX_TLS,
        "compose.yaml": BEHIND_NGINX.replace("      - 80:80\n", "      - 80:80\n      - 443:443\n")},
        expect=(("app/settings.py", 8),) * 3),
    Example("caddy-in-the-stack", {
        **PLAIN_HTTP_PROJECT, "compose.yaml": BEHIND_NGINX.replace(
            "  nginx:\n    build: ./nginx\n    ports:\n      - 80:80\n",
            "  caddy:\n    image: caddy:2.8\n    ports:\n      - 80:80\n      - 443:443\n"
            "    volumes:\n      - ./Caddyfile:/etc/caddy/Caddyfile\n"),
        "Caddyfile": "shop.example.com {\n    reverse_proxy web:8000\n}\n"},
        expect=(("app/settings.py", 8),) * 3),
    Example("redirect-left-to-traefik", {
        "compose.yaml": TRAEFIK_STACK, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": REDIRECT_FROM_ENVIRONMENT}),
    Example("redirect-left-to-the-proxy-the-header-names", {
        "compose.yaml": TRAEFIK_STACK.split("  traefik:")[0], "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": REDIRECT_FROM_ENVIRONMENT}),
    # CI pushes the image; the deployed stack runs it from the registry behind Traefik, which ends TLS and redirects.
    Example("image-deployed-alone-behind-the-stacks-proxy", {
        "deploy/compose.yaml": IMAGE_FROM_THE_REGISTRY, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": HTTPS_ORIGIN}, expect=(("app/settings.py", 8),) * 3),
    Example("image-deployed-alone-beside-a-stack-without-a-proxy", {
        "deploy/compose.yaml": IMAGE_FROM_THE_REGISTRY.split("  traefik:")[0], "Dockerfile": GUNICORN_DOCKERFILE,
        "manage.py": MANAGE, "app/settings.py": HTTPS_ORIGIN}, expect=(("app/settings.py", 8),) * 4),
    Example("redirect-turned-off-with-no-proxy", {
        "compose.yaml": TRAEFIK_STACK.split("  traefik:")[0], "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": REDIRECT_FROM_ENVIRONMENT.replace(
            'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n', "")}, expect=(("app/settings.py", 14),)),
    # A proxy on the host is all that reaches the server: the redirect is its; HSTS and the cookies stay Django's.
    Example("server-published-on-the-loopback-alone", {
        "compose.yaml": "services:\n  web:\n    build: .\n    restart: unless-stopped\n    ports:\n"
                        "      - '127.0.0.1:8000:8000'\n    environment:\n"
                        "      SECRET_KEY: ${SECRET_KEY:?}\n      CSRF_TRUSTED_ORIGINS: https://shop.example.org\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/settings.py": PLAIN_HTTP},
        expect=(("app/settings.py", 8),) * 3),
    # The proxy header is set only for production, and this stack runs the settings' development way.
    Example("https-settings-of-a-way-the-container-does-not-take", {
        **PLAIN_HTTP_PROJECT, "app/settings.py": PRODUCTION_BRANCH,
        "compose.yaml": BEHIND_NGINX.replace("      DJANGO_ALLOWED_HOSTS", "      DJANGO_PRODUCTION: \"false\"\n"
                                                                         "      DJANGO_ALLOWED_HOSTS")}),
    Example("https-settings-of-the-way-the-container-takes", {
        **PLAIN_HTTP_PROJECT, "app/settings.py": PRODUCTION_BRANCH,
        "compose.yaml": BEHIND_NGINX.replace("      DJANGO_ALLOWED_HOSTS", "      DJANGO_PRODUCTION: \"true\"\n"
                                                                         "      DJANGO_ALLOWED_HOSTS")},
        expect=(("app/settings.py", 9),) * 3),
    Example("https-origin-in-the-environment", {
        **PLAIN_HTTP_PROJECT, "compose.yaml": BEHIND_NGINX.replace(
            "      DJANGO_ALLOWED_HOSTS: shop.example.com\n",
            "      DJANGO_ALLOWED_HOSTS: shop.example.com\n      CSRF_TRUSTED_ORIGINS: https://shop.example.com\n")},
        expect=(("app/settings.py", 8),) * 4),
    # A load balancer terminates TLS; the stack's nginx sends what arrived over plain HTTP to HTTPS.
    Example("redirect-by-an-nginx-behind-a-tls-load-balancer", {
        **PLAIN_HTTP_PROJECT, "compose.yaml": BEHIND_NGINX.replace(
            "      DJANGO_ALLOWED_HOSTS: shop.example.com\n",
            "      DJANGO_ALLOWED_HOSTS: shop.example.com\n      CSRF_TRUSTED_ORIGINS: https://shop.example.com\n"),
        "nginx/nginx.conf": NGINX_HTTP.replace("    location /", "    if ($http_x_forwarded_proto = 'http') {\n"
                                                                 "        return 301 https://$host$request_uri;\n"
                                                                 "    }\n    location /")},
        expect=(("app/settings.py", 8),) * 3),
    # The origin is the template's placeholder for the user's domain: nothing there says the site is served over TLS.
    Example("placeholder-https-origin-in-the-environment", {
        **PLAIN_HTTP_PROJECT, "compose.yaml": BEHIND_NGINX.replace(
            "      DJANGO_ALLOWED_HOSTS: shop.example.com\n",
            "      DJANGO_ALLOWED_HOSTS: shop.example.com\n      CSRF_TRUSTED_ORIGINS: https://yourdomain.com\n")}),
    Example("proxy-header-without-secure-cookies", {
        **PLAIN_HTTP_PROJECT, "app/settings.py": PLAIN_HTTP
        + 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n'
        "SECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 3600\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\n"
        "SECURE_HSTS_PRELOAD = True\n"},
        expect=(("app/settings.py", 8),) * 2),
    Example("token-api-without-sessions", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION + 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware",\n'
                                        '              "django.middleware.common.CommonMiddleware",\n'
                                        '              "app.middleware.jwt_refresh_token"]\n'
                                        'if os.environ.get("LOG_WRITES"):\n'
                                        '    MIDDLEWARE = ["app.middleware.log_writes"] + MIDDLEWARE\n'}),
    # Settings written for Django 1.9: the middleware list is MIDDLEWARE_CLASSES, which that Django checks.
    Example("middleware-classes-of-django-before-1-10", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace("MIDDLEWARE = [", "MIDDLEWARE_CLASSES = [")}),
    Example("site-with-sessions-without-csrf", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION + 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware",\n'
                                        '              "django.contrib.sessions.middleware.SessionMiddleware",\n'
                                        '              "django.middleware.common.CommonMiddleware"]\n'},
        expect=(("app/settings.py", 17),) * 2),
    # An image deployed alone: the platform that runs it sets the hosts; the cookies are written in the settings.
    Example("image-deployed-alone-reads-its-hosts", {
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": PRODUCTION.replace('ALLOWED_HOSTS = ["shop.example.com"]\n',
                                              'ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split()\n')
        .replace("CSRF_COOKIE_SECURE = True\n", "CSRF_COOKIE_SECURE = False\n")},
        expect=(("app/settings.py", 16),)),
    # django-configurations: Django reads the attributes of the class DJANGO_CONFIGURATION names.
    Example("settings-classes-of-django-configurations", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "from configurations import Configuration, values\n\n\nclass Base(Configuration):\n"
                           "    SECRET_KEY = values.SecretValue()\n    ALLOWED_HOSTS = values.ListValue([])\n"
                           "    MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n\n\n"
                           "class Production(Base):\n    SESSION_COOKIE_SECURE = True\n"}),
    # The deploy script exports the settings module; the compose file passes it through from the shell.
    Example("settings-module-from-the-shell", {
        "compose.yaml": SERVICE.replace("    environment:\n", "    environment:\n      DJANGO_SETTINGS_MODULE:\n"),
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/wsgi.py": "",
        "app/settings.py": PRODUCTION.replace("CSRF_COOKIE_SECURE = True\n", "CSRF_COOKIE_SECURE = False\n")}),
    # SAMEORIGIN lets no other site frame the pages; Wagtail's admin previews them in a frame of the site.
    Example("wagtail-preview-frames-the-site", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": WAGTAIL_SETTINGS}),
    Example("sameorigin-without-an-admin-that-frames", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": WAGTAIL_SETTINGS.replace('    "wagtail.contrib.forms",\n    "wagtail.images",\n'
                                                    '    "wagtail.admin",\n    "wagtail",\n', "")
        .replace('["wagtail.contrib.frontend_cache"]', '["django_prometheus"]')}),
    # ALLOWALL is no value browsers know: they let any site frame the pages.
    Example("framing-allowed-to-every-site", {
        "compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": WAGTAIL_SETTINGS.replace('X_FRAME_OPTIONS = "SAMEORIGIN"', 'X_FRAME_OPTIONS = "ALLOWALL"')},
        expect=(("app/settings.py", 27),)),
    Example("passes", {"compose.yaml": SERVICE, "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
                       "app/settings.py": PRODUCTION}),
    Example("development-server", {
        "compose.yaml": SERVICE + "    command: python manage.py runserver 0.0.0.0:8000\n",
        "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "SECRET_KEY = 'x'\nMIDDLEWARE = []\n"}),
])
def deploy_checks(project: Project) -> Iterator[Violation]:
    """The settings fail Django's deployment checks (`manage.py check --deploy`).

    ## What it does
    For each container that runs a production server (gunicorn, uvicorn, daphne,
    hypercorn, uwsgi; not `runserver`) on Django's application (not a FastAPI or Flask
    app that sets Django up for its ORM), evaluates the settings with the container's
    environment and runs Django's security checks on them without importing
    anything: `security.W001` to `W025`, `E023`, `E024`. Each failing check is
    reported with Django's id, at the setting it is about. A check whose settings
    cannot be known statically is skipped; `W005` and `W021` (HSTS for every subdomain,
    the browsers' preload list) are choices for the whole domain, not faults, and are
    left alone (so is `W009` for a long random key whose only fault is startproject's
    `django-insecure-` prefix, on a Django before 3.2, which checks no prefix); `W018`
    (DEBUG) is DJC301's, and `W009` for
    a key that is the literal DJC303 reports (the one the settings fall back to) is
    DJC303's, and one the container's env file sets empty is DJC315's; a check the
    settings list in `SILENCED_SYSTEM_CHECKS` is not reported, as Django does not.
    Settings assigned in `if`/`try` branches are read in the way the container's
    environment takes; where it cannot decide, a check is reported only when it fails
    in every way. Settings written as django-configurations classes (`class
    Production(Base):`) are not read: what they set is unknown. An image no compose
    service runs is run by a platform that sets its environment: a variable its `ENV`
    does not set is unknown there, not unset.

    HSTS (`W004`), the HTTPS redirect (`W008`) and secure cookies (`W010`-`W012`,
    `W016`) are checked only when the project shows that the site is served over
    HTTPS: a setting already set for it (`SECURE_PROXY_SSL_HEADER`,
    `SECURE_SSL_REDIRECT = True`, a `*_COOKIE_SECURE = True`, `SECURE_HSTS_SECONDS`
    above 0, an `https://` origin in `CSRF_TRUSTED_ORIGINS` not also trusted over `http://`) in a way through the
    settings' branches the container's environment does not rule out (`if PRODUCTION:`
    in a container whose `DJANGO_PRODUCTION` is false shows nothing), an `https://` address of
    the site in a container's environment (a template's placeholder, `https://yourdomain.com`,
    shows nothing), a published port 443, or a TLS terminator
    in the stack (Traefik, Caddy, certbot, nginx whose configuration in its build
    context or mounts listens with `ssl` or names an `ssl_certificate`: a bare `listen
    443;` serves plain HTTP; Traefik labels routing over TLS). A published 443 and a
    certbot container show nothing in front of an nginx whose configuration djcheck reads
    and which serves plain HTTP alone: nothing serves TLS there.
    Secure cookies that the container's environment turns off (`DJANGO_SESSION_COOKIE_SECURE=False`
    in the deployment's env file) say the site is served over plain HTTP, whatever else does;
    so do both cookies written `False` in settings whose stack shows no TLS (an HSTS or
    `SECURE_PROXY_SSL_HEADER` a template left beside them says nothing).
    A site served over plain HTTP, or behind a TLS proxy djcheck does not see, would
    break with that advice (secure cookies never come back over HTTP), so nothing is
    said. `W008` is not reported either when the redirect is a TLS proxy's job: the
    stack terminates TLS in a proxy (Traefik, Caddy, nginx, an nginx image that installs
    certbot, whose nginx plugin adds TLS and the redirect), or the settings set
    `SECURE_PROXY_SSL_HEADER` for one djcheck does not see; the proxy redirects plain
    HTTP before the request reaches Django. Nor is `W004` when an nginx or Caddy service of
    the stack sends the header itself (`add_header Strict-Transport-Security ...`,
    `header Strict-Transport-Security ...`). A service that asks nginx-proxy's Let's Encrypt
    companion for a certificate (`LETSENCRYPT_HOST`) is served over HTTPS by nginx-proxy, which
    redirects plain HTTP and sends HSTS itself (neither `W008` nor `W004`), unless the service sets
    `HTTPS_METHOD=noredirect` (neither) or `HSTS=off` (no HSTS). `W008` is not reported for a container that
    publishes its ports on the host's loopback alone (`127.0.0.1:8000:8000`) either: a
    proxy on the host, which djcheck does not see, is all that reaches it, and the
    redirect is that proxy's, as the TLS it ends (Django sees no HTTPS request there
    without `SECURE_PROXY_SSL_HEADER`, and would loop on the redirect). Nor is one
    of these when another deployed container loading the same settings passes it: the
    settings turn HTTPS on where the environment asks (`-f prod.yml -f prod.certbot.yml`
    sets `USE_HTTPS=1`), and a variant that leaves it off ends TLS elsewhere by choice.

    `W019` (`X_FRAME_OPTIONS` other than `DENY`) is not reported for `'SAMEORIGIN'`: no
    other site can frame the pages, which is what clickjacking needs, and the site's own
    frames keep working (Wagtail's admin previews pages in one, which `DENY` breaks).

    The clickjacking (`W002`) and CSRF (`W003`) middleware checks are left out for a
    site that keeps no sessions (no `SessionMiddleware`, which the admin needs): an API
    authenticated by tokens has no cookie a forged request could ride on, and serves
    no page to frame. Nor is a middleware check (`W001`-`W003`) when MIDDLEWARE lists a
    class of the project built on Django's (`class CsrfExemptApiMiddleware(CsrfViewMiddleware)`),
    which does its work: Django's check looks for the name alone.

    A container whose `env_file:` each clone makes by hand, with no committed template,
    or whose `DJANGO_SETTINGS_MODULE` the shell that starts the stack gives
    (`environment: [DJANGO_SETTINGS_MODULE]`), is not judged; values from a template
    read in its place are said to be, and a `SECRET_KEY` a template gives is its
    placeholder (`changeme`), not the key that ships (no W009); a committed env file's
    placeholder is what the stack runs with, and W009 says so; an image no service runs
    whose `ENV` gives a placeholder key (`fail_if_run`, so that the build's `collectstatic`
    can load the settings) gets the real one from whatever deploys it (DJC112 reports the
    `ENV`). Nor is a development
    container (source mounted, a development-named stack or settings module) of a
    project that is also deployed another way: its settings are not what ships. A check
    that several containers fail alike on one line (the web server and its Celery worker
    loading the same settings) is one finding, naming them.

    ## Why is this bad?
    These are the settings Django's own deployment checklist asks for: without HSTS,
    secure cookies and an HTTPS redirect, session and CSRF cookies travel in clear
    text and can be stolen on the network.

    ## Example
    ```python
    SESSION_COOKIE_SECURE = False
    ```
    Use instead:
    ```python
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    ```

    ## References
    - [Django: deployment checklist](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/)
    - [Django: system check framework, security checks](https://docs.djangoproject.com/en/stable/ref/checks/#security)
    """
    found: dict[tuple[Location, str], list[str]] = {}  # one finding per line and state, naming each container
    for where, message, name in _failures(project):
        found.setdefault((where, message), []).append(name)
    for (where, message), names in found.items():
        names = list(dict.fromkeys(names))
        shown = names[0] if len(names) == 1 else "services " + ", ".join(name.removeprefix("service ")
                                                                           for name in names)
        yield Violation(where, message.replace(RUN_NAME, shown))


RUN_NAME = "\x00run\x00"
"""Where a failure's message names the container, filled in once the containers failing alike are known."""


def _failures(project: Project) -> Iterator[tuple[Location, str, str]]:
    """Each failing check of each deployed container: where, the message (the container's name left as
    :data:`RUN_NAME`) and the container's name."""
    for run in project.django_runs:
        if not _deployed(project, run) or project.development_only(run) or environment_unknown(project, run):
            continue  # runserver, or an env file each clone makes with no template: its values are unknown
        for settings in run.settings:
            silenced = _silenced(run, settings)
            choices = _choices(run, settings)
            https: bool | None = None
            debug_on: bool | None = None
            for check_id in dict.fromkeys(_failing_every_way(run, settings, choices)):
                if check_id in COVERED or check_id in POLICY or check_id in silenced:
                    continue
                if check_id in {"security.W002", "security.W003"} and not _has_sessions(run, settings, choices):
                    continue  # an API without sessions (token auth): no cookie to forge with, no page to frame
                if check_id in BUILT_ON and _built_on(project, run, settings, BUILT_ON[check_id]):
                    continue  # the project's own middleware does its work (`class ApiCsrf(CsrfViewMiddleware)`)
                if check_id == "security.W009" and _prefix_unchecked(project, run, settings):
                    continue  # a long random key with startproject's prefix, on a Django before 3.2, which passes it
                if check_id == "security.W009" and _literal_key(project, run, settings):
                    continue  # the literal key the settings fall back to: DJC303 reports it
                if check_id == "security.W009" and _substituted_key(run, settings):
                    continue  # SECRET_KEY=SECRET_KEY_SECRET: a token the deploy step replaces with the real key
                if check_id == "security.W009" and _image_placeholder_key(project, run, settings):
                    continue  # `ENV SECRET_KEY=fail_if_run` for a build step: the deployment gives the key (DJC112)
                key = settings.bindings.get("SECRET_KEY")
                if check_id == "security.W009" and key is not None and template_note(project, run, key, settings):
                    continue  # the template's placeholder (SECRET_KEY=changeme): each deployment writes its own
                if check_id in HTTPS_CHECKS:
                    https = served_over_https(project, run, settings) if https is None else https
                    if not https or _passes_in_another_deployment(project, run, settings, check_id):
                        continue  # a site served over plain HTTP (or TLS at a proxy djcheck does not see), or a
                        # variant of a deployment whose other variant turns HTTPS on in the same settings
                if check_id == "security.W008" and (redirect_at_proxy(project, run, settings)
                                                    or _image_behind_a_stack_proxy(project, run, stack_redirects)):
                    continue  # the TLS proxy redirects plain HTTP
                if check_id == "security.W004" and (hsts_at_proxy(project)
                                                    or _image_behind_a_stack_proxy(project, run, hsts_at_proxy)):
                    continue  # the proxy sends the HSTS header itself
                if check_id == "security.W019" and _same_origin_only(run, settings):
                    continue  # SAMEORIGIN: no other site frames the pages; Wagtail's preview frames its own
                setting, advice = ADVICE[check_id]
                binding = settings.bindings.get(setting) if _is_set(run, settings, setting) else None
                if binding is not None and binding.node is not None and follows_debug(binding.node, settings.bindings):
                    debug_on = _debug_on(run, settings) if debug_on is None else debug_on
                    if debug_on:
                        continue  # `SESSION_COOKIE_SECURE = not DEBUG` with DEBUG on: DJC301's, or the template's value
                if setting == "MIDDLEWARE":
                    state = "MIDDLEWARE lacks it"
                elif binding is None:
                    state = f"{setting} is not set (Django's default: {DEFAULTS[setting]!r})"
                elif setting in choices:
                    shown = "weak" if setting.startswith("SECRET_KEY") else " or ".join(map(repr, choices[setting]))
                    state = f"{setting} is {shown} in {RUN_NAME}, whichever way the settings' branches go"
                else:
                    shown = _shown(_getter(run, settings), setting)
                    read = {found.variable for found in env_reads(binding.node, settings.bindings)} \
                        if shown == "empty" and binding is not None and binding.node is not None else set()
                    if read & blank_variables(project, run, settings):
                        continue  # read from a variable the template leaves for each user to fill in
                    if setting == "SECRET_KEY" and any(run.environment.get(name) == "" for name in read):
                        continue  # the container sets the variable empty: Django refuses to start, DJC315 reports it
                    if read & _set_by_loaded_env_files(project, run, settings):
                        continue  # `load_dotenv()` of the .env each clone makes from its template: set, not empty
                    if read and loaded_env_unknown(project, run, settings):
                        continue  # `load_dotenv()` of a .env each clone makes with no template: unknown, not empty
                    state = f"{setting} is {shown} in {RUN_NAME}" + template_note(project, run, binding, settings)
                    if shown == "empty":
                        state += ": the container does not set the variable it is read from"
                binding = binding or settings.bindings.get("MIDDLEWARE")
                if binding is not None:
                    binding = chosen(binding, run.process_environment, settings.bindings)
                where = Location(binding.path, binding.line, binding.column) if binding else Location(settings.path, 1)
                yield where, f"check --deploy fails {check_id}: {state}; {advice}", run.name


def _set_by_loaded_env_files(project: Project, run: DjangoRun, settings: Settings) -> set[str]:
    """The variables the container does not set that the env files its settings load set (their templates' in place
    of absent ones: each clone's copy sets them)."""
    after = environment_after_env_files(project, run, settings) or {}
    found = set()
    for name in after:
        if name in run.environment:
            continue
        try:
            if after[name]:
                found.add(name)
        except Unknown:
            continue  # a template's blank each user fills in, or a variable of the shell
    return found


def _same_origin_only(run: DjangoRun, settings: Settings) -> bool:
    """Whether ``X_FRAME_OPTIONS`` is ``'SAMEORIGIN'``: no other site may frame the pages (what clickjacking needs),
    and the site's own pages may (Wagtail's preview, an admin's pop-ups)."""
    try:
        return _getter(run, settings)("X_FRAME_OPTIONS") == "SAMEORIGIN"
    except (Unknown, TypeError):
        return False


def _literal_key(project: Project, run: DjangoRun, settings: Settings) -> bool:
    """Whether the container's ``SECRET_KEY`` is the literal of an assignment DJC303 reports (it falls back to it)."""
    binding = settings.bindings.get("SECRET_KEY")
    if binding is None:
        return False
    way = chosen(binding, run.process_environment, settings.bindings)
    value = _key(run, settings)
    return value is not None and any(reported.path == way.path and reported.line == way.line and literal == value
                                     for _, reported, literal in hardcoded_secret_keys(project))


def _substituted_key(run: DjangoRun, settings: Settings) -> bool:
    """Whether the container's ``SECRET_KEY`` is a token a deploy step replaces (:func:`substitution_token`)."""
    value = _key(run, settings)
    return value is not None and substitution_token(value)


def _image_placeholder_key(project: Project, run: DjangoRun, settings: Settings) -> bool:
    """Whether the key of an image no compose service runs is a placeholder its ``ENV`` sets (``ENV
    SECRET_KEY=fail_if_run``, so that ``collectstatic`` can run in the build): whatever runs the image elsewhere gives
    the real key; DJC112 reports the value left in the image."""
    value = _key(run, settings)
    return run.service is None and value is not None and placeholder(value) \
        and project.image_environment(run.build).get("SECRET_KEY") == value


def _key(run: DjangoRun, settings: Settings) -> str | None:
    """The container's ``SECRET_KEY`` when it is a known string; None otherwise."""
    try:
        value = run.setting(settings, "SECRET_KEY")
    except Unknown:
        return None
    return value if isinstance(value, str) else None


def _shown(get: Callable[[str], Any], setting: str) -> str:
    """The setting's value for the message; a secret key is shown by its length only."""
    value = get(setting)
    if setting == "SECRET_KEY" and isinstance(value, str) and value.startswith(INSECURE_PREFIX):
        return f"prefixed {INSECURE_PREFIX!r} (startproject's mark: Django refuses such a key at any length)"
    if setting == "SECRET_KEY" and not value:
        return "empty" if value in (None, "") else "weak"
    if setting.startswith("SECRET_KEY") and isinstance(value, str) and placeholder(value):
        return f"the placeholder {value!r} (every clone has it)"
    if setting.startswith("SECRET_KEY"):
        return f"{len(value)} characters long" if isinstance(value, str) else "weak"
    return repr(value)


def _is_set(run: DjangoRun, settings: Settings, setting: str) -> bool:
    """Whether the settings set ``setting`` in the way through their branches the container takes."""
    if setting not in settings.bindings:
        return False
    try:
        run.setting(settings, setting)
    except NotSet:
        return False
    except Unknown:
        pass
    return True


def _silenced(run: DjangoRun, settings: Settings) -> set[str]:
    """The check ids ``SILENCED_SYSTEM_CHECKS`` names: Django does not report them."""
    if "SILENCED_SYSTEM_CHECKS" not in settings.bindings:
        # a file djcheck cannot know may silence any
        return set(ADVICE) if incomplete(settings.bindings, run.process_environment) else set()
    try:
        value = run.setting(settings, "SILENCED_SYSTEM_CHECKS")
    except NotSet:
        return set()
    except Unknown:
        return set(ADVICE)  # silenced checks that cannot be known: none is reported
    return {item for item in value if isinstance(item, str)} if isinstance(value, (list, tuple, set)) else set(ADVICE)


#: Django's defaults (``django/conf/global_settings.py``) for every setting the checks read.
DEFAULTS: dict[str, Any] = {
    "DEBUG": False, "ALLOWED_HOSTS": [], "INSTALLED_APPS": [], "MIDDLEWARE": [], "SECRET_KEY": "",
    "SECRET_KEY_FALLBACKS": [], "X_FRAME_OPTIONS": "DENY", "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SECURE": False, "CSRF_USE_SESSIONS": False,
    "SECURE_CONTENT_TYPE_NOSNIFF": True, "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": False, "SECURE_HSTS_PRELOAD": False, "SECURE_HSTS_SECONDS": 0,
    "SECURE_REFERRER_POLICY": "same-origin", "SECURE_SSL_REDIRECT": False,
}
SECURITY = "django.middleware.security.SecurityMiddleware"
INSECURE_PREFIX = "django-insecure-"
"""What ``startproject`` puts before the key it writes; Django's W009 refuses any key that starts with it."""
XFRAME = "django.middleware.clickjacking.XFrameOptionsMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
REFERRER_POLICIES = {"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin",
                     "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"}
OPENER_POLICIES = {"same-origin", "same-origin-allow-popups", "unsafe-none"}

#: Check id -> (the setting it is about, what to do).
ADVICE = {
    "security.W001": ("MIDDLEWARE", "add django.middleware.security.SecurityMiddleware"),
    "security.W002": ("MIDDLEWARE", "add django.middleware.clickjacking.XFrameOptionsMiddleware"),
    "security.W003": ("MIDDLEWARE", "add django.middleware.csrf.CsrfViewMiddleware"),
    "security.W004": ("SECURE_HSTS_SECONDS", "set it (e.g. 31536000) once HTTPS works"),
    "security.W005": ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "set it to True"),
    "security.W006": ("SECURE_CONTENT_TYPE_NOSNIFF", "set it to True"),
    "security.W008": ("SECURE_SSL_REDIRECT", "set it to True (behind a TLS proxy, with SECURE_PROXY_SSL_HEADER)"),
    "security.W009": ("SECRET_KEY", "use 50 or more random characters"),
    "security.W010": ("SESSION_COOKIE_SECURE", "set it to True"),
    "security.W011": ("SESSION_COOKIE_SECURE", "set it to True"),
    "security.W012": ("SESSION_COOKIE_SECURE", "set it to True"),
    "security.W013": ("SESSION_COOKIE_HTTPONLY", "set it to True"),
    "security.W014": ("SESSION_COOKIE_HTTPONLY", "set it to True"),
    "security.W015": ("SESSION_COOKIE_HTTPONLY", "set it to True"),
    "security.W016": ("CSRF_COOKIE_SECURE", "set it to True"),
    "security.W018": ("DEBUG", "turn it off"),
    "security.W019": ("X_FRAME_OPTIONS", "set it to 'DENY'"),
    "security.W020": ("ALLOWED_HOSTS", "list the site's host names"),
    "security.W021": ("SECURE_HSTS_PRELOAD", "set it to True"),
    "security.W022": ("SECURE_REFERRER_POLICY", "use 'same-origin'"),
    "security.E023": ("SECURE_REFERRER_POLICY", "use values browsers know, such as 'same-origin'"),
    "security.E024": ("SECURE_CROSS_ORIGIN_OPENER_POLICY", "use 'same-origin'"),
    "security.W025": ("SECRET_KEY_FALLBACKS", "use 50 or more random characters for each key"),
}
#: Reported by a rule of its own, at a higher severity.
COVERED = {"security.W018": "DJC301"}
POLICY = frozenset({"security.W005", "security.W021"})
"""HSTS for every subdomain and the browsers' preload list: commitments for the whole domain, which Django's docs
ask to weigh before making (they cannot be taken back quickly), not faults of the settings."""


def _prefix_unchecked(project: Project, run: DjangoRun, settings: Settings) -> bool:
    """Whether the key fails W009 by its ``django-insecure-`` prefix alone, on a Django the image installs that is
    older than 3.2, whose W009 checks length and variety only (the prefix check came with 3.2)."""
    key = _getter(run, settings)("SECRET_KEY")
    if not isinstance(key, str) or not key.startswith(INSECURE_PREFIX) or len(set(key)) < 5 or len(key) < 50:
        return False
    installed = installed_features(project, run)
    return installed is not None and bool(installed[0]) and all(numbers(release) < (3, 2) for release in installed[0])


def _strong_key(key: Any) -> bool:
    """Whether Django's checks take the key for strong: 50 or more characters, 5 distinct, not from startproject."""
    return isinstance(key, str) and len(set(key)) >= 5 and len(key) >= 50 and not key.startswith(INSECURE_PREFIX)


def _checks(get: Callable[[str], Any]) -> Iterator[Callable[[], list[str]]]:
    """Each of Django's security checks, as a function of the settings ``get`` reads."""
    def security() -> bool:
        return SECURITY in get("MIDDLEWARE")

    def xframe() -> bool:
        return XFRAME in get("MIDDLEWARE")

    def csrf() -> bool:
        return CSRF in get("MIDDLEWARE")

    def session_cookie(setting: str, app_id: str, middleware_id: str, both_id: str) -> Callable[[], list[str]]:
        """Django's session cookie checks: one id for the app, one for the middleware, a third for both."""
        def check() -> list[str]:
            if get(setting) is True:
                return []
            found = ([app_id] if "django.contrib.sessions" in get("INSTALLED_APPS") else []) + (
                [middleware_id] if SESSIONS in get("MIDDLEWARE") else [])
            return [both_id] if len(found) > 1 else found
        return check

    def referrer() -> list[str]:
        if not security():
            return []
        policy = get("SECURE_REFERRER_POLICY")
        if policy is None:
            return ["security.W022"]
        values = {v.strip() for v in policy.split(",")} if isinstance(policy, str) else set(policy)
        return [] if values <= REFERRER_POLICIES else ["security.E023"]

    def fallbacks() -> list[str]:
        keys = get("SECRET_KEY_FALLBACKS")
        return ["security.W025" for key in keys if not _strong_key(key)]

    yield lambda: [] if security() else ["security.W001"]
    yield lambda: [] if xframe() else ["security.W002"]
    yield lambda: [] if csrf() else ["security.W003"]
    yield lambda: [] if not security() or get("SECURE_HSTS_SECONDS") else ["security.W004"]
    yield lambda: [] if not security() or not get("SECURE_HSTS_SECONDS") \
        or get("SECURE_HSTS_INCLUDE_SUBDOMAINS") is True else ["security.W005"]
    yield lambda: [] if not security() or not get("SECURE_HSTS_SECONDS") or get("SECURE_HSTS_PRELOAD") is True \
        else ["security.W021"]
    yield lambda: [] if not security() or get("SECURE_CONTENT_TYPE_NOSNIFF") is True else ["security.W006"]
    yield lambda: [] if not security() or get("SECURE_SSL_REDIRECT") is True else ["security.W008"]
    yield lambda: [] if _strong_key(get("SECRET_KEY")) else ["security.W009"]
    yield fallbacks
    yield lambda: ["security.W018"] if get("DEBUG") else []
    yield lambda: [] if not xframe() or get("X_FRAME_OPTIONS") == "DENY" else ["security.W019"]
    yield lambda: [] if get("ALLOWED_HOSTS") else ["security.W020"]
    yield referrer
    yield lambda: ["security.E024"] if security() and get("SECURE_CROSS_ORIGIN_OPENER_POLICY") is not None and get(
        "SECURE_CROSS_ORIGIN_OPENER_POLICY") not in OPENER_POLICIES else []
    yield session_cookie("SESSION_COOKIE_SECURE", "security.W010", "security.W011", "security.W012")
    yield session_cookie("SESSION_COOKIE_HTTPONLY", "security.W013", "security.W014", "security.W015")
    yield lambda: [] if get("CSRF_USE_SESSIONS") or not csrf() or get("CSRF_COOKIE_SECURE") is True \
        else ["security.W016"]


def failing_checks(get: Callable[[str], Any]) -> list[str]:
    """The ids of Django's security checks that fail; a check whose settings are unknown is left out.

    The checks restate those of ``django/core/checks/security`` (Django 4.2 to 5.2) over
    setting values, without importing the settings; the test suite runs Django's real
    checks on generated settings and requires the same check ids.

    ``get(name)`` gives a setting's value (Django's default when the settings do not
    set it) or raises :class:`Unknown`.
    """
    failing: list[str] = []
    for check in _checks(get):
        try:
            failing.extend(check())
        except (Unknown, TypeError, AttributeError):
            continue
    return failing


MAX_COMBINATIONS = 32
"""Combinations of the values branches give the settings the checks read, each checked (beyond it: unknown)."""


def _choices(run: DjangoRun, settings: Settings) -> dict[str, list[Any]]:
    """The settings the checks read that branches the container's environment cannot decide give several values."""
    choices: dict[str, list[Any]] = {}
    for name in DEFAULTS:
        binding = settings.bindings.get(name)
        if binding is None or binding.node is None:
            continue
        try:
            run.setting(settings, name)
            continue
        except Unknown as unknown:
            if isinstance(unknown, (NotSet, MissingVariable)):
                continue
        try:
            values = possible_values(binding.node, run.process_environment, settings.bindings)
        except Unknown:
            continue
        if len(values) > 1 and not any(_opaque(value) for value in values):
            choices[name] = values
    if math.prod(len(values) for values in choices.values()) > MAX_COMBINATIONS:
        return {}
    return choices


def _failing_every_way(run: DjangoRun, settings: Settings, choices: dict[str, list[Any]]) -> list[str]:
    """The checks that fail whichever values the settings' undecided branches give (all of them: what holds)."""
    base = _getter(run, settings)
    failing: list[str] | None = None
    for combination in itertools.product(*choices.values()):
        fixed = dict(zip(choices, combination, strict=True))

        def get(name: str, fixed: dict[str, Any] = fixed) -> Any:
            return fixed[name] if name in fixed else base(name)

        found = failing_checks(get)
        failing = found if failing is None else [check for check in failing if check in found]
    return failing or []


def _opaque(value: Any) -> bool:
    return isinstance(value, Opaque) or (isinstance(value, (list, tuple)) and any(isinstance(v, Opaque) for v in value))


def _has_sessions(run: DjangoRun, settings: Settings, choices: dict[str, list[Any]]) -> bool:
    """Whether the site keeps sessions (or may) in some way through the settings' branches: ``SessionMiddleware``
    is there (the admin needs it: admin.E410)."""
    get = _getter(run, settings)
    try:
        ways = choices.get("MIDDLEWARE") or [get("MIDDLEWARE")]
        return any(SESSIONS in way for way in ways)
    except (Unknown, TypeError):
        return True


def _debug_on(run: DjangoRun, settings: Settings) -> bool:
    """Whether DEBUG is known to be on in the container."""
    try:
        return bool(_getter(run, settings)("DEBUG"))
    except (Unknown, TypeError):
        return False


BUILT_ON = {"security.W001": SECURITY, "security.W002": XFRAME, "security.W003": CSRF}
"""The middleware checks, with the middleware whose subclass does the same work."""


def _built_on(project: Project, run: DjangoRun, settings: Settings, middleware: str) -> bool:
    """Whether MIDDLEWARE lists a class of the project's built on Django's ``middleware`` (``class
    CsrfExemptApiMiddleware(CsrfViewMiddleware)`` in ``api/middleware.py``), which does its work where it lists it."""
    try:
        listed = _getter(run, settings)("MIDDLEWARE")
    except Unknown:
        return False
    wanted = middleware.rpartition(".")[2]
    for entry in listed if isinstance(listed, (list, tuple)) else ():
        module, _, name = str(entry).rpartition(".")
        path = project.module_file(module) if module and not module.startswith("django.") else None
        text = project.text(path, quiet=True) if path is not None else None
        if text is None or wanted not in text:
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        if any(isinstance(node, ast.ClassDef) and node.name == name and any(
                (base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else None)
                == wanted for base in node.bases) for node in tree.body):
            return True
    return False


def _getter(run: DjangoRun, settings: Settings) -> Callable[[str], Any]:
    """A setting's value as the container computes it, Django's default when unset; ``Unknown`` when opaque."""
    def unset(name: str) -> Any:
        if incomplete(settings.bindings, run.process_environment):  # a file the settings run may set it
            raise Unknown(name)
        return DEFAULTS[name]

    def get(name: str) -> Any:
        if name == "MIDDLEWARE" and name not in settings.bindings and "MIDDLEWARE_CLASSES" in settings.bindings:
            name = "MIDDLEWARE_CLASSES"  # settings written for Django before 1.10, which reads that list instead
        if name not in settings.bindings:
            return unset(name)
        try:
            value = run.setting(settings, name)
        except NotSet:  # the branch the container takes leaves it unset
            return unset(name)
        if _opaque(value):
            raise Unknown(name)
        return value
    return get


def _passes_in_another_deployment(project: Project, run: DjangoRun, settings: Settings, check_id: str) -> bool:
    """Whether another deployed container of the project loads the same settings and passes the check: the
    settings turn HTTPS on where the environment asks (``if USE_HTTPS:`` and ``-f prod.yml -f prod.certbot.yml``
    setting it), and the variant that does not is the project's choice (TLS ended elsewhere), not a gap."""
    for other in project.variants:  # this setup first
        for candidate in other.django_runs:
            if candidate is run or not any(loaded.path == settings.path for loaded in candidate.settings) \
                    or not _deployed(other, candidate) or other.development_only(candidate):
                continue
            if check_id not in _failing_every_way(candidate, settings, _choices(candidate, settings)):
                return True
    return False


def _image_behind_a_stack_proxy(project: Project, run: DjangoRun, proxy_does_it: Callable[[Project], bool]) -> bool:
    """Whether the container is an image deployed alone (no service of this setup runs it: CI pushes it) and a
    deployed stack of the project puts a proxy in front of Django that does the check's job (``image:
    ${CONTAINER_IMAGE}`` behind Traefik's TLS and redirect; the registry's image behind an nginx with TLS)."""
    return run.service is None and any(proxy_does_it(other) for other in project.variants
                                       if other is not project and other.stack is not None
                                       and not other.development_stack)


def _deployed(project: Project, run: DjangoRun) -> bool:
    """Whether a container serves Django with a production server (not ``runserver``, nor a FastAPI app that only
    uses Django's ORM)."""
    servers = project.servers(run.service, run.build)
    return bool(servers) and all(found.program != "runserver" for found in servers) \
        and not all(project.serves_another_framework(found, run.service) for found in servers)
