"""Assertion statuses as the projections carry them: names, order and drawing style.

Every edge of a projection keeps the local name of its statement's assertion status
(``"ClaimedByParty"``).  This module is the one place that

* turns what a researcher types into that name (:func:`resolve_status`: the local name,
  the label or the notation of a concept of ``ckc:AssertionStatusScheme``, in any case),
  for every command that takes ``--status`` or ``--exclude-status``;
* orders statuses from the most to the least firmly asserted (:data:`STATUS_ORDER`);
* says how a statement of each status is drawn (:data:`STATUS_STYLES`), for the pictures
  of the analyses and for every export format alike.

Examples
--------
>>> from conflictkg import resources
>>> from conflictkg.rdf.loading import load_files
>>> codes = load_files(resources.ontology_files())
>>> resolve_status(codes, "claimed"), resolve_status(codes, "Claimed by a party")
('ClaimedByParty', 'ClaimedByParty')
>>> resolve_status(codes, "rumour")
Traceback (most recent call last):
...
conflictkg.errors.UnknownStatusError: unknown assertion status 'rumour'; \
use one of: Analysis, ClaimedByParty, Confirmed, Denied, Forecast, NotConfirmed, Official, \
OfficiallyWithheld, Opinion, Recommendation, Reported, Retracted, Unconfirmed
>>> status_style("ClaimedByParty"), status_style(None), status_style(None, dashdot="dashed")
(('#D55E00', 'dashed'), ('#666666', 'dashdot'), ('#666666', 'dashed'))
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDFS, SKOS

from conflictkg.errors import UnknownStatusError
from conflictkg.namespaces import CKC
from conflictkg.rdf.labels import normalise
from conflictkg.rdf.terms import local_name

__all__ = ["LINE_STYLES", "STATUS_ORDER", "STATUS_STYLES", "resolve_status", "status_style"]

#: Assertion statuses (local names) from the most to the least firmly asserted; ``None``
#: (unsourced) comes last.
STATUS_ORDER: tuple[str, ...] = (
    "Reported",
    "Official",
    "Confirmed",
    "ClaimedByParty",
    "Unconfirmed",
    "NotConfirmed",
    "OfficiallyWithheld",
    "Denied",
    "Retracted",
    "Analysis",
    "Opinion",
    "Forecast",
    "Recommendation",
)

#: Line styles, each with what it says in a legend.
LINE_STYLES: dict[str, str] = {
    "solid": "reported or official",
    "dashed": "claimed by a party",
    "dotted": "unconfirmed, withheld, denied, retracted or analysis",
    "dashdot": "no source recorded",
}

#: Line colour and style of the statements of each status; ``None``: no source recorded.
STATUS_STYLES: dict[str | None, tuple[str, str]] = {
    "Reported": ("#444444", "solid"),
    "Official": ("#000000", "solid"),
    "Confirmed": ("#000000", "solid"),
    "ClaimedByParty": ("#D55E00", "dashed"),
    "Unconfirmed": ("#888888", "dotted"),
    "NotConfirmed": ("#888888", "dotted"),
    "OfficiallyWithheld": ("#888888", "dotted"),
    "Denied": ("#AA3377", "dotted"),
    "Retracted": ("#AA3377", "dotted"),
    "Analysis": ("#7B4F9D", "dotted"),
    "Opinion": ("#7B4F9D", "dotted"),
    "Recommendation": ("#7B4F9D", "dotted"),
    "Forecast": ("#7B4F9D", "dotted"),
    None: ("#666666", "dashdot"),
}
_UNKNOWN = ("#888888", "dotted")


def status_style(status: str | None, *, dashdot: str = "dashdot") -> tuple[str, str]:
    """Return ``(colour, line style)`` for the statements of an assertion status.

    Parameters
    ----------
    status : str or None
        A status local name; ``None`` for a statement without a source.
    dashdot : str, default "dashdot"
        What to say instead of ``"dashdot"``, for formats that cannot draw it.

    Returns
    -------
    tuple of str
        A ``#RRGGBB`` colour and one of :data:`LINE_STYLES` (an unknown status is
        drawn like an unconfirmed one).
    """
    colour, line = STATUS_STYLES.get(status, _UNKNOWN)
    return colour, dashdot if line == "dashdot" else line


def resolve_status(graph: Graph, text: str) -> str:
    """Return the local name of the assertion status that `text` names.

    Accepts the local name (``ClaimedByParty``), the label (``Claimed by a party``) or the
    notation (``claimed``) of a concept of ``ckc:AssertionStatusScheme``, in any case.

    Parameters
    ----------
    graph : rdflib.Graph
        A graph with the project's code lists.
    text : str
        What the researcher typed.

    Returns
    -------
    str
        The concept's local name, e.g. ``"ClaimedByParty"``.

    Raises
    ------
    conflictkg.errors.UnknownStatusError
        If no status matches; the message lists the valid ones.
    """
    concepts = sorted(set(graph.subjects(SKOS.inScheme, CKC.AssertionStatusScheme)), key=str)
    key = normalise(text)
    for concept in concepts:
        names = {local_name(concept)}
        for predicate in (SKOS.prefLabel, RDFS.label, SKOS.notation, SKOS.altLabel):
            names.update(str(v) for v in graph.objects(concept, predicate))
        if key in {normalise(n) for n in names}:
            return local_name(concept)
    valid = ", ".join(local_name(c) for c in concepts) or "(no code list loaded)"
    raise UnknownStatusError(f"unknown assertion status {text!r}; use one of: {valid}")
