"""Data-quality checks: SPARQL rules whose every row is a problem.

Each file ``queries/checks/<rule>-violation.rq`` is a SELECT query with two
columns, ``?focus`` (the node at fault) and ``?message`` (what is wrong and
how to fix it); no row means the rule holds.  They complement the SHACL
shapes with rules that look across the whole graph: entities without labels,
places outside the place hierarchy, events without a source, entities that
share a name, statements dated after their source was published.
``conflictkg build`` and ``conflictkg check`` run them.

A check whose header says ``#+ scope: node`` promises that what it finds about a node
depends only on that node's triples, the triples of the nodes it points at, and the
ontology.  An incremental build runs such checks on :func:`neighbourhood`, a small store
of the changed files' focus nodes, instead of the whole store (the Bamako report beside
1,000,000 synthetic triples: 0.5 s with the copy, against 2 to 3 s).  A check whose
header says ``#+ scope: names`` compares entities by their names (``duplicate-entities``):
an incremental build runs it on the neighbourhood of :func:`namesakes`, the changed nodes
and every entity that shares a name with one of them (0.3 s at 1M, against 1.3 to 1.7 s
on the whole store).  Any other check reads everything.

Examples
--------
>>> from conflictkg.sparql.local import LocalGraph
>>> results = run_checks(LocalGraph.from_project())
>>> [result.id for result in results if not result.passed]
[]
>>> len(results) >= 5
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.term import Node

from conflictkg.errors import QueryError
from conflictkg.rdf.labels import preferred_label
from conflictkg.rdf.terms import compact, namespace_manager_for
from conflictkg.sparql.library import LibraryQuery, library
from conflictkg.sparql.local import LocalGraph
from conflictkg.sparql.run import run_query
from conflictkg.store.names import NAME_PROPERTIES

if TYPE_CHECKING:
    from conflictkg.store.names import NameIndex

__all__ = [
    "CheckFinding",
    "CheckResult",
    "check_store",
    "failed",
    "name_scoped",
    "namesakes",
    "neighbourhood",
    "node_scoped",
    "run_checks",
]


@dataclass(frozen=True)
class CheckFinding:
    """One problem found by a check.

    Attributes
    ----------
    focus : rdflib.term.Node
        The node at fault.
    label : str
        Its label, or its compact IRI when it has none.
    message : str
        What is wrong.
    """

    focus: Node
    label: str
    message: str


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes
    ----------
    id : str
        The check's id (its file name without ``.rq``).
    question : str
        The rule, in words.
    path : pathlib.Path
        The query file.
    findings : tuple of CheckFinding
        The problems; empty when the rule holds.
    """

    id: str
    question: str
    path: Path
    findings: tuple[CheckFinding, ...]

    @property
    def passed(self) -> bool:
        """bool: whether the rule holds (no finding)."""
        return not self.findings


def run_checks(
    graph: Graph | LocalGraph,
    *,
    engine: str | None = None,
    checks: Sequence[LibraryQuery] | None = None,
    timeout: float | None = None,
) -> list[CheckResult]:
    """Run the data-quality checks on a graph.

    Parameters
    ----------
    graph : rdflib.Graph or LocalGraph
        The whole graph: ontology, code lists and data (the checks follow
        ``rdfs:subClassOf`` links of the ontology).
    engine : {"oxigraph", "rdflib"}, optional
        Local engine (default :data:`conflictkg.sparql.local.DEFAULT_ENGINE`).
    checks : sequence of LibraryQuery, optional
        The checks to run (default: every file of ``queries/checks/``).
    timeout : float, optional
        Seconds each check may run.

    Returns
    -------
    list of CheckResult
        One per check, in id order.

    Raises
    ------
    conflictkg.errors.QueryError
        If a check is not a SELECT of ``?focus`` and ``?message``.
    """
    local = graph if isinstance(graph, LocalGraph) else LocalGraph(graph)
    manager = namespace_manager_for(local.graph)
    results = []
    for check in library("check") if checks is None else checks:
        answer = run_query(local, check, engine=engine, timeout=timeout)
        if answer.form != "SELECT" or answer.variables[:2] != ["focus", "message"]:
            raise QueryError(
                f"{check.path}: a check must be a SELECT of ?focus ?message, "
                f"found {answer.form} {answer.variables}"
            )
        findings = []
        for focus, message, *_ in answer.rows:
            if focus is None:
                continue
            label = preferred_label(focus, local.graph) or compact(focus, manager)
            findings.append(CheckFinding(focus, label, str(message or "")))
        findings.sort(key=lambda item: (item.label, item.message))
        results.append(CheckResult(check.id, check.question, check.path, tuple(findings)))
    return results


def check_store(
    store,
    *,
    focus: Iterable[Node] | None = None,
    graphs: Sequence[str] = (),
    vocabulary_graphs: Sequence[str] = (),
    index: NameIndex | None = None,
) -> list[CheckResult]:
    """Run every check of the library on a built store, or on what changed in it.

    Parameters
    ----------
    store : pyoxigraph.Store
        The whole store (ontology, code lists and data, one named graph per file).
    focus : iterable of rdflib nodes, optional
        The nodes of the changed files.  Without it every check reads the whole store;
        with it, node-scoped checks read the :func:`neighbourhood` of these nodes,
        name-scoped ones the neighbourhood of their :func:`namesakes`, and the others
        the whole store.
    graphs : sequence of str
        With `focus`: IRIs of the changed files' named graphs.
    vocabulary_graphs : sequence of str
        With `focus`: IRIs of the graphs of the ontology and code lists.
    index : NameIndex, optional
        With `focus`: the build's names index, for :func:`namesakes`.

    Returns
    -------
    list of CheckResult
        One per check, in id order; with `focus`, what a run on the whole store finds
        about the changed nodes and their namesakes.

    See Also
    --------
    run_checks : the checks on any graph.
    """
    everything = library("check")
    whole = LocalGraph.from_store(store)
    if focus is None:
        return run_checks(whole, checks=everything)
    focus = list(focus)
    by_node = [check for check in everything if node_scoped(check)]
    by_name = [check for check in everything if name_scoped(check)]
    rest = [c for c in everything if not node_scoped(c) and not name_scoped(c)]
    small = neighbourhood(store, focus, graphs=graphs, vocabulary_graphs=vocabulary_graphs)
    found = run_checks(LocalGraph.from_store(small), checks=by_node)
    if by_name:
        named = neighbourhood(
            store, namesakes(store, focus, index=index), graphs=[], vocabulary_graphs=[]
        )
        found += run_checks(LocalGraph.from_store(named), checks=by_name)
    found += run_checks(whole, checks=rest)
    return sorted(found, key=lambda item: item.id)


def failed(results: Sequence[CheckResult]) -> list[CheckResult]:
    """Return the checks that found problems.

    Parameters
    ----------
    results : sequence of CheckResult
        What :func:`run_checks` returned.

    Returns
    -------
    list of CheckResult
        Those with findings.
    """
    return [result for result in results if not result.passed]


def node_scoped(check: LibraryQuery) -> bool:
    """Whether a check's findings about a node depend only on its neighbourhood.

    That is, on the node's own triples, those of the nodes it points at, and the ontology:
    the check's header says ``#+ scope: node``.
    """
    return check.scope == "node"


def name_scoped(check: LibraryQuery) -> bool:
    """Whether a check compares entities by their names (its header says ``#+ scope: names``).

    What such a check finds depends only on the entities that share a label or alias
    (ignoring case) and on their own triples: run on :func:`neighbourhood` of
    :func:`namesakes` of the changed nodes, it finds what it finds in the whole graph.
    """
    return check.scope == "names"


def namesakes(store, nodes: Iterable[Node], *, index: NameIndex | None = None) -> set[Node]:
    """Return the IRIs among `nodes` and every entity that shares a name with one of them.

    A name is the string value of ``rdfs:label``, ``skos:prefLabel`` or ``skos:altLabel``,
    compared without case (Python's ``str.lower``, the same mapping as SPARQL's ``LCASE``
    that the name-scoped checks apply to ``STR(?name)``).

    Parameters
    ----------
    store : pyoxigraph.Store
        The whole store (its graphs read as their union).
    nodes : iterable of rdflib nodes
        The changed nodes; blank nodes are left out (no query can name them).
    index : conflictkg.store.names.NameIndex, optional
        The build's names index, up to date with `store`: the namesakes are looked up
        there instead of among every name of the store.

    Returns
    -------
    set of rdflib.URIRef

    Notes
    -----
    Without an index the store's distinct names are read once and compared in Python: at
    1,000,000 synthetic triples (89,600 names) 0.3 to 0.5 s, where comparing every
    entity's names with every other's, as the whole-graph check does, takes 1.3 s.  With
    the index it takes milliseconds: the names are looked up there, their bearers in the
    store's indexes.

    See Also
    --------
    conflictkg.store.names.NameIndex
    """
    import pyoxigraph as ox
    from rdflib import URIRef

    found: set[Node] = {node for node in nodes if isinstance(node, URIRef)}
    if not found:
        return found
    named = " ".join(f"<{node}>" for node in sorted(found))
    keys = {
        row[0].value.lower()
        for row in store.query(
            f"SELECT DISTINCT ?name WHERE {{ VALUES ?e {{ {named} }} ?e {NAME_PROPERTIES} ?name }}",
            use_default_graph_as_union=True,
        )
        if not isinstance(row[0], ox.BlankNode)
    }
    if not keys:
        return found
    if index is not None:
        shared = sorted(index.terms(keys))
    else:
        shared = [
            str(row[0])
            for row in store.query(
                f"SELECT DISTINCT ?name WHERE {{ ?e {NAME_PROPERTIES} ?name }}",
                use_default_graph_as_union=True,
            )
            if not isinstance(row[0], ox.BlankNode) and row[0].value.lower() in keys
        ]
    for (entity,) in store.query(
        f"SELECT DISTINCT ?e WHERE {{ VALUES ?name {{ {' '.join(shared)} }} "
        f"?e {NAME_PROPERTIES} ?name FILTER (isIRI(?e)) }}",
        use_default_graph_as_union=True,
    ):
        found.add(URIRef(entity.value))
    return found


def neighbourhood(
    store,
    nodes: Iterable[Node],
    *,
    graphs: Iterable[str],
    vocabulary_graphs: Iterable[str],
):
    """Return a new in-memory store with what node-scoped checks read about some nodes.

    Parameters
    ----------
    store : pyoxigraph.Store
        The whole store.
    nodes : iterable of rdflib nodes
        The focus nodes (IRIs; blank nodes come with `graphs`).
    graphs : iterable of str
        IRIs of the named graphs of the changed files, copied whole.
    vocabulary_graphs : iterable of str
        IRIs of the graphs of the ontology and code lists, copied whole.

    Returns
    -------
    pyoxigraph.Store
        The triples of those graphs, of the nodes, and of the nodes they point at, each in
        the graph it is in.
    """
    import pyoxigraph as ox
    from rdflib import URIRef

    small = ox.Store()
    for name in (*vocabulary_graphs, *graphs):
        small.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    iris = sorted({str(node) for node in nodes if isinstance(node, URIRef)})
    subjects: set = {ox.NamedNode(iri) for iri in iris}
    if iris:
        named = " ".join(f"<{iri}>" for iri in iris)
        for (value,) in store.query(
            f"SELECT DISTINCT ?o WHERE {{ VALUES ?s {{ {named} }} ?s ?p ?o "
            "FILTER (!isLiteral(?o)) }",
            use_default_graph_as_union=True,
        ):
            subjects.add(value)
    # each subject looked up in the index (one query joining them with every quad of the
    # store let Oxigraph read the whole store first)
    for subject in subjects:
        small.extend(store.quads_for_pattern(subject, None, None))
    return small
