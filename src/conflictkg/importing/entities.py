"""The actors and places a dataset names: reconciled with the graph's, or new.

The checked table ``graph/shared/dataset-names.tsv`` says which dataset identifiers and
names stand for entities the graph already has (UCDP's actor 6716 is ``ckr:jnim``, its
Gleditsch-Ward country 432 is ``ckr:mali-territory``).  Everything else gets a new IRI made
from the dataset's own identifier, so that the same actor keeps its IRI from one release
to the next, and is listed in the import's report of new actors and places.

New entities are collected while the rows are read and written at the end, when every
name is known: two entities that would share a label (UCDP has two actors called "DPR"),
or an entity whose label the graph already uses, get a label that tells them apart, since
the graph's check of duplicate entities would refuse them otherwise.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from conflictkg import resources
from conflictkg.errors import InputError
from conflictkg.importing.ntriples import RDFS_LABEL, A, Triples, ckg, ckr, literal, text

__all__ = ["NAMES_FILE", "Entities", "Entity", "geometry", "load_names", "short_hash"]

#: The checked table of dataset names, relative to the project's ``graph/`` folder.
NAMES_FILE = "shared/dataset-names.tsv"


def short_hash(*parts: str) -> str:
    """Return 12 hexadecimal digits identifying a tuple of strings (for place IRIs)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def load_names(dataset: str, path: Path | None = None) -> dict[tuple[str, str], str]:
    """Read the checked table: ``(kind, key)`` to a ``ckr:`` name, for one dataset.

    Raises
    ------
    InputError
        For a row without its five columns or with an unknown kind.
    """
    file = path or resources.data_dir("graph") / NAMES_FILE
    found: dict[tuple[str, str], str] = {}
    with open(file, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    for number, row in enumerate(csv.DictReader(lines, delimiter="\t"), start=2):
        if None in row.values() or row.get("kind") not in ("actor", "country", "place"):
            raise InputError(
                file,
                f"row {number}: dataset, kind (actor, country or place), key, "
                "iri and note are expected",
            )
        if row["dataset"] == dataset:
            found[(row["kind"], row["key"])] = row["iri"]
    return found


@dataclass
class Entity:
    """A new actor or place, as the dataset gives it.

    Attributes
    ----------
    iri : str
        Its formatted IRI.
    name : str
        The name the dataset gives it.
    kind : str
        ``actor``, ``place``, ``region`` or ``country``.
    cls : str
        Its class, formatted.
    qualifiers : list of str
        Ever longer additions that tell it apart from namesakes (its id, its region...).
    pairs : list of (str, str)
        Its other triples (predicate, object), formatted.
    """

    iri: str
    name: str
    kind: str
    cls: str
    qualifiers: list[str]
    pairs: list[tuple[str, str]] = field(default_factory=list)


class Entities:
    """The entities of one import, reconciled or new.

    Parameters
    ----------
    dataset : str
        ``ucdp-ged`` or ``acled``: the rows of the checked table to use.
    source : str
        The formatted IRI of the dataset's source node (every new entity's default source).
    taken : set of str
        The labels and aliases the graph already uses, lower-cased.
    suffix : str
        Added to a label the graph already uses (`` (UCDP GED)``).
    """

    def __init__(self, dataset: str, source: str, taken: set[str], suffix: str) -> None:
        self.names = load_names(dataset)
        self.source = source
        self.taken = taken
        self.suffix = suffix
        self.new: dict[str, Entity] = {}
        self.reconciled: dict[str, str] = {}

    def known(self, kind: str, key: str) -> str | None:
        """Return the graph's IRI for a dataset key of the checked table, or ``None``."""
        name = self.names.get((kind, key))
        if name is None:
            return None
        iri = ckr(name)
        self.reconciled[iri] = name
        return iri

    def add(
        self,
        iri: str,
        name: str,
        kind: str,
        cls: str,
        qualifiers: list[str],
        pairs: list[tuple[str, str]] | None = None,
    ) -> str:
        """Note a new entity (once: later calls with the same IRI change nothing)."""
        if iri not in self.new:
            self.new[iri] = Entity(iri, name, kind, cls, qualifiers, pairs or [])
        return iri

    def labels(self) -> dict[str, str]:
        """Give every new entity a label no other entity uses.

        An entity keeps the dataset's name when no other entity has it; namesakes take
        as many of their qualifiers as it takes to tell them apart, and as a last resort
        the end of their IRI.
        """
        groups: dict[str, list[Entity]] = defaultdict(list)
        for entity in self.new.values():
            groups[entity.name.lower()].append(entity)
        used = set(self.taken)
        chosen: dict[str, str] = {}
        for key in sorted(groups):
            group = groups[key]
            if len(group) == 1 and key not in used:
                chosen[group[0].iri] = group[0].name
                used.add(key)
                continue
            for entity in sorted(group, key=lambda e: e.iri):
                label = None
                for level in range(1, len(entity.qualifiers) + 1):
                    candidate = f"{entity.name} ({', '.join(entity.qualifiers[:level])})"
                    clash = any(
                        other is not entity
                        and other.qualifiers[:level] == entity.qualifiers[:level]
                        for other in group
                    )
                    if not clash and candidate.lower() not in used:
                        label = candidate
                        break
                if label is None:
                    label = f"{entity.name} ({entity.iri[1:-1].rsplit('/', 1)[1]})"
                chosen[entity.iri] = label
                used.add(label.lower())
        return chosen

    def write(self, out: Triples, status: str) -> None:
        """Write the new entities, each with the dataset as its default source."""
        labels = self.labels()
        for entity in sorted(self.new.values(), key=lambda e: e.iri):
            pairs = [
                (A, entity.cls),
                (RDFS_LABEL, text(labels[entity.iri])),
                *entity.pairs,
                (ckg("assertedBy"), self.source),
                (ckg("assertionStatus"), status),
            ]
            out.node(entity.iri, pairs)

    def new_of(self, kind: str) -> list[tuple[str, str]]:
        """List the new entities of one kind as ``(IRI, name)``, sorted by name."""
        found = [(e.iri[1:-1], e.name) for e in self.new.values() if e.kind == kind]
        return sorted(found, key=lambda pair: (pair[1].lower(), pair[0]))


GEO = "http://www.opengis.net/ont/geosparql#"


def geometry(
    entities: Entities, place: str, lon: float, lat: float, name: str, where: str
) -> tuple[str, str]:
    """Note the point of a new place as the dataset codes it; return its ``geo:hasGeometry``.

    Parameters
    ----------
    entities : Entities
        The import's entities (the geometry node is one of them).
    place : str
        The place's formatted IRI.
    lon, lat : float
        The dataset's coordinates (WGS84).
    name : str
        The place's name, for the geometry's label.
    where : str
        What the coordinates come from (``ckg:coordinateSource``).
    """
    node = place[:-1] + "-geometry>"
    wkt = f'"POINT({lon!r} {lat!r})"^^<{GEO}wktLiteral>'
    entities.add(
        node,
        f"point of {name}",
        "geometry",
        f"<{GEO}Geometry>",
        [f"{lat!r}, {lon!r}"],
        [(f"<{GEO}asWKT>", wkt), (ckg("coordinateSource"), literal(where))],
    )
    return (f"<{GEO}hasGeometry>", node)
