"""Human-readable names for RDF terms: labels and compact IRIs.

Examples
--------
>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDFS
>>> g = Graph()
>>> node = URIRef("https://w3id.org/conflictkg/id/event-1")
>>> _ = g.add((node, RDFS.label, Literal("Raid", lang="fr")))
>>> _ = g.add((node, RDFS.label, Literal("Raid on the market", lang="en")))
>>> preferred_label(node, g)
'Raid on the market'
>>> compact(node, namespace_manager_for(g))
'ckr:event-1'
>>> local_name(URIRef("https://w3id.org/conflictkg/ontology#Event"))
'Event'
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS, NamespaceManager
from rdflib.term import Node

from conflictkg.namespaces import PREFIXES

__all__ = [
    "LABEL_PREDICATES",
    "compact",
    "local_name",
    "namespace_manager_for",
    "preferred_label",
]

#: Predicates read for a label, in order of preference.
LABEL_PREDICATES: tuple[URIRef, ...] = (RDFS.label, SKOS.prefLabel)

def _language_rank(literal: Literal, language: str) -> tuple[int, str, str]:
    """Rank a label: the wanted language first, then untagged, then the rest."""
    tag = (literal.language or "").lower()
    if tag == language or tag.startswith(language + "-"):
        rank = 0
    elif not tag:
        rank = 1
    else:
        rank = 2
    return (rank, tag, str(literal))


def preferred_label(
    node: Node,
    *graphs: Graph,
    predicates: Sequence[URIRef] = LABEL_PREDICATES,
    language: str = "en",
) -> str | None:
    """Return the best label of `node`, or ``None`` if it has none.

    Parameters
    ----------
    node : rdflib.term.Node
        The resource to name.
    *graphs : rdflib.Graph
        Graphs to look in, in order.
    predicates : sequence of rdflib.URIRef, optional
        Label predicates in order of preference; the first predicate with a
        literal value in any graph wins.
    language : str, default "en"
        Preferred language tag; untagged labels come next, then others.

    Returns
    -------
    str or None
        The label text.
    """
    for predicate in predicates:
        found = [
            value
            for graph in graphs
            for value in graph.objects(node, predicate)
            if isinstance(value, Literal)
        ]
        if found:
            return str(min(found, key=lambda lit: _language_rank(lit, language)))
    return None


def local_name(iri: str) -> str:
    """Return the part of `iri` after its last ``#`` or ``/``.

    Parameters
    ----------
    iri : str
        An IRI.

    Returns
    -------
    str
        The local name, or `iri` itself if it ends in a separator.
    """
    cut = max(iri.rfind("#"), iri.rfind("/"))
    tail = iri[cut + 1 :]
    return tail or iri


def namespace_manager_for(*graphs: Graph) -> NamespaceManager:
    """Build a namespace manager knowing the project prefixes and those of `graphs`.

    The graphs themselves are not changed.

    Parameters
    ----------
    *graphs : rdflib.Graph
        Graphs whose bound prefixes are copied.

    Returns
    -------
    rdflib.namespace.NamespaceManager
        The project prefixes (:data:`conflictkg.namespaces.PREFIXES`) and
        rdflib's defaults, then those of `graphs` that do not clash.
    """
    manager = NamespaceManager(Graph(bind_namespaces="core"), bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, override=True, replace=True)
    taken = {str(namespace) for _, namespace in manager.namespaces()}
    known = {prefix for prefix, _ in manager.namespaces()}
    for graph in graphs:
        for prefix, namespace in graph.namespaces():
            if prefix and prefix not in known and str(namespace) not in taken:
                manager.bind(prefix, namespace, override=False)
                known.add(prefix)
                taken.add(str(namespace))
    return manager


def compact(term: Node, manager: NamespaceManager) -> str:
    """Write `term` briefly: ``prefix:name`` for IRIs when possible.

    Parameters
    ----------
    term : rdflib.term.Node
        An IRI, blank node or literal.
    manager : rdflib.namespace.NamespaceManager
        Prefixes to use.

    Returns
    -------
    str
        A compact IRI, the full IRI when no prefix fits, ``_:id`` for blank
        nodes, and Turtle syntax for literals.
    """
    if isinstance(term, URIRef):
        try:
            return manager.curie(str(term), generate=False)
        except (KeyError, ValueError):
            return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return term.n3(manager)
    return str(term)

