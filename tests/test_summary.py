"""Summary figures: classes, sources, assertion statuses."""

from __future__ import annotations

from conftest import UNIT
from rdflib import URIRef

from conflictkg.rdf.loading import load_files
from conflictkg.summary import subclasses, summarize

CKG = "https://w3id.org/conflictkg/ontology#"


def _summary():
    return summarize(load_files([UNIT / "valid.ttl"]), load_files([UNIT / "ontology.ttl"]))


def test_counts_per_class_use_direct_types_and_english_labels():
    rows = {row.name: (row.label, row.count) for row in _summary().classes}
    assert rows == {
        "ckg:Attack": ("attack", 2),
        "ckg:Event": ("event", 1),  # the attacks are not counted again as events
        "ckg:Actor": ("actor", 1),
        "ckg:Report": ("report", 1),
        "ckg:Dataset": ("dataset", 1),
        "ckg:Source": ("source", 1),
    }
    assert _summary().classes[0].name == "ckg:Attack"  # largest first


def test_sources_include_subclass_instances():
    sources = {s.name: (s.label, s.kind, s.records) for s in _summary().sources}
    assert sources == {
        "ckr:report-1": ("Report one", "report", 2),
        "ckr:dataset-1": ("Dataset one", "dataset", 2),  # skos:prefLabel
        "ckr:unused-source": ("ckr:unused-source", "source", 0),
    }


def test_records_per_status_with_pref_labels():
    statuses = [(s.label, s.count) for s in _summary().statuses]
    assert statuses == [("Reported", 2), ("Claimed by a party", 1)]


def test_triple_count():
    assert _summary().triples == len(load_files([UNIT / "valid.ttl"]))


def test_subclasses_are_transitive():
    ontology = load_files([UNIT / "ontology.ttl"])
    found = subclasses(URIRef(CKG + "Source"), ontology)
    assert found == {URIRef(CKG + n) for n in ("Source", "Document", "Report", "Dataset")}
