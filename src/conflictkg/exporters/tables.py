"""CSV node and edge lists, for spreadsheets, pandas and R.

A folder with two UTF-8 files (comma-separated, quoted where needed, one header row):

``nodes.csv``
    ``id`` (a short name), ``iri``, ``label``, ``type``, ``types``, ``kind`` and every other
    attribute of the view: dates, precision, status, ``asserted_by``...
``edges.csv``
    ``id``, ``source`` and ``target`` (node ids), ``source_iri`` and ``target_iri``,
    ``label`` (relation or role), ``predicate``, ``status``, ``asserted_by``, dates,
    ``record`` (the statement's own node)...

An empty cell means "no value". Booleans are ``true``/``false``.

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

from conflictkg.exporters.common import GraphTable, Progress, table_writer

__all__ = ["to_csv_tables"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


@table_writer('dict of str to bytes\n        ``{"nodes.csv": ..., "edges.csv": ...}``.')
def to_csv_tables(table: GraphTable, progress: Progress) -> dict[str, bytes]:
    """Write a projection as ``nodes.csv`` and ``edges.csv``."""
    iri_of = {node.id: node.iri for node in table.nodes}
    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    columns = [name for name in table.node_types if name != "iri"]
    writer.writerow(["id", "iri", *columns])
    for node in progress(table.nodes, len(table.nodes), "writing nodes"):
        writer.writerow([node.id, node.iri, *(_cell(node.attrs.get(c)) for c in columns)])
    edges = io.StringIO()
    writer = csv.writer(edges, lineterminator="\n")
    columns = list(table.edge_types)
    writer.writerow(["id", "source", "target", "source_iri", "target_iri", *columns])
    for edge in progress(table.edges, len(table.edges), "writing edges"):
        writer.writerow(
            [edge.id, edge.source, edge.target, iri_of[edge.source], iri_of[edge.target]]
            + [_cell(edge.attrs.get(c)) for c in columns]
        )
    return {
        "nodes.csv": nodes.getvalue().encode("utf-8"),
        "edges.csv": edges.getvalue().encode("utf-8"),
    }
