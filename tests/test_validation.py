"""Validation: pySHACL results made readable, and the closed ckg: vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DATA, UNIT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from conflictkg.errors import ShapesError
from conflictkg.rdf.loading import load_files
from conflictkg.rdf.rules import Vocabulary, rule_findings
from conflictkg.rdf.validation import (
    CLOSED_VOCABULARY_SHAPE,
    validate,
    validate_ontology,
    violations,
)

CKG = "https://w3id.org/conflictkg/ontology#"
CKR = "https://w3id.org/conflictkg/id/"


@pytest.fixture(scope="module")
def ontology():
    return load_files([UNIT / "ontology.ttl"])


@pytest.fixture(scope="module")
def shapes():
    return load_files([UNIT / "shapes.ttl"])


def _check(name, ontology, shapes, **options):
    data = load_files([UNIT / name])
    conforms, report, text = validate(
        data, shapes_graph=shapes, ontology_graph=ontology, **options
    )
    found = violations(report, data_graph=data, ontology_graph=ontology, shapes_graph=shapes)
    return conforms, report, text, {v.focus.removeprefix(CKR): v for v in found}, found


def test_valid_data_conforms(ontology, shapes):
    conforms, report, text, _, found = _check("valid.ttl", ontology, shapes)
    assert conforms
    assert found == []
    assert "Conforms: True" in text
    assert (None, SH.conforms, Literal(True)) in report


def test_code_lists_are_mixed_in(ontology, shapes):
    # ckc:Reported is in the scheme only according to the ontology graph; the
    # data alone would fail RecordHasStatus.
    data = load_files([UNIT / "valid.ttl"])
    in_scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    assert not list(data.triples((None, in_scheme, None)))
    assert validate(data, shapes_graph=shapes, ontology_graph=ontology)[0]


def test_invalid_data_results(ontology, shapes):
    conforms, report, text, by_focus, found = _check("invalid.ttl", ontology, shapes)
    assert not conforms
    assert (None, SH.conforms, Literal(False)) in report

    no_source = by_focus["no-source"]
    assert no_source.rule == "record names its source"  # sh:name beats rdfs:label
    assert no_source.rule_id == "RecordHasSource"
    assert no_source.focus_label == "Attack without source"
    assert no_source.path == "ckg:assertedBy"
    assert no_source.severity == "Violation"
    assert no_source.message == "Say which source asserts this record."

    bad_status = by_focus["bad-status"]
    assert bad_status.rule == "record has a status from the scheme"  # rdfs:label
    assert bad_status.value == "ckc:Rumoured"

    bad_date = by_focus["bad-date"]
    # an anonymous, unnamed shape is named after the named shape around it
    assert bad_date.rule == bad_date.rule_id == "RecordShape"
    assert bad_date.value == '"17 September"'

    self_attack = by_focus["self-attack"]
    assert self_attack.rule == "an attack is not its own perpetrator"  # SPARQL constraint label
    assert self_attack.rule_id == "NoSelfPerpetrator"

    unlabelled = by_focus["unlabelled"]
    assert unlabelled.severity == "Warning"
    assert unlabelled.focus_label == "ckr:unlabelled"  # no label: compact IRI

    # nested results (sh:detail) are not listed on their own
    assert not any(v.focus.endswith("code/Rumoured") for v in found)
    # warnings come last
    assert found[-1].severity == "Warning"
    assert f"Results ({len(found)}):" in text


def test_undefined_terms_get_a_suggestion(ontology, shapes):
    *_, found = _check("invalid.ttl", ontology, shapes)
    closed = {v.path: v for v in found if v.rule_id == "ClosedVocabulary"}
    assert set(closed) == {"ckg:perpetratr", "rdf:type"}
    assert closed["ckg:perpetratr"].message == (
        "ckg:perpetratr is not defined in the ontology; did you mean ckg:perpetrator?"
    )
    assert closed["rdf:type"].value == "ckg:Atack"
    assert closed["rdf:type"].message.endswith("did you mean ckg:Attack?")
    assert closed["rdf:type"].focus_label == "Record with typos"


def test_closed_vocabulary_results_are_in_the_report(ontology, shapes):
    _, report, text, *_ = _check("invalid.ttl", ontology, shapes)
    sources = set(report.objects(None, SH.sourceShape))
    assert CLOSED_VOCABULARY_SHAPE in sources
    assert "ckg:perpetratr is not defined in the ontology" in text


def test_other_results_naming_undefined_terms_are_enriched(ontology):
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ckg: <https://w3id.org/conflictkg/ontology#> .
        <https://example.org/s#NoTypos> a sh:NodeShape ;
            sh:targetSubjectsOf ckg:perpetratr ;
            sh:property [ sh:path ckg:perpetratr ; sh:maxCount 0 ; sh:message "Bad property." ] .
        """,
    )
    data = load_files([UNIT / "invalid.ttl"])
    _, report, _ = validate(data, shapes_graph=shapes, ontology_graph=ontology)
    found = violations(report, data_graph=data, ontology_graph=ontology)
    enriched = [v for v in found if v.rule_id == "NoTypos"]
    assert len(enriched) == 1
    assert enriched[0].message == (
        "Bad property. (ckg:perpetratr is not defined in the ontology; "
        "did you mean ckg:perpetrator?)"
    )


def test_warnings_do_not_fail_unless_strict(ontology, shapes):
    conforms, *_ , found = _check("warning-only.ttl", ontology, shapes)
    assert conforms
    assert [v.severity for v in found] == ["Warning"]
    strict_conforms, *_ = _check("warning-only.ttl", ontology, shapes, strict=True)
    assert not strict_conforms


def test_validate_ontology(ontology):
    ontology_shapes = load_files([UNIT / "ontology-shapes.ttl"])
    assert validate_ontology(ontology, shapes_graph=ontology_shapes)[0]
    broken = Graph()
    for triple in ontology:
        broken.add(triple)
    broken.add((URIRef(CKG + "Unlabelled"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                URIRef("http://www.w3.org/2002/07/owl#Class")))
    conforms, report, _ = validate_ontology(broken, shapes_graph=ontology_shapes)
    assert not conforms
    found = violations(report, data_graph=broken, ontology_graph=broken)
    assert [v.rule for v in found] == ["every class has a label"]
    assert found[0].focus_label == "ckg:Unlabelled"


def test_vocabulary(ontology):
    terms = Vocabulary.from_ontology(ontology)
    assert "Attack" in terms.classes and "perpetrator" in terms.properties
    assert "editorialNote" in terms.properties  # annotation property
    assert terms.defines(URIRef(CKG + "date"))
    assert not terms.defines(URIRef(CKG + "dat"))
    # other namespaces are not this check's business
    assert terms.defines(URIRef("https://example.org/anything"))
    assert terms.suggest("attack", "class") == "Attack"  # case is ignored
    assert terms.suggest("qqqqqqqq") is None
    assert terms.hint(URIRef(CKG + "qqqqqqqq")) == "ckg:qqqqqqqq is not defined in the ontology"


def test_undefined_terms_positions(ontology):
    from conflictkg.rdf.rules import CLOSED_VOCABULARY_SHAPE, OntologyIndex
    from conflictkg.rdf.shacl_sparql import store_from_graphs

    data = load_files([UNIT / "invalid.ttl"])
    store = store_from_graphs({"urn:x:data": data, "urn:x:ontology": ontology})
    found = rule_findings(store, index=OntologyIndex.from_ontology(ontology))
    closed = [f for f in found if f.shape == CLOSED_VOCABULARY_SHAPE]
    where = {
        (str(f.path).removeprefix(CKG), None if f.value is None else str(f.value)) for f in closed
    }
    assert where == {
        ("perpetratr", None),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", CKG + "Atack"),
    }


def test_rules_report_values_of_every_kind_and_focus_on_a_file(project):
    """Literal, blank-node and wrong-class values, in triples and in statements; the same
    findings from the whole store and from the focus set of the file that holds them."""
    import pyoxigraph as ox

    from conflictkg.rdf.rules import OntologyIndex
    from conflictkg.rdf.shacl_sparql import store_from_graphs

    data = Graph().parse(
        format="turtle",
        data="""
        @prefix ckg: <https://w3id.org/conflictkg/ontology#> .
        @prefix ckr: <https://w3id.org/conflictkg/id/> .
        @prefix ckc: <https://w3id.org/conflictkg/code/> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        ckr:raid a ckg:Attack ;
            ckg:perpetrator "JNIM" , ckr:town , [ a ckg:City ] ;
            ckg:assertionStatus ckc:Rumoured .
        ckr:town a ckg:City .
        ckr:raid-claimed a ckg:Statement ;
            rdf:subject ckr:raid ; rdf:predicate ckg:targetedActor ; rdf:object ckr:town .
        """,
    )
    ontology = project[0]
    store = store_from_graphs({"urn:x:ontology": ontology}, ox.Store())
    store_from_graphs({"urn:x:data": data}, store)
    index = OntologyIndex.from_ontology(ontology)

    def shown(findings):
        return sorted((f.shape.rsplit("#", 1)[1], f.message) for f in findings)

    found = shown(rule_findings(store, index=index))
    ranges = [message for rule, message in found if rule == "ValueOfItsRange"]
    assert len(ranges) == 4
    assert any("not the text 'JNIM'" in message for message in ranges)
    assert any("a blank node is a city (ckg:City)" in message for message in ranges)
    assert any(message.startswith("ckg:targetedActor") for message in ranges)
    assert [rule for rule, _ in found].count("CodeFromItsList") == 1
    focus = {node for node in data.subjects() if isinstance(node, URIRef)}
    assert shown(rule_findings(store, index=index, focus=focus)) == found


def test_unusable_shapes_raise_shapes_error(ontology):
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/s#Bad> a sh:NodeShape ;
            sh:targetNode <https://example.org/a> ;
            sh:property [ sh:path <https://example.org/p> ; sh:minCount -1 ] .
        """,
    )
    with pytest.raises(ShapesError):
        validate(Graph(), shapes_graph=shapes, ontology_graph=ontology)


# --- the project's own example files ----------------------------------------------


def _rule_header(path: Path) -> str | None:
    match = re.search(r"^# rule: *(\S+)", path.read_text(encoding="utf-8"), flags=re.M)
    return match.group(1) if match else None


def _file_store(ontology, shared, path):
    """A store as a build makes it: the ontology, then each data file in its own graph."""
    import pyoxigraph as ox

    from conflictkg import resources
    from conflictkg.rdf.shacl_sparql import store_from_graphs
    from conflictkg.store import graph_name_for, load_file

    store = store_from_graphs({"urn:conflictkg:file:ontology/all": ontology}, ox.Store())
    root = resources.data_dir("graph").parent
    for file in shared:
        load_file(store, file, graph_name_for(file.relative_to(root).as_posix()))
    load_file(store, path, graph_name_for(str(path.resolve()), extra=True))
    return store


def _examined(project, path):
    """Validate an example with the project's shared files, as a build does; and check it."""
    from conflictkg.rdf.rules import OntologyIndex
    from conflictkg.rdf.validation import validate_store
    from conflictkg.sparql import LocalGraph
    from conflictkg.sparql.checks import failed, run_checks
    from conflictkg.store import rdflib_view

    ontology, shapes, shared = project
    store = _file_store(ontology, shared, path)
    conforms, report, _ = validate_store(
        store, shapes_graph=shapes, index=OntologyIndex.from_ontology(ontology)
    )
    view = rdflib_view(store)
    found = violations(report, data_graph=view, ontology_graph=ontology, shapes_graph=shapes)
    checks = {result.id for result in failed(run_checks(LocalGraph.from_store(store)))}
    return conforms, found, checks


@pytest.mark.parametrize(
    "path", sorted((DATA / "valid").glob("*.ttl")), ids=lambda p: p.name
)
def test_project_valid_examples_conform(project, path):
    conforms, found, checks = _examined(project, path)
    assert conforms, [v for v in found if v.severity == "Violation"]
    assert checks == set()


@pytest.mark.parametrize(
    "path", sorted((DATA / "invalid").glob("*.ttl")), ids=lambda p: p.name
)
def test_project_invalid_examples_fail_their_rule(project, path):
    """Each file breaks one rule (a shape, or a check of queries/checks) and no other."""
    rule = _rule_header(path)
    assert rule is not None, f"{path.name} must name the rule it breaks in a '# rule:' line"
    conforms, found, checks = _examined(project, path)
    fired = {v.rule_id for v in found if v.severity == "Violation"} | checks
    assert fired == {rule}
    if not rule.endswith("-violation"):
        assert not conforms


def test_prepared_sparql_gives_the_same_results_and_restores_rdflib(
    ontology, shapes, monkeypatch
):
    import contextlib

    from rdflib.plugins.sparql.processor import SPARQLProcessor

    from conflictkg.rdf import validation

    original = SPARQLProcessor.query
    *_, with_cache = _check("invalid.ttl", ontology, shapes)
    assert SPARQLProcessor.query is original
    monkeypatch.setattr(validation, "_prepared_sparql", contextlib.nullcontext)
    *_, without_cache = _check("invalid.ttl", ontology, shapes)
    assert with_cache == without_cache
    assert any(v.rule_id == "NoSelfPerpetrator" for v in with_cache)


def test_a_count_beyond_the_store_integers_says_what_is_wrong(project):
    # 10^29 is an integer of 0 or more: the message names the range the store holds
    path = DATA / "invalid" / "count-beyond-the-largest-integer.ttl"
    _, found, _ = _examined(project, path)
    messages = {v.message for v in found if v.severity == "Violation"}
    assert messages, found
    assert all("ckg:minimumValue" in m and "9,223,372,036,854,775,807" in m for m in messages)
    assert not any("one integer, 0 or more" in m for m in messages)
