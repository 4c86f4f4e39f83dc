"""Shared fixtures and markers for the conflictkg tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SYNTAX = DATA / "syntax"
UNIT = DATA / "unit"

@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner with a wide terminal so that tables do not wrap words."""
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
