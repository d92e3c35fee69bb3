"""How settings read environment variables, and what each way gives for a given value.

Settings read the environment in four common ways, each with its own casting rules:

- the standard library: ``os.environ["X"]``, ``os.environ.get("X", d)``, ``os.getenv``
  (strings; a default is returned as is);
- django-environ: ``env = environ.Env(DEBUG=(bool, False))`` then ``env("X")``,
  ``env.bool``, ``env.int``, ``env.list``, ``env.db()``... (a default is returned
  without parsing; ``bool`` accepts ``true/on/ok/y/yes/1`` and non-zero numbers);
- python-decouple: ``config("X", default=..., cast=bool)``, ``cast=Csv()`` (a default
  is cast too; ``bool`` accepts only ``1/yes/true/on/y/t`` and their opposites);
- environs: ``env = Env()`` then ``env("X")``, ``env.bool("X", False)``, ``env.list``,
  ``env.dj_db_url()``... (a default is returned as is, but a ``dj_*_url`` default is parsed;
  marshmallow's ``bool`` accepts a few spellings of true and false and refuses anything else);
- dj-database-url: ``dj_database_url.config(default=...)`` and ``parse(url)``.

:func:`env_read` recognises a call or subscript as one of these reads; :func:`qualified`
resolves the names a module imported, so ``from decouple import config`` and an
``env = environ.Env()`` binding are recognised whatever they are called locally.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from djlint_docker.parse.shell import tokens
from djlint_docker.records import record

NO_DEFAULT: Any = object()

ENVIRON = {"os.environ", "environ"}
GETENV = {"os.getenv", "os.environ.get", "environ.get", "getenv"}
ENVIRON_ENV = {"environ.Env()", "environ.environ.Env()", "Env()"}
ENVIRONS_ENV = {"environs.Env()", "environs.FileAwareEnv()", "environs.env"}
DECOUPLE = {"decouple.config", "decouple.AutoConfig()", "AutoConfig()", "decouple.Config()"}
DJ_DATABASE_URL_CONFIG = "dj_database_url.config"  # ``dj_database_url.parse(url)`` is a plain call: see settings

#: django-environ methods: (cast, default variable when none is named).
ENVIRON_METHODS: dict[str, tuple[str | None, str | None]] = {
    "": (None, None), "str": ("str", None), "bool": ("bool", None), "int": ("int", None),
    "float": ("float", None), "list": ("list", None), "tuple": ("tuple", None), "json": ("json", None),
    "db": ("db", "DATABASE_URL"), "db_url": ("db", "DATABASE_URL"),
    "cache": ("cache", "CACHE_URL"), "cache_url": ("cache", "CACHE_URL"), "url": ("url", None),
}

#: environs methods: (cast, default variable when none is named); a ``dj_*_url`` method parses its default too.
ENVIRONS_METHODS: dict[str, tuple[str | None, str | None]] = {
    "": (None, None), "str": ("str", None), "bool": ("marshmallow-bool", None), "int": ("int", None),
    "float": ("float", None), "list": ("list", None), "json": ("json", None),
    "dj_db_url": ("db", None), "dj_cache_url": ("cache", None),
}
MARSHMALLOW_TRUE = {"t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes", "YES", "1"}
MARSHMALLOW_FALSE = {"f", "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No", "NO", "0"}
"""The spellings marshmallow's ``Boolean`` field (environs' ``env.bool``) reads; any other stops Django."""

#: dj-database-url's schemes (django-environ's agree on these), by URL scheme.
DATABASE_ENGINES = {
    "postgres": "django.db.backends.postgresql", "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql", "psql": "django.db.backends.postgresql",
    "postgis": "django.contrib.gis.db.backends.postgis",
    "mysql": "django.db.backends.mysql", "mysql2": "django.db.backends.mysql",
    "mysqlgis": "django.contrib.gis.db.backends.mysql", "mysql-connector": "mysql.connector.django",
    "sqlite": "django.db.backends.sqlite3", "spatialite": "django.contrib.gis.db.backends.spatialite",
    "oracle": "django.db.backends.oracle", "cockroach": "django_cockroachdb", "cockroachdb": "django_cockroachdb",
}
CACHE_BACKENDS = {
    "redis": "django.core.cache.backends.redis.RedisCache", "rediss": "django.core.cache.backends.redis.RedisCache",
    "valkey": "django.core.cache.backends.redis.RedisCache",
    "pymemcache": "django.core.cache.backends.memcached.PyMemcacheCache",
    "locmemcache": "django.core.cache.backends.locmem.LocMemCache",
    "dbcache": "django.core.cache.backends.db.DatabaseCache",
    "dummycache": "django.core.cache.backends.dummy.DummyCache",
    "filecache": "django.core.cache.backends.filebased.FileBasedCache",
}

CASTABLE = {"bool", "int", "float", "str", "list", "tuple"}
ENVIRON_TRUE = ("true", "on", "ok", "y", "yes", "1")
DECOUPLE_BOOLEANS = {"y": True, "yes": True, "t": True, "true": True, "on": True, "1": True,
                     "n": False, "no": False, "f": False, "false": False, "off": False, "0": False}


class Unknown(Exception):
    """The value depends on something djcheck does not evaluate."""


class Opaque:
    """A value inside a known container (a ``DATABASES`` entry's ``NAME = BASE_DIR / ...``) that is unknown."""

    def __repr__(self) -> str:
        return "<unknown>"


OPAQUE = Opaque()


class MissingVariable(Unknown):
    """A read without a default of a variable that is unset: Django would fail at start-up."""


@record
class EnvRead:
    """One read of an environment variable.

    ``library`` is ``os``, ``environ``, ``environs``, ``decouple`` or ``dj_database_url``; ``cast`` names
    what the value is turned into (None: the string as is); ``default`` is the default's
    expression, or :data:`NO_DEFAULT` when an unset variable is an error.
    """

    variable: str
    library: str
    cast: str | None
    default: Any
    cast_node: ast.expr | None = None


def qualified(node: ast.expr, imports: Mapping[str, str], values: Mapping[str, ast.expr | None]) -> str | None:
    """The dotted name a function expression refers to: imports resolved, ``x = Cls()`` as ``Cls()``."""
    if isinstance(node, ast.Name):
        if node.id in imports:
            return imports[node.id]
        bound = values.get(node.id)
        if isinstance(bound, ast.Call):
            inner = qualified(bound.func, imports, {})
            return f"{inner}()" if inner else None
        return node.id if node.id not in values else None
    if isinstance(node, ast.Attribute):
        base = qualified(node.value, imports, values)
        return f"{base}.{node.attr}" if base else None
    return None


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    if len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def env_read(node: ast.AST, imports: Mapping[str, str], values: Mapping[str, ast.expr | None]) -> EnvRead | None:
    """The environment read ``node`` performs, if it is one djcheck knows."""
    if isinstance(node, ast.Subscript) and qualified(node.value, imports, values) in ENVIRON:
        variable = _string(node.slice)
        return EnvRead(variable, "os", None, NO_DEFAULT) if variable else None
    if not isinstance(node, ast.Call):
        return None
    name = qualified(node.func, imports, values)
    if name is None:
        return None
    if name in GETENV:
        variable = _string(_argument(node, 0, "key"))
        default = _argument(node, 1, "default")
        return EnvRead(variable, "os", None, default) if variable else None
    if name in DECOUPLE:
        variable = _string(_argument(node, 0, "option"))
        default = _argument(node, 1, "default")
        cast_argument = _argument(node, 2, "cast")
        return EnvRead(variable, "decouple", "custom" if cast_argument is not None else None,
                       NO_DEFAULT if default is None else default, cast_argument) if variable else None
    if name == DJ_DATABASE_URL_CONFIG:
        variable = _string(_argument(node, 0, "env")) or "DATABASE_URL"
        default = _argument(node, 1, "default")
        return EnvRead(variable, "dj_database_url", "db", default)
    receiver, _, method = name.rpartition(".") if not name.endswith("()") else (name, "", "")
    if name in ENVIRONS_ENV:  # `env("X")` of `from environs import env`
        receiver, method = name, ""
    if receiver in ENVIRONS_ENV and method in ENVIRONS_METHODS:
        cast, _ = ENVIRONS_METHODS[method]
        variable = _string(_argument(node, 0, "name"))
        default = _argument(node, 1, "default")
        return EnvRead(variable, "environs", cast, NO_DEFAULT if default is None else default) if variable else None
    if receiver in ENVIRON_ENV and method in ENVIRON_METHODS:
        cast, default_variable = ENVIRON_METHODS[method]
        variable = _string(_argument(node, 0, "var")) or default_variable
        if variable is None:
            return None
        default = _argument(node, 2 if method in {"", "list", "tuple"} else 1, "default")
        cast_node = _argument(node, 1, "cast") if method in {"", "list", "tuple"} else None
        if cast_node is not None:
            cast = cast_node.id if isinstance(cast_node, ast.Name) and cast_node.id in CASTABLE else "custom"
            if method in {"list", "tuple"}:
                cast = method if cast == "str" else "custom"
        scheme = _environ_scheme(values, receiver, node, variable, imports)
        if scheme is not None and cast is None:
            cast = scheme[0]
        if default is None and scheme is not None and scheme[1] is not None:
            default = scheme[1]
        return EnvRead(variable, "environ", cast, NO_DEFAULT if default is None else default)
    return None


def _environ_scheme(values: Mapping[str, ast.expr | None], receiver: str, call: ast.Call, variable: str,
                    imports: Mapping[str, str]) -> tuple[str | None, ast.expr | None] | None:
    """The (cast, default) an ``environ.Env(X=(cast, default))`` scheme gives ``variable``."""
    func = call.func.value if isinstance(call.func, ast.Attribute) else call.func
    bound = values.get(func.id) if isinstance(func, ast.Name) else None
    if not isinstance(bound, ast.Call):
        return None
    for keyword in bound.keywords:
        if keyword.arg != variable:
            continue
        spec = keyword.value
        if isinstance(spec, ast.Tuple) and spec.elts:
            cast = spec.elts[0].id if isinstance(spec.elts[0], ast.Name) else "custom"
            return cast, spec.elts[1] if len(spec.elts) > 1 else None
        if isinstance(spec, ast.Name):
            return spec.id, None
        return "custom", None
    return None


def read_value(read: EnvRead, env: Mapping[str, str], evaluate: Callable[[ast.expr], Any]) -> Any:
    """The value a read gives when the process environment is ``env``."""
    if read.library == "dj_database_url":
        url = env.get(read.variable)
        if url is None:
            url = evaluate(read.default) if read.default is not None else None
        return database_url(url) if url else {}
    if read.variable in env:
        value: Any = env[read.variable]
        raw = True
    elif read.default is NO_DEFAULT:
        raise MissingVariable(read.variable)
    else:
        value = evaluate(read.default) if read.default is not None else None
        raw = False
    if read.library == "os":
        return value
    if read.library == "decouple":
        return _decouple_cast(value, read.cast_node, evaluate)
    if read.library == "environs":
        return _environs_cast(value, read.cast) if raw or read.cast in {"db", "cache"} else value
    cast = read.cast
    if cast is None and not raw:
        return value
    if cast is None and read.default is not NO_DEFAULT and read.default is not None:
        default = evaluate(read.default)  # smart cast: the default's type
        cast = {bool: "bool", int: "int", float: "float", list: "list", tuple: "tuple"}.get(type(default))
    if not raw and cast not in {"db", "cache", "url"}:
        return value  # django-environ returns a default without parsing it
    return _environ_cast(value, cast)


def _environ_cast(value: Any, cast: str | None) -> Any:
    if cast is None or cast == "str":
        return value if cast is None or value is None else str(value)
    if cast == "custom":
        raise Unknown("custom cast")
    if value is None:
        return None
    if cast == "db":
        return database_url(value)
    if cast == "cache":
        return cache_url(value)
    if not isinstance(value, str):
        return value
    if cast == "bool":
        try:
            return int(value) != 0
        except ValueError:
            return value.lower().strip() in ENVIRON_TRUE
    if cast == "list":
        return [item for item in value.split(",") if item]
    if cast == "tuple":
        return tuple(item for item in value.strip("(").strip(")").split(",") if item)
    if cast in {"int", "float"}:
        try:
            return int(value) if cast == "int" else float(value)
        except ValueError:
            raise Unknown(f"{cast}() fails") from None
    raise Unknown(f"cast {cast}")


def _environs_cast(value: Any, cast: str | None) -> Any:
    """What environs (marshmallow's fields) makes of a variable's value; what it refuses stops Django."""
    if not isinstance(value, str) or cast in {None, "str"}:
        return value
    if cast == "marshmallow-bool":
        if value in MARSHMALLOW_TRUE or value in MARSHMALLOW_FALSE:
            return value in MARSHMALLOW_TRUE
        raise Unknown("environs refuses this boolean")
    if cast == "list":
        return value.split(",") if value else []
    if cast == "json":
        raise Unknown("JSON value")
    return _environ_cast(value, cast)


def _decouple_cast(value: Any, cast: ast.expr | None, evaluate: Callable[[ast.expr], Any]) -> Any:
    if cast is None:
        return value
    if isinstance(cast, ast.Name) and cast.id == "bool":
        text = str(value).lower()
        if text == "":
            return False
        if text not in DECOUPLE_BOOLEANS:
            raise Unknown("decouple cannot cast this to bool")
        return DECOUPLE_BOOLEANS[text]
    if isinstance(cast, ast.Name) and cast.id in {"int", "str", "float"}:
        try:
            return {"int": int, "str": str, "float": float}[cast.id](value)
        except (TypeError, ValueError):
            raise Unknown(f"{cast.id}() fails") from None
    if isinstance(cast, ast.Call) and isinstance(cast.func, ast.Name) and cast.func.id == "Csv" and not cast.args \
            and not cast.keywords:
        if value is None:
            return []
        try:  # decouple splits with shlex, commas as whitespace; tokens() splits the same in linear time
            return [item.strip() for item in tokens(str(value), whitespace=",", comments=True)]
        except ValueError:
            raise Unknown("unbalanced quotes") from None
    if isinstance(cast, ast.Name) and cast.id == "db_url":
        return database_url(str(value))
    raise Unknown("custom cast")


def database_url(url: str) -> dict[str, Any]:
    """The ``DATABASES`` entry dj-database-url (and django-environ) make of a URL."""
    if url == "sqlite://:memory:":
        return {"ENGINE": DATABASE_ENGINES["sqlite"], "NAME": ":memory:"}
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Unknown("not a URL") from None
    engine = DATABASE_ENGINES.get(parts.scheme)
    if engine is None:
        raise Unknown(f"database URL scheme {parts.scheme!r}")
    name = unquote(parts.path[1:])
    if parts.scheme == "sqlite" and name == "":
        name = ":memory:"
    return {"ENGINE": engine, "NAME": name, "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""), "HOST": unquote(parts.hostname or ""), "PORT": port or "",
            "OPTIONS": {key: values[-1] for key, values in parse_qs(parts.query).items()}}


def cache_url(url: Any) -> dict[str, Any]:
    """The ``CACHES`` entry django-environ makes of a cache URL (backend and location)."""
    try:
        parts = urlsplit(str(url))
    except ValueError:
        raise Unknown("not a URL") from None
    backend = CACHE_BACKENDS.get(parts.scheme)
    if backend is None:
        raise Unknown(f"cache URL scheme {parts.scheme!r}")
    return {"BACKEND": backend, "LOCATION": f"{parts.scheme}://{parts.netloc}{parts.path}"
            if parts.scheme.startswith(("redis", "valkey")) else parts.netloc or parts.path}
