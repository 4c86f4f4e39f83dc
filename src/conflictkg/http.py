"""HTTP requests, sent with httpx: one place for proxies, time limits and failures.

conflictkg talks HTTP only when asked to: to a SPARQL endpoint (``conflictkg query
--endpoint``), to a store it pushes to (``conflictkg push``) and to the Oxigraph server it
starts (``conflictkg serve``).  Every request goes through :func:`send`:

* proxies from the environment (``http_proxy``...) are used, except for loopback
  addresses (:func:`is_loopback`), which are always reached directly;
* the time limit applies to connecting and to each read;
* a server that cannot be reached, or breaks off its answer, raises the caller's error
  class with a one-line message; any HTTP status is returned as it is;
* redirects are not followed, so credentials go only to the host that was named.

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

import ipaddress
import urllib.parse
from typing import TYPE_CHECKING, Any

from conflictkg.errors import ConflictKGError

if TYPE_CHECKING:
    import httpx

__all__ = ["bare", "is_loopback", "send"]


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
    """Return `url` without its query string, for messages.

    Parameters
    ----------
    url : str
        A URL.

    Returns
    -------
    str
        The URL up to its ``?``.
    """
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
