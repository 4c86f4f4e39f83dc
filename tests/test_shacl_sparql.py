"""The SHACL shapes compiled to SPARQL give pySHACL's results, on every fixture.

pySHACL, run as :func:`conflictkg.rdf.validation.validate` runs it, is the reference.  Each
comparison takes the set of (focus node, named shape, result path, constraint component,
severity, value) of both reports (the source shape itself when it is named, else the named
shape containing it, plus the path to tell its anonymous property shapes apart), without
the rules computed in Python (:data:`PYTHON_RULES`), and requires them to be equal.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from unittest import mock

import pytest
import synthetic
from conftest import DATA, UNIT
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from conflictkg import resources
from conflictkg.rdf import shacl_sparql
from conflictkg.rdf.loading import load_files
from conflictkg.rdf.shacl_sparql import (
    UnsupportedShapeError,
    compile_shapes,
    graph_focus_nodes,
    store_from_files,
    store_from_graphs,
)
from conflictkg.rdf.validation import PYTHON_RULES, validate, violations

EX = "https://example.org/"


def result_keys(report: Graph, shapes: Graph) -> set[tuple]:
    """The comparable part of every top-level result of a report."""
    compiler = shacl_sparql._Compiler(shapes)
    keys = set()
    for result in report.objects(None, SH.result):
        shape = report.value(result, SH.sourceShape)
        if shape in PYTHON_RULES:
            continue
        owner = shape if isinstance(shape, URIRef) else compiler.owner(shape)
        assert owner is not None or isinstance(shape, BNode)
        path = report.value(result, SH.resultPath)
        written = None
        if path is not None:
            written = shacl_sparql._Compiler(report).path(path, shape)
        keys.add(
            (
                report.value(result, SH.focusNode),
                owner,
                written,
                report.value(result, SH.sourceConstraintComponent),
                report.value(result, SH.resultSeverity),
                report.value(result, SH.value),
            )
        )
    return keys


def node_by_node(store, shapes, **options):
    """Validate with the node-by-node batches that a small focus set gets, whatever the size."""
    with mock.patch.object(shacl_sparql, "_COUNT_AT_ONCE_ABOVE", math.inf):
        return shacl_sparql.validate(store, shapes, **options)


def both(data: Graph, shapes: Graph, ontology: Graph, **options):
    """Validate with pySHACL and with the compiled queries; return both keys and reports.

    The compiled queries run twice: with the counts counted for every node at once (a
    whole-store run) and node by node (a small focus set); both must give the same results.
    """
    _, reference, _ = validate(data, shapes_graph=shapes, ontology_graph=ontology)
    store = store_from_graphs({"urn:test:data": data, "urn:test:ontology": ontology})
    conforms, report, text = shacl_sparql.validate(store, shapes, **options)
    keys = result_keys(report, shapes)
    again, by_node, _ = node_by_node(store, shapes, **options)
    assert (again, result_keys(by_node, shapes)) == (conforms, keys)
    return result_keys(reference, shapes), keys, (conforms, report, text)


EXAMPLES = sorted((DATA / "valid").glob("*.ttl")) + sorted((DATA / "invalid").glob("*.ttl"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_results_as_pyshacl_on_the_examples(project, path):
    ontology, shapes, shared = project
    data = load_files([*shared, path])
    reference, compiled, (conforms, _, _) = both(data, shapes, ontology)
    assert compiled == reference
    if path.parent.name == "valid":
        assert conforms


def test_invalid_examples_break_their_rule_in_the_compiled_report(project):
    ontology, shapes, shared = project
    fired_somewhere = set()
    for path in sorted((DATA / "invalid").glob("*.ttl")):
        data = load_files([*shared, path])
        store = store_from_graphs({"urn:test:data": data, "urn:test:ontology": ontology})
        _, report, _ = shacl_sparql.validate(store, shapes)
        found = violations(report, data_graph=data, ontology_graph=ontology, shapes_graph=shapes)
        rule = re.search(r"^# rule: *(\S+)", path.read_text(encoding="utf-8"), re.M).group(1)
        fired = {v.rule_id for v in found if v.severity == "Violation"}
        assert fired <= {rule}, path.name  # the Python rules and checks are not SHACL
        fired_somewhere |= fired
    assert len(fired_somewhere) >= 15


def test_same_results_on_the_project_graph(project):
    ontology, shapes, _ = project
    data = load_files(resources.graph_files())
    reference, compiled, (conforms, _, text) = both(data, shapes, ontology)
    assert compiled == reference
    assert conforms and "Conforms: True" in text


@pytest.mark.parametrize("name", ["valid.ttl", "invalid.ttl", "warning-only.ttl"])
def test_same_results_on_the_unit_fixtures(name):
    ontology = load_files([UNIT / "ontology.ttl"])
    shapes = load_files([UNIT / "shapes.ttl"])
    data = load_files([UNIT / name])
    reference, compiled, (conforms, report, _) = both(data, shapes, ontology)
    assert compiled == reference
    if name == "warning-only.ttl":
        assert conforms and compiled
        store = store_from_graphs({"urn:test:data": data, "urn:test:ontology": ontology})
        assert not shacl_sparql.validate(store, shapes, strict=True)[0]


def test_unit_report_reads_like_pyshacl():
    """violations() reads the compiled report as it reads pySHACL's."""
    ontology = load_files([UNIT / "ontology.ttl"])
    shapes = load_files([UNIT / "shapes.ttl"])
    data = load_files([UNIT / "invalid.ttl"])
    store = store_from_graphs({"urn:test:data": data, "urn:test:ontology": ontology})
    conforms, report, text = shacl_sparql.validate(store, shapes)
    assert not conforms
    found = {v.focus.rsplit("/", 1)[-1]: v for v in violations(
        report, data_graph=data, ontology_graph=ontology, shapes_graph=shapes
    )}
    assert found["no-source"].rule == "record names its source"
    assert found["no-source"].message == "Say which source asserts this record."
    assert found["bad-date"].rule_id == "RecordShape"  # anonymous: named after its owner
    assert found["self-attack"].rule_id == "NoSelfPerpetrator"
    assert found["unlabelled"].severity == "Warning"
    assert "Results (" in text and "Constraint Violation in" in text


@pytest.fixture(scope="module")
def synthetic_sample(project):
    ontology, shapes, _ = project
    data = load_files(resources.graph_files())
    data += synthetic.generate(6_000, seed=7, errors=10)
    return data


def test_same_results_on_synthetic_data_with_planted_errors(project, synthetic_sample):
    ontology, shapes, _ = project
    reference, compiled, (conforms, _, _) = both(synthetic_sample, shapes, ontology)
    assert not conforms
    assert compiled == reference
    rules = {str(key[1]).rsplit("#", 1)[-1] for key in reference}
    assert set(synthetic.ERROR_KINDS) <= rules


@pytest.mark.parametrize("workers", [1, 3])
def test_threads_change_neither_the_results_nor_their_order(project, synthetic_sample, workers):
    ontology, shapes, _ = project
    store = store_from_graphs({"urn:test:data": synthetic_sample, "urn:test:ontology": ontology})
    _, _, text = shacl_sparql.validate(store, shapes, workers=2)
    conforms, _, again = shacl_sparql.validate(store, shapes, workers=workers)
    assert not conforms and again == text and text.count("Constraint Violation") >= 10


def test_focus_sets_of_the_files_add_up_to_the_whole_graph(project, tmp_path):
    ontology_files = resources.ontology_files()
    shapes = project[1]
    sample = tmp_path / "synthetic.nt"
    synthetic.write(3_000, sample, seed=3, errors=10)
    files = [*ontology_files, *resources.graph_files(), sample]
    store = store_from_files(files)
    compiled = compile_shapes(shapes)
    whole = result_keys(shacl_sparql.validate(store, compiled)[1], shapes)
    assert whole
    union: set[tuple] = set()
    for file in files:
        focus = graph_focus_nodes(store, Path(file).resolve().as_uri(), compiled)
        part = result_keys(shacl_sparql.validate(store, compiled, focus=focus)[1], shapes)
        assert {key[0] for key in part} <= focus
        union |= part
    assert union == whole
    # a focus set reports exactly the whole graph's results for its nodes
    some = {key[0] for key in sorted(whole, key=str)[:3]}
    part = result_keys(shacl_sparql.validate(store, compiled, focus=some)[1], shapes)
    assert part == {key for key in whole if key[0] in some}


# --- small made-up shapes --------------------------------------------------------------------

PREFIXES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <{EX}> .
"""

DATA_TTL = PREFIXES + """
ex:Animal a rdfs:Class . ex:Dog rdfs:subClassOf ex:Animal .
ex:rex a ex:Dog ; ex:name "Rex" , "Rexy" ; ex:age 3 ; ex:born "2020-01-01"^^xsd:date ;
    ex:died "2019-01-01"^^xsd:date ; ex:friend ex:tom , ex:rex ; ex:code "AB12" ;
    ex:owner [ a ex:Person ; ex:name "Ann" ] .
ex:tom a ex:Animal ; ex:age -1 ; ex:age "old" ; ex:friend ex:rex ; ex:code "zz" ;
    ex:parent ex:rex .
ex:list ex:items ( ex:rex ex:tom "text" ) .
"""


def run_both(shapes_ttl: str, data_ttl: str = DATA_TTL):
    shapes = Graph().parse(data=PREFIXES + shapes_ttl, format="turtle")
    data = Graph().parse(data=data_ttl, format="turtle")
    reference, compiled, outcome = both(data, shapes, Graph())
    return reference, compiled, outcome


@pytest.mark.parametrize(
    "shape",
    [
        # counts, on predicates and on paths
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:property [ sh:path ( ex:friend ex:friend ) ; sh:minCount 3 ] .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:list ; sh:property [ "
        "sh:path ( ex:items [ sh:zeroOrMorePath rdf:rest ] rdf:first ) ; sh:class ex:Animal ] .",
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:parent ; "
        "sh:property [ sh:path [ sh:inversePath ex:friend ] ; sh:maxCount 0 ] .",
        "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:friend ; "
        "sh:property [ sh:path [ sh:alternativePath ( ex:name ex:code ) ] ; sh:maxCount 2 ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:property [ sh:path [ sh:oneOrMorePath ex:friend ] ; sh:hasValue ex:list ] .",
        # value types and ranges
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:minInclusive 0 ; "
        "sh:maxExclusive 20 ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:property [ sh:path ex:code ; sh:pattern \"^[A-Z]+[0-9]*$\" ; sh:minLength 3 ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:property [ sh:path ex:friend ; sh:nodeKind sh:IRI ; sh:in ( ex:tom ) ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Dog ; "
        "sh:property [ sh:path ex:owner ; sh:class ex:Animal ; sh:nodeKind sh:BlankNode ] .",
        # pairs
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:property [ sh:path ex:born ; sh:lessThanOrEquals ex:died ] , "
        "[ sh:path ex:friend ; sh:disjoint ex:parent ] .",
        # logic and nesting; severity
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; sh:severity sh:Warning ; "
        "sh:or ( [ sh:class ex:Dog ] [ sh:path ex:name ; sh:minCount 1 ] ) .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:xone ( [ sh:path ex:name ; sh:minCount 1 ] [ sh:path ex:age ; sh:minCount 1 ] ) .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; sh:not [ sh:class ex:Dog ] ; "
        "sh:and ( [ sh:path ex:age ; sh:minCount 1 ] ) .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:property [ sh:path ex:friend ; sh:node ex:Named ] . "
        "ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
        # deactivated shapes say nothing
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; sh:deactivated true ; "
        "sh:property [ sh:path ex:zzz ; sh:minCount 1 ] .",
        # SPARQL targets and constraints, with prefixes and $this
        "ex: sh:declare [ sh:prefix \"ex\" ; sh:namespace \"https://example.org/\"^^xsd:anyURI ] . "
        "ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:prefixes ex: ; "
        "sh:select \"SELECT ?this WHERE { ?this ex:age ?a }\" ] ; "
        "sh:sparql [ sh:prefixes ex: ; sh:message \"{$this} befriends {?value}\" ; "
        "sh:select \"SELECT $this ?value WHERE { $this ex:friend ?value . "
        "?value ex:friend $this }\" ] .",
    ],
)
def test_made_up_shapes(shape):
    reference, compiled, _ = run_both(shape)
    assert compiled == reference
    assert compiled or "deactivated" in shape  # each made-up shape finds something


def test_compiled_query_of_a_small_shape():
    shapes = Graph().parse(
        data=PREFIXES
        + "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; "
        "sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ] .",
        format="turtle",
    )
    compiled = compile_shapes(shapes)
    kinds = sorted(q.kind for q in compiled.queries)
    assert kinds == ["focus", "value"]
    value = next(q for q in compiled.queries if q.kind == "value")
    assert value.walk == f"?this <{EX}name> ?value ."
    assert [c.component for c in value.checks] == [SH.DatatypeConstraintComponent]
    assert compiled.classes == {URIRef(EX + "Animal")}
    assert all("#FOCUS#" in batch.text for batch in compiled.batches)


def test_sparql_messages_are_filled_in():
    shapes = (
        "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; sh:sparql [ "
        "sh:message \"{$this} is a friend of {?value}\"@en ; "
        "sh:select \"SELECT $this ?value WHERE { $this <https://example.org/friend> ?value }\" ] ."
    )
    _, compiled, (conforms, report, text) = run_both(shapes)
    messages = {str(m) for m in report.objects(None, SH.resultMessage)}
    assert f"{EX}tom is a friend of {EX}rex" in messages
    assert not conforms and "Message: " in text


@pytest.mark.parametrize(
    ("shape", "feature"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; sh:closed true .", "sh:closed"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; sh:property [ sh:path ex:name ; "
         "sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMinCount 1 ] .",
         "sh:qualifiedValueShape"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; sh:property [ sh:path ex:name ; "
         "sh:uniqueLang true ] .", "sh:uniqueLang"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; sh:node ex:S .", "recursive"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; sh:property [ sh:path ex:name ; "
         "sh:in [ ex:p 1 ] ] .", "RDF list"),
    ],
)
def test_unsupported_features_are_named(shape, feature):
    shapes = Graph().parse(data=PREFIXES + shape, format="turtle")
    with pytest.raises(UnsupportedShapeError, match=re.escape(feature)) as raised:
        compile_shapes(shapes)
    assert "ex" in str(raised.value) or EX in str(raised.value) or "_:" in str(raised.value)


def test_report_graph_has_what_pyshacl_writes():
    shapes = "ex:S a sh:NodeShape ; sh:targetClass ex:Animal ; " \
        "sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message \"Name it.\" ] ."
    _, _, (conforms, report, _) = run_both(shapes)
    result = next(report.objects(None, SH.result))
    assert report.value(result, SH.focusNode) == URIRef(EX + "tom")
    assert report.value(result, SH.resultPath) == URIRef(EX + "name")
    assert report.value(result, SH.resultMessage) == Literal("Name it.")
    shape = report.value(result, SH.sourceShape)
    assert (URIRef(EX + "S"), SH.property, shape) in report
    assert (None, SH.conforms, Literal(False)) in report


# --- the synthetic generator ------------------------------------------------------------------


def test_synthetic_sample_passes_every_shape_and_check(project, tmp_path):
    from conflictkg.sparql import LocalGraph
    from conflictkg.sparql.checks import failed, run_checks

    ontology, shapes, _ = project
    sample = tmp_path / "sample.nt"
    count = synthetic.write(20_000, sample, seed=11)
    assert 20_000 <= count < 20_200
    assert sample.read_bytes() == (synthetic.write(20_000, tmp_path / "again.nt", seed=11)
                                   and (tmp_path / "again.nt").read_bytes())
    data = load_files([*resources.graph_files(), sample])
    conforms, report, _ = validate(data, shapes_graph=shapes, ontology_graph=ontology)
    found = violations(report, data_graph=data, ontology_graph=ontology, shapes_graph=shapes)
    assert conforms and found == []  # pySHACL, and the rules computed in Python
    store = store_from_files([*resources.ontology_files(), *resources.graph_files(), sample])
    assert shacl_sparql.validate(store, shapes, strict=True)[0]
    graph = Graph()
    graph += ontology
    graph += data
    assert {r.id for r in failed(run_checks(LocalGraph(graph)))} == set()
    # the shared entities are pointed to by IRI, never described again
    text = sample.read_text(encoding="utf-8")
    for iri in synthetic.SHARED.values():
        assert f"<{iri}>" in text and not text.count(f"\n<{iri}> ")
        assert (URIRef(iri), None, None) in load_files(resources.shared_graph_files())
