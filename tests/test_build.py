"""The build and its store: one build, incremental builds, stale stores, locks, refusals."""

from __future__ import annotations

import shutil
import threading

import pytest
from conftest import DATA

from conflictkg import resources
from conflictkg.cli import app
from conflictkg.errors import StaleStoreError, StoreLockedError
from conflictkg.pipeline import run_build
from conflictkg.store import BuiltStore, StoreWriter

INVALID = sorted((DATA / "invalid").glob("*.ttl"))
VALID = sorted((DATA / "valid").glob("*.ttl"))
REPORT = DATA / "valid" / "made-up-checkpoint-attack.ttl"


def _findings(result):
    """What a build found, as comparable tuples (violations and failed checks)."""
    found = {(v.rule_id, v.focus, v.value, v.severity) for v in result.violations}
    found |= {
        (check.id, str(finding.focus), None, "check")
        for check in result.failed_checks
        for finding in check.findings
    }
    return found


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A published build of the project alone."""
    out = tmp_path_factory.mktemp("base")
    assert run_build(out).conforms
    return out


def test_a_build_with_nothing_changed_does_nothing(base):
    result = run_build(base)
    assert result.up_to_date and result.scope == "none" and result.conforms
    assert result.summary is not None and result.summary.triples > 1000


def test_an_added_report_is_loaded_and_validated_alone(base, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(base, out, symlinks=True)
    result = run_build(out, extra_data=[REPORT])
    assert result.conforms and result.scope == "incremental"
    assert result.loaded == [str(REPORT.resolve())]
    built = BuiltStore.open(out)
    assert any(entry.role == "extra" for entry in built.manifest.inputs)
    # and removing it again drops its graph
    again = run_build(out)
    assert again.conforms and again.scope == "incremental" and again.loaded == []
    assert not any(e.role == "extra" for e in BuiltStore.open(out).manifest.inputs)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_incremental_validation_equals_full_validation(base, path):
    """A file added to a built store finds exactly what validating everything finds."""
    incremental = run_build(base, extra_data=[path], write=False, base=base)
    full = run_build(base, extra_data=[path], write=False, incremental=False)
    assert incremental.scope == "incremental" and full.scope == "full"
    assert not incremental.conforms
    assert _findings(incremental) == _findings(full)
    assert incremental.summary == full.summary


def test_incremental_validation_equals_full_on_planted_synthetic_errors(base, tmp_path):
    import synthetic

    data = tmp_path / "synthetic.nt"
    synthetic.write(20_000, data, seed=3, errors=10)
    incremental = run_build(base, extra_data=[data], write=False, base=base)
    full = run_build(base, extra_data=[data], write=False, incremental=False)
    assert not full.conforms
    assert _findings(incremental) == _findings(full)
    assert incremental.summary == full.summary


def _from_scratch(out):
    """The figures of a published build, counted afresh: summary, triples, names index."""
    from conflictkg.rdf.loading import load_files
    from conflictkg.store import rdflib_view
    from conflictkg.store.names import NAME_INDEX_FILE, NameIndex
    from conflictkg.summary import summarize

    built = BuiltStore.open(out)
    store = built.store()
    ontology = load_files([e.path for e in built.manifest.inputs if e.role == "ontology"])
    fresh = NameIndex(":memory:")
    kept = NameIndex(built.folder / NAME_INDEX_FILE)
    graphs = sorted({e.graph for e in built.manifest.inputs if e.graph})
    for graph in graphs:
        fresh.add_graph(store, graph)

    def rows(index):
        return sorted(index._db.execute("SELECT graph, key, term FROM names"))

    return (summarize(rdflib_view(store), ontology, triples=len(store)), len(store),
            rows(fresh)), (built.manifest.validation["summary"], built.manifest.triples,
                           rows(kept))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_an_incremental_build_counts_what_a_full_count_finds(base, tmp_path, path):
    """The summary, the number of triples and the names index, carried over and updated
    when a file is added and when it is removed again, are what counting afresh gives."""
    from conflictkg.pipeline import _summary_from_json

    out = tmp_path / "out"
    shutil.copytree(base, out, symlinks=True)
    for extra in ([path], []):
        result = run_build(out, extra_data=extra)
        assert result.conforms and result.scope == "incremental"
        (summary, triples, names), (kept_summary, kept_triples, kept_names) = _from_scratch(out)
        assert result.summary == summary == _summary_from_json(kept_summary)
        assert kept_triples == triples and kept_names == names != []


def test_a_build_without_a_names_index_makes_one(base, tmp_path):
    """A build folder from before the names index: the next incremental build fills it."""
    from conflictkg.store.names import NAME_INDEX_FILE

    out = tmp_path / "out"
    shutil.copytree(base, out, symlinks=True)
    (BuiltStore.open(out).folder / NAME_INDEX_FILE).unlink()
    assert run_build(out, extra_data=[REPORT]).scope == "incremental"
    _, (_, _, names) = _from_scratch(out)
    assert names == _from_scratch(out)[0][2]


def test_a_failed_build_publishes_nothing(base, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(base, out, symlinks=True)
    before = (out / "store").resolve()
    result = run_build(out, extra_data=[INVALID[0]])
    assert not result.conforms and result.written == []
    assert (out / "store").resolve() == before
    assert run_build(out).up_to_date  # the published build is still the old one


def test_a_second_build_is_told_who_holds_the_folder(tmp_path):
    out = tmp_path / "out"
    with StoreWriter(out) as writer:
        writer.new_folder()
        with pytest.raises(StoreLockedError, match="is being written by conflictkg build, process"):
            run_build(out)


def test_a_build_waits_for_nothing_once_the_lock_is_free(tmp_path):
    out = tmp_path / "out"
    done = threading.Event()

    def hold():
        with StoreWriter(out):
            done.wait(0.1)

    thread = threading.Thread(target=hold)
    thread.start()
    thread.join()
    assert run_build(out).conforms


def test_build_and_readers_name_the_store_the_same_way(runner, base, tmp_path, monkeypatch):
    """--store, --out and CONFLICTKG_STORE name one folder in build and in the readers."""
    out = tmp_path / "shared"
    shutil.copytree(base, out, symlinks=True)
    monkeypatch.setenv("CONFLICTKG_STORE", str(out))
    built = runner.invoke(app, ["build"])
    assert built.exit_code == 0, built.output
    assert f"{out}: up to date" in " ".join(built.output.split())
    monkeypatch.delenv("CONFLICTKG_STORE")
    assert runner.invoke(app, ["build", "-q", "--store", str(out)]).exit_code == 0
    assert runner.invoke(app, ["query", "wikidata-links", "--store", str(out)]).exit_code == 0


def test_a_stale_store_is_never_used_silently(runner, tmp_path, monkeypatch):
    """Change a file of graph/ after the build: every reading command refuses the store."""
    graph = tmp_path / "graph"
    shutil.copytree(resources.data_dir("graph"), graph)
    real = resources.data_dir

    def data_dir(name):
        return graph if name == "graph" else real(name)

    monkeypatch.setattr(resources, "data_dir", data_dir)
    out = tmp_path / "out"
    assert run_build(out).conforms
    assert runner.invoke(app, ["query", "wikidata-links", "--store", str(out)]).exit_code == 0
    report = graph / "reports" / "bamako-2024-09-17.ttl"
    report.write_text(report.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    for command in (
        ["query", "wikidata-links"],
        ["check"],
        ["analyze", "centrality"],
        ["export", "-f", "csv", "--out-dir", str(tmp_path / "x")],
    ):
        result = runner.invoke(app, [*command, "--store", str(out)])
        assert result.exit_code == 2, (command, result.output)
        assert "graph/reports/bamako-2024-09-17.ttl changed" in result.stderr
        assert "run conflictkg build (or add --rebuild)" in result.stderr
    from conflictkg.store import project_inputs

    with pytest.raises(StaleStoreError):
        BuiltStore.open(out).check_fresh({item.key: item.path for item in project_inputs()})
    rebuilt = runner.invoke(app, ["query", "wikidata-links", "--store", str(out), "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "rebuilding the graph" in rebuilt.stderr


def test_serve_and_push_refuse_what_build_refuses(runner, tmp_path):
    duplicate = tmp_path / "duplicate.ttl"
    duplicate.write_text(
        "@prefix ckg: <https://w3id.org/conflictkg/ontology#> .\n"
        "@prefix ckr: <https://w3id.org/conflictkg/id/> .\n"
        "@prefix ckc: <https://w3id.org/conflictkg/code/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ckr:jnim-again a ckg:JihadistGroup ; rdfs:label "JNIM"@en ;\n'
        "    ckg:assertedBy ckr:report-bamako-2024-09-17 ; ckg:assertionStatus ckc:Reported .\n",
        encoding="utf-8",
    )
    build = runner.invoke(
        app, ["build", "-q", "--out", str(tmp_path / "o"), "--data", str(duplicate)]
    )
    assert build.exit_code == 1 and "duplicate-entities-violation" in build.stdout
    serve = runner.invoke(app, ["serve", "--port", "0", "--data", str(duplicate)])
    assert serve.exit_code == 1 and "duplicate-entities-violation" in serve.stderr
    push = runner.invoke(
        app, ["push", "--endpoint", "http://127.0.0.1:9/sparql", "--graph", "urn:x:g",
              "--data", str(duplicate)]
    )
    assert push.exit_code == 1 and "duplicate-entities-violation" in push.stderr
    assert "fails validation" in push.stderr


def test_store_triples_match_the_written_graph(base):
    from rdflib import Graph

    built = BuiltStore.open(base)
    from rdflib.compare import isomorphic

    written = Graph().parse(base / "graph.nt", format="nt")
    assert len(written) == len(built.store())
    assert isomorphic(Graph().parse(base / "graph.ttl", format="turtle"), written)
    # one named graph per loaded file
    graphs = {g.value for g in built.store().named_graphs()}
    loaded = {e.graph for e in built.manifest.inputs if e.graph}
    assert graphs == loaded


def test_an_incremental_build_writes_only_the_new_file_part(base, tmp_path):
    """graph.ttl and graph.nt are made of one part per file; unchanged parts are reused."""
    from rdflib import Graph

    out = tmp_path / "out"
    shutil.copytree(base, out, symlinks=True)
    parts = out / ".stores" / ".parts"
    before = {part.name: part.stat().st_mtime_ns for part in parts.iterdir()}
    result = run_build(out, extra_data=[REPORT])
    assert result.scope == "incremental"
    after = {part.name: part.stat().st_mtime_ns for part in parts.iterdir()}
    assert len(after) == len(before) + 2  # one Turtle and one N-Triples part
    assert all(after[name] == mtime for name, mtime in before.items())
    written = Graph().parse(out / "graph.nt", format="nt")
    assert len(written) == len(BuiltStore.open(out).store())
    report = Graph().parse(REPORT, format="turtle")
    assert all(triple in written for triple in report if not any(
        type(term).__name__ == "BNode" for term in triple))
    assert run_build(out).scope == "incremental"  # the report removed again
    assert {part.name for part in parts.iterdir()} == set(before)


def test_the_closure_is_made_once_on_first_use(base):
    built = BuiltStore.open(base)
    closure = built.store(reasoning="rdfs")
    assert len(closure) > len(built.store())
    assert (built.folder / "closure").is_dir()
    again = BuiltStore.open(base).store(reasoning="rdfs")
    assert len(again) == len(closure)


def test_no_network_while_building(base, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the build opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert run_build(base, write=False).conforms


def test_every_stage_is_timed(base):
    from conflictkg.pipeline import STAGES

    result = run_build(base, extra_data=[REPORT], write=False, base=base)
    assert set(STAGES) - {"write"} <= set(result.timings) and "total" in result.timings



def test_a_build_reports_its_progress_stage_by_stage(tmp_path):
    seen = []
    result = run_build(tmp_path / "out", progress=lambda *step: seen.append(step))
    assert result.conforms
    loads = [step for step in seen if step[0] == "load"]
    assert loads[-1][1] == loads[-1][2] == len(loads) > 3  # file by file
    later = [step[0] for step in seen if step[0] != "load"]
    assert later == ["validate", "check", "summarise", "write"]


def test_a_recorded_hash_is_kept_while_size_and_time_agree(tmp_path):
    import os

    from conflictkg.store.manifest import InputFile, file_hash

    path = tmp_path / "a.ttl"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n")
    first = InputFile.read(path, key="a.ttl", role="data", graph="urn:g")
    assert first.sha256 == file_hash(path)
    recorded = InputFile(**{**first.__dict__, "sha256": "0" * 64})
    again = InputFile.read(path, key="a.ttl", role="data", graph="urn:g", previous=recorded)
    assert again.sha256 == "0" * 64  # not read again
    os.utime(path, ns=(first.mtime_ns + 10**9, first.mtime_ns + 10**9))
    touched = InputFile.read(path, key="a.ttl", role="data", graph="urn:g", previous=recorded)
    assert touched.sha256 == first.sha256
