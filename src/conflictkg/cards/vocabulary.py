"""What a card can name: the ontology's classes, properties and codes, and the entities.

The index is read with pyoxigraph's parser straight from the project's Turtle files (the
ontology, the code lists and ``graph/``): about 10,000 triples in some 40 ms, where loading
them into rdflib takes about ten times as long and would spend the whole time budget of
``conflictkg encode`` (0.5 s) on reading.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

__all__ = ["CKR", "Property", "Vocabulary", "local_name", "near"]

#: The IRI bases cards use, as plain strings: the cards package imports neither rdflib nor
#: the modules built on it (``conflictkg.namespaces``, ``conflictkg.rdf``), since importing
#: rdflib costs about 130 ms, a quarter of the 0.5 s ``conflictkg encode`` may take.
CKR = "https://w3id.org/conflictkg/id/"
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
CKG = "https://w3id.org/conflictkg/ontology#"
_KINDS = {
    OWL + "ObjectProperty": "object",
    OWL + "DatatypeProperty": "datatype",
    OWL + "AnnotationProperty": "annotation",
}
_NAMES = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel")


@dataclass
class Property:
    """A property of the ontology as a card uses it."""

    iri: str
    kind: str
    range: str | None = None
    code_list: str | None = None
    label: str = ""


@dataclass
class Vocabulary:
    """Classes, properties, codes and named entities, indexed by the names a card uses."""

    classes: dict[str, str] = field(default_factory=dict)
    properties: dict[str, Property] = field(default_factory=dict)
    superclasses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    schemes: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    scheme_labels: dict[str, str] = field(default_factory=dict)
    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    lower_bounds: dict[str, int] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, str] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    entity_files: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, ontology: Iterable[Path], data: Iterable[Path]) -> Vocabulary:
        """Index the terms of the `ontology` files and the entities of the `data` files."""
        vocabulary = cls()
        triples: list[tuple] = []
        for path in ontology:
            triples += [(q.subject, q.predicate, q.object, None) for q in _parse(path)]
        for path in data:
            where = str(path.resolve())
            triples += [(q.subject, q.predicate, q.object, where) for q in _parse(path)]
        vocabulary._index(triples)
        return vocabulary

    def _index(self, triples: list[tuple]) -> None:
        in_scheme: list[tuple[str, str]] = []
        for s, p, o, file in triples:
            if not isinstance(s, ox.NamedNode):
                continue
            subject, predicate = s.value, p.value
            if predicate == RDF + "type" and isinstance(o, ox.NamedNode):
                kind = _KINDS.get(o.value)
                if kind and subject.startswith(CKG):
                    self.properties.setdefault(
                        subject.removeprefix(CKG), Property(subject, kind)
                    ).kind = kind
                elif o.value == OWL + "Class" and subject.startswith(CKG):
                    self.classes[subject.removeprefix(CKG)] = subject
                elif file is not None:
                    self.types[subject].add(o.value)
                    self.entity_files.setdefault(subject, file)
            elif predicate == RDFS + "subClassOf" and isinstance(o, ox.NamedNode):
                self.superclasses[subject].add(o.value)
            elif predicate == SKOS + "inScheme":
                in_scheme.append((subject, o.value))
            elif predicate == CKG + "vagueLowerBound":
                self.lower_bounds[subject] = int(o.value)
            elif predicate in _NAMES and isinstance(o, ox.Literal):
                if predicate != SKOS + "altLabel":
                    self.labels.setdefault(subject, o.value)
                if file is not None:
                    self.names[o.value.casefold()].add(subject)
                elif subject.startswith(CKG):
                    self._label_property(subject, o.value)
                else:
                    self.scheme_labels.setdefault(subject, o.value)
            elif predicate in (RDFS + "range", CKG + "codeList") and subject.startswith(CKG):
                prop = self.properties.setdefault(
                    subject.removeprefix(CKG), Property(subject, "object")
                )
                if predicate == RDFS + "range":
                    prop.range = o.value
                else:
                    prop.code_list = o.value
        for code, scheme in in_scheme:
            local = local_name(code)
            self.schemes[scheme][local.casefold()] = code
            label = self.scheme_labels.get(code)
            if label:
                self.schemes[scheme].setdefault(label.casefold(), code)
            self.codes[local.casefold()].add(code)
        for subject in list(self.properties):
            prop = self.properties[subject]
            prop.label = self.labels.get(prop.iri, subject)

    def _label_property(self, subject: str, label: str) -> None:
        prop = self.properties.get(subject.removeprefix(CKG))
        if prop is not None:
            prop.label = label

    def ancestors(self, cls_iri: str) -> set[str]:
        """Return `cls_iri` and every class it is a subclass of."""
        seen, todo = {cls_iri}, [cls_iri]
        while todo:
            for parent in self.superclasses.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def fits(self, entity_types: Iterable[str], range_iri: str | None) -> bool:
        """Whether an entity of `entity_types` may be a value of a property of `range_iri`."""
        if range_iri is None or not range_iri.startswith(CKG):
            return True
        return any(range_iri in self.ancestors(t) for t in entity_types)

    def entity(self, local: str) -> str | None:
        """Return the IRI of the project entity whose local name is `local`, or None."""
        iri = CKR + local
        return iri if iri in self.types else None


def _parse(path: Path) -> Iterable:
    return ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)



def local_name(iri: str) -> str:
    """Return the part of `iri` after its last ``#`` or ``/``.

    The rule of :func:`conflictkg.rdf.terms.local_name`, for plain strings, without
    importing rdflib (see :data:`CKR`).

    Examples
    --------
    >>> local_name("https://w3id.org/conflictkg/code/ClaimedByParty")
    'ClaimedByParty'
    """
    return iri.rstrip("#/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def near(word: str, choices: Iterable[str], n: int = 3) -> str:
    """Say which of `choices` are closest to `word` (``"; did you mean a, b?"`` or ``""``)."""
    found = difflib.get_close_matches(word, list(dict.fromkeys(choices)), n=n, cutoff=0.6)
    return f"; did you mean {', '.join(found)}?" if found else ""
