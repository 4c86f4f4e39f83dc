"""Project the RDF graph onto NetworkX graphs, through explicit SPARQL views.

A projection says which resources become nodes and which statements become edges.
Classes, code-list concepts and literals never become nodes: ``rdf:type`` becomes the node
attributes ``type`` and ``kind``, links to code-list concepts become attributes holding the
concept's local name (``status``, ``time_precision``, ``acled_event_type``...) and label, and
literals become typed attributes (``int``, ``float``, ``bool`` or ``str``; dates stay ISO 8601
strings so that one attribute keeps one type across all nodes, as GraphML and GEXF require).

Every edge keeps the statement behind it: ``predicate`` (IRI) and ``predicate_label``, the
``record`` (the n-ary relation or event node it comes from) and ``record_label``, its
``source`` and ``source_label``, its ``status`` (local name of the assertion status concept,
e.g. ``"ClaimedByParty"``) and ``status_label``, and its dates where known (``start``,
``end``, ``date``, ``earliest``, ``latest``, ``ongoing_on``). Actor-network edges also carry
``relation`` (the relation class), ``sign`` (+1 for alliances and other positive ties, -1 for
hostilities, declared or derived from attacks and battles, 0 for severed ties) and
``derived`` (whether the edge was inferred from an event rather than stated as a relation).

Views
-----
``actors``
    Actor to actor: affiliation, membership, subordination, governance, partnership, severed
    ties, hostility, positions (leadership and command, with role and rank), membership of a
    collective (``ckg:memberOfCollective``, unsourced), plus hostility derived from attacks
    (perpetrator to targeted actor) and battles (victor to defeated party).
``events``
    Bipartite actor-event graph, one edge per role (perpetrator, targeted actor, victim,
    claimant...), with the event's dates, precision, place and codes on the event node.
``places``
    The containment hierarchy (``ckg:locatedIn``), child to parent, with coordinates where
    checked.
``full``
    Every statement between two entities (actors, places, events, records), except typing,
    links to code-list concepts (attributes) and ``ckg:assertedBy`` (the ``source`` attribute
    of every edge: as an edge it would make the report the hub of every path). Roles in
    events go from the actor to the event, as in ``events``, with the role in ``role``.

Filters
-------
:class:`Filters` keeps statements by assertion status and by date. A statement is left out by
``since`` only when it is known to have ended before that date, and by ``until`` only when it
is known to have started after it; undated statements are kept. When the filters leave a
view empty, :class:`EmptyProjectionError` says how many statements each filter removed.

Examples
--------
>>> from rdflib import Graph
>>> from conflictkg.rdf.loading import turtle_graph
>>> g = turtle_graph('''
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
>>> actor_network(g, filters=Filters(exclude_statuses=frozenset({"Reported"})))
Traceback (most recent call last):
...
conflictkg.errors.EmptyProjectionError: the actors view is empty with status not in \
Reported: the filters left out all 1 statement(s) (status: 1)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from conflictkg.errors import EmptyProjectionError, UsageError
from conflictkg.namespaces import CKG
from conflictkg.projection.counts import count_attributes
from conflictkg.projection.filters import Filters
from conflictkg.rdf.labels import label_table
from conflictkg.rdf.terms import local_name

__all__ = [
    "EVENT_ROLES",
    "LIST_ATTRIBUTES",
    "RELATION_SIGNS",
    "VIEWS",
    "Link",
    "ViewDefinition",
    "actor_event_network",
    "actor_network",
    "build_view",
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
    "evaluator",
)

#: Links from a node to code-list concepts, kept as node attributes (local names joined by
#: ``|`` when there are several, and the labels in ``<name>_label``).
_CODE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("assertionStatus", "status"),
    ("timePrecision", "time_precision"),
    ("partOfDay", "part_of_day"),
    ("geographicPrecision", "geographic_precision"),
    ("acledEventType", "acled_event_type"),
    ("acledSubEventType", "acled_sub_event_type"),
    ("gtdAttackType", "gtd_attack_type"),
    ("gtdTargetType", "gtd_target_type"),
    ("gtdWeaponType", "gtd_weapon_type"),
    ("ploverEventType", "plover_event_type"),
    ("countCategory", "count_category"),
    ("vagueQuantity", "vague_quantity"),
)

#: Node attributes that may hold several values joined by ``|`` (GTD codes, of which an
#: event may have up to three of each; types; places of actors; counted groups), for the
#: exporters that have lists. The other code-list links have one value each.
LIST_ATTRIBUTES: frozenset[str] = frozenset(
    [key for key in ("gtd_attack_type", "gtd_target_type", "gtd_weapon_type")]
    + [f"{key}_label" for key in ("gtd_attack_type", "gtd_target_type", "gtd_weapon_type")]
    + ["types", "based_at", "based_at_iri", "operates_in", "operates_in_iri",
       "counted_group", "counted_group_label"]
)

_DATE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("startDate", "start"),
    ("endDate", "end"),
    ("date", "date"),
    ("earliestDate", "earliest"),
    ("latestDate", "latest"),
    ("ongoingOn", "ongoing_on"),
)

# The same lists as IRIs, built once (looking terms up in the closed namespace is slow).
_CODE_IRIS: tuple[tuple[URIRef, str], ...] = tuple((CKG[p], k) for p, k in _CODE_ATTRIBUTES)
_DATE_IRIS: tuple[tuple[URIRef, str], ...] = tuple((CKG[p], k) for p, k in _DATE_ATTRIBUTES)
_NODE_DATE_IRIS = ((CKG.foundingDate, "founded"), *_DATE_IRIS)
_ASSERTED_BY, _ASSERTION_STATUS, _PLACE = CKG.assertedBy, CKG.assertionStatus, CKG.place
_ACCORDING_TO = CKG.accordingTo
_SUMMARY = CKG.summary

_PREFIXES = f"""
PREFIX ckg: <{_CKG}>
PREFIX rdf: <{RDF}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
"""


_INTEGER_TYPES = frozenset(
    (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger, XSD.positiveInteger)
)
_FLOAT_TYPES = frozenset((XSD.decimal, XSD.double, XSD.float))
_BOOLEAN = XSD.boolean


def _python(term) -> object:
    """Turn an RDF literal into a typed Python attribute value (dates stay strings)."""
    if isinstance(term, Literal):
        dt = term.datatype
        if dt in _INTEGER_TYPES:
            return int(term)
        if dt in _FLOAT_TYPES:
            return float(term)
        if dt == _BOOLEAN:
            return term.toPython()
        return str(term)
    return str(term)


class _Labels:
    """Cache of labels, types and attributes, read from the graph once per projection."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.label: dict = label_table(graph)
        self.super: dict[URIRef, set[URIRef]] = {}
        for s, o in graph.subject_objects(RDFS.subClassOf):
            self.super.setdefault(s, set()).add(o)
        self._ancestors: dict[URIRef, frozenset[URIRef]] = {}
        self._records: dict = {}
        self._out: dict = {}

    def out(self, node) -> dict:
        """Return the node's outgoing statements, predicate to objects, read in one pass."""
        found = self._out.get(node)
        if found is None:
            found = {}
            for predicate, value in self.graph.predicate_objects(node):
                found.setdefault(predicate, []).append(value)
            self._out[node] = found
        return found

    def first(self, node, predicate):
        """Return one value of `predicate` on `node` (the smallest, for reproducibility)."""
        values = self.out(node).get(predicate)
        if not values:
            return None
        return values[0] if len(values) == 1 else min(values, key=str)

    def name(self, node) -> str:
        return self.label.get(node) or local_name(node)

    def ancestors(self, cls: URIRef) -> frozenset[URIRef]:
        found = self._ancestors.get(cls)
        if found is None:
            seen: set[URIRef] = set()
            todo = [cls]
            while todo:
                for parent in self.super.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._ancestors[cls] = frozenset(seen)
        return found

    def types(self, node) -> list[URIRef]:
        """Return the node's ckg types, most specific first (dropping types others specialise)."""
        asserted = [t for t in self.out(node).get(RDF.type, ()) if str(t).startswith(_CKG)]
        inherited = set().union(*(self.ancestors(t) for t in asserted)) if asserted else set()
        specific = sorted((t for t in asserted if t not in inherited), key=str)
        return specific or sorted(asserted, key=str)

    def kind(self, types: list[URIRef]) -> str:
        classes = set(types)
        for t in types:
            classes |= self.ancestors(t)
        for name in ("Actor", "Place", "Event", "Source", "Count", "ActorRelation"):
            if CKG[name] in classes:
                return {"ActorRelation": "relation", "Count": "count"}.get(name, name.lower())
        if CKG.SourcedRecord in classes:
            return "record"
        return "other"

    def record(self, record) -> dict:
        """Provenance and dates of the record (relation or event) an edge comes from."""
        found = self._records.get(record)
        if found is None:
            found = self._records[record] = _record_attributes(self, record)
        return found


def _code_attributes(labels: _Labels, node, attrs: dict) -> None:
    out = labels.out(node)
    for pred, key in _CODE_IRIS:
        values = sorted(out.get(pred, ()), key=str)
        if values:
            attrs[key] = "|".join(local_name(v) for v in values)
            attrs[f"{key}_label"] = "|".join(labels.name(v) for v in values)


def _node_attributes(labels: _Labels, node) -> dict:
    types = labels.types(node)
    attrs = {
        "iri": str(node),
        "label": labels.name(node),
        "type": local_name(types[0]) if types else "Resource",
        "type_label": labels.name(types[0]) if types else "resource",
        "types": "|".join(local_name(t) for t in types),
        "kind": labels.kind(types),
    }
    first = labels.first
    for pred, key in _NODE_DATE_IRIS:
        value = first(node, pred)
        if value is not None:
            attrs[key] = _python(value)
    _code_attributes(labels, node, attrs)
    summary = first(node, _SUMMARY)
    if summary is not None:
        attrs["summary"] = str(summary)
    if attrs["kind"] == "count":
        count_attributes(labels.out(node), labels.name, attrs)
    source = first(node, _ASSERTED_BY)
    if source is not None:
        attrs["source"] = str(source)
        attrs["source_label"] = labels.name(source)
    place = first(node, _PLACE)
    if place is not None and not isinstance(place, Literal):
        attrs["place"] = str(place)
        attrs["place_label"] = labels.name(place)
    geometry = first(node, _GEO_HAS_GEOMETRY)
    wkt = first(geometry, _GEO_AS_WKT) if geometry is not None else None
    if wkt is not None:
        point = _parse_point(str(wkt))
        if point is not None:
            attrs["longitude"], attrs["latitude"] = point
    return attrs


def _parse_point(wkt: str) -> tuple[float, float] | None:
    """Read ``POINT(lon lat)`` (optionally after a CRS IRI); ``None`` for other shapes."""
    match = re.search(r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", wkt, re.IGNORECASE)
    if match is None:
        return None
    return float(match.group(1)), float(match.group(2))


#: An edge's provenance attributes: (property, key, value of the key); ``<key>_label`` too.
_PROVENANCE_KEYS = (
    (_ASSERTED_BY, "source", str),
    (_ASSERTION_STATUS, "status", local_name),
    (_ACCORDING_TO, "voice", str),
)


def _record_attributes(labels: _Labels, assertion) -> dict:
    """Provenance of an edge: its assertion's source, status and voice, its record's dates.

    The assertion is the record the fact is stated on (its default source) or a
    ``ckg:Statement`` of the fact (its own source, status and voice; the record, whose
    label and dates the edge takes, is the statement's subject).
    """
    first = labels.first
    record = assertion
    attrs: dict = {}
    if CKG.Statement in labels.out(assertion).get(RDF.type, ()):
        attrs["statement"] = str(assertion)
        record = first(assertion, RDF.subject) or assertion
    attrs["record"] = str(record)
    attrs["record_label"] = labels.name(record)
    for pred, key, value_of in _PROVENANCE_KEYS:
        value = first(assertion, pred)
        if value is not None:
            attrs[key] = value_of(value)
            attrs[f"{key}_label"] = labels.name(value)
    for pred, key in _DATE_IRIS:
        value = first(record, pred)
        if value is not None:
            attrs[key] = _python(value)
    return attrs


def _select(graph: Graph, query: str) -> Iterable:
    return graph.query(_PREFIXES + query)


def _values(names: Iterable[str]) -> str:
    return " ".join(f"ckg:{n}" for n in names)


def _facts(graph: Graph, values: str, *, more: str = "", extra: str = "") -> Iterable:
    """Select the facts ``?s ?p ?o`` stated directly or through a ``ckg:Statement``.

    `values` is a ``VALUES`` block that binds ``?p`` (and may bind more); `more` adds
    patterns and `extra` the variables they bind to the rows.  Each row starts with
    ``?s ?p ?o ?assertion``: the assertion is the subject for a direct triple (read with its
    subject's default source), the statement for a fact stated with a source, status or
    voice of its own.
    """
    return _select(
        graph,
        f"""
        SELECT ?s ?p ?o ?assertion {extra} WHERE {{
            VALUES {values}
            {{
                {{ ?s ?p ?o . BIND (?s AS ?assertion) }}
                UNION
                {{ ?assertion a ckg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }}
            }}
            {more}
        }}""",
    )


@dataclass(frozen=True)
class Link:
    """One statement a view turns into an edge.

    Attributes
    ----------
    subject, object : rdflib term
        The edge's ends.
    key : str
        The edge key (unique within the view).
    record : rdflib term or None
        The sourced record the statement comes from (its source, status and dates go on
        the edge and are what the filters look at), or None for an unsourced statement.
    attrs : dict
        The edge's own attributes (relation, predicate, sign...).
    ends : tuple of dict
        Attributes to set on the subject and on the object node.
    """

    subject: object
    object: object
    key: str
    record: object | None
    attrs: dict
    ends: tuple[dict, dict] = ({}, {})


@dataclass(frozen=True)
class ViewDefinition:
    """What a view is made of.

    Attributes
    ----------
    name : str
        The view's name (``actors``, ``events``...).
    links : callable
        ``links(graph, labels)`` yields the :class:`Link` of every statement of the view.
    graph_type : type
        The NetworkX class of the view.
    nothing : str
        What the graph lacks when the view has no statement at all, for the error.
    filtered : bool
        Whether status and date filters apply (they do not to unsourced views).
    decorate : callable, optional
        ``decorate(graph, labels, net, filters)`` adds node attributes once the edges are in.
    merge_territories : bool
        Whether a state's territory (``ckg:hasTerritory``) is drawn as the state's node:
        one node for one country, so that its ties are not spread over two.
    """

    name: str
    links: Callable[[Graph, _Labels], Iterator[Link]]
    graph_type: type = nx.MultiDiGraph
    nothing: str = "statements"
    filtered: bool = True
    decorate: Callable[[Graph, _Labels, nx.Graph, Filters], None] | None = None
    merge_territories: bool = True


def build_view(
    graph: Graph, definition: ViewDefinition, *, filters: Filters | None = None
) -> nx.Graph:
    """Build a view: one edge per statement the filters keep, its ends as nodes.

    Parameters
    ----------
    graph : rdflib.Graph
        The data, with or without the ontology and code lists.
    definition : ViewDefinition
        The view.
    filters : Filters, optional
        Statuses and dates to keep.

    Returns
    -------
    networkx.Graph
        Of ``definition.graph_type``; ``graph["view"]``, ``graph["filters"]``,
        ``graph["statements"]`` and ``graph["left_out"]`` say how it was made.

    Raises
    ------
    conflictkg.errors.UsageError
        For filters on a view they do not apply to.
    conflictkg.errors.EmptyProjectionError
        If the view has no node.
    """
    filters = filters or Filters()
    if filters.active and not definition.filtered:
        raise UsageError(
            f"the {definition.name} view has no sourced or dated statements: "
            "status and date filters do not apply to it"
        )
    labels = _Labels(graph)
    net = definition.graph_type()
    state_of = (
        {t: s for s, t in graph.subject_objects(CKG.hasTerritory)}
        if definition.merge_territories
        else {}
    )
    seen, reasons = 0, Counter()
    for link in definition.links(graph, labels):
        attrs = dict(labels.record(link.record)) if link.record is not None else {}
        seen += 1
        reason = filters.rejects(attrs)
        if reason is not None:
            reasons[reason] += 1
            continue
        attrs.update(link.attrs)
        ends = [state_of.get(link.subject, link.subject), state_of.get(link.object, link.object)]
        if ends[0] == ends[1] and link.subject != link.object:
            continue  # a state and its own territory: one node, no tie to itself
        for end, original, extra in zip(ends, (link.subject, link.object), link.ends, strict=True):
            if str(end) not in net:
                net.add_node(str(end), **_node_attributes(labels, end))
            if end != original:
                net.nodes[str(end)]["territory"] = str(original)
                net.nodes[str(end)]["territory_label"] = labels.name(original)
            net.nodes[str(end)].update(extra)
        if net.is_multigraph():
            net.add_edge(str(ends[0]), str(ends[1]), key=link.key, **attrs)
        else:
            net.add_edge(str(ends[0]), str(ends[1]), **attrs)
    if definition.decorate is not None and net.number_of_nodes():
        definition.decorate(graph, labels, net, filters)
    if net.number_of_nodes() == 0:
        if seen == 0:
            reason_text = f"the graph has no {definition.nothing}"
        elif filters.active:
            removed = ", ".join(f"{name}: {count}" for name, count in sorted(reasons.items()))
            reason_text = f"the filters left out all {seen} statement(s) ({removed})"
        else:
            reason_text = f"none of its {seen} statement(s) links two entities"
        raise EmptyProjectionError(
            f"the {definition.name} view is empty with {filters.describe()}: {reason_text}"
        )
    net.graph["view"] = definition.name
    net.graph["filters"] = filters.describe()
    net.graph["statements"] = seen
    net.graph["left_out"] = sum(reasons.values())
    return net


_ROLE_PHRASES = {
    "perpetrator": "perpetrator → targeted actor",
    "victor": "victor → defeated party",
}


def _actor_links(graph: Graph, labels: _Labels) -> Iterator[Link]:
    """Relations between actors, hostility derived from attacks and battles, collectives."""
    rows = _select(
        graph,
        f"""
        SELECT ?record ?cls ?from ?to WHERE {{
            VALUES ?cls {{ {_values(RELATION_SIGNS)} }}
            ?record a ?cls ; ckg:fromActor ?from ; ckg:toActor ?to .
        }}""",
    )
    for record, cls, source, target in rows:
        relation = local_name(cls)
        attrs = dict(
            relation=relation,
            predicate=str(cls),
            predicate_label=labels.name(cls),
            sign=RELATION_SIGNS[relation],
            derived=False,
        )
        for pred, key in ((CKG.role, "role"), (CKG.rank, "rank")):
            value = labels.first(record, pred)
            if value is not None:
                attrs[key] = local_name(value)
                attrs[f"{key}_label"] = labels.name(value)
        yield Link(source, target, str(record), record, attrs)
    # hostility derived from attacks and battles: the first role's assertion (a claimed
    # perpetrator is a claimed hostility), the second role read directly or stated
    rows = _facts(
        graph,
        "(?p ?other) { (ckg:perpetrator ckg:targetedActor) (ckg:victor ckg:defeatedParty) }",
        more="""{ ?s ?other ?b } UNION { [] a ckg:Statement ; rdf:subject ?s ;
                                         rdf:predicate ?other ; rdf:object ?b }""",
        extra="?b",
    )
    for event, role, source, assertion, target in rows:
        if source == target:
            continue
        attrs = dict(
            relation="Hostility",
            predicate=str(role),
            predicate_label=f"hostility derived from {labels.name(event)}",
            roles=_ROLE_PHRASES[local_name(role)],
            sign=-1,
            derived=True,
        )
        key = f"{event}#{local_name(role)}#{source}#{target}#{assertion}"
        yield Link(source, target, key, assertion, attrs)
    label = labels.name(CKG.memberOfCollective)
    for member, collective in _select(graph, "SELECT ?a ?c WHERE { ?a ckg:memberOfCollective ?c }"):
        attrs = dict(
            relation="MemberOfCollective",
            predicate=str(CKG.memberOfCollective),
            predicate_label=label,
            sign=1,
            derived=False,
        )
        key = f"{member}|memberOfCollective|{collective}"
        sourced = labels.first(member, _ASSERTED_BY) is not None
        yield Link(member, collective, key, member if sourced else None, attrs)


#: Relations of an actor to a place, kept on the actor's node in the actors view.
_WHERE_ACTORS_ARE = (("Basing", "based_at"), ("AreaOfOperation", "operates_in"))


def _actor_places(graph: Graph, labels: _Labels, net: nx.Graph, filters: Filters) -> None:
    """Put on each actor where it is based and where it operates, by the filters' rules.

    Places are not actors, so a basing (Wagner at the airport) is no edge of the actors
    view; it is the actor's ``based_at`` attribute (labels joined by ``|``, IRIs in
    ``based_at_iri``), and areas of operation its ``operates_in``.
    """
    for cls, key in _WHERE_ACTORS_ARE:
        found: dict[str, list] = {}
        for record, actor, place in _select(
            graph,
            f"SELECT ?r ?a ?p WHERE {{ ?r a ckg:{cls} ; ckg:fromActor ?a ; ckg:place ?p }}",
        ):
            if str(actor) in net and filters.rejects(labels.record(record)) is None:
                found.setdefault(str(actor), []).append(place)
        for actor, places in found.items():
            places = sorted(set(places), key=labels.name)
            net.nodes[actor][key] = "|".join(labels.name(p) for p in places)
            net.nodes[actor][f"{key}_iri"] = "|".join(str(p) for p in places)


def _event_links(graph: Graph, labels: _Labels) -> Iterator[Link]:
    """One link per actor in a role of an event, actor to event."""
    rows = _facts(graph, f"?p {{ {_values(EVENT_ROLES)} }}")
    for event, role, actor, assertion in rows:
        attrs = dict(role=local_name(role), predicate=str(role), predicate_label=labels.name(role))
        key = f"{event}#{local_name(role)}" + (f"#{assertion}" if assertion != event else "")
        yield Link(actor, event, key, assertion, attrs, ({"bipartite": 0}, {"bipartite": 1}))


def _event_counts(graph: Graph, labels: _Labels, net: nx.Graph, filters: Filters) -> None:
    """Put on each event the phrases of the counts the filters keep (``counts``).

    Counts are no nodes of the events view; ``counts`` joins their ``count_text`` by
    ``"; "``, each followed by its status when it is not the event's own.
    """
    found: dict[str, list[str]] = {}
    for count, event in graph.subject_objects(CKG.countOf):
        if str(event) not in net or filters.rejects(labels.record(count)) is not None:
            continue
        attrs = _node_attributes(labels, count)
        text = attrs["count_text"]
        status = attrs.get("status")
        if status and status != net.nodes[str(event)].get("status"):
            text += f" ({attrs.get('status_label', status)})"
        found.setdefault(str(event), []).append(text)
    for event, texts in found.items():
        net.nodes[event]["counts"] = "; ".join(sorted(texts))


def _place_links(graph: Graph, labels: _Labels) -> Iterator[Link]:
    """Containment, child to parent."""
    attrs = dict(predicate=str(CKG.locatedIn), predicate_label=labels.name(CKG.locatedIn))
    for child, parent in _select(graph, "SELECT ?c ?p WHERE { ?c ckg:locatedIn ?p }"):
        yield Link(child, parent, "", None, attrs)


#: Properties that carry provenance: attributes of every edge, never edges themselves.
_PROVENANCE = frozenset((RDF.type, CKG.assertedBy, CKG.accordingTo, CKG.relayedBy, CKG.madeIn))


def _binary_relation(labels: _Labels, node) -> tuple | None:
    """``(from, to)`` of an actor relation that links exactly two entities, else None."""
    if labels.kind(labels.types(node)) != "relation":
        return None
    out = labels.out(node)
    ends = out.get(CKG.fromActor, []), out.get(CKG.toActor, []) or out.get(_PLACE, [])
    if len(ends[0]) == 1 and len(ends[1]) == 1:
        return ends[0][0], ends[1][0]
    return None


#: The event roles as IRIs: in every view their edges go from the actor to the event.
_ROLE_IRIS = frozenset(CKG[role] for role in EVENT_ROLES)


def _entity_link(s, p, o, key: str, record, label: str) -> Link:
    """Make the edge of one statement; a role (event to actor in RDF) goes actor to event."""
    attrs = dict(predicate=str(p), predicate_label=label)
    if p in _ROLE_IRIS:
        attrs["role"] = local_name(p)
        return Link(o, s, key, record, attrs)
    return Link(s, o, key, record, attrs)


def _entity_links(graph: Graph, labels: _Labels) -> Iterator[Link]:
    """Every statement between two typed entities, with its own provenance.

    Typing and provenance properties are attributes, not edges. A role of an actor in an
    event (``ckg:perpetrator``...) goes from the actor to the event, as in the events view.
    A fact stated by a
    ``ckg:Statement`` is an edge from its subject to its value with the statement's source,
    status and voice (the statement is not a node). A relation between exactly two
    entities (a basing, a partnership) is one edge between them, not a node of its own.
    """
    typed = {
        s
        for s, o in graph.subject_objects(RDF.type)
        if str(o).startswith(_CKG) and not isinstance(s, BNode) and o != CKG.Statement
    }
    statements = set(graph.subjects(RDF.type, CKG.Statement))
    typed -= statements
    binary = {node: ends for node in typed if (ends := _binary_relation(labels, node))}
    sourced = set(graph.subjects(_ASSERTED_BY, None)) | set(graph.subjects(_ASSERTION_STATUS, None))
    names: dict = {}

    def name(p):
        if p not in names:
            names[p] = labels.name(p)
        return names[p]

    for node, (start, end) in sorted(binary.items(), key=lambda item: str(item[0])):
        if start in typed and end in typed:
            cls = labels.types(node)[0]
            attrs = dict(predicate=str(cls), predicate_label=name(cls), relation=local_name(cls))
            yield Link(start, end, str(node), node, attrs)
    for s in sorted(typed - set(binary), key=str):
        for p, objects in labels.out(s).items():
            if p in _PROVENANCE:
                continue
            for o in objects:
                if o in typed and o not in binary:
                    yield _entity_link(s, p, o, f"{s}|{p}|{o}", s if s in sourced else None,
                                       name(p))
    for statement in sorted(statements, key=str):
        s = labels.first(statement, RDF.subject)
        p = labels.first(statement, RDF.predicate)
        o = labels.first(statement, RDF.object)
        if s in typed and o in typed and p not in _PROVENANCE:
            yield _entity_link(s, p, o, f"{s}|{p}|{o}|{statement}", statement, name(p))


#: The views by name.
VIEWS: dict[str, ViewDefinition] = {
    "actors": ViewDefinition(
        "actors",
        _actor_links,
        nothing="actor relations, attacks or battles",
        decorate=_actor_places,
    ),
    "events": ViewDefinition(
        "events", _event_links, nothing="events with actors in a role", decorate=_event_counts
    ),
    "places": ViewDefinition(
        "places",
        _place_links,
        nx.DiGraph,
        "ckg:locatedIn statements",
        filtered=False,
        merge_territories=False,
    ),
    "full": ViewDefinition("full", _entity_links, nothing="statements between two typed entities"),
}


def actor_network(graph: Graph, *, filters: Filters | None = None) -> nx.MultiDiGraph:
    """Actors linked by relations and by hostility derived from attacks and battles.

    Parameters
    ----------
    graph : rdflib.Graph
        The data, with the ontology and code lists (for subclass links and labels) or
        without them.
    filters : Filters, optional
        Statuses and dates to keep.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are actor IRIs; one edge per relation record, per attack or battle and per
        ``ckg:memberOfCollective`` link, keyed by the record IRI (derived edges:
        ``<event>#perpetrator`` or ``<event>#victor``). Position edges also carry ``role``,
        ``role_label``, ``rank`` and ``rank_label``; derived edges carry ``roles`` (e.g.
        ``"perpetrator → targeted actor"``).

    Raises
    ------
    EmptyProjectionError
        If no actor is left.

    References
    ----------
    .. [1] S. Wasserman and K. Faust, *Social Network Analysis: Methods and Applications*,
       Cambridge University Press, 1994, ch. 1-3 (actors, relational ties, modes).

    Examples
    --------
    >>> from rdflib import Graph
    >>> from conflictkg.rdf.loading import turtle_graph
    >>> g = turtle_graph('''
    ... ckr:a a ckg:JihadistGroup . ckr:b a ckg:ArmedForces .
    ... ckr:e a ckg:Attack ; ckg:perpetrator ckr:a ; ckg:targetedActor ckr:b .
    ... ''')
    >>> [(d["relation"], d["sign"], d["derived"], d["roles"])
    ...  for _, _, d in actor_network(g).edges(data=True)]
    [('Hostility', -1, True, 'perpetrator → targeted actor')]
    """
    return build_view(graph, VIEWS["actors"], filters=filters)


def actor_event_network(graph: Graph, *, filters: Filters | None = None) -> nx.MultiDiGraph:
    """Bipartite graph of actors and events, one edge per role, actor to event.

    Parameters
    ----------
    graph : rdflib.Graph
        The data, with or without the ontology.
    filters : Filters, optional
        Statuses and dates of the events to keep.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes have ``bipartite`` = 0 for actors and 1 for events; edges go from the actor
        to the event with ``role`` (``"perpetrator"``...) and the event's provenance.

    Raises
    ------
    EmptyProjectionError
        If no event with an actor is left.

    References
    ----------
    .. [1] R. L. Breiger, "The duality of persons and groups", *Social Forces* 53(2),
       181-190, 1974.

    Examples
    --------
    >>> from rdflib import Graph
    >>> from conflictkg.rdf.loading import turtle_graph
    >>> g = turtle_graph("ckr:a a ckg:JihadistGroup . ckr:e a ckg:Attack ; ckg:perpetrator ckr:a .")
    >>> net = actor_event_network(g)
    >>> [(u.rsplit("/", 1)[1], v.rsplit("/", 1)[1], d["role"]) for u, v, d in net.edges(data=True)]
    [('a', 'e', 'perpetrator')]
    """
    return build_view(graph, VIEWS["events"], filters=filters)


def place_hierarchy(graph: Graph) -> nx.DiGraph:
    """Places and their containment, child to parent (``ckg:locatedIn``), with coordinates.

    Parameters
    ----------
    graph : rdflib.Graph
        The data.

    Returns
    -------
    networkx.DiGraph
        Place IRIs; an edge from each place to the places it is directly located in.

    Raises
    ------
    EmptyProjectionError
        If the graph has no ``ckg:locatedIn`` statement.

    References
    ----------
    .. [1] Open Geospatial Consortium, *GeoSPARQL - A Geographic Query Language for RDF
       Data*, version 1.1, 2024 (``geo:sfWithin``, which ``ckg:locatedIn`` specialises).

    Examples
    --------
    >>> from rdflib import Graph
    >>> from conflictkg.rdf.loading import turtle_graph
    >>> g = turtle_graph('''
    ... ckr:city a ckg:City ; ckg:locatedIn ckr:country . ckr:country a ckg:Country .
    ... ''')
    >>> [(u.rsplit("/", 1)[1], v.rsplit("/", 1)[1]) for u, v in place_hierarchy(g).edges]
    [('city', 'country')]
    """
    return build_view(graph, VIEWS["places"])


def entity_graph(graph: Graph, *, filters: Filters | None = None) -> nx.MultiDiGraph:
    """Every statement between two entities of the ckg classes, with its record's provenance.

    Typing, labels, literals and links to code-list concepts are node attributes, not nodes;
    ``ckg:assertedBy`` is the ``source`` attribute of the edges, not an edge. An edge whose
    subject is a sourced record (event, relation, count...) carries that record's source,
    status and dates; other edges (an actor's ``ckg:groupOf``...) carry none.

    The graph and the filters are those of :func:`actor_event_network`; the result is a
    :class:`networkx.MultiDiGraph` with one edge per triple, keyed
    ``subject|predicate|object``.

    Raises
    ------
    EmptyProjectionError
        If no statement is left.

    References
    ----------
    .. [1] M. Nickel, K. Murphy, V. Tresp and E. Gabrilovich, "A review of relational machine
       learning for knowledge graphs", *Proceedings of the IEEE* 104(1), 11-33, 2016.

    Examples
    --------
    >>> from rdflib import Graph
    >>> from conflictkg.rdf.loading import turtle_graph
    >>> g = turtle_graph('''
    ... ckr:e a ckg:Attack ; ckg:place ckr:p ; ckg:assertedBy ckr:s .
    ... ckr:p a ckg:City . ckr:s a ckg:Report .
    ... ''')
    >>> net = entity_graph(g)
    >>> [(d["predicate_label"], d["source"].rsplit("/", 1)[1]) for *_, d in net.edges(data=True)]
    [('place', 's')]
    """
    return build_view(graph, VIEWS["full"], filters=filters)


def project(graph: Graph, view: str, *, filters: Filters | None = None) -> nx.Graph:
    """Build the named view (``actors``, ``events``, ``places`` or ``full``).

    Parameters
    ----------
    graph : rdflib.Graph
        The data, ideally with the ontology and code lists for labels and subclasses.
    view : str
        One of :data:`VIEWS`.
    filters : Filters, optional
        Statuses and dates to keep (not for ``places``).

    Returns
    -------
    networkx.Graph
        The view; ``graph["view"]`` and ``graph["filters"]`` say how it was made.

    Raises
    ------
    ValueError
        For an unknown view, or filters on the places view.
    EmptyProjectionError
        If the view has no node (the message says which filters emptied it).

    Examples
    --------
    >>> project(Graph(), "people")
    Traceback (most recent call last):
    ...
    conflictkg.errors.UsageError: unknown view 'people'; choose one of: actors, events, places, full
    >>> project(Graph(), "actors")
    Traceback (most recent call last):
    ...
    conflictkg.errors.EmptyProjectionError: the actors view is empty with no filters: \
the graph has no actor relations, attacks or battles
    """
    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    return build_view(graph, VIEWS[view], filters=filters)
