"""Labels of RDF terms: one policy for which label names a resource, and label folding.

The policy, used by every table, summary, check, projection and picture: the label
predicates are tried in order (:data:`LABEL_PREDICATES`: ``rdfs:label``, the short name,
before ``skos:prefLabel``); among the literals of the first predicate that has any, the
wanted language comes first (English by default, ``en-GB`` counting as English), then
untagged labels, then the others, ties broken by the text, so that the choice does not
depend on the order of the triples.  :func:`preferred_label` applies it to one resource,
:func:`label_table` to every resource of a graph at once.

Examples
--------
>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDFS
>>> g = Graph()
>>> node = URIRef("https://w3id.org/conflictkg/id/event-1")
>>> _ = g.add((node, RDFS.label, Literal("Raid", lang="fr")))
>>> _ = g.add((node, RDFS.label, Literal("Raid on the market", lang="en")))
>>> preferred_label(node, g)
'Raid on the market'
>>> label_table(g) == {node: 'Raid on the market'}
True
>>> normalise("  Assimi  Goïta "), normalise("Jama’a Nusrat")
('assimi goita', "jama'a nusrat")
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

__all__ = ["LABEL_PREDICATES", "label_table", "normalise", "preferred_label"]

#: Predicates read for a label, in order of preference.
LABEL_PREDICATES: tuple[URIRef, ...] = (RDFS.label, SKOS.prefLabel)

_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'}
)


def _rank(literal: Literal, language: str) -> tuple[int, str, str]:
    """Rank a label: the wanted language first, then untagged, then the rest."""
    tag = (literal.language or "").lower()
    if tag == language or tag.startswith(language + "-"):
        rank = 0
    elif not tag:
        rank = 1
    else:
        rank = 2
    return (rank, tag, str(literal))


def preferred_label(
    node: Node,
    *graphs: Graph,
    predicates: Sequence[URIRef] = LABEL_PREDICATES,
    language: str = "en",
) -> str | None:
    """Return the best label of `node`, or ``None`` if it has none.

    Parameters
    ----------
    node : rdflib.term.Node
        The resource to name.
    *graphs : rdflib.Graph
        Graphs to look in.
    predicates : sequence of rdflib.URIRef, optional
        Label predicates in order of preference; the first predicate with a
        literal value in any graph wins.
    language : str, default "en"
        Preferred language tag; untagged labels come next, then others.

    Returns
    -------
    str or None
        The label text.
    """
    for predicate in predicates:
        found = [
            value
            for graph in graphs
            for value in graph.objects(node, predicate)
            if isinstance(value, Literal)
        ]
        if found:
            return str(min(found, key=lambda lit: _rank(lit, language)))
    return None


def label_table(
    *graphs: Graph, predicates: Sequence[URIRef] = LABEL_PREDICATES, language: str = "en"
) -> dict[Node, str]:
    """Return the label of every labelled resource of `graphs`, by the same policy.

    Parameters
    ----------
    *graphs : rdflib.Graph
        Graphs to read.
    predicates : sequence of rdflib.URIRef, optional
        Label predicates in order of preference.
    language : str, default "en"
        Preferred language tag.

    Returns
    -------
    dict
        Resource to label text; what :func:`preferred_label` returns for each.
    """
    best: dict[Node, tuple[int, tuple[int, str, str]]] = {}
    for priority, predicate in enumerate(predicates):
        for graph in graphs:
            for subject, value in graph.subject_objects(predicate):
                if not isinstance(value, Literal):
                    continue
                rank = (priority, _rank(value, language))
                if subject not in best or rank < best[subject]:
                    best[subject] = rank
    return {subject: rank[1][2] for subject, rank in best.items()}


def normalise(text: str) -> str:
    """Fold a label for comparison: case, accents, curly quotes and spaces.

    Parameters
    ----------
    text : str
        A label or what a researcher typed.

    Returns
    -------
    str
        The folded text.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())
