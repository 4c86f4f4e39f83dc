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
from conflictkg.projection import counts, filters, statuses, views
from conflictkg.projection.counts import *  # noqa: F403
from conflictkg.projection.filters import *  # noqa: F403
from conflictkg.projection.statuses import *  # noqa: F403
from conflictkg.projection.views import *  # noqa: F403

# each module's public names are the package's (listed once, in the module)
__all__ = [
    "EmptyProjectionError",
    *counts.__all__,
    *filters.__all__,
    *statuses.__all__,
    *views.__all__,
]
