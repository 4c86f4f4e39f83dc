"""The graph on other servers: served read-only by Oxigraph, or pushed to a SPARQL store.

:mod:`~conflictkg.remote.serve`
    ``conflictkg serve``: a read-only Oxigraph server on the validated graph;
:mod:`~conflictkg.remote.push`
    ``conflictkg push``: replace a named graph of a remote store through the Graph Store
    Protocol.
"""
