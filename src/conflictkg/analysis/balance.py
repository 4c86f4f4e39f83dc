"""Who is allied with the enemy of whom: the signed actor network and its structural balance.

Heider's balance theory [1]_, in the graph form of Cartwright and Harary [2]_, calls a
triangle of three actors *balanced* when the product of its signs is positive:

* ``+ + +`` three allies — balanced;
* ``+ - -`` two allies with a common enemy ("the enemy of my enemy is my friend") —
  balanced;
* ``+ + -`` one actor allied with two actors who are enemies — unbalanced;
* ``- - -`` three mutual enemies — unbalanced.

The signed network collapses the statements between two actors into one tie: **negative if
any statement is hostile** (a declared hostility, or one derived from an attack or battle),
else positive if any statement is an alliance or another positive tie (affiliation,
membership, subordination, governance, partnership, position), else 0. Ties of sign 0
(severed ties) are left out of the signed network, so they close no triangle. The *balance
ratio* is the share of triangles that are balanced [3]_.

References
----------
.. [1] F. Heider, "Attitudes and cognitive organization", *Journal of Psychology* 21,
   107-112, 1946.
.. [2] D. Cartwright and F. Harary, "Structural balance: a generalization of Heider's
   theory", *Psychological Review* 63(5), 277-293, 1956.
.. [3] J. Leskovec, D. Huttenlocher and J. Kleinberg, "Signed networks in social media",
   *Proceedings of CHI 2010*, 1361-1370, 2010.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> _ = net.add_edge("a", "b", sign=1)
>>> _ = net.add_edge("a", "c", sign=-1)
>>> _ = net.add_edge("b", "c", sign=-1)
>>> _ = net.add_edge("b", "c", sign=1)   # collapsed: any hostility makes the tie negative
>>> report = structural_balance(net)
>>> [(t.pattern, t.balanced) for t in report.triads], report.ratio
([('+ - -', True)], 1.0)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from conflictkg.analysis.ties import node_label, simple_graph

__all__ = ["PATTERNS", "BalanceReport", "Triad", "signed_network", "structural_balance"]

#: The four triangle patterns, whether each is balanced, and how to read it.
PATTERNS: dict[str, tuple[bool, str]] = {
    "+ + +": (True, "three allies"),
    "+ - -": (True, "two allies with a common enemy (the enemy of my enemy is my friend)"),
    "+ + -": (False, "one actor allied with two enemies of each other"),
    "- - -": (False, "three mutual enemies"),
}


@dataclass(frozen=True)
class Triad:
    """A triangle of the signed network.

    Parameters
    ----------
    nodes : tuple
        The three actors, ordered so that the reading names them sensibly: for ``+ - -`` the
        two allies first, for ``+ + -`` the actor allied with both first.
    labels : tuple of str
        Their labels.
    signs : tuple of int
        Signs of the ties (first, second), (first, third), (second, third).
    """

    nodes: tuple
    labels: tuple
    signs: tuple

    @property
    def pattern(self) -> str:
        """Signs sorted, positive first: ``"+ - -"`` and so on (str)."""
        return " ".join("+" if s > 0 else "-" for s in sorted(self.signs, reverse=True))

    @property
    def balanced(self) -> bool:
        """Whether the product of the signs is positive (bool)."""
        return self.signs[0] * self.signs[1] * self.signs[2] > 0

    def reading(self) -> str:
        """Tell the triangle in words.

        Returns
        -------
        str
            For example ``"Mali and Wagner Group are allies with a common enemy, Tuareg
            rebels"``.
        """
        a, b, c = self.labels
        if self.pattern == "+ + +":
            return f"{a}, {b} and {c} are all allies"
        if self.pattern == "+ - -":
            return f"{a} and {b} are allies with a common enemy, {c}"
        if self.pattern == "+ + -":
            return f"{a} is allied with both {b} and {c}, who are enemies"
        return f"{a}, {b} and {c} are enemies of one another"

    def as_dict(self) -> dict:
        """Return the triad as JSON-ready data."""
        return {
            "nodes": [str(n) for n in self.nodes],
            "labels": list(self.labels),
            "pattern": self.pattern,
            "balanced": self.balanced,
            "reading": self.reading(),
        }


@dataclass(frozen=True)
class BalanceReport:
    """Every triangle of a signed network, and how many are balanced.

    Parameters
    ----------
    triads : tuple of Triad
        Unbalanced first, then by pattern and labels.
    actors : int
        Nodes of the signed network.
    positive, negative : int
        Its positive and negative ties.
    """

    triads: tuple
    actors: int
    positive: int
    negative: int

    @property
    def balanced(self) -> int:
        """Number of balanced triangles (int)."""
        return sum(t.balanced for t in self.triads)

    @property
    def unbalanced(self) -> int:
        """Number of unbalanced triangles (int)."""
        return len(self.triads) - self.balanced

    @property
    def ratio(self) -> float | None:
        """Share of balanced triangles, ``None`` when there is no triangle."""
        return self.balanced / len(self.triads) if self.triads else None

    def counts(self) -> dict[str, int]:
        """Return the number of triangles per pattern, all four patterns listed."""
        found = Counter(t.pattern for t in self.triads)
        return {pattern: found.get(pattern, 0) for pattern in PATTERNS}


def signed_network(net: nx.Graph) -> nx.Graph:
    """Collapse an actor network into signed ties, leaving out ties of sign 0.

    A tie is negative if any statement between the two actors is hostile, else positive
    if any is positive (see :func:`conflictkg.analysis.ties.collapse_sign`).

    Parameters
    ----------
    net : networkx.Graph
        An actor network (:func:`conflictkg.projection.actor_network`): edges with ``sign``.

    Returns
    -------
    networkx.Graph
        Undirected; edges with ``sign`` (-1 or +1) and ``statements``; every actor of
        `net` is kept, even without a signed tie.

    References
    ----------
    .. [1] D. Cartwright and F. Harary, "Structural balance: a generalization of Heider's
       theory", *Psychological Review* 63(5), 277-293, 1956.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("mali", "france", sign=0)
    >>> _ = g.add_edge("mali", "russia", sign=1)
    >>> sorted(signed_network(g).edges(data="sign"))
    [('mali', 'russia', 1)]
    """
    ties = simple_graph(net)
    ties.remove_edges_from([(u, v) for u, v, s in ties.edges(data="sign", default=0) if s == 0])
    return ties


def _ordered(signed: nx.Graph, a, b, c) -> tuple:
    """Order a triangle so that its reading starts from the right actor."""
    sign = signed.edges
    nodes = sorted((a, b, c), key=lambda n: (node_label(signed, n), str(n)))
    product = sign[a, b]["sign"] * sign[a, c]["sign"] * sign[b, c]["sign"]
    positives = [(u, v) for u, v in ((a, b), (a, c), (b, c)) if sign[u, v]["sign"] > 0]
    if product > 0 and len(positives) == 1:  # + - -: the allies first, the enemy last
        u, v = sorted(positives[0], key=lambda n: (node_label(signed, n), str(n)))
        w = next(n for n in nodes if n not in (u, v))
        return (u, v, w)
    if product < 0 and len(positives) == 2:  # + + -: the actor with two allies first
        shared = next(n for n in nodes if all(n in pair for pair in positives))
        rest = [n for n in nodes if n != shared]
        return (shared, *rest)
    return tuple(nodes)


def structural_balance(net: nx.Graph) -> BalanceReport:
    """Classify every triangle of the signed actor network as balanced or not.

    Parameters
    ----------
    net : networkx.Graph
        An actor network with ``sign`` on its edges (or an already signed graph).

    Returns
    -------
    BalanceReport
        The triangles with their patterns and readings, counts and the balance ratio.

    Notes
    -----
    The theory and its references are in the module notes (Heider; Cartwright and Harary).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for u, v, s in (("a", "b", 1), ("b", "c", 1), ("a", "c", -1)):
    ...     _ = g.add_edge(u, v, sign=s)
    >>> report = structural_balance(g)
    >>> report.triads[0].reading(), report.balanced, report.unbalanced, report.ratio
    ('b is allied with both a and c, who are enemies', 0, 1, 0.0)
    """
    signed = signed_network(net)
    order = {node: i for i, node in enumerate(signed)}
    triads = []
    for u in signed:
        later = {w for w in signed[u] if order[w] > order[u]}
        for v in later:
            for w in later & set(signed[v]):
                if order[w] > order[v]:
                    nodes = _ordered(signed, u, v, w)
                    a, b, c = nodes
                    signs = (
                        signed.edges[a, b]["sign"],
                        signed.edges[a, c]["sign"],
                        signed.edges[b, c]["sign"],
                    )
                    labels = tuple(node_label(signed, n) for n in nodes)
                    triads.append(Triad(nodes, labels, signs))
    triads.sort(key=lambda t: (t.balanced, t.pattern, t.labels, tuple(map(str, t.nodes))))
    signs = [s for *_, s in signed.edges(data="sign")]
    return BalanceReport(
        tuple(triads),
        actors=signed.number_of_nodes(),
        positive=sum(s > 0 for s in signs),
        negative=sum(s < 0 for s in signs),
    )
