"""Remote endpoints: the library on a real Oxigraph server, truncation checks, errors."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler

import pytest
from conftest import serve_oxigraph
from servers import scripted_server

from conflictkg.cli import app
from conflictkg.errors import EndpointError, NetworkRefusedError, QueryError, QuerySyntaxError
from conflictkg.rdf.loading import load_project
from conflictkg.rdf.reasoning import rdfs_closure
from conflictkg.rdf.serialization import to_ntriples
from conflictkg.sparql import Endpoint, compare_with_expected, run_query
from conflictkg.sparql.library import library

QUESTIONS = library("cq")
PLAIN = [q for q in QUESTIONS if q.reasoning is None]
REASONED = [q for q in QUESTIONS if q.reasoning == "rdfs"]
DIGITS = "{ 0 1 2 3 4 5 6 7 8 9 }"
THOUSAND = f"SELECT ?a ?b ?c WHERE {{ VALUES ?a {DIGITS} VALUES ?b {DIGITS} VALUES ?c {DIGITS} }}"


@pytest.mark.parametrize("question", PLAIN, ids=lambda q: q.id)
def test_library_on_a_remote_oxigraph(oxigraph_server, question):
    result = run_query(Endpoint(oxigraph_server.url), question)
    assert result.engine == oxigraph_server.url
    assert compare_with_expected(result, question) == []


@pytest.fixture(scope="module")
def closure_server(tmp_path_factory):
    ontology, data = load_project()
    folder = tmp_path_factory.mktemp("oxigraph-closure")
    with serve_oxigraph(folder, to_ntriples(rdfs_closure(ontology, data))) as server:
        yield server


def test_reasoning_questions_on_a_server_holding_the_closure(oxigraph_server, closure_server):
    for question in REASONED:
        with pytest.raises(QueryError, match="serve the closure"):
            run_query(Endpoint(oxigraph_server.url), question)
        result = run_query(Endpoint(closure_server.url), question, reasoning="none")
        assert compare_with_expected(result, question) == [], question.id


def test_labels_resolve_on_the_endpoint(oxigraph_server):
    question = next(q for q in QUESTIONS if q.id == "partners-of-an-actor")
    result = run_query(Endpoint(oxigraph_server.url), question, params={"actor": "Wagner"})
    assert [str(row[1]) for row in result.rows] == ["Mali"]


def test_bad_input_is_caught_before_sending(oxigraph_server):
    endpoint = Endpoint(oxigraph_server.url)
    with pytest.raises(QuerySyntaxError):
        run_query(endpoint, "SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(NetworkRefusedError):
        run_query(endpoint, "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }")


def test_from_names_a_graph_of_the_endpoint(oxigraph_server):
    # on a server, FROM picks graphs of its dataset: sent as it is (this one has none by
    # that name, so the default graph is empty)
    text = "SELECT * FROM <https://example.org/graphs/none> WHERE { ?s ?p ?o }"
    assert run_query(Endpoint(oxigraph_server.url), text).rows == []


def test_cli_endpoint(runner, oxigraph_server):
    result = runner.invoke(
        app,
        ["query", "partners-of-an-actor", "--endpoint", oxigraph_server.url, "-p",
         "actor=Wagner Group", "-f", "csv"],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        "https://w3id.org/conflictkg/id/mali,Mali,fighting the insurgency,2024-09-17"
    )


def test_unreachable_endpoint(runner):
    from conftest import _free_loopback_port

    url = f"http://127.0.0.1:{_free_loopback_port()}/sparql"
    with pytest.raises(EndpointError, match="cannot reach"):
        run_query(Endpoint(url), "ASK {}")
    result = runner.invoke(app, ["query", "-", "--endpoint", url], input="ASK {}")
    assert result.exit_code == 2 and "error: cannot reach" in result.stderr


def test_endpoint_errors_are_reported(oxigraph_server):
    # Oxigraph knows no such function: the server answers 500 with its message
    text = "SELECT (<http://example.org/unknown-function>(1) AS ?x) WHERE {}"
    with pytest.raises(EndpointError, match="answered 500 .*is not supported"):
        run_query(Endpoint(oxigraph_server.url), text)


def test_endpoint_url_is_checked():
    with pytest.raises(QueryError, match="not an http"):
        Endpoint("file:///etc/passwd")


# --- truncated answers ---------------------------------------------------------------


def test_round_counts_are_flagged_and_paging_clears_them(oxigraph_server):
    result = run_query(Endpoint(oxigraph_server.url), THOUSAND)
    assert len(result.rows) == 1000
    assert any("returned exactly 1000 rows" in note for note in result.notes)
    limited = run_query(Endpoint(oxigraph_server.url), THOUSAND + " LIMIT 1000")
    assert limited.notes == []
    paged = Endpoint(oxigraph_server.url, expect_complete=True, page_size=300)
    checked = run_query(paged, THOUSAND)
    assert len(checked.rows) == 1000 and checked.incomplete is None
    assert checked.notes == ["paging check: the answer is complete (1000 rows)"]


@contextlib.contextmanager
def capping_proxy(upstream, cap, sql_state=None, announce=False, break_off=False):
    """A loopback HTTP front to a real server that keeps only `cap` rows of JSON answers,
    as Virtuoso does with ResultSetMaxRows; with `announce` it says so in X-SPARQL-MaxRows as
    Virtuoso does, with `sql_state` it flags partial answers with X-SQL-State as Virtuoso's
    anytime queries do, and with `break_off` it stops in the middle of the answer."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = urllib.request.Request(
                upstream,
                data=body,
                headers={"Content-Type": self.headers["Content-Type"],
                         "Accept": self.headers["Accept"]},
            )
            try:
                with opener.open(request, timeout=30) as answer:
                    status, kind, data = 200, answer.headers["Content-Type"], answer.read()
            except urllib.error.HTTPError as error:
                status, kind, data = error.code, error.headers["Content-Type"], error.read()
            if status == 200 and kind.startswith("application/sparql-results+json"):
                document = json.loads(data)
                if "results" in document:
                    document["results"]["bindings"] = document["results"]["bindings"][:cap]
                data = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            if announce:
                self.send_header("X-SPARQL-MaxRows", str(cap))
            if break_off:
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            if sql_state:
                self.send_header("X-SQL-State", sql_state)
                self.send_header("X-SQL-Message", "RC...: Returning incomplete results")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    with scripted_server(Handler) as url:
        yield url


def test_a_capped_answer_is_detected_and_completed_by_paging(oxigraph_server):
    with capping_proxy(oxigraph_server.url, cap=250) as url:
        cut = run_query(Endpoint(url), THOUSAND)
        assert len(cut.rows) == 250 and cut.notes == []  # 250 is not a round cap: unseen
        flagged = run_query(Endpoint(url, row_cap=250), THOUSAND)
        assert any("exactly 250 rows, its row cap" in note for note in flagged.notes)
        whole = run_query(Endpoint(url, expect_complete=True), THOUSAND)
        assert len(whole.rows) == 1000
        assert len(set(whole.rows)) == 1000
        assert "cut the answer at 250 rows; paging found 1000" in " ".join(whole.notes)


def test_cli_flags_a_capped_answer(runner, oxigraph_server):
    with capping_proxy(oxigraph_server.url, cap=250) as url:
        result = runner.invoke(
            app, ["query", "-", "--endpoint", url, "--row-cap", "250", "-f", "csv"], input=THOUSAND
        )
    assert result.exit_code == 0
    assert "note: <stdin>: the endpoint returned exactly 250 rows" in result.stderr


def test_partial_answer_header_makes_the_answer_incomplete(runner, oxigraph_server):
    with capping_proxy(oxigraph_server.url, cap=10_000, sql_state="S1TAT") as url:
        result = run_query(Endpoint(url), THOUSAND)
        assert "partial (X-SQL-State S1TAT" in (result.incomplete or "")
        cli = runner.invoke(app, ["query", "-", "--endpoint", url, "-f", "csv"], input=THOUSAND)
    assert cli.exit_code == 1
    assert "warning: <stdin>: the endpoint says the answer is partial" in cli.stderr


def test_an_announced_cap_is_read(oxigraph_server):
    with capping_proxy(oxigraph_server.url, cap=250, announce=True) as url:
        result = run_query(Endpoint(url), THOUSAND)
    assert len(result.rows) == 250
    assert any("exactly 250 rows, the cap it announces (X-SPARQL-MaxRows: 250)" in note
               for note in result.notes)


def test_an_answer_broken_off_is_an_endpoint_error(runner, oxigraph_server):
    with capping_proxy(oxigraph_server.url, cap=10_000, break_off=True) as url:
        with pytest.raises(EndpointError, match="broke off while sending the answer"):
            run_query(Endpoint(url), THOUSAND)
        cli = runner.invoke(app, ["query", "-", "--endpoint", url], input=THOUSAND)
    assert cli.exit_code == 2
    assert "broke off while sending the answer (RemoteProtocolError" in cli.stderr
    assert "Traceback" not in cli.stderr
