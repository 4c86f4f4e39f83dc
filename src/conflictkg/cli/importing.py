"""The ``import`` commands: an event dataset into the graph, linked to the reports.

``conflictkg import ged FILE``
    Map a UCDP GED CSV file to ``graph/datasets/ucdp-ged.ttl`` and build it into the store.
``conflictkg import acled FILE``
    The same for the user's ACLED export (``graph/datasets/acled.ttl``).

Both print the rows read, the triples written, the actors and places that got new IRIs,
the links made to report events, and the rows the validation flags as breaking the
dataset's own rules (kept as the dataset gives them).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from conflictkg.cli.graph import StoreOption, raise_if_failed

__all__ = ["import_acled_command", "import_app", "import_ged_command"]

import_app = typer.Typer(
    help="Import an event dataset (UCDP GED, ACLED) into the graph, linked to the reports.",
    no_args_is_help=True,
)

FileArgument = Annotated[Path, typer.Argument(help="The dataset's CSV file.", show_default=False)]
IntoOption = Annotated[
    Path | None,
    typer.Option(
        "--into",
        help="Folder for the dataset's graph file (default: the project's graph/datasets/).",
        show_default=False,
    ),
]
VersionOption = Annotated[
    str | None,
    typer.Option(
        "--version",
        help="The dataset's version (GED: read from a file name such as "
        "ged231.csv; ACLED: the file's hash).",
        show_default=False,
    ),
]
LinkOption = Annotated[
    bool,
    typer.Option("--link/--no-link", help="Link events to the report events of the same incident."),
]
ShownOption = Annotated[
    int,
    typer.Option("--show", help="How many new actors, places and links to list.", min=0),
]


def _run(
    kind: str,
    file: Path,
    store: Path,
    into: Path | None,
    version: str | None,
    link: bool,
    show: int,
) -> None:
    from conflictkg.cli.progress import progress_bars
    from conflictkg.errors import NoStoreError
    from conflictkg.importing import import_dataset, keep, restore
    from conflictkg.importing.run import default_folder
    from conflictkg.pipeline import run_build
    from conflictkg.store import BuiltStore

    console = Console()
    with progress_bars() as bars:
        task = bars.add_task(f"importing {file.name}", total=None)

        def advance(done: int, total: int) -> None:
            bars.update(task, completed=done, total=total)

        result = import_dataset(kind, file, into=into, version=version, progress=advance, link=link)
        bars.update(task, description="building the store", completed=0, total=None)
        in_project = result.path.parent.resolve() == default_folder().resolve()
        extra: list[Path] = []
        try:
            built = BuiltStore.open(store)
            extra = [Path(e.path) for e in built.manifest.inputs if e.role == "extra"]
        except NoStoreError:
            pass
        if not in_project and result.path.resolve() not in {p.resolve() for p in extra}:
            extra.append(result.path)
        try:
            build = run_build(store, extra_data=extra)
        except BaseException:
            restore(result)
            raise
        if not build.conforms:
            restore(result)
            raise_if_failed(build, f"the graph with {result.path.name}")
        keep(result)
    state = "changed" if result.changed else "unchanged: the same file was imported before"
    console.print(
        f"read {result.rows} rows of {file} ({result.version}) in "
        f"{result.seconds:.1f} s; wrote {result.triples} triples to {result.path} "
        f"({state}); built {store}"
    )
    for title, found in (("New actors", result.new_actors), ("New places", result.new_places)):
        if not found:
            continue
        table = Table(
            title=f"{title} ({len(found)}, new IRIs from the dataset's identifiers)",
            title_justify="left",
        )
        table.add_column("Name", overflow="fold")
        table.add_column("IRI", overflow="fold")
        for iri, name in found[:show]:
            table.add_row(name, iri)
        if len(found) > show:
            table.add_row(f"... {len(found) - show} more", "")
        console.print(table)
    console.print(
        f"linked {result.links} event(s) to report events of the same incident"
        + (" (conflictkg query linked-dataset-events lists them)" if result.links else "")
    )
    if build.timings:
        stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in build.timings.items())
        console.print(f"build: {stages}")
    warnings = Counter(v.rule for v in build.violations if v.severity != "Violation")
    for rule, number in sorted(warnings.items()):
        console.print(
            f"warning: {number} record(s) flagged: {rule} (conflictkg validate "
            f"{result.path} lists them)"
        )


_EXIT_CODES = """

    Exit codes: 0 imported; 1 the graph with the dataset fails validation (the previous
    dataset file is put back); 2 bad input (a missing or unknown column, another
    delimiter, not UTF-8, an empty file, an unreadable value: the message names the row
    and column); 3 internal error.
    """


def _import_command(kind: str, doc: str):
    """Return the command that imports one kind of dataset (`doc` is its help)."""

    def command(
        file: FileArgument,
        store: StoreOption = Path("out"),
        into: IntoOption = None,
        version: VersionOption = None,
        link: LinkOption = True,
        show: ShownOption = 10,
    ) -> None:
        _run(kind, file, store, into, version, link, show)

    command.__name__ = command.__qualname__ = f"import_{kind}_command"
    command.__doc__ = doc + _EXIT_CODES
    return command


import_ged_command = _import_command(
    "ged",
    """Import a UCDP GED CSV file (the 49 columns of GED 23.1 to 26.1) into the graph.

    Writes the rows, mapped as docs/import.md says, to graph/datasets/ucdp-ged.ttl (or
    the --into folder), replacing an earlier release in one step, then builds the store
    with it.  Nothing is written for a bad file.""",
)
import_acled_command = _import_command(
    "acled",
    """Import your ACLED export (the current layout, or the older one with HXL tags).

    Writes the rows, mapped as docs/import.md says, to graph/datasets/acled.ttl (or the
    --into folder), then builds the store with it.  Nothing is written for a bad file.""",
)
