"""The ``conflictkg serve`` and ``conflictkg push`` commands.

``conflictkg serve``
    Serve the built graph (the store ``conflictkg build`` published) read-only over the
    SPARQL 1.1 Protocol until Ctrl-C (see :mod:`conflictkg.remote.serve`).
``conflictkg push``
    Replace a named graph of a remote SPARQL store with the built graph, through the
    Graph Store Protocol (see :mod:`conflictkg.remote.push`).

"""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from conflictkg import http
from conflictkg.cli.graph import DataOption, ProjectOption, RebuildOption, StoreOption
from conflictkg.errors import InterruptedByUserError, ServeError, ServerStoppedError
from conflictkg.remote.push import DEFAULT_BATCH_SIZE
from conflictkg.remote.serve import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TIMEOUT

__all__ = ["push_command", "serve_command"]

ClosureOption = Annotated[
    bool,
    typer.Option(
        "--closure/--no-closure",
        help="With the RDFS closure of ontology and data (made once, on first use).",
    ),
]


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into the same clean stop as Ctrl-C."""
    raise KeyboardInterrupt


def serve_command(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 0.0.0.0 listens everywhere.")
    ] = DEFAULT_HOST,
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port; 0 picks a free one.")
    ] = DEFAULT_PORT,
    timeout: Annotated[
        int,
        typer.Option("--timeout", min=1, help="Seconds a query may run before it is cancelled."),
    ] = DEFAULT_TIMEOUT,
    data: DataOption = None,
    project: ProjectOption = True,
    closure: ClosureOption = False,
    store: StoreOption = Path("out"),
    rebuild: RebuildOption = False,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin",
            help="An origin (https://example.org) whose web pages may read answers; "
            "repeat for more; * for any. None by default.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, max=64, help="Queries answered at once (default: cores)."),
    ] = None,
    max_query_bytes: Annotated[
        int,
        typer.Option("--max-query-bytes", min=1024, help="Largest query (request) accepted."),
    ] = 1024 * 1024,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            help="Let SPARQL SERVICE open connections to other hosts (refused by default).",
        ),
    ] = False,
) -> None:
    """Serve the built graph read-only over SPARQL.

    Runs the endpoint (pyoxigraph query engines behind an HTTP server) on
    the store conflictkg build published in --store (refused if its files
    changed since: --rebuild), the union of its graphs as the default graph;
    with --closure, on its RDFS closure; with --data, on a temporary build
    that adds the files. SPARQL 1.1 Protocol queries at /query (also
    /sparql) by GET or POST, every result format by content negotiation, and
    a query form at the root URL. A query is stopped at --timeout; requests
    over --max-query-bytes, slow and idle clients are refused; CORS only for
    --cors-origin. Updates and Graph Store writes are refused; so are
    outgoing connections (SPARQL SERVICE) unless --allow-service. A server
    that stops on its own is restarted (and says so). Stops on Ctrl-C.

    Exit codes: 0 stopped by Ctrl-C or SIGTERM; 1 the --data files fail
    validation or the server stopped on its own; 2 bad input or usage (busy
    port, unknown host, no built graph or a stale one, unreadable file).
    """
    import contextlib

    from rich.console import Console

    from conflictkg.cli.graph import built_graph
    from conflictkg.remote.serve import OxigraphServer, check_port, resolve_host

    console = Console()
    address = resolve_host(host)
    if port:
        check_port(address, port)
    stack = contextlib.ExitStack()
    built = stack.enter_context(built_graph(store, data=data, project=project, rebuild=rebuild))
    reasoning = "rdfs" if closure else None
    if closure:
        with console.status("making the RDFS closure (once per build)"):
            built.store(reasoning="rdfs")
    server = OxigraphServer(
        built.path(reasoning=reasoning),
        host=address,
        port=port,
        timeout=timeout,
        cors_origins=cors_origin or (),
        allow_service=allow_service,
        union_default_graph=True,
        workers=workers,
        max_query_bytes=max_query_bytes,
        on_output=lambda line: typer.echo(f"endpoint: {line}", err=True),
    )
    triples = len(built.store(reasoning=reasoning))
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # Ctrl-C stops the server even when the shell started it with SIGINT ignored (as
    # non-interactive shells do for background jobs, and pytest-xdist for its workers)
    previous_interrupt = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        try:
            server.start()
        except ServeError:
            server.stop()
            raise
        console.print(f"serving {triples} triples read-only at {server.url}")
        console.print(f"SPARQL endpoint: {server.query_url}")
        if not http.is_loopback(address):
            console.print(
                f"[bold]note:[/] listening on {address}: anyone who can reach this machine "
                "can query the graph; see docs/serving.md for a reverse proxy"
            )
        console.print("press Ctrl-C to stop")
        code = server.wait()
    except KeyboardInterrupt:
        server.stop()
        console.print("stopped")
        raise typer.Exit(0) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_interrupt)
        server.stop()  # does nothing more if already stopped
        stack.close()
    lines = server.output()
    detail = f": {lines[-1]}" if lines else ""
    raise ServerStoppedError(f"the SPARQL server stopped on its own (status {code}){detail}")


def push_command(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="SPARQL query endpoint of the store, e.g. http://127.0.0.1:7878/query.",
            show_default=False,
        ),
    ],
    graph: Annotated[
        str,
        typer.Option(
            "--graph", help="IRI of the named graph to replace.", show_default=False
        ),
    ],
    user: Annotated[
        str | None,
        typer.Option("--user", "-u", help="User name, if the store asks for one."),
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            envvar="CONFLICTKG_PASSWORD",
            help="Password (better: set CONFLICTKG_PASSWORD, which other users cannot see).",
            show_default=False,
        ),
    ] = None,
    update_url: Annotated[
        str | None,
        typer.Option(
            "--update-url",
            help="SPARQL Update endpoint (found by itself for Oxigraph and Virtuoso).",
            show_default=False,
        ),
    ] = None,
    store_url: Annotated[
        str | None,
        typer.Option(
            "--store-url",
            help="Graph Store Protocol endpoint (found by itself for Oxigraph and Virtuoso).",
            show_default=False,
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Triples per Graph Store request.")
    ] = DEFAULT_BATCH_SIZE,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for each answer.")
    ] = 300.0,
    data: DataOption = None,
    project: ProjectOption = True,
    closure: ClosureOption = False,
    store: StoreOption = Path("out"),
    rebuild: RebuildOption = False,
) -> None:
    """Replace a named graph of a remote SPARQL 1.1 store with the built graph.

    Takes the graph conflictkg build published in --store (refused if its
    files changed since: --rebuild; with --data, a temporary build that adds
    the files; with --closure, its RDFS closure) and sends it
    through the Graph Store Protocol in batches into a temporary graph,
    checks its size, and replaces --graph with it in one SPARQL Update
    (MOVE).  A failure before that point (wrong password, refused batch, lost
    connection, Ctrl-C) leaves --graph as it was.  Basic and Digest
    authentication.

    Exit codes: 0 replaced; 1 the graph fails validation (nothing sent);
    2 bad input or usage, or the store refused or failed (message on stderr);
    130 interrupted by Ctrl-C.
    """
    import contextlib
    import tempfile

    import pyoxigraph as ox
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.table import Table

    from conflictkg.cli.graph import built_graph
    from conflictkg.remote.push import HttpClient, discover, push

    console = Console()
    error_console = Console(stderr=True)
    if user is not None and password is None:
        password = typer.prompt(f"password for {user}", hide_input=True, err=True)
    if user is not None and endpoint.startswith("http:") and not http.is_loopback(endpoint):
        error_console.print(
            "warning: credentials go over plain HTTP; use https:// outside a trusted network"
        )
    stack = contextlib.ExitStack()
    built = stack.enter_context(built_graph(store, data=data, project=project, rebuild=rebuild))
    payload = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "graph.nt"
    with console.status("writing the graph as N-Triples"):
        source = built.store(reasoning="rdfs" if closure else None)
        ox.serialize(
            (quad.triple for quad in source.quads_for_pattern(None, None, None, None)),
            str(payload),
            format=ox.RdfFormat.N_TRIPLES,
        )
    client = HttpClient(user=user, password=password, timeout=timeout)
    try:
        endpoints = discover(endpoint, client, update_url=update_url, store_url=store_url)
        columns = (
            TextColumn("uploading"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("triples"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=error_console, transient=True) as bar:
            task = bar.add_task("upload", total=None)

            def advance(sent: int, total: int) -> None:
                bar.update(task, completed=sent, total=total)

            result = push(
                payload, endpoints, client, graph=graph, batch_size=batch_size, progress=advance
            )
    except KeyboardInterrupt:
        raise InterruptedByUserError(
            f"interrupted; <{graph}> was left as it was (unless the final MOVE had started)"
        ) from None
    finally:
        stack.close()
    table = Table(title=f"Pushed <{result.graph}>", title_justify="left")
    table.add_column("Store")
    table.add_column("Triples", justify="right")
    table.add_column("Requests", justify="right")
    table.add_column("Seconds", justify="right")
    table.add_row(
        result.endpoints.server.split(" ", 1)[0] or result.endpoints.store,
        str(result.triples),
        str(result.batches),
        f"{result.seconds:.2f}",
    )
    console.print(table)
