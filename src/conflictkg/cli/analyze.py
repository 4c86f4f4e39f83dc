"""The ``conflictkg analyze`` commands: network analyses that explain their answers.

``conflictkg analyze centrality``
    Rank entities by degree, betweenness, PageRank and eigenvector centrality.
``conflictkg analyze path SOURCE TARGET``
    Shortest (all shortest, or k shortest) paths, each hop told as a sentence with its
    predicate, status, source and dates.
``conflictkg analyze communities``
    Louvain or greedy-modularity communities, or camps of allies (``--camps``).
``conflictkg analyze ego ENTITY``
    The entities within ``--radius`` ties of one entity, and the statements about it.
``conflictkg analyze balance``
    The signed actor network's triangles, balanced or not, and the balance ratio.
``conflictkg analyze timeline``
    The events in time order with their dates and precision.

Every command reads the project's ontology, code lists and graph (plus ``--data`` files),
projects a view (``--view``) with the ``--status``, ``--exclude-status``, ``--since`` and
``--until`` filters, prints a table, CSV or JSON (``--format``, to ``--output`` if given),
and draws the result with ``--plot FILE.png|svg|pdf``. Entities are named by label, alias,
IRI or compact IRI; an unknown or ambiguous name lists the candidates.

Exit codes: 0 success; 1 no answer in the data (no path, or a view the filters left
empty); 2 bad input or usage (unknown or ambiguous label, bad status or date, unreadable
file, unsupported plot file); 3 internal error.

Examples
--------
>>> import typer
>>> app = typer.Typer()
>>> register(app)
>>> [group.name for group in app.registered_groups]
['analyze']
>>> sorted(command.name for command in analyze_app.registered_commands)
['balance', 'centrality', 'communities', 'ego', 'path', 'timeline']
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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
from rich.text import Text

from conflictkg import resources
from conflictkg.analysis import plotting
from conflictkg.analysis.balance import PATTERNS, structural_balance
from conflictkg.analysis.centrality import MEASURES, centrality
from conflictkg.analysis.communities import communities
from conflictkg.analysis.ego import ego_members, ego_network
from conflictkg.analysis.paths import NoPathError, describe_statement, explained_paths
from conflictkg.analysis.resolve import (
    ResolutionError,
    UnknownStatusError,
    resolve,
    resolve_status,
)
from conflictkg.analysis.ties import statements_of, when
from conflictkg.analysis.timeline import timeline
from conflictkg.atomic import AtomicOutputs
from conflictkg.rdf.loading import load_files, new_graph
from conflictkg.projection import EmptyProjectionError, Filters, project

__all__ = ["LARGE", "analyze_app", "register"]

_EXIT_NO_ANSWER, _EXIT_BAD_INPUT = 1, 2
_KINDS = ("actor", "event", "place", "relation", "count", "record", "source", "other")
#: Views with more entities than this get a note that exact betweenness may take long.
LARGE = 5000

analyze_app = typer.Typer(
    name="analyze",
    help=(
        "Network analyses of actors and events (centrality, paths, communities, ego "
        "networks, structural balance, timeline), each answer explained.\n\n"
        "Exit codes: 0 success; 1 no answer in the data (no path, or a view left empty by "
        "the filters); 2 bad input or usage (unknown or ambiguous label, bad status, date or "
        "plot file, unreadable data); 3 internal error."
    ),
    no_args_is_help=True,
    add_completion=False,
)


class View(StrEnum):
    """Projections the analyses can run on."""

    actors = "actors"
    events = "events"
    places = "places"
    full = "full"


class Format(StrEnum):
    """How results are printed."""

    table = "table"
    csv = "csv"
    json = "json"


class Method(StrEnum):
    """Community detection methods."""

    louvain = "louvain"
    greedy = "greedy"


class Measure(StrEnum):
    """Centrality measures."""

    degree = "degree"
    betweenness = "betweenness"
    pagerank = "pagerank"
    eigenvector = "eigenvector"


# --- shared options -------------------------------------------------------------------

ViewOption = Annotated[
    View, typer.Option("--view", case_sensitive=False, help="The projection to analyse.")
]
StatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        help="Keep only statements with this assertion status (repeatable), e.g. reported; "
        "by name (ClaimedByParty), label or notation (claimed).",
        show_default=False,
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude-status",
        help="Leave out statements with this status (repeatable), e.g. claimed, unconfirmed.",
        show_default=False,
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Leave out statements known to end before this ISO date "
        "(YYYY, YYYY-MM or YYYY-MM-DD).",
        show_default=False,
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until",
        help="Leave out statements known to start after this ISO date.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the output to this file (atomically) instead of standard output.",
        show_default=False,
    ),
]
PlotOption = Annotated[
    Path | None,
    typer.Option(
        "--plot", help="Draw the result to this .png, .svg or .pdf file.", show_default=False
    ),
]
DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        help="Extra data file (.ttl, .nt, .trig) to analyse with the project's graph (repeatable).",
        show_default=False,
    ),
]
ProjectOption = Annotated[
    bool,
    typer.Option(
        "--project/--no-project",
        help="Include the project's graph/ data (the ontology and code lists are always loaded).",
    ),
]


class _AnalysisError(Exception):
    """An expected failure: print the message and exit with the code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _fail_exit(error: _AnalysisError) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(error.code)


class _Steps:
    """Progress bars on standard error, shown only on a terminal."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
            disable=not self.console.is_terminal,
        )

    @contextmanager
    def step(self, description: str, total: int | None = None) -> Iterator[Callable]:
        task = self.progress.add_task(description, total=total)

        def update(done: int, all_: int | None = None) -> None:
            self.progress.update(task, completed=done, total=all_ if all_ is not None else total)

        try:
            yield update
        finally:
            self.progress.remove_task(task)


@contextmanager
def _running() -> Iterator[_Steps]:
    steps = _Steps()
    with steps.progress:
        try:
            yield steps
        except _AnalysisError as error:
            steps.progress.stop()
            raise _fail_exit(error) from None


def _load(steps: _Steps, data: list[Path] | None, with_project: bool):
    files = [*resources.ontology_files()]
    if with_project:
        files += resources.graph_files()
    files += list(data or [])
    if not with_project and not data:
        raise _AnalysisError(
            "nothing to analyse: give --data FILE or leave out --no-project", _EXIT_BAD_INPUT
        )
    graph = new_graph()
    with steps.step("loading", total=len(files)) as update:
        for done, path in enumerate(files, start=1):
            load_files([path], graph=graph)
            update(done)
    return graph


def _filters(graph, statuses, excluded, since, until) -> Filters:
    try:
        keep = None if not statuses else frozenset(resolve_status(graph, s) for s in statuses)
        drop = frozenset(resolve_status(graph, s) for s in excluded or ())
        return Filters(statuses=keep, exclude_statuses=drop, since=since, until=until)
    except (UnknownStatusError, ValueError) as error:
        raise _AnalysisError(str(error), _EXIT_BAD_INPUT) from None


def _check_dates(since: str | None, until: str | None) -> None:
    try:
        Filters(since=since, until=until)
    except ValueError as error:
        raise _AnalysisError(str(error), _EXIT_BAD_INPUT) from None


def _check_plot(plot: Path | None) -> None:
    if plot is not None:
        try:
            plotting.plot_format(plot)
        except ValueError as error:
            raise _AnalysisError(str(error), _EXIT_BAD_INPUT) from None


def _prepare(steps, *, view, data, with_project, statuses, excluded, since, until):
    """Load the graph and project the view with the filters."""
    graph = _load(steps, data, with_project)
    filters = _filters(graph, statuses, excluded, since, until)
    with steps.step(f"projecting the {view} view"):
        try:
            net = project(graph, str(view), filters=filters)
        except EmptyProjectionError as error:
            raise _AnalysisError(str(error), _EXIT_NO_ANSWER) from None
        except ValueError as error:
            raise _AnalysisError(str(error), _EXIT_BAD_INPUT) from None
    return graph, net, filters


def _resolve(graph, net, text: str) -> str:
    try:
        return resolve(graph, text, among=net)
    except ResolutionError as error:
        message = str(error) + ("; try another --view" if error.outside else "")
        raise _AnalysisError(message, _EXIT_BAD_INPUT) from None


def _emit(text: str | Callable[[int | None], str], output: Path | None) -> None:
    """Print `text` or write it to `output`; a callable renders at the right width."""
    if output is None:
        if callable(text):
            text = text(None)
        typer.echo(text, nl=not text.endswith("\n"))
        return
    if callable(text):
        text = text(200)
    with AtomicOutputs() as outputs:
        outputs.write_text(output, text if text.endswith("\n") else text + "\n")


def _render(*items: Any) -> Callable[[int | None], str]:
    """Render rich tables and plain lines to text, at the terminal's width or a given one.

    Cells and lines are plain text: brackets in labels are never read as markup.
    """

    def render(width: int | None) -> str:
        buffer = io.StringIO()
        if width is None:
            width = Console().width
        console = Console(file=buffer, width=width, color_system=None)
        for item in items:
            if isinstance(item, str):
                console.print(Text(item), soft_wrap=True)
            else:
                console.print(item)
        return buffer.getvalue()

    return render


def _table(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[str] = ()
) -> Table:
    table = Table(title=Text(title), title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    return table


def _csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return buffer.getvalue()


def _json(payload: dict) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _header(net) -> dict:
    return {"view": net.graph.get("view"), "filters": net.graph.get("filters")}


def _draw(steps: _Steps, plot: Path | None, draw: Callable[[], Path]) -> None:
    if plot is None:
        return
    with steps.step(f"drawing {plot}"):
        draw()
    steps.console.print(Text(f"drew {plot}"), highlight=False)


# --- commands -------------------------------------------------------------------------


def centrality_command(
    view: ViewOption = View.actors,
    measure: Annotated[
        list[Measure] | None,
        typer.Option(
            "--measure",
            "-m",
            case_sensitive=False,
            help="Measure to compute (repeatable); default all four.",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        Measure | None,
        typer.Option(
            "--by",
            case_sensitive=False,
            help="Sort by this measure (default betweenness).",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option("--top", "-n", min=1, help="Show this many rows.", show_default=False),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="List only entities of this kind: actor, event, place, "
            "relation, count, record, source (repeatable).",
            show_default=False,
        ),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample",
            min=1,
            help="Estimate betweenness from this many random sources (for large graphs).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the --sample.")] = 0,
    status: StatusOption = None,
    exclude_status: ExcludeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
    plot: PlotOption = None,
    data: DataOption = None,
    with_project: ProjectOption = True,
) -> None:
    """Rank entities by centrality: who is tied to many, who bridges, who is tied to the central.

    Computed on the view's ties (undirected, one per linked pair, unweighted): degree,
    betweenness, PageRank and eigenvector centrality, with each entity's label and type.
    """
    with _running() as steps:
        _check_dates(since, until)
        _check_plot(plot)
        unknown = sorted(set(kind or ()) - set(_KINDS))
        if unknown:
            raise _AnalysisError(
                f"unknown --kind {', '.join(unknown)}; use one of: {', '.join(_KINDS)}",
                _EXIT_BAD_INPUT,
            )
        measures = [m.value for m in measure] if measure else list(MEASURES)
        if by is not None and by.value not in measures:
            raise _AnalysisError(
                f"--by {by.value}: that measure is not among --measure {', '.join(measures)}",
                _EXIT_BAD_INPUT,
            )
        _, net, _ = _prepare(
            steps,
            view=view,
            data=data,
            with_project=with_project,
            statuses=status,
            excluded=exclude_status,
            since=since,
            until=until,
        )
        if "betweenness" in measures and sample is None and net.number_of_nodes() > LARGE:
            steps.console.print(
                Text(
                    f"note: exact betweenness on {net.number_of_nodes():,} entities may take "
                    "long; --sample K estimates it from K sources"
                ),
                highlight=False,
            )
        with steps.step("betweenness" if "betweenness" in measures else "centrality") as update:
            rows = centrality(
                net,
                measures=measures,
                by=by.value if by else None,
                kinds=kind or None,
                sample=sample,
                seed=seed,
                progress=update,
            )
        if not rows:
            raise _AnalysisError(
                f"no entity of kind {', '.join(kind or [])} in the {view} view", _EXIT_NO_ANSWER
            )
        shown = rows[:top] if top else rows
        columns = ["rank", "label", "type", "ties", *measures]
        sorted_by = (
            by.value if by else ("betweenness" if "betweenness" in measures else measures[0])
        )
        if output_format is Format.json:
            text = _json(
                {**_header(net), "measures": measures, "rows": [row.as_dict() for row in shown]}
            )
        elif output_format is Format.csv:
            text = _csv(
                ["rank", "iri", "label", "type", "kind", "ties", *measures],
                [list(row.as_dict().values()) for row in shown],
            )
        else:
            title = (
                f"Centrality in the {view} view ({net.number_of_nodes()} entities, "
                f"{net.graph.get('filters')}), sorted by {sorted_by}"
            )
            if sample:
                title += f"; betweenness estimated from {sample} sources"
            text = _render(
                _table(
                    title,
                    columns,
                    [
                        [
                            row.rank,
                            row.label,
                            row.type,
                            row.ties,
                            *(f"{row.scores[m]:.4f}" for m in measures),
                        ]
                        for row in shown
                    ],
                    right=("rank", "ties", *measures),
                )
            )
        _emit(text, output)
        _draw(steps, plot, lambda: plotting.plot_centrality(net, rows, plot))


def path_command(
    source: Annotated[
        str,
        typer.Argument(help="Where the path starts: a label, alias or IRI.", show_default=False),
    ],
    target: Annotated[str, typer.Argument(help="Where it ends.", show_default=False)],
    view: ViewOption = View.actors,
    all_shortest: Annotated[bool, typer.Option("--all", help="Every shortest path.")] = False,
    k: Annotated[
        int | None,
        typer.Option(
            "--k",
            "-k",
            min=1,
            help="The k shortest paths (longer ones included).",
            show_default=False,
        ),
    ] = None,
    status: StatusOption = None,
    exclude_status: ExcludeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
    plot: PlotOption = None,
    data: DataOption = None,
    with_project: ProjectOption = True,
) -> None:
    """Explain how two entities are connected, hop by hop, with predicate, source and status.

    Paths are searched without direction; each hop is told in the direction of the statement
    behind it. When several statements link two entities, the most firmly asserted is told
    and the others are counted (all are in --format json and csv).
    """
    with _running() as steps:
        _check_dates(since, until)
        _check_plot(plot)
        if k is not None and all_shortest:
            raise _AnalysisError("give either --all or --k, not both", _EXIT_BAD_INPUT)
        graph, net, filters = _prepare(
            steps,
            view=view,
            data=data,
            with_project=with_project,
            statuses=status,
            excluded=exclude_status,
            since=since,
            until=until,
        )
        start, end = _resolve(graph, net, source), _resolve(graph, net, target)
        if start == end:
            raise _AnalysisError(f"{source!r} and {target!r} name the same entity", _EXIT_BAD_INPUT)
        with steps.step("searching paths"):
            try:
                paths = explained_paths(net, start, end, k=k, all_shortest=all_shortest)
            except NoPathError as error:
                raise _AnalysisError(str(error), _EXIT_NO_ANSWER) from None
        if output_format is Format.json:
            text = _json(
                {
                    **_header(net),
                    "source": start,
                    "target": end,
                    "paths": [p.as_dict() for p in paths],
                }
            )
        elif output_format is Format.csv:
            rows = []
            for number, found in enumerate(paths, start=1):
                for step, hop in enumerate(found.hops, start=1):
                    for rank, (statement, sentence) in enumerate(
                        zip(hop.statements, hop.sentences, strict=True), start=1
                    ):
                        a = statement.attrs
                        rows.append(
                            [
                                number,
                                step,
                                rank,
                                str(hop.start),
                                str(hop.end),
                                str(statement.subject),
                                a.get("predicate"),
                                a.get("predicate_label"),
                                str(statement.object),
                                a.get("record"),
                                a.get("status"),
                                a.get("source_label"),
                                when(a),
                                sentence,
                            ]
                        )
            text = _csv(
                [
                    "path",
                    "hop",
                    "statement",
                    "from",
                    "to",
                    "subject",
                    "predicate",
                    "predicate_label",
                    "object",
                    "record",
                    "status",
                    "source",
                    "when",
                    "sentence",
                ],
                rows,
            )
        else:
            count = len(paths)
            what = (
                "all shortest paths"
                if all_shortest
                else f"{k} shortest paths"
                if k
                else "a shortest path"
            )
            lines = [
                f"{what.capitalize()} in the {view} view "
                f"({net.graph.get('filters')}): {count} found",
                "",
            ]
            for number, found in enumerate(paths, start=1):
                lines.append(f"Path {number}: {found.text()}")
                lines.append("")
            text = "\n".join(lines)
        _emit(text, output)
        _draw(steps, plot, lambda: plotting.plot_paths(net, paths, plot))


def communities_command(
    view: ViewOption = View.actors,
    method: Annotated[
        Method,
        typer.Option(
            "--method", case_sensitive=False, help="Louvain (seeded) or greedy modularity."
        ),
    ] = Method.louvain,
    camps: Annotated[
        bool,
        typer.Option(
            "--camps", help="Use only positive ties (alliances, membership...): camps of allies."
        ),
    ] = False,
    resolution: Annotated[
        float,
        typer.Option(
            "--resolution", min=0.0, help="Above 1: smaller communities; below 1: larger."
        ),
    ] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed for Louvain.")] = 0,
    status: StatusOption = None,
    exclude_status: ExcludeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
    plot: PlotOption = None,
    data: DataOption = None,
    with_project: ProjectOption = True,
) -> None:
    """Find communities of densely tied entities, or camps of allies with --camps.

    Each community lists its members and counts its ties inside (hostile ones apart) and to
    other communities, so that a camp with internal hostility shows.
    """
    with _running() as steps:
        _check_dates(since, until)
        _check_plot(plot)
        _, net, _ = _prepare(
            steps,
            view=view,
            data=data,
            with_project=with_project,
            statuses=status,
            excluded=exclude_status,
            since=since,
            until=until,
        )
        with steps.step(f"{method.value} communities"):
            partition = communities(
                net,
                method=method.value,
                ties="positive" if camps else "all",
                resolution=resolution,
                seed=seed,
            )
        if output_format is Format.json:
            text = _json(
                {
                    **_header(net),
                    "method": partition.method,
                    "ties": partition.ties,
                    "modularity": partition.modularity,
                    "communities": [c.as_dict() for c in partition.communities],
                }
            )
        elif output_format is Format.csv:
            text = _csv(
                ["community", "iri", "label", "type"],
                [
                    [c.index, str(m), label, net.nodes[m].get("type", "")]
                    for c in partition.communities
                    for m, label in zip(c.members, c.labels, strict=True)
                ],
            )
        else:
            ties = "positive ties only" if camps else "all ties"
            title = (
                f"{len(partition.communities)} communities in the {view} view "
                f"({partition.method}, {ties}, {net.graph.get('filters')}); "
                f"modularity {partition.modularity:.3f}"
            )
            text = _render(
                _table(
                    title,
                    [
                        "#",
                        "size",
                        "members",
                        "ties inside",
                        "hostile inside",
                        "ties out",
                        "hostile out",
                    ],
                    [
                        [
                            c.index,
                            c.size,
                            ", ".join(c.labels),
                            c.internal_ties,
                            c.hostile_ties,
                            c.external_ties,
                            c.external_hostile_ties,
                        ]
                        for c in partition.communities
                    ],
                    right=("#", "size", "ties inside", "hostile inside", "ties out", "hostile out"),
                )
            )
        _emit(text, output)
        _draw(steps, plot, lambda: plotting.plot_communities(net, partition, plot))


def ego_command(
    entity: Annotated[
        str, typer.Argument(help="The ego: a label, alias or IRI.", show_default=False)
    ],
    radius: Annotated[
        int, typer.Option("--radius", "-r", min=1, help="How many ties away to go.")
    ] = 1,
    view: ViewOption = View.actors,
    status: StatusOption = None,
    exclude_status: ExcludeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
    plot: PlotOption = None,
    data: DataOption = None,
    with_project: ProjectOption = True,
) -> None:
    """Show the entities within --radius ties of one entity, and its own statements.

    The table lists every entity of the ego network with its distance; then each statement
    between the ego and its direct neighbours is told as a sentence.
    """
    with _running() as steps:
        _check_dates(since, until)
        _check_plot(plot)
        graph, net, filters = _prepare(
            steps,
            view=view,
            data=data,
            with_project=with_project,
            statuses=status,
            excluded=exclude_status,
            since=since,
            until=until,
        )
        center = _resolve(graph, net, entity)
        ego = ego_network(net, center, radius=radius)
        members = ego_members(ego)
        own = [s for s in statements_of(ego) if center in (s.subject, s.object)]
        sentences = [describe_statement(ego, s) for s in own]
        if output_format is Format.json:
            text = _json(
                {
                    **_header(net),
                    "center": center,
                    "radius": radius,
                    "members": members,
                    "statements": sentences,
                }
            )
        elif output_format is Format.csv:
            text = _csv(
                ["distance", "iri", "label", "type", "kind", "ties"],
                [
                    [m["distance"], m["iri"], m["label"], m["type"], m["kind"], m["ties"]]
                    for m in members
                ],
            )
        else:
            title = (
                f"Ego network of {members[0]['label']} in the {view} view, radius "
                f"{radius} ({len(members)} entities, {ego.number_of_edges()} "
                f"statements, {net.graph.get('filters')})"
            )
            table = _table(
                title,
                ["distance", "label", "type", "ties"],
                [[m["distance"], m["label"], m["type"], m["ties"]] for m in members],
                right=("distance", "ties"),
            )
            text = _render(
                table, f"Statements of {members[0]['label']}:", *(f"  {s}" for s in sentences)
            )
        _emit(text, output)
        _draw(steps, plot, lambda: plotting.plot_ego(ego, plot))


def balance_command(
    status: StatusOption = None,
    exclude_status: ExcludeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
    plot: PlotOption = None,
    data: DataOption = None,
    with_project: ProjectOption = True,
) -> None:
    """Classify the triangles of the signed actor network as balanced or not.

    A tie is hostile if any statement between the two actors is (declared, or derived from
    an attack or battle), else positive if any is an alliance or other positive tie; severed
    ties are left out. +++ and +-- triangles are balanced ("the enemy of my enemy is my
    friend"), ++- and --- are not (Heider; Cartwright and Harary).
    """
    with _running() as steps:
        _check_dates(since, until)
        _check_plot(plot)
        _, net, _ = _prepare(
            steps,
            view=View.actors,
            data=data,
            with_project=with_project,
            statuses=status,
            excluded=exclude_status,
            since=since,
            until=until,
        )
        with steps.step("triangles"):
            report = structural_balance(net)
        counts = report.counts()
        ratio = None if report.ratio is None else round(report.ratio, 6)
        if output_format is Format.json:
            text = _json(
                {
                    **_header(net),
                    "actors": report.actors,
                    "positive_ties": report.positive,
                    "negative_ties": report.negative,
                    "triangles": len(report.triads),
                    "balanced": report.balanced,
                    "unbalanced": report.unbalanced,
                    "balance_ratio": ratio,
                    "patterns": counts,
                    "triads": [t.as_dict() for t in report.triads],
                }
            )
        elif output_format is Format.csv:
            text = _csv(
                [
                    "pattern",
                    "balanced",
                    "actor_1",
                    "actor_2",
                    "actor_3",
                    "iri_1",
                    "iri_2",
                    "iri_3",
                    "reading",
                ],
                [
                    [t.pattern, t.balanced, *t.labels, *map(str, t.nodes), t.reading()]
                    for t in report.triads
                ],
            )
        else:
            summary = (
                f"Signed actor network ({net.graph.get('filters')}): {report.actors} actors, "
                f"{report.positive} positive and {report.negative} negative ties; "
                f"{len(report.triads)} triangles, {report.balanced} balanced, "
                f"{report.unbalanced} unbalanced; balance ratio "
                + ("n/a (no triangle)" if ratio is None else f"{report.ratio:.2f}")
            )
            patterns = _table(
                "Triangles per pattern",
                ["pattern", "balanced", "reading", "count"],
                [
                    [p, "yes" if balanced else "no", reading, counts[p]]
                    for p, (balanced, reading) in PATTERNS.items()
                ],
                right=("count",),
            )
            triads = _table(
                "Triangles",
                ["pattern", "balanced", "actors", "reading"],
                [
                    [t.pattern, "yes" if t.balanced else "no", ", ".join(t.labels), t.reading()]
                    for t in report.triads
                ],
            )
            text = _render(summary, patterns, triads)
        _emit(text, output)
        _draw(steps, plot, lambda: plotting.plot_balance(net, report, plot))


def timeline_command(
    view: Annotated[
        View,
        typer.Option(
            "--view",
            case_sensitive=False,
            help="The projection whose events are listed (full: every event).",
        ),
    ] = View.full,
    involving: Annotated[
        str | None,
        typer.Option(
            "--involving",
            help="Only events tied to this entity (label, alias or IRI).",
            show_default=False,
        ),
    ] = None,
    status: StatusOption = None,
    exclude_status: ExcludeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
    plot: PlotOption = None,
    data: DataOption = None,
    with_project: ProjectOption = True,
) -> None:
    """List the events in time order, with their dates, precision, place, status and source.

    An event known only to have happened by a date is placed at that date, before the
    events that start on it; undated events come last.
    """
    with _running() as steps:
        _check_dates(since, until)
        _check_plot(plot)
        graph, net, filters = _prepare(
            steps,
            view=view,
            data=data,
            with_project=with_project,
            statuses=status,
            excluded=exclude_status,
            since=since,
            until=until,
        )
        around = _resolve(graph, net, involving) if involving else None
        entries = timeline(net, filters=filters, involving=around)
        if not entries:
            who = f" involving {involving}" if involving else ""
            raise _AnalysisError(
                f"no event{who} in the {view} view with {filters.describe()}", _EXIT_NO_ANSWER
            )
        columns = ["when", "event", "type", "precision", "place", "status", "source"]
        if output_format is Format.json:
            text = _json(
                {**_header(net), "involving": around, "events": [e.as_dict() for e in entries]}
            )
        elif output_format is Format.csv:
            text = _csv(
                [
                    "when",
                    "start",
                    "end",
                    "ongoing",
                    "iri",
                    "label",
                    "type",
                    "precision",
                    "place",
                    "status",
                    "source",
                ],
                [
                    [
                        e.when,
                        e.start,
                        e.end,
                        e.ongoing,
                        str(e.node),
                        e.label,
                        e.type,
                        e.precision,
                        e.place,
                        e.status,
                        e.source,
                    ]
                    for e in entries
                ],
            )
        else:
            who = f" involving {involving}" if involving else ""
            title = (
                f"Timeline{who}: {len(entries)} events in the {view} view "
                f"({net.graph.get('filters')})"
            )
            text = _render(
                _table(
                    title,
                    columns,
                    [
                        [e.when, e.label, e.type_label, e.precision, e.place, e.status, e.source]
                        for e in entries
                    ],
                )
            )
        _emit(text, output)
        title = "Timeline" + (f" of events involving {involving}" if involving else "")
        _draw(steps, plot, lambda: plotting.plot_timeline(entries, plot, title=title))


def register(app: typer.Typer) -> None:
    """Add the ``analyze`` command group to `app`.

    Parameters
    ----------
    app : typer.Typer
        The ``conflictkg`` application.
    """
    try:
        from conflictkg.cli import guarded
    except ImportError:  # pragma: no cover - cli.py always has it

        def guarded(command):
            return command

    if not analyze_app.registered_commands:
        for name, command in (
            ("centrality", centrality_command),
            ("path", path_command),
            ("communities", communities_command),
            ("ego", ego_command),
            ("balance", balance_command),
            ("timeline", timeline_command),
        ):
            analyze_app.command(name)(guarded(command))
    app.add_typer(analyze_app, name="analyze")
