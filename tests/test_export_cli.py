"""conflictkg export: the registry of formats, the command, its errors and exit codes."""

from __future__ import annotations

import json
import re

import pytest

from conflictkg import exporters
from conflictkg.cli import app
from conflictkg.errors import UnknownFormatError

ALL = [
    "turtle", "ntriples", "jsonld", "trig", "graphml", "yed", "gexf", "cyjs", "dot", "svg", "png",
    "neo4j", "geojson", "csv", "html",
]


def test_registry_lists_every_format():
    assert exporters.names() == ALL
    for name in ALL:
        exporter = exporters.get(name)
        assert callable(exporter.writer()), name
        assert exporter.folder == (exporter.suffix == "")


def test_unknown_format_error_lists_the_formats():
    with pytest.raises(UnknownFormatError) as caught:
        exporters.get("pajek")
    assert str(caught.value) == (
        "unknown export format 'pajek'; choose one of: " + ", ".join(ALL)
    )


def test_register_a_format_of_ones_own(tmp_path):
    exporters.register(
        "lines", "conflictkg.exporters.tables", "to_csv_tables", suffix="", input="view",
        description="a test format", folder=True,
    )
    try:
        assert exporters.get("LINES").function == "to_csv_tables"
        assert "lines" in exporters.names()
    finally:
        exporters.registry.unregister("lines")
    assert "lines" not in exporters.names()
    with pytest.raises(ValueError, match="lower-case"):
        exporters.register("Bad-Name", "m", "f", suffix=".x", input="view", description="")


def test_list(runner):
    result = runner.invoke(app, ["export", "--list"])
    assert result.exit_code == 0, result.output
    for name in ALL:
        assert re.search(rf"\b{name}\b", result.stdout), name


def test_every_format_to_files(runner, tmp_path):
    result = runner.invoke(app, ["export", "--format", "all", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    expected = {
        "graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "full.graphml",
        "full.yed.graphml", "full.gexf", "full.cyjs", "full.dot", "full-neo4j", "graph.geojson",
        "full-csv", "full.html",
    }
    assert expected <= set(names)
    assert not [n for n in names if n.endswith(".tmp")]
    assert {"nodes.csv", "edges.csv"} == {p.name for p in (tmp_path / "full-csv").iterdir()}
    for path in tmp_path.rglob("*"):
        assert path.is_dir() or path.stat().st_size > 0, path


def test_one_format_to_a_named_file(runner, tmp_path):
    target = tmp_path / "actors.gexf"
    result = runner.invoke(app, ["export", "-f", "gexf", "--view", "actors", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert "actors.gexf" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-f", "pajek"], "unknown export format 'pajek'; choose one of: turtle, ntriples"),
        ([], "give --format"),
        (["-f", "gexf", "-f", "dot", "-o", "x"], "-o/--output names one output"),
        (["-f", "gexf", "--view", "people"], "unknown view 'people'"),
        (["-f", "turtle", "--view", "actors"], "--view applies to the graph formats"),
        (["-f", "gexf", "--status", "Rumoured"], "unknown assertion status 'Rumoured'"),
        (["-f", "gexf", "--since", "2024-9"], "since: '2024-9' is not an ISO date"),
        (["-f", "gexf", "--view", "places", "--status", "Reported"], "places view"),
        (["-f", "gexf", "--data", "missing.ttl"], "missing.ttl: no such file"),
    ],
)
def test_bad_usage_exits_2_with_one_line(runner, tmp_path, arguments, message):
    result = runner.invoke(app, ["export", *arguments, "--out-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_status_by_label_is_accepted(runner, tmp_path):
    target = tmp_path / "claims.cyjs"
    result = runner.invoke(
        app, ["export", "-f", "cyjs", "--status", "claimed by a party", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    edges = json.loads(target.read_text())["elements"]["edges"]
    assert edges and {e["data"]["status"] for e in edges} == {"ClaimedByParty"}


@pytest.mark.parametrize("status", ["claimed", "CLAIMED", "ClaimedByParty"])
def test_status_by_notation_or_name_is_accepted_as_in_analyze(runner, tmp_path, status):
    target = tmp_path / "claims.cyjs"
    result = runner.invoke(app, ["export", "-f", "cyjs", "--status", status, "-o", str(target)])
    assert result.exit_code == 0, result.output
    edges = json.loads(target.read_text())["elements"]["edges"]
    assert edges and {e["data"]["status"] for e in edges} == {"ClaimedByParty"}


def test_empty_view_exits_1_and_writes_nothing(runner, tmp_path):
    target = tmp_path / "forecasts.graphml"
    target.write_text("old")
    result = runner.invoke(
        app, ["export", "-f", "graphml", "--view", "actors", "--status", "Forecast",
              "-o", str(target)]
    )
    assert result.exit_code == 1, result.output
    assert "actors view is empty" in result.stderr
    assert target.read_text() == "old"


def test_file_where_a_folder_is_needed(runner, tmp_path):
    target = tmp_path / "neo4j"
    target.write_text("a file")
    result = runner.invoke(app, ["export", "-f", "neo4j", "-o", str(target)])
    assert result.exit_code == 2
    assert "writes a folder" in result.stderr
    assert target.read_text() == "a file"


def test_missing_graphviz_is_a_usage_error(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = runner.invoke(app, ["export", "-f", "svg", "--out-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "needs dot, which is not installed" in result.stderr
    result = runner.invoke(app, ["export", "-f", "all", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "skipping svg" in result.stderr and "skipping png" in result.stderr
    assert (tmp_path / "full.dot").exists() and not (tmp_path / "full.svg").exists()


def test_extra_data_file_is_exported(runner, tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix ckg: <https://w3id.org/conflictkg/ontology#> .\n"
        "@prefix ckr: <https://w3id.org/conflictkg/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix ckc: <https://w3id.org/conflictkg/code/> .\n"
        'ckr:test-town a ckg:City ; rdfs:label "Test town"@en ;\n'
        "    ckg:locatedIn ckr:mali-territory ;\n"
        "    ckg:assertedBy ckr:conflictkg-reference-data ; ckg:assertionStatus ckc:Reported .\n"
    )
    target = tmp_path / "places.csv"
    result = runner.invoke(
        app, ["export", "-f", "csv", "--view", "places", "--data", str(extra), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "Test town" in (target / "nodes.csv").read_text()


def test_progress_tracker_passes_everything_through():
    from rich.console import Console
    from rich.progress import Progress

    from conflictkg.cli.export import _Tracker

    with Progress(console=Console(force_terminal=False), disable=True) as progress:
        track = _Tracker(progress)
        assert list(track(iter(range(5)), 5, "counting")) == [0, 1, 2, 3, 4]
        assert progress.tasks == []


def test_write_api_replaces_files_and_fills_folders(tmp_path):
    from conflictkg import resources
    from conflictkg.rdf.loading import load_files

    graph = load_files([*resources.ontology_files(), *resources.graph_files()])
    single = tmp_path / "places.dot"
    single.write_text("old")
    assert exporters.write(graph, "dot", single, view="places") == [single]
    assert single.read_text().startswith("digraph conflictkg_places {")
    folder = tmp_path / "tables"
    written = exporters.write(graph, "csv", folder, view="places")
    assert sorted(p.name for p in written) == ["edges.csv", "nodes.csv"]
    assert all(p.parent == folder for p in written)
    with pytest.raises(exporters.ExportError, match="writes a file"):
        exporters.write(graph, "dot", folder, view="places")
