"""Check data and ontology against the project's SHACL shapes.

:func:`validate` runs pySHACL once over a data graph with the ontology and
code lists mixed in, so that class targets reach subclasses and code values
can be checked against their schemes.  (pySHACL's ``ont_graph`` option would
copy only the RDFS/OWL axioms, not the SKOS code lists, so the mixing is done
here, into a scratch graph that pySHACL then validates in place.)  It then
runs the closed-vocabulary check in Python: every IRI of the ``ckg:``
namespace used in the data must be defined by the ontology.  As a
SHACL-SPARQL shape that check took seconds; as a set difference it takes
milliseconds.  Its results are added to the
SHACL report with ``ckgsh:ClosedVocabulary`` as their source shape.

:func:`violations` turns a report into :class:`Violation` records for people:
a label for the focus node, the rule's name, and, for an undefined ``ckg:``
term, the nearest defined one ("did you mean ckg:perpetrator?").

Conformance: results of severity ``sh:Warning`` or ``sh:Info`` are reported
but do not make the data fail, unless ``strict=True`` is given.

Examples
--------
>>> from rdflib import Graph, URIRef
>>> ontology = Graph().parse(data='''
...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
...     @prefix ckg: <https://w3id.org/conflictkg/ontology#> .
...     ckg:Event a owl:Class . ckg:perpetrator a owl:ObjectProperty .
... ''', format="turtle")
>>> terms = Vocabulary.from_ontology(ontology)
>>> terms.suggest("perpetratr")
'perpetrator'
>>> terms.defines(URIRef(str(CKG) + "Event")), terms.defines(URIRef(str(CKG) + "Evnt"))
(True, False)
"""

from __future__ import annotations

import contextlib
import difflib
import inspect
import re
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

import pyshacl
from pyparsing import ParseBaseException
from pyshacl.errors import (
    ConstraintLoadError,
    ReportableRuntimeError,
    RuleLoadError,
    ShapeLoadError,
)
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, NamespaceManager
from rdflib.plugins.sparql import processor as sparql_processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from conflictkg import resources
from conflictkg.errors import ShapesError
from conflictkg.namespaces import CKG, CKR
from conflictkg.rdf.labels import preferred_label
from conflictkg.rdf.loading import load_files
from conflictkg.rdf.terms import compact, local_name, namespace_manager_for

__all__ = [
    "CKGSH",
    "CLOSED_VOCABULARY_SHAPE",
    "PYTHON_RULES",
    "Finding",
    "OntologyIndex",
    "Violation",
    "Vocabulary",
    "python_rule_findings",
    "undefined_terms",
    "check",
    "validate",
    "validate_ontology",
    "violations",
]

#: Namespace of the project's SHACL shapes.
CKGSH = Namespace("https://w3id.org/conflictkg/shapes#")

#: Source shape given to the results of the closed-vocabulary check.
CLOSED_VOCABULARY_SHAPE = CKGSH.ClosedVocabulary

#: Rules that look at the whole graph at once and are computed in Python (set
#: operations over one pass of the triples), declared in ``ontology/shapes.ttl`` with
#: these names.  As SHACL-SPARQL over every triple they cost seconds on the Bamako
#: graph already; here they cost one pass, and they can name the nearest defined term.
PYTHON_RULES = (
    CLOSED_VOCABULARY_SHAPE,
    CKGSH.KnownClass,
    CKGSH.DefinedValue,
    CKGSH.CodeFromItsList,
    CKGSH.ValueOfItsRange,
)

_CKG = str(CKG)
_CKR = str(CKR)
_CODE_LIST = URIRef(_CKG + "codeList")
_SKOS_IN_SCHEME = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
_SKOS_PREF_LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
_SKOS_CONCEPT = URIRef("http://www.w3.org/2004/02/skos/core#Concept")
_CLASS_TYPES = frozenset({OWL.Class, RDFS.Class, RDFS.Datatype})
_PROPERTY_TYPES = frozenset(
    {
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        RDF.Property,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.TransitiveProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
    }
)
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_PYSHACL_ERRORS = (
    ShapeLoadError,
    ConstraintLoadError,
    RuleLoadError,
    ReportableRuntimeError,
    ParseBaseException,  # a SPARQL constraint whose query does not parse
)
# Links from a shape to the shapes inside it; an anonymous shape is named
# after the nearest named shape that contains it.
_NESTING = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape, SH.sparql)
_LIST_OWNERS = (SH["and"], SH["or"], SH.xone)


@dataclass(frozen=True)
class Violation:
    """One validation result, ready to show to a person.

    Attributes
    ----------
    focus : str
        IRI of the node that fails (``_:id`` for a blank node).
    focus_label : str
        Its ``rdfs:label`` or ``skos:prefLabel`` in the data, else a compact IRI.
    rule : str
        ``sh:name`` of the source constraint or shape, else its ``rdfs:label``,
        else the rule identifier.
    rule_id : str
        Local name of the source shape (e.g. ``RecordHasStatus``), or of the
        constraint component when the shape is anonymous.
    path : str or None
        The property path, compact (``ckg:assertedBy``, ``^ckg:countOf``).
    value : str or None
        The offending value, compact IRI or Turtle literal.
    severity : str
        ``Violation``, ``Warning`` or ``Info``.
    message : str
        What is wrong, with a suggestion for undefined ``ckg:`` terms.
    """

    focus: str
    focus_label: str
    rule: str
    rule_id: str
    path: str | None
    value: str | None
    severity: str
    message: str

    def as_dict(self) -> dict[str, str | None]:
        """Return the fields as a JSON-ready dictionary.

        Returns
        -------
        dict
            Field name to value.
        """
        return asdict(self)


@dataclass(frozen=True)
class Vocabulary:
    """The ``ckg:`` terms an ontology defines, by local name.

    Attributes
    ----------
    classes : frozenset of str
        Local names of terms typed as a class (``owl:Class``, ``rdfs:Class``).
    properties : frozenset of str
        Local names of terms typed as a property (``owl:ObjectProperty``,
        ``owl:DatatypeProperty``, ``owl:AnnotationProperty``,
        ``rdf:Property`` and the OWL property characteristics).
    """

    classes: frozenset[str]
    properties: frozenset[str]

    @classmethod
    def from_ontology(cls, ontology_graph: Graph) -> Vocabulary:
        """Collect the ``ckg:`` terms defined in `ontology_graph`.

        Parameters
        ----------
        ontology_graph : rdflib.Graph
            The ontology.

        Returns
        -------
        Vocabulary
            Its classes and properties in the ``ckg:`` namespace.
        """
        classes: set[str] = set()
        properties: set[str] = set()
        for term, kind in ontology_graph.subject_objects(RDF.type):
            if not isinstance(term, URIRef) or not term.startswith(_CKG):
                continue
            if kind in _CLASS_TYPES:
                classes.add(term[len(_CKG) :])
            elif kind in _PROPERTY_TYPES:
                properties.add(term[len(_CKG) :])
        return cls(frozenset(classes), frozenset(properties))

    def defines(self, iri: Node) -> bool:
        """Tell whether `iri` is a ``ckg:`` term defined here.

        Parameters
        ----------
        iri : rdflib.term.Node
            Any term.

        Returns
        -------
        bool
            ``False`` only for an IRI in the ``ckg:`` namespace that is neither
            a defined class nor a defined property; ``True`` for everything
            else (other namespaces are not this check's business).
        """
        if not isinstance(iri, URIRef) or not iri.startswith(_CKG):
            return True
        name = iri[len(_CKG) :]
        return name in self.classes or name in self.properties

    def suggest(self, name: str, kind: str | None = None) -> str | None:
        """Return the defined local name closest to `name`, if any is close.

        Parameters
        ----------
        name : str
            An undefined local name.
        kind : {"class", "property"}, optional
            Restrict the candidates to classes or to properties.

        Returns
        -------
        str or None
            The nearest defined local name (case is ignored when comparing).
        """
        if kind == "class":
            pool = self.classes
        elif kind == "property":
            pool = self.properties
        else:
            pool = self.classes | self.properties
        by_lower: dict[str, str] = {}
        for candidate in sorted(pool):
            by_lower.setdefault(candidate.lower(), candidate)
        found = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
        if not found and kind is not None:
            return self.suggest(name)
        return by_lower[found[0]] if found else None

    def hint(self, iri: URIRef, kind: str | None = None) -> str:
        """Explain that `iri` is undefined and name the nearest defined term.

        Parameters
        ----------
        iri : rdflib.URIRef
            An undefined ``ckg:`` IRI.
        kind : {"class", "property"}, optional
            What the term is used as.

        Returns
        -------
        str
            E.g. ``ckg:perpetratr is not defined in the ontology; did you mean
            ckg:perpetrator?``
        """
        name = iri[len(_CKG) :]
        text = f"ckg:{name} is not defined in the ontology"
        nearest = self.suggest(name, kind)
        if nearest is not None:
            text += f"; did you mean ckg:{nearest}?"
        return text


def undefined_terms(
    data_graph: Graph, vocabulary: Vocabulary
) -> list[tuple[Node, URIRef, Node | None, URIRef, str | None]]:
    """Find the uses of ``ckg:`` IRIs that the ontology does not define.

    Parameters
    ----------
    data_graph : rdflib.Graph
        The data to scan (every triple, any position).
    vocabulary : Vocabulary
        The defined terms.

    Returns
    -------
    list of tuple
        ``(focus, path, value, term, kind)`` for each use: the subject of the
        triple, its predicate, the object when the undefined term is there
        (else ``None``), the undefined term, and ``"class"`` or
        ``"property"`` when the position tells which kind was meant.
    """
    found = []
    seen: set[tuple[Node, Node, Node | None]] = set()
    known: dict[Node, bool] = {}

    def undefined(term: Node) -> bool:
        answer = known.get(term)
        if answer is None:
            answer = known[term] = not vocabulary.defines(term)
        return answer

    for s, p, o in data_graph.triples((None, None, None)):
        if undefined(p) and (s, p, None) not in seen:
            seen.add((s, p, None))
            found.append((s, p, None, p, "property"))
        if isinstance(o, URIRef) and undefined(o) and (s, p, o) not in seen:
            seen.add((s, p, o))
            found.append((s, p, o, o, "class" if p == RDF.type else None))
        if isinstance(s, URIRef) and undefined(s) and (s, p, s) not in seen:
            seen.add((s, p, s))
            found.append((s, p, s, s, None))
    return found


def _report_node(report_graph: Graph) -> Node:
    """Return the ``sh:ValidationReport`` node of a report graph."""
    for node in report_graph.subjects(RDF.type, SH.ValidationReport):
        return node
    node = BNode()
    report_graph.add((node, RDF.type, SH.ValidationReport))
    return node


@dataclass(frozen=True)
class Finding:
    """One result of a rule computed in Python, before it joins the SHACL report.

    Attributes
    ----------
    shape : rdflib.URIRef
        The named shape of the rule (one of :data:`PYTHON_RULES`).
    focus : rdflib.term.Node
        The node that fails.
    path : rdflib.URIRef or None
        The property concerned.
    value : rdflib.term.Node or None
        The offending value.
    message : str
        What is wrong and, where one is near, the defined term meant.
    """

    shape: URIRef
    focus: Node
    path: URIRef | None
    value: Node | None
    message: str


def _nearest(name: str, candidates: dict[str, str]) -> str | None:
    """Return the candidate whose key is closest to `name` (keys lower-case)."""
    found = difflib.get_close_matches(name.lower(), list(candidates), n=1, cutoff=0.6)
    return candidates[found[0]] if found else None


@dataclass
class OntologyIndex:
    """What the Python rules need to know of the ontology and its code lists.

    Attributes
    ----------
    classes : set of rdflib.URIRef
        Every class the ontology declares (``owl:Class``, ``rdfs:Class``), ours or not.
    superclasses : dict
        Class to the set of it and all its superclasses (``rdfs:subClassOf*``).
    code_lists : dict
        Coded property to its scheme (``ckg:codeList``), inherited by subproperties
        that name none of their own.
    schemes : dict
        Scheme to the set of its concepts (``skos:inScheme``).
    ranges : dict
        Object property to the classes of ours its values must belong to
        (``rdfs:range``, own and inherited from superproperties).
    labels : dict
        Ontology term to its English label, for messages.
    """

    classes: set[URIRef]
    superclasses: dict[URIRef, set[URIRef]]
    code_lists: dict[URIRef, URIRef]
    schemes: dict[URIRef, set[URIRef]]
    ranges: dict[URIRef, set[URIRef]]
    labels: dict[URIRef, str]

    @classmethod
    def from_ontology(cls, ontology_graph: Graph) -> OntologyIndex:
        """Index `ontology_graph` (ontology, alignments and code lists).

        Parameters
        ----------
        ontology_graph : rdflib.Graph
            The ontology and its code lists.

        Returns
        -------
        OntologyIndex
        """
        classes = {
            term
            for kind in _CLASS_TYPES
            for term in ontology_graph.subjects(RDF.type, kind)
            if isinstance(term, URIRef)
        }
        parents: dict[URIRef, set[URIRef]] = {}
        for child, parent in ontology_graph.subject_objects(RDFS.subClassOf):
            if isinstance(child, URIRef) and isinstance(parent, URIRef):
                parents.setdefault(child, set()).add(parent)
        superclasses: dict[URIRef, set[URIRef]] = {}

        def ancestors(term: URIRef) -> set[URIRef]:
            known = superclasses.get(term)
            if known is not None:
                return known
            result = {term}
            stack = [term]
            while stack:
                for parent in parents.get(stack.pop(), ()):
                    if parent not in result:
                        result.add(parent)
                        stack.append(parent)
            superclasses[term] = result
            return result

        for term in classes | set(parents):
            ancestors(term)
        super_properties: dict[URIRef, set[URIRef]] = {}
        for child, parent in ontology_graph.subject_objects(RDFS.subPropertyOf):
            if isinstance(child, URIRef) and isinstance(parent, URIRef):
                super_properties.setdefault(child, set()).add(parent)

        def property_chain(term: URIRef) -> list[URIRef]:
            order, stack, seen = [], [term], {term}
            while stack:
                current = stack.pop(0)
                order.append(current)
                for parent in sorted(super_properties.get(current, ())):
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            return order

        properties = {
            term
            for kind in _PROPERTY_TYPES
            for term in ontology_graph.subjects(RDF.type, kind)
            if isinstance(term, URIRef)
        }
        own_lists = {
            prop: scheme
            for prop, scheme in ontology_graph.subject_objects(_CODE_LIST)
            if isinstance(prop, URIRef) and isinstance(scheme, URIRef)
        }
        own_ranges: dict[URIRef, set[URIRef]] = {}
        for prop, range_ in ontology_graph.subject_objects(RDFS.range):
            if isinstance(prop, URIRef) and isinstance(range_, URIRef) and range_ in classes:
                if range_ != _SKOS_CONCEPT and range_ != RDF.List:
                    own_ranges.setdefault(prop, set()).add(range_)
        code_lists: dict[URIRef, URIRef] = {}
        ranges: dict[URIRef, set[URIRef]] = {}
        for prop in properties:
            chain = property_chain(prop)
            scheme = next((own_lists[p] for p in chain if p in own_lists), None)
            if scheme is not None:
                code_lists[prop] = scheme
            wanted = set().union(*(own_ranges.get(p, set()) for p in chain))
            if wanted:
                ranges[prop] = wanted
        schemes: dict[URIRef, set[URIRef]] = {}
        for concept, scheme in ontology_graph.subject_objects(_SKOS_IN_SCHEME):
            if isinstance(concept, URIRef) and isinstance(scheme, URIRef):
                schemes.setdefault(scheme, set()).add(concept)
        labels: dict[URIRef, str] = {}
        for predicate in (_SKOS_PREF_LABEL, RDFS.label):
            for term, label in ontology_graph.subject_objects(predicate):
                if isinstance(term, URIRef) and isinstance(label, Literal):
                    if (label.language or "en").startswith("en"):
                        labels.setdefault(term, str(label))
        return cls(classes, superclasses, code_lists, schemes, ranges, labels)

    def name(self, term: Node, manager: NamespaceManager) -> str:
        """Return ``label (compact IRI)`` for an ontology term, or the compact IRI."""
        text = compact(term, manager)
        label = self.labels.get(term) if isinstance(term, URIRef) else None
        return f"{label} ({text})" if label else text


def python_rule_findings(
    data_graph: Graph,
    ontology_graph: Graph,
    *,
    vocabulary: Vocabulary | None = None,
    index: OntologyIndex | None = None,
    manager: NamespaceManager | None = None,
) -> list[Finding]:
    """Run the rules of :data:`PYTHON_RULES` over `data_graph` in one pass.

    The rules:

    ``ClosedVocabulary``
        every ``ckg:`` IRI in the data is a term the ontology defines;
    ``KnownClass``
        every node of ours (``ckr:``) that the data describes has a class the ontology
        declares (a node whose only class is an undefined ``ckg:`` term is left to
        ``ClosedVocabulary``, which names the term meant);
    ``DefinedValue``
        every ``ckr:`` IRI used as a value is described in the graph (has a class);
    ``CodeFromItsList``
        every value of a coded property is a concept of its code list;
    ``ValueOfItsRange``
        every value of a property with a range of ours is a node of that class, not a
        literal and not a node of another class.

    Parameters
    ----------
    data_graph : rdflib.Graph
        The data (everything that is described must be in it: shared entities too).
    ontology_graph : rdflib.Graph
        The ontology and its code lists.
    vocabulary, index : optional
        Precomputed :class:`Vocabulary` and :class:`OntologyIndex` of `ontology_graph`.
    manager : rdflib.namespace.NamespaceManager, optional
        For compact IRIs in messages.

    Returns
    -------
    list of Finding
        In the order found; at most one finding per rule, focus, property and value.
    """
    if vocabulary is None:
        vocabulary = Vocabulary.from_ontology(ontology_graph)
    if index is None:
        index = OntologyIndex.from_ontology(ontology_graph)
    if manager is None:
        manager = namespace_manager_for(data_graph, ontology_graph)
    findings: list[Finding] = []
    for focus, path, value, term, kind in undefined_terms(data_graph, vocabulary):
        message = vocabulary.hint(term, kind)
        findings.append(
            Finding(
                CLOSED_VOCABULARY_SHAPE,
                focus,
                path,
                value,
                message if message.endswith("?") else message + ".",
            )
        )
    mistyped = {f.focus for f in findings if f.path == RDF.type and f.value is not None}

    types: dict[Node, set[Node]] = {}
    described: set[Node] = set()
    used_as_value: list[tuple[Node, URIRef, Node]] = []
    coded: list[tuple[Node, URIRef, Node]] = []
    ranged: list[tuple[Node, URIRef, Node]] = []
    for s, p, o in data_graph.triples((None, None, None)):
        described.add(s)
        if p == RDF.type:
            types.setdefault(s, set()).add(o)
            continue
        if isinstance(o, URIRef) and o.startswith(_CKR):
            used_as_value.append((s, p, o))
        if p in index.code_lists:
            coded.append((s, p, o))
        if p in index.ranges:
            ranged.append((s, p, o))
    # a statement's value is checked like the direct triple it reifies, on the statement
    for statement in data_graph.subjects(RDF.predicate, None):
        predicate = data_graph.value(statement, RDF.predicate)
        value = data_graph.value(statement, RDF.object)
        if not isinstance(predicate, URIRef) or value is None:
            continue
        if predicate in index.code_lists:
            coded.append((statement, predicate, value))
        if predicate in index.ranges:
            ranged.append((statement, predicate, value))

    for node in described:
        if not (isinstance(node, URIRef) and node.startswith(_CKR)) or node in mistyped:
            continue
        classes = types.get(node, set())
        if classes & index.classes:
            continue
        if classes:
            given = ", ".join(sorted(compact(c, manager) for c in classes))
            text = f"{compact(node, manager)} has no class the ontology defines (given: {given})"
        else:
            text = f"{compact(node, manager)} has no class (rdf:type)"
        findings.append(
            Finding(
                CKGSH.KnownClass,
                node,
                RDF.type,
                None,
                text + ": give it one of the ontology's classes, such as ckg:Attack, "
                "ckg:JihadistGroup or ckg:City.",
            )
        )

    typed_names: dict[str, str] | None = None
    seen: set[tuple[Node, Node, Node]] = set()
    for s, p, o in used_as_value:
        if o in types or (s, p, o) in seen:
            continue
        seen.add((s, p, o))
        if typed_names is None:
            typed_names = {
                str(node)[len(_CKR) :].lower(): str(node)[len(_CKR) :]
                for node in types
                if isinstance(node, URIRef) and node.startswith(_CKR)
            }
        text = f"{compact(o, manager)} is not described in the graph (it has no class)"
        near = _nearest(str(o)[len(_CKR) :], typed_names)
        text += f"; did you mean ckr:{near}?" if near else ": define it, or name an entity that is."
        findings.append(Finding(CKGSH.DefinedValue, s, p, o, text))

    for s, p, o in coded:
        scheme = index.code_lists[p]
        concepts = index.schemes.get(scheme, set())
        if o in concepts:
            continue
        text = (
            f"{compact(o, manager) if not isinstance(o, Literal) else repr(str(o))} is not a "
            f"concept of the code list of {compact(p, manager)}, {index.name(scheme, manager)}"
        )
        candidates = {}
        for concept in concepts:
            candidates[local_name(str(concept)).lower()] = compact(concept, manager)
            label = index.labels.get(concept)
            if label:
                candidates.setdefault(label.lower(), compact(concept, manager))
        key = local_name(str(o)) if isinstance(o, URIRef) else str(o)
        near = _nearest(key, candidates)
        text += f"; did you mean {near}?" if near else "."
        findings.append(Finding(CKGSH.CodeFromItsList, s, p, o, text))

    label_index: dict[str, str] | None = None
    for s, p, o in ranged:
        wanted = index.ranges[p]
        if isinstance(o, Literal):
            if label_index is None:
                label_index = {}
                for node, label in data_graph.subject_objects(RDFS.label):
                    if isinstance(node, URIRef) and node.startswith(_CKR):
                        label_index.setdefault(str(label).lower(), compact(node, manager))
            classes = " or ".join(sorted(index.name(c, manager) for c in wanted))
            text = f"{compact(p, manager)} takes a node of class {classes}, not the text {str(o)!r}"
            near = _nearest(str(o), label_index)
            text += f"; did you mean {near}?" if near else "."
            findings.append(Finding(CKGSH.ValueOfItsRange, s, p, o, text))
            continue
        classes_of_value = types.get(o)
        if not classes_of_value:
            continue  # undescribed: DefinedValue (ours) or outside this graph
        reached = set().union(*(index.superclasses.get(c, {c}) for c in classes_of_value))
        missing = wanted - reached
        if missing:
            given = ", ".join(sorted(index.name(c, manager) for c in classes_of_value))
            need = " and ".join(sorted(index.name(c, manager) for c in missing))
            text = (
                f"{compact(p, manager)} takes a node of class {need}; "
                f"{compact(o, manager)} is a {given}."
            )
            findings.append(Finding(CKGSH.ValueOfItsRange, s, p, o, text))
    return findings


def _add_findings(
    report_graph: Graph, findings: list[Finding], manager: NamespaceManager
) -> list[str]:
    """Add one SHACL result per finding; return pySHACL-style text blocks."""
    report = _report_node(report_graph)
    blocks = []
    for finding in findings:
        result = BNode()
        report_graph.add((report, SH.result, result))
        report_graph.add((result, RDF.type, SH.ValidationResult))
        report_graph.add((result, SH.focusNode, finding.focus))
        if finding.path is not None:
            report_graph.add((result, SH.resultPath, finding.path))
        if finding.value is not None:
            report_graph.add((result, SH.value, finding.value))
        report_graph.add((result, SH.resultSeverity, SH.Violation))
        report_graph.add((result, SH.sourceShape, finding.shape))
        component = (
            SH.ClosedConstraintComponent
            if finding.shape == CLOSED_VOCABULARY_SHAPE
            else SH.SPARQLConstraintComponent
        )
        report_graph.add((result, SH.sourceConstraintComponent, component))
        report_graph.add((result, SH.resultMessage, Literal(finding.message)))
        lines = [
            f"Constraint Violation in {local_name(str(finding.shape))}:",
            "\tSeverity: sh:Violation",
            f"\tSource Shape: {compact(finding.shape, manager)}",
            f"\tFocus Node: {compact(finding.focus, manager)}",
        ]
        if finding.value is not None:
            lines.append(f"\tValue Node: {compact(finding.value, manager)}")
        if finding.path is not None:
            lines.append(f"\tResult Path: {compact(finding.path, manager)}")
        lines.append(f"\tMessage: {finding.message}")
        blocks.append("\n".join(lines))
    return blocks


def _shape_chain(node: Node, graph: Graph) -> list[tuple[Node, Node, Node]]:
    """Return the triples leading from the nearest named shape down to `node`.

    Follows ``sh:property``, ``sh:node``, ``sh:not``, ``sh:qualifiedValueShape``,
    ``sh:sparql`` and the lists of ``sh:and``, ``sh:or`` and ``sh:xone``
    upwards from an anonymous shape until an IRI is reached.  Empty when
    `node` is an IRI or no named shape contains it.
    """
    chain: list[tuple[Node, Node, Node]] = []
    seen = {node}
    current = node
    while not isinstance(current, URIRef):
        step = None
        for predicate in _NESTING:
            for parent in graph.subjects(predicate, current):
                step = (parent, predicate, current)
                break
            if step:
                break
        if step is None:
            # a member of an RDF list: climb to the list head, then to its owner
            for cell in graph.subjects(RDF.first, current):
                links = [(cell, RDF.first, current)]
                head = cell
                while True:
                    before = next(iter(graph.subjects(RDF.rest, head)), None)
                    if before is None or before in seen:
                        break
                    links.append((before, RDF.rest, head))
                    seen.add(before)
                    head = before
                for predicate in _LIST_OWNERS:
                    owner = next(iter(graph.subjects(predicate, head)), None)
                    if owner is not None:
                        chain.extend(links)
                        step = (owner, predicate, head)
                        break
                if step:
                    break
        if step is None or step[0] in seen:
            return []
        chain.append(step)
        seen.add(step[0])
        current = step[0]
    return chain


def _named_owner(node: Node | None, graphs: tuple[Graph, ...]) -> URIRef | None:
    """Return the nearest named shape containing the anonymous shape `node`."""
    if node is None or isinstance(node, URIRef):
        return node
    for graph in graphs:
        chain = _shape_chain(node, graph)
        if chain:
            top = chain[-1][0]
            return top if isinstance(top, URIRef) else None
    return None


def _copy_shape_names(report_graph: Graph, shapes_graph: Graph) -> None:
    """Copy the names of the source shapes, and the shapes around them, into the report.

    pySHACL copies anonymous shapes into the report but only refers to named
    ones.  For each source shape this adds the ``sh:name`` and ``rdfs:label``
    of the shape and, for an anonymous one, the triples linking it to the
    named shape that contains it (and that one's names), so that the report
    can be read on its own.
    """
    nodes = set(report_graph.objects(None, SH.sourceShape))
    nodes.update(report_graph.objects(None, SH.sourceConstraint))
    named = set()
    for node in nodes:
        if isinstance(node, URIRef):
            named.add(node)
            continue
        chain = _shape_chain(node, shapes_graph)
        for triple in chain:
            report_graph.add(triple)
        if chain:
            named.add(chain[-1][0])
    for node in named:
        for predicate in (SH.name, RDFS.label):
            for label in shapes_graph.objects(node, predicate):
                report_graph.add((node, predicate, label))


def _merge_text(text: str, blocks: list[str], total: int) -> str:
    """Put extra result blocks into a pySHACL results text."""
    if not blocks:
        return text
    text = text.replace("Conforms: True", "Conforms: False", 1)
    if re.search(r"^Results \(\d+\):", text, flags=re.MULTILINE):
        text = re.sub(r"^Results \(\d+\):", f"Results ({total}):", text, count=1, flags=re.M)
    else:
        text = text.rstrip("\n") + f"\nResults ({total}):\n"
    return text.rstrip("\n") + "\n" + "\n".join(blocks) + "\n"


def _mixed(data_graph: Graph, ontology_graph: Graph) -> Graph:
    """Return a new graph holding the triples of both graphs.

    pySHACL's own ``ont_graph`` mix-in copies only RDFS and OWL axioms, not
    the SKOS code lists, so the shapes that check a code's scheme would fail.
    Copying everything into a scratch graph also spares pySHACL its own clone.
    """
    mixed = Graph()
    for prefix, namespace in data_graph.namespaces():
        mixed.bind(prefix, namespace, override=False)
    add = mixed.store.add
    for source in (data_graph, ontology_graph):
        for triple in source.triples((None, None, None)):
            add(triple, mixed, quoted=False)
    return mixed


_SPARQL_LOCK = threading.Lock()
_EXPECTED_QUERY_PARAMETERS = ["self", "strOrQuery", "initBindings", "initNs", "base", "DEBUG"]


@contextlib.contextmanager
def _prepared_sparql() -> Iterator[None]:
    """Parse each SPARQL query text once while pySHACL runs.

    pySHACL hands rdflib the text of a SPARQL-based constraint once per focus
    node, and rdflib parses it every time: on 24k triples of synthetic data
    that parsing was 8.7 s of a 23 s profiled validation.  Inside this block
    rdflib's SPARQL processor keeps the translated query of each text and
    reuses it, which is what :func:`rdflib.plugins.sparql.prepareQuery` is
    for.  If rdflib's processor does not have the expected shape, nothing is
    changed.
    """
    cls = sparql_processor.SPARQLProcessor
    original = cls.query
    try:
        parameters = list(inspect.signature(original).parameters)
    except (TypeError, ValueError):
        parameters = []
    if parameters != _EXPECTED_QUERY_PARAMETERS:
        yield
        return
    cache: dict[tuple[Any, ...], Any] = {}

    def query(
        self: Any,
        strOrQuery: Any,  # noqa: N803 - rdflib's parameter names
        initBindings: Any = None,  # noqa: N803
        initNs: Any = None,  # noqa: N803
        base: Any = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Any:
        query_object = strOrQuery
        if isinstance(query_object, str):
            key = (query_object, base, tuple(sorted((initNs or {}).items())))
            prepared = cache.get(key)
            if prepared is None:
                prepared = cache[key] = translateQuery(parseQuery(query_object), base, initNs)
            query_object = prepared
        return original(self, query_object, initBindings, initNs, base, DEBUG)

    with _SPARQL_LOCK:
        cls.query = query
        try:
            yield
        finally:
            cls.query = original


def _run_pyshacl(
    data_graph: Graph, shapes_graph: Graph, ontology_graph: Graph | None, strict: bool
) -> tuple[bool, Graph, str]:
    """Run pySHACL once with the project's settings, on a scratch copy of the data."""
    target = _mixed(data_graph, ontology_graph if ontology_graph is not None else Graph())
    try:
        with _prepared_sparql():
            conforms, report_graph, text = pyshacl.validate(
                target,
                shacl_graph=shapes_graph,
                inference="none",
                advanced=True,
                abort_on_first=False,
                allow_warnings=not strict,
                allow_infos=not strict,
                inplace=True,
            )
    except _PYSHACL_ERRORS as error:
        raise ShapesError(f"the SHACL shapes could not be used: {error}") from error
    return bool(conforms), report_graph, text


def _top_results(report_graph: Graph) -> set[Node]:
    """Return the results attached to the report with ``sh:result``.

    Nested results (``sh:detail``, e.g. the inner failure of an ``sh:node``
    constraint) are part of their parent result, not results of their own.
    """
    return {
        result
        for report in report_graph.subjects(RDF.type, SH.ValidationReport)
        for result in report_graph.objects(report, SH.result)
    }


def _count_results(report_graph: Graph) -> int:
    """Count the top-level validation results in a report graph."""
    return len(_top_results(report_graph))


def validate(
    data_graph: Graph,
    *,
    shapes_graph: Graph | None = None,
    ontology_graph: Graph | None = None,
    strict: bool = False,
) -> tuple[bool, Graph, str]:
    """Validate data against the shapes and the closed ``ckg:`` vocabulary.

    Parameters
    ----------
    data_graph : rdflib.Graph
        The data (not changed).
    shapes_graph : rdflib.Graph, optional
        SHACL shapes; the project's ``ontology/shapes.ttl`` by default.
    ontology_graph : rdflib.Graph, optional
        The ontology and code lists, mixed into the data for validation and
        used for the closed-vocabulary check; the project's by default.
    strict : bool, default False
        If true, warnings and infos also make the data fail.

    Returns
    -------
    conforms : bool
        Whether the data passes.
    report_graph : rdflib.Graph
        The SHACL validation report, with the closed-vocabulary results and
        the names of the named source shapes added.
    text : str
        The report as text, in pySHACL's layout.

    Raises
    ------
    ShapesError
        If pySHACL cannot use the shapes.
    conflictkg.rdf.loading.InputError
        If a default shapes or ontology file cannot be loaded.
    """
    if shapes_graph is None:
        shapes_graph = load_files([resources.shapes_file()])
    if ontology_graph is None:
        ontology_graph = load_files(resources.ontology_files())
    conforms, report_graph, text = _run_pyshacl(data_graph, shapes_graph, ontology_graph, strict)
    manager = namespace_manager_for(data_graph, shapes_graph)
    manager.bind("ckgsh", CKGSH, override=False)
    findings = python_rule_findings(data_graph, ontology_graph, manager=manager)
    blocks = _add_findings(report_graph, findings, manager)
    if blocks:
        conforms = False
        report_graph.set((_report_node(report_graph), SH.conforms, Literal(False)))
    _copy_shape_names(report_graph, shapes_graph)
    for shape in PYTHON_RULES:
        for label in shapes_graph.objects(shape, RDFS.label):
            report_graph.add((shape, RDFS.label, label))
    report_graph.bind("ckgsh", CKGSH)
    return conforms, report_graph, _merge_text(text, blocks, _count_results(report_graph))


def validate_ontology(
    ontology_graph: Graph, *, shapes_graph: Graph | None = None, strict: bool = False
) -> tuple[bool, Graph, str]:
    """Validate the ontology itself against ``ontology/ontology-shapes.ttl``.

    Parameters
    ----------
    ontology_graph : rdflib.Graph
        The ontology and code lists.
    shapes_graph : rdflib.Graph, optional
        Shapes for the ontology; the project's by default.
    strict : bool, default False
        If true, warnings and infos also make the ontology fail.

    Returns
    -------
    conforms : bool
        Whether the ontology passes.
    report_graph : rdflib.Graph
        The SHACL validation report.
    text : str
        The report as text.

    Raises
    ------
    ShapesError
        If pySHACL cannot use the shapes.
    """
    if shapes_graph is None:
        shapes_graph = load_files([resources.ontology_shapes_file()])
    conforms, report_graph, text = _run_pyshacl(ontology_graph, shapes_graph, None, strict)
    _copy_shape_names(report_graph, shapes_graph)
    return conforms, report_graph, text


def _render_path(path: Node, graph: Graph, manager: NamespaceManager, depth: int = 0) -> str:
    """Write a SHACL property path in SPARQL-like syntax."""
    if isinstance(path, URIRef) or depth > 8:
        return compact(path, manager)
    if (path, RDF.first, None) in graph:
        return "/".join(_render_path(step, graph, manager, depth + 1) for step in graph.items(path))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        steps = graph.items(alternatives)
        parts = (_render_path(step, graph, manager, depth + 1) for step in steps)
        return "(" + "|".join(parts) + ")"
    for predicate, prefix, suffix in (
        (SH.inversePath, "^", ""),
        (SH.zeroOrMorePath, "", "*"),
        (SH.oneOrMorePath, "", "+"),
        (SH.zeroOrOnePath, "", "?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return prefix + _render_path(inner, graph, manager, depth + 1) + suffix
    return compact(path, manager)


def _component_name(component: Node | None) -> str:
    """Return e.g. ``MinCount`` for ``sh:MinCountConstraintComponent``."""
    if component is None:
        return "constraint"
    return local_name(str(component)).removesuffix("ConstraintComponent") or "constraint"


def _rule_names(result: Node, graphs: tuple[Graph, ...]) -> tuple[str, str]:
    """Return ``(rule, rule_id)`` for a validation result.

    The rule is the first ``sh:name``, else ``rdfs:label``, found on the
    source constraint, the source shape, then the named shape around an
    anonymous source shape.  The rule id is the local name of the named shape
    (or constraint), else the constraint component (``MinCount``).
    """
    report = graphs[0]
    shape = report.value(result, SH.sourceShape)
    constraint = report.value(result, SH.sourceConstraint)
    component = report.value(result, SH.sourceConstraintComponent)
    owner = _named_owner(shape, graphs)
    if owner is not None:
        rule_id = local_name(str(owner))
    elif isinstance(constraint, URIRef):
        rule_id = local_name(str(constraint))
    else:
        rule_id = _component_name(component)
    for node in (constraint, shape, owner):
        if node is None:
            continue
        for predicate in (SH.name, RDFS.label):
            label = preferred_label(node, *graphs, predicates=(predicate,))
            if label:
                return label, rule_id
    return rule_id, rule_id


def _message(result: Node, report_graph: Graph, component: Node | None) -> str:
    """Return the result messages (English first), or a generic one."""
    messages = [m for m in report_graph.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    if not messages:
        return f"{_component_name(component)} constraint not satisfied."
    english = [m for m in messages if (m.language or "en").lower().startswith("en")]
    chosen = english or messages
    return " ".join(sorted({str(m).strip() for m in chosen}))


def violations(
    report_graph: Graph,
    *,
    data_graph: Graph,
    ontology_graph: Graph | None = None,
    shapes_graph: Graph | None = None,
) -> list[Violation]:
    """List the results of a SHACL report in readable form.

    Parameters
    ----------
    report_graph : rdflib.Graph
        A report from :func:`validate` (or any SHACL validation report).
    data_graph : rdflib.Graph
        The validated data, for the focus nodes' labels and prefixes.
    ontology_graph : rdflib.Graph, optional
        For the undefined-term suggestions; the project's ontology is loaded
        when omitted and a result names a ``ckg:`` IRI.
    shapes_graph : rdflib.Graph, optional
        For rule names of named shapes when the report lacks them
        (reports from :func:`validate` carry them).

    Returns
    -------
    list of Violation
        Sorted by severity, focus label, rule, path and value.
    """
    manager = namespace_manager_for(data_graph, report_graph)
    lookup = (report_graph,) if shapes_graph is None else (report_graph, shapes_graph)
    vocabulary: Vocabulary | None = None
    found = []
    for result in _top_results(report_graph):
        focus = report_graph.value(result, SH.focusNode)
        path = report_graph.value(result, SH.resultPath)
        value = report_graph.value(result, SH.value)
        component = report_graph.value(result, SH.sourceConstraintComponent)
        severity = report_graph.value(result, SH.resultSeverity)
        rule, rule_id = _rule_names(result, lookup)
        message = _message(result, report_graph, component)
        if report_graph.value(result, SH.sourceShape) not in PYTHON_RULES:
            for term, kind in ((path, "property"), (value, None)):
                if isinstance(term, URIRef) and term.startswith(_CKG):
                    if vocabulary is None:
                        if ontology_graph is None:
                            ontology_graph = load_files(resources.ontology_files())
                        vocabulary = Vocabulary.from_ontology(ontology_graph)
                    if not vocabulary.defines(term):
                        message = f"{message} ({vocabulary.hint(term, kind)})"
        if focus is None:
            focus_text, focus_label = "", ""
        else:
            focus_text = str(focus) if isinstance(focus, URIRef) else compact(focus, manager)
            focus_label = preferred_label(focus, data_graph) or compact(focus, manager)
        found.append(
            Violation(
                focus=focus_text,
                focus_label=focus_label,
                rule=rule,
                rule_id=rule_id,
                path=None if path is None else _render_path(path, report_graph, manager),
                value=None if value is None else compact(value, manager),
                severity=local_name(str(severity)) if severity is not None else "Violation",
                message=message,
            )
        )
    found.sort(
        key=lambda v: (
            _SEVERITY_ORDER.get(v.severity, 9),
            v.focus_label,
            v.rule_id,
            v.path or "",
            v.value or "",
            v.message,
        )
    )
    return found


def check(
    data_graph: Graph, *, shapes_graph: Graph, ontology_graph: Graph
) -> tuple[bool, Graph, list[Violation]]:
    """Validate data and list the results readably: :func:`validate`, then :func:`violations`.

    Parameters
    ----------
    data_graph, shapes_graph, ontology_graph : rdflib.Graph
        As for :func:`validate`.

    Returns
    -------
    conforms : bool
        Whether the data conforms.
    report_graph : rdflib.Graph
        The SHACL report.
    found : list of Violation
        Its results, warnings included.
    """
    conforms, report_graph, _ = validate(
        data_graph, shapes_graph=shapes_graph, ontology_graph=ontology_graph
    )
    graphs = {"data_graph": data_graph, "ontology_graph": ontology_graph}
    found = violations(report_graph, shapes_graph=shapes_graph, **graphs)
    return conforms, report_graph, found
