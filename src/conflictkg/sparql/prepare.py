r"""Prepare a query: a small SPARQL lexer, parameters bound as terms, network access refused.

Parameters
----------
A parameter is a variable whose default value the query states itself, in
``VALUES ?attack { ckr:bamako-2024-09-17-attack }`` or ``BIND (ckr:jnim AS
?actor)``, so the file runs unchanged in any SPARQL tool.  :func:`prepare`
replaces the default with the caller's value: the value is first turned into
an RDF term (an IRI, a label or alias resolved to exactly one IRI, or a
literal of the default's datatype), the term is written out by
:func:`term_text` in N-Triples syntax, and only that text replaces the
default's tokens.  User text is never pasted into the query; the new query
is parsed again before it runs.

Safety
------
Before a query runs, its parsed form is searched for ``SERVICE``, ``FROM``
and ``FROM NAMED`` (SPARQL Update, ``LOAD`` included, is refused outright):
rdflib would fetch a ``FROM`` graph over HTTP and both engines call
``SERVICE`` endpoints.  They are refused unless ``allow_network`` is set.

Examples
--------
>>> ready = prepare("SELECT ?x { VALUES ?x { ckr:mali } }", params={"x": "ckr:jnim"})
>>> ready.text
'SELECT ?x { VALUES ?x { <https://w3id.org/conflictkg/id/jnim> } }'
>>> prefix_declarations("SELECT * { ?s a ckg:Attack }")
'PREFIX ckg: <https://w3id.org/conflictkg/ontology#>\n'
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from conflictkg.errors import NetworkRefusedError, ParameterError, QueryError, QuerySyntaxError
from conflictkg.prefixes import PREFIXES
from conflictkg.sparql.library import LibraryQuery, display_path

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.term import Node, URIRef

# rdflib (terms, parser) is loaded only where a parameter is bound or a query parsed by
# rdflib: a library question run as it is on Oxigraph never needs it.
_XSD = "http://www.w3.org/2001/XMLSchema#"

__all__ = [
    "PreparedQuery",
    "Resolver",
    "prefix_declarations",
    "prepare",
    "query_body_start",
    "term_text",
]

# --- a small SPARQL lexer: positions, parameters, prefixes -------------------------

# Letters beyond ASCII: any non-ASCII character, where SPARQL's PN_CHARS_BASE lists
# ranges.  This changes only how the lexer splits text that is not SPARQL (a character
# outside those ranges, outside strings, IRIs and comments, is a syntax error for both
# engines, which then run nothing); the exact ranges cost 25 ms to compile, a tenth of
# the start of a command (``re`` fills a table of 65,536 entries for each class that
# holds a range beyond Latin-1, and the lexer has nine).
_PN_CHARS_BASE = "A-Za-z"
_PN_CHARS_U = _PN_CHARS_BASE + "_0-9"
_PN_CHARS = _PN_CHARS_U + "\\-"


def _chars(ascii_chars: str) -> str:
    """Match a character of the class body `ascii_chars`, or any non-ASCII character."""
    return rf"(?:[{ascii_chars}]|[^\x00-\x7f])"


_BASE, _U, _C = _chars(_PN_CHARS_BASE), _chars(_PN_CHARS_U), _chars(_PN_CHARS)
_C_DOT, _C_COLON, _C_DOT_COLON = (_chars(_PN_CHARS + extra) for extra in (".", ":", ".:"))
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\r\n]|\\.)*"
              | '(?:[^'\\\r\n]|\\.)*')
  | (?P<var>[?$]{_U}+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:{_C_DOT}*{_C})
  | (?P<pname>(?:{_BASE}(?:{_C_DOT}*{_C})?)?:
               (?:(?:{_C_COLON}|%[0-9A-Fa-f]{{2}}|\\[-_~.!$&'()*+,;=/?\#@%])
                  (?:(?:{_C_DOT_COLON}|%[0-9A-Fa-f]{{2}}|\\[-_~.!$&'()*+,;=/?\#@%])*
                     (?:{_C_COLON}|%[0-9A-Fa-f]{{2}}|\\[-_~.!$&'()*+,;=/?\#@%]))?)?)
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


@functools.lru_cache(maxsize=512)
def _tokens(text: str) -> tuple[_Token, ...]:
    """Split `text` into SPARQL tokens, without whitespace and comments.

    Kept for the texts seen last, like :func:`_parse` (a question's tokens cost more
    than Oxigraph's answer to it on a report-sized graph).
    """
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        found.append(_Token(kind, match.group(), match.start(), match.end()))
    return tuple(found)


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
    >>> from rdflib import Literal, URIRef
    >>> term_text(Literal('say "hi"\n', lang="en"))
    '"say \\"hi\\"\\n"@en'
    >>> term_text(URIRef("https://w3id.org/conflictkg/id/jnim"))
    '<https://w3id.org/conflictkg/id/jnim>'
    >>> term_text(URIRef("http://x/> } ; DROP ALL #"))
    Traceback (most recent call last):
    ...
    conflictkg.errors.ParameterError: 'http://x/> } ; DROP ALL #' is not a valid absolute IRI
    """
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return f"<{_check_iri(str(term))}>"
    if isinstance(term, Literal):
        body = "".join(_ECHAR.get(char, char) for char in str(term))
        if term.language:
            if not _LANGUAGE_TAG.match(term.language):
                raise ParameterError(f"{term.language!r} is not a valid language tag")
            return f'"{body}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != _XSD + "string":
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
    """A checked query with its parameters bound, ready to run.

    Attributes
    ----------
    text : str
        The query text that runs (the defaults of bound parameters replaced).
    form : str
        ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
    source : str
        Where the text came from (file, ``<stdin>``, ``<query>``), for messages.
    bindings : dict of str to list of rdflib terms
        The values bound to each parameter.
    parsed : rdflib.plugins.sparql.sparql.Query
        rdflib's algebra for `text`, parsed on first use: Oxigraph runs the text itself,
        and rdflib's SPARQL grammar costs a quarter of a second to build in a new process.
    variables : list of str
        Projected variables of a SELECT query, in order (from `parsed`).
    limit : int or None
        The query's own top-level ``LIMIT`` (from `parsed`).
    """

    text: str
    form: str
    source: str
    bindings: dict[str, list[Node]] = field(default_factory=dict)

    @functools.cached_property
    def parsed(self) -> Query:
        """The algebra rdflib makes of the text (raises :class:`QuerySyntaxError`)."""
        return _parse(self.text, self.source)

    @property
    def variables(self) -> list[str]:
        """Projected variables of a SELECT query, in order."""
        return list(_form_and_variables(self.parsed)[1])

    @property
    def limit(self) -> int | None:
        """The query's own top-level ``LIMIT``."""
        return _form_and_variables(self.parsed)[2]


@functools.lru_cache(maxsize=512)
def _parse(text: str, source: str) -> Query:
    """Parse and translate a query with rdflib, turning failures into QueryError.

    Kept for the texts seen last: the checks and library questions are parsed once per
    process (rdflib's parser takes 50 to 150 ms a query; evaluation leaves the algebra
    as it was).
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    # SPARQL Update never gets here: prepare() refuses it by its first keyword (_form)
    try:
        tree = parseQuery(text)
    except Exception as error:  # noqa: BLE001 - pyparsing raises several kinds
        line = getattr(error, "lineno", None)
        column = getattr(error, "col", None)
        message = _PARSE_NOISE.sub("", str(error)) or "not a SPARQL query"
        where = f"{source}:{line}:{column}" if line is not None else source
        raise QuerySyntaxError(f"{where}: SPARQL syntax error: {message}") from None
    try:
        return translateQuery(tree, initNs=PREFIXES)
    except Exception as error:  # noqa: BLE001 - rdflib raises plain Exception here
        message = str(error)
        if "Unknown namespace prefix" in message:
            _check_prefixes(text, source)
        raise QuerySyntaxError(f"{source}: SPARQL error: {message}") from None


@functools.lru_cache(maxsize=512)
def _check_prefixes(text: str, source: str) -> None:
    """Refuse a prefixed name whose prefix is neither declared nor one of the project's.

    Once per text, like :func:`_checked_network`: a text that passed once passes again.
    """
    for token in _undeclared_prefixes(_tokens(text)):
        prefix = _prefix_of(token)
        if prefix not in PREFIXES:
            raise QuerySyntaxError(
                f"{_where(source, text, token.start)}: unknown prefix '{prefix}:'; "
                f"declare it with PREFIX {prefix}: <...>"
            )


_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@functools.lru_cache(maxsize=512)
def _form(text: str, source: str) -> str:
    """Return the form of a query from its first keyword, refusing SPARQL Update.

    Anything else than a query form is left to rdflib's parser, for its message.
    """
    tokens = _tokens(text)
    start = _prologue_end(tokens)
    first = next((token for token in tokens if token.start >= start), None)
    word = first.text.upper() if first is not None and first.kind == "word" else ""
    if word in _FORMS.values():
        return word
    if word in _UPDATES:
        loads = any(token.kind == "word" and token.text.upper() == "LOAD" for token in tokens)
        what = "LOAD would fetch a graph over the network; " if loads else ""
        raise QueryError(
            f"{source}: this is a SPARQL Update; {what}conflictkg only runs queries "
            "(SELECT, ASK, CONSTRUCT, DESCRIBE) and never changes the graph"
        )
    return _form_and_variables(_parse(text, source))[0]


def _check_network(text: str, source: str, *, remote: bool = False) -> None:
    """Refuse SERVICE and, for local graphs, FROM / FROM NAMED.

    On an endpoint, FROM names graphs of that server's dataset, which is what
    it is for; SERVICE would make the server call others.  The lexer finds the
    keywords (never inside strings, IRIs or comments), so no parser is needed.
    """
    tokens = _tokens(text)
    hint = "refused (allow it with --allow-network)"

    def target(index: int) -> str:
        for token in tokens[index + 1 : index + 3]:
            if token.kind == "word" and token.text.upper() in ("SILENT", "NAMED"):
                continue
            if token.kind == "pname":
                prefixes = {**PREFIXES, **_declared_prefixes(tokens)}
                prefix, _, local = token.text.partition(":")
                if prefix in prefixes:
                    return prefixes[prefix] + local
            return token.text[1:-1] if token.kind == "iri" else token.text
        return "?"

    for index, token in enumerate(tokens):
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word == "SERVICE":
            shown = target(index)
            shown = shown if shown.startswith("?") else f"<{shown}>"
            raise NetworkRefusedError(
                f"{_where(source, text, token.start)}: SERVICE {shown} would query another "
                f"server over the network; {hint}"
            )
        if word == "FROM" and not remote:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            named = following is not None and following.text.upper() == "NAMED"
            kind = "FROM NAMED" if named else "FROM"
            raise NetworkRefusedError(
                f"{_where(source, text, token.start)}: {kind} <{target(index)}> names a graph "
                "that is not in the local graph (which has only its default graph); rdflib "
                f"would fetch it over the network; {hint}"
            )


@functools.lru_cache(maxsize=512)
def _form_and_variables(parsed: Query) -> tuple[str, tuple[str, ...], int | None]:
    from rdflib.plugins.sparql.parserutils import CompValue

    algebra = parsed.algebra
    form = _FORMS.get(algebra.name, algebra.name)
    variables = tuple(str(v) for v in algebra.get("PV") or []) if form == "SELECT" else ()
    top = algebra.get("p")
    limit = None
    if isinstance(top, CompValue) and top.name == "Slice" and top.get("length") is not None:
        limit = int(top["length"])
    return form, variables, limit


Resolver = Callable[[str], "list[tuple[URIRef, str]]"]


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
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

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
    from rdflib import BNode, Literal, URIRef

    from conflictkg.rdf.terms import compact

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
            datatype = compact(default.datatype) if default.datatype else ""
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
    if not entities:
        suggest = getattr(resolve, "suggest", None)
        near = suggest(text) if suggest is not None else []
        hint = f"; labels containing it: {'; '.join(near)}" if near else ""
        raise ParameterError(
            f"?{name}: no entity has the label or alias {text!r}; give an IRI "
            f"(<https://...> or ckr:name) or another label{hint}"
        )
    listed = "; ".join(
        f"{compact(iri)} ({label})" for iri, label in sorted(set(candidates))
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

    """
    if isinstance(query, LibraryQuery):
        text = query.text
        source = source or display_path(query.path)
        declared_params: tuple[str, ...] = query.params
    else:
        text, source, declared_params = query, source or "<query>", ()
    form = _form(text, source)
    _check_prefixes(text, source)
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
    if not allow_network:
        _checked_network(text, source, remote)
    prepared = PreparedQuery(text, form, source, bindings)
    if remote:
        prepared.parsed  # noqa: B018 - an endpoint gets only text that parses
    return prepared


@functools.lru_cache(maxsize=512)
def _checked_network(text: str, source: str, remote: bool) -> None:
    """:func:`_check_network` once per text: a text that passed once passes again."""
    _check_network(text, source, remote=remote)



def prefix_declarations(text: str) -> str:
    """Return a ``PREFIX`` line for each project prefix `text` uses without declaring it.

    A remote endpoint does not know conflictkg's prefixes; the local engines do.
    """
    lines = []
    for token in _undeclared_prefixes(_tokens(text)):
        prefix = _prefix_of(token)
        if prefix in PREFIXES:
            lines.append(f"PREFIX {prefix}: <{PREFIXES[prefix]}>\n")
    return "".join(lines)


def query_body_start(text: str) -> int:
    """Return the offset in `text` where the query starts, after its BASE and PREFIX lines."""
    return _prologue_end(_tokens(text))
