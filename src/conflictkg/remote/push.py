"""Load a graph into a remote SPARQL 1.1 store through the Graph Store Protocol.

:func:`push` sends the triples in batches into a new *staging* graph
(``urn:uuid:...``), checks that the store holds as many triples as were sent,
and only then replaces the target graph with one SPARQL Update request,
``MOVE <staging> TO <target>``.  Until that request, the target graph is not
touched: a wrong password, a lost connection, a store that refuses a batch or
an interrupted upload leave it as it was, and the staging graph is dropped
(best effort; its IRI is in the error message if even that fails).  After
the move the target is counted again.

Blank nodes keep their identity: each request is a separate document, in
which a blank node label means a new node, so every set of triples connected
through blank nodes travels in the same batch.

Stores
------
:func:`discover` asks the query endpoint once (``ASK {}``) and reads the
``Server`` header to find the update and Graph Store endpoints of the stores
it knows; any other store works when both are given explicitly:

* Oxigraph: query endpoint ``.../query``; updates at ``.../update``; Graph
  Store at ``.../store``.
* Virtuoso: any query endpoint on the host; updates at ``/sparql-auth`` and
  the Graph Store at ``/sparql-graph-crud-auth`` (both with Digest
  authentication; ``/sparql`` and ``/sparql-graph-crud`` without a user).
* Any other store (Fuseki, GraphDB, Stardog...): give ``update_url`` and
  ``store_url`` (``--update-url`` and ``--store-url``).

Authentication: HTTP Basic and Digest, whichever the store asks for, answered by
httpx (:class:`httpx.BasicAuth`, :class:`httpx.DigestAuth`) through
:mod:`conflictkg.http`; after the first challenge, later requests are authenticated at
once, so that batches are not sent twice.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from conflictkg import http
from conflictkg.errors import AuthError, PushError, StoreUnreachableError

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Endpoints",
    "HttpClient",
    "PushResult",
    "batches",
    "count_triples",
    "discover",
    "push",
]

#: Triples per Graph Store request.
DEFAULT_BATCH_SIZE = 50_000

_N_TRIPLES = "application/n-triples"
_JSON_RESULTS = "application/sparql-results+json"


@dataclass
class _Answer:
    """One HTTP answer: status, headers and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def text(self, limit: int = 300) -> str:
        """Return the start of the body as one line of text, without HTML markup."""
        text = self.body.decode("utf-8", "replace")
        if "html" in self.headers.get("content-type", "") or text.lstrip().startswith("<!"):
            text = re.sub(r"<title>.*?</title>|<[^>]*>", " ", text, flags=re.S | re.I)
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class HttpClient:
    """An HTTP client for a store, with Basic and Digest authentication (httpx).

    Parameters
    ----------
    user, password : str, optional
        Credentials, sent only when a server asks for them.
    timeout : float, default 300.0
        Seconds to wait for each answer.

    Notes
    -----
    Proxies from the environment (``http_proxy``...) are used, except for
    loopback addresses; redirects are not followed, so credentials go only to
    the host that asked for them (see :mod:`conflictkg.http`).
    """

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 300.0
    _auth: Any = field(default=None, init=False, repr=False)

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> _Answer:
        """Send a request, answering the server's authentication challenge if any.

        Parameters
        ----------
        method : str
            HTTP method.
        url : str
            Absolute URL.
        body : bytes, optional
            Request body.
        headers : dict of str to str, optional
            Request headers.

        Returns
        -------
        _Answer
            Status, headers (lower-case names) and body, whatever the status.

        Raises
        ------
        AuthError
            If the server wants credentials and none were given, or refuses them.
        StoreUnreachableError
            If the server cannot be reached.
        """
        if self.user is not None and self._auth is None:
            self._auth = http.challenge_auth(self.user, self.password or "")
            if body:
                # Learn the server's challenge with a request that has no body: Virtuoso
                # answers an unauthenticated upload with 401 and closes the connection
                # before the body is through, which the client sees as a broken pipe.
                # Digest then authenticates the upload itself on its first sending.
                http.send(
                    "GET",
                    url,
                    timeout=self.timeout,
                    auth=self._auth,
                    error=StoreUnreachableError,
                )
        response = http.send(
            method,
            url,
            content=body,
            headers=headers,
            timeout=self.timeout,
            auth=self._auth,
            error=StoreUnreachableError,
        )
        if response.status_code == 401:
            if self.user is None:
                raise AuthError(
                    f"{http.bare(url)} requires authentication (HTTP 401); "
                    "give --user and --password"
                )
            offered = http.offered_schemes(response)
            if not {"digest", "basic"} & set(offered):
                schemes = ", ".join(offered) or "none"
                raise AuthError(
                    f"{http.bare(url)}: unsupported authentication scheme(s): {schemes}"
                )
            raise AuthError(
                f"{http.bare(url)} refused the credentials of user {self.user!r} (HTTP 401): "
                "wrong user name or password"
            )
        joined: dict[str, str] = {}
        for name, value in response.headers.multi_items():
            key = name.lower()
            joined[key] = f"{joined[key]}\n{value}" if key in joined else value
        return _Answer(response.status_code, joined, response.content)


@dataclass(frozen=True)
class Endpoints:
    """Where a store answers queries, updates and Graph Store requests.

    Attributes
    ----------
    query : str
        SPARQL query endpoint.
    update : str
        SPARQL Update endpoint.
    store : str
        Graph Store Protocol endpoint (``?graph=IRI`` is appended).
    server : str
        The store's ``Server`` header, or ``""``.
    """

    query: str
    update: str
    store: str
    server: str = ""


def discover(
    endpoint: str,
    client: HttpClient,
    *,
    update_url: str | None = None,
    store_url: str | None = None,
) -> Endpoints:
    """Find a store's update and Graph Store endpoints from its query endpoint.

    Parameters
    ----------
    endpoint : str
        The SPARQL query endpoint, e.g. ``http://127.0.0.1:7878/query``.
    client : HttpClient
        The client (with credentials if any).
    update_url, store_url : str, optional
        Explicit update and Graph Store endpoints; needed for stores other
        than Oxigraph and Virtuoso.

    Returns
    -------
    Endpoints
        The three endpoints.

    Raises
    ------
    PushError
        If the endpoint does not answer ``ASK {}``, or the store is not one
        this function knows and the URLs were not given.
    StoreUnreachableError
        If nothing answers.

    Examples
    --------
    >>> _layout("http://h:7878/query", "Oxigraph/0.5.13", user=None)
    ('http://h:7878/update', 'http://h:7878/store')
    >>> _layout("https://h/sparql", "Virtuoso/07.20.3229 (Linux)", user="dba")
    ('https://h/sparql-auth', 'https://h/sparql-graph-crud-auth')
    """
    if urllib.parse.urlsplit(endpoint).scheme not in {"http", "https"}:
        raise PushError(f"{endpoint}: the endpoint must be an http:// or https:// URL")
    answer = client.request(
        "GET", _with_query(endpoint, {"query": "ASK {}"}), headers={"Accept": _JSON_RESULTS}
    )
    if answer.status != 200:
        raise PushError(
            f"{endpoint} is not a SPARQL endpoint: ASK {{}} got HTTP {answer.status} "
            f"{answer.text()}"
        )
    server = answer.headers.get("server", "")
    if update_url is None or store_url is None:
        layout = _layout(endpoint, server, user=client.user)
        if layout is None:
            raise PushError(
                f"{endpoint}: cannot tell where this store ({server or 'unknown server'}) "
                "takes updates and Graph Store requests; give --update-url and --store-url"
            )
        update_url = update_url or layout[0]
        store_url = store_url or layout[1]
    return Endpoints(query=endpoint, update=update_url, store=store_url, server=server)


def _layout(endpoint: str, server: str, *, user: str | None) -> tuple[str, str] | None:
    """Return (update, store) endpoints of a known store, or None."""
    parts = urllib.parse.urlsplit(endpoint)
    origin = f"{parts.scheme}://{parts.netloc}"
    if server.startswith(("Oxigraph", "conflictkg")):  # conflictkg serve: Oxigraph's paths
        base = re.sub(r"/(query|sparql)/?$", "", parts.path)
        return f"{origin}{base}/update", f"{origin}{base}/store"
    if server.startswith("Virtuoso"):
        if user is None:
            return f"{origin}/sparql", f"{origin}/sparql-graph-crud"
        return f"{origin}/sparql-auth", f"{origin}/sparql-graph-crud-auth"
    return None


def _with_query(url: str, parameters: dict[str, str]) -> str:
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + separator + urllib.parse.urlencode(parameters)


def _triples(data: bytes | str | os.PathLike[str]) -> Iterator[ox.Triple]:
    """Parse N-Triples from bytes or a file."""
    if isinstance(data, bytes):
        quads = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    else:
        quads = ox.parse(path=str(data), format=ox.RdfFormat.N_TRIPLES)
    for quad in quads:
        yield quad.triple


def batches(triples: Iterable[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Group triples into batches of about `size`, keeping blank-node neighbours together.

    Duplicates are dropped.  Triples that share a blank node, directly or
    through other triples, end in the same batch; such a group larger than
    `size` makes one oversized batch.

    Parameters
    ----------
    triples : iterable of pyoxigraph.Triple
        The triples.
    size : int
        Triples per batch, at least 1.

    Yields
    ------
    list of pyoxigraph.Triple
        One batch.

    Raises
    ------
    ValueError
        If `size` is below 1.

    Examples
    --------
    >>> a, b, c = ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.BlankNode("x")
    >>> data = [ox.Triple(a, b, c), ox.Triple(a, b, a), ox.Triple(c, b, a)]
    >>> [len(batch) for batch in batches(data, 2)]
    [1, 2]
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    plain: list[ox.Triple] = []
    linked: list[tuple[ox.BlankNode, ox.Triple]] = []
    seen: set[ox.Triple] = set()
    for triple in triples:
        if triple in seen:
            continue
        seen.add(triple)
        blanks = [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        if not blanks:
            plain.append(triple)
            continue
        first = root(blanks[0])
        if len(blanks) == 2:
            second = root(blanks[1])
            if second != first:
                parent[second] = first
        linked.append((blanks[0], triple))
    groups: dict[ox.BlankNode, list[ox.Triple]] = {}
    for blank, triple in linked:
        groups.setdefault(root(blank), []).append(triple)
    units: list[list[ox.Triple]] = [[triple] for triple in plain] + list(groups.values())
    batch: list[ox.Triple] = []
    for unit in units:
        if batch and len(batch) + len(unit) > size:
            yield batch
            batch = []
        batch.extend(unit)
    if batch:
        yield batch


def count_triples(endpoints: Endpoints, client: HttpClient, graph: str) -> int:
    """Count the triples of a named graph in a remote store.

    Parameters
    ----------
    endpoints : Endpoints
        The store.
    client : HttpClient
        The client.
    graph : str
        The graph IRI.

    Returns
    -------
    int
        The count (0 for a graph the store does not have).

    Raises
    ------
    PushError
        If the store does not answer the query.
    """
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    answer = client.request(
        "POST",
        endpoints.query,
        body=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _JSON_RESULTS},
    )
    if answer.status != 200:
        raise PushError(f"{endpoints.query}: counting failed: HTTP {answer.status} {answer.text()}")
    try:
        rows = json.loads(answer.body)["results"]["bindings"]
        return int(rows[0]["n"]["value"]) if rows and "n" in rows[0] else 0
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise PushError(f"{endpoints.query}: unreadable count result: {error}") from None


@dataclass(frozen=True)
class PushResult:
    """What :func:`push` did.

    Attributes
    ----------
    graph : str
        The target graph IRI.
    triples : int
        Triples now in the target graph.
    batches : int
        Graph Store requests sent.
    seconds : float
        Wall time.
    endpoints : Endpoints
        The store's endpoints.
    """

    graph: str
    triples: int
    batches: int
    seconds: float
    endpoints: Endpoints


def _update(endpoints: Endpoints, client: HttpClient, update: str) -> None:
    answer = client.request(
        "POST",
        endpoints.update,
        body=urllib.parse.urlencode({"update": update}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"},
    )
    if not 200 <= answer.status < 300:
        raise PushError(
            f"{endpoints.update}: the update {update!r} failed: HTTP {answer.status} "
            f"{answer.text()}"
        )


def _check_iri(graph: str) -> None:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", graph):
        raise PushError(f"{graph!r} is not an absolute IRI; give the graph as e.g. "
                        "https://example.org/graphs/conflictkg")


def push(
    data: bytes | str | os.PathLike[str],
    endpoints: Endpoints,
    client: HttpClient,
    *,
    graph: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> PushResult:
    """Replace a named graph of a remote store with the triples of `data`.

    Parameters
    ----------
    data : bytes or path
        The graph as N-Triples, in memory or in a file.
    endpoints : Endpoints
        The store (see :func:`discover`).
    client : HttpClient
        The client, with credentials if the store wants them.
    graph : str
        IRI of the graph to replace (created if missing).
    batch_size : int, default 50,000
        Triples per Graph Store request.
    progress : callable, optional
        Called as ``progress(sent, total)`` after each batch.

    Returns
    -------
    PushResult
        The outcome.

    Raises
    ------
    AuthError
        If the store wants credentials or refuses them; nothing was changed.
    StoreUnreachableError
        If the store stops answering.
    PushError
        If the store refuses a request or holds a different number of triples
        than were sent.  Unless the message says so, the target graph is as it
        was; the staging graph has been dropped.

    References
    ----------
    .. [1] W3C, "SPARQL 1.1 Graph Store HTTP Protocol", Recommendation, 2013,
       https://www.w3.org/TR/sparql11-http-rdf-update/
    .. [2] W3C, "SPARQL 1.1 Update", section 3.2.5 MOVE, Recommendation, 2013,
       https://www.w3.org/TR/sparql11-update/#move
    """
    _check_iri(graph)
    start = time.perf_counter()
    if not isinstance(data, bytes):
        data = Path(data).read_bytes()
    try:
        groups = list(batches(_triples(data), batch_size))
    except SyntaxError as error:
        raise PushError(f"the data is not valid N-Triples: {error}") from None
    total = sum(len(group) for group in groups)
    staging = f"urn:uuid:{uuid.uuid4()}"
    target_url = _with_query(endpoints.store, {"graph": staging})
    created = False
    try:
        sent = 0
        for index, group in enumerate(groups):
            body = ox.serialize(group, format=ox.RdfFormat.N_TRIPLES)
            method = "PUT" if index == 0 else "POST"
            answer = client.request(
                method, target_url, body=body, headers={"Content-Type": _N_TRIPLES}
            )
            if answer.status == 403:
                who = "anonymous users" if client.user is None else f"user {client.user!r}"
                raise AuthError(
                    f"{endpoints.store} does not let {who} write (HTTP 403): {answer.text()}"
                )
            if not 200 <= answer.status < 300:
                raise PushError(
                    f"{endpoints.store} refused batch {index + 1} of {len(groups)}: "
                    f"HTTP {answer.status} {answer.text()}"
                )
            created = True
            sent += len(group)
            if progress is not None:
                progress(sent, total)
        staged = count_triples(endpoints, client, staging)
        if staged != total:
            raise PushError(
                f"the store holds {staged} triples after receiving {total}; "
                "the graph was not replaced"
            )
        _update(endpoints, client, f"MOVE <{staging}> TO <{graph}>")
        created = False
    except BaseException as error:
        if created:
            try:
                _update(endpoints, client, f"DROP SILENT GRAPH <{staging}>")
            except PushError as cleanup:
                if isinstance(error, PushError):
                    raise type(error)(
                        f"{error}; the staging graph <{staging}> could not be dropped "
                        f"({cleanup})"
                    ) from error
        raise
    final = count_triples(endpoints, client, graph)
    if final != total:
        raise PushError(
            f"after replacing <{graph}>, the store holds {final} triples in it, not {total}"
        )
    return PushResult(
        graph=graph,
        triples=final,
        batches=len(groups),
        seconds=time.perf_counter() - start,
        endpoints=endpoints,
    )

