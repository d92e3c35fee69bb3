"""The servers a container's settings connect to (broker, cache, channel layer) and whether their host resolves."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from djlint_docker.images import parse_image
from djlint_docker.parse.compose import Service
from djlint_docker.parse.settings import Unknown
from djlint_docker.project import DjangoRun, Project, Settings

LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "ip6-localhost"}
URL_SETTING = re.compile(r"^(?:CELERY_)?(?:BROKER_URL|RESULT_BACKEND|BROKER_READ_URL|BROKER_WRITE_URL)$")
"""Settings Celery reads (with the ``CELERY_`` namespace or the old names). A ``REDIS_URL`` of the project's own is
not: only the project's code reads it, if anything; where the settings use it (CACHES, the broker), that is judged."""
SERVER_SCHEMES = re.compile(r"^(?:redis|rediss|valkey|valkeys|amqp|amqps|pyamqp|librabbitmq|memcache|memcached|"
                            r"pymemcache|mongodb|db\+\w+)$", re.I)
SERVER_CACHES = re.compile(r"redis|valkey|\.memcached\.|pylibmc|pymemcache", re.I)
MAX_HOSTS = 100
MAX_LINES = 20_000
ALIAS_ITEM = re.compile(r"^\s*-\s*['\"]?([\w.-]+)['\"]?\s*(?:#.*)?$")
ALIASES_KEY = re.compile(r"^(\s*)aliases\s*:\s*(?:\[([^\]]*)\])?\s*(?:#.*)?$")



def server_hosts(run: DjangoRun, settings: Settings, environment: Mapping[str, str] | None = None
                 ) -> Iterator[tuple[str, str, str]]:
    """(setting, what, host) for each server a container's settings connect to by host name.

    Reads broker and result-backend URLs (``CELERY_BROKER_URL``, ``CELERY_RESULT_BACKEND``), the
    ``LOCATION`` of Redis and Memcached ``CACHES`` and the ``hosts`` of a Redis
    ``CHANNEL_LAYERS``, evaluated with the container's environment; a ``CELERY_BROKER_URL`` or
    ``CELERY_RESULT_BACKEND`` variable of the container stands for the setting, as Celery reads
    it first. ``environment`` replaces the container's process environment (one where more is unknown). Values that are
    not known, sockets and back-ends with no server (``django-db``, local memory) are left out.
    """
    names = [name for name in settings.bindings if URL_SETTING.search(name)] + ["CACHES", "CHANNEL_LAYERS"]
    for name in names:
        if name not in settings.bindings:
            continue
        overriding = next((variable for setting, variable in CELERY_ENVIRONMENT if setting.match(name)), None)
        if overriding is not None and overriding in run.environment:
            value = run.environment[overriding]  # Celery takes the container's variable over the setting
            if value is None:
                continue  # from the shell: unknown
        else:
            try:
                value = run.setting(settings, name, environment)
            except Unknown:
                continue
        found: list[tuple[str, str]] = []
        if name == "CACHES" and isinstance(value, dict):
            for alias, entry in value.items():
                if isinstance(entry, dict) and SERVER_CACHES.search(str(entry.get("BACKEND", ""))):
                    found += [(f"CACHES[{alias!r}] LOCATION", host) for host in _location_hosts(entry.get("LOCATION"))]
        elif name == "CHANNEL_LAYERS" and isinstance(value, dict):
            for alias, entry in value.items():
                config = entry.get("CONFIG") if isinstance(entry, dict) else None
                if "redis" in str(entry.get("BACKEND", "") if isinstance(entry, dict) else "").lower() \
                        and isinstance(config, dict):
                    hosts = _channel_hosts(config.get("hosts"))
                    found += [(f"CHANNEL_LAYERS[{alias!r}] hosts", host) for host in hosts]
        elif isinstance(value, str):
            host = _url_host(value)
            found += [(name, host)] if host is not None else []
        for what, host in found[:MAX_HOSTS]:
            yield name, what, host


CELERY_ENVIRONMENT = ((re.compile(r"^(?:CELERY_)?BROKER_URL$"), "CELERY_BROKER_URL"),
                      (re.compile(r"^(?:CELERY_)?RESULT_BACKEND$"), "CELERY_RESULT_BACKEND"))
"""The variables Celery reads ahead of the settings (``Settings.broker_url``: ``os.environ.get("CELERY_BROKER_URL")
or`` the setting; ``result_backend`` likewise): set in the container, they are the broker and backend it uses."""


def _url_host(value: str) -> str | None:
    """The host of a server URL (None: not a URL of a server djcheck knows, or no host)."""
    if "://" not in value:
        return None
    try:
        parts = urlsplit(value.split(";")[0].strip())
        host = parts.hostname
    except ValueError:
        return None
    return host if SERVER_SCHEMES.match(parts.scheme) and host else None


def _location_hosts(location: Any) -> list[str]:
    values = location if isinstance(location, list | tuple) else [location]
    hosts = []
    for value in values[:MAX_HOSTS]:
        if not isinstance(value, str) or not value or value.startswith(("unix:", "/")):
            continue
        host = _url_host(value) if "://" in value else value.rsplit(":", 1)[0] if ":" in value else value
        if host:
            hosts.append(host)
    return hosts


def _channel_hosts(hosts: Any) -> list[str]:
    found = []
    for host in hosts[:MAX_HOSTS] if isinstance(hosts, list | tuple) else []:
        if isinstance(host, dict):
            host = host.get("address")
        if isinstance(host, str):
            name = _url_host(host) if "://" in host else None
        elif isinstance(host, list | tuple) and host and isinstance(host[0], str):
            name = host[0]
        else:
            name = None
        if name:
            found.append(name)
    return found


BROKER_IMAGES = frozenset({"redis", "valkey", "rabbitmq", "keydb", "dragonfly", "redis-stack", "redis-stack-server",
                           "elasticmq", "localstack", "kvrocks", "garnet"})
"""Images of a server Celery can use as its broker or result backend (by their last path part)."""
BROKER_NAME = re.compile(r"redis|valkey|rabbit|broker|amqp|keydb|dragonfly", re.I)
MAX_WORDS = 200


def celery_in_stack(project: Project) -> bool:
    """Whether anything in the stack uses Celery's broker: a service runs Celery (a worker, beat, Flower: a word of
    its command, of its image's start commands or of the scripts they run names ``celery``, as
    ``/start-celeryworker`` or ``-A config.celery_app`` do), or a broker server (Redis, RabbitMQ, Valkey...) is one
    of its services. A stack with neither leaves the broker URL of settings that pre-wire Celery unused: nothing
    connects to it."""
    return any(_broker(service) or _runs_celery(project, service) for service in project.services)


def _broker(service: Service) -> bool:
    """Whether a service is a server Celery can use as its broker: by its image, or by its name when it builds one."""
    if BROKER_NAME.search(service.name):
        return True
    return service.image is not None and bool(service.image.value) and (
        parse_image(service.image.value).name.lower() in BROKER_IMAGES)


def _runs_celery(project: Project, service: Service) -> bool:
    """Whether a service's name, or a word of what it starts, names Celery; not a variable a script sets
    (``export CELERY_BROKER_URL=${REDIS_URL}`` in cookiecutter-django's entrypoint, which every container runs)."""
    if "celery" in service.name.lower():
        return True
    return any("celery" in word.lower() for run in project.container_commands(service, project.build_for(service))
               if run.command.words[:1] not in SETTERS
               for word in run.command.words[:MAX_WORDS] if not ASSIGNMENT.match(word))


SETTERS = {("export",), ("declare",), ("readonly",), ("local",), ("typeset",)}
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def celery_setting(name: str) -> bool:
    """Whether a setting is one of Celery's broker or result-backend URLs."""
    return URL_SETTING.search(name) is not None


def on_external_network(project: Project) -> bool:
    """Whether the stack joins a network made outside it (``external: true``), where the containers of another
    stack (a shared ``postgres`` and ``redis``) answer to their names."""
    return project.stack is not None and bool(project.stack.external_networks)


def reachable_names(project: Project) -> set[str]:
    """The names a container of the stack can reach others by: services, links, container names, network aliases,
    and the names ``extra_hosts:`` maps to an address (``postgres:host-gateway``, a database on the host)."""
    names = {service.name for service in project.services}
    for service in project.services:
        names.update(service.extra_hosts)
        if service.container_name is not None:  # which other containers resolve (its ``hostname:`` they do not)
            names.add(service.container_name.value)
        for link in (service.links.value if service.links else ()) + (
                service.external_links.value if service.external_links else ()):
            names |= set(link.split(":"))
    for path in project.stack.files if project.stack is not None else ():
        text = project.text(path) or ""
        aliases_indent: int | None = None
        for line in text.splitlines()[:MAX_LINES]:
            if aliases_indent is not None:
                item = ALIAS_ITEM.match(line)
                if item and len(line) - len(line.lstrip()) >= aliases_indent:
                    names.add(item.group(1))
                    continue
                aliases_indent = None
            aliases = ALIASES_KEY.match(line)
            if aliases:
                if aliases.group(2) is not None:
                    names |= {word.strip(" '\"") for word in aliases.group(2).split(",")}
                else:
                    aliases_indent = len(aliases.group(1))
    return names


HOST_NAME = re.compile(r"[\w.:\[\]%-]+")
"""What a host name or address may hold: not a template's words to replace (``<REDIS HOST>``, ``your redis host``)."""


def why_unreachable(host: str, names: set[str], external: bool = False) -> str | None:
    """Why a container cannot reach ``host`` on the compose network, or None when it may (or it names no host).
    On a network made outside the stack (``external``), another stack's containers are reachable by their names."""
    if not HOST_NAME.fullmatch(host):
        return None
    if host in LOOPBACK or host.startswith("127."):
        return "the container itself"
    if "." not in host and ":" not in host and host not in names and host != "host.docker.internal" \
            and not host.startswith("$") and not external:
        return f"no service of the compose file (services: {', '.join(sorted(names)[:12])})"
    return None
