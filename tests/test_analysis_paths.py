"""Explained paths: sentences per hop, statement direction, all and k shortest, no path."""

from __future__ import annotations

import networkx as nx
import pytest

from conflictkg import resources
from conflictkg.analysis.paths import explained_paths
from conflictkg.analysis.resolve import resolve
from conflictkg.errors import NoPathError
from conflictkg.namespaces import CKR
from conflictkg.projection import actor_network
from conflictkg.rdf.loading import load_files

REPORT = "Report on the 17 September 2024 attack in Bamako"


@pytest.fixture(scope="module")
def report():
    graph = load_files([*resources.ontology_files(), *resources.graph_files()])
    return graph, actor_network(graph)


_STATUS_LABELS = {"Reported": "Reported", "ClaimedByParty": "Claimed by a party"}


def _statement(net, start, end, key, predicate, source, status="Reported", **more):
    """Add a statement edge as the projection gives it, with its status's label."""
    net.add_edge(
        start,
        end,
        key=key,
        predicate_label=predicate,
        status=status,
        status_label=_STATUS_LABELS[status],
        source_label=source,
        **more,
    )


def _small() -> nx.MultiDiGraph:
    net = nx.MultiDiGraph(view="actors", filters="no filters")
    for node, label in (("g", "Group"), ("a", "Army"), ("s", "State"), ("p", "PMC")):
        net.add_node(node, label=label)
    _statement(net, "g", "a", "claim", "hostility", "Video", "ClaimedByParty", date="2024-01-02")
    _statement(
        net,
        "g",
        "a",
        "raid#perpetrator",
        "hostility derived from Raid",
        "Report",
        derived=True,
        roles="perpetrator → targeted actor",
        date="2024-01-01",
    )
    _statement(net, "a", "s", "sub", "subordination", "Report")
    _statement(net, "p", "s", "deal", "partnership", "Report", ongoing_on="2024-09-17")
    return net


def test_hops_are_sentences_in_the_statements_direction():
    (path,) = explained_paths(_small(), "g", "p")
    assert path.nodes == ("g", "a", "s", "p") and path.length == 3
    assert [hop.sentence() for hop in path.hops] == [
        "Group — hostility derived from Raid (perpetrator → targeted actor) → Army "
        "[Reported; source: Report; 2024-01-01] (and 1 other statement)",
        "Army — subordination → State [Reported; source: Report]",
        "PMC — partnership → State [Reported; source: Report; ongoing on 2024-09-17]",
    ]
    first = path.hops[0]
    assert [s.key for s in first.statements] == ["raid#perpetrator", "claim"]
    assert first.sentences[1] == (
        "Group — hostility → Army [Claimed by a party; source: Video; 2024-01-02]"
    )
    assert path.text().splitlines()[0] == "Group → Army → State → PMC (3 hops)"
    data = path.as_dict()
    assert data["labels"] == ["Group", "Army", "State", "PMC"]
    assert len(data["hops"][0]["statements"]) == 2


def test_reverse_search_keeps_statement_direction():
    (path,) = explained_paths(_small(), "p", "g")
    assert path.hops[0].sentence().startswith("PMC — partnership → State")
    assert path.hops[-1].sentence().startswith("Group — hostility derived from Raid")
    assert (path.hops[-1].start, path.hops[-1].end) == ("a", "g")


def test_all_shortest_and_k_shortest_on_a_square_with_a_tail():
    #   a - b
    #   |   |      plus e - c: from a to e the shortest paths are a-b-c-e and a-d-c-e
    #   d - c - e
    net = nx.Graph([("a", "b"), ("b", "c"), ("a", "d"), ("d", "c"), ("c", "e")])
    shortest = explained_paths(net, "a", "e")
    assert len(shortest) == 1 and shortest[0].length == 3
    every = explained_paths(net, "a", "e", all_shortest=True)
    assert [p.nodes for p in every] == [("a", "b", "c", "e"), ("a", "d", "c", "e")]
    assert [p.length for p in explained_paths(net, "a", "b", k=3)] == [1, 3]
    assert explained_paths(net, "a", "b", k=3)[1].nodes == ("a", "d", "c", "b")
    assert all(
        h.sentence() == "a — linked to → b [no source recorded]"
        for h in explained_paths(net, "a", "b")[0].hops
    )


def test_no_path_says_why():
    net = _small()
    net.add_node("x", label="Loner")
    net.add_node("y", label="Friend")
    net.add_edge("x", "y")
    with pytest.raises(NoPathError) as caught:
        explained_paths(net, "g", "x")
    assert str(caught.value) == (
        "no path between Group and Loner in the actors view: they are in different components "
        "(Group's has 4 entities, Loner's has 2)"
    )


def test_bad_requests():
    net = _small()
    with pytest.raises(ValueError, match="same entity"):
        explained_paths(net, "g", "g")
    with pytest.raises(ValueError, match="not a node"):
        explained_paths(net, "g", "nobody")
    with pytest.raises(ValueError, match="either k or all_shortest"):
        explained_paths(net, "g", "p", k=2, all_shortest=True)
    with pytest.raises(ValueError, match="at least 1"):
        explained_paths(net, "g", "p", k=0)


@pytest.mark.parametrize("target", ["Wagner", "Russia"])
def test_report_jnim_is_connected_and_explained(report, target):
    graph, net = report
    start = resolve(graph, "JNIM", among=net)
    end = resolve(graph, target, among=net)
    paths = explained_paths(net, start, end, all_shortest=True)
    assert paths and all(p.length == 3 for p in paths)
    for path in paths:
        assert path.nodes[0] == str(CKR.jnim) and path.nodes[-1] == end
        for hop in path.hops:
            sentence = hop.sentence()
            assert f"source: {REPORT}" in sentence and "[Reported;" in sentence
            best = hop.statements[0].attrs
            assert best["predicate_label"] in sentence and best["predicate"]
    first_hop = paths[0].hops[0]
    assert first_hop.sentences[0].startswith("JNIM — hostility → Malian Armed Forces [Reported")
    # the attack makes JNIM hostile to the army only by JNIM's claim, and the path says so
    assert (
        "JNIM — hostility derived from Bamako attack of 17 September 2024 (perpetrator → "
        "targeted actor) → Malian Armed Forces [Claimed by a party, according to JNIM; "
        f"source: {REPORT}; 2024-09-17]"
    ) in first_hop.sentences
