"""Which statements a projection keeps: assertion statuses and dates.

A statement is left out by ``since`` only when it is known to have ended before that date,
and by ``until`` only when it is known to have started after it; undated statements are
kept.  Status names are resolved to the code list's local names by
:func:`conflictkg.projection.statuses.resolve_status` before they reach :class:`Filters`
(:meth:`Filters.resolved` does it for a graph).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph

from conflictkg.errors import UsageError
from conflictkg.projection.statuses import resolve_status

__all__ = ["Filters"]

_ISO_DATE = re.compile(r"^-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _check_date(name: str, value: str | None) -> None:
    if value is not None and not _ISO_DATE.match(value):
        raise UsageError(f"{name}: {value!r} is not an ISO date (use YYYY, YYYY-MM or YYYY-MM-DD)")


@dataclass(frozen=True)
class Filters:
    """Which statements a projection keeps.

    Parameters
    ----------
    statuses : frozenset of str, optional
        Keep only statements whose assertion status local name (``"ClaimedByParty"``) or label
        (``"Claimed by a party"``), compared case-insensitively, is in this set. ``None`` keeps
        all, including unsourced statements; a set leaves unsourced statements out.
    exclude_statuses : frozenset of str, optional
        Leave out statements with these statuses (e.g. ``{"ClaimedByParty", "Unconfirmed"}``).
    since, until : str, optional
        ISO dates (``"2020"``, ``"2024-09"``, ``"2024-09-17"``): leave out statements known to
        have ended before ``since`` (an end date, a date or a latest date before it) or known
        to have started after ``until`` (a start date, a date or an earliest date after it).
        Undated statements, and statements only known to be ongoing on a date, are kept.

    Raises
    ------
    conflictkg.errors.UsageError
        If ``since`` or ``until`` is not an ISO date, or ``since`` is after ``until``.

    Examples
    --------
    >>> Filters(since="2024-09").keeps({"date": "2024-09-17"})
    True
    >>> Filters(until="2024-08").rejects({"date": "2024-09-17"})
    'until'
    >>> Filters(since="2024-9")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    conflictkg.errors.UsageError: since: '2024-9' is not an ISO date (use YYYY, YYYY-MM or ...)
    """

    statuses: frozenset[str] | None = None
    exclude_statuses: frozenset[str] = frozenset()
    since: str | None = None
    until: str | None = None
    _keep: frozenset[str] | None = field(init=False, repr=False, compare=False)
    _drop: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Check the dates and prepare the lower-cased status sets."""
        _check_date("since", self.since)
        _check_date("until", self.until)
        if self.since and self.until and _date_key(self.since) > _date_key(self.until, end=True):
            raise UsageError(f"since ({self.since}) is after until ({self.until})")
        keep = None if self.statuses is None else frozenset(s.lower() for s in self.statuses)
        object.__setattr__(self, "_keep", keep)
        object.__setattr__(self, "_drop", frozenset(s.lower() for s in self.exclude_statuses))

    @property
    def active(self) -> bool:
        """Whether any filter is set (bool)."""
        return bool(self.statuses is not None or self.exclude_statuses or self.since or self.until)

    def describe(self) -> str:
        """Say in words which filters are active.

        Returns
        -------
        str
            For example ``"status in Reported; since 2020"``, or ``"no filters"``.
        """
        parts = []
        if self.statuses is not None:
            parts.append("status in " + ", ".join(sorted(self.statuses)))
        if self.exclude_statuses:
            parts.append("status not in " + ", ".join(sorted(self.exclude_statuses)))
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        return "; ".join(parts) or "no filters"

    def rejects(self, attrs: dict) -> str | None:
        """Name the filter that leaves a statement out, or ``None`` if it passes.

        Parameters
        ----------
        attrs : dict
            The statement's attributes (``status``, ``status_label`` and the date keys).

        Returns
        -------
        str or None
            ``"status"``, ``"since"`` or ``"until"``.
        """
        if self._keep is not None or self._drop:
            names = {str(s).lower() for s in (attrs.get("status"), attrs.get("status_label")) if s}
            if self._keep is not None and not names & self._keep:
                return "status"
            if names & self._drop:
                return "status"
        if self.since:
            last = attrs.get("end") or attrs.get("latest") or attrs.get("date")
            if last and _date_key(str(last), end=True) < _date_key(self.since):
                return "since"
        if self.until:
            first = attrs.get("start") or attrs.get("earliest") or attrs.get("date")
            if first and _date_key(str(first)) > _date_key(self.until, end=True):
                return "until"
        return None

    @classmethod
    def resolved(
        cls,
        graph: Graph,
        *,
        statuses: Iterable[str] | None = None,
        exclude_statuses: Iterable[str] = (),
        since: str | None = None,
        until: str | None = None,
    ) -> Filters:
        """Make filters from what a researcher typed, status names resolved on `graph`.

        Parameters
        ----------
        graph : rdflib.Graph
            A graph with the project's code lists.
        statuses, exclude_statuses : iterable of str, optional
            Status names, labels or notations (see
            :func:`~conflictkg.projection.statuses.resolve_status`); no `statuses`
            (None or empty) keeps every status.
        since, until : str, optional
            ISO dates.

        Returns
        -------
        Filters
            The filters, with the statuses' local names.

        Raises
        ------
        conflictkg.errors.UnknownStatusError
            For a status the code list does not define.
        conflictkg.errors.UsageError
            For a date that is not ISO 8601, or `since` after `until`.
        """
        cls(since=since, until=until)  # dates first: they need no graph
        keep = frozenset(resolve_status(graph, s) for s in statuses) if statuses else None
        drop = frozenset(resolve_status(graph, s) for s in exclude_statuses)
        return cls(statuses=keep, exclude_statuses=drop, since=since, until=until)

    def keeps(self, attrs: dict) -> bool:
        """Tell whether a statement with these attributes passes the filters.

        Parameters
        ----------
        attrs : dict
            The statement's attributes.

        Returns
        -------
        bool
            ``True`` if no filter leaves it out.
        """
        return self.rejects(attrs) is None


def _date_key(value: str, *, end: bool = False) -> str:
    """Pad a partial ISO date so that string comparison orders it (``2017`` -> ``2017-12-31``).

    Examples
    --------
    >>> _date_key("2017", end=True), _date_key("2024-09"), _date_key("2024-09-17T08:00:00")
    ('2017-12-31', '2024-09-01', '2024-09-17')
    """
    value = value[:10]
    if len(value) == 4:
        return value + ("-12-31" if end else "-01-01")
    if len(value) == 7:
        return value + ("-31" if end else "-01")
    return value


