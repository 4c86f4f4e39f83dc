"""Locate the data folders that ship with conflictkg.

The repository keeps three data folders at its top level: ``ontology/``,
``graph/`` and ``queries/``.  A built wheel carries copies of them inside the
package as ``conflictkg/data/<name>``.  :func:`data_dir` prefers the copy in
the package and falls back to the repository checkout, which is what an
editable install (``pip install -e .``) sees.

Examples
--------
>>> data_dir("nonsense")
Traceback (most recent call last):
...
ValueError: unknown data folder 'nonsense'; expected one of: ontology, graph, queries
"""

from __future__ import annotations

from pathlib import Path

from conflictkg.errors import DataNotFoundError

__all__ = [
    "DATA_NAMES",
    "data_dir",
    "graph_files",
    "ontology_files",
    "ontology_shapes_file",
    "query_files",
    "shapes_file",
    "shared_graph_files",
]

#: Names of the data folders that :func:`data_dir` knows.
DATA_NAMES = ("ontology", "graph", "queries")

#: Files of ``ontology/`` that hold SHACL shapes rather than ontology terms.
_SHAPES_NAME = "shapes.ttl"
_ONTOLOGY_SHAPES_NAME = "ontology-shapes.ttl"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _checkout_root() -> Path | None:
    """Return the repository root when running from a source checkout.

    Returns
    -------
    pathlib.Path or None
        The folder two levels above the package (``src/conflictkg`` -> repo)
        if it looks like the conflictkg repository, else ``None``.
    """
    root = _PACKAGE_DIR.parent.parent
    if _PACKAGE_DIR.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None


def data_dir(name: str) -> Path:
    """Return the folder holding one kind of shipped data.

    Parameters
    ----------
    name : {"ontology", "graph", "queries"}
        Which data folder to find.

    Returns
    -------
    pathlib.Path
        ``conflictkg/data/<name>`` inside the installed package if present,
        otherwise ``<repo>/<name>`` of the source checkout.

    Raises
    ------
    ValueError
        If `name` is not one of :data:`DATA_NAMES`.
    DataNotFoundError
        If the folder is found in neither place.
    """
    if name not in DATA_NAMES:
        expected = ", ".join(DATA_NAMES)
        raise ValueError(f"unknown data folder {name!r}; expected one of: {expected}")
    packaged = _PACKAGE_DIR / "data" / name
    if packaged.is_dir():
        return packaged
    root = _checkout_root()
    if root is not None and (root / name).is_dir():
        return root / name
    where = [str(packaged)]
    if root is not None:
        where.append(str(root / name))
    raise DataNotFoundError(
        f"conflictkg data folder {name!r} not found (looked in: {', '.join(where)}); "
        "install conflictkg from a wheel or run it from a checkout of the repository"
    )


def _sorted_files(folder: Path, pattern: str) -> list[Path]:
    """Return the regular files under `folder` matching `pattern`, sorted by relative path."""
    files = [p for p in folder.glob(pattern) if p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def ontology_files() -> list[Path]:
    """List the Turtle files that make up the ontology.

    Returns
    -------
    list of pathlib.Path
        ``ontology/*.ttl`` followed by ``ontology/codes/*.ttl``, each part
        sorted, without the two SHACL files ``shapes.ttl`` and
        ``ontology-shapes.ttl``.
    """
    folder = data_dir("ontology")
    excluded = {_SHAPES_NAME, _ONTOLOGY_SHAPES_NAME}
    top = [p for p in _sorted_files(folder, "*.ttl") if p.name not in excluded]
    return top + _sorted_files(folder, "codes/*.ttl")


def shapes_file() -> Path:
    """Return the path of the SHACL shapes for the data (``ontology/shapes.ttl``).

    Returns
    -------
    pathlib.Path
        The path; it is not checked for existence (loading reports that).
    """
    return data_dir("ontology") / _SHAPES_NAME


def ontology_shapes_file() -> Path:
    """Return the path of the SHACL shapes for the ontology itself.

    Returns
    -------
    pathlib.Path
        ``ontology/ontology-shapes.ttl``; not checked for existence.
    """
    return data_dir("ontology") / _ONTOLOGY_SHAPES_NAME


def graph_files() -> list[Path]:
    """List every data file of the knowledge graph.

    Returns
    -------
    list of pathlib.Path
        ``graph/**/*.ttl``, sorted by path relative to ``graph/``.
    """
    return _sorted_files(data_dir("graph"), "**/*.ttl")


def shared_graph_files() -> list[Path]:
    """List the files of entities shared by all reports (``graph/shared/*.ttl``).

    Returns
    -------
    list of pathlib.Path
        Sorted paths; empty if the folder does not exist.
    """
    return _sorted_files(data_dir("graph"), "shared/*.ttl")


def query_files() -> list[Path]:
    """List the SPARQL files shipped in ``queries/`` (``**/*.rq``).

    Returns
    -------
    list of pathlib.Path
        Sorted by path relative to ``queries/``.
    """
    return _sorted_files(data_dir("queries"), "**/*.rq")
