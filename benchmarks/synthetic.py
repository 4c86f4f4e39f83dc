"""Generate synthetic conflictkg data shaped like the encoded reports, at a chosen size.

The data follow the ontology and pass the shapes: sources, actors (armed groups, states with
their territory, armed forces, people), a place hierarchy (regions, countries, cities,
neighbourhoods, facilities, checked-looking coordinates on cities), and incidents: an attack
with sub-events per site, counts with bounds from several sources that disagree, a claim of
responsibility with claimed outcomes, responses and reactions, and dated actor relations.
One incident is about 150 triples; the generator adds incidents until the size is reached.

Used by every benchmark (``bench_queries.py``, ``bench_analysis.py``, ``bench_export.py``,
``bench_serve.py``). Run as a script to write a file::

    python benchmarks/synthetic.py 100000 out/synthetic-100k.nt

>>> g = generate(2000, seed=1)
>>> 2000 <= len(g) < 2400
True
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

CKG = Namespace("https://w3id.org/conflictkg/ontology#")
CKR = Namespace("https://w3id.org/conflictkg/id/synthetic/")
CKC = Namespace("https://w3id.org/conflictkg/code/")
ACLED = Namespace("https://w3id.org/conflictkg/code/acled/")
GTD = Namespace("https://w3id.org/conflictkg/code/gtd/")
PLOVER = Namespace("https://w3id.org/conflictkg/code/plover/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")

CACHE = Path(__file__).resolve().parent / ".cache"

_GROUP_CLASSES = (CKG.JihadistGroup, CKG.RebelGroup, CKG.Faction, CKG.PrivateMilitaryCompany)
_STATUSES = (CKC.Reported, CKC.Reported, CKC.Reported, CKC.ClaimedByParty, CKC.Unconfirmed,
             CKC.Official)
_RELATIONS = (CKG.Affiliation, CKG.Partnership, CKG.Hostility, CKG.Membership,
              CKG.SeveredTies)


class _Builder:
    def __init__(self, seed: int):
        self.g = Graph()
        self.rng = random.Random(seed)
        self.sources: list[URIRef] = []
        self.groups: list[URIRef] = []
        self.states: list[URIRef] = []
        self.forces: list[URIRef] = []
        self.cities: list[URIRef] = []
        self.facilities: list[URIRef] = []
        self.n = 0

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def labelled(self, node, cls, label) -> URIRef:
        self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, Literal(label, lang="en"))
        return node

    def sourced(self, node, source=None, status=None) -> None:
        self.add(node, CKG.assertedBy, source or self.rng.choice(self.sources))
        self.add(node, CKG.assertionStatus, status or self.rng.choice(_STATUSES))

    def world(self, size: int) -> None:
        n_states = max(3, size // 40_000)
        for i in range(max(5, size // 20_000)):
            src = self.labelled(CKR[f"source-{i}"], CKG.Report, f"Synthetic report {i}")
            self.add(src, CKG.sourceKind, CKC.NewsReport)
            self.sources.append(src)
        region = self.labelled(CKR["region"], CKG.SupranationalRegion, "Synthetic region")
        for i in range(n_states):
            state = self.labelled(CKR[f"state-{i}"], CKG.State, f"State {i}")
            land = self.labelled(CKR[f"country-{i}"], CKG.Country, f"Country {i}")
            self.add(state, CKG.hasTerritory, land)
            self.add(land, CKG.territoryOf, state)
            self.add(land, CKG.locatedIn, region)
            self.states.append(state)
            force = self.labelled(CKR[f"forces-{i}"], CKG.ArmedForces, f"Armed forces of State {i}")
            self.forces.append(force)
            for j in range(max(2, size // 50_000)):
                city = self.labelled(CKR[f"city-{i}-{j}"], CKG.City, f"City {i}-{j}")
                self.add(city, CKG.locatedIn, land)
                geometry = CKR[f"city-{i}-{j}-geometry"]
                lon = -12 + 24 * self.rng.random()
                lat = 10 + 10 * self.rng.random()
                self.add(city, GEO.hasGeometry, geometry)
                self.add(geometry, GEO.asWKT,
                         Literal(f"POINT({lon:.4f} {lat:.4f})", datatype=GEO.wktLiteral))
                self.cities.append(city)
                for k in range(3):
                    fac = self.labelled(CKR[f"facility-{i}-{j}-{k}"],
                                        self.rng.choice((CKG.MilitaryBase, CKG.Airport,
                                                         CKG.SecurityForceSchool)),
                                        f"Facility {i}-{j}-{k}")
                    self.add(fac, CKG.locatedIn, city)
                    self.facilities.append(fac)
        for i in range(max(8, size // 5_000)):
            group = self.labelled(CKR[f"group-{i}"], self.rng.choice(_GROUP_CLASSES), f"Group {i}")
            self.add(group, SKOS.altLabel, Literal(f"G{i}", lang="en"))
            self.add(group, CKG.foundingDate,
                     Literal(str(1990 + self.rng.randrange(20)), datatype=XSD.gYear))
            self.groups.append(group)

    def relation(self) -> None:
        rng = self.rng
        actors = self.groups + self.states + self.forces
        a, b = rng.sample(actors, 2)
        cls = rng.choice(_RELATIONS)
        rel = self.labelled(CKR[f"relation-{self.n}"], cls, f"relation {self.n}")
        self.add(rel, CKG.fromActor, a)
        self.add(rel, CKG.toActor, b)
        self.add(rel, CKG.startDate, Literal(str(2010 + rng.randrange(14)), datatype=XSD.gYear))
        self.sourced(rel)

    def incident(self) -> None:
        rng, n = self.rng, self.n
        self.n += 1
        day = f"20{rng.randrange(10, 25)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        date = Literal(day, datatype=XSD.date)
        city = rng.choice(self.cities)
        perpetrator = rng.choice(self.groups)
        state_index = rng.randrange(len(self.states))
        target = self.forces[state_index]
        attack = self.labelled(CKR[f"attack-{n}"], CKG.Attack, f"Attack {n}")
        self.add(attack, CKG.summary, Literal(f"Synthetic attack number {n}.", lang="en"))
        for p, o in ((CKG.date, date), (CKG.timePrecision, CKC.DayPrecision),
                     (CKG.place, city), (CKG.geographicPrecision, CKC.CityPrecision),
                     (CKG.perpetrator, perpetrator), (CKG.targetedActor, target),
                     (CKG.acledEventType, ACLED.Battles),
                     (CKG.acledSubEventType, ACLED.ArmedClash),
                     (CKG.gtdAttackType, GTD.ArmedAssault),
                     (CKG.gtdTargetType, GTD.MilitaryTarget),
                     (CKG.gtdWeaponType, GTD.FirearmsWeapon),
                     (CKG.ploverEventType, PLOVER.Assault)):
            self.add(attack, p, o)
        self.sourced(attack, status=CKC.Reported)
        for k in range(2):
            site = self.labelled(CKR[f"attack-{n}-site-{k}"], CKG.Attack, f"Attack {n}, site {k}")
            facility = rng.choice(self.facilities)
            for p, o in ((CKG.subEventOf, attack), (CKG.date, date), (CKG.place, facility),
                         (CKG.geographicPrecision, CKC.CityPrecision),
                         (CKG.perpetrator, perpetrator), (CKG.targetedPlace, facility),
                         (CKG.acledEventType, ACLED.Battles),
                         (CKG.acledSubEventType, ACLED.ArmedClash),
                         (CKG.gtdAttackType, GTD.ArmedAssault),
                         (CKG.gtdTargetType, GTD.MilitaryBarracksBaseTarget),
                         (CKG.gtdWeaponType, GTD.ExplosivesWeapon),
                         (CKG.ploverEventType, PLOVER.Assault)):
                self.add(site, p, o)
            self.sourced(site, status=CKC.Reported)
        for k, source in enumerate(rng.sample(self.sources, 2)):
            count = self.labelled(CKR[f"attack-{n}-killed-{k}"], CKG.Count, f"killed {n}/{k}")
            low = rng.randrange(0, 40)
            self.add(count, CKG.countOf, attack)
            self.add(count, CKG.countCategory, CKC.Killed)
            self.add(count, CKG.minimumValue, Literal(low))
            if rng.random() < 0.5:
                self.add(count, CKG.maximumValue, Literal(low + rng.randrange(0, 20)))
            self.sourced(count, source=source, status=CKC.Reported)
        claim = self.labelled(CKR[f"claim-{n}"], CKG.ClaimOfResponsibility, f"Claim {n}")
        claimed = self.labelled(CKR[f"claim-{n}-killed"], CKG.Count, f"claimed killed {n}")
        for p, o in ((CKG.claimant, perpetrator), (CKG.claimedEvent, attack),
                     (CKG.claimedOutcome, claimed), (CKG.earliestDate, date),
                     (CKG.place, city), (CKG.geographicPrecision, CKC.CityPrecision)):
            self.add(claim, p, o)
        self.sourced(claim, status=CKC.Reported)
        for p, o in ((CKG.countOf, attack), (CKG.countCategory, CKC.Killed),
                     (CKG.minimumValue, Literal(rng.randrange(20, 100))),
                     (CKG.accordingTo, perpetrator)):
            self.add(claimed, p, o)
        self.sourced(claimed, status=CKC.ClaimedByParty)
        response = self.labelled(CKR[f"response-{n}"], CKG.SecurityResponse, f"Response {n}")
        for p, o in ((CKG.inResponseTo, attack), (CKG.performedBy, target), (CKG.date, date),
                     (CKG.place, city), (CKG.geographicPrecision, CKC.CityPrecision)):
            self.add(response, p, o)
        self.sourced(response)
        if rng.random() < 0.6:
            self.relation()


def generate(n_triples: int, *, seed: int = 0) -> Graph:
    """Return a synthetic data graph of about ``n_triples`` triples (never fewer)."""
    builder = _Builder(seed)
    builder.world(n_triples)
    while len(builder.g) < n_triples:
        builder.incident()
    return builder.g


def cached(n_triples: int, *, seed: int = 0) -> Path:
    """Path of an N-Triples file of the synthetic graph, generated once and kept in .cache/."""
    path = CACHE / f"synthetic-{n_triples}-{seed}.nt"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        generate(n_triples, seed=seed).serialize(tmp, format="nt", encoding="utf-8")
        tmp.replace(path)
    return path


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else cached(size)
    if len(sys.argv) > 2:
        generate(size).serialize(target, format="nt", encoding="utf-8")
    print(target)
