"""``conflictkg encode``, ``new report`` and ``new schema``: report cards on the command line.

``encode`` compiles a card (:mod:`conflictkg.cards`) into Turtle beside it (or ``-o``),
then validates the Turtle in the context of the whole project graph, as ``validate``
does, and lists each problem at the card's line and column.  The Turtle is replaced only
when the card is valid: on failure the previous file is put back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from conflictkg.cli.graph import DataOption, ProjectOption, StoreOption
from conflictkg.cli.options import output_option
from conflictkg.errors import CheckFailedError, UsageError

__all__ = ["encode_command", "new_app", "new_report_command", "new_schema_command"]

new_app = typer.Typer(
    help="Start something new from a template (a report card).", no_args_is_help=True
)


def _default_output(card: Path) -> Path:
    name = card.name
    for suffix in (".card.yaml", ".card.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            return card.with_name(name[: -len(suffix)] + ".ttl")
    raise UsageError(f"{card}: a card's file name ends in .card.yaml (or .yaml)")


def encode_command(
    card: Annotated[
        Path, typer.Argument(help="The report card (YAML).", metavar="CARD", show_default=False)
    ],
    output: Annotated[
        Path | None,
        output_option("Turtle file to write (default: the card's name with .ttl, beside it)."),
    ] = None,
    validate: Annotated[
        bool,
        typer.Option(
            "--validate/--no-validate",
            help="Validate the Turtle in the context of the project graph (the default).",
        ),
    ] = True,
    store: StoreOption = Path("out"),
    data: DataOption = None,
    project: ProjectOption = True,
) -> None:
    """Compile a report card into Turtle, and validate it in the context of the graph.

    Names in the card resolve to the project's entities (an id, a label or an alias);
    an ambiguous name is refused with its candidates; --data files (Turtle not yet in the
    project) add entities to name and to validate against.  Every mistake is listed as
    CARD:line:column.

    Exit codes: 0 written and valid; 1 the card compiles but the graph does not validate
    (nothing is replaced); 2 a mistake in the card (unknown key or code, ambiguous or
    unknown name, a count or date that does not parse) or bad usage; 3 internal error.
    """
    from conflictkg.atomic import write_text_atomic
    from conflictkg.cards import encode, project_vocabulary

    target = output or _default_output(card)
    extra = tuple(data or ())
    vocabulary = project_vocabulary(project=project, exclude=target, extra=extra)
    compiled, text = encode(card, target, vocabulary=vocabulary, shown=str(card))
    before = target.read_bytes() if target.exists() else None
    write_text_atomic(target, text)
    if not validate:
        typer.echo(f"wrote {target} ({len(compiled.triples)} triples, not validated)")
        return
    from conflictkg.cli.build import validate_in_context

    try:
        found, checks, conforms = validate_in_context(
            [target], store, project=project, context=extra
        )
    except BaseException:
        _restore(target, before)
        raise
    if conforms:
        typer.echo(f"wrote {target} ({len(compiled.triples)} triples): conforms")
        for item in found:
            typer.echo(_line(card, compiled, item.focus, item.path,
                             f"{item.severity.lower()}: {item.message}"))
        return
    _restore(target, before)
    lines = [
        _line(card, compiled, item.focus, item.path, f"{item.rule}: {item.message}")
        for item in found
        if item.severity == "Violation"
    ]
    for check in checks:
        lines += [
            _line(card, compiled, str(f.focus), None, f"{check.id}: {f.message}")
            for f in check.findings
        ]
    typer.echo("\n".join(sorted(set(lines), key=_position)), err=True)
    kept = f"{target} was not replaced" if before is not None else f"{target} was not written"
    raise CheckFailedError(f"{card} does not validate: {len(lines)} problem(s); {kept}")


def _restore(target: Path, before: bytes | None) -> None:
    from conflictkg.atomic import write_bytes_atomic

    if before is None:
        target.unlink(missing_ok=True)
    else:
        write_bytes_atomic(target, before)


def _line(card: Path, compiled, focus: str, path: str | None, message: str) -> str:
    from conflictkg.rdf.terms import local_name

    found = compiled.position(focus, path)
    where = f"{card}:{found.line}:{found.column}" if found else f"{card}"
    return f"{where}: {local_name(focus)}: {message}"


def _position(line: str) -> tuple:
    parts = line.split(":")
    numbers = [int(p) for p in parts[1:3] if p.isdigit()]
    return (numbers + [0, 0])[:2] + [line]


def new_report_command(
    name: Annotated[
        str,
        typer.Argument(
            help="The report's id: place and date, such as gao-2024-10-02.", show_default=False
        ),
    ],
    output: Annotated[
        Path | None, output_option("Card to write (default: NAME.card.yaml here).")
    ] = None,
) -> None:
    """Write a report card to start from, listing the shared entities it can name.

    Exit codes: 0 written; 2 the card exists already, or a bad name; 3 internal error.
    """
    from conflictkg.atomic import write_text_atomic
    from conflictkg.cards import project_vocabulary
    from conflictkg.cards.template import report_card

    target = output or Path(f"{name}.card.yaml")
    if target.exists():
        raise UsageError(f"{target} exists already: give another name or -o FILE")
    write_text_atomic(target, report_card(name, project_vocabulary()))
    typer.echo(f"wrote {target}: fill it in, then run conflictkg encode {target}")


def new_schema_command(
    output: Annotated[
        Path, output_option("Schema file to write (default: graph/cards/card.schema.json).")
    ] = Path("graph/cards/card.schema.json"),
) -> None:
    """Write the JSON Schema of report cards, generated from the ontology, for editors.

    A card that starts with ``# yaml-language-server: $schema=card.schema.json`` gets its
    keys and code values completed by editors that read JSON Schema for YAML.

    Exit codes: 0 written; 2 the file cannot be written; 3 internal error.
    """
    from conflictkg.atomic import write_text_atomic
    from conflictkg.cards import project_vocabulary
    from conflictkg.cards.schema import schema_text

    write_text_atomic(output, schema_text(project_vocabulary()))
    typer.echo(f"wrote {output}")
