"""RDFS reasoning: the closure, checked against owlrl, and the questions that need it."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from conflictkg.rdf.loading import load_project
from conflictkg.rdf.reasoning import inferred_triples, rdfs_closure
from conflictkg.sparql import LocalGraph, compare_with_expected, run_query
from conflictkg.sparql.library import library

REASONED = [q for q in library("cq") if q.reasoning == "rdfs"]
EX = "http://example.org/"


@pytest.fixture(scope="module")
def project():
    ontology, data = load_project()
    return ontology, data


def test_the_library_has_standard_vocabulary_questions():
    assert len(REASONED) >= 5


@pytest.mark.parametrize("question", REASONED, ids=lambda q: q.id)
def test_without_reasoning_they_miss_answers(project, question):
    ontology, data = project
    plain = run_query(LocalGraph(ontology + data), question, reasoning="none")
    assert compare_with_expected(plain, question) != []


def test_same_answers_as_owlrl(project):
    from owlrl import DeductiveClosure, RDFS_Semantics

    ontology, data = project
    theirs = Graph()
    theirs += ontology
    theirs += data
    DeductiveClosure(RDFS_Semantics).expand(theirs)
    ours = LocalGraph(rdfs_closure(ontology, data))
    owl = LocalGraph(theirs)
    for question in REASONED:
        # owlrl makes generalised triples (literal subjects): rdflib holds them, Oxigraph cannot
        mine = run_query(ours, question, reasoning="none", engine="rdflib")
        other = run_query(owl, question, reasoning="none", engine="rdflib")
        assert sorted(mine.rows, key=str) == sorted(other.rows, key=str), question.id
        if mine.graph is not None:
            assert len(mine.graph) == len(other.graph)
    # ours is contained in owlrl's; owlrl adds axiomatic, reflexive and literal-typing triples,
    # and copies of labels with their language tag dropped or added (not entailed)
    mine = set(rdfs_closure(ontology, data))
    assert mine <= set(theirs)
    texts = {(s, p, str(o)) for s, p, o in mine if isinstance(o, Literal)}
    for s, p, o in set(theirs) - mine:
        schema = p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)
        copy = isinstance(o, Literal) and (s, p, str(o)) in texts
        assert schema or copy, (s, p, o)


def _graph(text):
    return Graph().parse(
        data="@prefix ex: <http://example.org/> . "
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . " + text,
        format="turtle",
    )


def test_rules():
    graph = _graph(
        """
        ex:p rdfs:subPropertyOf ex:q . ex:q rdfs:subPropertyOf ex:r .
        ex:q rdfs:domain ex:D ; rdfs:range ex:R .
        ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C . ex:D rdfs:subClassOf ex:A .
        ex:x ex:p ex:y . ex:z a ex:A . ex:x ex:q "a literal" .
        """
    )
    closed = rdfs_closure(graph)

    def has(s, p, o):
        term = o if isinstance(o, Literal) else URIRef(EX + o) if "#" not in o else URIRef(o)
        return (URIRef(EX + s), p if isinstance(p, URIRef) else URIRef(EX + p), term) in closed

    assert has("p", RDFS.subPropertyOf, "r")  # rdfs5
    assert has("x", "q", "y") and has("x", "r", "y")  # rdfs7
    assert has("A", RDFS.subClassOf, "C")  # rdfs11
    assert has("z", RDF.type, "B") and has("z", RDF.type, "C")  # rdfs9
    assert has("x", RDF.type, "D") and has("x", RDF.type, "C")  # rdfs2, then rdfs9
    assert has("y", RDF.type, "R")  # rdfs3
    assert not any(isinstance(s, Literal) for s in closed.subjects())  # no literal typed
    assert not has("A", RDFS.subClassOf, "A")  # no reflexive triples


def test_closure_is_complete_and_leaves_inputs_alone(project):
    ontology, data = project
    sizes = len(ontology), len(data)
    closed = rdfs_closure(ontology, data)
    assert (len(ontology), len(data)) == sizes
    assert len(inferred_triples(closed)) == 0  # nothing left to derive
    new = inferred_triples(ontology, data)
    assert len(closed) == len(ontology + data) + len(new)
    assert not set(new) & set(ontology + data)


def test_cli_reasoning_option(runner):
    from conflictkg.cli import app

    args = ["query", "standard-wikidata-perpetrators", "-f", "csv"]
    with_closure = runner.invoke(app, args)
    without = runner.invoke(app, [*args, "--reasoning", "none"])
    assert with_closure.exit_code == without.exit_code == 0
    assert len(with_closure.stdout.splitlines()) == 6
    assert without.stdout.splitlines() == ["event,perpetrator"]
    forced = runner.invoke(app, ["query", "-", "--reasoning", "rdfs", "-f", "csv"],
                           input="ASK { ckr:jnim a prov:Agent }")
    assert forced.stdout.split() == ["_askResult", "true"]
