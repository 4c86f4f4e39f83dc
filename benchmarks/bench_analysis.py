"""Time and size the projections and network analyses on synthetic graphs of 100k and 1M triples.

For each size, the synthetic data of ``benchmarks/synthetic.py`` (cached in
``benchmarks/.cache/``) is loaded with the ontology and code lists, then:

* every view is projected (actors, events, places, full); baseline: rdflib's generic
  converter (``rdflib.extras.external_graph_libs.rdflib_to_networkx_multidigraph``) turning
  the same graph into a NetworkX multigraph, in the same process;
* every analysis runs on the views a researcher would use: centrality (actors exact; events
  with betweenness sampled from ``--sample`` sources), k shortest explained paths,
  communities (Louvain), ego network, structural balance, timeline, and the centrality
  picture; baseline: projecting the view the analysis runs on, so the ratio reads "this
  analysis costs N times what building its view costs".

Timings are medians of ``--runs`` runs; memory is the peak of Python allocations
(``tracemalloc``) during one extra run of each step, measured apart so that tracing does not
slow the timed runs. Nothing is asserted: the script prints.

Usage::

    python benchmarks/bench_analysis.py [--sizes 100000 1000000] [--runs 3] [--sample 64]
        [--no-memory]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

from conflictkg import resources  # noqa: E402
from conflictkg.analysis import plotting  # noqa: E402
from conflictkg.analysis.balance import structural_balance  # noqa: E402
from conflictkg.analysis.centrality import centrality  # noqa: E402
from conflictkg.analysis.communities import communities  # noqa: E402
from conflictkg.analysis.ego import ego_network  # noqa: E402
from conflictkg.analysis.paths import explained_paths  # noqa: E402
from conflictkg.analysis.ties import simple_graph  # noqa: E402
from conflictkg.analysis.timeline import timeline  # noqa: E402
from conflictkg.projection import project  # noqa: E402
from conflictkg.rdf.loading import load_files  # noqa: E402


@dataclass
class Row:
    step: str
    view: str
    size: str
    seconds: float
    baseline: float
    peak_mib: float | None


def _timed(function: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _peak(function: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _describe(net: nx.Graph) -> str:
    return f"{net.number_of_nodes():,} nodes, {net.number_of_edges():,} edges"


def bench_size(n_triples: int, runs: int, sample: int, memory: bool, scratch: Path) -> list[Row]:
    path = synthetic.cached(n_triples)
    start = time.perf_counter()
    graph = load_files([*resources.ontology_files(), path])
    print(
        f"\n== {n_triples:,} synthetic triples: {len(graph):,} with the ontology, loaded in "
        f"{time.perf_counter() - start:.1f} s ==",
        flush=True,
    )
    rows: list[Row] = []

    generic, _ = _timed(lambda: rdflib_to_networkx_multidigraph(graph), 1)
    print(f"baseline: rdflib's generic converter {generic:.2f} s", flush=True)
    views = {}
    for view in ("actors", "events", "places", "full"):
        seconds, net = _timed(lambda view=view: project(graph, view), runs)
        views[view] = net
        peak = _peak(lambda view=view: project(graph, view)) if memory else None
        rows.append(Row("projection", view, _describe(net), seconds, generic, peak))
        print(f"  projected {view}: {seconds:.2f} s", flush=True)

    building = {row.view: row.seconds for row in rows}
    actors, events = views["actors"], views["events"]
    ranked = centrality(actors, measures=("degree",))
    first, second = ranked[0].node, ranked[1].node
    event_actors = [n for n, d in events.nodes(data=True) if d.get("bipartite") == 0]
    degree = dict(simple_graph(events).degree())
    busiest = sorted(event_actors, key=lambda n: (-degree[n], n))
    rarest = sorted(event_actors, key=lambda n: (degree[n], n))

    picture = scratch / "centrality.png"
    steps: list[tuple[str, str, Callable[[], object]]] = [
        ("centrality (4 measures)", "actors", lambda: centrality(actors)),
        (
            f"centrality (betweenness from {sample} sources)",
            "events",
            lambda: centrality(events, sample=sample, kinds=("actor",)),
        ),
        (
            "3 shortest explained paths",
            "actors",
            lambda: explained_paths(actors, first, second, k=3),
        ),
        (
            "shortest explained path",
            "events",
            lambda: explained_paths(events, busiest[0], rarest[0]),
        ),
        ("communities (Louvain)", "actors", lambda: communities(actors)),
        ("communities (Louvain)", "events", lambda: communities(events)),
        ("ego network, radius 2", "actors", lambda: ego_network(actors, first, radius=2)),
        ("ego network, radius 2", "events", lambda: ego_network(events, busiest[0], radius=2)),
        ("structural balance", "actors", lambda: structural_balance(actors)),
        ("timeline", "full", lambda: timeline(views["full"])),
        (
            "centrality picture (PNG)",
            "actors",
            lambda: plotting.plot_centrality(actors, centrality(actors), picture),
        ),
    ]
    for name, view, function in steps:
        seconds, _ = _timed(function, runs)
        peak = _peak(function) if memory else None
        rows.append(Row(name, view, _describe(views[view]), seconds, building[view], peak))
        print(f"  {name} on {view}: {seconds:.2f} s", flush=True)
    return rows


def report(rows: list[Row]) -> None:
    header = ("step", "view", "size", "seconds", "x baseline", "peak MiB")
    table = [
        (
            r.step,
            r.view,
            r.size,
            f"{r.seconds:.3f}",
            f"{r.seconds / r.baseline:.1f}",
            "-" if r.peak_mib is None else f"{r.peak_mib:.0f}",
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *table, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for line in table:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
    print(
        "baselines: projections against rdflib's generic converter on the whole graph; "
        "analyses against projecting the view they run on"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("-n", "--runs", type=int, default=3, help="timed runs per step")
    parser.add_argument(
        "--sample", type=int, default=64, help="betweenness sources sampled on the events view"
    )
    parser.add_argument(
        "--no-memory", dest="memory", action="store_false", help="skip the tracemalloc pass"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ckg-bench-analysis-") as folder:
        for size in args.sizes:
            rows = bench_size(size, max(1, args.runs), args.sample, args.memory, Path(folder))
            print()
            report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
