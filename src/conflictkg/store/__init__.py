"""The built store: a persistent Oxigraph store that ``conflictkg build`` writes.

:mod:`~conflictkg.store.manifest`
    what a build read (files, hashes, graphs) and found;
:mod:`~conflictkg.store.inputs`
    the files a build reads, with their keys and roles;
:mod:`~conflictkg.store.built`
    :class:`BuiltStore`: the published build, opened read-only, refused when stale;
:mod:`~conflictkg.store.writer`
    :class:`StoreWriter`: a new build folder, its lock, its atomic publication;
:mod:`~conflictkg.store.view`
    an rdflib view of a store (no copy), and a copy for rdflib's own engine.

The names of ``__all__`` are loaded from their modules on first use, so that opening the
built store to query it does not load the writer's and the view's rdflib.
"""

from __future__ import annotations

from conflictkg.lazy import lazy_names

__all__ = [
    "STORES_FOLDER",
    "STORE_LINK",
    "BuiltStore",
    "Input",
    "InputFile",
    "Manifest",
    "StoreWriter",
    "graph_name_for",
    "load_file",
    "project_inputs",
    "rdflib_copy",
    "rdflib_view",
]

_HOMES = {
    "built": ("STORE_LINK", "STORES_FOLDER", "BuiltStore"),
    "inputs": ("Input", "project_inputs"),
    "manifest": ("InputFile", "Manifest", "graph_name_for"),
    "view": ("rdflib_copy", "rdflib_view"),
    "writer": ("StoreWriter", "load_file"),
}
__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__)
