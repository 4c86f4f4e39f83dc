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


def test_the_build_lists_the_largest_voices_and_sources_of_a_corpus():
    from rich.console import Console

    from conflictkg.cli.build import _summary_tables
    from conflictkg.summary import Count, SourceEntry, Summary

    voices = tuple(Count(f"urn:x:v{n}", f"v{n}", f"voice {n}", n) for n in range(40))
    sources = tuple(SourceEntry(f"urn:x:s{n}", f"s{n}", f"s {n}", "report", n) for n in range(3))
    classes = tuple(Count(f"urn:x:c{n}", f"c{n}", f"class {n}", n) for n in range(30))
    summary = Summary(triples=1, classes=classes, sources=sources, statuses=(), voices=voices)
    tables = {table.title.split(" (")[0]: table for table in _summary_tables(summary, None)}
    assert tables["Voices the sources quote"].row_count == 25
    console = Console(record=True, width=200)
    console.print(tables["Voices the sources quote"])
    text = " ".join(console.export_text().split())
    assert "voice 39" in text and "voice 14" not in text  # the largest, the rest counted
    assert "the 25 largest of 40" in text
    assert tables["Sources"].row_count == 3 and tables["Sources"].caption is None
    assert tables["Resources per class"].row_count == 30  # every class, always
