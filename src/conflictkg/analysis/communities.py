"""Which groups exist: communities of densely tied entities, or camps of allies.

Communities are found on the undirected ties of a projection by modularity maximisation:
Louvain [1]_ (seeded, so the answer is reproducible) or the greedy agglomeration of
Clauset, Newman and Moore [2]_. Modularity [3]_ measures how much more densely the
communities are tied inside than a random graph with the same degrees would be.

In an actor network, hostility is a tie too: JNIM and the army it attacks are closely tied.
To find *camps* instead, pass ``ties="positive"``: only alliances and other positive ties
(sign +1) count, and each community's table says how many hostile ties run inside it (a camp
with internal hostility is not a clean camp) and how many run to other camps.

References
----------
.. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
   communities in large networks", *Journal of Statistical Mechanics* P10008, 2008.
.. [2] A. Clauset, M. E. J. Newman and C. Moore, "Finding community structure in very large
   networks", *Physical Review E* 70, 066111, 2004.
.. [3] M. E. J. Newman, "Modularity and community structure in networks", *PNAS* 103(23),
   8577-8582, 2006.

Examples
--------
>>> import networkx as nx
>>> two = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
>>> part = communities(two)
>>> [c.members for c in part.communities], round(part.modularity, 3)
([(1, 2, 3), (4, 5, 6)], 0.357)
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from conflictkg.analysis.ties import node_label, simple_graph

__all__ = ["METHODS", "Community", "Partition", "communities"]

#: Community detection methods.
METHODS: tuple[str, ...] = ("louvain", "greedy")


@dataclass(frozen=True)
class Community:
    """One community and how it is tied.

    Parameters
    ----------
    index : int
        1 for the largest community, then by size.
    members : tuple
        Its nodes, ordered by label.
    labels : tuple of str
        Their labels.
    internal_ties : int
        Ties between two members (of any sign).
    hostile_ties : int
        Of those, ties with sign -1.
    external_ties : int
        Ties from a member to a node of another community.
    external_hostile_ties : int
        Of those, ties with sign -1.
    """

    index: int
    members: tuple
    labels: tuple
    internal_ties: int
    hostile_ties: int
    external_ties: int
    external_hostile_ties: int

    @property
    def size(self) -> int:
        """Number of members (int)."""
        return len(self.members)

    def as_dict(self) -> dict:
        """Return the community as JSON-ready data."""
        return {
            "community": self.index,
            "size": self.size,
            "members": [str(m) for m in self.members],
            "labels": list(self.labels),
            "internal_ties": self.internal_ties,
            "hostile_ties": self.hostile_ties,
            "external_ties": self.external_ties,
            "external_hostile_ties": self.external_hostile_ties,
        }


@dataclass(frozen=True)
class Partition:
    """A division of the entities into communities.

    Parameters
    ----------
    communities : tuple of Community
        Largest first.
    modularity : float
        Modularity of the division on the ties it was computed from.
    method : str
        ``louvain`` or ``greedy``.
    ties : str
        ``all`` or ``positive``.
    """

    communities: tuple
    modularity: float
    method: str
    ties: str

    def community_of(self, node: Hashable) -> int:
        """Return the index of the community holding `node`.

        Parameters
        ----------
        node : hashable
            A node of the partitioned graph.

        Returns
        -------
        int
            The community index.
        """
        for community in self.communities:
            if node in community.members:
                return community.index
        raise KeyError(node)


def communities(
    net: nx.Graph,
    *,
    method: str = "louvain",
    ties: str = "all",
    resolution: float = 1.0,
    seed: int = 0,
) -> Partition:
    """Divide the entities of a projection into communities.

    Parameters
    ----------
    net : networkx.Graph
        A projection or any graph; edges may carry ``sign``.
    method : {"louvain", "greedy"}, default "louvain"
        Louvain (seeded) or Clauset-Newman-Moore greedy modularity.
    ties : {"all", "positive"}, default "all"
        Use every tie, or only ties whose collapsed sign is +1 (camps of allies); with
        ``positive``, entities with no positive tie form communities of their own.
    resolution : float, default 1.0
        Above 1 favours smaller communities, below 1 larger ones.
    seed : int, default 0
        Seed for Louvain.

    Returns
    -------
    Partition
        The communities, largest first (then by their first label).

    Raises
    ------
    ValueError
        For an unknown method or ties value.

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
       communities in large networks", *Journal of Statistical Mechanics* P10008, 2008.
    .. [2] A. Clauset, M. E. J. Newman and C. Moore, "Finding community structure in very
       large networks", *Physical Review E* 70, 066111, 2004.
    .. [3] M. E. J. Newman, "Modularity and community structure in networks", *PNAS*
       103(23), 8577-8582, 2006.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", sign=1)
    >>> _ = g.add_edge("b", "c", sign=-1)
    >>> _ = g.add_edge("c", "d", sign=1)
    >>> camps = communities(g, ties="positive")
    >>> [(c.members, c.hostile_ties, c.external_hostile_ties) for c in camps.communities]
    [(('a', 'b'), 0, 1), (('c', 'd'), 0, 1)]
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    if ties not in ("all", "positive"):
        raise ValueError(f"ties must be 'all' or 'positive', not {ties!r}")
    every = simple_graph(net)
    used = every
    if ties == "positive":
        used = nx.Graph()
        used.add_nodes_from(every.nodes(data=True))
        used.add_edges_from(
            (u, v, d) for u, v, d in every.edges(data=True) if d.get("sign", 0) == 1
        )
    if used.number_of_edges() == 0:
        found = [{n} for n in used]
    elif method == "louvain":
        found = nx.community.louvain_communities(used, resolution=resolution, seed=seed)
    else:
        found = nx.community.greedy_modularity_communities(used, resolution=resolution)
    modularity = (
        nx.community.modularity(used, found, resolution=resolution)
        if used.number_of_edges()
        else 0.0
    )

    def first_label(group) -> str:
        return min(node_label(every, n) for n in group)

    ordered = sorted(found, key=lambda c: (-len(c), first_label(c)))
    member_of = {n: i for i, group in enumerate(ordered, start=1) for n in group}
    result = []
    for index, group in enumerate(ordered, start=1):
        members = sorted(group, key=lambda n: (node_label(every, n), str(n)))
        inside = hostile = outside = outside_hostile = 0
        for u, v, sign in every.edges(members, data="sign", default=0):
            same = member_of[u] == member_of[v]
            if same:
                inside += 1
                hostile += sign == -1
            else:
                outside += 1
                outside_hostile += sign == -1
        result.append(
            Community(
                index=index,
                members=tuple(members),
                labels=tuple(node_label(every, n) for n in members),
                internal_ties=inside,
                hostile_ties=hostile,
                external_ties=outside,
                external_hostile_ties=outside_hostile,
            )
        )
    return Partition(tuple(result), modularity, method, ties)
