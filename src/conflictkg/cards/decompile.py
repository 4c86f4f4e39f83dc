"""Rewrite an encoded report (Turtle of the statement model) as a report card.

The inverse of :func:`conflictkg.cards.compile_card`: the card it writes compiles back to
the same graph (tested on the Bamako report).  ``when`` and ``count`` phrases are used only
where the phrase gives exactly the fields the record has; other fields stay as they are.
Statements about a record of the file are written inside the record, as values with their
own status and voice.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pyoxigraph as ox
import yaml

from conflictkg.cards.phrases import count_fields, date_fields
from conflictkg.cards.vocabulary import CKG, RDF, RDFS, SKOS, Vocabulary, local_name
from conflictkg.errors import UsageError

__all__ = ["decompile"]

_KEYS = {
    RDFS + "label": "label", SKOS + "prefLabel": "prefLabel", SKOS + "altLabel": "altLabel",
    CKG + "assertedBy": "source", CKG + "assertionStatus": "status",
}
_DEFAULT_KEYS = ("source", "status", "accordingTo")
_WORDS = {
    "AFew": "a few", "Several": "several", "Multiple": "multiple", "Numerous": "many",
    "VeryMany": "very many", "Various": "various", "Dozens": "dozens", "Scores": "scores",
    "Hundreds": "hundreds", "Thousands": "thousands", "Plural": "plural", "Heavy": "heavy",
    "Serious": "serious", "Significant": "significant",
}



def _scalar(value) -> str:
    if isinstance(value, int):
        return str(value)
    text = str(value)
    plain = (
        re.fullmatch(r"[A-Za-z][^:#,\[\]{}&*!|>'\"%@`]*", text) is not None
        and not text.endswith(" ")
        and yaml.safe_load(text) == text
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _value(term: ox.Term) -> str:
    if isinstance(term, ox.NamedNode):
        return local_name(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        if datatype == "integer":
            return term.value
        if datatype in ("date", "gYear", "gYearMonth"):
            return term.value if datatype == "date" else json.dumps(term.value)
        return _scalar(term.value)
    raise UsageError(f"cannot write {term} in a card")


def _day_words(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _phrase_terms(fields: list, v: Vocabulary) -> set[tuple[str, str]]:
    found = set()
    for prop, value in fields:
        info = v.properties[prop]
        if isinstance(value, str):
            found.add((info.iri, v.schemes[info.code_list][value.casefold()]))
        else:
            found.add((info.iri, str(value)))
    return found


def _date_candidates(fields: dict[str, list[str]]) -> list[str]:
    get = {k: v[0] for k, v in fields.items() if len(v) == 1}
    found = []
    date, part = get.get(CKG + "date"), get.get(CKG + "partOfDay")
    earliest, latest = get.get(CKG + "earliestDate"), get.get(CKG + "latestDate")
    if date and part and len(date) == 10:
        found.append(f"{local_name(part).lower()} of {_day_words(date)}")
    if date and len(date) == 10:
        found.append(_day_words(date))
    if date and len(date) == 4:
        found.append(date)
    if earliest and latest and earliest <= latest:
        found.append(f"between {_day_words(earliest)} and {_day_words(latest)}")
    if latest:
        found.append(f"by {_day_words(latest)}")
    if earliest:
        found.append(f"not before {_day_words(earliest)}")
    return found


def _count_candidates(fields: dict[str, list[str]]) -> list[str]:
    get = {local_name(k): v[0] for k, v in fields.items() if len(v) == 1}
    found = []
    vague = local_name(get.get("vagueQuantity", ""))
    if vague == "Dozen":
        found.append("a dozen")
    if vague in _WORDS:
        found.append(_WORDS[vague])
    if "minimumValue" in get and "maximumValue" in get:
        found.append(f"{get['minimumValue']} to {get['maximumValue']}")
    if "minimumValue" in get:
        found.append(f"at least {get['minimumValue']}")
    if "maximumValue" in get:
        found.append(f"at most {get['maximumValue']}")
    if "approximateValue" in get:
        found.append(f"about {get['approximateValue']}")
    if "exactValue" in get:
        found.append(get["exactValue"])
    return found


def _sugar(pairs: list, candidates, parse, v: Vocabulary) -> tuple[str | None, list]:
    """Pick the first phrase whose fields the record has exactly; drop them from `pairs`."""
    fields: dict[str, list[str]] = {}
    for p, o in pairs:
        fields.setdefault(p.value, []).append(o.value)
    present = {(p.value, o.value) for p, o in pairs}
    for phrase in candidates(fields):
        try:
            wanted = _phrase_terms(parse(phrase), v)
        except ValueError:
            continue
        props = {p for p, _ in wanted}
        if wanted <= present and all(len(fields[p]) == 1 for p in props):
            return phrase, [(p, o) for p, o in pairs if (p.value, o.value) not in wanted]
    return None, pairs


def decompile(turtle: Path, vocabulary: Vocabulary) -> str:
    """Return the card text of the report encoded in `turtle`.

    Raises
    ------
    conflictkg.errors.UsageError
        When the file holds what a card cannot say (a blank node other than a list, a
        property outside the ontology).
    """
    subjects: dict[str, list] = {}
    cells: dict = {}
    for quad in ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE):
        if isinstance(quad.subject, ox.BlankNode):
            cells.setdefault(quad.subject, {})[quad.predicate.value] = quad.object
            continue
        subjects.setdefault(quad.subject.value, []).append((quad.predicate, quad.object))

    def first(iri: str, prop: str) -> str | None:
        values = [o.value for p, o in subjects.get(iri, ()) if p.value == prop]
        return values[0] if values else None

    from collections import Counter

    counts = Counter(
        (first(s, CKG + "assertedBy"), first(s, CKG + "assertionStatus")) for s in subjects
        if first(s, CKG + "assertedBy") and first(s, CKG + "assertionStatus")
    )
    if not counts:
        raise UsageError(f"{turtle}: no record says its source and status")
    (source, status), _ = counts.most_common(1)[0]
    inline: dict[tuple[str, str], list[str]] = {}
    for iri, pairs in subjects.items():
        if (RDF + "type", CKG + "Statement") in {(p.value, o.value) for p, o in pairs}:
            about = first(iri, RDF + "subject")
            if about in subjects and about != iri:
                inline.setdefault((about, first(iri, RDF + "predicate")), []).append(iri)
    inlined = {s for group in inline.values() for s in group}
    lines = [f"source: {local_name(source)}", f"status: {local_name(status)}", "records:"]
    for iri, pairs in subjects.items():
        if iri in inlined:
            continue
        lines += _record(iri, pairs, source, status, subjects, cells, inline, vocabulary)
    return "\n".join(lines) + "\n"


def _list_text(node, cells) -> str:
    items = []
    while isinstance(node, ox.BlankNode):
        items.append(local_name(cells[node][RDF + "first"].value))
        node = cells[node][RDF + "rest"]
    return "[" + ", ".join(items) + "]"


def _record(iri, pairs, source, status, subjects, cells, inline, v) -> list[str]:
    lines = [f"  {local_name(iri)}:"]
    types = [local_name(o.value) for p, o in pairs if p.value == RDF + "type"]
    lines.append("    a: " + (types[0] if len(types) == 1 else "[" + ", ".join(types) + "]"))
    rest = [(p, o) for p, o in pairs if p.value != RDF + "type"]
    is_source = any(CKG + "Source" in v.ancestors(CKG + t) for t in types)
    defaults = {CKG + "assertedBy": source, CKG + "assertionStatus": status}
    own = {p.value for p, _ in rest}
    if is_source:
        pass
    elif not own & set(defaults):
        lines.append("    source: none")
        lines.append("    status: none")
    else:
        rest = [(p, o) for p, o in rest if defaults.get(p.value) != o.value]
        for prop in defaults:
            if prop not in own:
                lines.append(f"    {_KEYS[prop]}: none")
    when, rest = _sugar(rest, _date_candidates, date_fields, v)
    count, rest = _sugar(
        rest, _count_candidates, lambda t: count_fields(t, v.lower_bounds), v
    )
    grouped: dict[str, list[str]] = {}
    order: list[str] = []
    for p, o in rest:
        key = _KEYS.get(p.value)
        if key is None:
            if not p.value.startswith(CKG) and not p.value.startswith(RDF):
                raise UsageError(f"{local_name(iri)}: a card cannot say {p.value}")
            key = local_name(p.value)
        text = _list_text(o, cells) if isinstance(o, ox.BlankNode) else _value(o)
        if key not in grouped:
            order.append(key)
        grouped.setdefault(key, []).append(text)
    for prop_iri, key in ((p, local_name(p)) for p in dict.fromkeys(
            k[1] for k in inline if k[0] == iri)):
        for statement in inline[(iri, prop_iri)]:
            if key not in grouped:
                order.append(key)
            grouped.setdefault(key, []).append(
                _override(iri, key, statement, subjects[statement], source, status, cells)
            )
    label_first = [k for k in ("label", "prefLabel", "altLabel") if k in grouped]
    for key in label_first + [k for k in ("source", "status", "accordingTo", "relayedBy")
                              if k in grouped]:
        lines.append(_line(key, grouped[key]))
    if when:
        lines.append(f"    when: {when}")
    if count:
        lines.append(f"    count: {_scalar(count)}")
    for key in order:
        if key not in label_first and key not in ("source", "status", "accordingTo",
                                                  "relayedBy"):
            lines.append(_line(key, grouped[key]))
    return lines


def _line(key: str, values: list[str]) -> str:
    if len(values) == 1:
        return f"    {key}: {values[0]}"
    one = f"    {key}: [{', '.join(values)}]"
    if len(one) <= 100 and not any(v.startswith("{") for v in values):
        return one
    return f"    {key}:\n" + "\n".join(f"      - {value}" for value in values)


def _override(subject, key, iri, pairs, source, status, cells) -> str:
    fields: dict[str, list] = {}
    for p, o in pairs:
        fields.setdefault(p.value, []).append(o)
    target = fields[RDF + "object"][0]
    parts = [f"value: {_value(target)}"]
    local = local_name(target.value) if isinstance(target, ox.NamedNode) else "value"
    kebab = re.sub(r"(?<!^)(?=[A-Z])", "-", key).lower()
    if local_name(iri) != f"{local_name(subject)}-{kebab}-{local}":
        parts.append(f"id: {local_name(iri)}")
    skip = {RDF + "type", RDF + "subject", RDF + "predicate", RDF + "object"}
    for prop, values in fields.items():
        if prop in skip:
            continue
        if prop == CKG + "assertedBy" and values[0].value == source:
            continue
        name = _KEYS.get(prop, local_name(prop))
        shown = [_list_text(o, cells) if isinstance(o, ox.BlankNode) else _value(o)
                 for o in values]
        parts.append(f"{name}: " + (shown[0] if len(shown) == 1 else
                                     "[" + ", ".join(shown) + "]"))
    if CKG + "assertedBy" not in fields:
        parts.append("source: none")
    return "{" + ", ".join(parts) + "}"
