"""Finding the shipped data: in the package first, else in the checkout."""

from __future__ import annotations

import pytest
from conftest import REPO

from conflictkg import resources


def test_checkout_is_used_for_an_editable_install():
    assert resources.data_dir("ontology") == REPO / "ontology"
    assert resources.data_dir("graph") == REPO / "graph"
    assert resources.data_dir("queries") == REPO / "queries"


def test_unknown_name():
    with pytest.raises(ValueError, match="unknown data folder"):
        resources.data_dir("shapes")


def _fake_layout(tmp_path, monkeypatch, *, packaged, checkout):
    package = tmp_path / "src" / "conflictkg"
    package.mkdir(parents=True)
    if packaged:
        for name in resources.DATA_NAMES:
            (package / "data" / name).mkdir(parents=True)
    if checkout:
        (tmp_path / "pyproject.toml").write_text("")
        for name in resources.DATA_NAMES:
            (tmp_path / name).mkdir()
    monkeypatch.setattr(resources, "_PACKAGE_DIR", package)
    return package


def test_package_data_wins(tmp_path, monkeypatch):
    package = _fake_layout(tmp_path, monkeypatch, packaged=True, checkout=True)
    assert resources.data_dir("graph") == package / "data" / "graph"


def test_checkout_is_the_fallback(tmp_path, monkeypatch):
    _fake_layout(tmp_path, monkeypatch, packaged=False, checkout=True)
    assert resources.data_dir("graph") == tmp_path / "graph"


def test_clear_error_when_neither(tmp_path, monkeypatch):
    _fake_layout(tmp_path, monkeypatch, packaged=False, checkout=False)
    with pytest.raises(resources.DataNotFoundError, match="data folder 'ontology' not found"):
        resources.data_dir("ontology")


def test_file_lists(tmp_path, monkeypatch):
    package = _fake_layout(tmp_path, monkeypatch, packaged=True, checkout=False)
    data = package / "data"
    for relative in (
        "ontology/b.ttl",
        "ontology/a.ttl",
        "ontology/shapes.ttl",
        "ontology/ontology-shapes.ttl",
        "ontology/README.md",
        "ontology/codes/z.ttl",
        "ontology/codes/c.ttl",
        "graph/shared/actors.ttl",
        "graph/reports/2024/r.ttl",
        "graph/reports/a.ttl",
        "graph/notes.txt",
        "queries/cq/q1.rq",
    ):
        (data / relative).parent.mkdir(parents=True, exist_ok=True)
        (data / relative).write_text("")

    def names(paths, root):
        return [p.relative_to(data / root).as_posix() for p in paths]

    assert names(resources.ontology_files(), "ontology") == [
        "a.ttl",
        "b.ttl",
        "codes/c.ttl",
        "codes/z.ttl",
    ]
    assert resources.shapes_file() == data / "ontology" / "shapes.ttl"
    assert resources.ontology_shapes_file() == data / "ontology" / "ontology-shapes.ttl"
    assert names(resources.graph_files(), "graph") == [
        "reports/2024/r.ttl",
        "reports/a.ttl",
        "shared/actors.ttl",
    ]
    assert names(resources.shared_graph_files(), "graph") == ["shared/actors.ttl"]
    assert names(resources.query_files(), "queries") == ["cq/q1.rq"]
