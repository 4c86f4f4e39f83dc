"""An rdflib view of a pyoxigraph store, for code that reads graphs through rdflib's API.

The view reads the union of the store's graphs where they are (``oxrdflib``'s store
plugin): no triple is copied, SPARQL sent through the view is answered by Oxigraph, and
pattern lookups (``graph.value``, ``graph.objects``) become index lookups.  Summaries,
projections, labels and exporters read a built store this way.

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"),
...                   ox.NamedNode("urn:g")))
>>> view = rdflib_view(store)
>>> [str(o) for o in view.objects(None, None)]
['c']
"""

from __future__ import annotations

import functools

import pyoxigraph as ox

from conflictkg.namespaces import PREFIXES

__all__ = ["rdflib_view", "rdflib_copy"]


def rdflib_view(store: ox.Store):
    """Return an :class:`rdflib.Dataset` whose default graph is the union of `store`'s graphs.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store (read-only or not).

    Returns
    -------
    rdflib.Dataset
        With the project's prefixes bound.
    """
    from oxrdflib import OxigraphStore

    view = _union_view_class()(store=OxigraphStore(store=store), default_union=True)
    for prefix, namespace in PREFIXES.items():
        view.bind(prefix, namespace, override=True)
    return view


@functools.cache
def _union_view_class() -> type:
    """Return a :class:`rdflib.Dataset` class that iterates over triples, as a graph does."""
    from rdflib import Dataset

    class UnionView(Dataset):
        """The union of a store's graphs, read as one rdflib graph."""

        def __iter__(self):
            """Yield the triples of every graph (as a graph does, not quads)."""
            return self.triples((None, None, None))

        def __len__(self) -> int:
            """Return the number of triples (of quads, as the store counts them)."""
            return len(self.store._inner)

    return UnionView


def rdflib_copy(store: ox.Store):
    """Copy the union of a store's graphs into a new in-memory rdflib graph.

    For rdflib's own SPARQL engine and for pySHACL, which need rdflib's memory store
    (:func:`conflictkg.rdf.loading.graph_from_store`).
    """
    from conflictkg.rdf.loading import graph_from_store

    return graph_from_store(store)
