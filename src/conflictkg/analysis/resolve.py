"""Find the entity a researcher means by a label, or say which ones they might mean.

Researchers type names, not IRIs: ``JNIM``, ``wagner``, ``Malian army``. :func:`resolve`
looks the text up among ``rdfs:label``, ``skos:prefLabel`` and ``skos:altLabel`` values,
ignoring case, accents, curly quotes and repeated spaces, and also accepts a full IRI or a
compact one (``ckr:jnim``). Names (``rdfs:label``, ``skos:prefLabel``) win over aliases
(``skos:altLabel``): "Mali" is the state's name and nobody's alias, so it resolves even if
an alias elsewhere reads "Mali" too. Within the winning tier, two different entities make the
text ambiguous.

When nothing matches, or the match is not in the view being analysed, the error names the
nearest candidates, so that the command line can print them.

Examples
--------
>>> from conflictkg.rdf.loading import turtle_graph
>>> g = turtle_graph('''
... ckr:wagner-group a ckg:PrivateMilitaryCompany ; rdfs:label "Wagner Group"@en ;
...     skos:altLabel "Wagner"@en .
... ckr:mali a ckg:State ; rdfs:label "Mali"@en .
... ckr:mali-territory a ckg:Country ; rdfs:label "Mali"@en .
... ''')
>>> resolve(g, "wagner")
'https://w3id.org/conflictkg/id/wagner-group'
>>> resolve(g, "ckr:mali")
'https://w3id.org/conflictkg/id/mali'
>>> resolve(g, "Mali")
Traceback (most recent call last):
...
conflictkg.errors.AmbiguousLabelError: 'Mali' matches 2 entities: Mali (Country, \
ckr:mali-territory); Mali (State, ckr:mali). Give the IRI or the compact IRI instead.
>>> resolve(g, "Wagnr group")
Traceback (most recent call last):
...
conflictkg.errors.UnknownLabelError: no entity is labelled 'Wagnr group'; \
did you mean: Wagner Group (PrivateMilitaryCompany, ckr:wagner-group)?
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from conflictkg.errors import AmbiguousLabelError, UnknownLabelError
from conflictkg.namespaces import CKG, PREFIXES
from conflictkg.rdf.labels import label_table, normalise
from conflictkg.rdf.terms import compact, namespace_manager_for

__all__ = ["Candidate", "resolve"]

_CKG = str(CKG._NS)
_NAME_PREDICATES = (RDFS.label, SKOS.prefLabel)
_CURIE = re.compile(r"^([A-Za-z][\w.-]*):([^/].*)$")


@dataclass(frozen=True)
class Candidate:
    """An entity a label might mean.

    Parameters
    ----------
    iri : str
        The entity.
    label : str
        Its name.
    type : str
        Its most specific type (local name), or ``"Resource"``.
    curie : str
        Its compact IRI (``ckr:jnim``).
    """

    iri: str
    label: str
    type: str
    curie: str

    def __str__(self) -> str:
        """Write ``Label (Type, prefix:name)``."""
        return f"{self.label} ({self.type}, {self.curie})"


class _Index:
    """Labels of a graph, by folded text, in two tiers (names, then aliases)."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.names: dict[str, set] = {}
        self.aliases: dict[str, set] = {}
        for predicates, table in ((_NAME_PREDICATES, self.names), ((SKOS.altLabel,), self.aliases)):
            for predicate in predicates:
                for node, value in graph.subject_objects(predicate):
                    if isinstance(value, Literal) and isinstance(node, URIRef):
                        table.setdefault(normalise(str(value)), set()).add(node)
        # an alias a source gives in a statement of its own names the entity as well
        for statement in graph.subjects(RDF.predicate, SKOS.altLabel):
            node, value = graph.value(statement, RDF.subject), graph.value(statement, RDF.object)
            if isinstance(value, Literal) and isinstance(node, URIRef):
                self.aliases.setdefault(normalise(str(value)), set()).add(node)
        self.display = label_table(graph)
        self.manager = namespace_manager_for(graph)

    def candidate(self, node, among) -> Candidate:
        attrs = (
            among.nodes[str(node)]
            if among is not None and hasattr(among, "nodes") and (str(node) in among)
            else {}
        )
        kind = attrs.get("type") or self._type(node)
        label = attrs.get("label") or self.display.get(node) or compact(node, self.manager)
        return Candidate(str(node), label, kind, compact(URIRef(str(node)), self.manager))

    def _type(self, node) -> str:
        types = sorted(
            str(t) for t in self.graph.objects(node, RDF.type) if str(t).startswith(_CKG)
        )
        return types[0][len(_CKG) :] if types else "Resource"


def _expand(text: str, graph: Graph) -> URIRef | None:
    """Read `text` as a full or compact IRI, if it looks like one."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return URIRef(text)
    match = _CURIE.match(text)
    if match is None:
        return None
    prefix, local = match.groups()
    namespaces = dict(PREFIXES)
    namespaces.update({p: str(ns) for p, ns in graph.namespaces() if p and p not in namespaces})
    if prefix not in namespaces:
        return None
    return URIRef(namespaces[prefix] + local)


def _scope_name(among) -> str:
    view = getattr(among, "graph", {}).get("view") if among is not None else None
    return f"the {view} view" if view else "the entities analysed"


def resolve(graph: Graph, text: str, *, among: Collection | None = None) -> str:
    """Return the IRI of the one entity that `text` names.

    Parameters
    ----------
    graph : rdflib.Graph
        Where to look for labels (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``).
    text : str
        A label or alias (case, accents and spacing do not matter), a full IRI or a compact
        IRI with one of the project's prefixes.
    among : networkx.Graph or collection of str, optional
        Only these entities count (e.g. the nodes of the view being analysed); a networkx
        graph also gives the type and label shown for candidates.

    Returns
    -------
    str
        The entity's IRI.

    Raises
    ------
    UnknownLabelError
        If no entity (in `among`) has this label; the message and ``candidates`` list the
        closest labels, or the entities outside `among` that have it.
    AmbiguousLabelError
        If several entities share the label in the deciding tier; ``candidates`` lists them.

    Examples
    --------
    >>> from conflictkg.rdf.loading import turtle_graph
    >>> g = turtle_graph('''
    ... ckr:bamako rdfs:label "Bamako" . ckr:jnim rdfs:label "JNIM" .
    ... ''')
    >>> resolve(g, "jnim", among={"https://w3id.org/conflictkg/id/jnim"})
    'https://w3id.org/conflictkg/id/jnim'
    >>> resolve(g, "Bamako", among={"https://w3id.org/conflictkg/id/jnim"})
    Traceback (most recent call last):
    ...
    conflictkg.errors.UnknownLabelError: 'Bamako' names Bamako (Resource, \
ckr:bamako), which is not in the entities analysed
    """
    index = _Index(graph)
    scope = None if among is None else {str(n) for n in among}

    def inside(nodes) -> set:
        return {n for n in nodes if scope is None or str(n) in scope}

    iri = _expand(text.strip(), graph)
    if iri is not None:
        if scope is None or str(iri) in scope:
            if scope is not None or (iri, None, None) in graph or (None, None, iri) in graph:
                return str(iri)
            raise UnknownLabelError(f"no entity has the IRI {text.strip()}", text, [])
        found = [index.candidate(iri, among)]
        raise UnknownLabelError(
            f"{found[0]} is not in {_scope_name(among)}", text, found, outside=True
        )
    key = normalise(text)
    everywhere: set = set()
    for table in (index.names, index.aliases):
        nodes = table.get(key, set())
        everywhere |= nodes
        chosen = inside(nodes)
        if len(chosen) == 1:
            return str(next(iter(chosen)))
        if len(chosen) > 1:
            candidates = sorted(
                (index.candidate(n, among) for n in chosen),
                key=lambda c: (normalise(c.label), c.type, c.iri),
            )
            listed = "; ".join(str(c) for c in candidates)
            raise AmbiguousLabelError(
                f"{text!r} matches {len(candidates)} entities: {listed}. "
                "Give the IRI or the compact IRI instead.",
                text,
                candidates,
            )
    if everywhere:
        candidates = sorted((index.candidate(n, among) for n in everywhere), key=str)
        listed = "; ".join(str(c) for c in candidates)
        verb = "is" if len(candidates) == 1 else "are"
        raise UnknownLabelError(
            f"{text!r} names {listed}, which {verb} not in {_scope_name(among)}",
            text,
            candidates,
            outside=True,
        )
    candidates = _suggest(index, key, inside, among)
    scope_text = "" if among is None else f" in {_scope_name(among)}"
    message = f"no entity{scope_text} is labelled {text!r}"
    if candidates:
        message += "; did you mean: " + "; ".join(str(c) for c in candidates) + "?"
    raise UnknownLabelError(message, text, candidates)


def _suggest(index: _Index, key: str, inside, among, limit: int = 6) -> list[Candidate]:
    """List the entities whose labels contain `key` or look like it, closest first."""
    labels = {**index.aliases, **index.names}
    scored: dict = {}
    if key:
        for label, nodes in labels.items():
            if key in label or (len(label) >= 3 and label in key):
                for node in inside(nodes):
                    score = len(key) / max(len(label), len(key))
                    scored[node] = max(scored.get(node, 0.0), 1.0 + score)
        for label in difflib.get_close_matches(key, list(labels), n=limit, cutoff=0.6):
            ratio = difflib.SequenceMatcher(None, key, label).ratio()
            for node in inside(labels[label]):
                scored[node] = max(scored.get(node, 0.0), ratio)
    best = sorted(scored, key=lambda n: (-scored[n], str(n)))[:limit]
    return [index.candidate(n, among) for n in best]
