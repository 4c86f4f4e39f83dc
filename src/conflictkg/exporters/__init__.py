"""Export the knowledge graph to the formats researchers' tools open.

Every format is written by :func:`export` (in memory) or :func:`write` (to disk,
atomically), looked up by name in :mod:`conflictkg.exporters.registry`:

=========== ====================================================== ==========================
name        what                                                    opens in
=========== ====================================================== ==========================
turtle      RDF Turtle, the whole graph                             RDF stores and libraries
ntriples    RDF N-Triples                                           RDF stores and libraries
jsonld      JSON-LD compacted with the shipped context              JSON-LD processors
trig        TriG, one named graph per source                        RDF stores and libraries
graphml     GraphML, typed keys, names and colours                  Gephi, Cytoscape, graph-tool
yed         GraphML with yFiles labels and colours                  yEd
gexf        GEXF 1.3, dynamic, colours by kind                      Gephi
cyjs        Cytoscape.js JSON                                       Cytoscape, Cytoscape.js
dot         Graphviz DOT                                            Graphviz
svg, png    drawings laid out by Graphviz                           browsers, image viewers
neo4j       neo4j-admin import CSV files and a LOAD CSV script      Neo4j
geojson     GeoJSON points of events and places                     QGIS, kepler.gl
csv         nodes.csv and edges.csv                                 spreadsheets, pandas
html        a self-contained interactive viewer                     any browser, offline
=========== ====================================================== ==========================

The RDF formats and GeoJSON read the RDF graph itself; the others read a projection
(``actors``, ``events``, ``places`` or ``full``, see :mod:`conflictkg.projection`). Filters on
status and dates apply to all: the RDF formats leave out the records that fail them.

Examples
--------
>>> from conflictkg.rdf.loading import turtle_graph
>>> g = turtle_graph("ckr:c a ckg:City ; ckg:locatedIn ckr:k . ckr:k a ckg:Country .")
>>> text = export(g, "dot", view="places").decode()
>>> "c -> k" in text
True
"""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph

from conflictkg.atomic import AtomicOutputs
from conflictkg.errors import ExportDataError, ExportError, UnknownFormatError
from conflictkg.exporters.common import ExportRequest, Progress, no_progress
from conflictkg.exporters.registry import Exporter, get, names, register
from conflictkg.projection.filters import Filters

__all__ = [
    "ExportDataError",
    "ExportError",
    "ExportRequest",
    "Exporter",
    "UnknownFormatError",
    "export",
    "get",
    "names",
    "register",
    "save",
    "write",
]


def export(
    graph: Graph,
    format: str,
    *,
    view: str = "full",
    filters: Filters | None = None,
    progress: Progress = no_progress,
) -> bytes | dict[str, bytes]:
    """Export `graph` in `format`, in memory.

    Parameters
    ----------
    graph : rdflib.Graph
        Ontology, code lists and data together.
    format : str
        A registered format name (see :func:`names`).
    view : str, default "full"
        Projection for the graph formats.
    filters : conflictkg.projection.Filters, optional
        Statuses and dates to keep.
    progress : callable, optional
        Progress reporter.

    Returns
    -------
    bytes or dict of str to bytes
        The file, or for folder formats (``neo4j``, ``csv``) the files by name.

    Raises
    ------
    UnknownFormatError
        If `format` is not registered.
    ExportError
        If the format cannot be written here (missing program, graph too large to draw).
    conflictkg.errors.EmptyProjectionError
        If the view is empty.
    """
    request = ExportRequest(graph, view=view, filters=filters or Filters(), progress=progress)
    return get(format).render(request)


def write(
    graph: Graph,
    format: str,
    target: str | os.PathLike[str],
    *,
    view: str = "full",
    filters: Filters | None = None,
    progress: Progress = no_progress,
) -> list[Path]:
    """Export `graph` in `format` to `target`, atomically.

    A single-file format replaces `target`; a folder format writes its files into the
    folder `target` (created if missing), all of them or none.

    Parameters
    ----------
    graph : rdflib.Graph
        Ontology, code lists and data together.
    format : str
        A registered format name.
    target : str or os.PathLike
        The file, or the folder for folder formats.
    view, filters, progress
        As for :func:`export`.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    output = export(graph, format, view=view, filters=filters, progress=progress)
    return save(output, target, format=format)


def save(
    output: bytes | dict[str, bytes], target: str | os.PathLike[str], *, format: str
) -> list[Path]:
    """Write what :func:`export` returned to `target`, atomically.

    Parameters
    ----------
    output : bytes or dict of str to bytes
        One file, or the files of a folder format by name.
    target : str or os.PathLike
        The file, or the folder for a folder format (created if missing).
    format : str
        The format's name, for error messages.

    Returns
    -------
    list of pathlib.Path
        The files written (all of them or, on error, none).

    Raises
    ------
    ExportError
        If `target` is a folder where a file is expected, or the reverse.
    """
    target = Path(target)
    with AtomicOutputs() as outputs:
        if isinstance(output, dict):
            if target.exists() and not target.is_dir():
                raise ExportError(f"{target} is a file; the {format} format writes a folder")
            for name, data in output.items():
                outputs.write_bytes(target / name, data)
        else:
            if target.is_dir():
                raise ExportError(f"{target} is a folder; the {format} format writes a file")
            outputs.write_bytes(target, output)
        written = outputs.targets
    return written
