"""The rules, one module per rule in a folder per family; importing this package registers every rule.

Every module below this package whose name does not start with ``_`` is imported, in
name order: a new rule needs no list kept by hand. (Listed with ``os.listdir``:
``pkgutil`` costs a few milliseconds of every run.)
"""

import importlib
import os
from collections.abc import Iterator


def _modules(folder: str, prefix: str) -> Iterator[str]:
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith(("_", ".")):
            continue
        if name.endswith(".py"):
            yield prefix + name[:-3]
        elif os.path.isfile(os.path.join(path, "__init__.py")):
            yield from _modules(path, f"{prefix}{name}.")


for _module in _modules(__path__[0], f"{__name__}."):
    importlib.import_module(_module)
