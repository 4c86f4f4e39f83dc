"""HTTP requests, sent with httpx: one place for proxies, time limits and failures.

conflictkg talks HTTP only when asked to: to a SPARQL endpoint (``conflictkg query
--endpoint``), to a store it pushes to (``conflictkg push``) and to the Oxigraph server it
starts (``conflictkg serve``).  Every request goes through :func:`send`:

* proxies from the environment (``http_proxy``...) are used, except for loopback
  addresses (:func:`is_loopback`), which are always reached directly;
* the time limit applies to connecting and to each read;
* a server that cannot be reached, or breaks off its answer, raises the caller's error
  class with a one-line message; any HTTP status is returned as it is;
* redirects are not followed, so credentials go only to the host that was named;
* :func:`challenge_auth` answers Basic or Digest, whichever the server asks for.

httpx is imported on first use, so that modules using this one load fast.

Examples
--------
>>> is_loopback("http://127.0.0.1:7878/query"), is_loopback("localhost")
(True, True)
>>> is_loopback("::1"), is_loopback("https://example.org/sparql"), is_loopback("0.0.0.0")
(True, False, False)
>>> bare("http://127.0.0.1:7878/store?graph=urn:x")
'http://127.0.0.1:7878/store'
"""

from __future__ import annotations

import functools
import ipaddress
import urllib.parse
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from conflictkg.errors import ConflictKGError

if TYPE_CHECKING:
    import httpx

__all__ = ["bare", "challenge_auth", "is_loopback", "offered_schemes", "send"]


def is_loopback(address: str) -> bool:
    """Tell whether a URL, host name or IP address is this machine's loopback.

    Parameters
    ----------
    address : str
        ``http://127.0.0.1:7878/``, ``localhost``, ``::1``...

    Returns
    -------
    bool
        True for ``localhost`` and the loopback addresses (``127.0.0.0/8``, ``::1``).
    """
    host = urllib.parse.urlsplit(address).hostname if "://" in address else address
    host = (host or "").strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bare(url: str) -> str:
    """Return `url` up to its ``?``: what messages show of a URL."""
    return url.split("?", 1)[0]


def send(
    method: str,
    url: str,
    *,
    content: bytes | None = None,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    auth: httpx.Auth | None = None,
    error: type[ConflictKGError] = ConflictKGError,
) -> httpx.Response:
    """Send one HTTP request and return the answer, whatever its status.

    Parameters
    ----------
    method : str
        ``GET``, ``POST``, ``PUT``...
    url : str
        An absolute ``http`` or ``https`` URL.
    content : bytes, optional
        The body.
    data : dict of str to str, optional
        A form to send URL-encoded (instead of `content`).
    headers : dict of str to str, optional
        Request headers.
    timeout : float, optional
        Seconds to wait to connect and for each read (None: no limit).
    auth : httpx.Auth, optional
        Authentication, answered when the server asks for it.
    error : type, default ConflictKGError
        The error to raise when the server cannot be reached or breaks off.

    Returns
    -------
    httpx.Response
        The answer, read in full.

    Raises
    ------
    ConflictKGError
        Of the class `error`: ``cannot reach URL: reason``, or ``URL broke off while
        sending the answer (...)``.
    """
    import httpx

    try:
        with httpx.Client(
            timeout=timeout, trust_env=not is_loopback(url), follow_redirects=False
        ) as client:
            return client.request(
                method,
                url,
                content=content,
                data=data,
                headers={"User-Agent": "conflictkg", **(headers or {})},
                auth=auth,
            )
    except (httpx.RemoteProtocolError, httpx.ReadError) as failure:
        raise error(
            f"{bare(url)} broke off while sending the answer "
            f"({type(failure).__name__}: {failure})"
        ) from None
    except httpx.TimeoutException:
        after = f" after {timeout:g} s" if timeout else ""
        raise error(f"cannot reach {bare(url)}: timed out{after}") from None
    except (httpx.TransportError, httpx.InvalidURL, OSError) as failure:
        raise error(f"cannot reach {bare(url)}: {_reason(failure)}") from None


def _reason(failure: Any) -> str:
    """Return the most telling part of a transport failure (the OS's words if any)."""
    cause: Any = failure
    while cause.__context__ is not None and not isinstance(cause, OSError):
        cause = cause.__context__
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(failure) or type(failure).__name__


def offered_schemes(response: httpx.Response) -> list[str]:
    """Return the names of the authentication schemes an answer offers, lower-case.

    Parameters
    ----------
    response : httpx.Response
        A ``401`` answer.

    Returns
    -------
    list of str
        ``["digest"]``, ``["basic"]``... from its ``WWW-Authenticate`` headers.
    """
    return [
        header.split(None, 1)[0].lower()
        for header in response.headers.get_list("www-authenticate")
        if header.strip()
    ]


def challenge_auth(user: str, password: str) -> httpx.Auth:
    """Return httpx authentication that answers Basic or Digest, as the server asks.

    The scheme is chosen at the first ``401`` and kept.  Digest answers the challenge of
    that very answer, so no request is sent twice, and httpx keeps the nonce for the
    requests that follow (:class:`httpx.DigestAuth`).

    Parameters
    ----------
    user, password : str
        The credentials.

    Returns
    -------
    httpx.Auth
        Authentication to pass to :func:`send`.
    """
    return _challenge_auth_class()(user, password)


@functools.cache
def _challenge_auth_class() -> type:
    """Define the authentication class (once httpx is imported)."""
    import httpx

    class ChallengeAuth(httpx.Auth):
        requires_request_body = True

        def __init__(self, user: str, password: str) -> None:
            self.schemes: dict[str, httpx.Auth] = {
                "digest": httpx.DigestAuth(user, password),
                "basic": httpx.BasicAuth(user, password),
            }
            self.chosen: httpx.Auth | None = None

        def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
            if self.chosen is not None:
                yield from self.chosen.auth_flow(request)
                return
            response = yield request
            if response.status_code != 401:
                return
            offered = offered_schemes(response)
            name = next((s for s in ("digest", "basic") if s in offered), None)
            if name is None:
                return
            self.chosen = self.schemes[name]
            flow = self.chosen.auth_flow(request)
            first = next(flow)
            try:
                # Digest: `response` answers the request as first sent; Basic: the first
                # request of its flow already carries the credentials.
                retry = flow.send(response) if name == "digest" else first
                while True:
                    response = yield retry
                    retry = flow.send(response)
            except StopIteration:
                return

    return ChallengeAuth
