"""Time every export format on the synthetic 100k- and 1M-triple graphs.

For each size: loads the ontology with the synthetic data (``synthetic.cached(n)``), projects
the view once (timed apart: it is shared by all graph formats), then renders each format in
memory ``--repeat`` times and prints the median seconds, the output size and a ratio to a
baseline run in the same process on the same input:

* RDF formats: rdflib's own serialiser (``Graph.serialize``: nt, turtle, json-ld; TriG is
  compared with rdflib's Turtle, as rdflib needs a Dataset for TriG);
* GraphML and GEXF: networkx's ``write_graphml`` and ``write_gexf`` on the same projection;
* Cytoscape.js: ``networkx.cytoscape_data`` and ``json.dumps``;
* the other graph formats (GraphML for yEd, DOT, Neo4j, CSV, HTML) and GeoJSON: networkx's
  ``write_graphml`` (the usual way to get a NetworkX graph out), as a common yardstick.

A ratio below 1 means the export is faster than its baseline. SVG and PNG are left out: they
are Graphviz's layout time, and graphs this large are refused (``MAX_DRAWN_NODES``).

Usage::

    python benchmarks/bench_export.py [--sizes 100000 1000000] [--view full] [--repeat 3]
        [--formats gexf graphml ...] [--no-baselines]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

from conflictkg import exporters, resources  # noqa: E402
from conflictkg.exporters.common import ExportRequest  # noqa: E402
from conflictkg.rdf.loading import load_files  # noqa: E402

_SKIP = {"svg", "png"}
_RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "trig": "turtle"}


def _median(function, repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _size(output) -> int:
    if isinstance(output, dict):
        return sum(len(v) for v in output.values())
    return len(output)


def _clean_for_networkx(net: nx.Graph) -> nx.Graph:
    """A copy without None values, which networkx's writers refuse."""
    copy = net.copy()
    for _, attrs in copy.nodes(data=True):
        for key in [k for k, v in attrs.items() if v is None]:
            del attrs[key]
    return copy


def _baselines(graph, net) -> dict[str, callable]:
    clean = _clean_for_networkx(net)

    def graphml():
        buffer = io.BytesIO()
        nx.write_graphml(clean, buffer)
        return buffer.getvalue()

    def gexf():
        buffer = io.BytesIO()
        nx.write_gexf(clean, buffer)
        return buffer.getvalue()

    def cyjs():
        return json.dumps(nx.cytoscape_data(clean)).encode()

    found = {"graphml": ("networkx write_graphml", graphml),
             "gexf": ("networkx write_gexf", gexf),
             "cyjs": ("networkx cytoscape_data + json", cyjs)}
    for name, fmt in _RDFLIB.items():
        found[name] = (f"rdflib serialize({fmt})",
                       lambda fmt=fmt: graph.serialize(format=fmt, encoding="utf-8"))
    for name in ("yed", "dot", "neo4j", "csv", "html", "geojson"):
        found[name] = ("networkx write_graphml", graphml)
    return found


def run(size: int, view: str, repeat: int, formats: list[str], baselines: bool) -> None:
    print(f"\n=== synthetic graph of {size:,} data triples, {view} view, median of {repeat} ===")
    path = synthetic.cached(size)
    start = time.perf_counter()
    graph = load_files([*resources.ontology_files(), path])
    seconds = time.perf_counter() - start
    print(f"loaded {len(graph):,} triples (ontology included) in {seconds:.1f} s")
    request = ExportRequest(graph, view=view)
    start = time.perf_counter()
    net = request.network()
    print(f"projected the {view} view in {time.perf_counter() - start:.1f} s: "
          f"{net.number_of_nodes():,} nodes, {net.number_of_edges():,} edges")
    base = _baselines(graph, net) if baselines else {}
    measured_baselines: dict[str, float] = {}
    header = f"{'format':<9} {'seconds':>8} {'MB':>8}  {'baseline':<32} {'seconds':>8} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for name in formats:
        exporter = exporters.get(name)
        seconds, output = _median(lambda exporter=exporter: exporter.render(request), repeat)
        line = f"{name:<9} {seconds:8.2f} {_size(output) / 1e6:8.1f}"
        if name in base:
            label, function = base[name]
            if label not in measured_baselines:
                measured_baselines[label], _ = _median(function, repeat)
            reference = measured_baselines[label]
            line += f"  {label:<32} {reference:8.2f} {seconds / reference:6.2f}"
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--view", default="full", choices=["actors", "events", "places", "full"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", nargs="+",
                        default=[n for n in exporters.names() if n not in _SKIP])
    parser.add_argument("--no-baselines", action="store_true")
    options = parser.parse_args()
    for size in options.sizes:
        run(size, options.view, options.repeat, options.formats, not options.no_baselines)


if __name__ == "__main__":
    main()
