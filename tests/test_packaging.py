"""Packaging: the wheel carries the data and builds the graph outside the checkout."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
import zipfile

import pytest
from conftest import REPO

import conflictkg


def test_version_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["version"] == conflictkg.__version__
    assert project["scripts"]["conflictkg"] == "conflictkg.cli:run"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-w", str(folder), "-q"]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")  # use the installed backend, no download
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = folder.glob("conflictkg-*.whl")
    return built


def _repo_files(folder, pattern="**/*"):
    return {p.relative_to(REPO).as_posix() for p in (REPO / folder).glob(pattern) if p.is_file()}


@pytest.mark.slow
def test_wheel_contains_package_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "conflictkg/cli/__init__.py" in names and "conflictkg/__main__.py" in names
    assert any(n.startswith("conflictkg/data/ontology/") and n.endswith(".ttl") for n in names)
    for folder in ("ontology", "graph", "queries"):
        expected = {f"conflictkg/data/{name}" for name in _repo_files(folder)}
        assert expected, f"{folder}/ is empty"
        assert expected <= names, sorted(expected - names)
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_builds_outside_the_repo(wheel, tmp_path):
    target = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), "-q",
         str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c",
         "import conflictkg.resources as r; print(r.data_dir('ontology'))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=False,
    )
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip() == str(target / "conflictkg" / "data" / "ontology")

    out = tmp_path / "out2"
    built = subprocess.run(
        [sys.executable, "-m", "conflictkg", "build", "--out", str(out)],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert (out / "graph.ttl").stat().st_size > 0
    assert (out / "graph.nt").stat().st_size > 0
