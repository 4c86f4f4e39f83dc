"""How two entities are connected: shortest paths whose hops explain themselves.

Paths are searched on the undirected ties of a projection (an attack links perpetrator and
target whichever way one walks), but each hop is told in the direction of the statement
behind it, with its predicate, source, status and dates::

    JNIM — hostility derived from Bamako attack of 17 September 2024 (perpetrator → targeted
    actor) → Malian Armed Forces [Reported; source: Report on the 17 September 2024 attack in
    Bamako; 2024-09-17]

When several statements link the same two entities, the hop shows the most firmly asserted
one (see :func:`~conflictkg.analysis.ties.statement_rank`) and says how many others there are;
:attr:`Hop.statements` keeps them all.

Three searches:

* one shortest path (breadth-first search [1]_, ties between equally short paths broken by
  the order of node IRIs, so the answer is reproducible);
* all shortest paths;
* the `k` shortest simple paths, shortest first (Yen's algorithm [2]_ as implemented by
  :func:`networkx.shortest_simple_paths`).

References
----------
.. [1] E. F. Moore, "The shortest path through a maze", *Proceedings of the International
   Symposium on the Theory of Switching*, Harvard University Press, 285-292, 1959.
.. [2] J. Y. Yen, "Finding the k shortest loopless paths in a network", *Management Science*
   17(11), 712-716, 1971.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> for node, label in (("a", "A"), ("b", "B"), ("c", "C")):
...     net.add_node(node, label=label)
>>> _ = net.add_edge("a", "b", predicate_label="partnership", status_label="Reported",
...                  source_label="Report 1", ongoing_on="2024-09-17")
>>> _ = net.add_edge("c", "b", predicate_label="hostility", status_label="Claimed by a party",
...                  source_label="Report 2")
>>> for hop in explained_paths(net, "a", "c")[0].hops:
...     print(hop.sentence())
A — partnership → B [Reported; source: Report 1; ongoing on 2024-09-17]
C — hostility → B [Claimed by a party; source: Report 2]
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from conflictkg.analysis.ties import Statement, node_label, simple_graph, when
from conflictkg.errors import NoPathError

__all__ = [
    "ExplainedPath",
    "Hop",
    "NoPathError",
    "describe_statement",
    "explained_paths",
]


def describe_statement(net: nx.Graph, statement: Statement) -> str:
    """Tell one statement as a sentence, in its own direction.

    Parameters
    ----------
    net : networkx.Graph
        The projection the statement comes from (for the node labels).
    statement : Statement
        The edge.

    Returns
    -------
    str
        ``subject — predicate (details) → object [status; source: ...; dates]``.

    Examples
    --------
    >>> net = nx.MultiDiGraph()
    >>> net.add_node("x", label="Oumar Diarra")
    >>> net.add_node("y", label="Malian Armed Forces")
    >>> attrs = {"predicate_label": "command", "role_label": "Chief of the General Staff",
    ...          "rank_label": "Major General"}
    >>> describe_statement(net, Statement("x", "y", None, attrs))
    'Oumar Diarra — command as Chief of the General Staff, Major General → Malian Armed \
Forces [no source recorded]'
    """
    attrs = statement.attrs
    phrase = str(attrs.get("predicate_label") or attrs.get("predicate") or "linked to")
    if attrs.get("roles"):
        phrase += f" ({attrs['roles']})"
    post = ", ".join(str(attrs[k]) for k in ("role_label", "rank_label") if attrs.get(k))
    if post:
        phrase += f" as {post}"
    status = attrs.get("status_label") or attrs.get("status")
    source = attrs.get("source_label") or attrs.get("source")
    voice = attrs.get("voice_label")
    details = []
    if status:
        details.append(f"{status}, according to {voice}" if voice else str(status))
    if source:
        details.append(f"source: {source}")
    if not details:
        details.append("no source recorded")
    dates = when(attrs)
    if dates:
        details.append(dates)
    subject = node_label(net, statement.subject)
    obj = node_label(net, statement.object)
    return f"{subject} — {phrase} → {obj} [{'; '.join(details)}]"


@dataclass(frozen=True)
class Hop:
    """One step of a path and the statements behind it.

    Parameters
    ----------
    start, end : hashable
        The step in the direction of travel.
    statements : tuple of Statement
        Every statement linking the two, best first, each in its own direction.
    sentences : tuple of str
        The statements told as sentences, in the same order.
    """

    start: Hashable
    end: Hashable
    statements: tuple
    sentences: tuple

    def sentence(self) -> str:
        """Tell the hop: its best statement, and how many others back it.

        Returns
        -------
        str
            The best statement's sentence, plus ``(and N other statements)`` if any.
        """
        more = len(self.sentences) - 1
        if more:
            return f"{self.sentences[0]} (and {more} other statement{'s' * (more > 1)})"
        return self.sentences[0]

    def as_dict(self) -> dict:
        """Return the hop as JSON-ready data, with every statement."""
        return {
            "from": str(self.start),
            "to": str(self.end),
            "sentence": self.sentence(),
            "statements": [
                {
                    "subject": str(s.subject),
                    "object": str(s.object),
                    "sentence": text,
                    **{k: v for k, v in s.attrs.items() if isinstance(v, str | int | float)},
                }
                for s, text in zip(self.statements, self.sentences, strict=True)
            ],
        }


@dataclass(frozen=True)
class ExplainedPath:
    """A path between two entities with its hops.

    Parameters
    ----------
    nodes : tuple
        The entities along the path, source first.
    labels : tuple of str
        Their labels.
    hops : tuple of Hop
        One per step.
    """

    nodes: tuple
    labels: tuple
    hops: tuple

    @property
    def length(self) -> int:
        """Number of hops (int)."""
        return len(self.hops)

    def text(self) -> str:
        """Tell the path: a headline, then one numbered sentence per hop.

        Returns
        -------
        str
            Several lines.
        """
        head = " → ".join(self.labels) + f" ({self.length} hop{'s' * (self.length != 1)})"
        lines = [head]
        lines += [f"  {i}. {hop.sentence()}" for i, hop in enumerate(self.hops, start=1)]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        """Return the path as JSON-ready data."""
        return {
            "length": self.length,
            "nodes": [str(n) for n in self.nodes],
            "labels": list(self.labels),
            "hops": [hop.as_dict() for hop in self.hops],
        }


def _explain(net: nx.Graph, ties: nx.Graph, nodes: list) -> ExplainedPath:
    hops = []
    for start, end in itertools.pairwise(nodes):
        statements = tuple(ties.edges[start, end]["statements"])
        sentences = tuple(describe_statement(net, s) for s in statements)
        hops.append(Hop(start, end, statements, sentences))
    return ExplainedPath(tuple(nodes), tuple(node_label(net, n) for n in nodes), tuple(hops))


def _no_path(net: nx.Graph, ties: nx.Graph, source, target) -> NoPathError:
    view = net.graph.get("view")
    where = f" in the {view} view" if view else ""
    filters = net.graph.get("filters")
    if filters and filters != "no filters":
        where += f" with {filters}"
    a = len(nx.node_connected_component(ties, source))
    b = len(nx.node_connected_component(ties, target))
    return NoPathError(
        f"no path between {node_label(net, source)} and {node_label(net, target)}{where}: "
        f"they are in different components ({node_label(net, source)}'s has {a} "
        f"entit{'ies' if a != 1 else 'y'}, {node_label(net, target)}'s has {b})"
    )


def explained_paths(
    net: nx.Graph,
    source: Hashable,
    target: Hashable,
    *,
    k: int | None = None,
    all_shortest: bool = False,
) -> list[ExplainedPath]:
    """Find paths between two entities and explain every hop.

    Parameters
    ----------
    net : networkx.Graph
        A projection; its direction is ignored for the search.
    source, target : hashable
        Two different nodes of `net` (IRIs; see :func:`conflictkg.analysis.resolve.resolve`).
    k : int, optional
        Return the `k` shortest simple paths, shortest first (longer ones included).
    all_shortest : bool, default False
        Return every shortest path instead of one.

    Returns
    -------
    list of ExplainedPath
        One path by default; all shortest, or up to `k`, when asked.

    Raises
    ------
    NoPathError
        If the two are not connected; the message gives the sizes of their components.
    ValueError
        If a node is not in `net`, both are the same, `k` is below 1, or both `k` and
        `all_shortest` are given.

    References
    ----------
    .. [1] E. F. Moore, "The shortest path through a maze", *Proceedings of the
       International Symposium on the Theory of Switching*, 285-292, 1959.
    .. [2] J. Y. Yen, "Finding the k shortest loopless paths in a network", *Management
       Science* 17(11), 712-716, 1971.

    Examples
    --------
    >>> square = nx.cycle_graph(["a", "b", "c", "d"])
    >>> [p.nodes for p in explained_paths(square, "a", "c", all_shortest=True)]
    [('a', 'b', 'c'), ('a', 'd', 'c')]
    >>> [p.length for p in explained_paths(square, "a", "b", k=2)]
    [1, 3]
    >>> explained_paths(nx.Graph([("a", "b"), ("c", "d")]), "a", "d")
    Traceback (most recent call last):
    ...
    conflictkg.errors.NoPathError: no path between a and d: they are in different \
components (a's has 2 entities, d's has 2)
    """
    for node in (source, target):
        if node not in net:
            raise ValueError(f"{node!r} is not a node of the graph")
    if source == target:
        raise ValueError(f"source and target are the same entity ({node_label(net, source)})")
    if k is not None and all_shortest:
        raise ValueError("give either k or all_shortest, not both")
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    ties = simple_graph(net)
    try:
        if k is not None:
            found = list(itertools.islice(nx.shortest_simple_paths(ties, source, target), k))
        elif all_shortest:
            found = sorted(
                nx.all_shortest_paths(ties, source, target), key=lambda p: [str(n) for n in p]
            )
        else:
            found = [nx.shortest_path(ties, source, target)]
    except nx.NetworkXNoPath:
        raise _no_path(net, ties, source, target) from None
    return [_explain(net, ties, nodes) for nodes in found]
