r"""The query library: query files and their ``#+`` headers.

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
(:mod:`conflictkg.rdf.reasoning`) and ``engine`` pins a local engine.

A light module (no RDF library), so that listing the library is fast.
"""

from __future__ import annotations

import difflib
import functools
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from conflictkg import resources
from conflictkg.errors import QueryError, QuerySyntaxError, UnknownQueryError

__all__ = [
    "ENGINES",
    "LibraryQuery",
    "display_path",
    "find_query",
    "library",
    "parse_header",
    "read_library_query",
    "resolve_query",
]

#: Local engines, the default first (a question may pin one with ``#+ engine:``).
ENGINES = ("oxigraph", "rdflib")

_HEADER_KEYS = ("id", "question", "expect", "ordered", "reasoning", "params", "engine", "scope")
_HEADER_LINE = re.compile(r"^#\+\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*$")
_QUERY_KINDS = {"cq": "cq", "check": "checks"}


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
    scope : str
        ``"node"`` when what a check finds about a node depends only on the node's
        triples, those of the nodes it points at and the ontology; ``"names"`` when it
        compares entities by their names, so that what it finds depends only on the
        entities that share a name and their own triples; else ``"graph"``.
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
    scope: str = "graph"


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
#: Longest query read from standard input (``-``): more is refused, not read.
MAX_QUERY_CHARACTERS = 1024 * 1024


def display_path(path: Path) -> str:
    """Return `path` as messages show it: relative to the working folder when inside it."""
    if path.name == _STDIN:
        return _STDIN
    return _displayed(path, os.getcwd())


@functools.lru_cache(maxsize=1024)
def _displayed(path: Path, cwd: str) -> str:
    """Return :func:`display_path`, once per path and working folder.

    Resolving the path costs more than Oxigraph's answer to a selective question.
    """
    try:
        return os.fspath(path.resolve().relative_to(cwd))
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
    shown = display_path(file)
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
    scope = value("scope") or "graph"
    if scope not in ("node", "names", "graph"):
        line = header["scope"][1]
        raise QueryError(f"{shown}:{line}: '#+ scope:' must be node, names or graph")
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
        scope=scope,
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


_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


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
    if _PLAIN_ID.fullmatch(name):  # a question's file is named after its id: read that one
        for kind, folder in _QUERY_KINDS.items():
            path = resources.data_dir("queries") / folder / f"{name}.rq"
            if path.is_file():
                item = read_library_query(path, kind=kind)
                if item.id == name:
                    return item
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
        text = (stdin or sys.stdin).read(MAX_QUERY_CHARACTERS + 1)
        if "\x00" in text:
            at = text.index("\x00")
            line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
            raise QuerySyntaxError(
                f"{_STDIN}:{line}:{column}: a NUL character; standard input is not a query text"
            )
        if len(text) > MAX_QUERY_CHARACTERS:
            raise QuerySyntaxError(
                f"{_STDIN}: the query is longer than {MAX_QUERY_CHARACTERS:,} characters; "
                "is standard input a query?"
            )
        return _from_text(text, Path(_STDIN), _STDIN, "file")
    path = Path(spec)
    if path.is_file():
        return read_library_query(path)
    if path.suffix == ".rq" or os.sep in spec:
        raise UnknownQueryError(f"{spec}: no such query file")
    return find_query(spec)

