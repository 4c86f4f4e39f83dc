"""The RDFS closure of a store, computed by SPARQL updates in Oxigraph.

The same rules as :mod:`conflictkg.rdf.reasoning` (rdfs2, 3, 5, 7, 9 and 11, without the
axiomatic and reflexive triples), applied where the data is: the schema's subproperty
and subclass hierarchies, domains and ranges are read once (they are small) and closed in
Python; each rule is then one ``INSERT`` over the store, its pairs in a ``VALUES`` block,
writing only triples the store does not already hold into one named graph,
:data:`CLOSURE_GRAPH`.  The questions asked over the closure (``#+ reasoning: rdfs``)
read a copy of the data store with that graph added (:meth:`BuiltStore.store`).

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.load(format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:g"), input='''
...   @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...   <urn:perpetrator> rdfs:subPropertyOf <urn:participant> .
...   <urn:participant> rdfs:domain <urn:Event> .
...   <urn:Event> rdfs:subClassOf <urn:Happening> .
...   <urn:attack> <urn:perpetrator> <urn:group> .
... ''')
>>> add_rdfs_closure(store)
3
>>> sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode("urn:attack"), None, None))
['urn:Event', 'urn:Happening', 'urn:group', 'urn:group']
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

__all__ = ["CLOSURE_GRAPH", "add_rdfs_closure"]

#: The named graph that holds the triples the RDFS rules derive.
CLOSURE_GRAPH = "urn:conflictkg:rdfs-closure"

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def _pairs(store: ox.Store, predicate: str) -> list[tuple[str, str]]:
    answer = store.query(
        f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{predicate}> ?b FILTER (isIRI(?a) && isIRI(?b)) }}",
        use_default_graph_as_union=True,
    )
    return [(row[0].value, row[1].value) for row in answer]


def _closed(pairs: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Transitive closure of a relation given as pairs (low, high)."""
    direct: dict[str, set[str]] = defaultdict(set)
    for low, high in pairs:
        direct[low].add(high)
    closed: dict[str, set[str]] = {}
    for start in list(direct):
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            todo.extend(direct.get(node, ()))
        closed[start] = seen - {start}
    return closed


def _insert(store: ox.Store, values: list[tuple[str, str]], template: str, where: str) -> None:
    """Add the triples `template` that `where` derives and the store does not hold yet.

    ``Store.update`` cannot read the union of the named graphs, so the new triples are
    selected from the union and added in batches.
    """
    if not values:
        return
    block = " ".join(f"(<{a}> <{b}>)" for a, b in values)
    subject, predicate, obj = template.split()
    answer = store.query(
        f"""SELECT DISTINCT {subject} {predicate} {obj}
            WHERE {{ VALUES (?a ?b) {{ {block} }} {where}
                     FILTER NOT EXISTS {{ {template} }} }}""".replace(
            f"SELECT DISTINCT {subject} {predicate} {obj}",
            "SELECT DISTINCT " + " ".join(
                term for term in (subject, predicate, obj) if term.startswith("?")
            ),
        ),
        use_default_graph_as_union=True,
    )
    graph = ox.NamedNode(CLOSURE_GRAPH)
    names = [v.value for v in answer.variables]
    fixed = {
        position: ox.NamedNode(term[1:-1])
        for position, term in enumerate((subject, predicate, obj))
        if not term.startswith("?")
    }
    batch = []
    for row in answer:
        found = dict(zip(names, row, strict=True))
        terms = [
            fixed[i] if i in fixed else found[term[1:]]
            for i, term in enumerate((subject, predicate, obj))
        ]
        batch.append(ox.Quad(terms[0], terms[1], terms[2], graph))
    for start in range(0, len(batch), 100_000):
        store.extend(batch[start : start + 100_000])


def add_rdfs_closure(store: ox.Store) -> int:
    """Add to `store` the triples the RDFS rules derive from it (into :data:`CLOSURE_GRAPH`).

    Parameters
    ----------
    store : pyoxigraph.Store
        Schema and data, in any named graphs.

    Returns
    -------
    int
        The number of triples added.
    """
    before = len(store)
    sub_property = _closed(_pairs(store, _RDFS + "subPropertyOf"))
    sub_class = _closed(_pairs(store, _RDFS + "subClassOf"))
    # rdfs5 and rdfs11: the transitive links themselves
    _insert(store, [(a, b) for a, bs in sub_property.items() for b in bs],
            f"?a <{_RDFS}subPropertyOf> ?b", "")
    _insert(store, [(a, b) for a, bs in sub_class.items() for b in bs],
            f"?a <{_RDFS}subClassOf> ?b", "")
    # rdfs7: every statement under each super-property
    _insert(store, [(a, b) for a, bs in sub_property.items() for b in bs],
            "?s ?b ?o", "?s ?a ?o .")
    # rdfs2 and rdfs3: domains and ranges, on stated and derived statements alike
    _insert(store, _pairs(store, _RDFS + "domain"), f"?s <{_RDF_TYPE}> ?b", "?s ?a ?o .")
    _insert(store, _pairs(store, _RDFS + "range"), f"?o <{_RDF_TYPE}> ?b",
            "?s ?a ?o . FILTER (!isLiteral(?o))")
    # rdfs9: each type's superclasses
    _insert(store, [(a, b) for a, bs in sub_class.items() for b in bs],
            f"?x <{_RDF_TYPE}> ?b", f"?x <{_RDF_TYPE}> ?a .")
    return len(store) - before
