"""The command line: build, validate, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import DATA, REPO, SYNTAX
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from conflictkg import __version__, pipeline
from conflictkg.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, app

TYPO = """\
@prefix ckg: <https://w3id.org/conflictkg/ontology#> .
@prefix ckr: <https://w3id.org/conflictkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ckr:typo-test-record a ckg:Atack ;
    rdfs:label "record with a misspelt class"@en .
"""


def _snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def _old_out(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("old turtle")
    (out / "graph.nt").write_text("old n-triples")
    (out / "notes.txt").write_text("someone else's file")
    return out


# --- version and help -------------------------------------------------------------


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == EXIT_OK
    assert result.stdout.strip() == f"conflictkg {__version__}"


def test_python_dash_m():
    command = [sys.executable, "-m", "conflictkg", "--version"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"conflictkg {__version__}"


@pytest.mark.parametrize("command", [[], ["build"], ["validate"]])
def test_help_documents_exit_codes(runner, command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == EXIT_OK
    text = " ".join(result.stdout.split())
    assert "Exit codes: 0" in text
    assert "1 " in text and "2 bad input or usage" in text


def test_usage_errors_exit_2(runner):
    assert runner.invoke(app, ["validate"]).exit_code == 2  # missing FILE
    assert runner.invoke(app, ["build", "--no-such-option"]).exit_code == 2
    assert runner.invoke(app, ["frobnicate"]).exit_code == 2


def test_unknown_format_exits_2(runner):
    result = runner.invoke(app, ["validate", "--format", "xml", str(SYNTAX / "empty.ttl")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "xml" in result.stderr


def test_internal_error_exits_3(runner, monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(pipeline, "run_build", broken)
    result = runner.invoke(app, ["build", "--out", str(tmp_path / "out")])
    assert result.exit_code == EXIT_INTERNAL
    assert "simulated bug" in result.stderr and "internal error" in result.stderr


# --- build ------------------------------------------------------------------------


def test_build_writes_graph_and_prints_summary(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--out", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert sorted(p.name for p in out.iterdir()) == [".stores", "graph.nt", "graph.ttl", "store"]
    for title in ("Resources per class", "Sources", "Statements per assertion status", "Timings"):
        assert title in result.stdout
    for stage in ("load", "validate", "write", "total"):
        assert f"│ {stage}" in result.stdout
    assert f"wrote {out / 'graph.ttl'}" in result.stdout

    turtle = Graph().parse(out / "graph.ttl", format="turtle")
    ntriples = Graph().parse(out / "graph.nt", format="nt")
    assert isomorphic(turtle, ntriples)
    # the written graph holds the ontology as well as the data
    assert (None, RDF.type, SH.NodeShape) not in turtle
    assert any(turtle.triples((None, RDF.type, None)))
    from conflictkg.rdf.loading import load_project

    ontology, data = load_project()
    assert len(turtle) == len(set(ontology) | set(data))
    # the published store holds the same triples, one named graph per file
    from conflictkg.store import BuiltStore

    built = BuiltStore.open(out)
    assert len(built.store()) == len(ntriples)
    assert {entry.key for entry in built.manifest.inputs} >= {
        "graph/reports/bamako-2024-09-17.ttl",
        "ontology/conflictkg.ttl",
        "ontology/shapes.ttl",
    }


def test_build_quiet_prints_nothing(runner, tmp_path):
    result = runner.invoke(app, ["build", "--quiet", "--out", str(tmp_path / "out")])
    assert result.exit_code == EXIT_OK, result.output
    assert result.stdout == ""
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_failing_validation_leaves_out_untouched(runner, tmp_path):
    out = _old_out(tmp_path)
    before = _snapshot(out)
    broken = tmp_path / "typo.ttl"
    broken.write_text(TYPO)
    result = runner.invoke(app, ["build", "--out", str(out), "--data", str(broken)])
    assert result.exit_code == EXIT_FAILED, result.output
    assert "did you mean ckg:Attack?" in result.stdout
    assert "nothing written" in result.stderr
    assert _snapshot(out) == before


def test_failing_validation_creates_no_out_folder(runner, tmp_path):
    broken = tmp_path / "typo.ttl"
    broken.write_text(TYPO)
    result = runner.invoke(app, ["build", "-q", "--out", str(tmp_path / "new"), "-d", str(broken)])
    assert result.exit_code == EXIT_FAILED
    assert not (tmp_path / "new").exists()


def test_build_with_syntax_error_exits_2_and_leaves_out_untouched(runner, tmp_path):
    out = _old_out(tmp_path)
    before = _snapshot(out)
    bad = SYNTAX / "missing-dot.ttl"
    result = runner.invoke(app, ["build", "--out", str(out), "--data", str(bad)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert result.stderr == f"error: {bad}:9:1: A dot is expected at the end of statements\n"
    assert _snapshot(out) == before


def test_build_into_a_file_exits_2(runner, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file, not a folder")
    result = runner.invoke(app, ["build", "-q", "--out", str(blocker)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "cannot write" in result.stderr
    assert blocker.read_text() == "a file, not a folder"


def test_build_runs_from_another_directory(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "conflictkg", "build", "-q", "--out", "built"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "built" / "graph.nt").is_file()
    assert not (REPO / "built").exists()


# --- validate ---------------------------------------------------------------------


def test_validate_reports_typo_as_json(runner, tmp_path):
    broken = tmp_path / "typo.ttl"
    broken.write_text(TYPO)
    result = runner.invoke(app, ["validate", "--format", "json", str(broken)])
    assert result.exit_code == EXIT_FAILED, result.output
    found = json.loads(result.stdout)
    typo = [v for v in found if v["rule_id"] == "ClosedVocabulary"]
    assert len(typo) == 1
    assert typo[0]["focus"] == "https://w3id.org/conflictkg/id/typo-test-record"
    assert typo[0]["focus_label"] == "record with a misspelt class"
    assert typo[0]["value"] == "ckg:Atack"
    assert typo[0]["message"].endswith("did you mean ckg:Attack?")
    assert set(typo[0]) == {
        "focus", "focus_label", "rule", "rule_id", "path", "value", "severity", "message"
    }


def test_validate_table_and_turtle(runner, tmp_path):
    broken = tmp_path / "typo.ttl"
    broken.write_text(TYPO)
    table = runner.invoke(app, ["validate", str(broken)])
    assert table.exit_code == EXIT_FAILED
    assert "record with a misspelt class" in table.stdout
    assert "did you mean ckg:Attack?" in table.stdout
    assert "does not conform" in table.stdout

    turtle = runner.invoke(app, ["validate", "-f", "turtle", str(broken)])
    assert turtle.exit_code == EXIT_FAILED
    report = Graph().parse(data=turtle.stdout, format="turtle")
    assert (None, RDF.type, SH.ValidationReport) in report


@pytest.mark.parametrize("path", sorted((DATA / "valid").glob("*.ttl")), ids=lambda p: p.name)
def test_validate_valid_examples_exit_0(runner, path):
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == EXIT_OK, result.output
    assert "conforms" in result.stdout


def test_validate_accepts_a_shared_file_without_loading_it_twice(runner):
    from conflictkg import resources

    shared = resources.shared_graph_files()
    result = runner.invoke(app, ["validate", "-f", "json", str(shared[0])])
    assert result.exit_code == EXIT_OK, result.output
    assert json.loads(result.stdout) == [] or all(
        v["severity"] != "Violation" for v in json.loads(result.stdout)
    )
