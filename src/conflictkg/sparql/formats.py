"""Output formats of query answers: their names, file extensions, and the format a file suggests.

A light module (no RDF library): the command line reads it to declare its options.

Examples
--------
>>> format_for_path("answers/who.csv"), format_for_path("x.srj"), format_for_path("x")
('csv', 'json', None)
>>> EXTENSIONS["ntriples"]
'.nt'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["EXTENSIONS", "FORMATS", "GRAPH_FORMATS", "RESULT_FORMATS", "format_for_path"]

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
    """
    return _FORMAT_BY_EXTENSION.get(Path(path).suffix.lower())

