"""Whether a project shows that its site is served over HTTPS: what Django's HTTPS deployment checks need to make sense.

HSTS, the HTTPS redirect and secure cookies only make sense for a site reached over
HTTPS. A setup that never mentions TLS (nginx on port 80, gunicorn published on 8000)
is served over plain HTTP, or TLS is the business of a proxy djcheck does not see:
following that advice there breaks the site (secure cookies are never sent back over
HTTP, the redirect loops without ``SECURE_PROXY_SSL_HEADER``).
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import Any

from djlint_docker.parse.compose import Service
from djlint_docker.parse.settings import UNBOUND, Assignment, Branches, Unknown, env_reads, evaluate, every_way
from djlint_docker.project import DjangoRun, ImageBuild, Project, Settings
from djlint_docker.rules.compose._stack import published_to_others

HTTPS_CHECKS = frozenset({"security.W004", "security.W008", "security.W010", "security.W011", "security.W012",
                          "security.W016"})
"""Django's checks that only make sense over HTTPS (HSTS, the redirect, secure cookies)."""

SECURE_VALUES = {
    "SECURE_SSL_REDIRECT": lambda value: value is True,
    "SESSION_COOKIE_SECURE": lambda value: value is True,
    "CSRF_COOKIE_SECURE": lambda value: value is True,
    "SECURE_HSTS_SECONDS": lambda value: isinstance(value, int) and not isinstance(value, bool) and value > 0,
    "SECURE_PROXY_SSL_HEADER": lambda value: isinstance(value, (tuple, list)) and len(value) == 2,
    "CSRF_TRUSTED_ORIGINS": lambda value: isinstance(value, (list, tuple)) and _https_only_origin(value),
}
"""The settings whose value, when it is this, says the site is served over HTTPS."""


def _https_only_origin(origins: list[Any] | tuple[Any, ...]) -> bool:
    """Whether an origin is trusted over HTTPS and not over plain HTTP too (``["http://django.local",
    "https://django.local"]`` lists both: the site answers on either)."""
    written = [item.lower() for item in origins if isinstance(item, str)]
    secure = {item.removeprefix("https://") for item in written if item.startswith("https://")
              and not PLACEHOLDER_HOST.search(item)}
    return bool(secure - {item.removeprefix("http://") for item in written if item.startswith("http://")})

PLACEHOLDER_HOST = re.compile(r"^https://(?:[\w-]+\.)*(?:your-?(?:domain|site|host|app)|my-?(?:domain|site)|domain)"
                              r"\.(?:com|org|net|tld)(?::\d+)?(?:/|$)")
"""An address a template leaves for the user to fill in (``https://yourdomain.com``): it says nothing of how the
site is served."""
SITE_URL_NAME = re.compile(r"ORIGIN|SITE|DOMAIN|HOST|BASE_URL|PUBLIC_URL|APP_URL|WEB_URL|FRONTEND_URL|ROOT_URL"
                           r"|REDIRECT_URI", re.I)
"""Variables that name the site's own address (not an outside service's, as a Sentry DSN or an S3 endpoint)."""

TLS_IMAGE = re.compile(r"(?:^|[/_-])(?:traefik|caddy|certbot|letsencrypt|acme-companion|https-portal|swag"
                       r"|nginx-proxy-manager)(?:$|[:@/_-])", re.I)
"""Images that terminate TLS or fetch its certificates."""

def _nginx_tls(text: str) -> bool:
    """Whether an nginx configuration serves TLS: ``listen ... ssl`` or ``ssl_certificate`` (a bare ``listen 443;``
    serves plain HTTP on that port)."""
    for line in text.splitlines():
        words = line.split("#", 1)[0].replace(";", " ").split()
        if words[:1] == ["ssl_certificate"] or (words[:1] == ["listen"] and "ssl" in words[1:]):
            return True
    return False


def _traefik_tls(text: str) -> bool:
    """Whether Traefik labels route a service over TLS (the Traefik container may run in another stack)."""
    return any("traefik.http.routers." in line and (".tls" in line or "websecure" in line)
               for line in text.splitlines())


MAX_CONFIG_FILES = 50
"""Configuration files of an nginx service's build context that are read."""


def served_over_https(project: Project, run: DjangoRun, settings: Settings) -> bool:
    """Whether the project shows that the site is served over HTTPS.

    Any of: a setting of the settings the container runs set to a secure value in a way
    through their branches the container's environment does not rule out
    (``SECURE_PROXY_SSL_HEADER``, ``SECURE_SSL_REDIRECT``, a ``*_COOKIE_SECURE`` True,
    ``SECURE_HSTS_SECONDS`` above 0, an ``https://`` origin in ``CSRF_TRUSTED_ORIGINS`` not also over ``http://``);
    an ``https://`` address of the site in the environment of a container of the stack (not a template's
    placeholder, ``https://yourdomain.com``, which an origin of the settings is not either);
    a published port 443; a TLS terminator in the stack (Traefik, Caddy, certbot, an
    nginx whose configuration listens with ``ssl`` or names a certificate), or Traefik labels that
    route a service over TLS. A published 443 and a certbot container do not count in front of an nginx whose
    configuration djcheck reads and which serves plain HTTP alone (``listen 80;``): nothing serves TLS there.
    Settings that write the cookies insecure (``SESSION_COOKIE_SECURE = False  # for HTTP access``; one of them,
    the other left at its default) in a stack that shows no TLS serve plain HTTP on purpose, whatever HSTS or proxy
    header a template left.
    """
    if _turned_off_by_the_environment(run, settings):
        return False
    # both cookies written insecure: HSTS or a proxy header beside them is a template's leftover, unless the stack
    # itself shows TLS
    return _settings_say_so(run, settings) and not _cookies_written_insecure(settings) \
        or _stack_says_so(project, run)


TURNED_OFF = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")


def _turned_off_by_the_environment(run: DjangoRun, settings: Settings) -> bool:
    """Whether the container's environment turns secure cookies off on purpose: a variable it sets
    (``DJANGO_SESSION_COOKIE_SECURE=False`` in the deployment's env file) makes a cookie setting False. The
    deployment serves plain HTTP, whatever leftovers of a template say (cookiecutter-django's
    ``SECURE_PROXY_SSL_HEADER``). (The redirect turned off says nothing: a TLS proxy often does it instead.)"""
    for name in TURNED_OFF:
        binding = settings.bindings.get(name)
        if binding is None or binding.node is None or _value(binding.node, run, settings) is not False:
            continue
        if any(run.environment.get(read.variable) for read in env_reads(binding.node, settings.bindings)):
            return True
    return False


def _cookies_written_insecure(settings: Settings) -> bool:
    """Whether the settings write the cookies insecure as literals (``SESSION_COOKIE_SECURE = False  # True with
    HTTPS``), one or both, and leave neither secure (the other at Django's default, False): a site served over
    plain HTTP on purpose."""
    written = [settings.bindings.get(name) for name in TURNED_OFF]
    return any(binding is not None for binding in written) and all(
        binding is None or isinstance(binding.node, ast.Constant) and binding.node.value is False
        for binding in written)


def _settings_say_so(run: DjangoRun, settings: Settings) -> bool:
    return any(_secure(run, settings, name) for name in SECURE_VALUES)


def _secure(run: DjangoRun, settings: Settings, name: str) -> bool:
    """Whether one way of the settings the container can take gives ``name`` a value that only a site served over
    HTTPS sets."""
    binding = settings.bindings.get(name)
    return binding is not None and any(way.node is not None and SECURE_VALUES[name](_value(way.node, run, settings))
                                       for way in _container_ways(binding, run, settings))


def _container_ways(binding: Assignment, run: DjangoRun, settings: Settings) -> list[Assignment]:
    """The assignments of the ways through ``if``/``try`` branches the container can take: the way its environment
    takes where the test is known (none when that way leaves the name unset: ``if PRODUCTION:`` in a container
    whose ``DJANGO_PRODUCTION`` is false or unset), every way where it is not. A container that takes the
    development way of settings whose production way is set for HTTPS runs development settings: the advice
    for HTTPS would break it, and what is wrong there (DEBUG, the key) other rules report."""
    current = binding
    for _ in range(MAX_BRANCH_DEPTH):
        node = current.node
        if not isinstance(node, Branches):
            break
        try:
            way = node.bindings[0 if evaluate(node.test, run.process_environment, settings.bindings) else 1]
        except Unknown:
            break
        if way is UNBOUND:
            return []
        if way is None:
            break
        current = way
    return every_way(current)


MAX_BRANCH_DEPTH = 20
"""Nested ``if``/``try`` statements followed to the way a container takes (as deep as settings nest them)."""


def _value(node: Any, run: DjangoRun, settings: Settings) -> Any:
    try:
        return evaluate(node, run.process_environment, settings.bindings)
    except Unknown:
        return None


def _stack_says_so(project: Project, run: DjangoRun) -> bool:
    environments = [project.image_environment(run.build)] + [project.service_environment(service)
                                                            for service in project.services]
    if any(_site_address(name, value) for environment in environments for name, value in environment.items()):
        return True
    plain = _plain_nginx_front(project)
    if not plain and any(port.target.split("-")[0] == "443" or (port.published or "").split("-")[0] == "443"
                         for service in project.services for port in service.ports):
        return True
    return _tls_proxy(project, plain) or "https" in _nginx_proxy_does(project)


def _tls_proxy(project: Project, plain_nginx_front: bool = False) -> bool:
    """Whether a service of the stack terminates TLS, or Traefik labels route one over TLS. Behind an nginx whose
    configuration serves plain HTTP alone (:func:`_plain_nginx_front`), a certbot container fetches certificates
    nothing serves."""
    if any(_terminates_tls(project, service, plain_nginx_front) for service in project.services):
        return True
    stack = project.stack
    return stack is not None and any(_traefik_tls(project.text(path) or "") for path in stack.files)


CERTIFICATE_FETCHERS = re.compile(r"(?:^|[/_-])(?:certbot|letsencrypt)(?:$|[:@/_-])", re.I)


def _plain_nginx_front(project: Project) -> bool:
    """Whether the stack's nginx, whose configuration djcheck reads, serves plain HTTP alone (no ``listen ... ssl``,
    no certificate): its port 443, if published, has nothing listening with TLS behind it."""
    found = False
    for service in project.services:
        build = project.build_for(service)
        images = _images(service, build)
        configs = [text for text in _proxy_configs(project, service, images) if "listen" in text]
        if any(_nginx_tls(text) for text in configs) or (configs and _installs_certbot(build)):
            return False  # TLS, or certbot's nginx plugin, which adds it to the configuration as the container runs
        found = found or bool(configs)
    return found


def _site_address(name: str, value: str | None) -> bool:
    return value is not None and "https://" in value.lower() and SITE_URL_NAME.search(name) is not None \
        and not all(PLACEHOLDER_HOST.search(address) for address in re.findall(r"https://[^\s,;'\"]+", value.lower()))


def _terminates_tls(project: Project, service: Service, plain_nginx_front: bool = False) -> bool:
    """Whether a service terminates TLS: a TLS image, or nginx with a TLS configuration in its context or mounts."""
    build = project.build_for(service)
    images = _images(service, build)
    tls = [image for image in images if TLS_IMAGE.search(image)] + (
        [service.name] if TLS_IMAGE.fullmatch(service.name) else [])
    if tls and all("caddy" in name.lower() for name in tls) \
            and _caddy_plain(_proxy_configs(project, service, images, ("caddy",))):
        return False  # Caddy on `0.0.0.0:8080`, `http://...`: no automatic HTTPS
    if tls and not (plain_nginx_front and all(CERTIFICATE_FETCHERS.search(name) for name in tls)):
        return True
    if _installs_certbot(build):
        return True  # an nginx image that installs certbot, whose nginx plugin adds TLS and the redirect to it
    return any(_nginx_tls(text) for text in _proxy_configs(project, service, images))


def _images(service: Service, build: ImageBuild | None) -> list[str]:
    """The images a service runs: its ``image:``, and the base of the final stage of the image it builds."""
    images = [service.image.value] if service.image is not None else []
    if build is not None and build.dockerfile is not None:
        images.append(build.dockerfile.final.image)
    return images


def _installs_certbot(build: ImageBuild | None) -> bool:
    """Whether an image a service builds installs certbot (``apk add certbot certbot-nginx``)."""
    dockerfile = build.dockerfile if build is not None else None
    return dockerfile is not None and any("certbot" in run.script for stage in dockerfile.lineage(dockerfile.final)
                                          for run in stage.all("RUN"))


def _proxy_configs(project: Project, service: Service, images: list[str], proxies: tuple[str, ...] = ("nginx",)
                   ) -> list[str]:
    """The texts of the configuration files of a service running one of the ``proxies`` (nginx's ``*.conf``,
    Caddy's ``Caddyfile``): those it bind-mounts, those its image copies into ``/etc``, and those of its build
    context."""
    if not any(proxy in image.lower() for image in images for proxy in proxies):
        return []
    build = project.build_for(service)
    configs: list[Path] = []
    for mount in service.volumes:
        if mount.type == "bind" and mount.source:
            source = Path(mount.source)
            # a file (`./nginx.conf:/etc/nginx/conf.d/default.conf`), or each configuration file of a folder
            # mounted whole (`./docker/nginx:/etc/nginx/conf.d`)
            if project.is_file(source):
                configs.append(source)
            elif mount.target.startswith("/etc/"):
                configs += _folder_configs(project, source)
    if build is not None and build.dockerfile is not None:  # what the image copies into /etc, whatever its name
        for stage in build.dockerfile.lineage(build.dockerfile.final):  # (`ADD nginx.tmpl /etc/nginx/nginx.conf`)
            for copy in (i for i in stage.instructions if i.keyword in {"COPY", "ADD"} and i.flag("from") is None):
                words = [word for word in (copy.exec_form or copy.words()) if not word.startswith("--")]
                if len(words) >= 2 and words[-1].startswith("/etc/"):
                    for written in words[:-1][:MAX_CONFIG_FILES]:
                        path = Path(os.path.normpath(build.context / written.lstrip("/")))
                        configs += [path] if project.is_file(path) else _folder_configs(project, path)
    if build is not None:
        configs += [entry.context / entry.relative for entry in project.context_entries(build)
                    if not entry.is_dir and (CONFIG_NAME.search(entry.relative.rsplit("/", 1)[-1])
                                             or entry.relative.endswith((".template", ".tpl")))][:MAX_CONFIG_FILES]
    return [project.text(path) or "" for path in configs[:MAX_CONFIG_FILES]
            if path.is_relative_to(project.boundary) and project.is_file(path)]


def _folder_configs(project: Project, folder: Path) -> list[Path]:
    """The configuration files at the top of a folder of the project (``*.conf``, a ``Caddyfile``), a bounded few."""
    if not folder.is_relative_to(project.boundary):
        return []
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry, _ in zip(entries, range(MAX_CONFIG_FILES * 4), strict=False)
                           if entry.is_file() and CONFIG_FILE.search(entry.name))
    except OSError:
        return []
    return [folder / name for name in names[:MAX_CONFIG_FILES]]


def _caddy_plain(texts: list[str]) -> bool:
    """Whether Caddyfiles serve plain HTTP alone: no ``tls`` directive, and every site address is one Caddy turns
    no automatic HTTPS on for (``http://...``, a bare ``:8080``, an IP address or localhost with a port other
    than 443). False when there is none to read, or an address comes from a variable (``{$DOMAIN}``)."""
    addresses = [address for text in texts for address in _caddy_site_addresses(text)]
    if not addresses or any(re.search(r"^\s*tls\b", text, re.M) for text in texts):
        return False
    for address in addresses:
        lowered = address.lower()
        if lowered.startswith("http://"):
            continue
        host_port = lowered.removeprefix("https://").partition("/")[0]
        host, _, port = host_port.rpartition(":") if ":" in host_port else (host_port, "", "")
        if lowered.startswith("https://") or port in {"", "443"} or not (
                host == "" or host == "localhost" or re.fullmatch(r"[\d.]+", host)):
            return False
    return True


def _caddy_site_addresses(text: str) -> list[str]:
    """The site addresses of a Caddyfile: the words before each top-level ``{`` (not the global options block)."""
    addresses: list[str] = []
    depth = 0
    for line in text.splitlines()[:MAX_CADDY_LINES]:
        words = line.split("#", 1)[0].split()
        if depth == 0 and words and words[-1] == "{" and len(words) > 1:
            addresses += [word.strip(",") for word in words[:-1] if word.strip(",")]
        depth = max(0, depth + sum(word.count("{") - word.count("}") for word in words
                                   if not word.startswith("{$") and not word.startswith("{env.")))
    return addresses


MAX_CADDY_LINES = 5_000


def hsts_at_proxy(project: Project) -> bool:
    """Whether an nginx or Caddy service of the stack sends the HSTS header itself (nginx's ``add_header
    Strict-Transport-Security``, Caddy's ``header Strict-Transport-Security``): every response through it carries
    the header, whatever ``SECURE_HSTS_SECONDS`` says. Worked out once per project."""
    return project.once((__name__, "hsts"), lambda: _proxy_config_says(project, HSTS_HEADER, ("nginx", "caddy"))
                        or "hsts" in _nginx_proxy_does(project))


def _nginx_proxy_does(project: Project) -> frozenset[str]:
    """What nginx-proxy does for the site when a service of the stack asks its Let's Encrypt companion for a
    certificate (``LETSENCRYPT_HOST``): it serves it over HTTPS (``https``), redirects plain HTTP (``redirect``) and
    sends HSTS (``hsts``), unless the service says otherwise (``HTTPS_METHOD=noredirect`` keeps plain HTTP and sends
    no HSTS, ``nohttps`` serves no HTTPS; ``HSTS=off``)."""
    done: set[str] = set()
    for service in project.services:
        environment = service.environment
        if "LETSENCRYPT_HOST" not in environment:
            continue
        method = environment.get("HTTPS_METHOD")
        method_value = (method.value or "redirect").lower() if method is not None else "redirect"
        if method_value == "nohttps":
            continue
        done.add("https")
        if method_value == "redirect":
            done.add("redirect")
            header = environment.get("HSTS")
            if header is None or (header.value or "").lower() != "off":
                done.add("hsts")
    return frozenset(done)


def _proxy_config_says(project: Project, pattern: re.Pattern[str], proxies: tuple[str, ...] = ("nginx",)) -> bool:
    """Whether the configuration of a service of the stack running one of ``proxies`` matches ``pattern``."""
    return any(pattern.search(text) for service in project.services
               for text in _proxy_configs(project, service, _images(service, project.build_for(service)), proxies))


HSTS_HEADER = re.compile(r"^[ \t]*(?:(?:add_header|header)[ \t]+)?[\"']?Strict-Transport-Security\b[\"']?[ \t:]+"
                         r"[\"']?max-age", re.I | re.M)
"""The HSTS header a proxy sends: nginx's ``add_header Strict-Transport-Security "max-age=..."``, Caddy's
``header Strict-Transport-Security max-age=...`` or a line of its ``header { ... }`` block."""
CONFIG_NAME = re.compile(r"conf|caddyfile", re.I)
CONFIG_FILE = re.compile(r"\.conf(?:\.template)?$|^caddyfile", re.I)
"""A configuration file of a folder mounted into ``/etc`` (``default.conf``, ``Caddyfile``)."""


def redirect_at_proxy(project: Project, run: DjangoRun, settings: Settings) -> bool:
    """Whether the HTTPS redirect is a TLS proxy's job: the stack terminates TLS in a proxy (Traefik, Caddy,
    nginx with TLS), or the settings say the site sits behind one (``SECURE_PROXY_SSL_HEADER``). The proxy
    redirects plain HTTP itself (Caddy does by default), before a request reaches Django. So does a proxy on the
    host that is all that reaches the container (:func:`_behind_a_host_proxy`), and an nginx of the stack whose
    configuration sends plain HTTP to ``https://`` (:data:`HTTPS_REDIRECT`)."""
    return _secure(run, settings, "SECURE_PROXY_SSL_HEADER") or _behind_a_host_proxy(run) or stack_redirects(project)


def stack_redirects(project: Project) -> bool:
    """Whether a proxy of the stack sends plain HTTP to HTTPS: it terminates TLS (Traefik, Caddy, nginx with TLS), or
    its nginx configuration redirects (:data:`HTTPS_REDIRECT`)."""
    return project.once((__name__, "redirect"),
                        lambda: _tls_proxy(project) or "redirect" in _nginx_proxy_does(project)
                        or _proxy_config_says(project, HTTPS_REDIRECT))


HTTPS_REDIRECT = re.compile(r"^[ \t]*(?:return[ \t]+30[178]|rewrite[ \t]+\S+)[ \t]+[\"']?https://", re.M)
"""An nginx directive sending plain HTTP to HTTPS (``return 301 https://$host$request_uri;``, also under ``if
($http_x_forwarded_proto = 'http')`` behind a load balancer that terminates TLS): the proxy redirects, not Django."""


def _behind_a_host_proxy(run: DjangoRun) -> bool:
    """Whether the container publishes its ports on the host's loopback alone (``127.0.0.1:8000:8000`` in a stack
    deployed with ``restart:``): only a proxy on the host reaches it, and the site is served through that."""
    service = run.service
    return service is not None and bool(service.ports) and not published_to_others(service)
