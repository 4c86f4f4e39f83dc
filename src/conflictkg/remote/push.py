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

Authentication: HTTP Basic and Digest (MD5, SHA-256 and their ``-sess``
variants, ``qop=auth``), whichever the store asks for; after the first
challenge, later requests are authenticated at once, so that batches are not
sent twice.

Examples
--------
>>> digest_response(user="Mufasa", password="Circle of Life", realm="http-auth@example.org",
...     method="GET", uri="/dir/index.html", algorithm="MD5",
...     nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", qop="auth", nc=1,
...     cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
'8ca523f5e9506fed4657c9700eebdbec'
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import os
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "AuthError",
    "Endpoints",
    "HttpClient",
    "PushError",
    "PushResult",
    "StoreUnreachableError",
    "batches",
    "count_triples",
    "digest_response",
    "discover",
    "push",
]

#: Triples per Graph Store request.
DEFAULT_BATCH_SIZE = 50_000

_N_TRIPLES = "application/n-triples"
_JSON_RESULTS = "application/sparql-results+json"
_PARAMETER = re.compile(r'([A-Za-z][A-Za-z0-9_-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)')
_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


class PushError(Exception):
    """Raised when the store refuses or fails a request; the target graph is unchanged.

    Unless the message says otherwise (a failure after the final ``MOVE``).
    """


class AuthError(PushError):
    """Raised when the store asks for credentials that were not given or refuses them."""


class StoreUnreachableError(PushError):
    """Raised when nothing answers at an endpoint (refused, reset, timed out, unknown host)."""


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


def digest_response(
    *,
    user: str,
    password: str,
    realm: str,
    method: str,
    uri: str,
    nonce: str,
    algorithm: str = "MD5",
    qop: str | None = "auth",
    nc: int = 1,
    cnonce: str = "",
) -> str:
    """Compute the ``response`` of an HTTP Digest authorization.

    Parameters
    ----------
    user, password, realm : str
        The credentials and the realm of the challenge.
    method, uri : str
        The request's method and target (path and query).
    nonce : str
        The server's nonce.
    algorithm : {"MD5", "SHA-256", "MD5-sess", "SHA-256-sess"}, default "MD5"
        Hash algorithm.
    qop : {"auth", None}, default "auth"
        Quality of protection; None for the RFC 2069 form.
    nc : int, default 1
        How many requests used this nonce, this one included.
    cnonce : str
        The client's nonce.

    Returns
    -------
    str
        The hexadecimal digest.

    Raises
    ------
    ValueError
        If the algorithm is not supported.

    References
    ----------
    .. [1] R. Shekh-Yusef, D. Ahrens, S. Bremer, "HTTP Digest Access
       Authentication", RFC 7616, 2015 (the example above is its section 3.9.1).
    """
    base = algorithm.upper().removesuffix("-SESS")
    if base not in _HASHES:
        raise ValueError(f"unsupported digest algorithm {algorithm!r}")

    def h(text: str) -> str:
        return _HASHES[base](text.encode("utf-8")).hexdigest()

    ha1 = h(f"{user}:{realm}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    if qop is None:
        return h(f"{ha1}:{nonce}:{ha2}")
    return h(f"{ha1}:{nonce}:{nc:08x}:{cnonce}:{qop}:{ha2}")


def _challenges(headers: list[str]) -> dict[str, dict[str, str]]:
    """Parse ``WWW-Authenticate`` headers into {scheme: parameters}."""
    found: dict[str, dict[str, str]] = {}
    for header in headers:
        for part in re.split(r",\s*(?=(?:Basic|Digest|Bearer|Negotiate)\b)", header):
            scheme, _, rest = part.strip().partition(" ")
            parameters = {
                key.lower(): value[1:-1].replace('\\"', '"') if value.startswith('"') else value
                for key, value in _PARAMETER.findall(rest)
            }
            found[scheme.lower()] = parameters
    return found


def _bare(url: str) -> str:
    """Return `url` without its query string, for messages."""
    return url.split("?", 1)[0]


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class HttpClient:
    """A small HTTP client with Basic and Digest authentication (urllib only).

    Parameters
    ----------
    user, password : str, optional
        Credentials, sent only when a server asks for them.
    timeout : float, default 300.0
        Seconds to wait for each answer.

    Notes
    -----
    Proxies from the environment (``http_proxy``...) are used, except for
    loopback addresses.  Credentials go to the host that asked for them only.
    """

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 300.0
    _challenge: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict, repr=False)
    _count: dict[str, int] = field(default_factory=dict, repr=False)

    def _authorization(self, method: str, url: str, host: str) -> str | None:
        """Build an Authorization header from the last challenge of `host`."""
        if host not in self._challenge or self.user is None:
            return None
        scheme, parameters = self._challenge[host]
        password = self.password or ""
        if scheme == "basic":
            token = base64.b64encode(f"{self.user}:{password}".encode()).decode("ascii")
            return f"Basic {token}"
        parts = urllib.parse.urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        qops = [item.strip() for item in parameters.get("qop", "").split(",") if item.strip()]
        qop = "auth" if "auth" in qops else None
        if qops and qop is None:
            raise AuthError(f"{_bare(url)}: the store only offers digest qop={qops}, not 'auth'")
        algorithm = parameters.get("algorithm", "MD5")
        self._count[host] = nc = self._count.get(host, 0) + 1
        cnonce = secrets.token_hex(8)
        try:
            response = digest_response(
                user=self.user,
                password=password,
                realm=parameters.get("realm", ""),
                method=method,
                uri=uri,
                nonce=parameters.get("nonce", ""),
                algorithm=algorithm,
                qop=qop,
                nc=nc,
                cnonce=cnonce,
            )
        except ValueError as error:
            raise AuthError(f"{_bare(url)}: {error}") from None
        fields = [
            f'username="{self.user}"',
            f'realm="{parameters.get("realm", "")}"',
            f'nonce="{parameters.get("nonce", "")}"',
            f'uri="{uri}"',
            f"algorithm={algorithm}",
            f'response="{response}"',
        ]
        if qop is not None:
            fields += [f"qop={qop}", f"nc={nc:08x}", f'cnonce="{cnonce}"']
        if "opaque" in parameters:
            fields.append(f'opaque="{parameters["opaque"]}"')
        return "Digest " + ", ".join(fields)

    def _send(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> _Answer:
        handlers: list[urllib.request.BaseHandler] = []
        if _is_loopback(url):
            handlers.append(urllib.request.ProxyHandler({}))
        opener = urllib.request.build_opener(*handlers)
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return _Answer(response.status, _headers(response.headers), response.read())
        except urllib.error.HTTPError as error:
            with error:
                return _Answer(error.code, _headers(error.headers), error.read())
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            reason = getattr(reason, "strerror", None) or reason
            raise StoreUnreachableError(f"cannot reach {_bare(url)}: {reason}") from None

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
        host = urllib.parse.urlsplit(url).netloc
        fresh = False  # whether the credentials answer a challenge of this very request
        for _attempt in range(3):
            all_headers = dict(headers or {})
            authorization = self._authorization(method, url, host)
            if authorization is not None:
                all_headers["Authorization"] = authorization
            answer = self._send(method, url, body, all_headers)
            if answer.status != 401:
                return answer
            offered = _challenges(answer.headers.get("www-authenticate", "").split("\n"))
            if self.user is None:
                raise AuthError(
                    f"{_bare(url)} requires authentication (HTTP 401); "
                    "give --user and --password"
                )
            stale = offered.get("digest", {}).get("stale", "").lower() == "true"
            if authorization is not None and fresh and not stale:
                break
            for scheme in ("digest", "basic"):
                if scheme in offered:
                    self._challenge[host] = (scheme, offered[scheme])
                    self._count[host] = 0
                    fresh = True
                    break
            else:
                schemes = ", ".join(offered) or "none"
                raise AuthError(f"{_bare(url)}: unsupported authentication scheme(s): {schemes}")
        raise AuthError(
            f"{_bare(url)} refused the credentials of user {self.user!r} (HTTP 401): "
            "wrong user name or password"
        )


def _headers(message: object) -> dict[str, str]:
    """Lower-case header names; repeated headers joined by newlines."""
    joined: dict[str, str] = {}
    for name, value in getattr(message, "items", list)():
        key = name.lower()
        joined[key] = f"{joined[key]}\n{value}" if key in joined else value
    return joined


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
    if server.startswith("Oxigraph"):
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

