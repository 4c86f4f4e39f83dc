"""RDFS inference: the closure under the rules that derive facts from a schema.

The standard-vocabulary questions (``?attack wdt:P8031 ?who``, ``?event a
sem:Event``) only have answers once the subclass and subproperty links of
``ontology/alignments.ttl`` have been applied to the data.  :func:`rdfs_closure`
computes that closure with the six rules of the *minimal RDFS* fragment (ρdf):

========  =====================================================================
rule      if ... then ...
========  =====================================================================
rdfs5     ``p sp q``, ``q sp r``  →  ``p sp r``   (subproperty transitivity)
rdfs7     ``x p y``, ``p sp q``   →  ``x q y``    (subproperty inheritance)
rdfs11    ``A sc B``, ``B sc C``  →  ``A sc C``   (subclass transitivity)
rdfs9     ``x a A``, ``A sc B``   →  ``x a B``    (type inheritance)
rdfs2     ``x p y``, ``p domain A`` →  ``x a A``
rdfs3     ``x p y``, ``p range A``  →  ``y a A``  (not for literal ``y``)
========  =====================================================================

Left out, on purpose: the axiomatic triples (``rdf:_1 a
rdfs:ContainerMembershipProperty``...), the reflexive ones (``p sp p``, ``A sc
A``), ``x a rdfs:Resource`` for every term and the datatype rules.  They hold
in every graph, answer no question a researcher asks, and would more than
double the graph.  OWL semantics (``owl:TransitiveProperty`` on
``ckg:locatedIn``, ``owl:SymmetricProperty``) are not applied either: the
questions use property paths (``ckg:locatedIn+``) for those.

Speed
-----
Measured on the project graph (ontology, code lists and data: 3,083 triples,
4,509 after closure) and on the same plus the synthetic graph of 100,000
triples (103,156, 243,955 after closure), on the 2-core development machine
(shared), Python 3.11, rdflib 7.6, owlrl 7.6.2:

* :func:`rdfs_closure`: 0.066 s (median of 5) and 5.0 s (median of 3); most
  of the time goes into adding triples to rdflib's store;
* owlrl's ``DeductiveClosure(RDFS_Semantics).expand``: 0.86 s (median of 3)
  and 77.7 s (one run).  It gives 2,092 more triples on the project graph:
  axiomatic and reflexive triples, types of literals, and 66 copies of SKOS
  labels and notations whose language tag it dropped or added (``"Riots"``
  beside ``"Riots"@en``), which RDFS does not entail.

Every triple of :func:`rdfs_closure` is in owlrl's closure, and both give the
same answers to the questions of ``queries/cq/`` marked ``#+ reasoning:
rdfs`` (``tests/test_query_reasoning.py`` checks both).

References
----------
.. [1] P. Hayes and P. F. Patel-Schneider (eds.), "RDF 1.1 Semantics",
   W3C Recommendation, 2014, section 9.2.1 (RDFS entailment rules).
   https://www.w3.org/TR/rdf11-mt/
.. [2] S. Muñoz, J. Pérez and C. Gutierrez, "Simple and efficient minimal
   RDFS", Journal of Web Semantics 7(3), 220-234, 2009.
   https://doi.org/10.1016/j.websem.2009.07.003

Examples
--------
>>> from conflictkg.rdf.loading import turtle_graph
>>> g = turtle_graph('''
...     @prefix ex: <http://example.org/> .
...     ex:perpetrator rdfs:subPropertyOf ex:participant .
...     ex:participant rdfs:subPropertyOf ex:hasActor ; rdfs:domain ex:Event .
...     ex:Event rdfs:subClassOf ex:Happening .
...     ex:attack ex:perpetrator ex:group .
... ''')
>>> closed = rdfs_closure(g)
>>> from rdflib import URIRef
>>> EX = "http://example.org/"
>>> (URIRef(EX + "attack"), URIRef(EX + "hasActor"), URIRef(EX + "group")) in closed
True
>>> sorted(str(t)[len(EX):] for t in closed.objects(URIRef(EX + "attack"), RDF.type))
['Event', 'Happening']
>>> len(inferred_triples(g))
5
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from conflictkg.rdf.loading import new_graph

__all__ = ["inferred_triples", "rdfs_closure"]

Triple = tuple[Node, Node, Node]


def _transitive(pairs: Iterable[tuple[Node, Node]]) -> dict[Node, set[Node]]:
    """Return, for every node, the nodes it reaches through one or more `pairs`."""
    direct: dict[Node, set[Node]] = defaultdict(set)
    for low, high in pairs:
        if low != high:
            direct[low].add(high)
    reach: dict[Node, set[Node]] = {}

    def walk(start: Node) -> set[Node]:
        seen: set[Node] = set()
        stack = list(direct.get(start, ()))
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            known = reach.get(node)
            if known is not None:
                seen |= known
            else:
                stack.extend(direct.get(node, ()))
        seen.discard(start)
        return seen

    for node in list(direct):
        reach[node] = walk(node)
    return reach


def inferred_triples(*graphs: Graph) -> Graph:
    """Return the triples the RDFS rules derive from `graphs` that they do not state.

    Parameters
    ----------
    *graphs : rdflib.Graph
        Schema and data together (ontology, alignments, code lists, data), in
        any split: the rules are applied to their union.

    Returns
    -------
    rdflib.Graph
        Only the new triples (rules rdfs2, 3, 5, 7, 9 and 11; see the module
        notes for what is left out).
    """
    stated: set[Triple] = set()
    for graph in graphs:
        stated.update(graph)  # type: ignore[arg-type]
    sub_property = _transitive(
        (s, o) for s, p, o in stated if p == RDFS.subPropertyOf
    )
    sub_class = _transitive((s, o) for s, p, o in stated if p == RDFS.subClassOf)
    domains: dict[Node, set[Node]] = defaultdict(set)
    ranges: dict[Node, set[Node]] = defaultdict(set)
    for s, p, o in stated:
        if p == RDFS.domain:
            domains[s].add(o)
        elif p == RDFS.range:
            ranges[s].add(o)

    new: set[Triple] = set()
    # rdfs5 and rdfs11: the transitive links themselves.
    for low, highs in sub_property.items():
        new.update((low, RDFS.subPropertyOf, high) for high in highs)
    for low, highs in sub_class.items():
        new.update((low, RDFS.subClassOf, high) for high in highs)
    # rdfs7: every statement under each super-property.
    expanded: set[Triple] = set(stated)
    for s, p, o in stated:
        for high in sub_property.get(p, ()):
            expanded.add((s, high, o))
    expanded |= new
    # rdfs2 and rdfs3, on stated and derived statements alike.
    types: set[tuple[Node, Node]] = set()
    for s, p, o in expanded:
        if p == RDF.type:
            types.add((s, o))
        for cls in domains.get(p, ()):
            types.add((s, cls))
        if not isinstance(o, Literal):
            for cls in ranges.get(p, ()):
                types.add((o, cls))
    # rdfs9: each type's superclasses.
    for node, cls in list(types):
        for high in sub_class.get(cls, ()):
            types.add((node, high))
    expanded.update((node, RDF.type, cls) for node, cls in types)

    result = new_graph()
    add = result.add
    for triple in expanded:
        if triple not in stated:
            add(triple)
    return result


def rdfs_closure(*graphs: Graph) -> Graph:
    """Return a new graph with the triples of `graphs` and all that RDFS derives from them.

    Parameters
    ----------
    *graphs : rdflib.Graph
        Schema and data, e.g. ``rdfs_closure(ontology_graph, data_graph)``.

    Returns
    -------
    rdflib.Graph
        The union of `graphs` and :func:`inferred_triples`; the inputs are
        not changed.  Prefixes of the inputs are kept.
    """
    result = new_graph()
    for graph in graphs:
        for prefix, namespace in graph.namespaces():
            if prefix and prefix not in dict(result.namespaces()):
                result.bind(prefix, namespace, override=False)
        result += graph
    result += inferred_triples(*graphs)
    return result
