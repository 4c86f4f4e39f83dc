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

#: pattern id -> question id; the example is made-up-<pattern>.ttl unless SHARED_EXAMPLES
#: names another file; the expected answer is made-up-<pattern>.csv
QUESTIONS = {
    "coalition": "coalition-members",
    "battle-sides": "battle-sides",
    "support-relations": "support-relations",
    "revised-statements": "revised-statements",
    "massacre": "massacres",
    "arrest": "arrests",
    "combined-figure": "combined-figures",
    "vague-quantities": "vague-quantity-bounds",
    "vehicles-aircraft-destroyed": "vehicles-and-aircraft-destroyed",
    "attribution-chain": "attribution-chains",
    "encyclopedia-source": "facts-from-encyclopedias",
    "unnamed-spokesperson": "unnamed-spokespersons",
    "broken-diplomatic-relations": "broken-diplomatic-relations",
    "near-a-place": "events-near-a-place",
    "own-losses": "own-loss-figures",
    "coup-deposed": "coup-deposed-and-detained",
    "abduction-and-release": "abductions-and-releases",
    "hostage-captivity": "hostages-and-captivity",
    "sanctions-ultimatum": "sanctions-and-ultimatums",
    "conditional-threat": "conditional-threats",
    "diplomat-expulsion": "expelled-diplomats",
    "treaty-alliance": "agreements-and-signatories",
    "censorship": "censorship-measures",
    "denial": "denials",
    "legal-proceedings": "legal-proceedings",
    "nationality-occupation": "nationality-and-occupation",
    "village": "events-in-villages",
    "acled-plover-events": "event-types-modes-and-roles",
}
#: patterns whose example is the file of another pattern
SHARED_EXAMPLES = {
    "abduction-and-release": "made-up-hostage-captivity.ttl",
    "sanctions-ultimatum": "made-up-coup-deposed.ttl",
    "diplomat-expulsion": "made-up-coup-deposed.ttl",
}
PATTERNS = {
    pattern: (SHARED_EXAMPLES.get(pattern, f"made-up-{pattern}.ttl"), question)
    for pattern, question in QUESTIONS.items()
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
