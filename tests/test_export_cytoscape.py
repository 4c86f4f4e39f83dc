"""Cytoscape.js JSON: unique ids, JavaScript-safe names, ends that exist, claims kept."""

from __future__ import annotations

import json
import keyword
import re

import pytest

from conflictkg import resources
from conflictkg.exporters import export
from conflictkg.exporters.common import tabulate
from conflictkg.projection import project
from conflictkg.rdf.loading import load_files

JS_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
JS_RESERVED = set(
    """break case catch class const continue debugger default delete do else enum export
    extends false finally for function if implements import in instanceof interface let new
    null package private protected public return static super switch this throw true try
    typeof var void while with yield await""".split()
)


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


@pytest.mark.parametrize("view", ["actors", "events", "places", "full"])
def test_ids_unique_and_names_safe(graph, view):
    document = json.loads(export(graph, "cyjs", view=view))
    nodes = document["elements"]["nodes"]
    edges = document["elements"]["edges"]
    ids = [e["data"]["id"] for e in nodes + edges]
    assert len(ids) == len(set(ids))
    node_ids = {n["data"]["id"] for n in nodes}
    for element in nodes + edges:
        for name in element["data"]:
            assert JS_NAME.match(name) and name not in JS_RESERVED, name
            assert not keyword.iskeyword(name)
    for edge in edges:
        assert edge["data"]["source"] in node_ids and edge["data"]["target"] in node_ids
    for node in nodes:
        assert node["data"]["iri"].startswith("https://w3id.org/conflictkg/")
        assert node["data"]["name"] == node["data"]["label"]


def test_claims_keep_status_source_and_dates(graph):
    document = json.loads(export(graph, "cyjs", view="full"))
    edges = [e["data"] for e in document["elements"]["edges"]]
    claimed = [e for e in edges if e.get("status") == "ClaimedByParty"]
    assert claimed
    for edge in claimed:
        assert edge["asserted_by"] == "https://w3id.org/conflictkg/id/report-bamako-2024-09-17"
        assert edge["status_label"] == "Claimed by a party"
        assert edge["line_style"] == "dashed"
    table = tabulate(project(graph, "full"))
    assert len(table.edges) == len(edges)
    keys = ("status", "asserted_by", "date", "earliest", "latest", "start", "end", "ongoing_on")
    for expected, edge in zip(table.edges, edges, strict=True):
        assert edge["id"] == expected.id
        for key in keys:
            assert edge.get(key) == expected.attrs.get(key), (edge["id"], key)
    assert sum(1 for e in edges if e.get("earliest")) > 10
