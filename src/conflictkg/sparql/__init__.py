"""SPARQL on the knowledge graph: the query library, two local engines, remote endpoints.

One job a module, from the bottom up:

:mod:`~conflictkg.sparql.library`
    query files and their ``#+`` headers (``queries/cq``, ``queries/checks``);
:mod:`~conflictkg.sparql.formats`
    names and file extensions of the output formats;
:mod:`~conflictkg.sparql.prepare`
    a small SPARQL lexer, parameters bound as terms, network access refused;
:mod:`~conflictkg.sparql.results`
    :class:`QueryResult` and the formats it is written in;
:mod:`~conflictkg.sparql.sandbox`
    the worker process that enforces time limits and keeps the network out;
:mod:`~conflictkg.sparql.local`
    :class:`LocalGraph` and the ``oxigraph`` and ``rdflib`` engines;
:mod:`~conflictkg.sparql.endpoint`
    remote SPARQL 1.1 endpoints;
:mod:`~conflictkg.sparql.run`
    :func:`run_query`, the entry point;
:mod:`~conflictkg.sparql.compare`
    expected answers of the library questions;
:mod:`~conflictkg.sparql.checks`
    the data-quality checks of ``queries/checks``.

The names of ``__all__`` are importable from this package; each is loaded from its
module on first use, so that ``import conflictkg.sparql.library`` stays light.  The
functions :func:`~conflictkg.sparql.library.library` and
:func:`~conflictkg.sparql.prepare.prepare` share their module's name: import them from
their modules.

Examples
--------
>>> from conflictkg import sparql
>>> sparql.find_query("who-claimed-the-attack").params
('attack',)
>>> sparql.nothing
Traceback (most recent call last):
...
AttributeError: module 'conflictkg.sparql' has no attribute 'nothing'
"""

from __future__ import annotations

from conflictkg.lazy import lazy_names

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "EXTENSIONS",
    "FORMATS",
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "CheckFinding",
    "CheckResult",
    "Endpoint",
    "LibraryQuery",
    "LocalGraph",
    "PreparedQuery",
    "QueryResult",
    "compare_with_expected",
    "failed",
    "find_query",
    "format_for_path",
    "parse_header",
    "read_library_query",
    "resolve_query",
    "run_checks",
    "run_query",
    "serialize",
    "term_text",
    "write_result",
]

_HOMES = {
    "library": ("ENGINES", "LibraryQuery", "find_query", "parse_header",
                "read_library_query", "resolve_query"),
    "formats": ("EXTENSIONS", "FORMATS", "GRAPH_FORMATS", "RESULT_FORMATS", "format_for_path"),
    "prepare": ("PreparedQuery", "term_text"),
    "results": ("QueryResult", "serialize", "write_result"),
    "local": ("DEFAULT_ENGINE", "LocalGraph"),
    "endpoint": ("Endpoint",),
    "run": ("run_query",),
    "compare": ("compare_with_expected",),
    "checks": ("CheckFinding", "CheckResult", "failed", "run_checks"),
}
__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__)
