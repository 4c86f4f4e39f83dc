"""The notebook API: questions, files and text in; rows, results or DataFrames out."""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal

import pytest
from conftest import REPO
from rdflib import Graph

from conflictkg import api
from conflictkg.errors import QueryError, UnknownQueryError
from conflictkg.sparql import Endpoint


def test_rows_of_a_library_question():
    found = api.rows(None, "partners-of-an-actor", params={"actor": "Wagner"})
    assert found == [
        {
            "partner": "https://w3id.org/conflictkg/id/mali",
            "partnerLabel": "Mali",
            "purpose": "fighting the insurgency",
            "asOf": datetime.date(2024, 9, 17),
        }
    ]


def test_python_values():
    (row,) = api.rows(None, "anniversary-coincidence")
    assert row == {
        "coincidesWith": "64th anniversary of Mali's gendarmerie",
        "anniversaryOf": "Malian National Gendarmerie",
        "number": 64,
        "founded": "1960",
    }
    (figure,) = api.rows(None, "SELECT (1.5 AS ?x) (true AS ?y) WHERE {}")
    assert figure == {"x": Decimal("1.5"), "y": True}


def test_a_file_and_text():
    path = REPO / "queries" / "cq" / "recommendations.rq"
    from_file = api.rows(None, str(path))
    from_text = api.rows(None, path.read_text())
    assert len(from_file) == 4
    assert sorted(map(str, from_file)) == sorted(map(str, from_text))


def test_ask_returns_the_result_and_takes_options():
    result = api.ask(None, "did-jnim-claim-the-attack", params={"actor": "Wagner Group"})
    assert result.form == "ASK" and result.boolean is False
    plain = api.ask(None, "standard-wikidata-perpetrators", reasoning="none", engine="rdflib")
    assert plain.rows == [] and plain.engine == "rdflib"


def test_any_rdflib_graph():
    graph = Graph().parse(
        data='<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .',
        format="nt",
    )
    assert api.rows(graph, "SELECT ?name WHERE { ?s rdfs:label ?name }") == [{"name": "A"}]


def test_an_endpoint_url(oxigraph_server):
    found = api.rows(oxigraph_server.url, "who-claimed-the-attack")
    assert [row["claimantLabel"] for row in found] == ["JNIM"]
    assert isinstance(api._target(oxigraph_server.url), Endpoint)


def test_errors():
    with pytest.raises(UnknownQueryError, match="did you mean"):
        api.rows(None, "who-claimed-the-atack")
    with pytest.raises(QueryError, match="rows\\(\\) needs a SELECT query; this is ASK"):
        api.rows(None, "did-jnim-claim-the-attack")


def test_dataframe_without_pandas_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match="needs pandas, which is not installed: pip install"):
        api.dataframe(None, "wikidata-links")


def test_dataframe():
    pandas = pytest.importorskip("pandas")
    frame = api.dataframe(None, "casualty-figures")
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns)[:3] == ["count", "category", "exact"]
    assert len(frame) == 9
