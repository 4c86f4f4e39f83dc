"""Data-quality checks: all pass on the local, each fires on data that breaks it alone."""

from __future__ import annotations

import pytest
from rdflib import Graph

from conflictkg.cli import app
from conflictkg.errors import QueryError
from conflictkg.namespaces import PREFIXES as NAMESPACES
from conflictkg.sparql import ENGINES, LocalGraph, read_library_query
from conflictkg.sparql.checks import (
    check_store,
    failed,
    name_scoped,
    namesakes,
    neighbourhood,
    node_scoped,
    run_checks,
)
from conflictkg.sparql.library import library

# the project prefixes, declared in Turtle
PREFIXES = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in NAMESPACES.items())

# each breaks exactly one check: (check id, Turtle, the focus it must name)
SOURCE = "ckg:assertedBy ckr:report-bamako-2024-09-17 ; ckg:assertionStatus ckc:Reported"
BROKEN = {
    "entities-without-labels-violation": (
        f"ckr:nameless-group a ckg:JihadistGroup ; {SOURCE} .",
        "ckr:nameless-group",
    ),
    "places-without-container-violation": (
        f'ckr:lost-village a ckg:City ; rdfs:label "Lost village"@en ; {SOURCE} .',
        "Lost village",
    ),
    "facts-without-source-violation": (
        'ckr:unsourced-raid a ckg:Attack ; rdfs:label "unsourced raid"@en .',
        "unsourced raid",
    ),
    "duplicate-entities-violation": (
        f'ckr:jnim-again a ckg:JihadistGroup ; rdfs:label "jnim"@en ; {SOURCE} .',
        "JNIM",
    ),
    "dates-outside-report-period-violation": (
        'ckr:late-raid a ckg:Attack ; rdfs:label "late raid"@en ; ckg:date "2025"^^xsd:gYear ; '
        "ckg:assertedBy ckr:report-bamako-2024-09-17 ; ckg:assertionStatus ckc:Reported .",
        "late raid",
    ),
}


def _with(local, turtle):
    graph = Graph()
    graph += local.graph
    graph.parse(data=PREFIXES + turtle, format="turtle")
    return LocalGraph(graph)


def test_every_check_has_a_broken_example():
    assert {check.id for check in library("check")} == set(BROKEN)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_check_passes_on_the_project(local, engine):
    results = run_checks(local, engine=engine)
    assert len(results) == len(BROKEN)
    assert failed(results) == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("check_id", BROKEN)
def test_each_check_fires_alone(local, engine, check_id):
    turtle, focus = BROKEN[check_id]
    results = run_checks(_with(local, turtle), engine=engine)
    bad = failed(results)
    assert [result.id for result in bad] == [check_id]
    (finding,) = bad[0].findings
    assert finding.label == focus
    assert finding.message


def test_messages_say_what_to_do(local):
    turtle, _ = BROKEN["dates-outside-report-period-violation"]
    (result,) = failed(run_checks(_with(local, turtle)))
    assert result.findings[0].message == (
        "late raid: 2025 (date) is after Report on the 17 September 2024 attack in Bamako was "
        "published (2024-09-18 at the earliest)"
    )


def test_a_year_inside_the_period_passes(local):
    turtle = (
        'ckr:old-raid a ckg:Attack ; rdfs:label "old raid"@en ; ckg:date "2024"^^xsd:gYear ; '
        "ckg:assertedBy ckr:report-bamako-2024-09-17 ; ckg:assertionStatus ckc:Reported ; "
        "ckg:place ckr:bamako ."
    )
    assert failed(run_checks(_with(local, turtle))) == []


def test_a_state_and_its_territory_may_share_a_name_but_not_a_third(local):
    turtle = (
        'ckr:mali-again a ckg:State ; rdfs:label "Mali"@en ; '
        "ckg:assertedBy ckr:report-bamako-2024-09-17 ; ckg:assertionStatus ckc:Reported ."
    )
    (result,) = failed(run_checks(_with(local, turtle)))
    assert result.id == "duplicate-entities-violation"
    assert "'mali' names 3 entities" in result.findings[0].message


@pytest.mark.parametrize(
    "check_id", [c.id for c in library("check") if node_scoped(c)], ids=str
)
def test_a_node_scoped_check_finds_the_same_in_the_neighbourhood(local, check_id):
    """What an incremental build relies on: run on the neighbourhood of the added nodes,
    a ``#+ scope: node`` check finds what it finds in the whole graph."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from conflictkg.rdf.shacl_sparql import store_from_graphs

    turtle, _ = BROKEN[check_id]
    added = Graph().parse(data=PREFIXES + turtle, format="turtle")
    store = store_from_graphs({"urn:x:project": local.graph, "urn:x:added": added}, ox.Store())
    (check,) = [c for c in library("check") if c.id == check_id]
    whole = failed(run_checks(LocalGraph.from_store(store), checks=[check]))
    nodes = {node for node in added.subjects() if isinstance(node, URIRef)}
    small = neighbourhood(store, nodes, graphs=["urn:x:added"], vocabulary_graphs=[])
    assert len(small) < len(store) / 2
    part = failed(run_checks(LocalGraph.from_store(small), checks=[check]))
    assert [r.findings for r in part] == [r.findings for r in whole] != []


NAME_CASES = {
    "lower-case-copy": BROKEN["duplicate-entities-violation"][0],
    "third-mali": 'ckr:mali-again a ckg:State ; rdfs:label "MALI"@fr ; ' + SOURCE + " .",
    "alias-only": 'ckr:jnim-alias a ckg:JihadistGroup ; rdfs:label "Other name"@en ; '
    'skos:altLabel "Jnim" ; ' + SOURCE + " .",
}


def _name_index(store, graphs):
    from conflictkg.store.names import NameIndex

    index = NameIndex(":memory:")
    for graph in graphs:
        index.add_graph(store, graph)
    return index


@pytest.mark.parametrize("check_id", [c.id for c in library("check") if name_scoped(c)], ids=str)
@pytest.mark.parametrize("case", sorted(NAME_CASES))
@pytest.mark.parametrize("indexed", [False, True], ids=["store", "index"])
def test_a_name_scoped_check_finds_the_same_among_the_namesakes(local, check_id, case, indexed):
    """What an incremental build relies on: run on the neighbourhood of the added nodes'
    namesakes (found in the store or in the build's names index), a ``#+ scope: names``
    check finds what it finds in the whole graph."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from conflictkg.rdf.shacl_sparql import store_from_graphs

    added = Graph().parse(data=PREFIXES + NAME_CASES[case], format="turtle")
    store = store_from_graphs({"urn:x:project": local.graph, "urn:x:added": added}, ox.Store())
    (check,) = [c for c in library("check") if c.id == check_id]
    whole = failed(run_checks(LocalGraph.from_store(store), checks=[check]))
    nodes = {node for node in added.subjects() if isinstance(node, URIRef)}
    index = _name_index(store, ["urn:x:project", "urn:x:added"]) if indexed else None
    found = namesakes(store, nodes, index=index)
    assert found == namesakes(store, nodes)
    assert nodes < found
    small = neighbourhood(store, found, graphs=[], vocabulary_graphs=[])
    assert len(small) < len(store) / 2
    part = failed(run_checks(LocalGraph.from_store(small), checks=[check]))
    assert [r.findings for r in part] == [r.findings for r in whole] != []


@pytest.mark.parametrize("check_id", sorted(BROKEN), ids=str)
def test_checks_on_what_changed_find_what_checks_on_everything_find(local, check_id):
    """check_store with a focus (an incremental build) fails the checks that a run on the
    whole store fails, and answers every check of the library, in id order."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from conflictkg.rdf.shacl_sparql import store_from_graphs

    added = Graph().parse(data=PREFIXES + BROKEN[check_id][0], format="turtle")
    store = store_from_graphs({"urn:x:project": local.graph, "urn:x:added": added}, ox.Store())
    nodes = {node for node in added.subjects() if isinstance(node, URIRef)}
    whole = check_store(store)
    part = check_store(
        store, focus=nodes, graphs=["urn:x:added"], vocabulary_graphs=["urn:x:project"]
    )
    assert [r.id for r in part] == [r.id for r in whole] == sorted(c.id for c in library("check"))
    assert [(r.id, r.findings) for r in failed(part)] == [
        (r.id, r.findings) for r in failed(whole)
    ]
    assert [r.id for r in failed(part)] == [check_id]


def test_namesakes_leave_out_blank_nodes_and_nodes_without_names(local):
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    from conflictkg.rdf.shacl_sparql import store_from_graphs

    store = store_from_graphs({"urn:x:project": local.graph}, ox.Store())
    lonely = URIRef("https://w3id.org/conflictkg/id/nobody")
    index = _name_index(store, ["urn:x:project"])
    for given in (None, index):
        assert namesakes(store, [BNode(), lonely], index=given) == {lonely}
        assert namesakes(store, [], index=given) == set()


def test_the_names_index_forgets_a_graph_and_keeps_the_others():
    import pyoxigraph as ox

    from conflictkg.store.names import NameIndex

    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    alias = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
    store = ox.Store()
    a, b = ox.NamedNode("urn:g:a"), ox.NamedNode("urn:g:b")
    store.add(ox.Quad(ox.NamedNode("urn:x:1"), label, ox.Literal("Ségou", language="fr"), a))
    store.add(ox.Quad(ox.NamedNode("urn:x:2"), alias, ox.Literal("SÉGOU"), b))
    store.add(ox.Quad(ox.BlankNode(), label, ox.Literal("ségou"), b))  # a name all the same
    store.add(ox.Quad(ox.NamedNode("urn:x:3"), label, ox.BlankNode(), b))  # no name
    index = NameIndex(":memory:")
    assert index.add_graph(store, "urn:g:a") == 1 and index.add_graph(store, "urn:g:b") == 2
    assert index.terms(["ségou"]) == {'"Ségou"@fr', '"SÉGOU"', '"ségou"'}
    assert index.graphs() == {"urn:g:a", "urn:g:b"}
    index.drop_graph("urn:g:a")
    assert index.terms(["ségou", "other"]) == {'"SÉGOU"', '"ségou"'}
    assert index.terms([]) == set()


def test_a_names_index_of_another_layout_is_started_afresh(tmp_path):
    import sqlite3

    from conflictkg.store.names import NameIndex

    path = tmp_path / "names.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE names (graph TEXT, key TEXT, entity TEXT)")
    old.execute("INSERT INTO names VALUES ('urn:g', 'mali', 'urn:x:mali')")
    old.commit()
    old.close()
    index = NameIndex(path)
    assert index.fresh and index.terms(["mali"]) == set()
    index.close()
    assert not NameIndex(path).fresh


def test_a_check_scope_is_node_names_or_graph(tmp_path):
    path = tmp_path / "odd-violation.rq"
    path.write_text("#+ id: odd-violation\n#+ question: odd\n#+ scope: wide\nSELECT * {}\n")
    with pytest.raises(QueryError, match="odd-violation.rq:3: '#\\+ scope:' must be node, names"):
        read_library_query(path, kind="check")


def test_a_check_must_select_focus_and_message(local, tmp_path):
    path = tmp_path / "wrong-violation.rq"
    path.write_text("#+ id: wrong-violation\n#+ question: wrong\nASK { ?s ?p ?o }\n")
    with pytest.raises(QueryError, match=r"must be a SELECT of \?focus \?message"):
        run_checks(local, checks=[read_library_query(path, kind="check")])


def test_cli_check(runner, tmp_path):
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.stdout
    assert f"{len(BROKEN)} of {len(BROKEN)} checks pass; 0 problem(s) found" in result.stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + BROKEN["places-without-container-violation"][0])
    result = runner.invoke(app, ["check", "--data", str(bad)])
    assert result.exit_code == 1
    assert "places-without-container-violation" in result.stdout
    assert "Lost village is in no other place" in result.stdout


def test_build_fails_on_a_check_and_writes_nothing(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + BROKEN["duplicate-entities-violation"][0])
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--out", str(out), "--data", str(bad), "--quiet"])
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "duplicate-entities-violation" in result.stdout
    assert "1 data-quality check(s) failed; nothing written" in result.stderr
    assert not out.exists() or not any(out.iterdir())
