"""The built store at scale: build, incremental build, queries, against bare pyoxigraph.

For each size, on synthetic data from ``benchmarks/synthetic.py`` (valid data: it passes
every shape and check), in this one run:

* **baseline**: bare pyoxigraph ``bulk_load`` of the same N-Triples file into a new
  on-disk store, in a child process (its time and peak memory);
* **build**: ``conflictkg build --data synthetic.nt`` in a child process (stage timings,
  peak memory); the load rate is the synthetic triples over the load stage;
* **incremental**: the same build with one more report (the made-up checkpoint attack):
  only that file is loaded and validated, then the build is published;
* **queries**: every library question as a command (``conflictkg query NAME -f csv``, or
  ``-f ntriples`` for a graph; wall time, Python start-up included), and in process
  through conflictkg against bare pyoxigraph on the same store, question by question:
  conflictkg as the command runs it (its watchdog, its row limit), bare ``Store.query``
  with every row read as Python values (the tuple of a solution's terms; each triple), as
  a program that uses the answer reads it.

Peak memory is each child's maximum resident set size (``getrusage``).  Medians of
``--runs`` runs where it says so.  Usage::

    python benchmarks/bench_store.py --sizes 100000,1000000 [--runs 3] [--queries]
    python benchmarks/bench_store.py --sizes 10000000 --build-only
    python benchmarks/bench_store.py --store /tmp/synthetic-1m [--runs 3]

``--store DIR`` times only the questions, on a store already built there (``conflictkg
build --data synthetic.nt --store DIR``), instead of building one.  Run it from the folder
the build ran in: the commands check the store against its inputs, which the manifest
names relative to that folder (the benchmark stops if a command fails).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO / "tests" / "data" / "valid" / "made-up-checkpoint-attack.ttl"

_BARE = """
import json, resource, sys, time
import pyoxigraph as ox
source, target = sys.argv[1], sys.argv[2]
start = time.perf_counter()
store = ox.Store(target)
store.bulk_load(path=source, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:x:g"))
store.flush()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "triples": len(store),
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

_BUILD = """
import json, resource, sys
from conflictkg.pipeline import run_build
out, extra = sys.argv[1], sys.argv[2:]
result = run_build(out, extra_data=extra)
print(json.dumps({"timings": result.timings, "conforms": result.conforms, "scope": result.scope,
                  "loaded": len(result.loaded),
                  "violations": [v.message for v in result.violations
                                 if v.severity == "Violation"][:5],
                  "checks": [c.id for c in result.failed_checks],
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _child(code: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(values: list[float]) -> float:
    return statistics.median(values)


def bench_size(size: int, runs: int, queries: bool, build_only: bool) -> dict:
    data = synthetic.cached(size)
    triples = sum(1 for _ in data.open(encoding="utf-8"))
    scratch = Path(tempfile.mkdtemp(prefix="bench-store-"))
    found: dict = {"size": size, "triples": triples}
    try:
        bare = [_child(_BARE, str(data), str(scratch / f"bare-{i}")) for i in range(runs)]
        found["bare_seconds"] = _median([b["seconds"] for b in bare])
        found["bare_peak_mib"] = max(b["peak_kib"] for b in bare) / 1024
        builds = []
        for i in range(runs):
            out = scratch / f"build-{i}"
            builds.append(_child(_BUILD, str(out), str(data)))
            if not builds[-1]["conforms"]:
                sys.exit(f"the build does not conform: {builds[-1]}")
        found["build"] = {
            stage: _median([b["timings"][stage] for b in builds]) for stage in builds[0]["timings"]
        }
        found["build_peak_mib"] = max(b["peak_kib"] for b in builds) / 1024
        print(f"  build: {found['build']} peak {found['build_peak_mib']:.0f} MiB; bare "
              f"{found['bare_seconds']:.2f} s peak {found['bare_peak_mib']:.0f} MiB",
              file=sys.stderr, flush=True)
        if build_only:
            return found
        incremental = []
        for i in range(runs):
            out = scratch / f"build-{i}"
            result = _child(_BUILD, str(out), str(data), str(REPORT))
            incremental.append(result)
            # back to the synthetic data alone, for the next run's incremental step
            _child(_BUILD, str(out), str(data))
        found["incremental"] = {
            stage: _median([b["timings"][stage] for b in incremental])
            for stage in incremental[0]["timings"]
        }
        found["incremental_scope"] = incremental[0]["scope"]
        if queries:
            found["queries"] = _bench_queries(scratch / "build-0", runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return found


#: A question as a bare pyoxigraph program: start, open the store, answer, write CSV.
_BARE_COMMAND = """
import json, sys
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as handle:
    text = handle.read()
answer = store.query(text, prefixes=json.loads(sys.argv[3]), use_default_graph_as_union=True)
if isinstance(answer, ox.QuerySolutions):
    sys.stdout.buffer.write(answer.serialize(format=ox.QueryResultsFormat.CSV))
elif isinstance(answer, ox.QueryTriples):
    sys.stdout.buffer.write(answer.serialize(format=ox.RdfFormat.N_TRIPLES))
else:
    print(bool(answer))
"""

#: Seconds a question may take through conflictkg before it is left out of the ratios.
QUESTION_LIMIT = 60.0
#: Seconds of answers a fast question is timed for, on each side, in at most MAX_PAIRS pairs.
PAIR_SECONDS = 0.5
MAX_PAIRS = 201


def _over(error: Exception) -> None:
    """End the benchmark (from the watchdog thread) when a probed question runs over."""
    print(f"a question passed its time limit after its probe did not: {error}",
          file=sys.stderr, flush=True)
    os._exit(1)


def _timed(args: list[str], env: dict[str, str], codes: tuple[int, ...]) -> float:
    """Run a program and return its wall time; end the benchmark if it failed.

    A command that stops at once with an error (a stale store: the build's inputs are
    looked for from the working folder) would otherwise be timed as a fast answer.
    """
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in codes:
        sys.exit(f"{' '.join(args[:4])} failed ({done.returncode}):\n"
                 f"{done.stderr.decode(errors='replace')[-3000:]}")
    return seconds


def _bench_queries(out: Path, runs: int) -> dict:
    import pyoxigraph as ox

    from conflictkg.cli.query import DEFAULT_MAX_ROWS
    from conflictkg.errors import QueryTimeoutError
    from conflictkg.namespaces import PREFIXES
    from conflictkg.sparql import LocalGraph, run_query
    from conflictkg.sparql.library import library
    from conflictkg.store import BuiltStore

    built = BuiltStore.open(out)
    local = LocalGraph.from_built(built)
    questions = library("cq")
    rows = {}
    # as a user's installation runs: with its bytecode cached (the variable would make every
    # command compile conflictkg's modules again)
    env = dict(os.environ, CONFLICTKG_STORE=str(out))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [str(Path(sys.executable).with_name("conflictkg"))]
    subprocess.run([*command, "queries"], env=env, capture_output=True, check=False)
    for question in questions:
        reasoning = question.reasoning
        store = built.store(reasoning=reasoning)
        ours, bare, wall, bare_wall = [], [], [], []
        probe_seconds = time.perf_counter()
        fmt = "csv"  # as the bare program writes the answer: CSV, or N-Triples for a graph
        try:  # a probe in the time-limited worker, to leave out what would run for hours
            probe = run_query(local, question, timeout=QUESTION_LIMIT)
            if probe.form in ("CONSTRUCT", "DESCRIBE"):
                fmt = "ntriples"
        except QueryTimeoutError:
            rows[question.id] = {"over": QUESTION_LIMIT}
        probe_seconds = time.perf_counter() - probe_seconds
        measured = question.id not in rows
        # in process: ours and bare back to back, the one first in turn (whichever runs
        # second finds the store's pages warm); a fast question (under a second) gets one
        # untimed run of each first (the probe ran in a worker: this process has not run
        # it yet) and at least seven pairs, as many as fill PAIR_SECONDS up to MAX_PAIRS
        # (the median of seven pairs of sub-millisecond answers moved by a quarter from
        # run to run on the busy machine)

        def timed(which: str, question=question, store=store) -> float:
            start = time.perf_counter()
            if which == "ours":  # as the command runs it: here, under its watchdog, with
                # its row limit
                run_query(local, question, timeout=QUESTION_LIMIT, on_timeout=_over,
                          max_rows=DEFAULT_MAX_ROWS)
            else:  # the answer read as Python values, as any use of it reads it
                answer = store.query(
                    question.text, prefixes=PREFIXES, use_default_graph_as_union=True
                )
                if isinstance(answer, ox.QuerySolutions):
                    list(map(tuple, answer))
                elif isinstance(answer, ox.QueryTriples):
                    list(answer)
            return time.perf_counter() - start

        pairs = runs
        if measured and probe_seconds < 1.0:
            warm = max(timed("ours"), timed("bare"))
            pairs = max(runs, 7, min(MAX_PAIRS, int(PAIR_SECONDS / max(warm, 1e-6))))
        for turn in range(pairs if measured else 0):
            for which in (("ours", "bare") if turn % 2 == 0 else ("bare", "ours")):
                (ours if which == "ours" else bare).append(timed(which))
        for _ in range(runs if measured else 0):
            # exit 1: the row limit cut the answer, which the command still wrote
            wall.append(_timed(
                [*command, "query", question.id, "-f", fmt, "--timeout", f"{QUESTION_LIMIT:g}"],
                env, (0, 1),
            ))
            bare_wall.append(_timed(
                [sys.executable, "-c", _BARE_COMMAND, str(built.path(reasoning=reasoning)),
                 str(question.path), json.dumps(PREFIXES)],
                env, (0,),
            ))
        if question.id not in rows:
            rows[question.id] = {
                "ours": _median(ours), "bare": _median(bare), "command": _median(wall),
                "bare_command": _median(bare_wall),
            }
        print(f"  {question.id}: {rows[question.id]}", file=sys.stderr, flush=True)
    return rows


def _print(found: dict) -> None:
    size, triples = found["size"], found["triples"]
    build = found["build"]
    synthetic_rate = triples / build["load"] if build["load"] else float("nan")
    bare_rate = triples / found["bare_seconds"]
    print(f"\n== {size:,} synthetic triples ({triples:,} lines), medians")
    print(f"bare bulk_load to disk: {found['bare_seconds']:.2f} s ({bare_rate:,.0f} triples/s), "
          f"peak {found['bare_peak_mib']:.0f} MiB")
    stages = ", ".join(f"{k} {v:.2f}" for k, v in build.items())
    print(f"conflictkg build: {stages}")
    peak_ratio = found["build_peak_mib"] / found["bare_peak_mib"]
    print(f"  load rate {synthetic_rate:,.0f} triples/s = {synthetic_rate / bare_rate:.2f}x bare; "
          f"peak {found['build_peak_mib']:.0f} MiB = {peak_ratio:.2f}x bare")
    print(f"  full validation: {build['validate']:.2f} s (checks {build.get('check', 0):.2f} s)")
    if "incremental" in found:
        inc = found["incremental"]
        work = inc["total"] - inc.get("write", 0)
        stages = ", ".join(f"{k} {v:.2f}" for k, v in inc.items())
        print(f"one more report ({found['incremental_scope']}): total {inc['total']:.2f} s, "
              f"of which writing graph.ttl/graph.nt {inc.get('write', 0):.2f} s; "
              f"{stages} (without the writes {work:.2f} s)")
    if "queries" in found:
        _print_queries(found["queries"])


def _print_queries(queries: dict) -> None:
    over = sorted(name for name, row in queries.items() if "over" in row)
    rows = {name: row for name, row in queries.items() if "over" not in row}
    commands = [r["command"] for r in rows.values()]
    ratios = [r["ours"] / r["bare"] for r in rows.values() if r["bare"] > 0]
    print(f"queries as commands: median {_median(commands):.3f} s, max {max(commands):.3f} s "
          f"over {len(rows)} questions")
    bare_commands = [r["bare_command"] for r in rows.values() if "bare_command" in r]
    if bare_commands:
        print(f"  a bare pyoxigraph program (start, open, answer, CSV): median "
              f"{_median(bare_commands):.3f} s")
    if over:
        print(f"  over {QUESTION_LIMIT:.0f} s through conflictkg, left out: {', '.join(over)}")
    print(f"in process / bare pyoxigraph: median {_median(ratios):.2f}x, "
          f"max {max(ratios):.2f}x")
    for name, row in sorted(rows.items(), key=lambda item: -item[1]["ours"] / item[1]["bare"]):
        print(f"  {name}: ours {row['ours'] * 1000:.2f} ms, bare {row['bare'] * 1000:.2f} ms "
              f"({row['ours'] / row['bare']:.2f}x), command {row['command']:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", action="store_true", help="Also time every question.")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--store", type=Path, help="Time the questions on this built store only.")
    args = parser.parse_args()
    if args.store is not None:
        _print_queries(_bench_queries(args.store, args.runs))
        return
    for size in (int(s) for s in args.sizes.split(",")):
        _print(bench_size(size, args.runs, args.queries, args.build_only))


if __name__ == "__main__":
    main()
