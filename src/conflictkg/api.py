"""Ask the knowledge graph questions from Python or a notebook.

Three functions over :func:`conflictkg.sparql.run.run_query`: :func:`ask` returns
the full :class:`~conflictkg.sparql.results.QueryResult`, :func:`rows` a list of
dictionaries of plain Python values, :func:`dataframe` a pandas DataFrame
(pandas is optional: install it to use that function).  A query is a
library question's id, a ``.rq`` file, or SPARQL text; parameters take IRIs,
labels or aliases, as on the command line.

The graph comes first: a :class:`~conflictkg.sparql.local.LocalGraph`, an rdflib
graph, an endpoint URL, or ``None`` for the project's own graph (loaded once
and kept).

Examples
--------
>>> for row in rows(None, "who-claimed-the-attack"):
...     print(row["claimantLabel"], "-", row["status"])
JNIM - Reported
>>> answer = ask(None, "partners-of-an-actor", params={"actor": "Wagner"})
>>> [str(row[1]) for row in answer.rows]
['Mali']
>>> rows(None, "SELECT (COUNT(*) AS ?n) WHERE { ?s a ckg:Coup }")
[{'n': 2}]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from conflictkg.errors import QueryError
from conflictkg.sparql.endpoint import Endpoint
from conflictkg.sparql.library import LibraryQuery, find_query, read_library_query
from conflictkg.sparql.local import LocalGraph
from conflictkg.sparql.results import QueryResult
from conflictkg.sparql.run import run_query

__all__ = ["ask", "dataframe", "project_graph", "rows", "to_python"]

_PROJECT: dict[tuple[str, ...], LocalGraph] = {}

Target = LocalGraph | Graph | Endpoint | str | None


def project_graph(*, extra_data: tuple[str | os.PathLike[str], ...] = ()) -> LocalGraph:
    """Return the project's graph (ontology, code lists, data), loaded once per process.

    Parameters
    ----------
    extra_data : tuple of path, optional
        More data files to add.

    Returns
    -------
    LocalGraph
        The graph, with its Oxigraph copy and RDFS closure made when first needed.
    """
    key = tuple(os.fspath(path) for path in extra_data)
    if key not in _PROJECT:
        _PROJECT[key] = LocalGraph.from_project(extra_data=extra_data)
    return _PROJECT[key]


def _target(graph: Target) -> LocalGraph | Graph | Endpoint:
    if graph is None:
        return project_graph()
    if isinstance(graph, str):
        return Endpoint(graph)
    return graph


def _query(query: str | LibraryQuery) -> str | LibraryQuery:
    """Read a library id or a .rq path as a LibraryQuery; leave SPARQL text as it is."""
    if isinstance(query, LibraryQuery):
        return query
    text = query.strip()
    if text.endswith(".rq") and Path(text).is_file():
        return read_library_query(text)
    if text and not any(char.isspace() or char in "{}" for char in text):
        return find_query(text)
    return query


def ask(graph: Target, query: str | LibraryQuery, **options: Any) -> QueryResult:
    """Run a library question, a query file or SPARQL text.

    Parameters
    ----------
    graph : LocalGraph, rdflib.Graph, str or None
        What to query; a string is a SPARQL endpoint URL; ``None`` is the
        project's graph.
    query : str or LibraryQuery
        A library id (``"who-claimed-the-attack"``), a path to a ``.rq``
        file, or the text of a query.  Project prefixes (``ckg:``, ``ckr:``...)
        need no declaration.
    **options
        Keyword options of :func:`conflictkg.sparql.run.run_query`: ``params``
        (IRIs, labels or aliases, literals; a list gives several values),
        ``engine``, ``reasoning``, ``timeout``, ``max_rows``, ``allow_network``.

    Returns
    -------
    conflictkg.sparql.results.QueryResult
        The answer.

    Raises
    ------
    conflictkg.errors.QueryError
        For bad input: unknown question, syntax error, bad parameter...
    """
    return run_query(_target(graph), _query(query), **options)


def _select(graph: Target, query: str | LibraryQuery, options: dict[str, Any], caller: str):
    """Ask a query that must be a SELECT (for :func:`rows` and :func:`dataframe`)."""
    result = ask(graph, query, **options)
    if result.form != "SELECT":
        raise QueryError(f"{caller}() needs a SELECT query; this is {result.form} (use ask())")
    return result


def to_python(term: Node | None) -> Any:
    """Turn an RDF term into a plain Python value.

    Parameters
    ----------
    term : rdflib term or None
        An answer cell.

    Returns
    -------
    object
        ``None`` for unbound; the IRI as a string; ``_:id`` for a blank
        node; the literal's Python value (int, float, Decimal, bool,
        datetime.date...) where rdflib knows one, else its text.

    Examples
    --------
    >>> from rdflib.namespace import XSD
    >>> to_python(Literal("64", datatype=XSD.integer))
    64
    >>> to_python(Literal("2017", datatype=XSD.gYear))
    '2017'
    """
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) or _is_partial_date(term) else value
    return str(term)


def _is_partial_date(term: Literal) -> bool:
    """Years and year-months: rdflib would turn them into full dates; keep the text."""
    datatype = str(term.datatype or "")
    return datatype.endswith(("#gYear", "#gYearMonth"))


def rows(graph: Target, query: str | LibraryQuery, **options: Any) -> list[dict[str, Any]]:
    """Run a SELECT query and return its rows as dictionaries of Python values.

    Parameters
    ----------
    graph : LocalGraph, rdflib.Graph, str or None
        As for :func:`ask`.
    query : str or LibraryQuery
        As for :func:`ask`.
    **options
        Keyword options of :func:`ask` (``params``, ``engine``...).

    Returns
    -------
    list of dict
        One dictionary per row, bound variables only, values from :func:`to_python`.

    Raises
    ------
    conflictkg.errors.QueryError
        For bad input, or a query that is not a SELECT.
    """
    result = _select(graph, query, options, "rows")
    return [{name: to_python(value) for name, value in row.items()} for row in result.as_dicts()]


def dataframe(graph: Target, query: str | LibraryQuery, **options: Any) -> Any:
    """Run a SELECT query and return a pandas DataFrame, one column per variable.

    The graph, the query and the keyword options are those of :func:`ask`.

    Returns
    -------
    pandas.DataFrame
        Columns in the query's order; unbound cells are ``None``.

    Raises
    ------
    ImportError
        If pandas is not installed.
    conflictkg.errors.QueryError
        For bad input, or a query that is not a SELECT.
    """
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            "conflictkg.api.dataframe needs pandas, which is not installed: pip install pandas "
            "(or use conflictkg.api.rows)"
        ) from error
    result = _select(graph, query, options, "dataframe")
    records = [[to_python(value) for value in row] for row in result.rows]
    return pandas.DataFrame.from_records(records, columns=result.variables)
