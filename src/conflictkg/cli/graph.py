"""How a command gets the graph: the built store, checked to be up to date.

Every command that reads the graph (``query``, ``check``, ``analyze``, ``export``,
``serve``, ``push``, ``validate``) opens the store ``conflictkg build`` published, read-only,
and refuses it when a file changed since the build (``--rebuild`` builds first instead).
``--data FILE`` adds files for this command only: they are loaded, with the project's
built graph, into a temporary build that is validated like any build and removed
afterwards; ``--no-project`` leaves the project's ``graph/`` out of it.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated

import typer

from conflictkg.errors import CheckFailedError, NoStoreError

__all__ = [
    "DataOption",
    "ProjectOption",
    "RebuildOption",
    "StoreOption",
    "built_graph",
    "raise_if_failed",
]

#: ``--store``: the folder ``conflictkg build --store`` wrote, for the commands that read it.
StoreOption = Annotated[
    Path,
    typer.Option(
        "--store",
        envvar="CONFLICTKG_STORE",
        help="Folder of the built graph: what conflictkg build --store (or --out) wrote.",
    ),
]
#: ``--data``: extra data files, validated with the graph (for a build: kept in it).
DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        help="Extra data file (.ttl, .nt, .trig) to add to the project's graph, validated "
        "with it (repeatable).",
        show_default=False,
    ),
]
#: ``--project/--no-project``: whether the project's ``graph/`` is part of the graph.
ProjectOption = Annotated[
    bool,
    typer.Option(
        "--project/--no-project",
        help="Include the project's graph/ data (the ontology and code lists always are).",
    ),
]
#: ``--rebuild``: rebuild a store whose files changed, instead of refusing it.
RebuildOption = Annotated[
    bool,
    typer.Option("--rebuild", help="Rebuild the graph first if its files changed since the build."),
]


def raise_if_failed(result, what: str) -> None:
    """Print a failed build's violations and checks, and raise :class:`CheckFailedError`."""
    if result.conforms:
        return
    from rich.console import Console

    from conflictkg.cli.tables import print_failures

    print_failures(Console(stderr=True), result)
    raise CheckFailedError(f"{what} fails validation; nothing was used")


@contextlib.contextmanager
def built_graph(
    store: Path,
    *,
    data: Sequence[Path] | None = None,
    project: bool = True,
    rebuild: bool = False,
    checks: bool = True,
) -> Iterator:
    """Yield the built graph to read, as a :class:`~conflictkg.store.BuiltStore`.

    Parameters
    ----------
    store : pathlib.Path
        The build folder (``out``).
    data : sequence of pathlib.Path, optional
        Files for a temporary build on top of the project's graph.
    project : bool, default True
        Whether the project's ``graph/`` is part of it.
    rebuild : bool, default False
        Rebuild a missing or stale store instead of refusing it.
    checks : bool, default True
        Whether a temporary build must pass the data-quality checks (``conflictkg
        check`` runs them itself).

    Raises
    ------
    conflictkg.errors.NoStoreError, conflictkg.errors.StaleStoreError
        Without `rebuild`, when nothing was built or a file changed since.
    conflictkg.errors.CheckFailedError
        When a temporary (or re-) build does not validate.
    """
    from conflictkg.store import BuiltStore

    if data or not project:
        from conflictkg.pipeline import run_build

        scratch = Path(tempfile.mkdtemp(prefix="conflictkg-data-"))
        try:
            result = run_build(
                scratch,
                extra_data=data or (),
                project=project,
                base=store if project else None,
                checks=checks,
            )
            raise_if_failed(result, "the graph with the --data files")
            yield BuiltStore.open(scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return
    try:
        built = BuiltStore.open(store)
    except NoStoreError:
        if not rebuild:
            raise
        built = None
    if built is not None:
        extra = [Path(e.path) for e in built.manifest.inputs if e.role == "extra"]
        with_project = any(e.role == "data" for e in built.manifest.inputs)
        current = _current(extra, with_project)
        if not rebuild:
            built.check_fresh(current)
            yield built
            return
        if not built.stale(current):
            yield built
            return
    else:
        extra, with_project = [], True
    from conflictkg.pipeline import run_build

    typer.echo(f"rebuilding the graph in {store}", err=True)
    result = run_build(store, extra_data=extra, project=with_project)
    raise_if_failed(result, "the rebuilt graph")
    yield BuiltStore.open(store)


def _current(extra: list[Path], project: bool) -> dict[str, Path]:
    from conflictkg.store.inputs import project_inputs

    return {item.key: item.path for item in project_inputs(extra=extra, project=project)}
