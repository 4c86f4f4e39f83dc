"""Compare rdflib's Turtle parser with conflictkg's loader (pyoxigraph into rdflib).

Generates a Turtle file of about 5,500 triples (event records with labels,
dates, integers, IRIs and a blank node each), then times, N times each
(default 11), ``rdflib.Graph().parse`` and :func:`conflictkg.rdf.loading.load_files`,
and checks that both give the same graph.  These are the figures quoted in
``src/conflictkg/loading.py``.

Usage::

    python benchmarks/bench_parse.py [-n 11] [--records 455]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from conflictkg.rdf.loading import load_files

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_seconds  # noqa: E402

_HEADER = """\
@prefix ckg: <https://w3id.org/conflictkg/ontology#> .
@prefix ckr: <https://w3id.org/conflictkg/id/> .
@prefix ckc: <https://w3id.org/conflictkg/code/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""


def write_sample(path: Path, records: int) -> None:
    """Write `records` event records (12 triples each) to `path`."""
    parts = [_HEADER]
    for i in range(records):
        parts.append(
            f"ckr:event-{i} a ckg:Event ;\n"
            f'    rdfs:label "Event number {i} near the river"@en ;\n'
            f'    ckg:date "2021-0{i % 9 + 1}-1{i % 9}"^^xsd:date ;\n'
            f"    ckg:fatalities {i % 37} ;\n"
            f"    ckg:location ckr:place-{i % 50} ;\n"
            f"    ckg:actor ckr:actor-{i % 80} , ckr:actor-{(i + 7) % 80} ;\n"
            f"    ckg:assertedBy ckr:source-{i % 12} ;\n"
            f"    ckg:assertionStatus ckc:Reported ;\n"
            f'    ckg:note [ a ckg:Note ; rdfs:comment "comment {i}" ] .\n\n'
        )
    path.write_text("".join(parts), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=11)
    parser.add_argument("--records", type=int, default=455)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ckg-parse-") as folder:
        path = Path(folder) / "sample.ttl"
        write_sample(path, args.records)
        ours = load_files([path])
        reference = Graph().parse(path, format="turtle")
        if not isomorphic(ours, reference):
            raise SystemExit("the two loaders disagree")
        rdflib_ms = median_seconds(lambda: Graph().parse(path, format="turtle"), args.runs) * 1000
        ours_ms = median_seconds(lambda: load_files([path]), args.runs) * 1000
    print(f"{len(ours)} triples, median of {args.runs} runs")
    print(f"rdflib Graph.parse(turtle)   {rdflib_ms:7.1f} ms")
    print(f"conflictkg load_files        {ours_ms:7.1f} ms  ({rdflib_ms / ours_ms:.1f}x faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
