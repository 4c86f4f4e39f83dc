"""Names of a package loaded from their modules on first use (PEP 562).

A package that lists its public names here imports none of its modules when it is
imported: ``import conflictkg.sparql.library`` or opening the built store then loads only
what it uses, not every engine's dependencies.

Examples
--------
>>> getattr_, dir_ = lazy_names("json", {"decoder": ("JSONDecoder",)}, ["JSONDecoder"])
>>> getattr_("JSONDecoder").__name__
'JSONDecoder'
>>> getattr_("nothing")
Traceback (most recent call last):
...
AttributeError: module 'json' has no attribute 'nothing'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, homes: Mapping[str, Sequence[str]], public: Sequence[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Make a package's ``__getattr__`` and ``__dir__`` for names kept in its modules.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    homes : mapping of str to sequence of str
        Each module of the package (without the package's name) and the names it holds.
    public : sequence of str
        The package's ``__all__``.

    Returns
    -------
    tuple of callable
        ``__getattr__(name)``, which imports the name's module, keeps the value in the
        package and returns it (:class:`AttributeError` for another name), and
        ``__dir__()``.
    """
    module_of = {name: module for module, names in homes.items() for name in names}

    def getattr_(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def dir_() -> list[str]:
        return sorted({*vars(sys.modules[package]), *public})

    return getattr_, dir_
