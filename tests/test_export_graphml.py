"""GraphML read back by python-igraph, and checked key by key with lxml."""

from __future__ import annotations

import math
import re

import igraph
import pytest
from lxml import etree

from conflictkg import resources
from conflictkg.exporters import export
from conflictkg.exporters.common import tabulate
from conflictkg.projection import project
from conflictkg.rdf.loading import load_files

NS = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
NMTOKEN = re.compile(r"^[A-Za-z0-9._:\-]+$")
NODE_EXTRA = {"name", "color", "r", "g", "b"}
EDGE_EXTRA = {"interaction", "color", "r", "g", "b", "line_style"}
TYPES = {"boolean", "int", "long", "float", "double", "string"}


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


def _same(value, expected):
    if isinstance(expected, float):
        return math.isclose(value, expected)
    if isinstance(expected, bool):
        return bool(value) == expected
    return value == expected


@pytest.mark.parametrize("view", ["actors", "events", "places", "full"])
def test_igraph_reads_the_same_graph(graph, tmp_path, view):
    path = tmp_path / f"{view}.graphml"
    path.write_bytes(export(graph, "graphml", view=view))
    table = tabulate(project(graph, view))
    read = igraph.Graph.Read_GraphML(str(path))
    assert read.vcount() == len(table.nodes)
    assert read.ecount() == len(table.edges)
    assert read.is_directed()
    assert set(read.vs.attributes()) == set(table.node_types) | {"id", *NODE_EXTRA}
    assert set(read.es.attributes()) == set(table.edge_types) | {"id", *EDGE_EXTRA}
    by_id = {v["id"]: v for v in read.vs}
    for node in table.nodes:
        vertex = by_id[node.id]
        assert vertex["iri"] == node.iri
        for name, value in node.attrs.items():
            assert _same(vertex[name], value), (node.iri, name)
    # igraph keeps the edges in file order (its edge "id" attribute is not the GraphML id).
    for edge, read_edge in zip(table.edges, read.es, strict=True):
        assert read.vs[read_edge.source]["id"] == edge.source
        assert read.vs[read_edge.target]["id"] == edge.target
        for name, value in edge.attrs.items():
            assert _same(read_edge[name], value), (edge.id, name)


def test_one_key_per_attribute_with_for_and_a_type(graph):
    root = etree.fromstring(export(graph, "graphml", view="full"))
    keys = root.findall("g:key", NS)
    seen = set()
    for key in keys:
        assert NMTOKEN.match(key.get("id"))
        assert key.get("for") in ("node", "edge")
        assert not key.get("yfiles.type")
        name = key.get("attr.name")
        assert NMTOKEN.match(name), name
        assert key.get("attr.type") in TYPES
        assert (key.get("for"), name) not in seen
        seen.add((key.get("for"), name))
    assert ("node", "iri") in seen and ("edge", "status") in seen
    assert ("edge", "asserted_by") in seen and ("edge", "date") in seen
    for node in root.iter(f"{{{NS['g']}}}node"):
        assert NMTOKEN.match(node.get("id"))


def test_yed_sees_a_label_on_every_node(graph):
    root = etree.fromstring(export(graph, "yed", view="actors"))
    nodes = root.findall(".//g:node", NS)
    assert nodes
    for node in nodes:
        label = node.find(".//y:ShapeNode/y:NodeLabel", NS)
        name = node.find("g:data[@key='n_label']", NS)
        assert label is not None and label.text == name.text
    jnim = [n for n in nodes if n.get("id") == "jnim"][0]
    assert jnim.find(".//y:NodeLabel", NS).text == "JNIM"


def test_yed_edge_labels_are_words(graph):
    root = etree.fromstring(export(graph, "yed", view="full"))
    labels = {e.text for e in root.iterfind(".//y:EdgeLabel", NS)}
    assert "targeted actor" in labels and "located in" in labels
    assert not [label for label in labels if re.search(r"[a-z][A-Z]", label)]
