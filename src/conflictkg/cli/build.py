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

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console, OverflowMethod
from rich.table import Table

from conflictkg.cli.graph import DataOption, ProjectOption, RebuildOption, StoreOption
from conflictkg.cli.options import EngineOption, checked_engine, format_option
from conflictkg.cli.tables import check_table, count, print_failures, violation_table
from conflictkg.errors import CheckFailedError

if TYPE_CHECKING:
    from conflictkg.pipeline import BuildResult
    from conflictkg.rdf.validation import Violation
    from conflictkg.summary import Summary

__all__ = ["OutputFormat", "build_command", "check_command", "check_table", "validate_command"]


class OutputFormat(StrEnum):
    """How ``conflictkg validate`` prints its results."""

    table = "table"
    json = "json"
    turtle = "turtle"


def _named_counts(
    title: str,
    heading: str,
    unit: str,
    rows: Sequence,
    *,
    overflow: OverflowMethod = "ellipsis",
    every: bool = False,
) -> Table:
    """Lay out rows of a label, an IRI and a count (classes, statuses, voices) as a table."""
    table = Table(title=title, title_justify="left")
    table.add_column(heading, overflow=overflow)
    table.add_column("IRI")
    table.add_column(unit, justify="right")
    for row in rows if every else _most(table, rows, key=lambda row: row.count):
        table.add_row(row.label, row.name, str(row.count))
    return table


# A table lists this many rows at most: a corpus quotes hundreds of voices and sources.
_MOST_ROWS = 25


def _most(table: Table, rows: Sequence, *, key, hint: str = "") -> Sequence:
    """Return the rows a table shows: all, or the largest by `key`, saying how many are left."""
    if len(rows) <= _MOST_ROWS:
        return rows
    table.caption = f"the {_MOST_ROWS} largest of {len(rows)}{hint}"
    table.caption_justify = "left"
    return sorted(rows, key=key, reverse=True)[:_MOST_ROWS]


def _summary_tables(summary: Summary, timings: dict[str, float] | None) -> list[Table]:
    """Lay out the build summary as rich tables."""
    from conflictkg.pipeline import STAGES

    classes = _named_counts(
        f"Resources per class ({summary.triples} data triples)",
        "Class",
        "Count",
        summary.classes,
        every=True,
    )

    sources = Table(title="Sources", title_justify="left")
    sources.add_column("Source", overflow="fold")
    sources.add_column("Kind")
    sources.add_column("Records", justify="right")
    sources.add_column("Entities", justify="right")
    every_source = "; `conflictkg query sources-and-record-counts` lists them all"
    for source in _most(
        sources, summary.sources, key=lambda source: source.records, hint=every_source
    ):
        sources.add_row(source.label, source.kind, str(source.records), str(source.entities))

    statuses = _named_counts(
        "Statements per assertion status", "Status", "Records", summary.statuses
    )
    voices = _named_counts(
        "Voices the sources quote", "Voice", "Records", summary.voices, overflow="fold"
    )

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
    if not result.conforms:
        print_failures(console, result)
    elif not quiet:
        warnings = [v for v in (*result.ontology_violations, *result.violations)]
        if warnings:
            console.print(violation_table("Warnings", warnings))
    if quiet:
        return
    if result.up_to_date:
        console.print(f"{result.out_dir}: up to date (no file changed since the last build)")
    if result.summary is not None:
        for table in _summary_tables(result.summary, result.timings):
            console.print(table)
    if result.loaded and result.scope == "incremental":
        console.print(
            f"loaded and validated {len(result.loaded)} changed file(s) and what they touch"
        )
    for path in result.written:
        console.print(f"wrote {path}")


def build_command(
    out: Annotated[
        Path,
        typer.Option(
            "--store",
            "--out",
            "-o",
            envvar="CONFLICTKG_STORE",
            help="Folder for the built graph (store, graph.ttl, graph.nt): the --store "
            "of every other command.",
        ),
    ] = Path("out"),
    data: DataOption = None,
    project: ProjectOption = True,
    full: Annotated[
        bool,
        typer.Option("--full", help="Load and validate everything, even what did not change."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only failures, no summary.")
    ] = False,
) -> None:
    """Build the graph into OUT/store: load, validate, check, and publish if all passes.

    Reads ontology/*.ttl with ontology/codes/*.ttl, the shapes, the checks of
    queries/checks/, graph/**/*.ttl and any --data files; loads each file into
    its own named graph of an Oxigraph store with bulk loading; validates the
    ontology against ontology/ontology-shapes.ttl and the data against
    ontology/shapes.ttl and the whole-graph rules; runs the data-quality checks;
    then, only if everything passes, writes OUT/graph.ttl and OUT/graph.nt and
    publishes the new store (the previous one stays in use until then).  A build
    whose files did not change does nothing; one where only some data files
    changed loads and validates those and what they touch (--full: everything).
    Prints counts per class, sources, statuses, voices and timings per stage.

    Exit codes: 0 built (or up to date); 1 a check failed and nothing was
    published; 2 bad input or usage (missing, unreadable or malformed file,
    unwritable OUT, another build writing OUT); 3 internal error.
    """
    from conflictkg.cli.progress import progress_bars
    from conflictkg.pipeline import run_build

    console = Console()
    with progress_bars() as bars:
        task = bars.add_task("loading", total=None)

        def advance(stage: str, done: int, total: int) -> None:
            bars.update(task, description=stage, completed=done, total=total)

        result = run_build(
            out, extra_data=data or (), project=project, incremental=not full, progress=advance
        )
        bars.remove_task(task)
    _print_build(console, result, quiet)
    if not result.conforms:
        failures = count(result.violations, "Violation") + count(
            result.ontology_violations, "Violation"
        )
        checks = len(result.failed_checks)
        if failures:
            what = f"validation failed with {failures} violation(s)"
            if checks:
                what += f" and {checks} failed data-quality check(s)"
        else:
            what = f"{checks} data-quality check(s) failed"
        raise CheckFailedError(
            f"{what}; nothing written to {out} (the published graph is unchanged)"
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
    store: StoreOption = Path("out"),
    project: ProjectOption = True,
) -> None:
    """Check data files in the context of the whole graph, and list what concerns them.

    The files are added to the project's built graph (OUT/store, or the project's
    files when nothing is built), each in its own graph, and validated as a
    build validates: shapes, whole-graph rules (undefined terms, unknown
    classes and names, codes, ranges, facts about another file's nodes, each
    with the nearest defined term) and the data-quality checks.  Only the
    results about the given files' nodes are listed; nothing is published.
    Warnings are listed but do not fail the check.

    Exit codes: 0 the files conform; 1 a check failed; 2 bad input or usage
    (missing, unreadable or malformed file, unknown --format value);
    3 internal error.
    """
    import json

    found, checks, conforms = validate_in_context(files, store, project=project)
    if output is OutputFormat.json:
        typer.echo(json.dumps([item.as_dict() for item in found], indent=2, ensure_ascii=False))
    elif output is OutputFormat.turtle:
        typer.echo(_report_turtle(found))
    else:
        console = Console()
        if found:
            console.print(violation_table("Validation results", found))
        if checks:
            console.print(check_table(checks))
        errors, warnings = count(found, "Violation"), len(found) - count(found, "Violation")
        verdict = "conforms" if conforms else "does not conform"
        console.print(
            f"{verdict}: {len(files)} file(s) checked, {errors} violation(s), "
            f"{warnings} warning(s) or info(s)"
            + (f", {len(checks)} failed check(s)" if checks else "")
        )
    if not conforms:
        raise typer.Exit(int(CheckFailedError.exit_code))


def validate_in_context(
    files: Sequence[Path], store: Path, *, project: bool = True, context: Sequence[Path] = ()
) -> tuple[list[Violation], list, bool]:
    """Validate `files` on top of the project's graph; keep what concerns their nodes.

    `context` files are added to the graph too, but results about their own nodes are not
    kept.

    Returns
    -------
    tuple
        The violations about the files' nodes, the failed checks with a finding about
        them, and whether the files conform.
    """
    from conflictkg.pipeline import run_build

    base = store if (store / "store").exists() else None
    result = run_build(
        store, extra_data=[*files, *context], project=project, write=False, base=base
    )
    mine = _nodes_of(files)
    found = [v for v in result.violations if v.focus in mine or not mine]
    checks = [
        check
        for check in result.failed_checks
        if any(str(f.focus) in mine for f in check.findings)
    ]
    conforms = (
        result.ontology_conforms
        and not any(v.severity == "Violation" for v in found)
        and not checks
    )
    return found, checks, conforms


def _nodes_of(files: Sequence[Path]) -> set[str]:
    """Return the IRIs of the subjects and objects of some files (what results concern)."""
    import pyoxigraph as ox

    from conflictkg.rdf.loading import FORMATS, check_path

    nodes: set[str] = set()
    for path in files:
        file, fmt = check_path(path)
        for quad in ox.parse(path=str(file), format=fmt):
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.NamedNode):
                    nodes.add(term.value)
    del FORMATS
    return nodes


def _report_turtle(found: Sequence[Violation]) -> str:
    """Write the results as a small SHACL report in Turtle."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF, SH

    from conflictkg.rdf.loading import new_graph

    graph = new_graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not any(v.severity == "Violation" for v in found))))
    for item in found:
        result = BNode()
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        if item.focus.startswith(("http://", "https://", "urn:")):
            graph.add((result, SH.focusNode, URIRef(item.focus)))
        graph.add((result, SH.resultSeverity, SH[item.severity]))
        graph.add((result, SH.resultMessage, Literal(item.message)))
        shape = URIRef("https://w3id.org/conflictkg/shapes#" + item.rule_id)
        graph.add((result, SH.sourceShape, shape))
    return graph.serialize(format="turtle")


def check_command(
    store: StoreOption = Path("out"),
    data: DataOption = None,
    project: ProjectOption = True,
    rebuild: RebuildOption = False,
    engine: EngineOption = None,
) -> None:
    """Run the data-quality checks (queries/checks/) on the built graph.

    Each check is a SPARQL query whose rows are problems: entities without
    labels, places in no other place, facts without a source, entities that
    share a name, statements dated after their source was published.

    Exit codes: 0 every check passes; 1 a check found problems; 2 bad input
    (no built graph, or one older than its files; unreadable or malformed
    file, unknown engine).
    """
    from conflictkg.cli.graph import built_graph
    from conflictkg.sparql.checks import failed, run_checks
    from conflictkg.sparql.local import LocalGraph

    checked_engine(engine)
    with built_graph(
        store, data=data, project=project, rebuild=rebuild, checks=False
    ) as built:
        results = run_checks(LocalGraph.from_built(built), engine=engine)
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
