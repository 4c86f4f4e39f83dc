"""CSV node and edge lists read back with Python's csv module."""

from __future__ import annotations

import csv
import io

import pytest

from conflictkg import resources
from conflictkg.exporters import export
from conflictkg.projection import project
from conflictkg.rdf.loading import load_files


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


def _read(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("view", ["actors", "events", "places", "full"])
def test_nodes_and_edges_read_back(graph, view):
    files = export(graph, "csv", view=view)
    assert sorted(files) == ["edges.csv", "nodes.csv"]
    net = project(graph, view)
    nodes = _read(files["nodes.csv"])
    edges = _read(files["edges.csv"])
    assert len(nodes) == net.number_of_nodes()
    assert len(edges) == net.number_of_edges()
    by_id = {row["id"]: row for row in nodes}
    assert len(by_id) == len(nodes)
    assert {row["iri"] for row in nodes} == set(net.nodes)
    for row in nodes:
        assert row["label"] == net.nodes[row["iri"]]["label"]
    for row in edges:
        assert by_id[row["source"]]["iri"] == row["source_iri"]
        assert by_id[row["target"]]["iri"] == row["target_iri"]
        assert net.has_edge(row["source_iri"], row["target_iri"])


def test_claims_keep_status_source_and_dates(graph):
    edges = _read(export(graph, "csv", view="events")["edges.csv"])
    claim = [row for row in edges if row["role"] == "claimant"]
    assert claim
    for row in claim:
        assert row["status"] and row["asserted_by"].startswith("https://w3id.org/conflictkg/id/")
        assert row["earliest"] or row["date"] or row["latest"]
