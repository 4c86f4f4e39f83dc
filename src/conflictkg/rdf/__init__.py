"""RDF in and out: terms, loading, serialisation, reasoning, validation, labels.

:mod:`~conflictkg.rdf.terms`
    local names, compact names, and the one rdflib <-> pyoxigraph term converter;
:mod:`~conflictkg.rdf.labels`
    the one policy for which label names a resource, and label folding;
:mod:`~conflictkg.rdf.loading`
    Turtle, N-Triples and TriG files into rdflib graphs, with exact error positions;
:mod:`~conflictkg.rdf.serialization`
    Turtle and N-Triples out, fast and in a stable order;
:mod:`~conflictkg.rdf.reasoning`
    the RDFS closure;
:mod:`~conflictkg.rdf.validation`
    SHACL validation and readable violations.
"""
