"""The ``build``, ``validate`` and ``check`` commands: whether the graph holds together.

``conflictkg build``
    Load the ontology and the graph, validate both, run the data-quality checks, write
    ``out/graph.ttl`` and ``out/graph.nt`` if everything conforms, and print a summary.
``conflictkg validate FILE...``
    Validate data files together with the project's shared entities and the ontology,
    and list what fails.
``conflictkg check``
    Run the data-quality checks of ``queries/checks/`` and list what fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from conflictkg.cli.options import GraphFilesOption, format_option
from conflictkg.errors import CheckFailedError
from conflictkg.sparql.library import ENGINES

if TYPE_CHECKING:
    from conflictkg.pipeline import BuildResult
    from conflictkg.rdf.validation import Violation
    from conflictkg.sparql.checks import CheckResult
    from conflictkg.summary import Summary

__all__ = ["OutputFormat", "build_command", "check_command", "check_table", "validate_command"]


class OutputFormat(StrEnum):
    """How ``conflictkg validate`` prints its results."""

    table = "table"
    json = "json"
    turtle = "turtle"


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
    from conflictkg.pipeline import STAGES

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
    sources.add_column("Entities", justify="right")
    for source in summary.sources:
        sources.add_row(source.label, source.kind, str(source.records), str(source.entities))

    statuses = Table(title="Statements per assertion status", title_justify="left")
    statuses.add_column("Status")
    statuses.add_column("IRI")
    statuses.add_column("Records", justify="right")
    for row in summary.statuses:
        statuses.add_row(row.label, row.name, str(row.count))

    voices = Table(title="Voices the sources quote", title_justify="left")
    voices.add_column("Voice", overflow="fold")
    voices.add_column("IRI")
    voices.add_column("Records", justify="right")
    for row in summary.voices:
        voices.add_row(row.label, row.name, str(row.count))

    tables = [classes, sources, statuses, voices]
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


def build_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for graph.ttl and graph.nt.")
    ] = Path("out"),
    graph: GraphFilesOption = None,
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
    from conflictkg.pipeline import run_build
    from conflictkg.sparql.checks import failed, run_checks
    from conflictkg.sparql.local import LocalGraph

    console = Console()
    # data-quality checks (queries/checks/): a failure, like a violation, writes nothing
    failing = failed(run_checks(LocalGraph.from_project(extra_data=graph or ())))
    result = run_build(out, extra_data=graph or (), write=not failing)
    _print_build(console, result, quiet)
    if failing:
        console.print(check_table(failing))
    if not result.conforms:
        failures = _count(result.violations, "Violation") + _count(
            result.ontology_violations, "Violation"
        )
        raise CheckFailedError(
            f"validation failed with {failures} violation(s); nothing written to {out}"
        )
    if failing:
        raise CheckFailedError(
            f"{len(failing)} data-quality check(s) failed; nothing written to {out}"
        )


def validate_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Data files (.ttl, .nt, .trig) to check.", metavar="FILE", show_default=False
        ),
    ],
    output: Annotated[
        OutputFormat,
        format_option(
            "table (readable), json (a list of violations) or turtle (the SHACL report)."
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
    import json

    from conflictkg import resources
    from conflictkg.rdf.loading import load_files
    from conflictkg.rdf.validation import check

    chosen = {path.resolve() for path in files}
    shared = [path for path in resources.shared_graph_files() if path.resolve() not in chosen]
    data_graph = load_files([*shared, *files])
    ontology_graph = load_files(resources.ontology_files())
    shapes_graph = load_files([resources.shapes_file()])
    conforms, report_graph, found = check(
        data_graph, shapes_graph=shapes_graph, ontology_graph=ontology_graph
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
        raise typer.Exit(int(CheckFailedError.exit_code))


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
    from conflictkg.sparql.checks import failed

    table = Table(title="Data-quality checks", title_justify="left", show_lines=True)
    table.add_column("Check", overflow="fold")
    table.add_column("Node", overflow="fold")
    table.add_column("Message", overflow="fold")
    for result in failed(results):
        for finding in result.findings:
            table.add_row(result.id, finding.label, finding.message)
    return table


def check_command(
    graph: GraphFilesOption = None,
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
    from conflictkg.errors import QueryError
    from conflictkg.sparql.checks import failed, run_checks
    from conflictkg.sparql.local import LocalGraph

    if engine is not None and engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    results = run_checks(LocalGraph.from_project(extra_data=graph or ()), engine=engine)
    console = Console()
    bad = failed(results)
    if bad:
        console.print(check_table(results))
    problems = sum(len(result.findings) for result in bad)
    console.print(
        f"{len(results) - len(bad)} of {len(results)} checks pass; {problems} problem(s) found"
    )
    if bad:
        raise typer.Exit(int(CheckFailedError.exit_code))
