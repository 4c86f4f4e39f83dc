"""The ``query`` and ``queries`` commands: ask the knowledge graph questions.

``conflictkg query NAME|FILE|-``
    Run a library question by id, a query file, or a query from standard
    input, on the project's graph (Oxigraph or rdflib) or on a remote SPARQL
    endpoint; print a table or write CSV, TSV, JSON, XML, Turtle, N-Triples
    or JSON-LD.  ``--all`` answers every library question into a folder.
``conflictkg queries``
    List the library: id and question.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from conflictkg.cli.graph import DataOption, ProjectOption, RebuildOption, StoreOption, built_graph
from conflictkg.cli.options import EngineOption, checked_engine, format_option, output_option
from conflictkg.cli.progress import progress_bars
from conflictkg.errors import ExitCode, QueryError
from conflictkg.sparql.formats import EXTENSIONS, FORMATS, GRAPH_FORMATS, format_for_path
from conflictkg.sparql.library import library, resolve_query

if TYPE_CHECKING:
    from conflictkg.sparql.endpoint import Endpoint
    from conflictkg.sparql.local import LocalGraph
    from conflictkg.sparql.results import QueryResult

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "queries_command", "query_command"]

#: Seconds a query may run from the command line unless told otherwise.
DEFAULT_TIMEOUT = 10.0
#: Rows (or triples) a query may return from the command line unless told otherwise.
DEFAULT_MAX_ROWS = 100_000
#: Whether the command line is this process's one task (set by :func:`conflictkg.cli.run`,
#: the ``conflictkg`` command): a query's time limit then ends the process, and the query
#: runs in it rather than in a worker (:mod:`conflictkg.sparql.sandbox`).  Left False
#: when the commands are called from Python (tests, notebooks), which must go on.
OWN_PROCESS = False


def _end_command(error: Exception) -> None:
    """End the command when its query's time is up (called from the watchdog thread)."""
    import os
    import sys

    from conflictkg.cli.app import echo_error

    echo_error(str(error))
    sys.stderr.flush()
    os._exit(int(ExitCode.BAD_INPUT))


def _parse_params(values: list[str]) -> dict[str, list[str]]:
    """Turn ``name=value`` options into a mapping (a repeated name gives several values)."""
    params: dict[str, list[str]] = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise QueryError(f"--param {item!r}: expected NAME=VALUE, e.g. --param actor=JNIM")
        params.setdefault(name, []).append(value)
    return params


def _report(result: QueryResult, name: str) -> int:
    """Print notes and warnings of a result on standard error; return its exit code."""
    for note in result.notes:
        typer.echo(f"note: {name}: {note}", err=True)
    if result.incomplete:
        typer.echo(f"warning: {name}: {result.incomplete}", err=True)
        return ExitCode.FAILED
    return ExitCode.OK


def _format_for(result: QueryResult, fmt: str | None, output: Path | None) -> str:
    if fmt is None and output is not None:
        fmt = format_for_path(output)
    if fmt is None:
        graph_form = result.form in ("CONSTRUCT", "DESCRIBE")
        fmt = "turtle" if graph_form and output is not None else "table"
    return fmt


def query_command(
    query: Annotated[
        str | None,
        typer.Argument(
            help="A library question id (see `conflictkg queries`), a .rq file, or - for "
            "standard input.",
            metavar="NAME|FILE|-",
            show_default=False,
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="NAME=VALUE for a query parameter; the value may be an IRI (ckr:jnim), a label "
            "or alias (JNIM), or a literal. Repeat the name for several values.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        format_option(
            f"Output format: {', '.join(FORMATS)} (default: from the -o extension, else table).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, output_option("Write to this file (with --all: this folder), atomically.")
    ] = None,
    engine: EngineOption = None,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            help="Send the query to this SPARQL 1.1 endpoint URL instead of the local graph.",
            show_default=False,
        ),
    ] = None,
    reasoning: Annotated[
        str | None,
        typer.Option(
            "--reasoning",
            help="rdfs: answer over the RDFS closure; none: over the graph as it is "
            "(default: what the question's header says).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", "-t", min=0, help="Seconds before the query stops; 0: none."),
    ] = DEFAULT_TIMEOUT,
    max_rows: Annotated[
        int,
        typer.Option("--max-rows", min=0, help="Keep at most this many rows or triples; 0: all."),
    ] = DEFAULT_MAX_ROWS,
    allow_network: Annotated[
        bool,
        typer.Option(
            "--allow-network", help="Let SERVICE and FROM reach other servers (refused by default)."
        ),
    ] = False,
    expect_complete: Annotated[
        bool,
        typer.Option(
            "--expect-complete",
            help="With --endpoint: page through the answer (ORDER BY, OFFSET) to make sure no "
            "row was cut by a server cap.",
        ),
    ] = False,
    row_cap: Annotated[
        int | None,
        typer.Option(
            "--row-cap",
            min=1,
            help="With --endpoint: the server's known row cap, to flag answers it cut.",
            show_default=False,
        ),
    ] = None,
    store: StoreOption = Path("out"),
    data: DataOption = None,
    project: ProjectOption = True,
    rebuild: RebuildOption = False,
    run_all: Annotated[
        bool,
        typer.Option("--all", help="Answer every library question into the folder given by -o."),
    ] = False,
) -> None:
    """Run a SPARQL query: a library question, a file, or standard input.

    Local queries run on the built graph (what conflictkg build published in
    --store; with --data files, a temporary build that adds them) and never
    reach the network: SERVICE,
    FROM and LOAD are refused unless --allow-network is given.  Parameters
    replace the defaults the query states in VALUES or BIND, as terms, never
    as pasted text; a label or alias resolves to the one entity it names.

    Exit codes: 0 success; 1 the answer is incomplete (row limit reached, or
    cut by the endpoint); 2 bad input or usage (syntax error with line and
    column, unknown query, parameter or label, ambiguous label, refused
    network access, time limit reached, endpoint error); 3 internal error.
    """
    from conflictkg.sparql.local import LocalGraph

    if fmt is not None and fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    checked_engine(engine)
    if reasoning is not None and reasoning not in ("rdfs", "none"):
        raise QueryError(f"unknown reasoning {reasoning!r}; expected rdfs or none")
    if endpoint is None and (expect_complete or row_cap is not None):
        raise QueryError("--expect-complete and --row-cap apply to --endpoint only")
    if endpoint is not None and (engine is not None or data or not project):
        raise QueryError(
            "--engine, --data and --no-project apply to the local graph, not to --endpoint"
        )
    params = _parse_params(param or [])
    limit = timeout or None
    # a temporary build (--data, --no-project) is removed at the end: its query runs in a
    # worker, so that a time limit never ends the process before the removal
    on_timeout = _end_command if OWN_PROCESS and not data and project else None
    with contextlib.ExitStack() as stack:
        target: LocalGraph | Endpoint
        if endpoint is not None:
            from conflictkg.sparql.endpoint import Endpoint

            target = Endpoint(endpoint, row_cap=row_cap, expect_complete=expect_complete)
        else:
            built = stack.enter_context(
                built_graph(store, data=data, project=project, rebuild=rebuild)
            )
            target = LocalGraph.from_built(built)
        _run(target, query, params, fmt, output, engine, reasoning, limit, max_rows,
             allow_network, run_all, on_timeout)


def _run(target, query, params, fmt, output, engine, reasoning, limit, max_rows,
         allow_network, run_all, on_timeout) -> None:
    """Answer one query (or --all) on the chosen graph, and exit with its code."""
    import functools

    from conflictkg.atomic import AtomicOutputs
    from conflictkg.sparql.results import serialize
    from conflictkg.sparql.run import run_query

    ask = functools.partial(
        run_query, target, engine=engine, reasoning=reasoning, timeout=limit,
        max_rows=max_rows or None, allow_network=allow_network, on_timeout=on_timeout,
    )
    if run_all:
        if query is not None or params:
            raise QueryError("--all answers every library question: give no query or --param")
        if output is None:
            raise QueryError("--all needs -o FOLDER for the answers")
        raise typer.Exit(_answer_all(ask, output, fmt or "csv"))
    if query is None:
        raise QueryError(
            "give a query: a library id, a .rq file or - (see `conflictkg queries`)"
        )
    chosen = resolve_query(query)
    result = ask(chosen, params=params)
    form = _format_for(result, fmt, output)
    data = serialize(result, form)
    if output is not None:
        with AtomicOutputs() as outputs:
            outputs.write_bytes(output, data)
        typer.echo(f"wrote {output}", err=True)
    else:
        typer.echo(data.decode("utf-8"), nl=False)
    raise typer.Exit(_report(result, chosen.id))


def _answer_all(ask: Callable[..., QueryResult], folder: Path, fmt: str) -> int:
    """Answer every library question into `folder` with `ask`; return the exit code."""
    if fmt == "table" or fmt not in FORMATS:
        raise QueryError(f"--all writes files: choose a format among {', '.join(FORMATS[1:])}")
    from conflictkg.atomic import AtomicOutputs
    from conflictkg.sparql.results import serialize

    questions = library("cq")
    code = ExitCode.OK
    written = []
    with AtomicOutputs() as outputs, progress_bars(elapsed=False) as bar:
        task = bar.add_task("answering", total=len(questions))
        for question in questions:
            bar.update(task, description=question.id)
            result = ask(question)
            graph_form = result.form in ("CONSTRUCT", "DESCRIBE")
            chosen = fmt
            if graph_form != (fmt in GRAPH_FORMATS):
                chosen = "turtle" if graph_form else "csv"
            path = folder / f"{question.id}{EXTENSIONS[chosen]}"
            outputs.write_bytes(path, serialize(result, chosen))
            written.append(path)
            code = max(code, _report(result, question.id))
            bar.advance(task)
    typer.echo(f"wrote {len(written)} answers to {folder}", err=True)
    return code


def queries_command(
    checks: Annotated[
        bool, typer.Option("--checks", help="List the data-quality checks instead.")
    ] = False,
) -> None:
    """List the library: each competency question (or check) with its id.

    Run one with `conflictkg query ID`; parameters are listed with their
    question.

    Exit codes: 0 success; 2 a query file of the library is malformed.
    """
    from rich.console import Console
    from rich.table import Table

    found = library("check" if checks else "cq")
    table = Table(title="Data-quality checks" if checks else "Competency questions",
                  title_justify="left", show_lines=False)
    table.add_column("Id", no_wrap=True)
    table.add_column("Question", overflow="fold")
    if not checks:
        table.add_column("Parameters")
        table.add_column("Reasoning")
    for item in found:
        if checks:
            table.add_row(item.id, item.question)
        else:
            table.add_row(item.id, item.question, ", ".join(item.params), item.reasoning or "")
    Console().print(table)
