"""Structural balance: each triangle pattern, the collapse rule, counts and ratio."""

from __future__ import annotations

import networkx as nx
import pytest

from conflictkg import resources
from conflictkg.analysis.balance import PATTERNS, signed_network, structural_balance
from conflictkg.projection import actor_network
from conflictkg.rdf.loading import load_files


def _net(*edges) -> nx.MultiDiGraph:
    net = nx.MultiDiGraph()
    for u, v, sign in edges:
        net.add_edge(u, v, sign=sign)
    for node in net:
        net.nodes[node]["label"] = node
    return net


@pytest.mark.parametrize(
    ("signs", "pattern", "balanced", "reading"),
    [
        ((1, 1, 1), "+ + +", True, "a, b and c are all allies"),
        ((1, -1, -1), "+ - -", True, "a and b are allies with a common enemy, c"),
        ((-1, 1, -1), "+ - -", True, "a and c are allies with a common enemy, b"),
        ((1, -1, 1), "+ + -", False, "b is allied with both a and c, who are enemies"),
        ((-1, -1, -1), "- - -", False, "a, b and c are enemies of one another"),
    ],
)
def test_each_pattern(signs, pattern, balanced, reading):
    ab, ac, bc = signs
    report = structural_balance(_net(("a", "b", ab), ("a", "c", ac), ("b", "c", bc)))
    (triad,) = report.triads
    assert (triad.pattern, triad.balanced, triad.reading()) == (pattern, balanced, reading)
    assert PATTERNS[pattern][0] is balanced
    assert report.ratio == (1.0 if balanced else 0.0)


def test_hostility_wins_and_neutral_ties_close_no_triangle():
    net = _net(
        ("a", "b", 1),
        ("b", "a", -1),
        ("b", "c", 1),
        ("a", "c", 1),
        ("a", "d", 0),
        ("c", "d", 1),
        ("b", "d", 0),
    )
    signed = signed_network(net)
    assert signed.edges["a", "b"]["sign"] == -1  # an alliance and a hostility: hostile
    assert not signed.has_edge("a", "d") and not signed.has_edge("b", "d")
    report = structural_balance(net)
    assert [t.pattern for t in report.triads] == ["+ + -"]
    assert (report.positive, report.negative, report.actors) == (3, 1, 4)


def test_counts_and_ratio_by_hand():
    # Two triangles sharing the tie b-c: (a, b, c) is + + + and (b, c, d) is + - -,
    # plus (c, d, e) which is - - -: 2 balanced of 3.
    net = _net(
        ("a", "b", 1),
        ("a", "c", 1),
        ("b", "c", 1),
        ("b", "d", -1),
        ("c", "d", -1),
        ("d", "e", -1),
        ("c", "e", -1),
    )
    report = structural_balance(net)
    assert report.counts() == {"+ + +": 1, "+ - -": 1, "+ + -": 0, "- - -": 1}
    assert (report.balanced, report.unbalanced) == (2, 1)
    assert report.ratio == pytest.approx(2 / 3)
    assert report.triads[0].pattern == "- - -"  # unbalanced first
    assert report.triads[0].as_dict()["balanced"] is False


def test_no_triangle():
    report = structural_balance(_net(("a", "b", 1)))
    assert report.triads == () and report.ratio is None


def test_report_triangles():
    net = actor_network(load_files([*resources.ontology_files(), *resources.graph_files()]))
    report = structural_balance(net)
    readings = sorted(t.reading() for t in report.triads)
    assert readings == [
        # the report does not say the gendarmerie is part of the armed forces: no triangle
        "Mali, Russia and Wagner Group are all allies",
    ]
    assert report.ratio == 1.0
