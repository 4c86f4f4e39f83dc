"""Time every competency question on rdflib and on Oxigraph, at three sizes, in one run.

Sizes: the project's graph (ontology, code lists and the Bamako report), and the same with a
synthetic graph of about 100,000 and 1,000,000 triples added (``synthetic.py``: data shaped
like the encoded reports; the Bamako data stay in, so every question keeps its answer and
must also search the bulk).  Each question is first prepared once (parsed by rdflib, checked
for network access: the ``prepare`` column, the same for both engines).  Then each engine runs
it once under a time limit (in a worker process, as ``conflictkg query`` does; a question that
runs out of time is shown as ``>LIMIT``), then ``--runs`` times in process; the table shows the
median of those runs and the ratio rdflib / Oxigraph, the baseline being Oxigraph measured in
the same process (above 1: Oxigraph is faster).  Questions marked ``#+ reasoning: rdfs`` run on
the RDFS closure, whose making is timed apart.

Usage::

    python benchmarks/bench_queries.py [--sizes report,100000,1000000] [--runs 5]
                                       [--timeout 120] [--only ID,ID]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

from conflictkg import resources  # noqa: E402
from conflictkg.errors import QueryTimeoutError  # noqa: E402
from conflictkg.sparql import LocalGraph, run_query  # noqa: E402
from conflictkg.sparql.library import library  # noqa: E402
from conflictkg.sparql.prepare import prepare  # noqa: E402

ENGINES = ("rdflib", "oxigraph")


def _seconds(value: float | None, limit: float) -> str:
    if value is None:
        return f">{limit:g}".rjust(10)
    return f"{value:10.4f}"


def load(size: str) -> tuple[LocalGraph, dict[str, float]]:
    """Load the project graph, plus a synthetic graph of `size` triples unless 'report'."""
    files = [*resources.ontology_files(), *resources.graph_files()]
    if size != "report":
        files.append(synthetic.cached(int(size)))
    setup: dict[str, float] = {}
    start = time.perf_counter()
    local = LocalGraph.from_files(files)
    setup["load (rdflib)"] = time.perf_counter() - start
    start = time.perf_counter()
    local.oxigraph_store()
    setup["copy into Oxigraph"] = time.perf_counter() - start
    start = time.perf_counter()
    local.rdflib_graph(reasoning="rdfs")
    setup["RDFS closure"] = time.perf_counter() - start
    start = time.perf_counter()
    local.oxigraph_store(reasoning="rdfs")
    setup["copy closure into Oxigraph"] = time.perf_counter() - start
    return local, setup


def time_prepare(question, runs: int) -> float:
    """Median seconds to parse and check a question (rdflib's parser, both engines)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        prepare(question)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(local: LocalGraph, question, engine: str, runs: int, limit: float) -> float | None:
    """Median seconds of `runs` runs, or None if the guarded first run hit the limit."""
    ready = prepare(question)
    options = {"engine": engine, "reasoning": question.reasoning}
    try:
        first = run_query(local, ready, timeout=limit, **options)
    except QueryTimeoutError:
        return None
    times = []
    repeat = runs if first.seconds < 5 else 1
    for _ in range(repeat):
        start = time.perf_counter()
        run_query(local, ready, **options)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="report,100000,1000000")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per question and engine")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per question")
    parser.add_argument("--only", default="", help="comma-separated question ids")
    args = parser.parse_args(argv)
    wanted = {name for name in args.only.split(",") if name}
    questions = [q for q in library("cq") if not wanted or q.id in wanted]
    width = max(len(q.id) for q in questions) + 2

    for size in args.sizes.split(","):
        local, setup = load(size)
        closure = len(local.rdflib_graph(reasoning="rdfs"))
        print(f"\n== {size}: {len(local.graph):,} triples ({closure:,} with the RDFS closure)")
        print("   " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in setup.items()))
        print(f"{'question':<{width}} {'prepare s':>10} {'rdflib s':>10} {'oxigraph s':>10} "
              f"{'rdflib/oxi':>10}")
        totals = dict.fromkeys(ENGINES, 0.0)
        slow = []
        for question in questions:
            parse = time_prepare(question, args.runs)
            found = {engine: measure(local, question, engine, args.runs, args.timeout)
                     for engine in ENGINES}
            for engine in ENGINES:
                totals[engine] += found[engine] if found[engine] is not None else args.timeout
            rdf, oxi = found["rdflib"], found["oxigraph"]
            if rdf is not None and oxi is not None and oxi > 0:
                ratio = f"{rdf / oxi:10.1f}"
            elif rdf is None and oxi is not None:
                ratio = "       inf"
            else:
                ratio = "         -"
            mark = " (rdfs)" if question.reasoning else ""
            print(f"{question.id + mark:<{width}} {parse:10.4f} {_seconds(rdf, args.timeout)} "
                  f"{_seconds(oxi, args.timeout)} {ratio}", flush=True)
            if oxi is not None and rdf is not None and oxi > rdf:
                slow.append(question.id)
        print(f"{'sum of medians':<{width}} {'':10} {totals['rdflib']:10.3f} "
              f"{totals['oxigraph']:10.3f} "
              f"{totals['rdflib'] / max(totals['oxigraph'], 1e-9):10.1f}")
        print(f"questions slower on Oxigraph than on rdflib: {', '.join(slow) or 'none'}")
        del local
        gc.collect()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
