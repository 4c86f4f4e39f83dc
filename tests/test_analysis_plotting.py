"""Pictures: files that open, labels as text, colour by type, line style by status, atomicity."""

from __future__ import annotations

import networkx as nx
import pytest
from PIL import Image

from conflictkg import resources
from conflictkg.analysis import plotting
from conflictkg.analysis.balance import structural_balance
from conflictkg.analysis.centrality import centrality
from conflictkg.analysis.communities import communities
from conflictkg.analysis.ego import ego_network
from conflictkg.analysis.paths import explained_paths
from conflictkg.analysis.timeline import timeline
from conflictkg.errors import OutputError
from conflictkg.namespaces import CKR
from conflictkg.projection import actor_network, entity_graph
from conflictkg.rdf.loading import load_files


@pytest.fixture(scope="module")
def report():
    graph = load_files([*resources.ontology_files(), *resources.graph_files()])
    return actor_network(graph), entity_graph(graph)


def _pair(status: str) -> nx.MultiDiGraph:
    net = nx.MultiDiGraph()
    net.add_node(
        "g", label="Armed group", type="JihadistGroup", type_label="jihadist group", kind="actor"
    )
    net.add_node("s", label="State", type="State", type_label="state", kind="actor")
    net.add_edge("g", "s", sign=-1, status=status)
    return net


def test_png_opens_and_is_large_enough(tmp_path, report):
    actors, _ = report
    target = plotting.plot_centrality(actors, centrality(actors), tmp_path / "c.png")
    with Image.open(target) as image:
        image.verify()
    with Image.open(target) as image:
        assert image.format == "PNG"
        assert image.width >= 1800 and image.height >= 1000
    assert [p.name for p in tmp_path.iterdir()] == ["c.png"]  # no temporary file left


def test_svg_keeps_labels_legend_and_type_colours(tmp_path, report):
    actors, _ = report
    svg = plotting.plot_centrality(actors, centrality(actors), tmp_path / "c.svg").read_text()
    for text in (
        "JNIM",
        "Malian Armed Forces",
        "Wagner Group",
        "Type",
        "jihadist group",
        "Statement status",
        "hostility",
        "betweenness",
    ):
        assert text in svg, text
    assert "fill: #0072b2" in svg  # jihadist groups are blue in every picture
    assert "fill: #d55e00" in svg  # armed forces vermilion


@pytest.mark.parametrize(
    ("status", "dashed"), [("Reported", False), ("ClaimedByParty", True), ("Unconfirmed", True)]
)
def test_line_style_follows_status(tmp_path, status, dashed):
    svg = plotting.plot_network(_pair(status), tmp_path / "n.svg").read_text()
    assert ("stroke-dasharray" in svg) is dashed
    assert ("claimed by a party" in svg) is (status == "ClaimedByParty")


def test_every_analysis_draws_on_the_report(tmp_path, report):
    actors, full = report
    paths = explained_paths(actors, str(CKR.jnim), str(CKR["wagner-group"]), all_shortest=True)
    drawn = [
        plotting.plot_paths(actors, paths, tmp_path / "path.svg"),
        plotting.plot_communities(
            actors, communities(actors, ties="positive"), tmp_path / "camps.svg"
        ),
        plotting.plot_ego(ego_network(actors, str(CKR.jnim), radius=2), tmp_path / "ego.svg"),
        plotting.plot_balance(actors, structural_balance(actors), tmp_path / "balance.svg"),
        plotting.plot_timeline(timeline(full), tmp_path / "timeline.svg"),
        plotting.plot_network(full, tmp_path / "full.pdf"),
    ]
    texts = [p.read_text() for p in drawn[:-1]]
    assert "2 paths from JNIM to Wagner Group" in texts[0] and "partnership" in texts[0]
    assert "modularity" in texts[1] and "Camps" in texts[1]
    assert "Ego network of JNIM, radius 2" in texts[2]
    assert "balance ratio 1.00" in texts[3]
    assert "Bamako attack of 17 September 2024" in texts[4] and "2017" in texts[4]
    assert drawn[-1].read_bytes().startswith(b"%PDF-")


def test_large_graph_is_cut_and_says_so(tmp_path):
    big = nx.barabasi_albert_graph(300, 2, seed=1)
    svg = plotting.plot_network(big, tmp_path / "big.svg", max_nodes=40).read_text()
    assert "showing 40 of 300 entities" in svg


def test_bad_target_and_failed_drawing_leave_files_alone(tmp_path, report):
    actors, _ = report
    with pytest.raises(ValueError, match="must end in .png, .svg or .pdf"):
        plotting.plot_network(actors, tmp_path / "x.jpg")
    old = tmp_path / "timeline.png"
    old.write_bytes(b"previous picture")
    with pytest.raises(ValueError, match="no dated event"):
        plotting.plot_timeline([], old)
    assert old.read_bytes() == b"previous picture"
    folder = tmp_path / "is-a-folder.png"
    folder.mkdir()
    with pytest.raises(OutputError, match="it is a folder; give a file name"):
        plotting.plot_network(actors, folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["is-a-folder.png", "timeline.png"]
    nested = plotting.plot_network(actors, tmp_path / "new" / "dir" / "n.png")
    assert nested.exists()
