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
"""

from conflictkg.store.built import STORE_LINK, STORES_FOLDER, BuiltStore
from conflictkg.store.inputs import Input, project_inputs
from conflictkg.store.manifest import InputFile, Manifest, graph_name_for
from conflictkg.store.view import rdflib_copy, rdflib_view
from conflictkg.store.writer import StoreWriter, load_file

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
