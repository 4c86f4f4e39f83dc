r"""Graphviz DOT, and SVG or PNG drawings made from it by Graphviz.

Node ids are safe names made from the IRIs (letters, digits and underscores, never a DOT
keyword); each node's label shows its name over its compact IRI (``ckr:jnim``), and the full
IRI is in ``URL`` (a link in SVG), ``tooltip`` and ``iri``. Every other attribute of the
projection is kept as a DOT attribute of its own (Graphviz ignores the names it does not
know). Nodes are filled by kind; edges are labelled with the relation or role and drawn
solid, dashed or dotted by assertion status.

SVG and PNG run Graphviz's ``dot`` (``sfdp`` above 60 nodes or 400 edges) and need Graphviz
installed. A drawing shows one edge per pair of nodes, relation and status, labelled with
the number of statements it stands for (``Hostility ×12``); the DOT file keeps every
statement. Graphs of more than :data:`MAX_DRAWN_NODES` nodes or (after that merge)
:data:`MAX_DRAWN_EDGES` edges are refused, as no layout of them would be readable (export a
view, or GEXF for Gephi), and Graphviz is stopped after :data:`DRAW_SECONDS` seconds.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_edge("https://w3id.org/conflictkg/id/jnim", "https://w3id.org/conflictkg/id/graph",
...              relation="Hostility", status="ClaimedByParty")
0
>>> text = to_dot(net).decode()
>>> "jnim -> n_graph [" in text
True
>>> print(text.splitlines()[5].split(", URL")[0])
  jnim [label="jnim\nckr:jnim"
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import replace

from conflictkg.errors import ExportError
from conflictkg.exporters.common import (
    Edge,
    GraphTable,
    Progress,
    kind_colour,
    table_writer,
    visible_controls,
)
from conflictkg.namespaces import PREFIXES
from conflictkg.projection.statuses import status_style

__all__ = ["DRAW_SECONDS", "MAX_DRAWN_EDGES", "MAX_DRAWN_NODES", "to_dot", "to_png", "to_svg"]

#: The largest graph :func:`to_svg` and :func:`to_png` will lay out.
MAX_DRAWN_NODES = 2000
#: The most edges (after merging parallel ones) :func:`to_svg` and :func:`to_png` will draw.
MAX_DRAWN_EDGES = 4000
#: How long Graphviz may take to lay out a drawing, in seconds.
DRAW_SECONDS = 120.0
_SFDP_FROM = 60
_SFDP_FROM_EDGES = 400
_KNOWN = frozenset({"label", "iri", "kind"})
# Graphviz's own attribute names: a projection attribute of the same name ("start", "rank",
# "weight"...) is written with the prefix "ckg_" so that Graphviz does not act on it.
_GRAPHVIZ = frozenset("""
    _background area arrowhead arrowsize arrowtail bb beautify bgcolor center charset class
    cluster clusterrank color colorscheme comment compound concentrate constraint damping
    decorate defaultdist dim dimen dir diredgeconstraints distortion dpi edgehref edgetarget
    edgetooltip edgeurl epsilon esep fillcolor fixedsize fontcolor fontname fontnames fontpath
    fontsize forcelabels gradientangle group head_lp headclip headhref headlabel headport
    headtarget headtooltip headurl height href id image imagepath imagepos imagescale
    inputscale k label label_scheme labelangle labeldistance labelfloat labelfontcolor
    labelfontname labelfontsize labelhref labeljust labelloc labeltarget labeltooltip labelurl
    landscape layer layerlistsep layers layerselect layersep layout len levels levelsgap lhead
    lheight linelength lp ltail lwidth margin maxiter mclimit mindist minlen mode model newrank
    nodesep nojustify normalize notranslate nslimit nslimit1 oneblock ordering orientation
    outputorder overlap overlap_scaling overlap_shrink pack packmode pad page pagedir pencolor
    penwidth peripheries pin pos quadtree quantum radius rank rankdir ranksep ratio rects
    regular remincross repulsiveforce resolution root rotate rotation samehead sametail
    samplepoints scale searchsize sep shape shapefile showboxes sides size skew smoothing sortv
    splines start style stylesheet tail_lp tailclip tailhref taillabel tailport tailtarget
    tailtooltip tailurl target tbbalance tooltip truecolor url vertices viewport voro_margin
    weight width xdotversion xlabel xlp z
""".split())


def _own(name: str) -> str:
    """Rename an attribute that Graphviz would read as one of its own."""
    return f"ckg_{name}" if name.lower() in _GRAPHVIZ else name


def _quote(value: object) -> str:
    r"""Quote a DOT string: backslashes and quotes escaped, line breaks as ``\n``.

    Control characters become U+FFFD: Graphviz would copy them into SVG, which XML forbids.
    """
    text = visible_controls(str(value)).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n") + '"'


def _compact(iri: str) -> str:
    best = max(
        (p for p, ns in PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)),
        key=lambda p: len(PREFIXES[p]),
        default=None,
    )
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _attrs(pairs: list[tuple[str, object]]) -> str:
    return ", ".join(f"{name}={_quote(value)}" for name, value in pairs)


def _lighter(colour: str) -> str:
    """Mix a colour half-way with white, for fills that keep black text readable."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{(c + 255) // 2:02x}" for c in channels)


@table_writer("bytes\n        UTF-8 DOT.")
def to_dot(table: GraphTable, progress: Progress) -> bytes:
    """Write a projection as Graphviz DOT."""
    return _write(table, progress).encode("utf-8")


def _write(table: GraphTable, progress: Progress, *, layout: str | None = None) -> str:
    arrow = "->" if table.directed else "--"
    view = table.graph.get("view", "graph")
    graph_attrs = [("label", f"conflictkg, {view} view"), ("labelloc", "t"),
                   ("fontname", "DejaVu Sans"), ("fontsize", "18"), ("bgcolor", "white")]
    if layout:
        graph_attrs += [("layout", layout), ("overlap", "prism"), ("splines", "true"),
                        ("sep", "+6")]
    node_attrs = [("shape", "box"), ("style", "rounded,filled"), ("fontname", "DejaVu Sans"),
                  ("fontsize", "10")]
    edge_attrs = [("fontname", "DejaVu Sans"), ("fontsize", "8"), ("arrowsize", "0.6")]
    out = [
        f"{'digraph' if table.directed else 'graph'} conflictkg_{view} {{",
        f"  graph [{_attrs(graph_attrs)}];",
        f"  node [{_attrs(node_attrs)}];",
        f"  edge [{_attrs(edge_attrs)}];",
    ]
    for node in progress(table.nodes, len(table.nodes), "writing nodes"):
        colour = kind_colour(node.attrs.get("kind"))
        pairs: list[tuple[str, object]] = [
            ("label", f"{node.attrs.get('label', node.id)}\n{_compact(node.iri)}"),
            ("URL", node.iri),
            ("tooltip", node.iri),
            ("fillcolor", _lighter(colour)),
            ("color", colour),
            ("iri", node.iri),
            ("kind", node.attrs.get("kind", "")),
        ]
        pairs += [(_own(k), v) for k, v in node.attrs.items() if k not in _KNOWN]
        out.append(f"  {node.id} [{_attrs(pairs)}];")
    for edge in progress(table.edges, len(table.edges), "writing edges"):
        colour, style = status_style(edge.attrs.get("status"), dashdot="dashed")
        pairs = [("id", edge.id), ("label", edge.attrs.get("label", "")),
                 ("color", colour), ("fontcolor", colour), ("style", style)]
        pairs += [(_own(k), v) for k, v in edge.attrs.items() if k != "label"]
        out.append(f"  {edge.source} {arrow} {edge.target} [{_attrs(pairs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _merged(table: GraphTable) -> GraphTable:
    """One edge per pair of nodes, label and status, labelled with how many it stands for."""
    groups: dict[tuple, list[Edge]] = {}
    for edge in table.edges:
        key = (edge.source, edge.target, edge.attrs.get("label"), edge.attrs.get("status"))
        groups.setdefault(key, []).append(edge)
    edges = []
    for group in groups.values():
        first = group[0]
        if len(group) == 1:
            edges.append(first)
            continue
        attrs = dict(first.attrs)
        attrs["label"] = f"{attrs.get('label', '')} ×{len(group)}"
        attrs["statements"] = len(group)
        edges.append(Edge(first.id, first.source, first.target, attrs))
    return replace(table, edges=edges)


def _draw(table: GraphTable, fmt: str, progress: Progress) -> bytes:
    if len(table.nodes) > MAX_DRAWN_NODES:
        raise ExportError(
            f"the graph has {len(table.nodes)} nodes, more than the {MAX_DRAWN_NODES} that can "
            "be drawn readably; export a smaller view or filter it, or use gexf (Gephi)"
        )
    table = _merged(table)
    if len(table.edges) > MAX_DRAWN_EDGES:
        raise ExportError(
            f"the graph has {len(table.edges)} distinct edges, more than the {MAX_DRAWN_EDGES} "
            "that can be drawn readably; export a smaller view or filter it, or use gexf (Gephi)"
        )
    big = len(table.nodes) > _SFDP_FROM or len(table.edges) > _SFDP_FROM_EDGES
    text = _write(table, progress, layout="sfdp" if big else None)
    try:
        done = subprocess.run(
            ["dot", f"-T{fmt}"], input=text.encode("utf-8"), capture_output=True, check=False,
            timeout=DRAW_SECONDS,
        )
    except FileNotFoundError:
        raise ExportError("Graphviz is not installed (Debian: apt-get install graphviz)") from None
    except subprocess.TimeoutExpired:
        raise ExportError(
            f"Graphviz did not finish laying out {len(table.nodes)} nodes and "
            f"{len(table.edges)} edges within {DRAW_SECONDS:g} s; export a smaller view or "
            "filter it, write -f dot and lay it out yourself, or use gexf (Gephi)"
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise ExportError(f"Graphviz failed to draw the graph: {message}")
    return done.stdout


def _drawing(fmt: str, what: str) -> Callable[..., bytes]:
    """Make the writer that draws a projection in `fmt` with Graphviz."""

    def draw(table: GraphTable, progress: Progress) -> bytes:
        return _draw(table, fmt, progress)

    draw.__name__ = draw.__qualname__ = f"to_{fmt}"
    draw.__doc__ = f"""Draw a projection as {fmt.upper()} with Graphviz.

    Raises
    ------
    ExportError
        If Graphviz is missing or fails, or the graph is too large to draw.
    """
    return table_writer(f"bytes\n        {what}")(draw)


#: Draw a projection as SVG with Graphviz.
to_svg = _drawing("svg", "The SVG document.")
#: Draw a projection as PNG with Graphviz.
to_png = _drawing("png", "The PNG image.")
