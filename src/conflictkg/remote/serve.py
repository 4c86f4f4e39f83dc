"""Serve the graph read-only over the SPARQL 1.1 Protocol.

The graph (ontology, code lists and data, optionally with its RDFS closure) is an
Oxigraph store on disk (the one ``conflictkg build`` published, or one made with
:func:`create_store`).  :class:`OxigraphServer` runs the endpoint of
:mod:`conflictkg.remote.endpoint` on it as a supervised child process: queries by
GET, by POST form and by POST ``application/sparql-query``, every result format of
pyoxigraph's serializers by content negotiation, and a query form at the root URL.
(Until Oxigraph 0.5.13 this was the ``oxigraph serve-read-only`` program; the
endpoint module says why it was replaced.)

Safety
------
* **Read-only.**  SPARQL Update and Graph Store requests are answered
  ``403 The server is read-only``; the query engines open the store read-only.
* **No outgoing connections.**  Measured with Oxigraph 0.5.13: a query such as
  ``SELECT * { SERVICE <http://host:port/x> { ?s ?p ?o } }`` makes the engine
  send an HTTP POST to the address it names, and the body of an error answer is
  copied into the result.  Anyone who can reach a public endpoint could thus
  probe the server's private network.  :class:`OxigraphServer` starts the
  endpoint under a seccomp filter (Linux) that refuses the ``connect`` system
  call (and ``sendto`` with an address, and ``io_uring_setup``), inherited by
  its query engines: the server can accept connections but not open any;
  SERVICE then fails with ``Operation not permitted``.  Pass
  ``allow_service=True`` to lift this on a trusted network.
* **A time limit** for every query (``timeout``, whole seconds): a query still
  running at the limit is ended by killing its engine process, whatever its
  shape, and answered ``503`` (or, if its answer had begun, its stream is
  broken).
* **Bounded requests and connections**: request size, slow and idle clients,
  CORS only for listed origins (see :class:`OxigraphServer`).
* **Supervised**: a server that stops on its own is restarted and says so.
* **Loopback by default**: ``127.0.0.1``; see ``docs/serving.md`` to put the
  server behind a reverse proxy.

Examples
--------
>>> import tempfile
>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data="<urn:a> <urn:b> <urn:c> .")
>>> folder = tempfile.mkdtemp()
>>> create_store(folder, graphs=[g])
1
>>> with OxigraphServer(folder, port=0, remove_location=True) as server:
...     answer = fetch(server.query_url + "?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")
>>> answer
b'{"head":{},"boolean":true}'
>>> os.path.exists(folder)
False
>>> format_url("::1", 7878)
'http://[::1]:7878/'
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import ipaddress
import os
import platform
import shutil
import signal
import socket
import struct
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from conflictkg import http
from conflictkg.errors import PortBusyError, ServeError, ValidationFailedError

if TYPE_CHECKING:
    from rdflib import Graph

    from conflictkg.pipeline import BuildResult

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "OxigraphServer",
    "build_validated",
    "check_port",
    "create_store",
    "fetch",
    "format_url",
    "free_port",
    "outbound_filter_problem",
    "oxigraph_executable",
    "resolve_host",
    "serve_graphs",
]

#: Address the server listens on unless told otherwise: loopback only.
DEFAULT_HOST = "127.0.0.1"
#: Oxigraph's usual port.
DEFAULT_PORT = 7878
#: Seconds a query may run before the server cancels it.
DEFAULT_TIMEOUT = 60

# Run in a fresh interpreter: ask to be stopped with its parent, install the seccomp
# filter on itself (first argument "filter") or not ("plain"), then exec the server.
_LAUNCHER = (
    "import sys; from conflictkg.remote.serve import _exec_server; _exec_server(sys.argv[1:])"
)
# Exit status of the launcher when the filter cannot be installed.
_FILTER_FAILED = 126


def format_url(host: str, port: int) -> str:
    """Return the base URL of a server listening on `host` and `port`.

    Parameters
    ----------
    host : str
        A host name or a numeric address (IPv6 addresses get brackets).
    port : int
        The TCP port.

    Returns
    -------
    str
        ``http://host:port/``.

    Examples
    --------
    >>> format_url("127.0.0.1", 7878)
    'http://127.0.0.1:7878/'
    """
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def resolve_host(host: str) -> str:
    """Return the numeric address that `host` names.

    Parameters
    ----------
    host : str
        A host name (``localhost``) or a numeric IPv4 or IPv6 address.

    Returns
    -------
    str
        The address, e.g. ``"127.0.0.1"``; the first one the resolver gives
        for a name.

    Raises
    ------
    ServeError
        If `host` cannot be resolved.

    Examples
    --------
    >>> resolve_host("127.0.0.1")
    '127.0.0.1'
    >>> resolve_host("[::1]")
    '::1'
    """
    bare = host.strip("[]")
    with contextlib.suppress(ValueError):
        return str(ipaddress.ip_address(bare))
    try:
        infos = socket.getaddrinfo(bare, None, type=socket.SOCK_STREAM)
    except OSError as error:
        raise ServeError(f"cannot resolve host {host!r}: {error.strerror or error}") from None
    return str(infos[0][4][0])


def _family(address: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def check_port(host: str, port: int) -> None:
    """Check that a server could listen on `host` and `port`.

    The check binds a socket the way the server will (with ``SO_REUSEADDR``)
    and closes it at once.

    Parameters
    ----------
    host : str
        Numeric address to listen on.
    port : int
        TCP port, 1 to 65535.

    Raises
    ------
    PortBusyError
        If another program listens there.
    ServeError
        If the address cannot be used for another reason (not an address of
        this machine, a port below 1024 without the right to use it...).

    Examples
    --------
    >>> with socket.socket() as taken:
    ...     taken.bind(("127.0.0.1", 0))
    ...     taken.listen()
    ...     check_port("127.0.0.1", taken.getsockname()[1])
    Traceback (most recent call last):
    ...
    conflictkg.errors.PortBusyError: 127.0.0.1 port ... is already in use ...
    """
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortBusyError(
                    f"{host} port {port} is already in use (another server listens there); "
                    "stop it or choose another --port"
                ) from None
            raise ServeError(
                f"cannot listen on {host} port {port}: {error.strerror or error}"
            ) from None


def free_port(host: str = DEFAULT_HOST) -> int:
    """Return a TCP port that is free on `host` right now.

    Parameters
    ----------
    host : str, default "127.0.0.1"
        Numeric address.

    Returns
    -------
    int
        A port the system chose; another program may take it before you do.

    Examples
    --------
    >>> 0 < free_port() < 65536
    True
    """
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def oxigraph_executable() -> Path:
    """Find the ``oxigraph`` server program (from the ``oxigraph`` Python package).

    Returns
    -------
    pathlib.Path
        The program next to this Python's scripts, else the first on ``PATH``.

    Raises
    ------
    ServeError
        If it is not installed.
    """
    scripts = Path(sysconfig.get_path("scripts"))
    for candidate in (scripts / "oxigraph", Path(sys.executable).parent / "oxigraph"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("oxigraph")
    if found is None:
        raise ServeError(
            "the Oxigraph server is not installed; install it with `pip install oxigraph` "
            "(the same version as pyoxigraph)"
        )
    return Path(found)


def fetch(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
          timeout: float = 10.0) -> bytes:
    """Send one HTTP request to a local server and return the body of a 2xx answer.

    A helper for checks and examples (see :func:`conflictkg.http.send`).

    Parameters
    ----------
    url : str
        The URL.
    data : bytes, optional
        A body to POST.
    headers : dict of str to str, optional
        Request headers.
    timeout : float, default 10.0
        Seconds to wait.

    Returns
    -------
    bytes
        The body.

    Raises
    ------
    ServeError
        If nothing answers, or the answer is not a 2xx.
    """
    method = "GET" if data is None else "POST"
    answer = http.send(
        method, url, content=data, headers=headers, timeout=timeout, error=ServeError
    )
    if not answer.is_success:
        raise ServeError(f"{http.bare(url)} answered {answer.status_code} {answer.reason_phrase}")
    return answer.content


# --- the graph ---------------------------------------------------------------


def build_validated(
    *, extra_data: Iterable[str | os.PathLike[str]] = (), closure: bool = False
) -> tuple[BuildResult, list[Graph]]:
    """Build and validate the project's graph in a temporary folder; return it as rdflib graphs.

    For tests and tools that need the validated graph in rdflib's memory (``conflictkg
    serve`` and ``push`` read the published store instead).

    Parameters
    ----------
    extra_data : iterable of path, optional
        Data files to add to the project's ``graph/**/*.ttl``.
    closure : bool, default False
        Add the triples the RDFS rules derive (:mod:`conflictkg.store.closure`).

    Returns
    -------
    result : conflictkg.pipeline.BuildResult
        The build.
    graphs : list of rdflib.Graph
        The graph (ontology, code lists and data, and with `closure` the derived triples).

    Raises
    ------
    ValidationFailedError
        If the ontology or the data fails its shapes or checks.
    conflictkg.errors.InputError
        If a file cannot be loaded.
    """
    import shutil
    import tempfile

    from conflictkg.pipeline import run_build
    from conflictkg.store import BuiltStore, rdflib_copy

    scratch = Path(tempfile.mkdtemp(prefix="conflictkg-validated-"))
    try:
        result = run_build(scratch, extra_data=extra_data)
        if not result.conforms:
            raise ValidationFailedError(result)
        built = BuiltStore.open(scratch)
        graph = rdflib_copy(built.store(reasoning="rdfs" if closure else None))
        del built
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result, [graph]


def create_store(
    location: str | os.PathLike[str],
    *,
    files: Sequence[str | os.PathLike[str]] = (),
    graphs: Sequence[Graph] = (),
) -> int:
    """Bulk-load RDF into the default graph of a new Oxigraph store on disk.

    Parameters
    ----------
    location : str or os.PathLike
        The store's folder; it must be empty or not exist yet.
    files : sequence of path, optional
        RDF files (format from the extension: ``.nt``, ``.ttl``, ``.nq``,
        ``.trig``...), loaded as they are, without validation.
    graphs : sequence of rdflib.Graph, optional
        Graphs to load, as N-Triples.

    Returns
    -------
    int
        The number of triples in the store.

    Raises
    ------
    ServeError
        If `location` is a file or a folder that is not empty.
    """
    from conflictkg.rdf.serialization import to_ntriples

    folder = Path(location)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ServeError(f"{folder}: the store folder must be empty or not exist yet")
    folder.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(folder))
    try:
        for path in files:
            store.bulk_load(path=str(path))
        for graph in graphs:
            store.bulk_load(to_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        count = len(store)
    finally:
        del store  # releases the folder's lock, so that the server can open it
    return count


# --- no outgoing connections: a seccomp filter --------------------------------

# Constants of <linux/seccomp.h>, <linux/filter.h>, <linux/audit.h> and <sys/prctl.h>.
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_PR_SET_PDEATHSIG = 1
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_EPERM = 0x00050000 | 1
_LD_ABS_W = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
# Per architecture: audit arch, connect, sendto, io_uring_setup, and whether the
# x32 ABI (syscall numbers with bit 30 set) must be refused.
_SYSCALLS = {
    "x86_64": (0xC000003E, 42, 44, 425, True),
    "aarch64": (0xC00000B7, 203, 206, 425, False),
}


def outbound_filter_problem() -> str | None:
    """Say why the server could not be kept from opening connections here, if it cannot.

    Returns
    -------
    str or None
        ``None`` on Linux on x86-64 and ARM64, where :class:`OxigraphServer`
        installs its seccomp filter; otherwise the reason.

    References
    ----------
    .. [1] The Linux kernel documentation, "Seccomp BPF (SECure COMPuting with
       filters)", https://docs.kernel.org/userspace-api/seccomp_filter.html
    """
    if not sys.platform.startswith("linux"):
        return f"the seccomp filter needs Linux (this is {sys.platform})"
    if platform.machine() not in _SYSCALLS:
        return f"the seccomp filter knows x86_64 and aarch64, not {platform.machine()}"
    return None


def _filter_program() -> bytes:
    """Assemble the classic-BPF seccomp program for this machine."""
    arch, connect, sendto, io_uring_setup, x32 = _SYSCALLS[platform.machine()]
    # (opcode, k, jump-if-true label, jump-if-false label); labels are resolved below.
    code: list[tuple[str | None, int, int, str | None, str | None]] = [
        (None, _LD_ABS_W, 4, None, None),  # arch
        (None, _JEQ_K, arch, "nr", "deny"),
        ("nr", _LD_ABS_W, 0, None, None),  # syscall number
    ]
    if x32:
        code.append((None, _JGE_K, 0x40000000, "deny", None))
    code += [
        (None, _JEQ_K, connect, "deny", None),
        (None, _JEQ_K, io_uring_setup, "deny", None),
        (None, _JEQ_K, sendto, "addr", "allow"),
        ("addr", _LD_ABS_W, 48, None, None),  # args[4] (dest_addr), low half
        (None, _JEQ_K, 0, None, "deny"),
        (None, _LD_ABS_W, 52, None, None),  # high half
        (None, _JEQ_K, 0, "allow", "deny"),
        ("allow", _RET_K, _RET_ALLOW, None, None),
        ("deny", _RET_K, _RET_EPERM, None, None),
    ]
    where = {label: index for index, (label, *_rest) in enumerate(code) if label}
    program = b""
    for index, (_label, opcode, k, if_true, if_false) in enumerate(code):
        jt = where[if_true] - index - 1 if if_true else 0
        jf = where[if_false] - index - 1 if if_false else 0
        program += struct.pack("HBBI", opcode, jt, jf, k)
    return program


def _exec_server(argv: list[str]) -> None:
    """Set this process up (see ``_LAUNCHER``), then replace it with ``argv[1:]``.

    Never returns: the process becomes the server, or exits with status 126
    and a message if the filter cannot be installed.
    """
    mode, command = argv[0], argv[1:]
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() == 1:  # the parent is already gone
            os._exit(0)
        if mode == "filter":
            _install_filter(libc)
    except OSError as error:
        print(f"Error: cannot block outgoing connections: {error}", file=sys.stderr, flush=True)
        os._exit(_FILTER_FAILED)
    os.execv(command[0], command)


def _install_filter(libc: ctypes.CDLL) -> None:
    """Install the seccomp filter on this process (and every program it runs)."""
    problem = outbound_filter_problem()
    if problem is not None:
        raise OSError(problem)

    class _Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    code = _filter_program()
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _Program(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


# --- the server ----------------------------------------------------------------


class OxigraphServer:
    """The SPARQL endpoint, read-only, on an Oxigraph store folder, as a supervised child process.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.  The child
    is :mod:`conflictkg.remote.endpoint` (an HTTP server in front of pyoxigraph query
    engine processes); if it stops on its own, it is started again (at most
    `restarts` times a minute) and :attr:`on_output` is told.

    Parameters
    ----------
    location : str or os.PathLike
        The store folder (see :func:`create_store`).  Nobody may write to it
        while the server runs.
    host : str, default "127.0.0.1"
        Address (or host name) to listen on.
    port : int, default 7878
        Port; 0 picks a free one.
    timeout : int, default 60
        Seconds after which a query is stopped (its engine process is killed).
    cors_origins : sequence of str, default ()
        Origins (``https://example.org``) whose web pages may read answers;
        ``"*"`` for any.  None by default.
    allow_service : bool, default False
        Let SPARQL ``SERVICE`` open connections to other hosts; by default the
        server runs under a filter that refuses every outgoing connection.
    union_default_graph : bool, default False
        Query the union of all graphs when a query names none.
    workers : int, optional
        Query engine processes, hence queries answered at once (default: the
        number of cores, at least 2).
    max_query_bytes : int, default 1048576
        Largest request (a query by POST, or the head of a GET).
    client_timeout : float, default 10.0
        Seconds a client has to send a whole request once begun.
    idle_timeout : float, default 30.0
        Seconds a kept-alive connection may stay silent.
    restarts : int, default 5
        Restarts allowed within a minute when the server stops on its own; 0
        turns supervision off.
    on_output : callable, optional
        Called with every line the server prints (its events), e.g. to echo them.
    remove_location : bool, default False
        Delete the store folder when the server stops.

    Attributes
    ----------
    host : str
        The numeric address listened on.
    port : int
        The port listened on.
    restarted : int
        How many times the supervisor restarted the server.

    Raises
    ------
    ValueError
        If `timeout` is not a positive whole number of seconds.

    Notes
    -----
    On Linux the server is started through a small Python launcher that asks the
    kernel to send it SIGTERM when the thread that started it ends (so a killed
    ``conflictkg serve`` leaves no server behind; start servers from a thread that
    outlives them), installs the seccomp filter unless `allow_service` is set
    (the query engines inherit it), then replaces itself with the server.  The
    server runs in its own session: Ctrl-C in a terminal reaches
    ``conflictkg serve``, which stops it.

    References
    ----------
    .. [1] W3C, "SPARQL 1.1 Protocol", Recommendation, 2013,
       https://www.w3.org/TR/sparql11-protocol/
    .. [2] The Linux kernel documentation, "Seccomp BPF (SECure COMPuting with
       filters)", https://docs.kernel.org/userspace-api/seccomp_filter.html
    """

    def __init__(
        self,
        location: str | os.PathLike[str],
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        timeout: int = DEFAULT_TIMEOUT,
        cors_origins: Sequence[str] = (),
        allow_service: bool = False,
        union_default_graph: bool = False,
        workers: int | None = None,
        max_query_bytes: int = 1024 * 1024,
        client_timeout: float = 10.0,
        idle_timeout: float = 30.0,
        restarts: int = 5,
        on_output: Callable[[str], None] | None = None,
        remove_location: bool = False,
    ) -> None:
        if not isinstance(timeout, int) or timeout < 1:
            raise ValueError(f"timeout must be a whole number of seconds >= 1, not {timeout!r}")
        self.location = Path(location)
        self.host = resolve_host(host)
        self.port = port
        self.timeout = timeout
        self.cors_origins = tuple(cors_origins)
        self.allow_service = allow_service
        self.union_default_graph = union_default_graph
        self.workers = workers or max(2, os.cpu_count() or 2)
        self.max_query_bytes = max_query_bytes
        self.client_timeout = client_timeout
        self.idle_timeout = idle_timeout
        self.restarts = restarts
        self.on_output = on_output
        self.remove_location = remove_location
        self.process: subprocess.Popen[bytes] | None = None
        self.restarted = 0
        self._lines: deque[str] = deque(maxlen=40)
        self._reader: threading.Thread | None = None
        self._supervisor: threading.Thread | None = None
        self._stopping = threading.Event()
        self._ended = threading.Event()
        self._code: int | None = None

    @property
    def url(self) -> str:
        """str: the server's base URL (the query page)."""
        return format_url(self.host, self.port)

    @property
    def query_url(self) -> str:
        """str: the SPARQL query endpoint (``/query``; ``/sparql`` is the same)."""
        return self.url + "query"

    def command(self) -> list[str]:
        """Return the command line that runs the server.

        Returns
        -------
        list of str
            ``python -m conflictkg.remote.endpoint ...``, wrapped in the launcher
            that installs the outbound filter unless `allow_service` is set.
        """
        bind = f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        arguments = [
            sys.executable,
            "-m",
            "conflictkg.remote.endpoint",
            "--location",
            str(self.location),
            "--bind",
            bind,
            "--timeout",
            str(self.timeout),
            "--workers",
            str(self.workers),
            "--max-query-bytes",
            str(self.max_query_bytes),
            "--client-timeout",
            f"{self.client_timeout:g}",
            "--idle-timeout",
            f"{self.idle_timeout:g}",
        ]
        for origin in self.cors_origins:
            arguments += ["--cors-origin", origin]
        if self.union_default_graph:
            arguments.append("--union-default-graph")
        if not sys.platform.startswith("linux"):
            return arguments  # start() refuses this unless allow_service is set
        mode = "plain" if self.allow_service else "filter"
        return [sys.executable, "-c", _LAUNCHER, mode, *arguments]

    def start(self, *, wait: float = 30.0) -> OxigraphServer:
        """Start the server, wait until it answers queries, and supervise it.

        Parameters
        ----------
        wait : float, default 30.0
            Seconds to wait for the first answer.

        Returns
        -------
        OxigraphServer
            This server.

        Raises
        ------
        PortBusyError
            If the port is taken.
        ServeError
            If the server cannot start, the filter cannot be installed, or the
            server does not answer within `wait` seconds.
        """
        if self.process is not None:
            raise ServeError("this server was already started")
        if not (self.location / "CURRENT").is_file():
            raise ServeError(f"{self.location}: not an Oxigraph store (use create_store first)")
        if not self.allow_service:
            problem = outbound_filter_problem()
            if problem is not None:
                raise ServeError(
                    f"cannot keep SPARQL SERVICE from reaching other hosts: {problem}; "
                    "use --allow-service to serve anyway"
                )
        if self.port == 0:
            self.port = free_port(self.host)
        check_port(self.host, self.port)
        try:
            self._launch(wait)
        except BaseException:
            self.stop()
            raise
        if self.restarts > 0:
            self._supervisor = threading.Thread(target=self._supervise, daemon=True)
            self._supervisor.start()
        return self

    def _launch(self, wait: float) -> None:
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,
        )
        self._reader = threading.Thread(
            target=self._read_output, args=(self.process,), daemon=True
        )
        self._reader.start()
        self._wait_until_ready(wait)

    def _supervise(self) -> None:
        """Restart the server when it stops on its own; say so through `on_output`."""
        recent: deque[float] = deque()
        while True:
            process = self.process
            assert process is not None
            code = process.wait()
            if self._stopping.is_set():
                break
            now = time.monotonic()
            while recent and now - recent[0] > 60:
                recent.popleft()
            if len(recent) >= self.restarts:
                self._say(f"the server stopped ({_status(code)}) {len(recent) + 1} times in a "
                          "minute; not restarting it")
                self._code = code
                break
            recent.append(now)
            self._say(f"the server stopped on its own ({_status(code)}); restarting it")
            if self._reader is not None:
                self._reader.join(timeout=2.0)
            try:
                self._launch(30.0)
            except (ServeError, OSError) as error:
                self._say(f"the server could not be restarted: {error}")
                self._code = code
                break
            self.restarted += 1
            self._say(f"the server was restarted and answers at {self.url}")
        self._ended.set()

    def _say(self, line: str) -> None:
        self._lines.append(line)
        if self.on_output is not None:
            self.on_output(line)

    def _read_output(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if not line or line.startswith(("Traceback", "   ", "  ")):
                continue
            self._lines.append(line)
            if self.on_output is not None and not line.startswith("Listening for requests"):
                self.on_output(line)

    def _wait_until_ready(self, wait: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + wait
        probe = self.query_url + "?query=ASK%7B%7D"
        while True:
            code = self.process.poll()
            if code is not None:
                raise self._early_exit(code)
            try:
                fetch(probe, timeout=2.0)
                return
            except ServeError:
                pass
            if time.monotonic() > deadline:
                raise ServeError(f"the SPARQL server did not answer at {self.url} in {wait:g} s")
            time.sleep(0.05)

    def _early_exit(self, code: int) -> ServeError:
        if self._reader is not None:
            self._reader.join(timeout=2.0)
        errors = [line for line in self._lines if line.startswith(("Error", "error"))]
        message = errors[-1] if errors else (self._lines[-1] if self._lines else "")
        if "Address already in use" in message:
            return PortBusyError(
                f"{self.host} port {self.port} is already in use (another server listens "
                "there); stop it or choose another --port"
            )
        detail = f": {message.removeprefix('Error: ')}" if message else ""
        return ServeError(f"the SPARQL server stopped with exit status {code}{detail}")

    @property
    def running(self) -> bool:
        """bool: whether the server process is alive."""
        return self.process is not None and self.process.poll() is None

    def output(self) -> list[str]:
        """Return the last lines the server and its supervisor printed.

        Returns
        -------
        list of str
            Up to 40 lines.
        """
        return list(self._lines)

    def wait(self) -> int:
        """Block until the server stops for good (restarts included); return its exit status.

        Returns
        -------
        int
            The exit status (negative: the signal that ended it).

        Raises
        ------
        ServeError
            If the server was not started.
        """
        if self.process is None:
            raise ServeError("this server was not started")
        if self._supervisor is None:
            return self.process.wait()
        while not self._ended.wait(0.5):
            pass
        return self._code if self._code is not None else self.process.wait()

    def stop(self, *, grace: float = 5.0) -> int | None:
        """Stop the server (SIGTERM, then SIGKILL after `grace` seconds) and clean up.

        Parameters
        ----------
        grace : float, default 5.0
            Seconds to wait after SIGTERM.

        Returns
        -------
        int or None
            The exit status, or None if the server was never started.
        """
        self._stopping.set()
        code: int | None = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            code = self.process.returncode
            if self._reader is not None:
                self._reader.join(timeout=2.0)
            if self.process.stdout is not None:
                self.process.stdout.close()
        if self._supervisor is not None and self._supervisor is not threading.current_thread():
            self._supervisor.join(timeout=grace)
        if self.remove_location:
            shutil.rmtree(self.location, ignore_errors=True)
        return code

    def __enter__(self) -> OxigraphServer:
        """Start the server (see :meth:`start`)."""
        if self.process is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server (see :meth:`stop`)."""
        self.stop()


def _status(code: int) -> str:
    return f"signal {-code}" if code < 0 else f"exit status {code}"


def serve_graphs(
    graphs: Sequence[Graph],
    *,
    store: str | os.PathLike[str] | None = None,
    **options: Any,
) -> OxigraphServer:
    """Load `graphs` into a store and return a server for it, not yet started.

    Parameters
    ----------
    graphs : sequence of rdflib.Graph
        What to serve.
    store : path, optional
        Folder for the store (must be empty or new; kept afterwards).  By
        default a temporary folder, deleted when the server stops.
    **options
        Keyword arguments of :class:`OxigraphServer`.

    Returns
    -------
    OxigraphServer
        The server; start it with :meth:`OxigraphServer.start` or ``with``.
    """
    if store is None:
        folder = Path(tempfile.mkdtemp(prefix="conflictkg-store-"))
        remove = True
    else:
        folder, remove = Path(store), False
    try:
        create_store(folder, graphs=graphs)
    except BaseException:
        if remove:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return OxigraphServer(folder, remove_location=remove, **options)
