r"""Options that several commands share, declared once.

A command takes an option by annotating a parameter with one of these types, so that
``--status`` or ``--since`` reads, and is explained, the same in every command.  Options
whose value type differs between commands (``--format``, ``--output``) are made by
:func:`format_option` and :func:`output_option`, which fix the flags and leave the help.

Examples
--------
>>> import typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> @app.command()
... def show(status: StatusOption = None, since: SinceOption = None) -> None:
...     typer.echo(f"{status} {since}")
>>> CliRunner().invoke(app, ["--status", "claimed", "--since", "2020"]).output
"['claimed'] 2020\n"
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from conflictkg.errors import QueryError
from conflictkg.sparql.library import ENGINES

__all__ = [
    "FILTER_OPTIONS",
    "DataOption",
    "EngineOption",
    "ExcludeStatusOption",
    "GraphFilesOption",
    "SinceOption",
    "StatusOption",
    "UntilOption",
    "checked_engine",
    "format_option",
    "output_option",
]

StatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        help="Keep only statements with this assertion status (repeatable), e.g. reported; "
        "by name (ClaimedByParty), label (claimed by a party) or notation (claimed), in any "
        "case.",
        show_default=False,
    ),
]
ExcludeStatusOption = Annotated[
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
#: The filters of a projection, as ``(parameter, annotated type, default)``, for commands
#: that add them to their own options (``conflictkg analyze``).
FILTER_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("status", StatusOption, None),
    ("exclude_status", ExcludeStatusOption, None),
    ("since", SinceOption, None),
    ("until", UntilOption, None),
)
_EXTRA_FILES = "Extra data file (.ttl, .nt, .trig) to add to the project's graph/ (repeatable)."
#: ``--data``: extra data files (analyze, export, serve, push).
DataOption = Annotated[
    list[Path] | None, typer.Option("--data", "-d", help=_EXTRA_FILES, show_default=False)
]
#: ``--graph``: extra data files (build, check, query), named as ``conflictkg build`` names them.
GraphFilesOption = Annotated[
    list[Path] | None, typer.Option("--graph", "-g", help=_EXTRA_FILES, show_default=False)
]


#: ``--engine``: the local SPARQL engine (query, check).
EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine", "-e", help=f"Local SPARQL engine: {' or '.join(ENGINES)} (default oxigraph)."
    ),
]


def checked_engine(engine: str | None) -> str | None:
    """Return the ``--engine`` value, refusing one that is not an engine.

    Parameters
    ----------
    engine : str or None
        The option's value.

    Returns
    -------
    str or None
        The same.

    Raises
    ------
    QueryError
        For an unknown engine (exit 2).
    """
    if engine is not None and engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    return engine


def format_option(help: str, **settings: Any) -> Any:  # noqa: A002 - typer's own word
    """Declare a ``--format``/``-f`` option.

    Parameters
    ----------
    help : str
        What the formats are.
    **settings
        More keyword arguments of :func:`typer.Option`.

    Returns
    -------
    typer.models.OptionInfo
        For ``Annotated[type, format_option(...)]``.
    """
    return typer.Option("--format", "-f", case_sensitive=False, help=help, **settings)


def output_option(help: str) -> Any:  # noqa: A002 - typer's own word
    """Declare an ``--output``/``-o`` option (a path, written atomically).

    Parameters
    ----------
    help : str
        What is written there.

    Returns
    -------
    typer.models.OptionInfo
        For ``Annotated[Path | None, output_option(...)]``.
    """
    return typer.Option("--output", "-o", help=help, show_default=False)
