"""Run queries on local graphs: rdflib's engine and Oxigraph's.

``oxigraph`` (the default: an in-memory :class:`pyoxigraph.Store` filled from
the rdflib graph) and ``rdflib`` answer every library question alike
(``tests/test_cq.py`` runs each on both).  :class:`LocalGraph` keeps the graph
with its Oxigraph copy and RDFS closure, made on demand.

Examples
--------
>>> from rdflib import Graph
>>> local = LocalGraph(Graph().parse(format="turtle", data="<urn:a> <urn:b> <urn:c> ."))
>>> len(local.oxigraph_store())
1
>>> from conflictkg.sparql.prepare import prepare
>>> ENGINE_RUNNERS["oxigraph"](local, None)(prepare("ASK { ?s ?p ?o }"), None).boolean
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from conflictkg import resources
from conflictkg.errors import QueryError, QuerySyntaxError
from conflictkg.prefixes import PREFIXES
from conflictkg.sparql.prepare import PreparedQuery
from conflictkg.sparql.results import QueryResult, graph_of, limited, row_limit_note

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["DEFAULT_ENGINE", "ENGINE_RUNNERS", "LocalGraph", "Runner"]

#: The engine used when none is asked for: Oxigraph, faster than rdflib on every
#: library question that takes rdflib more than a millisecond, by up to three or
#: four orders of magnitude at 100,000 triples (``benchmarks/bench_queries.py``).
DEFAULT_ENGINE = "oxigraph"

#: ``run(prepared, max_rows)``: an engine bound to a graph.
Runner = Callable[[PreparedQuery, "int | None"], QueryResult]

_OX_POSITION = re.compile(r"error at (\d+):(\d+): ")


class LocalGraph:
    """A graph to query locally, with its Oxigraph copy and RDFS closure made on demand.

    Parameters
    ----------
    graph : rdflib.Graph
        The whole graph to query (ontology, code lists and data).

    Examples
    --------
    >>> from rdflib import Graph
    >>> local = LocalGraph(Graph().parse(format="turtle", data="<urn:a> <urn:b> <urn:c> ."))
    >>> len(local.oxigraph_store())
    1
    """

    def __init__(self, graph: Graph | None = None, *, store: ox.Store | None = None,
                 built=None) -> None:
        if graph is None and store is None and built is None:
            raise QueryError("a local graph needs an rdflib graph, a store or a built store")
        self._graph = graph
        self._closure: Graph | None = None
        self._stores: dict[str | None, ox.Store] = {}
        self._union = False
        self._built = built
        if store is not None:
            self._stores[None] = store
            self._union = True
        if built is not None:
            self._union = True

    @property
    def graph(self) -> Graph:
        """The graph as rdflib reads it: the graph given, or a view of the store (no copy)."""
        if self._graph is None:
            from conflictkg.store.view import rdflib_view

            self._graph = rdflib_view(self.oxigraph_store())
        return self._graph

    @property
    def union(self) -> bool:
        """Whether queries read the union of the store's named graphs (a built store)."""
        return self._union

    @classmethod
    def from_store(cls, store: ox.Store) -> LocalGraph:
        """Query a pyoxigraph store (the union of its graphs), where it is.

        Parameters
        ----------
        store : pyoxigraph.Store
            Ontology, code lists and data, in any named graphs.

        Returns
        -------
        LocalGraph
        """
        return cls(store=store)

    @classmethod
    def from_built(cls, built) -> LocalGraph:
        """Query a built store (:class:`conflictkg.store.BuiltStore`), read-only.

        Its closure store answers the questions asked over the RDFS closure.
        """
        return cls(built=built)

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike[str]]) -> LocalGraph:
        """Load RDF files (see :func:`conflictkg.rdf.loading.load_files`).

        Parameters
        ----------
        paths : iterable of path
            Turtle, N-Triples or TriG files.

        Returns
        -------
        LocalGraph
            Their union.
        """
        from conflictkg.rdf.loading import load_files

        return cls(load_files(list(paths)))

    @classmethod
    def from_project(cls, *, extra_data: Iterable[str | os.PathLike[str]] = ()) -> LocalGraph:
        """Load what a researcher queries: ontology, code lists and ``graph/**/*.ttl``.

        Parameters
        ----------
        extra_data : iterable of path, optional
            More data files.

        Returns
        -------
        LocalGraph
            The project's graph.
        """
        files = [*resources.ontology_files(), *resources.graph_files()]
        known = {path.resolve() for path in files}
        files += [Path(p) for p in extra_data if Path(p).resolve() not in known]
        return cls.from_files(files)

    def rdflib_graph(self, *, reasoning: str | None = None) -> Graph:
        """Return the graph, or its RDFS closure when `reasoning` is ``"rdfs"``.

        For a store, a copy in rdflib's memory store (what rdflib's engine needs).
        """
        if reasoning is None:
            if self._graph is None or self._stores or self._built is not None:
                if getattr(self, "_copy", None) is None:
                    from conflictkg.store.view import rdflib_copy

                    self._copy = rdflib_copy(self.oxigraph_store())
                return self._copy
            return self.graph
        if reasoning != "rdfs":
            raise QueryError(f"unknown reasoning {reasoning!r}; expected rdfs")
        if self._closure is None:
            from conflictkg.rdf.reasoning import rdfs_closure

            self._closure = rdfs_closure(self.rdflib_graph())
        return self._closure

    def oxigraph_store(self, *, reasoning: str | None = None) -> ox.Store:
        """Return the Oxigraph store holding the graph (or its closure)."""
        if self._built is not None:
            return self._built.store(reasoning=reasoning)
        store = self._stores.get(reasoning)
        if store is None:
            from conflictkg.rdf.terms import to_oxigraph

            source = self.rdflib_graph(reasoning=reasoning)
            store = ox.Store()
            convert = to_oxigraph()
            default = ox.DefaultGraph()
            try:
                store.bulk_extend(
                    ox.Quad(convert(s), convert(p), convert(o), default) for s, p, o in source
                )
            except TypeError as error:
                raise QueryError(
                    "the graph holds a triple Oxigraph cannot store (a literal or blank node "
                    f"where RDF wants an IRI: {error}); use the rdflib engine"
                ) from None
            self._stores[reasoning] = store
        return store



def _rdflib_runner(local: LocalGraph, reasoning: str | None) -> Runner:
    """Bind rdflib's engine to the graph (or its closure)."""
    graph = local.rdflib_graph(reasoning=reasoning)

    def run(prepared: PreparedQuery, max_rows: int | None) -> QueryResult:
        result = graph.query(prepared.parsed)
        form = prepared.form
        if form == "ASK":
            return QueryResult(form, boolean=bool(result.askAnswer))
        if form == "SELECT":
            names = [str(v) for v in result.vars or []]
            rows, cut = limited((tuple(row) for row in result), max_rows)
            note = row_limit_note(max_rows) if cut else None
            return QueryResult(form, names, rows, incomplete=note)
        triples, cut = limited(iter(result.graph or ()), max_rows)
        note = row_limit_note(max_rows) if cut else None
        return QueryResult(form, graph=graph_of(triples), incomplete=note)

    return run


def _oxigraph_runner(local: LocalGraph, reasoning: str | None) -> Runner:
    """Bind Oxigraph's engine to the graph's store (or its closure's)."""
    store = local.oxigraph_store(reasoning=reasoning)

    def run(prepared: PreparedQuery, max_rows: int | None) -> QueryResult:
        try:
            result = store.query(
                prepared.text, prefixes=PREFIXES, use_default_graph_as_union=local.union
            )
        except SyntaxError as error:
            # rdflib's message, where it rejects the text too, is the one users know
            # (its line and column for every engine); Oxigraph's otherwise
            prepared.parsed  # noqa: B018 - raises QuerySyntaxError
            message = str(error.msg or error)
            match = _OX_POSITION.match(message)
            where = prepared.source
            if match:
                where += f":{match.group(1)}:{match.group(2)}"
                message = message[match.end() :]
            raise QuerySyntaxError(f"{where}: SPARQL syntax error (Oxigraph): {message}") from None
        try:
            if isinstance(result, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows, cut = limited(map(tuple, result), max_rows)
                note = row_limit_note(max_rows) if cut else None
                return QueryResult("SELECT", names, incomplete=note, terms=rows)
            triples, cut = limited(iter(result), max_rows)
        except (OSError, TypeError, RuntimeError, SyntaxError) as error:
            # RuntimeError / SyntaxError: an answer of a SERVICE that is not SPARQL results
            raise QueryError(
                f"{prepared.source}: Oxigraph could not run the query: {error}"
            ) from None
        note = row_limit_note(max_rows) if cut else None
        return QueryResult(prepared.form, triples=triples, incomplete=note)

    return run


#: Local engines by name: each binds itself to a :class:`LocalGraph` and a reasoning.
ENGINE_RUNNERS: dict[str, Callable[[LocalGraph, str | None], Runner]] = {
    "oxigraph": _oxigraph_runner,
    "rdflib": _rdflib_runner,
}
