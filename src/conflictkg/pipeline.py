"""The build: load into a store, validate, check, summarise, publish.

:func:`run_build` is what ``conflictkg build`` runs; the command line only prints its
:class:`BuildResult`.  It is the one way data becomes the graph that the other commands
read (:class:`~conflictkg.store.BuiltStore`):

1. **inputs**: the ontology, the shapes, the checks of ``queries/checks/``, the files of
   ``graph/`` and those given with ``--data``, each with its content hash;
2. **nothing changed**: if the published build read exactly these files, the build is a
   no-op (the figures of the last build are printed again);
3. **load**: into a new build folder, each data file into its own named graph with
   pyoxigraph's ``bulk_load``.  When only data files changed, the new store starts as a
   copy of the published one (hard links: it costs little whatever its size), the graphs
   of the changed and removed files are dropped and the new versions loaded;
4. **validate**: the ontology against its shapes (when it changed), the data against the
   shapes and the whole-graph rules (:func:`conflictkg.rdf.validation.validate_store`),
   limited, when only some files changed, to the nodes those files can affect, which gives
   the same results as validating everything (``tests/test_build.py`` compares both);
   then the data-quality checks of ``queries/checks/``;
5. **summarise** and **write**: ``graph.ttl`` and ``graph.nt`` (written together,
   atomically), then the new build is published with one ``rename`` of the ``store``
   link.  Nothing is published, and the previous build stays in use, unless every check
   passes.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from conflictkg import resources
from conflictkg.atomic import AtomicOutputs, append_file
from conflictkg.errors import InputError
from conflictkg.store import (
    STORE_LINK,
    STORES_FOLDER,
    BuiltStore,
    InputFile,
    Manifest,
    StoreWriter,
    load_file,
    rdflib_view,
)
from conflictkg.store.inputs import Input, project_inputs
from conflictkg.summary import Count, SourceEntry, Summary, summarize, update_summary

__all__ = ["OUTPUT_FILES", "STAGES", "BuildResult", "current_inputs", "run_build"]

#: Files written by a successful build, inside the output folder (besides the store).
OUTPUT_FILES = ("graph.ttl", "graph.nt")
#: Past this many focus nodes an incremental build validates everything: the focused
#: queries carry the nodes as VALUES lists, which cost more than a pass over the store.
_FOCUS_LIMIT = 200_000
#: Folder of ``out/.stores/`` keeping each input's part of the outputs, by content hash.
_PARTS = ".parts"
_PARTS_VERSION = "1"

#: Names of the timed stages, in order.
STAGES = ("inputs", "load", "validate", "check", "summarise", "write")

#: Called with ``(stage, done, total)`` while a build works, for a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    """What a build did and found.

    Attributes
    ----------
    out_dir : pathlib.Path
        The output folder.
    data_conforms, ontology_conforms : bool
        Whether the data passes its shapes and rules, and the ontology its shapes.
    violations, ontology_violations : list of Violation
        Results for the data and for the ontology (warnings included).
    failed_checks : list of CheckResult
        The data-quality checks that found problems.
    summary : Summary or None
        Figures about the data.
    timings : dict of str to float
        Seconds per stage (see :data:`STAGES`) and ``total``.
    written : list of pathlib.Path
        Files written and the published store; empty when nothing was written.
    up_to_date : bool
        True when nothing had changed since the published build (nothing was done).
    loaded : list of str
        The input files loaded by this build (all of them, or only the changed ones).
    scope : str
        ``full`` or ``incremental`` validation, or ``none`` for a build that was up to date.
    """

    out_dir: Path
    data_conforms: bool = True
    ontology_conforms: bool = True
    violations: list = field(default_factory=list)
    ontology_violations: list = field(default_factory=list)
    failed_checks: list = field(default_factory=list)
    summary: Summary | None = None
    timings: dict[str, float] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    up_to_date: bool = False
    loaded: list[str] = field(default_factory=list)
    scope: str = "full"

    @property
    def conforms(self) -> bool:
        """bool: whether the ontology and the data pass every shape, rule and check."""
        return self.data_conforms and self.ontology_conforms and not self.failed_checks


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("conflictkg", "pyoxigraph"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "unknown"
    return found


def _summary_to_json(summary: Summary) -> dict:
    return asdict(summary)


def _summary_from_json(data: dict | None) -> Summary | None:
    if not data:
        return None
    return Summary(
        triples=data["triples"],
        classes=tuple(Count(**c) for c in data["classes"]),
        sources=tuple(SourceEntry(**s) for s in data["sources"]),
        statuses=tuple(Count(**c) for c in data["statuses"]),
        voices=tuple(Count(**c) for c in data.get("voices", ())),
    )


def current_inputs(
    *, extra_data: Iterable[str | os.PathLike[str]] = (), project: bool = True
) -> dict[str, Path]:
    """Return the files a build with these options reads now, by key.

    Parameters
    ----------
    extra_data : iterable of path, optional
        Files given with ``--data``.
    project : bool, default True
        Whether the project's ``graph/`` is read.

    Returns
    -------
    dict of str to pathlib.Path
    """
    return {item.key: item.path for item in project_inputs(extra=extra_data, project=project)}


def run_build(
    out_dir: str | os.PathLike[str] = "out",
    *,
    extra_data: Iterable[str | os.PathLike[str]] = (),
    project: bool = True,
    write: bool = True,
    incremental: bool = True,
    engine: str = "sparql",
    progress: Progress | None = None,
    base: str | os.PathLike[str] | None = None,
    checks: bool = True,
) -> BuildResult:
    """Build the graph into a store, validate and check it, and publish it if all passes.

    Parameters
    ----------
    out_dir : str or os.PathLike, default "out"
        The output folder: ``store`` (the published build), ``graph.ttl``, ``graph.nt``.
    extra_data : iterable of path, optional
        Data files to add to the project's ``graph/**/*.ttl``.
    project : bool, default True
        Set to false to build only the ontology and `extra_data`.
    write : bool, default True
        Set to false to check without publishing anything (the build runs in a temporary
        folder, which is removed).
    incremental : bool, default True
        Reuse the published build when only data files changed (set to false to load and
        validate everything again).
    engine : {"sparql", "pyshacl"}
        What runs the shapes (the compiled SPARQL queries, or pySHACL, the reference).
    progress : callable, optional
        ``progress(stage, done, total)``, called as files are loaded (``"load"``, files
        done of the files to load), then as each later stage starts (``"validate"``,
        ``"check"``, ``"summarise"``, ``"write"``, with ``0, 1``).
    checks : bool, default True
        Run the data-quality checks, and publish nothing when one fails (``conflictkg
        check --data`` builds without them, to report them itself).
    base : str or os.PathLike, optional
        Another output folder whose published build this build starts from (for a
        temporary build with ``--data`` files on top of the project's built graph); by
        default `out_dir`'s own.

    Returns
    -------
    BuildResult

    Raises
    ------
    conflictkg.errors.InputError
        If a file cannot be loaded (nothing is published).
    conflictkg.errors.StoreLockedError
        If another build is writing the output folder.
    conflictkg.errors.ShapesError
        If the shapes cannot be used.
    """
    requested = Path(out_dir)
    scratch = None if write else Path(tempfile.mkdtemp(prefix="conflictkg-build-"))
    out = requested if scratch is None else scratch
    try:
        return _build(
            out,
            requested,
            Path(base) if base is not None else requested,
            extra_data=list(extra_data),
            project=project,
            incremental=incremental,
            engine=engine,
            progress=progress,
            checks=checks,
        )
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _build(
    out: Path,
    shown_out: Path,
    base: Path,
    *,
    extra_data: list,
    project: bool,
    incremental: bool,
    engine: str,
    progress: Progress | None,
    checks: bool,
) -> BuildResult:
    from conflictkg.errors import NoStoreError, StoreError
    from conflictkg.rdf import shacl_sparql
    from conflictkg.rdf.loading import load_files
    from conflictkg.rdf.rules import OntologyIndex
    from conflictkg.rdf.validation import validate_ontology, validate_store, violations
    from conflictkg.sparql.checks import check_store, failed
    from conflictkg.store.names import NAME_INDEX_FILE, NameIndex

    timings: dict[str, float] = {}
    start = clock = time.perf_counter()

    following = {"load": "validate", "validate": "check", "check": "summarise",
                 "summarise": "write"}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - clock
        clock = now
        # the stage that starts, for a progress display (one step each past loading:
        # at 10M triples validation alone takes minutes)
        if progress is not None and stage in following:
            progress(following[stage], 0, 1)

    result = BuildResult(out_dir=shown_out, timings=timings)
    inputs = project_inputs(extra=extra_data, project=project)
    current = {item.key: item.path for item in inputs}
    versions = _versions()
    with StoreWriter(out) as writer, contextlib.ExitStack() as cleanup:
        previous: BuiltStore | None = None
        try:
            previous = BuiltStore.open(base)
        except NoStoreError:
            previous = None
        except StoreError:
            previous = None  # damaged or of another layout: build afresh
        lap("inputs")
        if (
            previous is not None
            and base == out
            and previous.manifest.versions == versions
            and not previous.stale(current)
            and previous.manifest.validation.get("conforms")
        ):
            result.up_to_date = True
            result.scope = "none"
            result.summary = _summary_from_json(previous.manifest.validation.get("summary"))
            timings["total"] = time.perf_counter() - start
            return result

        recorded = previous.manifest.by_key() if previous is not None else {}
        fixed_roles = ("ontology", "shapes", "ontology-shapes", "check")
        same_schema = (
            previous is not None
            and previous.manifest.versions == versions
            and all(
                item.key in recorded and recorded[item.key].unchanged(item.path)
                for item in inputs
                if item.role in fixed_roles
            )
            and sum(1 for e in recorded.values() if e.role in fixed_roles)
            == sum(1 for item in inputs if item.role in fixed_roles)
        )
        loaded_roles = ("ontology", "data", "extra")
        to_load: list[Input]
        drop: list[str] = []
        if incremental and same_schema:
            writer.new_folder(copy_of=previous.folder)
            store = writer.data_store()
            result.scope = "incremental"
            to_load = [
                item
                for item in inputs
                if item.role in loaded_roles
                and not (item.key in recorded and recorded[item.key].unchanged(item.path))
            ]
            current_keys = {item.key for item in inputs}
            changed_keys = {item.key for item in to_load}
            drop = [
                entry.graph
                for key, entry in recorded.items()
                if entry.graph and (key not in current_keys or key in changed_keys)
            ]
        else:
            writer.new_folder()
            store = writer.data_store()
            result.scope = "full"
            to_load = [item for item in inputs if item.role in loaded_roles]

        shapes_graph = load_files([resources.shapes_file()])
        compiled = shacl_sparql.compile_shapes(shapes_graph) if engine == "sparql" else None
        focus: set | None = None
        vocabulary = [item.graph for item in inputs if item.role == "ontology" and item.graph]
        if result.scope == "incremental":
            focus = set()
            import pyoxigraph as ox

            for graph in drop:
                focus |= shacl_sparql.graph_focus_nodes(
                    store, graph, compiled, vocabulary_graphs=vocabulary
                )
                store.clear_graph(ox.NamedNode(graph))
        counts: dict[str, int] = {}
        for done, item in enumerate(to_load, start=1):
            try:
                counts[item.key] = load_file(store, item.path, item.graph)
            except InputError as error:
                # close the store before the writer removes its folder: the error's
                # traceback and context hold it open, and a store closed after the
                # removal writes its files again into the removed folder
                del store
                error.__context__ = None
                raise error.with_traceback(None) from None
            if progress is not None:
                progress("load", done, len(to_load))
        result.loaded = [item.key for item in to_load]
        if focus is not None:
            for item in to_load:
                focus |= shacl_sparql.graph_focus_nodes(
                    store, item.graph, compiled, vocabulary_graphs=vocabulary
                )
            if len(focus) > _FOCUS_LIMIT:
                focus = None  # validate and check everything
        lap("load")

        def entries() -> list[InputFile]:
            return [
                InputFile.read(
                    item.path,
                    key=item.key,
                    role=item.role,
                    graph=item.graph,
                    triples=counts.get(
                        item.key, recorded[item.key].triples if item.key in recorded else 0
                    ),
                    previous=recorded.get(item.key),
                )
                for item in inputs
            ]

        # an incremental build's hashes and graph.ttl/graph.nt are made while the store
        # is validated (copies of cached parts: disk work, beside queries that hold no
        # lock of Python's); a full build's after the checks, as their dump of every
        # graph would take a core from validation.  Either is put in place only once the
        # store is published.
        staged = _StagedOutputs(
            store,
            [out / name for name in OUTPUT_FILES] if out == shown_out else [],
            entries,
            background=result.scope == "incremental",
        )
        cleanup.callback(staged.discard)

        ontology_graph = load_files([item.path for item in inputs if item.role == "ontology"])
        if result.scope == "full":
            ontology_shapes = load_files([resources.ontology_shapes_file()])
            ontology_ok, ontology_report, _ = validate_ontology(
                ontology_graph, shapes_graph=ontology_shapes
            )
            result.ontology_conforms = ontology_ok
            result.ontology_violations = violations(
                ontology_report,
                data_graph=ontology_graph,
                ontology_graph=ontology_graph,
                shapes_graph=ontology_shapes,
            )
        index = OntologyIndex.from_ontology(ontology_graph)
        data_ok, report, _ = validate_store(
            store,
            shapes_graph=shapes_graph,
            compiled=compiled,
            index=index,
            focus=focus,
            engine=engine,
        )
        view = rdflib_view(store)
        result.data_conforms = data_ok
        result.violations = violations(
            report, data_graph=view, ontology_graph=ontology_graph, shapes_graph=shapes_graph
        )
        lap("validate")

        # the names index, which the name-scoped checks read, follows the store's graphs
        # (an incremental build after a build without one, or with one of another layout,
        # fills it afresh)
        names = NameIndex(writer.folder / NAME_INDEX_FILE)
        cleanup.callback(names.close)
        if result.scope == "full" or names.fresh:
            for graph in sorted({item.graph for item in inputs if item.role in loaded_roles}):
                names.add_graph(store, graph)
        else:
            for graph in drop:
                names.drop_graph(graph)
            for item in to_load:
                names.add_graph(store, item.graph)
        if checks:
            found = check_store(
                store,
                focus=focus,
                graphs=[item.graph for item in to_load],
                vocabulary_graphs=vocabulary,
                index=names,
            )
            result.failed_checks = failed(found)
        lap("check")

        if result.scope == "incremental":
            # each graph's quads were counted as it was loaded (a store counts its
            # quads by reading them: 0.12 s at 1,000,000)
            size = (
                previous.manifest.triples
                - sum(entry.triples for entry in recorded.values() if entry.graph in drop)
                + sum(counts.values())
            )
        else:
            size = len(store)
        summary = None
        before = _summary_from_json(previous.manifest.validation.get("summary")) if (
            previous is not None and focus is not None) else None
        if before is not None:
            # the figures of the unchanged subjects carried over, the changed counted
            # in both stores
            summary = update_summary(
                before,
                rdflib_view(previous.store()),
                view,
                ontology_graph,
                subjects=focus,
                graphs_before=drop,
                graphs_after=[item.graph for item in to_load],
                triples=size,
            )
        if summary is None:
            summary = summarize(view, ontology_graph, triples=size)
        result.summary = summary
        lap("summarise")

        if not result.conforms:
            timings["total"] = time.perf_counter() - start
            return result

        manifest = Manifest(
            inputs=staged.wait(),
            versions=versions,
            triples=size,
            validation={
                "conforms": True,
                "violations": 0,
                "warnings": sum(1 for v in result.violations if v.severity != "Violation"),
                "scope": result.scope,
                "summary": _summary_to_json(summary),
            },
            built=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        )
        store.flush()
        # Close the data store before it is published: RocksDB closes with the last
        # reference, and the rdflib view sits in reference cycles (graphs and their
        # namespace managers) that only the collector frees.  Left open, its background
        # compaction went on deleting files a reader of the published store had just
        # listed ("Corruption: ... No such file or directory" at 1M triples).
        names.close()  # complete on disk before it is published (closing again is harmless)
        del store, view
        gc.collect()
        if out == shown_out:
            writer.publish(manifest)
            result.written = [*staged.commit(), out / STORE_LINK]
        lap("write")
    timings["total"] = time.perf_counter() - start
    return result


class _StagedOutputs:
    """The input files' manifest entries and ``graph.ttl``/``graph.nt``, made on a thread.

    Each output is the concatenation of one part per named graph, in the order of the
    inputs.  A part is written by Oxigraph's own ``dump`` of that graph and kept in
    ``.stores/.parts/`` under the hash of its input file, so a build that changed one file
    writes one part and copies the others: at 100,000 synthetic triples, writing both
    files through Python generators of quads took 2.3 s of an incremental build, the
    copy of unchanged parts a few hundredths.  Concatenated Turtle documents are one
    Turtle document (a prefix may be declared again), and a file's blank nodes never
    occur in another file's graph, so both outputs parse to the union of the graphs.

    The outputs are staged beside their targets (:class:`~conflictkg.atomic.AtomicOutputs`)
    while the build validates: at 1,000,000 triples copying and syncing the 217 MB took
    0.23 to 0.75 s of an incremental build's 0.6 to 1.3 s, by how busy the disk was.
    :meth:`commit` puts them in place once the store is published; :meth:`discard` (also
    after a commit) waits for the thread and removes whatever was staged.

    Parameters
    ----------
    store : pyoxigraph.Store
        The new build's store, complete.
    targets : list of pathlib.Path
        ``graph.ttl`` and ``graph.nt``, or nothing (a build that publishes nothing).
    entries : callable
        Returns the manifest's entries of the input files (hashing the changed ones).
    background : bool
        Start now on a thread; otherwise the work is done by :meth:`wait`.
    """

    def __init__(
        self, store, targets: list[Path], entries: Callable[[], list], *, background: bool
    ) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._targets = targets
        self._outputs = AtomicOutputs()
        self._kept: set[str] = set()
        self._done = False
        self._entries: list | None = None
        self._work: Callable[[], list] | None = functools.partial(self._stage, store, entries)
        self._future = None
        if background:
            pool = ThreadPoolExecutor(1, thread_name_prefix="conflictkg-outputs")
            self._future = pool.submit(self._work)
            self._work = None
            pool.shutdown(wait=False)  # the thread ends with its one task

    def _stage(self, store, entries: Callable[[], list]) -> list:
        found = entries()
        if self._targets:
            self._kept = _stage_parts(store, self._targets, found, self._outputs)
        return found

    def wait(self) -> list:
        """Return the manifest's entries once the outputs are staged (or raise why not)."""
        if self._entries is None:
            if self._future is not None:
                self._entries = self._future.result()
            else:
                work, self._work = self._work, None  # drops the store with it
                self._entries = work()
        return self._entries

    def commit(self) -> list[Path]:
        """Put the staged outputs in place; return them."""
        self.wait()
        self._outputs.commit()
        self._done = True
        if self._targets:
            parts = self._targets[0].parent / STORES_FOLDER / _PARTS
            for old in parts.iterdir():
                if old.name not in self._kept:
                    old.unlink(missing_ok=True)
        return list(self._targets)

    def discard(self) -> None:
        """Wait for the thread and remove what it staged, unless committed."""
        if self._future is not None:
            with contextlib.suppress(BaseException):
                self._future.result()
        self._work = None
        if not self._done:
            self._outputs.discard()
            self._done = True


def _stage_parts(store, targets: list[Path], inputs: list, outputs: AtomicOutputs) -> set[str]:
    """Stage `targets` (graph.ttl, graph.nt) from their parts; return the parts' names."""
    import hashlib

    import pyoxigraph as ox

    from conflictkg.namespaces import PREFIXES

    turtle_path, ntriples_path = targets
    parts = turtle_path.parent / STORES_FOLDER / _PARTS
    parts.mkdir(parents=True, exist_ok=True)
    formats = {
        turtle_path: ("ttl", ox.RdfFormat.TURTLE),
        ntriples_path: ("nt", ox.RdfFormat.N_TRIPLES),
    }
    kept: set[str] = set()
    for target, (suffix, rdf_format) in formats.items():
        with outputs.open(target) as handle:
            for item in inputs:
                if not item.graph:
                    continue
                name = hashlib.sha256(
                    f"{_PARTS_VERSION} {item.graph} {item.sha256}".encode()
                ).hexdigest()
                part = parts / f"{name}.{suffix}"
                kept.add(part.name)
                if not part.exists():
                    temporary = part.with_suffix(f".{suffix}.partial")
                    with temporary.open("wb") as out:
                        store.dump(
                            out,
                            format=rdf_format,
                            from_graph=ox.NamedNode(item.graph),
                            prefixes=dict(PREFIXES) if suffix == "ttl" else None,
                        )
                        out.write(b"\n")
                    os.replace(temporary, part)
                append_file(part, handle)
    return kept
