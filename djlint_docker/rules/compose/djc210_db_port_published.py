"""DJC210 db-port-published: A database or cache port is published on every host interface."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import data_service, parse_image
from djlint_docker.parse.compose import Service
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._mounts import database_image
from djlint_docker.rules.compose._stack import never_deployed, once_per_line
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY
from djlint_docker.rules.snippets import MANAGE, PRODUCTION_COMPOSE, REQUIREMENTS_DOCKERFILE, SQLITE_BESIDE_POSTGRES


def _broker(image: str, *ports: str) -> dict[str, str]:
    """A RabbitMQ service of ``image`` publishing ``ports`` (examples)."""
    return {"compose.yaml": f"services:\n  rabbit:\n    image: {image}\n    ports:\n"
                            + "".join(f"      - {port}\n" for port in ports)}


@rule("DJC210", "db-port-published", Severity.WARNING, examples=[
    # Nothing connects to it (the settings use SQLite), yet whoever reaches the host does.
    Example("ports-the-shell-gives", {"compose.yaml": "services:\n  db:\n    image: mysql:8.4\n    ports:\n"
                                                      "      - ${DB_PORT_OUT}:${DB_PORT_IN}\n"}),
    # The shell picks the host port, and the address stays every interface.
    Example("host-port-the-shell-gives", {"compose.yaml": "services:\n  cache:\n    image: redis:7.4\n    ports:\n"
                                                          "      - \"${REDIS_PORT}:6379\"\n"},
            expect=(("compose.yaml", 5),)),
    # Neo4j's browser (7474) and Bolt (7687) ports open the graph to whoever reaches the host.
    Example("graph-database-published", {"compose.yaml": "services:\n  graph:\n    image: neo4j:5.26\n    ports:\n"
                                                         "      - \"7474:7474\"\n      - \"7687:7687\"\n"
                                                         "    volumes:\n      - graph:/data\nvolumes:\n  graph:\n"},
            expect=(("compose.yaml", 5), ("compose.yaml", 6))),
    Example("container-port-alone", {"compose.yaml": "services:\n  cache:\n    image: redis:7.4\n    ports:\n"
                                                     "      - \"6379\"\n"}, expect=(("compose.yaml", 5),)),
    Example("published-database-the-settings-never-use", SQLITE_BESIDE_POSTGRES, expect=(("compose.yaml", 9),)),
    Example("all-interfaces", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                               "      - pg:/var/lib/postgresql/data\n    ports:\n"
                                               "      - \"5432:5432\"\n"
                                               "volumes:\n  pg:\n"}, expect=(("compose.yaml", 7),)),
    Example("redis-long-syntax", {"compose.yaml": "services:\n  redis:\n    image: redis:7\n    ports:\n"
                                                  "      - target: 6379\n        published: 6379\n"},
            expect=(("compose.yaml", 5),)),
    # The database image is built from the official one, with the project's extensions.
    Example("database-built-from-an-official-image", {
        "compose.yaml": "services:\n  db:\n    build: ./db\n    ports:\n      - \"5432:5432\"\n",
        "db/Dockerfile": "FROM postgis/postgis:16-3.4\nCOPY init.sql /docker-entrypoint-initdb.d/\n",
        "db/init.sql": "CREATE EXTENSION IF NOT EXISTS hstore;\n"}, expect=(("compose.yaml", 5),)),
    # Remote workers reach the broker the project builds with its own configuration: a choice, not a database.
    Example("broker-built-from-an-official-image", {
        "compose.yaml": "services:\n  rabbit:\n    build: ./rabbitmq\n    ports:\n      - \"5672:5672\"\n",
        "rabbitmq/Dockerfile": "FROM rabbitmq:3.13-management\nCOPY rabbitmq.conf /etc/rabbitmq/\n",
        "rabbitmq/rabbitmq.conf": "consumer_timeout = 3600000\n"}),
    # PostgreSQL listens on 5432: a published 5436 reaches nothing (the settings' PORT 5436 is another problem).
    Example("port-the-database-does-not-listen-on", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5436:5436\"\n"
                        "  other:\n    image: postgres:16\n    command: postgres -p 5436\n    ports:\n"
                        "      - \"5436:5436\"\n  third:\n    image: postgres:16\n    environment:\n"
                        "      PGPORT: \"5437\"\n    ports:\n      - \"5437:5437\"\n"},
        expect=(("compose.yaml", 10), ("compose.yaml", 16))),
    # The port the entrypoint gives redis-server is the one it listens on.
    Example("cache-port-its-entrypoint-sets", {
        "compose.yaml": "services:\n  redis_db:\n    image: redis:7.4\n"
                        "    entrypoint: redis-server --appendonly yes --port 6381\n    ports:\n      - '6381:6381'\n"},
        expect=(("compose.yaml", 6),)),
    # The RabbitMQ service publishes PostgreSQL's port, where it does not listen; its management UI is published.
    Example("broker-publishes-a-port-it-does-not-listen-on",
            _broker("rabbitmq:3.13-management", "\"5432\"", "\"15672:15672\""), expect=(("compose.yaml", 6),)),
    # The plain image runs no management plugin: nothing listens behind 15672 (its AMQP port is still reported).
    Example("management-port-of-a-broker-without-the-plugin",
            _broker("rabbitmq:3.13", "\"5672:5672\"", "\"15672:15672\""), expect=(("compose.yaml", 5),)),
    # The compose file says how to turn the plugin on by hand: then the published port reaches it.
    Example("management-port-of-a-broker-the-plugin-is-enabled-by-hand",
            _broker("rabbitmq:3.13", "\"15673:15672\"  # docker exec rabbit rabbitmq-plugins enable "
                                     "rabbitmq_management"),
            expect=(("compose.yaml", 5),)),
    Example("loopback-only", {"compose.yaml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                              "      - pg:/var/lib/postgresql/data\n    ports:\n"
                                              "      - \"127.0.0.1:5432:5432\"\nvolumes:\n  pg:\n"}),
    Example("development-stack-of-a-project-deployed-elsewhere", DEV_AND_PROD),
    Example("development-stack-is-all-it-has", DEV_ONLY, expect=(("compose.yaml", 18),)),
    Example("test-overlay-of-the-deployed-stack", {
        "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi\n"
                              "  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n"
                              "volumes:\n  pgdata:\n",
        "docker-compose.override.unit_tests.yml": "services:\n  db:\n    image: postgres:16\n    ports:\n"
                                                  "      - 5432:5432\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("web-port", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                         "manage.py": MANAGE}),
])
def db_port_published(project: Project) -> Iterator[Violation]:
    """A database or cache port is published on every host interface.

    ## What it does
    Reports `ports:` of PostgreSQL, MySQL, MariaDB, MongoDB, Neo4j, Redis and similar services
    that publish without a host address (or with `0.0.0.0`/`::`): a service that runs
    such an image, or builds a database that keeps data (PostgreSQL, MySQL, MariaDB,
    MongoDB) from one (`build: ./db` whose Dockerfile starts `FROM postgis/postgis:16-3.4`).
    A container port alone (`- "5432"`) is published too, on a port Docker picks, and so is
    one whose host port a variable gives (`- "${REDIS_PORT}:6379"`): the shell picks the
    port, the address stays every interface. A
    container port the database does not listen on (`5436:5436` of a PostgreSQL on 5432,
    with no `-p 5436` in its command or entrypoint nor a `PGPORT`; `5432` of a RabbitMQ, whose
    ports are AMQP's 5672, its management UI's 15672 and their like) publishes nothing, nor
    does a plugin's port on an image that does not turn the plugin on (15672 of a plain
    `rabbitmq:3.13`, whose `-management` tag would).

    A development stack (runserver, the source bind-mounted, a `dev`/`local` compose
    file) is not reported when the project also has a deployed configuration: the port
    is how developers reach the database with their own tools, on their own machine,
    and the deployed stack is the one a server runs. A project whose only stack is a
    development one ships it, and is reported.

    A database the settings never connect to is still reported: published, it is open to
    whoever reaches the host, used or not.

    ## Why is this bad?
    Docker opens the port on every interface of the host and bypasses host firewalls
    such as ufw: the database is reachable from the network, often with a tutorial
    password.

    ## Example
    ```yaml
    ports:
      - "5432:5432"
    ```
    Use instead: no `ports:` at all (services reach it by name), or
    ```yaml
    ports:
      - "127.0.0.1:5432:5432"
    ```

    ## References
    - [LearnDjango: Django, Docker, and PostgreSQL tutorial](https://learndjango.com/tutorials/django-docker-and-postgresql-tutorial)
      (PostgreSQL service in compose)
    - [Docker: published ports bypass the host firewall](https://docs.docker.com/engine/network/packet-filtering-firewalls/)
    """
    yield from once_per_line(_violations(project))


def _violations(project: Project) -> Iterator[tuple[str, Violation]]:
    """What the rule reports, with the service each finding is about."""
    for service in project.services:
        known = data_service(service.image.value if service.image else None)
        if known is None:  # a database built from its official image with the project's additions
            known = data_service(database_image(project, service))
            known = known if known is not None and known.persistent else None
        if known is None or project.development_only(service):
            continue
        for port in service.ports:
            if never_deployed(project, port.location.path):
                continue  # published by a test or CI stack (a test runner on the host connects to it)
            chosen = _host_port_variable(project, port.location, port.target) if not port.published else None
            if not port.target or not port.published and chosen is None and _interpolated(project, port.location):
                continue  # `${DB_PORT}:${DB_PORT_IN}` unset here: the runner's shell says where, if anywhere
            if not _may_listen_on(project, service, known.kind, known.port, port.target):
                continue  # `5436:5436` of a PostgreSQL on 5432: nothing listens behind it
            if port.host_ip in {None, "", "0.0.0.0", "::"}:
                where = f"as {port.published}" if port.published else f"on the port ${{{chosen}}} gives" if chosen \
                    else f"on a port Docker picks (`- \"{port.target}\"` publishes it)"
                yield service.name, Violation(port.location, f"service {service.name}: {known.kind} port "
                                                             f"{port.target} is published on all host interfaces "
                                                             f"{where}; bind 127.0.0.1 or drop it")


ONE_PORT_SERVERS = {"PostgreSQL", "MySQL", "MariaDB", "MongoDB", "Redis", "Valkey", "Memcached"}
"""Servers that listen on their one port."""
PLUGIN_PORTS = {"RabbitMQ": {"15672": "management", "15671": "management", "1883": "mqtt", "8883": "mqtt",
                             "61613": "stomp", "61614": "stomp", "15674": "web-stomp", "15675": "web-mqtt"}}
"""The ports a server's plugins listen on, each with its plugin, off in the official image unless its tag says so
(``rabbitmq:3.13-management``)."""
OTHER_PORTS = {"RabbitMQ": {"5671", "15692", "4369", "25672", *PLUGIN_PORTS["RabbitMQ"]}}
"""The ports such servers listen on beside their own: RabbitMQ's AMQP over TLS, Prometheus metrics, Erlang's port
mapper and distribution, and its plugins' (:data:`PLUGIN_PORTS`: the management UI, MQTT, STOMP, Web-STOMP)."""


def _may_listen_on(project: Project, service: Service, kind: str, default: str, target: str) -> bool:
    """Whether the data service may listen on the container port ``target``: its image's port, a port its command
    or entrypoint names (``postgres -p 5436``, ``redis-server --port 6380``) or a ``*PORT`` variable of its
    environment sets (``PGPORT``); any port when the command or such a variable is not known."""
    if target in PLUGIN_PORTS.get(kind, {}) and not _plugin_may_run(project, service, PLUGIN_PORTS[kind][target]):
        return False  # the management UI's 15672 of a plain `rabbitmq:3.13`: no plugin listens there
    if target == default or target in OTHER_PORTS.get(kind, ()) or kind not in ONE_PORT_SERVERS | OTHER_PORTS.keys():
        return True
    command = _started(service)
    if "$" in command or re.search(rf"(?<![\w.]){re.escape(target)}(?![\w.])", command):
        return True
    environment = project.service_environment(service)
    return any(value is None or value == target for name, value in environment.items() if name.upper().endswith("PORT"))


def _started(service: Service) -> str:
    """What the service's ``entrypoint:`` and ``command:`` start, as one line of words."""
    return " ".join(word for started in (service.entrypoint, service.command) if started is not None
                    for word in started.value)


def _plugin_may_run(project: Project, service: Service, plugin: str) -> bool:
    """Whether a plugin of the service's server may be on: it is no official image (Bitnami's turns the management
    plugin on), its tag names the plugin, or the plugins are set where
    djcheck does not look (an image the service builds, a mounted ``enabled_plugins`` or configuration, a command
    that enables them, or the compose file telling how to: ``# docker exec ... rabbitmq-plugins enable
    rabbitmq_management``; an image a variable picks). Its data volume (``/var/lib/rabbitmq``) turns none on."""
    if service.build is not None or service.image is None or "$" in service.image.value:
        return True
    image = parse_image(service.image.value)
    if image.repository != "rabbitmq" or plugin in (image.tag or ""):
        return True  # Bitnami's and others' images turn plugins on by their own defaults
    if any("PLUGINS" in name.upper() for name in service.environment):
        return True
    return "plugins" in _started(service) or any(mount.target.startswith("/etc/") or "plugins" in mount.target
                                       for mount in service.volumes) \
        or "rabbitmq-plugins" in (project.text(service.location.path) or "")


def _host_port_variable(project: Project, at: Location, target: str) -> str | None:
    """The variable that gives the host port alone in front of a literal container port (``${REDIS_PORT}:6379``,
    ``"${PG_PORT:-5432}:5432"`` with the variable unset): whichever port the shell picks, on every interface."""
    lines = (project.text(at.path) or "").splitlines()
    line = lines[at.line - 1] if 0 < at.line <= len(lines) else ""
    match = HOST_PORT_VARIABLE.search(line)
    return match.group(1) if match and match.group(2) == target else None


HOST_PORT_VARIABLE = re.compile(r"[-:]\s*[\"']?\$\{?(\w*PORT\w*)(?::?-[^}]*)?\}?:(\d+)(?:/\w+)?[\"']?\s*$", re.I)
"""A port item whose host part is one variable named for a port (``- "${REDIS_PORT}:6379"``)."""


def _interpolated(project: Project, at: Location) -> bool:
    """Whether the line a port is written on interpolates a variable (``${DB_PORT}:5432``)."""
    lines = (project.text(at.path) or "").splitlines()
    return 0 < at.line <= len(lines) and "$" in lines[at.line - 1]
