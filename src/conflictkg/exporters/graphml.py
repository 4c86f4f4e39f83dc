"""GraphML for Gephi, Cytoscape, graph-tool and igraph, and a yEd flavour.

One ``<key>`` per attribute, with one ``attr.type`` and ``for`` set to ``node`` or ``edge``;
key ids and attribute names are NMTOKENs (see :func:`conflictkg.exporters.common.tabulate`),
node ids are readable names made from the IRIs, and the IRIs themselves are in the ``iri``
attribute. Besides the view's attributes, every element carries what the readers look for:

* nodes: ``name`` (the label: Cytoscape's name column), ``color`` (``#RRGGBB`` by kind, for a
  Cytoscape passthrough mapping) and ``r``, ``g``, ``b`` (integers: Gephi's GraphML importer
  colours nodes with them);
* edges: ``interaction`` (the relation, role or property in words: Cytoscape's interaction
  column), ``color``, ``r``, ``g``, ``b`` by assertion status and ``line_style``
  (``solid``, ``dashed``, ``dotted``). Gephi draws no dashes, so claims and unconfirmed
  statements differ there by colour.

:func:`to_graphml` writes only typed keys, which strict readers (graph-tool) require.
:func:`to_yed_graphml` adds yFiles graphics (``y:ShapeNode`` with the label, a fill colour
by kind, a size that fits the label; ``y:PolyLineEdge`` with the relation in words as label
and a line style by status), so that yEd shows labels and colours as soon as the file is
opened; those two keys have no ``attr.type`` (yEd's own convention), so use that file only
in yEd.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_node("https://w3id.org/conflictkg/id/a", label="A & B", kind="actor")
>>> net.add_edge("https://w3id.org/conflictkg/id/a", "https://w3id.org/conflictkg/id/a",
...              relation="Hostility", status="Reported", predicate_label="hostility")
0
>>> text = to_graphml(net).decode()
>>> '<key id="n_label" for="node" attr.name="label" attr.type="string"/>' in text
True
>>> '<data key="n_r">213</data>' in text, "yfiles" in text
(True, False)
>>> "<y:NodeLabel>A &amp; B</y:NodeLabel>" in to_yed_graphml(net).decode()
True
"""

from __future__ import annotations

import re
from typing import Any

from conflictkg.exporters.common import (
    GraphTable,
    Progress,
    grid_position,
    hex_to_rgb,
    kind_colour,
    table_writer,
    xml_text,
    xml_value,
)
from conflictkg.projection.statuses import status_style

__all__ = ["to_graphml", "to_yed_graphml"]

_TYPES = {"boolean": "boolean", "int": "int", "long": "long", "double": "double",
          "string": "string"}
_LINE = {"solid": "line", "dashed": "dashed", "dotted": "dotted", "dashdot": "dashed_dotted"}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NODE_EXTRA = {"name": "string", "color": "string", "r": "int", "g": "int", "b": "int"}
_EDGE_EXTRA = {"interaction": "string", "color": "string", "r": "int", "g": "int", "b": "int",
               "line_style": "string"}


def edge_words(attrs: dict[str, Any]) -> str:
    """Say the relation, role or property of an edge in words (``targeted actor``).

    Examples
    --------
    >>> edge_words({"label": "targetedActor", "predicate_label": "targeted actor"})
    'targeted actor'
    >>> edge_words({"label": "SeveredTies", "relation": "SeveredTies"})
    'severed ties'
    """
    if attrs.get("predicate_label"):
        return str(attrs["predicate_label"])
    return _CAMEL.sub(" ", str(attrs.get("label", ""))).lower()


def _node_extra(attrs: dict[str, Any]) -> dict[str, Any]:
    colour = kind_colour(attrs.get("kind"))
    r, g, b = hex_to_rgb(colour)
    return {"name": attrs.get("label", ""), "color": colour, "r": r, "g": g, "b": b}


def _edge_extra(attrs: dict[str, Any]) -> dict[str, Any]:
    colour, style = status_style(attrs.get("status"), dashdot="dashed")
    r, g, b = hex_to_rgb(colour)
    return {"interaction": edge_words(attrs), "color": colour, "r": r, "g": g, "b": b,
            "line_style": style}


@table_writer("bytes\n        UTF-8 GraphML.")
def to_graphml(table: GraphTable, progress: Progress) -> bytes:
    """Write a projection as GraphML with typed keys only."""
    return _write(table, progress, yed=False).encode("utf-8")


@table_writer("bytes\n        UTF-8 GraphML with yFiles graphics.")
def to_yed_graphml(table: GraphTable, progress: Progress) -> bytes:
    """Write a projection as GraphML with yFiles graphics, for yEd."""
    return _write(table, progress, yed=True).encode("utf-8")


def _write(table: GraphTable, progress: Progress, *, yed: bool) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        + (' xmlns:y="http://www.yworks.com/xml/graphml"'
           ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
           ' http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">'
           if yed else
           ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
           ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'),
    ]
    node_extra = {k: v for k, v in _NODE_EXTRA.items() if k not in table.node_types}
    edge_extra = {k: v for k, v in _EDGE_EXTRA.items() if k not in table.edge_types}
    node_types = {**table.node_types, **node_extra}
    edge_types = {**table.edge_types, **edge_extra}
    node_keys = {name: f"n_{name}" for name in node_types}
    edge_keys = {name: f"e_{name}" for name in edge_types}
    for name, kind in node_types.items():
        out.append(
            f'<key id="{node_keys[name]}" for="node" attr.name="{name}"'
            f' attr.type="{_TYPES[kind]}"/>'
        )
    for name, kind in edge_types.items():
        out.append(
            f'<key id="{edge_keys[name]}" for="edge" attr.name="{name}"'
            f' attr.type="{_TYPES[kind]}"/>'
        )
    if yed:
        out.append('<key id="y_node" for="node" yfiles.type="nodegraphics"/>')
        out.append('<key id="y_edge" for="edge" yfiles.type="edgegraphics"/>')
    description = xml_text(
        f"conflictkg, {table.graph.get('view', 'graph')} view ({table.graph.get('filters', '')})"
    )
    edgedefault = "directed" if table.directed else "undirected"
    out.append(f'<graph id="G" edgedefault="{edgedefault}"><desc>{description}</desc>')
    for index, node in enumerate(progress(table.nodes, len(table.nodes), "writing nodes")):
        out.append(f'<node id="{node.id}">')
        extra = {k: v for k, v in _node_extra(node.attrs).items() if k in node_extra}
        for name, value in (*node.attrs.items(), *extra.items()):
            out.append(
                f'<data key="{node_keys[name]}">{xml_value(value, node_types[name])}</data>'
            )
        if yed:
            label = xml_text(node.attrs.get("label", node.id))
            width = max(40, min(260, 7 * len(str(node.attrs.get("label", node.id))) + 16))
            x, y = grid_position(index, len(table.nodes))
            out.append(
                '<data key="y_node"><y:ShapeNode>'
                f'<y:Geometry height="30.0" width="{width}.0" x="{x}.0" y="{y}.0"/>'
                f'<y:Fill color="{kind_colour(node.attrs.get("kind"))}" transparent="false"/>'
                '<y:BorderStyle color="#333333" type="line" width="1.0"/>'
                f"<y:NodeLabel>{label}</y:NodeLabel>"
                '<y:Shape type="roundrectangle"/>'
                "</y:ShapeNode></data>"
            )
        out.append("</node>")
    for edge in progress(table.edges, len(table.edges), "writing edges"):
        out.append(f'<edge id="{edge.id}" source="{edge.source}" target="{edge.target}">')
        extras = _edge_extra(edge.attrs)
        extra = {k: v for k, v in extras.items() if k in edge_extra}
        for name, value in (*edge.attrs.items(), *extra.items()):
            out.append(
                f'<data key="{edge_keys[name]}">{xml_value(value, edge_types[name])}</data>'
            )
        if yed:
            out.append(
                '<data key="y_edge"><y:PolyLineEdge>'
                f'<y:LineStyle color="{extras["color"]}" type="{_LINE[extras["line_style"]]}"'
                ' width="1.0"/>'
                '<y:Arrows source="none" target="standard"/>'
                f'<y:EdgeLabel>{xml_text(extras["interaction"])}</y:EdgeLabel>'
                "</y:PolyLineEdge></data>"
            )
        out.append("</edge>")
    out.append("</graph></graphml>")
    return "\n".join(out) + "\n"
