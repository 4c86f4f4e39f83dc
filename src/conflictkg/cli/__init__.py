"""The ``conflictkg`` command line: one module per family of commands.

:mod:`~conflictkg.cli.build`
    ``build``, ``validate`` and ``check``;
:mod:`~conflictkg.cli.query`
    ``query`` and ``queries``;
:mod:`~conflictkg.cli.analyze`
    the ``analyze`` group;
:mod:`~conflictkg.cli.export`
    ``export``;
:mod:`~conflictkg.cli.serve`
    ``serve`` and ``push``;
:mod:`~conflictkg.cli.cards`
    ``encode``, ``new report`` and ``new schema`` (report cards);
:mod:`~conflictkg.cli.options`
    the options several commands share;
:mod:`~conflictkg.cli.app`
    errors to exit codes (:func:`~conflictkg.cli.app.guarded`).

This module builds :data:`app` from them; it is the only one that knows them all.  It
names each command's module without importing it: a command's module is imported when
the command runs (or when ``--help`` lists it), so that ``conflictkg query NAME`` starts
without loading the analyses, the exporters or the build (:class:`LazyGroup`).

Examples
--------
>>> import typer.main
>>> group = typer.main.get_command(app)
>>> group.list_commands(None)[:5]
['build', 'validate', 'check', 'query', 'queries']
>>> [name for name in group.list_commands(None) if name in GROUPS]
['analyze', 'new', 'import']
>>> group.get_command(None, "query").name
'query'
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer
import typer.core
import typer.main

from conflictkg import __version__
from conflictkg.cli.app import (
    EXIT_BAD_INPUT,
    EXIT_CODES_HELP,
    EXIT_FAILED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    guarded,
    light_options,
    light_param,
)

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "COMMANDS",
    "GROUPS",
    "LazyGroup",
    "app",
    "main",
    "run",
]

#: Commands, in the order the help lists them: name -> (module of cli, function).
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("build", "build_command"),
    "validate": ("build", "validate_command"),
    "check": ("build", "check_command"),
    "query": ("query", "query_command"),
    "queries": ("query", "queries_command"),
    "export": ("export", "export_command"),
    "serve": ("serve", "serve_command"),
    "push": ("serve", "push_command"),
    "encode": ("cards", "encode_command"),
}
#: Groups of commands: name -> function of this module that makes the group's typer app.
GROUPS: dict[str, str] = {"analyze": "_analyze_app", "new": "_new_app", "import": "_import_app"}


def _analyze_app() -> typer.Typer:
    from conflictkg.cli import analyze

    for name, command in analyze.COMMANDS.items():
        analyze.analyze_app.command(name)(guarded(command))
    return analyze.analyze_app


def _new_app() -> typer.Typer:
    from conflictkg.cli import cards

    cards.new_app.command("report")(guarded(cards.new_report_command))
    cards.new_app.command("schema")(guarded(cards.new_schema_command))
    return cards.new_app


def _import_app() -> typer.Typer:
    from conflictkg.cli import importing

    importing.import_app.command("ged")(guarded(importing.import_ged_command))
    importing.import_app.command("acled")(guarded(importing.import_acled_command))
    return importing.import_app


#: The click commands made so far in this process, by name (typer makes the top group
#: anew at every call of :data:`app`; the commands are made once).
_MADE: dict[str, Any] = {}


def _make(name: str) -> Any:
    """Import a command's (or a group's) module and make its click command."""
    made = _MADE.get(name)
    if made is None:
        holder = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        if name in COMMANDS:
            module, function = COMMANDS[name]
            command = getattr(importlib.import_module(f"conflictkg.cli.{module}"), function)
            holder.command(name)(guarded(command))
            made = typer.main.get_command(holder)
        else:
            holder.add_typer(globals()[GROUPS[name]](), name=name)
            holder.callback()(lambda: None)
            made = typer.main.get_command(holder).commands[name]
        made = _MADE[name] = light_options(made)
    return made


class _Commands(MutableMapping):
    """The top group's commands by name; a command is made when it is looked up."""

    def __getitem__(self, name: str) -> Any:
        if name not in COMMANDS and name not in GROUPS:
            raise KeyError(name)
        return _make(name)

    def __setitem__(self, name: str, command: Any) -> None:
        raise TypeError("the commands of conflictkg are listed in COMMANDS and GROUPS")

    def __delitem__(self, name: str) -> None:
        raise TypeError("the commands of conflictkg are listed in COMMANDS and GROUPS")

    def __iter__(self) -> Iterator[str]:
        return iter([*COMMANDS, *GROUPS])

    def __len__(self) -> int:
        return len(COMMANDS) + len(GROUPS)


class LazyGroup(typer.core.TyperGroup):
    """The top group: knows its commands by name, makes each one when it is asked for.

    Its ``commands`` are a mapping whose names are all known at once (for the help and
    the "did you mean" of a mistyped command) and whose commands are made on lookup.
    """

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.commands = _Commands()

    def list_commands(self, ctx: Any) -> list[str]:
        """Return every command's name, in the help's order."""
        return [*COMMANDS, *GROUPS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Return the command `cmd_name`, importing its module now; None if unknown."""
        if cmd_name not in COMMANDS and cmd_name not in GROUPS:
            return None
        return light_options(_make(cmd_name), ctx)

    def get_help_option(self, ctx: Any) -> Any:
        """Return the ``--help`` option, read without pydantic like the others."""
        option = super().get_help_option(ctx)
        if option is not None:
            light_param(option)
        return option


app = typer.Typer(
    name="conflictkg",
    help=(
        "Build and check conflictkg, an RDF knowledge graph of political violence.\n\n"
        + EXIT_CODES_HELP
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)


def _show_version(value: bool) -> None:
    """Print the version and stop (eager ``--version`` option)."""
    if value:
        typer.echo(f"conflictkg {__version__}")
        raise typer.Exit(int(EXIT_OK))


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Build and check conflictkg, an RDF knowledge graph of political violence."""
    # An ill-typed literal ("2024-13-45"^^xsd:date) is reported by the shapes with its
    # node; rdflib would first log a warning with a traceback for it.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


def run() -> None:
    """Run the command line as this process's one task: the ``conflictkg`` command.

    Unlike calling :data:`app` from Python, a query's time limit may then end the
    process itself (see :data:`conflictkg.cli.query.OWN_PROCESS`).
    """
    from conflictkg.cli import query

    query.OWN_PROCESS = True
    app(prog_name="conflictkg")
