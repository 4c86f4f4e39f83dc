"""Plain bad input ends in a clear message with its place and exit code 2, never a
traceback or a hang.

CASES is the probe's table: a name, how to make the input in a temporary folder, the
command, the exit code, a fragment the message must contain, and what must be unchanged
afterwards (the input itself).
"""

from __future__ import annotations

import http.server
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

from conflictkg.cli import EXIT_BAD_INPUT, EXIT_FAILED, app

CONFLICTKG = Path(sys.executable).parent / "conflictkg"
TRIPLE = "<urn:x:a> <urn:x:b> <urn:x:c> .\n"


@dataclass(frozen=True)
class Case:
    """One probe: make the input, run the command, check the answer."""

    make: Callable[[Path], Path]
    command: tuple[str, ...]
    exit_code: int
    fragment: str


def _file(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def _fifo(folder: Path) -> Path:
    path = folder / "x.ttl"
    os.mkfifo(path)
    return path


def _link_to(target: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "x.ttl"
        path.symlink_to(target)
        return path

    return make


def _loop(folder: Path) -> Path:
    (folder / "a.ttl").symlink_to(folder / "b.ttl")
    (folder / "b.ttl").symlink_to(folder / "a.ttl")
    return folder / "a.ttl"


VALID = (REPO / "tests" / "data" / "valid" / "made-up-arrest.ttl").read_text(encoding="utf-8")


def _changed(old: str, new: str) -> Callable[[Path], Path]:
    """The made-up arrest with one change."""
    assert old in VALID
    return _file("x.ttl", VALID.replace(old, new, 1).encode("utf-8"))


CASES = {
    "fifo-validate": Case(_fifo, ("validate", "{}"), EXIT_BAD_INPUT,
                          "x.ttl: is a named pipe (FIFO), not a regular file"),
    "fifo-build": Case(_fifo, ("build", "--out", "{out}", "--data", "{}"), EXIT_BAD_INPUT,
                       "x.ttl: is a named pipe (FIFO), not a regular file"),
    "dev-zero-as-ttl": Case(_link_to("/dev/zero"), ("validate", "{}"), EXIT_BAD_INPUT,
                            "x.ttl: is a device, not a regular file"),
    "symlink-loop": Case(_loop, ("validate", "{}"), EXIT_BAD_INPUT,
                         "a.ttl: is a loop of symbolic links"),
    "utf-16": Case(_file("x.ttl", TRIPLE.encode("utf-16")), ("validate", "{}"),
                   EXIT_BAD_INPUT, "x.ttl:1:1: this file is UTF-16; save it as UTF-8"),
    "utf-16-no-bom": Case(_file("x.nt", TRIPLE.encode("utf-16-le")), ("validate", "{}"),
                          EXIT_BAD_INPUT, "x.nt:1:1: this file is UTF-16; save it as UTF-8"),
    "utf-8-bom": Case(_file("x.ttl", b"\xef\xbb\xbf" + TRIPLE.encode()), ("validate", "{}"),
                      EXIT_BAD_INPUT, "x.ttl:1:1: this file begins with a byte order mark"),
    "rdf-xml-as-turtle": Case(
        _file("x.ttl", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf='
              b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'),
        ("validate", "{}"), EXIT_BAD_INPUT, "x.ttl:1:1: this file is RDF/XML, not Turtle",
    ),
    "ill-typed-integer-count": Case(
        _changed("ckg:exactValue 15", 'ckg:exactValue "four"^^xsd:integer'),
        ("validate", "--format", "json", "{}"), EXIT_FAILED, "CountShape",
    ),
    "impossible-date": Case(
        _changed('"2025-09-20"^^xsd:date', '"2024-13-45"^^xsd:date'),
        ("validate", "--format", "json", "{}"), EXIT_FAILED, "EventDateDatatype",
    ),
    "literal-over-the-parser-buffer": Case(
        _changed("ckg:exactValue 15 ;", 'ckg:exactValue 15 ; rdfs:comment "'
                 + "x" * (17 * 1024 * 1024) + '" ;'),
        ("validate", "{}"), EXIT_BAD_INPUT,
        "x.ttl:46: a single literal or IRI is longer than 16 MiB",
    ),
    "implausible-count-warns": Case(
        _changed("ckg:exactValue 15", "ckg:minimumValue 15 ; ckg:maximumValue 1000000000000"),
        ("validate", "--format", "json", "{}"), 0,
        '"rule_id": "CountPlausible"',
    ),
    "dev-zero-query-on-stdin": Case(
        _link_to("/dev/zero"), ("query", "-"), EXIT_BAD_INPUT,
        "<stdin>:1:1: a NUL character; standard input is not a query text",
    ),
}


def _run(name: str, command: list[str], path: Path, store: Path, runner) -> tuple[int, str]:
    """Run a command: in this process, or as a program when it reads a device on stdin."""
    if not name.endswith("on-stdin"):
        result = runner.invoke(app, command)
        return result.exit_code, result.stderr + result.stdout
    with open(path, "rb") as stdin:
        done = subprocess.run(
            [str(CONFLICTKG), *command], stdin=stdin, capture_output=True, text=True,
            cwd=REPO, timeout=120, env={**os.environ, "CONFLICTKG_STORE": str(store)},
        )
    return done.returncode, done.stderr + done.stdout


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name, built_project, tmp_path, runner):
    case = CASES[name]
    path = case.make(tmp_path)
    before = os.lstat(path)
    command = [part.format(path, out=tmp_path / "out") for part in case.command]
    code, said = _run(name, command, path, built_project, runner)  # errors, then verdicts
    assert code == case.exit_code, said[-800:]
    assert case.fragment in said, said[-800:]
    assert "Traceback" not in said
    after = os.lstat(path)
    assert (stat.S_IFMT(after.st_mode), after.st_size) == (
        stat.S_IFMT(before.st_mode), before.st_size
    )


class _NotResults(http.server.BaseHTTPRequestHandler):
    """A "SPARQL endpoint" that answers 200 with text that is not SPARQL results."""

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b"this is not json")

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


def test_service_reply_that_is_not_results(built_project, runner):
    server = http.server.HTTPServer(("127.0.0.1", 0), _NotResults)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{server.server_port}/sparql> " \
            "{ ?s ?p ?o } }"
        result = runner.invoke(app, ["query", "-", "--allow-network"], input=query)
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == EXIT_BAD_INPUT
    assert "<stdin>: Oxigraph could not run the query: Parser error" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["ntriples", "turtle"])
def test_rdf_export_left_empty_by_its_filters_fails(built_project, runner, tmp_path, fmt):
    target = tmp_path / "x.out"
    command = ["export", "-f", fmt, "--status", "Retracted", "-o", str(target)]
    result = runner.invoke(app, command)
    assert result.exit_code == EXIT_FAILED, result.stderr + result.stdout[-300:]
    assert "the export is empty with" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
         "FROM NAMED <http://example.org/g>"),
        ("SELECT * FROM <http://example.org/d> WHERE { ?s ?p ?o }", "FROM <http://example.org/d>"),
    ],
)
def test_refused_dataset_clause_is_named_as_written(built_project, runner, query, named):
    result = runner.invoke(app, ["query", "-"], input=query)
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"<stdin>:1:10: {named} names a graph that is not in the local graph" in result.stderr
