r"""Writing an imported dataset as N-Triples lines, fast.

The importer formats each triple as text itself instead of building rdflib or pyoxigraph
terms, since the import has to keep up with pyoxigraph's ``bulk_load`` of what it writes:
``benchmarks/bench_import.py`` measures the two side by side (figures in the README's
performance table).  The lines are valid Turtle as well, so the file is read like every
other file of ``graph/``.

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> writer = Triples(out)
>>> writer.add(ckr("x"), RDFS_LABEL, text('say "hi"'))
>>> writer.flush()
>>> out.getvalue().split(" ", 2)[2]
'"say \\"hi\\""@en .\n'
"""

from __future__ import annotations

from typing import TextIO

from conflictkg.namespaces import ACLED, CKC, CKG, CKR, GTD, PLOVER

__all__ = [
    "A",
    "RDFS_LABEL",
    "Triples",
    "acled",
    "ckc",
    "ckg",
    "ckr",
    "gtd",
    "integer",
    "literal",
    "plover",
    "text",
    "typed",
]

_XSD = "http://www.w3.org/2001/XMLSchema#"
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def ckr(name: str) -> str:
    """Return ``<https://w3id.org/conflictkg/id/name>``."""
    return f"<{CKR}{name}>"


def ckg(name: str) -> str:
    """Return an ontology term as an IRI, through the closed namespace (a typo raises)."""
    return f"<{CKG[name]}>"


def ckc(name: str) -> str:
    """Return a conflictkg code as an IRI."""
    return f"<{CKC}{name}>"


def acled(name: str) -> str:
    """Return an ACLED code as an IRI."""
    return f"<{ACLED}{name}>"


def gtd(name: str) -> str:
    """Return a GTD code as an IRI."""
    return f"<{GTD}{name}>"


def plover(name: str) -> str:
    """Return a PLOVER code as an IRI."""
    return f"<{PLOVER}{name}>"


def literal(value: str) -> str:
    """Return a plain string literal."""
    return f'"{value.translate(_ESCAPES)}"'


def text(value: str) -> str:
    """Return an English-language literal (labels, notes)."""
    return f'"{value.translate(_ESCAPES)}"@en'


def typed(value: str, datatype: str) -> str:
    """Return a literal of an XSD datatype (``date``, ``decimal``...)."""
    return f'"{value}"^^<{_XSD}{datatype}>'


def integer(value: int) -> str:
    """Return an ``xsd:integer`` literal."""
    return f'"{value}"^^<{_XSD}integer>'


class Triples:
    """Collects N-Triples lines and writes them to a text file in blocks.

    Parameters
    ----------
    out : TextIO
        Where the lines go.

    Attributes
    ----------
    count : int
        The triples written so far.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0
        self._lines: list[str] = []

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Add one triple (terms already formatted)."""
        self._lines.append(f"{subject} {predicate} {obj} .\n")
        if len(self._lines) >= 50_000:
            self.flush()

    def node(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        """Add the triples of one subject."""
        lines = self._lines
        for predicate, obj in pairs:
            lines.append(f"{subject} {predicate} {obj} .\n")
        if len(lines) >= 50_000:
            self.flush()

    def flush(self) -> None:
        """Write what is collected."""
        self.count += len(self._lines)
        self.out.write("".join(self._lines))
        self._lines.clear()
