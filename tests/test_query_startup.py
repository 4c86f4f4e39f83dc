"""What ``conflictkg query NAME`` loads, and how its time limit works as a command.

A question on the built store needs typer, pyoxigraph and conflictkg's query modules;
not rdflib, httpx, networkx or pydantic (each a tenth or a fifth of a second to import).
The commands run here as the ``conflictkg`` program runs them (``conflictkg.cli.run``),
in a process of their own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from conflictkg.cli import app
from conflictkg.errors import NetworkRefusedError
from conflictkg.sparql import LocalGraph, run_query, serialize
from conflictkg.sparql.sandbox import call

HEAVY = ("rdflib", "httpx", "networkx", "pydantic", "rich")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

_PROGRAM = """
import json, sys
args, watched = json.loads(sys.argv[1]), set(json.loads(sys.argv[2]))
sys.argv = ["conflictkg", *args]
from conflictkg.cli import run
try:
    run()
except SystemExit as end:
    code = end.code
sys.stdout.flush()
heavy = sorted({name.split(".")[0] for name in sys.modules} & watched)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def _command(*args: str, stdin: str | None = None) -> tuple[dict, str, str]:
    """Run ``conflictkg ARGS`` as a program; return what it loaded, its output and errors."""
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM, json.dumps(args), json.dumps(HEAVY)],
        input=stdin, capture_output=True, text=True, check=False, timeout=120,
    )
    *errors, last = done.stderr.strip().splitlines()
    return json.loads(last), done.stdout, "\n".join(errors)


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_a_library_question_loads_no_heavy_library(fmt):
    found, out, errors = _command("query", "who-claimed-the-attack", "-f", fmt)
    assert found["code"] == 0, errors
    assert "JNIM" in out
    allowed = {"rich"} if fmt == "table" else set()
    assert set(found["heavy"]) <= allowed


def test_a_parameter_by_iri_loads_no_heavy_library():
    found, out, errors = _command(
        "query", "who-claimed-the-attack", "-f", "csv",
        "--param", "attack=ckr:bamako-2024-09-17-attack",
    )
    assert found["code"] == 0, errors
    assert "JNIM" in out
    assert set(found["heavy"]) <= {"rdflib"}  # the value is read as an rdflib term


def test_the_list_and_the_help_still_load_their_commands():
    found, out, errors = _command("--help")
    assert found["code"] == 0, errors
    for name in ("build", "query", "analyze", "import", "new", "serve"):
        assert name in out


def test_the_time_limit_ends_the_command_itself():
    """As a program, the query runs in the command's process, which its time limit ends."""
    done = subprocess.run(
        [sys.executable, "-m", "conflictkg", "query", "-", "--timeout", "1"],
        input=RUNAWAY, capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: query stopped after 1 s (time limit; raise it with --timeout)"
    )
    assert done.stdout == ""


def test_bad_numbers_are_refused_without_pydantic(runner):
    for args in (["--timeout", "soon"], ["--timeout", "-1"], ["--max-rows", "1.5"]):
        result = runner.invoke(app, ["query", "claimed-outcomes", *args])
        assert result.exit_code == 2, args
        assert "Invalid value for" in result.stderr


def test_numbers_and_flags_reach_the_command(runner):
    result = runner.invoke(
        app, ["query", "claimed-outcomes", "-f", "csv", "--max-rows", "1", "--timeout", "30"]
    )
    assert result.exit_code == 1  # the row limit cut the answer
    assert len(result.stdout.splitlines()) == 2
    assert "row limit reached: only the first 1 rows" in result.stderr


def test_the_watchdog_refuses_connections_only_while_the_query_runs():
    import socket

    def connect():
        with socket.create_connection(("127.0.0.1", 9), timeout=1):
            return "connected"

    def never(error):  # the watchdog is not reached: the task ends at once
        raise AssertionError(error)

    with pytest.raises(NetworkRefusedError, match="socket"):
        call(connect, timeout=30, block_network=True, on_timeout=never)
    with pytest.raises(ConnectionRefusedError):  # refused by the port, not by the hook
        connect()


def test_oxigraph_answers_keep_their_terms_and_make_rdflib_rows_on_demand():
    store = ox.Store()
    subject = ox.NamedNode("https://w3id.org/conflictkg/id/jnim")
    store.add(ox.Quad(subject, ox.NamedNode("urn:x:p"), ox.Literal("JNIM", language="en")))
    result = run_query(LocalGraph.from_store(store), "SELECT ?s ?o ?none { ?s ?p ?o }")
    assert result.terms == [(subject, ox.Literal("JNIM", language="en"), None)]
    assert result.rows == [(URIRef(subject.value), Literal("JNIM", lang="en"), None)]
    assert serialize(result, "csv") == b"s,o,none\r\nhttps://w3id.org/conflictkg/id/jnim,JNIM,\r\n"
    assert "ckr:jnim" in serialize(result, "table").decode()
    result.rows = [(URIRef("urn:x:other"), None, None)]
    assert result.terms is None
    assert serialize(result, "csv") == b"s,o,none\r\nurn:x:other,,\r\n"


def test_a_mistyped_command_is_still_matched_to_its_neighbours(runner):
    result = runner.invoke(app, ["quer"])
    assert result.exit_code == 2
    assert "Did you mean 'query', 'queries'?" in result.output


def test_the_watchdog_sleeps_through_queries_armed_with_the_same_limit():
    from conflictkg.sparql.sandbox import _Watchdog

    def never():
        raise AssertionError("a disarmed deadline fired")

    watchdog = _Watchdog()
    for _ in range(20):  # each deadline a moment later than the one the thread sleeps to
        watchdog.arm(60.0, never)
        time.sleep(0.005)  # as a query would, leaving the thread the time to wake
        watchdog.disarm()
    assert watchdog.wakes == 0


def test_the_watchdog_is_woken_for_an_earlier_deadline_and_after_an_idle_spell():
    import threading

    from conflictkg.sparql.sandbox import _Watchdog

    def never():
        raise AssertionError("a disarmed deadline fired")

    watchdog = _Watchdog()
    watchdog.arm(60.0, never)  # the thread sleeps until then
    watchdog.disarm()
    first = threading.Event()
    watchdog.arm(0.01, first.set)  # earlier than the thread's wake: it must be woken
    assert first.wait(30)
    second = threading.Event()  # the thread now sleeps without a deadline
    watchdog.arm(0.01, second.set)
    assert second.wait(30)
