"""The ``conflictkg`` command line.

Commands
--------
``conflictkg build``
    Load the ontology and the graph, validate both, write ``out/graph.ttl``
    and ``out/graph.nt`` if everything conforms, and print a summary.
``conflictkg validate FILE...``
    Validate data files together with the project's shared entities and the
    ontology, and list what fails.

Exit codes: 0 success, 1 the data (or ontology) fails a check, 2 bad input
or usage (unreadable or malformed file, unknown option value), 3 internal
error.
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from conflictkg import __version__, resources
from conflictkg.rdf.loading import InputError, load_files
from conflictkg.pipeline import STAGES, BuildResult, run_build
from conflictkg.summary import Summary
from conflictkg.rdf.validation import ShapesError, Violation, validate, violations

__all__ = [
    "COMMAND_MODULES",
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "OutputFormat",
    "app",
    "guarded",
]

#: Everything passed.
EXIT_OK = 0
#: The data or the ontology fails a check.
EXIT_FAILED = 1
#: Bad input or usage: a missing, unreadable or malformed file, a bad option.
EXIT_BAD_INPUT = 2
#: A bug in conflictkg.
EXIT_INTERNAL = 3

_EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 the data or ontology fails a check; "
    "2 bad input or usage (missing, unreadable or malformed file, unknown option value); "
    "3 internal error."
)

app = typer.Typer(
    name="conflictkg",
    help=(
        "Build and check conflictkg, an RDF knowledge graph of political violence.\n\n"
        + _EXIT_CODES_HELP
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    """How ``conflictkg validate`` prints its results."""

    table = "table"
    json = "json"
    turtle = "turtle"


F = TypeVar("F", bound=Callable[..., Any])


def _error(message: str) -> None:
    """Print an error line on standard error."""
    typer.echo(f"error: {message}", err=True)


def guarded(command: F) -> F:
    """Turn known errors into exit codes 2 and unexpected ones into 3."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except (InputError, resources.DataNotFoundError, ShapesError) as error:
            _error(str(error))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except OSError as error:
            _error(f"cannot write: {error}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception:  # noqa: BLE001 - report any bug with its traceback
            traceback.print_exc(file=sys.stderr)
            _error("internal error (a bug in conflictkg; the traceback is above)")
            raise typer.Exit(EXIT_INTERNAL) from None

    return run  # type: ignore[return-value]


def _show_version(value: bool) -> None:
    """Print the version and stop (eager ``--version`` option)."""
    if value:
        typer.echo(f"conflictkg {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Build and check conflictkg, an RDF knowledge graph of political violence."""


def _violation_table(title: str, found: Sequence[Violation]) -> Table:
    """Lay out validation results as a rich table."""
    table = Table(title=title, show_lines=True, title_justify="left")
    table.add_column("Node", overflow="fold")
    table.add_column("Rule", overflow="fold")
    table.add_column("Message", overflow="fold")
    for item in found:
        node = item.focus_label
        if item.value is not None:
            node += f"\nvalue: {item.value}"
        rule = item.rule if item.rule == item.rule_id else f"{item.rule}\n[{item.rule_id}]"
        if item.severity != "Violation":
            rule = f"({item.severity}) {rule}"
        message = item.message if item.path is None else f"{item.message}\npath: {item.path}"
        table.add_row(node, rule, message, style=None if item.severity == "Violation" else "dim")
    return table


def _count(found: Iterable[Violation], severity: str) -> int:
    return sum(1 for item in found if item.severity == severity)


def _summary_tables(summary: Summary, timings: dict[str, float] | None) -> list[Table]:
    """Lay out the build summary as rich tables."""
    title = f"Resources per class ({summary.triples} data triples)"
    classes = Table(title=title, title_justify="left")
    classes.add_column("Class")
    classes.add_column("IRI")
    classes.add_column("Count", justify="right")
    for row in summary.classes:
        classes.add_row(row.label, row.name, str(row.count))

    sources = Table(title="Sources", title_justify="left")
    sources.add_column("Source", overflow="fold")
    sources.add_column("Kind")
    sources.add_column("Records", justify="right")
    for source in summary.sources:
        sources.add_row(source.label, source.kind, str(source.records))

    statuses = Table(title="Statements per assertion status", title_justify="left")
    statuses.add_column("Status")
    statuses.add_column("IRI")
    statuses.add_column("Records", justify="right")
    for row in summary.statuses:
        statuses.add_row(row.label, row.name, str(row.count))

    tables = [classes, sources, statuses]
    if timings:
        timing = Table(title="Timings", title_justify="left")
        timing.add_column("Stage")
        timing.add_column("Seconds", justify="right")
        for stage in (*STAGES, "total"):
            if stage in timings:
                timing.add_row(stage, f"{timings[stage]:.3f}")
        tables.append(timing)
    return tables


def _print_build(console: Console, result: BuildResult, quiet: bool) -> None:
    """Print what a build found."""
    if result.ontology_violations and (not quiet or not result.ontology_conforms):
        console.print(_violation_table("Ontology check", result.ontology_violations))
    if result.violations and (not quiet or not result.data_conforms):
        console.print(_violation_table("Data check", result.violations))
    if quiet:
        return
    for table in _summary_tables(result.summary, result.timings):
        console.print(table)
    for path in result.written:
        console.print(f"wrote {path}")


@app.command()
@guarded
def build(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for graph.ttl and graph.nt.")
    ] = Path("out"),
    graph: Annotated[
        list[Path] | None,
        typer.Option(
            "--graph",
            "-g",
            help="Extra data file to add to the project's graph/ (repeatable).",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only failures, no summary.")
    ] = False,
) -> None:
    """Validate the ontology and the graph and, if both pass, write the merged graph.

    Loads ontology/*.ttl with ontology/codes/*.ttl, and graph/**/*.ttl plus
    any --graph files; checks the ontology against ontology/ontology-shapes.ttl
    and the data against ontology/shapes.ttl and the data-quality checks of
    queries/checks/; then writes OUT/graph.ttl and
    OUT/graph.nt (ontology, code lists and data together) only if everything
    conforms, replacing both files together.  Prints counts per class,
    sources, statements per assertion status and timings per stage.

    Exit codes: 0 written; 1 a check failed and nothing was written; 2 bad
    input or usage (missing, unreadable or malformed file, unwritable OUT);
    3 internal error.
    """
    console = Console()
    # data-quality checks (queries/checks/): a failure, like a violation, writes nothing
    from conflictkg.sparql.checks import failed, run_checks
    from conflictkg.cli.query import check_table
    from conflictkg.sparql import LocalGraph

    failing = failed(run_checks(LocalGraph.from_project(extra_data=graph or ())))
    result = run_build(out, extra_data=graph or (), write=not failing)
    _print_build(console, result, quiet)
    if failing:
        console.print(check_table(failing))
    if not result.conforms:
        failures = _count(result.violations, "Violation") + _count(
            result.ontology_violations, "Violation"
        )
        _error(f"validation failed with {failures} violation(s); nothing written to {out}")
        raise typer.Exit(EXIT_FAILED)
    if failing:
        _error(f"{len(failing)} data-quality check(s) failed; nothing written to {out}")
        raise typer.Exit(EXIT_FAILED)


@app.command("validate")
@guarded
def validate_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Data files (.ttl, .nt, .trig) to check.", metavar="FILE", show_default=False
        ),
    ],
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table (readable), json (a list of violations) or turtle (the SHACL report).",
        ),
    ] = OutputFormat.table,
) -> None:
    """Check data files against the shapes, with the shared entities and the ontology.

    The files are loaded together with graph/shared/*.ttl (the actors, places
    and sources every report refers to) and validated against
    ontology/shapes.ttl with the ontology and code lists mixed in.  Terms of
    the ckg: namespace that the ontology does not define are reported with the
    nearest defined term.  Warnings are listed but do not fail the check.

    Exit codes: 0 the files conform; 1 a check failed; 2 bad input or usage
    (missing, unreadable or malformed file, unknown --format value);
    3 internal error.
    """
    chosen = {path.resolve() for path in files}
    shared = [path for path in resources.shared_graph_files() if path.resolve() not in chosen]
    data_graph = load_files([*shared, *files])
    ontology_graph = load_files(resources.ontology_files())
    shapes_graph = load_files([resources.shapes_file()])
    conforms, report_graph, _ = validate(
        data_graph, shapes_graph=shapes_graph, ontology_graph=ontology_graph
    )
    found = violations(
        report_graph,
        data_graph=data_graph,
        ontology_graph=ontology_graph,
        shapes_graph=shapes_graph,
    )
    if output is OutputFormat.json:
        typer.echo(json.dumps([item.as_dict() for item in found], indent=2, ensure_ascii=False))
    elif output is OutputFormat.turtle:
        typer.echo(report_graph.serialize(format="turtle"))
    else:
        console = Console()
        if found:
            console.print(_violation_table("Validation results", found))
        errors, warnings = _count(found, "Violation"), len(found) - _count(found, "Violation")
        verdict = "conforms" if conforms else "does not conform"
        console.print(
            f"{verdict}: {len(files)} file(s) checked, {errors} violation(s), "
            f"{warnings} warning(s) or info(s)"
        )
    if not conforms:
        raise typer.Exit(EXIT_FAILED)


#: Modules of conflictkg that add commands to :data:`app`, each through a function
#: ``register(app)``. Feature modules keep their commands next to their code; this list
#: is the one place that makes them live.
COMMAND_MODULES: tuple[str, ...] = ("cli_serve", "cli_export", "cli_analyze", "cli_query")


def _register_commands() -> None:
    """Let every module of :data:`COMMAND_MODULES` add its commands."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"conflictkg.{name}").register(app)


_register_commands()
