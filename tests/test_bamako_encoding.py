"""The Bamako encoding says what the report says, no more strongly, precisely or elsewhere.

Each test is one finding of a sentence-by-sentence review of the encoding against the report,
written as a query that would find the old mistake again.
"""

from __future__ import annotations

import pytest

from conflictkg.sparql import find_query, run_query

PREFIXES = """
PREFIX ckg: <https://w3id.org/conflictkg/ontology#>
PREFIX ckr: <https://w3id.org/conflictkg/id/>
PREFIX ckc: <https://w3id.org/conflictkg/code/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
"""

BAMAKO_EVENTS = (
    "ckr:bamako-2024-09-17-attack",
    "ckr:bamako-2024-09-17-attack-gendarmerie-school",
    "ckr:bamako-2024-09-17-attack-airport",
)


def _ask(local, body):
    return bool(local.graph.query(PREFIXES + "ASK { " + body + " }").askAnswer)


def _rows(local, query):
    return [tuple(str(v) if v is not None else None for v in row)
            for row in local.graph.query(PREFIXES + query)]


@pytest.mark.parametrize("event", BAMAKO_EVENTS)
def test_jnim_is_never_a_direct_perpetrator(local, event):
    assert not _ask(local, f"{event} ckg:perpetrator ckr:jnim")


@pytest.mark.parametrize("event", BAMAKO_EVENTS)
def test_jnim_as_perpetrator_is_only_claimed_by_jnim(local, event):
    rows = _rows(
        local,
        f"""SELECT ?status ?voice ?source WHERE {{
              ?st a ckg:Statement ; rdf:subject {event} ; rdf:predicate ckg:perpetrator ;
                  rdf:object ckr:jnim ; ckg:assertionStatus ?status ; ckg:assertedBy ?source ;
                  ckg:accordingTo ?voice }}""",
    )
    ckc, ckr = "https://w3id.org/conflictkg/code/", "https://w3id.org/conflictkg/id/"
    assert rows == [(ckc + "ClaimedByParty", ckr + "jnim", ckr + "report-bamako-2024-09-17")]


def test_no_question_returns_jnim_as_a_reported_or_official_perpetrator(local):
    result = run_query(local, find_query("perpetrators-of-an-event"))
    rows = {tuple(str(term) for term in row[:3]) for row in result.rows}
    assert ("JNIM", "Claimed by a party", "JNIM") in rows
    assert not {row for row in rows if row[0] == "JNIM" and row[1] in ("Reported", "Official")}
    for question in ("standard-wikidata-perpetrators", "standard-sem-actors-and-places"):
        answer = run_query(local, find_query(question))
        assert all("JNIM" not in {str(term) for term in row} for row in answer.rows), question


def test_the_rdfs_closure_never_makes_jnim_a_perpetrator(local):
    from conflictkg.rdf.reasoning import rdfs_closure

    graph = rdfs_closure(local.graph)
    assert not graph.query(PREFIXES + "ASK { ?e wdt:P8031 ckr:jnim }").askAnswer
    assert graph.query(PREFIXES + "ASK { ?e wdt:P8031 ?someone }").askAnswer


@pytest.mark.parametrize(
    "actor",
    ["jnim", "al-qaeda", "islamic-state", "islamic-state-factions-mali", "tuareg-rebels",
     "mali-military-government"],
)
def test_no_ideology_that_no_source_gives(local, actor):
    assert not _ask(local, f"ckr:{actor} ckg:ideology ?ideology")


def test_islamic_state_factions_are_found_as_jihadist_groups(local):
    assert _ask(
        local,
        "ckr:islamic-state-factions-mali a/rdfs:subClassOf* ckg:JihadistGroup ; a ckg:Faction",
    )


def test_the_reported_damage_names_no_facility(local):
    assert not _ask(local, "ckr:bamako-2024-09-17-damage-reported ckg:affectedPlace ?place")
    assert not _ask(local, "ckr:bamako-2024-09-17-military-facility-damage ckg:affectedPlace ?p")


def test_the_army_does_not_confirm_the_claimed_losses_not_the_claim(local):
    evaluation = "ckr:bamako-2024-09-17-army-not-confirming"
    assert not _ask(local, f"{evaluation} ckg:evaluatedClaim ?claim")
    evaluated = _rows(local, f"SELECT ?x WHERE {{ {evaluation} ckg:evaluatedStatement ?x }}")
    assert len(evaluated) == 3
    assert _ask(
        local,
        f"""FILTER NOT EXISTS {{ {evaluation} ckg:evaluatedStatement ?x .
              FILTER NOT EXISTS {{ ?claim ckg:claimedOutcome ?x }} }}""",
    )


def test_the_videos_circulated_online_and_show_the_camp(local):
    circulation = "ckr:bamako-2024-09-17-videos-circulate"
    assert not _ask(local, f"{circulation} ckg:place ?place")
    assert _ask(local, f"{circulation} ckg:geographicPrecision ckc:NotLocated ; "
                         "ckg:medium ckc:Online ; ckg:circulatedItem ckr:videos-military-camp")
    assert _ask(local, "ckr:videos-military-camp ckg:shows ckr:bamako-military-camp")


def test_instability_in_burkina_faso_and_niger_is_present_not_forecast(local):
    assert _ask(local, "?a ckg:about ckr:burkina-faso , ckr:niger ; "
                         "ckg:assertionStatus ckc:Analysis")
    assert not _ask(local, "?a ckg:about ckr:burkina-faso ; ckg:assertionStatus ckc:Forecast")


def test_the_diplomatic_alarm_is_a_reported_reaction(local):
    assert _ask(local, "ckr:bamako-2024-09-17-diplomatic-alarm a ckg:Reaction ; "
                         "ckg:assertionStatus ckc:Reported ; "
                         "ckg:performedBy ckr:international-community")


def test_the_airport_closure_has_no_day(local):
    closure = "ckr:bamako-2024-09-17-airport-closure"
    assert not _ask(local, f"{closure} ckg:date ?date")
    assert _ask(local, f"{closure} ckg:timePrecision ckc:UnknownTimePrecision")


@pytest.mark.parametrize(
    "statement",
    ["ecowas-condemnation", "ecowas-solidarity", "ecowas-against-terrorism",
     "un-movement-advisory", "jnim-claim", "diarra-addresses-troops"],
)
def test_statements_the_report_does_not_place_have_no_place(local, statement):
    node = f"ckr:bamako-2024-09-17-{statement}"
    assert not _ask(local, f"{node} ckg:place ?place")
    assert _ask(local, f"{node} ckg:geographicPrecision ckc:NotLocated")


def test_the_northern_defeat_is_a_significant_loss_not_the_most_serious(local):
    (summary,) = _rows(local, "SELECT ?s WHERE { "
                                "ckr:northern-mali-defeat-against-tuareg-rebels ckg:summary ?s }")
    assert "most serious" not in summary[0]
    assert "significant" in summary[0]


def test_multiple_is_only_the_security_sources_word(local):
    rows = _rows(local, "SELECT ?count WHERE { ?count ckg:vagueQuantity ckc:Multiple }")
    assert rows == [("https://w3id.org/conflictkg/id/bamako-2024-09-17-security-personnel-injured",)]


def test_ecowas_solidarity_is_with_the_government_and_people(local):
    assert _ask(local, "ckr:bamako-2024-09-17-ecowas-solidarity a ckg:ExpressionOfSupport ; "
                         "ckg:supportedActor ckr:mali-military-government , ckr:malian-people")


def test_what_the_un_advised(local):
    assert _ask(local, "ckr:bamako-2024-09-17-un-movement-advisory "
                         "ckg:advisedAction ckc:RestrictMovement")


def test_the_insurgency_has_sides(local):
    assert not _ask(local, "ckr:mali-islamist-insurgency ckg:participant ?x")
    assert _ask(local, "ckr:mali-islamist-insurgency ckg:sideA ckr:wagner-group ; "
                         "ckg:sideB ckr:jnim")


def test_neighbouring_countries_are_not_named_for_the_recommendation(local):
    assert not _ask(local, "ckr:recommendation-regional-coordination ckg:about ckr:niger")


def test_aliases_come_from_a_source(local):
    """No alias found in no source (the old data had FAMa, ISIL without source, UN...)."""
    for alias in ("FAMa", "Republic of Mali", "Russian Federation", "al-Qaida", "UN"):
        assert not _ask(local, f'?x <http://www.w3.org/2004/02/skos/core#altLabel> "{alias}"@en')
