"""Serialising the merged graph: faithful, sorted, with only the prefixes it uses."""

from __future__ import annotations

from conftest import UNIT
from rdflib import Graph
from rdflib.compare import isomorphic

from conflictkg.rdf.loading import load_files
from conflictkg.rdf.serialization import to_ntriples, to_turtle


def _graphs():
    return load_files([UNIT / "ontology.ttl"]), load_files([UNIT / "valid.ttl"])


def _union(*graphs):
    union = Graph()
    for graph in graphs:
        for triple in graph:
            union.add(triple)
    return union


def test_turtle_and_ntriples_round_trip():
    ontology, data = _graphs()
    union = _union(ontology, data)
    assert isomorphic(Graph().parse(data=to_turtle(ontology, data), format="turtle"), union)
    assert isomorphic(Graph().parse(data=to_ntriples(ontology, data), format="nt"), union)


def test_ntriples_lines_are_sorted_and_unique():
    ontology, data = _graphs()
    lines = to_ntriples(ontology, data, data).decode().splitlines()
    assert len(lines) == len(_union(ontology, data))
    subjects = [line.split(" ", 1)[0] for line in lines]
    assert subjects == sorted(subjects)


def test_turtle_declares_only_used_prefixes_in_order():
    ontology, data = _graphs()
    text = to_turtle(ontology, data).decode()
    prefixes = [line.split()[1] for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes)
    assert {"ckg:", "ckr:", "ckc:", "rdfs:", "skos:", "owl:", "xsd:"} <= set(prefixes)
    assert "prov:" not in prefixes and "rdf:" not in prefixes


def test_output_is_stable():
    ontology, data = _graphs()
    assert to_turtle(ontology, data) == to_turtle(ontology, data)
