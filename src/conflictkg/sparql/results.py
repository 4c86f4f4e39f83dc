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
import itertools
import json
import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from conflictkg.errors import QueryError
from conflictkg.prefixes import PREFIXES
from conflictkg.sparql.formats import FORMATS, GRAPH_FORMATS, RESULT_FORMATS

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = [
    "QueryResult",
    "compact_iri",
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


class QueryResult:
    """The answer to a query, whatever engine gave it.

    Oxigraph's answers keep Oxigraph's terms (`terms`) and make the rdflib terms of
    `rows` on first use: writing an answer (CSV, TSV, XML, JSON, table) needs only the
    former, and making rdflib terms costs more than Oxigraph's answer to most questions
    (as much as 0.5 ms a row; it also loads rdflib, a fifth of a second in a new
    process).

    Attributes
    ----------
    form : str
        ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
    variables : list of str
        Column names (SELECT).
    rows : list of tuple
        One tuple of rdflib terms (``None`` when unbound) per solution.
    terms : list of tuple or None
        The same rows as pyoxigraph terms, for Oxigraph's answers; None otherwise.
    boolean : bool or None
        The answer of an ASK query.
    graph : rdflib.Graph or None
        The triples of a CONSTRUCT or DESCRIBE query (for Oxigraph's answers, made from
        `triples` on first use: building it costs more than Oxigraph's answer to a small
        CONSTRUCT).
    triples : list of pyoxigraph.Triple or None
        Oxigraph's triples of a CONSTRUCT or DESCRIBE answer until `graph` is made.
    engine : str
        ``oxigraph``, ``rdflib`` or the endpoint URL.
    seconds : float
        Time taken to run the query and read its results.
    incomplete : str or None
        Why the answer may miss rows (row limit, endpoint cap), or None.
    notes : list of str
        Other remarks for the user.
    """

    def __init__(
        self,
        form: str,
        variables: list[str] | None = None,
        rows: list[tuple[Node | None, ...]] | None = None,
        boolean: bool | None = None,
        graph: Graph | None = None,
        engine: str = "",
        seconds: float = 0.0,
        incomplete: str | None = None,
        notes: list[str] | None = None,
        *,
        terms: list[tuple[Any, ...]] | None = None,
        triples: list[Any] | None = None,
    ) -> None:
        self.form = form
        self.variables = list(variables or [])
        self.terms = terms
        self._rows = None if rows is None and terms is not None else list(rows or [])
        self.boolean = boolean
        self._graph = graph
        self.triples = triples if graph is None else None
        self.engine = engine
        self.seconds = seconds
        self.incomplete = incomplete
        self.notes = list(notes or [])

    @property
    def rows(self) -> list[tuple[Node | None, ...]]:
        """One tuple of rdflib terms (``None`` when unbound) per solution."""
        if self._rows is None:
            from conflictkg.rdf.terms import from_oxigraph

            convert = from_oxigraph()
            self._rows = [tuple(convert(term) for term in row) for row in self.terms or ()]
        return self._rows

    @rows.setter
    def rows(self, rows: list[tuple[Node | None, ...]]) -> None:
        self._rows = list(rows)
        self.terms = None

    @property
    def graph(self) -> Graph | None:
        """The triples of a CONSTRUCT or DESCRIBE answer as an rdflib graph, made on first use."""
        if self._graph is None and self.triples is not None:
            from conflictkg.rdf.terms import from_oxigraph

            convert = from_oxigraph()
            self._graph = graph_of(
                (convert(t.subject), convert(t.predicate), convert(t.object))
                for t in self.triples
            )
            self.triples = None
        return self._graph

    @graph.setter
    def graph(self, graph: Graph | None) -> None:
        self._graph = graph
        self.triples = None

    def __repr__(self) -> str:
        """Show the form, the columns and the size."""
        size = f"{len(self)} rows" if self.form == "SELECT" else f"{len(self)}"
        return f"QueryResult({self.form!r}, {self.variables!r}, {size}, engine={self.engine!r})"

    def __len__(self) -> int:
        """Return the number of rows, of triples, or 1 for ASK."""
        if self.form == "SELECT":
            return len(self.terms) if self._rows is None else len(self._rows)  # type: ignore[arg-type]
        if self.triples is not None:
            return len(set(self.triples))  # as the graph counts them: each triple once
        if self._graph is not None:
            return len(self._graph)
        return 1

    def as_dicts(self) -> list[dict[str, Node]]:
        """Return the rows as dictionaries of bound variables (SELECT only)."""
        return [
            {name: term for name, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self.rows
        ]


def limited(items: Iterable[Any], max_rows: int | None) -> tuple[list[Any], bool]:
    """Take at most `max_rows` items; say whether more were there.

    At most one item more than `max_rows` is read from `items` (an engine's answer is
    computed as it is read).  The items are taken by :func:`itertools.islice`, not one by
    one in Python: the loop cost a tenth of a microsecond a row.

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

    Examples
    --------
    >>> limited(iter("abc"), 2)
    (['a', 'b'], True)
    >>> limited(iter("ab"), 2)
    (['a', 'b'], False)
    """
    if max_rows is None:
        return list(items), False
    taken = list(itertools.islice(items, max_rows + 1))
    if len(taken) > max_rows:
        del taken[max_rows:]
        return taken, True
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
    from conflictkg.rdf.loading import new_graph

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



_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _json_value(term: Any) -> dict[str, str]:
    """One cell of the JSON results document: an rdflib term or a pyoxigraph one."""
    kind = type(term)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": term.value}
    if kind is ox.Literal:
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": term.value}
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if not isinstance(term, Literal):
        raise QueryError(f"an answer holds {term!r}, which SPARQL results cannot hold")
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
        value["datatype"] = str(term.datatype)
    return value


def _cells(result: QueryResult) -> Sequence[tuple[Any, ...]]:
    """Return the rows of an answer in the terms it came with (pyoxigraph's or rdflib's)."""
    return result.terms if result.terms is not None else result.rows


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
                for row in _cells(result)
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


_LOCAL_NAME = re.compile(r"[A-Za-z_][\w.-]*(?<!\.)|")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact_iri(iri: str) -> str:
    """Write an IRI as ``prefix:name`` with the project prefixes, or whole when none fits.

    The name must be a plain local name (a letter or ``_`` first, then letters, digits,
    ``_``, ``-`` and ``.``), as rdflib's namespace manager asks.

    Examples
    --------
    >>> compact_iri("https://w3id.org/conflictkg/id/jnim")
    'ckr:jnim'
    >>> compact_iri("https://example.org/x")
    'https://example.org/x'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if _LOCAL_NAME.fullmatch(local):
                return f"{prefix}:{local}"
    return iri


def _shown(term: Any) -> str:
    """Write a cell of the table: a literal's text, a compact IRI, ``_:id`` for a blank node."""
    if term is None:
        return ""
    kind = type(term)
    if kind is ox.Literal:
        return term.value
    if kind is ox.NamedNode:
        return compact_iri(term.value)
    if kind is ox.BlankNode:
        return f"_:{term.value}"
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return compact_iri(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _table(result: QueryResult) -> bytes:
    from rich.console import Console
    from rich.table import Table

    if result.form == "ASK":
        text = "yes" if result.boolean else "no"
        return (text + "\n").encode()
    table = Table(show_lines=False, title_justify="left")
    if result.form == "SELECT":
        for name in result.variables:
            table.add_column(name, overflow="fold")
        rows = _cells(result)
        for row in rows:
            table.add_row(*(_shown(term) for term in row))
        count = f"{len(rows)} row(s)"
    else:
        for name in ("subject", "predicate", "object"):
            table.add_column(name, overflow="fold")
        assert result.graph is not None
        for s, p, o in sorted(result.graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            table.add_row(_shown(s), _shown(p), _shown(o))
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
    from conflictkg.atomic import AtomicOutputs

    data = serialize(result, fmt)
    with AtomicOutputs() as outputs:
        outputs.write_bytes(path, data)

