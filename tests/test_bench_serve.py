"""The load client of benchmarks/bench_serve.py counts every answer that is not a good one.

A small scripted HTTP/1.1 server on loopback answers each query by what the query says
(a good JSON answer, an error status, a body that is not SPARQL JSON, N-Triples, or a
chunked stream that breaks before its end), so each kind of answer can be checked.
"""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Iterator

import pytest
from bench_serve import run_load
from servers import scripted_server

_GOOD = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
_ANSWERS = {
    "good": (200, "application/sparql-results+json", _GOOD),
    "ask": (200, "application/sparql-results+json", b'{"head":{},"boolean":true}'),
    "status": (500, "text/plain", b"engine failed\n"),
    "not-json": (200, "application/sparql-results+json", b'{"head":{},"results":'),
    "not-results": (200, "application/sparql-results+json", b'{"head":{}}'),
    "triples": (200, "application/n-triples", b"<urn:a> <urn:b> <urn:c> .\n"),
    "bad-triples": (200, "application/n-triples", b"<urn:a> <urn:b> .\n"),
}


class _Scripted(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the endpoint

    def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
        length = int(self.headers["Content-Length"])
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        query = form["query"][0]
        if query == "broken":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            part = _GOOD[:10]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))  # no last chunk
            self.wfile.flush()
            self.close_connection = True
            return
        status, kind, body = _ANSWERS[query]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with scripted_server(_Scripted, "/query") as address:
        yield address


def test_good_answers_are_not_errors(url):
    result = run_load(url, ["good", "ask", "triples"], clients=4, total=60)
    assert result.queries == 60
    assert result.errors == 0, result.error_samples
    assert len(result.latencies) == 60


@pytest.mark.parametrize("wrong", ["status", "not-json", "not-results", "bad-triples"])
def test_a_wrong_answer_is_an_error(url, wrong):
    result = run_load(url, ["good", wrong], clients=2, total=40)
    assert result.queries == 40
    assert result.errors == 20
    assert result.error_samples


def test_a_broken_stream_is_an_error_and_the_client_goes_on(url):
    result = run_load(url, ["broken", "good", "good", "good"], clients=1, total=8)
    assert result.queries == 8
    assert result.errors == 2
    assert any("closed" in sample for sample in result.error_samples)


def test_stop_ends_the_load_early(url):
    stop = threading.Event()
    stop.set()
    assert run_load(url, ["good"], clients=3, total=1000, stop=stop).queries == 0
