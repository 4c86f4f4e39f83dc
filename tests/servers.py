"""Real SPARQL servers on loopback for the tests, as context managers.

* :func:`running_virtuoso`: a throwaway Virtuoso (Debian ``virtuoso-opensource``)
  with its own database in a temporary folder, its own free ports, user
  ``dba`` with password ``dba`` (what a new database starts with) and a row
  cap (``ResultSetMaxRows``).
* :func:`running_oxigraph`: a read-write Oxigraph server (``oxigraph serve``)
  on a new store, as a remote store to push to.  (The read-only server of
  ``conflictkg serve`` is :class:`conflictkg.remote.serve.OxigraphServer` itself.)
* :func:`scripted_server`: Python's own HTTP server on loopback with a handler of the
  test's, for answers no real server gives on demand (cut streams, odd statuses).

Test modules wrap them in fixtures of the scope they need.  Both stop their
server and wait for it on exit, whatever happened inside the block.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conflictkg.remote.serve import free_port, oxigraph_executable

VIRTUOSO_PACKAGE = "virtuoso-opensource"


def _answers(url: str, timeout: float = 2.0) -> bool:
    """Whether `url` answers 200 (no proxies)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _wait_until_answers(process: subprocess.Popen[bytes], url: str, wait: float, log: Path) -> None:
    deadline = time.monotonic() + wait
    while not _answers(url):
        if process.poll() is not None:
            raise RuntimeError(
                f"the server stopped with status {process.returncode}; its log {log}:\n"
                + log.read_text(errors="replace")[-2000:]
            )
        if time.monotonic() > deadline:
            raise RuntimeError(f"no answer at {url} after {wait} s; log {log}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes], grace: float = 20.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class Virtuoso:
    """A running throwaway Virtuoso."""

    origin: str
    folder: Path
    max_rows: int
    user: str = "dba"
    password: str = "dba"

    @property
    def sparql(self) -> str:
        """The anonymous, read-only SPARQL endpoint."""
        return self.origin + "/sparql"


def virtuoso_executable() -> str:
    """Path of ``virtuoso-t``, or a clear failure naming the package to install."""
    found = shutil.which("virtuoso-t")
    if found is None:
        raise RuntimeError(
            f"virtuoso-t not found: install the Debian package {VIRTUOSO_PACKAGE} "
            "(.ci/run installs everything listed in .ci/apt-packages.txt)"
        )
    return found


_VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 20
CheckpointInterval   = 0
CaseMode             = 2
DirsAllowed          = ., {folder}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}
MaxClientConnections = 20
ServerThreads        = 20
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
"""


@contextmanager
def running_virtuoso(folder: Path, *, max_rows: int = 10_000, wait: float = 90.0) -> Iterator[
    Virtuoso
]:
    """Run a new Virtuoso database in `folder` (created) on free loopback ports.

    The database is new, so user ``dba`` has password ``dba`` and may use the
    authenticated endpoints (``/sparql-auth``, ``/sparql-graph-crud-auth``,
    Digest).  ``ResultSetMaxRows`` is `max_rows`.  A system Virtuoso started
    by the package's installation does not matter: the ports are chosen free.
    """
    executable = virtuoso_executable()
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        _VIRTUOSO_INI.format(
            folder=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows
        )
    )
    log = folder / "console.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [executable, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    origin = f"http://127.0.0.1:{http_port}"
    try:
        ask = origin + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
        _wait_until_answers(process, ask, wait, log)
        yield Virtuoso(origin=origin, folder=folder, max_rows=max_rows)
    finally:
        _stop(process)


@dataclass(frozen=True)
class Oxigraph:
    """A running read-write Oxigraph server."""

    url: str
    process: subprocess.Popen[bytes]

    @property
    def query(self) -> str:
        return self.url + "query"

    @property
    def update(self) -> str:
        return self.url + "update"

    @property
    def store(self) -> str:
        return self.url + "store"


@contextmanager
def running_oxigraph(folder: Path, *, port: int | None = None, wait: float = 30.0) -> Iterator[
    Oxigraph
]:
    """Run ``oxigraph serve`` (read-write, no authentication) on a store in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = folder.parent / f"{folder.name}.log"
    environment = {**os.environ, "RUST_BACKTRACE": "0"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(oxigraph_executable()),
                "serve",
                "--location",
                str(folder),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_answers(process, url + "query?query=ASK%7B%7D", wait, log)
        yield Oxigraph(url=url, process=process)
    finally:
        _stop(process)


def sparql_get(endpoint: str, query: str, *, accept: str = "application/sparql-results+json",
               timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    """Send a query by GET; return status, lower-case headers and body (any status)."""
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": accept})
    return _open(request, timeout)


def sparql_post(endpoint: str, body: bytes, content_type: str, *,
                accept: str = "application/sparql-results+json", timeout: float = 30.0,
                method: str = "POST") -> tuple[int, dict[str, str], bytes]:
    """Send a POST (or other method) with a body; return status, headers and body."""
    request = urllib.request.Request(
        endpoint, data=body, method=method,
        headers={"Content-Type": content_type, "Accept": accept},
    )
    return _open(request, timeout)


def _open(request: urllib.request.Request, timeout: float) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            return response.status, headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            headers = {k.lower(): v for k, v in error.headers.items()}
            return error.code, headers, error.read()


@contextmanager
def scripted_server(
    handler: type[http.server.BaseHTTPRequestHandler], path: str = "/sparql"
) -> Iterator[str]:
    """Serve `handler` on a free loopback port; yield the URL of `path` on it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
