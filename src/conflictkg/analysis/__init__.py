"""Network analyses of actors and events, each answer explaining itself.

The analyses work on the projections of :mod:`conflictkg.projection` (NetworkX graphs whose
edges keep the statement, source, status and dates behind them):

:mod:`~conflictkg.analysis.centrality`
    degree, betweenness, PageRank and eigenvector centrality as a ranked table;
:mod:`~conflictkg.analysis.paths`
    shortest, all shortest and k shortest paths, each hop told as a sentence;
:mod:`~conflictkg.analysis.communities`
    Louvain and greedy-modularity communities (or camps of allies);
:mod:`~conflictkg.analysis.ego`
    the ego network of one entity to a given depth;
:mod:`~conflictkg.analysis.balance`
    the signed actor network and its structural balance, triad by triad;
:mod:`~conflictkg.analysis.timeline`
    the events in order, with their dates and precision;
:mod:`~conflictkg.analysis.resolve`
    labels to entities, with candidates for unknown or ambiguous labels (assertion
    statuses are resolved by :func:`conflictkg.projection.statuses.resolve_status`);
:mod:`~conflictkg.analysis.plotting`
    pictures of each result (matplotlib, imported only when drawing);
:mod:`~conflictkg.analysis.ties`
    statements collapsed into undirected ties, shared by the analyses.

Examples
--------
>>> import networkx as nx
>>> from conflictkg.analysis import centrality
>>> rows = centrality(nx.star_graph(3), measures=("degree",))
>>> [(row.node, row.scores["degree"]) for row in rows][:2]
[(0, 1.0), (1, 0.3333333333333333)]
"""

from conflictkg.analysis.balance import signed_network, structural_balance
from conflictkg.analysis.centrality import centrality
from conflictkg.analysis.communities import communities
from conflictkg.analysis.ego import ego_network
from conflictkg.analysis.paths import explained_paths
from conflictkg.analysis.resolve import resolve
from conflictkg.analysis.timeline import timeline
from conflictkg.errors import NoPathError
from conflictkg.projection.statuses import resolve_status

__all__ = [
    "NoPathError",
    "centrality",
    "communities",
    "ego_network",
    "explained_paths",
    "resolve",
    "resolve_status",
    "signed_network",
    "structural_balance",
    "timeline",
]
