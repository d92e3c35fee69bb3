"""What the compose rules share about a stack: start order through ``depends_on``, the images it builds, and one
finding for a line several services share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from djlint_docker.discover import TEST_WORDS
from djlint_docker.findings import Violation
from djlint_docker.images import data_service, parse_image, plain_name
from djlint_docker.parse import ParseError
from djlint_docker.parse.compose import Service, load_yaml
from djlint_docker.parse.settings import Unknown
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project, in_workspace_folder
from djlint_docker.records import record, replaced
from djlint_docker.rules.settings._databases import FILE_ENGINES

HOST_VARIABLE = re.compile(r"(HOST|HOSTNAME|SERVER|ADDR|ADDRESS)$", re.I)

DATA_VARIABLE = re.compile(r"(?:^|_)(?:DB|DATABASE|SQL|POSTGRES|PG|MYSQL|MARIA|MONGO|REDIS|CACHE|BROKER|CELERY|RABBIT|"
                           r"AMQP|MEMCACHE|VALKEY)", re.I)
"""A variable named for a database, cache or broker, the name starting a word (not ``AUTHBROKER_URL``)."""

DATA_SCHEMES = re.compile(r"^(postgres|postgresql|pgsql|psql|postgis|mysql|mysql2|mariadb|mongodb|redis|rediss|valkey|"
                          r"amqp|amqps|pymemcache|memcache|memcached)(\+\w+)?$", re.I)

WEB_SCHEMES = {"http", "https"}
"""What no database, cache or broker is reached with: a web service's URL (an SSO mock's, an API's)."""
CONNECTIONS = frozenset({"DATABASES", "CACHES", "CHANNEL_LAYERS"})
"""Django's settings that open connections (and Channels'), beside the brokers' URLs (:data:`BROKER_SETTING`)."""
BROKER_SETTING = re.compile(r"(?:^|_)(BROKER_URL|RESULT_BACKEND|REDIS_URL|CACHE_URL)$")


def started_after(service: Service, by_name: dict[str, Service]) -> set[str]:
    """Every service Compose starts before ``service``: its ``depends_on``, ``links`` and ``volumes_from``, and
    theirs, transitively.

    A worker that depends on web, which depends on db, starts after db too. The aliases of
    ``external_links`` count as well: those containers are started outside the stack.
    """
    found: set[str] = set()
    pending = [service]
    while pending:
        current = pending.pop()
        names = set(current.linked)
        names |= {entry.split(":")[0] for entry in (current.volumes_from.value if current.volumes_from else ())
                  if not entry.startswith("container:")}
        names |= {link.split(":")[-1] for link in (current.external_links.value if current.external_links else ())}
        for name in names - found:
            found.add(name)
            if name in by_name:
                pending.append(by_name[name])
    return found


def healthy_before(service: Service, by_name: dict[str, Service]) -> set[str]:
    """The services Compose waits to be healthy before it starts ``service``, directly or through a dependency.

    A worker that depends on web, which waits for db with ``condition: service_healthy``
    (db having a healthcheck), starts only once db is healthy too.
    """
    found: set[str] = set()
    seen = {service.name}
    pending = [service]
    while pending:
        current = pending.pop()
        for name, condition in current.depends_on.items():
            dependency = by_name.get(name)
            if dependency is None:
                continue
            if condition.value == "service_healthy" and dependency.healthcheck is not None:
                found.add(name)
            if name not in seen:
                seen.add(name)
                pending.append(dependency)
    return found


def project_name(project: Project) -> str:
    """The name Compose gives the stack: ``COMPOSE_PROJECT_NAME``, the top-level ``name:``, else its folder's."""
    variable = project.dotenv.get("COMPOSE_PROJECT_NAME")
    stack = project.stack
    name = (variable.value if variable is not None else None) or (stack.name if stack is not None else None) \
        or project.root.name
    return re.sub(r"[^a-z0-9_-]", "", name.lower())


def built_images(project: Project) -> set[str]:
    """The repositories of the images the project's own builds produce, as other services and ``FROM`` name them.

    A service that builds names its result with ``image:`` beside ``build:``, else Compose
    calls it ``<project>-<service>`` (``<project>_<service>`` before Compose v2).
    """
    name = project_name(project)
    return {image for service in project.services if service.build is not None
            for image in service_image_names(name, service)}


def service_image_names(project_name: str, service: Service) -> set[str]:
    """The repositories a building service's image is known by: its ``image:``, and Compose's names for it."""
    found = {f"{project_name}-{service.name}".lower(), f"{project_name}_{service.name}".lower()}
    if service.image is not None and service.image.value:
        found.add(parse_image(service.image.value).repository)
    return found


LOOPBACK_IPS = frozenset({"127.0.0.1", "::1", "[::1]", "localhost"})


def published_to_others(service: Service) -> bool:
    """Whether a port of the service is published on an interface other machines reach: not on the loopback
    alone (``127.0.0.1:13306:3306`` is the developer's machine's own)."""
    return any(port.host_ip is None or (port.host_ip not in LOOPBACK_IPS and not port.host_ip.startswith("127."))
               for port in service.ports)


def internal_database(service: Service) -> bool:
    """Whether a service is a database that publishes no port to other machines (none, or on the loopback alone):
    only the stack's containers (and the machine itself) reach it."""
    return data_service(service.image.value if service.image else None) is not None \
        and not published_to_others(service)


def once_per_line(found: Iterable[tuple[str, Violation]], by_line_alone: bool = False) -> Iterator[Violation]:
    """Each violation once for the line it is on, naming every service that shares the line.

    An anchor (``<<: *app``) or ``extends`` writes a value once for several services: the
    finding belongs to the line where the value is written, not to each service. With
    ``by_line_alone``, findings that say different things of each service are one too:
    the first of the most severe.
    """
    if by_line_alone:  # the rule's own severity (None) first, then the most severe
        found = sorted(found, key=lambda pair: (pair[1].severity is not None, -int(pair[1].severity or 0)))
    by_location: dict[tuple[Location, str], tuple[Violation, list[str]]] = {}
    for service, violation in found:
        key = (violation.location, "" if by_line_alone else violation.message.replace(f"service {service}", "service"))
        if key in by_location:
            by_location[key][1].append(service)
        else:
            by_location[key] = (violation, [service])
    for violation, services in by_location.values():
        if len(services) > 1:
            shared = ", ".join(services[1:])
            violation = replaced(violation, message=f"{violation.message} (the line is shared with {shared})")
        yield violation


def host_of(value: str) -> tuple[str, str]:
    """The scheme ("" when not a URL) and the host of a URL or of ``host[:port]`` ("" if unreadable)."""
    if "://" not in value:
        return "", value.split(":")[0]
    try:
        url = urlsplit(value)
        return url.scheme, url.hostname or ""
    except ValueError:
        return "", ""



@record
class HostReference:
    """A database, cache or broker host a service's environment or settings name."""

    host: str
    location: Location
    how: str  # ``DATABASE_URL=postgres://...@db/app``, ``CELERY_BROKER_URL names redis``
    name: str  # the variable or setting that names it


def hosts_in_environment(service: Service) -> Iterator[HostReference]:
    """The database, cache and broker hosts in the service's environment."""
    for name, entry in service.environment.items():
        value = (entry.value or "").strip()
        if not value:
            continue
        scheme, host = host_of(value)
        if "://" in value:
            if host and (DATA_SCHEMES.match(scheme)
                         or DATA_VARIABLE.search(name) and scheme.lower() not in WEB_SCHEMES):
                yield HostReference(host, entry.location, f"{name}={value}", name)
        elif HOST_VARIABLE.search(name) and DATA_VARIABLE.search(name):
            yield HostReference(host, entry.location, f"{name}={value}", name)



def hosts_in_settings(run: DjangoRun) -> Iterator[HostReference]:
    """The database, cache and broker hosts the settings name, under the run's environment.

    Reads the ``HOST`` of ``DATABASES``, the ``LOCATION`` of ``CACHES``, the ``hosts`` of
    ``CHANNEL_LAYERS`` and URL settings such as ``CELERY_BROKER_URL`` and ``CELERY_RESULT_BACKEND``.
    """
    for settings in run.settings:
        names = ["DATABASES", "CACHES"] + [name for name in settings.bindings if BROKER_SETTING.search(name)] + [
            "CHANNEL_LAYERS"]
        for setting in names:
            binding = settings.bindings.get(setting)
            try:
                value = run.setting(settings, setting)
            except Unknown:
                continue
            assert binding is not None
            locations: list[object]  # the setting's values, of any type: only strings are read below
            if isinstance(value, str):
                locations = [value]
            elif isinstance(value, dict) and setting == "CHANNEL_LAYERS":
                locations = [_channel_layer_host(host) for alias in value.values() if isinstance(alias, dict)
                             and isinstance(alias.get("CONFIG"), dict)
                             and isinstance(hosts := alias["CONFIG"].get("hosts"), (list, tuple)) for host in hosts]
            elif isinstance(value, dict):
                key = "HOST" if setting == "DATABASES" else "LOCATION"
                locations = [alias.get(key) for alias in value.values() if isinstance(alias, dict)]
            else:
                continue
            for location in locations:
                if isinstance(location, str) and location:
                    _, host = host_of(location)
                    if host:
                        yield HostReference(host, Location(binding.path, binding.line, binding.column),
                                            f"{setting} names {host}", setting)


def _channel_layer_host(host: object) -> object:
    """The address of a host of channels_redis: ``"redis://redis:6379/1"``, ``("redis", 6379)`` or
    ``{"address": "redis://redis:6379"}``."""
    if isinstance(host, (list, tuple)) and host:
        return host[0]
    return host.get("address") if isinstance(host, dict) else host


def connects_to(project: Project, service: Service, database: str) -> bool:
    """Whether a Django service connects to the database service ``database``: its environment or the settings it
    runs name it (a URL, ``DB_HOST``, the ``HOST`` of ``DATABASES``), or what it connects to cannot be known.

    It does not when every ``DATABASES`` its settings compute is SQLite (or Django's dummy backend) or names
    another service of the stack, or a managed database outside it (:func:`outside_the_stack`).
    """
    if any(reference.host == database for reference in hosts_in_environment(service)):
        return True
    runs = [run for run in project.django_runs if run.service is service]
    if not runs or any(not run.settings for run in runs):
        return True
    services = {other.name for other in project.services}
    for run in runs:
        if any(reference.host == database for reference in hosts_in_settings(run)):
            return True
        for settings in run.settings:
            try:
                value = run.setting(settings, "DATABASES")
            except Unknown:
                return True
            if not isinstance(value, dict) or not value:
                return True
            for alias in value.values():
                engine = alias.get("ENGINE") if isinstance(alias, dict) else None
                host = alias.get("HOST") if isinstance(alias, dict) else None
                if isinstance(engine, str) and engine.endswith(FILE_ENGINES):
                    continue
                if isinstance(host, str) and (host_of(host)[1] in services - {database}
                                              or outside_the_stack(host_of(host)[1])):
                    continue
                return True
    return False


def outside_the_stack(host: str) -> bool:
    """Whether a host is a managed database's address, which no service of the stack answers: a dotted name
    (``aws-1-eu-west-2.pooler.supabase.com``) or an IP address off the loopback."""
    return "." in host and not host.startswith("127.")


def written_for_tests(project: Project, path: Path) -> bool:
    """Whether a compose file is a test or CI stack's: its path in the repository is named so
    (``docker-compose.test.yml``, ``docker-compose.override.unit_tests.yml``, ``ci/compose.yml``,
    ``scripts/test-environments/oidc/compose.yml``). Nothing deploys what it writes."""
    relative = path.relative_to(project.boundary) if path.is_relative_to(project.boundary) else Path(path.name)
    return TEST_WORDS.search(relative.as_posix()) is not None


def never_deployed(project: Project, path: Path) -> bool:
    """Whether a compose file serves tests, CI or the editor alone: named for tests or CI
    (:func:`written_for_tests`), or an editor's development container (``.devcontainer/``).
    Nothing deploys what it writes: its throwaway passwords, ports and data are no problem of the project."""
    return written_for_tests(project, path) or in_workspace_folder(path)


REMOTE_URL = re.compile(r"[ \t]*url[ \t]*=[ \t]*(?P<url>\S+)")
SCP_URL = re.compile(r"^[\w.-]+@[\w.-]+:(?P<path>[^/].*)$")


def repository_owner(project: Project) -> str | None:
    """The owner of the project's repository as its git remote ``origin`` names it (``acme`` for
    ``https://github.com/acme/shop.git``, ``git@gitlab.com:acme/shop.git``, a mirror's ``acme+shop/repo`` folder);
    None outside git or for a remote on the local disk."""
    config = project.text(project.boundary / ".git" / "config")
    url, in_origin = None, False
    for line in (config or "").splitlines():
        if line.lstrip().startswith("["):
            in_origin = line.strip().replace(" ", "") == '[remote"origin"]'
        elif in_origin and (found := REMOTE_URL.match(line)) is not None:
            url = found["url"]
            break
    if url is None:
        return None
    url = url.rstrip("/").removesuffix(".git")
    scp = SCP_URL.match(url)
    if scp is not None:
        path = scp["path"]
    elif "://" in url and not url.startswith("file:"):
        path = urlsplit(url).path
    else:
        path = url
    parts = [part for part in path.split("/") if part]
    if len(parts) >= 2 and parts[-1] == "repo" and "+" in parts[-2]:
        return parts[-2].split("+", 1)[0]  # a mirror keeps owner/name as owner+name/repo
    if scp is None and ("://" not in url or url.startswith("file:")):
        return None  # a clone of a folder on the disk: its parent folder names no owner
    return parts[-2] if len(parts) >= 2 else None


def runs_owners_image(project: Project, service: Service) -> bool:
    """Whether a service runs an image published under the namespace of its repository's owner
    (``acme/helper`` in github.com/acme/shop): the owner publishes and controls it, as the project's own."""
    if service.build is not None or service.image is None or not service.image.value:
        return False
    parts = parse_image(service.image.value).repository.split("/")
    owner = repository_owner(project) if len(parts) >= 2 else None
    return owner is not None and plain_name(owner) == plain_name(parts[0])


def install_recipe(project: Project) -> bool:
    """Whether the stack is an install recipe: it builds nothing, mounts none of the project's source, and runs
    the project's own published image. The installer copies it to a folder of their own (paperless-ngx's
    ``docker/compose/``, a ``docs/install/`` example): its relative paths are that folder's, not the
    project's, and its databases are reachable only by the stack's own containers unless they publish a port."""
    services = project.services
    return (project.stack is not None and not any(service.build is not None for service in services)
            and not any(project.mounts_source(service) for service in services)
            and any(project.runs_own_published_image(service) for service in services))


EXAMPLE_FOLDER = re.compile(r"(?:docs?|documentation|examples?|samples?|templates?)", re.I)
"""A folder of documentation, examples or templates: what lies there is for the reader, or an installer, to copy
and adapt."""


def documentation_example(project: Project) -> bool:
    """Whether the stack is an example of the project's documentation (``documentation/examples/compose/``,
    ``docs/install/``) or a template its installer copies (``cli/templates/docker-compose/``): its reader, or the
    installer, copies it to a folder of their own and makes the files it names there."""
    return any(EXAMPLE_FOLDER.fullmatch(part) for path in project.setup.compose_files[:1]
               if path.is_relative_to(project.boundary) for part in path.relative_to(project.boundary).parts[:-1])


def copied_elsewhere(project: Project) -> bool:
    """Whether the stack is copied to a folder of its own to be run (:func:`install_recipe`,
    :func:`documentation_example`, or a deploy step copies it to a server: :func:`compose_files_copied_out`): its
    relative paths, env files and data folders are that folder's."""
    return install_recipe(project) or documentation_example(project) or project.copied_out

MAX_SIBLING_BYTES = 1 << 18
"""The most of each other compose file of the folder read for the names it defines."""


def near_name(name: str, names: Iterable[str]) -> str:
    """``; did you mean pg_db?`` when one of ``names`` differs from ``name`` only in case and separators."""
    near = sorted(other for other in names if plain_name(other) == plain_name(name))
    return f"; did you mean {near[0]}?" if near else ""


def keys_in_the_folders(project: Project) -> set[str]:
    """Every key written in a YAML file of the stack's folders, or of a folder above them in the project, but its
    own: what another compose file there, run beside it with ``-f`` or including it (``include: [stack/redis.yml]``),
    may define (a service, a volume). Not a file that builds one of the stack's built services itself: another setup
    of the same app (``docker-compose.local.yml`` beside ``docker-compose.yml``, each building ``web``), run instead.
    Worked out once per project (DJC221 and DJC222 ask)."""
    return project.once((__name__, "keys in the folders"), lambda: _keys_in_the_folders(project))


def _keys_in_the_folders(project: Project) -> set[str]:
    stack, top = project.stack, project.boundary
    keys: set[str] = set()
    if stack is None:
        return keys
    files = stack.files
    built = {name for name, service in stack.services.items() if service.build}
    folders = [above for path in files for above in (path.parent, *path.parent.parents)
               if above.is_relative_to(top)]
    for folder in dict.fromkeys(folders):
        try:
            paths = sorted(folder.iterdir())
        except OSError:
            continue
        for path in paths:
            if path.suffix not in {".yml", ".yaml"} or path in files:
                continue
            try:
                with path.open("rb") as handle:
                    text = handle.read(MAX_SIBLING_BYTES).decode("utf-8", "replace")
            except OSError:
                continue
            if not (built & _services_it_builds(text)):
                keys |= set(YAML_KEY.findall(text))
    return keys


def _services_it_builds(text: str) -> set[str]:
    """The services a compose file's text gives a ``build:`` of their own (none when it is no compose file)."""
    if "build" not in text:
        return set()
    try:
        data = load_yaml(text)
    except ParseError:
        return set()
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return set()
    return {str(name) for name, service in services.items() if isinstance(service, dict) and "build" in service}


YAML_KEY = re.compile(r"^[ \t]+[\"']?([\w.-]+)[\"']?[ \t]*:", re.M)
"""A key of a YAML mapping, indented (a service's name under ``services:``, a volume's under ``volumes:``)."""
