"""conflictkg import: real UCDP GED rows and made-up ACLED rows into the graph, linked.

The GED rows are the real 1,000-row sample of GED 23.1 (CC BY 4.0, see
``tests/data/datasets/README.md``); the ACLED rows are made up, in ACLED's two layouts,
since ACLED's terms forbid passing its rows on.  Every file the import writes is read back with
pyoxigraph's own parser, and the built stores are queried with the commands themselves.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from conflictkg.cli import app
from conflictkg.errors import InputError
from conflictkg.importing import import_dataset

DATA = Path(__file__).parent / "data" / "datasets"
GED_1000 = DATA / "ged231-sample-1000.csv"
GED_SAHEL = DATA / "ged231-sahel-12.csv"
ACLED_CURRENT = DATA / "acled-current-made-up.csv"
ACLED_HXL = DATA / "acled-hxl-made-up.csv"

SAHEL_IDS = ("285416", "293114", "364471", "352268", "398385", "431002", "237564", "456557",
             "203499", "12989", "433894", "256789")

CKG = "https://w3id.org/conflictkg/ontology#"
CKR = "https://w3id.org/conflictkg/id/"

def _store(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _values(store: ox.Store, subject: str, prop: str) -> list[str]:
    found = store.quads_for_pattern(ox.NamedNode(CKR + subject), ox.NamedNode(CKG + prop), None)
    return sorted(q.object.value for q in found)


def _invoke(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def ged_1000(tmp_path_factory) -> tuple[object, ox.Store]:
    folder = tmp_path_factory.mktemp("ged")
    result = import_dataset("ged", GED_1000, into=folder)
    return result, _store(result.path)


@pytest.fixture(scope="module")
def sahel(tmp_path_factory) -> Path:
    """The 12 Sahel rows imported and built with the project, through the command."""
    folder = tmp_path_factory.mktemp("sahel")
    done = _invoke("import", "ged", str(GED_SAHEL), "--into", str(folder / "datasets"),
                   "--store", str(folder / "out"))
    assert done.exit_code == 0, done.output
    return folder


def test_every_sample_row_imports(ged_1000):
    result, store = ged_1000
    assert result.rows == 1000
    events = store.query(f"SELECT (COUNT(*) AS ?n) {{ ?e <{CKG}datasetTimePrecisionCode> ?c }}")
    assert int(next(iter(events))[0].value) == 1000
    assert result.version == "23.1"
    assert len(store) == result.triples


def test_the_dataset_is_a_source(ged_1000):
    result, store = ged_1000
    name = result.dataset.rsplit("/", 1)[1]
    assert name == "ucdp-ged-23-1"
    assert _values(store, name, "licence") == ["CC BY 4.0"]
    assert _values(store, name, "datasetVersion") == ["23.1"]
    assert _values(store, name, "fileHash") == [
        "01f798b83c942677adcd1708c2ef04d642f147b3527679ec918b90b23cdccaf1"]


def test_a_sahel_row_with_jnim(ged_1000):
    _, store = ged_1000
    event = "ucdp-ged-event-431002"
    assert _values(store, event, "sideA") == [CKR + "mali"]
    assert _values(store, event, "sideB") == [CKR + "jnim"]
    assert _values(store, event, "date") == ["2022-03-07"]
    assert _values(store, event, "geographicPrecision") == [
        "https://w3id.org/conflictkg/code/CityPrecision"]
    assert _values(store, event, "datasetPlacePrecisionCode") == ["2"]
    total = f"{event}-deaths-total"
    assert (_values(store, total, "minimumValue"), _values(store, total, "approximateValue"),
            _values(store, total, "maximumValue")) == (["2"], ["2"], ["2"])
    assert _values(store, total, "assertedBy") == [CKR + "ucdp-ged-23-1"]
    # the place hierarchy ends in the graph's own Mali
    place = _values(store, event, "place")[0]
    chain = store.query(f"SELECT ?p {{ <{place}> <{CKG}locatedIn>+ ?p }}")
    assert CKR + "mali-territory" in {row[0].value for row in chain}
    sources = _values(store, f"{event}-sources", "publisherName")
    assert sources and sources[0]


def test_a_one_sided_row_with_a_low_of_zero(ged_1000):
    _, store = ged_1000
    event = "ucdp-ged-event-293114"
    assert _values(store, event, "perpetrator") == [CKR + "jnim"]
    assert CKG + "AttackOnCivilians" in {
        q.object.value for q in store.quads_for_pattern(
            ox.NamedNode(CKR + event),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None)}
    total = f"{event}-deaths-total"
    assert (_values(store, total, "minimumValue"), _values(store, total, "approximateValue"),
            _values(store, total, "maximumValue")) == (["0"], ["19"], ["19"])
    assert _values(store, f"{event}-deaths-civilians", "approximateValue") == ["19"]


def test_a_row_with_low_above_best_is_kept_as_given(ged_1000):
    _, store = ged_1000
    total = "ucdp-ged-event-236880-deaths-total"
    assert (_values(store, total, "minimumValue"), _values(store, total, "approximateValue"),
            _values(store, total, "maximumValue")) == (["3"], ["2"], ["3"])


def test_a_row_with_no_count_of_sources(ged_1000):
    _, store = ged_1000
    event = "ucdp-ged-event-12989"
    assert _values(store, event, "numberOfSources") == []
    assert any("-1" in note for note in _values(store, event, "encodingNote"))
    assert _values(store, "ucdp-ged-event-431002", "numberOfSources") == ["3"]


def test_islamic_state_rows_with_afghan_relids_are_reconciled(ged_1000):
    _, store = ged_1000
    assert "AFG-2020-3-973-208" in _values(store, "ucdp-ged-event-364471", "datasetRecordId")
    assert _values(store, "ucdp-ged-event-364471", "perpetrator") == [CKR + "islamic-state"]


def test_namesakes_get_labels_of_their_own(ged_1000):
    _, store = ged_1000
    labels = store.query(f"""SELECT ?l {{
        VALUES ?a {{ <{CKR}ucdp-actor-5840> <{CKR}ucdp-actor-6711> }}
        ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l }}""")
    found = sorted(row[0].value for row in labels)
    assert found == ["DPR (UCDP actor 5840)", "DPR (UCDP actor 6711)"]


def test_the_sahel_events_are_built_and_answer_questions(sahel):
    store = str(sahel / "out")
    answer = _invoke("query", "events-in-a-state", "--store", store, "--format", "json")
    assert answer.exit_code == 0, answer.output
    rows = json.loads(answer.stdout)["results"]["bindings"]
    assert sum(int(r["events"]["value"]) for r in rows) >= 7  # 7 GED rows in Mali
    burkina = _invoke("query", "events-in-a-state", "--store", store, "--format", "csv",
                      "--param", "state=ckr:burkina-faso")
    assert burkina.exit_code == 0, burkina.output
    assert "Dibilou village" in burkina.stdout


def test_the_sahel_events_are_on_the_map_and_in_the_viewer(sahel):
    store = str(sahel / "out")
    geojson = sahel / "map.geojson"
    done = _invoke("export", "--store", store, "--format", "geojson", "-o", str(geojson))
    assert done.exit_code == 0, done.output
    features = json.loads(geojson.read_text())["features"]
    names = json.dumps(features)
    html = sahel / "viewer.html"
    done = _invoke("export", "--store", store, "--format", "html", "-o", str(html),
                   "--view", "full")
    assert done.exit_code == 0, done.output
    viewer = html.read_text()
    for gid in SAHEL_IDS:
        assert f"UCDP GED event {gid}" in names, gid
        assert f"UCDP GED event {gid}" in viewer, gid


def test_reimporting_the_same_file_changes_nothing(sahel):
    datasets = sahel / "datasets"
    before = (datasets / "ucdp-ged.ttl").read_bytes()
    done = _invoke("import", "ged", str(GED_SAHEL), "--into", str(datasets),
                   "--store", str(sahel / "out"))
    assert done.exit_code == 0, done.output
    assert "unchanged" in done.output
    assert (datasets / "ucdp-ged.ttl").read_bytes() == before
    assert not (datasets / ".ucdp-ged.ttl.previous").exists()


def test_a_newer_version_replaces_the_dataset(tmp_path):
    first = import_dataset("ged", GED_SAHEL, into=tmp_path)
    newer = import_dataset("ged", GED_SAHEL, into=tmp_path, version="25.1")
    assert first.path == newer.path and newer.changed
    store = _store(newer.path)
    assert _values(store, "ucdp-ged-25-1", "datasetVersion") == ["25.1"]
    assert _values(store, "ucdp-ged-23-1", "datasetVersion") == []


@pytest.mark.parametrize("fixture", [ACLED_CURRENT, ACLED_HXL], ids=["current", "hxl"])
def test_acled_layouts_import_and_link_to_the_report(tmp_path, fixture):
    done = _invoke("import", "acled", str(fixture), "--into", str(tmp_path / "datasets"),
                   "--store", str(tmp_path / "out"))
    assert done.exit_code == 0, done.output
    store = _store(tmp_path / "datasets" / "acled.ttl")
    event = "acled-event-MADEUP901" if fixture == ACLED_CURRENT else "acled-event-MADEUP801"
    assert _values(store, event, "acledSubEventType") == [
        "https://w3id.org/conflictkg/code/acled/ArmedClash"]
    assert _values(store, event, "ploverEventType") == [
        "https://w3id.org/conflictkg/code/plover/Assault"]
    assert _values(store, event, "acledActor1") == [CKR + "jnim"]
    assert _values(store, event, "place") == [CKR + "bamako"]
    links = _invoke("query", "linked-dataset-events", "--store", str(tmp_path / "out"),
                    "--format", "csv")
    assert links.exit_code == 0, links.output
    assert "Bamako attack of 17 September 2024" in links.stdout
    clash = _invoke("query", "disagreements", "--store", str(tmp_path / "out"), "--format", "csv")
    figure = "at least 70" if fixture == ACLED_CURRENT else "at least 12"
    assert f"gives {figure}; the report at least 2" in clash.stdout


def test_an_acled_week_is_bounded_not_dated(tmp_path):
    result = import_dataset("acled", ACLED_CURRENT, into=tmp_path, link=False)
    store = _store(result.path)
    event = "acled-event-MADEUP902"
    assert _values(store, event, "date") == []
    assert (_values(store, event, "earliestDate"), _values(store, event, "latestDate")) == (
        ["2024-09-14"], ["2024-09-26"])
    assert _values(store, event, "acledActor2Type") == [
        "https://w3id.org/conflictkg/code/acled/Civilians"]


# --- bad input: a clear message, exit 2, nothing written ---------------------------------

def _ged_copy(tmp_path: Path, transform) -> Path:
    text = GED_SAHEL.read_text(encoding="utf-8")
    path = tmp_path / "ged231-bad.csv"
    data = transform(text)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


BAD_INPUTS = {
    "missing-column": (lambda t: t.replace("where_prec,", "", 1), "missing column(s) 'where_prec'"),
    "unknown-column": (lambda t: t.replace("gwnob", "gwnob,extra", 1).replace("\n", ",\n"),
                       "unknown column(s) 'extra'"),
    "semicolons": (lambda t: t.splitlines()[0].replace(",", ";") + "\n", "use ';' between columns"),
    "not-utf8": (lambda t: t.replace("Koulopagaré", "Koulopagar\udce9").encode(
        "utf-8", "surrogateescape"), "not UTF-8"),
    "empty": (lambda t: "", "file is empty"),
    "header-only": (lambda t: t.splitlines()[0] + "\n", "a header but no rows"),
    "bad-number": (lambda t: t.replace(",23,23,0,,", ",23,many,0,,", 1),
                   "row 1, column 'high': a whole number is expected, not 'many'"),
    "bad-date": (lambda t: t.replace("2019-01-01", "2019-13-45", 1), "column 'date_start'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_nothing_is_written(tmp_path, case):
    transform, message = BAD_INPUTS[case]
    bad = _ged_copy(tmp_path, transform)
    folder = tmp_path / "datasets"
    with pytest.raises(InputError) as caught:
        import_dataset("ged", bad, into=folder)
    assert message in str(caught.value)
    assert str(bad) in str(caught.value)
    assert not (folder / "ucdp-ged.ttl").exists()
    assert [p.name for p in folder.iterdir()] == [] if folder.exists() else True


def test_bad_input_exits_2_and_keeps_the_previous_dataset(tmp_path):
    folder = tmp_path / "datasets"
    good = import_dataset("ged", GED_SAHEL, into=folder)
    before = good.path.read_bytes()
    bad = _ged_copy(tmp_path, BAD_INPUTS["missing-column"][0])
    done = _invoke("import", "ged", str(bad), "--into", str(folder),
                   "--store", str(tmp_path / "out"))
    assert done.exit_code == 2
    assert "missing column(s) 'where_prec'" in done.stderr
    assert good.path.read_bytes() == before
    assert not (tmp_path / "out").exists()


def test_an_acled_file_with_another_layout_is_refused(tmp_path):
    with pytest.raises(InputError, match="missing column"):
        import_dataset("acled", GED_SAHEL, into=tmp_path)


def test_a_row_ending_before_it_starts_is_imported_and_flagged(tmp_path):
    bad = _ged_copy(tmp_path, lambda t: t.replace(",2019-01-01,2019-01-03,",
                                                  ",2019-01-03,2019-01-01,", 1))
    done = _invoke("import", "ged", str(bad), "--into", str(tmp_path / "datasets"),
                   "--store", str(tmp_path / "out"))
    assert done.exit_code == 0, done.output
    assert "a dataset's start date is not after its end date" in done.output
    store = _store(tmp_path / "datasets" / "ucdp-ged.ttl")
    event = "ucdp-ged-event-285416"
    assert (_values(store, event, "earliestDate"), _values(store, event, "latestDate")) == (
        ["2019-01-03"], ["2019-01-01"])
    shutil.rmtree(tmp_path / "out")
