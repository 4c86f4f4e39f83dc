"""Counts as node attributes: each bound typed, and a phrase that says no more than the source.

A ``ckg:Count`` is a node of the ``full`` view; its figures are literals, which a projection
never turns into nodes. :func:`count_attributes` puts them on the count's node as typed
attributes (``exact_value``, ``minimum_value``, ``maximum_value``, ``approximate_value``,
integers), with the counted group (``counted_group`` and ``counted_group_label``) and a
readable ``count_text`` such as ``"at least 50 injured"``. The category and the vague word
are code-list links, kept like every other (``count_category``, ``vague_quantity`` and their
labels). In the ``events`` view, where counts are no nodes, each event gets ``counts``: the
phrases of its counts joined by ``"; "``.

Examples
--------
>>> count_phrase(minimum=50, category="Injured")
'at least 50 injured'
>>> count_phrase(approximate=12, vague="Dozen", category="Ambulances deployed")
'about 12 ambulances deployed (in words: dozen)'
>>> count_phrase(vague="Heavy", category="Casualties")
'casualties (in words: heavy)'
>>> count_phrase(minimum=3, maximum=5, category="Killed")
'between 3 and 5 killed'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conflictkg.namespaces import CKG

__all__ = ["COUNT_VALUES", "count_attributes", "count_phrase"]

#: Count figures and the attribute that carries each.
COUNT_VALUES: tuple[tuple[Any, str], ...] = (
    (CKG.exactValue, "exact_value"),
    (CKG.minimumValue, "minimum_value"),
    (CKG.maximumValue, "maximum_value"),
    (CKG.approximateValue, "approximate_value"),
)


def count_phrase(
    *,
    exact: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    approximate: int | None = None,
    vague: str | None = None,
    category: str | None = None,
) -> str:
    """Say a count in words, as precisely as its figures and no more.

    Parameters
    ----------
    exact, minimum, maximum, approximate : int, optional
        The figures the source gives.
    vague : str, optional
        Label of the word the source uses instead of (or with) a number.
    category : str, optional
        Label of what is counted.

    Returns
    -------
    str
        ``"50 killed"``, ``"at least 50 injured"``, ``"up to 20 killed"``, ``"between 3
        and 5 killed"``, ``"about 12 ambulances deployed"``; the vague word follows in
        parentheses; a count with no figure at all says ``"no figure given"``.
    """
    what = (category or "counted").lower()
    if exact is not None:
        number = f"{exact}"
    elif minimum is not None and maximum is not None:
        number = f"{minimum}" if minimum == maximum else f"between {minimum} and {maximum}"
    elif minimum is not None:
        number = f"at least {minimum}"
    elif maximum is not None:
        number = f"up to {maximum}"
    elif approximate is not None:
        number = f"about {approximate}"
    else:
        number = ""
    text = f"{number} {what}" if number else what
    if vague:
        text += f" (in words: {vague.lower()})"
    elif not number:
        text += " (no figure given)"
    return text


def count_attributes(
    out: dict, name: Callable[[Any], str], attrs: dict[str, Any]
) -> None:
    """Add a count's figures, counted group and phrase to its node's attributes.

    Parameters
    ----------
    out : dict
        The node's outgoing statements, predicate to objects.
    name : callable
        Label of a node or concept.
    attrs : dict
        The node's attributes so far (with ``count_category_label`` and
        ``vague_quantity_label`` if it has them); changed in place.
    """
    figures = {}
    for predicate, key in COUNT_VALUES:
        values = out.get(predicate)
        if values:
            figures[key] = attrs[key] = int(min(values, key=int))
    group = out.get(CKG.countedGroup)
    if group:
        attrs["counted_group"] = "|".join(str(g) for g in sorted(group, key=str))
        attrs["counted_group_label"] = "|".join(name(g) for g in sorted(group, key=str))
    attrs["count_text"] = count_phrase(
        exact=figures.get("exact_value"),
        minimum=figures.get("minimum_value"),
        maximum=figures.get("maximum_value"),
        approximate=figures.get("approximate_value"),
        vague=attrs.get("vague_quantity_label"),
        category=attrs.get("count_category_label"),
    )
