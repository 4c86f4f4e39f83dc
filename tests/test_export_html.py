"""The HTML viewer: self-contained, and drawn by headless Chromium with the nodes on the page.

Chromium runs the page's scripts (``--dump-dom`` gives the DOM after them) and takes a
screenshot, kept in tests/artifacts/ (not committed).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from conftest import REPO

from conflictkg import resources
from conflictkg.exporters import export
from conflictkg.exporters.html import to_html
from conflictkg.projection import project
from conflictkg.rdf.loading import load_files

ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is missing (Debian package chromium; CI installs it)"
)


class _Page(HTMLParser):
    """Collect src/href values, tags and the attributes of elements with data-iri."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.iris: list[str] = []
        self.body: dict[str, str | None] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        values = dict(attrs)
        self.links += [value or "" for name, value in attrs if name in ("src", "href")]
        if "data-iri" in values:
            self.iris.append(values["data-iri"] or "")
        if tag == "body":
            self.body = values

    def handle_data(self, data):
        self.text.append(data)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


@pytest.fixture(scope="module")
def graph():
    return load_files([*resources.ontology_files(), *resources.graph_files()])


def _chromium(page: Path, tmp_path: Path, *, fragment: str = "", screenshot: Path | None = None):
    """Run headless Chromium on a local page; return the DOM after its scripts ran."""
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
        "--window-size=1500,900", "--virtual-time-budget=5000",
    ]
    command.append(f"--screenshot={screenshot}" if screenshot else "--dump-dom")
    command.append(page.as_uri() + fragment)
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_no_external_reference(graph):
    text = export(graph, "html", view="full").decode()
    page = _parse(text)
    assert not [link for link in page.links if "http" in link]
    assert "link" not in page.tags and "iframe" not in page.tags and "img" not in page.tags
    assert "@import" not in text and "url(http" not in text
    assert page.tags.count("script") == 2  # the data block and the viewer


def test_text_cannot_break_out_of_the_data_block():
    net = nx.MultiDiGraph()
    net.add_node("urn:x:a", label="</script><img src=http://example.org/x.png>", kind="actor")
    net.add_edge("urn:x:a", "urn:x:b", role="perpetrator")
    page = _parse(to_html(net).decode())
    assert "img" not in page.tags and page.tags.count("script") == 2


@needs_chromium
def test_chromium_draws_every_node(graph, tmp_path):
    path = tmp_path / "events.html"
    path.write_bytes(export(graph, "html", view="events"))
    dom = _parse(_chromium(path, tmp_path))
    assert dom.body.get("data-ready") == "true", "the viewer's script did not finish"
    assert sorted(dom.iris) == sorted(project(graph, "events").nodes)
    assert not [link for link in dom.links if "http" in link]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "viewer-events.png"
    _chromium(path, tmp_path, screenshot=shot)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000


@needs_chromium
def test_a_selected_node_shows_its_facts_and_sources(graph, tmp_path):
    path = tmp_path / "full.html"
    path.write_bytes(export(graph, "html", view="full"))
    fragment = "#select=bamako_2024_09_17_jnim_claim"
    text = " ".join(" ".join(_parse(_chromium(path, tmp_path, fragment=fragment)).text).split())
    assert "JNIM claims the Bamako attack" in text
    assert "source: Report on the 17 September 2024 attack in Bamako" in text
    assert "Claimed by a party" in text and "claimant" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "viewer-selected.png"  # the README's picture (docs/images/viewer.png)
    events = tmp_path / "events.html"
    events.write_bytes(export(graph, "html", view="events"))
    _chromium(events, tmp_path, fragment="#select=bamako_2024_09_17_attack", screenshot=shot)
    assert shot.read_bytes().startswith(b"\x89PNG")


@needs_chromium
def test_search_reaches_a_node_beyond_the_400_drawn(tmp_path):
    net = nx.MultiDiGraph()
    base = "https://w3id.org/conflictkg/id/"
    hubs = [f"{base}hub-{i}" for i in range(500)]
    for number in range(10_000 - len(hubs)):
        leaf = f"{base}leaf-{number}"
        net.add_node(leaf, label=f"Leaf {number}", kind="actor", type="Actor")
        net.add_edge(leaf, hubs[number % len(hubs)], relation="Affiliation", status="Reported")
    for hub in hubs:
        net.nodes[hub].update(label=hub.rsplit("/", 1)[1], kind="actor", type="Actor")
    assert net.number_of_nodes() == 10_000
    path = tmp_path / "big.html"
    path.write_bytes(to_html(net))
    dom = _chromium(path, tmp_path, fragment="#select=leaf_9000")
    drawn = re.findall(r'<g class="node[^"]*"[^>]*data-id="([^"]+)"', dom)
    assert "leaf_9000" in drawn and "hub_0" in drawn
    assert 400 < len(drawn) <= 402
