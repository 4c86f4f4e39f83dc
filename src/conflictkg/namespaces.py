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

from conflictkg.prefixes import PREFIXES

__all__ = ["ACLED", "CKC", "CKG", "CKR", "GTD", "PLOVER", "PREFIXES"]


class CKG(DefinedNamespace):
    """The conflictkg ontology (closed: only defined terms)."""

    _NS = Namespace(PREFIXES["ckg"])
    _fail = True

    # classes
    Abduction: URIRef
    Accusation: URIRef
    Actor: URIRef
    ActorCollective: URIRef
    ActorRelation: URIRef
    Address: URIRef
    Affiliation: URIRef
    Agreement: URIRef
    AidProvision: URIRef
    AirBase: URIRef
    AirStrike: URIRef
    Airport: URIRef
    Anniversary: URIRef
    AreaOfOperation: URIRef
    ArmedClash: URIRef
    ArmedConflict: URIRef
    ArmedForces: URIRef
    ArmedForcesBranch: URIRef
    ArmedGroupCoalition: URIRef
    ArmedNonStateGroup: URIRef
    Arrest: URIRef
    Assessment: URIRef
    Attack: URIRef
    AttackOnCivilians: URIRef
    BaseEstablishment: URIRef
    Basing: URIRef
    Battle: URIRef
    BreakOfDiplomaticRelations: URIRef
    Censorship: URIRef
    ChemicalAttack: URIRef
    City: URIRef
    CityDistrict: URIRef
    ClaimEvaluation: URIRef
    ClaimOfResponsibility: URIRef
    Coalition: URIRef
    Coercion: URIRef
    Command: URIRef
    Concession: URIRef
    Condemnation: URIRef
    ConditionalThreat: URIRef
    Consequence: URIRef
    Consultation: URIRef
    Conviction: URIRef
    Count: URIRef
    Country: URIRef
    Coup: URIRef
    CriminalAct: URIRef
    Damage: URIRef
    DatasetConflict: URIRef
    Demand: URIRef
    Detention: URIRef
    Disapproval: URIRef
    DisruptedWeaponsUse: URIRef
    Dyad: URIRef
    Event: URIRef
    EventDataset: URIRef
    ExcessiveForceAgainstProtesters: URIRef
    ExplosiveDeviceAttack: URIRef
    ExpressionOfSupport: URIRef
    ExpulsionOfDiplomat: URIRef
    Facility: URIRef
    FacilityClosure: URIRef
    Faction: URIRef
    Governance: URIRef
    Government: URIRef
    GrenadeAttack: URIRef
    GroupChange: URIRef
    GroupFormation: URIRef
    Hostility: URIRef
    ImpositionOfSanctions: URIRef
    Indictment: URIRef
    IntergovernmentalOrganization: URIRef
    Investigation: URIRef
    JihadistGroup: URIRef
    JointForce: URIRef
    Leadership: URIRef
    LegalProceeding: URIRef
    LootingOrPropertyDestruction: URIRef
    Massacre: URIRef
    MaterialConcession: URIRef
    MaterialCooperation: URIRef
    MaterialSupport: URIRef
    MediaCirculation: URIRef
    MediaItem: URIRef
    MediaOrganization: URIRef
    MediaSuspension: URIRef
    Membership: URIRef
    Merger: URIRef
    MilitaryBase: URIRef
    MilitaryFacility: URIRef
    MilitaryJunta: URIRef
    MilitaryOperation: URIRef
    Ministry: URIRef
    MobViolence: URIRef
    Mobilization: URIRef
    Neighbourhood: URIRef
    NonViolentTransferOfTerritory: URIRef
    Observation: URIRef
    Organization: URIRef
    Partnership: URIRef
    PeacefulProtest: URIRef
    Person: URIRef
    PersonGroup: URIRef
    Place: URIRef
    PledgeOfCooperation: URIRef
    PoliticalEvent: URIRef
    Position: URIRef
    PrivateMilitaryCompany: URIRef
    Protest: URIRef
    ProtestWithIntervention: URIRef
    PublicStatement: URIRef
    Reaction: URIRef
    RebelGroup: URIRef
    Recommendation: URIRef
    ReductionOfRelations: URIRef
    ReferenceDataset: URIRef
    Rejection: URIRef
    Release: URIRef
    RemoteViolence: URIRef
    Report: URIRef
    Response: URIRef
    Riot: URIRef
    SecurityAdvisory: URIRef
    SecurityForceSchool: URIRef
    SecurityResponse: URIRef
    ServiceResumption: URIRef
    SeveranceOfTies: URIRef
    SeveredTies: URIRef
    SexualViolence: URIRef
    Shelling: URIRef
    Source: URIRef
    SourcedRecord: URIRef
    State: URIRef
    StateAlliance: URIRef
    StateSecurityForce: URIRef
    StatedObjective: URIRef
    Statement: URIRef
    StrategicDevelopment: URIRef
    SubnationalRegion: URIRef
    Subordination: URIRef
    SuicideBombing: URIRef
    SupranationalRegion: URIRef
    TerritoryRecapturedByGovernment: URIRef
    TerritorySeizedByNonStateActor: URIRef
    TerroristAttack: URIRef
    Threat: URIRef
    Trial: URIRef
    Ultimatum: URIRef
    UnnamedPerson: URIRef
    Village: URIRef
    ViolenceAgainstCivilians: URIRef
    ViolentDemonstration: URIRef
    ViolentEvent: URIRef
    WebsiteBlocking: URIRef

    # properties
    about: URIRef
    accordingTo: URIRef
    acledActor1: URIRef
    acledActor1Type: URIRef
    acledActor2: URIRef
    acledActor2Type: URIRef
    acledAssociatedActor1: URIRef
    acledAssociatedActor2: URIRef
    acledEventType: URIRef
    acledInteraction: URIRef
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
    attribution: URIRef
    basedOn: URIRef
    capitalOf: URIRef
    captor: URIRef
    circulatedItem: URIRef
    claimContent: URIRef
    claimant: URIRef
    claimedEvent: URIRef
    claimedOutcome: URIRef
    codeList: URIRef
    codingStatus: URIRef
    coincidesWith: URIRef
    combinedCategory: URIRef
    consequenceOf: URIRef
    coordinateSource: URIRef
    correspondingCode: URIRef
    countCategory: URIRef
    countOf: URIRef
    countedGroup: URIRef
    datasetConflict: URIRef
    datasetDyad: URIRef
    datasetNotes: URIRef
    datasetPlacePrecisionCode: URIRef
    datasetRecordId: URIRef
    datasetTag: URIRef
    datasetTimePrecisionCode: URIRef
    datasetVersion: URIRef
    date: URIRef
    deadline: URIRef
    defeatedParty: URIRef
    defendant: URIRef
    demandedAction: URIRef
    deposedActor: URIRef
    detainee: URIRef
    dissolutionDate: URIRef
    duration: URIRef
    earliestDate: URIRef
    earliestPublicationDate: URIRef
    encodingNote: URIRef
    endDate: URIRef
    evaluatedClaim: URIRef
    evaluatedStatement: URIRef
    evaluator: URIRef
    eventClarity: URIRef
    eventCode: URIRef
    exactValue: URIRef
    expelledActor: URIRef
    fileHash: URIRef
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
    initiator: URIRef
    investigatedEvent: URIRef
    latestDate: URIRef
    licence: URIRef
    localCopy: URIRef
    locatedIn: URIRef
    madeIn: URIRef
    matchEvidence: URIRef
    matchScore: URIRef
    maximumValue: URIRef
    medium: URIRef
    memberOfCollective: URIRef
    mergingActor: URIRef
    minimumValue: URIRef
    nationality: URIRef
    near: URIRef
    numberOfSources: URIRef
    objective: URIRef
    occupation: URIRef
    ongoingOn: URIRef
    originalSource: URIRef
    partOfConflict: URIRef
    partOfDay: URIRef
    participant: URIRef
    performedBy: URIRef
    perpetrator: URIRef
    place: URIRef
    ploverContext: URIRef
    ploverEventType: URIRef
    ploverMode: URIRef
    precededBy: URIRef
    publicationDate: URIRef
    publisherName: URIRef
    purpose: URIRef
    qualifies: URIRef
    rank: URIRef
    recipient: URIRef
    recommendedTo: URIRef
    relayedBy: URIRef
    releasedFrom: URIRef
    responder: URIRef
    resultingActor: URIRef
    retracts: URIRef
    revises: URIRef
    role: URIRef
    sameIncidentAs: URIRef
    shows: URIRef
    sideA: URIRef
    sideB: URIRef
    signatory: URIRef
    sourceCitation: URIRef
    sourceDates: URIRef
    sourceKind: URIRef
    stance: URIRef
    startDate: URIRef
    statedOn: URIRef
    subEventOf: URIRef
    summary: URIRef
    supportKind: URIRef
    supportedActor: URIRef
    target: URIRef
    targetedActor: URIRef
    targetedPlace: URIRef
    territoryOf: URIRef
    threatCondition: URIRef
    threatenedAction: URIRef
    tieKind: URIRef
    timePrecision: URIRef
    toActor: URIRef
    uncodedIn: URIRef
    vagueLowerBound: URIRef
    vagueQuantity: URIRef
    victim: URIRef
    victor: URIRef
    wikidataEntity: URIRef

CKR = Namespace(PREFIXES["ckr"])
"""Resources: actors, places, events and records (open: new reports add IRIs)."""

CKC = Namespace(PREFIXES["ckc"])
"""conflictkg's own code lists (assertion status, precision, count categories...)."""

ACLED = Namespace(PREFIXES["acled"])
GTD = Namespace(PREFIXES["gtd"])
PLOVER = Namespace(PREFIXES["plover"])
