"""RDF terms: local names, compact names, and the one rdflib <-> pyoxigraph converter.

rdflib holds the graph that pySHACL and the analyses read; pyoxigraph parses, writes and
queries it fast.  Terms cross between the two only through :func:`to_oxigraph` and
:func:`from_oxigraph`, which cache what they convert (IRIs and literals are immutable).

Examples
--------
>>> from rdflib import Graph, Literal, URIRef
>>> node = URIRef("https://w3id.org/conflictkg/id/event-1")
>>> compact(node, namespace_manager_for())
'ckr:event-1'
>>> local_name("https://w3id.org/conflictkg/ontology#Event"), local_name("urn:x:jnim")
('Event', 'jnim')
>>> ox_term = to_oxigraph()(Literal("Raid", lang="en"))
>>> ox_term
<Literal value=Raid language=en>
>>> from_oxigraph()(ox_term) == Literal("Raid", lang="en")
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from conflictkg.namespaces import PREFIXES

__all__ = ["compact", "from_oxigraph", "local_name", "namespace_manager_for", "to_oxigraph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_SEPARATORS = "#/:"


def local_name(iri: object) -> str:
    """Return the part of an IRI after its last ``#``, ``/`` or ``:``.

    Parameters
    ----------
    iri : str or rdflib.URIRef
        An IRI (trailing separators are ignored).

    Returns
    -------
    str
        The local name, or the IRI itself when it has no separator.

    Examples
    --------
    >>> local_name("https://w3id.org/conflictkg/code/ClaimedByParty")
    'ClaimedByParty'
    >>> local_name("https://w3id.org/conflictkg/ontology#"), local_name("plain")
    ('ontology', 'plain')
    """
    text = str(iri)
    trimmed = text.rstrip(_SEPARATORS)
    cut = max(trimmed.rfind(separator) for separator in _SEPARATORS)
    return trimmed[cut + 1 :] or text


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


def compact(term: Node, manager: NamespaceManager | None = None) -> str:
    """Write `term` briefly: ``prefix:name`` for IRIs when possible.

    Parameters
    ----------
    term : rdflib.term.Node
        An IRI, blank node or literal.
    manager : rdflib.namespace.NamespaceManager, optional
        Prefixes to use (default: the project prefixes).

    Returns
    -------
    str
        A compact IRI, the full IRI when no prefix fits, ``_:id`` for blank
        nodes, and Turtle syntax for literals.
    """
    if manager is None:
        manager = namespace_manager_for()
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


def to_oxigraph(cache: dict[Any, Any] | None = None) -> Callable[[Node], Any]:
    """Return a caching function from rdflib terms to pyoxigraph terms.

    Parameters
    ----------
    cache : dict, optional
        Where converted terms are kept (a new dict by default); share one between
        converters to share their work.

    Returns
    -------
    callable
        ``convert(term)``; it raises :class:`TypeError` for a term pyoxigraph cannot
        hold (such as a quoted graph).
    """
    cache = {} if cache is None else cache

    def convert(term: Node) -> Any:
        found = cache.get(term)
        if found is not None:
            return found
        if isinstance(term, URIRef):
            found = ox.NamedNode(str(term))
        elif isinstance(term, BNode):
            found = ox.BlankNode(str(term))
        elif isinstance(term, Literal):
            if term.language:
                found = ox.Literal(str(term), language=term.language)
            elif term.datatype is not None:
                found = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            else:
                found = ox.Literal(str(term))
        else:
            raise TypeError(f"cannot convert the RDF term {term!r} for Oxigraph")
        cache[term] = found
        return found

    return convert


def from_oxigraph(
    cache: dict[Any, Any] | None = None, *, blank_nodes: dict[str, BNode] | None = None
) -> Callable[[Any], Any]:
    """Return a caching function from pyoxigraph terms to rdflib terms.

    Parameters
    ----------
    cache : dict, optional
        Where converted IRIs and literals are kept (a new dict by default).
    blank_nodes : dict, optional
        When given, each blank node label is mapped to a new blank node, kept in this
        dict: one dict per parsed document gives each document its own blank nodes, as
        Turtle's document-scoped labels require.  Without it a blank node keeps its label.

    Returns
    -------
    callable
        ``convert(term)``: ``None`` stays ``None`` (an unbound answer cell); it raises
        :class:`TypeError` for RDF 1.2 triple terms and for literals with a base
        direction, which rdflib cannot hold.
    """
    cache = {} if cache is None else cache
    named_node, blank_node, literal = ox.NamedNode, ox.BlankNode, ox.Literal

    def convert(term: Any) -> Any:
        kind = type(term)
        if kind is named_node:
            iri = term.value
            found = cache.get(iri)
            if found is None:
                found = cache[iri] = URIRef(iri)
            return found
        if kind is blank_node:
            if blank_nodes is None:
                return BNode(term.value)
            found = blank_nodes.get(term.value)
            if found is None:
                found = blank_nodes[term.value] = BNode()
            return found
        if kind is not literal:
            if term is None:
                return None
            raise TypeError("RDF 1.2 triple terms (<<( ... )>>) are not supported")
        key = (term.value, term.language, term.datatype.value)
        found = cache.get(key)
        if found is None:
            if term.language:
                if getattr(term, "direction", None) is not None:
                    raise TypeError(
                        "literals with a base direction (--ltr/--rtl) are not supported"
                    )
                found = Literal(term.value, lang=term.language)
            elif key[2] == _XSD_STRING:
                found = Literal(term.value)
            else:
                found = Literal(term.value, datatype=URIRef(key[2]))
            cache[key] = found
        return found

    return convert
