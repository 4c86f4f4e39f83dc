"""Result formats, re-read by independent readers (rdflib's and pyoxigraph's parsers)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.query import Result

from conflictkg.cli import app
from conflictkg.errors import QueryError
from conflictkg.sparql import (
    FORMATS,
    GRAPH_FORMATS,
    LocalGraph,
    format_for_path,
    run_query,
    serialize,
)

DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:text "comma, \\"quotes\\"\\nnew line\\ttab" ; ex:n 42 ; ex:d "2024-09-17"^^xsd:date ;
     ex:name "Faladié"@fr ; ex:pi 3.14 ; ex:big 1.0e6 ; ex:node [ ex:n 1 ] .
ex:b ex:text "plain" .
"""
SELECT = """PREFIX ex: <http://example.org/>
SELECT ?s ?text ?n ?d ?name ?pi ?big ?node WHERE {
  ?s ex:text ?text .
  OPTIONAL { ?s ex:n ?n ; ex:d ?d ; ex:name ?name ; ex:pi ?pi ; ex:big ?big ; ex:node ?node }
} ORDER BY ?s"""


@pytest.fixture(scope="module")
def local():
    return LocalGraph(Graph().parse(data=DATA, format="turtle"))


@pytest.fixture(scope="module")
def answer(local):
    return run_query(local, SELECT)


def _same(found, expected):
    """Compare rows, blank nodes equal to blank nodes, literals by value.

    Oxigraph's answers are written with Oxigraph's lexical forms (the double 1.0e6 is
    ``1000000``); the rows in rdflib terms have rdflib's (``1000000.0``): the same value.
    """

    def norm(term):
        if isinstance(term, BNode):
            return "_:"
        if isinstance(term, Literal):
            return (term.datatype, term.language, term.toPython())
        return term

    return [tuple(map(norm, row)) for row in found] == [tuple(map(norm, row)) for row in expected]


def test_the_answer_has_every_kind_of_term(answer):
    first, second = answer.rows
    assert first[1] == Literal('comma, "quotes"\nnew line\ttab')
    assert first[2] == Literal("42", datatype=XSD.integer)
    assert first[4] == Literal("Faladié", lang="fr")
    assert isinstance(first[7], BNode)
    assert second[2:] == (None,) * 6


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_rdflib_reads_back_the_same_terms(answer, fmt):
    parsed = Result.parse(io.BytesIO(serialize(answer, fmt)), format=fmt)
    names = [str(v) for v in parsed.vars]
    assert names == answer.variables
    rows = [tuple(row.get(v) for v in parsed.vars) for row in parsed.bindings]
    assert _same(rows, answer.rows)


@pytest.mark.parametrize(
    ("fmt", "kind"),
    [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
     ("tsv", ox.QueryResultsFormat.TSV)],
)
def test_pyoxigraph_reads_back_the_same_terms(answer, fmt, kind):
    """Oxigraph's answer is written with its own terms: pyoxigraph reads back exactly them."""
    parsed = ox.parse_query_results(serialize(answer, fmt), format=kind)
    assert [v.value for v in parsed.variables] == answer.variables
    assert answer.terms is not None
    for solution, row in zip(parsed, answer.terms, strict=True):
        for index, term in enumerate(row):
            got = solution[index]
            if isinstance(term, ox.BlankNode):
                assert isinstance(got, ox.BlankNode)
            else:
                assert got == term


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_rdflib_answers_are_written_with_their_own_terms(local, fmt):
    answer = run_query(local, SELECT, engine="rdflib")
    assert answer.terms is None
    parsed = Result.parse(io.BytesIO(serialize(answer, fmt)), format=fmt)
    rows = [tuple(row.get(v) for v in parsed.vars) for row in parsed.bindings]
    assert _same(rows, answer.rows)
    assert b"1000000.0" in serialize(answer, fmt)  # rdflib's lexical form of 1.0e6


def test_csv_follows_the_w3c_format(answer):
    data = serialize(answer, "csv")
    assert data.startswith(b"s,text,n,d,name,pi,big,node\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1][:7] == [
        "http://example.org/a",
        'comma, "quotes"\nnew line\ttab',
        "42",
        "2024-09-17",
        "Faladié",
        "3.14",
        "1000000",  # the double 1.0e6, as Oxigraph writes it (rdflib: 1000000.0)
    ]
    assert rows[1][7].startswith("_:")
    assert rows[2] == ["http://example.org/b", "plain", "", "", "", "", "", ""]
    parsed = Result.parse(io.BytesIO(data), format="csv")
    assert [str(row[0]) for row in parsed] == ["http://example.org/a", "http://example.org/b"]


def test_tsv_follows_the_w3c_format(answer):
    lines = serialize(answer, "tsv").decode("utf-8").split("\n")
    assert lines[0] == "?s\t?text\t?n\t?d\t?name\t?pi\t?big\t?node"
    cells = lines[1].split("\t")
    assert cells[:7] == [
        "<http://example.org/a>",
        '"comma, \\"quotes\\"\\nnew line\\ttab"',
        "42",
        '"2024-09-17"^^<http://www.w3.org/2001/XMLSchema#date>',
        '"Faladié"@fr',
        "3.14",
        # a double without exponent is not a Turtle double token: written in full
        '"1000000"^^<http://www.w3.org/2001/XMLSchema#double>',
    ]
    assert lines[2] == "<http://example.org/b>\t\"plain\"\t\t\t\t\t\t"


def test_json_follows_the_w3c_format(answer):
    document = json.loads(serialize(answer, "json"))
    assert document["head"]["vars"] == answer.variables
    first, second = document["results"]["bindings"]
    assert first["name"] == {"type": "literal", "value": "Faladié", "xml:lang": "fr"}
    assert first["n"] == {"type": "literal", "value": "42", "datatype": str(XSD.integer)}
    assert first["text"] == {"type": "literal", "value": 'comma, "quotes"\nnew line\ttab'}
    assert first["node"]["type"] == "bnode"
    assert set(second) == {"s", "text"}


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_answers(local, fmt):
    result = run_query(local, "ASK { ?s ?p 42 }")
    data = serialize(result, fmt)
    if fmt in ("json", "xml"):
        assert Result.parse(io.BytesIO(data), format=fmt).askAnswer is True
    else:
        assert data.decode().split() == ["_askResult" if fmt == "csv" else "?_askResult", "true"]


CONSTRUCT = "PREFIX ex: <http://example.org/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(
    ("fmt", "parser"), [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")]
)
def test_graph_formats_read_back_isomorphic(local, fmt, parser):
    result = run_query(local, CONSTRUCT)
    again = Graph().parse(data=serialize(result, fmt).decode("utf-8"), format=parser)
    assert isomorphic(again, result.graph)
    assert isomorphic(again, local.graph)


def test_pyoxigraph_reads_the_turtle(local):
    result = run_query(local, CONSTRUCT)
    triples = list(ox.parse(serialize(result, "turtle"), format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(local.graph)


def test_formats_must_fit_the_query_form(local, answer):
    with pytest.raises(QueryError, match="format turtle does not fit a SELECT query"):
        serialize(answer, "turtle")
    with pytest.raises(QueryError, match="format csv does not fit a CONSTRUCT query"):
        serialize(run_query(local, CONSTRUCT), "csv")
    with pytest.raises(QueryError, match="unknown format 'yaml'"):
        serialize(answer, "yaml")


def test_format_from_file_name():
    assert format_for_path("a/b.tsv") == "tsv"
    assert format_for_path("b.srx") == "xml"
    assert format_for_path("b.JSONLD") == "jsonld"
    assert format_for_path("b.parquet") is None


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in GRAPH_FORMATS and f != "table"])
def test_cli_writes_each_format_atomically(runner, tmp_path, fmt):
    out = tmp_path / "sub" / f"answer.{fmt}"
    result = runner.invoke(app, ["query", "wikidata-links", "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.is_file()
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left
    if fmt != "csv":
        parsed = Result.parse(io.BytesIO(out.read_bytes()), format=fmt)
        assert len(parsed.bindings) == 14
    else:
        assert len(out.read_text().splitlines()) == 15


def test_cli_format_follows_the_extension(runner, tmp_path):
    out = tmp_path / "card.nt"
    result = runner.invoke(app, ["query", "schema-org-card", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert len(Graph().parse(out, format="nt")) == 20


def test_cli_table(runner):
    result = runner.invoke(app, ["query", "partners-of-an-actor"])
    assert result.exit_code == 0
    assert "ckr:russia" in result.stdout and "Wagner Group" in result.stdout
    assert "2 row(s), oxigraph" in result.stdout


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_describe_gives_a_graph(engine):
    from conflictkg.namespaces import CKR

    project = LocalGraph.from_project()
    result = run_query(project, "DESCRIBE ckr:jnim", engine=engine)
    assert result.form == "DESCRIBE"
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert (CKR.jnim, label, Literal("JNIM", lang="en")) in result.graph
    assert Graph().parse(data=serialize(result, "turtle").decode(), format="turtle")
