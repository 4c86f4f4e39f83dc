"""GeoJSON validated by the geojson package: [lon, lat] in range, one type per property."""

from __future__ import annotations

import json

import geojson
import pytest

from conflictkg import resources
from conflictkg.cli import app
from conflictkg.exporters import export
from conflictkg.exporters.geojson import PROPERTIES
from conflictkg.projection import Filters
from conflictkg.rdf.loading import load_files


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


def _collection(data: bytes):
    collection = geojson.loads(data.decode("utf-8"))
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection  # RFC 7946 has no crs member
    return collection


def test_valid_in_range_and_typed(graph):
    collection = _collection(export(graph, "geojson"))
    features = collection["features"]
    assert features
    kinds: dict[str, set] = {}
    for feature in features:
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert tuple(feature["properties"]) == PROPERTIES
        for name, value in feature["properties"].items():
            if value is not None:
                kinds.setdefault(name, set()).add(type(value).__name__)
    assert all(len(found) == 1 for found in kinds.values()), kinds
    bamako = next(f for f in features if f["id"] == "https://w3id.org/conflictkg/id/bamako")
    assert bamako["geometry"]["coordinates"] == [-8.0029, 12.6392]  # longitude first


def test_events_carry_precision_dates_status_and_source(graph):
    features = _collection(export(graph, "geojson"))["features"]
    school = next(f["properties"] for f in features
                  if f["id"].endswith("bamako-2024-09-17-attack-gendarmerie-school"))
    assert school["kind"] == "event"
    assert school["geographic_precision"] == "CityPrecision"
    assert school["place_label"] == "Faladié gendarmerie school"
    assert school["coordinates_from"] == "https://w3id.org/conflictkg/id/bamako"
    assert (school["date"], school["start"], school["end"]) == (
        "2024-09-17", "2024-09-17", "2024-09-17")
    assert school["status"] == "Reported"
    assert school["asserted_by"] == "https://w3id.org/conflictkg/id/report-bamako-2024-09-17"
    assert school["perpetrators"] == (
        "attackers in Bamako on 17 September 2024; "
        "JNIM (Claimed by a party, according to JNIM)"
    )


def test_status_filter_applies_to_events(graph):
    everything = _collection(export(graph, "geojson"))["features"]
    official = _collection(
        export(graph, "geojson", filters=Filters(statuses=frozenset({"Official"})))
    )["features"]
    events = [f for f in official if f["properties"]["kind"] == "event"]
    assert {f["properties"]["status"] for f in events} <= {"Official"}
    assert len(official) < len(everything)
    assert [f for f in official if f["properties"]["kind"] == "place"] == [
        f for f in everything if f["properties"]["kind"] == "place"
    ]


def test_out_of_range_coordinates_exit_1_naming_the_place(runner, tmp_path):
    extra = tmp_path / "bad.ttl"
    extra.write_text(
        "@prefix ckr: <https://w3id.org/conflictkg/id/> .\n"
        "@prefix ckg: <https://w3id.org/conflictkg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix geo: <http://www.opengis.net/ont/geosparql#> .\n"
        "@prefix ckc: <https://w3id.org/conflictkg/code/> .\n"
        'ckr:nowhere a ckg:City ; rdfs:label "Nowhere"@en ; geo:hasGeometry ckr:nowhere-point ;\n'
        "    ckg:locatedIn ckr:mali-territory ;\n"
        "    ckg:assertedBy ckr:conflictkg-reference-data ; ckg:assertionStatus ckc:Reported .\n"
        'ckr:nowhere-point a geo:Geometry ; rdfs:label "point of Nowhere"@en ;\n'
        '    geo:asWKT "POINT(12.6 -200)"^^geo:wktLiteral ;\n'
        "    ckg:assertedBy ckr:conflictkg-reference-data ; ckg:assertionStatus ckc:Reported .\n"
    )
    target = tmp_path / "out.geojson"
    result = runner.invoke(app, ["export", "-f", "geojson", "-d", str(extra), "-o", str(target)])
    assert result.exit_code == 1
    assert "https://w3id.org/conflictkg/id/nowhere (Nowhere)" in result.stderr
    assert "out of range" in result.stderr
    assert not target.exists()


def test_written_file_is_plain_json(runner, tmp_path):
    target = tmp_path / "events.geojson"
    result = runner.invoke(app, ["export", "-f", "geojson", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text())["features"]
