r"""Run SPARQL on the knowledge graph: the query library, two local engines, remote endpoints.

The library
-----------
``queries/cq/*.rq`` holds the competency questions, ``queries/checks/*.rq``
the data-quality checks.  Each file opens with a header of ``#+`` comment
lines, which any SPARQL tool ignores::

    #+ id: who-claimed-the-attack
    #+ question: Who claimed responsibility for the attack?
    #+ expect: who-claimed-the-attack.csv
    #+ ordered: false
    #+ params: attack

``expect`` names the file of expected rows beside the query (``.csv``;
``.srj`` where datatypes matter, and for ASK; ``.ttl`` for CONSTRUCT),
``ordered`` says whether row order is part of the answer, ``params`` lists
the variables a caller may set, ``reasoning: rdfs`` asks for the RDFS closure
(:mod:`conflictkg.reasoning`) and ``engine`` pins a local engine.

Parameters
----------
A parameter is a variable whose default value the query states itself, in
``VALUES ?attack { ckr:bamako-2024-09-17-attack }`` or ``BIND (ckr:jnim AS
?actor)``, so the file runs unchanged in any SPARQL tool.  :func:`prepare`
replaces the default with the caller's value: the value is first turned into
an RDF term (an IRI, a label or alias resolved to exactly one IRI, or a
literal of the default's datatype), the term is written out by this module
in N-Triples syntax, and only that text replaces the default's tokens.  User
text is never pasted into the query; the new query is parsed again before
it runs.

Engines
-------
``oxigraph`` (the default: an in-memory :class:`pyoxigraph.Store` filled from
the rdflib graph) and ``rdflib``; both answer every library question alike
(``tests/test_cq.py`` runs each on both).  :class:`Endpoint` sends the same
text to a remote SPARQL 1.1 endpoint over HTTP and reads JSON results.

Safety
------
* Before a query runs on either engine, its parsed form is searched for
  ``SERVICE``, ``FROM`` and ``FROM NAMED`` (SPARQL Update, ``LOAD``
  included, is refused outright): rdflib would fetch a ``FROM`` graph over
  HTTP and both engines call ``SERVICE`` endpoints.  They are refused unless
  ``allow_network`` is set.  The worker process that runs a local query
  also refuses, through an audit hook, any socket connection Python code
  makes (rdflib's HTTP client) when the network is not allowed.
* ``timeout``: the query runs in a worker process forked after loading (the
  graph is shared, not copied), which is killed when the time is up:
  :class:`QueryTimeoutError`.  ``max_rows``: rows beyond the limit are
  dropped and the result says so.

Examples
--------
>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
...     @prefix ckr: <https://w3id.org/conflictkg/id/> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...     ckr:jnim rdfs:label "JNIM"@en ; skos:altLabel "Support Group for Islam and Muslims"@en .
...     ckr:wagner-group rdfs:label "Wagner Group"@en .
... ''')
>>> text = '''SELECT ?name WHERE { VALUES ?who { ckr:jnim } ?who rdfs:label ?name }'''
>>> result = run_query(g, text, params={"who": ["Wagner Group"]})
>>> [str(row[0]) for row in result.rows]
['Wagner Group']
>>> serialize(result, "csv")
b'name\r\nWagner Group\r\n'
>>> run_query(g, "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
conflictkg.query.NetworkRefusedError: <query>:1:12: SERVICE <http://example.org/sparql> would ...
"""  # noqa: E501

from __future__ import annotations

import csv
import difflib
import http.client
import io
import json
import logging
import multiprocessing
import os
import re
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from conflictkg import resources
from conflictkg.atomic import AtomicOutputs
from conflictkg.labels import compact, namespace_manager_for
from conflictkg.loading import load_files, new_graph
from conflictkg.namespaces import PREFIXES
from conflictkg.serialization import oxigraph_converter

__all__ = [
    "DEFAULT_ENGINE",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "ENGINES",
    "EXTENSIONS",
    "FORMATS",
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "Endpoint",
    "EndpointError",
    "LibraryQuery",
    "LocalGraph",
    "NetworkRefusedError",
    "ParameterError",
    "PreparedQuery",
    "QueryError",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "UnknownQueryError",
    "compare_with_expected",
    "find_query",
    "format_for_path",
    "library",
    "parse_header",
    "prepare",
    "read_library_query",
    "resolve_query",
    "run_query",
    "serialize",
    "term_text",
    "write_result",
]

#: Local engines, the default first.
ENGINES = ("oxigraph", "rdflib")
#: The engine used when none is asked for: Oxigraph, faster than rdflib on every
#: library question that takes rdflib more than a millisecond, by up to three or
#: four orders of magnitude at 100,000 triples (``benchmarks/bench_queries.py``).
DEFAULT_ENGINE = "oxigraph"
#: Seconds a query may run from the command line unless told otherwise.
DEFAULT_TIMEOUT = 10.0
#: Rows (or triples) a query may return from the command line unless told otherwise.
DEFAULT_MAX_ROWS = 100_000

#: Formats for SELECT and ASK results.
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
#: Formats for CONSTRUCT and DESCRIBE results.
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
#: Every output format.
FORMATS = RESULT_FORMATS + GRAPH_FORMATS
#: File name extension written for each format.
EXTENSIONS = {
    "table": ".txt",
    "csv": ".csv",
    "tsv": ".tsv",
    "json": ".json",
    "xml": ".xml",
    "turtle": ".ttl",
    "ntriples": ".nt",
    "jsonld": ".jsonld",
}
_FORMAT_BY_EXTENSION = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".srj": "json",
    ".xml": "xml",
    ".srx": "xml",
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".txt": "table",
}

_HEADER_KEYS = ("id", "question", "expect", "ordered", "reasoning", "params", "engine")
_HEADER_LINE = re.compile(r"^#\+\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*$")
_QUERY_KINDS = {"cq": "cq", "check": "checks"}
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


# --- errors -----------------------------------------------------------------------


class QueryError(Exception):
    """A query that cannot be run as asked: bad input or usage (exit code 2).

    Parameters
    ----------
    message : str
        What is wrong, and where when known.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle by message, so that errors cross from the worker process."""
        return (type(self), (self.message,))


class QuerySyntaxError(QueryError):
    """The query text is not valid SPARQL; the message starts with ``source:line:col``."""


class NetworkRefusedError(QueryError):
    """The query would reach the network (SERVICE, FROM, LOAD) and that is not allowed."""


class ParameterError(QueryError):
    """A ``--param`` that cannot be used: unknown name, bad value, unknown or ambiguous label."""


class UnknownQueryError(QueryError):
    """No library question, check or file has that name."""


class EndpointError(QueryError):
    """A remote endpoint could not be reached or refused the query."""


class QueryTimeoutError(QueryError):
    """The query ran longer than its time limit and its worker process was killed.

    Parameters
    ----------
    message : str
        What happened.
    worker_pid : int, optional
        Process id of the killed worker.
    """

    def __init__(self, message: str, worker_pid: int | None = None) -> None:
        super().__init__(message)
        self.worker_pid = worker_pid

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle with the worker's id."""
        return (type(self), (self.message, self.worker_pid))


# --- the library ------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryQuery:
    """A query file with its ``#+`` header.

    Attributes
    ----------
    id : str
        Identifier (the file name without ``.rq``).
    question : str
        The question in words.
    path : pathlib.Path
        The ``.rq`` file.
    text : str
        The whole file.
    kind : str
        ``"cq"`` (competency question), ``"check"`` or ``"file"``.
    expect : pathlib.Path or None
        The file of expected results, beside the query.
    ordered : bool
        Whether the order of the rows is part of the answer.
    reasoning : str or None
        ``"rdfs"`` when the question needs the RDFS closure.
    params : tuple of str
        Variables the caller may set.
    engine : str or None
        A local engine the question must run on, if any.
    """

    id: str
    question: str
    path: Path
    text: str
    kind: str = "cq"
    expect: Path | None = None
    ordered: bool = False
    reasoning: str | None = None
    params: tuple[str, ...] = ()
    engine: str | None = None


def parse_header(text: str, source: str = "<query>") -> dict[str, tuple[str, int]]:
    r"""Read the ``#+ key: value`` lines at the top of a query.

    The header is every ``#+`` line before the first line that is neither a
    comment nor blank.

    Parameters
    ----------
    text : str
        The query file's text.
    source : str, default "<query>"
        Name of the file, for messages.

    Returns
    -------
    dict of str to (str, int)
        Each key with its value and 1-based line number.

    Raises
    ------
    QueryError
        For an unknown or repeated key.

    Examples
    --------
    >>> parse_header("#+ id: x\n#+ ordered: true\nSELECT * {}")
    {'id': ('x', 1), 'ordered': ('true', 2)}
    """
    found: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if match is None:
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key not in _HEADER_KEYS:
            raise QueryError(
                f"{source}:{number}: unknown header key {key!r}; known: {', '.join(_HEADER_KEYS)}"
            )
        if key in found:
            raise QueryError(f"{source}:{number}: header key {key!r} given twice")
        found[key] = (value, number)
    return found


_STDIN = "<stdin>"


def _display(path: Path) -> str:
    """Show `path` relative to the working folder when it is inside it."""
    if path.name == _STDIN:
        return _STDIN
    try:
        return os.fspath(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return os.fspath(path)


def read_library_query(path: str | os.PathLike[str], *, kind: str = "file") -> LibraryQuery:
    """Read one query file and its header.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.rq`` file.
    kind : {"cq", "check", "file"}, default "file"
        What the file is; library questions and checks must have ``id`` and
        ``question`` in their header (and questions ``expect``).

    Returns
    -------
    LibraryQuery
        The query; a file without header gets its file name as id.

    Raises
    ------
    QueryError
        If the file cannot be read or its header is wrong.
    """
    file = Path(path)
    shown = _display(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"{shown}: cannot read query file: {error}") from None
    return _from_text(text, file, shown, kind)


def _from_text(text: str, file: Path, shown: str, kind: str) -> LibraryQuery:
    """Make a LibraryQuery of a query's text, checking its header."""
    header = parse_header(text, shown)
    required = {"cq": ("id", "question", "expect"), "check": ("id", "question")}.get(kind, ())
    for key in required:
        if key not in header:
            raise QueryError(f"{shown}:1: the header has no '#+ {key}:' line")

    def value(key: str) -> str | None:
        return header[key][0] if key in header else None

    ordered_text = (value("ordered") or "false").lower()
    if ordered_text not in ("true", "false"):
        line = header["ordered"][1]
        raise QueryError(f"{shown}:{line}: '#+ ordered:' must be true or false")
    reasoning = value("reasoning")
    if reasoning is not None and reasoning not in ("rdfs", "none"):
        line = header["reasoning"][1]
        raise QueryError(f"{shown}:{line}: '#+ reasoning:' must be rdfs or none")
    engine = value("engine")
    if engine is not None and engine not in ENGINES:
        line = header["engine"][1]
        raise QueryError(f"{shown}:{line}: '#+ engine:' must be one of {', '.join(ENGINES)}")
    expect = value("expect")
    params = tuple(name.lstrip("?$") for name in re.split(r"[\s,]+", value("params") or "") if name)
    return LibraryQuery(
        id=value("id") or file.stem,
        question=value("question") or "",
        path=file,
        text=text,
        kind=kind,
        expect=file.parent / expect if expect else None,
        ordered=ordered_text == "true",
        reasoning=None if reasoning in (None, "none") else reasoning,
        params=params,
        engine=engine,
    )


def library(kind: str = "cq") -> list[LibraryQuery]:
    """List the shipped questions or checks, sorted by id.

    Parameters
    ----------
    kind : {"cq", "check"}, default "cq"
        Competency questions (``queries/cq/``) or checks (``queries/checks/``).

    Returns
    -------
    list of LibraryQuery
        One per ``.rq`` file.

    Raises
    ------
    QueryError
        If a file's header is wrong.

    Examples
    --------
    >>> questions = library()
    >>> len(questions) >= 30
    True
    >>> find_query("who-claimed-the-attack").params
    ('attack',)
    """
    if kind not in _QUERY_KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of: {', '.join(_QUERY_KINDS)}")
    folder = resources.data_dir("queries") / _QUERY_KINDS[kind]
    found = [read_library_query(path, kind=kind) for path in sorted(folder.glob("*.rq"))]
    return sorted(found, key=lambda item: item.id)


def find_query(name: str) -> LibraryQuery:
    """Return the library question or check called `name`.

    Parameters
    ----------
    name : str
        Its id.

    Returns
    -------
    LibraryQuery
        The question or check.

    Raises
    ------
    UnknownQueryError
        With the nearest ids, when there is no such query.
    """
    everything = library("cq") + library("check")
    for item in everything:
        if item.id == name:
            return item
    ids = [item.id for item in everything]
    near = difflib.get_close_matches(name, ids, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(near)}?" if near else "; `conflictkg queries` lists them"
    raise UnknownQueryError(f"no library query or query file named {name!r}{hint}")


def resolve_query(spec: str, *, stdin: io.TextIOBase | None = None) -> LibraryQuery:
    """Turn a command-line NAME, FILE or ``-`` into a query.

    Parameters
    ----------
    spec : str
        ``-`` for standard input, a path to an ``.rq`` file, or a library id.
    stdin : text stream, optional
        Where ``-`` reads from (default :data:`sys.stdin`).

    Returns
    -------
    LibraryQuery
        The query (kind ``"file"`` for files and standard input).

    Raises
    ------
    UnknownQueryError
        If `spec` is neither an existing file nor a library id.
    """
    if spec == "-":
        text = (stdin or sys.stdin).read()
        return _from_text(text, Path(_STDIN), _STDIN, "file")
    path = Path(spec)
    if path.is_file():
        return read_library_query(path)
    if path.suffix == ".rq" or os.sep in spec:
        raise UnknownQueryError(f"{spec}: no such query file")
    return find_query(spec)


# --- a small SPARQL lexer: positions, parameters, prefixes -------------------------

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_CHARS = _PN_CHARS_U + "\\-"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\r\n]|\\.)*"
              | '(?:[^'\\\r\n]|\\.)*')
  | (?P<var>[?$][{_PN_CHARS_U}]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:[{_PN_CHARS}.]*[{_PN_CHARS}])
  | (?P<pname>(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:
               (?:(?:[{_PN_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\[-_~.!$&'()*+,;=/?\#@%])
                  (?:(?:[{_PN_CHARS}.:]|%[0-9A-Fa-f]{{2}}|\\[-_~.!$&'()*+,;=/?\#@%])*
                     (?:[{_PN_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\[-_~.!$&'()*+,;=/?\#@%]))?)?)
  | (?P<number>(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    """Split `text` into SPARQL tokens, without whitespace and comments."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        found.append(_Token(kind, match.group(), match.start(), match.end()))
    return found


def _position(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _where(source: str, text: str, offset: int) -> str:
    line, column = _position(text, offset)
    return f"{source}:{line}:{column}"


def _declared_prefixes(tokens: Sequence[_Token]) -> dict[str, str]:
    """Return the PREFIX declarations of a query (prefix without colon -> IRI)."""
    declared = {}
    for index, token in enumerate(tokens[:-2]):
        if token.kind == "word" and token.text.upper() == "PREFIX":
            name, iri = tokens[index + 1], tokens[index + 2]
            if name.kind == "pname" and name.text.endswith(":") and iri.kind == "iri":
                declared[name.text[:-1]] = iri.text[1:-1]
    return declared


def _prefix_of(token: _Token) -> str:
    return token.text.split(":", 1)[0]


def _undeclared_prefixes(tokens: Sequence[_Token]) -> list[_Token]:
    """Prefixed names whose prefix the query does not declare, first use of each."""
    declared = _declared_prefixes(tokens)
    seen: set[str] = set()
    found = []
    for token in tokens:
        if token.kind != "pname":
            continue
        prefix = _prefix_of(token)
        if prefix not in declared and prefix not in seen:
            seen.add(prefix)
            found.append(token)
    return found


def _prologue_end(tokens: Sequence[_Token]) -> int:
    """Offset where the query proper starts, after its BASE and PREFIX lines."""
    index = 0
    while index < len(tokens):
        word = tokens[index].text.upper() if tokens[index].kind == "word" else ""
        if word == "PREFIX" and index + 2 < len(tokens):
            index += 3
        elif word == "BASE" and index + 1 < len(tokens):
            index += 2
        else:
            return tokens[index].start
    return tokens[-1].end if tokens else 0


def _term_end(tokens: Sequence[_Token], index: int) -> int | None:
    """Return the index after the RDF term starting at `index`, or None if none starts there."""
    if index >= len(tokens):
        return None
    token = tokens[index]
    if token.kind in ("iri", "pname", "number"):
        return index + 1
    if token.kind == "word" and token.text.lower() in ("true", "false"):
        return index + 1
    if token.kind == "word" and token.text.upper() == "UNDEF":
        return index + 1
    if token.kind == "punct" and token.text in "+-" and index + 1 < len(tokens):
        if tokens[index + 1].kind == "number" and tokens[index + 1].start == token.end:
            return index + 2
        return None
    if token.kind == "string":
        after = index + 1
        if after < len(tokens) and tokens[after].kind == "lang":
            return after + 1
        if (
            after + 1 < len(tokens)
            and tokens[after].text == "^^"
            and tokens[after + 1].kind in ("iri", "pname")
        ):
            return after + 2
        return after
    return None


@dataclass(frozen=True)
class _DefaultSite:
    """Where a query states a parameter's default: the span of its value(s)."""

    kind: str  # "values" or "bind"
    start: int
    end: int
    terms: tuple[str, ...]


def _default_sites(tokens: Sequence[_Token], name: str) -> list[_DefaultSite]:
    """Find ``VALUES ?name { t... }`` and ``BIND (t AS ?name)`` in the tokens."""
    sites = []
    for index, token in enumerate(tokens):
        if token.kind == "word" and token.text.upper() == "VALUES":
            if index + 2 >= len(tokens):
                continue
            var, brace = tokens[index + 1], tokens[index + 2]
            if var.kind != "var" or var.text[1:] != name or brace.text != "{":
                continue
            position, terms = index + 3, []
            while (end := _term_end(tokens, position)) is not None:
                terms.append(" ".join(t.text for t in tokens[position:end]))
                position = end
            if terms and position < len(tokens) and tokens[position].text == "}":
                start, stop = tokens[index + 3].start, tokens[position - 1].end
                sites.append(_DefaultSite("values", start, stop, tuple(terms)))
        elif token.kind == "word" and token.text.upper() == "BIND":
            if index + 1 >= len(tokens) or tokens[index + 1].text != "(":
                continue
            end = _term_end(tokens, index + 2)
            if end is None or end + 2 >= len(tokens):
                continue
            as_token, var, close = tokens[end], tokens[end + 1], tokens[end + 2]
            if (
                as_token.kind == "word"
                and as_token.text.upper() == "AS"
                and var.kind == "var"
                and var.text[1:] == name
                and close.text == ")"
            ):
                start, stop = tokens[index + 2].start, tokens[end - 1].end
                terms = (" ".join(t.text for t in tokens[index + 2 : end]),)
                sites.append(_DefaultSite("bind", start, stop, terms))
    return sites


# --- RDF terms as query text --------------------------------------------------------

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")


def _check_iri(value: str) -> str:
    if not value or _IRI_FORBIDDEN.search(value) or ":" not in value:
        raise ParameterError(f"{value!r} is not a valid absolute IRI")
    return value


def term_text(term: Node) -> str:
    r"""Write an RDF term in N-Triples syntax, safe to put into a query.

    Parameters
    ----------
    term : rdflib.URIRef or rdflib.Literal
        The term.  Blank nodes cannot be written into a query.

    Returns
    -------
    str
        ``<iri>``, ``"text"``, ``"text"@lang`` or ``"text"^^<datatype>``, with
        every quote, backslash and line break of the text escaped.

    Raises
    ------
    ParameterError
        For an IRI with characters IRIs cannot hold, a bad language tag, or
        a blank node.

    Examples
    --------
    >>> term_text(Literal('say "hi"\n', lang="en"))
    '"say \\"hi\\"\\n"@en'
    >>> term_text(URIRef("https://w3id.org/conflictkg/id/jnim"))
    '<https://w3id.org/conflictkg/id/jnim>'
    >>> term_text(URIRef("http://x/> } ; DROP ALL #"))
    Traceback (most recent call last):
    ...
    conflictkg.query.ParameterError: 'http://x/> } ; DROP ALL #' is not a valid absolute IRI
    """
    if isinstance(term, URIRef):
        return f"<{_check_iri(str(term))}>"
    if isinstance(term, Literal):
        body = "".join(_ECHAR.get(char, char) for char in str(term))
        if term.language:
            if not _LANGUAGE_TAG.match(term.language):
                raise ParameterError(f"{term.language!r} is not a valid language tag")
            return f'"{body}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != str(XSD.string):
            return f'"{body}"^^<{_check_iri(str(term.datatype))}>'
        return f'"{body}"'
    raise ParameterError(f"{term!r} cannot be a parameter value (only IRIs and literals)")


# --- preparing a query: parse, check, bind --------------------------------------------

_PARSE_NOISE = re.compile(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)\s*$")
_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass
class PreparedQuery:
    """A parsed, checked query with its parameters bound, ready to run.

    Attributes
    ----------
    text : str
        The query text that runs (the defaults of bound parameters replaced).
    form : str
        ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
    source : str
        Where the text came from (file, ``<stdin>``, ``<query>``), for messages.
    variables : list of str
        Projected variables of a SELECT query, in order.
    limit : int or None
        The query's own top-level ``LIMIT``.
    parsed : rdflib.plugins.sparql.sparql.Query
        rdflib's algebra for `text`.
    bindings : dict of str to list of rdflib terms
        The values bound to each parameter.
    """

    text: str
    form: str
    source: str
    variables: list[str]
    limit: int | None
    parsed: Query
    bindings: dict[str, list[Node]] = field(default_factory=dict)


def _walk(node: Any) -> Iterable[Any]:
    """Yield every node of an rdflib parse tree or algebra, depth first."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _parse(text: str, source: str) -> Query:
    """Parse and translate a query with rdflib, turning failures into QueryError."""
    try:
        tree = parseQuery(text)
    except Exception as error:  # noqa: BLE001 - pyparsing raises several kinds
        try:
            update = parseUpdate(text)
        except Exception:  # noqa: BLE001 - not an update either: report the query error
            update = None
        if update is not None and text.strip():
            loads = [
                node
                for node in _walk(update)
                if isinstance(node, CompValue) and node.name == "Load"
            ]
            what = "LOAD would fetch a graph over the network; " if loads else ""
            raise QueryError(
                f"{source}: this is a SPARQL Update; {what}conflictkg only runs queries "
                "(SELECT, ASK, CONSTRUCT, DESCRIBE) and never changes the graph"
            ) from None
        line = getattr(error, "lineno", None)
        column = getattr(error, "col", None)
        message = _PARSE_NOISE.sub("", str(error)) or "not a SPARQL query"
        where = f"{source}:{line}:{column}" if line is not None else source
        raise QuerySyntaxError(f"{where}: SPARQL syntax error: {message}") from None
    try:
        return translateQuery(tree, initNs=PREFIXES)
    except Exception as error:  # noqa: BLE001 - rdflib raises plain Exception here
        message = str(error)
        tokens = _tokens(text)
        if "Unknown namespace prefix" in message:
            prefix = message.rsplit(":", 1)[-1].strip()
            for token in tokens:
                if token.kind == "pname" and _prefix_of(token) == prefix:
                    raise QuerySyntaxError(
                        f"{_where(source, text, token.start)}: unknown prefix '{prefix}:'; "
                        f"declare it with PREFIX {prefix}: <...>"
                    ) from None
        raise QuerySyntaxError(f"{source}: SPARQL error: {message}") from None


def _check_network(parsed: Query, text: str, source: str, *, remote: bool = False) -> None:
    """Refuse SERVICE and, for local graphs, FROM / FROM NAMED.

    On an endpoint, FROM names graphs of that server's dataset, which is what
    it is for; SERVICE would make the server call others.
    """
    tokens = _tokens(text)

    def first(word: str) -> str:
        for token in tokens:
            if token.kind == "word" and token.text.upper() == word:
                return _where(source, text, token.start)
        return source

    hint = "refused (allow it with --allow-network)"
    for node in _walk(parsed.algebra):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            target = node.get("term")
            shown = f"<{target}>" if isinstance(target, URIRef) else str(target)
            raise NetworkRefusedError(
                f"{first('SERVICE')}: SERVICE {shown} would query another server over the "
                f"network; {hint}"
            )
    clauses = parsed.algebra.get("datasetClause") or []
    if clauses and not remote:
        iris = [str(clause.get("default") or clause.get("named")) for clause in clauses]
        raise NetworkRefusedError(
            f"{first('FROM')}: FROM <{iris[0]}> names a graph that is not in the local graph "
            f"(which has only its default graph); rdflib would fetch it over the network; {hint}"
        )


def _form_and_variables(parsed: Query) -> tuple[str, list[str], int | None]:
    algebra = parsed.algebra
    form = _FORMS.get(algebra.name, algebra.name)
    variables = [str(v) for v in algebra.get("PV") or []] if form == "SELECT" else []
    top = algebra.get("p")
    limit = None
    if isinstance(top, CompValue) and top.name == "Slice" and top.get("length") is not None:
        limit = int(top["length"])
    return form, variables, limit


Resolver = Callable[[str], list[tuple[URIRef, str]]]


_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_UNECHAR = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f"}


def _unescape(body: str) -> str:
    """Undo the escapes of a SPARQL string literal."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _UNECHAR.get(code, code)

    return _ESCAPE.sub(replace, body)


def _default_term(site_term: str, prefixes: Mapping[str, str]) -> Node | None:
    """Read the default value of a parameter (one term in query syntax)."""
    tokens = _tokens(site_term)
    if not tokens:
        return None
    first = tokens[0]
    if first.kind == "iri":
        return URIRef(first.text[1:-1])
    if first.kind == "pname":
        prefix, local = first.text.split(":", 1)
        if prefix in prefixes:
            return URIRef(prefixes[prefix] + re.sub(r"\\(.)", r"\1", local))
        return None
    if first.kind == "number":
        datatype = XSD.integer
        if "e" in first.text.lower():
            datatype = XSD.double
        elif "." in first.text:
            datatype = XSD.decimal
        return Literal(first.text, datatype=datatype)
    if first.kind == "word" and first.text.lower() in ("true", "false"):
        return Literal(first.text.lower(), datatype=XSD.boolean)
    if first.kind == "string":
        body = first.text
        quote = 3 if body[:3] in ('"""', "'''") else 1
        value = _unescape(body[quote:-quote])
        if len(tokens) > 1 and tokens[1].kind == "lang":
            return Literal(value, lang=tokens[1].text[1:])
        if len(tokens) > 2 and tokens[1].text == "^^":
            datatype = _default_term(tokens[2].text, prefixes)
            return Literal(value, datatype=datatype)
        return Literal(value)
    return None


def _value_term(
    name: str,
    value: Any,
    default: Node | None,
    prefixes: Mapping[str, str],
    resolve: Resolver | None,
) -> Node:
    """Turn one parameter value into an RDF term, as the default's kind asks."""
    if isinstance(value, URIRef | Literal):
        term_text(value)  # checks it can be written
        return value
    if isinstance(value, BNode):
        raise ParameterError(f"?{name}: a blank node cannot be a parameter value")
    text = str(value)
    if isinstance(default, Literal):
        if default.language:
            return Literal(text, lang=default.language)
        quiet = logging.getLogger("rdflib.term")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)  # rdflib logs a traceback for ill-typed values
        try:
            literal = Literal(text, datatype=default.datatype)
        finally:
            quiet.setLevel(level)
        if getattr(literal, "ill_typed", False):
            manager = namespace_manager_for()
            datatype = compact(default.datatype, manager) if default.datatype else ""
            raise ParameterError(f"?{name}: {text!r} is not a valid {datatype} value")
        return literal
    if text.startswith("<") and text.endswith(">"):
        return URIRef(_check_iri(text[1:-1]))
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$", text):
        return URIRef(_check_iri(text))
    match = re.match(r"^([A-Za-z][\w.-]*)?:(\S*)$", text)
    if match and (match.group(1) or "") in prefixes:
        return URIRef(_check_iri(prefixes[match.group(1) or ""] + match.group(2)))
    if resolve is None:
        raise ParameterError(f"?{name}: {text!r} is not an IRI; labels cannot be looked up here")
    candidates = resolve(text)
    entities = sorted({iri for iri, _ in candidates})
    if len(entities) == 1:
        return entities[0]
    manager = namespace_manager_for()
    if not entities:
        suggest = getattr(resolve, "suggest", None)
        near = suggest(text) if suggest is not None else []
        hint = f"; labels containing it: {'; '.join(near)}" if near else ""
        raise ParameterError(
            f"?{name}: no entity has the label or alias {text!r}; give an IRI "
            f"(<https://...> or ckr:name) or another label{hint}"
        )
    listed = "; ".join(
        f"{compact(iri, manager)} ({label})" for iri, label in sorted(set(candidates))
    )
    raise ParameterError(
        f"?{name}: the label {text!r} is ambiguous, it names {len(entities)} entities: {listed}; "
        "give the IRI or a more precise label"
    )


def prepare(
    query: str | LibraryQuery,
    *,
    params: Mapping[str, Any] | None = None,
    resolve: Resolver | None = None,
    allow_network: bool = False,
    remote: bool = False,
    source: str | None = None,
) -> PreparedQuery:
    """Parse a query, refuse network access, and bind its parameters.

    Parameters
    ----------
    query : str or LibraryQuery
        The query text or a library query.
    params : mapping of str to value or list of values, optional
        Values for parameters (variables without ``?``).  A value is an
        rdflib term, an IRI (``<https://...>``, ``https://...``, ``ckr:jnim``),
        a label or alias (``"JNIM"``, resolved by `resolve`) or, when the
        default is a literal, the text of a literal of the same datatype.
        Several values are allowed where the default is a VALUES block.
    resolve : callable, optional
        Function from a label to ``(iri, label)`` candidates.
    allow_network : bool, default False
        Let SERVICE and FROM through.
    remote : bool, default False
        The query goes to an endpoint: FROM and FROM NAMED then name graphs
        of the server's dataset and are let through (SERVICE is not).
    source : str, optional
        Name for messages (default: the file, or ``<query>``).

    Returns
    -------
    PreparedQuery
        The query ready to run.

    Raises
    ------
    QuerySyntaxError
        If the text is not valid SPARQL (message with line and column).
    NetworkRefusedError
        For SERVICE, FROM or FROM NAMED without `allow_network`.
    ParameterError
        For an unknown parameter, a bad value, an unknown or ambiguous label.
    QueryError
        For a SPARQL Update.

    Examples
    --------
    >>> ready = prepare("SELECT ?x { VALUES ?x { ckr:mali } }", params={"x": "ckr:jnim"})
    >>> ready.text
    'SELECT ?x { VALUES ?x { <https://w3id.org/conflictkg/id/jnim> } }'
    """
    if isinstance(query, LibraryQuery):
        text = query.text
        source = source or _display(query.path)
        declared_params: tuple[str, ...] = query.params
    else:
        text, source, declared_params = query, source or "<query>", ()
    parsed = _parse(text, source)
    bindings: dict[str, list[Node]] = {}
    if params:
        tokens = _tokens(text)
        prefixes = {**PREFIXES, **_declared_prefixes(tokens)}
        replacements: list[tuple[_DefaultSite, str]] = []
        for name, raw in params.items():
            name = name.lstrip("?$")
            sites = _default_sites(tokens, name)
            if not sites:
                known = ", ".join(declared_params) or "none declared"
                raise ParameterError(
                    f"?{name} is not a parameter of {source}: the query states no default for it "
                    f"in VALUES ?{name} {{ ... }} or BIND (... AS ?{name}); parameters: {known}"
                )
            if len(sites) > 1:
                raise ParameterError(
                    f"?{name}: {source} states its default {len(sites)} times; cannot choose"
                )
            site = sites[0]
            values = list(raw) if isinstance(raw, list | tuple) else [raw]
            if not values:
                raise ParameterError(f"?{name}: no value given")
            if site.kind == "bind" and len(values) > 1:
                raise ParameterError(
                    f"?{name}: its default is a BIND, which takes one value; {len(values)} given"
                )
            default = _default_term(site.terms[0], prefixes)
            terms = [_value_term(name, value, default, prefixes, resolve) for value in values]
            bindings[name] = terms
            replacements.append((site, " ".join(term_text(term) for term in terms)))
        for site, new in sorted(replacements, key=lambda item: item[0].start, reverse=True):
            text = text[: site.start] + new + text[site.end :]
        parsed = _parse(text, source)
    if not allow_network:
        _check_network(parsed, text, source, remote=remote)
    form, variables, limit = _form_and_variables(parsed)
    return PreparedQuery(text, form, source, variables, limit, parsed, bindings)


# --- graphs and engines --------------------------------------------------------------


def _to_ox(cache: dict[Any, Any]) -> Callable[[Node], Any]:
    """Return a caching converter from rdflib terms to pyoxigraph terms."""
    convert = oxigraph_converter(cache)

    def checked(term: Node) -> Any:
        try:
            return convert(term)
        except TypeError:
            raise QueryError(f"cannot load the term {term!r} into Oxigraph") from None

    return checked


def _from_ox(cache: dict[Any, Any]) -> Callable[[Any], Node | None]:
    """Return a caching converter from pyoxigraph terms to rdflib terms."""
    string = str(XSD.string)

    def convert(term: Any) -> Node | None:
        if term is None:
            return None
        kind = type(term)
        key = (kind, term.value) if kind is not ox.Literal else term
        found = cache.get(key)
        if found is not None:
            return found
        if kind is ox.NamedNode:
            found = URIRef(term.value)
        elif kind is ox.BlankNode:
            found = BNode(term.value)
        elif kind is ox.Literal:
            if term.language:
                found = Literal(term.value, lang=term.language)
            elif term.datatype.value == string:
                found = Literal(term.value)
            else:
                found = Literal(term.value, datatype=URIRef(term.datatype.value))
        else:
            raise QueryError(f"the result holds a term conflictkg cannot read: {term}")
        cache[key] = found
        return found

    return convert


class LocalGraph:
    """A graph to query locally, with its Oxigraph copy and RDFS closure made on demand.

    Parameters
    ----------
    graph : rdflib.Graph
        The whole graph to query (ontology, code lists and data).

    Examples
    --------
    >>> from rdflib import Graph
    >>> local = LocalGraph(Graph().parse(format="turtle", data="<urn:a> <urn:b> <urn:c> ."))
    >>> len(local.oxigraph_store())
    1
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._closure: Graph | None = None
        self._stores: dict[str | None, ox.Store] = {}

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike[str]]) -> LocalGraph:
        """Load RDF files (see :func:`conflictkg.loading.load_files`).

        Parameters
        ----------
        paths : iterable of path
            Turtle, N-Triples or TriG files.

        Returns
        -------
        LocalGraph
            Their union.
        """
        return cls(load_files(list(paths)))

    @classmethod
    def from_project(cls, *, extra_data: Iterable[str | os.PathLike[str]] = ()) -> LocalGraph:
        """Load what a researcher queries: ontology, code lists and ``graph/**/*.ttl``.

        Parameters
        ----------
        extra_data : iterable of path, optional
            More data files.

        Returns
        -------
        LocalGraph
            The project's graph.
        """
        files = [*resources.ontology_files(), *resources.graph_files()]
        known = {path.resolve() for path in files}
        files += [Path(p) for p in extra_data if Path(p).resolve() not in known]
        return cls.from_files(files)

    def rdflib_graph(self, *, reasoning: str | None = None) -> Graph:
        """Return the graph, or its RDFS closure when `reasoning` is ``"rdfs"``."""
        if reasoning is None:
            return self.graph
        if reasoning != "rdfs":
            raise QueryError(f"unknown reasoning {reasoning!r}; expected rdfs")
        if self._closure is None:
            from conflictkg.reasoning import rdfs_closure

            self._closure = rdfs_closure(self.graph)
        return self._closure

    def oxigraph_store(self, *, reasoning: str | None = None) -> ox.Store:
        """Return an in-memory Oxigraph store holding the graph (or its closure)."""
        store = self._stores.get(reasoning)
        if store is None:
            source = self.rdflib_graph(reasoning=reasoning)
            store = ox.Store()
            convert = _to_ox({})
            default = ox.DefaultGraph()
            try:
                store.bulk_extend(
                    ox.Quad(convert(s), convert(p), convert(o), default) for s, p, o in source
                )
            except TypeError as error:
                raise QueryError(
                    "the graph holds a triple Oxigraph cannot store (a literal or blank node "
                    f"where RDF wants an IRI: {error}); use the rdflib engine"
                ) from None
            self._stores[reasoning] = store
        return store


@dataclass
class QueryResult:
    """The answer to a query, whatever engine gave it.

    Attributes
    ----------
    form : str
        ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
    variables : list of str
        Column names (SELECT).
    rows : list of tuple
        One tuple of rdflib terms (``None`` when unbound) per solution.
    boolean : bool or None
        The answer of an ASK query.
    graph : rdflib.Graph or None
        The triples of a CONSTRUCT or DESCRIBE query.
    engine : str
        ``oxigraph``, ``rdflib`` or the endpoint URL.
    seconds : float
        Time taken to run the query and read its results.
    incomplete : str or None
        Why the answer may miss rows (row limit, endpoint cap), or None.
    notes : list of str
        Other remarks for the user.
    """

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    engine: str = ""
    seconds: float = 0.0
    incomplete: str | None = None
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        """Return the number of rows, of triples, or 1 for ASK."""
        if self.form == "SELECT":
            return len(self.rows)
        if self.graph is not None:
            return len(self.graph)
        return 1

    def as_dicts(self) -> list[dict[str, Node]]:
        """Return the rows as dictionaries of bound variables (SELECT only)."""
        return [
            {name: term for name, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self.rows
        ]


def _limited(items: Iterable[Any], max_rows: int | None) -> tuple[list[Any], bool]:
    """Take at most `max_rows` items; say whether more were there."""
    if max_rows is None:
        return list(items), False
    taken = []
    for item in items:
        if len(taken) == max_rows:
            return taken, True
        taken.append(item)
    return taken, False


def _graph_of(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    graph = new_graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _run_rdflib(graph: Graph, prepared: PreparedQuery, max_rows: int | None) -> QueryResult:
    result = graph.query(prepared.parsed)
    form = prepared.form
    if form == "ASK":
        return QueryResult(form, boolean=bool(result.askAnswer))
    if form == "SELECT":
        names = [str(v) for v in result.vars or []]
        rows, cut = _limited((tuple(row) for row in result), max_rows)
        return QueryResult(form, names, rows, incomplete=_row_limit_note(max_rows) if cut else None)
    triples, cut = _limited(iter(result.graph or ()), max_rows)
    return QueryResult(
        form, graph=_graph_of(triples), incomplete=_row_limit_note(max_rows) if cut else None
    )


_OX_POSITION = re.compile(r"error at (\d+):(\d+): ")


def _run_oxigraph(store: ox.Store, prepared: PreparedQuery, max_rows: int | None) -> QueryResult:
    try:
        result = store.query(prepared.text, prefixes=PREFIXES)
    except SyntaxError as error:
        message = str(error.msg or error)
        match = _OX_POSITION.match(message)
        where = prepared.source
        if match:
            where += f":{match.group(1)}:{match.group(2)}"
            message = message[match.end() :]
        raise QuerySyntaxError(f"{where}: SPARQL syntax error (Oxigraph): {message}") from None
    convert = _from_ox({})
    form = prepared.form
    try:
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            width = range(len(names))
            rows, cut = _limited(
                (tuple(convert(solution[i]) for i in width) for solution in result), max_rows
            )
            note = _row_limit_note(max_rows) if cut else None
            return QueryResult("SELECT", names, rows, incomplete=note)
        triples, cut = _limited(
            (
                (convert(t.subject), convert(t.predicate), convert(t.object))  # type: ignore[misc]
                for t in result
            ),
            max_rows,
        )
    except OSError as error:
        raise QueryError(f"{prepared.source}: Oxigraph could not run the query: {error}") from None
    return QueryResult(
        form, graph=_graph_of(triples), incomplete=_row_limit_note(max_rows) if cut else None
    )


def _row_limit_note(max_rows: int | None) -> str:
    return (
        f"row limit reached: only the first {max_rows} rows are shown "
        "(raise it with --max-rows, 0 for no limit)"
    )


# --- the worker process: time limit and no network ------------------------------------


def _refuse_sockets(event: str, args: tuple[Any, ...]) -> None:
    """Audit hook for the worker: no outgoing connection from Python code."""
    if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        raise NetworkRefusedError(
            f"the query tried to reach the network ({event}); refused "
            "(allow it with --allow-network)"
        )


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker if the process that forked it dies (PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the parent's cleanup is all there is
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _worker(
    task: Callable[[], Any], connection: Any, block_network: bool, parent: int
) -> None:
    """Run `task` in the forked worker and send back its value or error."""
    try:
        _die_with_parent(parent)
        if block_network:
            sys.addaudithook(_refuse_sockets)
        value = ("ok", task())
    except QueryError as error:
        value = ("error", error)
    except BaseException:  # noqa: BLE001 - report anything to the parent
        value = ("crash", traceback.format_exc())
    try:
        connection.send(value)
    except Exception:  # noqa: BLE001 - e.g. a result that cannot be pickled
        connection.send(("crash", traceback.format_exc()))
    connection.close()


def _call(
    task: Callable[[], Any], *, timeout: float | None, block_network: bool
) -> Any:
    """Run `task`, in a forked worker killed after `timeout` seconds when one is given."""
    if timeout is None:
        return task()
    if timeout <= 0:
        raise QueryError(f"the time limit must be positive, not {timeout}")
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_worker, args=(task, writer, block_network, os.getpid()), daemon=True
    )
    process.start()
    writer.close()
    try:
        if not reader.poll(timeout):
            process.kill()
            process.join()
            raise QueryTimeoutError(
                f"query stopped after {timeout:g} s (time limit; raise it with --timeout)",
                process.pid,
            )
        try:
            status, value = reader.recv()
        except EOFError:
            process.join()
            raise QueryError(
                f"the query worker stopped unexpectedly (exit status {process.exitcode})"
            ) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        reader.close()
    if status == "error":
        raise value
    if status == "crash":
        raise RuntimeError(f"the query worker failed:\n{value}")
    return value


# --- remote endpoints ----------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """A remote SPARQL 1.1 endpoint.

    Attributes
    ----------
    url : str
        The query URL (``http`` or ``https``).
    row_cap : int or None
        The server's known row cap (Virtuoso's ``ResultSetMaxRows``), used to
        flag truncated answers.
    expect_complete : bool
        Page through SELECT results (ORDER BY every variable, OFFSET, LIMIT)
        to check that the first answer had every row, and return every row.
    page_size : int or None
        Rows per page for that check (default: the first answer's size).
    """

    url: str
    row_cap: int | None = None
    expect_complete: bool = False
    page_size: int | None = None

    def __post_init__(self) -> None:
        """Check the URL."""
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise QueryError(f"{self.url!r} is not an http(s) endpoint URL")


def _loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def _http(url: str, data: bytes, accept: str, timeout: float | None) -> tuple[bytes, Any]:
    """POST a form to `url`; return the body and the headers."""
    handlers: list[Any] = []
    if _loopback(url):
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(
        url,
        data=data,
        headers={
            "Accept": accept,
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "conflictkg",
        },
        method="POST",
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.read(), response.headers
    except http.client.HTTPException as error:  # e.g. IncompleteRead: the server died
        raise EndpointError(
            f"{url} broke off while sending the answer ({type(error).__name__}: {error})"
        ) from None
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace").strip()
        first = body.splitlines()[0][:300] if body else ""
        raise EndpointError(
            f"{url} answered {error.code} {error.reason}" + (f": {first}" if first else "")
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise EndpointError(f"cannot reach {url}: {reason}") from None


def _json_term(value: Mapping[str, str]) -> Node:
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(text, lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise EndpointError(f"unknown term type {kind!r} in the endpoint's JSON results")


def _read_json_results(body: bytes, url: str) -> QueryResult:
    try:
        document = json.loads(body)
    except ValueError as error:
        raise EndpointError(f"{url} sent results that are not JSON: {error}") from None
    if "boolean" in document:
        return QueryResult("ASK", boolean=bool(document["boolean"]))
    names = list(document.get("head", {}).get("vars", []))
    rows = [
        tuple(_json_term(b[name]) if name in b else None for name in names)
        for b in document.get("results", {}).get("bindings", [])
    ]
    return QueryResult("SELECT", names, rows)


def _prefix_lines(text: str) -> str:
    """PREFIX lines for the project prefixes a query uses without declaring them."""
    lines = []
    for token in _undeclared_prefixes(_tokens(text)):
        prefix = _prefix_of(token)
        if prefix in PREFIXES:
            lines.append(f"PREFIX {prefix}: <{PREFIXES[prefix]}>\n")
    return "".join(lines)


def _announced_cap(headers: Any) -> int | None:
    """Return the row cap a server announces in the headers of its answer, if any."""
    value = headers.get("X-SPARQL-MaxRows") if headers is not None else None
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _looks_capped(count: int, row_cap: int | None) -> bool:
    if count == 0:
        return False
    if row_cap is not None:
        return count == row_cap
    return count >= 1000 and (count % 1000 == 0 or count & (count - 1) == 0)


def _run_endpoint(
    endpoint: Endpoint, prepared: PreparedQuery, timeout: float | None, max_rows: int | None
) -> QueryResult:
    text = _prefix_lines(prepared.text) + prepared.text
    data = urllib.parse.urlencode({"query": text}).encode()
    if prepared.form in ("SELECT", "ASK"):
        body, headers = _http(
            endpoint.url, data, "application/sparql-results+json", timeout
        )
        result = _read_json_results(body, endpoint.url)
    else:
        body, headers = _http(
            endpoint.url, data, "application/n-triples, text/turtle;q=0.9", timeout
        )
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        fmt = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}.get(kind)
        if fmt is None:
            raise EndpointError(f"{endpoint.url} sent {kind or 'no content type'}, not RDF")
        graph = new_graph()
        try:
            graph.parse(data=body.decode("utf-8"), format=fmt)
        except Exception as error:  # noqa: BLE001 - any parse failure of the answer
            raise EndpointError(f"{endpoint.url} sent RDF that cannot be read: {error}") from None
        result = QueryResult(prepared.form, graph=graph)
    result.engine = endpoint.url
    state = headers.get("X-SQL-State")
    if state:
        result.incomplete = (
            f"the endpoint says the answer is partial (X-SQL-State {state}: "
            f"{headers.get('X-SQL-Message', 'no message')})"
        )
    count = len(result.rows) if result.form == "SELECT" else len(result)
    below_limit = prepared.limit is None or count < prepared.limit
    announced = _announced_cap(headers)  # Virtuoso: X-SPARQL-MaxRows
    row_cap = endpoint.row_cap or announced
    if result.form != "ASK" and below_limit and _looks_capped(count, row_cap):
        if announced and count == announced:
            cap = f"the cap it announces (X-SPARQL-MaxRows: {announced})"
        elif endpoint.row_cap:
            cap = "its row cap"
        else:
            cap = "a typical server row cap (Virtuoso's ResultSetMaxRows is 10000 by default)"
        result.notes.append(
            f"the endpoint returned exactly {count} rows, {cap}: the answer may be truncated; "
            "--expect-complete checks by paging"
        )
    if endpoint.expect_complete and result.form == "SELECT" and result.incomplete is None:
        _complete_by_paging(endpoint, prepared, result, timeout)
    if max_rows is not None and result.form == "SELECT" and len(result.rows) > max_rows:
        result.rows = result.rows[:max_rows]
        result.incomplete = _row_limit_note(max_rows)
    return result


def _complete_by_paging(
    endpoint: Endpoint, prepared: PreparedQuery, result: QueryResult, timeout: float | None
) -> None:
    """Fetch the ordered answer page by page; replace `result`'s rows when more exist."""
    text = prepared.text
    tokens = _tokens(text)
    start = _prologue_end(tokens)
    names = result.variables or prepared.variables
    order = " ".join(f"?{name}" for name in names)
    first_size = len(result.rows)
    # never larger than the first answer: if a cap cut it, a bigger page would be cut too
    page = max(min(endpoint.page_size or first_size, first_size), 1)
    if prepared.limit is not None:
        result.notes.append("the query has its own LIMIT; the paging check was not needed")
        return
    rows: list[tuple[Node | None, ...]] = []
    offset = 0
    previous: list[tuple[Node | None, ...]] | None = None
    while True:
        paged = (
            _prefix_lines(text)
            + text[:start]
            + f"SELECT * WHERE {{ {{ {text[start:]}\n}} }} ORDER BY {order} "
            + f"OFFSET {offset} LIMIT {page}"
        )
        data = urllib.parse.urlencode({"query": paged}).encode()
        body, _ = _http(endpoint.url, data, "application/sparql-results+json", timeout)
        chunk = _read_json_results(body, endpoint.url)
        if chunk.rows and chunk.rows == previous:
            raise EndpointError(f"{endpoint.url} ignores OFFSET: paging cannot check the answer")
        previous = chunk.rows
        index = [chunk.variables.index(name) if name in chunk.variables else None for name in names]
        rows.extend(tuple(row[i] if i is not None else None for i in index) for row in chunk.rows)
        if len(chunk.rows) < page:
            break
        offset += page
    if len(rows) > first_size:
        result.notes.append(
            f"the endpoint cut the answer at {first_size} rows; paging found {len(rows)}, "
            "all of them are returned"
        )
        result.rows = rows
    else:
        result.notes = [note for note in result.notes if "may be truncated" not in note]
        result.notes.append(f"paging check: the answer is complete ({len(rows)} rows)")


# --- running a query ------------------------------------------------------------------

_RESOLVE_QUERY = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?label ?name WHERE {
  VALUES ?wanted { "" }
  ?entity rdfs:label|skos:prefLabel|skos:altLabel ?name .
  FILTER (isIRI(?entity) && LCASE(STR(?name)) = LCASE(STR(?wanted)))
  OPTIONAL { ?entity rdfs:label ?label }
}"""


_SUGGEST_QUERY = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?name WHERE {
  VALUES ?wanted { "" }
  ?entity rdfs:label|skos:prefLabel|skos:altLabel ?name .
  FILTER (isIRI(?entity) && CONTAINS(LCASE(STR(?name)), LCASE(STR(?wanted))))
}
LIMIT 20"""


def _resolver(run: Callable[[PreparedQuery], QueryResult]) -> Resolver:
    """Build a label resolver that asks the same engine or endpoint."""

    def resolve(label: str) -> list[tuple[URIRef, str]]:
        prepared = prepare(_RESOLVE_QUERY, params={"wanted": Literal(label)})
        found = run(prepared).rows
        exact = [row for row in found if str(row[2]) == label]
        chosen = exact or found
        return [
            (row[0], str(row[1] if row[1] is not None else row[2]))  # type: ignore[misc]
            for row in chosen
        ]

    def suggest(label: str) -> list[str]:
        prepared = prepare(_SUGGEST_QUERY, params={"wanted": Literal(label)})
        return sorted({str(row[0]) for row in run(prepared).rows})[:5]

    resolve.suggest = suggest  # type: ignore[attr-defined]
    return resolve


def run_query(
    target: LocalGraph | Graph | Endpoint,
    query: str | LibraryQuery | PreparedQuery,
    *,
    params: Mapping[str, Any] | None = None,
    engine: str | None = None,
    reasoning: str | None = None,
    timeout: float | None = None,
    max_rows: int | None = None,
    allow_network: bool = False,
) -> QueryResult:
    """Run a query on a local graph or a remote endpoint.

    Parameters
    ----------
    target : LocalGraph, rdflib.Graph or Endpoint
        What to query.  An rdflib graph is wrapped in a :class:`LocalGraph`
        (pass a LocalGraph to reuse its Oxigraph copy and closure).
    query : str, LibraryQuery or PreparedQuery
        The query.  A library query brings its header: parameters,
        reasoning, engine.
    params : mapping, optional
        Parameter values (see :func:`prepare`); labels are resolved on `target`.
    engine : {"oxigraph", "rdflib"}, optional
        Local engine; default: the question's ``#+ engine`` or
        :data:`DEFAULT_ENGINE`.
    reasoning : {"rdfs", "none"}, optional
        Answer over the RDFS closure; default: the question's header.
    timeout : float, optional
        Seconds before the query is stopped (it then runs in a worker process).
    max_rows : int, optional
        Keep at most this many rows or triples; the result says when more existed.
    allow_network : bool, default False
        Let SERVICE and FROM reach the network.

    Returns
    -------
    QueryResult
        The answer.

    Raises
    ------
    QueryError
        For bad input (syntax, parameters, refused network access, unknown
        engine); :class:`QueryTimeoutError` when the time limit passes;
        :class:`EndpointError` for endpoint failures.
    """
    library_query = query if isinstance(query, LibraryQuery) else None
    if reasoning is None and library_query is not None:
        reasoning = library_query.reasoning
    if reasoning == "none":
        reasoning = None
    if reasoning not in (None, "rdfs"):
        raise QueryError(f"unknown reasoning {reasoning!r}; expected rdfs or none")
    if max_rows is not None and max_rows <= 0:
        max_rows = None
    if isinstance(target, Endpoint):
        if reasoning is not None:
            raise QueryError(
                "--reasoning applies to local graphs; for an endpoint, serve the closure "
                "(conflictkg serve --closure) and ask with --reasoning none"
            )
        endpoint = target

        def run_remote(prepared: PreparedQuery) -> QueryResult:
            return _run_endpoint(endpoint, prepared, timeout, max_rows)

        ready = (
            query
            if isinstance(query, PreparedQuery)
            else prepare(
                query,
                params=params,
                resolve=_resolver(run_remote),
                allow_network=allow_network,
                remote=True,
            )
        )
        start = time.perf_counter()
        result = _call(lambda: run_remote(ready), timeout=timeout, block_network=False)
        result.seconds = time.perf_counter() - start
        return result

    local = target if isinstance(target, LocalGraph) else LocalGraph(target)
    chosen = engine or (library_query.engine if library_query else None) or DEFAULT_ENGINE
    if chosen not in ENGINES:
        raise QueryError(f"unknown engine {chosen!r}; expected one of: {', '.join(ENGINES)}")
    if chosen == "oxigraph":
        store = local.oxigraph_store(reasoning=reasoning)

        def run_local(prepared: PreparedQuery, limit: int | None = max_rows) -> QueryResult:
            return _run_oxigraph(store, prepared, limit)
    else:
        graph = local.rdflib_graph(reasoning=reasoning)

        def run_local(prepared: PreparedQuery, limit: int | None = max_rows) -> QueryResult:
            return _run_rdflib(graph, prepared, limit)

    ready = (
        query
        if isinstance(query, PreparedQuery)
        else prepare(
            query,
            params=params,
            resolve=_resolver(lambda p: run_local(p, None)),
            allow_network=allow_network,
        )
    )
    start = time.perf_counter()
    result = _call(lambda: run_local(ready), timeout=timeout, block_network=not allow_network)
    result.seconds = time.perf_counter() - start
    result.engine = chosen
    return result


# --- result formats -------------------------------------------------------------------


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """Return the output format a file name suggests, or None.

    Parameters
    ----------
    path : str or os.PathLike
        A file name.

    Returns
    -------
    str or None
        One of :data:`FORMATS`.

    Examples
    --------
    >>> format_for_path("answers/who.csv"), format_for_path("x.srj"), format_for_path("x")
    ('csv', 'json', None)
    """
    return _FORMAT_BY_EXTENSION.get(Path(path).suffix.lower())


def _csv_cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


_TURTLE_NUMBER = {
    str(XSD.integer): re.compile(r"^[+-]?\d+$"),
    str(XSD.decimal): re.compile(r"^[+-]?\d*\.\d+$"),
    str(XSD.double): re.compile(r"^[+-]?(?:\d+\.\d*|\.?\d+)[eE][+-]?\d+$"),
}


def _tsv_cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.datatype is not None:
        pattern = _TURTLE_NUMBER.get(str(term.datatype))
        if pattern is not None and pattern.match(str(term)):
            return str(term)
    return term_text(term)


def _json_value(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != str(XSD.string):
        value["datatype"] = str(term.datatype)
    return value


def _xml(result: QueryResult) -> bytes:
    ET.register_namespace("", _RESULTS_NS)
    tag = f"{{{_RESULTS_NS}}}"
    root = ET.Element(tag + "sparql")
    head = ET.SubElement(root, tag + "head")
    if result.form == "ASK":
        ET.SubElement(root, tag + "boolean").text = "true" if result.boolean else "false"
    else:
        for name in result.variables:
            ET.SubElement(head, tag + "variable", name=name)
        results = ET.SubElement(root, tag + "results")
        for row in result.rows:
            solution = ET.SubElement(results, tag + "result")
            for name, term in zip(result.variables, row, strict=True):
                if term is None:
                    continue
                binding = ET.SubElement(solution, tag + "binding", name=name)
                if isinstance(term, URIRef):
                    ET.SubElement(binding, tag + "uri").text = str(term)
                elif isinstance(term, BNode):
                    ET.SubElement(binding, tag + "bnode").text = str(term)
                else:
                    assert isinstance(term, Literal)
                    literal = ET.SubElement(binding, tag + "literal")
                    literal.text = str(term)
                    if term.language:
                        literal.set("xml:lang", term.language)
                    elif term.datatype is not None and str(term.datatype) != str(XSD.string):
                        literal.set("datatype", str(term.datatype))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                      xml_declaration=False) + b"\n"


def _table(result: QueryResult) -> bytes:
    from rich.console import Console
    from rich.table import Table

    manager = namespace_manager_for()

    def show(term: Node | None) -> str:
        if term is None:
            return ""
        if isinstance(term, Literal):
            return str(term)
        return compact(term, manager)

    if result.form == "ASK":
        text = "yes" if result.boolean else "no"
        return (text + "\n").encode()
    table = Table(show_lines=False, title_justify="left")
    if result.form == "SELECT":
        for name in result.variables:
            table.add_column(name, overflow="fold")
        for row in result.rows:
            table.add_row(*(show(term) for term in row))
        count = f"{len(result.rows)} row(s)"
    else:
        for name in ("subject", "predicate", "object"):
            table.add_column(name, overflow="fold")
        assert result.graph is not None
        for s, p, o in sorted(result.graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            table.add_row(show(s), show(p), show(o))
        count = f"{len(result.graph)} triple(s)"
    buffer = io.StringIO()
    width = int(os.environ.get("COLUMNS", "0") or 0) or None
    console = Console(file=buffer, width=width or 160, no_color=True, highlight=False)
    console.print(table)
    console.print(f"{count}, {result.engine}, {result.seconds:.3f} s")
    return buffer.getvalue().encode("utf-8")


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Write a result in one of :data:`FORMATS`.

    ``csv`` and ``tsv`` follow "SPARQL 1.1 Query Results CSV and TSV Formats",
    ``json`` and ``xml`` the JSON and XML results formats; ASK results in CSV
    or TSV are one column, ``_askResult``, as Apache Jena writes them.
    ``turtle``, ``ntriples`` and ``jsonld`` are for CONSTRUCT and DESCRIBE.

    Parameters
    ----------
    result : QueryResult
        The answer.
    fmt : str
        One of :data:`FORMATS`.

    Returns
    -------
    bytes
        UTF-8 text.

    Raises
    ------
    QueryError
        For a format that does not fit the query form.

    References
    ----------
    .. [1] W3C, "SPARQL 1.1 Query Results CSV and TSV Formats", 2013.
       https://www.w3.org/TR/sparql11-results-csv-tsv/
    .. [2] W3C, "SPARQL 1.1 Query Results JSON Format", 2013.
       https://www.w3.org/TR/sparql11-results-json/
    .. [3] W3C, "SPARQL Query Results XML Format (Second Edition)", 2013.
       https://www.w3.org/TR/rdf-sparql-XMLres/
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    graph_form = result.form in ("CONSTRUCT", "DESCRIBE")
    if fmt == "table":
        return _table(result)
    if graph_form != (fmt in GRAPH_FORMATS):
        fitting = GRAPH_FORMATS if graph_form else RESULT_FORMATS
        raise QueryError(
            f"format {fmt} does not fit a {result.form} query; use one of: {', '.join(fitting)}"
        )
    if graph_form:
        assert result.graph is not None
        if fmt == "turtle":
            from conflictkg.serialization import to_turtle

            return to_turtle(result.graph)
        if fmt == "ntriples":
            from conflictkg.serialization import to_ntriples

            return to_ntriples(result.graph)
        return result.graph.serialize(format="json-ld", encoding="utf-8", auto_compact=True)
    if fmt == "json":
        if result.form == "ASK":
            document: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
        else:
            document = {
                "head": {"vars": result.variables},
                "results": {
                    "bindings": [
                        {
                            name: _json_value(term)
                            for name, term in zip(result.variables, row, strict=True)
                            if term is not None
                        }
                        for row in result.rows
                    ]
                },
            }
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "xml":
        return _xml(result)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if result.form == "ASK":
            writer.writerow(["_askResult"])
            writer.writerow(["true" if result.boolean else "false"])
        else:
            writer.writerow(result.variables)
            for row in result.rows:
                writer.writerow([_csv_cell(term) for term in row])
        return buffer.getvalue().encode("utf-8")
    # tsv
    if result.form == "ASK":
        return f"?_askResult\n{'true' if result.boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join(_tsv_cell(term) for term in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_result(result: QueryResult, fmt: str, path: str | os.PathLike[str]) -> None:
    """Serialise `result` and write it to `path` atomically (folders are created).

    Parameters
    ----------
    result : QueryResult
        The answer.
    fmt : str
        One of :data:`FORMATS`.
    path : str or os.PathLike
        The file to (re)place.
    """
    data = serialize(result, fmt)
    with AtomicOutputs() as outputs:
        outputs.write_bytes(path, data)


# --- expected answers -------------------------------------------------------------------


def _comparable(term: Node | None) -> Node | str | None:
    """Blank nodes differ between engines and runs; compare them as equal."""
    return "_:" if isinstance(term, BNode) else term


def _differences(
    expected: list[tuple[Any, ...]], found: list[tuple[Any, ...]], ordered: bool
) -> list[str]:
    if ordered:
        if expected == found:
            return []
        for index, (want, got) in enumerate(zip(expected, found, strict=False), start=1):
            if want != got:
                return [f"row {index}: expected {want}, found {got}"]
        return [f"expected {len(expected)} rows, found {len(found)}"]
    want, got = Counter(expected), Counter(found)
    problems = [f"missing row {row}" for row in sorted(want - got, key=str)]
    problems += [f"unexpected row {row}" for row in sorted(got - want, key=str)]
    return problems


def compare_with_expected(result: QueryResult, query: LibraryQuery) -> list[str]:
    """Compare an answer with the expected answer file of a library question.

    SELECT results are compared as multisets of rows unless the question is
    ordered; against a ``.csv`` file as the CSV results format writes them
    (IRIs and lexical forms), against a ``.srj`` file term by term (datatypes
    and language tags included).  ASK results are compared as booleans,
    CONSTRUCT results by graph isomorphism with a ``.ttl`` file.  Expected
    files are read by rdflib's and Python's own readers, not by this module.

    Parameters
    ----------
    result : QueryResult
        The answer.
    query : LibraryQuery
        The question, whose ``expect`` file holds the expected answer.

    Returns
    -------
    list of str
        The differences; empty when the answer is the expected one.

    Raises
    ------
    QueryError
        If the question has no expected file or its format is unknown.
    """
    from rdflib.compare import isomorphic
    from rdflib.query import Result

    if query.expect is None:
        raise QueryError(f"{query.id}: the header names no expected answer (#+ expect:)")
    path = query.expect
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        if not rows:
            return [f"{_display(path)} is empty"]
        header, expected = rows[0], [tuple(row) for row in rows[1:]]
        if result.form == "ASK":
            found_ask = ["true" if result.boolean else "false"]
            return [] if [header, *expected] == [["_askResult"], found_ask] else [
                f"expected {expected}, found {found_ask}"
            ]
        if header != result.variables:
            return [f"expected columns {header}, found {result.variables}"]
        found = [tuple(_csv_cell(term) for term in row) for row in result.rows]
        return _differences(expected, found, query.ordered)
    if suffix == ".srj":
        with path.open("rb") as handle:
            parsed = Result.parse(handle, format="json")
        if parsed.type == "ASK":
            if result.form != "ASK":
                return [f"expected an ASK answer, found {result.form}"]
            want = bool(parsed.askAnswer)
            return [] if want == result.boolean else [f"expected {want}, found {result.boolean}"]
        names = [str(v) for v in parsed.vars or []]
        if names != result.variables:
            return [f"expected columns {names}, found {result.variables}"]
        expected_terms = [
            tuple(_comparable(row.get(Variable(n))) for n in names)  # type: ignore[union-attr]
            for row in parsed.bindings
        ]
        found_terms = [tuple(_comparable(term) for term in row) for row in result.rows]
        return _differences(expected_terms, found_terms, query.ordered)
    if suffix in (".ttl", ".nt"):
        if result.graph is None:
            return [f"expected a graph, found a {result.form} answer"]
        want_graph = Graph().parse(path, format="turtle" if suffix == ".ttl" else "nt")
        if isomorphic(want_graph, result.graph):
            return []
        missing = len(want_graph - result.graph)
        extra = len(result.graph - want_graph)
        return [f"graphs differ: about {missing} expected triple(s) missing, {extra} extra"]
    raise QueryError(f"{_display(path)}: unknown expected-answer format {suffix!r}")
