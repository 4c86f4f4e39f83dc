"""``conflictkg import ged`` at scale, against bare pyoxigraph ``bulk_load`` of its output.

For each size, on GED-shaped rows from ``benchmarks/ged_rows.py``, in this one run:

* **import**: :func:`conflictkg.importing.import_dataset` (reading the CSV, mapping every
  row, reconciling actors and places, linking to the report events, writing the graph
  file), its rows and triples per second;
* **baseline**: bare pyoxigraph ``bulk_load`` of the file the import wrote, as N-Triples,
  into a new on-disk store (the goal: the import at least 0.5x its triple rate);
* with ``--build``: the whole command, ``conflictkg import ged FILE --into DIR --store
  DIR`` in a child process (import, then the build: load, validate, check, summarise,
  write), its wall time and peak memory (``getrusage`` of the child).

Usage::

    python benchmarks/bench_import.py --sizes 10000,100000 [--build]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ged_rows  # noqa: E402

from conflictkg.importing import import_dataset  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def bare_load(path: Path, folder: Path) -> float:
    """Seconds for bare pyoxigraph to bulk-load `path` into a new on-disk store."""
    start = time.perf_counter()
    store = ox.Store(str(folder))
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode("urn:x:g"))
    store.flush()
    seconds = time.perf_counter() - start
    del store
    return seconds


def whole_command(csv_file: Path, work: Path) -> dict:
    """Run ``conflictkg import ged`` as a command; return wall time, peak memory, exit code."""
    command = [str(REPO / ".venv" / "bin" / "conflictkg"), "import", "ged", str(csv_file),
               "--into", str(work / "datasets"), "--store", str(work / "out"), "--show", "0"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": round(seconds, 1), "peak_mb": round(peak), "exit": done.returncode,
            "tail": [line for line in done.stdout.splitlines() if line.startswith("build:")]
            + done.stderr.strip().splitlines()[-3:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--build", action="store_true", help="also run the whole command")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        work = Path(tempfile.mkdtemp(prefix="bench-import-"))
        try:
            csv_file = ged_rows.write_rows(size, work / "ged231-bench.csv")
            start = time.perf_counter()
            result = import_dataset("ged", csv_file, into=work / "datasets")
            seconds = time.perf_counter() - start
            copy = work / "out.nt"
            shutil.copyfile(result.path, copy)
            baseline = bare_load(copy, work / "bare")
            figures = {
                "rows": size,
                "triples": result.triples,
                "import_s": round(seconds, 2),
                "import_triples_per_s": round(result.triples / seconds),
                "bulk_load_s": round(baseline, 2),
                "bulk_load_triples_per_s": round(result.triples / baseline),
                "ratio_import_to_bulk_load": round(baseline / seconds, 2),
            }
            if args.build:
                shutil.rmtree(work / "datasets")
                figures["command"] = whole_command(csv_file, work)
            print(json.dumps(figures), flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
