"""Projections RDF -> NetworkX: what becomes a node, what an edge keeps, and the filters."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conflictkg import resources
from conflictkg.errors import EmptyProjectionError
from conflictkg.namespaces import CKG, CKR
from conflictkg.namespaces import PREFIXES as NAMESPACES
from conflictkg.projection import (
    VIEWS,
    Filters,
    actor_event_network,
    actor_network,
    entity_graph,
    place_hierarchy,
    project,
)
from conflictkg.rdf.loading import load_files

# the project prefixes, declared in Turtle
PREFIXES = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in NAMESPACES.items())

# Four relations between three groups, with different statuses and dates, and one attack.
SMALL = (
    PREFIXES
    + """
ckr:src a ckg:Report ; rdfs:label "Source report"@en .
ckr:a a ckg:JihadistGroup ; rdfs:label "Group A"@en ; ckg:foundingDate "2012"^^xsd:gYear .
ckr:b a ckg:RebelGroup ; rdfs:label "Group B"@en .
ckr:c a ckg:ArmedForces ; rdfs:label "Army C"@en .
ckr:a-b a ckg:Partnership ; rdfs:label "A works with B"@en ;
    ckg:fromActor ckr:a ; ckg:toActor ckr:b ; ckg:startDate "2015"^^xsd:gYear ;
    ckg:endDate "2018"^^xsd:gYear ;
    ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
ckr:b-c a ckg:Hostility ; rdfs:label "B against C"@en ;
    ckg:fromActor ckr:b ; ckg:toActor ckr:c ; ckg:ongoingOn "2020-06-01"^^xsd:date ;
    ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:ClaimedByParty .
ckr:a-c a ckg:Affiliation ; rdfs:label "A linked to C"@en ;
    ckg:fromActor ckr:a ; ckg:toActor ckr:c ;
    ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Unconfirmed .
ckr:c-b a ckg:SeveredTies ; rdfs:label "C broke with B"@en ;
    ckg:fromActor ckr:c ; ckg:toActor ckr:b ; ckg:startDate "2021-03"^^xsd:gYearMonth ;
    ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
ckr:raid a ckg:Attack ; rdfs:label "Raid"@en ; ckg:date "2019-05-04"^^xsd:date ;
    ckg:perpetrator ckr:a ; ckg:targetedActor ckr:c ; ckg:victim ckr:people ;
    ckg:place ckr:town ; ckg:timePrecision ckc:DayPrecision ;
    ckg:acledEventType <https://w3id.org/conflictkg/code/acled/Battles> ;
    ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
ckr:people a ckg:PersonGroup ; rdfs:label "people hurt"@en .
ckr:town a ckg:City ; rdfs:label "Town"@en ; ckg:locatedIn ckr:land ;
    geo:hasGeometry ckr:town-geometry .
ckr:town-geometry geo:asWKT "POINT(-8.0 12.6)"^^geo:wktLiteral .
ckr:land a ckg:Country ; rdfs:label "Land"@en .
ckr:count a ckg:Count ; rdfs:label "two killed"@en ; ckg:countOf ckr:raid ;
    ckg:minimumValue 2 ; ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
"""
)


def _iri(name: str) -> str:
    return str(CKR[name])


@pytest.fixture(scope="module")
def codes() -> Graph:
    return load_files(resources.ontology_files())


@pytest.fixture(scope="module")
def small(codes) -> Graph:
    graph = Graph()
    for triple in codes:
        graph.add(triple)
    graph.parse(data=SMALL, format="turtle")
    return graph


@pytest.fixture(scope="module")
def report() -> Graph:
    return load_files([*resources.ontology_files(), *resources.graph_files()])


def _relations(net) -> set[tuple[str, str, str]]:
    return {
        (u.rsplit("/", 1)[1], v.rsplit("/", 1)[1], d["relation"])
        for u, v, d in net.edges(data=True)
    }


# --- what becomes a node ------------------------------------------------------------


def test_actor_view_of_the_report_holds_only_actors(report):
    net = actor_network(report)
    classes = set(report.subjects(RDF.type, OWL.Class)) | set(report.subjects(RDF.type, RDFS.Class))
    concepts = set(report.subjects(RDF.type, SKOS.Concept))
    sources = {
        s
        for cls in (CKG.Report, CKG.MediaItem, CKG.ReferenceDataset, CKG.Source)
        for s in report.subjects(RDF.type, cls)
    }
    assert sources, "the report has sources; the check below must mean something"
    assert net.number_of_nodes() >= 15
    for node, attrs in net.nodes(data=True):
        assert node.startswith(str(CKR)), node
        assert URIRef(node) not in classes | concepts | sources, node
        assert attrs["kind"] == "actor", (node, attrs["kind"])
        assert attrs["type"] in {
            str(c).rsplit("#", 1)[1] for c in classes if str(c).startswith(str(CKG._NS))
        }
        assert attrs["label"] and attrs["iri"] == node


def test_actor_view_edges_keep_their_statement(report):
    net = actor_network(report)
    sources = {
        str(s): str(report.value(s, RDFS.label))
        for s in report.subjects(CKG.assertedBy, None, unique=True)
        for s in [report.value(s, CKG.assertedBy)]
    }
    for *_, attrs in net.edges(keys=True, data=True):
        assert attrs["predicate"].startswith(str(CKG._NS)), attrs
        assert attrs["predicate_label"]
        assert attrs["sign"] in (-1, 0, 1)
        assert attrs["source"] in sources and attrs["source_label"] == sources[attrs["source"]]
        assert attrs["status"] and attrs["status_label"]
        assert attrs["record"] and attrs["record_label"]
    derived = [
        d
        for u, v, d in net.edges(data=True)
        if d["derived"] and u == _iri("jnim") and v == _iri("malian-armed-forces")
    ]
    assert {d["record"] for d in derived} == {
        _iri("bamako-2024-09-17-attack"),
        _iri("bamako-2024-09-17-attack-airport"),
    }
    assert all(d["roles"] == "perpetrator → targeted actor" and d["sign"] == -1 for d in derived)
    assert all(d["date"] == "2024-09-17" for d in derived)
    # JNIM is the perpetrator only by its claim: the hostility it implies is claimed too
    assert all(d["status"] == "ClaimedByParty" for d in derived)
    assert all(d["voice"] == _iri("jnim") and d["statement"] for d in derived)


def test_actor_view_keeps_where_actors_are_based(report):
    net = actor_network(report)
    assert net.nodes[_iri("wagner-group")]["based_at"] == "Modibo Keita International Airport"
    assert "northern Mali" in net.nodes[_iri("jnim")]["operates_in"].split("|")


def test_a_state_and_its_territory_are_one_node(report):
    net = entity_graph(report)
    assert _iri("mali-territory") not in net
    assert net.nodes[_iri("mali")]["territory"] == _iri("mali-territory")
    # the events in Bamako, located in Mali's territory, reach the state Mali
    assert nx.has_path(net.to_undirected(), _iri("bamako"), _iri("mali"))


def test_full_view_draws_binary_relations_and_statements_as_edges(report):
    net = entity_graph(report)
    assert _iri("wagner-base-at-airport") not in net
    (basing,) = net.get_edge_data(
        _iri("wagner-group"), _iri("modibo-keita-international-airport")
    ).values()
    assert basing["relation"] == "Basing" and basing["status"] == "Reported"
    claimed = net.get_edge_data(_iri("jnim"), _iri("bamako-2024-09-17-attack"))
    assert {d["status"] for d in claimed.values()} == {"ClaimedByParty"}
    assert {d["role"] for d in claimed.values()} == {"perpetrator"}
    assert not any(d.get("type") == "Statement" for _, d in net.nodes(data=True))


@pytest.mark.parametrize("view", ["events", "full"])
def test_roles_point_from_actor_to_event_in_every_view(report, view):
    net = project(report, view)
    roles = [(u, v) for u, v, d in net.edges(data=True) if d.get("role") == "perpetrator"]
    assert roles
    for actor, event in roles:
        assert net.nodes[actor]["kind"] == "actor" and net.nodes[event]["kind"] == "event"


def test_counts_keep_their_figures_and_a_phrase(report):
    net = entity_graph(report)
    count = net.nodes[_iri("bamako-2024-09-17-injured-at-least-50")]
    assert count["minimum_value"] == 50 and isinstance(count["minimum_value"], int)
    assert count["count_category"] == "Injured"
    assert count["count_text"] == "at least 50 injured"
    assert count["counted_group"] == _iri("bamako-2024-09-17-injured-people")
    events = actor_event_network(report)
    assert "at least 50 injured" in events.nodes[_iri("bamako-2024-09-17-attack")]["counts"]


def test_exclude_claimed_drops_the_claimed_perpetrator(report):
    claimed_out = Filters(exclude_statuses=frozenset({"ClaimedByParty"}))
    net = actor_event_network(report, filters=claimed_out)
    assert not net.has_edge(_iri("jnim"), _iri("bamako-2024-09-17-attack"))
    net = actor_event_network(report)
    (edge,) = net.get_edge_data(_iri("jnim"), _iri("bamako-2024-09-17-attack")).values()
    assert edge["role"] == "perpetrator" and edge["status"] == "ClaimedByParty"


def test_positions_carry_role_and_rank(report):
    net = actor_network(report)
    attrs = net.edges[
        _iri("oumar-diarra"),
        _iri("malian-armed-forces"),
        _iri("oumar-diarra-chief-of-general-staff"),
    ]
    assert attrs["relation"] == "Command"
    assert attrs["role"] == "ChiefOfGeneralStaffRole"
    assert attrs["rank"] == "MajorGeneral"
    assert attrs["role_label"] and attrs["rank_label"]


def test_member_of_collective_is_an_unsourced_positive_tie(report):
    net = actor_network(report)
    edges = net.get_edge_data(_iri("france"), _iri("european-allies-of-mali"))
    assert [d["relation"] for d in edges.values()] == ["MemberOfCollective"]
    assert next(iter(edges.values()))["sign"] == 1


def test_literals_become_typed_attributes(small):
    net = project(small, "full")
    town = net.nodes[_iri("town")]
    assert (town["longitude"], town["latitude"]) == (-8.0, 12.6)
    assert isinstance(town["latitude"], float)
    group = net.nodes[_iri("a")]
    assert group["founded"] == "2012" and group["type"] == "JihadistGroup"
    assert group["type_label"] == "jihadist group"
    raid = net.nodes[_iri("raid")]
    assert raid["date"] == "2019-05-04"
    assert raid["time_precision"] == "DayPrecision" and raid["time_precision_label"] == "Day"
    assert raid["acled_event_type"] == "Battles"
    assert raid["status"] == "Reported" and raid["status_label"] == "Reported"
    assert raid["place_label"] == "Town"
    for node in net:
        assert not node.startswith(("http://www.w3.org/", str(CKG._NS)))


def test_full_view_leaves_sources_classes_and_codes_out(small):
    net = entity_graph(small)
    assert _iri("src") not in net  # ckg:assertedBy is an attribute, not an edge
    assert not any(n.startswith("https://w3id.org/conflictkg/code/") for n in net)
    edge = net.edges[_iri("raid"), _iri("town"), f"{_iri('raid')}|{CKG.place}|{_iri('town')}"]
    assert edge["source_label"] == "Source report" and edge["status"] == "Reported"
    assert edge["predicate_label"] == "place"
    count = net.edges[_iri("count"), _iri("raid"), f"{_iri('count')}|{CKG.countOf}|{_iri('raid')}"]
    assert count["record_label"] == "two killed"
    key = f"{_iri('town')}|{CKG.locatedIn}|{_iri('land')}"
    located = net.edges[_iri("town"), _iri("land"), key]
    assert "status" not in located  # a place is not a sourced record


def test_events_view_is_bipartite_with_roles(small):
    net = actor_event_network(small)
    assert nx.is_bipartite(net.to_undirected())
    roles = sorted((u.rsplit("/", 1)[1], d["role"]) for u, _, d in net.edges(data=True))
    assert roles == [("a", "perpetrator"), ("c", "targetedActor"), ("people", "victim")]
    assert {net.nodes[n]["bipartite"] for n in net} == {0, 1}
    assert net.nodes[_iri("raid")]["bipartite"] == 1


def test_place_hierarchy_and_unknown_view(small):
    net = place_hierarchy(small)
    assert list(net.edges) == [(_iri("town"), _iri("land"))]
    with pytest.raises(ValueError, match="status and date filters do not apply"):
        project(small, "places", filters=Filters(since="2020"))
    with pytest.raises(ValueError, match="unknown view 'people'"):
        project(small, "people")
    assert set(VIEWS) == {"actors", "events", "places", "full"}


# --- filters --------------------------------------------------------------------------


def test_unfiltered_actor_view_of_small_graph(small):
    assert _relations(actor_network(small)) == {
        ("a", "b", "Partnership"),
        ("b", "c", "Hostility"),
        ("a", "c", "Affiliation"),
        ("c", "b", "SeveredTies"),
        ("a", "c", "Hostility"),  # derived from the raid
    }


_REPORTED = {("a", "b", "Partnership"), ("c", "b", "SeveredTies"), ("a", "c", "Hostility")}


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        pytest.param(Filters(statuses=frozenset({"Reported"})), _REPORTED, id="status"),
        pytest.param(
            Filters(statuses=frozenset({"claimed by a party"})),
            {("b", "c", "Hostility")},
            id="status-by-label",
        ),
        pytest.param(
            Filters(exclude_statuses=frozenset({"ClaimedByParty", "Unconfirmed"})),
            _REPORTED,
            id="exclude-claimed-and-unconfirmed",
        ),
        # A-B ended in 2018 and the raid was on 2019-05-04: both left out. B-C is only known
        # to be ongoing in 2020, A-C is undated, C-B started in 2021: all kept.
        pytest.param(
            Filters(since="2019-06"),
            {("b", "c", "Hostility"), ("a", "c", "Affiliation"), ("c", "b", "SeveredTies")},
            id="since-drops-what-ended-before-keeps-ongoing-and-undated",
        ),
        pytest.param(
            Filters(until="2019"),
            {("a", "b", "Partnership"), ("b", "c", "Hostility"), ("a", "c", "Affiliation"),
             ("a", "c", "Hostility")},
            id="until-drops-what-started-after",
        ),
    ],
)
def test_filters_keep_the_statements_they_should(small, filters, kept):
    assert _relations(actor_network(small, filters=filters)) == kept


def test_filters_count_what_they_leave_out(small):
    net = actor_network(small, filters=Filters(since="2019-06"))
    assert net.graph["left_out"] == 2 and net.graph["statements"] == 5


def test_since_and_until_bounds_are_inclusive():
    attrs = {"date": "2024-09-17"}
    assert Filters(since="2024-09-17").keeps(attrs)
    assert Filters(since="2024-09").keeps(attrs)
    assert Filters(until="2024-09-17").keeps(attrs)
    assert Filters(until="2024").keeps(attrs)
    assert not Filters(since="2024-09-18").keeps(attrs)
    assert not Filters(until="2024-09-16").keeps(attrs)
    assert Filters(since="2030").keeps({"ongoing_on": "2024-09-17"})
    assert Filters(since="2030").keeps({})


@pytest.mark.parametrize("bad", ["2024-9", "17/09/2024", "2024-13", "yesterday", "2024-02-30x"])
def test_filters_refuse_bad_dates(bad):
    with pytest.raises(ValueError, match="is not an ISO date"):
        Filters(since=bad)


def test_filters_refuse_since_after_until():
    with pytest.raises(ValueError, match="since \\(2025\\) is after until \\(2024\\)"):
        Filters(since="2025", until="2024")


def test_empty_view_names_the_filters_that_emptied_it(small):
    filters = Filters(statuses=frozenset({"Official"}), until="2010")
    with pytest.raises(EmptyProjectionError) as caught:
        actor_network(small, filters=filters)
    message = str(caught.value)
    assert message.startswith("the actors view is empty with status in Official; until 2010")
    assert "left out all 5 statement(s) (status: 5)" in message
    both = Filters(statuses=frozenset({"Reported"}), until="2010")
    with pytest.raises(EmptyProjectionError, match=r"until 2010: .*\(status: 2, until: 3\)"):
        actor_network(small, filters=both)
    with pytest.raises(EmptyProjectionError, match="the events view is empty"):
        actor_event_network(small, filters=Filters(since="2030"))


def test_report_status_filter(report):
    everything = actor_network(report)
    reported = actor_network(report, filters=Filters(statuses=frozenset({"Reported"})))
    assert 0 < reported.number_of_edges() < everything.number_of_edges()
    assert {d["status"] for *_, d in reported.edges(data=True)} == {"Reported"}
