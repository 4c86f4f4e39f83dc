"""A query engine process of the endpoint: answers SPARQL queries on a read-only store.

The endpoint (:mod:`conflictkg.remote.endpoint`) runs a few of these processes and
hands each one query at a time.  A query that runs past its time limit is ended by
killing its process (and a new one is started): Oxigraph checks its time limit only
cooperatively and some query shapes never reach a check (see ``docs/serving.md``),
so a separate process is the one way to give the CPU back whatever the query.

Protocol, on standard input and output: frames of one type byte, a 4-byte
big-endian length and the payload.

* from the endpoint, ``Q``: a JSON object ``{"query", "accept", "default",
  "named"}`` (the query, the client's ``Accept`` header, and the protocol's
  ``default-graph-uri`` and ``named-graph-uri`` values);
* to the endpoint, once started, ``R`` (ready); then for every query either
  ``F`` (a JSON head line, a newline, then the whole body: the answer fitted in
  the buffer), or ``H`` (the JSON head), any number of ``D`` (body bytes) and
  ``Z`` (the end), or ``E`` (a JSON ``{"status", "message"}``: the query failed
  before any byte was sent), or, after ``H``, ``X`` (a message: it failed while
  streaming, so the endpoint breaks the stream rather than end it normally).

Usage: ``python -m conflictkg.remote.query_worker STORE [--union] [--nice N]``.

``--nice N`` lowers the process's priority by N (the endpoint's
``ENGINE_NICENESS`` says why).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import struct
import sys
from typing import IO, Any

import pyoxigraph as ox

__all__ = ["BUFFER_BYTES", "choose_format", "read_frame", "write_frame"]

#: Bytes of an answer kept back before the head is sent: an error in the first
#: ``BUFFER_BYTES`` of an answer becomes an HTTP error status.
BUFFER_BYTES = 256 * 1024
_FRAME = struct.Struct(">cI")
_PR_SET_PDEATHSIG = 1  # <sys/prctl.h>

_SOLUTIONS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}


def write_frame(out: IO[bytes], kind: bytes, payload: bytes = b"") -> None:
    """Write one frame to `out` and flush it."""
    out.write(_FRAME.pack(kind, len(payload)) + payload)
    out.flush()


def read_frame(source: IO[bytes]) -> tuple[bytes, bytes] | None:
    """Read one frame from `source`; None at the end of the input."""
    head = source.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    kind, length = _FRAME.unpack(head)
    return kind, source.read(length)


def choose_format(accept: str, formats: dict[str, Any]) -> tuple[str, Any] | None:
    """Pick the media type and format that an ``Accept`` header prefers among `formats`.

    Parameters
    ----------
    accept : str
        The header (empty: anything); media ranges with ``q`` weights.
    formats : dict
        Media type to format, the first one being the default.

    Returns
    -------
    tuple or None
        ``(media type, format)``, or None if the client accepts none of them.

    Examples
    --------
    >>> choose_format("text/csv;q=0.5, application/sparql-results+json", _SOLUTIONS)[0]
    'application/sparql-results+json'
    >>> choose_format("text/*", _GRAPHS)[0]
    'text/turtle'
    >>> choose_format("image/png", _SOLUTIONS) is None
    True
    """
    ranges: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept or "*/*").split(",")):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if media and weight > 0:
            ranges.append((-weight, index, media.lower()))
    default = next(iter(formats))
    for _weight, _index, media in sorted(ranges):
        if media in formats:
            name = "application/sparql-results+json" if media == "application/json" else media
            return name, formats[media]
        if media == "*/*":
            return default, formats[default]
        if media.endswith("/*"):
            for name, value in formats.items():
                if name.startswith(media[:-1]):
                    return name, value
    return None


class _Output:
    """A file-like sink for pyoxigraph's serializers that sends frames as the buffer fills."""

    def __init__(self, out: IO[bytes], head: bytes) -> None:
        self.out = out
        self.head = head
        self.parts: list[bytes] = []
        self.size = 0
        self.started = False

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        if self.size >= BUFFER_BYTES:
            if not self.started:
                write_frame(self.out, b"H", self.head)
                self.started = True
            write_frame(self.out, b"D", b"".join(self.parts))
            self.parts, self.size = [], 0
        return len(data)

    def flush(self) -> None:
        """Nothing to do: frames are sent whole (pyoxigraph calls this)."""

    def finish(self) -> None:
        if self.started:
            if self.parts:
                write_frame(self.out, b"D", b"".join(self.parts))
            write_frame(self.out, b"Z")
        else:
            write_frame(self.out, b"F", self.head + b"\n" + b"".join(self.parts))


def _error(out: IO[bytes], status: int, message: str) -> None:
    write_frame(out, b"E", json.dumps({"status": status, "message": message}).encode())


def _graphs(names: list[str]) -> list[ox.NamedNode]:
    return [ox.NamedNode(name) for name in names]


def answer(store: ox.Store, request: dict[str, Any], out: IO[bytes], *, union: bool) -> None:
    """Run one query and write its answer as frames to `out`."""
    options: dict[str, Any] = {}
    try:
        if request.get("default"):
            options["default_graph"] = _graphs(request["default"])
        elif union:
            options["use_default_graph_as_union"] = True
        if request.get("named"):
            options["named_graphs"] = _graphs(request["named"])
        result = store.query(request["query"], **options)
    except (SyntaxError, ValueError) as error:
        _error(out, 400, str(error))
        return
    except Exception as error:  # an evaluation error of the engine
        _error(out, 500, str(error) or type(error).__name__)
        return
    formats = _GRAPHS if isinstance(result, ox.QueryTriples) else _SOLUTIONS
    chosen = choose_format(request.get("accept", ""), formats)
    if chosen is None:
        offered = ", ".join(name for name in formats if name != "application/json")
        _error(out, 406, f"no acceptable result format; this query's answer can be {offered}")
        return
    media, form = chosen
    sink = _Output(out, json.dumps({"status": 200, "type": media}).encode())
    try:
        result.serialize(sink, format=form)
    except Exception as error:  # evaluation goes on while the answer is written
        message = str(error) or type(error).__name__
        if sink.started:
            write_frame(out, b"X", message.encode())
        else:
            _error(out, 500, message)
        return
    sink.finish()


def _die_with_parent() -> None:
    """Have Linux kill this engine when its endpoint dies, even by SIGKILL.

    A runaway query then cannot outlive its server.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the endpoint is already gone
        os._exit(0)


def main(argv: list[str] | None = None) -> int:
    """Serve queries on standard input and output until the input ends."""
    _die_with_parent()
    arguments = sys.argv[1:] if argv is None else argv
    location, union = arguments[0], "--union" in arguments[1:]
    if "--nice" in arguments[1:]:
        os.nice(int(arguments[arguments.index("--nice") + 1]))
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to the log, never into the frames
    sys.stdout = sys.stderr
    source = os.fdopen(os.dup(0), "rb")
    store = ox.Store.read_only(location)
    write_frame(out, b"R")
    while True:
        frame = read_frame(source)
        if frame is None:
            return 0
        kind, payload = frame
        if kind == b"Q":
            answer(store, json.loads(payload), out, union=union)


if __name__ == "__main__":
    raise SystemExit(main())
