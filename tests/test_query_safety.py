"""Bad input and safety: syntax errors, the network, time and row limits."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from conflictkg.cli import app
from conflictkg.errors import NetworkRefusedError, QueryError, QuerySyntaxError, QueryTimeoutError
from conflictkg.sparql import ENGINES, run_query
from conflictkg.sparql.sandbox import call

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


# --- syntax errors -------------------------------------------------------------------


def test_syntax_error_gives_line_and_column(local):
    text = "PREFIX ckg: <https://w3id.org/conflictkg/ontology#>\nSELECT ?x WHERE {\n  ?x a \n}"
    with pytest.raises(QuerySyntaxError, match=r"^<query>:3:3: SPARQL syntax error"):
        run_query(local, text)


def test_unknown_prefix_gives_its_position(local):
    text = "SELECT ?x WHERE {\n  ?x a nope:Attack }"
    with pytest.raises(QuerySyntaxError, match=r"<query>:2:8: unknown prefix 'nope:'"):
        run_query(local, text)


def test_cli_syntax_error_names_the_file(runner, tmp_path):
    query = tmp_path / "broken.rq"
    query.write_text("SELECT ?x WHERE {\n  ?x a ckg:Attack\n  FILTER(?x = ) }\n")
    result = runner.invoke(app, ["query", str(query)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert f"{query}:3:3: SPARQL syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_syntax_error_from_standard_input(runner):
    result = runner.invoke(app, ["query", "-"], input="SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 2
    assert "error: <stdin>:1:" in result.stderr


def test_updates_are_refused(local):
    with pytest.raises(QueryError, match="SPARQL Update; LOAD would fetch"):
        run_query(local, "LOAD <http://example.org/data.ttl>")
    with pytest.raises(QueryError, match="SPARQL Update"):
        run_query(local, "PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }")


# --- the network ---------------------------------------------------------------------

NETWORK = {
    "service": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "service-variable": "SELECT * WHERE { VALUES ?e { <http://example.org/sparql> } "
    "SERVICE ?e { ?s ?p ?o } }",
    "service-in-optional": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT "
    "<http://example.org/sparql> { ?s ?q ?r } } } LIMIT 1",
    "from": "SELECT * FROM <http://example.org/graph.ttl> WHERE { ?s ?p ?o }",
    "from-named": "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "construct-from": "CONSTRUCT { ?s ?p ?o } FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    "ask-service": "ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", NETWORK.values(), ids=NETWORK.keys())
def test_network_access_is_refused_on_both_engines(local, engine, text):
    with pytest.raises(NetworkRefusedError, match="--allow-network"):
        run_query(local, text, engine=engine, timeout=20)


def test_cli_refuses_service_with_a_clear_message(runner):
    result = runner.invoke(app, ["query", "-"], input=NETWORK["service"])
    assert result.exit_code == 2
    assert "<stdin>:1:18: SERVICE <http://example.org/sparql> would query another server" in (
        result.stderr
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_allow_network_lets_service_reach_a_server(local, engine, oxigraph_server):
    text = (
        "PREFIX ckr: <https://w3id.org/conflictkg/id/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"SELECT ?name WHERE {{ SERVICE <{oxigraph_server.url}> {{ ckr:jnim rdfs:label ?name }} }}"
    )
    with pytest.raises(NetworkRefusedError):
        run_query(local, text, engine=engine)
    result = run_query(local, text, engine=engine, allow_network=True, timeout=30)
    assert [str(row[0]) for row in result.rows] == ["JNIM"]


def test_the_worker_refuses_connections_python_opens(oxigraph_server):
    """Defence in depth: even past the static check, the worker's audit hook stops rdflib."""

    def connect():
        with socket.create_connection(("127.0.0.1", oxigraph_server.port), timeout=5):
            return "connected"

    with pytest.raises(NetworkRefusedError, match="socket"):
        call(connect, timeout=20, block_network=True)
    assert call(connect, timeout=20, block_network=False) == "connected"


# --- time and rows -------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_timeout_stops_a_runaway_query(local, engine):
    with pytest.raises(QueryTimeoutError, match=r"query stopped after 1 s") as caught:
        run_query(local, RUNAWAY, engine=engine, timeout=1)
    pid = caught.value.worker_pid
    assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the worker is gone, not left running


def test_the_worker_dies_with_its_parent(tmp_path):
    """A killed `conflictkg query` (SIGKILL: no cleanup) leaves no runaway worker behind."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "from conflictkg.sparql import LocalGraph, run_query\n"
        f"run_query(LocalGraph.from_project(), {RUNAWAY!r}, timeout=300)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
    try:
        deadline = time.monotonic() + 60
        while not children.read_text().split():
            assert time.monotonic() < deadline, "no worker was started"
            time.sleep(0.05)
        (worker,) = (int(pid) for pid in children.read_text().split())
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 30
    while Path(f"/proc/{worker}").exists() and "Z" not in _state(worker):
        assert time.monotonic() < deadline, "the worker outlived its parent"
        time.sleep(0.05)


def _state(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return "Z"


def test_cli_reports_the_timeout(runner):
    result = runner.invoke(app, ["query", "-", "--timeout", "1"], input=RUNAWAY)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: query stopped after 1 s (time limit; raise it with --timeout)"
    )


def test_an_error_in_the_worker_comes_back(local):
    with pytest.raises(QueryError, match="syntax error"):
        run_query(local, "SELECT ?x WHERE { ?x ?y }", timeout=5)


@pytest.mark.parametrize("engine", ENGINES)
def test_row_limit_cuts_and_says_so(local, engine):
    text = "SELECT ?s WHERE { ?s a ?class }"
    result = run_query(local, text, engine=engine, max_rows=5)
    assert len(result.rows) == 5
    assert "row limit reached: only the first 5 rows" in (result.incomplete or "")
    complete = run_query(local, text, engine=engine, max_rows=100_000)
    assert complete.incomplete is None and len(complete.rows) > 5


def test_row_limit_applies_to_graphs(local):
    text = "CONSTRUCT { ?s a ?class } WHERE { ?s a ?class }"
    result = run_query(local, text, max_rows=7)
    assert len(result.graph) == 7 and result.incomplete


def test_row_limit_reads_one_row_past_the_limit_and_no_more():
    from conflictkg.sparql.results import limited

    read = []

    def rows():
        for number in range(10):
            read.append(number)
            yield (number,)

    assert limited(rows(), 4) == ([(0,), (1,), (2,), (3,)], True)
    assert read == [0, 1, 2, 3, 4]
    read.clear()
    assert limited(rows(), 10) == ([(n,) for n in range(10)], False)  # exactly the limit
    assert limited(rows(), 11)[1] is False
    assert limited(rows(), None) == ([(n,) for n in range(10)], False)


def test_cli_row_limit_writes_the_rows_and_exits_1(runner, tmp_path):
    out = tmp_path / "wikidata.csv"
    result = runner.invoke(app, ["query", "wikidata-links", "--max-rows", "3", "-o", str(out)])
    assert result.exit_code == 1
    assert "warning: wikidata-links: row limit reached" in result.stderr
    assert len(out.read_text().splitlines()) == 4
