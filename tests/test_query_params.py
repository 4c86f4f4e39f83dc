"""Parameters: values replace the query's defaults as terms, labels resolve to one entity."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from conflictkg.errors import ParameterError
from conflictkg.namespaces import CKR
from conflictkg.sparql import ENGINES, find_query, run_query
from conflictkg.sparql.prepare import prepare

PARTNERS = find_query("partners-of-an-actor")


def _partners(local, value, engine="oxigraph"):
    result = run_query(local, PARTNERS, params={"actor": value}, engine=engine)
    return sorted(str(row[1]) for row in result.rows)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "value",
    [
        "Wagner Group",  # label
        "wagner group",  # label, other case
        "Wagner mercenaries",  # alias
        "ckr:wagner-group",  # compact IRI
        "https://w3id.org/conflictkg/id/wagner-group",  # IRI
        "<https://w3id.org/conflictkg/id/wagner-group>",  # IRI in brackets
        CKR["wagner-group"],  # an rdflib term
    ],
)
def test_value_forms_reach_the_same_entity(local, engine, value):
    assert _partners(local, value, engine) == ["Mali"]


def test_the_default_answers_without_parameters(local):
    assert _partners(local, "Mali (territory)") == []  # the territory has no partners
    result = run_query(local, PARTNERS)
    assert sorted(str(row[1]) for row in result.rows) == ["Russia", "Wagner Group"]


def test_ambiguous_label_lists_the_candidates(local):
    with pytest.raises(ParameterError) as caught:
        _partners(local, "Mali")
    message = str(caught.value)
    assert "?actor" in message and "ambiguous" in message
    assert "ckr:mali (Mali)" in message and "ckr:mali-territory (Mali (territory))" in message


def test_unknown_label_suggests_labels(local):
    with pytest.raises(ParameterError) as caught:
        _partners(local, "Wagne")
    message = str(caught.value)
    assert "no entity has the label or alias 'Wagne'" in message
    assert "Wagner Group" in message


def test_exact_case_wins_over_other_case(local):
    # "Malian army" is an alias of the Malian Armed Forces only; "malian ARMY" matches it
    # case-insensitively
    result = run_query(
        local, find_query("relations-of-an-actor"), params={"actor": "malian ARMY"}
    )
    assert ("hostility", "from", "JNIM") in {tuple(map(str, row[:3])) for row in result.rows}


def test_unknown_parameter(local):
    with pytest.raises(ParameterError, match=r"\?country is not a parameter of .*partners"):
        run_query(local, PARTNERS, params={"country": "Mali"})


def test_several_values_in_a_values_block(local):
    result = run_query(local, PARTNERS, params={"actor": ["Wagner Group", "Russia"]})
    assert sorted(str(row[1]) for row in result.rows) == ["Mali", "Mali"]


def test_bind_default_is_replaced(local):
    text = """PREFIX ckr: <https://w3id.org/conflictkg/id/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?name WHERE { BIND (ckr:jnim AS ?who) ?who rdfs:label ?name }"""
    for engine in ENGINES:
        result = run_query(local, text, params={"who": "al-qaeda"}, engine=engine)
        assert [str(row[0]) for row in result.rows] == ["al-Qaeda"]
    with pytest.raises(ParameterError, match="BIND, which takes one value"):
        run_query(local, text, params={"who": ["JNIM", "ISIS"]})


def test_literal_default_keeps_its_datatype(local):
    text = """PREFIX ckg: <https://w3id.org/conflictkg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?event WHERE {
      VALUES ?day { "2024-09-17"^^<http://www.w3.org/2001/XMLSchema#date> }
      ?e ckg:date ?day ; a ckg:Coup ; rdfs:label ?event }"""
    with pytest.raises(ParameterError, match="'2017' is not a valid xsd:date value"):
        prepare(text, params={"day": "2017"})
    with pytest.raises(ParameterError, match="'17/09/2024' is not a valid xsd:date value"):
        prepare(text, params={"day": "17/09/2024"})
    prepared = prepare(text, params={"day": "2024-09-18"})
    assert prepared.bindings["day"] == [Literal("2024-09-18", datatype=XSD.date)]
    assert '"2024-09-18"^^<http://www.w3.org/2001/XMLSchema#date>' in prepared.text


@pytest.mark.parametrize("engine", ENGINES)
def test_text_cannot_break_out_of_a_literal(local, engine):
    text = 'SELECT ?said WHERE { VALUES ?said { "nothing" } }'
    hostile = 'x" } ?s ?p ?o . FILTER("a" = "a\n\\" # '
    result = run_query(local, text, params={"said": hostile}, engine=engine)
    assert result.variables == ["said"]
    assert result.rows == [(Literal(hostile),)]


@pytest.mark.parametrize(
    "hostile",
    [
        "<http://x/> } ?s ?p ?o { <http://y/>",
        "http://x/>{?s ?p ?o}",
        "ckr:jnim } ?s ?p ?o . VALUES ?x {",
    ],
)
def test_text_cannot_break_out_of_an_iri(local, hostile):
    with pytest.raises(ParameterError):
        run_query(local, PARTNERS, params={"actor": hostile})


def test_defaults_in_comments_and_strings_are_not_parameters():
    text = """# VALUES ?actor { <http://example.org/a> }
    SELECT ?x WHERE { BIND ("VALUES ?actor { 1 }" AS ?x) }"""
    with pytest.raises(ParameterError, match="not a parameter"):
        prepare(text, params={"actor": "<http://example.org/b>"})


def test_the_bound_query_is_the_one_that_runs():
    prepared = prepare(PARTNERS, params={"actor": URIRef(CKR["wagner-group"])})
    assert "VALUES ?actor { <https://w3id.org/conflictkg/id/wagner-group> }" in prepared.text
    assert "ckr:mali }" not in prepared.text
    assert prepared.bindings == {"actor": [CKR["wagner-group"]]}


def test_blank_nodes_are_refused():
    from rdflib import BNode

    with pytest.raises(ParameterError, match="blank node"):
        prepare(PARTNERS, params={"actor": BNode()})
