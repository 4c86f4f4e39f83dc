"""Every recipe of docs/cookbook.md: its card compiles to the Turtle shown beside it, and
all the recipes together validate in the context of the project graph.

Recipes build on each other (the second report names the first one's event), so each card
is compiled with the Turtle of the recipes before it among the entities it can name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, to_isomorphic

from conflictkg.cards import encode, project_vocabulary
from conflictkg.cards.turtle import PREFIXES

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cookbook.md"
_RECIPE = re.compile(
    r"^## ([^\n]+)\n(?:(?!\n## ).)*?```yaml\n(.*?)```\n\ngives\n\n```turtle\n(.*?)```",
    re.S | re.M,
)
RECIPES = _RECIPE.findall(COOKBOOK.read_text(encoding="utf-8"))
PREFIX_LINES = "".join(f"@prefix {p}: <{base}> .\n" for p, base in PREFIXES.items())


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> dict[str, tuple[str, Path]]:
    """Each recipe's compiled Turtle and file, in the cookbook's order."""
    folder = tmp_path_factory.mktemp("cookbook")
    done: list[Path] = []
    found = {}
    for title, card_text, _ in RECIPES:
        card = folder / f"{_slug(title)}.card.yaml"
        card.write_text(card_text, encoding="utf-8")
        target = card.with_name(f"{_slug(title)}.ttl")
        _, text = encode(card, target, vocabulary=project_vocabulary(extra=tuple(done)))
        target.write_text(text, encoding="utf-8")
        done.append(target)
        found[title] = (text, target)
    return found


def test_the_cookbook_has_its_recipes():
    titles = [title for title, _, _ in RECIPES]
    assert len(titles) == COOKBOOK.read_text(encoding="utf-8").count("```yaml")
    for pattern in ("first event", "claim of responsibility", "Several sources", "quoting a source",
                    "unnamed voice", "not a claim of responsibility", "combined figure",
                    "coalition", "arrest", "denial"):
        assert any(pattern in title for title in titles), pattern


@pytest.mark.parametrize("title,card,turtle", RECIPES, ids=[_slug(r[0]) for r in RECIPES])
def test_a_recipe_gives_the_turtle_it_shows(title, card, turtle, compiled):
    shown = rdflib.Graph().parse(data=PREFIX_LINES + turtle, format="turtle")
    got = rdflib.Graph().parse(data=compiled[title][0], format="turtle")
    _, only_shown, only_got = graph_diff(to_isomorphic(shown), to_isomorphic(got))
    assert not only_shown and not only_got, (sorted(only_shown)[:3], sorted(only_got)[:3])


def test_the_recipes_validate_together(compiled, built_project):
    from conflictkg.cli.build import validate_in_context

    files = [path for _, path in compiled.values()]
    found, checks, conforms = validate_in_context(files, built_project)
    assert conforms, ([(v.focus, v.message) for v in found], checks)
    assert not found
