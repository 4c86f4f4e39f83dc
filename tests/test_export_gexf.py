"""GEXF 1.3: valid against the RelaxNG schema, values of their declared types, dynamic."""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest
from conftest import REPO
from lxml import etree

from conflictkg import resources
from conflictkg.exporters import export
from conflictkg.exporters.common import KIND_COLOURS, hex_to_rgb
from conflictkg.rdf.loading import load_files

SCHEMA = REPO.parent / "shared" / "schemas" / "gexf-1.3" / "gexf.rng"
NS = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
INTEGER = re.compile(r"^[+-]?\d+$")


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


@pytest.fixture(scope="module")
def schema():
    if not SCHEMA.exists():
        pytest.skip(f"the GEXF 1.3 RelaxNG schema is not at {SCHEMA} (only beside a checkout)")
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


@pytest.mark.parametrize("view", ["actors", "events", "places", "full"])
def test_valid_against_the_gexf_1_3_schema(graph, schema, view):
    document = etree.fromstring(export(graph, "gexf", view=view))
    assert schema.validate(document), schema.error_log


def _check_value(value: str, kind: str) -> bool:
    if kind in ("integer", "long", "short", "byte", "biginteger"):
        return bool(INTEGER.match(value))
    if kind in ("double", "float", "bigdecimal"):
        try:
            float(value)
        except ValueError:
            return False
        return True
    if kind == "boolean":
        return value in ("true", "false")
    return kind == "string"


def _check_time(value: str, timeformat: str) -> bool:
    if timeformat == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10
    return False


@pytest.mark.parametrize("view", ["actors", "events", "full"])
def test_values_match_their_declared_types(graph, view):
    root = etree.fromstring(export(graph, "gexf", view=view))
    graph_element = root.find("g:graph", NS)
    declared = {}
    for attributes in graph_element.findall("g:attributes", NS):
        cls = attributes.get("class")
        for attribute in attributes.findall("g:attribute", NS):
            assert (cls, attribute.get("id")) not in declared
            declared[(cls, attribute.get("id"))] = attribute.get("type")
    checked = Counter()
    for cls in ("node", "edge"):
        for element in graph_element.iter(f"{{{NS['g']}}}{cls}"):
            for value in element.findall("g:attvalues/g:attvalue", NS):
                kind = declared[(cls, value.get("for"))]
                assert _check_value(value.get("value"), kind), (cls, value.attrib, kind)
                checked[kind] += 1
            for key in ("start", "end"):
                if element.get(key) is not None:
                    assert _check_time(element.get(key), graph_element.get("timeformat"))
                    checked["time"] += 1
    assert checked["string"] > 0
    if view != "places":
        assert checked["time"] > 0


def test_dynamic_where_events_have_dates(graph):
    root = etree.fromstring(export(graph, "gexf", view="events"))
    graph_element = root.find("g:graph", NS)
    assert graph_element.get("mode") == "dynamic"
    assert graph_element.get("timeformat") == "date"
    attack = root.find(".//g:node[@id='bamako_2024_09_17_attack']", NS)
    assert (attack.get("start"), attack.get("end")) == ("2024-09-17", "2024-09-17")
    jnim = root.find(".//g:node[@id='jnim']", NS)
    assert (jnim.get("start"), jnim.get("end")) == ("2017-01-01", None)  # founded in 2017
    forces = root.find(".//g:node[@id='malian_armed_forces']", NS)
    assert forces.get("start") is None and forces.get("end") is None  # always there
    perpetration = root.find(".//g:edge[@source='jnim'][@target='bamako_2024_09_17_attack']", NS)
    assert perpetration.get("start") == "2024-09-17"
    values = {v.get("for"): v.get("value") for v in perpetration.iter(f"{{{NS['g']}}}attvalue")}
    assert values["status"] == "ClaimedByParty"  # the statement's status, not the attack's
    assert values["asserted_by"] == "https://w3id.org/conflictkg/id/report-bamako-2024-09-17"


def test_parallel_edges_have_distinct_kinds(graph):
    root = etree.fromstring(export(graph, "gexf", view="actors"))
    edges = root.findall(".//g:edge", NS)
    pairs = Counter((e.get("source"), e.get("target")) for e in edges)
    assert max(pairs.values()) > 1, "the actor view has parallel edges to check"
    kinds = Counter((e.get("source"), e.get("target"), e.get("kind")) for e in edges)
    assert max(kinds.values()) == 1


def test_viz_colours_by_kind(graph):
    root = etree.fromstring(export(graph, "gexf", view="full"))
    for node in root.findall(".//g:node", NS):
        kind = node.find("g:attvalues/g:attvalue[@for='kind']", NS).get("value")
        colour = node.find("viz:color", NS)
        rgb = tuple(int(colour.get(c)) for c in "rgb")
        assert rgb == hex_to_rgb(KIND_COLOURS.get(kind, KIND_COLOURS["other"]))
