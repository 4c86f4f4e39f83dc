r"""Answers to queries and the formats they are written in.

:class:`QueryResult` is the answer of any engine or endpoint.  :func:`serialize` writes it:
``csv``, ``tsv`` and ``xml`` are written by pyoxigraph (``QuerySolutions.serialize``) from
the JSON results document of the answer, which pyoxigraph reads
(``pyoxigraph.parse_query_results``): pyoxigraph cannot build results from terms, and
the answer's own terms must be written, not Oxigraph's, whose lexical forms may differ
(rdflib writes the double 1.0e6 ``1000000.0``, Oxigraph ``1000000``).  ``json`` is that
document, written here with one binding a line so that answers read well and compare
well in version control; ``table`` is a rich table; ``turtle`` and
``ntriples`` come from :mod:`conflictkg.rdf.serialization` and ``jsonld`` from rdflib.

Examples
--------
>>> from rdflib import Literal
>>> result = QueryResult("SELECT", ["name"], [(Literal("Wagner Group"),)])
>>> serialize(result, "csv")
b'name\r\nWagner Group\r\n'
>>> serialize(result, "tsv")
b'?name\n"Wagner Group"\n'
>>> serialize(QueryResult("ASK", boolean=True), "csv")
b'_askResult\r\ntrue\r\n'
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from conflictkg.atomic import AtomicOutputs
from conflictkg.errors import QueryError
from conflictkg.rdf.loading import new_graph
from conflictkg.rdf.terms import compact, namespace_manager_for
from conflictkg.sparql.formats import FORMATS, GRAPH_FORMATS, RESULT_FORMATS

__all__ = [
    "QueryResult",
    "graph_of",
    "json_document",
    "limited",
    "row_limit_note",
    "serialize",
    "write_result",
]

_PYOXIGRAPH_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


@dataclass
class QueryResult:
    """The answer to a query, whatever engine gave it.

    Attributes
    ----------
    form : str
        ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
    variables : list of str
        Column names (SELECT).
    rows : list of tuple
        One tuple of rdflib terms (``None`` when unbound) per solution.
    boolean : bool or None
        The answer of an ASK query.
    graph : rdflib.Graph or None
        The triples of a CONSTRUCT or DESCRIBE query.
    engine : str
        ``oxigraph``, ``rdflib`` or the endpoint URL.
    seconds : float
        Time taken to run the query and read its results.
    incomplete : str or None
        Why the answer may miss rows (row limit, endpoint cap), or None.
    notes : list of str
        Other remarks for the user.
    """

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    engine: str = ""
    seconds: float = 0.0
    incomplete: str | None = None
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        """Return the number of rows, of triples, or 1 for ASK."""
        if self.form == "SELECT":
            return len(self.rows)
        if self.graph is not None:
            return len(self.graph)
        return 1

    def as_dicts(self) -> list[dict[str, Node]]:
        """Return the rows as dictionaries of bound variables (SELECT only)."""
        return [
            {name: term for name, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self.rows
        ]


def limited(items: Iterable[Any], max_rows: int | None) -> tuple[list[Any], bool]:
    """Take at most `max_rows` items; say whether more were there.

    Parameters
    ----------
    items : iterable
        Rows or triples.
    max_rows : int or None
        The limit (None: no limit).

    Returns
    -------
    list
        The items kept.
    bool
        Whether some were left out.
    """
    if max_rows is None:
        return list(items), False
    taken = []
    for item in items:
        if len(taken) == max_rows:
            return taken, True
        taken.append(item)
    return taken, False


def graph_of(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """Return a new graph, with the project prefixes, holding `triples`.

    Parameters
    ----------
    triples : iterable of tuple
        rdflib triples.

    Returns
    -------
    rdflib.Graph
        The graph.
    """
    graph = new_graph()
    for triple in triples:
        graph.add(triple)
    return graph



def row_limit_note(max_rows: int | None) -> str:
    """Say that the row limit cut an answer.

    Parameters
    ----------
    max_rows : int or None
        The limit.

    Returns
    -------
    str
        The note, with how to raise the limit.
    """
    return (
        f"row limit reached: only the first {max_rows} rows are shown "
        "(raise it with --max-rows, 0 for no limit)"
    )



def _json_value(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != str(XSD.string):
        value["datatype"] = str(term.datatype)
    return value


def json_document(result: QueryResult) -> dict[str, Any]:
    """Return the SPARQL JSON results document of a SELECT or ASK answer.

    Parameters
    ----------
    result : QueryResult
        A SELECT or ASK answer.

    Returns
    -------
    dict
        ``{"head": ..., "results": {"bindings": [...]}}``, or ``{"head": {}, "boolean": ...}``.
    """
    if result.form == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    return {
        "head": {"vars": result.variables},
        "results": {
            "bindings": [
                {
                    name: _json_value(term)
                    for name, term in zip(result.variables, row, strict=True)
                    if term is not None
                }
                for row in result.rows
            ]
        },
    }


def _written_by_pyoxigraph(result: QueryResult, fmt: str) -> bytes:
    """Have pyoxigraph write a SELECT or ASK answer in CSV, TSV or XML.

    ASK answers in CSV and TSV, which the standard leaves out, are one column,
    ``_askResult``, as Apache Jena writes them; pyoxigraph writes only ``true``.
    """
    if result.form == "ASK" and fmt != "xml":
        answer = "true" if result.boolean else "false"
        if fmt == "csv":
            return f"_askResult\r\n{answer}\r\n".encode()
        return f"?_askResult\n{answer}\n".encode()
    source = json.dumps(json_document(result), ensure_ascii=False).encode("utf-8")
    parsed = ox.parse_query_results(source, format=ox.QueryResultsFormat.JSON)
    data = parsed.serialize(format=_PYOXIGRAPH_FORMATS[fmt])
    return data if fmt != "xml" or data.endswith(b"\n") else data + b"\n"


def _table(result: QueryResult) -> bytes:
    from rich.console import Console
    from rich.table import Table

    manager = namespace_manager_for()

    def show(term: Node | None) -> str:
        if term is None:
            return ""
        if isinstance(term, Literal):
            return str(term)
        return compact(term, manager)

    if result.form == "ASK":
        text = "yes" if result.boolean else "no"
        return (text + "\n").encode()
    table = Table(show_lines=False, title_justify="left")
    if result.form == "SELECT":
        for name in result.variables:
            table.add_column(name, overflow="fold")
        for row in result.rows:
            table.add_row(*(show(term) for term in row))
        count = f"{len(result.rows)} row(s)"
    else:
        for name in ("subject", "predicate", "object"):
            table.add_column(name, overflow="fold")
        assert result.graph is not None
        for s, p, o in sorted(result.graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            table.add_row(show(s), show(p), show(o))
        count = f"{len(result.graph)} triple(s)"
    buffer = io.StringIO()
    width = int(os.environ.get("COLUMNS", "0") or 0) or None
    console = Console(file=buffer, width=width or 160, no_color=True, highlight=False)
    console.print(table)
    console.print(f"{count}, {result.engine}, {result.seconds:.3f} s")
    return buffer.getvalue().encode("utf-8")


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Write a result in one of :data:`FORMATS`.

    ``csv`` and ``tsv`` follow "SPARQL 1.1 Query Results CSV and TSV Formats",
    ``json`` and ``xml`` the JSON and XML results formats; ASK results in CSV
    or TSV are one column, ``_askResult``, as Apache Jena writes them.
    ``turtle``, ``ntriples`` and ``jsonld`` are for CONSTRUCT and DESCRIBE.

    Parameters
    ----------
    result : QueryResult
        The answer.
    fmt : str
        One of :data:`FORMATS`.

    Returns
    -------
    bytes
        UTF-8 text.

    Raises
    ------
    QueryError
        For a format that does not fit the query form.

    References
    ----------
    .. [1] W3C, "SPARQL 1.1 Query Results CSV and TSV Formats", 2013.
       https://www.w3.org/TR/sparql11-results-csv-tsv/
    .. [2] W3C, "SPARQL 1.1 Query Results JSON Format", 2013.
       https://www.w3.org/TR/sparql11-results-json/
    .. [3] W3C, "SPARQL Query Results XML Format (Second Edition)", 2013.
       https://www.w3.org/TR/rdf-sparql-XMLres/
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    graph_form = result.form in ("CONSTRUCT", "DESCRIBE")
    if fmt == "table":
        return _table(result)
    if graph_form != (fmt in GRAPH_FORMATS):
        fitting = GRAPH_FORMATS if graph_form else RESULT_FORMATS
        raise QueryError(
            f"format {fmt} does not fit a {result.form} query; use one of: {', '.join(fitting)}"
        )
    if graph_form:
        assert result.graph is not None
        if fmt == "turtle":
            from conflictkg.rdf.serialization import to_turtle

            return to_turtle(result.graph)
        if fmt == "ntriples":
            from conflictkg.rdf.serialization import to_ntriples

            return to_ntriples(result.graph)
        return result.graph.serialize(format="json-ld", encoding="utf-8", auto_compact=True)
    if fmt == "json":
        document = json_document(result)
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return _written_by_pyoxigraph(result, fmt)


def write_result(result: QueryResult, fmt: str, path: str | os.PathLike[str]) -> None:
    """Write `result` in `fmt` (see :func:`serialize`) to `path`, atomically; folders are made."""
    data = serialize(result, fmt)
    with AtomicOutputs() as outputs:
        outputs.write_bytes(path, data)

