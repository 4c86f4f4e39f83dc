"""Every export opened by the reader of the tool it is for, as a new user would open it.

The readers (tests/readers/README.md): graph-tool (Debian python3-graph-tool) for GraphML,
graphology (what Gephi Lite uses) for GEXF and GraphML, cytoscape.js headless for the
Cytoscape JSON, QGIS's own loader (Debian python3-qgis) and GDAL's ogrinfo for the GeoJSON,
Neo4j's Cypher front end for load.cypher and the README's query, Graphviz for drawings,
pandas for the CSV files. `.ci/run` installs them; a test skips (saying what to install)
only where a reader's program is absent.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from conflictkg import resources
from conflictkg.cli import app
from conflictkg.exporters import dot as dot_module
from conflictkg.exporters import export
from conflictkg.rdf.loading import load_files

ROOT = Path(__file__).resolve().parent.parent
READERS = ROOT / "tests" / "readers"
SYSTEM_PYTHON = "/usr/bin/python3"
COUNT = "bamako_2024_09_17_injured_at_least_50"
COUNT_IRI = "https://w3id.org/conflictkg/id/bamako-2024-09-17-injured-at-least-50"
ATTACK_IRI = "https://w3id.org/conflictkg/id/bamako-2024-09-17-attack"


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


def _node(script: str, *args: str) -> object:
    """Run a reader script of tests/readers with Node.js; return its JSON output."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed (Debian: apt-get install nodejs npm)")
    if not (READERS / "node_modules").is_dir():
        pytest.skip("the npm readers are not installed: run make readers (.ci/run does)")
    done = subprocess.run(
        ["node", str(READERS / script), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _system_python(module: str, package: str, script: str, *args: str) -> tuple[object, str]:
    """Run a reader script under Debian's python3 (graph-tool, QGIS); return JSON and stderr."""
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", f"import {module}"], capture_output=True, timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ) if Path(SYSTEM_PYTHON).exists() else None
    if probe is None or probe.returncode != 0:
        pytest.skip(f"{module} is not importable by {SYSTEM_PYTHON} (apt-get install {package})")
    done = subprocess.run(
        [SYSTEM_PYTHON, str(READERS / script), *args], capture_output=True, text=True,
        timeout=180, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def _write(tmp_path: Path, graph, fmt: str, view: str, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(export(graph, fmt, view=view))
    return path


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


# 1. Counts reach every graph format, typed, with a readable phrase.

def test_counts_in_gexf_read_by_graphology(graph, tmp_path):
    read = _node("read-graph.mjs", "gexf", str(_write(tmp_path, graph, "gexf", "full", "f.gexf")))
    (count,) = [n["attributes"] for n in read["nodes"] if n["id"] == COUNT]
    assert count["minimum_value"] == 50 and count["count_text"] == "at least 50 injured"
    assert count["count_category"] == "Injured"
    (attack,) = [n["attributes"] for n in read["nodes"] if n["id"] == "bamako_2024_09_17_attack"]
    assert attack["summary"]


def test_counts_in_graphml_read_by_graph_tool(graph, tmp_path):
    path = _write(tmp_path, graph, "graphml", "full", "f.graphml")
    read, _ = _system_python("graph_tool", "python3-graph-tool", "graph_tool_read.py", str(path))
    assert read["vertex_types"]["minimum_value"].startswith("int")
    count = read["vertex"][COUNT]
    assert count["minimum_value"] == 50 and count["count_text"] == "at least 50 injured"


def test_counts_in_cytoscape_json_read_by_cytoscape_js(graph, tmp_path):
    read = _node("read-graph.mjs", "cyjs", str(_write(tmp_path, graph, "cyjs", "full", "f.cyjs")))
    (count,) = [n["attributes"] for n in read["nodes"] if n["id"] == COUNT]
    assert count["minimum_value"] == 50 and count["count_text"] == "at least 50 injured"
    places = {(n["position"]["x"], n["position"]["y"]) for n in read["nodes"]}
    assert len(places) == len(read["nodes"])  # Cytoscape desktop places only these
    events = _node(
        "read-graph.mjs", "cyjs", str(_write(tmp_path, graph, "cyjs", "events", "e.cyjs"))
    )
    (attack,) = [n for n in events["nodes"] if n["id"] == "bamako_2024_09_17_attack"]
    assert "at least 50 injured" in attack["attributes"]["counts"]


def test_counts_in_dot_csv_neo4j_and_viewer(graph):
    dot_text = export(graph, "dot", view="full").decode()
    node_line = next(line for line in dot_text.splitlines() if line.startswith(f"  {COUNT} "))
    assert 'minimum_value="50"' in node_line and 'count_text="at least 50 injured"' in node_line
    (row,) = [r for r in _rows(export(graph, "csv", view="full")["nodes.csv"]) if r["id"] == COUNT]
    assert row["minimum_value"] == "50" and row["count_text"] == "at least 50 injured"
    nodes = export(graph, "neo4j", view="full")["nodes_Count.csv"]
    (row,) = [r for r in _rows(nodes) if r["iri:ID(Entity)"] == COUNT_IRI]
    assert row["minimum_value:long"] == "50" and row["count_text:string"] == "at least 50 injured"
    html = export(graph, "html", view="events").decode()
    assert "at least 50 injured" in html


# 2. Neo4j: one direction for roles, typed dates, arrays, idempotent and lint-free Cypher.

def _lint(tmp_path: Path, text: str) -> list[dict]:
    path = tmp_path / "query.cypher"
    path.write_text(text, encoding="utf-8")
    return _node("lint-cypher.mjs", str(path))


def _statement_forms(script: str) -> str:
    """Every distinct statement of a script, relationship statements compared up to their type.

    The relationship statements differ only in the type's name (``'HOSTILITY'``,
    ``[r:HOSTILITY``); the front end takes over a minute on all of them and seconds on one.
    """
    forms: dict[str, str] = {}
    for statement in re.split(r"(?<=;)\n", script):
        form = re.sub(r"`:TYPE` = '\w+'|\[r:\w+ ", "", statement)
        forms.setdefault(form, statement)
    return "\n".join(forms.values())


def test_load_cypher_has_no_error_or_warning_in_neo4j_front_end(graph, tmp_path):
    script = export(graph, "neo4j", view="full")["load.cypher"].decode()
    forms = _statement_forms(script)
    assert forms.count("MERGE (a)-[r:") == 1 < script.count("MERGE (a)-[r:")
    assert _lint(tmp_path, forms) == []


def _readme_cypher() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (query,) = re.findall(r"```cypher\n(.*?)```", text, re.S)
    return query


@pytest.mark.parametrize("view", ["events", "full"])
def test_readme_cypher_query_finds_the_perpetrators(graph, tmp_path, view):
    query = _readme_cypher()
    assert _lint(tmp_path, query) == []
    pattern = re.search(r"\((\w+):(\w+)\)-\[(\w+):(\w+)\]->\((\w+):(\w+)\)", query)
    start_label, rel_type, end_label = pattern[2], pattern[4], pattern[6]
    status = re.search(r"\.status = '(\w+)'", query)[1]
    files = export(graph, "neo4j", view=view)
    kinds = {
        row["iri:ID(Entity)"]: name[len("nodes_"):-len(".csv")]
        for name, data in files.items() if name.startswith("nodes_") for row in _rows(data)
    }
    found = [
        r for r in _rows(files["relationships.csv"])
        if r[":TYPE"] == rel_type and kinds[r[":START_ID(Entity)"]] == start_label
        and kinds[r[":END_ID(Entity)"]] == end_label and r["status:string"] == status
    ]
    assert found
    returned = re.findall(r"\br\.(\w+)", query.split("RETURN")[1])
    header = _rows(files["relationships.csv"])[0].keys()
    assert all(any(h.split(":")[0] == name for h in header) for name in returned)


def test_neo4j_dates_typed_lists_arrays_relationships_merged(graph):
    files = export(graph, "neo4j", view="full")
    script = files["load.cypher"].decode()
    statements = "\n".join(x for x in script.splitlines() if not x.startswith("//"))
    assert "CREATE (a)" not in statements and "CALL { WITH" not in statements
    rows = _rows(files["relationships.csv"])
    assert len({r["key:string"] for r in rows}) == len(rows)
    header = next(csv.reader(io.StringIO(files["nodes_Event.csv"].decode())))
    assert "earliest:date" in header and "latest:date" in header
    assert "gtd_target_type:string[]" in header and "status:string" in header
    actors = next(csv.reader(io.StringIO(files["nodes_Actor.csv"].decode())))
    assert "types:string[]" in actors
    if "founded:string" in actors:  # years stay years, with their first and last day
        assert {"founded_first:date", "founded_last:date"} <= set(actors)
    counts = next(csv.reader(io.StringIO(files["nodes_Count.csv"].decode())))
    assert "counted_group:string[]" in counts
    assert "--array-delimiter='|'" in files["import.sh"].decode()


# 3. GraphML: strict readers, colours and names outside yEd graphics, words on yEd edges.

def test_graphml_read_by_graph_tool_and_graphology_without_junk(graph, tmp_path):
    path = _write(tmp_path, graph, "graphml", "actors", "a.graphml")
    read, _ = _system_python("graph_tool", "python3-graph-tool", "graph_tool_read.py", str(path))
    assert read["directed"] and read["vertices"] > 0
    jnim = read["vertex"]["jnim"]
    assert jnim["name"] == "JNIM" and jnim["color"] == "#D55E00"
    assert (jnim["r"], jnim["g"], jnim["b"]) == (213, 94, 0)
    lite = _node("read-graph.mjs", "graphml", str(path))
    assert all("" not in n["attributes"] for n in lite["nodes"])
    assert all(e["attributes"]["interaction"] not in ("", "-") for e in lite["edges"])
    assert all(e["attributes"]["color"].startswith("#") for e in lite["edges"])


# 4. QGIS shows one-day events with its default temporal settings; undated features stay.

def test_qgis_shows_every_event_of_the_day(graph, tmp_path):
    path = tmp_path / "graph.geojson"
    path.write_bytes(export(graph, "geojson"))
    doc = json.loads(path.read_bytes())
    events = [f for f in doc["features"] if f["properties"]["kind"] == "event"]
    on_the_day = {
        f["properties"]["iri"] for f in events
        if f["properties"]["start"] <= "2024-09-17" <= f["properties"]["end"]
    }
    assert len(on_the_day) >= 10
    read, _ = _system_python(
        "qgis.core", "python3-qgis", "qgis_temporal.py", str(path), "2024-09-17", "fields",
        "start", "until",
    )
    assert read["valid"] and read["features"] == len(doc["features"])
    assert read["fields"]["until"] == "Date"
    assert on_the_day <= set(read["kept"])


def test_qgis_recipe_for_undated_features_keeps_them_without_gdal_errors(graph, tmp_path):
    path = tmp_path / "graph.geojson"
    path.write_bytes(export(graph, "geojson"))
    text = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    start = re.search(r"start expression\s+`([^`]+)`", text)[1]
    end = re.search(r"end expression\s+`([^`]+)`", text)[1]
    read, stderr = _system_python(
        "qgis.core", "python3-qgis", "qgis_temporal.py", str(path), "2024-09-17",
        "expressions", start, end,
    )
    assert len(read["kept"]) == read["features"]  # places (undated) stay on the map
    assert "Failed to parse date" not in stderr


def test_gdal_filters_by_day_as_the_docs_say(graph, tmp_path):
    if shutil.which("ogrinfo") is None:
        pytest.skip("GDAL's ogrinfo is not installed (apt-get install gdal-bin)")
    path = tmp_path / "graph.geojson"
    path.write_bytes(export(graph, "geojson"))
    text = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    command = re.search(r"^(ogrinfo -ro -q -dialect SQLite .+)$", text, re.M)[1]
    args = [a.replace("graph.geojson", str(path)) for a in shlex.split(command)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "ERROR" not in done.stderr, done.stderr
    assert done.stdout.count("OGRFeature") >= 10
    summary = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True,
                             text=True, timeout=60).stdout
    assert re.search(r"^until: Date", summary, re.M) and re.search(r"^start: Date", summary, re.M)


# 5. Graphviz: a dense view is drawn (parallel edges merged), and never runs forever.

def _dense() -> nx.MultiDiGraph:
    rng = random.Random(7)
    net = nx.MultiDiGraph()
    ids = [f"https://w3id.org/conflictkg/id/actor-{i}" for i in range(44)]
    for iri in ids:
        net.add_node(iri, label=iri.rsplit("/", 1)[1], kind="actor")
    for _ in range(1669):
        u, v = rng.sample(ids, 2)
        net.add_edge(u, v, relation=rng.choice(["Hostility", "Affiliation"]),
                     status=rng.choice(["Reported", "ClaimedByParty"]))
    return net


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_dense_view_is_drawn_with_merged_edges(monkeypatch):
    monkeypatch.setattr(dot_module, "DRAW_SECONDS", 90.0)
    net = _dense()
    svg = dot_module.to_svg(net).decode()
    drawn = svg.count('class="edge"')
    distinct = {(u, v, d["relation"], d["status"]) for u, v, d in net.edges(data=True)}
    assert drawn == len(distinct) < net.number_of_edges()
    assert "×" in svg


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_is_stopped_with_a_clear_message(runner, monkeypatch, tmp_path):
    monkeypatch.setattr(dot_module, "DRAW_SECONDS", 0.001)
    result = runner.invoke(app, ["export", "-f", "svg", "--view", "full",
                                 "-o", str(tmp_path / "full.svg")])
    assert result.exit_code == 2, result.output
    assert "did not finish laying out" in result.output
    assert not (tmp_path / "full.svg").exists()


# 6. Small things: pandas, the README's example, --view full for RDF, GEXF without dynamics.

def test_readme_pandas_example_runs_on_what_make_run_writes(runner, tmp_path):
    pd = pytest.importorskip("pandas")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(import pandas as pd\n.*?)```", text, re.S)
    folders = set(re.findall(r"out/export/([\w-]+)/", example))
    assert folders == {"events-csv"}
    line = next(line for line in makefile.splitlines() if "export --format csv" in line)
    args = line.split("conflictkg ", 1)[1].split()
    args[args.index("--out-dir") + 1] = str(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    namespace: dict = {}
    exec(example.replace("out/export/", f"{tmp_path}/"), namespace)  # noqa: S102
    assert len(namespace["claimed"]) > 0
    nodes = namespace["nodes"]
    for column in namespace["dates"]:
        if column in nodes:
            assert nodes[column].dtype != "float64", column
    assert pd.api.types.is_datetime64_any_dtype(nodes["date_first"])


def test_rdf_formats_accept_the_default_view(runner, tmp_path):
    result = runner.invoke(app, ["export", "-f", "turtle", "--view", "full",
                                 "-o", str(tmp_path / "g.ttl")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", "-f", "turtle", "--view", "actors",
                                 "-o", str(tmp_path / "a.ttl")])
    assert result.exit_code == 2


def test_gexf_dates_survive_a_reader_without_dynamics(graph, tmp_path):
    read = _node("read-graph.mjs", "gexf", str(_write(tmp_path, graph, "gexf", "full", "f.gexf")))
    (attack,) = [n["attributes"] for n in read["nodes"] if n["id"] == "bamako_2024_09_17_attack"]
    assert attack["live_from"] == "2024-09-17" and attack["live_until"] == "2024-09-17"
    claimed = [e for e in read["edges"] if e["attributes"].get("status") == "ClaimedByParty"]
    reported = [e for e in read["edges"] if e["attributes"].get("status") == "Reported"]
    assert claimed and reported
    assert {e["attributes"]["color"] for e in claimed}.isdisjoint(
        {e["attributes"]["color"] for e in reported}
    )

