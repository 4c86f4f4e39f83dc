"""Graphviz DOT parsed by Graphviz's own dot with nothing on stderr; SVG and PNG drawn."""

from __future__ import annotations

import re
import shutil
import subprocess

import networkx as nx
import pytest
from lxml import etree

from conflictkg import resources
from conflictkg.errors import ExportError
from conflictkg.exporters import export
from conflictkg.exporters.dot import to_dot
from conflictkg.projection import project
from conflictkg.rdf.loading import load_files

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is missing")
SAFE_ID = re.compile(r"^  ([A-Za-z_][A-Za-z0-9_]*) \[", re.MULTILINE)


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


@needs_dot
@pytest.mark.parametrize("view", ["actors", "events", "places", "full"])
def test_dot_parses_it_silently(graph, view):
    text = export(graph, "dot", view=view)
    done = subprocess.run(["dot", "-Tcanon"], input=text, capture_output=True, check=False)
    assert done.returncode == 0
    assert done.stderr == b""
    assert b"digraph" in done.stdout


def test_safe_ids_and_iris_in_labels(graph):
    text = export(graph, "dot", view="actors").decode()
    ids = SAFE_ID.findall(text)[3:]  # after the graph, node and edge defaults
    assert SAFE_ID.findall(text)[:3] == ["graph", "node", "edge"]
    assert ids and len(ids) == len(set(ids))
    assert all(i.lower() not in {"node", "edge", "graph", "digraph", "subgraph", "strict"}
               for i in ids)
    line = next(line for line in text.splitlines() if line.startswith("  jnim ["))
    assert 'label="JNIM\\nckr:jnim"' in line
    assert 'URL="https://w3id.org/conflictkg/id/jnim"' in line


def test_awkward_text_is_quoted():
    net = nx.MultiDiGraph()
    net.add_node("urn:x:strict", label='say "hi" \\ back\nnow')
    net.add_edge("urn:x:strict", "urn:x:strict", relation="rank", rank="Colonel", start="2020")
    text = to_dot(net).decode()
    assert 'label="say \\"hi\\" \\\\ back\\nnow\\nurn:x:strict"' in text
    assert 'ckg_rank="Colonel"' in text and 'ckg_start="2020"' in text
    if shutil.which("dot"):
        done = subprocess.run(["dot", "-Tcanon"], input=text.encode(), capture_output=True)
        assert done.returncode == 0 and done.stderr == b""


@needs_dot
def test_svg_and_png(graph):
    svg = export(graph, "svg", view="actors")
    root = etree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"JNIM" in svg
    png = export(graph, "png", view="places")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_too_large_to_draw(monkeypatch, graph):
    from conflictkg.exporters import dot

    monkeypatch.setattr(dot, "MAX_DRAWN_NODES", 5)
    with pytest.raises(ExportError, match="more than the 5 that can be drawn"):
        dot.to_svg(project(graph, "actors"))
