"""LinkML against report cards: the same graph written through LinkML's YAML loader and
RDF dumper, for the choice written in ``docs/cookbook.md`` ("Why not LinkML").

LinkML does not install with the project, so this runs in two steps:

1. with the project's venv, ``python benchmarks/bench_linkml.py export DIR`` writes a
   LinkML schema of every ontology property used by the Bamako report
   (``DIR/schema.yaml``), the report as LinkML instance data (``DIR/data.yaml``, one
   object per record, the values as CURIEs, numbers and strings) and its Turtle
   (``DIR/bamako.ttl``);
2. with a venv that has ``linkml`` (1.12.1 was measured), ``python
   benchmarks/bench_linkml.py time DIR [-n 5]`` times LinkML loading the data and dumping
   RDF, against rdflib parsing the same report's Turtle in the same process (baseline),
   and counts the triples LinkML gives.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_seconds  # noqa: E402


def export(folder: Path) -> None:
    import json

    import pyoxigraph as ox

    from conflictkg.cards.turtle import PREFIXES

    folder.mkdir(parents=True, exist_ok=True)
    source = Path(__file__).resolve().parents[1] / "graph" / "reports" / "bamako-2024-09-17.ttl"
    (folder / "bamako.ttl").write_bytes(source.read_bytes())

    def curie(term) -> str:
        for prefix, base in PREFIXES.items():
            if term.value.startswith(base):
                return f"{prefix}:{term.value[len(base):]}"
        return term.value

    records: dict[str, dict] = {}
    slots: dict[str, str] = {}
    for quad in ox.parse(path=str(source), format=ox.RdfFormat.TURTLE):
        if not isinstance(quad.subject, ox.NamedNode):
            continue
        name = curie(quad.predicate).replace(":", "_")
        record = records.setdefault(curie(quad.subject), {"id": curie(quad.subject)})
        if isinstance(quad.object, ox.Literal):
            value = quad.object.value
            kind = "integer" if quad.object.datatype.value.endswith("integer") else "string"
            value = int(value) if kind == "integer" else value
        else:
            value, kind = curie(quad.object), "uriorcurie"
        slots.setdefault(name, kind)
        record.setdefault(name, []).append(value)
    schema = {
        "id": "https://w3id.org/conflictkg/linkml-bench",
        "name": "conflictkg_cards_bench",
        "prefixes": {"linkml": "https://w3id.org/linkml/", **PREFIXES},
        "default_prefix": "ckg",
        "imports": ["linkml:types"],
        "default_range": "string",
        "classes": {
            "Card": {"tree_root": True, "attributes": {"records": {
                "range": "Record", "multivalued": True, "inlined_as_list": True}}},
            "Record": {"slots": ["id", *sorted(slots)]},
        },
        "slots": {
            "id": {"identifier": True, "range": "uriorcurie"},
            **{name: {"slot_uri": name.replace("_", ":", 1), "range": kind,
                      "multivalued": True} for name, kind in sorted(slots.items())},
        },
    }
    # JSON is YAML: LinkML reads both files as YAML
    (folder / "schema.yaml").write_text(json.dumps(schema, indent=1))
    (folder / "data.yaml").write_text(json.dumps({"records": list(records.values())}, indent=1))
    print(f"wrote {folder}: {len(records)} records, {len(slots)} slots")


def time_linkml(folder: Path, runs: int) -> None:
    from linkml.generators.pythongen import PythonGenerator
    from linkml_runtime.dumpers import rdflib_dumper
    from linkml_runtime.loaders import yaml_loader
    from linkml_runtime.utils.schemaview import SchemaView
    from rdflib import Graph

    schema_path = str(folder / "schema.yaml")
    start = time.perf_counter()
    module = PythonGenerator(schema_path).compile_module()
    view = SchemaView(schema_path)
    setup = time.perf_counter() - start

    def convert() -> Graph:
        card = yaml_loader.load(str(folder / "data.yaml"), target_class=module.Card)
        return rdflib_dumper.as_rdf_graph(card, schemaview=view)

    triples = len(convert())
    baseline = median_seconds(lambda: Graph().parse(folder / "bamako.ttl"), runs)
    linkml = median_seconds(convert, runs)
    print(f"LinkML schema compile and view (once): {setup * 1000:.0f} ms")
    print(f"rdflib parses the report's Turtle (baseline): {baseline * 1000:.1f} ms")
    print(f"LinkML YAML to RDF: {linkml * 1000:.1f} ms, {linkml / baseline:.1f}x the baseline, "
          f"{triples} triples, {triples / linkml:,.0f} triples/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["export", "time"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", type=int, default=5)
    args = parser.parse_args()
    if args.step == "export":
        export(args.folder)
    else:
        time_linkml(args.folder, args.n)


if __name__ == "__main__":
    sys.exit(main())
