"""``conflictkg analyze``: explained output, formats, pictures, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from PIL import Image

from conflictkg.cli import analyze as cli_analyze
from conflictkg.cli import app

REPORT = "Report on the 17 September 2024 attack in Bamako"
PREFIXES = """
@prefix ckg: <https://w3id.org/conflictkg/ontology#> .
@prefix ckr: <https://w3id.org/conflictkg/id/> .
@prefix ckc: <https://w3id.org/conflictkg/code/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _analyze(runner, *args):
    return runner.invoke(app, ["analyze", *args])


def test_path_jnim_wagner_prints_explained_hops(runner):
    result = _analyze(runner, "path", "JNIM", "Wagner")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Path 1: JNIM → Malian Armed Forces → Mali → Wagner Group (3 hops)" in lines
    hops = [line.strip() for line in lines if line.startswith("  ")]
    assert hops == [
        f"1. JNIM — hostility → Malian Armed Forces [Reported; source: {REPORT}; ongoing on "
        "2024-09-17] (and 2 other statements)",
        f"2. Malian Armed Forces — subordination → Mali [Reported; source: {REPORT}]",
        f"3. Mali — partnership → Wagner Group [Reported; source: {REPORT}; ongoing on 2024-09-17]",
    ]


def test_path_all_k_csv_and_json(runner):
    every = _analyze(runner, "path", "jnim", "wagner group", "--all", "-f", "json")
    assert every.exit_code == 0, every.output
    paths = json.loads(every.stdout)["paths"]
    assert [p["labels"] for p in paths] == [
        ["JNIM", "Malian Armed Forces", "Mali", "Wagner Group"],
        ["JNIM", "Malian Armed Forces", "Tuareg rebels", "Wagner Group"],
    ]
    rows = list(
        csv.DictReader(
            io.StringIO(_analyze(runner, "path", "JNIM", "Russia", "--k", "2", "-f", "csv").stdout)
        )
    )
    assert {r["path"] for r in rows} == {"1", "2"}
    assert rows[0]["sentence"].startswith("JNIM — hostility → Malian Armed Forces")
    assert all(r["source"] == REPORT for r in rows)


def test_centrality_table_and_picture(runner, tmp_path):
    picture = tmp_path / "out" / "centrality.png"
    result = _analyze(runner, "centrality", "--plot", str(picture))
    assert result.exit_code == 0, result.output
    assert "sorted by betweenness" in result.stdout
    first = next(line for line in result.stdout.splitlines() if "│    1 │" in line)
    assert "Malian Armed Forces" in first and "ArmedForces" in first
    with Image.open(picture) as image:
        assert image.format == "PNG" and image.width > 1000
    listed = json.loads(
        _analyze(
            runner,
            "centrality",
            "-f",
            "json",
            "--top",
            "5",
            "-m",
            "degree",
            "-m",
            "pagerank",
            "--by",
            "pagerank",
        ).stdout
    )
    assert listed["view"] == "actors" and listed["measures"] == ["degree", "pagerank"]
    assert len(listed["rows"]) == 5
    assert {row["kind"] for row in listed["rows"]} == {"actor"}
    assert listed["rows"][0]["pagerank"] >= listed["rows"][1]["pagerank"]


def test_large_view_gets_a_note_about_sampling(runner, monkeypatch):
    monkeypatch.setattr(cli_analyze, "LARGE", 10)
    exact = _analyze(runner, "centrality", "-m", "betweenness", "-f", "csv")
    assert exact.exit_code == 0
    assert exact.stderr.startswith("note: exact betweenness on 18 entities may take long")
    sampled = _analyze(runner, "centrality", "--sample", "5", "-f", "json")
    assert sampled.exit_code == 0 and sampled.stderr == ""
    assert len(json.loads(sampled.stdout)["rows"]) == 18


def test_other_analyses_in_json(runner):
    camps = json.loads(_analyze(runner, "communities", "--camps", "-f", "json").stdout)
    assert camps["ties"] == "positive" and camps["modularity"] > 0.5
    ego = json.loads(_analyze(runner, "ego", "JNIM", "-f", "json").stdout)
    assert ego["members"][0]["label"] == "JNIM" and len(ego["members"]) == 5
    assert any(s.startswith("JNIM — affiliation → al-Qaeda") for s in ego["statements"])
    balance = json.loads(_analyze(runner, "balance", "-f", "json").stdout)
    assert (balance["balanced"], balance["unbalanced"], balance["balance_ratio"]) == (1, 0, 1.0)
    events = json.loads(_analyze(runner, "timeline", "--involving", "JNIM", "-f", "json").stdout)
    assert [e["label"] for e in events["events"]][:2] == [
        "formation of JNIM by merger (2017)",
        "Islamist insurgency in Mali",
    ]


def test_tables_explain_themselves(runner):
    balance = _analyze(runner, "balance")
    assert "1 triangles, 1 balanced, 0 unbalanced; balance ratio 1.00" in balance.stdout
    assert "the enemy of my enemy is my friend" in balance.stdout
    ego = _analyze(runner, "ego", "Wagner", "--radius", "1")
    assert "Mali — partnership → Wagner Group [Reported" in ego.stdout
    timeline = _analyze(runner, "timeline", "--status", "unconfirmed")
    assert "burnt bunk beds in the military camp" in timeline.stdout
    assert "Bamako attack of 17" not in timeline.stdout


def test_output_file_is_written(runner, tmp_path):
    target = tmp_path / "analysis" / "balance.csv"
    result = _analyze(runner, "balance", "-f", "csv", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert {r["pattern"] for r in rows} == {"+ + +"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["path", "JNIM", "Wagnr"],
            "did you mean: Wagner Group (PrivateMilitaryCompany, ckr:wagner-group)?",
        ),
        (
            ["path", "JNIM", "Bamako"],
            "'Bamako' names Bamako (City, ckr:bamako), which is not "
            "in the actors view; try another --view",
        ),
        (["path", "JNIM", "Malian army", "--all", "--k", "2"], "give either --all or --k"),
        (["centrality", "--status", "rumour"], "unknown assertion status 'rumour'"),
        (["centrality", "--since", "17/09/2024"], "since: '17/09/2024' is not an ISO date"),
        (["centrality", "--plot", "centrality.jpg"], "must end in .png, .svg or .pdf"),
        (["centrality", "--kind", "actors"], "unknown --kind actors; use one of: actor, event"),
        (["communities", "--view", "places", "--since", "2020"], "do not apply"),
        (["ego", "--no-project", "JNIM"], "nothing to analyse"),
    ],
)
def test_bad_input_exits_2_with_one_line(runner, args, message):
    result = _analyze(runner, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_ambiguous_label_names_the_candidates(runner, tmp_path):
    extra = tmp_path / "second-wagner.ttl"
    extra.write_text(
        PREFIXES
        + """
ckr:wagner-two a ckg:PrivateMilitaryCompany ; rdfs:label "Wagner Group"@en .
ckr:wagner-two-hostile a ckg:Hostility ; rdfs:label "a second Wagner against JNIM"@en ;
    ckg:fromActor ckr:wagner-two ; ckg:toActor ckr:jnim ;
    ckg:assertedBy ckr:report-bamako-2024-09-17 ; ckg:assertionStatus ckc:Unconfirmed .
""",
        encoding="utf-8",
    )
    # two entities of one name fail the data-quality checks: the data is refused before
    # any label is resolved (the resolver's candidates: tests/test_analysis_resolve.py)
    result = _analyze(runner, "path", "JNIM", "wagner group", "--data", str(extra))
    assert result.exit_code == 1
    assert "duplicate-entities-violation" in result.stderr
    assert "fails validation" in result.stderr


def test_no_answer_exits_1(runner, tmp_path):
    islands = tmp_path / "islands.ttl"
    islands.write_text(
        PREFIXES
        + """
ckr:src a ckg:Report ; rdfs:label "made-up source"@en .
ckr:g1 a ckg:RebelGroup ; rdfs:label "Island One"@en ;
    ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
ckr:g2 a ckg:RebelGroup ; rdfs:label "Island Two"@en ;
    ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
ckr:g3 a ckg:RebelGroup ; rdfs:label "Island Three"@en ;
    ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
ckr:g4 a ckg:RebelGroup ; rdfs:label "Island Four"@en ;
    ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
ckr:r1 a ckg:Hostility ; rdfs:label "One against Two"@en ; ckg:fromActor ckr:g1 ;
    ckg:toActor ckr:g2 ; ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
ckr:r2 a ckg:Partnership ; rdfs:label "Three with Four"@en ; ckg:fromActor ckr:g3 ;
    ckg:toActor ckr:g4 ; ckg:assertedBy ckr:src ; ckg:assertionStatus ckc:Reported .
""",
        encoding="utf-8",
    )
    common = ["--no-project", "--data", str(islands)]
    no_path = _analyze(runner, "path", "Island One", "Island Three", *common)
    assert no_path.exit_code == 1
    assert no_path.stderr == (
        "error: no path between Island One and Island Three in the actors view: they are in "
        "different components (Island One's has 2 entities, Island Three's has 2)\n"
    )
    empty = _analyze(runner, "centrality", "--status", "claimed", *common)
    assert empty.exit_code == 1
    assert empty.stderr == (
        "error: the actors view is empty with status in ClaimedByParty: the filters left out "
        "all 2 statement(s) (status: 2)\n"
    )
    assert _analyze(runner, "path", "Island One", "Island Two", *common).exit_code == 0


def test_help_lists_commands_and_exit_codes(runner):
    result = runner.invoke(app, ["analyze", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for name in ("centrality", "path", "communities", "ego", "balance", "timeline"):
        assert name in text
    assert "1 no answer in the data" in text and "2 bad input or usage" in text


def test_a_path_through_the_attack_says_claimed_and_the_filter_drops_it(runner):
    found = _analyze(runner, "path", "JNIM", "Malian Armed Forces", "--view", "events")
    assert found.exit_code == 0, found.stderr
    assert (
        "JNIM — perpetrator → Bamako attack of 17 September 2024 "
        "[Claimed by a party, according to JNIM;"
    ) in found.stdout
    dropped = _analyze(
        runner, "path", "JNIM", "Malian Armed Forces", "--view", "events",
        "--exclude-status", "claimed",
    )
    assert dropped.exit_code == 1
    assert "no path between JNIM and Malian Armed Forces" in dropped.stderr
