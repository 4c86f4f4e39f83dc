"""The events in order, with their dates and how precisely each is known.

Sources date events unevenly: "on the morning of 17 September 2024", "in 2017", "between
2020 and the report", "by 18 September". Each event of a projection keeps what its source
gives (``date``, ``earliest``, ``latest``, ``ongoing_on``, ``time_precision``,
``part_of_day``); the timeline puts them in order without pretending to more precision than
that, in the spirit of interval-based temporal reasoning [1]_ and of the time precision
codes of event datasets such as ACLED [2]_:

* an event is placed at the earliest date it can have started (its date, or earliest date);
* an event known only to have happened *by* a date ("by 2024-09-17"), or to be ongoing on
  it, is placed at that date, before the events known to start on it;
* among events placed on the same day, the one that can end first comes first;
* undated events come last.

The ``when`` column says in words what is known (``"2024-09-17"``, ``"between 2020-01-01
and 2024-09-17"``, ``"by 2024-09-17"``) and ``precision`` the source's precision (``"Part of
day: Morning"``).

References
----------
.. [1] J. F. Allen, "Maintaining knowledge about temporal intervals", *Communications of
   the ACM* 26(11), 832-843, 1983.
.. [2] C. Raleigh, A. Linke, H. Hegre and J. Karlsen, "Introducing ACLED: an armed conflict
   location and event dataset", *Journal of Peace Research* 47(5), 651-660, 2010.

Examples
--------
>>> import networkx as nx
>>> net = nx.Graph()
>>> net.add_node("coup", label="Coup", kind="event", earliest="2020-01-01",
...              latest="2024-09-17")
>>> net.add_node("defeat", label="Defeat", kind="event", latest="2024-09-17")
>>> net.add_node("attack", label="Attack", kind="event", date="2024-09-17",
...              time_precision_label="Part of day", part_of_day_label="Morning")
>>> net.add_node("merger", label="Merger", kind="event", date="2017")
>>> net.add_node("jnim", label="JNIM", kind="actor")
>>> for entry in timeline(net):
...     print(f"{entry.when:35} {entry.label:7} {entry.precision}".rstrip())
2017                                Merger
between 2020-01-01 and 2024-09-17   Coup
by 2024-09-17                       Defeat
2024-09-17                          Attack  Part of day: Morning
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from conflictkg.analysis.ties import node_label, when
from conflictkg.projection import Filters

__all__ = ["TimelineEntry", "timeline"]

_FAR_FUTURE = "9999-12-31"


def _key(value, *, end: bool = False) -> str | None:
    if not value:
        return None
    text = str(value)[:10]
    if len(text) == 4:
        return text + ("-12-31" if end else "-01-01")
    if len(text) == 7:
        return text + ("-31" if end else "-01")
    return text


@dataclass(frozen=True)
class TimelineEntry:
    """One event of the timeline.

    Parameters
    ----------
    node : hashable
        The event.
    label, type, type_label : str
        Its label, most specific type (local name) and that type's label.
    when : str
        What is known of its date, in words.
    precision : str
        The time precision the source gives (and the part of day), or ``""``.
    start, end : str or None
        The earliest and latest dates it can cover, as ``YYYY-MM-DD`` (``None`` if unknown).
    ongoing : str or None
        A date on which it is known to be going on (``YYYY-MM-DD``), if the source gives one.
    place, status, source : str
        Labels of its place, assertion status and source, or ``""``.
    """

    node: Hashable
    label: str
    type: str
    type_label: str
    when: str
    precision: str
    start: str | None
    end: str | None
    ongoing: str | None
    place: str
    status: str
    source: str

    def as_dict(self) -> dict:
        """Return the entry as JSON-ready data."""
        return {
            "iri": str(self.node),
            "label": self.label,
            "type": self.type,
            "type_label": self.type_label,
            "when": self.when,
            "precision": self.precision,
            "start": self.start,
            "end": self.end,
            "ongoing": self.ongoing,
            "place": self.place,
            "status": self.status,
            "source": self.source,
        }


def _entry(net: nx.Graph, node) -> tuple[tuple, TimelineEntry]:
    attrs = net.nodes[node]
    date = attrs.get("date")
    lower = _key(date) or _key(attrs.get("earliest")) or _key(attrs.get("start"))
    upper = (
        _key(date, end=True)
        or _key(attrs.get("latest"), end=True)
        or _key(attrs.get("end"), end=True)
    )
    ongoing = _key(attrs.get("ongoing_on"))
    anchor = lower or upper or ongoing
    precision = str(attrs.get("time_precision_label") or attrs.get("time_precision") or "")
    part = attrs.get("part_of_day_label") or attrs.get("part_of_day")
    if part:
        precision = f"{precision}: {part}" if precision else str(part)
    entry = TimelineEntry(
        node=node,
        label=node_label(net, node),
        type=str(attrs.get("type", "")),
        type_label=str(attrs.get("type_label") or attrs.get("type") or ""),
        when=when(attrs),
        precision=precision,
        start=lower,
        end=upper,
        ongoing=ongoing,
        place=str(attrs.get("place_label") or ""),
        status=str(attrs.get("status_label") or attrs.get("status") or ""),
        source=str(attrs.get("source_label") or ""),
    )
    key = (
        anchor is None,
        anchor or _FAR_FUTURE,
        lower is not None,  # "by X" and "ongoing on X" before events starting on X
        upper or _FAR_FUTURE,
        entry.label,
        str(node),
    )
    return key, entry


def timeline(
    net: nx.Graph,
    *,
    filters: Filters | None = None,
    involving: Hashable | None = None,
) -> list[TimelineEntry]:
    """List the events of a projection in time order.

    Parameters
    ----------
    net : networkx.Graph
        A projection whose event nodes (``kind == "event"``) carry date attributes: the
        ``full`` view has every event, the ``events`` view those with an actor in a role.
    filters : Filters, optional
        Leave out events by status or date (applied to the events themselves).
    involving : hashable, optional
        Keep only events tied to this node in `net` (e.g. an actor's IRI).

    Returns
    -------
    list of TimelineEntry
        In time order (see the module notes for undated and vaguely dated events).

    Raises
    ------
    ValueError
        If `involving` is not a node of `net`.

    References
    ----------
    .. [1] J. F. Allen, "Maintaining knowledge about temporal intervals", *Communications
       of the ACM* 26(11), 832-843, 1983.

    Examples
    --------
    >>> net = nx.DiGraph()
    >>> net.add_node("e1", label="Raid", kind="event", date="2024-01-05", status="Reported")
    >>> net.add_node("e2", label="Claim", kind="event", date="2024-01-06",
    ...              status="ClaimedByParty")
    >>> net.add_edge("g", "e2")
    >>> [e.label for e in timeline(net)], [e.label for e in timeline(net, involving="g")]
    (['Raid', 'Claim'], ['Claim'])
    >>> [e.label for e in timeline(net, filters=Filters(statuses=frozenset({"Reported"})))]
    ['Raid']
    """
    filters = filters or Filters()
    if involving is not None:
        if involving not in net:
            raise ValueError(f"{involving!r} is not a node of the graph")
        around = set(nx.all_neighbors(net, involving)) if net.is_directed() else set(net[involving])
    else:
        around = None
    keyed = []
    for node, attrs in net.nodes(data=True):
        if attrs.get("kind") != "event" or (around is not None and node not in around):
            continue
        if not filters.keeps(attrs):
            continue
        keyed.append(_entry(net, node))
    keyed.sort(key=lambda pair: pair[0])
    return [entry for _, entry in keyed]
