"""Project the RDF graph onto NetworkX graphs, through explicit SPARQL views.

A projection says which resources become nodes and which statements become edges.
Classes, code-list concepts and literals never become nodes: ``rdf:type`` becomes the node
attributes ``type`` and ``kind``, literals become typed attributes (``int``, ``float``,
``bool`` or ``str``; dates stay ISO 8601 strings so that one attribute keeps one type across
all nodes, as GraphML and GEXF require).

Every edge keeps the statement behind it: ``predicate`` (IRI) and ``predicate_label``, the
``record`` (the n-ary relation or event node it comes from), its ``source`` and
``source_label``, its ``status`` (local name of the assertion status concept, e.g.
``"ClaimedByParty"``) and ``status_label``, and its dates where known (``start``, ``end``,
``date``, ``ongoing_on``). Actor-network edges also carry ``sign``: +1 for alliances, -1 for
hostilities (declared, or derived from attacks and battles), 0 otherwise.

Views
-----
``actors``
    Actor to actor: affiliation, membership, subordination, governance, partnership, severed
    ties, hostility, positions (leadership and command), plus hostility derived from attacks
    (perpetrator to targeted actor) and battles (victor to defeated party).
``events``
    Bipartite actor-event graph, one edge per role (perpetrator, targeted actor, victim,
    claimant...), with the event's date, place and codes on the event node.
``places``
    The containment hierarchy (``ckg:locatedIn``), child to parent, with coordinates where
    checked.
``full``
    Every statement between two entities (actors, places, events, records, sources), except
    typing and links to code-list concepts, which become attributes.

Examples
--------
>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
... @prefix ckg: <https://w3id.org/conflictkg/ontology#> .
... @prefix ckr: <https://w3id.org/conflictkg/id/> .
... @prefix ckc: <https://w3id.org/conflictkg/code/> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... ckr:a a ckg:JihadistGroup ; rdfs:label "A" .
... ckr:b a ckg:JihadistGroup ; rdfs:label "B" .
... ckr:src a ckg:Report ; rdfs:label "Report" .
... ckr:a-b a ckg:Affiliation ; ckg:fromActor ckr:a ; ckg:toActor ckr:b ;
...     ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
... ''')
>>> net = actor_network(g)
>>> sorted(net.nodes[n]["label"] for n in net)
['A', 'B']
>>> [(d["relation"], d["status"], d["sign"]) for _, _, d in net.edges(data=True)]
[('Affiliation', 'Reported', 1)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from conflictkg.namespaces import CKG

__all__ = [
    "VIEWS",
    "EmptyProjectionError",
    "Filters",
    "actor_event_network",
    "actor_network",
    "entity_graph",
    "place_hierarchy",
    "project",
]

_CKG = str(CKG._NS)
_GEO_HAS_GEOMETRY = URIRef("http://www.opengis.net/ont/geosparql#hasGeometry")
_GEO_AS_WKT = URIRef("http://www.opengis.net/ont/geosparql#asWKT")

#: Relation classes of the actor network and the sign of each.
RELATION_SIGNS: dict[str, int] = {
    "Affiliation": 1,
    "Membership": 1,
    "Subordination": 1,
    "Governance": 1,
    "Partnership": 1,
    "Position": 1,
    "Leadership": 1,
    "Command": 1,
    "SeveredTies": 0,
    "Hostility": -1,
}

#: Event roles of the actor-event view (all subproperties of ckg:participant, and the
#: actors of statements and evaluations).
EVENT_ROLES: tuple[str, ...] = (
    "participant",
    "perpetrator",
    "targetedActor",
    "victim",
    "responder",
    "performedBy",
    "claimant",
    "victor",
    "defeatedParty",
    "mergingActor",
    "resultingActor",
    "addressee",
)

_PREFIXES = f"""
PREFIX ckg: <{_CKG}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
"""


class EmptyProjectionError(ValueError):
    """A projection has no nodes; the message says which filters emptied it."""


@dataclass(frozen=True)
class Filters:
    """Which statements a projection keeps.

    Parameters
    ----------
    statuses : frozenset of str, optional
        Keep only statements whose assertion status local name (``"Reported"``) or label
        (``"Reported"``, case-insensitive) is in this set. ``None`` keeps all.
    exclude_statuses : frozenset of str, optional
        Leave out statements with these statuses (e.g. ``{"ClaimedByParty", "Unconfirmed"}``).
    since, until : str, optional
        ISO dates (``"2020"``, ``"2024-09"``, ``"2024-09-17"``): leave out statements known to
        lie entirely before ``since`` or after ``until``. Undated statements are kept.
    """

    statuses: frozenset[str] | None = None
    exclude_statuses: frozenset[str] = frozenset()
    since: str | None = None
    until: str | None = None

    def describe(self) -> str:
        """Say in words which filters are active."""
        parts = []
        if self.statuses is not None:
            parts.append("status in " + ", ".join(sorted(self.statuses)))
        if self.exclude_statuses:
            parts.append("status not in " + ", ".join(sorted(self.exclude_statuses)))
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        return "; ".join(parts) or "no filters"

    def keeps(self, attrs: dict) -> bool:
        """Tell whether a statement with these attributes passes the filters."""
        status = attrs.get("status")
        names = {s.lower() for s in (status, attrs.get("status_label")) if s}
        if self.statuses is not None and not names & {s.lower() for s in self.statuses}:
            return False
        if names & {s.lower() for s in self.exclude_statuses}:
            return False
        first = attrs.get("start") or attrs.get("earliest") or attrs.get("date")
        last = (
            attrs.get("end")
            or attrs.get("latest")
            or attrs.get("date")
            or attrs.get("ongoing_on")
        )
        if self.since and last and _date_key(last, end=True) < _date_key(self.since):
            return False
        if self.until and first and _date_key(first) > _date_key(self.until, end=True):
            return False
        return True


def _date_key(value: str, *, end: bool = False) -> str:
    """Pad a partial ISO date so that string comparison orders it (``2017`` -> ``2017-12-31``)."""
    value = value[:10]
    if len(value) == 4:
        return value + ("-12-31" if end else "-01-01")
    if len(value) == 7:
        return value + ("-31" if end else "-01")
    return value


def _python(term) -> object:
    """Turn an RDF literal into a typed Python attribute value (dates stay strings)."""
    if isinstance(term, Literal):
        dt = term.datatype
        if dt in (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger, XSD.positiveInteger):
            return int(term)
        if dt in (XSD.decimal, XSD.double, XSD.float):
            return float(term)
        if dt == XSD.boolean:
            return term.toPython()
        return str(term)
    return str(term)


def _local(iri) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


class _Labels:
    """Cache of labels and most specific ckg types, read from the graph once."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.label: dict = {}
        for pred in (SKOS.prefLabel, RDFS.label):  # rdfs:label wins: short names in tables
            for s, o in graph.subject_objects(pred):
                if not isinstance(o, Literal) or o.language not in (None, "en"):
                    continue
                self.label[s] = str(o)
        self.super: dict[URIRef, set[URIRef]] = {}
        for s, o in graph.subject_objects(RDFS.subClassOf):
            self.super.setdefault(s, set()).add(o)

    def name(self, node) -> str:
        return self.label.get(node) or _local(node)

    def ancestors(self, cls: URIRef) -> set[URIRef]:
        seen: set[URIRef] = set()
        todo = [cls]
        while todo:
            for parent in self.super.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def types(self, node) -> list[URIRef]:
        """Return the node's ckg types, most specific first (dropping types others specialise)."""
        asserted = [t for t in self.graph.objects(node, RDF.type) if str(t).startswith(_CKG)]
        inherited = set().union(*(self.ancestors(t) for t in asserted)) if asserted else set()
        specific = sorted((t for t in asserted if t not in inherited), key=str)
        return specific or sorted(asserted, key=str)

    def kind(self, node) -> str:
        classes = set(self.types(node))
        for t in list(classes):
            classes |= self.ancestors(t)
        for name in ("Actor", "Place", "Event", "Source", "Count", "ActorRelation"):
            if CKG[name] in classes:
                return {"ActorRelation": "relation", "Count": "count"}.get(name, name.lower())
        if CKG.SourcedRecord in classes:
            return "record"
        return "other"


def _node_attributes(labels: _Labels, node) -> dict:
    types = labels.types(node)
    attrs = {
        "iri": str(node),
        "label": labels.name(node),
        "type": _local(types[0]) if types else "Resource",
        "types": "|".join(_local(t) for t in types),
        "kind": labels.kind(node),
    }
    g = labels.graph
    for pred, key in ((CKG.foundingDate, "founded"), (CKG.date, "date"),
                      (CKG.earliestDate, "earliest"), (CKG.latestDate, "latest"),
                      (CKG.ongoingOn, "ongoing_on")):
        value = g.value(node, pred)
        if value is not None:
            attrs[key] = _python(value)
    for pred, key in ((CKG.timePrecision, "time_precision"),
                      (CKG.geographicPrecision, "geographic_precision"),
                      (CKG.assertionStatus, "status")):
        value = g.value(node, pred)
        if value is not None:
            attrs[key] = _local(value)
    source = g.value(node, CKG.assertedBy)
    if source is not None:
        attrs["source"] = str(source)
        attrs["source_label"] = labels.name(source)
    wkt = g.value(g.value(node, _GEO_HAS_GEOMETRY), _GEO_AS_WKT) if (
        g.value(node, _GEO_HAS_GEOMETRY) is not None) else None
    if wkt is not None:
        lon, lat = _parse_point(str(wkt))
        attrs["longitude"], attrs["latitude"] = lon, lat
    return attrs


def _parse_point(wkt: str) -> tuple[float, float]:
    inner = wkt[wkt.index("(") + 1 : wkt.index(")")].split()
    return float(inner[0]), float(inner[1])


def _record_attributes(labels: _Labels, record) -> dict:
    """Provenance and dates of the record (relation or event) an edge comes from."""
    g = labels.graph
    attrs: dict = {"record": str(record), "record_label": labels.name(record)}
    source = g.value(record, CKG.assertedBy)
    if source is not None:
        attrs["source"] = str(source)
        attrs["source_label"] = labels.name(source)
    status = g.value(record, CKG.assertionStatus)
    if status is not None:
        attrs["status"] = _local(status)
        attrs["status_label"] = labels.name(status)
    for pred, key in ((CKG.startDate, "start"), (CKG.endDate, "end"), (CKG.date, "date"),
                      (CKG.earliestDate, "earliest"), (CKG.latestDate, "latest"),
                      (CKG.ongoingOn, "ongoing_on")):
        value = g.value(record, pred)
        if value is not None:
            attrs[key] = _python(value)
    return attrs


def _select(graph: Graph, query: str) -> Iterable:
    return graph.query(_PREFIXES + query)


def _values(names: Iterable[str]) -> str:
    return " ".join(f"ckg:{n}" for n in names)


def _add_node(net: nx.Graph, labels: _Labels, node) -> None:
    if str(node) not in net:
        net.add_node(str(node), **_node_attributes(labels, node))


def _finish(net: nx.Graph, filters: Filters, view: str) -> nx.Graph:
    if net.number_of_nodes() == 0:
        raise EmptyProjectionError(
            f"the {view} view is empty with {filters.describe()}"
            + ("" if filters == Filters() else ": loosen the filters")
        )
    net.graph["view"] = view
    net.graph["filters"] = filters.describe()
    return net


def actor_network(graph: Graph, *, filters: Filters | None = None) -> nx.MultiDiGraph:
    """Actors linked by relations and by hostility derived from attacks and battles.

    Parameters
    ----------
    graph : rdflib.Graph
        The data, with the ontology (for subclass links) or without it.
    filters : Filters, optional
        Statuses and dates to keep.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are actor IRIs; one edge per relation record or per attack or battle.
    """
    filters = filters or Filters()
    labels = _Labels(graph)
    net = nx.MultiDiGraph()
    rows = _select(graph, f"""
        SELECT ?record ?cls ?from ?to WHERE {{
            VALUES ?cls {{ {_values(RELATION_SIGNS)} }}
            ?record a ?cls ; ckg:fromActor ?from ; ckg:toActor ?to .
        }}""")
    for record, cls, source, target in rows:
        attrs = _record_attributes(labels, record)
        if not filters.keeps(attrs):
            continue
        relation = _local(cls)
        attrs.update(
            relation=relation,
            predicate=str(cls),
            predicate_label=labels.name(cls),
            sign=RELATION_SIGNS[relation],
            derived=False,
        )
        _add_node(net, labels, source)
        _add_node(net, labels, target)
        net.add_edge(str(source), str(target), key=str(record), **attrs)
    rows = _select(graph, """
        SELECT ?event ?role ?a ?b WHERE {
            { ?event ckg:perpetrator ?a ; ckg:targetedActor ?b . BIND (ckg:perpetrator AS ?role) }
            UNION
            { ?event ckg:victor ?a ; ckg:defeatedParty ?b . BIND (ckg:victor AS ?role) }
        }""")
    for event, role, source, target in rows:
        if source == target:
            continue
        attrs = _record_attributes(labels, event)
        if not filters.keeps(attrs):
            continue
        attrs.update(
            relation="Hostility",
            predicate=str(role),
            predicate_label=f"hostility derived from {labels.name(event)}",
            sign=-1,
            derived=True,
        )
        _add_node(net, labels, source)
        _add_node(net, labels, target)
        net.add_edge(str(source), str(target), key=f"{event}#{_local(role)}", **attrs)
    return _finish(net, filters, "actors")


def actor_event_network(graph: Graph, *, filters: Filters | None = None) -> nx.MultiDiGraph:
    """Bipartite graph of actors and events, one edge per role, actor to event.

    Nodes have ``bipartite`` = 0 for actors and 1 for events.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix ckg: <https://w3id.org/conflictkg/ontology#> .
    ... @prefix ckr: <https://w3id.org/conflictkg/id/> .
    ... ckr:a a ckg:JihadistGroup . ckr:e a ckg:Attack ; ckg:perpetrator ckr:a .
    ... ''')
    >>> net = actor_event_network(g)
    >>> [(u.rsplit("/", 1)[1], v.rsplit("/", 1)[1], d["role"]) for u, v, d in net.edges(data=True)]
    [('a', 'e', 'perpetrator')]
    """
    filters = filters or Filters()
    labels = _Labels(graph)
    net = nx.MultiDiGraph()
    rows = _select(graph, f"""
        SELECT ?event ?role ?actor WHERE {{
            VALUES ?role {{ {_values(EVENT_ROLES)} }}
            ?event ?role ?actor .
        }}""")
    for event, role, actor in rows:
        attrs = _record_attributes(labels, event)
        if not filters.keeps(attrs):
            continue
        _add_node(net, labels, actor)
        _add_node(net, labels, event)
        net.nodes[str(actor)]["bipartite"] = 0
        net.nodes[str(event)]["bipartite"] = 1
        attrs.update(role=_local(role), predicate=str(role), predicate_label=labels.name(role))
        net.add_edge(str(actor), str(event), key=f"{event}#{_local(role)}", **attrs)
    for event in [n for n, d in net.nodes(data=True) if d["bipartite"] == 1]:
        place = graph.value(URIRef(event), CKG.place)
        if place is not None:
            net.nodes[event]["place"] = str(place)
            net.nodes[event]["place_label"] = labels.name(place)
    return _finish(net, filters, "events")


def place_hierarchy(graph: Graph) -> nx.DiGraph:
    """Places and their containment, child to parent (``ckg:locatedIn``), with coordinates.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix ckg: <https://w3id.org/conflictkg/ontology#> .
    ... @prefix ckr: <https://w3id.org/conflictkg/id/> .
    ... ckr:city a ckg:City ; ckg:locatedIn ckr:country . ckr:country a ckg:Country .
    ... ''')
    >>> [(u.rsplit("/", 1)[1], v.rsplit("/", 1)[1]) for u, v in place_hierarchy(g).edges]
    [('city', 'country')]
    """
    labels = _Labels(graph)
    net = nx.DiGraph()
    for child, parent in _select(graph, "SELECT ?c ?p WHERE { ?c ckg:locatedIn ?p }"):
        _add_node(net, labels, child)
        _add_node(net, labels, parent)
        net.add_edge(
            str(child), str(parent), predicate=str(CKG.locatedIn), predicate_label="located in"
        )
    return _finish(net, Filters(), "places")


def entity_graph(graph: Graph, *, filters: Filters | None = None) -> nx.MultiDiGraph:
    """Every statement between two entities of the ckg classes, with its record's provenance.

    Typing, labels, literals and links to code-list concepts are node attributes, not nodes.
    """
    filters = filters or Filters()
    labels = _Labels(graph)
    typed = {s for s, o in graph.subject_objects(RDF.type) if str(o).startswith(_CKG)}
    net = nx.MultiDiGraph()
    for s, p, o in graph:
        if p == RDF.type or s not in typed or o not in typed:
            continue
        if isinstance(s, BNode) or isinstance(o, BNode):
            continue
        attrs = _record_attributes(labels, s)
        if not filters.keeps(attrs):
            continue
        attrs.update(predicate=str(p), predicate_label=labels.name(p))
        _add_node(net, labels, s)
        _add_node(net, labels, o)
        net.add_edge(str(s), str(o), key=f"{s}|{p}|{o}", **attrs)
    return _finish(net, filters, "full")


#: View names and the functions that build them.
VIEWS = {
    "actors": actor_network,
    "events": actor_event_network,
    "places": lambda graph, *, filters=None: place_hierarchy(graph),
    "full": entity_graph,
}


def project(graph: Graph, view: str, *, filters: Filters | None = None) -> nx.Graph:
    """Build the named view (``actors``, ``events``, ``places`` or ``full``).

    Examples
    --------
    >>> project(Graph(), "people")
    Traceback (most recent call last):
    ...
    ValueError: unknown view 'people'; choose one of: actors, events, places, full
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    return VIEWS[view](graph, filters=filters)
