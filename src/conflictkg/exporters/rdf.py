"""RDF exports: Turtle, N-Triples, JSON-LD with the shipped context, TriG by source.

All four write the whole graph: ontology, code lists and data. Filters on status and dates
leave out the records (subjects with ``ckg:assertedBy`` or ``ckg:assertionStatus``) that fail
them, with every statement whose subject they are.

JSON-LD
    Compacted against ``conflictkg/context.jsonld``, which ships inside the package and is
    embedded in every file as ``@context`` (never referenced by URL, so no processor fetches
    anything). The context declares the project prefixes, English as the default language,
    a term per ontology property (``perpetrator``, ``date``...) with its value type (IRIs for
    object properties, ``xsd:integer`` or ``xsd:date`` where that is the property's range),
    and ``label``, ``prefLabel``, ``altLabel``, ``definition``, ``comment``. Values that do not
    fit a term's declared type are written as value objects (``{"@value": "2017", "@type":
    "xsd:gYear"}``), so nothing is lost. :func:`build_context` derives the context from the
    ontology; a test checks that the shipped file matches it.
TriG
    The default graph holds the ontology, the code lists and every statement that is not a
    record's: actors, places, sources and their descriptions. Each source has one named
    graph, named with the source's own IRI, that holds the records it asserts (every
    statement whose subject is the record, and the blank nodes hanging from it). A record
    asserted by two sources is in both graphs.

Examples
--------
>>> from conflictkg.rdf.loading import turtle_graph
>>> g = turtle_graph('''
... ckr:e a ckg:Attack ; ckg:perpetrator ckr:g ; ckg:earliestDate "2024-09-17"^^xsd:date ;
...     ckg:assertedBy ckr:r ; ckg:assertionStatus ckc:Reported .
... ckr:g a ckg:JihadistGroup .
... ''')
>>> import json
>>> node = [n for n in json.loads(to_jsonld(g))["@graph"] if n["@id"] == "ckr:e"][0]
>>> node["perpetrator"], node["earliestDate"], node["assertedBy"]
('ckr:g', '2024-09-17', 'ckr:r')
>>> print(to_trig(g).decode().split("ckr:r {")[0].strip().splitlines()[-1])
ckr:g a ckg:JihadistGroup .
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from conflictkg.errors import EmptyProjectionError
from conflictkg.exporters.common import Progress, json_text, no_progress
from conflictkg.namespaces import CKG, PREFIXES
from conflictkg.projection.filters import Filters
from conflictkg.rdf import serialization
from conflictkg.rdf.labels import preferred_label
from conflictkg.rdf.serialization import sorted_triples, used_prefixes
from conflictkg.rdf.terms import local_name

__all__ = [
    "CONTEXT_FILE",
    "build_context",
    "context_text",
    "load_context",
    "record_filter",
    "to_jsonld",
    "to_ntriples",
    "to_trig",
    "to_turtle",
    "write_context",
]

#: Name of the JSON-LD context file inside the ``conflictkg`` package.
CONTEXT_FILE = "context.jsonld"

_CKG = str(CKG._NS)
_NAMED_TERMS = {
    "label": RDFS.label,
    "comment": RDFS.comment,
    "prefLabel": SKOS.prefLabel,
    "altLabel": SKOS.altLabel,
    "definition": SKOS.definition,
}
_RECORD_DATES = (
    (CKG.startDate, "start"),
    (CKG.endDate, "end"),
    (CKG.date, "date"),
    (CKG.earliestDate, "earliest"),
    (CKG.latestDate, "latest"),
    (CKG.ongoingOn, "ongoing_on"),
)


# --- Turtle and N-Triples ----------------------------------------------------------------


def record_filter(graph: Graph, filters: Filters) -> set:
    """Return the records of `graph` that `filters` leave out.

    Parameters
    ----------
    graph : rdflib.Graph
        The whole graph.
    filters : conflictkg.projection.Filters
        Statuses and dates to keep.

    Returns
    -------
    set of rdflib terms
        Subjects with ``ckg:assertedBy`` or ``ckg:assertionStatus`` that fail the filters
        (empty when no filter is active).

    Raises
    ------
    EmptyProjectionError
        If the filters leave out every record (the export would hold no fact).
    """
    if not filters.active:
        return set()
    records = set(graph.subjects(CKG.assertedBy, None)) | set(
        graph.subjects(CKG.assertionStatus, None)
    )
    dropped = set()
    judged = 0  # records a filter applies to (every one for a status filter, dated ones else)
    by_status = filters.statuses is not None or bool(filters.exclude_statuses)
    for record in records:
        attrs: dict[str, Any] = {}
        status = graph.value(record, CKG.assertionStatus)
        if status is not None:
            attrs["status"] = local_name(status)
            label = preferred_label(status, graph)
            if label is not None:
                attrs["status_label"] = label
        for predicate, key in _RECORD_DATES:
            value = graph.value(record, predicate)
            if value is not None:
                attrs[key] = str(value)
        judged += by_status or len(attrs) > ("status" in attrs) + ("status_label" in attrs)
        if not filters.keeps(attrs):
            dropped.add(record)
    if judged and len(dropped) == judged:
        raise EmptyProjectionError(
            f"the export is empty with {filters.describe()}: the filters left out all "
            f"{judged} record(s) they apply to"
        )
    return dropped


def _blank_owners(graph: Graph, owners: dict[Any, set]) -> None:
    """Give blank nodes the owners of the subjects that point to them (transitively)."""
    todo = list(owners)
    while todo:
        subject = todo.pop()
        for value in graph.objects(subject, None):
            if isinstance(value, BNode) and not owners[subject] <= owners.get(value, set()):
                owners.setdefault(value, set()).update(owners[subject])
                todo.append(value)


def _filtered(graph: Graph, filters: Filters) -> Graph:
    dropped = record_filter(graph, filters)
    if not dropped:
        return graph
    owners = {record: {"dropped"} for record in dropped}
    _blank_owners(graph, owners)
    kept = Graph()
    for prefix, namespace in graph.namespaces():
        kept.bind(prefix, namespace)
    for triple in graph:
        if triple[0] not in owners:
            kept.add(triple)
    return kept


_WRITER_NOTES = """

    Parameters
    ----------
    graph : rdflib.Graph
        The whole graph.
    filters : conflictkg.projection.filters.Filters, optional
        Records to keep (the others are left out with every statement about them).
    progress : callable, optional
        Progress reporter.

    Returns
    -------
    bytes
        {returns}
"""


def _graph_writer(returns: str) -> Callable[[Callable[..., bytes]], Callable[..., bytes]]:
    """Make an RDF writer of a function of the filtered graph (see ``table_writer``)."""

    def decorate(write: Callable[..., bytes]) -> Callable[..., bytes]:
        @functools.wraps(write)
        def writer(
            graph: Graph, *, filters: Filters | None = None, progress: Progress = no_progress
        ) -> bytes:
            return write(_filtered(graph, filters or Filters()), progress)

        writer.__doc__ = (write.__doc__ or "").rstrip() + _WRITER_NOTES.format(returns=returns)
        return writer

    return decorate


@_graph_writer("UTF-8 Turtle.")
def to_turtle(graph: Graph, progress: Progress) -> bytes:
    """Write `graph` as Turtle, sorted, with the project prefixes."""
    return serialization.to_turtle(graph)


@_graph_writer("UTF-8 N-Triples.")
def to_ntriples(graph: Graph, progress: Progress) -> bytes:
    """Write `graph` as N-Triples, one sorted statement a line."""
    return serialization.to_ntriples(graph)


# --- TriG ------------------------------------------------------------------------------------


def _key(term: Any) -> str:
    return f"_:{term}" if isinstance(term, BNode) else f"<{term}>"


@_graph_writer("UTF-8 TriG.")
def to_trig(graph: Graph, progress: Progress) -> bytes:
    """Write `graph` as TriG: a named graph per source, the rest in the default graph."""
    owners: dict[Any, set] = defaultdict(set)
    for record, source in graph.subject_objects(CKG.assertedBy):
        if isinstance(source, URIRef):
            owners[record].add(source)
    _blank_owners(graph, owners)
    graph_of = {_key(subject): sorted(sources) for subject, sources in owners.items()}
    triples = sorted_triples([graph])
    names: dict[URIRef, ox.NamedNode] = {}
    quads = []
    for triple in progress(triples, len(triples), "writing TriG"):
        sources = graph_of.get(str(triple.subject))
        if not sources:
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object))
            continue
        for source in sources:
            name = names.get(source)
            if name is None:
                name = names[source] = ox.NamedNode(str(source))
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, name))
    prefixes = used_prefixes(triples, PREFIXES)
    quads.sort(key=lambda q: (not isinstance(q.graph_name, ox.DefaultGraph), str(q.graph_name)))
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)


# --- JSON-LD ---------------------------------------------------------------------------------


def build_context(ontology: Graph) -> dict[str, Any]:
    """Derive the JSON-LD context from the ontology.

    Parameters
    ----------
    ontology : rdflib.Graph
        ``ontology/conflictkg.ttl`` (alone or with the other ontology files).

    Returns
    -------
    dict
        ``{"@context": {...}}``: the project prefixes, ``"@language": "en"``, the label terms
        and one term per ``ckg:`` property, typed by its kind and range.

    Raises
    ------
    ValueError
        If a property's local name collides with a prefix or another term.
    """
    context: dict[str, Any] = {"@language": "en"}
    context.update(PREFIXES)
    for name, iri in _NAMED_TERMS.items():
        context[name] = {"@id": _curie(str(iri))}
    properties = set()
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property):
        properties.update(p for p in ontology.subjects(RDF.type, kind) if str(p).startswith(_CKG))
    for prop in sorted(properties, key=str):
        name = str(prop)[len(_CKG):]
        if name in context:
            raise ValueError(f"the property ckg:{name} collides with the JSON-LD term {name!r}")
        term: dict[str, Any] = {"@id": f"ckg:{name}"}
        if (prop, RDF.type, OWL.ObjectProperty) in ontology:
            term["@type"] = "@id"
        else:
            ranges = [r for r in ontology.objects(prop, RDFS.range) if str(r).startswith(str(XSD))]
            if len(ranges) == 1 and ranges[0] == XSD.string:
                term["@language"] = None
            elif len(ranges) == 1:
                term["@type"] = _curie(str(ranges[0]))
        context[name] = term
    return {"@context": context}


def _curie(iri: str) -> str:
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    rest = iri[len(PREFIXES[best]):] if best else ""
    if best and rest and not rest.startswith("//"):
        return f"{best}:{rest}"
    return iri


def context_text(context: dict[str, Any]) -> str:
    """Format a context document with one prefix or term a line (the shipped file's layout).

    Regenerate the shipped file after changing the ontology with::

        python -c "from conflictkg.exporters.rdf import write_context; write_context()"

    Parameters
    ----------
    context : dict
        ``{"@context": {...}}``.

    Returns
    -------
    str
        JSON text.

    Examples
    --------
    >>> print(context_text({"@context": {"@language": "en", "label": {"@id": "rdfs:label"}}}))
    {"@context": {
      "@language": "en",
      "label": {"@id": "rdfs:label"}
    }}
    """
    lines = [
        f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in context["@context"].items()
    ]
    return '{"@context": {\n' + ",\n".join(lines) + "\n}}"


def write_context() -> None:
    """Rewrite ``src/conflictkg/context.jsonld`` from the checkout's ontology."""
    from conflictkg import resources
    from conflictkg.atomic import write_text_atomic
    from conflictkg.rdf.loading import load_files

    context = build_context(load_files(resources.ontology_files()))
    target = importlib_resources.files("conflictkg").joinpath(CONTEXT_FILE)
    write_text_atomic(str(target), context_text(context) + "\n")


@cache
def load_context() -> dict[str, Any]:
    """Return the JSON-LD context shipped in the package (``conflictkg/context.jsonld``).

    Returns
    -------
    dict
        ``{"@context": {...}}``.
    """
    text = importlib_resources.files("conflictkg").joinpath(CONTEXT_FILE).read_text("utf-8")
    return json.loads(text)


class _Compactor:
    """Compact terms against the shipped context (a restricted, exact compaction)."""

    def __init__(self, context: dict[str, Any]):
        self.prefixes = sorted(
            ((k, v) for k, v in context.items() if isinstance(v, str) and not k.startswith("@")),
            key=lambda item: -len(item[1]),
        )
        self.language = context.get("@language")
        self.terms: dict[str, tuple[str, Any]] = {}
        for name, definition in context.items():
            if isinstance(definition, dict):
                iri = self.expand(definition["@id"])
                if "@type" in definition:
                    coercion = definition["@type"]
                    if coercion != "@id":
                        coercion = self.expand(coercion)
                elif "@language" in definition:
                    coercion = ("language", definition["@language"])
                else:
                    coercion = ("language", self.language)
                self.terms[iri] = (name, coercion)
        self.schemes = {prefix for prefix, _ in self.prefixes}
        self.cache: dict[str, str] = {}

    def expand(self, curie: str) -> str:
        prefix, _, rest = curie.partition(":")
        for name, namespace in self.prefixes:
            if name == prefix:
                return namespace + rest
        return curie

    def iri(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is None:
            found = iri
            for prefix, namespace in self.prefixes:
                rest = iri[len(namespace):]
                if iri.startswith(namespace) and rest and not rest.startswith("//"):
                    found = f"{prefix}:{rest}"
                    break
            else:
                if iri.partition(":")[0] in self.schemes:
                    raise ValueError(
                        f"the IRI <{iri}> cannot be written in JSON-LD with the shipped context: "
                        "its scheme is one of the context's prefixes"
                    )
            self.cache[iri] = found
        return found

    def node(self, term: Any) -> str:
        return f"_:{term}" if isinstance(term, BNode) else self.iri(str(term))

    def key(self, predicate: URIRef) -> tuple[str, Any]:
        found = self.terms.get(str(predicate))
        if found is not None:
            return found
        return self.iri(str(predicate)), ("language", self.language)

    def value(self, obj: Any, coercion: Any) -> Any:
        if not isinstance(obj, Literal):
            ref = self.node(obj)
            return ref if coercion == "@id" else {"@id": ref}
        text = str(obj)
        if obj.language:
            if coercion == ("language", obj.language):
                return text
            return {"@value": text, "@language": obj.language}
        datatype = str(obj.datatype) if obj.datatype is not None else str(XSD.string)
        if datatype == str(XSD.string):
            return text if coercion == ("language", None) else {"@value": text}
        if coercion == datatype:
            return text
        return {"@value": text, "@type": self.iri(datatype)}


@_graph_writer('UTF-8 JSON: ``{"@context": {...}, "@graph": [node objects sorted by @id]}``.')
def to_jsonld(graph: Graph, progress: Progress) -> bytes:
    """Write `graph` as JSON-LD compacted with the shipped context (embedded, not linked)."""
    context = load_context()["@context"]
    compactor = _Compactor(context)
    by_subject: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
    for s, p, o in graph:
        by_subject[s].append((p, o))
    nodes = []
    subjects = sorted(by_subject, key=lambda s: (isinstance(s, BNode), str(s)))
    for subject in progress(subjects, len(subjects), "writing JSON-LD"):
        node: dict[str, Any] = {"@id": compactor.node(subject)}
        properties: dict[str, list[Any]] = defaultdict(list)
        types = []
        for predicate, obj in by_subject[subject]:
            if predicate == RDF.type and not isinstance(obj, Literal):
                types.append(compactor.node(obj))
                continue
            name, coercion = compactor.key(predicate)
            properties[name].append(compactor.value(obj, coercion))
        if types:
            types.sort()
            node["@type"] = types[0] if len(types) == 1 else types
        for name in sorted(properties):
            values = sorted(properties[name], key=lambda v: json.dumps(v, sort_keys=True))
            node[name] = values[0] if len(values) == 1 else values
        nodes.append(node)
    document = {"@context": context, "@graph": nodes}
    return (json_text(document, depth=2) + "\n").encode("utf-8")
