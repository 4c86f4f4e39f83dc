"""The prefixes of conflictkg's Turtle, queries and outputs, as plain strings.

:data:`PREFIXES` is also :data:`conflictkg.namespaces.PREFIXES`; it lives here, apart from
the namespace classes, so that what only needs the prefixes (running a query on the built
store, writing its answer) does not load rdflib, which takes a fifth of a second to import.

Examples
--------
>>> PREFIXES["ckr"]
'https://w3id.org/conflictkg/id/'
"""

__all__ = ["PREFIXES"]

PREFIXES: dict[str, str] = {
    "ckg": "https://w3id.org/conflictkg/ontology#",
    "ckr": "https://w3id.org/conflictkg/id/",
    "ckc": "https://w3id.org/conflictkg/code/",
    "acled": "https://w3id.org/conflictkg/code/acled/",
    "gtd": "https://w3id.org/conflictkg/code/gtd/",
    "plover": "https://w3id.org/conflictkg/code/plover/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "time": "http://www.w3.org/2006/time#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}
"""Prefixes used in the project's Turtle, queries and outputs."""
