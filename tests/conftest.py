"""Shared fixtures and markers for the conflictkg tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SYNTAX = DATA / "syntax"
UNIT = DATA / "unit"

# The project's own ontology, shapes and graph are written by another part of
# the project; the tests that need them wait (skip) until they exist.
_PROJECT_FILES = (
    REPO / "ontology" / "conflictkg.ttl",
    REPO / "ontology" / "shapes.ttl",
    REPO / "ontology" / "ontology-shapes.ttl",
)


def project_data_present() -> bool:
    """Tell whether the project's ontology, shapes and some graph files exist."""
    return all(p.is_file() for p in _PROJECT_FILES) and any((REPO / "graph").glob("**/*.ttl"))


needs_project_data = pytest.mark.skipif(
    not project_data_present(),
    reason="waits for the project's ontology/, shapes and graph/ files",
)


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner with a wide terminal so that tables do not wrap words."""
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
