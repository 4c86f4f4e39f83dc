"""Shared fixtures and markers for the conflictkg tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SYNTAX = DATA / "syntax"
UNIT = DATA / "unit"

# The reader scripts run under Debian's python3 or Node.js, not under pytest.
collect_ignore = ["readers"]

@pytest.fixture(scope="session", autouse=True)
def built_project(tmp_path_factory) -> Path:
    """The project built once for the whole session; commands read it (CONFLICTKG_STORE).

    Commands that read the graph open the store ``conflictkg build`` published; the tests
    build it once, into a folder of their own, and point every command at it.
    """
    import os

    from conflictkg.pipeline import run_build

    folder = tmp_path_factory.mktemp("built")
    result = run_build(folder)
    assert result.conforms, [v for v in result.violations if v.severity == "Violation"]
    os.environ["CONFLICTKG_STORE"] = str(folder)
    return folder


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner with a wide terminal so that tables do not wrap words."""
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


# --- a real SPARQL server on loopback (reusable by any test) --------------------------------


class OxigraphEndpoint:
    """A running read-only Oxigraph server: its query URL, port, store folder and log."""

    def __init__(self, url: str, port: int, location: Path, log: Path) -> None:
        self.url = url
        self.port = port
        self.location = location
        self.log = log


def _oxigraph_executable() -> str:
    import shutil
    import sys

    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph command is missing: pip install oxigraph (the server package)")
    return found


def _free_loopback_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_oxigraph(folder: Path, ntriples: bytes, *, wait: float = 60.0):
    """Load `ntriples` into a new store in `folder` and serve it read-only on loopback.

    A context manager yielding an :class:`OxigraphEndpoint`; the server is
    stopped (and waited for) on exit.  Uses the ``oxigraph`` command of the
    ``oxigraph`` package: ``oxigraph load``, then ``oxigraph serve-read-only``.
    """
    import contextlib
    import subprocess
    import time
    import urllib.error
    import urllib.request

    @contextlib.contextmanager
    def running():
        executable = _oxigraph_executable()
        folder.mkdir(parents=True, exist_ok=True)
        source, store, log = folder / "graph.nt", folder / "store", folder / "server.log"
        source.write_bytes(ntriples)
        subprocess.run(
            [executable, "load", "--location", str(store), "--file", str(source)],
            check=True,
            capture_output=True,
        )
        port = _free_loopback_port()
        with log.open("wb") as output:
            process = subprocess.Popen(
                [executable, "serve-read-only", "--location", str(store),
                 "--bind", f"127.0.0.1:{port}"],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}/query"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    with opener.open(url + "?query=ASK%7B%7D", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except (urllib.error.URLError, OSError):
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the Oxigraph server did not start; log:\n{log.read_text()}")
                time.sleep(0.1)
            yield OxigraphEndpoint(url, port, store, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    return running()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """The project's graph (ontology, code lists, data) served by ``oxigraph serve-read-only``.

    Yields an :class:`OxigraphEndpoint`; ``.url`` is the SPARQL query endpoint.
    """
    from conflictkg.rdf.loading import load_project
    from conflictkg.rdf.serialization import to_ntriples

    ontology, data = load_project()
    folder = tmp_path_factory.mktemp("oxigraph-server")
    with serve_oxigraph(folder, to_ntriples(ontology, data)) as server:
        yield server


@pytest.fixture(scope="session")
def local():
    """The project's graph (ontology, code lists, data) as a local query target, read once."""
    from conflictkg.sparql import LocalGraph

    return LocalGraph.from_project()


@pytest.fixture(scope="session")
def project():
    """The ontology graph, the shapes graph and the shared entity files, read once."""
    from conflictkg import resources
    from conflictkg.rdf.loading import load_files

    return (
        load_files(resources.ontology_files()),
        load_files([resources.shapes_file()]),
        resources.shared_graph_files(),
    )
