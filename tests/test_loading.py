"""Loading RDF files: formats, positions of errors, bad input, CLI exit codes."""

from __future__ import annotations

import os

import pytest
from conftest import SYNTAX, UNIT
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from conflictkg.cli import EXIT_BAD_INPUT, app
from conflictkg.errors import InputError
from conflictkg.rdf.loading import FORMATS, load_files

EX = "https://example.org/ns#"


def _lowercase_tags(graph: Graph) -> Graph:
    """Copy `graph` with language tags in lower case (pyoxigraph's spelling)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


# --- errors and their positions ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "column", "words"),
    [
        ("missing-dot.ttl", 9, 1, "dot is expected"),
        ("unterminated-string.ttl", 4, 31, "string"),
        ("bad-object.nt", 2, 81, "object"),
        ("import-directive.ttl", 2, 1, "@import"),
        ("relative-iri.ttl", 2, 1, "relative IRIs are refused"),
    ],
)
def test_syntax_error_has_line_and_column(name, line, column, words):
    path = SYNTAX / name
    with pytest.raises(InputError) as caught:
        load_files([path])
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert error.path == str(path)
    assert words in error.message
    assert str(error).startswith(f"{path}:{line}:{column}: ")


def test_missing_dot_position_points_at_the_next_statement():
    # The statement on lines 6-7 lacks its dot; the parser can tell only when
    # it meets the next subject, at the start of line 9.
    lines = (SYNTAX / "missing-dot.ttl").read_text().splitlines()
    assert lines[8].startswith("ckr:second-event")


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (SYNTAX / "empty.ttl", "file is empty"),
        (SYNTAX / "comments-only.ttl", "no triples"),
        (SYNTAX / "nowhere.ttl", "no such file"),
        (SYNTAX, "is a directory"),
        (UNIT / "ontology.json", "unknown file type '.json'; accepted: .ttl, .nt, .trig"),
        ("https://example.org/data.ttl", "refusing to read a URL"),
    ],
)
def test_bad_input_is_an_input_error_without_position(path, words):
    with pytest.raises(InputError) as caught:
        load_files([path])
    assert words in str(caught.value)
    assert caught.value.line is None
    assert str(caught.value).startswith(f"{path}: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.ttl"
    path.write_text("<https://e/a> <https://e/b> <https://e/c> .\n")
    path.chmod(0)
    with pytest.raises(InputError, match="cannot read file"):
        load_files([path])


def test_input_error_str_leaves_out_unknown_parts():
    assert str(InputError("a.ttl", "bad", line=3)) == "a.ttl:3: bad"
    assert str(InputError("a.ttl", "bad", line=3, column=7)) == "a.ttl:3:7: bad"
    assert str(InputError("a.ttl", "bad")) == "a.ttl: bad"


def test_failed_load_adds_nothing_to_the_graph():
    graph = Graph()
    with pytest.raises(InputError):
        load_files([UNIT / "sample.ttl", SYNTAX / "missing-dot.ttl"], graph=graph)
    assert len(graph) == 0


# --- what a good load gives -------------------------------------------------------


def test_turtle_matches_rdflib_parser():
    ours = load_files([UNIT / "sample.ttl"])
    reference = _lowercase_tags(Graph().parse(UNIT / "sample.ttl", format="turtle"))
    _, only_ours, only_rdflib = graph_diff(to_isomorphic(ours), to_isomorphic(reference))
    assert len(only_ours) == 0 and len(only_rdflib) == 0
    assert len(ours) == len(reference) == 20


def test_terms_are_converted_faithfully():
    graph = load_files([UNIT / "sample.ttl"])
    thing = URIRef(EX + "thing")

    def one(local):
        return graph.value(thing, URIRef(EX + local))

    assert one("plain") == Literal("plain")
    assert one("english") == Literal("colour", lang="en-gb")
    assert one("count").toPython() == 42
    assert one("flag").toPython() is True
    assert one("custom").datatype == URIRef(EX + "myType")
    assert str(one("multi")) == "two\nlines"
    assert str(one("escaped")) == 'tab\there "quoted" é'
    assert one("relative") == URIRef("https://example.org/base/relative-thing")
    assert isinstance(one("nested"), BNode)
    assert list(graph.items(one("list"))) == [Literal(1), Literal(2)]


def test_prefixes_of_the_files_are_bound():
    graph = load_files([UNIT / "sample.ttl"])
    assert dict(graph.namespaces())["ex"] == URIRef(EX)
    assert dict(graph.namespaces())["ckg"] == URIRef("https://w3id.org/conflictkg/ontology#")


def test_blank_nodes_stay_apart_between_files(tmp_path):
    a = tmp_path / "a.nt"
    b = tmp_path / "b.nt"
    a.write_text('_:x <https://e/p> "from a" .\n')
    b.write_text('_:x <https://e/p> "from b" .\n')
    graph = load_files([a, b])
    assert len(set(graph.subjects())) == 2


def test_ntriples():
    graph = load_files([UNIT / "sample.nt"])
    assert len(graph) == 2
    assert Literal("y", lang="fr") in set(graph.objects())


def test_trig_named_graphs_need_a_dataset():
    with pytest.raises(InputError, match="rdflib.Dataset"):
        load_files([SYNTAX / "named-graph.trig"])
    dataset = load_files([SYNTAX / "named-graph.trig"], graph=Dataset())
    named = dataset.graph(URIRef("https://w3id.org/conflictkg/id/report-graph"))
    assert len(named) == 1
    assert len(list(dataset.quads())) == 2


def test_trig_default_graph_only_loads_into_a_plain_graph(tmp_path):
    path = tmp_path / "plain.trig"
    path.write_text(
        "<https://e/a> <https://e/b> <https://e/c> .\n{ <https://e/a> <https://e/b> 1 }\n"
    )
    assert len(load_files([path])) == 2


def test_accepted_formats():
    assert set(FORMATS) == {".ttl", ".nt", ".trig"}


# --- the command line turns bad input into exit code 2 ----------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (SYNTAX / "missing-dot.ttl", f"{SYNTAX / 'missing-dot.ttl'}:9:1: A dot is expected"),
        (SYNTAX / "empty.ttl", "file is empty"),
        (SYNTAX / "comments-only.ttl", "no triples"),
        (SYNTAX / "nowhere.ttl", "no such file"),
        (SYNTAX, "is a directory"),
        (UNIT / "ontology.json", "unknown file type '.json'"),
    ],
)
def test_cli_validate_bad_input_exits_2(runner, path, expected):
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert expected in result.stderr
    assert result.stderr.startswith("error: ")
    assert result.stdout == ""
