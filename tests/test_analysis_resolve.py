"""Labels to entities: names, aliases, IRIs, ambiguity and candidates."""

from __future__ import annotations

import pytest
from rdflib import Graph

from conflictkg import resources
from conflictkg.analysis.resolve import normalise, resolve
from conflictkg.errors import AmbiguousLabelError, UnknownLabelError, UnknownStatusError
from conflictkg.namespaces import CKR
from conflictkg.projection import actor_network, entity_graph
from conflictkg.projection.statuses import resolve_status
from conflictkg.rdf.loading import load_files


@pytest.fixture(scope="module")
def report():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("JNIM", "jnim"),
        ("jnim", "jnim"),
        ("  Jama’a   Nusrat ul-Islam wa al-Muslimin ", "jnim"),  # the report's alias
        ("Support Group for Islam and Muslims", "jnim"),
        ("Wagner", "wagner-group"),
        ("Malian army", "malian-armed-forces"),
        ("assimi goita", "assimi-goita"),  # accent-free
        ("Economic Community of West African States (ECOWAS)", "ecowas"),  # skos:prefLabel
        ("ckr:russia", "russia"),
        ("https://w3id.org/conflictkg/id/mali", "mali"),
    ],
)
def test_resolves_names_aliases_and_iris(report, text, name):
    assert resolve(report, text) == str(CKR[name])


def test_outside_the_view_is_reported_with_the_entity(report):
    net = actor_network(report)
    with pytest.raises(UnknownLabelError) as caught:
        resolve(report, "Bamako", among=net)
    assert str(caught.value) == (
        "'Bamako' names Bamako (City, ckr:bamako), which is not in the actors view"
    )
    assert caught.value.candidates[0].iri == str(CKR.bamako)
    assert resolve(report, "Bamako", among=entity_graph(report)) == str(CKR.bamako)
    with pytest.raises(UnknownLabelError, match="^Bamako \\(City, ckr:bamako\\) is not in the act"):
        resolve(report, "ckr:bamako", among=net)


def test_unknown_label_suggests_candidates(report):
    net = actor_network(report)
    with pytest.raises(UnknownLabelError) as caught:
        resolve(report, "Wagnr", among=net)
    message = str(caught.value)
    assert message.startswith("no entity in the actors view is labelled 'Wagnr'; did you mean:")
    assert "Wagner Group (PrivateMilitaryCompany, ckr:wagner-group)" in message
    with pytest.raises(UnknownLabelError) as caught:
        resolve(report, "Malian", among=net)
    found = {c.label for c in caught.value.candidates}
    assert {"Malian Armed Forces", "Malian National Gendarmerie"} <= found
    with pytest.raises(UnknownLabelError, match="^no entity is labelled 'zzzzqqq'$"):
        resolve(report, "zzzzqqq")
    with pytest.raises(UnknownLabelError, match="no entity has the IRI ckr:nobody"):
        resolve(report, "ckr:nobody")


def test_ambiguous_label_lists_every_candidate():
    graph = Graph().parse(
        format="turtle",
        data="""
        @prefix ckg: <https://w3id.org/conflictkg/ontology#> .
        @prefix ckr: <https://w3id.org/conflictkg/id/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        ckr:katiba-a a ckg:Faction ; rdfs:label "Katiba"@en .
        ckr:katiba-b a ckg:RebelGroup ; rdfs:label "katiba"@en .
        ckr:brigade a ckg:Faction ; rdfs:label "Brigade"@en ; skos:altLabel "Katiba"@en .
        ckr:x a ckg:Faction ; rdfs:label "X"@en ; skos:altLabel "Twin"@en .
        ckr:y a ckg:Faction ; rdfs:label "Y"@en ; skos:altLabel "twin"@en .
    """,
    )
    with pytest.raises(AmbiguousLabelError) as caught:
        resolve(graph, "KATIBA")
    assert str(caught.value) == (
        "'KATIBA' matches 2 entities: Katiba (Faction, ckr:katiba-a); katiba (RebelGroup, "
        "ckr:katiba-b). Give the IRI or the compact IRI instead."
    )  # names beat the alias of ckr:brigade
    assert resolve(graph, "katiba", among={str(CKR["katiba-b"]), str(CKR.brigade)}) == str(
        CKR["katiba-b"]
    )
    assert resolve(graph, "katiba", among={str(CKR.brigade)}) == str(CKR.brigade)
    with pytest.raises(AmbiguousLabelError, match="matches 2 entities: X .*; Y "):
        resolve(graph, "twin")


def test_normalise():
    assert normalise("Goïta") == "goita"
    assert normalise("Jama’a  NUSRAT") == "jama'a nusrat"


def test_statuses(report):
    assert resolve_status(report, "Claimed by a party") == "ClaimedByParty"
    assert resolve_status(report, "unconfirmed") == "Unconfirmed"
    assert resolve_status(report, "OFFICIAL") == "Official"
    with pytest.raises(
        UnknownStatusError,
        match="unknown assertion status 'rumour'; use one of: Analysis, ClaimedByParty",
    ):
        resolve_status(report, "rumour")
