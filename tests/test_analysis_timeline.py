"""Timeline: ordering of exact, vague and open dates; filters; the Bamako report."""

from __future__ import annotations

import networkx as nx
import pytest

from conflictkg import resources
from conflictkg.analysis.timeline import timeline
from conflictkg.namespaces import CKR
from conflictkg.projection import Filters, entity_graph
from conflictkg.rdf.loading import load_files


def _events() -> nx.DiGraph:
    net = nx.DiGraph()
    rows = {
        "undated": {},
        "after": {"earliest": "2024-09-17"},
        "by": {"latest": "2024-09-17"},
        "day": {"date": "2024-09-17", "status": "Reported"},
        "window": {"earliest": "2024-09-17", "latest": "2024-09-18", "status": "Official"},
        "year": {"date": "2017", "earliest": "2017-01-01", "latest": "2017-12-31"},
        "coup": {"earliest": "2020-01-01", "latest": "2024-09-17"},
        "war": {"ongoing_on": "2024-09-17", "status": "ClaimedByParty"},
        "month": {"date": "2024-09"},
    }
    for name, attrs in rows.items():
        net.add_node(name, label=name, kind="event", **attrs)
    net.add_node("actor", label="actor", kind="actor", date="2000")
    net.add_edge("actor", "day")
    net.add_edge("war", "actor")
    return net


def test_order_follows_the_documented_rules():
    order = [e.label for e in timeline(_events())]
    # 2017; 2020-01-01 (start of the coup window); 2024-09-01 (the month); then on
    # 2024-09-17: "by" and "ongoing" first, then the day (ends first), the window, the open
    # "on or after"; undated last. The actor is not an event.
    assert order == ["year", "coup", "month", "by", "war", "day", "window", "after", "undated"]


def test_entries_say_what_is_known():
    entries = {e.label: e for e in timeline(_events())}
    assert entries["by"].when == "by 2024-09-17"
    assert (entries["by"].start, entries["by"].end) == (None, "2024-09-17")
    assert entries["month"].start == "2024-09-01" and entries["month"].end == "2024-09-31"
    assert entries["war"].when == "ongoing on 2024-09-17" and entries["war"].ongoing == "2024-09-17"
    assert entries["undated"].when == "" and entries["undated"].start is None
    assert entries["window"].as_dict()["status"] == "Official"


def test_involving_and_filters():
    net = _events()
    assert [e.label for e in timeline(net, involving="actor")] == ["war", "day"]
    kept = timeline(net, filters=Filters(exclude_statuses=frozenset({"ClaimedByParty"})))
    assert "war" not in [e.label for e in kept] and len(kept) == 8
    recent = timeline(net, filters=Filters(since="2024-09-18"))
    # Ended before: the year, the coup window, "by" and the day; September 2024 may
    # include the 18th, so the month stays.
    assert [e.label for e in recent] == ["month", "war", "window", "after", "undated"]
    with pytest.raises(ValueError, match="not a node"):
        timeline(net, involving="nobody")


def test_report_timeline():
    net = entity_graph(load_files([*resources.ontology_files(), *resources.graph_files()]))
    entries = timeline(net)
    assert len(entries) == sum(1 for _, kind in net.nodes(data="kind") if kind == "event")
    assert entries[0].label == "formation of JNIM by merger (2017)"
    assert entries[0].precision == "Year"
    attack = next(e for e in entries if e.node == str(CKR["bamako-2024-09-17-attack"]))
    assert (attack.when, attack.precision, attack.place) == (
        "2024-09-17",
        "Part of day: Morning",
        "Bamako",
    )
    labels = [e.label for e in entries]
    defeat = labels.index("defeat of the Malian army and Wagner against Tuareg rebels in the north")
    assert defeat < labels.index("Bamako attack of 17 September 2024")
    assert labels.index("temporary closure of Bamako airport") > labels.index(
        "Bamako attack of 17 September 2024"
    )
    starts = [e.start or e.end or e.ongoing for e in entries]
    assert starts == sorted(starts)
