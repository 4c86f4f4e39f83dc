"""Time ``conflictkg build``: in-process and as a subprocess, against a parse-only baseline.

Runs the build N times (default 7) in this process (stage timings from the
pipeline) and N times as ``python -m conflictkg build --quiet`` (wall time,
interpreter start-up and imports included), and compares both with a
baseline measured in this process: loading the same files with rdflib's own
parsers and nothing else.  Also times conflictkg's loader on those files.

Usage::

    python benchmarks/bench_build.py [-n 7] [--graph EXTRA.ttl ...]

``--graph`` adds data files to the build, e.g. a synthetic graph written by
``benchmarks/synthetic.py``, to see how the build scales.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from conflictkg import resources
from conflictkg.pipeline import STAGES, run_build
from conflictkg.rdf.loading import load_files

_RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig"}


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _build_inputs(extra: list[Path]) -> list[Path]:
    """Every file a build loads, in the order it loads them."""
    return [
        *resources.ontology_files(),
        *resources.graph_files(),
        *extra,
        resources.shapes_file(),
        resources.ontology_shapes_file(),
    ]


def time_in_process(runs: int, extra: list[Path], scratch: Path) -> dict[str, list[float]]:
    """Run the pipeline `runs` times; return per-stage and total seconds."""
    times: dict[str, list[float]] = {stage: [] for stage in (*STAGES, "total", "wall")}
    for index in range(runs):
        start = time.perf_counter()
        result = run_build(scratch / f"in-process-{index}", extra_data=extra)
        times["wall"].append(time.perf_counter() - start)
        if not result.conforms:
            sys.exit("the build does not conform; fix the data before benchmarking")
        for stage, seconds in result.timings.items():
            times[stage].append(seconds)
    return times


def time_subprocess(runs: int, extra: list[Path], scratch: Path) -> list[float]:
    """Run ``python -m conflictkg build`` `runs` times; return wall seconds."""
    walls = []
    for index in range(runs):
        command = [sys.executable, "-m", "conflictkg", "build", "--quiet"]
        command += ["--out", str(scratch / f"subprocess-{index}")]
        for path in extra:
            command += ["--graph", str(path)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"conflictkg build failed ({done.returncode}):\n{done.stderr}")
    return walls


def time_loading(runs: int, files: list[Path]) -> tuple[list[float], list[float]]:
    """Time loading `files` with rdflib's parsers alone, and with conflictkg's loader."""
    rdflib_times, ours = [], []
    for _ in range(runs):
        start = time.perf_counter()
        for path in files:
            Graph().parse(path, format=_RDFLIB_FORMATS[path.suffix.lower()])
        rdflib_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for path in files:
            load_files([path])
        ours.append(time.perf_counter() - start)
    return rdflib_times, ours


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=7, help="runs per measurement")
    parser.add_argument("--graph", type=Path, action="append", default=[], help="extra data")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)

    files = _build_inputs(args.graph)
    triples = sum(len(load_files([path])) for path in files)
    print(f"inputs: {len(files)} files, {triples} triples; {runs} runs each; medians shown")

    with tempfile.TemporaryDirectory(prefix="ckg-bench-") as folder:
        scratch = Path(folder)
        baseline, ours = time_loading(runs, files)
        inproc = time_in_process(runs, args.graph, scratch)
        sub = time_subprocess(runs, args.graph, scratch)

    base = _median(baseline)
    rows = [
        ("baseline: rdflib parsers only", base),
        ("conflictkg loader only", _median(ours)),
        *((f"in-process build: {stage}", _median(inproc[stage])) for stage in STAGES),
        ("in-process build: total", _median(inproc["total"])),
        ("subprocess build: wall", _median(sub)),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measurement':<{width}}  {'seconds':>8}  {'x baseline':>10}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:8.3f}  {seconds / base:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
