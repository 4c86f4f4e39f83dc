"""The records both datasets write alike: an event's dates and place, its counts, its sources.

UCDP GED and ACLED rows differ in their columns, not in what the graph makes of a dated,
located event: these helpers give the shared part of that mapping (``docs/import.md``) in
one place, as formatted terms for :class:`~conflictkg.importing.ntriples.Triples`.
"""

from __future__ import annotations

from conflictkg.importing.ntriples import (
    RDFS_LABEL,
    A,
    Triples,
    ckc,
    ckg,
    integer,
    literal,
    text,
    typed,
)

__all__ = ["UNCODED_GTD", "event_pairs", "killed_count", "sources_node"]

#: The GTD schemes an event that is no attack is not coded in.
UNCODED_GTD = tuple(
    f"<https://w3id.org/conflictkg/code/gtd/{scheme}>"
    for scheme in ("AttackTypeScheme", "TargetTypeScheme", "WeaponTypeScheme")
)


def event_pairs(
    label: str,
    record_ids: list[str],
    start: str,
    end: str,
    time: tuple[str, int],
    place: str,
    geo: tuple[str, int],
) -> list[tuple[str, str]]:
    """Return an event's label, dataset ids, dates, place and precisions as pairs.

    Parameters
    ----------
    label : str
        The event's label.
    record_ids : list of str
        Its identifiers in the dataset.
    start, end : str
        Its earliest and latest dates (``YYYY-MM-DD``).
    time, geo : tuple of (str, int)
        Its time and geographic precision: conflictkg's code and the dataset's number.
    place : str
        Its place (formatted IRI).
    """
    return [
        (RDFS_LABEL, text(label)),
        *[(ckg("datasetRecordId"), literal(record_id)) for record_id in record_ids],
        (ckg("earliestDate"), typed(start, "date")),
        (ckg("latestDate"), typed(end, "date")),
        (ckg("timePrecision"), ckc(time[0])),
        (ckg("datasetTimePrecisionCode"), integer(time[1])),
        (ckg("place"), place),
        (ckg("geographicPrecision"), ckc(geo[0])),
        (ckg("datasetPlacePrecisionCode"), integer(geo[1])),
    ]


def killed_count(
    out: Triples,
    node: str,
    label: str,
    event: str,
    figures: list[tuple[str, str]],
    source_pairs: list[tuple[str, str]],
) -> None:
    """Write a count of the people an event killed: its `figures`, then its source."""
    out.node(
        node,
        [
            (A, ckg("Count")),
            (RDFS_LABEL, text(label)),
            (ckg("countOf"), event),
            (ckg("countCategory"), ckc("Killed")),
            *figures,
            *source_pairs,
        ],
    )


def sources_node(out: Triples, node: str, label: str, cited: list[tuple[str, str]]) -> None:
    """Write the report node that stands for the sources a dataset's coders cite."""
    out.node(node, [(A, ckg("Report")), (RDFS_LABEL, text(label)), *cited])
