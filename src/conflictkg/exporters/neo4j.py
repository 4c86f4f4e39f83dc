"""Neo4j: CSV files with ``neo4j-admin import`` headers, and a Cypher script for LOAD CSV.

The export is a folder:

``nodes_<Kind>.csv``
    One file per node kind (``Actor``, ``Event``, ``Place``, ``Source``, ``ActorRelation``,
    ``Count``, ``Record``, ``Resource``), with only the columns that kind uses. The first
    column, ``iri:ID(Entity)``, is the node's IRI: the id in the single ID space ``Entity``,
    stored as the property ``iri``. ``:LABEL`` gives ``Entity``, the kind and the node's
    ontology classes (``Entity;Actor;JihadistGroup``). Other columns are typed:
    ``label:string``, ``latitude:double``, ``minimum_value:long``, ``types:string[]`` (``|``
    between items, as for every list), ``date:date`` when every value is a whole day; a
    date column that also holds a month, a year or a time keeps the source's text
    (``founded:string``, ``2017``) beside ``founded_first:date`` and ``founded_last:date``,
    the first and last day it can mean.
``relationships.csv``
    ``:START_ID(Entity)``, ``:END_ID(Entity)``, ``:TYPE`` (the relation or role in upper
    snake case: ``HOSTILITY``, ``PERPETRATOR``, ``LOCATED_IN``), ``key`` (unique in the
    file) and the statement's typed properties: ``status``, ``asserted_by``, dates,
    ``record``... A role goes from the actor to the event in every view, so
    ``(a:Actor)-[:PERPETRATOR]->(e:Event)`` finds the perpetrators in all of them.
``import.sh``
    The ``neo4j-admin database import full`` command (Neo4j 5) over those files.
``load.cypher``
    The same graph through ``LOAD CSV`` for a running server (files in its ``import/``
    folder): a uniqueness constraint on ``Entity.iri``, nodes by file, labels by class,
    relationships by type, each value converted from its column's type. Nodes are merged
    on ``iri`` and relationships on ``key``, so a second run changes nothing. It uses
    ``CALL (row) { ... } IN TRANSACTIONS`` (Neo4j 5.23 and later), which Neo4j's Cypher
    front end lints with no error or warning; for Neo4j 4.4, write ``CALL { WITH row``.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph()
>>> net.add_node("urn:x:a", kind="actor", type="JihadistGroup", types="JihadistGroup")
>>> net.add_node("urn:x:b", kind="actor", type="State", types="State")
>>> net.add_edge("urn:x:a", "urn:x:b", relation="Hostility", sign=-1)
0
>>> files = to_neo4j(net)
>>> sorted(files)
['import.sh', 'load.cypher', 'nodes_Actor.csv', 'relationships.csv']
>>> print(files["relationships.csv"].decode().splitlines()[0])
:START_ID(Entity),:END_ID(Entity),:TYPE,key:string,label:string,relation:string,sign:long
>>> parse_header(":START_ID(Entity)"), parse_header("types:string[]")
(('', 'START_ID', 'Entity'), ('types', 'string[]', None))
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from functools import cache
from typing import Any

from conflictkg.exporters.common import (
    GraphTable,
    Progress,
    date_cell,
    date_columns,
    safe_name,
    table_writer,
)
from conflictkg.projection.views import LIST_ATTRIBUTES

__all__ = ["ID_SPACE", "KIND_LABELS", "parse_header", "relationship_type", "to_neo4j"]

#: The one ID space of all nodes.
ID_SPACE = "Entity"
#: The Neo4j label of each node kind.
KIND_LABELS = {
    "actor": "Actor",
    "event": "Event",
    "place": "Place",
    "source": "Source",
    "relation": "ActorRelation",
    "count": "Count",
    "record": "Record",
    "other": "Resource",
}
_COLUMN_TYPES = {"boolean": "boolean", "int": "long", "long": "long", "double": "double",
                 "string": "string"}
#: Columns of values joined by ``|`` in the projection: string arrays in Neo4j.
_LIST_COLUMNS = LIST_ATTRIBUTES
_ARRAY_DELIMITER = "|"
_HEADER = re.compile(
    r"^(?P<name>[^:]*)(?::(?P<type>[A-Za-z_]+(?:\[\])?)(?:\((?P<space>[^)]*)\))?)?$"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def parse_header(column: str) -> tuple[str, str | None, str | None]:
    """Split an import header column into name, type and ID space.

    Parameters
    ----------
    column : str
        ``name:type(IdSpace)``, ``name:type``, ``:ID(IdSpace)``, ``:LABEL``, ``name``.

    Returns
    -------
    tuple
        ``(name, type, id_space)``; missing parts are ``""`` for the name and ``None``
        otherwise.

    Raises
    ------
    ValueError
        If the column does not follow that grammar.
    """
    match = _HEADER.match(column)
    if match is None:
        raise ValueError(f"not a neo4j-admin import header column: {column!r}")
    return match["name"], match["type"], match["space"]


def relationship_type(label: str) -> str:
    """Turn a relation or role name into a relationship type (upper snake case).

    Examples
    --------
    >>> relationship_type("targetedActor"), relationship_type("Hostility")
    ('TARGETED_ACTOR', 'HOSTILITY')
    """
    return safe_name(_CAMEL.sub("_", label)).upper()


def _cell(value: Any, kind: str, name: str) -> str:
    if value is None:
        return ""
    if kind in ("first", "last"):
        return date_cell(value, kind)
    if name in _LIST_COLUMNS:
        return _ARRAY_DELIMITER.join(part for part in str(value).split("|") if part)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


def _column(name: str, kind: str) -> str:
    if kind == "date":
        return f"{name}:date"
    if kind in ("first", "last"):
        return f"{name}_{kind}:date"
    return f"{name}:{'string[]' if name in _LIST_COLUMNS else _COLUMN_TYPES[kind]}"


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@cache
def _labels_of(types: str, kind_label: str) -> tuple[str, ...]:
    labels = [ID_SPACE, kind_label]
    for name in types.split("|"):
        if name and safe_name(name) not in labels:
            labels.append(safe_name(name))
    return tuple(labels)


def _labels(attrs: dict[str, Any], kind_label: str) -> tuple[str, ...]:
    return _labels_of(str(attrs.get("types") or ""), kind_label)


@table_writer("dict of str to bytes\n        File name to content (see the module notes).")
def to_neo4j(table: GraphTable, progress: Progress) -> dict[str, bytes]:
    """Write a projection as neo4j-admin import files and a LOAD CSV script."""
    files: dict[str, bytes] = {}
    by_kind: dict[str, list] = defaultdict(list)
    for node in table.nodes:
        by_kind[KIND_LABELS.get(str(node.attrs.get("kind")), "Resource")].append(node)
    node_files: dict[str, list[str]] = {}
    for kind_label in sorted(by_kind):
        nodes = by_kind[kind_label]
        names = [n for n in table.node_types if n != "iri" and any(n in x.attrs for x in nodes)]
        columns = date_columns(names, table.node_types, [x.attrs for x in nodes])
        header = [f"iri:ID({ID_SPACE})", ":LABEL"]
        header += [_column(n, kind) for n, kind in columns]
        rows = [header]
        for node in progress(nodes, len(nodes), f"writing {kind_label} nodes"):
            rows.append(
                [node.iri, ";".join(_labels(node.attrs, kind_label))]
                + [_cell(node.attrs.get(n), kind, n) for n, kind in columns]
            )
        name = f"nodes_{kind_label}.csv"
        files[name] = _csv(rows)
        node_files[name] = header
    iri_of = {node.id: node.iri for node in table.nodes}
    columns = date_columns(list(table.edge_types), table.edge_types, [e.attrs for e in table.edges])
    header = [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", ":TYPE", "key:string"]
    header += [_column(n, kind) for n, kind in columns]
    rows = [header]
    types: set[str] = set()
    for edge in progress(table.edges, len(table.edges), "writing relationships"):
        rel_type = relationship_type(str(edge.attrs.get("label", "related")))
        types.add(rel_type)
        rows.append(
            [iri_of[edge.source], iri_of[edge.target], rel_type, edge.id]
            + [_cell(edge.attrs.get(n), kind, n) for n, kind in columns]
        )
    files["relationships.csv"] = _csv(rows)
    files["import.sh"] = _import_script(sorted(node_files)).encode("utf-8")
    files["load.cypher"] = _cypher(table, node_files, header, sorted(types)).encode("utf-8")
    return files


def _import_script(node_files: list[str]) -> str:
    lines = [
        "#!/bin/sh",
        "# Import these files into a new Neo4j 5 database (stop the database first):",
        "#   sh import.sh [database]        (default database: neo4j)",
        "# neo4j-admin refuses a database that holds data; add --overwrite-destination to",
        "# replace it (everything in it is lost).",
        "# Neo4j 4.4: neo4j-admin import --database=DB --multiline-fields=true",
        "#   --array-delimiter='|' --nodes=... --relationships=... (the same files)",
        'set -e\ncd "$(dirname "$0")"',
        "neo4j-admin database import full \\",
        "    --multiline-fields=true --array-delimiter='|' \\",
    ]
    lines += [f"    --nodes={name} \\" for name in node_files]
    lines += ["    --relationships=relationships.csv \\", '    "${1:-neo4j}"']
    return "\n".join(lines) + "\n"


def _convert(column: str) -> str:
    """Cypher expression reading one typed column of ``row``."""
    name, kind, _ = parse_header(column)
    field = f"row.`{column}`"
    if kind == "string[]":
        return f"CASE {field} WHEN '' THEN null ELSE split({field}, '{_ARRAY_DELIMITER}') END"
    if kind == "date":
        return f"CASE {field} WHEN '' THEN null ELSE date({field}) END"
    if kind in ("long", "int"):
        return f"toInteger({field})"
    if kind in ("double", "float"):
        return f"toFloat({field})"
    if kind == "boolean":
        return f"toBoolean({field})"
    return f"CASE {field} WHEN '' THEN null ELSE {field} END"


def _sets(variable: str, header: list[str], skip: tuple[str, ...] = ()) -> str:
    parts = []
    for column in header:
        name, _, _ = parse_header(column)
        if name and not column.startswith("iri:ID") and name not in skip:
            parts.append(f"{variable}.`{name}` = {_convert(column)}")
    return ", ".join(parts)


def _cypher(
    table: GraphTable, node_files: dict[str, list[str]], rel_header: list[str], types: list[str]
) -> str:
    start, end = f"row.`:START_ID({ID_SPACE})`", f"row.`:END_ID({ID_SPACE})`"
    out = [
        "// Load the conflictkg export into a running Neo4j 5 (5.23 or later) with LOAD CSV.",
        "// Copy the CSV files into the server's import/ folder, then run:",
        "//   cypher-shell -f load.cypher",
        "// Every node and relationship is MERGEd on its key (nodes: iri; relationships: key),",
        "// so running the script again updates the graph instead of doubling it.",
        "// Neo4j 4.4 and 5 before 5.23: write each 'CALL (row) {' as 'CALL { WITH row'.",
        f"CREATE CONSTRAINT entity_iri IF NOT EXISTS FOR (n:{ID_SPACE}) REQUIRE n.iri IS UNIQUE;",
    ]
    for name, header in node_files.items():
        kind_label = name[len("nodes_"):-len(".csv")]
        out.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///{name}' AS row\n"
            "CALL (row) {\n"
            f"  MERGE (n:{ID_SPACE} {{iri: row.`iri:ID({ID_SPACE})`}})\n"
            f"  SET n:{kind_label}, {_sets('n', header)}\n"
            "} IN TRANSACTIONS OF 1000 ROWS;"
        )
    classes = sorted(
        {label for node in table.nodes for label in _labels(node.attrs, "")[2:]} - {""}
    )
    for label in classes:
        out.append(f"MATCH (n:{ID_SPACE}) WHERE '{label}' IN n.types SET n:{label};")
    sets = _sets("r", rel_header, skip=("key",))
    for rel_type in types:
        out.append(
            "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row\n"
            f"WITH row WHERE row.`:TYPE` = '{rel_type}'\n"
            "CALL (row) {\n"
            f"  MATCH (a:{ID_SPACE} {{iri: {start}}})\n"
            f"  MATCH (b:{ID_SPACE} {{iri: {end}}})\n"
            f"  MERGE (a)-[r:{rel_type} {{key: row.`key:string`}}]->(b)\n"
            + (f"  SET {sets}\n" if sets else "")
            + "} IN TRANSACTIONS OF 1000 ROWS;"
        )
    return "\n".join(out) + "\n"
