"""Ego networks: distances, statements kept, bad requests, JNIM in the report."""

from __future__ import annotations

import networkx as nx
import pytest

from conflictkg import resources
from conflictkg.analysis.ego import ego_members, ego_network
from conflictkg.namespaces import CKR
from conflictkg.projection import actor_network
from conflictkg.rdf.loading import load_files


def _chain() -> nx.MultiDiGraph:
    # a -> b <- c -> d -> e, with two statements a -> b
    net = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("c", "b"), ("c", "d"), ("d", "e")])
    for node in net:
        net.nodes[node].update(label=node.upper(), type="T", kind="actor")
    return net


def test_distances_ignore_direction_and_statements_are_kept():
    ego = ego_network(_chain(), "b", radius=1)
    assert dict(ego.nodes(data="distance")) == {"a": 1, "b": 0, "c": 1}
    assert ego.number_of_edges() == 3  # both a -> b statements and c -> b
    assert isinstance(ego, nx.MultiDiGraph)
    assert (ego.graph["center"], ego.graph["radius"]) == ("b", 1)
    wider = ego_network(_chain(), "b", radius=2)
    assert dict(wider.nodes(data="distance")) == {"a": 1, "b": 0, "c": 1, "d": 2}


def test_members_are_listed_nearest_first():
    members = ego_members(ego_network(_chain(), "c", radius=2))
    assert [(m["label"], m["distance"], m["ties"]) for m in members] == [
        ("C", 0, 2),
        ("B", 1, 2),
        ("D", 1, 2),
        ("A", 2, 1),
        ("E", 2, 1),
    ]


def test_bad_requests():
    with pytest.raises(ValueError, match="not a node"):
        ego_network(_chain(), "z")
    with pytest.raises(ValueError, match="at least 1"):
        ego_network(_chain(), "a", radius=0)


def test_report_jnim():
    net = actor_network(load_files([*resources.ontology_files(), *resources.graph_files()]))
    ego = ego_network(net, str(CKR.jnim), radius=1)
    labels = {m["label"]: m["distance"] for m in ego_members(ego)}
    assert labels == {
        "JNIM": 0,
        "Malian Armed Forces": 1,
        "Malian National Gendarmerie": 1,
        "al-Qaeda": 1,
        "jihadist factions that merged into JNIM": 1,
    }
