"""Centrality: hand-computed values on small graphs, and the actors of the Bamako report."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from rdflib.namespace import OWL, RDF, SKOS

from conflictkg import resources
from conflictkg.analysis.centrality import MEASURES, betweenness, centrality
from conflictkg.namespaces import CKG, CKR
from conflictkg.projection import actor_network
from conflictkg.rdf.loading import load_files


def _scores(rows, measure):
    return {row.node: row.scores[measure] for row in rows}


def test_path_of_four_by_hand():
    # a - b - c - d: b lies on the shortest paths a-c and a-d, i.e. 2 of the 3 pairs it is
    # not part of; degree is ties / (n - 1).
    rows = centrality(nx.path_graph("abcd"))
    between = _scores(rows, "betweenness")
    degree = _scores(rows, "degree")
    assert between == pytest.approx({"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0})
    assert degree == pytest.approx({"a": 1 / 3, "b": 2 / 3, "c": 2 / 3, "d": 1 / 3})
    assert [row.node for row in rows] == ["b", "c", "a", "d"]  # ties broken by label
    assert [row.rank for row in rows] == [1, 2, 3, 4]


def test_star_by_hand():
    # Star with centre 0 and leaves 1..3. Eigenvector: eigenvalue sqrt(3), centre 1/sqrt(2),
    # leaves 1/sqrt(6). PageRank (d = 0.85): c = 0.0375 + 0.85 * 3 l, l = 0.0375 + 0.85 c / 3,
    # so c = 0.133125 / 0.2775 and l = (1 - c) / 3.
    rows = centrality(nx.star_graph(3))
    eigen = _scores(rows, "eigenvector")
    assert eigen[0] == pytest.approx(1 / math.sqrt(2), abs=1e-6)
    assert eigen[1] == pytest.approx(1 / math.sqrt(6), abs=1e-6)
    centre = 0.133125 / 0.2775
    pagerank = _scores(rows, "pagerank")
    assert pagerank[0] == pytest.approx(centre, abs=1e-5)
    assert pagerank[2] == pytest.approx((1 - centre) / 3, abs=1e-5)
    assert _scores(rows, "betweenness")[0] == pytest.approx(1.0)
    assert rows[0].node == 0 and rows[0].ties == 3


def test_parallel_and_reverse_statements_make_one_tie():
    net = nx.MultiDiGraph()
    for _ in range(3):
        net.add_edge("a", "b")
    net.add_edge("b", "a")
    net.add_edge("b", "c")
    rows = centrality(net, measures=("degree",))
    assert _scores(rows, "degree") == pytest.approx({"a": 0.5, "b": 1.0, "c": 0.5})
    assert {row.node: row.ties for row in rows} == {"a": 1, "b": 2, "c": 1}


def test_betweenness_matches_networkx_and_sampling_all_sources_is_exact():
    graph = nx.les_miserables_graph()
    exact = nx.betweenness_centrality(graph)
    ours = betweenness(graph)
    assert ours == pytest.approx(exact)
    assert betweenness(graph, sample=graph.number_of_nodes()) == pytest.approx(exact)
    seen = []
    estimate = betweenness(graph, sample=30, seed=3, progress=lambda d, t: seen.append((d, t)))
    assert estimate == betweenness(graph, sample=30, seed=3)
    assert estimate != pytest.approx(exact)  # an estimate, not the exact values
    assert seen[-1] == (30, 30) and all(t == 30 for _, t in seen)
    top_exact = max(exact, key=exact.get)
    assert max(estimate, key=estimate.get) == top_exact  # Valjean either way


def test_options():
    net = nx.Graph([("g", "e1"), ("g", "e2"), ("h", "e2")])
    for node, kind in (("g", "actor"), ("h", "actor"), ("e1", "event"), ("e2", "event")):
        net.nodes[node]["kind"] = kind
    rows = centrality(net, kinds=["actor"], by="degree", measures=("degree", "pagerank"))
    assert [row.node for row in rows] == ["g", "h"]
    assert set(rows[0].scores) == {"degree", "pagerank"}
    assert len(centrality(net, top=1)) == 1
    with pytest.raises(ValueError, match="cannot sort by 'betweenness'"):
        centrality(net, measures=("degree",), by="betweenness")
    with pytest.raises(ValueError, match="unknown centrality measure"):
        centrality(net, measures=("fame",))
    assert MEASURES == ("degree", "betweenness", "pagerank", "eigenvector")


def test_graph_without_ties():
    net = nx.Graph()
    net.add_nodes_from(["x", "y"])
    rows = centrality(net)
    assert all(value == 0.0 for row in rows for m, value in row.scores.items() if m != "pagerank")
    assert sum(row.scores["pagerank"] for row in rows) == pytest.approx(1.0)


def test_report_central_actors_are_actors():
    graph = load_files([*resources.ontology_files(), *resources.graph_files()])
    net = actor_network(graph)
    rows = centrality(net)
    forbidden = (
        set(graph.subjects(RDF.type, OWL.Class))
        | set(graph.subjects(RDF.type, SKOS.Concept))
        | set(graph.subjects(RDF.type, CKG.Statement))
        | {o for _, o in graph.subject_objects(CKG.assertedBy)}  # source documents
    )
    assert len(rows) == net.number_of_nodes() >= 15
    for row in rows:
        assert row.kind == "actor"
        assert str(row.node).startswith(str(CKR))
        assert row.node not in {str(f) for f in forbidden}
        assert row.label and row.type
    top = [row.label for row in rows[:3]]
    assert top[0] == "Malian Armed Forces"  # tied to the state, its branches and its enemies
    assert "JNIM" in top
    assert rows[0].as_dict()["iri"] == str(CKR["malian-armed-forces"])
