"""Each modelling pattern of the Sahel reports: a made-up example and the question it answers.

For every row of the table, the project graph plus the pattern's made-up example is asked the
pattern's competency question on both engines, and the answer must be the one in the
pattern's expected file (``tests/data/valid/made-up-<pattern>.csv``); the example must
validate with the whole project. The table is the one of tests/README.md. Also checks that
every ACLED sub-event type and every PLOVER event type has an event class
(``ckg:correspondingCode``).
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import DATA, REPO
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, SKOS

from conflictkg import resources
from conflictkg.namespaces import CKG
from conflictkg.rdf.loading import load_files
from conflictkg.rdf.validation import validate, violations
from conflictkg.sparql import ENGINES, LocalGraph, compare_with_expected, find_query, run_query

VALID = DATA / "valid"
ACLED = "https://w3id.org/conflictkg/code/acled/"
PLOVER = "https://w3id.org/conflictkg/code/plover/"

#: pattern id -> (example file, question id); the expected answer is made-up-<pattern>.csv
PATTERNS = {
    "coalition": ("made-up-coalition.ttl", "coalition-members"),
    "battle-sides": ("made-up-battle-sides.ttl", "battle-sides"),
    "support-relations": ("made-up-support-relations.ttl", "support-relations"),
    "revised-statements": ("made-up-revised-statements.ttl", "revised-statements"),
    "massacre": ("made-up-massacre.ttl", "massacres"),
    "arrest": ("made-up-arrest.ttl", "arrests"),
    "combined-figure": ("made-up-combined-figure.ttl", "combined-figures"),
    "vague-quantities": ("made-up-vague-quantities.ttl", "vague-quantity-bounds"),
    "vehicles-aircraft-destroyed": (
        "made-up-vehicles-aircraft-destroyed.ttl", "vehicles-and-aircraft-destroyed"),
    "attribution-chain": ("made-up-attribution-chain.ttl", "attribution-chains"),
    "encyclopedia-source": ("made-up-encyclopedia-source.ttl", "facts-from-encyclopedias"),
    "unnamed-spokesperson": ("made-up-unnamed-spokesperson.ttl", "unnamed-spokespersons"),
    "broken-diplomatic-relations": (
        "made-up-broken-diplomatic-relations.ttl", "broken-diplomatic-relations"),
    "near-a-place": ("made-up-near-a-place.ttl", "events-near-a-place"),
    "own-losses": ("made-up-own-losses.ttl", "own-loss-figures"),
    "coup-deposed": ("made-up-coup-deposed.ttl", "coup-deposed-and-detained"),
    "abduction-and-release": ("made-up-hostage-captivity.ttl", "abductions-and-releases"),
    "hostage-captivity": ("made-up-hostage-captivity.ttl", "hostages-and-captivity"),
    "sanctions-ultimatum": ("made-up-coup-deposed.ttl", "sanctions-and-ultimatums"),
    "conditional-threat": ("made-up-conditional-threat.ttl", "conditional-threats"),
    "diplomat-expulsion": ("made-up-coup-deposed.ttl", "expelled-diplomats"),
    "treaty-alliance": ("made-up-treaty-alliance.ttl", "agreements-and-signatories"),
    "censorship": ("made-up-censorship.ttl", "censorship-measures"),
    "denial": ("made-up-denial.ttl", "denials"),
    "legal-proceedings": ("made-up-legal-proceedings.ttl", "legal-proceedings"),
    "nationality-occupation": ("made-up-nationality-occupation.ttl", "nationality-and-occupation"),
    "village": ("made-up-village.ttl", "events-in-villages"),
    "acled-plover-events": ("made-up-acled-plover-events.ttl", "event-types-modes-and-roles"),
}

EXAMPLES = sorted({example for example, _ in PATTERNS.values()})


@pytest.fixture(scope="module")
def graphs():
    """One local graph (project + example) per example file, made on first use."""
    cache: dict[str, LocalGraph] = {}

    def get(example: str) -> LocalGraph:
        if example not in cache:
            cache[example] = LocalGraph.from_project(extra_data=[VALID / example])
        return cache[example]

    return get


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("pattern", sorted(PATTERNS), ids=str)
def test_question_answers_its_pattern(graphs, pattern, engine):
    example, question_id = PATTERNS[pattern]
    if find_query(question_id).engine not in (None, engine):
        pytest.skip(f"{question_id} is pinned to {find_query(question_id).engine}")
    question = dataclasses.replace(
        find_query(question_id), expect=VALID / f"made-up-{pattern}.csv"
    )
    result = run_query(graphs(example), question, engine=engine)
    assert compare_with_expected(result, question) == []
    assert len(result.rows) > 0, "the example must give the question something to answer"


@pytest.mark.parametrize("pattern", sorted(PATTERNS), ids=str)
def test_the_example_is_the_pattern_s_own(pattern):
    example, question_id = PATTERNS[pattern]
    assert (VALID / example).is_file()
    assert (VALID / f"made-up-{pattern}.csv").is_file()
    assert find_query(question_id).expect.is_file()
    text = (VALID / example).read_text(encoding="utf-8")
    assert text.startswith("# A MADE-UP"), "every example says that it is made up"


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_example_validates_with_the_project(project, example):
    ontology, shapes, shared = project
    data = load_files([*shared, *resources.graph_files(), VALID / example])
    conforms, report, _ = validate(data, shapes_graph=shapes, ontology_graph=ontology)
    found = violations(report, data_graph=data, ontology_graph=ontology, shapes_graph=shapes)
    assert conforms, [v for v in found if v.severity == "Violation"]


def test_tests_readme_lists_every_pattern():
    readme = (REPO / "tests" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| `(made-up-[a-z0-9-]+\.ttl)` \| `([a-z0-9-]+)` \|",
                      readme, flags=re.M)
    assert {pattern: (example, question) for pattern, example, question in rows} == PATTERNS


# --- every ACLED sub-event type and every PLOVER event type has a class -------------


@pytest.fixture(scope="module")
def ontology():
    return load_files(resources.ontology_files())


def _codes_with_classes(ontology):
    return {
        code
        for cls, code in ontology.subject_objects(CKG.correspondingCode)
        if (cls, RDF.type, OWL.Class) in ontology
    }


@pytest.mark.parametrize(
    "scheme", [ACLED + "SubEventTypeScheme", ACLED + "EventTypeScheme", PLOVER + "EventTypeScheme"]
)
def test_every_code_has_an_event_class(ontology, scheme):
    codes = set(ontology.subjects(SKOS.inScheme, URIRef(scheme)))
    assert codes, scheme
    assert codes - _codes_with_classes(ontology) == set()


def test_there_are_25_acled_sub_event_types_and_20_plover_types(ontology):
    assert len(set(ontology.subjects(SKOS.inScheme, URIRef(ACLED + "SubEventTypeScheme")))) == 25
    assert len(set(ontology.subjects(SKOS.inScheme, URIRef(PLOVER + "EventTypeScheme")))) == 20


def test_corresponding_codes_are_acled_or_plover_concepts(ontology):
    for cls, code in ontology.subject_objects(CKG.correspondingCode):
        assert str(code).startswith((ACLED, PLOVER)), (cls, code)
        assert (code, RDF.type, SKOS.Concept) in ontology, (cls, code)
        assert str(cls).startswith(str(CKG._NS)), cls


def test_every_plover_mode_belongs_to_one_event_type(ontology):
    modes = set(ontology.subjects(SKOS.inScheme, URIRef(PLOVER + "ModeScheme")))
    assert len(modes) == 67
    types = set(ontology.subjects(SKOS.inScheme, URIRef(PLOVER + "EventTypeScheme")))
    for mode in modes:
        assert set(ontology.objects(mode, SKOS.broader)) & types, mode
