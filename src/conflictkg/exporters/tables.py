"""CSV node and edge lists, for spreadsheets, pandas and R.

A folder with two UTF-8 files (comma-separated, quoted where needed, one header row):

``nodes.csv``
    ``id`` (a short name), ``iri``, ``label``, ``type``, ``types``, ``kind`` and every other
    attribute of the view: dates, precision, status, ``asserted_by``...
``edges.csv``
    ``id``, ``source`` and ``target`` (node ids), ``source_iri`` and ``target_iri``,
    ``label`` (relation or role), ``predicate``, ``status``, ``asserted_by``, dates,
    ``record`` (the statement's own node)...

An empty cell means "no value". Booleans are ``true``/``false``. Dates keep the source's
precision (``2017``, ``2024-09``, ``2024-09-17``); every date column is followed by
``<name>_first`` and ``<name>_last``, the first and last day it can mean (``2017-01-01`` and
``2017-12-31``), for readers that sort or filter by day. pandas reads a
column of years with gaps as floats (``2017.0``): read dates as text with
``dtype={"founded": "string"}`` (or all of :data:`DATE_COLUMNS`), and parse the
``_first``/``_last`` columns with ``parse_dates``.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_edge("urn:x:a", "urn:x:b", role="perpetrator", status="Reported")
0
>>> files = to_csv_tables(net)
>>> print(files["edges.csv"].decode(), end="")
id,source,target,source_iri,target_iri,label,status,role
e1,a,b,urn:x:a,urn:x:b,perpetrator,Reported,perpetrator
"""

from __future__ import annotations

import csv
import io
from typing import Any

from conflictkg.exporters.common import (
    DATE_ATTRIBUTES,
    GraphTable,
    Progress,
    date_cell,
    date_columns,
    table_writer,
)

__all__ = ["DATE_COLUMNS", "to_csv_tables"]

#: Columns that hold dates as the source gives them (read them as text).
DATE_COLUMNS = tuple(sorted(DATE_ATTRIBUTES))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _name(column: tuple[str, str]) -> str:
    name, kind = column
    return f"{name}_{kind}" if kind in ("first", "last") else name


def _value(attrs: dict[str, Any], column: tuple[str, str]) -> str:
    name, kind = column
    if kind in ("first", "last"):
        return date_cell(attrs.get(name), kind)
    return _cell(attrs.get(name))


@table_writer('dict of str to bytes\n        ``{"nodes.csv": ..., "edges.csv": ...}``.')
def to_csv_tables(table: GraphTable, progress: Progress) -> dict[str, bytes]:
    """Write a projection as ``nodes.csv`` and ``edges.csv``."""
    iri_of = {node.id: node.iri for node in table.nodes}
    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    columns = date_columns(
        [name for name in table.node_types if name != "iri"], table.node_types,
        [node.attrs for node in table.nodes], typed_days=False,
    )
    writer.writerow(["id", "iri", *(_name(c) for c in columns)])
    for node in progress(table.nodes, len(table.nodes), "writing nodes"):
        writer.writerow([node.id, node.iri, *(_value(node.attrs, c) for c in columns)])
    edges = io.StringIO()
    writer = csv.writer(edges, lineterminator="\n")
    columns = date_columns(
        table.edge_types, table.edge_types, [e.attrs for e in table.edges], typed_days=False
    )
    writer.writerow(
        ["id", "source", "target", "source_iri", "target_iri", *(_name(c) for c in columns)]
    )
    for edge in progress(table.edges, len(table.edges), "writing edges"):
        writer.writerow(
            [edge.id, edge.source, edge.target, iri_of[edge.source], iri_of[edge.target]]
            + [_value(edge.attrs, c) for c in columns]
        )
    return {
        "nodes.csv": nodes.getvalue().encode("utf-8"),
        "edges.csv": edges.getvalue().encode("utf-8"),
    }
