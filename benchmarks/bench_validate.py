"""SHACL validation of the synthetic data: the shapes compiled to SPARQL on Oxigraph, against
pyshacl-turbo and pySHACL measured in the same run; and the synthetic generator itself.

For each size, the ontology, code lists, project graph and synthetic data (``synthetic.py``)
are loaded into an in-memory pyoxigraph store (one named graph per file), and
``conflictkg.rdf.shacl_sparql.validate`` runs ``--runs`` times on it; the shapes are compiled
once, outside the timing.  Baselines on the same data and shapes:

* pyshacl-turbo (``pyshacl_turbo.validate``, Rust) on the same pyoxigraph store, with
  ``advanced=True`` and no inference;
* pySHACL as ``conflictkg.rdf.validation`` runs it (data, ontology and code lists mixed in
  one rdflib graph, ``inference="none"``, ``advanced=True``), without the rules computed in
  Python.  pySHACL takes minutes from 100k triples up, so it runs once, and only at the
  sizes of ``--pyshacl-sizes`` (100k by default).

Peak memory is the growth of the process's maximum resident set over the run of each
engine, measured in a fresh child process per (engine, size) so that one engine's peak does
not hide another's.  Figures are medians; ratios are against the compiled queries.

``--generator`` measures ``synthetic.py`` instead: triples per second and peak memory when
writing 1M and 10M triples (as ``python benchmarks/synthetic.py N OUT.nt``, in a child
process each).

    python benchmarks/bench_validate.py [--sizes 100000,1000000] [--runs 5]
        [--pyshacl-sizes 100000] [--generator]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(engine: str, size: int, runs: int) -> dict:
    """Run one engine on one size in this process; return its timings and peak memory."""
    from conflictkg import resources
    from conflictkg.rdf import shacl_sparql
    from conflictkg.rdf.loading import load_files

    data_file = synthetic.cached(size)
    files = [*resources.ontology_files(), *resources.graph_files(), data_file]
    shapes = load_files([resources.shapes_file()])
    before = _peak_kib()
    started = time.perf_counter()
    times: list[float] = []
    results = -1
    if engine in ("sparql", "turbo"):
        store = shacl_sparql.store_from_files(files)
        loaded = time.perf_counter() - started
        compiled = shacl_sparql.compile_shapes(shapes)
        for _ in range(runs):
            start = time.perf_counter()
            if engine == "sparql":
                conforms, report, _ = shacl_sparql.validate(store, compiled)
            else:
                import pyshacl_turbo

                conforms, report, _ = pyshacl_turbo.validate(
                    store, shacl_graph=shapes, advanced=True, inference="none",
                    allow_warnings=True, allow_infos=True,
                )
            times.append(time.perf_counter() - start)
        results = len(report)
    else:  # pySHACL as conflictkg.rdf.validation runs it
        from conflictkg.rdf.validation import _run_pyshacl

        ontology = load_files(resources.ontology_files())
        data = load_files([*resources.graph_files(), data_file])
        loaded = time.perf_counter() - started
        for _ in range(runs):
            start = time.perf_counter()
            conforms, report, _ = _run_pyshacl(data, shapes, ontology, False)
            times.append(time.perf_counter() - start)
        results = len(report)
    return {
        "engine": engine,
        "size": size,
        "load": loaded,
        "times": times,
        "conforms": bool(conforms),
        "report_triples": results,
        "peak_mib": (_peak_kib() - before) / 1024,
        "peak_total_mib": _peak_kib() / 1024,
    }


def _measure(engine: str, size: int, runs: int) -> dict:
    command = [sys.executable, __file__, "--child", engine, str(size), str(runs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"engine": engine, "size": size, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _generator(sizes: list[int]) -> None:
    print("synthetic.py: streaming N-Triples (a child process per size)")
    print(f"{'triples':>10} {'seconds':>8} {'triples/s':>10} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            out = Path(folder) / f"synthetic-{size}.nt"
            script = (
                "import resource, sys, time; sys.path.insert(0, sys.argv[1]); import synthetic; "
                "t = time.perf_counter(); n = synthetic.write(int(sys.argv[2]), sys.argv[3]); "
                "print(n, time.perf_counter() - t, "
                "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
            )
            done = subprocess.run(
                [sys.executable, "-c", script, str(HERE), str(size), str(out)],
                capture_output=True, text=True, check=True,
            )
            count, seconds, peak = done.stdout.split()
            print(f"{int(count):>10,} {float(seconds):>8.1f} "
                  f"{int(count) / float(seconds):>10,.0f} {float(peak):>9.0f}")
            out.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pyshacl-sizes", default="100000")
    parser.add_argument("--no-turbo", action="store_true")
    parser.add_argument("--generator", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, size, runs = args.child
        print(json.dumps(_child(engine, int(size), int(runs))))
        return
    if args.generator:
        _generator([int(s) for s in args.sizes.split(",")] if args.sizes != "100000,1000000"
                   else [1_000_000, 10_000_000])
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    slow = {int(s) for s in args.pyshacl_sizes.split(",") if s}
    print(f"SHACL validation, medians of {args.runs} runs (pySHACL: 1 run, sizes {sorted(slow)})")
    header = f"{'size':>9} {'engine':>14} {'load s':>7} {'median s':>9} {'first s':>8} "
    print(header + f"{'peak MiB':>9} {'x slower':>9} conforms")
    for size in sizes:
        synthetic.cached(size)
        rows = [_measure("sparql", size, args.runs)]
        if not args.no_turbo:
            rows.append(_measure("turbo", size, args.runs))
        if size in slow:
            rows.append(_measure("pyshacl", size, 1))
        base = statistics.median(rows[0]["times"]) if "times" in rows[0] else None
        for row in rows:
            if "error" in row:
                print(f"{size:>9,} {row['engine']:>14} failed: {row['error']}")
                continue
            median = statistics.median(row["times"])
            ratio = f"{median / base:>9.1f}" if base else f"{'-':>9}"
            print(
                f"{size:>9,} {row['engine']:>14} {row['load']:>7.1f} {median:>9.2f} "
                f"{row['times'][0]:>8.2f} {row['peak_mib']:>9.0f} {ratio} {row['conforms']}"
            )


if __name__ == "__main__":
    main()
