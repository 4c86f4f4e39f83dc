"""Report cards: a compact YAML form of a report, compiled into the graph's Turtle.

See ``docs/cookbook.md`` for the format and one recipe per recurring pattern.
"""

from __future__ import annotations

from pathlib import Path

from conflictkg import resources
from conflictkg.cards.compiler import Compiled, compile_card
from conflictkg.cards.turtle import to_turtle
from conflictkg.cards.vocabulary import Vocabulary

__all__ = ["Compiled", "Vocabulary", "compile_card", "encode", "project_vocabulary"]


def project_vocabulary(
    *, project: bool = True, extra: tuple[Path, ...] = (), exclude: Path | None = None
) -> Vocabulary:
    """Index the ontology and the project's graph, plus the `extra` files.

    Without `project` only ``graph/shared/`` is read; `exclude` (the card's own output)
    is left out.
    """
    data = list(resources.graph_files()) if project else list(resources.shared_graph_files())
    data += list(extra)
    if exclude is not None:
        data = [path for path in data if path.resolve() != exclude.resolve()]
    return Vocabulary.read(resources.ontology_files(), data)


def encode(
    card: Path, output: Path, *, vocabulary: Vocabulary | None = None,
    shown: str | None = None,
) -> tuple[Compiled, str]:
    """Compile `card` and return its triples with the Turtle text to write to `output`.

    Raises
    ------
    conflictkg.errors.CardError
        With every mistake of the card at its line and column.
    """
    vocabulary = vocabulary or project_vocabulary(exclude=output)
    compiled = compile_card(card, vocabulary, shown=shown, output_name=str(output))
    header = (
        f"Compiled by conflictkg encode from {card.name}: edit the card, not this file.\n"
        "Every record says which source asserts it and how (ckg:assertedBy,\n"
        "ckg:assertionStatus, ckg:accordingTo); facts with another source, status or voice\n"
        "are ckg:Statement records beside it."
    )
    return compiled, to_turtle(compiled.triples, header=header)
