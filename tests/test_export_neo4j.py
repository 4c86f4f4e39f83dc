"""Neo4j import files: headers checked by our own parser, counts read back with csv."""

from __future__ import annotations

import csv
import datetime
import io
import re
import subprocess

import pytest

from conflictkg import resources
from conflictkg.exporters import export
from conflictkg.exporters.neo4j import parse_header
from conflictkg.projection import project
from conflictkg.rdf.loading import load_files

# The column types neo4j-admin import knows (each may be an array with []).
TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string",
         "point", "date", "localtime", "time", "localdatetime", "datetime", "duration"}
SPECIAL = {"ID", "START_ID", "END_ID", "LABEL", "TYPE", "IGNORE"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
REL_TYPE = re.compile(r"^[A-Z_][A-Z0-9_]*$")


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def _check_value(value: str, kind: str) -> None:
    if value == "":
        return
    base = kind.removesuffix("[]")
    parts = value.split("|") if kind.endswith("[]") else [value]
    for part in parts:
        if base in ("int", "long"):
            int(part)
        elif base in ("float", "double"):
            float(part)
        elif base == "boolean":
            assert part in ("true", "false"), part
        elif base == "date":
            datetime.date.fromisoformat(part)


def test_parse_header():
    assert parse_header("iri:ID(Entity)") == ("iri", "ID", "Entity")
    assert parse_header(":LABEL") == ("", "LABEL", None)
    assert parse_header("latitude:double") == ("latitude", "double", None)
    assert parse_header("plain") == ("plain", None, None)
    with pytest.raises(ValueError, match="not a neo4j-admin import header"):
        parse_header("a:b:c")


@pytest.mark.parametrize("view", ["actors", "events", "full"])
def test_headers_types_and_counts_round_trip(graph, view):
    files = export(graph, "neo4j", view=view)
    net = project(graph, view)
    ids: set[str] = set()
    node_rows = 0
    for name, data in files.items():
        if not name.startswith("nodes_"):
            continue
        rows = _rows(data)
        header = [parse_header(column) for column in rows[0]]
        assert header[0] == ("iri", "ID", "Entity")
        assert header[1] == ("", "LABEL", None)
        kind_label = name[len("nodes_"):-len(".csv")]
        for column_name, kind, _space in header[2:]:
            assert NAME.match(column_name), column_name
            assert kind.removesuffix("[]") in TYPES, kind
        for row in rows[1:]:
            assert len(row) == len(header)
            assert row[0] not in ids
            ids.add(row[0])
            labels = row[1].split(";")
            assert labels[:2] == ["Entity", kind_label]
            assert all(NAME.match(label) for label in labels)
            for (_, kind, _), value in zip(header[2:], row[2:], strict=True):
                _check_value(value, kind)
        node_rows += len(rows) - 1
    assert node_rows == net.number_of_nodes()
    assert ids == set(net.nodes)
    rows = _rows(files["relationships.csv"])
    header = [parse_header(column) for column in rows[0]]
    assert header[:3] == [("", "START_ID", "Entity"), ("", "END_ID", "Entity"), ("", "TYPE", None)]
    for column_name, kind, _ in header[3:]:
        assert NAME.match(column_name) and kind.removesuffix("[]") in TYPES
    assert len(rows) - 1 == net.number_of_edges()
    for row in rows[1:]:
        assert row[0] in ids and row[1] in ids
        assert REL_TYPE.match(row[2]), row[2]
        for (_, kind, _), value in zip(header[3:], row[3:], strict=True):
            _check_value(value, kind)
    ends = sorted((r[0], r[1]) for r in rows[1:])
    assert ends == sorted(net.edges())


def test_import_command_and_cypher_cover_every_file(graph, tmp_path):
    files = export(graph, "neo4j", view="full")
    script = files["import.sh"].decode()
    (tmp_path / "import.sh").write_text(script)
    checked = subprocess.run(["sh", "-n", str(tmp_path / "import.sh")], capture_output=True)
    assert checked.returncode == 0 and checked.stderr == b""
    cypher = files["load.cypher"].decode()
    assert "neo4j-admin database import full" in script
    for name in files:
        if name.endswith(".csv"):
            flag = "--relationships=" if name.startswith("relationships") else "--nodes="
            assert f"{flag}{name}" in script
            assert f"'file:///{name}'" in cypher
    types = {row[2] for row in _rows(files["relationships.csv"])[1:]}
    for rel_type in types:
        assert f"WHERE row.`:TYPE` = '{rel_type}'" in cypher
        assert f"MERGE (a)-[r:{rel_type} {{key: row.`key:string`}}]->(b)" in cypher
    assert cypher.count("IN TRANSACTIONS OF 1000 ROWS;") == len(types) + sum(
        1 for name in files if name.startswith("nodes_")
    )
    assert "toFloat(row.`latitude:double`)" in cypher
    assert "split(row.`types:string[]`, '|')" in cypher


def test_claims_keep_status_and_source(graph):
    rows = _rows(export(graph, "neo4j", view="full")["relationships.csv"])
    header = rows[0]
    status = header.index("status:string")
    source = header.index("asserted_by:string")
    claimed = [r for r in rows[1:] if r[status] == "ClaimedByParty"]
    assert claimed
    assert {r[source] for r in claimed} == {
        "https://w3id.org/conflictkg/id/report-bamako-2024-09-17"
    }
