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
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from conflictkg.cli.graph import DataOption, ProjectOption, RebuildOption, StoreOption
from conflictkg.cli.options import (
    ExcludeStatusOption,
    SinceOption,
    StatusOption,
    UntilOption,
    format_option,
    output_option,
)
from conflictkg.cli.progress import progress_bars
from conflictkg.errors import CheckFailedError, ExportDataError, ExportError, UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from conflictkg.exporters import Exporter
    from conflictkg.projection.filters import Filters

__all__ = ["default_target", "export_command"]

_NO_VIEW = ("rdf",)
_VIEWS = ("actors", "events", "places", "full")
T = TypeVar("T")


def default_target(exporter: Exporter, view: str, folder: Path) -> Path:
    """Where a format goes when ``-o`` is not given.

    Parameters
    ----------
    exporter : conflictkg.exporters.registry.Exporter
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
        format_option(
            "Format to write (repeatable); 'all' for every format. See --list.",
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
    status: StatusOption = None,
    exclude_status: ExcludeStatusOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    output: Annotated[
        Path | None,
        output_option("File to write (a folder for neo4j and csv); only with one --format."),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Folder for outputs named by default.")
    ] = Path("out/export"),
    data: DataOption = None,
    project: ProjectOption = True,
    store: StoreOption = Path("out"),
    rebuild: RebuildOption = False,
    list_formats: Annotated[
        bool, typer.Option("--list", help="List the formats and exit.")
    ] = False,
) -> None:
    """Export the graph for Gephi, Cytoscape, yEd, Neo4j, QGIS, a browser or an RDF store.

    Reads the built graph (--store; with --data files, a temporary build that
    adds them) and writes each --format atomically: RDF (turtle, ntriples,
    jsonld, trig) and GeoJSON from the whole graph (they accept --view full,
    the default, and no other view); graphml, yed, gexf, cyjs, dot, svg, png,
    neo4j, csv and html from the --view projection. Status and date
    filters apply to every format (the RDF formats leave out the records that
    fail them). Claims keep their status, source and dates in every format.

    Exit codes: 0 written; 1 the view is empty with these filters, or the data
    cannot be written in the format; 2 bad input or usage (unknown format,
    view or status, bad date, unreadable data file, Graphviz missing for
    svg/png, unwritable output).
    """
    from rich.console import Console

    from conflictkg import exporters
    from conflictkg.cli.graph import built_graph
    from conflictkg.exporters.common import ExportRequest
    from conflictkg.projection.filters import Filters
    from conflictkg.store.view import rdflib_view

    if list_formats:
        _print_formats()
        return
    if not formats:
        raise UsageError(f"give --format (one of: {', '.join(exporters.names())}, all), or --list")
    chosen = _chosen_formats(formats)
    if output is not None and len(chosen) > 1:
        raise UsageError("-o/--output names one output: give one --format, or use --out-dir")
    if view is not None and view not in _VIEWS:
        raise UsageError(f"unknown view {view!r}; choose one of: {', '.join(_VIEWS)}")
    if view not in (None, "full") and all(e.input in _NO_VIEW for e in chosen):
        names = ", ".join(e.name for e in chosen)
        raise UsageError(
            f"{names} export(s) the whole graph: --view applies to the graph formats "
            "(graphml, yed, gexf, cyjs, dot, svg, png, neo4j, csv, html)"
        )
    Filters(since=since, until=until)  # bad dates fail before the graph is loaded
    view = view or "full"
    active = bool(status or exclude_status or since or until)
    if view == "places" and active and any(e.input not in _NO_VIEW for e in chosen):
        raise UsageError(
            "the places view has no sourced or dated statements: --status, --exclude-status, "
            "--since and --until do not apply to it"
        )
    console = Console()
    with progress_bars() as progress, built_graph(
        store, data=data, project=project, rebuild=rebuild
    ) as built:
        graph = rdflib_view(built.store())
        filters = Filters.resolved(
            graph, statuses=status, exclude_statuses=exclude_status or (), since=since, until=until
        )
        request = ExportRequest(graph, view=view, filters=filters, progress=_Tracker(progress))
        written: list[tuple[str, list[Path]]] = []
        for exporter in chosen:
            target = output or default_target(exporter, view, out_dir)
            task = progress.add_task(f"writing {exporter.name}", total=None)
            try:
                files = exporters.save(exporter.render(request), target, format=exporter.name)
            except ExportDataError as error:
                raise ExportDataError(f"{exporter.name}: {error}") from None
            except CheckFailedError:
                raise
            except (ExportError, ValueError) as error:
                raise ExportError(f"{exporter.name}: {error}") from None
            except OSError as error:
                raise ExportError(f"cannot write {target}: {error}") from None
            finally:
                progress.remove_task(task)
            written.append((exporter.name, files))
    _print_written(console, written, view, filters)


def _chosen_formats(formats: list[str]) -> list[Exporter]:
    from conflictkg import exporters

    chosen: list[Exporter] = []
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
                raise UsageError(f"{error} (or all)") from None
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
    from rich.table import Table

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
    from rich.console import Console
    from rich.table import Table

    from conflictkg import exporters

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
