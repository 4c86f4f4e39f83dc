"""The ego network of one entity: everything within a few ties of it.

The ego network of radius *k* holds the entity (the *ego*), every entity at most *k* ties
away (its *alters*), and every statement among them [1]_ [2]_. Distances are counted on the
undirected ties of the projection; the statements keep their direction and attributes.

References
----------
.. [1] S. Wasserman and K. Faust, *Social Network Analysis: Methods and Applications*,
   Cambridge University Press, 1994, sec. 2.3 (ego-centred networks).
.. [2] N. Crossley, E. Bellotti, G. Edwards, M. G. Everett, J. Koskinen and M. Tranmer,
   *Social Network Analysis for Ego-Nets*, SAGE, 2015.

Examples
--------
>>> import networkx as nx
>>> chain = nx.path_graph(["a", "b", "c", "d"])
>>> ego = ego_network(chain, "b", radius=1)
>>> sorted(ego.nodes(data="distance"))
[('a', 1), ('b', 0), ('c', 1)]
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

from conflictkg.analysis.ties import node_label, simple_graph

__all__ = ["ego_members", "ego_network"]


def ego_network(net: nx.Graph, center: Hashable, *, radius: int = 1) -> nx.Graph:
    """Cut out the entities within `radius` ties of `center`, with the statements among them.

    Parameters
    ----------
    net : networkx.Graph
        A projection (or any graph).
    center : hashable
        The ego, a node of `net`.
    radius : int, default 1
        How many ties away to go (at least 1).

    Returns
    -------
    networkx.Graph
        A copy of the part of `net` (same graph class, same attributes) with node attribute
        ``distance`` (ties from the ego) and graph attributes ``center`` and ``radius``.

    Raises
    ------
    ValueError
        If `center` is not in `net` or `radius` is below 1.

    References
    ----------
    .. [1] S. Wasserman and K. Faust, *Social Network Analysis: Methods and Applications*,
       Cambridge University Press, 1994, sec. 2.3.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("c", "b"), ("c", "d")])
    >>> ego = ego_network(g, "a", radius=2)
    >>> sorted(ego.nodes(data="distance")), ego.number_of_edges()
    ([('a', 0), ('b', 1), ('c', 2)], 3)
    """
    if center not in net:
        raise ValueError(f"{center!r} is not a node of the graph")
    if radius < 1:
        raise ValueError(f"radius must be at least 1, not {radius}")
    distances = nx.single_source_shortest_path_length(simple_graph(net), center, cutoff=radius)
    ego = net.subgraph(distances).copy()
    for node, distance in distances.items():
        ego.nodes[node]["distance"] = distance
    ego.graph.update(center=center, radius=radius)
    return ego


def ego_members(ego: nx.Graph) -> list[dict]:
    """List the entities of an ego network, nearest first, with their ties.

    Parameters
    ----------
    ego : networkx.Graph
        A result of :func:`ego_network`.

    Returns
    -------
    list of dict
        ``iri``, ``label``, ``type``, ``kind``, ``distance`` and ``ties`` (the number of
        entities of the ego network it is tied to), ordered by distance then label.

    Examples
    --------
    >>> ego = ego_network(nx.star_graph(2), 1, radius=2)
    >>> [(m["iri"], m["distance"], m["ties"]) for m in ego_members(ego)]
    [('1', 0, 1), ('0', 1, 2), ('2', 2, 1)]
    """
    ties = simple_graph(ego)
    rows = [
        {
            "iri": str(node),
            "label": node_label(ego, node),
            "type": str(ego.nodes[node].get("type", "")),
            "kind": str(ego.nodes[node].get("kind", "")),
            "distance": ego.nodes[node]["distance"],
            "ties": ties.degree(node),
        }
        for node in ego
    ]
    rows.sort(key=lambda r: (r["distance"], r["label"], r["iri"]))
    return rows
