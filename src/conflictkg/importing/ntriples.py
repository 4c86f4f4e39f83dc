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

from collections.abc import Callable
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


def _iri_maker(base: str, what: str) -> Callable[[str], str]:
    def iri(name: str) -> str:
        return f"<{base}{name}>"

    iri.__doc__ = f"Return {what} as an IRI (``<{base}name>``)."
    return iri


ckr = _iri_maker(str(CKR), "a resource of conflictkg's data")
ckc = _iri_maker(str(CKC), "a conflictkg code")
acled = _iri_maker(str(ACLED), "an ACLED code")
gtd = _iri_maker(str(GTD), "a GTD code")
plover = _iri_maker(str(PLOVER), "a PLOVER code")


def ckg(name: str) -> str:
    """Return an ontology term as an IRI, through the closed namespace (a typo raises)."""
    return f"<{CKG[name]}>"


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
