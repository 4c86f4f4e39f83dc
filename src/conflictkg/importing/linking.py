"""Linking imported events to the report events that describe the same incident.

A dataset event and a report event are linked when all three kinds of evidence hold:
their date intervals overlap, one's place is the other's or lies inside it, and they name
at least one actor in common (a role stated directly or by a statement, whatever its
status: a claimed perpetrator counts).  The link is a ``ckg:Statement`` that the dataset
event ``ckg:sameIncidentAs`` the report event, asserted by ``ckr:conflictkg-event-matching``
with the status ``ckc:Analysis``, its evidence in words and a score: the mean of the
date score (the overlap over the union of the two intervals, in days), the place score
(1 for the same place, 0.5 when one lies inside the other) and the actor score (shared
actors over all actors the two name); a pair scoring below :data:`MIN_SCORE` is not
linked (a one-day battle shares little with a coup dated only within four years, even in
the same country and with the same army).  The events are never merged: each keeps its own
figures, and the disagreement question compares them.

Report events are read once from the project's own files (not from ``graph/datasets/``),
and sorted by date, so that each imported row costs a look-up among the few report
events whose dates can overlap its own.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from conflictkg import resources
from conflictkg.importing.ged import EventKey
from conflictkg.importing.ntriples import A, Triples, ckc, ckg, ckr, literal, typed

__all__ = ["MATCHER", "MIN_SCORE", "Linker", "ReportEvent"]

#: The lowest score a link needs.
MIN_SCORE = 0.5

#: The source of every link: conflictkg's matching of events (graph/shared/sources.ttl).
MATCHER = "conflictkg-event-matching"

CKG_NS = "https://w3id.org/conflictkg/ontology#"

_QUERY = """
PREFIX ckg: <https://w3id.org/conflictkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?event ?label ?start ?end ?place
       (GROUP_CONCAT(DISTINCT STR(?within); separator=" ") AS ?places)
WHERE {
  ?event a ?class . ?class rdfs:subClassOf* ckg:Event .
  ?event rdfs:label ?label ; ckg:place ?place .
  OPTIONAL { ?event ckg:date ?date }
  OPTIONAL { ?event ckg:earliestDate ?earliest }
  OPTIONAL { ?event ckg:latestDate ?latest }
  BIND (SUBSTR(STR(COALESCE(?earliest, ?date, ?latest)), 1, 10) AS ?start)
  BIND (SUBSTR(STR(COALESCE(?latest, ?date, ?earliest)), 1, 10) AS ?end)
  FILTER (BOUND(?start) && STRLEN(?start) = 10)
  OPTIONAL { ?place ckg:locatedIn+ ?within }
}
GROUP BY ?event ?label ?start ?end ?place
"""

_ACTORS = """
PREFIX ckg: <https://w3id.org/conflictkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?event ?actor WHERE {
  ?role rdfs:subPropertyOf* ckg:participant .
  { ?event ?role ?actor } UNION
  { ?statement a ckg:Statement ; rdf:subject ?event ; rdf:predicate ?role ; rdf:object ?actor }
}
"""


@dataclass
class ReportEvent:
    """A report event that dataset events may be linked to."""

    iri: str
    label: str
    start: str
    end: str
    place: str
    within: frozenset[str]
    actors: frozenset[str]


def _days(start: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1


class Linker:
    """Finds, for imported events, the report events that describe the same incident.

    Parameters
    ----------
    files : list of pathlib.Path, optional
        The report files to read (default: the project's ``graph/``, without
        ``graph/datasets/``), read with the ontology for its class and role hierarchy.
    """

    def __init__(self, files: list[Path] | None = None) -> None:
        if files is None:
            root = resources.data_dir("graph")
            files = [
                p for p in resources.graph_files() if p.relative_to(root).parts[0] != "datasets"
            ]
        store = ox.Store()
        for path in [*resources.ontology_files(), *files]:
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        actors: dict[str, set[str]] = {}
        for event, actor in store.query(_ACTORS):
            actors.setdefault(event.value, set()).add(actor.value)
        self.events: list[ReportEvent] = []
        for event, label, start, end, place, places in store.query(_QUERY):
            self.events.append(
                ReportEvent(
                    event.value,
                    label.value,
                    start.value,
                    end.value,
                    place.value,
                    frozenset(places.value.split()) if places.value else frozenset(),
                    frozenset(actors.get(event.value, ())),
                )
            )
        self.events.sort(key=lambda e: (e.start, e.iri))
        self._starts = [e.start for e in self.events]
        self.labels = {
            str(s.value): str(o.value)
            for s, o in store.query(
                "SELECT ?s ?o { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }"
            )
        }
        self.within = {
            str(s.value): set()
            for (s,) in store.query(
                "SELECT DISTINCT ?s { ?s <https://w3id.org/conflictkg/ontology#locatedIn> ?o }"
            )
        }
        for place in self.within:
            self.within[place] = {
                str(o.value)
                for (o,) in store.query(
                    f"SELECT ?o {{ <{place}> <{CKG_NS}locatedIn>+ ?o }}"
                )
            }
        self.taken = {
            str(o.value).lower()
            for s, o in store.query(
                "SELECT ?s ?o { ?s <http://www.w3.org/2000/01/rdf-schema#label>|"
                "<http://www.w3.org/2004/02/skos/core#prefLabel>|"
                "<http://www.w3.org/2004/02/skos/core#altLabel> ?o }"
            )
            if str(s.value).startswith("https://w3id.org/conflictkg/id/")
        }
        self.links = 0

    def candidates(self, key: EventKey) -> list[tuple[ReportEvent, float, str]]:
        """Return the report events linked to an imported event, with score and evidence."""
        found = []
        stop = bisect.bisect_right(self._starts, key.end)
        for report in self.events[:stop]:
            if report.end < key.start:
                continue
            place = self._place_score(key, report)
            if place is None:
                continue
            score_place, place_words = place
            # the dataset's actors as the graph knows them, and the report's
            shared = key.actors & report.actors
            if not shared:
                continue
            overlap = _days(max(key.start, report.start), min(key.end, report.end))
            union = _days(min(key.start, report.start), max(key.end, report.end))
            score = round(
                (overlap / union + score_place + len(shared) / len(key.actors | report.actors)) / 3,
                2,
            )
            if score < MIN_SCORE:
                continue
            names = ", ".join(sorted(self.labels.get(a, a.rsplit("/", 1)[1]) for a in shared))
            evidence = (
                f"dates {key.start}/{key.end} and {report.start}/{report.end} overlap; "
                f"{place_words}; shared actors: {names}"
            )
            found.append((report, score, evidence))
        return found

    def _place_score(self, key: EventKey, report: ReportEvent) -> tuple[float, str] | None:
        """Score how the two places relate: the same, one inside the other, or apart."""
        mine = key.places[0]
        name = self.labels.get(report.place, report.place)
        if mine == report.place:
            return 1.0, f"both at {name}"
        # the dataset event's chain, extended with what the graph says of reconciled places
        chain = set(key.places)
        for place in key.places:
            chain |= self.within.get(place, set())
        if report.place in chain:
            return 0.5, f"the dataset's place lies in {name}"
        if mine in report.within:
            return 0.5, f"{name} lies in the dataset's place"
        return None

    def write(self, out: Triples, key: EventKey) -> int:
        """Write the links of one imported event; return how many."""
        written = 0
        for report, score, evidence in self.candidates(key):
            tail = report.iri.rsplit("/", 1)[1]
            node = ckr(f"{key.iri.rsplit('/', 1)[1]}-same-incident-as-{tail}")
            out.node(
                node,
                [
                    (A, ckg("Statement")),
                    ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>", f"<{key.iri}>"),
                    (
                        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate>",
                        ckg("sameIncidentAs"),
                    ),
                    ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#object>", f"<{report.iri}>"),
                    (ckg("matchScore"), typed(f"{score:.2f}", "decimal")),
                    (ckg("matchEvidence"), literal(evidence)),
                    (ckg("assertedBy"), ckr(MATCHER)),
                    (ckg("assertionStatus"), ckc("Analysis")),
                ],
            )
            written += 1
        self.links += written
        return written
