"""Every competency question answers as its expected file says, on both engines."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from conflictkg.sparql import ENGINES, compare_with_expected, run_query
from conflictkg.sparql.library import library
from conflictkg.sparql.prepare import _default_sites, _tokens, prepare

QUESTIONS = library("cq")
IDS = [question.id for question in QUESTIONS]


def test_the_library_is_large_enough():
    assert len(QUESTIONS) >= 30


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("question", QUESTIONS, ids=IDS)
def test_question_gives_the_expected_answer(local, question, engine):
    if question.engine not in (None, engine):
        pytest.skip(f"{question.id} is pinned to {question.engine} (see its header)")
    result = run_query(local, question, engine=engine)
    assert compare_with_expected(result, question) == []


@pytest.mark.parametrize("question", QUESTIONS, ids=IDS)
def test_header(question):
    assert question.id == question.path.stem
    assert question.question.endswith("?") or "(" in question.question
    assert question.expect is not None and question.expect.is_file(), question.expect
    assert question.expect.suffix in (".csv", ".srj", ".ttl")
    prepared = prepare(question)
    if prepared.form == "ASK":
        assert question.expect.suffix == ".srj"
    if prepared.form == "CONSTRUCT":
        assert question.expect.suffix == ".ttl"


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.params], ids=lambda q: q.id)
def test_declared_parameters_have_one_default(question):
    tokens = _tokens(question.text)
    for name in question.params:
        assert len(_default_sites(tokens, name)) == 1, name


def test_expected_files_belong_to_a_question():
    folder = REPO / "queries" / "cq"
    expected = {question.expect.name for question in QUESTIONS}
    answers = {p.name for p in folder.iterdir() if p.suffix in (".csv", ".srj", ".ttl")}
    assert answers == expected


def test_readme_lists_every_question():
    readme = (REPO / "queries" / "README.md").read_text(encoding="utf-8")
    readme = readme.split("## The questions", 1)[1]
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", readme, flags=re.M))
    checks = {check.id for check in library("check")}
    assert listed == set(IDS) | checks


def test_a_wrong_answer_is_reported(local):
    question = next(q for q in QUESTIONS if q.id == "partners-of-an-actor")
    result = run_query(local, question, params={"actor": "ckr:wagner-group"})
    problems = compare_with_expected(result, question)
    assert any("missing row" in problem for problem in problems)
    assert any("unexpected row" in problem for problem in problems)
