"""The registry of export formats, looked up by name.

Each format is registered under a short name with the module and function that write it,
imported only when the format is used (as rdflib registers its serialisers): a format that
needs a program or package the user lacks does not stop the others from loading.

A writer is a function whose first argument depends on what the format takes:

``rdf``
    the whole RDF graph (``rdflib.Graph``), with ``filters=`` and ``progress=``;
``view``
    the projection on the requested view, laid out once for all the formats of an export
    (:meth:`~conflictkg.exporters.common.ExportRequest.table`), with ``progress=``;
``view+rdf``
    the same, with ``rdf=`` (the RDF graph, for texts such as summaries).

It returns the file's bytes, or, for a format that is a folder of files, a dict from file
name to bytes.

Examples
--------
>>> get("graphml").suffix
'.graphml'
>>> "gexf" in names() and "neo4j" in names()
True
>>> get("gml")
Traceback (most recent call last):
...
conflictkg.errors.UnknownFormatError: unknown export format 'gml'; choose one of: \
turtle, ntriples, jsonld, trig, graphml, yed, gexf, cyjs, dot, svg, png, neo4j, geojson, csv, html
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from conflictkg.errors import ExportError, UnknownFormatError
from conflictkg.exporters.common import ExportRequest

__all__ = ["Exporter", "UnknownFormatError", "get", "names", "register", "unregister"]

Input = Literal["rdf", "view", "view+rdf"]


@dataclass(frozen=True)
class Exporter:
    """A registered export format.

    Attributes
    ----------
    name : str
        What ``--format`` takes.
    module, function : str
        Where the writer lives (imported on first use).
    suffix : str
        File name extension of the output; empty for folder formats.
    input : {"rdf", "view", "view+rdf"}
        What the writer takes (see the module notes).
    description : str
        One line for ``conflictkg export --list``.
    tools : str
        Programs that open the output.
    folder : bool
        Whether the output is a folder of files rather than one file.
    programs : tuple of str
        External programs the writer runs (e.g. ``("dot",)``).
    """

    name: str
    module: str
    function: str
    suffix: str
    input: Input
    description: str
    tools: str = ""
    folder: bool = False
    programs: tuple[str, ...] = ()

    def writer(self) -> Callable[..., Any]:
        """Import and return the writing function.

        Returns
        -------
        callable
            The writer (see the module notes for its arguments).
        """
        return getattr(importlib.import_module(self.module), self.function)

    def missing_programs(self) -> list[str]:
        """Return the external programs this format needs that are not on the PATH.

        Returns
        -------
        list of str
            Program names; empty when the format can be written.
        """
        return [program for program in self.programs if shutil.which(program) is None]

    def render(self, request: ExportRequest) -> bytes | dict[str, bytes]:
        """Write the export into memory.

        Parameters
        ----------
        request : ExportRequest
            The graph, view, filters and progress reporter.

        Returns
        -------
        bytes or dict of str to bytes
            The file, or the files of a folder format by name.

        Raises
        ------
        ExportError
            If a program the format needs is missing, or the writer refuses the graph.
        conflictkg.projection.EmptyProjectionError
            If the view is empty.
        """
        missing = self.missing_programs()
        if missing:
            raise ExportError(
                f"the {self.name} format needs {', '.join(missing)}, which is not installed "
                "(Debian: apt-get install graphviz)"
            )
        write = self.writer()
        if self.input == "rdf":
            return write(request.graph, filters=request.filters, progress=request.progress)
        if self.input == "view+rdf":
            return write(request.table(), rdf=request.graph, progress=request.progress)
        return write(request.table(), progress=request.progress)


_REGISTRY: dict[str, Exporter] = {}


def register(
    name: str,
    module: str,
    function: str,
    *,
    suffix: str,
    input: Input,
    description: str,
    tools: str = "",
    folder: bool = False,
    programs: tuple[str, ...] = (),
) -> Exporter:
    """Register an export format under `name` (replacing any format of that name).

    Parameters
    ----------
    name : str
        What ``--format`` takes: lower-case letters and digits.
    module, function : str
        Where the writer lives.
    suffix, input, description, tools, folder, programs
        See :class:`Exporter`.

    Returns
    -------
    Exporter
        The registered format.

    Examples
    --------
    >>> fmt = register("upper", "builtins", "str", suffix=".txt", input="view",
    ...                description="a test format")
    >>> get("upper") is fmt
    True
    >>> unregister("upper")
    """
    if not name.isalnum() or name.lower() != name:
        raise ValueError(f"format names are lower-case letters and digits, not {name!r}")
    exporter = Exporter(
        name=name,
        module=module,
        function=function,
        suffix=suffix,
        input=input,
        description=description,
        tools=tools,
        folder=folder,
        programs=programs,
    )
    _REGISTRY[name] = exporter
    return exporter


def unregister(name: str) -> None:
    """Remove the format `name` (nothing happens if it is not registered).

    Parameters
    ----------
    name : str
        The format's name.
    """
    _REGISTRY.pop(name, None)


def get(name: str) -> Exporter:
    """Return the format registered under `name`.

    Parameters
    ----------
    name : str
        The format's name (case-insensitive).

    Returns
    -------
    Exporter
        The format.

    Raises
    ------
    UnknownFormatError
        If no format has that name; the message lists the formats.
    """
    found = _REGISTRY.get(name.lower())
    if found is None:
        raise UnknownFormatError(
            f"unknown export format {name!r}; choose one of: {', '.join(_REGISTRY)}"
        )
    return found


def names() -> list[str]:
    """Return the registered format names in registration order.

    Returns
    -------
    list of str
        Format names.
    """
    return list(_REGISTRY)


_PKG = "conflictkg.exporters"
_RDF_TOOLS = "any RDF store or library (Oxigraph, GraphDB, Jena, rdflib)"
for _args, _options in (
    (("turtle", f"{_PKG}.rdf", "to_turtle"),
     dict(suffix=".ttl", input="rdf", description="RDF Turtle: the whole graph",
          tools=_RDF_TOOLS)),
    (("ntriples", f"{_PKG}.rdf", "to_ntriples"),
     dict(suffix=".nt", input="rdf", description="RDF N-Triples: one statement a line",
          tools=_RDF_TOOLS)),
    (("jsonld", f"{_PKG}.rdf", "to_jsonld"),
     dict(suffix=".jsonld", input="rdf",
          description="JSON-LD compacted with the context shipped in the package",
          tools="JSON-LD processors, any JSON reader")),
    (("trig", f"{_PKG}.rdf", "to_trig"),
     dict(suffix=".trig", input="rdf",
          description="TriG: one named graph per source with the records it asserts",
          tools=_RDF_TOOLS)),
    (("graphml", f"{_PKG}.graphml", "to_graphml"),
     dict(suffix=".graphml", input="view",
          description="GraphML with typed keys, names and colours",
          tools="Gephi, Cytoscape, graph-tool, igraph")),
    (("yed", f"{_PKG}.graphml", "to_yed_graphml"),
     dict(suffix=".yed.graphml", input="view",
          description="GraphML with yFiles labels and colours", tools="yEd")),
    (("gexf", f"{_PKG}.gexf", "to_gexf"),
     dict(suffix=".gexf", input="view",
          description="GEXF 1.3, dynamic where dated, coloured by kind", tools="Gephi")),
    (("cyjs", f"{_PKG}.cytoscape", "to_cytoscape_json"),
     dict(suffix=".cyjs", input="view", description="Cytoscape.js JSON",
          tools="Cytoscape, Cytoscape.js")),
    (("dot", f"{_PKG}.dot", "to_dot"),
     dict(suffix=".dot", input="view", description="Graphviz DOT", tools="Graphviz")),
    (("svg", f"{_PKG}.dot", "to_svg"),
     dict(suffix=".svg", input="view", description="SVG drawing laid out by Graphviz",
          tools="a browser, Inkscape", programs=("dot",))),
    (("png", f"{_PKG}.dot", "to_png"),
     dict(suffix=".png", input="view", description="PNG drawing laid out by Graphviz",
          tools="any image viewer", programs=("dot",))),
    (("neo4j", f"{_PKG}.neo4j", "to_neo4j"),
     dict(suffix="", input="view", folder=True,
          description="CSV files for neo4j-admin import, and a LOAD CSV script",
          tools="Neo4j")),
    (("geojson", f"{_PKG}.geojson", "to_geojson"),
     dict(suffix=".geojson", input="rdf",
          description="GeoJSON points of events and places, with precision and dates",
          tools="QGIS, kepler.gl")),
    (("csv", f"{_PKG}.tables", "to_csv_tables"),
     dict(suffix="", input="view", folder=True, description="nodes.csv and edges.csv",
          tools="spreadsheets, pandas, R")),
    (("html", f"{_PKG}.html", "to_html"),
     dict(suffix=".html", input="view+rdf",
          description="a self-contained interactive viewer", tools="any browser, offline")),
):
    register(*_args, **_options)  # type: ignore[arg-type]
