r"""Run a query: :func:`run_query`, on a local graph or a remote endpoint.

The query (text, a library question or a prepared query) is prepared
(:mod:`conflictkg.sparql.prepare`), its labels resolved on the same target,
and run by the engine (:mod:`conflictkg.sparql.local`) or the endpoint
(:mod:`conflictkg.sparql.endpoint`) in the worker sandbox when it has a time
limit (:mod:`conflictkg.sparql.sandbox`).

Examples
--------
>>> from conflictkg.rdf.loading import turtle_graph
>>> g = turtle_graph('''
...     ckr:jnim rdfs:label "JNIM"@en ; skos:altLabel "Support Group for Islam and Muslims"@en .
...     ckr:wagner-group rdfs:label "Wagner Group"@en .
... ''')
>>> text = '''SELECT ?name WHERE { VALUES ?who { ckr:jnim } ?who rdfs:label ?name }'''
>>> result = run_query(g, text, params={"who": ["Wagner Group"]})
>>> [str(row[0]) for row in result.rows]
['Wagner Group']
>>> run_query(g, "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
conflictkg.errors.NetworkRefusedError: <query>:1:12: SERVICE <http://example.org/sparql> would ...
"""  # noqa: E501

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from conflictkg.errors import QueryError, QueryTimeoutError
from conflictkg.sparql.library import ENGINES, LibraryQuery
from conflictkg.sparql.local import DEFAULT_ENGINE, ENGINE_RUNNERS, LocalGraph
from conflictkg.sparql.prepare import PreparedQuery, Resolver, prepare
from conflictkg.sparql.results import QueryResult
from conflictkg.sparql.sandbox import call

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

    from conflictkg.sparql.endpoint import Endpoint

__all__ = ["run_query"]

# an alias a source gives in a statement of its own names the entity as well
_RESOLVE_QUERY = """\
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?label ?name WHERE {
  VALUES ?wanted { "" }
  { ?entity rdfs:label|skos:prefLabel|skos:altLabel ?name }
  UNION
  { [] rdf:subject ?entity ; rdf:predicate skos:altLabel ; rdf:object ?name }
  FILTER (isIRI(?entity) && LCASE(STR(?name)) = LCASE(STR(?wanted)))
  OPTIONAL { ?entity rdfs:label ?label }
}"""


_SUGGEST_QUERY = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?name WHERE {
  VALUES ?wanted { "" }
  ?entity rdfs:label|skos:prefLabel|skos:altLabel ?name .
  FILTER (isIRI(?entity) && CONTAINS(LCASE(STR(?name)), LCASE(STR(?wanted))))
}
LIMIT 20"""


def _resolver(run: Callable[[PreparedQuery], QueryResult]) -> Resolver:
    """Build a label resolver that asks the same engine or endpoint."""

    def resolve(label: str) -> list[tuple[URIRef, str]]:
        from rdflib import Literal

        prepared = prepare(_RESOLVE_QUERY, params={"wanted": Literal(label)})
        found = run(prepared).rows
        exact = [row for row in found if str(row[2]) == label]
        chosen = exact or found
        return [
            (row[0], str(row[1] if row[1] is not None else row[2]))  # type: ignore[misc]
            for row in chosen
        ]

    def suggest(label: str) -> list[str]:
        from rdflib import Literal

        prepared = prepare(_SUGGEST_QUERY, params={"wanted": Literal(label)})
        return sorted({str(row[0]) for row in run(prepared).rows})[:5]

    resolve.suggest = suggest  # type: ignore[attr-defined]
    return resolve


def run_query(
    target: LocalGraph | Graph | Endpoint,
    query: str | LibraryQuery | PreparedQuery,
    *,
    params: Mapping[str, Any] | None = None,
    engine: str | None = None,
    reasoning: str | None = None,
    timeout: float | None = None,
    max_rows: int | None = None,
    allow_network: bool = False,
    on_timeout: Callable[[QueryTimeoutError], None] | None = None,
) -> QueryResult:
    """Run a query on a local graph or a remote endpoint.

    Parameters
    ----------
    target : LocalGraph, rdflib.Graph or Endpoint
        What to query.  An rdflib graph is wrapped in a :class:`LocalGraph`
        (pass a LocalGraph to reuse its Oxigraph copy and closure).
    query : str, LibraryQuery or PreparedQuery
        The query.  A library query brings its header: parameters,
        reasoning, engine.
    params : mapping, optional
        Parameter values (see :func:`prepare`); labels are resolved on `target`.
    engine : {"oxigraph", "rdflib"}, optional
        Local engine; default: the question's ``#+ engine`` or
        :data:`DEFAULT_ENGINE`.
    reasoning : {"rdfs", "none"}, optional
        Answer over the RDFS closure; default: the question's header.
    timeout : float, optional
        Seconds before the query is stopped (it then runs in a worker process).
    max_rows : int, optional
        Keep at most this many rows or triples; the result says when more existed.
    allow_network : bool, default False
        Let SERVICE and FROM reach the network.
    on_timeout : callable, optional
        For a process whose one task is this query: run it in this process, and call
        ``on_timeout(error)`` when the time limit passes, which must end the process
        (see :mod:`conflictkg.sparql.sandbox`); by default a time-limited query runs in a
        worker process.

    Returns
    -------
    QueryResult
        The answer.

    Raises
    ------
    QueryError
        For bad input (syntax, parameters, refused network access, unknown
        engine); :class:`QueryTimeoutError` when the time limit passes;
        :class:`EndpointError` for endpoint failures.
    """
    library_query = query if isinstance(query, LibraryQuery) else None
    if reasoning is None and library_query is not None:
        reasoning = library_query.reasoning
    if reasoning == "none":
        reasoning = None
    if reasoning not in (None, "rdfs"):
        raise QueryError(f"unknown reasoning {reasoning!r}; expected rdfs or none")
    if max_rows is not None and max_rows <= 0:
        max_rows = None
    # the endpoint module (and its HTTP client) is loaded only for an endpoint
    endpoint = None
    if not isinstance(target, LocalGraph):
        from conflictkg.sparql.endpoint import Endpoint, endpoint_runner

        endpoint = target if isinstance(target, Endpoint) else None
    if endpoint is not None:
        if reasoning is not None:
            raise QueryError(
                "--reasoning applies to local graphs; for an endpoint, serve the closure "
                "(conflictkg serve --closure) and ask with --reasoning none"
            )
        run, remote, chosen = endpoint_runner(endpoint, timeout), True, None
    else:
        local = target if isinstance(target, LocalGraph) else LocalGraph(target)
        chosen = engine or (library_query.engine if library_query else None) or DEFAULT_ENGINE
        if chosen not in ENGINE_RUNNERS:
            raise QueryError(f"unknown engine {chosen!r}; expected one of: {', '.join(ENGINES)}")
        run, remote = ENGINE_RUNNERS[chosen](local, reasoning), False
    ready = (
        query
        if isinstance(query, PreparedQuery)
        else prepare(
            query,
            params=params,
            resolve=_resolver(lambda prepared: run(prepared, None)),
            allow_network=allow_network,
            remote=remote,
        )
    )
    start = time.perf_counter()
    block = not (remote or allow_network)
    result = call(
        lambda: run(ready, max_rows), timeout=timeout, block_network=block, on_timeout=on_timeout
    )
    result.seconds = time.perf_counter() - start
    if chosen is not None:
        result.engine = chosen
    return result
