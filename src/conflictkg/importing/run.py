"""``import_dataset``: a dataset file into a graph file, then into the built store.

The import reads the whole file and maps every row before anything is written: a bad
file (an error naming the file, row and column) leaves the graph folder and the store as
they were.  The graph file is written atomically under a name of its own per dataset
(``ucdp-ged.ttl``, ``acled.ttl``), so a newer release replaces the older one in one step,
and the same file imported again gives the same bytes, which the build then recognises as
unchanged.  The build that follows validates the file with the rest of the graph; if it
fails, the previous file is put back.
"""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from conflictkg import resources
from conflictkg.atomic import atomic_write
from conflictkg.errors import UsageError
from conflictkg.importing import acled, ged
from conflictkg.importing.entities import Entities
from conflictkg.importing.linking import Linker
from conflictkg.importing.ntriples import RDFS_LABEL, A, Triples, ckc, ckg, ckr, literal, text
from conflictkg.importing.table import file_sha256, read_rows

__all__ = ["DATASETS", "ImportResult", "default_folder", "import_dataset", "keep", "restore"]

#: Called with ``(rows done, rows expected)`` while the rows are read.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DatasetKind:
    """What differs from one kind of dataset to the other."""

    key: str
    title: str
    publisher: str
    licence: str
    attribution: str
    suffix: str

    @property
    def file_name(self) -> str:
        """The graph file's name: the key, as Turtle (``ucdp-ged.ttl``)."""
        return f"{self.key}.ttl"


DATASETS = {
    "ged": DatasetKind(
        key="ucdp-ged",
        title="UCDP Georeferenced Event Dataset (GED)",
        publisher="Uppsala Conflict Data Program (UCDP), Uppsala University",
        licence="CC BY 4.0",
        attribution=(
            "Data: UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data "
            "Program, CC BY 4.0. Cite Sundberg, Ralph and Erik Melander (2013), "
            "Introducing the UCDP Georeferenced Event Dataset, Journal of Peace "
            "Research 50(4): 523-532, and the publication of the release used."
        ),
        suffix="UCDP GED",
    ),
    "acled": DatasetKind(
        key="acled",
        title="ACLED data",
        publisher="Armed Conflict Location & Event Data (ACLED)",
        licence="ACLED terms of use: the user's own export, not to be passed on",
        attribution="Data: Armed Conflict Location & Event Data (ACLED), acleddata.com.",
        suffix="ACLED",
    ),
}


@dataclass
class ImportResult:
    """What an import wrote and found.

    Attributes
    ----------
    path : pathlib.Path
        The graph file written.
    backup : pathlib.Path or None
        A hard link to the file the import replaced, to put back if the build fails
        (:func:`restore`) or drop when it passes (:func:`keep`).
    dataset : str
        The IRI of the dataset's source node.
    version : str
        The dataset's version.
    rows, triples, links : int
        Rows read, triples written, links to report events made.
    changed : bool
        Whether the file differs from what was there.
    new_actors, new_places : list of (str, str)
        The entities that got new IRIs, as ``(IRI, name)``.
    seconds : float
        The time the import took.
    """

    path: Path
    backup: Path | None
    dataset: str
    version: str
    rows: int
    triples: int
    links: int
    changed: bool
    new_actors: list[tuple[str, str]] = field(default_factory=list)
    new_places: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def default_folder() -> Path:
    """Return the project's ``graph/datasets/`` folder."""
    return resources.data_dir("graph") / "datasets"


def _version(kind: str, path: Path, sha: str, given: str | None) -> str:
    if given:
        return given
    if kind == "ged":
        match = re.search(r"ged[_-]?(\d{2})(\d)", path.name, re.IGNORECASE)
        if match:
            return f"{match[1]}.{match[2]}"
        raise UsageError(
            f"{path}: the GED release is not in the file name (such as "
            "ged231.csv); give it with --version 23.1"
        )
    return f"export {sha[:12]}"


def _lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def import_dataset(
    kind: str,
    path: str | os.PathLike[str],
    *,
    into: str | os.PathLike[str] | None = None,
    version: str | None = None,
    progress: Progress | None = None,
    link: bool = True,
) -> ImportResult:
    """Import a UCDP GED or ACLED file into a graph file.

    Parameters
    ----------
    kind : {"ged", "acled"}
        The dataset.
    path : str or os.PathLike
        The CSV file.
    into : str or os.PathLike, optional
        The folder of the graph file (default: the project's ``graph/datasets/``).
    version : str, optional
        The dataset's version (GED: read from a file name such as ``ged231.csv``).
    progress : callable, optional
        ``progress(rows done, rows expected)``.
    link : bool, default True
        Link the events to the report events that describe the same incident.

    Returns
    -------
    ImportResult

    Raises
    ------
    conflictkg.errors.InputError
        For a bad file, naming the file, row and column; nothing is written.
    conflictkg.errors.UsageError
        For an unknown dataset or a GED file whose release cannot be told.
    """
    began = time.perf_counter()
    if kind not in DATASETS:
        raise UsageError(f"unknown dataset {kind!r}: choose ged or acled")
    spec = DATASETS[kind]
    source = Path(path)
    if not source.is_file():
        from conflictkg.errors import InputError

        raise InputError(source, "no such file")
    sha = file_sha256(source)
    version = _version(kind, source, sha, version)
    slug = re.sub(r"[^a-z0-9]+", "-", version.lower()).strip("-")
    dataset = ckr(f"{spec.key}-{slug}")
    source_label = f"{spec.title} {version}"
    status = ckc("Reported")
    linker = Linker()
    entities = Entities(spec.key, dataset, linker.taken, f" ({spec.suffix})")
    folder = Path(into) if into is not None else default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / spec.file_name
    previous = file_sha256(target) if target.is_file() else None
    expected = max(_lines(source) - 1, 1)
    if kind == "ged":
        rows = read_rows(source, [ged.COLUMNS])

        def mapper(row):
            return ged.map_row(row, out, entities, dataset, source_label, status)
    else:
        codebook = acled.Codebook.load()
        rows = read_rows(source, acled.LAYOUTS, tag_row=True)

        def mapper(row):
            return acled.map_row(row, out, entities, dataset, source_label, status, codebook)

    count = 0
    with atomic_write(target) as handle:
        stream = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=False)
        stream.write(
            f"# {source_label}, imported by conflictkg import from {source.name} "
            f"(sha256 {sha}).\n# Regenerate with conflictkg import; do not edit.\n"
        )
        out = Triples(stream)
        for row in rows:
            key = mapper(row)
            if link:
                linker.write(out, key)
            count += 1
            if progress and count % 1000 == 0:
                progress(count, max(expected, count))
        out.node(
            dataset,
            [
                (A, ckg("EventDataset")),
                (RDFS_LABEL, text(source_label)),
                ("<http://purl.org/dc/terms/title>", text(spec.title)),
                (ckg("publisherName"), literal(spec.publisher)),
                (ckg("datasetVersion"), literal(version)),
                (ckg("licence"), literal(spec.licence)),
                (ckg("attribution"), literal(spec.attribution)),
                (ckg("fileHash"), literal(sha)),
                (ckg("localCopy"), literal(source.name)),
            ],
        )
        entities.write(out, status)
        out.flush()
        stream.flush()
        stream.detach()
        backup = None
        if previous is not None:
            backup = target.with_name(f".{target.name}.previous")
            backup.unlink(missing_ok=True)
            os.link(target, backup)
    if progress:
        progress(count, count)
    return ImportResult(
        path=target,
        backup=backup,
        dataset=dataset[1:-1],
        version=version,
        rows=count,
        triples=out.count,
        links=linker.links,
        changed=previous is None or file_sha256(target) != previous,
        new_actors=entities.new_of("actor"),
        new_places=entities.new_of("place") + entities.new_of("country"),
        seconds=time.perf_counter() - began,
    )


def restore(result: ImportResult) -> None:
    """Put back the graph file an import replaced (or remove it if there was none)."""
    if result.backup is None:
        result.path.unlink(missing_ok=True)
    else:
        os.replace(result.backup, result.path)


def keep(result: ImportResult) -> None:
    """Keep the new graph file: drop the link to the one it replaced."""
    if result.backup is not None:
        result.backup.unlink(missing_ok=True)
