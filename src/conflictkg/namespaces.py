"""Namespaces of conflictkg.

`CKG` is a closed namespace: it lists every class and property of the ontology
(``ontology/conflictkg.ttl``), so a typo such as ``CKG.perpetratr`` raises
``AttributeError`` instead of minting a new IRI. ``tests/test_namespaces.py`` checks that
the list matches the ontology.

Examples
--------
>>> CKG.perpetrator
rdflib.term.URIRef('https://w3id.org/conflictkg/ontology#perpetrator')
>>> CKG.perpetratr
Traceback (most recent call last):
...
AttributeError: term 'perpetratr' not in namespace 'https://w3id.org/conflictkg/ontology#'
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["ACLED", "CKC", "CKG", "CKR", "GTD", "PLOVER", "PREFIXES"]


class CKG(DefinedNamespace):
    """The conflictkg ontology (closed: only defined terms)."""

    _NS = Namespace("https://w3id.org/conflictkg/ontology#")
    _fail = True

    # classes
    Actor: URIRef
    ActorCollective: URIRef
    ActorRelation: URIRef
    Address: URIRef
    Affiliation: URIRef
    AirBase: URIRef
    Airport: URIRef
    Anniversary: URIRef
    AreaOfOperation: URIRef
    ArmedConflict: URIRef
    ArmedForces: URIRef
    ArmedForcesBranch: URIRef
    ArmedNonStateGroup: URIRef
    Assessment: URIRef
    Attack: URIRef
    Basing: URIRef
    Battle: URIRef
    City: URIRef
    CityDistrict: URIRef
    ClaimEvaluation: URIRef
    ClaimOfResponsibility: URIRef
    Command: URIRef
    Condemnation: URIRef
    Consequence: URIRef
    Count: URIRef
    Country: URIRef
    Coup: URIRef
    Damage: URIRef
    Event: URIRef
    ExpressionOfSupport: URIRef
    Facility: URIRef
    FacilityClosure: URIRef
    Faction: URIRef
    Governance: URIRef
    Government: URIRef
    GroupFormation: URIRef
    Hostility: URIRef
    IntergovernmentalOrganization: URIRef
    JihadistGroup: URIRef
    JointForce: URIRef
    Leadership: URIRef
    MediaCirculation: URIRef
    MediaItem: URIRef
    Membership: URIRef
    Merger: URIRef
    MilitaryBase: URIRef
    MilitaryFacility: URIRef
    MilitaryJunta: URIRef
    MilitaryOperation: URIRef
    Ministry: URIRef
    Neighbourhood: URIRef
    Observation: URIRef
    Organization: URIRef
    Partnership: URIRef
    Person: URIRef
    PersonGroup: URIRef
    Place: URIRef
    PoliticalEvent: URIRef
    Position: URIRef
    PrivateMilitaryCompany: URIRef
    PublicStatement: URIRef
    Reaction: URIRef
    RebelGroup: URIRef
    Recommendation: URIRef
    ReferenceDataset: URIRef
    Report: URIRef
    Response: URIRef
    SecurityAdvisory: URIRef
    SecurityForceSchool: URIRef
    SecurityResponse: URIRef
    ServiceResumption: URIRef
    SeveranceOfTies: URIRef
    SeveredTies: URIRef
    Source: URIRef
    SourcedRecord: URIRef
    State: URIRef
    StateSecurityForce: URIRef
    StatedObjective: URIRef
    Statement: URIRef
    SubnationalRegion: URIRef
    Subordination: URIRef
    SupranationalRegion: URIRef
    TerroristAttack: URIRef
    ViolentEvent: URIRef

    # properties
    about: URIRef
    accordingTo: URIRef
    acledEventType: URIRef
    acledSubEventType: URIRef
    addressee: URIRef
    adjacentTo: URIRef
    advisedAction: URIRef
    affectedPlace: URIRef
    anniversaryNumber: URIRef
    anniversaryOf: URIRef
    approximateValue: URIRef
    assertedBy: URIRef
    assertionStatus: URIRef
    assertionStrength: URIRef
    capitalOf: URIRef
    circulatedItem: URIRef
    claimContent: URIRef
    claimant: URIRef
    claimedEvent: URIRef
    claimedOutcome: URIRef
    codeList: URIRef
    coincidesWith: URIRef
    consequenceOf: URIRef
    coordinateSource: URIRef
    countCategory: URIRef
    countOf: URIRef
    countedGroup: URIRef
    date: URIRef
    defeatedParty: URIRef
    dissolutionDate: URIRef
    earliestDate: URIRef
    earliestPublicationDate: URIRef
    encodingNote: URIRef
    endDate: URIRef
    evaluatedClaim: URIRef
    evaluatedStatement: URIRef
    evaluator: URIRef
    eventCode: URIRef
    exactValue: URIRef
    foundingDate: URIRef
    fromActor: URIRef
    geographicPrecision: URIRef
    groupOf: URIRef
    gtdAttackType: URIRef
    gtdTargetType: URIRef
    gtdWeaponType: URIRef
    hasTerritory: URIRef
    ideology: URIRef
    inResponseTo: URIRef
    latestDate: URIRef
    localCopy: URIRef
    locatedIn: URIRef
    madeIn: URIRef
    maximumValue: URIRef
    medium: URIRef
    memberOfCollective: URIRef
    mergingActor: URIRef
    minimumValue: URIRef
    objective: URIRef
    ongoingOn: URIRef
    partOfConflict: URIRef
    partOfDay: URIRef
    participant: URIRef
    performedBy: URIRef
    perpetrator: URIRef
    place: URIRef
    ploverEventType: URIRef
    precededBy: URIRef
    publicationDate: URIRef
    publisherName: URIRef
    purpose: URIRef
    qualifies: URIRef
    rank: URIRef
    recommendedTo: URIRef
    relayedBy: URIRef
    responder: URIRef
    resultingActor: URIRef
    retracts: URIRef
    revises: URIRef
    role: URIRef
    shows: URIRef
    sideA: URIRef
    sideB: URIRef
    sourceKind: URIRef
    stance: URIRef
    startDate: URIRef
    statedOn: URIRef
    subEventOf: URIRef
    summary: URIRef
    supportedActor: URIRef
    target: URIRef
    targetedActor: URIRef
    targetedPlace: URIRef
    territoryOf: URIRef
    timePrecision: URIRef
    toActor: URIRef
    vagueQuantity: URIRef
    victim: URIRef
    victor: URIRef
    wikidataEntity: URIRef

CKR = Namespace("https://w3id.org/conflictkg/id/")
"""Resources: actors, places, events and records (open: new reports add IRIs)."""

CKC = Namespace("https://w3id.org/conflictkg/code/")
"""conflictkg's own code lists (assertion status, precision, count categories...)."""

ACLED = Namespace("https://w3id.org/conflictkg/code/acled/")
GTD = Namespace("https://w3id.org/conflictkg/code/gtd/")
PLOVER = Namespace("https://w3id.org/conflictkg/code/plover/")

PREFIXES: dict[str, str] = {
    "ckg": str(CKG._NS),
    "ckr": str(CKR),
    "ckc": str(CKC),
    "acled": str(ACLED),
    "gtd": str(GTD),
    "plover": str(PLOVER),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "time": "http://www.w3.org/2006/time#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}
"""Prefixes used in the project's Turtle, queries and outputs."""
