"""Load test of ``conflictkg serve``: concurrent SPARQL clients against the endpoint.

Starts the read-only endpoint of :mod:`conflictkg.remote.serve` on loopback, then
runs a bounded number of concurrent clients (one keep-alive HTTP connection each)
that send the questions of the query library (``queries/cq/*.rq``, as written,
defaults of their parameters included) by POST, round robin, until a fixed number
of queries has been answered.  Each question is first run once alone; one that
fails or needs more than ``--max-query-seconds`` is left out of the load and
listed (on the synthetic graph some questions join every count with every
other).  A query counts as an error unless the answer is a 200 whose body
parses as SPARQL JSON results, or N-Triples for CONSTRUCT; an answer whose
stream breaks before its end is an error too.

Printed per data set: throughput, p50 and p99 latency, errors; and two
baselines measured in this process on the same data:

* ``in-process``: the same queries, one after the other, on a pyoxigraph
  store opened read-only in this process (no HTTP);
* ``ASK {}``: the same clients sending a query that does no work, which is
  the ceiling of this client and the HTTP layer on this machine.

Why the client is built as it is
--------------------------------
The clients share the machine's cores with the server, and the load is a closed
loop (a client sends its next query when the last one is answered), so every
millisecond of CPU the client spends is one the server waits for, and shows up
as server latency.  The clients are therefore coroutines of one uvloop event
loop in one thread, on raw keep-alive connections (:class:`asyncio.Protocol`),
with httptools (the C parser of uvicorn) reading the answers; the requests are
encoded once, before the load.  Measured on the 1M-triple store with 50 clients
and 10,000 queries (``getrusage`` of the benchmark's process around the load):
threads with :mod:`http.client`, as before, used 0.26 ms of CPU per selective
question and 0.17 ms per ``ASK {}``; this client uses 0.10 and 0.07 ms, the
JSON check of every answer included.  The answers are still checked one by one
in Python, which a load tool that counts statuses alone would not do.

Usage::

    python benchmarks/bench_serve.py [--clients 50] [--queries 10000]
        [--data report|synthetic|both] [--size 1000000]
    python benchmarks/bench_serve.py --sustained [--clients 50] [--queries 10000]
        [--rate 1000] [--seconds 300]

``--sustained`` holds the endpoint under load: two bursts of ``--queries`` simple
SELECTs from ``--clients`` keep-alive clients, then ``--rate`` queries per second for
``--seconds``, with the server's thread count before and after; its exit status is 1
if any query failed.

``synthetic`` serves ``benchmarks/synthetic.py``'s graph of ``--size``
triples (generated once into ``benchmarks/.cache/``) with the ontology.

``--store DIR`` serves a store ``conflictkg build --store DIR`` built instead (the union
of its graphs, as ``conflictkg serve`` does), and ``--questions selective`` keeps the
questions bare pyoxigraph answers in at most ``--selective-ms`` on it (fastest of seven
runs in this process; those asked over the RDFS closure are left out, the data store
being served)::

    python benchmarks/bench_serve.py --store /tmp/synthetic-1m --questions selective
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httptools
import pyoxigraph as ox
import uvloop

from conflictkg import resources
from conflictkg.remote.serve import OxigraphServer, build_validated, create_store
from conflictkg.sparql.library import library

BENCHMARKS = Path(__file__).resolve().parent
_JSON = "application/sparql-results+json"
_ACCEPT = f"{_JSON}, application/n-triples;q=0.9".encode()


@dataclass
class LoadResult:
    """What a load run measured."""

    clients: int
    queries: int
    seconds: float
    latencies: list[float]
    errors: int
    error_samples: list[str] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.queries / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


def _valid(body: bytes, content_type: str) -> bool:
    """Whether a 200 answer is complete SPARQL JSON results, or N-Triples for CONSTRUCT."""
    if content_type.startswith("application/n-triples"):
        try:
            for _ in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
                pass
        except SyntaxError:
            return False
        return True
    try:
        parsed = json.loads(body)
    except ValueError:
        return False
    return isinstance(parsed, dict) and ("results" in parsed or "boolean" in parsed)


class _Exchange(asyncio.Protocol):
    """One keep-alive client connection: writes a request, parses its answer with httptools."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[tuple[int, bytes, bytes]] | None = None
        self.kind = b""
        self.parts: list[bytes] = []

    def ask(self, request: bytes) -> asyncio.Future[tuple[int, bytes, bytes]]:
        """Send `request`; the future gets ``(status, content type, body)``."""
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.kind, self.parts = b"", []
        self.transport.write(request)
        return self.waiter

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(ConnectionError(f"malformed answer: {error}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(ConnectionError("the server closed the connection before the answer ended"))

    def _fail(self, error: Exception) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"content-type":
            self.kind = value

    def on_body(self, body: bytes) -> None:
        self.parts.append(body)

    def on_message_complete(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(
                (self.parser.get_status_code(), self.kind, b"".join(self.parts))
            )


async def _load(
    host: str, port: int, requests: Sequence[bytes], clients: int, total: int,
    timeout: float, stop: threading.Event | None, rate: float | None,
) -> LoadResult:
    loop = asyncio.get_running_loop()
    counter = itertools.count()
    latencies: list[float] = []
    samples: list[str] = []
    errors = 0
    begun = time.perf_counter()

    async def connect() -> _Exchange:
        _, exchange = await loop.create_connection(_Exchange, host, port)
        return exchange

    async def client() -> None:
        nonlocal errors
        exchange: _Exchange | None = None
        while stop is None or not stop.is_set():
            index = next(counter)
            if index >= total:
                break
            start = time.perf_counter()
            if rate is not None:
                due = begun + index / rate
                if due > start:
                    await asyncio.sleep(due - start)
                start = due
            try:
                async with asyncio.timeout(timeout):
                    if exchange is None:
                        exchange = await connect()
                    status, kind, body = await exchange.ask(requests[index % len(requests)])
                ok = status == 200 and _valid(body, kind.decode("latin-1"))
                if not ok and len(samples) < 5:
                    samples.append(f"HTTP {status}: {body[:200]!r}")
            except (OSError, TimeoutError) as error:
                ok = False
                if len(samples) < 5:
                    samples.append(f"{type(error).__name__}: {error}")
                if exchange is not None and exchange.transport is not None:
                    exchange.transport.abort()
                exchange = None
            latencies.append(time.perf_counter() - start)
            errors += not ok
        if exchange is not None and exchange.transport is not None:
            exchange.transport.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    seconds = time.perf_counter() - start
    return LoadResult(clients, len(latencies), seconds, latencies, errors, samples)


def run_load(
    query_url: str,
    queries: Sequence[str],
    *,
    clients: int = 50,
    total: int = 10_000,
    timeout: float = 120.0,
    stop: threading.Event | None = None,
    rate: float | None = None,
) -> LoadResult:
    """Send `total` queries from `clients` concurrent connections; return the measurements.

    The clients are coroutines of one event loop (uvloop) in a thread of their own, each
    with one keep-alive connection; answers are parsed with httptools (see the module's
    docstring for why).  ``stop`` ends the run early when set (the queries sent so far
    are counted).  With ``rate``, query number *i* is not sent before *i / rate* seconds
    after the start (a paced load; latency is then measured from that due time, so a
    server that falls behind shows it).
    """
    parts = urllib.parse.urlsplit(query_url)
    host, port, path = parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/"
    authority = parts.netloc.encode()
    requests = []
    for query in queries:
        body = urllib.parse.urlencode({"query": query}).encode()
        requests.append(
            b"POST " + path.encode() + b" HTTP/1.1\r\nHost: " + authority
            + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: "
            + _ACCEPT + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
            + body
        )
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(_load(host, port, requests, clients, total, timeout, stop, rate))


def library_queries() -> list[tuple[str, str]]:
    """(id, text) of every question of the query library (queries/cq/*.rq), as written."""
    questions = [(question.id, question.text) for question in library("cq")]
    if not questions:
        raise SystemExit("no questions found in queries/cq")
    return questions


def selective(
    location: Path, questions: Sequence[tuple[str, str]], most_ms: float, *, union: bool
) -> tuple[list[tuple[str, str]], list[tuple[str, float]]]:
    """Keep the questions bare pyoxigraph answers in at most `most_ms` (fastest of 7 runs).

    The fastest run is the question's own cost: the median of three moved by a third
    with the machine's load, so that questions of 10 to 16 ms were kept in one run and
    left out in the next, and the load changed with them.

    Returns the kept ``(id, text)`` and the others with their time.  A question is
    stopped at its first run when that takes ten times `most_ms` (in a child process,
    as some questions run for minutes on a large graph).
    """
    import multiprocessing

    kept, slow = [], []
    store = ox.Store.read_only(str(location))

    def answer(text: str, opened: ox.Store | None = None) -> None:
        # the probe opens the store itself: a RocksDB handle is not shared across a fork
        source = opened or ox.Store.read_only(str(location))
        result = source.query(text, use_default_graph_as_union=union)
        if not isinstance(result, ox.QueryBoolean):
            for _ in result:
                pass

    context = multiprocessing.get_context("fork")
    for name, text in questions:
        first = context.Process(target=answer, args=(text,), daemon=True)
        first.start()
        first.join(10 * most_ms / 1000 + 1.0)
        if first.is_alive():
            first.kill()
            first.join()
            slow.append((name, float("inf")))
            continue
        times = []
        for _ in range(7):
            begin = time.perf_counter()
            answer(text, store)
            times.append(time.perf_counter() - begin)
        milliseconds = 1000 * min(times)
        (kept if milliseconds <= most_ms else slow).append(
            (name, text) if milliseconds <= most_ms else (name, milliseconds)
        )
    return kept, slow


def calibrate(
    location: Path, queries: Sequence[tuple[str, str]], limit: int, *, union: bool = False
) -> tuple[list[tuple[str, str, float]], list[tuple[str, str]]]:
    """Run each query once on a server of its own; split them into kept and left out.

    A query is left out when it fails or needs more than `limit` seconds: the load would
    measure that one query.  The server is stopped afterwards, which also ends any query
    Oxigraph could not cancel.
    """
    kept, left_out = [], []
    with OxigraphServer(location, port=0, timeout=limit, union_default_graph=union) as server:
        for name, text in queries:
            result = run_load(server.query_url, [text], clients=1, total=1, timeout=limit + 5)
            seconds = result.latencies[0]
            if result.errors or seconds > limit:
                reason = result.error_samples[0] if result.error_samples else "too slow"
                left_out.append((name, f"{seconds:.1f} s: {reason[:80]}"))
            else:
                kept.append((name, text, seconds))
    return kept, left_out


def in_process(
    location: Path, queries: Sequence[str], passes: int, *, union: bool = False
) -> LoadResult:
    """Run the queries `passes` times on a read-only pyoxigraph store in this process."""
    store = ox.Store.read_only(str(location))
    latencies = []
    start = time.perf_counter()
    for _ in range(passes):
        for query in queries:
            begin = time.perf_counter()
            result = store.query(query, use_default_graph_as_union=union)
            if isinstance(result, ox.QuerySolutions):
                ox_json = result.serialize(format=ox.QueryResultsFormat.JSON)
            elif isinstance(result, ox.QueryBoolean):
                ox_json = json.dumps({"boolean": bool(result)}).encode()
            else:
                ox_json = result.serialize(format=ox.RdfFormat.N_TRIPLES)
            del ox_json
            latencies.append(time.perf_counter() - begin)
    seconds = time.perf_counter() - start
    return LoadResult(1, len(latencies), seconds, latencies, 0)


def prepare(data: str, size: int, folder: Path) -> tuple[Path, int]:
    """Create the store for a data set; return its folder and triple count."""
    location = folder / data
    if data == "report":
        _, graphs = build_validated()
        count = create_store(location, graphs=graphs)
    else:
        sys.path.insert(0, str(BENCHMARKS))
        import synthetic

        source = synthetic.cached(size)
        count = create_store(location, files=[*resources.ontology_files(), source])
    return location, count


def _row(name: str, result: LoadResult, reference: LoadResult | None) -> str:
    ratio = f"{result.throughput / reference.throughput:9.2f}" if reference else f"{'':>9}"
    return (
        f"{name:<28} {result.clients:>7} {result.queries:>8} {result.seconds:>8.2f} "
        f"{result.throughput:>9.0f} {1000 * result.percentile(50):>8.2f} "
        f"{1000 * result.percentile(99):>8.2f} {result.errors:>6} {ratio}"
    )


def bench(
    data: str,
    size: int,
    clients: int,
    total: int,
    folder: Path,
    limit: int,
    *,
    store: Path | None = None,
    most_ms: float | None = None,
    workers: int | None = None,
) -> None:
    questions = library_queries()
    begin = time.perf_counter()
    union = store is not None
    if store is not None:
        from conflictkg.store.built import BuiltStore

        built = BuiltStore.open(store)
        location, count, data = built.path(), len(built), str(store)
        plain = {q.id for q in library("cq") if q.reasoning != "rdfs"}
        questions = [(name, text) for name, text in questions if name in plain]
    else:
        location, count = prepare(data, size, folder)
    loaded = time.perf_counter() - begin
    print(f"\n{data}: {count} triples (store ready in {loaded:.1f} s), "
          f"{len(questions)} library questions")
    if most_ms is not None:
        questions, slow = selective(location, questions, most_ms, union=union)
        print(f"selective: {len(questions)} questions answered in at most {most_ms:g} ms "
              f"by bare pyoxigraph; left out: "
              + ", ".join(f"{name} ({ms:.0f} ms)" for name, ms in slow))
    kept, left_out = calibrate(location, questions, limit, union=union)
    for name, why in left_out:
        print(f"left out of the load: {name} ({why})")
    queries = [text for _, text, _ in kept]
    single = sum(seconds for _, _, seconds in kept)
    print(f"one pass over the {len(kept)} kept questions, one client: {single:.2f} s")
    passes = max(1, min(20, round(20 / max(single, 1e-3))))
    baseline = in_process(location, queries, passes, union=union)
    with OxigraphServer(
        location, port=0, timeout=limit, union_default_graph=union, workers=workers
    ) as server:
        ceiling = run_load(server.query_url, ["ASK {}"], clients=clients, total=total)
        load = run_load(server.query_url, queries, clients=clients, total=total)
    header = (
        f"{'measurement':<28} {'clients':>7} {'queries':>8} {'seconds':>8} {'q/s':>9} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'x base':>9}"
    )
    print(header)
    print(_row("baseline: in-process", baseline, None))
    print(_row("ceiling: ASK {} over HTTP", ceiling, baseline))
    print(_row("selective questions over HTTP" if most_ms else "library over HTTP", load, baseline))
    if load.errors:
        print("error samples:", *load.error_samples, sep="\n  ")


def _threads(pid: int) -> int:
    """Threads of process `pid` and its children (Linux), or -1 where /proc is missing."""
    root = Path(f"/proc/{pid}")
    if not root.exists():
        return -1
    pids = [pid, *map(int, (root / "task" / str(pid) / "children").read_text().split())]
    return sum(len(list(Path(f"/proc/{p}/task").iterdir())) for p in pids
               if Path(f"/proc/{p}").exists())


SIMPLE = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 5"


def sustained(clients: int, total: int, rate: float, seconds: float, folder: Path) -> int:
    """The endpoint under sustained load: two bursts of `total` simple queries, then a
    paced `rate` queries/s for `seconds`; returns the number of errors."""
    location, count = prepare("report", 0, folder)
    print(f"\nsustained load on the report ({count} triples), query: {SIMPLE}")
    header = (
        f"{'measurement':<28} {'clients':>7} {'queries':>8} {'seconds':>8} {'q/s':>9} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'x base':>9}"
    )
    baseline = in_process(location, [SIMPLE], 2000)
    errors = 0
    with OxigraphServer(location, port=0, timeout=60) as server:
        assert server.process is not None
        print(f"server threads at start: {_threads(server.process.pid)}")
        print(header)
        print(_row("baseline: in-process", baseline, None))
        for run in ("first", "second"):
            load = run_load(server.query_url, [SIMPLE], clients=clients, total=total)
            errors += load.errors
            print(_row(f"burst, {run} run", load, baseline))
            if load.errors:
                print("error samples:", *load.error_samples, sep="\n  ")
        paced = run_load(
            server.query_url, [SIMPLE], clients=clients, total=int(rate * seconds), rate=rate
        )
        errors += paced.errors
        print(_row(f"paced {rate:g} q/s, {seconds:g} s", paced, baseline))
        if paced.errors:
            print("error samples:", *paced.error_samples, sep="\n  ")
        print(f"server threads at the end: {_threads(server.process.pid)}; "
              f"restarts: {server.restarted}; errors in all: {errors}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--data", choices=("report", "synthetic", "both"), default="both")
    parser.add_argument("--size", type=int, default=1_000_000, help="synthetic triples")
    parser.add_argument(
        "--max-query-seconds", type=int, default=10,
        help="leave out questions slower than this on one client (and the server's time limit)",
    )
    parser.add_argument(
        "--sustained", action="store_true",
        help="instead: two bursts of --queries simple queries, then a paced --rate for "
        "--seconds, on the report; exit status 1 if any query failed",
    )
    parser.add_argument(
        "--store", type=Path,
        help="serve this built store (conflictkg build --store DIR) instead of --data",
    )
    parser.add_argument(
        "--questions", choices=("all", "selective"), default="all",
        help="selective: only the questions bare pyoxigraph answers in --selective-ms",
    )
    parser.add_argument("--selective-ms", type=float, default=10.0)
    parser.add_argument(
        "--workers", type=int, help="query engine processes of the server (default: cores)"
    )
    parser.add_argument("--rate", type=float, default=1000.0, help="paced queries per second")
    parser.add_argument("--seconds", type=float, default=300.0, help="paced run length")
    args = parser.parse_args(argv)
    if args.sustained:
        with tempfile.TemporaryDirectory(prefix="ckg-bench-serve-") as scratch:
            errors = sustained(args.clients, args.queries, args.rate, args.seconds, Path(scratch))
        return 1 if errors else 0
    most_ms = args.selective_ms if args.questions == "selective" else None
    if args.store is not None:
        bench("store", 0, args.clients, args.queries, args.store, args.max_query_seconds,
              store=args.store, most_ms=most_ms, workers=args.workers)
        return 0
    with tempfile.TemporaryDirectory(prefix="ckg-bench-serve-") as scratch:
        for data in ("report", "synthetic"):
            if args.data in (data, "both"):
                bench(
                    data, args.size, args.clients, args.queries, Path(scratch),
                    args.max_query_seconds, most_ms=most_ms, workers=args.workers,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
