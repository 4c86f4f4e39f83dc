"""conflictkg: an RDF knowledge graph of political violence.

The package loads the project's ontology and data (Turtle files), checks them
against SHACL shapes, summarises them and writes the merged graph.  The
command line lives in :mod:`conflictkg.cli`.

Examples
--------
>>> import conflictkg
>>> conflictkg.__version__
'0.1.0'
"""

__all__ = ["__version__"]

#: Version of the package; kept equal to ``project.version`` in pyproject.toml
#: (a test checks that the two agree).
__version__ = "0.1.0"
