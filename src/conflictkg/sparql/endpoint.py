"""Remote SPARQL 1.1 endpoints, asked over HTTP (:mod:`conflictkg.http`).

:class:`Endpoint` names an endpoint; :func:`endpoint_runner` sends it the same text the
local engines run (with PREFIX lines for the project prefixes it uses), reads JSON
results (SELECT, ASK) or N-Triples and Turtle (CONSTRUCT, DESCRIBE), and flags answers
a server may have cut at its row cap; with ``expect_complete`` it pages through the
ordered answer to make sure.

Examples
--------
>>> Endpoint("http://127.0.0.1:8890/sparql").url
'http://127.0.0.1:8890/sparql'
>>> Endpoint("ftp://example.org/")
Traceback (most recent call last):
...
conflictkg.errors.QueryError: 'ftp://example.org/' is not an http(s) endpoint URL
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from conflictkg.errors import EndpointError, QueryError
from conflictkg.sparql.prepare import PreparedQuery, prefix_declarations, query_body_start
from conflictkg.sparql.results import QueryResult, row_limit_note

if TYPE_CHECKING:
    from rdflib.term import Node

    from conflictkg.sparql.local import Runner

__all__ = ["Endpoint", "endpoint_runner"]

_JSON_RESULTS = "application/sparql-results+json"
_JSON = ox.QueryResultsFormat.JSON


@dataclass(frozen=True)
class Endpoint:
    """A remote SPARQL 1.1 endpoint.

    Attributes
    ----------
    url : str
        The query URL (``http`` or ``https``).
    row_cap : int or None
        The server's known row cap (Virtuoso's ``ResultSetMaxRows``), used to
        flag truncated answers.
    expect_complete : bool
        Page through SELECT results (ORDER BY every variable, OFFSET, LIMIT)
        to check that the first answer had every row, and return every row.
    page_size : int or None
        Rows per page for that check (default: the first answer's size).
    """

    url: str
    row_cap: int | None = None
    expect_complete: bool = False
    page_size: int | None = None

    def __post_init__(self) -> None:
        """Check the URL."""
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise QueryError(f"{self.url!r} is not an http(s) endpoint URL")


def _post(url: str, query: str, accept: str, timeout: float | None) -> tuple[bytes, Any]:
    """POST a query to `url`; return the body and the headers of a 2xx answer."""
    from conflictkg import http  # httpx: loaded only when an endpoint is asked

    answer = http.send(
        "POST",
        url,
        data={"query": query},
        headers={"Accept": accept},
        timeout=timeout,
        error=EndpointError,
    )
    if not answer.is_success:
        body = answer.text.strip()
        first = body.splitlines()[0][:300] if body else ""
        raise EndpointError(
            f"{url} answered {answer.status_code} {answer.reason_phrase}"
            + (f": {first}" if first else "")
        )
    return answer.content, answer.headers


def _read_json_results(body: bytes, url: str) -> QueryResult:
    """Read a JSON results document (pyoxigraph parses it), keeping it for the writers."""
    try:
        parsed = ox.parse_query_results(body, format=_JSON)
        if isinstance(parsed, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(parsed))
        from conflictkg.rdf.terms import from_oxigraph

        convert = from_oxigraph()
        names = [variable.value for variable in parsed.variables]
        width = range(len(names))
        rows = [tuple(convert(solution[i]) for i in width) for solution in parsed]
    except (SyntaxError, ValueError) as error:
        raise EndpointError(f"{url} sent results that are not SPARQL JSON: {error}") from None
    return QueryResult("SELECT", names, rows)


def _announced_cap(headers: Any) -> int | None:
    """Return the row cap a server announces in the headers of its answer, if any."""
    value = headers.get("X-SPARQL-MaxRows") if headers is not None else None
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _looks_capped(count: int, row_cap: int | None) -> bool:
    if count == 0:
        return False
    if row_cap is not None:
        return count == row_cap
    return count >= 1000 and (count % 1000 == 0 or count & (count - 1) == 0)


def _run_endpoint(
    endpoint: Endpoint, prepared: PreparedQuery, timeout: float | None, max_rows: int | None
) -> QueryResult:
    """Ask `endpoint`; flag, or with ``expect_complete`` undo, a cut at its row cap."""
    text = prefix_declarations(prepared.text) + prepared.text
    if prepared.form in ("SELECT", "ASK"):
        body, headers = _post(endpoint.url, text, _JSON_RESULTS, timeout)
        result = _read_json_results(body, endpoint.url)
    else:
        body, headers = _post(
            endpoint.url, text, "application/n-triples, text/turtle;q=0.9", timeout
        )
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        fmt = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}.get(kind)
        if fmt is None:
            raise EndpointError(f"{endpoint.url} sent {kind or 'no content type'}, not RDF")
        from conflictkg.rdf.loading import new_graph

        graph = new_graph()
        try:
            graph.parse(data=body.decode("utf-8"), format=fmt)
        except Exception as error:  # noqa: BLE001 - any parse failure of the answer
            raise EndpointError(f"{endpoint.url} sent RDF that cannot be read: {error}") from None
        result = QueryResult(prepared.form, graph=graph)
    result.engine = endpoint.url
    state = headers.get("X-SQL-State")
    if state:
        result.incomplete = (
            f"the endpoint says the answer is partial (X-SQL-State {state}: "
            f"{headers.get('X-SQL-Message', 'no message')})"
        )
    count = len(result.rows) if result.form == "SELECT" else len(result)
    below_limit = prepared.limit is None or count < prepared.limit
    announced = _announced_cap(headers)  # Virtuoso: X-SPARQL-MaxRows
    row_cap = endpoint.row_cap or announced
    if result.form != "ASK" and below_limit and _looks_capped(count, row_cap):
        if announced and count == announced:
            cap = f"the cap it announces (X-SPARQL-MaxRows: {announced})"
        elif endpoint.row_cap:
            cap = "its row cap"
        else:
            cap = "a typical server row cap (Virtuoso's ResultSetMaxRows is 10000 by default)"
        result.notes.append(
            f"the endpoint returned exactly {count} rows, {cap}: the answer may be truncated; "
            "--expect-complete checks by paging"
        )
    if endpoint.expect_complete and result.form == "SELECT" and result.incomplete is None:
        _complete_by_paging(endpoint, prepared, result, timeout)
    if max_rows is not None and result.form == "SELECT" and len(result.rows) > max_rows:
        result.rows = result.rows[:max_rows]
        result.incomplete = row_limit_note(max_rows)
    return result


def _complete_by_paging(
    endpoint: Endpoint, prepared: PreparedQuery, result: QueryResult, timeout: float | None
) -> None:
    """Fetch the ordered answer page by page; replace `result`'s rows when more exist."""
    text = prepared.text
    start = query_body_start(text)
    names = result.variables or prepared.variables
    order = " ".join(f"?{name}" for name in names)
    first_size = len(result.rows)
    # never larger than the first answer: if a cap cut it, a bigger page would be cut too
    page = max(min(endpoint.page_size or first_size, first_size), 1)
    if prepared.limit is not None:
        result.notes.append("the query has its own LIMIT; the paging check was not needed")
        return
    rows: list[tuple[Node | None, ...]] = []
    offset = 0
    previous: list[tuple[Node | None, ...]] | None = None
    while True:
        paged = (
            prefix_declarations(text)
            + text[:start]
            + f"SELECT * WHERE {{ {{ {text[start:]}\n}} }} ORDER BY {order} "
            + f"OFFSET {offset} LIMIT {page}"
        )
        body, _ = _post(endpoint.url, paged, _JSON_RESULTS, timeout)
        chunk = _read_json_results(body, endpoint.url)
        if chunk.rows and chunk.rows == previous:
            raise EndpointError(f"{endpoint.url} ignores OFFSET: paging cannot check the answer")
        previous = chunk.rows
        index = [chunk.variables.index(name) if name in chunk.variables else None for name in names]
        rows.extend(tuple(row[i] if i is not None else None for i in index) for row in chunk.rows)
        if len(chunk.rows) < page:
            break
        offset += page
    if len(rows) > first_size:
        result.notes.append(
            f"the endpoint cut the answer at {first_size} rows; paging found {len(rows)}, "
            "all of them are returned"
        )
        result.rows = rows
    else:
        result.notes = [note for note in result.notes if "may be truncated" not in note]
        result.notes.append(f"paging check: the answer is complete ({len(rows)} rows)")



def endpoint_runner(endpoint: Endpoint, timeout: float | None) -> Runner:
    """Bind an endpoint, as the local engines are bound to a graph.

    Parameters
    ----------
    endpoint : Endpoint
        Where to send queries.
    timeout : float or None
        Seconds to wait for each answer.

    Returns
    -------
    callable
        ``run(prepared, max_rows)``, returning a :class:`QueryResult`.
    """

    def run(prepared: PreparedQuery, max_rows: int | None) -> QueryResult:
        return _run_endpoint(endpoint, prepared, timeout, max_rows)

    return run
