"""Pictures of the analyses: readable network drawings and a timeline, written atomically.

Every network picture follows the same legend: **node colour is the entity's type** (its most
specific class), **line style is the status of the statement** behind a tie (solid: reported
or official; dashed: claimed by a party; dotted: unconfirmed, not confirmed, withheld, or the
author's analysis, opinion, forecast or recommendation; dash-dot: no source recorded), and in
actor networks **line colour is the sign** (green alliance, red hostility, grey neutral).
Labels are wrapped and set on a white background below each node. Large graphs are cut to
their most connected entities, and the picture says so.

Drawing uses matplotlib's object API with the Agg renderer (no window, no global state);
matplotlib is imported only when a picture is drawn. PNG, SVG and PDF are written through
:class:`conflictkg.atomic.AtomicOutputs`, so a reader never sees half a picture. The
layout is Kamada-Kawai [1]_ for small graphs and seeded Fruchterman-Reingold [2]_ for larger
ones, so the same data give the same picture.

References
----------
.. [1] T. Kamada and S. Kawai, "An algorithm for drawing general undirected graphs",
   *Information Processing Letters* 31(1), 7-15, 1989.
.. [2] T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed placement",
   *Software: Practice and Experience* 21(11), 1129-1164, 1991.

Examples
--------
>>> import tempfile, pathlib
>>> import networkx as nx
>>> from conflictkg.analysis.centrality import centrality
>>> net = nx.MultiDiGraph()
>>> net.add_node("a", label="Armed group", type="JihadistGroup")
>>> net.add_node("b", label="Army", type="ArmedForces")
>>> _ = net.add_edge("a", "b", sign=-1, status="Reported")
>>> target = pathlib.Path(tempfile.mkdtemp()) / "centrality.png"
>>> plot_centrality(net, centrality(net), target) == target
True
>>> target.read_bytes()[1:4]
b'PNG'
"""

from __future__ import annotations

import io
import math
import textwrap
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import networkx as nx

from conflictkg.analysis.ties import node_label, simple_graph
from conflictkg.atomic import AtomicOutputs
from conflictkg.projection.statuses import LINE_STYLES, status_style

__all__ = [
    "FORMATS",
    "plot_balance",
    "plot_centrality",
    "plot_communities",
    "plot_ego",
    "plot_network",
    "plot_paths",
    "plot_timeline",
    "plot_format",
]

#: File suffixes that can be written and the matplotlib format of each.
FORMATS: dict[str, str] = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

#: matplotlib's dash pattern for each line style of
#: :data:`conflictkg.projection.statuses.LINE_STYLES`.
_DASHES: dict[str, Any] = {
    "solid": "solid",
    "dashed": (0, (6, 3)),
    "dotted": (0, (1, 2)),
    "dashdot": (0, (6, 2, 1, 2)),
}
_SIGN_COLOURS = {1: "#1e8449", -1: "#c0392b", 0: "#7f8c8d"}
_SIGN_NAMES = {1: "alliance or other positive tie", -1: "hostility", 0: "neutral (e.g. severed)"}
_NO_SIGN = "#6b6b6b"
# Colour-blind-friendly qualitative colours (Okabe-Ito, Tol's muted scheme, then more).
_PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#6699CC",
    "#997700",
    "#EE99AA",
    "#004488",
    "#BBCC33",
    "#994455",
    "#77AADD",
    "#EE8866",
)
#: Actor types keep the same colour in every picture.
_TYPE_COLOURS = {
    "JihadistGroup": "#0072B2",
    "RebelGroup": "#56B4E9",
    "Faction": "#332288",
    "ArmedNonStateGroup": "#88CCEE",
    "PrivateMilitaryCompany": "#009E73",
    "State": "#E69F00",
    "ArmedForces": "#D55E00",
    "ArmedForcesBranch": "#CC6677",
    "StateSecurityForce": "#EE8866",
    "MilitaryJunta": "#882255",
    "Government": "#AA4499",
    "Ministry": "#DDCC77",
    "IntergovernmentalOrganization": "#44AA99",
    "JointForce": "#117733",
    "Person": "#CC79A7",
    "PersonGroup": "#999933",
    "ActorCollective": "#F0E442",
}
#: Marker shape by kind of entity.
_KIND_MARKERS = {
    "actor": ("o", "actor"),
    "event": ("s", "event"),
    "place": ("^", "place"),
    "relation": ("D", "relation record"),
    "count": ("D", "count"),
    "record": ("D", "other record"),
    "source": ("p", "source"),
}
_OTHER = "#bbbbbb"
_DPI = 150


def _dot(colour: str, label: str) -> Any:
    """Return a legend entry: a round marker of `colour`."""
    from matplotlib.lines import Line2D

    return Line2D(
        [], [], marker="o", linestyle="", markersize=9, markerfacecolor=colour,
        markeredgecolor="#333333", label=label,
    )


def _mark(ax: Any, x: Any, y: float, marker: str, size: int, colour: str) -> None:
    """Draw one outlined marker at (`x`, `y`)."""
    ax.plot([x], [y], marker=marker, markersize=size, color=colour, markeredgecolor="#333333",
            zorder=3)


def plot_format(path: str | Path) -> str:
    """Return the matplotlib format for a file name, or raise for an unsupported one.

    Parameters
    ----------
    path : str or pathlib.Path
        Where the picture goes.

    Returns
    -------
    str
        ``"png"``, ``"svg"`` or ``"pdf"``.

    Raises
    ------
    ValueError
        If the suffix is none of those.

    Examples
    --------
    >>> plot_format("out/centrality.SVG")
    'svg'
    >>> plot_format("out/centrality.jpg")
    Traceback (most recent call last):
    ...
    ValueError: cannot draw to 'out/centrality.jpg': the file name must end in .png, .svg or .pdf
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(
            f"cannot draw to {str(path)!r}: the file name must end in "
            + ", ".join(list(FORMATS)[:-1])
            + f" or {list(FORMATS)[-1]}"
        )
    return FORMATS[suffix]


# --- figure plumbing ------------------------------------------------------------------


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    return figure


def _save(figure, path: str | Path) -> Path:
    fmt = plot_format(path)
    from matplotlib import rc_context

    buffer = io.BytesIO()
    metadata = {"Creator": "conflictkg"} if fmt != "png" else {"Software": "conflictkg"}
    # SVG keeps its labels as text (searchable, selectable) rather than outlines.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "conflictkg"}):
        figure.savefig(buffer, format=fmt, dpi=_DPI, metadata=metadata)
    target = Path(path)
    with AtomicOutputs() as outputs:
        outputs.write_bytes(target, buffer.getvalue())
    return target


def _wrap(text: str, width: int = 22, lines: int = 3) -> str:
    wrapped = textwrap.wrap(text, width=width) or [text]
    if len(wrapped) > lines:
        wrapped = [
            *wrapped[: lines - 1],
            textwrap.shorten(" ".join(wrapped[lines - 1 :]), width=width, placeholder="…"),
        ]
    return "\n".join(wrapped)


def _type_colours(net: nx.Graph, nodes: Iterable[Hashable], limit: int = 22) -> dict[str, str]:
    """Colour each type: actor types always alike, others from the free colours, by name."""
    counts = Counter(str(net.nodes[n].get("type") or "unknown") for n in nodes)
    colours = {t: _TYPE_COLOURS[t] for t in counts if t in _TYPE_COLOURS}
    free = [c for c in _PALETTE if c not in colours.values()]
    others = sorted((t for t in counts if t not in colours), key=lambda t: (-counts[t], t))
    room = max(limit - len(colours), 0)
    for index, kind in enumerate(others):
        colours[kind] = free[index] if index < min(room, len(free)) else _OTHER
    return dict(sorted(colours.items(), key=lambda item: (-counts[item[0]], item[0])))


def _type_names(net: nx.Graph, nodes: Iterable[Hashable]) -> dict[str, str]:
    names = {}
    for n in nodes:
        kind = str(net.nodes[n].get("type") or "unknown")
        names.setdefault(kind, str(net.nodes[n].get("type_label") or kind))
    return names


def _component_layout(sub: nx.Graph) -> dict:
    """Lay one connected component out in a box of side about sqrt(n)."""
    nodes = sorted(sub, key=str)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (0.0, 0.0), nodes[1]: (2.4, 0.0)}
    local = nx.kamada_kawai_layout(sub.subgraph(nodes))
    xs = [p[0] for p in local.values()]
    ys = [p[1] for p in local.values()]
    side = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 2.2 * math.sqrt(len(nodes)) / side
    return {n: ((x - min(xs)) * scale, (y - min(ys)) * scale) for n, (x, y) in local.items()}


def _layout(ties: nx.Graph, seed: int = 0) -> dict:
    """Place the nodes: each component on its own, components packed in rows, biggest first."""
    n = ties.number_of_nodes()
    if n == 0:
        return {}
    if n > 150:
        return nx.spring_layout(ties, seed=seed, k=2.0 / math.sqrt(n))
    components = sorted(nx.connected_components(ties), key=lambda c: (-len(c), min(map(str, c))))
    boxes = []
    for component in components:
        local = _component_layout(ties.subgraph(component))
        width = max(p[0] for p in local.values())
        height = max(p[1] for p in local.values())
        boxes.append((local, width, height))
    gap = 2.4
    total = sum((w + gap) * (h + gap) for _, w, h in boxes)
    row_width = max(max(w for _, w, _ in boxes), 1.6 * math.sqrt(total))
    positions: dict = {}
    x = y = row_height = 0.0
    for local, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        for node, (px, py) in local.items():
            positions[node] = (x + px, y - (height - py))
        x += width + gap
        row_height = max(row_height, height)
    return positions


def _limit(net: nx.Graph, nodes: Sequence[Hashable] | None, max_nodes: int) -> tuple[list, str]:
    """Choose the nodes to draw: those given, else the most connected, at most `max_nodes`."""
    if nodes is None:
        degree = dict(simple_graph(net).degree())
        nodes = sorted(net, key=lambda n: (-degree.get(n, 0), node_label(net, n), str(n)))
    chosen = list(nodes)[:max_nodes]
    note = ""
    if len(chosen) < net.number_of_nodes():
        note = (
            f"showing {len(chosen)} of {net.number_of_nodes():,} entities "
            "(the most central or connected)"
        )
    return chosen, note


def _legend_handles(drawn: dict, *, types: bool = True) -> tuple[list, list, list, list]:
    """Legend entries for what :func:`_draw` drew: types, kinds, statuses and signs."""
    from matplotlib.lines import Line2D

    colours, names = drawn["type_colours"], drawn["type_names"]
    type_handles = []
    if types:
        type_handles = [
            _dot(colour, names.get(kind, kind))
            for kind, colour in colours.items()
            if colour != _OTHER
        ]
        if any(colour == _OTHER for colour in colours.values()):
            type_handles.append(
                _dot(_OTHER, "other types")
            )
    kinds = drawn["kinds"]
    kind_handles = []
    if len({_KIND_MARKERS.get(k, ("o", k))[0] for k in kinds}) > 1:
        kind_handles = [
            Line2D(
                [],
                [],
                marker=_KIND_MARKERS.get(k, ("o", k))[0],
                linestyle="",
                markersize=9,
                markerfacecolor="white",
                markeredgecolor="#333333",
                label=_KIND_MARKERS.get(k, ("o", k))[1],
            )
            for k in sorted(kinds)
        ]
    styles = [
        Line2D([], [], color="#333333", linestyle=_DASHES[style], linewidth=1.8, label=name)
        for style, name in LINE_STYLES.items()
        if style in drawn["styles"]
    ]
    signs = []
    if drawn["signed"]:
        signs = [
            Line2D([], [], color=colour, linewidth=2.5, label=_SIGN_NAMES[sign])
            for sign, colour in _SIGN_COLOURS.items()
        ]
    return type_handles, kind_handles, styles, signs


def _add_legends(ax, types, kinds, styles, signs, *, title: str = "Type") -> None:
    """Put one legend right of the axes, in sections with bold headings."""
    from matplotlib.lines import Line2D

    handles: list = []
    headings: set[int] = set()
    sections = ((types, title), (kinds, "Kind"), (styles, "Statement status"), (signs, "Tie"))
    for section, name in sections:
        if not section:
            continue
        if handles:
            handles.append(Line2D([], [], linestyle="", label=" "))
        headings.add(len(handles))
        handles.append(Line2D([], [], linestyle="", label=name))
        handles.extend(section)
    if not handles:
        return
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
        handlelength=2.6,
    )
    for index, text in enumerate(legend.get_texts()):
        if index in headings:
            text.set_fontweight("bold")
            text.set_fontsize(9)


def _draw(
    ax,
    net: nx.Graph,
    nodes: Sequence[Hashable],
    *,
    sizes: dict | None = None,
    colours: dict | None = None,
    signed: bool | None = None,
    positions: dict | None = None,
    emphasis: set | None = None,
    edge_labels: dict | None = None,
) -> dict:
    """Draw `nodes` of `net` and the ties among them on `ax`; return what the legend needs."""
    from matplotlib.collections import LineCollection

    ties = simple_graph(net.subgraph(nodes))
    if signed is None:
        signed = any("sign" in s.attrs for *_, d in ties.edges(data=True) for s in d["statements"])
    pos = positions if positions is not None else _layout(ties)
    type_colours = _type_colours(net, nodes)
    used_styles = set()
    groups: dict = {}
    for u, v, data in ties.edges(data=True):
        statements = data["statements"]
        has_sign = any("sign" in s.attrs for s in statements)
        colour = _SIGN_COLOURS[data["sign"]] if signed and has_sign else _NO_SIGN
        line = status_style(data.get("status"))[1]
        style = _DASHES[line]
        used_styles.add(line)
        strong = emphasis is not None and frozenset((u, v)) in emphasis
        width = 2.8 if strong else 1.0 + 0.5 * min(data["weight"] - 1, 3)
        groups.setdefault((colour, str(style), width), (style, []))[1].append((pos[u], pos[v]))
    for (colour, _, width), (style, segments) in groups.items():
        ax.add_collection(
            LineCollection(
                segments, colors=colour, linestyles=[style], linewidths=width, alpha=0.85, zorder=1
            )
        )
    if edge_labels:
        for (u, v), text in edge_labels.items():
            (x1, y1), (x2, y2) = pos[u], pos[v]
            ax.text(
                (x1 + x2) / 2,
                (y1 + y2) / 2,
                _wrap(text, 28, 3),
                fontsize=7,
                ha="center",
                va="center",
                color="#222222",
                zorder=3,
                bbox={"boxstyle": "round,pad=0.2", "fc": "#fffbe6", "ec": "#d4c27a", "lw": 0.6},
            )
    kinds: dict[str, list] = {}
    for n in nodes:
        kinds.setdefault(str(net.nodes[n].get("kind") or "other"), []).append(n)
    for kind, members in sorted(kinds.items()):
        if colours is None:
            fill = [type_colours[str(net.nodes[n].get("type") or "unknown")] for n in members]
        else:
            fill = [colours[n] for n in members]
        ax.scatter(
            [pos[n][0] for n in members],
            [pos[n][1] for n in members],
            s=[sizes.get(n, 300) if sizes else 300 for n in members],
            c=fill,
            marker=_KIND_MARKERS.get(kind, ("o", kind))[0],
            edgecolors="#333333",
            linewidths=0.8,
            zorder=2,
        )
    for n in nodes:
        area = sizes.get(n, 300) if sizes else 300
        ax.annotate(
            _wrap(node_label(net, n)),
            pos[n],
            xytext=(0, -(math.sqrt(area) / 2 + 3)),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=8,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    ax.set_axis_off()
    if nodes:
        ax.update_datalim([pos[n] for n in nodes])
        ax.margins(0.1)
        ax.autoscale_view()
    return {
        "type_colours": type_colours,
        "type_names": _type_names(net, nodes),
        "kinds": set(kinds),
        "signed": signed,
        "styles": used_styles,
    }


def _size_for(count: int) -> tuple[float, float]:
    if count <= 12:
        return (11.0, 7.5)
    if count <= 30:
        return (14.0, 9.5)
    return (17.0, 11.5)


def _title(net: nx.Graph, what: str) -> str:
    view = net.graph.get("view")
    filters = net.graph.get("filters")
    parts = [what]
    if view:
        parts.append(f"{view} view")
    if filters and filters != "no filters":
        parts.append(filters)
    return " — ".join(parts)


def plot_network(
    net: nx.Graph,
    path: str | Path,
    *,
    title: str | None = None,
    nodes: Sequence[Hashable] | None = None,
    sizes: dict | None = None,
    max_nodes: int = 60,
) -> Path:
    """Draw a projection: nodes coloured by type, ties styled by status and sign.

    Parameters
    ----------
    net : networkx.Graph
        A projection or any graph with node ``label`` and ``type``.
    path : str or pathlib.Path
        A ``.png``, ``.svg`` or ``.pdf`` file (folders are created).
    title : str, optional
        The heading; by default the view and filters.
    nodes : sequence, optional
        The nodes to draw, most important first; default the most connected.
    sizes : dict, optional
        Marker area per node (points squared); default 300.
    max_nodes : int, default 60
        Draw at most this many nodes.

    Returns
    -------
    pathlib.Path
        `path`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> out = plot_network(g, pathlib.Path(tempfile.mkdtemp()) / "net.svg")
    >>> out.read_text().count("<svg") == 1
    True
    """
    plot_format(path)
    chosen, note = _limit(net, nodes, max_nodes)
    figure = _figure(*_size_for(len(chosen)))
    ax = figure.add_subplot()
    legend = _draw(ax, net, chosen, sizes=sizes)
    _add_legends(ax, *_legend_handles(legend))
    ax.set_title(title or _title(net, "Network"), fontsize=12, loc="left")
    if note:
        figure.text(0.01, 0.005, note, fontsize=8, color="#555555")
    return _save(figure, path)


def plot_centrality(
    net: nx.Graph,
    rows: Sequence,
    path: str | Path,
    *,
    measure: str | None = None,
    max_nodes: int = 40,
    bars: int = 15,
) -> Path:
    """Draw centrality: the network with node size by score, and the top scores as bars.

    Parameters
    ----------
    net : networkx.Graph
        The projection the rows were computed on.
    rows : sequence of CentralityRow
        From :func:`conflictkg.analysis.centrality.centrality`, most central first.
    path : str or pathlib.Path
        A ``.png``, ``.svg`` or ``.pdf`` file.
    measure : str, optional
        The measure sizing the nodes; default the first in the rows' scores, preferring
        betweenness.
    max_nodes : int, default 40
        Most central entities drawn in the network panel.
    bars : int, default 15
        Entities in the bar chart.

    Returns
    -------
    pathlib.Path
        `path`.
    """
    plot_format(path)
    if not rows:
        raise ValueError("no centrality rows to draw")
    scores = rows[0].scores
    if measure is None:
        measure = "betweenness" if "betweenness" in scores else next(iter(scores))
    chosen = [row.node for row in rows][:max_nodes]
    top = max((row.scores[measure] for row in rows), default=0.0) or 1.0
    sizes = {row.node: 120 + 1500 * row.scores[measure] / top for row in rows}
    figure = _figure(18.0 if len(chosen) > 20 else 15.0, 9.5 if len(chosen) > 20 else 8.0)
    grid = figure.add_gridspec(1, 2, width_ratios=(2.3, 1))
    ax = figure.add_subplot(grid[0, 0])
    legend = _draw(ax, net, chosen, sizes=sizes)
    _add_legends(ax, *_legend_handles(legend))
    ax.set_title(_title(net, f"Centrality: node size is {measure}"), fontsize=12, loc="left")
    shown = list(rows)[:bars]
    bar_ax = figure.add_subplot(grid[0, 1])
    colours = legend["type_colours"]
    y = list(range(len(shown)))[::-1]
    bar_ax.barh(
        y,
        [row.scores[measure] for row in shown],
        color=[colours.get(str(row.type) or "unknown", _OTHER) for row in shown],
        edgecolor="#333333",
        linewidth=0.6,
    )
    for position, row in zip(y, shown, strict=True):
        bar_ax.text(
            row.scores[measure],
            position,
            f" {row.scores[measure]:.3f}",
            va="center",
            ha="left",
            fontsize=7,
            color="#333333",
        )
    bar_ax.margins(x=0.15)
    bar_ax.set_yticks(y, [_wrap(f"{row.rank}. {row.label}", 34, 2) for row in shown], fontsize=8)
    bar_ax.set_xlabel(measure, fontsize=9)
    bar_ax.set_title(f"Top {len(shown)} by {measure}", fontsize=11, loc="left")
    bar_ax.tick_params(axis="x", labelsize=8)
    for spine in ("top", "right"):
        bar_ax.spines[spine].set_visible(False)
    if len(rows) > len(chosen) or net.number_of_nodes() > len(chosen):
        figure.text(
            0.01,
            0.005,
            f"network panel: the {len(chosen)} most central of {net.number_of_nodes():,} entities",
            fontsize=8,
            color="#555555",
        )
    return _save(figure, path)


def plot_paths(net: nx.Graph, paths: Sequence, path: str | Path) -> Path:
    """Draw explained paths from left (source) to right (target), each hop labelled.

    Parameters
    ----------
    net : networkx.Graph
        The projection the paths were found in.
    paths : sequence of ExplainedPath
        From :func:`conflictkg.analysis.paths.explained_paths`.
    path : str or pathlib.Path
        A ``.png``, ``.svg`` or ``.pdf`` file.

    Returns
    -------
    pathlib.Path
        `path`.
    """
    plot_format(path)
    if not paths:
        raise ValueError("no path to draw")
    nodes: list = []
    depth: dict = {}
    for found in paths:
        for step, node in enumerate(found.nodes):
            if node not in depth:
                nodes.append(node)
                depth[node] = step
    columns: dict[int, list] = {}
    for node in nodes:
        columns.setdefault(depth[node], []).append(node)
    positions = {}
    for column, members in columns.items():
        for row, node in enumerate(members):
            positions[node] = (column * 3.0, -(row - (len(members) - 1) / 2) * 1.6)
    edge_labels = {}
    emphasis = set()
    for found in paths:
        for hop in found.hops:
            best = hop.statements[0]
            text = str(best.attrs.get("predicate_label") or "linked to")
            if best.attrs.get("roles"):
                text += f" ({best.attrs['roles']})"
            status = best.attrs.get("status_label") or best.attrs.get("status")
            arrow = "→" if best.subject == hop.start else "←"
            edge_labels[(hop.start, hop.end)] = f"{arrow} {text}" + (
                f"\n[{status}]" if status else ""
            )
            emphasis.add(frozenset((hop.start, hop.end)))
    longest = max(len(columns), 2)
    height = max(len(members) for members in columns.values())
    figure = _figure(min(4.2 * longest + 3, 24), min(2.2 * height + 3.5, 14))
    ax = figure.add_subplot()
    sub = net.subgraph(nodes)
    legend = _draw(
        ax,
        _restrict(sub, emphasis),
        nodes,
        sizes={n: 700 if depth[n] in (0, len(columns) - 1) else 380 for n in nodes},
        positions=positions,
        emphasis=emphasis,
        edge_labels=edge_labels,
    )
    _add_legends(ax, *_legend_handles(legend))
    first, last = paths[0].labels[0], paths[0].labels[-1]
    count = len(paths)
    what = f"{count} path{'s' * (count > 1)} from {first} to {last}"
    ax.set_title(_title(net, what), fontsize=12, loc="left")
    figure.text(
        0.01,
        0.005,
        "← / → : the direction of the statement behind each hop "
        "(paths are searched without direction)",
        fontsize=8,
        color="#555555",
    )
    return _save(figure, path)


def _restrict(net: nx.Graph, pairs: set) -> nx.Graph:
    """Keep only the statements between the given pairs of nodes."""
    kept = net.copy()
    if kept.is_multigraph():
        drop = [(u, v, k) for u, v, k in kept.edges(keys=True) if frozenset((u, v)) not in pairs]
    else:
        drop = [(u, v) for u, v in kept.edges() if frozenset((u, v)) not in pairs]
    kept.remove_edges_from(drop)
    return kept


def plot_communities(net: nx.Graph, partition, path: str | Path, *, max_nodes: int = 80) -> Path:
    """Draw communities: node colour is the community, ties styled by status and sign.

    Parameters
    ----------
    net : networkx.Graph
        The projection that was partitioned.
    partition : Partition
        From :func:`conflictkg.analysis.communities.communities`.
    path : str or pathlib.Path
        A ``.png``, ``.svg`` or ``.pdf`` file.
    max_nodes : int, default 80
        Draw at most this many nodes (largest communities first).

    Returns
    -------
    pathlib.Path
        `path`.
    """
    plot_format(path)
    ordered = [n for community in partition.communities for n in community.members]
    chosen = ordered[:max_nodes]
    colour_of = {}
    handles = []
    for community in partition.communities:
        colour = (
            _PALETTE[(community.index - 1) % len(_PALETTE)]
            if community.index <= len(_PALETTE)
            else _OTHER
        )
        for node in community.members:
            colour_of[node] = colour
        if community.index <= 12 and any(n in chosen for n in community.members):
            names = ", ".join(community.labels[:3]) + ("…" if community.size > 3 else "")
            handles.append(
                _dot(colour, _wrap(f"{community.index} ({community.size}): {names}", 40, 2))
            )
    figure = _figure(*_size_for(len(chosen)))
    ax = figure.add_subplot()
    legend = _draw(ax, net, chosen, colours=colour_of)
    _, kinds, styles, signs = _legend_handles(legend, types=False)
    _add_legends(ax, handles, kinds, styles, signs, title="Community (size): members")
    what = "Camps (positive ties only)" if partition.ties == "positive" else "Communities"
    ax.set_title(
        _title(net, f"{what}, {partition.method}, modularity {partition.modularity:.3f}"),
        fontsize=12,
        loc="left",
    )
    if len(chosen) < net.number_of_nodes():
        figure.text(
            0.01,
            0.005,
            f"showing {len(chosen)} of {net.number_of_nodes():,} "
            "entities (largest communities first)",
            fontsize=8,
            color="#555555",
        )
    return _save(figure, path)


def _rings(ties: nx.Graph, shells: dict[int, list]) -> dict:
    """Place each distance on its own circle, every node near its neighbours further in."""
    positions: dict = {}
    angles: dict = {}
    for distance in sorted(shells):
        members = shells[distance]
        if distance == 0 and len(members) == 1:
            positions[members[0]] = (0.0, 0.0)
            angles[members[0]] = 0.0
            continue

        def inner_angle(node, distance=distance) -> float:
            inner = [
                angles[n]
                for n in ties[node]
                if n in angles
                and n in positions
                and ties.nodes[n].get("distance", distance - 1) < distance
            ]
            if not inner:
                return 0.0
            x = sum(math.cos(a) for a in inner)
            y = sum(math.sin(a) for a in inner)
            return math.atan2(y, x) % (2 * math.pi)

        ordered = sorted(members, key=lambda n: (inner_angle(n), node_label(ties, n), str(n)))
        if distance == 1:
            wanted = [math.pi / 2 + 2 * math.pi * i / len(ordered) for i in range(len(ordered))]
            placed = wanted
        else:
            # Keep each node near the angle of its neighbours further in, at least `gap`
            # apart, then turn the ring so that the nodes sit on average where they want.
            gap = min(2 * math.pi / len(ordered), 1.1 / distance)
            wanted = [inner_angle(n) for n in ordered]
            placed = []
            for angle in wanted:
                placed.append(max(angle, placed[-1] + gap) if placed else angle)
            shift = (sum(wanted) - sum(placed)) / len(placed)
            placed = [a + shift for a in placed]
        for node, angle in zip(ordered, placed, strict=True):
            angles[node] = angle % (2 * math.pi)
            positions[node] = (distance * math.cos(angle), distance * math.sin(angle))
    return positions


def plot_ego(ego: nx.Graph, path: str | Path, *, max_nodes: int = 60) -> Path:
    """Draw an ego network in rings: the ego in the middle, then each distance outwards.

    Parameters
    ----------
    ego : networkx.Graph
        From :func:`conflictkg.analysis.ego.ego_network`.
    path : str or pathlib.Path
        A ``.png``, ``.svg`` or ``.pdf`` file.
    max_nodes : int, default 60
        Draw at most this many nodes (nearest first).

    Returns
    -------
    pathlib.Path
        `path`.
    """
    plot_format(path)
    order = sorted(ego, key=lambda n: (ego.nodes[n].get("distance", 0), node_label(ego, n), str(n)))
    chosen = order[:max_nodes]
    shells: dict[int, list] = {}
    for node in chosen:
        shells.setdefault(ego.nodes[node].get("distance", 0), []).append(node)
    positions = _rings(simple_graph(ego.subgraph(chosen)), shells)
    center = ego.graph.get("center")
    sizes = {n: 900 if n == center else 320 for n in chosen}
    figure = _figure(*_size_for(len(chosen)))
    ax = figure.add_subplot()
    legend = _draw(ax, ego, chosen, sizes=sizes, positions=positions)
    ax.set_aspect("equal", adjustable="datalim")
    _add_legends(ax, *_legend_handles(legend))
    radius = ego.graph.get("radius")
    who = node_label(ego, center) if center in ego else "?"
    ax.set_title(_title(ego, f"Ego network of {who}, radius {radius}"), fontsize=12, loc="left")
    if len(chosen) < ego.number_of_nodes():
        figure.text(
            0.01,
            0.005,
            f"showing the {len(chosen)} nearest of {ego.number_of_nodes():,} entities",
            fontsize=8,
            color="#555555",
        )
    return _save(figure, path)


def plot_balance(net: nx.Graph, report, path: str | Path, *, max_nodes: int = 60) -> Path:
    """Draw the signed network; ties of unbalanced triangles are drawn thick.

    Parameters
    ----------
    net : networkx.Graph
        The actor network.
    report : BalanceReport
        From :func:`conflictkg.analysis.balance.structural_balance`.
    path : str or pathlib.Path
        A ``.png``, ``.svg`` or ``.pdf`` file.
    max_nodes : int, default 60
        Draw at most this many actors (those in triangles first).

    Returns
    -------
    pathlib.Path
        `path`.
    """
    from conflictkg.analysis.balance import signed_network

    plot_format(path)
    signed = signed_network(net)
    in_triads = []
    for triad in report.triads:
        for node in triad.nodes:
            if node not in in_triads:
                in_triads.append(node)
    degree = dict(signed.degree())
    rest = sorted(
        (n for n in signed if n not in in_triads and degree[n]),
        key=lambda n: (-degree[n], node_label(signed, n)),
    )
    chosen = (in_triads + rest)[:max_nodes]
    emphasis = {
        frozenset(pair)
        for triad in report.triads
        if not triad.balanced
        for pair in (
            (triad.nodes[0], triad.nodes[1]),
            (triad.nodes[0], triad.nodes[2]),
            (triad.nodes[1], triad.nodes[2]),
        )
    }
    keep = {frozenset((u, v)) for u, v in signed.edges()}
    figure = _figure(*_size_for(len(chosen)))
    ax = figure.add_subplot()
    legend = _draw(ax, _restrict(net, keep), chosen, signed=True, emphasis=emphasis)
    _add_legends(ax, *_legend_handles(legend))
    ratio = "no triangle" if report.ratio is None else f"balance ratio {report.ratio:.2f}"
    ax.set_title(
        _title(
            net,
            f"Signed network: {report.balanced} balanced, "
            f"{report.unbalanced} unbalanced triangles, {ratio}",
        ),
        fontsize=12,
        loc="left",
    )
    figure.text(
        0.01,
        0.005,
        "thick lines: ties of unbalanced triangles; neutral ties (severed) are left out",
        fontsize=8,
        color="#555555",
    )
    return _save(figure, path)


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def plot_timeline(
    entries: Sequence, path: str | Path, *, title: str = "Timeline", max_rows: int = 60
) -> Path:
    """Draw events on a time axis: a bar for a period, a diamond for a day, open ends dashed.

    Parameters
    ----------
    entries : sequence of TimelineEntry
        From :func:`conflictkg.analysis.timeline.timeline`, in order.
    path : str or pathlib.Path
        A ``.png``, ``.svg`` or ``.pdf`` file.
    title : str, default "Timeline"
        The heading.
    max_rows : int, default 60
        Draw at most this many events (the first ones).

    Returns
    -------
    pathlib.Path
        `path`.

    Raises
    ------
    ValueError
        If no event has a date.
    """
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    plot_format(path)
    dated = [e for e in entries if _day(e.start) or _day(e.end) or _day(e.ongoing)][:max_rows]
    if not dated:
        raise ValueError("no dated event to draw")
    days = [d for e in dated for d in (_day(e.start), _day(e.end), _day(e.ongoing)) if d]
    low, high = min(days), max(days)
    pad = timedelta(days=max((high - low).days * 0.05, 2))
    left, right = low - pad, high + pad
    counts = Counter(e.type for e in dated)
    types = sorted(counts, key=lambda t: (-counts[t], t))
    taken = {_TYPE_COLOURS[t] for t in types if t in _TYPE_COLOURS}
    free = iter(c for c in _PALETTE if c not in taken)
    colours = {t: _TYPE_COLOURS.get(t) or next(free, _OTHER) for t in types}
    names = {e.type: e.type_label or e.type for e in dated}
    figure = _figure(15.0, max(4.0, 0.32 * len(dated) + 2.0))
    ax = figure.add_subplot()
    dash = (0, (4, 3))
    for row, entry in enumerate(dated):
        y = -row
        start, end, ongoing = _day(entry.start), _day(entry.end), _day(entry.ongoing)
        colour = colours[entry.type]
        cap = {"marker": "|", "markersize": 12, "color": colour, "markeredgewidth": 2.5}
        if start and end and start == end:
            _mark(ax, start, y, "D", 7, colour)
        elif start and end:
            ax.plot(
                [start, end], [y, y], linewidth=6, color=colour, solid_capstyle="butt", zorder=2
            )
            ax.plot([start, end], [y, y], linestyle="", **cap)
        elif end:  # only known to have happened by this date
            ax.plot([left, end], [y, y], linewidth=1.5, linestyle=dash, color=colour)
            ax.plot([end], [y], **cap)
        elif start:  # only known to have happened on or after this date
            ax.plot([start, right], [y, y], linewidth=1.5, linestyle=dash, color=colour)
            ax.plot([start], [y], **cap)
        else:  # only known to be going on at this date
            ax.plot([left, right], [y, y], linewidth=1.5, linestyle=dash, color=colour)
            _mark(ax, ongoing, y, "o", 8, colour)
    ax.set_yticks(
        [-r for r in range(len(dated))],
        [textwrap.shorten(f"{e.label}  ({e.when})", 95, placeholder="…") for e in dated],
        fontsize=8,
    )
    ax.set_xlim(left, right)
    ax.set_ylim(-len(dated) + 0.4, 0.6)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    type_handles = [
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            markersize=9,
            markerfacecolor=c,
            markeredgecolor="#333333",
            label=names[t],
        )
        for t, c in colours.items()
    ]
    grey = "#555555"
    shape_handles = [
        Line2D([], [], marker="D", linestyle="", color=grey, label="a known day"),
        Line2D([], [], linewidth=6, color=grey, label="a period, or between two dates"),
        Line2D(
            [],
            [],
            linestyle=dash,
            marker="|",
            color=grey,
            markeredgewidth=2,
            label="open end: by, or on or after",
        ),
        Line2D([], [], linestyle=dash, marker="o", color=grey, label="going on at a date"),
    ]
    _add_legends(ax, type_handles, [], [], [], title="Event type")
    ax.add_artist(ax.get_legend())
    ax.legend(
        handles=shape_handles,
        title="Date known as",
        loc="lower left",
        bbox_to_anchor=(1.01, 0.0),
        fontsize=8,
        title_fontsize=9,
        frameon=False,
        alignment="left",
    )
    ax.set_title(title, fontsize=12, loc="left")
    if len(dated) < len(entries):
        figure.text(
            0.01,
            0.005,
            f"showing {len(dated)} of {len(entries):,} events "
            "(undated or beyond the first rows left out)",
            fontsize=8,
            color=grey,
        )
    return _save(figure, path)
