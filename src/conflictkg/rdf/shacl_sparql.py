"""SHACL shapes compiled to SPARQL SELECT queries and run on a pyoxigraph store.

pySHACL stays the reference engine (:mod:`conflictkg.rdf.validation`); this module gives
the same validation results from a :class:`pyoxigraph.Store` holding the data, the
ontology and the code lists (one named graph per input file, read as their union), in a
time that grows with the data rather than with the number of focus nodes times the
number of constraints.

How a shapes graph is compiled (:func:`compile_shapes`)
--------------------------------------------------------
Each shape becomes one to three queries, plus one per SPARQL-based constraint:

* the **focus pattern** of a shape is the union of its targets (``sh:targetClass``, which
  reaches subclasses through ``rdfs:subClassOf*`` in the store, ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, SPARQL targets, and a shape that is
  itself a class) and, for a property shape, the targets of every node shape that names
  it with ``sh:property``;
* a **value query** walks the shape's path once (``?this PATH ?value``; a node shape's
  only value is its focus) and evaluates every value-based constraint of the shape on each
  value node as one SPARQL expression each.  The constraints that fail are listed in one
  string column, ``?failed``, so one query serves all the constraints of a shape and a
  conforming value costs one pass of expression evaluation;
* a **focus query** does the same for the constraints about the set of values:
  ``sh:minCount n`` is "n pairwise distinct values exist", ``sh:maxCount m`` "no m + 1
  pairwise distinct values exist", ``sh:hasValue`` "the value is reached";
* a ``sh:sparql`` constraint is the shape's own SELECT with the focus pattern put first
  in its outermost group (instead of pre-binding ``$this`` once per focus node), so one
  query answers for every focus node.

Nested shapes (``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``, and the
property shapes inside them) become boolean expressions: "x fails shape S" is the
disjunction of "a value of x breaks a constraint of S", each an ``EXISTS`` over the
nested shape's path.  Recursive shapes are refused.

Every SHACL feature the compiler does not know raises :class:`UnsupportedShapeError`,
naming the shape and the feature; nothing is skipped silently.  Supported:

* targets: ``sh:targetClass`` (with subclasses), ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:target`` with a
  ``sh:SPARQLTarget`` (``sh:select``, ``sh:prefixes``), implicit class targets;
* paths: predicate, ``sh:inversePath``, sequence, ``sh:alternativePath``,
  ``sh:zeroOrMorePath``, ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``;
* constraints: ``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype``,
  ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, ``sh:pattern`` (with ``sh:flags``),
  ``sh:minLength``, ``sh:maxLength``, ``sh:languageIn``, ``sh:minInclusive``,
  ``sh:maxInclusive``, ``sh:minExclusive``, ``sh:maxExclusive``, ``sh:lessThan``,
  ``sh:lessThanOrEquals``, ``sh:disjoint``, ``sh:node``, ``sh:not``, ``sh:and``,
  ``sh:or``, ``sh:xone``, ``sh:sparql`` (SELECT, ``sh:prefixes``/``sh:declare``,
  ``$this``, ``$PATH``, ``$currentShape``, ``sh:deactivated``);
* ``sh:severity``, ``sh:message`` (``{?var}`` and ``{$var}`` filled in from the answer
  row for SPARQL-based constraints, as pySHACL does), ``sh:deactivated``.

Not supported (refused with a clear error): ``sh:closed``, ``sh:qualifiedValueShape``,
``sh:uniqueLang``, ``sh:equals``, SHACL rules, custom constraint components,
SHACL-JS, ``$shapesGraph``.

Where results may differ from pySHACL
-------------------------------------
The compiled queries follow the SHACL specification where pySHACL's Python code departs
from it; none of these cases occurs in the project's shapes and data:

* ``sh:lessThan``/``sh:lessThanOrEquals`` use SPARQL's ``<``/``<=``, so values that
  SPARQL cannot compare (an ``xsd:date`` and an ``xsd:dateTime``, two IRIs) are a
  violation; pySHACL compares IRIs as strings and mixed literals by Python ordering;
* ``sh:datatype`` checks the lexical form with SPARQL casts for the numeric, boolean,
  date, time, date-time and duration types; rdflib (and so pySHACL) accepts some forms
  XSD does not (``"2024-09-17T10:00:00"^^xsd:date``) and checks no ``xsd:gYear``;
* ``sh:pattern`` is evaluated by Oxigraph's regular expressions, pySHACL's by Python's
  ``re`` (the same for the patterns shapes usually hold).

Focus sets and incremental builds
---------------------------------
``validate(store, shapes, focus=nodes)`` reports only the results whose focus node is in
`nodes` (each query is restricted by a ``VALUES`` block), and those results are exactly the
ones a whole-graph validation reports for those focus nodes: a result depends on the
whole store, never on which other nodes are validated.  So the whole graph's results are
the union of the results of per-file focus sets that together cover every node, which is
what :func:`graph_focus_nodes` gives for one named graph (its subjects and objects, their
neighbours one triple away, and the shapes' ``sh:targetNode`` values).

Speed
-----
``benchmarks/bench_validate.py`` (2 cores, project shapes, synthetic data that conforms,
in-memory store, medians of 3 runs, loading not counted): 0.43 s at 100k triples and
6.0 s at 1M, against 3.2 s and 48 s for pyshacl-turbo on the same store (7 to 8 times
slower) and 26 s for pySHACL at 100k (62 times slower; 343 s at 1M).  Peak memory at 1M,
store included: 564 MiB (pyshacl-turbo 1.7 GiB).  Three rewrites were needed to get there
from the first, one-query-per-constraint compilation (20 s at 1M):

* ``sh:class`` as ``EXISTS { ?v rdf:type/rdfs:subClassOf* C }``: Oxigraph walks the
  subclass path from ``C`` again for every value, 7.1 s for the one shape
  ``DefaultSourceHasOneStatus`` (98k focus nodes); the subclasses of every class the
  shapes name are now read from the store once per validation and written into the
  queries (``FILTER (?c IN (...))``, ``VALUES ?c {...}`` for targets): 0.6 s;
* one query per shape evaluated each focus pattern once per shape, about 0.1 to 0.2 s
  for the 46k events each time; the checks of all the shapes with the same targets now
  share one query (37 queries instead of 68 for the project's shapes);
* a value check that reads only the value node (``sh:class``, ``sh:in``, ``sh:node`` on a
  code's scheme) is evaluated once per distinct value (a code list has a few concepts for
  a hundred thousand events), and the rows that fail are joined back only when one does;
* a count (``sh:minCount``, ``sh:maxCount``) on one predicate was an ``EXISTS`` test for
  each focus node, 0.2 to 0.3 s for each count of the 46k events; a whole-store run now
  counts every node's values at once, a grouped count for ``sh:maxCount`` and an
  anti-join for ``sh:minCount`` (:attr:`CompiledShapes.whole_batches`), and a value probe
  of a shape that targets the subjects of its own path skips the join with its focus
  pattern: the shapes' queries one after the other on the built 1M store went from 14.5 s
  to 7.9 s.  A small focus set (an added report) keeps the node-by-node batches.

The batches are independent and run on a pool of threads (``workers``; Oxigraph releases
the interpreter lock while it evaluates): on a built on-disk 1M-triple store, 9.5 s one
after the other, 5.1 to 6.0 s on two cores.

Examples
--------
>>> import pyoxigraph as ox
>>> from rdflib import Graph
>>> shapes = Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     @prefix ex: <https://example.org/> .
...     ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
...         sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "Give a name." ] .
... ''')
>>> store = ox.Store()
>>> store.load(b"<https://example.org/ann> a <https://example.org/Person> .",
...            format=ox.RdfFormat.TURTLE)
>>> conforms, report, text = validate(store, shapes)
>>> conforms
False
>>> print(text.splitlines()[1])
Conforms: False
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from conflictkg.errors import ShapesError
from conflictkg.rdf.terms import from_oxigraph, to_oxigraph
from conflictkg.threads import in_threads

__all__ = [
    "Batch",
    "CompiledShapes",
    "ShapeQuery",
    "UnsupportedShapeError",
    "compile_shapes",
    "graph_focus_nodes",
    "store_from_files",
    "store_from_graphs",
    "validate",
]

_OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")
_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"

#: Predicates of a shape that do not validate anything (documentation, grouping).
_INERT = {
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.declare,
    SH.prefixes,
}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
_META = {SH.path, SH.severity, SH.message, SH.deactivated, SH.property, SH.flags}
#: Constraint parameter -> constraint component, for constraints on each value node.
_VALUE_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
}
#: Constraint parameter -> constraint component, for constraints on the set of values.
_FOCUS_COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
}
_KNOWN = _INERT | _TARGETS | _META | set(_VALUE_COMPONENTS) | set(_FOCUS_COMPONENTS) | {SH.sparql}
#: Features refused by name (anything else in the sh: namespace is refused too).
_FEATURE_NAMES = {
    SH.closed: "sh:closed",
    SH.ignoredProperties: "sh:closed (sh:ignoredProperties)",
    SH.qualifiedValueShape: "sh:qualifiedValueShape",
    SH.qualifiedMinCount: "sh:qualifiedValueShape (sh:qualifiedMinCount)",
    SH.qualifiedMaxCount: "sh:qualifiedValueShape (sh:qualifiedMaxCount)",
    SH.uniqueLang: "sh:uniqueLang",
    SH.equals: "sh:equals",
    SH.rule: "SHACL rules (sh:rule)",
    SH.js: "SHACL-JS (sh:js)",
}
#: XSD datatypes whose lexical forms are checked with a SPARQL cast, as rdflib checks them.
_CHECKED_DATATYPES = {
    XSD.integer,
    XSD.decimal,
    XSD.float,
    XSD.double,
    XSD.boolean,
    XSD.date,
    XSD.time,
    XSD.dateTime,
    XSD.duration,
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
#: Above this many values a count constraint would need too large a self-join.
_MAX_COUNTED = 8


class UnsupportedShapeError(ShapesError):
    """A shape uses a SHACL feature the SPARQL compiler does not support, or is malformed."""


@dataclass(frozen=True)
class _Check:
    """One constraint of a shape: what it tests and how it is reported."""

    component: URIRef
    parameter: URIRef
    argument: Node
    expression: str  # SPARQL boolean: true when the value (or focus) satisfies it
    reports_value: bool
    # for sh:minCount and sh:maxCount on one predicate (or its inverse): that path, so a
    # whole-store run can count the values of every node at once (see _count_batch)
    counted: str = ""


@dataclass(frozen=True)
class ShapeQuery:
    """One compiled query and what its rows mean.

    Attributes
    ----------
    shape : rdflib.term.Node
        The source shape of the results (a named shape or a blank node of the shapes graph).
    owner : rdflib.URIRef or None
        The named shape containing `shape` (itself when it is named).
    kind : {"value", "focus", "sparql"}
        Value checks are evaluated on each value node reached by `walk`; focus checks once
        per focus node; a SPARQL-based constraint is its own SELECT (`text`).
    focus : str
        The focus pattern (``?this``), with ``#FOCUS#`` where a ``VALUES`` block of focus
        nodes goes and ``#SUB<iri>#`` where the subclasses of a class go.
    prologue : str
        PREFIX declarations the query needs.
    walk : str
        For value checks, the pattern from ``?this`` to ``?value`` (the shape's path).
    text : str
        For a SPARQL-based constraint, the whole query.
    checks : tuple
        For value and focus checks, the constraints, in the order ``?failed`` numbers them.
    severity : rdflib.URIRef
        ``sh:Violation``, ``sh:Warning`` or ``sh:Info``.
    path : rdflib.term.Node or None
        The shape's SHACL path (a node of the shapes graph), for ``sh:resultPath``.
    messages : tuple of rdflib.Literal
        ``sh:message`` of the shape (and of the SPARQL constraint).
    constraint : rdflib.term.Node or None
        The ``sh:sparql`` node of a SPARQL-based constraint.
    """

    shape: Node
    owner: URIRef | None
    kind: str
    focus: str
    prologue: str = ""
    walk: str = ""
    text: str = ""
    checks: tuple[_Check, ...] = ()
    severity: URIRef = SH.Violation
    path: Node | None = None
    messages: tuple[Literal, ...] = ()
    constraint: Node | None = None


@dataclass(frozen=True)
class Batch:
    """One SPARQL query and the shape queries whose results it returns.

    Attributes
    ----------
    text : str
        The query (with ``#FOCUS#`` and ``#SUB<iri>#`` placeholders).
    parts : tuple of ShapeQuery
        The shape queries it answers; the tokens ``part.check`` of ``?failed`` number them
        (a SPARQL-based constraint is a batch of one).
    probe : str
        For value checks that read only the value node: a query over the distinct values
        that answers whether any fails; `text` runs only when one does.
    """

    text: str
    parts: tuple[ShapeQuery, ...]
    probe: str = ""


@dataclass
class CompiledShapes:
    """A shapes graph compiled to SPARQL.

    Attributes
    ----------
    shapes_graph : rdflib.Graph
        The shapes the queries come from.
    queries : list of ShapeQuery
        What each shape checks, one entry per shape and kind of check.
    batches : list of Batch
        The SPARQL queries run for a validation of a few focus nodes: the checks of every
        shape that shares a focus pattern are evaluated by one query, node by node.
    whole_batches : list of Batch
        The same checks for a validation of many nodes: each ``sh:minCount`` and
        ``sh:maxCount`` on one predicate is a query of its own that counts the values of
        every node at once (an anti-join or a grouped count, not a test per node).
    target_nodes : set of rdflib.term.Node
        Every ``sh:targetNode`` value (focus nodes whatever the data).
    classes : set of rdflib.URIRef
        The classes whose subclasses the queries list (``#SUB<iri>#``), found in the
        store at validation time.
    """

    shapes_graph: Graph
    queries: list[ShapeQuery] = field(default_factory=list)
    batches: list[Batch] = field(default_factory=list)
    whole_batches: list[Batch] = field(default_factory=list)
    target_nodes: set[Node] = field(default_factory=set)
    classes: set[URIRef] = field(default_factory=set)

    def __len__(self) -> int:
        """Return the number of queries."""
        return len(self.queries)


def _term(node: Node, shape: Node, feature: str) -> str:
    """Write an IRI or a literal of the shapes graph in SPARQL."""
    if isinstance(node, (URIRef, Literal)):
        return node.n3()
    raise UnsupportedShapeError(
        f"shape {_name(shape)}: {feature} takes a blank node ({node}), which SPARQL cannot name"
    )


def _name(node: Node | None) -> str:
    """Name a shape in an error message."""
    if node is None:
        return "(none)"
    return f"<{node}>" if isinstance(node, URIRef) else f"_:{node}"


class _Compiler:
    """Turns the shapes of one shapes graph into queries (see the module docstring)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.counter = itertools.count()
        self.parents: dict[Node, list[Node]] = {}
        for predicate in (SH.property, SH.node, SH["not"], SH.sparql):
            for parent, child in graph.subject_objects(predicate):
                self.parents.setdefault(child, []).append(parent)
        for predicate in (SH["and"], SH["or"], SH.xone):
            for parent, head in graph.subject_objects(predicate):
                for member in self._list(head, parent, predicate):
                    self.parents.setdefault(member, []).append(parent)
        self.nesting: list[Node] = []
        self.prologues: dict[Node, list[str]] = {}
        self.classes: set[URIRef] = set()

    # --- reading the shapes graph ------------------------------------------------------

    def _list(self, head: Node, shape: Node, predicate: URIRef) -> list[Node]:
        if head == RDF.nil:
            return []
        if (head, RDF.first, None) not in self.graph:
            raise UnsupportedShapeError(
                f"shape {_name(shape)}: {self.graph.qname(predicate)} takes an RDF list"
            )
        return list(Collection(self.graph, head))

    def owner(self, shape: Node) -> URIRef | None:
        """Return the nearest named shape containing `shape` (itself if named)."""
        seen = set()
        current = [shape]
        while current:
            node = current.pop(0)
            if isinstance(node, URIRef):
                return node
            if node in seen:
                continue
            seen.add(node)
            current.extend(self.parents.get(node, ()))
        return None

    def shapes(self) -> list[Node]:
        """Return every shape of the graph that could be validated, in a stable order."""
        graph = self.graph
        found: set[Node] = set()
        for kind in (SH.NodeShape, SH.PropertyShape):
            found.update(graph.subjects(RDF.type, kind))
        for predicate in _TARGETS:
            found.update(graph.subjects(predicate, None))
        found.update(graph.subjects(SH.path, None))
        for predicate in (SH.property, SH.node, SH["not"]):
            found.update(graph.objects(None, predicate))
        return sorted(found, key=lambda n: (isinstance(n, BNode), str(n)))

    def one(self, shape: Node, predicate: URIRef) -> Node | None:
        values = list(self.graph.objects(shape, predicate))
        if len(values) > 1:
            raise UnsupportedShapeError(
                f"shape {_name(shape)}: {self.graph.qname(predicate)} must have one value, "
                f"it has {len(values)}"
            )
        return values[0] if values else None

    def deactivated(self, node: Node) -> bool:
        value = self.one(node, SH.deactivated)
        return isinstance(value, Literal) and value.toPython() is True

    def severity(self, shape: Node) -> URIRef:
        value = self.one(shape, SH.severity)
        if value is None:
            return SH.Violation
        if not isinstance(value, URIRef):
            raise UnsupportedShapeError(f"shape {_name(shape)}: sh:severity must be an IRI")
        return value

    def check_features(self, shape: Node) -> None:
        """Refuse any validating predicate of `shape` the compiler does not know."""
        for predicate in set(self.graph.predicates(shape, None)):
            if predicate in _KNOWN or not str(predicate).startswith(str(SH)):
                continue
            feature = _FEATURE_NAMES.get(predicate, self.graph.qname(predicate))
            raise UnsupportedShapeError(
                f"shape {_name(shape)} uses {feature}, which the SPARQL compiler does not "
                "support; validate these shapes with pySHACL (conflictkg.rdf.validation)"
            )
        if (shape, SH.path, None) in self.graph and (shape, RDF.type, SH.NodeShape) in self.graph:
            raise UnsupportedShapeError(f"shape {_name(shape)} is a sh:NodeShape with a sh:path")

    # --- paths -------------------------------------------------------------------------

    def path(self, node: Node, shape: Node, depth: int = 0) -> str:
        """Write a SHACL property path in SPARQL."""
        graph = self.graph
        if depth > 20:
            raise UnsupportedShapeError(f"shape {_name(shape)}: sh:path is nested too deeply")
        if isinstance(node, URIRef):
            return node.n3()
        if (node, RDF.first, None) in graph:
            steps = [self.path(step, shape, depth + 1) for step in Collection(graph, node)]
            if len(steps) < 2:
                raise UnsupportedShapeError(
                    f"shape {_name(shape)}: a sequence path needs two steps or more"
                )
            return "(" + "/".join(steps) + ")"
        alternatives = graph.value(node, SH.alternativePath)
        if alternatives is not None:
            steps = [self.path(step, shape, depth + 1) for step in Collection(graph, alternatives)]
            return "(" + "|".join(steps) + ")"
        for predicate, template in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = graph.value(node, predicate)
            if inner is not None:
                return template.format(self.path(inner, shape, depth + 1))
        raise UnsupportedShapeError(f"shape {_name(shape)}: sh:path {node} is not a SHACL path")

    # --- variables ---------------------------------------------------------------------

    def var(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self.counter)}"

    # --- constraints as SPARQL expressions ---------------------------------------------

    def value_checks(self, shape: Node, focus: str, value: str) -> list[_Check]:
        """Return the value-based constraints of `shape` as expressions on `value`."""
        graph = self.graph
        checks = []
        for parameter, component in _VALUE_COMPONENTS.items():
            for argument in sorted(graph.objects(shape, parameter), key=str):
                expression = self.value_expression(shape, parameter, argument, focus, value)
                checks.append(_Check(component, parameter, argument, expression, True))
        return checks

    def value_expression(
        self, shape: Node, parameter: URIRef, argument: Node, focus: str, v: str
    ) -> str:
        """Return a SPARQL expression true when value `v` (of focus `focus`) satisfies it."""
        if parameter == SH["class"]:
            cls = _term(argument, shape, "sh:class")
            self.classes.add(argument)  # type: ignore[arg-type]
            c = self.var("c")
            return f"EXISTS {{ {v} {_RDF_TYPE} {c} . FILTER ({c} IN (#SUB{cls}#)) }}"
        if parameter == SH.datatype:
            return self.datatype(shape, argument, v)
        if parameter == SH.nodeKind:
            if argument not in _NODE_KINDS:
                raise UnsupportedShapeError(f"shape {_name(shape)}: unknown sh:nodeKind {argument}")
            return _NODE_KINDS[argument].format(v=v)
        if parameter == SH["in"]:
            members = self._list(argument, shape, SH["in"])
            if not members:
                return "false"
            return "(" + " || ".join(
                f"sameTerm({v}, {_term(m, shape, 'sh:in')})" for m in members
            ) + ")"
        if parameter == SH.pattern:
            flags = self.one(shape, SH.flags)
            regex = Literal(str(argument)).n3()
            flag_text = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {regex}{flag_text}))"
        if parameter in (SH.minLength, SH.maxLength):
            if not isinstance(argument, Literal) or not isinstance(argument.toPython(), int):
                raise UnsupportedShapeError(
                    f"shape {_name(shape)}: {graph_name(parameter)} takes an integer"
                )
            operator = ">=" if parameter == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {operator} {int(argument.toPython())})"
        if parameter == SH.languageIn:
            tags = [str(t) for t in self._list(argument, shape, SH.languageIn)]
            if not tags:
                return "false"
            tests = " || ".join(f"langMatches(LANG({v}), {Literal(t).n3()})" for t in tags)
            return f"(isLiteral({v}) && ({tests}))"
        if parameter in _COMPARISONS:
            bound = _term(argument, shape, graph_name(parameter))
            return f"({v} {_COMPARISONS[parameter]} {bound})"
        if parameter in (SH.lessThan, SH.lessThanOrEquals):
            other = _term(argument, shape, graph_name(parameter))
            o = self.var("o")
            operator = "<" if parameter == SH.lessThan else "<="
            return (
                f"NOT EXISTS {{ {focus} {other} {o} . "
                f"FILTER (!COALESCE({v} {operator} {o}, false)) }}"
            )
        if parameter == SH.disjoint:
            other = _term(argument, shape, "sh:disjoint")
            return f"NOT EXISTS {{ {focus} {other} {v} }}"
        if parameter == SH.node:
            return f"!({self.fails(argument, v)})"
        if parameter == SH["not"]:
            return self.fails(argument, v)
        members = self._list(argument, shape, parameter)
        conforming = [f"!({self.fails(member, v)})" for member in members]
        if parameter == SH["and"]:
            return "(" + " && ".join(conforming) + ")" if conforming else "true"
        if parameter == SH["or"]:
            return "(" + " || ".join(conforming) + ")" if conforming else "false"
        ones = " + ".join(f"IF({c}, 1, 0)" for c in conforming) or "0"
        return f"(({ones}) = 1)"

    def datatype(self, shape: Node, argument: Node, v: str) -> str:
        if not isinstance(argument, URIRef):
            raise UnsupportedShapeError(f"shape {_name(shape)}: sh:datatype must be an IRI")
        if argument == RDFS.Literal:
            return f"isLiteral({v})"
        test = f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {argument.n3()})"
        if argument in _CHECKED_DATATYPES:
            test += f" && sameTerm(DATATYPE({argument.n3()}(STR({v}))), {argument.n3()})"
        return test + ")"

    def focus_checks(self, shape: Node, path: str | None, focus: str) -> list[_Check]:
        """Return the constraints on the set of values of `shape` as expressions on `focus`."""
        graph = self.graph
        checks = []
        for parameter, component in _FOCUS_COMPONENTS.items():
            for argument in sorted(graph.objects(shape, parameter), key=str):
                if parameter == SH.hasValue:
                    value = _term(argument, shape, "sh:hasValue")
                    if path is None:
                        expression = f"sameTerm({focus}, {value})"
                    else:
                        expression = f"EXISTS {{ {focus} {path} {value} }}"
                    checks.append(_Check(component, parameter, argument, expression, False))
                    continue
                if path is None:
                    raise UnsupportedShapeError(
                        f"shape {_name(shape)}: {graph_name(parameter)} needs a property shape"
                    )
                if not isinstance(argument, Literal) or not isinstance(argument.toPython(), int):
                    raise UnsupportedShapeError(
                        f"shape {_name(shape)}: {graph_name(parameter)} takes an integer"
                    )
                n = int(argument.toPython())
                if n < 0:
                    raise UnsupportedShapeError(
                        f"shape {_name(shape)}: {graph_name(parameter)} is negative ({n})"
                    )
                if parameter == SH.minCount and n == 0:
                    expression = "true"
                elif parameter == SH.minCount:
                    expression = f"EXISTS {{ {self.distinct(focus, path, n)} }}"
                else:
                    expression = f"NOT EXISTS {{ {self.distinct(focus, path, n + 1)} }}"
                counted = path if expression != "true" and _ONE_STEP.match(path) else ""
                checks.append(
                    _Check(component, parameter, argument, expression, False, counted)
                )
        return checks

    def distinct(self, focus: str, path: str, n: int) -> str:
        """Return a pattern matching when `focus` has `n` pairwise distinct values."""
        if n > _MAX_COUNTED:
            raise UnsupportedShapeError(
                f"a count constraint of {n} values is beyond what the compiler writes "
                f"(at most {_MAX_COUNTED})"
            )
        names = [self.var("n") for _ in range(n)]
        pattern = f"{focus} {path} {', '.join(names)} ."
        pairs = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
        if pairs:
            pattern += f" FILTER ({' && '.join(pairs)})"
        return pattern

    def fails(self, shape: Node, x: str) -> str:
        """Return a SPARQL expression true when node `x` does not conform to `shape`."""
        if shape in self.nesting:
            raise UnsupportedShapeError(
                f"shape {_name(shape)} is recursive (it refers to itself through "
                "sh:node, sh:property or a logical constraint)"
            )
        if self.deactivated(shape):
            return "false"
        self.check_features(shape)
        if (shape, SH.sparql, None) in self.graph:
            raise UnsupportedShapeError(
                f"shape {_name(shape)}: a sh:sparql constraint inside sh:node, sh:not, "
                "sh:and, sh:or or sh:xone is not supported"
            )
        self.nesting.append(shape)
        try:
            parts = []
            path_node = self.one(shape, SH.path)
            if path_node is None:
                for check in self.value_checks(shape, x, x):
                    parts.append(f"!COALESCE({check.expression}, false)")
                for check in self.focus_checks(shape, None, x):
                    parts.append(f"!COALESCE({check.expression}, false)")
            else:
                path = self.path(path_node, shape)
                v = self.var("v")
                tests = [
                    f"!COALESCE({c.expression}, false)" for c in self.value_checks(shape, x, v)
                ]
                if tests:
                    parts.append(f"EXISTS {{ {x} {path} {v} . FILTER ({' || '.join(tests)}) }}")
                for check in self.focus_checks(shape, path, x):
                    parts.append(f"!COALESCE({check.expression}, false)")
            for child in sorted(self.graph.objects(shape, SH.property), key=str):
                parts.append(self.fails(child, x))
            return "(" + " || ".join(parts) + ")" if parts else "false"
        finally:
            self.nesting.pop()

    # --- targets -----------------------------------------------------------------------

    def targets(self, shape: Node) -> list[str]:
        """Return one SPARQL group pattern binding ``?this`` per target of `shape`."""
        graph = self.graph
        patterns = []
        classes = set(graph.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in graph or (shape, RDF.type, _OWL_CLASS) in graph:
            classes.add(shape)
        # the variables of a target are local to the focus subquery: fixed names make
        # the focus patterns of shapes with the same targets equal, so they share a query
        for cls in sorted(classes, key=str):
            c = "?_class"
            self.classes.add(cls)  # type: ignore[arg-type]
            patterns.append(
                f"{{ VALUES {c} {{ #SUB{_term(cls, shape, 'sh:targetClass')}# }} "
                f"?this {_RDF_TYPE} {c} }}"
            )
        nodes = sorted(graph.objects(shape, SH.targetNode), key=str)
        if nodes:
            values = " ".join(_term(n, shape, "sh:targetNode") for n in nodes)
            patterns.append(f"{{ VALUES ?this {{ {values} }} }}")
        for predicate in sorted(graph.objects(shape, SH.targetSubjectsOf), key=str):
            p = _term(predicate, shape, "sh:targetSubjectsOf")
            patterns.append(f"{{ ?this {p} ?_object }}")
        for predicate in sorted(graph.objects(shape, SH.targetObjectsOf), key=str):
            p = _term(predicate, shape, "sh:targetObjectsOf")
            patterns.append(f"{{ ?_subject {p} ?this }}")
        for target in sorted(graph.objects(shape, SH.target), key=str):
            patterns.append(self.sparql_target(shape, target))
        return patterns

    def sparql_target(self, shape: Node, target: Node) -> str:
        graph = self.graph
        select = graph.value(target, SH.select)
        kinds = set(graph.objects(target, RDF.type))
        if select is None or (kinds and SH.SPARQLTarget not in kinds):
            raise UnsupportedShapeError(
                f"shape {_name(shape)}: sh:target {target} is not a sh:SPARQLTarget with "
                "sh:select (custom target types are not supported)"
            )
        prologue, body = _split_prologue(str(select))
        prologue = "\n".join(p for p in (self.prefixes(target), prologue) if p)
        if prologue:
            self.prologues.setdefault(shape, []).append(prologue)
        return f"{{ {body} }}"

    def prefixes(self, node: Node) -> str:
        """Return PREFIX declarations for the ``sh:prefixes`` of `node`."""
        lines = []
        seen: set[Node] = set()
        todo = list(self.graph.objects(node, SH.prefixes))
        while todo:
            source = todo.pop()
            if source in seen:
                continue
            seen.add(source)
            for declaration in self.graph.objects(source, SH.declare):
                prefix = self.graph.value(declaration, SH.prefix)
                namespace = self.graph.value(declaration, SH.namespace)
                if prefix is not None and namespace is not None:
                    lines.append(f"PREFIX {prefix}: <{namespace}>")
            todo.extend(self.graph.objects(source, URIRef("http://www.w3.org/2002/07/owl#imports")))
        return "\n".join(sorted(set(lines)))


def graph_name(predicate: URIRef) -> str:
    """Write a SHACL predicate as ``sh:name`` for messages."""
    return "sh:" + str(predicate).removeprefix(str(SH))


_PROLOGUE = re.compile(r"^\s*((?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*)", re.I)


def _split_prologue(text: str) -> tuple[str, str]:
    """Split a SPARQL query into its PREFIX/BASE prologue and the rest."""
    match = _PROLOGUE.match(text)
    prologue = match.group(1).strip() if match else ""
    return prologue, text[match.end() if match else 0 :]


_SELECT = re.compile(r"\bSELECT\b(\s+(?:DISTINCT|REDUCED)\b)?", re.I)
_WHERE = re.compile(r"\bWHERE\s*\{|\{", re.I)


def _inject_focus(select: str, focus: str, shape: Node) -> str:
    """Put the focus pattern first in the outermost group of a SELECT query."""
    head = _SELECT.search(select)
    if head is None:
        raise UnsupportedShapeError(f"shape {_name(shape)}: sh:select must be a SELECT query")
    where = _WHERE.search(select, head.end())
    if where is None:
        raise UnsupportedShapeError(f"shape {_name(shape)}: sh:select has no WHERE clause")
    projection = select[head.end() : where.start()]
    if re.search(r"\bGROUP\s+BY\b|\bHAVING\b|\bMINUS\b", select, re.I):
        raise UnsupportedShapeError(
            f"shape {_name(shape)}: sh:select with GROUP BY, HAVING or MINUS is not supported "
            "(the focus nodes are joined, not pre-bound)"
        )
    star = projection.strip() == "*"
    if not star and not re.search(r"[?$]this\b", projection):
        projection = " ?this" + projection
    return (
        select[: head.start()]
        + "SELECT DISTINCT"
        + projection
        + select[where.start() : where.end()]
        + f" {focus} "
        + select[where.end() :]
    )


def compile_shapes(shapes_graph: Graph) -> CompiledShapes:
    """Compile every shape of `shapes_graph` into SPARQL queries.

    Parameters
    ----------
    shapes_graph : rdflib.Graph
        SHACL shapes.

    Returns
    -------
    CompiledShapes
        The queries, each with the shape, severity, path and messages of its results.

    Raises
    ------
    UnsupportedShapeError
        If a shape uses a feature the compiler does not support (the message names the
        shape and the feature), or is malformed.
    """
    compiler = _Compiler(shapes_graph)
    compiled = CompiledShapes(shapes_graph)
    graph = shapes_graph
    shapes = compiler.shapes()
    own_targets: dict[Node, list[str]] = {}
    for shape in shapes:
        compiler.check_features(shape)
        if compiler.deactivated(shape):
            continue
        own_targets[shape] = compiler.targets(shape)
        compiled.target_nodes.update(graph.objects(shape, SH.targetNode))
    for shape in shapes:
        if shape not in own_targets:
            continue
        patterns = list(own_targets[shape])
        prologues = list(compiler.prologues.get(shape, ()))
        for parent in graph.subjects(SH.property, shape):
            if parent in own_targets:
                patterns += own_targets[parent]
                prologues += compiler.prologues.get(parent, ())
        prologue = "\n".join(dict.fromkeys(line for p in prologues for line in p.splitlines()))
        if not patterns:
            continue
        focus = (
            "{ SELECT DISTINCT ?this WHERE { #FOCUS# "
            + " UNION ".join(dict.fromkeys(patterns))
            + " } }"
        )
        compiled.queries.extend(_shape_queries(compiler, shape, focus, prologue))
    compiled.batches = _batches(compiled.queries)
    compiled.whole_batches = _batches(compiled.queries, counts_apart=True)
    compiled.classes = set(compiler.classes)
    return compiled


def _shape_queries(
    compiler: _Compiler, shape: Node, focus: str, prologue: str
) -> Iterator[ShapeQuery]:
    """Yield the value checks, focus checks and SPARQL constraints of one targeted shape."""
    graph = compiler.graph
    common = {
        "shape": shape,
        "owner": compiler.owner(shape),
        "severity": compiler.severity(shape),
        "messages": tuple(m for m in graph.objects(shape, SH.message) if isinstance(m, Literal)),
        "focus": focus,
        "prologue": prologue,
    }
    path_node = compiler.one(shape, SH.path)
    if path_node is None:
        checks = compiler.value_checks(shape, "?this", "?this")
        checks += compiler.focus_checks(shape, None, "?this")
        if checks:
            yield ShapeQuery(kind="focus", checks=tuple(checks), **common)  # type: ignore[arg-type]
    else:
        path = compiler.path(path_node, shape)
        checks = compiler.value_checks(shape, "?this", "?value")
        if checks:
            yield ShapeQuery(
                kind="value",
                walk=f"?this {path} ?value .",
                checks=tuple(checks),
                path=path_node,
                **common,  # type: ignore[arg-type]
            )
        checks = compiler.focus_checks(shape, path, "?this")
        if checks:
            yield ShapeQuery(
                kind="focus", checks=tuple(checks), path=path_node, **common  # type: ignore[arg-type]
            )
    for constraint in sorted(graph.objects(shape, SH.sparql), key=str):
        query = _sparql_constraint(compiler, shape, constraint, focus, prologue, path_node)
        if query is not None:
            yield query


# a path of one predicate or its inverse, as the compiler writes it
_ONE_STEP_PATH = r"(?:<[^<>\s]*>|\^\(<[^<>\s]*>\))"
_ONE_STEP = re.compile(f"^{_ONE_STEP_PATH}$")
_SIMPLE_WALK = re.compile(rf"^\?this {_ONE_STEP_PATH} \?value \.$")
_SUBJECTS_OF = re.compile(
    r"^\{ SELECT DISTINCT \?this WHERE \{ #FOCUS# \{ \?this (<[^<>\s]*>) \?_object \} \} \}$"
)


def _failed(part_index: int, checks: tuple[_Check, ...], *, counts_apart: bool = False) -> str:
    """Write the expression listing the failed checks of one part (``"p.c "`` tokens).

    With `counts_apart`, the checks with a ``counted`` path are left out (they have
    queries of their own); ``""`` if nothing is left.
    """
    tokens = [
        f'IF(COALESCE({check.expression}, false), "", "{part_index}.{index} ")'
        for index, check in enumerate(checks)
        if not (counts_apart and check.counted)
    ]
    if not tokens:
        return ""
    return f"CONCAT({', '.join(tokens)})" if len(tokens) > 1 else tokens[0]


def _batches(queries: list[ShapeQuery], *, counts_apart: bool = False) -> list[Batch]:
    """Group the checks of shapes with one focus pattern into as few queries as possible.

    Focus checks of one focus pattern share one query.  Value checks share one when their
    walk is a single predicate (or its inverse): the walks are a UNION of predicate scans,
    each branch naming its part.  Other walks and SPARQL-based constraints run alone.
    With `counts_apart`, each ``sh:minCount``/``sh:maxCount`` on one predicate is a query
    of its own (:func:`_count_batch`).
    """
    batches: list[Batch] = []
    groups: dict[tuple[str, str, str], list[ShapeQuery]] = {}
    for query in queries:
        if query.kind == "sparql":
            batches.append(Batch(query.text, (query,)))
        elif query.kind == "value" and not _SIMPLE_WALK.match(query.walk):
            groups.setdefault(("walk", query.focus, query.prologue + query.walk), []).append(query)
        else:
            groups.setdefault((query.kind, query.focus, query.prologue), []).append(query)
    for (kind, focus, _), parts in groups.items():
        head = parts[0].prologue + "\n" if parts[0].prologue else ""
        if kind == "focus":
            listed = [_failed(i, p.checks, counts_apart=counts_apart) for i, p in enumerate(parts)]
            listed = [expression for expression in listed if expression]
            if listed:
                failed = listed[0] if len(listed) == 1 else f"CONCAT({', '.join(listed)})"
                text = (
                    f"SELECT DISTINCT ?this ?failed WHERE {{ {focus} "
                    f'BIND ({failed} AS ?failed) FILTER (?failed != "") }}'
                )
                batches.append(Batch(head + text, tuple(parts)))
            if counts_apart:
                batches.extend(
                    _count_batch(head, focus, parts, i, j)
                    for i, part in enumerate(parts)
                    for j, check in enumerate(part.checks)
                    if check.counted
                )
            continue
        # value checks: those that read only the value node are evaluated once per distinct
        # value (a code list has a few concepts for a hundred thousand events)
        by_value = [p for p in parts if not any("?this" in c.expression for c in p.checks)]
        by_row = [p for p in parts if p not in by_value]
        for group, per_value in ((by_value, True), (by_row, False)):
            if group:
                batches.append(_value_batch(head, focus, group, per_value))
    return batches


def _count_batch(
    head: str, focus: str, parts: list[ShapeQuery], part: int, index: int
) -> Batch:
    """Write the query of one ``sh:minCount`` or ``sh:maxCount`` on one predicate.

    Node by node, a count is an ``EXISTS`` test per focus node, and Oxigraph spends some
    6 microseconds on each: 0.2 to 0.3 s for each count of the 46,000 events of a
    1,000,000-triple store.  Counted for every node at once it is a scan of the
    predicate's triples: ``sh:maxCount`` groups the values by node (a probe of 0.04 to
    0.1 s finds no node over the count in conforming data, and the focus pattern is not
    read), ``sh:minCount 1`` is an anti-join of the focus nodes and the predicate's
    subjects (``MINUS``, 0.1 s).  The focus block (``#FOCUS#``) restricts both sides.
    """
    check = parts[part].checks[index]
    n = int(check.argument.toPython())  # type: ignore[union-attr]
    token = f'("{part}.{index} " AS ?failed)'
    values = f"{{ #FOCUS# ?this {check.counted} ?_value }}"
    if check.parameter == SH.maxCount:
        over = (
            f"SELECT ?this WHERE {values} GROUP BY ?this "
            f"HAVING (COUNT(DISTINCT ?_value) > {n})"
        )
        text = f"SELECT DISTINCT ?this {token} WHERE {{ {{ {over} }} {focus} }}"
        return Batch(head + text, tuple(parts), probe=head + over)
    if n == 1:
        enough = values
    else:
        enough = (
            f"{{ SELECT ?this WHERE {values} GROUP BY ?this "
            f"HAVING (COUNT(DISTINCT ?_value) >= {n}) }}"
        )
    return Batch(head + f"SELECT DISTINCT ?this {token} WHERE {{ {focus} MINUS {enough} }}",
                 tuple(parts))


def _value_batch(head: str, focus: str, parts: list[ShapeQuery], per_value: bool) -> Batch:
    """Write the query of value checks of several parts with one focus pattern."""
    if len(parts) == 1:
        walks = parts[0].walk + " BIND (0 AS ?part)"
    else:
        walks = " UNION ".join(f"{{ {p.walk} BIND ({i} AS ?part) }}" for i, p in enumerate(parts))
    failed = '""'
    for i in reversed(range(len(parts))):
        failed = f"IF(?part = {i}, {_failed(i, parts[i].checks)}, {failed})"
    if not per_value:
        text = (
            f"SELECT DISTINCT ?this ?value ?failed WHERE {{ {focus} {{ {walks} }} "
            f'BIND ({failed} AS ?failed) FILTER (?failed != "") }}'
        )
        return Batch(head + text, tuple(parts))
    # the walks of a shape that targets the subjects of its own path start at focus
    # nodes whatever they are: the probe need not join them with the focus pattern
    # (LabelWithoutControlCharacters at 1M: 1.1 s with the join, 0.4 s without)
    subjects_of = _SUBJECTS_OF.match(focus)
    alone = subjects_of is not None and all(
        part.walk == f"?this {subjects_of.group(1)} ?value ." for part in parts
    )
    reached = f"#FOCUS# {{ {walks} }}" if alone else f"{focus} {{ {walks} }}"
    probe = (
        f"SELECT ?part ?value ?failed WHERE {{ "
        f"{{ SELECT DISTINCT ?part ?value WHERE {{ {reached} }} }} "
        f'BIND ({failed} AS ?failed) FILTER (?failed != "") }}'
    )
    text = f"SELECT DISTINCT ?this ?value ?failed WHERE {{ {{ {probe} }} {focus} {{ {walks} }} }}"
    return Batch(head + text, tuple(parts), probe=head + probe)



def _sparql_constraint(
    compiler: _Compiler,
    shape: Node,
    constraint: Node,
    focus: str,
    prologue: str,
    path_node: Node | None,
) -> ShapeQuery | None:
    """Compile one ``sh:sparql`` constraint of a targeted shape."""
    graph = compiler.graph
    if compiler.deactivated(constraint):
        return None
    for predicate in set(graph.predicates(constraint, None)):
        if predicate in (SH.ask, SH.construct, SH.update):
            raise UnsupportedShapeError(
                f"shape {_name(shape)}: SPARQL constraints take sh:select only, not "
                f"{graph_name(predicate)}"
            )
    selects = list(graph.objects(constraint, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        raise UnsupportedShapeError(
            f"shape {_name(shape)}: a SPARQL constraint needs exactly one sh:select string"
        )
    text = str(selects[0])
    if re.search(r"\$shapesGraph\b", text):
        raise UnsupportedShapeError(f"shape {_name(shape)}: $shapesGraph is not supported")
    if isinstance(shape, URIRef):
        text = re.sub(r"\$currentShape\b", shape.n3(), text)
    elif re.search(r"\$currentShape\b", text):
        raise UnsupportedShapeError(
            f"shape {_name(shape)}: $currentShape of a blank-node shape is not supported"
        )
    if path_node is not None:
        text = text.replace("$PATH", compiler.path(path_node, shape))
    own_prologue, body = _split_prologue(text)
    prefixes = "\n".join(
        p for p in (compiler.prefixes(constraint), prologue, own_prologue) if p
    )
    query = (prefixes + "\n" if prefixes else "") + _inject_focus(body, focus, shape)
    messages = tuple(m for m in graph.objects(constraint, SH.message) if isinstance(m, Literal))
    own = tuple(m for m in graph.objects(shape, SH.message) if isinstance(m, Literal))
    return ShapeQuery(
        shape=shape,
        owner=compiler.owner(shape),
        kind="sparql",
        focus=focus,
        prologue=prefixes,
        text=query,
        severity=compiler.severity(shape),
        path=path_node,
        messages=messages + tuple(m for m in own if m not in messages),
        constraint=constraint,
    )


# --- running ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    """One validation result, before it is written into the report graph."""

    focus: Node
    query: ShapeQuery
    component: URIRef
    value: Node | None
    path: Node | None
    messages: tuple[Literal, ...]


def _values_block(nodes: set[Node]) -> str:
    """Write a ``VALUES ?this`` block of the focus IRIs and literals.

    A blank node cannot be named in a query (``_:b`` would be a new variable), so a focus
    set with a blank node gets an ``UNDEF`` row, which lets every focus node through; the
    results are then filtered in Python.
    """
    convert = to_oxigraph()
    written = sorted(str(convert(node)) for node in nodes if not isinstance(node, BNode))
    if any(isinstance(node, BNode) for node in nodes):
        written.append("UNDEF")
    return "VALUES ?this { " + " ".join(written) + " }"


def _substitute(message: Literal, row: dict[str, Node]) -> Literal:
    """Fill ``{?var}`` and ``{$var}`` of a SPARQL constraint's message from its answer row."""
    text = str(message)
    for name, value in row.items():
        if value is None:
            continue
        text = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, v=value: str(v), text)
    return Literal(text)


def _subclasses(store: ox.Store, classes: set[URIRef]) -> dict[str, str]:
    """Return, for each class, its subclasses in the store as SPARQL terms (itself too)."""
    found: dict[str, list[str]] = {c.n3(): [] for c in classes}
    if not classes:
        return {}
    values = " ".join(sorted(c.n3() for c in classes))
    query = (
        f"SELECT DISTINCT ?sub ?class WHERE {{ VALUES ?class {{ {values} }} "
        f"?sub {_SUBCLASS}* ?class }}"
    )
    for row in store.query(query, use_default_graph_as_union=True):
        sub, cls = row["sub"], row["class"]  # type: ignore[index]
        if isinstance(sub, ox.NamedNode):
            found[str(cls)].append(str(sub))
    return {cls: " ".join(sorted(subs)) for cls, subs in found.items()}


_SUB = re.compile(r"#SUB(<[^<>\s]*>)#")


def _fill(text: str, values: str, subclasses: dict[str, str]) -> str:
    """Put the focus nodes and the subclass lists into a query."""
    text = text.replace("#FOCUS#", values)

    def listed(match: re.Match[str]) -> str:
        members = subclasses.get(match.group(1)) or match.group(1)
        if text[: match.start()].rstrip().endswith("("):  # FILTER (?c IN (...))
            return ", ".join(members.split())
        return members

    return _SUB.sub(listed, text)


def _run_batch(
    store: ox.Store, batch: Batch, values: str, subclasses: dict[str, str], convert: object
) -> Iterator[_Result]:
    if batch.probe:
        probe = _fill(batch.probe, values, subclasses)
        if not any(True for _ in store.query(probe, use_default_graph_as_union=True)):
            return
    text = _fill(batch.text, values, subclasses)
    solutions = store.query(text, use_default_graph_as_union=True)
    variables = [v.value for v in solutions.variables]
    for solution in solutions:
        row = {name: convert(solution[name]) for name in variables}  # type: ignore[operator]
        if batch.parts[0].kind == "sparql":
            query = batch.parts[0]
            focus = row.get("this")
            if focus is None:
                continue
            value = row.get("value")
            if value is None and query.path is None:
                value = focus
            path = row.get("path") if query.path is None else query.path
            messages = tuple(_substitute(m, row) for m in query.messages)
            yield _Result(focus, query, SH.SPARQLConstraintComponent, value, path, messages)
            continue
        focus = row["this"]
        for token in str(row["failed"]).split():
            part, index = token.split(".")
            query = batch.parts[int(part)]
            check = query.checks[int(index)]
            if not check.reports_value:
                value = None
            elif query.kind == "value":
                value = row["value"]
            else:
                value = focus
            yield _Result(focus, query, check.component, value, query.path, query.messages)


#: Above how many focus nodes the counts are counted for every node at once
#: (:attr:`CompiledShapes.whole_batches`; always for a whole-store run).  For the 300
#: focus nodes of an added report the node-by-node batches take 0.3 s at 1M, and counting
#: at once would be some 70 queries more, each reading the focus nodes again.
_COUNT_AT_ONCE_ABOVE = 5_000


def validate(
    store: ox.Store,
    shapes: Graph | CompiledShapes,
    *,
    focus: Iterable[Node] | None = None,
    strict: bool = False,
    workers: int | None = None,
) -> tuple[bool, Graph, str]:
    """Validate the union of the graphs of `store` against SHACL shapes, in SPARQL.

    Parameters
    ----------
    store : pyoxigraph.Store
        Data, ontology and code lists (any named graphs; their union is validated).
    shapes : rdflib.Graph or CompiledShapes
        The shapes, or the result of :func:`compile_shapes` to reuse it.
    focus : iterable of rdflib nodes, optional
        Report only the results of these focus nodes (the store is still read whole).
        A set with a blank node costs a whole-graph run, filtered (a blank node cannot
        be named in a query).
    strict : bool, default False
        If true, warnings and infos also make the data fail.
    workers : int, optional
        How many queries run at once (threads: Oxigraph releases the interpreter lock
        while it evaluates); the number of processors by default, 1 to run them in turn.
        The results and their order do not depend on it.

    Returns
    -------
    conforms : bool
        Whether no result has severity ``sh:Violation`` (any result, when `strict`).
    report_graph : rdflib.Graph
        A SHACL validation report, as pySHACL writes it (anonymous source shapes and
        paths are copied in, with the triples that link them to their named shape).
    text : str
        The report in pySHACL's text layout.

    Raises
    ------
    UnsupportedShapeError
        If the shapes use a feature the compiler does not support.
    ShapesError
        If Oxigraph refuses a compiled query (a syntax error in a ``sh:select``).
    """
    compiled = shapes if isinstance(shapes, CompiledShapes) else compile_shapes(shapes)
    focus_set = None if focus is None else set(focus)
    values = "" if focus_set is None else _values_block(focus_set)
    convert = from_oxigraph()
    subclasses = _subclasses(store, compiled.classes)
    results: list[_Result] = []
    seen: set[tuple[object, ...]] = set()

    def run(batch: Batch) -> list[_Result]:
        try:
            return list(_run_batch(store, batch, values, subclasses, convert))
        except SyntaxError as error:
            shapes_named = ", ".join(_name(part.shape) for part in batch.parts)
            raise ShapesError(
                f"shape {shapes_named}: Oxigraph cannot run its compiled query: {error}"
            ) from error

    # node by node for a few focus nodes (an incremental build), counted at once for many
    size = math.inf if focus_set is None else len(focus_set)
    batches = compiled.whole_batches if size > _COUNT_AT_ONCE_ABOVE else compiled.batches
    for found in in_threads(run, batches, workers=workers):
        for result in found:
            if focus_set is not None and result.focus not in focus_set:
                continue
            key = (
                result.focus,
                result.query.shape,
                result.component,
                result.value,
                result.messages,
            )
            if key not in seen:
                seen.add(key)
                results.append(result)
    failing = {SH.Violation} if not strict else None
    conforms = not any(failing is None or r.query.severity in failing for r in results)
    report = _report_graph(compiled.shapes_graph, results, conforms)
    return conforms, report, _text(compiled.shapes_graph, results, conforms)


def _copy_closure(source: Graph, target: Graph, node: Node) -> None:
    """Copy the triples of `node` and of the blank nodes it reaches."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for triple in source.triples((current, None, None)):
            target.add(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])


def _report_graph(shapes_graph: Graph, results: list[_Result], conforms: bool) -> Graph:
    """Write the results as a SHACL validation report graph."""
    report_graph = Graph()
    report_graph.bind("sh", SH)
    for prefix, namespace in shapes_graph.namespaces():
        report_graph.bind(prefix, namespace, override=False)
    report = BNode()
    report_graph.add((report, RDF.type, SH.ValidationReport))
    report_graph.add((report, SH.conforms, Literal(conforms)))
    copied: set[Node] = set()
    for result in results:
        node = BNode()
        query = result.query
        add = report_graph.add
        add((report, SH.result, node))
        add((node, RDF.type, SH.ValidationResult))
        add((node, SH.focusNode, result.focus))
        add((node, SH.resultSeverity, query.severity))
        add((node, SH.sourceShape, query.shape))
        add((node, SH.sourceConstraintComponent, result.component))
        if result.value is not None:
            add((node, SH.value, result.value))
        if result.path is not None:
            add((node, SH.resultPath, result.path))
            if isinstance(result.path, BNode) and result.path not in copied:
                copied.add(result.path)
                _copy_closure(shapes_graph, report_graph, result.path)
        if query.constraint is not None:
            add((node, SH.sourceConstraint, query.constraint))
        for message in result.messages:
            add((node, SH.resultMessage, message))
        if query.shape not in copied:
            copied.add(query.shape)
            _link_to_owner(shapes_graph, report_graph, query.shape)
    return report_graph


def _link_to_owner(shapes_graph: Graph, report_graph: Graph, shape: Node) -> None:
    """Copy an anonymous shape and the triples that lead to it from its named shape."""
    if isinstance(shape, BNode):
        _copy_closure(shapes_graph, report_graph, shape)
    todo, seen = [shape], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for predicate in (SH.property, SH.node, SH["not"], SH.sparql, RDF.first, RDF.rest):
            for parent in shapes_graph.subjects(predicate, current):
                report_graph.add((parent, predicate, current))
                if not isinstance(parent, URIRef):
                    todo.append(parent)
        for predicate in (SH["and"], SH["or"], SH.xone):
            for parent in shapes_graph.subjects(predicate, current):
                report_graph.add((parent, predicate, current))
                if not isinstance(parent, URIRef):
                    todo.append(parent)
        if isinstance(current, URIRef):
            for predicate in (SH.name, RDFS.label):
                for label in shapes_graph.objects(current, predicate):
                    report_graph.add((current, predicate, label))


def _short(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except (ValueError, KeyError):
            return node.n3()
    return node.n3()


def _text(shapes_graph: Graph, results: list[_Result], conforms: bool) -> str:
    """Write the results in pySHACL's text layout."""
    lines = ["Validation Report", f"Conforms: {conforms}"]
    if results:
        lines.append(f"Results ({len(results)}):")
    for result in results:
        query = result.query
        kind = "Constraint Violation" if query.severity == SH.Violation else "Validation Result"
        component = str(result.component)
        name = component.removeprefix(str(SH))
        lines.append(f"{kind} in {name} ({component}):")
        lines.append(f"\tSeverity: {_short(shapes_graph, query.severity)}")
        lines.append(f"\tSource Shape: {_short(shapes_graph, query.shape)}")
        lines.append(f"\tFocus Node: {_short(shapes_graph, result.focus)}")
        if result.value is not None:
            lines.append(f"\tValue Node: {_short(shapes_graph, result.value)}")
        if result.path is not None:
            lines.append(f"\tResult Path: {_short(shapes_graph, result.path)}")
        for message in sorted(result.messages, key=str):
            lines.append(f"\tMessage: {message}")
        if not result.messages:
            lines.append(f"\tMessage: {name.removesuffix('ConstraintComponent')} not satisfied")
    return "\n".join(lines) + "\n"


# --- stores and focus sets ------------------------------------------------------------------


def store_from_files(paths: Iterable[str | Path], store: ox.Store | None = None) -> ox.Store:
    """Load RDF files into a store, one named graph per file (named by its ``file:`` IRI).

    Parameters
    ----------
    paths : iterable of path-like
        Turtle, N-Triples, N-Quads, TriG or RDF/XML files (by extension).
    store : pyoxigraph.Store, optional
        Where to load them (a new in-memory store by default).

    Returns
    -------
    pyoxigraph.Store
    """
    store = ox.Store() if store is None else store
    for path in paths:
        file = Path(path).resolve()
        format_ = ox.RdfFormat.from_extension(file.suffix.lstrip("."))
        if format_ is None:
            raise ShapesError(f"{file}: unknown RDF file extension")
        store.bulk_load(path=str(file), format=format_, to_graph=ox.NamedNode(file.as_uri()))
    return store


def store_from_graphs(graphs: dict[str, Graph], store: ox.Store | None = None) -> ox.Store:
    """Put rdflib graphs into a store, one named graph each, keeping blank node labels.

    Parameters
    ----------
    graphs : dict
        Graph IRI to rdflib graph.
    store : pyoxigraph.Store, optional
        Where to put them (a new in-memory store by default).

    Returns
    -------
    pyoxigraph.Store
    """
    store = ox.Store() if store is None else store
    convert = to_oxigraph()
    for name, graph in graphs.items():
        context = ox.NamedNode(name)
        store.bulk_extend(
            ox.Quad(convert(s), convert(p), convert(o), context) for s, p, o in graph
        )
    return store


def graph_focus_nodes(
    store: ox.Store,
    graph_name: str,
    shapes: CompiledShapes | None = None,
    *,
    vocabulary_graphs: Iterable[str] = (),
) -> set[Node]:
    """Return the focus set of one named graph: the nodes whose results it can change.

    The subjects and objects (IRIs) of its triples, every node one triple away from its
    subjects in the whole store, and the ``sh:targetNode`` values of `shapes`.  The other
    nodes that point at a node the graph points at are left out: a file states facts only
    about its own nodes (rule ``FactInOwnFile``), so what it says cannot change theirs,
    and going through a shared place or actor put most of a 1M-triple store in the focus
    set of one report (176 s of validation against 100 s for everything).  Validating the
    focus sets of every graph of a store and taking the union of the results gives the
    results of the whole store.

    The terms of the vocabulary (the nodes described in `vocabulary_graphs`: classes,
    code-list concepts) are in the focus set when the graph uses them, but their
    neighbours are not: every record points at a class and a status, so going one triple
    beyond ``ckc:Reported`` would put most of the store in the focus set of a one-page
    report, while no shape looks through a vocabulary term from one record to another
    (with 100,000 synthetic triples in the store this took the validation of one added
    report from 50 s to 4 s, with the same results).

    Parameters
    ----------
    store : pyoxigraph.Store
        The store.
    graph_name : str
        IRI of the named graph (a new file).
    shapes : CompiledShapes, optional
        For its target nodes.
    vocabulary_graphs : iterable of str, keyword-only
        IRIs of the named graphs that hold the ontology and code lists.

    Returns
    -------
    set of rdflib nodes
    """
    convert = from_oxigraph()
    graphs = " ".join(f"<{name}>" for name in vocabulary_graphs)
    # the graph's subjects once, less the vocabulary's terms (MINUS: a test per triple of
    # the graph cost 0.7 to 1.5 s for the Bamako report beside 1,000,000 triples)
    not_vocabulary = (
        f"MINUS {{ VALUES ?vocabulary {{ {graphs} }} "
        "GRAPH ?vocabulary { ?mine ?anyPredicate ?anyValue } }"
        if graphs
        else ""
    )
    mine = f"{{ SELECT DISTINCT ?mine WHERE {{ GRAPH <{graph_name}> {{ ?mine ?p ?o }} }} }}"
    query = f"""
        SELECT DISTINCT ?node WHERE {{
          {{ GRAPH <{graph_name}> {{ ?node ?p ?o }} }}
          UNION {{ GRAPH <{graph_name}> {{ ?s ?p ?node FILTER (!isLiteral(?node)) }} }}
          UNION {{ {{ SELECT ?mine WHERE {{ {mine} {not_vocabulary} }} }} ?node ?q ?mine }}
          UNION {{ {{ SELECT ?mine WHERE {{ {mine} {not_vocabulary} }} }} ?mine ?q ?node
                   FILTER (!isLiteral(?node)) }}
        }}"""
    rows = store.query(query, use_default_graph_as_union=True)
    nodes = {convert(row["node"]) for row in rows}  # type: ignore[index]
    if shapes is not None:
        nodes |= shapes.target_nodes
    return nodes
