"""UCDP GED rows as graph records (the mapping of ``docs/import.md``, UCDP GED section).

Each row becomes an event with its dataset identifiers, dates and precisions, its place
(a point in a hierarchy of second- and first-order administrative units and the country),
its two sides (actors reconciled through the checked names table), its conflict and dyad,
five counts (deaths of side A, side B, civilians, unknown, and the total as the low, best
and high estimates) and the sources its coders cite.  The 49 columns are those of GED
23.1, 25.1 and 26.1.
"""

from __future__ import annotations

from conflictkg.importing.entities import Entities, geometry, short_hash
from conflictkg.importing.ntriples import (
    A,
    Triples,
    acled,
    ckg,
    ckr,
    gtd,
    integer,
    literal,
    plover,
    text,
    typed,
)
from conflictkg.importing.records import UNCODED_GTD, event_pairs, killed_count, sources_node
from conflictkg.importing.table import Row

__all__ = ["COLUMNS", "GEO_PRECISION", "TIME_PRECISION", "EventKey", "map_row"]

#: The columns of a GED release (23.1, 25.1 and 26.1 share them), in GED's order.
COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)

#: GED's where_prec to conflictkg's geographic precision.
GEO_PRECISION = {
    1: "CityPrecision",  # the exact location (a village, town or city) is known
    2: "CityPrecision",  # within about 25 km of a known point
    3: "SubnationalRegionPrecision",  # a second-order administrative unit
    4: "SubnationalRegionPrecision",  # a first-order administrative unit
    5: "SubnationalRegionPrecision",  # a part of a country larger than a unit, or a line
    6: "CountryPrecision",  # only the country
    7: "SupranationalRegionPrecision",  # international waters or airspace
}

#: GED's date_prec to conflictkg's time precision.
TIME_PRECISION = {
    1: "DayPrecision",  # the exact date
    2: "WeekPrecision",  # within two to six days
    3: "MonthPrecision",  # within a month
    4: "YearPrecision",  # within a year (more than a month)
    5: "MultiYearPeriodPrecision",  # more than a year
}

_KINDS = {1: "state-based", 2: "non-state", 3: "one-sided"}
_UNCODED_VIOLENT = (
    "<https://w3id.org/conflictkg/code/acled/EventTypeScheme>",
    "<https://w3id.org/conflictkg/code/acled/SubEventTypeScheme>",
)


class EventKey:
    """What the linking of events needs to know of an imported event.

    Attributes
    ----------
    iri : str
        The event (not formatted: the bare IRI).
    start, end : str
        Its earliest and latest dates (``YYYY-MM-DD``).
    places : list of str
        Its place and the places that contain it, innermost first (bare IRIs).
    actors : set of str
        The actors it names (bare IRIs).
    """

    __slots__ = ("actors", "end", "iri", "places", "start")

    def __init__(self, iri: str, start: str, end: str, places: list[str], actors: set[str]):
        self.iri, self.start, self.end, self.places, self.actors = iri, start, end, places, actors


def _bare(iri: str) -> str:
    return iri[1:-1]


def _actor(entities: Entities, row: Row, side: str) -> str:
    """Return the formatted IRI of side A or B, reconciled or new."""
    new_id = str(row.integer(f"side_{side}_new_id"))
    known = entities.known("actor", new_id)
    if known:
        return known
    name = row[f"side_{side}"].strip()
    civilians = name == "Civilians"
    iri = ckr(f"ucdp-actor-{new_id}")
    return entities.add(
        iri,
        name,
        "actor",
        ckg("PersonGroup" if civilians else "Actor"),
        [f"UCDP actor {new_id}"],
        [(ckg("datasetRecordId"), literal(new_id))],
    )


def _places(entities: Entities, row: Row, source_label: str) -> tuple[str, list[str]]:
    """Return the event's place and the chain from it to its country (formatted)."""
    country_id = str(row.integer("country_id"))
    country_name = row["country"].strip()
    region_name = row["region"].strip()
    country = entities.known("country", country_id)
    if country is None:
        region = ckr("ucdp-region-" + short_hash(region_name))
        entities.add(region, region_name, "region", ckg("SupranationalRegion"), ["UCDP region"])
        country = ckr(f"gw-country-{country_id}")
        entities.add(
            country,
            country_name,
            "country",
            ckg("Country"),
            [f"Gleditsch-Ward {country_id}"],
            [(ckg("locatedIn"), region), (ckg("datasetRecordId"), literal(country_id))],
        )
    chain = [country]
    adm_1, adm_2 = row["adm_1"].strip(), row["adm_2"].strip()
    if adm_1:
        unit = ckr("ucdp-ged-place-" + short_hash(country_id, adm_1))
        entities.add(
            unit,
            adm_1,
            "place",
            ckg("SubnationalRegion"),
            [country_name],
            [(ckg("locatedIn"), chain[-1])],
        )
        chain.append(unit)
        if adm_2:
            unit = ckr("ucdp-ged-place-" + short_hash(country_id, adm_1, adm_2))
            entities.add(
                unit,
                adm_2,
                "place",
                ckg("SubnationalRegion"),
                [adm_1, country_name],
                [(ckg("locatedIn"), chain[-1])],
            )
            chain.append(unit)
    chain.reverse()
    where = row["where_coordinates"].strip()
    precision = row.integer("where_prec")
    if precision == 6:
        return chain[-1], chain[-1:]
    lat, lon = row.decimal("latitude"), row.decimal("longitude")
    if not where or where in (adm_1, adm_2):
        # the event is coded at an administrative unit: the unit takes the dataset's point
        # (the first the dataset gives it), so that the event is on the map
        unit = entities.new.get(chain[0])
        if unit is not None and lat is not None and lon is not None and not any(
            predicate.endswith("hasGeometry>") for predicate, _ in unit.pairs
        ):
            unit.pairs.append(geometry(entities, chain[0], lon, lat, unit.name,
                                       f"{source_label}, columns longitude and latitude"))
        return chain[0], chain
    if lat is None or lon is None:
        raise row.fail("latitude", "coordinates are expected for a located event")
    place = ckr(
        "ucdp-ged-place-" + short_hash(country_id, adm_1, adm_2, where, repr(lat), repr(lon))
    )
    pairs = [(ckg("locatedIn"), chain[0])]
    if place not in entities.new:
        pairs.append(
            geometry(
                entities, place, lon, lat, where, f"{source_label}, columns longitude and latitude"
            )
        )
    entities.add(
        place,
        where,
        "place",
        ckg("Place"),
        [adm_2 or adm_1 or country_name, country_name, f"{lat!r}, {lon!r}"],
        pairs,
    )
    return place, [place, *chain]


def _coded(
    entities: Entities,
    row: Row,
    kind: str,
    klass: str,
    extra: list[tuple[str, str]] | None = None,
) -> str:
    """Add the row's conflict or dyad (`kind`) under its UCDP id; return its IRI."""
    new_id = row.integer(f"{kind}_new_id")
    iri = ckr(f"ucdp-{kind}-{new_id}")
    entities.add(
        iri,
        row[f"{kind}_name"].strip(),
        kind,
        klass,
        [f"UCDP {kind} {new_id}"],
        [(ckg("datasetRecordId"), literal(str(new_id))), *(extra or [])],
    )
    return iri


def map_row(
    row: Row, out: Triples, entities: Entities, dataset: str, source_label: str, status: str
) -> EventKey:
    """Write the records of one GED row; return what linking needs of its event.

    Parameters
    ----------
    row : Row
        The row.
    out : Triples
        Where its triples go.
    entities : Entities
        The import's actors and places.
    dataset : str
        The formatted IRI of the dataset's source node.
    source_label : str
        The dataset's name and version, for labels and notes.
    status : str
        The formatted assertion status of the dataset's records.

    Raises
    ------
    InputError
        For a value that cannot be read (a date, a number), naming the row and column.
    """
    gid = row["id"].strip()
    if not gid:
        raise row.fail("id", "every event needs its id")
    event = ckr(f"ucdp-ged-event-{gid}")
    kind = row.integer("type_of_violence")
    if kind not in _KINDS:
        raise row.fail(
            "type_of_violence", f"1, 2 or 3 is expected, not {row['type_of_violence']!r}"
        )
    start, end = row.date("date_start"), row.date("date_end")
    date_prec = row.integer("date_prec")
    where_prec = row.integer("where_prec")
    if date_prec not in TIME_PRECISION:
        raise row.fail("date_prec", f"1 to 5 is expected, not {date_prec}")
    if where_prec not in GEO_PRECISION:
        raise row.fail("where_prec", f"1 to 7 is expected, not {where_prec}")
    side_a, side_b = _actor(entities, row, "a"), _actor(entities, row, "b")
    place, chain = _places(entities, row, source_label)
    source_pairs = [(ckg("assertedBy"), dataset), (ckg("assertionStatus"), status)]

    conflict = _coded(entities, row, "conflict", ckg("DatasetConflict"))
    dyad = _coded(
        entities, row, "dyad", ckg("Dyad"), [(ckg("fromActor"), side_a), (ckg("toActor"), side_b)]
    )

    pairs = event_pairs(
        f"UCDP GED event {gid} ({_KINDS[kind]}, {row['dyad_name'].strip()}, {start})",
        [gid, row["relid"].strip()],
        start,
        end,
        (TIME_PRECISION[date_prec], date_prec),
        place,
        (GEO_PRECISION[where_prec], where_prec),
    )
    pairs += [
        (ckg("sideA"), side_a),
        (ckg("sideB"), side_b),
        (ckg("datasetConflict"), conflict),
        (ckg("datasetDyad"), dyad),
        (ckg("eventClarity"), integer(row.integer("event_clarity"))),
        (ckg("codingStatus"), literal(row["code_status"].strip())),
        (ckg("ploverEventType"), plover("Assault")),
    ]
    if start == end:
        pairs.append((ckg("date"), typed(start, "date")))
    if kind == 3:
        pairs += [
            (A, ckg("AttackOnCivilians")),
            (ckg("perpetrator"), side_a),
            (ckg("victim"), side_b),
            (ckg("acledEventType"), acled("ViolenceAgainstCivilians")),
            (ckg("acledSubEventType"), acled("Attack")),
            (ckg("gtdAttackType"), gtd("UnknownAttackType")),
            (ckg("gtdTargetType"), gtd("PrivateCitizensPropertyTarget")),
            (ckg("gtdWeaponType"), gtd("UnknownWeapon")),
        ]
    else:
        pairs.append((A, ckg("ViolentEvent")))
        pairs += [(ckg("uncodedIn"), scheme) for scheme in _UNCODED_VIOLENT + UNCODED_GTD]
    sources = row.integer("number_of_sources")
    if sources is not None and sources >= 0:
        pairs.append((ckg("numberOfSources"), integer(sources)))
    else:
        pairs.append(
            (
                ckg("encodingNote"),
                text(
                    f"{source_label} gives number_of_sources {sources}: the number of sources was "
                    "not recorded for this event."
                ),
            )
        )
    cited = [
        (ckg("sourceCitation"), row["source_article"]),
        (ckg("publisherName"), row["source_office"]),
        (ckg("sourceDates"), row["source_date"]),
        ("<http://purl.org/dc/terms/title>", row["source_headline"]),
        (ckg("originalSource"), row["source_original"]),
    ]
    cited = [(p, literal(v.strip())) for p, v in cited if v.strip()]
    if cited:
        media = ckr(f"ucdp-ged-event-{gid}-sources")
        pairs.append((ckg("basedOn"), media))
        sources_node(out, media, f"sources of UCDP GED event {gid}", cited)
    out.node(event, pairs + source_pairs)

    def count(suffix: str, label: str, values: list[tuple[str, str]], group: str | None) -> None:
        extra = [(ckg("countedGroup"), group)] if group else []
        killed_count(
            out,
            ckr(f"ucdp-ged-event-{gid}-{suffix}"),
            f"{label} (UCDP GED event {gid})",
            event,
            values + extra,
            source_pairs,
        )

    count(
        "deaths-side-a",
        "deaths of side A",
        [(ckg("approximateValue"), integer(row.integer("deaths_a")))],
        side_a,
    )
    count(
        "deaths-side-b",
        "deaths of side B",
        [(ckg("approximateValue"), integer(row.integer("deaths_b")))],
        side_b,
    )
    civilians = entities.add(
        ckr("ucdp-actor-1"),
        "Civilians",
        "actor",
        ckg("PersonGroup"),
        ["UCDP actor 1"],
        [(ckg("datasetRecordId"), literal("1"))],
    )
    count(
        "deaths-civilians",
        "civilian deaths",
        [(ckg("approximateValue"), integer(row.integer("deaths_civilians")))],
        civilians,
    )
    unknown = ckr("ucdp-ged-dead-of-unknown-status")
    entities.add(unknown, "dead of unknown status", "actor", ckg("PersonGroup"), ["UCDP GED"])
    count(
        "deaths-unknown",
        "deaths of unknown status",
        [(ckg("approximateValue"), integer(row.integer("deaths_unknown")))],
        unknown,
    )
    count(
        "deaths-total",
        "deaths in all (low, best and high estimates)",
        [
            (ckg("minimumValue"), integer(row.integer("low"))),
            (ckg("approximateValue"), integer(row.integer("best"))),
            (ckg("maximumValue"), integer(row.integer("high"))),
        ],
        None,
    )
    return EventKey(
        _bare(event), start, end, [_bare(p) for p in chain], {_bare(side_a), _bare(side_b)}
    )
