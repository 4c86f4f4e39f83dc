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

This module builds :data:`app` from them; it is the only one that knows them all.  The
command modules import what a command needs when it runs, so that ``conflictkg --help``
and ``conflictkg query NAME`` start without loading what they do not use.

Examples
--------
>>> sorted(command.name for command in app.registered_commands)
['build', 'check', 'encode', 'export', 'push', 'queries', 'query', 'serve', 'validate']
>>> [group.name for group in app.registered_groups]
['analyze', 'new', 'import']
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from conflictkg import __version__
from conflictkg.cli import analyze, build, cards, export, importing, query, serve
from conflictkg.cli.app import (
    EXIT_BAD_INPUT,
    EXIT_CODES_HELP,
    EXIT_FAILED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    guarded,
)

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "app",
    "main",
]

app = typer.Typer(
    name="conflictkg",
    help=(
        "Build and check conflictkg, an RDF knowledge graph of political violence.\n\n"
        + EXIT_CODES_HELP
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
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


for _name, _command in (
    ("build", build.build_command),
    ("validate", build.validate_command),
    ("check", build.check_command),
    ("query", query.query_command),
    ("queries", query.queries_command),
    ("export", export.export_command),
    ("serve", serve.serve_command),
    ("push", serve.push_command),
    ("encode", cards.encode_command),
):
    app.command(_name)(guarded(_command))
for _name, _command in analyze.COMMANDS.items():
    analyze.analyze_app.command(_name)(guarded(_command))
app.add_typer(analyze.analyze_app, name="analyze")
cards.new_app.command("report")(guarded(cards.new_report_command))
cards.new_app.command("schema")(guarded(cards.new_schema_command))
app.add_typer(cards.new_app, name="new")
importing.import_app.command("ged")(guarded(importing.import_ged_command))
importing.import_app.command("acled")(guarded(importing.import_acled_command))
app.add_typer(importing.import_app, name="import")
