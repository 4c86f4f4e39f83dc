"""The ontology, its code lists and its shapes checked against themselves and the data."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conflictkg import resources
from conflictkg.namespaces import CKG
from conflictkg.rdf.loading import load_files
from conflictkg.rdf.validation import validate_ontology

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"
CKG_NS = str(CKG._NS)
WD = "http://www.wikidata.org/entity/"


def _reference(name: str) -> Path:
    """A file of the checked reference data, which lives beside the repository."""
    path = REFERENCE / name
    if not path.is_file():
        pytest.fail(f"{path} not found: the checked reference data (Wikidata ids, "
                    "coordinates) is read from ../shared/reference beside the repository; "
                    "clone the project next to it", pytrace=False)
    return path


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_files(resources.ontology_files())


@pytest.fixture(scope="module")
def data() -> Graph:
    return load_files(resources.graph_files())


def defined_terms(ontology: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {
        str(s)[len(CKG_NS):]
        for kind in kinds
        for s in ontology.subjects(RDF.type, kind)
        if str(s).startswith(CKG_NS)
    }


def test_closed_namespace_lists_exactly_the_ontology_terms(ontology):
    in_code = set(CKG.__annotations__)
    assert in_code == defined_terms(ontology)


def test_closed_namespace_rejects_a_typo():
    with pytest.raises(AttributeError):
        CKG.perpetratr  # noqa: B018


def test_ontology_conforms_to_its_own_shapes(ontology):
    conforms, _, text = validate_ontology(ontology)[:3]
    assert conforms, text


def test_ontology_shapes_catch_a_term_without_definition(ontology):
    broken = Graph()
    broken += ontology
    broken.remove((CKG.perpetrator, SKOS.definition, None))
    conforms, _, text = validate_ontology(broken)[:3]
    assert not conforms
    assert "perpetrator" in text


def test_no_owl_imports_anywhere(ontology):
    assert not list(ontology.triples((None, OWL.imports, None)))


def test_every_ckg_term_used_in_the_data_is_defined(ontology, data):
    defined = defined_terms(ontology)
    used = {str(t)[len(CKG_NS):] for triple in data for t in triple if str(t).startswith(CKG_NS)}
    assert used - defined == set()


def test_founding_rule_lists_every_participant_property(ontology):
    """The shape EventAfterActorFounded spells out the subproperties of ckg:participant."""
    closure = {CKG.participant}
    grew = True
    while grew:
        more = {s for s, o in ontology.subject_objects(RDFS.subPropertyOf) if o in closure}
        grew = not more <= closure
        closure |= more
    shapes_text = resources.shapes_file().read_text(encoding="utf-8")
    block = shapes_text[shapes_text.index("ckgsh:EventAfterActorFounded") :]
    block = block[block.index("FILTER (?role IN") :]
    listed = set(re.findall(r"ckg:(\w+)", block[: block.index("))")]))
    names = {str(p)[len(CKG_NS):] for p in closure}
    assert names <= listed


def test_wikidata_links_are_only_checked_ids(data, ontology):
    with _reference("wikidata-ids.tsv").open(encoding="utf-8") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    checked = {row["wikidata_id"] for row in csv.DictReader(rows, delimiter="\t")}
    linked = {str(o)[len(WD):] for o in data.objects(None, CKG.wikidataEntity)}
    linked |= {
        str(o)[len(WD):] for o in ontology.objects() if str(o).startswith(WD) and "/Q" in str(o)
    }
    assert linked, "some entities should be linked"
    assert linked <= checked


def test_coordinates_come_from_the_gazetteer(data):
    with _reference("gazetteer.tsv").open(encoding="utf-8") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    points = {
        (round(float(r["longitude"]), 5), round(float(r["latitude"]), 5))
        for r in csv.DictReader(rows, delimiter="\t")
    }
    wkt = URIRef("http://www.opengis.net/ont/geosparql#asWKT")
    found = set()
    for literal in data.objects(None, wkt):
        lon, lat = map(float, re.findall(r"-?\d+\.?\d*", str(literal)))
        found.add((round(lon, 5), round(lat, 5)))
    assert found and found <= points


def test_alignment_targets_are_standard_vocabularies():
    alignments = load_files([resources.data_dir("ontology") / "alignments.ttl"])
    allowed = (
        "http://semanticweb.cs.vu.nl/2009/11/sem/",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/ns/org#",
        "https://schema.org/",
        "http://www.opengis.net/ont/geosparql#",
        "http://www.w3.org/2006/time#",
        "http://www.wikidata.org/",
        "http://www.w3.org/2004/02/skos/core#",
    )
    for s, p, o in alignments:
        if p in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch):
            assert str(o).startswith(allowed), (s, p, o)


def test_every_event_carries_the_codes_that_apply(data, ontology):
    """Attacks carry ACLED, GTD and PLOVER codes: the shapes require it; check the report."""
    merged = Graph()
    merged += ontology
    merged += data
    rows = merged.query(
        """PREFIX ckg: <https://w3id.org/conflictkg/ontology#>
        SELECT ?attack WHERE {
            ?attack a ckg:TerroristAttack .
            ?attack ckg:acledEventType ?a ; ckg:acledSubEventType ?s ; ckg:gtdAttackType ?g ;
                    ckg:gtdTargetType ?t ; ckg:gtdWeaponType ?w ; ckg:ploverEventType ?p .
        }"""
    )
    assert len({row[0] for row in rows}) == 1
