"""The rules, one module per rule in a folder per family; importing this package registers every rule.

Every module below this package is imported, the helpers and example snippets the
rules share first, then the rules in name order: a new rule needs no list kept by hand. (Listed with ``os.listdir``:
``pkgutil`` costs a few milliseconds of every run.)

A module whose ``.pyc`` is up to date is executed from it directly. importlib's
finders, specs and locks cost about 0.4 M instructions a module, more than a small rule
module's own code: through them, the seventy modules of the one-rule-per-module layout
made every run about 5 ms slower than the eleven modules before it. The direct path
reads the file importlib would read and makes the checks it makes (magic number, a
timestamp-based file, the source's modification time and size); a module without such a
file (none written yet, a stale or hash-based one, a pycache prefix, ``-O``) is imported
through importlib, which writes it.
"""

import importlib
import marshal
import os
import sys
from collections.abc import Iterator
from importlib._bootstrap_external import MAGIC_NUMBER
from importlib.machinery import ModuleSpec, SourceFileLoader
from types import CodeType, ModuleType

_DIRECT = sys.pycache_prefix is None and not sys.flags.optimize and sys.implementation.cache_tag is not None


def _modules(folder: str, prefix: str) -> Iterator[tuple[str, str]]:
    """``(module name, source path)`` of every module below ``folder``, each package before its modules."""
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith(".") or name == "__init__.py" or name == "__pycache__":
            continue
        if name.endswith(".py"):
            yield prefix + name[:-3], path
        elif os.path.isfile(os.path.join(path, "__init__.py")):
            importlib.import_module(prefix + name)
            yield from _modules(path, f"{prefix}{name}.")


def _cached_code(source: str, cached: str) -> CodeType | None:
    """The code of ``source`` from its ``.pyc``, when importlib would use that file as it is."""
    try:
        with open(cached, "rb") as file:
            data = file.read()
        info = os.stat(source)
    except OSError:
        return None
    if (data[:4] != MAGIC_NUMBER or data[4:8] != bytes(4)
            or int.from_bytes(data[8:12], "little") != int(info.st_mtime) & 0xFFFFFFFF
            or int.from_bytes(data[12:16], "little") != info.st_size & 0xFFFFFFFF):
        return None
    code = marshal.loads(data[16:])
    return code if isinstance(code, CodeType) else None


def _import(name: str, source: str) -> None:
    if name in sys.modules:  # a helper another module imported first
        return
    folder, file = os.path.split(source)
    cached = os.path.join(folder, "__pycache__", f"{file[:-3]}.{sys.implementation.cache_tag}.pyc")
    code = _cached_code(source, cached) if _DIRECT else None
    if code is None:
        importlib.import_module(name)
        return
    package, _, short = name.rpartition(".")
    loader = SourceFileLoader(name, source)
    module = ModuleType(name)
    module.__spec__ = ModuleSpec(name, loader, origin=source)
    module.__spec__.has_location = True
    module.__spec__.cached = cached
    module.__loader__ = loader
    module.__file__ = source
    module.__cached__ = cached  # type: ignore[attr-defined]
    module.__package__ = package
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    setattr(sys.modules[package], short, module)


# The modules the rules share first (helpers, example snippets): a rule's own imports then find them loaded.
for _name, _source in sorted(_modules(__path__[0], f"{__name__}."), key=lambda found: ".djc" in found[0]):
    _import(_name, _source)
