"""GraphML for Gephi, Cytoscape and yEd.

One ``<key>`` per attribute, with one ``attr.type`` and ``for`` set to ``node`` or ``edge``;
key ids and attribute names are NMTOKENs (see :func:`conflictkg.exporters.common.tabulate`),
node ids are readable names made from the IRIs, and the IRIs themselves are in the ``iri``
attribute. Every node and edge also carries yFiles graphics (``y:ShapeNode`` with the label,
a fill colour by kind, a size that fits the label; ``y:PolyLineEdge`` with the relation as
label and a line style by assertion status), so that yEd shows labels and colours as soon as
the file is opened; Gephi, Cytoscape and igraph skip those two keys.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_node("https://w3id.org/conflictkg/id/a", label="A & B", kind="actor")
>>> net.add_edge("https://w3id.org/conflictkg/id/a", "https://w3id.org/conflictkg/id/a",
...              relation="Hostility", status="Reported")
0
>>> text = to_graphml(net).decode()
>>> '<key id="n_label" for="node" attr.name="label" attr.type="string"/>' in text
True
>>> "<y:NodeLabel>A &amp; B</y:NodeLabel>" in text
True
"""

from __future__ import annotations

from conflictkg.exporters.common import (
    GraphTable,
    Progress,
    kind_colour,
    table_writer,
    xml_text,
    xml_value,
)
from conflictkg.projection.statuses import status_style

__all__ = ["to_graphml"]

_TYPES = {"boolean": "boolean", "int": "int", "long": "long", "double": "double",
          "string": "string"}
_LINE = {"solid": "line", "dashed": "dashed", "dotted": "dotted", "dashdot": "dashed_dotted"}


def _grid(count: int) -> int:
    side = 1
    while side * side < count:
        side += 1
    return side


@table_writer("bytes\n        UTF-8 GraphML.")
def to_graphml(table: GraphTable, progress: Progress) -> bytes:
    """Write a projection as GraphML with yFiles graphics."""
    return _write(table, progress).encode("utf-8")


def _write(table: GraphTable, progress: Progress) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xmlns:y="http://www.yworks.com/xml/graphml"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">',
    ]
    node_keys = {name: f"n_{name}" for name in table.node_types}
    edge_keys = {name: f"e_{name}" for name in table.edge_types}
    for name, kind in table.node_types.items():
        out.append(
            f'<key id="{node_keys[name]}" for="node" attr.name="{name}"'
            f' attr.type="{_TYPES[kind]}"/>'
        )
    for name, kind in table.edge_types.items():
        out.append(
            f'<key id="{edge_keys[name]}" for="edge" attr.name="{name}"'
            f' attr.type="{_TYPES[kind]}"/>'
        )
    out.append('<key id="y_node" for="node" yfiles.type="nodegraphics"/>')
    out.append('<key id="y_edge" for="edge" yfiles.type="edgegraphics"/>')
    description = xml_text(
        f"conflictkg, {table.graph.get('view', 'graph')} view ({table.graph.get('filters', '')})"
    )
    edgedefault = "directed" if table.directed else "undirected"
    out.append(f'<graph id="G" edgedefault="{edgedefault}"><desc>{description}</desc>')
    side = _grid(len(table.nodes))
    for index, node in enumerate(progress(table.nodes, len(table.nodes), "writing nodes")):
        out.append(f'<node id="{node.id}">')
        for name, value in node.attrs.items():
            out.append(
                f'<data key="{node_keys[name]}">{xml_value(value, table.node_types[name])}</data>'
            )
        label = xml_text(node.attrs.get("label", node.id))
        width = max(40, min(260, 7 * len(str(node.attrs.get("label", node.id))) + 16))
        x, y = 300 * (index % side), 80 * (index // side)
        out.append(
            '<data key="y_node"><y:ShapeNode>'
            f'<y:Geometry height="30.0" width="{width}.0" x="{x}.0" y="{y}.0"/>'
            f'<y:Fill color="{kind_colour(node.attrs.get("kind"))}" transparent="false"/>'
            '<y:BorderStyle color="#333333" type="line" width="1.0"/>'
            f"<y:NodeLabel>{label}</y:NodeLabel>"
            '<y:Shape type="roundrectangle"/>'
            "</y:ShapeNode></data></node>"
        )
    for edge in progress(table.edges, len(table.edges), "writing edges"):
        out.append(f'<edge id="{edge.id}" source="{edge.source}" target="{edge.target}">')
        for name, value in edge.attrs.items():
            out.append(
                f'<data key="{edge_keys[name]}">{xml_value(value, table.edge_types[name])}</data>'
            )
        colour, style = status_style(edge.attrs.get("status"))
        out.append(
            '<data key="y_edge"><y:PolyLineEdge>'
            f'<y:LineStyle color="{colour}" type="{_LINE[style]}" width="1.0"/>'
            '<y:Arrows source="none" target="standard"/>'
            f'<y:EdgeLabel>{xml_text(edge.attrs.get("label", ""))}</y:EdgeLabel>'
            "</y:PolyLineEdge></data></edge>"
        )
    out.append("</graph></graphml>")
    return "\n".join(out) + "\n"
