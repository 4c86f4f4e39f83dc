"""`conflictkg serve`: the read-only SPARQL endpoint on the validated graph, over real HTTP."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from bench_serve import library_queries, run_load
from conftest import DATA
from servers import sparql_get, sparql_post

from conflictkg.cli import EXIT_BAD_INPUT, EXIT_FAILED, app
from conflictkg.errors import PortBusyError, ServeError
from conflictkg.rdf.serialization import to_ntriples
from conflictkg.remote.serve import (
    OxigraphServer,
    build_validated,
    check_port,
    create_store,
    outbound_filter_problem,
    serve_graphs,
)

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX ckg: <https://w3id.org/conflictkg/ontology#>
SELECT ?actor ?label WHERE { ?actor a ckg:JihadistGroup ; rdfs:label ?label } ORDER BY ?actor"""


@pytest.fixture(scope="module")
def graphs():
    _, graphs = build_validated()
    return graphs


@pytest.fixture(scope="module")
def local_store(graphs):
    """The same graph in a pyoxigraph store of this process: the reference answers."""
    store = ox.Store()
    for graph in graphs:
        store.bulk_load(to_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.fixture(scope="module")
def server(graphs):
    with serve_graphs(graphs, port=0, timeout=30) as running:
        yield running


def _json_rows(body):
    return json.loads(body)["results"]["bindings"]


def _local_count(store):
    return int(next(iter(store.query(COUNT)))["n"].value)


# --- the protocol ------------------------------------------------------------


def test_get_json_and_csv_match_the_local_graph(server, local_store):
    expected = _local_count(local_store)
    status, headers, body = sparql_get(server.query_url, COUNT)
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")
    assert int(_json_rows(body)[0]["n"]["value"]) == expected
    status, headers, body = sparql_get(server.query_url, LABELS, accept="text/csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    local = [
        (s["actor"].value, s["label"].value) for s in local_store.query(LABELS)
    ]
    assert [(row["actor"], row["label"]) for row in rows] == local
    assert ("https://w3id.org/conflictkg/id/jnim", "JNIM") in local


def test_post_form_and_post_query_body(server, local_store):
    expected = _local_count(local_store)
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    for body, kind in (
        (form, "application/x-www-form-urlencoded"),
        (COUNT.encode(), "application/sparql-query"),
    ):
        status, _, answer = sparql_post(server.query_url, body, kind)
        assert status == 200, answer
        assert int(_json_rows(answer)[0]["n"]["value"]) == expected
    # /sparql is the same endpoint as /query
    status, _, answer = sparql_get(server.url + "sparql", COUNT)
    assert status == 200 and int(_json_rows(answer)[0]["n"]["value"]) == expected


@pytest.mark.parametrize(
    ("accept", "check"),
    [
        ("application/sparql-results+json", lambda b: "results" in json.loads(b)),
        ("application/sparql-results+xml", lambda b: ET.fromstring(b).tag.endswith("sparql")),
        ("text/csv", lambda b: b.startswith(b"actor,label")),
        ("text/tab-separated-values", lambda b: b.startswith(b"?actor\t?label")),
    ],
)
def test_select_result_formats(server, accept, check):
    status, headers, body = sparql_get(server.query_url, LABELS, accept=accept)
    assert status == 200
    assert headers["content-type"].startswith(accept)
    assert check(body)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_construct_result_formats(server, accept, fmt):
    query = "CONSTRUCT WHERE { <https://w3id.org/conflictkg/id/jnim> ?p ?o }"
    status, headers, body = sparql_get(server.query_url, query, accept=accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    triples = list(ox.parse(body, format=fmt))
    assert len(triples) > 5
    assert {str(t.subject) for t in triples} == {"<https://w3id.org/conflictkg/id/jnim>"}


def test_unknown_result_format_is_406(server):
    status, _, _ = sparql_get(server.query_url, COUNT, accept="image/png")
    assert status == 406


def test_malformed_query_is_400_with_position(server):
    status, _, body = sparql_get(server.query_url, "SELECT ?x WHERE { ?x ?p }")
    assert status == 400
    assert b"error at 1:" in body


def _cors_headers(url, origin, method="GET"):
    """The Access-Control-Allow-Origin of an answer and of a preflight, for `origin`."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(
        url + "?query=" + urllib.parse.quote("ASK {}"),
        headers={"Origin": origin, "Accept": "application/json"},
    )
    with opener.open(request, timeout=10) as response:
        answer = response.headers["Access-Control-Allow-Origin"]
    preflight = urllib.request.Request(
        url,
        method="OPTIONS",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    try:
        with opener.open(preflight, timeout=10) as response:
            assert response.status in (200, 204)
            allowed = response.headers["Access-Control-Allow-Origin"]
            assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
    except urllib.error.HTTPError as error:
        assert error.code == 403
        assert b"--cors-origin" in error.read()
        allowed = None
    return answer, allowed


def test_cors_is_off_by_default(server):
    assert _cors_headers(server.query_url, "https://evil.example") == (None, None)


def test_cors_for_listed_origins_only(graphs):
    with serve_graphs(graphs, port=0, cors_origins=["https://yasgui.example"]) as listed:
        assert _cors_headers(listed.query_url, "https://yasgui.example") == (
            "https://yasgui.example", "https://yasgui.example"
        )
        assert _cors_headers(listed.query_url, "https://evil.example") == (None, None)


def test_query_page(server):
    status, headers, body = sparql_get(server.url.rstrip("/") + "/", "", accept="text/html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b'<form action="query"' in body


# --- safety ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "method", "content_type", "body"),
    [
        ("update", "POST", "application/x-www-form-urlencoded",
         b"update=INSERT%20DATA%20%7B%3Curn%3Aa%3E%20%3Curn%3Ab%3E%20%3Curn%3Ac%3E%7D"),
        ("update", "POST", "application/sparql-update", b"CLEAR ALL"),
        ("store?default", "PUT", "application/n-triples", b"<urn:a> <urn:b> <urn:c> ."),
        ("store?graph=urn:g", "POST", "application/n-triples", b"<urn:a> <urn:b> <urn:c> ."),
        ("store?default", "DELETE", "application/n-triples", b""),
    ],
)
def test_writes_are_refused(server, local_store, path, method, content_type, body):
    status, _, answer = sparql_post(
        server.url + path, body, content_type, method=method, accept="*/*"
    )
    assert status == 403, answer
    assert b"read-only" in answer
    status, _, answer = sparql_get(server.query_url, COUNT)
    assert int(_json_rows(answer)[0]["n"]["value"]) == _local_count(local_store)


class _Listener:
    """A TCP listener on loopback that records whether anybody connected."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.mark.skipif(outbound_filter_problem() is not None, reason="needs Linux x86_64/aarch64")
def test_service_cannot_reach_other_hosts(server, tmp_path):
    listener = _Listener()
    try:
        remote = f"http://127.0.0.1:{listener.port}/sparql"
        query = f"SELECT * WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}"
        status, _, body = sparql_get(server.query_url, query)
        time.sleep(0.3)
        assert listener.connections == 0
        assert status != 200 or b"Operation not permitted" in body
        # the same server without the filter does connect: the check above can fail
        store = tmp_path / "store"
        create_store(store, files=[DATA / "unit" / "sample.nt"])
        with OxigraphServer(store, port=0, allow_service=True) as open_server:
            sparql_get(open_server.query_url, query)
        time.sleep(0.3)
        assert listener.connections >= 1
    finally:
        listener.close()


def test_query_time_limit(graphs, tmp_path):
    store = tmp_path / "store"
    create_store(store, graphs=graphs[:1])
    # some 10^10 solutions to count: minutes of work
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with OxigraphServer(store, port=0, timeout=1) as limited:
        start = time.monotonic()
        status, _, body = sparql_get(limited.query_url, endless, accept="text/csv", timeout=60)
        elapsed = time.monotonic() - start
        assert b"cancelled" in body or status >= 500
        assert elapsed < 30  # far below the minutes the query needs; not a speed test
        # and the server still answers
        assert sparql_get(limited.query_url, "ASK {}")[0] == 200


def test_answers_under_load(server, local_store):
    queries = [text for _, text in library_queries()] + [COUNT, LABELS]
    stop = threading.Event()
    outcome = {}

    def load():
        outcome["load"] = run_load(server.query_url, queries, clients=20, total=400, stop=stop)

    thread = threading.Thread(target=load)
    thread.start()
    try:
        time.sleep(0.2)
        status, _, body = sparql_get(server.query_url, LABELS, accept="text/csv", timeout=60)
        assert status == 200
        rows = list(csv.DictReader(io.StringIO(body.decode())))
        assert [(r["actor"], r["label"]) for r in rows] == [
            (s["actor"].value, s["label"].value) for s in local_store.query(LABELS)
        ]
    finally:
        thread.join()
    result = outcome["load"]
    assert result.queries == 400
    assert result.errors == 0, result.error_samples


# --- starting and stopping ---------------------------------------------------


def test_busy_port_is_refused(tmp_path, runner):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(PortBusyError, match=f"port {port} is already in use"):
            check_port("127.0.0.1", port)
        result = runner.invoke(app, ["serve", "--port", str(port)])
        assert result.exit_code == EXIT_BAD_INPUT
        assert f"127.0.0.1 port {port} is already in use" in result.stderr
        assert "Traceback" not in result.stderr


def test_busy_port_found_by_the_server_itself(tmp_path, monkeypatch):
    # A port taken between our check and the server's start: the server's own error
    # is turned into the same message.
    store = tmp_path / "store"
    create_store(store, files=[DATA / "unit" / "sample.nt"])
    monkeypatch.setattr("conflictkg.remote.serve.check_port", lambda host, port: None)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        server = OxigraphServer(store, port=port)
        with pytest.raises(PortBusyError, match="already in use"):
            server.start()
        assert not server.running


def test_store_folder_must_be_empty(tmp_path, runner):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "keep.txt").write_text("mine")
    with pytest.raises(ServeError, match="must be empty"):
        create_store(tmp_path / "store", files=[])


def test_serve_needs_a_built_graph(tmp_path, runner):
    result = runner.invoke(app, ["serve", "--port", "0", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "no graph has been built" in result.stderr and "run conflictkg build" in result.stderr


def test_unknown_host_is_bad_input(runner):
    result = runner.invoke(app, ["serve", "--host", "no-such-host.invalid"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "cannot resolve host 'no-such-host.invalid'" in result.stderr


class _StopsAtOnce(OxigraphServer):
    """A server left without restarts, which is killed as soon as it answers."""

    def __init__(self, *args, **kwargs):
        kwargs["restarts"] = 0
        super().__init__(*args, **kwargs)

    def start(self, **kwargs):
        super().start(**kwargs)
        os.kill(self.process.pid, signal.SIGKILL)
        return self


def test_server_that_stops_on_its_own_exits_1_as_the_help_says(runner, monkeypatch):
    monkeypatch.setattr("conflictkg.remote.serve.OxigraphServer", _StopsAtOnce)
    result = runner.invoke(app, ["serve", "--port", "0"])
    assert "the SPARQL server stopped on its own (status -9)" in result.stderr
    assert result.exit_code == EXIT_FAILED
    assert "1 the --data files fail validation or the server stopped on its own" in " ".join(
        runner.invoke(app, ["serve", "--help"]).stdout.split()
    )


def test_invalid_data_is_not_served(runner):
    bad = DATA / "invalid" / "count-bounds-reversed.ttl"
    result = runner.invoke(app, ["serve", "--port", "0", "--data", str(bad)])
    assert result.exit_code == EXIT_FAILED
    assert "fails validation" in result.stderr


def test_not_a_store(tmp_path):
    with pytest.raises(ServeError, match="not an Oxigraph store"):
        OxigraphServer(tmp_path, port=0).start()


def _read_until(stream, marker, deadline):
    lines = []
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} not printed; got {lines}")


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_command_prints_url_serves_and_stops_cleanly(tmp_path, stop_signal):
    environment = {**os.environ, "TMPDIR": str(tmp_path), "COLUMNS": "200", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "conflictkg", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        lines = _read_until(process.stdout, "SPARQL endpoint:", time.monotonic() + 60)
        endpoint = lines[-1].split("SPARQL endpoint:")[1].strip()
        assert endpoint.startswith("http://127.0.0.1:")
        status, _, body = sparql_get(endpoint, COUNT, accept="text/csv")
        assert status == 200 and int(body.split()[1]) > 3000
        # the built store is served where it is: no copy is made
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("conflictkg-")]
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "stopped" in out
    assert "Traceback" not in err
    with pytest.raises(OSError):
        sparql_get(endpoint, "ASK {}", timeout=2)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("conflictkg-store-")]


def test_kept_store_can_be_served_again(graphs, tmp_path):
    store = tmp_path / "kept"
    with serve_graphs(graphs, store=store, port=0) as first:
        count = sparql_get(first.query_url, COUNT, accept="text/csv")[2]
    assert (store / "CURRENT").is_file()
    with OxigraphServer(store, port=0) as second:
        assert sparql_get(second.query_url, COUNT, accept="text/csv")[2] == count


def test_closure_adds_inferred_types(tmp_path):
    _, plain = build_validated()
    _, closed = build_validated(closure=True)
    query = "ASK { <https://w3id.org/conflictkg/id/jnim> a ?c . FILTER (?c = ckg:Actor) }"
    query = "PREFIX ckg: <https://w3id.org/conflictkg/ontology#>\n" + query
    with serve_graphs(plain, port=0) as without, serve_graphs(closed, port=0) as with_closure:
        assert json.loads(sparql_get(without.query_url, query)[2])["boolean"] is False
        assert json.loads(sparql_get(with_closure.query_url, query)[2])["boolean"] is True


# --- a server that dies ------------------------------------------------------------


def test_killed_server_is_reported_by_query_endpoint(graphs, runner):
    server = serve_graphs(graphs, port=0, restarts=0).start()
    try:
        command = ["query", "who-claimed-the-attack", "--endpoint", server.query_url]
        assert runner.invoke(app, command).exit_code == 0
        server.process.kill()
        server.process.wait()
        result = runner.invoke(app, command)
    finally:
        server.stop()
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"cannot reach {server.query_url}" in result.stderr
    assert "Connection refused" in result.stderr
    assert "Traceback" not in result.stderr


def test_server_killed_while_answering_is_reported(graphs, runner):
    server = serve_graphs(graphs, port=0, restarts=0).start()
    endless = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # about 10 million rows, streamed
    killer = threading.Timer(1.0, server.process.kill)
    killer.start()
    try:
        result = runner.invoke(app, ["query", "-", "--endpoint", server.query_url], input=endless)
    finally:
        killer.cancel()
        server.stop()
    assert result.exit_code == EXIT_BAD_INPUT, result.stderr
    assert "Traceback" not in result.stderr
    assert server.query_url in result.stderr
