"""RDF exports read back by readers we did not write: pyoxigraph and rdflib's parsers."""

from __future__ import annotations

import json
import socket

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, XSD

from conflictkg import resources
from conflictkg.exporters import export, rdf
from conflictkg.namespaces import CKC, CKG, CKR
from conflictkg.projection import Filters
from conflictkg.rdf.loading import load_files

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG}
RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "trig": "trig"}


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


@pytest.fixture
def no_network(monkeypatch):
    """Make any attempt to open a connection fail the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _from_ox(quads) -> Graph:
    """Turn pyoxigraph quads into an rdflib graph (graph names dropped), for comparison."""
    out = Graph()
    bnodes: dict[str, BNode] = {}

    def term(value):
        if isinstance(value, ox.NamedNode):
            return URIRef(value.value)
        if isinstance(value, ox.BlankNode):
            return bnodes.setdefault(value.value, BNode())
        if value.language:
            return Literal(value.value, lang=value.language)
        if value.datatype.value == str(XSD.string):
            return Literal(value.value)
        return Literal(value.value, datatype=URIRef(value.datatype.value))

    for quad in quads:
        out.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return out


@pytest.mark.parametrize("name", list(FORMATS))
def test_both_readers_get_the_same_graph_back(graph, no_network, name):
    data = export(graph, name)
    by_oxigraph = _from_ox(ox.parse(data, format=FORMATS[name]))
    assert len(by_oxigraph) == len(graph)
    assert isomorphic(by_oxigraph, graph)
    if name == "trig":
        by_rdflib = Dataset()
        by_rdflib.parse(data=data, format="trig")
        union = Graph()
        for context in by_rdflib.graphs():
            for triple in context:
                union.add(triple)
    else:
        union = Graph().parse(data=data, format=RDFLIB[name])
    assert isomorphic(union, graph)


def test_jsonld_embeds_the_shipped_context(graph):
    document = json.loads(export(graph, "jsonld"))
    assert document["@context"] == rdf.load_context()["@context"]
    attack = next(n for n in document["@graph"] if n["@id"] == "ckr:bamako-2024-09-17-attack")
    assert attack["@type"] == "ckg:TerroristAttack"
    assert attack["perpetrator"] == "ckr:bamako-2024-09-17-attackers"
    assert attack["assertionStatus"] == "ckc:Reported"
    assert attack["earliestDate"] == "2024-09-17"
    assert attack["label"] == "Bamako attack of 17 September 2024"


def test_shipped_context_matches_the_ontology():
    shipped = rdf.load_context()
    derived = rdf.build_context(load_files(resources.ontology_files()))
    assert shipped == derived, (
        "src/conflictkg/context.jsonld is out of date; regenerate it with "
        'python -c "from conflictkg.exporters.rdf import write_context; write_context()"'
    )


def test_jsonld_keeps_values_that_do_not_fit_a_term():
    g = Graph().parse(format="turtle", data="""
        @prefix ckg: <https://w3id.org/conflictkg/ontology#> .
        @prefix ckr: <https://w3id.org/conflictkg/id/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ckr:e ckg:earliestDate "2017"^^xsd:gYear ; ckg:minimumValue 50 ;
            rdfs:label "plain" , "English"@en , "français"@fr ;
            ckg:perpetrator "a literal where an IRI belongs" ;
            <http://example.org/other#p> _:b .
        _:b rdfs:label "blank"@en .
    """)
    data = export(g, "jsonld")
    back = Graph().parse(data=data, format="json-ld")
    assert isomorphic(back, g)
    node = next(n for n in json.loads(data)["@graph"] if n["@id"] == "ckr:e")
    assert node["earliestDate"] == {"@value": "2017", "@type": "xsd:gYear"}
    assert node["minimumValue"] == "50"


def test_trig_puts_each_source_s_records_in_its_graph(graph):
    data = export(graph, "trig")
    dataset = Dataset()
    dataset.parse(data=data, format="trig")
    sources = set(graph.objects(None, CKG.assertedBy))
    named = {c.identifier: c for c in dataset.graphs() if c.identifier in sources}
    assert set(named) == sources
    for source, context in named.items():
        subjects = set(context.subjects())
        assert subjects
        for subject in subjects:
            assert (subject, CKG.assertedBy, source) in graph
    default = dataset.default_graph
    assert not list(default.triples((None, CKG.assertedBy, None)))
    assert (CKG.Attack, RDF.type, OWL.Class) in default
    # an entity's default source is its graph, as for records
    report = named[CKR["report-bamako-2024-09-17"]]
    assert (CKR.jnim, RDF.type, CKG.JihadistGroup) in report
    others = [c.identifier for c in dataset.graphs() if c.identifier not in sources]
    assert all(str(name).startswith("urn:x-rdflib:") for name in others)


def test_filters_leave_out_records_of_other_statuses(graph):
    claimed = set(graph.subjects(CKG.assertionStatus, CKC.ClaimedByParty))
    assert claimed
    data = export(graph, "turtle", filters=Filters(exclude_statuses=frozenset({"ClaimedByParty"})))
    kept = Graph().parse(data=data, format="turtle")
    assert not set(kept.subjects(CKG.assertionStatus, CKC.ClaimedByParty))
    assert not any((record, None, None) in kept for record in claimed)
    assert (None, CKG.assertionStatus, CKC.Reported) in kept
    assert len(kept) < len(graph)
