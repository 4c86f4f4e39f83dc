"""Ties: the statements between two entities, collapsed into one undirected edge.

The projections (:mod:`conflictkg.projection`) keep one directed edge per statement. Most
analyses ask about *ties*: whether two entities are linked at all, whatever the direction or
the number of statements. :func:`simple_graph` collapses a projection into an undirected
:class:`networkx.Graph` whose edges keep every statement behind them (``statements``, best
first), the collapsed ``sign`` and the best ``status``.

Statements are ordered by how firmly the source asserts them
(:data:`~conflictkg.projection.statuses.STATUS_ORDER`: reported before official, claimed,
unconfirmed and the author's own analysis, unsourced last), then stated before derived,
then by record label, so that the first statement of a tie is the one to show when there
is room for only one.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_node("a", label="A")
>>> net.add_node("b", label="B")
>>> _ = net.add_edge("a", "b", key="r1", sign=1, status="ClaimedByParty")
>>> _ = net.add_edge("b", "a", key="r2", sign=-1, status="Reported")
>>> tie = simple_graph(net).edges["a", "b"]
>>> tie["sign"], tie["status"], [s.key for s in tie["statements"]]
(-1, 'Reported', ['r2', 'r1'])
>>> when({"earliest": "2020-01-01", "latest": "2024-09-17"})
'between 2020-01-01 and 2024-09-17'
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from conflictkg.projection.statuses import STATUS_ORDER

__all__ = [
    "Statement",
    "collapse_sign",
    "node_label",
    "simple_graph",
    "statement_rank",
    "statements_of",
    "when",
]

@dataclass(frozen=True)
class Statement:
    """One statement of a projection: a directed edge and its attributes.

    Parameters
    ----------
    subject, object : hashable
        The edge's ends in the statement's own direction.
    key : hashable
        The edge key (the record IRI for relations), ``None`` in simple graphs.
    attrs : dict
        The edge attributes (predicate, source, status, dates...).
    """

    subject: Hashable
    object: Hashable
    key: Hashable
    attrs: dict = field(compare=False, hash=False)


def statement_rank(attrs: dict) -> tuple:
    """Sort key of a statement: firmest status first, stated before derived, then label.

    Parameters
    ----------
    attrs : dict
        Edge attributes.

    Returns
    -------
    tuple
        A key for :func:`sorted`.

    Examples
    --------
    >>> rows = [{"status": "Unconfirmed"}, {"status": "Reported", "derived": True},
    ...         {"status": "Reported"}, {}]
    >>> [(r.get("status"), r.get("derived", False)) for r in sorted(rows, key=statement_rank)]
    [('Reported', False), ('Reported', True), ('Unconfirmed', False), (None, False)]
    """
    status = attrs.get("status")
    position = STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)
    if status is None:
        position += 1
    return (
        position,
        bool(attrs.get("derived", False)),
        str(attrs.get("record_label") or attrs.get("predicate_label") or ""),
        str(attrs.get("record") or ""),
    )


def collapse_sign(signs: Iterable[int]) -> int:
    """Sign of a tie: -1 if any statement is hostile, else +1 if any is positive, else 0.

    Parameters
    ----------
    signs : iterable of int
        Signs of the statements between two actors.

    Returns
    -------
    int
        -1, 0 or 1.

    Examples
    --------
    >>> collapse_sign([1, -1, 0]), collapse_sign([0, 1]), collapse_sign([0]), collapse_sign([])
    (-1, 1, 0, 0)
    """
    found = set(signs)
    if -1 in found:
        return -1
    if 1 in found:
        return 1
    return 0


def _sort_key(item) -> tuple[str, ...]:
    return tuple(str(part) for part in item)


def statements_of(net: nx.Graph) -> list[Statement]:
    """List every statement (edge) of a projection in a stable order.

    Parameters
    ----------
    net : networkx.Graph
        A projection, multigraph or not, directed or not.

    Returns
    -------
    list of Statement
        Sorted by subject, object and key (as strings).

    Examples
    --------
    >>> g = nx.MultiDiGraph([("b", "a"), ("a", "b")])
    >>> [(s.subject, s.object) for s in statements_of(g)]
    [('a', 'b'), ('b', 'a')]
    """
    if net.is_multigraph():
        edges = ((u, v, k, d) for u, v, k, d in net.edges(keys=True, data=True))
    else:
        edges = ((u, v, None, d) for u, v, d in net.edges(data=True))
    found = [Statement(u, v, k, d) for u, v, k, d in edges]
    found.sort(key=lambda s: _sort_key((s.subject, s.object, s.key)))
    return found


def simple_graph(net: nx.Graph) -> nx.Graph:
    """Collapse a projection into an undirected simple graph of ties.

    Parameters
    ----------
    net : networkx.Graph
        A projection (usually a :class:`networkx.MultiDiGraph`).

    Returns
    -------
    networkx.Graph
        The same nodes with their attributes (inserted in sorted order, so that results
        that depend on order are reproducible); one edge per linked pair with
        ``statements`` (list of :class:`Statement`, best first, in their own direction),
        ``sign`` (see :func:`collapse_sign`), ``status`` (of the best statement) and
        ``weight`` (the number of statements). Self-loops are dropped.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge(1, 2, sign=1)
    >>> _ = g.add_edge(2, 1, sign=1)
    >>> _ = g.add_edge(2, 2, sign=1)
    >>> s = simple_graph(g)
    >>> sorted(s.edges(data="weight")), s.number_of_nodes()
    ([(1, 2, 2)], 2)
    """
    simple = nx.Graph()
    simple.graph.update(net.graph)
    for node in sorted(net.nodes, key=str):
        simple.add_node(node, **net.nodes[node])
    grouped: dict[tuple, list[Statement]] = {}
    for statement in statements_of(net):
        u, v = statement.subject, statement.object
        if u == v:
            continue
        pair = (u, v) if str(u) <= str(v) else (v, u)
        grouped.setdefault(pair, []).append(statement)
    for (u, v), found in grouped.items():
        found.sort(key=lambda s: statement_rank(s.attrs))
        simple.add_edge(
            u,
            v,
            statements=found,
            sign=collapse_sign(s.attrs.get("sign", 0) for s in found),
            status=found[0].attrs.get("status"),
            weight=len(found),
        )
    return simple


def node_label(net: nx.Graph, node: Hashable) -> str:
    """Return a node's ``label`` attribute, or the node itself as text.

    Parameters
    ----------
    net : networkx.Graph
        Any graph.
    node : hashable
        One of its nodes.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("x", label="Ex")
    >>> g.add_node("y")
    >>> node_label(g, "x"), node_label(g, "y")
    ('Ex', 'y')
    """
    return str(net.nodes[node].get("label") or node)


def when(attrs: dict) -> str:
    """Say in words when a statement or event holds, from its date attributes.

    Parameters
    ----------
    attrs : dict
        Attributes with any of ``date``, ``earliest``, ``latest``, ``start``, ``end``,
        ``ongoing_on``.

    Returns
    -------
    str
        ``"2024-09-17"``, ``"between 2020-01-01 and 2024-09-17"``, ``"by 2024-09-17"``,
        ``"2017 to 2020"``, ``"ongoing on 2024-09-17"``..., or ``""`` when undated.

    Examples
    --------
    >>> when({"date": "2017", "earliest": "2017-01-01", "latest": "2017-12-31"})
    '2017'
    >>> when({"latest": "2024-09-17"}), when({"earliest": "2024-09-17"})
    ('by 2024-09-17', 'on or after 2024-09-17')
    >>> when({"start": "2017"}), when({"start": "2017", "end": "2020"}), when({})
    ('since 2017', '2017 to 2020', '')
    """
    parts = []
    date, earliest, latest = attrs.get("date"), attrs.get("earliest"), attrs.get("latest")
    if date:
        parts.append(str(date))
    elif earliest and latest:
        parts.append(str(earliest) if earliest == latest else f"between {earliest} and {latest}")
    elif latest:
        parts.append(f"by {latest}")
    elif earliest:
        parts.append(f"on or after {earliest}")
    start, end = attrs.get("start"), attrs.get("end")
    if start and end:
        parts.append(f"{start} to {end}")
    elif start:
        parts.append(f"since {start}")
    elif end:
        parts.append(f"until {end}")
    if attrs.get("ongoing_on"):
        parts.append(f"ongoing on {attrs['ongoing_on']}")
    return "; ".join(parts)
