"""Compile a report card (YAML) into the triples of the statement model.

A card names its source and status once; each record is an entity or an event keyed by its
stable id, with the ontology's properties as keys (camelCase, as in the ontology) and, as
values, names of entities (an id, a label or an alias), codes (their local name or label),
numbers, dates and texts.  ``when`` and ``count`` take dates and counts as people write
them (:mod:`conflictkg.cards.phrases`).  A value written as a mapping with its own
``status``, ``accordingTo``, ``source``, ``madeIn`` or ``relayedBy`` becomes a
``ckg:Statement`` beside the record instead of a direct triple.  The card format is
described, with examples, in ``docs/cookbook.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from conflictkg.cards.phrases import count_fields, date_fields
from conflictkg.cards.source import Problems, Where, read_card, where
from conflictkg.cards.vocabulary import CKG, CKR, RDF, RDFS, SKOS, Vocabulary, local_name, near

__all__ = ["CARD_KEYS", "OVERRIDE_KEYS", "RECORD_KEYS", "Compiled", "compile_card"]

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Keys of the card itself.
CARD_KEYS = ("source", "status", "accordingTo", "relayedBy", "records")
#: Keys every record may have besides the ontology's properties.
RECORD_KEYS = ("a", "label", "prefLabel", "altLabel", "when", "count", "source", "status",
               "accordingTo", "relayedBy", "subject", "predicate", "object")
#: Keys of a value written as a mapping (a statement), besides the ontology's properties.
OVERRIDE_KEYS = ("value", "id", "source", "status", "accordingTo", "relayedBy", "madeIn")
_SPECIAL = {
    "label": RDFS + "label", "prefLabel": SKOS + "prefLabel", "altLabel": SKOS + "altLabel",
    "source": CKG + "assertedBy", "status": CKG + "assertionStatus",
    "subject": RDF + "subject", "predicate": RDF + "predicate", "object": RDF + "object",
}
_KEY_LOCAL = {"a": "type", "source": "assertedBy", "status": "assertionStatus"}
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE_PROPERTY = re.compile(r"(?:date|.*Date|.*On|deadline)")
STATEMENT = CKG + "Statement"
SOURCE = CKG + "Source"


@dataclass
class Compiled:
    """The triples a card gives, in card order, and where each node was written."""

    triples: list[ox.Triple] = field(default_factory=list)
    where: dict[str, Where] = field(default_factory=dict)
    keys: dict[tuple[str, str], Where] = field(default_factory=dict)
    subjects: list[str] = field(default_factory=list)

    def position(self, node: str, path: str | None = None) -> Where | None:
        """Return where the card wrote `node`, or its key `path` (``ckg:place``)."""
        if path:
            found = self.keys.get((node, local_name(path)))
            if found is not None:
                return found
        return self.where.get(node)


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _scalar(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _items(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]


class _Compiler:
    def __init__(self, vocabulary: Vocabulary, problems: Problems) -> None:
        self.v = vocabulary
        self.problems = problems
        self.out = Compiled()
        self.records: dict[str, tuple[set[str], yaml.Node]] = {}
        self.card_names: dict[str, set[str]] = {}
        self.in_source = False

    # --- names ---------------------------------------------------------------------
    def code(self, prop: str, scheme: str, node: yaml.Node) -> ox.NamedNode | None:
        text = _scalar(node)
        if text is None:
            self.problems.add(node, f"{prop}: give a code of the list, not a list or mapping")
            return None
        codes = self.v.schemes.get(scheme, {})
        found = codes.get(text.removeprefix("ckc:").casefold())
        if found is None:
            shown = sorted({local_name(c) for c in codes.values()})
            listed = ", ".join(shown[:40]) + (" ..." if len(shown) > 40 else "")
            self.problems.add(
                node,
                f"{prop}: unknown code {text!r}{near(text, shown)} (the list has: {listed})",
            )
            return None
        return ox.NamedNode(found)

    def name(self, prop: str, node: yaml.Node, range_iri: str | None) -> ox.NamedNode | None:
        text = _scalar(node)
        if text is None:
            self.problems.add(node, f"{prop}: give a name, not a list or mapping")
            return None
        if text.startswith("ckr:"):
            text = text[4:]
        if _ID.fullmatch(text) and (text in self.records or self.v.entity(text)):
            return ox.NamedNode(CKR + text)
        key = text.casefold()
        candidates = set(self.v.names.get(key, ())) | self.card_names.get(key, set())
        if not candidates and key in self.v.codes:
            candidates = set(self.v.codes[key])
        fitting = {c for c in candidates if self.v.fits(self._types(c), range_iri)}
        if len(fitting) == 1:
            return ox.NamedNode(fitting.pop())
        if len(fitting) > 1:
            listed = "; ".join(
                f"{local_name(c)} ({self.v.labels.get(c, '')})" for c in sorted(fitting)
            )
            self.problems.add(
                node, f"{prop}: the name {text!r} is ambiguous, it names {len(fitting)} "
                f"entities: {listed}; write the id"
            )
        elif candidates:
            named = ", ".join(sorted(map(local_name, candidates)))
            wanted = local_name(range_iri or "thing")
            self.problems.add(
                node, f"{prop}: {text!r} names {named}, which cannot be a value of {prop} "
                f"(it takes a {wanted})"
            )
        else:
            known = list(self.records) + [local_name(t) for t in self.v.types]
            known += [label for label in self.v.names] + list(self.card_names)
            self.problems.add(
                node, f"{prop}: no entity is named {text!r}{near(key, known)}; declare it "
                "as a record of the card, or give the id of an existing one"
            )
        return None

    def _types(self, iri: str) -> set[str]:
        local = local_name(iri)
        if iri == CKR + local and local in self.records:
            return self.records[local][0]
        return self.v.types.get(iri, set())

    # --- values --------------------------------------------------------------------
    def literal(self, prop: str, node: yaml.Node, range_iri: str | None,
                kind: str) -> ox.Literal | None:
        if not isinstance(node, yaml.ScalarNode):
            self.problems.add(node, f"{prop}: give a single value")
            return None
        text, tag = node.value, node.tag.rsplit(":", 1)[-1]
        date_property = range_iri == XSD + "date" or bool(_DATE_PROPERTY.fullmatch(prop))
        if range_iri == XSD + "integer" or (tag == "int" and not date_property):
            if not re.fullmatch(r"-?\d+", text):
                self.problems.add(node, f"{prop}: {text!r} is not a whole number")
                return None
            return ox.Literal(text, datatype=ox.NamedNode(XSD + "integer"))
        if date_property:
            for pattern, datatype in ((r"\d{4}-\d{2}-\d{2}", "date"),
                                      (r"\d{4}-\d{2}", "gYearMonth"), (r"\d{4}", "gYear")):
                if re.fullmatch(pattern, text):
                    return ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))
            self.problems.add(
                node, f"{prop}: {text!r} is not a date (write 2024-09-17, 2024-09 or 2024; "
                "use when: for dates in words)"
            )
            return None
        if range_iri == XSD + "duration":
            if not re.fullmatch(r"P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T[\dHMS.]+)?", text):
                self.problems.add(node, f"{prop}: {text!r} is not a duration (P3M, P1Y2M, P10D)")
                return None
            return ox.Literal(text, datatype=ox.NamedNode(XSD + "duration"))
        if range_iri == XSD + "string" and self.in_source:
            # A source's own description (publisher name, local copy) is not English text;
            # texts of events with the same range (demanded action) are.
            return ox.Literal(text)
        return ox.Literal(text, language="en")

    def values(self, prop: str, iri: str, node: yaml.Node) -> list[ox.Term]:
        info = self.v.properties.get(prop)
        found: list[ox.Term] = []
        for item in _items(node):
            if iri in (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel"):
                term = self.literal(prop, item, None, "annotation")
            elif iri == RDF + "predicate":
                term = self.predicate(item)
            elif info is not None and info.code_list:
                term = self.code(prop, info.code_list, item)
            elif info is None or info.kind == "object" or iri.startswith(RDF):
                term = self.name(prop, item, info.range if info else None)
            else:
                term = self.literal(prop, item, info.range, info.kind)
            if term is not None:
                found.append(term)
        return found

    def predicate(self, node: yaml.Node) -> ox.NamedNode | None:
        text = (_scalar(node) or "").removeprefix("ckg:")
        if text in self.v.properties:
            return ox.NamedNode(self.v.properties[text].iri)
        self.problems.add(node, f"predicate: unknown property {text!r}"
                          f"{near(text, self.v.properties)}")
        return None

    # --- records -------------------------------------------------------------------
    def key_iri(self, key: str, node: yaml.Node, statement: bool) -> str | None:
        allowed = OVERRIDE_KEYS if statement else RECORD_KEYS
        if key in _SPECIAL:
            return _SPECIAL[key]
        info = self.v.properties.get(key)
        if info is None:
            choices = list(self.v.properties) + list(allowed)
            self.problems.add(node, f"unknown key {key!r}{near(key, choices)}")
            return None
        return info.iri

    def emit(self, subject: str, iri: str, term: ox.Term) -> None:
        self.out.triples.append(ox.Triple(ox.NamedNode(subject), ox.NamedNode(iri), term))

    def relayed(self, subject: str, node: yaml.Node) -> None:
        names = [self.name("relayedBy", item, None) for item in _items(node)]
        if any(n is None for n in names):
            return
        head: ox.Term = ox.NamedNode(RDF + "nil")
        for name in reversed(names):
            cell = ox.BlankNode()
            self.out.triples.append(ox.Triple(cell, ox.NamedNode(RDF + "first"), name))
            self.out.triples.append(ox.Triple(cell, ox.NamedNode(RDF + "rest"), head))
            head = cell
        self.emit(subject, CKG + "relayedBy", head)

    def defaults(self, subject: str, keys: dict[str, yaml.Node], inherited: dict) -> None:
        """Emit the default source, status and voice of `subject`."""
        for key, iri in (("source", CKG + "assertedBy"), ("status", CKG + "assertionStatus"),
                         ("accordingTo", CKG + "accordingTo")):
            node = keys.get(key, inherited.get(key))
            if node is None or _scalar(node) in ("none", ""):
                continue
            if key == "status":
                term = self.code("status", self.v.properties["assertionStatus"].code_list,
                                 node)
            else:
                term = self.name(key, node, None)
            if term is not None:
                self.emit(subject, iri, term)
        node = keys.get("relayedBy", inherited.get("relayedBy"))
        if node is not None:
            self.relayed(subject, node)

    def record(self, key_node: yaml.Node, body: yaml.Node, card: dict) -> None:
        key = key_node.value
        subject = CKR + key
        self.out.where[subject] = where(key_node)
        self.out.subjects.append(subject)
        if not isinstance(body, yaml.MappingNode):
            self.problems.add(body, f"{key}: a record is a mapping of keys (a, label, ...)")
            return
        keys = {k.value: v for k, v in body.value}
        types = self.records[key][0]
        for cls in types:
            self.emit(subject, RDF + "type", ox.NamedNode(cls))
        is_source = any(SOURCE in self.v.ancestors(t) for t in types)
        self.in_source = is_source
        inherited = {} if is_source else card
        self.defaults(subject, keys, inherited)
        for key_node, value in body.value:
            name = key_node.value
            self.out.keys[(subject, _KEY_LOCAL.get(name, name))] = where(key_node)
            if name in ("a", "source", "status", "accordingTo", "relayedBy"):
                continue
            if name == "when":
                self.phrase(subject, value, date_fields)
                continue
            if name == "count":
                self.phrase(subject, value, lambda text: count_fields(text, self.v.lower_bounds))
                continue
            iri = self.key_iri(name, key_node, statement=False)
            if iri is None:
                continue
            for item in _items(value):
                if isinstance(item, yaml.MappingNode):
                    self.statement(subject, name, iri, item, keys, card)
                else:
                    for term in self.values(name, iri, item):
                        self.emit(subject, iri, term)

    def phrase(self, subject: str, node: yaml.Node, parse) -> None:
        text = _scalar(node)
        try:
            fields = parse(text if text is not None else "")
        except ValueError as error:
            self.problems.add(node, str(error))
            return
        for prop, value in fields:
            info = self.v.properties[prop]
            if isinstance(value, int):
                term: ox.Term = ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
            elif isinstance(value, str):
                term = ox.NamedNode(self.v.schemes[info.code_list][value.casefold()])
            else:
                term = ox.Literal(value.text, datatype=ox.NamedNode(XSD + value.datatype))
            self.emit(subject, info.iri, term)

    def statement(self, subject: str, prop: str, iri: str, node: yaml.MappingNode,
                  record_keys: dict, card: dict) -> None:
        keys = {k.value: v for k, v in node.value}
        if "value" not in keys:
            self.problems.add(node, f"{prop}: a value with its own source or status needs "
                              "value: (what is stated), then status:, accordingTo: ...")
            return
        objects = self.values(prop, iri, keys["value"])
        if len(objects) != 1:
            return
        target = objects[0]
        local = local_name(target.value) if isinstance(target, ox.NamedNode) else "value"
        ident = _statement_id(local_name(subject), prop, keys) or (
            f"{local_name(subject)}-{_kebab(prop)}-{local}")
        if not ident or not _ID.fullmatch(ident):
            self.problems.add(keys.get("id", node), f"id {ident!r}: use lower-case words "
                              "joined by hyphens")
            return
        node_iri = CKR + ident
        self.out.where[node_iri] = where(node)
        self.out.subjects.append(node_iri)
        self.emit(node_iri, RDF + "type", ox.NamedNode(STATEMENT))
        self.emit(node_iri, RDF + "subject", ox.NamedNode(subject))
        self.emit(node_iri, RDF + "predicate", ox.NamedNode(iri))
        self.emit(node_iri, RDF + "object", target)
        inherited = {"source": record_keys.get("source", card.get("source")),
                     "status": record_keys.get("status", card.get("status"))}
        self.defaults(node_iri, keys, {k: v for k, v in inherited.items() if v is not None})
        for key_node, value in node.value:
            name = key_node.value
            if name in ("value", "id", "source", "status", "accordingTo", "relayedBy"):
                continue
            other = CKG + "madeIn" if name == "madeIn" else self.key_iri(name, key_node, True)
            if other is not None:
                for term in self.values(name, other, value):
                    self.emit(node_iri, other, term)

    def declare(self, key_node: yaml.Node, body: yaml.Node, output_name: str | None) -> None:
        key = key_node.value
        if not _ID.fullmatch(str(key)):
            self.problems.add(key_node, f"record id {key!r}: use lower-case words joined by "
                              "hyphens, such as bamako-2024-09-17-attack")
            return
        known = self.v.entity(key)
        defined_in = self.v.entity_files.get(known or "")
        if defined_in and defined_in != output_name:
            self.problems.add(
                key_node, f"record id {key!r} is already defined in {_shown(defined_in)}: "
                "name it as a value instead, or choose another id"
            )
        types: set[str] = set()
        if isinstance(body, yaml.MappingNode):
            keys = {k.value: (k, v) for k, v in body.value}
            if "a" not in keys:
                self.problems.add(key_node, f"{key}: say what the record is (a: Attack, "
                                  "a: PersonGroup ...)")
            else:
                for item in _items(keys["a"][1]):
                    text = (_scalar(item) or "").removeprefix("ckg:")
                    if text in self.v.classes:
                        types.add(self.v.classes[text])
                    else:
                        self.problems.add(item, f"a: unknown class {text!r}"
                                          f"{near(text, self.v.classes)}")
            for prop_key, value in body.value:
                for item in _items(value):
                    if isinstance(item, yaml.MappingNode):
                        self._declare_statement(key, prop_key.value, item)
            for label_key in ("label", "prefLabel", "altLabel"):
                if label_key in keys:
                    for item in _items(keys[label_key][1]):
                        if _scalar(item):
                            self.card_names.setdefault(item.value.casefold(), set()).add(
                                CKR + key)
        self.records[key] = (types, body)

    def _declare_statement(self, subject_key: str, prop: str, node: yaml.MappingNode) -> None:
        ident = _statement_id(subject_key, prop, {k.value: v for k, v in node.value})
        if ident and _ID.fullmatch(ident):
            self.records.setdefault(ident, ({STATEMENT}, node))



def _shown(path: str) -> str:
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


def _statement_id(subject_key: str, prop: str, keys: dict) -> str | None:
    """Return the id of a statement written as a value: its ``id``, or one made up."""
    if "id" in keys:
        return _scalar(keys["id"])
    value = _scalar(keys.get("value")) or ""
    value = value.removeprefix("ckr:")
    return f"{subject_key}-{_kebab(prop)}-{value}" if _ID.fullmatch(value) else None


def compile_card(
    path: Path, vocabulary: Vocabulary, *, shown: str | None = None,
    output_name: str | None = None,
) -> Compiled:
    """Compile the card at `path` into triples.

    Parameters
    ----------
    path : pathlib.Path
        The card (YAML).
    vocabulary : Vocabulary
        The ontology's terms and the project's entities names resolve to.
    shown : str, optional
        How messages name the card.
    output_name : str, optional
        The file name of the Turtle this card writes: entities defined there are the card's
        own, not duplicates.

    Raises
    ------
    conflictkg.errors.CardError
        With every mistake at its line and column.
    """
    problems = Problems(shown or str(path))
    top = read_card(path, shown)
    card = {k.value: v for k, v in top.value}
    for key_node, _ in top.value:
        if key_node.value not in CARD_KEYS:
            problems.add(key_node, f"unknown key {key_node.value!r}"
                         f"{near(key_node.value, CARD_KEYS)} (a card has: "
                         f"{', '.join(CARD_KEYS)})")
    for needed in ("source", "status", "records"):
        if needed not in card:
            problems.add(Where(1, 1), f"the card needs {needed}:")
    compiler = _Compiler(vocabulary, problems)
    output_name = str(Path(output_name).resolve()) if output_name else None
    records = card.get("records")
    if records is not None and not isinstance(records, yaml.MappingNode):
        problems.add(records, "records: a mapping of record ids to records")
        records = None
    problems.raise_if_any()
    for key_node, body in records.value:
        compiler.declare(key_node, body, output_name)
    defaults = {k: card[k] for k in ("source", "status", "accordingTo", "relayedBy")
                if k in card}
    for key_node, body in records.value:
        if _ID.fullmatch(str(key_node.value)):
            compiler.record(key_node, body, defaults)
    problems.raise_if_any()
    return compiler.out
