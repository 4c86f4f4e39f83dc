"""Generate synthetic conflictkg data shaped like the encoded reports, at any size, as a stream.

The output is N-Triples, written line by line as it is made: no graph is held in memory, and
the memory used does not grow with the size (the world of sources, actors and places is
numbered, and every entity's IRI is made from its number when it is needed).  The same seed
gives the same bytes.

The data follow the statement model of ``ontology/README.md`` and pass every shape of
``ontology/shapes.ttl`` and every check of ``queries/checks/`` together with the project
graph:

* every node of ours has a default source (``ckg:assertedBy`` a synthetic report, with its
  ``ckg:assertionStatus``), a unique label and a class of the ontology; the reports are
  dated after every event they describe;
* a world of reports, states with their territory, armed forces, armed groups founded
  before the events, cities with a point geometry and facilities inside them; the shared
  entities of ``graph/shared/`` (Mali, its armed forces, JNIM, Wagner, Bamako, West Africa)
  are reused by IRI, never described again;
* incidents: an attack with two sites (``ckg:subEventOf``), perpetrated by an unnamed group
  of attackers, with its ACLED, GTD and PLOVER codes, place and precision, date and time
  precision; counts with bounds from two sources; a claim of responsibility with its
  claimant, a claimed outcome (status claimed by a party) and a ``ckg:Statement`` that the
  claimant was the perpetrator (claimed by a party, according to the claimant, made in the
  claim); a security response; and, for most incidents, a dated relation between two actors.

One incident is about 110 triples; incidents are added until the size is reached.
``--errors K`` plants K incidents that each break one rule (for tests and benchmarks of the
validators); their kinds are :data:`ERROR_KINDS`, taken in turn.

Used by every benchmark. Run as a script to write a file::

    python benchmarks/synthetic.py 100000 out/synthetic-100k.nt [--seed 0] [--errors 0]

>>> g = generate(2000, seed=1)
>>> 2000 <= len(g) < 2400
True
>>> lines = list(ntriples(500, seed=3))
>>> lines == list(ntriples(500, seed=3)) and len(lines) == len(set(lines))
True
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph

CKG = "https://w3id.org/conflictkg/ontology#"
CKR = "https://w3id.org/conflictkg/id/"
SYN = CKR + "synthetic/"
CKC = "https://w3id.org/conflictkg/code/"
ACLED = CKC + "acled/"
GTD = CKC + "gtd/"
PLOVER = CKC + "plover/"
GEO = "http://www.opengis.net/ont/geosparql#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"

CACHE = Path(__file__).resolve().parent / ".cache"

#: Entities of graph/shared/ the synthetic incidents point to (never describe).
SHARED = {
    "region": CKR + "west-africa",
    "mali": CKR + "mali",
    "mali-forces": CKR + "malian-armed-forces",
    "jnim": CKR + "jnim",
    "wagner": CKR + "wagner-group",
    "russia": CKR + "russia",
    "bamako": CKR + "bamako",
}

#: The rule each planted error breaks, in the order they are planted.
ERROR_KINDS = (
    "RecordHasStatus",
    "CountBoundsOrder",
    "PerpetratorNotTarget",
    "EventHasDate",
    "RelationNotReflexive",
    "AcledSubEventMatchesType",
    "CountExactWithinBounds",
    "PlaceNotInItself",
    "WikidataChecked",
    "DirectNotStrongerThanStatements",
)

_GROUP_CLASSES = ("JihadistGroup", "RebelGroup", "Faction", "PrivateMilitaryCompany")
_FACILITY_CLASSES = ("MilitaryBase", "Airport", "SecurityForceSchool")
_RELATIONS = ("Affiliation", "Partnership", "Hostility", "SeveredTies")
_ATTACK_CODES = (  # ACLED type, sub-event type, GTD attack, weapon, PLOVER
    ("Battles", "ArmedClash", "ArmedAssault", "FirearmsWeapon", "Assault"),
    ("ExplosionsRemoteViolence", "RemoteExplosiveLandmineIed", "BombingExplosion",
     "ExplosivesWeapon", "Assault"),
)
_COUNT_CATEGORIES = ("Killed", "Injured")
_VAGUE = ("Several", "Dozen", "Numerous")
_SOURCE_DAY = "2025-06-30"


def _iri(value: str) -> str:
    return f"<{value}>"


def _text(value: str, lang: str | None = "en") -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{datatype}>'


def _codes(acled: str, sub: str, attack: str, target: str, weapon: str, plover: str) -> tuple:
    """Return the ACLED, GTD and PLOVER codes of an attack as (predicate, object) pairs."""
    return ((CKG + "acledEventType", ACLED + acled),
            (CKG + "acledSubEventType", ACLED + sub),
            (CKG + "gtdAttackType", GTD + attack),
            (CKG + "gtdTargetType", GTD + target),
            (CKG + "gtdWeaponType", GTD + weapon),
            (CKG + "ploverEventType", PLOVER + plover))


class _Writer:
    """Makes the lines of the synthetic graph, numbering every entity of its world."""

    def __init__(self, size: int, seed: int, errors: int) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.errors = errors
        self.n_sources = min(500, max(5, size // 20_000))
        self.n_states = min(50, max(3, size // 100_000))
        self.n_cities = min(40, max(2, size // 100_000))  # per state
        self.n_groups = min(2_000, max(8, size // 5_000))
        self.count = 0

    # --- lines ---------------------------------------------------------------------

    def triple(self, s: str, p: str, o: str) -> str:
        self.count += 1
        return f"<{s}> <{p}> {o} .\n"

    def node(self, s: str, cls: str, label: str, source: str | None,
             status: str = "Reported") -> list[str]:
        """The class, label and default source of a node of ours."""
        lines = [self.triple(s, RDF + "type", _iri(cls)),
                 self.triple(s, RDFS + "label", _text(label))]
        if source is not None:
            lines.append(self.triple(s, CKG + "assertedBy", _iri(source)))
            lines.append(self.triple(s, CKG + "assertionStatus", _iri(CKC + status)))
        return lines

    # --- the world ------------------------------------------------------------------

    def source(self, i: int) -> str:
        return f"{SYN}report-{i}"

    def state(self, i: int) -> str:
        return f"{SYN}state-{i}"

    def forces(self, i: int) -> str:
        return f"{SYN}forces-{i}"

    def country(self, i: int) -> str:
        return f"{SYN}country-{i}"

    def city(self, i: int, j: int) -> str:
        return f"{SYN}city-{i}-{j}"

    def facility(self, i: int, j: int, k: int) -> str:
        return f"{SYN}facility-{i}-{j}-{k}"

    def group(self, i: int) -> str:
        return f"{SYN}group-{i}"

    def any_source(self) -> str:
        return self.source(self.rng.randrange(self.n_sources))

    def world(self) -> Iterator[str]:
        for i in range(self.n_sources):
            s = self.source(i)
            yield from self.node(s, CKG + "Report", f"Synthetic report {i}", None)
            yield self.triple(s, CKG + "sourceKind", _iri(CKC + "NewsReport"))
            yield self.triple(s, CKG + "publicationDate", _typed(_SOURCE_DAY, XSD + "date"))
        reference = self.source(0)
        for i in range(self.n_states):
            state, land, forces = self.state(i), self.country(i), self.forces(i)
            yield from self.node(state, CKG + "State", f"Synthetic state {i}", reference)
            yield self.triple(state, CKG + "hasTerritory", _iri(land))
            yield from self.node(land, CKG + "Country", f"Synthetic country {i}", reference)
            yield self.triple(land, CKG + "territoryOf", _iri(state))
            yield self.triple(land, CKG + "locatedIn", _iri(SHARED["region"]))
            yield from self.node(forces, CKG + "ArmedForces",
                                 f"Armed forces of synthetic state {i}", reference)
            for j in range(self.n_cities):
                city = self.city(i, j)
                geometry = city + "-geometry"
                yield from self.node(city, CKG + "City", f"Synthetic city {i}-{j}", reference)
                yield self.triple(city, CKG + "locatedIn", _iri(land))
                yield self.triple(city, GEO + "hasGeometry", _iri(geometry))
                yield from self.node(geometry, GEO + "Geometry",
                                     f"point of synthetic city {i}-{j}", reference)
                lon = -12 + 24 * self.rng.random()
                lat = 10 + 10 * self.rng.random()
                yield self.triple(geometry, GEO + "asWKT",
                                  _typed(f"POINT({lon:.4f} {lat:.4f})", GEO + "wktLiteral"))
                for k in range(3):
                    facility = self.facility(i, j, k)
                    cls = _FACILITY_CLASSES[(i + j + k) % len(_FACILITY_CLASSES)]
                    yield from self.node(facility, CKG + cls,
                                         f"Synthetic facility {i}-{j}-{k}", reference)
                    yield self.triple(facility, CKG + "locatedIn", _iri(city))
        for i in range(self.n_groups):
            group = self.group(i)
            cls = _GROUP_CLASSES[i % len(_GROUP_CLASSES)]
            yield from self.node(group, CKG + cls, f"Synthetic group {i}", self.any_source())
            yield self.triple(group, SKOS + "altLabel", _text(f"SG{i}"))
            yield self.triple(group, CKG + "foundingDate",
                              _typed(1990 + self.rng.randrange(25), XSD + "gYear"))

    # --- incidents ------------------------------------------------------------------

    def incident(self, n: int, error: str | None) -> Iterator[str]:
        rng = self.rng
        t = self.triple
        base = f"{SYN}incident-{n}"
        source = self.any_source()
        year = 2018 + rng.randrange(7)
        day = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        date = _typed(day, XSD + "date")
        state = rng.randrange(self.n_states)
        city_index = rng.randrange(self.n_cities)
        shared_case = rng.random() < 0.1  # an incident in Bamako against Mali's forces
        city = SHARED["bamako"] if shared_case else self.city(state, city_index)
        target = SHARED["mali-forces"] if shared_case else self.forces(state)
        facility = self.facility(state, city_index, rng.randrange(3))
        claimant = SHARED["jnim"] if shared_case else self.group(rng.randrange(self.n_groups))
        acled, sub, gtd_attack, weapon, plover = _ATTACK_CODES[rng.randrange(len(_ATTACK_CODES))]
        if error == "AcledSubEventMatchesType":
            sub = "RemoteExplosiveLandmineIed" if acled == "Battles" else "ArmedClash"

        attackers = base + "-attackers"
        yield from self.node(attackers, CKG + "PersonGroup", f"attackers of incident {n}",
                             source)
        attack = base + "-attack"
        status = None if error == "RecordHasStatus" else "Reported"
        lines = self.node(attack, CKG + "TerroristAttack", f"Synthetic attack {n}", None)
        lines.append(t(attack, CKG + "assertedBy", _iri(source)))
        if status:
            lines.append(t(attack, CKG + "assertionStatus", _iri(CKC + status)))
        yield from lines
        yield t(attack, CKG + "summary", _text(f"Synthetic attack number {n}."))
        if error != "EventHasDate":
            yield t(attack, CKG + "date", date)
        for p, o in ((CKG + "timePrecision", CKC + "DayPrecision"),
                     (CKG + "place", city), (CKG + "geographicPrecision", CKC + "CityPrecision"),
                     (CKG + "perpetrator", attackers), (CKG + "targetedActor", target),
                     (CKG + "targetedPlace", facility),
                     *_codes(acled, sub, gtd_attack, "MilitaryTarget", weapon, plover)):
            yield t(attack, p, _iri(o))
        if error == "PerpetratorNotTarget":
            yield t(attack, CKG + "targetedActor", _iri(attackers))
        if error == "DirectNotStrongerThanStatements":
            yield t(attack, CKG + "perpetrator", _iri(claimant))
        for k in range(2):
            site = f"{attack}-site-{k}"
            place = facility if k == 0 else self.facility(state, city_index, (k + 1) % 3)
            if shared_case:
                place = city
            yield from self.node(site, CKG + "Attack", f"Synthetic attack {n}, site {k}", source)
            yield t(site, CKG + "date", date)
            for p, o in ((CKG + "subEventOf", attack), (CKG + "place", place),
                         (CKG + "geographicPrecision",
                          CKC + ("CityPrecision" if shared_case else "SitePrecision")),
                         (CKG + "timePrecision", CKC + "DayPrecision"),
                         (CKG + "perpetrator", attackers),
                         *_codes(acled, sub, gtd_attack, "MilitaryBarracksBaseTarget", weapon,
                                 plover)):
                yield t(site, p, _iri(o))

        # counts from two sources that may disagree
        category = _COUNT_CATEGORIES[rng.randrange(2)]
        sources = rng.sample(range(self.n_sources), 2)
        for k, index in enumerate(sources):
            count = f"{base}-count-{k}"
            yield from self.node(count, CKG + "Count",
                                 f"{category.lower()} in synthetic attack {n} ({k})",
                                 self.source(index))
            yield t(count, CKG + "countOf", _iri(attack))
            yield t(count, CKG + "countCategory", _iri(CKC + category))
            low = rng.randrange(0, 40)
            high = low + rng.randrange(0, 20)
            if error == "CountBoundsOrder" and k == 0:
                low, high = high + 5, high
            yield t(count, CKG + "minimumValue", _typed(low, XSD + "integer"))
            if k == 0 or rng.random() < 0.5:
                yield t(count, CKG + "maximumValue", _typed(high, XSD + "integer"))
                if error == "CountExactWithinBounds" and k == 0:
                    yield t(count, CKG + "exactValue", _typed(high + 3, XSD + "integer"))
                elif k == 0 and rng.random() < 0.3:
                    yield t(count, CKG + "exactValue", _typed(high, XSD + "integer"))

        # the claim, its claimed outcome, and the claimed perpetrator as a statement
        claim = base + "-claim"
        yield from self.node(claim, CKG + "ClaimOfResponsibility", f"Synthetic claim {n}", source)
        for p, o in ((CKG + "claimant", claimant), (CKG + "claimedEvent", attack),
                     (CKG + "claimedOutcome", base + "-claimed-count"),
                     (CKG + "geographicPrecision", CKC + "NotLocated")):
            yield t(claim, p, _iri(o))
        yield t(claim, CKG + "earliestDate", date)
        claimed = base + "-claimed-count"
        yield from self.node(claimed, CKG + "Count",
                             f"killed in synthetic attack {n}, claimed", source, "ClaimedByParty")
        yield t(claimed, CKG + "countOf", _iri(attack))
        yield t(claimed, CKG + "countCategory", _iri(CKC + "Killed"))
        yield t(claimed, CKG + "minimumValue", _typed(rng.randrange(20, 100), XSD + "integer"))
        yield t(claimed, CKG + "vagueQuantity", _iri(CKC + _VAGUE[rng.randrange(len(_VAGUE))]))
        yield t(claimed, CKG + "accordingTo", _iri(claimant))
        statement = base + "-perpetrator-claimed"
        for p, o in ((RDF + "type", CKG + "Statement"), (RDF + "subject", attack),
                     (RDF + "predicate", CKG + "perpetrator"), (RDF + "object", claimant),
                     (CKG + "assertedBy", source),
                     (CKG + "assertionStatus", CKC + "ClaimedByParty"),
                     (CKG + "accordingTo", claimant), (CKG + "madeIn", claim)):
            yield t(statement, p, _iri(o))

        # the response
        response = base + "-response"
        yield from self.node(response, CKG + "SecurityResponse", f"Synthetic response {n}",
                             self.any_source())
        for p, o in ((CKG + "inResponseTo", attack), (CKG + "performedBy", target),
                     (CKG + "place", city), (CKG + "geographicPrecision", CKC + "CityPrecision")):
            yield t(response, p, _iri(o))
        yield t(response, CKG + "date", date)

        # a relation between two actors (one of them shared now and then)
        if rng.random() < 0.6 or error in ("RelationNotReflexive", "WikidataChecked",
                                           "PlaceNotInItself"):
            relation = base + "-relation"
            cls = _RELATIONS[rng.randrange(len(_RELATIONS))]
            a = self.group(rng.randrange(self.n_groups))
            b = (SHARED["wagner"], SHARED["russia"], SHARED["mali"])[n % 3] \
                if rng.random() < 0.2 else self.group(rng.randrange(self.n_groups))
            if a == b or error == "RelationNotReflexive":
                b = a if error == "RelationNotReflexive" else self.state(n % self.n_states)
            yield from self.node(relation, CKG + cls, f"Synthetic relation {n}",
                                 self.any_source())
            yield t(relation, CKG + "fromActor", _iri(a))
            yield t(relation, CKG + "toActor", _iri(b))
            yield t(relation, CKG + "startDate", _typed(2015 + rng.randrange(3), XSD + "gYear"))
            if error == "WikidataChecked":
                yield t(attackers, CKG + "wikidataEntity", _iri("http://www.wikidata.org/entity/Q1"))
            if error == "PlaceNotInItself":
                spot = base + "-place"
                yield from self.node(spot, CKG + "Neighbourhood",
                                     f"Synthetic neighbourhood {n}", source)
                yield t(spot, CKG + "locatedIn", _iri(spot))

    def lines(self) -> Iterator[str]:
        yield from self.world()
        n = 0
        planted = 0
        spacing = None
        while self.count < self.size or planted < self.errors:
            error = None
            if planted < self.errors:
                if spacing is None:
                    spacing = max(1, self.size // 110 // max(1, self.errors))
                if n % spacing == 0:
                    error = ERROR_KINDS[planted % len(ERROR_KINDS)]
                    planted += 1
            yield from self.incident(n, error)
            n += 1


def ntriples(n_triples: int, *, seed: int = 0, errors: int = 0) -> Iterator[str]:
    """Yield the N-Triples lines of a synthetic graph of about `n_triples` (never fewer).

    Parameters
    ----------
    n_triples : int
        Size to reach; the last incident is finished, so a few more lines may follow.
    seed : int, default 0
        Seed of the random choices: the same seed gives the same lines.
    errors : int, default 0
        Incidents that break one rule each (see :data:`ERROR_KINDS`).

    Yields
    ------
    str
        One line, with its newline; no triple is repeated.
    """
    yield from _Writer(n_triples, seed, errors).lines()


def write(n_triples: int, target: Path, *, seed: int = 0, errors: int = 0) -> int:
    """Write a synthetic graph to `target` as N-Triples, streaming; return the triple count."""
    count = 0
    buffer: list[str] = []
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        for line in ntriples(n_triples, seed=seed, errors=errors):
            buffer.append(line)
            if len(buffer) >= 10_000:
                out.write("".join(buffer))
                count += len(buffer)
                buffer.clear()
        out.write("".join(buffer))
        count += len(buffer)
    return count


def generate(n_triples: int, *, seed: int = 0, errors: int = 0) -> Graph:
    """Return the synthetic graph of about ``n_triples`` triples as an rdflib graph."""
    graph = Graph()
    graph.parse(data="".join(ntriples(n_triples, seed=seed, errors=errors)), format="nt")
    return graph


def cached(n_triples: int, *, seed: int = 0, errors: int = 0) -> Path:
    """Path of an N-Triples file of the synthetic graph, generated once and kept in .cache/."""
    suffix = f"-e{errors}" if errors else ""
    path = CACHE / f"synthetic-v2-{n_triples}-{seed}{suffix}.nt"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        write(n_triples, tmp, seed=seed, errors=errors)
        tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("size", nargs="?", type=int, default=100_000, help="triples to reach")
    parser.add_argument("out", nargs="?", type=Path, help="N-Triples file (default: cached)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--errors", type=int, default=0, help="incidents breaking one rule")
    args = parser.parse_args(argv)
    if args.out is None:
        target = cached(args.size, seed=args.seed, errors=args.errors)
    else:
        write(args.size, args.out, seed=args.seed, errors=args.errors)
        target = args.out
    print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
