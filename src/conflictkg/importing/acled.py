"""ACLED rows as graph records (the mapping of ``docs/import.md``, ACLED section).

Two layouts are read: the current export (31 columns, from ``event_id_cnty`` to
``timestamp``, with ``disorder_type``, ``civilian_targeting`` and ``tags``) and the older
31-column layout (``data_id`` ... ``iso3``) whose humanitarian copies carry a second line
of HXL hashtags.  ``inter1`` and ``inter2`` may be codes (``1``) or names (``State
forces``); ``event_date`` may be ``2024-09-17`` or ``17 September 2024``.

ACLED's terms forbid passing its rows on: the importer reads the user's own export, and the
project's fixtures are made-up rows in ACLED's layouts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pyoxigraph as ox

from conflictkg import resources
from conflictkg.importing.entities import Entities, geometry, short_hash
from conflictkg.importing.ged import EventKey
from conflictkg.importing.ntriples import (
    A,
    Triples,
    acled,
    ckg,
    ckr,
    gtd,
    integer,
    literal,
    text,
    typed,
)
from conflictkg.importing.records import UNCODED_GTD, event_pairs, killed_count, sources_node
from conflictkg.importing.table import Row

__all__ = ["CURRENT_COLUMNS", "LAYOUTS", "OLD_COLUMNS", "Codebook", "map_row"]

# The two layouts share the columns of the actors and those from the place to the fatalities.
_ACTOR_COLUMNS = (
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
)
_PLACE_TO_FATALITIES_COLUMNS = (
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
)
#: The current export's columns.
CURRENT_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    *_ACTOR_COLUMNS,
    "civilian_targeting",
    "iso",
    *_PLACE_TO_FATALITIES_COLUMNS,
    "tags",
    "timestamp",
)
#: The older layout's columns (the humanitarian copies add a row of HXL tags).
OLD_COLUMNS = (
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    *_ACTOR_COLUMNS,
    *_PLACE_TO_FATALITIES_COLUMNS,
    "timestamp",
    "iso3",
)
LAYOUTS = (CURRENT_COLUMNS, OLD_COLUMNS)

#: ACLED's time_precision to conflictkg's time precision.
TIME_PRECISION = {1: "DayPrecision", 2: "WeekPrecision", 3: "MonthPrecision"}
#: ACLED's geo_precision to conflictkg's geographic precision.
GEO_PRECISION = {
    1: "CityPrecision",
    2: "SubnationalRegionPrecision",
    3: "SubnationalRegionPrecision",
}
_ACTOR_TYPES = (
    "StateForces",
    "RebelGroups",
    "PoliticalMilitias",
    "IdentityMilitias",
    "Rioters",
    "Protesters",
    "Civilians",
    "ExternalOtherForces",
)
_TYPE_NAMES = {
    "state forces": 1,
    "rebel group": 2,
    "rebel groups": 2,
    "political militia": 3,
    "political militias": 3,
    "identity militia": 4,
    "identity militias": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external/other forces": 8,
}
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}


@dataclass
class Codebook:
    """The ACLED concepts of the ontology, by notation, and the classes they stand for.

    Attributes
    ----------
    event_types, sub_event_types : dict of str to str
        Notation (``Battles``, ``Armed clash``) to formatted concept IRI.
    parent : dict of str to str
        Sub-event type to its event type.
    classes : dict of str to str
        Sub-event type to the formatted class of conflictkg that corresponds to it.
    plover : dict of str to str
        Class to its PLOVER event type, where the ontology gives one.
    attacks : set of str
        Classes that are attacks (and need GTD codes).
    interactions : set of str
        The interaction codes of ACLED's scheme.
    """

    event_types: dict[str, str]
    sub_event_types: dict[str, str]
    parent: dict[str, str]
    classes: dict[str, str]
    plover: dict[str, str]
    attacks: set[str]
    violent: set[str]
    interactions: set[str]

    @classmethod
    def load(cls) -> Codebook:
        """Read the codes and the correspondences from the ontology files."""
        store = ox.Store()
        for path in resources.ontology_files():
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        prefix = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX ckg: <https://w3id.org/conflictkg/ontology#>
            PREFIX acled: <https://w3id.org/conflictkg/code/acled/>
            PREFIX plover: <https://w3id.org/conflictkg/code/plover/>"""

        def pairs(query: str) -> list[tuple[str, str]]:
            return [(str(a.value), str(b.value)) for a, b in store.query(prefix + query)]

        types = dict(
            pairs("SELECT ?n ?c { ?c skos:inScheme acled:EventTypeScheme ; skos:notation ?n }")
        )
        subs = dict(
            pairs("SELECT ?n ?c { ?c skos:inScheme acled:SubEventTypeScheme ; skos:notation ?n }")
        )
        broader = dict(
            pairs("SELECT ?c ?t { ?c skos:inScheme acled:SubEventTypeScheme ; skos:broader ?t }")
        )
        matched: dict[str, str] = {}
        for code, klass in sorted(
            pairs(
                "SELECT ?code ?class { ?class ckg:correspondingCode ?code . "
                "?code skos:inScheme acled:SubEventTypeScheme }"
            )
        ):
            matched.setdefault(code, klass)
        plovers: dict[str, str] = {}
        for klass, code in sorted(
            pairs(
                "SELECT ?class ?code { ?class rdfs:subClassOf* ?top . "
                "?top ckg:correspondingCode ?code . "
                "?code skos:inScheme plover:EventTypeScheme }"
            )
        ):
            plovers.setdefault(f"<{klass}>", f"<{code}>")
        attacks = {
            f"<{c.value}>"
            for (c,) in store.query(prefix + "SELECT ?c { ?c rdfs:subClassOf* ckg:Attack }")
        }
        violent = {
            f"<{c.value}>"
            for (c,) in store.query(prefix + "SELECT ?c { ?c rdfs:subClassOf* ckg:ViolentEvent }")
        }
        interactions = {
            str(n.value)
            for (n,) in store.query(
                prefix + "SELECT ?n { ?c skos:inScheme acled:InteractionScheme ; skos:notation ?n }"
            )
        }
        return cls(
            event_types={n: f"<{c}>" for n, c in types.items()},
            sub_event_types={n: f"<{c}>" for n, c in subs.items()},
            parent={f"<{c}>": f"<{broader[c]}>" for c in subs.values() if c in broader},
            classes={f"<{code}>": f"<{klass}>" for code, klass in matched.items()},
            plover=plovers,
            attacks=attacks,
            violent=violent,
            interactions=interactions,
        )


def _date(row: Row) -> dt.date:
    text_value = row["event_date"].strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text_value)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", text_value)
        if match and match[2].lower() in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    except ValueError:
        pass
    raise row.fail(
        "event_date",
        f"a date such as 2024-09-17 or 17 September 2024 is expected, not {text_value!r}",
    )


def _actor_type(row: Row, column: str) -> int | None:
    value = row[column].strip()
    if not value or value == "0":
        return None
    if value.isdigit() and 1 <= int(value) <= 8:
        return int(value)
    if value.lower() in _TYPE_NAMES:
        return _TYPE_NAMES[value.lower()]
    raise row.fail(
        column,
        f"an ACLED actor type (1 to 8, or a name such as 'State forces') is "
        f"expected, not {value!r}",
    )


def _actor(entities: Entities, name: str) -> str:
    known = entities.known("actor", name)
    if known:
        return known
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "actor"
    iri = ckr(f"acled-actor-{slug}-{short_hash(name)[:6]}")
    return entities.add(iri, name, "actor", ckg("Actor"), ["ACLED actor"])


def _places(entities: Entities, row: Row) -> tuple[str, list[str]]:
    country_name = row["country"].strip()
    country = entities.known("country", country_name)
    if country is None:
        region_name = row["region"].strip()
        region = ckr("acled-region-" + short_hash(region_name))
        entities.add(region, region_name, "region", ckg("SupranationalRegion"), ["ACLED region"])
        country = ckr("acled-country-" + short_hash(country_name))
        entities.add(
            country,
            country_name,
            "country",
            ckg("Country"),
            ["ACLED country"],
            [(ckg("locatedIn"), region)],
        )
    chain = [country]
    keys = [country_name]
    for column in ("admin1", "admin2", "admin3"):
        name = row[column].strip()
        if not name:
            break
        keys.append(name)
        unit = ckr("acled-place-" + short_hash(*keys))
        entities.add(
            unit,
            name,
            "place",
            ckg("SubnationalRegion"),
            list(reversed(keys[:-1])),
            [(ckg("locatedIn"), chain[-1])],
        )
        chain.append(unit)
    chain.reverse()
    location = row["location"].strip()
    if not location:
        return chain[0], chain
    known = entities.known("place", f"{country_name}|{location}")
    if known:
        return known, [known, *chain]
    if location == keys[-1]:
        return chain[0], chain
    lat, lon = row.decimal("latitude"), row.decimal("longitude")
    place = ckr("acled-place-" + short_hash(*keys, location, repr(lat), repr(lon)))
    pairs = [(ckg("locatedIn"), chain[0])]
    if lat is not None and lon is not None and place not in entities.new:
        pairs.append(
            geometry(
                entities, place, lon, lat, location, "ACLED export, columns longitude and latitude"
            )
        )
    entities.add(
        place,
        location,
        "place",
        ckg("Place"),
        [*reversed(keys[1:]), country_name, f"{lat!r}, {lon!r}"],
        pairs,
    )
    return place, [place, *chain]


def map_row(
    row: Row,
    out: Triples,
    entities: Entities,
    dataset: str,
    source_label: str,
    status: str,
    codebook: Codebook,
) -> EventKey:
    """Write the records of one ACLED row; return what linking needs of its event.

    Parameters are those of :func:`conflictkg.importing.ged.map_row`, and the
    :class:`Codebook` of the ontology's ACLED codes.
    """
    eid = row["event_id_cnty"].strip()
    if not eid or not re.fullmatch(r"[A-Za-z0-9_-]+", eid):
        raise row.fail("event_id_cnty", f"an identifier such as MLI1234 is expected, not {eid!r}")
    event = ckr(f"acled-event-{eid}")
    day = _date(row)
    precision = row.integer("time_precision")
    if precision not in TIME_PRECISION:
        raise row.fail("time_precision", f"1, 2 or 3 is expected, not {precision}")
    geo = row.integer("geo_precision")
    if geo not in GEO_PRECISION:
        raise row.fail("geo_precision", f"1, 2 or 3 is expected, not {geo}")
    type_code = codebook.event_types.get(row["event_type"].strip())
    if type_code is None:
        raise row.fail("event_type", f"unknown ACLED event type {row['event_type']!r}")
    sub_code = codebook.sub_event_types.get(row["sub_event_type"].strip())
    if sub_code is None:
        raise row.fail("sub_event_type", f"unknown ACLED sub-event type {row['sub_event_type']!r}")
    klass = codebook.classes.get(sub_code, ckg("Event"))
    if precision == 1:
        start = end = day
    elif precision == 2:
        start, end = day - dt.timedelta(days=6), day + dt.timedelta(days=6)
    else:
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    place, chain = _places(entities, row)
    source_pairs = [(ckg("assertedBy"), dataset), (ckg("assertionStatus"), status)]
    label = f"ACLED event {eid} ({row['sub_event_type'].strip()}, {day.isoformat()})"
    pairs = [
        (A, klass),
        *event_pairs(
            label,
            [eid],
            start.isoformat(),
            end.isoformat(),
            (TIME_PRECISION[precision], precision),
            place,
            (GEO_PRECISION[geo], geo),
        ),
        (ckg("acledEventType"), type_code),
        (ckg("acledSubEventType"), sub_code),
    ]
    if precision == 1:
        pairs.append((ckg("date"), typed(day.isoformat(), "date")))
    for column in ("data_id", "event_id_no_cnty"):
        if row.get(column, "").strip():
            pairs.append((ckg("datasetRecordId"), literal(row[column].strip())))
    plover_code = codebook.plover.get(klass)
    if plover_code:
        pairs.append((ckg("ploverEventType"), plover_code))
    else:
        pairs.append(
            (ckg("uncodedIn"), "<https://w3id.org/conflictkg/code/plover/EventTypeScheme>")
        )
    if klass in codebook.attacks:
        target = (
            "PrivateCitizensPropertyTarget"
            if sub_code
            in (acled("Attack"), acled("AbductionForcedDisappearance"), acled("SexualViolence"))
            else "UnknownTarget"
        )
        pairs += [
            (ckg("gtdAttackType"), gtd("UnknownAttackType")),
            (ckg("gtdTargetType"), gtd(target)),
            (ckg("gtdWeaponType"), gtd("UnknownWeapon")),
        ]
    else:
        pairs += [(ckg("uncodedIn"), scheme) for scheme in UNCODED_GTD]
    actors: set[str] = set()
    types: list[int] = []
    for number in ("1", "2"):
        name = row[f"actor{number}"].strip()
        kind = _actor_type(row, f"inter{number}")
        if name:
            iri = _actor(entities, name)
            actors.add(iri[1:-1])
            pairs.append((ckg(f"acledActor{number}"), iri))
        if kind:
            types.append(kind)
            pairs.append((ckg(f"acledActor{number}Type"), acled(_ACTOR_TYPES[kind - 1])))
        for other in row[f"assoc_actor_{number}"].split(";"):
            if other.strip():
                iri = _actor(entities, other.strip())
                actors.add(iri[1:-1])
                pairs.append((ckg(f"acledAssociatedActor{number}"), iri))
    interaction = row["interaction"].strip()
    if not interaction.isdigit() and types:
        interaction = "".join(str(t) for t in sorted(types)) + ("0" if len(types) == 1 else "")
    if interaction in codebook.interactions:
        pairs.append((ckg("acledInteraction"), acled(f"Interaction{interaction}")))
    notes = row["notes"].strip()
    if notes:
        pairs.append((ckg("datasetNotes"), text(notes)))
    tags = [tag.strip() for tag in row.get("tags", "").split(";") if tag.strip()]
    if row.get("civilian_targeting", "").strip():
        tags.append(row["civilian_targeting"].strip())
    pairs += [(ckg("datasetTag"), literal(tag)) for tag in tags]
    if row["source"].strip():
        media = ckr(f"acled-event-{eid}-sources")
        pairs.append((ckg("basedOn"), media))
        sources_node(
            out,
            media,
            f"sources of ACLED event {eid}",
            [(ckg("publisherName"), literal(row["source"].strip()))],
        )
    out.node(event, pairs + source_pairs)
    fatalities = row.integer("fatalities")
    killed_count(
        out,
        ckr(f"acled-event-{eid}-fatalities"),
        f"fatalities (ACLED event {eid})",
        event,
        [
            (ckg("minimumValue"), integer(fatalities)),
            (
                ckg("encodingNote"),
                text("ACLED's fatality figures are conservative estimates: a lower bound."),
            ),
        ],
        source_pairs,
    )
    return EventKey(
        event[1:-1], start.isoformat(), end.isoformat(), [p[1:-1] for p in chain], actors
    )
