"""DJC310's HTTPS checks (HSTS, redirect, secure cookies) speak only for a project served over HTTPS."""

from __future__ import annotations

import pytest
from conftest import lint, write_files

from djlint_docker.rules.settings.djc310_deploy_checks import PLAIN_HTTP_PROJECT

HTTPS_IDS = ("security.W004", "security.W008", "security.W012", "security.W016")

CERTBOT = "  certbot:\n    image: certbot/certbot:v2.11.0\n"
NGINX_MOUNTED = PLAIN_HTTP_PROJECT["compose.yaml"].replace(
    "    build: ./nginx\n", "    image: nginx:1.27-alpine\n    volumes:\n"
                            "      - ./nginx/site.conf:/etc/nginx/conf.d/default.conf:ro\n")


def _https_findings(tmp_path, files) -> list[str]:
    write_files(tmp_path, {**PLAIN_HTTP_PROJECT, **files})
    return sorted(check for f in lint(tmp_path) if f.code == "DJC310"
                  for check in HTTPS_IDS if check in f.message)


@pytest.mark.parametrize("files", [
    {"compose.yaml": PLAIN_HTTP_PROJECT["compose.yaml"] + "    labels:\n"
                     "      - traefik.http.routers.shop.tls.certresolver=letsencrypt\n"},
    # certbot beside an nginx whose configuration is not in the repository (the server's own)
    {"compose.yaml": PLAIN_HTTP_PROJECT["compose.yaml"].replace("    build: ./nginx\n", "    image: nginx:1.27-alpine\n")
     + CERTBOT},
    {"compose.yaml": NGINX_MOUNTED,
     "nginx/site.conf": "server {\n    listen 443 ssl http2;\n    ssl_certificate /certs/cert.pem;\n}\n"},
    {"compose.yaml": PLAIN_HTTP_PROJECT["compose.yaml"].replace(
        "      DJANGO_ALLOWED_HOSTS: shop.example.com\n",
        "      DJANGO_ALLOWED_HOSTS: shop.example.com\n      SITE_URL: https://shop.example.com\n")},
    {"app/settings.py": PLAIN_HTTP_PROJECT["app/settings.py"] + "SESSION_COOKIE_SECURE = not DEBUG\n"},
], ids=["traefik-labels", "certbot", "nginx-mounted-tls-config", "site-url", "one-cookie-secure"])
def test_signs_of_https(tmp_path, files):
    found = _https_findings(tmp_path, files)
    assert "security.W004" in found and "security.W016" in found


@pytest.mark.parametrize("files", [
    {},
    {"compose.yaml": NGINX_MOUNTED, "nginx/site.conf": "server {\n    listen 80;\n    # listen 443 ssl;\n}\n"},
    {"compose.yaml": PLAIN_HTTP_PROJECT["compose.yaml"].replace(
        "      DJANGO_ALLOWED_HOSTS: shop.example.com\n",
        "      DJANGO_ALLOWED_HOSTS: shop.example.com\n      AWS_S3_ENDPOINT_URL: https://s3.example.com\n")},
    {"app/settings.py": PLAIN_HTTP_PROJECT["app/settings.py"] + "SESSION_COOKIE_SECURE = False\n"},
    # nginx serves plain HTTP on port 443 too: no `ssl`, no certificate
    {"compose.yaml": NGINX_MOUNTED, "nginx/site.conf": "server {\n    listen 80;\n    listen 443;\n}\n"},
    # certbot fetches certificates the project's nginx, which listens on port 80 alone, never serves
    {"compose.yaml": PLAIN_HTTP_PROJECT["compose.yaml"] + CERTBOT},
    # port 443 is published, but nothing behind it serves TLS
    {"compose.yaml": PLAIN_HTTP_PROJECT["compose.yaml"].replace("      - 80:80\n", "      - 80:80\n      - 443:443\n")},
], ids=["plain", "nginx-on-80", "outside-service-url", "cookie-insecure-on-purpose", "nginx-443-without-ssl",
        "certbot-beside-a-plain-nginx", "443-published-to-a-plain-nginx"])
def test_no_sign_of_https(tmp_path, files):
    assert _https_findings(tmp_path, files) == []


def test_a_key_read_from_a_variable_the_container_lacks_is_said_to_be_empty(tmp_path):
    settings = PLAIN_HTTP_PROJECT["app/settings.py"].replace('os.environ["SECRET_KEY"]', 'os.getenv("SECRET_KEY")')
    compose = PLAIN_HTTP_PROJECT["compose.yaml"].replace("      SECRET_KEY: ${SECRET_KEY:?}\n", "")
    write_files(tmp_path, {**PLAIN_HTTP_PROJECT, "app/settings.py": settings, "compose.yaml": compose})
    messages = [f.message for f in lint(tmp_path) if f.code == "DJC310"]
    assert messages == ["check --deploy fails security.W009: SECRET_KEY is empty in service web: the container does "
                        "not set the variable it is read from; use 50 or more random characters"]


CADDY_MOUNTED = ("services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n"
                 "  caddy:\n    image: caddy:2.8\n    ports:\n      - 80:80\n      - 443:443\n    volumes:\n"
                 "      - ./Caddyfile:/etc/caddy/Caddyfile:ro\n")


@pytest.mark.parametrize(("compose", "config", "site", "header"), [
    (NGINX_MOUNTED, "nginx/site.conf", "server {\n    listen 443 ssl;\n    ssl_certificate /certs/cert.pem;\n",
     "    add_header Strict-Transport-Security \"max-age=31536000\" always;\n"),
    (CADDY_MOUNTED, "Caddyfile", "shop.example.com {\n\treverse_proxy web:8000\n",
     "\theader Strict-Transport-Security max-age=31536000;\n"),
], ids=["nginx", "caddy"])
def test_hsts_the_proxy_sends_itself_is_not_asked_of_django(tmp_path, compose, config, site, header):
    found = _https_findings(tmp_path, {"compose.yaml": compose, config: site + "}\n"})
    assert "security.W004" in found
    found = _https_findings(tmp_path, {"compose.yaml": compose, config: site + header + "}\n"})
    assert "security.W004" not in found and "security.W016" in found


@pytest.mark.parametrize(("origins", "https"), [(["https://shop.example.com"], True),
                                               (["http://shop.local", "https://shop.local"], False)])
def test_an_origin_trusted_over_both_schemes_says_nothing_of_https(tmp_path, origins, https):
    settings = PLAIN_HTTP_PROJECT["app/settings.py"] + f"CSRF_TRUSTED_ORIGINS = {origins!r}\n"
    assert bool(_https_findings(tmp_path, {"app/settings.py": settings})) is https


def test_an_nginx_image_that_installs_certbot_redirects_to_https_itself(tmp_path):
    compose = PLAIN_HTTP_PROJECT["compose.yaml"].replace("      - 80:80\n", "      - 80:80\n      - 443:443\n")
    assert _https_findings(tmp_path, {"compose.yaml": compose}) == []  # the configuration serves plain HTTP alone
    found = _https_findings(tmp_path, {"compose.yaml": compose, "nginx/Dockerfile": "FROM nginx:1.27-alpine\n"
                                       "COPY default.conf /etc/nginx/conf.d/\nRUN apk add certbot certbot-nginx\n"})
    assert "security.W008" not in found and "security.W016" in found


COOKIES_FROM_ENVIRONMENT = PLAIN_HTTP_PROJECT["app/settings.py"] + (
    'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # from the template\n'
    'SESSION_COOKIE_SECURE = os.environ.get("DJANGO_SESSION_COOKIE_SECURE", "True") == "True"\n')


@pytest.mark.parametrize(("variable", "https"), [("      DJANGO_SESSION_COOKIE_SECURE: \"False\"\n", False),
                                                  ("", True)])
def test_secure_cookies_the_deployment_turns_off_say_it_serves_plain_http(tmp_path, variable, https):
    """The template's proxy header is a leftover when the deployment's environment turns the secure cookie off."""
    compose = PLAIN_HTTP_PROJECT["compose.yaml"].replace("      DJANGO_ALLOWED_HOSTS", variable + "      DJANGO_ALLOWED_HOSTS")
    found = _https_findings(tmp_path, {"compose.yaml": compose, "app/settings.py": COOKIES_FROM_ENVIRONMENT})
    assert ("security.W004" in found) is https
