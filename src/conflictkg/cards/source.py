"""Reading a card: YAML nodes that keep their line and column.

A card is read with PyYAML's composer rather than its loader, so every key and value keeps
the position it was written at and every error can point at the card's ``line:column``.
Duplicate keys, which YAML loaders silently collapse, are refused here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from conflictkg.errors import CardError

__all__ = ["Problems", "Where", "read_card", "where"]

try:  # libyaml when it is there: about 5 times faster on large cards
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Where:
    """A 1-based position in a card."""

    line: int
    column: int


def where(node: yaml.Node) -> Where:
    """Return the 1-based position where `node` starts."""
    return Where(node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass
class Problems:
    """The errors found in one card, each at its position."""

    path: str
    found: list[tuple[Where, str]] = field(default_factory=list)

    def add(self, node: yaml.Node | Where | None, message: str) -> None:
        """Record `message` at `node` (a YAML node or a position)."""
        place = node if isinstance(node, Where) or node is None else where(node)
        self.found.append((place or Where(1, 1), message))

    def raise_if_any(self) -> None:
        """Raise :class:`~conflictkg.errors.CardError` listing every problem, if any."""
        if self.found:
            ordered = sorted(self.found, key=lambda item: (item[0].line, item[0].column))
            raise CardError(
                self.path, [(w.line, w.column, message) for w, message in ordered]
            )


def read_card(path: Path, shown: str | None = None) -> yaml.MappingNode:
    """Parse a card file into its YAML node tree.

    Parameters
    ----------
    path : pathlib.Path
        The card.
    shown : str, optional
        How to name the file in messages (default: `path` as given).

    Returns
    -------
    yaml.MappingNode
        The top mapping of the card.

    Raises
    ------
    conflictkg.errors.CardError
        When the file is missing, unreadable, not YAML, not a mapping, or repeats a key.
    """
    shown = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CardError(shown, [(None, None, "no such card")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CardError(shown, [(None, None, f"cannot read the card: {error}")]) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise CardError(shown, [(line, column, f"not valid YAML: {error.problem}")]) from None
    if not isinstance(node, yaml.MappingNode):
        line = where(node).line if node is not None else 1
        raise CardError(shown, [(line, 1, "a card is a mapping of keys (source, records...)")])
    problems = Problems(shown)
    _refuse_duplicates(node, problems)
    problems.raise_if_any()
    return node


def _refuse_duplicates(node: yaml.Node, problems: Problems) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, Where] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name in seen:
                first = seen[name]
                problems.add(key, f"the key {name!r} is repeated (first at line {first.line})")
            elif name is not None:
                seen[name] = where(key)
            _refuse_duplicates(value, problems)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_duplicates(item, problems)
