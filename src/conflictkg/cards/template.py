"""The card that ``conflictkg new report NAME`` writes.

It holds a source to fill in, a first event, and (as comments) the shared entities the
card can name.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from conflictkg.cards.compiler import STATEMENT
from conflictkg.cards.vocabulary import CKR, Vocabulary, local_name

__all__ = ["report_card"]

_SHARED = ("actors.ttl", "places.ttl", "sources.ttl")


def report_card(name: str, vocabulary: Vocabulary) -> str:
    """Return the text of a new card for the report `name` (``place-yyyy-mm-dd``).

    Examples
    --------
    >>> from conflictkg.cards import project_vocabulary
    >>> text = report_card("gao-2024-10-02", project_vocabulary())
    >>> "source: report-gao-2024-10-02" in text, "#   mali-territory: Mali (territory)" in text
    (True, True)
    """
    listed: dict[str, list[str]] = defaultdict(list)
    for iri, path in vocabulary.entity_files.items():
        file = Path(path).name
        statement = STATEMENT in vocabulary.types.get(iri, ())
        if file in _SHARED and iri.startswith(CKR) and not statement:
            label = vocabulary.labels.get(iri, "")
            listed[file].append(f"#   {local_name(iri)}: {label}".rstrip(": "))
    shared = []
    for file in _SHARED:
        shared.append(f"# {file.removesuffix('.ttl')} (graph/shared/{file}):")
        shared += sorted(listed[file])
    return f"""\
# Report card for {name}: conflictkg encode {name}.card.yaml writes {name}.ttl.
# Keys are the ontology's property names; values name entities by id, label or alias.
# Recipes for every pattern: docs/cookbook.md.  Write summaries in your own words.
source: report-{name}
status: Reported
records:
  report-{name}:
    a: Report
    label: Report on ... (the report's subject and date)
    sourceKind: AnalyticalReport
    earliestPublicationDate: {_date_of(name)}
  {name}-event:
    a: Attack
    label: ... (a short name for the event)
    summary: ... (what happened, in your own words)
    when: {_words_of(name)}
    place: ... (a place below, or a new place record)
    geographicPrecision: CityPrecision
    perpetrator: ... (an actor below, or a new record; a claimed perpetrator is a value
      with status ClaimedByParty, see docs/cookbook.md)
    acledEventType: Battles
    acledSubEventType: ArmedClash
    gtdAttackType: ArmedAssault
    ploverEventType: Assault

# Shared entities a card can name:
{chr(10).join(shared)}
"""


def _date_of(name: str) -> str:
    parts = name.rsplit("-", 3)
    return "-".join(parts[1:]) if len(parts) == 4 else "2024-01-01"


def _words_of(name: str) -> str:
    import datetime

    try:
        day = datetime.date.fromisoformat(_date_of(name))
    except ValueError:
        return "17 September 2024"
    return f"{day.day} {day.strftime('%B')} {day.year}"
