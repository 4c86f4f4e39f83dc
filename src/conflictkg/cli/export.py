"""The ``conflictkg export`` command: the graph in the formats researchers' tools open.

``conflictkg export --format F [--format G ...] [--view V] [--status S ...] [-o PATH]``
loads the ontology, the code lists and the data (``graph/**/*.ttl`` plus ``--data`` files)
and writes each format through :mod:`conflictkg.exporters`, atomically. Without ``-o``,
files go to ``out/export/`` (``--out-dir``): ``graph.<ext>`` for the RDF formats and
GeoJSON, ``<view>.<ext>`` for the graph formats, ``<view>-neo4j/`` and ``<view>-csv/`` for
the folder formats. ``--format all`` writes every format. ``conflictkg export --list``
lists them.

Exit codes: 0 written; 1 nothing to export (the view is empty with these filters) or the
data cannot be written in the format (e.g. coordinates out of range); 2 bad input or usage
(unknown format, view or status, bad date, unreadable data file, missing Graphviz for
svg/png, unwritable output).

Examples
--------
>>> import typer
>>> app = typer.Typer()
>>> register(app)
>>> [command.name for command in app.registered_commands]
['export']
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from conflictkg import exporters, resources
from conflictkg.exporters.common import ExportDataError, ExportError, ExportRequest
from conflictkg.rdf.loading import InputError, load_files
from conflictkg.namespaces import CKC
from conflictkg.projection import VIEWS, EmptyProjectionError, Filters

__all__ = ["default_target", "export_command", "register"]

_EXIT_FAILED, _EXIT_BAD_INPUT = 1, 2
_NO_VIEW = ("rdf",)
T = TypeVar("T")


def _fail(message: str, code: int) -> typer.Exit:
    """Print a one-line error on standard error and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def default_target(exporter: exporters.Exporter, view: str, folder: Path) -> Path:
    """Where a format goes when ``-o`` is not given.

    Parameters
    ----------
    exporter : conflictkg.exporters.Exporter
        The format.
    view : str
        The view (ignored by the RDF formats and GeoJSON).
    folder : pathlib.Path
        The ``--out-dir``.

    Returns
    -------
    pathlib.Path
        The file, or the folder of a folder format.

    Examples
    --------
    >>> from conflictkg import exporters
    >>> default_target(exporters.get("gexf"), "actors", Path("out/export")).as_posix()
    'out/export/actors.gexf'
    >>> default_target(exporters.get("neo4j"), "full", Path("out/export")).as_posix()
    'out/export/full-neo4j'
    >>> default_target(exporters.get("jsonld"), "full", Path("out/export")).as_posix()
    'out/export/graph.jsonld'
    """
    if exporter.folder:
        return folder / f"{view}-{exporter.name}"
    stem = "graph" if exporter.input in _NO_VIEW else view
    return folder / f"{stem}{exporter.suffix}"


def _status_names(graph) -> dict[str, str]:
    """Local names and labels of the assertion statuses, lower-cased, to the local name."""
    from rdflib.namespace import RDFS, SKOS

    known: dict[str, str] = {}
    for concept in graph.subjects(SKOS.inScheme, CKC.AssertionStatusScheme):
        local = str(concept)[len(str(CKC)):]
        known[local.lower()] = local
        for predicate in (RDFS.label, SKOS.prefLabel):
            for label in graph.objects(concept, predicate):
                known[str(label).lower()] = local
    return known


def _check_statuses(graph, given: Iterable[str]) -> None:
    known = _status_names(graph)
    if not known:
        return
    for status in given:
        if status.lower() not in known:
            choices = ", ".join(sorted(set(known.values())))
            raise _fail(f"unknown status {status!r}; choose among: {choices}", _EXIT_BAD_INPUT)


class _Tracker:
    """Adapt a rich progress display to the exporters' ``progress(items, total, what)``."""

    def __init__(self, progress: Progress):
        self.progress = progress

    def __call__(self, items: Iterable[T], total: int | None, description: str) -> Iterable[T]:
        task = self.progress.add_task(description, total=total)
        try:
            for item in items:
                yield item
                self.progress.advance(task)
        finally:
            self.progress.remove_task(task)


def export_command(
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="Format to write (repeatable); 'all' for every format. See --list.",
            show_default=False,
        ),
    ] = None,
    view: Annotated[
        str | None,
        typer.Option(
            "--view",
            help="Projection for the graph formats: actors, events, places or full "
            "[default: full]. The RDF formats and GeoJSON do not take one.",
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="Keep only statements with this assertion status (repeatable), e.g. Reported.",
            show_default=False,
        ),
    ] = None,
    exclude_status: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude-status",
            help="Leave out statements with this status (repeatable), e.g. ClaimedByParty.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Leave out what ended before this ISO date.",
                     show_default=False),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Leave out what started after this ISO date.",
                     show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (a folder for neo4j and csv); only with one --format.",
            show_default=False,
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Folder for outputs named by default.")
    ] = Path("out/export"),
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            "-d",
            help="Extra data file to add to the project's graph/ (repeatable).",
            show_default=False,
        ),
    ] = None,
    list_formats: Annotated[
        bool, typer.Option("--list", help="List the formats and exit.")
    ] = False,
) -> None:
    """Export the graph for Gephi, Cytoscape, yEd, Neo4j, QGIS, a browser or an RDF store.

    Loads the ontology, the code lists and the data (graph/**/*.ttl and any
    --data files) and writes each --format atomically: RDF (turtle, ntriples,
    jsonld, trig) and GeoJSON from the whole graph; graphml, gexf, cyjs, dot,
    svg, png, neo4j, csv and html from the --view projection. Status and date
    filters apply to every format (the RDF formats leave out the records that
    fail them). Claims keep their status, source and dates in every format.

    Exit codes: 0 written; 1 the view is empty with these filters, or the data
    cannot be written in the format; 2 bad input or usage (unknown format,
    view or status, bad date, unreadable data file, Graphviz missing for
    svg/png, unwritable output).
    """
    if list_formats:
        _print_formats()
        return
    if not formats:
        raise _fail(
            f"give --format (one of: {', '.join(exporters.names())}, all), or --list",
            _EXIT_BAD_INPUT,
        )
    chosen = _chosen_formats(formats)
    if output is not None and len(chosen) > 1:
        raise _fail("-o/--output names one output: give one --format, or use --out-dir",
                    _EXIT_BAD_INPUT)
    if view is not None and view not in VIEWS:
        raise _fail(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}", _EXIT_BAD_INPUT)
    if view is not None and all(e.input in _NO_VIEW for e in chosen):
        names = ", ".join(e.name for e in chosen)
        raise _fail(
            f"{names} export(s) the whole graph: --view applies to the graph formats "
            "(graphml, gexf, cyjs, dot, svg, png, neo4j, csv, html)",
            _EXIT_BAD_INPUT,
        )
    try:
        filters = Filters(
            statuses=frozenset(status) if status else None,
            exclude_statuses=frozenset(exclude_status or ()),
            since=since,
            until=until,
        )
    except ValueError as error:
        raise _fail(str(error), _EXIT_BAD_INPUT) from None
    view = view or "full"
    if view == "places" and filters.active and any(e.input not in _NO_VIEW for e in chosen):
        raise _fail(
            "the places view has no sourced or dated statements: --status, --exclude-status, "
            "--since and --until do not apply to it",
            _EXIT_BAD_INPUT,
        )
    console = Console()
    errors = Console(stderr=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=errors, transient=True,
                  disable=not errors.is_terminal) as progress:
        task = progress.add_task("loading the graph", total=None)
        try:
            graph = load_files(
                [*resources.ontology_files(), *resources.graph_files(), *(data or ())]
            )
        except InputError as error:
            raise _fail(str(error), _EXIT_BAD_INPUT) from None
        progress.remove_task(task)
        _check_statuses(graph, [*(status or ()), *(exclude_status or ())])
        request = ExportRequest(graph, view=view, filters=filters, progress=_Tracker(progress))
        written: list[tuple[str, list[Path]]] = []
        for exporter in chosen:
            target = output or default_target(exporter, view, out_dir)
            task = progress.add_task(f"writing {exporter.name}", total=None)
            try:
                if exporter.input not in _NO_VIEW:
                    request.network()
                files = exporters.save(exporter.render(request), target, format=exporter.name)
            except EmptyProjectionError as error:
                raise _fail(str(error), _EXIT_FAILED) from None
            except ExportDataError as error:
                raise _fail(f"{exporter.name}: {error}", _EXIT_FAILED) from None
            except (ExportError, ValueError) as error:
                raise _fail(f"{exporter.name}: {error}", _EXIT_BAD_INPUT) from None
            except OSError as error:
                raise _fail(f"cannot write {target}: {error}", _EXIT_BAD_INPUT) from None
            finally:
                progress.remove_task(task)
            written.append((exporter.name, files))
    _print_written(console, written, view, filters)


def _chosen_formats(formats: list[str]) -> list[exporters.Exporter]:
    chosen: list[exporters.Exporter] = []
    for name in formats:
        if name.lower() == "all":
            found = [exporters.get(n) for n in exporters.names()]
            skipped = [e for e in found if e.missing_programs()]
            for exporter in skipped:
                typer.echo(
                    f"note: skipping {exporter.name}: needs {', '.join(exporter.programs)}",
                    err=True,
                )
            found = [e for e in found if e not in skipped]
        else:
            try:
                found = [exporters.get(name)]
            except exporters.UnknownFormatError as error:
                raise _fail(f"{error} (or all)", _EXIT_BAD_INPUT) from None
        chosen.extend(e for e in found if e not in chosen)
    return chosen


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return ""  # pragma: no cover


def _print_written(
    console: Console, written: list[tuple[str, list[Path]]], view: str, filters: Filters
) -> None:
    table = Table(title=f"Exported ({view} view for graph formats; {filters.describe()})",
                  title_justify="left")
    table.add_column("Format")
    table.add_column("File", overflow="fold")
    table.add_column("Size", justify="right")
    cwd = Path.cwd()
    for name, files in written:
        for index, path in enumerate(files):
            shown = path.relative_to(cwd) if path.is_relative_to(cwd) else path
            table.add_row(name if index == 0 else "", str(shown), _size(path))
    console.print(table)


def _print_formats() -> None:
    table = Table(title="Export formats", title_justify="left")
    table.add_column("Format")
    table.add_column("Output")
    table.add_column("What")
    table.add_column("Opens in")
    for name in exporters.names():
        exporter = exporters.get(name)
        output = "folder" if exporter.folder else exporter.suffix
        what = exporter.description
        missing = exporter.missing_programs()
        if missing:
            what += f" (needs {', '.join(missing)}: not installed)"
        table.add_row(name, output, what, exporter.tools)
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to `app`.

    Parameters
    ----------
    app : typer.Typer
        The command-line application (``conflictkg.cli.app``).
    """
    command = export_command
    if "conflictkg.cli" in sys.modules and hasattr(sys.modules["conflictkg.cli"], "guarded"):
        command = sys.modules["conflictkg.cli"].guarded(export_command)
    app.command("export")(command)
