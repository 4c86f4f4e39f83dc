"""GEXF 1.3 for Gephi: typed attributes, time intervals where dated, colours by kind.

Written here rather than with ``networkx.write_gexf``, whose output does not validate
against the GEXF 1.3 RelaxNG schema. What the file holds:

* ``<attributes>`` for nodes and for edges, one per attribute with its GEXF type
  (``boolean``, ``integer``, ``long``, ``double`` or ``string``); the label is the node's or
  edge's own ``label``, not an attribute (Gephi has a column of that name already);
* ``mode="dynamic"`` with ``timeformat="date"`` when anything is dated: an event node lives
  from its earliest possible day to its latest (``ckg:earliestDate``/``ckg:latestDate``, or
  the first and last day of ``ckg:date``: ``2017`` is 2017-01-01 to 2017-12-31); an actor
  starts on its founding date; an edge lives while the statement behind it holds (start and
  end of a relation, the date of an event), clipped to the lives of its two nodes. Undated
  nodes and edges are always there. Readers without dynamics (Gephi Lite, graphology)
  drop those intervals, so their days are also plain attributes, ``live_from`` and
  ``live_until`` (``YYYY-MM-DD``, the last day included), beside the dates as the source
  gives them (``date``, ``earliest``...);
* parallel edges kept apart by ``kind`` (Gephi merges parallel edges of one kind): the
  relation or role, followed by the record's name when two edges would share it;
* ``viz:color`` by node kind (actors, events, places, sources, records...), ``viz:color`` and
  ``viz:shape`` (solid, dashed, dotted) of edges by assertion status. Gephi draws every
  edge solid whatever its shape, so there claims and unconfirmed statements differ by
  colour (orange, grey) and by the ``status`` column.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_node("urn:x:g", label="Group", kind="actor")
>>> net.add_node("urn:x:e", label="Attack", kind="event", date="2024-09")
>>> net.add_edge("urn:x:g", "urn:x:e", role="perpetrator", date="2024-09", record="urn:x:e")
0
>>> text = to_gexf(net).decode()
>>> 'mode="dynamic"' in text and 'start="2024-09-01" end="2024-09-30"' in text
True
"""

from __future__ import annotations

import re

from conflictkg.exporters.common import (
    GraphTable,
    Progress,
    date_bounds,
    hex_to_rgb,
    kind_colour,
    table_writer,
    xml_text,
    xml_value,
)
from conflictkg.projection.statuses import status_style

__all__ = ["GEXF_TYPES", "to_gexf"]

#: GEXF attribute type of each table type.
GEXF_TYPES = {
    "boolean": "boolean",
    "int": "integer",
    "long": "long",
    "double": "double",
    "string": "string",
}
_SPACES = re.compile(r"\s+")
_SIZES = {"actor": 12.0, "event": 10.0, "place": 8.0, "source": 8.0}


def _token(text: object) -> str:
    """Collapse white space, as the xs:token type of labels and kinds requires."""
    return xml_text(_SPACES.sub(" ", str(text)).strip())


def _first(attrs: dict, *keys: str) -> tuple[str, str] | None:
    for key in keys:
        bounds = date_bounds(attrs.get(key))
        if bounds is not None:
            return bounds
    return None


def _life(attrs: dict, *, edge: bool) -> tuple[str | None, str | None]:
    """Start and end day of a node or edge, from its date attributes."""
    if edge:
        start = _first(attrs, "start", "earliest", "date")
        end = _first(attrs, "end", "latest", "date")
    else:
        start = _first(attrs, "earliest", "date", "founded")
        end = _first(attrs, "latest", "date")
    first = start[0] if start else None
    last = end[1] if end else None
    if first and last and first > last:
        return None, None
    return first, last


def _clip(
    life: tuple[str | None, str | None], *others: tuple[str | None, str | None]
) -> tuple[str | None, str | None]:
    first, last = life
    for other_first, other_last in others:
        if other_first and (first is None or other_first > first):
            first = other_first
        if other_last and (last is None or other_last < last):
            last = other_last
    if first and last and first > last:
        return None, None
    return first, last


def _times(life: tuple[str | None, str | None]) -> str:
    first, last = life
    return (f' start="{first}"' if first else "") + (f' end="{last}"' if last else "")


@table_writer("bytes\n        UTF-8 GEXF, valid against the GEXF 1.3 RelaxNG schema.")
def to_gexf(table: GraphTable, progress: Progress) -> bytes:
    """Write a projection as GEXF 1.3 (see the module notes)."""
    return _write(table, progress).encode("utf-8")


def _write(table: GraphTable, progress: Progress) -> str:
    lives = {node.id: _life(node.attrs, edge=False) for node in table.nodes}
    edge_lives = {
        edge.id: _clip(_life(edge.attrs, edge=True), lives[edge.source], lives[edge.target])
        for edge in table.edges
    }
    dynamic = any(any(life) for life in lives.values()) or any(
        any(life) for life in edge_lives.values()
    )
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        # No xsi:schemaLocation: the RelaxNG schema allows no attribute outside GEXF's own.
        '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
        "<meta><creator>conflictkg</creator>"
        f"<description>{xml_text(_describe(table))}</description></meta>",
    ]
    mode = ' mode="dynamic" timeformat="date" timerepresentation="interval"' if dynamic else ""
    edgetype = "directed" if table.directed else "undirected"
    out.append(f'<graph defaultedgetype="{edgetype}" idtype="string"{mode}>')
    node_types, edge_types = dict(table.node_types), dict(table.edge_types)
    for types, life_of in ((node_types, lives), (edge_types, edge_lives)):
        for name, index in _LIFE_ATTRIBUTES:
            if name not in types and any(life[index] for life in life_of.values()):
                types[name] = "string"
    for cls, types in (("node", node_types), ("edge", edge_types)):
        out.append(f'<attributes class="{cls}" mode="static">')
        for name, kind in types.items():
            if name == "label":
                continue
            out.append(f'<attribute id="{name}" title="{name}" type="{GEXF_TYPES[kind]}"/>')
        out.append("</attributes>")
    out.append(f'<nodes count="{len(table.nodes)}">')
    for node in progress(table.nodes, len(table.nodes), "writing nodes"):
        label = _token(node.attrs.get("label", node.id))
        out.append(f'<node id="{node.id}" label="{label}"{_times(lives[node.id])}><attvalues>')
        for name, value in (*node.attrs.items(), *_life_values(lives[node.id], node.attrs)):
            if name != "label":
                out.append(f'<attvalue for="{name}" value="{xml_value(value, node_types[name])}"/>')
        kind = node.attrs.get("kind")
        r, g, b = hex_to_rgb(kind_colour(kind))
        size = _SIZES.get(str(kind), 6.0)
        out.append(
            f'</attvalues><viz:color r="{r}" g="{g}" b="{b}"/>'
            f'<viz:size value="{size}"/></node>'
        )
    out.append("</nodes>")
    out.append(f'<edges count="{len(table.edges)}">')
    seen: set[tuple[str, str, str]] = set()
    for edge in progress(table.edges, len(table.edges), "writing edges"):
        kind = _edge_kind(edge.source, edge.target, edge.attrs, seen)
        label = _token(edge.attrs.get("label", ""))
        out.append(
            f'<edge id="{edge.id}" source="{edge.source}" target="{edge.target}"'
            f' label="{label}" kind="{kind}"{_times(edge_lives[edge.id])}><attvalues>'
        )
        for name, value in (*edge.attrs.items(), *_life_values(edge_lives[edge.id], edge.attrs)):
            if name != "label":
                out.append(f'<attvalue for="{name}" value="{xml_value(value, edge_types[name])}"/>')
        colour, style = status_style(edge.attrs.get("status"), dashdot="dashed")
        r, g, b = hex_to_rgb(colour)
        out.append(
            f'</attvalues><viz:color r="{r}" g="{g}" b="{b}"/>'
            f'<viz:shape value="{style}"/></edge>'
        )
    out.append("</edges></graph></gexf>")
    return "\n".join(out) + "\n"


#: Plain attributes that repeat the days of a node's or edge's time interval.
_LIFE_ATTRIBUTES = (("live_from", 0), ("live_until", 1))


def _life_values(life: tuple[str | None, str | None], attrs: dict) -> list[tuple[str, str]]:
    return [(name, life[index]) for name, index in _LIFE_ATTRIBUTES
            if life[index] and name not in attrs]


def _describe(table: GraphTable) -> str:
    view = table.graph.get("view", "graph")
    filters = table.graph.get("filters", "no filters")
    return f"conflictkg, {view} view ({filters})"


def _edge_kind(source: str, target: str, attrs: dict, seen: set[tuple[str, str, str]]) -> str:
    """Name the edge's kind so that no two edges between the same nodes share one."""
    base = _token(attrs.get("label", "related"))
    record = str(attrs.get("record_label") or attrs.get("record") or "")
    options = [base, _token(f"{base} ({record})")] if record else [base]
    number = 1
    while True:
        for kind in options:
            if (source, target, kind) not in seen:
                seen.add((source, target, kind))
                return kind
        number += 1
        options = [f"{options[-1] if number == 2 else options[-1].rsplit(' ', 1)[0]} {number}"]
