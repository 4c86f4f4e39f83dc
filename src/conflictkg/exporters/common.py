"""What every exporter shares: the request, typed attribute tables, safe identifiers, colours.

A graph exporter never writes NetworkX attributes as they come. :func:`tabulate` first turns
a projection (see :mod:`conflictkg.projection`) into a :class:`GraphTable`:

* every node and edge gets an identifier that is safe everywhere at once (an XML NMTOKEN, a
  JavaScript identifier, a Graphviz ID that is not a keyword), made from the IRI's local
  name; the IRI itself stays in the ``iri`` attribute;
* every attribute name is made safe the same way, and the projection's ``source`` and
  ``source_label`` (the source that asserts a statement) become ``asserted_by`` and
  ``asserted_by_label``, so that they cannot be mistaken for an edge's source node in
  Cytoscape.js, CSV edge lists or Neo4j;
* every attribute gets one type for all nodes (or all edges): ``boolean``, ``int``, ``long``,
  ``double`` or ``string``; integers mixed with floats become ``double``, any other mixture
  ``string`` (GraphML and GEXF declare one type per key);
* edges get a short ``label``: the relation (actor view), the role (event view) or the
  predicate's local name.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_node("https://w3id.org/conflictkg/id/jnim", label="JNIM", kind="actor")
>>> net.add_node("https://w3id.org/conflictkg/id/mali", label="Mali", kind="actor")
>>> _ = net.add_edge("https://w3id.org/conflictkg/id/jnim", "https://w3id.org/conflictkg/id/mali",
...                  relation="Hostility", source="https://w3id.org/conflictkg/id/report",
...                  sign=-1)
>>> table = tabulate(net)
>>> [node.id for node in table.nodes]
['jnim', 'mali']
>>> table.edges[0].attrs["asserted_by"], table.edges[0].attrs["label"]
('https://w3id.org/conflictkg/id/report', 'Hostility')
>>> table.edge_types["sign"], table.node_types["label"]
('int', 'string')
"""

from __future__ import annotations

import functools
import json
import keyword
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx
from rdflib import Graph

from conflictkg.projection.filters import Filters
from conflictkg.projection.views import project
from conflictkg.rdf.terms import local_name

__all__ = [
    "DATE_ATTRIBUTES",
    "EDGE_RENAMES",
    "KIND_COLOURS",
    "Edge",
    "ExportRequest",
    "GraphTable",
    "Node",
    "Progress",
    "date_bounds",
    "date_cell",
    "date_columns",
    "grid_position",
    "hex_to_rgb",
    "json_text",
    "kind_colour",
    "no_progress",
    "safe_name",
    "table_writer",
    "tabulate",
    "visible_controls",
    "xml_text",
    "xml_value",
]

T = TypeVar("T")

#: ``progress(items, total, description)`` returns the items, reporting as they are consumed.
Progress = Callable[[Iterable[T], int | None, str], Iterable[T]]


def no_progress(items: Iterable[T], total: int | None, description: str) -> Iterable[T]:
    """Return `items` unchanged: the progress reporter used when nobody watches.

    Parameters
    ----------
    items : iterable
        What is being worked through.
    total : int or None
        How many items there are, if known.
    description : str
        What the work is.

    Returns
    -------
    iterable
        `items` itself.

    Examples
    --------
    >>> list(no_progress([1, 2], 2, "counting"))
    [1, 2]
    """
    return items


@dataclass
class ExportRequest:
    """What to export: the RDF graph, the view to project it on and the filters.

    Parameters
    ----------
    graph : rdflib.Graph
        Ontology, code lists and data together (the graph ``conflictkg build`` writes).
    view : str, default "full"
        Projection for the graph formats: ``actors``, ``events``, ``places`` or ``full``.
    filters : conflictkg.projection.Filters, optional
        Statuses and dates to keep.
    progress : callable, optional
        Progress reporter (see :data:`Progress`).

    Examples
    --------
    >>> from conflictkg.rdf.loading import turtle_graph
    >>> request = ExportRequest(turtle_graph('''
    ... ckr:c a ckg:City ; ckg:locatedIn ckr:k . ckr:k a ckg:Country .
    ... '''), view="places")
    >>> request.network().number_of_edges()
    1
    """

    graph: Graph
    view: str = "full"
    filters: Filters = field(default_factory=Filters)
    progress: Progress = no_progress
    _network: nx.Graph | None = field(default=None, init=False, repr=False)
    _table: GraphTable | None = field(default=None, init=False, repr=False)

    def network(self) -> nx.Graph:
        """Project the graph on the view (once; later calls return the same graph).

        Returns
        -------
        networkx.Graph
            The projection (see :func:`conflictkg.projection.project`).
        """
        if self._network is None:
            self._network = project(self.graph, self.view, filters=self.filters)
        return self._network

    def table(self) -> GraphTable:
        """Lay out the projection for writing (once: every graph format shares it).

        Returns
        -------
        GraphTable
            :func:`tabulate` of :meth:`network`.
        """
        if self._table is None:
            self._table = tabulate(self.network(), progress=self.progress)
        return self._table


@dataclass
class Node:
    """A node of a :class:`GraphTable`: safe id, IRI and typed attributes."""

    id: str
    iri: str
    attrs: dict[str, Any]


@dataclass
class Edge:
    """An edge of a :class:`GraphTable`: safe id, safe end ids and typed attributes."""

    id: str
    source: str
    target: str
    attrs: dict[str, Any]


@dataclass
class GraphTable:
    """A projection laid out for writing: safe ids, safe names, one type per attribute.

    Attributes
    ----------
    nodes, edges : list
        In a stable order (nodes by IRI, edges by end IRIs and key).
    node_types, edge_types : dict of str to str
        Attribute name to ``boolean``, ``int``, ``long``, ``double`` or ``string``, in
        order of first use (``iri``, ``label``, ``type``... come first).
    directed : bool
        Whether the edges are directed (always true for conflictkg's views).
    multigraph : bool
        Whether two edges may join the same two nodes.
    graph : dict
        Graph attributes (``view``, ``filters``).
    """

    nodes: list[Node]
    edges: list[Edge]
    node_types: dict[str, str]
    edge_types: dict[str, str]
    directed: bool = True
    multigraph: bool = True
    graph: dict[str, Any] = field(default_factory=dict)

    def node_ids(self) -> dict[str, str]:
        """Map each node's IRI to its safe id.

        Returns
        -------
        dict of str to str
            IRI to id.
        """
        return {node.iri: node.id for node in self.nodes}


#: Projection attribute names that exporters rename, and their new names.
EDGE_RENAMES: dict[str, str] = {"source": "asserted_by", "source_label": "asserted_by_label"}

# Words that Graphviz reserves (case-insensitive) and that JavaScript reserves.
_DOT_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})
_JS_RESERVED = frozenset(
    """break case catch class const continue debugger default delete do else enum export
    extends false finally for function if implements import in instanceof interface let new
    null package private protected public return static super switch this throw true try
    typeof var void while with yield await arguments eval undefined NaN Infinity""".split()
)
# Attribute names that mean something else in Cytoscape.js data or in edge lists.
_RESERVED_ATTRS = ("id", "source", "target", "parent")
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")
_INT32 = 2**31


def safe_name(text: str, *, reserved: Iterable[str] = ()) -> str:
    """Turn any text into a name valid as NMTOKEN, JavaScript identifier and Graphviz ID.

    Runs of other characters become one underscore; a name that would start with a digit,
    be empty, or be a Graphviz, JavaScript or Python keyword (or in `reserved`) gets the
    prefix ``n_``.

    Parameters
    ----------
    text : str
        A local name, an attribute name...
    reserved : iterable of str, optional
        More names to avoid.

    Returns
    -------
    str
        Matches ``[A-Za-z_][A-Za-z0-9_]*``.

    Examples
    --------
    >>> safe_name("bamako-2024-09-17-attack")
    'bamako_2024_09_17_attack'
    >>> safe_name("2017"), safe_name("node"), safe_name("class"), safe_name("")
    ('n_2017', 'n_node', 'n_class', 'n_')
    """
    name = _UNSAFE.sub("_", text).strip("_") if text.strip("_-") else ""
    avoid = set(reserved)
    if (
        not name
        or name[0].isdigit()
        or name.lower() in _DOT_KEYWORDS
        or name in _JS_RESERVED
        or keyword.iskeyword(name)
        or name in avoid
    ):
        name = "n_" + name
    return name


class _Ids:
    """Hand out unique safe ids, adding ``_2``, ``_3``... on collisions."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, text: str, *, safe: bool = False) -> str:
        base = text if safe else safe_name(text)
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        return name


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int" if -_INT32 <= value < _INT32 else "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _column_type(kinds: set[str]) -> str:
    """One type for a column that holds values of these kinds."""
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds <= {"int", "long"}:
        return "long"
    if kinds <= {"int", "long", "double"}:
        return "double"
    return "string"


def _convert(value: Any, kind: str) -> Any:
    if kind == "double":
        return float(value)
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    return value


def _edge_label(attrs: dict[str, Any]) -> str:
    for key in ("relation", "role"):
        if attrs.get(key):
            return str(attrs[key])
    predicate = attrs.get("predicate")
    return local_name(str(predicate)) if predicate else "related"


def _typed(rows: list[dict[str, Any]], first: tuple[str, ...]) -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            kinds = seen.get(key)
            if kinds is None:
                kinds = seen[key] = set()
            kinds.add(_kind_of(value))
    order = [k for k in first if k in seen] + [k for k in seen if k not in first]
    types = {key: _column_type(seen[key]) for key in order}
    mixed = {key for key, kinds in seen.items() if kinds != {types[key]}}
    if mixed:
        for row in rows:
            for key in mixed & row.keys():
                row[key] = _convert(row[key], types[key])
    return types


def _clean_attrs(attrs: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    out = {}
    for key, value in attrs.items():
        if value is None:
            continue
        name = names.get(key)
        if name is None:
            name = names[key] = safe_name(EDGE_RENAMES.get(key, key), reserved=_RESERVED_ATTRS)
        out[name] = value
    return out


def tabulate(graph: nx.Graph, *, progress: Progress = no_progress) -> GraphTable:
    """Lay out a projection for writing (see the module notes).

    Parameters
    ----------
    graph : networkx.Graph
        A projection from :mod:`conflictkg.projection` (or any graph whose nodes are IRIs).
    progress : callable, optional
        Progress reporter.

    Returns
    -------
    GraphTable
        Nodes sorted by IRI, edges by end IRIs and key, with safe ids and typed attributes.
    """
    ids = _Ids()
    names: dict[str, str] = {}
    node_iris = sorted(graph.nodes, key=str)
    nodes = []
    for iri in progress(node_iris, len(node_iris), "laying out nodes"):
        attrs = _clean_attrs(graph.nodes[iri], names)
        attrs.setdefault("iri", str(iri))
        attrs.setdefault("label", local_name(str(iri)))
        nodes.append(Node(ids.make(local_name(str(iri))), str(iri), attrs))
    by_iri = {node.iri: node.id for node in nodes}
    if graph.is_multigraph():
        raw = graph.edges(keys=True, data=True)
    else:
        raw = ((u, v, "", d) for u, v, d in graph.edges(data=True))
    ordered = sorted(raw, key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    edges = []
    for number, (u, v, _key, data) in enumerate(
        progress(ordered, len(ordered), "laying out edges"), start=1
    ):
        attrs = _clean_attrs(data, names)
        attrs.setdefault("label", _edge_label(data))
        edge_id = ids.make(f"e{number}", safe=True)
        edges.append(Edge(edge_id, by_iri[str(u)], by_iri[str(v)], attrs))
    node_types = _typed([n.attrs for n in nodes], ("iri", "label", "type", "types", "kind"))
    edge_types = _typed(
        [e.attrs for e in edges], ("label", "predicate", "predicate_label", "status")
    )
    return GraphTable(
        nodes=nodes,
        edges=edges,
        node_types=node_types,
        edge_types=edge_types,
        directed=graph.is_directed(),
        multigraph=graph.is_multigraph(),
        graph={k: v for k, v in graph.graph.items() if isinstance(v, str)},
    )


_WRITER_NOTES = """

    Parameters
    ----------
    graph : networkx.Graph or GraphTable
        A projection (see :mod:`conflictkg.projection`), or its layout by :func:`tabulate`
        (which :class:`ExportRequest` makes once for all the formats of an export).
    progress : callable, optional
        Progress reporter.

    Returns
    -------
    {returns}
"""


def table_writer(returns: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Make a projection writer of a function that writes a :class:`GraphTable`.

    The writer takes a projection or its table, lays out a projection with
    :func:`tabulate`, and calls the function with the table and the progress reporter;
    its docstring gets the parameters every writer shares.

    Parameters
    ----------
    returns : str
        The numpydoc lines that say what the writer returns.

    Returns
    -------
    callable
        A decorator.
    """

    def decorate(write: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(write)
        def writer(graph: nx.Graph | GraphTable, *, progress: Progress = no_progress,
                   **options: Any) -> T:
            table = graph if isinstance(graph, GraphTable) else tabulate(graph, progress=progress)
            return write(table, progress, **options)

        writer.__doc__ = (write.__doc__ or "").rstrip() + _WRITER_NOTES.format(returns=returns)
        return writer

    return decorate


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def date_bounds(value: str | None) -> tuple[str, str] | None:
    """First and last day an ISO 8601 date, month, year or date-time can mean.

    Parameters
    ----------
    value : str or None
        ``2024-09-17``, ``2024-09``, ``2017`` or ``2024-09-17T08:00:00Z``.

    Returns
    -------
    tuple of str or None
        ``(first, last)`` as ``YYYY-MM-DD``, or ``None`` when `value` is not such a date.

    Examples
    --------
    >>> date_bounds("2017"), date_bounds("2024-02"), date_bounds("2024-09-17T08:00:00Z")
    (('2017-01-01', '2017-12-31'), ('2024-02-01', '2024-02-29'), ('2024-09-17', '2024-09-17'))
    >>> date_bounds("2023-02"), date_bounds("soon") is None
    (('2023-02-01', '2023-02-28'), True)
    """
    if not value:
        return None
    match = _DATE.match(value)
    if match is None:
        return None
    year, month, day = match.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        last = _MONTH_DAYS[int(month) - 1]
        if month == "02" and not _leap(int(year)):
            last = 28
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


#: Attributes that hold ISO 8601 dates (see :mod:`conflictkg.projection.views`).
DATE_ATTRIBUTES = frozenset({"start", "end", "date", "earliest", "latest", "ongoing_on",
                             "founded"})
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_columns(
    names: Iterable[str], types: dict[str, str], rows: list[dict[str, Any]], *,
    typed_days: bool = True,
) -> list[tuple[str, str]]:
    """Lay out attributes as table columns, giving dates of a month or a year their bounds.

    A date attribute whose values are all whole days becomes one ``date`` column; one that
    also holds a month, a year or a time keeps the source's text (a ``string`` column) and
    gets two more, ``first`` and ``last``: the first and last day it can mean (see
    :func:`date_bounds`), so that no column says more than its source and every reader
    can still sort and filter by day.

    Parameters
    ----------
    names : iterable of str
        The attributes, in column order.
    types : dict of str to str
        Their table types (see :class:`GraphTable`).
    rows : list of dict
        The attributes of the nodes (or edges) of the table.
    typed_days : bool, default True
        Whether a column of whole days becomes one ``date`` column; if false, every date
        attribute gets its text and its ``first`` and ``last`` columns (the same columns
        whatever the data, as a CSV reader's script expects).

    Returns
    -------
    list of tuple
        ``(attribute, kind)``: kind is the table type, ``date``, ``first`` or ``last``.

    Examples
    --------
    >>> date_columns(["label", "date", "founded"], {"label": "string", "date": "string",
    ...              "founded": "string"}, [{"date": "2024-09-17", "founded": "2017"}])
    [('label', 'string'), ('date', 'date'), ('founded', 'string'), ('founded', 'first'), \
('founded', 'last')]
    """
    out: list[tuple[str, str]] = []
    for name in names:
        if name in DATE_ATTRIBUTES and types[name] == "string":
            values = [str(row[name]) for row in rows if row.get(name) is not None]
            if typed_days and all(_DAY.match(value) for value in values):
                out.append((name, "date"))
            else:
                out += [(name, "string"), (name, "first"), (name, "last")]
        else:
            out.append((name, types[name]))
    return out


def date_cell(value: Any, kind: str) -> str:
    """Write the ``first`` or ``last`` day a date can mean (``""`` for none).

    Examples
    --------
    >>> date_cell("2017", "first"), date_cell("2024-02", "last"), date_cell(None, "last")
    ('2017-01-01', '2024-02-29', '')
    """
    bounds = date_bounds(str(value)) if value is not None else None
    return "" if bounds is None else bounds[0 if kind == "first" else 1]


def grid_position(index: int, count: int) -> tuple[int, int]:
    """Place the `index`-th of `count` nodes on a square grid (300 by 80 units a cell).

    Readers that draw only the nodes with a position (Cytoscape desktop) or start from the
    file's coordinates (yEd) get every node apart from the others, ready for a layout.

    Examples
    --------
    >>> [grid_position(i, 5) for i in range(5)]
    [(0, 0), (300, 0), (600, 0), (0, 80), (300, 80)]
    """
    side = max(1, math.isqrt(count - 1) + 1) if count > 1 else 1
    return 300 * (index % side), 80 * (index // side)


def json_text(value: Any, *, depth: int = 2, indent: int = 0) -> str:
    """JSON laid out on lines down to `depth` levels, each deeper value compact on its line.

    Readable in an editor, and fast: the compact parts use the C encoder.

    Parameters
    ----------
    value : object
        What to write.
    depth : int, default 2
        How many levels of objects and arrays get one member per line.
    indent : int, default 0
        Indentation of the first level (used in recursion).

    Returns
    -------
    str
        The JSON text (UTF-8 characters kept).

    Examples
    --------
    >>> print(json_text({"type": "FeatureCollection", "features": [{"id": 1}, {"id": 2}]}))
    {
     "type": "FeatureCollection",
     "features": [
      {"id": 1},
      {"id": 2}
     ]
    }
    """
    if depth <= 0 or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False)
    pad = " " * (indent + 1)
    if isinstance(value, dict):
        items = [
            f"{pad}{json.dumps(key, ensure_ascii=False)}: "
            + json_text(item, depth=depth - 1, indent=indent + 1)
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + json_text(item, depth=depth - 1, indent=indent + 1) for item in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


#: Colour of each node kind (Okabe-Ito palette, safe for colour-blind readers).
KIND_COLOURS: dict[str, str] = {
    "actor": "#D55E00",
    "event": "#0072B2",
    "place": "#009E73",
    "source": "#CC79A7",
    "relation": "#E69F00",
    "count": "#56B4E9",
    "record": "#B8A400",
    "other": "#999999",
}

def kind_colour(kind: str | None) -> str:
    """Return the hex colour of a node kind (grey for unknown kinds).

    Examples
    --------
    >>> kind_colour("actor"), kind_colour("spaceship")
    ('#D55E00', '#999999')
    """
    return KIND_COLOURS.get(kind or "other", KIND_COLOURS["other"])


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """Split ``#RRGGBB`` into its channels.

    Examples
    --------
    >>> hex_to_rgb("#D55E00")
    (213, 94, 0)
    """
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def visible_controls(text: str) -> str:
    r"""Replace the control characters XML 1.0 forbids with U+FFFD, so that they show.

    Validation refuses them in labels; an export of unvalidated data keeps a visible
    mark where one was rather than dropping it unseen.

    Examples
    --------
    >>> visible_controls("bell\x07")
    'bell\ufffd'
    """
    return _XML_ILLEGAL.sub("\ufffd", text)


def xml_text(value: Any) -> str:
    r"""Text safe inside XML: escaped, the control characters XML 1.0 forbids made U+FFFD.

    Examples
    --------
    >>> xml_text('a < b & "c"\x01')
    'a &lt; b &amp; &quot;c&quot;\ufffd'
    """
    text = visible_controls(str(value))
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def xml_value(value: Any, kind: str) -> str:
    """Write an attribute value of a table type (see :class:`GraphTable`) as XML text.

    Examples
    --------
    >>> xml_value(True, "boolean"), xml_value(2, "double"), xml_value("a & b", "string")
    ('true', '2.0', 'a &amp; b')
    """
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return xml_text(value)
