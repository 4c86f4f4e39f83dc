"""Communities and camps: hand-computed partitions and modularity."""

from __future__ import annotations

import networkx as nx
import pytest

from conflictkg import resources
from conflictkg.analysis.communities import communities
from conflictkg.projection import actor_network
from conflictkg.rdf.loading import load_files


def _two_triangles() -> nx.Graph:
    net = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    for node in net:
        net.nodes[node]["label"] = f"n{node}"
    return net


@pytest.mark.parametrize("method", ["louvain", "greedy"])
def test_two_triangles_joined_by_a_bridge(method):
    # m = 7 ties; each triangle has 3 inside and total degree 7:
    # Q = 2 * (3/7 - (7/14)^2) = 5/14.
    part = communities(_two_triangles(), method=method)
    assert [c.members for c in part.communities] == [(1, 2, 3), (4, 5, 6)]
    assert part.modularity == pytest.approx(5 / 14)
    first = part.communities[0]
    assert (first.internal_ties, first.external_ties, first.hostile_ties) == (3, 1, 0)
    assert first.labels == ("n1", "n2", "n3") and first.size == 3
    assert part.community_of(5) == 2
    assert part.method == method and part.ties == "all"


def test_louvain_is_reproducible_with_a_seed():
    graph = nx.les_miserables_graph()
    first = communities(graph, seed=7)
    again = communities(graph, seed=7)
    assert [c.members for c in first.communities] == [c.members for c in again.communities]


def test_camps_use_positive_ties_and_count_hostility():
    net = nx.MultiDiGraph()
    # Two alliances (a, b, c) and (d, e) with hostility between the camps and one hostile
    # statement inside the first camp that an alliance outweighs... no: hostility wins.
    for u, v, sign in (
        ("a", "b", 1), ("b", "c", 1), ("a", "c", 1),  # the first camp
        ("d", "e", 1),  # the second camp
        ("c", "d", -1), ("a", "e", -1),  # hostility between the camps
        ("b", "c", -1),  # hostility inside the first camp
    ):
        net.add_edge(u, v, sign=sign)
    camps = communities(net, ties="positive")
    assert [c.members for c in camps.communities] == [("a", "b", "c"), ("d", "e")]
    first, second = camps.communities
    # b-c has a hostile statement, so its tie is negative and does not hold the camp
    # together, but a-b and a-c do; it shows as hostility inside the camp.
    assert (first.internal_ties, first.hostile_ties) == (3, 1)
    assert (first.external_ties, first.external_hostile_ties) == (2, 2)
    assert (second.internal_ties, second.hostile_ties) == (1, 0)
    everyone = communities(net)  # with hostile ties the camps need not separate
    assert sum(c.size for c in everyone.communities) == 5


def test_no_positive_tie_makes_singletons():
    net = nx.MultiDiGraph([("a", "b")])
    net.edges["a", "b", 0]["sign"] = -1
    camps = communities(net, ties="positive")
    assert [c.members for c in camps.communities] == [("a",), ("b",)]
    assert camps.modularity == 0.0


def test_bad_options():
    with pytest.raises(ValueError, match="unknown method"):
        communities(nx.Graph(), method="spectral")
    with pytest.raises(ValueError, match="ties must be"):
        communities(nx.Graph(), ties="negative")


def test_report_camps_separate_jnim_from_the_malian_state():
    net = actor_network(load_files([*resources.ontology_files(), *resources.graph_files()]))
    camps = communities(net, ties="positive")
    by_label = {label: c.index for c in camps.communities for label in c.labels}
    assert by_label["JNIM"] == by_label["al-Qaeda"]
    assert by_label["Mali"] == by_label["Russia"] == by_label["Wagner Group"]
    assert by_label["JNIM"] not in (by_label["Mali"], by_label["Malian Armed Forces"])
    assert all(c.hostile_ties == 0 for c in camps.communities)
    assert sum(c.size for c in camps.communities) == net.number_of_nodes()
