"""The build pipeline: load, validate, summarise, write.

:func:`run_build` is what ``conflictkg build`` runs; the command line only
prints its :class:`BuildResult`.  Keeping the pipeline here lets the
benchmark and the tests run it in-process and read the stage timings.

The written graph (``graph.ttl`` and ``graph.nt``) is the union of the
ontology, its code lists and the data, so that it can be queried on its own:
class hierarchy, code labels and data side by side.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from conflictkg import resources
from conflictkg.atomic import AtomicOutputs
from conflictkg.rdf.loading import load_files
from conflictkg.rdf.serialization import to_ntriples, to_turtle
from conflictkg.rdf.validation import Violation, check, validate_ontology, violations
from conflictkg.summary import Summary, summarize

__all__ = ["OUTPUT_FILES", "STAGES", "BuildResult", "run_build"]

#: Files written by a successful build, inside the output folder.
OUTPUT_FILES = ("graph.ttl", "graph.nt")

#: Names of the timed stages, in order.
STAGES = ("load", "validate", "summarise", "write")


@dataclass
class BuildResult:
    """What a build did and found.

    Attributes
    ----------
    out_dir : pathlib.Path
        The output folder.
    ontology_graph, data_graph : rdflib.Graph
        The loaded graphs.
    data_conforms, ontology_conforms : bool
        Whether the data passes its shapes and the ontology its shapes.
    violations, ontology_violations : list of Violation
        Results for the data and for the ontology (warnings included).
    summary : Summary
        Figures about the data.
    timings : dict of str to float
        Seconds per stage (see :data:`STAGES`) and ``total``.
    written : list of pathlib.Path
        Files written; empty when the build failed or writing was skipped.
    """

    out_dir: Path
    ontology_graph: Graph
    data_graph: Graph
    data_conforms: bool
    ontology_conforms: bool
    violations: list[Violation]
    ontology_violations: list[Violation]
    summary: Summary
    timings: dict[str, float] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """bool: whether both the ontology and the data pass."""
        return self.data_conforms and self.ontology_conforms


def run_build(
    out_dir: str | os.PathLike[str] = "out",
    *,
    extra_data: Iterable[str | os.PathLike[str]] = (),
    write: bool = True,
) -> BuildResult:
    """Load, validate and summarise the project; write the graph if all passes.

    Parameters
    ----------
    out_dir : str or os.PathLike, default "out"
        Folder for ``graph.ttl`` and ``graph.nt``.  Created when needed;
        nothing in it is touched unless everything conforms, and then both
        files are replaced together (see :class:`~conflictkg.atomic.AtomicOutputs`).
    extra_data : iterable of str or os.PathLike, optional
        Data files to add to the project's ``graph/**/*.ttl`` (a file that is
        already one of those is not loaded twice).
    write : bool, default True
        Set to false to check without writing.

    Returns
    -------
    BuildResult
        Graphs, results, figures, timings and written files.

    Raises
    ------
    conflictkg.errors.InputError
        If a file cannot be loaded.
    conflictkg.errors.DataNotFoundError
        If the project's data folders cannot be found.
    conflictkg.errors.ShapesError
        If pySHACL cannot use the shapes.
    OSError
        If the outputs cannot be written.
    """
    out = Path(out_dir)
    timings: dict[str, float] = {}
    start = clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    project_data = resources.graph_files()
    known = {path.resolve() for path in project_data}
    extra = [path for path in extra_data if Path(path).resolve() not in known]
    ontology_graph = load_files(resources.ontology_files())
    data_graph = load_files([*project_data, *extra])
    shapes_graph = load_files([resources.shapes_file()])
    ontology_shapes_graph = load_files([resources.ontology_shapes_file()])
    lap("load")

    ontology_ok, ontology_report, _ = validate_ontology(
        ontology_graph, shapes_graph=ontology_shapes_graph
    )
    ontology_results = violations(
        ontology_report,
        data_graph=ontology_graph,
        ontology_graph=ontology_graph,
        shapes_graph=ontology_shapes_graph,
    )
    data_ok, _, data_results = check(
        data_graph, shapes_graph=shapes_graph, ontology_graph=ontology_graph
    )
    lap("validate")

    summary = summarize(data_graph, ontology_graph)
    lap("summarise")

    written: list[Path] = []
    if write and ontology_ok and data_ok:
        turtle = to_turtle(ontology_graph, data_graph)
        ntriples = to_ntriples(ontology_graph, data_graph)
        with AtomicOutputs() as outputs:
            outputs.write_bytes(out / OUTPUT_FILES[0], turtle)
            outputs.write_bytes(out / OUTPUT_FILES[1], ntriples)
        written = [out / name for name in OUTPUT_FILES]
    lap("write")
    timings["total"] = time.perf_counter() - start

    return BuildResult(
        out_dir=out,
        ontology_graph=ontology_graph,
        data_graph=data_graph,
        data_conforms=data_ok,
        ontology_conforms=ontology_ok,
        violations=data_results,
        ontology_violations=ontology_results,
        summary=summary,
        timings=timings,
        written=written,
    )
