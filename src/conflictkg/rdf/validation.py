"""Check data and ontology against the project's SHACL shapes and rules.

:func:`validate_store` validates a pyoxigraph store (ontology, code lists and data, one
named graph per file) in two parts:

* the shapes of ``ontology/shapes.ttl``, compiled to SPARQL and run by Oxigraph
  (:mod:`conflictkg.rdf.shacl_sparql`: 6 s at 1,000,000 triples against 48 s for
  pyshacl-turbo and about 340 s for pySHACL, with the same results on every fixture), or
  by pySHACL, the reference engine, with ``engine="pyshacl"``;
* the rules over the whole graph (:mod:`conflictkg.rdf.rules`: closed vocabulary, known
  classes, defined values, code lists, ranges, and the file of each fact), as SPARQL;
  their results join the SHACL report under the shapes that declare them.

Both can be limited to the nodes a changed file can affect (``focus``), which is how a
build that adds one report validates only what the report touches.

:func:`validate` does the same for rdflib graphs (the data in one graph), through a store
made in memory.

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
>>> from conflictkg.rdf.rules import Vocabulary
>>> terms = Vocabulary.from_ontology(ontology)
>>> terms.suggest("perpetratr")
'perpetrator'
>>> terms.defines(URIRef(str(CKG) + "Event")), terms.defines(URIRef(str(CKG) + "Evnt"))
(True, False)
"""

from __future__ import annotations

import contextlib
import inspect
import re
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, NamespaceManager
from rdflib.term import Node

from conflictkg import resources
from conflictkg.errors import ShapesError
from conflictkg.namespaces import CKG
from conflictkg.rdf.labels import preferred_label
from conflictkg.rdf.loading import graph_from_store, load_files, new_graph
from conflictkg.rdf.rules import (
    CKGSH,
    CLOSED_VOCABULARY_SHAPE,
    PYTHON_RULES,
    Finding,
    OntologyIndex,
    Vocabulary,
)
from conflictkg.rdf.terms import compact, local_name, namespace_manager_for

if TYPE_CHECKING:
    from conflictkg.rdf.shacl_sparql import CompiledShapes

__all__ = [
    "CKGSH",
    "CLOSED_VOCABULARY_SHAPE",
    "ENGINES",
    "PYTHON_RULES",
    "Violation",
    "Vocabulary",
    "validate_store",
    "check",
    "validate",
    "validate_ontology",
    "violations",
]


_CKG = str(CKG)
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
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


def _report_node(report_graph: Graph) -> Node:
    """Return the ``sh:ValidationReport`` node of a report graph."""
    for node in report_graph.subjects(RDF.type, SH.ValidationReport):
        return node
    node = BNode()
    report_graph.add((node, RDF.type, SH.ValidationReport))
    return node


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
    from rdflib.plugins.sparql import processor as sparql_processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

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
    """Run pySHACL once with the project's settings, on a scratch copy of the data.

    pySHACL and rdflib's SPARQL engine are imported here, not with the module: the
    ``sparql`` engine that builds use needs neither, and importing them cost 0.13 s of
    an incremental build's 0.6 s in a fresh process.
    """
    import pyshacl
    from pyparsing import ParseBaseException
    from pyshacl.errors import (
        ConstraintLoadError,
        ReportableRuntimeError,
        RuleLoadError,
        ShapeLoadError,
    )

    errors = (
        ShapeLoadError,
        ConstraintLoadError,
        RuleLoadError,
        ReportableRuntimeError,
        ParseBaseException,  # a SPARQL constraint whose query does not parse
    )
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
    except errors as error:
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


#: Engines that run the shapes: compiled to SPARQL on Oxigraph (the default), or pySHACL.
ENGINES = ("sparql", "pyshacl")


def validate_store(
    store: ox.Store,
    *,
    shapes_graph: Graph,
    index: OntologyIndex | None = None,
    focus: Iterable[Node] | None = None,
    strict: bool = False,
    engine: str = "sparql",
    compiled: CompiledShapes | None = None,
) -> tuple[bool, Graph, str]:
    """Validate a store against the shapes and the whole-graph rules.

    Parameters
    ----------
    store : pyoxigraph.Store
        Ontology, code lists and data, one named graph per file (their union is
        validated; graphs named ``urn:conflictkg:file:graph/...`` or
        ``urn:conflictkg:extra:...`` are the data files, whose facts about each other's
        nodes the file rule checks).
    shapes_graph : rdflib.Graph
        SHACL shapes.
    index : OntologyIndex, optional
        The ontology's index for the rules; read from the store when omitted.
    focus : iterable of rdflib nodes, optional
        Report only what concerns these nodes (see :func:`shacl_sparql.graph_focus_nodes`);
        the whole store when omitted.
    strict : bool, default False
        If true, warnings and infos also make the data fail.
    engine : {"sparql", "pyshacl"}
        What runs the shapes.
    compiled : CompiledShapes, optional
        `shapes_graph` compiled by :func:`shacl_sparql.compile_shapes`, to reuse it
        (the ``sparql`` engine compiles the shapes itself otherwise).

    Returns
    -------
    conforms : bool
        Whether the data passes.
    report_graph : rdflib.Graph
        The SHACL validation report, with the rules' results and the names of the named
        source shapes added.
    text : str
        The report as text, in pySHACL's layout.

    Raises
    ------
    ShapesError
        If the shapes cannot be used.
    """
    from conflictkg.rdf import shacl_sparql
    from conflictkg.rdf.rules import rule_findings

    focus = None if focus is None else set(focus)
    manager = new_graph().namespace_manager
    manager.bind("ckgsh", CKGSH, override=False)
    # the rules run beside the shapes: both spend their time in Oxigraph, which releases
    # the interpreter lock (at 1M triples 3.4 s of rules and 9.5 s of shapes in turn)
    side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="conflictkg-rules")
    rules = side.submit(rule_findings, store, index=index, focus=focus, manager=manager)
    try:
        if engine == "sparql":
            conforms, report_graph, text = shacl_sparql.validate(
                store, shapes_graph if compiled is None else compiled, focus=focus, strict=strict
            )
        elif engine == "pyshacl":
            union = graph_from_store(store)
            conforms, report_graph, text = _run_pyshacl(union, shapes_graph, None, strict)
            if focus is not None:
                _keep_focus(report_graph, focus)
                conforms = _conforms(report_graph, strict)
        else:
            raise ShapesError(
                f"unknown validation engine {engine!r}; use one of: {', '.join(ENGINES)}"
            )
        findings = rules.result()
    finally:
        side.shutdown(wait=True, cancel_futures=True)
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


def _keep_focus(report_graph: Graph, focus: set) -> None:
    """Drop the results of a report whose focus node is not in `focus`."""
    report = _report_node(report_graph)
    for result in list(report_graph.objects(report, SH.result)):
        if report_graph.value(result, SH.focusNode) not in focus:
            report_graph.remove((report, SH.result, result))


def _conforms(report_graph: Graph, strict: bool) -> bool:
    severities = {report_graph.value(r, SH.resultSeverity) for r in _top_results(report_graph)}
    if strict:
        return not severities
    return SH.Violation not in severities


def validate(
    data_graph: Graph,
    *,
    shapes_graph: Graph | None = None,
    ontology_graph: Graph | None = None,
    strict: bool = False,
    engine: str = "sparql",
) -> tuple[bool, Graph, str]:
    """Validate an rdflib graph of data against the shapes and the whole-graph rules.

    The data and the ontology are put in an in-memory store (two named graphs) and
    validated with :func:`validate_store`.

    Parameters
    ----------
    data_graph : rdflib.Graph
        The data (not changed).
    shapes_graph : rdflib.Graph, optional
        SHACL shapes; the project's ``ontology/shapes.ttl`` by default.
    ontology_graph : rdflib.Graph, optional
        The ontology and code lists; the project's by default.
    strict : bool, default False
        If true, warnings and infos also make the data fail.
    engine : {"sparql", "pyshacl"}
        What runs the shapes.

    Returns
    -------
    conforms : bool
        Whether the data passes.
    report_graph : rdflib.Graph
        The SHACL validation report, with the rules' results and the names of the
        named source shapes added.
    text : str
        The report as text, in pySHACL's layout.

    Raises
    ------
    ShapesError
        If the shapes cannot be used.
    conflictkg.rdf.loading.InputError
        If a default shapes or ontology file cannot be loaded.
    """
    from conflictkg.rdf.rules import OntologyIndex
    from conflictkg.rdf.shacl_sparql import store_from_graphs

    if shapes_graph is None:
        shapes_graph = load_files([resources.shapes_file()])
    if ontology_graph is None:
        ontology_graph = load_files(resources.ontology_files())
    store = store_from_graphs(
        {"urn:conflictkg:file:ontology": ontology_graph, "urn:conflictkg:extra:data": data_graph}
    )
    return validate_store(
        store,
        shapes_graph=shapes_graph,
        index=OntologyIndex.from_ontology(ontology_graph),
        strict=strict,
        engine=engine,
    )


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
    vocabulary = None
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
                        from conflictkg.rdf.rules import Vocabulary

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
