"""The query, queries and check commands, and the README examples, run as shown."""

from __future__ import annotations

import re
import shlex
from collections import Counter

import pytest
from conftest import REPO

from conflictkg.cli import app
from conflictkg.sparql.library import library

NOTE = REPO / "docs" / "queries.md"


def test_queries_lists_every_question(runner):
    result = runner.invoke(app, ["queries"])
    assert result.exit_code == 0
    for question in library("cq"):
        assert question.id in result.stdout
    checks = runner.invoke(app, ["queries", "--checks"])
    assert checks.exit_code == 0
    assert "dates-outside-report-period-violation" in checks.stdout


def test_query_by_id_file_and_standard_input_agree(runner, tmp_path):
    path = REPO / "queries" / "cq" / "wikidata-links.rq"
    by_id = runner.invoke(app, ["query", "wikidata-links", "-f", "csv"])
    by_file = runner.invoke(app, ["query", str(path), "-f", "csv"])
    by_stdin = runner.invoke(app, ["query", "-", "-f", "csv"], input=path.read_text())
    assert by_id.exit_code == by_file.exit_code == by_stdin.exit_code == 0
    assert Counter(by_id.stdout.splitlines()) == Counter(by_file.stdout.splitlines())
    assert Counter(by_id.stdout.splitlines()) == Counter(by_stdin.stdout.splitlines())


def test_both_engines_from_the_command_line(runner):
    answers = [
        runner.invoke(app, ["query", "claimed-outcomes", "-f", "csv", "-e", engine]).stdout
        for engine in ("oxigraph", "rdflib")
    ]
    assert sorted(answers[0].splitlines()) == sorted(answers[1].splitlines())
    assert answers[0].count("\n") == 4


def test_project_prefixes_need_no_declaration(runner):
    result = runner.invoke(
        app, ["query", "-", "-f", "csv"], input="SELECT (COUNT(*) AS ?n) { ?c a ckg:Coup }"
    )
    assert result.stdout.split() == ["n", "2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-question"], "no library query or query file named 'no-such-question'"),
        (["query", "missing.rq"], "missing.rq: no such query file"),
        (["query", "wikidata-links", "-f", "yaml"], "unknown format 'yaml'"),
        (["query", "wikidata-links", "-f", "turtle"], "format turtle does not fit a SELECT"),
        (["query", "wikidata-links", "-e", "blazegraph"], "unknown engine 'blazegraph'"),
        (["query", "wikidata-links", "-p", "actor"], "--param 'actor': expected NAME=VALUE"),
        (["query", "wikidata-links", "--reasoning", "owl"], "unknown reasoning 'owl'"),
        (["query", "wikidata-links", "--expect-complete"], "apply to --endpoint only"),
        (["query"], "give a query"),
        (["query", "--all"], "--all needs -o FOLDER"),
        (["query", "--all", "wikidata-links", "-o", "x"], "give no query or --param"),
        (["check", "-e", "blazegraph"], "unknown engine 'blazegraph'"),
    ],
)
def test_bad_usage_exits_2_with_one_line(runner, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_extra_graph_file(runner, tmp_path):
    result = runner.invoke(app, ["query", "wikidata-links", "-d", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2
    assert "none.ttl: no such file" in result.stderr


def test_all_answers_every_question(runner, tmp_path):
    out = tmp_path / "answers"
    result = runner.invoke(app, ["query", "--all", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    questions = library("cq")
    names = sorted(p.name for p in out.iterdir())
    expected = sorted(
        q.id + (".ttl" if q.expect.suffix == ".ttl" else ".csv") for q in questions
    )
    assert names == expected
    assert f"wrote {len(questions)} answers to {out}" in result.stderr
    # the answers are the expected ones
    for question in questions:
        if question.expect.suffix == ".csv":
            written = (out / f"{question.id}.csv").read_text().splitlines()
            wanted = question.expect.read_text().splitlines()
            assert written[0] == wanted[0] and Counter(written) == Counter(wanted), question.id


def test_all_in_json(runner, tmp_path):
    out = tmp_path / "json"
    result = runner.invoke(app, ["query", "--all", "-f", "json", "-o", str(out)])
    assert result.exit_code == 0
    assert (out / "did-jnim-claim-the-attack.json").read_text().count('"boolean": true') == 1


# --- the README examples -------------------------------------------------------------


def _examples():
    """(command, shown output lines, shown exit code) from docs/queries.md and the README."""
    section = ""
    for text in (NOTE.read_text(encoding="utf-8"), (REPO / "README.md").read_text("utf-8")):
        if "## Asking questions" in text:
            section += text.split("## Asking questions", 1)[1].split("\n## ", 1)[0]
    examples = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            first, *shown = chunk.rstrip("\n").split("\n")
            if first == "echo $?":
                command, lines, _ = examples[-1]
                examples[-1] = (command, lines, int(shown[0]))
            else:
                examples.append((first, shown, 0))
    unique = []  # docs/queries.md and the README show some examples both
    for example in examples:
        if example not in unique:
            unique.append(example)
    return unique


EXAMPLES = _examples()


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("command", "shown", "code"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_readme_example_works_as_shown(runner, tmp_path, monkeypatch, command, shown, code):
    monkeypatch.chdir(tmp_path)
    words = shlex.split(command)
    given = None
    if words[0] == "echo":  # echo 'QUERY' | conflictkg query -
        pipe = words.index("|")
        given, words = " ".join(words[1:pipe]) + "\n", words[pipe + 1 :]
    assert words[0] == "conflictkg"
    # the examples run from the repository's root: its files keep their place
    words = [str(REPO / w) if (REPO / w).is_file() and "/" in w else w for w in words]
    result = runner.invoke(app, words[1:], input=given)
    assert result.exit_code == code, result.stdout + result.stderr
    printed = (result.stdout + result.stderr).replace("\r\n", "\n").splitlines()
    assert Counter(printed) == Counter(shown)
