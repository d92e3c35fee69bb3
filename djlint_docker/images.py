"""Image references and what djcheck knows about well-known images (databases, caches)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from djlint_docker.records import record


@record
class ImageRef:
    """``[registry/]repository[:tag][@digest]`` split into its parts."""

    repository: str  # without registry, e.g. "library/postgres" is "postgres"
    tag: str | None
    digest: str | None

    @property
    def name(self) -> str:
        """The last path part of the repository: ``postgis/postgis`` -> ``postgis``."""
        return self.repository.rsplit("/", 1)[-1]


def parse_image(reference: str) -> ImageRef:
    reference = reference.strip()
    digest = None
    if "@" in reference:
        reference, digest = reference.split("@", 1)
    tag = None
    last = reference.rsplit("/", 1)[-1]
    if ":" in last:
        reference, tag = reference.rsplit(":", 1)
    parts = reference.split("/")
    host = ""
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        host, parts = parts[0].lower(), parts[1:]  # a registry host
    if host == "public.ecr.aws" and [part.lower() for part in parts[:2]] in (["docker", "library"], ["nginx", "nginx"]):
        parts = parts[2:] if parts[0].lower() == "docker" else parts[1:]  # Amazon's mirror of the official images
    if parts and parts[0] == "library":
        parts = parts[1:]
    return ImageRef("/".join(parts).lower(), tag, digest)


@record
class DataService:
    """A well-known stateful image: where it keeps its data and the port it listens on."""

    kind: str
    data_dirs: tuple[str, ...]
    port: str
    persistent: bool  # losing the data directory loses user data
    new_major: str = ""  # what a new major version does with the data directory an old one wrote


POSTGRES_MAJOR = "cannot read the old data directory"
MYSQL_MAJOR = "converts the old data directory as it starts, with no way back (and refuses one it skips a major of)"
DATA_SERVICES = {
    "postgres": DataService("PostgreSQL", ("/var/lib/postgresql/data",), "5432", True, POSTGRES_MAJOR),
    "postgis": DataService("PostgreSQL", ("/var/lib/postgresql/data",), "5432", True, POSTGRES_MAJOR),
    "postgresql": DataService("PostgreSQL", ("/bitnami/postgresql",), "5432", True, POSTGRES_MAJOR),
    "mysql": DataService("MySQL", ("/var/lib/mysql",), "3306", True, MYSQL_MAJOR),
    "mariadb": DataService("MariaDB", ("/var/lib/mysql",), "3306", True,
                           "upgrades the old data directory in place, with no way back"),
    "mongo": DataService("MongoDB", ("/data/db",), "27017", True,
                         "refuses data files more than one major behind (featureCompatibilityVersion)"),
    "neo4j": DataService("Neo4j", ("/data",), "7687", True, "refuses the old store until it is migrated"),
    "redis": DataService("Redis", ("/data",), "6379", False),
    "redis-stack": DataService("Redis", ("/data",), "6379", False),  # redis/redis-stack, with RedisInsight
    "redis-stack-server": DataService("Redis", ("/data",), "6379", False),
    "valkey": DataService("Valkey", ("/data",), "6379", False),
    "rabbitmq": DataService("RabbitMQ", ("/var/lib/rabbitmq",), "5672", False),
    "memcached": DataService("Memcached", (), "11211", False),
}


def data_service(image: str | None) -> DataService | None:
    """What djcheck knows about ``image``, if it is a well-known database or cache."""
    if not image:
        return None
    return DATA_SERVICES.get(parse_image(image).name)


DEVELOPMENT_TOOLS = frozenset({"adminer", "pgadmin4", "phpmyadmin", "mongo-express", "redis-commander", "redisinsight",
                               "mailhog", "mailpit", "maildev", "smtp4dev", "mailcatcher", "swagger-ui", "redoc"})
"""Names of the images of the tools a developer runs beside the databases and the API (a database browser, a mail
catcher, a viewer of the API's schema), in whichever namespace (``dpage/pgadmin4``, ``bitnami/phpmyadmin``)."""


def development_tool(image: str | None) -> bool:
    """Whether ``image`` is a developer's tool of :data:`DEVELOPMENT_TOOLS` (``adminer``, ``dpage/pgadmin4:8``)."""
    if not image:
        return False
    return parse_image(image).name.lower() in DEVELOPMENT_TOOLS


TOOL_IMAGE = re.compile(r"(?:^|[/_.-])(?:mkdocs|sphinx|sphinxdoc|jupyter|jupyterhub|jupyterlab|notebook)(?:[/_.-]|$)")
"""Names of the images of documentation and notebook tools (``squidfunk/mkdocs-material``,
``jupyter/tensorflow-notebook``, ``quay.io/jupyter/scipy-notebook``): their own program is what they run."""


def tool_image(image: str | None) -> bool:
    """Whether ``image`` is a documentation or notebook tool's (:data:`TOOL_IMAGE`)."""
    return image is not None and TOOL_IMAGE.search(parse_image(image).repository) is not None


PG_ISREADY = ("CMD-SHELL", "pg_isready -h 127.0.0.1 -U $${POSTGRES_USER:-postgres} -d postgres")
MYSQLADMIN = ("CMD", "mysqladmin", "ping", "-h", "127.0.0.1", "--silent")


def healthcheck_test(image: str) -> tuple[str, ...] | None:
    """A healthcheck ``test`` for a database image, run with the tools the image ships.

    It passes once the server accepts TCP connections on 127.0.0.1. The PostgreSQL, MySQL
    and MariaDB images initialise a new data directory with a temporary server that
    listens only on a socket, then restart it, so a check over the socket passes too early.
    Only the images whose tools are known get one: the official ``postgres``, ``mysql``,
    ``mariadb`` (``healthcheck.sh``, shipped since 10.4) and ``mongo`` (``mongosh`` since
    5.0), ``postgis/postgis`` and ``bitnami/postgresql``; ``$$`` keeps Compose from
    interpolating the variable the container's shell reads.
    """
    ref = parse_image(image)
    found = re.match(r"(\d+)(?:\.(\d+))?", ref.tag or "")
    version = (int(found.group(1)), int(found.group(2) or 0)) if found else None
    if ref.repository in ("postgres", "postgis/postgis", "bitnami/postgresql"):
        return PG_ISREADY
    if ref.repository == "mysql" or ref.repository == "mariadb" and version is not None and version < (10, 4):
        return MYSQLADMIN
    if ref.repository == "mariadb":
        return ("CMD", "healthcheck.sh", "--connect")
    if ref.repository == "mongo":
        shell = "mongo" if version is not None and version < (5, 0) else "mongosh"
        return ("CMD", shell, "--quiet", "--eval", "db.adminCommand('ping')")
    return None


def covers(mount_target: str, data_dir: str) -> bool:
    """Whether a mount at ``mount_target`` holds ``data_dir`` (itself or a parent folder); a ``*`` part of
    ``data_dir`` stands for any version (``18``, ``9.6``), which djcheck cannot tell."""
    target = [part for part in mount_target.split("/") if part]
    folder = [part for part in data_dir.split("/") if part]
    return len(target) <= len(folder) and all(
        mine == theirs or mine == "*" and VERSION_FOLDER.fullmatch(theirs) is not None
        for theirs, mine in zip(target, folder[:len(target)], strict=True))


VERSION_FOLDER = re.compile(r"\d+(?:\.\d+)?")


@record
class DataFolder:
    """Where a database image keeps its data (``*``: a version djcheck cannot tell) and where a volume for it goes
    (the folder the image declares as its ``VOLUME``)."""

    path: str
    volume: str
    declared: bool = False  # ``volume`` is the image's own ``VOLUME``: a mount above it leaves the data in an
    # anonymous volume Docker creates there (a named volume at /var/lib/postgresql on postgres:16)
    refuses_old_folder: bool = False  # the image refuses to start with a mount at the folder older majors kept their
    # data in (postgres 18 and later, at /var/lib/postgresql/data)


POSTGRES_OWN_LAYOUT_SINCE = 18
"""The first major of the official ``postgres`` image that keeps its data in ``/var/lib/postgresql/<major>/docker``
and declares ``/var/lib/postgresql`` as its volume (docker-library/postgres#1259); earlier ones keep it in, and
declare, ``/var/lib/postgresql/data``."""
POSTGRES_BEFORE_18 = DataFolder("/var/lib/postgresql/data", "/var/lib/postgresql/data", declared=True)
PG_MAJOR = re.compile(r"(9\.\d+|\d+)")


def _postgres_major(tag: str | None) -> str | None:
    """The PostgreSQL major a tag of a PostgreSQL image names (``18.1-alpine``: 18, ``9.6``: 9.6, ``13.0``: 13),
    None for ``latest``, ``alpine`` or no tag."""
    found = PG_MAJOR.match(tag or "")
    return found.group(1) if found and "$" not in (tag or "") else None


def data_folders(image: str | None, environment: Mapping[str, str | None]) -> tuple[DataFolder, ...]:
    """Where the database an image runs keeps its data, given the service's environment: the folders it may be
    (several when the tag leaves the version open), the first the likeliest; empty when djcheck cannot tell.

    ``PGDATA`` names the folder of the official ``postgres`` image and of those built on it (``postgis/postgis``);
    without it the image's own: ``/var/lib/postgresql/<major>/docker`` from PostgreSQL 18 on,
    ``/var/lib/postgresql/data`` before. ``kartoza/postgis`` keeps it in ``/var/lib/postgresql/<major>/main``
    (``DATADIR``), ``bitnami/postgresql`` in ``/bitnami/postgresql``; another vendor's ``postgresql`` image
    (``sameersbn/postgresql``) where djcheck cannot tell."""
    known = data_service(image)
    if known is None or image is None:
        return ()
    ref = parse_image(image)
    if ref.repository == "kartoza/postgis":
        if "DATADIR" in environment:
            datadir = environment["DATADIR"]
            return (DataFolder(datadir, datadir),) if datadir and "$" not in datadir else ()
        major = _postgres_major(ref.tag)
        return (DataFolder(f"/var/lib/postgresql/{major or '*'}/main", "/var/lib/postgresql"),)
    if ref.name == "postgresql" and ref.repository != "bitnami/postgresql":
        return ()  # another vendor's PostgreSQL image (`sameersbn/postgresql`): its own layout, unknown here
    if known.data_dirs[:1] != ("/var/lib/postgresql/data",):
        return tuple(DataFolder(path, path) for path in known.data_dirs)
    if "PGDATA" in environment:
        pgdata = environment["PGDATA"]
        return (DataFolder(pgdata, pgdata),) if pgdata and "$" not in pgdata else ()  # None: the shell's
    major = _postgres_major(ref.tag)
    own = DataFolder(f"/var/lib/postgresql/{major or '*'}/docker", "/var/lib/postgresql", declared=True,
                     refuses_old_folder=True)
    if major is None:
        return own, POSTGRES_BEFORE_18  # latest is 18 and later; a digest or an old pull may be earlier
    return (own,) if float(major) >= POSTGRES_OWN_LAYOUT_SINCE else (POSTGRES_BEFORE_18,)


def major_only(tag: str) -> bool:
    """Whether a tag pins only a major version: ``3``, ``3-slim``, ``3-alpine``."""
    return re.fullmatch(r"\d+(-[A-Za-z][\w.-]*)?", tag) is not None


VARIANTS = frozenset({
    "alpine", "slim", "bookworm", "bullseye", "buster", "stretch", "jessie", "wheezy", "trixie", "sid", "jammy",
    "focal", "noble", "bionic", "xenial", "trusty", "ubuntu", "debian", "windowsservercore", "nanoserver", "ltsc",
    "stable", "mainline",
    "lts", "latest", "edge", "current", "main", "master", "dev", "develop", "nightly", "beta", "rc", "perl", "otel",
})
"""Words a tag holds beside a version: a distribution, a variant or a channel; none fixes the image's version."""

RELEASES = frozenset({"forky", "trixie", "bookworm", "bullseye", "buster", "stretch", "jessie", "wheezy", "squeeze",
                      "lenny", "plucky", "oracular", "noble", "mantic", "lunar", "kinetic", "jammy", "impish",
                      "hirsute", "groovy", "focal", "eoan", "disco", "cosmic", "bionic", "artful", "zesty",
                      "yakkety", "xenial", "wily", "vivid", "utopic", "trusty", "saucy", "raring", "quantal",
                      "precise"})
"""Debian and Ubuntu release names: on an image of the distribution itself they fix its release, as a major does."""

DISTRIBUTIONS = frozenset({"debian", "ubuntu", "buildpack-deps"})

NODE_CODENAMES = frozenset({"argon", "boron", "carbon", "dubnium", "erbium", "fermium", "gallium", "hydrogen", "iron",
                            "jod", "krypton", "lithium"})
"""The codenames of Node.js LTS lines (``argon`` is 4, ``boron`` 6, ... ``jod`` 22, ``krypton`` 24): the official
``node`` image tags each line by its name (``node:hydrogen-alpine``), and a name fixes its major as ``18`` does."""


FLOATING_PYTHON_TAG = re.compile(r"(?:3|latest)?(?:-?(?:slim|alpine|bookworm|trixie|slim-bookworm|slim-trixie))?")
"""A ``python`` tag that names no minor version (``3``, ``3-slim``, ``latest``, ``slim``, none): the newest Python 3,
on the newest Debian release its images are built on."""


def floating_python(image: ImageRef) -> bool:
    """Whether an official ``python`` image reference follows the newest Python (its tag names no minor version and
    no digest pins a build)."""
    return image.repository == "python" and not image.digest \
        and FLOATING_PYTHON_TAG.fullmatch(image.tag or "") is not None  # not `amsterdam/python`: its Python is its own


def fixes_a_version(image: ImageRef) -> bool:
    """Whether the tag fixes a version of what the image holds (``16``, ``7.2-alpine``, ``v1.20``, ``pg16``).

    A tag of channels and variants alone floats (``alpine``, ``stable-alpine``, ``lts``,
    ``main``), and so does ``python:alpine3.14``: the Alpine release is fixed, Python is
    not. A major-only tag fixes the major (``nginx:1-alpine``, ``postgres:16``); on
    ``debian``/``ubuntu`` a release name does (``debian:bookworm-slim``), and on ``node``
    an LTS line's codename (``node:boron-alpine`` is Node 6).
    """
    if image.tag is None:
        return False
    for part in image.tag.split("-"):
        letters = part.rstrip("0123456789.").lower()
        if image.name in DISTRIBUTIONS and letters in RELEASES:
            return True
        if image.repository == "node" and letters in NODE_CODENAMES:
            return True
        if any(char.isdigit() for char in part) and letters not in VARIANTS:  # `alpine3.14`: Alpine's release
            return True
    return False


NGINX_IMAGES = frozenset({"nginx", "nginxinc/nginx-unprivileged"})
NGINX_CHANNEL_TAG = re.compile(r"(?:(?:stable|mainline|latest)(?:-|$))?(?:alpine|slim|perl|otel|-)*", re.I)
"""A tag of an nginx image that names no version: a channel (``stable``, ``mainline``, whose default tags are
``latest`` and the variants alone), then variants (``alpine-slim``)."""


def release_channel(image: ImageRef) -> bool:
    """Whether the tag follows one of nginx's release channels (``nginx:stable-alpine``, ``nginx:mainline``, and the
    same tags of ``nginxinc/nginx-unprivileged``): nginx publishes both branches within its major 1, the stable
    one keeping its configuration compatible, and following a channel is a choice, not a missing version.
    ``nginx``, ``nginx:latest`` and ``nginx:alpine`` are the mainline channel's own tags (the same images as
    ``nginx:mainline`` and ``nginx:mainline-alpine``)."""
    return image.repository in NGINX_IMAGES and not image.digest \
        and NGINX_CHANNEL_TAG.fullmatch(image.tag or "") is not None


VERSIONED_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-\d+(?:-[a-z][\w.]*)*")
"""An image name that holds its version (Red Hat's ``ubi9/python-312``, ``rhel8/postgresql-13``, a team's
``python-312-gdal`` built on them): each release is an image of its own, and its tags only follow patches."""


def versioned_name(image: ImageRef) -> bool:
    """Whether the last part of an image's repository names the version it holds (``ubi9/python-312``)."""
    return VERSIONED_NAME.fullmatch(image.name.lower()) is not None


EMPTY_PASSWORD_SWITCHES = frozenset({"MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD",
                                     "MARIADB_ALLOW_EMPTY_PASSWORD"})
"""MySQL and MariaDB switches that leave the root password empty: anyone who reaches the port is root."""

PASSWORD_SWITCHES = EMPTY_PASSWORD_SWITCHES | {"MYSQL_RANDOM_ROOT_PASSWORD", "MARIADB_RANDOM_ROOT_PASSWORD",
                                               "MYSQL_ONETIME_PASSWORD", "MARIADB_ONETIME_PASSWORD"}
"""Variables of the MySQL and MariaDB images named for a password whose value is a switch (``yes``), not a password:
a literal one in a compose file publishes nothing."""


POSTGRES_PASSWORD_REQUIRED_SINCE = {(9, 4): 26, (9, 5): 21, (9, 6): 17, (10, None): 12, (11, None): 7,
                                    (12, None): 2}
"""The first release of each PostgreSQL series whose official image refuses to initialise an empty data directory
without ``POSTGRES_PASSWORD`` (or ``POSTGRES_HOST_AUTH_METHOD=trust``): docker-library/postgres#658, February 2020.
Earlier images initialised it with ``trust`` authentication and a warning. For 9.x the series is ``9.minor`` and the
release its third number; from 10 on the series is the major and the release its second number."""
POSTGRES_TAG_VERSION = re.compile(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?(?=$|-)")


POSTGRES_IMAGES = frozenset({"postgres", "postgis/postgis"})
"""The official PostgreSQL image and one built on it, which initialises its database as the official one does."""
POSTGRES_PASSWORDS: tuple[str, ...] = ("POSTGRES_PASSWORD", "POSTGRES_PASSWORD_FILE")
"""The variables that give the official PostgreSQL image its superuser's password."""


def postgres_requires_password(tag: str | None) -> bool:
    """Whether the official ``postgres`` image (or ``postgis/postgis``, built on it) a tag names refuses to initialise
    without a password: every tag that can resolve to a build since docker-library/postgres#658 (``latest``,
    ``alpine``, ``16``, ``11``, ``9.6``), not one pinned to an older release (``11.5``, ``9.6.16-alpine``, ``9.3``)."""
    match = POSTGRES_TAG_VERSION.match(tag or "")
    if match is None:
        return True  # no tag, latest, alpine, bookworm: today's image
    major, minor, patch = (int(part) if part is not None else None for part in match.groups())
    assert major is not None
    if major >= 13:
        return True
    if major < 9 or (major == 9 and minor is not None and minor < 4):
        return False  # series whose last image was built before February 2020
    if major == 9:
        series, release = (9, minor), patch
    else:
        series, release = (major, None), minor
    if release is None:
        return True  # `9`, `9.6`, `11`: the series' latest build
    since = POSTGRES_PASSWORD_REQUIRED_SINCE.get(series)
    return since is None or release >= since


OFFICIAL_IMAGES = frozenset("""
adminer aerospike almalinux alpine alt amazoncorretto amazonlinux arangodb archlinux backdrop bash bonita
buildpack-deps busybox caddy cassandra chronograf cirros clearlinux clickhouse clojure composer convertigo couchbase
couchdb crate dart debian docker drupal eclipse-mosquitto eclipse-temurin eggdrop elasticsearch elixir emqx erlang
fedora flink fluentd friendica gazebo gcc geonetwork ghost golang gradle groovy haproxy haskell haxe hello-world hitch
httpd hylang ibm-semeru-runtimes ibmjava influxdb irssi jetty joomla jruby julia kapacitor kibana kong liquibase
logstash mageia mariadb matomo maven mediawiki memcached mongo mongo-express monica mono mysql nats neo4j neurodebian
nextcloud nginx node notary odoo open-liberty openjdk oraclelinux orientdb percona perl photon php php-zendserver
phpmyadmin plone postfixadmin postgres pypy python r-base rabbitmq rakudo-star redis redmine registry rethinkdb
rocket.chat rockylinux ruby rust sapmachine satosa silverpeas sl solr sonarqube spiped storm swift swipl teamspeak
telegraf tomcat tomee traefik ubuntu unit varnish websphere-liberty wordpress xwiki yourls znc zookeeper
""".split())
"""Docker Hub's official images (the ``library/`` namespace, docker-library/official-images): the only images
pulled by a bare name. Any other bare name (``image: app``) is an image built on the machine (``docker build -t
app .``), never pulled."""


PUBLIC_PYTHON_IMAGES = frozenset({"astral-sh/uv", "bitnami/python", "cimg/python", "circleci/python",
                                  "nikolaik/python-nodejs", "continuumio/miniconda3", "condaforge/miniforge3"})
"""Well-known public images with Python that set neither ``PYTHONUNBUFFERED`` nor ``PYTHONDONTWRITEBYTECODE``
(``ghcr.io/astral-sh/uv:python3.12-bookworm-slim``, ``bitnami/python``), beside ``tiangolo/*`` and Google's
``distroless`` Python images."""
PUBLIC_PYTHON_NAMESPACES = ("tiangolo/", "distroless/")
DISTRIBUTION_IMAGES = frozenset({
    "centos/centos", "fedora/fedora", "rockylinux/rockylinux", "almalinux/almalinux", "amazonlinux/amazonlinux",
    "opensuse/leap", "opensuse/tumbleweed", "redhat/ubi8", "redhat/ubi9", "redhat/ubi10", "ubi8", "ubi9", "ubi10",
    "ubi8/ubi", "ubi9/ubi", "ubi10/ubi", "ubi8/ubi-minimal", "ubi9/ubi-minimal", "ubi10/ubi-minimal"})
"""Distributions' own images published outside Docker Hub's official ones (``quay.io/centos/centos:stream10``,
``registry.access.redhat.com/ubi9/ubi-minimal``): a bare system, which sets no Python variable."""


def official_image(repository: str) -> bool:
    """Whether a repository is a Docker Hub official image, pulled by its bare name (``python``) or through a mirror
    of the ``library/`` namespace (``public.ecr.aws/docker/library/python``)."""
    parts = repository.lower().split("/")
    return (len(parts) == 1 or parts[-2] == "library") and parts[-1] in OFFICIAL_IMAGES


def known_environment(repository: str) -> bool:
    """Whether djcheck knows the environment an image sets: an official image (``python``, ``debian``), a
    distribution's own (``quay.io/centos/centos``, ``ubi9/ubi``) or a well-known public Python image
    (``astral-sh/uv``, ``bitnami/python``, ``tiangolo/uvicorn-gunicorn``). An organisation's own base image
    (``acme/python-base``) or one built on the machine (``app-base``) may set anything."""
    repository = repository.lower()
    return official_image(repository) or repository in PUBLIC_PYTHON_IMAGES or repository in DISTRIBUTION_IMAGES \
        or repository.startswith(PUBLIC_PYTHON_NAMESPACES)


S6_OVERLAY_BASES = re.compile(r"(?:(?:ghcr\.io|lscr\.io|docker\.io)/)?"
                              r"(?:linuxserver/baseimage-[\w.-]+|lsiobase/[\w.-]+)")
"""LinuxServer.io's base images, whose ENTRYPOINT is s6-overlay's ``/init`` (``ghcr.io/linuxserver/baseimage-alpine``,
``lsiobase/ubuntu``)."""


def s6_overlay_base(repository: str) -> bool:
    """Whether an image starts s6-overlay's ``/init`` by its own ENTRYPOINT: the images built from it run the
    services of ``/etc/s6-overlay/s6-rc.d`` (LinuxServer.io's base images)."""
    return S6_OVERLAY_BASES.fullmatch(repository.lower()) is not None


def local_image(reference: str) -> bool:
    """Whether an image reference names an image built on the machine: a bare name (no registry, no namespace)
    that is no official image, which no pull could fetch."""
    repository = parse_image(reference).repository
    return "/" not in repository and "$" not in repository and repository.lower() not in OFFICIAL_IMAGES


def plain_name(name: str) -> str:
    """A name without case and separators: ``Paperless_NGX`` is ``paperless-ngx``'s."""
    return re.sub(r"[^a-z0-9]", "", name.lower())
