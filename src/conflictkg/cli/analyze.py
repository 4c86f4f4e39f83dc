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
and draws the result with ``--plot FILE.png|svg|pdf``.  These options are declared once,
by :func:`analysis_command`, which hands each command a :class:`Session`.  Entities are
named by label, alias, IRI or compact IRI; an unknown or ambiguous name lists the
candidates.

Exit codes: 0 success; 1 no answer in the data (no path, or a view the filters left
empty); 2 bad input or usage (unknown or ambiguous label, bad status or date, unreadable
file, unsupported plot file); 3 internal error.

Examples
--------
>>> sorted(COMMANDS)
['balance', 'centrality', 'communities', 'ego', 'path', 'timeline']
>>> "status" in inspect.signature(COMMANDS["ego"]).parameters
True
"""

from __future__ import annotations

import contextlib
import csv
import functools
import inspect
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from conflictkg.cli.graph import DataOption, ProjectOption, RebuildOption, StoreOption
from conflictkg.cli.options import FILTER_OPTIONS, format_option, output_option
from conflictkg.cli.progress import progress_bars
from conflictkg.errors import CheckFailedError, ResolutionError, UsageError

__all__ = ["COMMANDS", "LARGE", "Session", "analysis_command", "analyze_app"]

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


# --- the options every analysis takes ----------------------------------------------------

FormatOption = Annotated[Format, format_option("Output format.")]
OutputOption = Annotated[
    Path | None,
    output_option("Write the output to this file (atomically) instead of standard output."),
]
PlotOption = Annotated[
    Path | None,
    typer.Option(
        "--plot", help="Draw the result to this .png, .svg or .pdf file.", show_default=False
    ),
]
_SHARED: tuple[tuple[str, Any, Any], ...] = (
    *FILTER_OPTIONS,
    ("output_format", FormatOption, Format.table),
    ("output", OutputOption, None),
    ("plot", PlotOption, None),
    ("data", DataOption, None),
    ("with_project", ProjectOption, True),
    ("store", StoreOption, Path("out")),
    ("rebuild", RebuildOption, False),
)
_VIEW_HELP = "The projection to analyse."


@dataclass
class Session:
    """One run of an analysis: its shared options, progress bars, graph and view.

    Attributes
    ----------
    view : View
        The projection to analyse.
    options : dict
        The shared options (``status``, ``since``, ``output_format``, ``plot``...).
    """

    view: View
    options: dict[str, Any]
    progress: Any = None
    graph: Any = field(default=None, init=False)
    net: Any = field(default=None, init=False)
    filters: Any = field(default=None, init=False)
    stack: Any = field(default=None, init=False)

    @contextmanager
    def step(self, description: str, total: int | None = None) -> Iterator[Callable]:
        """Show one step as a progress bar; yield ``update(done, total=None)``."""
        task = self.progress.add_task(description, total=total)

        def update(done: int, all_: int | None = None) -> None:
            self.progress.update(task, completed=done, total=all_ if all_ is not None else total)

        try:
            yield update
        finally:
            self.progress.remove_task(task)

    def note(self, text: str) -> None:
        """Print a line on standard error, as plain text."""
        from rich.text import Text

        self.progress.console.print(Text(text), highlight=False)

    def prepare(self) -> tuple[Any, Any, Any]:
        """Load the graph and project the view with the filters.

        Returns
        -------
        tuple
            The rdflib graph, the projection and the :class:`Filters`.
        """
        from conflictkg.cli.graph import built_graph
        from conflictkg.projection.filters import Filters
        from conflictkg.projection.views import project
        from conflictkg.store.view import rdflib_view

        data, with_project = self.options["data"], self.options["with_project"]
        if not with_project and not data:
            raise UsageError("nothing to analyse: give --data FILE or leave out --no-project")
        with self.step("opening the built graph"):
            built = self.stack.enter_context(
                built_graph(
                    self.options["store"],
                    data=data,
                    project=with_project,
                    rebuild=self.options["rebuild"],
                )
            )
            self.graph = rdflib_view(built.store())
        self.filters = Filters.resolved(
            self.graph,
            statuses=self.options["status"],
            exclude_statuses=self.options["exclude_status"] or (),
            since=self.options["since"],
            until=self.options["until"],
        )
        with self.step(f"projecting the {self.view} view"):
            self.net = project(self.graph, str(self.view), filters=self.filters)
        return self.graph, self.net, self.filters

    def resolve(self, text: str) -> str:
        """Return the IRI of the entity of the view that `text` names."""
        from conflictkg.analysis.resolve import resolve

        try:
            return resolve(self.graph, text, among=self.net)
        except ResolutionError as error:
            hint = "; try another --view" if error.outside else ""
            raise UsageError(f"{error}{hint}") from None

    def answer(
        self,
        *,
        as_json: Callable[[], dict],
        as_csv: Callable[[], tuple[Sequence[str], Sequence[Sequence[Any]]]],
        as_table: Callable[[], Sequence[Any] | str],
        draw: Callable[[Path], Any],
    ) -> None:
        """Print or write the answer in the chosen format, and draw it if asked.

        Parameters
        ----------
        as_json : callable
            Returns the JSON payload (the view and filters are added).
        as_csv : callable
            Returns the columns and the rows.
        as_table : callable
            Returns rich tables and lines of text, or the text itself.
        draw : callable
            Draws the picture to the path it is given.
        """
        fmt, output, plot = (self.options[k] for k in ("output_format", "output", "plot"))
        if fmt is Format.json:
            header = {"view": self.net.graph.get("view"), "filters": self.net.graph.get("filters")}
            text: str | Callable[[int | None], str] = _json({**header, **as_json()})
        elif fmt is Format.csv:
            text = _csv(*as_csv())
        else:
            items = as_table()
            text = items if isinstance(items, str) else _render(*items)
        _emit(text, output)
        if plot is not None:
            with self.step(f"drawing {plot}"):
                draw(plot)
            self.note(f"drew {plot}")


def analysis_command(
    *, view: View | None = View.actors, view_help: str = _VIEW_HELP
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Make an analysis command of a function of a :class:`Session` and its own options.

    The command takes the function's options, then ``--view`` (unless `view` is None:
    the actors view, always) and the options every analysis shares; it checks the dates
    and the plot file, opens the progress bars and calls the function with the session.

    Parameters
    ----------
    view : View or None, default View.actors
        The default of ``--view``, or None for a command without it.
    view_help : str, optional
        The help of ``--view``.

    Returns
    -------
    callable
        A decorator.
    """

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        own = list(inspect.signature(function, eval_str=True).parameters.values())[1:]
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]
        shared = list(_SHARED)
        if view is not None:
            option = typer.Option("--view", case_sensitive=False, help=view_help)
            shared.insert(0, ("view", Annotated[View, option], view))
        params += [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=value)
            for name, kind, value in shared
        ]

        @functools.wraps(function)
        def command(**values: Any) -> None:
            from conflictkg.analysis import plotting
            from conflictkg.projection.filters import Filters

            options = {name: values.pop(name) for name, _, _ in _SHARED}
            Filters(since=options["since"], until=options["until"])
            if options["plot"] is not None:
                try:
                    plotting.plot_format(options["plot"])
                except ValueError as error:
                    raise UsageError(str(error)) from None
            chosen = values.pop("view", None) or View.actors
            with progress_bars() as progress, contextlib.ExitStack() as stack:
                session = Session(chosen, options, progress)
                session.stack = stack
                function(session, **values)

        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command

    return decorate


def _emit(text: str | Callable[[int | None], str], output: Path | None) -> None:
    """Print `text` or write it to `output`; a callable renders at the right width."""
    from conflictkg.atomic import AtomicOutputs

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
    from rich.console import Console
    from rich.text import Text

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
) -> Any:
    from rich.table import Table
    from rich.text import Text

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


# --- commands -------------------------------------------------------------------------


@analysis_command()
def centrality_command(
    session: Session,
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
) -> None:
    """Rank entities by centrality: who is tied to many, who bridges, who is tied to the central.

    Computed on the view's ties (undirected, one per linked pair, unweighted): degree,
    betweenness, PageRank and eigenvector centrality, with each entity's label and type.
    """
    from conflictkg.analysis import plotting
    from conflictkg.analysis.centrality import MEASURES, centrality

    unknown = sorted(set(kind or ()) - set(_KINDS))
    if unknown:
        raise UsageError(f"unknown --kind {', '.join(unknown)}; use one of: {', '.join(_KINDS)}")
    measures = [m.value for m in measure] if measure else list(MEASURES)
    if by is not None and by.value not in measures:
        raise UsageError(
            f"--by {by.value}: that measure is not among --measure {', '.join(measures)}"
        )
    _, net, _ = session.prepare()
    view = session.view
    if "betweenness" in measures and sample is None and net.number_of_nodes() > LARGE:
        session.note(
            f"note: exact betweenness on {net.number_of_nodes():,} entities may take "
            "long; --sample K estimates it from K sources"
        )
    with session.step("betweenness" if "betweenness" in measures else "centrality") as update:
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
        raise CheckFailedError(f"no entity of kind {', '.join(kind or [])} in the {view} view")
    shown = rows[:top] if top else rows
    sorted_by = by.value if by else ("betweenness" if "betweenness" in measures else measures[0])

    def as_table() -> list[Any]:
        title = (
            f"Centrality in the {view} view ({net.number_of_nodes()} entities, "
            f"{net.graph.get('filters')}), sorted by {sorted_by}"
        )
        if sample:
            title += f"; betweenness estimated from {sample} sources"
        cells = [
            [row.rank, row.label, row.type, row.ties, *(f"{row.scores[m]:.4f}" for m in measures)]
            for row in shown
        ]
        columns = ["rank", "label", "type", "ties", *measures]
        return [_table(title, columns, cells, right=("rank", "ties", *measures))]

    session.answer(
        as_json=lambda: {"measures": measures, "rows": [row.as_dict() for row in shown]},
        as_csv=lambda: (
            ["rank", "iri", "label", "type", "kind", "ties", *measures],
            [list(row.as_dict().values()) for row in shown],
        ),
        as_table=as_table,
        draw=lambda plot: plotting.plot_centrality(net, rows, plot),
    )


_PATH_COLUMNS = (
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
)


@analysis_command()
def path_command(
    session: Session,
    source: Annotated[
        str,
        typer.Argument(help="Where the path starts: a label, alias or IRI.", show_default=False),
    ],
    target: Annotated[str, typer.Argument(help="Where it ends.", show_default=False)],
    all_shortest: Annotated[bool, typer.Option("--all", help="Every shortest path.")] = False,
    k: Annotated[
        int | None,
        typer.Option(
            "--k", "-k", min=1, help="The k shortest paths (longer ones included).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Explain how two entities are connected, hop by hop, with predicate, source and status.

    Paths are searched without direction; each hop is told in the direction of the statement
    behind it. When several statements link two entities, the most firmly asserted is told
    and the others are counted (all are in --format json and csv).
    """
    from conflictkg.analysis import plotting
    from conflictkg.analysis.paths import explained_paths
    from conflictkg.analysis.ties import when

    if k is not None and all_shortest:
        raise UsageError("give either --all or --k, not both")
    _, net, _ = session.prepare()
    start, end = session.resolve(source), session.resolve(target)
    if start == end:
        raise UsageError(f"{source!r} and {target!r} name the same entity")
    with session.step("searching paths"):
        paths = explained_paths(net, start, end, k=k, all_shortest=all_shortest)

    def as_csv() -> tuple[Sequence[str], list[list[Any]]]:
        rows = []
        for number, found in enumerate(paths, start=1):
            for step, hop in enumerate(found.hops, start=1):
                pairs = zip(hop.statements, hop.sentences, strict=True)
                for rank, (statement, sentence) in enumerate(pairs, start=1):
                    a = statement.attrs
                    rows.append([
                        number, step, rank, str(hop.start), str(hop.end),
                        str(statement.subject), a.get("predicate"), a.get("predicate_label"),
                        str(statement.object), a.get("record"), a.get("status"),
                        a.get("source_label"), when(a), sentence,
                    ])
        return _PATH_COLUMNS, rows

    def as_text() -> str:
        what = (
            "all shortest paths"
            if all_shortest
            else f"{k} shortest paths"
            if k
            else "a shortest path"
        )
        lines = [
            f"{what.capitalize()} in the {session.view} view "
            f"({net.graph.get('filters')}): {len(paths)} found",
            "",
        ]
        for number, found in enumerate(paths, start=1):
            lines += [f"Path {number}: {found.text()}", ""]
        return "\n".join(lines)

    session.answer(
        as_json=lambda: {"source": start, "target": end, "paths": [p.as_dict() for p in paths]},
        as_csv=as_csv,
        as_table=as_text,
        draw=lambda plot: plotting.plot_paths(net, paths, plot),
    )


@analysis_command()
def communities_command(
    session: Session,
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
) -> None:
    """Find communities of densely tied entities, or camps of allies with --camps.

    Each community lists its members and counts its ties inside (hostile ones apart) and to
    other communities, so that a camp with internal hostility shows.
    """
    from conflictkg.analysis import plotting
    from conflictkg.analysis.communities import communities

    _, net, _ = session.prepare()
    with session.step(f"{method.value} communities"):
        partition = communities(
            net,
            method=method.value,
            ties="positive" if camps else "all",
            resolution=resolution,
            seed=seed,
        )
    found = partition.communities

    def as_table() -> list[Any]:
        ties = "positive ties only" if camps else "all ties"
        title = (
            f"{len(found)} communities in the {session.view} view "
            f"({partition.method}, {ties}, {net.graph.get('filters')}); "
            f"modularity {partition.modularity:.3f}"
        )
        counts = ("ties inside", "hostile inside", "ties out", "hostile out")
        cells = [
            [c.index, c.size, ", ".join(c.labels), c.internal_ties, c.hostile_ties,
             c.external_ties, c.external_hostile_ties]
            for c in found
        ]
        columns = ["#", "size", "members", *counts]
        return [_table(title, columns, cells, right=("#", "size", *counts))]

    session.answer(
        as_json=lambda: {
            "method": partition.method,
            "ties": partition.ties,
            "modularity": partition.modularity,
            "communities": [c.as_dict() for c in found],
        },
        as_csv=lambda: (
            ["community", "iri", "label", "type"],
            [
                [c.index, str(m), label, net.nodes[m].get("type", "")]
                for c in found
                for m, label in zip(c.members, c.labels, strict=True)
            ],
        ),
        as_table=as_table,
        draw=lambda plot: plotting.plot_communities(net, partition, plot),
    )


@analysis_command()
def ego_command(
    session: Session,
    entity: Annotated[
        str, typer.Argument(help="The ego: a label, alias or IRI.", show_default=False)
    ],
    radius: Annotated[
        int, typer.Option("--radius", "-r", min=1, help="How many ties away to go.")
    ] = 1,
) -> None:
    """Show the entities within --radius ties of one entity, and its own statements.

    The table lists every entity of the ego network with its distance; then each statement
    between the ego and its direct neighbours is told as a sentence.
    """
    from conflictkg.analysis import plotting
    from conflictkg.analysis.ego import ego_members, ego_network
    from conflictkg.analysis.paths import describe_statement
    from conflictkg.analysis.ties import statements_of

    _, net, _ = session.prepare()
    center = session.resolve(entity)
    ego = ego_network(net, center, radius=radius)
    members = ego_members(ego)
    own = [s for s in statements_of(ego) if center in (s.subject, s.object)]
    sentences = [describe_statement(ego, s) for s in own]
    name = members[0]["label"]

    def as_table() -> list[Any]:
        title = (
            f"Ego network of {name} in the {session.view} view, radius "
            f"{radius} ({len(members)} entities, {ego.number_of_edges()} "
            f"statements, {net.graph.get('filters')})"
        )
        cells = [[m["distance"], m["label"], m["type"], m["ties"]] for m in members]
        columns = ["distance", "label", "type", "ties"]
        table = _table(title, columns, cells, right=("distance", "ties"))
        return [table, f"Statements of {name}:", *(f"  {s}" for s in sentences)]

    columns = ["distance", "iri", "label", "type", "kind", "ties"]
    session.answer(
        as_json=lambda: {
            "center": center, "radius": radius, "members": members, "statements": sentences,
        },
        as_csv=lambda: (columns, [[m[c] for c in columns] for m in members]),
        as_table=as_table,
        draw=lambda plot: plotting.plot_ego(ego, plot),
    )


_TRIAD_COLUMNS = (
    "pattern", "balanced", "actor_1", "actor_2", "actor_3", "iri_1", "iri_2", "iri_3", "reading",
)


@analysis_command(view=None)
def balance_command(session: Session) -> None:
    """Classify the triangles of the signed actor network as balanced or not.

    A tie is hostile if any statement between the two actors is (declared, or derived from
    an attack or battle), else positive if any is an alliance or other positive tie; severed
    ties are left out. +++ and +-- triangles are balanced ("the enemy of my enemy is my
    friend"), ++- and --- are not (Heider; Cartwright and Harary).
    """
    from conflictkg.analysis import plotting
    from conflictkg.analysis.balance import PATTERNS, structural_balance

    _, net, _ = session.prepare()
    with session.step("triangles"):
        report = structural_balance(net)
    counts = report.counts()
    ratio = None if report.ratio is None else round(report.ratio, 6)

    def as_table() -> list[Any]:
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
        return [summary, patterns, triads]

    session.answer(
        as_json=lambda: {
            "actors": report.actors,
            "positive_ties": report.positive,
            "negative_ties": report.negative,
            "triangles": len(report.triads),
            "balanced": report.balanced,
            "unbalanced": report.unbalanced,
            "balance_ratio": ratio,
            "patterns": counts,
            "triads": [t.as_dict() for t in report.triads],
        },
        as_csv=lambda: (
            _TRIAD_COLUMNS,
            [
                [t.pattern, t.balanced, *t.labels, *map(str, t.nodes), t.reading()]
                for t in report.triads
            ],
        ),
        as_table=as_table,
        draw=lambda plot: plotting.plot_balance(net, report, plot),
    )


_EVENT_COLUMNS = (
    "when", "start", "end", "ongoing", "iri", "label", "type", "precision", "place", "status",
    "source",
)


@analysis_command(
    view=View.full, view_help="The projection whose events are listed (full: every event)."
)
def timeline_command(
    session: Session,
    involving: Annotated[
        str | None,
        typer.Option(
            "--involving",
            help="Only events tied to this entity (label, alias or IRI).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List the events in time order, with their dates, precision, place, status and source.

    An event known only to have happened by a date is placed at that date, before the
    events that start on it; undated events come last.
    """
    from conflictkg.analysis import plotting
    from conflictkg.analysis.timeline import timeline

    _, net, filters = session.prepare()
    around = session.resolve(involving) if involving else None
    entries = timeline(net, filters=filters, involving=around)
    who = f" involving {involving}" if involving else ""
    if not entries:
        raise CheckFailedError(
            f"no event{who} in the {session.view} view with {filters.describe()}"
        )

    def as_table() -> list[Any]:
        title = (
            f"Timeline{who}: {len(entries)} events in the {session.view} view "
            f"({net.graph.get('filters')})"
        )
        columns = ["when", "event", "type", "precision", "place", "status", "source"]
        cells = [
            [e.when, e.label, e.type_label, e.precision, e.place, e.status, e.source]
            for e in entries
        ]
        return [_table(title, columns, cells)]

    title = "Timeline" + (f" of events involving {involving}" if involving else "")
    session.answer(
        as_json=lambda: {"involving": around, "events": [e.as_dict() for e in entries]},
        as_csv=lambda: (
            _EVENT_COLUMNS,
            [
                [e.when, e.start, e.end, e.ongoing, str(e.node), e.label, e.type, e.precision,
                 e.place, e.status, e.source]
                for e in entries
            ],
        ),
        as_table=as_table,
        draw=lambda plot: plotting.plot_timeline(entries, plot, title=title),
    )


#: The analysis commands by name (``conflictkg.cli`` adds them to :data:`analyze_app`).
COMMANDS: dict[str, Callable[..., None]] = {
    "centrality": centrality_command,
    "path": path_command,
    "communities": communities_command,
    "ego": ego_command,
    "balance": balance_command,
    "timeline": timeline_command,
}
