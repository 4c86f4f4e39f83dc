"""Compare an answer with the expected answer of a library question.

The expected files sit beside the questions (``queries/cq/*.csv``, ``.srj``, ``.ttl``)
and are read by Python's and rdflib's own readers, never by the code that writes answers.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from rdflib import BNode, Graph, Variable
from rdflib.term import Node

from conflictkg.errors import QueryError
from conflictkg.sparql.library import LibraryQuery, display_path
from conflictkg.sparql.results import QueryResult, serialize

__all__ = ["compare_with_expected"]


def _comparable(term: Node | None) -> Node | str | None:
    """Blank nodes differ between engines and runs; compare them as equal."""
    return "_:" if isinstance(term, BNode) else term


def _differences(
    expected: list[tuple[Any, ...]], found: list[tuple[Any, ...]], ordered: bool
) -> list[str]:
    if ordered:
        if expected == found:
            return []
        for index, (want, got) in enumerate(zip(expected, found, strict=False), start=1):
            if want != got:
                return [f"row {index}: expected {want}, found {got}"]
        return [f"expected {len(expected)} rows, found {len(found)}"]
    want, got = Counter(expected), Counter(found)
    problems = [f"missing row {row}" for row in sorted(want - got, key=str)]
    problems += [f"unexpected row {row}" for row in sorted(got - want, key=str)]
    return problems


def compare_with_expected(result: QueryResult, query: LibraryQuery) -> list[str]:
    """Compare an answer with the expected answer file of a library question.

    SELECT results are compared as multisets of rows unless the question is
    ordered; against a ``.csv`` file as the CSV results format writes them
    (IRIs and lexical forms: the answer is written in CSV and read back), against a
    ``.srj`` file term by term (datatypes
    and language tags included).  ASK results are compared as booleans,
    CONSTRUCT results by graph isomorphism with a ``.ttl`` file.  Expected
    files are read by rdflib's and Python's own readers, not by this module.

    Parameters
    ----------
    result : QueryResult
        The answer.
    query : LibraryQuery
        The question, whose ``expect`` file holds the expected answer.

    Returns
    -------
    list of str
        The differences; empty when the answer is the expected one.

    Raises
    ------
    QueryError
        If the question has no expected file or its format is unknown.
    """
    from rdflib.compare import isomorphic
    from rdflib.query import Result

    if query.expect is None:
        raise QueryError(f"{query.id}: the header names no expected answer (#+ expect:)")
    path = query.expect
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        if not rows:
            return [f"{display_path(path)} is empty"]
        header, expected = rows[0], [tuple(row) for row in rows[1:]]
        if result.form == "ASK":
            found_ask = ["true" if result.boolean else "false"]
            return [] if [header, *expected] == [["_askResult"], found_ask] else [
                f"expected {expected}, found {found_ask}"
            ]
        if header != result.variables:
            return [f"expected columns {header}, found {result.variables}"]
        written = serialize(result, "csv").decode("utf-8")
        found = [tuple(row) for row in list(csv.reader(io.StringIO(written, newline="")))[1:]]
        return _differences(expected, found, query.ordered)
    if suffix == ".srj":
        with path.open("rb") as handle:
            parsed = Result.parse(handle, format="json")
        if parsed.type == "ASK":
            if result.form != "ASK":
                return [f"expected an ASK answer, found {result.form}"]
            want = bool(parsed.askAnswer)
            return [] if want == result.boolean else [f"expected {want}, found {result.boolean}"]
        names = [str(v) for v in parsed.vars or []]
        if names != result.variables:
            return [f"expected columns {names}, found {result.variables}"]
        expected_terms = [
            tuple(_comparable(row.get(Variable(n))) for n in names)  # type: ignore[union-attr]
            for row in parsed.bindings
        ]
        found_terms = [tuple(_comparable(term) for term in row) for row in result.rows]
        return _differences(expected_terms, found_terms, query.ordered)
    if suffix in (".ttl", ".nt"):
        if result.graph is None:
            return [f"expected a graph, found a {result.form} answer"]
        want_graph = Graph().parse(path, format="turtle" if suffix == ".ttl" else "nt")
        if isomorphic(want_graph, result.graph):
            return []
        missing = len(want_graph - result.graph)
        extra = len(result.graph - want_graph)
        return [f"graphs differ: about {missing} expected triple(s) missing, {extra} extra"]
    raise QueryError(f"{display_path(path)}: unknown expected-answer format {suffix!r}")

