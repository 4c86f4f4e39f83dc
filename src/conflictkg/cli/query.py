"""The ``conflictkg query``, ``conflictkg queries`` and ``conflictkg check`` commands.

``conflictkg query NAME|FILE|-``
    Run a library question by id, a query file, or a query from standard
    input, on the project's graph (Oxigraph or rdflib) or on a remote SPARQL
    endpoint; print a table or write CSV, TSV, JSON, XML, Turtle, N-Triples
    or JSON-LD.  ``--all`` answers every library question into a folder.
``conflictkg queries``
    List the library: id and question.
``conflictkg check``
    Run the data-quality checks of ``queries/checks/`` and list what fails.

Exit codes: 0 success; 1 the answer is incomplete (row limit, or an endpoint
that cut it) or a check found problems; 2 bad input or usage (syntax error,
unknown query or parameter, unknown or ambiguous label, refused network
access, query stopped by its time limit, unreachable endpoint); 3 internal
error.

Examples
--------
>>> import typer
>>> app = typer.Typer()
>>> register(app)
>>> sorted(command.name for command in app.registered_commands)
['check', 'queries', 'query']
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from conflictkg.atomic import AtomicOutputs
from conflictkg.sparql.checks import CheckResult, failed, run_checks
from conflictkg.sparql import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    ENGINES,
    EXTENSIONS,
    FORMATS,
    GRAPH_FORMATS,
    Endpoint,
    LocalGraph,
    QueryError,
    QueryResult,
    format_for_path,
    library,
    resolve_query,
    run_query,
    serialize,
)

__all__ = ["check_command", "queries_command", "query_command", "register"]

_EXIT_OK, _EXIT_FAILED, _EXIT_BAD_INPUT = 0, 1, 2


def _fail(message: str, code: int = _EXIT_BAD_INPUT) -> typer.Exit:
    """Print a one-line error on standard error and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _parse_params(values: list[str]) -> dict[str, list[str]]:
    """Turn ``name=value`` options into a mapping (a repeated name gives several values)."""
    params: dict[str, list[str]] = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise _fail(f"--param {item!r}: expected NAME=VALUE, e.g. --param actor=JNIM")
        params.setdefault(name, []).append(value)
    return params


def _report(result: QueryResult, name: str) -> int:
    """Print notes and warnings of a result on standard error; return its exit code."""
    for note in result.notes:
        typer.echo(f"note: {name}: {note}", err=True)
    if result.incomplete:
        typer.echo(f"warning: {name}: {result.incomplete}", err=True)
        return _EXIT_FAILED
    return _EXIT_OK


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
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {', '.join(FORMATS)} (default: from the -o extension, "
            "else table).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (with --all: this folder), atomically.",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine", "-e", help=f"Local engine: {' or '.join(ENGINES)} (default oxigraph)."
        ),
    ] = None,
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
    graph: Annotated[
        list[Path] | None,
        typer.Option(
            "--graph", "-g", help="Extra data file to add to the project's graph/ (repeatable)."
        ),
    ] = None,
    run_all: Annotated[
        bool,
        typer.Option("--all", help="Answer every library question into the folder given by -o."),
    ] = False,
) -> None:
    """Run a SPARQL query: a library question, a file, or standard input.

    Local queries run on the project's graph (ontology, code lists and
    graph/**/*.ttl, plus --graph files) and never reach the network: SERVICE,
    FROM and LOAD are refused unless --allow-network is given.  Parameters
    replace the defaults the query states in VALUES or BIND, as terms, never
    as pasted text; a label or alias resolves to the one entity it names.

    Exit codes: 0 success; 1 the answer is incomplete (row limit reached, or
    cut by the endpoint); 2 bad input or usage (syntax error with line and
    column, unknown query, parameter or label, ambiguous label, refused
    network access, time limit reached, endpoint error); 3 internal error.
    """
    try:
        if fmt is not None and fmt not in FORMATS:
            raise QueryError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
        if engine is not None and engine not in ENGINES:
            raise QueryError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
        if reasoning is not None and reasoning not in ("rdfs", "none"):
            raise QueryError(f"unknown reasoning {reasoning!r}; expected rdfs or none")
        if endpoint is None and (expect_complete or row_cap is not None):
            raise QueryError("--expect-complete and --row-cap apply to --endpoint only")
        if endpoint is not None and (engine is not None or graph):
            raise QueryError("--engine and --graph apply to the local graph, not to --endpoint")
        params = _parse_params(param or [])
        limit = timeout or None
        target: LocalGraph | Endpoint
        if endpoint is not None:
            target = Endpoint(endpoint, row_cap=row_cap, expect_complete=expect_complete)
        else:
            target = LocalGraph.from_project(extra_data=graph or ())
        if run_all:
            if query is not None or params:
                raise QueryError("--all answers every library question: give no query or --param")
            if output is None:
                raise QueryError("--all needs -o FOLDER for the answers")
            code = _answer_all(
                target, output, fmt or "csv", engine, reasoning, limit, max_rows, allow_network
            )
            raise typer.Exit(code)
        if query is None:
            raise QueryError(
                "give a query: a library id, a .rq file or - (see `conflictkg queries`)"
            )
        chosen = resolve_query(query)
        result = run_query(
            target,
            chosen,
            params=params,
            engine=engine,
            reasoning=reasoning,
            timeout=limit,
            max_rows=max_rows or None,
            allow_network=allow_network,
        )
        form = _format_for(result, fmt, output)
        data = serialize(result, form)
    except QueryError as error:
        raise _fail(error.message) from None
    if output is not None:
        with AtomicOutputs() as outputs:
            outputs.write_bytes(output, data)
        typer.echo(f"wrote {output}", err=True)
    else:
        typer.echo(data.decode("utf-8"), nl=False)
    raise typer.Exit(_report(result, chosen.id))


def _answer_all(
    target: LocalGraph | Endpoint,
    folder: Path,
    fmt: str,
    engine: str | None,
    reasoning: str | None,
    timeout: float | None,
    max_rows: int,
    allow_network: bool,
) -> int:
    """Answer every library question into `folder`; return the exit code."""
    if fmt == "table" or fmt not in FORMATS:
        raise QueryError(f"--all writes files: choose a format among {', '.join(FORMATS[1:])}")
    questions = library("cq")
    code = _EXIT_OK
    written = []
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    progress = Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    )
    with AtomicOutputs() as outputs, progress as bar:
        task = bar.add_task("answering", total=len(questions))
        for question in questions:
            bar.update(task, description=question.id)
            result = run_query(
                target,
                question,
                engine=engine,
                reasoning=reasoning,
                timeout=timeout,
                max_rows=max_rows or None,
                allow_network=allow_network,
            )
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
    try:
        found = library("check" if checks else "cq")
    except QueryError as error:
        raise _fail(error.message) from None
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


def check_table(results: list[CheckResult]) -> Table:
    """Lay out the findings of failed checks as a rich table.

    Parameters
    ----------
    results : list of CheckResult
        Results of :func:`conflictkg.sparql.checks.run_checks`.

    Returns
    -------
    rich.table.Table
        One row per finding.
    """
    table = Table(title="Data-quality checks", title_justify="left", show_lines=True)
    table.add_column("Check", overflow="fold")
    table.add_column("Node", overflow="fold")
    table.add_column("Message", overflow="fold")
    for result in failed(results):
        for finding in result.findings:
            table.add_row(result.id, finding.label, finding.message)
    return table


def check_command(
    graph: Annotated[
        list[Path] | None,
        typer.Option(
            "--graph", "-g", help="Extra data file to add to the project's graph/ (repeatable)."
        ),
    ] = None,
    engine: Annotated[
        str | None, typer.Option("--engine", "-e", help=f"Engine: {' or '.join(ENGINES)}.")
    ] = None,
) -> None:
    """Run the data-quality checks (queries/checks/) on the project's graph.

    Each check is a SPARQL query whose rows are problems: entities without
    labels, places in no other place, events without a source, entities that
    share a name, statements dated after their source was published.

    Exit codes: 0 every check passes; 1 a check found problems; 2 bad input
    (unreadable or malformed file, unknown engine).
    """
    try:
        if engine is not None and engine not in ENGINES:
            raise QueryError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
        results = run_checks(LocalGraph.from_project(extra_data=graph or ()), engine=engine)
    except QueryError as error:
        raise _fail(error.message) from None
    console = Console()
    bad = failed(results)
    if bad:
        console.print(check_table(results))
    problems = sum(len(result.findings) for result in bad)
    console.print(
        f"{len(results) - len(bad)} of {len(results)} checks pass; {problems} problem(s) found"
    )
    if bad:
        raise typer.Exit(_EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Add the ``query``, ``queries`` and ``check`` commands to `app`.

    Parameters
    ----------
    app : typer.Typer
        The command-line application (``conflictkg.cli.app``).
    """
    from conflictkg.cli import guarded

    app.command("query")(guarded(query_command))
    app.command("queries")(guarded(queries_command))
    app.command("check")(guarded(check_command))
