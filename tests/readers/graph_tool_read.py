"""Read a GraphML file with graph-tool (Debian's python3-graph-tool) and print it as JSON.

Usage: /usr/bin/python3 graph_tool_read.py FILE.graphml
Prints {"vertices", "edges", "directed", "vertex_types", "edge_types", "vertex": {id: attrs}}.
"""

import json
import sys

import graph_tool

graph = graph_tool.load_graph(sys.argv[1])
ids = graph.vp["_graphml_vertex_id"]
vertices = {}
for vertex in graph.vertices():
    vertices[ids[vertex]] = {
        name: prop[vertex] for name, prop in graph.vp.items() if name != "_graphml_vertex_id"
    }
json.dump(
    {
        "vertices": graph.num_vertices(),
        "edges": graph.num_edges(),
        "directed": graph.is_directed(),
        "vertex_types": {name: prop.value_type() for name, prop in graph.vp.items()},
        "edge_types": {name: prop.value_type() for name, prop in graph.ep.items()},
        "vertex": vertices,
    },
    sys.stdout,
    default=str,
)
