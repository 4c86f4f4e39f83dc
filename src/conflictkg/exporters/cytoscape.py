"""Cytoscape.js JSON (``.cyjs``), the format Cytoscape desktop imports and exports.

``{"format_version": "1.0", "generated_by": ..., "data": {...}, "elements": {"nodes": [...],
"edges": [...]}}``, each element ``{"data": {...}}``. Ids are unique across nodes and edges;
attribute names are JavaScript identifiers (so ``ele.data().asserted_by`` works), and the
names Cytoscape.js gives a meaning (``id``, ``source``, ``target``, ``parent``) hold only what
Cytoscape.js expects: the projection's ``source`` (the source asserting a statement) is
``asserted_by``. Each node also has a ``color`` by kind, each edge a ``color`` and
``line_style`` by assertion status, ready for a style mapping, and each node a
``position`` on a grid: Cytoscape desktop places only the nodes that have one.

Examples
--------
>>> import json, networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_edge("urn:x:a", "urn:x:b", relation="Hostility", source="urn:x:report")
0
>>> doc = json.loads(to_cytoscape_json(net))
>>> edge = doc["elements"]["edges"][0]["data"]
>>> edge["source"], edge["target"], edge["asserted_by"]
('a', 'b', 'urn:x:report')
"""

from __future__ import annotations

from typing import Any

from conflictkg.exporters.common import (
    GraphTable,
    Progress,
    grid_position,
    json_text,
    kind_colour,
    table_writer,
)
from conflictkg.projection.statuses import status_style

__all__ = ["to_cytoscape_json"]


@table_writer("bytes\n        UTF-8 JSON.")
def to_cytoscape_json(table: GraphTable, progress: Progress) -> bytes:
    """Write a projection as Cytoscape.js JSON."""
    nodes = []
    count = len(table.nodes)
    for index, node in enumerate(progress(table.nodes, count, "writing nodes")):
        data: dict[str, Any] = {"id": node.id, "name": node.attrs.get("label", node.id)}
        data.update(node.attrs)
        data["color"] = kind_colour(node.attrs.get("kind"))
        x, y = grid_position(index, count)
        nodes.append({"data": data, "position": {"x": x, "y": y}})
    edges = []
    for edge in progress(table.edges, len(table.edges), "writing edges"):
        data = {"id": edge.id, "source": edge.source, "target": edge.target,
                "interaction": edge.attrs.get("label", "")}
        data.update(edge.attrs)
        colour, style = status_style(edge.attrs.get("status"), dashdot="dashed")
        data["color"], data["line_style"] = colour, style
        edges.append({"data": data})
    document = {
        "format_version": "1.0",
        "generated_by": "conflictkg",
        "target_cytoscapejs_version": "~3.0",
        "data": {
            "name": f"conflictkg {table.graph.get('view', 'graph')} view",
            "view": table.graph.get("view", ""),
            "filters": table.graph.get("filters", ""),
        },
        "elements": {"nodes": nodes, "edges": edges},
    }
    return (json_text(document, depth=3) + "\n").encode("utf-8")
