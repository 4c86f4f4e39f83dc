"""Project the RDF graph onto NetworkX graphs, through explicit views.

:mod:`~conflictkg.projection.views`
    the views (``actors``, ``events``, ``places``, ``full``), each a definition that one
    generic builder turns into a NetworkX graph;
:mod:`~conflictkg.projection.counts`
    counts as node attributes: typed figures and a readable phrase;
:mod:`~conflictkg.projection.filters`
    which statements a view keeps (assertion status, dates);
:mod:`~conflictkg.projection.statuses`
    assertion statuses: names typed by researchers, their order, their drawing style.

Examples
--------
>>> from rdflib import Graph
>>> project(Graph(), "people")
Traceback (most recent call last):
...
conflictkg.errors.UsageError: unknown view 'people'; choose one of: actors, events, places, full
"""

from conflictkg.errors import EmptyProjectionError
from conflictkg.projection.filters import Filters
from conflictkg.projection.statuses import STATUS_ORDER, STATUS_STYLES, resolve_status
from conflictkg.projection.views import (
    EVENT_ROLES,
    RELATION_SIGNS,
    VIEWS,
    actor_event_network,
    actor_network,
    build_view,
    entity_graph,
    place_hierarchy,
    project,
)

__all__ = [
    "EVENT_ROLES",
    "RELATION_SIGNS",
    "STATUS_ORDER",
    "STATUS_STYLES",
    "VIEWS",
    "EmptyProjectionError",
    "Filters",
    "actor_event_network",
    "actor_network",
    "build_view",
    "entity_graph",
    "place_hierarchy",
    "project",
    "resolve_status",
]
