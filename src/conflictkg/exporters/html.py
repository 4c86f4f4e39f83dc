"""A self-contained interactive HTML viewer of a projection.

One HTML file that works offline: the style, the script (``viewer/viewer.css`` and
``viewer/viewer.js`` in this package, no library) and the data (a JSON block) are inlined;
nothing refers to another file, font or server. The page draws the view as a
force-directed graph (nodes coloured by kind, statements drawn solid, dashed or dotted by
assertion status), with:

* filters by type (grouped by kind) and by assertion status, with counts;
* a search box (name, type or IRI);
* a click on a node: its facts (type, IRI, summary, dates, precision, status, source) and
  every statement it takes part in, each with its status, its source and its dates; a click
  on another node's name goes there.

At most 400 nodes are drawn at once (the most connected of those that pass the filters),
and the selected node with up to 100 neighbours: a node found by the search box (Enter) or
named by ``#select=`` is drawn wherever it ranks. A notice says so when the filters let more
through.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_edge("urn:x:a", "urn:x:b", role="perpetrator", status="ClaimedByParty")
0
>>> page = to_html(net).decode()
>>> page.startswith("<!DOCTYPE html>") and "</script>" in page
True
>>> import re
>>> re.findall(r'(?:src|href)="[^"]*"', page)
[]
"""

from __future__ import annotations

import html
import json
from importlib import resources as importlib_resources
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from conflictkg.exporters.common import (
    KIND_COLOURS,
    GraphTable,
    Progress,
    table_writer,
)
from conflictkg.namespaces import CKG
from conflictkg.projection.statuses import STATUS_STYLES

__all__ = ["to_html"]

_KIND_NAMES = {
    "actor": "Actors",
    "event": "Events",
    "place": "Places",
    "source": "Sources",
    "relation": "Actor relations",
    "count": "Counts",
    "record": "Other records",
    "other": "Other",
}
_NODE_KEYS = ("iri", "label", "type", "kind", "status")
_EDGE_KEYS = ("label", "status")


def _asset(name: str) -> str:
    return (
        importlib_resources.files("conflictkg.exporters")
        .joinpath("viewer", name)
        .read_text("utf-8")
    )


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _text(graph: Graph | None, iri: str, predicate: URIRef) -> str | None:
    if graph is None:
        return None
    best = None
    for value in graph.objects(URIRef(iri), predicate):
        if isinstance(value, Literal) and value.language in (None, "en"):
            if best is None or value.language == "en":
                best = str(value)
    return best


@table_writer("bytes\n        UTF-8 HTML.")
def to_html(table: GraphTable, progress: Progress, *, rdf: Graph | None = None) -> bytes:
    """Write a projection as a self-contained interactive HTML page.

    The keyword ``rdf``, the RDF graph the projection comes from, gives the nodes'
    summaries (``ckg:summary``, or ``skos:definition``).
    """
    type_labels: dict[str, str] = {}
    status_labels: dict[str, str] = {}
    nodes = []
    for node in progress(table.nodes, len(table.nodes), "writing nodes"):
        attrs = node.attrs
        if attrs.get("type") and attrs.get("type_label"):
            type_labels[str(attrs["type"])] = str(attrs["type_label"])
        if attrs.get("status") and attrs.get("status_label"):
            status_labels[str(attrs["status"])] = str(attrs["status_label"])
        summary = _text(rdf, node.iri, CKG.summary) or _text(rdf, node.iri, SKOS.definition)
        nodes.append({
            "id": node.id,
            "iri": node.iri,
            "label": str(attrs.get("label", node.id)),
            "type": str(attrs.get("type", "Resource")),
            "kind": str(attrs.get("kind", "other")),
            "status": attrs.get("status"),
            "summary": summary,
            "a": {k: v for k, v in attrs.items() if k not in _NODE_KEYS},
        })
    edges = []
    for edge in progress(table.edges, len(table.edges), "writing edges"):
        attrs = edge.attrs
        if attrs.get("status") and attrs.get("status_label"):
            status_labels[str(attrs["status"])] = str(attrs["status_label"])
        edges.append({
            "id": edge.id,
            "s": edge.source,
            "t": edge.target,
            "label": str(attrs.get("label", "")),
            "status": attrs.get("status"),
            "a": {k: v for k, v in attrs.items() if k not in _EDGE_KEYS},
        })
    view = table.graph.get("view", "graph")
    data = {
        "nodes": nodes,
        "edges": edges,
        "kindColours": KIND_COLOURS,
        "kindNames": _KIND_NAMES,
        "kindOrder": list(_KIND_NAMES),
        "statusStyles": {k or "": list(v) for k, v in STATUS_STYLES.items()},
        "typeLabels": type_labels,
        "statusLabels": status_labels,
    }
    title = f"conflictkg \u2014 {view} view"
    about = (
        f"{len(nodes)} nodes, {len(edges)} statements; "
        f"filters: {table.graph.get('filters', 'no filters')}"
    )
    page = (
        _asset("viewer.html")
        .replace("{{title}}", html.escape(title))
        .replace("{{about}}", html.escape(about))
        .replace("/*{{style}}*/", _asset("viewer.css"))
        .replace("/*{{script}}*/", _asset("viewer.js"))
        .replace("{{data}}", _script_json(data))
    )
    return page.encode("utf-8")
