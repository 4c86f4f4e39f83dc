"""Write a card's triples as readable Turtle: one block per record, in the card's order.

Hand-written rather than rdflib's serializer: rdflib sorts subjects and objects
alphabetically and writes lists of intermediaries as nested blank nodes, while a researcher
reading the output compares it with the card, record by record; this writer keeps the
card's order, puts ``a`` and the label first and writes lists as Turtle collections.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox

from conflictkg.prefixes import PREFIXES as PROJECT_PREFIXES

__all__ = ["PREFIXES", "to_turtle"]

#: The prefixes a card's Turtle declares (those of the project its records use).
PREFIXES = {
    name: PROJECT_PREFIXES[name]
    for name in ("ckg", "ckr", "ckc", "acled", "gtd", "plover", "rdf", "rdfs", "skos", "xsd")
}
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*|[0-9][A-Za-z0-9_-]*")
_RDF = PREFIXES["rdf"]
_FIRST_KEYS = (_RDF + "type", PREFIXES["rdfs"] + "label")


def _iri(value: str) -> str:
    best = None
    for prefix, base in PREFIXES.items():
        if value.startswith(base) and (best is None or len(base) > len(PREFIXES[best])):
            best = prefix
    if best is not None:
        local = value[len(PREFIXES[best]):]
        if _LOCAL.fullmatch(local) and not local.endswith("-"):
            return f"{best}:{local}"
    return f"<{value}>"


def to_turtle(triples: list[ox.Triple], *, header: str = "") -> str:
    """Return `triples` as Turtle, grouped by subject in the order they first appear.

    Parameters
    ----------
    triples : list of pyoxigraph.Triple
        Named subjects; blank nodes only as the cells of RDF lists.
    header : str, optional
        Comment lines to open the file with (without the ``#``).
    """
    by_subject: dict = defaultdict(list)
    cells: dict = {}
    for triple in triples:
        if isinstance(triple.subject, ox.BlankNode):
            cells.setdefault(triple.subject, {})[triple.predicate.value] = triple.object
        else:
            by_subject[triple.subject].append((triple.predicate, triple.object))

    def term(value: ox.Term) -> str:
        if isinstance(value, ox.NamedNode):
            return "()" if value.value == _RDF + "nil" else _iri(value.value)
        if isinstance(value, ox.BlankNode):
            items = []
            while isinstance(value, ox.BlankNode):
                items.append(term(cells[value][_RDF + "first"]))
                value = cells[value][_RDF + "rest"]
            return "( " + " ".join(items) + " )"
        if value.datatype.value.startswith(PREFIXES["xsd"]) and value.language is None:
            if value.datatype.value == PREFIXES["xsd"] + "string":
                return str(value)
            if value.datatype.value == PREFIXES["xsd"] + "integer" and re.fullmatch(
                r"[+-]?\d+", value.value
            ):
                return value.value
            return f"{str(ox.Literal(value.value))}^^{_iri(value.datatype.value)}"
        return str(value)

    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [f"@prefix {p}: <{base}> ." for p, base in PREFIXES.items()]
    for subject, pairs in by_subject.items():
        grouped: dict = {}
        for predicate, obj in pairs:
            grouped.setdefault(predicate.value, []).append(term(obj))
        order = [k for k in _FIRST_KEYS if k in grouped] + [
            k for k in grouped if k not in _FIRST_KEYS
        ]
        lines.append("")
        body = []
        for key in order:
            shown = "a" if key == _RDF + "type" else _iri(key)
            body.append(f"    {shown} {' , '.join(grouped[key])}")
        lines.append(_iri(subject.value) + "\n" + " ;\n".join(body) + " .")
    return "\n".join(lines) + "\n"
