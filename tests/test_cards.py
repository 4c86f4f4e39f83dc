"""Report cards: the Bamako round trip, every made-up report as a card, the mistakes a
card can hold (each at its line and column, with its exit code), ``new report``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, to_isomorphic

from conflictkg.cards import encode, project_vocabulary
from conflictkg.cards.decompile import decompile
from conflictkg.cli import app

ROOT = Path(__file__).resolve().parents[1]
CARDS = ROOT / "tests" / "data" / "cards"
BAMAKO_TTL = ROOT / "graph" / "reports" / "bamako-2024-09-17.ttl"
BAMAKO_CARD = ROOT / "graph" / "cards" / "bamako-2024-09-17.card.yaml"
MADE_UP = sorted((ROOT / "tests" / "data" / "valid").glob("made-up-*.ttl"))
INVALID = sorted((CARDS / "invalid").glob("*.card.yaml"))


@pytest.fixture(scope="module")
def vocabulary():
    return project_vocabulary()


def assert_same_graph(expected: rdflib.Graph, text: str) -> None:
    got = rdflib.Graph().parse(data=text, format="turtle")
    _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    assert not only_expected and not only_got, (
        sorted(only_expected)[:5], sorted(only_got)[:5]
    )


def test_bamako_card_compiles_to_the_hand_written_graph(tmp_path):
    # The same graph, triple for triple (blank nodes aside): every competency question
    # therefore gets the same answer from the card as from the hand-written Turtle.
    compiled, text = encode(BAMAKO_CARD, BAMAKO_TTL, vocabulary=project_vocabulary(
        exclude=BAMAKO_TTL))
    assert_same_graph(rdflib.Graph().parse(BAMAKO_TTL), text)
    assert len(BAMAKO_CARD.read_text().splitlines()) < len(BAMAKO_TTL.read_text().splitlines())


@pytest.mark.parametrize("turtle", MADE_UP, ids=[p.stem for p in MADE_UP])
def test_a_made_up_report_rewritten_as_a_card_gives_the_same_graph(turtle, tmp_path,
                                                                   vocabulary):
    card = tmp_path / f"{turtle.stem}.card.yaml"
    card.write_text(decompile(turtle, vocabulary))
    _, text = encode(card, tmp_path / f"{turtle.stem}.ttl", vocabulary=vocabulary)
    assert_same_graph(rdflib.Graph().parse(turtle), text)


def _expectation(card: Path) -> tuple[int, int, int, str]:
    match = re.match(r"# expect: (\d+):(\d+) exit (\d) (.+)", card.read_text().splitlines()[0])
    assert match, f"{card.name}: first line must be '# expect: LINE:COL exit N message'"
    line, column, code, message = match.groups()
    return int(line), int(column), int(code), message


@pytest.mark.parametrize("card", INVALID, ids=[p.name.split(".")[0] for p in INVALID])
def test_a_mistake_is_reported_at_its_line_and_column(card, runner, tmp_path):
    line, column, code, message = _expectation(card)
    output = tmp_path / "out.ttl"
    output.write_text("# the previous encoding\n")
    args = ["encode", str(card), "-o", str(output)] + ([] if code == 1 else ["--no-validate"])
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert f"{card}:{line}:{column}: " in result.stderr
    assert message in result.stderr
    assert output.read_text() == "# the previous encoding\n"


def test_encode_writes_turtle_that_validates(runner, tmp_path):
    card = CARDS / "made-up-convoy-ambush.card.yaml"
    output = tmp_path / "convoy.ttl"
    result = runner.invoke(app, ["encode", str(card), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stdout
    graph = rdflib.Graph().parse(output)
    ckr = rdflib.Namespace("https://w3id.org/conflictkg/id/")
    ckg = rdflib.Namespace("https://w3id.org/conflictkg/ontology#")
    ckc = rdflib.Namespace("https://w3id.org/conflictkg/code/")
    # a state where a place is expected goes to its territory
    assert (ckr["example-convoy-ambush"], ckg.place, ckr["mali-territory"]) in graph
    # the claimed perpetrator is a statement with the claim's status and voice
    statement = ckr["example-convoy-ambush-perpetrator-jnim"]
    assert (statement, ckg.assertionStatus, ckc.ClaimedByParty) in graph
    assert (statement, ckg.madeIn, ckr["example-convoy-claim"]) in graph
    assert (ckr["example-convoy-ambush"], ckg.perpetrator, ckr.jnim) not in graph
    assert (ckr["example-convoy-killed-unconfirmed"], ckg.approximateValue,
            rdflib.Literal(30)) in graph


def test_new_report_writes_a_card_listing_the_shared_entities(runner, tmp_path):
    card = tmp_path / "gao-2024-10-02.card.yaml"
    result = runner.invoke(app, ["new", "report", "gao-2024-10-02", "-o", str(card)])
    assert result.exit_code == 0, result.output
    text = card.read_text()
    assert "#   jnim: JNIM" in text and "#   mali-territory: Mali (territory)" in text
    assert "when: 2 October 2024" in text
    # its placeholders are refused where they stand, until they are filled in
    result = runner.invoke(app, ["encode", str(card), "--no-validate"])
    assert result.exit_code == 2
    assert re.search(r"gao-2024-10-02\.card\.yaml:\d+:\d+: place: no entity", result.stderr)
    again = runner.invoke(app, ["new", "report", "gao-2024-10-02", "-o", str(card)])
    assert again.exit_code == 2 and "exists already" in again.stderr


SCHEMA = ROOT / "graph" / "cards" / "card.schema.json"


def test_the_committed_schema_is_the_one_the_ontology_gives(vocabulary):
    from conflictkg.cards.schema import schema_text

    assert SCHEMA.read_text(encoding="utf-8") == schema_text(vocabulary), (
        "run conflictkg new schema"
    )


@pytest.mark.parametrize(
    "card,errors",
    [(BAMAKO_CARD, []), (CARDS / "made-up-convoy-ambush.card.yaml", []),
     (CARDS / "invalid" / "unknown-key.card.yaml", ["'plase' was unexpected"]),
     (CARDS / "invalid" / "unknown-code.card.yaml", ["'Battle' is not valid"])],
    ids=["bamako", "convoy", "unknown-key", "unknown-code"],
)
def test_editors_see_what_the_schema_allows(card, errors):
    import json

    import jsonschema
    import yaml

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    # YAML 1.2, as editors read it: plain scalars are strings (BaseLoader)
    found = [e.message for e in validator.iter_errors(yaml.load(card.read_text(),
                                                                  Loader=yaml.BaseLoader))]
    assert len(found) == len(errors), found
    for message, expected in zip(found, errors, strict=True):
        assert expected in message


def test_the_readme_example_card_gives_the_made_up_report(vocabulary, tmp_path):
    card = CARDS / "made-up-checkpoint-attack.card.yaml"
    turtle = ROOT / "tests" / "data" / "valid" / "made-up-checkpoint-attack.ttl"
    _, text = encode(card, tmp_path / "checkpoint.ttl", vocabulary=vocabulary)
    assert_same_graph(rdflib.Graph().parse(turtle), text)
    assert card.read_text(encoding="utf-8") in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("state", ["Mali", "Burkina Faso", "Niger"])
def test_a_state_named_where_a_place_is_expected_is_its_territory(state, vocabulary,
                                                                   tmp_path):
    card = tmp_path / "places.card.yaml"
    slug = state.lower().replace(" ", "-")
    card.write_text(
        "source: example-places-report\nstatus: Reported\nrecords:\n"
        "  example-places-report:\n    a: Report\n    label: Example places report\n"
        f"  example-places-clash:\n    a: Battle\n    label: a clash\n    place: {state}\n"
        f"    performedBy: {slug}\n"
    )
    compiled, text = encode(card, tmp_path / "places.ttl", vocabulary=vocabulary)
    assert f"ckg:place ckr:{slug}-territory" in text
    assert f"ckg:performedBy ckr:{slug} " in text


def test_encode_names_and_validates_against_data_files(runner, tmp_path):
    # a second report's card names the event of a first one that is not in the project yet
    first = tmp_path / "first.ttl"
    assert runner.invoke(app, ["encode", str(CARDS / "made-up-convoy-ambush.card.yaml"),
                               "-o", str(first), "--no-validate"]).exit_code == 0
    card = tmp_path / "second.card.yaml"
    card.write_text(
        "source: example-second-report\nstatus: Reported\nrecords:\n"
        "  example-second-report:\n    a: Report\n    label: Example second report\n"
        "    sourceKind: NewsReport\n    publicationDate: 2024-03-07\n"
        "  example-second-report-killed:\n    a: Count\n"
        "    label: about 40 soldiers killed (second report, made up)\n"
        "    countOf: ambush on an army convoy (made up)\n    countCategory: Killed\n"
        "    count: about 40\n"
    )
    alone = runner.invoke(app, ["encode", str(card), "--no-validate"])
    assert alone.exit_code == 2 and "countOf: no entity is named" in alone.stderr
    result = runner.invoke(app, ["encode", str(card), "--data", str(first)])
    assert result.exit_code == 0, result.output
    assert "ckg:countOf ckr:example-convoy-ambush" in (tmp_path / "second.ttl").read_text()


def test_the_bamako_card_answers_every_competency_question_as_the_turtle_does(tmp_path):
    # The project with the card's Turtle in place of the hand-written file: every question
    # of queries/cq/ must give its expected answer (on Oxigraph, the production engine).
    from conflictkg import resources
    from conflictkg.sparql import LocalGraph, compare_with_expected, run_query
    from conflictkg.sparql.library import library

    compiled = tmp_path / BAMAKO_TTL.name
    compiled.write_text(encode(BAMAKO_CARD, BAMAKO_TTL, vocabulary=project_vocabulary(
        exclude=BAMAKO_TTL))[1], encoding="utf-8")
    files = [*resources.ontology_files(), *(
        compiled if path.resolve() == BAMAKO_TTL.resolve() else path
        for path in resources.graph_files())]
    assert compiled in files
    local = LocalGraph.from_files(files)
    questions = library("cq")
    wrong = {q.id: problems for q in questions
             if (problems := compare_with_expected(run_query(local, q, engine="oxigraph"), q))}
    assert not wrong, wrong
    assert len(questions) >= 60
