"""The files a build reads, each with its key and role.

The key identifies a file from one build to the next: its path relative to its data
folder's parent (``ontology/conflictkg.ttl``, ``graph/reports/bamako-2024-09-17.ttl``,
``queries/checks/duplicate-entities-violation.rq``) for the project's files, its absolute
path for files added with ``--data``.

Examples
--------
>>> keys = [item.key for item in project_inputs()]
>>> "graph/reports/bamako-2024-09-17.ttl" in keys, "ontology/shapes.ttl" in keys
(True, True)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from conflictkg import resources
from conflictkg.store.manifest import graph_name_for

__all__ = ["Input", "project_inputs"]

#: Roles whose files are loaded into the store (the others are read as they are).
LOADED_ROLES = ("ontology", "data", "extra")


@dataclass(frozen=True)
class Input:
    """One file a build reads.

    Attributes
    ----------
    path : pathlib.Path
        Where it is.
    key : str
        What identifies it between builds.
    role : str
        ``ontology`` (terms and code lists), ``shapes``, ``ontology-shapes``, ``check``,
        ``data`` (``graph/``) or ``extra`` (``--data``).
    """

    path: Path
    key: str
    role: str

    @property
    def graph(self) -> str | None:
        """The named graph its triples go into, for the roles that are loaded."""
        if self.role not in LOADED_ROLES:
            return None
        return graph_name_for(self.key, extra=self.role == "extra")


def project_inputs(
    *, extra: Iterable[str | os.PathLike[str]] = (), project: bool = True
) -> list[Input]:
    """List the inputs of a build, in load order.

    Parameters
    ----------
    extra : iterable of path, optional
        Files added with ``--data`` (a project file given again is not counted twice).
    project : bool, default True
        Whether to read the project's ``graph/``; the ontology, shapes and checks are
        always read.

    Returns
    -------
    list of Input
    """
    found: list[Input] = []

    def add(path: Path, folder: str, role: str) -> None:
        root = resources.data_dir(folder)
        found.append(Input(path, f"{folder}/{path.relative_to(root).as_posix()}", role))

    for path in resources.ontology_files():
        add(path, "ontology", "ontology")
    add(resources.shapes_file(), "ontology", "shapes")
    add(resources.ontology_shapes_file(), "ontology", "ontology-shapes")
    for path in sorted((resources.data_dir("queries") / "checks").glob("*-violation.rq")):
        add(path, "queries", "check")
    known = set()
    if project:
        for path in resources.graph_files():
            add(path, "graph", "data")
            known.add(path.resolve())
    for given in extra:
        path = Path(given)
        try:
            absolute = path.resolve()
        except (RuntimeError, OSError):  # a loop of symbolic links: the loader says so
            absolute = path.absolute()
        if absolute in known:
            continue
        known.add(absolute)
        found.append(Input(path, absolute.as_posix(), "extra"))
    return found

